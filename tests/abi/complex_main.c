/* The caller half of the complex-number ABI interop test (see tests/abi_interop.rs). */
#include <complex.h>
#include <stdio.h>

float complex f_mul(float complex a, float complex b);
double complex d_mix(double complex a, double x, double complex b);
long double complex ld_scale(long double complex a, long double s);
_Complex int i_mul(_Complex int a, _Complex int b);
_Complex char c_neg(_Complex char a);
double complex d_many(double complex a, double complex b, double complex c, double complex d,
                      double complex e, double complex f, double complex g, double complex h,
                      double complex i);
double complex d_varsum(int n, ...);
struct zs { float complex z; double d; };
struct zs zs_make(float complex z, double d);
long double complex (*ld_op(void))(long double complex);

int main(void) {
    float complex f = f_mul(1.5f + 2.0fi, -0.5f + 3.0fi);
    printf("f_mul %a %a\n", crealf(f), cimagf(f));
    double complex d = d_mix(1.0 + 2.0i, 3.0, 0.25 - 0.5i);
    printf("d_mix %a %a\n", creal(d), cimag(d));
    long double complex l = ld_scale(1.0L / 3 + 2.5iL, 7.0L);
    printf("ld_scale %La %La\n", creall(l), cimagl(l));
    _Complex int i = i_mul(3 + 4i, -2 + 1i);
    printf("i_mul %d %d\n", __real__ i, __imag__ i);
    _Complex char c = c_neg(5 - 7i);
    printf("c_neg %d %d\n", __real__ c, __imag__ c);
    d = d_many(1, 1i, 2, 2i, 3, 3i, 4, 4i, 5 + 5i);
    printf("d_many %a %a\n", creal(d), cimag(d));
    d = d_varsum(2, 1.0 + 1.0i, 0.5f - 0.5fi, 0.25L + 0.125iL, 2.0i, 4.0f, 8.0iL);
    printf("d_varsum %a %a\n", creal(d), cimag(d));
    struct zs z = zs_make(1.0f - 2.0fi, 0.5);
    printf("zs_make %a %a %a\n", crealf(z.z), cimagf(z.z), z.d);
    l = ld_op()(1.0L + 1.0iL);
    printf("ld_op %La %La\n", creall(l), cimagl(l));
    return 0;
}

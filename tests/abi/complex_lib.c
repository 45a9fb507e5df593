/* The callee half of the complex-number ABI interop test (see tests/abi_interop.rs). */
#include <complex.h>
#include <stdarg.h>

float complex f_mul(float complex a, float complex b) { return a * b; }
double complex d_mix(double complex a, double x, double complex b) { return a * x - b; }
long double complex ld_scale(long double complex a, long double s) { return a * s + 1.0iL; }
_Complex int i_mul(_Complex int a, _Complex int b) { return a * b; }
_Complex char c_neg(_Complex char a) { return -a; }

/* Nine double complex arguments: the last ones no longer fit in the eight SSE registers. */
double complex d_many(double complex a, double complex b, double complex c, double complex d,
                      double complex e, double complex f, double complex g, double complex h,
                      double complex i) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i;
}

double complex d_varsum(int n, ...) {
    va_list ap;
    va_start(ap, n);
    double complex s = 0;
    for (int k = 0; k < n; k++) {
        s += va_arg(ap, double complex);
        s += va_arg(ap, float complex);
        s += va_arg(ap, long double complex);
    }
    va_end(ap);
    return s;
}

struct zs { float complex z; double d; };
struct zs zs_make(float complex z, double d) { struct zs r = { z * 2, d + 1 }; return r; }

static long double complex ld_square(long double complex a) { return a * a; }
long double complex (*ld_op(void))(long double complex) { return ld_square; }

// cfree-args: -lm
/* _Complex: types, layout, every operator with real and complex operands, conversions,
   GNU __real__/__imag__/~, integer complex, libgcc's __mul?c3/__div?c3 (infinities and NaNs),
   static initializers, and <complex.h>. */
#include <complex.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>

static void pd(const char *what, double complex z) {
    printf("%-10s %a %a\n", what, creal(z), cimag(z));
}
static void pf(const char *what, float complex z) {
    printf("%-10s %a %a\n", what, (double)crealf(z), (double)cimagf(z));
}
static void pl(const char *what, long double complex z) {
    printf("%-10s %La %La\n", what, creall(z), cimagl(z));
}
static void pi(const char *what, _Complex int z) {
    printf("%-10s %d %d\n", what, __real__ z, __imag__ z);
}

/* Static data: constant folding of complex expressions. */
static double complex s1 = 1.0 + 2.0 * I;
static float complex s2 = 3.5f - 1.25fi;
static double complex s3 = 7;
static long double complex s4 = 1.5L + 2.25iL;
static _Complex int s5 = 3 + 4i;
static double complex sarr[3] = {1.0, 2.0i, 3.0 + 3.0i};
struct holder { char tag; double complex z; float complex w; int n; };
static struct holder sh = {'h', 4.0 - 1.0i, 2.0f, 9};
static double complex scast = (double complex)(float complex)(0.1 + 0.2i);

volatile double vinf = INFINITY, vnan = NAN, vzero = 0.0, vnzero = -0.0;

static int calls;
static double complex counted(double complex z) { calls++; return z; }

static void layout(void) {
    printf("sizes %zu %zu %zu %zu %zu\n", sizeof(float complex), sizeof(double complex),
           sizeof(long double complex), sizeof(_Complex int), sizeof(_Complex char));
    printf("aligns %zu %zu %zu\n", _Alignof(float complex), _Alignof(double complex),
           _Alignof(long double complex));
    printf("holder %zu %zu %zu %zu\n", sizeof(struct holder), offsetof(struct holder, z),
           offsetof(struct holder, w), offsetof(struct holder, n));
    printf("lit %zu %zu %zu\n", sizeof 1i, sizeof 1.0fi, sizeof(1.0 + 1.0i));
}

static void statics(void) {
    pd("s1", s1);
    pf("s2", s2);
    pd("s3", s3);
    pl("s4", s4);
    pi("s5", s5);
    for (int i = 0; i < 3; i++) pd("sarr", sarr[i]);
    printf("sh %c %d\n", sh.tag, sh.n);
    pd("sh.z", sh.z);
    pf("sh.w", sh.w);
    pd("scast", scast);
}

static void arithmetic(double complex a, double complex b, double x) {
    pd("a+b", a + b);
    pd("a-b", a - b);
    pd("a*b", a * b);
    pd("a/b", a / b);
    pd("a+x", a + x);
    pd("x+a", x + a);
    pd("a-x", a - x);
    pd("x-a", x - a);
    pd("a*x", a * x);
    pd("x*a", x * a);
    pd("a/x", a / x);
    pd("x/a", x / a);
    pd("-a", -a);
    pd("+a", +a);
    pd("~a", ~a);
    pd("conj", conj(a));
    printf("eq %d %d %d %d\n", a == b, a != b, a == a, a == creal(a));
    printf("not %d %d\n", !a, !(a - a));
}

static void special(void) {
    double complex inf = vinf + vzero * I;
    double complex nan_inf = vnan + vinf * I;
    pd("inf*2i", inf * (2.0 * I));
    pd("naninf*1", nan_inf * (1.0 + 0.0 * I));
    pd("1/0", (1.0 + 1.0 * I) / (vzero + vzero * I));
    pd("inf/1", inf / (1.0 + 1.0 * I));
    pd("1/inf", (1.0 + 1.0 * I) / inf);
    pd("negzero", vnzero + vnzero * I);
    pd("x-negz", 1.0 - (vnzero + vnzero * I));
    float complex fi = (float)vinf + 1.0fi;
    pf("f*", fi * fi);
    pf("f/", 1.0f / fi);
}

static void floats(float complex p, float complex q) {
    pf("p+q", p + q);
    pf("p*q", p * q);
    pf("p/q", p / q);
    pf("p*2", p * 2.0f);
    pd("mixed", p * 2.0); /* float complex * double -> double complex */
    long double complex lp = p;
    pl("lp*lp", lp * lp);
    pl("lp/3i", lp / (3.0L * I));
    pl("lp+1", lp + 1.0L);
}

static void integers(void) {
    _Complex int a = 7 + 3i, b = 2 - 1i, c = -5 + 9i;
    pi("a*b", a * b);
    pi("a/b", a / b);
    pi("c/a", c / a);
    pi("a/c", a / c);
    pi("a+1", a + 1);
    pi("~c", ~c);
    _Complex unsigned char uc = 250 + 3i;
    uc += 10;
    printf("uc %d %d\n", __real__ uc, __imag__ uc);
    double complex d = a; /* integer complex to floating complex */
    pd("d", d);
    _Complex short sh = (_Complex short)(1.9 - 2.9i);
    printf("sh %d %d\n", __real__ sh, __imag__ sh);
}

static void parts_and_lvalues(void) {
    double complex z = 1.0 + 2.0 * I;
    __real__ z = 5.0;
    __imag__ z *= 3.0;
    pd("parts", z);
    double *pr = &__real__ z;
    pr[1] = -1.5;
    pd("viaptr", z);
    double complex arr[2] = {0};
    __real__ arr[1] = 2.0;
    __imag__ arr[1] = __real__ arr[1] + 1;
    pd("arr1", arr[1]);
    double r = __real__ 3.0, i = __imag__ 3.0;
    printf("realpart %g %g\n", r, i);
    calls = 0;
    double only = __imag__ counted(4.0 - 8.0i);
    printf("once %g %d\n", only, calls);
    calls = 0;
    double complex w = counted(1.0 + 1.0i) * counted(2.0 - 1.0i);
    printf("once2 %d\n", calls);
    pd("w", w);
}

static void conversions(void) {
    double complex z = 3.75 - 2.5i;
    double d = z;          /* imaginary part discarded */
    int n = z;
    _Bool b1 = z, b2 = 0.0 * I, b3 = 0.5i;
    float complex f = z;
    printf("conv %g %d %d %d %d\n", d, n, b1, b2, b3);
    pf("f", f);
    if (z) printf("truthy\n");
    if (!(z - z)) printf("falsy\n");
    printf("logic %d %d\n", z && 0.0i, (z - z) || 1.0i);
    double complex c = n ? z : 1;
    pd("cond", c);
    pd("cond2", n > 100 ? z : 2);
    z += 1;
    pd("+=", z);
    z *= 2i;
    pd("*=", z);
    z /= 1 - 1i;
    pd("/=", z);
    z -= z;
    pd("-=", z);
    double real = 10.0;
    real += 1.0 + 5.0i; /* real lhs: takes the real part */
    printf("real+= %g\n", real);
    double complex post = z++;
    pd("post", post);
    pd("after", z);
    ++z;
    --z;
    pd("prepost", z);
}

static double complex pass_through(double complex a, float complex b, long double complex c,
                                   int k) {
    return a + b + (double complex)c + k;
}

static long double complex lret(long double complex a) { return a * 2.0L; }
static float complex fret(float complex a) { return a * 2.0f; }

static void library(void) {
    double complex z = 3.0 + 4.0 * I;
    printf("cabs %a\n", cabs(z));
    printf("carg %a\n", carg(z));
    pd("csqrt", csqrt(-4.0 + 0.0 * I));
    pd("cexp", cexp(I * M_PI));
    pd("cpow", cpow(z, 2.0));
    pd("clog", clog(z));
    pf("csqrtf", csqrtf(-9.0f));
    pl("csqrtl", csqrtl(-16.0L));
    pl("cexpl", cexpl(1.0L + 1.0iL));
    pd("pass", pass_through(z, 1.0f - 1.0fi, 0.5L + 0.25iL, 2));
    pl("lret", lret(1.25L - 3.5iL));
    pf("fret", fret(0.5f + 0.25fi));
    long double complex (*lp)(long double complex) = lret;
    pl("lret*", lp(lp(1.0L)));
    pd("cmplx", __builtin_complex(1.5, -0.0));
    pd("cproj", cproj(z));
}

int main(void) {
    layout();
    statics();
    arithmetic(1.5 + 2.0 * I, -0.5 + 4.0 * I, 3.0);
    arithmetic(vzero - 1.0 * I, 2.0, -2.0);
    special();
    floats(1.0f + 2.0f * I, 3.0f - 0.5f * I);
    integers();
    parts_and_lvalues();
    conversions();
    library();
    return 0;
}

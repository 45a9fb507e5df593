// cfree-args: -lm
/* <math.h> functions (linked with -lm): trig, exp/log, pow, rounding, fmod, hypot, etc. */
#include <stdio.h>
#include <math.h>

int main(void)
{
    double xs[] = {0.0, 0.5, 1.0, 2.0, 3.14159265358979, -1.25};
    for (int i = 0; i < 6; i++) {
        double x = xs[i];
        printf("x=%g sin=%.12f cos=%.12f atan=%.12f exp=%.10g\n", x, sin(x), cos(x), atan(x),
               exp(x));
    }
    printf("tan %.12f asin %.12f acos %.12f\n", tan(0.7), asin(0.5), acos(-0.5));
    printf("atan2 %.12f %.12f %.12f\n", atan2(1, 1), atan2(-1, -1), atan2(0, -1));
    printf("sinh %.12f cosh %.12f tanh %.12f\n", sinh(1.5), cosh(1.5), tanh(0.5));
    printf("log %.12f log10 %.12f log2 %.12f log1p %.12g\n", log(10), log10(12345), log2(1024),
           log1p(1e-10));
    printf("pow %.12g %.12g %.12g %.12g\n", pow(2, 10), pow(2, 0.5), pow(10, -3), pow(-8, 3));
    printf("sqrt %.15f cbrt %.15f hypot %.12f\n", sqrt(2), cbrt(27), hypot(3, 4));
    printf("floor %g %g ceil %g %g\n", floor(2.7), floor(-2.7), ceil(2.1), ceil(-2.1));
    printf("round %g %g %g trunc %g %g\n", round(2.5), round(-2.5), round(0.49999), trunc(2.9),
           trunc(-2.9));
    printf("rint %g %g nearbyint %g\n", rint(2.5), rint(3.5), nearbyint(-1.5));
    printf("lround %ld llround %lld\n", lround(-3.5), llround(1e15 + 0.5));
    printf("fmod %g %g remainder %g\n", fmod(10, 3), fmod(-10, 3), remainder(10, 3));
    printf("fabs %g %g\n", fabs(-3.5), fabs(2.0));
    double ip;
    double fp = modf(3.75, &ip);
    printf("modf %g %g\n", ip, fp);
    printf("exp2 %g expm1 %.12g\n", exp2(10), expm1(1e-10));
    printf("fma %g\n", fma(2, 3, 4));
    printf("erf %.12f tgamma %.10g lgamma %.10f\n", erf(0.5), tgamma(5), lgamma(10));

    /* float versions */
    float f = 2.0f;
    printf("sqrtf %.7f sinf %.7f powf %.7g expf %.7g\n", sqrtf(f), sinf(f), powf(f, 0.5f),
           expf(f));
    printf("floorf %g fabsf %g\n", floorf(-1.5f), fabsf(-0.25f));

    /* a small numeric computation: sum of a series */
    double s = 0;
    for (int k = 1; k <= 100000; k++)
        s += 1.0 / ((double)k * k);
    printf("basel %.10f pi^2/6 %.10f\n", s, M_PI * M_PI / 6);
    return 0;
}

/* Floating-point conversions and printf formats %f %e %g %a. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double vals[] = {0.0, 1.0, -1.5, 3.14159265358979, 1e-10, 123456789.0, 1e300,
                     2.5e-308, 0.1, 100.0, 1.0 / 3, -2.0 / 3, 65504.0, 5e-324};
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        double v = vals[i];
        printf("[%d] f=%f e=%e g=%g a=%a\n", i, v, v, v, v);
        printf("    .2f=%.2f .0f=%.0f 10.3e=%10.3e -12g|=%-12g| +g=%+g .10g=%.10g\n",
               v, v, v, v, v, v);
    }

    float fv[] = {0.5f, 3.4028235e38f, 1.17549435e-38f, 0.1f, 16777217.0f, -7.25f};
    for (int i = 0; i < 6; i++)
        printf("float %g %.9g %a\n", fv[i], fv[i], fv[i]);

    /* rounding in printf (round-half-even on exact binary values) */
    printf("%.0f %.0f %.0f %.0f %.1f %.1f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 0.35);

    /* double -> float rounding */
    double d = 1.0000001192092896;
    float f = (float)d;
    printf("%.10g %.10g\n", d, (double)f);
    printf("%.9g\n", (float)(1.0 / 3.0));

    /* int <-> float */
    for (int i = -3; i <= 3; i++) {
        double x = i * 1.75;
        printf("%g -> %d %u\n", x, (int)x, (unsigned)(x < 0 ? -x : x));
    }
    unsigned u = 4294967295u;
    printf("%.1f %.1f\n", (double)u, (float)u);
    long long ll = -9007199254740991LL;
    printf("%.1f\n", (double)ll);
    printf("%lld\n", (long long)(double)ll);

    /* strtod / atof / sprintf round trips */
    const char *strs[] = {"3.25", "-0.001", "1e5", "0x1.8p1", "  42.5xyz", "inf"};
    for (int i = 0; i < 6; i++) {
        char *end;
        double v = strtod(strs[i], &end);
        printf("strtod(\"%s\") = %g rest \"%s\"\n", strs[i], v, end);
    }
    char buf[64];
    double orig = 0.1 + 0.7;
    snprintf(buf, sizeof buf, "%.17g", orig);
    double back = atof(buf);
    printf("%s %d\n", buf, back == orig);

    /* float args to printf are promoted to double */
    float pf = 2.5f;
    printf("%f %e %g\n", pf, pf, pf);
    printf("%5.1f|%-8.3f|%08.2f|% f\n", 3.14159, 2.71828, -1.5, 1.0);
    return 0;
}

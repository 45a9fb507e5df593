/* Floating-point arithmetic in float and double: precision, rounding, accumulation. */
#include <stdio.h>

static double horner(const double *c, int n, double x)
{
    double r = 0;
    for (int i = n - 1; i >= 0; i--)
        r = r * x + c[i];
    return r;
}

static float sum_f(int n)
{
    float s = 0;
    for (int i = 1; i <= n; i++)
        s += 1.0f / (float)i;
    return s;
}

static double sum_d(int n)
{
    double s = 0;
    for (int i = 1; i <= n; i++)
        s += 1.0 / i;
    return s;
}

static double newton_sqrt(double x)
{
    double g = x / 2;
    for (int i = 0; i < 30; i++)
        g = 0.5 * (g + x / g);
    return g;
}

struct vec3 { double x, y, z; };

static struct vec3 cross(struct vec3 a, struct vec3 b)
{
    struct vec3 r = {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
    return r;
}

int main(void)
{
    float f1 = 0.1f, f2 = 0.2f;
    double d1 = 0.1, d2 = 0.2;
    printf("%.9g %.17g\n", f1 + f2, d1 + d2);
    printf("%d %d\n", f1 + f2 == 0.3f, d1 + d2 == 0.3);
    printf("%.9g\n", f1 * 3.0f);
    printf("%.17g\n", (double)f1 * 3.0);

    /* float arithmetic stays in float (FLT_EVAL_METHOD 0 on x86-64) */
    float big = 16777216.0f;
    float one = 1.0f;
    printf("%.1f\n", big + one);
    printf("%.1f\n", (double)big + one);

    printf("harmonic float %.7g double %.15g\n", sum_f(1000), sum_d(1000));

    double coeff[] = {1, -3, 0.5, 2.25, -0.125};
    for (double x = -2; x <= 2; x += 0.5)
        printf("p(%g) = %.10g\n", x, horner(coeff, 5, x));

    printf("sqrt2 %.15f sqrt10 %.15f\n", newton_sqrt(2), newton_sqrt(10));

    struct vec3 a = {1, 2, 3}, b = {-4, 5, 0.5};
    struct vec3 c = cross(a, b);
    printf("cross %g %g %g\n", c.x, c.y, c.z);

    /* division, negation, compound ops */
    double q = 1.0;
    for (int i = 0; i < 10; i++)
        q /= 3;
    printf("%.17g\n", q);
    q *= -59049;
    printf("%.17g\n", q);
    float fq = 7.0f;
    fq -= 0.5f;
    fq *= fq;
    printf("%g\n", fq);
    printf("%g %g\n", -0.0 * 1, 0.0 * -1);

    /* comparisons */
    double xs[] = {-1.5, 0.0, 2.5, 2.5000001};
    for (int i = 0; i < 3; i++)
        printf("%d%d%d%d%d%d ", xs[i] < xs[i + 1], xs[i] <= xs[i + 1], xs[i] > xs[i + 1],
               xs[i] >= xs[i + 1], xs[i] == xs[i + 1], xs[i] != xs[i + 1]);
    printf("\n");

    /* mixed int/float expressions */
    int n = 7;
    double avg = (n + 2) / 2.0;
    float ratio = n / 2;
    printf("%g %g %g\n", avg, ratio, n * 0.5f);

    /* a tiny numerical integration */
    double integral = 0;
    int steps = 1000;
    for (int i = 0; i < steps; i++) {
        double x = (i + 0.5) / steps;
        integral += 4.0 / (1.0 + x * x);
    }
    printf("pi ~ %.12f\n", integral / steps);
    return 0;
}

// cfree-args: -lm
/* <math.h> classification and quiet-comparison macros (glibc expands them to gcc builtins),
   each operand evaluated once, and __builtin_ forms of library functions with their real
   prototypes. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
int cnt;
double next(double v) { cnt++; return v; }
int main(void) {
    double vals[] = {0.0, -0.0, 1.0, -2.5, 1e-310, INFINITY, -INFINITY, NAN, 5e-324, 1e308};
    for (int i = 0; i < 10; i++) {
        double x = vals[i];
        printf("%d %d %d %d %d %d %d\n", isnan(x) != 0, isinf(x) != 0, isfinite(x) != 0, isnormal(x) != 0, fpclassify(x), signbit(x) != 0, __builtin_isinf_sign(x));
        for (int j = 0; j < 10; j++) {
            double y = vals[j];
            printf("%d%d%d%d%d%d ", isless(x, y), isgreater(x, y), islessequal(x, y), isgreaterequal(x, y), islessgreater(x, y), isunordered(x, y));
        }
        printf("\n");
        float f = (float)x;
        printf("f %d %d %d %d\n", isnan(f) != 0, isinf(f) != 0, isnormal(f) != 0, fpclassify(f));
    }
    cnt = 0;
    int r = isnan(next(1.0)) + isless(next(1.0), next(2.0)) + fpclassify(next(3.0)) + isnormal(next(1.0));
    printf("evaluated %d times, r=%d\n", cnt, r);
    printf("%.17g %.9g %.17g %s %d %ld\n", __builtin_copysign(3.0, -1.0), __builtin_copysignf(2.5f, -0.0f), __builtin_ldexp(1.5, 10),
           __builtin_strstr("hello world", "wor"), __builtin_abs(-7), (long)__builtin_imaxabs(-(intmax_t)1 << 40));
    printf("%g %g %g\n", __builtin_fmaxf(1.0f, 3.0f), __builtin_hypot(3, 4), __builtin_fmin(-2.0, 1.0));
#if __has_builtin(__builtin_ctzll) && __has_builtin(__builtin_isless) && !__has_builtin(__builtin_nonexistent_thing)
    puts("has_builtin ok");
#endif
    return 0;
}

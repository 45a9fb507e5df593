// cfree-args: -lm
/* <math.h> classification and quiet comparisons on long double (x87 extended), including
   values outside double's range, and __builtin_ library forms with long double prototypes. */
#include <math.h>
#include <stdio.h>
#include <float.h>
int main(void) {
    long double v[] = {0.0L, -0.0L, 1.0L, 1e-4940L, 1e4000L, -1e-310L, LDBL_MAX, LDBL_MIN,
                       INFINITY, -INFINITY, NAN};
    int n = sizeof v / sizeof v[0];
    for (int i = 0; i < n; i++) {
        long double x = v[i];
        printf("%d %d %d %d %d %d |", isnan(x) != 0, isinf(x) != 0, isfinite(x) != 0,
               isnormal(x) != 0, fpclassify(x), signbit(x) != 0);
        for (int j = 0; j < n; j++)
            printf(" %d%d%d%d%d%d", isless(x, v[j]), isgreater(x, v[j]), islessequal(x, v[j]),
                   isgreaterequal(x, v[j]), islessgreater(x, v[j]), isunordered(x, v[j]));
        printf("\n");
    }
    printf("%.20Lg %.20Lg %.20Lg\n", __builtin_sqrtl(2.0L), __builtin_fabsl(-3.25L),
           __builtin_copysignl(1.5L, -0.0L));
    return 0;
}

/* long double as x87 extended precision: arithmetic, comparisons, conversions, literals,
   the psABI (memory arguments, st(0) returns, variadics, structs) and libc/libm. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct S1 { long double x; };
struct S2 { int tag; long double x; };
union U { long double x; int i; };

static long double third(void) { return 1.0L / 3; }
static long double add3(long double a, long double b, long double c) { return a + b + c; }
static long double mixed(int i, long double a, double d, long double b, long n) {
    return i + a * d - b / n;
}
static long double many(double a, double b, double c, double d, double e, double f, double g,
                        double h, double i, long double x, int k, long double y) {
    return a + b + c + d + e + f + g + h + i + x * k + y;
}
static struct S1 mk1(long double v) { struct S1 s = {v}; return s; }
static struct S2 mk2(long double v) { struct S2 s = {7, v}; return s; }
static long double get2(struct S2 s) { return s.x * s.tag; }
static long double getu(union U u) { return u.x; }
static long double sum(int n, ...) {
    va_list ap;
    va_start(ap, n);
    long double t = 0;
    for (int i = 0; i < n; i++)
        t += va_arg(ap, long double);
    va_end(ap);
    return t;
}
static int cmpld(const void *a, const void *b) {
    long double x = *(const long double *)a, y = *(const long double *)b;
    return (x > y) - (x < y);
}
static void bits(const char *name, long double v) {
    unsigned long long m;
    unsigned short e;
    memcpy(&m, &v, 8);
    memcpy(&e, (char *)&v + 8, 2);
    printf("%s = %04x:%016llx %La\n", name, e, m, v);
}

static long double g_init = 0.1L + 1;
static long double g_arr[] = {1e4000L, 0x1.fffffffffffffffep-16382L, 3.5L, -0.0L};

static void literals(void) {
    printf("%La\n", 1.0L);
    printf("%La\n", 0.1L);
    printf("%La\n", 0.2L);
    printf("%La\n", 0.3L);
    printf("%La\n", 1e-1L);
    printf("%La\n", 3.14159265358979323846264338327950288L);
    printf("%La\n", 2.718281828459045235360287471352662498L);
    printf("%La\n", 1e308L);
    printf("%La\n", 1e309L);
    printf("%La\n", 1e-308L);
    printf("%La\n", 1e-4950L);
    printf("%La\n", 3.6451995318824746025e-4951L);
    printf("%La\n", 1.18973149535723176502e+4932L);
    printf("%La\n", 1.18973149535723176503e+4932L);
    printf("%La\n", 0x1p-16446L);
    printf("%La\n", 0x1.0000000000000001p0L);
    printf("%La\n", 0x1.00000000000000008p0L);
    printf("%La\n", 0x1.00000000000000018p0L);
    printf("%La\n", 0x1.fffffffffffffffffp0L);
    printf("%La\n", 123456789012345678901234567890.5L);
    printf("%La\n", 9007199254740993.0L);
    printf("%La\n", 18446744073709551617.0L);
    printf("%La\n", 0.000000000000000000000000000001L);
    printf("%La\n", 4.9406564584124654e-324L);
    printf("%La\n", 2.2250738585072014e-308L);
    printf("%La\n", 1.00000000000000000000000000000000001L);
    printf("%La\n", 0.99999999999999999999999999L);
    printf("%La\n", .5e1L);
    printf("%La\n", 5.e-1L);
    printf("%La\n", 0x.8p1L);
    printf("%La\n", 0X1P+3L);
    printf("%La\n", 1e4932L);
    printf("%La\n", 1e-4951L);
    printf("%La\n", 7e-4951L);
    printf("%La\n", 21250919909e1528L);
    printf("%La\n", 960566905443639394257e3839L);
    printf("%La\n", 5992e4608L);
    printf("%La\n", 65e-1423L);
    printf("%La\n", 12e2164L);
    printf("%La\n", 33870412123024e-3454L);
    printf("%La\n", 68149772622318119e4324L);
    printf("%La\n", 3658e4611L);
    printf("%La\n", 74e4653L);
    printf("%La\n", 816993325457e4180L);
    printf("%La\n", 37960e1927L);
    printf("%La\n", 70869e-3011L);
    printf("%La\n", 1901042282212365708e4588L);
    printf("%La\n", 3465608723044488520e1161L);
    printf("%La\n", 8975e-3912L);
    printf("%La\n", 9157231070389319136e3771L);
    printf("%La\n", 44211436549913e2688L);
    printf("%La\n", 8359776232105486216e984L);
    printf("%La\n", 9362026907e-941L);
    printf("%La\n", 589e-21L);
}

int main(void) {
    literals();
    printf("mant=%d dig=%d maxexp=%d\n", LDBL_MANT_DIG, LDBL_DIG, LDBL_MAX_EXP);
    printf("%Lg %Lg %Lg\n", LDBL_MAX, LDBL_MIN, LDBL_EPSILON);
    bits("0.1L", 0.1L);
    bits("1/3", third());
    bits("g_init", g_init);
    for (int i = 0; i < 4; i++)
        bits("g_arr", g_arr[i]);
    bits("1e-4940L", 1e-4940L);
    bits("0x1p-16445L", 0x1p-16445L);
    bits("123456789012345678901234567890.0L", 123456789012345678901234567890.0L);
    long double a = 1.25L, b = 3;
    printf("%.20Lg %.20Lg %.20Lg %.20Lg\n", a + b, a - b, a * b, a / b);
    printf("%d %d %d %d %d %d\n", a < b, a <= b, a > b, a >= b, a == b, a != b);
    long double nan = NAN;
    printf("%d %d %d %d\n", nan == nan, nan != nan, nan < 1, !nan);
    printf("%.20Lf\n", -a);
    a += 2; a *= b; a -= 1; a /= 7;
    printf("%.21Lg\n", a);
    a++; --a;
    printf("%.21Lg\n", a);
    /* conversions */
    unsigned long long big = 18446744073709551615ULL;
    long double lb = big;
    printf("%.1Lf %llu %lld\n", lb, (unsigned long long)lb, (long long)-lb / 2);
    long double h = 9223372036854775808.0L;
    printf("%llu %llu\n", (unsigned long long)h, (unsigned long long)(h + 12345));
    printf("%d %u %d %hhd\n", (int)-3.99L, (unsigned)3e9L, (short)-123.5L, (signed char)100.9L);
    double d = 0.1L;
    float f = 0.1L;
    printf("%.17g %.9g %.20Lg %.20Lg\n", d, f, (long double)d, (long double)f);
    printf("%.20Lg %.20Lg\n", (long double)(int)-7, (long double)(unsigned char)200);
    __int128 w = (__int128)1 << 100;
    printf("%.20Lg\n", (long double)w);
    __int128 q = (__int128)-1e30L;
    unsigned __int128 uq = (unsigned __int128)3e38L;
    printf("%llx %llx %llx %llx\n", (unsigned long long)(q >> 64), (unsigned long long)q,
           (unsigned long long)(uq >> 64), (unsigned long long)uq);
    _Bool t = 0.5L;
    printf("%d %d\n", t, 0.0L ? 1 : 2);
    /* ABI */
    printf("%.20Lg\n", add3(1, 2, 0.5L));
    printf("%.20Lg\n", mixed(3, 2.5L, 0.5, 10, 4));
    printf("%.20Lg\n", many(1, 2, 3, 4, 5, 6, 7, 8, 9, 0.25L, 3, 0.125L));
    struct S1 s1 = mk1(2.75L);
    struct S2 s2 = mk2(1.5L);
    union U u;
    u.x = 6.5L;
    printf("%.20Lg %.20Lg %d %.20Lg %.20Lg\n", s1.x, s2.x, s2.tag, get2(s2), getu(u));
    printf("%.20Lg\n", sum(4, 1.0L, 2.5L, 1e-3L, third()));
    printf("%Lf %Lg %La %Le\n", 69.12L, 1e100L, 0.5L, third());
    printf("%5.2Lf|%-10.3Lg|%d\n", 3.14159L, 2.0L, 42);
    /* libc / libm */
    printf("%.20Lg %.20Lg\n", sqrtl(2.0L), strtold("1.00000000000000000001", 0));
    int ex;
    long double fr = frexpl(48.0L, &ex);
    printf("%.20Lg %d %.20Lg %.20Lg\n", fr, ex, fabsl(-2.5L), ldexpl(1.5L, 100));
    long double arr[] = {3.5L, -1, 1e10L, 0.1L, third(), -1e-10L};
    qsort(arr, 6, sizeof arr[0], cmpld);
    for (int i = 0; i < 6; i++)
        printf("%.21Lg ", arr[i]);
    long double huge = LDBL_MAX;
    printf("\n%d %d %d\n", __builtin_isinfl(huge * 1.01L), __builtin_isinfl(huge),
           __builtin_isinf(huge * 2));
    printf("%zu %zu\n", sizeof(long double), _Alignof(long double));
    return 0;
}

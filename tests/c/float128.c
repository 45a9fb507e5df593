/* __float128 / _Float128: libgcc soft-float arithmetic, conversions to and from every
   integer and floating type (x87 long double included), comparisons with NaN, constants
   (`q` and `f128` suffixes, folded exactly, static initializers), va_arg, mode(TC), and
   glibc's f128 classification and string functions. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <float.h>
#include <stdarg.h>
typedef __float128 q;
q add(q a, q b) { return a + b; }
q vsum(int n, ...) { va_list ap; va_start(ap, n); q s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, q); va_end(ap); return s; }
static q g = 1.0 / 3;
static _Float128 h = 0x1.8p1f128;
int main(void) {
    q a = 1, b = 3;
    q c = a / b;
    char buf[64];
    strfromf128(buf, sizeof buf, "%.33g", c);
    printf("%s\n", buf);
    strfromf128(buf, sizeof buf, "%.33g", g); printf("%s\n", buf);
    strfromf128(buf, sizeof buf, "%.33g", h); printf("%s\n", buf);
    printf("%d %d %d %d\n", c < a, c > a, c == c, c != a);
    double d = c; printf("%.17g\n", d);
    long double ld = c; printf("%.21Lg\n", ld);
    q back = ld; strfromf128(buf, sizeof buf, "%.33g", back); printf("%s\n", buf);
    long long ll = (q)1e18 * 3; printf("%lld\n", ll);
    unsigned long long ull = (q)18446744073709551615.0L; printf("%llu\n", ull);
    __int128 big = (q)1e30; printf("%lld\n", (long long)(big >> 64));
    q n = -c; printf("%d %d\n", signbit(n) != 0, signbit(c) != 0);
    q nanv = __builtin_nanf(""); printf("%d %d %d\n", isnan(nanv), isinf(c), nanv == nanv);
    strfromf128(buf, sizeof buf, "%.33g", vsum(3, a, b, c)); printf("%s\n", buf);
    strfromf128(buf, sizeof buf, "%.33g", add(a, b)); printf("%s\n", buf);
    q x = 2; x *= x; x++; strfromf128(buf, sizeof buf, "%.33g", x); printf("%s %d\n", buf, !x);
    printf("%zu %zu\n", sizeof(q), _Alignof(q));
    q s = strtof128("2.718281828459045235360287471352662497757", 0);
    strfromf128(buf, sizeof buf, "%.36g", s); printf("%s\n", buf);
    q lit = 1.5q + 0x1p-100Q; strfromf128(buf, sizeof buf, "%.40g", lit); printf("%s\n", buf);
    static const q folded = (q)1 / 3 * 3 - 1 + 2.5f128; strfromf128(buf, sizeof buf, "%.36a", folded); printf("%s\n", buf);
    static const long double ld_from_q = (long double)(1.0q / 7); printf("%La\n", ld_from_q);
    static const q q_from_ld = 1.0L / 7; strfromf128(buf, sizeof buf, "%.36a", q_from_ld); printf("%s\n", buf);
    typedef _Complex float __attribute__((mode(TC))) cq;
    printf("%zu %d\n", sizeof(cq), _Generic((q)0 + 1.0L, q: 1, long double: 2, default: 3));
    q qnan = nanv; printf("%d %d %d %d\n", qnan < 1, qnan >= 1, qnan != qnan, isless(qnan, (q)1));
    printf("%d %d\n", fpclassify((q)0) == FP_ZERO, fpclassify(1e-4940q) == FP_SUBNORMAL);
    printf("%d %d\n", isfinite(c), isnormal(1e-4940q));
    unsigned u = (q)4294967295.0; int neg = (q)-2147483648.0; printf("%u %d\n", u, neg);
    q from_u = 18446744073709551615ull; strfromf128(buf, sizeof buf, "%.36a", from_u); printf("%s\n", buf);
    return 0;
}

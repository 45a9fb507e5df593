/* The callee half of the __float128 ABI interop test (see tests/abi_interop.rs). */
#include <stdarg.h>

typedef __float128 q;

q q_add(q a, q b) { return a + b; }
q q_mix(float f, q a, double d, long double ld, q b) { return a * f + b * d - ld; }
/* Ten: the last two no longer fit in the eight SSE registers. */
q q_many(q a, q b, q c, q d, q e, q f, q g, q h, q i, q j) {
    return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10;
}
struct qs { q v; };
struct qs qs_half(struct qs s) { s.v /= 2; return s; }
struct qi { int k; q v; };
struct qi qi_next(struct qi s) { s.k++; s.v = s.v * s.v; return s; }
q q_varsum(int n, ...) {
    va_list ap;
    va_start(ap, n);
    q s = 0;
    for (int k = 0; k < n; k++) {
        if (k % 2)
            s += va_arg(ap, double);
        else
            s += va_arg(ap, q);
    }
    va_end(ap);
    return s;
}
long long q_trunc(q a) { return (long long)a; }

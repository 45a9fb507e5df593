/* The callee half of the GNU vector ABI interop test (see tests/abi_interop.rs). */
#include <stdarg.h>

typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));
typedef short v4hi __attribute__((vector_size(8)));
typedef long v4di __attribute__((vector_size(32)));

v4si si_add(v4si a, v4si b) { return a + b; }
v4sf sf_mix(float s, v4sf a, double d, v4sf b) { return a * s + b * (float)d; }
v2df df_scale(v2df a, int k) { return a * (double)k; }
v4hi hi_neg(v4hi a) { return -a; }
v4di di_add(v4di a, v4di b) { return a + b; } /* 32 bytes: memory (no AVX) */

/* Ten vectors: the last two no longer fit in the eight SSE registers. */
v4si si_many(v4si a, v4si b, v4si c, v4si d, v4si e, v4si f, v4si g, v4si h, v4si i, v4si j) {
    return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10;
}

struct wrap { v4sf v; };
struct wrap wrap_twice(struct wrap w) { w.v = w.v * 2; return w; }
struct pair { v4hi a; double d; };
struct pair pair_swap(struct pair p) { struct pair r = { -p.a, p.d * 3 }; return r; }

v4si si_varsum(int n, ...) {
    va_list ap;
    va_start(ap, n);
    v4si s = {0, 0, 0, 0};
    for (int k = 0; k < n; k++) {
        s += va_arg(ap, v4si);
        s[0] += va_arg(ap, int);
        v2df d = va_arg(ap, v2df);
        s[1] += (int)d[1];
    }
    va_end(ap);
    return s;
}

/* A 32-aligned struct in memory after a stack argument: it sits at offset 32 of the area. */
struct a32 { double a, b, c, d; } __attribute__((aligned(32)));
double a32_sum(long r1, long r2, long r3, long r4, long r5, long r6, long s1, struct a32 x,
               long s2) {
    return r1 + r2 + r3 + r4 + r5 + r6 + s1 * 1000 + x.a + x.b * 2 + x.c * 3 + x.d * 4 +
           s2 * 100000;
}

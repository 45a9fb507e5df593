/* The caller half of the GNU vector ABI interop test (see tests/abi_interop.rs). */
#include <stdio.h>

typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));
typedef short v4hi __attribute__((vector_size(8)));
typedef long v4di __attribute__((vector_size(32)));

v4si si_add(v4si a, v4si b);
v4sf sf_mix(float s, v4sf a, double d, v4sf b);
v2df df_scale(v2df a, int k);
v4hi hi_neg(v4hi a);
v4di di_add(v4di a, v4di b);
v4si si_many(v4si a, v4si b, v4si c, v4si d, v4si e, v4si f, v4si g, v4si h, v4si i, v4si j);
struct wrap { v4sf v; };
struct wrap wrap_twice(struct wrap w);
struct pair { v4hi a; double d; };
struct pair pair_swap(struct pair p);
v4si si_varsum(int n, ...);
struct a32 { double a, b, c, d; } __attribute__((aligned(32)));
double a32_sum(long r1, long r2, long r3, long r4, long r5, long r6, long s1, struct a32 x,
               long s2);

static void p4i(const char *w, v4si v) { printf("%s %d %d %d %d\n", w, v[0], v[1], v[2], v[3]); }
static void p4f(const char *w, v4sf v) { printf("%s %a %a %a %a\n", w, v[0], v[1], v[2], v[3]); }

int main(void) {
    v4si a = {1, 2, 3, 4}, b = {10, 20, 30, 40};
    p4i("si_add", si_add(a, b));
    v4sf x = {0.5f, 1.5f, -2.0f, 3.25f}, y = {1, 2, 3, 4};
    p4f("sf_mix", sf_mix(2.0f, x, 0.25, y));
    v2df d = df_scale((v2df){1.5, -0.125}, 3);
    printf("df_scale %a %a\n", d[0], d[1]);
    v4hi h = hi_neg((v4hi){1, -2, 300, -32767});
    printf("hi_neg %d %d %d %d\n", h[0], h[1], h[2], h[3]);
    v4di q = di_add((v4di){1, 2, 3, 4}, (v4di){5, 6, 7, 1L << 40});
    printf("di_add %ld %ld %ld %ld\n", q[0], q[1], q[2], q[3]);
    p4i("si_many", si_many(a, b, a, b, a, b, a, b, a, (v4si){7, 7, 7, 7}));
    struct wrap w = wrap_twice((struct wrap){{1, 2, 3, 4}});
    p4f("wrap", w.v);
    struct pair p = pair_swap((struct pair){{5, 6, 7, 8}, 1.5});
    printf("pair %d %d %d %d %a\n", p.a[0], p.a[1], p.a[2], p.a[3], p.d);
    p4i("varsum", si_varsum(2, a, 100, (v2df){0, 9.5}, b, 1000, (v2df){1, 90.0}));
    struct a32 big = {1.5, 2.5, 3.5, 4.5};
    printf("a32 %a\n", a32_sum(1, 2, 3, 4, 5, 6, 7, big, 9));
    return 0;
}

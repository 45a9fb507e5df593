/* The caller half of the __float128 ABI interop test (see tests/abi_interop.rs). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

typedef __float128 q;

q q_add(q a, q b);
q q_mix(float f, q a, double d, long double ld, q b);
q q_many(q a, q b, q c, q d, q e, q f, q g, q h, q i, q j);
struct qs { q v; };
struct qs qs_half(struct qs s);
struct qi { int k; q v; };
struct qi qi_next(struct qi s);
q q_varsum(int n, ...);
long long q_trunc(q a);

static void pq(const char *w, q v) {
    char b[80];
    strfromf128(b, sizeof b, "%.36a", v);
    printf("%s %s\n", w, b);
}

int main(void) {
    q third = (q)1 / 3, big = 1e300q * 1e300q;
    pq("add", q_add(third, 1.25q));
    pq("add_big", q_add(big, -1));
    pq("mix", q_mix(1.5f, third, 0.1, 0.25L, 7));
    pq("many", q_many(1, 2, 3, 4, 5, 6, 7, 8, 9, third));
    struct qs s = {third};
    pq("half", qs_half(s).v);
    struct qi i = {41, third};
    struct qi r = qi_next(i);
    printf("next %d\n", r.k);
    pq("next", r.v);
    pq("varsum", q_varsum(5, third, 0.5, 2.0q, 0.25, 1e-40q));
    printf("trunc %lld\n", q_trunc(-123456789012.75q));
    return 0;
}

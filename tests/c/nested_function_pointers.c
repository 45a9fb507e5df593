/* GNU C nested functions whose address is taken (trampolines): passed to qsort and to a
   callback, stored and called later while the parent is live, compared, taken in a
   recursive parent (each activation's pointer sees its own frame), struct and floating
   arguments and results, and a nested function of a nested function passed out. */
#include <stdio.h>
#include <stdlib.h>

struct pair { long a, b; };
struct big { long v[5]; };

static void each(const int *a, int n, void (*cb)(int)) {
    for (int i = 0; i < n; i++)
        cb(a[i]);
}

static int apply(int (*f)(int), int v) { return f(v); }

static int sort_and_sum(int *a, int n, int descending) {
    int compares = 0;
    long sum = 0;
    int cmp(const void *x, const void *y) {
        compares++;
        int d = *(const int *)x - *(const int *)y;
        return descending ? -d : d;
    }
    void acc(int v) { sum = sum * 3 + v; }
    qsort(a, n, sizeof *a, cmp);
    each(a, n, acc);
    void (*p)(int) = acc;
    p(1);
    printf("same pointer: %d, compared: %d\n", p == acc, compares > 0);
    return (int)(sum % 100000);
}

static int depth_sum(int d) {
    int me = d * d;
    int get(int add) { return me + add; }
    int (*g)(int) = get;
    int below = d > 0 ? depth_sum(d - 1) : 0;
    me += 1; /* the trampoline reads the live value */
    return below * 7 + apply(g, d);
}

static double mixed(double scale) {
    struct pair shift = {3, 4};
    double f(float x, struct pair p, double y) { return x * scale + p.a * shift.b + y - p.b; }
    struct big mk(int k) {
        struct big b;
        for (int i = 0; i < 5; i++)
            b.v[i] = k * i + shift.a;
        return b;
    }
    double (*fp)(float, struct pair, double) = f;
    struct big (*mp)(int) = mk;
    struct pair q = {5, 6};
    struct big b = mp(2);
    return fp(1.5f, q, 0.25) + b.v[4];
}

static int chain_out(int base) {
    int middle(int k) {
        int leaf(int v) { return v + k + base; }
        return apply(leaf, 100);
    }
    int (*m)(int) = middle;
    return m(10) + apply(middle, 20);
}

int main(void) {
    int a[] = {5, 3, 9, 1, 7, 2};
    printf("%d\n", sort_and_sum(a, 6, 0));
    printf("%d\n", sort_and_sum(a, 6, 1));
    printf("depth: %d\n", depth_sum(6));
    printf("mixed: %.3f\n", mixed(2.0));
    printf("chain: %d\n", chain_out(1000));
    for (int i = 0; i < 3000; i++) /* trampolines are returned to the pool */
        if (depth_sum(2) != depth_sum(2))
            return 1;
    return 0;
}

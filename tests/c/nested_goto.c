/* GNU C nested functions: non-local goto to a `__label__` of the parent (also out of a
   qsort callback and from two levels down), locals after the jump hold their last values,
   a recursive parent jumps in the right activation; `&&label` of the parent's `__label__`
   taken in a nested function and used by the parent's computed goto; trampolines of nested functions whose
   integer arguments overflow the registers; the program's own setjmp/longjmp alongside. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf user_buf;

static int find_first_negative(int *a, int n) {
    __label__ found;
    int where = -1;
    void check(int i) {
        if (a[i] < 0) {
            where = i;
            goto found;
        }
    }
    for (int i = 0; i < n; i++)
        check(i);
    return -1;
found:
    return where;
}

static int abort_sort(int *a, int n) {
    __label__ stop;
    int seen = 0;
    int cmp(const void *x, const void *y) {
        if (++seen == 3)
            goto stop;
        return *(const int *)x - *(const int *)y;
    }
    qsort(a, n, sizeof *a, cmp);
    return -1;
stop:
    return seen * 10;
}

static int two_levels(int k) {
    __label__ out;
    int trace = 0;
    void middle(int j) {
        void leaf(int i) {
            trace = trace * 10 + i;
            if (i == k)
                goto out;
        }
        for (int i = 1; i <= j; i++)
            leaf(i);
        trace += 1000;
    }
    middle(5);
    return -trace;
out:
    return trace;
}

static int recursive(int d, int target) {
    __label__ hit;
    int mine = d;
    void probe(void) {
        if (d == target)
            goto hit;
    }
    probe();
    if (d > 0)
        return recursive(d - 1, target) + mine;
    return 0;
hit:
    return 100 * mine;
}

static int dispatch(int n) {
    __label__ one, two, other;
    int hops = 0;
    void *pick(int k) {
        hops++;
        if (k == 1)
            return &&one;
        if (k == 2)
            return &&two;
        return &&other;
    }
    void bail(void) { goto other; }
    goto *pick(n);
one:
    return 100 + hops;
two:
    if (hops < 3)
        goto *pick(2);
    bail();
    return -1;
other:
    return 300 + hops;
}

static long eight(int base) {
    long total = 0;
    long add8(long a, long b, long c, long d, long e, long f, long g, long h) {
        total += a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + base;
        return total;
    }
    struct s3 { long x, y, z; };
    long with_struct(int a, int b, int c, int d, int e, struct s3 s, int f) {
        return a + b + c + d + e + f + s.x * 100 + s.y * 10 + s.z + base;
    }
    long (*p)(long, long, long, long, long, long, long, long) = add8;
    long (*q)(int, int, int, int, int, struct s3, int) = with_struct;
    struct s3 s = {1, 2, 3};
    p(1, 2, 3, 4, 5, 6, 7, 8);
    return p(8, 7, 6, 5, 4, 3, 2, 1) * 1000 + q(1, 2, 3, 4, 5, s, 6);
}

int main(void) {
    int a[] = {4, 8, 15, -16, 23, -42};
    int b[] = {9, 8, 7, 6, 5, 4, 3};
    printf("first negative: %d\n", find_first_negative(a, 6));
    printf("no negative: %d\n", find_first_negative(b, 7));
    printf("abort sort: %d\n", abort_sort(b, 7));
    printf("two levels: %d %d\n", two_levels(3), two_levels(9));
    printf("recursive: %d %d\n", recursive(5, 2), recursive(5, -1));
    printf("dispatch: %d %d %d\n", dispatch(1), dispatch(2), dispatch(7));
    printf("eight: %ld\n", eight(100));
    if (setjmp(user_buf) == 0)
        longjmp(user_buf, 7);
    printf("user setjmp ok\n");
    return 0;
}

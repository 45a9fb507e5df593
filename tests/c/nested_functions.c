/* GNU C nested functions called directly: captured locals and parameters read and written
   (live values), recursion of the parent (each activation its own frame), nested functions
   of nested functions, `auto` forward declarations, K&R-style nested definitions, and
   variably modified parameters evaluated on each call. */
#include <stdio.h>

typedef int T;

static unsigned outer(int n) {
    unsigned acc = 0;
    T step = 2;
    auto int countdown(int);
    void add(int v) { acc += v * step; }
    unsigned twice(int v) {
        unsigned inner(int w) { return w + step + acc; }
        unsigned deeper(void) {
            unsigned innermost(int z) { return z + inner(z) + n; }
            return innermost(v);
        }
        return inner(v) * 2 + deeper();
    }
    int countdown(int k) {
        if (k == 0)
            return 0;
        add(k);
        return countdown(k - 1) + 1;
    }
    for (int i = 0; i < n; i++)
        add(i);
    step = 3; /* seen by add() from now on */
    add(1);
    int r = countdown(3);
    if (n > 0)
        acc += outer(n - 1); /* a new frame: this activation's acc is untouched meanwhile */
    return acc * 1000 + twice(5) * 10 + r;
}

static long mutate(long x) {
    struct { int a; long b; } s = {1, 2};
    double d = 0.5;
    char buf[8] = "abc";
    void bump(void) {
        x *= 3;
        s.a += 10;
        s.b -= 1;
        d *= 4;
        buf[1] = 'Z';
    }
    bump();
    bump();
    return x + s.a + s.b + (long)d + buf[1];
}

static int kr(int base) {
    int g(i) { return base + i; }
    int h() { return base * 2; }
    return g(5) + h();
}

static int vla_param(int n) {
    int calls = 0;
    int rowbytes(char a[2][++n]) {
        calls++;
        return sizeof a[0];
    }
    int r1 = rowbytes(0);
    int r2 = rowbytes(0);
    return r1 * 100 + r2 * 10 + calls + n;
}

static int vla_capture(int n) {
    int sum = 0;
    for (int k = 1; k <= 3; k++) {
        int a[n + k];
        void fill(int v) {
            for (int i = 0; i < n + k; i++)
                a[i] = v + i;
        }
        fill(k * 10);
        for (int i = 0; i < n + k; i++)
            sum += a[i];
    }
    return sum;
}

static int shadow(int x) {
    int f(int x) { return x * 2; } /* its parameter hides the parent's x */
    int y = f(x + 1);
    {
        int x = 100;
        int g(void) { return x + y; } /* the inner x */
        y = g();
    }
    return y + x;
}

int main(void) {
    printf("outer: %u %u\n", outer(0), outer(4));
    printf("mutate: %ld\n", mutate(7));
    printf("kr: %d\n", kr(4));
    printf("vla_param: %d\n", vla_param(1));
    printf("vla_capture: %d\n", vla_capture(2));
    printf("shadow: %d\n", shadow(5));
    return 0;
}

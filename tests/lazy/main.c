/* Lazy compilation's hard cases, run under `cfree run -flazy` and compared with gcc:
 * pointers taken before the first call, recursion, statics shared between lazily compiled
 * functions, a static function with the name of another file's global one, every kind of
 * argument register (integers, doubles, floats, x87 long double, structs in memory and in
 * registers, stack arguments, varargs), constructors, and first calls from many threads at
 * once. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int shared_name(int x);           /* other.c's global one */
int call_other_shared(int x);     /* other.c calls its own */
static int shared_name_here(int x) { return x + 1000; }
#define shared_name_local shared_name_here

static int counter;
static int bump(void) { return ++counter; }
static int bump_twice(void) { bump(); return bump(); }

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int never_called(int x) { return x * 3; }

static const char *const names[] = {"zero", "one", "two"};
static const char *name_of(int i) { return names[i]; }

struct pair { long a, b; };
struct triple { long a, b, c; };
struct mixed { double d; int i; };
static struct triple make_triple(long x) { struct triple t = {x, x * 2, x * 3}; return t; }
static struct pair swap(struct pair p) { struct pair q = {p.b, p.a}; return q; }
static double sum_mixed(struct mixed m, float f) { return m.d + m.i + f; }
static long double ld_scale(long double x, int k) { return x * k; }
static long many(long a, long b, long c, long d, long e, long f, long g, long h, double x0,
                 double x1, double x2, double x3, double x4, double x5, double x6, double x7,
                 double x8, long i) {
    return a + b + c + d + e + f + g + h + (long)(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8) + i;
}
static int vsum(int n, ...) {
    va_list ap;
    int s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) s += va_arg(ap, int);
    va_end(ap);
    return s;
}
static double vdsum(int n, ...) {
    va_list ap;
    double s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) s += va_arg(ap, double);
    va_end(ap);
    return s;
}

static int ctor_ran;
__attribute__((constructor)) static void at_start(void) { ctor_ran = 42; }

/* First called by all threads at the same moment. */
static long slow_square(long x) {
    volatile long s = 0;
    for (long i = 0; i < x; i++) s += x;
    return s;
}
static pthread_barrier_t barrier;
static void *worker(void *arg) {
    long i = (long)arg;
    pthread_barrier_wait(&barrier);
    return (void *)slow_square(1000 + i);
}

int main(void) {
    int (*early)(int) = fib;
    int (*never)(int) = never_called;
    printf("ctor %d\n", ctor_ran);
    printf("fib %d %d same %d\n", fib(20), early(15), early == fib);
    printf("never taken %d\n", never == never_called);
    int b1 = bump();
    int b2 = bump_twice();
    printf("bump %d %d counter %d\n", b1, b2, counter);
    printf("names %s %s %d\n", name_of(2), name_of(0), name_of(1) == names[1]);
    printf("shared %d %d %d\n", shared_name(1), shared_name_local(1), call_other_shared(2));
    struct triple t = make_triple(7);
    struct pair p = swap((struct pair){3, 4});
    struct mixed m = {1.5, 2};
    printf("structs %ld %ld %ld %ld %ld %.2f\n", t.a, t.b, t.c, p.a, p.b, sum_mixed(m, 0.25f));
    printf("long double %.3Lf\n", ld_scale(1.25L, 3));
    printf("many %ld\n", many(1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100));
    printf("varargs %d %.1f\n", vsum(5, 1, 2, 3, 4, 5), vdsum(3, 0.5, 1.5, 2.0));
    enum { N = 8 };
    pthread_t th[N];
    pthread_barrier_init(&barrier, NULL, N);
    for (long i = 0; i < N; i++) pthread_create(&th[i], NULL, worker, (void *)i);
    long total = 0;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(th[i], &r);
        total += (long)r;
    }
    printf("threads %ld\n", total);
    return 0;
}

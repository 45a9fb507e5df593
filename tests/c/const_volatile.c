/* const and volatile qualifiers: const data, const pointers, volatile loops and accesses. */
#include <stdio.h>
#include <string.h>

static const int table[5] = {2, 3, 5, 7, 11};
static const char *const names[] = {"zero", "one", "two"};
static volatile int ticks;
struct config { const int id; const char *label; int mutable_count; };

static int sum_const(const int *p, int n)
{
    int s = 0;
    while (n--)
        s += *p++;
    return s;
}

static void tick(volatile int *t, int n)
{
    for (int i = 0; i < n; i++)
        (*t)++;
}

static size_t count_const(const char *const *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(v[i]);
    return total;
}

int main(void)
{
    printf("sum %d\n", sum_const(table, 5));
    printf("names %zu\n", count_const(names, 3));

    tick(&ticks, 1000);
    printf("ticks %d\n", ticks);

    volatile int v = 0;
    for (int i = 0; i < 10; i++)
        v += i;
    int r = v;
    printf("v %d\n", r);

    /* volatile reads happen each time */
    volatile unsigned char reg = 5;
    int a = reg, b = reg, c = reg + reg;
    printf("%d %d %d\n", a, b, c);

    struct config cfg = {7, "seven", 0};
    cfg.mutable_count += 2;
    printf("%d %s %d\n", cfg.id, cfg.label, cfg.mutable_count);

    /* const local arrays and const-qualified compound literal */
    const double weights[] = {0.5, 0.25, 0.25};
    double acc = 0;
    for (int i = 0; i < 3; i++)
        acc += weights[i] * (i + 1);
    printf("%.3f\n", acc);
    const int *lit = (const int[]){9, 8, 7};
    printf("%d\n", lit[1]);

    /* pointer conversions adding qualifiers */
    int m = 4;
    int *pm = &m;
    const int *cpm = pm;
    volatile int *vpm = pm;
    const volatile int *cvpm = pm;
    *vpm = 6;
    printf("%d %d %d\n", *cpm, *vpm, *cvpm);

    /* const in parameters of different levels */
    char buf[16] = "mutable";
    char *const fixed = buf;
    fixed[0] = 'M';
    printf("%s\n", fixed);

    /* sizeof is unaffected by qualifiers */
    printf("%zu %zu %zu\n", sizeof(const int), sizeof(volatile double), sizeof(const char *const));

    /* volatile struct */
    volatile struct { int x, y; } vs = {1, 2};
    vs.x += vs.y;
    printf("%d %d\n", vs.x, vs.y);
    return 0;
}

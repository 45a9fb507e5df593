/* Function pointers: tables, callbacks, returning function pointers, pointers to variadic
 * library functions, comparison and conversion of function pointers. */
#include <stdio.h>
#include <string.h>

typedef double (*unary)(double);
typedef int (*cmp_fn)(const void *, const void *);

static double sq(double x) { return x * x; }
static double half(double x) { return x / 2; }
static double negate(double x) { return -x; }

static double apply_all(double x, unary *fs, int n)
{
    for (int i = 0; i < n; i++)
        x = fs[i](x);
    return x;
}

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int (*pick(char op))(int, int)
{
    switch (op) {
    case '+': return add;
    case '-': return sub;
    case '*': return mul;
    }
    return NULL;
}

static void for_each(int *v, int n, void (*cb)(int *, void *), void *ctx)
{
    for (int i = 0; i < n; i++)
        cb(&v[i], ctx);
}

static void accumulate(int *x, void *ctx) { *(long *)ctx += *x; }
static void scale(int *x, void *ctx) { *x *= *(int *)ctx; }

struct command { const char *name; int (*run)(int); };
static int cmd_inc(int x) { return x + 1; }
static int cmd_dbl(int x) { return x * 2; }
static int cmd_sqr(int x) { return x * x; }

static int run_script(const char *script, int x)
{
    static const struct command cmds[] = {{"inc", cmd_inc}, {"dbl", cmd_dbl}, {"sqr", cmd_sqr}};
    char word[8];
    int pos = 0, used;
    while (sscanf(script + pos, "%7s%n", word, &used) == 1) {
        pos += used;
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (strcmp(cmds[i].name, word) == 0)
                x = cmds[i].run(x);
    }
    return x;
}

int main(void)
{
    unary chain[] = {sq, half, negate, sq};
    printf("%g\n", apply_all(3, chain, 4));
    unary u = &sq;
    printf("%g %g\n", u(1.5), (*u)(2.5));
    printf("%g\n", (**&u)(4));

    const char *exprs = "+-*";
    for (const char *p = exprs; *p; p++)
        printf("7 %c 3 = %d\n", *p, pick(*p)(7, 3));
    printf("unknown op null %d\n", pick('/') == NULL);

    int v[5] = {1, 2, 3, 4, 5};
    long total = 0;
    int factor = 3;
    for_each(v, 5, scale, &factor);
    for_each(v, 5, accumulate, &total);
    printf("total %ld\n", total);

    printf("script %d\n", run_script("inc dbl sqr inc", 2));

    int (*printer)(const char *, ...) = printf;
    printer("via pointer %d %s\n", 5, "ok");

    printf("%d %d\n", add == pick('+'), (void (*)(void))add == (void (*)(void))sub);
    /* an array of pointers to functions returning pointers to functions */
    int (*(*pickers[2])(char))(int, int) = {pick, pick};
    printf("%d\n", pickers[1]('*')(6, 7));
    return 0;
}

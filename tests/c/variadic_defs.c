/* Defining variadic functions: va_start/va_arg/va_end for int, long, double, pointers;
 * va_copy; passing a va_list to vprintf/vsnprintf/vfprintf; many arguments (stack). */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int sum_ints(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

static double avg_doubles(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, double);
    va_end(ap);
    return n ? s / n : 0;
}

/* format: i=int l=long d=double s=string p=int pointer c=char */
static void typed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        switch (*f) {
        case 'i': printf("i:%d ", va_arg(ap, int)); break;
        case 'l': printf("l:%ld ", va_arg(ap, long)); break;
        case 'd': printf("d:%g ", va_arg(ap, double)); break;
        case 's': printf("s:%s ", va_arg(ap, const char *)); break;
        case 'p': { int *p = va_arg(ap, int *); printf("p:%d ", *p); break; }
        case 'c': printf("c:%c ", (char)va_arg(ap, int)); break;
        }
    }
    va_end(ap);
    printf("\n");
}

static long max_of(int n, ...)
{
    va_list ap, again;
    va_start(ap, n);
    va_copy(again, ap);
    long best = va_arg(ap, long);
    for (int i = 1; i < n; i++) {
        long v = va_arg(ap, long);
        if (v > best)
            best = v;
    }
    va_end(ap);
    int count = 0;
    for (int i = 0; i < n; i++)
        if (va_arg(again, long) == best)
            count++;
    va_end(again);
    printf("max %ld appears %d times\n", best, count);
    return best;
}

static void logf_(const char *level, const char *fmt, ...)
{
    va_list ap;
    printf("[%s] ", level);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static void err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static char *fmt_alloc(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    printf("vsnprintf wanted %d chars\n", need);
    return buf;
}

static void vsum(int n, va_list ap, double *out)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, double);
    *out = s;
}

static double sum_via_vlist(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    double r;
    vsum(n, ap, &r);
    va_end(ap);
    return r;
}

/* mixed named arguments before the ellipsis */
static double mixed(int a, double b, int c, double d, const char *tag, ...)
{
    va_list ap;
    va_start(ap, tag);
    double total = a + b + c + d;
    int k;
    while ((k = va_arg(ap, int)) != 0)
        total += k * va_arg(ap, double);
    va_end(ap);
    printf("%s ", tag);
    return total;
}

int main(void)
{
    printf("%d\n", sum_ints(0));
    printf("%d\n", sum_ints(3, 10, 20, 30));
    printf("%d\n", sum_ints(12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    printf("%g\n", avg_doubles(10, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0));
    int x = 77;
    typed("ildspc", -5, 1L << 40, 2.5, "str", &x, 'Z');
    typed("dddddddddiiiiiiii", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1, 2, 3, 4, 5, 6,
          7, 8);
    max_of(6, 3L, 9L, -2L, 9L, 1L << 33, 1L << 33);
    logf_("info", "%d items, %.2f each, %s\n", 3, 1.5, "ok");
    err("code %d: %s\n", 42, "to stderr");
    char small[10];
    printf("[%s]\n", fmt_alloc(small, sizeof small, "%s-%d", "truncated string", 12345));
    printf("%g\n", sum_via_vlist(4, 0.5, 0.25, 0.125, 0.0625));
    float fl = 0.5f;
    printf("%g\n", mixed(1, 2.0, 3, 4.0, "mixed", 2, 0.5, 3, fl, 4, 0.25, 0));
    return 0;
}

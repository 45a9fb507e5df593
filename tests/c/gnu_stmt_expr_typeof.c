/* GNU C: statement expressions, typeof, __typeof__, __auto_type, and macros built on them. */
#include <stdio.h>

#define MAX(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define SWAP(x, y) do { typeof(x) _t = (x); (x) = (y); (y) = _t; } while (0)
#define SQUARE(x) ({ __auto_type _v = (x); _v * _v; })
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SUM_ARRAY(a) ({                       \
    __typeof__((a)[0]) _s = 0;                \
    for (size_t _i = 0; _i < ARRAY_LEN(a); _i++) \
        _s += (a)[_i];                        \
    _s;                                       \
})

static int calls;
static int next(void) { return ++calls; }

int main(void)
{
    /* arguments evaluated exactly once */
    int m = MAX(next(), next());
    printf("max %d calls %d\n", m, calls);
    printf("max double %g\n", MAX(2.5, 1.5));
    printf("max mixed %g\n", MAX(3, 2.75));

    int a = 1, b = 2;
    SWAP(a, b);
    printf("swap %d %d\n", a, b);
    double x = 1.5, y = -1.5;
    SWAP(x, y);
    printf("swap %g %g\n", x, y);

    printf("square %d %g %lld\n", SQUARE(7), SQUARE(1.5), SQUARE(3000000000LL));

    int ints[] = {1, 2, 3, 4, 5};
    double dbls[] = {0.5, 0.25, 0.125};
    printf("sum %d %g\n", SUM_ARRAY(ints), SUM_ARRAY(dbls));

    /* statement expression with local declarations and control flow */
    int v = ({
        int t = 0;
        for (int i = 0; i < 10; i++) {
            if (i == 7)
                break;
            t += i;
        }
        t * 2;
    });
    printf("v %d\n", v);

    /* typeof of expressions and types */
    typeof(int *) p = &a;
    typeof(*p) q = 10;
    typeof(dbls) copy = {9, 8, 7};
    __typeof__(ints[0] + 0.0f) fl = 1.5f;
    printf("%d %d %g %zu %zu\n", *p, q, copy[1], sizeof copy, sizeof fl);
    typeof(char[4]) four = "abc";
    printf("%s %zu\n", four, sizeof four);

    /* __auto_type deduces from the initialiser */
    __auto_type big = 1ULL << 40;
    __auto_type ratio = 3 / 2.0;
    printf("%zu %llu %g\n", sizeof big, big, ratio);

    /* nested statement expressions */
    int nested = ({ int o = ({ int i = 3; i * i; }); o + 1; });
    printf("nested %d\n", nested);
    return 0;
}

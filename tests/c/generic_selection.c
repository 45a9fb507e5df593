/* C11 _Generic: dispatch by type, qualifiers dropped, default, pointer types, macros. */
#include <stdio.h>
#include <stddef.h>

static const char *int_fmt(int x) { static char b[32]; snprintf(b, 32, "int:%d", x); return b; }
static const char *dbl_fmt(double x) { static char b[32]; snprintf(b, 32, "double:%g", x); return b; }
static const char *str_fmt(const char *x) { static char b[32]; snprintf(b, 32, "string:%s", x); return b; }
static const char *ptr_fmt(const void *p) { return p ? "other pointer" : "null pointer"; }

#define FMT(x) _Generic((x), int: int_fmt, double: dbl_fmt, char *: str_fmt, \
                         const char *: str_fmt, default: ptr_fmt)(x)

#define TYPENAME(x) _Generic((x),                                                 \
    _Bool: "_Bool", char: "char", signed char: "signed char",                   \
    unsigned char: "unsigned char", short: "short", unsigned short: "unsigned short", \
    int: "int", unsigned: "unsigned", long: "long", unsigned long: "unsigned long", \
    long long: "long long", unsigned long long: "unsigned long long",           \
    float: "float", double: "double", long double: "long double",               \
    int *: "int *", const int *: "const int *", void *: "void *",               \
    char *: "char *", default: "other")

#define ABS(x) _Generic((x), int: abs_i, long: abs_l, double: abs_d)(x)
static int abs_i(int x) { return x < 0 ? -x : x; }
static long abs_l(long x) { return x < 0 ? -x : x; }
static double abs_d(double x) { return x < 0 ? -x : x; }

struct pt { int x; };

int main(void)
{
    printf("%s\n", FMT(42));
    printf("%s\n", FMT(2.5));
    printf("%s\n", FMT("hello"));
    const char *cs = "const";
    printf("%s\n", FMT(cs));
    long lv = 1;
    printf("%s %s\n", FMT(&lv), FMT((void *)0));

    char c = 'a';
    short s = 1;
    const int ci = 3;
    int arr[3];
    const int *cip = &ci;
    struct pt p = {1};
    printf("%s %s %s %s\n", TYPENAME(c), TYPENAME(s), TYPENAME(ci), TYPENAME(arr));
    printf("%s %s %s %s\n", TYPENAME(cip), TYPENAME(p), TYPENAME(1.0f), TYPENAME(1.0L));
    printf("%s %s %s\n", TYPENAME(c + 1), TYPENAME(s * s), TYPENAME((unsigned char)1 + 1u));
    printf("%s %s %s\n", TYPENAME(1ul), TYPENAME(sizeof(int)), TYPENAME((ptrdiff_t)0));
    printf("%s %s\n", TYPENAME((_Bool)1), TYPENAME(c == 'a'));
    printf("%s %s\n", TYPENAME("lit"), TYPENAME(&arr[0]));
    printf("%s\n", TYPENAME((void *)0));

    printf("%d %ld %g\n", ABS(-5), ABS(-7L), ABS(-2.5));

    /* the controlling expression is not evaluated */
    int n = 0;
    int r = _Generic(n++, int: 10, default: 20);
    printf("%d %d\n", r, n);
    return 0;
}

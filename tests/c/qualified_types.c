/* Type qualifiers are part of types: _Generic tells `const int *` from `int *`, `?:` merges
   the pointees' qualifiers (C11 6.5.15p6), `(void const *)0` is not a null pointer constant,
   members of const objects are const, and parameter qualifiers do not change function types. */
#include <stdio.h>

#define KIND(x) _Generic((x), \
    int *: "int *", \
    const int *: "const int *", \
    volatile int *: "volatile int *", \
    const volatile int *: "const volatile int *", \
    void *: "void *", \
    const void *: "const void *", \
    volatile void *: "volatile void *", \
    const volatile void *: "const volatile void *", \
    int: "int", \
    const char *: "const char *", \
    char *: "char *", \
    default: "other")

struct point { int x, y; };
typedef const int cint;

static int add(const int a, int b) { return a + b; }
static int (*op)(int, const int) = add; /* same function type */

int main(int argc, char **argv) {
    (void)argv;
    int i = 1;
    const int ci = 2;
    const int *const cp = &ci;
    int *ip = &i;
    volatile int vi = 3;
    const struct point cpt = {4, 5};
    cint typed = 6;
    puts(KIND(ip));
    puts(KIND(cp));
    puts(KIND(&ci));
    puts(KIND(&vi));
    puts(KIND(&cpt.x));
    puts(KIND(&typed));
    puts(KIND(ci)); /* lvalue conversion drops the qualifier */
    puts(KIND(argc ? ip : cp));
    puts(KIND(argc ? &vi : cp));
    puts(KIND(0 ? (int volatile *)0 : (void const *)0));
    puts(KIND(0 ? (void *)0 : cp));        /* null pointer constant: the other type */
    puts(KIND(0 ? (void const *)0 : ip));  /* not a null pointer constant */
    puts(KIND(argc ? (void *)ip : (const void *)cp));
    puts(KIND("literal"));
    puts(KIND((const char *)"x"));
    const void *vp = cp;
    const char *bytes = (const char *)vp + 1; /* GNU: arithmetic on const void * */
    printf("%d %d\n", (int)(bytes - (const char *)vp), op(ci, 40));
    printf("%d %d %d\n", __builtin_types_compatible_p(const int, int),
           __builtin_types_compatible_p(const int *, int *),
           __builtin_types_compatible_p(volatile int, int));
    printf("%zu %zu\n", sizeof(const struct point), _Alignof(const volatile double));
    return 0;
}

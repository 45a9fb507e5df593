/* GNU and C23 forms lang-c does not parse as such: __extension__ before casts and
   expressions, __alignof__ of expressions, empty compound literals (T){}, __has_include_next
   in the primary file; and C11 scoping of a tag declared in a controlling expression. */
#include <stdio.h>
#include <stddef.h>
struct S { int a, b; char c; double d; };
typedef int (*fn)(void);
static int one(void) { return 1; }
enum { in = 0 };
int main(void) {
    void *p = (void *)one;
    fn f = (__extension__ (fn)(p));
    long x = __extension__ (long)3;
    __extension__ long long big = 1LL << 40;
    struct S s = {1, 2, 'x', 4.0};
    double arr[3];
    printf("%d %ld %lld\n", f(), x, big);
    printf("%zu %zu %zu %zu %zu\n", __alignof__(s), __alignof__(s.c), __alignof__(arr[1]),
           __alignof__(struct S), __alignof__ (x + 1));
    struct S e = (struct S){};
    int z = (int){0};
    printf("%d %d %d %g %d\n", e.a, e.b, e.c, e.d, z + (int)sizeof((struct S){}));
#if __has_include_next(<stdio.h>) && __has_include_next("gnu_syntax_forms.c")
    puts("has_include_next ok");
#endif
    if (sizeof(enum { in = 1 })) { }
    while (sizeof(enum { in = 2 }) == 0) { }
    switch (sizeof(enum { in = 3 })) { default: break; }
    printf("in=%d\n", in);
    return 0;
}

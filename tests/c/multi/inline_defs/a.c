/* C99 inline definitions and GNU extern inline definitions define no external symbol: the
   external definitions live in c.c. Both files include glibc headers that, with __OPTIMIZE__
   (cfree -O2), define atoi, vprintf, getchar, bsearch ... as extern inline gnu_inline. */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
inline int twice(int x) { return 2 * x; }
extern __inline __attribute__((__gnu_inline__)) int thrice(int x) { return 3 * x; }
int say(const char *fmt, ...);
int from_a(void) { return twice(atoi("20")) + thrice(1); }
int main(void) {
    int from_b(void);
    say("%d %d\n", from_a(), from_b());
    return 0;
}

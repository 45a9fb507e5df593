/* Record layout of objects near the top of the 64-bit size range (only their sizes and
   offsets are used; nothing that large is allocated). */
#include <stdio.h>

#define BIG ((1L << 62) - 256)
struct huge { short buf[BIG]; int a; int b; };
union huge_u { int a; char buf[BIG]; };
struct after { char c; struct { char x[1L << 60]; } big; int tail : 5; int more; };

int main(void)
{
    printf("%zx %zx\n", sizeof(struct huge), __builtin_offsetof(struct huge, b));
    printf("%zx\n", sizeof(union huge_u));
    printf("%zx %zx\n", sizeof(struct after), __builtin_offsetof(struct after, more));
    return 0;
}

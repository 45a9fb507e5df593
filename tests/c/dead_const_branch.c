/* The branch an `if` with a constant condition cannot take is not compiled (gcc drops it
   even at -O0): calls of functions defined nowhere may sit there, and labels inside it
   stay reachable. */
#include <stdio.h>

extern void link_error(void);
static int ok;

void bar(void) { ok++; }

void foo(int x)
{
    switch (x) {
    case 0:
        if (0) {
            link_error();
        case 1:
            bar();
        }
    }
}

int g(int n)
{
    if (sizeof(int) == 2)
        link_error();
    else
        n++;
    if (__builtin_constant_p(n))
        link_error();
    if (1)
        n *= 2;
    else {
        link_error();
    again:
        n += 100;
    }
    if (n < 10)
        goto again;
    return n;
}

int main(void)
{
    foo(1);
    foo(0);
    foo(2);
    printf("%d %d %d\n", ok, g(1), g(20));
    return 0;
}

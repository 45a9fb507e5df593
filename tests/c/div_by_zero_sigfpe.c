/* Integer division by zero raises SIGFPE (as gcc's idiv does), which a handler can catch;
   ordinary signed divisions are unchanged. */
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <limits.h>
volatile int zero = 0, m1 = -1, big = INT_MIN;
volatile long lz = 0;
static void h(int s) { printf("signal %d\n", s); exit(0); }
int main(void)
{
    signal(SIGFPE, h);
    volatile int a = 7, b = -2;
    printf("%d %d %d %d\n", a / b, -a / b, a % b, (-a) / 2);
    printf("%ld\n", 100L / (lz + 3));
    fflush(stdout);
    printf("%d\n", a / zero);
    return 1;
}

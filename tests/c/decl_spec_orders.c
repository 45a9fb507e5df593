/* Declaration forms lang-c does not parse as written: a storage class after a struct body,
   the `__attribute` spelling, K&R parameter declarations starting with a qualifier. */
#include <stdio.h>

struct pair {
    unsigned b;
    int c : 9;
    int d;
} static g = {9, 5, 3};

__attribute ((noinline)) static int twice(int x) { return 2 * x; }

sum3(p)
    const int *p;
{
    return p[0] + p[1] + p[2];
}

int main(void) {
    int v[3] = {4, 5, 6};
    printf("%u %d %d %d %d\n", g.b, g.c, g.d, twice(21), sum3(v));
    return 0;
}

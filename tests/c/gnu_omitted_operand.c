/* GNU `x ?: y`: the value of x when it is nonzero, else y; x is evaluated once. */
#include <stdio.h>
static int calls;
static int next(int v) { calls++; return v; }
int main(void) {
    int a = next(5) ?: 9;
    int b = next(0) ?: 9;
    const char *s = NULL;
    const char *t = s ?: "default";
    double d = 0.0 ?: 2.5;
    long l = (long)next(3) ?: next(4);
    printf("%d %d %s %g %ld calls=%d\n", a, b, t, d, l, calls);
    int x = 0;
    int y = x++ ?: x++ ?: 42;
    printf("%d %d\n", x, y);
    return 0;
}

/* GNU attributes inside abstract declarators (casts, sizeof, parameter types). */
#include <stdio.h>

static int f(void) { return 42; }
static int apply(int (__attribute__((unused)) *g)(void)) { return g(); }

int main(void) {
    void *fp = (void *)f;
    int b = ((int (__attribute__((noinline)) *)(void))fp)();
    int c = apply((int (__attribute__((__unused__, noinline)) *)(void))fp);
    printf("%d %d %zu\n", b, c, sizeof(int (__attribute__((unused)) *)(void)));
    return 0;
}

/* __attribute__((cleanup(f))): f(&x) runs when x leaves scope by the block's end, break,
   continue, goto and return (after the return value is computed), latest declared first;
   also together with VLAs. */
#include <stdio.h>
#include <stdlib.h>
static int depth;
static void done(int *p) { printf("cleanup %d (depth %d)\n", *p, depth); }
static void release(char **p) { printf("free %s\n", *p); free(*p); }
static int with_return(int v) {
    int a __attribute__((cleanup(done))) = v;
    int b __attribute__((cleanup(done))) = v + 1;
    depth++;
    if (v > 5)
        return a + b;          /* both cleanups run, b first, after a + b is computed */
    a = 100;
    return a;
}
int main(void) {
    {
        int x __attribute__((cleanup(done))) = 42;
        printf("in scope\n");
    }
    for (int i = 0; i < 4; i++) {
        int it __attribute__((cleanup(done))) = i;
        if (i == 1)
            continue;
        if (i == 3)
            break;
        printf("body %d\n", i);
    }
    int r7 = with_return(7);
    int r1 = with_return(1);
    printf("%d %d\n", r7, r1);
    {
        char *s __attribute__((cleanup(release))) = malloc(8);
        snprintf(s, 8, "heap");
        int n = 3;
        int vla[n];
        vla[0] = 9;
        int after __attribute__((cleanup(done))) = vla[0];
        if (n == 3)
            goto out;
        printf("not reached\n");
    }
out:
    printf("after\n");
    return 0;
}

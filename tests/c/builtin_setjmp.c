/* __builtin_setjmp / __builtin_longjmp: returns 0 then 1, jumps out of deeper frames and out
   of a loop, several buffers in flight. */
#include <stdio.h>

static void *outer[5], *inner[5];
static int depth_reached;

static void __attribute__((noinline)) dive(int n) {
    depth_reached = n;
    if (n == 0)
        __builtin_longjmp(inner, 1);
    dive(n - 1);
}

static int __attribute__((noinline)) try_inner(void) {
    if (__builtin_setjmp(inner)) {
        printf("inner caught at depth %d\n", depth_reached);
        return 7;
    }
    dive(5);
    return -1;
}

static void __attribute__((noinline)) bail(void) { __builtin_longjmp(outer, 1); }

int main(void) {
    static volatile int rounds;
    int r = try_inner();
    printf("try_inner %d\n", r);
    for (int i = 0; i < 3; i++) {
        if (__builtin_setjmp(outer) == 0) {
            rounds++;
            if (i == 1)
                bail();
            printf("round %d normal\n", i);
        } else {
            printf("round %d jumped\n", i);
        }
    }
    printf("rounds %d\n", rounds);
    return 0;
}

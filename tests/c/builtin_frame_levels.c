/* __builtin_return_address(N) and __builtin_frame_address(N) for N > 0 walk the frame
   pointer chain (as gcc does when every frame keeps its frame pointer). */
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

void *ret0[2], *ret1[2];
void *frame_self, *frame_up;

NOINLINE void leaf(void)
{
    ret1[0] = __builtin_return_address(1);
    frame_up = __builtin_frame_address(1);
}

NOINLINE void middle(void)
{
    frame_self = __builtin_frame_address(0);
    ret0[0] = __builtin_return_address(0);
    leaf();
}

NOINLINE void middle2(void)
{
    ret0[1] = __builtin_return_address(0);
    leaf();
    ret1[1] = ret1[0];
}

NOINLINE void top(int i)
{
    if (i)
        middle2();
    else
        middle();
}

int main(void)
{
    top(0);
    printf("return_address(1) of leaf == return_address(0) of middle: %d\n", ret1[0] == ret0[0]);
    printf("frame_address(1) of leaf == frame_address(0) of middle: %d\n", frame_up == frame_self);
    top(1);
    printf("same for middle2: %d\n", ret1[1] == ret0[1]);
    printf("distinct call sites: %d\n", ret0[0] != ret0[1]);
    return 0;
}

/* The value returned from main becomes the exit status. */
#include <stdio.h>

static int compute(void)
{
    int s = 0;
    for (int i = 1; i <= 10; i++)
        s += i % 3;
    return s; /* 1+2+0+1+2+0+1+2+0+1 = 10 */
}

int main(void)
{
    int status = compute() - 7;
    printf("returning %d from main\n", status);
    fprintf(stderr, "stderr before return\n");
    return status;
}

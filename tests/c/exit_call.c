/* exit() from a nested call: status 5, stdout flushed, code after it never runs. */
#include <stdio.h>
#include <stdlib.h>

static void deep(int n)
{
    if (n == 0) {
        printf("exiting from the bottom of the recursion\n");
        exit(5);
    }
    deep(n - 1);
    printf("never printed %d\n", n);
}

int main(void)
{
    /* buffered output (no newline yet) must be flushed by exit */
    printf("pending output... ");
    fputs("stderr line\n", stderr);
    deep(10);
    printf("not reached\n");
    return 0;
}

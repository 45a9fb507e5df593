/* __builtin_prefetch emits no code in cfree, but its address argument is evaluated for
   its side effects like any other argument. */
#include <stdio.h>

int arr[16];
int *ptr = &arr[2];
int idx = 3;

int *next(void) { static int n; n++; return &arr[n]; }

int main(void)
{
    int *q = 0;
    int j = 0;
    __builtin_prefetch(q = ptr, 0, 0);
    __builtin_prefetch(&arr[j = idx], 1, 3);
    __builtin_prefetch(ptr++);
    __builtin_prefetch(next());
    __builtin_prefetch(next(), 0);
    __builtin_prefetch(arr);
    printf("%d %d %d\n", q == &arr[2], j, (int)(ptr - arr));
    printf("%d\n", (int)(next() - arr));
    return 0;
}

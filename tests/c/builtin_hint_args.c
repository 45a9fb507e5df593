/* Hints evaluate their operands like any call: __builtin_prefetch emits no code in cfree,
   but its address is computed; the expected value of __builtin_expect is evaluated too. */
#include <stdio.h>

int arr[16];
int *ptr = &arr[2];
int idx = 3;

int *next(void) { static int n; n++; return &arr[n]; }

int x = 1, y = 2;

__attribute__((noinline)) int expect_hint(int z)
{
    if (__builtin_expect(x ? y != 0 : 0, z++))
        return 7 * z;
    return z;
}

int main(void)
{
    printf("%d %ld %d\n", expect_hint(10), __builtin_expect(y, 2), (int)sizeof(__builtin_expect(y, 2)));
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

#include <stdio.h>
#include <stdlib.h>
inline int twice(int x) { return 2 * x; }
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int from_b(void) {
    static const int v[] = {1, 3, 5, 7, 9};
    int key = 7;
    const int *p = bsearch(&key, v, 5, sizeof v[0], cmp);
    return twice((int)(p - v)) + atoi("100");
}

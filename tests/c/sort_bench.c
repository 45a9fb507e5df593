/* Sorting algorithms on the same pseudo-random data (insertion, shell, merge, quick, heap,
 * radix), each verified and checksummed; small enough to run quickly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define COUNT 20000

static uint32_t rng_state = 88172645u;
static uint32_t xorshift(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void insertion(int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void shell(int *a, int n)
{
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            int v = a[i], j = i;
            for (; j >= gap && a[j - gap] > v; j -= gap)
                a[j] = a[j - gap];
            a[j] = v;
        }
}

static void merge_rec(int *a, int *tmp, int lo, int hi)
{
    if (hi - lo < 2)
        return;
    int mid = lo + (hi - lo) / 2;
    merge_rec(a, tmp, lo, mid);
    merge_rec(a, tmp, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < hi)
        tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
}

static void merge_sort(int *a, int n)
{
    int *tmp = malloc((size_t)n * sizeof *tmp);
    merge_rec(a, tmp, 0, n);
    free(tmp);
}

static void quick(int *a, int lo, int hi)
{
    while (lo < hi) {
        int pivot = a[lo + (hi - lo) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int t = a[i]; a[i] = a[j]; a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quick(a, lo, j);
            lo = i;
        } else {
            quick(a, i, hi);
            hi = j;
        }
    }
}

static void sift(int *a, int start, int end)
{
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, sw = root;
        if (a[sw] < a[child]) sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1]) sw = child + 1;
        if (sw == root) return;
        int t = a[root]; a[root] = a[sw]; a[sw] = t;
        root = sw;
    }
}

static void heap(int *a, int n)
{
    for (int s = (n - 2) / 2; s >= 0; s--)
        sift(a, s, n - 1);
    for (int end = n - 1; end > 0; end--) {
        int t = a[end]; a[end] = a[0]; a[0] = t;
        sift(a, 0, end - 1);
    }
}

static void radix(int *a, int n)
{
    uint32_t *u = malloc((size_t)n * sizeof *u), *tmp = malloc((size_t)n * sizeof *tmp);
    for (int i = 0; i < n; i++)
        u[i] = (uint32_t)a[i] ^ 0x80000000u; /* order signed values */
    for (int shift = 0; shift < 32; shift += 8) {
        size_t cnt[257] = {0};
        for (int i = 0; i < n; i++)
            cnt[((u[i] >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            cnt[b + 1] += cnt[b];
        for (int i = 0; i < n; i++)
            tmp[cnt[(u[i] >> shift) & 0xff]++] = u[i];
        memcpy(u, tmp, (size_t)n * sizeof *u);
    }
    for (int i = 0; i < n; i++)
        a[i] = (int)(u[i] ^ 0x80000000u);
    free(u);
    free(tmp);
}

static void quick_wrap(int *a, int n) { quick(a, 0, n - 1); }

static int cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}
static void libc_qsort(int *a, int n) { qsort(a, (size_t)n, sizeof *a, cmp); }

int main(void)
{
    static int data[COUNT], work[COUNT];
    for (int i = 0; i < COUNT; i++)
        data[i] = (int)(xorshift() % 2000001) - 1000000;
    struct { const char *name; void (*fn)(int *, int); int n; } algs[] = {
        {"insertion", insertion, 2000}, {"shell", shell, COUNT}, {"merge", merge_sort, COUNT},
        {"quick", quick_wrap, COUNT}, {"heap", heap, COUNT}, {"radix", radix, COUNT},
        {"qsort", libc_qsort, COUNT},
    };
    for (size_t k = 0; k < sizeof algs / sizeof algs[0]; k++) {
        int n = algs[k].n;
        memcpy(work, data, (size_t)n * sizeof *work);
        algs[k].fn(work, n);
        int sorted = 1;
        for (int i = 1; i < n; i++)
            if (work[i - 1] > work[i])
                sorted = 0;
        uint64_t sum = 0;
        for (int i = 0; i < n; i++)
            sum = sum * 31 + (uint32_t)work[i];
        printf("%-9s n=%5d sorted=%d min=%d median=%d max=%d hash=%016llx\n", algs[k].name, n,
               sorted, work[0], work[n / 2], work[n - 1], (unsigned long long)sum);
    }
    return 0;
}

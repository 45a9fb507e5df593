/* malloc/calloc/realloc/free: growing arrays, matrices of pointers, a free list, alignment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct dynarr { int *data; size_t len, cap; };

static void push(struct dynarr *a, int v)
{
    if (a->len == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 1;
        int *nd = realloc(a->data, ncap * sizeof *nd);
        if (!nd)
            exit(2);
        a->data = nd;
        a->cap = ncap;
    }
    a->data[a->len++] = v;
}

static char *dupcat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = malloc(la + lb + 1);
    memcpy(r, a, la);
    memcpy(r + la, b, lb + 1);
    return r;
}

int main(void)
{
    struct dynarr a = {0};
    size_t grows = 0, last_cap = 0;
    for (int i = 0; i < 1000; i++) {
        push(&a, i * 3);
        if (a.cap != last_cap) {
            grows++;
            last_cap = a.cap;
        }
    }
    long sum = 0;
    for (size_t i = 0; i < a.len; i++)
        sum += a.data[i];
    printf("len %zu cap %zu grows %zu sum %ld\n", a.len, a.cap, grows, sum);
    a.data = realloc(a.data, 10 * sizeof(int));
    printf("shrunk keeps %d %d\n", a.data[0], a.data[9]);
    free(a.data);

    int *z = calloc(256, sizeof *z);
    int nonzero = 0;
    for (int i = 0; i < 256; i++)
        nonzero += z[i] != 0;
    printf("calloc nonzero %d\n", nonzero);
    free(z);

    /* jagged 2D array */
    int rows = 6;
    int **tri = malloc(rows * sizeof *tri);
    for (int r = 0; r < rows; r++) {
        tri[r] = malloc((r + 1) * sizeof **tri);
        for (int c = 0; c <= r; c++)
            tri[r][c] = (c == 0 || c == r) ? 1 : tri[r - 1][c - 1] + tri[r - 1][c];
    }
    for (int c = 0; c < rows; c++)
        printf("%d ", tri[rows - 1][c]);
    printf("\n");
    for (int r = 0; r < rows; r++)
        free(tri[r]);
    free(tri);

    char *s = dupcat("heap ", "strings");
    char *t = dupcat(s, "!");
    printf("%s %zu\n", t, strlen(t));
    free(s);
    free(t);

    /* malloc alignment is suitable for any type */
    int misaligned = 0;
    void *blocks[32];
    for (int i = 0; i < 32; i++) {
        blocks[i] = malloc((size_t)(i * 7 + 1));
        if ((uintptr_t)blocks[i] % 16 != 0)
            misaligned++;
    }
    for (int i = 0; i < 32; i++)
        free(blocks[i]);
    printf("misaligned %d\n", misaligned);

    /* realloc(NULL, n) acts like malloc; free(NULL) is fine */
    char *r = realloc(NULL, 4);
    strcpy(r, "abc");
    r = realloc(r, 4000);
    memset(r + 3, 'x', 3996);
    r[3999] = 0;
    printf("%.6s... %zu\n", r, strlen(r));
    free(r);
    free(NULL);

    /* many small allocations, freed in a different order */
    int *ptrs[100];
    for (int i = 0; i < 100; i++) {
        ptrs[i] = malloc(sizeof(int) * (size_t)(i % 10 + 1));
        ptrs[i][0] = i;
    }
    long check = 0;
    for (int i = 99; i >= 0; i -= 2)
        check += ptrs[i][0], free(ptrs[i]);
    for (int i = 0; i < 100; i += 2)
        check += ptrs[i][0], free(ptrs[i]);
    printf("check %ld\n", check);
    return 0;
}

/* Pointer arithmetic, pointers to pointers, pointers to arrays, void pointers. */
#include <stdio.h>
#include <string.h>

static void swap(int *a, int *b)
{
    int t = *a;
    *a = *b;
    *b = t;
}

static void reverse(int *begin, int *end)
{
    while (begin < --end)
        swap(begin++, end);
}

static int sum_ptr(const int *p, size_t n)
{
    int s = 0;
    for (const int *e = p + n; p != e; ++p)
        s += *p;
    return s;
}

static void set_ptr(int **pp, int *target) { *pp = target; }

static size_t my_strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

int main(void)
{
    int a[10];
    for (int i = 0; i < 10; i++)
        *(a + i) = i * i;
    printf("a[3]=%d 3[a]=%d *(a+4)=%d\n", a[3], 3[a], *(a + 4));
    int *p = a + 5;
    printf("p[-2]=%d p[1]=%d ", p[-2], p[1]);
    int post = *p++;
    printf("*p++=%d *p=%d\n", post, *p);
    printf("*--p=%d\n", *--p);
    reverse(a, a + 10);
    for (int i = 0; i < 10; i++)
        printf("%d ", a[i]);
    printf("\nsum %d\n", sum_ptr(a, 10));

    /* pointer to pointer */
    int x = 1, y = 2;
    int *px = &x;
    int **ppx = &px;
    **ppx = 10;
    set_ptr(ppx, &y);
    *px += 5;
    printf("x=%d y=%d\n", x, y);

    /* pointer to array and array of pointers */
    int m[3][4];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            m[i][j] = i * 10 + j;
    int (*row)[4] = m;
    row++;
    printf("row[0][2]=%d (*row)[3]=%d sizeof(*row)=%zu\n", row[0][2], (*row)[3], sizeof(*row));
    int *ptrs[3] = {&m[0][1], &m[1][2], &m[2][3]};
    for (int i = 0; i < 3; i++)
        printf("%d ", *ptrs[i]);
    printf("\n");

    /* char pointers walking strings */
    const char *words[] = {"alpha", "beta", "gamma", NULL};
    for (const char **w = words; *w; w++)
        printf("%s:%zu:%c ", *w, my_strlen(*w), *(*w + 1));
    printf("\n");

    /* void* and byte copies */
    double src[3] = {1.5, 2.5, 3.5}, dst[3];
    void *vd = dst;
    const void *vs = src;
    memcpy(vd, vs, sizeof src);
    unsigned char *bp = (unsigned char *)dst;
    bp += sizeof(double);
    printf("%g %g\n", *(double *)bp, dst[2]);

    /* pointers to struct members */
    struct { int k; char name[8]; double w; } rec = {7, "rec", 0.5};
    int *pk = &rec.k;
    char *pn = rec.name;
    double *pw = &rec.w;
    *pk *= 3;
    pn[0] = 'R';
    *pw += 1;
    printf("%d %s %g\n", rec.k, rec.name, rec.w);

    /* const pointer vs pointer to const */
    int v1 = 1, v2 = 2;
    const int *pc = &v1;
    pc = &v2;
    int *const cp = &v1;
    *cp = 9;
    printf("%d %d\n", *pc, v1);

    /* null pointer checks */
    int *null = NULL;
    printf("%d %d\n", null == 0, !null);
    return 0;
}

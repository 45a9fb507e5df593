/* Pointer differences (ptrdiff_t), relational comparisons within arrays, one-past-the-end. */
#include <stdio.h>
#include <stddef.h>

struct item { int id; double w; char tag[5]; };

static ptrdiff_t index_of(const int *base, const int *p) { return p - base; }

static const char *find_char(const char *s, char c)
{
    for (; *s; s++)
        if (*s == c)
            return s;
    return NULL;
}

int main(void)
{
    int a[20];
    for (int i = 0; i < 20; i++)
        a[i] = i;
    int *first = &a[0], *last = &a[19], *end = a + 20;
    printf("%td %td %td\n", last - first, end - first, first - last);
    printf("%d %d %d %d\n", first < last, last < end, end > first, first >= end);
    printf("sizeof(ptrdiff_t) %zu\n", sizeof(ptrdiff_t));
    printf("idx %td\n", index_of(a, &a[13]));

    struct item items[6];
    struct item *ip = items + 4;
    printf("struct diff %td bytes %td\n", ip - items, (char *)ip - (char *)items);
    printf("sizeof(struct item) %zu\n", sizeof(struct item));

    double d[8];
    double *dp1 = &d[1], *dp2 = &d[7];
    printf("double diff %td\n", dp2 - dp1);
    printf("%d\n", dp1 + 6 == dp2);

    const char *s = "find the character";
    const char *hit = find_char(s, 'c');
    printf("offset %td\n", hit - s);
    printf("missing %d\n", find_char(s, 'z') == NULL);

    /* walking backwards with a pointer that stays in range */
    int sum = 0;
    for (int *p = end; p != first;) {
        --p;
        sum += *p;
    }
    printf("sum %d\n", sum);

    /* equality of pointers to different objects */
    int x, y;
    int *px = &x, *py = &y;
    printf("%d %d\n", px == py, px != py);

    /* char array and pointer into it */
    char buf[] = "0123456789";
    char *mid = buf + 5;
    printf("%td %c %c\n", mid - buf, *mid, mid[-5]);
    printf("%d\n", (int)(sizeof buf));

    /* pointer arithmetic with negative offsets and long indices */
    long li = 3;
    int *q = &a[10];
    printf("%d %d %d\n", q[-li], *(q + li), *(li + q));
    unsigned ui = 2;
    printf("%d\n", q[ui]);

    /* comparing pointers into a 2D array */
    int m[4][5];
    int *m0 = &m[0][0], *m3 = &m[3][4];
    printf("2d span %td\n", m3 - m0);
    printf("rows %td\n", &m[3] - &m[0]);
    return 0;
}

/* Compound literals: scalars, arrays, structs, as arguments, lvalues, at file scope. */
#include <stdio.h>

struct point { int x, y; };
struct line { struct point a, b; };

static int *file_scope = (int[]){10, 20, 30};
static struct point origin_default = {0, 0};

static int dist2(struct point a, struct point b)
{
    int dx = a.x - b.x, dy = a.y - b.y;
    return dx * dx + dy * dy;
}

static int sum(const int *v, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

static int len2(const struct line *l) { return dist2(l->a, l->b); }

int main(void)
{
    printf("%d\n", dist2((struct point){3, 4}, (struct point){0, 0}));
    printf("%d\n", sum((int[]){1, 2, 3, 4, 5}, 5));
    printf("%d\n", sum((int[10]){[9] = 7, [0] = 1}, 10));
    printf("%d\n", len2(&(struct line){{1, 1}, {4, 5}}));
    printf("%d %d\n", file_scope[1], file_scope[2]);

    /* compound literals are lvalues */
    struct point *pp = &(struct point){5, 6};
    pp->x += 10;
    printf("%d %d\n", pp->x, pp->y);
    (struct point){1, 2}.x = 3; /* legal, if pointless */

    /* assignment from a compound literal */
    struct point p = origin_default;
    p = (struct point){.y = 9};
    printf("%d %d\n", p.x, p.y);

    /* scalar compound literals */
    int v = (int){42};
    double *dp = &(double){1.5};
    *dp *= 4;
    printf("%d %g\n", v, *dp);

    /* a compound literal in a loop is a fresh object each iteration (same storage) */
    int total = 0;
    for (int i = 0; i < 3; i++) {
        int *q = (int[]){i, i * 2, i * 3};
        total += q[0] + q[1] + q[2];
    }
    printf("total %d\n", total);

    /* arrays of strings and nested compound literals */
    const char **names = (const char *[]){"x", "yy", "zzz", NULL};
    for (int i = 0; names[i]; i++)
        printf("%s ", names[i]);
    printf("\n");
    struct line *ln = &(struct line){.b = (struct point){7, 8}};
    printf("%d %d %d %d\n", ln->a.x, ln->a.y, ln->b.x, ln->b.y);

    /* sizeof a compound literal */
    printf("%zu %zu\n", sizeof (int[]){1, 2, 3}, sizeof(struct line){0});
    /* char array literal */
    char *s = (char[]){"mutable"};
    s[0] = 'M';
    printf("%s\n", s);
    return 0;
}

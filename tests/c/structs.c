/* Structs: nesting, arrays of structs, assignment and copy, padding, anonymous members. */
#include <stdio.h>
#include <string.h>

struct point { int x, y; };
struct rect { struct point tl, br; char label[12]; };
struct padded { char c; int i; char d; double e; short s; };

struct with_anon {
    int kind;
    union {
        int ival;
        float fval;
    };
    struct {
        short lo, hi;
    };
};

static int area(const struct rect *r)
{
    return (r->br.x - r->tl.x) * (r->br.y - r->tl.y);
}

static struct rect grow(struct rect r, int by)
{
    r.tl.x -= by;
    r.tl.y -= by;
    r.br.x += by;
    r.br.y += by;
    strcat(r.label, "+");
    return r;
}

int main(void)
{
    struct rect r = {{1, 2}, {11, 7}, "box"};
    printf("area %d label %s\n", area(&r), r.label);
    struct rect g = grow(r, 2);
    printf("orig %d,%d-%d,%d %s; grown %d,%d-%d,%d %s area %d\n", r.tl.x, r.tl.y, r.br.x,
           r.br.y, r.label, g.tl.x, g.tl.y, g.br.x, g.br.y, g.label, area(&g));

    /* assignment copies arrays inside structs */
    struct rect copy = g;
    copy.label[0] = 'B';
    copy.tl = r.br;
    printf("%s %s %d %d\n", g.label, copy.label, copy.tl.x, g.tl.x);

    /* arrays of structs */
    struct point pts[5];
    for (int i = 0; i < 5; i++) {
        pts[i].x = i;
        pts[i].y = i * i;
    }
    struct point *pp = pts;
    long sx = 0, sy = 0;
    for (int i = 0; i < 5; i++, pp++) {
        sx += pp->x;
        sy += (*pp).y;
    }
    printf("sum %ld %ld\n", sx, sy);
    pts[1] = pts[4];
    printf("%d %d\n", pts[1].x, pts[1].y);

    /* layout */
    printf("sizeof point %zu rect %zu padded %zu\n", sizeof(struct point), sizeof(struct rect),
           sizeof(struct padded));
    struct padded pd;
    memset(&pd, 0, sizeof pd);
    pd.c = 'a';
    pd.i = 1;
    pd.d = 'b';
    pd.e = 2.5;
    pd.s = 3;
    printf("offsets %zu %zu %zu %zu\n", (size_t)((char *)&pd.i - (char *)&pd),
           (size_t)((char *)&pd.d - (char *)&pd), (size_t)((char *)&pd.e - (char *)&pd),
           (size_t)((char *)&pd.s - (char *)&pd));

    /* anonymous struct and union members */
    struct with_anon wa;
    wa.kind = 1;
    wa.fval = 1.5f;
    wa.lo = -2;
    wa.hi = 300;
    printf("%d %g %d %d %zu\n", wa.kind, wa.fval, wa.lo, wa.hi, sizeof wa);

    /* structs compared member-wise, returned from a function, nested initialiser lists */
    struct rect list[2] = {{{0, 0}, {2, 2}, "a"}, {{1, 1}, {4, 5}, "b"}};
    int total = 0;
    for (int i = 0; i < 2; i++)
        total += area(&list[i]);
    printf("total %d\n", total);

    /* struct with a pointer to itself-type and self-assignment */
    struct node { int v; struct node *next; } n1 = {1, NULL}, n2 = {2, &n1};
    n1 = n1;
    printf("%d %d\n", n2.next->v, n2.v);

    /* local struct type shadowing */
    {
        struct point { double x; } inner = {2.5};
        printf("inner %g %zu\n", inner.x, sizeof inner);
    }
    struct point outer = {3, 4};
    printf("outer %d %zu\n", outer.x + outer.y, sizeof outer);
    return 0;
}

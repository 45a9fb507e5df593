/* Larger structs by value (> 16 bytes, passed in memory), many struct arguments so some go on
 * the stack, structs returned through a hidden pointer, and struct-returning libc calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct big { long a, b, c, d; };
struct mat3 { double m[3][3]; };
struct rec { char name[20]; int age; double weight; };
struct pt { int x, y; };
struct dpt { double x, y; };

static struct big big_make(long s)
{
    struct big r = {s, s * 2, s * 3, s * 4};
    return r;
}

static long big_sum(struct big v) { return v.a + v.b + v.c + v.d; }

static struct big big_mod(struct big v)
{
    v.a = -v.a; /* modifies the callee's copy only */
    v.d += 100;
    return v;
}

static struct mat3 mat_mul(struct mat3 x, struct mat3 y)
{
    struct mat3 r;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            r.m[i][j] = 0;
            for (int k = 0; k < 3; k++)
                r.m[i][j] += x.m[i][k] * y.m[k][j];
        }
    return r;
}

static struct rec rec_birthday(struct rec r)
{
    r.age++;
    strcat(r.name, " Sr.");
    return r;
}

/* eight small structs: the first ones in registers, the rest on the stack */
static int sum_points(struct pt a, struct pt b, struct pt c, struct pt d, struct pt e,
                      struct pt f, struct pt g, struct pt h)
{
    return a.x + b.x + c.x + d.x + e.x + f.x + g.x + h.x +
           10 * (a.y + b.y + c.y + d.y + e.y + f.y + g.y + h.y);
}

static double sum_dpts(struct dpt a, struct dpt b, struct dpt c, struct dpt d, struct dpt e,
                       struct dpt f)
{
    return a.x + b.x + c.x + d.x + e.x + f.x - (a.y + b.y + c.y + d.y + e.y + f.y);
}

static long mixed_stack(int i1, int i2, int i3, int i4, int i5, int i6, struct big b, int i7,
                        struct pt p, double d)
{
    return i1 + i2 + i3 + i4 + i5 + i6 + big_sum(b) + i7 + p.x + p.y + (long)d;
}

int main(void)
{
    struct big b = big_make(5);
    printf("sum %ld\n", big_sum(b));
    struct big b2 = big_mod(b);
    printf("orig %ld %ld mod %ld %ld\n", b.a, b.d, b2.a, b2.d);

    struct mat3 rot = {{{0, -1, 0}, {1, 0, 0}, {0, 0, 1}}};
    struct mat3 r = rot;
    for (int i = 0; i < 3; i++)
        r = mat_mul(r, rot);
    for (int i = 0; i < 3; i++)
        printf("%g %g %g\n", r.m[i][0], r.m[i][1], r.m[i][2]);

    struct rec p = {"John", 40, 80.5};
    struct rec q = rec_birthday(p);
    printf("%s %d | %s %d %.1f\n", p.name, p.age, q.name, q.age, q.weight);

    struct pt pts[8];
    for (int i = 0; i < 8; i++)
        pts[i] = (struct pt){i + 1, i};
    printf("points %d\n", sum_points(pts[0], pts[1], pts[2], pts[3], pts[4], pts[5], pts[6],
                                     pts[7]));
    printf("dpts %g\n", sum_dpts((struct dpt){1, .5}, (struct dpt){2, .5}, (struct dpt){3, .5},
                                 (struct dpt){4, .5}, (struct dpt){5, .5}, (struct dpt){6, .5}));
    printf("mixed %ld\n", mixed_stack(1, 2, 3, 4, 5, 6, big_make(1), 7, (struct pt){8, 9}, 10.9));

    /* libc functions returning structs */
    div_t dv = div(-17, 5);
    ldiv_t ldv = ldiv(1000000000007L, 1000);
    lldiv_t lldv = lldiv(-123456789012345LL, 1000000LL);
    printf("div %d %d ldiv %ld %ld lldiv %lld %lld\n", dv.quot, dv.rem, ldv.quot, ldv.rem,
           lldv.quot, lldv.rem);

    /* struct assignment through pointers and arrays of big structs */
    struct big arr[3];
    for (int i = 0; i < 3; i++)
        arr[i] = big_make(i + 1);
    struct big *pb = &arr[2];
    *pb = big_mod(*pb);
    printf("%ld %ld %ld\n", big_sum(arr[0]), big_sum(arr[1]), big_sum(arr[2]));
    return 0;
}

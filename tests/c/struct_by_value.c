/* Small structs passed and returned by value (System V classification): {int,int}, {char[3]},
 * {double,double}, {float,float,float}, {int,double}, {long,char}, {float,int}, single members. */
#include <stdio.h>

struct ii { int a, b; };
struct c3 { char c[3]; };
struct dd { double x, y; };
struct fff { float x, y, z; };
struct id { int i; double d; };
struct lc { long l; char c; };
struct fi { float f; int i; };
struct one_d { double d; };
struct one_c { char c; };
struct sss { short a, b, c; };
struct ff { float a, b; };

static struct ii ii_make(int a, int b) { struct ii r = {a, b}; return r; }
static struct ii ii_swap(struct ii v) { struct ii r = {v.b, v.a}; return r; }
static struct c3 c3_rot(struct c3 v) { struct c3 r = {{v.c[1], v.c[2], v.c[0]}}; return r; }
static struct dd dd_add(struct dd a, struct dd b) { struct dd r = {a.x + b.x, a.y + b.y}; return r; }
static struct fff fff_scale(struct fff v, float k)
{
    struct fff r = {v.x * k, v.y * k, v.z * k};
    return r;
}
static struct id id_mix(struct id a, int k) { a.i += k; a.d *= k; return a; }
static struct lc lc_next(struct lc v) { v.l++; v.c++; return v; }
static struct fi fi_make(float f, int i) { struct fi r = {f, i}; return r; }
static struct one_d od_sqr(struct one_d v) { v.d *= v.d; return v; }
static struct one_c oc_up(struct one_c v) { v.c = (char)(v.c - 32); return v; }
static struct sss sss_sum(struct sss a, struct sss b)
{
    struct sss r = {(short)(a.a + b.a), (short)(a.b + b.b), (short)(a.c + b.c)};
    return r;
}
static struct ff ff_cross(struct ff a, struct ff b)
{
    struct ff r = {a.a * b.b, a.b * b.a};
    return r;
}

/* mixing struct and scalar arguments so registers run out */
static double many(int a, struct dd p, double b, struct ii q, struct fff r, long c, struct id s,
                   float d, struct one_d e)
{
    return a + p.x + p.y + b + q.a + q.b + r.x + r.y + r.z + c + s.i + s.d + d + e.d;
}

int main(void)
{
    struct ii a = ii_make(3, 4);
    struct ii b = ii_swap(a);
    printf("ii %d %d -> %d %d\n", a.a, a.b, b.a, b.b);
    struct c3 c = {{'x', 'y', 'z'}};
    c = c3_rot(c);
    printf("c3 %c%c%c\n", c.c[0], c.c[1], c.c[2]);
    struct dd d = dd_add((struct dd){1.5, 2.5}, (struct dd){0.25, -10});
    printf("dd %g %g\n", d.x, d.y);
    struct fff f = fff_scale((struct fff){1, 2, 3}, 1.5f);
    printf("fff %g %g %g\n", f.x, f.y, f.z);
    struct id m = id_mix((struct id){2, 0.5}, 3);
    printf("id %d %g\n", m.i, m.d);
    struct lc l = lc_next((struct lc){41, 'a'});
    printf("lc %ld %c\n", l.l, l.c);
    struct fi fi = fi_make(0.75f, -9);
    printf("fi %g %d\n", fi.f, fi.i);
    printf("one_d %g one_c %c\n", od_sqr((struct one_d){1.5}).d, oc_up((struct one_c){'q'}).c);
    struct sss s = sss_sum((struct sss){1, 2, 3}, (struct sss){10, 20, 30});
    printf("sss %d %d %d\n", s.a, s.b, s.c);
    struct ff x = ff_cross((struct ff){2, 3}, (struct ff){5, 7});
    printf("ff %g %g\n", x.a, x.b);
    printf("many %g\n", many(1, (struct dd){2, 3}, 4, (struct ii){5, 6}, (struct fff){7, 8, 9},
                             10, (struct id){11, 12}, 13, (struct one_d){14}));

    /* member access on a returned struct, and chained calls */
    printf("%d\n", ii_swap(ii_swap(ii_make(8, 9))).b);
    printf("%g\n", dd_add(dd_add(d, d), d).y);

    /* arrays of small structs copied by value */
    struct ii arr[3] = {{1, 2}, {3, 4}, {5, 6}};
    int total = 0;
    for (int i = 0; i < 3; i++) {
        struct ii t = ii_swap(arr[i]);
        total += t.a * 10 + t.b;
    }
    printf("total %d\n", total);
    return 0;
}

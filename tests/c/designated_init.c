/* Designated initialisers: nested, array indices, field names, mixed, partial -> zero. */
#include <stdio.h>

struct inner { int a, b; char tag[4]; };
struct outer {
    int id;
    struct inner in;
    int arr[5];
    double ratio;
    const char *name;
};

static struct outer g1 = {.name = "g1", .in.b = 7, .arr[3] = 33, .id = 1};
static struct outer g2 = {2, {3, 4, "xy"}, {1, 2}, .ratio = 0.5};
static int sparse[10] = {[2] = 20, [7] = 70, [4] = 40};
static int overridden[5] = {1, 2, 3, [1] = 9, 10};
static const char *months[] = {[0] = "jan", [11] = "dec", [5] = "jun"};
static int matrix[3][3] = {[0][0] = 1, [1][1] = 1, [2] = {[2] = 1}};

static void show(const struct outer *o)
{
    printf("id=%d in={%d,%d,\"%s\"} arr={%d,%d,%d,%d,%d} ratio=%g name=%s\n", o->id, o->in.a,
           o->in.b, o->in.tag, o->arr[0], o->arr[1], o->arr[2], o->arr[3], o->arr[4], o->ratio,
           o->name ? o->name : "(null)");
}

int main(void)
{
    show(&g1);
    show(&g2);
    struct outer l1 = {.in = {.tag = "abc", .a = -1}, .arr = {[4] = 4, [0] = 0, 1}, .ratio = 2};
    show(&l1);
    struct outer l2 = {.id = 5, 6, 7, .name = "positional after designator"};
    show(&l2);

    for (int i = 0; i < 10; i++)
        printf("%d ", sparse[i]);
    printf("\n");
    for (int i = 0; i < 5; i++)
        printf("%d ", overridden[i]);
    printf("\n");
    printf("months %zu: %s %s %s %d\n", sizeof months / sizeof *months, months[0], months[5],
           months[11], months[1] == NULL);
    for (int i = 0; i < 3; i++)
        printf("%d%d%d ", matrix[i][0], matrix[i][1], matrix[i][2]);
    printf("\n");

    /* local arrays with designators and automatic size */
    int local[] = {[5] = 5, [1] = 1};
    printf("local size %zu:", sizeof local / sizeof local[0]);
    for (unsigned i = 0; i < sizeof local / sizeof local[0]; i++)
        printf(" %d", local[i]);
    printf("\n");

    /* array of structs with designators */
    struct inner items[4] = {[1] = {.b = 2}, [3].a = 3, [3].tag = "z"};
    for (int i = 0; i < 4; i++)
        printf("{%d,%d,%s} ", items[i].a, items[i].b, items[i].tag);
    printf("\n");

    /* unions with designators */
    union { int i; float f; char c[4]; } u = {.c = {'a', 'b'}};
    printf("%c%c%d%d\n", u.c[0], u.c[1], u.c[2], u.c[3]);

    /* partial initialisation zeroes the rest, even for large locals */
    int zeros[100] = {1};
    int nz = 0;
    for (int i = 0; i < 100; i++)
        nz += zeros[i] != 0;
    printf("nonzero %d\n", nz);
    struct outer empty = {0};
    show(&empty);

    /* GNU range designators */
    int ranged[8] = {[1 ... 3] = 5, [6 ... 7] = 9};
    for (int i = 0; i < 8; i++)
        printf("%d", ranged[i]);
    printf("\n");
    return 0;
}

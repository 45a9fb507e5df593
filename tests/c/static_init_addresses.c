/* Static initialisers holding addresses: of globals, functions, strings, array elements, fields. */
#include <stdio.h>

struct pair { int a; int b; };
static int arr[8] = {0, 10, 20, 30, 40, 50, 60, 70};
static struct pair sp = {1, 2};
static int scalar = 99;

static int f_add(int x) { return x + 1; }
static int f_neg(int x) { return -x; }

static int *p_arr3 = &arr[3];
static int *p_arr_end = arr + 8;
static int *p_field = &sp.b;
static int *p_scalar = &scalar;
static int (*fp)(int) = f_add;
static int (*ftab[])(int) = {f_add, f_neg, f_add};
static const char *str = "static string";
static const char *str_mid = "abcdef" + 2;
static char *strs[] = {"one", "two", "three"};
static char **pstrs = &strs[1];
static void *vp = &sp;
static long addr_diff_const = sizeof(arr) / sizeof(arr[0]);

struct entry { const char *name; int (*fn)(int); int *counter; };
static int calls_a, calls_b;
static struct entry entries[] = {
    {"add", f_add, &calls_a},
    {"neg", f_neg, &calls_b},
    {NULL, NULL, NULL},
};

struct node { int v; struct node *next; };
static struct node n3 = {3, NULL};
static struct node n2 = {2, &n3};
static struct node n1 = {1, &n2};
static struct node *head = &n1;

static struct node ring_a;
static struct node ring_b = {20, &ring_a};
static struct node ring_a = {10, &ring_b};

static char buf[16];
static char *buf_ptr = buf + 4;
static int matrix[3][4];
static int *mrow = matrix[2];
static int (*mptr)[4] = &matrix[1];

int main(void)
{
    printf("%d %d %d %d %ld\n", *p_arr3, p_arr_end[-1], *p_field, *p_scalar, addr_diff_const);
    printf("%d %d %d %d\n", fp(1), ftab[0](5), ftab[1](5), ftab[2](ftab[1](7)));
    printf("%s|%s|%s|%s\n", str, str_mid, *pstrs, pstrs[1]);
    printf("%d\n", ((struct pair *)vp)->a);
    for (struct entry *e = entries; e->name; e++) {
        (*e->counter)++;
        printf("%s(4)=%d ", e->name, e->fn(4));
    }
    printf("calls %d %d\n", calls_a, calls_b);
    for (struct node *n = head; n; n = n->next)
        printf("node %d ", n->v);
    printf("\n");
    printf("ring %d %d %d\n", ring_a.next->v, ring_a.next->next->v, ring_b.next->next->v);

    buf_ptr[0] = 'x';
    printf("%d %c\n", (int)(buf_ptr - buf), buf[4]);
    mrow[1] = 5;
    (*mptr)[3] = 6;
    printf("%d %d\n", matrix[2][1], matrix[1][3]);

    /* static locals initialised with addresses */
    static int *local_p = &arr[7];
    static const char *local_s = "local";
    static struct pair *local_sp = &sp;
    printf("%d %s %d\n", *local_p, local_s, local_sp->b);

    /* writes through static pointers reach the targets */
    *p_arr3 = 333;
    *p_field = 222;
    printf("%d %d\n", arr[3], sp.b);
    return 0;
}

/* Every operator, with precedence and associativity, including comma and ?:. */
#include <stdio.h>

static int side;
static int bump(int v) { side++; return v; }

int main(void)
{
    int a = 17, b = 5, c = -3;
    unsigned ua = 0xF0F0u, ub = 0x0FF0u;

    printf("%d %d %d %d %d\n", a + b, a - b, a * b, a / b, a % b);
    printf("%d %d %d\n", -a, +b, -c);
    printf("%d %d %d %d\n", a / c, a % c, c / 2, c % 2);
    printf("%u %u %u %u\n", ua & ub, ua | ub, ua ^ ub, ~ua);
    printf("%u %u\n", ua << 4, ua >> 4);
    printf("%d %d %d %d %d %d\n", a < b, a > b, a <= 17, a >= 18, a == 17, a != 17);
    printf("%d %d %d %d\n", !a, !0, !!c, a && b);
    printf("%d %d\n", 0 || c, 0 && bump(1));

    /* precedence */
    printf("%d\n", a + b * c);
    printf("%d\n", (a + b) * c);
    printf("%d\n", a - b - c);
    printf("%d\n", a / b / 2);
    printf("%d\n", 1 << 2 + 3);
    printf("%d\n", a & b == 5);
    printf("%d\n", (a & b) == 5);
    printf("%d\n", a | b ^ c & 7);
    printf("%d\n", a < b == b < a);
    printf("%d\n", -a % b);
    printf("%d\n", ~a + 1);

    /* conditional: right associative, lvalue-ness of arms via pointers */
    for (int x = -2; x <= 2; x++)
        printf("%s ", x < 0 ? "neg" : x == 0 ? "zero" : "pos");
    printf("\n");
    int p = 1, q = 2;
    *(a > 0 ? &p : &q) = 99;
    printf("%d %d\n", p, q);
    printf("%d\n", (a > b ? a : b) + 1);

    /* comma operator */
    int k = (bump(0), bump(0), 42);
    printf("k %d side %d\n", k, side);
    int m;
    m = (a++, b++, a + b);
    printf("m %d a %d b %d\n", m, a, b);
    for (int i = 0, j = 3; i < j; i++, j--)
        printf("[%d%d]", i, j);
    printf("\n");

    /* assignment is an expression, right associative */
    int x, y, z;
    x = y = z = 7;
    printf("%d %d %d\n", x, y, z);
    int w = (x = 3) + (y = 4);
    printf("%d\n", w);

    /* unary & and *, sizeof, casts */
    int arr[4] = {1, 2, 3, 4};
    int *ptr = &arr[1];
    printf("%d %d %zu %zu\n", *ptr, *&arr[2], sizeof arr, sizeof *ptr);
    printf("%d\n", (int)(char)300);

    /* logical operators yield 0/1 ints */
    printf("%d %d %zu\n", (5 && 7) + (0 || 9), !5 + !0, sizeof(1 && 2));

    /* mixing signed and unsigned in relational operators */
    printf("%d %d\n", -1 < (int)1u, (unsigned)-1 > 1u);

    /* member access operators */
    struct s { int f; struct s *self; } st = {5, &st};
    printf("%d %d %d\n", st.f, st.self->f, (*st.self).self->f);
    return 0;
}

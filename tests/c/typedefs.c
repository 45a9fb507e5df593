/* typedef: of scalars, pointers, arrays, functions, structs; scoping and redeclaration. */
#include <stdio.h>

typedef int i32;
typedef unsigned long long u64;
typedef char name_t[16];
typedef int (*binop)(int, int);
typedef int fn_t(int);
typedef struct node node;
struct node { i32 v; node *next; };
typedef struct { double re, im; } complex_t;
typedef const char *cstr;
typedef i32 matrix[2][2];

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
static int twice(int x) { return 2 * x; }

static complex_t cmul(complex_t a, complex_t b)
{
    complex_t r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
    return r;
}

static void matmul(matrix a, matrix b, matrix out)
{
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            out[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j];
}

typedef int i32; /* redeclaring a typedef with the same type is allowed in C11 */

int main(void)
{
    i32 x = -5;
    u64 big = 1ULL << 40;
    name_t nm = "typedef'd";
    printf("%d %llu %s %zu\n", x, big, nm, sizeof(name_t));

    binop ops[2] = {add, mul};
    printf("%d %d\n", ops[0](6, 7), ops[1](6, 7));
    fn_t *f = twice;
    printf("%d\n", f(21));

    node n2 = {2, NULL}, n1 = {1, &n2};
    printf("%d %d\n", n1.v, n1.next->v);

    complex_t z = {0, 1};
    complex_t zz = cmul(z, z);
    printf("i*i = %g%+gi\n", zz.re, zz.im);

    cstr words[] = {"alpha", "beta"};
    printf("%s %s\n", words[0], words[1]);

    matrix a = {{1, 1}, {1, 0}}, r = {{1, 0}, {0, 1}}, t;
    for (int i = 0; i < 10; i++) {
        matmul(r, a, t);
        for (int p = 0; p < 2; p++)
            for (int q = 0; q < 2; q++)
                r[p][q] = t[p][q];
    }
    printf("fib via matrix %d %d\n", r[0][0], r[0][1]);

    {
        typedef double i32; /* shadows the outer typedef */
        i32 d = 2.5;
        printf("inner %g %zu\n", d, sizeof(i32));
    }
    printf("outer %zu\n", sizeof(i32));

    /* typedef name used as a variable name in an inner scope */
    {
        int u64 = 3;
        printf("%d\n", u64 * 2);
    }
    typedef u64 *u64p;
    u64p pb = &big;
    *pb += 1;
    printf("%llu\n", big);
    return 0;
}

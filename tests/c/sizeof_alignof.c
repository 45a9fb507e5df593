/* sizeof, _Alignof, _Alignas, offsetof, _Static_assert, max_align_t. */
#include <stdio.h>
#include <stddef.h>
#include <stdalign.h>
#include <stdint.h>

struct s1 { char c; };
struct s2 { char c; int i; };
struct s3 { char c; double d; char e; };
struct s4 { short s; char c[3]; };
struct s5 { int i; char c; long long ll; };
struct s6 { char c; _Alignas(16) int aligned; };
struct s7 { struct s2 inner; char tail; };
struct s8 { int arr[3]; double d; };
union u1 { char c; short s; int i; long double ld; };

_Static_assert(sizeof(int) == 4, "int is 32 bits");
_Static_assert(sizeof(void *) == 8, "LP64");
_Static_assert(offsetof(struct s2, i) == 4, "int field aligned");

#define SHOW(T) printf("%-14s size %2zu align %2zu\n", #T, sizeof(T), _Alignof(T))

int main(void)
{
    SHOW(char);
    SHOW(short);
    SHOW(int);
    SHOW(long);
    SHOW(long long);
    SHOW(float);
    SHOW(double);
    SHOW(long double);
    SHOW(void *);
    SHOW(_Bool);
    SHOW(size_t);
    SHOW(struct s1);
    SHOW(struct s2);
    SHOW(struct s3);
    SHOW(struct s4);
    SHOW(struct s5);
    SHOW(struct s6);
    SHOW(struct s7);
    SHOW(struct s8);
    SHOW(union u1);
    SHOW(max_align_t);
    SHOW(int[7]);
    SHOW(char[3][5]);

    printf("offsets s3: %zu %zu %zu\n", offsetof(struct s3, c), offsetof(struct s3, d),
           offsetof(struct s3, e));
    printf("offsets s5: %zu %zu %zu\n", offsetof(struct s5, i), offsetof(struct s5, c),
           offsetof(struct s5, ll));
    printf("offsets s6: %zu s7: %zu s8: %zu\n", offsetof(struct s6, aligned),
           offsetof(struct s7, tail), offsetof(struct s8, d));
    printf("nested offsetof %zu %zu\n", offsetof(struct s7, inner.i), offsetof(struct s8, arr[2]));

    alignas(32) char buf[10];
    printf("buf aligned %d sizeof %zu\n", (int)((uintptr_t)buf % 32), sizeof buf);
    _Alignas(double) char dbuf[8];
    printf("dbuf aligned %d\n", (int)((uintptr_t)dbuf % _Alignof(double)));

    /* sizeof on expressions does not evaluate them */
    int n = 5;
    size_t sz = sizeof(n++);
    printf("n %d sz %zu\n", n, sz);
    int arr[10];
    printf("%zu %zu %zu\n", sizeof arr, sizeof arr / sizeof arr[0], sizeof &arr[0]);
    printf("%zu %zu\n", sizeof "literal", sizeof(char) * 3);

    /* sizeof a VLA is evaluated at run time */
    int rows = n + 1;
    double vla[rows][3];
    printf("vla %zu\n", sizeof vla);

    /* sizeof of function parameter arrays is pointer-size */
    void f(int p[100]);
    printf("%zu\n", sizeof(int (*)[100]));

    _Static_assert(_Alignof(struct s6) == 16, "alignas raises struct alignment");
    {
        _Static_assert(1 + 1 == 2, "block-scope static assert");
    }
    return 0;
}

void f(int p[100]) { (void)p; }

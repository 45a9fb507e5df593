/* typeof of a typedef name (lang-c reads it as an expression), also nested inside
   __builtin_types_compatible_p. */
#include <stdio.h>

typedef float same1;
typedef float same2;
typedef struct { int a, b; } pair;
int i;
double d;

int main(void)
{
    typeof(same1) x = 1.5f;
    __typeof__(pair) p = { 3, 4 };
    __typeof__(same2) *q = &x;
    printf("%zu %zu %.1f %d\n", sizeof(typeof(same1)), sizeof p, *q * 2, p.a + p.b);
    printf("%d %d %d %d\n", __builtin_types_compatible_p(same1, same2),
           __builtin_types_compatible_p(typeof(same1), float),
           __builtin_types_compatible_p(typeof(i), typeof(d)),
           __builtin_types_compatible_p(typeof(pair), typeof(p)));
    return 0;
}

/* __builtin_choose_expr: a constant condition picks one operand, which alone is evaluated
   and keeps its own type; usable in static initializers. (As an lvalue it is not supported.) */
#include <stdio.h>

int y;
int z = __builtin_choose_expr(!__builtin_constant_p(y), 3, 4);
static double dd = __builtin_choose_expr(sizeof(int) == 4, 2.5, 1);

#define abs_any(x) __builtin_choose_expr(__builtin_types_compatible_p(typeof(x), double), \
                                         (x) < 0 ? -(x) : (x), (x) < 0 ? -(long)(x) : (long)(x))

int foo(int x)
{
    return __builtin_choose_expr(!__builtin_constant_p(x), 3, y++);
}

int main(void)
{
    int a = 1, b = 2;
    a = __builtin_choose_expr(1, 7, b++);
    printf("%d %d %d %.1f\n", z, foo(4), y, dd);
    printf("%d %d\n", a, b);
    printf("%zu %zu\n", sizeof(__builtin_choose_expr(0, 'c', (char)1)),
           sizeof(__builtin_choose_expr(1, 1.0f, 2)));
    printf("%.1f %ld\n", abs_any(-2.5), abs_any(-3));
    return 0;
}

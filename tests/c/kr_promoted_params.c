/* K&R definitions with parameters of types that the default argument promotions change
   (char, short, float): the callee receives the promoted value and converts it. */
#include <stdio.h>

int f(c)
    unsigned char c;
{
    return c == 0xFF;
}

double g(x, s)
    float x;
    short s;
{
    float *p = &x;
    return *p * 2 + s;
}

int h(a, c, d)
    signed char c;
    int a;
    double d;
{
    return a * 100 + c + (int)d;
}

int main()
{
    printf("%d\n", f(-1));
    printf("%d\n", f(255));
    printf("%.2f\n", g(1.25, 70000));
    printf("%d\n", h(3, 300, 2.5));
    return 0;
}

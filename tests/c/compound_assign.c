/* Compound assignment operators on every kind of lvalue: ints, chars, floats, pointers,
 * array elements, struct members, through pointers, with side effects evaluated once. */
#include <stdio.h>

static int idx_calls;
static int idx(int i) { idx_calls++; return i; }

struct acc { int i; double d; char c; unsigned short us; long long ll; };

int main(void)
{
    int i = 100;
    i += 5; printf("%d ", i);
    i -= 15; printf("%d ", i);
    i *= 3; printf("%d ", i);
    i /= 7; printf("%d ", i);
    i %= 10; printf("%d ", i);
    i <<= 4; printf("%d ", i);
    i >>= 2; printf("%d ", i);
    i &= 0x1c; printf("%d ", i);
    i |= 0x41; printf("%d ", i);
    i ^= 0xff; printf("%d\n", i);

    /* chars promote, compute in int, then convert back */
    char c = 'A';
    c += 2; printf("%c ", c);
    c *= 2; printf("%d ", c);
    unsigned char uc = 250;
    uc += 10; printf("%d ", uc);
    uc -= 20; printf("%d ", uc);
    signed char sc = 100;
    sc += 100; printf("%d\n", sc);

    /* integer op-assign with a floating right operand */
    int n = 10;
    n *= 2.75; printf("%d ", n);
    n /= 0.5; printf("%d ", n);
    n += 0.9; printf("%d\n", n);

    /* floating */
    double d = 1.5;
    d += 2; d *= d; d -= 0.25; d /= 4;
    printf("%g\n", d);
    float f = 10;
    f /= 3;
    printf("%.6f\n", f);

    /* pointers */
    int arr[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    int *p = arr;
    p += 7; printf("%d ", *p);
    p -= 3; printf("%d ", *p);
    long off = 2;
    p += off; printf("%d\n", *p);

    /* array elements with side-effecting index: evaluated once */
    idx_calls = 0;
    arr[idx(2)] += 10;
    arr[idx(3)] *= arr[idx(4)];
    printf("%d %d calls %d\n", arr[2], arr[3], idx_calls);

    /* struct members, via pointer */
    struct acc a = {1, 1.0, 'a', 65535, 1LL << 40};
    struct acc *pa = &a;
    pa->i += 41;
    pa->d *= 3.5;
    pa->c += 1;
    pa->us += 2;
    pa->ll >>= 8;
    pa->ll |= 1;
    printf("%d %g %c %u %lld\n", a.i, a.d, a.c, a.us, a.ll);

    /* unsigned wrap with compound assignment */
    unsigned u = 5;
    u -= 10;
    printf("%u\n", u);
    unsigned long long ull = 1;
    for (int k = 0; k < 70; k++)
        ull *= 3;
    printf("%llu\n", ull);

    /* result of compound assignment used as a value */
    int v = 3;
    int w = (v += 4) * 2;
    printf("%d %d\n", v, w);
    int x = 1, y = 2;
    x += y += 3;
    printf("%d %d\n", x, y);

    /* shift-assign by a variable count */
    unsigned long bits = 1;
    for (int s = 1; s < 5; s++)
        bits <<= s;
    printf("%lu\n", bits);
    return 0;
}

/* Explicit and implicit conversions between integer, floating and pointer types. */
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>

struct pair { int a, b; };

int main(void)
{
    /* _Bool conversions */
    bool b1 = 5, b2 = 0.25, b3 = (bool)0.0, b4 = -1;
    int *np = 0;
    bool b5 = np, b6 = &b1;
    printf("%d %d %d %d %d %d\n", b1, b2, b3, b4, b5, b6);
    bool bb = 1;
    bb++;
    printf("bool++ %d\n", bb);
    bb = 0;
    bb--;
    printf("bool-- %d\n", bb);
    printf("sizeof(bool) %zu\n", sizeof(bool));

    /* float -> int truncates toward zero */
    double ds[] = {3.7, -3.7, 0.5, -0.5, 1e9, -2147483648.0, 255.99};
    for (int i = 0; i < 7; i++)
        printf("(int)%g = %d (long)%g = %ld\n", ds[i], (int)ds[i], ds[i], (long)ds[i]);
    printf("(unsigned char)255.9 = %d\n", (unsigned char)255.9);
    printf("(unsigned)3e9 = %u\n", (unsigned)3e9);
    printf("(unsigned long long)1.8e19 = %llu\n", (unsigned long long)1.8e19);
    printf("(long long)-9.2e18 = %lld\n", (long long)-9.2e18);

    /* int -> float, including rounding of large values */
    long long big = 9007199254740993LL;
    printf("%.1f\n", (double)big);
    printf("%.1f\n", (float)16777217);
    unsigned long long ubig = 18446744073709551615ULL;
    printf("%.1f\n", (double)ubig);
    printf("%.1f\n", (float)ubig);
    unsigned long long mid = 9223372036854777856ULL;
    printf("%.1f\n", (double)mid);

    /* pointer <-> integer */
    int arr[4] = {1, 2, 3, 4};
    uintptr_t p = (uintptr_t)&arr[0];
    int *q = (int *)(p + 2 * sizeof(int));
    printf("*q = %d\n", *q);
    printf("aligned: %d\n", (int)(p % _Alignof(int)));
    intptr_t diff = (intptr_t)&arr[3] - (intptr_t)&arr[1];
    printf("diff %ld\n", (long)diff);

    /* void* round trip and char* aliasing */
    struct pair pr = {0x01020304, -1};
    void *vp = &pr;
    struct pair *pp = vp;
    unsigned char *bytes = (unsigned char *)&pr.a;
    printf("%d %d bytes %d %d %d %d\n", pp->a, pp->b, bytes[0], bytes[1], bytes[2], bytes[3]);

    /* casts in expressions */
    int i = 7, j = 2;
    printf("%d %f %f\n", i / j, (double)i / j, (double)(i / j));
    short s = (short)(i * 10000);
    printf("%d\n", s);
    printf("%d\n", (int)(char)(unsigned char)0x80);
    printf("%u\n", (unsigned)(signed char)0x80);
    printf("%lld\n", (long long)(unsigned short)-1);
    float f = (float)0.1;
    double d = f;
    printf("%.17g %d\n", d, d == 0.1);
    /* cast to void */
    (void)i;
    return 0;
}

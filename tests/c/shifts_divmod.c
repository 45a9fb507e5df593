/* Shifts and division/modulo, including negative operands. */
#include <stdio.h>
#include <stdint.h>

static int div_table[][2] = {
    {7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {0, 5}, {1, 1}, {-1, 1},
    {100, 7}, {-100, 7}, {100, -7}, {2147483647, 2}, {-2147483647, 3},
};

int main(void)
{
    for (unsigned i = 0; i < sizeof div_table / sizeof div_table[0]; i++) {
        int a = div_table[i][0], b = div_table[i][1];
        printf("%d / %d = %d, %d %% %d = %d, check %d\n", a, b, a / b, a, b, a % b,
               (a / b) * b + a % b == a);
    }

    /* unsigned division */
    unsigned u = 4000000000u;
    printf("%u %u %u\n", u / 3, u % 7, u / 1000000);
    unsigned long long ul = 18000000000000000000ull;
    printf("%llu %llu\n", ul / 7, ul % 1000003);
    long long sl = -9000000000000000000ll;
    printf("%lld %lld\n", sl / 7, sl % 1000003);

    /* left shifts */
    for (int s = 0; s < 32; s += 5)
        printf("1u<<%d = %u, 3<<%d = %d\n", s, 1u << s, s, s < 30 ? 3 << s : 0);
    printf("%llu\n", 1ull << 63);
    printf("%lld\n", 1ll << 62);

    /* right shifts: logical on unsigned, arithmetic on signed (gcc's choice) */
    int neg = -1000;
    unsigned uneg = (unsigned)neg;
    for (int s = 0; s < 32; s += 7)
        printf("-1000>>%d = %d, (unsigned)-1000>>%d = %u\n", s, neg >> s, s, uneg >> s);
    int64_t n64 = -123456789012345LL;
    printf("%lld %llu\n", (long long)(n64 >> 20), (unsigned long long)((uint64_t)n64 >> 20));

    /* shift count of a different type, and shifts of promoted small types */
    unsigned char c = 0x81;
    long long cnt = 3;
    printf("%d %d\n", c << cnt, c >> 1);
    signed char sc = -128;
    printf("%d\n", sc >> 3);
    unsigned short us = 0xffff;
    printf("%u %d\n", (unsigned)us << 16 >> 16, us << 15 >> 15);

    /* compound shifts */
    unsigned x = 0xdeadbeef;
    x >>= 4;
    x <<= 8;
    printf("%x\n", x);
    long long y = 5;
    y <<= 10;
    y = -y >> 2;
    printf("%lld\n", y);

    /* division by powers of two vs shifts on negatives */
    for (int v = -9; v <= 9; v += 3)
        printf("%d/4=%d %d>>2=%d %d%%4=%d\n", v, v / 4, v, v >> 2, v, v % 4);

    /* rotate idiom */
    uint32_t r = 0x12345678;
    for (int k = 0; k < 4; k++) {
        r = (r << 8) | (r >> 24);
        printf("rot %08x\n", r);
    }
    return 0;
}

/* 64-bit arithmetic: wrap-around, division, mixing with 32-bit, limits. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t r = 0;
    a %= m;
    while (b) {
        if (b & 1)
            r = (r + a) % m;
        a = (a * 2) % m;
        b >>= 1;
    }
    return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t isqrt(uint64_t n)
{
    uint64_t x = n, y = (x + 1) / 2;
    while (y < x) {
        x = y;
        y = (x + n / x) / 2;
    }
    return x;
}

int main(void)
{
    unsigned long long u = ULLONG_MAX;
    u += 1;
    printf("ULLONG_MAX+1 = %llu\n", u);
    u = 0;
    u -= 1;
    printf("0-1 = %llu\n", u);
    printf("LLONG_MAX = %lld, LLONG_MIN = %lld\n", LLONG_MAX, LLONG_MIN);
    unsigned long long m = 0x123456789abcdefULL * 0xfedcba987654321ULL;
    printf("mul wrap = %llx\n", m);

    long long a = 1234567890123456789LL, b = -987654321LL;
    printf("a/b = %lld a%%b = %lld\n", a / b, a % b);
    printf("-a/7 = %lld -a%%7 = %lld\n", -a / 7, -a % 7);
    unsigned long long ua = 18446744073709551557ULL; /* largest 64-bit prime */
    printf("ua/3 = %llu ua%%1000 = %llu\n", ua / 3, ua % 1000);
    printf("ua/ua-2 = %llu\n", ua / (ua - 2));

    /* 32-bit values widened before multiplication or not */
    int i = 100000;
    long long wide = (long long)i * i;
    printf("widened %lld\n", wide);
    unsigned int ui = 4000000000u;
    printf("%llu %u\n", (unsigned long long)ui * 2, ui * 2);

    /* mixing signed 64 with unsigned 32 */
    long long neg = -1;
    printf("%d\n", neg < ui);

    printf("powmod %llu\n", (unsigned long long)powmod(2, 1000000, 1000000007));
    printf("powmod %llu\n", (unsigned long long)powmod(3, 123456789, ua));
    printf("fnv1a %016llx\n", (unsigned long long)fnv1a("cfree"));
    printf("fnv1a %016llx\n", (unsigned long long)fnv1a("The quick brown fox"));
    printf("isqrt %llu %llu\n", (unsigned long long)isqrt(1ULL << 62),
           (unsigned long long)isqrt(999999999999ULL));

    /* bit tricks */
    uint64_t v = 0xf0f0f0f0f0f0f0f0ULL;
    int pop = 0;
    for (uint64_t t = v; t; t &= t - 1)
        pop++;
    printf("popcount %d lowbit %llx\n", pop, (unsigned long long)(v & -v));

    /* conversions */
    long long big = 0x1122334455667788LL;
    printf("(int)%x (short)%hx (char)%hhx\n", (int)big, (short)big, (char)big);
    printf("%lld\n", (long long)(unsigned)-1);
    printf("%lld\n", (long long)(int)0x80000000u);

    /* Collatz with 64-bit */
    uint64_t c = 837799, steps = 0;
    while (c != 1) {
        c = (c & 1) ? 3 * c + 1 : c / 2;
        steps++;
    }
    printf("collatz steps %llu\n", (unsigned long long)steps);
    return 0;
}

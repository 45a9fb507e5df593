/* static inline functions, inline helpers used through pointers, and recursion in inline code. */
#include <stdio.h>
#include <stdint.h>

static inline int min_i(int a, int b) { return a < b ? a : b; }
static inline int max_i(int a, int b) { return a > b ? a : b; }
static inline int clamp(int v, int lo, int hi) { return min_i(max_i(v, lo), hi); }

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static inline uint32_t murmur_mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static inline unsigned long fact(unsigned n) { return n <= 1 ? 1 : n * fact(n - 1); }

struct span { const int *p; int n; };
static inline int span_sum(struct span s)
{
    int t = 0;
    for (int i = 0; i < s.n; i++)
        t += s.p[i];
    return t;
}

inline static double lerp(double a, double b, double t) { return a + (b - a) * t; }

int main(void)
{
    for (int v = -5; v <= 15; v += 5)
        printf("clamp(%d) = %d\n", v, clamp(v, 0, 10));
    printf("%08x %08x\n", rotl32(0x80000001u, 1), rotl32(0x12345678u, 12));
    uint32_t h = 0;
    for (int i = 0; i < 10; i++)
        h = murmur_mix(h + (uint32_t)i);
    printf("mix %08x\n", h);
    printf("fact %lu %lu\n", fact(10), fact(20));
    int data[] = {4, 8, 15, 16, 23, 42};
    printf("span %d\n", span_sum((struct span){data + 1, 4}));
    int (*pmin)(int, int) = min_i;
    printf("via pointer %d\n", pmin(9, -9));
    for (int i = 0; i <= 4; i++)
        printf("%.3f ", lerp(10, 20, i / 4.0));
    printf("\n");
    return 0;
}

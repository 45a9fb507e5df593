/* GCC builtins commonly used by real code: bit counting, byte swapping, overflow checks,
 * constant detection, types_compatible_p, choose_expr, unreachable paths. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

int main(void)
{
    unsigned vals[] = {1, 2, 3, 0x80000000u, 0xf0f0u, 0xffffffffu, 12345};
    for (int i = 0; i < 7; i++) {
        unsigned v = vals[i];
        printf("%08x popcount %d clz %d ctz %d parity %d ffs %d\n", v, __builtin_popcount(v),
               __builtin_clz(v), __builtin_ctz(v), __builtin_parity(v), __builtin_ffs((int)v));
    }
    unsigned long long big = 0x0000100000000001ULL;
    printf("ll: popcount %d clz %d ctz %d\n", __builtin_popcountll(big), __builtin_clzll(big),
           __builtin_ctzll(big));
    printf("l: popcount %d\n", __builtin_popcountl(0xffUL << 40));

    printf("bswap %04x %08x %016llx\n", __builtin_bswap16(0x1234), __builtin_bswap32(0x12345678),
           (unsigned long long)__builtin_bswap64(0x0102030405060708ULL));

    int r;
    int ov = __builtin_add_overflow(INT_MAX, 1, &r);
    printf("add overflow %d result %d\n", ov, r);
    ov = __builtin_add_overflow(100, 200, &r);
    printf("add ok %d result %d\n", ov, r);
    long long prod;
    ov = __builtin_mul_overflow(3000000000LL, 4, &prod);
    printf("mul %d %lld\n", ov, prod);
    unsigned ur;
    ov = __builtin_sub_overflow(1u, 2u, &ur);
    printf("sub %d %u\n", ov, ur);
    unsigned char small;
    ov = __builtin_mul_overflow(16, 16, &small);
    printf("narrow %d %d\n", ov, small);

    printf("constant_p %d\n", __builtin_constant_p(42));
    printf("types_compatible %d %d %d\n", __builtin_types_compatible_p(int, int),
           __builtin_types_compatible_p(int, long), __builtin_types_compatible_p(char *, char *));
    printf("choose %zu %zu\n", sizeof(__builtin_choose_expr(1, (char)1, 1.0)),
           sizeof(__builtin_choose_expr(0, (char)1, 1.0)));

    int x = 3;
    int y;
    switch (x & 3) {
    case 0: y = 10; break;
    case 1: y = 11; break;
    case 2: y = 12; break;
    case 3: y = 13; break;
    default: __builtin_unreachable();
    }
    printf("y %d\n", y);

    /* __builtin_memcpy/strlen and friends behave like the library ones */
    char buf[16];
    __builtin_memcpy(buf, "builtin", 8);
    printf("%s %zu\n", buf, __builtin_strlen(buf));
    printf("abs %d labs %ld\n", __builtin_abs(-5), __builtin_labs(-7L));
    printf("huge %d inf %d\n", __builtin_huge_val() > 1e308, __builtin_inf() > 1e308);
    printf("nan %d\n", __builtin_nan("") != __builtin_nan(""));
    return 0;
}

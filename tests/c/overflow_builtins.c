/* __builtin_{add,sub,mul}_overflow and the typed and _p forms: the truncated result and
   whether the exact result fits, for mixed signedness and widths. */
#include <stdio.h>
#include <limits.h>
#include <stdint.h>
int main(void) {
    long long vals[] = {0, 1, -1, 2, 127, -128, 255, 65535, INT_MAX, INT_MIN, UINT_MAX,
                        LLONG_MAX, LLONG_MIN, 0x100000000LL, -0x7fffffffLL};
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            long long a = vals[i], b = vals[j];
            int ri; unsigned ru; long long rl; unsigned long long rul; signed char rc; unsigned short rs;
            int o1 = __builtin_add_overflow(a, b, &ri);
            int o2 = __builtin_sub_overflow(a, b, &ru);
            int o3 = __builtin_mul_overflow(a, b, &rl);
            int o4 = __builtin_mul_overflow((unsigned long long)a, (unsigned long long)b, &rul);
            int o5 = __builtin_add_overflow((int)a, (unsigned)b, &rc);
            int o6 = __builtin_sub_overflow((unsigned long long)a, (unsigned long long)b, &rl);
            int o7 = __builtin_mul_overflow((short)a, (short)b, &rs);
            printf("%d%d%d%d%d%d%d %d %u %lld %llu %d %u\n", o1, o2, o3, o4, o5, o6, o7, ri, ru, rl, rul, rc, rs);
        }
    int r;
    long lr;
    unsigned long long ur;
    int s1 = __builtin_sadd_overflow(INT_MAX, 1, &r);
    int r1 = r;
    int s2 = __builtin_ssub_overflow(INT_MIN, 1, &r);
    printf("%d %d %d %d\n", s1, r1, s2, r);
    int s3 = __builtin_smull_overflow(LONG_MAX / 2, 3, &lr);
    printf("%d %ld\n", s3, lr);
    int s4 = __builtin_umulll_overflow(1ULL << 32, 1ULL << 32, &ur);
    printf("%d %llu\n", s4, ur);
    printf("%d %d\n", __builtin_add_overflow_p(100, 100, (signed char)0), __builtin_mul_overflow_p(10, 10, (signed char)0));
    int calls = 0;
    int x = __builtin_add_overflow(calls++, 5, &r);
    printf("%d %d %d\n", x, r, calls);
#if __has_builtin(__builtin_mul_overflow) && __has_builtin(__builtin_uaddll_overflow)
    puts("has_builtin ok");
#endif
    return 0;
}

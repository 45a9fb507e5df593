/* __builtin_{add,sub,mul}_overflow with 64-bit (or narrower) operands and a 128-bit
   result: the exact value always fits the computation, only its range check changes. */
#include <stdio.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static void show(const char *what, int ovf, u128 v)
{
    printf("%s %d %016llx%016llx\n", what, ovf, (unsigned long long)(v >> 64),
           (unsigned long long)v);
}

int main(void)
{
    u128 u;
    i128 s;
    int o;
    o = __builtin_mul_overflow((unsigned char)4, -16, &u);
    show("uchar*-16 ->u128", o, u);
    o = __builtin_mul_overflow(~0ull, ~0ull, &u);
    show("umax*umax ->u128", o, u);
    o = __builtin_mul_overflow(~0ull, ~0ull, &s);
    show("umax*umax ->i128", o, (u128)s);
    o = __builtin_mul_overflow(-5ll, 1ll << 62, &s);
    show("-5*2^62 ->i128", o, (u128)s);
    o = __builtin_sub_overflow(0u, 1u, &u);
    show("0u-1u ->u128", o, u);
    o = __builtin_add_overflow(~0ull, 1, &u);
    show("umax+1 ->u128", o, u);
    o = __builtin_sub_overflow(-1ll, ~0ull, &s);
    show("-1-umax ->i128", o, (u128)s);
    return 0;
}

/* Integer promotions and the usual arithmetic conversions. */
#include <stdio.h>
#include <limits.h>

static int checks, failures;

static void check(const char *what, long long got, long long want)
{
    checks++;
    if (got != want) {
        failures++;
        printf("FAIL %s: got %lld want %lld\n", what, got, want);
    }
}

int main(void)
{
    unsigned char uc = 200;
    signed char sc = -100;
    unsigned short us = 65000;
    short ss = -30000;
    unsigned int ui = 10;
    int si = -20;

    /* char and short promote to int before arithmetic */
    printf("uc+uc = %d\n", uc + uc);
    printf("sc*sc = %d\n", sc * sc);
    printf("us+us = %d\n", us + us);
    printf("ss-us = %d\n", ss - us);
    printf("sizeof(uc+uc) = %zu\n", sizeof(uc + uc));
    printf("sizeof(+sc) = %zu\n", sizeof(+sc));
    printf("sizeof(us<<1) = %zu\n", sizeof(us << 1));

    /* int mixed with unsigned int converts to unsigned */
    printf("si+ui = %u\n", si + ui);
    printf("si<ui: %d\n", si < ui);
    printf("(si<(int)ui): %d\n", si < (int)ui);
    printf("-1 < 0u: %d\n", -1 < 0u);
    printf("-1L < 0u: %d\n", -1L < 0u);
    printf("-1 < (unsigned char)0: %d\n", -1 < (unsigned char)0);
    printf("-1LL < 0ULL: %d\n", -1LL < 0ULL);

    /* long vs unsigned int: long can hold all unsigned ints on LP64 */
    long l = -5;
    printf("l + ui = %ld\n", l + ui);
    printf("sizeof(l+ui) = %zu\n", sizeof(l + ui));

    /* unsigned long long vs long long */
    unsigned long long ull = 3;
    long long ll = -4;
    printf("ll + ull = %llu\n", ll + ull);

    /* wrap-around of unsigned */
    unsigned int big = UINT_MAX;
    big += 2;
    printf("UINT_MAX+2 = %u\n", big);
    unsigned short ush = 65535;
    ush++;
    printf("ushort wrap = %u\n", ush);
    unsigned char ucw = 250;
    ucw += 10;
    printf("uchar wrap = %u\n", ucw);
    unsigned int z = 0;
    z--;
    printf("0u-1 = %u\n", z);

    /* conversions to narrower signed types (implementation-defined: modulo on gcc) */
    int wide = 300;
    signed char narrow = (signed char)wide;
    short s2 = (short)70000;
    printf("(signed char)300 = %d\n", narrow);
    printf("(short)70000 = %d\n", s2);
    printf("(unsigned char)-1 = %d\n", (unsigned char)-1);
    printf("(unsigned short)-2 = %d\n", (unsigned short)-2);

    /* ~ on small types promotes first */
    unsigned char m = 0x0f;
    printf("~m = %d\n", ~m);
    printf("(unsigned char)~m = %d\n", (unsigned char)~m);

    /* conditional operator converts both arms */
    int cond = 1;
    printf("cond ? -1 : 1u = %u\n", cond ? -1 : 1u);
    printf("sizeof(cond ? (char)1 : (short)2) = %zu\n", sizeof(cond ? (char)1 : (short)2));

    /* comparison results are int */
    printf("sizeof(1<2) = %zu\n", sizeof(1 < 2));

    check("uc*uc", uc * uc, 40000);
    check("ss*2", ss * 2, -60000);
    check("ui-11", (long long)(ui - 11), 4294967295LL);
    check("si/ (int)ui", si / (int)ui, -2);
    check("si % (int)ui", si % (int)ui, 0);
    check("us*us", (long long)((unsigned)us * us), 4225000000LL);
    check("sc>>1", sc >> 1, -50);

    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}

/* Constant conversions of out-of-range floating values to integers: undefined in C, but
   gcc folds them saturated to the target range (NaN to 0) and programs rely on it. */
#include <stdio.h>

static int s1 = (int)3e10;
static int s2 = (int)-3e10;
static unsigned char s3 = 300.0;
static unsigned s4 = (unsigned)-1.0;
static long long s5 = (long long)1e30;
static short s6 = (short)-1e9;

int f1(void) { return (int)2147483648.0f; }
int f2(void) { return (int)(float)2147483647; }

int main(void)
{
    printf("%d %d %d %u %lld %d\n", s1, s2, s3, s4, s5, s6);
    printf("%d %d\n", f1(), f2());
    printf("%d %d %u %d\n", (signed char)300.0, (int)__builtin_nan(""), (unsigned char)-5.0,
           (short)1e9);
    printf("%llu %d\n", (unsigned long long)1e30, (int)-0.9);
    return 0;
}

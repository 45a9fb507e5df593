/* Calling variadic printf with many and mixed arguments: more than 6 integers and more than
 * 8 doubles (so some go on the stack), longs, chars, strings, and floats promoted to double. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

int main(void)
{
    printf("%d %d %d %d %d %d %d %d %d %d\n", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    printf("%f %f %f %f %f %f %f %f %f %f %f\n", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0,
           10.0, 11.0);
    printf("%d %f %d %f %d %f %d %f %d %f %d %f %d %f %d %f %d %f %d %f\n", 1, 1.5, 2, 2.5, 3,
           3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5);
    printf("%ld %lld %lu %llu %hd %hhd %hu %hhu\n", -1234567890123L, -9876543210987LL,
           18446744073709551615UL, 12345678901234567890ULL, (short)-32768, (signed char)-128,
           (unsigned short)65535, (unsigned char)255);
    printf("%c%c%c %s %5s|%-5s|%.2s\n", 'a', 'b', 'c', "str", "r", "l", "truncate");
    float f = 1.25f;
    char c = 'z';
    short sh = -7;
    printf("%f %d %d\n", f, c, sh);
    printf("%x %X %o %#x %#o %08x %-8x|\n", 255, 255, 8, 255, 8, 0xbeef, 0xbeef);
    printf("%5d|%-5d|%05d|%+d|% d|%+d\n", 42, 42, 42, 42, 42, -42);
    printf("%*d|%-*d|%.*f|%*.*f\n", 6, 7, 6, 7, 3, 3.14159, 10, 2, 2.71828);
    printf("%zu %td %jd\n", sizeof(long), (ptrdiff_t)-5, (intmax_t)1 << 40);
    printf("%%literal %c\n", '%');
    printf("%s %s %s %s %s %s %s %s\n", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
    printf("%d %s %f %ld %c %lld %g %u %e %x %s %d\n", -1, "mix", 0.5, 100000L, 'Q', 1LL << 50,
           1e-5, 3000000000u, 12345.678, 0xabcu, "end", 99);
    long double ld = 1.5L;
    printf("%Lf %Lg\n", ld, ld * 3);
    int n1, n2;
    printf("count%n me%n\n", &n1, &n2);
    printf("%d %d\n", n1, n2);
    char buf[200];
    int len = sprintf(buf, "%d,%d,%d,%d,%d,%d,%d,%g,%g,%g,%g,%g,%g,%g,%g,%g", 1, 2, 3, 4, 5, 6,
                      7, .1, .2, .3, .4, .5, .6, .7, .8, .9);
    printf("%s (%d)\n", buf, len);
    fprintf(stdout, "%s %d\n", "fprintf", 1);
    return 0;
}

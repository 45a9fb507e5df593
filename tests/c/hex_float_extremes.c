/* Hexadecimal floating constants at and far beyond the limits of each type: huge exponents
   round to infinity or zero (and compile at once), subnormals round to nearest even. */
#include <stdio.h>

int main(void) {
    printf("%a %a %a %a\n", 0x1p99999999999999, 0x1p-99999999999999, 0x1p1023, 0x1p1024);
    printf("%a %a %a %a\n", 0x1.fffffffffffffp1023, 0x1p-1074, 0x1p-1075, 0x1.8p-1074);
    printf("%a %a\n", (double)0x1p99999999999999f, (double)0x1p-150f);
    printf("%La %La\n", 0x1p99999999999999L, 0x1p-99999999999999L);
    printf("%La %La\n", 0x1p16383L, 0x1p-16445L);
    return 0;
}

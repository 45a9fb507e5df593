// cfree-args: -UFOO -DFOO=2 -DBAR=3 -UBAR -DBAZ -UBAZ -DBAZ=7
/* -D and -U apply in command-line order, as in gcc. */
#include <stdio.h>
int main(void) {
#ifdef FOO
    printf("FOO=%d\n", FOO);
#else
    puts("FOO undefined");
#endif
#ifdef BAR
    printf("BAR=%d\n", BAR);
#else
    puts("BAR undefined");
#endif
    printf("BAZ=%d\n", BAZ);
    return 0;
}

/* Bytes that are not UTF-8 (Latin-1 text here) in string and character literals are
   copied into the value, as gcc does. */
#include <stdio.h>

static const unsigned char s[] = "café ÿ";

int main(void)
{
    const char *p = "naïve";
    printf("%zu", sizeof s);
    for (unsigned i = 0; i < sizeof s; i++)
        printf(" %d", s[i]);
    printf("\n%d %d %d\n", p[2], (unsigned char)p[2], (int)'é');
    return 0;
}

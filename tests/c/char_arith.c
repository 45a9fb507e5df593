/* Characters: signedness of plain char (signed on x86-64), arithmetic, ctype, arrays. */
#include <stdio.h>
#include <ctype.h>
#include <string.h>

static int count_class(const char *s, int (*pred)(int))
{
    int n = 0;
    for (; *s; s++)
        if (pred((unsigned char)*s))
            n++;
    return n;
}

static void caesar(char *s, int k)
{
    for (; *s; s++) {
        if (islower((unsigned char)*s))
            *s = (char)('a' + (*s - 'a' + k) % 26);
        else if (isupper((unsigned char)*s))
            *s = (char)('A' + (*s - 'A' + k) % 26);
    }
}

int main(void)
{
    char c = (char)200;
    signed char sc = (signed char)200;
    unsigned char uc = 200;
    printf("%d %d %d\n", c, sc, uc);
    printf("%d\n", c == sc);
    printf("%d\n", (char)-1 < 0);

    char hi = 127;
    hi++;
    printf("127+1 as char: %d\n", hi);

    unsigned char counts[256] = {0};
    const char *text = "Hello, World! 123 \xe9t\xe9 ~";
    for (const char *p = text; *p; p++)
        counts[(unsigned char)*p]++;
    for (int i = 0; i < 256; i++)
        if (counts[i])
            printf("%3d:%d ", i, counts[i]);
    printf("\n");

    printf("alpha %d digit %d space %d punct %d upper %d\n",
           count_class(text, isalpha), count_class(text, isdigit),
           count_class(text, isspace), count_class(text, ispunct),
           count_class(text, isupper));

    char buf[64];
    strcpy(buf, "Attack at Dawn, xyz");
    caesar(buf, 3);
    printf("%s\n", buf);
    caesar(buf, 23);
    printf("%s\n", buf);

    for (char ch = 'a'; ch <= 'f'; ch++)
        putchar(toupper(ch));
    putchar('\n');

    /* digit arithmetic */
    const char *num = "9081726354";
    long val = 0;
    for (const char *p = num; *p; p++)
        val = val * 10 + (*p - '0');
    printf("%ld\n", val);

    /* chars in switch and comparisons */
    int vowels = 0;
    for (const char *p = "Programming in C is fun"; *p; p++) {
        switch (tolower((unsigned char)*p)) {
        case 'a': case 'e': case 'i': case 'o': case 'u':
            vowels++;
        }
    }
    printf("vowels %d\n", vowels);

    /* char arithmetic results are int */
    char a = 100, b = 100;
    int sum = a + b;
    char csum = (char)(a + b);
    printf("%d %d %zu\n", sum, csum, sizeof(a + b));
    unsigned char x = 0xf0, y = 0x0f;
    printf("%d %d %d\n", x | y, x & y, (unsigned char)(x ^ 0xff));
    return 0;
}

/* String literals: concatenation, escapes, arrays vs pointers, sizeof. */
#include <stdio.h>
#include <string.h>

static const char *greeting = "hello, " "world";
static char modifiable[] = "abc" "def";

int main(void)
{
    printf("%s\n", greeting);
    printf("%zu %zu\n", sizeof "abc", sizeof("ab" "cd" "ef"));
    printf("%zu %zu\n", sizeof modifiable, strlen(modifiable));
    modifiable[0] = 'A';
    printf("%s\n", modifiable);

    const char *esc = "tab\there\nnewline \\ backslash \"quote\" \'single\' \?";
    printf("%s\n", esc);
    const char octal[] = "\101\102\103\0\104";
    printf("%s %zu %d\n", octal, sizeof octal, octal[4]);
    const char hex[] = "\x41\x42\x7e\x20z";
    printf("%s\n", hex);
    printf("%d %d %d %d\n", "\a"[0], "\b"[0], "\f"[0], "\v"[0]);
    printf("%d %d\n", "\r"[0], "\e"[0]);
    printf("%c%c%c\n", "xyz"[2], "xyz"[1], *"xyz");

    /* embedded NULs */
    char nul[] = "ab\0cd";
    printf("%zu %zu %c\n", sizeof nul, strlen(nul), nul[3]);

    /* escape followed by hex-looking chars needs concatenation to stop */
    const char stop[] = "\x41" "BC";
    printf("%s\n", stop);

    /* long concatenated literal across lines */
    const char *poem =
        "Roses are red,\n"
        "  violets are blue,\n"
        "    this string is long,\n"
        "      and so are you.\n";
    fputs(poem, stdout);
    printf("%zu\n", strlen(poem));

    /* array of string pointers and 2D char arrays */
    const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (unsigned i = 0; i < sizeof days / sizeof *days; i++)
        printf("%s%c", days[i], i == 6 ? '\n' : ',');

    /* char array initialised with exact size: no terminating NUL */
    char exact[3] = "xyz";
    printf("%.3s\n", exact);

    /* UTF-8 in literals and u8 prefix */
    const char *utf = u8"caf\u00e9 \u20ac";
    printf("%s %zu\n", utf, strlen(utf));
    for (const unsigned char *p = (const unsigned char *)utf; *p; p++)
        printf("%02x", *p);
    printf("\n");

    /* string comparisons */
    printf("%d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
    printf("%%d literal percent, %s\n", "%s in argument");
    return 0;
}

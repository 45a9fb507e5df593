// cfree-run-args: alpha beta-2 3 --flag=on -7 last
/* main's argc and argv: count, contents, the NULL terminator, and parsing options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    /* argv[0] is the program's name, which differs between compilers: don't print it */
    printf("argv[0] non-empty %d\n", argv[0] != NULL && argv[0][0] != 0);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\" (%zu)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);

    int numbers = 0;
    long total = 0;
    const char *flag = "off";
    for (char **a = argv + 1; *a; a++) {
        char *end;
        long v = strtol(*a, &end, 10);
        if (**a && !*end) {
            numbers++;
            total += v;
        } else if (strncmp(*a, "--flag=", 7) == 0) {
            flag = *a + 7;
        }
    }
    printf("numbers %d total %ld flag %s\n", numbers, total, flag);

    /* argv strings are writable */
    if (argc > 1) {
        argv[1][0] = 'A';
        printf("modified %s\n", argv[1]);
    }
    return argc == 7 ? 0 : 1;
}

/* stdio: fputs/fputc/putchar/puts to stdout and stderr, sprintf/snprintf, sscanf, tmpfile I/O. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    fputs("fputs to stdout\n", stdout);
    fputs("fputs to stderr\n", stderr);
    puts("puts adds a newline");
    putchar('p');
    putc('c', stdout);
    fputc('\n', stdout);
    fprintf(stderr, "fprintf to stderr: %d %s\n", 7, "seven");

    char buf[128];
    int n = sprintf(buf, "%s|%5d|%-6.2f|%x", "abc", 42, 3.14159, 255);
    printf("sprintf %d [%s]\n", n, buf);
    char small[8];
    n = snprintf(small, sizeof small, "%s", "overflowing text");
    printf("snprintf %d [%s]\n", n, small);
    n = snprintf(NULL, 0, "%d-%d", 123, 4567);
    printf("measure %d\n", n);

    int a, b;
    char word[16];
    double d;
    int got = sscanf("12 -34 hello 2.5e3", "%d %d %15s %lf", &a, &b, word, &d);
    printf("sscanf %d: %d %d %s %g\n", got, a, b, word, d);
    unsigned hex;
    char ch;
    got = sscanf("ff:x", "%x:%c", &hex, &ch);
    printf("sscanf %d: %u %c\n", got, hex, ch);
    int day, month, year;
    got = sscanf("2024-03-15", "%d-%d-%d", &day, &month, &year);
    printf("date %d: %d %d %d\n", got, day, month, year);
    got = sscanf("abc", "%d", &a);
    printf("no match %d\n", got);
    char rest[32];
    int consumed;
    sscanf("key = value pair", "%*s = %31[^\n]%n", rest, &consumed);
    printf("[%s] consumed %d\n", rest, consumed);

    /* write and read back through a temporary file */
    FILE *f = tmpfile();
    if (f) {
        for (int i = 0; i < 5; i++)
            fprintf(f, "line %d: %d\n", i, i * i);
        rewind(f);
        char line[64];
        int total = 0;
        while (fgets(line, sizeof line, f)) {
            int idx, sq;
            if (sscanf(line, "line %d: %d", &idx, &sq) == 2)
                total += sq;
        }
        printf("file total %d\n", total);
        fseek(f, 0, SEEK_END);
        printf("file size %ld\n", ftell(f));
        fclose(f);
    }

    /* binary fwrite/fread */
    f = tmpfile();
    if (f) {
        double vals[4] = {1.5, -2.25, 1e10, 0.125}, back[4];
        fwrite(vals, sizeof vals[0], 4, f);
        rewind(f);
        size_t r = fread(back, sizeof back[0], 4, f);
        printf("fread %zu %g %g\n", r, back[1], back[2]);
        printf("eof %d\n", fgetc(f) == EOF && feof(f));
        fclose(f);
    }
    fflush(stdout);
    return 0;
}

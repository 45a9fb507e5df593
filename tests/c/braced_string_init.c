/* A character array initialised by a string literal enclosed in braces (C11 6.7.9p14),
 * automatic, static, nested in structs and 2-D arrays; lz4io.c has `const char units[] = {"\0KMGTPEZY"};`. */
#include <stdio.h>
struct S { char name[6]; int n; };
struct S tab[] = { {{"ab"}, 1}, {"cd", 2} };
char grid[2][4] = { {"xy"}, "zw" };
int main(void) {
    const char units[] = {"\0KMGTPEZY"};
    char buf[8] = {"abc"};
    static const char s2[] = {"xyz"};
    printf("%zu %c %c %zu %s %zu %s\n", sizeof units, units[1], units[8], sizeof buf, buf, sizeof s2, s2);
    printf("%s %d %s %d %s %s %zu\n", tab[0].name, tab[0].n, tab[1].name, tab[1].n, grid[0], grid[1], sizeof tab);
    return 0;
}

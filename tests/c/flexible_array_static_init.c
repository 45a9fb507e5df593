/* Static objects may initialise their flexible array member (GNU C): the image extends
   past sizeof, and the next object must not overlap it. */
#include <stdio.h>
#include <string.h>

struct str { char tag; char text[]; };
struct nums { int n; int v[]; };

struct str a = { 'o', "wxyz" };
struct str b = { '9', { 'e', 'b' } };
struct nums c = { 3, { 10, 20, 30 } };
static struct nums d = { .n = 2, .v = { [1] = 7 } };
struct nums e = { 1 };

int main(void)
{
    static struct str local = { 'L', "static local" };
    printf("%zu %zu\n", sizeof a, sizeof c);
    printf("%c %s\n", a.tag, a.text);
    printf("%c %c %c\n", b.tag, b.text[0], b.text[1]);
    printf("%d %d %d %d\n", c.n, c.v[0], c.v[1], c.v[2]);
    printf("%d %d %d\n", d.n, d.v[0], d.v[1]);
    printf("%d %c %s\n", e.n, local.tag, local.text);
    printf("%d\n", (int)strlen(a.text));
    return 0;
}

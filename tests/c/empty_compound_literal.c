/* `(T){}` (an empty compound-literal initializer) followed by assignments to globals:
   the assignments must stay statements. */
#include <stdio.h>

struct pt { int x, y; };
struct g {};
int counter;
char y[3];
char *f = &y[0];

void set(void)
{
    struct pt p = (struct pt){};
    counter = p.x + 5;
    *((struct g *)(f++)) = (struct g){};
    counter += 2;
}

int main(void)
{
    set();
    printf("%d %d\n", counter, (int)(f - y));
    return 0;
}

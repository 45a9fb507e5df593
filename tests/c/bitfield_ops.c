/* Operators on bit-fields: compound assignment, increments, comparisons, arrays of them. */
#include <stdio.h>

struct pixel { unsigned r : 5, g : 6, b : 5; };
struct counter { unsigned small : 4; int neg : 6; unsigned char flag : 1; };

static struct pixel blend(struct pixel a, struct pixel b)
{
    struct pixel p;
    p.r = (a.r + b.r) / 2;
    p.g = (a.g + b.g) / 2;
    p.b = (a.b + b.b) / 2;
    return p;
}

static unsigned pack(struct pixel p) { return (p.r << 11) | (p.g << 5) | p.b; }

int main(void)
{
    struct pixel img[8];
    for (int i = 0; i < 8; i++) {
        img[i].r = i * 4;
        img[i].g = i * 9;
        img[i].b = 31 - i;
    }
    for (int i = 0; i < 8; i++)
        printf("%04x ", pack(img[i]));
    printf("\n");
    struct pixel m = blend(img[1], img[6]);
    printf("blend %u %u %u\n", m.r, m.g, m.b);

    struct counter c = {0, 0, 0};
    for (int i = 0; i < 20; i++) {
        c.small++;
        c.neg -= 3;
        c.flag = !c.flag;
    }
    printf("small %u neg %d flag %u\n", c.small, c.neg, c.flag);

    c.small = 10;
    c.small += 10;
    printf("+= %u\n", c.small);
    c.small *= 3;
    printf("*= %u\n", c.small);
    c.small <<= 2;
    printf("<<= %u\n", c.small);
    c.small = 13;
    c.small ^= 0xff;
    printf("^= %u\n", c.small);
    c.small |= 1;
    c.small &= 6;
    printf("&= %u\n", c.small);
    c.neg = -20;
    c.neg /= 3;
    printf("/= %d\n", c.neg);
    c.neg %= 4;
    printf("%%= %d\n", c.neg);

    /* value of assignment expressions with bit-fields is the stored (truncated) value */
    int v = (c.small = 21);
    printf("assign value %d stored %u\n", v, c.small);
    int w = c.small++;
    int x = ++c.small;
    printf("post %d pre %d now %u\n", w, x, c.small);

    /* comparisons and conditionals */
    int cnt = 0;
    for (int i = 0; i < 8; i++)
        if (img[i].g > img[i].b)
            cnt++;
    printf("g>b count %d\n", cnt);
    printf("%d\n", img[3].r == 12 && img[3].b == 28);
    return 0;
}

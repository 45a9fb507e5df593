/* Enumerations: implicit and explicit values, negative values, use as indices and in switch. */
#include <stdio.h>

enum color { RED, GREEN, BLUE, NCOLORS };
enum weird { A = -3, B, C = 10, D, E = C + D, F = 'x', G = 1 << 20 };
enum big { BIG = 0x7fffffff };
typedef enum { OP_ADD = 1, OP_SUB, OP_MUL = 10, OP_DIV } op_t;

static const char *color_names[NCOLORS] = {[RED] = "red", [GREEN] = "green", [BLUE] = "blue"};

static int apply(op_t op, int a, int b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    }
    return -1;
}

enum { ANON_ONE = 1, ANON_TWO };

int main(void)
{
    for (enum color c = RED; c < NCOLORS; c++)
        printf("%d=%s ", c, color_names[c]);
    printf("\n");
    printf("%d %d %d %d %d %d %d\n", A, B, C, D, E, F, G);
    printf("%d\n", BIG);
    printf("sizeof(enum color) %zu sizeof(RED) %zu\n", sizeof(enum color), sizeof(RED));

    op_t ops[] = {OP_ADD, OP_SUB, OP_MUL, OP_DIV};
    for (int i = 0; i < 4; i++)
        printf("op%d(%d): %d\n", i, ops[i], apply(ops[i], 17, 5));

    enum color c = BLUE;
    c = (enum color)(c + 1);
    printf("%d %d\n", c, c == NCOLORS);

    int counts[NCOLORS] = {0};
    const char *seq = "rgbbgrrbgb";
    for (const char *p = seq; *p; p++) {
        enum color col = *p == 'r' ? RED : *p == 'g' ? GREEN : BLUE;
        counts[col]++;
    }
    for (int i = 0; i < NCOLORS; i++)
        printf("%s:%d ", color_names[i], counts[i]);
    printf("\n");
    printf("%d %d\n", ANON_ONE + ANON_TWO, (enum weird)5 == 5);

    /* enum constants are ints in expressions */
    printf("%d %d\n", B * C, -A);
    enum weird wv = A;
    printf("neg enum lt zero %d\n", wv < 0);
    return 0;
}

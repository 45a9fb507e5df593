/* GNU C: case ranges, zero-length arrays, ?: with omitted middle operand, binary literals,
 * __extension__, and labels as values (computed goto). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *grade(int score)
{
    switch (score) {
    case 90 ... 100: return "A";
    case 80 ... 89: return "B";
    case 70 ... 79: return "C";
    case 0 ... 69: return "F";
    default: return "invalid";
    }
}

static int char_class(unsigned char c)
{
    switch (c) {
    case 'a' ... 'z': return 1;
    case 'A' ... 'Z': return 2;
    case '0' ... '9': return 3;
    case 128 ... 255: return 4;
    default: return 0;
    }
}

struct msg { int len; char data[0]; };

static int run_bytecode(const unsigned char *code)
{
    static void *dispatch[] = {&&op_halt, &&op_inc, &&op_dbl, &&op_dec};
    int acc = 0;
    const unsigned char *pc = code;
    goto *dispatch[*pc++];
op_inc:
    acc++;
    goto *dispatch[*pc++];
op_dbl:
    acc *= 2;
    goto *dispatch[*pc++];
op_dec:
    acc--;
    goto *dispatch[*pc++];
op_halt:
    return acc;
}

int main(void)
{
    int scores[] = {100, 95, 85, 72, 50, 0, 101, -5};
    for (int i = 0; i < 8; i++)
        printf("%d:%s ", scores[i], grade(scores[i]));
    printf("\n");
    int counts[5] = {0};
    const char *text = "Hello World 2024! \xc3\xa9";
    for (const char *p = text; *p; p++)
        counts[char_class((unsigned char)*p)]++;
    printf("other %d lower %d upper %d digit %d high %d\n", counts[0], counts[1], counts[2],
           counts[3], counts[4]);

    printf("sizeof(struct msg) %zu\n", sizeof(struct msg));
    struct msg *m = malloc(sizeof *m + 6);
    m->len = 6;
    memcpy(m->data, "zero!", 6);
    printf("%d %s\n", m->len, m->data);
    free(m);

    int x = 0, y = 7;
    printf("%d %d\n", x ?: 99, y ?: 99);
    const char *name = NULL;
    printf("%s\n", name ?: "(default)");

    printf("%d %d\n", 0b1010, 0B11111111);
    __extension__ long long ext = 1LL << 40;
    printf("%lld\n", ext);

    const unsigned char prog[] = {1, 1, 2, 2, 2, 3, 1, 0};
    printf("bytecode %d\n", run_bytecode(prog));

    void *target = &&skip;
    printf("before computed goto\n");
    goto *target;
    printf("skipped\n");
skip:
    printf("after computed goto\n");
    return 0;
}

/* Unions: type punning (gcc allows it), tagged unions, sizes, unions of structs. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

union word { uint32_t u; int32_t i; float f; unsigned char b[4]; uint16_t h[2]; };

enum kind { K_INT, K_DBL, K_STR };
struct value {
    enum kind kind;
    union { long i; double d; const char *s; } as;
};

static void show(struct value v)
{
    switch (v.kind) {
    case K_INT: printf("int %ld\n", v.as.i); break;
    case K_DBL: printf("double %g\n", v.as.d); break;
    case K_STR: printf("string %s\n", v.as.s); break;
    }
}

union big { char c; double d; int arr[5]; };

struct msg {
    int type;
    union {
        struct { int x, y; } move;
        struct { char text[8]; } say;
        struct { double amount; } pay;
    } u;
};

int main(void)
{
    union word w;
    w.f = 1.0f;
    printf("1.0f bits %08x\n", w.u);
    w.u = 0xc0490fdb;
    printf("float %.6f\n", w.f);
    w.u = 0x11223344;
    printf("bytes %02x %02x %02x %02x halves %04x %04x\n", w.b[0], w.b[1], w.b[2], w.b[3],
           w.h[0], w.h[1]);
    w.i = -1;
    printf("u %u\n", w.u);

    union { double d; uint64_t u; } du = {.d = -2.5};
    printf("double bits %016llx\n", (unsigned long long)du.u);

    struct value vals[3] = {{K_INT, {.i = -42}}, {K_DBL, {.d = 6.25}}, {K_STR, {.s = "hi"}}};
    for (int i = 0; i < 3; i++)
        show(vals[i]);

    printf("sizeof word %zu big %zu value %zu msg %zu\n", sizeof(union word), sizeof(union big),
           sizeof(struct value), sizeof(struct msg));
    printf("align big %zu\n", _Alignof(union big));

    struct msg m[3];
    m[0].type = 0;
    m[0].u.move.x = 3;
    m[0].u.move.y = -4;
    m[1].type = 1;
    strcpy(m[1].u.say.text, "hello");
    m[2].type = 2;
    m[2].u.pay.amount = 9.75;
    for (int i = 0; i < 3; i++) {
        switch (m[i].type) {
        case 0: printf("move %d %d\n", m[i].u.move.x, m[i].u.move.y); break;
        case 1: printf("say %s\n", m[i].u.say.text); break;
        case 2: printf("pay %.2f\n", m[i].u.pay.amount); break;
        }
    }

    /* union initialisation initialises the first member */
    union word z = {0x01020304};
    printf("%u\n", z.b[0]);

    /* union assignment and passing */
    union word a = w, b;
    b = a;
    printf("%d\n", b.i);

    /* union with designated initialiser of a later member */
    union big bg = {.arr = {1, 2, 3}};
    printf("%d %d %d %d\n", bg.arr[0], bg.arr[2], bg.arr[3], bg.arr[4]);
    return 0;
}

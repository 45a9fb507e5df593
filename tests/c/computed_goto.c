/* GNU labels as values: &&label, goto *p, static dispatch tables, label differences. */
#include <stdio.h>

enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_JNZ, OP_DEC, OP_SWAP, OP_PRINT, OP_HALT };

/* A small threaded-code stack machine (the pattern of Lua's ljumptab.h). */
static long run(const int *code) {
    static const void *const disp[] = {&&L_PUSH, &&L_ADD, &&L_MUL, &&L_DUP, &&L_JNZ,
                                       &&L_DEC, &&L_SWAP, &&L_PRINT, &&L_HALT};
    long stack[64];
    int sp = 0;
    const int *pc = code;
#define NEXT goto *disp[*pc++]
    NEXT;
L_PUSH:
    stack[sp++] = *pc++;
    NEXT;
L_ADD:
    sp--;
    stack[sp - 1] += stack[sp];
    NEXT;
L_MUL:
    sp--;
    stack[sp - 1] *= stack[sp];
    NEXT;
L_DUP:
    stack[sp] = stack[sp - 1];
    sp++;
    NEXT;
L_JNZ: {
    int target = *pc++;
    if (stack[--sp])
        pc = code + target;
    NEXT;
}
L_DEC:
    stack[sp - 1]--;
    NEXT;
L_SWAP: {
    long t = stack[sp - 1];
    stack[sp - 1] = stack[sp - 2];
    stack[sp - 2] = t;
    NEXT;
}
L_PRINT:
    printf("top=%ld\n", stack[sp - 1]);
    NEXT;
L_HALT:
    return sp ? stack[sp - 1] : -1;
#undef NEXT
}

/* Label differences as offsets from a base label (gcc's pr70460 pattern). */
static int offsets(int x) {
    static const int off[] = {&&l1 - &&l0, &&l2 - &&l0, &&l3 - &&l0};
    int c = 0;
    goto *(&&l0 + off[x]);
l1:
    c += 100;
l2:
    c += 10;
l3:
    c += 1;
l0:
    return c;
}

/* Label addresses in automatic variables, chosen at run time, compared. */
static int pick(int n) {
    void *a = &&even, *b = &&odd;
    void *p = (n % 2) ? b : a;
    if (p == &&even && p != b)
        goto *p;
    goto *p;
even:
    return n / 2;
odd:
    return 3 * n + 1;
}

/* Runtime difference stored in a short (gcc's 920302-1 pattern). */
static char buf[16];
static void exec_tab(const short *ip) {
    void *base = &&x;
    char *bp = buf;
x:
    *bp++ = 'x';
    goto *(base + *ip++);
y:
    *bp++ = 'y';
    goto *(base + *ip++);
z:
    *bp = 0;
    return;
    (void)&&y;
    (void)&&z;
}

static short tab_off(int k) {
    void *base = &&x;
    void *t[] = {&&x, &&y, &&z};
    return (short)((char *)t[k] - (char *)base);
x:
y:
z:
    return 0;
}

int main(void) {
    /* 5! with a loop: acc=1, n=5; loop: acc*=n; n--; jnz */
    int prog[] = {OP_PUSH, 1, OP_PUSH, 5,           /* acc n */
                  OP_DUP, OP_PUSH, 0, OP_ADD,        /* acc n n */
                  OP_SWAP, OP_HALT};
    printf("run=%ld\n", run(prog));
    int fact[] = {OP_PUSH, 1, OP_PUSH, 6, /* 4: */ OP_DUP, OP_PRINT, OP_SWAP, OP_PUSH, 0,
                  OP_ADD, OP_SWAP, OP_DEC, OP_DUP, OP_JNZ, 4, OP_HALT};
    printf("fact=%ld\n", run(fact));
    for (int i = 0; i < 3; i++)
        printf("offsets(%d)=%d\n", i, offsets(i));
    for (int i = 1; i < 8; i++)
        printf("pick(%d)=%d\n", i, pick(i));
    (void)tab_off;
    /* `&&` after a parenthesised sizeof operand or a cast stays the logical and. */
    int one = 1;
    printf("and: %d %d\n", sizeof (char) && one, (int)one && (long)one);
    printf("label addr non-null: %d\n", &&done != 0);
done:
    return 0;
}

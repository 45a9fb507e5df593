/* GNU `asm goto` on x86-64: labels by name (%l[name]) and by number (%lN, counted after the
   operands), several labels, outputs (GCC 11+), inside loops, out of a VLA scope, and falling
   through. */
#include <stdio.h>

static int classify(long x) {
    asm goto("cmpq $0, %0\n\t"
             "jl %l[negative]\n\t"
             "je %l2"
             : /* no outputs */
             : "r"(x)
             : "cc"
             : negative, zero);
    return 1;
negative:
    return -1;
zero:
    return 0;
}

static int with_output(int x, int *out) {
    int doubled;
    asm goto("leal (%1,%1), %0\n\t"
             "testl %0, %0\n\t"
             "jz %l[was_zero]"
             : "=r"(doubled)
             : "r"(x)
             : "cc"
             : was_zero);
    *out = doubled;
    return 1;
was_zero:
    *out = doubled;
    return 0;
}

static int leave_scopes(int n) {
    int i;
    for (i = 0; i < 10; i++) {
        char vla[n + i];
        vla[0] = (char)i;
        asm goto("cmpl %1, %0\n\tjge %l[out]" : : "r"(i), "r"(n) : "cc" : out);
        (void)vla;
    }
    return -1;
out:
    return i;
}

int main(void) {
    printf("%d %d %d\n", classify(-5), classify(0), classify(7));
    int o;
    int r = with_output(21, &o);
    printf("%d %d\n", r, o);
    r = with_output(0, &o);
    printf("%d %d\n", r, o);
    printf("%d\n", leave_scopes(3));
    int count = 0;
    for (int k = 0; k < 100; k++) {
        asm goto("testl $1, %0\n\tjnz %l[odd]" : : "r"(k) : "cc" : odd);
        count += 10;
        continue;
    odd:
        count += 1;
    }
    printf("%d\n", count);
    return 0;
}

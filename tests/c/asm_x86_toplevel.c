/* File-scope asm on x86-64: functions and data defined in assembly, called and read from C;
 * templates that refer to C objects by name and through "i" symbol operands. */
#include <stdio.h>

__asm__(".text\n"
        ".globl asm_add3\n"
        ".type asm_add3,@function\n"
        "asm_add3:\n"
        "\tleal 3(%rdi), %eax\n"
        "\tret\n"
        ".size asm_add3, .-asm_add3\n"
        ".section .rodata\n"
        ".globl asm_table\n"
        ".p2align 2\n"
        "asm_table: .long 2, 3, 5, 7, 11\n"
        ".text\n");

asm(".globl asm_call_back\n"
    "asm_call_back:\n"
    "\tsubq $8, %rsp\n"
    "\tcall c_helper\n"
    "\taddq $8, %rsp\n"
    "\taddl $1000, %eax\n"
    "\tret\n");

int asm_add3(int);
int asm_call_back(int);
extern const int asm_table[5];

int c_helper(int x) { return x * 2; }

int counter = 5;

static int read_counter(void) {
    int v;
    asm("movl counter(%%rip), %0" : "=r"(v));
    return v;
}

static int table[4] = {1, 2, 3, 4};

/* Symbol addresses as "i" operands, printed bare with %P / %c for RIP-relative use. */
static int symbol_operands(void) {
    int v, w, u;
    void *f;
    asm("movl %P1(%%rip), %0" : "=r"(v) : "i"(&counter));
    asm("movl %c1+8(%%rip), %0" : "=r"(w) : "i"(table));
    asm("leaq %P1(%%rip), %0" : "=r"(f) : "i"(c_helper));
    asm("movl %c1(%%rip), %0" : "=r"(u) : "i"(&table[3]));
    return v * 1000 + w * 100 + ((int (*)(int))f)(u);
}

int main(void) {
    int s = 0;
    for (int i = 0; i < 5; i++)
        s += asm_table[i];
    printf("%d %d\n", asm_add3(39), s);
    printf("%d\n", asm_call_back(21));
    counter += 10;
    printf("%d\n", read_counter());
    printf("%d\n", symbol_operands());
    return 0;
}

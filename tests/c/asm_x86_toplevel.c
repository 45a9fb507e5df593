/* File-scope asm on x86-64: functions and data defined in assembly, called and read from C;
 * a template that refers to a C object by name. */
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

int main(void) {
    int s = 0;
    for (int i = 0; i < 5; i++)
        s += asm_table[i];
    printf("%d %d\n", asm_add3(39), s);
    printf("%d\n", asm_call_back(21));
    counter += 10;
    printf("%d\n", read_counter());
    return 0;
}

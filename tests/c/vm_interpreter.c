/* A small stack-based virtual machine with an assembler: arithmetic, jumps, calls, locals.
 * Runs a few programs (factorial, primes, gcd) and prints their output. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

enum op { PUSH, POP, ADD, SUB, MUL, DIV, MOD, DUP, SWAP, OVER, JMP, JZ, JNZ, LT, EQ,
          CALL, RET, LOAD, STORE, PRINT, HALT, NOPS };

static const char *op_names[NOPS] = {"push", "pop", "add", "sub", "mul", "div", "mod", "dup",
                                     "swap", "over", "jmp", "jz", "jnz", "lt", "eq", "call",
                                     "ret", "load", "store", "print", "halt"};

struct vm {
    long stack[256];
    int sp;
    int frames[64];
    int fp;
    long locals[16];
    long steps;
};

static int assemble(const char *src, long *code)
{
    char labels[32][16];
    int label_pos[32], nlabels = 0;
    /* two passes: the first records label positions */
    for (int pass = 0; pass < 2; pass++) {
        int n = 0;
        const char *p = src;
        char tok[32];
        int used;
        while (sscanf(p, "%31s%n", tok, &used) == 1) {
            p += used;
            size_t len = strlen(tok);
            if (tok[len - 1] == ':') {
                if (pass == 0) {
                    tok[len - 1] = 0;
                    strcpy(labels[nlabels], tok);
                    label_pos[nlabels++] = n;
                }
                continue;
            }
            int op = -1;
            for (int i = 0; i < NOPS; i++)
                if (strcmp(tok, op_names[i]) == 0)
                    op = i;
            if (op >= 0) {
                code[n++] = op;
                continue;
            }
            if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-') {
                code[n++] = strtol(tok, NULL, 10);
                continue;
            }
            long target = -1;
            for (int i = 0; i < nlabels; i++)
                if (strcmp(labels[i], tok) == 0)
                    target = label_pos[i];
            if (pass == 1 && target < 0) {
                printf("unknown label %s\n", tok);
                exit(3);
            }
            code[n++] = target;
        }
        if (pass == 1)
            return n;
    }
    return 0;
}

static int run(struct vm *vm, const long *code)
{
    int pc = 0;
    vm->sp = vm->fp = 0;
    vm->steps = 0;
#define PUSHV(v) (vm->stack[vm->sp++] = (v))
#define POPV() (vm->stack[--vm->sp])
    for (;;) {
        vm->steps++;
        long a, b;
        switch ((enum op)code[pc++]) {
        case PUSH: PUSHV(code[pc++]); break;
        case POP: vm->sp--; break;
        case ADD: b = POPV(); a = POPV(); PUSHV(a + b); break;
        case SUB: b = POPV(); a = POPV(); PUSHV(a - b); break;
        case MUL: b = POPV(); a = POPV(); PUSHV(a * b); break;
        case DIV: b = POPV(); a = POPV(); if (!b) return -1; PUSHV(a / b); break;
        case MOD: b = POPV(); a = POPV(); if (!b) return -1; PUSHV(a % b); break;
        case DUP: a = POPV(); PUSHV(a); PUSHV(a); break;
        case SWAP: b = POPV(); a = POPV(); PUSHV(b); PUSHV(a); break;
        case OVER: b = POPV(); a = POPV(); PUSHV(a); PUSHV(b); PUSHV(a); break;
        case JMP: pc = (int)code[pc]; break;
        case JZ: a = POPV(); pc = a == 0 ? (int)code[pc] : pc + 1; break;
        case JNZ: a = POPV(); pc = a != 0 ? (int)code[pc] : pc + 1; break;
        case LT: b = POPV(); a = POPV(); PUSHV(a < b); break;
        case EQ: b = POPV(); a = POPV(); PUSHV(a == b); break;
        case CALL: vm->frames[vm->fp++] = pc + 1; pc = (int)code[pc]; break;
        case RET: if (vm->fp == 0) return -2; pc = vm->frames[--vm->fp]; break;
        case LOAD: PUSHV(vm->locals[code[pc++]]); break;
        case STORE: vm->locals[code[pc++]] = POPV(); break;
        case PRINT: printf("%ld ", POPV()); break;
        case HALT: printf("\n"); return vm->sp;
        default: return -3;
        }
    }
#undef PUSHV
#undef POPV
}

static const char *factorial_src =
    "push 1 store 0 push 1 store 1 "
    "loop: load 1 push 16 lt jz done "
    "load 0 load 1 mul dup print store 0 "
    "load 1 push 1 add store 1 jmp loop "
    "done: halt";

static const char *primes_src =
    "push 2 store 0 "
    "outer: load 0 push 60 lt jz end "
    "push 2 store 1 "
    "inner: load 1 load 1 mul load 0 swap lt jnz prime "
    "load 0 load 1 mod jz next "
    "load 1 push 1 add store 1 jmp inner "
    "prime: load 0 print "
    "next: load 0 push 1 add store 0 jmp outer "
    "end: halt";

static const char *gcd_src =
    "push 1071 push 462 call gcd print "
    "push 270 push 192 call gcd print "
    "push 17 push 5 call gcd print halt "
    "gcd: dup jz gcd_done swap over mod jmp gcd "
    "gcd_done: pop ret";

int main(void)
{
    static long code[512];
    struct vm vm;
    const char *progs[] = {factorial_src, primes_src, gcd_src};
    const char *names[] = {"factorial", "primes", "gcd"};
    for (int i = 0; i < 3; i++) {
        int n = assemble(progs[i], code);
        printf("%s (%d words): ", names[i], n);
        int r = run(&vm, code);
        printf("  -> result %d after %ld steps\n", r, vm.steps);
    }
    return 0;
}

/* GNU inline asm on x86-64: operand kinds and template syntax. Bit scans (mimalloc's
 * bsf/tzcnt/bsr), zstd's ZSTD_selectAddr ("+r" and cmov, .p2align in the template), locked
 * read-modify-write on memory operands, matching constraints, register variables, clobbered
 * callee-saved registers, operand modifiers, constants, symbolic names, SSE operands. */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

static inline size_t ctz_bsf(uint64_t x) {
    size_t r;
    __asm__("bsfq %1, %0" : "=r"(r) : "r"(x) : "cc");
    return r;
}
static inline size_t ctz_tzcnt(uint64_t x) {
    size_t r;
    __asm__("tzcnt\t%1, %0" : "=r"(r) : "r"(x) : "cc");
    return r;
}
static inline size_t bsr(uint64_t x) {
    size_t r;
    __asm__("bsrq %1, %0" : "=r"(r) : "rm"(x) : "cc");
    return r;
}
static inline unsigned bsr32(unsigned x) {
    unsigned r;
    __asm__("bsrl %1, %k0" : "=r"(r) : "g"(x));
    return r;
}

/* zstd compress/zstd_lazy.c */
static const uint8_t *select_addr(uint32_t index, uint32_t lowLimit, const uint8_t *candidate,
                                  const uint8_t *backup) {
    __asm__(".p2align 6\n\t"
            "cmp %1, %2\n\t"
            "cmova %3, %0\n"
            : "+r"(candidate)
            : "r"(index), "r"(lowLimit), "r"(backup));
    return candidate;
}

static int cas(int *p, int expected, int desired) {
    int prev;
    __asm__ __volatile__("lock; cmpxchgl %2, %1"
                         : "=a"(prev), "+m"(*p)
                         : "r"(desired), "0"(expected)
                         : "memory");
    return prev;
}

static long xchg(long *p, long v) {
    __asm__ __volatile__("xchgq %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

static int fetch_add(int *p, int v) {
    __asm__ __volatile__("lock; xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory", "cc");
    return v;
}

/* A syscall the way libc-less code writes it: register variables for the arguments. */
static long my_write(int fd, const void *buf, size_t len) {
    register long rax __asm__("rax") = 1;
    register long rdi __asm__("rdi") = fd;
    register long rsi __asm__("rsi") = (long)buf;
    register long rdx __asm__("rdx") = (long)len;
    __asm__ volatile("syscall" : "+r"(rax) : "r"(rdi), "r"(rsi), "r"(rdx) : "rcx", "r11", "memory");
    return rax;
}

static long reg_var_r10(long x) {
    register long r10 asm("r10") = x * 3;
    long out;
    asm("leaq 1(%1), %0" : "=r"(out) : "r"(r10));
    return out;
}

/* The template trashes callee-saved registers it declares; the caller's values survive. */
static long trash_callee_saved(long v) {
    long out;
    __asm__ volatile("movq %1, %%rbx\n\t"
                     "xorq %%r12, %%r12\n\t"
                     "leaq 5(%%rbx), %%r12\n\t"
                     "movq %%r12, %0"
                     : "=r"(out)
                     : "r"(v)
                     : "rbx", "r12");
    return out;
}

static unsigned modifiers(unsigned v) {
    unsigned lo, hi, w;
    asm("movzbl %b1, %0" : "=r"(lo) : "Q"(v));
    asm("movzbl %h1, %0" : "=r"(hi) : "Q"(v));
    asm("movzwl %w1, %0" : "=r"(w) : "r"(v));
    return lo + (hi << 8) + (w << 16);
}

static long constants(long v) {
    long r = v;
    asm("addq %1, %0\n\tshlq %2, %0" : "+r"(r) : "i"(100), "n"(2));
    asm("leaq %c1(%0), %0" : "+r"(r) : "i"(7));
    asm("addq $%c1, %0" : "+r"(r) : "K"(-3));
    return r;
}

static int named(int a, int b) {
    int res;
    asm("movl %[a], %[res]\n\timull %[b], %[res]" : [res] "=&r"(res) : [a] "r"(a), [b] "rm"(b));
    return res;
}

static int unique_labels(int n) {
    int count = 0;
    asm("xorl %0, %0\n"
        "1%=:\n\t"
        "incl %0\n\t"
        "cmpl %1, %0\n\t"
        "jl 1%=b\n"
        : "=&r"(count)
        : "r"(n));
    return count;
}

static double sse_add(double a, double b) {
    asm("addsd %1, %0" : "+x"(a) : "x"(b));
    return a;
}

static float sse_mul(float a, float b) {
    float r;
    asm("movss %1, %0\n\tmulss %2, %0" : "=&x"(r) : "x"(a), "x"(b));
    return r;
}

struct pair { long a, b; };
static long mem_struct(struct pair *p) {
    long s;
    asm("movq %1, %0\n\taddq 8%1, %0" : "=&r"(s) : "m"(*p));
    return s;
}

static uint64_t matching(uint64_t x) {
    uint64_t y;
    asm("bswapq %0" : "=r"(y) : "0"(x));
    return y;
}

int main(void) {
    uint64_t acc = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t v = (0x9e3779b97f4a7c15ull * (uint64_t)(i + 1)) | (1ull << i);
        acc = acc * 31 + ctz_bsf(v) * 7 + ctz_tzcnt(v) * 3 + bsr(v);
        acc += bsr32((unsigned)(v >> 32) | 1);
    }
    printf("bit scans %llu\n", (unsigned long long)acc);
    uint8_t buf[2];
    printf("select %d %d\n", (int)(select_addr(10, 5, buf, buf + 1) - buf),
           (int)(select_addr(3, 5, buf, buf + 1) - buf));
    int x = 5;
    int old = cas(&x, 5, 9);
    printf("cas %d %d ", old, x);
    old = cas(&x, 5, 11);
    printf("%d %d\n", old, x);
    long l = 3;
    long lold = xchg(&l, 8);
    printf("xchg %ld %ld\n", lold, l);
    int c = 10;
    for (int i = 0; i < 100; i++)
        fetch_add(&c, i);
    printf("xadd %d\n", c);
    long w = my_write(1, "written by syscall\n", 19);
    fflush(stdout);
    printf("write returned %ld\n", w);
    printf("r10 %ld\n", reg_var_r10(14));
    long keep1 = 111, keep2 = 222;
    long t = trash_callee_saved(keep1 + keep2);
    printf("callee-saved %ld %ld %ld\n", t, keep1, keep2);
    printf("modifiers %x\n", modifiers(0x12345678u));
    printf("constants %ld\n", constants(1));
    printf("named %d\n", named(6, 7));
    printf("labels %d %d\n", unique_labels(5), unique_labels(17));
    printf("sse %.3f %.3f\n", sse_add(1.25, 2.5), sse_mul(1.5f, 4.0f));
    struct pair p = {40, 2};
    printf("mem struct %ld\n", mem_struct(&p));
    printf("bswap %llx\n", (unsigned long long)matching(0x0102030405060708ull));
    long sum = 0;
    for (long i = 0; i < 1000; i++) {
        long v = i;
        asm("imulq %1, %0" : "+r"(v) : "rm"(i));
        sum += v;
    }
    printf("loop %ld\n", sum);
    asm("nop");
    __asm__ __volatile__("" ::: "memory");
    return 0;
}

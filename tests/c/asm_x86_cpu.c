/* GNU inline asm on x86-64: CPU identification and timing as real code writes it (zstd's
 * cpu.h cpuid, sljit's cpuid/xgetbv, rdtsc, mimalloc's %fs thread pointer and pause). Only
 * facts that are the same for any compiler on one machine are printed. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <pthread.h>

/* zstd lib/common/cpu.h: rbx is saved by hand in 32-bit PIC; the 64-bit form uses "=b". */
static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

/* sljit sljitNativeX86_common.c style: operands as symbolic names. */
static void cpuid_named(uint32_t info[4]) {
    __asm__ ("cpuid"
             : [eax] "=a" (info[0]), [ebx] "=b" (info[1]), [ecx] "=c" (info[2]), [edx] "=d" (info[3])
             : "0" (info[0]), "2" (info[2]));
}

/* zstd cpu.h (x86-64): clobbers named by their 32-bit names. */
static uint32_t zstd_max_leaf(void) {
    uint32_t n;
    __asm__("cpuid" : "=a"(n) : "a"(0) : "ebx", "ecx", "edx");
    return n;
}
static uint32_t zstd_f7b(void) {
    uint32_t f7a, f7b, f7c;
    __asm__("cpuid\n\t" : "=a"(f7a), "=b"(f7b), "=c"(f7c) : "a"(7), "c"(0) : "edx");
    return f7b;
}

/* sljit: the block pointer in %rsi, rbx saved by the template itself. */
static void sljit_cpuid(uint32_t *info) {
    __asm__ __volatile__("movl (%%rsi), %%eax\n"
                         "movl 8(%%rsi), %%ecx\n"
                         "pushq %%rbx\n"
                         "cpuid\n"
                         "movl %%eax, (%%rsi)\n"
                         "movl %%ebx, 4(%%rsi)\n"
                         "popq %%rbx\n"
                         "movl %%ecx, 8(%%rsi)\n"
                         "movl %%edx, 12(%%rsi)\n"
                         :
                         : "S"(info)
                         : "memory", "eax", "ecx", "edx");
}

/* mimalloc prim.h: a TLS slot read through a memory operand at a constant address. */
static inline void *mi_tls_slot(size_t slot) {
    void *res;
    const size_t ofs = (slot * sizeof(void *));
    __asm__("movq %%fs:%1, %0" : "=r"(res) : "m"(*((void **)ofs)) :);
    return res;
}

static uint32_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return lo;
}

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* mimalloc prim.h: the thread pointer is the TCB's self pointer at %fs:0. */
static inline void *tp_q(void) {
    void *res;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(res) : :);
    return res;
}
static inline void *tp_plain(void) {
    void *res;
    __asm__("mov %%fs:0, %0" : "=r"(res));
    return res;
}

int main(void) {
    uint32_t r[4], n[4];
    char vendor[13];
    cpuid(0, 0, r);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    printf("vendor %s\n", vendor);
    uint32_t max_leaf = r[0];
    n[0] = 0;
    n[2] = 0;
    cpuid_named(n);
    printf("same max leaf: %d, same vendor: %d\n", n[0] == max_leaf, n[1] == r[1] && n[3] == r[3]);
    uint32_t s[4] = {0, 0, 0, 0};
    sljit_cpuid(s);
    printf("zstd max leaf agrees: %d, sljit agrees: %d\n", zstd_max_leaf() == max_leaf,
           s[0] == max_leaf && s[1] == r[1] && s[2] == r[2] && s[3] == r[3]);
    if (max_leaf >= 7) {
        uint32_t e[4];
        cpuid(7, 0, e);
        printf("leaf 7 ebx agrees: %d\n", zstd_f7b() == e[1]);
    }
    uint32_t f1[4];
    cpuid(1, 0, f1);
    printf("has sse2 %u\n", (f1[3] >> 26) & 1);
    if ((f1[2] >> 27) & 1) /* OSXSAVE */
        printf("xcr0 sse state %u\n", (xgetbv0() >> 1) & 1);
    uint64_t prev = rdtsc();
    int mono = 1;
    for (int i = 0; i < 1000; i++) {
        uint64_t t = rdtsc();
        if (t < prev)
            mono = 0;
        prev = t;
        __asm__ volatile("pause" ::: "memory");
    }
    printf("rdtsc monotonic %d\n", mono);
    void *tp = tp_q();
    printf("tls slot 0 is self: %d\n", mi_tls_slot(0) == tp);
    printf("fs self == pthread_self: %d, forms agree: %d\n", tp == (void *)pthread_self(), tp == tp_plain());
    return 0;
}

/* cfree's <cpuid.h>: the cpuid instruction and the feature bits gcc's header names. */
#ifndef __CFREE_CPUID_H
#define __CFREE_CPUID_H

/* %ecx of leaf 1 */
#define bit_SSE3 (1 << 0)
#define bit_PCLMUL (1 << 1)
#define bit_SSSE3 (1 << 9)
#define bit_FMA (1 << 12)
#define bit_CMPXCHG16B (1 << 13)
#define bit_SSE4_1 (1 << 19)
#define bit_SSE4_2 (1 << 20)
#define bit_MOVBE (1 << 22)
#define bit_POPCNT (1 << 23)
#define bit_AES (1 << 25)
#define bit_XSAVE (1 << 26)
#define bit_OSXSAVE (1 << 27)
#define bit_AVX (1 << 28)
#define bit_F16C (1 << 29)
#define bit_RDRND (1 << 30)
/* %edx of leaf 1 */
#define bit_CMPXCHG8B (1 << 8)
#define bit_CMOV (1 << 15)
#define bit_MMX (1 << 23)
#define bit_FXSAVE (1 << 24)
#define bit_SSE (1 << 25)
#define bit_SSE2 (1 << 26)
/* %ebx of leaf 7 */
#define bit_BMI (1 << 3)
#define bit_AVX2 (1 << 5)
#define bit_BMI2 (1 << 8)
#define bit_AVX512F (1 << 16)
#define bit_RDSEED (1 << 18)
#define bit_ADX (1 << 19)
#define bit_SHA (1 << 29)
#define bit_AVX512BW (1 << 30)
#define bit_AVX512VL (1u << 31)
/* %ecx of leaf 7 */
#define bit_VPCLMULQDQ (1 << 10)
/* %ecx of leaf 0x80000001 */
#define bit_LAHF_LM (1 << 0)
#define bit_LZCNT (1 << 5)

#define __cpuid(level, a, b, c, d) __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "0"(level))
#define __cpuid_count(level, count, a, b, c, d)                                               \
    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "0"(level), "2"(count))

/* The highest leaf of the range `ext` belongs to (0 or 0x80000000); its vendor in *sig. */
static __inline__ __attribute__((__unused__)) unsigned int __get_cpuid_max(unsigned int __ext, unsigned int *__sig) {
    unsigned int __a, __b, __c, __d;
    __cpuid(__ext, __a, __b, __c, __d);
    if (__sig)
        *__sig = __b;
    return __a;
}

static __inline__ __attribute__((__unused__)) int __get_cpuid(unsigned int __leaf, unsigned int *__a, unsigned int *__b,
                                            unsigned int *__c, unsigned int *__d) {
    unsigned int __ext = __leaf & 0x80000000u;
    if (__get_cpuid_max(__ext, 0) < __leaf)
        return 0;
    __cpuid(__leaf, *__a, *__b, *__c, *__d);
    return 1;
}

static __inline__ __attribute__((__unused__)) int __get_cpuid_count(unsigned int __leaf, unsigned int __sub,
                                                  unsigned int *__a, unsigned int *__b,
                                                  unsigned int *__c, unsigned int *__d) {
    unsigned int __ext = __leaf & 0x80000000u;
    if (__get_cpuid_max(__ext, 0) < __leaf)
        return 0;
    __cpuid_count(__leaf, __sub, *__a, *__b, *__c, *__d);
    return 1;
}

#endif

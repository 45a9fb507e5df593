/* cfree's <ia32intrin.h>: time stamp counter, bit scans, byte swaps, rotates. */
#ifndef __CFREE_IA32INTRIN_H
#define __CFREE_IA32INTRIN_H

#ifndef __CFREE_INTRIN
#define __CFREE_INTRIN static __inline__ __attribute__((__always_inline__, __unused__))
#endif

__CFREE_INTRIN unsigned long long __rdtsc(void) {
    unsigned int __lo, __hi;
    __asm__ volatile("rdtsc" : "=a"(__lo), "=d"(__hi));
    return (unsigned long long)__hi << 32 | __lo;
}
#define _rdtsc __rdtsc
__CFREE_INTRIN unsigned long long __rdtscp(unsigned int *__aux) {
    unsigned int __lo, __hi, __c;
    __asm__ volatile("rdtscp" : "=a"(__lo), "=d"(__hi), "=c"(__c));
    *__aux = __c;
    return (unsigned long long)__hi << 32 | __lo;
}
/* bsf/bsr leave the destination undefined for 0; these return 0 then. The 64-bit ones
   return int, as gcc's do. */
__CFREE_INTRIN int __bsfd(int __x) { return __x ? __builtin_ctz((unsigned)__x) : 0; }
__CFREE_INTRIN int __bsrd(int __x) { return __x ? 31 - __builtin_clz((unsigned)__x) : 0; }
__CFREE_INTRIN int __bsfq(long long __x) { return __x ? __builtin_ctzll((unsigned long long)__x) : 0; }
__CFREE_INTRIN int __bsrq(long long __x) { return __x ? 63 - __builtin_clzll((unsigned long long)__x) : 0; }
#define _bit_scan_forward(x) __bsfd(x)
#define _bit_scan_reverse(x) __bsrd(x)
__CFREE_INTRIN int __bswapd(int __x) { return (int)__builtin_bswap32((unsigned)__x); }
__CFREE_INTRIN long long __bswapq(long long __x) { return (long long)__builtin_bswap64((unsigned long long)__x); }
#define _bswap(x) __bswapd(x)
#define _bswap64(x) __bswapq(x)
__CFREE_INTRIN int __popcntd(unsigned int __x) { return __builtin_popcount(__x); }
__CFREE_INTRIN long long __popcntq(unsigned long long __x) { return __builtin_popcountll(__x); }
#define _popcnt32(x) __popcntd(x)
#define _popcnt64(x) __popcntq(x)
__CFREE_INTRIN unsigned int __rold(unsigned int __x, int __n) {
    __n &= 31;
    return __n ? __x << __n | __x >> (32 - __n) : __x;
}
__CFREE_INTRIN unsigned int __rord(unsigned int __x, int __n) {
    __n &= 31;
    return __n ? __x >> __n | __x << (32 - __n) : __x;
}
__CFREE_INTRIN unsigned long long __rolq(unsigned long long __x, int __n) {
    __n &= 63;
    return __n ? __x << __n | __x >> (64 - __n) : __x;
}
__CFREE_INTRIN unsigned long long __rorq(unsigned long long __x, int __n) {
    __n &= 63;
    return __n ? __x >> __n | __x << (64 - __n) : __x;
}
#define _rotl(x, n) __rold((x), (n))
#define _rotr(x, n) __rord((x), (n))
#define _lrotl(x, n) __rolq((x), (n))
#define _lrotr(x, n) __rorq((x), (n))

#endif

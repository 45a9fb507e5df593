/* cfree's BMI1, BMI2, LZCNT and POPCNT intrinsics, included by <immintrin.h> and
   <x86intrin.h>: plain C with the instructions' results for every input (zero sources,
   counts past the width). */
#ifndef __CFREE_BMIINTRIN_H
#define __CFREE_BMIINTRIN_H

#ifndef __CFREE_INTRIN
#define __CFREE_INTRIN static __inline__ __attribute__((__always_inline__, __unused__))
#endif

__CFREE_INTRIN unsigned int _tzcnt_u32(unsigned int __x) { return __x ? __builtin_ctz(__x) : 32; }
__CFREE_INTRIN unsigned long long _tzcnt_u64(unsigned long long __x) { return __x ? __builtin_ctzll(__x) : 64; }
__CFREE_INTRIN unsigned short __tzcnt_u16(unsigned short __x) { return __x ? __builtin_ctz(__x) : 16; }
#define __tzcnt_u32 _tzcnt_u32
#define __tzcnt_u64 _tzcnt_u64
__CFREE_INTRIN unsigned int _lzcnt_u32(unsigned int __x) { return __x ? __builtin_clz(__x) : 32; }
__CFREE_INTRIN unsigned long long _lzcnt_u64(unsigned long long __x) { return __x ? __builtin_clzll(__x) : 64; }
__CFREE_INTRIN unsigned short __lzcnt16(unsigned short __x) { return __x ? __builtin_clz(__x) - 16 : 16; }
#define __lzcnt32 _lzcnt_u32
#define __lzcnt64 _lzcnt_u64
__CFREE_INTRIN int _mm_popcnt_u32(unsigned int __x) { return __builtin_popcount(__x); }
__CFREE_INTRIN long long _mm_popcnt_u64(unsigned long long __x) { return __builtin_popcountll(__x); }
__CFREE_INTRIN unsigned int _andn_u32(unsigned int __a, unsigned int __b) { return ~__a & __b; }
__CFREE_INTRIN unsigned long long _andn_u64(unsigned long long __a, unsigned long long __b) { return ~__a & __b; }
#define __andn_u32 _andn_u32
#define __andn_u64 _andn_u64
__CFREE_INTRIN unsigned int _blsi_u32(unsigned int __x) { return __x & -__x; }
__CFREE_INTRIN unsigned long long _blsi_u64(unsigned long long __x) { return __x & -__x; }
__CFREE_INTRIN unsigned int _blsmsk_u32(unsigned int __x) { return __x ^ (__x - 1); }
__CFREE_INTRIN unsigned long long _blsmsk_u64(unsigned long long __x) { return __x ^ (__x - 1); }
__CFREE_INTRIN unsigned int _blsr_u32(unsigned int __x) { return __x & (__x - 1); }
__CFREE_INTRIN unsigned long long _blsr_u64(unsigned long long __x) { return __x & (__x - 1); }
#define __blsi_u32 _blsi_u32
#define __blsi_u64 _blsi_u64
#define __blsmsk_u32 _blsmsk_u32
#define __blsmsk_u64 _blsmsk_u64
#define __blsr_u32 _blsr_u32
#define __blsr_u64 _blsr_u64
/* bextr: `len` bits from `start` (both from the low bytes of the control). */
__CFREE_INTRIN unsigned long long __cfree_bextr(unsigned long long __x, unsigned __start,
                                                unsigned __len, unsigned __w) {
    if (__start >= __w || __len == 0)
        return 0;
    __x >>= __start;
    return __len >= 64 ? __x : __x & ((1ull << __len) - 1);
}
__CFREE_INTRIN unsigned int _bextr_u32(unsigned int __x, unsigned int __s, unsigned int __l) {
    return (unsigned int)__cfree_bextr(__x, __s & 0xff, __l & 0xff, 32);
}
__CFREE_INTRIN unsigned long long _bextr_u64(unsigned long long __x, unsigned int __s, unsigned int __l) {
    return __cfree_bextr(__x, __s & 0xff, __l & 0xff, 64);
}
__CFREE_INTRIN unsigned int __bextr_u32(unsigned int __x, unsigned int __c) {
    return _bextr_u32(__x, __c, __c >> 8);
}
__CFREE_INTRIN unsigned long long __bextr_u64(unsigned long long __x, unsigned long long __c) {
    return _bextr_u64(__x, (unsigned)__c, (unsigned)__c >> 8);
}
/* BMI2. bzhi keeps the bits below the index in the control's low byte. */
__CFREE_INTRIN unsigned int _bzhi_u32(unsigned int __x, unsigned int __n) {
    __n &= 0xff;
    return __n >= 32 ? __x : __x & ((1u << __n) - 1);
}
__CFREE_INTRIN unsigned long long _bzhi_u64(unsigned long long __x, unsigned int __n) {
    __n &= 0xff;
    return __n >= 64 ? __x : __x & ((1ull << __n) - 1);
}
__CFREE_INTRIN unsigned long long __cfree_pdep(unsigned long long __x, unsigned long long __m) {
    unsigned long long __r = 0;
    for (unsigned long long __b = 1; __m; __b <<= 1) {
        unsigned long long __low = __m & -__m;
        if (__x & __b)
            __r |= __low;
        __m &= __m - 1;
    }
    return __r;
}
__CFREE_INTRIN unsigned long long __cfree_pext(unsigned long long __x, unsigned long long __m) {
    unsigned long long __r = 0;
    for (unsigned long long __b = 1; __m; __b <<= 1) {
        unsigned long long __low = __m & -__m;
        if (__x & __low)
            __r |= __b;
        __m &= __m - 1;
    }
    return __r;
}
__CFREE_INTRIN unsigned int _pdep_u32(unsigned int __x, unsigned int __m) { return (unsigned int)__cfree_pdep(__x, __m); }
__CFREE_INTRIN unsigned long long _pdep_u64(unsigned long long __x, unsigned long long __m) { return __cfree_pdep(__x, __m); }
__CFREE_INTRIN unsigned int _pext_u32(unsigned int __x, unsigned int __m) { return (unsigned int)__cfree_pext(__x, __m); }
__CFREE_INTRIN unsigned long long _pext_u64(unsigned long long __x, unsigned long long __m) { return __cfree_pext(__x, __m); }
__CFREE_INTRIN unsigned int _mulx_u32(unsigned int __a, unsigned int __b, unsigned int *__hi) {
    unsigned long long __p = (unsigned long long)__a * __b;
    *__hi = (unsigned int)(__p >> 32);
    return (unsigned int)__p;
}
__CFREE_INTRIN unsigned long long _mulx_u64(unsigned long long __a, unsigned long long __b,
                                            unsigned long long *__hi) {
    unsigned __int128 __p = (unsigned __int128)__a * __b;
    *__hi = (unsigned long long)(__p >> 64);
    return (unsigned long long)__p;
}

#endif

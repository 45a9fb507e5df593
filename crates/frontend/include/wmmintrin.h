/* cfree's <wmmintrin.h>: PCLMULQDQ (the AES intrinsics are not provided). See <xmmintrin.h>. */
#ifndef __CFREE_WMMINTRIN_H
#define __CFREE_WMMINTRIN_H

#include <nmmintrin.h>

/* Carry-less product of the 64-bit lane of a chosen by imm bit 0 and that of b chosen by
   imm bit 4: the 128-bit XOR of b's lane shifted by each set bit of a's. */
__CFREE_INTRIN __m128i _mm_clmulepi64_si128(__m128i __a, __m128i __b, int __imm) {
    unsigned long long __x = __a[__imm & 1], __y = __b[(__imm >> 4) & 1];
    unsigned long long __lo = 0, __hi = 0;
    for (int __i = 0; __i < 64; __i++) {
        if ((__x >> __i) & 1) {
            __lo ^= __y << __i;
            __hi ^= __i ? __y >> (64 - __i) : 0;
        }
    }
    return (__m128i){(long long)__lo, (long long)__hi};
}

#endif

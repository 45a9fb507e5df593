/* cfree's <nmmintrin.h>: SSE4.2 intrinsics (the string-compare ones are not provided).
   See <xmmintrin.h>. */
#ifndef __CFREE_NMMINTRIN_H
#define __CFREE_NMMINTRIN_H

#include <smmintrin.h>

__CFREE_INTRIN __m128i _mm_cmpgt_epi64(__m128i __a, __m128i __b) { return (__m128i)(__a > __b); }
/* CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), as the crc32 instruction. */
__CFREE_INTRIN unsigned int __cfree_crc32c(unsigned int __c, unsigned long long __v, int __bytes) {
    for (int __i = 0; __i < __bytes * 8; __i++) {
        __c ^= (unsigned)(__v >> __i) & 1;
        __c = (__c >> 1) ^ (0x82f63b78u & -(__c & 1));
    }
    return __c;
}
__CFREE_INTRIN unsigned int _mm_crc32_u8(unsigned int __c, unsigned char __v) { return __cfree_crc32c(__c, __v, 1); }
__CFREE_INTRIN unsigned int _mm_crc32_u16(unsigned int __c, unsigned short __v) { return __cfree_crc32c(__c, __v, 2); }
__CFREE_INTRIN unsigned int _mm_crc32_u32(unsigned int __c, unsigned int __v) { return __cfree_crc32c(__c, __v, 4); }
__CFREE_INTRIN unsigned long long _mm_crc32_u64(unsigned long long __c, unsigned long long __v) {
    return __cfree_crc32c((unsigned int)__c, __v, 8);
}

#endif

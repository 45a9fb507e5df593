/* cfree's <tmmintrin.h>: SSSE3 intrinsics. See <xmmintrin.h>. */
#ifndef __CFREE_TMMINTRIN_H
#define __CFREE_TMMINTRIN_H

#include <pmmintrin.h>

/* pshufb: each result byte is the source byte the low nibble selects, or 0 when bit 7 is set. */
__CFREE_LANEWISE(_mm_shuffle_epi8, __v16qu, 16, (__y[__i] & 0x80) ? 0 : __x[__y[__i] & 15])
__CFREE_LANEWISE(_mm_sign_epi8, __v16qs, 16, __y[__i] < 0 ? -__x[__i] : __y[__i] ? __x[__i] : 0)
__CFREE_LANEWISE(_mm_sign_epi16, __v8hi, 8, __y[__i] < 0 ? -__x[__i] : __y[__i] ? __x[__i] : 0)
__CFREE_LANEWISE(_mm_sign_epi32, __v4su, 4, (int)__y[__i] < 0 ? -__x[__i] : __y[__i] ? __x[__i] : 0)
__CFREE_LANEWISE(_mm_mulhrs_epi16, __v8hi, 8, (short)((((__x[__i] * __y[__i]) >> 14) + 1) >> 1))
__CFREE_INTRIN __m128i _mm_abs_epi8(__m128i __a) {
    __v16qs __x = (__v16qs)__a;
    __v16qu __r;
    for (int __i = 0; __i < 16; __i++)
        __r[__i] = __x[__i] < 0 ? -__x[__i] : __x[__i];
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_abs_epi16(__m128i __a) {
    __v8hi __x = (__v8hi)__a;
    __v8hu __r;
    for (int __i = 0; __i < 8; __i++)
        __r[__i] = __x[__i] < 0 ? -__x[__i] : __x[__i];
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_abs_epi32(__m128i __a) {
    __v4su __x = (__v4su)__a;
    for (int __i = 0; __i < 4; __i++)
        __x[__i] = (int)__x[__i] < 0 ? -__x[__i] : __x[__i];
    return (__m128i)__x;
}
/* pmaddubsw: unsigned bytes of a times signed bytes of b, adjacent pairs added, saturated. */
__CFREE_INTRIN __m128i _mm_maddubs_epi16(__m128i __a, __m128i __b) {
    __v16qu __x = (__v16qu)__a;
    __v16qs __y = (__v16qs)__b;
    __v8hi __r;
    for (int __i = 0; __i < 8; __i++)
        __r[__i] = __cfree_sat_i16(__x[2 * __i] * __y[2 * __i] + __x[2 * __i + 1] * __y[2 * __i + 1]);
    return (__m128i)__r;
}
#define __CFREE_HORIZONTAL(name, vt, n, op, sat)                                              \
    __CFREE_INTRIN __m128i name(__m128i __a, __m128i __b) {                                   \
        vt __x = (vt)__a, __y = (vt)__b, __r;                                                 \
        for (int __i = 0; __i < (n) / 2; __i++) {                                             \
            __r[__i] = sat(__x[2 * __i] op __x[2 * __i + 1]);                                 \
            __r[__i + (n) / 2] = sat(__y[2 * __i] op __y[2 * __i + 1]);                       \
        }                                                                                     \
        return (__m128i)__r;                                                                  \
    }
#define __CFREE_WRAP16(v) ((short)(v))
#define __CFREE_WRAP32(v) ((unsigned)(v))
__CFREE_HORIZONTAL(_mm_hadd_epi16, __v8hi, 8, +, __CFREE_WRAP16)
__CFREE_HORIZONTAL(_mm_hsub_epi16, __v8hi, 8, -, __CFREE_WRAP16)
__CFREE_HORIZONTAL(_mm_hadds_epi16, __v8hi, 8, +, __cfree_sat_i16)
__CFREE_HORIZONTAL(_mm_hsubs_epi16, __v8hi, 8, -, __cfree_sat_i16)
__CFREE_HORIZONTAL(_mm_hadd_epi32, __v4su, 4, +, __CFREE_WRAP32)
__CFREE_HORIZONTAL(_mm_hsub_epi32, __v4su, 4, -, __CFREE_WRAP32)
/* palignr: the 32-byte concatenation b:a (a high) shifted right by n bytes, low 16 kept. */
__CFREE_INTRIN __m128i _mm_alignr_epi8(__m128i __a, __m128i __b, int __n) {
    __v16qu __x = (__v16qu)__a, __y = (__v16qu)__b, __r;
    for (int __i = 0; __i < 16; __i++) {
        unsigned __k = (unsigned)__i + (unsigned)__n;
        __r[__i] = __k < 16 ? __y[__k] : __k < 32 ? __x[__k - 16] : 0;
    }
    return (__m128i)__r;
}

#endif

/* cfree's <smmintrin.h>: SSE4.1 intrinsics. See <xmmintrin.h>. */
#ifndef __CFREE_SMMINTRIN_H
#define __CFREE_SMMINTRIN_H

#include <tmmintrin.h>

__CFREE_INTRIN __m128i _mm_blendv_epi8(__m128i __a, __m128i __b, __m128i __m) {
    __v16qu __x = (__v16qu)__a, __y = (__v16qu)__b, __k = (__v16qu)__m;
    for (int __i = 0; __i < 16; __i++)
        if (__k[__i] & 0x80)
            __x[__i] = __y[__i];
    return (__m128i)__x;
}
__CFREE_INTRIN __m128i _mm_blend_epi16(__m128i __a, __m128i __b, int __imm) {
    __v8hu __x = (__v8hu)__a, __y = (__v8hu)__b;
    for (int __i = 0; __i < 8; __i++)
        if ((__imm >> __i) & 1)
            __x[__i] = __y[__i];
    return (__m128i)__x;
}
__CFREE_INTRIN __m128 _mm_blendv_ps(__m128 __a, __m128 __b, __m128 __m) {
    __cfree_v4si __k = (__cfree_v4si)__m;
    for (int __i = 0; __i < 4; __i++)
        if (__k[__i] < 0)
            __a[__i] = __b[__i];
    return __a;
}
__CFREE_INTRIN __m128d _mm_blendv_pd(__m128d __a, __m128d __b, __m128d __m) {
    __v2di __k = (__v2di)__m;
    for (int __i = 0; __i < 2; __i++)
        if (__k[__i] < 0)
            __a[__i] = __b[__i];
    return __a;
}
__CFREE_INTRIN __m128 _mm_blend_ps(__m128 __a, __m128 __b, int __imm) {
    for (int __i = 0; __i < 4; __i++)
        if ((__imm >> __i) & 1)
            __a[__i] = __b[__i];
    return __a;
}
__CFREE_INTRIN __m128d _mm_blend_pd(__m128d __a, __m128d __b, int __imm) {
    for (int __i = 0; __i < 2; __i++)
        if ((__imm >> __i) & 1)
            __a[__i] = __b[__i];
    return __a;
}
__CFREE_LANEWISE(_mm_mullo_epi32, __v4su, 4, __x[__i] * __y[__i])
__CFREE_INTRIN __m128i _mm_mul_epi32(__m128i __a, __m128i __b) {
    __v4si __x = (__v4si)__a, __y = (__v4si)__b;
    return (__m128i){(long long)__x[0] * __y[0], (long long)__x[2] * __y[2]};
}
__CFREE_LANEWISE(_mm_min_epi8, __v16qs, 16, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epi8, __v16qs, 16, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_min_epu16, __v8hu, 8, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epu16, __v8hu, 8, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_min_epi32, __v4si, 4, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epi32, __v4si, 4, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_min_epu32, __v4su, 4, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epu32, __v4su, 4, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_INTRIN __m128i _mm_cmpeq_epi64(__m128i __a, __m128i __b) { return (__m128i)(__a == __b); }
__CFREE_INTRIN __m128i _mm_packus_epi32(__m128i __a, __m128i __b) {
    __v4si __x = (__v4si)__a, __y = (__v4si)__b;
    __v8hu __r;
    for (int __i = 0; __i < 4; __i++) {
        __r[__i] = __cfree_sat_u16(__x[__i]);
        __r[__i + 4] = __cfree_sat_u16(__y[__i]);
    }
    return (__m128i)__r;
}
__CFREE_INTRIN int _mm_extract_epi8(__m128i __a, int __imm) { return ((__v16qu)__a)[__imm & 15]; }
__CFREE_INTRIN int _mm_extract_epi32(__m128i __a, int __imm) { return ((__v4si)__a)[__imm & 3]; }
__CFREE_INTRIN long long _mm_extract_epi64(__m128i __a, int __imm) { return __a[__imm & 1]; }
__CFREE_INTRIN int _mm_extract_ps(__m128 __a, int __imm) { return ((__cfree_v4si)__a)[__imm & 3]; }
__CFREE_INTRIN __m128i _mm_insert_epi8(__m128i __a, int __v, int __imm) {
    __v16qi __x = (__v16qi)__a;
    __x[__imm & 15] = (char)__v;
    return (__m128i)__x;
}
__CFREE_INTRIN __m128i _mm_insert_epi32(__m128i __a, int __v, int __imm) {
    __v4si __x = (__v4si)__a;
    __x[__imm & 3] = __v;
    return (__m128i)__x;
}
__CFREE_INTRIN __m128i _mm_insert_epi64(__m128i __a, long long __v, int __imm) {
    __a[__imm & 1] = __v;
    return __a;
}
/* Sign and zero extensions of the low lanes. */
#define __CFREE_EXTEND(name, st, dt, n)                                                       \
    __CFREE_INTRIN __m128i name(__m128i __a) {                                                \
        st __x = (st)__a;                                                                     \
        dt __r;                                                                               \
        for (int __i = 0; __i < (n); __i++)                                                   \
            __r[__i] = __x[__i];                                                              \
        return (__m128i)__r;                                                                  \
    }
__CFREE_EXTEND(_mm_cvtepi8_epi16, __v16qs, __v8hi, 8)
__CFREE_EXTEND(_mm_cvtepi8_epi32, __v16qs, __v4si, 4)
__CFREE_EXTEND(_mm_cvtepi8_epi64, __v16qs, __v2di, 2)
__CFREE_EXTEND(_mm_cvtepu8_epi16, __v16qu, __v8hi, 8)
__CFREE_EXTEND(_mm_cvtepu8_epi32, __v16qu, __v4si, 4)
__CFREE_EXTEND(_mm_cvtepu8_epi64, __v16qu, __v2di, 2)
__CFREE_EXTEND(_mm_cvtepi16_epi32, __v8hi, __v4si, 4)
__CFREE_EXTEND(_mm_cvtepi16_epi64, __v8hi, __v2di, 2)
__CFREE_EXTEND(_mm_cvtepu16_epi32, __v8hu, __v4si, 4)
__CFREE_EXTEND(_mm_cvtepu16_epi64, __v8hu, __v2di, 2)
__CFREE_EXTEND(_mm_cvtepi32_epi64, __v4si, __v2di, 2)
__CFREE_EXTEND(_mm_cvtepu32_epi64, __v4su, __v2di, 2)
__CFREE_INTRIN int _mm_testz_si128(__m128i __a, __m128i __b) { return ((__a[0] & __b[0]) | (__a[1] & __b[1])) == 0; }
__CFREE_INTRIN int _mm_testc_si128(__m128i __a, __m128i __b) { return ((~__a[0] & __b[0]) | (~__a[1] & __b[1])) == 0; }
__CFREE_INTRIN int _mm_testnzc_si128(__m128i __a, __m128i __b) {
    return !_mm_testz_si128(__a, __b) && !_mm_testc_si128(__a, __b);
}
#define _mm_test_all_zeros(m, v) _mm_testz_si128((m), (v))
#define _mm_test_all_ones(v) _mm_testc_si128((v), _mm_cmpeq_epi32((v), (v)))
__CFREE_INTRIN __m128i _mm_stream_load_si128(__m128i *__p) { return *__p; }
/* phminposuw: the smallest unsigned word in lane 0 and its (first) index in lane 1. */
__CFREE_INTRIN __m128i _mm_minpos_epu16(__m128i __a) {
    __v8hu __x = (__v8hu)__a;
    int __k = 0;
    for (int __i = 1; __i < 8; __i++)
        if (__x[__i] < __x[__k])
            __k = __i;
    return (__m128i)(__v8hu){__x[__k], (unsigned short)__k, 0, 0, 0, 0, 0, 0};
}

#endif

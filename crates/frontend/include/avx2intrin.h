/* cfree's AVX/AVX2 integer intrinsics on __m256i, included by <immintrin.h>. Each 256-bit
   operation is its two 128-bit halves (AVX2 works within 128-bit lanes for unpack, shuffle,
   sad, madd, alignr and packs, so the halves give the exact result). See <xmmintrin.h>. */
#ifndef __CFREE_AVX2INTRIN_H
#define __CFREE_AVX2INTRIN_H

#ifndef __CFREE_IMMINTRIN_H
#error "include <immintrin.h>, not <avx2intrin.h>"
#endif

typedef long long __m256i __attribute__((__vector_size__(32), __may_alias__));
typedef long long __m256i_u __attribute__((__vector_size__(32), __may_alias__, __aligned__(1)));
typedef float __m256 __attribute__((__vector_size__(32), __may_alias__));
typedef double __m256d __attribute__((__vector_size__(32), __may_alias__));
typedef int __v8si __attribute__((__vector_size__(32)));
typedef unsigned int __v8su __attribute__((__vector_size__(32)));
typedef short __v16hi __attribute__((__vector_size__(32)));
typedef unsigned short __v16hu __attribute__((__vector_size__(32)));
typedef char __v32qi __attribute__((__vector_size__(32)));
typedef unsigned char __v32qu __attribute__((__vector_size__(32)));
typedef long long __v4di __attribute__((__vector_size__(32)));
typedef unsigned long long __v4du __attribute__((__vector_size__(32)));

__CFREE_INTRIN __m128i __cfree_lo128(__m256i __a) { return (__m128i){__a[0], __a[1]}; }
__CFREE_INTRIN __m128i __cfree_hi128(__m256i __a) { return (__m128i){__a[2], __a[3]}; }
__CFREE_INTRIN __m256i __cfree_join128(__m128i __lo, __m128i __hi) {
    return (__m256i){__lo[0], __lo[1], __hi[0], __hi[1]};
}
#define __CFREE_256_BINARY(name, op128)                                                       \
    __CFREE_INTRIN __m256i name(__m256i __a, __m256i __b) {                                   \
        return __cfree_join128(op128(__cfree_lo128(__a), __cfree_lo128(__b)),                  \
                               op128(__cfree_hi128(__a), __cfree_hi128(__b)));                 \
    }
#define __CFREE_256_IMM(name, op128)                                                          \
    __CFREE_INTRIN __m256i name(__m256i __a, int __imm) {                                     \
        return __cfree_join128(op128(__cfree_lo128(__a), __imm), op128(__cfree_hi128(__a), __imm)); \
    }
#define __CFREE_256_UNARY(name, op128)                                                        \
    __CFREE_INTRIN __m256i name(__m256i __a) {                                                \
        return __cfree_join128(op128(__cfree_lo128(__a)), op128(__cfree_hi128(__a)));          \
    }

/* ---- set, load, store, casts ----------------------------------------------------------- */

__CFREE_INTRIN __m256i _mm256_setzero_si256(void) { return (__m256i){0, 0, 0, 0}; }
__CFREE_INTRIN __m256i _mm256_set_epi64x(long long __d, long long __c, long long __b, long long __a) {
    return (__m256i){__a, __b, __c, __d};
}
__CFREE_INTRIN __m256i _mm256_setr_epi64x(long long __a, long long __b, long long __c, long long __d) {
    return (__m256i){__a, __b, __c, __d};
}
__CFREE_INTRIN __m256i _mm256_set1_epi64x(long long __q) { return (__m256i){__q, __q, __q, __q}; }
__CFREE_INTRIN __m256i _mm256_set1_epi32(int __i) {
    __m128i __h = _mm_set1_epi32(__i);
    return __cfree_join128(__h, __h);
}
__CFREE_INTRIN __m256i _mm256_set1_epi16(short __w) {
    __m128i __h = _mm_set1_epi16(__w);
    return __cfree_join128(__h, __h);
}
__CFREE_INTRIN __m256i _mm256_set1_epi8(char __c) {
    __m128i __h = _mm_set1_epi8(__c);
    return __cfree_join128(__h, __h);
}
__CFREE_INTRIN __m256i _mm256_set_epi32(int __i7, int __i6, int __i5, int __i4, int __i3, int __i2,
                                        int __i1, int __i0) {
    return (__m256i)(__v8si){__i0, __i1, __i2, __i3, __i4, __i5, __i6, __i7};
}
__CFREE_INTRIN __m256i _mm256_setr_epi32(int __i0, int __i1, int __i2, int __i3, int __i4, int __i5,
                                         int __i6, int __i7) {
    return (__m256i)(__v8si){__i0, __i1, __i2, __i3, __i4, __i5, __i6, __i7};
}
__CFREE_INTRIN __m256i _mm256_set_m128i(__m128i __hi, __m128i __lo) { return __cfree_join128(__lo, __hi); }
__CFREE_INTRIN __m256i _mm256_setr_m128i(__m128i __lo, __m128i __hi) { return __cfree_join128(__lo, __hi); }
__CFREE_INTRIN __m256i _mm256_load_si256(const __m256i *__p) { return *__p; }
__CFREE_INTRIN __m256i _mm256_loadu_si256(const __m256i_u *__p) { return *__p; }
__CFREE_INTRIN __m256i _mm256_lddqu_si256(const __m256i_u *__p) { return *__p; }
__CFREE_INTRIN void _mm256_store_si256(__m256i *__p, __m256i __a) { *__p = __a; }
__CFREE_INTRIN void _mm256_storeu_si256(__m256i_u *__p, __m256i __a) { *__p = __a; }
__CFREE_INTRIN void _mm256_stream_si256(__m256i *__p, __m256i __a) { *__p = __a; }
__CFREE_INTRIN __m128i _mm256_castsi256_si128(__m256i __a) { return __cfree_lo128(__a); }
/* The upper half is undefined for the cast; zero is one of its values. */
__CFREE_INTRIN __m256i _mm256_castsi128_si256(__m128i __a) { return __cfree_join128(__a, _mm_setzero_si128()); }
__CFREE_INTRIN __m256i _mm256_zextsi128_si256(__m128i __a) { return __cfree_join128(__a, _mm_setzero_si128()); }
__CFREE_INTRIN __m128i _mm256_extracti128_si256(__m256i __a, int __imm) {
    return __imm & 1 ? __cfree_hi128(__a) : __cfree_lo128(__a);
}
#define _mm256_extractf128_si256 _mm256_extracti128_si256
__CFREE_INTRIN __m256i _mm256_inserti128_si256(__m256i __a, __m128i __b, int __imm) {
    return __imm & 1 ? __cfree_join128(__cfree_lo128(__a), __b) : __cfree_join128(__b, __cfree_hi128(__a));
}
#define _mm256_insertf128_si256 _mm256_inserti128_si256
__CFREE_INTRIN __m256i _mm256_broadcastsi128_si256(__m128i __a) { return __cfree_join128(__a, __a); }
#define _mm_broadcastsi128_si256 _mm256_broadcastsi128_si256
__CFREE_INTRIN __m256i _mm256_permute2x128_si256(__m256i __a, __m256i __b, int __imm) {
    __m128i __s[4] = {__cfree_lo128(__a), __cfree_hi128(__a), __cfree_lo128(__b), __cfree_hi128(__b)};
    __m128i __lo = __imm & 0x08 ? _mm_setzero_si128() : __s[__imm & 3];
    __m128i __hi = __imm & 0x80 ? _mm_setzero_si128() : __s[(__imm >> 4) & 3];
    return __cfree_join128(__lo, __hi);
}
#define _mm256_permute2f128_si256 _mm256_permute2x128_si256

/* ---- lane-wise integer operations ------------------------------------------------------ */

__CFREE_256_BINARY(_mm256_add_epi8, _mm_add_epi8)
__CFREE_256_BINARY(_mm256_add_epi16, _mm_add_epi16)
__CFREE_256_BINARY(_mm256_add_epi32, _mm_add_epi32)
__CFREE_256_BINARY(_mm256_add_epi64, _mm_add_epi64)
__CFREE_256_BINARY(_mm256_sub_epi8, _mm_sub_epi8)
__CFREE_256_BINARY(_mm256_sub_epi16, _mm_sub_epi16)
__CFREE_256_BINARY(_mm256_sub_epi32, _mm_sub_epi32)
__CFREE_256_BINARY(_mm256_sub_epi64, _mm_sub_epi64)
__CFREE_256_BINARY(_mm256_adds_epi8, _mm_adds_epi8)
__CFREE_256_BINARY(_mm256_adds_epu8, _mm_adds_epu8)
__CFREE_256_BINARY(_mm256_adds_epi16, _mm_adds_epi16)
__CFREE_256_BINARY(_mm256_adds_epu16, _mm_adds_epu16)
__CFREE_256_BINARY(_mm256_subs_epi8, _mm_subs_epi8)
__CFREE_256_BINARY(_mm256_subs_epu8, _mm_subs_epu8)
__CFREE_256_BINARY(_mm256_subs_epi16, _mm_subs_epi16)
__CFREE_256_BINARY(_mm256_subs_epu16, _mm_subs_epu16)
__CFREE_256_BINARY(_mm256_mullo_epi16, _mm_mullo_epi16)
__CFREE_256_BINARY(_mm256_mullo_epi32, _mm_mullo_epi32)
__CFREE_256_BINARY(_mm256_mulhi_epi16, _mm_mulhi_epi16)
__CFREE_256_BINARY(_mm256_mulhi_epu16, _mm_mulhi_epu16)
__CFREE_256_BINARY(_mm256_mul_epu32, _mm_mul_epu32)
__CFREE_256_BINARY(_mm256_mul_epi32, _mm_mul_epi32)
__CFREE_256_BINARY(_mm256_madd_epi16, _mm_madd_epi16)
__CFREE_256_BINARY(_mm256_maddubs_epi16, _mm_maddubs_epi16)
__CFREE_256_BINARY(_mm256_sad_epu8, _mm_sad_epu8)
__CFREE_256_BINARY(_mm256_avg_epu8, _mm_avg_epu8)
__CFREE_256_BINARY(_mm256_avg_epu16, _mm_avg_epu16)
__CFREE_256_BINARY(_mm256_min_epu8, _mm_min_epu8)
__CFREE_256_BINARY(_mm256_max_epu8, _mm_max_epu8)
__CFREE_256_BINARY(_mm256_min_epi8, _mm_min_epi8)
__CFREE_256_BINARY(_mm256_max_epi8, _mm_max_epi8)
__CFREE_256_BINARY(_mm256_min_epi16, _mm_min_epi16)
__CFREE_256_BINARY(_mm256_max_epi16, _mm_max_epi16)
__CFREE_256_BINARY(_mm256_min_epu16, _mm_min_epu16)
__CFREE_256_BINARY(_mm256_max_epu16, _mm_max_epu16)
__CFREE_256_BINARY(_mm256_min_epi32, _mm_min_epi32)
__CFREE_256_BINARY(_mm256_max_epi32, _mm_max_epi32)
__CFREE_256_BINARY(_mm256_min_epu32, _mm_min_epu32)
__CFREE_256_BINARY(_mm256_max_epu32, _mm_max_epu32)
__CFREE_256_BINARY(_mm256_and_si256, _mm_and_si128)
__CFREE_256_BINARY(_mm256_andnot_si256, _mm_andnot_si128)
__CFREE_256_BINARY(_mm256_or_si256, _mm_or_si128)
__CFREE_256_BINARY(_mm256_xor_si256, _mm_xor_si128)
__CFREE_256_BINARY(_mm256_cmpeq_epi8, _mm_cmpeq_epi8)
__CFREE_256_BINARY(_mm256_cmpeq_epi16, _mm_cmpeq_epi16)
__CFREE_256_BINARY(_mm256_cmpeq_epi32, _mm_cmpeq_epi32)
__CFREE_256_BINARY(_mm256_cmpeq_epi64, _mm_cmpeq_epi64)
__CFREE_256_BINARY(_mm256_cmpgt_epi8, _mm_cmpgt_epi8)
__CFREE_256_BINARY(_mm256_cmpgt_epi16, _mm_cmpgt_epi16)
__CFREE_256_BINARY(_mm256_cmpgt_epi32, _mm_cmpgt_epi32)
__CFREE_256_BINARY(_mm256_cmpgt_epi64, _mm_cmpgt_epi64)
__CFREE_256_BINARY(_mm256_unpacklo_epi8, _mm_unpacklo_epi8)
__CFREE_256_BINARY(_mm256_unpackhi_epi8, _mm_unpackhi_epi8)
__CFREE_256_BINARY(_mm256_unpacklo_epi16, _mm_unpacklo_epi16)
__CFREE_256_BINARY(_mm256_unpackhi_epi16, _mm_unpackhi_epi16)
__CFREE_256_BINARY(_mm256_unpacklo_epi32, _mm_unpacklo_epi32)
__CFREE_256_BINARY(_mm256_unpackhi_epi32, _mm_unpackhi_epi32)
__CFREE_256_BINARY(_mm256_unpacklo_epi64, _mm_unpacklo_epi64)
__CFREE_256_BINARY(_mm256_unpackhi_epi64, _mm_unpackhi_epi64)
__CFREE_256_BINARY(_mm256_packs_epi16, _mm_packs_epi16)
__CFREE_256_BINARY(_mm256_packus_epi16, _mm_packus_epi16)
__CFREE_256_BINARY(_mm256_packs_epi32, _mm_packs_epi32)
__CFREE_256_BINARY(_mm256_packus_epi32, _mm_packus_epi32)
__CFREE_256_BINARY(_mm256_shuffle_epi8, _mm_shuffle_epi8)
__CFREE_256_BINARY(_mm256_sign_epi8, _mm_sign_epi8)
__CFREE_256_BINARY(_mm256_sign_epi16, _mm_sign_epi16)
__CFREE_256_BINARY(_mm256_sign_epi32, _mm_sign_epi32)
__CFREE_256_BINARY(_mm256_hadd_epi16, _mm_hadd_epi16)
__CFREE_256_BINARY(_mm256_hadd_epi32, _mm_hadd_epi32)
__CFREE_256_UNARY(_mm256_abs_epi8, _mm_abs_epi8)
__CFREE_256_UNARY(_mm256_abs_epi16, _mm_abs_epi16)
__CFREE_256_UNARY(_mm256_abs_epi32, _mm_abs_epi32)
__CFREE_256_IMM(_mm256_slli_epi16, _mm_slli_epi16)
__CFREE_256_IMM(_mm256_slli_epi32, _mm_slli_epi32)
__CFREE_256_IMM(_mm256_slli_epi64, _mm_slli_epi64)
__CFREE_256_IMM(_mm256_srli_epi16, _mm_srli_epi16)
__CFREE_256_IMM(_mm256_srli_epi32, _mm_srli_epi32)
__CFREE_256_IMM(_mm256_srli_epi64, _mm_srli_epi64)
__CFREE_256_IMM(_mm256_srai_epi16, _mm_srai_epi16)
__CFREE_256_IMM(_mm256_srai_epi32, _mm_srai_epi32)
__CFREE_256_IMM(_mm256_bslli_epi128, _mm_bslli_si128)
__CFREE_256_IMM(_mm256_bsrli_epi128, _mm_bsrli_si128)
#define _mm256_slli_si256 _mm256_bslli_epi128
#define _mm256_srli_si256 _mm256_bsrli_epi128
__CFREE_256_IMM(_mm256_shuffle_epi32, _mm_shuffle_epi32)
__CFREE_256_IMM(_mm256_shufflelo_epi16, _mm_shufflelo_epi16)
__CFREE_256_IMM(_mm256_shufflehi_epi16, _mm_shufflehi_epi16)
__CFREE_INTRIN __m256i _mm256_alignr_epi8(__m256i __a, __m256i __b, int __n) {
    return __cfree_join128(_mm_alignr_epi8(__cfree_lo128(__a), __cfree_lo128(__b), __n),
                           _mm_alignr_epi8(__cfree_hi128(__a), __cfree_hi128(__b), __n));
}
__CFREE_INTRIN __m256i _mm256_blendv_epi8(__m256i __a, __m256i __b, __m256i __m) {
    return __cfree_join128(_mm_blendv_epi8(__cfree_lo128(__a), __cfree_lo128(__b), __cfree_lo128(__m)),
                           _mm_blendv_epi8(__cfree_hi128(__a), __cfree_hi128(__b), __cfree_hi128(__m)));
}
__CFREE_INTRIN int _mm256_movemask_epi8(__m256i __a) {
    return (int)((unsigned)_mm_movemask_epi8(__cfree_lo128(__a)) |
                 (unsigned)_mm_movemask_epi8(__cfree_hi128(__a)) << 16);
}
__CFREE_INTRIN int _mm256_testz_si256(__m256i __a, __m256i __b) {
    return _mm_testz_si128(__cfree_lo128(__a), __cfree_lo128(__b)) &&
           _mm_testz_si128(__cfree_hi128(__a), __cfree_hi128(__b));
}
__CFREE_INTRIN int _mm256_testc_si256(__m256i __a, __m256i __b) {
    return _mm_testc_si128(__cfree_lo128(__a), __cfree_lo128(__b)) &&
           _mm_testc_si128(__cfree_hi128(__a), __cfree_hi128(__b));
}
__CFREE_INTRIN int _mm256_extract_epi32(__m256i __a, int __imm) { return ((__v8si)__a)[__imm & 7]; }
__CFREE_INTRIN long long _mm256_extract_epi64(__m256i __a, int __imm) { return __a[__imm & 3]; }
__CFREE_INTRIN __m256i _mm256_cvtepu8_epi16(__m128i __a) {
    return __cfree_join128(_mm_cvtepu8_epi16(__a), _mm_cvtepu8_epi16(_mm_bsrli_si128(__a, 8)));
}
__CFREE_INTRIN __m256i _mm256_cvtepi8_epi16(__m128i __a) {
    return __cfree_join128(_mm_cvtepi8_epi16(__a), _mm_cvtepi8_epi16(_mm_bsrli_si128(__a, 8)));
}
__CFREE_INTRIN __m256i _mm256_cvtepu16_epi32(__m128i __a) {
    return __cfree_join128(_mm_cvtepu16_epi32(__a), _mm_cvtepu16_epi32(_mm_bsrli_si128(__a, 8)));
}
__CFREE_INTRIN __m256i _mm256_cvtepi16_epi32(__m128i __a) {
    return __cfree_join128(_mm_cvtepi16_epi32(__a), _mm_cvtepi16_epi32(_mm_bsrli_si128(__a, 8)));
}
/* Across the 128-bit lanes. */
__CFREE_INTRIN __m256i _mm256_permute4x64_epi64(__m256i __a, int __imm) {
    return (__m256i){__a[__imm & 3], __a[(__imm >> 2) & 3], __a[(__imm >> 4) & 3], __a[(__imm >> 6) & 3]};
}
__CFREE_INTRIN __m256i _mm256_permutevar8x32_epi32(__m256i __a, __m256i __idx) {
    __v8si __x = (__v8si)__a, __k = (__v8si)__idx, __r;
    for (int __i = 0; __i < 8; __i++)
        __r[__i] = __x[__k[__i] & 7];
    return (__m256i)__r;
}
__CFREE_INTRIN __m256i _mm256_clmulepi64_epi128(__m256i __a, __m256i __b, int __imm) {
    return __cfree_join128(_mm_clmulepi64_si128(__cfree_lo128(__a), __cfree_lo128(__b), __imm),
                           _mm_clmulepi64_si128(__cfree_hi128(__a), __cfree_hi128(__b), __imm));
}
__CFREE_INTRIN void _mm256_zeroupper(void) {}
__CFREE_INTRIN void _mm256_zeroall(void) {}

#endif

/* cfree's <emmintrin.h>: SSE2 intrinsics on __m128i (integers) and __m128d (two doubles),
   written as C over GNU vectors with the instructions' exact results (wrapping, saturation,
   out-of-range shift counts, NaN rules). See <xmmintrin.h>. */
#ifndef __CFREE_EMMINTRIN_H
#define __CFREE_EMMINTRIN_H

#include <xmmintrin.h>

typedef long long __m128i __attribute__((__vector_size__(16), __may_alias__));
typedef long long __m128i_u __attribute__((__vector_size__(16), __may_alias__, __aligned__(1)));
typedef double __m128d __attribute__((__vector_size__(16), __may_alias__));
typedef double __m128d_u __attribute__((__vector_size__(16), __may_alias__, __aligned__(1)));

typedef double __v2df __attribute__((__vector_size__(16)));
typedef long long __v2di __attribute__((__vector_size__(16)));
typedef unsigned long long __v2du __attribute__((__vector_size__(16)));
typedef int __v4si __attribute__((__vector_size__(16)));
typedef unsigned int __v4su __attribute__((__vector_size__(16)));
typedef short __v8hi __attribute__((__vector_size__(16)));
typedef unsigned short __v8hu __attribute__((__vector_size__(16)));
typedef char __v16qi __attribute__((__vector_size__(16)));
typedef signed char __v16qs __attribute__((__vector_size__(16)));
typedef unsigned char __v16qu __attribute__((__vector_size__(16)));

/* One lane-wise operation over `n` lanes of vector type `vt`: `__x`, `__y` are the operands
   and `__i` the lane; `expr` is lane `__i` of the result. */
#define __CFREE_LANEWISE(name, vt, n, expr)                                                  \
    __CFREE_INTRIN __m128i name(__m128i __a, __m128i __b) {                                  \
        vt __x = (vt)__a, __y = (vt)__b, __r;                                                \
        for (int __i = 0; __i < (n); __i++)                                                  \
            __r[__i] = (expr);                                                               \
        return (__m128i)__r;                                                                 \
    }

__CFREE_INTRIN int __cfree_sat_i8(int __v) { return __v > 127 ? 127 : __v < -128 ? -128 : __v; }
__CFREE_INTRIN int __cfree_sat_u8(int __v) { return __v > 255 ? 255 : __v < 0 ? 0 : __v; }
__CFREE_INTRIN int __cfree_sat_i16(int __v) {
    return __v > 32767 ? 32767 : __v < -32768 ? -32768 : __v;
}
__CFREE_INTRIN int __cfree_sat_u16(int __v) { return __v > 65535 ? 65535 : __v < 0 ? 0 : __v; }

/* ---- set, load, store, move ------------------------------------------------------------ */

__CFREE_INTRIN __m128i _mm_setzero_si128(void) { return (__m128i){0, 0}; }
__CFREE_INTRIN __m128i _mm_set_epi64x(long long __q1, long long __q0) { return (__m128i){__q0, __q1}; }
__CFREE_INTRIN __m128i _mm_set1_epi64x(long long __q) { return (__m128i){__q, __q}; }
__CFREE_INTRIN __m128i _mm_set_epi32(int __i3, int __i2, int __i1, int __i0) {
    return (__m128i)(__v4si){__i0, __i1, __i2, __i3};
}
__CFREE_INTRIN __m128i _mm_setr_epi32(int __i0, int __i1, int __i2, int __i3) {
    return (__m128i)(__v4si){__i0, __i1, __i2, __i3};
}
__CFREE_INTRIN __m128i _mm_set1_epi32(int __i) { return (__m128i)(__v4si){__i, __i, __i, __i}; }
__CFREE_INTRIN __m128i _mm_set_epi16(short __w7, short __w6, short __w5, short __w4, short __w3,
                                     short __w2, short __w1, short __w0) {
    return (__m128i)(__v8hi){__w0, __w1, __w2, __w3, __w4, __w5, __w6, __w7};
}
__CFREE_INTRIN __m128i _mm_setr_epi16(short __w0, short __w1, short __w2, short __w3, short __w4,
                                      short __w5, short __w6, short __w7) {
    return (__m128i)(__v8hi){__w0, __w1, __w2, __w3, __w4, __w5, __w6, __w7};
}
__CFREE_INTRIN __m128i _mm_set1_epi16(short __w) {
    return (__m128i)(__v8hi){__w, __w, __w, __w, __w, __w, __w, __w};
}
__CFREE_INTRIN __m128i _mm_set_epi8(char __b15, char __b14, char __b13, char __b12, char __b11,
                                    char __b10, char __b9, char __b8, char __b7, char __b6,
                                    char __b5, char __b4, char __b3, char __b2, char __b1,
                                    char __b0) {
    return (__m128i)(__v16qi){__b0, __b1, __b2,  __b3,  __b4,  __b5,  __b6,  __b7,
                              __b8, __b9, __b10, __b11, __b12, __b13, __b14, __b15};
}
__CFREE_INTRIN __m128i _mm_setr_epi8(char __b0, char __b1, char __b2, char __b3, char __b4,
                                     char __b5, char __b6, char __b7, char __b8, char __b9,
                                     char __b10, char __b11, char __b12, char __b13, char __b14,
                                     char __b15) {
    return (__m128i)(__v16qi){__b0, __b1, __b2,  __b3,  __b4,  __b5,  __b6,  __b7,
                              __b8, __b9, __b10, __b11, __b12, __b13, __b14, __b15};
}
__CFREE_INTRIN __m128i _mm_set1_epi8(char __b) {
    return (__m128i)(__v16qi){__b, __b, __b, __b, __b, __b, __b, __b,
                              __b, __b, __b, __b, __b, __b, __b, __b};
}
__CFREE_INTRIN __m128i _mm_load_si128(const __m128i *__p) { return *__p; }
__CFREE_INTRIN __m128i _mm_loadu_si128(const __m128i_u *__p) { return *__p; }
__CFREE_INTRIN __m128i _mm_lddqu_si128(const __m128i_u *__p) { return *__p; }
__CFREE_INTRIN __m128i _mm_loadl_epi64(const __m128i_u *__p) {
    long long __q;
    __builtin_memcpy(&__q, __p, 8);
    return (__m128i){__q, 0};
}
__CFREE_INTRIN __m128i _mm_loadu_si64(const void *__p) { return _mm_loadl_epi64((const __m128i_u *)__p); }
__CFREE_INTRIN __m128i _mm_loadu_si32(const void *__p) {
    int __d;
    __builtin_memcpy(&__d, __p, 4);
    return (__m128i)(__v4si){__d, 0, 0, 0};
}
__CFREE_INTRIN void _mm_store_si128(__m128i *__p, __m128i __a) { *__p = __a; }
__CFREE_INTRIN void _mm_storeu_si128(__m128i_u *__p, __m128i __a) { *__p = __a; }
__CFREE_INTRIN void _mm_stream_si128(__m128i *__p, __m128i __a) { *__p = __a; }
__CFREE_INTRIN void _mm_storel_epi64(__m128i_u *__p, __m128i __a) {
    long long __q = __a[0];
    __builtin_memcpy(__p, &__q, 8);
}
__CFREE_INTRIN void _mm_storeu_si64(void *__p, __m128i __a) { _mm_storel_epi64((__m128i_u *)__p, __a); }
__CFREE_INTRIN void _mm_storeu_si32(void *__p, __m128i __a) {
    int __d = ((__v4si)__a)[0];
    __builtin_memcpy(__p, &__d, 4);
}
__CFREE_INTRIN void _mm_stream_si32(int *__p, int __v) { *__p = __v; }
__CFREE_INTRIN void _mm_stream_si64(long long *__p, long long __v) { *__p = __v; }
__CFREE_INTRIN __m128i _mm_move_epi64(__m128i __a) { return (__m128i){__a[0], 0}; }
__CFREE_INTRIN int _mm_cvtsi128_si32(__m128i __a) { return ((__v4si)__a)[0]; }
__CFREE_INTRIN long long _mm_cvtsi128_si64(__m128i __a) { return __a[0]; }
#define _mm_cvtsi128_si64x _mm_cvtsi128_si64
__CFREE_INTRIN __m128i _mm_cvtsi32_si128(int __i) { return (__m128i)(__v4si){__i, 0, 0, 0}; }
__CFREE_INTRIN __m128i _mm_cvtsi64_si128(long long __i) { return (__m128i){__i, 0}; }
#define _mm_cvtsi64x_si128 _mm_cvtsi64_si128

/* ---- integer arithmetic ---------------------------------------------------------------- */

__CFREE_INTRIN __m128i _mm_add_epi8(__m128i __a, __m128i __b) { return (__m128i)((__v16qu)__a + (__v16qu)__b); }
__CFREE_INTRIN __m128i _mm_add_epi16(__m128i __a, __m128i __b) { return (__m128i)((__v8hu)__a + (__v8hu)__b); }
__CFREE_INTRIN __m128i _mm_add_epi32(__m128i __a, __m128i __b) { return (__m128i)((__v4su)__a + (__v4su)__b); }
__CFREE_INTRIN __m128i _mm_add_epi64(__m128i __a, __m128i __b) { return (__m128i)((__v2du)__a + (__v2du)__b); }
__CFREE_INTRIN __m128i _mm_sub_epi8(__m128i __a, __m128i __b) { return (__m128i)((__v16qu)__a - (__v16qu)__b); }
__CFREE_INTRIN __m128i _mm_sub_epi16(__m128i __a, __m128i __b) { return (__m128i)((__v8hu)__a - (__v8hu)__b); }
__CFREE_INTRIN __m128i _mm_sub_epi32(__m128i __a, __m128i __b) { return (__m128i)((__v4su)__a - (__v4su)__b); }
__CFREE_INTRIN __m128i _mm_sub_epi64(__m128i __a, __m128i __b) { return (__m128i)((__v2du)__a - (__v2du)__b); }
__CFREE_LANEWISE(_mm_adds_epi8, __v16qs, 16, __cfree_sat_i8(__x[__i] + __y[__i]))
__CFREE_LANEWISE(_mm_adds_epu8, __v16qu, 16, __cfree_sat_u8(__x[__i] + __y[__i]))
__CFREE_LANEWISE(_mm_adds_epi16, __v8hi, 8, __cfree_sat_i16(__x[__i] + __y[__i]))
__CFREE_LANEWISE(_mm_adds_epu16, __v8hu, 8, __cfree_sat_u16(__x[__i] + __y[__i]))
__CFREE_LANEWISE(_mm_subs_epi8, __v16qs, 16, __cfree_sat_i8(__x[__i] - __y[__i]))
__CFREE_LANEWISE(_mm_subs_epu8, __v16qu, 16, __cfree_sat_u8(__x[__i] - __y[__i]))
__CFREE_LANEWISE(_mm_subs_epi16, __v8hi, 8, __cfree_sat_i16(__x[__i] - __y[__i]))
__CFREE_LANEWISE(_mm_subs_epu16, __v8hu, 8, __cfree_sat_u16(__x[__i] - __y[__i]))
__CFREE_LANEWISE(_mm_mullo_epi16, __v8hu, 8, (unsigned short)(__x[__i] * __y[__i]))
__CFREE_LANEWISE(_mm_mulhi_epi16, __v8hi, 8, (short)((__x[__i] * __y[__i]) >> 16))
__CFREE_LANEWISE(_mm_mulhi_epu16, __v8hu, 8, (unsigned short)(((unsigned)__x[__i] * __y[__i]) >> 16))
__CFREE_LANEWISE(_mm_avg_epu8, __v16qu, 16, (unsigned char)((__x[__i] + __y[__i] + 1) >> 1))
__CFREE_LANEWISE(_mm_avg_epu16, __v8hu, 8, (unsigned short)((__x[__i] + __y[__i] + 1) >> 1))
__CFREE_LANEWISE(_mm_min_epu8, __v16qu, 16, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epu8, __v16qu, 16, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_min_epi16, __v8hi, 8, __x[__i] < __y[__i] ? __x[__i] : __y[__i])
__CFREE_LANEWISE(_mm_max_epi16, __v8hi, 8, __x[__i] > __y[__i] ? __x[__i] : __y[__i])
__CFREE_INTRIN __m128i _mm_mul_epu32(__m128i __a, __m128i __b) {
    __v4su __x = (__v4su)__a, __y = (__v4su)__b;
    return (__m128i)(__v2du){(unsigned long long)__x[0] * __y[0], (unsigned long long)__x[2] * __y[2]};
}
__CFREE_INTRIN __m128i _mm_madd_epi16(__m128i __a, __m128i __b) {
    __v8hi __x = (__v8hi)__a, __y = (__v8hi)__b;
    __v4su __r;
    for (int __i = 0; __i < 4; __i++)
        __r[__i] = (unsigned)(__x[2 * __i] * __y[2 * __i]) + (unsigned)(__x[2 * __i + 1] * __y[2 * __i + 1]);
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_sad_epu8(__m128i __a, __m128i __b) {
    __v16qu __x = (__v16qu)__a, __y = (__v16qu)__b;
    __v2du __r = {0, 0};
    for (int __i = 0; __i < 16; __i++)
        __r[__i / 8] += __x[__i] > __y[__i] ? __x[__i] - __y[__i] : __y[__i] - __x[__i];
    return (__m128i)__r;
}

/* ---- bitwise --------------------------------------------------------------------------- */

__CFREE_INTRIN __m128i _mm_and_si128(__m128i __a, __m128i __b) { return __a & __b; }
__CFREE_INTRIN __m128i _mm_andnot_si128(__m128i __a, __m128i __b) { return ~__a & __b; }
__CFREE_INTRIN __m128i _mm_or_si128(__m128i __a, __m128i __b) { return __a | __b; }
__CFREE_INTRIN __m128i _mm_xor_si128(__m128i __a, __m128i __b) { return __a ^ __b; }

/* ---- shifts: counts past the lane width give zero (arithmetic ones fill with the sign) - */

#define __CFREE_SHIFTS(bits, ut, st, n)                                                       \
    __CFREE_INTRIN __m128i _mm_slli_epi##bits(__m128i __a, int __c) {                         \
        return (unsigned)__c > (bits) - 1 ? _mm_setzero_si128() : (__m128i)((ut)__a << __c);  \
    }                                                                                         \
    __CFREE_INTRIN __m128i _mm_srli_epi##bits(__m128i __a, int __c) {                         \
        return (unsigned)__c > (bits) - 1 ? _mm_setzero_si128() : (__m128i)((ut)__a >> __c);  \
    }                                                                                         \
    __CFREE_INTRIN __m128i _mm_sll_epi##bits(__m128i __a, __m128i __c) {                      \
        return (unsigned long long)__c[0] > (bits) - 1 ? _mm_setzero_si128()                  \
                                                       : (__m128i)((ut)__a << (int)__c[0]);   \
    }                                                                                         \
    __CFREE_INTRIN __m128i _mm_srl_epi##bits(__m128i __a, __m128i __c) {                      \
        return (unsigned long long)__c[0] > (bits) - 1 ? _mm_setzero_si128()                  \
                                                       : (__m128i)((ut)__a >> (int)__c[0]);   \
    }
__CFREE_SHIFTS(16, __v8hu, __v8hi, 8)
__CFREE_SHIFTS(32, __v4su, __v4si, 4)
__CFREE_SHIFTS(64, __v2du, __v2di, 2)
__CFREE_INTRIN __m128i _mm_srai_epi16(__m128i __a, int __c) {
    return (__m128i)((__v8hi)__a >> ((unsigned)__c > 15 ? 15 : __c));
}
__CFREE_INTRIN __m128i _mm_srai_epi32(__m128i __a, int __c) {
    return (__m128i)((__v4si)__a >> ((unsigned)__c > 31 ? 31 : __c));
}
__CFREE_INTRIN __m128i _mm_sra_epi16(__m128i __a, __m128i __c) {
    return (__m128i)((__v8hi)__a >> ((unsigned long long)__c[0] > 15 ? 15 : (int)__c[0]));
}
__CFREE_INTRIN __m128i _mm_sra_epi32(__m128i __a, __m128i __c) {
    return (__m128i)((__v4si)__a >> ((unsigned long long)__c[0] > 31 ? 31 : (int)__c[0]));
}
/* Whole-register byte shifts. */
__CFREE_INTRIN __m128i _mm_bsrli_si128(__m128i __a, int __n) {
    __v16qu __x = (__v16qu)__a, __r;
    for (int __i = 0; __i < 16; __i++)
        __r[__i] = (unsigned)__n < 16 && __i + __n < 16 ? __x[__i + __n] : 0;
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_bslli_si128(__m128i __a, int __n) {
    __v16qu __x = (__v16qu)__a, __r;
    for (int __i = 0; __i < 16; __i++)
        __r[__i] = (unsigned)__n < 16 && __i >= __n ? __x[__i - __n] : 0;
    return (__m128i)__r;
}
#define _mm_srli_si128 _mm_bsrli_si128
#define _mm_slli_si128 _mm_bslli_si128

/* ---- comparisons ----------------------------------------------------------------------- */

__CFREE_INTRIN __m128i _mm_cmpeq_epi8(__m128i __a, __m128i __b) { return (__m128i)((__v16qs)__a == (__v16qs)__b); }
__CFREE_INTRIN __m128i _mm_cmpeq_epi16(__m128i __a, __m128i __b) { return (__m128i)((__v8hi)__a == (__v8hi)__b); }
__CFREE_INTRIN __m128i _mm_cmpeq_epi32(__m128i __a, __m128i __b) { return (__m128i)((__v4si)__a == (__v4si)__b); }
__CFREE_INTRIN __m128i _mm_cmpgt_epi8(__m128i __a, __m128i __b) { return (__m128i)((__v16qs)__a > (__v16qs)__b); }
__CFREE_INTRIN __m128i _mm_cmpgt_epi16(__m128i __a, __m128i __b) { return (__m128i)((__v8hi)__a > (__v8hi)__b); }
__CFREE_INTRIN __m128i _mm_cmpgt_epi32(__m128i __a, __m128i __b) { return (__m128i)((__v4si)__a > (__v4si)__b); }
__CFREE_INTRIN __m128i _mm_cmplt_epi8(__m128i __a, __m128i __b) { return _mm_cmpgt_epi8(__b, __a); }
__CFREE_INTRIN __m128i _mm_cmplt_epi16(__m128i __a, __m128i __b) { return _mm_cmpgt_epi16(__b, __a); }
__CFREE_INTRIN __m128i _mm_cmplt_epi32(__m128i __a, __m128i __b) { return _mm_cmpgt_epi32(__b, __a); }
__CFREE_INTRIN int _mm_movemask_epi8(__m128i __a) {
    __v16qu __x = (__v16qu)__a;
    int __m = 0;
    for (int __i = 0; __i < 16; __i++)
        __m |= (__x[__i] >> 7) << __i;
    return __m;
}

/* ---- packing, unpacking, shuffles ------------------------------------------------------ */

__CFREE_INTRIN __m128i _mm_packs_epi16(__m128i __a, __m128i __b) {
    __v8hi __x = (__v8hi)__a, __y = (__v8hi)__b;
    __v16qs __r;
    for (int __i = 0; __i < 8; __i++) {
        __r[__i] = __cfree_sat_i8(__x[__i]);
        __r[__i + 8] = __cfree_sat_i8(__y[__i]);
    }
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_packus_epi16(__m128i __a, __m128i __b) {
    __v8hi __x = (__v8hi)__a, __y = (__v8hi)__b;
    __v16qu __r;
    for (int __i = 0; __i < 8; __i++) {
        __r[__i] = __cfree_sat_u8(__x[__i]);
        __r[__i + 8] = __cfree_sat_u8(__y[__i]);
    }
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_packs_epi32(__m128i __a, __m128i __b) {
    __v4si __x = (__v4si)__a, __y = (__v4si)__b;
    __v8hi __r;
    for (int __i = 0; __i < 4; __i++) {
        __r[__i] = __cfree_sat_i16(__x[__i]);
        __r[__i + 4] = __cfree_sat_i16(__y[__i]);
    }
    return (__m128i)__r;
}
#define __CFREE_UNPACK(name, vt, n, base)                                                     \
    __CFREE_INTRIN __m128i name(__m128i __a, __m128i __b) {                                   \
        vt __x = (vt)__a, __y = (vt)__b, __r;                                                 \
        for (int __i = 0; __i < (n) / 2; __i++) {                                             \
            __r[2 * __i] = __x[(base) + __i];                                                 \
            __r[2 * __i + 1] = __y[(base) + __i];                                             \
        }                                                                                     \
        return (__m128i)__r;                                                                  \
    }
__CFREE_UNPACK(_mm_unpacklo_epi8, __v16qu, 16, 0)
__CFREE_UNPACK(_mm_unpackhi_epi8, __v16qu, 16, 8)
__CFREE_UNPACK(_mm_unpacklo_epi16, __v8hu, 8, 0)
__CFREE_UNPACK(_mm_unpackhi_epi16, __v8hu, 8, 4)
__CFREE_UNPACK(_mm_unpacklo_epi32, __v4su, 4, 0)
__CFREE_UNPACK(_mm_unpackhi_epi32, __v4su, 4, 2)
__CFREE_UNPACK(_mm_unpacklo_epi64, __v2du, 2, 0)
__CFREE_UNPACK(_mm_unpackhi_epi64, __v2du, 2, 1)
__CFREE_INTRIN __m128i _mm_shuffle_epi32(__m128i __a, int __imm) {
    __v4si __x = (__v4si)__a;
    return (__m128i)(__v4si){__x[__imm & 3], __x[(__imm >> 2) & 3], __x[(__imm >> 4) & 3],
                             __x[(__imm >> 6) & 3]};
}
__CFREE_INTRIN __m128i _mm_shufflelo_epi16(__m128i __a, int __imm) {
    __v8hi __x = (__v8hi)__a, __r = __x;
    for (int __i = 0; __i < 4; __i++)
        __r[__i] = __x[(__imm >> (2 * __i)) & 3];
    return (__m128i)__r;
}
__CFREE_INTRIN __m128i _mm_shufflehi_epi16(__m128i __a, int __imm) {
    __v8hi __x = (__v8hi)__a, __r = __x;
    for (int __i = 0; __i < 4; __i++)
        __r[4 + __i] = __x[4 + ((__imm >> (2 * __i)) & 3)];
    return (__m128i)__r;
}
__CFREE_INTRIN int _mm_extract_epi16(__m128i __a, int __imm) {
    return ((__v8hu)__a)[__imm & 7];
}
__CFREE_INTRIN __m128i _mm_insert_epi16(__m128i __a, int __v, int __imm) {
    __v8hi __x = (__v8hi)__a;
    __x[__imm & 7] = (short)__v;
    return (__m128i)__x;
}

/* ---- doubles --------------------------------------------------------------------------- */

__CFREE_INTRIN __m128d _mm_setzero_pd(void) { return (__m128d){0.0, 0.0}; }
__CFREE_INTRIN __m128d _mm_set1_pd(double __d) { return (__m128d){__d, __d}; }
__CFREE_INTRIN __m128d _mm_set_pd1(double __d) { return (__m128d){__d, __d}; }
__CFREE_INTRIN __m128d _mm_set_pd(double __d1, double __d0) { return (__m128d){__d0, __d1}; }
__CFREE_INTRIN __m128d _mm_setr_pd(double __d0, double __d1) { return (__m128d){__d0, __d1}; }
__CFREE_INTRIN __m128d _mm_set_sd(double __d) { return (__m128d){__d, 0.0}; }
__CFREE_INTRIN __m128d _mm_load_pd(const double *__p) { return *(const __m128d *)__p; }
__CFREE_INTRIN __m128d _mm_loadu_pd(const double *__p) { return *(const __m128d_u *)__p; }
__CFREE_INTRIN __m128d _mm_load_sd(const double *__p) { return (__m128d){*__p, 0.0}; }
__CFREE_INTRIN __m128d _mm_load1_pd(const double *__p) { return (__m128d){*__p, *__p}; }
__CFREE_INTRIN void _mm_store_pd(double *__p, __m128d __a) { *(__m128d *)__p = __a; }
__CFREE_INTRIN void _mm_storeu_pd(double *__p, __m128d __a) { *(__m128d_u *)__p = __a; }
__CFREE_INTRIN void _mm_store_sd(double *__p, __m128d __a) { *__p = __a[0]; }
__CFREE_INTRIN void _mm_storel_pd(double *__p, __m128d __a) { *__p = __a[0]; }
__CFREE_INTRIN void _mm_storeh_pd(double *__p, __m128d __a) { *__p = __a[1]; }
__CFREE_INTRIN double _mm_cvtsd_f64(__m128d __a) { return __a[0]; }
__CFREE_INTRIN __m128d _mm_add_pd(__m128d __a, __m128d __b) { return __a + __b; }
__CFREE_INTRIN __m128d _mm_sub_pd(__m128d __a, __m128d __b) { return __a - __b; }
__CFREE_INTRIN __m128d _mm_mul_pd(__m128d __a, __m128d __b) { return __a * __b; }
__CFREE_INTRIN __m128d _mm_div_pd(__m128d __a, __m128d __b) { return __a / __b; }
/* a = a op b: of two NaNs the first operand's (see _mm_add_ss). */
__CFREE_INTRIN __m128d _mm_add_sd(__m128d __a, __m128d __b) { __a[0] = __a[0] + __b[0]; return __a; }
__CFREE_INTRIN __m128d _mm_sub_sd(__m128d __a, __m128d __b) { __a[0] = __a[0] - __b[0]; return __a; }
__CFREE_INTRIN __m128d _mm_mul_sd(__m128d __a, __m128d __b) { __a[0] = __a[0] * __b[0]; return __a; }
__CFREE_INTRIN __m128d _mm_div_sd(__m128d __a, __m128d __b) { __a[0] = __a[0] / __b[0]; return __a; }
__CFREE_INTRIN __m128d _mm_sqrt_pd(__m128d __a) {
    return (__m128d){__builtin_sqrt(__a[0]), __builtin_sqrt(__a[1])};
}
__CFREE_INTRIN double __cfree_min(double __x, double __y) { return __x < __y ? __x : __y; }
__CFREE_INTRIN double __cfree_max(double __x, double __y) { return __x > __y ? __x : __y; }
__CFREE_INTRIN __m128d _mm_min_pd(__m128d __a, __m128d __b) {
    return (__m128d){__cfree_min(__a[0], __b[0]), __cfree_min(__a[1], __b[1])};
}
__CFREE_INTRIN __m128d _mm_max_pd(__m128d __a, __m128d __b) {
    return (__m128d){__cfree_max(__a[0], __b[0]), __cfree_max(__a[1], __b[1])};
}
__CFREE_INTRIN __m128d _mm_and_pd(__m128d __a, __m128d __b) { return (__m128d)((__v2du)__a & (__v2du)__b); }
__CFREE_INTRIN __m128d _mm_andnot_pd(__m128d __a, __m128d __b) { return (__m128d)(~(__v2du)__a & (__v2du)__b); }
__CFREE_INTRIN __m128d _mm_or_pd(__m128d __a, __m128d __b) { return (__m128d)((__v2du)__a | (__v2du)__b); }
__CFREE_INTRIN __m128d _mm_xor_pd(__m128d __a, __m128d __b) { return (__m128d)((__v2du)__a ^ (__v2du)__b); }
__CFREE_INTRIN __m128d _mm_cmpeq_pd(__m128d __a, __m128d __b) { return (__m128d)(__a == __b); }
__CFREE_INTRIN __m128d _mm_cmplt_pd(__m128d __a, __m128d __b) { return (__m128d)(__a < __b); }
__CFREE_INTRIN __m128d _mm_cmple_pd(__m128d __a, __m128d __b) { return (__m128d)(__a <= __b); }
__CFREE_INTRIN __m128d _mm_cmpgt_pd(__m128d __a, __m128d __b) { return (__m128d)(__a > __b); }
__CFREE_INTRIN __m128d _mm_cmpge_pd(__m128d __a, __m128d __b) { return (__m128d)(__a >= __b); }
__CFREE_INTRIN __m128d _mm_cmpneq_pd(__m128d __a, __m128d __b) { return (__m128d)(__a != __b); }
__CFREE_INTRIN __m128d _mm_cmpord_pd(__m128d __a, __m128d __b) { return (__m128d)((__a == __a) & (__b == __b)); }
__CFREE_INTRIN __m128d _mm_cmpunord_pd(__m128d __a, __m128d __b) { return (__m128d)((__a != __a) | (__b != __b)); }
__CFREE_INTRIN int _mm_movemask_pd(__m128d __a) {
    __v2du __u = (__v2du)__a;
    return (int)((__u[0] >> 63) | (__u[1] >> 63) << 1);
}
__CFREE_INTRIN __m128d _mm_unpacklo_pd(__m128d __a, __m128d __b) { return (__m128d){__a[0], __b[0]}; }
__CFREE_INTRIN __m128d _mm_unpackhi_pd(__m128d __a, __m128d __b) { return (__m128d){__a[1], __b[1]}; }
__CFREE_INTRIN __m128d _mm_shuffle_pd(__m128d __a, __m128d __b, int __imm) {
    return (__m128d){__a[__imm & 1], __b[(__imm >> 1) & 1]};
}
__CFREE_INTRIN __m128d _mm_move_sd(__m128d __a, __m128d __b) { return (__m128d){__b[0], __a[1]}; }

/* ---- casts (bit reinterpretation) and conversions -------------------------------------- */

__CFREE_INTRIN __m128 _mm_castsi128_ps(__m128i __a) { return (__m128)__a; }
__CFREE_INTRIN __m128i _mm_castps_si128(__m128 __a) { return (__m128i)__a; }
__CFREE_INTRIN __m128d _mm_castsi128_pd(__m128i __a) { return (__m128d)__a; }
__CFREE_INTRIN __m128i _mm_castpd_si128(__m128d __a) { return (__m128i)__a; }
__CFREE_INTRIN __m128d _mm_castps_pd(__m128 __a) { return (__m128d)__a; }
__CFREE_INTRIN __m128 _mm_castpd_ps(__m128d __a) { return (__m128)__a; }
__CFREE_INTRIN __m128 _mm_cvtepi32_ps(__m128i __a) {
    __v4si __x = (__v4si)__a;
    return (__m128){(float)__x[0], (float)__x[1], (float)__x[2], (float)__x[3]};
}
__CFREE_INTRIN __m128d _mm_cvtepi32_pd(__m128i __a) {
    __v4si __x = (__v4si)__a;
    return (__m128d){(double)__x[0], (double)__x[1]};
}
__CFREE_INTRIN __m128d _mm_cvtps_pd(__m128 __a) { return (__m128d){__a[0], __a[1]}; }
__CFREE_INTRIN __m128 _mm_cvtpd_ps(__m128d __a) { return (__m128){(float)__a[0], (float)__a[1], 0.0f, 0.0f}; }
__CFREE_INTRIN __m128d _mm_cvtsi32_sd(__m128d __a, int __i) { __a[0] = __i; return __a; }
__CFREE_INTRIN __m128d _mm_cvtsi64_sd(__m128d __a, long long __i) { __a[0] = (double)__i; return __a; }
#define _mm_cvtsi64x_sd _mm_cvtsi64_sd
/* The MXCSR-dependent and out-of-range-to-0x80000000 conversions run the instruction. */
#define __CFREE_CVT_VEC(name, insn, rt, at)                                                   \
    __CFREE_INTRIN rt name(at __a) {                                                          \
        rt __r;                                                                               \
        __asm__(insn " %1, %%xmm0\n\tmovdqu %%xmm0, %0" : "=m"(__r) : "m"(__a) : "xmm0");    \
        return __r;                                                                           \
    }
__CFREE_CVT_VEC(_mm_cvtps_epi32, "cvtps2dq", __m128i, __m128)
__CFREE_CVT_VEC(_mm_cvttps_epi32, "cvttps2dq", __m128i, __m128)
__CFREE_CVT_VEC(_mm_cvtpd_epi32, "cvtpd2dq", __m128i, __m128d)
__CFREE_CVT_VEC(_mm_cvttpd_epi32, "cvttpd2dq", __m128i, __m128d)
#define __CFREE_CVT_SD(name, insn, rt)                                                        \
    __CFREE_INTRIN rt name(__m128d __a) {                                                     \
        rt __r;                                                                               \
        double __d = __a[0];                                                                  \
        __asm__(insn " %1, %0" : "=r"(__r) : "m"(__d));                                       \
        return __r;                                                                           \
    }
__CFREE_CVT_SD(_mm_cvtsd_si32, "cvtsd2si", int)
__CFREE_CVT_SD(_mm_cvttsd_si32, "cvttsd2si", int)
__CFREE_CVT_SD(_mm_cvtsd_si64, "cvtsd2si", long long)
__CFREE_CVT_SD(_mm_cvttsd_si64, "cvttsd2si", long long)
#define _mm_cvtsd_si64x _mm_cvtsd_si64
#define _mm_cvttsd_si64x _mm_cvttsd_si64

/* ---- cache and ordering ---------------------------------------------------------------- */

__CFREE_INTRIN void _mm_pause(void) { __asm__ volatile("pause"); }
__CFREE_INTRIN void _mm_lfence(void) { __asm__ volatile("lfence" : : : "memory"); }
__CFREE_INTRIN void _mm_mfence(void) { __asm__ volatile("mfence" : : : "memory"); }
__CFREE_INTRIN void _mm_clflush(const void *__p) { __asm__ volatile("clflush %0" : : "m"(*(const char *)__p)); }

#endif

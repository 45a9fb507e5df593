/* cfree's <xmmintrin.h>: SSE intrinsics on __m128 (four floats).
   Every intrinsic here is an ordinary C function over GNU vectors, computing exactly what the
   instruction computes (NaN and signed-zero rules included); conversions that depend on the
   MXCSR rounding mode run the instruction itself. Intrinsics cfree does not provide (the
   approximate _mm_rcp_ps/_mm_rsqrt_ps among them) are undeclared, so using one is an error. */
#ifndef __CFREE_XMMINTRIN_H
#define __CFREE_XMMINTRIN_H

#ifndef __x86_64__
#error "<xmmintrin.h> is for x86-64 targets"
#endif

#include <mm_malloc.h>

#define __CFREE_INTRIN static __inline__ __attribute__((__always_inline__, __unused__))

typedef float __m128 __attribute__((__vector_size__(16), __may_alias__));
typedef float __m128_u __attribute__((__vector_size__(16), __may_alias__, __aligned__(1)));
typedef float __v4sf __attribute__((__vector_size__(16)));
typedef int __cfree_v4si __attribute__((__vector_size__(16)));
typedef unsigned int __cfree_v4su __attribute__((__vector_size__(16)));

#define _MM_SHUFFLE(z, y, x, w) (((z) << 6) | ((y) << 4) | ((x) << 2) | (w))

#define _MM_HINT_T0 3
#define _MM_HINT_T1 2
#define _MM_HINT_T2 1
#define _MM_HINT_NTA 0
#define _mm_prefetch(p, hint) __builtin_prefetch((const void *)(p), 0, (hint) & 3)

/* ---- set, load, store ------------------------------------------------------------------ */

__CFREE_INTRIN __m128 _mm_setzero_ps(void) { return (__m128){0.0f, 0.0f, 0.0f, 0.0f}; }
__CFREE_INTRIN __m128 _mm_set1_ps(float __f) { return (__m128){__f, __f, __f, __f}; }
__CFREE_INTRIN __m128 _mm_set_ps1(float __f) { return _mm_set1_ps(__f); }
__CFREE_INTRIN __m128 _mm_set_ps(float __z, float __y, float __x, float __w) {
    return (__m128){__w, __x, __y, __z};
}
__CFREE_INTRIN __m128 _mm_setr_ps(float __w, float __x, float __y, float __z) {
    return (__m128){__w, __x, __y, __z};
}
__CFREE_INTRIN __m128 _mm_set_ss(float __f) { return (__m128){__f, 0.0f, 0.0f, 0.0f}; }
__CFREE_INTRIN __m128 _mm_load_ps(const float *__p) { return *(const __m128 *)__p; }
__CFREE_INTRIN __m128 _mm_loadu_ps(const float *__p) { return *(const __m128_u *)__p; }
__CFREE_INTRIN __m128 _mm_load_ss(const float *__p) { return _mm_set_ss(*__p); }
__CFREE_INTRIN __m128 _mm_load1_ps(const float *__p) { return _mm_set1_ps(*__p); }
__CFREE_INTRIN __m128 _mm_load_ps1(const float *__p) { return _mm_set1_ps(*__p); }
__CFREE_INTRIN __m128 _mm_loadr_ps(const float *__p) {
    __m128 __a = _mm_load_ps(__p);
    return (__m128){__a[3], __a[2], __a[1], __a[0]};
}
__CFREE_INTRIN void _mm_store_ps(float *__p, __m128 __a) { *(__m128 *)__p = __a; }
__CFREE_INTRIN void _mm_storeu_ps(float *__p, __m128 __a) { *(__m128_u *)__p = __a; }
__CFREE_INTRIN void _mm_stream_ps(float *__p, __m128 __a) { *(__m128 *)__p = __a; }
__CFREE_INTRIN void _mm_store_ss(float *__p, __m128 __a) { *__p = __a[0]; }
__CFREE_INTRIN void _mm_store1_ps(float *__p, __m128 __a) { _mm_store_ps(__p, _mm_set1_ps(__a[0])); }
__CFREE_INTRIN void _mm_store_ps1(float *__p, __m128 __a) { _mm_store1_ps(__p, __a); }
__CFREE_INTRIN void _mm_storer_ps(float *__p, __m128 __a) {
    _mm_store_ps(__p, (__m128){__a[3], __a[2], __a[1], __a[0]});
}
__CFREE_INTRIN float _mm_cvtss_f32(__m128 __a) { return __a[0]; }
__CFREE_INTRIN __m128 _mm_move_ss(__m128 __a, __m128 __b) {
    __a[0] = __b[0];
    return __a;
}

/* ---- arithmetic ------------------------------------------------------------------------ */

__CFREE_INTRIN __m128 _mm_add_ps(__m128 __a, __m128 __b) { return __a + __b; }
__CFREE_INTRIN __m128 _mm_sub_ps(__m128 __a, __m128 __b) { return __a - __b; }
__CFREE_INTRIN __m128 _mm_mul_ps(__m128 __a, __m128 __b) { return __a * __b; }
__CFREE_INTRIN __m128 _mm_div_ps(__m128 __a, __m128 __b) { return __a / __b; }
/* Written a = a op b, not a op= b: of two NaNs the instruction returns the first operand's
   (quieted), and cfree, like gcc, computes a lane's commutative `x op= y` as y op x. */
__CFREE_INTRIN __m128 _mm_add_ss(__m128 __a, __m128 __b) { __a[0] = __a[0] + __b[0]; return __a; }
__CFREE_INTRIN __m128 _mm_sub_ss(__m128 __a, __m128 __b) { __a[0] = __a[0] - __b[0]; return __a; }
__CFREE_INTRIN __m128 _mm_mul_ss(__m128 __a, __m128 __b) { __a[0] = __a[0] * __b[0]; return __a; }
__CFREE_INTRIN __m128 _mm_div_ss(__m128 __a, __m128 __b) { __a[0] = __a[0] / __b[0]; return __a; }
__CFREE_INTRIN __m128 _mm_sqrt_ps(__m128 __a) {
    for (int __i = 0; __i < 4; __i++)
        __a[__i] = __builtin_sqrtf(__a[__i]);
    return __a;
}
__CFREE_INTRIN __m128 _mm_sqrt_ss(__m128 __a) { __a[0] = __builtin_sqrtf(__a[0]); return __a; }
/* minps/maxps: the second operand when either is NaN or both are zeros. */
__CFREE_INTRIN float __cfree_minf(float __x, float __y) { return __x < __y ? __x : __y; }
__CFREE_INTRIN float __cfree_maxf(float __x, float __y) { return __x > __y ? __x : __y; }
__CFREE_INTRIN __m128 _mm_min_ps(__m128 __a, __m128 __b) {
    for (int __i = 0; __i < 4; __i++)
        __a[__i] = __cfree_minf(__a[__i], __b[__i]);
    return __a;
}
__CFREE_INTRIN __m128 _mm_max_ps(__m128 __a, __m128 __b) {
    for (int __i = 0; __i < 4; __i++)
        __a[__i] = __cfree_maxf(__a[__i], __b[__i]);
    return __a;
}
__CFREE_INTRIN __m128 _mm_min_ss(__m128 __a, __m128 __b) { __a[0] = __cfree_minf(__a[0], __b[0]); return __a; }
__CFREE_INTRIN __m128 _mm_max_ss(__m128 __a, __m128 __b) { __a[0] = __cfree_maxf(__a[0], __b[0]); return __a; }

/* ---- bitwise --------------------------------------------------------------------------- */

__CFREE_INTRIN __m128 _mm_and_ps(__m128 __a, __m128 __b) {
    return (__m128)((__cfree_v4su)__a & (__cfree_v4su)__b);
}
__CFREE_INTRIN __m128 _mm_andnot_ps(__m128 __a, __m128 __b) {
    return (__m128)(~(__cfree_v4su)__a & (__cfree_v4su)__b);
}
__CFREE_INTRIN __m128 _mm_or_ps(__m128 __a, __m128 __b) {
    return (__m128)((__cfree_v4su)__a | (__cfree_v4su)__b);
}
__CFREE_INTRIN __m128 _mm_xor_ps(__m128 __a, __m128 __b) {
    return (__m128)((__cfree_v4su)__a ^ (__cfree_v4su)__b);
}

/* ---- comparisons: all-ones lanes where true -------------------------------------------- */

__CFREE_INTRIN __m128 _mm_cmpeq_ps(__m128 __a, __m128 __b) { return (__m128)(__a == __b); }
__CFREE_INTRIN __m128 _mm_cmplt_ps(__m128 __a, __m128 __b) { return (__m128)(__a < __b); }
__CFREE_INTRIN __m128 _mm_cmple_ps(__m128 __a, __m128 __b) { return (__m128)(__a <= __b); }
__CFREE_INTRIN __m128 _mm_cmpgt_ps(__m128 __a, __m128 __b) { return (__m128)(__a > __b); }
__CFREE_INTRIN __m128 _mm_cmpge_ps(__m128 __a, __m128 __b) { return (__m128)(__a >= __b); }
__CFREE_INTRIN __m128 _mm_cmpneq_ps(__m128 __a, __m128 __b) { return (__m128)(__a != __b); }
__CFREE_INTRIN __m128 _mm_cmpnlt_ps(__m128 __a, __m128 __b) { return (__m128)~(__cfree_v4si)(__a < __b); }
__CFREE_INTRIN __m128 _mm_cmpnle_ps(__m128 __a, __m128 __b) { return (__m128)~(__cfree_v4si)(__a <= __b); }
__CFREE_INTRIN __m128 _mm_cmpord_ps(__m128 __a, __m128 __b) {
    return (__m128)((__a == __a) & (__b == __b));
}
__CFREE_INTRIN __m128 _mm_cmpunord_ps(__m128 __a, __m128 __b) {
    return (__m128)((__a != __a) | (__b != __b));
}
__CFREE_INTRIN int _mm_movemask_ps(__m128 __a) {
    __cfree_v4su __u = (__cfree_v4su)__a;
    return (int)((__u[0] >> 31) | (__u[1] >> 31) << 1 | (__u[2] >> 31) << 2 | (__u[3] >> 31) << 3);
}
/* comiss/ucomiss set ZF, PF and CF all three for an unordered pair (a NaN), and gcc's
   intrinsics read ZF alone (eq: sete, neq: setne) or CF and ZF (lt: setb, le: setbe,
   gt: seta, ge: setae): a NaN compares equal, less and less-or-equal, not not-equal. */
__CFREE_INTRIN int _mm_comieq_ss(__m128 __a, __m128 __b) { return !(__a[0] < __b[0] || __a[0] > __b[0]); }
__CFREE_INTRIN int _mm_comilt_ss(__m128 __a, __m128 __b) { return !(__a[0] >= __b[0]); }
__CFREE_INTRIN int _mm_comile_ss(__m128 __a, __m128 __b) { return !(__a[0] > __b[0]); }
__CFREE_INTRIN int _mm_comigt_ss(__m128 __a, __m128 __b) { return __a[0] > __b[0]; }
__CFREE_INTRIN int _mm_comige_ss(__m128 __a, __m128 __b) { return __a[0] >= __b[0]; }
__CFREE_INTRIN int _mm_comineq_ss(__m128 __a, __m128 __b) { return __a[0] < __b[0] || __a[0] > __b[0]; }
#define _mm_ucomieq_ss _mm_comieq_ss
#define _mm_ucomilt_ss _mm_comilt_ss
#define _mm_ucomile_ss _mm_comile_ss
#define _mm_ucomigt_ss _mm_comigt_ss
#define _mm_ucomige_ss _mm_comige_ss
#define _mm_ucomineq_ss _mm_comineq_ss

/* ---- shuffles -------------------------------------------------------------------------- */

__CFREE_INTRIN __m128 _mm_shuffle_ps(__m128 __a, __m128 __b, int __imm) {
    return (__m128){__a[__imm & 3], __a[(__imm >> 2) & 3], __b[(__imm >> 4) & 3], __b[(__imm >> 6) & 3]};
}
__CFREE_INTRIN __m128 _mm_unpacklo_ps(__m128 __a, __m128 __b) { return (__m128){__a[0], __b[0], __a[1], __b[1]}; }
__CFREE_INTRIN __m128 _mm_unpackhi_ps(__m128 __a, __m128 __b) { return (__m128){__a[2], __b[2], __a[3], __b[3]}; }
__CFREE_INTRIN __m128 _mm_movehl_ps(__m128 __a, __m128 __b) { return (__m128){__b[2], __b[3], __a[2], __a[3]}; }
__CFREE_INTRIN __m128 _mm_movelh_ps(__m128 __a, __m128 __b) { return (__m128){__a[0], __a[1], __b[0], __b[1]}; }

#define _MM_TRANSPOSE4_PS(r0, r1, r2, r3)                                                     \
    do {                                                                                      \
        __m128 __t0 = _mm_unpacklo_ps((r0), (r1)), __t1 = _mm_unpacklo_ps((r2), (r3));        \
        __m128 __t2 = _mm_unpackhi_ps((r0), (r1)), __t3 = _mm_unpackhi_ps((r2), (r3));        \
        (r0) = _mm_movelh_ps(__t0, __t1);                                                     \
        (r1) = _mm_movehl_ps(__t1, __t0);                                                     \
        (r2) = _mm_movelh_ps(__t2, __t3);                                                     \
        (r3) = _mm_movehl_ps(__t3, __t2);                                                     \
    } while (0)

/* ---- conversions (the rounding ones follow MXCSR, so they run the instruction) --------- */

__CFREE_INTRIN __m128 _mm_cvtsi32_ss(__m128 __a, int __i) { __a[0] = (float)__i; return __a; }
__CFREE_INTRIN __m128 _mm_cvtsi64_ss(__m128 __a, long long __i) { __a[0] = (float)__i; return __a; }
#define _mm_cvt_si2ss _mm_cvtsi32_ss
#define _mm_cvtsi64x_ss _mm_cvtsi64_ss
__CFREE_INTRIN int _mm_cvtss_si32(__m128 __a) {
    int __r;
    float __f = __a[0];
    __asm__("cvtss2si %1, %0" : "=r"(__r) : "m"(__f));
    return __r;
}
__CFREE_INTRIN long long _mm_cvtss_si64(__m128 __a) {
    long long __r;
    float __f = __a[0];
    __asm__("cvtss2si %1, %0" : "=r"(__r) : "m"(__f));
    return __r;
}
__CFREE_INTRIN int _mm_cvttss_si32(__m128 __a) {
    int __r;
    float __f = __a[0];
    __asm__("cvttss2si %1, %0" : "=r"(__r) : "m"(__f));
    return __r;
}
__CFREE_INTRIN long long _mm_cvttss_si64(__m128 __a) {
    long long __r;
    float __f = __a[0];
    __asm__("cvttss2si %1, %0" : "=r"(__r) : "m"(__f));
    return __r;
}
#define _mm_cvt_ss2si _mm_cvtss_si32
#define _mm_cvtt_ss2si _mm_cvttss_si32
#define _mm_cvtss_si64x _mm_cvtss_si64
#define _mm_cvttss_si64x _mm_cvttss_si64

/* ---- MXCSR and ordering ---------------------------------------------------------------- */

__CFREE_INTRIN unsigned int _mm_getcsr(void) {
    unsigned int __r;
    __asm__ volatile("stmxcsr %0" : "=m"(__r));
    return __r;
}
__CFREE_INTRIN void _mm_setcsr(unsigned int __v) { __asm__ volatile("ldmxcsr %0" : : "m"(__v)); }
__CFREE_INTRIN void _mm_sfence(void) { __asm__ volatile("sfence" : : : "memory"); }

#endif

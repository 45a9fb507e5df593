/* Differential test of the AVX2 integer, VPCLMULQDQ, BMI1/BMI2/LZCNT/POPCNT intrinsics, the
   <ia32intrin.h> helpers and <cpuid.h>: every one cfree's headers declare, on edge values and
   pseudo-random inputs, gcc's intrinsics being the reference. See
   tests/c/include/x86_intrin_test.h; SSE .. SSE4.2 are in x86_intrinsics_sse.c. */
#include "x86_intrin_test.h"

#define T1Y(fn) FOR O256(#fn, fn(AY(i)))
#define T2Y(fn) FOR O256(#fn, fn(AY(i), BY(i)))
#define T3Y(fn) FOR O256(#fn, fn(AY(i), BY(i), CY(i)))
#define TI1Y(fn, k) FORI O256(#fn "/" #k, fn(AY(i), k))
#define TI2Y(fn, k) FORI O256(#fn "/" #k, fn(AY(i), BY(i), k))
#define IMM8S(M) M(0x00) M(0x01) M(0x1b) M(0x4e) M(0x93) M(0xb1) M(0xe4) M(0xff) M(0x39) M(0xc6) M(0x80)
#define BYTES(M) M(0) M(1) M(2) M(3) M(4) M(5) M(7) M(8) M(9) M(12) M(15) M(16) M(17) M(31) M(255)

#define TSHIFTY(fn)                                                                           \
    for (int c_ = 0; c_ < 18; c_++)                                                           \
        for (int s_ = 0; s_ < 8; s_++) {                                                      \
            int i = SHI[s_];                                                                  \
            char nm_[64];                                                                     \
            snprintf(nm_, sizeof nm_, "%s/%d", #fn, CNTS[c_]);                                \
            O256(nm_, fn(AY(i), CNTS[c_]));                                                   \
        }

/* ---- AVX2 ------------------------------------------------------------------------------ */

TGT static void test_avx2_set_load_store(void) {
    {
        int i = 0;
        O256("_mm256_setzero_si256", _mm256_setzero_si256());
    }
    FOR {
        const uint64_t *q = VB[i];
        const uint32_t *d = (const uint32_t *)VB[i];
        O256("_mm256_set_epi64x", _mm256_set_epi64x((long long)q[0], (long long)q[1], (long long)q[2], (long long)q[3]));
        O256("_mm256_setr_epi64x", _mm256_setr_epi64x((long long)q[0], (long long)q[1], (long long)q[2], (long long)q[3]));
        O256("_mm256_set1_epi64x", _mm256_set1_epi64x((long long)q[3]));
        O256("_mm256_set1_epi32", _mm256_set1_epi32((int)d[5]));
        O256("_mm256_set1_epi16", _mm256_set1_epi16((short)d[6]));
        O256("_mm256_set1_epi8", _mm256_set1_epi8((char)d[7]));
        O256("_mm256_set_epi32", _mm256_set_epi32((int)d[0], (int)d[1], (int)d[2], (int)d[3], (int)d[4],
                                                  (int)d[5], (int)d[6], (int)d[7]));
        O256("_mm256_setr_epi32", _mm256_setr_epi32((int)d[0], (int)d[1], (int)d[2], (int)d[3], (int)d[4],
                                                    (int)d[5], (int)d[6], (int)d[7]));
        O256("_mm256_set_m128i", _mm256_set_m128i(AI(i), BI(i)));
        O256("_mm256_setr_m128i", _mm256_setr_m128i(AI(i), BI(i)));
        unsigned char ub[80] __attribute__((aligned(32)));
        memcpy(ub + 3, VA[i], 32);
        O256("_mm256_load_si256", _mm256_load_si256((const __m256i *)VA[i]));
        O256("_mm256_loadu_si256", _mm256_loadu_si256((const __m256i_u *)(ub + 3)));
        O256("_mm256_lddqu_si256", _mm256_lddqu_si256((const __m256i_u *)(ub + 3)));
#define STORE(name, stmt)                                                                     \
    memset(ub, 0xa5, sizeof ub);                                                              \
    stmt;                                                                                     \
    out_bytes(name, i, ub, 48);                                                               \
    out_bytes(name, i, ub + 48, 32);
        STORE("_mm256_store_si256", _mm256_store_si256((__m256i *)(ub + 32), AY(i)))
        STORE("_mm256_storeu_si256", _mm256_storeu_si256((__m256i_u *)(ub + 5), AY(i)))
        STORE("_mm256_stream_si256", _mm256_stream_si256((__m256i *)ub, AY(i)))
#undef STORE
        O128("_mm256_castsi256_si128", _mm256_castsi256_si128(AY(i)));
        /* the upper half of the cast is undefined */
        O128("_mm256_castsi128_si256", _mm256_castsi256_si128(_mm256_castsi128_si256(AI(i))));
        O256("_mm256_zextsi128_si256", _mm256_zextsi128_si256(AI(i)));
        O128("_mm256_extracti128_si256/0", _mm256_extracti128_si256(AY(i), 0));
        O128("_mm256_extracti128_si256/1", _mm256_extracti128_si256(AY(i), 1));
        O128("_mm256_extractf128_si256/0", _mm256_extractf128_si256(AY(i), 0));
        O128("_mm256_extractf128_si256/1", _mm256_extractf128_si256(AY(i), 1));
        O256("_mm256_inserti128_si256/0", _mm256_inserti128_si256(AY(i), BI(i), 0));
        O256("_mm256_inserti128_si256/1", _mm256_inserti128_si256(AY(i), BI(i), 1));
        O256("_mm256_insertf128_si256/0", _mm256_insertf128_si256(AY(i), BI(i), 0));
        O256("_mm256_insertf128_si256/1", _mm256_insertf128_si256(AY(i), BI(i), 1));
        O256("_mm256_broadcastsi128_si256", _mm256_broadcastsi128_si256(AI(i)));
        O256("_mm_broadcastsi128_si256", _mm_broadcastsi128_si256(BI(i)));
    }
#define M(k) TI2Y(_mm256_permute2x128_si256, k); TI2Y(_mm256_permute2f128_si256, k);
    M(0x00) M(0x01) M(0x02) M(0x03) M(0x10) M(0x20) M(0x31) M(0x13) M(0x08) M(0x80) M(0x88) M(0x0c) M(0xc4) M(0x7f) M(0xff)
#undef M
}

TGT static void test_avx2_arith(void) {
    T2Y(_mm256_add_epi8);
    T2Y(_mm256_add_epi16);
    T2Y(_mm256_add_epi32);
    T2Y(_mm256_add_epi64);
    T2Y(_mm256_sub_epi8);
    T2Y(_mm256_sub_epi16);
    T2Y(_mm256_sub_epi32);
    T2Y(_mm256_sub_epi64);
    T2Y(_mm256_adds_epi8);
    T2Y(_mm256_adds_epu8);
    T2Y(_mm256_adds_epi16);
    T2Y(_mm256_adds_epu16);
    T2Y(_mm256_subs_epi8);
    T2Y(_mm256_subs_epu8);
    T2Y(_mm256_subs_epi16);
    T2Y(_mm256_subs_epu16);
    T2Y(_mm256_mullo_epi16);
    T2Y(_mm256_mullo_epi32);
    T2Y(_mm256_mulhi_epi16);
    T2Y(_mm256_mulhi_epu16);
    T2Y(_mm256_mul_epu32);
    T2Y(_mm256_mul_epi32);
    T2Y(_mm256_madd_epi16);
    T2Y(_mm256_maddubs_epi16);
    T2Y(_mm256_sad_epu8);
    T2Y(_mm256_avg_epu8);
    T2Y(_mm256_avg_epu16);
    T2Y(_mm256_min_epu8);
    T2Y(_mm256_max_epu8);
    T2Y(_mm256_min_epi8);
    T2Y(_mm256_max_epi8);
    T2Y(_mm256_min_epi16);
    T2Y(_mm256_max_epi16);
    T2Y(_mm256_min_epu16);
    T2Y(_mm256_max_epu16);
    T2Y(_mm256_min_epi32);
    T2Y(_mm256_max_epi32);
    T2Y(_mm256_min_epu32);
    T2Y(_mm256_max_epu32);
    T2Y(_mm256_and_si256);
    T2Y(_mm256_andnot_si256);
    T2Y(_mm256_or_si256);
    T2Y(_mm256_xor_si256);
    T2Y(_mm256_cmpeq_epi8);
    T2Y(_mm256_cmpeq_epi16);
    T2Y(_mm256_cmpeq_epi32);
    T2Y(_mm256_cmpeq_epi64);
    T2Y(_mm256_cmpgt_epi8);
    T2Y(_mm256_cmpgt_epi16);
    T2Y(_mm256_cmpgt_epi32);
    T2Y(_mm256_cmpgt_epi64);
    T1Y(_mm256_abs_epi8);
    T1Y(_mm256_abs_epi16);
    T1Y(_mm256_abs_epi32);
    T2Y(_mm256_sign_epi8);
    T2Y(_mm256_sign_epi16);
    T2Y(_mm256_sign_epi32);
    T2Y(_mm256_hadd_epi16);
    T2Y(_mm256_hadd_epi32);
}

TGT static void test_avx2_shuffle(void) {
    T2Y(_mm256_unpacklo_epi8);
    T2Y(_mm256_unpackhi_epi8);
    T2Y(_mm256_unpacklo_epi16);
    T2Y(_mm256_unpackhi_epi16);
    T2Y(_mm256_unpacklo_epi32);
    T2Y(_mm256_unpackhi_epi32);
    T2Y(_mm256_unpacklo_epi64);
    T2Y(_mm256_unpackhi_epi64);
    T2Y(_mm256_packs_epi16);
    T2Y(_mm256_packus_epi16);
    T2Y(_mm256_packs_epi32);
    T2Y(_mm256_packus_epi32);
    T2Y(_mm256_shuffle_epi8);
    T3Y(_mm256_blendv_epi8);
    T2Y(_mm256_permutevar8x32_epi32);
    TSHIFTY(_mm256_slli_epi16);
    TSHIFTY(_mm256_slli_epi32);
    TSHIFTY(_mm256_slli_epi64);
    TSHIFTY(_mm256_srli_epi16);
    TSHIFTY(_mm256_srli_epi32);
    TSHIFTY(_mm256_srli_epi64);
    TSHIFTY(_mm256_srai_epi16);
    TSHIFTY(_mm256_srai_epi32);
#define M(k) TI1Y(_mm256_slli_epi16, k); TI1Y(_mm256_srli_epi64, k); TI1Y(_mm256_srai_epi32, k);
    M(0) M(5) M(16) M(31) M(32) M(64) M(255)
#undef M
#define M(k) TI1Y(_mm256_bslli_epi128, k); TI1Y(_mm256_bsrli_epi128, k); TI1Y(_mm256_slli_si256, k); TI1Y(_mm256_srli_si256, k);
    BYTES(M)
#undef M
#define M(k) TI1Y(_mm256_shuffle_epi32, k); TI1Y(_mm256_shufflelo_epi16, k); TI1Y(_mm256_shufflehi_epi16, k); TI1Y(_mm256_permute4x64_epi64, k);
    IMM8S(M)
#undef M
#define M(k) TI2Y(_mm256_alignr_epi8, k);
    M(0) M(1) M(4) M(8) M(15) M(16) M(17) M(20) M(31) M(32) M(33) M(48) M(255)
#undef M
    FOR {
        OINT("_mm256_movemask_epi8", _mm256_movemask_epi8(AY(i)));
        __m256i a = AY(i), b = i % 4 == 1 ? AY(i) : i % 4 == 2 ? ~AY(i) : BY(i);
        OINT("_mm256_testz_si256", _mm256_testz_si256(a, b));
        OINT("_mm256_testc_si256", _mm256_testc_si256(a, b));
        O256("_mm256_cvtepu8_epi16", _mm256_cvtepu8_epi16(AI(i)));
        O256("_mm256_cvtepi8_epi16", _mm256_cvtepi8_epi16(AI(i)));
        O256("_mm256_cvtepu16_epi32", _mm256_cvtepu16_epi32(AI(i)));
        O256("_mm256_cvtepi16_epi32", _mm256_cvtepi16_epi32(AI(i)));
    }
    /* testz and testc of half-zero operands */
    for (int i = 0; i < 8; i++) {
        __m256i a = _mm256_set_epi64x(i & 1 ? 1 : 0, i & 2 ? 2 : 0, 0, i & 4 ? 4 : 0);
        __m256i b = _mm256_set_epi64x(3, 0, 0, 4);
        OINT("_mm256_testz_si256.halves", _mm256_testz_si256(a, b));
        OINT("_mm256_testc_si256.halves", _mm256_testc_si256(b, a));
    }
#define M(k)                                                                                  \
    FORI OINT("_mm256_extract_epi32/" #k, _mm256_extract_epi32(AY(i), k));                    \
    FORI OINT("_mm256_extract_epi64/" #k, _mm256_extract_epi64(AY(i), k & 3));
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#undef M
    _mm256_zeroupper();
    _mm256_zeroall();
    printf("_mm256_zeroupper _mm256_zeroall: ok\n");
}

__attribute__((target("avx2,pclmul,vpclmulqdq"))) static void test_vpclmulqdq(void) {
#define M(k) TI2Y(_mm256_clmulepi64_epi128, k);
    M(0x00) M(0x01) M(0x10) M(0x11) M(0x02) M(0xff)
#undef M
    FOR O256("_mm256_clmulepi64_epi128/0x10", _mm256_clmulepi64_epi128(AY(i), BY(i), 0x10));
}

/* ---- BMI1, BMI2, LZCNT, POPCNT --------------------------------------------------------- */

/* Scalar inputs: edge values then random ones, some with few bits set. */
static uint64_t SX[N], SY[N];
static const unsigned BIDX[16] = {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 128, 255, 256, 300};
static void gen_scalars(void) {
    static const uint64_t e[16] = {0, 1, 2, 3, 0x80, 0x8000, 0x80000000, 0x7fffffff, 0xffffffff,
                                   0x100000000ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
                                   ~0ull, 0xffffffff00000000ull, 0x00ff00ff00ff00ffull, 0x5555555555555555ull};
    for (int i = 0; i < N; i++) {
        if (i < 16) {
            SX[i] = e[i];
            SY[i] = e[(i * 5 + 3) % 16];
        } else if (i < 40) {
            SX[i] = rnd() & rnd() & rnd();
            SY[i] = rnd() >> (rnd() % 64);
        } else {
            SX[i] = rnd();
            SY[i] = rnd();
        }
    }
}

/* gcc declares _mulx_u32 only for 32-bit x86; cfree (like clang) everywhere: under gcc the
   expected result comes from this reference. */
#ifdef __cfree__
#define MULX_U32 _mulx_u32
#else
static unsigned int MULX_U32(unsigned int x, unsigned int y, unsigned int *hi) {
    unsigned long long p = (unsigned long long)x * y;
    *hi = (unsigned int)(p >> 32);
    return (unsigned int)p;
}
#endif

TGT static void test_bmi(void) {
    FOR {
        uint64_t x = SX[i], y = SY[i];
        unsigned int x32 = (unsigned int)x, y32 = (unsigned int)y;
        unsigned short x16 = (unsigned short)x;
        OINT("_tzcnt_u32", _tzcnt_u32(x32));
        OINT("__tzcnt_u32", __tzcnt_u32(x32));
        OINT("_tzcnt_u64", _tzcnt_u64(x));
        OINT("__tzcnt_u64", __tzcnt_u64(x));
        OINT("__tzcnt_u16", __tzcnt_u16(x16));
        OINT("_lzcnt_u32", _lzcnt_u32(x32));
        OINT("__lzcnt32", __lzcnt32(x32));
        OINT("_lzcnt_u64", _lzcnt_u64(x));
        OINT("__lzcnt64", __lzcnt64(x));
        OINT("__lzcnt16", __lzcnt16(x16));
        OINT("_mm_popcnt_u32", _mm_popcnt_u32(x32));
        OINT("_mm_popcnt_u64", _mm_popcnt_u64(x));
        OINT("_andn_u32", _andn_u32(x32, y32));
        OINT("__andn_u32", __andn_u32(y32, x32));
        OINT("_andn_u64", _andn_u64(x, y));
        OINT("__andn_u64", __andn_u64(y, x));
        OINT("_blsi_u32", _blsi_u32(x32));
        OINT("__blsi_u32", __blsi_u32(y32));
        OINT("_blsi_u64", _blsi_u64(x));
        OINT("__blsi_u64", __blsi_u64(y));
        OINT("_blsmsk_u32", _blsmsk_u32(x32));
        OINT("__blsmsk_u32", __blsmsk_u32(y32));
        OINT("_blsmsk_u64", _blsmsk_u64(x));
        OINT("__blsmsk_u64", __blsmsk_u64(y));
        OINT("_blsr_u32", _blsr_u32(x32));
        OINT("__blsr_u32", __blsr_u32(y32));
        OINT("_blsr_u64", _blsr_u64(x));
        OINT("__blsr_u64", __blsr_u64(y));
        OINT("_pdep_u32", _pdep_u32(x32, y32));
        OINT("_pdep_u64", _pdep_u64(x, y));
        OINT("_pext_u32", _pext_u32(x32, y32));
        OINT("_pext_u64", _pext_u64(x, y));
        OINT("_pdep_u32.swap", _pdep_u32(y32, x32));
        OINT("_pext_u64.swap", _pext_u64(y, x));
        unsigned int hi32;
        unsigned long long hi64;
        OINT("_mulx_u32", MULX_U32(x32, y32, &hi32));
        OINT("_mulx_u32.hi", hi32);
        OINT("_mulx_u64", _mulx_u64(x, y, &hi64));
        OINT("_mulx_u64.hi", hi64);
        /* bzhi and bextr with indices past the width (the index is the low byte) */
        for (int k = 0; k < 16; k++) {
            int j = i * 16 + k;
            unsigned n = BIDX[k] + (unsigned)(y & 0xff00);
            out_int("_bzhi_u32", j, _bzhi_u32(x32, n), 4, 0);
            out_int("_bzhi_u64", j, _bzhi_u64(x, n), 8, 0);
            unsigned s = BIDX[k], l = BIDX[(k + i) % 16];
            out_int("_bextr_u32", j, _bextr_u32(x32, s, l), 4, 0);
            out_int("_bextr_u64", j, _bextr_u64(x, s, l), 8, 0);
            unsigned ctl = (s & 0xff) | (l & 0xff) << 8 | (unsigned)(y & 0xffff0000);
            out_int("__bextr_u32", j, __bextr_u32(x32, ctl), 4, 0);
            out_int("__bextr_u64", j, __bextr_u64(x, ctl | (y & 0xffffffff00000000ull)), 8, 0);
        }
    }
}

/* ---- <ia32intrin.h> -------------------------------------------------------------------- */

TGT static void test_ia32(void) {
    FOR {
        uint64_t x = SX[i] | (i < 16 ? 0 : 1); /* bsf and bsr of 0 are undefined */
        if (x == 0)
            x = 0x10;
        unsigned int x32 = (unsigned int)x ? (unsigned int)x : 0x100;
        OINT("__bsfd", __bsfd((int)x32));
        OINT("__bsrd", __bsrd((int)x32));
        OINT("_bit_scan_forward", _bit_scan_forward((int)x32));
        OINT("_bit_scan_reverse", _bit_scan_reverse((int)x32));
        OINT("__bsfq", __bsfq((long long)x));
        OINT("__bsrq", __bsrq((long long)x));
        OINT("__bswapd", __bswapd((int)SX[i]));
        OINT("_bswap", _bswap((int)SY[i]));
        OINT("__bswapq", __bswapq((long long)SX[i]));
        OINT("_bswap64", _bswap64((long long)SY[i]));
        OINT("__popcntd", __popcntd((unsigned int)SX[i]));
        OINT("_popcnt32", _popcnt32((unsigned int)SY[i]));
        OINT("__popcntq", __popcntq(SX[i]));
        OINT("_popcnt64", _popcnt64(SY[i]));
        for (int k = 0; k < 16; k++) {
            int n = (int)BIDX[k] % 100, j = i * 16 + k;
            out_int("__rold", j, __rold((unsigned int)SX[i], n), 4, 0);
            out_int("__rord", j, __rord((unsigned int)SX[i], n), 4, 0);
            out_int("__rolq", j, __rolq(SX[i], n), 8, 0);
            out_int("__rorq", j, __rorq(SX[i], n), 8, 0);
            out_int("_rotl", j, _rotl((unsigned int)SY[i], n), 4, 0);
            out_int("_rotr", j, _rotr((unsigned int)SY[i], n), 4, 0);
            out_int("_lrotl", j, _lrotl(SY[i], n), 8, 0);
            out_int("_lrotr", j, _lrotr(SY[i], n), 8, 0);
        }
    }
    {
        int i = 0;
        OINT("sizeof __rold", __rold(1u, 1));
        OINT("sizeof __rolq", __rolq(1u, 1));
        OINT("sizeof _rotl", _rotl(1u, 1));
        OINT("sizeof _lrotl", _lrotl(1u, 1));
        unsigned long long t0 = __rdtsc(), t1 = _rdtsc();
        OINT("__rdtsc _rdtsc ordered", t1 >= t0);
        OINT("sizeof __rdtsc", __rdtsc() * 0);
        unsigned a, b, c, d;
        if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 27))) {
            unsigned aux;
            unsigned long long t2 = __rdtscp(&aux);
            OINT("__rdtscp ordered", t2 >= t1);
        } else {
            printf("__rdtscp ordered 0: u4 1\n");
        }
    }
}

/* ---- <cpuid.h> ------------------------------------------------------------------------- */

static void test_cpuid(void) {
    int i = 0;
    unsigned a, b, c, d, sig = 0;
    OINT("__get_cpuid_max(0)>=7", __get_cpuid_max(0, &sig) >= 7);
    OINT("__get_cpuid_max(0x80000000)>=0x80000001", __get_cpuid_max(0x80000000, 0) >= 0x80000001);
    unsigned a2, b2, c2, d2;
    __cpuid(0, a, b, c, d);
    OINT("__cpuid(0) vendor = sig", b == sig);
    OINT("__get_cpuid(1)", __get_cpuid(1, &a, &b, &c, &d));
    __cpuid(1, a2, b2, c2, d2);
    OINT("__get_cpuid(1) = __cpuid(1)", a == a2 && c == c2 && d == d2);
    OINT("__get_cpuid_count(7,0)", __get_cpuid_count(7, 0, &a, &b, &c, &d));
    __cpuid_count(7, 0, a2, b2, c2, d2);
    OINT("__get_cpuid_count(7,0) = __cpuid_count(7,0)", a == a2 && b == b2 && c == c2 && d == d2);
    OINT("__get_cpuid(0x7fffffff)", __get_cpuid(0x7fffffff, &a, &b, &c, &d));
    OINT("__get_cpuid(0x8fffffff)", __get_cpuid(0x8fffffff, &a, &b, &c, &d));
    OINT("__get_cpuid_count(0x7fffffff,0)", __get_cpuid_count(0x7fffffff, 0, &a, &b, &c, &d));
#define B(x) OINT(#x, x);
    B(bit_SSE3) B(bit_PCLMUL) B(bit_SSSE3) B(bit_FMA) B(bit_CMPXCHG16B) B(bit_SSE4_1)
    B(bit_SSE4_2) B(bit_MOVBE) B(bit_POPCNT) B(bit_AES) B(bit_XSAVE) B(bit_OSXSAVE) B(bit_AVX)
    B(bit_F16C) B(bit_RDRND) B(bit_CMPXCHG8B) B(bit_CMOV) B(bit_MMX) B(bit_FXSAVE) B(bit_SSE)
    B(bit_SSE2) B(bit_BMI) B(bit_AVX2) B(bit_BMI2) B(bit_AVX512F) B(bit_RDSEED) B(bit_ADX)
    B(bit_SHA) B(bit_AVX512BW) B(bit_AVX512VL) B(bit_VPCLMULQDQ) B(bit_LAHF_LM) B(bit_LZCNT)
#undef B
}

/* ---- constant operands (an optimiser may fold all of these) ----------------------------- */

TGT static void test_constants(void) {
    int i = 0;
#define C256(e) O256(#e, e)
#define CINT(e) OINT(#e, e)
    C256(_mm256_adds_epi16(_mm256_set1_epi16(32767), _mm256_set1_epi16(1)));
    C256(_mm256_subs_epu8(_mm256_set1_epi8(1), _mm256_set1_epi8(-1)));
    C256(_mm256_mulhi_epi16(_mm256_set1_epi16(-32768), _mm256_set1_epi16(32767)));
    C256(_mm256_madd_epi16(_mm256_set1_epi16(-32768), _mm256_set1_epi16(-32768)));
    C256(_mm256_maddubs_epi16(_mm256_set1_epi8(-1), _mm256_set1_epi8(-128)));
    C256(_mm256_mul_epi32(_mm256_set1_epi32(-1), _mm256_set1_epi32(-2147483647 - 1)));
    C256(_mm256_slli_epi16(_mm256_set1_epi16(1), 16));
    C256(_mm256_slli_epi64(_mm256_set1_epi64x(1), 63));
    C256(_mm256_srli_epi32(_mm256_set1_epi32(-1), 32));
    C256(_mm256_srai_epi16(_mm256_set1_epi16(-32768), 300));
    C256(_mm256_srai_epi32(_mm256_set1_epi32(-2147483647 - 1), 31));
    C256(_mm256_bsrli_epi128(_mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8), 4));
    C256(_mm256_bslli_epi128(_mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8), 17));
    C256(_mm256_alignr_epi8(_mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8), _mm256_set1_epi32(-1), 9));
    C256(_mm256_shuffle_epi8(_mm256_setr_epi32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x13121110,
                                               0x17161514, 0x1b1a1918, 0x1f1e1d1c),
                             _mm256_set1_epi32(0x8f0f1001)));
    C256(_mm256_permute4x64_epi64(_mm256_setr_epi64x(1, 2, 3, 4), 0x1b));
    C256(_mm256_permute2x128_si256(_mm256_setr_epi64x(1, 2, 3, 4), _mm256_setr_epi64x(5, 6, 7, 8), 0x83));
    C256(_mm256_permutevar8x32_epi32(_mm256_setr_epi32(10, 11, 12, 13, 14, 15, 16, 17),
                                     _mm256_setr_epi32(7, 8, -1, 3, 0x10000002, 5, 6, 9)));
    C256(_mm256_packs_epi32(_mm256_set1_epi32(100000), _mm256_set1_epi32(-100000)));
    C256(_mm256_packus_epi16(_mm256_set1_epi16(-5), _mm256_set1_epi16(256)));
    C256(_mm256_sign_epi16(_mm256_set1_epi16(-32768), _mm256_set1_epi16(-1)));
    C256(_mm256_abs_epi8(_mm256_set1_epi8(-128)));
    C256(_mm256_hadd_epi16(_mm256_set1_epi16(32767), _mm256_set1_epi16(-32768)));
    C256(_mm256_sad_epu8(_mm256_set1_epi8(-1), _mm256_set1_epi8(1)));
    C256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(-1), _mm256_set1_epi64x(0x7fffffffffffffffll)));
    C256(_mm256_blendv_epi8(_mm256_set1_epi8(1), _mm256_set1_epi8(2), _mm256_set1_epi32(0x80ff7f00)));
    C256(_mm256_cvtepi8_epi16(_mm_set1_epi8(-128)));
    C256(_mm256_cvtepu16_epi32(_mm_set1_epi16(-1)));
    C256(_mm256_inserti128_si256(_mm256_set1_epi8(1), _mm_set1_epi8(2), 1));
    CINT(_mm256_movemask_epi8(_mm256_setr_epi32(0x80, 0x8000, 0x800000, 0x80000000, 0, -1, 0, 1)));
    CINT(_mm256_testz_si256(_mm256_setr_epi64x(1, 0, 0, 0), _mm256_setr_epi64x(0, 0, 0, 1)));
    CINT(_mm256_testc_si256(_mm256_set1_epi64x(-1), _mm256_setr_epi64x(5, 0, 0, 1)));
    CINT(_mm256_extract_epi32(_mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, -8), 7));
    CINT(_mm256_extract_epi64(_mm256_setr_epi64x(1, 2, 3, -4), 3));
    CINT(_tzcnt_u32(0));
    CINT(_tzcnt_u64(0));
    CINT(__tzcnt_u16(0));
    CINT(_lzcnt_u32(0));
    CINT(_lzcnt_u64(1));
    CINT(__lzcnt16(1));
    CINT(_mm_popcnt_u64(~0ull));
    CINT(_bzhi_u32(~0u, 40));
    CINT(_bzhi_u32(~0u, 0x105));
    CINT(_bzhi_u64(~0ull, 64));
    CINT(_bzhi_u64(~0ull, 0));
    CINT(_bextr_u32(0xdeadbeefu, 4, 200));
    CINT(_bextr_u32(0xdeadbeefu, 32, 4));
    CINT(_bextr_u64(0xdeadbeefcafebabeull, 60, 8));
    CINT(__bextr_u32(0xdeadbeefu, 0x1ff0804));
    CINT(_pdep_u32(0x12345678u, 0xf0f0f0f0u));
    CINT(_pext_u64(0x123456789abcdef0ull, 0xff00ff00ff00ff00ull));
    CINT(_blsr_u32(0));
    CINT(_blsmsk_u64(0));
    CINT(_blsi_u64(0x8000000000000000ull));
    CINT(_andn_u64(0xff, ~0ull));
    CINT(__rold(0x80000001u, 33));
    CINT(__rorq(1, 65));
    CINT(_rotl(1u, 31));
    CINT(__bsrq(0x8000000000000000ll));
    CINT(__bswapq(0x0102030405060708ll));
    CINT(_bswap(0x01020304));
    CINT(__popcntq(0xf0f0ull));
#undef C256
#undef CINT
}

int main(void) {
    if (!cpu_ok()) {
        printf("skip: the CPU lacks SSE4.2, PCLMUL, AVX2, BMI1/2 or LZCNT\n");
        return 0;
    }
    gen_inputs();
    gen_scalars();
    test_avx2_set_load_store();
    test_avx2_arith();
    test_avx2_shuffle();
    unsigned a, b, c, d;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & bit_VPCLMULQDQ))
        test_vpclmulqdq();
    else
        printf("skip: the CPU lacks VPCLMULQDQ\n");
    test_bmi();
    test_ia32();
    test_cpuid();
    test_constants();
    return 0;
}

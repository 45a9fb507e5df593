/* Differential test of the SSE .. SSE4.2 and PCLMUL intrinsics (<immintrin.h>): every
   intrinsic cfree's headers declare is run on edge values and pseudo-random inputs and its
   result printed (integers as hex, floats as %a, NaNs as their bits); gcc's intrinsics are
   the reference. See tests/c/include/x86_intrin_test.h. AVX2, BMI and <ia32intrin.h> are in
   x86_intrinsics_avx2.c. */
#include <x86intrin.h>

#include "x86_intrin_test.h"

#define T1I(fn) FOR O128(#fn, fn(AI(i)))
#define T2I(fn) FOR O128(#fn, fn(AI(i), BI(i)))
#define T3I(fn) FOR O128(#fn, fn(AI(i), BI(i), CI(i)))
#define T1PS(fn) FOR OPS(#fn, fn(AF(i)))
#define T2PS(fn) FOR OPS(#fn, fn(AF(i), BF(i)))
#define T3PS(fn) FOR OPS(#fn, fn(AF(i), BF(i), CF(i)))
/* Scalar intrinsics: each input four (two) times, lanes rotated. */
#define FOR_ROT(n)                                                                            \
    for (int i_ = 0; i_ < N; i_++)                                                            \
        for (int l_ = 0, i = 0; l_ < (n) && (i = i_ * (n) + l_, 1); l_++)
#define T1SS(fn) FOR_ROT(4) OPS(#fn, fn(rotps(FA[i_], l_)))
#define T2SS(fn) FOR_ROT(4) OPS(#fn, fn(rotps(FA[i_], l_), rotps(FB[i_], l_)))
#define T2SSINT(fn) FOR_ROT(4) OINT(#fn, fn(rotps(FA[i_], l_), rotps(FB[i_], l_)))
#define T2SD(fn) FOR_ROT(2) OPD(#fn, fn(rotpd(DA[i_], l_), rotpd(DB[i_], l_)))
#define T1PD(fn) FOR OPD(#fn, fn(AD(i)))
#define T2PD(fn) FOR OPD(#fn, fn(AD(i), BD(i)))
#define T3PD(fn) FOR OPD(#fn, fn(AD(i), BD(i), CD(i)))
/* Intrinsics with an immediate: one test per value, on the IMMI inputs. */
#define TI1(fn, k) FORI O128(#fn "/" #k, fn(AI(i), k))
#define TI2(fn, k) FORI O128(#fn "/" #k, fn(AI(i), BI(i), k))
#define TI2PS(fn, k) FORI OPS(#fn "/" #k, fn(AF(i), BF(i), k))
#define TI2PD(fn, k) FORI OPD(#fn "/" #k, fn(AD(i), BD(i), k))
#define IMM8S(M) M(0x00) M(0x01) M(0x1b) M(0x4e) M(0x93) M(0xb1) M(0xe4) M(0xff) M(0x39) M(0xc6) M(0x80)
#define IMM4S(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define IMM2S(M) M(0) M(1) M(2) M(3)
#define BYTES(M) M(0) M(1) M(2) M(3) M(4) M(5) M(7) M(8) M(9) M(12) M(15) M(16) M(17) M(31) M(255)

/* A shift by each count of CNTS, as an int and as the low 64 bits of a vector (the high
   64 bits are ignored by the instruction, so they hold garbage). */
#define TSHIFT(fn)                                                                            \
    for (int c_ = 0; c_ < 18; c_++)                                                           \
        for (int s_ = 0; s_ < 8; s_++) {                                                      \
            int i = SHI[s_];                                                                  \
            char nm_[64];                                                                     \
            snprintf(nm_, sizeof nm_, "%s/%d", #fn, CNTS[c_]);                                \
            O128(nm_, fn(AI(i), CNTS[c_]));                                                   \
        }
static const uint64_t VCNT[22] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 300,
                                  ~0ull, 0x7fffffff, 0x100000000ull, 0x100000003ull,
                                  0x8000000000000003ull, 0xfffffffffffffff0ull};
#define TSHIFTV(fn)                                                                           \
    for (int c_ = 0; c_ < 22; c_++)                                                           \
        for (int s_ = 0; s_ < 8; s_++) {                                                      \
            int i = SHI[s_];                                                                  \
            char nm_[64];                                                                     \
            snprintf(nm_, sizeof nm_, "%s/%llx", #fn, (unsigned long long)VCNT[c_]);          \
            __m128i cnt_ = _mm_set_epi64x((long long)VB[i][1], (long long)VCNT[c_]);          \
            O128(nm_, fn(AI(i), cnt_));                                                       \
        }

/* ---- SSE ------------------------------------------------------------------------------- */

TGT static void test_sse_set_load_store(void) {
    {
        int i = 0;
        OPS("_mm_setzero_ps", _mm_setzero_ps());
    }
    FOR {
        const float *f = (const float *)FA[i];
        OPS("_mm_set1_ps", _mm_set1_ps(f[1]));
        OPS("_mm_set_ps1", _mm_set_ps1(f[2]));
        OPS("_mm_set_ps", _mm_set_ps(f[0], f[1], f[2], f[3]));
        OPS("_mm_setr_ps", _mm_setr_ps(f[0], f[1], f[2], f[3]));
        OPS("_mm_set_ss", _mm_set_ss(f[3]));
        OPS("_mm_load_ps", _mm_load_ps(f));
        float ub[9];
        memcpy(ub + 1, f, 16);
        OPS("_mm_loadu_ps", _mm_loadu_ps(ub + 1));
        OPS("_mm_load_ss", _mm_load_ss(f + 2));
        OPS("_mm_load1_ps", _mm_load1_ps(f + 3));
        OPS("_mm_load_ps1", _mm_load_ps1(f + 1));
        OPS("_mm_loadr_ps", _mm_loadr_ps(f));
        float o[8] __attribute__((aligned(16)));
#define STORE(name, stmt)                                                                     \
    memset(o, 0x5a, sizeof o);                                                                \
    stmt;                                                                                     \
    out_ps(name, i, o, 8);
        STORE("_mm_store_ps", _mm_store_ps(o + 4, AF(i)))
        STORE("_mm_storeu_ps", _mm_storeu_ps(o + 1, AF(i)))
        STORE("_mm_stream_ps", _mm_stream_ps(o, AF(i)))
        STORE("_mm_store_ss", _mm_store_ss(o + 3, AF(i)))
        STORE("_mm_store1_ps", _mm_store1_ps(o + 4, AF(i)))
        STORE("_mm_store_ps1", _mm_store_ps1(o, AF(i)))
        STORE("_mm_storer_ps", _mm_storer_ps(o + 4, AF(i)))
        float s = _mm_cvtss_f32(AF(i));
        out_ps("_mm_cvtss_f32", i, &s, 1);
    }
    T2SS(_mm_move_ss);
}

TGT static void test_sse_arith(void) {
    T2PS(_mm_add_ps);
    T2PS(_mm_sub_ps);
    T2PS(_mm_mul_ps);
    T2PS(_mm_div_ps);
    T2SS(_mm_add_ss);
    T2SS(_mm_sub_ss);
    T2SS(_mm_mul_ss);
    T2SS(_mm_div_ss);
    T1PS(_mm_sqrt_ps);
    T1SS(_mm_sqrt_ss);
    T2PS(_mm_min_ps);
    T2PS(_mm_max_ps);
    T2SS(_mm_min_ss);
    T2SS(_mm_max_ss);
    T2PS(_mm_and_ps);
    T2PS(_mm_andnot_ps);
    T2PS(_mm_or_ps);
    T2PS(_mm_xor_ps);
    T2PS(_mm_cmpeq_ps);
    T2PS(_mm_cmplt_ps);
    T2PS(_mm_cmple_ps);
    T2PS(_mm_cmpgt_ps);
    T2PS(_mm_cmpge_ps);
    T2PS(_mm_cmpneq_ps);
    T2PS(_mm_cmpnlt_ps);
    T2PS(_mm_cmpnle_ps);
    T2PS(_mm_cmpord_ps);
    T2PS(_mm_cmpunord_ps);
    FOR OINT("_mm_movemask_ps", _mm_movemask_ps(AF(i)));
    T2SSINT(_mm_comieq_ss);
    T2SSINT(_mm_comilt_ss);
    T2SSINT(_mm_comile_ss);
    T2SSINT(_mm_comigt_ss);
    T2SSINT(_mm_comige_ss);
    T2SSINT(_mm_comineq_ss);
    T2SSINT(_mm_ucomieq_ss);
    T2SSINT(_mm_ucomilt_ss);
    T2SSINT(_mm_ucomile_ss);
    T2SSINT(_mm_ucomigt_ss);
    T2SSINT(_mm_ucomige_ss);
    T2SSINT(_mm_ucomineq_ss);
}

TGT static void test_sse_shuffle_convert(void) {
#define M(k) TI2PS(_mm_shuffle_ps, k);
    IMM8S(M)
#undef M
    FORI OPS("_mm_shuffle_ps/_MM_SHUFFLE(1,0,3,2)", _mm_shuffle_ps(AF(i), BF(i), _MM_SHUFFLE(1, 0, 3, 2)));
    T2PS(_mm_unpacklo_ps);
    T2PS(_mm_unpackhi_ps);
    T2PS(_mm_movehl_ps);
    T2PS(_mm_movelh_ps);
    FOR {
        __m128 r0 = AF(i), r1 = BF(i), r2 = CF(i), r3 = AF((i + 1) % N);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        OPS("_MM_TRANSPOSE4_PS.0", r0);
        OPS("_MM_TRANSPOSE4_PS.1", r1);
        OPS("_MM_TRANSPOSE4_PS.2", r2);
        OPS("_MM_TRANSPOSE4_PS.3", r3);
    }
    FOR {
        int n = (int)VA[i][0];
        long long q = (long long)VA[i][1];
        OPS("_mm_cvtsi32_ss", _mm_cvtsi32_ss(AF(i), n));
        OPS("_mm_cvt_si2ss", _mm_cvt_si2ss(AF(i), (int)VB[i][0]));
        OPS("_mm_cvtsi64_ss", _mm_cvtsi64_ss(AF(i), q));
        OPS("_mm_cvtsi64x_ss", _mm_cvtsi64x_ss(AF(i), (long long)VB[i][1]));
        for (int l = 0; l < 4; l++) {
            __m128 v = _mm_load_ss((const float *)&FA[i][l]);
            int k = i * 4 + l;
            out_int("_mm_cvtss_si32", k, _mm_cvtss_si32(v), 4, 1);
            out_int("_mm_cvt_ss2si", k, _mm_cvt_ss2si(v), 4, 1);
            out_int("_mm_cvttss_si32", k, _mm_cvttss_si32(v), 4, 1);
            out_int("_mm_cvtt_ss2si", k, _mm_cvtt_ss2si(v), 4, 1);
            out_int("_mm_cvtss_si64", k, _mm_cvtss_si64(v), 8, 1);
            out_int("_mm_cvtss_si64x", k, _mm_cvtss_si64x(v), 8, 1);
            out_int("_mm_cvttss_si64", k, _mm_cvttss_si64(v), 8, 1);
            out_int("_mm_cvttss_si64x", k, _mm_cvttss_si64x(v), 8, 1);
        }
        OINT("sizeof _mm_cvtss_si32", _mm_cvtss_si32(AF(i)));
        OINT("sizeof _mm_cvtss_si64", _mm_cvtss_si64(AF(i)));
        OINT("sizeof _mm_cvttss_si32", _mm_cvttss_si32(AF(i)));
        OINT("sizeof _mm_cvttss_si64", _mm_cvttss_si64(AF(i)));
    }
}

TGT static void test_sse_misc(void) {
    int i = 0;
    OINT("_mm_getcsr", _mm_getcsr() & ~0x3fu);
    _mm_sfence();
    _mm_prefetch((const char *)FA[1], _MM_HINT_T0);
    _mm_prefetch((const char *)FA[2], _MM_HINT_T1);
    _mm_prefetch((const char *)FA[3], _MM_HINT_T2);
    _mm_prefetch((const char *)FA[4], _MM_HINT_NTA);
    printf("_mm_sfence _mm_prefetch: ok\n");
    OINT("_MM_HINT_T0", _MM_HINT_T0);
    OINT("_MM_HINT_T1", _MM_HINT_T1);
    OINT("_MM_HINT_T2", _MM_HINT_T2);
    OINT("_MM_HINT_NTA", _MM_HINT_NTA);
    OINT("_MM_SHUFFLE(3,2,1,0)", _MM_SHUFFLE(3, 2, 1, 0));
    OINT("_MM_SHUFFLE(0,1,2,3)", _MM_SHUFFLE(0, 1, 2, 3));
    OINT("_MM_SHUFFLE(2,0,3,1)", _MM_SHUFFLE(2, 0, 3, 1));
    void *p = _mm_malloc(100, 64);
    OINT("_mm_malloc(100,64)", p != 0 && (uintptr_t)p % 64 == 0);
    _mm_free(p);
    p = _mm_malloc(24, 1);
    OINT("_mm_malloc(24,1)", p != 0);
    _mm_free(p);
    p = _mm_malloc(40, 2);
    OINT("_mm_malloc(40,2)", p != 0 && (uintptr_t)p % 2 == 0);
    _mm_free(p);
    p = _mm_malloc(4096, 4096);
    OINT("_mm_malloc(4096,4096)", p != 0 && (uintptr_t)p % 4096 == 0);
    _mm_free(p);
}

/* ---- SSE2 integers --------------------------------------------------------------------- */

TGT static void test_sse2_int_arith(void) {
    T2I(_mm_add_epi8);
    T2I(_mm_add_epi16);
    T2I(_mm_add_epi32);
    T2I(_mm_add_epi64);
    T2I(_mm_sub_epi8);
    T2I(_mm_sub_epi16);
    T2I(_mm_sub_epi32);
    T2I(_mm_sub_epi64);
    T2I(_mm_adds_epi8);
    T2I(_mm_adds_epu8);
    T2I(_mm_adds_epi16);
    T2I(_mm_adds_epu16);
    T2I(_mm_subs_epi8);
    T2I(_mm_subs_epu8);
    T2I(_mm_subs_epi16);
    T2I(_mm_subs_epu16);
    T2I(_mm_mullo_epi16);
    T2I(_mm_mulhi_epi16);
    T2I(_mm_mulhi_epu16);
    T2I(_mm_avg_epu8);
    T2I(_mm_avg_epu16);
    T2I(_mm_min_epu8);
    T2I(_mm_max_epu8);
    T2I(_mm_min_epi16);
    T2I(_mm_max_epi16);
    T2I(_mm_mul_epu32);
    T2I(_mm_madd_epi16);
    T2I(_mm_sad_epu8);
    T2I(_mm_and_si128);
    T2I(_mm_andnot_si128);
    T2I(_mm_or_si128);
    T2I(_mm_xor_si128);
    T2I(_mm_cmpeq_epi8);
    T2I(_mm_cmpeq_epi16);
    T2I(_mm_cmpeq_epi32);
    T2I(_mm_cmpgt_epi8);
    T2I(_mm_cmpgt_epi16);
    T2I(_mm_cmpgt_epi32);
    T2I(_mm_cmplt_epi8);
    T2I(_mm_cmplt_epi16);
    T2I(_mm_cmplt_epi32);
    FOR OINT("_mm_movemask_epi8", _mm_movemask_epi8(AI(i)));
    T2I(_mm_packs_epi16);
    T2I(_mm_packus_epi16);
    T2I(_mm_packs_epi32);
    T2I(_mm_unpacklo_epi8);
    T2I(_mm_unpackhi_epi8);
    T2I(_mm_unpacklo_epi16);
    T2I(_mm_unpackhi_epi16);
    T2I(_mm_unpacklo_epi32);
    T2I(_mm_unpackhi_epi32);
    T2I(_mm_unpacklo_epi64);
    T2I(_mm_unpackhi_epi64);
}

TGT static void test_sse2_int_shift(void) {
    TSHIFT(_mm_slli_epi16);
    TSHIFT(_mm_slli_epi32);
    TSHIFT(_mm_slli_epi64);
    TSHIFT(_mm_srli_epi16);
    TSHIFT(_mm_srli_epi32);
    TSHIFT(_mm_srli_epi64);
    TSHIFT(_mm_srai_epi16);
    TSHIFT(_mm_srai_epi32);
    TSHIFTV(_mm_sll_epi16);
    TSHIFTV(_mm_sll_epi32);
    TSHIFTV(_mm_sll_epi64);
    TSHIFTV(_mm_srl_epi16);
    TSHIFTV(_mm_srl_epi32);
    TSHIFTV(_mm_srl_epi64);
    TSHIFTV(_mm_sra_epi16);
    TSHIFTV(_mm_sra_epi32);
    /* literal counts */
#define M(k) TI1(_mm_slli_epi16, k); TI1(_mm_srli_epi32, k); TI1(_mm_srai_epi16, k); TI1(_mm_srai_epi32, k); TI1(_mm_slli_epi64, k);
    M(0) M(3) M(15) M(16) M(31) M(32) M(63) M(64) M(255)
#undef M
#define M(k) TI1(_mm_bsrli_si128, k); TI1(_mm_bslli_si128, k); TI1(_mm_srli_si128, k); TI1(_mm_slli_si128, k);
    BYTES(M)
#undef M
}

TGT static void test_sse2_int_shuffle(void) {
#define M(k) TI1(_mm_shuffle_epi32, k); TI1(_mm_shufflelo_epi16, k); TI1(_mm_shufflehi_epi16, k);
    IMM8S(M)
#undef M
    FORI O128("_mm_shuffle_epi32/_MM_SHUFFLE(0,1,2,3)", _mm_shuffle_epi32(AI(i), _MM_SHUFFLE(0, 1, 2, 3)));
#define M(k)                                                                                  \
    FORI OINT("_mm_extract_epi16/" #k, _mm_extract_epi16(AI(i), k));                          \
    FORI O128("_mm_insert_epi16/" #k, _mm_insert_epi16(AI(i), (int)VB[i][0], k));
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#undef M
}

TGT static void test_sse2_int_set_load_store(void) {
    {
        int i = 0;
        O128("_mm_setzero_si128", _mm_setzero_si128());
    }
    FOR {
        const uint64_t *q = VB[i];
        const uint32_t *d = (const uint32_t *)VB[i];
        const uint16_t *w = (const uint16_t *)VB[i];
        const uint8_t *b = (const uint8_t *)VB[i];
        O128("_mm_set_epi64x", _mm_set_epi64x((long long)q[0], (long long)q[1]));
        O128("_mm_set1_epi64x", _mm_set1_epi64x((long long)q[1]));
        O128("_mm_set_epi32", _mm_set_epi32((int)d[0], (int)d[1], (int)d[2], (int)d[3]));
        O128("_mm_setr_epi32", _mm_setr_epi32((int)d[0], (int)d[1], (int)d[2], (int)d[3]));
        O128("_mm_set1_epi32", _mm_set1_epi32((int)d[2]));
        O128("_mm_set_epi16", _mm_set_epi16((short)w[0], (short)w[1], (short)w[2], (short)w[3],
                                            (short)w[4], (short)w[5], (short)w[6], (short)w[7]));
        O128("_mm_setr_epi16", _mm_setr_epi16((short)w[0], (short)w[1], (short)w[2], (short)w[3],
                                              (short)w[4], (short)w[5], (short)w[6], (short)w[7]));
        O128("_mm_set1_epi16", _mm_set1_epi16((short)w[5]));
        O128("_mm_set_epi8", _mm_set_epi8(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                                          b[10], b[11], b[12], b[13], b[14], b[15]));
        O128("_mm_setr_epi8", _mm_setr_epi8(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
                                            b[9], b[10], b[11], b[12], b[13], b[14], b[15]));
        O128("_mm_set1_epi8", _mm_set1_epi8((char)b[7]));
        unsigned char ub[48] __attribute__((aligned(16)));
        memcpy(ub + 3, VA[i], 32);
        O128("_mm_load_si128", _mm_load_si128((const __m128i *)VA[i]));
        O128("_mm_loadu_si128", _mm_loadu_si128((const __m128i_u *)(ub + 3)));
        O128("_mm_lddqu_si128", _mm_lddqu_si128((const __m128i_u *)(ub + 5)));
        O128("_mm_loadl_epi64", _mm_loadl_epi64((const __m128i_u *)(ub + 3)));
        O128("_mm_loadu_si64", _mm_loadu_si64(ub + 7));
        O128("_mm_loadu_si32", _mm_loadu_si32(ub + 9));
        O128("_mm_move_epi64", _mm_move_epi64(AI(i)));
        OINT("_mm_cvtsi128_si32", _mm_cvtsi128_si32(AI(i)));
        OINT("_mm_cvtsi128_si64", _mm_cvtsi128_si64(AI(i)));
        OINT("_mm_cvtsi128_si64x", _mm_cvtsi128_si64x(AI(i)));
        O128("_mm_cvtsi32_si128", _mm_cvtsi32_si128((int)q[1]));
        O128("_mm_cvtsi64_si128", _mm_cvtsi64_si128((long long)q[1]));
        O128("_mm_cvtsi64x_si128", _mm_cvtsi64x_si128((long long)q[0]));
#define STORE(name, stmt)                                                                     \
    memset(ub, 0xa5, sizeof ub);                                                              \
    stmt;                                                                                     \
    out_bytes(name, i, ub, 48);
        STORE("_mm_store_si128", _mm_store_si128((__m128i *)(ub + 16), AI(i)))
        STORE("_mm_storeu_si128", _mm_storeu_si128((__m128i_u *)(ub + 3), AI(i)))
        STORE("_mm_stream_si128", _mm_stream_si128((__m128i *)(ub + 32), AI(i)))
        STORE("_mm_storel_epi64", _mm_storel_epi64((__m128i_u *)(ub + 5), AI(i)))
        STORE("_mm_storeu_si64", _mm_storeu_si64(ub + 9, AI(i)))
        STORE("_mm_storeu_si32", _mm_storeu_si32(ub + 13, AI(i)))
        STORE("_mm_stream_si32", _mm_stream_si32((int *)(ub + 4), (int)q[0]))
        STORE("_mm_stream_si64", _mm_stream_si64((long long *)(ub + 8), (long long)q[1]))
#undef STORE
    }
}

/* ---- SSE2 doubles ---------------------------------------------------------------------- */

TGT static void test_sse2_double(void) {
    {
        int i = 0;
        OPD("_mm_setzero_pd", _mm_setzero_pd());
    }
    FOR {
        const double *f = (const double *)DA[i];
        OPD("_mm_set1_pd", _mm_set1_pd(f[1]));
        OPD("_mm_set_pd1", _mm_set_pd1(f[0]));
        OPD("_mm_set_pd", _mm_set_pd(f[0], f[1]));
        OPD("_mm_setr_pd", _mm_setr_pd(f[0], f[1]));
        OPD("_mm_set_sd", _mm_set_sd(f[1]));
        OPD("_mm_load_pd", _mm_load_pd(f));
        double ub[5];
        memcpy((char *)ub + 4, f, 16);
        OPD("_mm_loadu_pd", _mm_loadu_pd((const double *)((char *)ub + 4)));
        OPD("_mm_load_sd", _mm_load_sd(f + 1));
        OPD("_mm_load1_pd", _mm_load1_pd(f + 1));
        OPD("_mm_loaddup_pd", _mm_loaddup_pd(f + 1));
        double o[4] __attribute__((aligned(16)));
#define STORE(name, stmt)                                                                     \
    memset(o, 0x5a, sizeof o);                                                                \
    stmt;                                                                                     \
    out_pd(name, i, o, 4);
        STORE("_mm_store_pd", _mm_store_pd(o + 2, AD(i)))
        STORE("_mm_storeu_pd", _mm_storeu_pd(o + 1, AD(i)))
        STORE("_mm_store_sd", _mm_store_sd(o + 3, AD(i)))
        STORE("_mm_storel_pd", _mm_storel_pd(o + 1, AD(i)))
        STORE("_mm_storeh_pd", _mm_storeh_pd(o + 2, AD(i)))
#undef STORE
        double s = _mm_cvtsd_f64(AD(i));
        out_pd("_mm_cvtsd_f64", i, &s, 1);
    }
    T2PD(_mm_add_pd);
    T2PD(_mm_sub_pd);
    T2PD(_mm_mul_pd);
    T2PD(_mm_div_pd);
    T2SD(_mm_add_sd);
    T2SD(_mm_sub_sd);
    T2SD(_mm_mul_sd);
    T2SD(_mm_div_sd);
    T1PD(_mm_sqrt_pd);
    T2PD(_mm_min_pd);
    T2PD(_mm_max_pd);
    T2PD(_mm_and_pd);
    T2PD(_mm_andnot_pd);
    T2PD(_mm_or_pd);
    T2PD(_mm_xor_pd);
    T2PD(_mm_cmpeq_pd);
    T2PD(_mm_cmplt_pd);
    T2PD(_mm_cmple_pd);
    T2PD(_mm_cmpgt_pd);
    T2PD(_mm_cmpge_pd);
    T2PD(_mm_cmpneq_pd);
    T2PD(_mm_cmpord_pd);
    T2PD(_mm_cmpunord_pd);
    FOR OINT("_mm_movemask_pd", _mm_movemask_pd(AD(i)));
    T2PD(_mm_unpacklo_pd);
    T2PD(_mm_unpackhi_pd);
#define M(k) TI2PD(_mm_shuffle_pd, k);
    IMM2S(M)
#undef M
    T2SD(_mm_move_sd);
    /* casts */
    FOR {
        O128("_mm_castps_si128", _mm_castps_si128(AF(i)));
        O128("_mm_castpd_si128", _mm_castpd_si128(AD(i)));
        OPS("_mm_castsi128_ps", _mm_castsi128_ps(AI(i)));
        OPD("_mm_castsi128_pd", _mm_castsi128_pd(AI(i)));
        OPD("_mm_castps_pd", _mm_castps_pd(AF(i)));
        OPS("_mm_castpd_ps", _mm_castpd_ps(AD(i)));
    }
}

/* Conversions: the int->float ones round (all of VA's lanes are inputs), the float->int
   ones meet NaN, out-of-range values and ties. `pre` names the rounding mode. */
TGT static void conversions(const char *pre) {
    char nm[80];
#define NM(s) (snprintf(nm, sizeof nm, "%s%s", pre, s), nm)
    FOR {
        OPS(NM("_mm_cvtepi32_ps"), _mm_cvtepi32_ps(AI(i)));
        OPD(NM("_mm_cvtepi32_pd"), _mm_cvtepi32_pd(AI(i)));
        OPD(NM("_mm_cvtepi32_pd.hi"), _mm_cvtepi32_pd(_mm_unpackhi_epi64(AI(i), AI(i))));
        OPD(NM("_mm_cvtps_pd"), _mm_cvtps_pd(AF(i)));
        OPD(NM("_mm_cvtps_pd.hi"), _mm_cvtps_pd(_mm_movehl_ps(AF(i), AF(i))));
        OPS(NM("_mm_cvtpd_ps"), _mm_cvtpd_ps(AD(i)));
        OPD(NM("_mm_cvtsi32_sd"), _mm_cvtsi32_sd(AD(i), (int)VA[i][1]));
        OPD(NM("_mm_cvtsi64_sd"), _mm_cvtsi64_sd(AD(i), (long long)VA[i][0]));
        OPD(NM("_mm_cvtsi64x_sd"), _mm_cvtsi64x_sd(AD(i), (long long)VB[i][1]));
        OPS(NM("_mm_cvtsi32_ss"), _mm_cvtsi32_ss(AF(i), (int)VA[i][0]));
        OPS(NM("_mm_cvtsi64_ss"), _mm_cvtsi64_ss(AF(i), (long long)VA[i][1]));
        O128(NM("_mm_cvtps_epi32"), _mm_cvtps_epi32(AF(i)));
        O128(NM("_mm_cvttps_epi32"), _mm_cvttps_epi32(AF(i)));
        O128(NM("_mm_cvtpd_epi32"), _mm_cvtpd_epi32(AD(i)));
        O128(NM("_mm_cvttpd_epi32"), _mm_cvttpd_epi32(AD(i)));
        for (int l = 0; l < 2; l++) {
            __m128d v = _mm_load_sd((const double *)&DA[i][l]);
            int k = i * 2 + l;
            out_int(NM("_mm_cvtsd_si32"), k, _mm_cvtsd_si32(v), 4, 1);
            out_int(NM("_mm_cvttsd_si32"), k, _mm_cvttsd_si32(v), 4, 1);
            out_int(NM("_mm_cvtsd_si64"), k, _mm_cvtsd_si64(v), 8, 1);
            out_int(NM("_mm_cvttsd_si64"), k, _mm_cvttsd_si64(v), 8, 1);
            out_int(NM("_mm_cvtsd_si64x"), k, _mm_cvtsd_si64x(v), 8, 1);
            out_int(NM("_mm_cvttsd_si64x"), k, _mm_cvttsd_si64x(v), 8, 1);
        }
        for (int l = 0; l < 4; l++) {
            __m128 v = _mm_load_ss((const float *)&FA[i][l]);
            int k = i * 4 + l;
            out_int(NM("_mm_cvtss_si32"), k, _mm_cvtss_si32(v), 4, 1);
            out_int(NM("_mm_cvtss_si64"), k, _mm_cvtss_si64(v), 8, 1);
        }
        OINT(NM("sizeof _mm_cvtsd_si32"), _mm_cvtsd_si32(AD(i)));
        OINT(NM("sizeof _mm_cvtsd_si64"), _mm_cvtsd_si64(AD(i)));
        OINT(NM("sizeof _mm_cvttsd_si32"), _mm_cvttsd_si32(AD(i)));
        OINT(NM("sizeof _mm_cvttsd_si64"), _mm_cvttsd_si64(AD(i)));
    }
#undef NM
}

/* The arithmetic that rounds, under a non-default rounding mode. */
TGT static void rounded_arith(const char *pre) {
    char nm[80];
#define NM(s) (snprintf(nm, sizeof nm, "%s%s", pre, s), nm)
    for (int i = 36; i < N; i++) {
        OPS(NM("_mm_add_ps"), _mm_add_ps(AF(i), BF(i)));
        OPS(NM("_mm_mul_ss"), _mm_mul_ss(AF(i), BF(i)));
        OPS(NM("_mm_div_ps"), _mm_div_ps(AF(i), BF(i)));
        OPS(NM("_mm_sqrt_ps"), _mm_sqrt_ps(AF(i)));
        OPS(NM("_mm_hadd_ps"), _mm_hadd_ps(AF(i), BF(i)));
        OPS(NM("_mm_addsub_ps"), _mm_addsub_ps(AF(i), BF(i)));
        OPD(NM("_mm_sub_pd"), _mm_sub_pd(AD(i), BD(i)));
        OPD(NM("_mm_sqrt_pd"), _mm_sqrt_pd(AD(i)));
        OPD(NM("_mm_hsub_pd"), _mm_hsub_pd(AD(i), BD(i)));
    }
#undef NM
}

TGT static void test_rounding_modes(void) {
    conversions("");
    unsigned int csr = _mm_getcsr();
    static const char *const names[4] = {"", "down/", "up/", "zero/"};
    for (int m = 1; m < 4; m++) {
        _mm_setcsr((csr & ~0x6000u) | (unsigned)m << 13);
        {
            int i = m;
            OINT("_mm_setcsr+_mm_getcsr", _mm_getcsr() & ~0x3fu);
        }
        conversions(names[m]);
        rounded_arith(names[m]);
        _mm_setcsr(csr);
    }
}

TGT static void test_sse2_misc(void) {
    _mm_pause();
    _mm_lfence();
    _mm_mfence();
    _mm_clflush(VA[5]);
    printf("_mm_pause _mm_lfence _mm_mfence _mm_clflush: ok\n");
}

/* ---- SSE3 ------------------------------------------------------------------------------ */

TGT static void test_sse3(void) {
    T2PS(_mm_addsub_ps);
    T2PD(_mm_addsub_pd);
    T2PS(_mm_hadd_ps);
    T2PS(_mm_hsub_ps);
    T2PD(_mm_hadd_pd);
    T2PD(_mm_hsub_pd);
    T1PS(_mm_movehdup_ps);
    T1PS(_mm_moveldup_ps);
    T1PD(_mm_movedup_pd);
}

/* ---- SSSE3 ----------------------------------------------------------------------------- */

TGT static void test_ssse3(void) {
    T2I(_mm_shuffle_epi8);
    T2I(_mm_sign_epi8);
    T2I(_mm_sign_epi16);
    T2I(_mm_sign_epi32);
    T2I(_mm_mulhrs_epi16);
    T1I(_mm_abs_epi8);
    T1I(_mm_abs_epi16);
    T1I(_mm_abs_epi32);
    T2I(_mm_maddubs_epi16);
    T2I(_mm_hadd_epi16);
    T2I(_mm_hsub_epi16);
    T2I(_mm_hadds_epi16);
    T2I(_mm_hsubs_epi16);
    T2I(_mm_hadd_epi32);
    T2I(_mm_hsub_epi32);
#define M(k) TI2(_mm_alignr_epi8, k);
    M(0) M(1) M(4) M(8) M(15) M(16) M(17) M(20) M(31) M(32) M(33) M(48) M(255)
#undef M
}

/* ---- SSE4.1 ---------------------------------------------------------------------------- */

TGT static void test_sse41(void) {
    T3I(_mm_blendv_epi8);
    T3PS(_mm_blendv_ps);
    T3PD(_mm_blendv_pd);
#define M(k) TI2(_mm_blend_epi16, k);
    IMM8S(M)
#undef M
#define M(k) TI2PS(_mm_blend_ps, k);
    IMM4S(M)
#undef M
#define M(k) TI2PD(_mm_blend_pd, k);
    IMM2S(M)
#undef M
    T2I(_mm_mullo_epi32);
    T2I(_mm_mul_epi32);
    T2I(_mm_min_epi8);
    T2I(_mm_max_epi8);
    T2I(_mm_min_epu16);
    T2I(_mm_max_epu16);
    T2I(_mm_min_epi32);
    T2I(_mm_max_epi32);
    T2I(_mm_min_epu32);
    T2I(_mm_max_epu32);
    T2I(_mm_cmpeq_epi64);
    T2I(_mm_packus_epi32);
#define M(k)                                                                                  \
    FORI OINT("_mm_extract_epi8/" #k, _mm_extract_epi8(AI(i), k));                            \
    FORI O128("_mm_insert_epi8/" #k, _mm_insert_epi8(AI(i), (int)VB[i][1], k));
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#undef M
#define M(k)                                                                                  \
    FORI OINT("_mm_extract_epi32/" #k, _mm_extract_epi32(AI(i), k));                          \
    FORI OINT("_mm_extract_ps/" #k, _mm_extract_ps(AF(i), k));                                \
    FORI O128("_mm_insert_epi32/" #k, _mm_insert_epi32(AI(i), (int)VB[i][0], k));
    M(0) M(1) M(2) M(3)
#undef M
#define M(k)                                                                                  \
    FORI OINT("_mm_extract_epi64/" #k, _mm_extract_epi64(AI(i), k));                          \
    FORI O128("_mm_insert_epi64/" #k, _mm_insert_epi64(AI(i), (long long)VB[i][1], k));
    M(0) M(1)
#undef M
    T1I(_mm_cvtepi8_epi16);
    T1I(_mm_cvtepi8_epi32);
    T1I(_mm_cvtepi8_epi64);
    T1I(_mm_cvtepu8_epi16);
    T1I(_mm_cvtepu8_epi32);
    T1I(_mm_cvtepu8_epi64);
    T1I(_mm_cvtepi16_epi32);
    T1I(_mm_cvtepi16_epi64);
    T1I(_mm_cvtepu16_epi32);
    T1I(_mm_cvtepu16_epi64);
    T1I(_mm_cvtepi32_epi64);
    T1I(_mm_cvtepu32_epi64);
    FOR {
        /* b = a and b = ~a make testc and testz true */
        __m128i a = AI(i), b = i % 4 == 1 ? AI(i) : i % 4 == 2 ? ~AI(i) : BI(i);
        OINT("_mm_testz_si128", _mm_testz_si128(a, b));
        OINT("_mm_testc_si128", _mm_testc_si128(a, b));
        OINT("_mm_testnzc_si128", _mm_testnzc_si128(a, b));
        OINT("_mm_test_all_zeros", _mm_test_all_zeros(a, b));
        OINT("_mm_test_all_ones", _mm_test_all_ones(a));
        O128("_mm_stream_load_si128", _mm_stream_load_si128((__m128i *)VA[i]));
    }
    T1I(_mm_minpos_epu16);
}

/* ---- SSE4.2, PCLMUL -------------------------------------------------------------------- */

TGT static void test_sse42_pclmul(void) {
    T2I(_mm_cmpgt_epi64);
    FOR {
        unsigned int c = (unsigned int)VA[i][0];
        OINT("_mm_crc32_u8", _mm_crc32_u8(c, (unsigned char)VB[i][0]));
        OINT("_mm_crc32_u16", _mm_crc32_u16(c, (unsigned short)VB[i][0]));
        OINT("_mm_crc32_u32", _mm_crc32_u32(c, (unsigned int)VB[i][0]));
        OINT("_mm_crc32_u64", _mm_crc32_u64(VA[i][1], VB[i][1]));
    }
#define M(k) TI2(_mm_clmulepi64_si128, k);
    M(0x00) M(0x01) M(0x10) M(0x11) M(0x02) M(0xff) M(0xee)
#undef M
    FOR O128("_mm_clmulepi64_si128/0x11", _mm_clmulepi64_si128(AI(i), BI(i), 0x11));
}

/* ---- constant operands (an optimiser may fold all of these) ----------------------------- */

static inline float f32(uint32_t u) {
    union {
        uint32_t u;
        float f;
    } x = {u};
    return x.f;
}

TGT static void test_constants(void) {
    int i = 0;
    const float qnan = __builtin_nanf(""), snan = f32(0x7fa00001);
    const double dnan = __builtin_nan("");
#define C128(e) O128(#e, e)
#define CPS(e) OPS(#e, e)
#define CPD(e) OPD(#e, e)
#define CINT(e) OINT(#e, e)
    C128(_mm_adds_epi8(_mm_set1_epi8(100), _mm_set1_epi8(100)));
    C128(_mm_adds_epu8(_mm_set1_epi8(-56), _mm_set1_epi8(100)));
    C128(_mm_subs_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(1)));
    C128(_mm_subs_epu16(_mm_set1_epi16(1), _mm_set1_epi16(2)));
    C128(_mm_add_epi8(_mm_set1_epi8(127), _mm_set1_epi8(1)));
    C128(_mm_mullo_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(-1)));
    C128(_mm_mulhi_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(-32768)));
    C128(_mm_mulhi_epu16(_mm_set1_epi16(-1), _mm_set1_epi16(-1)));
    C128(_mm_mullo_epi32(_mm_set1_epi32(0x7fffffff), _mm_set1_epi32(3)));
    C128(_mm_mul_epi32(_mm_set1_epi32(-2147483647 - 1), _mm_set1_epi32(-2147483647 - 1)));
    C128(_mm_mul_epu32(_mm_set1_epi32(-1), _mm_set1_epi32(-1)));
    C128(_mm_madd_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(-32768)));
    C128(_mm_maddubs_epi16(_mm_set1_epi8(-1), _mm_set1_epi8(127)));
    C128(_mm_mulhrs_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(-32768)));
    C128(_mm_sign_epi8(_mm_set1_epi8(-128), _mm_setr_epi8(-1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, 5)));
    C128(_mm_abs_epi32(_mm_setr_epi32(-2147483647 - 1, -1, 0, 5)));
    C128(_mm_abs_epi8(_mm_set1_epi8(-128)));
    C128(_mm_avg_epu8(_mm_set1_epi8(-1), _mm_set1_epi8(-2)));
    C128(_mm_sad_epu8(_mm_set1_epi8(-1), _mm_setzero_si128()));
    C128(_mm_packs_epi32(_mm_setr_epi32(70000, -70000, 32767, -32769), _mm_set1_epi32(-1)));
    C128(_mm_packus_epi16(_mm_setr_epi16(-1, 300, 255, 0, 256, -32768, 32767, 1), _mm_set1_epi16(128)));
    C128(_mm_packus_epi32(_mm_setr_epi32(-1, 70000, 65535, 65536), _mm_set1_epi32(32768)));
    C128(_mm_slli_epi16(_mm_set1_epi16(-1), 15));
    C128(_mm_slli_epi16(_mm_set1_epi16(-1), 16));
    C128(_mm_slli_epi32(_mm_set1_epi32(1), 31));
    C128(_mm_slli_epi32(_mm_set1_epi32(1), 32));
    C128(_mm_slli_epi64(_mm_set1_epi64x(1), 63));
    C128(_mm_slli_epi64(_mm_set1_epi64x(1), 64));
    C128(_mm_srli_epi16(_mm_set1_epi16(-1), 300));
    C128(_mm_srli_epi64(_mm_set1_epi64x(-1), 1));
    C128(_mm_srai_epi16(_mm_set1_epi16(-32768), 15));
    C128(_mm_srai_epi16(_mm_set1_epi16(-32768), 16));
    C128(_mm_srai_epi32(_mm_set1_epi32(-2147483647 - 1), 255));
    C128(_mm_srai_epi32(_mm_set1_epi32(0x40000000), 300));
    C128(_mm_sll_epi32(_mm_set1_epi32(3), _mm_set_epi64x(0, 31)));
    C128(_mm_sll_epi32(_mm_set1_epi32(3), _mm_set_epi64x(0, 32)));
    C128(_mm_srl_epi64(_mm_set1_epi64x(-1), _mm_set_epi64x(5, 0x100000001ll)));
    C128(_mm_sra_epi16(_mm_set1_epi16(-2), _mm_set_epi64x(0, 1000)));
    C128(_mm_sra_epi32(_mm_set1_epi32(-8), _mm_set_epi64x(-1, 2)));
    C128(_mm_bsrli_si128(_mm_setr_epi32(1, 2, 3, 4), 3));
    C128(_mm_bslli_si128(_mm_setr_epi32(1, 2, 3, 4), 13));
    C128(_mm_srli_si128(_mm_setr_epi32(1, 2, 3, 4), 16));
    C128(_mm_alignr_epi8(_mm_setr_epi32(1, 2, 3, 4), _mm_setr_epi32(5, 6, 7, 8), 5));
    C128(_mm_alignr_epi8(_mm_setr_epi32(1, 2, 3, 4), _mm_setr_epi32(5, 6, 7, 8), 20));
    C128(_mm_shuffle_epi8(_mm_setr_epi32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c),
                          _mm_setr_epi32(0x80ff0f01, 0x00011011, 0x7f8e0203, 0x05040302)));
    C128(_mm_shuffle_epi32(_mm_setr_epi32(1, 2, 3, 4), 0x1b));
    C128(_mm_shufflehi_epi16(_mm_setr_epi16(1, 2, 3, 4, 5, 6, 7, 8), 0x1b));
    C128(_mm_blend_epi16(_mm_set1_epi16(1), _mm_set1_epi16(2), 0xa5));
    C128(_mm_blendv_epi8(_mm_set1_epi8(1), _mm_set1_epi8(2), _mm_setr_epi32(0x80, 0x7f00, -1, 0x80000000)));
    C128(_mm_minpos_epu16(_mm_setr_epi16(9, 3, 7, 3, -1, 3, 8, 4)));
    C128(_mm_cmpgt_epi64(_mm_set_epi64x(-1, 0x7fffffffffffffffll), _mm_set_epi64x(0, -1)));
    C128(_mm_cmplt_epi8(_mm_set1_epi8(-128), _mm_set1_epi8(127)));
    C128(_mm_min_epu32(_mm_set1_epi32(-1), _mm_set1_epi32(1)));
    C128(_mm_max_epi8(_mm_set1_epi8(-128), _mm_set1_epi8(-1)));
    C128(_mm_hadds_epi16(_mm_set1_epi16(32767), _mm_set1_epi16(-32768)));
    C128(_mm_hsubs_epi16(_mm_set1_epi16(-32768), _mm_set1_epi16(32767)));
    C128(_mm_hadd_epi32(_mm_set1_epi32(0x7fffffff), _mm_set1_epi32(-2147483647 - 1)));
    C128(_mm_cvtepi8_epi64(_mm_set1_epi8(-128)));
    C128(_mm_cvtepu16_epi64(_mm_set1_epi16(-1)));
    C128(_mm_insert_epi8(_mm_setzero_si128(), 0x1ff, 15));
    C128(_mm_clmulepi64_si128(_mm_set_epi64x(3, -1), _mm_set_epi64x(-1, 0x8000000000000001ll), 0x01));
    C128(_mm_cvtps_epi32(_mm_setr_ps(0.5f, 1.5f, 2.5f, -2.5f)));
    C128(_mm_cvtps_epi32(_mm_setr_ps(3e9f, -3e9f, qnan, 2147483520.0f)));
    C128(_mm_cvttps_epi32(_mm_setr_ps(-0.99f, 2147483648.0f, -2147483648.0f, -1.5f)));
    C128(_mm_cvtpd_epi32(_mm_setr_pd(-0.5, 4294967296.0)));
    C128(_mm_cvttpd_epi32(_mm_setr_pd(-2147483648.9, 2147483647.9)));
    CINT(_mm_extract_epi8(_mm_set1_epi8(-1), 15));
    CINT(_mm_extract_epi16(_mm_set1_epi16(-1), 7));
    CINT(_mm_extract_ps(_mm_set1_ps(-0.0f), 2));
    CINT(_mm_movemask_epi8(_mm_setr_epi32(0x80, 0x8000, 0x800000, 0x80000000)));
    CINT(_mm_movemask_ps(_mm_setr_ps(-0.0f, 0.0f, -qnan, qnan)));
    CINT(_mm_movemask_pd(_mm_setr_pd(-0.0, -dnan)));
    CINT(_mm_testz_si128(_mm_set1_epi8(1), _mm_set1_epi8(2)));
    CINT(_mm_testc_si128(_mm_set1_epi8(3), _mm_set1_epi8(2)));
    CINT(_mm_testnzc_si128(_mm_set1_epi8(3), _mm_set1_epi8(6)));
    CINT(_mm_crc32_u32(~0u, 0x12345678u));
    CINT(_mm_crc32_u64(~0ull, 0x123456789abcdef0ull));
    CINT(_mm_crc32_u8(0, 0x80));
    CINT(_mm_cvtss_si32(_mm_set_ss(2.5f)));
    CINT(_mm_cvtss_si32(_mm_set_ss(-3.5f)));
    CINT(_mm_cvtss_si32(_mm_set_ss(3e9f)));
    CINT(_mm_cvttss_si64(_mm_set_ss(-9.3e18f)));
    CINT(_mm_cvtsd_si32(_mm_set_sd(-2147483648.5)));
    CINT(_mm_cvtsd_si64(_mm_set_sd(1e19)));
    CINT(_mm_cvttsd_si32(_mm_set_sd(dnan)));
    CINT(_mm_comieq_ss(_mm_set_ss(qnan), _mm_set_ss(1.0f)));
    CINT(_mm_comilt_ss(_mm_set_ss(1.0f), _mm_set_ss(qnan)));
    CINT(_mm_comile_ss(_mm_set_ss(qnan), _mm_set_ss(qnan)));
    CINT(_mm_comigt_ss(_mm_set_ss(qnan), _mm_set_ss(1.0f)));
    CINT(_mm_comige_ss(_mm_set_ss(2.0f), _mm_set_ss(qnan)));
    CINT(_mm_comineq_ss(_mm_set_ss(qnan), _mm_set_ss(1.0f)));
    CINT(_mm_ucomieq_ss(_mm_set_ss(-0.0f), _mm_set_ss(0.0f)));
    CINT(_mm_ucomineq_ss(_mm_set_ss(-0.0f), _mm_set_ss(0.0f)));
    CPS(_mm_min_ps(_mm_setr_ps(-0.0f, 0.0f, qnan, 1.0f), _mm_setr_ps(0.0f, -0.0f, 1.0f, qnan)));
    CPS(_mm_max_ps(_mm_setr_ps(-0.0f, 0.0f, qnan, 1.0f), _mm_setr_ps(0.0f, -0.0f, 1.0f, snan)));
    CPS(_mm_min_ss(_mm_set_ss(snan), _mm_set_ss(-0.0f)));
    CPS(_mm_max_ss(_mm_set_ss(-0.0f), _mm_set_ss(snan)));
    CPD(_mm_min_pd(_mm_setr_pd(-0.0, dnan), _mm_setr_pd(0.0, 1.0)));
    CPD(_mm_max_pd(_mm_setr_pd(0.0, 1.0), _mm_setr_pd(-0.0, -dnan)));
    CPS(_mm_add_ss(_mm_set_ss(qnan), _mm_set_ss(-qnan)));
    CPS(_mm_add_ps(_mm_set1_ps(-qnan), _mm_set1_ps(snan)));
    CPS(_mm_mul_ss(_mm_set_ss(snan), _mm_set_ss(-qnan)));
    CPS(_mm_sub_ss(_mm_set_ss(-0.0f), _mm_set_ss(-0.0f)));
    CPS(_mm_sqrt_ss(_mm_set_ss(-1.0f)));
    CPS(_mm_sqrt_ps(_mm_setr_ps(-0.0f, -1.0f, snan, 2.0f)));
    CPD(_mm_add_sd(_mm_set_sd(dnan), _mm_set_sd(-dnan)));
    CPD(_mm_mul_sd(_mm_set_sd(-dnan), _mm_set_sd(dnan)));
    CPD(_mm_sqrt_pd(_mm_setr_pd(-1.0, -0.0)));
    CPS(_mm_hadd_ps(_mm_setr_ps(qnan, -qnan, 1, snan), _mm_setr_ps(-snan, qnan, 1e38f, 1e38f)));
    CPS(_mm_hsub_ps(_mm_setr_ps(-qnan, qnan, -0.0f, 0.0f), _mm_setr_ps(snan, -qnan, 0.0f, 0.0f)));
    CPD(_mm_hadd_pd(_mm_setr_pd(dnan, -dnan), _mm_setr_pd(1e308, 1e308)));
    CPS(_mm_addsub_ps(_mm_setr_ps(qnan, qnan, -0.0f, -0.0f), _mm_setr_ps(-qnan, -qnan, -0.0f, 0.0f)));
    CPS(_mm_cmpneq_ps(_mm_setr_ps(qnan, 1, -0.0f, 1), _mm_setr_ps(qnan, 1, 0.0f, 2)));
    CPS(_mm_cmpnle_ps(_mm_setr_ps(qnan, 1, -0.0f, 3), _mm_setr_ps(1, qnan, 0.0f, 2)));
    CPS(_mm_cmpord_ps(_mm_setr_ps(qnan, 1, snan, 3), _mm_setr_ps(1, 1, 0.0f, -qnan)));
    CPD(_mm_cmpunord_pd(_mm_setr_pd(dnan, 1), _mm_setr_pd(1, 1)));
    CPD(_mm_cmpge_pd(_mm_setr_pd(dnan, -0.0), _mm_setr_pd(1, 0.0)));
    CPS(_mm_cvtpd_ps(_mm_setr_pd(1e39, 3.4028235677973366e38)));
    CPS(_mm_cvtsi64_ss(_mm_setzero_ps(), 0x7fffffffffffffffll));
    CPS(_mm_cvtsi32_ss(_mm_setzero_ps(), 16777217));
    CPS(_mm_cvtepi32_ps(_mm_setr_epi32(16777217, -16777219, 0x7fffffff, -2147483647 - 1)));
    CPD(_mm_cvtps_pd(_mm_setr_ps(snan, -qnan, 0, 0)));
    CPS(_mm_blendv_ps(_mm_set1_ps(1), _mm_set1_ps(2), _mm_setr_ps(-0.0f, 0.0f, -qnan, qnan)));
    CPS(_mm_shuffle_ps(_mm_setr_ps(1, 2, 3, 4), _mm_setr_ps(5, 6, 7, 8), _MM_SHUFFLE(0, 3, 1, 2)));
#undef C128
#undef CPS
#undef CPD
#undef CINT
}

int main(void) {
    if (!cpu_ok()) {
        printf("skip: the CPU lacks SSE4.2, PCLMUL, AVX2, BMI1/2 or LZCNT\n");
        return 0;
    }
    gen_inputs();
    test_sse_set_load_store();
    test_sse_arith();
    test_sse_shuffle_convert();
    test_sse_misc();
    test_sse2_int_arith();
    test_sse2_int_shift();
    test_sse2_int_shuffle();
    test_sse2_int_set_load_store();
    test_sse2_double();
    test_rounding_modes();
    test_sse2_misc();
    test_sse3();
    test_ssse3();
    test_sse41();
    test_sse42_pclmul();
    test_constants();
    return 0;
}

/* Shared part of tests/c/x86_intrinsics_sse.c and x86_intrinsics_avx2.c: the CPU check,
   deterministic inputs (edge values and xorshift pseudo-random ones) and the printers.
   The test functions carry TGT (gcc needs the target to use the intrinsics without -m
   flags); main() has no target attribute and calls them only when the CPU has the features. */
#ifndef X86_INTRIN_TEST_H
#define X86_INTRIN_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* <immintrin.h> alone declares the <ia32intrin.h> helpers too (x86_intrinsics_avx2.c uses
   them); x86_intrinsics_sse.c includes <x86intrin.h> first. */
#include <cpuid.h>
#include <immintrin.h>

#define TGT __attribute__((target("sse4.2,pclmul,avx2,bmi,bmi2,lzcnt,popcnt")))

/* ---- inputs ---------------------------------------------------------------------------- */

#define N 64 /* inputs of each non-immediate intrinsic */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* Integer operands a, b, c (256 bits each, the 128-bit tests use the low half). Inputs 0-35
   pair every edge value of one lane width with every other (a lane of a against the same
   lane of b), 36-51 mix edge values and random lanes, 52-63 are random. */
static uint64_t VA[N][4] __attribute__((aligned(32)));
static uint64_t VB[N][4] __attribute__((aligned(32)));
static uint64_t VC[N][4] __attribute__((aligned(32)));
/* Float and double operands (pairs of special values first, then edge mixes, then random). */
static uint32_t FA[N][4] __attribute__((aligned(16)));
static uint32_t FB[N][4] __attribute__((aligned(16)));
static uint32_t FC[N][4] __attribute__((aligned(16)));
static uint64_t DA[N][2] __attribute__((aligned(16)));
static uint64_t DB[N][2] __attribute__((aligned(16)));
static uint64_t DC[N][2] __attribute__((aligned(16)));

static const uint64_t E8[8] = {0x00, 0x01, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x40};
static const uint64_t E16[8] = {0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x00ff, 0xff80};
static const uint64_t E32[8] = {0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x0000ffff, 0xffff8000};
static const uint64_t E64[8] = {0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
                                0xffffffffffffffffull, 0x00000000ffffffffull, 0xffffffff80000000ull};
static const uint64_t *edges(int w) { return w == 8 ? E8 : w == 16 ? E16 : w == 32 ? E32 : E64; }

/* +0 -0 1.5 -inf +inf qNaN(payload) -qNaN(payload) sNaN */
static const uint32_t SF[8] = {0x00000000, 0x80000000, 0x3fc00000, 0xff800000,
                               0x7f800000, 0x7fc00001, 0xffc54321, 0x7f800123};
static const uint64_t SD[8] = {0, 0x8000000000000000ull, 0x3ff8000000000000ull, 0xfff0000000000000ull,
                               0x7ff0000000000000ull, 0x7ff8000000000001ull, 0xfff8000000054321ull,
                               0x7ff0000000000123ull};
/* zeros, small values and rounding ties, infinities, NaNs (quiet, signalling), denormals,
   FLT_MIN/MAX, and the limits of conversions to 32- and 64-bit integers */
static const uint32_t EF[32] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000,
    0xc0200000, 0xbfc00000, 0x40600000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001,
    0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x4effffff, 0x4f000000, 0xcf000000,
    0xcf000001, 0x4f800000, 0x5effffff, 0x5f000000, 0xdf000000, 0x7149f2ca, 0x4b800000, 0x3effffff};
static const uint64_t ED[34] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull,
    0xbfe0000000000000ull, 0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
    0xbff8000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0xfff8000000000000ull, 0x7ff4000000000001ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x7fefffffffffffffull, 0x41dfffffffc00000ull, 0x41dfffffffe00000ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000100000ull, 0xc1e0000000200000ull,
    0x43e0000000000000ull, 0xc3e0000000000000ull, 0x43dfffffffffffffull, 0x47efffffe0000000ull,
    0x47efffffefffffffull, 0x47effffff0000000ull, 0x3ff0000010000000ull, 0x3690000000000000ull,
    0x3698000000000000ull};

static void setlane(uint64_t *v, int w, int lane, uint64_t x) {
    int bit = lane * w;
    uint64_t m = w == 64 ? ~0ull : (1ull << w) - 1;
    v[bit / 64] = (v[bit / 64] & ~(m << (bit % 64))) | ((x & m) << (bit % 64));
}

static uint32_t rnd_float(void) {
    uint64_t r = rnd();
    if ((r & 7) == 0)
        return (uint32_t)(r >> 32); /* any bit pattern */
    return (uint32_t)((r >> 8) & 0x807fffff) | (uint32_t)(107 + (r >> 40) % 50) << 23;
}
static uint64_t rnd_double(void) {
    uint64_t r = rnd();
    if ((r & 7) == 0)
        return rnd();
    return (rnd() & 0x800fffffffffffffull) | (uint64_t)(993 + (r >> 40) % 70) << 52;
}

static void gen_inputs(void) {
    static const int blk_w[4] = {8, 16, 32, 64}, blk_n[4] = {4, 8, 16, 8};
    int i = 0;
    for (int b = 0; b < 4; b++) {
        int w = blk_w[b], lanes = 128 / w;
        const uint64_t *e = edges(w);
        for (int j = 0; j < blk_n[b]; j++, i++)
            for (int h = 0; h < 2; h++)
                for (int l = 0; l < lanes; l++) {
                    int k = (j * lanes + l + h * 32) % 64;
                    setlane(VA[i], w, h * lanes + l, e[k / 8]);
                    setlane(VB[i], w, h * lanes + l, e[k % 8]);
                    setlane(VC[i], w, h * lanes + l, rnd());
                }
    }
    for (; i < 52; i++) {
        int w = 8 << (i % 4);
        const uint64_t *e = edges(w);
        for (int l = 0; l < 256 / w; l++) {
            uint64_t r = rnd();
            setlane(VA[i], w, l, r & 1 ? e[(r >> 1) & 7] : rnd());
            setlane(VB[i], w, l, r & 16 ? e[(r >> 5) & 7] : rnd());
            setlane(VC[i], w, l, r & 256 ? e[(r >> 9) & 7] : rnd());
        }
    }
    for (; i < N; i++)
        for (int q = 0; q < 4; q++) {
            VA[i][q] = rnd();
            VB[i][q] = rnd();
            VC[i][q] = rnd();
        }

    for (i = 0; i < 16; i++)
        for (int l = 0; l < 4; l++) {
            int k = i * 4 + l;
            FA[i][l] = SF[k / 8];
            FB[i][l] = SF[k % 8];
            FC[i][l] = (uint32_t)rnd();
        }
    for (; i < 40; i++)
        for (int l = 0; l < 4; l++) {
            uint64_t r = rnd();
            FA[i][l] = r & 1 ? EF[(r >> 1) & 31] : rnd_float();
            FB[i][l] = r & 64 ? EF[(r >> 7) & 31] : rnd_float();
            FC[i][l] = r & 4096 ? EF[(r >> 13) & 31] : rnd_float();
        }
    for (; i < 44; i++) /* special values only: NaNs against NaNs within a vector too */
        for (int l = 0; l < 4; l++) {
            uint64_t r = rnd();
            FA[i][l] = SF[r & 7];
            FB[i][l] = SF[(r >> 3) & 7];
            FC[i][l] = SF[(r >> 6) & 7];
        }
    for (; i < 48; i++)
        for (int l = 0; l < 4; l++) {
            uint64_t r = rnd();
            FA[i][l] = r & 1 ? EF[(r >> 1) & 31] : rnd_float();
            FB[i][l] = r & 64 ? EF[(r >> 7) & 31] : rnd_float();
            FC[i][l] = r & 4096 ? EF[(r >> 13) & 31] : rnd_float();
        }
    for (; i < N; i++)
        for (int l = 0; l < 4; l++) {
            FA[i][l] = rnd_float();
            FB[i][l] = rnd_float();
            FC[i][l] = rnd_float();
        }

    for (i = 0; i < 32; i++)
        for (int l = 0; l < 2; l++) {
            int k = i * 2 + l;
            DA[i][l] = SD[k / 8];
            DB[i][l] = SD[k % 8];
            DC[i][l] = rnd();
        }
    for (; i < 36; i++)
        for (int l = 0; l < 2; l++) {
            uint64_t r = rnd();
            DA[i][l] = SD[r & 7];
            DB[i][l] = SD[(r >> 3) & 7];
            DC[i][l] = SD[(r >> 6) & 7];
        }
    for (; i < 52; i++)
        for (int l = 0; l < 2; l++) {
            uint64_t r = rnd();
            DA[i][l] = r & 1 ? ED[(r >> 1) % 34] : rnd_double();
            DB[i][l] = r & 4096 ? ED[(r >> 13) % 34] : rnd_double();
            DC[i][l] = r & (1ull << 30) ? ED[(r >> 31) % 34] : rnd_double();
        }
    for (; i < N; i++)
        for (int l = 0; l < 2; l++) {
            DA[i][l] = rnd_double();
            DB[i][l] = rnd_double();
            DC[i][l] = rnd_double();
        }
}

/* Operands with lanes rotated by l: the scalar (_ss, _sd) intrinsics see every lane's pair. */
static __m128 rotps(const uint32_t *s, int l) {
    uint32_t t[4];
    __m128 r;
    for (int j = 0; j < 4; j++)
        t[j] = s[(j + l) & 3];
    memcpy(&r, t, 16);
    return r;
}
static __m128d rotpd(const uint64_t *s, int l) {
    uint64_t t[2] = {s[l & 1], s[(l + 1) & 1]};
    __m128d r;
    memcpy(&r, t, 16);
    return r;
}

/* Inputs of the intrinsics with an immediate operand (each immediate value is one test). */
static const int IMMI[6] = {2, 9, 25, 40, 45, 58};
#define FORI for (int ii_ = 0, i = IMMI[0]; ii_ < 6 && (i = IMMI[ii_], 1); ii_++)
/* Inputs of the shifts, and their counts. */
static const int SHI[8] = {3, 7, 20, 36, 37, 38, 39, 60};
static const int CNTS[18] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 300, -1, 0x7fffffff};
#define FOR for (int i = 0; i < N; i++)

/* ---- printers -------------------------------------------------------------------------- */

static void out_bytes(const char *name, int i, const void *p, int n) {
    uint64_t q[6];
    memcpy(q, p, n);
    printf("%s %d:", name, i);
    for (int k = 0; k < n / 8; k++)
        printf(" %016llx", (unsigned long long)q[k]);
    putchar('\n');
}
static void out_ps(const char *name, int i, const void *p, int n) {
    float f[8];
    uint32_t u[8];
    memcpy(f, p, 4 * n);
    memcpy(u, p, 4 * n);
    printf("%s %d:", name, i);
    for (int k = 0; k < n; k++) {
        if (f[k] != f[k])
            printf(" nan:%08x", u[k]);
        else
            printf(" %a", (double)f[k]);
    }
    putchar('\n');
}
static void out_pd(const char *name, int i, const void *p, int n) {
    double f[4];
    uint64_t u[4];
    memcpy(f, p, 8 * n);
    memcpy(u, p, 8 * n);
    printf("%s %d:", name, i);
    for (int k = 0; k < n; k++) {
        if (f[k] != f[k])
            printf(" nan:%016llx", (unsigned long long)u[k]);
        else
            printf(" %a", f[k]);
    }
    putchar('\n');
}
/* A scalar result, with its type's size and signedness. */
static void out_int(const char *name, int i, unsigned long long v, int size, int is_signed) {
    printf("%s %d: %c%d %llx\n", name, i, is_signed ? 's' : 'u', size, v);
}

#define O128(name, e)                                                                         \
    do {                                                                                      \
        __m128i r_ = (e);                                                                     \
        out_bytes(name, i, &r_, 16);                                                          \
    } while (0)
#define O256(name, e)                                                                         \
    do {                                                                                      \
        __m256i r_ = (e);                                                                     \
        out_bytes(name, i, &r_, 32);                                                          \
    } while (0)
#define OPS(name, e)                                                                          \
    do {                                                                                      \
        __m128 r_ = (e);                                                                      \
        out_ps(name, i, &r_, 4);                                                              \
    } while (0)
#define OPD(name, e)                                                                          \
    do {                                                                                      \
        __m128d r_ = (e);                                                                     \
        out_pd(name, i, &r_, 2);                                                              \
    } while (0)
#define OINT(name, e)                                                                         \
    out_int(name, i, (unsigned long long)(e), (int)sizeof(e), (__typeof__(e))-1 < 0)

/* Operands. */
#define AI(k) (*(const __m128i *)VA[k])
#define BI(k) (*(const __m128i *)VB[k])
#define CI(k) (*(const __m128i *)VC[k])
#define AY(k) (*(const __m256i *)VA[k])
#define BY(k) (*(const __m256i *)VB[k])
#define CY(k) (*(const __m256i *)VC[k])
#define AF(k) (*(const __m128 *)FA[k])
#define BF(k) (*(const __m128 *)FB[k])
#define CF(k) (*(const __m128 *)FC[k])
#define AD(k) (*(const __m128d *)DA[k])
#define BD(k) (*(const __m128d *)DB[k])
#define CD(k) (*(const __m128d *)DC[k])

/* ---- the CPU check --------------------------------------------------------------------- */

static int cpu_ok(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    unsigned need1 = bit_SSE3 | bit_PCLMUL | bit_SSSE3 | bit_SSE4_1 | bit_SSE4_2 | bit_POPCNT |
                     bit_OSXSAVE | bit_AVX;
    if ((c & need1) != need1)
        return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    if ((b & (bit_AVX2 | bit_BMI | bit_BMI2)) != (bit_AVX2 | bit_BMI | bit_BMI2))
        return 0;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d) || !(c & bit_LZCNT))
        return 0;
    return 1;
}

#endif

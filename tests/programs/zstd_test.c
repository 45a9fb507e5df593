/* zstd driver for tests/programs.rs (zstd-sys ships only lib/): for each file, compress at
 * several levels with the one-shot and the streaming API, print sizes and a 64-bit FNV-1a
 * hash of the frames (equal output means byte-identical frames), decompress and check;
 * then train a small dictionary on slices of the files and compress with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zstd.h"
#include "zdict.h"
#include "driver_util.h"

static void check(const char *what, const unsigned char *in, size_t len, const unsigned char *c, size_t clen) {
    unsigned char *back = malloc(len + 1);
    size_t r = ZSTD_decompress(back, len + 1, c, clen);
    printf("  %s: %lu -> %lu hash=%016llx roundtrip=%s\n", what, (unsigned long)len, (unsigned long)clen,
           fnv(c, clen), !ZSTD_isError(r) && r == len && memcmp(back, in, len) == 0 ? "ok" : "FAILED");
    free(back);
}

static void streaming(const unsigned char *in, size_t len, int level) {
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    size_t cap = ZSTD_compressBound(len) + 4096, pos = 0;
    unsigned char *out = malloc(cap);
    ZSTD_outBuffer ob = {out, cap, 0};
    char what[64];
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    while (pos < len) {
        size_t chunk = len - pos > 10000 ? 10000 : len - pos;
        ZSTD_inBuffer ib = {in + pos, chunk, 0};
        while (ib.pos < ib.size)
            ZSTD_compressStream2(cctx, &ob, &ib, ZSTD_e_continue);
        pos += chunk;
    }
    {
        ZSTD_inBuffer ib = {NULL, 0, 0};
        while (ZSTD_compressStream2(cctx, &ob, &ib, ZSTD_e_end) != 0)
            ;
    }
    snprintf(what, sizeof what, "stream level %d", level);
    check(what, in, len, out, ob.pos);
    free(out);
    ZSTD_freeCCtx(cctx);
}

int main(int argc, char **argv) {
    static const int levels[] = {-5, 1, 3, 9, 19};
    unsigned char *samples = malloc(1 << 20);
    size_t sizes[2048], nsamples = 0, sampled = 0;
    int i, l;
    printf("zstd %s\n", ZSTD_versionString());
    for (i = 1; i < argc; i++) {
        size_t len, off;
        unsigned char *in = slurp(argv[i], &len), *out;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        if (!in)
            continue;
        printf("%s\n", name);
        out = malloc(ZSTD_compressBound(len));
        for (l = 0; l < (int)(sizeof levels / sizeof levels[0]); l++) {
            char what[32];
            size_t clen = ZSTD_compress(out, ZSTD_compressBound(len), in, len, levels[l]);
            snprintf(what, sizeof what, "level %d", levels[l]);
            check(what, in, len, out, clen);
        }
        streaming(in, len, 5);
        for (off = 0; off + 512 <= len && nsamples < 2048 && sampled + 512 <= (1 << 20); off += 700) {
            memcpy(samples + sampled, in + off, 512);
            sizes[nsamples++] = 512;
            sampled += 512;
        }
        free(out);
        free(in);
    }
    {
        unsigned char dict[8192];
        size_t dlen = ZDICT_trainFromBuffer(dict, sizeof dict, samples, sizes, (unsigned)nsamples);
        printf("dictionary: %s size=%lu hash=%016llx\n", ZDICT_isError(dlen) ? ZDICT_getErrorName(dlen) : "ok",
               (unsigned long)(ZDICT_isError(dlen) ? 0 : dlen), ZDICT_isError(dlen) ? 0ULL : fnv(dict, dlen));
        if (!ZDICT_isError(dlen)) {
            ZSTD_CCtx *c = ZSTD_createCCtx();
            ZSTD_DCtx *d = ZSTD_createDCtx();
            unsigned char out[1024], back[600];
            size_t k, total = 0, ok = 0;
            unsigned long long h = 0;
            for (k = 0; k < nsamples; k += 17) {
                size_t clen = ZSTD_compress_usingDict(c, out, sizeof out, samples + k * 512, 512, dict, dlen, 3);
                size_t r = ZSTD_decompress_usingDict(d, back, sizeof back, out, clen, dict, dlen);
                total += clen;
                h = h * 31 + fnv(out, clen);
                ok += r == 512 && memcmp(back, samples + k * 512, 512) == 0;
            }
            printf("with dictionary: total=%lu hash=%016llx roundtrips=%lu\n", (unsigned long)total, h,
                   (unsigned long)ok);
            ZSTD_freeCCtx(c);
            ZSTD_freeDCtx(d);
        }
    }
    free(samples);
    return 0;
}

/* zlib driver for tests/programs.rs (libz-sys ships no test/ directory): for each file
 * named on the command line, deflate it at several levels and strategies, with zlib and
 * gzip and raw wrappers, print the compressed size and a 64-bit FNV-1a hash of the
 * compressed bytes (so equal output means byte-identical streams), inflate it back and
 * check the round trip, and exercise crc32/adler32 and their combine functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zlib.h"
#include "driver_util.h"

static void one(const char *name, const unsigned char *in, size_t len, int level, int wbits, int strategy) {
    z_stream s;
    size_t cap = deflateBound(NULL, len) + 1024, clen;
    unsigned char *out = malloc(cap), *back = malloc(len + 1);
    int rc;
    memset(&s, 0, sizeof s);
    deflateInit2(&s, level, Z_DEFLATED, wbits, 8, strategy);
    s.next_in = (unsigned char *)in;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    /* feed in chunks to exercise the streaming path */
    while (s.total_in < len) {
        size_t chunk = len - s.total_in > 7777 ? 7777 : len - s.total_in;
        s.avail_in = (uInt)chunk;
        deflate(&s, Z_NO_FLUSH);
    }
    rc = deflate(&s, Z_FINISH);
    clen = s.total_out;
    deflateEnd(&s);
    memset(&s, 0, sizeof s);
    inflateInit2(&s, wbits);
    s.next_in = out;
    s.avail_in = (uInt)clen;
    s.next_out = back;
    s.avail_out = (uInt)len + 1;
    rc = rc == Z_STREAM_END ? inflate(&s, Z_FINISH) : rc;
    printf("%s level=%d wbits=%d strategy=%d: %lu -> %lu hash=%016llx roundtrip=%s\n", name, level, wbits,
           strategy, (unsigned long)len, (unsigned long)clen, fnv(out, clen),
           rc == Z_STREAM_END && s.total_out == len && memcmp(in, back, len) == 0 ? "ok" : "FAILED");
    inflateEnd(&s);
    free(out);
    free(back);
}

int main(int argc, char **argv) {
    int i;
    printf("zlib %s\n", zlibVersion());
    for (i = 1; i < argc; i++) {
        size_t len, half;
        unsigned char *in = slurp(argv[i], &len);
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        unsigned long c1, c2, a1, a2;
        if (!in) {
            printf("%s: cannot read\n", argv[i]);
            continue;
        }
        half = len / 2;
        c1 = crc32(0, in, (uInt)half);
        c2 = crc32(0, in + half, (uInt)(len - half));
        a1 = adler32(1, in, (uInt)half);
        a2 = adler32(1, in + half, (uInt)(len - half));
        printf("%s: crc32=%08lx combined=%08lx adler32=%08lx combined=%08lx\n", name, crc32(0, in, (uInt)len),
               crc32_combine(c1, c2, (z_off_t)(len - half)), adler32(1, in, (uInt)len),
               adler32_combine(a1, a2, (z_off_t)(len - half)));
        one(name, in, len, 1, 15, Z_DEFAULT_STRATEGY);
        one(name, in, len, 6, 15, Z_DEFAULT_STRATEGY);
        one(name, in, len, 9, 31, Z_DEFAULT_STRATEGY);
        one(name, in, len, 4, -12, Z_FILTERED);
        one(name, in, len, 6, 15, Z_HUFFMAN_ONLY);
        one(name, in, len, 6, 15, Z_RLE);
        one(name, in, len, 0, 15, Z_DEFAULT_STRATEGY);
        {
            uLongf clen = compressBound(len), blen = len;
            unsigned char *out = malloc(clen), *back = malloc(len + 1);
            compress2(out, &clen, in, len, Z_BEST_COMPRESSION);
            printf("%s compress2: %lu hash=%016llx uncompress=%d\n", name, (unsigned long)clen, fnv(out, clen),
                   uncompress(back, &blen, out, clen) == Z_OK && blen == len && memcmp(back, in, len) == 0);
            free(out);
            free(back);
        }
        free(in);
    }
    return 0;
}

/* liblzma driver for tests/programs.rs: for each file, .xz-encode at several presets and
 * check types (and with the x86 BCJ filter), print sizes and a 64-bit FNV-1a hash of the
 * streams (equal output means byte-identical streams), and decode them back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lzma.h"
#include "driver_util.h"

static void report(const char *what, const unsigned char *in, size_t len, const unsigned char *out, size_t olen) {
    uint64_t memlimit = UINT64_MAX;
    size_t ipos = 0, bpos = 0;
    unsigned char *back = malloc(len + 1);
    lzma_ret r = lzma_stream_buffer_decode(&memlimit, 0, NULL, out, &ipos, olen, back, &bpos, len + 1);
    printf("  %s: %lu -> %lu hash=%016llx roundtrip=%s\n", what, (unsigned long)len, (unsigned long)olen,
           fnv(out, olen), r == LZMA_OK && bpos == len && memcmp(back, in, len) == 0 ? "ok" : "FAILED");
    free(back);
}

int main(int argc, char **argv) {
    static const uint32_t presets[] = {0, 3, 6, 9 | LZMA_PRESET_EXTREME};
    static const lzma_check checks[] = {LZMA_CHECK_NONE, LZMA_CHECK_CRC32, LZMA_CHECK_CRC64, LZMA_CHECK_SHA256};
    int i, k;
    printf("liblzma %s\n", lzma_version_string());
    for (i = 1; i < argc; i++) {
        size_t len, olen;
        unsigned char *in = slurp(argv[i], &len), *out;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        if (!in)
            continue;
        out = malloc(lzma_stream_buffer_bound(len));
        printf("%s crc32=%08x crc64=%016llx\n", name, lzma_crc32(in, len, 0),
               (unsigned long long)lzma_crc64(in, len, 0));
        for (k = 0; k < 4; k++) {
            char what[48];
            olen = 0;
            lzma_easy_buffer_encode(presets[k], checks[k], NULL, in, len, out, &olen, lzma_stream_buffer_bound(len));
            snprintf(what, sizeof what, "preset %u check %d", presets[k] & 0xff, (int)checks[k]);
            report(what, in, len, out, olen);
        }
        {
            lzma_options_lzma opt;
            lzma_filter filters[3];
            lzma_lzma_preset(&opt, 6);
            filters[0].id = LZMA_FILTER_X86;
            filters[0].options = NULL;
            filters[1].id = LZMA_FILTER_LZMA2;
            filters[1].options = &opt;
            filters[2].id = LZMA_VLI_UNKNOWN;
            olen = 0;
            lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC64, NULL, in, len, out, &olen,
                                      lzma_stream_buffer_bound(len));
            report("x86 BCJ + LZMA2", in, len, out, olen);
        }
        free(out);
        free(in);
    }
    return 0;
}

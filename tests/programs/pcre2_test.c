/* pcre2 driver for tests/programs.rs (pcre2-sys ships no tests): compiles a set of
 * patterns, matches them against subjects with the interpreter, the JIT and the DFA matcher,
 * prints every match with its groups, and runs pcre2_substitute. */
#include <stdio.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pcre2.h"

static const char *patterns[] = {
    "(\\w+)@(\\w+)\\.com", "^(\\d{4})-(\\d{2})-(\\d{2})$", "(?i)hello\\s+(world|there)",
    "(a+)+b", "(?<year>\\d{4})|(?<word>[[:alpha:]]+)", "\\bfo+\\b", "(?m)^\\s*#.*$",
    "(\\p{Greek}+)", "(?:x(y)?z)*", "(?=.*\\d)(?=.*[a-z]).{6,}", "([^,]*),?", "\\X",
    "(?|(abc)|(xyz))\\1", "a(?R)?b", "[\\x{100}-\\x{2000}]+", "(?s)<(\\w+)>.*?</\\1>",
};
static const char *subjects[] = {
    "mail alice@example.com and bob@test.com now", "2024-02-29", "HeLLo   World! hello there",
    "aaaaaaaaab", "in 1999 we partied", "foo fooo food fo", "code\n  # comment\nmore\n#x",
    "abc αβγ δ", "xzxyzxz!", "abc123def", "a,bb,,ccc", "e\xcc\x81x", "abcabc xyzxyz", "aaabbb",
    "plain \xc3\xa9\xe2\x82\xac text", "<b>bold</b> <i>it<b>x</b></i>",
};

static void show(const char *how, pcre2_code *re, const char *subj, int jit) {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    PCRE2_SIZE start = 0, len = strlen(subj);
    int count = 0;
    printf("  %s:", how);
    while (start <= len && count < 10) {
        int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)subj, len, start, 0, md, NULL)
                     : pcre2_match(re, (PCRE2_SPTR)subj, len, start, 0, md, NULL);
        PCRE2_SIZE *ov;
        int i;
        if (rc < 0) {
            if (rc != PCRE2_ERROR_NOMATCH)
                printf(" error %d", rc);
            break;
        }
        ov = pcre2_get_ovector_pointer(md);
        printf(" [");
        for (i = 0; i < rc; i++) {
            if (ov[2 * i] == PCRE2_UNSET)
                printf(" -");
            else
                printf(" %d:'%.*s'", i, (int)(ov[2 * i + 1] - ov[2 * i]), subj + ov[2 * i]);
        }
        printf(" ]");
        start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        count++;
    }
    printf("\n");
    pcre2_match_data_free(md);
}

int main(void) {
    size_t i;
    uint32_t jit_ok = 0;
    char ver[64];
    pcre2_config(PCRE2_CONFIG_VERSION, ver);
    pcre2_config(PCRE2_CONFIG_JIT, &jit_ok);
    printf("pcre2 %s jit=%u\n", ver, jit_ok);
    for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        int err;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
        uint32_t caps = 0;
        if (!re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            printf("%s: error at %lu: %s\n", patterns[i], (unsigned long)off, msg);
            continue;
        }
        pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &caps);
        printf("/%s/ captures=%u on \"%s\"\n", patterns[i], caps, subjects[i]);
        show("interp", re, subjects[i], 0);
        printf("  jit compile: %d\n", pcre2_jit_compile(re, PCRE2_JIT_COMPLETE));
        if (jit_ok)
            show("jit", re, subjects[i], 1);
        {
            pcre2_match_data *md = pcre2_match_data_create(64, NULL);
            int ws[1000];
            int rc = pcre2_dfa_match(re, (PCRE2_SPTR)subjects[i], strlen(subjects[i]), 0, 0, md, NULL, ws, 1000);
            printf("  dfa: rc=%d", rc);
            if (rc > 0) {
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                printf(" longest='%.*s'", (int)(ov[1] - ov[0]), subjects[i] + ov[0]);
            }
            printf("\n");
            pcre2_match_data_free(md);
        }
        {
            PCRE2_UCHAR out[512];
            PCRE2_SIZE outlen = sizeof out;
            int rc = pcre2_substitute(re, (PCRE2_SPTR)subjects[i], PCRE2_ZERO_TERMINATED, 0,
                                      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED, NULL, NULL,
                                      (PCRE2_SPTR) "<${1:-none}>", PCRE2_ZERO_TERMINATED, out, &outlen);
            printf("  substitute: rc=%d '%s'\n", rc, rc >= 0 ? (char *)out : "");
        }
        pcre2_code_free(re);
    }
    return 0;
}

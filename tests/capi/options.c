/* cfree_jit_set_options and the diagnostic callback: gcc-style options for later compiles,
 * transactional errors naming the option, and every warning and error as a record. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

typedef struct {
    int severity;
    char file[64];
    unsigned line, column;
    char message[256];
    char option[64];
    int has_rendered;
} Seen;

static Seen seen[32];
static int nseen;

static void on_diag(void *user, const CfreeDiagnostic *d)
{
    CHECK(user == (void *)seen);
    CHECK(nseen < 32);
    Seen *s = &seen[nseen++];
    s->severity = d->severity;
    snprintf(s->file, sizeof s->file, "%s", d->file ? d->file : "");
    s->line = d->line;
    s->column = d->column;
    snprintf(s->message, sizeof s->message, "%s", d->message);
    snprintf(s->option, sizeof s->option, "%s", d->option ? d->option : "");
    s->has_rendered = d->rendered && strstr(d->rendered, d->message) != NULL;
}

/* The value `name()` returns after compiling `src` as a fresh unit. */
static long value_of(CfreeJit *jit, const char *name, const char *src)
{
    static int unit;
    char file[32];
    snprintf(file, sizeof file, "u%d.c", unit++);
    OK(jit, cfree_jit_add_source(jit, file, src));
    long (*f)(void) = (long (*)(void))cfree_jit_lookup(jit, name);
    CHECK(f != NULL);
    return f();
}

int main(void)
{
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);

    /* A header in a directory given with -I, with a space in its name (shell quoting). */
    char dir[] = "/tmp/cfree-opts-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sub[96], header[128], opt[160];
    snprintf(sub, sizeof sub, "%s/inc dir", dir);
    CHECK(mkdir(sub, 0700) == 0);
    snprintf(header, sizeof header, "%s/answer.h", sub);
    FILE *h = fopen(header, "w");
    CHECK(h != NULL);
    fputs("#define FROM_HEADER 40\n", h);
    fclose(h);
    snprintf(opt, sizeof opt, "-I '%s' -DTWO=2 -DFLAG -DMSG=\"\\\"hi there\\\"\"", sub);
    OK(jit, cfree_jit_set_options(jit, opt));
    CHECK(value_of(jit, "answer",
                   "#include <answer.h>\n"
                   "#ifdef FLAG\nlong answer(void) { return FROM_HEADER + TWO; }\n#endif\n") == 42);
    CHECK(value_of(jit, "msg_len", "#include <string.h>\n"
                                   "long msg_len(void) { return (long)strlen(MSG); }\n") == 8);

    /* -U undefines a -D given earlier, and a predefined macro. */
    CHECK(value_of(jit, "gnuc1", "long gnuc1(void) {\n#ifdef __GNUC__\nreturn 1;\n#else\nreturn 0;\n#endif\n}\n") == 1);
    OK(jit, cfree_jit_set_options(jit, "-UFLAG -U__GNUC__"));
    CHECK(value_of(jit, "undone", "long undone(void) {\n#if defined FLAG || defined __GNUC__\nreturn 1;\n#else\nreturn TWO;\n#endif\n}\n") == 2);

    /* -std= sets __STDC_VERSION__; -O2 and -O0 still compute the same. */
    OK(jit, cfree_jit_set_options(jit, "-std=c99 -O2"));
    CHECK(value_of(jit, "ver99", "long ver99(void) { return __STDC_VERSION__; }") == 199901L);
    OK(jit, cfree_jit_set_options(jit, "-std=gnu11 -O0 -Os -O1 -g -g0"));
    CHECK(value_of(jit, "ver11", "long ver11(void) { long s = 0; for (int i = 1; i <= 10; i++) s += i; return s + __STDC_VERSION__ - 201112L; }") == 55);

    /* Errors name the option and change nothing, not even what came before in the string. */
    uint64_t gen = cfree_jit_generation(jit);
    const char *bad[][2] = {
        {"-DLATE -fno-such-flag", "-fno-such-flag"},
        {"-DLATE -Wsuch-warning", "-Wsuch-warning"}, /* gcc too refuses it (not -Wno-...) */
        {"-DLATE -std=c77", "c77"},
        {"-DLATE -I", "-I"},
        {"-DLATE file.c", "file.c"},
        {"-DLATE -c", "-c"},
        {"-DLATE -o out", "-o"},
        {"-DLATE -lcfree_no_such_library_xyz", "cfree_no_such_library_xyz"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (cfree_jit_set_options(jit, bad[i][0]) != -1) {
            fprintf(stderr, "\"%s\" accepted\n", bad[i][0]);
            return 1;
        }
        CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_INVALID_ARGUMENT ||
              cfree_jit_last_error_kind(jit) == CFREE_ERR_JIT);
        if (!strstr(cfree_jit_last_error(jit), bad[i][1])) {
            fprintf(stderr, "error for \"%s\" lacks \"%s\": %s\n", bad[i][0], bad[i][1],
                    cfree_jit_last_error(jit));
            return 1;
        }
    }
    CHECK(cfree_jit_set_options(jit, NULL) == -1);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_INVALID_ARGUMENT);
    CHECK(cfree_jit_set_options(NULL, "-O2") == -1);
    CHECK(cfree_jit_generation(jit) == gen);
    CHECK(value_of(jit, "late", "long late(void) {\n#ifdef LATE\nreturn 1;\n#else\nreturn TWO + 1;\n#endif\n}\n") == 3);
    OK(jit, cfree_jit_set_options(jit, "")); /* nothing to do */

    /* Diagnostics: -Wall warnings as records, in order, with their option and place (the
     * places gcc reports for this text: 1:19 and 2:20). */
    OK(jit, cfree_jit_set_diagnostic_callback(jit, on_diag, seen));
    OK(jit, cfree_jit_set_options(jit, "-Wall"));
    OK(jit, cfree_jit_add_source(jit, "w.c",
                                 "int f(void) { int unused; return 0; }\n"
                                 "int g(int x) { if (x = 2) return 1; return 0; }\n"));
    CHECK(nseen == 2);
    CHECK(seen[0].severity == CFREE_DIAG_WARNING && strcmp(seen[0].file, "w.c") == 0);
    CHECK(seen[0].line == 1 && seen[0].column == 19);
    CHECK(strcmp(seen[0].option, "unused-variable") == 0 && strstr(seen[0].message, "unused"));
    CHECK(seen[1].line == 2 && seen[1].column == 20 && strcmp(seen[1].option, "parentheses") == 0);
    CHECK(seen[0].has_rendered && seen[1].has_rendered);

    /* Errors reach the callback and still cfree_jit_last_error. */
    nseen = 0;
    FAILS(jit, cfree_jit_add_source(jit, "e.c", "int e1(void) {\n  return undeclared_thing;\n}\n"),
          CFREE_ERR_COMPILE, "undeclared_thing");
    CHECK(nseen == 1 && seen[0].severity == CFREE_DIAG_ERROR);
    CHECK(strcmp(seen[0].file, "e.c") == 0 && seen[0].line == 2);
    CHECK(strstr(seen[0].message, "undeclared_thing"));

    /* -Werror=: the warning becomes an error naming it; -w: no warnings at all. */
    nseen = 0;
    OK(jit, cfree_jit_set_options(jit, "-Werror=unused-variable"));
    CHECK(cfree_compile(jit, "we.c", "int h(void) { int spare; return 0; }") == NULL);
    CHECK(nseen >= 1 && seen[0].severity == CFREE_DIAG_ERROR);
    CHECK(strcmp(seen[0].option, "error=unused-variable") == 0);
    nseen = 0;
    OK(jit, cfree_jit_set_options(jit, "-Wno-error -w"));
    CfreeObj *quiet = cfree_compile(jit, "q.c", "int k(void) { int spare; return 0; }");
    CHECK(quiet != NULL && nseen == 0 && strcmp(cfree_obj_warnings(quiet), "") == 0);
    cfree_obj_free(quiet);

    /* Link errors of a compile-and-append reach it too, without a place. */
    nseen = 0;
    FAILS(jit, cfree_jit_add_source(jit, "l.c", "int nowhere_fn(void); int l(void) { return nowhere_fn(); }"),
          CFREE_ERR_LINK, "nowhere_fn");
    CHECK(nseen == 1 && seen[0].severity == CFREE_DIAG_ERROR && seen[0].file[0] == 0);
    CHECK(strstr(seen[0].message, "nowhere_fn"));

    /* Removing the callback. */
    OK(jit, cfree_jit_set_diagnostic_callback(jit, NULL, NULL));
    nseen = 0;
    OK(jit, cfree_jit_set_options(jit, "-Wall -Wno-error"));
    CHECK(cfree_jit_set_options(jit, "-w0") == -1);
    OK(jit, cfree_jit_set_options(jit, "-W"));
    OK(jit, cfree_jit_add_source(jit, "w2.c", "int m(void) { int unused2; return 0; }"));
    CHECK(nseen == 0);

    cfree_jit_free(jit);
    remove(header);
    rmdir(sub);
    rmdir(dir);
    puts("options: ok");
    return 0;
}

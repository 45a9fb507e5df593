/* cfree_jit_add_file by contents (C source, gcc objects, archives, shared libraries),
 * cfree_jit_add_library / cfree_jit_add_library_path, and every bad file failing cleanly.
 * argv[1] is the directory tests/capi.rs built the fixtures into. */
#include "check.h"

static char dir[512];

static const char *at(const char *name)
{
    static char buf[8][600];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static int (*fn(CfreeJit *jit, const char *name))(int)
{
    int (*f)(int) = (int (*)(int))cfree_jit_lookup(jit, name);
    CHECK(f != NULL);
    return f;
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    snprintf(dir, sizeof dir, "%s", argv[1]);
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);

    /* C source by path, its header found next to it. */
    OK(jit, cfree_jit_add_file(jit, at("source.c")));
    CHECK(fn(jit, "fix_source")(5) == 105);

    /* A gcc object, also under a name that does not say so. */
    OK(jit, cfree_jit_add_file(jit, at("object.o")));
    CHECK(fn(jit, "fix_object_square")(7) == 49);

    /* A shared library by path; later code resolves names in it. */
    OK(jit, cfree_jit_add_file(jit, at("libfixshared.so")));
    OK(jit, cfree_jit_add_source(jit, "s.c", "int fix_shared_twice(int);\n"
                                             "int use_shared(int x) { return fix_shared_twice(x) + 1; }"));
    CHECK(fn(jit, "use_shared")(20) == 41);

    /* An archive: later appends pull in the members they need (b needs a), a member nobody
     * needs stays out (it would clash with the image's fix_clash), and a member is never
     * linked twice. */
    OK(jit, cfree_jit_add_source(jit, "c.c", "int fix_clash(void) { return 5; }"));
    uint64_t gen = cfree_jit_generation(jit);
    OK(jit, cfree_jit_add_file(jit, at("libfixarch.a")));
    CHECK(cfree_jit_generation(jit) == gen); /* nothing linked yet */
    CHECK(cfree_jit_lookup(jit, "fix_arch_a") == NULL);
    OK(jit, cfree_jit_add_source(jit, "b.c", "int fix_arch_b(int);\n"
                                             "int use_b(int x) { return fix_arch_b(x); }"));
    CHECK(fn(jit, "use_b")(4) == 15);
    CHECK(cfree_jit_lookup(jit, "fix_arch_a") != NULL);
    CHECK(cfree_jit_lookup(jit, "fix_clash_only_here") == NULL);
    OK(jit, cfree_jit_add_source(jit, "a.c", "int fix_arch_a(int);\n"
                                             "int use_a(int x) { return fix_arch_a(x) + fix_clash(); }"));
    CHECK(fn(jit, "use_a")(1) == 7);

    /* Bad files: the path and the reason, the JIT unchanged. */
    gen = cfree_jit_generation(jit);
    FAILS(jit, cfree_jit_add_file(jit, at("no_such_file.c")), CFREE_ERR_JIT, "no_such_file.c");
    FAILS(jit, cfree_jit_add_file(jit, at("aarch64.o")), CFREE_ERR_JIT, "architecture");
    FAILS(jit, cfree_jit_add_file(jit, at("garbage.bin")), CFREE_ERR_JIT, "neither C source");
    FAILS(jit, cfree_jit_add_file(jit, at("truncated.o")), CFREE_ERR_JIT, "truncated.o");
    FAILS(jit, cfree_jit_add_file(jit, at("program")), CFREE_ERR_JIT, "executable");
    FAILS(jit, cfree_jit_add_file(jit, at("bad_archive.a")), CFREE_ERR_JIT, "bad_archive.a");
    FAILS(jit, cfree_jit_add_file(jit, at("broken.so")), CFREE_ERR_JIT, "broken.so");
    FAILS(jit, cfree_jit_add_file(jit, dir), CFREE_ERR_JIT, dir); /* a directory */
    FAILS(jit, cfree_jit_add_file(jit, at("error.c")), CFREE_ERR_COMPILE, "error.c:1:");
    FAILS(jit, cfree_jit_add_file(jit, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    CHECK(cfree_jit_generation(jit) == gen);
    CHECK(fn(jit, "use_a")(1) == 7);

    /* Libraries by name: -L directories first, libNAME.so before libNAME.a. */
    FAILS(jit, cfree_jit_add_library(jit, "fixshared"), CFREE_ERR_JIT, "fixshared");
    OK(jit, cfree_jit_add_library_path(jit, dir));
    CfreeJit *j2 = cfree_jit_new(NULL);
    CHECK(j2 != NULL);
    OK(j2, cfree_jit_add_library_path(j2, dir));
    OK(j2, cfree_jit_add_library(j2, "fixshared"));
    OK(j2, cfree_jit_add_library(j2, "fixarch"));
    OK(j2, cfree_jit_add_library(j2, "m"));
    OK(j2, cfree_jit_add_source(j2, "l.c",
                                "#include <math.h>\n"
                                "int fix_shared_twice(int); int fix_arch_b(int);\n"
                                "int all(int x) { return fix_shared_twice(x) + fix_arch_b(x) + (int)sqrt(81.0); }"));
    CHECK(fn(j2, "all")(2) == 4 + 9 + 9);
    FAILS(j2, cfree_jit_add_library(j2, "cfree_no_such_lib"), CFREE_ERR_JIT, "cfree_no_such_lib");
    FAILS(j2, cfree_jit_add_library(j2, "a/b"), CFREE_ERR_JIT, "not a library name");
    FAILS(j2, cfree_jit_add_library(j2, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    FAILS(j2, cfree_jit_add_library_path(j2, ""), CFREE_ERR_INVALID_ARGUMENT, "empty");
    cfree_jit_free(j2);

    /* -L and -l through the option string; a failing -l adds neither. */
    CfreeJit *j3 = cfree_jit_new(NULL);
    CHECK(j3 != NULL);
    char opt[700];
    snprintf(opt, sizeof opt, "-L'%s' -lfixarch -lcfree_no_such_lib", dir);
    CHECK(cfree_jit_set_options(j3, opt) == -1);
    CHECK(strstr(cfree_jit_last_error(j3), "cfree_no_such_lib"));
    FAILS(j3, cfree_jit_add_library(j3, "fixshared"), CFREE_ERR_JIT, "fixshared"); /* no -L */
    snprintf(opt, sizeof opt, "-L'%s' -lfixarch", dir);
    OK(j3, cfree_jit_set_options(j3, opt));
    OK(j3, cfree_jit_add_source(j3, "o.c", "int fix_arch_a(int); int o(int x) { return fix_arch_a(x); }"));
    CHECK(fn(j3, "o")(41) == 42);
    cfree_jit_free(j3);

    cfree_jit_free(jit);
    puts("files: ok");
    return 0;
}

/* Hot reload from a C host (HOT_RELOAD.md §19): stable addresses, saved pointers, pointers in
 * JIT data, old bodies kept and named, and every refusal leaving the old body active. */
#include "check.h"

static void *last_return_address;

/* Called by the JIT's foo: records a PC inside foo's body, as a debugger's backtrace would. */
static void record_pc(void) { last_return_address = __builtin_return_address(0); }

static const char program[] =
    "void record_pc(void);\n"
    "int foo(int x) { record_pc(); return x + 1; }\n"
    "int (*fp)(int) = foo;\n"
    "int call_fp(int x) { return fp(x); }\n";

static CfreeObj *compile(CfreeJit *jit, const char *src)
{
    CfreeObj *obj = cfree_compile(jit, "replacement.c", src);
    if (!obj) {
        fprintf(stderr, "compile failed: %s\n", cfree_jit_last_error(jit));
        exit(1);
    }
    return obj;
}

/* Reload must fail with `kind` and `needle`, and foo must still compute `expect` for 1. */
static void refused(CfreeJit *jit, const char *src, int kind, const char *needle, int expect)
{
    int (*foo)(int) = (int (*)(int))cfree_jit_lookup(jit, "foo");
    CfreeObj *obj = compile(jit, src);
    CfreeJitReloadOptions ro = {"foo", obj, 0};
    FAILS(jit, cfree_jit_reload_function(jit, &ro), kind, needle);
    CHECK(foo(1) == expect);
    cfree_obj_free(obj);
}

int main(void)
{
    CfreeJitOptions opts;
    memset(&opts, 0, sizeof opts);
    opts.indirection = CFREE_JIT_INDIRECT_EXPORTED_FUNCS;
    CfreeJit *jit = cfree_jit_new(&opts);
    CHECK(jit);
    OK(jit, cfree_jit_add_symbol(jit, "record_pc", (void *)record_pc));
    OK(jit, cfree_jit_add_source(jit, "prog.c", program));

    void *entry = cfree_jit_lookup(jit, "foo");
    int (*foo)(int) = (int (*)(int))entry;
    int (*saved)(int) = foo;
    int (*call_fp)(int) = (int (*)(int))cfree_jit_lookup(jit, "call_fp");
    CHECK(foo(1) == 2 && call_fp(1) == 2);
    void *old_pc = last_return_address;
    const char *name;
    uint64_t off;
    OK(jit, cfree_jit_addr_to_sym(jit, old_pc, &name, &off));
    CHECK(strcmp(name, "foo$body$0") == 0 && off > 0);
    uint64_t gen = cfree_jit_generation(jit);

    CfreeObj *v2 = compile(jit, "void record_pc(void);\n"
                                "int foo(int x) { record_pc(); return x + 100; }\n");
    CfreeJitReloadOptions ro = {"foo", v2, 0};
    OK(jit, cfree_jit_reload_function(jit, &ro));
    cfree_obj_free(v2);
    CHECK(cfree_jit_generation(jit) == gen + 1);
    CHECK(cfree_jit_lookup(jit, "foo") == entry);
    CHECK(foo(1) == 101);
    CHECK(saved(1) == 101);
    CHECK(call_fp(1) == 101);
    OK(jit, cfree_jit_addr_to_sym(jit, last_return_address, &name, &off));
    CHECK(strcmp(name, "foo$body$1") == 0);
    /* The old PC is still described: frames that return into it can be shown. */
    OK(jit, cfree_jit_addr_to_sym(jit, old_pc, &name, &off));
    CHECK(strcmp(name, "foo$body$0") == 0);

    /* Refusals: each leaves body 1 active. */
    refused(jit, "int foo(long x, long y) { return 0; }", CFREE_ERR_RELOAD, "parameter", 101);
    refused(jit, "float foo(int x) { return 0; }", CFREE_ERR_RELOAD, "return", 101);
    refused(jit, "int n; int foo(int x) { return n++; }", CFREE_ERR_RELOAD, "`n`", 101);
    refused(jit, "int foo(int x) { return x; } int call_fp(int x) { return x; }",
            CFREE_ERR_RELOAD, "public symbol `call_fp`", 101);
    refused(jit, "int other(int); int foo(int x) { return other(x); }", CFREE_ERR_LINK, "other",
            101);

    /* An unchecked reload of a replacement built elsewhere: same mechanism, no records. */
    CfreeObj *v3 = compile(jit, "int foo(int x) { return x * 7; }");
    CfreeJitReloadOptions unchecked = {"foo", v3, CFREE_RELOAD_UNCHECKED_ABI};
    OK(jit, cfree_jit_reload_function(jit, &unchecked));
    cfree_obj_free(v3);
    CHECK(foo(3) == 21 && saved(3) == 21 && call_fp(3) == 21);

    /* Unknown and data names. */
    CfreeObj *v4 = compile(jit, "int foo(int x) { return x; }");
    CfreeJitReloadOptions bad = {"nope", v4, 0};
    FAILS(jit, cfree_jit_reload_function(jit, &bad), CFREE_ERR_RELOAD, "no function");
    bad.symbol = "fp";
    FAILS(jit, cfree_jit_reload_function(jit, &bad), CFREE_ERR_RELOAD, "not a function");
    bad.symbol = NULL;
    FAILS(jit, cfree_jit_reload_function(jit, &bad), CFREE_ERR_INVALID_ARGUMENT, "symbol");
    cfree_obj_free(v4);

    cfree_jit_free(jit);
    puts("reload: ok");
    return 0;
}

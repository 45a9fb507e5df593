/* An image on another architecture from a C host: the options name the target, the code
 * runs in cfree's executor under qemu-user, lookups give the target's addresses, and calls,
 * appends and reloads go through the executor. The target is argv[1]; with no argument,
 * the host's own image is driven through the same calls. */
#include "check.h"

static CfreeValue int_arg(uint64_t v) { CfreeValue a; a.kind = CFREE_VALUE_INT; a.as.i = v; return a; }
static CfreeValue dbl_arg(double v) { CfreeValue a; a.kind = CFREE_VALUE_DOUBLE; a.as.d = v; return a; }
static CfreeValue flt_arg(float v) { CfreeValue a; a.kind = CFREE_VALUE_FLOAT; a.as.f = v; return a; }

static long call_int(CfreeJit *jit, const char *name, const CfreeValue *args, size_t n)
{
    CfreeValue r;
    OK(jit, cfree_jit_call(jit, name, args, n, CFREE_VALUE_INT, &r));
    CHECK(r.kind == CFREE_VALUE_INT);
    return (long)r.as.i;
}

int main(int argc, char **argv)
{
    CfreeJitOptions opts;
    memset(&opts, 0, sizeof opts);
    opts.indirection = CFREE_JIT_INDIRECT_EXPORTED_FUNCS;
    opts.target = argc > 1 ? argv[1] : NULL;
    CfreeJit *jit = cfree_jit_new(&opts);
    if (!jit) {
        fprintf(stderr, "cfree_jit_new: %s\n", cfree_jit_last_error(NULL));
        return 1;
    }
    OK(jit, cfree_jit_add_source(jit, "lib.c",
                                 "long weigh(long a, double w, float f) { return (long)(a * w + f); }\n"
                                 "double mean(double a, double b) { return (a + b) / 2; }\n"
                                 "int version(void) { return 1; }\n"));
    OK(jit, cfree_jit_add_source(jit, "use.c",
                                 "int version(void);\nint twice_version(void) { return 2 * version(); }\n"));
    CfreeValue args[3] = {int_arg(10), dbl_arg(2.5), flt_arg(0.5f)};
    CHECK(call_int(jit, "weigh", args, 3) == 25);
    CfreeValue m;
    CfreeValue margs[2] = {dbl_arg(1.0), dbl_arg(4.0)};
    OK(jit, cfree_jit_call(jit, "mean", margs, 2, CFREE_VALUE_DOUBLE, &m));
    CHECK(m.kind == CFREE_VALUE_DOUBLE && m.as.d == 2.5);
    CHECK(call_int(jit, "twice_version", NULL, 0) == 2);

    /* Reload through the executor: same address, callers see the new body. */
    void *entry = cfree_jit_lookup(jit, "version");
    CHECK(entry);
    CfreeObj *obj = cfree_compile(jit, "v2.c", "int version(void) { return 21; }\n");
    CHECK(obj);
    CfreeJitReloadOptions ro = {"version", obj, 0};
    OK(jit, cfree_jit_reload_function(jit, &ro));
    cfree_obj_free(obj);
    CHECK(cfree_jit_lookup(jit, "version") == entry);
    CHECK(call_int(jit, "twice_version", NULL, 0) == 42);

    /* Refusals change nothing. */
    FAILS(jit, cfree_jit_add_source(jit, "bad.c", "int f(void) { return missing(); }\n"),
          CFREE_ERR_LINK, "missing");
    FAILS(jit, cfree_jit_call(jit, "nowhere", NULL, 0, CFREE_VALUE_INT, NULL), CFREE_ERR_JIT,
          "nowhere");
    CfreeValue nine[9];
    for (int i = 0; i < 9; i++)
        nine[i] = int_arg((uint64_t)i);
    FAILS(jit, cfree_jit_call(jit, "weigh", nine, 9, CFREE_VALUE_INT, NULL), CFREE_ERR_JIT,
          "at most 8");
    CHECK(call_int(jit, "twice_version", NULL, 0) == 42);

    const char *type = cfree_jit_function_type(jit, "weigh");
    CHECK(type && strcmp(type, "long (long, double, float)") == 0);
    cfree_jit_free(jit);
    printf("remote: ok\n");
    return 0;
}

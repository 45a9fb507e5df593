/* One thread calls a reloadable function in a tight loop (through its entry, through a pointer
 * saved before any reload, and through a pointer stored in JIT data) while the main thread
 * reloads it thousands of times. Generation K returns K * 1000004: any torn or mixed call
 * would return something else. */
#include <pthread.h>
#include <stdatomic.h>

#include "check.h"

#define RELOADS 2000

typedef long (*long_fn)(void);

static atomic_int stop;
static long_fn paths[3];
static long calls, last_gen;

static void *caller(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        for (int i = 0; i < 3; i++) {
            long v = paths[i]();
            long k = v / 1000004;
            CHECK(v == k * 1000004);
            CHECK(k >= 0 && k <= RELOADS);
            CHECK(k >= last_gen);
            last_gen = k;
            calls++;
        }
    }
    return NULL;
}

int main(void)
{
    CfreeJitOptions opts;
    memset(&opts, 0, sizeof opts);
    opts.indirection = CFREE_JIT_INDIRECT_EXPORTED_FUNCS;
    CfreeJit *jit = cfree_jit_new(&opts);
    CHECK(jit);
    OK(jit, cfree_jit_add_source(jit, "val.c",
                                 "long val(void) { return 0; }\n"
                                 "long (*val_ptr)(void) = val;\n"
                                 "long via_data(void) { return val_ptr(); }\n"));
    paths[0] = (long_fn)cfree_jit_lookup(jit, "val");
    paths[1] = paths[0];
    paths[2] = (long_fn)cfree_jit_lookup(jit, "via_data");
    CHECK(paths[0] && paths[2]);

    pthread_t t;
    CHECK(pthread_create(&t, NULL, caller, NULL) == 0);
    char src[128];
    for (int k = 1; k <= RELOADS; k++) {
        snprintf(src, sizeof src, "long val(void) { return %dL * 1000003L + %dL; }", k, k);
        CfreeObj *obj = cfree_compile(jit, "val.c", src);
        CHECK(obj);
        CfreeJitReloadOptions ro = {"val", obj, 0};
        OK(jit, cfree_jit_reload_function(jit, &ro));
        cfree_obj_free(obj);
    }
    atomic_store(&stop, 1);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(calls > 0);
    CHECK(paths[0]() == (long)RELOADS * 1000004);
    CHECK(cfree_jit_generation(jit) == RELOADS + 1);
    cfree_jit_free(jit);
    printf("stress: ok (%ld concurrent calls)\n", calls);
    return 0;
}

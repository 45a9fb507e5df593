/* Thousands of appends to one JIT through the C API, each snippet calling the previous one;
 * no address ever changes. */
#include "check.h"

#define N 2000

int main(void)
{
    static void *addrs[N];
    char src[160], name[32], file[32];
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit);
    OK(jit, cfree_jit_add_source(jit, "s0.c", "long s0(void) { return 0; }"));
    addrs[0] = cfree_jit_lookup(jit, "s0");
    for (int i = 1; i < N; i++) {
        snprintf(src, sizeof src, "long s%d(void);\nlong s%d(void) { return s%d() + %d; }", i - 1,
                 i, i - 1, i);
        snprintf(file, sizeof file, "s%d.c", i);
        OK(jit, cfree_jit_add_source(jit, file, src));
        snprintf(name, sizeof name, "s%d", i);
        addrs[i] = cfree_jit_lookup(jit, name);
        CHECK(addrs[i]);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "s%d", i);
        CHECK(cfree_jit_lookup(jit, name) == addrs[i]);
    }
    long (*last)(void) = (long (*)(void))addrs[N - 1];
    CHECK(last() == (long)N * (N - 1) / 2);
    CHECK(cfree_jit_generation(jit) == N);
    cfree_jit_free(jit);
    puts("snippets: ok");
    return 0;
}

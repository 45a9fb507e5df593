/* Two threads share one JIT. One keeps failing a compile and reads its error; the other keeps
 * succeeding. Each sees the outcome of its own last call (like errno), and the string one
 * thread holds is never freed or changed by the other thread's calls. */
#include <pthread.h>

#include "check.h"

static CfreeJit *jit;
enum { ROUNDS = 4000 };

static void *failing(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        CHECK(cfree_compile(jit, "bad.c", "int broken = ;\n") == NULL);
        const char *msg = cfree_jit_last_error(jit);
        CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_COMPILE);
        /* Read it twice, apart: it must not change under us. */
        CHECK(strstr(msg, "bad.c:1:") != NULL);
        for (volatile int spin = 0; spin < 200; spin++) {
        }
        CHECK(strstr(msg, "bad.c:1:") != NULL);
    }
    return NULL;
}

static void *succeeding(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS * 4; i++) {
        CHECK(cfree_jit_lookup(jit, "answer") != NULL);
        CHECK(cfree_jit_last_error_kind(jit) == CFREE_OK);
        CHECK(cfree_jit_last_error(jit)[0] == '\0');
    }
    return NULL;
}

int main(void) {
    jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);
    OK(jit, cfree_jit_add_source(jit, "a.c", "int answer(void) { return 42; }\n"));
    pthread_t a, b;
    CHECK(pthread_create(&a, NULL, failing, NULL) == 0);
    CHECK(pthread_create(&b, NULL, succeeding, NULL) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    CHECK(pthread_join(b, NULL) == 0);
    /* This thread made no failing call: nothing to report. */
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_OK);
    cfree_jit_free(jit);
    printf("errors_threads: ok\n");
    return 0;
}

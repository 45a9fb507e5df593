/* mimalloc driver for tests/programs.rs (libmimalloc-sys ships no tests): a deterministic
 * workload of mi_malloc/calloc/realloc/aligned/free across sizes and threads that checks the
 * contents and alignment of every block and prints only address-independent results. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <pthread.h>
#include "mimalloc.h"

#define SLOTS 4096

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned long long *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (unsigned)(*s >> 11);
}

static unsigned long workload(unsigned long long seed, int rounds) {
    static __thread unsigned char *slot[SLOTS];
    static __thread size_t size[SLOTS];
    unsigned long sum = 0, bad = 0;
    int r, i;
    for (r = 0; r < rounds; r++) {
        i = rnd(&seed) % SLOTS;
        if (slot[i]) {
            size_t k;
            for (k = 0; k < size[i]; k++)
                if (slot[i][k] != (unsigned char)(i + k))
                    bad++;
            sum += size[i];
            if (rnd(&seed) % 4 == 0) {
                size_t n = 1 + rnd(&seed) % 3000;
                unsigned char *p = mi_realloc(slot[i], n);
                for (k = size[i] < n ? size[i] : n; k < n; k++)
                    p[k] = (unsigned char)(i + k);
                for (k = 0; k < n; k++)
                    if (p[k] != (unsigned char)(i + k))
                        bad++;
                slot[i] = p;
                size[i] = n;
                continue;
            }
            mi_free(slot[i]);
            slot[i] = NULL;
        } else {
            unsigned kind = rnd(&seed) % 8;
            size_t n = kind == 0 ? 1 + rnd(&seed) % 200000 : 1 + rnd(&seed) % (kind * 64);
            size_t k;
            unsigned char *p;
            if (kind == 1) {
                p = mi_calloc(n, 1);
                for (k = 0; k < n; k++)
                    if (p[k])
                        bad++;
            } else if (kind == 2) {
                p = mi_malloc_aligned(n, 256);
                if ((uintptr_t)p % 256)
                    bad++;
            } else {
                p = mi_malloc(n);
            }
            if (mi_usable_size(p) < n)
                bad++;
            for (k = 0; k < n; k++)
                p[k] = (unsigned char)(i + k);
            slot[i] = p;
            size[i] = n;
        }
    }
    for (i = 0; i < SLOTS; i++) {
        mi_free(slot[i]);
        slot[i] = NULL;
    }
    return bad ? 0 : sum; /* 0: a block was corrupted */
}

static void *thread_main(void *arg) {
    unsigned long long seed = (unsigned long long)(uintptr_t)arg * 2654435761ULL + 1;
    return (void *)(uintptr_t)workload(seed, 40000);
}

int main(void) {
    pthread_t t[4];
    int i;
    char *s = mi_strdup("mimalloc strdup");
    char *z = mi_zalloc(100);
    int zero = 1;
    for (i = 0; i < 100; i++)
        zero &= z[i] == 0;
    printf("version %d strdup '%s' zalloc zero %d\n", mi_version() / 100, s, zero);
    mi_free(s);
    mi_free(z);
    printf("main workload: %lu\n", workload(rng_state, 200000));
    for (i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)(i + 1));
    for (i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        printf("thread %d workload: %lu\n", i + 1, (unsigned long)(uintptr_t)ret);
    }
    {
        mi_heap_t *h = mi_heap_new();
        unsigned long n = 0;
        for (i = 0; i < 10000; i++) {
            char *p = mi_heap_malloc(h, 1 + i % 500);
            p[0] = (char)i;
            n += (unsigned char)p[0];
        }
        mi_heap_destroy(h);
        printf("heap: %lu\n", n);
    }
    return 0;
}

/* Minimal assertion helpers shared by the C API host tests. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfree.h"

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* The call succeeded, or print the JIT's error and fail. */
#define OK(jit, call)                                                                  \
    do {                                                                               \
        if ((call) != 0) {                                                             \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,       \
                    cfree_jit_last_error(jit));                                        \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* The call failed with `kind`, the message mentions `needle`, and the generation did not
 * change. */
#define FAILS(jit, call, kind, needle)                                                 \
    do {                                                                               \
        uint64_t gen_before_ = cfree_jit_generation(jit);                              \
        CHECK((call) != 0);                                                            \
        CHECK(cfree_jit_last_error_kind(jit) == (kind));                               \
        if (!strstr(cfree_jit_last_error(jit), (needle))) {                            \
            fprintf(stderr, "%s:%d: error lacks \"%s\":\n%s\n", __FILE__, __LINE__,    \
                    (needle), cfree_jit_last_error(jit));                              \
            exit(1);                                                                   \
        }                                                                              \
        CHECK(cfree_jit_generation(jit) == gen_before_);                               \
    } while (0)

#endif

/* cfree's <mm_malloc.h>: aligned allocation for SIMD data, over posix_memalign. */
#ifndef __CFREE_MM_MALLOC_H
#define __CFREE_MM_MALLOC_H

#include <stdlib.h>

/* Declared here too: <stdlib.h> hides it in strict ISO modes. */
extern int posix_memalign(void **, size_t, size_t);

static __inline__ __attribute__((__unused__)) void *_mm_malloc(size_t __size, size_t __align) {
    void *__p;
    if (__align == 1)
        return malloc(__size);
    if (__align < sizeof(void *))
        __align = sizeof(void *);
    if (posix_memalign(&__p, __align, __size) != 0)
        return 0;
    return __p;
}

static __inline__ __attribute__((__unused__)) void _mm_free(void *__p) { free(__p); }

#endif

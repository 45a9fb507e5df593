/* Header for tests/c/include_header.c, found through -I (angle-bracket include). */
#ifndef CFREE_TEST_UTIL_H
#define CFREE_TEST_UTIL_H

#include <stdio.h>

#define CHECK(cond) check_impl((cond), #cond, __FILE__, __LINE__)

static int check_failures;

static inline void check_impl(int ok, const char *what, const char *file, int line)
{
    const char *base = file;
    for (const char *p = file; *p; p++)
        if (*p == '/')
            base = p + 1;
    printf("%s %s (%s:%d)\n", ok ? "ok  " : "FAIL", what, base, line);
    if (!ok)
        check_failures++;
}

#endif

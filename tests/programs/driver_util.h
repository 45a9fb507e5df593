/* Shared by the compression drivers of tests/programs.rs: a 64-bit FNV-1a hash (equal
 * hashes mean byte-identical compressed streams) and reading a whole file. */
#ifndef DRIVER_UTIL_H
#define DRIVER_UTIL_H
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fnv(const unsigned char *p, size_t n) {
    unsigned long long h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n ? n : 1);
    *len = fread(buf, 1, n, f);
    fclose(f);
    return buf;
}

#endif

/* A program looks for a writable shared mapping of the memory its own code lives in (the
   way a JIT's double mapping could expose one) and, if it finds one, overwrites a function
   through it. A program built by gcc finds none; neither may one run by cfree. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int victim(void) { return 7; }

struct map { uintptr_t lo, hi, off; char perms[8]; unsigned long inode; };

static int read_map(FILE *f, struct map *m) {
    char line[512];
    if (!fgets(line, sizeof line, f))
        return 0;
    unsigned long lo, hi, off, inode;
    char perms[8], dev[32];
    if (sscanf(line, "%lx-%lx %7s %lx %31s %lu", &lo, &hi, perms, &off, dev, &inode) != 6)
        return -1;
    m->lo = lo, m->hi = hi, m->off = off, m->inode = inode;
    strcpy(m->perms, perms);
    return 1;
}

/* The mapping that holds `addr`, read from /proc/self/maps. */
static int find_code(uintptr_t addr, struct map *out) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 0;
    struct map m;
    int r, found = 0;
    while ((r = read_map(f, &m)) != 0)
        if (r > 0 && addr >= m.lo && addr < m.hi) {
            *out = m;
            found = 1;
        }
    fclose(f);
    return found;
}

int main(void) {
    uintptr_t code = (uintptr_t)&victim;
    struct map c;
    int patched = 0;
    if (find_code(code, &c) && c.inode != 0) {
        FILE *f = fopen("/proc/self/maps", "r");
        struct map m;
        int r;
        while (f && (r = read_map(f, &m)) != 0) {
            if (r <= 0 || m.inode != c.inode || m.perms[1] != 'w' || m.perms[3] != 's')
                continue;
            uintptr_t file_off = code - c.lo + c.off;
            if (file_off < m.off || file_off >= m.off + (m.hi - m.lo))
                continue;
            unsigned char *alias = (unsigned char *)(m.lo + (file_off - m.off));
#if defined(__x86_64__)
            static const unsigned char ret99[] = {0xb8, 99, 0, 0, 0, 0xc3};
#elif defined(__aarch64__)
            static const unsigned char ret99[] = {0x60, 0x0c, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6};
#else
            static const unsigned char ret99[] = {0x13, 0x05, 0x30, 0x06, 0x67, 0x80, 0x00, 0x00};
#endif
            memcpy(alias, ret99, sizeof ret99);
            __builtin___clear_cache((char *)code, (char *)code + sizeof ret99);
            patched = 1;
        }
        if (f)
            fclose(f);
    }
    printf("victim() = %d\n", victim());
    return patched;
}

/* GNU attributes and builtins: packed, aligned, __builtin_offsetof, __builtin_expect,
 * unused, noinline, always_inline, constructor. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct __attribute__((packed)) packed_hdr {
    uint8_t type;
    uint32_t length;
    uint16_t flags;
    uint64_t id;
};

struct normal_hdr {
    uint8_t type;
    uint32_t length;
    uint16_t flags;
    uint64_t id;
};

struct aligned_s {
    char c;
    int x __attribute__((aligned(16)));
};

struct __attribute__((aligned(64))) cacheline { int v; };

typedef int aligned_int __attribute__((aligned(8)));

struct partly {
    char a;
    int b __attribute__((packed));
    char c;
};

static int constructed;
__attribute__((constructor)) static void init_early(void) { constructed = 42; }

__attribute__((noinline)) static int slow_add(int a, int b) { return a + b; }
static inline __attribute__((always_inline)) int fast_add(int a, int b) { return a + b; }
__attribute__((unused)) static int never_called(void) { return 0; }

static int count_positive(const int *v, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (__builtin_expect(v[i] > 0, 1))
            c++;
    return c;
}

int main(void)
{
    printf("packed %zu normal %zu\n", sizeof(struct packed_hdr), sizeof(struct normal_hdr));
    printf("packed offsets %zu %zu %zu\n", __builtin_offsetof(struct packed_hdr, length),
           __builtin_offsetof(struct packed_hdr, flags), offsetof(struct packed_hdr, id));
    printf("normal offsets %zu %zu %zu\n", __builtin_offsetof(struct normal_hdr, length),
           __builtin_offsetof(struct normal_hdr, flags), offsetof(struct normal_hdr, id));

    struct packed_hdr h;
    h.type = 1;
    h.length = 0x11223344;
    h.flags = 0xabcd;
    h.id = 0x0102030405060708ULL;
    unsigned char raw[sizeof h];
    memcpy(raw, &h, sizeof h);
    for (size_t i = 0; i < sizeof h; i++)
        printf("%02x", raw[i]);
    printf("\n");
    h.length += 1;
    printf("%x %x %llx\n", h.length, h.flags, (unsigned long long)h.id);

    printf("aligned_s %zu align %zu offset %zu\n", sizeof(struct aligned_s),
           _Alignof(struct aligned_s), offsetof(struct aligned_s, x));
    printf("cacheline %zu align %zu\n", sizeof(struct cacheline), _Alignof(struct cacheline));
    printf("aligned_int align %zu\n", _Alignof(aligned_int));
    printf("partly %zu offsets %zu %zu\n", sizeof(struct partly), offsetof(struct partly, b),
           offsetof(struct partly, c));

    static char buf[10] __attribute__((aligned(32)));
    printf("buf aligned %d\n", (int)((uintptr_t)buf % 32));
    struct cacheline lines[3];
    printf("lines aligned %d %d\n", (int)((uintptr_t)&lines[1] % 64),
           (int)((char *)&lines[2] - (char *)&lines[0]));

    printf("constructor ran %d\n", constructed);
    printf("%d %d\n", slow_add(2, 3), fast_add(4, 5));
    int vals[] = {3, -1, 4, -1, 5, 9, -2, 6};
    printf("positive %d\n", count_positive(vals, 8));
    if (__builtin_expect(constructed == 0, 0))
        printf("unexpected\n");
    return 0;
}

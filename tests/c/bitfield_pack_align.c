/* Bit-field layout under #pragma pack(n) (gcc places them contiguously, without the
   one-unit rule), under the packed attribute, and with aligned(N) on a bit-field; values
   written and read back through the fields. */
#include <stdio.h>
#include <string.h>
#pragma pack(push, 1)
struct P1 { unsigned x : 12; unsigned char y : 7; unsigned z : 28; unsigned a : 4; unsigned b : 5; };
#pragma pack(pop)
#pragma pack(push, 2)
struct P2 { char c; unsigned x : 20; unsigned short s : 9; unsigned long long q : 40; int t : 3; };
#pragma pack(pop)
#pragma pack(push, 4)
struct P4 { char c; unsigned long long q : 33; unsigned x : 31; short h : 5; };
#pragma pack(pop)
struct __attribute__((packed)) R { unsigned x : 12; unsigned char y : 7; unsigned z : 28; unsigned a : 4; unsigned b : 5; };
struct A { char c; char a : 4 __attribute__((aligned(16))); int after; };
struct B { int i : 3; int j : 5 __attribute__((aligned(8))); char k; };
static void dump(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}
int main(void) {
    printf("%zu %zu %zu %zu %zu %zu\n", sizeof(struct P1), sizeof(struct P2), sizeof(struct P4),
           sizeof(struct R), sizeof(struct A), sizeof(struct B));
    printf("%zu %zu %zu %zu %zu %zu\n", _Alignof(struct P1), _Alignof(struct P2), _Alignof(struct P4),
           _Alignof(struct R), _Alignof(struct A), _Alignof(struct B));
    struct P1 p1; memset(&p1, 0, sizeof p1);
    p1.x = 0xabc; p1.y = 0x55; p1.z = 0x9abcdef; p1.a = 9; p1.b = 0x13;
    dump(&p1, sizeof p1);
    printf("%x %x %x %x %x\n", p1.x, p1.y, p1.z, p1.a, p1.b);
    struct P2 p2; memset(&p2, 0, sizeof p2);
    p2.c = 1; p2.x = 0xfedcb; p2.s = 0x1a5; p2.q = 0x123456789aULL; p2.t = -3;
    dump(&p2, sizeof p2);
    printf("%x %x %llx %d\n", p2.x, p2.s, (unsigned long long)p2.q, p2.t);
    struct P4 p4; memset(&p4, 0, sizeof p4);
    p4.q = 0x1deadbeefULL; p4.x = 0x7ffffff0; p4.h = -7;
    dump(&p4, sizeof p4);
    printf("%llx %x %d\n", (unsigned long long)p4.q, p4.x, p4.h);
    struct A a; memset(&a, 0, sizeof a);
    a.a = -2; a.after = 77;
    printf("%d %d %zu\n", a.a, a.after, (size_t)((char *)&a.after - (char *)&a));
    struct B bb; memset(&bb, 0, sizeof bb);
    bb.i = -1; bb.j = 11; bb.k = 'k';
    dump(&bb, sizeof bb);
    return 0;
}

/* Bit-fields: signed/unsigned, packing, overflow wrap, in unions, sizeof, unnamed fields. */
#include <stdio.h>
#include <string.h>

struct flags {
    unsigned a : 1;
    unsigned b : 3;
    unsigned c : 4;
    signed d : 4;
    int e : 5;
    unsigned : 0;
    unsigned f : 7;
};

struct packed_date {
    unsigned day : 5;
    unsigned month : 4;
    unsigned year : 12;
};

struct mixed {
    char tag;
    unsigned x : 3;
    unsigned long long big : 40;
    short s;
    unsigned y : 10;
};

union reg {
    unsigned raw;
    struct {
        unsigned lo : 8;
        unsigned mid : 16;
        unsigned hi : 8;
    } f;
};

struct with_gap { unsigned a : 3; unsigned : 5; unsigned b : 8; };

int main(void)
{
    struct flags fl;
    memset(&fl, 0, sizeof fl);
    fl.a = 1;
    fl.b = 5;
    fl.c = 15;
    fl.d = -3;
    fl.e = 15;
    fl.f = 100;
    printf("%u %u %u %d %d %u\n", fl.a, fl.b, fl.c, fl.d, fl.e, fl.f);
    printf("sizeof flags %zu\n", sizeof(struct flags));

    /* unsigned overflow wraps modulo 2^width */
    fl.b = 9;
    fl.c += 3;
    fl.a++;
    printf("wrap %u %u %u\n", fl.b, fl.c, fl.a);
    /* signed bit-field: out-of-range stores are implementation-defined (gcc: modulo) */
    fl.d = 7;
    fl.d++;
    printf("signed wrap %d\n", fl.d);
    fl.e = -16;
    printf("min %d\n", fl.e);

    struct packed_date dt;
    memset(&dt, 0, sizeof dt); /* so that the padding bits read below are zero */
    dt.day = 31;
    dt.month = 12;
    dt.year = 2024;
    printf("%u-%u-%u size %zu\n", dt.year, dt.month, dt.day, sizeof dt);
    unsigned raw;
    memcpy(&raw, &dt, sizeof raw);
    printf("raw %08x\n", raw);

    struct mixed mx;
    memset(&mx, 0, sizeof mx);
    mx.tag = 'q';
    mx.x = 6;
    mx.big = 0xfedcba9876ULL;
    mx.s = -7;
    mx.y = 1023;
    printf("%c %u %llx %d %u size %zu\n", mx.tag, mx.x, (unsigned long long)mx.big, mx.s,
           mx.y, sizeof mx);

    union reg r;
    r.raw = 0xa1b2c3d4;
    printf("lo %x mid %x hi %x\n", r.f.lo, r.f.mid, r.f.hi);
    r.f.mid = 0x1234;
    printf("raw %x\n", r.raw);

    struct with_gap wg;
    memset(&wg, 0, sizeof wg);
    wg.a = 7;
    wg.b = 255;
    unsigned wraw = 0;
    memcpy(&wraw, &wg, sizeof wg < sizeof wraw ? sizeof wg : sizeof wraw);
    printf("gap %u %u raw %x size %zu\n", wg.a, wg.b, wraw, sizeof wg);

    /* bit-fields in expressions promote to int */
    struct { unsigned u3 : 3; } s3 = {7};
    printf("%d %d\n", s3.u3 + 1, s3.u3 - 8 < 0);
    return 0;
}

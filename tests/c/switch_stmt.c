/* switch: fallthrough, default in the middle, sparse and dense cases, nesting, Duff's device. */
#include <stdio.h>

static const char *classify(int x)
{
    switch (x) {
    case 0:
        return "zero";
    default:
        return "other";
    case 1:
    case 3:
    case 5:
        return "small odd";
    case 2:
    case 4:
        return "small even";
    case 1000000:
        return "million";
    case -7:
        return "minus seven";
    }
}

static int fallthrough(int x)
{
    int r = 0;
    switch (x) {
    case 1: r += 1; /* fall through */
    case 2: r += 10; /* fall through */
    case 3: r += 100; break;
    case 4: r += 1000; /* fall through */
    default: r += 10000;
    }
    return r;
}

static int dense(unsigned char c)
{
    switch (c) {
    case 'a': return 1; case 'b': return 2; case 'c': return 3; case 'd': return 4;
    case 'e': return 5; case 'f': return 6; case 'g': return 7; case 'h': return 8;
    case 'i': return 9; case 'j': return 10; case 'k': return 11; case 'l': return 12;
    case 255: return 255;
    }
    return 0;
}

static long sparse(long long v)
{
    switch (v) {
    case 1: return 1;
    case 1LL << 40: return 40;
    case -(1LL << 50): return -50;
    case 0x7fffffffffffffffLL: return 63;
    case 12345: return 5;
    }
    return -1;
}

static void copy_duff(char *to, const char *from, int count)
{
    int n = (count + 7) / 8;
    switch (count % 8) {
    case 0: do { *to++ = *from++;
    case 7:      *to++ = *from++;
    case 6:      *to++ = *from++;
    case 5:      *to++ = *from++;
    case 4:      *to++ = *from++;
    case 3:      *to++ = *from++;
    case 2:      *to++ = *from++;
    case 1:      *to++ = *from++;
            } while (--n > 0);
    }
}

int main(void)
{
    int tests[] = {0, 1, 2, 3, 4, 5, 6, -7, 1000000, 999};
    for (int i = 0; i < 10; i++)
        printf("%d:%s ", tests[i], classify(tests[i]));
    printf("\n");
    for (int i = 0; i <= 5; i++)
        printf("%d ", fallthrough(i));
    printf("\n");
    int dsum = 0;
    for (int c = 0; c < 256; c++)
        dsum += dense((unsigned char)c);
    printf("dense %d\n", dsum);
    long long sv[] = {1, 1LL << 40, -(1LL << 50), 0x7fffffffffffffffLL, 12345, 7};
    for (int i = 0; i < 6; i++)
        printf("%ld ", sparse(sv[i]));
    printf("\n");

    /* nested switches and break/continue interplay */
    int count = 0;
    for (int i = 0; i < 6; i++) {
        switch (i % 3) {
        case 0:
            switch (i) {
            case 0: count += 1; break;
            case 3: count += 2; continue;
            }
            count += 10;
            break;
        case 1:
            continue;
        default:
            count += 100;
        }
        count += 1000;
    }
    printf("count %d\n", count);

    char dst[32] = {0};
    const char *src = "Duff's device copies!";
    for (int len = 1; len <= 21; len += 5) {
        copy_duff(dst, src, len);
        dst[len] = 0;
        printf("[%s]", dst);
    }
    printf("\n");

    /* switch on enum and char with no matching case and no default */
    enum { X, Y, Z } e = Z;
    int hit = 0;
    switch (e) { case X: hit = 1; break; case Y: hit = 2; break; }
    printf("hit %d\n", hit);

    /* declarations inside switch bodies */
    switch (2) {
    case 2: {
        int local = 42;
        printf("local %d\n", local);
    }
    }
    return 0;
}

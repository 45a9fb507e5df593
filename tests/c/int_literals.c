/* Types and values of integer constants: bases, suffixes, large values, char constants. */
#include <stdio.h>

#define TYPE_NAME(x) _Generic((x),                         \
    int: "int", unsigned int: "unsigned int",              \
    long: "long", unsigned long: "unsigned long",          \
    long long: "long long",                                \
    unsigned long long: "unsigned long long",              \
    default: "other")

#define SHOW(x) printf("%-24s %-20s\n", #x, TYPE_NAME(x))

int main(void)
{
    SHOW(0);
    SHOW(42);
    SHOW(2147483647);
    SHOW(2147483648);
    SHOW(0x7fffffff);
    SHOW(0x80000000);
    SHOW(0xffffffff);
    SHOW(0x100000000);
    SHOW(017777777777);
    SHOW(020000000000);
    SHOW(9223372036854775807);
    SHOW(0x8000000000000000);
    SHOW(0xffffffffffffffff);
    SHOW(42u);
    SHOW(42U);
    SHOW(42l);
    SHOW(42L);
    SHOW(42ul);
    SHOW(42LU);
    SHOW(42ll);
    SHOW(42LL);
    SHOW(42ull);
    SHOW(42LLU);
    SHOW(4294967296u);
    SHOW('a');
    SHOW(-1);

    printf("%d %d %d\n", 0x1F, 017, 0b101);
    printf("%u\n", 0xdeadbeef);
    printf("%lu\n", 0xdeadbeefcafeUL);
    printf("%llu\n", 18446744073709551615ULL);
    printf("%lld\n", -9223372036854775807LL - 1);
    printf("%ld\n", 1000000L * 1000000L);
    printf("%d %d %d %d\n", 'A', '\n', '\0', '\x7f');
    printf("%d %d\n", '\101', '\\');
    printf("%d\n", (int)sizeof('x'));
    printf("%d\n", 'ab');
    printf("%d\n", (char)'\xff');
    printf("%d\n", 0x7fffffffffffffffLL + 0 == 9223372036854775807LL);
    return 0;
}

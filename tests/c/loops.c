/* Loops: for with declarations, while, do/while, break/continue in nested loops, empty bodies. */
#include <stdio.h>

int main(void)
{
    /* for with multiple declarations and comma expressions */
    for (int i = 0, j = 10; i < j; i += 2, j--)
        printf("(%d,%d)", i, j);
    printf("\n");

    /* shadowing in nested for scopes */
    int i = 100;
    for (int i = 0; i < 3; i++)
        for (int i = 5; i < 7; i++)
            printf("%d", i);
    printf(" outer %d\n", i);

    /* do/while runs at least once */
    int n = 0;
    do
        n++;
    while (n < 0);
    printf("do once %d\n", n);
    do {
        n *= 3;
    } while (n < 100);
    printf("do %d\n", n);

    /* while with complex condition and empty body */
    const char *s = "   leading spaces";
    while (*s == ' ' && *s++)
        ;
    printf("[%s]\n", s);

    /* break and continue in nested loops */
    int primes = 0;
    for (int k = 2; k < 100; k++) {
        int is_prime = 1;
        for (int d = 2; d * d <= k; d++) {
            if (k % d == 0) {
                is_prime = 0;
                break;
            }
        }
        if (!is_prime)
            continue;
        primes++;
        if (primes > 20)
            break;
        printf("%d ", k);
    }
    printf("\nprimes %d\n", primes);

    /* continue in do/while goes to the condition */
    int c = 0, evens = 0;
    do {
        c++;
        if (c % 2)
            continue;
        evens++;
    } while (c < 10);
    printf("evens %d\n", evens);

    /* infinite loop with break */
    unsigned x = 27, steps = 0;
    for (;;) {
        if (x == 1)
            break;
        x = x % 2 ? 3 * x + 1 : x / 2;
        steps++;
    }
    printf("steps %u\n", steps);

    /* while(1) with nested loop break */
    int found = -1;
    int grid[4][4] = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}};
    int r = 0;
    while (1) {
        int col;
        for (col = 0; col < 4; col++)
            if (grid[r][col] == 11)
                break;
        if (col < 4) {
            found = r * 10 + col;
            break;
        }
        r++;
    }
    printf("found %d\n", found);

    /* loop counting down with unsigned */
    unsigned total = 0;
    for (unsigned u = 10; u-- > 0;)
        total += u;
    printf("total %u\n", total);

    /* loop with a char counter */
    int letters = 0;
    for (char ch = 'a'; ch <= 'z'; ch++)
        letters++;
    printf("letters %d\n", letters);

    /* nested loops building a multiplication table checksum */
    long chk = 0;
    for (int a = 1; a <= 12; a++)
        for (int b = 1; b <= 12; b++)
            chk = chk * 31 % 1000003 + a * b;
    printf("chk %ld\n", chk);
    return 0;
}

/* Recursion: fib, ackermann, mutual recursion, permutations, towers of Hanoi, flood fill. */
#include <stdio.h>

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ack(int m, int n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static int moves;
static void hanoi(int n, char from, char to, char via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    if (n >= 4)
        printf("move disk %d %c->%c\n", n, from, to);
    moves++;
    hanoi(n - 1, via, to, from);
}

static int perm_count;
static void permute(char *s, int k, int n)
{
    if (k == n) {
        if (perm_count < 8)
            printf("%s ", s);
        perm_count++;
        return;
    }
    for (int i = k; i < n; i++) {
        char t = s[k]; s[k] = s[i]; s[i] = t;
        permute(s, k + 1, n);
        t = s[k]; s[k] = s[i]; s[i] = t;
    }
}

static char grid[6][9] = {
    "........",
    ".####...",
    ".#..#.#.",
    ".####.#.",
    "......#.",
    "#######.",
};

static int fill(int r, int c)
{
    if (r < 0 || r >= 6 || c < 0 || c >= 8 || grid[r][c] != '.')
        return 0;
    grid[r][c] = '~';
    return 1 + fill(r + 1, c) + fill(r - 1, c) + fill(r, c + 1) + fill(r, c - 1);
}

static long long power(long long b, int e)
{
    if (e == 0)
        return 1;
    long long h = power(b, e / 2);
    return e % 2 ? h * h * b : h * h;
}

static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

int main(void)
{
    for (int i = 0; i <= 25; i += 5)
        printf("fib(%d)=%ld ", i, fib(i));
    printf("\n");
    for (int m = 0; m <= 3; m++)
        printf("ack(%d,3)=%d ", m, ack(m, 3));
    printf("\n");
    printf("even(10)=%d odd(7)=%d even(7)=%d\n", is_even(10), is_odd(7), is_even(7));
    hanoi(6, 'A', 'C', 'B');
    printf("moves %d\n", moves);
    char s[] = "abcd";
    permute(s, 0, 4);
    printf("\npermutations %d\n", perm_count);
    printf("filled %d\n", fill(0, 0));
    for (int r = 0; r < 6; r++)
        printf("%s\n", grid[r]);
    printf("3^39 = %lld\n", power(3, 39));
    printf("depth %d\n", depth(100000));
    return 0;
}

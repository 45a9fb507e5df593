/* Static local variables: counters, memoisation, persistent buffers, same name in two functions. */
#include <stdio.h>
#include <string.h>

static int counter(void)
{
    static int n;
    return ++n;
}

static int other_counter(void)
{
    static int n = 100;
    return n--;
}

static long fib_memo(int k)
{
    static long memo[91];
    static int calls;
    calls++;
    if (k < 2)
        return k;
    if (memo[k])
        return memo[k];
    return memo[k] = fib_memo(k - 1) + fib_memo(k - 2);
}

static const char *next_token(const char *input)
{
    static char buf[32];
    static const char *pos;
    if (input)
        pos = input;
    while (*pos == ' ')
        pos++;
    if (!*pos)
        return NULL;
    size_t n = 0;
    while (pos[n] && pos[n] != ' ' && n < sizeof buf - 1)
        n++;
    memcpy(buf, pos, n);
    buf[n] = 0;
    pos += n;
    return buf;
}

static unsigned rng(void)
{
    static unsigned state = 2463534242u;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static int *get_array(void)
{
    static int arr[4] = {1, 2, 3, 4};
    return arr;
}

int main(void)
{
    for (int i = 0; i < 5; i++)
        printf("%d ", counter());
    printf("\n");
    for (int i = 0; i < 3; i++)
        printf("%d ", other_counter());
    printf("%d\n", counter());

    printf("fib(90) = %ld\n", fib_memo(90));
    printf("fib(50) = %ld\n", fib_memo(50));

    for (const char *t = next_token("  static  locals keep   state "); t; t = next_token(NULL))
        printf("[%s]", t);
    printf("\n");

    for (int i = 0; i < 5; i++)
        printf("%u ", rng() % 1000);
    printf("\n");

    int *a = get_array();
    a[2] = 30;
    printf("%d\n", get_array()[2]);

    /* block-scope static inside a loop is initialised once */
    for (int i = 0; i < 3; i++) {
        static int once = 10;
        once += i;
        printf("once %d\n", once);
    }
    return 0;
}

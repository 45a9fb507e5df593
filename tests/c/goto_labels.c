/* goto and labels: loops built from goto, cleanup chains, jumping out of nested loops. */
#include <stdio.h>
#include <stdlib.h>

static int find_pair(int target, int *oi, int *oj)
{
    static const int v[] = {3, 9, 14, 22, 27, 31, 40};
    for (int i = 0; i < 7; i++)
        for (int j = i + 1; j < 7; j++)
            if (v[i] + v[j] == target) {
                *oi = i;
                *oj = j;
                goto found;
            }
    return 0;
found:
    return 1;
}

static int setup(int fail_at)
{
    int status = -1;
    char *a = NULL, *b = NULL, *c = NULL;
    a = malloc(16);
    if (fail_at == 1)
        goto free_a;
    b = malloc(16);
    if (fail_at == 2)
        goto free_b;
    c = malloc(16);
    if (fail_at == 3)
        goto free_c;
    status = 0;
    printf("all allocated\n");
free_c:
    free(c);
free_b:
    free(b);
free_a:
    free(a);
    printf("setup(%d) -> %d\n", fail_at, status);
    return status;
}

static unsigned gcd(unsigned a, unsigned b)
{
top:
    if (b == 0)
        return a;
    {
        unsigned t = a % b;
        a = b;
        b = t;
    }
    goto top;
}

int main(void)
{
    int i = 0, sum = 0;
loop:
    sum += i;
    if (++i < 10)
        goto loop;
    printf("sum %d\n", sum);

    int a, b;
    if (find_pair(49, &a, &b))
        printf("pair %d %d\n", a, b);
    if (!find_pair(1000, &a, &b))
        printf("no pair\n");

    for (int k = 0; k <= 3; k++)
        setup(k);

    printf("gcd %u %u\n", gcd(1071, 462), gcd(17, 5));

    /* goto backwards and forwards over blocks */
    int n = 0;
    goto middle;
start:
    n += 100;
    goto end;
middle:
    n += 1;
    if (n < 3)
        goto middle;
    goto start;
end:
    printf("n %d\n", n);

    /* labels that share names with variables live in a separate namespace */
    int label = 5;
    goto label;
label:
    printf("label %d\n", label);
    return 0;
}

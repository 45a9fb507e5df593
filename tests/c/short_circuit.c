/* Logical && and || short-circuit: side effects happen only when the operand is evaluated. */
#include <stdio.h>

static int trace[64];
static int ntrace;

static int t(int id, int value)
{
    trace[ntrace++] = id;
    return value;
}

static void dump(const char *label, int result)
{
    printf("%-22s = %d  evaluated:", label, result);
    for (int i = 0; i < ntrace; i++)
        printf(" %d", trace[i]);
    printf("\n");
    ntrace = 0;
}

int main(void)
{
    dump("1 && 2", t(1, 1) && t(2, 1));
    dump("0 && 2", t(1, 0) && t(2, 1));
    dump("1 || 2", t(1, 1) || t(2, 0));
    dump("0 || 2", t(1, 0) || t(2, 5));
    dump("0 || 0 || 3", t(1, 0) || t(2, 0) || t(3, 7));
    dump("1 && 0 && 3", t(1, 1) && t(2, 0) && t(3, 1));
    dump("(0 && 2) || 3", (t(1, 0) && t(2, 1)) || t(3, 1));
    dump("1 || (2 && 3)", t(1, 1) || (t(2, 1) && t(3, 1)));
    dump("0 && 2 || 3 && 4", t(1, 0) && t(2, 1) || t(3, 1) && t(4, 0));
    dump("!0 && !1", !t(1, 0) && !t(2, 1));
    dump("?: with &&", t(1, 1) ? t(2, 0) && t(3, 1) : t(4, 1));
    dump("?: picks one arm", t(1, 0) ? t(2, 1) : t(3, 2));

    /* classic guards */
    int *np = 0;
    int v = 5;
    int *vp = &v;
    printf("%d %d\n", np && *np > 3, vp && *vp > 3);
    const char *s = "";
    printf("%d\n", s && *s && s[1]);

    /* side effects in conditions */
    int i = 0, j = 0;
    if (i++ || j++)
        printf("unreached\n");
    printf("i %d j %d\n", i, j);
    if (i++ || j++)
        printf("reached\n");
    printf("i %d j %d\n", i, j);
    int k = 0;
    while (k < 10 && t(k, k % 4 != 3))
        k++;
    dump("while stops at", k);

    /* results are exactly 0 or 1 */
    printf("%d %d %d\n", 42 && -1, 0 || 17, (3 || 0) + (4 && 5));

    /* double operands */
    double d0 = 0.0, d1 = 0.5;
    printf("%d %d\n", d0 || d1, d0 && d1);
    return 0;
}

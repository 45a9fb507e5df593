/* Pre- and post-increment and decrement on ints, chars, floats, pointers, members, elements. */
#include <stdio.h>

struct s { int n; double d; char *p; };

int main(void)
{
    int i = 5;
    int a = i++;
    int b = ++i;
    int c = i--;
    int d = --i;
    printf("%d %d %d %d %d\n", a, b, c, d, i);

    double x = 1.5;
    x++;
    ++x;
    double y = x--;
    printf("%g %g\n", x, y);
    float f = -0.5f;
    printf("%g ", ++f);
    printf("%g\n", f++);

    char ch = 'y';
    ch++;
    printf("%c ", ch);
    ch++;
    printf("%d\n", ch);
    unsigned char uc = 255;
    uc++;
    printf("%d ", uc);
    uc--;
    printf("%d\n", uc);

    int arr[5] = {10, 20, 30, 40, 50};
    int *p = arr;
    printf("%d ", *p++);
    printf("%d ", *++p);
    printf("%d ", (*p)++);
    printf("%d ", ++*p);
    printf("%d\n", *p--);
    printf("%d %d %d\n", arr[2], *p, (int)(p - arr));

    int k = 0;
    arr[k++] += 5;
    arr[++k] -= 5;
    printf("%d %d %d k=%d\n", arr[0], arr[1], arr[2], k);

    char text[] = "abc";
    struct s st = {0, 0.5, text};
    st.n++;
    ++st.d;
    st.p++;
    struct s *ps = &st;
    ps->n++;
    --ps->d;
    printf("%d %g %c\n", st.n, st.d, *ps->p++);
    printf("%c\n", *ps->p);

    /* pointer to pointer increments */
    const char *words[] = {"one", "two", "three"};
    const char **w = words;
    printf("%s ", *w++);
    printf("%c ", **w);
    printf("%c\n", *++*w);

    /* long long and unsigned wrap */
    long long ll = 0x7fffffff;
    ll++;
    unsigned u = 0;
    u--;
    printf("%lld %u\n", ll, u);

    /* increments in loop conditions */
    int count = 0, n = 10;
    while (n-- > 0)
        count++;
    printf("count %d n %d\n", count, n);
    int m = 0;
    while (++m < 10)
        ;
    printf("m %d\n", m);

    _Bool flag = 0;
    flag++;
    flag++;
    printf("bool %d\n", flag);
    return 0;
}

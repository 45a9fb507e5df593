/* Flexible array members: allocation, sizeof, copies, and a string buffer built on one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec { size_t len; int data[]; };
struct str { unsigned len, cap; char chars[]; };
struct packet { unsigned char type; unsigned short n; double payload[]; };

static struct vec *vec_new(size_t n)
{
    struct vec *v = malloc(sizeof *v + n * sizeof v->data[0]);
    v->len = n;
    for (size_t i = 0; i < n; i++)
        v->data[i] = (int)(i * i);
    return v;
}

static struct str *str_append(struct str *s, const char *t)
{
    unsigned need = (unsigned)strlen(t);
    if (!s || s->len + need + 1 > s->cap) {
        unsigned cap = s ? s->cap * 2 : 8;
        while (cap < (s ? s->len : 0) + need + 1)
            cap *= 2;
        struct str *ns = realloc(s, sizeof *ns + cap);
        if (!s)
            ns->len = 0;
        ns->cap = cap;
        s = ns;
    }
    memcpy(s->chars + s->len, t, need + 1);
    s->len += need;
    return s;
}

int main(void)
{
    printf("sizeof vec %zu str %zu packet %zu\n", sizeof(struct vec), sizeof(struct str),
           sizeof(struct packet));
    struct vec *v = vec_new(10);
    long sum = 0;
    for (size_t i = 0; i < v->len; i++)
        sum += v->data[i];
    printf("len %zu sum %ld last %d\n", v->len, sum, v->data[v->len - 1]);

    struct vec *copy = malloc(sizeof *copy + v->len * sizeof(int));
    memcpy(copy, v, sizeof *v + v->len * sizeof(int));
    copy->data[0] = -1;
    printf("copy %d %d orig %d\n", copy->data[0], copy->data[9], v->data[0]);
    free(copy);
    free(v);

    struct str *s = NULL;
    const char *words[] = {"flexible ", "array ", "members ", "grow ", "as ", "needed"};
    for (int i = 0; i < 6; i++) {
        s = str_append(s, words[i]);
        printf("len %u cap %u\n", s->len, s->cap);
    }
    printf("%s\n", s->chars);
    free(s);

    struct packet *p = calloc(1, sizeof *p + 4 * sizeof(double));
    p->type = 7;
    p->n = 4;
    for (int i = 0; i < p->n; i++)
        p->payload[i] = i * 0.25;
    double tot = 0;
    for (int i = 0; i < p->n; i++)
        tot += p->payload[i];
    printf("type %u n %u total %g offset %zu\n", p->type, p->n, tot,
           (size_t)((char *)p->payload - (char *)p));
    free(p);
    return 0;
}

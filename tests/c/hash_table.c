/* A chained hash table with string keys: insert, lookup, update, delete, resize, iteration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry { char *key; int value; struct entry *next; };
struct table { struct entry **buckets; size_t nbuckets, count; };

static unsigned long hash(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 ^ (unsigned char)*s;
    return h;
}

static void table_init(struct table *t, size_t n)
{
    t->buckets = calloc(n, sizeof *t->buckets);
    t->nbuckets = n;
    t->count = 0;
}

static void table_resize(struct table *t, size_t n)
{
    struct entry **nb = calloc(n, sizeof *nb);
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct entry *e = t->buckets[i];
        while (e) {
            struct entry *next = e->next;
            size_t idx = hash(e->key) % n;
            e->next = nb[idx];
            nb[idx] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

static int *table_get(struct table *t, const char *key)
{
    for (struct entry *e = t->buckets[hash(key) % t->nbuckets]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return &e->value;
    return NULL;
}

static void table_put(struct table *t, const char *key, int value)
{
    int *v = table_get(t, key);
    if (v) {
        *v = value;
        return;
    }
    if (t->count + 1 > t->nbuckets * 3 / 4)
        table_resize(t, t->nbuckets * 2);
    struct entry *e = malloc(sizeof *e);
    e->key = malloc(strlen(key) + 1);
    strcpy(e->key, key);
    e->value = value;
    size_t idx = hash(key) % t->nbuckets;
    e->next = t->buckets[idx];
    t->buckets[idx] = e;
    t->count++;
}

static int table_del(struct table *t, const char *key)
{
    struct entry **pp = &t->buckets[hash(key) % t->nbuckets];
    for (; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct entry *e = *pp;
            *pp = e->next;
            free(e->key);
            free(e);
            t->count--;
            return 1;
        }
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;
    if (x->value != y->value)
        return y->value - x->value;
    return strcmp(x->key, y->key);
}

int main(void)
{
    struct table t;
    table_init(&t, 4);
    const char *text =
        "it was the best of times it was the worst of times it was the age of wisdom "
        "it was the age of foolishness it was the epoch of belief it was the epoch of "
        "incredulity it was the season of light it was the season of darkness";
    char word[32];
    const char *p = text;
    int used;
    while (sscanf(p, "%31s%n", word, &used) == 1) {
        p += used;
        int *v = table_get(&t, word);
        table_put(&t, word, v ? *v + 1 : 1);
    }
    printf("distinct %zu buckets %zu\n", t.count, t.nbuckets);

    struct entry **all = malloc(t.count * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < t.nbuckets; i++)
        for (struct entry *e = t.buckets[i]; e; e = e->next)
            all[n++] = e;
    qsort(all, n, sizeof *all, cmp_entry);
    for (size_t i = 0; i < n; i++)
        printf("%s=%d%c", all[i]->key, all[i]->value, i + 1 == n ? '\n' : ' ');
    free(all);

    int del_the = table_del(&t, "the");
    int del_missing = table_del(&t, "missing");
    printf("del the %d, del missing %d, count %zu\n", del_the, del_missing, t.count);
    printf("get the %d get was %d\n", table_get(&t, "the") != NULL, *table_get(&t, "was"));

    for (int i = 0; i < 1000; i++) {
        char k[16];
        snprintf(k, sizeof k, "key%d", i);
        table_put(&t, k, i * i);
    }
    long sum = 0;
    for (int i = 0; i < 1000; i += 7) {
        char k[16];
        snprintf(k, sizeof k, "key%d", i);
        sum += *table_get(&t, k);
    }
    size_t longest = 0;
    for (size_t i = 0; i < t.nbuckets; i++) {
        size_t len = 0;
        for (struct entry *e = t.buckets[i]; e; e = e->next)
            len++;
        if (len > longest)
            longest = len;
    }
    printf("count %zu buckets %zu sum %ld longest chain %zu\n", t.count, t.nbuckets, sum, longest);

    for (size_t i = 0; i < t.nbuckets; i++) {
        struct entry *e = t.buckets[i];
        while (e) {
            struct entry *next = e->next;
            free(e->key);
            free(e);
            e = next;
        }
    }
    free(t.buckets);
    return 0;
}

/* Self-referential structures: singly linked list, binary search tree, doubly linked queue. */
#include <stdio.h>
#include <stdlib.h>

struct node { int val; struct node *next; };

static struct node *push(struct node *head, int v)
{
    struct node *n = malloc(sizeof *n);
    n->val = v;
    n->next = head;
    return n;
}

static struct node *reverse(struct node *h)
{
    struct node *prev = NULL;
    while (h) {
        struct node *nx = h->next;
        h->next = prev;
        prev = h;
        h = nx;
    }
    return prev;
}

static struct node *insert_sorted(struct node *h, int v)
{
    struct node **pp = &h;
    while (*pp && (*pp)->val < v)
        pp = &(*pp)->next;
    struct node *n = malloc(sizeof *n);
    n->val = v;
    n->next = *pp;
    *pp = n;
    return h;
}

static void print_list(const char *tag, const struct node *h)
{
    printf("%s:", tag);
    for (; h; h = h->next)
        printf(" %d", h->val);
    printf("\n");
}

static void free_list(struct node *h)
{
    while (h) {
        struct node *nx = h->next;
        free(h);
        h = nx;
    }
}

struct tree { int key; struct tree *left, *right; };

static struct tree *tinsert(struct tree *t, int k)
{
    if (!t) {
        t = calloc(1, sizeof *t);
        t->key = k;
    } else if (k < t->key)
        t->left = tinsert(t->left, k);
    else if (k > t->key)
        t->right = tinsert(t->right, k);
    return t;
}

static void inorder(const struct tree *t)
{
    if (!t)
        return;
    inorder(t->left);
    printf(" %d", t->key);
    inorder(t->right);
}

static int height(const struct tree *t)
{
    if (!t)
        return 0;
    int l = height(t->left), r = height(t->right);
    return 1 + (l > r ? l : r);
}

static void tfree(struct tree *t)
{
    if (!t)
        return;
    tfree(t->left);
    tfree(t->right);
    free(t);
}

struct dnode { int v; struct dnode *prev, *next; };

int main(void)
{
    struct node *l = NULL;
    for (int i = 1; i <= 8; i++)
        l = push(l, i * 3);
    print_list("pushed", l);
    l = reverse(l);
    print_list("reversed", l);
    free_list(l);

    struct node *s = NULL;
    int vals[] = {42, 7, 19, 3, 88, 7, 56, 1};
    for (int i = 0; i < 8; i++)
        s = insert_sorted(s, vals[i]);
    print_list("sorted", s);
    free_list(s);

    struct tree *t = NULL;
    unsigned seed = 12345;
    for (int i = 0; i < 40; i++) {
        seed = seed * 1103515245u + 12345u;
        t = tinsert(t, (int)((seed >> 16) % 100));
    }
    printf("tree:");
    inorder(t);
    printf("\nheight %d\n", height(t));
    tfree(t);

    /* circular doubly linked list with a sentinel */
    struct dnode sentinel = {0, &sentinel, &sentinel};
    struct dnode nodes[5];
    for (int i = 0; i < 5; i++) {
        nodes[i].v = i + 1;
        nodes[i].prev = sentinel.prev;
        nodes[i].next = &sentinel;
        sentinel.prev->next = &nodes[i];
        sentinel.prev = &nodes[i];
    }
    nodes[2].prev->next = nodes[2].next;
    nodes[2].next->prev = nodes[2].prev;
    printf("forward:");
    for (struct dnode *d = sentinel.next; d != &sentinel; d = d->next)
        printf(" %d", d->v);
    printf("\nbackward:");
    for (struct dnode *d = sentinel.prev; d != &sentinel; d = d->prev)
        printf(" %d", d->v);
    printf("\n");
    return 0;
}

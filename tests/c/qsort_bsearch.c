/* qsort and bsearch from libc with comparators over ints, strings, structs, and doubles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct person { char name[12]; int age; double score; };

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static int cmp_person(const void *a, const void *b)
{
    const struct person *p = a, *q = b;
    if (p->age != q->age)
        return p->age - q->age;
    return strcmp(p->name, q->name);
}
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static int cmp_key_person(const void *key, const void *elem)
{
    return *(const int *)key - ((const struct person *)elem)->age;
}

int main(void)
{
    int nums[20];
    unsigned s = 7;
    for (int i = 0; i < 20; i++) {
        s = s * 1664525u + 1013904223u;
        nums[i] = (int)(s >> 20) % 1000 - 500;
    }
    qsort(nums, 20, sizeof nums[0], cmp_int);
    for (int i = 0; i < 20; i++)
        printf("%d ", nums[i]);
    printf("\n");
    for (int i = 0; i < 20; i += 5) {
        int key = nums[i];
        int *hit = bsearch(&key, nums, 20, sizeof nums[0], cmp_int);
        printf("find %d -> index %td\n", key, hit ? hit - nums : -1);
    }
    int missing = 1001;
    printf("missing %d\n", bsearch(&missing, nums, 20, sizeof(int), cmp_int) == NULL);
    qsort(nums, 20, sizeof nums[0], cmp_int_desc);
    printf("desc first %d last %d\n", nums[0], nums[19]);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "apricot"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    for (size_t i = 0; i < nw; i++)
        printf("%s ", words[i]);
    printf("\n");
    const char *key = "date";
    const char **found = bsearch(&key, words, nw, sizeof words[0], cmp_str);
    printf("date at %td\n", found ? found - words : -1);

    struct person people[] = {
        {"ann", 31, 88.5}, {"bob", 25, 92.0}, {"cid", 31, 75.25},
        {"dee", 19, 60.0}, {"eve", 25, 99.5}, {"fay", 44, 81.0},
    };
    size_t np = sizeof people / sizeof people[0];
    qsort(people, np, sizeof people[0], cmp_person);
    for (size_t i = 0; i < np; i++)
        printf("%s:%d:%.2f ", people[i].name, people[i].age, people[i].score);
    printf("\n");
    int age = 44;
    struct person *p = bsearch(&age, people, np, sizeof people[0], cmp_key_person);
    printf("age 44: %s\n", p ? p->name : "none");

    double ds[] = {3.5, -1.25, 2.0, 1e-3, -7.5, 0.0, 100.0};
    qsort(ds, 7, sizeof ds[0], cmp_double);
    for (int i = 0; i < 7; i++)
        printf("%g ", ds[i]);
    printf("\n");
    return 0;
}

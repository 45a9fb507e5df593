/* __attribute__((alias)): another name for a function or a variable defined in the same unit,
   at the same address; also weak aliases (glibc's weak_alias). */
#include <stdio.h>
int real_add(int a, int b) { return a + b; }
int add_alias(int a, int b) __attribute__((alias("real_add")));
extern int weak_add(int, int) __attribute__((weak, alias("real_add")));
int counter = 40;
extern int counter_alias __attribute__((alias("counter")));
static int hidden(void) { return 7; }
static int hidden_alias(void) __attribute__((alias("hidden")));
int main(void) {
    counter_alias += 2;
    printf("%d %d %d %d\n", add_alias(1, 2), weak_add(3, 4), counter, hidden_alias());
    printf("%d %d %d\n", &add_alias == &real_add, &counter_alias == &counter, (void *)hidden_alias == (void *)hidden);
    return 0;
}

/* Multi-file program, part 1: main uses globals and functions defined in counter.c and
 * table.c, and holds the tentative definition of `tentative`. */
#include <stdio.h>

extern int counter_value;           /* defined in counter.c */
extern const char *counter_name;    /* defined in counter.c */
extern int shared_array[];          /* incomplete here, defined with a size in table.c */
extern const int shared_array_len;
extern struct config { int verbose; double scale; } global_config;
int tentative;                      /* tentative definition: zero-initialised */

void counter_add(int n);
int counter_get(void);
long table_sum(void);
int (*table_op(int which))(int, int);
void table_fill(int base);

int main(void)
{
    printf("%s starts at %d\n", counter_name, counter_value);
    for (int i = 1; i <= 5; i++)
        counter_add(i);
    printf("after adds %d (direct %d)\n", counter_get(), counter_value);
    counter_value = 100;
    printf("after direct write %d\n", counter_get());

    printf("array len %d sum %ld\n", shared_array_len, table_sum());
    table_fill(7);
    shared_array[0] = -1000;
    printf("refilled sum %ld\n", table_sum());

    printf("ops %d %d\n", table_op(0)(6, 7), table_op(1)(6, 7));
    printf("config %d %.2f\n", global_config.verbose, global_config.scale);
    global_config.scale *= 2;
    tentative = 42;
    counter_add(0);
    printf("tentative %d\n", tentative);
    return counter_get() == 100 ? 0 : 1;
}

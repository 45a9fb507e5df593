/* Multi-file program, part 2: a counter module with external and internal state. */
#include <stdio.h>

int counter_value = 10;
const char *counter_name = "counter";
extern int tentative; /* the one definition is in main.c */
static int calls; /* internal linkage: invisible to the other files */

extern struct config { int verbose; double scale; } global_config;

void counter_add(int n)
{
    calls++;
    counter_value += n;
    if (global_config.verbose && n == 0)
        printf("counter_add called %d times, scale now %.2f, tentative %d\n", calls,
               global_config.scale, tentative);
}

int counter_get(void) { return counter_value; }

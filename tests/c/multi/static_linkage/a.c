/* Multi-file program: functions and variables with internal linkage that share names across
 * files stay distinct; an extern inline-free helper is shared. */
#include <stdio.h>

static int state = 1;
static int helper(int x) { return x + state; }
int shared(int x);
int b_entry(int x);
const char *b_name(void);

static const char *name(void) { return "a.c"; }

int main(void)
{
    printf("%s helper(10) = %d\n", name(), helper(10));
    printf("%s b_entry(10) = %d\n", b_name(), b_entry(10));
    state = 5;
    printf("after a.c state change: %d %d\n", helper(10), b_entry(10));
    printf("shared %d\n", shared(3));
    return 0;
}

/* Second file of static_linkage: its own `state`, `helper` and `name`. */
static int state = 1000;
static int helper(int x) { return x * 2 + state; }
static const char *name(void) { return "b.c"; }

const char *b_name(void) { return name(); }
int b_entry(int x) { return helper(x); }

int shared(int x)
{
    static int calls;
    calls++;
    return x * 100 + calls + state;
}

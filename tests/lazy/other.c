/* A global function with the name main.c gives a static one, and a caller of it here. */
int shared_name(int x) { return x + 10; }
static int shared_helper(int x) { return shared_name(x) * 2; }
int call_other_shared(int x) { return shared_helper(x); }

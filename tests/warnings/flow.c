/* -Wreturn-type and -Wuninitialized: the simple cases gcc finds without optimisation. */
#include <stdlib.h>
#include <setjmp.h>

int falls_off(int x) { if (x) return 1; }
int all_paths(int x) { if (x) return 1; else return 2; }
int loops_forever(void) { for (;;) { } }
int while_one(int x) { while (1) { if (x) return x; } }
int while_break(int x) { while (1) { if (x) break; } }
int ends_in_abort(int x) { if (x) return 1; abort(); }
int ends_in_exit(int x) { if (x) return 1; exit(2); }
_Noreturn void die(void);
int ends_in_die(int x) { if (x) return 1; die(); }
__attribute__((noreturn)) void die2(void);
int ends_in_die2(int x) { if (x) return 1; die2(); }
int switch_all(int x) {
  switch (x) {
  case 1: return 1;
  default: return 0;
  }
}
int switch_no_default(int x) {
  switch (x) {
  case 1: return 1;
  case 2: return 2;
  }
}
int switch_break(int x) {
  switch (x) {
  case 1: break;
  default: return 0;
  }
}
int do_forever(int x) { do { if (x) return 1; } while (1); }
int const_if(void) { if (1) return 1; }
int goto_loop(int x) { again: if (x--) goto again; return x; }
void void_fn(int x) { if (x) return; }
int main(void) { }
int no_value(void) { return; }
void value_in_void(void) { return 1; }
int trap(int x) { if (x) return 1; __builtin_trap(); }
int unreachable(int x) { if (x) return 1; __builtin_unreachable(); }

int uninit_simple(void) { int u; return u; }
int uninit_plus(void) { int u; u += 1; return u; }
int uninit_incr(void) { int u; u++; return u; }
int init_later(int c) { int v; if (c) v = 1; return v; }
int init_both(int c) { int v; if (c) v = 1; else v = 2; return v; }
int init_loop(int n) { int s; for (int i = 0; i < n; i++) s = i; return s; }
int loop_use_before(int n) { int s; for (int i = 0; i < n; i++) { n += s; s = i; } return n; }
int addr_taken(void) { int a; int *p = &a; *p = 1; return a; }
int in_switch(int c) {
  int w;
  switch (c) {
  case 1: w = 1; break;
  case 2: return w;
  }
  return 0;
}
int after_goto(int c) { int g; if (c) goto out; g = 1; out: return g; }
int cond_expr(int c) { int q; return c ? q : 0; }
int and_assign(int c) { int r; if (c && (r = 3)) return r; return 0; }
int never_init(int c) { int z; if (c) return 0; return z + 1; }
int stmt_expr(void) { int e; int f = ({ e; }); return f; }
int with_setjmp(jmp_buf b) { int j; if (setjmp(b)) return j; j = 1; return 0; } /* gap: functions calling setjmp are not checked */
struct S { int a; };
int struct_member(void) { struct S s; return s.a; } /* gap: members of aggregates are not tracked */
int array_elem(void) { int a[2]; return a[0]; } /* gap: elements of arrays are not tracked */

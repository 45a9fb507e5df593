/* -Wunused-variable, -Wunused-but-set-variable, -Wunused-parameter,
   -Wunused-but-set-parameter, -Wunused-function, -Wunused-label, -Wunused-value. */
#include <stddef.h>

static int helper(void) { return 1; }
static int used_helper(void) { return 2; }
static inline int inline_helper(void) { return 3; }
__attribute__((unused)) static int marked_helper(void) { return 4; }
static void ctor(void) __attribute__((constructor));
static void ctor(void) {}

int params(int used, int unused, int set_only, int __attribute__((unused)) marked) {
  set_only = 3;
  return used;
}

void ignored_param(int p) { (void)p; }

int locals(int n) {
  int never;
  int set_only;
  int counted = 0;
  int compound = 0;
  int arr[4];
  int sized = 0;
  volatile int vol;
  int marked __attribute__((unused));
  int read = n;
  struct { int a, b; } st;
  int *ptr = &read;
  set_only = 1;
  counted++;
  compound += 2;
  arr[0] = 1;
  vol = 2;
  st.a = 1;
  n == read;
  n;
  (void)n;
  n + 1;
  *ptr;
  used_helper();
  if (n)
    goto done;
  return (int)sizeof sized + read;
unused_label:
done:
  return 0;
}

int stmt_expr(int x) {
  int y = ({ int t = x; t * 2; });
  return y;
}

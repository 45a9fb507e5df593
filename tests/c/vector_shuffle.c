#include <stdio.h>
typedef int v4si __attribute__((vector_size(16)));
typedef unsigned v4su __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));
typedef long v2di __attribute__((vector_size(16)));
typedef short v4hi __attribute__((vector_size(8)));
static void show(const char *n, v4si v) { printf("%s: %d %d %d %d\n", n, v[0], v[1], v[2], v[3]); }
int main(void) {
  v4si a = {10, 20, 30, 40}, b = {-1, -2, -3, -4};
  show("rev", __builtin_shuffle(a, (v4si){3, 2, 1, 0}));
  show("mix", __builtin_shuffle(a, b, (v4si){0, 4, 1, 5}));
  show("wrap", __builtin_shuffle(a, (v4si){4, 5, 6, 7}));
  v4su u = {1, 2, 3, 40};
  v4su q = -18 / u;
  printf("%u %u %u %u\n", q[0], q[1], q[2], q[3]);
  v2df d = {1.5, -2.25};
  v2di dm = d < 0.0;
  d = d * d - 1;
  printf("%g %g %ld %ld\n", d[0], d[1], dm[0], dm[1]);
  v4hi h = {1, 2, 3, 4};
  h = h << 3;
  h = 100 - h;
  printf("%d %d %d %d\n", h[0], h[1], h[2], h[3]);
  v4si *p = &a;
  (*p)[1] += 5;
  int *ip = (int *)p;
  printf("%d %d\n", ip[1], a[1]);
  return 0;
}

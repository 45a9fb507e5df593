#include <stdio.h>
typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef unsigned char v8qu __attribute__((vector_size(8)));
typedef short v8hi __attribute__((vector_size(16)));
typedef double v4df __attribute__((vector_size(32)));
typedef long v2di __attribute__((vector_size(16)));
struct S { char c; v4si v; int tail; };
static v4si add(v4si a, v4si b) { return a + b; }
static v4df scale(v4df a, double k) { return a * k; }
static v8qu inc(v8qu a) { return a + 1; }
int main(void) {
  v4si a = {1, 2, 3, 4}, b = {10, -20, 30};
  v4si c = add(a, b);
  for (int i = 0; i < 4; i++) printf("%d ", c[i]);
  printf("\n");
  v4si d = a * b - c / 2 + (a % 3) ;
  d = (d << 1) ^ ~a;
  d |= 7; d &= ~1; d >>= 1;
  for (int i = 0; i < 4; i++) printf("%d ", d[i]);
  v4si m = a < b, e = a == (v4si){1, 0, 3, 0};
  printf("\n%d %d %d %d | %d %d %d %d\n", m[0], m[1], m[2], m[3], e[0], e[1], e[2], e[3]);
  v4sf f = {1.5f, 2.5f, -3.0f, 0.25f};
  f = f * 2 + f / 4.0f - -f;
  v4si fm = f > 1.0f;
  printf("%g %g %g %g %d %d\n", f[0], f[1], f[2], f[3], fm[0], fm[2]);
  v8qu q = {250, 1, 2, 3, 4, 5, 6, 255};
  q = inc(q);
  for (int i = 0; i < 8; i++) printf("%u ", q[i]);
  v8hi h = {1, -2, 3, -4, 5, -6, 7, -8};
  h = h * h + 3;
  h[3] = 99;
  printf("\n%d %d %d\n", h[0], h[3], h[7]);
  v4df x = {1, 2, 3, 4};
  x = scale(x, 0.5);
  printf("%g %g %g %g\n", x[0], x[1], x[2], x[3]);
  struct S s = {'a', {5, 6, 7, 8}, 42};
  s.v += a;
  s.v[2] = 100;
  printf("%d %d %d %d %zu %zu\n", s.v[0], s.v[2], s.tail, (int)sizeof(struct S), sizeof(v4df), __alignof__(v4df));
  v4si arr[3] = {{1}, {2, 3}, {4, 5, 6, 7}};
  arr[1] = arr[0] + arr[2];
  printf("%d %d %d %d\n", arr[1][0], arr[1][1], arr[1][2], arr[1][3]);
  v2di l = (v2di)a;
  printf("%lx %lx\n", l[0], l[1]);
  v4sf bits = (v4sf)(v4si){0x3f800000, 0, 0x40000000, 0};
  printf("%g %g\n", bits[0], bits[2]);
  long w = (long)(v8qu){1, 2, 3, 4, 5, 6, 7, 8};
  printf("%lx\n", w);
  v4si neg = -a;
  printf("%d %d\n", neg[0], (+neg)[3]);
  return 0;
}

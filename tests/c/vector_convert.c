/* __builtin_convertvector: lane-wise conversions between vectors of equal lane counts. */
#include <stdio.h>
typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef double v4df __attribute__((vector_size(32)));
typedef unsigned char v4qi __attribute__((vector_size(4)));
typedef long long v2di __attribute__((vector_size(16)));
typedef short v2hi __attribute__((vector_size(4)));
int main(void) {
  v4si a = {1, -2, 300, -70000};
  v4sf f = __builtin_convertvector(a, v4sf);
  v4df d = __builtin_convertvector(f * 1.5f, v4df);
  v4qi q = __builtin_convertvector(a, v4qi);
  v4si back = __builtin_convertvector((v4sf){1.9f, -1.9f, 2.5f, -0.5f}, v4si);
  v2hi h = __builtin_convertvector((v2di){65537, -1}, v2hi);
  printf("%g %g %g %g\n", f[0], f[1], f[2], f[3]);
  printf("%g %g %g %g\n", d[0], d[1], d[2], d[3]);
  printf("%u %u %u %u\n", q[0], q[1], q[2], q[3]);
  printf("%d %d %d %d\n", back[0], back[1], back[2], back[3]);
  printf("%d %d\n", h[0], h[1]);
  return 0;
}

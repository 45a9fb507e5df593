#if __has_attribute(vector_size)
#define HAS 1
#else
#define HAS 0
#endif
#include <stdio.h>
typedef __attribute__((__vector_size__(16))) unsigned v4u;
typedef int v2si __attribute__((vector_size(8)));
v4u g = {1, 2, 3};
v2si two(v2si a) { return a * 2; }
int main(void) {
  v4u x = g + 5u;
  v4u y = x >> 1;
  printf("%u %u %u %u %d\n", y[0], y[1], y[2], y[3], HAS);
  v2si t = two((v2si){3, 4});
  printf("%d %d %zu\n", t[0], t[1], sizeof t);
  int i = 1; 
  printf("%u\n", (x + y)[i]);
  return 0;
}

/* -Wformat: printf and scanf conversions against their arguments. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((format(printf, 2, 3))) void logmsg(int level, const char *fmt, ...);

void formats(int i, unsigned u, long l, unsigned long ul, long long ll, size_t z,
             double d, float f, long double ld, char *s, const char *cs, void *p,
             int *ip, short sh, char c, unsigned char *us) {
  printf("%d %u %ld %lu %lld %zu\n", i, u, l, ul, ll, z);
  printf("%u %d\n", i, u);
  printf("%f %g %e %Lf\n", d, f, d, ld);
  printf("%s %s %p %p\n", s, cs, p, (void *)ip);
  printf("%c %hd %hhx\n", c, sh, c);
  printf("%*d %.*s\n", i, i, i, s);
  printf("100%%\n");
  printf("%d\n", s);
  printf("%s\n", i);
  printf("%ld\n", i);
  printf("%d\n", l);
  printf("%lld\n", l);
  printf("%f\n", i);
  printf("%Lf\n", d);
  printf("%d %d\n", i);
  printf("%d\n", i, i);
  printf("%s\n", us);
  fprintf(stderr, "%s\n", i);
  fprintf(stderr, "%d\n", i);
  snprintf(s, 10, "%x", d);
  sprintf(s, "%lu", z);
  logmsg(1, "%s", i);
  logmsg(1, "%d", i);
  scanf("%d %ld %s %lf %f", ip, &l, s, &d, &f);
  scanf("%d", i);
  scanf("%f", &d);
  scanf("%*d %d", ip);
  sscanf(cs, "%d %s", ip, s);
  printf("%y\n", i);
  printf("%1$d\n", i);
  printf("%jd %td\n", (intmax_t)i, (ptrdiff_t)i);
  printf(cs, i);
}

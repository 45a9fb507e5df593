/* va_list passed on: to libc v*printf as a 3rd/4th argument, to own functions, va_copy of a parameter. */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
int a2(const char *fmt, ...) { va_list ap; va_start(ap, fmt); int n = vdprintf(1, fmt, ap); va_end(ap); return n; }
int a3(char *buf, const char *fmt, ...) { va_list ap; va_start(ap, fmt); int n = vsnprintf(buf, 100, fmt, ap); va_end(ap); return n; }
static int sum_list(int n, va_list ap) { int s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, int); return s; }
static double dsum(int n, va_list ap) { va_list c; va_copy(c, ap); double s = 0; for (int i = 0; i < n; i++) s += va_arg(c, double); va_end(c); return s; }
int sum(int n, ...) { va_list ap; va_start(ap, n); int s = sum_list(n, ap); va_end(ap); return s; }
double dsumv(int n, ...) { va_list ap; va_start(ap, n); double s = dsum(n, ap); va_end(ap); return s; }
static void logf_(FILE *f, const char *fmt, va_list ap) { vfprintf(f, fmt, ap); }
void lg(const char *fmt, ...) { va_list ap; va_start(ap, fmt); logf_(stdout, fmt, ap); va_end(ap); }
int main(void) { char b[100]; a2("x=%d y=%s\n", 42, "hi"); a3(b, "%d-%d", 1, 2); puts(b); printf("%d %g %zu\n", sum(4, 1, 2, 3, 4), dsumv(3, 1.5, 2.5, 3.0), sizeof(va_list)); lg("%s %d %.2f\n", "log", 7, 2.5); return 0; }

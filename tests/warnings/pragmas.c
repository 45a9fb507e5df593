/* #pragma GCC diagnostic: the options change from the pragma's line on. */
#include <stdio.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
static int hidden_helper(void) { return 1; }
#pragma GCC diagnostic pop
static int shown_helper(void) { return 1; }

#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wunused-variable"
int as_error(void) { int x; return 0; }
#pragma GCC diagnostic pop
int back_to_normal(void) { int y; return 0; }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
void no_format(void) { printf("%d\n", "s"); }
#pragma GCC diagnostic pop
void format_again(void) { printf("%d\n", "s"); }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused"
int group_off(int p) { int z; return 0; }
#pragma GCC diagnostic pop

#pragma GCC diagnostic push
#pragma GCC diagnostic warning "-Wparentheses"
int parens(int a) { if (a = 2) return 1; return 0; }
#pragma GCC diagnostic pop

#define QUIET_BEGIN _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wunused-parameter\"")
#define QUIET_END _Pragma("GCC diagnostic pop")
QUIET_BEGIN
int quiet_param(int q) { return 0; }
QUIET_END
int loud_param(int r) { return 0; }

#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wno-such-warning"
#pragma GCC diagnostic sideways "-Wformat"
#pragma GCC diagnostic pop
int main(void) { return shown_helper() - 1; }

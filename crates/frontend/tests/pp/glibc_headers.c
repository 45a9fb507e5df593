/* The C library headers a C program most commonly includes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <float.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <ctype.h>
#include <errno.h>
#include <assert.h>
#include <setjmp.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <wchar.h>
#include <locale.h>

int main(void) {
    size_t n = offsetof(struct stat, st_size) + sizeof(va_list) + INT_MAX + UINT64_MAX;
    bool ok = true && errno == 0 && PRId64[0] == 'l' && isdigit('1');
    assert(n != 0);
    return EXIT_SUCCESS + (int)ok + CHAR_BIT + SIG_ATOMIC_MAX + LLONG_MIN + (int)DBL_EPSILON;
}

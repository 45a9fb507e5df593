// cfree-args: -O2 -D_FORTIFY_SOURCE=2
/* glibc's _FORTIFY_SOURCE wrappers (bits/string_fortified.h, bits/stdio2.h): the checked
   `__builtin___X_chk` forms, on in-bounds uses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int vformat(char *dst, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    return r;
}

static void vsp(char *dst, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsprintf(dst, fmt, ap);
    va_end(ap);
}

int main(void) {
    char buf[64], other[64];
    memset(buf, 'x', sizeof buf);
    memcpy(other, "hello, world", 13);
    memmove(other + 2, other, 8);
    printf("%s\n", other);
    strcpy(buf, "abc");
    strcat(buf, "def");
    strncat(buf, "ghijkl", 3);
    printf("%s %zu\n", buf, strlen(buf));
    strncpy(other, "zz", sizeof other);
    printf("[%s]\n", other);
    char *end = stpcpy(buf, "stp");
    printf("%s %td\n", buf, end - buf);
    int n = sprintf(buf, "%d-%s-%.2f", 42, "x", 3.14159);
    printf("%s %d\n", buf, n);
    n = snprintf(buf, 8, "%s", "truncated text");
    printf("%s %d\n", buf, n);
    n = vformat(buf, sizeof buf, "%05d|%x", 7, 255);
    printf("%s %d\n", buf, n);
    vsp(other, "%c%c%c", 'a', 'b', 'c');
    fprintf(stdout, "%s\n", other);
    wchar_t w[8];
    wmemcpy(w, L"wide", 5);
    printf("%ls\n", w);
    return 0;
}

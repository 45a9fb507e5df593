/* Identifiers with '$', UTF-8 letters and universal character names (the same identifier
   as the character), and \u / \U escapes in narrow, UTF-8 and wide literals. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
int global$count = 3;
static double caf\u00e9(double x) { return x * 2; }
int ñandú(int n) { return n + global$count; }
int main(void) {
    int a$b = 7, $lead = 1;
    double привет = 0.5;
    const char s[] = "\u010dau \U0001F600";
    const char u8s[] = u8"\u00fcber";
    const wchar_t w[] = L"\u010dab\u00e9";
    printf("%d %g %g %d\n", a$b + $lead, café(привет), caf\u00e9(1.0), \u00f1and\u00fa(1));
    printf("%zu %s %zu %s\n", strlen(s), s, strlen(u8s), u8s);
    printf("%zu %x %x %x %x\n", wcslen(w), (unsigned)w[0], (unsigned)w[1], (unsigned)w[2], (unsigned)w[3]);
    printf("%x %x\n", (unsigned)L'\u00e9', (unsigned)U'\U0001F600');
    return 0;
}

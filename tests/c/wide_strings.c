/* Wide characters and strings: wchar_t, L"", u"", U"", and wide library calls. */
#include <stdio.h>
#include <wchar.h>
#include <uchar.h>
#include <string.h>

static size_t wlen(const wchar_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int main(void)
{
    const wchar_t *ws = L"wide string";
    printf("sizeof(wchar_t) %zu\n", sizeof(wchar_t));
    printf("wcslen %zu wlen %zu\n", wcslen(ws), wlen(ws));
    printf("sizeof L\"abc\" %zu\n", sizeof L"abc");
    for (const wchar_t *p = ws; *p; p++)
        printf("%d ", (int)*p);
    printf("\n");

    wchar_t wbuf[32];
    wcscpy(wbuf, L"abc");
    wcscat(wbuf, L"DEF" L"ghi");
    printf("%ls %zu\n", wbuf, wcslen(wbuf));
    printf("cmp %d %d\n", wcscmp(L"abc", L"abd") < 0, wcscmp(L"x", L"x"));

    const wchar_t *uni = L"\u00e9\u4e2d\U0001F600";
    printf("unicode %zu: %x %x %x\n", wcslen(uni), (unsigned)uni[0], (unsigned)uni[1],
           (unsigned)uni[2]);

    wchar_t wc = L'Z';
    printf("L'Z' %d sizeof %zu\n", (int)wc, sizeof L'Z');

    const char16_t *u16 = u"hi\u00e9";
    const char32_t *u32 = U"hi\U0001F600";
    printf("u16: %zu %x %x %x\n", sizeof u"hi\u00e9", u16[0], u16[1], u16[2]);
    printf("u32: %zu %x\n", sizeof U"hi\U0001F600", (unsigned)u32[2]);
    char16_t surrogate[] = u"\U0001F600";
    printf("surrogates %x %x %zu\n", surrogate[0], surrogate[1], sizeof surrogate);

    /* concatenating narrow and wide: the result is wide */
    const wchar_t *mixed = L"ab" "cd";
    printf("%ls\n", mixed);

    /* swprintf and wide formatting */
    wchar_t out[64];
    int n = swprintf(out, 64, L"%d-%ls-%c", 42, L"x", 'q');
    printf("%d %ls\n", n, out);

    /* wmemset / wmemcpy */
    wchar_t arr[8];
    wmemset(arr, L'*', 7);
    arr[7] = 0;
    printf("%ls\n", arr);
    wmemcpy(arr + 2, L"AB", 2);
    printf("%ls\n", arr);
    return 0;
}

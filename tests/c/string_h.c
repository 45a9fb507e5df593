/* <string.h>: copying, concatenation, comparison, searching, tokenising, memory functions. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[64];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strncat(buf, "World!!!", 6);
    printf("%s %zu\n", buf, strlen(buf));

    char n[8];
    memset(n, 'Z', sizeof n);
    strncpy(n, "ab", sizeof n);
    printf("%s %d %d\n", n, n[2], n[7]);
    strncpy(n, "abcdefghij", 4);
    printf("%.8s\n", n);

    printf("%d %d %d\n", strcmp("apple", "apricot") < 0, strncmp("apple", "apricot", 2),
           strcmp("b", "a") > 0);
    printf("%d\n", memcmp("\x01\x02\x03", "\x01\x02\x04", 3) < 0);

    const char *s = "the quick brown fox jumps over the lazy dog";
    printf("strchr %s\n", strchr(s, 'q'));
    printf("strrchr %s\n", strrchr(s, 't'));
    printf("strstr %s\n", strstr(s, "fox"));
    printf("strstr miss %d\n", strstr(s, "cat") == NULL);
    printf("strspn %zu strcspn %zu\n", strspn("aaabbbccc", "ab"), strcspn(s, "xyz"));
    printf("strpbrk %s\n", strpbrk(s, "jxz"));
    printf("memchr %s\n", (const char *)memchr(s, 'l', strlen(s)));

    char line[] = "alpha,beta;;gamma , delta";
    int count = 0;
    for (char *tok = strtok(line, ",; "); tok; tok = strtok(NULL, ",; "))
        printf("[%s]", tok), count++;
    printf(" %d tokens\n", count);

    /* memmove with overlap in both directions */
    char m[] = "0123456789";
    memmove(m + 2, m, 5);
    printf("%s\n", m);
    char m2[] = "0123456789";
    memmove(m2, m2 + 3, 6);
    printf("%s\n", m2);

    int arr[5] = {1, 2, 3, 4, 5}, copy[5];
    memcpy(copy, arr, sizeof arr);
    memset(arr, 0, sizeof arr);
    printf("%d %d %d\n", copy[0], copy[4], arr[2]);

    /* strlen of edge cases and strerror-free behaviour */
    printf("%zu %zu\n", strlen(""), strlen("a\0b"));
    char big[300];
    memset(big, 'q', 299);
    big[299] = 0;
    printf("%zu\n", strlen(big));

    /* strdup-style copy and reversing in place */
    char word[] = "stressed";
    size_t len = strlen(word);
    for (size_t i = 0; i < len / 2; i++) {
        char t = word[i];
        word[i] = word[len - 1 - i];
        word[len - 1 - i] = t;
    }
    printf("%s\n", word);

    /* counting occurrences with strstr */
    const char *hay = "abababab";
    int occ = 0;
    for (const char *p = hay; (p = strstr(p, "aba")) != NULL; p++)
        occ++;
    printf("occurrences %d\n", occ);
    return 0;
}

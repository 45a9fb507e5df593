/* Calls of C library functions with no declaration in scope: gcc gives them the library's
   prototype (warning "incompatible implicit declaration of built-in function"), so pointer
   and floating results are not truncated to int and arguments are converted. */
int printf(const char *, ...);

static union {
    char buf[32];
    long long align;
} u;

int main(void)
{
    char *p = memset(u.buf + 3, 'x', 4);
    printf("%d %s\n", p == u.buf + 3, u.buf + 3);
    char *q = strchr(u.buf + 3, 'x');
    printf("%d %d\n", q == u.buf + 3, (int)strlen(q));
    double r = sqrt(16);
    printf("%.1f %.2f\n", r, fabs(-2.5));
    char *m = malloc(100);
    m[0] = 'k';
    m[1] = 0;
    printf("%s\n", m);
    free(m);
    return abs(-0);
}

/* A later definition of another type replaces the implicit library declaration (gcc
   warns "conflicting types for built-in function"). */
int strspn(const char *s, const char *accept)
{
    (void)s;
    (void)accept;
    return 0;
}

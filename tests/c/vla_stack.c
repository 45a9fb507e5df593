/* VLAs and alloca on the dynamic stack: scope-exit release (block end, break, continue,
   goto, return), sizeof of VLAs, alloca lifetime, recursion, a VLA in a signal handler. */
#include <alloca.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static long maxrss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static long sum_vla(int n) {
    long a[n];
    for (int i = 0; i < n; i++)
        a[i] = i;
    long s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s + (long)sizeof a;
}

static int depth_sum(int d) {
    char buf[d + 1];
    memset(buf, d, sizeof buf);
    if (d == 0)
        return buf[0];
    return buf[d] + depth_sum(d - 1);
}

static volatile int handled;
static void on_signal(int s) {
    int n = 100 + s;
    char a[n];
    memset(a, 1, sizeof a);
    handled += a[n - 1] + (int)sizeof a;
}

static int alloca_keep(int k) {
    int *ptrs[8];
    for (int i = 0; i < 8; i++) {
        ptrs[i] = alloca(sizeof(int) * (k + i));
        ptrs[i][0] = i * k;
    }
    int s = 0;
    for (int i = 0; i < 8; i++) /* every alloca block is still alive */
        s += ptrs[i][0];
    return s;
}

int main(void) {
    const int big = 1 << 20;
    long total = 0;
    /* 10^5 iterations of a 1 MB VLA: must not accumulate. */
    for (int i = 0; i < 100000; i++) {
        char v[big + (i & 7)];
        v[0] = (char)i;
        v[sizeof v - 1] = 1;
        total += v[0] + v[sizeof v - 1] + (long)(sizeof v - big);
    }
    printf("loop total %ld\n", total);
    /* break / continue / goto out of VLA scopes inside loops */
    for (int i = 0; i < 50000; i++) {
        char w[big];
        w[i % big] = 1;
        if (i % 3 == 0)
            continue;
        if (i == 49999)
            break;
        total += w[i % big];
    }
    int j = 0;
again:
    if (j < 50000) {
        char g[big];
        g[0] = 2;
        total += g[0];
        j++;
        goto again;
    }
    printf("after jumps %ld\n", total);
    /* sizeof of VLAs, multidimensional, computed at the declaration */
    int r = 3, c = 5;
    double m[r][c];
    r = 100;
    printf("sizeof m=%zu m[0]=%zu\n", sizeof m, sizeof m[0]);
    for (int x = 0; x < 3; x++)
        for (int y = 0; y < c; y++)
            m[x][y] = x * 10 + y;
    printf("m[2][4]=%.0f\n", m[2][4]);
    printf("sum_vla %ld %ld\n", sum_vla(10), sum_vla(1000));
    printf("depth_sum %d\n", depth_sum(200));
    long acc = 0;
    for (int i = 0; i < 100000; i++)
        acc += alloca_keep(i & 15);
    printf("alloca %ld\n", acc);
    signal(SIGUSR1, on_signal);
    for (int i = 0; i < 100; i++)
        raise(SIGUSR1);
    printf("handled %d\n", handled);
    long rss = maxrss_mb();
    printf("rss bounded: %d\n", rss < 400);
    return 0;
}

/* volatile is honoured at every optimisation level: two reads of a volatile object another
   thread keeps changing are two loads; a flag set by a signal handler is re-read. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static volatile long counter;
static volatile int stop;
static volatile sig_atomic_t ticked;
struct regs { int status; int data; };
static volatile struct regs dev;

static void *writer(void *a) {
    while (!stop) {
        counter++;
        dev.data++;
    }
    return a;
}

static void on_alarm(int s) { ticked = s; }

int main(void) {
    pthread_t t;
    pthread_create(&t, 0, writer, 0);
    long seen = 0, seen_member = 0;
    time_t start = time(0);
    while ((seen < 1 || seen_member < 1) && time(0) - start < 8) {
        for (int k = 0; k < 1000; k++) {
            long a = counter;
            long b = counter;
            if (a != b)
                seen++;
            int c = dev.data;
            int d = dev.data;
            if (c != d)
                seen_member++;
        }
    }
    stop = 1;
    pthread_join(t, 0);
    printf("two reads differ: %d %d\n", seen >= 1, seen_member >= 1);

    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, 0);
    long spins = 0;
    while (!ticked)
        spins++;
    printf("flag from handler: %d (spun: %d)\n", (int)ticked, spins > 0);

    /* Stores: each one happens (the last one is what a reader sees). */
    dev.status = 1;
    dev.status = 2;
    dev.status = 3;
    printf("status %d\n", dev.status);
    return 0;
}

/* Thread-local storage: each thread has its own copy of __thread / _Thread_local objects,
   initialised from the definition, also in threads created by the program. */
#include <pthread.h>
#include <stdio.h>

int shared = 1000;
__thread int counter = 7;            /* .tdata */
_Thread_local long zeroed;           /* .tbss */
static __thread char name[16] = "init";
static __thread int *ptr = &shared;  /* relocation inside the template */
__thread struct { int a; double d; } pair = {3, 2.5};

#define NTHREADS 4

struct result {
    int id;
    int counter;
    long zeroed;
    char name[16];
    int via_ptr;
    int pair_a;
    double pair_d;
    int *counter_addr;
};

static struct result results[NTHREADS + 1];

static void work(int id) {
    for (int i = 0; i < 1000 * (id + 1); i++)
        counter++;
    zeroed += id * 10;
    name[0] = 'a' + id;
    pair.a += id;
    pair.d *= id + 1;
    struct result *r = &results[id];
    r->id = id;
    r->counter = counter;
    r->zeroed = zeroed;
    for (int i = 0; i < 16; i++)
        r->name[i] = name[i];
    r->via_ptr = *ptr;
    r->pair_a = pair.a;
    r->pair_d = pair.d;
    r->counter_addr = &counter;
}

static pthread_barrier_t all_alive;

static void *thread_main(void *arg) {
    work((int)(long)arg);
    /* Every thread is alive here at once, so their copies must be distinct. */
    pthread_barrier_wait(&all_alive);
    return 0;
}

int main(void) {
    pthread_t t[NTHREADS];
    counter = 1; /* main's copy only */
    pthread_barrier_init(&all_alive, 0, NTHREADS + 1);
    for (long i = 1; i <= NTHREADS; i++)
        pthread_create(&t[i - 1], 0, thread_main, (void *)i);
    work(0);
    pthread_barrier_wait(&all_alive);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], 0);
    int distinct = 1;
    for (int i = 0; i <= NTHREADS; i++) {
        struct result *r = &results[i];
        printf("id=%d counter=%d zeroed=%ld name=%s via_ptr=%d pair=%d,%.1f\n", r->id,
               r->counter, r->zeroed, r->name, r->via_ptr, r->pair_a, r->pair_d);
        for (int j = 0; j < i; j++)
            if (results[j].counter_addr == r->counter_addr)
                distinct = 0;
    }
    printf("distinct addresses: %d\n", distinct);
    printf("main counter=%d\n", counter);
    return 0;
}

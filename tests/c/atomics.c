/* C11 atomics: _Atomic objects (++, +=, plain loads and stores are atomic), <stdatomic.h>,
   the GNU __atomic builtins (generic and _n forms), atomic_flag; checked with threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define NTHREADS 4
#define ITERS 20000

static _Atomic int counter;
static _Atomic(long) total;
static atomic_uint fetched;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static long plain_under_lock;
static long cas_counter;
static _Atomic(int *) last_ptr;
static int slots[NTHREADS];

static void *work(void *arg) {
    int id = (int)(long)arg;
    for (int i = 0; i < ITERS; i++) {
        counter++;
        total += 2;
        atomic_fetch_add(&fetched, 3u);
        while (atomic_flag_test_and_set(&lock))
            ;
        plain_under_lock++;
        atomic_flag_clear(&lock);
        long old = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(&cas_counter, &old, old + 1, 1, __ATOMIC_ACQ_REL,
                                            __ATOMIC_RELAXED))
            ;
    }
    atomic_store(&last_ptr, &slots[id]);
    return 0;
}

int main(void) {
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], 0, work, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], 0);
    printf("counter=%d total=%ld fetched=%u locked=%ld cas=%ld\n", atomic_load(&counter),
           (long)total, atomic_load_explicit(&fetched, memory_order_relaxed),
           plain_under_lock, cas_counter);
    int *p = atomic_load(&last_ptr);
    printf("last_ptr in slots: %d\n", p >= slots && p < slots + NTHREADS);

    /* Single-threaded semantics of each operation. */
    _Atomic int a = 10;
    int pre = ++a, post = a--, cur = a;
    a *= 3;
    a -= 4;
    a <<= 1;
    printf("pre=%d post=%d cur=%d a=%d\n", pre, post, cur, (int)a);
    atomic_int b = ATOMIC_VAR_INIT(7);
    atomic_init(&b, 8);
    int expected = 1;
    _Bool ok = atomic_compare_exchange_strong(&b, &expected, 5);
    printf("cas fail: ok=%d expected=%d b=%d\n", ok, expected, atomic_load(&b));
    ok = atomic_compare_exchange_weak(&b, &expected, 5);
    printf("cas ok: ok=%d b=%d\n", ok, atomic_load(&b));
    int x1 = atomic_exchange(&b, 42);
    printf("exchange old=%d new=%d\n", x1, atomic_load(&b));
    int f1 = atomic_fetch_or(&b, 1);
    int f2 = atomic_fetch_and(&b, 0x2f);
    int f3 = atomic_fetch_xor(&b, 0xff);
    int f4 = atomic_fetch_sub(&b, 100);
    printf("fetch or=%d and=%d xor=%d sub=%d now=%d\n", f1, f2, f3, f4, atomic_load(&b));
    long g = 5, gv = 9, gret = 0, gdes = 77;
    __atomic_store(&g, &gv, __ATOMIC_SEQ_CST);
    __atomic_load(&g, &gret, __ATOMIC_SEQ_CST);
    printf("generic store/load %ld %ld\n", g, gret);
    __atomic_exchange(&g, &gdes, &gret, __ATOMIC_SEQ_CST);
    printf("generic exchange old=%ld now=%ld\n", gret, g);
    long gexp = 77, gnew = 1;
    ok = __atomic_compare_exchange(&g, &gexp, &gnew, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("generic cas ok=%d g=%ld\n", ok, g);
    long r1 = __atomic_add_fetch(&g, 5, 5);
    long r2 = __atomic_fetch_add(&g, 5, 5);
    long r3 = __atomic_sub_fetch(&g, 1, 5);
    printf("add_fetch=%ld fetch_add=%ld sub_fetch=%ld\n", r1, r2, r3);
    unsigned char flag = 0;
    int t1 = __atomic_test_and_set(&flag, 5);
    int t2 = __atomic_test_and_set(&flag, 5);
    printf("tas %d %d\n", t1, t2);
    __atomic_clear(&flag, 5);
    printf("cleared %d\n", flag);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    atomic_signal_fence(memory_order_seq_cst);
    printf("lock free: %d %d %d %d\n", ATOMIC_INT_LOCK_FREE, ATOMIC_POINTER_LOCK_FREE,
           (int)__atomic_always_lock_free(sizeof(long), 0), atomic_is_lock_free(&b));
    printf("sizeof atomic_int=%zu _Atomic(char)=%zu\n", sizeof(atomic_int), sizeof(_Atomic(char)));
    return 0;
}

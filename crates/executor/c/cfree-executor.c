/*
 * cfree-executor: the target side of a live image on another architecture.
 *
 * The host (cfree, a LinkSession writing through cfree-executor's RemoteMemory and
 * RemoteResolver) starts this program under qemu-user and drives it over two pipes:
 * requests arrive on fd 3, replies leave on fd 4. The program's own stdin, stdout and
 * stderr are the image's. The host builds it for the target with the target's cross
 * gcc the first time it is needed (src/build.rs) and caches the binary.
 *
 * Memory is one reservation mapped twice from a memfd: the view code runs from
 * (PROT_NONE until the host protects a range R, RW or RX) and a read-write alias the
 * host's writes go through, so no page is ever writable and executable (W^X) and pages
 * that already hold running code receive appended code without changing protection.
 *
 * Every message is little-endian: a request is `u32 op, u32 len, len bytes`; a reply is
 * `u32 status, u32 len, len bytes` (status 0: done; otherwise errno, and the bytes are a
 * message). The operations are the OP_* constants; the host's protocol.rs mirrors them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
    OP_HELLO = 1,
    OP_RESERVE = 2,
    OP_WRITE = 3,
    OP_READ = 4,
    OP_PROTECT = 5,
    OP_FLUSH = 6,
    OP_STORE_PTR = 7,
    OP_DLSYM = 8,
    OP_DLOPEN = 9,
    OP_CALL = 10,
    OP_RUN_MAIN = 11,
    OP_EXIT = 12,
    OP_AT_EXIT = 13,
    OP_RUN_CTORS = 14,
    OP_CALLER_START = 15,
    OP_CALLER_STOP = 16,
    OP_TLS_REGISTER = 17,
};

/* Register classes of a call's result (OP_CALL). */
enum { RET_VOID = 0, RET_INT = 1, RET_DOUBLE = 2, RET_FLOAT = 3 };

#define REQ_FD 3
#define REP_FD 4
#define MAX_MSG (64u << 20)

extern char **environ;

/* The reservation: its view (where code runs) and its writable alias. */
static uint8_t *view;
static uint8_t *alias;
static uint64_t reserved;

/* What __dso_handle resolves to for the image: exit handlers it registers run at exit. */
void *cfree_executor_dso_handle = &cfree_executor_dso_handle;

/* `atexit` for the image: glibc keeps atexit in libc_nonshared.a, not in libc.so. */
int cfree_executor_atexit(void (*f)(void)) { return atexit(f); }

static void die(const char *what) {
    fprintf(stderr, "cfree-executor: %s: %s\n", what, strerror(errno));
    _exit(127);
}

static int read_full(void *buf, size_t n) {
    uint8_t *p = buf;
    while (n) {
        ssize_t r = read(REQ_FD, p, n);
        if (r == 0)
            return 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            die("reading a request");
        }
        p += r;
        n -= (size_t)r;
    }
    return 1;
}

static void write_full(const void *buf, size_t n) {
    const uint8_t *p = buf;
    while (n) {
        ssize_t r = write(REP_FD, p, n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            die("writing a reply");
        }
        p += r;
        n -= (size_t)r;
    }
}

static void reply(uint32_t status, const void *data, uint32_t len) {
    uint32_t head[2] = {status, len};
    write_full(head, sizeof head);
    if (len)
        write_full(data, len);
}

static void reply_error(int err, const char *msg) {
    reply((uint32_t)(err ? err : EINVAL), msg, (uint32_t)strlen(msg));
}

static void reply_u64(uint64_t v) { reply(0, &v, sizeof v); }

static uint64_t get_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The alias address of [addr, addr+len) if it lies in the reservation, else NULL. */
static uint8_t *in_alias(uint64_t addr, uint64_t len) {
    uint64_t base = (uint64_t)(uintptr_t)view;
    if (!view || addr < base || len > reserved || addr - base > reserved - len)
        return NULL;
    return alias + (addr - base);
}

static void op_reserve(const uint8_t *m, uint32_t len) {
    if (len != 16)
        return reply_error(EINVAL, "bad reserve request");
    if (view)
        return reply_error(EEXIST, "the image is already reserved");
    uint64_t size = get_u64(m), hint = get_u64(m + 8);
    int fd = memfd_create("cfree-image", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
        return reply_error(errno, "memfd for the image");
    void *v = mmap((void *)(uintptr_t)hint, size, PROT_NONE, MAP_SHARED, fd, 0);
    if (v == MAP_FAILED)
        return reply_error(errno, "mapping the image view");
    void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (a == MAP_FAILED)
        return reply_error(errno, "mapping the image's writable alias");
    close(fd);
    view = v;
    alias = a;
    reserved = size;
    reply_u64((uint64_t)(uintptr_t)v);
}

static void op_write(const uint8_t *m, uint32_t len) {
    if (len < 8)
        return reply_error(EINVAL, "bad write request");
    uint8_t *dst = in_alias(get_u64(m), len - 8);
    if (!dst)
        return reply_error(EFAULT, "write outside the image");
    memcpy(dst, m + 8, len - 8);
    reply(0, NULL, 0);
}

static void op_read(const uint8_t *m, uint32_t len) {
    if (len != 16)
        return reply_error(EINVAL, "bad read request");
    uint64_t n = get_u64(m + 8);
    uint8_t *src = in_alias(get_u64(m), n);
    if (!src || n > MAX_MSG)
        return reply_error(EFAULT, "read outside the image");
    reply(0, src, (uint32_t)n);
}

static void op_protect(const uint8_t *m, uint32_t len) {
    if (len != 20)
        return reply_error(EINVAL, "bad protect request");
    uint64_t addr = get_u64(m), n = get_u64(m + 8);
    uint32_t prot;
    memcpy(&prot, m + 16, 4);
    int p = prot == 0 ? PROT_READ : prot == 1 ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC;
    if (prot > 2 || !in_alias(addr, n))
        return reply_error(EINVAL, "bad protection or range");
    if (mprotect((void *)(uintptr_t)addr, n, p) != 0)
        return reply_error(errno, "mprotect");
    reply(0, NULL, 0);
}

static void op_flush(const uint8_t *m, uint32_t len) {
    if (len != 16)
        return reply_error(EINVAL, "bad flush request");
    uint64_t addr = get_u64(m), n = get_u64(m + 8);
    if (!in_alias(addr, n))
        return reply_error(EFAULT, "flush outside the image");
    /* Code was written through the alias: make it visible to fetches from the view. */
    __builtin___clear_cache((char *)(uintptr_t)addr, (char *)(uintptr_t)(addr + n));
    reply(0, NULL, 0);
}

static void op_store_ptr(const uint8_t *m, uint32_t len) {
    if (len != 16)
        return reply_error(EINVAL, "bad store request");
    uint64_t addr = get_u64(m);
    uint8_t *dst = in_alias(addr, 8);
    if (!dst || addr % 8)
        return reply_error(EFAULT, "slot store outside the image or misaligned");
    /* One aligned 64-bit store: a thread calling through the slot sees old or new. */
    __atomic_store_n((uint64_t *)dst, get_u64(m + 8), __ATOMIC_RELEASE);
    reply(0, NULL, 0);
}

/* NUL-terminated copy of a name in a request. */
static char *name_of(const uint8_t *m, uint32_t len) {
    char *s = malloc((size_t)len + 1);
    if (!s)
        die("malloc");
    memcpy(s, m, len);
    s[len] = 0;
    return s;
}

static void op_dlsym(const uint8_t *m, uint32_t len) {
    char *name = name_of(m, len);
    void *p = dlsym(RTLD_DEFAULT, name);
    free(name);
    reply_u64((uint64_t)(uintptr_t)p);
}

static void op_dlopen(const uint8_t *m, uint32_t len) {
    char *name = name_of(m, len);
    void *h = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    free(name);
    if (!h) {
        const char *e = dlerror();
        return reply_error(ENOENT, e ? e : "dlopen failed");
    }
    reply(0, NULL, 0);
}

/*
 * A call with up to eight integer and eight floating-point arguments. On AArch64 and
 * RISC-V the two register files are assigned independently, so passing all sixteen
 * covers any prototype with at most eight of each class and no stack arguments; a
 * `float` travels as the low half of a double whose high half is all ones (the NaN-box
 * RISC-V requires; AArch64 reads only the low half).
 */
typedef uint64_t (*int_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                           uint64_t, uint64_t, double, double, double, double, double,
                           double, double, double);
typedef double (*dbl_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                         uint64_t, double, double, double, double, double, double, double,
                         double);
typedef float (*flt_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                        uint64_t, double, double, double, double, double, double, double,
                        double);

static void op_call(const uint8_t *m, uint32_t len) {
    if (len != 8 + 4 + 16 * 8)
        return reply_error(EINVAL, "bad call request");
    void *f = (void *)(uintptr_t)get_u64(m);
    uint32_t ret;
    memcpy(&ret, m + 8, 4);
    uint64_t a[8];
    double d[8];
    for (int i = 0; i < 8; i++) {
        a[i] = get_u64(m + 12 + 8 * i);
        uint64_t bits = get_u64(m + 12 + 64 + 8 * i);
        memcpy(&d[i], &bits, 8);
    }
    uint64_t out[2] = {0, 0};
    if (ret == RET_DOUBLE) {
        double r = ((dbl_fn)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], d[0], d[1], d[2],
                               d[3], d[4], d[5], d[6], d[7]);
        memcpy(&out[1], &r, 8);
    } else if (ret == RET_FLOAT) {
        float r = ((flt_fn)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], d[0], d[1], d[2],
                              d[3], d[4], d[5], d[6], d[7]);
        uint32_t bits;
        memcpy(&bits, &r, 4);
        out[1] = bits;
    } else {
        out[0] = ((int_fn)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], d[0], d[1], d[2],
                             d[3], d[4], d[5], d[6], d[7]);
    }
    reply(0, out, sizeof out);
}

/* Splits `len` bytes of NUL-terminated strings into a NULL-terminated vector. */
static char **strings_of(const uint8_t *m, uint32_t len, int *count) {
    int n = 0;
    for (uint32_t i = 0; i < len; i++)
        n += m[i] == 0;
    char **v = calloc((size_t)n + 1, sizeof *v);
    char *copy = malloc((size_t)len + 1);
    if (!v || !copy)
        die("malloc");
    memcpy(copy, m, len);
    int k = 0;
    for (uint32_t i = 0; i < len && k < n; k++) {
        v[k] = copy + i;
        i += (uint32_t)strlen(copy + i) + 1;
    }
    *count = n;
    return v;
}

/* glibc's (GNU extensions of <errno.h>). */
extern char *program_invocation_name, *program_invocation_short_name;

static void op_run_main(const uint8_t *m, uint32_t len) {
    if (len < 8)
        return reply_error(EINVAL, "bad run request");
    int (*main_fn)(int, char **, char **) = (int (*)(int, char **, char **))(uintptr_t)get_u64(m);
    int argc;
    char **argv = strings_of(m + 8, len - 8, &argc);
    /* glibc's name for the program (assert, err, getopt messages) is the program's argv[0],
     * as with `cfree run` on the host, not this executor's. */
    if (argc > 0) {
        const char *slash = strrchr(argv[0], '/');
        program_invocation_name = argv[0];
        program_invocation_short_name = (char *)(slash ? slash + 1 : argv[0]);
    }
    int status = main_fn(argc, argv, environ);
    uint64_t s = (uint64_t)(int64_t)status;
    reply_u64(s);
}

static void op_run_ctors(const uint8_t *m, uint32_t len) {
    char *argv[1] = {NULL};
    for (uint32_t i = 0; i + 8 <= len; i += 8) {
        void (*f)(int, char **, char **) = (void (*)(int, char **, char **))(uintptr_t)get_u64(m + i);
        f(0, argv, environ);
    }
    reply(0, NULL, 0);
}

/* Destructor tables of one append, run last-to-first at exit. */
struct fini_batch {
    uint32_t n;
    uint64_t addr[];
};

static void run_fini(void *arg) {
    struct fini_batch *b = arg;
    for (uint32_t i = b->n; i-- > 0;)
        ((void (*)(void))(uintptr_t)b->addr[i])();
    free(b);
}

extern int __cxa_atexit(void (*)(void *), void *, void *);

static void op_at_exit(const uint8_t *m, uint32_t len) {
    uint32_t n = len / 8;
    if (n == 0)
        return reply(0, NULL, 0);
    struct fini_batch *b = malloc(sizeof *b + (size_t)n * 8);
    if (!b)
        die("malloc");
    b->n = n;
    memcpy(b->addr, m, (size_t)n * 8);
    if (__cxa_atexit(run_fini, b, cfree_executor_dso_handle) != 0)
        return reply_error(ENOMEM, "__cxa_atexit");
    reply(0, NULL, 0);
}

/*
 * A thread calling `long f(void)` in a loop until told to stop: the target side of the
 * reload stress test. It records the sequence of distinct results it saw (run-length),
 * which must move from old bodies to new ones and never back.
 */
#define MAX_SEEN 64
struct caller {
    pthread_t thread;
    uint64_t (*fn)(void);
    int stop;
    uint64_t calls;
    uint32_t nseen;
    uint64_t seen[MAX_SEEN];
};

static void *caller_loop(void *arg) {
    struct caller *c = arg;
    while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
        uint64_t r = c->fn();
        if (c->nseen == 0 || (c->seen[c->nseen - 1] != r && c->nseen < MAX_SEEN))
            c->seen[c->nseen++] = r;
        __atomic_store_n(&c->calls, c->calls + 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void op_caller_start(const uint8_t *m, uint32_t len) {
    if (len != 8)
        return reply_error(EINVAL, "bad caller request");
    struct caller *c = calloc(1, sizeof *c);
    if (!c)
        die("calloc");
    c->fn = (uint64_t (*)(void))(uintptr_t)get_u64(m);
    int e = pthread_create(&c->thread, NULL, caller_loop, c);
    if (e)
        return free(c), reply_error(e, "pthread_create");
    /* Answer once the thread has made its first call, so the host knows it runs. */
    while (__atomic_load_n(&c->calls, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    reply_u64((uint64_t)(uintptr_t)c);
}

static void op_caller_stop(const uint8_t *m, uint32_t len) {
    if (len != 8)
        return reply_error(EINVAL, "bad caller request");
    struct caller *c = (struct caller *)(uintptr_t)get_u64(m);
    /* Two more calls first: the second began after this request, so after every slot
     * store the host made before it, and its result is the latest body's. */
    uint64_t c0 = __atomic_load_n(&c->calls, __ATOMIC_ACQUIRE);
    while (__atomic_load_n(&c->calls, __ATOMIC_ACQUIRE) < c0 + 2)
        sched_yield();
    __atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
    pthread_join(c->thread, NULL);
    uint64_t out[2 + MAX_SEEN];
    out[0] = c->calls;
    out[1] = c->nseen;
    memcpy(out + 2, c->seen, c->nseen * 8);
    reply(0, out, (uint32_t)((2 + c->nseen) * 8));
    free(c);
}

/*
 * Thread-local storage of the image. The linker places each .tdata/.tbss as a template
 * and gives the code the variable's template address (a general-dynamic cell, or the
 * second word of a TLS descriptor); each thread gets its own copy of a template on first
 * access (the .tdata bytes, the rest zero), and the address is the same offset in it.
 * Not done: a thread's copies are not freed when it exits.
 */
#define MAX_TLS_BLOCKS 256
struct tls_block {
    uint64_t addr, size, init_len, align;
};
static struct tls_block tls_blocks[MAX_TLS_BLOCKS];
static int tls_count;
static __thread uint8_t *tls_copies[MAX_TLS_BLOCKS];

void *cfree_executor_tls_addr(uint64_t addr) {
    int n = __atomic_load_n(&tls_count, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) {
        const struct tls_block *b = &tls_blocks[i];
        uint64_t span = b->size ? b->size : 1;
        if (addr < b->addr || addr - b->addr >= span)
            continue;
        uint8_t *c = tls_copies[i];
        if (!c) {
            size_t align = b->align < sizeof(void *) ? sizeof(void *) : (size_t)b->align;
            size_t size = (size_t)((span + align - 1) / align * align);
            c = aligned_alloc(align, size);
            if (!c) {
                fputs("cfree-executor: out of memory for thread-local storage\n", stderr);
                abort();
            }
            memcpy(c, (const void *)(uintptr_t)b->addr, (size_t)b->init_len);
            memset(c + b->init_len, 0, size - (size_t)b->init_len);
            tls_copies[i] = c;
        }
        return c + (addr - b->addr);
    }
    fprintf(stderr, "cfree-executor: %#llx is no thread-local of the image\n",
            (unsigned long long)addr);
    abort();
}

/* `__tls_get_addr` for the image: the cell holds the variable's template address. */
void *cfree_executor_tls_get_addr(const uint64_t *cell) { return cfree_executor_tls_addr(cell[0]); }

#if defined(__aarch64__)
/*
 * The TLS descriptor resolver (AArch64 TLSDESC): x0 is the descriptor, whose second word
 * is the template address; it returns the thread's address minus tpidr_el0 and, as that
 * calling convention requires, preserves every register but x0 (all of x1-x18, the whole
 * of v0-v31 and the flags are saved around the C lookup).
 */
__asm__(".text\n"
        ".global cfree_executor_tlsdesc\n"
        ".type cfree_executor_tlsdesc, %function\n"
        "cfree_executor_tlsdesc:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  mov x29, sp\n"
        "  sub sp, sp, #672\n"
        "  stp x1, x2, [sp, #0]\n"
        "  stp x3, x4, [sp, #16]\n"
        "  stp x5, x6, [sp, #32]\n"
        "  stp x7, x8, [sp, #48]\n"
        "  stp x9, x10, [sp, #64]\n"
        "  stp x11, x12, [sp, #80]\n"
        "  stp x13, x14, [sp, #96]\n"
        "  stp x15, x16, [sp, #112]\n"
        "  stp x17, x18, [sp, #128]\n"
        "  mrs x1, nzcv\n"
        "  str x1, [sp, #144]\n"
        "  add x1, sp, #160\n"
        "  stp q0, q1, [x1, #0]\n"
        "  stp q2, q3, [x1, #32]\n"
        "  stp q4, q5, [x1, #64]\n"
        "  stp q6, q7, [x1, #96]\n"
        "  stp q8, q9, [x1, #128]\n"
        "  stp q10, q11, [x1, #160]\n"
        "  stp q12, q13, [x1, #192]\n"
        "  stp q14, q15, [x1, #224]\n"
        "  stp q16, q17, [x1, #256]\n"
        "  stp q18, q19, [x1, #288]\n"
        "  stp q20, q21, [x1, #320]\n"
        "  stp q22, q23, [x1, #352]\n"
        "  stp q24, q25, [x1, #384]\n"
        "  stp q26, q27, [x1, #416]\n"
        "  stp q28, q29, [x1, #448]\n"
        "  stp q30, q31, [x1, #480]\n"
        "  ldr x0, [x0, #8]\n"
        "  bl cfree_executor_tls_addr\n"
        "  mrs x1, tpidr_el0\n"
        "  sub x0, x0, x1\n"
        "  add x1, sp, #160\n"
        "  ldp q0, q1, [x1, #0]\n"
        "  ldp q2, q3, [x1, #32]\n"
        "  ldp q4, q5, [x1, #64]\n"
        "  ldp q6, q7, [x1, #96]\n"
        "  ldp q8, q9, [x1, #128]\n"
        "  ldp q10, q11, [x1, #160]\n"
        "  ldp q12, q13, [x1, #192]\n"
        "  ldp q14, q15, [x1, #224]\n"
        "  ldp q16, q17, [x1, #256]\n"
        "  ldp q18, q19, [x1, #288]\n"
        "  ldp q20, q21, [x1, #320]\n"
        "  ldp q22, q23, [x1, #352]\n"
        "  ldp q24, q25, [x1, #384]\n"
        "  ldp q26, q27, [x1, #416]\n"
        "  ldp q28, q29, [x1, #448]\n"
        "  ldp q30, q31, [x1, #480]\n"
        "  ldr x1, [sp, #144]\n"
        "  msr nzcv, x1\n"
        "  ldp x1, x2, [sp, #0]\n"
        "  ldp x3, x4, [sp, #16]\n"
        "  ldp x5, x6, [sp, #32]\n"
        "  ldp x7, x8, [sp, #48]\n"
        "  ldp x9, x10, [sp, #64]\n"
        "  ldp x11, x12, [sp, #80]\n"
        "  ldp x13, x14, [sp, #96]\n"
        "  ldp x15, x16, [sp, #112]\n"
        "  ldp x17, x18, [sp, #128]\n"
        "  mov sp, x29\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".size cfree_executor_tlsdesc, .-cfree_executor_tlsdesc\n");
#endif

static void op_tls_register(const uint8_t *m, uint32_t len) {
    if (len % 32)
        return reply_error(EINVAL, "bad thread-local template list");
    int n = __atomic_load_n(&tls_count, __ATOMIC_RELAXED);
    if (n + (int)(len / 32) > MAX_TLS_BLOCKS)
        return reply_error(ENOSPC, "too many thread-local templates");
    for (uint32_t i = 0; i < len; i += 32) {
        struct tls_block b = {get_u64(m + i), get_u64(m + i + 8), get_u64(m + i + 16),
                              get_u64(m + i + 24)};
        if (b.init_len > b.size || (b.align & (b.align - 1)))
            return reply_error(EINVAL, "bad thread-local template");
        tls_blocks[n++] = b;
    }
    /* Published after the entries: a thread that sees the count sees them. */
    __atomic_store_n(&tls_count, n, __ATOMIC_RELEASE);
    reply(0, NULL, 0);
}

static void op_hello(void) {
    uint64_t out[2] = {(uint64_t)sysconf(_SC_PAGESIZE), sizeof(void *)};
    reply(0, out, sizeof out);
}

static void serve(uint32_t op, const uint8_t *m, uint32_t len) {
    switch (op) {
    case OP_HELLO: return op_hello();
    case OP_RESERVE: return op_reserve(m, len);
    case OP_WRITE: return op_write(m, len);
    case OP_READ: return op_read(m, len);
    case OP_PROTECT: return op_protect(m, len);
    case OP_FLUSH: return op_flush(m, len);
    case OP_STORE_PTR: return op_store_ptr(m, len);
    case OP_DLSYM: return op_dlsym(m, len);
    case OP_DLOPEN: return op_dlopen(m, len);
    case OP_CALL: return op_call(m, len);
    case OP_RUN_MAIN: return op_run_main(m, len);
    case OP_RUN_CTORS: return op_run_ctors(m, len);
    case OP_AT_EXIT: return op_at_exit(m, len);
    case OP_CALLER_START: return op_caller_start(m, len);
    case OP_CALLER_STOP: return op_caller_stop(m, len);
    case OP_TLS_REGISTER: return op_tls_register(m, len);
    case OP_EXIT: {
        int32_t status = 0;
        if (len == 4)
            memcpy(&status, m, 4);
        reply(0, NULL, 0);
        exit(status); /* flushes the image's stdio and runs its exit handlers */
    }
    default: return reply_error(ENOSYS, "unknown request");
    }
}

int main(void) {
    /* The program the image may start (system, popen) must not inherit the protocol. */
    if (fcntl(REQ_FD, F_SETFD, FD_CLOEXEC) != 0 || fcntl(REP_FD, F_SETFD, FD_CLOEXEC) != 0)
        die("the request and reply descriptors (3 and 4) are not open");
    for (;;) {
        uint32_t head[2];
        if (!read_full(head, sizeof head))
            _exit(0); /* the host went away */
        if (head[1] > MAX_MSG) {
            errno = EMSGSIZE;
            die("request too large");
        }
        uint8_t *m = malloc(head[1] ? head[1] : 1);
        if (!m)
            die("malloc");
        if (!read_full(m, head[1]))
            _exit(0);
        serve(head[0], m, head[1]);
        free(m);
    }
}

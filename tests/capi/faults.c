/* Faults in JIT code come back as CFREE_ERR_FAULT with a symbolized backtrace, and the JIT
 * stays usable: null dereference, division by zero, stack overflow, abort, assert, bad
 * calls, through cfree_jit_call, cfree_jit_protect and cfree_jit_run_main, on two threads;
 * faults outside JIT code still reach the host's handler; handlers are restored at free. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Line numbers below are facts of this text (the test looks for "faults.c:LINE"). */
static const char *program =
    "#include <assert.h>\n"                                            /* 1 */
    "#include <stdlib.h>\n"                                            /* 2 */
    "int deref(int *p) {\n"                                            /* 3 */
    "  return *p;\n"                                                   /* 4 */
    "}\n"                                                              /* 5 */
    "int via_deref(int *p) { return deref(p) + 1; }\n"                 /* 6 */
    "int null_chain(void) { return via_deref(0) + 1; }\n"              /* 7 */
    "int divide(int a, int b) { return a / b; }\n"                     /* 8 */
    "int div_chain(int b) { return divide(10, b) + 1; }\n"             /* 9 */
    "int recurse(int n) { volatile char pad[64]; pad[0] = (char)n;\n"  /* 10 */
    "  return recurse(n + 1) + pad[0]; }\n"                            /* 11 */
    "int start_recursion(void) { return recurse(0) + 1; }\n"           /* 12 */
    "void do_abort(void) { abort(); }\n"                               /* 13 */
    "int abort_chain(void) { do_abort(); return 1; }\n"                /* 14 */
    "int check_positive(int x) { assert(x > 0); return x; }\n"         /* 15 */
    "int call_null(void) { int (*f)(void) = 0; return f() + 1; }\n"    /* 16 */
    "int good(int x) { return x * 2; }\n"                              /* 17 */
    "int main(int argc, char **argv) {\n"                              /* 18 */
    "  if (argc > 1) return null_chain();\n"                           /* 19 */
    "  return argv[0][0] == 'p' ? 3 : 4;\n"                            /* 20 */
    "}\n";                                                             /* 21 */

static char frames[64][64];
static unsigned lines[64];
static int nframes, last_signal;

static int on_frame(void *user, int sig, const CfreeFrame *f)
{
    CHECK(user == (void *)frames);
    /* indices count every frame walked; a deep stack skips the middle ones */
    CHECK(f->index >= (unsigned)nframes);
    last_signal = sig;
    if (nframes < 64) {
        snprintf(frames[nframes], sizeof frames[0], "%s", f->symbol ? f->symbol : "??");
        lines[nframes] = f->line;
        CHECK(f->line == 0 || (f->file && strcmp(f->file, "faults.c") == 0));
    }
    nframes++;
    return 0;
}

/* The backtrace started with exactly these function names (NULL-terminated). */
static void expect_frames(const char *const *names)
{
    int i = 0;
    for (; names[i]; i++) {
        if (i >= nframes || strcmp(frames[i], names[i]) != 0) {
            fprintf(stderr, "frame %d: expected %s, got %s (of %d)\n", i, names[i],
                    i < nframes ? frames[i] : "nothing", nframes);
            exit(1);
        }
    }
}

/* cfree_jit_call(name) faults with `sig`; the message has `needle`. */
static void call_faults(CfreeJit *jit, const char *name, const CfreeValue *args, size_t n,
                        int sig, const char *needle)
{
    nframes = 0;
    CfreeValue r;
    FAILS(jit, cfree_jit_call(jit, name, args, n, CFREE_VALUE_INT, &r), CFREE_ERR_FAULT, needle);
    CHECK(cfree_jit_fault_signal(jit) == sig && last_signal == sig);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_FAULT); /* asking kept it */
}

static void still_good(CfreeJit *jit)
{
    CfreeValue a = {CFREE_VALUE_INT, {.i = 21}}, r;
    OK(jit, cfree_jit_call(jit, "good", &a, 1, CFREE_VALUE_INT, &r));
    CHECK(r.as.i == 42 && cfree_jit_fault_signal(jit) == 0);
    int (*good)(int) = (int (*)(int))cfree_jit_lookup(jit, "good");
    CHECK(good && good(5) == 10);
}

static CfreeJit *the_jit;

static void *thread_faults(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        CfreeValue r;
        if (cfree_jit_call(the_jit, i % 2 ? "null_chain" : "start_recursion", NULL, 0,
                           CFREE_VALUE_INT, &r) == 0)
            return (void *)1;
    }
    return NULL;
}

static void host_null_fn(void *user)
{
    (void)user;
    int (*null_chain)(void) = (int (*)(void))cfree_jit_lookup(the_jit, "null_chain");
    CHECK(null_chain != NULL);
    null_chain();
    CHECK(!"not reached");
}

static void host_fault(void *user)
{
    volatile int *p = user;
    *p = 1; /* host code: not cfree's to catch */
}

static void host_handler(int sig)
{
    (void)sig;
    _exit(42);
}

int main(void)
{
    struct sigaction before, after;
    CHECK(sigaction(SIGSEGV, NULL, &before) == 0);

    /* A fault in host code is not caught: it reaches the handler installed before cfree's
     * (here: the host's, in a child process), or the default action. Forked first, while this
     * process has no threads. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        signal(SIGSEGV, host_handler);
        CfreeJit *j = cfree_jit_new(NULL);
        cfree_jit_add_source(j, "g.c", "int g(void) { return 1; }");
        cfree_jit_protect(j, host_fault, NULL); /* host code faults: host_handler exits 42 */
        _exit(1);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CfreeJit *j = cfree_jit_new(NULL);
        cfree_jit_protect(j, host_fault, NULL); /* no host handler: dies of SIGSEGV */
        _exit(1);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);


    CfreeJit *jit = the_jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);
    OK(jit, cfree_jit_set_options(jit, "-g"));
    OK(jit, cfree_jit_add_source(jit, "faults.c", program));
    OK(jit, cfree_jit_set_backtrace_callback(jit, on_frame, frames));
    still_good(jit);

    /* Null dereference: innermost first, each with its line. */
    call_faults(jit, "null_chain", NULL, 0, SIGSEGV, "SIGSEGV (invalid memory access at 0x0) in deref+0x");
    const char *null_names[] = {"deref", "via_deref", "null_chain", NULL};
    expect_frames(null_names);
    CHECK(nframes == 3); /* null_chain was called by cfree: no frame beyond it */
    CHECK(lines[0] == 4 && lines[1] == 6 && lines[2] == 7);
    CHECK(strstr(cfree_jit_last_error(jit), "(faults.c:4)"));
    CHECK(strstr(cfree_jit_last_error(jit), "#1 0x"));
    const char *m = cfree_jit_last_error(jit);
    CHECK(strstr(m, "via_deref") < strstr(m, "null_chain"));
    still_good(jit);

    /* Division by zero: SIGFPE on x86-64. */
    CfreeValue zero = {CFREE_VALUE_INT, {.i = 0}};
    call_faults(jit, "div_chain", &zero, 1, SIGFPE, "SIGFPE");
    const char *div_names[] = {"divide", "div_chain", NULL};
    expect_frames(div_names);
    CHECK(lines[0] == 8);
    still_good(jit);

    /* Stack overflow by infinite recursion, on the alternate stack: the innermost frames and
     * the outermost ones. */
    call_faults(jit, "start_recursion", NULL, 0, SIGSEGV, "stack overflow");
    CHECK(nframes == 64 && strstr(cfree_jit_last_error(jit), " frames ..."));
    for (int i = 0; i < 63; i++)
        CHECK(strcmp(frames[i], "recurse") == 0);
    CHECK(strcmp(frames[63], "start_recursion") == 0);
    still_good(jit);

    /* abort() and assert() from JIT code: SIGABRT, with glibc's assertion text. */
    call_faults(jit, "abort_chain", NULL, 0, SIGABRT, "SIGABRT (abort() called) in do_abort+0x");
    const char *abort_names[] = {"do_abort", "abort_chain", NULL};
    expect_frames(abort_names);
    CHECK(lines[0] == 13 && lines[1] == 14);
    CfreeValue minus = {CFREE_VALUE_INT, {.i = (uint64_t)-5}};
    call_faults(jit, "check_positive", &minus, 1, SIGABRT,
                "faults.c:15: check_positive: Assertion `x > 0' failed");
    const char *assert_names[] = {"check_positive", NULL};
    expect_frames(assert_names);
    CfreeValue five = {CFREE_VALUE_INT, {.i = 5}}, r;
    OK(jit, cfree_jit_call(jit, "check_positive", &five, 1, CFREE_VALUE_INT, &r));
    CHECK(r.as.i == 5);

    /* A call through a null function pointer: pc 0, called from call_null. */
    call_faults(jit, "call_null", NULL, 0, SIGSEGV, "SIGSEGV");
    CHECK(nframes == 2 && strcmp(frames[0], "??") == 0 && strcmp(frames[1], "call_null") == 0);
    still_good(jit);

    /* cfree_jit_protect around host code calling a looked-up pointer: the host frame is
     * abandoned too. */
    nframes = 0;
    FAILS(jit, cfree_jit_protect(jit, host_null_fn, NULL), CFREE_ERR_FAULT, "deref");
    expect_frames(null_names);
    CHECK(cfree_jit_fault_signal(jit) == SIGSEGV);
    FAILS(jit, cfree_jit_protect(jit, NULL, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");

    /* cfree_jit_run_main: a fault in main's call chain. */
    char *argv[] = {"prog", "crash", NULL};
    nframes = 0;
    CHECK(cfree_jit_run_main(jit, 2, argv) == -1);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_FAULT);
    const char *main_names[] = {"deref", "via_deref", "null_chain", "main", NULL};
    expect_frames(main_names);
    CHECK(cfree_jit_run_main(jit, 1, argv) == 3);

    /* Two threads faulting at once, each catching its own (no callback: it is shared). */
    OK(jit, cfree_jit_set_backtrace_callback(jit, NULL, NULL));
    pthread_t t1, t2;
    void *r1, *r2;
    CHECK(pthread_create(&t1, NULL, thread_faults, NULL) == 0);
    CHECK(pthread_create(&t2, NULL, thread_faults, NULL) == 0);
    CHECK(pthread_join(t1, &r1) == 0 && pthread_join(t2, &r2) == 0);
    CHECK(r1 == NULL && r2 == NULL);
    still_good(jit);

    /* The last free puts the previous handler back. */
    cfree_jit_free(jit);
    CHECK(sigaction(SIGSEGV, NULL, &after) == 0);
    CHECK(after.sa_handler == before.sa_handler);
    puts("faults: ok");
    return 0;
}

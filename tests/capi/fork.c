/* A C host forks with a live image: the child's writes to the image's globals and its
 * reloads and appends stay in the child; the parent's image is as it was, and still works. */
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

typedef int (*int_fn)(void);

static int call(CfreeJit *jit, const char *name) {
    int_fn f = (int_fn)cfree_jit_lookup(jit, name);
    CHECK(f != NULL);
    return f();
}

int main(void) {
    CfreeJitOptions opts = {0};
    opts.indirection = CFREE_JIT_INDIRECT_EXPORTED_FUNCS;
    CfreeJit *jit = cfree_jit_new(&opts);
    CHECK(jit != NULL);
    OK(jit, cfree_jit_add_source(jit, "k.c",
                                 "int counter = 1;\n"
                                 "int bump(void) { return ++counter; }\n"
                                 "int version(void) { return 1; }\n"));
    CHECK(call(jit, "bump") == 2);
    int *counter = (int *)cfree_jit_lookup(jit, "counter");
    CHECK(counter != NULL);
    /* Both processes append at the same place of their images while both are alive: the
     * child first, then the parent, then the child runs what it appended. */
    int to_parent[2], to_child[2];
    CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0);
    char byte = 0;
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(30); /* code the parent overwrote could run forever: die instead */
        int ok = call(jit, "bump") == 3 && *counter == 3;
        CfreeObj *obj = cfree_compile(jit, "v2.c", "int version(void) { return 2; }\n");
        CfreeJitReloadOptions r = {"version", obj, 0};
        ok = ok && obj && cfree_jit_reload_function(jit, &r) == 0 && call(jit, "version") == 2;
        ok = ok && cfree_jit_add_source(jit, "x.c", "int extra(void) { return 5; }\n") == 0;
        ok = ok && write(to_parent[1], "c", 1) == 1 && read(to_child[0], &byte, 1) == 1;
        ok = ok && call(jit, "extra") == 5 && call(jit, "version") == 2;
        _exit(ok ? 0 : 1);
    }
    CHECK(read(to_parent[0], &byte, 1) == 1);
    OK(jit, cfree_jit_add_source(jit, "y.c", "int other(void) { return 7; }\n"));
    CHECK(call(jit, "other") == 7);
    CHECK(write(to_child[1], "p", 1) == 1);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's data, code and symbols are its own. */
    CHECK(*counter == 2);
    CHECK(call(jit, "version") == 1);
    CHECK(cfree_jit_lookup(jit, "extra") == NULL);
    CHECK(call(jit, "bump") == 3);
    CfreeObj *obj = cfree_compile(jit, "v3.c", "int version(void) { return 3; }\n");
    CfreeJitReloadOptions r = {"version", obj, 0};
    OK(jit, cfree_jit_reload_function(jit, &r));
    CHECK(call(jit, "version") == 3);
    cfree_obj_free(obj);
    cfree_jit_free(jit);
    printf("fork: ok\n");
    return 0;
}

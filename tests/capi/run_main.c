/* cfree_jit_run_main: main's result for each valid signature, argv/argc, exit() returning
 * its status, atexit handlers at cfree_jit_free, and errors. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

static int exit_notes;
static void note_exit(void) { exit_notes++; }

static CfreeJit *with_main(const char *src)
{
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);
    OK(jit, cfree_jit_add_symbol(jit, "note_exit", (void *)note_exit));
    OK(jit, cfree_jit_add_source(jit, "prog.c", src));
    return jit;
}

int main(void)
{
    /* int main(int, char **): argc and argv as given, argv[argc] == NULL. */
    CfreeJit *jit = with_main("#include <string.h>\n"
                              "int main(int argc, char **argv) {\n"
                              "  if (argv[argc] != 0) return -2;\n"
                              "  return argc * 100 + (int)strlen(argv[1]);\n"
                              "}\n");
    char *argv[] = {"prog", "hello", NULL};
    CHECK(cfree_jit_run_main(jit, 2, argv) == 205);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_OK);
    CHECK(cfree_jit_run_main(jit, 2, argv) == 205); /* again */
    FAILS(jit, cfree_jit_run_main(jit, -1, argv) == -1 ? 1 : 0, CFREE_ERR_INVALID_ARGUMENT, "argc");
    FAILS(jit, cfree_jit_run_main(jit, 1, NULL) == -1 ? 1 : 0, CFREE_ERR_INVALID_ARGUMENT, "argv");
    cfree_jit_free(jit);

    /* int main(void), and main with envp. */
    jit = with_main("int main(void) { return 17; }");
    CHECK(cfree_jit_run_main(jit, 0, NULL) == 17);
    cfree_jit_free(jit);
    jit = with_main("#include <stdlib.h>\n#include <string.h>\n"
                    "int main(int argc, char **argv, char **envp) {\n"
                    "  for (char **e = envp; *e; e++)\n"
                    "    if (strncmp(*e, \"CFREE_RUN_MAIN_TEST=\", 20) == 0) return atoi(*e + 20);\n"
                    "  return -3;\n"
                    "}\n");
    CHECK(setenv("CFREE_RUN_MAIN_TEST", "31", 1) == 0);
    CHECK(cfree_jit_run_main(jit, 1, argv) == 31);
    cfree_jit_free(jit);

    /* exit() from deep in the program returns its status; the program's atexit handlers run
     * at free (as after main returns; a handler in the image is the image's, like a dlopen'ed
     * library's), the JIT keeps working, and exit outside run_main is not caught
     * (not tested here: it would end this process). */
    jit = with_main("#include <stdlib.h>\n#include <stdio.h>\n"
                    "void note_exit(void);\n"
                    "static void deep(int n) { if (n == 0) { printf(\"leaving\\n\"); exit(7); } deep(n - 1); }\n"
                    "int twice(int x) { return 2 * x; }\n"
                    "static void bye(void) { note_exit(); }\n"
                    "int main(void) { atexit(bye); deep(10); return 1; }\n");
    CHECK(cfree_jit_run_main(jit, 1, argv) == 7);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_OK);
    CHECK(exit_notes == 0);
    int (*twice)(int) = (int (*)(int))cfree_jit_lookup(jit, "twice");
    CHECK(twice && twice(21) == 42);
    CHECK(cfree_jit_run_main(jit, 1, argv) == 7);
    cfree_jit_free(jit);
    CHECK(exit_notes == 2);

    /* No main. */
    jit = with_main("int not_main(void) { return 0; }");
    FAILS(jit, cfree_jit_run_main(jit, 1, argv) == -1 ? 1 : 0, CFREE_ERR_LINK, "main");
    FAILS(NULL, cfree_jit_run_main(NULL, 1, argv) == -1 ? 1 : 0, CFREE_ERR_INVALID_ARGUMENT, "NULL");
    cfree_jit_free(jit);
    puts("run_main: ok");
    return 0;
}

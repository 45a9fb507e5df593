/* The C API as a host program uses it: compile, append, call, look up, and every error path. */
#include "check.h"

static int host_calls;
static int host_scale(int x) { host_calls++; return x * 1000; }

static int count_symbols(const CfreeSymbolInfo *info, void *user)
{
    int *n = user;
    CHECK(info->name && info->addr);
    if (strcmp(info->name, "add") == 0) {
        CHECK(info->is_function);
    }
    (*n)++;
    return 0;
}

int main(void)
{
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);
    CHECK(cfree_jit_generation(jit) == 0);

    /* Compile + append in one call; look up and call. */
    OK(jit, cfree_jit_add_source(jit, "add.c", "int add(int a, int b) { return a + b; }"));
    CHECK(strcmp(cfree_jit_last_error(jit), "") == 0);
    CHECK(cfree_jit_generation(jit) == 1);
    int (*add)(int, int) = (int (*)(int, int))cfree_jit_lookup(jit, "add");
    CHECK(add != NULL && add(2, 3) == 5);

    /* A host callback, then a separately compiled object. */
    OK(jit, cfree_jit_add_symbol(jit, "host_scale", (void *)host_scale));
    CfreeObj *obj = cfree_compile(jit, "use.c",
                                  "int host_scale(int); int add(int, int);\n"
                                  "static const char msg[] = \"hi\";\n"
                                  "int use(int x) { return add(host_scale(x), (int)sizeof msg); }\n");
    CHECK(obj != NULL);
    size_t elf_size = 0;
    const unsigned char *elf = cfree_obj_elf(obj, &elf_size);
    CHECK(elf && elf_size > 64 && memcmp(elf, "\177ELF", 4) == 0);
    CHECK(strcmp(cfree_obj_warnings(obj), "") == 0);
    OK(jit, cfree_jit_append_obj(jit, obj));
    cfree_obj_free(obj);
    int (*use)(int) = (int (*)(int))cfree_jit_lookup(jit, "use");
    CHECK(use && use(4) == 4003 && host_calls == 1);
    CHECK(cfree_jit_lookup(jit, "add") == (void *)add); /* nothing moved */

    /* addr_to_sym in initial and appended code. */
    const char *name = NULL;
    uint64_t off = 99;
    OK(jit, cfree_jit_addr_to_sym(jit, (const char *)(void *)use + 2, &name, &off));
    CHECK(strcmp(name, "use") == 0 && off == 2);
    OK(jit, cfree_jit_addr_to_sym(jit, (void *)add, &name, &off));
    CHECK(strcmp(name, "add") == 0 && off == 0);
    FAILS(jit, cfree_jit_addr_to_sym(jit, (void *)&host_calls, &name, &off),
          CFREE_ERR_INVALID_ARGUMENT, "not inside the image");

    int nsyms = 0;
    CHECK(cfree_jit_symbols(jit, count_symbols, &nsyms) == 0);
    CHECK(nsyms >= 3);

    const void *view = NULL;
    size_t view_size = 0;
    OK(jit, cfree_jit_view(jit, &view, &view_size));
    CHECK(view_size > 64 && memcmp(view, "\177ELF", 4) == 0);

    /* Compile errors: file:line:col, the source line, a caret. */
    CHECK(cfree_compile(jit, "bad.c", "int f(void) {\n  return 1 +;\n}\n") == NULL);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_COMPILE);
    CHECK(strstr(cfree_jit_last_error(jit), "bad.c:2:"));
    CHECK(strstr(cfree_jit_last_error(jit), "return 1 +;"));
    CHECK(strstr(cfree_jit_last_error(jit), "^"));
    FAILS(jit, cfree_jit_add_source(jit, "worse.c", "}}}{{{ garbage \x01\x02"), CFREE_ERR_COMPILE,
          "worse.c:1:");

    /* Link errors name the symbol and change nothing. */
    FAILS(jit, cfree_jit_add_source(jit, "u.c", "int nowhere(void); int g(void) { return nowhere(); }"),
          CFREE_ERR_LINK, "nowhere");
    CHECK(cfree_jit_lookup(jit, "g") == NULL);
    FAILS(jit, cfree_jit_add_source(jit, "d.c", "int add(int a, int b) { return a - b; }"),
          CFREE_ERR_LINK, "duplicate definition of `add`");
    CHECK(add(2, 3) == 5);

    /* Misuse: NULL everywhere, unknown names, reload without indirection. */
    CHECK(cfree_jit_lookup(jit, "no_such_symbol") == NULL);
    CHECK(cfree_jit_lookup(jit, NULL) == NULL);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_INVALID_ARGUMENT);
    FAILS(jit, cfree_jit_add_source(jit, "n.c", NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    FAILS(jit, cfree_jit_append_obj(jit, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    FAILS(jit, cfree_jit_add_symbol(jit, NULL, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    FAILS(jit, cfree_jit_reload_function(jit, NULL), CFREE_ERR_INVALID_ARGUMENT, "NULL");
    FAILS(jit, cfree_jit_symbols(jit, NULL, NULL) == -1 ? 1 : 0, CFREE_ERR_INVALID_ARGUMENT, "NULL");
    CfreeObj *repl = cfree_compile(jit, "r.c", "int add(int a, int b) { return 0; }");
    CHECK(repl);
    CfreeJitReloadOptions ro = {"add", repl, 0};
    FAILS(jit, cfree_jit_reload_function(jit, &ro), CFREE_ERR_RELOAD, "without an entry");
    ro.flags = 0x80;
    FAILS(jit, cfree_jit_reload_function(jit, &ro), CFREE_ERR_INVALID_ARGUMENT, "flags");
    cfree_obj_free(repl);
    CHECK(cfree_compile(NULL, "x.c", "int x;") == NULL);
    CHECK(strstr(cfree_jit_last_error(NULL), "NULL"));
    CHECK(cfree_jit_add_source(NULL, NULL, NULL) != 0);
    CHECK(cfree_jit_lookup(NULL, "add") == NULL);
    CHECK(cfree_jit_generation(NULL) == 0);
    cfree_obj_free(NULL);
    cfree_jit_free(NULL);
    CHECK(add(20, 22) == 42); /* still working after all that */

    /* Options: include dirs, defines, libraries; bad options fail cleanly. */
    const char *defines[] = {"ANSWER=42", "FLAG", NULL};
    const char *libs[] = {"m", NULL};
    CfreeJitOptions opts;
    memset(&opts, 0, sizeof opts);
    opts.defines = defines;
    opts.libraries = libs;
    opts.opt_level = 2;
    CfreeJit *j2 = cfree_jit_new(&opts);
    CHECK(j2 != NULL);
    OK(j2, cfree_jit_add_source(j2, "o.c",
                                "#include <math.h>\n"
                                "#ifdef FLAG\nint answer(void) { return ANSWER + (int)sqrt(16.0); }\n#endif\n"));
    int (*answer)(void) = (int (*)(void))cfree_jit_lookup(j2, "answer");
    CHECK(answer && answer() == 46);
    cfree_jit_free(j2);

    const char *missing_lib[] = {"definitely_not_a_library", NULL};
    opts.libraries = missing_lib;
    CHECK(cfree_jit_new(&opts) == NULL);
    CHECK(strstr(cfree_jit_last_error(NULL), "definitely_not_a_library"));
    CHECK(cfree_jit_last_error_kind(NULL) == CFREE_ERR_JIT);
    memset(&opts, 0, sizeof opts);
    opts.indirection = (CfreeJitIndirectionMode)7;
    CHECK(cfree_jit_new(&opts) == NULL);
    CHECK(strstr(cfree_jit_last_error(NULL), "indirection"));
    CHECK(cfree_jit_last_error_kind(NULL) == CFREE_ERR_INVALID_ARGUMENT);

    /* Types for scripting hosts: of compiled functions and of parsed declarations. */
    const char *ty = cfree_jit_function_type(jit, "add");
    CHECK(ty && strcmp(ty, "int (int, int)") == 0);
    CHECK(cfree_jit_function_type(jit, "no_such_fn") == NULL);
    const char *declared = NULL;
    ty = cfree_declaration_type(jit, "char *greet(const char *who, ...)", &declared);
    CHECK(ty && strcmp(ty, "char * (char *, ...)") == 0 && strcmp(declared, "greet") == 0);
    ty = cfree_declaration_type(jit, "void tick(void);", &declared);
    CHECK(ty && strcmp(ty, "void (void)") == 0 && strcmp(declared, "tick") == 0);
    CHECK(cfree_declaration_type(jit, "int x", &declared) == NULL);
    CHECK(cfree_declaration_type(jit, "void f(int", &declared) == NULL);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_COMPILE);

    cfree_jit_free(jit);
    puts("basic: ok");
    return 0;
}

/* The introspection API: layouts compared with this host's own compiler (the host is built by
 * cc/gcc, so offsetof and sizeof below are gcc's), global types, constants, parameter names,
 * declarations and resolution, and the error paths. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"

#define DECLS                                                                          \
    "struct mix { char c; double d; int i; };\n"                                     \
    "typedef struct { short s; struct mix m[2]; union { int i; float f; }; } holder_t;\n" \
    "struct bits { unsigned a : 3; int b : 5; };\n"                                  \
    "enum color { RED, GREEN = 5, BLUE };\n"
struct mix { char c; double d; int i; };
typedef struct { short s; struct mix m[2]; union { int i; float f; }; } holder_t;

static const CfreeField *field(const CfreeTypeLayout *l, const char *name)
{
    for (size_t i = 0; i < l->nfields; i++) {
        if (strcmp(l->fields[i].name, name) == 0) {
            return &l->fields[i];
        }
    }
    return NULL;
}

struct seen { int red, blue, bufsize, mask_unsigned, n; };

static int visit(const CfreeConstant *c, void *user)
{
    struct seen *s = user;
    s->n++;
    if (strcmp(c->name, "RED") == 0) s->red = c->kind == CFREE_CONST_ENUM && c->value == 0;
    if (strcmp(c->name, "BLUE") == 0) s->blue = c->value == 6 && strcmp(c->type, "int") == 0;
    if (strcmp(c->name, "BUFSIZE") == 0) s->bufsize = c->kind == CFREE_CONST_MACRO && c->value == 4096;
    if (strcmp(c->name, "MASK") == 0) s->mask_unsigned = c->is_unsigned && (uint64_t)c->value == 1u << 31;
    return 0;
}

static int stop_at_first(const CfreeConstant *c, void *user)
{
    (void)c;
    (void)user;
    return 7;
}

int main(void)
{
    CfreeJit *jit = cfree_jit_new(NULL);
    CHECK(jit != NULL);
    OK(jit, cfree_jit_add_source(jit, "decls.c",
                                 DECLS "#define BUFSIZE 4096\n#define MASK (1u << 31)\n"
                                       "holder_t g_holder; const int LIMIT = 3;\n"
                                       "int mix_sum(struct mix m, int scale) { return (m.c + m.i) * scale; }\n"));

    CfreeTypeLayout l;
    OK(jit, cfree_jit_type_layout(jit, "struct mix", &l));
    CHECK(l.type_class == CFREE_TYPE_STRUCT && strcmp(l.name, "struct mix") == 0);
    CHECK(l.size == sizeof(struct mix) && l.align == _Alignof(struct mix) && l.nfields == 3);
    CHECK(field(&l, "c")->offset == offsetof(struct mix, c));
    CHECK(field(&l, "d")->offset == offsetof(struct mix, d));
    CHECK(field(&l, "i")->offset == offsetof(struct mix, i));
    CHECK(strcmp(field(&l, "d")->type, "double") == 0);

    OK(jit, cfree_jit_type_layout(jit, "holder_t", &l)); /* a typedef of an anonymous struct */
    CHECK(l.size == sizeof(holder_t) && strcmp(l.name, "holder_t") == 0);
    CHECK(field(&l, "m")->offset == offsetof(holder_t, m));
    CHECK(strcmp(field(&l, "m")->type, "struct mix [2]") == 0);
    const CfreeField *anon = field(&l, ""); /* the anonymous union member */
    CHECK(anon != NULL && anon->offset == offsetof(holder_t, i));
    char anon_type[64];
    snprintf(anon_type, sizeof anon_type, "%s", anon->type);
    OK(jit, cfree_jit_type_layout(jit, anon_type, &l));
    CHECK(l.type_class == CFREE_TYPE_UNION && l.size == sizeof(int));

    OK(jit, cfree_jit_type_layout(jit, "struct bits", &l));
    CHECK(field(&l, "a")->bit_width == 3 && field(&l, "a")->bit_offset == 0);
    CHECK(field(&l, "b")->bit_width == 5 && field(&l, "b")->bit_offset == 3);

    OK(jit, cfree_jit_type_layout(jit, "enum color", &l));
    CHECK(l.type_class == CFREE_TYPE_ENUM && strcmp(l.enum_base, "unsigned int") == 0);
    CHECK(l.size == sizeof(enum { X_ }));

    int is_const = -1;
    CHECK(strcmp(cfree_jit_global_type(jit, "g_holder", &is_const), "holder_t") == 0);
    CHECK(is_const == 0);
    CHECK(strcmp(cfree_jit_global_type(jit, "LIMIT", &is_const), "int") == 0 && is_const == 1);
    CHECK(cfree_jit_global_type(jit, "nope", NULL) == NULL);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_LINK);

    struct seen s = {0};
    CHECK(cfree_jit_constants(jit, visit, &s) == 0);
    CHECK(s.red && s.blue && s.bufsize && s.mask_unsigned && s.n == 5);
    CHECK(cfree_jit_constants(jit, stop_at_first, NULL) == 7);
    CHECK(cfree_jit_constants(jit, NULL, NULL) == -1);

    size_t n = 0;
    const char *const *names = cfree_jit_param_names(jit, "mix_sum", &n);
    CHECK(names && n == 2 && strcmp(names[0], "m") == 0 && strcmp(names[1], "scale") == 0);
    CHECK(names[2] == NULL);
    CHECK(strcmp(cfree_jit_function_type(jit, "mix_sum"), "int (struct mix, int)") == 0);

    /* Declarations link nothing; their functions resolve as the linker would bind them. */
    uint64_t gen = cfree_jit_generation(jit);
    OK(jit, cfree_jit_declare(jit, "#include <math.h>\ntypedef unsigned int u32;\n"));
    CHECK(cfree_jit_generation(jit) == gen);
    CHECK(strcmp(cfree_jit_function_type(jit, "cos"), "double (double)") == 0);
    CHECK(strcmp(cfree_jit_typedef(jit, "u32"), "unsigned int") == 0);
    double (*c)(double) = (double (*)(double))cfree_jit_resolve(jit, "cos");
    CHECK(c != NULL && c(0.0) == 1.0);
    CHECK(cfree_jit_resolve(jit, "mix_sum") == cfree_jit_lookup(jit, "mix_sum"));
    CHECK(cfree_jit_resolve(jit, "cfree_no_such_symbol_anywhere") == NULL);

    /* Errors: clear, and the JIT unchanged. */
    CHECK(cfree_jit_declare(jit, "int defined_here(void) { return 1; }") != 0);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_COMPILE);
    CHECK(strstr(cfree_jit_last_error(jit), "defined_here") != NULL);
    CHECK(cfree_jit_function_type(jit, "defined_here") == NULL);
    CHECK(cfree_jit_type_layout(jit, "struct nope", &l) != 0);
    CHECK(cfree_jit_type_layout(jit, NULL, &l) != 0);
    CHECK(cfree_jit_type_layout(jit, "struct mix", NULL) != 0);
    CHECK(cfree_jit_last_error_kind(jit) == CFREE_ERR_INVALID_ARGUMENT);
    CHECK(cfree_jit_type_layout(NULL, "struct mix", &l) != 0);
    CHECK(cfree_jit_param_names(jit, "nope", NULL) == NULL);
    CHECK(cfree_jit_declare(jit, NULL) != 0);
    OK(jit, cfree_jit_type_layout(jit, "struct mix", &l));

    cfree_jit_free(jit);
    puts("introspect: ok");
    return 0;
}

/*
 * cfree.h - embed cfree: compile C at run time into a live, growing, patchable image.
 *
 * Link with -lcfree (target/release/libcfree.so or libcfree.a; the static library also needs
 * -lpthread -ldl -lm). Every function is safe to call with any arguments: NULL pointers,
 * garbage source and unknown names produce an error, never a crash.
 *
 * Results: every `int` result is 0 on success and non-zero on failure; functions returning a
 * pointer return NULL on failure. After a failure, cfree_jit_last_error() says what and where
 * (a compile error has file:line:col, the source line and a caret; an unresolved symbol is
 * named) and the JIT is exactly as it was before the call.
 *
 * Threads: a CfreeJit serialises its own calls, so it may be shared between threads. Code in
 * the image runs without any lock; a reloadable function may be called by other threads while
 * it is being reloaded (each call runs either the old body or the new one, never a mix).
 *
 * Lifetimes: strings and buffers returned by a call stay valid until the next call on the same
 * CfreeJit. Function bodies are never unmapped before cfree_jit_free, even after a reload.
 */
#ifndef CFREE_H
#define CFREE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A live image: a linker session, its memory, and the options every compile uses. */
typedef struct CfreeJit CfreeJit;

/* One compiled relocatable object, not yet in any image. Appending or reloading does not
 * consume it; free it with cfree_obj_free. */
typedef struct CfreeObj CfreeObj;

/* How functions with external linkage are linked. With CFREE_JIT_INDIRECT_EXPORTED_FUNCS every
 * such function gets a stable entry that jumps through a writable slot, so it can be replaced
 * by cfree_jit_reload_function; calls cost one extra indirect jump. */
typedef enum CfreeJitIndirectionMode {
    CFREE_JIT_INDIRECT_NONE = 0,
    CFREE_JIT_INDIRECT_EXPORTED_FUNCS = 1
} CfreeJitIndirectionMode;

/* What the last failed call on a JIT failed with. */
typedef enum CfreeErrorKind {
    CFREE_OK = 0,
    CFREE_ERR_COMPILE = 1,          /* the C text did not compile */
    CFREE_ERR_LINK = 2,             /* unresolved or duplicate symbol, overflow, capacity */
    CFREE_ERR_RELOAD = 3,           /* ABI mismatch, rejected replacement, not reloadable */
    CFREE_ERR_JIT = 4,              /* memory, options, libraries */
    CFREE_ERR_INVALID_ARGUMENT = 5, /* NULL or malformed argument */
    CFREE_ERR_INTERNAL = 6          /* a bug in cfree; the JIT is unchanged */
} CfreeErrorKind;

/* Options for cfree_jit_new. All-zero (or a NULL pointer) means defaults for the host. */
typedef struct CfreeJitOptions {
    CfreeJitIndirectionMode indirection;
    int opt_level;                     /* 0: no optimisation; non-zero: optimise for speed */
    int debug;                         /* non-zero: emit DWARF */
    const char *const *include_dirs;   /* NULL-terminated lists, each may be NULL: -I */
    const char *const *defines;        /* "NAME" or "NAME=VALUE": -D */
    const char *const *libraries;      /* "m" for libm: -l */
    const char *const *library_dirs;   /* -L */
    uint64_t reserve_code;             /* bytes reserved per class; 0: 64 MiB */
    uint64_t reserve_rodata;           /* 0: 16 MiB */
    uint64_t reserve_data;             /* 0: 64 MiB */
    const char *target;                /* "aarch64-linux-gnu": an image for another
                                        * architecture, run in cfree's executor under
                                        * qemu-user; NULL or "": the host */
    int lazy;                          /* non-zero: cfree_jit_add_source analyses now and
                                        * compiles each function on its first call (x86-64
                                        * hosts) */
} CfreeJitOptions;

/* A scalar argument or result of cfree_jit_call. */
typedef enum CfreeValueKind {
    CFREE_VALUE_VOID = 0,   /* results only: nothing returned */
    CFREE_VALUE_INT = 1,    /* any integer or pointer, extended to 64 bits as its type says */
    CFREE_VALUE_DOUBLE = 2,
    CFREE_VALUE_FLOAT = 3
} CfreeValueKind;

typedef struct CfreeValue {
    int kind;               /* a CfreeValueKind */
    union {
        uint64_t i;
        double d;
        float f;
    } as;
} CfreeValue;

/* Flags for CfreeJitReloadOptions. */
#define CFREE_RELOAD_UNCHECKED_ABI 1u  /* skip the ABI comparison (objects without records) */

/* A reload request: replace the body of `symbol` with the one `obj` defines. */
typedef struct CfreeJitReloadOptions {
    const char *symbol;
    CfreeObj *obj;
    uint32_t flags;
} CfreeJitReloadOptions;

/* One symbol, as cfree_jit_symbols reports it. */
typedef struct CfreeSymbolInfo {
    const char *name;
    const void *addr;
    uint64_t size;
    int is_function;
} CfreeSymbolInfo;

/* Create a JIT; opts may be NULL. NULL on failure: see cfree_jit_last_error(NULL). */
CfreeJit *cfree_jit_new(const CfreeJitOptions *opts);

/* Run the image's remaining exit handlers, then unmap it. NULL is ignored. */
void cfree_jit_free(CfreeJit *jit);

/* The error of the last call this thread made on jit; "" when it succeeded. Like errno, it is
 * per thread: threads sharing a JIT each see their own, and the string stays valid until this
 * thread's next call on jit (whatever other threads do) or cfree_jit_free. With NULL: this
 * thread's last error from a call that had no JIT (a failed cfree_jit_new). */
const char *cfree_jit_last_error(const CfreeJit *jit);

/* The CfreeErrorKind of the last call this thread made on jit. With NULL: of this thread's last
 * call that had no JIT (CFREE_ERR_JIT for a cfree_jit_new that could not open a library, for
 * example). */
int cfree_jit_last_error_kind(const CfreeJit *jit);

/* Make `name` resolve to `addr` in code compiled and appended from now on. Host symbols are
 * searched after the image's own globals and before dlsym. (For an image on another
 * architecture, addr is an address in the executor.) */
int cfree_jit_add_symbol(CfreeJit *jit, const char *name, void *addr);

/* Compile C source text with the JIT's options. NULL on error. filename may be NULL
 * ("<string>"); it names the source in diagnostics and debug info. */
CfreeObj *cfree_compile(CfreeJit *jit, const char *filename, const char *source);

/* Free a compiled object. NULL is ignored. */
void cfree_obj_free(CfreeObj *obj);

/* The compiler's warnings for obj ("" when none). */
const char *cfree_obj_warnings(const CfreeObj *obj);

/* The ELF relocatable object bytes of obj; *size receives the length. */
const void *cfree_obj_elf(const CfreeObj *obj, size_t *size);

/* Link obj into the image next to everything already there and run its constructors.
 * Nothing already placed moves. */
int cfree_jit_append_obj(CfreeJit *jit, CfreeObj *obj);

/* cfree_compile + cfree_jit_append_obj. */
int cfree_jit_add_source(CfreeJit *jit, const char *filename, const char *source);

/* Replace the body of a reloadable function (the JIT must use
 * CFREE_JIT_INDIRECT_EXPORTED_FUNCS). The replacement must define exactly that function, may
 * add static helpers and read-only data, and must have the same calling convention (checked
 * against the compiler's records unless CFREE_RELOAD_UNCHECKED_ABI). The function's address
 * does not change; frames running the old body finish there. */
int cfree_jit_reload_function(CfreeJit *jit, const CfreeJitReloadOptions *opts);

/* Address of a global symbol (for a reloadable function: its stable entry). NULL if absent.
 * For an image on another architecture, the address in the executor (call it with
 * cfree_jit_call). */
void *cfree_jit_lookup(CfreeJit *jit, const char *name);

/* Call function `name` of the image with `nargs` scalar arguments (at most 8 integers or
 * pointers and 8 doubles or floats, no structs, not variadic) and a result of `result_kind`
 * stored in *result (may be NULL). The arguments must match the function's C type
 * (cfree_jit_function_type says what it is). The way to call into an image on another
 * architecture, whose cfree_jit_lookup addresses are the target's; for a host image it is
 * the same as calling the looked-up pointer. */
int cfree_jit_call(CfreeJit *jit, const char *name, const CfreeValue *args, size_t nargs,
                   int result_kind, CfreeValue *result);

/* The symbol containing addr (initial, appended or old-generation code: "foo$body$0") and the
 * offset into it. Non-zero when addr is not in the image. */
int cfree_jit_addr_to_sym(CfreeJit *jit, const void *addr, const char **name, uint64_t *offset);

/* +1 per successful append or reload; 0 for a new JIT. */
uint64_t cfree_jit_generation(const CfreeJit *jit);

/* Call fn(info, user) for each function and data symbol of the image (a reloadable function
 * once, at its entry). A non-zero return from fn stops the walk and is returned; -1 on error.
 * fn must not call into the same JIT. */
int cfree_jit_symbols(CfreeJit *jit, int (*fn)(const CfreeSymbolInfo *info, void *user),
                      void *user);

/* An in-memory ELF describing the image: sections at their runtime addresses and every symbol
 * (old bodies included), for debuggers and inspectors. Rebuilt when the generation changed. */
int cfree_jit_view(CfreeJit *jit, const void **data, size_t *size);

/* The C type of a function cfree compiled into the image (or one declared with
 * cfree_jit_declare), spelled as C does without the name and qualifiers: "int (int, double)",
 * "char * (char *, ...)", "void (void)". NULL if absent.
 * What a scripting host needs to call it with the right conversions. */
const char *cfree_jit_function_type(CfreeJit *jit, const char *name);

/* Parse one function declaration ("void log_value(int)") and return its type ("void (int)");
 * *name receives the declared name. NULL on error (see cfree_jit_last_error). */
const char *cfree_declaration_type(CfreeJit *jit, const char *declaration, const char **name);

/* ==== Introspection: the C declarations of the compiled sources ============================
 *
 * What a scripting host needs to build its C types from the compiler's own records instead of
 * hand-written declarations: struct and union layouts (the offsets codegen used for the
 * target), enumerations, typedefs, the types of global variables, parameter names, enumeration
 * constants and integer #defines. Every unit appended to the JIT (and every text given to
 * cfree_jit_declare) adds its declarations; a later unit's `struct point`, typedef or constant
 * replaces an earlier one of the same name.
 *
 * Types are spelled as cfree_jit_function_type spells them: "int", "unsigned long",
 * "struct point", "union u", "enum color", "double [4]", "char *", "int (int, double) *" (a
 * pointer to a function). A struct or union without a tag is spelled by the first typedef
 * naming it ("point_t"), else after the member or global it types: "struct outer.inner" (member
 * `inner` of struct outer; "struct outer.#2" for the anonymous member at index 2), "struct <g>"
 * (global g). An enumeration without a tag is spelled as its underlying integer type.
 */

/* What a CfreeTypeLayout describes. */
typedef enum CfreeTypeClass {
    CFREE_TYPE_STRUCT = 1,
    CFREE_TYPE_UNION = 2,
    CFREE_TYPE_ENUM = 3
} CfreeTypeClass;

/* One member of a struct or union. */
typedef struct CfreeField {
    const char *name;        /* "" for an anonymous struct/union member or unnamed bit-field */
    const char *type;
    uint64_t offset;         /* bytes from the record's start (bit-fields: of the storage unit) */
    uint32_t bit_offset;     /* bit-fields: first bit inside the unit, least significant first */
    uint32_t bit_width;      /* 0: not a bit-field */
    uint32_t bit_unit_size;  /* bit-fields: bytes loaded and stored to access it */
} CfreeField;

/* A struct, union or enumeration as the compiler laid it out. */
typedef struct CfreeTypeLayout {
    int type_class;          /* a CfreeTypeClass */
    const char *name;        /* the canonical spelling ("struct point" for "point_t") */
    uint64_t size;
    uint64_t align;
    size_t nfields;          /* structs and unions: members in declaration order */
    const CfreeField *fields;
    const char *enum_base;   /* enumerations: the underlying integer type; NULL otherwise */
} CfreeTypeLayout;

/* Where a CfreeConstant comes from. */
typedef enum CfreeConstantKind {
    CFREE_CONST_ENUM = 1,    /* an enumeration constant */
    CFREE_CONST_MACRO = 2    /* an object-like #define whose expansion is an integer constant */
} CfreeConstantKind;

typedef struct CfreeConstant {
    const char *name;
    int64_t value;           /* for is_unsigned, the same 64 bits as uint64_t */
    int is_unsigned;
    int kind;                /* a CfreeConstantKind */
    const char *type;        /* "enum color"; for macros "long" or "unsigned long" (#if types) */
} CfreeConstant;

/* The layout of the struct, union or enum `type` ("struct point", "enum color", or a typedef
 * name of one) in *out. Non-zero when no compiled source defines it completely. */
int cfree_jit_type_layout(CfreeJit *jit, const char *type, CfreeTypeLayout *out);

/* The type typedef `name` stands for ("unsigned int" for u32); NULL if there is none. */
const char *cfree_jit_typedef(CfreeJit *jit, const char *name);

/* The type of global variable `name` ("int", "struct point", "double [8]"), from the unit that
 * defines it (or, for a variable of the host or a library, one that declares it); *is_const
 * (may be NULL) is set to 1 for a read-only variable. NULL if no source has it. */
const char *cfree_jit_global_type(CfreeJit *jit, const char *name, int *is_const);

/* Call fn(constant, user) for every enumeration constant and integer macro of the compiled and
 * declared sources (macros of system headers are not included), sorted by name. A non-zero
 * return from fn stops the walk and is returned; -1 on error. fn must not call into the JIT. */
int cfree_jit_constants(CfreeJit *jit, int (*fn)(const CfreeConstant *c, void *user),
                        void *user);

/* The parameter names of function `function` as its definition spells them ("" for an unnamed
 * one), a NULL-terminated array; *count (may be NULL) receives their number. NULL when no
 * compiled source defines the function. */
const char *const *cfree_jit_param_names(CfreeJit *jit, const char *function, size_t *count);

/* Take declaration-only C text (function prototypes, extern variables, struct/union/enum and
 * typedef definitions, #include and #define) into the JIT's declarations, linking nothing:
 * afterwards cfree_jit_function_type and cfree_jit_global_type answer for what it declares,
 * e.g. "double cos(double);". Text that defines an external function or variable is refused. */
int cfree_jit_declare(CfreeJit *jit, const char *source);

/* The address code appended now would get for `name`: the image's own symbol, else a host
 * symbol (cfree_jit_add_symbol), the process's libraries (libc), then the -l libraries. NULL if
 * none defines it. With cfree_jit_declare, how a host calls a library function from its
 * declaration. (For an image on another architecture: its own symbols only.) */
void *cfree_jit_resolve(CfreeJit *jit, const char *name);

/* ======================================================================================
 * libtcc's reach: options, files and libraries, running main, diagnostics, faults.
 * ====================================================================================== */

/* CfreeErrorKind: JIT code faulted (SIGSEGV, SIGBUS, SIGFPE, SIGILL), called abort() or
 * failed an assert(); cfree_jit_last_error has the signal and the backtrace. */
#define CFREE_ERR_FAULT 7

/* Apply gcc-style options to everything compiled from now on, as tcc_set_options does.
 * The string is split into words like a shell (quotes group, backslash escapes). Accepted:
 * -I DIR, -D NAME, -D NAME=VALUE, -U NAME (also a predefined macro such as __GNUC__, or a -D
 * given before), -O0/-O1/-O2/-O3/-Os/-Og, -g/-g0, -std=..., -w, every -W warning option of
 * `cfree cc` (-Wall, -Wextra, -Werror, -Werror=..., -Wno-...), -isystem/-iquote/-idirafter/
 * -include, -nostdinc, the -f options `cfree cc` accepts, -L DIR (searched by later library
 * lookups) and -l NAME (opened now, as cfree_jit_add_library). Options accumulate across
 * calls; code already in the image keeps the options it was compiled with.
 * Returns 0, or -1 when an option is unknown, malformed or meaningless for a JIT (an input
 * file, -c, -o, -shared, --target...) or a -l library cannot be found: the error names it
 * and the JIT's options are exactly as before the call (an option that only tunes gcc's code
 * is ignored with a warning to the diagnostic callback). */
int cfree_jit_set_options(CfreeJit *jit, const char *opts);

/* Add a file by what it contains (not by its name), as `cfree run` does with its inputs:
 *  - C source: compiled with the JIT's options and appended (#include "..." is searched in
 *    the file's directory);
 *  - an ELF relocatable object (cfree cc -c, gcc -c): appended;
 *  - an `ar` archive: kept; each later append (source, object or file) also links the
 *    members it needs, chosen as GNU ld chooses them from a group, names the image already
 *    defines counting as defined, each member linked at most once;
 *  - an ELF shared library (or a GNU ld script naming some): opened with dlopen; later code
 *    resolves names in it.
 * The image is incremental: a library or archive serves the code appended after it, so add
 * them before the code that needs them. A missing or unreadable file, an ELF file for another
 * architecture, an executable, or data that is none of these fails with the path and the
 * reason (CFREE_ERR_JIT), and the JIT is unchanged. Images on another architecture: not
 * available (use cfree_jit_add_source). Under CfreeJitOptions.lazy, archive members are
 * chosen for appended objects only, not for lazily compiled source. */
int cfree_jit_add_file(CfreeJit *jit, const char *path);

/* Make library `name` ("m" for libm) usable by code appended from now on, as
 * tcc_add_library: the -L / cfree_jit_add_library_path directories, then the system ones,
 * are searched for libNAME.so, then libNAME.a in each; a shared library is opened, an
 * archive kept as by cfree_jit_add_file. */
int cfree_jit_add_library(CfreeJit *jit, const char *name);

/* Add a directory searched, before the system ones, by later cfree_jit_add_library calls
 * and -l options. */
int cfree_jit_add_library_path(CfreeJit *jit, const char *dir);

/* Call the image's main(argc, argv, envp) with argv[argc] == NULL and the process
 * environment (main may be declared with none, two or three parameters) and return its
 * result, as tcc_run does. Constructors of the image have already run, at each append.
 * - exit(status) called by the program on this thread makes this call return status: stdio
 *   is flushed, the program's frames are abandoned, and the JIT stays usable. As when main
 *   returns, the handlers the program registered with atexit run at cfree_jit_free (or at
 *   process exit), not now. exit() from other threads, from code outside a run_main (a
 *   cfree_jit_call, a pointer the host calls) and _exit()/quick_exit() end the process.
 * - a fault, abort() or a failed assert() in the program returns -1 with CFREE_ERR_FAULT (see
 *   cfree_jit_protect).
 * The JIT is not locked while main runs, so the program may call host functions that use
 * this JIT. On failure -1 and cfree_jit_last_error_kind(jit) != CFREE_OK (main itself may
 * return -1: check the kind). An image on another architecture runs main in its executor,
 * where the program's exit status is the result. */
int cfree_jit_run_main(CfreeJit *jit, int argc, char **argv);

/* Call fn(user) so that a fault in JIT code it calls, directly or through other functions,
 * returns here instead of killing the process. Returns 0 when fn returned, or non-zero with
 * CFREE_ERR_FAULT: SIGSEGV, SIGBUS, SIGFPE or SIGILL with the faulting pc inside this JIT's
 * image (or a call from JIT code to an invalid address), stack overflow included, and
 * abort() or a failed assert() called by JIT code (SIGABRT; glibc's assertion text is in
 * the message instead of on stderr). The frames between this call and the fault are
 * abandoned (like longjmp: host frames among them are abandoned too); the image is not
 * modified and stays usable. cfree_jit_run_main and cfree_jit_call are protected the same
 * way.
 * The error message is the signal, what happened and where, then one line per frame:
 *     SIGSEGV (invalid memory access at 0x0) in deref+0x1c (prog.c:3)
 *       #0 0x7f12340001dc deref+0x1c (prog.c:3)
 *       #1 0x7f1234000213 caller+0x23 (prog.c:7)
 * named from the image's symbols, with file:line for code compiled with -g; a deep stack
 * keeps its 48 innermost and 16 outermost frames. A fault outside JIT code (in the host or
 * in a library) is not caught: it goes to the handler installed before cfree's, or kills the
 * process as it would have. Signal handlers are installed at the first protected call and
 * the previous ones restored by the last cfree_jit_free (unless replaced meanwhile); each
 * thread gets an alternate signal stack if it has none. Any number of threads may run
 * protected calls at once; faults are per thread. x86-64 hosts (elsewhere fn runs
 * unprotected). Not for images on another architecture. */
int cfree_jit_protect(CfreeJit *jit, void (*fn)(void *user), void *user);

/* One frame of a fault's backtrace, valid during the callback. */
typedef struct CfreeFrame {
    unsigned index;     /* 0: the faulting function */
    const void *pc;     /* frame 0: the faulting instruction; others: the return address */
    const char *symbol; /* the image symbol containing pc, or NULL */
    uint64_t offset;    /* pc - symbol's address */
    const char *file;   /* with -g: the source file, else NULL */
    unsigned line;      /* with -g: the line, else 0 */
} CfreeFrame;

/* Call fn(user, signal, frame) for each frame of every later fault on this JIT, innermost
 * first, before the faulting call returns; a non-zero return stops the walk. NULL removes it.
 * fn must not call into the same JIT. */
int cfree_jit_set_backtrace_callback(CfreeJit *jit,
                                     int (*fn)(void *user, int signal, const CfreeFrame *frame),
                                     void *user);

/* The signal of the last call on jit when it failed with CFREE_ERR_FAULT (SIGABRT for
 * abort() and assert()), else 0. Does not change the last error. */
int cfree_jit_fault_signal(const CfreeJit *jit);

/* A warning or error of a compile, valid during the callback. */
#define CFREE_DIAG_WARNING 1
#define CFREE_DIAG_ERROR 2
typedef struct CfreeDiagnostic {
    int severity;         /* CFREE_DIAG_WARNING or CFREE_DIAG_ERROR */
    const char *file;     /* NULL when not about a place in the source (link errors) */
    unsigned line;        /* 1-based; 0 without a place */
    unsigned column;
    const char *message;  /* without the option suffix */
    const char *option;   /* "unused-variable", "error=format": the -W option, or NULL */
    const char *rendered; /* the whole diagnostic as gcc prints it: place, message [-Wopt],
                           * the source line and caret, its notes */
} CfreeDiagnostic;

/* Call fn(user, d) for every warning and error of later compiles on this JIT
 * (cfree_compile, cfree_jit_add_source, cfree_jit_add_file, cfree_jit_set_options), in
 * order, like tcc_set_error_func; link and file errors of those calls arrive as one error
 * without a place. Errors are still reported by cfree_jit_last_error, and warnings by
 * cfree_obj_warnings. NULL removes it. fn must not call into the same JIT. */
int cfree_jit_set_diagnostic_callback(CfreeJit *jit,
                                      void (*fn)(void *user, const CfreeDiagnostic *d),
                                      void *user);

#ifdef __cplusplus
}
#endif

#endif /* CFREE_H */

//! The C side of a debugged run, compiled by cfree and linked into the image before the
//! program: a start routine that runs the constructors and `main` under a `setjmp`, and the
//! `exit`/`_exit` the program's code is linked against, which end the run by jumping back
//! there instead of ending the debugger's process. Exit handlers the program registered
//! (`atexit`, destructors) run with `__cxa_finalize` on the image's DSO handle, then stdio
//! is flushed, as `exit` would.

/// File name of the runtime unit (shown in diagnostics if it ever fails to compile).
pub const FILE: &str = "<cfree-dbg-runtime>";

/// The start routine: `int __cfree_dbg_start(long argc, char **argv, char **envp, void *init)`
/// where `init` is a NULL-terminated array of constructors, then `main` taken from
/// [`MAIN_POINTER`].
pub const START: &str = "__cfree_dbg_start";
/// A data cell holding the address of the program's `main`, written before the start.
pub const MAIN_POINTER: &str = "__cfree_dbg_main";
/// What the program's `exit` and `_exit`/`_Exit` resolve to.
pub const EXIT: &str = "__cfree_dbg_exit";
pub const QUICK_EXIT: &str = "__cfree_dbg__exit";

pub const SOURCE: &str = r#"
#include <setjmp.h>
#include <stdio.h>

extern void __cxa_finalize(void *);
extern char __dso_handle;

static jmp_buf __cfree_dbg_jb;
static int __cfree_dbg_status;
int (*__cfree_dbg_main)(int, char **, char **);

void __cfree_dbg__exit(int status) {
    __cfree_dbg_status = status;
    longjmp(__cfree_dbg_jb, 1);
}

void __cfree_dbg_exit(int status) {
    __cxa_finalize(&__dso_handle);
    fflush(0);
    __cfree_dbg__exit(status);
}

/* Ends the run from any stop (the debugger points the stopped thread here). */
void __cfree_dbg_abandon(int status) {
    fflush(0);
    __cfree_dbg__exit(status);
}

int __cfree_dbg_start(long argc, char **argv, char **envp, void (**init)(int, char **, char **)) {
    if (setjmp(__cfree_dbg_jb))
        return __cfree_dbg_status;
    for (; init && *init; init++)
        (*init)((int)argc, argv, envp);
    __cfree_dbg_exit(__cfree_dbg_main((int)argc, argv, envp));
    return 0;
}
"#;

//! `cfree_jit_set_options`: gcc-style options for the compiles and library lookups that
//! follow, as `tcc_set_options` takes them, read by the command line's own parser
//! ([`cfree_driver::cli::parse_jit_options`]) so each option means what it means to `cfree cc`.

use std::ffi::{c_char, c_int};

use cfree_frontend::diag::Severity;

use super::{arg_str, diag, with_jit, CfreeJit, Failure};

/// Applies the options in `opts` (split like a shell: quotes group, backslash escapes) to
/// everything compiled from now on: `-I -D -U -O -g -std= -w -W... -f...` change the compile
/// options, `-L` directories are searched by later library lookups, `-l` libraries are opened
/// now. Returns 0, or -1 with the JIT unchanged and an error naming the option.
///
/// # Safety
/// `jit` is NULL or a live JIT; `opts` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_set_options(jit: *mut CfreeJit, opts: *const c_char) -> c_int {
    with_jit(jit, -1, |st| {
        let text = arg_str(opts, "opts")?;
        let parsed = cfree_driver::cli::parse_jit_options(text, st.jit.compile_options())
            .map_err(|m| Failure::invalid(format!("cfree_jit_set_options: {m}")))?;
        let linked = st
            .jit
            .add_library_options(&parsed.library_dirs, &parsed.libraries)
            .map_err(Failure::from);
        diag::reported(st, linked)?;
        st.jit.set_compile_options(parsed.opts);
        for note in &parsed.notes {
            st.diag.plain(Severity::Warning, note);
        }
        Ok(0)
    })
}

//! `cfree_jit_add_file`, `cfree_jit_add_library`, `cfree_jit_add_library_path`: what
//! `tcc_add_file`, `tcc_add_library` and `tcc_add_library_path` do, over
//! [`crate::Jit::add_file`] and friends (files classified by their contents; archives kept
//! for the appends that follow).

use std::ffi::{c_char, c_int};
use std::path::Path;

use cfree_frontend::diag::Severity;

use super::{arg_str, diag, with_jit, CfreeJit, Failure};

/// Adds a file by what it contains: C source (compiled with the JIT's options and
/// appended), an ELF relocatable object (appended), an `ar` archive (its members linked by
/// later appends as they need them) or a shared library (opened).
///
/// # Safety
/// `jit` is NULL or a live JIT; `path` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_add_file(jit: *mut CfreeJit, path: *const c_char) -> c_int {
    with_jit(jit, 1, |st| {
        let path = arg_str(path, "path")?;
        let added = st.jit.add_file(Path::new(path)).map_err(Failure::from);
        let warnings = diag::reported(st, added)?;
        st.diag.rendered(&warnings, Severity::Warning);
        Ok(0)
    })
}

/// Makes library `name` (`"m"` for libm) usable by code appended from now on: the
/// `-L`/`cfree_jit_add_library_path` directories, then the system ones, are searched for
/// `libNAME.so`, then `libNAME.a`.
///
/// # Safety
/// `jit` is NULL or a live JIT; `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_add_library(jit: *mut CfreeJit, name: *const c_char) -> c_int {
    with_jit(jit, 1, |st| {
        let name = arg_str(name, "name")?;
        let added = st.jit.add_library(name).map_err(Failure::from);
        diag::reported(st, added)?;
        Ok(0)
    })
}

/// Adds a directory searched (before the system ones) by later `cfree_jit_add_library`
/// calls and `-l` options.
///
/// # Safety
/// `jit` is NULL or a live JIT; `dir` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_add_library_path(
    jit: *mut CfreeJit,
    dir: *const c_char,
) -> c_int {
    with_jit(jit, 1, |st| {
        let dir = arg_str(dir, "dir")?;
        if dir.is_empty() {
            return Err(Failure::invalid("cfree: library directory is empty"));
        }
        st.jit.add_library_path(Path::new(dir))?;
        Ok(0)
    })
}

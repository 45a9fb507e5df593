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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};

    /// Any option string ends in 0 or -1 with a message, never a panic, and a failed one
    /// leaves the JIT compiling as before.
    #[test]
    fn garbage_options_error_out() {
        // SAFETY: handles from this library and valid C strings.
        unsafe {
            let jit = super::super::cfree_jit_new(std::ptr::null());
            assert!(!jit.is_null());
            let words = [
                "-I",
                "-D",
                "-U",
                "-O9",
                "-std=",
                "'",
                "\"",
                "\\",
                "-W",
                "-Werror=",
                "-l",
                "-L",
                "-x",
                "c",
                "-o",
                "@",
                "-",
                "--",
                "-fPIC",
                "-mno-sse",
                "-DA=\"b c\"",
                "-g3",
            ];
            let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
            for _ in 0..400 {
                let mut text = String::new();
                for _ in 0..(seed % 5) {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    text.push_str(words[(seed % words.len() as u64) as usize]);
                    text.push(if seed.is_multiple_of(3) { '\'' } else { ' ' });
                }
                let c = CString::new(text).unwrap_or_default();
                let r = cfree_jit_set_options(jit, c.as_ptr());
                assert!(r == 0 || r == -1);
                if r == -1 {
                    let msg = CStr::from_ptr(super::super::cfree_jit_last_error(jit));
                    assert!(!msg.to_bytes().is_empty());
                }
            }
            assert_eq!(cfree_jit_set_options(jit, c"-w -O0".as_ptr()), 0);
            let ok = super::super::cfree_jit_add_source(
                jit,
                c"ok.c".as_ptr(),
                c"int ok_after(void) { return 3; }".as_ptr(),
            );
            assert_eq!(ok, 0);
            super::super::cfree_jit_free(jit);
        }
    }
}

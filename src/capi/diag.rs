//! The diagnostic callback (`cfree_jit_set_diagnostic_callback`): every warning and error of
//! the compiles (and file additions) on a JIT, in order, as a record with its place, its
//! `-W` option and its rendered text, like tcc's `tcc_set_error_func` but structured.
//!
//! The records come from the rendered text the pipeline produces
//! ([`cfree_frontend::diag::split_rendered`] reads back exactly what the renderer writes), so
//! the callback sees the same diagnostics `cfree_obj_warnings` and `cfree_jit_last_error`
//! show, split one per warning or error.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};

use cfree_frontend::diag::{split_rendered, RenderedDiagnostic, Severity};

use super::{c_message, with_jit, CfreeJit, Failure, State, CFREE_ERR_COMPILE};

/// `CfreeDiagnostic.severity`.
pub const CFREE_DIAG_WARNING: c_int = 1;
pub const CFREE_DIAG_ERROR: c_int = 2;

/// `CfreeDiagnostic`: one warning or error, valid during the callback.
#[repr(C)]
pub struct CfreeDiagnostic {
    pub severity: c_int,
    /// NULL when the diagnostic is not about a place in the source.
    pub file: *const c_char,
    pub line: c_uint,
    pub column: c_uint,
    /// The message without the option suffix.
    pub message: *const c_char,
    /// The `-W` option that controls it (`unused-variable`, `error=format`), or NULL.
    pub option: *const c_char,
    /// The whole rendered diagnostic: header line, source line, caret, notes.
    pub rendered: *const c_char,
}

pub type DiagnosticFn = extern "C" fn(*mut c_void, *const CfreeDiagnostic);

/// A host pointer handed back to a callback; cfree never dereferences it.
#[derive(Clone, Copy, Debug)]
pub(super) struct UserPtr(pub(super) *mut c_void);

// SAFETY: the pointer is only passed back to the host's callback, which owns its meaning.
unsafe impl Send for UserPtr {}

/// Where a JIT's diagnostics go besides `cfree_jit_last_error` and `cfree_obj_warnings`.
#[derive(Debug, Default)]
pub(super) struct DiagSink {
    callback: Option<(DiagnosticFn, UserPtr)>,
}

impl DiagSink {
    /// Every diagnostic of a rendered text, in order; a text that holds no diagnostic
    /// header is one error.
    pub(super) fn rendered(&self, text: &str, default: Severity) {
        if self.callback.is_none() || text.is_empty() {
            return;
        }
        let found = split_rendered(text);
        if found.is_empty() {
            return self.plain(default, text);
        }
        for d in &found {
            self.deliver(d);
        }
    }

    /// One diagnostic without a place (a link error, a note about an option).
    pub(super) fn plain(&self, severity: Severity, text: &str) {
        self.deliver(&RenderedDiagnostic {
            severity,
            file: None,
            line: 0,
            col: 0,
            message: text.trim_end().to_owned(),
            option: None,
            text: text.to_owned(),
        });
    }

    fn deliver(&self, d: &RenderedDiagnostic) {
        let Some((cb, user)) = self.callback else {
            return;
        };
        let file = d.file.as_deref().map(c_message);
        let option = d.option.as_deref().map(c_message);
        let (message, rendered) = (c_message(&d.message), c_message(&d.text));
        let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        let record = CfreeDiagnostic {
            severity: if d.severity == Severity::Error {
                CFREE_DIAG_ERROR
            } else {
                CFREE_DIAG_WARNING
            },
            file: ptr(&file),
            line: d.line,
            column: d.col,
            message: message.as_ptr(),
            option: ptr(&option),
            rendered: rendered.as_ptr(),
        };
        cb(user.0, &record);
    }
}

/// Passes `r` through, telling the callback about its failure: a compile error's
/// diagnostics one by one, any other failure as one error.
pub(super) fn reported<T>(st: &State, r: Result<T, Failure>) -> Result<T, Failure> {
    if let Err(f) = &r {
        if f.kind == CFREE_ERR_COMPILE {
            st.diag.rendered(&f.msg, Severity::Error);
        } else {
            st.diag.plain(Severity::Error, &f.msg);
        }
    }
    r
}

/// Sets (or with a NULL `callback`, removes) the function that receives every warning and
/// error of later compiles on `jit`, in order. Errors still go to `cfree_jit_last_error` too.
///
/// # Safety
/// `jit` is NULL or a live JIT; `callback` is NULL or a function that may be called with
/// `user` during any later call on `jit` (it must not call back into `jit`).
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_set_diagnostic_callback(
    jit: *mut CfreeJit,
    callback: Option<DiagnosticFn>,
    user: *mut c_void,
) -> c_int {
    with_jit(jit, 1, |st| {
        st.diag.callback = callback.map(|cb| (cb, UserPtr(user)));
        Ok(0)
    })
}

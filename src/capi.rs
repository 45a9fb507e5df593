//! The C API: `libcfree.so` / `libcfree.a`, declared in `include/cfree.h`.
//!
//! Every entry point is a thin shell over [`crate::Jit`]: it checks its pointers, converts C
//! strings, runs the operation under `catch_unwind`, and turns any failure into a non-zero
//! return (or NULL) with the message kept for `cfree_jit_last_error`. Nothing panics across the
//! boundary, whatever the arguments. A `CfreeJit` serialises its calls with a mutex, so it may
//! be shared between threads; JIT code itself runs without any lock.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard};

use cfree_frontend::pp::CmdMacro;
use cfree_link::{AbiCheck, Indirection};

mod diag;
mod fault;
mod files;
mod image;
mod introspect;
mod options;
mod run;

pub use diag::{
    cfree_jit_set_diagnostic_callback, CfreeDiagnostic, DiagnosticFn, CFREE_DIAG_ERROR,
    CFREE_DIAG_WARNING,
};
pub use files::{cfree_jit_add_file, cfree_jit_add_library, cfree_jit_add_library_path};
pub use options::cfree_jit_set_options;
pub use run::{
    cfree_jit_fault_signal, cfree_jit_protect, cfree_jit_run_main,
    cfree_jit_set_backtrace_callback, BacktraceFn, CfreeFrame, CFREE_ERR_FAULT,
};

use crate::embed::{Error, JitOptions, Object, OptLevel};
use crate::{Arg, Ret, Value};
use image::Image;

/// `CfreeJitIndirectionMode`.
pub const CFREE_JIT_INDIRECT_NONE: c_int = 0;
pub const CFREE_JIT_INDIRECT_EXPORTED_FUNCS: c_int = 1;

/// `CfreeJitReloadOptions.flags`: skip the ABI comparison (objects from other compilers).
pub const CFREE_RELOAD_UNCHECKED_ABI: u32 = 1;

/// `CfreeErrorKind`: what the last call on a JIT failed with.
pub const CFREE_OK: c_int = 0;
pub const CFREE_ERR_COMPILE: c_int = 1;
pub const CFREE_ERR_LINK: c_int = 2;
pub const CFREE_ERR_RELOAD: c_int = 3;
pub const CFREE_ERR_JIT: c_int = 4;
pub const CFREE_ERR_INVALID_ARGUMENT: c_int = 5;
pub const CFREE_ERR_INTERNAL: c_int = 6;

/// `CfreeJitOptions`: all-zero means defaults for the host.
#[repr(C)]
pub struct CfreeJitOptions {
    pub indirection: c_int,
    /// 0: no optimisation; non-zero: optimise for speed.
    pub opt_level: c_int,
    /// Non-zero: emit DWARF.
    pub debug: c_int,
    /// NULL-terminated arrays of C strings; each may be NULL.
    pub include_dirs: *const *const c_char,
    /// `NAME` or `NAME=VALUE`, as `-D`.
    pub defines: *const *const c_char,
    /// `m` for libm, as `-l`.
    pub libraries: *const *const c_char,
    pub library_dirs: *const *const c_char,
    /// Reservation sizes in bytes; 0 means the default.
    pub reserve_code: u64,
    pub reserve_rodata: u64,
    pub reserve_data: u64,
    /// The target triple (`aarch64-linux-gnu`); NULL or "" for the host. Another
    /// architecture's image runs in cfree's executor under qemu-user.
    pub target: *const c_char,
    /// Non-zero: `cfree_jit_add_source` compiles each function on its first call.
    pub lazy: c_int,
}

/// `CfreeValueKind`.
pub const CFREE_VALUE_VOID: c_int = 0;
pub const CFREE_VALUE_INT: c_int = 1;
pub const CFREE_VALUE_DOUBLE: c_int = 2;
pub const CFREE_VALUE_FLOAT: c_int = 3;

/// `CfreeValue`: a scalar argument or result of `cfree_jit_call`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CfreeValue {
    pub kind: c_int,
    pub value: CfreeScalar,
}

/// The union inside `CfreeValue` (`as` in C).
#[repr(C)]
#[derive(Clone, Copy)]
pub union CfreeScalar {
    pub i: u64,
    pub d: f64,
    pub f: f32,
}

/// `CfreeJitReloadOptions`.
#[repr(C)]
pub struct CfreeJitReloadOptions {
    pub symbol: *const c_char,
    pub obj: *const CfreeObj,
    pub flags: u32,
}

/// `CfreeSymbolInfo`, passed to the `cfree_jit_symbols` callback.
#[repr(C)]
pub struct CfreeSymbolInfo {
    pub name: *const c_char,
    pub addr: *const c_void,
    pub size: u64,
    /// 1 for functions, 0 for data.
    pub is_function: c_int,
}

/// The opaque `CfreeJit`.
pub struct CfreeJit {
    state: Mutex<State>,
    /// Unique for the life of the process: names this JIT in each thread's [`LAST`] (an
    /// address could be reused by a later JIT).
    id: u64,
}

/// Ids of [`CfreeJit`]s.
static NEXT_JIT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The opaque `CfreeObj`: one compiled relocatable object.
pub struct CfreeObj {
    obj: Object,
    warnings: CString,
}

struct State {
    jit: Image,
    /// Storage behind the name returned by the last `cfree_jit_addr_to_sym`.
    sym_name: CString,
    /// Storage behind the strings returned by the type queries.
    text: CString,
    decl_name: CString,
    /// Storage behind what the introspection calls return (`capi/introspect.rs`).
    intro: introspect::Storage,
    /// The diagnostic callback (diag.rs).
    diag: diag::DiagSink,
    /// Fault handling of protected calls (run.rs).
    fault: run::FaultState,
}

/// A failure inside one C API call.
struct Failure {
    kind: c_int,
    msg: String,
}

impl Failure {
    fn invalid(msg: impl Into<String>) -> Self {
        Failure {
            kind: CFREE_ERR_INVALID_ARGUMENT,
            msg: msg.into(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let kind = match e {
            Error::Compile(_) => CFREE_ERR_COMPILE,
            Error::Link(_) => CFREE_ERR_LINK,
            Error::Reload(_) => CFREE_ERR_RELOAD,
            Error::Jit(_) | Error::Executor(_) | Error::Input { .. } => CFREE_ERR_JIT,
        };
        Failure {
            kind,
            msg: e.to_string(),
        }
    }
}

thread_local! {
    /// Errors of calls that have no JIT to keep them (`cfree_jit_new`, NULL `jit`).
    static GLOBAL_ERROR: std::cell::RefCell<(c_int, CString)> =
        std::cell::RefCell::new((CFREE_OK, CString::default()));
    /// This thread's last failure on each JIT (by [`CfreeJit::id`]), like `errno`: the string
    /// `cfree_jit_last_error` returns is this thread's and stays valid until this thread's
    /// next call on that JIT, whatever other threads sharing the JIT do. A JIT absent here
    /// had no failure from this thread since its last success.
    static LAST: std::cell::RefCell<std::collections::HashMap<u64, (c_int, CString)>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Records the outcome of this thread's call on `jit` (`None`: success).
fn record(jit: &CfreeJit, failure: Option<(c_int, &str)>) {
    LAST.with(|m| {
        let mut m = m.borrow_mut();
        match failure {
            // The common case costs one lookup in an (almost always) empty map.
            None if m.is_empty() => {}
            None => {
                m.remove(&jit.id);
            }
            Some((kind, msg)) => {
                m.insert(jit.id, (kind, c_message(msg)));
            }
        }
    });
}

/// The kind of this thread's last call on `jit`.
fn last_kind(jit: &CfreeJit) -> c_int {
    LAST.with(|m| m.borrow().get(&jit.id).map_or(CFREE_OK, |e| e.0))
}

fn c_message(msg: &str) -> CString {
    CString::new(msg.replace('\0', "\\0")).unwrap_or_default()
}

fn set_global_error(kind: c_int, msg: &str) {
    GLOBAL_ERROR.with(|e| *e.borrow_mut() = (kind, c_message(msg)));
}

fn lock(jit: &CfreeJit) -> MutexGuard<'_, State> {
    // A panic inside a call is caught and reported; the state it leaves is consistent (every
    // Jit operation is transactional), so a poisoned lock is still usable.
    jit.state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `f` on the JIT behind `jit`, recording success or failure. Returns `fallback` when `jit`
/// is NULL or `f` fails or panics.
fn with_jit<T>(
    jit: *const CfreeJit,
    fallback: T,
    f: impl FnOnce(&mut State) -> Result<T, Failure>,
) -> T {
    // SAFETY: a non-NULL `jit` was returned by `cfree_jit_new` and not yet freed (the header's
    // contract); it is only accessed through its mutex.
    let Some(jit) = (unsafe { jit.as_ref() }) else {
        set_global_error(
            CFREE_ERR_INVALID_ARGUMENT,
            "cfree: the CfreeJit pointer is NULL",
        );
        return fallback;
    };
    let mut state = lock(jit);
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut state)));
    drop(state);
    match result {
        Ok(Ok(v)) => {
            record(jit, None);
            v
        }
        Ok(Err(fail)) => {
            record(jit, Some((fail.kind, &fail.msg)));
            fallback
        }
        Err(_) => {
            let msg = "cfree: internal error (a bug in cfree; the JIT is unchanged)";
            record(jit, Some((CFREE_ERR_INTERNAL, msg)));
            fallback
        }
    }
}

/// A required C string argument as UTF-8.
fn arg_str<'a>(p: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::invalid(format!("cfree: {what} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string that lives for the call.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|e| Failure::invalid(format!("cfree: {what} is not valid UTF-8: {e}")))
}

/// A NULL-terminated array of C strings (NULL array: empty).
fn arg_list(p: *const *const c_char, what: &str) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    if p.is_null() {
        return Ok(out);
    }
    for i in 0.. {
        // SAFETY: the array is NULL-terminated (header contract), so every index up to the
        // terminator is readable.
        let s = unsafe { *p.add(i) };
        if s.is_null() {
            break;
        }
        out.push(arg_str(s, &format!("{what}[{i}]"))?.to_owned());
    }
    Ok(out)
}

fn options_from_c(opts: Option<&CfreeJitOptions>) -> Result<JitOptions, Failure> {
    let mut o = JitOptions::default();
    let Some(c) = opts else {
        return Ok(o);
    };
    o.indirection = match c.indirection {
        CFREE_JIT_INDIRECT_NONE => Indirection::None,
        CFREE_JIT_INDIRECT_EXPORTED_FUNCS => Indirection::ExportedFuncs,
        other => {
            return Err(Failure::invalid(format!(
                "cfree: unknown indirection mode {other} (expected 0 or 1)"
            )))
        }
    };
    if c.opt_level != 0 {
        o.compile.opt_level = OptLevel::Speed;
    }
    o.compile.debug = c.debug != 0;
    o.lazy = c.lazy != 0;
    o.compile.include_dirs = arg_list(c.include_dirs, "include_dirs")?
        .into_iter()
        .map(Into::into)
        .collect();
    o.compile.macros = arg_list(c.defines, "defines")?
        .iter()
        .map(|d| CmdMacro::define(d))
        .collect();
    o.libraries = arg_list(c.libraries, "libraries")?;
    o.library_dirs = arg_list(c.library_dirs, "library_dirs")?
        .into_iter()
        .map(Into::into)
        .collect();
    if !c.target.is_null() {
        let name = arg_str(c.target, "target")?;
        if !name.is_empty() {
            o.compile.target = cfree_frontend::target::TargetInfo::from_name(name)
                .map_err(|e| Failure::invalid(format!("cfree: invalid target '{name}': {e}")))?;
        }
    }
    if c.reserve_code != 0 || c.reserve_rodata != 0 || c.reserve_data != 0 {
        let d = cfree_jit::JitOptions::default();
        let pick = |v: u64, def: u64| if v == 0 { def } else { v };
        o.reserve = Some((
            pick(c.reserve_code, d.reserve_rx),
            pick(c.reserve_rodata, d.reserve_r),
            pick(c.reserve_data, d.reserve_rw),
        ));
    }
    Ok(o)
}

/// Creates a JIT. `opts` may be NULL (defaults). Returns NULL on failure; the reason is then
/// `cfree_jit_last_error(NULL)`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_new(opts: *const CfreeJitOptions) -> *mut CfreeJit {
    let made = catch_unwind(|| {
        // SAFETY: NULL or a pointer to a caller-owned options struct valid for the call.
        let opts = options_from_c(unsafe { opts.as_ref() })?;
        Image::new(opts).map_err(Failure::from)
    });
    match made {
        Ok(Ok(jit)) => {
            set_global_error(CFREE_OK, "");
            Box::into_raw(Box::new(CfreeJit {
                id: NEXT_JIT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                state: Mutex::new(State {
                    jit,
                    sym_name: CString::default(),
                    text: CString::default(),
                    decl_name: CString::default(),
                    intro: Default::default(),
                    diag: Default::default(),
                    fault: Default::default(),
                }),
            }))
        }
        Ok(Err(f)) => {
            set_global_error(f.kind, &f.msg);
            std::ptr::null_mut()
        }
        Err(_) => {
            set_global_error(
                CFREE_ERR_INTERNAL,
                "cfree: internal error while creating the JIT",
            );
            std::ptr::null_mut()
        }
    }
}

/// Destroys a JIT: runs its remaining exit handlers and unmaps its code. NULL is ignored.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_free(jit: *mut CfreeJit) {
    if jit.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: `jit` came from cfree_jit_new and is freed once (header contract).
        let jit = unsafe { Box::from_raw(jit) };
        LAST.with(|m| m.borrow_mut().remove(&jit.id));
        drop(jit);
    });
}

/// The message of this thread's last failed call on `jit` ("" after a successful call), per
/// thread like `errno`. With NULL, the last error of this thread's calls that had no JIT
/// (such as a failed `cfree_jit_new`). Valid until this thread's next call on the same JIT.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_last_error(jit: *const CfreeJit) -> *const c_char {
    // SAFETY: NULL or a live CfreeJit (header contract).
    match unsafe { jit.as_ref() } {
        // The entry lives in this thread's map until this thread's next call on `j`.
        Some(j) => LAST.with(|m| m.borrow().get(&j.id).map_or(c"".as_ptr(), |e| e.1.as_ptr())),
        None => GLOBAL_ERROR.with(|e| e.borrow().1.as_ptr()),
    }
}

/// The kind of the last failure on `jit` (`CFREE_OK` after success). With NULL, the kind of
/// this thread's last call that had no JIT (`cfree_jit_new`), like `cfree_jit_last_error(NULL)`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_last_error_kind(jit: *const CfreeJit) -> c_int {
    // SAFETY: NULL or a live CfreeJit.
    match unsafe { jit.as_ref() } {
        Some(j) => last_kind(j),
        None => GLOBAL_ERROR.with(|e| e.borrow().0),
    }
}

/// Makes `name` resolve to `addr` in code compiled and appended from now on.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_add_symbol(
    jit: *mut CfreeJit,
    name: *const c_char,
    addr: *mut c_void,
) -> c_int {
    with_jit(jit, 1, |st| {
        let name = arg_str(name, "name")?;
        if name.is_empty() {
            return Err(Failure::invalid("cfree: symbol name is empty"));
        }
        st.jit.add_symbol(name, addr);
        Ok(0)
    })
}

/// Compiles C source text with the JIT's options. Returns NULL on error (see
/// `cfree_jit_last_error`: file:line:col, the source line and a caret).
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_compile(
    jit: *mut CfreeJit,
    filename: *const c_char,
    source: *const c_char,
) -> *mut CfreeObj {
    with_jit(jit, std::ptr::null_mut(), |st| {
        let filename = if filename.is_null() {
            "<string>"
        } else {
            arg_str(filename, "filename")?
        };
        let source = arg_str(source, "source")?;
        let obj = diag::reported(st, st.jit.compile(filename, source).map_err(Failure::from))?;
        st.diag
            .rendered(obj.warnings(), cfree_frontend::diag::Severity::Warning);
        let warnings = c_message(obj.warnings());
        Ok(Box::into_raw(Box::new(CfreeObj { obj, warnings })))
    })
}

/// Frees a compiled object (appending or reloading does not consume it). NULL is ignored.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_obj_free(obj: *mut CfreeObj) {
    if obj.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: `obj` came from cfree_compile and is freed once.
        drop(unsafe { Box::from_raw(obj) });
    });
}

/// The compiler's warnings for `obj` ("" when none; NULL for a NULL object).
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_obj_warnings(obj: *const CfreeObj) -> *const c_char {
    // SAFETY: NULL or a live CfreeObj.
    match unsafe { obj.as_ref() } {
        Some(o) => o.warnings.as_ptr(),
        None => std::ptr::null(),
    }
}

/// The ELF relocatable object bytes of `obj` (what `cfree cc -c` would write).
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_obj_elf(obj: *const CfreeObj, size: *mut usize) -> *const c_void {
    // SAFETY: NULL or a live CfreeObj; `size` NULL or writable.
    let Some(o) = (unsafe { obj.as_ref() }) else {
        return std::ptr::null();
    };
    let bytes = o.obj.elf();
    if let Some(s) = unsafe { size.as_mut() } {
        *s = bytes.len();
    }
    bytes.as_ptr().cast()
}

fn obj_ref<'a>(obj: *const CfreeObj) -> Result<&'a Object, Failure> {
    // SAFETY: NULL or a live CfreeObj (header contract).
    unsafe { obj.as_ref() }
        .map(|o| &o.obj)
        .ok_or_else(|| Failure::invalid("cfree: the CfreeObj pointer is NULL"))
}

/// Links `obj` into the image (append-only) and runs its constructors.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_append_obj(jit: *mut CfreeJit, obj: *const CfreeObj) -> c_int {
    with_jit(jit, 1, |st| {
        let obj = obj_ref(obj)?;
        st.jit.append(obj)?;
        Ok(0)
    })
}

/// Compiles `source` and appends it.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_add_source(
    jit: *mut CfreeJit,
    filename: *const c_char,
    source: *const c_char,
) -> c_int {
    with_jit(jit, 1, |st| {
        let filename = if filename.is_null() {
            "<string>"
        } else {
            arg_str(filename, "filename")?
        };
        let source = arg_str(source, "source")?;
        let added = st.jit.add_source(filename, source).map_err(Failure::from);
        let warnings = diag::reported(st, added)?;
        st.diag
            .rendered(&warnings, cfree_frontend::diag::Severity::Warning);
        Ok(0)
    })
}

/// Replaces the body of `opts->symbol` with the one `opts->obj` defines.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_reload_function(
    jit: *mut CfreeJit,
    opts: *const CfreeJitReloadOptions,
) -> c_int {
    with_jit(jit, 1, |st| {
        // SAFETY: NULL or a caller-owned struct valid for the call.
        let o = unsafe { opts.as_ref() }
            .ok_or_else(|| Failure::invalid("cfree: reload options are NULL"))?;
        let name = arg_str(o.symbol, "symbol")?;
        let obj = obj_ref(o.obj)?;
        if o.flags & !CFREE_RELOAD_UNCHECKED_ABI != 0 {
            return Err(Failure::invalid(format!(
                "cfree: unknown reload flags {:#x}",
                o.flags & !CFREE_RELOAD_UNCHECKED_ABI
            )));
        }
        let abi = if o.flags & CFREE_RELOAD_UNCHECKED_ABI != 0 {
            AbiCheck::Unchecked
        } else {
            AbiCheck::Required
        };
        st.jit.reload(name, obj, abi)?;
        Ok(0)
    })
}

/// Address of global symbol `name` (a reloadable function's stable entry); NULL when absent.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_lookup(jit: *mut CfreeJit, name: *const c_char) -> *mut c_void {
    with_jit(jit, std::ptr::null_mut(), |st| {
        let name = arg_str(name, "name")?;
        st.jit
            .lookup(name)
            .map(|a| a as *mut c_void)
            .ok_or_else(|| Failure {
                kind: CFREE_ERR_LINK,
                msg: format!("cfree: `{name}` is not defined in the image"),
            })
    })
}

/// Calls function `name` with scalar arguments (see `include/cfree.h`).
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced. For an image in this process, the arguments and result
/// kind must match the function's C type.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_call(
    jit: *mut CfreeJit,
    name: *const c_char,
    args: *const CfreeValue,
    nargs: usize,
    result_kind: c_int,
    result: *mut CfreeValue,
) -> c_int {
    with_jit(jit, 1, |st| {
        let name = arg_str(name, "name")?;
        let args: &[CfreeValue] = if nargs == 0 {
            &[]
        } else if args.is_null() {
            return Err(Failure::invalid("cfree: args is NULL"));
        } else {
            // SAFETY: a caller-owned array of `nargs` values (header contract).
            unsafe { std::slice::from_raw_parts(args, nargs) }
        };
        let args = args
            .iter()
            .enumerate()
            .map(|(i, a)| match a.kind {
                // SAFETY: the kind says which member the caller wrote.
                CFREE_VALUE_INT => Ok(Arg::Int(unsafe { a.value.i })),
                CFREE_VALUE_DOUBLE => Ok(Arg::F64(unsafe { a.value.d })),
                CFREE_VALUE_FLOAT => Ok(Arg::F32(unsafe { a.value.f })),
                k => Err(Failure::invalid(format!(
                    "cfree: argument {i} has kind {k} (expected 1, 2 or 3)"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ret = match result_kind {
            CFREE_VALUE_VOID => Ret::Void,
            CFREE_VALUE_INT => Ret::Int,
            CFREE_VALUE_DOUBLE => Ret::F64,
            CFREE_VALUE_FLOAT => Ret::F32,
            k => {
                return Err(Failure::invalid(format!(
                    "cfree: result kind {k} (expected 0 to 3)"
                )))
            }
        };
        // SAFETY: the caller vouches for the types (header contract). A fault in the callee
        // is caught (run.rs).
        let v = unsafe { run::call(st, name, &args, ret) }?;
        let out = match v {
            Value::Void => CfreeValue {
                kind: CFREE_VALUE_VOID,
                value: CfreeScalar { i: 0 },
            },
            Value::Int(i) => CfreeValue {
                kind: CFREE_VALUE_INT,
                value: CfreeScalar { i },
            },
            Value::F64(d) => CfreeValue {
                kind: CFREE_VALUE_DOUBLE,
                value: CfreeScalar { d },
            },
            Value::F32(f) => CfreeValue {
                kind: CFREE_VALUE_FLOAT,
                value: CfreeScalar { f },
            },
        };
        // SAFETY: NULL or writable (header contract).
        if let Some(r) = unsafe { result.as_mut() } {
            *r = out;
        }
        Ok(0)
    })
}

/// The symbol containing `addr` and the offset into it. `*name` stays valid until the next call
/// on `jit`. Returns non-zero when `addr` is not inside the image.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_addr_to_sym(
    jit: *mut CfreeJit,
    addr: *const c_void,
    name: *mut *const c_char,
    offset: *mut u64,
) -> c_int {
    with_jit(jit, 1, |st| {
        let (n, off) = st
            .jit
            .addr_to_sym(addr as u64)
            .map(|(n, off)| (c_message(&n), off))
            .ok_or_else(|| Failure::invalid(format!("cfree: {addr:p} is not inside the image")))?;
        st.sym_name = n;
        // SAFETY: out-pointers are NULL or writable (header contract).
        unsafe {
            if let Some(p) = name.as_mut() {
                *p = st.sym_name.as_ptr();
            }
            if let Some(p) = offset.as_mut() {
                *p = off;
            }
        }
        Ok(0)
    })
}

/// +1 per successful append or reload; 0 for a new JIT (and for NULL).
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_generation(jit: *const CfreeJit) -> u64 {
    // SAFETY: NULL or a live CfreeJit.
    match unsafe { jit.as_ref() } {
        Some(j) => lock(j).jit.generation(),
        None => 0,
    }
}

/// Calls `callback(info, user)` for every function and data symbol of the image (a reloadable
/// function once, at its entry). The callback must not call back into this JIT. A non-zero
/// return from the callback stops the iteration and is returned.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_symbols(
    jit: *mut CfreeJit,
    callback: Option<extern "C" fn(*const CfreeSymbolInfo, *mut c_void) -> c_int>,
    user: *mut c_void,
) -> c_int {
    with_jit(jit, -1, |st| {
        let cb = callback.ok_or_else(|| Failure::invalid("cfree: callback is NULL"))?;
        for s in st.jit.symbols() {
            let name = c_message(&s.name);
            let info = CfreeSymbolInfo {
                name: name.as_ptr(),
                addr: s.addr as *const c_void,
                size: s.size,
                is_function: c_int::from(s.is_function),
            };
            let r = cb(&info, user);
            if r != 0 {
                return Ok(r);
            }
        }
        Ok(0)
    })
}

/// The JIT view: an in-memory ELF of the image (sections at runtime addresses, symbols),
/// rebuilt when the generation changed. The bytes stay valid until the next call on `jit`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_view(
    jit: *mut CfreeJit,
    data: *mut *const c_void,
    size: *mut usize,
) -> c_int {
    with_jit(jit, 1, |st| {
        let view = st.jit.view().map_err(|msg| Failure {
            kind: CFREE_ERR_JIT,
            msg,
        })?;
        // SAFETY: out-pointers are NULL or writable.
        unsafe {
            if let Some(p) = data.as_mut() {
                *p = view.as_ptr().cast();
            }
            if let Some(p) = size.as_mut() {
                *p = view.len();
            }
        }
        Ok(0)
    })
}

/// The C type of function `name` as cfree compiled it, e.g. `"int (int, double)"` or
/// `"char * (const char *, ...)"` (qualifiers dropped). NULL when the image has no such function
/// compiled by cfree. Valid until the next call on `jit`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_function_type(
    jit: *mut CfreeJit,
    name: *const c_char,
) -> *const c_char {
    with_jit(jit, std::ptr::null(), |st| {
        let name = arg_str(name, "name")?;
        let p = st.jit.prototype(name).ok_or_else(|| Failure {
            kind: CFREE_ERR_LINK,
            msg: format!("cfree: no function `{name}` compiled by cfree in the image"),
        })?;
        st.text = c_message(&p.to_string());
        Ok(st.text.as_ptr())
    })
}

/// Parses one C function declaration (`"void log_value(int)"`) with the JIT's options and
/// returns its type (`"void (int)"`); `*name` receives the declared name. NULL on error. Both
/// strings are valid until the next call on `jit`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it (a handle from
/// this library, a NUL-terminated string, a caller-owned struct or buffer). NULL is reported
/// as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_declaration_type(
    jit: *mut CfreeJit,
    declaration: *const c_char,
    name: *mut *const c_char,
) -> *const c_char {
    with_jit(jit, std::ptr::null(), |st| {
        let decl = arg_str(declaration, "declaration")?;
        let p = st.jit.parse_declaration(decl)?;
        st.text = c_message(&p.to_string());
        st.decl_name = c_message(&p.name);
        // SAFETY: `name` is NULL or writable.
        if let Some(out) = unsafe { name.as_mut() } {
            *out = st.decl_name.as_ptr();
        }
        Ok(st.text.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(jit: *const CfreeJit) -> String {
        // SAFETY: cfree_jit_last_error always returns a valid NUL-terminated string.
        unsafe { CStr::from_ptr(cfree_jit_last_error(jit)) }
            .to_string_lossy()
            .into_owned()
    }

    /// Garbage of every kind ends in an error, never a panic or a crash, and the JIT keeps
    /// working.
    #[test]
    fn garbage_in_errors_out() {
        // SAFETY: the test passes handles from this library, NULL, or valid C strings.
        unsafe {
            let jit = cfree_jit_new(std::ptr::null());
            assert!(!jit.is_null());
            let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let alphabet = b"{}()[];,*&+-=<>!?:#\"'\\/ \n\tintcharstructvoid0123456789xyz_.";
            for round in 0..300 {
                let len = (next() % 200) as usize;
                let mut src: Vec<u8> = (0..len)
                    .map(|_| {
                        let r = next();
                        if round % 3 == 0 {
                            (r % 255 + 1) as u8 // raw bytes, often invalid UTF-8
                        } else {
                            alphabet[(r % alphabet.len() as u64) as usize]
                        }
                    })
                    .collect();
                src.push(0);
                let r = cfree_jit_add_source(jit, c"fuzz.c".as_ptr(), src.as_ptr().cast());
                if r != 0 {
                    assert!(!err(jit).is_empty());
                    assert_ne!(cfree_jit_last_error_kind(jit), CFREE_OK);
                }
                let obj = cfree_compile(jit, std::ptr::null(), src.as_ptr().cast());
                cfree_obj_free(obj);
            }
            // Bad pointers of every other kind.
            assert!(cfree_jit_lookup(jit, std::ptr::null()).is_null());
            assert_ne!(cfree_jit_reload_function(jit, std::ptr::null()), 0);
            let bad = CfreeJitReloadOptions {
                symbol: c"x".as_ptr(),
                obj: std::ptr::null(),
                flags: 0,
            };
            assert_ne!(cfree_jit_reload_function(jit, &bad), 0);
            assert!(err(jit).contains("NULL"), "{}", err(jit));
            assert_ne!(
                cfree_jit_view(
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut()
                ),
                0
            );
            // Still a working JIT.
            assert_eq!(
                cfree_jit_add_source(
                    jit,
                    c"ok.c".as_ptr(),
                    c"int ok_fn(void) { return 7; }".as_ptr()
                ),
                0,
                "{}",
                err(jit)
            );
            let f = cfree_jit_lookup(jit, c"ok_fn".as_ptr());
            assert!(!f.is_null());
            // SAFETY: ok_fn is `int ok_fn(void)`.
            let f: extern "C" fn() -> c_int = std::mem::transmute(f);
            assert_eq!(f(), 7);
            assert_eq!(err(jit), "");
            cfree_jit_free(jit);
        }
    }
}

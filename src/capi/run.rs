//! Running JIT code so that its faults come back as errors: `cfree_jit_run_main`,
//! `cfree_jit_protect`, the protection of `cfree_jit_call`, and the fault report (signal,
//! symbolized backtrace, the backtrace callback). The mechanism is `fault.rs`.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};

use super::diag::UserPtr;
use super::fault::{self, RawFault, Stop};
use super::{c_message, lock, with_jit, CfreeJit, Failure, State};
use crate::{Arg, Ret, Value};

/// `CfreeErrorKind`: JIT code faulted (or called `abort`, or failed an `assert`); the message
/// has the signal and the backtrace.
pub const CFREE_ERR_FAULT: c_int = 7;

/// `CfreeFrame`: one frame of a fault's backtrace, valid during the callback.
#[repr(C)]
pub struct CfreeFrame {
    /// 0 for the innermost frame.
    pub index: c_uint,
    pub pc: *const c_void,
    /// The image symbol containing `pc`, or NULL.
    pub symbol: *const c_char,
    pub offset: u64,
    /// Source file and line, when the code was compiled with `-g`; NULL and 0 otherwise.
    pub file: *const c_char,
    pub line: c_uint,
}

pub type BacktraceFn = extern "C" fn(*mut c_void, c_int, *const CfreeFrame) -> c_int;

/// A JIT's fault handling: its hold on the signal handlers, the backtrace callback, the
/// last fault's signal.
#[derive(Debug, Default)]
pub(super) struct FaultState {
    handlers: fault::Handlers,
    backtrace: Option<(BacktraceFn, UserPtr)>,
    last_signal: c_int,
}

/// One frame of a report, symbolized.
struct Frame {
    pc: u64,
    symbol: Option<(String, u64)>,
    line: Option<(String, u32)>,
}

extern "C" {
    static mut environ: *mut *mut c_char;
}

/// The image range a protected call guards, with the handlers installed.
fn prepare(st: &mut State) -> Result<(u64, u64), Failure> {
    st.fault.last_signal = 0;
    let range = st
        .jit
        .code_range()
        .ok_or_else(|| Failure::invalid("cfree: protected calls need an image in this process"))?;
    st.fault.handlers.acquire();
    Ok(range)
}

/// `cfree_jit_call`'s call of a local image, protected; a remote one as before.
///
/// # Safety
/// As `cfree_jit_call`: `args` and `ret` match the function's C type.
pub(super) unsafe fn call(
    st: &mut State,
    name: &str,
    args: &[Arg],
    ret: Ret,
) -> Result<Value, Failure> {
    let addr = match st.jit.local() {
        Some(j) => j.lookup(name),
        // SAFETY: a remote call cannot hurt this process.
        None => return unsafe { st.jit.call(name, args, ret) }.map_err(Failure::from),
    };
    // The same errors as an unprotected call (`Jit::call`): CFREE_ERR_JIT.
    let jit_error = |msg: String| Failure {
        kind: super::CFREE_ERR_JIT,
        msg,
    };
    let addr = addr.ok_or_else(|| jit_error(format!("`{name}` is not defined in the image")))?;
    let code = prepare(st)?;
    let mut out = Err(String::new());
    // SAFETY: forwarded to the caller.
    let (stop, raw) = fault::protected(code, false, || {
        out = unsafe { crate::embed::call_host(addr as u64, args, ret) }
    });
    match (stop, raw) {
        (Stop::Fault, Some(raw)) => Err(report(st, &raw)),
        _ => out.map_err(jit_error),
    }
}

/// What a protected call's first, locked step found.
enum Prepared {
    /// Call this with the lock released.
    Local(u64, (u64, u64)),
    /// A remote image's `main` already ran (in its executor).
    Done(c_int),
}

/// Calls the image's `main(argc, argv, envp)` and returns its result (see `include/cfree.h`
/// for `exit`, faults and remote images). On failure, -1 with the error set.
///
/// # Safety
/// `jit` is NULL or a live JIT; `argv` is NULL (with `argc` 0) or holds `argc` valid C
/// strings, which must stay valid while `main` runs.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_run_main(
    jit: *mut CfreeJit,
    argc: c_int,
    argv: *mut *mut c_char,
) -> c_int {
    let mut args: Vec<*mut c_char> = Vec::new();
    let prepared = with_jit(jit, None, |st| {
        let n = usize::try_from(argc)
            .map_err(|_| Failure::invalid(format!("cfree: argc is {argc}")))?;
        if n > 0 && argv.is_null() {
            return Err(Failure::invalid("cfree: argv is NULL"));
        }
        // SAFETY: (caller) argv holds argc pointers.
        args = (0..n).map(|i| unsafe { *argv.add(i) }).collect();
        args.push(std::ptr::null_mut());
        let main = st.jit.lookup("main").ok_or_else(|| Failure {
            kind: super::CFREE_ERR_LINK,
            msg: "cfree: `main` is not defined in the image".into(),
        })?;
        if st.jit.local().is_none() {
            return remote_main(st, &args).map(|s| Some(Prepared::Done(s)));
        }
        Ok(Some(Prepared::Local(main, prepare(st)?)))
    });
    let (main, code) = match prepared {
        None => return -1,
        Some(Prepared::Done(status)) => return status,
        Some(Prepared::Local(main, code)) => (main, code),
    };
    let mut status = 0;
    // SAFETY: `main` is the image's C main, callable with (int, char **, char **) whatever
    // its declared parameters; `args` is NULL-terminated and outlives the call.
    let (stop, raw) = fault::protected(code, true, || unsafe {
        let f: extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int =
            std::mem::transmute(main as usize);
        status = f(argc, args.as_mut_ptr(), *std::ptr::addr_of!(environ));
    });
    with_jit(jit, -1, |st| match (stop, raw) {
        (Stop::Fault, Some(raw)) => Err(report(st, &raw)),
        (Stop::Exit(s), _) => Ok(s),
        _ => Ok(status),
    })
}

fn remote_main(st: &mut State, args: &[*mut c_char]) -> Result<c_int, Failure> {
    let strings = args
        .iter()
        .take_while(|p| !p.is_null())
        // SAFETY: (cfree_jit_run_main's caller) each is a valid C string.
        .map(|&p| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    let Some(j) = st.jit.remote_mut() else {
        return Err(Failure::invalid("cfree: not a remote image"));
    };
    j.run_main(&strings).map_err(Failure::from)
}

/// Calls `fn(user)` so that a fault in JIT code it calls (directly or not) returns here as
/// `CFREE_ERR_FAULT` instead of killing the process.
///
/// # Safety
/// `jit` is NULL or a live JIT; `f` is NULL or a function callable with `user`.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_protect(
    jit: *mut CfreeJit,
    f: Option<extern "C" fn(*mut c_void)>,
    user: *mut c_void,
) -> c_int {
    let prepared = with_jit(jit, None, |st| {
        let f = f.ok_or_else(|| Failure::invalid("cfree: the function is NULL"))?;
        Ok(Some((f, prepare(st)?)))
    });
    let Some((f, code)) = prepared else {
        return 1;
    };
    let (stop, raw) = fault::protected(code, false, || f(user));
    with_jit(jit, 1, |st| match (stop, raw) {
        (Stop::Fault, Some(raw)) => Err(report(st, &raw)),
        _ => Ok(0),
    })
}

/// Sets (NULL: removes) the function called with each frame of a fault's backtrace, after
/// the fault and before the faulting call returns.
///
/// # Safety
/// `jit` is NULL or a live JIT; `callback` is NULL or callable with `user`; it must not call
/// back into `jit`.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_set_backtrace_callback(
    jit: *mut CfreeJit,
    callback: Option<BacktraceFn>,
    user: *mut c_void,
) -> c_int {
    with_jit(jit, 1, |st| {
        st.fault.backtrace = callback.map(|cb| (cb, UserPtr(user)));
        Ok(0)
    })
}

/// The signal of the last call on `jit` that failed with `CFREE_ERR_FAULT` (SIGABRT for
/// `abort` and `assert`); 0 when the last call did not fault.
///
/// # Safety
/// `jit` is NULL or a live JIT.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_fault_signal(jit: *const CfreeJit) -> c_int {
    // SAFETY: NULL or a live CfreeJit. Read without recording a result, like
    // cfree_jit_last_error, so asking does not clear the error.
    match unsafe { jit.as_ref() } {
        Some(j) if super::last_kind(j) == CFREE_ERR_FAULT => lock(j).fault.last_signal,
        _ => 0,
    }
}

/// The error a fault becomes: names, offsets and lines for its frames, the callback told.
fn report(st: &mut State, raw: &RawFault) -> Failure {
    st.fault.last_signal = raw.signal;
    let (pcs, omitted) = raw.frames();
    let lines = st.jit.line_table();
    let frames: Vec<Frame> = pcs
        .iter()
        .enumerate()
        .map(|(i, &pc)| {
            // A return address names the call before it.
            let at = if i == 0 && raw.exact_pc {
                pc
            } else {
                pc.saturating_sub(1)
            };
            Frame {
                pc,
                symbol: st.jit.addr_to_sym(at).map(|(n, off)| (n, off + (pc - at))),
                line: lines
                    .as_ref()
                    .and_then(|t| t.lookup(at))
                    .map(|(f, l)| (f.to_owned(), l)),
            }
        })
        .collect();
    let mut msg = headline(raw);
    if let Some(f) = frames.first() {
        msg.push_str(" in ");
        msg.push_str(&place(f));
    }
    for (i, f) in frames.iter().enumerate() {
        if omitted > 0 && i == fault::HEAD_FRAMES {
            msg.push_str(&format!("\n  ... {omitted} frames ..."));
        }
        let n = if i < fault::HEAD_FRAMES {
            i
        } else {
            i + omitted
        };
        msg.push_str(&format!("\n  #{n} {:#x} {}", f.pc, place(f)));
    }
    tell_backtrace(st, raw.signal, &frames, omitted);
    Failure {
        kind: CFREE_ERR_FAULT,
        msg,
    }
}

/// `f+0x12 (file.c:3)`, `?? ` when outside every symbol.
fn place(f: &Frame) -> String {
    let mut s = match &f.symbol {
        Some((name, off)) => format!("{name}+{off:#x}"),
        None => "??".to_owned(),
    };
    if let Some((file, line)) = &f.line {
        s.push_str(&format!(" ({file}:{line})"));
    }
    s
}

/// `SIGSEGV (invalid memory access at 0x0)` and the like; a fault next to the stack pointer
/// is a stack overflow (the guard page below the stack).
fn headline(raw: &RawFault) -> String {
    let what = match raw.signal {
        libc::SIGSEGV if raw.sp != 0 && raw.addr.abs_diff(raw.sp) < 1 << 16 => {
            format!("stack overflow at {:#x}", raw.addr)
        }
        libc::SIGSEGV => format!("invalid memory access at {:#x}", raw.addr),
        libc::SIGBUS => format!("bus error at {:#x}", raw.addr),
        libc::SIGFPE => "arithmetic exception (integer division by zero or overflow)".into(),
        libc::SIGILL => "illegal instruction (a trap in compiled code)".into(),
        libc::SIGABRT => match raw.assertion {
            Some(a) => assertion_text(a),
            None => "abort() called".into(),
        },
        _ => "signal".into(),
    };
    format!("{} ({what})", cfree_jit::crash::signal_abbrev(raw.signal))
}

/// glibc's words for a failed assertion, from `__assert_fail`'s arguments.
fn assertion_text((assertion, file, line, function): (u64, u64, c_uint, u64)) -> String {
    let s = |p: u64| {
        if p == 0 {
            String::from("?")
        } else {
            // SAFETY: __assert_fail's string arguments are C strings in the image.
            unsafe { CStr::from_ptr(p as *const c_char) }
                .to_string_lossy()
                .into_owned()
        }
    };
    format!(
        "{}:{line}: {}: Assertion `{}' failed",
        s(file),
        s(function),
        s(assertion)
    )
}

fn tell_backtrace(st: &State, signal: c_int, frames: &[Frame], omitted: usize) {
    let Some((cb, user)) = st.fault.backtrace else {
        return;
    };
    for (i, f) in frames.iter().enumerate() {
        let name = f.symbol.as_ref().map(|(n, _)| c_message(n));
        let file = f.line.as_ref().map(|(p, _)| c_message(p));
        let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        let n = if i < fault::HEAD_FRAMES {
            i
        } else {
            i + omitted
        };
        let frame = CfreeFrame {
            index: c_uint::try_from(n).unwrap_or(c_uint::MAX),
            pc: f.pc as *const c_void,
            symbol: ptr(&name),
            offset: f.symbol.as_ref().map_or(0, |s| s.1),
            file: ptr(&file),
            line: f.line.as_ref().map_or(0, |l| l.1),
        };
        if cb(user.0, signal, &frame) != 0 {
            break;
        }
    }
}

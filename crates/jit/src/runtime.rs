//! Runtime support that linked code needs from the JIT host.
//!
//! - `atexit`: glibc does not export it from `libc.so.6` (it lives in `libc_nonshared.a` and is
//!   linked into each executable), so code compiled by gcc and linked here needs ours. It
//!   registers through `__cxa_atexit` with the image's DSO handle, like the static stub does.
//! - `__dso_handle`: per image, the address of the image's reservation. Handlers registered with
//!   it (atexit from JIT code, `.fini_array`) run at process exit, or when the `Jit` is dropped
//!   via `__cxa_finalize` — the same protocol `dlclose` uses, so no exit handler ever points
//!   into unmapped memory.
//! - `__tls_get_addr`: each thread's copy of the image's TLS templates (`tls.rs`).
//! - `__register_frame`/`__deregister_frame` from libgcc_s (loaded by every Rust executable) to
//!   make JIT frames unwindable.

use std::ffi::{c_int, c_void};
use std::sync::Mutex;

extern "C" {
    fn __cxa_atexit(func: extern "C" fn(*mut c_void), arg: *mut c_void, dso: *mut c_void) -> c_int;
    fn __cxa_finalize(dso: *mut c_void);
}

/// Address ranges of live JIT images, so `atexit` can find the DSO handle of a handler.
static LIVE_IMAGES: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());

fn live_images() -> std::sync::MutexGuard<'static, Vec<(u64, u64)>> {
    LIVE_IMAGES.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn register_image(start: u64, end: u64) {
    live_images().push((start, end));
}

pub(crate) fn unregister_image(start: u64) {
    live_images().retain(|&(s, _)| s != start);
}

/// The DSO handle of the image containing `addr`, or null for host code.
fn dso_for(addr: u64) -> *mut c_void {
    live_images()
        .iter()
        .find(|&&(s, e)| (s..e).contains(&addr))
        .map_or(std::ptr::null_mut(), |&(s, _)| s as *mut c_void)
}

extern "C" fn call_plain(arg: *mut c_void) {
    // SAFETY: `arg` was registered by `cfree_atexit` from a non-null `void (*)(void)`.
    let f: extern "C" fn() = unsafe { std::mem::transmute::<*mut c_void, extern "C" fn()>(arg) };
    f();
}

/// `int atexit(void (*)(void))` for linked code.
extern "C" fn cfree_atexit(f: Option<extern "C" fn()>) -> c_int {
    let Some(f) = f else {
        return -1;
    };
    let dso = dso_for(f as usize as u64);
    // SAFETY: glibc's __cxa_atexit; `call_plain` turns the argument back into `f`.
    unsafe { __cxa_atexit(call_plain, f as *mut c_void, dso) }
}

extern "C" fn run_fini_batch(arg: *mut c_void) {
    // SAFETY: `arg` is the Box leaked by `register_fini`; each registration runs at most once
    // (at exit or at __cxa_finalize), which is when ownership comes back.
    let entries = unsafe { Box::from_raw(arg.cast::<Vec<u64>>()) };
    // Destructor tables run last-to-first.
    for &addr in entries.iter().rev() {
        // SAFETY: the linker reported these as `.fini_array`/`.dtors` entries of a live image.
        let f: extern "C" fn() =
            unsafe { std::mem::transmute::<usize, extern "C" fn()>(addr as usize) };
        f();
    }
}

/// Register one batch of destructor-table entries to run at exit (or when the image is
/// dropped), with the image's DSO handle.
pub(crate) fn register_fini(entries: Vec<u64>, dso: u64) -> bool {
    if entries.is_empty() {
        return true;
    }
    let arg = Box::into_raw(Box::new(entries));
    // SAFETY: glibc's __cxa_atexit; run_fini_batch reclaims `arg`.
    let r = unsafe { __cxa_atexit(run_fini_batch, arg.cast(), dso as *mut c_void) };
    if r != 0 {
        // SAFETY: registration failed, so nobody else owns `arg`.
        drop(unsafe { Box::from_raw(arg) });
        return false;
    }
    true
}

/// Run and forget every exit handler registered with this image's DSO handle.
pub(crate) fn finalize(dso: u64) {
    // SAFETY: glibc's __cxa_finalize with a non-null handle only runs matching handlers.
    unsafe { __cxa_finalize(dso as *mut c_void) }
}

/// Symbols the JIT provides to every image it links.
pub(crate) fn runtime_symbols(dso: u64) -> [(&'static str, u64); 3] {
    [
        ("atexit", cfree_atexit as *const () as u64),
        ("__dso_handle", dso),
        (
            "__tls_get_addr",
            crate::tls::cfree_tls_get_addr as *const () as u64,
        ),
    ]
}

/// libgcc's frame registration entry points.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrameFns {
    register: unsafe extern "C" fn(*const u8),
    deregister: unsafe extern "C" fn(*const u8),
}

impl FrameFns {
    /// Found with `dlsym(RTLD_DEFAULT)`; `None` if the process has no libgcc unwinder.
    pub(crate) fn lookup() -> Option<Self> {
        let find = |name: &std::ffi::CStr| {
            // SAFETY: valid NUL-terminated name; RTLD_DEFAULT searches the global scope.
            let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            (!p.is_null()).then_some(p)
        };
        let reg = find(c"__register_frame")?;
        let dereg = find(c"__deregister_frame")?;
        // SAFETY: both are libgcc's `void f(void *)` functions.
        unsafe {
            Some(FrameFns {
                register: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*const u8)>(reg),
                deregister: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*const u8)>(
                    dereg,
                ),
            })
        }
    }

    /// # Safety
    /// `addr` must point at a relocated `.eh_frame` ending in a zero terminator, mapped for as
    /// long as it stays registered.
    pub(crate) unsafe fn register(&self, addr: u64) {
        (self.register)(addr as *const u8)
    }

    /// # Safety
    /// `addr` must have been registered with [`register`](Self::register).
    pub(crate) unsafe fn deregister(&self, addr: u64) {
        (self.deregister)(addr as *const u8)
    }
}

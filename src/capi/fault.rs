//! Faults in JIT code caught instead of killing the host: the mechanism behind
//! `cfree_jit_run_main`, `cfree_jit_call` and `cfree_jit_protect`.
//!
//! A protected call goes through a small assembly trampoline ([`protected_call`]) that saves
//! the callee-saved registers and the stack pointer in a [`Guard`] on the caller's Rust stack,
//! then calls the code. The guard is published in a thread-local. When SIGSEGV, SIGBUS,
//! SIGFPE or SIGILL arrives on that thread with the faulting pc inside the guarded JIT's
//! image (or at a bad address that JIT code just called), the handler (running on an
//! alternate signal stack, so a stack overflow is caught too) records the signal, the
//! address and the frame-pointer chain of return addresses (cfree keeps frame pointers), and
//! rewrites the interrupted context to continue in [`resume`], which restores the saved
//! registers and makes the trampoline return a non-zero code: the frames of the JIT code are
//! abandoned, the way `siglongjmp` would abandon them, and the kernel's `sigreturn` restores
//! the signal mask. Any other signal, or a fault outside JIT code, goes to the handler that
//! was installed before ours. The handler only reads stack words between the faulting
//! stack pointer and the trampoline's, writes into the guard and returns: no allocation, no
//! lock. Names and lines are looked up after the return, in ordinary code.
//!
//! `abort()` and `assert()` failures do not fault in JIT code (libc raises SIGABRT from its
//! own code); the image's references to `abort` and `__assert_fail` are bound to entries here
//! that, under a guard, record the caller's frames and return through [`resume`] the same way,
//! and otherwise call libc's. Likewise `exit` under `cfree_jit_run_main` ends `main` with
//! that status instead of ending the process.
//!
//! Handlers are installed when the first JIT makes a protected call and the previous ones
//! restored when the last such JIT is freed (unless someone replaced ours meanwhile).

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_uint, c_void};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

/// Frames kept from the top of the faulting stack, and from its bottom (a stack overflow
/// has hundreds of thousands of frames; the outermost ones say how it started).
pub(super) const HEAD_FRAMES: usize = 48;
pub(super) const TAIL_FRAMES: usize = 16;

/// Why a protected call did not return normally.
#[derive(Clone, Copy, Debug, Default)]
pub(super) enum Stop {
    #[default]
    Returned,
    /// A signal in JIT code (or `abort`/`assert` from it).
    Fault,
    /// `exit(status)` under `cfree_jit_run_main`.
    Exit(c_int),
}

/// What the handler or a hook recorded about a fault.
#[derive(Clone, Copy, Debug)]
pub(super) struct RawFault {
    pub(super) signal: c_int,
    /// The faulting data address (`si_addr`); 0 for `abort`.
    pub(super) addr: u64,
    /// The stack pointer at the fault (0 for `abort`): a fault just below it is an overflow.
    pub(super) sp: u64,
    /// Return addresses of the abandoned frames, innermost first; `head[0]` is the faulting
    /// pc itself when `exact_pc`.
    pub(super) head: [u64; HEAD_FRAMES],
    pub(super) head_len: usize,
    /// The outermost frames, as a ring indexed by `total`.
    pub(super) tail: [u64; TAIL_FRAMES],
    /// Frames walked in all.
    pub(super) total: usize,
    pub(super) exact_pc: bool,
    /// `__assert_fail`'s arguments (strings in the image), when it was an assertion.
    pub(super) assertion: Option<(u64, u64, c_uint, u64)>,
}

impl RawFault {
    fn new(signal: c_int, addr: u64, exact_pc: bool) -> Self {
        RawFault {
            signal,
            addr,
            sp: 0,
            head: [0; HEAD_FRAMES],
            head_len: 0,
            tail: [0; TAIL_FRAMES],
            total: 0,
            exact_pc,
            assertion: None,
        }
    }

    fn push(&mut self, pc: u64) {
        if self.head_len < HEAD_FRAMES {
            self.head[self.head_len] = pc;
            self.head_len += 1;
        } else {
            self.tail[(self.total - HEAD_FRAMES) % TAIL_FRAMES] = pc;
        }
        self.total += 1;
    }

    /// The kept frames in order, and how many were left out between head and tail.
    pub(super) fn frames(&self) -> (Vec<u64>, usize) {
        let mut out = self.head[..self.head_len].to_vec();
        let after = self.total.saturating_sub(HEAD_FRAMES);
        let kept = after.min(TAIL_FRAMES);
        for k in after - kept..after {
            out.push(self.tail[k % TAIL_FRAMES]);
        }
        (out, after - kept)
    }

    /// Walks the frame-pointer chain from `fp` while it stays in `lo..hi` (the abandoned
    /// stack) and its return addresses are in the image `code`.
    fn walk(&mut self, mut fp: u64, lo: u64, hi: u64, code: (u64, u64)) {
        while fp >= lo && fp.saturating_add(16) <= hi && fp.is_multiple_of(8) {
            // SAFETY: `fp` lies in the live part of this thread's stack between the faulting
            // stack pointer and the trampoline's frame (checked above).
            let (next, ret) = unsafe { (*(fp as *const u64), *((fp + 8) as *const u64)) };
            if !(code.0..code.1).contains(&ret) {
                break;
            }
            self.push(ret);
            if next <= fp {
                break;
            }
            fp = next;
        }
    }
}

/// Where [`resume`] continues: the stack pointer the trampoline saved. First field of
/// [`Guard`], whose address the assembly receives.
#[repr(C)]
struct Resume {
    sp: u64,
}

/// One protected call in progress on this thread.
#[repr(C)]
pub(super) struct Guard {
    resume: Resume,
    /// The guarded image's address range.
    code: (u64, u64),
    /// `exit` returns from this call (`cfree_jit_run_main`).
    catch_exit: bool,
    stop: Stop,
    fault: Option<RawFault>,
    /// The guard this one is nested in (JIT code → host → another protected call).
    outer: *mut Guard,
}

thread_local! {
    /// This thread's innermost protected call, read by the signal handler and the hooks.
    static ACTIVE: Cell<*mut Guard> = const { Cell::new(std::ptr::null_mut()) };
}

#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl cfree_capi_protected_call",
    ".hidden cfree_capi_protected_call",
    // u64 cfree_capi_protected_call(Guard *g, void (*f)(void *), void *arg)
    "cfree_capi_protected_call:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 8",
    "mov [rdi], rsp",
    "mov rax, rsi",
    "mov rdi, rdx",
    "call rax",
    "xor eax, eax",
    "2:",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    // void cfree_capi_resume(Guard *g, u64 code): the trampoline returns `code`.
    ".globl cfree_capi_resume",
    ".hidden cfree_capi_resume",
    "cfree_capi_resume:",
    "mov rsp, [rdi]",
    "mov rax, rsi",
    "cld",
    "jmp 2b",
    // abort() and __assert_fail() for JIT code: a frame of their own, so the hook gets the
    // caller's frame pointer and return address in one pointer.
    ".globl cfree_capi_abort_entry",
    ".hidden cfree_capi_abort_entry",
    "cfree_capi_abort_entry:",
    "push rbp",
    "mov rbp, rsp",
    "mov rdi, rbp",
    "call {abort_hook}",
    "ud2",
    ".globl cfree_capi_assert_entry",
    ".hidden cfree_capi_assert_entry",
    "cfree_capi_assert_entry:",
    "push rbp",
    "mov rbp, rsp",
    "mov r8, rbp",
    "call {assert_hook}",
    "ud2",
    abort_hook = sym abort_hook,
    assert_hook = sym assert_hook,
);

#[cfg(target_arch = "x86_64")]
extern "C" {
    fn cfree_capi_protected_call(
        g: *mut Resume,
        f: extern "C" fn(*mut c_void),
        arg: *mut c_void,
    ) -> u64;
    fn cfree_capi_resume(g: *mut Resume, code: u64) -> !;
    fn cfree_capi_abort_entry() -> !;
    fn cfree_capi_assert_entry() -> !;
}

/// Whether this host can protect calls (the trampoline and the context rewrite are x86-64's).
pub(super) const SUPPORTED: bool = cfg!(target_arch = "x86_64");

/// The symbols that bind an image's `abort`, `__assert_fail` and `exit` to the hooks.
pub(super) fn interposed_symbols() -> Vec<(&'static str, *mut c_void)> {
    #[cfg(target_arch = "x86_64")]
    {
        vec![
            ("abort", cfree_capi_abort_entry as *mut c_void),
            ("__assert_fail", cfree_capi_assert_entry as *mut c_void),
            ("exit", exit_hook as *mut c_void),
        ]
    }
    #[cfg(not(target_arch = "x86_64"))]
    Vec::new()
}

extern "C" fn call_closure(arg: *mut c_void) {
    // SAFETY: `arg` is the `&mut dyn FnMut()` that `protected` passed, alive for the call.
    let f = unsafe { &mut *arg.cast::<&mut dyn FnMut()>() };
    // A panic must not unwind through the assembly frame; the closure only calls C code.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
}

/// Runs `body` (which calls into the image `code`) so that a fault in JIT code, `abort` or a
/// failed `assert` from it (and, with `catch_exit`, `exit`) returns here. Handlers must be
/// installed ([`Handlers::acquire`]).
pub(super) fn protected(
    code: (u64, u64),
    catch_exit: bool,
    mut body: impl FnMut(),
) -> (Stop, Option<RawFault>) {
    ensure_signal_stack();
    let mut guard = Guard {
        resume: Resume { sp: 0 },
        code,
        catch_exit,
        stop: Stop::Returned,
        fault: None,
        outer: ACTIVE.with(Cell::get),
    };
    let g: *mut Guard = &mut guard;
    ACTIVE.with(|a| a.set(g));
    let mut f: &mut dyn FnMut() = &mut body;
    let arg: *mut c_void = (&mut f as *mut &mut dyn FnMut()).cast();
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `g` lives until the call returns; `call_closure` is called with `arg`. A
    // resume abandons only frames of JIT code (and the hooks), which own nothing to drop.
    let code = unsafe { cfree_capi_protected_call(g.cast(), call_closure, arg) };
    #[cfg(not(target_arch = "x86_64"))]
    let code = {
        call_closure(arg);
        0
    };
    // SAFETY: `g` is still `guard`; the handler or a hook may have written it.
    let guard = unsafe { &mut *g };
    ACTIVE.with(|a| a.set(guard.outer));
    if code == 0 {
        guard.stop = Stop::Returned;
    }
    (guard.stop, guard.fault)
}

/// Abandons the JIT frames of `g`'s call: the trampoline returns a non-zero code.
///
/// # Safety
/// `g` is a live guard of this thread, and every frame above its trampoline's is JIT code or
/// a hook frame.
unsafe fn leave(g: *mut Guard, stop: Stop) -> ! {
    // SAFETY: forwarded to the caller.
    unsafe {
        (*g).stop = stop;
        #[cfg(target_arch = "x86_64")]
        cfree_capi_resume(g.cast(), 1);
        #[cfg(not(target_arch = "x86_64"))]
        libc::abort();
    }
}

/// `abort()` from JIT code: under a guard, a SIGABRT fault; otherwise libc's.
extern "C" fn abort_hook(fp: u64) -> ! {
    let g = ACTIVE.with(Cell::get);
    if g.is_null() {
        // SAFETY: libc's abort.
        unsafe { libc::abort() }
    }
    // SAFETY: `g` is this thread's live guard; `fp` is the hook entry's frame, whose saved
    // frame pointer and return address belong to the JIT caller.
    unsafe {
        let mut f = RawFault::new(libc::SIGABRT, 0, false);
        let ret = *((fp + 8) as *const u64);
        f.push(ret);
        f.walk(*(fp as *const u64), fp, (*g).resume.sp, (*g).code);
        (*g).fault = Some(f);
        leave(g, Stop::Fault)
    }
}

/// `__assert_fail(assertion, file, line, function)` from JIT code: under a guard, a SIGABRT
/// fault that keeps the assertion; otherwise glibc's (message, then abort).
extern "C" fn assert_hook(
    assertion: *const c_char,
    file: *const c_char,
    line: c_uint,
    function: *const c_char,
    fp: u64,
) -> ! {
    extern "C" {
        fn __assert_fail(a: *const c_char, f: *const c_char, l: c_uint, func: *const c_char) -> !;
    }
    let g = ACTIVE.with(Cell::get);
    if g.is_null() {
        // SAFETY: glibc's own, with the caller's arguments.
        unsafe { __assert_fail(assertion, file, line, function) }
    }
    // SAFETY: as in `abort_hook`.
    unsafe {
        let mut f = RawFault::new(libc::SIGABRT, 0, false);
        f.assertion = Some((assertion as u64, file as u64, line, function as u64));
        f.push(*((fp + 8) as *const u64));
        f.walk(*(fp as *const u64), fp, (*g).resume.sp, (*g).code);
        (*g).fault = Some(f);
        leave(g, Stop::Fault)
    }
}

/// `exit(status)` from JIT code: inside `cfree_jit_run_main`, stdio is flushed (as exit
/// would) and `main`'s call ends with `status`; anywhere else, libc's exit.
extern "C" fn exit_hook(status: c_int) -> ! {
    // Only the innermost guard may catch it: leaving an outer one would abandon the Rust
    // frames of the inner protected call (and the lock it holds).
    let g = ACTIVE.with(Cell::get);
    // SAFETY: a non-NULL guard is live (each is popped when its call returns).
    if g.is_null() || unsafe { !(*g).catch_exit } {
        // SAFETY: libc's exit.
        unsafe { libc::exit(status) }
    }
    // SAFETY: `g` is live and innermost: the frames above it are JIT code and this hook.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        leave(g, Stop::Exit(status))
    }
}

const SIGNALS: [c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE, libc::SIGILL];

/// The handlers ours replaced, per entry of [`SIGNALS`], for chaining and restoring.
static PREVIOUS: [AtomicPtr<libc::sigaction>; 4] = [
    AtomicPtr::new(std::ptr::null_mut()),
    AtomicPtr::new(std::ptr::null_mut()),
    AtomicPtr::new(std::ptr::null_mut()),
    AtomicPtr::new(std::ptr::null_mut()),
];

/// JITs holding the handlers installed.
static USERS: Mutex<usize> = Mutex::new(0);

/// A JIT's hold on the process's fault handlers; released on drop (`cfree_jit_free`).
#[derive(Debug, Default)]
pub(super) struct Handlers {
    held: bool,
}

impl Handlers {
    /// Installs the handlers if no JIT holds them yet.
    pub(super) fn acquire(&mut self) {
        if self.held || !SUPPORTED {
            return;
        }
        let mut users = USERS.lock().unwrap_or_else(|p| p.into_inner());
        if *users == 0 {
            install();
        }
        *users += 1;
        self.held = true;
    }
}

impl Drop for Handlers {
    fn drop(&mut self) {
        if !self.held {
            return;
        }
        let mut users = USERS.lock().unwrap_or_else(|p| p.into_inner());
        *users -= 1;
        if *users == 0 {
            restore();
        }
    }
}

fn install() {
    for (i, &sig) in SIGNALS.iter().enumerate() {
        // SAFETY: plain sigaction calls; `on_signal` only does async-signal-safe work.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut old);
            let prev = Box::into_raw(Box::new(old));
            let replaced = PREVIOUS[i].swap(prev, Ordering::AcqRel);
            if !replaced.is_null() {
                drop(Box::from_raw(replaced));
            }
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Puts the previous handlers back where ours is still installed. The saved copies stay
/// allocated: a signal being handled on another thread may still read them.
fn restore() {
    for (i, &sig) in SIGNALS.iter().enumerate() {
        let prev = PREVIOUS[i].load(Ordering::Acquire);
        if prev.is_null() {
            continue;
        }
        // SAFETY: plain sigaction calls with a saved, still allocated handler.
        unsafe {
            let mut cur: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut cur);
            if cur.sa_sigaction == on_signal as *const () as usize {
                libc::sigaction(sig, prev, std::ptr::null_mut());
            }
        }
    }
}

extern "C" fn on_signal(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let g = ACTIVE.with(Cell::get);
    // SAFETY: for an SA_SIGINFO handler, `info` and `ctx` are the kernel's; `g` is this
    // thread's live guard (or NULL).
    unsafe {
        if !g.is_null() && !ctx.is_null() && catch(&mut *g, sig, info, ctx.cast()) {
            return;
        }
        chain(sig, info, ctx);
    }
}

/// Records a fault in `g`'s JIT code and redirects the context to [`resume`]; false when the
/// fault is not JIT code's.
///
/// # Safety
/// `uc` is the interrupted context of this thread; `info` the kernel's.
#[cfg(target_arch = "x86_64")]
unsafe fn catch(
    g: &mut Guard,
    sig: c_int,
    info: *mut libc::siginfo_t,
    uc: *mut libc::ucontext_t,
) -> bool {
    // SAFETY: (caller) `uc` and `info` are valid.
    let (gregs, addr) = unsafe {
        (
            &mut (*uc).uc_mcontext.gregs,
            info.as_ref().map_or(0, |i| i.si_addr() as u64),
        )
    };
    let pc = gregs[libc::REG_RIP as usize] as u64;
    let sp = gregs[libc::REG_RSP as usize] as u64;
    let fp = gregs[libc::REG_RBP as usize] as u64;
    let in_code = |a: u64| (g.code.0..g.code.1).contains(&a);
    let (hi, mut f) = (g.resume.sp, RawFault::new(sig, addr, true));
    f.sp = sp;
    if in_code(pc) {
        f.push(pc);
    } else if sig == libc::SIGSEGV && addr == pc && sp < hi && sp.is_multiple_of(8) {
        // A call from JIT code to a bad address: the return address is on top of the stack.
        // SAFETY: `sp` is in the live stack below the trampoline's frame.
        let ret = unsafe { *(sp as *const u64) };
        if !in_code(ret) {
            return false;
        }
        f.push(pc);
        f.push(ret);
    } else {
        return false;
    }
    f.walk(fp, sp, hi, g.code);
    g.fault = Some(f);
    g.stop = Stop::Fault;
    gregs[libc::REG_RIP as usize] = cfree_capi_resume as *const () as i64;
    gregs[libc::REG_RDI as usize] = g as *mut Guard as i64;
    gregs[libc::REG_RSI as usize] = 1;
    gregs[libc::REG_RSP as usize] = hi as i64;
    gregs[libc::REG_EFL as usize] &= !(1 << 10); // the direction flag, as the ABI expects
    true
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn catch(
    _: &mut Guard,
    _: c_int,
    _: *mut libc::siginfo_t,
    _: *mut libc::ucontext_t,
) -> bool {
    false
}

/// Hands a signal that is not ours to the handler installed before ours (the default
/// action: restored and raised again, so the process dies of it as it would have).
///
/// # Safety
/// The arguments are the kernel's for this handler invocation.
unsafe fn chain(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let Some(i) = SIGNALS.iter().position(|&s| s == sig) else {
        return;
    };
    let prev = PREVIOUS[i].load(Ordering::Acquire);
    // SAFETY: saved copies are never freed while handlers may run (see `restore`).
    let Some(prev) = (unsafe { prev.as_ref() }) else {
        return;
    };
    let h = prev.sa_sigaction;
    // SAFETY: calling the previous handler as its flags say it expects to be called, or
    // the default action through sigaction and raise, all async-signal-safe.
    unsafe {
        if h == libc::SIG_DFL || h == libc::SIG_IGN {
            let mut dfl: libc::sigaction = std::mem::zeroed();
            dfl.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
            libc::raise(sig);
        } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
            let f: extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) = std::mem::transmute(h);
            f(sig, info, ctx);
        } else {
            let f: extern "C" fn(c_int) = std::mem::transmute(h);
            f(sig);
        }
    }
}

const ALT_STACK: usize = 64 * 1024;

/// An alternate signal stack this module gave a thread that had none.
struct AltStack(*mut c_void);

impl Drop for AltStack {
    fn drop(&mut self) {
        // SAFETY: the thread is exiting; its alternate stack is switched off before the
        // mapping goes.
        unsafe {
            let off = libc::stack_t {
                ss_sp: std::ptr::null_mut(),
                ss_flags: libc::SS_DISABLE,
                ss_size: 0,
            };
            libc::sigaltstack(&off, std::ptr::null_mut());
            libc::munmap(self.0, ALT_STACK);
        }
    }
}

thread_local! {
    static ALT: std::cell::RefCell<Option<AltStack>> = const { std::cell::RefCell::new(None) };
}

/// Gives this thread an alternate signal stack if it has none, so a stack overflow in JIT
/// code can be handled.
fn ensure_signal_stack() {
    // SAFETY: sigaltstack queries; a fresh private mapping becomes the alternate stack and
    // lives until the thread exits (`AltStack`).
    unsafe {
        let mut cur: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(std::ptr::null(), &mut cur) != 0
            || cur.ss_flags & libc::SS_DISABLE == 0
        {
            return;
        }
        let mem = libc::mmap(
            std::ptr::null_mut(),
            ALT_STACK,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if mem == libc::MAP_FAILED {
            return;
        }
        let ss = libc::stack_t {
            ss_sp: mem,
            ss_flags: 0,
            ss_size: ALT_STACK,
        };
        if libc::sigaltstack(&ss, std::ptr::null_mut()) != 0 {
            libc::munmap(mem, ALT_STACK);
            return;
        }
        ALT.with(|a| *a.borrow_mut() = Some(AltStack(mem)));
    }
}

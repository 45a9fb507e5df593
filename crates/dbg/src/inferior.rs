//! The program under debug: a worker thread of this process, stopped inside its own signal
//! handler.
//!
//! The debugger and the program share one address space (DESIGN.md: the program runs on a
//! worker thread, the REPL on the main thread), so there is no ptrace. A stop is the worker
//! sitting in the handler of the signal that stopped it (a breakpoint's `int3`, a single step's
//! trap, a fault, an interrupt): the handler records where it is, tells the main thread
//! through a pipe, and blocks reading the next command from another pipe. While it waits, the
//! main thread reads the program's memory and the saved registers at leisure and may change
//! them; "continue" makes the handler return into the (possibly edited) context. A function
//! call from the stopped state runs on the worker, inside the handler, so it sees the
//! program's thread-local state and stack; a breakpoint it reaches nests another stop.
//!
//! Only `read(2)`/`write(2)` and atomics are used between the two threads, so the handler
//! stays async-signal-safe whatever the program was doing when it stopped.

use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::arch::x86_64::Regs;

/// Signals that stop the program.
pub const STOP_SIGNALS: [c_int; 6] = [
    libc::SIGTRAP,
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGFPE,
    libc::SIGILL,
    libc::SIGABRT,
];

/// Stack for handlers (a stack overflow must still stop cleanly) and the calls they run.
const ALT_STACK: usize = 1 << 20;

/// One stop, on the handler's stack; `prev` is the stop a nested one interrupted (a
/// breakpoint inside a function called from the debugger).
#[repr(C)]
struct StopFrame {
    signo: c_int,
    code: c_int,
    addr: u64,
    uc: *mut libc::ucontext_t,
    prev: *mut StopFrame,
    tid: i32,
}

/// A function call the main thread asked the stopped worker to make.
struct CallSlot {
    func: AtomicU64,
    ints: [AtomicU64; 6],
    floats: [AtomicU64; 8],
    float_ret: AtomicBool,
    result: AtomicU64,
}

struct Pipes {
    /// Worker → main: `s` stopped, `r` call returned, `e` exited.
    to_main: [c_int; 2],
    /// Main → worker: `c` continue, `x` make the call in [`CALL`].
    to_worker: [c_int; 2],
}

static PIPES: OnceLock<Pipes> = OnceLock::new();
static WORKER_TID: AtomicI32 = AtomicI32::new(0);
/// Threads the program made (`pthread_create` from its code goes through
/// [`program_pthread_create`]): their traps and faults are the program's too. 0 = free.
static PROGRAM_TIDS: [AtomicI32; 1024] = [const { AtomicI32::new(0) }; 1024];
/// The program thread whose stop the debugger is looking at (0: none). A thread that traps
/// while another is stopped waits in its handler until that one resumes: stops reach the
/// debugger one at a time, each with its own thread's registers.
static STOP_OWNER: AtomicI32 = AtomicI32::new(0);
/// Threads the program asked for that have not registered yet (created, not yet running):
/// the end of a run waits for them too, so none starts late in code that is gone.
static STARTING: AtomicI32 = AtomicI32::new(0);
static CURRENT: AtomicPtr<StopFrame> = AtomicPtr::new(std::ptr::null_mut());
static EXIT_STATUS: AtomicI32 = AtomicI32::new(0);
static CALL: CallSlot = CallSlot {
    func: AtomicU64::new(0),
    ints: [const { AtomicU64::new(0) }; 6],
    floats: [const { AtomicU64::new(0) }; 8],
    float_ret: AtomicBool::new(false),
    result: AtomicU64::new(0),
};

/// Why the program stopped.
#[derive(Clone, Debug)]
pub struct Stop {
    pub signo: c_int,
    /// `si_code`: tells a breakpoint (`SI_KERNEL` for `int3`) from a single step
    /// (`TRAP_TRACE`) or a signal sent by the debugger (`SI_TKILL`).
    pub code: c_int,
    /// The faulting address of SIGSEGV/SIGBUS.
    pub addr: u64,
    pub regs: Regs,
    /// The thread that stopped (the program's main thread or one it created).
    pub tid: i32,
}

/// What the worker reported.
#[derive(Clone, Debug)]
pub enum Event {
    Stopped(Box<Stop>),
    /// The program's `main` returned or it called `exit`: the status.
    Exited(i32),
    /// A call made with [`Inferior::call`] returned this value (rax, or xmm0's bits).
    CallReturned(u64),
}

#[derive(Debug, thiserror::Error)]
pub enum InferiorError {
    #[error("cannot set up the debugger's pipes: {0}")]
    Pipes(std::io::Error),
    #[error("cannot start the program's thread: {0}")]
    Thread(std::io::Error),
    #[error("the program's thread went away")]
    Lost,
    #[error("the program is not stopped")]
    NotStopped,
    #[error("a call takes at most 6 integer and 8 floating arguments")]
    TooManyArgs,
}

fn pipes() -> Result<&'static Pipes, InferiorError> {
    if let Some(p) = PIPES.get() {
        return Ok(p);
    }
    let mut a = [0; 2];
    let mut b = [0; 2];
    // SAFETY: pipe2 fills the two arrays; the descriptors live for the process.
    unsafe {
        if libc::pipe2(a.as_mut_ptr(), libc::O_CLOEXEC) != 0
            || libc::pipe2(b.as_mut_ptr(), libc::O_CLOEXEC) != 0
        {
            return Err(InferiorError::Pipes(std::io::Error::last_os_error()));
        }
    }
    Ok(PIPES.get_or_init(|| Pipes {
        to_main: a,
        to_worker: b,
    }))
}

fn send(fd: c_int, byte: u8) {
    // SAFETY: writing one byte from a valid buffer; EINTR is retried.
    unsafe {
        while libc::write(fd, (&byte as *const u8).cast(), 1) < 0
            && *libc::__errno_location() == libc::EINTR
        {}
    }
}

/// Reads one byte; `None` on end of file or an error other than EINTR. With `interruptible`,
/// EINTR returns `Some(0)` so the caller can look at what interrupted it (Ctrl-C).
fn receive(fd: c_int, interruptible: bool) -> Option<u8> {
    let mut b = 0u8;
    loop {
        // SAFETY: reading one byte into a valid buffer.
        let n = unsafe { libc::read(fd, (&mut b as *mut u8).cast(), 1) };
        if n == 1 {
            return Some(b);
        }
        // SAFETY: errno of this thread.
        let e = unsafe { *libc::__errno_location() };
        if n < 0 && e == libc::EINTR {
            if interruptible {
                return Some(0);
            }
            continue;
        }
        return None;
    }
}

fn gettid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

/// Whether thread `tid` runs the program (its main thread or one it created).
fn is_program_thread(tid: i32) -> bool {
    tid != 0
        && (tid == WORKER_TID.load(Ordering::Acquire)
            || PROGRAM_TIDS
                .iter()
                .any(|t| t.load(Ordering::Acquire) == tid))
}

/// The program's main thread (0 when it does not run).
pub fn worker_tid() -> i32 {
    WORKER_TID.load(Ordering::Acquire)
}

/// Takes [`STOP_OWNER`] for thread `tid` (already owned: a stop nested in a call made from
/// this thread's stop). Only atomics and `nanosleep`: async-signal-safe.
fn own_stop(tid: i32) {
    while STOP_OWNER
        .compare_exchange(0, tid, Ordering::AcqRel, Ordering::Acquire)
        .is_err_and(|owner| owner != tid)
    {
        let pause = libc::timespec {
            tv_sec: 0,
            tv_nsec: 200_000,
        };
        // SAFETY: nanosleep with a valid timespec is async-signal-safe.
        unsafe { libc::nanosleep(&pause, std::ptr::null_mut()) };
    }
}

extern "C" fn handler(sig: c_int, info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    let tid = gettid();
    if !is_program_thread(tid) {
        // Not the program: a stray trap is ignored, a fault in the debugger itself takes
        // its default action when the instruction runs again.
        if sig != libc::SIGTRAP {
            // SAFETY: resetting a disposition is async-signal-safe.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
        return;
    }
    let Some(p) = PIPES.get() else { return };
    // SAFETY: the kernel passes a valid siginfo for an SA_SIGINFO handler.
    let (code, addr) = unsafe { ((*info).si_code, (*info).si_addr() as u64) };
    // A trap the debugger sent (an interrupt) that reaches a thread already in this handler
    // is not a stop of its own: the thread is stopping or stopped already. (Breakpoints and
    // steps inside a call made from a stop nest, as they must.)
    let nested = IN_HANDLER.with(|h| h.replace(true));
    if nested && sig == libc::SIGTRAP && code == libc::SI_TKILL {
        return;
    }
    own_stop(tid);
    let mut frame = StopFrame {
        signo: sig,
        code,
        addr,
        uc: uc.cast(),
        prev: std::ptr::null_mut(),
        tid,
    };
    frame.prev = CURRENT.swap(&mut frame, Ordering::AcqRel);
    send(p.to_main[1], b's');
    // `x`: make a call and wait again; `c` (or the debugger gone): resume.
    while receive(p.to_worker[0], false) == Some(b'x') {
        let r = perform_call();
        CALL.result.store(r, Ordering::Release);
        send(p.to_main[1], b'r');
    }
    CURRENT.store(frame.prev, Ordering::Release);
    if frame.prev.is_null() {
        STOP_OWNER.store(0, Ordering::Release);
    }
    IN_HANDLER.with(|h| h.set(nested));
}

thread_local! {
    /// This thread is inside [`handler`] (a plain flag: async-signal-safe to touch).
    static IN_HANDLER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What the program's `pthread_create` is bound to in a debugged image: the new thread is
/// registered as the program's before its start routine runs (so its breakpoints and faults
/// stop it), and unregistered when it ends (also through `pthread_exit`).
///
/// # Safety
/// The arguments of `pthread_create(3)`.
pub unsafe extern "C" fn program_pthread_create(
    thread: *mut libc::pthread_t,
    attr: *const libc::pthread_attr_t,
    start: extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
    arg: *mut libc::c_void,
) -> c_int {
    let boxed = Box::into_raw(Box::new((start, arg)));
    STARTING.fetch_add(1, Ordering::AcqRel);
    // SAFETY: the caller's arguments; the trampoline takes the box back.
    let r = unsafe { libc::pthread_create(thread, attr, program_thread_start, boxed.cast()) };
    if r != 0 {
        STARTING.fetch_sub(1, Ordering::AcqRel);
        // SAFETY: the thread was not created, so the box is still ours.
        drop(unsafe { Box::from_raw(boxed) });
    }
    r
}

type ThreadStart = (
    extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
    *mut libc::c_void,
);

/// Unregisters the thread when its thread-locals are destroyed (return or `pthread_exit`).
struct ProgramThread(usize);

impl Drop for ProgramThread {
    fn drop(&mut self) {
        PROGRAM_TIDS[self.0].store(0, Ordering::Release);
    }
}

thread_local! {
    static REGISTERED: std::cell::RefCell<Option<ProgramThread>> = const { std::cell::RefCell::new(None) };
}

extern "C" fn program_thread_start(p: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `program_pthread_create` passed a leaked `Box<ThreadStart>`.
    let (start, arg) = *unsafe { Box::from_raw(p.cast::<ThreadStart>()) };
    let tid = gettid();
    let slot = PROGRAM_TIDS.iter().position(|t| {
        t.compare_exchange(0, tid, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    });
    if let Some(i) = slot {
        REGISTERED.with(|r| *r.borrow_mut() = Some(ProgramThread(i)));
    }
    STARTING.fetch_sub(1, Ordering::AcqRel);
    // Ctrl-C is the debugger's, as on the main program thread.
    // SAFETY: blocking one signal in this thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
    cfree_jit::crash::install_signal_stack(ALT_STACK);
    start(arg)
}

/// The call in [`CALL`], made on this (the program's) thread. Every integer argument register
/// and every xmm argument register is loaded, so any prototype with up to 6 integer and 8
/// floating parameters receives its arguments; calling through a variadic type sets `%al`,
/// so variadic callees work too.
fn perform_call() -> u64 {
    type IntFn = unsafe extern "C" fn(u64, u64, u64, u64, u64, u64, ...) -> u64;
    type FloatFn = unsafe extern "C" fn(u64, u64, u64, u64, u64, u64, ...) -> f64;
    let f = CALL.func.load(Ordering::Acquire);
    let i: Vec<u64> = CALL
        .ints
        .iter()
        .map(|a| a.load(Ordering::Acquire))
        .collect();
    let d: Vec<f64> = CALL
        .floats
        .iter()
        .map(|a| f64::from_bits(a.load(Ordering::Acquire)))
        .collect();
    // SAFETY: the debugger resolved `f` to a function of the image and checked its
    // argument count; extra register arguments are ignored by the callee.
    unsafe {
        if CALL.float_ret.load(Ordering::Acquire) {
            let g: FloatFn = std::mem::transmute(f as usize);
            g(
                i[0], i[1], i[2], i[3], i[4], i[5], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
            )
            .to_bits()
        } else {
            let g: IntFn = std::mem::transmute(f as usize);
            g(
                i[0], i[1], i[2], i[3], i[4], i[5], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
            )
        }
    }
}

fn install_handlers() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for sig in STOP_SIGNALS {
            // SAFETY: `handler` is an extern "C" SA_SIGINFO handler; SA_NODEFER lets a call
            // made from a stop hit a breakpoint of its own.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = handler as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    });
}

/// The worker thread of one run of the program.
pub struct Inferior {
    thread: Option<std::thread::JoinHandle<()>>,
    pthread: libc::pthread_t,
    /// Set between a stop and the next resume.
    stopped: bool,
}

/// Size of the program thread's stack (like a main thread's default 8 MiB limit).
const PROGRAM_STACK: usize = 8 << 20;

impl Inferior {
    /// Starts a thread that calls `entry(a0, a1, a2, a3)` (a C function returning `int`, the
    /// exit status). Returns at once; use [`wait`](Self::wait) for the first event.
    pub fn start(entry: u64, args: [u64; 4]) -> Result<Inferior, InferiorError> {
        let p = pipes()?;
        install_handlers();
        let to_main = p.to_main[1];
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("cfree-program".into())
            .stack_size(PROGRAM_STACK)
            .spawn(move || {
                WORKER_TID.store(gettid(), Ordering::Release);
                // Ctrl-C goes to the debugger's thread, which turns it into a stop.
                // SAFETY: blocking one signal in this thread's mask.
                unsafe {
                    let mut set: libc::sigset_t = std::mem::zeroed();
                    libc::sigemptyset(&mut set);
                    libc::sigaddset(&mut set, libc::SIGINT);
                    libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
                }
                // SAFETY: pthread_self has no preconditions.
                let _ = tx.send(unsafe { libc::pthread_self() } as u64);
                cfree_jit::crash::install_signal_stack(ALT_STACK);
                type Entry = extern "C" fn(u64, u64, u64, u64) -> c_int;
                // SAFETY: the debugger passes the image's start routine.
                let f: Entry = unsafe { std::mem::transmute(entry as usize) };
                let status = f(args[0], args[1], args[2], args[3]);
                // An abandoned run leaves through `longjmp`, past the handlers of its stops:
                // their frames are gone, and so is their hold on the stop.
                let me = WORKER_TID.load(Ordering::Acquire);
                if STOP_OWNER
                    .compare_exchange(me, 0, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    CURRENT.store(std::ptr::null_mut(), Ordering::Release);
                }
                WORKER_TID.store(0, Ordering::Release);
                EXIT_STATUS.store(status, Ordering::Release);
                send(to_main, b'e');
            })
            .map_err(InferiorError::Thread)?;
        let pthread = rx.recv().map_err(|_| InferiorError::Lost)? as libc::pthread_t;
        Ok(Inferior {
            thread: Some(thread),
            pthread,
            stopped: false,
        })
    }

    /// Blocks until the worker reports. `interrupted` is polled when a signal (Ctrl-C) breaks
    /// the wait: if it returns true the program is interrupted with a trap.
    pub fn wait(&mut self, interrupted: &dyn Fn() -> bool) -> Result<Event, InferiorError> {
        let p = pipes()?;
        loop {
            match receive(p.to_main[0], true) {
                Some(0) => {
                    if interrupted() {
                        self.interrupt();
                    }
                }
                Some(b's') => {
                    self.stopped = true;
                    return self
                        .current()
                        .ok_or(InferiorError::Lost)
                        .map(|s| Event::Stopped(Box::new(s)));
                }
                Some(b'r') => {
                    self.stopped = true;
                    return Ok(Event::CallReturned(CALL.result.load(Ordering::Acquire)));
                }
                Some(b'e') => {
                    self.stopped = false;
                    if let Some(t) = self.thread.take() {
                        let _ = t.join();
                    }
                    return Ok(Event::Exited(EXIT_STATUS.load(Ordering::Acquire)));
                }
                _ => return Err(InferiorError::Lost),
            }
        }
    }

    /// The innermost stop, read from the handler's frame.
    pub fn current(&self) -> Option<Stop> {
        let f = CURRENT.load(Ordering::Acquire);
        if f.is_null() {
            return None;
        }
        // SAFETY: `f` is the frame of a handler blocked waiting for us.
        unsafe {
            Some(Stop {
                signo: (*f).signo,
                code: (*f).code,
                addr: (*f).addr,
                regs: Regs::from_context((*f).uc),
                tid: (*f).tid,
            })
        }
    }

    /// The registers of every stop, innermost first (a stop inside a function called from
    /// the debugger sits on top of the stop the call was made from).
    pub fn stop_chain(&self) -> Vec<Regs> {
        let mut out = Vec::new();
        let mut f = CURRENT.load(Ordering::Acquire);
        // SAFETY: every frame of the chain belongs to a handler blocked waiting for us.
        unsafe {
            while !f.is_null() {
                out.push(Regs::from_context((*f).uc));
                f = (*f).prev;
            }
        }
        out
    }

    /// Writes `regs` into the innermost stop's context (they take effect on resume).
    pub fn set_registers(&mut self, regs: &Regs) -> Result<(), InferiorError> {
        if !self.stopped {
            return Err(InferiorError::NotStopped);
        }
        let f = CURRENT.load(Ordering::Acquire);
        if f.is_null() {
            return Err(InferiorError::NotStopped);
        }
        // SAFETY: the handler owning `f` is blocked until we resume it.
        unsafe { regs.to_context((*f).uc) };
        Ok(())
    }

    /// Lets the innermost stop's handler return into its context.
    pub fn resume(&mut self) -> Result<(), InferiorError> {
        if !self.stopped {
            return Err(InferiorError::NotStopped);
        }
        self.stopped = false;
        send(pipes()?.to_worker[1], b'c');
        Ok(())
    }

    /// Asks the stopped worker to call `func` with these arguments; the answer is a later
    /// [`Event::CallReturned`] (or a stop inside the callee, or the program's exit).
    pub fn call(
        &mut self,
        func: u64,
        ints: &[u64],
        floats: &[f64],
        float_ret: bool,
    ) -> Result<(), InferiorError> {
        if !self.stopped {
            return Err(InferiorError::NotStopped);
        }
        if ints.len() > 6 || floats.len() > 8 {
            return Err(InferiorError::TooManyArgs);
        }
        CALL.func.store(func, Ordering::Release);
        for (k, slot) in CALL.ints.iter().enumerate() {
            slot.store(ints.get(k).copied().unwrap_or(0), Ordering::Release);
        }
        for (k, slot) in CALL.floats.iter().enumerate() {
            let v = floats.get(k).copied().unwrap_or(0.0);
            slot.store(v.to_bits(), Ordering::Release);
        }
        CALL.float_ret.store(float_ret, Ordering::Release);
        self.stopped = false;
        send(pipes()?.to_worker[1], b'x');
        Ok(())
    }

    /// Stops the running program (Ctrl-C): a trap sent to its thread.
    pub fn interrupt(&self) {
        if self.thread.is_some() {
            // SAFETY: the worker thread is alive (not yet joined).
            unsafe { libc::pthread_kill(self.pthread, libc::SIGTRAP) };
        }
    }

    pub fn is_alive(&self) -> bool {
        self.thread.is_some()
    }
}

/// Stops the running program from a signal handler (Ctrl-C arrives at whatever thread the
/// kernel picks): a trap sent to the program's thread with a raw `tgkill`, which is
/// async-signal-safe. Does nothing when no program runs.
pub fn interrupt_program() {
    let tid = WORKER_TID.load(Ordering::Acquire);
    if tid != 0 {
        // SAFETY: tgkill on this process's own thread id.
        unsafe {
            libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGTRAP);
        }
    }
}

/// After the program's main thread ended: stops every thread the program made that still
/// runs and ends it with `pthread_exit`, for at most about two seconds (a thread that never
/// takes the trap is left).
pub fn end_program_threads() {
    let Some(p) = PIPES.get() else { return };
    for _ in 0..200 {
        let slots = PROGRAM_TIDS.iter().map(|t| t.load(Ordering::Acquire));
        if slots.clone().all(|t| t == 0) && STARTING.load(Ordering::Acquire) == 0 {
            return;
        }
        for tid in slots.filter(|&t| t > 0) {
            // SAFETY: tgkill on a thread of this process (pending traps merge into one).
            unsafe {
                libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGTRAP);
            }
        }
        let mut fd = libc::pollfd {
            fd: p.to_main[0],
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut fd, 1, 10) } <= 0 || receive(p.to_main[0], false) != Some(b's')
        {
            continue;
        }
        let f = CURRENT.load(Ordering::Acquire);
        if f.is_null() {
            continue;
        }
        // SAFETY: the handler owning `f` is blocked until we send it `c`.
        unsafe {
            let mut regs = Regs::from_context((*f).uc);
            if regs.redirect_call(libc::pthread_exit as *const () as u64, 0) {
                regs.to_context((*f).uc);
                mark_ending((*f).tid);
            }
        }
        send(p.to_worker[1], b'c');
    }
}

/// Thread `tid` is on its way out (sent to `pthread_exit`): it gets no more traps, and its
/// own are no longer stops (its slot holds `-tid` until its exit frees it).
pub fn mark_ending(tid: i32) {
    for t in &PROGRAM_TIDS {
        let _ = t.compare_exchange(tid, -tid, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// Sends a trap to every thread of the program but `except` (the one already stopped): each
/// stops in turn. Threads that end meanwhile are skipped (the kernel refuses the signal).
pub fn interrupt_threads(except: i32) {
    let worker = WORKER_TID.load(Ordering::Acquire);
    let tids = PROGRAM_TIDS
        .iter()
        .map(|t| t.load(Ordering::Acquire))
        .chain(std::iter::once(worker));
    for tid in tids.filter(|&t| t > 0 && t != except) {
        // SAFETY: tgkill on a thread of this process; a stale id fails with ESRCH, and a
        // recycled one that is not the program's ignores the trap (see `handler`).
        unsafe {
            libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGTRAP);
        }
    }
}

/// Reads the program's memory without trusting the address: a bad address is `false`, never
/// a fault in the debugger.
pub fn read_memory(addr: u64, out: &mut [u8]) -> bool {
    let local = libc::iovec {
        iov_base: out.as_mut_ptr().cast(),
        iov_len: out.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: out.len(),
    };
    // SAFETY: process_vm_readv on our own pid checks the remote range and fails with EFAULT.
    let n = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
    n == out.len() as isize
}

/// Writes the program's data memory (`set var`); `false` for an address that is not writable.
pub fn write_memory(addr: u64, bytes: &[u8]) -> bool {
    let local = libc::iovec {
        iov_base: bytes.as_ptr().cast_mut().cast(),
        iov_len: bytes.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    // SAFETY: as for read_memory; write-protected pages fail with EFAULT.
    let n = unsafe { libc::process_vm_writev(libc::getpid(), &local, 1, &remote, 1, 0) };
    n == bytes.len() as isize
}

/// A 64-bit word of program memory.
pub fn read_u64(addr: u64) -> Option<u64> {
    let mut b = [0u8; 8];
    read_memory(addr, &mut b).then(|| u64::from_le_bytes(b))
}

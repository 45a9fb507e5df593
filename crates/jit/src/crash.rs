//! Crash reports for programs run in the JIT (`cfree run`), like `tcc -bt`.
//!
//! When the program dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, a handler prints the
//! signal and a backtrace of the faulting thread. The backtrace walks the frame-pointer chain
//! (cfree code always keeps frame pointers) and names each address from a snapshot of the
//! image's function symbols taken before `main` runs, and, for code compiled with `-g`, adds
//! each frame's `file:line` from a [`LineTable`] decoded from the relocated `.debug_line`
//! before `main` runs too. Then the handler restores the default
//! action and re-raises the signal, so the process still dies of it: the shell, a test harness
//! or a parent's `waitpid` see exactly the status they would have seen without cfree.
//!
//! The handler only reads memory it has checked lies inside the thread's stack, searches tables
//! built in advance, formats into a fixed buffer and calls `write(2)`: nothing that allocates
//! or takes a lock. It runs on an
//! alternate signal stack, so a stack overflow is reported too.

use std::sync::OnceLock;

use crate::lines::{LineTable, LineTableError};
use crate::Jit;

/// Function symbols of the image: (start, end, name), sorted by start.
static SYMBOLS: OnceLock<Vec<(u64, u64, String)>> = OnceLock::new();
/// Source lines of the image's code (empty without `-g`).
static LINES: OnceLock<LineTable> = OnceLock::new();
/// The stack of the thread that runs `main`: (low, high).
static STACK: OnceLock<(u64, u64)> = OnceLock::new();

const SIGNALS: [libc::c_int; 5] = [
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGFPE,
    libc::SIGILL,
    libc::SIGABRT,
];
const ALT_STACK: usize = 64 * 1024;
const MAX_FRAMES: usize = 64;

/// Installs the handlers for the calling thread (the one about to run `main`), naming frames
/// from `symbols` (start address, size, name). Installing twice keeps the first table.
pub fn install(mut symbols: Vec<(u64, u64, String)>) {
    symbols.retain(|s| s.1 > 0);
    symbols.sort_by_key(|s| s.0);
    let table = symbols
        .into_iter()
        .map(|(a, size, n)| (a, a.saturating_add(size), n))
        .collect();
    let _ = SYMBOLS.set(table);
    if let Some(range) = current_stack() {
        let _ = STACK.set(range);
    }
    install_signal_stack(ALT_STACK);
    // SAFETY: the handler is an `extern "C"` function that only does async-signal-safe work.
    unsafe {
        for sig in SIGNALS {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESETHAND;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Why crash reports of an image will lack source lines.
#[derive(Debug, thiserror::Error)]
pub enum CrashInfoError {
    #[error(transparent)]
    Debug(#[from] cfree_link::DebugError),
    #[error(transparent)]
    Lines(#[from] LineTableError),
}

/// [`install`] with the symbols of `jit`'s image and, when its code carries DWARF, a line
/// table for `file:line` in every frame. The handlers are installed even when the line table
/// cannot be built (the error says why frames will have no lines).
pub fn install_for(jit: &Jit) -> Result<(), CrashInfoError> {
    let symbols = jit
        .session()
        .all_symbols()
        .map(|s| (s.addr, s.size, s.name.to_string()))
        .collect();
    let lines = jit
        .session()
        .debug_sections()
        .map_err(CrashInfoError::from)
        .and_then(|d| Ok(LineTable::from_debug(&d)?));
    let result = match lines {
        Ok(table) => {
            let _ = LINES.set(table);
            Ok(())
        }
        Err(e) => Err(e),
    };
    install(symbols);
    result
}

/// Gives the calling thread an alternate signal stack of `size` bytes (a fresh mapping that
/// lives as long as the process), so its handlers run even when its own stack overflowed.
pub fn install_signal_stack(size: usize) {
    // SAFETY: a fresh mapping becomes this thread's alternate signal stack; it is never
    // unmapped, so it outlives every handler invocation on it.
    unsafe {
        let mem = libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if mem != libc::MAP_FAILED {
            let ss = libc::stack_t {
                ss_sp: mem,
                ss_flags: 0,
                ss_size: size,
            };
            libc::sigaltstack(&ss, std::ptr::null_mut());
        }
    }
}

fn current_stack() -> Option<(u64, u64)> {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; it is destroyed after use.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let (mut addr, mut size) = (std::ptr::null_mut(), 0usize);
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        ok.then(|| (addr as u64, addr as u64 + size as u64))
    }
}

/// A fixed buffer the handler formats into.
struct Out {
    buf: [u8; 512],
    len: usize,
}

impl Out {
    fn str(&mut self, s: &str) {
        for &b in s.as_bytes() {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
    }

    fn hex(&mut self, v: u64) {
        self.str("0x");
        let mut digits = [0u8; 16];
        let mut n = 0;
        let mut x = v;
        loop {
            digits[n] = b"0123456789abcdef"[(x & 15) as usize];
            n += 1;
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        for k in (0..n).rev() {
            self.str(std::str::from_utf8(&digits[k..k + 1]).unwrap_or("?"));
        }
    }

    fn dec(&mut self, v: u64) {
        let mut digits = [0u8; 20];
        let mut n = 0;
        let mut x = v;
        loop {
            digits[n] = b'0' + (x % 10) as u8;
            n += 1;
            x /= 10;
            if x == 0 {
                break;
            }
        }
        for k in (0..n).rev() {
            self.str(std::str::from_utf8(&digits[k..k + 1]).unwrap_or("?"));
        }
    }

    fn flush(&mut self) {
        // SAFETY: write(2) of initialised bytes to stderr is async-signal-safe.
        unsafe {
            libc::write(2, self.buf.as_ptr().cast(), self.len);
        }
        self.len = 0;
    }
}

fn signal_name(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV, Segmentation fault",
        libc::SIGBUS => "SIGBUS, Bus error",
        libc::SIGFPE => "SIGFPE, Arithmetic exception",
        libc::SIGILL => "SIGILL, Illegal instruction",
        libc::SIGABRT => "SIGABRT, Aborted",
        _ => "signal",
    }
}

/// The macro name of a signal a program can die or stop of (`SIGSEGV`), for the debugger
/// and the C API's fault reports; `SIG?` for any other.
pub fn signal_abbrev(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGABRT => "SIGABRT",
        libc::SIGINT => "SIGINT",
        libc::SIGTRAP => "SIGTRAP",
        _ => "SIG?",
    }
}

fn symbol_of(pc: u64) -> Option<(&'static str, u64)> {
    let table = SYMBOLS.get()?;
    let i = table.partition_point(|s| s.0 <= pc).checked_sub(1)?;
    let (start, end, name) = &table[i];
    (pc < *end).then(|| (name.as_str(), pc - start))
}

fn frame_line(out: &mut Out, n: usize, pc: u64) {
    out.str("#");
    out.dec(n as u64);
    out.str("  ");
    out.hex(pc);
    match symbol_of(pc) {
        Some((name, off)) => {
            out.str(" in ");
            out.str(name);
            out.str("+");
            out.dec(off);
        }
        None => out.str(" in ??"),
    }
    if let Some((file, line)) = LINES.get().and_then(|t| t.lookup(pc)) {
        out.str(" at ");
        out.str(file);
        out.str(":");
        out.dec(u64::from(line));
    }
    out.str("\n");
    out.flush();
}

fn readable(addr: u64) -> bool {
    STACK.get().is_some_and(|&(lo, hi)| {
        addr >= lo && addr.saturating_add(16) <= hi && addr.is_multiple_of(8)
    })
}

extern "C" fn handler(sig: libc::c_int, _info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let mut out = Out {
        buf: [0; 512],
        len: 0,
    };
    out.str("\ncfree: program received signal ");
    out.str(signal_name(sig));
    out.str("\n");
    out.flush();
    if !ctx.is_null() {
        // SAFETY: for an SA_SIGINFO handler the third argument is the interrupted context.
        let uc = unsafe { &*(ctx as *const libc::ucontext_t) };
        let pc = uc.uc_mcontext.gregs[libc::REG_RIP as usize] as u64;
        let mut fp = uc.uc_mcontext.gregs[libc::REG_RBP as usize] as u64;
        frame_line(&mut out, 0, pc);
        for n in 1..MAX_FRAMES {
            if !readable(fp) {
                break;
            }
            // SAFETY: `fp` lies inside this thread's stack (checked above), 8-aligned.
            let (next, ret) = unsafe { (*(fp as *const u64), *((fp + 8) as *const u64)) };
            if ret == 0 {
                break;
            }
            frame_line(&mut out, n, ret.saturating_sub(1));
            if next <= fp {
                break;
            }
            fp = next;
        }
    }
    // SA_RESETHAND restored the default action: die of the signal, as without cfree.
    // SAFETY: raise is async-signal-safe.
    unsafe {
        libc::raise(sig);
    }
}

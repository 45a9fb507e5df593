//! The host side of lazy linking: the resolver entry that a lazily linked function's stub
//! jumps to the first time it is called (see `cfree_codegen::lazy`).
//!
//! The stub leaves its slot's address in a scratch register (x86-64: `%r11`) and jumps to
//! [`enter_address`] (the slot's initial value) with the caller's arguments still
//! in their registers and on the stack. The entry saves every argument register (and `%rax`,
//! the vector-register count of a variadic call, and `%r10`, the static chain), calls the
//! registered [`LazyResolver`]s with the slot, restores the registers and jumps to the body the
//! resolver returned, so the body runs as if it had been called directly. The resolver
//! compiles the body, links it and stores its address in the slot; later calls jump straight
//! to it through the slot.
//!
//! Resolution is serialized by the resolver (one compile per function; other threads calling
//! it meanwhile wait, then jump to the same body). A function that cannot be compiled ends
//! the process with the error: its caller cannot be resumed without it.

use std::sync::{Arc, RwLock};

/// Compiles and links the function a slot belongs to.
pub trait LazyResolver: Send + Sync {
    /// The body address for `slot`, after compiling it if needed; `None` if `slot` is not
    /// one of this resolver's; `Some(Err)` if its function cannot be compiled.
    fn resolve(&self, slot: u64) -> Option<Result<u64, String>>;
}

static RESOLVERS: RwLock<Vec<(u64, Arc<dyn LazyResolver>)>> = RwLock::new(Vec::new());

/// A registered resolver; dropping it unregisters.
pub struct Registration(u64);

impl Drop for Registration {
    fn drop(&mut self) {
        RESOLVERS
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|(id, _)| *id != self.0);
    }
}

/// Makes `r` answer for its slots until the registration is dropped.
pub fn register(r: Arc<dyn LazyResolver>) -> Registration {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    RESOLVERS
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .push((id, r));
    Registration(id)
}

/// Called by the entry with the slot; returns the body to jump to.
extern "C" fn resolve_slot(slot: u64) -> u64 {
    let outcome = std::panic::catch_unwind(|| {
        let resolvers: Vec<Arc<dyn LazyResolver>> = RESOLVERS
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(_, r)| r.clone())
            .collect();
        resolvers
            .iter()
            .find_map(|r| r.resolve(slot))
            .unwrap_or_else(|| Err(format!("no lazy resolver owns slot {slot:#x}")))
    });
    match outcome {
        Ok(Ok(body)) => body,
        Ok(Err(msg)) => die(&msg),
        Err(_) => die("the lazy compiler crashed"),
    }
}

fn die(msg: &str) -> ! {
    eprintln!("cfree: error: lazy compilation failed: {msg}");
    // SAFETY: flushing every stdio stream and ending the process; nothing returns here.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        libc::_exit(1)
    }
}

/// The address stubs' slots start out holding; `None` on hosts without an entry.
pub fn enter_address() -> Option<u64> {
    #[cfg(target_arch = "x86_64")]
    {
        unsafe extern "C" {
            fn cfree_jit_lazy_enter();
        }
        Some(cfree_jit_lazy_enter as *const () as u64)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        None
    }
}

// Entered by `jmp` from a stub: the return address into the caller is on the stack (so %rsp
// is 8 mod 16), %r11 holds the slot. 8 saved registers and 128 bytes of vector registers
// after %rbp keep %rsp 16-aligned for the call.
#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".pushsection .text.cfree_jit_lazy_enter,\"ax\",@progbits",
    ".globl cfree_jit_lazy_enter",
    ".hidden cfree_jit_lazy_enter",
    ".type cfree_jit_lazy_enter,@function",
    ".p2align 4",
    "cfree_jit_lazy_enter:",
    ".cfi_startproc",
    "push rbp",
    ".cfi_def_cfa_offset 16",
    ".cfi_offset rbp, -16",
    "mov rbp, rsp",
    ".cfi_def_cfa_register rbp",
    "push rdi",
    "push rsi",
    "push rdx",
    "push rcx",
    "push r8",
    "push r9",
    "push rax",
    "push r10",
    "sub rsp, 128",
    "movdqu [rsp], xmm0",
    "movdqu [rsp + 16], xmm1",
    "movdqu [rsp + 32], xmm2",
    "movdqu [rsp + 48], xmm3",
    "movdqu [rsp + 64], xmm4",
    "movdqu [rsp + 80], xmm5",
    "movdqu [rsp + 96], xmm6",
    "movdqu [rsp + 112], xmm7",
    "mov rdi, r11",
    "call {resolve}",
    "mov r11, rax",
    "movdqu xmm0, [rsp]",
    "movdqu xmm1, [rsp + 16]",
    "movdqu xmm2, [rsp + 32]",
    "movdqu xmm3, [rsp + 48]",
    "movdqu xmm4, [rsp + 64]",
    "movdqu xmm5, [rsp + 80]",
    "movdqu xmm6, [rsp + 96]",
    "movdqu xmm7, [rsp + 112]",
    "add rsp, 128",
    "pop r10",
    "pop rax",
    "pop r9",
    "pop r8",
    "pop rcx",
    "pop rdx",
    "pop rsi",
    "pop rdi",
    "pop rbp",
    ".cfi_def_cfa rsp, 8",
    "jmp r11",
    ".cfi_endproc",
    ".size cfree_jit_lazy_enter, . - cfree_jit_lazy_enter",
    ".popsection",
    resolve = sym resolve_slot,
);

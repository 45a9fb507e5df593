//! The GDB JIT interface: how a debugger attached to this process learns about JIT code.
//!
//! GDB (and LLDB, which implements the same protocol) looks for two symbols in the process,
//! `__jit_debug_descriptor` and `__jit_debug_register_code`
//! (<https://sourceware.org/gdb/current/onlinedocs/gdb.html/JIT-Interface.html>). The
//! descriptor heads a doubly linked list of in-memory object files; the debugger puts a
//! breakpoint on the function, and each time it is called reads the entry the descriptor
//! points at and loads (or drops) that object's symbols and DWARF. On attach it walks the whole
//! list.
//!
//! [`Jit`](crate::Jit) registers one object per append and per reload, built by
//! [`build_generation_view`](crate::view::build_generation_view): the new sections at their
//! runtime addresses, the new symbols and the new inputs' relocated DWARF, never a rebuild of
//! what came before. Registering costs the same after 2000 appends as for the first (the new
//! entry goes to the head of the list; nothing else is touched), and the debugger only
//! reads the new object. Entries are unregistered when the `Jit` is dropped, before its
//! memory is unmapped.
//!
//! Both symbols must be visible to the debugger: they are `#[no_mangle]`, the function is
//! never inlined and has an opaque body, and the `cfree` binary exports them dynamically
//! (the root package's `build.rs`), so they survive `strip` too. Every `Jit` of the process
//! shares the one descriptor, guarded by a lock.

use std::cell::UnsafeCell;
use std::ptr::null_mut;
use std::sync::Mutex;

/// `jit_actions_t`: what the debugger should do with `relevant_entry`.
const JIT_NOACTION: u32 = 0;
const JIT_REGISTER_FN: u32 = 1;
const JIT_UNREGISTER_FN: u32 = 2;

/// `struct jit_code_entry`, laid out as GDB reads it.
#[repr(C)]
#[derive(Debug)]
pub struct JitCodeEntry {
    pub next_entry: *mut JitCodeEntry,
    pub prev_entry: *mut JitCodeEntry,
    /// The in-memory ELF file.
    pub symfile_addr: *const u8,
    pub symfile_size: u64,
}

/// `struct jit_descriptor`, laid out as GDB reads it.
#[repr(C)]
#[derive(Debug)]
pub struct JitDescriptor {
    /// Always 1.
    pub version: u32,
    /// One of `JIT_NOACTION`, `JIT_REGISTER_FN`, `JIT_UNREGISTER_FN`.
    pub action_flag: u32,
    pub relevant_entry: *mut JitCodeEntry,
    pub first_entry: *mut JitCodeEntry,
}

/// The process-wide descriptor cell: written only under the registration lock, read by the
/// debugger.
#[repr(transparent)]
pub struct DescriptorCell(UnsafeCell<JitDescriptor>);

// SAFETY: every write goes through `LOCK`; the debugger reads it while the process is stopped.
unsafe impl Sync for DescriptorCell {}

/// The descriptor GDB finds by name. Interior mutability puts it in writable data.
#[no_mangle]
#[used]
#[allow(non_upper_case_globals)]
pub static __jit_debug_descriptor: DescriptorCell =
    DescriptorCell(UnsafeCell::new(JitDescriptor {
        version: 1,
        action_flag: JIT_NOACTION,
        relevant_entry: null_mut(),
        first_entry: null_mut(),
    }));

/// The function GDB breaks on; called after every change to the list.
///
/// Never inlined, and its body is an empty `asm!` block the compiler must assume reads and
/// writes memory, so every store to the descriptor happens before the call and the call is
/// never removed.
#[no_mangle]
#[inline(never)]
pub extern "C" fn __jit_debug_register_code() {
    // SAFETY: an empty assembly block; it has no effect beyond being opaque to the optimiser.
    unsafe { std::arch::asm!("", options(nostack, preserves_flags)) };
}

/// Serialises changes to the descriptor's list across every `Jit` of the process.
static LOCK: Mutex<()> = Mutex::new(());

/// One object file registered with the debugger; unregistered when dropped.
#[derive(Debug)]
pub struct Registration {
    entry: *mut JitCodeEntry,
    /// Owned by the registration; the entry points into it.
    symfile: Box<[u8]>,
}

// SAFETY: the entry is only linked and unlinked under `LOCK`; the symfile is owned data.
unsafe impl Send for Registration {}
// SAFETY: shared access only reads the owned symfile.
unsafe impl Sync for Registration {}

impl Registration {
    /// The registered ELF file.
    pub fn symfile(&self) -> &[u8] {
        &self.symfile
    }
}

/// Hands `symfile` (an ELF file with sections at their runtime addresses) to any debugger
/// attached now or later. O(1): the entry goes to the head of the list.
pub fn register(symfile: Vec<u8>) -> Registration {
    let symfile = symfile.into_boxed_slice();
    let entry = Box::into_raw(Box::new(JitCodeEntry {
        next_entry: null_mut(),
        prev_entry: null_mut(),
        symfile_addr: symfile.as_ptr(),
        symfile_size: symfile.len() as u64,
    }));
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let d = __jit_debug_descriptor.0.get();
    // SAFETY: `entry` is a fresh allocation; the list's entries are live registrations and the
    // descriptor is only mutated under `LOCK`, which is held.
    unsafe {
        let first = (*d).first_entry;
        (*entry).next_entry = first;
        if !first.is_null() {
            (*first).prev_entry = entry;
        }
        (*d).first_entry = entry;
        (*d).relevant_entry = entry;
        (*d).action_flag = JIT_REGISTER_FN;
    }
    __jit_debug_register_code();
    Registration { entry, symfile }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let d = __jit_debug_descriptor.0.get();
        let e = self.entry;
        // SAFETY: `e` was linked by `register` and is unlinked only here, under `LOCK`; its
        // neighbours are live registrations.
        unsafe {
            let (prev, next) = ((*e).prev_entry, (*e).next_entry);
            if prev.is_null() {
                (*d).first_entry = next;
            } else {
                (*prev).next_entry = next;
            }
            if !next.is_null() {
                (*next).prev_entry = prev;
            }
            (*d).relevant_entry = e;
            (*d).action_flag = JIT_UNREGISTER_FN;
        }
        __jit_debug_register_code();
        // SAFETY: the debugger has been told; nothing points at the entry any more.
        unsafe {
            (*d).relevant_entry = null_mut();
            (*d).action_flag = JIT_NOACTION;
            drop(Box::from_raw(e));
        }
    }
}

/// Runs `f` on the descriptor with the registration lock held, so the list cannot change
/// meanwhile: how tools and tests in this process inspect it as a debugger would.
pub fn with_descriptor<R>(f: impl FnOnce(&JitDescriptor) -> R) -> R {
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    // SAFETY: under `LOCK` nobody writes the descriptor.
    f(unsafe { &*__jit_debug_descriptor.0.get() })
}

/// The symbol files currently registered by this process, newest first (what a debugger
/// attaching now would load). For tests and diagnostics.
pub fn registered() -> Vec<Vec<u8>> {
    with_descriptor(|d| {
        let mut out = Vec::new();
        let mut e = d.first_entry;
        // SAFETY: under the lock the list is consistent and every entry is a live
        // registration whose symfile it owns.
        unsafe {
            while !e.is_null() {
                let bytes =
                    std::slice::from_raw_parts((*e).symfile_addr, (*e).symfile_size as usize);
                out.push(bytes.to_vec());
                e = (*e).next_entry;
            }
        }
        out
    })
}

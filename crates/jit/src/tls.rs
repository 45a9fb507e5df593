//! Thread-local storage for JIT images: our `__tls_get_addr`.
//!
//! Code compiled for the ELF general-dynamic TLS model (cfree's own objects, gcc `-fPIC`)
//! computes a thread-local's address with `__tls_get_addr(&cell)`. The linker places each
//! `.tdata`/`.tbss` input section as a *template* in the image and points the cell at the
//! variable's template address (`AppendOutcome::tls`). Here each thread gets, on its first
//! access, its own copy of the template (the `.tdata` bytes, the rest zero); the address
//! returned is the same offset inside that copy. Copies are freed when the thread exits
//! (a pthread key destructor, which glibc runs for every pthread, also those the JIT program
//! creates) and when their image is dropped. The per-thread path takes no lock and does not
//! allocate from the heap, so thread-locals work in signal handlers (the template registry
//! is read-locked only on a thread's first access to a template).

use cfree_link::TlsTemplate;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{OnceLock, RwLock};

/// A registered template; `id` is never reused, so a stale per-thread copy cannot be mistaken
/// for one of a later image placed at the same address.
#[derive(Clone, Copy)]
struct Block {
    t: TlsTemplate,
    id: u64,
}

static BLOCKS: RwLock<Vec<Block>> = RwLock::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// Bumped when templates go away, so threads drop their copies of them.
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// Templates one thread can have copies of at once (more is a fatal error, reported).
const SLOTS: usize = 64;

/// One thread's copy of one template. `id` is stored last (release) and read first
/// (acquire), so a signal handler interrupting the thread sees only complete slots.
struct Slot {
    id: AtomicU64,
    start: AtomicU64,
    end: AtomicU64,
    mem: AtomicU64,
}

/// Per-thread copies, lock-free and allocation-free (copies are `mmap`ed), so that
/// `__tls_get_addr` is async-signal-safe: thread-locals may be used in signal handlers,
/// also for the first time. The type has no destructor (`thread_local!` then registers
/// nothing at first use); copies are unmapped by a pthread key destructor at thread exit.
struct ThreadCopies {
    len: AtomicUsize,
    epoch: AtomicU64,
    slots: [Slot; SLOTS],
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot {
    id: AtomicU64::new(0),
    start: AtomicU64::new(0),
    end: AtomicU64::new(0),
    mem: AtomicU64::new(0),
};

thread_local! {
    static COPIES: ThreadCopies = const {
        ThreadCopies {
            len: AtomicUsize::new(0),
            epoch: AtomicU64::new(0),
            slots: [EMPTY_SLOT; SLOTS],
        }
    };
}

/// The pthread key whose destructor frees a thread's copies (created at first registration,
/// outside any signal handler).
static EXIT_KEY: OnceLock<libc::pthread_key_t> = OnceLock::new();

extern "C" fn release_thread_copies(_: *mut c_void) {
    let _ = COPIES.try_with(|c| {
        let n = c.len.load(Ordering::Acquire).min(SLOTS);
        for slot in &c.slots[..n] {
            unmap_slot(slot);
        }
        c.len.store(0, Ordering::Release);
    });
}

fn unmap_slot(slot: &Slot) {
    if slot.id.swap(0, Ordering::AcqRel) == 0 {
        return;
    }
    let (start, end) = (
        slot.start.load(Ordering::Relaxed),
        slot.end.load(Ordering::Relaxed),
    );
    let mem = slot.mem.load(Ordering::Relaxed);
    // SAFETY: `mem` was mapped by `map_copy` for `end - start` bytes and is no longer listed.
    unsafe { libc::munmap(mem as *mut c_void, (end - start) as usize) };
}

fn ensure_exit_key() {
    EXIT_KEY.get_or_init(|| {
        let mut key: libc::pthread_key_t = 0;
        // SAFETY: plain pthread key creation with a C destructor.
        unsafe { libc::pthread_key_create(&mut key, Some(release_thread_copies)) };
        key
    });
}

/// A fresh copy of `b` (page-granular `mmap`, async-signal-safe), or `None`.
fn map_copy(b: &Block) -> Option<u64> {
    let size = usize::try_from(b.t.size).ok()?;
    // SAFETY: anonymous private mapping; the result is checked.
    let mem = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if mem == libc::MAP_FAILED || b.t.align > 4096 {
        return None;
    }
    let init = usize::try_from(b.t.init_len.min(b.t.size)).ok()?;
    // SAFETY: the template is mapped readable in a live image for `size` bytes; `mem` has room.
    unsafe { std::ptr::copy_nonoverlapping(b.t.addr as *const u8, mem.cast::<u8>(), init) };
    Some(mem as u64)
}

/// The slot of this thread covering `addr`: the first complete one, so that a handler and
/// the code it interrupted agree even if both made a copy.
fn lookup(c: &ThreadCopies, addr: u64) -> Option<u64> {
    let n = c.len.load(Ordering::Acquire).min(SLOTS);
    c.slots[..n].iter().find_map(|s| {
        (s.id.load(Ordering::Acquire) != 0
            && (s.start.load(Ordering::Relaxed)..s.end.load(Ordering::Relaxed)).contains(&addr))
        .then(|| s.mem.load(Ordering::Relaxed) + (addr - s.start.load(Ordering::Relaxed)))
    })
}

/// Drop copies of templates that are gone (their image was dropped).
fn revalidate(c: &ThreadCopies) {
    let epoch = EPOCH.load(Ordering::Acquire);
    if c.epoch.swap(epoch, Ordering::AcqRel) == epoch {
        return;
    }
    let blocks = BLOCKS.read().unwrap_or_else(|e| e.into_inner());
    let n = c.len.load(Ordering::Acquire).min(SLOTS);
    for slot in &c.slots[..n] {
        let id = slot.id.load(Ordering::Acquire);
        if id != 0 && !blocks.iter().any(|b| b.id == id) {
            unmap_slot(slot);
        }
    }
}

/// The calling thread's address of the thread-local whose template address is `addr`.
fn thread_addr(addr: u64) -> Option<u64> {
    COPIES
        .try_with(|c| {
            revalidate(c);
            if let Some(p) = lookup(c, addr) {
                return Some(p);
            }
            let b = find_block(addr)?;
            let mem = map_copy(&b)?;
            let i = c.len.fetch_add(1, Ordering::AcqRel);
            let Some(slot) = c.slots.get(i) else {
                c.len.store(SLOTS, Ordering::Release);
                return None;
            };
            slot.start.store(b.t.addr, Ordering::Relaxed);
            slot.end.store(b.t.addr + b.t.size, Ordering::Relaxed);
            slot.mem.store(mem, Ordering::Relaxed);
            slot.id.store(b.id, Ordering::Release);
            if let Some(&key) = EXIT_KEY.get() {
                // SAFETY: a key created by `ensure_exit_key`; any non-null value arms the
                // destructor. Keys below 32 need no allocation in glibc.
                unsafe { libc::pthread_setspecific(key, std::ptr::dangling::<c_void>()) };
            }
            lookup(c, addr)
        })
        .ok()
        .flatten()
}

/// Make an append's templates available to `__tls_get_addr`.
pub(crate) fn register(templates: &[TlsTemplate]) {
    if templates.is_empty() {
        return;
    }
    ensure_exit_key();
    let mut blocks = BLOCKS.write().unwrap_or_else(|e| e.into_inner());
    for t in templates.iter().filter(|t| t.size > 0) {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        blocks.push(Block { t: *t, id });
    }
}

/// Forget the templates inside `[start, end)` (an image being dropped).
pub(crate) fn unregister_range(start: u64, end: u64) {
    let mut blocks = BLOCKS.write().unwrap_or_else(|e| e.into_inner());
    blocks.retain(|b| !(start..end).contains(&b.t.addr));
    EPOCH.fetch_add(1, Ordering::Release);
}

fn find_block(addr: u64) -> Option<Block> {
    let blocks = BLOCKS.read().unwrap_or_else(|e| e.into_inner());
    blocks
        .iter()
        .find(|b| (b.t.addr..b.t.addr + b.t.size).contains(&addr))
        .copied()
}

/// `void *__tls_get_addr(tls_index *ti)` for linked code: `ti` is a GOT cell holding the
/// variable's template address (see the module docs).
pub(crate) extern "C" fn cfree_tls_get_addr(ti: *const u64) -> *mut u8 {
    // SAFETY: the linker only passes pointers to its own GOT cells here.
    let addr = unsafe { ti.read() };
    match thread_addr(addr) {
        Some(p) => p as *mut u8,
        None => {
            eprintln!("cfree: __tls_get_addr({addr:#x}): no thread-local storage for this address");
            std::process::abort()
        }
    }
}

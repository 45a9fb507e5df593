//! Thread-local storage for JIT images: our `__tls_get_addr`.
//!
//! Code compiled for the ELF general-dynamic TLS model (cfree's own objects, gcc `-fPIC`)
//! computes a thread-local's address with `__tls_get_addr(&cell)`. The linker places each
//! `.tdata`/`.tbss` input section as a *template* in the image and points the cell at the
//! variable's template address (`AppendOutcome::tls`). Here each thread gets, on its first
//! access, its own copy of the template (the `.tdata` bytes, the rest zero); the address
//! returned is the same offset inside that copy. Copies are freed when the thread exits
//! (a Rust thread-local destructor, which glibc runs for every pthread, also those the JIT
//! program creates) and forgotten when their image is dropped.

use cfree_link::TlsTemplate;
use std::alloc::Layout;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

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

/// One thread's copy of one template.
struct Copy {
    id: u64,
    start: u64,
    end: u64,
    mem: *mut u8,
    layout: Layout,
}

impl Drop for Copy {
    fn drop(&mut self) {
        // SAFETY: allocated in `make_copy` with this layout.
        unsafe { std::alloc::dealloc(self.mem, self.layout) }
    }
}

struct ThreadCopies {
    epoch: u64,
    copies: Vec<Copy>,
}

thread_local! {
    static COPIES: RefCell<ThreadCopies> = const {
        RefCell::new(ThreadCopies { epoch: 0, copies: Vec::new() })
    };
}

/// Make an append's templates available to `__tls_get_addr`.
pub(crate) fn register(templates: &[TlsTemplate]) {
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

fn make_copy(b: &Block) -> Option<Copy> {
    let align = usize::try_from(b.t.align.max(1)).ok()?;
    let size = usize::try_from(b.t.size).ok()?;
    let layout = Layout::from_size_align(size, align).ok()?;
    // SAFETY: size > 0 (empty templates are not registered).
    let mem = unsafe { std::alloc::alloc_zeroed(layout) };
    if mem.is_null() {
        return None;
    }
    let init = usize::try_from(b.t.init_len.min(b.t.size)).ok()?;
    // SAFETY: the template is mapped readable in a live image for `size` bytes; `mem` has room.
    unsafe { std::ptr::copy_nonoverlapping(b.t.addr as *const u8, mem, init) };
    Some(Copy {
        id: b.id,
        start: b.t.addr,
        end: b.t.addr + b.t.size,
        mem,
        layout,
    })
}

/// The calling thread's address of the thread-local whose template address is `addr`.
fn thread_addr(addr: u64) -> Option<*mut u8> {
    COPIES
        .try_with(|c| {
            let mut c = c.borrow_mut();
            let epoch = EPOCH.load(Ordering::Acquire);
            if c.epoch != epoch {
                let live: Vec<u64> = {
                    let blocks = BLOCKS.read().unwrap_or_else(|e| e.into_inner());
                    blocks.iter().map(|b| b.id).collect()
                };
                c.copies.retain(|cp| live.contains(&cp.id));
                c.epoch = epoch;
            }
            let at = |cp: &Copy| cp.mem.wrapping_add((addr - cp.start) as usize);
            if let Some(cp) = c
                .copies
                .iter()
                .find(|cp| (cp.start..cp.end).contains(&addr))
            {
                return Some(at(cp));
            }
            let cp = make_copy(&find_block(addr)?)?;
            let p = at(&cp);
            c.copies.push(cp);
            Some(p)
        })
        .ok()
        .flatten()
}

/// `void *__tls_get_addr(tls_index *ti)` for linked code: `ti` is a GOT cell holding the
/// variable's template address (see the module docs).
pub(crate) extern "C" fn cfree_tls_get_addr(ti: *const u64) -> *mut u8 {
    // SAFETY: the linker only passes pointers to its own GOT cells here.
    let addr = unsafe { ti.read() };
    match thread_addr(addr) {
        Some(p) => p,
        None => {
            eprintln!("cfree: __tls_get_addr({addr:#x}): no thread-local storage for this address");
            std::process::abort()
        }
    }
}

//! Executable memory for the in-process JIT: one reserved range, W^X at all times.
//!
//! The preferred scheme is a **dual mapping**: a `memfd` the size of the reservation backs
//! the view code runs from (at the reserved range, a *private* mapping protected R / RW / RX
//! per class), and the linker writes code through a shared read-write alias of the same file.
//! So pages that are already executable receive appended code without ever being writable in
//! the view, and no page is ever writable and executable at once. Two rules keep it that way
//! against the program itself and across `fork`:
//!
//! * The alias exists only while the linker writes: [`JitMemory::end_writes`] unmaps it at the
//!   end of every append, reload or patch, so a running program finds no writable shared
//!   mapping of its own code in `/proc/self/maps` to `memcpy` through.
//! * Data is private. Pages whose view is readable data (R, RW) are written through the view
//!   itself (an R page is made RW for the copy), never through the file, so the program's
//!   stores to its globals stay copy-on-write pages of its own: after `fork()` parent and
//!   child each have their own data, as with any process. Code (RX) and pages not yet
//!   protected go through the file. A child that writes into the image (appends, reloads)
//!   first moves it to a memfd of its own ([`JitMemory`] notices the fork through
//!   `pthread_atfork`), so its code changes never reach the parent.
//!
//! If `memfd_create` (or the second mapping) is unavailable, the fallback is an **mprotect
//! cycle**: each write flips the affected view pages to RW, copies, and restores their
//! protection. W^X still holds (a page is RW or RX, never both), but code on a page being
//! written is briefly not executable, so another thread running code on that page would fault.
//! The JIT only appends while the program is stopped or single-threaded, which makes this
//! acceptable as a fallback.
//!
//! A debugger plants breakpoints by writing `int3` into code through `ptrace`, and the kernel
//! refuses such forced writes to a read-only *shared* mapping (only private mappings get a
//! copy-on-write page). So when the process is traced at the time the reservation is made
//! (`gdb --args cfree run -g prog.c`), [`MappingMode::Auto`] prefers the mprotect cycle,
//! whose private anonymous pages take breakpoints like any executable's text.

use std::cell::Cell;
use std::ffi::c_void;
use std::io;
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use cfree_link::{LinkMemory, MemoryError, Protection};

/// How the view and the writes are arranged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappingMode {
    /// Dual mapping of a memfd; fall back to `MprotectCycle` if that fails. Under a tracer
    /// (a debugger started the process), `MprotectCycle` first, so the debugger can insert
    /// breakpoints in JIT code.
    Auto,
    /// Require the dual mapping.
    DualMapping,
    /// Write by temporarily making view pages RW (no second mapping).
    MprotectCycle,
}

/// Whether a tracer (a debugger) is attached to this process: `TracerPid` in
/// `/proc/self/status` is non-zero.
fn is_traced() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("TracerPid:"))
            .is_some_and(|pid| pid.trim() != "0")
    })
}

/// Page state, tracked per page of the reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageState {
    Reserved,
    /// Committed; the value is the view's current protection (`None`: committed but the view is
    /// still inaccessible, dual mapping only).
    Committed(Option<Protection>),
}

/// JIT memory over one reserved range; implements [`LinkMemory`] for the linker.
#[derive(Debug)]
pub struct JitMemory {
    view: *mut u8,
    /// The writable alias of the memfd while the linker writes (dual mapping), else null.
    alias: Cell<*mut u8>,
    len: usize,
    page_size: usize,
    /// memfd backing the view, or -1 (mprotect cycle).
    fd: libc::c_int,
    pages: Vec<PageState>,
    /// [`FORKS`] when `fd` became this process's own: a different count means a `fork`
    /// since, and the next write first gives this process its own file.
    fork_epoch: u64,
}

/// `fork()`s seen by this process (both sides count, through `pthread_atfork`).
static FORKS: AtomicU64 = AtomicU64::new(0);

extern "C" fn count_fork() {
    FORKS.fetch_add(1, Ordering::Relaxed);
}

/// Registers [`count_fork`] once per process.
fn watch_forks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handlers are plain functions that only touch an atomic.
        unsafe {
            libc::pthread_atfork(None, Some(count_fork), Some(count_fork));
        }
    });
}

// SAFETY: JitMemory exclusively owns its mappings; the raw pointers are never shared outside
// `&self`/`&mut self` methods, so moving it to another thread is sound.
unsafe impl Send for JitMemory {}

fn os_err(op: &'static str, addr: u64, len: u64) -> MemoryError {
    MemoryError::Os {
        op,
        addr,
        len,
        source: io::Error::last_os_error(),
    }
}

/// The host page size.
pub fn host_page_size() -> u64 {
    // SAFETY: sysconf has no memory-safety preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as u64
    } else {
        4096
    }
}

fn prot_flags(p: Protection) -> libc::c_int {
    match p {
        Protection::R => libc::PROT_READ,
        Protection::RW => libc::PROT_READ | libc::PROT_WRITE,
        Protection::RX => libc::PROT_READ | libc::PROT_EXEC,
    }
}

impl JitMemory {
    /// Reserve `len` bytes (rounded up to pages) with the dual mapping, or the mprotect fallback.
    pub fn new(len: u64) -> Result<Self, MemoryError> {
        Self::with_mode(len, MappingMode::Auto)
    }

    pub fn with_mode(len: u64, mode: MappingMode) -> Result<Self, MemoryError> {
        Self::with_mode_at(len, mode, None)
    }

    /// Like [`with_mode`](Self::with_mode), asking the kernel to place the reservation at
    /// `hint` (a hint only: the kernel may choose elsewhere). Tests use it to put the image far
    /// from libc, so calls must go through linker stubs.
    pub fn with_mode_at(
        len: u64,
        mode: MappingMode,
        hint: Option<u64>,
    ) -> Result<Self, MemoryError> {
        let page = host_page_size();
        let rounded = len
            .checked_add(page - 1)
            .map(|l| l & !(page - 1))
            .filter(|&l| l > 0)
            .ok_or(MemoryError::OutOfRange {
                op: "reserve",
                addr: 0,
                len,
            })?;
        let size = usize::try_from(rounded).map_err(|_| MemoryError::OutOfRange {
            op: "reserve",
            addr: 0,
            len,
        })?;
        let hint = hint.map_or(0, |h| (h & !(page - 1)) as usize);
        let page = page as usize;
        match mode {
            MappingMode::MprotectCycle => Self::reserve_plain(size, page, hint),
            MappingMode::DualMapping => Self::reserve_dual(size, page, hint),
            MappingMode::Auto if is_traced() => Self::reserve_plain(size, page, hint)
                .or_else(|_| Self::reserve_dual(size, page, hint)),
            MappingMode::Auto => Self::reserve_dual(size, page, hint)
                .or_else(|_| Self::reserve_plain(size, page, hint)),
        }
    }

    /// Reserve address space with no access: nothing is usable until committed.
    fn reserve(size: usize, hint: usize) -> Result<*mut u8, MemoryError> {
        // SAFETY: anonymous PROT_NONE mapping; without MAP_FIXED the address is only a hint, so
        // no existing memory is affected.
        let p = unsafe {
            libc::mmap(
                hint as *mut c_void,
                size,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(os_err("reserve", 0, size as u64));
        }
        Ok(p.cast())
    }

    fn reserve_plain(size: usize, page_size: usize, hint: usize) -> Result<Self, MemoryError> {
        let view = Self::reserve(size, hint)?;
        Ok(JitMemory {
            view,
            alias: Cell::new(ptr::null_mut()),
            len: size,
            page_size,
            fd: -1,
            pages: vec![PageState::Reserved; size / page_size],
            fork_epoch: 0,
        })
    }

    fn reserve_dual(size: usize, page_size: usize, hint: usize) -> Result<Self, MemoryError> {
        watch_forks();
        let view = Self::reserve(size, hint)?;
        // From here on, `mem` owns what exists so far and its Drop cleans up on error.
        let mut mem = JitMemory {
            view,
            alias: Cell::new(ptr::null_mut()),
            len: size,
            page_size,
            fd: -1,
            pages: vec![PageState::Reserved; size / page_size],
            fork_epoch: FORKS.load(Ordering::Relaxed),
        };
        mem.fd = new_memfd(size)?;
        // Replace the reservation with a private, inaccessible view of the file.
        mem.map_view(0, size, libc::PROT_NONE)?;
        // The alias is mapped now once to fail here, not at the first write, where it cannot.
        mem.alias_ptr()?;
        mem.end_writes();
        Ok(mem)
    }

    /// Maps `[off, off+len)` of the view from the memfd, private, with `prot`.
    fn map_view(&self, off: usize, len: usize, prot: libc::c_int) -> Result<(), MemoryError> {
        let at = self.view.wrapping_add(off);
        // SAFETY: MAP_FIXED over part of the range we reserved and exclusively own.
        let v = unsafe {
            libc::mmap(
                at.cast(),
                len,
                prot,
                libc::MAP_PRIVATE | libc::MAP_FIXED,
                self.fd,
                off as libc::off_t,
            )
        };
        if v == libc::MAP_FAILED || v.cast::<u8>() != at {
            return Err(os_err("map view", at as u64, len as u64));
        }
        Ok(())
    }

    /// The writable alias, mapped on first use after [`end_writes`](Self::end_writes).
    fn alias_ptr(&self) -> Result<*mut u8, MemoryError> {
        let a = self.alias.get();
        if !a.is_null() {
            return Ok(a);
        }
        // SAFETY: a new shared mapping of our memfd at a kernel-chosen address.
        let a = unsafe {
            libc::mmap(
                ptr::null_mut(),
                self.len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                self.fd,
                0,
            )
        };
        if a == libc::MAP_FAILED {
            return Err(os_err("map alias", 0, self.len as u64));
        }
        self.alias.set(a.cast());
        Ok(a.cast())
    }

    /// Unmaps the writable alias: called when a link step is done, so no writable mapping of
    /// the code exists while the program runs. The next write maps it again.
    pub fn end_writes(&self) {
        let a = self.alias.replace(ptr::null_mut());
        if !a.is_null() {
            // SAFETY: `a` is our alias mapping of `len` bytes; nothing refers to it now.
            unsafe {
                libc::munmap(a.cast(), self.len);
            }
        }
    }

    /// After a `fork`, gives this process a memfd of its own holding the image as this
    /// process sees it, so what it writes from now on stays its own.
    fn own_file(&mut self) -> Result<(), MemoryError> {
        let epoch = FORKS.load(Ordering::Relaxed);
        if self.fd < 0 || epoch == self.fork_epoch {
            return Ok(());
        }
        self.end_writes();
        let fd = new_memfd(self.len)?;
        let mut buf = vec![0u8; self.page_size];
        for (i, st) in self.pages.iter().enumerate() {
            let PageState::Committed(prot) = *st else {
                continue;
            };
            let off = i * self.page_size;
            if prot.is_some() {
                // SAFETY: a readable committed page of the view (this process's contents,
                // copy-on-write data included).
                unsafe { ptr::copy_nonoverlapping(self.page_addr(i), buf.as_mut_ptr(), buf.len()) };
            } else {
                // SAFETY: reads one page of the old memfd into `buf`.
                let n = unsafe {
                    libc::pread(
                        self.fd,
                        buf.as_mut_ptr().cast(),
                        buf.len(),
                        off as libc::off_t,
                    )
                };
                if n != buf.len() as isize {
                    close_fd(fd);
                    return Err(os_err("copy image", off as u64, buf.len() as u64));
                }
            }
            // SAFETY: writes one page into the new memfd, which is `len` bytes long.
            let n = unsafe { libc::pwrite(fd, buf.as_ptr().cast(), buf.len(), off as libc::off_t) };
            if n != buf.len() as isize {
                close_fd(fd);
                return Err(os_err("copy image", off as u64, buf.len() as u64));
            }
        }
        let old = std::mem::replace(&mut self.fd, fd);
        // Each run of pages is replaced by the same bytes with its protection in one call, so
        // code another thread runs never becomes inaccessible.
        let mut p = 0;
        while p < self.pages.len() {
            let st = self.pages[p];
            let mut q = p + 1;
            while q < self.pages.len() && self.pages[q] == st {
                q += 1;
            }
            let prot = match st {
                PageState::Committed(Some(pr)) => prot_flags(pr),
                _ => libc::PROT_NONE,
            };
            self.map_view(p * self.page_size, (q - p) * self.page_size, prot)?;
            p = q;
        }
        close_fd(old);
        self.fork_epoch = epoch;
        Ok(())
    }

    /// First address of the reservation (the view code runs from).
    pub fn base(&self) -> u64 {
        self.view as u64
    }

    pub fn len(&self) -> u64 {
        self.len as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn page_size(&self) -> u64 {
        self.page_size as u64
    }

    /// Whether writes go through a separate writable alias.
    pub fn is_dual_mapped(&self) -> bool {
        self.fd >= 0
    }

    /// The writable alias range while one is mapped (for tests that inspect
    /// `/proc/self/maps`).
    pub fn alias_range(&self) -> Option<(u64, u64)> {
        let a = self.alias.get();
        (!a.is_null()).then(|| (a as u64, a as u64 + self.len as u64))
    }

    /// Offset and page span of [addr, addr+len) after checking it lies in the reservation.
    fn span(
        &self,
        op: &'static str,
        addr: u64,
        len: u64,
    ) -> Result<(usize, usize, usize), MemoryError> {
        let err = MemoryError::OutOfRange { op, addr, len };
        let off = addr.checked_sub(self.base()).ok_or(err)?;
        let end = off.checked_add(len).filter(|&e| e <= self.len as u64);
        let end = end.ok_or(MemoryError::OutOfRange { op, addr, len })?;
        let first = off as usize / self.page_size;
        let last = (end as usize).div_ceil(self.page_size);
        Ok((off as usize, first, last))
    }

    fn check_committed(
        &self,
        op: &'static str,
        addr: u64,
        len: u64,
    ) -> Result<(usize, usize, usize), MemoryError> {
        let (off, first, last) = self.span(op, addr, len)?;
        if self.pages[first..last].contains(&PageState::Reserved) {
            return Err(MemoryError::NotCommitted { op, addr, len });
        }
        Ok((off, first, last))
    }

    fn page_addr(&self, page: usize) -> *mut u8 {
        // In bounds: page < pages.len() = len / page_size.
        self.view.wrapping_add(page * self.page_size)
    }

    fn mprotect_pages(
        &self,
        first: usize,
        last: usize,
        prot: libc::c_int,
    ) -> Result<(), MemoryError> {
        let addr = self.page_addr(first);
        let len = (last - first) * self.page_size;
        // SAFETY: the pages lie inside our reservation, which we own exclusively.
        if unsafe { libc::mprotect(addr.cast::<c_void>(), len, prot) } != 0 {
            return Err(os_err("mprotect", addr as u64, len as u64));
        }
        Ok(())
    }
}

impl JitMemory {
    /// A dual-mapped write, page by page: readable data pages (R, RW) through the view (an R
    /// page made RW for the copy), so the program's private copies are what change; code and
    /// pages not protected yet through the shared file.
    fn write_dual(
        &mut self,
        off: usize,
        first: usize,
        last: usize,
        bytes: &[u8],
    ) -> Result<(), MemoryError> {
        let mut done = 0;
        for p in first..last {
            let page_end = (p + 1) * self.page_size;
            let at = off + done;
            let n = (page_end - at).min(bytes.len() - done);
            let chunk = &bytes[done..done + n];
            match self.pages[p] {
                PageState::Committed(Some(Protection::RW)) => {
                    // SAFETY: an RW page of the view; `chunk` lies within it.
                    unsafe { ptr::copy_nonoverlapping(chunk.as_ptr(), self.view.add(at), n) };
                }
                PageState::Committed(Some(Protection::R)) => {
                    self.mprotect_pages(p, p + 1, libc::PROT_READ | libc::PROT_WRITE)?;
                    // SAFETY: the page was just made RW; `chunk` lies within it.
                    unsafe { ptr::copy_nonoverlapping(chunk.as_ptr(), self.view.add(at), n) };
                    self.mprotect_pages(p, p + 1, libc::PROT_READ)?;
                }
                _ => {
                    let alias = self.alias_ptr()?;
                    // SAFETY: [at, at+n) is inside the alias, RW for its whole length.
                    unsafe { ptr::copy_nonoverlapping(chunk.as_ptr(), alias.add(at), n) };
                }
            }
            done += n;
        }
        Ok(())
    }
}

/// A memfd of `size` bytes (close-on-exec).
fn new_memfd(size: usize) -> Result<libc::c_int, MemoryError> {
    // SAFETY: the name is a valid NUL-terminated string.
    let fd = unsafe { libc::memfd_create(c"cfree-jit".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(os_err("memfd_create", 0, size as u64));
    }
    // SAFETY: fd is our memfd.
    if unsafe { libc::ftruncate(fd, size as libc::off_t) } != 0 {
        close_fd(fd);
        return Err(os_err("ftruncate", 0, size as u64));
    }
    Ok(fd)
}

fn close_fd(fd: libc::c_int) {
    // SAFETY: `fd` is a descriptor this module opened and no longer uses.
    unsafe {
        libc::close(fd);
    }
}

impl LinkMemory for JitMemory {
    fn commit(&mut self, addr: u64, len: u64) -> Result<(), MemoryError> {
        let (_, first, last) = self.span("commit", addr, len)?;
        if len == 0 {
            return Ok(());
        }
        if self.is_dual_mapped() {
            self.own_file()?;
            // Reserve the file's backing store now, so running out of memory is an error here
            // rather than SIGBUS on first touch. Filesystems without fallocate just skip this.
            let start = first * self.page_size;
            let bytes = (last - first) * self.page_size;
            // SAFETY: fd is our memfd; the range lies within its size.
            let r =
                unsafe { libc::fallocate(self.fd, 0, start as libc::off_t, bytes as libc::off_t) };
            if r != 0 {
                let e = io::Error::last_os_error();
                if !matches!(
                    e.raw_os_error(),
                    Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS)
                ) {
                    return Err(MemoryError::Os {
                        op: "commit",
                        addr,
                        len,
                        source: e,
                    });
                }
            }
            for p in &mut self.pages[first..last] {
                if *p == PageState::Reserved {
                    *p = PageState::Committed(None);
                }
            }
        } else {
            // Make newly committed pages RW (anonymous memory reads as zero).
            let mut p = first;
            while p < last {
                if self.pages[p] != PageState::Reserved {
                    p += 1;
                    continue;
                }
                let run_start = p;
                while p < last && self.pages[p] == PageState::Reserved {
                    p += 1;
                }
                self.mprotect_pages(run_start, p, libc::PROT_READ | libc::PROT_WRITE)?;
                for s in &mut self.pages[run_start..p] {
                    *s = PageState::Committed(Some(Protection::RW));
                }
            }
        }
        Ok(())
    }

    fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        let len = bytes.len() as u64;
        let (off, first, last) = self.check_committed("write", addr, len)?;
        if bytes.is_empty() {
            return Ok(());
        }
        if self.is_dual_mapped() {
            self.own_file()?;
            return self.write_dual(off, first, last, bytes);
        }
        // mprotect cycle: make non-writable pages RW, copy, restore. Never RWX.
        let mut flipped = Vec::new();
        for p in first..last {
            if let PageState::Committed(Some(prot)) = self.pages[p] {
                if prot != Protection::RW {
                    self.mprotect_pages(p, p + 1, libc::PROT_READ | libc::PROT_WRITE)?;
                    flipped.push((p, prot));
                }
            }
        }
        // SAFETY: the range is committed and every page in it is RW now.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), self.view.add(off), bytes.len());
        }
        for (p, prot) in flipped {
            self.mprotect_pages(p, p + 1, prot_flags(prot))?;
        }
        Ok(())
    }

    fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError> {
        let len = out.len() as u64;
        let (off, first, last) = self.check_committed("read", addr, len)?;
        if out.is_empty() {
            return Ok(());
        }
        let readable = !self.pages[first..last].contains(&PageState::Committed(None));
        let src = if self.is_dual_mapped() && !readable {
            self.alias_ptr()?
        } else if self.is_dual_mapped() {
            self.view
        } else {
            if self.pages[first..last].contains(&PageState::Committed(None)) {
                return Err(MemoryError::NotCommitted {
                    op: "read",
                    addr,
                    len,
                });
            }
            self.view
        };
        // SAFETY: the range is committed and readable in `src` (the alias is RW; the view's
        // pages are at least readable when chosen).
        unsafe {
            ptr::copy_nonoverlapping(src.add(off), out.as_mut_ptr(), out.len());
        }
        Ok(())
    }

    fn protect(&mut self, addr: u64, len: u64, prot: Protection) -> Result<(), MemoryError> {
        let (_, first, last) = self.check_committed("protect", addr, len)?;
        if first == last {
            return Ok(());
        }
        self.mprotect_pages(first, last, prot_flags(prot))?;
        for p in &mut self.pages[first..last] {
            *p = PageState::Committed(Some(prot));
        }
        Ok(())
    }

    fn flush_icache(&mut self, addr: u64, len: u64) {
        flush_icache(addr, len);
    }

    /// One release store through an aligned `AtomicU64`: the caller's earlier writes (the new
    /// body) are visible to any thread that reads the new pointer, and no reader sees a torn
    /// value. In the dual mapping the alias and the view share the physical page, so the store
    /// through the alias is what executing threads load through the view.
    fn store_pointer(&mut self, addr: u64, value: u64) -> Result<(), MemoryError> {
        let (off, first, _) = self.check_committed("store pointer", addr, 8)?;
        if !addr.is_multiple_of(8) {
            return Err(MemoryError::OutOfRange {
                op: "store pointer (unaligned)",
                addr,
                len: 8,
            });
        }
        if self.is_dual_mapped() {
            self.own_file()?;
        }
        let state = self.pages[first];
        let base = if state == PageState::Committed(Some(Protection::RW)) {
            // Data: the program's own (private) page.
            self.view
        } else if self.is_dual_mapped() && state != PageState::Committed(Some(Protection::R)) {
            // Code, or a page not protected yet: the shared file.
            self.alias_ptr()?
        } else {
            return self.write(addr, &value.to_le_bytes());
        };
        // SAFETY: [off, off+8) is committed, writable in `base` and 8-byte aligned (the
        // reservation is page aligned and `addr` is checked above).
        let cell = unsafe { &*(base.add(off) as *const std::sync::atomic::AtomicU64) };
        cell.store(value, std::sync::atomic::Ordering::Release);
        Ok(())
    }
}

/// x86-64 keeps instruction fetch coherent with data writes (including through an alias), so
/// there is nothing to do.
#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
fn flush_icache(_addr: u64, _len: u64) {}

/// Other hosts need the caches synchronised; libgcc's `__clear_cache` does it per architecture.
#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
fn flush_icache(addr: u64, len: u64) {
    extern "C" {
        fn __clear_cache(start: *mut libc::c_char, end: *mut libc::c_char);
    }
    let start = addr as *mut libc::c_char;
    // SAFETY: __clear_cache only performs cache maintenance on the given range.
    unsafe { __clear_cache(start, start.wrapping_add(len as usize)) }
}

impl Drop for JitMemory {
    fn drop(&mut self) {
        // SAFETY: we own both mappings and the fd; nothing borrows them past this point.
        unsafe {
            if !self.view.is_null() {
                libc::munmap(self.view.cast(), self.len);
            }
            let a = self.alias.get();
            if !a.is_null() {
                libc::munmap(a.cast(), self.len);
            }
            if self.fd >= 0 {
                libc::close(self.fd);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(mode: MappingMode) {
        let mut m = JitMemory::with_mode(1 << 20, mode).unwrap();
        let page = m.page_size();
        let base = m.base();
        assert!(m.write(base, &[1]).is_err(), "uncommitted");
        m.commit(base, 2 * page).unwrap();
        let mut z = [0xffu8; 16];
        m.read(base + page - 8, &mut z)
            .or_else(|_| {
                // A dual-mapped view is unreadable before protect, but reads use the alias.
                m.protect(base, 2 * page, Protection::RW)?;
                m.read(base + page - 8, &mut z)
            })
            .unwrap();
        assert_eq!(z, [0; 16], "committed memory is zero");
        m.write(base + page - 2, &[0xc3, 0xc3, 0xc3, 0xc3]).unwrap();
        m.protect(base, 2 * page, Protection::RX).unwrap();
        // Writing to an executable page still works (alias or protect cycle).
        m.write(base + 16, &[0xb8, 42, 0, 0, 0, 0xc3]).unwrap();
        let mut b = [0u8; 6];
        m.read(base + 16, &mut b).unwrap();
        assert_eq!(b, [0xb8, 42, 0, 0, 0, 0xc3]);
        // SAFETY: the page is RX and holds `mov eax, 42; ret`.
        let f: extern "C" fn() -> i32 = unsafe { std::mem::transmute(base as usize + 16) };
        assert_eq!(f(), 42);
        assert!(matches!(
            m.commit(base + (1 << 20), 1),
            Err(MemoryError::OutOfRange { .. })
        ));
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn dual_mapping_roundtrip() {
        roundtrip(MappingMode::DualMapping);
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn mprotect_cycle_roundtrip() {
        roundtrip(MappingMode::MprotectCycle);
    }
}

//! The memory the linker writes into, seen through a small trait.
//!
//! The linker never maps memory itself: the same `LinkSession` drives in-process JIT memory
//! (`cfree-jit`), the [`VecMemory`] test buffer below, or a remote executor process. Everything it
//! needs is "commit these pages, write these bytes, set the final protection of this range".

use std::collections::BTreeMap;

/// Final protection of a committed range.
///
/// There is deliberately no writable+executable value: W^X is a property of the interface, not
/// something each memory implementation has to remember to enforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protection {
    /// Read-only data (`.rodata`, `.eh_frame`, GOT cells).
    R,
    /// Read-write data (`.data`, `.bss`, `.init_array`).
    RW,
    /// Executable code; never writable through this view.
    RX,
}

impl std::fmt::Display for Protection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protection::R => "r--",
            Protection::RW => "rw-",
            Protection::RX => "r-x",
        })
    }
}

/// Why a memory operation failed. Carries the operation and the range so the caller's error
/// message can say what the linker was doing.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error("{op} of {addr:#x}+{len:#x}: range is outside the reserved region")]
    OutOfRange {
        op: &'static str,
        addr: u64,
        len: u64,
    },
    #[error("{op} of {addr:#x}+{len:#x}: range is not committed")]
    NotCommitted {
        op: &'static str,
        addr: u64,
        len: u64,
    },
    #[error("{op} of {addr:#x}+{len:#x} failed: {source}")]
    Os {
        op: &'static str,
        addr: u64,
        len: u64,
        #[source]
        source: std::io::Error,
    },
    #[error("{op} of {addr:#x}+{len:#x} failed: {reason}")]
    Other {
        op: &'static str,
        addr: u64,
        len: u64,
        reason: String,
    },
}

/// Where the linker puts bytes.
///
/// Contract the linker relies on:
/// - freshly committed memory reads as zero (`.bss` and COMMON symbols are not written);
/// - `write` works whatever the current protection of the range is (in-process JIT memory writes
///   through a writable alias of the same pages, so already-executable pages can receive new code
///   without ever being writable and executable at once);
/// - `protect` only affects the view that code runs from.
pub trait LinkMemory {
    /// Make [addr, addr+len) usable (commit pages); idempotent for already-committed pages.
    fn commit(&mut self, addr: u64, len: u64) -> Result<(), MemoryError>;
    /// Copy `bytes` to `addr`; the range must be committed.
    fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError>;
    /// Read committed memory back (used by tests and by later patching work).
    fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError>;
    /// Final protection of a committed range: R, RW or RX. W^X: the executable view is never writable.
    fn protect(&mut self, addr: u64, len: u64, prot: Protection) -> Result<(), MemoryError>;
    /// Make freshly written instructions visible to instruction fetch (a no-op on x86-64).
    fn flush_icache(&mut self, addr: u64, len: u64);

    /// Stores one aligned pointer so that a thread reading it concurrently (a call through a
    /// reloadable entry) sees either the old or the new value, never a mix: hot reload's
    /// publication step. The default suits memories nobody executes from concurrently.
    fn store_pointer(&mut self, addr: u64, value: u64) -> Result<(), MemoryError> {
        self.write(addr, &value.to_le_bytes())
    }
}

/// A test buffer implementing [`LinkMemory`] at a chosen (fake) base address.
///
/// Pages are allocated on commit, zero-filled, and protection is only recorded (nothing here is
/// ever executed), so unit tests can check what the linker committed, wrote and protected.
#[derive(Debug)]
pub struct VecMemory {
    base: u64,
    len: u64,
    page_size: u64,
    /// Committed pages by page index (relative to `base`), each `page_size` bytes.
    pages: BTreeMap<u64, Vec<u8>>,
    /// Last protection applied to each committed page, if any.
    prot: BTreeMap<u64, Protection>,
    /// Ranges passed to `flush_icache`, in call order.
    flushed: Vec<(u64, u64)>,
}

impl VecMemory {
    /// A region of `len` bytes starting at `base`; both must be multiples of `page_size`.
    pub fn new(base: u64, len: u64, page_size: u64) -> Self {
        VecMemory {
            base,
            len,
            page_size: page_size.max(1),
            pages: BTreeMap::new(),
            prot: BTreeMap::new(),
            flushed: Vec::new(),
        }
    }

    /// First address of the region.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Number of committed pages.
    pub fn committed_pages(&self) -> usize {
        self.pages.len()
    }

    /// Whether the page containing `addr` is committed.
    pub fn is_committed(&self, addr: u64) -> bool {
        addr.checked_sub(self.base)
            .is_some_and(|off| self.pages.contains_key(&(off / self.page_size)))
    }

    /// The last protection applied to the page containing `addr`.
    pub fn protection_at(&self, addr: u64) -> Option<Protection> {
        let off = addr.checked_sub(self.base)?;
        self.prot.get(&(off / self.page_size)).copied()
    }

    /// Ranges that were passed to `flush_icache`.
    pub fn flushed(&self) -> &[(u64, u64)] {
        &self.flushed
    }

    /// Page indices covering [addr, addr+len), after checking the range lies in the region.
    fn page_span(&self, op: &'static str, addr: u64, len: u64) -> Result<(u64, u64), MemoryError> {
        let end = addr
            .checked_add(len)
            .ok_or(MemoryError::OutOfRange { op, addr, len })?;
        let region_end = self.base.saturating_add(self.len);
        if addr < self.base || end > region_end {
            return Err(MemoryError::OutOfRange { op, addr, len });
        }
        if len == 0 {
            return Ok((0, 0));
        }
        let first = (addr - self.base) / self.page_size;
        let last = (end - 1 - self.base) / self.page_size;
        Ok((first, last + 1))
    }

    fn check_committed(&self, op: &'static str, addr: u64, len: u64) -> Result<(), MemoryError> {
        let (first, end) = self.page_span(op, addr, len)?;
        if (first..end).all(|p| self.pages.contains_key(&p)) {
            Ok(())
        } else {
            Err(MemoryError::NotCommitted { op, addr, len })
        }
    }
}

impl LinkMemory for VecMemory {
    fn commit(&mut self, addr: u64, len: u64) -> Result<(), MemoryError> {
        let (first, end) = self.page_span("commit", addr, len)?;
        let page_size = usize::try_from(self.page_size).map_err(|_| MemoryError::Other {
            op: "commit",
            addr,
            len,
            reason: "page size does not fit in usize".into(),
        })?;
        for p in first..end {
            self.pages.entry(p).or_insert_with(|| vec![0; page_size]);
        }
        Ok(())
    }

    fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        let len = bytes.len() as u64;
        self.check_committed("write", addr, len)?;
        let mut done = 0usize;
        while done < bytes.len() {
            let off = addr - self.base + done as u64;
            let page = off / self.page_size;
            let in_page = (off % self.page_size) as usize;
            let buf = self.pages.get_mut(&page).ok_or(MemoryError::NotCommitted {
                op: "write",
                addr,
                len,
            })?;
            let n = (buf.len() - in_page).min(bytes.len() - done);
            buf[in_page..in_page + n].copy_from_slice(&bytes[done..done + n]);
            done += n;
        }
        Ok(())
    }

    fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError> {
        let len = out.len() as u64;
        self.check_committed("read", addr, len)?;
        let mut done = 0usize;
        while done < out.len() {
            let off = addr - self.base + done as u64;
            let page = off / self.page_size;
            let in_page = (off % self.page_size) as usize;
            let buf = self.pages.get(&page).ok_or(MemoryError::NotCommitted {
                op: "read",
                addr,
                len,
            })?;
            let n = (buf.len() - in_page).min(out.len() - done);
            out[done..done + n].copy_from_slice(&buf[in_page..in_page + n]);
            done += n;
        }
        Ok(())
    }

    fn protect(&mut self, addr: u64, len: u64, prot: Protection) -> Result<(), MemoryError> {
        self.check_committed("protect", addr, len)?;
        let (first, end) = self.page_span("protect", addr, len)?;
        for p in first..end {
            self.prot.insert(p, prot);
        }
        Ok(())
    }

    fn flush_icache(&mut self, addr: u64, len: u64) {
        self.flushed.push((addr, len));
    }
}

/// Where the linker finds symbols that no linked object defines (libc, host-registered symbols).
pub trait SymbolResolver {
    /// The absolute address of `name`, if the host knows it.
    fn resolve(&self, name: &str) -> Option<u64>;
}

/// A resolver that knows nothing: every external reference is undefined.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoResolver;

impl SymbolResolver for NoResolver {
    fn resolve(&self, _name: &str) -> Option<u64> {
        None
    }
}

/// A resolver over a fixed name → address table (tests, remote executors that ship a symbol list).
#[derive(Clone, Debug, Default)]
pub struct MapResolver {
    symbols: std::collections::HashMap<String, u64>,
}

impl MapResolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add or replace one symbol.
    pub fn insert(&mut self, name: impl Into<String>, addr: u64) -> &mut Self {
        self.symbols.insert(name.into(), addr);
        self
    }
}

impl SymbolResolver for MapResolver {
    fn resolve(&self, name: &str) -> Option<u64> {
        self.symbols.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vec_memory_commits_zeroed_pages_and_checks_ranges() {
        let mut m = VecMemory::new(0x10000, 0x4000, 0x1000);
        assert!(matches!(
            m.write(0x10000, &[1]),
            Err(MemoryError::NotCommitted { .. })
        ));
        m.commit(0x10000, 0x1800).unwrap();
        assert_eq!(m.committed_pages(), 2);
        let mut b = [0xffu8; 4];
        m.read(0x10ffe, &mut b).unwrap();
        assert_eq!(b, [0; 4]);
        m.write(0x10ffe, &[1, 2, 3, 4]).unwrap();
        m.read(0x10ffe, &mut b).unwrap();
        assert_eq!(b, [1, 2, 3, 4]);
        assert!(matches!(
            m.commit(0x13000, 0x2000),
            Err(MemoryError::OutOfRange { .. })
        ));
        m.protect(0x10000, 0x2000, Protection::RX).unwrap();
        assert_eq!(m.protection_at(0x11fff), Some(Protection::RX));
        assert_eq!(m.protection_at(0x12000), None);
    }
}

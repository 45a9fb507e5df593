//! [`LinkMemory`] over the executor: the reservation lives in the target process, and the
//! linker's commits, writes, protections, cache flushes and slot stores become requests.

use cfree_link::{LinkMemory, MemoryError, Protection};

use crate::protocol::{u64s, Op, MAX_MESSAGE};
use crate::{ExecutorError, Shared};

/// The image's memory in the executor: one range, W^X there through a dual mapping.
#[derive(Debug)]
pub struct RemoteMemory {
    conn: Shared,
    base: u64,
    len: u64,
}

impl RemoteMemory {
    /// Reserves `len` bytes in the executor (anywhere: the image is position-independent).
    pub(crate) fn reserve(conn: Shared, len: u64) -> Result<RemoteMemory, ExecutorError> {
        let reply = crate::lock(&conn).request(Op::Reserve, &u64s(&[len, 0]))?;
        let base = crate::protocol::u64_at(&reply, 0, Op::Reserve)?;
        Ok(RemoteMemory { conn, base, len })
    }

    /// First address of the reservation, in the target's address space.
    pub fn base(&self) -> u64 {
        self.base
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn check(&self, op: &'static str, addr: u64, len: u64) -> Result<(), MemoryError> {
        let inside = addr
            .checked_sub(self.base)
            .is_some_and(|off| off.checked_add(len).is_some_and(|end| end <= self.len));
        if inside {
            Ok(())
        } else {
            Err(MemoryError::OutOfRange { op, addr, len })
        }
    }

    fn send(
        &self,
        op: Op,
        payload: &[u8],
        what: &'static str,
        addr: u64,
        len: u64,
    ) -> Result<Vec<u8>, MemoryError> {
        crate::lock(&self.conn)
            .request(op, payload)
            .map_err(|e| MemoryError::Other {
                op: what,
                addr,
                len,
                reason: e.to_string(),
            })
    }
}

impl LinkMemory for RemoteMemory {
    /// The executor's memfd reads as zero wherever nothing was written: committing is a
    /// range check.
    fn commit(&mut self, addr: u64, len: u64) -> Result<(), MemoryError> {
        self.check("commit", addr, len)
    }

    fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        self.check("write", addr, bytes.len() as u64)?;
        // In pieces the executor accepts, each with its 8-byte address.
        for (i, chunk) in bytes.chunks(MAX_MESSAGE - 8).enumerate() {
            let at = addr + (i * (MAX_MESSAGE - 8)) as u64;
            let mut payload = at.to_le_bytes().to_vec();
            payload.extend_from_slice(chunk);
            self.send(Op::Write, &payload, "write", at, chunk.len() as u64)?;
        }
        Ok(())
    }

    fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError> {
        self.check("read", addr, out.len() as u64)?;
        for (i, chunk) in out.chunks_mut(MAX_MESSAGE).enumerate() {
            let at = addr + (i * MAX_MESSAGE) as u64;
            let n = chunk.len() as u64;
            let got = self.send(Op::Read, &u64s(&[at, n]), "read", at, n)?;
            if got.len() != chunk.len() {
                return Err(MemoryError::Other {
                    op: "read",
                    addr: at,
                    len: n,
                    reason: format!("the executor sent {} bytes", got.len()),
                });
            }
            chunk.copy_from_slice(&got);
        }
        Ok(())
    }

    fn protect(&mut self, addr: u64, len: u64, prot: Protection) -> Result<(), MemoryError> {
        self.check("protect", addr, len)?;
        let code: u32 = match prot {
            Protection::R => 0,
            Protection::RW => 1,
            Protection::RX => 2,
        };
        let mut payload = u64s(&[addr, len]);
        payload.extend_from_slice(&code.to_le_bytes());
        self.send(Op::Protect, &payload, "protect", addr, len)
            .map(drop)
    }

    /// A failed flush cannot be reported through this interface; the next request finds an
    /// executor that is gone and reports that.
    fn flush_icache(&mut self, addr: u64, len: u64) {
        let _ = self.send(Op::Flush, &u64s(&[addr, len]), "flush", addr, len);
    }

    /// One aligned 64-bit release store in the executor: a thread there calling through the
    /// slot sees the old body or the new one.
    fn store_pointer(&mut self, addr: u64, value: u64) -> Result<(), MemoryError> {
        self.check("store", addr, 8)?;
        self.send(Op::StorePtr, &u64s(&[addr, value]), "store", addr, 8)
            .map(drop)
    }
}

//! Hand-built ELF objects for link tests: exact bytes and relocations, no compiler needed.

#![allow(dead_code)]

use cfree_link::{
    LinkError, LinkInput, LinkLayout, LinkMemory, LinkSession, MemoryError, Protection,
    SymbolResolver, VecMemory,
};
use object::elf;
use object::write::{Object, Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, RelocationFlags, SectionFlags, SectionKind,
    SymbolFlags, SymbolKind, SymbolScope,
};

pub const BASE: u64 = 0x4000_0000;
pub const PAGE: u64 = 0x1000;

/// A fresh session and memory over a small contiguous layout at `BASE`.
pub fn session_with(rx: u64, r: u64, rw: u64) -> (LinkSession, VecMemory) {
    let layout = LinkLayout::contiguous(BASE, PAGE, rx, r, rw).expect("valid test layout");
    let session = LinkSession::new(cfree_link::LinkArch::X86_64, layout);
    (session, VecMemory::new(BASE, rx + r + rw, PAGE))
}

pub fn session() -> (LinkSession, VecMemory) {
    session_with(0x10_0000, 0x10_0000, 0x10_0000)
}

pub struct Obj {
    pub obj: Object<'static>,
}

impl Default for Obj {
    fn default() -> Self {
        Self::new()
    }
}

impl Obj {
    pub fn new() -> Self {
        Obj {
            obj: Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little),
        }
    }

    pub fn section(&mut self, name: &str, kind: SectionKind, data: &[u8], align: u64) -> SectionId {
        let id = self
            .obj
            .add_section(Vec::new(), name.as_bytes().to_vec(), kind);
        if kind.is_bss() {
            self.obj.append_section_bss(id, data.len() as u64, align);
        } else {
            self.obj.append_section_data(id, data, align);
        }
        id
    }

    /// A section with explicit ELF type and flags (init arrays, TLS, ...).
    pub fn raw_section(
        &mut self,
        name: &str,
        sh_type: u32,
        sh_flags: u32,
        data: &[u8],
        align: u64,
    ) -> SectionId {
        let id = self.section(name, SectionKind::Elf(sh_type), data, align);
        self.obj.section_mut(id).flags = SectionFlags::Elf {
            sh_flags: u64::from(sh_flags),
        };
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn sym(
        &mut self,
        name: &str,
        kind: SymbolKind,
        scope: SymbolScope,
        weak: bool,
        section: SymbolSection,
        value: u64,
        size: u64,
    ) -> SymbolId {
        self.obj.add_symbol(Symbol {
            name: name.as_bytes().to_vec(),
            value,
            size,
            kind,
            scope,
            weak,
            section,
            flags: SymbolFlags::None,
        })
    }

    pub fn func(&mut self, name: &str, sec: SectionId, value: u64, size: u64) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Text,
            SymbolScope::Dynamic,
            false,
            SymbolSection::Section(sec),
            value,
            size,
        )
    }

    pub fn local_func(&mut self, name: &str, sec: SectionId, value: u64, size: u64) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Text,
            SymbolScope::Compilation,
            false,
            SymbolSection::Section(sec),
            value,
            size,
        )
    }

    pub fn weak_func(&mut self, name: &str, sec: SectionId, value: u64, size: u64) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Text,
            SymbolScope::Dynamic,
            true,
            SymbolSection::Section(sec),
            value,
            size,
        )
    }

    pub fn data(&mut self, name: &str, sec: SectionId, value: u64, size: u64) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Data,
            SymbolScope::Dynamic,
            false,
            SymbolSection::Section(sec),
            value,
            size,
        )
    }

    pub fn common(&mut self, name: &str, size: u64, align: u64) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Data,
            SymbolScope::Dynamic,
            false,
            SymbolSection::Common,
            align,
            size,
        )
    }

    pub fn undef(&mut self, name: &str) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Unknown,
            SymbolScope::Dynamic,
            false,
            SymbolSection::Undefined,
            0,
            0,
        )
    }

    pub fn weak_undef(&mut self, name: &str) -> SymbolId {
        self.sym(
            name,
            SymbolKind::Unknown,
            SymbolScope::Dynamic,
            true,
            SymbolSection::Undefined,
            0,
            0,
        )
    }

    pub fn section_sym(&mut self, sec: SectionId) -> SymbolId {
        self.obj.section_symbol(sec)
    }

    pub fn reloc(&mut self, sec: SectionId, offset: u64, sym: SymbolId, addend: i64, r_type: u32) {
        self.obj
            .add_relocation(
                sec,
                Relocation {
                    offset,
                    symbol: sym,
                    addend,
                    flags: RelocationFlags::Elf { r_type },
                },
            )
            .expect("relocation accepted");
    }

    pub fn input(&self, name: &str) -> LinkInput {
        LinkInput::new(name, self.obj.write().expect("object written"))
    }
}

/// `call rel32` followed by `ret`; the rel32 is at offset 1.
pub const CALL_RET: [u8; 6] = [0xe8, 0, 0, 0, 0, 0xc3];
/// `lea rel32(%rip),%rax` followed by `ret`; the rel32 is at offset 3.
pub const LEA_RET: [u8; 8] = [0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3];

pub fn read_u64(mem: &VecMemory, addr: u64) -> u64 {
    let mut b = [0u8; 8];
    mem.read(addr, &mut b).expect("readable");
    u64::from_le_bytes(b)
}

pub fn read_i32(mem: &VecMemory, addr: u64) -> i32 {
    let mut b = [0u8; 4];
    mem.read(addr, &mut b).expect("readable");
    i32::from_le_bytes(b)
}

/// Where a rel32 at `site` lands.
pub fn rel32_target(mem: &VecMemory, site: u64) -> u64 {
    (site as i64 + 4 + i64::from(read_i32(mem, site))) as u64
}

/// Which memory operation a [`FailingMemory`] should fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Commit,
    Write,
    Protect,
    StorePointer,
}

/// Wraps `VecMemory` and fails the n-th call of one operation (and every later one, unless
/// `once`), to test rollback after pages were committed.
pub struct FailingMemory<'a> {
    pub inner: &'a mut VecMemory,
    pub fail_on: FailOn,
    pub countdown: usize,
    /// Fail only the n-th call: later calls succeed (a transient failure).
    pub once: bool,
}

impl FailingMemory<'_> {
    fn tick(&mut self, op: FailOn, addr: u64, len: u64) -> Result<(), MemoryError> {
        if op == self.fail_on {
            if self.countdown == 0 {
                if self.once {
                    self.countdown = usize::MAX;
                }
                return Err(MemoryError::Other {
                    op: "injected",
                    addr,
                    len,
                    reason: format!("injected {op:?} failure"),
                });
            }
            self.countdown -= 1;
        }
        Ok(())
    }
}

impl LinkMemory for FailingMemory<'_> {
    fn commit(&mut self, addr: u64, len: u64) -> Result<(), MemoryError> {
        self.tick(FailOn::Commit, addr, len)?;
        self.inner.commit(addr, len)
    }

    fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        self.tick(FailOn::Write, addr, bytes.len() as u64)?;
        self.inner.write(addr, bytes)
    }

    fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError> {
        self.inner.read(addr, out)
    }

    fn protect(&mut self, addr: u64, len: u64, prot: Protection) -> Result<(), MemoryError> {
        self.tick(FailOn::Protect, addr, len)?;
        self.inner.protect(addr, len, prot)
    }

    fn flush_icache(&mut self, addr: u64, len: u64) {
        self.inner.flush_icache(addr, len)
    }

    fn store_pointer(&mut self, addr: u64, value: u64) -> Result<(), MemoryError> {
        self.tick(FailOn::StorePointer, addr, 8)?;
        self.inner.store_pointer(addr, value)
    }
}

/// The observable state of a session, to check that failed appends change nothing.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub generation: u64,
    pub cursors: Vec<u64>,
    pub symbols: Vec<(String, u64)>,
    pub relocs: usize,
    pub inputs: usize,
}

pub fn snapshot(s: &LinkSession) -> Snapshot {
    Snapshot {
        generation: s.generation(),
        cursors: cfree_link::SegmentClass::ALL
            .iter()
            .map(|c| s.cursor(*c))
            .collect(),
        symbols: s.symbols().map(|x| (x.name.to_string(), x.addr)).collect(),
        relocs: s.relocs().len(),
        inputs: s.inputs().len(),
    }
}

pub fn append(
    s: &mut LinkSession,
    mem: &mut dyn LinkMemory,
    resolver: &dyn SymbolResolver,
    inputs: Vec<LinkInput>,
) -> Result<cfree_link::AppendOutcome, LinkError> {
    s.append(inputs, mem, resolver)
}

#[allow(unused_imports)]
pub use elf::{
    R_X86_64_64, R_X86_64_GOTPCREL, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_REX_GOTPCRELX,
    R_X86_64_TPOFF32,
};

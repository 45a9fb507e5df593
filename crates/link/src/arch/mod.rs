//! Everything architecture-specific about linking, behind one trait.
//!
//! The session (resolution, placement, transactions, durable records) is generic; an
//! [`ArchBackend`] answers the questions only a psABI can: how a relocation type computes and
//! encodes its value, whether a PC-relative site is a branch that may be routed through a stub,
//! and how stubs and reloadable-function entries are encoded.

use std::borrow::Cow;
use std::fmt;

mod aarch64;
#[cfg(test)]
mod cross_tools;
mod riscv64;
mod x86_64;

pub use self::aarch64::Aarch64;
pub use self::riscv64::Riscv64;
pub use self::x86_64::X86_64;

/// The architectures the linker links for: the one target model's [`cfree_target::Arch`]
/// (every variant has a backend).
pub type LinkArch = cfree_target::Arch;
pub use cfree_target::UnsupportedArch;

/// The backend implementing `arch`'s relocations and stubs: the linker's one `match` on the
/// architecture.
pub fn backend(arch: LinkArch) -> &'static dyn ArchBackend {
    match arch {
        LinkArch::X86_64 => &X86_64,
        LinkArch::Aarch64 => &Aarch64,
        LinkArch::Riscv64 => &Riscv64,
    }
}

/// A relocation type as recorded durably: the ELF `r_type` of a given architecture.
///
/// Kept raw (not as a closed enum) so records survive unchanged when a backend learns new types,
/// and so every architecture shares one record format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RelocKind {
    pub arch: LinkArch,
    pub r_type: u32,
}

impl RelocKind {
    /// The psABI name (`R_X86_64_PLT32`), or `r_type N` for unknown numbers.
    pub fn name(&self) -> Cow<'static, str> {
        backend(self.arch).reloc_name(self.r_type)
    }
}

impl fmt::Display for RelocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// What the linker must provide for one relocation type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocClass {
    /// Writes nothing (`R_X86_64_NONE`).
    None,
    /// A thread-local storage model the JIT does not support (only general dynamic is).
    Tls,
    /// Meaningless in a relocatable object linked into a JIT image (dynamic-only types, IFUNC),
    /// or unknown to the backend.
    Unsupported,
    /// An ordinary relocation the backend applies.
    Apply(RelocInfo),
}

/// Properties of an applicable relocation type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelocInfo {
    /// Bytes written at the site.
    pub width: u8,
    /// The value involves a GOT cell holding the target's absolute address.
    pub needs_got_cell: bool,
    /// A PC-relative branch-capable type: if the target is out of range and the instruction at the
    /// site is a call or jump, the site may be redirected to a linker-made stub.
    pub branch: bool,
}

/// Inputs of a relocation computation, in psABI letters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelocValues {
    /// S: the target's address (or the stub's, when redirected).
    pub s: u64,
    /// A: the addend.
    pub a: i64,
    /// P: the address of the place being relocated.
    pub p: u64,
    /// G+GOT: the address of the target's GOT cell (only meaningful when `needs_got_cell`).
    pub got_cell: u64,
    /// GOT: the image's GOT base (`_GLOBAL_OFFSET_TABLE_`).
    pub got_base: u64,
    /// Z: the target symbol's size.
    pub size: u64,
}

/// Inputs of a relocation in a non-allocated section (`.debug_*`), applied when the section is
/// read back with final values rather than during the append (mold's non-alloc relocation
/// pass).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NonAllocValues {
    /// S: the target's final value: its runtime address, or, for a symbol of another debug
    /// section of the same input, its offset in the combined output section.
    pub s: u64,
    /// A: the addend.
    pub a: i64,
    /// For a thread-local target, its offset from the start of its TLS template (what the
    /// DTP-relative types encode); `None` for any other target.
    pub tls_offset: Option<u64>,
}

/// Why a backend could not apply or encode something.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum RelocError {
    #[error("value {value:#x} does not fit in the {bits}-bit field")]
    Overflow { value: i128, bits: u32 },
    #[error("relocation type is not supported")]
    Unsupported,
    #[error("site has {have} bytes, relocation writes {need}")]
    SiteTooSmall { have: usize, need: usize },
    /// The field drops low bits (scaled loads, instruction offsets) that the value has set.
    #[error("value {value:#x} is not a multiple of {align}")]
    Misaligned { value: i128, align: u32 },
    /// The relocation is well-formed for the psABI but cannot be honoured here.
    #[error("{0}")]
    Invalid(&'static str),
}

/// The symbol an embedder defines as the resolver of TLS descriptors (see
/// [`ArchBackend::is_tls_descriptor_reloc`]): called with the descriptor's address in the
/// first argument register, it returns the calling thread's address of the variable minus
/// the thread pointer, preserving every other register (the TLSDESC calling convention).
pub const TLS_DESCRIPTOR_RESOLVER: &str = "__cfree_tlsdesc_resolve";

/// Architecture-specific link knowledge.
///
/// Implementations are stateless; the session holds a `&'static dyn ArchBackend`.
pub trait ArchBackend: Send + Sync + fmt::Debug {
    fn arch(&self) -> LinkArch;

    /// `e_machine` of objects this backend links.
    fn elf_machine(&self) -> u16;

    /// Whether this architecture's objects use RELA (explicit addends). Objects with the other
    /// kind of relocation section are rejected.
    fn uses_rela(&self) -> bool;

    /// The psABI name of a relocation type, for messages.
    fn reloc_name(&self, r_type: u32) -> Cow<'static, str>;

    /// What `r_type` needs from the linker.
    fn classify(&self, r_type: u32) -> RelocClass;

    /// A general-dynamic TLS relocation: it must target a thread-local symbol, and the GOT
    /// cell it reaches (holding the symbol's template address) is the argument of the
    /// embedder's `__tls_get_addr`, which returns the calling thread's copy. No other
    /// relocation may target a thread-local symbol.
    fn is_tls_index_reloc(&self, _r_type: u32) -> bool {
        false
    }

    /// A TLS descriptor relocation (the TLSDESC dialect: AArch64's default, RISC-V's
    /// `-mtls-dialect=desc`): it must target a thread-local symbol, and the "GOT cell" it
    /// reaches is a two-word descriptor, `{resolver, template address}`. The code calls the
    /// resolver (the embedder's [`TLS_DESCRIPTOR_RESOLVER`]) with the descriptor's address
    /// and adds the thread pointer to what it returns. Types that only mark the call
    /// (`R_AARCH64_TLSDESC_CALL`) classify as `None`.
    fn is_tls_descriptor_reloc(&self, _r_type: u32) -> bool {
        false
    }

    /// Compute the value of `r_type` from `values`, check its range, and encode it into `site`
    /// (exactly the bytes at the relocation offset, at least `width` long).
    fn apply(&self, r_type: u32, values: &RelocValues, site: &mut [u8]) -> Result<(), RelocError>;

    /// Compute and encode a relocation of a non-allocated section (debug info) into `site`.
    /// Only absolute data types (and DTP-relative ones, for thread-local variables) make sense
    /// there; any other type is [`RelocError::Unsupported`], never silently skipped.
    fn apply_nonalloc(
        &self,
        r_type: u32,
        v: &NonAllocValues,
        site: &mut [u8],
    ) -> Result<(), RelocError>;

    /// Whether the PC-relative relocation at `offset` in the executable section `section` is the
    /// displacement of a call or jump (so it may go through a stub). Anything else — an address
    /// computation such as `lea` — must reach its target directly.
    fn is_branch_site(&self, r_type: u32, section: &[u8], offset: usize) -> bool;

    /// Whether a branch relocation whose S + A − P is `value` reaches its target without a stub.
    /// The default suits branches whose displacement fills the whole relocation width (x86-64
    /// rel32); architectures with narrower or split fields (AArch64 imm26, RISC-V AUIPC+JALR)
    /// override it.
    fn branch_reaches(&self, r_type: u32, value: i128) -> bool {
        match self.classify(r_type) {
            RelocClass::Apply(info) => fits_signed(value, u32::from(info.width) * 8),
            _ => true,
        }
    }

    /// Whether `r_type` is the low part of a PC-relative pair whose value comes from another
    /// relocation (RISC-V `%pcrel_lo`): its symbol (plus addend) names the address of the
    /// instruction carrying the high-part relocation, in the same object. For such types the
    /// session passes to [`apply`](Self::apply) the S, A and P *of that high part*, with S being
    /// where the high part actually reaches (its GOT cell when it goes through one), so the low
    /// part computes the same S + A − P as its high part.
    fn pcrel_lo_pair(&self, _r_type: u32) -> bool {
        false
    }

    /// For a branch relocation with addend `addend`, the offset from S of the instruction the
    /// branch lands on (x86-64: A + 4, because the displacement is relative to the next
    /// instruction). A stub for the branch jumps to S + this offset.
    fn branch_target_delta(&self, r_type: u32, addend: i64) -> i64;

    /// The relocation type that stores an absolute pointer (used for GOT-cell records).
    fn pointer_reloc(&self) -> u32;

    /// Size and alignment of a GOT cell (a pointer).
    fn got_cell_size(&self) -> u64 {
        8
    }

    /// Size of a stub made by [`encode_got_stub`](Self::encode_got_stub); also its alignment.
    fn got_stub_size(&self) -> u64;

    /// A stub at `stub_addr` that jumps to the address stored in the GOT cell at `cell_addr`.
    fn encode_got_stub(&self, stub_addr: u64, cell_addr: u64) -> Result<Vec<u8>, RelocError>;

    /// Size of a reloadable-function entry made by
    /// [`encode_reload_entry`](Self::encode_reload_entry); also its alignment.
    fn reload_entry_size(&self) -> u64;

    /// A reloadable function's stable entry at `entry_addr`, which jumps through the writable
    /// slot at `slot_addr` (hot reload swaps the slot, never the entry).
    fn encode_reload_entry(&self, entry_addr: u64, slot_addr: u64) -> Result<Vec<u8>, RelocError>;

    /// The largest image span (lowest to highest address of the reservation) for which every
    /// internal PC-relative reference is guaranteed to reach.
    fn max_image_span(&self) -> u64;
}

/// Two's-complement range check shared by backends: does `value` fit in a signed `bits` field?
pub(crate) fn fits_signed(value: i128, bits: u32) -> bool {
    let half = 1i128 << (bits - 1);
    (-half..half).contains(&value)
}

/// Does `value` fit in an unsigned `bits` field?
pub(crate) fn fits_unsigned(value: i128, bits: u32) -> bool {
    (0..(1i128 << bits)).contains(&value)
}

/// The little-endian value of the first `width` (at most 8) bytes of `site`: the psABI's V,
/// the bytes already at the place.
pub(crate) fn read_le(site: &[u8], width: usize) -> Result<u64, RelocError> {
    let have = site.len();
    let bytes = site
        .get(..width.min(8))
        .ok_or(RelocError::SiteTooSmall { have, need: width })?;
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    Ok(u64::from_le_bytes(buf))
}

/// Write the low `width` bytes of `value` little-endian into `site`.
pub(crate) fn write_le(site: &mut [u8], value: i128, width: usize) -> Result<(), RelocError> {
    let have = site.len();
    let dst = site
        .get_mut(..width)
        .ok_or(RelocError::SiteTooSmall { have, need: width })?;
    let bytes = (value as u128).to_le_bytes();
    dst.copy_from_slice(&bytes[..width]);
    Ok(())
}

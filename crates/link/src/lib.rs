//! cfree's incremental linker: ELF relocatable objects into a live, growing in-memory image.
//!
//! One [`LinkSession`] lives as long as the JIT. Each [`LinkSession::append`] links a batch of
//! objects next to what is already there, as a transaction: resolve and relocate first, write
//! second, publish last. Nothing already placed ever moves, so every address handed out stays
//! valid. The session writes through the [`LinkMemory`] trait and never maps memory or looks up
//! host symbols itself; the architecture-specific parts live behind [`ArchBackend`].

pub mod arch;
pub mod archive;
pub mod debug;
mod ehframe;
pub mod error;
pub mod image;
mod input;
pub mod layout;
pub mod memory;
pub mod session;

pub use arch::{
    backend, ArchBackend, LinkArch, NonAllocValues, RelocError, RelocKind, UnsupportedArch,
    TLS_DESCRIPTOR_RESOLVER,
};
pub use archive::{is_archive, select_members, select_members_with, Archive};
pub use debug::{DebugError, DebugPiece, DebugSection, DebugSections, DebugSite, ForeignTarget};
pub use error::{LinkError, RelocSite, Site, UndefinedRef, UndefinedSymbols};
pub use image::{
    AppendOutcome, Indirection, InputKind, InputRecord, InputReloc, InputSection, LinkInputId,
    LinkRelocApply, LinkSymId, LinkSymbol, ReloadFunc, RelocOwner, RelocVia, SectionPlacement,
    SymbolBinding, SymbolDef, SymbolEntry, SymbolKind, SymbolVisibility, TlsTemplate, Unbound,
};
pub use input::LinkInput;
pub use layout::{ClassRange, LayoutError, LinkLayout, Reservation, SegmentClass};
pub use memory::{
    LinkMemory, MapResolver, MemoryError, NoResolver, Protection, SymbolResolver, VecMemory,
};
pub use session::{AbiCheck, LinkSession};

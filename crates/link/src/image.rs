//! The read side of a live image: symbols, per-input records and durable relocation records.
//!
//! These records outlive the append that made them. The JIT view and the debugger need every
//! input's section addresses (to relocate DWARF), hot reload needs relocation records (to find
//! patch sites), and symbol iteration needs old and new symbols alike.

use crate::arch::RelocKind;
use crate::layout::SegmentClass;

/// Index of a symbol in the session's symbol table; stable for the session's lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkSymId(pub(crate) u32);

impl LinkSymId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of an input (an object, or the linker's own per-append input); stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkInputId(pub(crate) u32);

impl LinkInputId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Function,
    Data,
    /// A section symbol (named after its section).
    Section,
    /// A linker-made call stub (`name@plt`).
    Stub,
    /// A linker-made GOT cell (`name@got`).
    GotCell,
    /// A symbol outside the image (resolver, undefined weak, linker-defined constants).
    External,
    /// One generation's body of a reloadable function (`foo$body$N`). The public name is the
    /// stable entry (a [`Function`](Self::Function) made by the linker); bodies are internal,
    /// so [`LinkSession::symbols`](crate::LinkSession::symbols) leaves them out.
    ReloadBody,
    /// The writable pointer cell a reloadable entry jumps through (`foo$slot`).
    ReloadSlot,
    /// A thread-local object (`STT_TLS`). Its address is its place in a TLS template
    /// ([`AppendOutcome::tls`]); code reaches each thread's copy only through TLS relocations.
    ThreadLocal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolBinding {
    Local,
    Global,
    Weak,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolVisibility {
    Default,
    Internal,
    Hidden,
    Protected,
}

/// Where a symbol's address comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolDef {
    /// Defined in a placed section of an object input (`section` is the ELF section index).
    Section { input: LinkInputId, section: u32 },
    /// Defined in a non-allocated section (debug info); the address is the section offset.
    NonAlloc { input: LinkInputId, section: u32 },
    /// `SHN_ABS`: the value is the address.
    Absolute { input: LinkInputId },
    /// Made by the linker in that append's linker input (COMMON storage, GOT cells, stubs).
    Linker { input: LinkInputId, section: u32 },
    /// Found through the `SymbolResolver` (libc, host symbols).
    External,
    /// An undefined weak reference nobody defines: address 0.
    UndefinedWeak,
    /// A name the linker defines itself (`_GLOBAL_OFFSET_TABLE_`).
    LinkerDefined,
}

impl SymbolDef {
    /// Whether the symbol's bytes live in the image.
    pub fn in_image(&self) -> bool {
        matches!(self, SymbolDef::Section { .. } | SymbolDef::Linker { .. })
    }

    pub fn input(&self) -> Option<LinkInputId> {
        match *self {
            SymbolDef::Section { input, .. }
            | SymbolDef::NonAlloc { input, .. }
            | SymbolDef::Absolute { input }
            | SymbolDef::Linker { input, .. } => Some(input),
            SymbolDef::External | SymbolDef::UndefinedWeak | SymbolDef::LinkerDefined => None,
        }
    }
}

/// One symbol of the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolEntry {
    pub name: String,
    pub addr: u64,
    pub size: u64,
    pub kind: SymbolKind,
    pub binding: SymbolBinding,
    pub visibility: SymbolVisibility,
    pub def: SymbolDef,
}

/// A borrowed view of one symbol, as returned by iteration and lookups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkSymbol<'a> {
    pub id: LinkSymId,
    pub name: &'a str,
    pub addr: u64,
    pub size: u64,
    pub kind: SymbolKind,
    pub binding: SymbolBinding,
    pub visibility: SymbolVisibility,
    pub def: SymbolDef,
}

impl<'a> LinkSymbol<'a> {
    pub(crate) fn new(id: LinkSymId, e: &'a SymbolEntry) -> Self {
        LinkSymbol {
            id,
            name: &e.name,
            addr: e.addr,
            size: e.size,
            kind: e.kind,
            binding: e.binding,
            visibility: e.visibility,
            def: e.def,
        }
    }
}

/// What produced an input record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// An ELF relocatable object passed to `append`.
    Object,
    /// The linker's own sections of one append: COMMON storage, GOT cells, stubs.
    Linker,
}

/// A relocation of a non-allocated section, kept unapplied so later work (the JIT view's
/// in-memory ELF, DWARF) can apply it with the final addresses
/// ([`LinkSession::debug_sections`](crate::LinkSession::debug_sections)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputReloc {
    pub offset: u64,
    pub kind: RelocKind,
    /// The symbol the value comes from. A symbol the input defines itself binds to that
    /// definition, even where references in code bind elsewhere: debug info describes the
    /// input's own code, so a reloadable function's DWARF names its body (`foo$body$N`), not
    /// the public entry, and a weak definition that lost keeps describing its own bytes.
    /// `None` for ELF symbol 0 (the value is the addend alone) and for symbols that did not
    /// bind (then [`unbound`](Self::unbound) says why).
    pub target: Option<LinkSymId>,
    pub addend: i64,
    /// Why a relocation that names a symbol has no `target`.
    pub unbound: Option<Unbound>,
}

/// Why the symbol of a kept non-alloc relocation did not bind to anything in the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unbound {
    /// The symbol is defined in a section this link dropped (a COMDAT group that lost). Debug
    /// info about that code is dead; linkers write a tombstone value (mold's convention).
    Discarded { symbol: String },
    /// Nobody defines the name (only non-allocated sections refer to it, so the append itself
    /// did not need it).
    Undefined { symbol: String },
}

/// Where an input section ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionPlacement {
    /// Placed in the image. `size` is the placed size (for `.eh_frame`, after dropping FDEs of
    /// discarded sections and appending the 4-byte terminator).
    Image {
        class: SegmentClass,
        addr: u64,
        size: u64,
    },
    /// Not allocated; kept as data with its relocations (`.debug_*`, `.cfree.abisig`).
    NonAlloc {
        data: Vec<u8>,
        relocs: Vec<InputReloc>,
    },
    /// Dropped because another input's COMDAT group with the same signature won.
    Discarded,
    /// Not part of the link (symbol tables, notes, `.comment`, ...).
    Ignored,
}

/// One section of an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSection {
    /// ELF section index within the object (linker inputs number their sections from 1).
    pub index: u32,
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    /// `sh_size` in the object.
    pub size: u64,
    pub placement: SectionPlacement,
}

impl InputSection {
    /// The image address, if the section was placed.
    pub fn addr(&self) -> Option<u64> {
        match self.placement {
            SectionPlacement::Image { addr, .. } => Some(addr),
            _ => None,
        }
    }
}

/// Everything kept about one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRecord {
    pub id: LinkInputId,
    pub name: String,
    pub kind: InputKind,
    /// The generation this input became part of the image in.
    pub generation: u64,
    /// By ELF section index for objects (index 0 is the null section).
    pub sections: Vec<InputSection>,
    /// ELF symbol index → session symbol. Undefined symbols map to what they resolved to;
    /// `None` for the null symbol, file symbols and symbols of discarded sections.
    pub symbols: Vec<Option<LinkSymId>>,
}

impl InputRecord {
    pub fn section_by_name(&self, name: &str) -> Option<&InputSection> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// Which part of the image owns a relocation record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocOwner {
    /// A relocation from an object: input and ELF section index.
    Input { input: LinkInputId, section: u32 },
    /// A linker-made cell (GOT cell) in the append's linker input.
    Linker { input: LinkInputId, section: u32 },
}

/// How a relocation reached its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocVia {
    /// The value was computed from the target's address.
    Direct,
    /// Through the GOT cell at this address (which holds the target's address).
    GotCell(u64),
    /// A call/jump redirected to the stub at this address (the target was out of reach).
    Stub(u64),
}

/// A durable relocation record: enough to re-apply the relocation later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRelocApply {
    /// Image address written.
    pub vaddr: u64,
    /// Bytes written.
    pub width: u8,
    pub kind: RelocKind,
    /// `None` only for relocations against ELF symbol 0 (absolute addend).
    pub target: Option<LinkSymId>,
    pub addend: i64,
    pub owner: RelocOwner,
    pub via: RelocVia,
}

/// How exported functions are linked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Indirection {
    /// Calls and address-taking bind to the body directly; nothing pays for indirection and
    /// nothing can be reloaded.
    #[default]
    None,
    /// Every function with external linkage gets a stable entry that jumps through a writable
    /// slot, so its body can be replaced later (HOT_RELOAD.md §5–§7).
    ExportedFuncs,
}

/// The link-time record of one reloadable function (HOT_RELOAD.md §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReloadFunc {
    /// The public, stable entry: what lookups, relocations and address-taking see.
    pub entry: LinkSymId,
    pub entry_addr: u64,
    /// The pointer cell holding the active body's address.
    pub slot: LinkSymId,
    pub slot_addr: u64,
    /// Every body generation, oldest first; the last is the active one. Old bodies stay mapped
    /// so frames still running in them can finish.
    pub bodies: Vec<LinkSymId>,
}

impl ReloadFunc {
    /// The active body.
    pub fn body(&self) -> LinkSymId {
        // `bodies` is never empty: the record is created with its first body.
        self.bodies[self.bodies.len() - 1]
    }

    /// How many times the function was replaced (0 before the first reload).
    pub fn reloads(&self) -> usize {
        self.bodies.len() - 1
    }
}

/// What one successful append produced for the embedder to act on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppendOutcome {
    /// The generation the image reached with this append.
    pub generation: u64,
    /// The object inputs of this append, in order.
    pub inputs: Vec<LinkInputId>,
    /// Constructor addresses to run, in order (`.preinit_array`, `.init_array`, `.ctors`, by
    /// priority then input order). Null and -1 entries (old `.ctors` sentinels) are skipped.
    pub init_array: Vec<u64>,
    /// Destructor addresses in table order (`.fini_array`, `.dtors`); run them last-to-first,
    /// i.e. register them with `atexit` in this order.
    pub fini_array: Vec<u64>,
    /// (address, length) of each relocated `.eh_frame` in the image, including its 4-byte zero
    /// terminator, ready for `__register_frame`.
    pub eh_frame: Vec<(u64, u64)>,
    /// The TLS templates of this append (one per placed `.tdata`/`.tbss` input section). The
    /// embedder's `__tls_get_addr` gives each thread its own copy of a template, initialised
    /// from its first `init_len` bytes (the rest zero).
    pub tls: Vec<TlsTemplate>,
}

/// One TLS template in the image: see [`AppendOutcome::tls`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlsTemplate {
    pub addr: u64,
    pub size: u64,
    /// Bytes to copy from the template (`.tdata`); 0 for `.tbss`.
    pub init_len: u64,
    pub align: u64,
}

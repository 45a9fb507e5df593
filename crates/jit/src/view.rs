//! The JIT view: an in-memory ELF file describing the live image at its runtime addresses.
//!
//! Debuggers and inspection tools understand ELF files, not link sessions. The view gives them
//! one: an `ET_EXEC` ELF64 whose section headers sit at the addresses the sections occupy in
//! this process, whose contents are copied from live memory (so relocations, GOT cells and
//! stubs appear exactly as the CPU sees them), and whose `.symtab` lists every function and
//! data symbol the session has placed. Loading it into GDB (or registering it through GDB's
//! JIT interface) therefore needs no relocation: addresses in the file *are* the addresses in
//! the process.
//!
//! The view is a snapshot: it is rebuilt from the session's public read API each time, so it
//! stays correct across appends (nothing placed ever moves, so old entries keep their values).
//! DWARF is included: each `.debug_*` section of the view is the concatenation of every input's
//! piece, relocated with final values by the linker ([`LinkSession::debug_sections`]), so
//! line tables, scopes and types describe code at its runtime addresses, old generations'
//! bodies included.
//!
//! [`build_generation_view`] describes only what one generation (one append or reload) added:
//! the GDB JIT interface registers one such object per append, so registering the 2000th
//! append costs what the first did.

use std::collections::{BTreeMap, HashMap, HashSet};

use cfree_link::{
    DebugError, DebugSection, DebugSections, InputRecord, LinkInputId, LinkMemory, LinkSession,
    LinkSymId, LinkSymbol, MemoryError, SectionPlacement, SegmentClass, SymbolBinding, SymbolDef,
    SymbolKind, SymbolVisibility,
};
use object::elf;
use object::write::elf::{FileHeader, SectionHeader, SectionIndex, Sym, Writer};
use object::Endianness;

/// Largest file alignment honoured for section contents. Section alignment matters for the
/// runtime address (already decided by the linker), not for the file offset, so huge
/// alignments (2 MiB-aligned data) are capped rather than padded out in the view.
const MAX_FILE_ALIGN: u64 = 4096;

/// Why a view could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// Live memory of a placed section could not be read back.
    #[error("reading section `{section}` of {input} at {addr:#x}+{size:#x}: {source}")]
    Memory {
        section: String,
        input: String,
        addr: u64,
        size: u64,
        #[source]
        source: MemoryError,
    },
    /// A section is larger than this host can hold in one buffer.
    #[error("section `{section}` of {input} is too large for a view ({size:#x} bytes)")]
    TooLarge {
        section: String,
        input: String,
        size: u64,
    },
    /// ELF string tables cannot hold names with NUL bytes.
    #[error("{what} name {name:?} contains a NUL byte")]
    BadName { what: &'static str, name: String },
    /// The session's records disagree with each other (a symbol in a section that is not placed).
    #[error(
        "symbol `{symbol}` is defined in section {section} of input {input}, which is not placed in the image"
    )]
    Inconsistent {
        symbol: String,
        input: usize,
        section: u32,
    },
    /// The ELF writer failed (buffer allocation).
    #[error("writing the view: {0}")]
    Write(#[from] object::write::Error),
    /// The debug sections could not be relocated (a relocation type debug info cannot use).
    /// Boxed: relocation errors carry 128-bit values, which would double every `Result`.
    #[error("debug info: {0}")]
    Debug(Box<DebugError>),
}

impl From<DebugError> for ViewError {
    fn from(e: DebugError) -> Self {
        ViewError::Debug(Box::new(e))
    }
}

/// One section of the view, before file offsets are assigned.
struct ViewSection<'s> {
    name: &'s str,
    input: LinkInputId,
    /// ELF section index within the input (the key symbols refer to).
    section: u32,
    sh_type: u32,
    sh_flags: u64,
    addr: u64,
    size: u64,
    align: u64,
    /// Contents read from live memory; empty for `SHT_NOBITS`.
    data: Vec<u8>,
}

/// One symbol of the view.
struct ViewSymbol<'s> {
    name: &'s str,
    value: u64,
    size: u64,
    st_info: u8,
    st_other: u8,
    /// The view section holding the symbol, by `(input, section)` key; `None` for `SHN_ABS`.
    key: Option<(LinkInputId, u32)>,
}

/// The local symbols of one input, introduced in the symbol table by an `STT_FILE` entry so
/// tools can tell same-named statics of different objects apart.
struct LocalGroup<'s> {
    /// The input's name; `None` leaves the `STT_FILE` entry out.
    file: Option<&'s str>,
    symbols: Vec<ViewSymbol<'s>>,
}

/// Build an ELF file describing the live image of `session`, with contents read from `memory`
/// (the memory the session linked into).
///
/// Every placed section of every input (object sections and the linker's own `.cfree.*`
/// sections: COMMON storage, GOT cells, stubs, reloadable entries and slots) becomes a section
/// at its runtime address; empty sections are left out unless a symbol is defined in them.
/// Every function and data symbol in the image (including reloadable functions' internal
/// `name$body$N` bodies and `name$slot` cells), plus absolute symbols, goes into `.symtab`. Global definitions that lost symbol resolution (a weak
/// definition overridden elsewhere) are kept but demoted to local binding, so the view's
/// global namespace agrees with [`LinkSession::lookup`]. Symbols outside the image (host and
/// library functions) are omitted.
pub fn build_view(session: &LinkSession, memory: &dyn LinkMemory) -> Result<Vec<u8>, ViewError> {
    let debug = session.debug_sections()?;
    build(
        session,
        memory,
        session.inputs(),
        session.all_symbols(),
        &debug,
    )
}

/// Like [`build_view`], describing only what generation `generation` added: its inputs'
/// placed sections, the symbols it defined, and its inputs' DWARF. Costs time and memory
/// proportional to that generation, not to the image. An unknown generation gives an ELF with
/// no sections.
pub fn build_generation_view(
    session: &LinkSession,
    memory: &dyn LinkMemory,
    generation: u64,
) -> Result<Vec<u8>, ViewError> {
    let inputs = session.generation_inputs(generation);
    let ids: Vec<LinkInputId> = inputs.iter().map(|r| r.id).collect();
    let debug = session.debug_sections_of(&ids)?;
    generation_view_with(session, memory, generation, &debug)
}

/// [`build_generation_view`] with the debug sections given (empty ones leave DWARF out).
pub(crate) fn generation_view_with(
    session: &LinkSession,
    memory: &dyn LinkMemory,
    generation: u64,
    debug: &DebugSections,
) -> Result<Vec<u8>, ViewError> {
    build(
        session,
        memory,
        session.generation_inputs(generation),
        session.generation_symbols(generation),
        debug,
    )
}

/// The view of `inputs` (their placed sections), `symbols` (plus the absolute symbols of
/// `inputs`) and `debug`.
fn build<'s>(
    session: &'s LinkSession,
    memory: &dyn LinkMemory,
    inputs: &'s [InputRecord],
    symbols: impl Iterator<Item = LinkSymbol<'s>>,
    debug: &DebugSections,
) -> Result<Vec<u8>, ViewError> {
    let ViewSymbols { locals, globals } = collect_symbols(session, inputs, symbols)?;

    let referenced: HashSet<(LinkInputId, u32)> = locals
        .iter()
        .flat_map(|g| g.symbols.iter())
        .chain(globals.iter())
        .filter_map(|s| s.key)
        .collect();
    let sections = collect_sections(inputs, &referenced, memory)?;
    let debug: Vec<&DebugSection> = debug.iter().collect();
    write_elf(session, &sections, &debug, &locals, &globals)
}

/// Placed sections worth describing, read from memory, sorted by address.
fn collect_sections<'s>(
    inputs: &'s [InputRecord],
    referenced: &HashSet<(LinkInputId, u32)>,
    memory: &dyn LinkMemory,
) -> Result<Vec<ViewSection<'s>>, ViewError> {
    let mut out = Vec::new();
    for input in inputs {
        for sec in &input.sections {
            let SectionPlacement::Image { class, addr, size } = sec.placement else {
                continue;
            };
            if size == 0 && !referenced.contains(&(input.id, sec.index)) {
                continue;
            }
            if sec.name.as_bytes().contains(&0) {
                return Err(ViewError::BadName {
                    what: "section",
                    name: sec.name.clone(),
                });
            }
            let nobits = sec.sh_type == elf::SHT_NOBITS;
            let data = if nobits {
                Vec::new()
            } else {
                let len = usize::try_from(size).map_err(|_| ViewError::TooLarge {
                    section: sec.name.clone(),
                    input: input.name.clone(),
                    size,
                })?;
                let mut buf = Vec::new();
                buf.try_reserve_exact(len)
                    .map_err(|_| ViewError::TooLarge {
                        section: sec.name.clone(),
                        input: input.name.clone(),
                        size,
                    })?;
                buf.resize(len, 0);
                memory
                    .read(addr, &mut buf)
                    .map_err(|source| ViewError::Memory {
                        section: sec.name.clone(),
                        input: input.name.clone(),
                        addr,
                        size,
                        source,
                    })?;
                buf
            };
            out.push(ViewSection {
                name: &sec.name,
                input: input.id,
                section: sec.index,
                // Keep the input's type (PROGBITS, NOBITS, INIT_ARRAY, the psABI's unwind
                // type for .eh_frame) so tools recognise the section as they would in a
                // linked file; a null type would hide the section from most tools.
                sh_type: if sec.sh_type == elf::SHT_NULL {
                    elf::SHT_PROGBITS
                } else {
                    sec.sh_type
                },
                sh_flags: class_flags(class),
                addr,
                size,
                align: sec.align.max(1),
                data,
            });
        }
    }
    // Address order reads naturally in `readelf -S` and lets tools binary-search the table.
    out.sort_by_key(|s| (s.addr, s.size, s.input, s.section));
    Ok(out)
}

/// Section flags implied by a segment class: what the memory really permits at runtime, not
/// what the input asked for (merge/string flags describe input contents, not the image).
fn class_flags(class: SegmentClass) -> u64 {
    let extra = match class {
        SegmentClass::Rx => elf::SHF_EXECINSTR,
        SegmentClass::Rw => elf::SHF_WRITE,
        _ => 0,
    };
    u64::from(elf::SHF_ALLOC | extra)
}

/// The symbols of the view, in symbol-table order.
struct ViewSymbols<'s> {
    /// Locals grouped by input (in input order); ELF wants all locals before the globals.
    locals: Vec<LocalGroup<'s>>,
    /// Globals and weaks, in definition order.
    globals: Vec<ViewSymbol<'s>>,
}

/// Every symbol of the view: `symbols`, plus the absolute symbols `inputs` define.
fn collect_symbols<'s>(
    session: &'s LinkSession,
    inputs: &'s [InputRecord],
    symbols: impl Iterator<Item = LinkSymbol<'s>>,
) -> Result<ViewSymbols<'s>, ViewError> {
    // `all_symbols()` lists what is in the image, including the internal bodies and slots of
    // reloadable functions (a debugger stopped inside an old body must still name it).
    // Absolute symbols are not in the image but are real definitions from the objects,
    // reachable only through the inputs' symbol maps.
    let mut seen: HashSet<LinkSymId> = HashSet::new();
    let mut all: Vec<LinkSymbol<'_>> = Vec::new();
    for sym in symbols {
        if seen.insert(sym.id) {
            all.push(sym);
        }
    }
    for input in inputs {
        for id in input.symbols.iter().flatten() {
            if seen.contains(id) {
                continue;
            }
            let Some(sym) = session.symbol(*id) else {
                continue;
            };
            let listed = matches!(sym.def, SymbolDef::Absolute { .. })
                && sym.kind != SymbolKind::Section
                && !sym.name.is_empty()
                && !(sym.binding == SymbolBinding::Local && sym.name.starts_with(".L"));
            if listed {
                seen.insert(*id);
                all.push(sym);
            }
        }
    }
    all.sort_by_key(|s| s.id);

    let mut by_input: BTreeMap<Option<LinkInputId>, Vec<ViewSymbol<'_>>> = BTreeMap::new();
    let mut globals = Vec::new();
    for sym in all {
        if sym.name.as_bytes().contains(&0) {
            return Err(ViewError::BadName {
                what: "symbol",
                name: sym.name.to_string(),
            });
        }
        let key = match sym.def {
            SymbolDef::Section { input, section } | SymbolDef::Linker { input, section } => {
                Some((input, section))
            }
            _ => None,
        };
        // A global or weak definition that is not what its name resolves to (it lost to an
        // earlier or stronger definition) would give tools two answers for one name.
        let winner = sym.binding == SymbolBinding::Local
            || session
                .lookup_symbol(sym.name)
                .is_some_and(|w| w.id == sym.id);
        let bind = match sym.binding {
            _ if !winner => elf::STB_LOCAL,
            SymbolBinding::Local => elf::STB_LOCAL,
            SymbolBinding::Global => elf::STB_GLOBAL,
            SymbolBinding::Weak => elf::STB_WEAK,
        };
        let typ = match (sym.kind, key) {
            // The session does not keep the type of absolute symbols, which are usually
            // constants rather than objects.
            (_, None) => elf::STT_NOTYPE,
            (SymbolKind::Function | SymbolKind::Stub | SymbolKind::ReloadBody, _) => elf::STT_FUNC,
            // Thread-locals are shown at their template address (the image has no PT_TLS).
            (
                SymbolKind::Data
                | SymbolKind::GotCell
                | SymbolKind::ReloadSlot
                | SymbolKind::ThreadLocal,
                _,
            ) => elf::STT_OBJECT,
            // Not listed by the session; kept typeless should that change.
            (SymbolKind::Section | SymbolKind::External, _) => elf::STT_NOTYPE,
        };
        let vis = match sym.visibility {
            SymbolVisibility::Default => elf::STV_DEFAULT,
            SymbolVisibility::Internal => elf::STV_INTERNAL,
            SymbolVisibility::Hidden => elf::STV_HIDDEN,
            SymbolVisibility::Protected => elf::STV_PROTECTED,
        };
        let entry = ViewSymbol {
            name: sym.name,
            value: sym.addr,
            size: sym.size,
            st_info: (bind << 4) | (typ & 0xf),
            st_other: vis,
            key,
        };
        if bind == elf::STB_LOCAL {
            by_input.entry(sym.def.input()).or_default().push(entry);
        } else {
            globals.push(entry);
        }
    }

    let mut locals = Vec::new();
    for (id, symbols) in by_input {
        // Every listed symbol comes from an input; a stray one without gets no STT_FILE.
        let file = id.and_then(|id| session.input(id)).map(|r| r.name.as_str());
        if let Some(name) = file.filter(|n| n.as_bytes().contains(&0)) {
            return Err(ViewError::BadName {
                what: "input",
                name: name.to_string(),
            });
        }
        locals.push(LocalGroup { file, symbols });
    }
    Ok(ViewSymbols { locals, globals })
}

/// Lay out and write the ELF file.
fn write_elf(
    session: &LinkSession,
    sections: &[ViewSection<'_>],
    debug: &[&DebugSection],
    locals: &[LocalGroup<'_>],
    globals: &[ViewSymbol<'_>],
) -> Result<Vec<u8>, ViewError> {
    let mut buffer = Vec::new();
    let mut w = Writer::new(Endianness::Little, true, &mut buffer);

    // Phase 1: reserve indices, names and file ranges, in the order they will be written.
    w.reserve_file_header();
    let mut index_of: HashMap<(LinkInputId, u32), SectionIndex> = HashMap::new();
    let mut headers = Vec::with_capacity(sections.len());
    for s in sections {
        let name = (!s.name.is_empty()).then(|| w.add_section_name(s.name.as_bytes()));
        let index = w.reserve_section_index();
        index_of.insert((s.input, s.section), index);
        headers.push(name);
    }
    let mut debug_headers = Vec::with_capacity(debug.len());
    for d in debug {
        if d.name.as_bytes().contains(&0) {
            return Err(ViewError::BadName {
                what: "section",
                name: d.name.clone(),
            });
        }
        let name = w.add_section_name(d.name.as_bytes());
        w.reserve_section_index();
        debug_headers.push(name);
    }
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();

    let section_of = |s: &ViewSymbol<'_>| -> Result<Option<SectionIndex>, ViewError> {
        match s.key {
            None => Ok(None),
            Some(key) => {
                index_of
                    .get(&key)
                    .copied()
                    .map(Some)
                    .ok_or_else(|| ViewError::Inconsistent {
                        symbol: s.name.to_string(),
                        input: key.0.index(),
                        section: key.1,
                    })
            }
        }
    };

    // Symbols in table order: null, per input an STT_FILE then its locals, then globals.
    let mut table: Vec<Sym> = Vec::new();
    for group in locals {
        if let Some(file) = group.file {
            let name = (!file.is_empty()).then(|| w.add_string(file.as_bytes()));
            w.reserve_symbol_index(None);
            table.push(Sym {
                name,
                section: None,
                st_info: (elf::STB_LOCAL << 4) | elf::STT_FILE,
                st_other: elf::STV_DEFAULT,
                st_shndx: elf::SHN_ABS,
                st_value: 0,
                st_size: 0,
            });
        }
        for s in &group.symbols {
            table.push(view_sym(&mut w, s, section_of(s)?));
        }
    }
    let num_local = u32::try_from(table.len() + 1).unwrap_or(u32::MAX);
    for s in globals {
        table.push(view_sym(&mut w, s, section_of(s)?));
    }
    if w.symtab_shndx_needed() {
        w.reserve_symtab_shndx_section_index();
    }

    let mut offsets = Vec::with_capacity(sections.len());
    for s in sections {
        if s.sh_type == elf::SHT_NOBITS {
            offsets.push(w.reserved_len());
        } else {
            offsets.push(w.reserve(s.data.len(), file_align(s.align)));
        }
    }
    let debug_offsets: Vec<usize> = debug
        .iter()
        .map(|d| w.reserve(d.data.len(), file_align(d.align)))
        .collect();
    w.reserve_symtab();
    w.reserve_symtab_shndx();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    // Phase 2: write everything in the reserved order.
    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        // Absolute addresses, nothing to relocate: an executable's view of its sections.
        e_type: elf::ET_EXEC,
        e_machine: cfree_link::backend(session.arch()).elf_machine(),
        e_entry: 0,
        e_flags: 0,
    })?;
    for s in sections {
        if s.sh_type != elf::SHT_NOBITS {
            w.write_align(file_align(s.align));
            w.write(&s.data);
        }
    }
    for d in debug {
        w.write_align(file_align(d.align));
        w.write(&d.data);
    }
    w.write_null_symbol();
    for sym in &table {
        w.write_symbol(sym);
    }
    w.write_symtab_shndx();
    w.write_strtab();
    w.write_shstrtab();

    w.write_null_section_header();
    for ((s, name), offset) in sections.iter().zip(&headers).zip(&offsets) {
        w.write_section_header(&SectionHeader {
            name: *name,
            sh_type: s.sh_type,
            sh_flags: s.sh_flags,
            sh_addr: s.addr,
            sh_offset: *offset as u64,
            sh_size: s.size,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: s.align,
            sh_entsize: 0,
        });
    }
    for ((d, name), offset) in debug.iter().zip(debug_headers).zip(debug_offsets) {
        // Not allocated: no address, as in a linked executable.
        w.write_section_header(&SectionHeader {
            name: Some(name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: 0,
            sh_addr: 0,
            sh_offset: offset as u64,
            sh_size: d.data.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: d.align,
            sh_entsize: 0,
        });
    }
    w.write_symtab_section_header(num_local);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    w.write_symtab_shndx_section_header();
    Ok(buffer)
}

/// Reserve one symbol's index and name and build its table entry.
fn view_sym<'s>(w: &mut Writer<'s>, s: &ViewSymbol<'s>, section: Option<SectionIndex>) -> Sym {
    let name = (!s.name.is_empty()).then(|| w.add_string(s.name.as_bytes()));
    w.reserve_symbol_index(section);
    Sym {
        name,
        section,
        st_info: s.st_info,
        st_other: s.st_other,
        st_shndx: if section.is_none() { elf::SHN_ABS } else { 0 },
        st_value: s.value,
        st_size: s.size,
    }
}

/// File alignment for a section's contents: its own alignment when that is a sane power of
/// two, so `readelf -x` and friends see naturally aligned data.
fn file_align(align: u64) -> usize {
    let a = if align.is_power_of_two() {
        align.min(MAX_FILE_ALIGN)
    } else {
        1
    };
    a as usize
}

//! Reading one ELF relocatable object into owned, linker-shaped data.
//!
//! Parsing is the first step of an append and touches nothing in the session, so a malformed
//! object fails the append before any state changes. Everything is copied out of the `object`
//! crate's borrowed views because the session keeps per-input records for the JIT's lifetime.

use object::elf;
use object::read::elf::{FileHeader, Rela, SectionHeader, Sym};
use object::Endianness;

use crate::arch::ArchBackend;
use crate::error::LinkError;
use crate::layout::SegmentClass;

/// An ELF relocatable object to link.
#[derive(Clone, Debug)]
pub struct LinkInput {
    /// Shown in every error about this input (a file name or a snippet label).
    pub name: String,
    /// The complete object file.
    pub bytes: Vec<u8>,
}

impl LinkInput {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        LinkInput {
            name: name.into(),
            bytes,
        }
    }
}

/// Constructor/destructor table kinds, ordered the way GNU ld merges them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableKind {
    PreinitArray,
    InitArray,
    FiniArray,
    /// Legacy `.ctors`: entries run last-to-first, so they enter the init list reversed.
    Ctors,
    /// Legacy `.dtors`: entries run first-to-last, so they enter the fini list reversed.
    Dtors,
}

/// What a section contributes to the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SectionRole {
    /// Structural or irrelevant (symbol/string/relocation tables, groups, notes, `.comment`,
    /// `SHF_EXCLUDE`).
    Ignored,
    /// Placed in the image.
    Alloc {
        class: SegmentClass,
        nobits: bool,
        special: Special,
    },
    /// Kept as data in the input record (`.debug_*`, `.cfree.abisig`), never placed.
    NonAlloc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    None,
    /// `.eh_frame`: placed in R with a zero terminator and reported for `__register_frame`.
    EhFrame,
    /// A constructor/destructor table with its init priority (`None` = default, runs last).
    Table(TableKind, Option<u32>),
    /// `.tdata`/`.tbss` (`SHF_TLS`): placed as a template that threads copy; reported in
    /// `AppendOutcome::tls`.
    Tls,
}

#[derive(Clone, Debug)]
pub(crate) struct ParsedReloc {
    pub offset: u64,
    pub r_type: u32,
    pub sym: u32,
    pub addend: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct ParsedSection {
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    /// `sh_size` (for NOBITS the zero-filled size; otherwise `data.len()`).
    pub size: u64,
    pub data: Vec<u8>,
    pub relocs: Vec<ParsedReloc>,
    pub role: SectionRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SymSection {
    Undefined,
    Absolute,
    Common,
    Section(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct ParsedSymbol {
    pub name: String,
    pub value: u64,
    pub size: u64,
    pub bind: u8,
    pub typ: u8,
    pub visibility: u8,
    pub section: SymSection,
}

impl ParsedSymbol {
    pub fn is_local(&self) -> bool {
        self.bind == elf::STB_LOCAL
    }

    pub fn is_weak(&self) -> bool {
        self.bind == elf::STB_WEAK
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ParsedGroup {
    pub signature: String,
    pub comdat: bool,
    pub members: Vec<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct ParsedObject {
    pub name: String,
    /// By ELF section index (index 0 is the null section).
    pub sections: Vec<ParsedSection>,
    /// By ELF symbol index (index 0 is the null symbol).
    pub symbols: Vec<ParsedSymbol>,
    pub groups: Vec<ParsedGroup>,
}

impl ParsedObject {
    /// The defined, named symbol containing `offset` in section `sec` (sized symbols first,
    /// otherwise the nearest preceding one), for error messages.
    pub fn enclosing_symbol(&self, sec: usize, offset: u64) -> Option<&str> {
        let mut nearest: Option<&ParsedSymbol> = None;
        for s in &self.symbols {
            if s.section != SymSection::Section(sec)
                || s.name.is_empty()
                || s.typ == elf::STT_SECTION
                || s.typ == elf::STT_FILE
                || s.value > offset
            {
                continue;
            }
            if s.size > 0 && offset < s.value.saturating_add(s.size) {
                return Some(&s.name);
            }
            if nearest.is_none_or(|n| n.value < s.value) {
                nearest = Some(s);
            }
        }
        nearest.map(|s| s.name.as_str())
    }

    /// The name to show for symbol `index` (section symbols are shown by section name).
    pub fn symbol_display_name(&self, index: u32) -> String {
        match self.symbols.get(index as usize) {
            None => format!("<symbol #{index}>"),
            Some(s) if s.typ == elf::STT_SECTION => match s.section {
                SymSection::Section(i) => self
                    .sections
                    .get(i)
                    .map_or_else(|| format!("<section #{i}>"), |sec| sec.name.clone()),
                _ => format!("<section symbol #{index}>"),
            },
            Some(s) if s.name.is_empty() => format!("<symbol #{index}>"),
            Some(s) => s.name.clone(),
        }
    }
}

/// ELF parsing through `object` needs the bytes aligned for its header types; `Vec<u8>` gives no
/// such guarantee, so misaligned inputs are copied once into `u64` storage.
enum Aligned<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u64>, usize),
}

impl<'a> Aligned<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        if (bytes.as_ptr() as usize).is_multiple_of(8) {
            return Aligned::Borrowed(bytes);
        }
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        for (w, chunk) in words.iter_mut().zip(bytes.chunks(8)) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u64::from_ne_bytes(b);
        }
        Aligned::Owned(words, bytes.len())
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Aligned::Borrowed(b) => b,
            Aligned::Owned(words, len) => {
                // SAFETY: `words` owns at least `len` initialised bytes (len <= 8 * words.len()),
                // u8 has no alignment or validity requirements, and the slice borrows `self`.
                unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), *len) }
            }
        }
    }
}

/// Parse one relocatable object for `backend`'s architecture.
pub(crate) fn parse_object(
    input: &LinkInput,
    backend: &dyn ArchBackend,
) -> Result<ParsedObject, LinkError> {
    let name = input.name.clone();
    let aligned = Aligned::new(&input.bytes);
    let data = aligned.bytes();
    let perr = |reason: String| LinkError::Parse {
        input: name.clone(),
        reason,
    };
    let header = elf::FileHeader64::<Endianness>::parse(data).map_err(|e| perr(e.to_string()))?;
    let endian = header.endian().map_err(|e| perr(e.to_string()))?;
    if endian != Endianness::Little {
        return Err(perr("big-endian objects are not supported".into()));
    }
    let e_type = header.e_type(endian);
    if e_type != elf::ET_REL {
        return Err(LinkError::NotRelocatable {
            input: name.clone(),
            e_type,
        });
    }
    let machine = header.e_machine(endian);
    if machine != backend.elf_machine() {
        return Err(LinkError::WrongMachine {
            input: name.clone(),
            expected: backend.arch().to_string(),
            found: machine,
        });
    }
    let table = header
        .sections(endian, data)
        .map_err(|e| perr(e.to_string()))?;

    let mut sections = Vec::with_capacity(table.len());
    let mut groups = Vec::new();
    let mut symtab_index = None;
    for (index, sh) in table.enumerate() {
        let sec_name = table
            .section_name(endian, sh)
            .map_err(|e| perr(format!("section #{}: {e}", index.0)))?;
        let sec_name = String::from_utf8_lossy(sec_name).into_owned();
        let bad = |reason: String| LinkError::BadSection {
            input: name.clone(),
            section: sec_name.clone(),
            reason,
        };
        let sh_type = sh.sh_type(endian);
        let flags = sh.sh_flags(endian);
        let align = match sh.sh_addralign(endian) {
            0 => 1,
            a if a.is_power_of_two() => a,
            a => return Err(bad(format!("alignment {a} is not a power of two"))),
        };
        let size = sh.sh_size(endian);
        if sh_type == elf::SHT_SYMTAB {
            if symtab_index.is_some() {
                return Err(bad("more than one symbol table".into()));
            }
            symtab_index = Some(index);
        }
        if sh_type == elf::SHT_REL && backend.uses_rela() {
            return Err(bad(format!(
                "REL relocations are not used on {}; expected RELA",
                backend.arch()
            )));
        }
        if sh_type == elf::SHT_CREL {
            return Err(bad("compact (CREL) relocations are not supported".into()));
        }
        let role = section_role(index.0, &sec_name, sh_type, flags);
        let contents = match role {
            SectionRole::Alloc { nobits: true, .. } | SectionRole::Ignored => Vec::new(),
            SectionRole::Alloc { .. } | SectionRole::NonAlloc => sh
                .data(endian, data)
                .map_err(|e| bad(format!("cannot read contents: {e}")))?
                .to_vec(),
        };
        if let Some((flag, members)) = sh
            .group(endian, data)
            .map_err(|e| bad(format!("cannot read group: {e}")))?
        {
            groups.push((
                sh.sh_link(endian),
                sh.sh_info(endian),
                flag & elf::GRP_COMDAT != 0,
                members
                    .iter()
                    .map(|m| m.get(endian) as usize)
                    .collect::<Vec<_>>(),
            ));
        }
        sections.push(ParsedSection {
            name: sec_name,
            sh_type,
            flags,
            align,
            size,
            data: contents,
            relocs: Vec::new(),
            role,
        });
    }

    // Symbols.
    let mut symbols = Vec::new();
    if symtab_index.is_some() {
        let symtab = table
            .symbols(endian, data, elf::SHT_SYMTAB)
            .map_err(|e| perr(format!("symbol table: {e}")))?;
        for (i, sym) in symtab.enumerate() {
            let raw = symtab
                .symbol_name(endian, sym)
                .map_err(|e| perr(format!("symbol #{}: {e}", i.0)))?;
            let sym_name = std::str::from_utf8(raw)
                .map_err(|_| LinkError::BadSymbol {
                    input: name.clone(),
                    symbol: String::from_utf8_lossy(raw).into_owned(),
                    reason: "name is not valid UTF-8".into(),
                })?
                .to_owned();
            let section = match sym.st_shndx(endian) {
                elf::SHN_UNDEF => SymSection::Undefined,
                elf::SHN_ABS => SymSection::Absolute,
                elf::SHN_COMMON => SymSection::Common,
                elf::SHN_XINDEX => match symtab
                    .symbol_section(endian, sym, i)
                    .map_err(|e| perr(format!("symbol `{sym_name}`: {e}")))?
                {
                    Some(s) => SymSection::Section(s.0),
                    None => SymSection::Undefined,
                },
                s if s < elf::SHN_LORESERVE => SymSection::Section(usize::from(s)),
                other => {
                    return Err(LinkError::BadSymbol {
                        input: name.clone(),
                        symbol: sym_name,
                        reason: format!("unsupported special section index {other:#x}"),
                    })
                }
            };
            if let SymSection::Section(s) = section {
                if s >= sections.len() {
                    return Err(LinkError::BadSymbol {
                        input: name.clone(),
                        symbol: sym_name,
                        reason: format!("section index {s} out of range"),
                    });
                }
            }
            symbols.push(ParsedSymbol {
                name: sym_name,
                value: sym.st_value(endian),
                size: sym.st_size(endian),
                bind: sym.st_bind(),
                typ: sym.st_type(),
                visibility: sym.st_visibility(),
                section,
            });
        }
    }

    // Relocations, attached to the section they apply to.
    for (index, sh) in table.enumerate() {
        let Some((relas, link)) = sh
            .rela(endian, data)
            .map_err(|e| perr(format!("relocation section #{}: {e}", index.0)))?
        else {
            continue;
        };
        let target = sh.sh_info(endian) as usize;
        let rel_name = sections
            .get(index.0)
            .map_or_else(String::new, |s| s.name.clone());
        let bad = |reason: String| LinkError::BadSection {
            input: name.clone(),
            section: rel_name.clone(),
            reason,
        };
        if Some(link) != symtab_index {
            return Err(bad("relocations do not refer to the symbol table".into()));
        }
        let Some(target_sec) = sections.get_mut(target) else {
            return Err(bad(format!("applies to missing section #{target}")));
        };
        if matches!(target_sec.role, SectionRole::Ignored) {
            continue;
        }
        for r in relas {
            let sym = r.r_sym(endian, false);
            if sym as usize >= symbols.len() && sym != 0 {
                return Err(bad(format!("relocation refers to missing symbol #{sym}")));
            }
            target_sec.relocs.push(ParsedReloc {
                offset: r.r_offset(endian),
                r_type: r.r_type(endian, false),
                sym,
                addend: r.r_addend(endian),
            });
        }
    }

    // Groups: the signature is the name of symbol sh_info in the linked symbol table.
    let mut parsed_groups = Vec::with_capacity(groups.len());
    for (link, info, comdat, members) in groups {
        if symtab_index.map(|s| s.0) != Some(link as usize) {
            return Err(perr(
                "group section does not refer to the symbol table".into(),
            ));
        }
        let signature = symbols
            .get(info as usize)
            .map(|s| {
                if s.typ == elf::STT_SECTION {
                    // A section symbol names the group by its section's name.
                    match s.section {
                        SymSection::Section(i) => {
                            sections.get(i).map_or(String::new(), |x| x.name.clone())
                        }
                        _ => String::new(),
                    }
                } else {
                    s.name.clone()
                }
            })
            .ok_or_else(|| perr(format!("group signature symbol #{info} is missing")))?;
        if let Some(bad) = members.iter().find(|&&m| m == 0 || m >= sections.len()) {
            return Err(perr(format!(
                "group `{signature}` lists missing section #{bad}"
            )));
        }
        parsed_groups.push(ParsedGroup {
            signature,
            comdat,
            members,
        });
    }

    Ok(ParsedObject {
        name,
        sections,
        symbols,
        groups: parsed_groups,
    })
}

/// Decide a section's role from its type, flags and name.
fn section_role(index: usize, name: &str, sh_type: u32, flags: u64) -> SectionRole {
    let has = |f: u32| flags & u64::from(f) != 0;
    if index == 0
        || has(elf::SHF_EXCLUDE)
        || matches!(
            sh_type,
            elf::SHT_NULL
                | elf::SHT_SYMTAB
                | elf::SHT_STRTAB
                | elf::SHT_RELA
                | elf::SHT_REL
                | elf::SHT_GROUP
                | elf::SHT_SYMTAB_SHNDX
                | elf::SHT_NOTE
                | elf::SHT_DYNSYM
                | elf::SHT_DYNAMIC
                | elf::SHT_HASH
        )
        || name == ".comment"
        || name.starts_with(".note")
    {
        return SectionRole::Ignored;
    }
    if !has(elf::SHF_ALLOC) {
        return SectionRole::NonAlloc;
    }
    let nobits = sh_type == elf::SHT_NOBITS;
    if has(elf::SHF_TLS) {
        return SectionRole::Alloc {
            class: SegmentClass::Rw,
            nobits,
            special: Special::Tls,
        };
    }
    if name == ".eh_frame" {
        return SectionRole::Alloc {
            class: SegmentClass::R,
            nobits,
            special: Special::EhFrame,
        };
    }
    let class = if has(elf::SHF_EXECINSTR) {
        SegmentClass::Rx
    } else if has(elf::SHF_WRITE) {
        SegmentClass::Rw
    } else {
        SegmentClass::R
    };
    SectionRole::Alloc {
        class,
        nobits,
        special: table_kind(name, sh_type).map_or(Special::None, |(k, p)| Special::Table(k, p)),
    }
}

/// Recognise constructor/destructor tables and their priorities, as GNU ld does by name.
fn table_kind(name: &str, sh_type: u32) -> Option<(TableKind, Option<u32>)> {
    let prio = |rest: &str| -> Option<Option<u32>> {
        if rest.is_empty() {
            Some(None)
        } else {
            rest.strip_prefix('.')
                .and_then(|n| n.parse::<u32>().ok())
                .map(Some)
        }
    };
    // `.ctors.N`/`.dtors.N` number priorities the other way round (65535 - N).
    let inverted = |p: Option<u32>| p.map(|n| 65535u32.saturating_sub(n));
    if let Some(rest) = name.strip_prefix(".preinit_array") {
        return prio(rest).map(|p| (TableKind::PreinitArray, p));
    }
    if let Some(rest) = name.strip_prefix(".init_array") {
        return prio(rest).map(|p| (TableKind::InitArray, p));
    }
    if let Some(rest) = name.strip_prefix(".fini_array") {
        return prio(rest).map(|p| (TableKind::FiniArray, p));
    }
    if let Some(rest) = name.strip_prefix(".ctors") {
        return prio(rest).map(|p| (TableKind::Ctors, inverted(p)));
    }
    if let Some(rest) = name.strip_prefix(".dtors") {
        return prio(rest).map(|p| (TableKind::Dtors, inverted(p)));
    }
    match sh_type {
        elf::SHT_INIT_ARRAY => Some((TableKind::InitArray, None)),
        elf::SHT_FINI_ARRAY => Some((TableKind::FiniArray, None)),
        elf::SHT_PREINIT_ARRAY => Some((TableKind::PreinitArray, None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_priorities() {
        assert_eq!(
            table_kind(".init_array", 0),
            Some((TableKind::InitArray, None))
        );
        assert_eq!(
            table_kind(".init_array.00101", 0),
            Some((TableKind::InitArray, Some(101)))
        );
        assert_eq!(
            table_kind(".ctors.65434", 0),
            Some((TableKind::Ctors, Some(101)))
        );
        assert_eq!(table_kind(".init_arrayx", 0), None);
        assert_eq!(table_kind(".data", elf::SHT_PROGBITS), None);
    }

    #[test]
    fn garbage_is_a_parse_error_not_a_panic() {
        let input = LinkInput::new("junk.o", b"\x7fELF this is not an object".to_vec());
        let err = parse_object(&input, &crate::arch::X86_64).unwrap_err();
        assert!(err.to_string().contains("junk.o"), "{err}");
        let empty = LinkInput::new("empty.o", Vec::new());
        assert!(parse_object(&empty, &crate::arch::X86_64).is_err());
    }
}

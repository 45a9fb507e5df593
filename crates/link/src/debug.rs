//! Relocated debug sections: what a debugger, a crash reporter or the JIT view reads as DWARF.
//!
//! An append keeps each input's non-allocated sections as data with their relocations
//! unapplied ([`SectionPlacement::NonAlloc`]), because DWARF is only needed when someone looks.
//! This module does the rest, like mold's non-alloc relocation pass: for each `.debug_*` name,
//! every selected input's piece is appended (input order, each at its own alignment) to one
//! combined section, and each piece's relocations are applied with final values:
//!
//! - a symbol placed in the image gives its runtime address (a thread-local one also gives its
//!   offset in its TLS template, for the DTP-relative types);
//! - a symbol of a debug section (section symbols of `.debug_str`, `.debug_abbrev`,
//!   `.debug_line`, ... of the same input) gives its offset in the combined section, i.e. the
//!   piece's offset plus the symbol's value;
//! - a symbol of a dropped COMDAT section gives a tombstone (1 in `.debug_ranges` and
//!   `.debug_loc`, where 0 ends a list; 0 elsewhere);
//! - an undefined symbol or a relocation type that makes no sense in debug info is an error
//!   naming it: nothing is skipped silently.
//!
//! The arithmetic per relocation type is the architecture's
//! ([`ArchBackend::apply_nonalloc`](crate::ArchBackend::apply_nonalloc)); everything else here is
//! generic. Inputs of every generation keep their debug sections, so old bodies of reloaded
//! functions stay described (HOT_RELOAD.md §14).

use std::collections::HashMap;

use object::elf;

use crate::arch::{NonAllocValues, RelocError};
use crate::image::{InputRecord, LinkInputId, SectionPlacement, SymbolDef, SymbolKind, Unbound};
use crate::session::LinkSession;

/// One input's part of a combined debug section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebugPiece {
    pub input: LinkInputId,
    /// The ELF section index of the piece in its input.
    pub section: u32,
    /// Where the piece starts in the combined section.
    pub offset: u64,
    pub size: u64,
}

/// One combined, relocated debug section (`.debug_info`, `.debug_line`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugSection {
    pub name: String,
    /// The largest alignment of its pieces.
    pub align: u64,
    /// The relocated contents: the pieces back to back, each at its alignment (zero padding).
    pub data: Vec<u8>,
    /// The pieces in input order, so a consumer can tell which input (and generation) a unit
    /// at some offset came from.
    pub pieces: Vec<DebugPiece>,
}

/// The relocated debug sections of a set of inputs, in order of first appearance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DebugSections {
    sections: Vec<DebugSection>,
}

impl DebugSections {
    /// The combined section called `name` (`".debug_info"`), if any selected input has one.
    pub fn get(&self, name: &str) -> Option<&DebugSection> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The contents of section `name`, empty when there is none: the shape DWARF readers
    /// want (`gimli::Dwarf::load` asks for every section by name and treats missing ones as
    /// empty).
    pub fn data(&self, name: &str) -> &[u8] {
        self.get(name).map_or(&[], |s| s.data.as_slice())
    }

    pub fn iter(&self) -> impl Iterator<Item = &DebugSection> {
        self.sections.iter()
    }

    /// No selected input carries debug sections (nothing was compiled with `-g`).
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    pub fn into_sections(self) -> Vec<DebugSection> {
        self.sections
    }
}

/// Where a debug relocation sits, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugSite {
    pub input: String,
    pub section: String,
    /// Offset in the input's section (what `readelf -r` on the object shows).
    pub offset: u64,
    /// The relocation type's psABI name.
    pub kind: String,
}

impl std::fmt::Display for DebugSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {}+{:#x} of {}",
            self.kind, self.section, self.offset, self.input
        )
    }
}

/// The target of a [`DebugError::Foreign`] relocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignTarget {
    pub symbol: String,
    pub section: String,
    pub input: String,
}

/// Why the debug sections could not be combined and relocated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DebugError {
    /// The backend cannot compute or encode this relocation (an unknown type, a value that
    /// does not fit, a site outside the section).
    #[error("{site}: {reason}")]
    Reloc {
        site: Box<DebugSite>,
        #[source]
        reason: RelocError,
    },
    /// Only debug info refers to a name that nothing defines.
    #[error("{site} refers to `{symbol}`, which nothing defines")]
    Undefined {
        site: Box<DebugSite>,
        symbol: String,
    },
    /// The target lives in a non-allocated section that is not one of the combined debug
    /// sections (another input's, or a non-debug section such as `.cfree.abisig`).
    #[error(
        "{site} refers to `{}` in section `{}` of {}, which is not among the combined debug sections",
        target.symbol, target.section, target.input
    )]
    Foreign {
        site: Box<DebugSite>,
        target: Box<ForeignTarget>,
    },
    /// `-gz` output: compressed sections would have to be inflated before relocation.
    #[error("{section} of {input} is compressed; build it without -gz")]
    Compressed { input: String, section: String },
    /// The id names no input of the session.
    #[error("input #{0} is not part of the session")]
    UnknownInput(usize),
}

/// (input, ELF section) → (combined section, piece offset, piece size).
type Pieces = HashMap<(LinkInputId, u32), (usize, u64, u64)>;

/// Whether a non-allocated section is DWARF that belongs in the combined sections.
fn is_debug_name(name: &str) -> bool {
    name.starts_with(".debug_")
}

/// The tombstone for references to dropped code (mold's choice): 0 is invalid in most debug
/// sections, but terminates lists in `.debug_ranges` and `.debug_loc`, which get 1.
fn tombstone(section: &str) -> u64 {
    if section == ".debug_ranges" || section == ".debug_loc" {
        1
    } else {
        0
    }
}

impl LinkSession {
    /// The `.debug_*` sections of every input ever appended (all generations, so old bodies
    /// of reloaded functions stay described), combined per name and relocated with final
    /// values. See the [module docs](crate::debug) for the rules.
    pub fn debug_sections(&self) -> Result<DebugSections, DebugError> {
        let all: Vec<LinkInputId> = self.inputs().iter().map(|r| r.id).collect();
        self.debug_sections_of(&all)
    }

    /// Like [`debug_sections`](Self::debug_sections), for the inputs from index `first` on:
    /// what the appends and reloads since a debugger last looked added.
    pub fn debug_sections_from(&self, first: usize) -> Result<DebugSections, DebugError> {
        let ids: Vec<LinkInputId> = self.inputs().iter().skip(first).map(|r| r.id).collect();
        self.debug_sections_of(&ids)
    }

    /// Like [`debug_sections`](Self::debug_sections), for the given inputs only, combined in
    /// the order given: what one append contributes (the GDB JIT interface registers one
    /// object per append). Debug sections refer only to their own input's debug sections, so
    /// any subset relocates on its own. Costs time proportional to the selected inputs' debug
    /// data, not to the image.
    pub fn debug_sections_of(&self, inputs: &[LinkInputId]) -> Result<DebugSections, DebugError> {
        let mut out = DebugSections::default();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut pieces: Pieces = HashMap::new();
        let mut records: Vec<&InputRecord> = Vec::with_capacity(inputs.len());
        for &id in inputs {
            let rec = self.input(id).ok_or(DebugError::UnknownInput(id.index()))?;
            records.push(rec);
            for sec in &rec.sections {
                let SectionPlacement::NonAlloc { data, .. } = &sec.placement else {
                    continue;
                };
                if sec.name.starts_with(".zdebug_")
                    || (is_debug_name(&sec.name) && sec.flags & u64::from(elf::SHF_COMPRESSED) != 0)
                {
                    return Err(DebugError::Compressed {
                        input: rec.name.clone(),
                        section: sec.name.clone(),
                    });
                }
                if !is_debug_name(&sec.name) {
                    continue;
                }
                let index = *by_name.entry(sec.name.as_str()).or_insert_with(|| {
                    out.sections.push(DebugSection {
                        name: sec.name.clone(),
                        align: 1,
                        data: Vec::new(),
                        pieces: Vec::new(),
                    });
                    out.sections.len() - 1
                });
                let combined = &mut out.sections[index];
                let align = sec.align.max(1);
                let start = (combined.data.len() as u64).next_multiple_of(align);
                combined.data.resize(start as usize, 0);
                combined.data.extend_from_slice(data);
                combined.align = combined.align.max(align);
                combined.pieces.push(DebugPiece {
                    input: id,
                    section: sec.index,
                    offset: start,
                    size: data.len() as u64,
                });
                pieces.insert((id, sec.index), (index, start, data.len() as u64));
            }
        }
        let backend = crate::arch::backend(self.arch());
        for rec in records {
            for sec in &rec.sections {
                let SectionPlacement::NonAlloc { relocs, .. } = &sec.placement else {
                    continue;
                };
                let Some(&(index, base, size)) = pieces.get(&(rec.id, sec.index)) else {
                    continue;
                };
                for r in relocs {
                    let site = || {
                        Box::new(DebugSite {
                            input: rec.name.clone(),
                            section: sec.name.clone(),
                            offset: r.offset,
                            kind: r.kind.to_string(),
                        })
                    };
                    let values = self.nonalloc_values(r, &sec.name, &pieces, site)?;
                    let data = &mut out.sections[index].data;
                    // The site must lie in this piece: a field running past its end would
                    // overwrite the next input's piece.
                    let slice = r
                        .offset
                        .checked_add(base)
                        .filter(|_| r.offset <= size)
                        .and_then(|at| data.get_mut(at as usize..(base + size) as usize))
                        .ok_or_else(|| DebugError::Reloc {
                            site: site(),
                            reason: RelocError::Invalid(
                                "the relocation offset is outside the section",
                            ),
                        })?;
                    backend
                        .apply_nonalloc(r.kind.r_type, &values, slice)
                        .map_err(|reason| DebugError::Reloc {
                            site: site(),
                            reason,
                        })?;
                }
            }
        }
        Ok(out)
    }

    /// S, A and the TLS offset of one kept relocation, by the rules in the module docs.
    fn nonalloc_values(
        &self,
        r: &crate::image::InputReloc,
        section: &str,
        pieces: &Pieces,
        site: impl Fn() -> Box<DebugSite>,
    ) -> Result<NonAllocValues, DebugError> {
        let Some(target) = r.target else {
            return match &r.unbound {
                None => Ok(NonAllocValues {
                    s: 0,
                    a: r.addend,
                    tls_offset: None,
                }),
                Some(Unbound::Discarded { .. }) => {
                    let t = tombstone(section);
                    Ok(NonAllocValues {
                        s: t,
                        a: 0,
                        tls_offset: Some(t),
                    })
                }
                Some(Unbound::Undefined { symbol }) => Err(DebugError::Undefined {
                    site: site(),
                    symbol: symbol.clone(),
                }),
            };
        };
        let sym = self.symbol(target).ok_or_else(|| DebugError::Undefined {
            site: site(),
            symbol: format!("<symbol #{}>", target.index()),
        })?;
        if let SymbolDef::NonAlloc { input, section } = sym.def {
            return match pieces.get(&(input, section)) {
                Some(&(_, base, _)) => Ok(NonAllocValues {
                    s: base.wrapping_add(sym.addr),
                    a: r.addend,
                    tls_offset: None,
                }),
                None => {
                    let rec = self.input(input);
                    Err(DebugError::Foreign {
                        site: site(),
                        target: Box::new(ForeignTarget {
                            symbol: sym.name.to_string(),
                            section: rec
                                .and_then(|r| r.sections.get(section as usize))
                                .map_or_else(|| format!("#{section}"), |s| s.name.clone()),
                            input: rec
                                .map_or_else(|| format!("#{}", input.index()), |r| r.name.clone()),
                        }),
                    })
                }
            };
        }
        let tls_offset = match (sym.kind, sym.def) {
            (SymbolKind::ThreadLocal, SymbolDef::Section { input, section }) => self
                .input(input)
                .and_then(|r| r.sections.get(section as usize))
                .and_then(|s| s.addr())
                .map(|start| sym.addr.wrapping_sub(start)),
            _ => None,
        };
        Ok(NonAllocValues {
            s: sym.addr,
            a: r.addend,
            tls_offset,
        })
    }
}

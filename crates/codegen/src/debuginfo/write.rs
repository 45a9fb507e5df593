//! Serialised DWARF sections into the `object` writer, with their relocations.

use super::DebugInfoError;
use gimli::write::{EndianVec, RelocateWriter, Relocation, RelocationTarget, Sections};
use gimli::RunTimeEndian;
use object::write::{Object, SectionId, SymbolId};
use object::{RelocationEncoding, RelocationFlags, RelocationKind, SectionKind};
use std::collections::HashMap;

/// A section writer that records relocations instead of resolving addresses and offsets.
#[derive(Clone)]
pub(super) struct RelocWriter {
    data: EndianVec<RunTimeEndian>,
    relocs: Vec<Relocation>,
}

impl RelocWriter {
    pub(super) fn new(little: bool) -> Self {
        let endian = if little {
            RunTimeEndian::Little
        } else {
            RunTimeEndian::Big
        };
        RelocWriter {
            data: EndianVec::new(endian),
            relocs: Vec::new(),
        }
    }
}

impl RelocateWriter for RelocWriter {
    type Writer = EndianVec<RunTimeEndian>;

    fn writer(&self) -> &Self::Writer {
        &self.data
    }

    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.data
    }

    fn relocate(&mut self, relocation: Relocation) {
        self.relocs.push(relocation);
    }
}

/// Adds every non-empty section, then its relocations: addresses against `symbols`
/// (`Address::Symbol { symbol: i }` is `symbols[i]`), offsets against section symbols.
pub(super) fn add_sections(
    obj: &mut Object,
    sections: &Sections<RelocWriter>,
    symbols: &[SymbolId],
) -> Result<(), DebugInfoError> {
    let mut ids: HashMap<gimli::SectionId, SectionId> = HashMap::new();
    sections.for_each(|id, w| -> Result<(), DebugInfoError> {
        let data = w.data.slice();
        if !data.is_empty() {
            let sid = obj.add_section(
                Vec::new(),
                id.name().as_bytes().to_vec(),
                SectionKind::Debug,
            );
            obj.set_section_data(sid, data.to_vec(), 1);
            ids.insert(id, sid);
        }
        Ok(())
    })?;
    sections.for_each(|id, w| -> Result<(), DebugInfoError> {
        let Some(&sid) = ids.get(&id) else {
            return Ok(());
        };
        for r in &w.relocs {
            let symbol = match r.target {
                RelocationTarget::Symbol(i) => *symbols
                    .get(i)
                    .ok_or(DebugInfoError::MissingSymbol(format!("#{i}")))?,
                RelocationTarget::Section(target) => {
                    let tid = *ids
                        .get(&target)
                        .ok_or(DebugInfoError::EmptySection(target.name()))?;
                    obj.section_symbol(tid)
                }
            };
            obj.add_relocation(
                sid,
                object::write::Relocation {
                    offset: r.offset as u64,
                    symbol,
                    addend: r.addend,
                    flags: RelocationFlags::Generic {
                        kind: RelocationKind::Absolute,
                        encoding: RelocationEncoding::Generic,
                        size: r.size * 8,
                    },
                },
            )?;
        }
        Ok(())
    })
}

//! The object's `.eh_frame`.
//!
//! cranelift-object writes each FDE's start address as an absolute 64-bit pointer, which in a
//! PIE is a text relocation (`ld`: "relocation in read-only section `.eh_frame'", DT_TEXTREL),
//! and it only describes functions it compiled itself (ours are compiled on worker threads
//! and defined as bytes, `compile.rs`). gcc encodes the pointer PC-relative
//! (`DW_EH_PE_pcrel | DW_EH_PE_sdata4`); so do we: every compiled function's System V unwind
//! information comes here, and the section is written into the finished object with
//! `R_X86_64_PC32`-style relocations.

use cranelift_codegen::isa::unwind::UnwindInfo;
use cranelift_codegen::isa::TargetIsa;
use cranelift_module::FuncId;
use gimli::write::{
    Address, CieId, EhFrame, EndianVec, FrameTable, RelocateWriter, Relocation, RelocationTarget,
};
use object::write::{Relocation as ObjectRelocation, StandardSection};
use object::{RelocationEncoding, RelocationFlags, RelocationKind};

/// The frame table of one object: one CIE and an FDE per function with unwind information.
pub(crate) struct EhFrameTable {
    table: FrameTable,
    cie: CieId,
    /// FDE symbol indices (gimli's `Address::Symbol`) to the functions they describe.
    funcs: Vec<FuncId>,
}

impl EhFrameTable {
    /// `None` if the target has no System V unwind information.
    pub(crate) fn new(isa: &dyn TargetIsa) -> Option<Self> {
        let mut cie = isa.create_systemv_cie()?;
        cie.fde_address_encoding = gimli::DW_EH_PE_pcrel | gimli::DW_EH_PE_sdata4;
        let mut table = FrameTable::default();
        let cie = table.add_cie(cie);
        Some(EhFrameTable {
            table,
            cie,
            funcs: Vec::new(),
        })
    }

    /// Records the unwind information of function `fid`, just compiled in `ctx`.
    pub(crate) fn add(
        &mut self,
        fid: FuncId,
        ctx: &cranelift_codegen::Context,
        isa: &dyn TargetIsa,
    ) {
        let Some(code) = ctx.compiled_code() else {
            return;
        };
        let Ok(Some(UnwindInfo::SystemV(info))) = code.create_unwind_info(isa) else {
            return;
        };
        let address = Address::Symbol {
            symbol: self.funcs.len(),
            addend: 0,
        };
        self.funcs.push(fid);
        self.table.add_fde(self.cie, info.to_fde(address));
    }

    /// Records the unwind information of machine code `fid` of `len` bytes defined from
    /// bytes (an entry thunk): `cfi` after the instruction ending at each offset.
    pub(crate) fn add_code(
        &mut self,
        fid: FuncId,
        len: u32,
        cfi: &[(u32, gimli::write::CallFrameInstruction)],
    ) {
        let address = Address::Symbol {
            symbol: self.funcs.len(),
            addend: 0,
        };
        self.funcs.push(fid);
        let mut fde = gimli::write::FrameDescriptionEntry::new(address, len);
        for (off, inst) in cfi {
            fde.add_instruction(*off, inst.clone());
        }
        self.table.add_fde(self.cie, fde);
    }

    /// Writes the section and its relocations into the finished object.
    pub(crate) fn emit(self, product: &mut cranelift_object::ObjectProduct) -> Result<(), String> {
        if self.funcs.is_empty() {
            return Ok(());
        }
        let mut eh = EhFrame(Section {
            bytes: EndianVec::new(gimli::RunTimeEndian::Little),
            relocs: Vec::new(),
        });
        self.table
            .write_eh_frame(&mut eh)
            .map_err(|e| format!("cannot write .eh_frame: {e}"))?;
        let EhFrame(Section { bytes, relocs }) = eh;
        let section = product.object.section_id(StandardSection::EhFrame);
        product
            .object
            .append_section_data(section, &bytes.into_vec(), 8);
        for r in relocs {
            let RelocationTarget::Symbol(i) = r.target else {
                continue;
            };
            let Some(&fid) = self.funcs.get(i) else {
                continue;
            };
            let pcrel = r
                .eh_pe
                .is_some_and(|pe| pe.application() == gimli::DW_EH_PE_pcrel);
            let flags = RelocationFlags::Generic {
                kind: if pcrel {
                    RelocationKind::Relative
                } else {
                    RelocationKind::Absolute
                },
                encoding: RelocationEncoding::Generic,
                size: r.size * 8,
            };
            // Against the function's section, not its (global, preemptible) symbol: in a
            // shared library a PC-relative reference to a preemptible symbol is refused
            // ("recompile with -fPIC"), and gcc's FDEs point into `.text` the same way.
            let func = product.function_symbol(fid);
            let (symbol, offset) = product
                .object
                .symbol_section_and_offset(func)
                .unwrap_or((func, 0));
            product
                .object
                .add_relocation(
                    section,
                    ObjectRelocation {
                        offset: r.offset as u64,
                        symbol,
                        addend: r.addend + offset as i64,
                        flags,
                    },
                )
                .map_err(|e| format!("cannot relocate .eh_frame: {e}"))?;
        }
        Ok(())
    }
}

/// The section being written, with the relocations gimli asks for.
struct Section {
    bytes: EndianVec<gimli::RunTimeEndian>,
    relocs: Vec<Relocation>,
}

impl RelocateWriter for Section {
    type Writer = EndianVec<gimli::RunTimeEndian>;

    fn writer(&self) -> &Self::Writer {
        &self.bytes
    }

    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.bytes
    }

    fn relocate(&mut self, relocation: Relocation) {
        self.relocs.push(relocation);
    }
}

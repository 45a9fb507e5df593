//! DWARF debug information for `-g`: `.debug_line`, `.debug_info`, `.debug_abbrev`,
//! `.debug_str` and `.debug_ranges` (DWARF 4), written with gimli into the object that
//! cranelift-object produced, with relocations against the function and data symbols.
//!
//! The data comes from three places:
//! - while translating, [`FuncTrace`] hands out srclocs that index a per-function table of
//!   [`Loc`]s, each with the C block (`ScopeId`) its code belongs to, and records which stack
//!   slot holds each user local;
//! - right after `define_function`, [`DebugCx::add_function`] reads back the machine-code
//!   ranges of each srcloc (line rows, and the code ranges of blocks), the frame layout
//!   (slot offsets) and the code size;
//! - after `module.finish()`, [`DebugCx::emit`] resolves locations through the [`SourceMap`],
//!   describes types from the IR's type table and writes the sections.
//!
//! Nothing here runs when `debug` is off: the translator holds no trace and sets no srclocs.

mod blocks;
mod info;
mod line;
mod types;
mod write;

use crate::CodegenOptions;
use cfree_frontend::ir::{Function, ScopeId, SymId, TranslationUnit};
use cfree_frontend::{Loc, SourceMap};
use cranelift_codegen::ir::{SourceLoc, StackSlot};
use cranelift_codegen::Context;
use cranelift_module::{DataId, FuncId};
use cranelift_object::ObjectProduct;
use std::collections::HashMap;

/// The canonical frame address is this far above the frame pointer on x86-64, AArch64 and
/// RISC-V 64 (saved FP and return address / link register).
const CFA_ABOVE_FP: i64 = 16;

#[derive(Debug, thiserror::Error)]
pub enum DebugInfoError {
    #[error("function '{0}' has no compiled code to describe")]
    NoCode(String),
    #[error("'{0}' has no symbol in the object")]
    MissingSymbol(String),
    #[error("a relocation refers to the empty section {0}")]
    EmptySection(&'static str),
    #[error("DWARF writer: {0}")]
    Gimli(#[from] gimli::write::Error),
    #[error("object writer: {0}")]
    Object(#[from] object::write::Error),
}

/// Per-function state kept by the translator under `-g`.
pub(crate) struct FuncTrace {
    /// Srcloc `i` stands for code of `locs[i].0` in the block `locs[i].1`.
    locs: Vec<(Loc, ScopeId)>,
    last: Option<(Loc, ScopeId, u32)>,
    /// The innermost block being translated.
    scope: ScopeId,
    /// (local index, stack slot, the slot holds the object's address rather than the object).
    homes: Vec<(usize, StackSlot, bool)>,
}

impl Default for FuncTrace {
    fn default() -> Self {
        FuncTrace {
            locs: Vec::new(),
            last: None,
            scope: ScopeId::BODY,
            homes: Vec::new(),
        }
    }
}

impl FuncTrace {
    /// The srcloc to attach to instructions generated for `loc` (in the current block).
    pub(crate) fn srcloc(&mut self, loc: Loc) -> SourceLoc {
        let scope = self.scope;
        if let Some((l, s, i)) = self.last {
            if (l, s) == (loc, scope) {
                return SourceLoc::new(i);
            }
        }
        let i = self.locs.len() as u32;
        self.locs.push((loc, scope));
        self.last = Some((loc, scope, i));
        SourceLoc::new(i)
    }

    /// Code from now on belongs to block `id`; returns the block to go back to.
    pub(crate) fn enter_scope(&mut self, id: ScopeId) -> ScopeId {
        std::mem::replace(&mut self.scope, id)
    }

    /// Back in block `outer` after [`FuncTrace::enter_scope`]: the srcloc that continues the
    /// last source location in `outer`, for the code that follows before the next statement.
    pub(crate) fn leave_scope(&mut self, outer: ScopeId) -> Option<SourceLoc> {
        self.scope = outer;
        let (loc, _, _) = self.last?;
        Some(self.srcloc(loc))
    }

    /// Local `local` lives in `slot` (or, if `indirect`, at the address stored in `slot`).
    pub(crate) fn local_slot(&mut self, local: usize, slot: StackSlot, indirect: bool) {
        self.homes.push((local, slot, indirect));
    }
}

/// Where a variable lives, relative to the frame base (the CFA).
#[derive(Clone, Copy, Debug)]
enum VarLoc {
    /// The object is at `CFA + offset`.
    Frame(i64),
    /// The object's address is stored at `CFA + offset`.
    FrameIndirect(i64),
}

/// What the debug-info writer keeps of one compiled function.
struct FuncRecord {
    sym: SymId,
    fid: FuncId,
    size: u32,
    /// (code offset, source location) at the start of each srcloc range, in address order.
    rows: Vec<(u32, Loc)>,
    /// (start, end, block) of each srcloc range, in address order.
    blocks: Vec<(u32, u32, ScopeId)>,
    /// Location of each described local, by local index.
    vars: HashMap<usize, VarLoc>,
}

/// Per-object debug-info state: one record per defined function.
#[derive(Default)]
pub(crate) struct DebugCx {
    funcs: Vec<FuncRecord>,
}

impl DebugCx {
    /// Captures what DWARF needs from `ctx` right after `define_function`.
    pub(crate) fn add_function(
        &mut self,
        f: &Function,
        fid: FuncId,
        trace: FuncTrace,
        ctx: &Context,
    ) -> Result<(), DebugInfoError> {
        let code = ctx
            .compiled_code()
            .ok_or_else(|| DebugInfoError::NoCode(f.name.clone()))?;
        let size = code.buffer.total_size();
        let mut rows = Vec::new();
        let mut blocks = Vec::new();
        for s in code.buffer.get_srclocs_sorted() {
            if s.loc.is_default() || s.start >= s.end {
                continue;
            }
            if let Some(&(loc, scope)) = trace.locs.get(s.loc.bits() as usize) {
                rows.push((s.start, loc));
                blocks.push((s.start, s.end, scope));
            }
        }
        let mut vars = HashMap::new();
        if let Some(layout) = code.buffer.frame_layout() {
            let fp = i64::from(layout.frame_to_fp_offset);
            for &(local, slot, indirect) in &trace.homes {
                let Some(s) = layout.stackslots.get(slot) else {
                    continue;
                };
                // Slot offsets are measured from SP after the prologue; FP = SP + fp.
                let off = i64::from(s.offset) - fp - CFA_ABOVE_FP;
                let loc = if indirect {
                    VarLoc::FrameIndirect(off)
                } else {
                    VarLoc::Frame(off)
                };
                vars.insert(local, loc);
            }
        }
        self.funcs.push(FuncRecord {
            sym: f.sym,
            fid,
            size,
            rows,
            blocks,
            vars,
        });
        Ok(())
    }

    /// Writes the DWARF sections into the finished object.
    pub(crate) fn emit(
        self,
        product: &mut ObjectProduct,
        tu: &TranslationUnit,
        sources: &SourceMap,
        name: &str,
        datas: &HashMap<SymId, DataId>,
        opts: &CodegenOptions,
    ) -> Result<(), DebugInfoError> {
        let little = !matches!(
            opts.target.triple.endianness(),
            Ok(target_lexicon::Endianness::Big)
        );
        let mut b = info::Builder::new(tu, sources, name, little);
        b.build(&self.funcs, product, datas)?;
        b.write(&mut product.object)
    }
}

/// `loc` as (presumed file name, line, column), or `None` if it does not belong to `sources`.
fn resolve(sources: &SourceMap, loc: Loc) -> Option<(&str, u32, u32)> {
    if (loc.file.0 as usize) < sources.len() {
        Some(sources.resolve(loc))
    } else {
        None
    }
}

/// A string as DWARF stores it: no NUL bytes, never empty.
fn dwarf_str(s: &str) -> Vec<u8> {
    let v: Vec<u8> = s.bytes().filter(|&b| b != 0).collect();
    if v.is_empty() {
        b"<unknown>".to_vec()
    } else {
        v
    }
}

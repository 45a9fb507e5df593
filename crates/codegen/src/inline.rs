//! Inlining at `-O2`: direct calls to small or once-called `static` functions of the same
//! unit (and to `always_inline` ones) get the callee's body, through Cranelift's inlining
//! library (`Context::inline`), before the caller is compiled.
//!
//! The callee bodies are the functions' built CLIF, not yet compiled, so every function of
//! the unit is built before any is compiled (`compile.rs`). What is inlined is decided here:
//! a callee qualifies if nothing about it depends on having its own frame or symbol —
//! not `noinline`, not variadic, no `setjmp`, no VLA/`alloca` (its dynamic stack mark is
//! per call), no `&&label`, no aggregate the call itself copies (`StructArgument`) — and either its linkage is internal or it is `always_inline`
//! (an exported function stays a real call: it may be reloaded or interposed). Sizes are
//! CLIF instruction counts: a callee of at most [`SMALL`] instructions, or of at most
//! [`ONCE`] when it has a single call site in the unit; each caller grows by at most
//! [`GROWTH`] instructions (`always_inline` ignores the limits up to [`HARD_CAP`], which
//! also ends inlining through recursion).

use cfree_frontend::ir::{Function, InlineHint, Linkage, TranslationUnit};
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{self, ExternalName, InstructionData, Opcode, UserExternalName};
use std::borrow::Cow;
use std::collections::HashMap;

/// Callees of at most this many CLIF instructions are inlined at every call.
pub(crate) const SMALL: usize = 40;
/// Callees called from one place only are inlined up to this size.
pub(crate) const ONCE: usize = 600;
/// Most instructions inlining may add to one caller.
pub(crate) const GROWTH: usize = 3000;
/// Most instructions inlining may add to one caller, `always_inline` callees included.
pub(crate) const HARD_CAP: usize = 20_000;

/// A function whose body may replace calls to it.
struct Candidate<'a> {
    body: &'a ir::Function,
    size: usize,
    limit: usize,
    always: bool,
    /// The names its symbol global values (data it addresses) refer to. Cranelift copies a
    /// callee's global values into the caller as they are, names included, and a name is an
    /// index into the function's own table: the inliner rewrites them to the caller's
    /// indices ([`Inliner`]), which [`Candidates::prepare`] makes sure exist.
    data_names: Vec<(ir::GlobalValue, UserExternalName)>,
}

/// The unit's inlinable functions by the index of their `FuncId`.
pub(crate) struct Candidates<'a> {
    by_fid: HashMap<u32, Candidate<'a>>,
}

fn size_of(f: &ir::Function) -> usize {
    f.layout
        .blocks()
        .map(|b| f.layout.block_insts(b).count())
        .sum()
}

/// The `FuncId` index a call through `r` in `f` reaches, if it is one of ours.
fn callee_fid(f: &ir::Function, r: ir::FuncRef) -> Option<u32> {
    let ExternalName::User(name) = f.dfg.ext_funcs[r].name else {
        return None;
    };
    let n = &f.params.user_named_funcs()[name];
    (n.namespace == 0).then_some(n.index)
}

/// Direct call sites per callee in the unit's built functions.
fn call_counts(bodies: &[&ir::Function]) -> HashMap<u32, usize> {
    let mut counts = HashMap::new();
    for f in bodies {
        for b in f.layout.blocks() {
            for inst in f.layout.block_insts(b) {
                if let InstructionData::Call { func_ref, .. } = f.dfg.insts[inst] {
                    if let Some(fid) = callee_fid(f, func_ref) {
                        *counts.entry(fid).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    counts
}

impl<'a> Candidates<'a> {
    /// The candidates among `funcs` (the unit's definitions) built into `bodies` (same
    /// order), named by `fids`.
    pub(crate) fn new(
        tu: &TranslationUnit,
        funcs: &[Function],
        bodies: &[&'a ir::Function],
        fids: &[u32],
    ) -> Candidates<'a> {
        let counts = call_counts(bodies);
        let mut by_fid = HashMap::new();
        for ((f, body), &fid) in funcs.iter().zip(bodies).zip(fids) {
            let always = f.inline_hint == InlineHint::Always;
            let internal = tu.symbols[f.sym.0 as usize].linkage == Linkage::Internal;
            let frame_free = !f.is_variadic
                && !f.calls_setjmp
                && !f.dyn_stack
                && f.label_addrs.is_empty()
                && f.inline_hint != InlineHint::Never;
            // A by-value aggregate passed as `StructArgument` is copied by the call itself;
            // inlined, the body would write to the caller's original.
            let copies_args = body
                .signature
                .params
                .iter()
                .any(|p| matches!(p.purpose, ir::ArgumentPurpose::StructArgument(_)));
            if !frame_free || copies_args || !(internal || always) {
                continue;
            }
            let limit = if counts.get(&fid) == Some(&1) {
                ONCE
            } else {
                SMALL
            };
            by_fid.insert(
                fid,
                Candidate {
                    body,
                    size: size_of(body),
                    limit,
                    always,
                    data_names: data_names(body),
                },
            );
        }
        Candidates { by_fid }
    }

    /// Adds to `caller`'s name table the data names of the candidates it calls directly, so
    /// their global values can be given indices there.
    pub(crate) fn prepare(&self, caller: &mut ir::Function) {
        let mut names = Vec::new();
        for b in caller.layout.blocks() {
            for inst in caller.layout.block_insts(b) {
                if let InstructionData::Call { func_ref, .. } = caller.dfg.insts[inst] {
                    let c = callee_fid(caller, func_ref).and_then(|fid| self.by_fid.get(&fid));
                    if let Some(c) = c {
                        names.extend(c.data_names.iter().map(|(_, n)| n.clone()));
                    }
                }
            }
        }
        for n in names {
            caller.params.ensure_user_func_name(n);
        }
    }
}

fn data_names(f: &ir::Function) -> Vec<(ir::GlobalValue, UserExternalName)> {
    f.global_values
        .iter()
        .filter_map(|(gv, data)| match data {
            ir::GlobalValueData::Symbol {
                name: ExternalName::User(r),
                ..
            } => Some((gv, f.params.user_named_funcs()[*r].clone())),
            _ => None,
        })
        .collect()
}

/// `callee` with its symbol global values naming `caller`'s table entries; `None` if the
/// caller's table lacks one of the names.
fn renamed_for<'a>(caller: &ir::Function, c: &Candidate<'a>) -> Option<Cow<'a, ir::Function>> {
    if c.data_names.is_empty() {
        return Some(Cow::Borrowed(c.body));
    }
    let table = caller.params.user_named_funcs();
    let mut body = c.body.clone();
    for (gv, name) in &c.data_names {
        let (r, _) = table.iter().find(|(_, n)| *n == name)?;
        if let ir::GlobalValueData::Symbol { name, .. } = &mut body.global_values[*gv] {
            *name = ExternalName::User(r);
        }
    }
    Some(Cow::Owned(body))
}

/// Decides, call by call, what goes into one caller.
pub(crate) struct Inliner<'a, 'b> {
    cands: &'b Candidates<'a>,
    caller: u32,
    budget: usize,
    hard: usize,
}

impl<'a, 'b> Inliner<'a, 'b> {
    pub(crate) fn new(cands: &'b Candidates<'a>, caller: u32) -> Self {
        Inliner {
            cands,
            caller,
            budget: GROWTH,
            hard: HARD_CAP,
        }
    }
}

impl Inline for Inliner<'_, '_> {
    fn inline(
        &mut self,
        caller: &ir::Function,
        _inst: ir::Inst,
        opcode: ir::Opcode,
        callee: ir::FuncRef,
        _args: &[ir::Value],
    ) -> InlineCommand<'_> {
        if opcode != Opcode::Call {
            return InlineCommand::KeepCall;
        }
        let Some(fid) = callee_fid(caller, callee) else {
            return InlineCommand::KeepCall;
        };
        let Some(c) = self.cands.by_fid.get(&fid) else {
            return InlineCommand::KeepCall;
        };
        let sig = caller.dfg.ext_funcs[callee].signature;
        let fits = c.always || (c.size <= c.limit && c.size <= self.budget);
        if fid == self.caller
            || caller.dfg.signatures[sig] != c.body.signature
            || !fits
            || c.size > self.hard
        {
            return InlineCommand::KeepCall;
        }
        let Some(callee) = renamed_for(caller, c) else {
            return InlineCommand::KeepCall;
        };
        self.budget = self.budget.saturating_sub(c.size);
        self.hard -= c.size;
        InlineCommand::Inline {
            callee,
            visit_callee: true,
        }
    }
}

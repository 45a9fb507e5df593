//! Drops the inline functions of a unit that nothing uses.
//!
//! A `static inline` function (or an inline definition that is not external, C11 6.7.4p7)
//! only matters where it is called or its address is taken; headers full of them (glibc's,
//! cfree's `<immintrin.h>` with hundreds of intrinsics) would otherwise be compiled into
//! every unit that includes them, as gcc never does. Plain `static` functions are kept even
//! when unused, as at gcc -O0 (a debugger may call them).
//!
//! A function stays when a kept function, a static initializer, an alias, a nested
//! function's entry or an asm operand refers to it; file-scope `asm` may name any symbol, so
//! a unit with some keeps everything.

use crate::ir::*;
use std::collections::{HashMap, HashSet};

/// Removes the unreferenced inline functions from `tu` (their symbols become declarations).
pub fn drop_unused_inline(tu: &mut TranslationUnit) {
    if !tu.file_asm.is_empty() {
        return;
    }
    let droppable =
        |f: &Function| f.inline && tu.symbols[f.sym.0 as usize].linkage == Linkage::Internal;
    let by_sym: HashMap<SymId, usize> = tu
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| (f.sym, i))
        .collect();
    let mut live: HashSet<SymId> = HashSet::new();
    let mut work: Vec<SymId> = Vec::new();
    fn mark(s: SymId, live: &mut HashSet<SymId>, work: &mut Vec<SymId>) {
        if live.insert(s) {
            work.push(s);
        }
    }
    for f in tu.functions.iter().filter(|f| !droppable(f)) {
        mark(f.sym, &mut live, &mut work);
    }
    for g in &tu.globals {
        for (_, s, _) in &g.relocs {
            mark(*s, &mut live, &mut work);
        }
    }
    for (i, s) in tu.symbols.iter().enumerate() {
        if let Some(t) = s.alias_of {
            mark(t, &mut live, &mut work);
            mark(SymId(i as u32), &mut live, &mut work);
        }
    }
    for (body, entry) in &tu.nested_entries {
        mark(*body, &mut live, &mut work);
        mark(*entry, &mut live, &mut work);
    }
    while let Some(s) = work.pop() {
        let Some(&i) = by_sym.get(&s) else { continue };
        let mut refs = Vec::new();
        for st in &tu.functions[i].body {
            stmt_refs(st, &mut refs);
        }
        for r in refs {
            mark(r, &mut live, &mut work);
        }
    }
    let dead: HashSet<SymId> = tu
        .functions
        .iter()
        .filter(|f| droppable(f) && !live.contains(&f.sym))
        .map(|f| f.sym)
        .collect();
    tu.functions.retain(|f| !dead.contains(&f.sym));
    for s in dead {
        tu.symbols[s.0 as usize].defined = false;
    }
}

/// Every symbol a statement (with everything inside it) refers to.
fn stmt_refs(s: &Stmt, out: &mut Vec<SymId>) {
    match &s.kind {
        StmtKind::Expr(e)
        | StmtKind::Cleanup(e)
        | StmtKind::GotoIndirect(e)
        | StmtKind::Return(Some(e)) => expr_refs(e, out),
        StmtKind::VlaAlloc { size, .. } => expr_refs(size, out),
        StmtKind::Init { stores, .. } => {
            for st in stores {
                expr_refs(&st.expr, out);
            }
        }
        StmtKind::Block(b) | StmtKind::Scope { body: b, .. } => {
            b.iter().for_each(|s| stmt_refs(s, out))
        }
        StmtKind::If(c, t, e) => {
            expr_refs(c, out);
            t.iter().chain(e).for_each(|s| stmt_refs(s, out));
        }
        StmtKind::While { cond, body, step } => {
            cond.iter().chain(step).for_each(|e| expr_refs(e, out));
            body.iter().for_each(|s| stmt_refs(s, out));
        }
        StmtKind::DoWhile { body, cond } => {
            expr_refs(cond, out);
            body.iter().for_each(|s| stmt_refs(s, out));
        }
        StmtKind::Switch { cond, body, .. } => {
            expr_refs(cond, out);
            body.iter().for_each(|s| stmt_refs(s, out));
        }
        StmtKind::Asm(a) => {
            for op in a.outputs.iter().chain(&a.inputs) {
                if let AsmPlace::Symbol(s, _) = op.place {
                    out.push(s);
                }
                expr_refs(&op.expr, out);
            }
        }
        StmtKind::Label(_)
        | StmtKind::Goto(_)
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Return(None) => {}
    }
}

fn expr_refs(e: &Expr, out: &mut Vec<SymId>) {
    use ExprKind as K;
    match &e.kind {
        K::Global(s) => out.push(*s),
        K::Int(_)
        | K::Float(_)
        | K::LongDouble(_)
        | K::Local(_)
        | K::VlaSize(_)
        | K::LabelAddr(_) => {}
        K::Deref(x)
        | K::Member { base: x, .. }
        | K::Load(x)
        | K::AddrOf(x)
        | K::Cast(_, x)
        | K::Unary(_, x)
        | K::IncDec { lhs: x, .. } => expr_refs(x, out),
        K::Binary(_, a, b)
        | K::PtrAdd {
            ptr: a, index: b, ..
        }
        | K::PtrDiff { lhs: a, rhs: b, .. }
        | K::LogAnd(a, b)
        | K::LogOr(a, b)
        | K::Assign { lhs: a, rhs: b }
        | K::CompoundAssign { lhs: a, rhs: b, .. }
        | K::Comma(a, b)
        | K::Complex { re: a, im: b } => {
            expr_refs(a, out);
            expr_refs(b, out);
        }
        K::Cond(c, a, b) => {
            expr_refs(c, out);
            expr_refs(a, out);
            expr_refs(b, out);
        }
        K::Call { callee, args, .. } => {
            expr_refs(callee, out);
            args.iter().for_each(|a| expr_refs(a, out));
        }
        K::StmtExpr(stmts, last) => {
            stmts.iter().for_each(|s| stmt_refs(s, out));
            if let Some(l) = last {
                expr_refs(l, out);
            }
        }
        K::Temp { init, .. } => stmt_refs(init, out),
        K::Builtin(_, args) => args.iter().for_each(|a| expr_refs(a, out)),
    }
}

/// Keeps only the definition of function `name` (and the private helpers made for it: its
/// nested functions `name.*`, read-only data such as string literals): every other function
/// and every writable object becomes an undefined reference with external linkage. This is
/// the object a reload of `name` from its whole source file needs: the linker binds those
/// references to the image's live definitions (the file's own statics included, see
/// `LinkSession::reload_function`), so state is shared, not duplicated. `false` when the unit
/// does not define `name`.
pub fn keep_only_function(tu: &mut TranslationUnit, name: &str) -> bool {
    let Some(target) = tu
        .functions
        .iter()
        .find(|f| tu.symbols[f.sym.0 as usize].name == name)
        .map(|f| f.sym)
    else {
        return false;
    };
    let helper_prefix = format!("{name}.");
    let keep_fn = |tu: &TranslationUnit, f: &Function| {
        f.sym == target
            || tu.symbols[f.sym.0 as usize]
                .name
                .starts_with(&helper_prefix)
    };
    let kept: HashSet<SymId> = tu
        .functions
        .iter()
        .filter(|f| keep_fn(tu, f))
        .map(|f| f.sym)
        .chain(
            tu.globals
                .iter()
                .filter(|g| g.readonly && g.section.is_none())
                .map(|g| g.sym),
        )
        .collect();
    keep_only(tu, &kept);
    true
}

/// For a unit analysed after another (`sema::analyze_after`): keeps what the unit itself
/// defines, adds a private copy of each inline function of the earlier unit (`bodies`) that it
/// uses, directly or through another, and makes every other symbol an undefined reference.
pub fn keep_only_new(tu: &mut TranslationUnit, bodies: &[std::sync::Arc<Function>]) {
    let by_sym: HashMap<SymId, &Function> = bodies.iter().map(|f| (f.sym, &**f)).collect();
    let mut kept: HashSet<SymId> = tu.functions.iter().map(|f| f.sym).collect();
    kept.extend(tu.globals.iter().map(|g| g.sym));
    let mut refs = Vec::new();
    for f in &tu.functions {
        for st in &f.body {
            stmt_refs(st, &mut refs);
        }
    }
    for g in &tu.globals {
        refs.extend(g.relocs.iter().map(|r| r.1));
    }
    while let Some(s) = refs.pop() {
        let Some(f) = by_sym.get(&s) else { continue };
        if !kept.insert(s) {
            continue;
        }
        for st in &f.body {
            stmt_refs(st, &mut refs);
        }
        tu.functions.push((*f).clone());
    }
    keep_only(tu, &kept);
}

/// Drops every definition outside `kept`; their symbols become undefined references with
/// external linkage, for the linker to bind to the live image.
fn keep_only(tu: &mut TranslationUnit, kept: &HashSet<SymId>) {
    tu.functions.retain(|f| kept.contains(&f.sym));
    tu.globals.retain(|g| kept.contains(&g.sym));
    tu.nested_entries
        .retain(|(b, e)| kept.contains(b) && kept.contains(e));
    for (i, s) in tu.symbols.iter_mut().enumerate() {
        if s.defined && !kept.contains(&SymId(i as u32)) {
            s.defined = false;
            s.linkage = Linkage::External;
            s.alias_of = None;
        }
    }
}

//! Warnings that need a whole function body: gcc's `-Wreturn-type` ("control reaches end of
//! non-void function"), `-Wuninitialized`, and the `-Wunused` family. They run on the typed IR
//! of each function right after sema builds it, and only when the policy wants one of them.

mod flow;
mod unused;

use crate::diag::Diagnostics;
use crate::ir::{Expr, ExprKind, Function, LabelId, Stmt, StmtKind, Symbol};
use crate::source::Loc;
use crate::types::TypeTable;
use crate::warnings::Warning;

/// What the lints know about the function besides its IR.
pub struct FunctionFacts<'a> {
    pub f: &'a Function,
    pub symbols: &'a [Symbol],
    pub types: &'a TypeTable,
    /// The program's labels: (name, label, location, named by a `goto` of a nested function).
    pub labels: Vec<(String, LabelId, Loc, bool)>,
}

const FLOW: &[Warning] = &[
    Warning::ReturnType,
    Warning::Uninitialized,
    Warning::MaybeUninitialized,
];
const UNUSED: &[Warning] = &[
    Warning::UnusedVariable,
    Warning::UnusedButSetVariable,
    Warning::UnusedParameter,
    Warning::UnusedButSetParameter,
    Warning::UnusedLabel,
];

/// Runs the function lints the options ask for.
pub fn function(cx: &FunctionFacts, diags: &mut Diagnostics) {
    if FLOW.iter().any(|&w| diags.wants(w)) {
        flow::check(cx, diags);
    }
    if UNUSED.iter().any(|&w| diags.wants(w)) {
        unused::check(cx, diags);
    }
}

/// Calls `visit` on every expression directly inside `s` (not those nested in expressions),
/// recursing into sub-statements.
fn each_stmt_expr<'a>(s: &'a Stmt, visit: &mut dyn FnMut(&'a Expr)) {
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Cleanup(e) | StmtKind::GotoIndirect(e) => visit(e),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                visit(e)
            }
        }
        StmtKind::Init { stores, .. } => stores.iter().for_each(|st| visit(&st.expr)),
        StmtKind::VlaAlloc { size, .. } => visit(size),
        StmtKind::Block(b) | StmtKind::Scope { body: b, .. } => {
            b.iter().for_each(|s| each_stmt_expr(s, visit))
        }
        StmtKind::If(c, t, e) => {
            visit(c);
            t.iter().chain(e).for_each(|s| each_stmt_expr(s, visit));
        }
        StmtKind::While { cond, body, step } => {
            cond.iter().chain(step).for_each(&mut *visit);
            body.iter().for_each(|s| each_stmt_expr(s, visit));
        }
        StmtKind::DoWhile { body, cond } => {
            visit(cond);
            body.iter().for_each(|s| each_stmt_expr(s, visit));
        }
        StmtKind::Switch { cond, body, .. } => {
            visit(cond);
            body.iter().for_each(|s| each_stmt_expr(s, visit));
        }
        StmtKind::Asm(a) => a
            .outputs
            .iter()
            .chain(&a.inputs)
            .for_each(|o| visit(&o.expr)),
        StmtKind::Label(_) | StmtKind::Goto(_) | StmtKind::Break | StmtKind::Continue => {}
    }
}

/// Calls `visit` on `e` and every expression inside it, statement expressions included.
fn each_subexpr<'a>(e: &'a Expr, visit: &mut dyn FnMut(&'a Expr)) {
    visit(e);
    let mut go = |x: &'a Expr| each_subexpr(x, visit);
    match &e.kind {
        ExprKind::Deref(a)
        | ExprKind::Load(a)
        | ExprKind::AddrOf(a)
        | ExprKind::Cast(_, a)
        | ExprKind::Unary(_, a) => go(a),
        ExprKind::Member { base, .. } => go(base),
        ExprKind::Binary(_, a, c)
        | ExprKind::LogAnd(a, c)
        | ExprKind::LogOr(a, c)
        | ExprKind::Comma(a, c)
        | ExprKind::PtrAdd {
            ptr: a, index: c, ..
        }
        | ExprKind::PtrDiff { lhs: a, rhs: c, .. }
        | ExprKind::Assign { lhs: a, rhs: c }
        | ExprKind::CompoundAssign { lhs: a, rhs: c, .. }
        | ExprKind::Complex { re: a, im: c } => {
            go(a);
            go(c);
        }
        ExprKind::Cond(a, c, d) => {
            go(a);
            go(c);
            go(d);
        }
        ExprKind::IncDec { lhs, .. } => go(lhs),
        ExprKind::Call { callee, args, .. } => {
            go(callee);
            args.iter().for_each(go);
        }
        ExprKind::Builtin(_, args) => args.iter().for_each(go),
        ExprKind::StmtExpr(stmts, last) => {
            for s in stmts {
                each_stmt_expr(s, &mut |x| each_subexpr(x, visit));
            }
            if let Some(l) = last {
                each_subexpr(l, visit);
            }
        }
        ExprKind::Temp { init, .. } => each_stmt_expr(init, &mut |x| each_subexpr(x, visit)),
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::LongDouble(_)
        | ExprKind::Local(_)
        | ExprKind::Global(_)
        | ExprKind::VlaSize(_)
        | ExprKind::LabelAddr(_) => {}
    }
}

/// Every expression of a statement list, nested ones included.
fn each_expr_in<'a>(stmts: &'a [Stmt], visit: &mut dyn FnMut(&'a Expr)) {
    for s in stmts {
        each_stmt_expr(s, &mut |e| each_subexpr(e, visit));
    }
}

/// Every statement of a list, nested ones (not those inside expressions) included.
fn each_stmt<'a>(stmts: &'a [Stmt], visit: &mut dyn FnMut(&'a Stmt)) {
    for s in stmts {
        visit(s);
        match &s.kind {
            StmtKind::Block(b) | StmtKind::Scope { body: b, .. } => each_stmt(b, visit),
            StmtKind::If(_, t, e) => {
                each_stmt(t, visit);
                each_stmt(e, visit);
            }
            StmtKind::While { body, .. }
            | StmtKind::DoWhile { body, .. }
            | StmtKind::Switch { body, .. } => each_stmt(body, visit),
            _ => {}
        }
    }
}

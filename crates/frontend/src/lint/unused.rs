//! `-Wunused-variable`, `-Wunused-but-set-variable`, `-Wunused-parameter`,
//! `-Wunused-but-set-parameter` and `-Wunused-label`, gcc's way: a variable the program never
//! names is unused; one it only stores to (plain `=` or its initializer; `x++` and `x += 1` read
//! it) is set but not used.

use super::{each_expr_in, each_stmt, FunctionFacts};
use crate::diag::Diagnostics;
use crate::ir::{Expr, ExprKind, StmtKind};
use crate::warnings::Warning;

#[derive(Clone, Copy, Default)]
struct Count {
    reads: u32,
    writes: u32,
}

pub(super) fn check(cx: &FunctionFacts, diags: &mut Diagnostics) {
    let f = cx.f;
    let mut counts = vec![Count::default(); f.locals.len()];
    count_body(f, &mut counts);
    for (i, v) in f.locals.iter().enumerate() {
        if !v.user || v.maybe_unused || v.name.starts_with("__") {
            continue;
        }
        let is_param = f.params.iter().any(|p| p.0 as usize == i);
        let c = counts[i];
        // A name sema saw but the IR lost (`sizeof x`, `typeof(x)`) was a use.
        let vanished = v.refs > c.reads + c.writes;
        let (unused, set_only) = match is_param {
            true => (Warning::UnusedParameter, Warning::UnusedButSetParameter),
            false => (Warning::UnusedVariable, Warning::UnusedButSetVariable),
        };
        let what = if is_param { "parameter" } else { "variable" };
        if v.refs == 0 {
            diags.warn(unused, v.loc, format!("unused {what} '{}'", v.name));
        } else if c.reads == 0 && !vanished {
            diags.warn(
                set_only,
                v.loc,
                format!("{what} '{}' set but not used", v.name),
            );
        }
    }
    labels(cx, diags);
}

/// Reads and plain stores of each local (a K&R parameter's conversion from its incoming
/// value is not a use).
fn count_body(f: &crate::ir::Function, counts: &mut [Count]) {
    let mut lhs_of_assign = std::collections::HashSet::new();
    each_expr_in(&f.body, &mut |e| {
        if let ExprKind::Assign { lhs, .. } = &e.kind {
            if let Some(target) = stored_object(lhs) {
                lhs_of_assign.insert(target as *const Expr);
            }
        }
    });
    let mut discarded = std::collections::HashSet::new();
    super::each_stmt(&f.body, &mut |s| match &s.kind {
        StmtKind::Expr(e) => discard(e, &mut discarded),
        StmtKind::While { step: Some(e), .. } => discard(e, &mut discarded),
        _ => {}
    });
    each_expr_in(&f.body, &mut |e| {
        if let ExprKind::Comma(a, _) = &e.kind {
            discard(a, &mut discarded);
        }
    });
    each_expr_in(&f.body, &mut |e| {
        // gcc's rule: an assignment whose value the program goes on to use (`(x = f()) > 0`,
        // `a = b = 0` for `b`) reads what it stored.
        if let ExprKind::Assign { lhs, .. } = &e.kind {
            if !discarded.contains(&(e as *const Expr)) {
                if let Some(ExprKind::Local(id)) = stored_object(lhs).map(|t| &t.kind) {
                    if let Some(c) = counts.get_mut(id.0 as usize) {
                        c.reads += 1;
                    }
                }
            }
        }
        if let ExprKind::Local(id) = e.kind {
            let Some(c) = counts.get_mut(id.0 as usize) else {
                return;
            };
            if lhs_of_assign.contains(&(e as *const Expr)) {
                c.writes += 1;
            } else {
                c.reads += 1;
            }
        }
    });
}

/// Records the expressions whose value is thrown away: `e` itself, both sides of a comma in
/// that position (a cast to `void` is a use, as `(void)x` is).
fn discard(e: &Expr, out: &mut std::collections::HashSet<*const Expr>) {
    out.insert(e as *const Expr);
    if let ExprKind::Comma(a, b) = &e.kind {
        discard(a, out);
        discard(b, out);
    }
}

/// The local an assignment to `lhs` stores into without reading it: `x = ...`, `s.m = ...`,
/// `a[i] = ...` for an array `a`.
fn stored_object(lhs: &Expr) -> Option<&Expr> {
    match &lhs.kind {
        ExprKind::Local(_) => Some(lhs),
        ExprKind::Member { base, .. } => stored_object(base),
        ExprKind::Deref(p) => match &p.kind {
            ExprKind::PtrAdd { ptr, .. } => match &ptr.kind {
                ExprKind::AddrOf(a) => stored_object(a),
                _ => None,
            },
            ExprKind::AddrOf(a) => stored_object(a),
            _ => None,
        },
        _ => None,
    }
}

fn labels(cx: &FunctionFacts, diags: &mut Diagnostics) {
    if !diags.wants(Warning::UnusedLabel) {
        return;
    }
    let f = cx.f;
    let mut used = std::collections::HashSet::new();
    used.extend(f.label_addrs.iter().copied());
    let mut note = |s: &crate::ir::Stmt| match &s.kind {
        StmtKind::Goto(l) => {
            used.insert(*l);
        }
        StmtKind::Asm(a) => used.extend(a.labels.iter().map(|l| l.1)),
        _ => {}
    };
    each_stmt(&f.body, &mut note);
    let mut inner = Vec::new();
    each_expr_in(&f.body, &mut |e| {
        if let ExprKind::StmtExpr(stmts, _) = &e.kind {
            inner.push(stmts);
        }
    });
    for stmts in inner {
        each_stmt(stmts, &mut note);
    }
    for (name, id, loc, from_nested) in &cx.labels {
        if !from_nested && !used.contains(id) {
            diags.warn(
                Warning::UnusedLabel,
                *loc,
                format!("label '{name}' defined but not used"),
            );
        }
    }
}

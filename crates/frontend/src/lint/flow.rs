//! `-Wreturn-type` ("control reaches end of non-void function") and `-Wuninitialized` ("'x' is
//! used uninitialized"), from one forward walk over the function's structured statements.
//!
//! The state at each point is `None` where no path reaches, else the set of locals that *some*
//! path has assigned. A read of a local outside that set is uninitialized on every path, the
//! case gcc reports without optimisation. Loops start with everything the loop assigns already
//! in the set (the second iteration's view), so no fixpoint is needed; a label other code jumps
//! to starts with every local assigned. Calls of `noreturn` functions end a path, and constant
//! conditions are folded, as gcc's CFG does.
//!
//! Like gcc, a use that runs whenever the function runs is "is used uninitialized"
//! (`-Wuninitialized`); one behind a condition is "may be used uninitialized"
//! (`-Wmaybe-uninitialized`).

use super::FunctionFacts;
use crate::diag::Diagnostics;
use crate::ir::{Builtin, CastKind, Expr, ExprKind, LabelId, LocalId, Stmt, StmtKind};
use crate::warnings::Warning;
use std::collections::{HashMap, HashSet};

type Set = Vec<bool>;
type State = Option<Set>;

struct Flow<'a, 'd> {
    cx: &'a FunctionFacts<'a>,
    diags: &'d mut Diagnostics,
    /// Locals the uninitialized check watches: user scalars whose address is never taken.
    watched: Vec<bool>,
    warned: HashSet<LocalId>,
    breaks: Vec<State>,
    continues: Vec<State>,
    /// Entry state of each case label of the switch statements seen so far.
    cases: HashMap<LabelId, State>,
    /// Labels some `goto` (or `&&label`, or asm goto) names.
    jumped_to: HashSet<LabelId>,
    uninit: bool,
    /// Inside a conditional part (an `if` arm, a loop or switch body, the right of `&&`, an
    /// arm of `?:`): a use there is not executed on every run.
    depth: u32,
    /// A conditional part may have left the function (`return`, `goto`, `exit()`): what
    /// follows is not executed on every run either.
    escaped: bool,
}

pub(super) fn check(cx: &FunctionFacts, diags: &mut Diagnostics) {
    let f = cx.f;
    let watched = f
        .locals
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.user
                && !v.addr_taken
                && !f.params.iter().any(|p| p.0 as usize == i)
                && cx.types.is_scalar(v.ty)
        })
        .collect();
    let mut jumped_to: HashSet<LabelId> = f.label_addrs.iter().copied().collect();
    jump_targets(&f.body, &mut jumped_to);
    let uninit = (diags.wants(Warning::Uninitialized) || diags.wants(Warning::MaybeUninitialized))
        && !f.calls_setjmp;
    let mut fl = Flow {
        cx,
        diags,
        watched,
        warned: HashSet::new(),
        breaks: Vec::new(),
        continues: Vec::new(),
        cases: HashMap::new(),
        jumped_to,
        uninit,
        depth: 0,
        escaped: false,
    };
    let entry = Some(vec![false; f.locals.len()]);
    let end = fl.stmts(&f.body, entry);
    let ret = cx
        .types
        .func_type(f.ty)
        .map(|ft| ft.ret)
        .unwrap_or(crate::types::TypeTable::VOID);
    if end.is_some() && !cx.types.is_void(ret) && f.name != "main" {
        fl.diags.warn(
            Warning::ReturnType,
            f.end_loc,
            "control reaches end of non-void function",
        );
    }
}

fn jump_targets(stmts: &[Stmt], out: &mut HashSet<LabelId>) {
    let mut note = |s: &Stmt| match &s.kind {
        StmtKind::Goto(l) => {
            out.insert(*l);
        }
        StmtKind::Asm(a) => out.extend(a.labels.iter().map(|l| l.1)),
        _ => {}
    };
    super::each_stmt(stmts, &mut note);
    let mut inner = Vec::new();
    super::each_expr_in(stmts, &mut |e| {
        if let ExprKind::StmtExpr(s, _) = &e.kind {
            inner.push(s);
        }
    });
    for s in inner {
        super::each_stmt(s, &mut note);
    }
}

fn join(a: State, b: State) -> State {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(mut x), Some(y)) => {
            for (p, q) in x.iter_mut().zip(y) {
                *p |= q;
            }
            Some(x)
        }
    }
}

/// The value of a condition the compiler folds (`1`, `(void *)0`...), if constant.
fn constant(e: &Expr) -> Option<bool> {
    match &e.kind {
        ExprKind::Int(v) => Some(*v != 0),
        ExprKind::Cast(_, x) => constant(x),
        _ => None,
    }
}

impl Flow<'_, '_> {
    fn stmts(&mut self, ss: &[Stmt], mut st: State) -> State {
        for s in ss {
            st = self.stmt(s, st);
        }
        st
    }

    fn assign(&self, st: &mut State, id: LocalId) {
        if let Some(set) = st {
            if let Some(b) = set.get_mut(id.0 as usize) {
                *b = true;
            }
        }
    }

    fn stmt(&mut self, s: &Stmt, st: State) -> State {
        match &s.kind {
            StmtKind::Expr(e) => {
                let st = self.expr(e, st);
                if ends_path(e, self.cx) {
                    self.leave()
                } else {
                    st
                }
            }
            StmtKind::Cleanup(e) => self.expr(e, st),
            StmtKind::Init {
                local,
                zero,
                stores,
            } => {
                let mut st = st;
                for x in stores {
                    st = self.expr(&x.expr, st);
                }
                if *zero || !stores.is_empty() {
                    self.assign(&mut st, *local);
                }
                st
            }
            StmtKind::VlaAlloc { local, size } => {
                let mut st = self.expr(size, st);
                self.assign(&mut st, *local);
                st
            }
            StmtKind::Block(b) | StmtKind::Scope { body: b, .. } => self.stmts(b, st),
            StmtKind::If(c, t, e) => {
                let st = self.expr(c, st);
                let k = constant(c);
                let ts = if k == Some(false) { None } else { st.clone() };
                let es = if k == Some(true) { None } else { st };
                self.depth += 1;
                let a = self.stmts(t, ts);
                let b = self.stmts(e, es);
                self.depth -= 1;
                join(a, b)
            }
            StmtKind::While { cond, body, step } => {
                let head = self.loop_head(st, body, cond.iter().chain(step));
                let (tested, k) = match cond {
                    Some(c) => (self.expr(c, head), constant(c)),
                    None => (head, Some(true)),
                };
                let into = if k == Some(false) {
                    None
                } else {
                    tested.clone()
                };
                self.breaks.push(None);
                self.continues.push(None);
                self.depth += 1;
                let out = self.stmts(body, into);
                let cont = join(out, self.continues.pop().flatten());
                if let Some(s) = step {
                    self.expr(s, cont);
                }
                self.depth -= 1;
                let broke = self.breaks.pop().flatten();
                let exit = if k == Some(true) { None } else { tested };
                join(exit, broke)
            }
            StmtKind::DoWhile { body, cond } => {
                let head = self.loop_head(st, body, std::iter::once(cond));
                self.breaks.push(None);
                self.continues.push(None);
                self.depth += 1;
                let out = self.stmts(body, head);
                let cont = join(out, self.continues.pop().flatten());
                let tested = self.expr(cond, cont);
                self.depth -= 1;
                let broke = self.breaks.pop().flatten();
                let exit = if constant(cond) == Some(true) {
                    None
                } else {
                    tested
                };
                join(exit, broke)
            }
            StmtKind::Switch {
                cond,
                cases,
                default,
                body,
            } => {
                let st = self.expr(cond, st);
                for l in cases.iter().map(|c| c.2).chain(*default) {
                    self.cases.insert(l, st.clone());
                }
                self.breaks.push(None);
                self.depth += 1;
                let out = self.stmts(body, None);
                self.depth -= 1;
                let broke = self.breaks.pop().flatten();
                let fall = if default.is_none() { st } else { None };
                join(join(out, broke), fall)
            }
            StmtKind::Label(l) => {
                let from_case = self.cases.get(l).cloned().flatten();
                let st = join(st, from_case);
                if self.jumped_to.contains(l) {
                    Some(vec![true; self.cx.f.locals.len()])
                } else {
                    st
                }
            }
            StmtKind::Goto(_) => self.leave(),
            StmtKind::GotoIndirect(e) => {
                self.expr(e, st);
                self.leave()
            }
            StmtKind::Break => {
                if let Some(b) = self.breaks.last_mut() {
                    *b = join(b.take(), st);
                }
                None
            }
            StmtKind::Continue => {
                if let Some(c) = self.continues.last_mut() {
                    *c = join(c.take(), st);
                }
                None
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e, st);
                }
                self.leave()
            }
            StmtKind::Asm(a) => {
                let mut st = st;
                for o in a.outputs.iter().chain(&a.inputs) {
                    super::each_subexpr(&o.expr, &mut |x| {
                        if let ExprKind::Local(id) = x.kind {
                            if let Some(set) = &mut st {
                                if let Some(b) = set.get_mut(id.0 as usize) {
                                    *b = true;
                                }
                            }
                        }
                    });
                }
                st
            }
        }
    }

    /// The state at a loop's head: the entry state plus everything the loop assigns.
    fn loop_head<'e>(
        &self,
        st: State,
        body: &[Stmt],
        exprs: impl Iterator<Item = &'e Expr>,
    ) -> State {
        let mut st = st?;
        let mut mark = |e: &Expr| match &e.kind {
            ExprKind::Assign { lhs, .. }
            | ExprKind::CompoundAssign { lhs, .. }
            | ExprKind::IncDec { lhs, .. } => {
                if let ExprKind::Local(id) = lhs.kind {
                    if let Some(b) = st.get_mut(id.0 as usize) {
                        *b = true;
                    }
                }
            }
            _ => {}
        };
        for e in exprs {
            super::each_subexpr(e, &mut mark);
        }
        super::each_expr_in(body, &mut mark);
        super::each_stmt(body, &mut |s| match &s.kind {
            StmtKind::Init { local, .. } | StmtKind::VlaAlloc { local, .. } => {
                if let Some(b) = st.get_mut(local.0 as usize) {
                    *b = true;
                }
            }
            StmtKind::Asm(_) => st.iter_mut().for_each(|b| *b = true),
            _ => {}
        });
        Some(st)
    }

    /// Walks `e` in evaluation order, reporting reads of never-assigned locals.
    fn expr(&mut self, e: &Expr, st: State) -> State {
        match &e.kind {
            ExprKind::Load(x) => {
                if let ExprKind::Local(id) = x.kind {
                    self.read(id, &st, e);
                    st
                } else {
                    self.expr(x, st)
                }
            }
            ExprKind::Assign { lhs, rhs } => {
                let st = self.expr(rhs, st);
                match lhs.kind {
                    ExprKind::Local(id) => {
                        let mut st = st;
                        self.assign(&mut st, id);
                        st
                    }
                    _ => self.expr(lhs, st),
                }
            }
            ExprKind::CompoundAssign { lhs, rhs, .. } => {
                let st = self.expr(rhs, st);
                self.read_modify_write(lhs, st, e)
            }
            ExprKind::IncDec { lhs, .. } => self.read_modify_write(lhs, st, e),
            ExprKind::Cond(c, a, b) => {
                let st = self.expr(c, st);
                self.depth += 1;
                let x = self.expr(a, st.clone());
                let y = self.expr(b, st);
                self.depth -= 1;
                join(x, y)
            }
            ExprKind::LogAnd(a, b) | ExprKind::LogOr(a, b) => {
                let st = self.expr(a, st);
                self.depth += 1;
                let after = self.expr(b, st.clone());
                self.depth -= 1;
                join(st, after)
            }
            ExprKind::StmtExpr(stmts, last) => {
                let st = self.stmts(stmts, st);
                match last {
                    Some(l) => self.expr(l, st),
                    None => st,
                }
            }
            ExprKind::Temp { init, .. } => self.stmt(init, st),
            _ => {
                let mut st = st;
                let mut kids: Vec<&Expr> = Vec::new();
                children(e, &mut kids);
                for k in kids {
                    st = self.expr(k, st);
                }
                st
            }
        }
    }

    /// A path leaves the function here.
    fn leave(&mut self) -> State {
        if self.depth > 0 {
            self.escaped = true;
        }
        None
    }

    fn read_modify_write(&mut self, lhs: &Expr, st: State, at: &Expr) -> State {
        match lhs.kind {
            ExprKind::Local(id) => {
                self.read(id, &st, at);
                let mut st = st;
                self.assign(&mut st, id);
                st
            }
            _ => self.expr(lhs, st),
        }
    }

    fn read(&mut self, id: LocalId, st: &State, at: &Expr) {
        let i = id.0 as usize;
        let Some(set) = st else { return };
        if !self.uninit || !self.watched.get(i).copied().unwrap_or(false) {
            return;
        }
        if set.get(i).copied().unwrap_or(true) || !self.warned.insert(id) {
            return;
        }
        let name = &self.cx.f.locals[i].name;
        let (w, how) = if self.depth == 0 && !self.escaped {
            (Warning::Uninitialized, "is")
        } else {
            (Warning::MaybeUninitialized, "may be")
        };
        self.diags
            .warn(w, at.loc, format!("'{name}' {how} used uninitialized"));
    }
}

/// The direct operands of `e`, in evaluation order.
fn children<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match &e.kind {
        ExprKind::Deref(a)
        | ExprKind::Load(a)
        | ExprKind::AddrOf(a)
        | ExprKind::Cast(_, a)
        | ExprKind::Unary(_, a) => out.push(a),
        ExprKind::Member { base, .. } => out.push(base),
        ExprKind::Binary(_, a, c)
        | ExprKind::Comma(a, c)
        | ExprKind::PtrAdd {
            ptr: a, index: c, ..
        }
        | ExprKind::PtrDiff { lhs: a, rhs: c, .. }
        | ExprKind::Complex { re: a, im: c } => {
            out.push(a);
            out.push(c);
        }
        ExprKind::Call { callee, args, .. } => {
            out.extend(args.iter());
            out.push(callee);
        }
        ExprKind::Builtin(_, args) => out.extend(args.iter()),
        _ => {}
    }
}

/// A statement expression that never completes: a call of a `noreturn` function,
/// `__builtin_trap()` or `__builtin_unreachable()`.
fn ends_path(e: &Expr, cx: &FunctionFacts) -> bool {
    match &e.kind {
        ExprKind::Cast(CastKind::ToVoid, x) => ends_path(x, cx),
        ExprKind::Comma(_, x) => ends_path(x, cx),
        ExprKind::Builtin(Builtin::Trap | Builtin::Unreachable, _) => true,
        ExprKind::Call { callee, .. } => {
            let mut c = &**callee;
            while let ExprKind::AddrOf(x) | ExprKind::Cast(_, x) = &c.kind {
                c = x;
            }
            match c.kind {
                ExprKind::Global(s) => cx
                    .symbols
                    .get(s.0 as usize)
                    .is_some_and(|sym| sym.noreturn || is_noreturn_builtin(&sym.name)),
                _ => false,
            }
        }
        _ => false,
    }
}

/// C library functions gcc knows never return, whatever the headers say.
fn is_noreturn_builtin(name: &str) -> bool {
    matches!(
        name,
        "abort" | "exit" | "_exit" | "_Exit" | "quick_exit" | "longjmp" | "siglongjmp"
    )
}

//! Statements: control flow, labels and `switch` case collection.

use super::*;
use lang_c::span::Node;

impl<'a> Sema<'a> {
    pub(super) fn block_items(&mut self, items: &[Node<ast::BlockItem>]) -> R<Vec<Stmt>> {
        let mut out = Vec::new();
        let mut failed = false;
        for item in items {
            match self.block_item(item) {
                Ok(s) => out.extend(s),
                Err(()) => failed = true,
            }
        }
        if failed {
            Err(())
        } else {
            Ok(out)
        }
    }

    pub(super) fn block_item(&mut self, item: &Node<ast::BlockItem>) -> R<Vec<Stmt>> {
        match &item.node {
            ast::BlockItem::Declaration(d) => self.declaration(d, false),
            ast::BlockItem::StaticAssert(sa) => self.static_assert(sa).map(|_| Vec::new()),
            ast::BlockItem::Statement(s) => Ok(vec![self.stmt(s)?]),
        }
    }

    fn sub_block(&mut self, s: &Node<ast::Statement>) -> R<Vec<Stmt>> {
        // Each substatement of a selection or iteration statement is its own block (C11 6.8.4p3).
        self.push_scope();
        let r = self.stmt(s);
        self.pop_scope();
        Ok(vec![r?])
    }

    /// `goto *e;` (lowered to `__cfree_goto(e);`): `e` must be a pointer (GNU C).
    fn goto_indirect(&mut self, target: &Node<ast::Expression>, loc: Loc) -> R<Stmt> {
        let x = self.expr(target)?;
        if self.types.pointee(x.ty).is_none() {
            let t = self.types.display(x.ty);
            return self.error(x.loc, format!("computed goto needs a pointer, found '{t}'"));
        }
        let vp = self.types.ptr(TypeTable::VOID);
        let x = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(x)), vp, loc);
        Ok(Stmt {
            kind: StmtKind::GotoIndirect(x),
            loc,
        })
    }

    pub(super) fn label_id(&mut self, name: &str, loc: Loc, define: bool) -> R<LabelId> {
        let existing = self.f.as_ref().and_then(|f| f.labels.get(name).copied());
        match existing {
            Some((id, defined, _)) => {
                if define {
                    if defined {
                        return self.error(loc, format!("duplicate label '{name}'"));
                    }
                    if let Some(f) = self.f.as_mut() {
                        f.labels.insert(name.to_string(), (id, true, loc));
                        if f.dyn_scopes > 0 {
                            f.labels_in_dyn_scope.insert(id);
                        }
                    }
                }
                Ok(id)
            }
            None => {
                let id = self.new_label();
                if let Some(f) = self.f.as_mut() {
                    f.labels.insert(name.to_string(), (id, define, loc));
                    if define && f.dyn_scopes > 0 {
                        f.labels_in_dyn_scope.insert(id);
                    }
                }
                Ok(id)
            }
        }
    }

    pub(super) fn stmt(&mut self, s: &Node<ast::Statement>) -> R<Stmt> {
        use ast::Statement as S;
        // A selection or iteration statement is a block, and so are its sub-statements
        // (C11 6.8.4p3, 6.8.5p5): a tag or enumerator declared in its controlling expression
        // (`if (sizeof(enum { A = 1 }))`) is not visible after it.
        if matches!(
            s.node,
            S::If(_) | S::Switch(_) | S::While(_) | S::DoWhile(_)
        ) {
            self.push_scope();
            let r = self.stmt_unscoped(s);
            self.pop_scope();
            return r;
        }
        self.stmt_unscoped(s)
    }

    fn stmt_unscoped(&mut self, s: &Node<ast::Statement>) -> R<Stmt> {
        let loc = self.loc(s.span);
        let mk = |kind| Ok(Stmt { kind, loc });
        use ast::Statement as S;
        match &s.node {
            S::Compound(items) => {
                self.push_scope();
                let outer = self.open_block();
                let r = self.block_items(items);
                let id = self.close_block(outer);
                self.pop_scope();
                mk(StmtKind::Block(vec![id.wrap(r?, loc)]))
            }
            S::Expression(None) => mk(StmtKind::Block(Vec::new())),
            S::Expression(Some(e)) => {
                if let Some(target) = computed_goto_target(e) {
                    return self.goto_indirect(target, loc);
                }
                let x = self.expr_no_decay(e)?;
                // Discarded values: loads of volatile objects still happen; others are free.
                let x = if self.types.is_aggregate(x.ty) {
                    x
                } else {
                    self.rvalue(x)
                };
                self.check_statement_effect(&x);
                mk(StmtKind::Expr(x))
            }
            S::If(i) => {
                let c = self.cond(&i.node.condition)?;
                let t = self.sub_block(&i.node.then_statement);
                let e = match &i.node.else_statement {
                    Some(e) => self.sub_block(e),
                    None => Ok(Vec::new()),
                };
                mk(StmtKind::If(c, t?, e?))
            }
            S::While(w) => {
                let c = self.cond(&w.node.expression)?;
                self.enter_loop();
                let body = self.sub_block(&w.node.statement);
                self.leave_loop();
                mk(StmtKind::While {
                    cond: Some(c),
                    body: body?,
                    step: None,
                })
            }
            S::DoWhile(d) => {
                self.enter_loop();
                let body = self.sub_block(&d.node.statement);
                self.leave_loop();
                let c = self.cond(&d.node.expression)?;
                mk(StmtKind::DoWhile {
                    body: body?,
                    cond: c,
                })
            }
            S::For(f) => {
                // The declarations of the first clause are in a block around the loop.
                self.push_scope();
                let outer = self.open_block();
                let r = (|| {
                    let mut init = match &f.node.initializer.node {
                        ast::ForInitializer::Empty => Vec::new(),
                        ast::ForInitializer::Expression(e) => {
                            let x = self.expr(e)?;
                            vec![Stmt {
                                kind: StmtKind::Expr(x),
                                loc,
                            }]
                        }
                        ast::ForInitializer::Declaration(d) => self.declaration(d, false)?,
                        ast::ForInitializer::StaticAssert(sa) => {
                            self.static_assert(sa)?;
                            Vec::new()
                        }
                    };
                    let cond = match &f.node.condition {
                        Some(c) => Some(self.cond(c)?),
                        None => None,
                    };
                    let step = match &f.node.step {
                        Some(e) => {
                            let x = self.expr(e)?;
                            Some(x)
                        }
                        None => None,
                    };
                    self.enter_loop();
                    let body = self.sub_block(&f.node.statement);
                    self.leave_loop();
                    init.push(Stmt {
                        kind: StmtKind::While {
                            cond,
                            body: body?,
                            step,
                        },
                        loc,
                    });
                    Ok(init)
                })();
                let id = self.close_block(outer);
                self.pop_scope();
                mk(StmtKind::Block(vec![id.wrap(r?, loc)]))
            }
            S::Switch(sw) => {
                let c = self.expr(&sw.node.expression)?;
                if !self.types.is_integer(c.ty) {
                    return self.error(c.loc, "switch quantity not an integer");
                }
                let pt = self.types.promote(c.ty);
                let c = self.convert(c, pt);
                if let Some(f) = self.f.as_mut() {
                    f.switches.push(SwitchCtx {
                        cases: Vec::new(),
                        default: None,
                        ty: pt,
                    });
                }
                let body = self.sub_block(&sw.node.statement);
                let ctx = self.f.as_mut().and_then(|f| f.switches.pop());
                let body = body?;
                let Some(ctx) = ctx else { return Err(()) };
                mk(StmtKind::Switch {
                    cond: c,
                    cases: ctx.cases,
                    default: ctx.default,
                    body,
                })
            }
            S::Labeled(l) => self.labeled(l, loc),
            S::Goto(id) => {
                let lid = self.label_id(&id.node.name, loc, false)?;
                mk(StmtKind::Goto(lid))
            }
            S::Continue => {
                if self.f.as_ref().is_none_or(|f| f.loops == 0) {
                    return self.error(loc, "continue statement not within a loop");
                }
                mk(StmtKind::Continue)
            }
            S::Break => {
                if self
                    .f
                    .as_ref()
                    .is_none_or(|f| f.loops == 0 && f.switches.is_empty())
                {
                    return self.error(loc, "break statement not within loop or switch");
                }
                mk(StmtKind::Break)
            }
            S::Return(e) => {
                let ret = self.f.as_ref().map(|f| f.ret).unwrap_or(TypeTable::VOID);
                match e {
                    None => {
                        if ret != TypeTable::VOID {
                            self.warn_return_type(
                                loc,
                                "'return' with no value, in function returning non-void",
                            );
                        }
                        mk(StmtKind::Return(None))
                    }
                    Some(e) => {
                        let x = self.expr(e)?;
                        if ret == TypeTable::VOID {
                            if x.ty != TypeTable::VOID {
                                self.warn_return_type(
                                    loc,
                                    "'return' with a value, in function returning void",
                                );
                            }
                            return mk(StmtKind::Block(vec![
                                Stmt {
                                    kind: StmtKind::Expr(x),
                                    loc,
                                },
                                Stmt {
                                    kind: StmtKind::Return(None),
                                    loc,
                                },
                            ]));
                        }
                        let x = self.assign_convert(x, ret, "returning")?;
                        mk(StmtKind::Return(Some(x)))
                    }
                }
            }
            S::Asm(a) => {
                let kind = self.asm_stmt(&a.node, loc)?;
                mk(kind)
            }
        }
    }

    fn enter_loop(&mut self) {
        if let Some(f) = self.f.as_mut() {
            f.loops += 1;
        }
    }

    fn leave_loop(&mut self) {
        if let Some(f) = self.f.as_mut() {
            f.loops -= 1;
        }
    }

    fn labeled(&mut self, l: &Node<ast::LabeledStatement>, loc: Loc) -> R<Stmt> {
        let label = match &l.node.label.node {
            ast::Label::Identifier(id) => self.label_id(&id.node.name, loc, true)?,
            ast::Label::Case(e) => {
                let v = self.const_int_expr(e)?;
                self.add_case(v, v, loc)?
            }
            ast::Label::CaseRange(r) => {
                let lo = self.const_int_expr(&r.node.low)?;
                let hi = self.const_int_expr(&r.node.high)?;
                if lo > hi {
                    self.warn(loc, "empty range specified");
                }
                self.add_case(lo, hi, loc)?
            }
            ast::Label::Default => {
                let id = self.new_label();
                let Some(sw) = self.f.as_mut().and_then(|f| f.switches.last_mut()) else {
                    return self.error(loc, "'default' label not within a switch statement");
                };
                if sw.default.is_some() {
                    return self.error(loc, "multiple default labels in one switch");
                }
                sw.default = Some(id);
                id
            }
        };
        let inner = self.stmt(&l.node.statement)?;
        Ok(Stmt {
            kind: StmtKind::Block(vec![
                Stmt {
                    kind: StmtKind::Label(label),
                    loc,
                },
                inner,
            ]),
            loc,
        })
    }

    fn add_case(&mut self, lo: i128, hi: i128, loc: Loc) -> R<LabelId> {
        let id = self.new_label();
        let ty = match self.f.as_ref().and_then(|f| f.switches.last()) {
            Some(sw) => sw.ty,
            None => return self.error(loc, "case label not within a switch statement"),
        };
        let (lo, hi) = (self.norm(lo, ty), self.norm(hi, ty));
        let dup = self
            .f
            .as_ref()
            .and_then(|f| f.switches.last())
            .is_some_and(|sw| sw.cases.iter().any(|c| lo <= c.1 && c.0 <= hi));
        if dup {
            return self.error(loc, "duplicate case value");
        }
        if let Some(sw) = self.f.as_mut().and_then(|f| f.switches.last_mut()) {
            sw.cases.push((lo, hi, id));
        }
        Ok(id)
    }
}

/// The operand of a lowered `goto *e;` statement, if `e` is one.
fn computed_goto_target(e: &Node<ast::Expression>) -> Option<&Node<ast::Expression>> {
    let ast::Expression::Call(c) = &e.node else {
        return None;
    };
    let ast::Expression::Identifier(id) = &c.node.callee.node else {
        return None;
    };
    match c.node.arguments.as_slice() {
        [arg] if id.node.name == "__cfree_goto" => Some(arg),
        _ => None,
    }
}

impl Sema<'_> {
    /// gcc reports a `return` that does not match the function's type even without
    /// `-Wreturn-type` (with no option named then); `-Wno-return-type` silences it.
    fn warn_return_type(&mut self, loc: Loc, msg: &str) {
        use crate::warnings::Warning;
        if self.diags.wants(Warning::ReturnType) {
            self.warn_w(Warning::ReturnType, loc, msg);
        } else if !self.diags.policy.explicitly_off(Warning::ReturnType) {
            self.warn(loc, msg);
        }
    }
}

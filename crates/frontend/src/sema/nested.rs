//! GNU C nested functions.
//!
//! The lowering pass (`lower/nested.rs`) turns a nested definition into a declaration whose
//! marker attribute carries the body, so sema meets it where it stands, with the parent's
//! scopes still on the stack. The nested function becomes an ordinary internal function whose
//! type has one hidden parameter appended after the declared ones: the *static chain*, the
//! address of its parent's *frame*.
//!
//! - A frame is a local array of pointers, one per parent local some nested function uses
//!   ("captured"); sema fills it at the parent's entry (`&x` of every captured local, which is
//!   therefore kept in memory), so nested functions read and write the live variables.
//! - A nested function reaches a local of an ancestor through a chain of frames: its own chain
//!   is its parent's frame; the parent's chain parameter is itself a captured local of the
//!   parent, and so on (`frame_ptr`).
//! - Direct calls pass the chain as the extra argument. Taking the address of a nested function
//!   gives a *trampoline*: a code address from a pool of identical stubs in the object
//!   (codegen's `nested.rs`), allocated at the parent's entry and freed when it returns (a
//!   `Cleanup`); the stub loads the chain and jumps to a per-function entry thunk that moves
//!   the chain into the hidden parameter's register.
//!
//! Levels: the file scope is level 0, a file-scope function is level 1, a function nested in
//! it level 2, ... `self.outer[l - 1]` holds the context of level `l` while a deeper function
//! is analysed; `self.f` is the innermost.

use super::*;
use lang_c::span::Node;

/// One nested function (declared with `auto` or defined).
pub(super) struct NestedFn {
    pub name: String,
    /// The function symbol (with the hidden chain parameter).
    pub sym: SymId,
    /// The C type, without the chain.
    pub cty: TypeId,
    /// Level of the parent, whose frame the chain points to.
    pub level: usize,
    pub defined: bool,
    /// The entry thunk trampolines jump to, once the address is taken.
    pub entry: Option<SymId>,
    /// The parent's local holding this function's trampoline, once the address is taken.
    pub tramp: Option<LocalId>,
    pub loc: Loc,
}

/// A direct call of a nested function (see [`Sema::nested_callee`]).
pub(super) struct NestedCallee {
    pub callee: Expr,
    pub chain: Expr,
    /// The body's type: the C type with the chain parameter appended.
    pub hidden: TypeId,
    pub cty: TypeId,
}

/// Name of the runtime routine that takes a trampoline from the object's pool.
const TRAMP_ALLOC: &str = "__cfree_asm_thunk.nest_alloc";
/// Name of the runtime routine that returns a trampoline to the pool.
const TRAMP_FREE: &str = "__cfree_asm_thunk.nest_free";
/// Prefix of entry thunk names (`crate::ir::TranslationUnit::nested_entries`).
pub const ENTRY_PREFIX: &str = "__cfree_asm_thunk.nest_entry.";

impl<'a> Sema<'a> {
    /// Nesting level of the function being analysed (0 outside functions).
    pub(super) fn level(&self) -> usize {
        self.outer.len() + self.f.is_some() as usize
    }

    fn ctx_at(&mut self, level: usize) -> Option<&mut FnCtx> {
        if level == self.level() {
            self.f.as_mut()
        } else {
            level.checked_sub(1).and_then(|i| self.outer.get_mut(i))
        }
    }

    /// The body of a nested function definition, if `d` is one (the lowering's marker).
    pub(super) fn nested_body(d: &Node<ast::Declarator>) -> Option<&Node<ast::Statement>> {
        d.node.extensions.iter().find_map(|e| match &e.node {
            ast::Extension::Attribute(a)
                if a.name.node.trim_matches('_') == crate::lower::NESTED_MARKER =>
            {
                match a.arguments.first().map(|x| &x.node) {
                    Some(ast::Expression::Statement(s)) => Some(&**s),
                    _ => None,
                }
            }
            _ => None,
        })
    }

    /// A nested function named `name` of C type `cty` declared in the current block: the one
    /// an `auto` declaration in this scope made, or a new one.
    pub(super) fn declare_nested(&mut self, name: &str, cty: TypeId, loc: Loc) -> R<usize> {
        if let Some(&Ordinary::Nested(i)) = self.scopes.last().and_then(|s| s.names.get(name)) {
            if !self.types.compatible(self.nested[i].cty, cty) {
                return self.error(
                    loc,
                    format!("conflicting types for nested function '{name}'"),
                );
            }
            return Ok(i);
        }
        let Some(ft) = self.types.func_type(cty).cloned() else {
            return self.error(loc, format!("'{name}' is not a function"));
        };
        let mut hidden = ft;
        hidden.params.push(self.types.ptr(TypeTable::VOID));
        hidden.has_proto = true;
        let hty = self.types.func(hidden);
        let parent = self.f.as_ref().map(|f| f.name.clone()).unwrap_or_default();
        let n = self.fresh();
        let link = format!("{parent}.{}.{n}", crate::lower::demangle_ident(name));
        let sym = self.push_symbol(link, SymKind::Func, hty, Linkage::Internal, loc);
        self.nested.push(NestedFn {
            name: name.to_string(),
            sym,
            cty,
            level: self.level(),
            defined: false,
            entry: None,
            tramp: None,
            loc,
        });
        let i = self.nested.len() - 1;
        self.bind(name, Ordinary::Nested(i));
        Ok(i)
    }

    /// Where the pending VLA size computations and the function's VLA types stand, so that a
    /// nested definition can drop those its declarator made in the parent.
    pub(super) fn vla_mark(&self) -> (usize, usize) {
        let types = self.f.as_ref().map_or(0, |f| f.vla_types.len());
        (self.pending_vla_sizes.len(), types)
    }

    /// A nested function definition: `dd` is its declarator (`decl`, resolved against `base`;
    /// what came after `vla_mark` came from its parameter types), `body`
    /// the compound statement.
    pub(super) fn nested_definition(
        &mut self,
        mut dd: decl::Declared,
        decl: &Node<ast::Declarator>,
        base: TypeId,
        vla_mark: (usize, usize),
        body_ast: &Node<ast::Statement>,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let loc = dd.loc;
        let Some(name) = dd.name.clone() else {
            return self.error(loc, "nested function definition without a name");
        };
        // Variably modified parameter types are evaluated on each call (the declarator is
        // resolved again inside the nested function), not in the parent.
        let vm_params = self.pending_vla_sizes.len() > vla_mark.0;
        self.pending_vla_sizes.truncate(vla_mark.0);
        if let Some(f) = self.f.as_mut() {
            f.vla_types.truncate(vla_mark.1);
        }
        let Some(mut ft) = self.types.func_type(dd.ty).cloned() else {
            return Err(());
        };
        let mut params = dd.params.take().unwrap_or_default();
        let mut cty = dd.ty;
        if let Some(kr) = dd.kr_names.take() {
            // `int g(i) { ... }`: K&R parameters without declarations are `int`.
            params = kr
                .into_iter()
                .map(|(n, l)| (Some(n), TypeTable::INT, l))
                .collect();
            ft.params = vec![TypeTable::INT; params.len()];
            cty = self.types.func(ft.clone());
        }
        let forward = matches!(
            self.scopes.last().and_then(|s| s.names.get(&name)),
            Some(Ordinary::Nested(_))
        );
        let i = self.declare_nested(&name, cty, loc)?;
        if self.nested[i].defined {
            return self.error(loc, format!("redefinition of nested function '{name}'"));
        }
        self.nested[i].defined = true;
        let sym = self.nested[i].sym;
        self.symbols[sym.0 as usize].defined = true;
        if !self.types.is_void(ft.ret) && !self.types.is_complete(ft.ret) {
            return self.error(loc, "function returns an incomplete type");
        }
        let saved_vla = std::mem::take(&mut self.pending_vla_sizes);
        let parent = self.f.take();
        self.outer.extend(parent);
        self.f = Some(FnCtx::new(name.clone(), ft.ret, ft.variadic));
        self.push_scope();
        let r = self.nested_body_stmts(&params, vm_params, decl, base, body_ast, loc);
        self.pop_scope();
        let ctx = self.f.take();
        self.f = self.outer.pop();
        self.pending_vla_sizes = saved_vla;
        let (Some(mut ctx), Ok((param_ids, body))) = (ctx, r) else {
            return Err(());
        };
        self.undefined_labels(&ctx);
        let body = self.finish_frame(&mut ctx, body, loc);
        self.store_vla_fills(forward, loc, out)?;
        let end = body_ast.span.end;
        let end_loc = self.loc(lang_c::span::Span::span(end.saturating_sub(1), end));
        let hty = self.symbols[sym.0 as usize].ty;
        self.functions.push(Function {
            sym,
            name,
            ty: hty,
            params: param_ids,
            locals: ctx.locals,
            scopes: ctx.scopes,
            labels: ctx.nlabels,
            body,
            loc,
            start_loc: loc,
            body_loc: self.loc(body_ast.span),
            end_loc,
            calls_setjmp: ctx.calls_setjmp,
            is_variadic: ft.variadic,
            inline: false,
            label_addrs: ctx.label_addrs,
            dyn_stack: ctx.dyn_stack,
            inline_hint: InlineHint::Never,
        });
        Ok(())
    }

    /// Inside the nested function's context: its parameters (the chain last) and body.
    fn nested_body_stmts(
        &mut self,
        params: &[(Option<String>, TypeId, Loc)],
        vm_params: bool,
        decl: &Node<ast::Declarator>,
        base: TypeId,
        body_ast: &Node<ast::Statement>,
        loc: Loc,
    ) -> R<(Vec<LocalId>, Vec<Stmt>)> {
        let mut param_ids = Vec::new();
        for (k, (pname, pty, ploc)) in params.iter().enumerate() {
            let pname = pname.clone().unwrap_or_else(|| format!("__param{k}"));
            let id = self.new_local(&pname, *pty, *ploc, true);
            self.bind(&pname, Ordinary::Local(id));
            param_ids.push(id);
        }
        let vp = self.types.ptr(TypeTable::VOID);
        let chain = self.new_local("__cfree_chain", vp, loc, false);
        if let Some(f) = self.f.as_mut() {
            f.chain = Some(chain);
        }
        let mut body = Vec::new();
        if vm_params {
            // Again, with the parameters in scope: the size locals are this function's.
            let again = self.declarator(base, decl)?;
            let types: Vec<TypeId> = again
                .params
                .unwrap_or_default()
                .iter()
                .map(|p| p.1)
                .collect();
            if let Some(f) = self.f.as_mut() {
                for (&id, ty) in param_ids.iter().zip(types) {
                    f.locals[id.0 as usize].ty = ty;
                }
            }
            body.append(&mut self.pending_vla_sizes);
        }
        param_ids.push(chain);
        match &body_ast.node {
            ast::Statement::Compound(items) => body.extend(self.block_items(items)?),
            _ => return self.error(loc, "expected nested function body"),
        }
        self.own_label_conflicts();
        self.nonlocal_exits(&mut body, loc)?;
        Ok((param_ids, body))
    }

    /// `__label__ a, b;` (lowered to `__cfree_local_label(a, b)`): records the names in the
    /// current block; the statement itself does nothing.
    pub(super) fn local_label_decl(&mut self, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        for a in args {
            let ast::Expression::Identifier(id) = &a.node else {
                return self.error(loc, "malformed '__label__' declaration");
            };
            if let Some(s) = self.scopes.last_mut() {
                s.local_labels.push(id.node.name.clone());
            }
        }
        Ok(self.int_const(0, TypeTable::INT, loc))
    }

    /// `&&name` in a nested function that has no label `name` (yet) while an enclosing
    /// function declared `name` with `__label__`: that function's label, whose token its own
    /// `goto *p` dispatches on.
    pub(super) fn enclosing_label_addr(&mut self, name: &str, loc: Loc) -> Option<LabelId> {
        let cur = self.level();
        if self.outer.is_empty() || self.f.as_ref()?.labels.contains_key(name) {
            return None;
        }
        let level = self
            .scopes
            .iter()
            .rev()
            .find(|s| s.local_labels.iter().any(|l| l == name))?
            .level;
        if level >= cur {
            return None;
        }
        let ctx = self.ctx_at(level)?;
        let lid = ctx.use_label(name, loc);
        if !ctx.label_addrs.contains(&lid) {
            ctx.label_addrs.push(lid);
        }
        self.f
            .as_mut()?
            .parent_label_refs
            .push((name.to_string(), loc));
        Some(lid)
    }

    /// `&&name` resolved to an enclosing function's label, yet this function defines `name`.
    fn own_label_conflicts(&mut self) {
        let Some(f) = self.f.as_ref() else {
            return;
        };
        let bad: Vec<(String, Loc)> = f
            .parent_label_refs
            .iter()
            .filter(|(n, _)| f.labels.get(n).is_some_and(|l| l.1))
            .cloned()
            .collect();
        for (name, loc) in bad {
            let _: R<()> = self.error(
                loc,
                format!("'&&{name}' names the enclosing function's label, but this nested function defines its own '{name}'"),
            );
        }
    }

    /// Reports labels used but not defined in a finished function.
    pub(super) fn undefined_labels(&mut self, ctx: &FnCtx) {
        for (lname, (_, defined, lloc)) in &ctx.labels {
            if !defined {
                let _: R<()> = self.error(*lloc, format!("label '{lname}' used but not defined"));
            }
        }
    }

    /// The value of the identifier of nested function `i` used other than as a direct callee:
    /// the function designator `*trampoline`.
    pub(super) fn nested_value(&mut self, i: usize, loc: Loc) -> R<Expr> {
        let (level, cty) = (self.nested[i].level, self.nested[i].cty);
        let pty = self.types.ptr(cty);
        if self.nested[i].entry.is_none() {
            let body = self.nested[i].sym;
            let name = format!("{ENTRY_PREFIX}{}", self.symbols[body.0 as usize].name);
            let entry = self.push_symbol(name, SymKind::Func, cty, Linkage::Internal, loc);
            self.nested[i].entry = Some(entry);
            self.nested_entries.push((body, entry));
        }
        let tramp = match self.nested[i].tramp {
            Some(t) => t,
            None => {
                let Some(ctx) = self.ctx_at(level) else {
                    return Err(());
                };
                let t = ctx.push_local("__cfree_tramp", pty, 8, loc);
                self.nested[i].tramp = Some(t);
                t
            }
        };
        let lv = self.local_at(level, tramp, pty, loc)?;
        let v = Expr::new(ExprKind::Load(Box::new(lv)), pty, loc);
        Ok(Expr::new(ExprKind::Deref(Box::new(v)), cty, loc))
    }

    /// A direct call's callee, if it names a nested function: its body's address (typed with
    /// the hidden parameter) and the chain argument, its parent's frame.
    pub(super) fn nested_callee(
        &mut self,
        callee: &Node<ast::Expression>,
        loc: Loc,
    ) -> R<Option<NestedCallee>> {
        let ast::Expression::Identifier(id) = &callee.node else {
            return Ok(None);
        };
        let Some(Ordinary::Nested(i)) = self.lookup(&id.node.name) else {
            return Ok(None);
        };
        let sym = self.nested[i].sym;
        let hidden = self.symbols[sym.0 as usize].ty;
        let g = Expr::new(ExprKind::Global(sym), hidden, loc);
        let pty = self.types.ptr(hidden);
        let callee = Expr::new(ExprKind::AddrOf(Box::new(g)), pty, loc);
        let chain = self.frame_ptr(self.nested[i].level, loc)?;
        Ok(Some(NestedCallee {
            callee,
            chain,
            hidden,
            cty: self.nested[i].cty,
        }))
    }

    /// The lvalue of local `id` of the function at `level` (the current one or an ancestor).
    pub(super) fn local_at(&mut self, level: usize, id: LocalId, ty: TypeId, loc: Loc) -> R<Expr> {
        if level == self.level() {
            return Ok(Expr::new(ExprKind::Local(id), ty, loc));
        }
        self.outer_local(level, id, loc)
    }

    /// The lvalue of local `id` of the enclosing function at `level`, reached through frames.
    pub(super) fn outer_local(&mut self, level: usize, id: LocalId, loc: Loc) -> R<Expr> {
        let lty = self
            .ctx_at(level)
            .and_then(|c| c.locals.get(id.0 as usize))
            .map(|v| v.ty);
        let is_vla = lty.is_some_and(|t| matches!(self.types.kind(t), TypeKind::Vla { .. }));
        let Some(ctx) = self.ctx_at(level) else {
            return self.internal(loc, "no context for an enclosing function");
        };
        let Some(var) = ctx.locals.get_mut(id.0 as usize) else {
            return self.internal(loc, "unknown local of an enclosing function");
        };
        var.addr_taken = true;
        var.refs = var.refs.saturating_add(1);
        let ty = var.ty;
        let slot = match ctx.captured.iter().position(|&c| c == id) {
            Some(s) => s,
            None => {
                ctx.captured.push(id);
                let slot = ctx.captured.len() - 1;
                if is_vla {
                    ctx.vla_fills.push((slot, id));
                }
                slot
            }
        };
        let fp = self.frame_ptr(level, loc)?;
        let vp = self.types.ptr(TypeTable::VOID);
        let vpp = self.types.ptr(vp);
        let fpp = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(fp)), vpp, loc);
        let index = self.int_const(slot as i128, TypeTable::LONG, loc);
        let at = Expr::new(
            ExprKind::PtrAdd {
                ptr: Box::new(fpp),
                index: Box::new(index),
                scale: 8,
            },
            vpp,
            loc,
        );
        let cell = Expr::new(ExprKind::Deref(Box::new(at)), vp, loc);
        let addr = Expr::new(ExprKind::Load(Box::new(cell)), vp, loc);
        let tp = self.types.ptr(ty);
        let p = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(addr)), tp, loc);
        Ok(Expr::new(ExprKind::Deref(Box::new(p)), ty, loc))
    }

    /// The address of the frame of the function at `level`, as a `void *`, seen from the
    /// current function.
    fn frame_ptr(&mut self, level: usize, loc: Loc) -> R<Expr> {
        let vp = self.types.ptr(TypeTable::VOID);
        let cur = self.level();
        if level == cur {
            let Some(f) = self.f.as_mut() else {
                return self.internal(loc, "frame outside a function");
            };
            return Ok(f.frame_addr(&mut self.types, loc));
        }
        if level > cur || level == 0 {
            return self.internal(loc, "frame of a function not enclosing this one");
        }
        // The chain of the function at `level + 1` is the frame of `level`.
        let Some(chain) = self.ctx_at(level + 1).and_then(|c| c.chain) else {
            return self.internal(loc, "nested function without a static chain");
        };
        let lv = self.local_at(level + 1, chain, vp, loc)?;
        Ok(Expr::new(ExprKind::Load(Box::new(lv)), vp, loc))
    }

    /// `sizeof` of a VLA type in a nested function must use the function's own size local.
    pub(super) fn check_vla_owner(&mut self, ty: TypeId, loc: Loc) {
        // Size locals are numbered per function: a VLA type both made here and by an
        // enclosing function cannot tell whose size local it names.
        let foreign = !self.outer.is_empty()
            && (self.f.as_ref().is_some_and(|f| !f.vla_types.contains(&ty))
                || self.outer.iter().any(|f| f.vla_types.contains(&ty)));
        if foreign {
            self.diags.error(
                loc,
                "a variable-length array type of the enclosing function used in a nested function is not supported by cfree",
            );
        }
    }

    /// The end of a function's analysis: fills its frame and allocates the trampolines of its
    /// nested functions at entry (prepended to `body`), frees them when it returns, and
    /// reports nested functions declared but never defined.
    pub(super) fn finish_frame(&mut self, ctx: &mut FnCtx, body: Vec<Stmt>, loc: Loc) -> Vec<Stmt> {
        let level = self.level() + 1;
        let mine: Vec<usize> = (0..self.nested.len())
            .filter(|&i| self.nested[i].level == level)
            .collect();
        let mut pre = Vec::new();
        for &i in &mine {
            if !self.nested[i].defined {
                let (l, n) = (self.nested[i].loc, self.nested[i].name.clone());
                let _: R<()> = self.error(
                    l,
                    format!("nested function '{n}' declared but never defined"),
                );
            }
        }
        // Nested functions of this one are out of scope from now on.
        for &i in &mine {
            self.nested[i].level = usize::MAX;
        }
        let tramps: Vec<(usize, LocalId)> = mine
            .iter()
            .filter_map(|&i| self.nested[i].tramp.map(|t| (i, t)))
            .collect();
        let frame = if ctx.frame.is_some() || !tramps.is_empty() {
            Some(ctx.frame_addr(&mut self.types, loc))
        } else {
            None
        };
        let Some(frame) = frame else {
            return body;
        };
        let vp = self.types.ptr(TypeTable::VOID);
        let n = ctx.captured.len().max(1) as u64;
        let aty = self.types.array(vp, Some(n));
        if let Some(fl) = ctx.frame {
            ctx.locals[fl.0 as usize].ty = aty;
        }
        for (slot, &id) in ctx.captured.clone().iter().enumerate() {
            let lty = ctx.locals[id.0 as usize].ty;
            if matches!(self.types.kind(lty), TypeKind::Vla { .. }) {
                // Allocated later: stored where the nested function is defined (`vla_fills`).
                continue;
            }
            pre.push(self.frame_store(frame.clone(), slot, id, lty, loc));
        }
        for (i, t) in tramps {
            let (Some(entry), cty) = (self.nested[i].entry, self.nested[i].cty) else {
                continue;
            };
            let pty = self.types.ptr(cty);
            let e = Expr::new(ExprKind::Global(entry), cty, loc);
            let e = Expr::new(ExprKind::AddrOf(Box::new(e)), pty, loc);
            let e = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(e)), vp, loc);
            let alloc = self.runtime_call(TRAMP_ALLOC, vec![frame.clone(), e], vp, loc);
            let alloc = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(alloc)), pty, loc);
            let tl = Expr::new(ExprKind::Local(t), pty, loc);
            pre.push(expr_stmt(assign(tl.clone(), alloc, pty, loc)));
            let tv = Expr::new(ExprKind::Load(Box::new(tl)), pty, loc);
            let tv = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(tv)), vp, loc);
            let free = self.runtime_call(TRAMP_FREE, vec![tv], TypeTable::VOID, loc);
            pre.push(Stmt {
                kind: StmtKind::Cleanup(free),
                loc,
            });
        }
        self.nonlocal_receivers(ctx, &mut pre, loc);
        pre.extend(body);
        pre
    }

    /// At a function's entry, for each label a nested function jumps to:
    /// `if (_setjmp(&jb) != 0) goto label;` (the function keeps every local in memory).
    fn nonlocal_receivers(&mut self, ctx: &mut FnCtx, pre: &mut Vec<Stmt>, loc: Loc) {
        let vp = self.types.ptr(TypeTable::VOID);
        for (name, jb, label) in ctx.nonlocal.clone() {
            if ctx.labels_in_dyn_scope.contains(&label) {
                // The receiver jumps from the entry: the scope's VLA or cleanup state would
                // be that of a jump into the scope.
                let lloc = ctx.labels.get(&name).map_or(loc, |l| l.2);
                let _: R<()> = self.error(
                    lloc,
                    format!("a goto from a nested function to label '{name}', in the scope of a variable-length array or cleanup variable, is not supported by cfree"),
                );
                continue;
            }
            let jty = ctx.locals[jb.0 as usize].ty;
            let lv = Expr::new(ExprKind::Local(jb), jty, loc);
            let addr = Expr::new(ExprKind::AddrOf(Box::new(lv)), vp, loc);
            let call = self.runtime_call("_setjmp", vec![addr], TypeTable::INT, loc);
            let zero = self.int_const(0, TypeTable::INT, loc);
            let cond = Expr::new(
                ExprKind::Binary(BinOp::Ne, Box::new(call), Box::new(zero)),
                TypeTable::INT,
                loc,
            );
            let jump = Stmt {
                kind: StmtKind::Goto(label),
                loc,
            };
            pre.push(Stmt {
                kind: StmtKind::If(cond, vec![jump], Vec::new()),
                loc,
            });
        }
    }

    /// The labels a nested function jumps to but does not define are its parent's
    /// (`__label__` in GNU C): each becomes a label at the end of the body that `longjmp`s to
    /// a receiver at the parent's entry (`nonlocal_receivers`), which jumps to the parent's
    /// label of that name; if the parent does not define it either, the same happens one
    /// level up.
    fn nonlocal_exits(&mut self, body: &mut Vec<Stmt>, loc: Loc) -> R<()> {
        let parent = self.level() - 1;
        let Some(f) = self.f.as_ref() else {
            return Ok(());
        };
        let mut exits: Vec<(String, LabelId, Loc)> = f
            .labels
            .iter()
            .filter(|(_, l)| !l.1)
            .map(|(n, l)| (n.clone(), l.0, l.2))
            .collect();
        exits.sort_by_key(|e| e.1 .0);
        let taken: Vec<LabelId> = f.label_addrs.clone();
        if exits.is_empty() {
            return Ok(());
        }
        // The end of the body returns as before; the exits follow, reached only by `goto`.
        body.push(Stmt {
            kind: StmtKind::Return(None),
            loc,
        });
        let vp = self.types.ptr(TypeTable::VOID);
        let jty = self
            .types
            .array(TypeTable::LONG, Some(self.arch.jmp_buf_size() / 8));
        for (name, id, lloc) in exits {
            if let Some(f) = self.f.as_mut() {
                f.labels.insert(name.clone(), (id, true, lloc));
            }
            if taken.contains(&id) {
                let _: R<()> = self.error(
                    lloc,
                    format!("taking the address of label '{name}' of an enclosing function is not supported by cfree"),
                );
                continue;
            }
            let Some(p) = self.ctx_at(parent) else {
                return self.internal(lloc, "non-local goto without a parent");
            };
            let jb = match p.nonlocal.iter().find(|n| n.0 == name) {
                Some(n) => n.1,
                None => {
                    let jb = p.push_local("__cfree_jmp_buf", jty, 16, lloc);
                    let label = p.use_label(&name, lloc);
                    p.nonlocal.push((name.clone(), jb, label));
                    p.calls_setjmp = true;
                    jb
                }
            };
            let lv = self.outer_local(parent, jb, lloc)?;
            let addr = Expr::new(ExprKind::AddrOf(Box::new(lv)), vp, lloc);
            let one = self.int_const(1, TypeTable::INT, lloc);
            let call = self.runtime_call("longjmp", vec![addr, one], TypeTable::VOID, lloc);
            body.push(Stmt {
                kind: StmtKind::Label(id),
                loc: lloc,
            });
            body.push(expr_stmt(call));
        }
        Ok(())
    }

    /// `frame[slot] = &local`.
    fn frame_store(
        &mut self,
        frame: Expr,
        slot: usize,
        id: LocalId,
        lty: TypeId,
        loc: Loc,
    ) -> Stmt {
        let vp = self.types.ptr(TypeTable::VOID);
        let vpp = self.types.ptr(vp);
        let lv = Expr::new(ExprKind::Local(id), lty, loc);
        let lp = self.types.ptr(lty);
        let addr = Expr::new(ExprKind::AddrOf(Box::new(lv)), lp, loc);
        let addr = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(addr)), vp, loc);
        let fpp = Expr::new(ExprKind::Cast(CastKind::Bitcast, Box::new(frame)), vpp, loc);
        let index = self.int_const(slot as i128, TypeTable::LONG, loc);
        let at = Expr::new(
            ExprKind::PtrAdd {
                ptr: Box::new(fpp),
                index: Box::new(index),
                scale: 8,
            },
            vpp,
            loc,
        );
        let cell = Expr::new(ExprKind::Deref(Box::new(at)), vp, loc);
        expr_stmt(assign(cell, addr, vp, loc))
    }

    /// Frame cells of the current function's VLAs captured since the last nested definition:
    /// stored at the definition, where the arrays are allocated.
    fn store_vla_fills(&mut self, forward: bool, loc: Loc, out: &mut Vec<Stmt>) -> R<()> {
        let Some(f) = self.f.as_mut() else {
            return Ok(());
        };
        let fills = std::mem::take(&mut f.vla_fills);
        if fills.is_empty() {
            return Ok(());
        }
        if forward {
            return self.error(
                loc,
                "a nested function declared with 'auto' that uses a variable-length array of the enclosing function is not supported by cfree",
            );
        }
        let frame = f.frame_addr(&mut self.types, loc);
        for (slot, id) in fills {
            let lty = self.local_ty(id);
            let st = self.frame_store(frame.clone(), slot, id, lty, loc);
            out.push(st);
        }
        Ok(())
    }

    /// Reports a broken invariant of this module as a located error (never a panic).
    fn internal<T>(&mut self, loc: Loc, what: &str) -> R<T> {
        self.error(
            loc,
            format!("internal error in nested function support: {what}"),
        )
    }

    /// A call of one of the routines nested functions need (the trampoline pool's, or libc's
    /// `_setjmp`/`longjmp`), declared once per unit under its own symbol so that it cannot
    /// clash with the program's declarations.
    fn runtime_call(&mut self, name: &'static str, args: Vec<Expr>, ret: TypeId, loc: Loc) -> Expr {
        let fty = self.types.func(FuncType {
            ret,
            params: args.iter().map(|a| a.ty).collect(),
            variadic: false,
            has_proto: true,
        });
        let sym = match self.nested_runtime.get(name) {
            Some(&s) => s,
            None => {
                let s = self.push_symbol(name.into(), SymKind::Func, fty, Linkage::External, loc);
                self.nested_runtime.insert(name, s);
                s
            }
        };
        let g = Expr::new(ExprKind::Global(sym), fty, loc);
        let pty = self.types.ptr(fty);
        let callee = Expr::new(ExprKind::AddrOf(Box::new(g)), pty, loc);
        Expr::new(
            ExprKind::Call {
                callee: Box::new(callee),
                args,
                fty,
            },
            ret,
            loc,
        )
    }
}

impl FnCtx {
    pub(super) fn new(name: String, ret: TypeId, is_variadic: bool) -> FnCtx {
        FnCtx {
            locals: Vec::new(),
            labels: HashMap::new(),
            nlabels: 0,
            label_addrs: Vec::new(),
            dyn_stack: false,
            ret,
            name,
            switches: Vec::new(),
            loops: 0,
            calls_setjmp: false,
            is_variadic,
            reg_vars: HashMap::new(),
            chain: None,
            frame: None,
            captured: Vec::new(),
            vla_fills: Vec::new(),
            nonlocal: Vec::new(),
            parent_label_refs: Vec::new(),
            dyn_scopes: 0,
            labels_in_dyn_scope: Default::default(),
            vla_types: Default::default(),
            gnu_inline_only: false,
            forwards_va_pack: false,
            scopes: vec![LexicalScope { parent: None }],
            scope: ScopeId::BODY,
        }
    }

    /// The label `name` of this function, made (not yet defined) if new.
    fn use_label(&mut self, name: &str, loc: Loc) -> LabelId {
        if let Some(l) = self.labels.get(name) {
            return l.0;
        }
        let id = LabelId(self.nlabels);
        self.nlabels += 1;
        self.labels.insert(name.to_string(), (id, false, loc));
        id
    }

    fn push_local(&mut self, name: &str, ty: TypeId, align: u64, loc: Loc) -> LocalId {
        self.locals.push(LocalVar {
            name: name.to_string(),
            ty,
            addr_taken: false,
            align,
            loc,
            user: false,
            scope: ScopeId::BODY,
            refs: 0,
            maybe_unused: false,
        });
        LocalId(self.locals.len() as u32 - 1)
    }

    /// `&frame` as a `void *` (the frame local is made on first use; its length is set when
    /// the function is finished).
    fn frame_addr(&mut self, types: &mut TypeTable, loc: Loc) -> Expr {
        let vp = types.ptr(TypeTable::VOID);
        let aty = types.array(vp, Some(1));
        let fl = match self.frame {
            Some(f) => f,
            None => {
                let f = self.push_local("__cfree_frame", aty, 8, loc);
                self.locals[f.0 as usize].addr_taken = true;
                self.frame = Some(f);
                f
            }
        };
        let lv = Expr::new(ExprKind::Local(fl), aty, loc);
        Expr::new(ExprKind::AddrOf(Box::new(lv)), vp, loc)
    }
}

fn assign(lhs: Expr, rhs: Expr, ty: TypeId, loc: Loc) -> Expr {
    Expr::new(
        ExprKind::Assign {
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        ty,
        loc,
    )
}

fn expr_stmt(e: Expr) -> Stmt {
    let loc = e.loc;
    Stmt {
        kind: StmtKind::Expr(e),
        loc,
    }
}

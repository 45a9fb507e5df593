//! GNU vector types (`__attribute__((vector_size(N)))`): sema expands every vector operator
//! into per-lane scalar operations on temporaries, so codegen only sees vectors as
//! aggregates in memory (copied, passed and returned like them, with their own ABI class).

use super::*;
use lang_c::ast;

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl<'a> Sema<'a> {
    /// The vector type of `n` bytes of lanes `elem` (gcc: a power-of-two multiple of the lane size).
    pub(super) fn vector_type(&mut self, elem: TypeId, n: u64, loc: Loc) -> R<TypeId> {
        let elem = self.types.unqualified(elem);
        if !self.types.is_arith(elem) || self.types.kind(elem) == &TypeKind::Int(IntKind::Bool) {
            let t = self.types.display(elem);
            return self.error(
                loc,
                format!("invalid vector type for attribute 'vector_size' (lane type '{t}')"),
            );
        }
        if matches!(
            self.types.kind(elem),
            TypeKind::Float(FloatKind::LongDouble)
        ) || self.types.size(elem) > 8
        {
            return self.error(
                loc,
                "vector types of 'long double' or 128-bit lanes are not supported by cfree yet",
            );
        }
        let es = self.types.size(elem);
        if n == 0 || !n.is_multiple_of(es) || !(n / es).is_power_of_two() || n > 1 << 16 {
            return self.error(
                loc,
                format!("vector size {n} is not a power-of-two multiple of the lane size {es}"),
            );
        }
        Ok(self.types.vector(elem, n / es))
    }

    /// A fresh local holding `e`, and the statement that stores it.
    fn vec_spill(&mut self, e: Expr, stmts: &mut Vec<Stmt>) -> LocalId {
        let loc = e.loc;
        let local = self.new_local("__vec", e.ty, loc, false);
        if let Some(f) = self.f.as_mut() {
            f.locals[local.0 as usize].addr_taken = true;
        }
        stmts.push(Stmt {
            kind: StmtKind::Init {
                local,
                zero: false,
                stores: vec![InitStore {
                    offset: 0,
                    expr: e,
                    bit: None,
                }],
            },
            loc,
        });
        local
    }

    fn local_expr(&self, l: LocalId, loc: Loc) -> Expr {
        let ty = self
            .f
            .as_ref()
            .map(|f| f.locals[l.0 as usize].ty)
            .unwrap_or(TypeTable::INT);
        Expr::new(ExprKind::Local(l), ty, loc)
    }

    /// Lane `i` of the vector local `l` as an lvalue.
    fn lane(&self, l: LocalId, elem: TypeId, i: u64, loc: Loc) -> Expr {
        let es = self.types.size(elem);
        let base = self.local_expr(l, loc);
        Expr::new(
            ExprKind::Member {
                base: b(base),
                offset: i * es,
                bit: None,
            },
            elem,
            loc,
        )
    }

    fn need_fn(&mut self, loc: Loc) -> R<()> {
        if self.f.is_none() {
            return self.error(
                loc,
                "vector operations outside a function are not supported by cfree yet",
            );
        }
        Ok(())
    }

    /// An operand of a vector operation: a vector spilled to a local, or a scalar converted to
    /// the lane type and spilled (gcc broadcasts it to every lane). A scalar wider than the
    /// lanes is an error unless it is a constant that fits or a shift count.
    fn vec_operand(
        &mut self,
        e: Expr,
        vty: TypeId,
        elem: TypeId,
        shift_count: bool,
        stmts: &mut Vec<Stmt>,
    ) -> R<Operand> {
        if self.types.is_vector(e.ty) {
            let ety = self.types.unqualified(e.ty);
            if ety != vty && !self.vec_assign_ok(vty, ety) {
                let (a, c) = (self.types.display(e.ty), self.types.display(vty));
                return self.error(e.loc, format!("operands of a vector operation have different vector types ('{a}' and '{c}')"));
            }
            return Ok(Operand::Vec(self.vec_spill(e, stmts)));
        }
        if !self.types.is_arith(e.ty) {
            let t = self.types.display(e.ty);
            return self.error(
                e.loc,
                format!("invalid operand of type '{t}' in a vector operation"),
            );
        }
        if let Some(v) = self.const_int(&e) {
            // gcc: an integer constant must fit the lane type.
            // gcc: an integer constant must fit the lane width, read as signed or unsigned
            // (`-18` broadcasts to `unsigned` lanes).
            let signed = self.signed_lane(elem);
            let fits = self.norm(v, elem) == v || self.norm(v, signed) == v;
            if self.types.is_integer(elem) && !fits {
                let t = self.types.display(elem);
                return self.error(e.loc, format!("conversion of scalar '{v}' to vector lanes of type '{t}' loses information"));
            }
        } else if self.types.is_integer(elem)
            && self.types.is_integer(e.ty)
            && self.types.size(e.ty) > self.types.size(elem)
            && !shift_count
        {
            return self.error(e.loc, "conversion of scalar to vector involves truncation");
        } else if self.types.is_integer(elem) && self.types.is_float(e.ty) {
            return self.error(
                e.loc,
                "conversion of a floating scalar to an integer vector is not allowed",
            );
        }
        let c = self.convert(e, elem);
        Ok(Operand::Scalar(self.vec_spill(c, stmts)))
    }

    fn operand_lane(&self, o: &Operand, elem: TypeId, i: u64, loc: Loc) -> Expr {
        let lv = match o {
            Operand::Vec(l) => self.lane(*l, elem, i, loc),
            Operand::Scalar(l) => self.local_expr(*l, loc),
        };
        let ty = lv.ty;
        Expr::new(ExprKind::Load(b(lv)), ty, loc)
    }

    /// `l op r` where at least one side is a vector.
    pub(super) fn vec_binary(
        &mut self,
        op: ast::BinaryOperator,
        l: Expr,
        r: Expr,
        loc: Loc,
    ) -> R<Expr> {
        use ast::BinaryOperator as B;
        self.need_fn(loc)?;
        let vty = if self.types.is_vector(l.ty) {
            l.ty
        } else {
            r.ty
        };
        let vty = self.types.unqualified(vty);
        let Some((elem, count)) = self.types.vector_parts(vty) else {
            return self.error(loc, "vector operand expected");
        };
        let cmp = matches!(
            op,
            B::Less | B::Greater | B::LessOrEqual | B::GreaterOrEqual | B::Equals | B::NotEquals
        );
        let int_op = matches!(
            op,
            B::Modulo | B::ShiftLeft | B::ShiftRight | B::BitwiseAnd | B::BitwiseOr | B::BitwiseXor
        );
        if int_op && !self.types.is_integer(elem) {
            return self.error(
                loc,
                "invalid operands to a binary operator on a floating vector",
            );
        }
        if matches!(op, B::LogicalAnd | B::LogicalOr) {
            return self.error(
                loc,
                "'&&' and '||' on vector types are not supported by cfree yet",
            );
        }
        let mut stmts = Vec::new();
        // gcc takes any integer scalar as the count of a vector shift.
        let shift = matches!(op, B::ShiftLeft | B::ShiftRight);
        let lo = self.vec_operand(l, vty, elem, false, &mut stmts)?;
        let ro = self.vec_operand(r, vty, elem, shift, &mut stmts)?;
        let res_elem = if cmp { self.signed_lane(elem) } else { elem };
        let rty = self.types.vector(res_elem, count);
        let res = self.new_local("__vecres", rty, loc, false);
        if let Some(f) = self.f.as_mut() {
            f.locals[res.0 as usize].addr_taken = true;
        }
        for i in 0..count {
            let a = self.operand_lane(&lo, elem, i, loc);
            let c = self.operand_lane(&ro, elem, i, loc);
            let mut v = self.binary_values(op.clone(), a, c, loc)?;
            if cmp {
                let t = v.ty;
                v = Expr::new(ExprKind::Unary(UnOp::Neg, b(v)), t, loc);
            }
            let v = self.convert(v, res_elem);
            let dst = self.lane(res, res_elem, i, loc);
            stmts.push(self.assign_stmt(dst, v, loc));
        }
        let out = self.local_expr(res, loc);
        Ok(Expr::new(
            ExprKind::StmtExpr(stmts, Some(b(Expr::new(ExprKind::Load(b(out)), rty, loc)))),
            rty,
            loc,
        ))
    }

    fn assign_stmt(&self, dst: Expr, v: Expr, loc: Loc) -> Stmt {
        let ty = dst.ty;
        Stmt {
            kind: StmtKind::Expr(Expr::new(
                ExprKind::Assign {
                    lhs: b(dst),
                    rhs: b(v),
                },
                ty,
                loc,
            )),
            loc,
        }
    }

    /// The signed integer type of a lane's width (the lane type of a comparison result).
    fn signed_lane(&self, elem: TypeId) -> TypeId {
        match self.types.size(elem) {
            1 => TypeTable::int_type(IntKind::SChar),
            2 => TypeTable::int_type(IntKind::Short),
            4 => TypeTable::INT,
            _ => TypeTable::LONG,
        }
    }

    /// Unary `-`, `+`, `~` on a vector.
    pub(super) fn vec_unary(&mut self, op: Option<UnOp>, x: Expr, loc: Loc) -> R<Expr> {
        self.need_fn(loc)?;
        let vty = self.types.unqualified(x.ty);
        let Some((elem, _)) = self.types.vector_parts(vty) else {
            return self.error(loc, "vector operand expected");
        };
        if op == Some(UnOp::BitNot) && !self.types.is_integer(elem) {
            return self.error(
                loc,
                "wrong type argument to bit-complement (floating vector)",
            );
        }
        let Some(op) = op else { return Ok(x) };
        Ok(self.map_lanes(x, vty, loc, |s, a| {
            let pt = s.types.promote(elem);
            let a = s.convert(a, pt);
            let v = Expr::new(ExprKind::Unary(op, b(a)), pt, loc);
            s.convert(v, elem)
        }))
    }

    /// A vector of type `to` whose lane `i` is `f(lane i of x)` (same lane count), with `x`
    /// evaluated once into a temporary.
    fn map_lanes(
        &mut self,
        x: Expr,
        to: TypeId,
        loc: Loc,
        mut f: impl FnMut(&mut Self, Expr) -> Expr,
    ) -> Expr {
        let (selem, n) = self.types.vector_parts(x.ty).unwrap_or((TypeTable::INT, 0));
        let delem = self.types.vector_parts(to).map_or(TypeTable::INT, |p| p.0);
        let mut stmts = Vec::new();
        let src = self.vec_spill(x, &mut stmts);
        let res = self.new_local("__vecres", to, loc, false);
        for i in 0..n {
            let a = self.operand_lane(&Operand::Vec(src), selem, i, loc);
            let v = f(self, a);
            let dst = self.lane(res, delem, i, loc);
            stmts.push(self.assign_stmt(dst, v, loc));
        }
        let out = self.local_expr(res, loc);
        Expr::new(
            ExprKind::StmtExpr(stmts, Some(b(Expr::new(ExprKind::Load(b(out)), to, loc)))),
            to,
            loc,
        )
    }

    /// `v[i]`: the lane as an lvalue, through the vector's address (`v` must be an lvalue;
    /// an rvalue vector is spilled to a temporary first).
    pub(super) fn vec_index(&mut self, v: Expr, i: Expr, loc: Loc) -> R<Expr> {
        let Some((elem, _)) = self.types.vector_parts(v.ty) else {
            return self.error(loc, "vector operand expected");
        };
        if !self.types.is_integer(i.ty) {
            return self.error(loc, "array subscript is not an integer");
        }
        let v = if v.is_lvalue() {
            v
        } else {
            self.need_fn(loc)?;
            let mut stmts = Vec::new();
            let t = self.vec_spill(v, &mut stmts);
            let lv = self.local_expr(t, loc);
            let ty = lv.ty;
            // The statement expression yields the temporary's address; `Deref` makes it an lvalue.
            let pty = self.types.ptr(ty);
            let addr = Expr::new(ExprKind::AddrOf(b(lv)), pty, loc);
            let se = Expr::new(ExprKind::StmtExpr(stmts, Some(b(addr))), pty, loc);
            Expr::new(ExprKind::Deref(b(se)), ty, loc)
        };
        self.mark_addr_taken(&v);
        let ept = self.types.ptr(elem);
        let vpt = self.types.ptr(v.ty);
        let addr = Expr::new(ExprKind::AddrOf(b(v)), vpt, loc);
        let p = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(addr)), ept, loc);
        let sum = self.ptr_add(p, i, false, loc)?;
        Ok(Expr::new(ExprKind::Deref(b(sum)), elem, loc))
    }

    /// `__builtin_convertvector(v, T)` (rewritten by lowering to
    /// `__cfree_convertvector(v, (T *)0)`): each lane converted as by a cast to `T`'s lane
    /// type; both vectors must have the same number of lanes.
    pub(super) fn convert_vector(
        &mut self,
        args: &[lang_c::span::Node<ast::Expression>],
        loc: Loc,
    ) -> R<Expr> {
        let [v, t] = args else {
            return self.error(loc, "'__builtin_convertvector' takes a vector and a type");
        };
        let v = self.expr(v)?;
        let t = self.expr(t)?;
        let to = self.types.pointee(t.ty).map(|p| self.types.unqualified(p));
        let from = self.types.unqualified(v.ty);
        let (Some((_, n)), Some(to)) = (self.types.vector_parts(from), to) else {
            return self.error(
                loc,
                "'__builtin_convertvector' needs a vector operand and a vector type",
            );
        };
        let Some((delem, m)) = self.types.vector_parts(to) else {
            return self.error(
                loc,
                "'__builtin_convertvector' needs a vector type as its second argument",
            );
        };
        if n != m {
            return self.error(
                loc,
                "'__builtin_convertvector' between vectors of different lane counts",
            );
        }
        self.need_fn(loc)?;
        Ok(self.map_lanes(v, to, loc, |s, a| s.convert(a, delem)))
    }

    /// Casts involving vectors: between vectors and to/from integers of the same size, a
    /// reinterpretation of the bytes.
    pub(super) fn vec_cast(&mut self, x: Expr, to: TypeId, loc: Loc) -> R<Expr> {
        let to = self.types.unqualified(to);
        let ok = (self.types.is_vector(to) || self.types.is_integer(to))
            && (self.types.is_vector(x.ty) || self.types.is_integer(x.ty))
            && self.types.size(to) == self.types.size(x.ty);
        if !ok {
            let (a, c) = (self.types.display(x.ty), self.types.display(to));
            return self.error(loc, format!("cannot convert a value of type '{a}' to type '{c}' (vector casts need equal sizes)"));
        }
        if self.types.compatible(self.types.unqualified(x.ty), to) {
            return Ok(x);
        }
        self.need_fn(loc)?;
        let mut stmts = Vec::new();
        let t = self.vec_spill(x, &mut stmts);
        let base = self.local_expr(t, loc);
        let lv = Expr::new(
            ExprKind::Member {
                base: b(base),
                offset: 0,
                bit: None,
            },
            to,
            loc,
        );
        let val = Expr::new(ExprKind::Load(b(lv)), to, loc);
        Ok(Expr::new(ExprKind::StmtExpr(stmts, Some(b(val))), to, loc))
    }
}

enum Operand {
    Vec(LocalId),
    Scalar(LocalId),
}

impl<'a> Sema<'a> {
    /// `v op= r` on a vector lvalue: `*(p = &v) = *p op r`, evaluating `v` once.
    pub(super) fn vec_compound(
        &mut self,
        op: ast::BinaryOperator,
        l: Expr,
        r: Expr,
        loc: Loc,
    ) -> R<Expr> {
        self.need_fn(loc)?;
        let lty = l.ty;
        self.mark_addr_taken(&l);
        let pty = self.types.ptr(lty);
        let addr = Expr::new(ExprKind::AddrOf(b(l)), pty, loc);
        let mut stmts = Vec::new();
        let p = self.vec_spill(addr, &mut stmts);
        let deref = |s: &Self| {
            let pl = s.local_expr(p, loc);
            let pv = Expr::new(ExprKind::Load(b(pl)), pty, loc);
            Expr::new(ExprKind::Deref(b(pv)), lty, loc)
        };
        let cur = deref(self);
        let vty = self.types.unqualified(lty);
        let cur = Expr::new(ExprKind::Load(b(cur)), vty, loc);
        let v = self.vec_binary(op, cur, r, loc)?;
        let v = self.assign_convert(v, vty, "assigning to")?;
        let dst = deref(self);
        let st = self.assign_stmt(dst, v, loc);
        let StmtKind::Expr(e) = st.kind else {
            unreachable!()
        };
        Ok(Expr::new(ExprKind::StmtExpr(stmts, Some(b(e))), vty, loc))
    }

    /// Assignment conversion between vector types: same size and lane count, lanes of the same
    /// type up to signedness (gcc without -flax-vector-conversions).
    pub(super) fn vec_assign_ok(&self, to: TypeId, from: TypeId) -> bool {
        let (Some((a, n)), Some((c, m))) =
            (self.types.vector_parts(to), self.types.vector_parts(from))
        else {
            return false;
        };
        n == m
            && (a == c
                || (self.types.is_integer(a)
                    && self.types.is_integer(c)
                    && self.types.size(a) == self.types.size(c)))
    }
}

impl<'a> Sema<'a> {
    /// `__builtin_shuffle(a, mask)` / `__builtin_shuffle(a, b, mask)`: lane `i` of the result is
    /// lane `mask[i]` (modulo the lane count of the inputs) of `a`, or of `a` then `b`.
    pub(super) fn vec_shuffle(&mut self, mut vals: Vec<Expr>, loc: Loc) -> R<Expr> {
        self.need_fn(loc)?;
        if !(2..=3).contains(&vals.len()) {
            return self.error(loc, "'__builtin_shuffle' takes 2 or 3 arguments");
        }
        let Some(mask) = vals.pop() else {
            return self.error(loc, "'__builtin_shuffle' takes 2 or 3 arguments");
        };
        let vty = self.types.unqualified(vals[0].ty);
        let (Some((elem, n)), Some((melem, mn))) = (
            self.types.vector_parts(vty),
            self.types.vector_parts(mask.ty),
        ) else {
            return self.error(loc, "'__builtin_shuffle' arguments must be vectors");
        };
        let same = vals
            .iter()
            .all(|v| self.types.compatible(self.types.unqualified(v.ty), vty));
        if !same
            || !self.types.is_integer(melem)
            || mn != n
            || self.types.size(melem) != self.types.size(elem)
        {
            return self.error(
                loc,
                "'__builtin_shuffle' needs vectors of one type and an integer mask of the same lane count and width",
            );
        }
        let total = n * vals.len() as u64;
        let es = self.types.size(elem);
        let arr = self.types.array(elem, Some(total));
        let pool = self.new_local("__shuf", arr, loc, false);
        let mut stmts = Vec::new();
        let stores = vals
            .into_iter()
            .enumerate()
            .map(|(k, v)| InitStore {
                offset: k as u64 * n * es,
                expr: v,
                bit: None,
            })
            .collect();
        stmts.push(Stmt {
            kind: StmtKind::Init {
                local: pool,
                zero: false,
                stores,
            },
            loc,
        });
        let m = self.vec_spill(mask, &mut stmts);
        let res = self.new_local("__vecres", vty, loc, false);
        let ept = self.types.ptr(elem);
        let apt = self.types.ptr(arr);
        for i in 0..n {
            let sel = self.operand_lane(&Operand::Vec(m), melem, i, loc);
            let sel = self.convert(sel, TypeTable::ULONG);
            let k = Expr::new(ExprKind::Int((total - 1) as i128), TypeTable::ULONG, loc);
            let idx = Expr::new(
                ExprKind::Binary(BinOp::BitAnd, b(sel), b(k)),
                TypeTable::ULONG,
                loc,
            );
            let base = self.local_expr(pool, loc);
            let addr = Expr::new(ExprKind::AddrOf(b(base)), apt, loc);
            let p = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(addr)), ept, loc);
            let sum = self.ptr_add(p, idx, false, loc)?;
            let lane = Expr::new(ExprKind::Deref(b(sum)), elem, loc);
            let v = Expr::new(ExprKind::Load(b(lane)), elem, loc);
            let dst = self.lane(res, elem, i, loc);
            stmts.push(self.assign_stmt(dst, v, loc));
        }
        let out = self.local_expr(res, loc);
        let val = Expr::new(ExprKind::Load(b(out)), vty, loc);
        Ok(Expr::new(ExprKind::StmtExpr(stmts, Some(b(val))), vty, loc))
    }
}

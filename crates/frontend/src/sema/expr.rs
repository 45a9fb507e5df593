//! Expressions: typing, implicit conversions made explicit, lvalue checks, builtins.

use super::*;
use crate::builtins::{self, BuiltinKind};
use crate::warnings::Warning;
use lang_c::span::Node;

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl<'a> Sema<'a> {
    /// Analyses an expression and applies lvalue conversion, array and function decay.
    pub(super) fn expr(&mut self, e: &Node<ast::Expression>) -> R<Expr> {
        let x = self.expr_no_decay(e)?;
        Ok(self.rvalue(x))
    }

    /// The address of a `va_list` for the `va_*` builtins. Where it is an array (x86-64) a
    /// local `va_list` decays to its address and a `va_list` parameter (adjusted to a pointer)
    /// is loaded; where it is a record or a pointer (AArch64, RISC-V) the operand is the
    /// `va_list` object itself, whose address is taken.
    fn va_list_operand(&mut self, e: &Node<ast::Expression>) -> R<Expr> {
        let x = self.expr_no_decay(e)?;
        let bad = |s: &mut Self, x: &Expr| {
            let t = s.types.display(x.ty);
            s.error(x.loc, format!("expected a va_list, found '{t}'"))
        };
        if !self.types.va_list_is_array() {
            let is_va = match self.types.va_list {
                crate::target::VaListKind::Pointer => self.types.is_pointer(x.ty),
                _ => matches!(self.types.kind(x.ty), TypeKind::VaList),
            };
            if !is_va || !x.is_lvalue() {
                return bad(self, &x);
            }
            self.mark_addr_taken(&x);
            let loc = x.loc;
            let pty = self.types.ptr(TypeTable::VOID);
            return Ok(Expr::new(ExprKind::AddrOf(b(x)), pty, loc));
        }
        let x = self.rvalue(x);
        if self.types.pointee(x.ty).is_none() {
            return bad(self, &x);
        }
        Ok(x)
    }

    /// Lvalue conversion / decay of an analysed expression.
    pub(super) fn rvalue(&mut self, e: Expr) -> Expr {
        let loc = e.loc;
        match self.types.kind(e.ty).clone() {
            TypeKind::Array(elem, _) | TypeKind::Vla { elem, .. } => {
                self.mark_addr_taken(&e);
                let pty = self.types.ptr(elem);
                Expr::new(ExprKind::AddrOf(b(e)), pty, loc)
            }
            TypeKind::VaList if self.types.va_list_is_array() => {
                self.mark_addr_taken(&e);
                let pty = self.types.ptr(TypeTable::VOID);
                Expr::new(ExprKind::AddrOf(b(e)), pty, loc)
            }
            TypeKind::Func(_) => {
                let pty = self.types.ptr(e.ty);
                Expr::new(ExprKind::AddrOf(b(e)), pty, loc)
            }
            _ if e.is_lvalue() => {
                let ty = self.types.unqualified(e.ty);
                let narrow_bit_field = matches!(
                    &e.kind,
                    ExprKind::Member { bit: Some(bf), .. } if bf.width < 32
                );
                let load = Expr::new(ExprKind::Load(b(e)), ty, loc);
                if narrow_bit_field && self.types.is_integer(ty) {
                    // A bit-field narrower than `int` has all its values in `int`, so it
                    // promotes to `int` whatever its declared type (C11 6.3.1.1p2; gcc does
                    // the same for `long` bit-fields).
                    return self.convert(load, TypeTable::INT);
                }
                load
            }
            _ => e,
        }
    }

    /// Inserts the conversion of `e` (an rvalue) to type `to`.
    pub(super) fn convert(&mut self, e: Expr, to: TypeId) -> Expr {
        // Values have unqualified types (C11 6.3.2.1p2); qualifiers live on lvalues.
        let to = self.types.unqualified(to);
        let from = e.ty;
        if from == to {
            return e;
        }
        if self.types.is_complex(to) || self.types.is_complex(from) {
            return self.complex_convert(e, to);
        }
        let t = &self.types;
        let kind = if to == TypeTable::VOID {
            CastKind::ToVoid
        } else if to == TypeTable::BOOL {
            if t.is_scalar(from) {
                CastKind::ToBool
            } else {
                return Expr::new(e.kind, to, e.loc);
            }
        } else if t.is_integer(to) && t.is_integer(from) {
            if t.size(to) == t.size(from) {
                // Same width: only the interpretation changes; keep constants normalised.
                if let ExprKind::Int(v) = e.kind {
                    return Expr::new(ExprKind::Int(self.norm(v, to)), to, e.loc);
                }
            }
            CastKind::IntToInt
        } else if t.is_float(to) && t.is_integer(from) {
            CastKind::IntToFloat
        } else if t.is_integer(to) && t.is_float(from) {
            CastKind::FloatToInt
        } else if t.is_float(to) && t.is_float(from) {
            CastKind::FloatToFloat
        } else if t.is_integer(to) && t.is_pointer(from) {
            CastKind::PtrToInt
        } else if t.is_pointer(to) && t.is_integer(from) {
            CastKind::IntToPtr
        } else if t.is_pointer(to) && t.is_pointer(from) {
            return Expr::new(e.kind, to, e.loc);
        } else {
            // Aggregates of the same layout (struct casts are diagnosed by the caller).
            return Expr::new(e.kind, to, e.loc);
        };
        // Fold constant conversions right away: constant expressions stay constants.
        if (self.soft(to).is_some() || self.soft(from).is_some())
            && matches!(
                e.kind,
                ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::LongDouble(_)
            )
        {
            let loc = e.loc;
            let cast = Expr::new(ExprKind::Cast(kind, b(e)), to, loc);
            return match self
                .const_eval(&cast)
                .and_then(|v| self.cval_expr(v, to, loc))
            {
                Some(folded) => folded,
                None => cast,
            };
        }
        if let ExprKind::Int(v) = e.kind {
            match kind {
                CastKind::IntToInt | CastKind::IntToPtr | CastKind::PtrToInt => {
                    return Expr::new(ExprKind::Int(self.norm(v, to)), to, e.loc)
                }
                CastKind::ToBool => return Expr::new(ExprKind::Int((v != 0) as i128), to, e.loc),
                CastKind::IntToFloat => {
                    let f = if self.types.is_signed(from) {
                        v as f64
                    } else {
                        (v as u128) as f64
                    };
                    let f = if to == TypeTable::FLOAT {
                        f as f32 as f64
                    } else {
                        f
                    };
                    return Expr::new(ExprKind::Float(f), to, e.loc);
                }
                _ => {}
            }
        }
        if let ExprKind::Float(f) = e.kind {
            match kind {
                CastKind::FloatToFloat => {
                    let f = if to == TypeTable::FLOAT {
                        f as f32 as f64
                    } else {
                        f
                    };
                    return Expr::new(ExprKind::Float(f), to, e.loc);
                }
                CastKind::FloatToInt => {
                    let v = self.float_to_int_const(f, to);
                    return Expr::new(ExprKind::Int(v), to, e.loc);
                }
                CastKind::ToBool => return Expr::new(ExprKind::Int((f != 0.0) as i128), to, e.loc),
                _ => {}
            }
        }
        let loc = e.loc;
        Expr::new(ExprKind::Cast(kind, b(e)), to, loc)
    }

    /// A constant `(ty)f`. Out of range is undefined in C; gcc folds it saturated to the
    /// range of `ty` (NaN to 0), and programs (gcc's torture suite among them) rely on that.
    pub(super) fn float_to_int_const(&self, f: f64, ty: TypeId) -> i128 {
        let bits = (self.types.size(ty) * 8).clamp(1, 128) as u32;
        if self.types.is_signed(ty) {
            let v = f as i128; // Rust's `as` saturates, and maps NaN to 0.
            if bits >= 128 {
                return v;
            }
            v.clamp(-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            let v = f as u128;
            if bits >= 128 {
                return v as i128;
            }
            self.norm(v.min((1u128 << bits) - 1) as i128, ty)
        }
    }

    /// Truncates and sign/zero-extends a constant to the width of `ty`.
    pub(super) fn norm(&self, v: i128, ty: TypeId) -> i128 {
        if self.types.unqualified(ty) == TypeTable::BOOL {
            return (v != 0) as i128;
        }
        let bits = (self.types.size(ty) * 8).min(128) as u32;
        if bits >= 128 {
            return v;
        }
        let mask = (1i128 << bits) - 1;
        let x = v & mask;
        if self.types.is_signed(ty) && (x >> (bits - 1)) & 1 == 1 {
            x - (1i128 << bits)
        } else {
            x
        }
    }

    pub(super) fn int_const(&self, v: i128, ty: TypeId, loc: Loc) -> Expr {
        Expr::new(ExprKind::Int(self.norm(v, ty)), ty, loc)
    }

    fn is_null_ptr_const(&self, e: &Expr) -> bool {
        let inner = match &e.kind {
            ExprKind::Cast(_, x) if self.types.pointee(e.ty) == Some(TypeTable::VOID) => x,
            _ => e,
        };
        (self.types.is_integer(inner.ty) || self.types.is_pointer(inner.ty))
            && self.const_int(inner) == Some(0)
            && (self.types.is_integer(e.ty) || self.types.pointee(e.ty) == Some(TypeTable::VOID))
    }

    /// Conversion as if by assignment, with gcc's warnings for suspicious pointer conversions.
    pub(super) fn assign_convert(&mut self, e: Expr, to: TypeId, what: &str) -> R<Expr> {
        let from = e.ty;
        let loc = e.loc;
        if self.types.is_vector(to) || self.types.is_vector(from) {
            if self.types.compatible(to, from) || self.vec_assign_ok(to, from) {
                return Ok(Expr::new(e.kind, self.types.unqualified(to), loc));
            }
            let (t, f) = (self.types.display(to), self.types.display(from));
            return self.error(
                loc,
                format!("incompatible types when {what} type '{t}' from type '{f}'"),
            );
        }
        if self.types.is_complex(to) || self.types.is_complex(from) {
            let arith = |t: TypeId| self.types.is_arith(self.types.real_type(t));
            if arith(to) && arith(from) {
                return Ok(self.convert(e, to));
            }
            let (t, f) = (self.types.display(to), self.types.display(from));
            return self.error(
                loc,
                format!("incompatible types when {what} type '{t}' from type '{f}'"),
            );
        }
        if self.types.is_record(to) || self.types.is_record(from) {
            if self.types.compatible(to, from) || from == to {
                return Ok(e);
            }
            // GNU transparent unions and struct types from different but identical decls.
            if self.types.size(to) == self.types.size(from)
                && self.types.is_record(to)
                && self.types.is_record(from)
            {
                return Ok(Expr::new(e.kind, to, loc));
            }
            let (t, f) = (self.types.display(to), self.types.display(from));
            return self.error(
                loc,
                format!("incompatible types when {what} type '{t}' from type '{f}'"),
            );
        }
        if self.types.is_pointer(to) {
            if self.types.is_integer(from) {
                if !self.is_null_ptr_const(&e) {
                    let (t, f) = (self.types.display(to), self.types.display(from));
                    self.warn_w(
                        Warning::IntConversion,
                        loc,
                        format!(
                            "{what} '{t}' from '{f}' makes pointer from integer without a cast"
                        ),
                    );
                }
            } else if self.types.is_pointer(from) {
                let (pt, pf) = (self.types.pointee(to), self.types.pointee(from));
                if let (Some(pt), Some(pf)) = (pt, pf) {
                    let (ut, uf) = (self.types.unqualified(pt), self.types.unqualified(pf));
                    let incompatible = ut != TypeTable::VOID
                        && uf != TypeTable::VOID
                        && !self.types.compatible(ut, uf);
                    if incompatible && !self.same_signedness_variant(ut, uf) {
                        let (t, f) = (self.types.display(to), self.types.display(from));
                        self.warn_w(
                            Warning::IncompatiblePointerTypes,
                            loc,
                            format!("incompatible pointer types {}", conversion(what, &t, &f)),
                        );
                    } else if incompatible {
                        let (t, f) = (self.types.display(to), self.types.display(from));
                        self.warn_w(
                            Warning::PointerSign,
                            loc,
                            format!(
                                "pointer targets in {} differ in signedness",
                                conversion(what, &t, &f)
                            ),
                        );
                    } else if !self.types.quals(pt).contains(self.types.quals(pf)) {
                        let (t, f) = (self.types.display(to), self.types.display(from));
                        self.warn_w(
                            Warning::DiscardedQualifiers,
                            loc,
                            format!(
                                "{} discards qualifiers from the pointer target type",
                                conversion(what, &t, &f)
                            ),
                        );
                    }
                }
            } else if !self.types.is_pointer(from) {
                let (t, f) = (self.types.display(to), self.types.display(from));
                return self.error(
                    loc,
                    format!("incompatible types when {what} type '{t}' from type '{f}'"),
                );
            }
        } else if self.types.is_integer(to) && self.types.is_pointer(from) && to != TypeTable::BOOL
        {
            let (t, f) = (self.types.display(to), self.types.display(from));
            self.warn_w(
                Warning::IntConversion,
                loc,
                format!(
                    "{} makes integer from pointer without a cast",
                    conversion(what, &t, &f)
                ),
            );
        } else if self.types.is_scalar(to) && !self.types.is_scalar(from) {
            let (t, f) = (self.types.display(to), self.types.display(from));
            return self.error(
                loc,
                format!("incompatible types when {what} type '{t}' from type '{f}'"),
            );
        }
        Ok(self.convert(e, to))
    }

    /// `char *` vs `unsigned char *` and the like: gcc warns only with -Wpointer-sign.
    fn same_signedness_variant(&self, a: TypeId, b: TypeId) -> bool {
        match (self.types.int_kind(a), self.types.int_kind(b)) {
            (Some(x), Some(y)) => x.size() == y.size(),
            _ => false,
        }
    }

    fn default_promote(&mut self, e: Expr) -> Expr {
        if e.ty == TypeTable::FLOAT {
            return self.convert(e, TypeTable::DOUBLE);
        }
        if self.types.is_integer(e.ty) {
            let p = self.types.promote(e.ty);
            return self.convert(e, p);
        }
        e
    }

    fn check_scalar(&mut self, e: &Expr, what: &str) -> R<()> {
        if !self.types.is_scalar(e.ty) {
            let t = self.types.display(e.ty);
            return self.error(
                e.loc,
                format!("{what}: scalar required, but the operand has type '{t}'"),
            );
        }
        Ok(())
    }

    /// An expression used as a condition.
    pub(super) fn cond(&mut self, e: &Node<ast::Expression>) -> R<Expr> {
        self.check_assignment_truth(e);
        let x = self.expr(e)?;
        let x = self.truth_operand(x);
        self.check_scalar(&x, "used as a condition")?;
        Ok(x)
    }

    /// A complex operand of `!`, `&&`, `||` or a condition becomes its truth value (scalar).
    fn truth_operand(&mut self, x: Expr) -> Expr {
        if self.types.is_complex(x.ty) {
            return self.complex_truth(x);
        }
        x
    }

    /// Analyses without lvalue conversion.
    pub(super) fn expr_no_decay(&mut self, e: &Node<ast::Expression>) -> R<Expr> {
        let loc = self.loc(e.span);
        use ast::Expression as E;
        match &e.node {
            E::Identifier(id) => self.identifier(&id.node.name, loc),
            E::Constant(c) => self.constant(&c.node, loc),
            E::StringLiteral(s) => self.string_lit(&s.node, loc),
            E::Member(m) => self.member(&m.node, loc),
            E::Call(c) => self.call(&c.node, loc),
            E::CompoundLiteral(cl) => self.compound_literal(&cl.node, loc),
            E::SizeOfTy(st) => {
                let t = self.type_name(&st.node.0)?;
                self.sizeof_type(t, loc)
            }
            E::SizeOfVal(sv) => {
                let x = self.expr_no_decay(&sv.node.0)?;
                if let ExprKind::Member { bit: Some(_), .. } = x.kind {
                    return self.error(loc, "'sizeof' applied to a bit-field");
                }
                self.sizeof_type(x.ty, loc)
            }
            E::AlignOf(a) => {
                let t = self.type_name(&a.node.0)?;
                Ok(self.int_const(self.types.align(t) as i128, TypeTable::ULONG, loc))
            }
            E::UnaryOperator(u) => self.unary(&u.node, loc),
            E::Cast(c) => {
                let to = self.type_name(&c.node.type_name)?;
                let x = self.expr(&c.node.expression)?;
                self.explicit_cast(x, to, loc)
            }
            E::BinaryOperator(bo) => self.binary(&bo.node, loc),
            E::Conditional(c) => self.conditional(&c.node, loc),
            E::Comma(list) => {
                let mut it = list.iter();
                let Some(first) = it.next() else {
                    return self.error(loc, "empty comma expression");
                };
                let mut acc = self.expr(first)?;
                for x in it {
                    let r = self.expr(x)?;
                    let ty = r.ty;
                    acc = Expr::new(ExprKind::Comma(b(acc), b(r)), ty, loc);
                }
                Ok(acc)
            }
            E::OffsetOf(o) => {
                let t = self.type_name(&o.node.type_name)?;
                let off = self.offsetof(t, &o.node.designator.node, loc)?;
                Ok(self.int_const(off as i128, TypeTable::ULONG, loc))
            }
            E::VaArg(va) => {
                let ap = self.va_list_operand(&va.node.va_list)?;
                let t = self.type_name(&va.node.type_name)?;
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::VaArg, vec![ap]),
                    t,
                    loc,
                ))
            }
            E::Statement(st) => self.stmt_expr(st, loc),
            E::GenericSelection(g) => self.generic(&g.node, loc),
        }
    }

    fn sizeof_type(&mut self, t: TypeId, loc: Loc) -> R<Expr> {
        if matches!(self.types.kind(t), TypeKind::Vla { .. }) {
            return Ok(self.sizeof_expr(t, loc));
        }
        if self.types.is_func(t) {
            self.warn(loc, "invalid application of 'sizeof' to a function type");
        } else if !self.types.is_complete(t) && !self.types.is_void(t) {
            let s = self.types.display(t);
            return self.error(
                loc,
                format!("invalid application of 'sizeof' to incomplete type '{s}'"),
            );
        }
        Ok(self.int_const(self.types.size(t) as i128, TypeTable::ULONG, loc))
    }

    fn identifier(&mut self, name: &str, loc: Loc) -> R<Expr> {
        let found = self.lookup_level(name);
        if let Some((Ordinary::Local(id), level)) = found {
            if level < self.level() {
                return self.outer_local(level, id, loc);
            }
        }
        match found.map(|f| f.0) {
            Some(Ordinary::Local(id)) => {
                self.note_local_use(id);
                Ok(Expr::new(ExprKind::Local(id), self.local_ty(id), loc))
            }
            Some(Ordinary::Nested(i)) => self.nested_value(i, loc),
            Some(Ordinary::Global(s)) => {
                self.symbols[s.0 as usize].referenced = true;
                Ok(Expr::new(
                    ExprKind::Global(s),
                    self.symbols[s.0 as usize].ty,
                    loc,
                ))
            }
            Some(Ordinary::EnumConst(v, ty)) => Ok(self.int_const(v, ty, loc)),
            Some(Ordinary::Typedef(_)) => self.error(
                loc,
                format!("unexpected type name '{name}': expected expression"),
            ),
            None => {
                if matches!(name, "__func__" | "__FUNCTION__" | "__PRETTY_FUNCTION__") {
                    let fname = self.f.as_ref().map(|f| f.name.clone()).unwrap_or_default();
                    let units: Vec<u32> = fname.bytes().map(|c| c as u32).collect();
                    return Ok(self.make_string(lit::StrKind::Narrow, &units, loc));
                }
                if name == crate::lower::ASM_GOTO_MARKER {
                    return self.error(loc, "'asm goto' is not supported by cfree");
                }
                let guess = self.similar_name(name);
                self.undeclared(name, guess, loc)
            }
        }
    }

    fn constant(&mut self, c: &ast::Constant, loc: Loc) -> R<Expr> {
        let imaginary = match c {
            ast::Constant::Integer(i) => i.suffix.imaginary,
            ast::Constant::Float(f) => f.suffix.imaginary,
            ast::Constant::Character(_) => false,
        };
        let v = self.real_constant(c, loc)?;
        if !imaginary {
            return Ok(v);
        }
        // GNU `2i`, `1.5fi`: a complex constant with a zero real part.
        let cty = self.types.complex(v.ty);
        let zero = self.int_const(0, TypeTable::INT, loc);
        let re = self.convert(zero, v.ty);
        Ok(Expr::new(
            ExprKind::Complex {
                re: b(re),
                im: b(v),
            },
            cty,
            loc,
        ))
    }

    fn real_constant(&mut self, c: &ast::Constant, loc: Loc) -> R<Expr> {
        match c {
            ast::Constant::Integer(i) => match lit::integer_constant(i) {
                Ok((v, ty)) => Ok(self.int_const(v, ty, loc)),
                Err(m) => self.error(loc, m),
            },
            ast::Constant::Float(f) => match lit::float_constant(f) {
                Ok((_, ty)) if self.soft(ty).is_some() => {
                    let text: &str = f.number.as_ref();
                    let hex = matches!(f.base, ast::FloatBase::Hexadecimal)
                        && !text.starts_with("0x")
                        && !text.starts_with("0X");
                    let text = if hex {
                        format!("0x{text}")
                    } else {
                        text.to_string()
                    };
                    let fmt = self.soft(ty).unwrap_or(self.ld);
                    match crate::ldfloat::parse(fmt, &text) {
                        Ok(bits) => Ok(Expr::new(ExprKind::LongDouble(bits), ty, loc)),
                        Err(m) => self.error(loc, m),
                    }
                }
                Ok((v, ty)) => Ok(Expr::new(ExprKind::Float(v), ty, loc)),
                Err(m) => self.error(loc, m),
            },
            ast::Constant::Character(s) => match lit::char_constant(s, self.types.char_signed) {
                Ok((v, ty)) => Ok(self.int_const(v, ty, loc)),
                Err(m) => self.error(loc, m),
            },
        }
    }

    fn string_lit(&mut self, pieces: &[String], loc: Loc) -> R<Expr> {
        match lit::string_literal(pieces) {
            Ok((kind, units)) => Ok(self.make_string(kind, &units, loc)),
            Err(m) => self.error(loc, m),
        }
    }

    /// A string literal object: an anonymous read-only array; the expression is its lvalue.
    pub(super) fn make_string(&mut self, kind: lit::StrKind, units: &[u32], loc: Loc) -> Expr {
        let (elem, w) = match kind {
            lit::StrKind::Narrow => (TypeTable::CHAR, 1usize),
            lit::StrKind::Utf16 => (TypeTable::USHORT, 2),
            lit::StrKind::Wide32 => (TypeTable::INT, 4),
        };
        let mut bytes = Vec::with_capacity((units.len() + 1) * w);
        for &u in units.iter().chain(std::iter::once(&0)) {
            bytes.extend_from_slice(&u.to_le_bytes()[..w]);
        }
        let ty = self.types.array(elem, Some(units.len() as u64 + 1));
        let sym = self.anon_global(".Lstr", ty, bytes, Vec::new(), true, loc);
        Expr::new(ExprKind::Global(sym), ty, loc)
    }

    /// Bytes of a string literal global (for initialising char arrays).
    pub(super) fn string_bytes(&self, e: &Expr) -> Option<Vec<u8>> {
        if let ExprKind::Global(s) = e.kind {
            if self.symbols[s.0 as usize].name.starts_with(".Lstr.") {
                let g = self.global_of_sym.get(&s)?;
                return self.globals[*g].init.clone();
            }
        }
        None
    }

    fn find_member(&self, rty: TypeId, name: &str) -> Option<(u64, crate::types::Field)> {
        let rec = self.types.record_of(rty)?;
        for f in &rec.fields {
            match &f.name {
                Some(n) if n == name => return Some((f.offset, f.clone())),
                None if self.types.is_record(f.ty) => {
                    if let Some((off, fld)) = self.find_member(f.ty, name) {
                        return Some((f.offset + off, fld));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The member names of a record, those of anonymous members' records included.
    fn member_names(&self, rty: TypeId, out: &mut Vec<String>) {
        let Some(rec) = self.types.record_of(rty) else {
            return;
        };
        for f in &rec.fields {
            match &f.name {
                Some(n) => out.push(n.clone()),
                None => self.member_names(f.ty, out),
            }
        }
    }

    /// The visible ordinary identifier (not a type name) closest to `name`, with where it
    /// was declared when that is known.
    fn similar_name(&self, name: &str) -> Option<(String, Option<Loc>)> {
        let visible = self.scopes.iter().flat_map(|s| s.names.iter());
        let values: Vec<(&String, &Ordinary)> = visible
            .filter(|(_, o)| !matches!(o, Ordinary::Typedef(_)))
            .collect();
        let best = super::suggest::closest(name, values.iter().map(|(n, _)| n.as_str()))?;
        let loc = values
            .iter()
            .find(|(n, _)| n.as_str() == best)
            .and_then(|(_, o)| match o {
                Ordinary::Local(id) => self.f.as_ref()?.locals.get(id.0 as usize).map(|v| v.loc),
                Ordinary::Global(s) => self.symbols.get(s.0 as usize).map(|s| s.loc),
                _ => None,
            });
        Some((crate::lower::demangle_ident(best), loc))
    }

    /// gcc's "'x' undeclared", with clang's "did you mean" and a note where the guess is declared.
    fn undeclared<T>(
        &mut self,
        name: &str,
        guess: Option<(String, Option<Loc>)>,
        loc: Loc,
    ) -> R<T> {
        let shown = crate::lower::demangle_ident(name);
        let Some((g, gloc)) = guess else {
            return self.error(loc, format!("'{shown}' undeclared"));
        };
        let mut d = crate::diag::Diagnostic::error(
            loc,
            format!("'{shown}' undeclared; did you mean '{g}'?"),
        );
        if let Some(l) = gloc {
            d = d.with_note(l, format!("'{g}' declared here"));
        }
        self.diags.push(d);
        Err(())
    }

    fn member(&mut self, m: &ast::MemberExpression, loc: Loc) -> R<Expr> {
        let name = &m.identifier.node.name;
        let base = match m.operator.node {
            ast::MemberOperator::Direct => self.expr_no_decay(&m.expression)?,
            ast::MemberOperator::Indirect => {
                let p = self.expr(&m.expression)?;
                let Some(pt) = self.types.pointee(p.ty) else {
                    let t = self.types.display(p.ty);
                    return self.error(loc, format!("invalid type argument of '->' (have '{t}')"));
                };
                Expr::new(ExprKind::Deref(b(p)), pt, loc)
            }
        };
        self.member_of(base, name, loc)
    }

    pub(super) fn member_of(&mut self, base: Expr, name: &str, loc: Loc) -> R<Expr> {
        if !self.types.is_record(base.ty) {
            let t = self.types.display(base.ty);
            return self.error(loc, format!("request for member '{name}' in something not a structure or union (type '{t}')"));
        }
        if !self.types.is_complete(base.ty) {
            let t = self.types.display(base.ty);
            return self.error(
                loc,
                format!("dereferencing pointer to incomplete type '{t}'"),
            );
        }
        let Some((off, f)) = self.find_member(base.ty, name) else {
            let t = self.types.display(base.ty);
            let mut members = Vec::new();
            self.member_names(base.ty, &mut members);
            let hint = super::suggest::closest(name, members.iter().map(String::as_str))
                .map(|m| format!("; did you mean '{m}'?"))
                .unwrap_or_default();
            return self.error(loc, format!("'{t}' has no member named '{name}'{hint}"));
        };
        // Members of a const or volatile object are const or volatile (C11 6.5.2.3p3).
        let bq = self.types.quals(base.ty);
        let q = Quals {
            konst: bq.konst,
            volatile: bq.volatile,
            ..Quals::default()
        };
        let ty = self.types.qualify_with(f.ty, q);
        // Nested member chains fold into one offset on the outermost base.
        let (base, off) = match base.kind {
            ExprKind::Member {
                base: inner,
                offset,
                bit: None,
            } => (*inner, offset + off),
            _ => (base, off),
        };
        let bit = f.bit.clone();
        Ok(Expr::new(
            ExprKind::Member {
                base: b(base),
                offset: off,
                bit,
            },
            ty,
            loc,
        ))
    }

    fn offsetof(&mut self, ty: TypeId, d: &ast::OffsetDesignator, loc: Loc) -> R<u64> {
        let Some((mut off, f)) = self.find_member(ty, &d.base.node.name) else {
            let t = self.types.display(ty);
            return self.error(
                loc,
                format!("'{t}' has no member named '{}'", d.base.node.name),
            );
        };
        let mut cur = f.ty;
        for m in &d.members {
            match &m.node {
                ast::OffsetMember::Member(id) | ast::OffsetMember::IndirectMember(id) => {
                    let Some((o, f)) = self.find_member(cur, &id.node.name) else {
                        return self.error(loc, format!("no member named '{}'", id.node.name));
                    };
                    off += o;
                    cur = f.ty;
                }
                ast::OffsetMember::Index(e) => {
                    let i = self.const_int_expr(e)?;
                    let Some(el) = self.types.elem(cur) else {
                        return self.error(loc, "subscripted value is not an array");
                    };
                    off = (off as i64 + i as i64 * self.types.size(el) as i64) as u64;
                    cur = el;
                }
            }
        }
        Ok(off)
    }

    fn compound_literal(&mut self, cl: &ast::CompoundLiteral, loc: Loc) -> R<Expr> {
        let ty = self.type_name(&cl.type_name)?;
        let init = Node::new(
            ast::Initializer::List(cl.initializer_list.clone()),
            Span::none(),
        );
        if self.f.is_none() {
            // File scope: an anonymous static object.
            let (bytes, relocs, ty) = self.static_initializer(ty, &init)?;
            let sym = self.anon_global(".Lcompound", ty, bytes, relocs, false, loc);
            return Ok(Expr::new(ExprKind::Global(sym), ty, loc));
        }
        let local = self.new_local("__compound", ty, loc, false);
        let (stmt, ty) = self.local_initializer(local, ty, &init, loc)?;
        if let Some(f) = self.f.as_mut() {
            f.locals[local.0 as usize].ty = ty;
            f.locals[local.0 as usize].addr_taken = true;
        }
        Ok(Expr::new(
            ExprKind::Temp {
                local,
                init: Box::new(stmt),
            },
            ty,
            loc,
        ))
    }

    fn unary(&mut self, u: &ast::UnaryOperatorExpression, loc: Loc) -> R<Expr> {
        use ast::UnaryOperator as U;
        match u.operator.node {
            U::Address => {
                let x = self.expr_no_decay(&u.operand)?;
                if let ExprKind::Member { bit: Some(_), .. } = x.kind {
                    return self.error(loc, "cannot take address of bit-field");
                }
                if let ExprKind::Deref(inner) = x.kind {
                    let pty = self.types.ptr(x.ty);
                    return Ok(Expr::new(inner.kind, pty, loc));
                }
                if !x.is_lvalue() {
                    return self.error(loc, "lvalue required as unary '&' operand");
                }
                self.mark_addr_taken(&x);
                let pty = match self.types.kind(x.ty) {
                    TypeKind::VaList if self.types.va_list_is_array() => {
                        self.types.ptr(TypeTable::VOID)
                    }
                    _ => self.types.ptr(x.ty),
                };
                Ok(Expr::new(ExprKind::AddrOf(b(x)), pty, loc))
            }
            U::Indirection => {
                let x = self.expr(&u.operand)?;
                let Some(pt) = self.types.pointee(x.ty) else {
                    let t = self.types.display(x.ty);
                    return self.error(
                        loc,
                        format!("invalid type argument of unary '*' (have '{t}')"),
                    );
                };
                Ok(Expr::new(ExprKind::Deref(b(x)), pt, loc))
            }
            U::Plus | U::Minus | U::Complement => {
                let x = self.expr(&u.operand)?;
                if self.types.is_vector(x.ty) {
                    let op = match u.operator.node {
                        U::Minus => Some(UnOp::Neg),
                        U::Complement => Some(UnOp::BitNot),
                        _ => None,
                    };
                    return self.vec_unary(op, x, loc);
                }
                if self.types.is_complex(x.ty) {
                    let op = match u.operator.node {
                        U::Minus => Some(UnOp::Neg),
                        U::Complement => Some(UnOp::BitNot),
                        _ => None,
                    };
                    return Ok(self.complex_unary(op, x, loc));
                }
                let ok = if matches!(u.operator.node, U::Complement) {
                    self.types.is_integer(x.ty)
                } else {
                    self.types.is_arith(x.ty)
                };
                if !ok {
                    let t = self.types.display(x.ty);
                    return self.error(
                        loc,
                        format!("wrong type argument to unary operator (have '{t}')"),
                    );
                }
                let pt = self.types.promote(x.ty);
                let x = self.convert(x, pt);
                match u.operator.node {
                    U::Plus => Ok(x),
                    U::Minus => Ok(self.fold_unary(UnOp::Neg, x, loc)),
                    _ => Ok(self.fold_unary(UnOp::BitNot, x, loc)),
                }
            }
            U::Negate => {
                let x = self.expr(&u.operand)?;
                let x = self.truth_operand(x);
                self.check_scalar(&x, "wrong type argument to unary '!'")?;
                let r = Expr::new(ExprKind::Unary(UnOp::LogNot, b(x)), TypeTable::INT, loc);
                Ok(self.fold(r))
            }
            U::PreIncrement | U::PreDecrement | U::PostIncrement | U::PostDecrement => {
                let x = self.expr_no_decay(&u.operand)?;
                self.check_modifiable(&x)?;
                let sign = if matches!(u.operator.node, U::PreIncrement | U::PostIncrement) {
                    1
                } else {
                    -1
                };
                let post = matches!(u.operator.node, U::PostIncrement | U::PostDecrement);
                if self.types.is_complex(x.ty) {
                    return self.complex_inc_dec(x, sign, post, loc);
                }
                let delta = match self.types.pointee(x.ty) {
                    Some(pt) => {
                        if !self.types.is_complete(pt)
                            && !self.types.is_void(pt)
                            && !self.types.is_func(pt)
                        {
                            return self.error(loc, "arithmetic on pointer to an incomplete type");
                        }
                        sign * self.types.size(pt) as i64
                    }
                    None if self.types.is_arith(x.ty) => sign,
                    None => {
                        let t = self.types.display(x.ty);
                        return self.error(
                            loc,
                            format!("wrong type argument to increment (have '{t}')"),
                        );
                    }
                };
                let ty = x.ty;
                Ok(Expr::new(
                    ExprKind::IncDec {
                        lhs: b(x),
                        delta,
                        post,
                    },
                    ty,
                    loc,
                ))
            }
        }
    }

    fn check_modifiable(&mut self, x: &Expr) -> R<()> {
        if !x.is_lvalue() {
            return self.error(x.loc, "lvalue required as left operand of assignment");
        }
        if self.types.is_array(x.ty) && !matches!(self.types.kind(x.ty), TypeKind::VaList) {
            return self.error(x.loc, "assignment to expression with array type");
        }
        Ok(())
    }

    fn fold_unary(&mut self, op: UnOp, x: Expr, loc: Loc) -> Expr {
        let ty = x.ty;
        self.fold(Expr::new(ExprKind::Unary(op, b(x)), ty, loc))
    }

    /// Folds an expression to a constant when its operands are constants.
    pub(super) fn fold(&mut self, e: Expr) -> Expr {
        let konst = |k: &ExprKind| {
            matches!(
                k,
                ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::LongDouble(_)
            )
        };
        if konst(&e.kind) {
            return e;
        }
        let simple = match &e.kind {
            ExprKind::Unary(_, x) => konst(&x.kind),
            ExprKind::Binary(_, l, r) => konst(&l.kind) && konst(&r.kind),
            _ => false,
        };
        if !simple {
            return e;
        }
        match self.const_eval(&e) {
            Some(init::CVal::Int(v)) if self.types.is_integer(e.ty) => {
                self.int_const(v, e.ty, e.loc)
            }
            Some(init::CVal::Float(f))
                if self.types.is_float(e.ty) && self.soft(e.ty).is_none() =>
            {
                Expr::new(ExprKind::Float(f), e.ty, e.loc)
            }
            Some(init::CVal::Ld(f, bits)) if self.soft(e.ty) == Some(f) => {
                Expr::new(ExprKind::LongDouble(bits), e.ty, e.loc)
            }
            _ => e,
        }
    }

    /// A folded constant as an expression of type `ty`, if it has that kind.
    fn cval_expr(&self, v: init::CVal, ty: TypeId, loc: Loc) -> Option<Expr> {
        let kind = match v {
            init::CVal::Int(i) if self.types.is_integer(ty) => ExprKind::Int(i),
            init::CVal::Float(f) if self.types.is_float(ty) && self.soft(ty).is_none() => {
                ExprKind::Float(f)
            }
            init::CVal::Ld(f, bits) if self.soft(ty) == Some(f) => ExprKind::LongDouble(bits),
            _ => return None,
        };
        Some(Expr::new(kind, ty, loc))
    }

    /// A floating constant of type `ty` given as an `f64` (exact for `long double`).
    pub(super) fn float_const(&self, f: f64, ty: TypeId, loc: Loc) -> Expr {
        if let Some(fmt) = self.soft(ty) {
            let bits = crate::ldfloat::from_f64(fmt, f);
            return Expr::new(ExprKind::LongDouble(bits), ty, loc);
        }
        Expr::new(ExprKind::Float(f), ty, loc)
    }

    pub(super) fn explicit_cast(&mut self, x: Expr, to: TypeId, loc: Loc) -> R<Expr> {
        if to == TypeTable::VOID {
            return Ok(Expr::new(ExprKind::Cast(CastKind::ToVoid, b(x)), to, loc));
        }
        if self.types.is_vector(to) || self.types.is_vector(x.ty) {
            return self.vec_cast(x, to, loc);
        }
        if self.types.is_complex(to) || self.types.is_complex(x.ty) {
            let mut r = self.assign_convert(x, to, "converting to")?;
            r.loc = loc;
            return Ok(r);
        }
        if self.types.is_record(to) {
            if self.types.compatible(to, x.ty) {
                return Ok(x);
            }
            // GNU cast to union: build a temporary holding the member.
            if let Some(rec) = self.types.record_of(to).cloned() {
                if rec.is_union {
                    if let Some(f) = rec.fields.iter().find(|f| {
                        let ft = self.types.unqualified(f.ty);
                        self.types.compatible(ft, x.ty)
                    }) {
                        let local = self.new_local("__union_cast", to, loc, false);
                        let stmt = Stmt {
                            kind: StmtKind::Init {
                                local,
                                zero: true,
                                stores: vec![InitStore {
                                    offset: f.offset,
                                    expr: x,
                                    bit: None,
                                }],
                            },
                            loc,
                        };
                        return Ok(Expr::new(
                            ExprKind::Temp {
                                local,
                                init: Box::new(stmt),
                            },
                            to,
                            loc,
                        ));
                    }
                }
            }
            return self.error(loc, "conversion to non-scalar type requested");
        }
        if !self.types.is_scalar(to) {
            let t = self.types.display(to);
            return self.error(loc, format!("cast to non-scalar type '{t}'"));
        }
        if !self.types.is_scalar(x.ty) {
            let t = self.types.display(x.ty);
            return self.error(
                loc,
                format!("cannot cast a value of type '{t}' to a scalar type"),
            );
        }
        if (self.types.is_float(to) && self.types.is_pointer(x.ty))
            || (self.types.is_pointer(to) && self.types.is_float(x.ty))
        {
            return self.error(loc, "cannot convert between pointer and floating type");
        }
        let mut r = self.convert(x, to);
        r.loc = loc;
        Ok(r)
    }

    // ---- binary operators ---------------------------------------------------------

    fn binary(&mut self, bo: &ast::BinaryOperatorExpression, loc: Loc) -> R<Expr> {
        use ast::BinaryOperator as B;
        self.check_parentheses(bo, loc);
        let op = bo.operator.node.clone();
        match op {
            B::Assign => {
                let l = self.expr_no_decay(&bo.lhs)?;
                self.check_modifiable(&l)?;
                let r = self.expr(&bo.rhs)?;
                let r = self.assign_convert(r, l.ty, "assigning to")?;
                let ty = l.ty;
                Ok(Expr::new(
                    ExprKind::Assign {
                        lhs: b(l),
                        rhs: b(r),
                    },
                    ty,
                    loc,
                ))
            }
            B::AssignMultiply
            | B::AssignDivide
            | B::AssignModulo
            | B::AssignPlus
            | B::AssignMinus
            | B::AssignShiftLeft
            | B::AssignShiftRight
            | B::AssignBitwiseAnd
            | B::AssignBitwiseXor
            | B::AssignBitwiseOr => {
                let bop = match op {
                    B::AssignMultiply => BinOp::Mul,
                    B::AssignDivide => BinOp::Div,
                    B::AssignModulo => BinOp::Rem,
                    B::AssignPlus => BinOp::Add,
                    B::AssignMinus => BinOp::Sub,
                    B::AssignShiftLeft => BinOp::Shl,
                    B::AssignShiftRight => BinOp::Shr,
                    B::AssignBitwiseAnd => BinOp::BitAnd,
                    B::AssignBitwiseXor => BinOp::BitXor,
                    _ => BinOp::BitOr,
                };
                let l = self.expr_no_decay(&bo.lhs)?;
                self.check_modifiable(&l)?;
                let r = self.expr(&bo.rhs)?;
                if self.types.is_vector(l.ty) {
                    return self.vec_compound(vector_op(&op), l, r, loc);
                }
                if self.types.is_complex(l.ty) || self.types.is_complex(r.ty) {
                    return self.complex_compound(vector_op(&op), l, r, loc);
                }
                self.compound_assign(bop, l, r, loc)
            }
            B::LogicalAnd | B::LogicalOr => {
                let l = self.expr(&bo.lhs)?;
                let l = self.truth_operand(l);
                let r = self.expr(&bo.rhs)?;
                let r = self.truth_operand(r);
                self.check_scalar(&l, "invalid operand to logical operator")?;
                self.check_scalar(&r, "invalid operand to logical operator")?;
                let (lc, rc) = (self.const_int(&l), self.const_int(&r));
                let and = matches!(op, B::LogicalAnd);
                if let (Some(a), Some(c)) = (lc, rc) {
                    let v = if and {
                        a != 0 && c != 0
                    } else {
                        a != 0 || c != 0
                    };
                    return Ok(self.int_const(v as i128, TypeTable::INT, loc));
                }
                let kind = if and {
                    ExprKind::LogAnd(b(l), b(r))
                } else {
                    ExprKind::LogOr(b(l), b(r))
                };
                Ok(Expr::new(kind, TypeTable::INT, loc))
            }
            B::Index => {
                let l = self.expr_no_decay(&bo.lhs)?;
                if self.types.is_vector(l.ty) {
                    let r = self.expr(&bo.rhs)?;
                    return self.vec_index(l, r, loc);
                }
                let l = self.rvalue(l);
                let r = self.expr(&bo.rhs)?;
                let (p, i) = if self.types.is_pointer(l.ty) {
                    (l, r)
                } else {
                    (r, l)
                };
                let Some(pt) = self.types.pointee(p.ty) else {
                    return self.error(loc, "subscripted value is neither array nor pointer");
                };
                if !self.types.is_integer(i.ty) {
                    return self.error(loc, "array subscript is not an integer");
                }
                let sum = self.ptr_add(p, i, false, loc)?;
                Ok(Expr::new(ExprKind::Deref(b(sum)), pt, loc))
            }
            _ => {
                let l = self.expr(&bo.lhs)?;
                let r = self.expr(&bo.rhs)?;
                self.operator_loc = Some(self.loc(bo.operator.span));
                let v = self.binary_values(op, l, r, loc);
                self.operator_loc = None;
                v
            }
        }
    }

    pub(super) fn ptr_add(&mut self, p: Expr, i: Expr, negate: bool, loc: Loc) -> R<Expr> {
        let Some(pt) = self.types.pointee(p.ty) else {
            return self.error(loc, "pointer expected");
        };
        let scale = if self.types.is_void(pt) || self.types.is_func(pt) {
            1
        } else if let TypeKind::Vla { .. } = self.types.kind(pt) {
            // Scaling by a runtime size: multiply explicitly.
            let sz = self.sizeof_expr(pt, loc);
            let i = self.convert(i, TypeTable::LONG);
            let sz = self.convert(sz, TypeTable::LONG);
            let mut idx = Expr::new(
                ExprKind::Binary(BinOp::Mul, b(i), b(sz)),
                TypeTable::LONG,
                loc,
            );
            if negate {
                idx = Expr::new(ExprKind::Unary(UnOp::Neg, b(idx)), TypeTable::LONG, loc);
            }
            let ty = p.ty;
            return Ok(Expr::new(
                ExprKind::PtrAdd {
                    ptr: b(p),
                    index: b(idx),
                    scale: 1,
                },
                ty,
                loc,
            ));
        } else if !self.types.is_complete(pt) {
            let t = self.types.display(pt);
            return self.error(
                loc,
                format!("arithmetic on a pointer to an incomplete type '{t}'"),
            );
        } else {
            self.types.size(pt)
        };
        let mut idx = self.convert(i, TypeTable::LONG);
        if negate {
            idx = self.fold_unary(UnOp::Neg, idx, loc);
        }
        let ty = p.ty;
        Ok(Expr::new(
            ExprKind::PtrAdd {
                ptr: b(p),
                index: b(idx),
                scale,
            },
            ty,
            loc,
        ))
    }

    pub(super) fn binary_values(
        &mut self,
        op: ast::BinaryOperator,
        l: Expr,
        r: Expr,
        loc: Loc,
    ) -> R<Expr> {
        use ast::BinaryOperator as B;
        if self.types.is_vector(l.ty) || self.types.is_vector(r.ty) {
            return self.vec_binary(op, l, r, loc);
        }
        if self.types.is_complex(l.ty) || self.types.is_complex(r.ty) {
            return self.complex_binary(op, l, r, loc);
        }
        let (lp, rp) = (self.types.is_pointer(l.ty), self.types.is_pointer(r.ty));
        match op {
            B::Plus if lp && self.types.is_integer(r.ty) => return self.ptr_add(l, r, false, loc),
            B::Plus if rp && self.types.is_integer(l.ty) => return self.ptr_add(r, l, false, loc),
            B::Minus if lp && self.types.is_integer(r.ty) => return self.ptr_add(l, r, true, loc),
            B::Minus if lp && rp => {
                let pt = self.types.pointee(l.ty).unwrap_or(TypeTable::CHAR);
                let scale = if self.types.is_void(pt) {
                    1
                } else {
                    self.types.size(pt).max(1)
                };
                return Ok(Expr::new(
                    ExprKind::PtrDiff {
                        lhs: b(l),
                        rhs: b(r),
                        scale,
                    },
                    TypeTable::LONG,
                    loc,
                ));
            }
            B::Less
            | B::Greater
            | B::LessOrEqual
            | B::GreaterOrEqual
            | B::Equals
            | B::NotEquals
                if lp || rp =>
            {
                let cop = cmp_op(&op);
                let (l, r) = if lp && rp {
                    (l, r)
                } else if lp {
                    if !self.types.is_integer(r.ty) {
                        return self.error(loc, "comparison between pointer and non-integer");
                    }
                    if !self.is_null_ptr_const(&r) {
                        self.warn(loc, "comparison between pointer and integer");
                    }
                    let t = l.ty;
                    let r = self.convert(r, t);
                    (l, r)
                } else {
                    if !self.types.is_integer(l.ty) {
                        return self.error(loc, "comparison between pointer and non-integer");
                    }
                    if !self.is_null_ptr_const(&l) {
                        self.warn(loc, "comparison between pointer and integer");
                    }
                    let t = r.ty;
                    let l = self.convert(l, t);
                    (l, r)
                };
                // Pointers compare as unsigned 64-bit integers.
                let l = self.convert(l, TypeTable::ULONG);
                let r = self.convert(r, TypeTable::ULONG);
                return Ok(self.fold(Expr::new(
                    ExprKind::Binary(cop, b(l), b(r)),
                    TypeTable::INT,
                    loc,
                )));
            }
            _ => {}
        }
        let is_int_op = matches!(
            op,
            B::Modulo | B::ShiftLeft | B::ShiftRight | B::BitwiseAnd | B::BitwiseOr | B::BitwiseXor
        );
        let ok = if is_int_op {
            self.types.is_integer(l.ty) && self.types.is_integer(r.ty)
        } else {
            self.types.is_arith(l.ty) && self.types.is_arith(r.ty)
        };
        if !ok {
            return self.invalid_operands(&op, l.ty, r.ty, loc);
        }
        if matches!(op, B::ShiftLeft | B::ShiftRight) {
            let lt = self.types.promote(l.ty);
            let l = self.convert(l, lt);
            let r = self.convert(r, lt);
            let bop = if matches!(op, B::ShiftLeft) {
                BinOp::Shl
            } else {
                BinOp::Shr
            };
            return Ok(self.fold(Expr::new(ExprKind::Binary(bop, b(l), b(r)), lt, loc)));
        }
        let ct = self.types.usual_arith(l.ty, r.ty);
        let l = self.convert(l, ct);
        let r = self.convert(r, ct);
        let (bop, ty) = match op {
            B::Multiply => (BinOp::Mul, ct),
            B::Divide => (BinOp::Div, ct),
            B::Modulo => (BinOp::Rem, ct),
            B::Plus => (BinOp::Add, ct),
            B::Minus => (BinOp::Sub, ct),
            B::BitwiseAnd => (BinOp::BitAnd, ct),
            B::BitwiseOr => (BinOp::BitOr, ct),
            B::BitwiseXor => (BinOp::BitXor, ct),
            ref c => (cmp_op(c), TypeTable::INT),
        };
        if matches!(bop, BinOp::Div | BinOp::Rem)
            && self.types.is_integer(ct)
            && self.const_int(&r) == Some(0)
        {
            // gcc points at the operator.
            let at = self.operator_loc.take().unwrap_or(loc);
            self.warn_w(Warning::DivByZero, at, "division by zero");
            return Ok(Expr::new(ExprKind::Binary(bop, b(l), b(r)), ty, loc));
        }
        Ok(self.fold(Expr::new(ExprKind::Binary(bop, b(l), b(r)), ty, loc)))
    }

    fn compound_assign(&mut self, op: BinOp, l: Expr, r: Expr, loc: Loc) -> R<Expr> {
        let lty = l.ty;
        if self.types.is_pointer(lty) && matches!(op, BinOp::Add | BinOp::Sub) {
            if !self.types.is_integer(r.ty) {
                return self.error(loc, "invalid operands to pointer compound assignment");
            }
            let pt = self.types.pointee(lty).unwrap_or(TypeTable::CHAR);
            let scale = if self.types.is_void(pt) {
                1
            } else {
                self.types.size(pt)
            };
            let r = self.convert(r, TypeTable::LONG);
            return Ok(Expr::new(
                ExprKind::CompoundAssign {
                    op,
                    lhs: b(l),
                    rhs: b(r),
                    op_ty: TypeTable::LONG,
                    scale: Some(scale),
                },
                lty,
                loc,
            ));
        }
        let int_only = matches!(
            op,
            BinOp::Rem | BinOp::Shl | BinOp::Shr | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
        );
        let ok = if int_only {
            self.types.is_integer(lty) && self.types.is_integer(r.ty)
        } else {
            self.types.is_arith(lty) && self.types.is_arith(r.ty)
        };
        if !ok {
            let (a, c) = (self.types.display(lty), self.types.display(r.ty));
            return self.error(
                loc,
                format!("invalid operands to compound assignment (have '{a}' and '{c}')"),
            );
        }
        let op_ty = if matches!(op, BinOp::Shl | BinOp::Shr) {
            self.types.promote(lty)
        } else {
            self.types.usual_arith(lty, r.ty)
        };
        let r = self.convert(r, op_ty);
        Ok(Expr::new(
            ExprKind::CompoundAssign {
                op,
                lhs: b(l),
                rhs: b(r),
                op_ty,
                scale: None,
            },
            lty,
            loc,
        ))
    }

    fn conditional(&mut self, c: &ast::ConditionalExpression, loc: Loc) -> R<Expr> {
        let omitted = matches!(&c.then_expression.node,
            ast::Expression::Identifier(id) if id.node.name == crate::lower::OMITTED_OPERAND);
        let (cnd, t) = if omitted {
            // GNU `x ?: y` is `x ? x : y` with `x` evaluated once.
            let x = self.cond(&c.condition)?;
            self.eval_once(x, loc)?
        } else {
            (self.cond(&c.condition)?, self.expr(&c.then_expression)?)
        };
        let e = self.expr(&c.else_expression)?;
        let ty = self.cond_result_type(&t, &e, loc)?;
        let t = self.convert(t, ty);
        let e = self.convert(e, ty);
        if let Some(v) = self.const_int(&cnd) {
            // Keep constant-ness (`sizeof`, array sizes) when the condition is constant and the
            // chosen branch is constant.
            let chosen = if v != 0 { &t } else { &e };
            if matches!(chosen.kind, ExprKind::Int(_) | ExprKind::Float(_)) {
                return Ok(chosen.clone());
            }
        }
        Ok(Expr::new(ExprKind::Cond(b(cnd), b(t), b(e)), ty, loc))
    }

    pub(super) fn cond_result_type(&mut self, t: &Expr, e: &Expr, loc: Loc) -> R<TypeId> {
        let (a, c) = (t.ty, e.ty);
        if self.types.is_arith(a) && self.types.is_arith(c) {
            return Ok(self.types.usual_arith(a, c));
        }
        if self.types.is_complex(a) || self.types.is_complex(c) {
            if let Some(t) = self.complex_common(a, c) {
                return Ok(t);
            }
        }
        if self.types.is_void(a) || self.types.is_void(c) {
            return Ok(TypeTable::VOID);
        }
        if (self.types.is_record(a) || self.types.is_vector(a)) && self.types.compatible(a, c) {
            return Ok(self.types.unqualified(a));
        }
        if self.types.is_pointer(a) && self.types.is_pointer(c) {
            // C11 6.5.15p6: a null pointer constant takes the other side's type; otherwise
            // the pointee has both sides' qualifiers, and is `void` if either side's is.
            if self.is_null_ptr_const(e) {
                return Ok(self.types.unqualified(a));
            }
            if self.is_null_ptr_const(t) {
                return Ok(self.types.unqualified(c));
            }
            let (pa, pc) = (
                self.types.pointee(a).unwrap_or(TypeTable::VOID),
                self.types.pointee(c).unwrap_or(TypeTable::VOID),
            );
            let q = self.types.quals(pa).union(self.types.quals(pc));
            let base = if self.types.is_void(pa) || self.types.is_void(pc) {
                TypeTable::VOID
            } else {
                self.types.unqualified(pa)
            };
            let pointee = self.types.qualify_with(base, q);
            return Ok(self.types.ptr(pointee));
        }
        if self.types.is_pointer(a) && self.types.is_integer(c) {
            return Ok(a);
        }
        if self.types.is_pointer(c) && self.types.is_integer(a) {
            return Ok(c);
        }
        let (x, y) = (self.types.display(a), self.types.display(c));
        self.error(
            loc,
            format!("type mismatch in conditional expression ('{x}' and '{y}')"),
        )
    }

    fn generic(&mut self, g: &ast::GenericSelection, loc: Loc) -> R<Expr> {
        let ctl = self.expr(&g.expression)?;
        let mut default = None;
        let mut chosen = None;
        for a in &g.associations {
            match &a.node {
                ast::GenericAssociation::Type(at) => {
                    let t = self.type_name(&at.node.type_name)?;
                    if self.types.compatible(t, ctl.ty) {
                        if chosen.is_some() {
                            let l = self.loc(a.span);
                            return self
                                .error(l, "'_Generic' selector matches multiple associations");
                        }
                        chosen = Some(&at.node.expression);
                    }
                }
                ast::GenericAssociation::Default(e) => default = Some(e),
            }
        }
        if let Some(e) = chosen {
            return self.expr_no_decay(e);
        }
        match default {
            Some(e) => self.expr_no_decay(e),
            None => {
                let t = self.types.display(ctl.ty);
                self.error(
                    loc,
                    format!(
                        "_Generic selector of type '{t}' is not compatible with any association"
                    ),
                )
            }
        }
    }

    fn stmt_expr(&mut self, st: &Node<ast::Statement>, loc: Loc) -> R<Expr> {
        let ast::Statement::Compound(items) = &st.node else {
            return self.error(loc, "expected compound statement in statement expression");
        };
        self.push_scope();
        let outer = self.open_block();
        let r = (|| {
            let mut stmts = Vec::new();
            let n = items.len();
            for (i, item) in items.iter().enumerate() {
                if i + 1 == n {
                    if let ast::BlockItem::Statement(Node {
                        node: ast::Statement::Expression(Some(e)),
                        ..
                    }) = &item.node
                    {
                        let v = self.expr_no_decay(e)?;
                        let v = if self.types.is_record(v.ty) {
                            v
                        } else {
                            self.rvalue(v)
                        };
                        return Ok((stmts, Some(v)));
                    }
                }
                stmts.extend(self.block_item(item)?);
            }
            Ok((stmts, None))
        })();
        let id = self.close_block(outer);
        self.pop_scope();
        let (stmts, value) = r?;
        let ty = value.as_ref().map_or(TypeTable::VOID, |v| v.ty);
        let body = vec![id.wrap(stmts, loc)];
        Ok(Expr::new(ExprKind::StmtExpr(body, value.map(b)), ty, loc))
    }

    // ---- calls --------------------------------------------------------------------

    fn call(&mut self, c: &ast::CallExpression, loc: Loc) -> R<Expr> {
        if let ast::Expression::Identifier(id) = &c.callee.node {
            let name = id.node.name.as_str();
            if let Some(r) = self.builtin_call(name, &c.arguments, loc) {
                return r;
            }
            if self.lookup(name).is_none() {
                // Implicit declaration `int name()` (C89), as gcc does with a warning; for a
                // C library function gcc knows as a builtin (`memset`, `sqrt`, ...), gcc
                // declares it with the library's prototype instead, so a pointer or double
                // result is not truncated to `int`.
                self.warn_w(
                    Warning::ImplicitFunctionDeclaration,
                    loc,
                    format!("implicit declaration of function '{name}'"),
                );
                let fty = match builtins::library_proto(name) {
                    Some(proto) => self.proto_type(proto),
                    None => self.types.func(FuncType {
                        ret: TypeTable::INT,
                        params: vec![],
                        variadic: false,
                        has_proto: false,
                    }),
                };
                let sym =
                    self.declare_symbol(name, None, fty, SymKind::Func, Linkage::External, loc)?;
                if let Some(s) = self.scopes.first_mut() {
                    s.names.insert(name.to_string(), Ordinary::Global(sym));
                }
            }
            if matches!(
                name,
                "setjmp" | "_setjmp" | "__sigsetjmp" | "sigsetjmp" | "vfork"
            ) || self.returns_twice.contains(name)
            {
                if let Some(f) = self.f.as_mut() {
                    f.calls_setjmp = true;
                }
            }
        }
        let nested = self.nested_callee(&c.callee, loc)?;
        let callee = match &nested {
            // Checked against the C type (a placeholder value); the real callee and the
            // hidden chain argument are put in below.
            Some(n) => {
                let pty = self.types.ptr(n.cty);
                Expr::new(ExprKind::Int(0), pty, loc)
            }
            None => self.expr(&c.callee)?,
        };
        let Some(fty_id) = self
            .types
            .pointee(callee.ty)
            .filter(|t| self.types.is_func(*t))
        else {
            let t = self.types.display(callee.ty);
            return self.error(
                loc,
                format!("called object is not a function or function pointer (type '{t}')"),
            );
        };
        let Some(fty) = self.types.func_type(fty_id).cloned() else {
            return Err(());
        };
        let mut args = Vec::new();
        for a in &c.arguments {
            args.push(self.expr(a)?);
        }
        if fty.has_proto
            && (args.len() < fty.params.len() || (!fty.variadic && args.len() > fty.params.len()))
        {
            let what = if args.len() < fty.params.len() {
                "few"
            } else {
                "many"
            };
            return self.error(
                loc,
                format!(
                    "too {what} arguments to function (expected {}, have {})",
                    fty.params.len(),
                    args.len()
                ),
            );
        }
        let mut conv = Vec::with_capacity(args.len());
        for (i, a) in args.into_iter().enumerate() {
            match fty.params.get(i) {
                Some(&pt) if fty.has_proto => {
                    conv.push(self.assign_convert(a, pt, "passing argument to parameter of")?)
                }
                _ => conv.push(self.default_promote(a)),
            }
        }
        if !self.types.is_void(fty.ret) && !self.types.is_complete(fty.ret) {
            return self.error(loc, "calling function with incomplete return type");
        }
        if let ast::Expression::Identifier(id) = &c.callee.node {
            let name = id.node.name.as_str();
            let spec = (self.format_fns.get(name).copied())
                .or_else(|| super::format::library_format(name));
            if let Some(spec) = spec {
                self.check_format(spec, &c.arguments, &conv);
            }
        }
        if let Some(n) = nested {
            if !fty.variadic && conv.len() != fty.params.len() {
                return self.error(
                    loc,
                    format!(
                        "nested function called with {} arguments, but it has {} parameters",
                        conv.len(),
                        fty.params.len()
                    ),
                );
            }
            // The chain follows the declared parameters (before any variadic arguments).
            conv.insert(fty.params.len().min(conv.len()), n.chain);
            return Ok(Expr::new(
                ExprKind::Call {
                    callee: b(n.callee),
                    args: conv,
                    fty: n.hidden,
                },
                fty.ret,
                loc,
            ));
        }
        Ok(Expr::new(
            ExprKind::Call {
                callee: b(callee),
                args: conv,
                fty: fty_id,
            },
            fty.ret,
            loc,
        ))
    }

    /// `__builtin_setjmp(buf)`: the caller's frame gets a glibc `jmp_buf` (the builtin's
    /// 5-word buffer is too small for one) whose address goes into `buf[0]`, then `_setjmp`
    /// on it; the function keeps its locals in memory as for `setjmp`. gcc's buffer layout
    /// (frame, label, stack pointers) is not reproduced: a buffer set by cfree is only for
    /// cfree's `__builtin_longjmp`.
    fn builtin_setjmp(&mut self, buf: Expr, loc: Loc) -> R<Expr> {
        let Some(f) = self.f.as_mut() else {
            return self.error(loc, "'__builtin_setjmp' outside a function");
        };
        f.calls_setjmp = true;
        let vp = self.types.ptr(TypeTable::VOID);
        let buf = self.assign_convert(buf, vp, "passing argument to parameter of")?;
        // glibc's `struct __jmp_buf_tag`: 200 bytes.
        let jty = self.types.array(TypeTable::ULONG, Some(25));
        let jb = self.new_local("__cfree_jmp_buf", jty, loc, false);
        let jb = Expr::new(ExprKind::Local(jb), jty, loc);
        let jaddr = self.rvalue(jb);
        let jaddr = self.convert(jaddr, vp);
        let vpp = self.types.ptr(vp);
        let slot = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(buf)), vpp, loc);
        let store = Expr::new(
            ExprKind::Assign {
                lhs: b(Expr::new(ExprKind::Deref(b(slot)), vp, loc)),
                rhs: b(jaddr.clone()),
            },
            vp,
            loc,
        );
        let call =
            self.call_labelled("__cfree_builtin_setjmp", "_setjmp", "ip", vec![jaddr], loc)?;
        Ok(Expr::new(
            ExprKind::Comma(b(store), b(call)),
            TypeTable::INT,
            loc,
        ))
    }

    /// `__builtin_longjmp(buf, 1)`: `longjmp` to the `jmp_buf` `__builtin_setjmp` left in `buf[0]`.
    fn builtin_longjmp(&mut self, buf: Expr, loc: Loc) -> R<Expr> {
        let vp = self.types.ptr(TypeTable::VOID);
        let buf = self.assign_convert(buf, vp, "passing argument to parameter of")?;
        let vpp = self.types.ptr(vp);
        let slot = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(buf)), vpp, loc);
        let jb = Expr::new(
            ExprKind::Load(b(Expr::new(ExprKind::Deref(b(slot)), vp, loc))),
            vp,
            loc,
        );
        let one = self.int_const(1, TypeTable::INT, loc);
        self.call_labelled(
            "__cfree_builtin_longjmp",
            "longjmp",
            "vpi",
            vec![jb, one],
            loc,
        )
    }

    /// A call of library function `link` with a builtin-table prototype, through the C name
    /// `c_name`: a private name of our own (an asm label then names `link`) keeps the
    /// program's own declaration of `link`, of whatever exact type, from conflicting.
    pub(super) fn call_labelled(
        &mut self,
        c_name: &str,
        link: &str,
        proto: &str,
        args: Vec<Expr>,
        loc: Loc,
    ) -> R<Expr> {
        let fty = self.proto_type(proto);
        let sym = self.declare_symbol(
            c_name,
            Some(link.to_string()),
            fty,
            SymKind::Func,
            Linkage::External,
            loc,
        )?;
        let callee = Expr::new(ExprKind::Global(sym), fty, loc);
        let callee = self.rvalue(callee);
        let ret = self
            .types
            .func_type(fty)
            .map(|f| f.ret)
            .unwrap_or(TypeTable::INT);
        Ok(Expr::new(
            ExprKind::Call {
                callee: b(callee),
                args,
                fty,
            },
            ret,
            loc,
        ))
    }

    /// `__builtin_choose_expr(c, a, b)`: `a` if the integer constant `c` is nonzero, else `b`,
    /// exactly as written (type, lvalue-ness, no promotion); the other one is not analysed.
    /// `__builtin_va_arg_pack()` / `_len()`: "the caller's variable arguments", meaningful
    /// only where gcc inlines. In an `extern inline` gnu_inline variadic function (glibc's
    /// fortify wrappers) the whole body is given up for the external definition (see
    /// `function_definition`), so the value here is never code; anywhere else it is an error.
    fn va_arg_pack(&mut self, name: &str, loc: Loc) -> R<Expr> {
        match self.f.as_mut() {
            Some(f) if f.gnu_inline_only => {
                f.forwards_va_pack = true;
                Ok(self.int_const(0, TypeTable::INT, loc))
            }
            _ => self.error(
                loc,
                format!(
                    "'{name}' is only supported in a variadic 'extern inline' function with \
                     the gnu_inline attribute (cfree does not inline; calls use the external \
                     definition)"
                ),
            ),
        }
    }

    fn choose_expr(&mut self, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        let [c, a, other] = args else {
            return self.error(loc, "'__builtin_choose_expr' takes three arguments");
        };
        let v = self.const_int_expr(c)?;
        self.expr_no_decay(if v != 0 { a } else { other })
    }

    /// `&&label` (rewritten by lowering to `__cfree_label_addr(label)`): a `void *` token.
    fn label_addr(&mut self, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        let [arg] = args else {
            return self.error(loc, "malformed label address");
        };
        let ast::Expression::Identifier(id) = &arg.node else {
            return self.error(loc, "'&&' must be followed by a label name");
        };
        if self.f.is_none() {
            return self.error(loc, "label address outside a function");
        }
        if let Some(lid) = self.enclosing_label_addr(&id.node.name, loc) {
            let vp = self.types.ptr(TypeTable::VOID);
            return Ok(Expr::new(ExprKind::LabelAddr(lid), vp, loc));
        }
        let lid = self.label_id(&id.node.name, loc, false)?;
        if let Some(f) = self.f.as_mut() {
            if !f.label_addrs.contains(&lid) {
                f.label_addrs.push(lid);
            }
        }
        let vp = self.types.ptr(TypeTable::VOID);
        Ok(Expr::new(ExprKind::LabelAddr(lid), vp, loc))
    }

    /// GCC builtins, dispatched from the one table in [`crate::builtins`]; `None` when `name`
    /// is an ordinary identifier. A name in a builtin namespace that the table does not know is
    /// an error, never an implicit declaration (which would silently return a truncated `int`).
    fn builtin_call(
        &mut self,
        name: &str,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> Option<R<Expr>> {
        if name == crate::lower::LOCAL_LABEL_MARKER {
            return Some(self.local_label_decl(args, loc));
        }
        if name == "__cfree_label_addr" {
            return Some(self.label_addr(args, loc));
        }
        if name == crate::lower::REAL_PART || name == crate::lower::IMAG_PART {
            return Some(self.complex_part(args, name == crate::lower::IMAG_PART, loc));
        }
        if name == "__cfree_convertvector" {
            return Some(self.convert_vector(args, loc));
        }
        if name == "__cfree_types_compatible" || name == "alloca" {
            return Some(self.builtin(name, args, loc));
        }
        if !builtins::is_builtin_namespace(name) {
            return None;
        }
        match builtins::lookup(name) {
            Some(BuiltinKind::Intrinsic) => match name {
                "__builtin_choose_expr" => Some(self.choose_expr(args, loc)),
                // Parsed by lang-c or rewritten by the lowering pass: reaching here as a
                // call means the form was not recognised (never an implicit declaration).
                "__builtin_types_compatible_p" | "__builtin_offsetof" | "__builtin_va_arg" => {
                    Some(self.error(loc, format!("malformed '{name}'")))
                }
                _ => Some(self.builtin(name, args, loc)),
            },
            Some(BuiltinKind::Library(proto)) => {
                let lib = &name["__builtin_".len()..];
                Some(self.call_library(lib, proto, args, loc))
            }
            None => Some(self.error(
                loc,
                format!("unknown builtin '{name}' (not implemented by cfree)"),
            )),
        }
    }

    /// A call of library function `lib` through its `__builtin_` name, with the prototype
    /// from the builtin table unless the program declared `lib` itself.
    fn call_library(
        &mut self,
        lib: &str,
        proto: &str,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> R<Expr> {
        let sym = match self.lookup(lib) {
            Some(Ordinary::Global(s)) => s,
            _ => {
                let fty = self.proto_type(proto);
                self.declare_symbol(lib, None, fty, SymKind::Func, Linkage::External, loc)?
            }
        };
        let fty = self.symbols[sym.0 as usize].ty;
        let callee = Expr::new(ExprKind::Global(sym), fty, loc);
        let callee = self.rvalue(callee);
        let Some(ft) = self.types.func_type(fty).cloned() else {
            return Err(());
        };
        let mut conv = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let v = self.expr(a)?;
            match ft.params.get(i) {
                Some(&pt) if ft.has_proto => {
                    conv.push(self.assign_convert(v, pt, "passing argument to parameter of")?)
                }
                _ => conv.push(self.default_promote(v)),
            }
        }
        if ft.has_proto
            && (args.len() < ft.params.len() || (args.len() > ft.params.len() && !ft.variadic))
        {
            return self.error(
                loc,
                format!("wrong number of arguments to '__builtin_{lib}'"),
            );
        }
        Ok(Expr::new(
            ExprKind::Call {
                callee: b(callee),
                args: conv,
                fty,
            },
            ft.ret,
            loc,
        ))
    }

    /// The function type of a builtin table prototype (see [`builtins::proto_letter`]).
    pub(super) fn proto_type(&mut self, proto: &str) -> TypeId {
        let variadic = proto.ends_with('.');
        let mut tys = proto
            .trim_end_matches('.')
            .chars()
            .map(|c| self.proto_letter_type(c));
        let ret = tys.next().unwrap_or(TypeTable::INT);
        let params = tys.collect();
        self.types.func(FuncType {
            ret,
            params,
            variadic,
            has_proto: true,
        })
    }

    fn proto_letter_type(&mut self, c: char) -> TypeId {
        use builtins::ProtoType as P;
        let ptr = |s: &mut Self, t| s.types.ptr(t);
        match builtins::proto_letter(c).unwrap_or(P::Int) {
            P::Void => TypeTable::VOID,
            P::Int => TypeTable::INT,
            P::UInt => TypeTable::UINT,
            P::Long => TypeTable::LONG,
            P::ULong => TypeTable::ULONG,
            P::LongLong => TypeTable::LLONG,
            P::Double => TypeTable::DOUBLE,
            P::Float => TypeTable::FLOAT,
            P::LongDouble => TypeTable::LDOUBLE,
            P::Float128 => TypeTable::FLOAT128,
            P::VaList if !self.types.va_list_is_array() => match self.types.va_list {
                crate::target::VaListKind::Pointer => ptr(self, TypeTable::VOID),
                _ => self.types.va_list(),
            },
            P::VoidPtr | P::VaList => ptr(self, TypeTable::VOID),
            P::CharPtr => ptr(self, TypeTable::CHAR),
            P::DoublePtr => ptr(self, TypeTable::DOUBLE),
            P::FloatPtr => ptr(self, TypeTable::FLOAT),
            P::LongDoublePtr => ptr(self, TypeTable::LDOUBLE),
            P::IntPtr => ptr(self, TypeTable::INT),
        }
    }

    fn builtin(&mut self, name: &str, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        if let Some(r) = self.fp_builtin(name, args, loc) {
            return r;
        }
        if let Some(r) = self.overflow_builtin(name, args, loc) {
            return r;
        }
        let mut vals = Vec::new();
        let arity_ok = |n: usize| args.len() == n;
        let want = |s: &mut Self, n: usize| -> R<()> {
            if !arity_ok(n) {
                return s.error(
                    loc,
                    format!("wrong number of arguments to '{name}' (expected {n})"),
                );
            }
            Ok(())
        };
        let vp = self.types.ptr(TypeTable::VOID);
        match name {
            "__builtin_va_start" => {
                if !(1..=2).contains(&args.len()) {
                    return self.error(loc, "wrong number of arguments to '__builtin_va_start'");
                }
                if !self.f.as_ref().is_some_and(|f| f.is_variadic) {
                    return self.error(loc, "'va_start' used in function with fixed arguments");
                }
                vals.push(self.va_list_operand(&args[0])?);
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::VaStart, vals),
                    TypeTable::VOID,
                    loc,
                ))
            }
            "__builtin_va_end" => {
                want(self, 1)?;
                vals.push(self.va_list_operand(&args[0])?);
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::VaEnd, vals),
                    TypeTable::VOID,
                    loc,
                ))
            }
            "__builtin_va_copy" => {
                want(self, 2)?;
                vals.push(self.va_list_operand(&args[0])?);
                vals.push(self.va_list_operand(&args[1])?);
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::VaCopy, vals),
                    TypeTable::VOID,
                    loc,
                ))
            }
            "__builtin_shuffle" => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.expr(a)?);
                }
                self.vec_shuffle(vals, loc)
            }
            "__builtin_expect" => {
                // `long __builtin_expect(long, long)`: the value of the first; both are
                // evaluated (the second for its side effects, as gcc does).
                want(self, 2)?;
                let v = self.expr(&args[0])?;
                let v = self.convert(v, TypeTable::LONG);
                let hint = self.expr(&args[1])?;
                let hint = self.convert(hint, TypeTable::LONG);
                if self.const_eval(&hint).is_none() {
                    return Ok(Expr::new(
                        ExprKind::Builtin(Builtin::Expect, vec![v, hint]),
                        TypeTable::LONG,
                        loc,
                    ));
                }
                Ok(v)
            }
            "__builtin_assume_aligned" => {
                if args.is_empty() {
                    return self.error(
                        loc,
                        "wrong number of arguments to '__builtin_assume_aligned'",
                    );
                }
                let v = self.expr(&args[0])?;
                Ok(self.convert(v, vp))
            }
            "__builtin_prefetch" => {
                // A hint we do not emit, but the address expression is still evaluated
                // for its side effects (the others must be constants).
                let Some((addr, rest)) = args.split_first() else {
                    return self.error(loc, "too few arguments to '__builtin_prefetch'");
                };
                for a in rest {
                    let _ = self.const_int_expr(a)?;
                }
                let addr = self.expr(addr)?;
                Ok(self.convert(addr, TypeTable::VOID))
            }
            "__builtin_constant_p" => {
                want(self, 1)?;
                let v = self.expr(&args[0])?;
                // Arithmetic constants, and (as in gcc) the address of a string literal; the
                // address of an object is not a constant for it.
                let c = match self.const_eval(&v) {
                    Some(init::CVal::Int(_) | init::CVal::Float(_) | init::CVal::Ld(..)) => true,
                    Some(init::CVal::Addr(s, _)) => {
                        self.symbols[s.0 as usize].name.starts_with(".Lstr.")
                    }
                    None => false,
                };
                Ok(self.int_const(c as i128, TypeTable::INT, loc))
            }
            "__builtin_object_size" => {
                for a in args {
                    let _ = self.expr(a)?;
                }
                // "Unknown": (size_t)-1 for types 0 and 1, 0 for 2 and 3.
                Ok(self.int_const(-1, TypeTable::ULONG, loc))
            }
            "__builtin_classify_type" => {
                want(self, 1)?;
                let v = self.expr(&args[0])?;
                let c = if self.types.is_integer(v.ty) {
                    1
                } else if self.types.is_float(v.ty) {
                    8
                } else if self.types.is_pointer(v.ty) {
                    5
                } else {
                    12
                };
                Ok(self.int_const(c, TypeTable::INT, loc))
            }
            "__builtin_va_arg_pack" | "__builtin_va_arg_pack_len" => self.va_arg_pack(name, loc),
            "__builtin_trap" | "__builtin_unreachable" => {
                let bi = if name == "__builtin_trap" {
                    Builtin::Trap
                } else {
                    Builtin::Unreachable
                };
                Ok(Expr::new(
                    ExprKind::Builtin(bi, vec![]),
                    TypeTable::VOID,
                    loc,
                ))
            }
            "__builtin_alloca" | "alloca" => {
                want(self, 1)?;
                let v = self.expr(&args[0])?;
                let v = self.convert(v, TypeTable::ULONG);
                if let Some(f) = self.f.as_mut() {
                    f.dyn_stack = true;
                }
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::Alloca, vec![v]),
                    vp,
                    loc,
                ))
            }
            "__builtin_frame_address" | "__builtin_return_address" => {
                want(self, 1)?;
                let level = self.const_int_expr(&args[0])?;
                if !(0..=0xffff).contains(&level) {
                    let l = self.loc(args[0].span);
                    return self.error(l, format!("invalid argument to '{name}'"));
                }
                let bi = if name == "__builtin_frame_address" {
                    Builtin::FrameAddress
                } else {
                    Builtin::ReturnAddress
                };
                // The level stays a constant operand: codegen walks that many frames.
                let level = self.int_const(level, TypeTable::UINT, loc);
                Ok(Expr::new(ExprKind::Builtin(bi, vec![level]), vp, loc))
            }
            "__builtin_inf"
            | "__builtin_inff"
            | "__builtin_infl"
            | "__builtin_huge_val"
            | "__builtin_huge_valf"
            | "__builtin_huge_vall" => {
                let ty = float_ty_of(name);
                Ok(self.float_const(f64::INFINITY, ty, loc))
            }
            "__builtin_nan" | "__builtin_nanf" | "__builtin_nanl" => {
                for a in args {
                    let _ = self.expr(a)?;
                }
                let ty = float_ty_of(name);
                Ok(self.float_const(f64::NAN, ty, loc))
            }
            "__builtin_creal" | "__builtin_crealf" | "__builtin_creall" | "__builtin_cimag"
            | "__builtin_cimagf" | "__builtin_cimagl" | "__builtin_conj" | "__builtin_conjf"
            | "__builtin_conjl" => {
                want(self, 1)?;
                let v = self.expr(&args[0])?;
                self.complex_builtin(name, v, loc)
            }
            "__builtin_setjmp" => {
                want(self, 1)?;
                let buf = self.expr(&args[0])?;
                self.builtin_setjmp(buf, loc)
            }
            "__builtin_longjmp" => {
                want(self, 2)?;
                let buf = self.expr(&args[0])?;
                if self.const_int_expr(&args[1])? != 1 {
                    return self.error(loc, "'__builtin_longjmp' second argument must be 1");
                }
                self.builtin_longjmp(buf, loc)
            }
            "__builtin_complex" => {
                want(self, 2)?;
                for a in args {
                    vals.push(self.expr(a)?);
                }
                self.builtin_complex(vals, loc)
            }
            "__builtin_fabs" | "__builtin_fabsf" | "__builtin_sqrt" => {
                want(self, 1)?;
                let ty = if name == "__builtin_fabsf" {
                    TypeTable::FLOAT
                } else {
                    TypeTable::DOUBLE
                };
                let v = self.expr(&args[0])?;
                let v = self.convert(v, ty);
                let bi = if name == "__builtin_sqrt" {
                    Builtin::Sqrt
                } else {
                    Builtin::Fabs
                };
                Ok(Expr::new(ExprKind::Builtin(bi, vec![v]), ty, loc))
            }
            "__builtin_signbit" | "__builtin_signbitf" | "__builtin_signbitl" => {
                want(self, 1)?;
                let v = self.expr(&args[0])?;
                if !self.types.is_arith(v.ty) {
                    return self.error(loc, "non-floating-point argument to signbit");
                }
                let ty = if v.ty == TypeTable::FLOAT {
                    TypeTable::FLOAT
                } else {
                    TypeTable::DOUBLE
                };
                let v = self.convert(v, ty);
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::SignBit, vec![v]),
                    TypeTable::INT,
                    loc,
                ))
            }
            "__cfree_types_compatible" => {
                // From the lowering pass: two `(typeof(T)*)0` expressions.
                want(self, 2)?;
                let a = self.expr(&args[0])?;
                let c = self.expr(&args[1])?;
                let (Some(x), Some(y)) = (self.types.pointee(a.ty), self.types.pointee(c.ty))
                else {
                    return self.error(loc, "invalid __builtin_types_compatible_p");
                };
                // gcc: top-level qualifiers are ignored.
                let (x, y) = (self.types.unqualified(x), self.types.unqualified(y));
                let same = self.types.compatible(x, y);
                Ok(self.int_const(same as i128, TypeTable::INT, loc))
            }
            _ if name.starts_with("__builtin_clz")
                || name.starts_with("__builtin_ctz")
                || name.starts_with("__builtin_popcount")
                || name.starts_with("__builtin_ffs")
                || name.starts_with("__builtin_parity")
                || name.starts_with("__builtin_clrsb") =>
            {
                want(self, 1)?;
                let ty = if name.ends_with("ll") || name.ends_with('l') {
                    TypeTable::ULONG
                } else {
                    TypeTable::UINT
                };
                let v = self.expr(&args[0])?;
                let v = self.convert(v, ty);
                let bi = if name.contains("clz") || name.contains("clrsb") {
                    Builtin::Clz
                } else if name.contains("ctz") || name.contains("ffs") {
                    Builtin::Ctz
                } else {
                    Builtin::Popcount
                };
                let core = Expr::new(ExprKind::Builtin(bi, vec![v.clone()]), ty, loc);
                let core = self.convert(core, TypeTable::INT);
                if name.contains("ffs") {
                    // ffs(x) = x ? ctz(x) + 1 : 0
                    let one = self.int_const(1, TypeTable::INT, loc);
                    let zero = self.int_const(0, TypeTable::INT, loc);
                    let plus = Expr::new(
                        ExprKind::Binary(BinOp::Add, b(core), b(one)),
                        TypeTable::INT,
                        loc,
                    );
                    return Ok(Expr::new(
                        ExprKind::Cond(b(v), b(plus), b(zero)),
                        TypeTable::INT,
                        loc,
                    ));
                }
                if name.contains("parity") {
                    let one = self.int_const(1, TypeTable::INT, loc);
                    return Ok(Expr::new(
                        ExprKind::Binary(BinOp::BitAnd, b(core), b(one)),
                        TypeTable::INT,
                        loc,
                    ));
                }
                if name.contains("clrsb") {
                    // clrsb(x) = clz(x ^ (x >> (bits-1)) ) - 1, computed on the signed value.
                    let bits = self.types.size(ty) as i128 * 8;
                    let sty = if ty == TypeTable::ULONG {
                        TypeTable::LONG
                    } else {
                        TypeTable::INT
                    };
                    let sv = self.convert(v, sty);
                    let sh = self.int_const(bits - 1, sty, loc);
                    let shifted =
                        Expr::new(ExprKind::Binary(BinOp::Shr, b(sv.clone()), b(sh)), sty, loc);
                    let x = Expr::new(ExprKind::Binary(BinOp::BitXor, b(sv), b(shifted)), sty, loc);
                    let x = self.convert(x, ty);
                    // clz(0) is undefined in general but our lowering yields the bit width.
                    let c = Expr::new(ExprKind::Builtin(Builtin::Clz, vec![x]), ty, loc);
                    let c = self.convert(c, TypeTable::INT);
                    let one = self.int_const(1, TypeTable::INT, loc);
                    return Ok(Expr::new(
                        ExprKind::Binary(BinOp::Sub, b(c), b(one)),
                        TypeTable::INT,
                        loc,
                    ));
                }
                Ok(core)
            }
            "__builtin_bswap16" | "__builtin_bswap32" | "__builtin_bswap64" => {
                want(self, 1)?;
                let ty = match name {
                    "__builtin_bswap16" => TypeTable::USHORT,
                    "__builtin_bswap32" => TypeTable::UINT,
                    _ => TypeTable::ULONG,
                };
                let v = self.expr(&args[0])?;
                let v = self.convert(v, ty);
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::Bswap, vec![v]),
                    ty,
                    loc,
                ))
            }
            "__sync_synchronize" | "__atomic_thread_fence" | "__atomic_signal_fence" => {
                for a in args {
                    let _ = self.expr(a)?;
                }
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::Fence, vec![]),
                    TypeTable::VOID,
                    loc,
                ))
            }
            _ => self.atomic_builtin(name, args, loc),
        }
    }

    fn atomic_builtin(&mut self, name: &str, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        if let Some(r) = self.atomic_special(name, args, loc) {
            return r;
        }
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.expr(a)?);
        }
        let Some(ptr) = vals.first().cloned() else {
            return self.error(loc, format!("'{name}' needs a pointer argument"));
        };
        let Some(vty) = self
            .types
            .pointee(ptr.ty)
            .filter(|t| self.types.is_scalar(*t))
            .map(|t| self.types.unqualified(t))
        else {
            return self.error(
                loc,
                format!("first argument of '{name}' must be a pointer to an integer or pointer"),
            );
        };
        if self.types.is_float(vty) {
            return self.error(
                loc,
                format!("'{name}' on a floating-point object is not supported"),
            );
        }
        let op = name
            .trim_start_matches("__sync_")
            .trim_start_matches("__c11_atomic_")
            .trim_start_matches("__atomic_");
        // The C11 spellings (`__c11_atomic_load(p, mo)`) take values like the `_n` forms.
        let op = match op {
            "load" if name.starts_with("__c11") => "load_n",
            "store" | "init" if name.starts_with("__c11") => "store_n",
            "exchange" if name.starts_with("__c11") => "exchange_n",
            "compare_exchange_strong" | "compare_exchange_weak" => "compare_exchange_n",
            o => o,
        };
        let deref = |s: &mut Self, i: usize| -> R<Expr> {
            let Some(p) = vals.get(i).cloned() else {
                return s.error(loc, format!("too few arguments to '{name}'"));
            };
            if s.types.pointee(p.ty).is_none() {
                return s.error(
                    p.loc,
                    format!("argument {} of '{name}' must be a pointer", i + 1),
                );
            }
            let lv = Expr::new(ExprKind::Deref(b(p)), vty, loc);
            let v = s.rvalue(lv);
            Ok(s.convert(v, vty))
        };
        let ptr_arg = |s: &mut Self, i: usize| -> R<Expr> {
            match vals.get(i).cloned() {
                Some(p) if s.types.pointee(p.ty).is_some() => Ok(p),
                _ => s.error(
                    loc,
                    format!("argument {} of '{name}' must be a pointer", i + 1),
                ),
            }
        };
        let vp = self.types.ptr(vty);
        let store_into = |s: &mut Self, dst: Expr, v: Expr| -> Expr {
            let dst = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(dst)), vp, loc);
            let lv = Expr::new(ExprKind::Deref(b(dst)), vty, loc);
            let _ = s;
            Expr::new(
                ExprKind::Assign {
                    lhs: b(lv),
                    rhs: b(v),
                },
                vty,
                loc,
            )
        };
        match op {
            // Generic forms: values through pointers.
            "load" => {
                let ret = ptr_arg(self, 1)?;
                let v = Expr::new(ExprKind::Builtin(Builtin::AtomicLoad, vec![ptr]), vty, loc);
                let a = store_into(self, ret, v);
                return Ok(self.convert(a, TypeTable::VOID));
            }
            "store" => {
                let v = deref(self, 1)?;
                return Ok(Expr::new(
                    ExprKind::Builtin(Builtin::AtomicStore, vec![ptr, v]),
                    TypeTable::VOID,
                    loc,
                ));
            }
            "exchange" => {
                let v = deref(self, 1)?;
                let ret = ptr_arg(self, 2)?;
                let x = Expr::new(
                    ExprKind::Builtin(Builtin::AtomicXchg, vec![ptr, v]),
                    vty,
                    loc,
                );
                let a = store_into(self, ret, x);
                return Ok(self.convert(a, TypeTable::VOID));
            }
            "compare_exchange" | "compare_exchange_n" => {
                let expected = ptr_arg(self, 1)?;
                let expected = Expr::new(ExprKind::Cast(CastKind::Bitcast, b(expected)), vp, loc);
                let desired = if op == "compare_exchange" {
                    deref(self, 2)?
                } else {
                    match vals.get(2).cloned() {
                        Some(v) => self.convert(v, vty),
                        None => return self.error(loc, format!("too few arguments to '{name}'")),
                    }
                };
                return Ok(Expr::new(
                    ExprKind::Builtin(Builtin::AtomicCompareExchange, vec![ptr, expected, desired]),
                    TypeTable::BOOL,
                    loc,
                ));
            }
            "test_and_set" => {
                let one = self.int_const(1, vty, loc);
                let old = Expr::new(
                    ExprKind::Builtin(Builtin::AtomicXchg, vec![ptr, one]),
                    vty,
                    loc,
                );
                let zero = self.int_const(0, vty, loc);
                let ne = Expr::new(
                    ExprKind::Binary(BinOp::Ne, b(old), b(zero)),
                    TypeTable::INT,
                    loc,
                );
                return Ok(self.convert(ne, TypeTable::BOOL));
            }
            "clear" => {
                let zero = self.int_const(0, vty, loc);
                return Ok(Expr::new(
                    ExprKind::Builtin(Builtin::AtomicStore, vec![ptr, zero]),
                    TypeTable::VOID,
                    loc,
                ));
            }
            _ => {}
        }
        let fetch = |s: &str| -> Option<Builtin> {
            Some(match s {
                "add" => Builtin::AtomicFetchAdd,
                "sub" => Builtin::AtomicFetchSub,
                "and" => Builtin::AtomicFetchAnd,
                "or" => Builtin::AtomicFetchOr,
                "xor" => Builtin::AtomicFetchXor,
                _ => return None,
            })
        };
        let arg = |s: &mut Self, i: usize| -> R<Expr> {
            match vals.get(i).cloned() {
                Some(v) => Ok(s.convert(v, vty)),
                None => s.error(loc, format!("too few arguments to '{name}'")),
            }
        };
        // fetch_and_op returns the old value; op_and_fetch the new one.
        if let Some(rest) = op
            .strip_prefix("fetch_and_")
            .or_else(|| op.strip_prefix("fetch_"))
        {
            if let Some(bi) = fetch(rest) {
                let v = arg(self, 1)?;
                return Ok(Expr::new(ExprKind::Builtin(bi, vec![ptr, v]), vty, loc));
            }
        }
        if let Some(rest) = op
            .strip_suffix("_and_fetch")
            .or_else(|| op.strip_suffix("_fetch"))
        {
            if let Some(bi) = fetch(rest) {
                let v = arg(self, 1)?;
                let old = Expr::new(ExprKind::Builtin(bi, vec![ptr, v.clone()]), vty, loc);
                let bop = match bi {
                    Builtin::AtomicFetchAdd => BinOp::Add,
                    Builtin::AtomicFetchSub => BinOp::Sub,
                    Builtin::AtomicFetchAnd => BinOp::BitAnd,
                    Builtin::AtomicFetchOr => BinOp::BitOr,
                    _ => BinOp::BitXor,
                };
                return Ok(Expr::new(ExprKind::Binary(bop, b(old), b(v)), vty, loc));
            }
        }
        match op {
            "lock_test_and_set" | "exchange_n" => {
                let v = arg(self, 1)?;
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::AtomicXchg, vec![ptr, v]),
                    vty,
                    loc,
                ))
            }
            "lock_release" | "store_n" => {
                let v = if op == "lock_release" {
                    self.int_const(0, vty, loc)
                } else {
                    arg(self, 1)?
                };
                Ok(Expr::new(
                    ExprKind::Builtin(Builtin::AtomicStore, vec![ptr, v]),
                    TypeTable::VOID,
                    loc,
                ))
            }
            "load_n" => Ok(Expr::new(
                ExprKind::Builtin(Builtin::AtomicLoad, vec![ptr]),
                vty,
                loc,
            )),
            "val_compare_and_swap" | "bool_compare_and_swap" => {
                let expected = arg(self, 1)?;
                let desired = arg(self, 2)?;
                // Old value is returned by a CAS on a temporary holding `expected`.
                let e = Expr::new(
                    ExprKind::Builtin(Builtin::AtomicCas, vec![ptr, expected.clone(), desired]),
                    vty,
                    loc,
                );
                if op == "val_compare_and_swap" {
                    return Ok(e);
                }
                Ok(Expr::new(
                    ExprKind::Binary(BinOp::Eq, b(e), b(expected)),
                    TypeTable::INT,
                    loc,
                ))
            }
            _ => self.error(loc, format!("unsupported builtin '{name}'")),
        }
    }

    /// Atomic builtins whose first argument is not the object: lock-freedom queries (1-, 2-,
    /// 4- and 8-byte objects are always lock-free on the supported targets).
    fn atomic_special(
        &mut self,
        name: &str,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> Option<R<Expr>> {
        if !matches!(
            name,
            "__atomic_always_lock_free" | "__atomic_is_lock_free" | "__c11_atomic_is_lock_free"
        ) {
            return None;
        }
        Some((|| {
            let Some(size) = args.first() else {
                return self.error(loc, format!("too few arguments to '{name}'"));
            };
            let n = self.const_int_expr(size)?;
            for a in &args[1..] {
                let _ = self.expr(a)?;
            }
            let lock_free = matches!(n, 1 | 2 | 4 | 8) as i128;
            Ok(self.int_const(lock_free, TypeTable::BOOL, loc))
        })())
    }

    // ---- constant expressions ----------------------------------------------------

    pub(super) fn const_int(&self, e: &Expr) -> Option<i128> {
        match self.const_eval(e)? {
            init::CVal::Int(v) => Some(v),
            _ => None,
        }
    }

    /// An integer constant expression; reports an error if it is not one.
    pub(super) fn const_int_expr(&mut self, e: &Node<ast::Expression>) -> R<i128> {
        let x = self.expr(e)?;
        match self.const_int(&x) {
            Some(v) if self.types.is_integer(x.ty) => Ok(v),
            _ => {
                let l = self.loc(e.span);
                self.error(l, "expression is not an integer constant expression")
            }
        }
    }
}

fn float_ty_of(name: &str) -> TypeId {
    if name.ends_with('f') {
        TypeTable::FLOAT
    } else if name.ends_with('l') {
        TypeTable::LDOUBLE
    } else {
        TypeTable::DOUBLE
    }
}

fn cmp_op(op: &ast::BinaryOperator) -> BinOp {
    use ast::BinaryOperator as B;
    match op {
        B::Less => BinOp::Lt,
        B::Greater => BinOp::Gt,
        B::LessOrEqual => BinOp::Le,
        B::GreaterOrEqual => BinOp::Ge,
        B::Equals => BinOp::Eq,
        _ => BinOp::Ne,
    }
}

impl<'a> Sema<'a> {
    /// gcc's "invalid operands to binary OP (have 'A' and 'B')".
    pub(super) fn invalid_operands<T>(
        &mut self,
        op: &ast::BinaryOperator,
        a: TypeId,
        c: TypeId,
        loc: Loc,
    ) -> R<T> {
        let (a, c) = (self.types.display(a), self.types.display(c));
        self.error(
            loc,
            format!(
                "invalid operands to binary {} (have '{a}' and '{c}')",
                op_str(op)
            ),
        )
    }
}

fn op_str(op: &ast::BinaryOperator) -> &'static str {
    use ast::BinaryOperator as B;
    match op {
        B::Multiply => "*",
        B::Divide => "/",
        B::Modulo => "%",
        B::Plus => "+",
        B::Minus => "-",
        B::ShiftLeft => "<<",
        B::ShiftRight => ">>",
        B::Less => "<",
        B::Greater => ">",
        B::LessOrEqual => "<=",
        B::GreaterOrEqual => ">=",
        B::Equals => "==",
        B::NotEquals => "!=",
        B::BitwiseAnd => "&",
        B::BitwiseXor => "^",
        B::BitwiseOr => "|",
        _ => "operator",
    }
}

/// The binary operator of a compound assignment (`+=` → `+`).
fn vector_op(op: &ast::BinaryOperator) -> ast::BinaryOperator {
    use ast::BinaryOperator as B;
    match op {
        B::AssignMultiply => B::Multiply,
        B::AssignDivide => B::Divide,
        B::AssignModulo => B::Modulo,
        B::AssignPlus => B::Plus,
        B::AssignMinus => B::Minus,
        B::AssignShiftLeft => B::ShiftLeft,
        B::AssignShiftRight => B::ShiftRight,
        B::AssignBitwiseAnd => B::BitwiseAnd,
        B::AssignBitwiseXor => B::BitwiseXor,
        _ => B::BitwiseOr,
    }
}

/// "assigning to 'T' from 'F'", or for a `return` gcc's "returning 'F' from a function with
/// return type 'T'".
fn conversion(what: &str, to: &str, from: &str) -> String {
    match what {
        "returning" => format!("returning '{from}' from a function with return type '{to}'"),
        _ => format!("{what} '{to}' from '{from}'"),
    }
}

//! Initializers (C11 6.7.9): brace elision, designators, string literals for char arrays,
//! incomplete array completion; and constant evaluation for static initializers.
//!
//! One walker flattens an initializer into leaves (byte offset, optional bit-field, value);
//! locals turn leaves into stores, statics into bytes and relocations.

use super::*;
use crate::ldfloat;
use crate::target::LongDoubleFormat;
use crate::types::BitField;
use lang_c::span::Node;

/// A compile-time value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CVal {
    Int(i128),
    Float(f64),
    /// A `long double` or `_Float128`: its format and bits (see [`crate::ldfloat`]).
    Ld(LongDoubleFormat, u128),
    /// Address of a symbol plus a byte offset.
    Addr(SymId, i64),
}

enum LeafVal {
    Expr(Expr),
    Bytes(Vec<u8>),
}

struct Leaf {
    offset: u64,
    bit: Option<BitField>,
    val: LeafVal,
}

/// Addresses stored in a static image: (offset, target, addend).
type Relocs = Vec<(u64, SymId, i64)>;

fn is_string_literal(e: &Node<ast::Expression>) -> bool {
    matches!(&e.node, ast::Expression::StringLiteral(_))
}

impl<'a> Sema<'a> {
    // ---- constant evaluation ------------------------------------------------------

    pub(crate) fn const_eval(&self, e: &Expr) -> Option<CVal> {
        use ExprKind as K;
        match &e.kind {
            K::Int(v) => Some(CVal::Int(*v)),
            K::Float(f) => Some(CVal::Float(*f)),
            K::LongDouble(b) => Some(CVal::Ld(self.soft(e.ty)?, *b)),
            K::Cast(kind, x) => {
                let v = self.const_eval(x)?;
                if let Some(r) = self.const_ld_cast(*kind, v, x.ty, e.ty) {
                    return r;
                }
                match (kind, v) {
                    (CastKind::ToVoid, _) => None,
                    (CastKind::ToBool, CVal::Int(i)) => Some(CVal::Int((i != 0) as i128)),
                    (CastKind::ToBool, CVal::Float(f)) => Some(CVal::Int((f != 0.0) as i128)),
                    (CastKind::ToBool, CVal::Addr(..)) => Some(CVal::Int(1)),
                    (
                        CastKind::IntToInt
                        | CastKind::PtrToInt
                        | CastKind::IntToPtr
                        | CastKind::Bitcast,
                        CVal::Int(i),
                    ) => Some(CVal::Int(self.norm(i, e.ty))),
                    (
                        CastKind::PtrToInt
                        | CastKind::IntToPtr
                        | CastKind::Bitcast
                        | CastKind::IntToInt,
                        a @ CVal::Addr(..),
                    ) => {
                        // Only a full-width integer can hold an address at load time.
                        (self.types.size(e.ty) == 8).then_some(a)
                    }
                    (CastKind::IntToFloat, CVal::Int(i)) => {
                        let f = if self.types.is_signed(x.ty) {
                            i as f64
                        } else {
                            (i as u128) as f64
                        };
                        Some(CVal::Float(self.round_float(f, e.ty)))
                    }
                    (CastKind::FloatToFloat, CVal::Float(f)) => {
                        Some(CVal::Float(self.round_float(f, e.ty)))
                    }
                    (CastKind::FloatToInt, CVal::Float(f)) => {
                        Some(CVal::Int(self.float_to_int_const(f, e.ty)))
                    }
                    _ => None,
                }
            }
            K::Unary(op, x) => match (op, self.const_eval(x)?) {
                (UnOp::Neg, CVal::Int(i)) => Some(CVal::Int(self.norm(i.wrapping_neg(), e.ty))),
                (UnOp::Neg, CVal::Float(f)) => Some(CVal::Float(-f)),
                (UnOp::Neg, CVal::Ld(f, b)) => Some(CVal::Ld(f, ldfloat::neg(f, b))),
                (UnOp::LogNot, CVal::Ld(f, b)) => Some(CVal::Int(ldfloat::is_zero(f, b) as i128)),
                (UnOp::BitNot, CVal::Int(i)) => Some(CVal::Int(self.norm(!i, e.ty))),
                (UnOp::LogNot, CVal::Int(i)) => Some(CVal::Int((i == 0) as i128)),
                (UnOp::LogNot, CVal::Float(f)) => Some(CVal::Int((f == 0.0) as i128)),
                (UnOp::LogNot, CVal::Addr(..)) => Some(CVal::Int(0)),
                _ => None,
            },
            K::Binary(op, l, r) => {
                let (a, c) = (self.const_eval(l)?, self.const_eval(r)?);
                self.const_binary(*op, a, c, l.ty, e.ty)
            }
            K::LogAnd(l, r) => {
                let a = self.truth(self.const_eval(l)?)?;
                if !a {
                    return Some(CVal::Int(0));
                }
                Some(CVal::Int(self.truth(self.const_eval(r)?)? as i128))
            }
            K::LogOr(l, r) => {
                let a = self.truth(self.const_eval(l)?)?;
                if a {
                    return Some(CVal::Int(1));
                }
                Some(CVal::Int(self.truth(self.const_eval(r)?)? as i128))
            }
            K::Cond(c, t, f) => {
                if self.truth(self.const_eval(c)?)? {
                    self.const_eval(t)
                } else {
                    self.const_eval(f)
                }
            }
            // A comma expression is constant only when its left operand is (a call or an
            // assignment there must still run).
            K::Comma(l, r) => {
                self.const_eval(l)?;
                self.const_eval(r)
            }
            K::LabelAddr(l) => Some(CVal::Int(crate::ir::label_token(*l) as i128)),
            K::AddrOf(lv) => self.const_addr(lv),
            K::PtrAdd { ptr, index, scale } => {
                let p = self.const_eval(ptr)?;
                let CVal::Int(i) = self.const_eval(index)? else {
                    return None;
                };
                let d = (i as i64).wrapping_mul(*scale as i64);
                match p {
                    CVal::Addr(s, o) => Some(CVal::Addr(s, o.wrapping_add(d))),
                    CVal::Int(v) => Some(CVal::Int(self.norm(v.wrapping_add(d as i128), e.ty))),
                    _ => None,
                }
            }
            K::PtrDiff { lhs, rhs, scale } => {
                match (self.const_eval(lhs)?, self.const_eval(rhs)?) {
                    (CVal::Addr(s1, o1), CVal::Addr(s2, o2)) if s1 == s2 => {
                        Some(CVal::Int(((o1 - o2) / *scale as i64) as i128))
                    }
                    (CVal::Int(a), CVal::Int(c)) => Some(CVal::Int((a - c) / *scale as i128)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Constant conversions into or out of `long double`, computed exactly in its format.
    /// `None` when the cast does not involve `long double`; `Some(None)` when it does but the
    /// value is left to run time (NaN or out-of-range to integer).
    fn const_ld_cast(
        &self,
        kind: CastKind,
        v: CVal,
        from: TypeId,
        to: TypeId,
    ) -> Option<Option<CVal>> {
        let to_soft = self.soft(to);
        Some(match (kind, v) {
            (CastKind::ToBool, CVal::Ld(f, b)) => Some(CVal::Int(!ldfloat::is_zero(f, b) as i128)),
            (CastKind::IntToFloat, CVal::Int(i)) if to_soft.is_some() => {
                let f = to_soft?;
                Some(CVal::Ld(
                    f,
                    ldfloat::from_int(f, i, self.types.is_signed(from)),
                ))
            }
            (CastKind::FloatToFloat, CVal::Float(x)) if to_soft.is_some() => {
                let f = to_soft?;
                Some(CVal::Ld(f, ldfloat::from_f64(f, x)))
            }
            (CastKind::FloatToFloat, CVal::Ld(f, b)) => match to_soft {
                Some(t) => Some(CVal::Ld(t, ldfloat::convert(f, t, b))),
                None => Some(CVal::Float(ldfloat::to_f64(
                    f,
                    b,
                    self.types.unqualified(to) == TypeTable::FLOAT,
                ))),
            },
            (CastKind::FloatToInt, CVal::Ld(f, b)) => {
                let v = ldfloat::to_int(f, b, self.types.is_signed(to))?;
                Some(CVal::Int(self.norm(v, to)))
            }
            (_, CVal::Ld(..)) => None,
            _ => return None,
        })
    }

    fn const_ld_binary(&self, op: BinOp, f: LongDoubleFormat, x: u128, y: u128) -> Option<CVal> {
        use ldfloat::ArithOp as A;
        use std::cmp::Ordering as O;
        let arith = |a| ldfloat::arith(f, a, x, y).map(|b| CVal::Ld(f, b));
        let ord = ldfloat::compare(f, x, y);
        let cmp = |ok: bool| Some(CVal::Int(ok as i128));
        match op {
            BinOp::Add => arith(A::Add),
            BinOp::Sub => arith(A::Sub),
            BinOp::Mul => arith(A::Mul),
            BinOp::Div => arith(A::Div),
            BinOp::Eq => cmp(ord == Some(O::Equal)),
            BinOp::Ne => cmp(ord != Some(O::Equal)),
            BinOp::Lt => cmp(ord == Some(O::Less)),
            BinOp::Le => cmp(matches!(ord, Some(O::Less | O::Equal))),
            BinOp::Gt => cmp(ord == Some(O::Greater)),
            BinOp::Ge => cmp(matches!(ord, Some(O::Greater | O::Equal))),
            _ => None,
        }
    }

    fn round_float(&self, f: f64, ty: TypeId) -> f64 {
        if ty == TypeTable::FLOAT {
            f as f32 as f64
        } else {
            f
        }
    }

    fn truth(&self, v: CVal) -> Option<bool> {
        Some(match v {
            CVal::Int(i) => i != 0,
            CVal::Float(f) => f != 0.0,
            CVal::Ld(f, b) => !ldfloat::is_zero(f, b),
            CVal::Addr(..) => true,
        })
    }

    /// The address of a constant lvalue.
    fn const_addr(&self, lv: &Expr) -> Option<CVal> {
        match &lv.kind {
            // A thread-local object's address differs per thread: not a link-time constant.
            ExprKind::Global(s) if self.symbols[s.0 as usize].thread_local => None,
            ExprKind::Global(s) => Some(CVal::Addr(*s, 0)),
            ExprKind::Member {
                base,
                offset,
                bit: None,
            } => match self.const_addr(base)? {
                CVal::Addr(s, o) => Some(CVal::Addr(s, o + *offset as i64)),
                CVal::Int(v) => Some(CVal::Int(v + *offset as i128)),
                _ => None,
            },
            ExprKind::Deref(p) => self.const_eval(p),
            _ => None,
        }
    }

    fn const_binary(&self, op: BinOp, a: CVal, c: CVal, opty: TypeId, ty: TypeId) -> Option<CVal> {
        match (a, c) {
            (CVal::Int(x), CVal::Int(y)) => {
                let signed = self.types.is_signed(opty);
                let bits = self.types.size(opty) * 8;
                let v = match op {
                    BinOp::Add => x.wrapping_add(y),
                    BinOp::Sub => x.wrapping_sub(y),
                    BinOp::Mul => x.wrapping_mul(y),
                    BinOp::Div => {
                        if y == 0 {
                            return None;
                        }
                        x.wrapping_div(y)
                    }
                    BinOp::Rem => {
                        if y == 0 {
                            return None;
                        }
                        x.wrapping_rem(y)
                    }
                    BinOp::Shl => {
                        if y < 0 || y as u64 >= bits {
                            return None;
                        }
                        x.wrapping_shl(y as u32)
                    }
                    BinOp::Shr => {
                        if y < 0 || y as u64 >= bits {
                            return None;
                        }
                        x >> y
                    }
                    BinOp::BitAnd => x & y,
                    BinOp::BitOr => x | y,
                    BinOp::BitXor => x ^ y,
                    BinOp::Eq => (x == y) as i128,
                    BinOp::Ne => (x != y) as i128,
                    BinOp::Lt => (x < y) as i128,
                    BinOp::Le => (x <= y) as i128,
                    BinOp::Gt => (x > y) as i128,
                    BinOp::Ge => (x >= y) as i128,
                };
                let _ = signed;
                Some(CVal::Int(self.norm(v, ty)))
            }
            (CVal::Ld(f, x), CVal::Ld(g, y)) if f == g => self.const_ld_binary(op, f, x, y),
            (CVal::Float(x), CVal::Float(y)) => Some(match op {
                BinOp::Add => CVal::Float(self.round_float(x + y, ty)),
                BinOp::Sub => CVal::Float(self.round_float(x - y, ty)),
                BinOp::Mul => CVal::Float(self.round_float(x * y, ty)),
                BinOp::Div => CVal::Float(self.round_float(x / y, ty)),
                BinOp::Eq => CVal::Int((x == y) as i128),
                BinOp::Ne => CVal::Int((x != y) as i128),
                BinOp::Lt => CVal::Int((x < y) as i128),
                BinOp::Le => CVal::Int((x <= y) as i128),
                BinOp::Gt => CVal::Int((x > y) as i128),
                BinOp::Ge => CVal::Int((x >= y) as i128),
                _ => return None,
            }),
            (CVal::Addr(s, o), CVal::Int(y)) => match op {
                BinOp::Add => Some(CVal::Addr(s, o.wrapping_add(y as i64))),
                BinOp::Sub => Some(CVal::Addr(s, o.wrapping_sub(y as i64))),
                BinOp::Ne => Some(CVal::Int(1)),
                BinOp::Eq => Some(CVal::Int(0)),
                _ => None,
            },
            (CVal::Addr(s1, o1), CVal::Addr(s2, o2)) if s1 == s2 => match op {
                BinOp::Sub => Some(CVal::Int((o1 - o2) as i128)),
                BinOp::Eq => Some(CVal::Int((o1 == o2) as i128)),
                BinOp::Ne => Some(CVal::Int((o1 != o2) as i128)),
                _ => None,
            },
            _ => None,
        }
    }

    // ---- the initializer walker ---------------------------------------------------

    /// Walks `init` for an object of type `ty` at `off`; returns the (possibly completed) type.
    fn init_walk(
        &mut self,
        ty: TypeId,
        off: u64,
        init: &Node<ast::Initializer>,
        out: &mut Vec<Leaf>,
    ) -> R<TypeId> {
        match &init.node {
            ast::Initializer::Expression(e) => self.init_from_expr(ty, off, None, e, out),
            ast::Initializer::List(items) => {
                if self.types.is_scalar(ty) || self.types.is_complex(ty) {
                    if let Some(first) = items.first() {
                        if items.len() > 1 {
                            let l = self.loc(init.span);
                            self.warn(l, "excess elements in scalar initializer");
                        }
                        return self.init_walk(ty, off, &first.node.initializer, out);
                    }
                    return Ok(ty);
                }
                if let Some(e) = self.braced_string(ty, items) {
                    if items.len() > 1 {
                        let l = self.loc(items[1].span);
                        self.warn(l, "excess elements in char array initializer");
                    }
                    let elem = self.types.elem(ty).ok_or(())?;
                    return self.init_string(ty, elem, off, e, out);
                }
                let mut pos = 0;
                self.init_list(ty, off, items, &mut pos, out, true)
            }
        }
    }

    /// The string literal of `{"..."}` initialising a character array `ty` (C11 6.7.9p14:
    /// the literal may be enclosed in braces), so that it initialises the array itself
    /// rather than its first element.
    fn braced_string<'n>(
        &self,
        ty: TypeId,
        items: &'n [Node<ast::InitializerListItem>],
    ) -> Option<&'n Node<ast::Expression>> {
        let elem = self.types.elem(ty)?;
        let first = items.first()?;
        match &first.node.initializer.node {
            ast::Initializer::Expression(e)
                if first.node.designation.is_empty()
                    && is_string_literal(e)
                    && self.types.is_integer(elem) =>
            {
                Some(e)
            }
            _ => None,
        }
    }

    fn init_from_expr(
        &mut self,
        ty: TypeId,
        off: u64,
        bit: Option<BitField>,
        e: &Node<ast::Expression>,
        out: &mut Vec<Leaf>,
    ) -> R<TypeId> {
        let loc = self.loc(e.span);
        if let Some(elem) = self.types.elem(ty) {
            if is_string_literal(e) && self.types.is_integer(elem) {
                return self.init_string(ty, elem, off, e, out);
            }
            return self.error(
                loc,
                "array must be initialized with a brace-enclosed initializer",
            );
        }
        let x = self.expr(e)?;
        let x = self.assign_convert(x, ty, "initializing")?;
        out.push(Leaf {
            offset: off,
            bit,
            val: LeafVal::Expr(x),
        });
        Ok(ty)
    }

    fn init_string(
        &mut self,
        ty: TypeId,
        elem: TypeId,
        off: u64,
        e: &Node<ast::Expression>,
        out: &mut Vec<Leaf>,
    ) -> R<TypeId> {
        let ast::Expression::StringLiteral(s) = &e.node else {
            return Err(());
        };
        let loc = self.loc(e.span);
        let (kind, units) = match lit::string_literal(&s.node) {
            Ok(v) => v,
            Err(m) => return self.error(loc, m),
        };
        let w = self.types.size(elem) as usize;
        let expect_w = match kind {
            lit::StrKind::Narrow => 1,
            lit::StrKind::Utf16 => 2,
            lit::StrKind::Wide32 => 4,
        };
        if w != expect_w {
            return self.error(
                loc,
                "array of inappropriate type initialized from string constant",
            );
        }
        let (ty, n) = match self.types.kind(ty).clone() {
            TypeKind::Array(_, Some(n)) => (ty, n as usize),
            _ => {
                let n = units.len() + 1;
                (self.types.array(elem, Some(n as u64)), n)
            }
        };
        if units.len() > n {
            self.warn(loc, "initializer-string for array is too long");
        }
        let mut bytes = Vec::with_capacity(n * w);
        for i in 0..n {
            let u = units.get(i).copied().unwrap_or(0);
            bytes.extend_from_slice(&u.to_le_bytes()[..w]);
        }
        out.push(Leaf {
            offset: off,
            bit: None,
            val: LeafVal::Bytes(bytes),
        });
        Ok(ty)
    }

    /// The initializer of a whole object. Only here may a flexible array member be
    /// initialised (GNU C; gcc rejects it for a nested struct): its type is then `T[]`, and
    /// the leaves reach past `sizeof`.
    fn init_top(
        &mut self,
        ty: TypeId,
        init: &Node<ast::Initializer>,
        out: &mut Vec<Leaf>,
    ) -> R<TypeId> {
        let flexible = match self.types.kind(ty) {
            TypeKind::Record(rid) => self.types.record(*rid).flexible,
            _ => false,
        };
        match &init.node {
            ast::Initializer::List(items) if flexible => {
                let mut pos = 0;
                self.init_list_in(ty, 0, items, &mut pos, out, true, true)
            }
            _ => self.init_walk(ty, 0, init, out),
        }
    }

    /// The type a flexible array member `T[0]` is initialised as: `T[]`.
    fn open_flexible(&mut self, f: &crate::types::Field) -> crate::types::Field {
        let mut f = f.clone();
        if let TypeKind::Array(e, Some(0)) = self.types.kind(f.ty).clone() {
            f.ty = self.types.array(e, None);
        }
        f
    }

    /// Initialises the members of an aggregate from `items[*pos..]`. `braced` is false under
    /// brace elision: then it stops at a designator or when the aggregate is full.
    fn init_list(
        &mut self,
        ty: TypeId,
        off: u64,
        items: &[Node<ast::InitializerListItem>],
        pos: &mut usize,
        out: &mut Vec<Leaf>,
        braced: bool,
    ) -> R<TypeId> {
        self.init_list_in(ty, off, items, pos, out, braced, false)
    }

    /// [`Self::init_list`]; `flex`: the record's flexible array member may be initialised.
    #[allow(clippy::too_many_arguments)]
    fn init_list_in(
        &mut self,
        ty: TypeId,
        off: u64,
        items: &[Node<ast::InitializerListItem>],
        pos: &mut usize,
        out: &mut Vec<Leaf>,
        braced: bool,
        flex: bool,
    ) -> R<TypeId> {
        let array_like = match self.types.kind(ty).clone() {
            TypeKind::Array(elem, len) => Some((elem, len)),
            TypeKind::Vector { elem, count } => Some((elem, Some(count))),
            _ => None,
        };
        match self.types.kind(ty).clone() {
            _ if array_like.is_some() => {
                let Some((elem, len)) = array_like else {
                    return Ok(ty);
                };
                let esz = self.types.size(elem);
                let mut i: u64 = 0;
                let mut max: u64 = 0;
                while *pos < items.len() {
                    let item = &items[*pos];
                    if !item.node.designation.is_empty() {
                        if !braced {
                            break;
                        }
                        let (lo, hi) = self.index_designator(&item.node.designation[0])?;
                        if let Some(n) = len {
                            if hi >= n {
                                let l = self.loc(item.span);
                                return self
                                    .error(l, "array index in initializer exceeds array bounds");
                            }
                        }
                        *pos += 1;
                        for idx in lo..=hi {
                            self.init_designated(
                                elem,
                                off + idx * esz,
                                &item.node.designation[1..],
                                &item.node.initializer,
                                out,
                            )?;
                        }
                        i = hi + 1;
                    } else {
                        if let Some(n) = len {
                            if i >= n {
                                if braced {
                                    let l = self.loc(item.span);
                                    self.warn(l, "excess elements in array initializer");
                                    *pos = items.len();
                                }
                                break;
                            }
                        }
                        self.init_member(elem, off + i * esz, None, items, pos, out)?;
                        i += 1;
                    }
                    max = max.max(i);
                }
                Ok(if len.is_none() {
                    self.types.array(elem, Some(max))
                } else {
                    ty
                })
            }
            TypeKind::Record(rid) => {
                let rec = self.types.record(rid).clone();
                let fields: Vec<&crate::types::Field> = rec
                    .fields
                    .iter()
                    .filter(|f| f.name.is_some() || f.bit.is_none())
                    .collect();
                let mut fi = 0usize;
                let mut done_union = false;
                while *pos < items.len() {
                    let item = &items[*pos];
                    if !item.node.designation.is_empty() {
                        if !braced {
                            break;
                        }
                        let ast::Designator::Member(id) = &item.node.designation[0].node else {
                            let l = self.loc(item.span);
                            return self.error(l, "array index in non-array initializer");
                        };
                        let Some(idx) = self.field_index(&fields, &id.node.name) else {
                            let l = self.loc(id.span);
                            let t = self.types.display(ty);
                            return self
                                .error(l, format!("'{t}' has no member named '{}'", id.node.name));
                        };
                        *pos += 1;
                        let last = flex && rec.flexible && idx + 1 == fields.len();
                        let f = &if last {
                            self.open_flexible(fields[idx])
                        } else {
                            fields[idx].clone()
                        };
                        if f.name.is_none() {
                            // Designator names a member of an anonymous struct/union member.
                            self.init_designated(
                                f.ty,
                                off + f.offset,
                                &item.node.designation,
                                &item.node.initializer,
                                out,
                            )?;
                        } else {
                            self.init_designated_field(
                                f,
                                off,
                                &item.node.designation[1..],
                                &item.node.initializer,
                                out,
                            )?;
                        }
                        fi = idx + 1;
                        done_union = true;
                        continue;
                    }
                    if fi >= fields.len() || (rec.is_union && done_union) {
                        if braced {
                            let l = self.loc(item.span);
                            self.warn(l, "excess elements in struct initializer");
                            *pos = items.len();
                        }
                        break;
                    }
                    let last = flex && rec.flexible && fi + 1 == fields.len();
                    let f = &if last {
                        self.open_flexible(fields[fi])
                    } else {
                        fields[fi].clone()
                    };
                    self.init_member(f.ty, off + f.offset, f.bit.clone(), items, pos, out)?;
                    fi += 1;
                    done_union = true;
                }
                Ok(ty)
            }
            _ => {
                // A scalar under brace elision consumes one item.
                self.init_member(ty, off, None, items, pos, out)?;
                Ok(ty)
            }
        }
    }

    fn field_index(&self, fields: &[&crate::types::Field], name: &str) -> Option<usize> {
        fields.iter().position(|f| match &f.name {
            Some(n) => n == name,
            None => self.types.is_record(f.ty) && self.record_has_member(f.ty, name),
        })
    }

    fn record_has_member(&self, ty: TypeId, name: &str) -> bool {
        self.types.record_of(ty).is_some_and(|r| {
            r.fields.iter().any(|f| match &f.name {
                Some(n) => n == name,
                None => self.record_has_member(f.ty, name),
            })
        })
    }

    fn init_designated_field(
        &mut self,
        f: &crate::types::Field,
        off: u64,
        rest: &[Node<ast::Designator>],
        init: &Node<ast::Initializer>,
        out: &mut Vec<Leaf>,
    ) -> R<()> {
        if rest.is_empty() {
            if let (Some(bit), ast::Initializer::Expression(e)) = (&f.bit, &init.node) {
                self.init_from_expr(f.ty, off + f.offset, Some(bit.clone()), e, out)?;
                return Ok(());
            }
        }
        self.init_designated(f.ty, off + f.offset, rest, init, out)
    }

    fn index_designator(&mut self, d: &Node<ast::Designator>) -> R<(u64, u64)> {
        let loc = self.loc(d.span);
        match &d.node {
            ast::Designator::Index(e) => {
                let v = self.const_int_expr(e)?;
                if v < 0 {
                    return self.error(loc, "array index in initializer is negative");
                }
                Ok((v as u64, v as u64))
            }
            ast::Designator::Range(r) => {
                let lo = self.const_int_expr(&r.node.from)?;
                let hi = self.const_int_expr(&r.node.to)?;
                if lo < 0 || hi < lo {
                    return self.error(loc, "invalid range in array designator");
                }
                Ok((lo as u64, hi as u64))
            }
            ast::Designator::Member(_) => {
                self.error(loc, "field name not in record or union initializer")
            }
        }
    }

    /// Initialises the sub-object reached by `designators` (relative to an object of type `ty` at `off`).
    fn init_designated(
        &mut self,
        ty: TypeId,
        off: u64,
        designators: &[Node<ast::Designator>],
        init: &Node<ast::Initializer>,
        out: &mut Vec<Leaf>,
    ) -> R<()> {
        let Some((first, rest)) = designators.split_first() else {
            // No more designators: initialise this sub-object; a bare expression for an
            // aggregate starts brace elision over just this item.
            if let ast::Initializer::Expression(e) = &init.node {
                let aggregate = self.types.is_aggregate(ty) && !self.types.is_complex(ty);
                let direct = !aggregate || (is_string_literal(e) && self.types.elem(ty).is_some());
                if !direct {
                    let x = self.expr(e)?;
                    if (self.types.is_record(ty) && self.types.compatible(x.ty, ty))
                        || (self.types.is_vector(ty) && self.vec_assign_ok(ty, x.ty))
                    {
                        out.push(Leaf {
                            offset: off,
                            bit: None,
                            val: LeafVal::Expr(x),
                        });
                        return Ok(());
                    }
                    let item = Node::new(
                        ast::InitializerListItem {
                            designation: Vec::new(),
                            initializer: Box::new(init.clone()),
                        },
                        init.span,
                    );
                    let mut pos = 0;
                    self.init_list(ty, off, std::slice::from_ref(&item), &mut pos, out, false)?;
                    return Ok(());
                }
            }
            self.init_walk(ty, off, init, out)?;
            return Ok(());
        };
        match &first.node {
            ast::Designator::Member(id) => {
                let Some(rec) = self.types.record_of(ty).cloned() else {
                    let l = self.loc(first.span);
                    return self.error(
                        l,
                        format!(
                            "field name '{}' not in record or union initializer",
                            id.node.name
                        ),
                    );
                };
                let fields: Vec<&crate::types::Field> = rec.fields.iter().collect();
                let Some(idx) = self.field_index(&fields, &id.node.name) else {
                    let l = self.loc(id.span);
                    let t = self.types.display(ty);
                    return self.error(l, format!("'{t}' has no member named '{}'", id.node.name));
                };
                let f = fields[idx].clone();
                if f.name.is_none() {
                    return self.init_designated(f.ty, off + f.offset, designators, init, out);
                }
                self.init_designated_field(&f, off, rest, init, out)
            }
            _ => {
                let Some(elem) = self.types.elem(ty) else {
                    let l = self.loc(first.span);
                    return self.error(l, "array index in non-array initializer");
                };
                let (lo, hi) = self.index_designator(first)?;
                let esz = self.types.size(elem);
                for i in lo..=hi {
                    self.init_designated(elem, off + i * esz, rest, init, out)?;
                }
                Ok(())
            }
        }
    }

    /// Initialises one member from `items[*pos]`, eliding braces when the member is an
    /// aggregate and the item is a plain expression of another type.
    fn init_member(
        &mut self,
        ty: TypeId,
        off: u64,
        bit: Option<BitField>,
        items: &[Node<ast::InitializerListItem>],
        pos: &mut usize,
        out: &mut Vec<Leaf>,
    ) -> R<()> {
        let item = &items[*pos];
        match &item.node.initializer.node {
            ast::Initializer::List(_) => {
                *pos += 1;
                self.init_walk(ty, off, &item.node.initializer, out)?;
            }
            ast::Initializer::Expression(e) => {
                if !self.types.is_aggregate(ty) || self.types.is_complex(ty) {
                    *pos += 1;
                    self.init_from_expr(ty, off, bit, e, out)?;
                } else if is_string_literal(e)
                    && self
                        .types
                        .elem(ty)
                        .is_some_and(|el| self.types.is_integer(el))
                {
                    *pos += 1;
                    self.init_from_expr(ty, off, None, e, out)?;
                } else {
                    if self.types.is_record(ty) || self.types.is_vector(ty) {
                        let x = self.expr(e)?;
                        if self.types.compatible(x.ty, ty) || self.vec_assign_ok(ty, x.ty) {
                            *pos += 1;
                            out.push(Leaf {
                                offset: off,
                                bit: None,
                                val: LeafVal::Expr(x),
                            });
                            return Ok(());
                        }
                    }
                    self.init_list(ty, off, items, pos, out, false)?;
                }
            }
        }
        Ok(())
    }

    // ---- locals and statics -------------------------------------------------------

    /// The statement initialising a local; returns it with the (possibly completed) type.
    pub(super) fn local_initializer(
        &mut self,
        local: LocalId,
        ty: TypeId,
        init: &Node<ast::Initializer>,
        loc: Loc,
    ) -> R<(Stmt, TypeId)> {
        let mut leaves = Vec::new();
        let ty = self.init_top(ty, init, &mut leaves)?;
        if !self.types.is_complete(ty) {
            return self.error(loc, "variable has incomplete type");
        }
        if self.leaves_extent(&leaves) > self.types.size(ty) as usize {
            return self.error(loc, "non-static initialization of a flexible array member");
        }
        let zero = self.types.is_aggregate(ty) && !self.types.is_complex(ty);
        let mut stores = Vec::with_capacity(leaves.len());
        for leaf in leaves {
            let expr = match leaf.val {
                LeafVal::Expr(e) => e,
                LeafVal::Bytes(bytes) => {
                    // Copy from an anonymous read-only image of exactly the bytes needed.
                    let units: Vec<u32> = bytes.iter().map(|&b| b as u32).collect();
                    let mut s = self.make_string(
                        lit::StrKind::Narrow,
                        &units[..units.len().saturating_sub(1)],
                        loc,
                    );
                    if units.last() != Some(&0) || units.is_empty() {
                        s = self.make_raw_bytes(bytes, loc);
                    }
                    s
                }
            };
            stores.push(InitStore {
                offset: leaf.offset,
                expr,
                bit: leaf.bit,
            });
        }
        Ok((
            Stmt {
                kind: StmtKind::Init {
                    local,
                    zero,
                    stores,
                },
                loc,
            },
            ty,
        ))
    }

    /// An anonymous read-only array holding exactly `bytes`.
    fn make_raw_bytes(&mut self, bytes: Vec<u8>, loc: Loc) -> Expr {
        let ty = self.types.array(TypeTable::UCHAR, Some(bytes.len() as u64));
        let sym = self.anon_global(".Lbytes", ty, bytes, Vec::new(), true, loc);
        Expr::new(ExprKind::Global(sym), ty, loc)
    }

    /// Bytes and relocations of a static object's initial value.
    #[allow(clippy::type_complexity)]
    pub(super) fn static_initializer(
        &mut self,
        ty: TypeId,
        init: &Node<ast::Initializer>,
    ) -> R<(Vec<u8>, Vec<(u64, SymId, i64)>, TypeId)> {
        let mut leaves = Vec::new();
        let ty = self.init_top(ty, init, &mut leaves)?;
        let loc = self.loc(init.span);
        if !self.types.is_complete(ty) {
            return self.error(loc, "storage size isn't known");
        }
        // A static object may initialise its flexible array member (a GNU extension): the
        // image then extends past `sizeof` to the last initialised byte.
        let size = (self.types.size(ty) as usize).max(self.leaves_extent(&leaves));
        let mut bytes = vec![0u8; size];
        let mut relocs: Vec<(u64, SymId, i64)> = Vec::new();
        for leaf in leaves {
            let off = leaf.offset as usize;
            match leaf.val {
                LeafVal::Bytes(b) => {
                    let end = (off + b.len()).min(size);
                    if off < end {
                        bytes[off..end].copy_from_slice(&b[..end - off]);
                    }
                }
                LeafVal::Expr(e) if self.types.is_complex(e.ty) => {
                    self.static_complex(&mut bytes, &mut relocs, off, &e)?;
                }
                LeafVal::Expr(e) => {
                    // Aggregates copied from another constant object (a string or compound literal).
                    if self.types.is_aggregate(e.ty) {
                        let src = match &e.kind {
                            ExprKind::Load(inner) => self
                                .string_bytes(inner)
                                .map(|b| (b, Vec::new()))
                                .or_else(|| self.global_bytes(inner)),
                            _ => self
                                .string_bytes(&e)
                                .map(|b| (b, Vec::new()))
                                .or_else(|| self.global_bytes(&e)),
                        };
                        match src {
                            Some((b, r)) => {
                                let end = (off + b.len()).min(size);
                                bytes[off..end].copy_from_slice(&b[..end - off]);
                                relocs
                                    .extend(r.into_iter().map(|(o, s, a)| (o + off as u64, s, a)));
                            }
                            None => {
                                return self.error(e.loc, "initializer element is not constant")
                            }
                        }
                        continue;
                    }
                    let Some(v) = self.const_eval(&e) else {
                        return self.error(e.loc, "initializer element is not constant");
                    };
                    // Later leaves overwrite earlier ones (designated re-initialisation).
                    relocs.retain(|r| r.0 != off as u64);
                    self.write_cval(
                        &mut bytes,
                        &mut relocs,
                        off,
                        e.ty,
                        leaf.bit.as_ref(),
                        v,
                        e.loc,
                    )?;
                }
            }
        }
        relocs.sort_by_key(|r| r.0);
        Ok((bytes, relocs, ty))
    }

    /// A complex leaf of a static initializer: both parts must be constants.
    fn static_complex(
        &mut self,
        bytes: &mut [u8],
        relocs: &mut Vec<(u64, SymId, i64)>,
        off: usize,
        e: &Expr,
    ) -> R<()> {
        let ExprKind::Complex { re, im } = &e.kind else {
            return self.error(e.loc, "initializer element is not constant");
        };
        let es = self.types.size(re.ty) as usize;
        for (part, at) in [(re, off), (im, off + es)] {
            let Some(v) = self.const_eval(part) else {
                return self.error(e.loc, "initializer element is not constant");
            };
            if let CVal::Addr(..) = v {
                return self.error(e.loc, "initializer element is not constant");
            }
            self.write_cval(bytes, relocs, at, part.ty, None, v, e.loc)?;
        }
        Ok(())
    }

    /// The end of the last byte the leaves write: past `sizeof` only when a flexible array
    /// member is initialised.
    fn leaves_extent(&self, leaves: &[Leaf]) -> usize {
        let end = |l: &Leaf| match &l.val {
            LeafVal::Bytes(b) => l.offset as usize + b.len(),
            LeafVal::Expr(_) if l.bit.is_some() => {
                let bf = l.bit.as_ref().map_or(0, |b| b.bit_offset + b.width);
                l.offset as usize + bf.div_ceil(8) as usize
            }
            LeafVal::Expr(e) => l.offset as usize + self.types.size(e.ty) as usize,
        };
        leaves.iter().map(end).max().unwrap_or(0)
    }

    fn global_bytes(&self, e: &Expr) -> Option<(Vec<u8>, Relocs)> {
        if let ExprKind::Global(s) = e.kind {
            let g = &self.globals[*self.global_of_sym.get(&s)?];
            if self.symbols[s.0 as usize].name.starts_with(".L") {
                return Some((g.init.clone()?, g.relocs.clone()));
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn write_cval(
        &mut self,
        bytes: &mut [u8],
        relocs: &mut Vec<(u64, SymId, i64)>,
        off: usize,
        ty: TypeId,
        bit: Option<&BitField>,
        v: CVal,
        loc: Loc,
    ) -> R<()> {
        let size = self.types.size(ty) as usize;
        match v {
            CVal::Int(i) => {
                if let Some(bf) = bit {
                    let unit = bf.unit_size as usize;
                    let mut cur: u64 = 0;
                    for k in 0..unit.min(8) {
                        cur |= (bytes.get(off + k).copied().unwrap_or(0) as u64) << (8 * k);
                    }
                    let mask = if bf.width >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << bf.width) - 1
                    };
                    cur &= !(mask << bf.bit_offset);
                    cur |= ((i as u64) & mask) << bf.bit_offset;
                    for k in 0..unit.min(8) {
                        if let Some(b) = bytes.get_mut(off + k) {
                            *b = (cur >> (8 * k)) as u8;
                        }
                    }
                    return Ok(());
                }
                let le = i.to_le_bytes();
                let n = size.min(16);
                if off + n <= bytes.len() {
                    bytes[off..off + n].copy_from_slice(&le[..n]);
                }
            }
            CVal::Ld(_, v) => {
                let n = size.min(16);
                if off + n <= bytes.len() {
                    bytes[off..off + n].copy_from_slice(&v.to_le_bytes()[..n]);
                }
            }
            CVal::Float(f) => {
                let b: Vec<u8> = if self.types.unqualified(ty) == TypeTable::FLOAT {
                    (f as f32).to_le_bytes().to_vec()
                } else {
                    f.to_le_bytes().to_vec()
                };
                if off + b.len() <= bytes.len() {
                    bytes[off..off + b.len()].copy_from_slice(&b);
                }
            }
            CVal::Addr(s, a) => {
                if size != 8 {
                    return self.error(loc, "initializer element is not computable at load time");
                }
                relocs.push((off as u64, s, a));
            }
        }
        Ok(())
    }
}

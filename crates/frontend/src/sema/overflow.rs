//! GCC's checked arithmetic builtins: `__builtin_{add,sub,mul}_overflow(a, b, &r)`, their
//! typed forms (`__builtin_sadd_overflow`, `__builtin_umulll_overflow`, ...) and the `_p` forms
//! that only test (`__builtin_add_overflow_p(a, b, (T)0)`).
//!
//! The operation is computed exactly in a 128-bit integer (operands of up to 64 bits cannot
//! overflow it: sums and differences need 66 bits, products of two unsigned 64-bit values are
//! computed unsigned), stored truncated to the result type, and the result is whether the
//! exact value lies outside that type's range — gcc's definition ("infinite precision").

use super::*;
use lang_c::span::Node;

impl<'a> Sema<'a> {
    /// `name` is one of the builtins this module implements; `None` otherwise.
    pub(super) fn overflow_builtin(
        &mut self,
        name: &str,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> Option<R<Expr>> {
        let (op, typed, test_only) = parse_name(name)?;
        Some(self.overflow_op(name, op, typed, test_only, args, loc))
    }

    fn overflow_op(
        &mut self,
        name: &str,
        op: BinOp,
        typed: Option<TypeId>,
        test_only: bool,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> R<Expr> {
        let [a, c, r] = args else {
            return self.error(
                loc,
                format!("wrong number of arguments to '{name}' (expected 3)"),
            );
        };
        let (a, c, r) = (self.expr(a)?, self.expr(c)?, self.expr(r)?);
        for v in [&a, &c] {
            if !self.types.is_integer(v.ty) || self.types.unqualified(v.ty) == TypeTable::BOOL {
                return self.error(v.loc, format!("operand of '{name}' is not an integer"));
            }
        }
        let (a, c) = match typed {
            Some(t) => (self.convert(a, t), self.convert(c, t)),
            None => (a, c),
        };
        // The result type: pointee of the third argument, or (for `_p`) its own type.
        let res_ty = if test_only {
            self.types.unqualified(r.ty)
        } else {
            match self.types.pointee(r.ty) {
                Some(t) => self.types.unqualified(t),
                None => {
                    return self.error(
                        r.loc,
                        format!("third argument of '{name}' is not a pointer"),
                    )
                }
            }
        };
        if !self.types.is_integer(res_ty) || res_ty == TypeTable::BOOL {
            return self.error(
                r.loc,
                format!("result of '{name}' must have an integer type other than _Bool"),
            );
        }
        // 128-bit operands would need 129+ bits of exact value; a 128-bit result of
        // 64-bit operands is fine (the exact value fits the 128-bit computation).
        if [a.ty, c.ty].iter().any(|&t| self.types.size(t) > 8) {
            return self.error(
                loc,
                format!("'{name}' on 128-bit operands is not supported by cfree"),
            );
        }
        // Both unsigned 64-bit: the product needs the full unsigned 128-bit range (sums and
        // differences stay signed, so `1u - 2u` is exactly -1).
        let wide = if op == BinOp::Mul
            && !self.types.is_signed(a.ty)
            && !self.types.is_signed(c.ty)
            && (self.types.size(a.ty) == 8 || self.types.size(c.ty) == 8)
        {
            TypeTable::UINT128
        } else {
            TypeTable::INT128
        };
        let (aw, cw) = (self.convert(a, wide), self.convert(c, wide));
        let exact = Expr::new(ExprKind::Binary(op, b(aw), b(cw)), wide, loc);
        let (set, get) = self.eval_once(exact, loc)?;
        let (min, max) = self.int_range(res_ty);
        let below = if wide == TypeTable::UINT128 || min == 0 && !self.types.is_signed(wide) {
            None
        } else {
            Some(Expr::new(
                ExprKind::Binary(BinOp::Lt, b(get.clone()), b(self.int_const(min, wide, loc))),
                TypeTable::INT,
                loc,
            ))
        };
        // An `unsigned __int128` result holds every exact value that is not negative.
        let above = (max != u128_marker()).then(|| {
            Expr::new(
                ExprKind::Binary(BinOp::Gt, b(get.clone()), b(self.int_const(max, wide, loc))),
                TypeTable::INT,
                loc,
            )
        });
        let overflow = match (below, above) {
            (Some(lo), Some(hi)) => Expr::new(ExprKind::LogOr(b(lo), b(hi)), TypeTable::INT, loc),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => self.int_const(0, TypeTable::INT, loc),
        };
        // `set` (the evaluation) must come first: `(set, store, overflow)`.
        let first = if test_only {
            Expr::new(
                ExprKind::Cast(CastKind::ToVoid, b(set)),
                TypeTable::VOID,
                loc,
            )
        } else {
            let truncated = self.convert(set, res_ty);
            let dst = Expr::new(ExprKind::Deref(b(r)), res_ty, loc);
            Expr::new(
                ExprKind::Assign {
                    lhs: b(dst),
                    rhs: b(truncated),
                },
                res_ty,
                loc,
            )
        };
        let flag = self.convert(overflow, TypeTable::BOOL);
        Ok(Expr::new(
            ExprKind::Comma(b(first), b(flag)),
            TypeTable::BOOL,
            loc,
        ))
    }

    /// The value range of integer type `t`; for `unsigned __int128` the maximum is
    /// [`u128_marker`] (it does not fit `i128`).
    fn int_range(&self, t: TypeId) -> (i128, i128) {
        let bits = self.types.size(t) * 8;
        if bits >= 128 {
            return if self.types.is_signed(t) {
                (i128::MIN, i128::MAX)
            } else {
                (0, u128_marker())
            };
        }
        if self.types.is_signed(t) {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        }
    }
}

/// Stands for the maximum of `unsigned __int128` in [`Sema::int_range`] (-1 as `i128`: never
/// the maximum of a real range, whose minimum is at most 0).
fn u128_marker() -> i128 {
    -1
}

/// The operation, the operand type of a typed form, and whether it is a `_p` test-only form.
fn parse_name(name: &str) -> Option<(BinOp, Option<TypeId>, bool)> {
    let rest = name.strip_prefix("__builtin_")?;
    let (rest, test_only) = match rest.strip_suffix("_overflow_p") {
        Some(r) => (r, true),
        None => (rest.strip_suffix("_overflow")?, false),
    };
    let op_of = |s: &str| match s {
        "add" => Some(BinOp::Add),
        "sub" => Some(BinOp::Sub),
        "mul" => Some(BinOp::Mul),
        _ => None,
    };
    if let Some(op) = op_of(rest) {
        return Some((op, None, test_only));
    }
    if test_only {
        return None;
    }
    // `s`/`u` + op + `` / `l` / `ll`.
    let (signed, r) = match rest.split_at_checked(1)? {
        ("s", r) => (true, r),
        ("u", r) => (false, r),
        _ => return None,
    };
    let (opname, size) = r.split_at_checked(3)?;
    let op = op_of(opname)?;
    let ty = match (size, signed) {
        ("", true) => TypeTable::INT,
        ("", false) => TypeTable::UINT,
        ("l", true) => TypeTable::LONG,
        ("l", false) => TypeTable::ULONG,
        ("ll", true) => TypeTable::LLONG,
        ("ll", false) => TypeTable::ULLONG,
        _ => return None,
    };
    Some((op, Some(ty), false))
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// Every name [`parse_name`] accepts, for the builtin table's test.
#[cfg(test)]
pub(crate) fn all_names() -> Vec<String> {
    let mut v = Vec::new();
    for op in ["add", "sub", "mul"] {
        v.push(format!("__builtin_{op}_overflow"));
        v.push(format!("__builtin_{op}_overflow_p"));
        for s in ["s", "u"] {
            for w in ["", "l", "ll"] {
                v.push(format!("__builtin_{s}{op}{w}_overflow"));
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_parse() {
        for n in super::all_names() {
            assert!(super::parse_name(&n).is_some(), "{n}");
        }
        assert!(super::parse_name("__builtin_div_overflow").is_none());
        assert!(super::parse_name("__builtin_saddq_overflow").is_none());
        for n in super::all_names() {
            assert_eq!(
                crate::builtins::lookup(&n),
                Some(crate::builtins::BuiltinKind::Intrinsic),
                "{n} missing from the builtin table"
            );
        }
    }
}

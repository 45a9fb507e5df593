//! Floating-point classification and quiet comparison builtins (`__builtin_isnan`,
//! `__builtin_isless`, `__builtin_fpclassify`, ...), which glibc's `<math.h>` macros expand to
//! under gcc. Each operand is evaluated exactly once, and none raises on a quiet NaN.
//!
//! `long double` operands go to glibc's own classification functions (`__isnanl`, ...): the
//! value is not representable in a Cranelift float type, and converting it to `double` would
//! misclassify values outside double's range.

use super::*;
use lang_c::span::Node;

impl<'a> Sema<'a> {
    /// `name` is one of the builtins this module implements; `None` otherwise.
    pub(super) fn fp_builtin(
        &mut self,
        name: &str,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> Option<R<Expr>> {
        let rel = match name {
            "__builtin_isless" => FloatRel::Less,
            "__builtin_islessequal" => FloatRel::LessEqual,
            "__builtin_isgreater" => FloatRel::Greater,
            "__builtin_isgreaterequal" => FloatRel::GreaterEqual,
            "__builtin_islessgreater" => FloatRel::LessGreater,
            "__builtin_isunordered" => FloatRel::Unordered,
            "__builtin_isnan"
            | "__builtin_isinf"
            | "__builtin_isinff"
            | "__builtin_isinfl"
            | "__builtin_isinf_sign"
            | "__builtin_isfinite"
            | "__builtin_isnormal"
            | "__builtin_fpclassify" => {
                return Some(self.fp_classify(name, args, loc));
            }
            _ => return None,
        };
        Some(self.fp_compare(name, rel, args, loc))
    }

    fn fp_compare(
        &mut self,
        name: &str,
        rel: FloatRel,
        args: &[Node<ast::Expression>],
        loc: Loc,
    ) -> R<Expr> {
        if args.len() != 2 {
            return self.error(
                loc,
                format!("wrong number of arguments to '{name}' (expected 2)"),
            );
        }
        let a = self.expr(&args[0])?;
        let c = self.expr(&args[1])?;
        if !self.types.is_float(a.ty) && !self.types.is_float(c.ty) {
            return self.error(
                loc,
                format!("non-floating-point arguments in call to '{name}'"),
            );
        }
        if !self.types.is_arith(a.ty) || !self.types.is_arith(c.ty) {
            return self.error(loc, format!("non-arithmetic argument in call to '{name}'"));
        }
        let ty = self.types.usual_arith(a.ty, c.ty);
        let (a, c) = (self.convert(a, ty), self.convert(c, ty));
        if let Some(lib) = SoftLib::of(self, ty) {
            return self.ld_compare(lib, rel, a, c, loc);
        }
        Ok(float_rel(rel, vec![a, c], loc))
    }

    /// `long double` comparisons: glibc has no quiet-compare functions, but an ordered
    /// relation is the plain relation once both operands are known not to be NaN.
    fn ld_compare(&mut self, lib: SoftLib, rel: FloatRel, a: Expr, c: Expr, loc: Loc) -> R<Expr> {
        let (a_set, a_get) = self.eval_once(a, loc)?;
        let (c_set, c_get) = self.eval_once(c, loc)?;
        let isnan = lib.name("__isnan");
        let nan_a = self.call_named(&isnan, lib.proto, vec![a_set], loc)?;
        let nan_c = self.call_named(&isnan, lib.proto, vec![c_set], loc)?;
        let unordered = Expr::new(ExprKind::LogOr(b(nan_a), b(nan_c)), TypeTable::INT, loc);
        let op = match rel {
            FloatRel::Unordered => return Ok(unordered),
            FloatRel::LessGreater => BinOp::Ne,
            FloatRel::Less => BinOp::Lt,
            FloatRel::LessEqual => BinOp::Le,
            FloatRel::Greater => BinOp::Gt,
            FloatRel::GreaterEqual => BinOp::Ge,
        };
        let cmp = Expr::new(
            ExprKind::Binary(op, b(a_get), b(c_get)),
            TypeTable::INT,
            loc,
        );
        let ordered = Expr::new(
            ExprKind::Unary(UnOp::LogNot, b(unordered)),
            TypeTable::INT,
            loc,
        );
        Ok(Expr::new(
            ExprKind::LogAnd(b(ordered), b(cmp)),
            TypeTable::INT,
            loc,
        ))
    }

    fn fp_classify(&mut self, name: &str, args: &[Node<ast::Expression>], loc: Loc) -> R<Expr> {
        let classify = name == "__builtin_fpclassify";
        let want = if classify { 6 } else { 1 };
        if args.len() != want {
            return self.error(
                loc,
                format!("wrong number of arguments to '{name}' (expected {want})"),
            );
        }
        let mut classes = Vec::new();
        if classify {
            for a in &args[..5] {
                let v = self.expr(a)?;
                classes.push(self.convert(v, TypeTable::INT));
            }
        }
        let v = self.expr(&args[want - 1])?;
        if !self.types.is_arith(v.ty) {
            return self.error(
                loc,
                format!("non-floating-point argument in call to '{name}'"),
            );
        }
        let ty = if self.types.is_float(v.ty) {
            v.ty
        } else {
            TypeTable::DOUBLE
        };
        let v = self.convert(v, ty);
        if let Some(lib) = SoftLib::of(self, ty) {
            return self.ld_classify(lib, name, v, classes, loc);
        }
        let (set, get) = self.eval_once(v, loc)?;
        let abs = |x: Expr| Expr::new(ExprKind::Builtin(Builtin::Fabs, vec![x]), ty, loc);
        let k = |v: f64| Expr::new(ExprKind::Float(v), ty, loc);
        let min_normal = if ty == TypeTable::FLOAT {
            f32::MIN_POSITIVE as f64
        } else {
            f64::MIN_POSITIVE
        };
        let int = |v: i128| Expr::new(ExprKind::Int(v), TypeTable::INT, loc);
        let cond = |c: Expr, t: Expr, e: Expr| {
            Expr::new(ExprKind::Cond(b(c), b(t), b(e)), TypeTable::INT, loc)
        };
        let name = match name {
            "__builtin_isinff" | "__builtin_isinfl" => "__builtin_isinf",
            n => n,
        };
        Ok(match name {
            "__builtin_isnan" => float_rel(FloatRel::Unordered, vec![set], loc),
            "__builtin_isinf" => eq(abs(set), k(f64::INFINITY), loc),
            "__builtin_isfinite" => {
                float_rel(FloatRel::Less, vec![abs(set), k(f64::INFINITY)], loc)
            }
            "__builtin_isnormal" => {
                let lo = float_rel(FloatRel::GreaterEqual, vec![abs(set), k(min_normal)], loc);
                let hi = float_rel(FloatRel::Less, vec![abs(get), k(f64::INFINITY)], loc);
                Expr::new(ExprKind::LogAnd(b(lo), b(hi)), TypeTable::INT, loc)
            }
            "__builtin_isinf_sign" => {
                let inf = eq(abs(set), k(f64::INFINITY), loc);
                let neg = Expr::new(
                    ExprKind::Builtin(Builtin::SignBit, vec![get]),
                    TypeTable::INT,
                    loc,
                );
                cond(inf, cond(neg, int(-1), int(1)), int(0))
            }
            _ => {
                // fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
                let mut c = classes.into_iter();
                let (nan, inf, normal, sub, zero) = (
                    c.next().unwrap_or(int(0)),
                    c.next().unwrap_or(int(0)),
                    c.next().unwrap_or(int(0)),
                    c.next().unwrap_or(int(0)),
                    c.next().unwrap_or(int(0)),
                );
                let is_nan = float_rel(FloatRel::Unordered, vec![set], loc);
                let is_inf = eq(abs(get.clone()), k(f64::INFINITY), loc);
                let is_normal = float_rel(
                    FloatRel::GreaterEqual,
                    vec![abs(get.clone()), k(min_normal)],
                    loc,
                );
                let is_zero = eq(get, k(0.0), loc);
                cond(
                    is_nan,
                    nan,
                    cond(
                        is_inf,
                        inf,
                        cond(is_normal, normal, cond(is_zero, zero, sub)),
                    ),
                )
            }
        })
    }

    /// Classification of a `long double` or `_Float128` through glibc's functions.
    fn ld_classify(
        &mut self,
        lib: SoftLib,
        name: &str,
        v: Expr,
        classes: Vec<Expr>,
        loc: Loc,
    ) -> R<Expr> {
        let name = match name {
            "__builtin_isinff" | "__builtin_isinfl" => "__builtin_isinf",
            n => n,
        };
        let f = match name {
            "__builtin_isnan" => "__isnan",
            "__builtin_isinf" | "__builtin_isinf_sign" => "__isinf",
            "__builtin_isfinite" => "__finite",
            _ => "__fpclassify",
        };
        let r = self.call_named(&lib.name(f), lib.proto, vec![v], loc)?;
        let int = |v: i128| Expr::new(ExprKind::Int(v), TypeTable::INT, loc);
        match name {
            // __isinfl already gives -1/0/1.
            "__builtin_isinf" => Ok(Expr::new(
                ExprKind::Binary(BinOp::Ne, b(r), b(int(0))),
                TypeTable::INT,
                loc,
            )),
            "__builtin_isnormal" => Ok(eq_int(r, 4, loc)), // glibc FP_NORMAL
            "__builtin_fpclassify" => {
                // Map glibc's FP_* numbering (NAN 0, INFINITE 1, ZERO 2, SUBNORMAL 3, NORMAL 4)
                // to the caller's five values.
                let (set, get) = self.eval_once(r, loc)?;
                let mut c = classes.into_iter();
                let pick = |i: i128, x: Option<Expr>, rest: Expr, g: Expr| {
                    Expr::new(
                        ExprKind::Cond(b(eq_int(g, i, loc)), b(x.unwrap_or(int(0))), b(rest)),
                        TypeTable::INT,
                        loc,
                    )
                };
                let (nan, inf, normal, sub, zero) =
                    (c.next(), c.next(), c.next(), c.next(), c.next());
                let e = pick(3, sub, zero.unwrap_or(int(0)), get.clone());
                let e = pick(4, normal, e, get.clone());
                let e = pick(1, inf, e, get);
                Ok(pick(0, nan, e, set))
            }
            _ => Ok(r),
        }
    }

    /// Splits `v` into an expression that evaluates it and stores it in a fresh temporary
    /// (use it first), and one that reads the temporary again.
    pub(super) fn eval_once(&mut self, v: Expr, loc: Loc) -> R<(Expr, Expr)> {
        if matches!(v.kind, ExprKind::Int(_) | ExprKind::Float(_)) {
            return Ok((v.clone(), v));
        }
        if self.f.is_none() {
            return self.error(
                loc,
                "this builtin needs a constant operand outside a function",
            );
        }
        Ok(self.spill(v))
    }

    /// A call of library function `name` with a builtin-table prototype; arguments already
    /// have the parameter types.
    fn call_named(&mut self, name: &str, proto: &str, args: Vec<Expr>, loc: Loc) -> R<Expr> {
        self.call_labelled(name, name, proto, args, loc)
    }
}

/// glibc's classification functions for a soft-float type: `__isnanl`, `__isnanf128`, ...
#[derive(Clone, Copy)]
struct SoftLib {
    suffix: &'static str,
    proto: &'static str,
}

impl SoftLib {
    fn of(s: &Sema, ty: TypeId) -> Option<SoftLib> {
        s.soft(ty)?;
        Some(if s.types.unqualified(ty) == TypeTable::FLOAT128 {
            SoftLib {
                suffix: "f128",
                proto: "iq",
            }
        } else {
            SoftLib {
                suffix: "l",
                proto: "ie",
            }
        })
    }

    fn name(self, base: &str) -> String {
        format!("{base}{}", self.suffix)
    }
}

fn float_rel(rel: FloatRel, args: Vec<Expr>, loc: Loc) -> Expr {
    Expr::new(
        ExprKind::Builtin(Builtin::FloatRel(rel), args),
        TypeTable::INT,
        loc,
    )
}

fn eq(a: Expr, c: Expr, loc: Loc) -> Expr {
    Expr::new(ExprKind::Binary(BinOp::Eq, b(a), b(c)), TypeTable::INT, loc)
}

fn eq_int(a: Expr, v: i128, loc: Loc) -> Expr {
    let k = Expr::new(ExprKind::Int(v), TypeTable::INT, loc);
    eq(a, k, loc)
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

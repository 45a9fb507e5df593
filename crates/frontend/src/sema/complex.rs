//! `_Complex` (C11 6.2.5p11, 6.3.1.6-7, 6.5), with the GNU extensions real code uses:
//! integer complex types, `__real__`/`__imag__`, `~` as conjugation, `++`/`--` on the real part.
//!
//! A complex value is an aggregate to codegen (in memory, copied, passed and returned like
//! `struct { T re, im; }`, with its own ABI class). Sema expands every operator into
//! operations on the parts and builds the result with [`ExprKind::Complex`]. Each operand is
//! evaluated once: a side-effect-free operand is read part by part, anything else is first
//! stored in a temporary.
//!
//! The arithmetic is gcc's: a real operand stays real (`x * (c+di)` is `xc + xdi`, Annex G
//! G.5.1); complex-by-complex floating multiplication and division call libgcc's
//! `__mul?c3`/`__div?c3`, which implement Annex G's infinity and NaN recovery; integer division
//! uses gcc's scaled (Smith) formula, so quotients truncate as gcc's do.

use super::*;
use lang_c::ast::BinaryOperator as B;

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// A complex operand split into its parts; `setup` must be evaluated before they are read.
struct Parts {
    setup: Vec<Expr>,
    re: Expr,
    im: Expr,
}

/// An operand of a mixed operation: complex (two parts) or real (one value).
enum Operand {
    Complex(Expr, Expr),
    Real(Expr),
}

impl<'a> Sema<'a> {
    /// `_Complex` applied to the real type the other specifiers name.
    pub(super) fn complex_type(&mut self, base: TypeId, loc: Loc) -> R<TypeId> {
        if Some(base) == self.unsupported_float {
            // `_Float128 _Complex`: as incomplete as `_Float128` itself.
            return Ok(base);
        }
        let base = self.types.unqualified(base);
        if !self.types.is_arith(base) || base == TypeTable::BOOL {
            let t = self.types.display(base);
            return self.error(loc, format!("'_Complex' cannot be applied to '{t}'"));
        }
        Ok(self.types.complex(base))
    }

    /// Whether reading `e` twice is the same as reading it once (no side effects, no volatile).
    fn pure(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::LongDouble(_) => true,
            ExprKind::Complex { re, im } => self.pure(re) && self.pure(im),
            ExprKind::Load(lv) => !self.types.is_volatile(lv.ty) && self.pure_lvalue(lv),
            ExprKind::Cast(_, x) | ExprKind::Unary(_, x) => self.pure(x),
            _ => false,
        }
    }

    fn pure_lvalue(&self, lv: &Expr) -> bool {
        match &lv.kind {
            ExprKind::Local(_) | ExprKind::Global(_) => true,
            ExprKind::Member { base, .. } => base.is_lvalue() && self.pure_lvalue(base),
            ExprKind::Deref(p) => self.pure(p),
            _ => false,
        }
    }

    /// Part `imag` of the complex rvalue `e`, reading `e` (which must be pure or used once).
    fn part(&self, e: &Expr, imag: bool) -> Expr {
        let elem = self.types.complex_elem(e.ty).unwrap_or(TypeTable::DOUBLE);
        if let ExprKind::Complex { re, im } = &e.kind {
            return if imag { (**im).clone() } else { (**re).clone() };
        }
        // An rvalue aggregate (a call result) is its address, so a member of it reads memory too.
        let base = match &e.kind {
            ExprKind::Load(lv) => (**lv).clone(),
            _ => e.clone(),
        };
        let offset = if imag { self.types.size(elem) } else { 0 };
        let member = Expr::new(
            ExprKind::Member {
                base: b(base),
                offset,
                bit: None,
            },
            elem,
            e.loc,
        );
        Expr::new(ExprKind::Load(b(member)), elem, e.loc)
    }

    /// Splits a complex rvalue into parts that may each be read any number of times.
    fn split(&mut self, e: Expr) -> Parts {
        // Outside a function nothing can be stored; such an operand is not a constant
        // either, and the static initializer reports it.
        if self.pure(&e) || self.f.is_none() {
            let (re, im) = (self.part(&e, false), self.part(&e, true));
            return Parts {
                setup: Vec::new(),
                re,
                im,
            };
        }
        if let ExprKind::Complex { re, im } = e.kind {
            let mut setup = Vec::new();
            let re = self.once(*re, &mut setup);
            let im = self.once(*im, &mut setup);
            return Parts { setup, re, im };
        }
        let (set, t) = self.spill(e);
        Parts {
            setup: vec![set],
            re: self.part(&t, false),
            im: self.part(&t, true),
        }
    }

    /// `e` if pure, else a temporary holding it (its assignment pushed to `setup`).
    fn once(&mut self, e: Expr, setup: &mut Vec<Expr>) -> Expr {
        if self.pure(&e) || self.f.is_none() {
            return e;
        }
        let (set, t) = self.spill(e);
        setup.push(set);
        t
    }

    /// `setup, ..., value` as one expression.
    fn after(&self, setup: Vec<Expr>, value: Expr) -> Expr {
        setup.into_iter().rev().fold(value, |acc, s| {
            let (ty, loc) = (acc.ty, acc.loc);
            Expr::new(ExprKind::Comma(b(s), b(acc)), ty, loc)
        })
    }

    fn make(&mut self, re: Expr, im: Expr, ty: TypeId, loc: Loc) -> Expr {
        let (re, im) = (self.fold(re), self.fold(im));
        Expr::new(
            ExprKind::Complex {
                re: b(re),
                im: b(im),
            },
            ty,
            loc,
        )
    }

    fn zero(&mut self, ty: TypeId, loc: Loc) -> Expr {
        let z = self.int_const(0, TypeTable::INT, loc);
        self.convert(z, ty)
    }

    fn bin(&mut self, op: BinOp, l: Expr, r: Expr) -> Expr {
        let ty = if matches!(
            op,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        ) {
            TypeTable::INT
        } else {
            l.ty
        };
        let loc = l.loc;
        self.fold(Expr::new(ExprKind::Binary(op, b(l), b(r)), ty, loc))
    }

    fn neg(&mut self, x: Expr) -> Expr {
        let (ty, loc) = (x.ty, x.loc);
        self.fold(Expr::new(ExprKind::Unary(UnOp::Neg, b(x)), ty, loc))
    }

    /// The conversion of `e` to `to` when either side is complex (C11 6.3.1.6, 6.3.1.7).
    pub(super) fn complex_convert(&mut self, e: Expr, to: TypeId) -> Expr {
        let loc = e.loc;
        if let Some(te) = self.types.complex_elem(to) {
            if self.types.is_complex(e.ty) {
                let p = self.split(e);
                let (re, im) = (self.convert(p.re, te), self.convert(p.im, te));
                let z = self.make(re, im, to, loc);
                return self.after(p.setup, z);
            }
            let re = self.convert(e, te);
            let im = self.zero(te, loc);
            return self.make(re, im, to, loc);
        }
        if to == TypeTable::VOID {
            return Expr::new(ExprKind::Cast(CastKind::ToVoid, b(e)), to, loc);
        }
        if to == TypeTable::BOOL {
            let t = self.complex_truth(e);
            return self.convert(t, to);
        }
        // To a real type: the imaginary part is discarded (but still evaluated).
        let re = match e.kind {
            ExprKind::Complex { re, im } if !self.pure(&im) => {
                let p = self.split(Expr::new(ExprKind::Complex { re, im }, e.ty, loc));
                self.after(p.setup, p.re)
            }
            _ => self.part(&e, false),
        };
        self.convert(re, to)
    }

    /// `z != 0` as an `int` 0/1: true when either part is nonzero (C11 6.3.1.2).
    pub(super) fn complex_truth(&mut self, e: Expr) -> Expr {
        let p = self.split(e);
        let (zr, zi) = (self.zero(p.re.ty, p.re.loc), self.zero(p.im.ty, p.im.loc));
        let r = self.bin(BinOp::Ne, p.re, zr);
        let i = self.bin(BinOp::Ne, p.im, zi);
        let t = self.bin(BinOp::BitOr, r, i);
        self.after(p.setup, t)
    }

    /// The common type of a mixed operation: complex of the usual arithmetic conversions of
    /// the real types (C11 6.3.1.8).
    pub(super) fn complex_common(&mut self, a: TypeId, c: TypeId) -> Option<TypeId> {
        let (ra, rc) = (self.types.real_type(a), self.types.real_type(c));
        if !self.types.is_arith(ra) || !self.types.is_arith(rc) {
            return None;
        }
        let ct = self.types.usual_arith(ra, rc);
        Some(self.types.complex(ct))
    }

    /// Converts an operand to the operation's real type `ct` (complex operands to complex `ct`),
    /// split so its parts can be read freely.
    fn operand(&mut self, e: Expr, ct: TypeId, setup: &mut Vec<Expr>) -> Operand {
        if self.types.is_complex(e.ty) {
            let cty = self.types.complex(ct);
            let e = self.convert(e, cty);
            let p = self.split(e);
            setup.extend(p.setup);
            Operand::Complex(p.re, p.im)
        } else {
            let e = self.convert(e, ct);
            Operand::Real(self.once(e, setup))
        }
    }

    /// `l op r` where at least one operand is complex.
    pub(super) fn complex_binary(&mut self, op: B, l: Expr, r: Expr, loc: Loc) -> R<Expr> {
        let supported = matches!(
            op,
            B::Plus | B::Minus | B::Multiply | B::Divide | B::Equals | B::NotEquals
        );
        let Some(cty) = self.complex_common(l.ty, r.ty).filter(|_| supported) else {
            return self.invalid_operands(&op, l.ty, r.ty, loc);
        };
        let ct = self.types.real_type(cty);
        let mut setup = Vec::new();
        let lo = self.operand(l, ct, &mut setup);
        let ro = self.operand(r, ct, &mut setup);
        let v = match op {
            B::Plus | B::Minus => self.complex_add(matches!(op, B::Minus), lo, ro, cty, loc),
            B::Multiply => self.complex_mul(lo, ro, cty, loc)?,
            B::Divide => self.complex_div(lo, ro, cty, loc)?,
            _ => self.complex_eq(matches!(op, B::NotEquals), lo, ro, loc),
        };
        Ok(self.after(setup, v))
    }

    fn complex_add(&mut self, sub: bool, l: Operand, r: Operand, cty: TypeId, loc: Loc) -> Expr {
        let op = if sub { BinOp::Sub } else { BinOp::Add };
        let (re, im) = match (l, r) {
            (Operand::Complex(a, bb), Operand::Complex(c, d)) => {
                (self.bin(op, a, c), self.bin(op, bb, d))
            }
            (Operand::Complex(a, bb), Operand::Real(x)) => (self.bin(op, a, x), bb),
            (Operand::Real(x), Operand::Complex(c, d)) => {
                let im = if sub { self.neg(d) } else { d };
                (self.bin(op, x, c), im)
            }
            (Operand::Real(x), Operand::Real(y)) => {
                let z = self.zero(x.ty, loc);
                (self.bin(op, x, y), z)
            }
        };
        self.make(re, im, cty, loc)
    }

    fn complex_mul(&mut self, l: Operand, r: Operand, cty: TypeId, loc: Loc) -> R<Expr> {
        let (re, im) = match (l, r) {
            (Operand::Complex(a, bb), Operand::Complex(c, d)) => {
                if self.types.is_float(a.ty) {
                    return self.complex_libcall("mul", [a, bb, c, d], cty, loc);
                }
                let (ac, bd) = (
                    self.bin(BinOp::Mul, a.clone(), c.clone()),
                    self.bin(BinOp::Mul, bb.clone(), d.clone()),
                );
                let (ad, bc) = (self.bin(BinOp::Mul, a, d), self.bin(BinOp::Mul, bb, c));
                (self.bin(BinOp::Sub, ac, bd), self.bin(BinOp::Add, ad, bc))
            }
            (Operand::Complex(a, bb), Operand::Real(x)) => (
                self.bin(BinOp::Mul, a, x.clone()),
                self.bin(BinOp::Mul, bb, x),
            ),
            (Operand::Real(x), Operand::Complex(c, d)) => (
                self.bin(BinOp::Mul, x.clone(), c),
                self.bin(BinOp::Mul, x, d),
            ),
            (Operand::Real(x), Operand::Real(y)) => {
                let z = self.zero(x.ty, loc);
                (self.bin(BinOp::Mul, x, y), z)
            }
        };
        Ok(self.make(re, im, cty, loc))
    }

    fn complex_div(&mut self, l: Operand, r: Operand, cty: TypeId, loc: Loc) -> R<Expr> {
        let (a, bb) = match l {
            Operand::Complex(a, bb) => (a, bb),
            Operand::Real(x) => {
                if let Operand::Real(y) = r {
                    let z = self.zero(x.ty, loc);
                    let q = self.bin(BinOp::Div, x, y);
                    return Ok(self.make(q, z, cty, loc));
                }
                let z = self.zero(x.ty, loc);
                (x, z)
            }
        };
        let (c, d) = match r {
            Operand::Complex(c, d) => (c, d),
            Operand::Real(x) => {
                let re = self.bin(BinOp::Div, a, x.clone());
                let im = self.bin(BinOp::Div, bb, x);
                return Ok(self.make(re, im, cty, loc));
            }
        };
        if self.types.is_float(a.ty) {
            return self.complex_libcall("div", [a, bb, c, d], cty, loc);
        }
        Ok(self.int_complex_div([a, bb, c, d], cty, loc))
    }

    /// `(a+bi) / (c+di)` on integers, by gcc's scaled formula (tree-complex.cc,
    /// `expand_complex_div_wide`): divide by the larger of `|c|`, `|d|` first.
    fn int_complex_div(&mut self, [a, bb, c, d]: [Expr; 4], cty: TypeId, loc: Loc) -> Expr {
        let (ac, ad) = (self.abs(c.clone()), self.abs(d.clone()));
        let d_larger = self.bin(BinOp::Lt, ac, ad);
        // |c| < |d|: ratio = c/d, div = c*ratio + d, re = (a*ratio + b)/div, im = (b*ratio - a)/div.
        let ratio = self.bin(BinOp::Div, c.clone(), d.clone());
        let cr = self.bin(BinOp::Mul, c.clone(), ratio.clone());
        let div = self.bin(BinOp::Add, cr, d.clone());
        let ar = self.bin(BinOp::Mul, a.clone(), ratio.clone());
        let tr = self.bin(BinOp::Add, ar, bb.clone());
        let br = self.bin(BinOp::Mul, bb.clone(), ratio);
        let ti = self.bin(BinOp::Sub, br, a.clone());
        let (re, im) = (
            self.bin(BinOp::Div, tr, div.clone()),
            self.bin(BinOp::Div, ti, div),
        );
        let when_d = self.make(re, im, cty, loc);
        // Otherwise: ratio = d/c, div = d*ratio + c, re = (b*ratio + a)/div, im = (b - a*ratio)/div.
        let ratio = self.bin(BinOp::Div, d.clone(), c.clone());
        let dr = self.bin(BinOp::Mul, d, ratio.clone());
        let div = self.bin(BinOp::Add, dr, c);
        let br = self.bin(BinOp::Mul, bb.clone(), ratio.clone());
        let tr = self.bin(BinOp::Add, br, a.clone());
        let ar = self.bin(BinOp::Mul, a, ratio);
        let ti = self.bin(BinOp::Sub, bb, ar);
        let (re, im) = (
            self.bin(BinOp::Div, tr, div.clone()),
            self.bin(BinOp::Div, ti, div),
        );
        let when_c = self.make(re, im, cty, loc);
        Expr::new(ExprKind::Cond(b(d_larger), b(when_d), b(when_c)), cty, loc)
    }

    fn abs(&mut self, x: Expr) -> Expr {
        if !self.types.is_signed(x.ty) {
            return x;
        }
        let (ty, loc) = (x.ty, x.loc);
        let z = self.zero(ty, loc);
        let negative = self.bin(BinOp::Lt, x.clone(), z);
        let n = self.neg(x.clone());
        Expr::new(ExprKind::Cond(b(negative), b(n), b(x)), ty, loc)
    }

    /// libgcc's `__mulsc3`, `__divdc3`, ... for parts of type `real_type(cty)`.
    fn complex_libcall(&mut self, what: &str, args: [Expr; 4], cty: TypeId, loc: Loc) -> R<Expr> {
        let ct = self.types.real_type(cty);
        let mode = match self.types.kind(ct) {
            TypeKind::Float(FloatKind::Float) => "s",
            TypeKind::Float(FloatKind::Double) => "d",
            _ if self.ld == crate::target::LongDoubleFormat::X87 => "x",
            _ => "t",
        };
        let name = format!("__{what}{mode}c3");
        let fty = self.types.func(FuncType {
            ret: cty,
            params: vec![ct; 4],
            variadic: false,
            has_proto: true,
        });
        let sym = self.declare_symbol(&name, None, fty, SymKind::Func, Linkage::External, loc)?;
        let callee = Expr::new(ExprKind::Global(sym), fty, loc);
        let callee = self.rvalue(callee);
        Ok(Expr::new(
            ExprKind::Call {
                callee: b(callee),
                args: args.into(),
                fty,
            },
            cty,
            loc,
        ))
    }

    fn complex_eq(&mut self, ne: bool, l: Operand, r: Operand, loc: Loc) -> Expr {
        let parts = |s: &mut Self, o: Operand| match o {
            Operand::Complex(re, im) => (re, im),
            Operand::Real(x) => {
                let z = s.zero(x.ty, loc);
                (x, z)
            }
        };
        let ((a, bb), (c, d)) = (parts(self, l), parts(self, r));
        let (cmp, join) = if ne {
            (BinOp::Ne, BinOp::BitOr)
        } else {
            (BinOp::Eq, BinOp::BitAnd)
        };
        let (x, y) = (self.bin(cmp, a, c), self.bin(cmp, bb, d));
        self.bin(join, x, y)
    }

    /// Unary `+`, `-` and `~` (conjugation, GNU) on a complex operand.
    pub(super) fn complex_unary(&mut self, op: Option<UnOp>, x: Expr, loc: Loc) -> Expr {
        let ty = x.ty;
        let Some(op) = op else { return x };
        let p = self.split(x);
        let re = if op == UnOp::Neg {
            self.neg(p.re)
        } else {
            p.re
        };
        let im = self.neg(p.im);
        let z = self.make(re, im, ty, loc);
        self.after(p.setup, z)
    }

    /// `l op= r` where either side is complex: `l = l op r`, with `l` evaluated once.
    pub(super) fn complex_compound(&mut self, op: B, l: Expr, r: Expr, loc: Loc) -> R<Expr> {
        let mut setup = Vec::new();
        let lv = self.once_lvalue(l, &mut setup)?;
        let cur = self.rvalue(lv.clone());
        let v = self.complex_binary(op, cur, r, loc)?;
        let lty = lv.ty;
        let v = self.assign_convert(v, lty, "assigning to")?;
        let set = Expr::new(
            ExprKind::Assign {
                lhs: b(lv),
                rhs: b(v),
            },
            lty,
            loc,
        );
        Ok(self.after(setup, set))
    }

    /// An lvalue that may be used twice: `l` itself if pure, else `*p` with `p = &l` computed once.
    fn once_lvalue(&mut self, l: Expr, setup: &mut Vec<Expr>) -> R<Expr> {
        if self.pure_lvalue(&l) || self.f.is_none() {
            return Ok(l);
        }
        if let ExprKind::Member { bit: Some(_), .. } = l.kind {
            return self.error(
                l.loc,
                "compound assignment of a complex value to this bit-field is not supported by cfree yet",
            );
        }
        let (ty, loc) = (l.ty, l.loc);
        self.mark_addr_taken(&l);
        let pty = self.types.ptr(ty);
        let addr = Expr::new(ExprKind::AddrOf(b(l)), pty, loc);
        let (set, p) = self.spill(addr);
        setup.push(set);
        Ok(Expr::new(ExprKind::Deref(b(p)), ty, loc))
    }

    /// `++z`, `z--`, ...: adds `delta` to the real part (GNU); the value is the new or old one.
    pub(super) fn complex_inc_dec(&mut self, l: Expr, delta: i64, post: bool, loc: Loc) -> R<Expr> {
        let one = self.int_const(delta.into(), TypeTable::INT, loc);
        if !post {
            return self.complex_compound(B::Plus, l, one, loc);
        }
        let mut setup = Vec::new();
        let lv = self.once_lvalue(l, &mut setup)?;
        let cur = self.rvalue(lv.clone());
        let (save, old) = self.spill(cur);
        setup.push(save);
        let update = self.complex_compound(B::Plus, lv, one, loc)?;
        setup.push(update);
        Ok(self.after(setup, old))
    }

    /// `__real__ x` / `__imag__ x` (rewritten by lowering to `__cfree_real(x)` /
    /// `__cfree_imag(x)`): the part as an lvalue when `x` is one. Of a real `x`, `__real__` is
    /// `x` and `__imag__` is a zero of its type (with `x` still evaluated).
    pub(super) fn complex_part(
        &mut self,
        args: &[lang_c::span::Node<ast::Expression>],
        imag: bool,
        loc: Loc,
    ) -> R<Expr> {
        let [arg] = args else {
            return self.error(loc, "'__real__' and '__imag__' take one operand");
        };
        let x = self.expr_no_decay(arg)?;
        let Some(elem) = self.types.complex_elem(x.ty) else {
            let x = self.rvalue(x);
            if !self.types.is_arith(x.ty) {
                let t = self.types.display(x.ty);
                return self.error(
                    loc,
                    format!("wrong type argument to '__real__'/'__imag__' (have '{t}')"),
                );
            }
            if !imag {
                return Ok(x);
            }
            let z = self.zero(x.ty, loc);
            if self.pure(&x) {
                return Ok(z);
            }
            let void = self.convert(x, TypeTable::VOID);
            let ty = z.ty;
            return Ok(Expr::new(ExprKind::Comma(b(void), b(z)), ty, loc));
        };
        if x.is_lvalue() {
            let offset = if imag { self.types.size(elem) } else { 0 };
            let volatile = self.types.is_volatile(x.ty);
            let ety = self.types.qualify(elem, volatile, false);
            return Ok(Expr::new(
                ExprKind::Member {
                    base: b(x),
                    offset,
                    bit: None,
                },
                ety,
                loc,
            ));
        }
        let x = self.rvalue(x);
        if let ExprKind::Complex { .. } = x.kind {
            let p = self.split(x);
            let v = if imag { p.im } else { p.re };
            return Ok(self.after(p.setup, v));
        }
        Ok(self.part(&x, imag))
    }

    /// `__builtin_complex(re, im)` (C11 `CMPLX`): both of the same floating type.
    pub(super) fn builtin_complex(&mut self, args: Vec<Expr>, loc: Loc) -> R<Expr> {
        let [re, im]: [Expr; 2] = match args.try_into() {
            Ok(a) => a,
            Err(_) => return self.error(loc, "'__builtin_complex' takes two arguments"),
        };
        let (t, u) = (self.types.unqualified(re.ty), self.types.unqualified(im.ty));
        if !self.types.is_float(t) || t != u {
            return self.error(
                loc,
                "'__builtin_complex' operands must have the same floating type",
            );
        }
        let cty = self.types.complex(t);
        Ok(self.make(re, im, cty, loc))
    }

    /// `__builtin_creal`/`cimag`/`conj` (and the `f`/`l` forms): the part or the conjugate,
    /// after converting the operand to the builtin's type as its prototype would.
    pub(super) fn complex_builtin(&mut self, name: &str, x: Expr, loc: Loc) -> R<Expr> {
        let base = name.trim_start_matches("__builtin_");
        let (op, suffix) = ["creal", "cimag", "conj"]
            .iter()
            .find_map(|op| base.strip_prefix(op).map(|s| (*op, s)))
            .ok_or(())?;
        let real = match suffix {
            "f" => TypeTable::FLOAT,
            "l" => TypeTable::LDOUBLE,
            _ => TypeTable::DOUBLE,
        };
        let cty = self.types.complex(real);
        if !self.types.is_arith(self.types.real_type(x.ty)) {
            let t = self.types.display(x.ty);
            return self.error(loc, format!("invalid argument to '{name}' (have '{t}')"));
        }
        let z = self.convert(x, cty);
        Ok(match op {
            "conj" => self.complex_unary(Some(UnOp::BitNot), z, loc),
            _ => {
                let p = self.split(z);
                let v = if op == "cimag" { p.im } else { p.re };
                self.after(p.setup, v)
            }
        })
    }
}

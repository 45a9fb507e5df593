//! Declarations: specifiers and declarators to types, struct/union/enum definitions,
//! typedefs, objects and functions.

use super::*;
use crate::attributes::{self, AttrKind};
use lang_c::span::Node;

/// The largest automatic object a function's frame can hold (Cranelift's stack slots are
/// sized in 32 bits).
const MAX_STACK_OBJECT: u64 = u32::MAX as u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Storage {
    None,
    Typedef,
    Extern,
    Static,
    Auto,
    Register,
}

/// The meaning of a declaration's specifiers.
#[derive(Clone, Debug)]
pub(super) struct DeclSpec {
    pub ty: TypeId,
    pub storage: Storage,
    pub inline: bool,
    pub is_const: bool,
    pub thread_local: bool,
    pub align: u64,
    pub attrs: Attrs,
}

/// GNU attributes cfree honours.
#[derive(Clone, Debug, Default)]
pub(super) struct Attrs {
    pub aligned: Option<u64>,
    pub packed: bool,
    pub weak: bool,
    pub asm_name: Option<String>,
    pub constructor: bool,
    pub destructor: bool,
    pub mode: Option<String>,
    pub transparent_union: bool,
    pub vector_size: Option<u64>,
    /// GNU89 inline semantics: an `extern inline` definition is for inlining only.
    pub gnu_inline: bool,
    /// `alias("target")`: this declaration defines another name of `target`.
    pub alias: Option<(String, Loc)>,
    /// `returns_twice` (like `setjmp`): callers keep every local in memory.
    pub returns_twice: bool,
    /// `cleanup(f)`: `f(&x)` runs when the local `x` goes out of scope.
    pub cleanup: Option<(String, Loc)>,
    /// `noinline` / `always_inline`.
    pub inline_hint: InlineHint,
    /// `noreturn` or `_Noreturn`: calls end the path (for the flow warnings).
    pub noreturn: bool,
    /// `unused` or `used`: no -Wunused warning for it.
    pub unused: bool,
    /// `format(printf|scanf, M, N)`: `-Wformat` checks calls.
    pub format: Option<super::format::FormatSpec>,
}

/// Which inline definitions are *inline definitions* in C's sense (C11 6.7.4p7): they provide
/// no external definition, so the unit must not export the symbol — other units (or libc)
/// do. glibc's headers define `atoi`, `vprintf`, ... as `extern inline gnu_inline` at `-O2`.
#[derive(Default)]
pub(super) struct InlineDefs {
    /// Functions with a file-scope declaration or definition without `inline` or with `extern`.
    pub external_decl: std::collections::HashSet<SymId>,
    /// Plain C99 `inline` definitions (external only if some declaration is).
    pub c99: Vec<SymId>,
    /// `extern inline __attribute__((gnu_inline))` definitions: never external.
    pub gnu_only: Vec<SymId>,
}

impl InlineDefs {
    fn definition(&mut self, sym: SymId, ds: &DeclSpec, gnu_inline: bool) {
        let ext = ds.storage == Storage::Extern;
        if ds.storage == Storage::Static {
            return;
        }
        match (ds.inline, gnu_inline) {
            (true, true) if ext => self.gnu_only.push(sym),
            (true, false) if !ext => self.c99.push(sym),
            _ => {
                self.external_decl.insert(sym);
            }
        }
    }

    /// Forgets a gnu-inline definition whose body is not kept (it forwards `...`).
    fn drop_gnu_only(&mut self, sym: SymId) {
        self.gnu_only.retain(|s| *s != sym);
    }

    /// The definitions that must stay private to the unit.
    pub fn not_external(&self) -> Vec<SymId> {
        let c99 = self.c99.iter().filter(|s| !self.external_decl.contains(s));
        self.gnu_only.iter().chain(c99).copied().collect()
    }
}

/// A declarator resolved against a base type.
pub(super) struct Declared {
    pub name: Option<String>,
    pub ty: TypeId,
    pub loc: Loc,
    pub attrs: Attrs,
    /// Parameter names of the outermost function declarator (for definitions).
    pub params: Option<Vec<(Option<String>, TypeId, Loc)>>,
    /// Of those, the ones with variable array sizes, with their declarations: a definition
    /// builds their real types once the parameters exist (`vla_params`).
    pub vla_params: Vec<(usize, Node<ast::ParameterDeclaration>)>,
    /// K&R identifier list of a definition.
    pub kr_names: Option<Vec<(String, Loc)>>,
    /// Whether the outermost pointer declarator is `const` (`int *const p`), or `None` when
    /// the declarator has no pointer and the object's constness is that of the specifiers.
    /// Types carry no qualifiers, so this is what decides read-only placement.
    pub ptr_const: Option<bool>,
}

impl<'a> Sema<'a> {
    /// Whether `long double` is the x87 extended format, the one target where GNU's `XF`
    /// mode and `_Float64x` name it (and `TF` names `__float128`).
    fn ld_is_x87(&self) -> bool {
        self.arch.long_double() == crate::target::LongDoubleFormat::X87
    }

    /// The arguments of `format(archetype, string-index, first-to-check)`; archetypes other
    /// than printf and scanf (`strftime`, ...) are not checked.
    fn format_attr(&mut self, args: &[Node<ast::Expression>]) -> Option<super::format::FormatSpec> {
        use super::format::FormatStyle;
        let ast::Expression::Identifier(id) = &args.first()?.node else {
            return None;
        };
        let style = match id.node.name.trim_matches('_') {
            "printf" | "gnu_printf" => FormatStyle::Printf,
            "scanf" | "gnu_scanf" => FormatStyle::Scanf,
            _ => return None,
        };
        let m = self.const_int_expr(args.get(1)?).ok()?;
        let n = self.const_int_expr(args.get(2)?).ok()?;
        Some((style, usize::try_from(m).ok()?, usize::try_from(n).ok()?))
    }

    fn mark_maybe_unused(&mut self, local: LocalId, attrs: &Attrs) {
        if !attrs.unused {
            return;
        }
        if let Some(v) = self
            .f
            .as_mut()
            .and_then(|f| f.locals.get_mut(local.0 as usize))
        {
            v.maybe_unused = true;
        }
    }

    /// The attributes the warnings read, kept across redeclarations (any declaration's
    /// `noreturn` or `unused` counts, as in gcc).
    /// "redefinition of 'x'", with a note at the earlier one when its place is known.
    fn redefinition<T>(&mut self, name: &str, loc: Loc, prev: Option<Loc>) -> R<T> {
        let shown = crate::lower::demangle_ident(name);
        let mut d = crate::diag::Diagnostic::error(loc, format!("redefinition of '{shown}'"));
        if let Some(p) = prev {
            d = d.with_note(p, format!("previous definition of '{shown}' is here"));
        }
        self.diags.push(d);
        Err(())
    }

    fn symbol_attrs(&mut self, sym: SymId, attrs: &Attrs) {
        if let Some(s) = self.symbols.get_mut(sym.0 as usize) {
            s.noreturn |= attrs.noreturn;
            // Constructors run without being named.
            s.maybe_unused |= attrs.unused || attrs.constructor || attrs.destructor;
        }
    }

    pub(super) fn attrs_from(&mut self, exts: &[Node<ast::Extension>], a: &mut Attrs) {
        for e in exts {
            match &e.node {
                ast::Extension::Attribute(attr) => {
                    let name = attr.name.node.trim_matches('_').to_string();
                    match name.as_str() {
                        "aligned" => {
                            let v = match attr.arguments.first() {
                                Some(arg) => self.const_int_expr(arg).unwrap_or(16) as u64,
                                None => 16,
                            };
                            a.aligned = Some(a.aligned.unwrap_or(1).max(v));
                        }
                        "packed" => a.packed = true,
                        "gnu_inline" => a.gnu_inline = true,
                        "returns_twice" => a.returns_twice = true,
                        "noreturn" => a.noreturn = true,
                        "unused" | "used" => a.unused = true,
                        "noinline" => a.inline_hint = InlineHint::Never,
                        "always_inline" if a.inline_hint != InlineHint::Never => {
                            a.inline_hint = InlineHint::Always
                        }
                        "cleanup" => {
                            let l = self.loc(attr.name.span);
                            match attr.arguments.first().map(|x| &x.node) {
                                Some(ast::Expression::Identifier(id)) => {
                                    a.cleanup = Some((id.node.name.clone(), l));
                                }
                                _ => {
                                    let _: R<()> =
                                        self.error(l, "'cleanup' needs the name of a function");
                                }
                            }
                        }
                        "alias" => {
                            let l = self.loc(attr.name.span);
                            match attr.arguments.first().map(|x| &x.node) {
                                Some(ast::Expression::StringLiteral(s)) => {
                                    a.alias = Some((lit::string_literal_text(&s.node), l));
                                }
                                _ => {
                                    let _: R<()> =
                                        self.error(l, "'alias' needs a string naming the target");
                                }
                            }
                        }
                        "format" => a.format = self.format_attr(&attr.arguments).or(a.format),
                        "weak" => a.weak = true,
                        "constructor" => a.constructor = true,
                        "destructor" => a.destructor = true,
                        "transparent_union" => a.transparent_union = true,
                        "mode" => {
                            if let Some(Node {
                                node: ast::Expression::Identifier(id),
                                ..
                            }) = attr.arguments.first()
                            {
                                a.mode = Some(id.node.name.trim_matches('_').to_string());
                            }
                        }
                        "vector_size" => {
                            if let Some(arg) = attr.arguments.first() {
                                a.vector_size = self.const_int_expr(arg).ok().map(|v| v as u64);
                            }
                        }
                        // The lowering's nested-function marker (handled by `nested_definition`).
                        crate::lower::NESTED_MARKER => {}
                        n if attributes::lookup(n) == Some(AttrKind::Hint) => {}
                        n => {
                            let l = self.loc(attr.name.span);
                            let _: R<()> =
                                self.error(l, format!("attribute '{n}' is not supported by cfree"));
                        }
                    }
                }
                ast::Extension::AsmLabel(s) => {
                    a.asm_name = Some(lit::string_literal_text(&s.node));
                }
                ast::Extension::AvailabilityAttribute(_) => {}
            }
        }
    }

    /// Resolves declaration specifiers to a base type and storage class.
    pub(super) fn decl_spec(
        &mut self,
        specs: &[Node<ast::DeclarationSpecifier>],
        loc: Loc,
    ) -> R<DeclSpec> {
        let mut tss: Vec<&Node<ast::TypeSpecifier>> = Vec::new();
        let mut quals = Quals::default();
        let mut ds = DeclSpec {
            ty: TypeTable::INT,
            storage: Storage::None,
            inline: false,
            is_const: false,
            thread_local: false,
            align: 0,
            attrs: Attrs::default(),
        };
        // Where a struct/union body ends: `aligned` after it applies to the type itself.
        let mut body_end: Option<usize> = None;
        let mut type_aligned: Option<u64> = None;
        for s in specs {
            match &s.node {
                ast::DeclarationSpecifier::TypeSpecifier(t) if matches!(&t.node, ast::TypeSpecifier::Struct(st) if st.node.declarations.is_some()) =>
                {
                    body_end = Some(s.span.end);
                }
                ast::DeclarationSpecifier::Extension(ext)
                    if body_end.is_some_and(|e| s.span.start >= e) =>
                {
                    // Only `aligned` is wanted here; the main pass below reports the rest.
                    let mark = self.diags.items.len();
                    let mut a = Attrs::default();
                    self.attrs_from(ext, &mut a);
                    self.diags.items.truncate(mark);
                    type_aligned = type_aligned.max(a.aligned);
                }
                _ => {}
            }
        }
        for s in specs {
            match &s.node {
                ast::DeclarationSpecifier::StorageClass(sc) => {
                    ds.storage = match sc.node {
                        ast::StorageClassSpecifier::Typedef => Storage::Typedef,
                        ast::StorageClassSpecifier::Extern => Storage::Extern,
                        ast::StorageClassSpecifier::Static => Storage::Static,
                        ast::StorageClassSpecifier::Auto => Storage::Auto,
                        ast::StorageClassSpecifier::Register => Storage::Register,
                        ast::StorageClassSpecifier::ThreadLocal => {
                            ds.thread_local = true;
                            ds.storage
                        }
                    }
                }
                ast::DeclarationSpecifier::TypeSpecifier(t) => tss.push(t),
                ast::DeclarationSpecifier::TypeQualifier(q) => {
                    if matches!(q.node, ast::TypeQualifier::Const) {
                        ds.is_const = true;
                    }
                    add_qual(&mut quals, &q.node);
                }
                ast::DeclarationSpecifier::Function(f) => match f.node {
                    ast::FunctionSpecifier::Inline => ds.inline = true,
                    ast::FunctionSpecifier::Noreturn => ds.attrs.noreturn = true,
                },
                ast::DeclarationSpecifier::Alignment(a) => {
                    let v = match &a.node {
                        ast::AlignmentSpecifier::Type(tn) => {
                            let t = self.type_name(tn)?;
                            self.types.align(t)
                        }
                        ast::AlignmentSpecifier::Constant(e) => self.const_int_expr(e)? as u64,
                    };
                    ds.align = ds.align.max(v);
                }
                ast::DeclarationSpecifier::Extension(ext) => {
                    let mut a = std::mem::take(&mut ds.attrs);
                    self.attrs_from(ext, &mut a);
                    ds.attrs = a;
                }
            }
        }
        ds.ty = self.type_specifiers(&tss, loc)?;
        if let (Some(a), Some(r)) = (type_aligned, self.types.record_id(ds.ty)) {
            // `struct S { ... } __attribute__((aligned(N)))`: the definition just made.
            let rec = &mut self.types.records[r.0 as usize];
            if a > rec.align {
                rec.align = a;
                rec.size = align_to(rec.size, a);
            }
        }
        if let Some(m) = ds.attrs.mode.clone() {
            ds.ty = self.apply_mode(ds.ty, &m, loc)?;
        }
        if let Some(v) = ds.attrs.vector_size.take() {
            ds.ty = self.vector_type(ds.ty, v, loc)?;
        }
        ds.ty = self.types.qualify_with(ds.ty, quals);
        self.check_atomic(ds.ty, loc)?;
        Ok(ds)
    }

    /// `_Atomic` objects must fit one lock-free machine access (cfree has no libatomic path).
    fn check_atomic(&mut self, ty: TypeId, loc: Loc) -> R<()> {
        if !self.types.is_atomic(ty) {
            return Ok(());
        }
        let size = self.types.size(ty);
        if self.types.is_aggregate(ty) || !matches!(size, 1 | 2 | 4 | 8) {
            let t = self.types.display(ty);
            return self.error(
                loc,
                format!("'{t}': _Atomic objects other than 1-, 2-, 4- or 8-byte scalars are not supported"),
            );
        }
        Ok(())
    }

    /// `__attribute__((mode(M)))`: the type of machine mode `M` with `ty`'s signedness and
    /// complexness (gcc's `QI`..`TI`, `SF`/`DF`/`XF`/`TF`, their complex `C..`/`.C` forms,
    /// `byte`, `word`, `unwind_word`, `pointer`). A mode the target has no type for is an error, never ignored.
    fn apply_mode(&mut self, ty: TypeId, mode: &str, loc: Loc) -> R<TypeId> {
        let elem = self.types.complex_elem(ty);
        let base = self.types.unqualified(elem.unwrap_or(ty));
        let (complex, m) = match mode {
            "SC" | "DC" | "XC" | "TC" => (true, &mode[..1]),
            _ => match mode.strip_prefix('C') {
                Some(r) if r.ends_with('I') => (true, r),
                _ => (false, mode),
            },
        };
        let bad = |s: &mut Self| {
            let t = s.types.display(ty);
            s.error(
                loc,
                format!("mode '{mode}' cannot be applied to type '{t}'"),
            )
        };
        if complex != elem.is_some() {
            return bad(self);
        }
        let new = match (m, self.types.is_float(base)) {
            ("S", true) | ("SF", true) => TypeTable::FLOAT,
            ("D", true) | ("DF", true) => TypeTable::DOUBLE,
            ("X", true) | ("XF", true) if self.ld_is_x87() => TypeTable::LDOUBLE,
            ("T", true) | ("TF", true) if self.ld_is_x87() => TypeTable::FLOAT128,
            ("T", true) | ("TF", true) => TypeTable::LDOUBLE,
            (_, false) if self.types.is_integer(base) && base != TypeTable::BOOL => {
                let k = match m {
                    "QI" | "byte" => IntKind::SChar,
                    "HI" => IntKind::Short,
                    "SI" => IntKind::Int,
                    "DI" | "word" | "pointer" | "unwind_word" => IntKind::Long,
                    "TI" => IntKind::Int128,
                    _ => return bad(self),
                };
                let signed = self.types.is_signed(base);
                TypeTable::int_type(if signed { k } else { k.to_unsigned() })
            }
            _ => return bad(self),
        };
        if complex {
            return self.complex_type(new, loc);
        }
        Ok(new)
    }

    pub(super) fn type_specifiers(
        &mut self,
        tss: &[&Node<ast::TypeSpecifier>],
        loc: Loc,
    ) -> R<TypeId> {
        let complex = tss
            .iter()
            .filter(|t| matches!(t.node, ast::TypeSpecifier::Complex))
            .count();
        if complex == 0 {
            return self.real_type_specifiers(tss, loc);
        }
        let rest: Vec<&Node<ast::TypeSpecifier>> = tss
            .iter()
            .copied()
            .filter(|t| !matches!(t.node, ast::TypeSpecifier::Complex))
            .collect();
        // A lone `_Complex` means `_Complex double` (gcc, with a pedantic warning).
        let base = if rest.is_empty() {
            TypeTable::DOUBLE
        } else {
            self.real_type_specifiers(&rest, loc)?
        };
        self.complex_type(base, loc)
    }

    fn real_type_specifiers(&mut self, tss: &[&Node<ast::TypeSpecifier>], loc: Loc) -> R<TypeId> {
        use ast::TypeSpecifier as T;
        let (mut void, mut char, mut short, mut int, mut long, mut float, mut double) =
            (0, 0, 0, 0, 0, 0, 0);
        let (mut signed, mut unsigned, mut boolean) = (0, 0, 0);
        let mut other: Option<TypeId> = None;
        for t in tss {
            match &t.node {
                T::Void => void += 1,
                T::Char => char += 1,
                T::Short => short += 1,
                T::Int => int += 1,
                T::Long => long += 1,
                T::Float => float += 1,
                T::Double => double += 1,
                T::Signed => signed += 1,
                T::Unsigned => unsigned += 1,
                T::Bool => boolean += 1,
                T::Complex => {}
                T::Atomic(tn) => {
                    let t = self.type_name(tn)?;
                    other = Some(self.types.qualify(t, false, true));
                }
                T::Struct(st) => other = Some(self.struct_type(st)?),
                T::Enum(et) => other = Some(self.enum_type(et)?),
                T::TypedefName(id) => match self.lookup(&id.node.name) {
                    Some(Ordinary::Typedef(ty)) => other = Some(ty),
                    _ => {
                        let l = self.loc(id.span);
                        return self.error(l, format!("unknown type name '{}'", id.node.name));
                    }
                },
                T::TypeOf(to) => {
                    other = Some(match &to.node {
                        ast::TypeOf::Type(tn) => self.type_name(tn)?,
                        // lang-c reads `typeof(T)` for a typedef name `T` as an expression.
                        ast::TypeOf::Expression(e) => match &e.node {
                            ast::Expression::Identifier(id)
                                if matches!(
                                    self.lookup(&id.node.name),
                                    Some(Ordinary::Typedef(_))
                                ) =>
                            {
                                match self.lookup(&id.node.name) {
                                    Some(Ordinary::Typedef(t)) => t,
                                    _ => return Err(()),
                                }
                            }
                            _ => self.expr_no_decay(e)?.ty,
                        },
                    })
                }
                T::TS18661Float(f) => other = Some(self.ts18661_type(f)),
            }
        }
        // glibc declares `typedef float _Float32;` for compilers it thinks lack the type;
        // lang-c reads `_Float32` as the type itself. The basic type wins.
        let basic = void + char + short + int + long + float + double + signed + unsigned + boolean;
        if basic > 0
            && tss.iter().all(|t| {
                !matches!(
                    t.node,
                    T::Struct(_) | T::Enum(_) | T::TypedefName(_) | T::TypeOf(_) | T::Atomic(_)
                )
            })
        {
            other = None;
        }
        if let Some(t) = other {
            if basic > 0 {
                // `unsigned T` with a typedef is invalid; gcc errors too.
                return self.error(loc, "two or more data types in declaration specifiers");
            }
            return Ok(t);
        }
        if void > 0 {
            return Ok(TypeTable::VOID);
        }
        if boolean > 0 {
            return Ok(TypeTable::BOOL);
        }
        if float > 0 {
            return Ok(TypeTable::FLOAT);
        }
        if double > 0 {
            return Ok(if long > 0 {
                TypeTable::LDOUBLE
            } else {
                TypeTable::DOUBLE
            });
        }
        let u = unsigned > 0;
        let k = if char > 0 {
            if u {
                IntKind::UChar
            } else if signed > 0 {
                IntKind::SChar
            } else {
                IntKind::Char
            }
        } else if short > 0 {
            if u {
                IntKind::UShort
            } else {
                IntKind::Short
            }
        } else if long >= 2 {
            if u {
                IntKind::ULongLong
            } else {
                IntKind::LongLong
            }
        } else if long == 1 {
            if u {
                IntKind::ULong
            } else {
                IntKind::Long
            }
        } else if u {
            IntKind::UInt
        } else {
            IntKind::Int
        };
        Ok(TypeTable::int_type(k))
    }

    pub(super) fn type_name(&mut self, tn: &Node<ast::TypeName>) -> R<TypeId> {
        let loc = self.loc(tn.span);
        let mut tss = Vec::new();
        let mut attrs = Attrs::default();
        let mut quals = Quals::default();
        for s in &tn.node.specifiers {
            match &s.node {
                ast::SpecifierQualifier::TypeSpecifier(t) => tss.push(t),
                ast::SpecifierQualifier::TypeQualifier(q) => add_qual(&mut quals, &q.node),
                ast::SpecifierQualifier::Extension(e) => self.attrs_from(e, &mut attrs),
            }
        }
        let base = self.type_specifiers(&tss, loc)?;
        let base = self.types.qualify_with(base, quals);
        match &tn.node.declarator {
            Some(d) => Ok(self.declarator(base, d)?.ty),
            None => Ok(base),
        }
    }

    /// `_FloatN` / `_FloatNx`: the formats the target has (`_Float32`, `_Float64`,
    /// `_Float32x` = double, `_Float64x` = long double on x86-64, `_Float128`). The others
    /// (`_Float16`, `_Float128x`, decimal formats) have no arithmetic in cfree: they are an
    /// incomplete type, so glibc's declarations that mention them compile but any use of a
    /// value is an error rather than wrong code.
    fn ts18661_type(&mut self, f: &ast::TS18661FloatType) -> TypeId {
        use ast::TS18661FloatFormat as F;
        match (&f.format, f.width) {
            (F::BinaryInterchange, 32) => TypeTable::FLOAT,
            (F::BinaryInterchange, 64) | (F::BinaryExtended, 32) => TypeTable::DOUBLE,
            (F::BinaryExtended, 64) if self.ld_is_x87() => TypeTable::LDOUBLE,
            (F::BinaryInterchange, 128) => TypeTable::FLOAT128,
            _ => {
                if let Some(t) = self.unsupported_float {
                    return t;
                }
                let (_, t) = self
                    .types
                    .new_record(Some("_FloatN_unsupported_by_cfree".into()), false);
                self.unsupported_float = Some(t);
                t
            }
        }
    }

    /// Applies a declarator to a base type (pointers in order, then suffixes from the inside out).
    pub(super) fn declarator(&mut self, base: TypeId, d: &Node<ast::Declarator>) -> R<Declared> {
        let mut ty = base;
        let mut attrs = Attrs::default();
        self.attrs_from(&d.node.extensions, &mut attrs);
        let mut params = None;
        let mut kr_names = None;
        let mut vla_params = Vec::new();
        let mut ptr_const = None;
        for dd in &d.node.derived {
            if let ast::DerivedDeclarator::Pointer(q) = &dd.node {
                let mut c = false;
                let mut quals = Quals::default();
                for pq in q {
                    match &pq.node {
                        ast::PointerQualifier::Extension(e) => self.attrs_from(e, &mut attrs),
                        ast::PointerQualifier::TypeQualifier(tq) => {
                            c |= matches!(tq.node, ast::TypeQualifier::Const);
                            add_qual(&mut quals, &tq.node);
                        }
                    }
                }
                ptr_const = Some(c);
                ty = self.types.ptr(ty);
                ty = self.types.qualify_with(ty, quals);
            }
        }
        for dd in d.node.derived.iter().rev() {
            match &dd.node {
                ast::DerivedDeclarator::Pointer(_) => {}
                ast::DerivedDeclarator::Block(_) => {
                    let l = self.loc(dd.span);
                    return self.error(l, "blocks (`^`) are not C");
                }
                ast::DerivedDeclarator::Array(a) => {
                    let l = self.loc(dd.span);
                    ty = self.array_declarator(ty, &a.node.size, l)?;
                }
                ast::DerivedDeclarator::Function(fd) => {
                    let l = self.loc(dd.span);
                    if self.types.is_func(ty) || self.types.is_array(ty) {
                        return self.error(l, "function cannot return a function or an array");
                    }
                    let (p, fty) = self.function_declarator(ty, &fd.node)?;
                    params = Some(p);
                    vla_params = std::mem::take(&mut self.last_vla_params)
                        .into_iter()
                        .filter_map(|i| fd.node.parameters.get(i).map(|p| (i, p.clone())))
                        .collect();
                    ty = fty;
                }
                ast::DerivedDeclarator::KRFunction(ids) => {
                    let f = FuncType {
                        ret: self.types.unqualified(ty),
                        params: Vec::new(),
                        variadic: false,
                        has_proto: false,
                    };
                    kr_names = Some(
                        ids.iter()
                            .map(|i| (i.node.name.clone(), self.loc(i.span)))
                            .collect(),
                    );
                    params = Some(Vec::new());
                    ty = self.types.func(f);
                }
            }
        }
        if let Some(v) = attrs.vector_size {
            let l = self.loc(d.span);
            ty = self.vector_type(ty, v, l)?;
        }
        match &d.node.kind.node {
            ast::DeclaratorKind::Abstract => Ok(Declared {
                name: None,
                ty,
                loc: self.loc(d.span),
                attrs,
                params,
                kr_names,
                ptr_const,
                vla_params,
            }),
            ast::DeclaratorKind::Identifier(id) => Ok(Declared {
                name: Some(id.node.name.clone()),
                ty,
                loc: self.loc(id.span),
                attrs,
                params,
                kr_names,
                ptr_const,
                vla_params,
            }),
            ast::DeclaratorKind::Declarator(inner) => {
                let mut r = self.declarator(ty, inner)?;
                // Parameters belong to the outermost function declarator that names them.
                if r.params.is_none() {
                    r.params = params;
                    r.vla_params = vla_params;
                }
                if r.kr_names.is_none() {
                    r.kr_names = kr_names;
                }
                r.ptr_const = r.ptr_const.or(ptr_const);
                let a = std::mem::take(&mut r.attrs);
                r.attrs = merge_attrs(attrs, a);
                Ok(r)
            }
        }
    }

    fn array_declarator(&mut self, elem: TypeId, size: &ast::ArraySize, loc: Loc) -> R<TypeId> {
        if self.types.is_func(elem) {
            return self.error(loc, "declaration of array of functions");
        }
        let es = self.types.size(elem);
        if es != 0 && !es.is_multiple_of(self.types.align(elem)) && self.types.is_complete(elem) {
            return self.error(
                loc,
                "alignment of array elements is greater than element size",
            );
        }
        match size {
            ast::ArraySize::Unknown | ast::ArraySize::VariableUnknown => {
                Ok(self.types.array(elem, None))
            }
            ast::ArraySize::VariableExpression(e) | ast::ArraySize::StaticExpression(e)
                if self.param_decl_depth > 0 && self.f.is_none() =>
            {
                // In a file-scope parameter list a size that is not a constant (it names
                // parameters, which are not objects yet) makes a `[*]` placeholder; the
                // definition builds the real VLA type once the parameters exist
                // (`vla_params`). Nested functions get theirs in the parent's context
                // (`sema/nested.rs`).
                let mark = self.diags.items.len();
                let constant = self
                    .expr(e)
                    .ok()
                    .filter(|ex| self.types.is_integer(ex.ty))
                    .and_then(|ex| self.const_int(&ex));
                match constant {
                    Some(n) if n >= 0 && !matches!(self.types.kind(elem), TypeKind::Vla { .. }) => {
                        Ok(self.types.array(elem, Some(n as u64)))
                    }
                    _ => {
                        self.diags.items.truncate(mark);
                        self.param_vla = true;
                        Ok(self.types.array(elem, None))
                    }
                }
            }
            ast::ArraySize::VariableExpression(e) | ast::ArraySize::StaticExpression(e) => {
                let ex = self.expr(e)?;
                if !self.types.is_integer(ex.ty) {
                    let l = self.loc(e.span);
                    return self.error(l, "size of array has non-integer type");
                }
                match self.const_int(&ex) {
                    Some(n) => {
                        if n < 0 {
                            let l = self.loc(e.span);
                            return self.error(l, "size of array is negative");
                        }
                        if !matches!(self.types.kind(elem), TypeKind::Vla { .. }) {
                            // gcc's limit: an object's size must fit in ptrdiff_t.
                            let bytes = u128::from(self.types.size(elem)) * (n as u128);
                            if bytes > i64::MAX as u128 {
                                // Reported, and the declaration goes on with one element so
                                // its uses do not each say "undeclared".
                                let l = self.loc(e.span);
                                self.diags.error(l, "size of array is too large");
                                return Ok(self.types.array(elem, Some(1)));
                            }
                            return Ok(self.types.array(elem, Some(n as u64)));
                        }
                        self.vla_type(elem, ex, loc)
                    }
                    None => self.vla_type(elem, ex, loc),
                }
            }
        }
    }

    /// A variable-length array: its byte size is computed into a fresh local at the declaration.
    fn vla_type(&mut self, elem: TypeId, count: Expr, loc: Loc) -> R<TypeId> {
        if self.f.is_none() {
            return self.error(
                loc,
                "variable length array declared outside of any function",
            );
        }
        let elem_size = self.sizeof_expr(elem, loc);
        let count = self.convert(count, TypeTable::ULONG);
        let size = Expr::new(
            ExprKind::Binary(BinOp::Mul, Box::new(count), Box::new(elem_size)),
            TypeTable::ULONG,
            loc,
        );
        let n = self.fresh();
        let local = self.new_local(&format!("__vla_size{n}"), TypeTable::ULONG, loc, false);
        self.pending_vla_sizes.push(Stmt {
            kind: StmtKind::Expr(Expr::new(
                ExprKind::Assign {
                    lhs: Box::new(Expr::new(ExprKind::Local(local), TypeTable::ULONG, loc)),
                    rhs: Box::new(size),
                },
                TypeTable::ULONG,
                loc,
            )),
            loc,
        });
        let vla = self.types.intern(TypeKind::Vla {
            elem,
            size_local: local.0,
        });
        if let Some(f) = self.f.as_mut() {
            if !f.vla_types.contains(&vla) {
                f.vla_types.push(vla);
            }
        }
        Ok(vla)
    }

    /// `sizeof` a type as an expression (runtime for VLAs).
    pub(super) fn sizeof_expr(&mut self, ty: TypeId, loc: Loc) -> Expr {
        if let TypeKind::Vla { size_local, .. } = *self.types.kind(ty) {
            self.check_vla_owner(ty, loc);
            return Expr::new(
                ExprKind::VlaSize(LocalId(size_local)),
                TypeTable::ULONG,
                loc,
            );
        }
        Expr::new(
            ExprKind::Int(self.types.size(ty) as i128),
            TypeTable::ULONG,
            loc,
        )
    }

    #[allow(clippy::type_complexity)]
    fn function_declarator(
        &mut self,
        ret: TypeId,
        fd: &ast::FunctionDeclarator,
    ) -> R<(Vec<(Option<String>, TypeId, Loc)>, TypeId)> {
        let mut params = Vec::new();
        // Parameter declarations get their own scope so struct tags declared there stay local.
        self.push_scope();
        self.param_decl_depth += 1;
        let mut vla = Vec::new();
        let r = (|| -> R<()> {
            for p in &fd.parameters {
                self.param_vla = false;
                let loc = self.loc(p.span);
                let ds = self.decl_spec(&p.node.specifiers, loc)?;
                // `int a __attribute__((unused))`: lang-c keeps attributes after the
                // declarator on the parameter declaration.
                let mut trailing = Attrs::default();
                self.attrs_from(&p.node.extensions, &mut trailing);
                let (name, mut ty, ploc) = match &p.node.declarator {
                    Some(d) => {
                        let dd = self.declarator(ds.ty, d)?;
                        if ds.attrs.unused || dd.attrs.unused || trailing.unused {
                            self.unused_params.insert(dd.loc);
                        }
                        (dd.name, dd.ty, dd.loc)
                    }
                    None => (None, ds.ty, loc),
                };
                // Parameter type adjustments (C11 6.7.6.3p7-8).
                match self.types.kind(ty).clone() {
                    TypeKind::Array(e, _) | TypeKind::Vla { elem: e, .. } => ty = self.types.ptr(e),
                    TypeKind::Func(_) => ty = self.types.ptr(ty),
                    // `va_list` is an array type on x86-64: a parameter of that type is a
                    // pointer to the caller's list (what `vprintf` and friends receive).
                    TypeKind::VaList if self.types.va_list_is_array() => {
                        ty = self.types.ptr(TypeTable::VOID)
                    }
                    _ => {}
                }
                if self.param_vla {
                    vla.push(params.len());
                }
                params.push((name, ty, ploc));
            }
            Ok(())
        })();
        self.param_decl_depth -= 1;
        self.param_vla = false;
        self.last_vla_params = vla;
        self.pop_scope();
        r?;
        // `(void)` means no parameters.
        if params.len() == 1 && params[0].1 == TypeTable::VOID && params[0].0.is_none() {
            params.clear();
        }
        let variadic = matches!(fd.ellipsis, ast::Ellipsis::Some);
        let has_proto = !(params.is_empty() && !variadic && fd.parameters.is_empty());
        // Qualifiers of parameters and of the result are not part of the function type
        // (C11 6.7.6.3p15, C17 6.7.6.3p5): `f(const int)` and `f(int)` are the same.
        let f = FuncType {
            ret: self.types.unqualified(ret),
            params: params.iter().map(|p| self.types.unqualified(p.1)).collect(),
            variadic,
            has_proto,
        };
        Ok((params, self.types.func(f)))
    }

    // ---- struct / union / enum ----------------------------------------------------

    fn struct_type(&mut self, st: &Node<ast::StructType>) -> R<TypeId> {
        let is_union = matches!(st.node.kind.node, ast::StructKind::Union);
        let tag = st.node.identifier.as_ref().map(|i| i.node.name.clone());
        let loc = self.loc(st.span);
        let Some(decls) = &st.node.declarations else {
            // A reference: find the tag or declare an incomplete one in the current scope.
            let Some(tag) = tag else {
                return self.error(loc, "anonymous struct without body");
            };
            if let Some(t) = self.lookup_tag(&tag) {
                return Ok(t);
            }
            let (_, ty) = self.types.new_record(Some(tag.clone()), is_union);
            if let Some(s) = self.scopes.last_mut() {
                s.tags.insert(tag, ty);
            }
            return Ok(ty);
        };
        // A definition: reuse an incomplete tag from the same scope, else make a new type.
        let ty = match &tag {
            Some(name) => match self.scopes.last().and_then(|s| s.tags.get(name)).copied() {
                Some(t) if self.types.record_of(t).is_some_and(|r| !r.complete) => t,
                Some(t) if self.types.record_of(t).is_some() => {
                    return self.error(loc, format!("redefinition of 'struct {name}'"));
                }
                _ => {
                    let (_, t) = self.types.new_record(Some(name.clone()), is_union);
                    if let Some(s) = self.scopes.last_mut() {
                        s.tags.insert(name.clone(), t);
                    }
                    t
                }
            },
            None => self.types.new_record(None, is_union).1,
        };
        let TypeKind::Record(rid) = self.types.kind(ty).clone() else {
            return self.error(loc, "tag used for a different kind of type");
        };
        // Attributes after the closing brace are not in the AST; `packed` before the tag is.
        let mut attrs = Attrs::default();
        self.struct_attrs_in_span(st, &mut attrs);
        let mut layout = RecordLayout::new(is_union, attrs.packed, self.pack_at(st.span.start));
        let mut flexible = false;
        let n = decls.len();
        for (di, d) in decls.iter().enumerate() {
            match &d.node {
                ast::StructDeclaration::StaticAssert(sa) => self.static_assert(sa)?,
                ast::StructDeclaration::Field(f) if is_packed_marker(f) => {}
                ast::StructDeclaration::Field(f) => {
                    let floc = self.loc(f.span);
                    let mut tss = Vec::new();
                    let mut fattrs = Attrs::default();
                    let mut quals = Quals::default();
                    for s in &f.node.specifiers {
                        match &s.node {
                            ast::SpecifierQualifier::TypeSpecifier(t) => tss.push(t),
                            ast::SpecifierQualifier::TypeQualifier(q) => {
                                add_qual(&mut quals, &q.node)
                            }
                            ast::SpecifierQualifier::Extension(e) => {
                                self.attrs_from(e, &mut fattrs)
                            }
                        }
                    }
                    let mut base = self.type_specifiers(&tss, floc)?;
                    if let Some(m) = fattrs.mode.clone() {
                        base = self.apply_mode(base, &m, floc)?;
                    }
                    base = self.types.qualify_with(base, quals);
                    if f.node.declarators.is_empty() {
                        // Anonymous struct/union member (C11).
                        if self.types.is_record(base) {
                            let (sz, al) = (self.types.size(base), self.types.align(base));
                            layout.add_field(None, base, sz, al, fattrs.aligned.unwrap_or(1));
                        }
                        continue;
                    }
                    for sd in &f.node.declarators {
                        let (name, fty, mut fa) = match &sd.node.declarator {
                            Some(d) => {
                                let r = self.declarator(base, d)?;
                                (r.name, r.ty, r.attrs)
                            }
                            None => (None, base, Attrs::default()),
                        };
                        fa = merge_attrs(fattrs.clone(), fa);
                        let sloc = self.loc(sd.span);
                        if matches!(self.types.kind(fty), TypeKind::Vla { .. }) {
                            // GNU C allows it (a struct of run-time size and member offsets).
                            return self.error(
                                sloc,
                                "a struct or union member of variable length array type is not supported",
                            );
                        }
                        let packed = attrs.packed || fa.packed;
                        if let Some(w) = &sd.node.bit_width {
                            let width = self.const_int_expr(w)?;
                            if !self.types.is_integer(fty) {
                                return self.error(sloc, "bit-field has invalid type");
                            }
                            let size = self.types.size(fty);
                            if width < 0 || width as u64 > size * 8 {
                                return self.error(sloc, "width of bit-field exceeds its type");
                            }
                            let al = if packed { 1 } else { self.types.align(fty) };
                            let extra = fa.aligned.unwrap_or(1);
                            layout.add_bitfield(name, fty, size, al, width as u32, extra);
                            continue;
                        }
                        let mut fty = fty;
                        if let TypeKind::Array(e, None) = self.types.kind(fty).clone() {
                            if di + 1 == n && !is_union {
                                flexible = true;
                                fty = self.types.array(e, Some(0));
                            } else {
                                return self
                                    .error(sloc, "flexible array member not at end of struct");
                            }
                        }
                        if !self.types.is_complete(fty) && !flexible {
                            let t = self.types.display(fty);
                            return self.error(sloc, format!("field has incomplete type '{t}'"));
                        }
                        let (sz, al) = (self.types.size(fty), self.types.align(fty));
                        let al = if packed { 1 } else { al };
                        layout.add_field(name, fty, sz, al, fa.aligned.unwrap_or(1));
                    }
                }
            }
        }
        let (size, align) = layout.finish(attrs.aligned.unwrap_or(1));
        let r = &mut self.types.records[rid.0 as usize];
        r.fields = std::mem::take(&mut layout.fields);
        r.size = size;
        r.align = align;
        r.complete = true;
        r.flexible = flexible;
        Ok(ty)
    }

    /// lang-c drops attributes written after a struct's closing brace; the lowering pass turns
    /// `__attribute__((packed))`/`aligned` there into marker fields it can parse. Read them back.
    fn struct_attrs_in_span(&mut self, st: &Node<ast::StructType>, attrs: &mut Attrs) {
        let Some(decls) = &st.node.declarations else {
            return;
        };
        for d in decls {
            if let ast::StructDeclaration::Field(f) = &d.node {
                for s in &f.node.specifiers {
                    if let ast::SpecifierQualifier::TypeSpecifier(t) = &s.node {
                        if let ast::TypeSpecifier::TypedefName(id) = &t.node {
                            if id.node.name == crate::lower::PACKED_MARKER {
                                attrs.packed = true;
                            }
                        }
                    }
                }
            }
        }
    }

    fn enum_type(&mut self, et: &Node<ast::EnumType>) -> R<TypeId> {
        let loc = self.loc(et.span);
        if et.node.enumerators.is_empty() {
            if let Some(tag) = &et.node.identifier {
                if let Some(t) = self.lookup_tag(&tag.node.name) {
                    return Ok(t);
                }
                // Forward reference to an enum: GNU extension; treat as unsigned int.
                return Ok(TypeTable::UINT);
            }
            return self.error(loc, "enum without enumerators");
        }
        let mut next: i128 = 0;
        let mut vals = Vec::new();
        for en in &et.node.enumerators {
            if let Some(e) = &en.node.expression {
                next = self.const_int_expr(e)?;
            }
            vals.push((en.node.identifier.node.name.clone(), next));
            // Enumerators are visible in later enumerator expressions of the same enum.
            self.bind(
                &en.node.identifier.node.name,
                Ordinary::EnumConst(next, TypeTable::INT),
            );
            next = next.wrapping_add(1);
        }
        let (min, max) = vals
            .iter()
            .fold((0i128, 0i128), |(a, b), (_, v)| (a.min(*v), b.max(*v)));
        let ty = if min >= 0 && max > i32::MAX as i128 {
            if max <= u32::MAX as i128 {
                TypeTable::UINT
            } else {
                TypeTable::ULONG
            }
        } else if min < i32::MIN as i128 || max > i32::MAX as i128 {
            TypeTable::LONG
        } else if min >= 0 {
            TypeTable::UINT
        } else {
            TypeTable::INT
        };
        for (name, v) in &vals {
            let cty = if *v >= i32::MIN as i128 && *v <= i32::MAX as i128 {
                TypeTable::INT
            } else {
                ty
            };
            self.bind(name, Ordinary::EnumConst(*v, cty));
        }
        // Each enum is a type of its own over `ty` (compatible with it, not with other enums).
        let tag = et.node.identifier.as_ref().map(|t| t.node.name.clone());
        let ety = self.types.new_enum(ty, tag.clone(), vals);
        if let Some(tag) = tag {
            if let Some(s) = self.scopes.last_mut() {
                s.tags.insert(tag, ety);
            }
        }
        Ok(ety)
    }

    // ---- declarations -------------------------------------------------------------

    /// A declaration at file or block scope. Block-scope object declarations return the
    /// statements that initialise them.
    pub(super) fn declaration(
        &mut self,
        d: &Node<ast::Declaration>,
        file_scope: bool,
    ) -> R<Vec<Stmt>> {
        let loc = self.loc(d.span);
        let ds = self.decl_spec(&d.node.specifiers, loc)?;
        let mut out = Vec::new();
        if d.node.declarators.is_empty() && ds.storage == Storage::Typedef {
            // `typedef float _Float32;` as lang-c sees it: nothing is declared.
            return Ok(out);
        }
        for id in &d.node.declarators {
            let r = self.init_declarator(&ds, id, file_scope, &mut out);
            if r.is_err() && file_scope {
                continue;
            }
            r?;
        }
        Ok(out)
    }

    fn init_declarator(
        &mut self,
        ds: &DeclSpec,
        id: &Node<ast::InitDeclarator>,
        file_scope: bool,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let vla_mark = self.vla_mark();
        let mut dd = self.declarator(ds.ty, &id.node.declarator)?;
        let attrs = merge_attrs(ds.attrs.clone(), std::mem::take(&mut dd.attrs));
        let Some(name) = dd.name.clone() else {
            return self.error(dd.loc, "declaration does not declare anything");
        };
        let loc = dd.loc;
        if file_scope && self.is_file_asm(&name, attrs.asm_name.as_ref(), loc) {
            return Ok(());
        }
        if ds.storage == Storage::Typedef {
            if crate::lower::PRELUDE_TYPEDEFS.contains(&name.as_str()) {
                // The lowering prelude's declarations: the names are already bound to the real types.
                return Ok(());
            }
            let mut ty = dd.ty;
            if let Some(a) = attrs.aligned {
                if self.types.is_record(ty) {
                    if a > self.types.align(ty) {
                        ty = self.realigned_record(ty, a);
                    }
                } else if a.is_power_of_two() {
                    // On a typedef, `aligned` sets the alignment (it may also lower it).
                    let q = Quals {
                        align_log2: Some(a.trailing_zeros() as u8),
                        ..Quals::default()
                    };
                    ty = self.types.qualify_with(ty, q);
                }
            }
            self.bind(&name, Ordinary::Typedef(ty));
            return Ok(());
        }
        if !file_scope {
            if let Some(body) = Self::nested_body(&id.node.declarator) {
                return self.nested_definition(dd, &id.node.declarator, ds.ty, vla_mark, body, out);
            }
            if self.types.is_func(dd.ty) && ds.storage == Storage::Auto {
                // `auto int f(int);`: a forward declaration of a nested function.
                return self.declare_nested(&name, dd.ty, loc).map(|_| ());
            }
        }
        if self.types.is_func(dd.ty) {
            if id.node.initializer.is_some() {
                return self.error(
                    loc,
                    format!("function '{name}' is initialized like a variable"),
                );
            }
            let linkage = if ds.storage == Storage::Static {
                Linkage::Internal
            } else {
                self.existing_linkage(&name).unwrap_or(Linkage::External)
            };
            let sym = self.declare_symbol(
                &name,
                attrs.asm_name.clone(),
                dd.ty,
                SymKind::Func,
                linkage,
                loc,
            )?;
            if attrs.weak {
                self.symbols[sym.0 as usize].weak = true;
            }
            self.symbol_attrs(sym, &attrs);
            if let Some(f) = attrs.format {
                self.format_fns.insert(name.clone(), f);
            }
            if file_scope && (!ds.inline || ds.storage == Storage::Extern) {
                self.inline.external_decl.insert(sym);
            }
            if attrs.returns_twice {
                self.returns_twice.insert(name.clone());
            }
            if attrs.inline_hint != InlineHint::Default {
                self.inline_hints.insert(name.clone(), attrs.inline_hint);
            }
            if let Some((target, l)) = attrs.alias.clone() {
                self.pending_aliases.push((sym, target, l));
            }
            self.bind(&name, Ordinary::Global(sym));
            return Ok(());
        }
        if self.types.is_void(dd.ty) {
            return self.error(loc, format!("variable '{name}' declared void"));
        }
        let is_static_storage =
            file_scope || ds.storage == Storage::Static || ds.storage == Storage::Extern;
        if !is_static_storage {
            self.local_declaration(ds, &attrs, &name, dd.ty, loc, id, out)?;
            if let Some((f, floc)) = &attrs.cleanup {
                let call = self.cleanup_call(&name, f, *floc)?;
                out.push(Stmt {
                    kind: StmtKind::Cleanup(call),
                    loc,
                });
                if let Some(f) = self.f.as_mut() {
                    f.dyn_scopes += 1;
                }
            }
            return Ok(());
        }
        // Objects with static storage duration.
        let linkage = if ds.storage == Storage::Static {
            Linkage::Internal
        } else if ds.storage == Storage::Extern {
            self.existing_linkage(&name).unwrap_or(Linkage::External)
        } else {
            Linkage::External
        };
        let static_local = !file_scope && ds.storage == Storage::Static;
        let link_name = if static_local {
            let n = self.fresh();
            let fname = self.f.as_ref().map(|f| f.name.clone()).unwrap_or_default();
            Some(format!("{fname}.{name}.{n}"))
        } else {
            attrs.asm_name.clone()
        };
        let mut ty = dd.ty;
        let sym = self.declare_symbol(&name, link_name, ty, SymKind::Data, linkage, loc)?;
        if ds.thread_local {
            self.symbols[sym.0 as usize].thread_local = true;
        }
        if attrs.weak {
            self.symbols[sym.0 as usize].weak = true;
        }
        self.bind(&name, Ordinary::Global(sym));
        if let Some((target, l)) = attrs.alias.clone() {
            if id.node.initializer.is_some() {
                return self.error(loc, format!("'{name}' is an alias and has an initializer"));
            }
            self.pending_aliases.push((sym, target, l));
            return Ok(());
        }
        let Some(init) = &id.node.initializer else {
            if ds.storage != Storage::Extern && !self.symbols[sym.0 as usize].defined {
                // Tentative definition (or a static local without initializer: zero).
                self.tentative.insert(sym, loc);
                if static_local {
                    self.tentative.remove(&sym);
                    let ty = self.symbols[sym.0 as usize].ty;
                    if !self.types.is_complete(ty) {
                        return self.error(loc, format!("storage size of '{name}' isn't known"));
                    }
                    let align = self
                        .types
                        .align(ty)
                        .max(attrs.aligned.unwrap_or(1))
                        .max(ds.align);
                    self.define_global_storage(
                        sym,
                        GlobalVar {
                            sym,
                            size: self.types.size(ty),
                            align,
                            init: None,
                            relocs: Vec::new(),
                            readonly: false,
                            thread_local: ds.thread_local,
                            section: None,
                        },
                    );
                }
            }
            return Ok(());
        };
        if self.symbols[sym.0 as usize].defined {
            let prev = self.symbols[sym.0 as usize].loc;
            return self.redefinition(&name, loc, Some(prev));
        }
        if ds.storage == Storage::Extern && !file_scope {
            return self.error(loc, format!("'{name}' has both 'extern' and initializer"));
        }
        self.tentative.remove(&sym);
        ty = self.symbols[sym.0 as usize].ty;
        let (bytes, relocs, ty) = self.static_initializer(ty, init)?;
        self.symbols[sym.0 as usize].ty = ty;
        let align = self
            .types
            .align(ty)
            .max(attrs.aligned.unwrap_or(1))
            .max(ds.align);
        let readonly = dd.ptr_const.unwrap_or(ds.is_const) && relocs.is_empty() && !ds.thread_local;
        self.define_global_storage(
            sym,
            GlobalVar {
                sym,
                size: (bytes.len() as u64).max(self.types.size(ty)),
                align,
                init: Some(bytes),
                relocs,
                readonly,
                thread_local: ds.thread_local,
                section: None,
            },
        );
        Ok(())
    }

    fn existing_linkage(&self, name: &str) -> Option<Linkage> {
        match self.lookup(name) {
            Some(Ordinary::Global(s)) => Some(self.symbols[s.0 as usize].linkage),
            _ => None,
        }
    }

    /// `typedef struct S T __attribute__((aligned(32)))`: a copy of the record with more alignment.
    fn realigned_record(&mut self, ty: TypeId, align: u64) -> TypeId {
        let Some(r) = self.types.record_of(ty).cloned() else {
            return ty;
        };
        let (rid, nty) = self.types.new_record(r.tag.clone(), r.is_union);
        let rec = &mut self.types.records[rid.0 as usize];
        *rec = r;
        rec.align = align;
        rec.size = align_to(rec.size, align);
        nty
    }

    #[allow(clippy::too_many_arguments)]
    /// The call `f(&name)` of a `cleanup(f)` attribute on the local `name` just declared.
    fn cleanup_call(&mut self, name: &str, f: &str, loc: Loc) -> R<Expr> {
        let Some(Ordinary::Local(local)) = self.lookup(name) else {
            return self.error(loc, "'cleanup' applies to automatic variables only");
        };
        let Some(Ordinary::Global(fsym)) = self.lookup(f) else {
            return self.error(
                loc,
                format!("cleanup function '{f}' is not a declared function"),
            );
        };
        let fty = self.symbols[fsym.0 as usize].ty;
        let Some(ft) = self.types.func_type(fty).cloned() else {
            return self.error(loc, format!("cleanup argument '{f}' is not a function"));
        };
        let lty = self.local_ty(local);
        let lv = Expr::new(ExprKind::Local(local), lty, loc);
        self.mark_addr_taken(&lv);
        let pty = self.types.ptr(lty);
        let arg = Expr::new(ExprKind::AddrOf(Box::new(lv)), pty, loc);
        let arg = match ft.params.first() {
            Some(&p) if ft.params.len() == 1 => {
                self.assign_convert(arg, p, "passing argument to cleanup function")?
            }
            _ => {
                return self.error(
                    loc,
                    format!("cleanup function '{f}' must take one parameter"),
                )
            }
        };
        let callee = Expr::new(ExprKind::Global(fsym), fty, loc);
        let callee = self.rvalue(callee);
        Ok(Expr::new(
            ExprKind::Call {
                callee: Box::new(callee),
                args: vec![arg],
                fty,
            },
            ft.ret,
            loc,
        ))
    }

    // The declaration's parts travel separately because callers split them differently.
    #[allow(clippy::too_many_arguments)]
    fn local_declaration(
        &mut self,
        ds: &DeclSpec,
        attrs: &Attrs,
        name: &str,
        ty: TypeId,
        loc: Loc,
        id: &Node<ast::InitDeclarator>,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        if let Some(prev) = self.scopes.last().and_then(|s| s.names.get(name)) {
            // C11 6.7p3: an identifier with no linkage is declared once per scope.
            let prev = match prev {
                Ordinary::Local(id) => self
                    .f
                    .as_ref()
                    .and_then(|f| f.locals.get(id.0 as usize))
                    .map(|v| v.loc),
                Ordinary::Global(s) => self.symbols.get(s.0 as usize).map(|s| s.loc),
                _ => None,
            };
            return self.redefinition(name, loc, prev);
        }
        // Size computations of VLA types in this declarator run before the declaration.
        out.append(&mut self.pending_vla_sizes);
        if let TypeKind::Vla { .. } = self.types.kind(ty) {
            let size = self.sizeof_expr(ty, loc);
            let local = self.new_local(name, ty, loc, true);
            self.mark_maybe_unused(local, attrs);
            self.bind(name, Ordinary::Local(local));
            if let Some(f) = self.f.as_mut() {
                f.dyn_stack = true;
                f.dyn_scopes += 1;
            }
            out.push(Stmt {
                kind: StmtKind::VlaAlloc { local, size },
                loc,
            });
            if id.node.initializer.is_some() {
                return self.error(loc, "variable-sized object may not be initialized");
            }
            return Ok(());
        }
        let size = self.types.size(ty);
        if size > MAX_STACK_OBJECT {
            let shown = crate::lower::demangle_ident(name);
            let msg = format!("local variable '{shown}' is too large for the stack ({size} bytes; cfree's limit for one object is 4 GiB): make it static or allocate it");
            // Declared all the same (the unit fails at the end of sema), so its uses do not
            // each say "undeclared".
            self.diags.error(loc, msg);
        }
        let local = self.new_local(name, ty, loc, true);
        self.mark_maybe_unused(local, attrs);
        if let (Storage::Register, Some(reg)) = (ds.storage, &attrs.asm_name) {
            self.declare_register_var(local, reg, loc)?;
        }
        if let Some(f) = self.f.as_mut() {
            let l = &mut f.locals[local.0 as usize];
            l.align = l.align.max(attrs.aligned.unwrap_or(1)).max(ds.align);
        }
        let Some(init) = &id.node.initializer else {
            if !self.types.is_complete(ty) {
                return self.error(loc, format!("storage size of '{name}' isn't known"));
            }
            self.bind(name, Ordinary::Local(local));
            return Ok(());
        };
        // The name is in scope inside its own initializer (`int x = sizeof x;`).
        self.bind(name, Ordinary::Local(local));
        let (stmt, new_ty) = self.local_initializer(local, ty, init, loc)?;
        if new_ty != ty {
            if let Some(f) = self.f.as_mut() {
                f.locals[local.0 as usize].ty = new_ty;
                f.locals[local.0 as usize].align = self.types.align(new_ty);
            }
        }
        out.push(stmt);
        Ok(())
    }

    // ---- function definitions -----------------------------------------------------

    pub(super) fn function_definition(&mut self, fd: &Node<ast::FunctionDefinition>) -> R<()> {
        let loc = self.loc(fd.span);
        let ds = self.decl_spec(&fd.node.specifiers, loc)?;
        let mut dd = self.declarator(ds.ty, &fd.node.declarator)?;
        let attrs = merge_attrs(ds.attrs.clone(), std::mem::take(&mut dd.attrs));
        let Some(name) = dd.name.clone() else {
            return self.error(loc, "function definition without a name");
        };
        let Some(fty) = self.types.func_type(dd.ty).cloned() else {
            return self.error(dd.loc, format!("'{name}' is not a function"));
        };
        let mut params = dd.params.take().unwrap_or_default();
        let mut fty = fty;
        if let Some(kr) = dd.kr_names.take() {
            // K&R definition: parameter types come from the declaration list; default int.
            let mut types: HashMap<String, TypeId> = HashMap::new();
            for decl in &fd.node.declarations {
                let dloc = self.loc(decl.span);
                let pds = self.decl_spec(&decl.node.specifiers, dloc)?;
                for idl in &decl.node.declarators {
                    let r = self.declarator(pds.ty, &idl.node.declarator)?;
                    if let Some(n) = r.name {
                        let mut t = r.ty;
                        if let TypeKind::Array(e, _) = self.types.kind(t).clone() {
                            t = self.types.ptr(e);
                        }
                        types.insert(n, t);
                    }
                }
            }
            params = kr
                .into_iter()
                .map(|(n, l)| {
                    let t = types.get(&n).copied().unwrap_or(TypeTable::INT);
                    (Some(n), t, l)
                })
                .collect();
            // The definition itself does not provide a prototype to callers.
            fty.params = params
                .iter()
                .map(|p| {
                    let t = self.types.unqualified(p.1);
                    if t == TypeTable::FLOAT {
                        TypeTable::DOUBLE
                    } else {
                        self.types.promote(t)
                    }
                })
                .collect();
        }
        let linkage = if ds.storage == Storage::Static {
            Linkage::Internal
        } else {
            self.existing_linkage(&name).unwrap_or(Linkage::External)
        };
        let fty_id = self.types.func(fty.clone());
        let sym = self.declare_symbol(
            &name,
            attrs.asm_name.clone(),
            fty_id,
            SymKind::Func,
            linkage,
            dd.loc,
        )?;
        if self.symbols[sym.0 as usize].defined {
            let prev = self.symbols[sym.0 as usize].loc;
            return self.redefinition(&name, dd.loc, Some(prev));
        }
        self.symbols[sym.0 as usize].defined = true;
        if attrs.weak {
            self.symbols[sym.0 as usize].weak = true;
        }
        self.symbol_attrs(sym, &attrs);
        self.inline.definition(sym, &ds, attrs.gnu_inline);
        self.bind(&name, Ordinary::Global(sym));
        if !self.types.is_void(fty.ret) && !self.types.is_complete(fty.ret) {
            return self.error(dd.loc, "function returns an incomplete type");
        }
        let mut ctx = FnCtx::new(name.clone(), fty.ret, fty.variadic);
        ctx.gnu_inline_only =
            ds.inline && attrs.gnu_inline && ds.storage == Storage::Extern && fty.variadic;
        self.f = Some(ctx);
        self.push_scope();
        let mut param_ids = Vec::new();
        let mut kr_converts = Vec::new();
        for (i, (pname, pty, ploc)) in params.iter().enumerate() {
            let pname = pname.clone().unwrap_or_else(|| format!("__param{i}"));
            let passed = fty.params.get(i).copied().unwrap_or(*pty);
            if !fty.has_proto && passed != *pty {
                // A K&R parameter declared `char`/`short`/`float` arrives promoted: receive
                // the promoted value, then convert it into the declared variable.
                let incoming = self.new_local(&format!("__kr_{pname}"), passed, *ploc, false);
                let id = self.new_local(&pname, *pty, *ploc, true);
                self.bind(&pname, Ordinary::Local(id));
                param_ids.push(incoming);
                kr_converts.push(self.kr_param_convert(incoming, passed, id, *pty, *ploc));
                continue;
            }
            let id = self.new_local(&pname, *pty, *ploc, true);
            if self.unused_params.contains(ploc) {
                if let Some(v) = self
                    .f
                    .as_mut()
                    .and_then(|f| f.locals.get_mut(id.0 as usize))
                {
                    v.maybe_unused = true;
                }
            }
            self.bind(&pname, Ordinary::Local(id));
            param_ids.push(id);
        }
        let vla_sizes = self.vla_params(&dd.vla_params, &param_ids);
        // `__func__` is a static array holding the function name.
        let body_result = vla_sizes.and_then(|sizes| {
            self.function_body(&fd.node.statement).map(|body| {
                sizes
                    .into_iter()
                    .chain(kr_converts)
                    .chain(body)
                    .collect::<Vec<_>>()
            })
        });
        self.pop_scope();
        let ctx = self.f.take();
        let body = body_result?;
        let Some(mut ctx) = ctx else { return Err(()) };
        if ctx.forwards_va_pack {
            // The body forwards its `...` with `__builtin_va_arg_pack`, which only means
            // something once inlined into a caller; cfree does not inline, so the unit keeps
            // only the declaration and calls reach the external definition (the library's
            // `printf` for glibc's fortified wrapper), as gcc's out-of-line calls would.
            self.inline.drop_gnu_only(sym);
            self.symbols[sym.0 as usize].defined = false;
            return Ok(());
        }
        self.undefined_labels(&ctx);
        let body = self.finish_frame(&mut ctx, body, dd.loc);
        let end_loc = self.loc(Span::span(fd.span.end.saturating_sub(1), fd.span.end));
        let body_loc = self.loc(fd.node.statement.span);
        let declared = self.inline_hints.get(&name).copied().unwrap_or_default();
        let inline_hint = match (attrs.inline_hint, declared) {
            (InlineHint::Never, _) | (_, InlineHint::Never) => InlineHint::Never,
            (InlineHint::Always, _) | (_, InlineHint::Always) => InlineHint::Always,
            _ => InlineHint::Default,
        };
        let labels: Vec<_> = ctx
            .labels
            .iter()
            .map(|(n, &(id, _, l))| {
                let from_nested = ctx.nonlocal.iter().any(|x| &x.0 == n);
                (n.clone(), id, l, from_nested)
            })
            .collect();
        let func = Function {
            sym,
            name,
            ty: fty_id,
            params: param_ids,
            locals: ctx.locals,
            scopes: ctx.scopes,
            labels: ctx.nlabels,
            body,
            loc: dd.loc,
            start_loc: loc,
            body_loc,
            end_loc,
            calls_setjmp: ctx.calls_setjmp,
            is_variadic: fty.variadic,
            inline: ds.inline,
            label_addrs: ctx.label_addrs,
            dyn_stack: ctx.dyn_stack,
            inline_hint,
        };
        let facts = crate::lint::FunctionFacts {
            f: &func,
            symbols: &self.symbols,
            types: &self.types,
            labels,
        };
        crate::lint::function(&facts, self.diags);
        self.functions.push(func);
        if attrs.constructor || attrs.destructor {
            self.add_ctor_dtor(sym, attrs.constructor);
        }
        Ok(())
    }

    /// Parameters declared with variable array sizes (`int a[n][m]`): their declarators read
    /// again now that the parameters are objects, giving each its real type (a pointer to a
    /// VLA) and the statements computing the sizes at entry, in parameter order (C11
    /// 6.9.1p10), returned to run before the body.
    fn vla_params(
        &mut self,
        decls: &[(usize, Node<ast::ParameterDeclaration>)],
        ids: &[LocalId],
    ) -> R<Vec<Stmt>> {
        for (i, p) in decls {
            let loc = self.loc(p.span);
            let ds = self.decl_spec(&p.node.specifiers, loc)?;
            let Some(d) = &p.node.declarator else {
                continue;
            };
            let dd = self.declarator(ds.ty, d)?;
            let ty = match self.types.kind(dd.ty).clone() {
                TypeKind::Array(e, _) | TypeKind::Vla { elem: e, .. } => self.types.ptr(e),
                _ => dd.ty,
            };
            if let (Some(id), Some(f)) = (ids.get(*i), self.f.as_mut()) {
                f.locals[id.0 as usize].ty = ty;
            }
        }
        Ok(std::mem::take(&mut self.pending_vla_sizes))
    }

    /// `param = (declared) incoming;` for a promoted K&R parameter.
    fn kr_param_convert(
        &mut self,
        incoming: LocalId,
        passed: TypeId,
        param: LocalId,
        declared: TypeId,
        loc: Loc,
    ) -> Stmt {
        let v = self.rvalue(Expr::new(ExprKind::Local(incoming), passed, loc));
        let v = self.convert(v, declared);
        let lhs = Expr::new(ExprKind::Local(param), declared, loc);
        let assign = ExprKind::Assign {
            lhs: Box::new(lhs),
            rhs: Box::new(v),
        };
        Stmt {
            kind: StmtKind::Expr(Expr::new(assign, declared, loc)),
            loc,
        }
    }

    fn function_body(&mut self, body: &Node<ast::Statement>) -> R<Vec<Stmt>> {
        match &body.node {
            ast::Statement::Compound(items) => self.block_items(items),
            _ => {
                let l = self.loc(body.span);
                self.error(l, "expected function body")
            }
        }
    }

    /// Constructors and destructors become entries of `.init_array`/`.fini_array` pseudo-globals.
    fn add_ctor_dtor(&mut self, func: SymId, ctor: bool) {
        let n = self.fresh();
        let name = format!(
            "{}.{}{}",
            if ctor {
                "__cfree_init_array"
            } else {
                "__cfree_fini_array"
            },
            self.symbols[func.0 as usize].name,
            n
        );
        let pty = self.types.ptr(TypeTable::VOID);
        let loc = self.symbols[func.0 as usize].loc;
        if let Ok(sym) =
            self.declare_symbol(&name, None, pty, SymKind::Data, Linkage::Internal, loc)
        {
            self.define_global_storage(
                sym,
                GlobalVar {
                    sym,
                    size: 8,
                    align: 8,
                    init: Some(vec![0; 8]),
                    relocs: vec![(0, func, 0)],
                    readonly: false,
                    thread_local: false,
                    section: Some(if ctor { ".init_array" } else { ".fini_array" }),
                },
            );
        }
    }
}

fn merge_attrs(mut a: Attrs, b: Attrs) -> Attrs {
    a.aligned = match (a.aligned, b.aligned) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    a.packed |= b.packed;
    a.weak |= b.weak;
    a.constructor |= b.constructor;
    a.destructor |= b.destructor;
    a.transparent_union |= b.transparent_union;
    a.gnu_inline |= b.gnu_inline;
    a.returns_twice |= b.returns_twice;
    a.noreturn |= b.noreturn;
    a.unused |= b.unused;
    a.format = b.format.or(a.format);
    if a.inline_hint != InlineHint::Never && b.inline_hint != InlineHint::Default {
        a.inline_hint = b.inline_hint;
    }
    if b.cleanup.is_some() {
        a.cleanup = b.cleanup;
    }
    if b.alias.is_some() {
        a.alias = b.alias;
    }
    if b.asm_name.is_some() {
        a.asm_name = b.asm_name;
    }
    if b.mode.is_some() {
        a.mode = b.mode;
    }
    if b.vector_size.is_some() {
        a.vector_size = b.vector_size;
    }
    a
}

/// The member the lowering pass inserts to carry `__attribute__((packed))`.
fn is_packed_marker(f: &Node<ast::StructField>) -> bool {
    f.node.specifiers.iter().any(|s| {
        matches!(&s.node, ast::SpecifierQualifier::TypeSpecifier(t)
            if matches!(&t.node, ast::TypeSpecifier::TypedefName(id) if id.node.name == crate::lower::PACKED_MARKER))
    })
}

/// Records `volatile` / `_Atomic` (the qualifiers types carry) into `(volatile, atomic)`.
fn add_qual(quals: &mut Quals, q: &ast::TypeQualifier) {
    match q {
        ast::TypeQualifier::Const => quals.konst = true,
        ast::TypeQualifier::Volatile => quals.volatile = true,
        ast::TypeQualifier::Atomic => quals.atomic = true,
        _ => {}
    }
}

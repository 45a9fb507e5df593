//! `-Wformat`: the conversions of a literal `printf`/`scanf` format string against the
//! arguments' types, for the C library's functions (which glibc's headers declare without
//! `format` attributes: gcc knows them as builtins) and for any function declared with
//! `__attribute__((format(printf|scanf, M, N)))`.
//!
//! As gcc without `-Wformat-signedness`, `%d` accepts `unsigned int` and `%u` accepts `int`;
//! what must agree is the integer rank (`long` is not `long long`, even where both are 64 bits)
//! and the kind of value (integer, floating, pointer).

use super::*;
use crate::types::IntKind;
use crate::warnings::Warning;
use lang_c::span::Node;

/// printf or scanf conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FormatStyle {
    Printf,
    Scanf,
}

/// (style, 1-based index of the format, 1-based index of the first checked argument; 0 when
/// the arguments come as a `va_list`).
pub(super) type FormatSpec = (FormatStyle, usize, usize);

/// The C library's format functions, as gcc knows them.
pub(super) fn library_format(name: &str) -> Option<FormatSpec> {
    use FormatStyle::*;
    Some(match name {
        "printf" => (Printf, 1, 2),
        "fprintf" | "sprintf" | "dprintf" | "asprintf" => (Printf, 2, 3),
        "snprintf" => (Printf, 3, 4),
        "vprintf" => (Printf, 1, 0),
        "vfprintf" | "vsprintf" | "vdprintf" | "vasprintf" => (Printf, 2, 0),
        "vsnprintf" => (Printf, 3, 0),
        "__printf_chk" => (Printf, 2, 3),
        "__fprintf_chk" => (Printf, 3, 4),
        "__sprintf_chk" => (Printf, 4, 5),
        "__snprintf_chk" => (Printf, 5, 6),
        "scanf" => (Scanf, 1, 2),
        "fscanf" | "sscanf" => (Scanf, 2, 3),
        "vscanf" => (Scanf, 1, 0),
        "vfscanf" | "vsscanf" => (Scanf, 2, 0),
        _ => return None,
    })
}

/// What a conversion takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// An integer of this rank (signedness not checked); the name is gcc's spelling.
    Int(Rank, &'static str),
    Double(&'static str),
    LongDouble,
    /// `%s`: a pointer to a character type.
    CharPtr,
    /// `%p`: any object pointer.
    AnyPtr,
    /// scanf: a pointer to an integer of this rank.
    IntPtr(Rank, &'static str),
    FloatPtr(TypeId, &'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rank {
    Char,
    Short,
    Int,
    Long,
    LongLong,
}

fn rank(k: IntKind) -> Option<Rank> {
    use IntKind::*;
    Some(match k {
        Bool | Char | SChar | UChar => Rank::Char,
        Short | UShort => Rank::Short,
        Int | UInt => Rank::Int,
        Long | ULong => Rank::Long,
        LongLong | ULongLong => Rank::LongLong,
        Int128 | UInt128 => return None,
    })
}

/// One conversion of a format: its text (`%ld`), whether `*` width/precision take `int`s
/// before it, and what it takes (`None` for `%%` and `%m`).
struct Conv {
    text: String,
    stars: usize,
    want: Option<Want>,
}

enum Parsed {
    Convs(Vec<Conv>),
    /// A problem gcc reports (unknown conversion, trailing `%`), after the conversions before
    /// it.
    Bad(Vec<Conv>, String),
    /// Something this check does not model (`%1$d` positional arguments): no warnings.
    Skip,
}

fn parse(fmt: &str, style: FormatStyle) -> Parsed {
    let b = fmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if i >= b.len() {
            return Parsed::Bad(out, "spurious trailing '%' in format".into());
        }
        if b[i] == b'%' {
            i += 1;
            continue;
        }
        let mut stars = 0;
        let mut suppress = false;
        if style == FormatStyle::Scanf && b[i] == b'*' {
            suppress = true;
            i += 1;
        }
        while i < b.len() && b"-+ #0'I".contains(&b[i]) && style == FormatStyle::Printf {
            i += 1;
        }
        let digits_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i] == b'$' && i > digits_start {
            return Parsed::Skip;
        }
        if i < b.len() && b[i] == b'*' && style == FormatStyle::Printf {
            stars += 1;
            i += 1;
        }
        if i < b.len() && b[i] == b'.' && style == FormatStyle::Printf {
            i += 1;
            if i < b.len() && b[i] == b'*' {
                stars += 1;
                i += 1;
            }
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let len_start = i;
        while i < b.len() && b"hlLqjzZt".contains(&b[i]) {
            i += 1;
        }
        let len = &fmt[len_start..i];
        let Some(&c) = b.get(i) else {
            return Parsed::Bad(out, "conversion lacks type at end of format".into());
        };
        i += 1;
        if c == b'[' && style == FormatStyle::Scanf {
            // A scan set: up to the closing bracket (a `]` right after `[` or `[^` is in it).
            if b.get(i) == Some(&b'^') {
                i += 1;
            }
            if b.get(i) == Some(&b']') {
                i += 1;
            }
            while i < b.len() && b[i] != b']' {
                i += 1;
            }
            i += 1;
        }
        let text = fmt[start..i.min(fmt.len())].to_string();
        let want = match style {
            FormatStyle::Printf => printf_want(c, len),
            FormatStyle::Scanf => scanf_want(c, len),
        };
        let want = match want {
            Ok(w) => w,
            Err(()) if c.is_ascii() && !c.is_ascii_control() => {
                let m = format!(
                    "unknown conversion type character '{}' in format",
                    c as char
                );
                return Parsed::Bad(out, m);
            }
            Err(()) => return Parsed::Skip,
        };
        let want = if suppress { None } else { want };
        out.push(Conv { text, stars, want });
    }
    Parsed::Convs(out)
}

fn int_of(len: &str, signed: bool) -> Result<Want, ()> {
    Ok(match (len, signed) {
        ("", true) | ("hh", true) | ("h", true) => Want::Int(Rank::Int, "int"),
        ("", false) | ("hh", false) | ("h", false) => Want::Int(Rank::Int, "unsigned int"),
        ("l", true) => Want::Int(Rank::Long, "long int"),
        ("l", false) => Want::Int(Rank::Long, "long unsigned int"),
        ("ll" | "q" | "L", true) => Want::Int(Rank::LongLong, "long long int"),
        ("ll" | "q" | "L", false) => Want::Int(Rank::LongLong, "long long unsigned int"),
        ("j", true) => Want::Int(Rank::Long, "intmax_t"),
        ("j", false) => Want::Int(Rank::Long, "uintmax_t"),
        ("z" | "Z", true) => Want::Int(Rank::Long, "ssize_t"),
        ("z" | "Z", false) => Want::Int(Rank::Long, "size_t"),
        ("t", _) => Want::Int(Rank::Long, "ptrdiff_t"),
        _ => return Err(()),
    })
}

fn printf_want(c: u8, len: &str) -> Result<Option<Want>, ()> {
    Ok(Some(match c {
        b'd' | b'i' => int_of(len, true)?,
        b'o' | b'u' | b'x' | b'X' => int_of(len, false)?,
        b'c' if len.is_empty() => Want::Int(Rank::Int, "int"),
        b'c' if len == "l" => Want::Int(Rank::Int, "wint_t"),
        b's' if len.is_empty() => Want::CharPtr,
        b'p' if len.is_empty() => Want::AnyPtr,
        b'n' => Want::AnyPtr,
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => match len {
            "" | "l" => Want::Double("double"),
            "L" => Want::LongDouble,
            _ => return Err(()),
        },
        b'm' => return Ok(None),
        _ => return Err(()),
    }))
}

fn scanf_want(c: u8, len: &str) -> Result<Option<Want>, ()> {
    let ptr = |w: Want| match w {
        Want::Int(r, n) => Want::IntPtr(
            r,
            match n {
                "int" => "int *",
                "unsigned int" => "unsigned int *",
                "long int" => "long int *",
                "long unsigned int" => "long unsigned int *",
                "long long int" => "long long int *",
                "long long unsigned int" => "long long unsigned int *",
                _ => "integer pointer",
            },
        ),
        other => other,
    };
    let int_rank = |len: &str, signed| -> Result<Want, ()> {
        Ok(match len {
            "hh" => Want::IntPtr(
                Rank::Char,
                if signed {
                    "signed char *"
                } else {
                    "unsigned char *"
                },
            ),
            "h" => Want::IntPtr(
                Rank::Short,
                if signed {
                    "short int *"
                } else {
                    "short unsigned int *"
                },
            ),
            _ => ptr(int_of(len, signed)?),
        })
    };
    Ok(Some(match c {
        b'd' | b'i' => int_rank(len, true)?,
        b'o' | b'u' | b'x' | b'X' => int_rank(len, false)?,
        b'c' | b's' | b'[' if len.is_empty() => Want::CharPtr,
        b'p' => Want::AnyPtr,
        b'n' => int_rank(len, true)?,
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => match len {
            "" => Want::FloatPtr(TypeTable::FLOAT, "float *"),
            "l" => Want::FloatPtr(TypeTable::DOUBLE, "double *"),
            "L" => Want::FloatPtr(TypeTable::LDOUBLE, "long double *"),
            _ => return Err(()),
        },
        _ => return Err(()),
    }))
}

impl Sema<'_> {
    /// Checks a call's format string. `args` are the converted arguments (variadic ones
    /// promoted), `ast_args` the arguments as written.
    pub(super) fn check_format(
        &mut self,
        spec: FormatSpec,
        ast_args: &[Node<ast::Expression>],
        args: &[Expr],
    ) {
        let (style, fmt_at, first) = spec;
        if !self.diags.wants(Warning::Format) || fmt_at == 0 {
            return;
        }
        let Some(fmt_node) = ast_args.get(fmt_at - 1) else {
            return;
        };
        let floc = self.loc(fmt_node.span);
        let ast::Expression::StringLiteral(s) = &fmt_node.node else {
            return;
        };
        if s.node.iter().any(|p| !p.starts_with('"')) {
            return; // wide or prefixed literals
        }
        let text = lit::string_literal_text(&s.node);
        let convs = match parse(&text, style) {
            Parsed::Skip => return,
            Parsed::Bad(c, m) => {
                // gcc goes on to check the arguments of the conversions before the problem.
                self.warn_w(Warning::Format, floc, m);
                c
            }
            Parsed::Convs(c) => c,
        };
        if first == 0 {
            return;
        }
        let mut next = first - 1;
        for c in &convs {
            for _ in 0..c.stars {
                let w = Want::Int(Rank::Int, "int");
                if !self.format_arg(&c.text, w, args.get(next), next + 1, floc) {
                    return;
                }
                next += 1;
            }
            let Some(w) = c.want else { continue };
            if !self.format_arg(&c.text, w, args.get(next), next + 1, floc) {
                return;
            }
            next += 1;
        }
        if next < args.len() && self.diags.wants(Warning::FormatExtraArgs) {
            self.warn_w(
                Warning::FormatExtraArgs,
                floc,
                "too many arguments for format",
            );
        }
    }

    /// Checks one argument; false when it is missing (the rest is not checked).
    fn format_arg(&mut self, conv: &str, w: Want, arg: Option<&Expr>, n: usize, loc: Loc) -> bool {
        let Some(arg) = arg else {
            let m = format!(
                "format '{conv}' expects a matching '{}' argument",
                want_name(w)
            );
            self.warn_w(Warning::Format, loc, m);
            return false;
        };
        if !self.format_accepts(w, arg.ty) {
            let m = format!(
                "format '{conv}' expects argument of type '{}', but argument {n} has type '{}'",
                want_name(w),
                self.types.display(arg.ty)
            );
            self.warn_w(Warning::Format, loc, m);
        }
        true
    }

    fn int_rank(&self, t: TypeId) -> Option<Rank> {
        match self.types.kind(self.types.unqualified(t)) {
            TypeKind::Int(k) => rank(*k),
            TypeKind::Enum { base, .. } => self.int_rank(*base),
            _ => None,
        }
    }

    fn format_accepts(&self, w: Want, t: TypeId) -> bool {
        let t = self.types.unqualified(t);
        let pointee = self.types.pointee(t).map(|p| self.types.unqualified(p));
        match w {
            // Promotion made `char` and `short` `int`.
            Want::Int(r, _) => self.int_rank(t).is_some_and(|a| {
                a == r || (r == Rank::Int && matches!(a, Rank::Char | Rank::Short))
            }),
            Want::Double(_) => t == TypeTable::DOUBLE || t == TypeTable::FLOAT,
            Want::LongDouble => t == TypeTable::LDOUBLE,
            Want::CharPtr => pointee.is_some_and(|p| self.int_rank(p) == Some(Rank::Char)),
            Want::AnyPtr => self.types.is_pointer(t),
            Want::IntPtr(r, _) => pointee.is_some_and(|p| self.int_rank(p) == Some(r)),
            Want::FloatPtr(f, _) => pointee == Some(f),
        }
    }
}

fn want_name(w: Want) -> &'static str {
    match w {
        Want::Int(_, n) | Want::Double(n) | Want::IntPtr(_, n) | Want::FloatPtr(_, n) => n,
        Want::LongDouble => "long double",
        Want::CharPtr => "char *",
        Want::AnyPtr => "void *",
    }
}

//! Token-level lowering between the preprocessor and lang-c.
//!
//! lang-c parses C11 with many GNU extensions but not all the C that real programs (and gcc's
//! test suite) contain. Each rewrite here turns one such construct into a form lang-c parses
//! and sema understands, keeping token locations so diagnostics still point at the source:
//!
//! - implicit `int` (`main() {`, `static x;`, `f(a) int a; {`): insert `int`;
//! - `__int128` / `unsigned __int128`: reserved typedef names declared in a prelude;
//! - `__thread` → `_Thread_local`, `__float128` → `_Float128`, `1.5q` → `1.5f128`;
//! - statement attributes (`__attribute__((fallthrough));`): dropped;
//! - file-scope `asm("...");` → `extern int __cfree_file_asm_N asm("...");` (sema collects
//!   the text); `asm inline` → `asm`; `asm goto (... : labels)` → `asm volatile` with the
//!   labels as pseudo-clobbers ([`ASM_GOTO_LABEL`]); a malformed one → a marker sema reports.
//! - `__real__ x` / `__imag__ x` → `__cfree_real(x)` / `__cfree_imag(x)` (`lower/complex.rs`);
//! - GNU labels as values: `&&label` → `__cfree_label_addr(label)` and `goto *e;` →
//!   `__cfree_goto(e);`, two pseudo-builtins sema turns into `LabelAddr` / `GotoIndirect`;
//!   `__label__ a;` → `__cfree_local_label(a);` (labels keep function scope).
//! - GNU nested function definitions: the body moves into a marker attribute of a
//!   declaration (`nested.rs`), which sema turns into a function with a static chain.
//!
//! A `;` at the very start of a unit (which lang-c rejects) cannot occur: [`PRELUDE`] comes first.

mod complex;
mod names;
mod nested;
pub use complex::{IMAG_PART, REAL_PART};
pub use names::demangle as demangle_ident;
pub use nested::NESTED_MARKER;

use crate::pp::{PpStr, TokKind, Token};

/// Declarations lang-c must see so that the reserved type names parse as typedef names.
/// Sema binds these names to the real types and ignores the declarations themselves.
pub const PRELUDE: &str =
    "typedef long __cfree_int128; typedef unsigned long __cfree_uint128; typedef int __cfree_packed_marker;\n";

/// The typedef names [`PRELUDE`] declares (sema skips those declarations).
pub const PRELUDE_TYPEDEFS: &[&str] =
    &["__cfree_int128", "__cfree_uint128", "__cfree_packed_marker"];

/// The pseudo-builtin a `__label__` declaration becomes (its arguments: the label names).
pub const LOCAL_LABEL_MARKER: &str = "__cfree_local_label";

/// Names of the declarations that carry file-scope asm text (sema collects them).
pub const FILE_ASM_PREFIX: &str = "__cfree_file_asm_";

/// Identifier (an expression statement) a malformed `asm goto` statement is replaced by, so
/// sema reports it at its location.
pub const ASM_GOTO_MARKER: &str = "__cfree_asm_goto";

/// Prefix of the pseudo-clobbers that carry an `asm goto`'s labels (lang-c has no label list).
pub const ASM_GOTO_LABEL: &str = "__cfree_goto_label:";

/// `asm goto ("t" : outs : ins : clobbers : l1, l2)` (the group from `open` to `end`) as
/// `__asm__ __volatile__ ("t" : outs : ins : clobbers, "<ASM_GOTO_LABEL>l1", ...)`.
fn asm_goto_as_clobbers(toks: &[Token], open: usize, end: usize) -> Option<Vec<Token>> {
    let t = &toks[open];
    let inner = toks.get(open + 1..end.checked_sub(1)?)?;
    let mut depth = 0i32;
    let colons: Vec<usize> = inner
        .iter()
        .enumerate()
        .filter_map(|(k, x)| {
            if is(x, "(") || is(x, "[") {
                depth += 1;
            } else if is(x, ")") || is(x, "]") {
                depth -= 1;
            }
            (depth == 0 && is(x, ":")).then_some(k)
        })
        .collect();
    let [.., c3, c4] = colons[..] else {
        return None;
    };
    if colons.len() != 4 {
        return None;
    }
    let mut labels = Vec::new();
    for (k, x) in inner[c4 + 1..].iter().enumerate() {
        match (k % 2, x.kind) {
            (0, TokKind::Ident) => labels.push(x),
            (1, _) if is(x, ",") => {}
            _ => return None,
        }
    }
    let mut out = vec![synth(t, "__asm__"), synth(t, "__volatile__"), punct(t, "(")];
    out.extend(inner[..c4].iter().cloned());
    let has_clobbers = c4 > c3 + 1;
    for (k, l) in labels.into_iter().enumerate() {
        if k > 0 || has_clobbers {
            out.push(punct(t, ","));
        }
        let mut s = synth(l, &format!("\"{ASM_GOTO_LABEL}{}\"", l.text));
        s.kind = TokKind::StrLit;
        out.push(s);
    }
    out.push(punct(t, ")"));
    Some(out)
}

/// Identifier standing for the omitted middle operand of GNU `x ?: y`.
pub const OMITTED_OPERAND: &str = "__cfree_omitted_operand";

fn is_asm_word(t: &Token) -> bool {
    is(t, "asm") || is(t, "__asm__") || is(t, "__asm")
}

/// Rewrites an `asm` keyword at `toks[i]` if lang-c cannot parse its form. Returns the
/// index to continue at, or `None` to treat the token normally.
fn lower_asm(
    toks: &[Token],
    i: usize,
    file_scope: bool,
    nfile_asm: &mut u32,
    out: &mut Vec<Token>,
) -> Option<usize> {
    let t = &toks[i];
    let mut j = i + 1;
    let mut goto = false;
    let mut dropped = false;
    while let Some(q) = toks.get(j) {
        if is(q, "goto") {
            goto = true;
        } else if is(q, "inline") || is(q, "__inline") || is(q, "__inline__") {
            dropped = true;
        } else if !is_storage_word(q) {
            break;
        }
        j += 1;
    }
    if !toks.get(j).is_some_and(|p| is(p, "(")) {
        return None;
    }
    let end = skip_parens(toks, j);
    if goto {
        match asm_goto_as_clobbers(toks, j, end) {
            Some(rewritten) => out.extend(rewritten),
            None => out.push(synth(t, ASM_GOTO_MARKER)),
        }
        return Some(end);
    }
    if file_scope {
        out.push(synth(t, "extern"));
        out.push(synth(t, "int"));
        out.push(synth(t, &format!("{FILE_ASM_PREFIX}{nfile_asm}")));
        *nfile_asm += 1;
        out.push(t.clone());
        out.extend(toks[j..end].iter().cloned());
        return Some(end);
    }
    // lang-c reads `asm("...");` (no operands) as a call to a function named `asm`.
    let keyword = synth(t, "__asm__");
    if !dropped {
        out.push(keyword);
        return Some(i + 1);
    }
    out.push(keyword);
    out.extend(
        toks[i + 1..j]
            .iter()
            .filter(|q| !is(q, "inline") && !is(q, "__inline") && !is(q, "__inline__"))
            .cloned(),
    );
    out.extend(toks[j..end].iter().cloned());
    Some(end)
}

/// The member inserted into a struct body to carry a `packed` attribute lang-c would drop.
pub const PACKED_MARKER: &str = "__cfree_packed_marker";

/// Storage classes and the qualifiers after which a declaration's implicit `int` may still
/// come (`static x;`, `const y = 1;`).
const STORAGE_WORDS: &[&str] = &[
    "static",
    "extern",
    "auto",
    "register",
    "const",
    "volatile",
    "inline",
    "__inline",
    "__inline__",
    "_Noreturn",
    "_Thread_local",
    "__thread",
    "__const",
    "__volatile__",
    "__volatile",
];

/// Type words beyond the basic types (`keywords::BASIC_TYPES`).
const OTHER_TYPE_WORDS: &[&str] = &[
    "struct",
    "union",
    "enum",
    "__cfree_int128",
    "__cfree_uint128",
    "typeof",
    "__typeof__",
    "__typeof",
    "__builtin_va_list",
    "_Atomic",
];

fn is(t: &Token, s: &str) -> bool {
    t.kind != TokKind::StrLit && t.kind != TokKind::CharLit && &*t.text == s
}

/// `1.5q` → `1.5f128`: a floating constant (decimal with a `.` or exponent, or hexadecimal
/// with a `p` exponent) whose suffix is GNU's `q`/`Q`.
fn quad_suffix(text: &str) -> Option<String> {
    let body = text.strip_suffix(['q', 'Q'])?;
    let lower = body.to_ascii_lowercase();
    let floating = if let Some(h) = lower.strip_prefix("0x") {
        h.contains('p')
    } else {
        lower.contains('.') || lower.contains('e')
    };
    let digits_ok = body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (floating && digits_ok).then(|| format!("{body}f128"))
}

fn synth(like: &Token, text: &str) -> Token {
    Token {
        kind: TokKind::Ident,
        text: PpStr::new(text),
        loc: like.loc,
        leading_space: true,
        line_start: false,
    }
}

/// Index of the token after the parenthesised group starting at `open` (which is `(`).
fn skip_parens(toks: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < toks.len() {
        if is(&toks[i], "(") {
            depth += 1;
        } else if is(&toks[i], ")") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

fn is_type_word(t: &Token) -> bool {
    t.kind == TokKind::Ident
        && (crate::keywords::BASIC_TYPES.contains(&&*t.text)
            || OTHER_TYPE_WORDS.contains(&&*t.text))
}

fn is_attribute_word(t: &Token) -> bool {
    is(t, "__attribute__") || is(t, "__attribute")
}

/// When `toks[close]` is the `)` ending `__attribute__((...))`, the index of its
/// `__attribute__`.
fn attribute_group_start(toks: &[Token], close: usize) -> Option<usize> {
    if !is(toks.get(close)?, ")") {
        return None;
    }
    let mut depth = 0usize;
    for k in (0..=close).rev() {
        if is(&toks[k], ")") {
            depth += 1;
        } else if is(&toks[k], "(") {
            depth -= 1;
            if depth == 0 {
                let a = k.checked_sub(1)?;
                return is_attribute_word(&toks[a]).then_some(a);
            }
        }
    }
    None
}

fn is_storage_word(t: &Token) -> bool {
    t.kind == TokKind::Ident && STORAGE_WORDS.contains(&&*t.text)
}

/// Rewrites a token stream for lang-c. `typedef_names` are names declared by `typedef` so
/// far (tracked here with a simple scan, enough to tell `T x;` from implicit-int `x;`).
pub fn lower(toks: Vec<Token>) -> Vec<Token> {
    // `__attribute` is another spelling of `__attribute__`, the only one lang-c knows.
    let toks: Vec<Token> = toks
        .into_iter()
        .map(|t| {
            if is(&t, "__attribute") {
                let mut nt = t;
                nt.text = PpStr::new("__attribute__");
                nt
            } else {
                t
            }
        })
        .collect();
    let mut out: Vec<Token> = Vec::with_capacity(toks.len() + 16);
    let mut typedefs: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut depth = 0i32; // brace depth
    let mut paren = 0i32;
    let n = toks.len();
    let mut i = 0;
    // `at_decl_start`: the previous significant token ends a declaration or statement.
    let mut at_start = true;
    // The `)` closing an `__attribute__((...))` that began a declaration: the declaration
    // still starts after it (`__attribute__((noinline)) f(int c) {` has implicit int).
    let mut attr_close: Option<usize> = None;
    let mut pending_packed = false;
    // An `aligned` attribute seen after `struct`, re-emitted after the body's `}`.
    let mut pending_attr: Option<Vec<Token>> = None;
    let mut attr_depth: Option<i32> = None;
    let mut nfile_asm = 0u32;
    // Paren depths at which an `_Alignof(__typeof__(` rewrite needs its extra `)`.
    let mut alignof_close: Vec<i32> = Vec::new();
    // Paren levels at which a `__cfree_goto(` opened for `goto *e;` closes (at its `;`).
    let mut goto_close: Vec<i32> = Vec::new();
    // Token indices before which a `__cfree_real(` / `__cfree_imag(` closes (innermost last).
    let mut part_close: Vec<usize> = Vec::new();
    while i < n {
        while part_close.last().is_some_and(|&e| e <= i) {
            part_close.pop();
            out.push(punct(&toks[i], ")"));
        }
        let t = &toks[i];
        // `&&label` in operand position (GNU labels as values).
        if is(t, "&&")
            && i + 1 < n
            && toks[i + 1].kind == TokKind::Ident
            && !after_operand(&out, &typedefs)
        {
            out.push(synth(t, "__cfree_label_addr"));
            out.push(punct(t, "("));
            out.push(toks[i + 1].clone());
            out.push(punct(t, ")"));
            i += 2;
            at_start = false;
            continue;
        }
        // `__label__ a, b;` (GNU local labels): the labels keep function scope. Valid code
        // means the same; two blocks reusing a local label name get a located "duplicate
        // label" error from sema rather than a wrong jump. The declaration becomes the
        // pseudo-builtin statement `__cfree_local_label(a, b);`, which only tells sema where
        // the names were declared (nested functions take `&&a` of an enclosing function's
        // label through it).
        let after_brace = out.last().is_some_and(|p| is(p, "{") || is(p, ";"));
        if is(t, "__label__") && (at_start || after_brace) {
            let mut j = i + 1;
            while j < n && (toks[j].kind == TokKind::Ident || is(&toks[j], ",")) {
                j += 1;
            }
            if j < n && is(&toks[j], ";") {
                out.push(synth(t, LOCAL_LABEL_MARKER));
                out.push(punct(t, "("));
                out.extend(toks[i + 1..j].iter().cloned());
                out.push(punct(t, ")"));
                out.push(toks[j].clone());
                i = j + 1;
                at_start = true;
                continue;
            }
        }
        // `goto *e;` (computed goto): `__cfree_goto(e);`, closed at the statement's `;`.
        if is(t, "goto") && i + 1 < n && is(&toks[i + 1], "*") {
            out.push(synth(t, "__cfree_goto"));
            out.push(punct(t, "("));
            paren += 1;
            goto_close.push(paren);
            i += 2;
            at_start = false;
            continue;
        }
        if is(t, ";") && goto_close.last() == Some(&paren) {
            goto_close.pop();
            out.push(punct(t, ")"));
            paren -= 1;
        }
        // `x ?: y` (GNU): a marker for the omitted operand; sema evaluates `x` once.
        if is(t, "?") && toks.get(i + 1).is_some_and(|x| is(x, ":")) {
            out.push(t.clone());
            out.push(synth(t, OMITTED_OPERAND));
            at_start = false;
            i += 1;
            continue;
        }
        // `__extension__` only silences pedantic warnings; lang-c rejects it before a cast.
        if is(t, "__extension__") {
            i += 1;
            continue;
        }
        // `__alignof__(expr)`: lang-c only parses the type form; `typeof` accepts both.
        if is_alignof_word(t)
            && toks.get(i + 1).is_some_and(|x| is(x, "("))
            && toks
                .get(i + 2)
                .is_some_and(|x| !starts_type_name(x, &typedefs))
        {
            out.push(synth(t, "_Alignof"));
            out.push(punct(t, "("));
            out.push(synth(t, "__typeof__"));
            alignof_close.push(paren);
            at_start = false;
            i += 1;
            continue;
        }
        // `(T){}`: the empty initializer of a compound literal (C23, GNU); lang-c accepts
        // `= {}` but not this form. `{0}` initializes the same way.
        if is(t, "{")
            && toks.get(i + 1).is_some_and(|x| is(x, "}"))
            && ends_with_type_paren(&out, &typedefs)
        {
            out.push(t.clone());
            let mut zero = synth(t, "0");
            zero.kind = TokKind::Number;
            out.push(zero);
            depth += 1; // the `}` ahead closes it
            at_start = false;
            i += 1;
            continue;
        }
        if is_asm_word(t) && paren == 0 && (depth > 0 || at_start) {
            if let Some(next) = lower_asm(&toks, i, depth == 0, &mut nfile_asm, &mut out) {
                i = next;
                at_start = false;
                continue;
            }
        }
        // GNU `1.5q` / `1.5Q`: a `__float128` constant, spelled `f128` for lang-c.
        if t.kind == TokKind::Number {
            if let Some(f) = quad_suffix(&t.text) {
                let mut nt = t.clone();
                nt.text = PpStr::new(&f);
                out.push(nt);
                at_start = false;
                i += 1;
                continue;
            }
        }
        // `$`, UTF-8 and UCNs in identifiers, `\u` escapes in literals.
        if t.kind == TokKind::Ident {
            if let Some(m) = names::mangle(&t.text) {
                let mut nt = t.clone();
                nt.text = PpStr::new(&m);
                out.push(nt);
                at_start = false;
                i += 1;
                continue;
            }
        }
        if t.kind == TokKind::StrLit || t.kind == TokKind::CharLit {
            if let Some(r) = names::rewrite_literal(&t.text) {
                let mut nt = t.clone();
                nt.text = PpStr::new(&replace_escape_e(&r));
                out.push(nt);
                at_start = false;
                i += 1;
                continue;
            }
        }
        // `\e` (GNU escape for ESC) in literals: lang-c only knows the standard escapes.
        if (t.kind == TokKind::StrLit || t.kind == TokKind::CharLit) && t.text.contains("\\e") {
            let mut nt = t.clone();
            nt.text = PpStr::new(&replace_escape_e(&t.text));
            out.push(nt);
            at_start = false;
            i += 1;
            continue;
        }
        // `__real__ x`, `__imag__ x` → `__cfree_real(x)`, `__cfree_imag(x)`; the `)` is
        // emitted when the loop reaches the end of the operand.
        if let Some(name) = complex::part_builtin(t) {
            let end = complex::operand_end(&toks, i + 1, &typedefs);
            out.push(synth(t, name));
            out.push(punct(t, "("));
            part_close.push(end);
            i += 1;
            at_start = false;
            continue;
        }
        // `sizeof (T){...}`: lang-c reads `sizeof(T)` and stops at `{`; parenthesise the literal.
        if is(t, "sizeof") && i + 1 < n && is(&toks[i + 1], "(") {
            let close = skip_parens(toks.as_slice(), i + 1);
            if close < n && is(&toks[close], "{") {
                let end = skip_braces(toks.as_slice(), close);
                out.push(t.clone());
                out.push(punct(t, "("));
                out.extend(lower(toks[i + 1..end].to_vec()));
                out.push(punct(t, ")"));
                i = end;
                at_start = false;
                continue;
            }
        }
        // `__builtin_types_compatible_p(T1, T2)` → a builtin over two pointer expressions whose
        // pointee types are the two type names (`typeof` accepts any type name).
        if is(t, "__builtin_types_compatible_p") && i + 1 < n && is(&toks[i + 1], "(") {
            let close = skip_parens(toks.as_slice(), i + 1);
            if let Some(comma) = top_level_comma(&toks[i + 2..close.saturating_sub(1)]) {
                let (a, c) = (&toks[i + 2..i + 2 + comma], &toks[i + 3 + comma..close - 1]);
                out.push(synth(t, "__cfree_types_compatible"));
                out.push(punct(t, "("));
                for (k, ty) in [a, c].into_iter().enumerate() {
                    if k == 1 {
                        out.push(punct(t, ","));
                    }
                    out.push(punct(t, "("));
                    // `typeof(typeof(x))` does not parse in lang-c: a `typeof` operand is
                    // a type name as it stands.
                    let bare = ty.len() > 1 && (is(&ty[0], "typeof") || is(&ty[0], "__typeof__"));
                    if !bare {
                        out.push(synth(t, "__typeof__"));
                        out.push(punct(t, "("));
                    }
                    out.extend(ty.iter().cloned());
                    if !bare {
                        out.push(punct(t, ")"));
                    }
                    out.push(punct(t, "*"));
                    out.push(punct(t, ")"));
                    out.push(number(t, "0"));
                }
                out.push(punct(t, ")"));
                i = close;
                at_start = false;
                continue;
            }
        }
        // `__builtin_convertvector(e, T)` → `__cfree_convertvector(e, (T *)0)`: the type
        // (a vector type name) travels as the pointee of a null pointer.
        if is(t, "__builtin_convertvector") && toks.get(i + 1).is_some_and(|x| is(x, "(")) {
            let close = skip_parens(toks.as_slice(), i + 1);
            let inner = &toks[i + 2..close.saturating_sub(1).max(i + 2)];
            if let Some(comma) = last_top_level_comma(inner) {
                out.push(synth(t, "__cfree_convertvector"));
                out.push(punct(t, "("));
                out.extend(lower(inner[..comma].to_vec()));
                out.extend([",", "("].map(|p| punct(t, p)));
                out.extend(inner[comma + 1..].iter().cloned());
                out.extend(["*", ")"].map(|p| punct(t, p)));
                out.push(number(t, "0"));
                out.push(punct(t, ")"));
                i = close;
                at_start = false;
                continue;
            }
        }
        // `__auto_type x = e` → `__typeof__(e) x = e` (typeof does not evaluate e).
        if is(t, "__auto_type")
            && i + 2 < n
            && toks[i + 1].kind == TokKind::Ident
            && is(&toks[i + 2], "=")
        {
            let start = i + 3;
            let mut j = start;
            let mut d = 0i32;
            while j < n {
                let x = &toks[j];
                if is(x, "(") || is(x, "[") || is(x, "{") {
                    d += 1;
                } else if is(x, ")") || is(x, "]") || is(x, "}") {
                    d -= 1;
                } else if d == 0 && (is(x, ";") || is(x, ",")) {
                    break;
                }
                j += 1;
            }
            let init = lower(toks[start..j].to_vec());
            out.push(synth(t, "__typeof__"));
            out.push(punct(t, "("));
            out.extend(init.iter().cloned());
            out.push(punct(t, ")"));
            out.push(toks[i + 1].clone());
            out.push(toks[i + 2].clone());
            out.extend(init);
            i = j;
            at_start = false;
            continue;
        }
        // `struct s { ... } static g;`: a storage class after a struct body, which lang-c
        // only takes at the start, moves before the `struct` keyword (specifiers may come in
        // any order).
        if is_storage_class(t) && out.last().is_some_and(|p| is(p, "}")) {
            if let Some(kw) = struct_body_open(&out).and_then(|open| record_keyword(&out, open)) {
                out.insert(kw, t.clone());
                at_start = false;
                i += 1;
                continue;
            }
        }
        // `__int128` and friends.
        if t.kind == TokKind::Ident {
            match &*t.text {
                "__int128" | "__int128_t" => {
                    let unsigned = out.last().is_some_and(|p| is(p, "unsigned"));
                    let signed = out.last().is_some_and(|p| is(p, "signed"));
                    if unsigned || signed {
                        out.pop();
                    }
                    out.push(synth(
                        t,
                        if unsigned {
                            "__cfree_uint128"
                        } else {
                            "__cfree_int128"
                        },
                    ));
                    i += 1;
                    at_start = false;
                    continue;
                }
                "__uint128_t" => {
                    out.push(synth(t, "__cfree_uint128"));
                    i += 1;
                    at_start = false;
                    continue;
                }
                "__thread" => {
                    out.push(synth(t, "_Thread_local"));
                    i += 1;
                    continue;
                }
                "__float128" => {
                    out.push(synth(t, "_Float128"));
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        // `(int (__attribute__((noinline)) *)(void))`: lang-c rejects an attribute at the
        // start of a parenthesised (abstract) declarator. One made only of hints, which
        // change nothing, is dropped; any other stays and is a syntax error, never ignored.
        if (is(t, "__attribute__") || is(t, "__attribute"))
            && out.last().is_some_and(|p| is(p, "("))
            && toks.get(i + 1).is_some_and(|x| is(x, "("))
        {
            let end = skip_parens(toks.as_slice(), i + 1);
            let declarator_follows = toks
                .get(end)
                .is_some_and(|x| is(x, "*") || is(x, "(") || is(x, "["));
            if declarator_follows && only_hint_attributes(&toks[i + 1..end]) {
                i = end;
                continue;
            }
        }
        // `struct __attribute__((packed)) S {` and `} __attribute__((packed))`: lang-c drops
        // attributes in both places, so carry `packed` as a marker member of the body.
        if (is(t, "__attribute__") || is(t, "__attribute")) && i + 1 < n && is(&toks[i + 1], "(") {
            let after_tag_kw = out
                .last()
                .is_some_and(|p| is(p, "struct") || is(p, "union"));
            let after_body =
                out.last().is_some_and(|p| is(p, "}")) && struct_body_open(&out).is_some();
            if after_tag_kw || after_body {
                let end = skip_parens(toks.as_slice(), i + 1);
                let packed = toks[i..end]
                    .iter()
                    .any(|x| is(x, "packed") || is(x, "__packed__"));
                let aligned = toks[i..end]
                    .iter()
                    .any(|x| is(x, "aligned") || is(x, "__aligned__"));
                if after_tag_kw && !packed {
                    // Other attributes here (`aligned`, ...) move after the body, where lang-c
                    // keeps them on the declaration and sema checks them like any other.
                    let _ = aligned;
                    pending_attr = Some(toks[i..end].to_vec());
                    i = end;
                    continue;
                }
                if packed {
                    if after_body {
                        if let Some(open) = struct_body_open(&out) {
                            let marker = marker_tokens(t);
                            out.splice(open + 1..open + 1, marker);
                        }
                    } else {
                        pending_packed = true;
                    }
                    i = end;
                    continue;
                }
            }
        }
        if pending_attr.is_some() && attr_depth.is_none() && is(t, "{") {
            attr_depth = Some(depth);
        }
        if let (Some(dep), true) = (attr_depth, is(t, "}")) {
            if depth - 1 == dep {
                out.push(t.clone());
                depth -= 1;
                out.extend(pending_attr.take().unwrap_or_default());
                attr_depth = None;
                at_start = false;
                i += 1;
                continue;
            }
        }
        if pending_packed && is(t, "{") {
            out.push(t.clone());
            out.extend(marker_tokens(t));
            pending_packed = false;
            depth += 1;
            at_start = true;
            i += 1;
            continue;
        }
        if pending_packed && is(t, ";") {
            pending_packed = false;
        }
        // `_Alignas(X)` on a struct member (C11; lang-c only parses it on declarations):
        // the equivalent `__attribute__((aligned(X)))`, `_Alignof(X)` for a type name.
        if (is(t, "_Alignas") || is(t, "alignas"))
            && toks.get(i + 1).is_some_and(|x| is(x, "("))
            && innermost_brace_is_record(&out)
        {
            let close = skip_parens(toks.as_slice(), i + 1);
            let inner = &toks[i + 2..close.saturating_sub(1).max(i + 2)];
            let is_type = inner
                .first()
                .is_some_and(|x| starts_type_name(x, &typedefs));
            out.push(synth(t, "__attribute__"));
            out.extend(["(", "(", "aligned", "("].map(|p| punct(t, p)));
            if is_type {
                out.push(synth(t, "_Alignof"));
                out.push(punct(t, "("));
            }
            out.extend(lower(inner.to_vec()));
            if is_type {
                out.push(punct(t, ")"));
            }
            out.extend([")", ")", ")"].map(|p| punct(t, p)));
            i = close;
            continue;
        }
        // A statement attribute: `__attribute__((...)) ;` right where a statement starts.
        if at_start
            && depth > 0
            && paren == 0
            && (is(t, "__attribute__") || is(t, "__attribute"))
            && i + 1 < n
            && is(&toks[i + 1], "(")
        {
            let end = skip_parens(toks.as_slice(), i + 1);
            if end < n && is(&toks[end], ";") {
                i = end + 1;
                continue;
            }
        }
        if at_start
            && paren == 0
            && t.kind == TokKind::Ident
            && !typedefs.contains(&*t.text)
            && !is_type_word(t)
        {
            if let Some(fix) = implicit_int(&toks, i, depth, &typedefs) {
                if fix {
                    out.push(synth(t, "int"));
                }
            }
        }
        if at_start && paren == 0 && is_attribute_word(t) && i + 1 < n && is(&toks[i + 1], "(") {
            attr_close = Some(skip_parens(toks.as_slice(), i + 1) - 1);
        }
        // After storage-class words the declaration continues: check again at the next token.
        let was_storage = is_storage_word(t) || attr_close == Some(i);
        if is(t, "typedef") {
            record_typedef(&toks, i, &mut typedefs);
        }
        if is(t, "{") {
            depth += 1;
        } else if is(t, "}") {
            depth -= 1;
        } else if is(t, "(") {
            paren += 1;
        } else if is(t, ")") {
            paren -= 1;
        }
        at_start = paren == 0
            && (is(t, ";")
                || is(t, "{")
                || is(t, "}")
                || was_storage
                || (is(t, ":") && depth > 0 && !in_ternary(&out)));
        out.push(t.clone());
        if is(t, ")") && alignof_close.last() == Some(&paren) {
            alignof_close.pop();
            out.push(punct(t, ")"));
        }
        i += 1;
    }
    if let Some(last) = toks.last() {
        out.extend(part_close.iter().map(|_| punct(last, ")")));
    }
    nested::lower_nested(out)
}

fn starts_type_name(t: &Token, typedefs: &std::collections::HashSet<String>) -> bool {
    is_type_word(t)
        || typedefs.contains(&*t.text)
        || matches!(
            &*t.text,
            "struct" | "union" | "enum" | "__typeof__" | "typeof"
        )
}

fn is_alignof_word(t: &Token) -> bool {
    is(t, "__alignof__") || is(t, "__alignof") || is(t, "_Alignof")
}

/// Whether `out` ends with a parenthesised type name that is not a function's parameter
/// list or a statement's condition: `(struct S)`, `(T)` but not `f(int x)`, `for (int i;;)`.
fn ends_with_type_paren(out: &[Token], typedefs: &std::collections::HashSet<String>) -> bool {
    if !out.last().is_some_and(|t| is(t, ")")) {
        return false;
    }
    let mut depth = 0i32;
    let mut open = None;
    for (k, t) in out.iter().enumerate().rev() {
        if is(t, ")") {
            depth += 1;
        } else if is(t, "(") {
            depth -= 1;
            if depth == 0 {
                open = Some(k);
                break;
            }
        }
    }
    let Some(open) = open else { return false };
    let Some(first) = out.get(open + 1) else {
        return false;
    };
    let type_start = starts_type_name(first, typedefs);
    let before_ok = match open.checked_sub(1).map(|k| &out[k]) {
        None => true,
        Some(b) if b.kind == TokKind::Ident => matches!(
            &*b.text,
            "return" | "sizeof" | "case" | "else" | "do" | "_Alignof" | "__typeof__" | "typeof"
        ),
        Some(b) => !is(b, ")") && !is(b, "]"),
    };
    type_start && before_ok
}

/// Whether `toks[i]` (an identifier at a declaration start) begins an implicit-int
/// declaration: `f(...) {`, `f(a, b) int a; {`, or — after a storage class — `x;`, `x = 1;`,
/// `x[3];`, `*p;` forms.
fn implicit_int(
    toks: &[Token],
    i: usize,
    depth: i32,
    typedefs: &std::collections::HashSet<String>,
) -> Option<bool> {
    let n = toks.len();
    let t = &toks[i];
    if is_storage_word(t)
        || is(t, "typedef")
        || is(t, "__attribute__")
        || is(t, "__extension__")
        || is(t, "asm")
        || is(t, "__asm__")
    {
        return None;
    }
    // A qualifier or storage class directly before, with nothing but more of them back to
    // the start of the declaration: `static x;` (but not `void *volatile p;`).
    let prev_storage = i > 0 && is_storage_word(&toks[i - 1]) && {
        let mut j = i - 1;
        loop {
            if j > 0 && is_storage_word(&toks[j - 1]) {
                j -= 1;
            } else if let Some(a) = j
                .checked_sub(1)
                .and_then(|c| attribute_group_start(toks, c))
            {
                j = a;
            } else {
                break;
            }
        }
        j == 0 || is(&toks[j - 1], ";") || is(&toks[j - 1], "{") || is(&toks[j - 1], "}")
    };
    // Qualifiers after a `*` (`int * volatile f(void)`) are part of a declarator that
    // already has its type: no implicit int there.
    if i > 0 && is_storage_word(&toks[i - 1]) && !prev_storage {
        return None;
    }
    let next = toks.get(i + 1)?;
    if depth == 0 && is(next, "(") {
        // A function definition without a return type at file scope.
        let after = skip_parens(toks, i + 1);
        let a = toks.get(after)?;
        if is(a, "{") {
            return Some(true);
        }
        // K&R parameter declarations follow the parameter list (`f(p) const int *p; {`).
        if (is_type_word(a) || is_storage_word(a) || typedefs.contains(&*a.text))
            && !is(&toks[i + 1], ";")
        {
            return Some(true);
        }
        if prev_storage && (is(a, ";") || is(a, ",")) {
            return Some(true);
        }
        return Some(false);
    }
    if prev_storage {
        // `static x;`, `register i = 0;`, `extern y[];`, `static f();`
        if next.kind == TokKind::Punct && matches!(&*next.text, ";" | "=" | "," | "[" | "(") {
            return Some(true);
        }
    } else if depth == 0
        && next.kind == TokKind::Punct
        && matches!(&*next.text, ";" | "," | "=" | "[")
        && toks.get(i.wrapping_sub(1)).is_none_or(|p| is(p, ";"))
    {
        // `x;` / `x = 3;` at file scope: a declaration with implicit int.
        return Some(true);
    }
    let _ = n;
    Some(false)
}

/// Adds the name declared by the typedef starting at `toks[i]` (the last identifier before
/// the terminating `;` at the same nesting, skipping parameter lists and brackets).
fn record_typedef(toks: &[Token], i: usize, typedefs: &mut std::collections::HashSet<String>) {
    let mut depth = 0i32;
    let mut j = i + 1;
    let mut last: Option<&str> = None;
    let mut paren_first: Option<&str> = None;
    while j < toks.len() {
        let t = &toks[j];
        if is(t, "{") || is(t, "(") || is(t, "[") {
            depth += 1;
        } else if is(t, "}") || is(t, ")") || is(t, "]") {
            depth -= 1;
        } else if depth == 0 && (is(t, ";") || is(t, ",")) {
            if let Some(name) = last {
                typedefs.insert(name.to_string());
            }
            if is(t, ";") {
                break;
            }
            last = None;
        } else if t.kind == TokKind::Ident
            && (depth == 0 || depth == 1 && j > 0 && is(&toks[j - 1], "*"))
            && !is_type_word(t)
            && !is_storage_word(t)
            && !is(t, "__attribute__")
        {
            if depth == 0 {
                last = Some(&t.text);
            } else if paren_first.is_none() {
                // `typedef int (*fp)(int);`
                paren_first = Some(&t.text);
                last = Some(&t.text);
            }
        }
        j += 1;
    }
}

/// Inside an unfinished `?` (so a `:` is not a label).
fn in_ternary(out: &[Token]) -> bool {
    let mut q = 0i32;
    for t in out.iter().rev() {
        if is(t, ";") || is(t, "{") || is(t, "}") {
            break;
        }
        if is(t, "?") {
            q += 1;
        } else if is(t, ":") {
            q -= 1;
        }
    }
    q > 0
}

fn marker_tokens(like: &Token) -> Vec<Token> {
    let mut semi = synth(like, ";");
    semi.kind = TokKind::Punct;
    vec![synth(like, PACKED_MARKER), synth(like, "__cfree_pm"), semi]
}

/// Whether an attribute group `((a, b(args), ...))` names only hint attributes.
fn only_hint_attributes(group: &[Token]) -> bool {
    let mut depth = 0i32;
    let mut any = false;
    for (k, t) in group.iter().enumerate() {
        if is(t, "(") {
            depth += 1;
        } else if is(t, ")") {
            depth -= 1;
        } else if depth == 2 && t.kind == TokKind::Ident {
            let starts_item = group
                .get(k.wrapping_sub(1))
                .is_some_and(|p| is(p, "(") || is(p, ","));
            if starts_item {
                any = true;
                if crate::attributes::lookup(&t.text) != Some(crate::attributes::AttrKind::Hint) {
                    return false;
                }
            }
        }
    }
    any
}

/// Whether the innermost `{` still open in `out` starts a struct/union body.
fn innermost_brace_is_record(out: &[Token]) -> bool {
    let mut depth = 0i32;
    for (k, t) in out.iter().enumerate().rev() {
        if is(t, "}") {
            depth += 1;
        } else if is(t, "{") {
            if depth == 0 {
                let kw = |j: usize| {
                    out.get(j)
                        .is_some_and(|p| is(p, "struct") || is(p, "union"))
                };
                let tagged = k >= 2 && out[k - 1].kind == TokKind::Ident && kw(k - 2);
                return kw(k.wrapping_sub(1)) || tagged;
            }
            depth -= 1;
        }
    }
    false
}

fn is_storage_class(t: &Token) -> bool {
    t.kind == TokKind::Ident
        && matches!(
            &*t.text,
            "static" | "extern" | "register" | "auto" | "_Thread_local" | "__thread"
        )
}

/// The index of the `struct`/`union` keyword of the body whose `{` is at `open`.
fn record_keyword(out: &[Token], open: usize) -> Option<usize> {
    let kw = |j: usize| {
        out.get(j)
            .is_some_and(|p| is(p, "struct") || is(p, "union"))
    };
    if open >= 1 && kw(open - 1) {
        return Some(open - 1);
    }
    (open >= 2 && out[open - 1].kind == TokKind::Ident && kw(open - 2)).then(|| open - 2)
}

/// If `out` ends with the `}` of a struct/union body, the index of its opening `{`.
fn struct_body_open(out: &[Token]) -> Option<usize> {
    let mut depth = 0i32;
    for (k, t) in out.iter().enumerate().rev() {
        if is(t, "}") {
            depth += 1;
        } else if is(t, "{") {
            depth -= 1;
            if depth == 0 {
                // `struct [tag] {` or `union [tag] {`
                let kw = |j: usize| {
                    out.get(j)
                        .is_some_and(|p| is(p, "struct") || is(p, "union"))
                };
                let tagged = k >= 2 && out[k - 1].kind == TokKind::Ident && kw(k - 2);
                return (kw(k.wrapping_sub(1)) || tagged).then_some(k);
            }
        }
    }
    None
}

/// Whether the last emitted token ends an operand, so that a following `&&` is the binary
/// logical and rather than the unary label-address operator. A `)` closing a cast
/// (`(void *)&&l`) does not end an operand.
fn after_operand(out: &[Token], typedefs: &std::collections::HashSet<String>) -> bool {
    let Some(p) = out.last() else { return false };
    match p.kind {
        TokKind::Ident => !matches!(&*p.text, "return" | "case" | "else" | "do" | "sizeof"),
        TokKind::Punct if is(p, ")") => !closes_cast(out, typedefs),
        TokKind::Punct => matches!(&*p.text, "]" | "++" | "--"),
        TokKind::Number | TokKind::CharLit | TokKind::StrLit => true,
        _ => false,
    }
}

/// Whether the `)` ending `out` closes a parenthesised type name (a cast).
fn closes_cast(out: &[Token], typedefs: &std::collections::HashSet<String>) -> bool {
    let mut depth = 0i32;
    for k in (0..out.len()).rev() {
        if is(&out[k], ")") {
            depth += 1;
        } else if is(&out[k], "(") {
            depth -= 1;
            if depth == 0 {
                // `sizeof (char) && x`: the group is an operand, not a cast.
                let operand_kw = k > 0
                    && matches!(
                        &*out[k - 1].text,
                        "sizeof" | "_Alignof" | "alignof" | "__alignof__" | "__alignof"
                    );
                return !operand_kw
                    && out.get(k + 1).is_some_and(|f| {
                        is_type_word(f)
                            || (is_storage_word(f) && !is(f, "inline"))
                            || (f.kind == TokKind::Ident && typedefs.contains(&*f.text))
                    });
            }
        }
    }
    false
}

fn punct(like: &Token, text: &str) -> Token {
    let mut t = synth(like, text);
    t.kind = TokKind::Punct;
    t
}

fn number(like: &Token, text: &str) -> Token {
    let mut t = synth(like, text);
    t.kind = TokKind::Number;
    t
}

/// Index of the token after the brace group starting at `open` (which is `{`).
fn skip_braces(toks: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if is(t, "{") {
            depth += 1;
        } else if is(t, "}") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return k + 1;
            }
        }
    }
    toks.len()
}

/// Indices of the commas outside brackets.
fn top_level_commas(toks: &[Token]) -> impl Iterator<Item = usize> + '_ {
    let mut d = 0i32;
    toks.iter().enumerate().filter_map(move |(k, t)| {
        if is(t, "(") || is(t, "[") || is(t, "{") {
            d += 1;
        } else if is(t, ")") || is(t, "]") || is(t, "}") {
            d -= 1;
        }
        (d == 0 && is(t, ",")).then_some(k)
    })
}

/// The last comma outside brackets (the one before a trailing type-name argument).
fn last_top_level_comma(toks: &[Token]) -> Option<usize> {
    top_level_commas(toks).last()
}

fn top_level_comma(toks: &[Token]) -> Option<usize> {
    top_level_commas(toks).next()
}

/// `\e` → `\033` in a literal's spelling, leaving `\\e` (an escaped backslash, then `e`) alone.
fn replace_escape_e(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('e') => out.push_str("\\033"),
                Some(x) => {
                    out.push('\\');
                    out.push(x);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::pp::{PpOptions, Preprocessor};
    use crate::source::SourceMap;
    use crate::target::TargetInfo;

    fn lowered(src: &str) -> String {
        let mut sm = SourceMap::new();
        let mut d = Diagnostics::default();
        let mut p = Preprocessor::new(PpOptions::new(TargetInfo::x86_64_linux()));
        let toks = p.preprocess_str("t.c", src, &mut sm, &mut d);
        lower(toks)
            .iter()
            .map(|t| t.text.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nested_definitions_become_marker_declarations() {
        assert_eq!(
            lowered("void f(void) { int g(int x) { return x; } g(1); }"),
            "void f ( void ) { int g ( int x ) __attribute__ ( ( __cfree_nested__ ( ( { return x ; } ) ) ) ) ; g ( 1 ) ; }"
        );
        // Nested in nested, and a declarator with an attribute after it.
        assert_eq!(
            lowered("void f(void) { void g(void) __attribute__((noinline)) { void h(void) { } } }"),
            "void f ( void ) { void g ( void ) __attribute__ ( ( noinline ) ) __attribute__ ( ( __cfree_nested__ ( ( { void h ( void ) __attribute__ ( ( __cfree_nested__ ( ( { } ) ) ) ) ; } ) ) ) ) ; }"
        );
    }

    #[test]
    fn statements_with_braces_are_not_nested_definitions() {
        for src in [
            "void f(int x) { if (x) { } while (x) { } for (;;) { } switch (x) { } }",
            "void f(int x) { struct s { int a; } v = (struct s) { 1 }; }",
            "void f(int x) { struct __attribute__((packed)) { int a; } v; }",
            "void f(int x) { x = ({ 1; }); L: { } do { } while (0); }",
            "int f(int x) { return (int) { 1 }; }",
        ] {
            assert!(!lowered(src).contains("__cfree_nested__"), "{src}");
        }
    }

    #[test]
    fn inserts_implicit_int() {
        assert_eq!(
            lowered("main() { return 0; }"),
            "int main ( ) { return 0 ; }"
        );
        assert_eq!(
            lowered("static x; f(a) int a; { register i; }"),
            "static int x ; int f ( a ) int a ; { register int i ; }"
        );
    }

    #[test]
    fn empty_compound_literal_keeps_brace_depth() {
        // The `}` of `(T){}` closes a brace: `t = 1;` after it is a statement, not a
        // file-scope implicit-int declaration.
        assert_eq!(
            lowered("void h(void) { s = (struct g){}; t = 1; }"),
            "void h ( void ) { s = ( struct g ) { 0 } ; t = 1 ; }"
        );
    }

    #[test]
    fn storage_class_after_struct_body_and_attribute_spelling() {
        assert_eq!(
            lowered("struct a { int b; } static g = {1};"),
            "static struct a { int b ; } g = { 1 } ;"
        );
        assert_eq!(
            lowered("__attribute ((noinline)) void f(void);"),
            "__attribute__ ( ( noinline ) ) void f ( void ) ;"
        );
        assert_eq!(
            lowered("sub3 (i) const int *i; { }"),
            "int sub3 ( i ) const int * i ; { }"
        );
    }

    #[test]
    fn implicit_int_after_attributes() {
        assert_eq!(
            lowered("__attribute__((noinline)) t(int c) { }"),
            "__attribute__ ( ( noinline ) ) int t ( int c ) { }"
        );
        assert_eq!(
            lowered("int a; __attribute__((noinline)) static inc() { }"),
            "int a ; __attribute__ ( ( noinline ) ) static int inc ( ) { }"
        );
        assert_eq!(
            lowered("static __attribute__((always_inline)) f() { }"),
            "static __attribute__ ( ( always_inline ) ) int f ( ) { }"
        );
        assert_eq!(
            lowered("__attribute__((unused)) int x; __attribute__((cold)) void g(void);"),
            "__attribute__ ( ( unused ) ) int x ; __attribute__ ( ( cold ) ) void g ( void ) ;"
        );
    }

    #[test]
    fn keeps_qualified_declarations() {
        assert_eq!(
            lowered("int * volatile f(void) { } static int * const g(void) { }"),
            "int * volatile f ( void ) { } static int * const g ( void ) { }"
        );
        assert_eq!(
            lowered("void *volatile p; struct { int a; } s;"),
            "void * volatile p ; struct { int a ; } s ;"
        );
        assert_eq!(
            lowered("typedef int T; T x; const T y;"),
            "typedef int T ; T x ; const T y ;"
        );
    }

    #[test]
    fn packed_becomes_a_marker_member() {
        assert_eq!(
            lowered("struct __attribute__((packed)) s { char c; int i; };"),
            "struct s { __cfree_packed_marker __cfree_pm ; char c ; int i ; } ;"
        );
        assert_eq!(
            lowered("struct t { char c; int i; } __attribute__((packed));"),
            "struct t { __cfree_packed_marker __cfree_pm ; char c ; int i ; } ;"
        );
    }

    #[test]
    fn rewrites_int128_and_statement_attributes() {
        assert_eq!(lowered("unsigned __int128 x;"), "__cfree_uint128 x ;");
        assert_eq!(
            lowered(
                "void f(int a) { switch (a) { case 1: __attribute__((fallthrough)); default: ; } }"
            ),
            "void f ( int a ) { switch ( a ) { case 1 : default : ; } }"
        );
    }
}

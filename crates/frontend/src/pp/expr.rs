//! `#if` expressions: macro expansion with `defined` and the `__has_*` operators, then
//! evaluation in intmax_t/uintmax_t with C's conversion rules.

use super::macros::Builtin;
use super::token::{PTok, PpStr, MARKER};
use super::{Cpp, TokKind};
use crate::source::Loc;
use crate::target::TargetInfo;

/// A value in a `#if` expression: every integer is intmax_t or uintmax_t there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Val {
    pub v: i64,
    pub unsigned: bool,
}

impl Val {
    fn int(v: i64) -> Self {
        Val { v, unsigned: false }
    }
    fn truth(self) -> bool {
        self.v != 0
    }
}

impl Cpp<'_> {
    /// Evaluates the operand of `#if`/`#elif`; errors make it false.
    pub(super) fn eval_if(&mut self, toks: Vec<PTok>, loc: Loc, directive: &str) -> bool {
        if toks.is_empty() {
            self.error(loc, format!("{directive} with no expression"));
            return false;
        }
        // An empty expansion on this line must not lend its spacing to the next text token.
        let carry = std::mem::take(&mut self.carry);
        let toks = self.expand_if_line(toks);
        self.carry = carry;
        let mut p = Parser::new(&toks, &self.st.opts.target, directive, loc);
        let r = p.parse();
        let warnings = std::mem::take(&mut p.warnings);
        let err = p.err.take();
        for (l, m) in warnings {
            self.warn(l, m);
        }
        match (r, err) {
            (Some(v), None) => v.truth(),
            (_, Some((l, m))) => {
                self.error(l, m);
                false
            }
            (None, None) => false,
        }
    }

    /// Macro-expands an `#if` line, replacing `defined X` and the `__has_*` operators by
    /// `0`/`1` before their operands could be expanded.
    fn expand_if_line(&mut self, toks: Vec<PTok>) -> Vec<PTok> {
        self.pending.push(PTok::marker());
        self.pending.extend(toks.into_iter().rev());
        let mut out = Vec::new();
        while let Some(t) = self.next_raw() {
            if t.kind == TokKind::Ident {
                let value = if t.text == "defined" {
                    Some(self.defined_operator(&t))
                } else {
                    match self.builtin_of(&t) {
                        Some(b @ (Builtin::HasInclude | Builtin::HasIncludeNext)) => {
                            Some(self.has_include_operator(&t, b == Builtin::HasIncludeNext))
                        }
                        Some(
                            b @ (Builtin::HasBuiltin
                            | Builtin::HasAttribute
                            | Builtin::HasCAttribute
                            | Builtin::HasCppAttribute
                            | Builtin::HasFeature
                            | Builtin::HasExtension),
                        ) => Some(self.has_name_operator(&t, b)),
                        _ => None,
                    }
                };
                if let Some(v) = value {
                    let mut n = PTok::new(
                        TokKind::Number,
                        PpStr::new(if v { "1" } else { "0" }),
                        t.loc,
                        t.flags,
                    );
                    n.hs = t.hs;
                    out.push(n);
                    continue;
                }
                if self.try_expand(&t) {
                    continue;
                }
            }
            out.push(t);
        }
        if self.pending.last().is_some_and(|t| t.flags & MARKER != 0) {
            self.pending.pop();
        }
        out
    }

    /// `defined X` or `defined ( X )`.
    fn defined_operator(&mut self, op: &PTok) -> bool {
        let mut t = self.next_raw();
        let paren = t.as_ref().is_some_and(|t| t.is("("));
        if paren {
            t = self.next_raw();
        }
        let Some(name) = t.filter(|t| t.kind == TokKind::Ident) else {
            self.error(op.loc, "operator \"defined\" requires an identifier");
            return false;
        };
        if paren && !self.next_raw().is_some_and(|c| c.is(")")) {
            self.error(op.loc, "missing ')' after \"defined\"");
            return false;
        }
        self.st.macros.contains_key(name.text.as_str())
    }

    /// `__has_include("file")`, `__has_include(<file>)`, also with a macro operand.
    fn has_include_operator(&mut self, op: &PTok, next: bool) -> bool {
        let bad = |cpp: &mut Self| {
            cpp.error(
                op.loc,
                format!("operator \"{}\" requires a header-name", op.text),
            );
            false
        };
        if !self.next_raw().is_some_and(|t| t.is("(")) {
            return bad(self);
        }
        let mut t = self.next_raw();
        // A macro operand expands to the header name (bounded: a self-referential macro
        // stops expanding by its hide set).
        while let Some(tok) = t.clone() {
            if tok.kind == TokKind::Ident && self.try_expand(&tok) {
                t = self.next_raw();
            } else {
                break;
            }
        }
        let (name, angled) = match t {
            Some(s) if s.kind == TokKind::StrLit && s.text.starts_with('"') => {
                (s.text[1..s.text.len() - 1].to_string(), false)
            }
            Some(s) if s.is("<") => {
                let mut name = String::new();
                loop {
                    match self.next_raw() {
                        Some(p) if p.is(">") => break,
                        Some(p) => {
                            if p.space() && !name.is_empty() {
                                name.push(' ');
                            }
                            name.push_str(&p.text);
                        }
                        None => return bad(self),
                    }
                }
                (name, true)
            }
            _ => return bad(self),
        };
        if !self.next_raw().is_some_and(|t| t.is(")")) {
            self.error(op.loc, format!("missing ')' after \"{}\" operand", op.text));
            return false;
        }
        self.find_include(&name, angled, next).is_some()
    }

    /// `__has_builtin(x)`, `__has_attribute(x)` and the always-0 feature tests.
    fn has_name_operator(&mut self, op: &PTok, b: Builtin) -> bool {
        if !self.next_raw().is_some_and(|t| t.is("(")) {
            self.error(op.loc, format!("missing '(' after \"{}\"", op.text));
            return false;
        }
        let mut depth = 0;
        let mut first: Option<PpStr> = None;
        loop {
            let Some(t) = self.next_raw() else {
                self.error(op.loc, format!("missing ')' after \"{}\" operand", op.text));
                return false;
            };
            if t.is("(") {
                depth += 1;
            } else if t.is(")") {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if first.is_none() && t.kind == TokKind::Ident {
                first = Some(t.text.clone());
            }
        }
        let Some(name) = first else {
            self.error(
                op.loc,
                format!("macro \"{}\" requires an identifier", op.text),
            );
            return false;
        };
        match b {
            Builtin::HasBuiltin => crate::builtins::has_builtin(&name),
            Builtin::HasAttribute => crate::attributes::has_attribute(&name),
            _ => false,
        }
    }
}

struct Parser<'a> {
    toks: &'a [PTok],
    pos: usize,
    /// > 0 inside an operand that is not evaluated (`0 && x`): no division-by-zero errors.
    skip: u32,
    depth: u32,
    err: Option<(Loc, String)>,
    target: &'a TargetInfo,
    directive: &'a str,
    loc: Loc,
    warnings: Vec<(Loc, String)>,
}

impl<'a> Parser<'a> {
    /// A parser of `toks` (an expanded `#if` line) for `directive` at `loc`.
    fn new(toks: &'a [PTok], target: &'a TargetInfo, directive: &'a str, loc: Loc) -> Self {
        Parser {
            toks,
            pos: 0,
            skip: 0,
            depth: 0,
            err: None,
            target,
            directive,
            loc,
            warnings: Vec::new(),
        }
    }
}

/// Nesting bound, so a hostile `#if ((((…` or `#if - - - -…` cannot exhaust the stack.
const MAX_DEPTH: u32 = 256;

/// Tokens that may appear in a `#if` expression; any other punctuator is an error in itself.
fn valid_in_if(t: &PTok) -> bool {
    t.kind != TokKind::Punct
        || prec(&t.text).is_some()
        || matches!(t.text.as_str(), "(" | ")" | "~" | "!" | "?" | ":" | ",")
}

fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        _ => return None,
    })
}

impl Parser<'_> {
    fn fail(&mut self, loc: Loc, msg: impl Into<String>) -> Option<Val> {
        if self.err.is_none() {
            self.err = Some((loc, msg.into()));
        }
        None
    }

    fn peek(&self) -> Option<&PTok> {
        self.toks.get(self.pos)
    }

    fn peek_punct(&self) -> Option<&str> {
        self.peek()
            .filter(|t| t.kind == TokKind::Punct)
            .map(|t| t.text.as_str())
    }

    fn parse(&mut self) -> Option<Val> {
        let v = self.comma()?;
        if let Some(t) = self.peek() {
            let (loc, text) = (t.loc, t.text.clone());
            if !valid_in_if(t) {
                return self.fail(
                    loc,
                    format!("token \"{text}\" is not valid in preprocessor expressions"),
                );
            }
            return self.fail(
                loc,
                format!("missing binary operator before token \"{text}\""),
            );
        }
        Some(v)
    }

    fn comma(&mut self) -> Option<Val> {
        let mut v = self.cond()?;
        while self.peek_punct() == Some(",") {
            self.pos += 1;
            v = self.cond()?;
        }
        Some(v)
    }

    /// Nested `?:` recurses here rather than through `unary`, so it is bounded here too.
    fn cond(&mut self) -> Option<Val> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let loc = self.peek().map_or(self.loc, |t| t.loc);
            return self.fail(loc, "#if expression nested too deeply");
        }
        let v = self.cond_inner();
        self.depth -= 1;
        v
    }

    fn cond_inner(&mut self) -> Option<Val> {
        let c = self.binary(1)?;
        if self.peek_punct() != Some("?") {
            return Some(c);
        }
        let qloc = self.toks[self.pos].loc;
        self.pos += 1;
        let take = c.truth();
        if !take {
            self.skip += 1;
        }
        let a = self.comma();
        if !take {
            self.skip -= 1;
        }
        let a = a?;
        if self.peek_punct() != Some(":") {
            return self.fail(qloc, "'?' without following ':'");
        }
        self.pos += 1;
        if take {
            self.skip += 1;
        }
        let b = self.cond();
        if take {
            self.skip -= 1;
        }
        let b = b?;
        let unsigned = a.unsigned || b.unsigned;
        Some(Val {
            v: if take { a.v } else { b.v },
            unsigned,
        })
    }

    fn binary(&mut self, min: u8) -> Option<Val> {
        let mut lhs = self.unary()?;
        loop {
            let Some(op) = self.peek_punct() else {
                return Some(lhs);
            };
            let Some(p) = prec(op) else {
                return Some(lhs);
            };
            if p < min {
                return Some(lhs);
            }
            let op_tok = self.toks[self.pos].clone();
            self.pos += 1;
            // Short-circuit: the right operand of `0 &&` / `1 ||` is parsed, not evaluated.
            let short = match op_tok.text.as_str() {
                "&&" => !lhs.truth(),
                "||" => lhs.truth(),
                _ => false,
            };
            if short {
                self.skip += 1;
            }
            let rhs = self.binary(p + 1);
            if short {
                self.skip -= 1;
            }
            let rhs = rhs?;
            lhs = self.apply(&op_tok, lhs, rhs)?;
        }
    }

    fn apply(&mut self, op: &PTok, a: Val, b: Val) -> Option<Val> {
        let u = a.unsigned || b.unsigned;
        let (x, y) = (a.v, b.v);
        let (ux, uy) = (x as u64, y as u64);
        let bool_val = |c: bool| Some(Val::int(c as i64));
        let arith = |v: i64| Some(Val { v, unsigned: u });
        match op.text.as_str() {
            "||" => bool_val(a.truth() || b.truth()),
            "&&" => bool_val(a.truth() && b.truth()),
            "|" => arith(x | y),
            "^" => arith(x ^ y),
            "&" => arith(x & y),
            "==" => bool_val(x == y),
            "!=" => bool_val(x != y),
            "<" => bool_val(if u { ux < uy } else { x < y }),
            ">" => bool_val(if u { ux > uy } else { x > y }),
            "<=" => bool_val(if u { ux <= uy } else { x <= y }),
            ">=" => bool_val(if u { ux >= uy } else { x >= y }),
            "<<" | ">>" => {
                // The result has the left operand's type; a negative count shifts the other way.
                let left = op.text.as_str() == "<<";
                let (left, count) = if !b.unsigned && y < 0 {
                    (!left, y.unsigned_abs())
                } else {
                    (left, uy)
                };
                let v = if left {
                    if count >= 64 {
                        0
                    } else {
                        ((x as u64) << count) as i64
                    }
                } else if a.unsigned {
                    if count >= 64 {
                        0
                    } else {
                        (ux >> count) as i64
                    }
                } else if count >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> count
                };
                Some(Val {
                    v,
                    unsigned: a.unsigned,
                })
            }
            "+" => {
                let (v, o) = x.overflowing_add(y);
                self.overflow(op.loc, o && !u);
                arith(v)
            }
            "-" => {
                let (v, o) = x.overflowing_sub(y);
                self.overflow(op.loc, o && !u);
                arith(v)
            }
            "*" => {
                let (v, o) = x.overflowing_mul(y);
                self.overflow(op.loc, o && !u);
                arith(v)
            }
            "/" | "%" => {
                if y == 0 {
                    if self.skip > 0 {
                        return arith(0);
                    }
                    return self.fail(op.loc, "division by zero in #if");
                }
                let div = op.text.as_str() == "/";
                let v = if u {
                    (if div { ux / uy } else { ux % uy }) as i64
                } else if div {
                    x.wrapping_div(y)
                } else {
                    x.wrapping_rem(y)
                };
                arith(v)
            }
            _ => self.fail(
                op.loc,
                format!(
                    "token \"{}\" is not valid in preprocessor expressions",
                    op.text
                ),
            ),
        }
    }

    fn overflow(&mut self, loc: Loc, happened: bool) {
        if happened && self.skip == 0 {
            self.warnings
                .push((loc, "integer overflow in preprocessor expression".into()));
        }
    }

    /// Parentheses and prefix operators recurse through here; depth is bounded.
    fn unary(&mut self) -> Option<Val> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let loc = self.peek().map_or(self.loc, |t| t.loc);
            return self.fail(loc, "#if expression nested too deeply");
        }
        let v = self.unary_inner();
        self.depth -= 1;
        v
    }

    fn unary_inner(&mut self) -> Option<Val> {
        let Some(t) = self.peek().cloned() else {
            let prev = self.pos.checked_sub(1).and_then(|i| self.toks.get(i));
            return match prev {
                Some(p) if p.is("(") => {
                    let loc = p.loc;
                    self.fail(loc, "missing ')' in expression")
                }
                Some(p) if p.kind == TokKind::Punct && p.text != ")" => {
                    let (loc, text) = (p.loc, p.text.clone());
                    self.fail(loc, format!("operator '{text}' has no right operand"))
                }
                _ => {
                    let loc = self.loc;
                    let d = self.directive;
                    self.fail(loc, format!("{d} with no expression"))
                }
            };
        };
        match t.kind {
            TokKind::Punct => match t.text.as_str() {
                "+" | "-" | "~" | "!" => {
                    self.pos += 1;
                    let v = self.unary()?;
                    Some(match t.text.as_str() {
                        "+" => v,
                        "-" => {
                            let (r, o) = v.v.overflowing_neg();
                            self.overflow(t.loc, o && !v.unsigned);
                            Val {
                                v: r,
                                unsigned: v.unsigned,
                            }
                        }
                        "~" => Val {
                            v: !v.v,
                            unsigned: v.unsigned,
                        },
                        _ => Val::int(!v.truth() as i64),
                    })
                }
                "(" => {
                    self.pos += 1;
                    if self.peek_punct() == Some(")") {
                        return self.fail(t.loc, "missing expression between '(' and ')'");
                    }
                    let v = self.comma()?;
                    if self.peek_punct() != Some(")") {
                        return self.fail(t.loc, "missing ')' in expression");
                    }
                    self.pos += 1;
                    Some(v)
                }
                _ => self.fail(
                    t.loc,
                    format!(
                        "token \"{}\" is not valid in preprocessor expressions",
                        t.text
                    ),
                ),
            },
            TokKind::Number => {
                self.pos += 1;
                match parse_int(&t.text) {
                    Ok((v, unsigned, big)) => {
                        if big && self.skip == 0 {
                            self.warnings.push((
                                t.loc,
                                "integer constant is so large that it is unsigned".into(),
                            ));
                        }
                        Some(Val {
                            v: v as i64,
                            unsigned,
                        })
                    }
                    Err(m) => self.fail(t.loc, m),
                }
            }
            TokKind::CharLit => {
                self.pos += 1;
                match parse_char(&t.text, self.target) {
                    Ok(v) => Some(v),
                    Err(m) => self.fail(t.loc, m),
                }
            }
            // Identifiers left after expansion (including `true`/`false` before C23) are 0.
            TokKind::Ident => {
                self.pos += 1;
                Some(Val::int(0))
            }
            _ => self.fail(
                t.loc,
                format!(
                    "token \"{}\" is not valid in preprocessor expressions",
                    t.text
                ),
            ),
        }
    }
}

/// Parses an integer pp-number: (value, unsigned, "so large that it is unsigned").
pub fn parse_int(text: &str) -> Result<(u64, bool, bool), String> {
    let b = text.as_bytes();
    if b.is_empty() {
        return Err("missing integer constant".into());
    }
    let (radix, digits_start) = if b.len() > 1 && b[0] == b'0' && matches!(b[1], b'x' | b'X') {
        (16, 2)
    } else if b.len() > 1 && b[0] == b'0' && matches!(b[1], b'b' | b'B') {
        (2, 2)
    } else if b[0] == b'0' {
        (8, 0)
    } else {
        (10, 0)
    };
    let is_digit = |c: u8| match radix {
        16 => c.is_ascii_hexdigit(),
        _ => c.is_ascii_digit(),
    };
    let mut end = digits_start;
    while end < b.len() && is_digit(b[end]) {
        end += 1;
    }
    let digits = &text[digits_start..end];
    let suffix = &text[end..];
    let floating = suffix.starts_with('.')
        || (radix == 10 && suffix.starts_with(['e', 'E']))
        || (radix == 8 && suffix.starts_with(['e', 'E', '.']))
        || (radix == 16 && suffix.starts_with(['p', 'P']));
    if floating {
        return Err("floating constant in preprocessor expression".into());
    }
    let lower = suffix.to_ascii_lowercase();
    let valid_suffix = matches!(
        suffix,
        "" | "u"
            | "U"
            | "l"
            | "L"
            | "ll"
            | "LL"
            | "ul"
            | "uL"
            | "Ul"
            | "UL"
            | "lu"
            | "lU"
            | "Lu"
            | "LU"
            | "ull"
            | "uLL"
            | "Ull"
            | "ULL"
            | "llu"
            | "llU"
            | "LLu"
            | "LLU"
    );
    if !valid_suffix || (digits.is_empty() && radix != 8) {
        return Err(format!("invalid suffix \"{suffix}\" on integer constant"));
    }
    let mut v: u64 = 0;
    let mut too_big = false;
    for c in digits.bytes() {
        let d = (c as char).to_digit(16).unwrap_or(0) as u64;
        if d >= radix {
            return Err(format!("invalid digit \"{}\" in octal constant", c as char));
        }
        match v.checked_mul(radix).and_then(|x| x.checked_add(d)) {
            Some(n) => v = n,
            None => {
                too_big = true;
                v = v.wrapping_mul(radix).wrapping_add(d);
            }
        }
    }
    if too_big {
        return Err("integer constant is too large for its type".into());
    }
    let has_u = lower.contains('u');
    let big = v > i64::MAX as u64;
    // Decimal constants without `u` that do not fit intmax_t are taken as unsigned with a
    // warning (gcc); octal and hex ones simply are unsigned.
    Ok((v, has_u || big, big && !has_u && radix == 10))
}

/// Value of a character constant, with the type rules of C for each prefix.
pub fn parse_char(text: &str, target: &TargetInfo) -> Result<Val, String> {
    let (prefix, body) = match text.find('\'') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => return Err("malformed character constant".into()),
    };
    let body = body.strip_suffix('\'').unwrap_or(body);
    let mut chars: Vec<u32> = Vec::new();
    let mut it = body.chars().peekable();
    let narrow = prefix.is_empty() || prefix == "u8";
    while let Some(c) = it.next() {
        if c != '\\' {
            if narrow {
                let mut buf = [0u8; 4];
                chars.extend(c.encode_utf8(&mut buf).bytes().map(u32::from));
            } else {
                chars.push(c as u32);
            }
            continue;
        }
        let Some(e) = it.next() else {
            return Err("missing terminating ' character".into());
        };
        let v = match e {
            'n' => 10,
            't' => 9,
            'r' => 13,
            'a' => 7,
            'b' => 8,
            'f' => 12,
            'v' => 11,
            'e' | 'E' => 27,
            '\\' | '\'' | '"' | '?' => e as u32,
            'x' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while let Some(d) = it.peek().and_then(|c| c.to_digit(16)) {
                    v = v.wrapping_shl(4) | d;
                    it.next();
                    n += 1;
                }
                if n == 0 {
                    return Err("\\x used with no following hex digits".into());
                }
                v
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match it.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                v
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let mut v: u32 = 0;
                for _ in 0..n {
                    match it.next().and_then(|c| c.to_digit(16)) {
                        Some(d) => v = (v << 4) | d,
                        None => return Err("incomplete universal character name".into()),
                    }
                }
                v
            }
            other => other as u32,
        };
        chars.push(v);
    }
    if chars.is_empty() {
        return Err("empty character constant".into());
    }
    Ok(match prefix {
        "" => {
            if chars.len() == 1 {
                let c = chars[0] & 0xff;
                let v = if target.char_signed {
                    c as u8 as i8 as i64
                } else {
                    c as i64
                };
                Val::int(v)
            } else {
                // Multi-character constant: an int built big-endian from the bytes.
                let v = chars
                    .iter()
                    .fold(0u32, |acc, &c| acc.wrapping_shl(8) | (c & 0xff));
                Val::int(v as i32 as i64)
            }
        }
        "u8" => Val::int((chars[chars.len() - 1] & 0xff) as i64),
        "u" => Val {
            v: (chars[chars.len() - 1] & 0xffff) as i64,
            unsigned: true,
        },
        "U" => Val {
            v: chars[chars.len() - 1] as i64,
            unsigned: true,
        },
        _ => {
            // L: wchar_t is the target's (int, or unsigned int on AArch64).
            let c = chars[chars.len() - 1];
            if !target.arch.wchar().1 {
                Val {
                    v: c as i64,
                    unsigned: true,
                }
            } else {
                Val::int(c as i32 as i64)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_int("42"), Ok((42, false, false)));
        assert_eq!(parse_int("0x10UL"), Ok((16, true, false)));
        assert_eq!(parse_int("0b101"), Ok((5, false, false)));
        assert_eq!(parse_int("017"), Ok((15, false, false)));
        assert_eq!(parse_int("0"), Ok((0, false, false)));
        assert_eq!(parse_int("0xffffffffffffffff"), Ok((u64::MAX, true, false)));
        assert_eq!(
            parse_int("18446744073709551615"),
            Ok((u64::MAX, true, true))
        );
        assert_eq!(
            parse_int("08").unwrap_err(),
            "invalid digit \"8\" in octal constant"
        );
        assert_eq!(
            parse_int("1.5").unwrap_err(),
            "floating constant in preprocessor expression"
        );
        assert_eq!(
            parse_int("12abc").unwrap_err(),
            "invalid suffix \"abc\" on integer constant"
        );
        assert_eq!(
            parse_int("99999999999999999999").unwrap_err(),
            "integer constant is too large for its type"
        );
    }

    #[test]
    fn characters() {
        let x86 = TargetInfo::x86_64_linux();
        let c = |s: &str| parse_char(s, &x86).map(|v| (v.v, v.unsigned));
        assert_eq!(c("'a'"), Ok((97, false)));
        assert_eq!(c("'\\n'"), Ok((10, false)));
        assert_eq!(c("'\\377'"), Ok((-1, false)));
        assert_eq!(c("'\\xff'"), Ok((-1, false)));
        assert_eq!(c("'ab'"), Ok((0x6162, false)));
        assert_eq!(c("L'\\xffffffff'"), Ok((-1, false)));
        assert_eq!(c("u'x'"), Ok((120, true)));
        assert_eq!(c("U'\\U0001F600'"), Ok((0x1F600, true)));
        assert_eq!(c("'\\''"), Ok((39, false)));
        assert_eq!(c("''").unwrap_err(), "empty character constant");
        let mut arm = TargetInfo::x86_64_linux();
        arm.char_signed = false;
        assert_eq!(parse_char("'\\xff'", &arm).map(|v| v.v), Ok(255));
    }
}

/// An object-like macro whose expansion is an integer constant (see
/// [`Preprocessor::integer_macros`](super::Preprocessor::integer_macros)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntMacro {
    pub name: String,
    /// The value as `#if` computes it (intmax_t or uintmax_t).
    pub value: Val,
}

impl super::Preprocessor {
    /// The object-like macros defined so far by the user's text or the command line (not by
    /// system headers or cfree's predefined set) whose expansion is an integer constant
    /// expression `#if` can evaluate: numbers, character constants and operators, with no
    /// identifier left after expansion (an identifier would silently count as 0 there, which
    /// is not the macro's value in C). Sorted by name. This is how an embedder learns
    /// `#define BUFSIZE 4096` without compiling an expression per macro.
    pub fn integer_macros(&mut self, sm: &mut crate::source::SourceMap) -> Vec<IntMacro> {
        let mut candidates: Vec<(String, Vec<PTok>)> = Vec::new();
        for m in self.st.macros.values() {
            if m.kind != super::macros::MacroKind::Object || m.body.is_empty() {
                continue;
            }
            let Some(file) = sm.get(m.loc.file) else {
                continue;
            };
            if file.system || file.name == "<built-in>" {
                continue;
            }
            let toks: Option<Vec<PTok>> = m
                .body
                .iter()
                .map(|i| match i {
                    super::macros::Item::Tok(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            if let Some(toks) = toks {
                candidates.push((m.name.to_string(), toks));
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let mut diags = crate::diag::Diagnostics::default();
        let mut out = Vec::new();
        for (name, toks) in candidates {
            let mut cpp = Cpp::new(&mut self.st, sm, &mut diags);
            let loc = toks[0].loc;
            let toks = cpp.expand_if_line(toks);
            if toks.is_empty()
                || toks
                    .iter()
                    .any(|t| !matches!(t.kind, TokKind::Number | TokKind::CharLit | TokKind::Punct))
            {
                continue;
            }
            let mut p = Parser::new(&toks, &cpp.st.opts.target, "#define", loc);
            if let (Some(value), None) = (p.parse(), p.err.take()) {
                out.push(IntMacro { name, value });
            }
        }
        out
    }
}

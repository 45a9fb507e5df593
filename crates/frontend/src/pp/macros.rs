//! Macro definitions and expansion: `#define`/`#undef`, argument collection, substitution
//! with `#` and `##`, `__VA_ARGS__`/`__VA_OPT__`, GNU comma swallowing, the dynamic
//! builtins (`__FILE__`, `__LINE__`, …) and `_Pragma`.

use super::lexer::{lex_string, single_token_kind};
use super::token::{PTok, PpStr, BOL, MARKER, SPACE};
use super::{Cpp, TokKind, MAX_ARG_DEPTH};
use crate::source::Loc;
use std::sync::Arc;

/// Macros whose expansion is computed rather than stored.
// `HasBuiltin` mirrors the operator's name `__has_builtin`.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    File,
    Line,
    Counter,
    IncludeLevel,
    BaseFile,
    Date,
    Time,
    Timestamp,
    Pragma,
    HasInclude,
    HasIncludeNext,
    HasBuiltin,
    HasAttribute,
    HasCAttribute,
    HasCppAttribute,
    HasFeature,
    HasExtension,
}

impl Builtin {
    pub const ALL: [Builtin; 17] = [
        Builtin::File,
        Builtin::Line,
        Builtin::Counter,
        Builtin::IncludeLevel,
        Builtin::BaseFile,
        Builtin::Date,
        Builtin::Time,
        Builtin::Timestamp,
        Builtin::Pragma,
        Builtin::HasInclude,
        Builtin::HasIncludeNext,
        Builtin::HasBuiltin,
        Builtin::HasAttribute,
        Builtin::HasCAttribute,
        Builtin::HasCppAttribute,
        Builtin::HasFeature,
        Builtin::HasExtension,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Builtin::File => "__FILE__",
            Builtin::Line => "__LINE__",
            Builtin::Counter => "__COUNTER__",
            Builtin::IncludeLevel => "__INCLUDE_LEVEL__",
            Builtin::BaseFile => "__BASE_FILE__",
            Builtin::Date => "__DATE__",
            Builtin::Time => "__TIME__",
            Builtin::Timestamp => "__TIMESTAMP__",
            Builtin::Pragma => "_Pragma",
            Builtin::HasInclude => "__has_include",
            Builtin::HasIncludeNext => "__has_include_next",
            Builtin::HasBuiltin => "__has_builtin",
            Builtin::HasAttribute => "__has_attribute",
            Builtin::HasCAttribute => "__has_c_attribute",
            Builtin::HasCppAttribute => "__has_cpp_attribute",
            Builtin::HasFeature => "__has_feature",
            Builtin::HasExtension => "__has_extension",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacroKind {
    Object,
    Function { nparams: usize, variadic: bool },
    Builtin(Builtin),
}

/// One element of a replacement list, pre-parsed at definition time so substitution is a
/// simple walk.
#[derive(Clone, Debug)]
pub enum Item {
    Tok(PTok),
    /// A parameter use; `flags` are the whitespace flags of its spelling (or of the `#`).
    Param {
        idx: usize,
        flags: u8,
        stringize: bool,
    },
    /// `__VA_OPT__( items )`.
    VaOpt {
        items: Vec<Item>,
        flags: u8,
        stringize: bool,
    },
    Paste,
}

#[derive(Debug)]
pub struct Macro {
    pub name: PpStr,
    pub id: u32,
    pub kind: MacroKind,
    pub params: Vec<PpStr>,
    pub body: Vec<Item>,
    pub loc: Loc,
    /// Object-like without `##`: the body tokens are copied as they are.
    pub simple: bool,
}

fn same_items(a: &[Item], b: &[Item]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Item::Tok(p), Item::Tok(q)) => {
                p.text == q.text && (p.flags & SPACE) == (q.flags & SPACE)
            }
            (
                Item::Param {
                    idx: i,
                    flags: f,
                    stringize: s,
                },
                Item::Param {
                    idx: j,
                    flags: g,
                    stringize: t,
                },
            ) => i == j && s == t && (f & SPACE) == (g & SPACE),
            (
                Item::VaOpt {
                    items: i,
                    flags: f,
                    stringize: s,
                },
                Item::VaOpt {
                    items: j,
                    flags: g,
                    stringize: t,
                },
            ) => s == t && (f & SPACE) == (g & SPACE) && same_items(i, j),
            (Item::Paste, Item::Paste) => true,
            _ => false,
        })
}

/// `__DATE__` and `__TIME__` for now (or for `SOURCE_DATE_EPOCH`, for reproducible builds),
/// in UTC.
pub fn date_time_strings() -> (String, String) {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d, hh, mm, ss, _) = civil(secs);
    (
        format!("\"{} {:>2} {}\"", MONTHS[m as usize - 1], d, y),
        format!("\"{hh:02}:{mm:02}:{ss:02}\""),
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Unix seconds to (year, month, day, hour, minute, second, weekday index from Thursday),
/// using the days-to-civil algorithm on the proleptic Gregorian calendar.
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32, usize) {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem / 60 % 60) as u32,
        (rem % 60) as u32,
        days.rem_euclid(7) as usize,
    )
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// The `#` operator: spells the argument as a string literal, one space wherever the
/// argument had whitespace, with `"` and `\` escaped inside string and character literals.
fn stringize(toks: &[PTok], loc: Loc, flags: u8) -> PTok {
    let mut s = String::from("\"");
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && t.flags & (SPACE | BOL) != 0 {
            s.push(' ');
        }
        if matches!(t.kind, TokKind::StrLit | TokKind::CharLit) {
            for c in t.text.chars() {
                if c == '"' || c == '\\' {
                    s.push('\\');
                }
                s.push(c);
            }
        } else {
            s.push_str(&t.text);
        }
    }
    s.push('"');
    PTok::new(TokKind::StrLit, s.into(), loc, flags & SPACE)
}

/// Overwrites the whitespace flags of the first token (a parameter's replacement takes the
/// spacing of the parameter's spelling in the body).
fn set_first_flags(toks: &mut [PTok], flags: u8) {
    if let Some(t) = toks.first_mut() {
        t.flags = (t.flags & !(SPACE | BOL)) | (flags & SPACE);
    }
}

impl Cpp<'_> {
    pub(super) fn define_builtin(&mut self, b: Builtin) {
        let name = PpStr::new(b.name());
        let id = self.macro_id(&name);
        let m = Macro {
            name: name.clone(),
            id,
            kind: MacroKind::Builtin(b),
            params: Vec::new(),
            body: Vec::new(),
            loc: Loc::default(),
            simple: false,
        };
        self.st.macros.insert(name, Arc::new(m));
    }

    fn macro_id(&mut self, name: &PpStr) -> u32 {
        let next = self.st.macro_ids.len() as u32 + 1;
        *self.st.macro_ids.entry(name.clone()).or_insert(next)
    }

    pub(super) fn builtin_of(&self, t: &PTok) -> Option<Builtin> {
        match self.st.macros.get(t.text.as_str())?.kind {
            MacroKind::Builtin(b) => Some(b),
            _ => None,
        }
    }

    pub(super) fn do_define(&mut self) {
        let toks = self.rest_of_line();
        let Some(name) = toks.first() else {
            let loc = self.frames.last().map(|f| f.lex.here()).unwrap_or_default();
            self.error(loc, "no macro name given in #define directive");
            return;
        };
        if name.kind != TokKind::Ident {
            self.error(name.loc, "macro names must be identifiers");
            return;
        }
        if name.text == "defined" {
            self.error(name.loc, "\"defined\" cannot be used as a macro name");
            return;
        }
        if name.text == "__VA_ARGS__" || name.text == "__VA_OPT__" {
            self.error(
                name.loc,
                format!("{} can not be used as a macro name", name.text),
            );
            return;
        }
        let mut i = 1;
        let mut params: Vec<PpStr> = Vec::new();
        let mut variadic = false;
        let function = toks.get(1).is_some_and(|t| t.is("(") && !t.space());
        if function {
            i = 2;
            let mut expect_param = true;
            loop {
                let Some(t) = toks.get(i) else {
                    self.error(name.loc, "missing ')' in macro parameter list");
                    return;
                };
                i += 1;
                if t.is(")") && (!expect_param || params.is_empty()) && !variadic {
                    break;
                }
                if variadic {
                    if t.is(")") {
                        break;
                    }
                    self.error(t.loc, "missing ')' after \"...\"");
                    return;
                }
                if expect_param {
                    if t.is("...") {
                        params.push(PpStr::new("__VA_ARGS__"));
                        variadic = true;
                        continue;
                    }
                    if t.kind != TokKind::Ident {
                        self.error(
                            t.loc,
                            format!("expected parameter name, found \"{}\"", t.text),
                        );
                        return;
                    }
                    if t.text == "__VA_ARGS__" {
                        self.error(
                            t.loc,
                            "__VA_ARGS__ can only appear in the expansion of a C99 variadic macro",
                        );
                        return;
                    }
                    if params.contains(&t.text) {
                        self.error(t.loc, format!("duplicate macro parameter \"{}\"", t.text));
                        return;
                    }
                    params.push(t.text.clone());
                    // GNU named variadic parameter: `args...`.
                    if toks.get(i).is_some_and(|n| n.is("...")) {
                        i += 1;
                        variadic = true;
                    }
                    expect_param = false;
                } else if t.is(",") {
                    expect_param = true;
                } else {
                    self.error(t.loc, format!("expected ',' or ')', found \"{}\"", t.text));
                    return;
                }
            }
        }
        let mut body_toks: Vec<PTok> = toks[i..].to_vec();
        for t in &mut body_toks {
            t.flags &= !BOL;
        }
        if let Some(t) = body_toks.first_mut() {
            t.flags &= !SPACE;
        }
        let body = if function {
            match self.parse_body(&body_toks, &params, variadic, false) {
                Ok(b) => b,
                Err((loc, msg)) => {
                    self.error(loc, msg);
                    return;
                }
            }
        } else {
            body_toks
                .iter()
                .map(|t| {
                    if t.is_paste() {
                        Item::Paste
                    } else {
                        Item::Tok(t.clone())
                    }
                })
                .collect()
        };
        if matches!(body.first(), Some(Item::Paste)) || matches!(body.last(), Some(Item::Paste)) {
            let loc = body_toks
                .iter()
                .find(|t| t.is_paste())
                .map_or(name.loc, |t| t.loc);
            self.error(loc, "'##' cannot appear at either end of a macro expansion");
            return;
        }
        let kind = if function {
            MacroKind::Function {
                nparams: params.len(),
                variadic,
            }
        } else {
            MacroKind::Object
        };
        let simple = !function && !body.iter().any(|it| matches!(it, Item::Paste));
        let id = self.macro_id(&name.text);
        let m = Macro {
            name: name.text.clone(),
            id,
            kind,
            params,
            body,
            loc: name.loc,
            simple,
        };
        if let Some(old) = self.st.macros.get(name.text.as_str()) {
            let builtin = matches!(old.kind, MacroKind::Builtin(_));
            if builtin
                || old.kind != m.kind
                || old.params != m.params
                || !same_items(&old.body, &m.body)
            {
                let old_loc = old.loc;
                if !self.frames.last().is_some_and(|f| f.system) {
                    let mut d = crate::diag::Diagnostic::warning(
                        name.loc,
                        format!("\"{}\" redefined", name.text),
                    );
                    if !builtin && (old_loc.file.0 as usize) < self.sm.len() {
                        d = d.with_note(old_loc, "this is the location of the previous definition");
                    }
                    self.diags.push(d);
                }
            }
        }
        self.st.macros.insert(name.text.clone(), Arc::new(m));
    }

    /// Parses a function-like macro's replacement list into [`Item`]s, checking `#`, `##`
    /// and `__VA_OPT__` placement.
    fn parse_body(
        &mut self,
        toks: &[PTok],
        params: &[PpStr],
        variadic: bool,
        in_va_opt: bool,
    ) -> Result<Vec<Item>, (Loc, String)> {
        let param_of = |t: &PTok| -> Option<usize> {
            if t.kind != TokKind::Ident {
                return None;
            }
            params.iter().position(|p| *p == t.text)
        };
        let mut items = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if t.is_hash() {
                match toks.get(i + 1) {
                    Some(n) if param_of(n).is_some() => {
                        items.push(Item::Param {
                            idx: param_of(n).unwrap_or(0),
                            flags: t.flags,
                            stringize: true,
                        });
                        i += 2;
                    }
                    Some(n) if variadic && n.is_ident("__VA_OPT__") => {
                        let (inner, next) = self.parse_va_opt(toks, i + 1, params, in_va_opt)?;
                        items.push(Item::VaOpt {
                            items: inner,
                            flags: t.flags,
                            stringize: true,
                        });
                        i = next;
                    }
                    _ => {
                        return Err((t.loc, "'#' is not followed by a macro parameter".into()));
                    }
                }
                continue;
            }
            if t.is_paste() {
                items.push(Item::Paste);
            } else if let Some(idx) = param_of(t) {
                items.push(Item::Param {
                    idx,
                    flags: t.flags,
                    stringize: false,
                });
            } else if variadic && t.is_ident("__VA_OPT__") {
                let (inner, next) = self.parse_va_opt(toks, i, params, in_va_opt)?;
                items.push(Item::VaOpt {
                    items: inner,
                    flags: t.flags,
                    stringize: false,
                });
                i = next;
                continue;
            } else {
                if t.is_ident("__VA_ARGS__") {
                    self.warn(
                        t.loc,
                        "__VA_ARGS__ can only appear in the expansion of a C99 variadic macro",
                    );
                }
                items.push(Item::Tok(t.clone()));
            }
            i += 1;
        }
        Ok(items)
    }

    /// Parses `__VA_OPT__ ( ... )` starting at the `__VA_OPT__` token; returns the inner
    /// items and the index after the closing parenthesis.
    fn parse_va_opt(
        &mut self,
        toks: &[PTok],
        at: usize,
        params: &[PpStr],
        in_va_opt: bool,
    ) -> Result<(Vec<Item>, usize), (Loc, String)> {
        let loc = toks[at].loc;
        if in_va_opt {
            return Err((loc, "__VA_OPT__ may not appear in a __VA_OPT__".into()));
        }
        if !toks.get(at + 1).is_some_and(|t| t.is("(")) {
            return Err((
                loc,
                "__VA_OPT__ must be followed by an open parenthesis".into(),
            ));
        }
        let mut depth = 0;
        let mut close = None;
        for (j, t) in toks.iter().enumerate().skip(at + 1) {
            if t.is("(") {
                depth += 1;
            } else if t.is(")") {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
        }
        let Some(close) = close else {
            return Err((loc, "unterminated __VA_OPT__".into()));
        };
        let mut inner_toks = toks[at + 2..close].to_vec();
        if let Some(t) = inner_toks.first_mut() {
            t.flags &= !SPACE;
        }
        let inner = self.parse_body(&inner_toks, params, true, true)?;
        if matches!(inner.first(), Some(Item::Paste)) || matches!(inner.last(), Some(Item::Paste)) {
            return Err((loc, "'##' cannot appear at either end of __VA_OPT__".into()));
        }
        Ok((inner, close + 1))
    }

    pub(super) fn do_undef(&mut self) {
        let toks = self.rest_of_line();
        let Some(t) = toks.first() else {
            let loc = self.frames.last().map(|f| f.lex.here()).unwrap_or_default();
            self.error(loc, "no macro name given in #undef directive");
            return;
        };
        if t.kind != TokKind::Ident {
            self.error(t.loc, "macro names must be identifiers");
            return;
        }
        if let Some(extra) = toks.get(1) {
            self.warn(extra.loc, "extra tokens at end of #undef directive");
        }
        if t.text == "defined" {
            self.error(t.loc, "\"defined\" cannot be used as a macro name");
            return;
        }
        if let Some(m) = self.st.macros.remove(t.text.as_str()) {
            if matches!(m.kind, MacroKind::Builtin(_)) {
                self.warn(t.loc, format!("undefining \"{}\"", t.text));
            }
        }
    }

    /// Expands `t` if it names a macro that its hide set allows. Returns true if `t` was
    /// consumed (its replacement, if any, is now on the pending stack).
    pub(super) fn try_expand(&mut self, t: &PTok) -> bool {
        let Some(m) = self.st.macros.get(t.text.as_str()) else {
            if !self.st.poisoned.is_empty() && self.st.poisoned.contains(t.text.as_str()) {
                self.error(t.loc, format!("attempt to use poisoned \"{}\"", t.text));
            }
            return false;
        };
        if self.hs.contains(t.hs, m.id) {
            return false;
        }
        let m = m.clone();
        // An invocation written in a user file (not one an expansion produced): diagnostics
        // located there get a note at the definition.
        if t.hs == 0
            && !matches!(m.kind, MacroKind::Builtin(_))
            && !self.frames.last().is_some_and(|f| f.system)
        {
            self.diags.macro_uses.push((t.loc, m.loc));
        }
        match m.kind {
            MacroKind::Object => {
                let hs = self.hs.add(t.hs, m.id);
                let out = if m.simple {
                    m.body
                        .iter()
                        .filter_map(|it| match it {
                            Item::Tok(b) => {
                                let mut b = b.clone();
                                b.loc = t.loc;
                                Some(b)
                            }
                            _ => None,
                        })
                        .collect()
                } else {
                    self.substitute(&m, &m.body, &[], &mut [], t)
                };
                self.push_expansion(t, hs, out);
                true
            }
            MacroKind::Function { nparams, variadic } => {
                self.expand_function(t, &m, nparams, variadic)
            }
            MacroKind::Builtin(b) => self.expand_builtin(b, t),
        }
    }

    /// Puts a replacement on the pending stack, giving it the macro's hide set and the
    /// invocation's leading whitespace.
    fn push_expansion(&mut self, name: &PTok, hs: u32, mut out: Vec<PTok>) {
        for t in &mut out {
            t.hs = self.hs.union(t.hs, hs);
        }
        match out.first_mut() {
            Some(first) => {
                first.flags = (first.flags & !(SPACE | BOL)) | (name.flags & (SPACE | BOL))
            }
            None => self.carry |= name.flags & (SPACE | BOL),
        }
        self.pending.extend(out.into_iter().rev());
    }

    fn expand_function(
        &mut self,
        name: &PTok,
        m: &Arc<Macro>,
        nparams: usize,
        variadic: bool,
    ) -> bool {
        self.collecting += 1;
        let next = self.next_raw();
        self.collecting -= 1;
        match next {
            Some(t) if t.is("(") => {}
            Some(t) => {
                // Not an invocation: the name stays as it is.
                self.pending.push(t);
                return false;
            }
            None => return false,
        }
        let Some((mut args, rparen)) = self.collect_args(name, nparams, variadic) else {
            return true;
        };
        let given = args.len();
        if nparams == 0 {
            if given == 1 && args[0].is_empty() {
                args.clear();
            } else {
                self.error(
                    name.loc,
                    format!(
                        "macro \"{}\" passed {given} arguments, but takes just 0",
                        m.name
                    ),
                );
                return true;
            }
        } else if variadic && given == nparams - 1 {
            // The variable arguments are absent (not merely empty): see `, ## __VA_ARGS__`.
        } else if variadic && nparams == 1 && self.st.opts.gnu && args[0].is_empty() {
            // gcc's GNU mode cannot tell `F()` from "no variable arguments" and treats it as
            // the latter.
            args.clear();
        } else if given < nparams {
            let need = if variadic { nparams - 1 } else { nparams };
            self.error(
                name.loc,
                format!(
                    "macro \"{}\" requires {need} arguments, but only {given} given",
                    m.name
                ),
            );
            return true;
        } else if given > nparams {
            self.error(
                name.loc,
                format!(
                    "macro \"{}\" passed {given} arguments, but takes just {nparams}",
                    m.name
                ),
            );
            return true;
        }
        let hs = self.hs.intersect(name.hs, rparen.hs);
        let hs = self.hs.add(hs, m.id);
        let mut expanded: Vec<Option<Vec<PTok>>> = vec![None; args.len()];
        let out = self.substitute(m, &m.body, &args, &mut expanded, name);
        self.push_expansion(name, hs, out);
        true
    }

    /// Reads the arguments of an invocation whose `(` was consumed. Returns them and the
    /// closing parenthesis, or `None` (after an error) if the input ended first.
    fn collect_args(
        &mut self,
        name: &PTok,
        nparams: usize,
        variadic: bool,
    ) -> Option<(Vec<Vec<PTok>>, PTok)> {
        let mut args: Vec<Vec<PTok>> = vec![Vec::new()];
        let mut depth = 0u32;
        self.collecting += 1;
        let rparen = loop {
            let Some(mut t) = self.next_raw() else {
                self.error(
                    name.loc,
                    format!(
                        "unterminated argument list invoking macro \"{}\"",
                        name.text
                    ),
                );
                break None;
            };
            if t.kind == TokKind::Punct {
                match t.text.as_str() {
                    "(" => depth += 1,
                    ")" if depth == 0 => break Some(t),
                    ")" => depth -= 1,
                    "," if depth == 0 && !(variadic && args.len() == nparams) => {
                        args.push(Vec::new());
                        continue;
                    }
                    _ => {}
                }
            }
            // A newline inside the arguments is just whitespace.
            if t.flags & BOL != 0 {
                t.flags = (t.flags & !BOL) | SPACE;
            }
            if let Some(a) = args.last_mut() {
                a.push(t);
            }
        };
        self.collecting -= 1;
        rparen.map(|r| (args, r))
    }

    /// Fully macro-expands a token list on its own (an argument, a directive's operands).
    pub(super) fn expand_list(&mut self, toks: &[PTok]) -> Vec<PTok> {
        let needs = toks
            .iter()
            .any(|t| t.kind == TokKind::Ident && self.st.macros.contains_key(t.text.as_str()));
        if !needs {
            return toks.to_vec();
        }
        if self.arg_depth >= MAX_ARG_DEPTH {
            if let Some(t) = toks.first() {
                self.error(t.loc, "macro arguments nested too deeply");
            }
            return toks.to_vec();
        }
        self.arg_depth += 1;
        let carry = std::mem::take(&mut self.carry);
        self.pending.push(PTok::marker());
        self.pending.extend(toks.iter().rev().cloned());
        let mut out = Vec::with_capacity(toks.len());
        while let Some(t) = self.next_token() {
            out.push(t);
        }
        if self.pending.last().is_some_and(|t| t.flags & MARKER != 0) {
            self.pending.pop();
        }
        self.carry = carry;
        self.arg_depth -= 1;
        out
    }

    /// Builds the replacement of one macro invocation (Prosser's `subst`).
    fn substitute(
        &mut self,
        m: &Macro,
        items: &[Item],
        args: &[Vec<PTok>],
        expanded: &mut [Option<Vec<PTok>>],
        name: &PTok,
    ) -> Vec<PTok> {
        let va = match m.kind {
            MacroKind::Function {
                nparams,
                variadic: true,
            } => Some(nparams - 1),
            _ => None,
        };
        let mut out: Vec<PTok> = Vec::new();
        // Whether everything pasted so far in the current `##` chain produced no tokens
        // (the C standard's placemarker).
        let mut chain_empty = false;
        for (i, item) in items.iter().enumerate() {
            if matches!(item, Item::Paste) {
                continue;
            }
            let after_paste = i > 0 && matches!(items[i - 1], Item::Paste);
            let before_paste = matches!(items.get(i + 1), Some(Item::Paste));
            // GNU `, ## __VA_ARGS__`: the comma disappears when the variable arguments are
            // absent; otherwise the arguments follow it unexpanded and nothing is pasted.
            if let Item::Param {
                idx,
                flags,
                stringize: false,
            } = item
            {
                let comma_before = i >= 2 && matches!(&items[i - 2], Item::Tok(t) if t.is(","));
                if after_paste && comma_before && Some(*idx) == va {
                    match args.get(*idx) {
                        None => {
                            if !chain_empty {
                                out.pop();
                            }
                        }
                        Some(a) => {
                            let mut toks = a.clone();
                            set_first_flags(&mut toks, *flags);
                            out.extend(toks);
                        }
                    }
                    chain_empty = false;
                    continue;
                }
            }
            let toks = self.operand(
                m,
                item,
                args,
                expanded,
                name,
                after_paste || before_paste,
                va,
            );
            if after_paste {
                if chain_empty {
                    chain_empty = toks.is_empty();
                    out.extend(toks);
                } else if let Some((first, rest)) = toks.split_first() {
                    match out.pop() {
                        Some(left) => {
                            let pasted = self.paste(left, first);
                            out.extend(pasted);
                        }
                        None => out.push(first.clone()),
                    }
                    out.extend_from_slice(rest);
                }
            } else {
                chain_empty = toks.is_empty();
                out.extend(toks);
            }
        }
        out
    }

    /// The tokens one replacement-list item stands for. Parameters next to `##` are used as
    /// written; elsewhere they are fully expanded first (once, then cached).
    #[allow(clippy::too_many_arguments)]
    fn operand(
        &mut self,
        m: &Macro,
        item: &Item,
        args: &[Vec<PTok>],
        expanded: &mut [Option<Vec<PTok>>],
        name: &PTok,
        raw: bool,
        va: Option<usize>,
    ) -> Vec<PTok> {
        match item {
            Item::Tok(t) => {
                let mut t = t.clone();
                t.loc = name.loc;
                vec![t]
            }
            Item::Paste => Vec::new(),
            Item::Param {
                idx,
                flags,
                stringize: str_op,
            } => {
                let Some(arg) = args.get(*idx) else {
                    return Vec::new();
                };
                if *str_op {
                    return vec![stringize(arg, name.loc, *flags)];
                }
                let mut toks = if raw {
                    arg.clone()
                } else {
                    self.expanded_arg(args, expanded, *idx)
                };
                set_first_flags(&mut toks, *flags);
                toks
            }
            Item::VaOpt {
                items,
                flags,
                stringize: str_op,
            } => {
                // C23: `__VA_OPT__` contributes only if the variable arguments expand to
                // at least one token (gcc 12 agrees).
                let present = va.is_some_and(|v| !self.expanded_arg(args, expanded, v).is_empty());
                let mut toks = if present {
                    self.substitute(m, items, args, expanded, name)
                } else {
                    Vec::new()
                };
                if *str_op {
                    return vec![stringize(&toks, name.loc, *flags)];
                }
                set_first_flags(&mut toks, *flags);
                toks
            }
        }
    }

    fn expanded_arg(
        &mut self,
        args: &[Vec<PTok>],
        expanded: &mut [Option<Vec<PTok>>],
        idx: usize,
    ) -> Vec<PTok> {
        if let Some(Some(e)) = expanded.get(idx) {
            return e.clone();
        }
        let e = match args.get(idx) {
            Some(a) => self.expand_list(a),
            None => Vec::new(),
        };
        if let Some(slot) = expanded.get_mut(idx) {
            *slot = Some(e.clone());
        }
        e
    }

    /// The `##` operator on two tokens. An invalid result is an error, and both tokens are
    /// kept as they were (gcc's recovery).
    fn paste(&mut self, left: PTok, right: &PTok) -> Vec<PTok> {
        let text = format!("{}{}", left.text, right.text);
        match single_token_kind(&text) {
            Some(kind) => {
                let mut t = left;
                t.kind = kind;
                t.text = text.into();
                vec![t]
            }
            None => {
                self.error(
                    left.loc,
                    format!(
                        "pasting \"{}\" and \"{}\" does not give a valid preprocessing token",
                        left.text, right.text
                    ),
                );
                vec![left, right.clone()]
            }
        }
    }

    fn expand_builtin(&mut self, b: Builtin, t: &PTok) -> bool {
        let (kind, text) = match b {
            Builtin::File => {
                let (name, _, _) = self.sm.resolve(t.loc);
                (TokKind::StrLit, quote(name))
            }
            Builtin::Line => {
                let (_, line, _) = self.sm.resolve(t.loc);
                (TokKind::Number, line.to_string())
            }
            Builtin::Counter => {
                let c = self.st.counter;
                self.st.counter += 1;
                (TokKind::Number, c.to_string())
            }
            Builtin::IncludeLevel => (
                TokKind::Number,
                self.frames.len().saturating_sub(1).to_string(),
            ),
            Builtin::BaseFile => (TokKind::StrLit, quote(&self.base_file)),
            Builtin::Date | Builtin::Time | Builtin::Timestamp => {
                self.st.deps.time_dependent = true;
                match b {
                    Builtin::Date => (TokKind::StrLit, self.st.date.clone()),
                    Builtin::Time => (TokKind::StrLit, self.st.time.clone()),
                    _ => (TokKind::StrLit, self.timestamp()),
                }
            }
            Builtin::Pragma => return self.pragma_operator(t),
            // The `__has_*` operators only mean something inside `#if`.
            _ => return false,
        };
        let mut tok = PTok::new(kind, text.into(), t.loc, t.flags);
        tok.hs = t.hs;
        self.pending.push(tok);
        true
    }

    /// `__TIMESTAMP__`: the current file's modification time, `"Sun Sep 16 01:03:52 1973"`.
    fn timestamp(&self) -> String {
        let mtime = self
            .frames
            .last()
            .and_then(|f| self.sm.file(f.lex.file).path.as_ref())
            .and_then(|p| std::fs::metadata(p).ok())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        match mtime {
            Some(d) => {
                let (y, m, day, hh, mm, ss, wd) = civil(d.as_secs() as i64);
                format!(
                    "\"{} {} {:>2} {hh:02}:{mm:02}:{ss:02} {y}\"",
                    DAYS[wd],
                    MONTHS[m as usize - 1],
                    day
                )
            }
            None => "\"??? ??? ?? ??:??:?? ????\"".to_string(),
        }
    }

    /// `_Pragma("...")`: destringizes the operand and handles it like `#pragma`.
    fn pragma_operator(&mut self, t: &PTok) -> bool {
        let open = self.next_raw();
        if !open.as_ref().is_some_and(|o| o.is("(")) {
            if let Some(o) = open {
                self.pending.push(o);
            }
            self.error(t.loc, "_Pragma takes a parenthesized string literal");
            return true;
        }
        let s = self.next_token();
        let close = self.next_raw();
        let s = match (s, close) {
            (Some(s), Some(c)) if s.kind == TokKind::StrLit && c.is(")") => s,
            _ => {
                self.error(t.loc, "_Pragma takes a parenthesized string literal");
                return true;
            }
        };
        let body = s.text.trim_start_matches(['L', 'u', 'U', '8']);
        let body = body.get(1..body.len().saturating_sub(1)).unwrap_or("");
        let text = super::unescape_simple(body);
        let toks = lex_string(&text, t.loc, self.diags);
        if let Some(mut p) = self.do_pragma(toks, t.loc) {
            p.flags = BOL;
            self.pending.push(p);
        }
        true
    }
}

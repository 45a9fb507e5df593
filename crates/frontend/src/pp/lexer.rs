//! Preprocessing-token lexer (translation phases 1–3) and the cheap scanner that skips
//! false conditional groups.
//!
//! Line splices are removed once per file up front (most files have none, and then the text
//! is used as it is); a small table maps offsets in the spliced text back to the original,
//! so every [`Loc`] points into the file as written.

use super::token::{PTok, PpStr, BOL, SPACE};
use super::TokKind;
use crate::diag::Diagnostics;
use crate::source::{FileId, Loc};
use std::sync::Arc;

/// A file's text with line splices removed, plus the map back to original offsets.
#[derive(Clone)]
pub struct CleanText {
    pub text: Arc<str>,
    /// (offset in `text` where a splice was removed, total bytes removed up to and
    /// including that splice), sorted.
    pub splices: Arc<[(u32, u32)]>,
}

impl CleanText {
    pub fn new(src: &str) -> Self {
        let b = src.as_bytes();
        let mut out: Option<String> = None;
        let mut splices = Vec::new();
        let mut copied = 0;
        let mut removed = 0u32;
        let mut i = 0;
        while let Some(off) = b[i..].iter().position(|&c| c == b'\\') {
            let bs = i + off;
            i = bs + 1;
            // gcc accepts (with a warning) blanks between the backslash and the newline.
            let mut j = bs + 1;
            while j < b.len() && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            if j < b.len() && b[j] == b'\r' {
                j += 1;
            }
            if j < b.len() && b[j] == b'\n' {
                let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
                o.push_str(&src[copied..bs]);
                copied = j + 1;
                removed += (j + 1 - bs) as u32;
                splices.push((o.len() as u32, removed));
                i = j + 1;
            }
        }
        let text: Arc<str> = match out {
            Some(mut o) => {
                o.push_str(&src[copied..]);
                Arc::from(o)
            }
            None => Arc::from(src),
        };
        CleanText {
            text,
            splices: Arc::from(splices),
        }
    }

    /// Original-file offset of an offset in the spliced text.
    #[inline]
    pub fn orig(&self, clean: usize) -> u32 {
        if self.splices.is_empty() {
            return clean as u32;
        }
        let idx = self.splices.partition_point(|s| s.0 as usize <= clean);
        clean as u32 + if idx > 0 { self.splices[idx - 1].1 } else { 0 }
    }
}

pub struct Lexer {
    pub file: FileId,
    src: CleanText,
    pos: usize,
    bol: bool,
    space: bool,
    /// In directive lines an unterminated quote is only a warning, as in gcc
    /// (`#define X don't` is legal if never used in code).
    pub lenient: bool,
    /// `//` starts a comment (not in strict C89/C90).
    pub line_comments: bool,
}

#[inline]
fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80
}

#[inline]
fn is_ident_cont(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Length of a universal character name (`\uXXXX`, `\UXXXXXXXX`) at `i`, if there is one.
fn ucn_len(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'\\') {
        return None;
    }
    let n = match b.get(i + 1) {
        Some(b'u') => 4,
        Some(b'U') => 8,
        _ => return None,
    };
    let digits = b.get(i + 2..i + 2 + n)?;
    digits
        .iter()
        .all(|c| c.is_ascii_hexdigit())
        .then_some(n + 2)
}

/// Outcome of scanning one token.
pub struct Scanned {
    pub kind: TokKind,
    pub end: usize,
    /// Set for an unterminated string or character literal (which then runs to the end of the line).
    pub unterminated: Option<u8>,
}

const PUNCTS3: [&[u8]; 4] = [b"...", b"<<=", b">>=", b"%:%"];
const PUNCTS2: [&[u8]; 24] = [
    b"->", b"++", b"--", b"<<", b">>", b"<=", b">=", b"==", b"!=", b"&&", b"||", b"*=", b"/=",
    b"%=", b"+=", b"-=", b"&=", b"^=", b"|=", b"##", b"<:", b":>", b"<%", b"%>",
];

/// Scans one preprocessing token starting at `i` (which must not be whitespace or a comment).
pub fn scan_token(b: &[u8], i: usize) -> Scanned {
    let c = b[i];
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    // Encoding prefixes of character and string literals.
    let prefix = match (c, at(1), at(2)) {
        (b'u', b'8', b'"' | b'\'') => 2,
        (b'L' | b'u' | b'U', b'"' | b'\'', _) => 1,
        _ => 0,
    };
    if prefix > 0 || c == b'"' || c == b'\'' {
        let quote = b[i + prefix];
        let mut j = i + prefix + 1;
        while j < b.len() {
            match b[j] {
                b'\\' if j + 1 < b.len() && b[j + 1] != b'\n' => j += 2,
                b'\n' => break,
                q if q == quote => {
                    let kind = if quote == b'"' {
                        TokKind::StrLit
                    } else {
                        TokKind::CharLit
                    };
                    return Scanned {
                        kind,
                        end: j + 1,
                        unterminated: None,
                    };
                }
                _ => j += 1,
            }
        }
        let end = j.min(b.len());
        // A lone '\r' before the newline is line ending, not part of the literal.
        let end = if end > i + 1 && b[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        return Scanned {
            kind: TokKind::Other,
            end,
            unterminated: Some(quote),
        };
    }
    if is_ident_start(c) || ucn_len(b, i).is_some() {
        let mut j = i;
        while j < b.len() {
            if is_ident_cont(b[j]) {
                j += 1;
            } else if let Some(n) = ucn_len(b, j) {
                j += n;
            } else {
                break;
            }
        }
        return Scanned {
            kind: TokKind::Ident,
            end: j,
            unterminated: None,
        };
    }
    if c.is_ascii_digit() || (c == b'.' && at(1).is_ascii_digit()) {
        let mut j = i + 1;
        while j < b.len() {
            let d = b[j];
            if matches!(d, b'e' | b'E' | b'p' | b'P') && matches!(b.get(j + 1), Some(b'+' | b'-')) {
                j += 2;
            } else if is_ident_cont(d) || d == b'.' {
                j += 1;
            } else if let Some(n) = ucn_len(b, j) {
                j += n;
            } else {
                break;
            }
        }
        return Scanned {
            kind: TokKind::Number,
            end: j,
            unterminated: None,
        };
    }
    let rest = &b[i..];
    // `%:%:` is the digraph of `##`; `%:%` alone is not a token, hence the extra check.
    if rest.starts_with(b"%:%:") {
        return punct(i + 4);
    }
    if PUNCTS3.iter().take(3).any(|p| rest.starts_with(p)) {
        return punct(i + 3);
    }
    if PUNCTS2.iter().any(|p| rest.starts_with(p)) || rest.starts_with(b"%:") {
        return punct(i + 2);
    }
    if b"[](){}.&*+-~!/%<>^|?:;=,#".contains(&c) {
        return punct(i + 1);
    }
    // Anything else (`@`, a stray backslash, a control character) is a one-character token;
    // bytes >= 0x80 were taken as identifier characters above, so this is ASCII.
    Scanned {
        kind: TokKind::Other,
        end: i + 1,
        unterminated: None,
    }
}

fn punct(end: usize) -> Scanned {
    Scanned {
        kind: TokKind::Punct,
        end,
        unterminated: None,
    }
}

/// The kind of `text` if it is exactly one preprocessing token (used to validate `##`).
pub fn single_token_kind(text: &str) -> Option<TokKind> {
    let b = text.as_bytes();
    if b.is_empty() || b[0].is_ascii_whitespace() || b.starts_with(b"//") || b.starts_with(b"/*") {
        return None;
    }
    let s = scan_token(b, 0);
    (s.end == b.len() && s.unterminated.is_none()).then_some(s.kind)
}

impl Lexer {
    pub fn new(file: FileId, src: CleanText) -> Self {
        Lexer {
            file,
            src,
            pos: 0,
            bol: true,
            space: false,
            lenient: false,
            line_comments: true,
        }
    }

    /// Location of an offset in the spliced text.
    pub fn loc(&self, clean: usize) -> Loc {
        Loc::new(self.file, self.src.orig(clean))
    }

    /// Location of the current position.
    pub fn here(&self) -> Loc {
        self.loc(self.pos)
    }

    /// Skips blanks and comments. Stops before a newline if `stop_at_newline`.
    /// Returns false at end of input or (when stopping) at a newline.
    fn skip_space(&mut self, diags: &mut Diagnostics, stop_at_newline: bool) -> bool {
        let b = self.src.text.as_bytes();
        loop {
            let Some(&c) = b.get(self.pos) else {
                return false;
            };
            match c {
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                    self.pos += 1;
                    self.space = true;
                }
                b'\n' => {
                    if stop_at_newline {
                        return false;
                    }
                    self.pos += 1;
                    self.bol = true;
                    self.space = false;
                }
                b'/' if self.line_comments && b.get(self.pos + 1) == Some(&b'/') => {
                    self.pos = b[self.pos..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |p| self.pos + p);
                    self.space = true;
                }
                b'/' if b.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match find(&b[self.pos + 2..], b"*/") {
                        Some(p) => self.pos += 2 + p + 2,
                        None => {
                            diags.error(self.loc(start), "unterminated comment");
                            self.pos = b.len();
                        }
                    }
                    self.space = true;
                }
                _ => return true,
            }
        }
    }

    /// The next token, or `None` at end of file (or at a newline if `stop_at_newline`).
    pub fn next(&mut self, diags: &mut Diagnostics, stop_at_newline: bool) -> Option<PTok> {
        if !self.skip_space(diags, stop_at_newline) {
            return None;
        }
        let start = self.pos;
        let s = scan_token(self.src.text.as_bytes(), start);
        self.pos = s.end;
        let text = PpStr::new(&self.src.text[start..s.end]);
        let loc = self.loc(start);
        if let Some(q) = s.unterminated {
            let msg = format!("missing terminating {} character", q as char);
            if self.lenient {
                diags.warning(loc, msg);
            } else {
                diags.error(loc, msg);
            }
        }
        let mut flags = 0;
        if self.space {
            flags |= SPACE;
        }
        if self.bol {
            flags |= BOL;
        }
        self.space = false;
        self.bol = false;
        Some(PTok::new(s.kind, text, loc, flags))
    }

    /// All remaining tokens of the current line (the newline itself is not consumed).
    pub fn rest_of_line(&mut self, diags: &mut Diagnostics) -> Vec<PTok> {
        let mut v = Vec::new();
        let saved = self.lenient;
        self.lenient = true;
        while let Some(t) = self.next(diags, true) {
            v.push(t);
        }
        self.lenient = saved;
        v
    }

    /// The rest of the line as written (for `#error`), after lexing it for its warnings.
    pub fn rest_of_line_text(&mut self, diags: &mut Diagnostics) -> String {
        self.skip_space(diags, true);
        let start = self.pos;
        self.rest_of_line(diags);
        self.src.text[start..self.pos].trim_end().to_string()
    }

    /// Reads `<...>` as one header name if that is what comes next on the line; otherwise
    /// leaves the position alone. Needed because `//` or `'` inside `<...>` are not comments
    /// or quotes there.
    pub fn header_name(&mut self, diags: &mut Diagnostics) -> Option<(PpStr, Loc)> {
        if !self.skip_space(diags, true) {
            return None;
        }
        let b = self.src.text.as_bytes();
        if b.get(self.pos) != Some(&b'<') {
            return None;
        }
        let start = self.pos;
        let end = b[start..]
            .iter()
            .position(|&c| c == b'>' || c == b'\n')
            .map(|p| start + p)?;
        if b[end] != b'>' {
            return None;
        }
        self.pos = end + 1;
        self.space = false;
        Some((PpStr::new(&self.src.text[start..=end]), self.loc(start)))
    }

    /// Offset (original) of the start of the next line, where a `#line` takes effect.
    pub fn next_line_offset(&self) -> u32 {
        let b = self.src.text.as_bytes();
        let nl = b[self.pos.min(b.len())..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| self.pos + p + 1);
        self.src.orig(nl)
    }

    /// Skips to the end of the current line (consuming the newline), passing over comments
    /// and quoted text without complaining: skipped groups may hold any text (`don't`).
    fn skip_line(&mut self) {
        let b = self.src.text.as_bytes();
        while self.pos < b.len() {
            match b[self.pos] {
                b'\n' => {
                    self.pos += 1;
                    return;
                }
                b'/' if b.get(self.pos + 1) == Some(&b'/') => {
                    self.pos = b[self.pos..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |p| self.pos + p);
                }
                b'/' if b.get(self.pos + 1) == Some(&b'*') => {
                    self.pos =
                        find(&b[self.pos + 2..], b"*/").map_or(b.len(), |p| self.pos + p + 4);
                }
                q @ (b'"' | b'\'') => {
                    self.pos += 1;
                    while self.pos < b.len() && b[self.pos] != q && b[self.pos] != b'\n' {
                        self.pos += if b[self.pos] == b'\\' { 2 } else { 1 };
                    }
                    if self.pos < b.len() && b[self.pos] == q {
                        self.pos += 1;
                    }
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(b.len());
    }

    /// Skips a false conditional group: whole lines, tracking nested conditionals, until a
    /// `#elif`, `#else`, `#endif` (or C23 `#elifdef`/`#elifndef`) at this level. Returns that
    /// directive's name and its location, positioned after the name; `None` at end
    /// of file. Nothing in the group is tokenized or macro-expanded.
    pub fn skip_group(&mut self) -> Option<(PpStr, Loc)> {
        self.skip_line();
        let mut depth = 0u32;
        let len = self.src.text.len();
        while self.pos < len {
            let b = self.src.text.as_bytes();
            // Blanks and block comments before a possible `#`.
            loop {
                match b.get(self.pos) {
                    Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c) => self.pos += 1,
                    Some(b'/') if b.get(self.pos + 1) == Some(&b'*') => {
                        self.pos =
                            find(&b[self.pos + 2..], b"*/").map_or(b.len(), |p| self.pos + p + 4);
                    }
                    _ => break,
                }
            }
            let is_hash = match b.get(self.pos) {
                Some(b'#') => {
                    self.pos += 1;
                    true
                }
                Some(b'%') if b.get(self.pos + 1) == Some(&b':') => {
                    self.pos += 2;
                    true
                }
                _ => false,
            };
            if is_hash {
                loop {
                    match b.get(self.pos) {
                        Some(b' ' | b'\t') => self.pos += 1,
                        Some(b'/') if b.get(self.pos + 1) == Some(&b'*') => {
                            self.pos = find(&b[self.pos + 2..], b"*/")
                                .map_or(b.len(), |p| self.pos + p + 4);
                        }
                        _ => break,
                    }
                }
                let start = self.pos;
                while self.pos < b.len() && is_ident_cont(b[self.pos]) {
                    self.pos += 1;
                }
                let name = &self.src.text[start..self.pos];
                match name {
                    "if" | "ifdef" | "ifndef" => depth += 1,
                    "endif" if depth > 0 => depth -= 1,
                    "endif" | "else" | "elif" | "elifdef" | "elifndef" if depth == 0 => {
                        self.bol = false;
                        self.space = false;
                        return Some((PpStr::new(name), self.loc(start)));
                    }
                    _ => {}
                }
            }
            self.skip_line();
        }
        None
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Tokenizes a string (for `_Pragma`, `-D` values in tests, and pasting checks); every token
/// gets `loc`.
pub fn lex_string(text: &str, loc: Loc, diags: &mut Diagnostics) -> Vec<PTok> {
    let mut lx = Lexer::new(loc.file, CleanText::new(text));
    lx.lenient = true;
    let mut v = Vec::new();
    while let Some(mut t) = lx.next(diags, false) {
        t.loc = loc;
        v.push(t);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(s: &str) -> (Vec<(TokKind, String, u32, u8)>, Diagnostics) {
        let mut d = Diagnostics::default();
        let mut lx = Lexer::new(FileId(0), CleanText::new(s));
        let mut v = Vec::new();
        while let Some(t) = lx.next(&mut d, false) {
            v.push((t.kind, t.text.to_string(), t.loc.offset, t.flags));
        }
        (v, d)
    }

    fn texts(s: &str) -> Vec<String> {
        lex(s).0.into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn punctuators_and_numbers() {
        assert_eq!(
            texts("a+++++b ...>>=<<= %:%: %: <::> .5e+3 0x1p-3 1.2.3 x->y"),
            [
                "a", "++", "++", "+", "b", "...", ">>=", "<<=", "%:%:", "%:", "<:", ":>", ".5e+3",
                "0x1p-3", "1.2.3", "x", "->", "y"
            ]
        );
        assert_eq!(texts("1e+x 1+x"), ["1e+x", "1", "+", "x"]);
    }

    #[test]
    fn literals_with_prefixes() {
        let (v, d) = lex(r#"L"a\"b" u8"x" u'c' U"d" 'q\'' uu"x""#);
        let kinds: Vec<_> = v.iter().map(|t| (t.0, t.1.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (TokKind::StrLit, r#"L"a\"b""#),
                (TokKind::StrLit, r#"u8"x""#),
                (TokKind::CharLit, "u'c'"),
                (TokKind::StrLit, r#"U"d""#),
                (TokKind::CharLit, r"'q\''"),
                (TokKind::Ident, "uu"),
                (TokKind::StrLit, r#""x""#),
            ]
        );
        assert!(!d.has_errors());
    }

    #[test]
    fn splices_keep_original_locations() {
        let src = "ab\\\ncd e\\\r\nf /\\\n* c *\\\n/ g";
        let (v, d) = lex(src);
        assert!(!d.has_errors());
        let got: Vec<_> = v.iter().map(|t| (t.1.as_str(), t.2)).collect();
        assert_eq!(got, [("abcd", 0), ("ef", 7), ("g", 25)]);
    }

    #[test]
    fn comments_and_flags() {
        let (v, _) = lex("a/**/b // c\n  d/* x\n y */e");
        let got: Vec<_> = v.iter().map(|t| (t.1.as_str(), t.3)).collect();
        assert_eq!(
            got,
            [("a", BOL), ("b", SPACE), ("d", BOL | SPACE), ("e", SPACE)]
        );
    }

    #[test]
    fn unterminated_things_are_errors() {
        let (v, d) = lex("x /* never closed");
        assert_eq!(v.len(), 1);
        assert_eq!(d.items[0].message, "unterminated comment");
        assert_eq!(d.items[0].loc.map(|l| l.offset), Some(2));
        let (v, d) = lex("\"abc\nnext");
        assert_eq!(v[0].1, "\"abc");
        assert_eq!(v[1].1, "next");
        assert_eq!(d.items[0].message, "missing terminating \" character");
        let (_, d) = lex("'a");
        assert_eq!(d.items[0].message, "missing terminating ' character");
    }

    #[test]
    fn skip_group_tracks_nesting_and_ignores_text() {
        let src =
            "#if 0\ndon't /* #endif\n*/ \"#else\"\n# if 1\n#else\n#endif\n  # /**/ else junk\nx";
        let mut lx = Lexer::new(FileId(0), CleanText::new(src));
        let mut d = Diagnostics::default();
        // Consume the `#if 0` line first, as the directive handler would.
        while lx.next(&mut d, true).is_some() {}
        let (name, loc) = lx.skip_group().expect("found");
        assert_eq!(&*name, "else");
        assert_eq!(loc.offset as usize, src.find("else junk").unwrap_or(0));
        assert!(!d.has_errors());
    }

    #[test]
    fn single_token_check() {
        assert_eq!(single_token_kind("ab"), Some(TokKind::Ident));
        assert_eq!(single_token_kind("+="), Some(TokKind::Punct));
        assert_eq!(single_token_kind("//"), None);
        assert_eq!(single_token_kind(".."), None);
        assert_eq!(single_token_kind("1e"), Some(TokKind::Number));
        assert_eq!(single_token_kind("L\"x\""), Some(TokKind::StrLit));
    }
}

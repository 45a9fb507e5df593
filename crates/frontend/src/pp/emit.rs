//! Turning the token stream into text: for lang-c (with a map back to source locations and
//! the pragmas it would drop) and for `cfree cc -E` (gcc-style, with line markers).

use super::{TokKind, Token};
use crate::source::{FileId, Loc, SourceMap};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

/// Text for lang-c plus the map back to source locations.
#[derive(Clone, Debug, Default)]
pub struct ParseText {
    /// Tokens separated by one space, or a newline where a source line began.
    pub text: String,
    /// (byte offset in `text` where a token starts, its location), sorted by offset.
    pub token_offsets: Vec<(u32, Loc)>,
    /// (offset, pragma text after `#pragma`). The offset is the end of the token before the
    /// pragma: the pragma applies to tokens starting after it.
    pub pragmas: Vec<(u32, String)>,
}

impl ParseText {
    /// Location of the token at or before `offset`.
    pub fn loc_at(&self, offset: u32) -> Option<Loc> {
        let i = self.token_offsets.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).map(|i| self.token_offsets[i].1)
    }
}

pub fn emit_parse_text(tokens: &[Token]) -> ParseText {
    let mut text = String::with_capacity(tokens.len() * 6);
    let mut token_offsets = Vec::with_capacity(tokens.len());
    let mut pragmas = Vec::new();
    for t in tokens {
        if t.kind == TokKind::Pragma {
            pragmas.push((text.len() as u32, t.text.to_string()));
            continue;
        }
        // Separate tokens so `+` `+` from a macro cannot become `++`; but keep parentheses
        // adjacent: lang-c's grammar spells `__attribute__((` and `))` as single terminals.
        let new_line = t.line_start || text.is_empty();
        let paren_pair =
            (&*t.text == "(" && text.ends_with('(')) || (&*t.text == ")" && text.ends_with(')'));
        if !text.is_empty() && (!paren_pair || t.line_start) {
            text.push(if t.line_start { '\n' } else { ' ' });
        }
        // lang-c skips lines starting with `#`; a stray `#` token must not hide its line.
        if new_line && t.text.starts_with('#') {
            text.push(' ');
        }
        token_offsets.push((text.len() as u32, t.loc));
        text.push_str(&t.text);
    }
    ParseText {
        text,
        token_offsets,
        pragmas,
    }
}

/// Names of files that are system headers, for the `3` flag of `-E` line markers.
/// `emit_preprocessed` only gets the tokens and the SourceMap, so the preprocessor records
/// here which of the files it opened were found in a system directory (or said
/// `#pragma GCC system_header`).
fn system_files() -> &'static Mutex<HashSet<String>> {
    static FILES: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    FILES.get_or_init(|| Mutex::new(HashSet::new()))
}

pub(super) fn register_system_file(name: &str) {
    if let Ok(mut s) = system_files().lock() {
        if !s.contains(name) {
            s.insert(name.to_string());
        }
    }
}

fn is_system_file(name: &str) -> bool {
    name.starts_with("<cfree>/") || system_files().lock().is_ok_and(|s| s.contains(name))
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Whether printing `cur` right after `prev` would lex differently (gcc's avoid_paste).
fn needs_space(prev: &Token, cur: &Token) -> bool {
    let (Some(&a), Some(&b)) = (prev.text.as_bytes().last(), cur.text.as_bytes().first()) else {
        return false;
    };
    if is_word(a) && (is_word(b) || b == b'\'' || b == b'"') {
        return true;
    }
    if prev.kind == TokKind::Number && matches!(b, b'.' | b'+' | b'-') {
        return true;
    }
    if a == b'.' && b.is_ascii_digit() {
        return true;
    }
    matches!(
        (a, b),
        (b'+', b'+')
            | (b'-', b'-' | b'>')
            | (b'<', b'<' | b':' | b'%')
            | (b'>', b'>')
            | (b'&', b'&')
            | (b'|', b'|')
            | (b'#', b'#' | b'%')
            | (b'%', b':' | b'>')
            | (b':', b'>')
            | (b'/', b'/' | b'*')
            | (b'.', b'.')
            | (
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'<' | b'>' | b'=' | b'!',
                b'='
            )
    )
}

fn write_marker(out: &mut String, line: u32, name: &str, flag: &str, system: bool) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    let _ = write!(out, "# {line} \"{escaped}\"{flag}");
    if system {
        out.push_str(" 3 4");
    }
    out.push('\n');
}

/// `cfree cc -E` output: gcc-style text with `# N "file" flags` line markers (1 = enter an
/// include, 2 = return to the includer, 3 = system header). Files are entered in the order
/// they were opened, so a switch to a file with a higher id is an entry and one to a lower
/// id a return. Up to 8 skipped lines are reproduced as blank lines, more by a marker, and
/// lines keep their indentation, as with gcc.
pub fn emit_preprocessed(tokens: &[Token], sm: &SourceMap) -> String {
    let mut out = String::with_capacity(tokens.len() * 6);
    let mut cur_file: Option<FileId> = None;
    let mut cur_name = String::new();
    let mut cur_line = 0u32;
    let mut at_bol = true;
    let mut prev: Option<&Token> = None;
    for t in tokens {
        let valid = (t.loc.file.0 as usize) < sm.len();
        let (name, line, col) = if valid {
            let (n, l, c) = sm.resolve(t.loc);
            (n.to_string(), l, c)
        } else {
            (cur_name.clone(), cur_line, 1)
        };
        if valid && cur_file != Some(t.loc.file) {
            let flag = match cur_file {
                None => "",
                Some(c) if t.loc.file.0 > c.0 => " 1",
                Some(_) => " 2",
            };
            let system = is_system_file(&sm.file(t.loc.file).name);
            write_marker(&mut out, line, &name, flag, system);
            cur_file = Some(t.loc.file);
            cur_name = name.clone();
            cur_line = line;
            at_bol = true;
        } else if t.line_start || t.kind == TokKind::Pragma {
            if name != cur_name || line < cur_line || line > cur_line + 8 {
                let system = valid && is_system_file(&sm.file(t.loc.file).name);
                write_marker(&mut out, line, &name, "", system);
                cur_name = name.clone();
                at_bol = true;
            } else if line > cur_line {
                if !at_bol {
                    out.push('\n');
                    cur_line += 1;
                }
                for _ in cur_line..line {
                    out.push('\n');
                }
                at_bol = true;
            }
            cur_line = line;
        }
        if t.kind == TokKind::Pragma {
            if !at_bol {
                out.push('\n');
            }
            out.push_str("#pragma ");
            out.push_str(&t.text);
            out.push('\n');
            cur_line += 1;
            at_bol = true;
            prev = None;
            continue;
        }
        if at_bol {
            // Keep the line's indentation. A token that starts a line without leading
            // space came from a macro argument spelled further right: no indentation.
            if t.line_start && t.leading_space && col > 1 {
                out.extend(std::iter::repeat_n(' ', col as usize - 1));
            } else if t.leading_space {
                out.push(' ');
            }
        } else if t.leading_space || prev.is_some_and(|p| needs_space(p, t)) {
            out.push(' ');
        }
        out.push_str(&t.text);
        at_bol = false;
        prev = Some(t);
    }
    if !at_bol {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pp::PpStr;

    fn tok(kind: TokKind, text: &str, offset: u32, space: bool, bol: bool) -> Token {
        Token {
            kind,
            text: PpStr::from(text),
            loc: Loc::new(FileId(0), offset),
            leading_space: space,
            line_start: bol,
        }
    }

    #[test]
    fn parse_text_separates_tokens_and_records_pragmas() {
        let toks = vec![
            tok(TokKind::Punct, "+", 0, false, true),
            tok(TokKind::Punct, "+", 1, false, false),
            tok(TokKind::Pragma, "pack(1)", 2, false, true),
            tok(TokKind::Punct, "#", 10, false, true),
            tok(TokKind::Ident, "x", 12, true, false),
        ];
        let p = emit_parse_text(&toks);
        assert_eq!(p.text, "+ +\n # x");
        assert_eq!(p.pragmas, vec![(3, "pack(1)".to_string())]);
        assert_eq!(
            p.token_offsets.iter().map(|o| o.0).collect::<Vec<_>>(),
            [0, 2, 5, 7]
        );
        assert_eq!(p.loc_at(6).map(|l| l.offset), Some(10));
        assert_eq!(p.loc_at(100).map(|l| l.offset), Some(12));
    }

    #[test]
    fn avoid_paste() {
        let a = tok(TokKind::Punct, "+", 0, false, false);
        let b = tok(TokKind::Punct, "+", 0, false, false);
        let c = tok(TokKind::Punct, ";", 0, false, false);
        let n = tok(TokKind::Number, "1e", 0, false, false);
        assert!(needs_space(&a, &b));
        assert!(!needs_space(&a, &c));
        assert!(needs_space(&n, &a));
    }
}

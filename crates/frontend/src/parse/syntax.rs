//! A syntax error as gcc and clang put it: one thing expected (`expected ';' before 'return'`,
//! at the end of the token that should have been followed by it), not the parser's whole
//! list of tokens it could have taken, and spelled as the source spells it (never the
//! lowering's internal names).

use crate::diag::Diagnostic;
use crate::pp::ParseText;
use crate::source::Loc;
use std::collections::BTreeSet;

/// What the parser stopped at: `offset` into `text.text`, with the tokens it would have taken.
pub(super) fn diagnostic(text: &ParseText, offset: usize, expected: &[&str]) -> Diagnostic {
    let expected: BTreeSet<&str> = expected
        .iter()
        .copied()
        // Character classes, and the pieces of a string literal's grammar (`u8`, `"`).
        .filter(|x| {
            !x.is_empty() && !x.starts_with('[') && !matches!(*x, "<typedef_name>" | "u8" | "\"")
        })
        .collect();
    let at = text
        .token_offsets
        .partition_point(|(o, _)| (*o as usize) <= offset)
        .checked_sub(1);
    let found = at.map(|i| token_text(text, i));
    let here = at.map(|i| text.token_offsets[i].1);
    // The parser stopped before a token, or after the last one.
    let before_token = match (&found, at) {
        (Some(t), Some(i)) if text.token_offsets[i].0 as usize >= offset => Some(t),
        _ => None,
    };
    let at_end = before_token.is_none();
    let found_desc = match before_token {
        Some(t) => format!("before '{t}'"),
        None => "at end of input".to_string(),
    };
    let before = at.and_then(|i| i.checked_sub(1));
    let after_prev = before.map(|i| end_of(text, i));
    // A character that starts no C token (`@`, a control byte): gcc's "stray" error, at it.
    let stray = at.is_some_and(|i| is_stray(token_raw(text, i)));
    if let Some(t) = found.as_deref().filter(|_| stray) {
        return Diagnostic::error(here, format!("stray '{t}' in program"));
    }
    if expected.contains("(") && expected.contains("*") && expected.len() <= 3 {
        // A declarator should start here (`int 3x;`).
        return Diagnostic::error(here, format!("expected identifier or '(' {found_desc}"));
    }
    if at_end && expected.contains("}") {
        return Diagnostic::error(here, "expected '}' at end of input");
    }
    for closer in [";", ")", "]", "}"] {
        if expected.contains(closer) {
            // A missing terminator is reported where it belongs: right after the previous
            // token (gcc and clang both do; the next token is often on the next line).
            let loc = if closer == ";" {
                after_prev.or(here)
            } else {
                here
            };
            return Diagnostic::error(loc, format!("expected '{closer}' {found_desc}"));
        }
    }
    let msg = if starts_expression(&expected) {
        format!("expected expression {found_desc}")
    } else {
        match expected.iter().next() {
            Some(one) if expected.len() == 1 => format!("expected '{one}' {found_desc}"),
            _ => format!("syntax error {found_desc}"),
        }
    };
    Diagnostic::error(here, msg)
}

/// The parser could have started an expression here.
fn starts_expression(expected: &BTreeSet<&str>) -> bool {
    ["!", "~", "++"].iter().all(|t| expected.contains(t))
}

/// The source spelling of token `i` (identifiers the lowering renamed back to theirs).
fn token_text(text: &ParseText, i: usize) -> String {
    printable(&crate::lower::demangle_ident(token_raw(text, i)))
}

/// Token `i` as the parser's text spells it.
fn token_raw(text: &ParseText, i: usize) -> &str {
    let start = text.token_offsets[i].0 as usize;
    let end = text
        .token_offsets
        .get(i + 1)
        .map_or(text.text.len(), |t| t.0 as usize);
    text.text.get(start..end).unwrap_or("").trim_end()
}

/// A token that begins with a character C has no use for (`@`, a control byte, `\`).
fn is_stray(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_control() || matches!(c, '@' | '`' | '\\'))
}

/// Control characters as gcc spells a stray byte (`\1`, `\33`), never raw on the terminal.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\{:o}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Just after token `i` (same file as it, its spelling's length on).
fn end_of(text: &ParseText, i: usize) -> Loc {
    let loc = text.token_offsets[i].1;
    let len = token_text(text, i).len() as u32;
    Loc::new(loc.file, loc.offset.saturating_add(len))
}

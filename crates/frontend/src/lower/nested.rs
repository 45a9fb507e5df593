//! GNU C nested functions: a function definition inside a block.
//!
//! lang-c parses function definitions only at file scope. A nested definition
//! `T f(P) { body }` is rewritten in place to the declaration
//! `T f(P) __attribute__((__cfree_nested__(({ body }))));`: the body becomes a statement
//! expression inside a marker attribute, so it is parsed where it stands, in the enclosing
//! scope (the parent's typedefs, tags and variables are visible), and every token keeps its
//! location. Sema recognises the marker ([`NESTED_MARKER`]) and analyses the body as a
//! function that reaches the parent's frame through a static chain.

use super::{is, punct, synth};
use crate::pp::{TokKind, Token};

/// The attribute name sema looks for (as lang-c reports it, without underscores).
pub const NESTED_MARKER: &str = "cfree_nested";

/// Words that start a statement, never a declaration.
const STATEMENT_WORDS: &[&str] = &[
    "if",
    "while",
    "for",
    "switch",
    "do",
    "else",
    "return",
    "case",
    "default",
    "goto",
    "break",
    "continue",
    "sizeof",
    "_Alignof",
    "__alignof__",
];

/// Words whose parenthesised group is never a function declarator.
const NOT_DECLARATOR: &[&str] = &[
    "__attribute__",
    "__attribute",
    "asm",
    "__asm__",
    "__asm",
    "typeof",
    "__typeof__",
    "__typeof",
    "sizeof",
    "_Alignof",
    "__alignof__",
    "_Alignas",
    "_Atomic",
    "if",
    "while",
    "for",
    "switch",
    "return",
];

/// Rewrites every nested function definition (see the module comment).
pub fn lower_nested(toks: Vec<Token>) -> Vec<Token> {
    let opens = nested_bodies(&toks);
    if opens.is_empty() {
        return toks;
    }
    let mut before: Vec<usize> = Vec::new();
    let mut after: Vec<usize> = Vec::new();
    for &open in &opens {
        before.push(open);
        after.push(super::skip_braces(&toks, open));
    }
    after.sort_unstable();
    let mut out = Vec::with_capacity(toks.len() + 12 * opens.len());
    let (mut b, mut a) = (0, 0);
    for (i, t) in toks.iter().enumerate() {
        while a < after.len() && after[a] == i {
            close(&mut out, &toks[i - 1]);
            a += 1;
        }
        if b < before.len() && before[b] == i {
            out.push(synth(t, "__attribute__"));
            for _ in 0..2 {
                out.push(punct(t, "("));
            }
            out.push(synth(t, "__cfree_nested__"));
            for _ in 0..2 {
                out.push(punct(t, "("));
            }
            b += 1;
        }
        out.push(t.clone());
    }
    while a < after.len() {
        if let Some(last) = toks.last() {
            close(&mut out, last);
        }
        a += 1;
    }
    out
}

fn close(out: &mut Vec<Token>, like: &Token) {
    for _ in 0..4 {
        out.push(punct(like, ")"));
    }
    out.push(punct(like, ";"));
}

/// Indices of the `{` that open nested function bodies, in order.
fn nested_bodies(toks: &[Token]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut braces = 0i32;
    let mut parens = 0i32;
    // Index of the first token of the current statement or declaration.
    let mut start = 0usize;
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokKind::StrLit || t.kind == TokKind::CharLit {
            continue;
        }
        match &*t.text {
            "(" | "[" => parens += 1,
            ")" | "]" => parens -= 1,
            "{" if parens == 0 => {
                if braces > 0 && is_function_body(toks, start, i) {
                    found.push(i);
                }
                braces += 1;
                start = i + 1;
            }
            "{" => braces += 1,
            "}" => {
                braces -= 1;
                if parens == 0 {
                    start = i + 1;
                }
            }
            ";" if parens == 0 => start = i + 1,
            _ => {}
        }
    }
    found
}

/// `toks[start..open]` is a function declarator (specifiers, declarator with parameter list,
/// optional attributes or asm label) and `toks[open]` its `{`.
fn is_function_body(toks: &[Token], start: usize, open: usize) -> bool {
    if start >= open {
        return false;
    }
    let first = &toks[start];
    if first.kind != TokKind::Ident || STATEMENT_WORDS.contains(&&*first.text) {
        return false;
    }
    // A label `name:` before a declaration is not C; an expression statement has `=` or
    // operators at the top level.
    let mut depth = 0i32;
    for t in &toks[start..open] {
        match &*t.text {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            "=" | ":" | "," | "?" if depth == 0 => return false,
            _ => {}
        }
    }
    // Skip trailing `__attribute__((...))` and `asm("...")` groups.
    let mut j = open;
    loop {
        if j == start || !is(&toks[j - 1], ")") {
            return false;
        }
        let Some(k) = matching_open(toks, j - 1, start) else {
            return false;
        };
        if k == start {
            return false;
        }
        let before = &toks[k - 1];
        if before.kind == TokKind::Ident && NOT_DECLARATOR.contains(&&*before.text) {
            if matches!(
                &*before.text,
                "__attribute__" | "__attribute" | "asm" | "__asm__" | "__asm"
            ) {
                j = k - 1;
                continue;
            }
            return false;
        }
        return before.kind == TokKind::Ident || is(before, ")");
    }
}

/// Index of the `(` matching the `)` at `close`, not before `lo`.
fn matching_open(toks: &[Token], close: usize, lo: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = close;
    loop {
        if is(&toks[i], ")") {
            depth += 1;
        } else if is(&toks[i], "(") {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        if i == lo {
            return None;
        }
        i -= 1;
    }
}

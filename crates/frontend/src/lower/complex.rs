//! GNU `__real__ x` / `__imag__ x`: unary operators lang-c does not know. Each becomes a call
//! of the pseudo-builtin [`REAL_PART`] / [`IMAG_PART`] around its operand (a cast-expression
//! in GCC's grammar), which sema turns into the part's lvalue or value.

use super::{is, skip_parens, starts_type_name};
use crate::pp::{TokKind, Token};
use std::collections::HashSet;

/// The pseudo-builtin `__real__ x` is rewritten to.
pub const REAL_PART: &str = "__cfree_real";
/// The pseudo-builtin `__imag__ x` is rewritten to.
pub const IMAG_PART: &str = "__cfree_imag";

/// The pseudo-builtin for a `__real__`/`__imag__` keyword token, if `t` is one.
pub fn part_builtin(t: &Token) -> Option<&'static str> {
    if is(t, "__real__") || is(t, "__real") {
        Some(REAL_PART)
    } else if is(t, "__imag__") || is(t, "__imag") {
        Some(IMAG_PART)
    } else {
        None
    }
}

const PREFIX_OPS: &[&str] = &["-", "+", "!", "~", "*", "&", "++", "--"];

/// Index just past the cast-expression starting at `start` (the operand of `__real__`).
pub fn operand_end(toks: &[Token], start: usize, typedefs: &HashSet<String>) -> usize {
    let mut j = start;
    loop {
        let Some(t) = toks.get(j) else { return j };
        if t.kind == TokKind::Punct && PREFIX_OPS.contains(&&*t.text) || part_builtin(t).is_some() {
            j += 1;
            continue;
        }
        if is(t, "sizeof") || is(t, "_Alignof") || is(t, "__alignof__") {
            j += 1;
            if toks.get(j).is_some_and(|x| is(x, "(")) {
                return postfix_end(toks, skip_parens(toks, j));
            }
            continue;
        }
        if is(t, "(") {
            let close = skip_parens(toks, j);
            let is_cast = toks
                .get(j + 1)
                .is_some_and(|x| starts_type_name(x, typedefs))
                && toks.get(close).is_some_and(|x| !is(x, "{"));
            if is_cast {
                j = close;
                continue;
            }
            return postfix_end(toks, close);
        }
        let mut k = j + 1;
        if t.kind == TokKind::StrLit {
            while toks.get(k).is_some_and(|x| x.kind == TokKind::StrLit) {
                k += 1;
            }
        }
        return postfix_end(toks, k);
    }
}

/// Index past the postfix operators (`[...]`, `(...)`, `.m`, `->m`, `++`, `--`) from `j`.
fn postfix_end(toks: &[Token], mut j: usize) -> usize {
    while let Some(t) = toks.get(j) {
        if is(t, "[") {
            let mut depth = 0usize;
            while let Some(x) = toks.get(j) {
                if is(x, "[") {
                    depth += 1;
                } else if is(x, "]") {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            j += 1;
        } else if is(t, "(") {
            j = skip_parens(toks, j);
        } else if is(t, ".") || is(t, "->") {
            j += 2;
        } else if is(t, "++") || is(t, "--") {
            j += 1;
        } else {
            break;
        }
    }
    j.min(toks.len())
}

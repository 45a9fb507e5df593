//! Parsing with lang-c, unforked, on a thread with a large stack.
//!
//! lang-c is a recursive PEG parser: deep nesting overflows an 8 MiB stack (an abort, not an
//! error). A 1 GiB reservation parses 100k nested parentheses; memory is only committed as
//! touched. The parser sees the lowered token text; every span maps back to a source [`Loc`].

use crate::diag::Diagnostics;
use crate::pp::{self, Token};
use crate::source::Loc;
use crate::timing::PhaseTimes;
use lang_c::ast;

const PARSER_STACK: usize = 1 << 30;

mod split;
mod syntax;

thread_local! {
    /// This thread's stack is at least [`PARSER_STACK`]: parse here instead of on a new thread.
    static LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declares that the calling thread was created with a stack of at least `size` bytes, so
/// that parsing can run on it (saving a thread per parse) when that is large enough.
pub fn thread_has_stack(size: usize) {
    LARGE_STACK.set(size >= PARSER_STACK);
}

/// A parsed translation unit with the map from parse-text offsets to source locations.
pub struct Parsed {
    pub unit: ast::TranslationUnit,
    pub text: pp::ParseText,
    /// Length of the lowering prelude that precedes `text` in what lang-c parsed.
    pub prelude_len: usize,
    /// How many pieces the text was parsed in, in parallel (1: whole).
    pub pieces: usize,
}

impl Parsed {
    /// The source location of a byte offset of the parsed text.
    pub fn loc_of(&self, offset: usize) -> Loc {
        let off = offset.saturating_sub(self.prelude_len) as u32;
        self.text
            .loc_at(off)
            .or_else(|| self.text.token_offsets.first().map(|t| t.1))
            .unwrap_or_default()
    }
}

/// Lowers, prints and parses preprocessed tokens; syntax errors become diagnostics.
pub fn parse_tokens(tokens: Vec<Token>, diags: &mut Diagnostics) -> Option<Parsed> {
    parse_tokens_timed(tokens, diags, &mut PhaseTimes::default(), 1)
}

/// [`parse_tokens`], adding the time of lowering (`lower`) and of printing and parsing
/// (`parse`) to `times`; a large unit is parsed in up to `threads` pieces in parallel (see
/// `split.rs`: the tree is the one the whole parse gives).
pub fn parse_tokens_timed(
    tokens: Vec<Token>,
    diags: &mut Diagnostics,
    times: &mut PhaseTimes,
    threads: usize,
) -> Option<Parsed> {
    parse_tokens_in_pieces(tokens, diags, times, threads, split::MIN_PIECE)
}

/// [`parse_tokens_timed`] with pieces of at least `min_piece` bytes of text (tests make it
/// small to split small files).
pub fn parse_tokens_in_pieces(
    tokens: Vec<Token>,
    diags: &mut Diagnostics,
    times: &mut PhaseTimes,
    threads: usize,
    min_piece: usize,
) -> Option<Parsed> {
    let lowered = times.time("lower", || crate::lower::lower(tokens));
    times.time("parse", || {
        let prelude = crate::lower::PRELUDE;
        let text = pp::emit_parse_text(&lowered);
        if threads > 1 {
            if let Some(split) = split::parse(&lowered, &text, prelude, threads, min_piece) {
                return Some(Parsed {
                    unit: split.unit,
                    text,
                    prelude_len: prelude.len(),
                    pieces: split.pieces,
                });
            }
        }
        drop(lowered);
        parse_text(text, prelude.to_string(), diags)
    })
}

/// Like [`parse_tokens`] for code that follows an earlier unit (the debugger's snippets): the
/// parser is told which of the names the code uses are typedef names of that unit, through
/// declarations in the prelude (`Parsed::prelude_len` bytes that sema skips).
pub fn parse_tokens_after(
    tokens: Vec<Token>,
    is_typedef: &dyn Fn(&str) -> bool,
    diags: &mut Diagnostics,
) -> Option<Parsed> {
    let lowered = crate::lower::lower(tokens);
    let mut prelude = crate::lower::PRELUDE.to_string();
    let mut seen = std::collections::HashSet::new();
    for t in lowered.iter().filter(|t| t.kind == pp::TokKind::Ident) {
        let name: &str = &t.text;
        if is_typedef(name) && seen.insert(name) {
            prelude.push_str(&format!("typedef int {name};\n"));
        }
    }
    parse_lowered(&lowered, prelude, diags)
}

fn parse_lowered(lowered: &[Token], prelude: String, diags: &mut Diagnostics) -> Option<Parsed> {
    parse_text(pp::emit_parse_text(lowered), prelude, diags)
}

fn parse_text(text: pp::ParseText, prelude: String, diags: &mut Diagnostics) -> Option<Parsed> {
    let prelude_len = prelude.len();
    let mut full = prelude;
    full.reserve(text.text.len());
    full.push_str(&text.text);
    let parse = move || {
        let cfg = lang_c::driver::Config::with_gcc();
        lang_c::driver::parse_preprocessed(&cfg, full)
    };
    let result = if LARGE_STACK.get() {
        std::panic::catch_unwind(parse).ok()
    } else {
        std::thread::Builder::new()
            .name("cfree-parse".into())
            .stack_size(PARSER_STACK)
            .spawn(parse)
            .ok()
            .and_then(|h| h.join().ok())
    };
    let Some(result) = result else {
        diags.error(None, "the parser failed (input nested too deeply?)");
        return None;
    };
    match result {
        Ok(p) => Some(Parsed {
            unit: p.unit,
            text,
            prelude_len,
            pieces: 1,
        }),
        Err(e) => {
            let offset = e.offset.saturating_sub(prelude_len);
            let expected: Vec<&str> = e.expected.iter().copied().collect();
            diags.push(syntax::diagnostic(&text, offset, &expected));
            None
        }
    }
}

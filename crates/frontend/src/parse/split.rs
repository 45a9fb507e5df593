//! Parsing one large unit in pieces on several threads.
//!
//! lang-c is the largest phase of a big unit (SQLite's amalgamation: a third of the compile).
//! A C file is a list of top-level items, and what lang-c needs to know at an item boundary
//! is only which file-scope names are typedef names; so the text is cut at `;` tokens at
//! nesting depth 0 into pieces, each piece parsed on its own thread after a prelude that
//! declares the typedef names a quick token scan (`Scan`) expects there.
//!
//! The result must be the tree the one-piece parse gives, so nothing is taken on trust:
//! - each piece after the first is padded with spaces to start at its offset in the whole
//!   text, so its spans are the whole parse's spans;
//! - after the parses, the file-scope names each piece's tree declares are replayed in order
//!   (`FileScope`): where the scan's guess at a boundary differs from the truth, that piece is
//!   parsed again with the true names;
//! - any piece with a syntax error, a name declared both as a typedef and as something else
//!   (invalid C, where the replay could differ from lang-c's), or a thread that cannot start
//!   gives up the split, and the caller parses the whole text as one piece (so errors are
//!   the one-piece parse's errors).

use super::{Token, PARSER_STACK};
use crate::keywords::{BASIC_TYPES, STORAGE_AND_QUALIFIERS};
use crate::pp::{ParseText, TokKind};
use lang_c::ast;
use std::collections::HashSet;

/// Texts shorter than this per piece are parsed whole: a thread with a 1 GiB stack and the
/// scan cost more than they save.
pub const MIN_PIECE: usize = 256 << 10;

/// The typedef names lang-c knows before any declaration (`Env::with_gnu`).
const BUILTIN_TYPEDEFS: &[&str] = &["__builtin_va_list"];

/// Parses the text in up to `threads` pieces of at least `min_piece` bytes; `None` when it is
/// not split or a check fails (the caller then parses it whole).
pub(super) fn parse(
    lowered: &[Token],
    text: &ParseText,
    prelude: &str,
    threads: usize,
    min_piece: usize,
) -> Option<Split> {
    let pieces = threads.min(text.text.len() / min_piece.max(1));
    if pieces < 2 {
        return None;
    }
    let cuts = Scan::new(prelude).cuts(lowered, text, pieces);
    if cuts.is_empty() {
        return None;
    }
    // Piece i covers text[starts[i]..starts[i + 1]].
    let mut bounds: Vec<(usize, usize, Option<&HashSet<String>>)> = Vec::new();
    let mut start = 0;
    for c in &cuts {
        bounds.push((
            start,
            c.offset,
            (start > 0).then(|| &cuts[bounds.len() - 1].typedefs),
        ));
        start = c.offset;
    }
    bounds.push((start, text.text.len(), cuts.last().map(|c| &c.typedefs)));
    let mut sources: Vec<(String, usize)> = bounds
        .iter()
        .map(|&(a, b, names)| piece_source(prelude, &text.text, a, b, names))
        .collect();
    // The first piece keeps the prelude's declarations, as the one-piece parse does.
    sources[0].1 = 0;
    let mut trees = parse_all(sources)?;
    let mut scope = FileScope::new(prelude);
    let mut unit = Vec::new();
    let mut reparsed = 0;
    for (i, tree) in trees.iter_mut().enumerate() {
        // A wrong guess may also have made the piece's prelude unparseable.
        let (t, skip) = match tree.take() {
            Some(t) if i == 0 || scope.typedefs == cuts[i - 1].typedefs => t,
            Some(_) | None if i == 0 => return None,
            _ => {
                let (a, b, _) = bounds[i];
                let (src, skip) = piece_source(prelude, &text.text, a, b, Some(&scope.typedefs));
                if skip == usize::MAX {
                    return None;
                }
                reparsed += 1;
                (parse_piece(src)?, skip)
            }
        };
        for d in t.0 {
            if d.span.start >= skip {
                scope.declare(&d.node)?;
                unit.push(d);
            }
        }
    }
    Some(Split {
        unit: ast::TranslationUnit(unit),
        pieces: bounds.len(),
        reparsed,
    })
}

/// A split parse: the tree, and how it went.
pub(super) struct Split {
    pub unit: ast::TranslationUnit,
    /// Pieces parsed in parallel.
    pub pieces: usize,
    /// Pieces parsed again because the scan guessed their typedef names wrong (the tests
    /// check the guess is right where it should be).
    #[cfg_attr(not(test), allow(dead_code))]
    pub reparsed: usize,
}

/// The text lang-c parses for `text[a..b]`: the prelude and the typedef names known there,
/// then spaces up to the piece's own offset. Also returns that offset: declarations before
/// it are the prelude's.
fn piece_source(
    prelude: &str,
    text: &str,
    a: usize,
    b: usize,
    typedefs: Option<&HashSet<String>>,
) -> (String, usize) {
    let mut s = String::with_capacity(prelude.len() + b);
    s.push_str(prelude);
    if let Some(names) = typedefs {
        let mut names: Vec<&String> = names.iter().collect();
        names.sort();
        for n in names {
            s.push_str("typedef int ");
            s.push_str(n);
            s.push_str(";\n");
        }
    }
    let start = prelude.len() + a;
    if s.len() > start {
        // The declarations do not fit before the piece's offset (a piece this far in is
        // never that close to the start; parse whole rather than shift spans).
        return (String::new(), usize::MAX);
    }
    let skip = s.len();
    s.extend(std::iter::repeat_n(' ', start - s.len()));
    s.push_str(&text[a..b]);
    (s, skip.min(start))
}

/// Parses every piece, the first on this thread (or a new one if this one's stack is small),
/// the others on new threads with the parser's stack; a piece that failed is `None`.
fn parse_all(sources: Vec<(String, usize)>) -> Option<Vec<Option<(ast::TranslationUnit, usize)>>> {
    if sources.iter().any(|(_, skip)| *skip == usize::MAX) {
        return None;
    }
    let skips: Vec<usize> = sources.iter().map(|(_, skip)| *skip).collect();
    let mut texts = sources.into_iter().map(|(src, _)| src);
    let first_text = texts.next()?;
    let results: Vec<Option<ast::TranslationUnit>> = std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .map(|src| {
                std::thread::Builder::new()
                    .name("cfree-parse".into())
                    .stack_size(PARSER_STACK)
                    .spawn_scoped(s, move || parse_piece(src))
            })
            .collect();
        let first = if super::LARGE_STACK.get() {
            parse_piece(first_text)
        } else {
            std::thread::Builder::new()
                .name("cfree-parse".into())
                .stack_size(PARSER_STACK)
                .spawn_scoped(s, move || parse_piece(first_text))
                .ok()
                .and_then(|h| h.join().ok().flatten())
        };
        let mut out = vec![first];
        for h in handles {
            out.push(h.ok().and_then(|h| h.join().ok().flatten()));
        }
        out
    });
    Some(
        results
            .into_iter()
            .zip(skips)
            .map(|(t, skip)| t.map(|t| (t, skip)))
            .collect(),
    )
}

fn parse_piece(src: String) -> Option<ast::TranslationUnit> {
    let cfg = lang_c::driver::Config::with_gcc();
    std::panic::catch_unwind(|| lang_c::driver::parse_preprocessed(&cfg, src))
        .ok()?
        .ok()
        .map(|p| p.unit)
}

/// The file-scope names the declarations so far introduce, as lang-c's environment records
/// them: typedef names, and every other declarator (a function definition's name included:
/// lang-c first tries it as a declaration).
struct FileScope {
    typedefs: HashSet<String>,
    others: HashSet<String>,
}

impl FileScope {
    fn new(prelude: &str) -> FileScope {
        FileScope {
            typedefs: initial_typedefs(prelude),
            others: HashSet::new(),
        }
    }

    /// Records `d`'s names; `None` if a name is both a typedef and something else.
    fn declare(&mut self, d: &ast::ExternalDeclaration) -> Option<()> {
        use ast::ExternalDeclaration as E;
        match d {
            E::Declaration(decl) => {
                let typedef = decl.node.specifiers.iter().any(|s| {
                    matches!(&s.node, ast::DeclarationSpecifier::StorageClass(c)
                        if c.node == ast::StorageClassSpecifier::Typedef)
                });
                for spec in &decl.node.specifiers {
                    if let ast::DeclarationSpecifier::TypeSpecifier(t) = &spec.node {
                        if let ast::TypeSpecifier::Enum(e) = &t.node {
                            for en in &e.node.enumerators {
                                self.add(&en.node.identifier.node.name, false)?;
                            }
                        }
                    }
                }
                for d in &decl.node.declarators {
                    if let Some(name) = declarator_name(&d.node.declarator.node) {
                        self.add(name, typedef)?;
                    }
                }
            }
            E::FunctionDefinition(f) => {
                if let Some(name) = declarator_name(&f.node.declarator.node) {
                    self.add(name, false)?;
                }
            }
            E::StaticAssert(_) => {}
        }
        Some(())
    }

    fn add(&mut self, name: &str, typedef: bool) -> Option<()> {
        let (mine, other) = if typedef {
            (&mut self.typedefs, &self.others)
        } else {
            (&mut self.others, &self.typedefs)
        };
        if other.contains(name) {
            return None;
        }
        mine.insert(name.to_string());
        Some(())
    }
}

fn declarator_name(d: &ast::Declarator) -> Option<&str> {
    match &d.kind.node {
        ast::DeclaratorKind::Identifier(i) => Some(&i.node.name),
        ast::DeclaratorKind::Declarator(inner) => declarator_name(&inner.node),
        ast::DeclaratorKind::Abstract => None,
    }
}

/// The typedef names known before the text: lang-c's own and the prelude's
/// (`typedef ... NAME;` declarations).
fn initial_typedefs(prelude: &str) -> HashSet<String> {
    let mut set: HashSet<String> = BUILTIN_TYPEDEFS.iter().map(|s| s.to_string()).collect();
    for decl in prelude.split(';') {
        if decl.trim_start().starts_with("typedef") {
            if let Some(name) = decl.split_whitespace().last() {
                set.insert(name.to_string());
            }
        }
    }
    set
}

/// A cut of the text: where the piece after it starts, and the typedef names the scan expects
/// to be declared there.
struct Cut {
    offset: usize,
    typedefs: HashSet<String>,
}

/// The token scan that guesses the typedef names at each cut: it follows top-level items
/// (declarations end at `;` at depth 0, function definitions at their body's `}`) and reads
/// the declarator names of those that say `typedef`.
struct Scan {
    typedefs: HashSet<String>,
}

impl Scan {
    fn new(prelude: &str) -> Scan {
        Scan {
            typedefs: initial_typedefs(prelude),
        }
    }

    /// Up to `pieces - 1` cuts, each at the first `;` at depth 0 after an even share of the
    /// text.
    fn cuts(mut self, lowered: &[Token], text: &ParseText, pieces: usize) -> Vec<Cut> {
        let len = text.text.len();
        let mut targets = (1..pieces).map(|i| len * i / pieces);
        let mut target = targets.next();
        let mut cuts = Vec::new();
        let mut depth = 0usize;
        let mut item_start = 0;
        let mut in_body = false;
        // The opening parenthesis of each open group at depth 0..: where it started.
        let mut opens: Vec<usize> = Vec::new();
        // Where the last group closed at depth 0 opened.
        let mut last_group = None;
        let toks: Vec<&Token> = lowered
            .iter()
            .filter(|t| t.kind != TokKind::Pragma)
            .collect();
        for j in 0..toks.len() {
            let t = &*toks[j].text;
            if toks[j].kind != TokKind::Punct {
                continue;
            }
            let item_end = match t {
                "(" | "[" => {
                    depth += 1;
                    opens.push(j);
                    false
                }
                ")" | "]" => {
                    depth = depth.saturating_sub(1);
                    let open = opens.pop();
                    if depth == 0 {
                        last_group = open;
                    }
                    false
                }
                "{" => {
                    if depth == 0 && j > item_start && &*toks[j - 1].text == ")" {
                        in_body = is_function_body(&toks[item_start..j], last_group, item_start);
                    }
                    depth += 1;
                    opens.push(j);
                    false
                }
                "}" => {
                    depth = depth.saturating_sub(1);
                    opens.pop();
                    // (a `;` after a body belongs to the item: lang-c reads `};` its own way)
                    depth == 0
                        && std::mem::take(&mut in_body)
                        && toks.get(j + 1).is_none_or(|n| &*n.text != ";")
                }
                ";" if depth == 0 => {
                    self.item(&toks[item_start..j]);
                    true
                }
                _ => false,
            };
            if !item_end {
                continue;
            }
            item_start = j + 1;
            // Non-pragma token j starts at token_offsets[j]; both enders are one byte.
            let end = text.token_offsets.get(j).map(|(o, _)| *o as usize + 1);
            if let (Some(tg), Some(end)) = (target, end) {
                if end >= tg && end < len {
                    cuts.push(Cut {
                        offset: end,
                        typedefs: self.typedefs.clone(),
                    });
                    target = targets.next();
                }
            }
        }
        cuts
    }

    /// A top-level declaration (without its `;`): if it is a typedef, its names.
    fn item(&mut self, item: &[&Token]) {
        if !item.iter().any(|t| &*t.text == "typedef") {
            return;
        }
        let mut i = self.skip_specifiers(item);
        while i < item.len() {
            if let Some(name) = declarator_name_at(item, &mut i) {
                self.typedefs.insert(name.to_string());
            }
            // To the next declarator.
            let mut depth = 0usize;
            while i < item.len() {
                match &*item[i].text {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    "," if depth == 0 => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }

    /// The index after the declaration specifiers.
    fn skip_specifiers(&self, item: &[&Token]) -> usize {
        let mut i = 0;
        let mut seen_type = false;
        while i < item.len() {
            let t = &*item[i].text;
            if t == "_Atomic" && item.get(i + 1).is_some_and(|t| &*t.text == "(") {
                seen_type = true;
                i = skip_group(item, i + 1);
            } else if STORAGE_AND_QUALIFIERS.contains(&t) {
                i += 1;
            } else if BASIC_TYPES.contains(&t) {
                seen_type = true;
                i += 1;
            } else if matches!(t, "struct" | "union" | "enum") {
                seen_type = true;
                i += 1;
                i = skip_attributes(item, i);
                if item.get(i).is_some_and(|t| t.kind == TokKind::Ident) {
                    i += 1;
                }
                if item.get(i).is_some_and(|t| &*t.text == "{") {
                    i = skip_group(item, i);
                }
            } else if GROUP_WORDS.contains(&t) {
                seen_type |= t.contains("typeof");
                i = skip_group(item, i + 1);
            } else if item[i].kind == TokKind::Ident && !seen_type && self.typedefs.contains(t) {
                seen_type = true;
                i += 1;
            } else {
                break;
            }
        }
        i
    }
}

/// Whether the `{` after `item` (which ends in `)`) opens a function body: the item is no
/// typedef, and the group the `)` closes (opened at token `group` of the whole stream) is a
/// parameter list, after the function's name or after a parenthesised declarator, not an
/// attribute's (`struct __attribute__((packed)) {`).
fn is_function_body(item: &[&Token], group: Option<usize>, item_start: usize) -> bool {
    if item.iter().any(|t| &*t.text == "typedef") {
        return false;
    }
    let Some(before) = group.and_then(|g| g.checked_sub(item_start + 1)) else {
        return false;
    };
    let t = item[before];
    &*t.text == ")"
        || (t.kind == TokKind::Ident
            && !GROUP_WORDS.contains(&&*t.text)
            && !matches!(&*t.text, "_Atomic" | "__typeof__" | "typeof"))
}

/// The name of the declarator starting at `*i`: its first identifier that is no keyword
/// (grouping parentheses come before the name, parameter lists only after it).
fn declarator_name_at<'t>(item: &[&'t Token], i: &mut usize) -> Option<&'t str> {
    while *i < item.len() {
        let t = item[*i];
        match &*t.text {
            "," => return None,
            w if GROUP_WORDS.contains(&w) => *i = skip_group(item, *i + 1),
            w if t.kind == TokKind::Ident && !STORAGE_AND_QUALIFIERS.contains(&w) => {
                *i += 1;
                return Some(&t.text);
            }
            _ => *i += 1,
        }
    }
    None
}

fn skip_attributes(item: &[&Token], mut i: usize) -> usize {
    while item
        .get(i)
        .is_some_and(|t| matches!(&*t.text, "__attribute__" | "__attribute" | "__declspec"))
    {
        i = skip_group(item, i + 1);
    }
    i
}

/// From an opening bracket at `i` (if there is one), the index after its match.
fn skip_group(item: &[&Token], i: usize) -> usize {
    if !item
        .get(i)
        .is_some_and(|t| matches!(&*t.text, "(" | "{" | "["))
    {
        return i;
    }
    let mut depth = 0usize;
    let mut k = i;
    while k < item.len() {
        match &*item[k].text {
            "(" | "{" | "[" => depth += 1,
            ")" | "}" | "]" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
        k += 1;
    }
    k
}

/// Words followed by a parenthesised group that is neither the type nor the name.
const GROUP_WORDS: &[&str] = &[
    "__attribute__",
    "__attribute",
    "__declspec",
    "_Alignas",
    "__asm__",
    "__asm",
    "asm",
    "typeof",
    "__typeof",
    "__typeof__",
];

#[cfg(test)]
mod tests;

//! The C preprocessor.
//!
//! Token-based and streaming: each file is lexed on demand, directives are executed as they
//! are met, and macro expansion works on a stack of pending tokens in front of the lexer.
//! Expanding a macro pushes its replacement back onto that stack, so rescanning, and a
//! function-like macro whose arguments continue past the end of another expansion, need no
//! recursion. Each token carries a hide set (Prosser's algorithm) that implements the
//! "painted blue" rule. Only argument pre-expansion recurses, and its depth is bounded.
//!
//! The macro table lives in [`Preprocessor`] and survives across inputs (a debugger REPL
//! keeps its macros); everything about one input lives in a short-lived `Cpp` context.
//!
//! Pragmas that the preprocessor does not consume come out as [`TokKind::Pragma`] tokens
//! whose text is what followed `#pragma` (`pack(push, 1)`), each on its own line.

mod builtin_headers;
mod emit;
mod expr;
mod include;
mod lexer;
mod macros;
mod predef;
mod token;

pub use emit::{emit_parse_text, emit_preprocessed, ParseText};
pub use expr::{IntMacro, Val};
pub use token::PpStr;

use crate::diag::Diagnostics;
use crate::source::{FileId, Loc, SourceMap};
use crate::target::TargetInfo;
use include::{Loaded, SearchDir};
use lexer::{CleanText, Lexer};
use macros::{Builtin, Macro};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use token::{FxHashMap, FxHashSet, HideSets, PTok, BOL, MARKER, SPACE};

/// A runaway `#include` recursion stops here (gcc's limit).
const MAX_INCLUDE_DEPTH: usize = 200;
/// Bound on nested macro-argument pre-expansion, the one place expansion recurses; deep
/// enough for real code, shallow enough for a 2 MiB thread stack.
const MAX_ARG_DEPTH: u32 = 200;

#[derive(Clone, Debug)]
pub struct PpOptions {
    /// `-I`: searched for `"..."` and `<...>` before the system directories.
    pub include_dirs: Vec<PathBuf>,
    /// Searched last, after cfree's own headers.
    pub system_dirs: Vec<PathBuf>,
    /// `-iquote`: searched for `"..."` only, after the includer's directory, before `-I`.
    pub quote_dirs: Vec<PathBuf>,
    /// `-isystem`: searched after `-I` and before cfree's own headers; their headers are
    /// system headers (no warnings, left out of `-MMD` dependencies).
    pub isystem_dirs: Vec<PathBuf>,
    /// `-include FILE`: each processed as if `#include "FILE"` began the input, looked up in
    /// the current directory first, then like `<FILE>`.
    pub forced_includes: Vec<String>,
    /// Include the C library's `<stdc-predef.h>` before everything else when the system
    /// directories have one, as gcc does (it defines `__STDC_ISO_10646__` and friends; `-MD`
    /// lists it). Off under `-nostdinc`.
    pub implicit_predef: bool,
    /// Search cfree's own headers (`stddef.h`, `stdarg.h`, ...) before the system
    /// directories; off under `-nostdinc`.
    pub builtin_headers: bool,
    /// `-D` and `-U` in command-line order (gcc applies them in that order, after the
    /// predefined macros: `-UFOO -DFOO=2` leaves `FOO` defined as 2).
    pub macros: Vec<CmdMacro>,
    pub target: TargetInfo,
    /// `__STDC_VERSION__` without the `L`: 199409, 199901, 201112, 201710 (the default,
    /// gnu17 like gcc 12) or 202311; [`PpOptions::C90`] for C89/C90, which has none.
    pub std_version: u32,
    /// GNU dialect (`-std=gnuXX`, the default): defines `linux` and `unix`; otherwise
    /// `__STRICT_ANSI__` is defined instead.
    pub gnu: bool,
    /// Defines `__OPTIMIZE__` instead of `__NO_INLINE__`.
    pub optimize: bool,
}

/// One `-D` or `-U` of the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdMacro {
    /// `-D NAME[=VAL]`; `None` means "1". `NAME` may be `F(x)` for a function-like macro.
    Define(String, Option<String>),
    /// `-U NAME`.
    Undef(String),
}

impl CmdMacro {
    /// `-D` text `NAME[=VAL]`: the first `=` separates the value (`F(x)=x` is function-like).
    pub fn define(text: &str) -> CmdMacro {
        match text.split_once('=') {
            Some((n, v)) => CmdMacro::Define(n.to_string(), Some(v.to_string())),
            None => CmdMacro::Define(text.to_string(), None),
        }
    }
}

impl PpOptions {
    /// `std_version` of C89/C90 (`-std=c89`, `-ansi`): `__STDC_VERSION__` is not defined.
    pub const C90: u32 = 0;

    /// Whether `//` starts a comment: from C99 on, and in every GNU dialect (gcc's rule:
    /// `-std=c89` lexes `//` as two slashes, `-std=gnu89` does not).
    pub fn line_comments(&self) -> bool {
        self.gnu || self.std_version >= 199901
    }

    pub fn new(target: TargetInfo) -> Self {
        // A cross target's C library headers are where Debian's libc6-dev-<arch>-cross puts
        // them (and where its cross gcc looks); the host's include the multiarch directory.
        let system_dirs = if target.is_host() {
            vec![
                PathBuf::from("/usr/local/include"),
                PathBuf::from(format!("/usr/include/{}", target.multiarch())),
                PathBuf::from("/usr/include"),
            ]
        } else {
            vec![PathBuf::from(format!(
                "/usr/{}/include",
                target.multiarch()
            ))]
        };
        PpOptions {
            include_dirs: Vec::new(),
            system_dirs,
            quote_dirs: Vec::new(),
            isystem_dirs: Vec::new(),
            forced_includes: Vec::new(),
            implicit_predef: true,
            builtin_headers: true,
            macros: Vec::new(),
            target,
            std_version: 201710,
            gnu: true,
            optimize: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokKind {
    Ident,
    /// A pp-number (`0x1p-3`, `1.2.3`, `08`): validity is checked by the parser.
    Number,
    /// Including its prefix (`L'x'`, `u8'a'`).
    CharLit,
    /// Including its prefix (`L"…"`, `u"…"`, `U"…"`, `u8"…"`).
    StrLit,
    Punct,
    /// A stray character (`@`, `` ` ``, `\`) or an unterminated literal.
    Other,
    /// A `#pragma` line or `_Pragma` not consumed by the preprocessor; `text` is what
    /// followed `pragma`, spaces normalised (`pack(push, 1)`, `GCC visibility push(default)`).
    /// `#pragma pack` has its arguments macro-expanded (what gcc does when it compiles).
    Pragma,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: TokKind,
    pub text: PpStr,
    /// For tokens from the source or from macro arguments: where they are spelled. For
    /// tokens from a macro body: the name of the outermost macro invocation.
    pub loc: Loc,
    /// Whitespace (or a comment) precedes the token.
    pub leading_space: bool,
    /// First token on its output line.
    pub line_start: bool,
}

/// State that outlives one input: macros, `#pragma once` files, include guards.
#[derive(Clone)]
struct State {
    opts: PpOptions,
    macros: FxHashMap<PpStr, Arc<Macro>>,
    /// Stable id per macro name, for hide sets (kept across `#undef`/redefinition).
    macro_ids: FxHashMap<PpStr, u32>,
    /// `#pragma push_macro` stacks; `None` records "was not defined".
    pushed: FxHashMap<PpStr, Vec<Option<Arc<Macro>>>>,
    poisoned: FxHashSet<PpStr>,
    once: FxHashSet<PathBuf>,
    /// Files wholly wrapped in `#ifndef X … #endif`: re-including them while `X` is
    /// defined would produce nothing, so they are not even opened.
    guards: FxHashMap<PathBuf, PpStr>,
    counter: u64,
    predefined: bool,
    date: String,
    time: String,
    /// `-I` dirs, cfree's own headers, system dirs: the `<...>` search order.
    chain: Vec<SearchDir>,
    /// Index in `chain` from which directories count as system directories.
    system_start: usize,
    deps: Dependencies,
}

/// What preprocessing read besides its input text, for a compile cache that wants to know
/// whether a later run would see the same thing without preprocessing again: the files read
/// (with the text the preprocessor saw), every include candidate that was looked for and did
/// not exist (a header created there later would be found instead), and whether the output
/// depends on the clock (`__DATE__`, `__TIME__`, `__TIMESTAMP__`).
#[derive(Clone, Default)]
pub struct Dependencies {
    /// Path as opened, text, and whether it was found as a system header.
    files: Vec<(PathBuf, Arc<include::Loaded>, bool)>,
    /// Candidate paths that were not files when looked up.
    pub missing: Vec<PathBuf>,
    pub time_dependent: bool,
}

impl Dependencies {
    /// Every file read from disk (path as opened, text as preprocessed), first read first.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files
            .iter()
            .map(|(p, l, _)| (p.as_path(), l.text.as_str()))
    }

    /// Every file read from disk, first read first, with whether it is a system header
    /// (found in a system directory or included from one): what `-MD` and `-MMD` list.
    pub fn paths(&self) -> impl Iterator<Item = (&Path, bool)> {
        self.files.iter().map(|(p, _, sys)| (p.as_path(), *sys))
    }
}

/// A file's text as the preprocessor reads it (bytes that are not UTF-8 escaped as `\ooo`),
/// so a cache can check a dependency against what was read before.
pub fn read_source_text(path: &Path) -> std::io::Result<String> {
    include::read_text(path)
}

/// A preprocessor whose macros and include state carry over from one input to the next;
/// cloning it snapshots that state (the debugger preprocesses each snippet in a copy of its
/// program file's final state and keeps the copy only if the snippet is accepted).
#[derive(Clone)]
pub struct Preprocessor {
    st: State,
}

impl Preprocessor {
    pub fn new(opts: PpOptions) -> Self {
        let mut chain: Vec<SearchDir> = opts
            .include_dirs
            .iter()
            .cloned()
            .map(SearchDir::Path)
            .collect();
        let system_start = chain.len();
        chain.extend(opts.isystem_dirs.iter().cloned().map(SearchDir::Path));
        if opts.builtin_headers {
            chain.push(SearchDir::Builtin);
        }
        chain.extend(opts.system_dirs.iter().cloned().map(SearchDir::Path));
        let (date, time) = macros::date_time_strings();
        Preprocessor {
            st: State {
                opts,
                macros: FxHashMap::default(),
                macro_ids: FxHashMap::default(),
                pushed: FxHashMap::default(),
                poisoned: FxHashSet::default(),
                once: FxHashSet::default(),
                guards: FxHashMap::default(),
                counter: 0,
                predefined: false,
                date,
                time,
                chain,
                system_start,
                deps: Dependencies::default(),
            },
        }
    }

    /// Preprocesses a file from disk; the SourceMap receives every file read.
    pub fn preprocess_file(
        &mut self,
        path: &Path,
        sm: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Vec<Token> {
        let mut cpp = Cpp::new(&mut self.st, sm, diags);
        cpp.define_predefined();
        let loaded = match include::load(path) {
            Ok(l) => l,
            Err(e) => {
                cpp.diags
                    .error(None, format!("{}: {}", path.display(), io_message(&e)));
                return Vec::new();
            }
        };
        let loaded = Arc::new(loaded);
        cpp.st
            .deps
            .files
            .push((path.to_path_buf(), loaded.clone(), false));
        let name = path.display().to_string();
        let id = cpp.sm.add(name.clone(), Some(path), loaded.text.clone());
        cpp.base_file = name;
        let dir = path.parent().map(Path::to_path_buf);
        let clean = if loaded.text.starts_with("#!") {
            CleanText::new(&blank_script_line(&loaded.text))
        } else {
            loaded.clean.clone()
        };
        cpp.push_frame(id, clean, dir, None, Some(loaded.key.clone()), false);
        cpp.force_includes();
        cpp.run()
    }

    /// Preprocesses in-memory text; `name` is used in diagnostics and `__FILE__`, and
    /// relative includes resolve against the current directory.
    pub fn preprocess_str(
        &mut self,
        name: &str,
        text: &str,
        sm: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Vec<Token> {
        self.preprocess_str_in(name, text, Path::new(""), sm, diags)
    }

    /// Like [`Preprocessor::preprocess_str`], with `#include "..."` resolved against `dir`
    /// (the text is part of a file that lives there).
    pub fn preprocess_str_in(
        &mut self,
        name: &str,
        text: &str,
        dir: &Path,
        sm: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Vec<Token> {
        let mut cpp = Cpp::new(&mut self.st, sm, diags);
        cpp.define_predefined();
        let id = cpp.sm.add(name, None, text.to_string());
        cpp.base_file = name.to_string();
        cpp.push_frame(
            id,
            CleanText::new(&blank_script_line(text)),
            Some(dir.to_path_buf()),
            None,
            None,
            false,
        );
        cpp.force_includes();
        cpp.run()
    }

    /// What the inputs preprocessed so far depended on; the record starts empty again.
    pub fn take_dependencies(&mut self) -> Dependencies {
        std::mem::take(&mut self.st.deps)
    }

    /// Whether `name` is currently defined as a macro.
    pub fn is_defined(&self, name: &str) -> bool {
        self.st.macros.contains_key(name)
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".to_string(),
        _ => e.to_string(),
    }
}

/// Include-guard detection state of an open file.
#[derive(Clone, Debug)]
enum Guard {
    /// Nothing but whitespace and comments seen yet.
    Start,
    /// Inside `#ifndef X` that opened the file; the index is its conditional-stack slot.
    In(PpStr, usize),
    /// The guard's `#endif` was seen; only whitespace may follow.
    Closed(PpStr),
    /// Not a guarded file.
    No,
}

struct Frame {
    lex: Lexer,
    /// Directory for `#include "..."`; `None` for cfree's built-in headers.
    dir: Option<PathBuf>,
    /// Where in the search chain the file was found, for `#include_next`.
    found_at: Option<usize>,
    /// Conditionals below this index belong to the includer.
    cond_base: usize,
    guard: Guard,
    /// Canonical path, the identity for `#pragma once` and guards.
    key: Option<PathBuf>,
    system: bool,
}

struct Cond {
    loc: Loc,
    directive: &'static str,
    /// Some group of this conditional has been (or is being) processed.
    taken: bool,
    seen_else: bool,
}

/// Preprocessing of one input.
struct Cpp<'a> {
    st: &'a mut State,
    sm: &'a mut SourceMap,
    diags: &'a mut Diagnostics,
    frames: Vec<Frame>,
    /// Tokens to read before the lexer, last first; [`MARKER`] tokens delimit nested reads.
    pending: Vec<PTok>,
    conds: Vec<Cond>,
    hs: HideSets,
    /// > 0 while collecting macro arguments: reading must not run off the end of a file.
    collecting: u32,
    arg_depth: u32,
    /// Whitespace flags of a macro that expanded to nothing, given to the next token.
    carry: u8,
    base_file: String,
    files: FxHashMap<PathBuf, Arc<Loaded>>,
}

impl<'a> Cpp<'a> {
    fn new(st: &'a mut State, sm: &'a mut SourceMap, diags: &'a mut Diagnostics) -> Self {
        Cpp {
            st,
            sm,
            diags,
            frames: Vec::new(),
            pending: Vec::new(),
            conds: Vec::new(),
            hs: HideSets::default(),
            collecting: 0,
            arg_depth: 0,
            carry: 0,
            base_file: String::new(),
            files: FxHashMap::default(),
        }
    }

    fn run(&mut self) -> Vec<Token> {
        let mut out = Vec::new();
        while let Some(t) = self.next_token() {
            out.push(t.into_token());
        }
        out
    }

    /// Runs a virtual file for its directives only (predefined and command-line macros).
    fn run_directives(&mut self, name: &str, text: String) {
        let id = self.sm.add(name, None, text.clone());
        self.push_frame(id, CleanText::new(&text), None, None, None, true);
        while self.next_token().is_some() {}
    }

    fn define_predefined(&mut self) {
        if self.st.predefined {
            return;
        }
        self.st.predefined = true;
        let text = predef::predefined_source(&self.st.opts);
        let mut cmd = String::new();
        for m in &self.st.opts.macros {
            match m {
                // As gcc: a `-D` or `-U` ends at a newline in its text (what follows is
                // dropped, never read as another directive).
                CmdMacro::Define(name, val) => {
                    let val = first_line(val.as_deref().unwrap_or("1"));
                    let name = first_line(name);
                    cmd.push_str(&format!("#define {name} {val}\n"));
                }
                CmdMacro::Undef(name) => cmd.push_str(&format!("#undef {}\n", first_line(name))),
            }
        }
        // Every compile starts from the same few hundred predefined macros; reuse the table
        // the last compile with the same predefined text built (macro tokens point into the
        // virtual files, which are re-added at the same file ids).
        let fresh_map = self.sm.is_empty();
        if fresh_map && predef_cache::restore(&text, &cmd, self.st, self.sm) {
            return;
        }
        let diags_before = self.diags.items.len();
        for b in Builtin::ALL {
            self.define_builtin(b);
        }
        self.run_directives("<built-in>", text.clone());
        if !cmd.is_empty() {
            self.run_directives("<command-line>", cmd.clone());
        }
        if fresh_map && self.diags.items.len() == diags_before {
            predef_cache::store(text, cmd, self.st, self.sm);
        }
    }

    fn push_frame(
        &mut self,
        file: FileId,
        text: CleanText,
        dir: Option<PathBuf>,
        found_at: Option<usize>,
        key: Option<PathBuf>,
        system: bool,
    ) {
        let mut lex = Lexer::new(file, text);
        lex.line_comments = self.st.opts.line_comments();
        self.frames.push(Frame {
            lex,
            dir,
            found_at,
            cond_base: self.conds.len(),
            guard: Guard::Start,
            key,
            system,
        });
    }

    fn error(&mut self, loc: Loc, msg: impl Into<String>) {
        self.diags.error(loc, msg);
    }

    /// Warnings in system headers are dropped, as gcc does.
    fn warn(&mut self, loc: Loc, msg: impl Into<String>) {
        if self.frames.last().is_some_and(|f| f.system) {
            return;
        }
        self.diags.warning(loc, msg);
    }

    /// The next fully macro-expanded token, or `None` at the end of input or at a marker.
    fn next_token(&mut self) -> Option<PTok> {
        loop {
            let mut t = self.next_raw()?;
            if t.kind == TokKind::Ident && self.try_expand(&t) {
                continue;
            }
            if self.carry != 0 {
                t.flags |= std::mem::take(&mut self.carry);
            }
            return Some(t);
        }
    }

    /// The next unexpanded token: from the pending stack, else from the current file, with
    /// directives executed on the way. `None` at a marker, at the end of input, or (while
    /// collecting macro arguments) at the end of the current file.
    fn next_raw(&mut self) -> Option<PTok> {
        if let Some(t) = self.pending.last() {
            if t.flags & MARKER != 0 {
                return None;
            }
            return self.pending.pop();
        }
        loop {
            let frame = self.frames.last_mut()?;
            match frame.lex.next(self.diags, false) {
                Some(t) => {
                    if t.bol() && t.is_hash() {
                        self.directive();
                        if let Some(t) = self.pending.pop() {
                            return Some(t);
                        }
                        continue;
                    }
                    if !matches!(frame.guard, Guard::In(..)) {
                        frame.guard = Guard::No;
                    }
                    return Some(t);
                }
                None => {
                    if self.collecting > 0 {
                        return None;
                    }
                    self.end_of_file();
                }
            }
        }
    }

    fn end_of_file(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let base = frame.cond_base.min(self.conds.len());
        let open: Vec<Cond> = self.conds.drain(base..).collect();
        for c in open {
            self.error(c.loc, format!("unterminated {}", c.directive));
        }
        if let (Guard::Closed(name), Some(key)) = (frame.guard, frame.key) {
            self.st.guards.insert(key, name);
        }
    }

    /// Executes the directive whose `#` was just read.
    fn directive(&mut self) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let guard_start = matches!(frame.guard, Guard::Start);
        if !matches!(frame.guard, Guard::In(..)) {
            frame.guard = Guard::No;
        }
        let Some(name) = frame.lex.next(self.diags, true) else {
            return; // the null directive
        };
        if name.kind == TokKind::Number {
            // GNU line marker `# 33 "file" 2`.
            let mut toks = vec![name];
            toks.extend(self.rest_of_line());
            self.do_line(toks, true);
            return;
        }
        if name.kind != TokKind::Ident {
            self.error(
                name.loc,
                format!("invalid preprocessing directive #{}", name.text),
            );
            self.rest_of_line();
            return;
        }
        let mut cur = Some((name.text, name.loc));
        let mut guard_start = guard_start;
        while let Some((name, loc)) = cur {
            cur = self.dispatch(&name, loc, guard_start);
            guard_start = false;
        }
    }

    fn rest_of_line(&mut self) -> Vec<PTok> {
        match self.frames.last_mut() {
            Some(f) => f.lex.rest_of_line(self.diags),
            None => Vec::new(),
        }
    }

    /// Runs one directive. Returns the next directive to run when this one started skipping
    /// a group (the `#else`/`#elif`/`#endif` that ended the skip).
    fn dispatch(&mut self, name: &str, loc: Loc, guard_start: bool) -> Option<(PpStr, Loc)> {
        match name {
            "define" => self.do_define(),
            "undef" => self.do_undef(),
            "include" | "include_next" | "import" => self.do_include(name, loc),
            "if" => {
                let toks = self.rest_of_line();
                let guard = if guard_start {
                    guard_of_if(&toks)
                } else {
                    None
                };
                let v = self.eval_if(toks, loc, "#if");
                if let Some(g) = guard {
                    self.set_guard(g);
                }
                return self.push_cond(loc, "#if", v);
            }
            "ifdef" | "ifndef" => {
                let toks = self.rest_of_line();
                let Some(v) = self.defined_test(&toks, loc, name) else {
                    return self.push_cond(loc, "#ifdef", false);
                };
                if name == "ifndef" && guard_start {
                    if let Some(t) = toks.first() {
                        self.set_guard(t.text.clone());
                    }
                }
                let v = if name == "ifndef" { !v } else { v };
                let dir = if name == "ifdef" { "#ifdef" } else { "#ifndef" };
                return self.push_cond(loc, dir, v);
            }
            "elif" | "elifdef" | "elifndef" => return self.do_elif(name, loc),
            "else" => return self.do_else(loc),
            "endif" => self.do_endif(loc),
            "line" => {
                let toks = self.rest_of_line();
                self.do_line(toks, false);
            }
            "error" | "warning" => {
                let text = match self.frames.last_mut() {
                    Some(f) => f.lex.rest_of_line_text(self.diags),
                    None => String::new(),
                };
                let msg = format!("#{name} {text}");
                if name == "error" {
                    self.error(loc, msg.trim_end());
                } else {
                    self.warn(loc, msg.trim_end());
                }
            }
            "pragma" => {
                let toks = self.rest_of_line();
                if let Some(p) = self.do_pragma(toks, loc) {
                    self.pending.push(p);
                }
            }
            "ident" | "sccs" | "assert" | "unassert" => {
                self.rest_of_line();
            }
            _ => {
                self.error(loc, format!("invalid preprocessing directive #{name}"));
                self.rest_of_line();
            }
        }
        None
    }

    fn set_guard(&mut self, name: PpStr) {
        let depth = self.conds.len();
        if let Some(f) = self.frames.last_mut() {
            f.guard = Guard::In(name, depth);
        }
    }

    /// A `#else`/`#elif` at the guard's level means the file is not wholly guarded.
    fn break_guard_at(&mut self, depth: usize) {
        if let Some(f) = self.frames.last_mut() {
            if matches!(f.guard, Guard::In(_, d) if d == depth) {
                f.guard = Guard::No;
            }
        }
    }

    fn push_cond(&mut self, loc: Loc, directive: &'static str, v: bool) -> Option<(PpStr, Loc)> {
        self.conds.push(Cond {
            loc,
            directive,
            taken: v,
            seen_else: false,
        });
        if v {
            None
        } else {
            self.skip()
        }
    }

    fn skip(&mut self) -> Option<(PpStr, Loc)> {
        self.frames.last_mut()?.lex.skip_group()
    }

    /// The innermost conditional of the current file.
    fn current_cond(&self) -> Option<usize> {
        let base = self.frames.last().map_or(0, |f| f.cond_base);
        (self.conds.len() > base).then(|| self.conds.len() - 1)
    }

    /// `#ifdef`-style test of a macro name; `None` (after an error) if there is none.
    fn defined_test(&mut self, toks: &[PTok], loc: Loc, directive: &str) -> Option<bool> {
        let Some(t) = toks.first() else {
            self.error(
                loc,
                format!("no macro name given in #{directive} directive"),
            );
            return None;
        };
        if t.kind != TokKind::Ident {
            self.error(t.loc, "macro names must be identifiers");
            return None;
        }
        if let Some(extra) = toks.get(1) {
            self.warn(
                extra.loc,
                format!("extra tokens at end of #{directive} directive"),
            );
        }
        Some(self.st.macros.contains_key(t.text.as_str()))
    }

    fn do_elif(&mut self, name: &str, loc: Loc) -> Option<(PpStr, Loc)> {
        let toks = self.rest_of_line();
        let Some(i) = self.current_cond() else {
            self.error(loc, format!("#{name} without #if"));
            return None;
        };
        if self.conds[i].seen_else {
            self.error(loc, format!("#{name} after #else"));
        }
        self.break_guard_at(i);
        if self.conds[i].taken {
            return self.skip();
        }
        let v = match name {
            "elif" => self.eval_if(toks, loc, "#elif"),
            _ => {
                let d = self.defined_test(&toks, loc, name).unwrap_or(false);
                if name == "elifdef" {
                    d
                } else {
                    !d
                }
            }
        };
        if v {
            self.conds[i].taken = true;
            None
        } else {
            self.skip()
        }
    }

    fn do_else(&mut self, loc: Loc) -> Option<(PpStr, Loc)> {
        let toks = self.rest_of_line();
        if let Some(t) = toks.first() {
            self.warn(t.loc, "extra tokens at end of #else directive");
        }
        let Some(i) = self.current_cond() else {
            self.error(loc, "#else without #if");
            return None;
        };
        if self.conds[i].seen_else {
            self.error(loc, "#else after #else");
        }
        self.conds[i].seen_else = true;
        self.break_guard_at(i);
        if self.conds[i].taken {
            self.skip()
        } else {
            self.conds[i].taken = true;
            None
        }
    }

    fn do_endif(&mut self, loc: Loc) {
        let toks = self.rest_of_line();
        if let Some(t) = toks.first() {
            self.warn(t.loc, "extra tokens at end of #endif directive");
        }
        let Some(i) = self.current_cond() else {
            self.error(loc, "#endif without #if");
            return;
        };
        self.conds.truncate(i);
        if let Some(f) = self.frames.last_mut() {
            if let Guard::In(name, d) = &f.guard {
                if *d == i {
                    f.guard = Guard::Closed(name.clone());
                }
            }
        }
    }

    /// `#line N ["file"]` and GNU `# N "file" flags`.
    fn do_line(&mut self, toks: Vec<PTok>, marker: bool) {
        let toks = if marker {
            toks
        } else {
            self.expand_list(&toks)
        };
        let Some(first) = toks.first() else {
            if let Some(f) = self.frames.last() {
                let loc = f.lex.here();
                self.error(loc, "unexpected end of line after #line");
            }
            return;
        };
        let line =
            if first.kind == TokKind::Number && first.text.bytes().all(|b| b.is_ascii_digit()) {
                first.text.parse::<u32>().ok()
            } else {
                None
            };
        let Some(line) = line else {
            let what = if marker { "#" } else { "#line" };
            self.error(
                first.loc,
                format!("\"{}\" after {what} is not a positive integer", first.text),
            );
            return;
        };
        let name = match toks.get(1) {
            Some(t) if t.kind == TokKind::StrLit && t.text.starts_with('"') => {
                Some(unescape_simple(&t.text[1..t.text.len() - 1]))
            }
            Some(t) if !marker => {
                self.error(t.loc, format!("invalid filename \"{}\"", t.text));
                return;
            }
            _ => None,
        };
        if let Some(f) = self.frames.last() {
            let off = f.lex.next_line_offset();
            let file = f.lex.file;
            self.sm.file_mut(file).add_line_override(off, line, name);
        }
    }

    /// Handles a pragma given its tokens (after `pragma`). Returns the token to emit, or
    /// `None` if the preprocessor consumed it.
    fn do_pragma(&mut self, toks: Vec<PTok>, loc: Loc) -> Option<PTok> {
        let first = toks.first()?.text.clone();
        let second = toks.get(1).map(|t| t.text.clone()).unwrap_or_default();
        match (first.as_str(), second.as_str()) {
            ("once", _) => {
                if self.frames.len() <= 1 {
                    self.warn(toks[0].loc, "#pragma once in main file");
                }
                if let Some(key) = self.frames.last().and_then(|f| f.key.clone()) {
                    self.st.once.insert(key);
                }
                return None;
            }
            ("GCC", "system_header") => {
                if let Some(f) = self.frames.last_mut() {
                    f.system = true;
                    let name = self.sm.file(f.lex.file).name.clone();
                    emit::register_system_file(&name);
                }
                return None;
            }
            ("GCC", "poison") => {
                for t in &toks[2..] {
                    if t.kind != TokKind::Ident {
                        self.error(t.loc, "invalid #pragma GCC poison directive");
                        break;
                    }
                    if self.st.macros.contains_key(t.text.as_str()) {
                        self.warn(t.loc, format!("poisoning existing macro \"{}\"", t.text));
                    }
                    self.st.poisoned.insert(t.text.clone());
                }
                return None;
            }
            ("GCC", "warning" | "error") => {
                let msg = toks
                    .iter()
                    .skip(2)
                    .find(|t| t.kind == TokKind::StrLit)
                    .map(|t| unescape_simple(t.text.trim_matches('"')))
                    .unwrap_or_default();
                if second.as_str() == "error" {
                    self.error(loc, msg);
                } else {
                    self.warn(loc, msg);
                }
                return None;
            }
            ("GCC", "dependency") => return None,
            ("GCC", "diagnostic") => self.diagnostic_pragma(&toks, loc),
            ("push_macro" | "pop_macro", _) => {
                let name = toks
                    .iter()
                    .find(|t| t.kind == TokKind::StrLit)
                    .map(|t| PpStr::from(unescape_simple(t.text.trim_matches('"'))));
                let Some(name) = name else {
                    self.error(loc, format!("invalid #pragma {first} directive"));
                    return None;
                };
                if first.as_str() == "push_macro" {
                    let cur = self.st.macros.get(name.as_str()).cloned();
                    self.st.pushed.entry(name).or_default().push(cur);
                } else if let Some(prev) = self.st.pushed.get_mut(name.as_str()).and_then(Vec::pop)
                {
                    match prev {
                        Some(m) => self.st.macros.insert(name, m),
                        None => self.st.macros.remove(name.as_str()),
                    };
                }
                return None;
            }
            _ => {}
        }
        let text = if first.as_str() == "pack" {
            let mut v = vec![toks[0].clone()];
            v.extend(self.expand_list(&toks[1..]));
            join_tokens(&v)
        } else {
            join_tokens(&toks)
        };
        Some(PTok::new(TokKind::Pragma, text.into(), loc, BOL))
    }
}

impl Cpp<'_> {
    /// Records `#pragma GCC diagnostic ...` for [`crate::Diagnostics::settle`]; the line itself
    /// still reaches the output (as with gcc -E).
    fn diagnostic_pragma(&mut self, toks: &[PTok], loc: Loc) {
        use crate::warnings::pragma::{DiagPragma, PragmaError};
        let kind = toks.get(2).map(|t| t.text.as_str());
        let option = toks
            .get(3)
            .filter(|t| t.kind == TokKind::StrLit)
            .map(|t| unescape_simple(t.text.trim_matches('"')));
        match DiagPragma::parse(kind, option.as_deref()) {
            Ok(p) => self.diags.pragmas.record(loc, p),
            Err(e) => {
                let word = match e {
                    PragmaError::MissingKind | PragmaError::BadKind => 2,
                    PragmaError::MissingOption | PragmaError::UnknownOption => 3,
                };
                let at = toks.get(word).or(toks.last()).map_or(loc, |t| t.loc);
                let w = crate::warnings::Warning::Pragmas;
                self.diags.warn(w, at, e.to_string());
            }
        }
    }
}

/// `s` up to its first line break.
fn first_line(s: &str) -> &str {
    s.split(['\n', '\r']).next().unwrap_or("")
}

/// Spells tokens with single spaces where the source had whitespace.
fn join_tokens(toks: &[PTok]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && t.flags & (SPACE | BOL) != 0 {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

/// Undoes `\\` and `\"` (file names in `#line`, `_Pragma` and pragma messages).
fn unescape_simple(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ ('\\' | '"')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The guard macro of `#if !defined X` / `#if !defined(X)`, the other guard spelling.
fn guard_of_if(toks: &[PTok]) -> Option<PpStr> {
    let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    match texts.as_slice() {
        ["!", "defined", name] | ["!", "defined", "(", name, ")"] => Some(PpStr::from(*name)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

/// A main file starting with `#!` (a script run through `#!/usr/bin/env -S cfree run`): the
/// interpreter line is blanked with spaces so that offsets, lines and columns stay exact.
fn blank_script_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.starts_with("#!") {
        return std::borrow::Cow::Borrowed(text);
    }
    let end = text.find('\n').unwrap_or(text.len());
    let mut s = String::with_capacity(text.len());
    s.extend(std::iter::repeat_n(' ', end));
    s.push_str(&text[end..]);
    std::borrow::Cow::Owned(s)
}

/// A process-wide cache of the macro table right after the predefined and command-line macros.
mod predef_cache {
    use std::sync::{Arc, Mutex};

    use super::macros::Macro;
    use super::token::{FxHashMap, PpStr};
    use super::State;
    use crate::source::{SourceFile, SourceMap};

    struct Entry {
        text: String,
        cmd: String,
        macros: FxHashMap<PpStr, Arc<Macro>>,
        macro_ids: FxHashMap<PpStr, u32>,
        counter: u64,
        files: Vec<SourceFile>,
    }

    /// A few entries: one per distinct set of options a process compiles with.
    const CAPACITY: usize = 4;

    static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

    /// Fills `st` and `sm` from a cached entry for this predefined text; false if none.
    pub(super) fn restore(text: &str, cmd: &str, st: &mut State, sm: &mut SourceMap) -> bool {
        let cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        let Some(e) = cache.iter().find(|e| e.text == text && e.cmd == cmd) else {
            return false;
        };
        st.macros = e.macros.clone();
        st.macro_ids = e.macro_ids.clone();
        st.counter = e.counter;
        for f in &e.files {
            sm.push_file(f.clone());
        }
        true
    }

    pub(super) fn store(text: String, cmd: String, st: &State, sm: &SourceMap) {
        let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if cache.iter().any(|e| e.text == text && e.cmd == cmd) {
            return;
        }
        if cache.len() >= CAPACITY {
            cache.remove(0);
        }
        cache.push(Entry {
            text,
            cmd,
            macros: st.macros.clone(),
            macro_ids: st.macro_ids.clone(),
            counter: st.counter,
            files: sm.files().map(|(_, f)| f.clone()).collect(),
        });
    }
}

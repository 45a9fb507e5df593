//! A translation unit kept open after its last line, so that more C can be compiled as if it
//! followed: the debugger's scope for `jit { }` snippets and compiled expressions.
//!
//! Opening one preprocesses, parses and analyses the program file once; each snippet then
//! costs only its own preprocessing (in a copy of the file's final macro state), parsing (the
//! parser is told the file's typedef names the snippet uses) and analysis (in a copy of the
//! file's scope), and code generation of what the snippet defines. A snippet that is kept
//! ([`UnitScope::keep_last`], once it is in the image) becomes part of the scope: later
//! snippets see its declarations and macros.

use super::{fail, pack_state, prototypes_where, CompileError, CompileOptions, Compiled};
use cfree_frontend::parse::Parsed;
use cfree_frontend::pp::Preprocessor;
use cfree_frontend::sema::{FileScope, SemaOptions};
use cfree_frontend::{Diagnostics, SourceMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The open scope of one program file.
pub struct UnitScope {
    opts: CompileOptions,
    path: PathBuf,
    /// Size and modification time of the file when it was read.
    stamp: Option<(u64, SystemTime)>,
    pp: Preprocessor,
    /// Every file read: the program file, its headers and the snippets compiled since.
    sm: SourceMap,
    sema: FileScope,
    /// The header of each function the file defines: its presumed file and line, and the
    /// text before the body's `{`.
    headers: std::collections::HashMap<String, (String, u32, String)>,
    /// The state after the last snippet compiled, until [`UnitScope::keep_last`] keeps it.
    last: Option<(Preprocessor, FileScope)>,
}

/// A snippet analysed in a copy of the scope, not yet kept.
pub(super) struct Analysed {
    pub pp: Preprocessor,
    pub tu: cfree_frontend::ir::TranslationUnit,
    pub sema: FileScope,
    pub diags: Diagnostics,
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

impl UnitScope {
    /// Reads, preprocesses and analyses `path` with `opts`.
    pub fn open(path: &Path, opts: &CompileOptions) -> Result<UnitScope, CompileError> {
        super::on_compiler_thread(|| Self::open_here(path, opts))
    }

    fn open_here(path: &Path, opts: &CompileOptions) -> Result<UnitScope, CompileError> {
        let stamp = stamp(path);
        let mut sm = SourceMap::new();
        let mut diags = Diagnostics {
            suppress_warnings: true,
            ..Default::default()
        };
        let mut pp = Preprocessor::new(opts.pp_options());
        let toks = pp.preprocess_file(path, &mut sm, &mut diags);
        if diags.has_errors() {
            return Err(fail(&diags, &sm));
        }
        let Some(parsed) = cfree_frontend::parse::parse_tokens(toks, &mut diags) else {
            return Err(fail(&diags, &sm));
        };
        let sema_opts = SemaOptions {
            pack: pack_state(&parsed),
        };
        let loc_of = |off: usize| parsed.loc_of(off);
        let analysed = cfree_frontend::sema::analyze_keeping_scope(
            &parsed.unit,
            &opts.target,
            sema_opts,
            &loc_of,
            &mut diags,
        );
        let Some((tu, sema)) = analysed else {
            return Err(fail(&diags, &sm));
        };
        let headers = tu
            .functions
            .iter()
            .filter(|f| f.start_loc.file == f.body_loc.file)
            .filter_map(|f| {
                let file = sm.file(f.start_loc.file);
                let h = file
                    .text
                    .get(f.start_loc.offset as usize..f.body_loc.offset as usize)?;
                let (at, line) = file.presumed(f.start_loc.offset);
                Some((f.name.clone(), (at.to_string(), line, h.to_string())))
            })
            .collect();
        Ok(UnitScope {
            opts: opts.clone(),
            path: path.to_path_buf(),
            stamp,
            pp,
            sm,
            sema,
            headers,
            last: None,
        })
    }

    /// The file has changed on disk since it was read (or can no longer be read).
    pub fn is_stale(&self) -> bool {
        stamp(&self.path) != self.stamp
    }

    /// Compiles `text` (named `name` in diagnostics and debug information) as if it followed
    /// the file and every snippet kept so far. The object defines only what `text` defines.
    pub fn compile(&mut self, name: &str, text: &str) -> Result<Compiled, CompileError> {
        self.last = None;
        super::on_compiler_thread(|| self.compile_here(None, name, text))
    }

    /// Compiles a new body for function `func` of the file: `body` (with its braces, named
    /// `name`) after the function's own header, in the scope where `func` is not defined yet.
    /// The object defines `func` alone (and private helpers): a replacement for a reload.
    pub fn compile_replacement(
        &mut self,
        func: &str,
        name: &str,
        body: &str,
    ) -> Result<Compiled, CompileError> {
        self.last = None;
        let refused = |why: String| CompileError {
            rendered: format!("error: {why}\n"),
        };
        let (at, line, header) = self.headers.get(func).ok_or_else(|| {
            refused(format!(
                "'{func}' is not defined in {}",
                self.path.display()
            ))
        })?;
        let base = self
            .sema
            .without_definition(func)
            .ok_or_else(|| refused(format!("'{func}' is not a function defined here")))?;
        // The header keeps its place in the file; the body is the REPL's text.
        let text = format!(
            "#line {line} \"{at}\"\n{}\n#line 1 \"{name}\"\n{body}\n",
            header.trim_end()
        );
        super::on_compiler_thread(|| self.compile_here(Some(&base), name, &text))
    }

    /// Compiles after `base`, or after the scope itself when `None` (on a compiler thread).
    fn compile_here(
        &mut self,
        base: Option<&FileScope>,
        name: &str,
        text: &str,
    ) -> Result<Compiled, CompileError> {
        let base = base.unwrap_or(&self.sema);
        let mut a = analyse(&self.opts, &mut self.sm, &self.pp, base, name, text)?;
        let object = cfree_codegen::compile(&a.tu, &self.sm, name, &self.opts.codegen_options())
            .map_err(|e| {
                a.diags.error(e.loc(), e.to_string());
                fail(&a.diags, &self.sm)
            })?;
        let sp = super::interface::Speller::new(&a.tu, name);
        let compiled = Compiled {
            object,
            warnings: a.diags.render(&self.sm),
            // (what the snippet defines: the scope declares much more)
            prototypes: prototypes_where(&a.tu, &sp, |s| s.defined),
            interface: super::interface::describe(&a.tu, &sp, &[]),
            function_hashes: Vec::new(),
            times: Default::default(),
        };
        self.last = Some((a.pp, a.sema));
        Ok(compiled)
    }

    /// The text last compiled joins the scope (it is in the image now): its declarations and
    /// macros are seen by what is compiled next.
    pub fn keep_last(&mut self) {
        if let Some((pp, sema)) = self.last.take() {
            self.pp = pp;
            self.sema = sema;
        }
    }

    /// Adds the declarations and macros of `text` to the scope without generating code (a
    /// snippet compiled in another file's scope, whose definitions are already in the image);
    /// `false`, and nothing changes, when it does not compile here.
    pub fn absorb(&mut self, name: &str, text: &str) -> bool {
        self.last = None;
        let r = super::big_stack::run(|| {
            match analyse(&self.opts, &mut self.sm, &self.pp, &self.sema, name, text) {
                Ok(a) => {
                    self.pp = a.pp;
                    self.sema = a.sema;
                    true
                }
                Err(_) => false,
            }
        });
        r.unwrap_or(false)
    }
}

/// Preprocesses, parses and analyses `text` after the state `pp` and `base`.
fn analyse(
    opts: &CompileOptions,
    sm: &mut SourceMap,
    pp: &Preprocessor,
    base: &FileScope,
    name: &str,
    text: &str,
) -> Result<Analysed, CompileError> {
    analyse_in(opts, sm, pp, base, (name, Path::new("")), text)
}

/// [`analyse`] for text named `at.0` whose `#include "..."` resolve in directory `at.1`.
pub(super) fn analyse_in(
    opts: &CompileOptions,
    sm: &mut SourceMap,
    pp: &Preprocessor,
    base: &FileScope,
    at: (&str, &Path),
    text: &str,
) -> Result<Analysed, CompileError> {
    let (name, dir) = at;
    let mut diags = super::new_diagnostics(opts);
    let mut pp = pp.clone();
    let toks = pp.preprocess_str_in(name, text, dir, sm, &mut diags);
    if diags.has_errors() {
        return Err(fail(&diags, sm));
    }
    let parsed: Option<Parsed> =
        cfree_frontend::parse::parse_tokens_after(toks, &|n: &str| base.is_typedef(n), &mut diags);
    let Some(parsed) = parsed else {
        return Err(fail(&diags, sm));
    };
    let sema_opts = SemaOptions {
        pack: pack_state(&parsed),
    };
    let loc_of = |off: usize| parsed.loc_of(off);
    let analysed = cfree_frontend::sema::analyze_after(
        base,
        &parsed.unit,
        parsed.prelude_len,
        sema_opts,
        &loc_of,
        &mut diags,
    );
    let Some((tu, sema)) = analysed else {
        return Err(fail(&diags, sm));
    };
    Ok(Analysed {
        pp,
        tu,
        sema,
        diags,
    })
}

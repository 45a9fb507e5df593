//! The leading block of a program file (its `#include`s and `#define`s), preprocessed and
//! analysed once, so that the file can be compiled again from there on when only what
//! follows changed: what `reload NAME` does each time the user edits a function.
//!
//! The rest of the file is compiled as if it followed the block (the same scope machinery as
//! the debugger's snippets, [`super::UnitScope`]), with its own name and line numbers, and
//! yields the same functions as a compile of the whole file. Where the split could change the
//! meaning, it is not made (no block at all; a `#pragma pack` state left open by it) and the
//! caller compiles the whole file; so does it when the rest does not compile after the block.

use super::scope::analyse_in;
use super::{fail, function_hashes, pack_state, CompileError, CompileOptions};
use cfree_frontend::ir::TranslationUnit;
use cfree_frontend::pp::Preprocessor;
use cfree_frontend::sema::{FileScope, SemaOptions};
use cfree_frontend::{Diagnostics, SourceMap};
use std::path::{Path, PathBuf};

/// The analysed leading block of one file.
pub struct FilePrefix {
    opts: CompileOptions,
    path: PathBuf,
    /// The block's exact text and its number of lines.
    text: String,
    lines: usize,
    pp: Preprocessor,
    sm: SourceMap,
    sema: FileScope,
}

/// The rest of a file analysed after its block: its functions, for the objects of the ones
/// being reloaded.
pub struct FileRest {
    tu: TranslationUnit,
    /// The hash of each function's text (as `Compiled::function_hashes`).
    pub function_hashes: Vec<(String, u64)>,
}

/// Length in bytes and lines of the leading block of `text`: blank lines, comment lines
/// (`//`, and `/* ... */` over any number of lines) and preprocessor lines (with their
/// continuations), ending at a line where no conditional and no comment is open. Zero when
/// the file does not start with one.
pub fn leading_block(text: &str) -> (usize, usize) {
    let (mut depth, mut continued, mut in_comment) = (0i32, false, false);
    let (mut end, mut lines, mut best) = (0usize, 0usize, (0usize, 0usize));
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let code = if in_comment {
            match t.find("*/") {
                Some(i) => {
                    in_comment = false;
                    t[i + 2..].trim()
                }
                None => "",
            }
        } else {
            t
        };
        let code = skip_comments(code, &mut in_comment);
        if continued {
            continued = t.ends_with('\\');
        } else if let Some(d) = code.strip_prefix('#') {
            let d = d.trim_start();
            if ["if", "ifdef", "ifndef"].iter().any(|k| d.starts_with(k)) {
                depth += 1;
            } else if d.starts_with("endif") {
                depth -= 1;
            }
            continued = t.ends_with('\\');
        } else if !code.is_empty() {
            break;
        }
        end += line.len();
        lines += 1;
        if depth == 0 && !continued && !in_comment && line.ends_with('\n') {
            best = (end, lines);
        }
    }
    best
}

/// `code` without leading comments (a `/*` left open sets `in_comment`); a line that is only
/// comments gives "". Text after a directive is not examined here beyond an opening `/*`.
fn skip_comments<'a>(mut code: &'a str, in_comment: &mut bool) -> &'a str {
    loop {
        if code.starts_with("//") {
            return "";
        }
        let Some(rest) = code.strip_prefix("/*") else {
            break;
        };
        match rest.find("*/") {
            Some(i) => code = rest[i + 2..].trim_start(),
            None => {
                *in_comment = true;
                return "";
            }
        }
    }
    // A directive line may open a comment that goes on below it.
    if code.starts_with('#') {
        if let Some(i) = code.rfind("/*") {
            if !code[i..].contains("*/") {
                *in_comment = true;
            }
        }
    }
    code
}

impl FilePrefix {
    /// Analyses the leading block of `text` (the current contents of `path`); `None` when
    /// there is none or the split could change the meaning of the rest.
    pub fn open(path: &Path, text: &str, opts: &CompileOptions) -> Option<FilePrefix> {
        super::big_stack::run(|| Self::open_here(path, text, opts)).flatten()
    }

    fn open_here(path: &Path, text: &str, opts: &CompileOptions) -> Option<FilePrefix> {
        let (len, lines) = leading_block(text);
        let block = text.get(..len).filter(|b| !b.trim().is_empty())?;
        let mut sm = SourceMap::new();
        let mut diags = Diagnostics {
            suppress_warnings: true,
            ..Default::default()
        };
        let mut pp = Preprocessor::new(opts.pp_options());
        let name = path.display().to_string();
        let dir = path.parent().unwrap_or(Path::new(""));
        let toks = pp.preprocess_str_in(&name, block, dir, &mut sm, &mut diags);
        if diags.has_errors() {
            return None;
        }
        let parsed = cfree_frontend::parse::parse_tokens(toks, &mut diags)?;
        let pack = pack_state(&parsed);
        // A `#pragma pack` left in force would not reach the rest's structures.
        if pack.last().is_some_and(|p| p.1.is_some()) {
            return None;
        }
        let loc_of = |off: usize| parsed.loc_of(off);
        let sema_opts = SemaOptions { pack };
        let (_, sema) = cfree_frontend::sema::analyze_keeping_scope(
            &parsed.unit,
            &opts.target,
            sema_opts,
            &loc_of,
            &mut diags,
        )?;
        Some(FilePrefix {
            opts: opts.clone(),
            path: path.to_path_buf(),
            text: block.to_string(),
            lines,
            pp,
            sm,
            sema,
        })
    }

    /// Whether `text` (the file's contents now) still starts with this block.
    pub fn fits(&self, text: &str) -> bool {
        leading_block(text).0 == self.text.len() && text.starts_with(&self.text)
    }

    /// Analyses the rest of `text` after the block (`fits` must hold). An error means the
    /// caller should compile the whole file (which reports the file's own errors).
    pub fn analyse_rest(&mut self, text: &str) -> Result<FileRest, CompileError> {
        super::big_stack::run(|| self.analyse_rest_here(text)).unwrap_or_else(|| {
            Err(CompileError {
                rendered: "cfree: error: the compiler could not start or crashed\n".into(),
            })
        })
    }

    fn analyse_rest_here(&mut self, text: &str) -> Result<FileRest, CompileError> {
        let rest = text.get(self.text.len()..).unwrap_or("");
        let name = self.path.display().to_string();
        let with_line = format!("#line {} \"{name}\"\n{rest}", self.lines + 1);
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let a = analyse_in(
            &self.opts,
            &mut self.sm,
            &self.pp,
            &self.sema,
            (&name, dir),
            &with_line,
        )?;
        let function_hashes = function_hashes(&a.tu, &self.sm);
        Ok(FileRest {
            tu: a.tu,
            function_hashes,
        })
    }

    /// The object of function `func` of `rest`: its definition alone, everything else a
    /// reference to the image (as `CompileOptions::only_function` makes from the whole file).
    pub fn object_of(&self, rest: &FileRest, func: &str) -> Result<Vec<u8>, CompileError> {
        let mut tu = rest.tu.clone();
        if !cfree_frontend::prune::keep_only_function(&mut tu, func) {
            return Err(CompileError {
                rendered: format!("error: no definition of '{func}' in this file\n"),
            });
        }
        let name = self.path.display().to_string();
        let opts = self.opts.codegen_options();
        let compiled = super::big_stack::run(|| {
            cfree_codegen::compile(&tu, &self.sm, &name, &opts).map_err(|e| {
                let mut diags = Diagnostics::default();
                diags.error(e.loc(), e.to_string());
                fail(&diags, &self.sm)
            })
        });
        compiled.unwrap_or_else(|| {
            Err(CompileError {
                rendered: "cfree: error: the compiler could not start or crashed\n".into(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::leading_block;

    #[test]
    fn the_block_ends_before_code_and_outside_conditionals() {
        let t = "#include <stdio.h>\n// note\n\n#define A \\\n  1\nint x;\n";
        assert_eq!(leading_block(t), (t.find("int").unwrap(), 5));
        let open = "#ifdef X\n#include <a.h>\nint y;\n#endif\n";
        assert_eq!(leading_block(open), (0, 0));
        let closed = "#ifndef G\n#define G\n#endif\nstatic int z;\n";
        assert_eq!(leading_block(closed), (closed.find("static").unwrap(), 3));
        assert_eq!(leading_block("int main(void) { return 0; }\n"), (0, 0));
        let commented = "/* A licence\n   over lines */\n#include <x.h> /* a\n b */\nint w;\n";
        assert_eq!(
            leading_block(commented),
            (commented.find("int").unwrap(), 4)
        );
        let code_after = "/* c */ int v;\n";
        assert_eq!(leading_block(code_after), (0, 0));
    }
}

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
        self.analyse_rest_to(text, text.len())
    }

    /// Like [`FilePrefix::analyse_rest`], only up to the end of the definition of `func`:
    /// all its code depends on (C declares before use), and nothing after it. The whole rest
    /// when the definition cannot be found in the text (the caller then finds no `func`).
    pub fn analyse_rest_until(&mut self, text: &str, func: &str) -> Result<FileRest, CompileError> {
        let start = self.text.len().min(text.len());
        let end = text
            .get(start..)
            .and_then(|rest| definition_end(rest, func))
            .map_or(text.len(), |e| start + e);
        self.analyse_rest_to(text, end)
    }

    fn analyse_rest_to(&mut self, text: &str, end: usize) -> Result<FileRest, CompileError> {
        let text = text.get(..end).unwrap_or(text);
        super::on_compiler_thread(|| self.analyse_rest_here(text))
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
        super::on_compiler_thread(|| {
            cfree_codegen::compile(&tu, &self.sm, &name, &opts).map_err(|e| {
                let mut diags = Diagnostics::default();
                diags.error(e.loc(), e.to_string());
                fail(&diags, &self.sm)
            })
        })
    }
}

/// The byte just past the definition of function `func` in C text `text` (the `}` closing
/// the body that follows `func (` at file scope, before any `;` there), if there is one. A
/// lexical scan: comments, strings and character constants are skipped; a definition made by
/// a macro is not found (the caller then compiles everything).
pub fn definition_end(text: &str, func: &str) -> Option<usize> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut seen) = (0usize, 0i32, false);
    let mut body_depth: Option<i32> = None;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                continue;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => {
                if seen && depth == 0 && body_depth.is_none() {
                    body_depth = Some(depth);
                }
                depth += 1;
            }
            b'}' => {
                depth -= 1;
                if body_depth == Some(depth) {
                    return Some(i + 1);
                }
            }
            b';' if depth == 0 => seen = false,
            c if depth == 0 && (c.is_ascii_alphabetic() || c == b'_') => {
                let end = text[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(b.len(), |n| i + n);
                if &text[i..end] == func && text[end..].trim_start().starts_with('(') {
                    seen = true;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{definition_end, leading_block};

    #[test]
    fn a_definition_ends_at_its_closing_brace() {
        let t = "int f(int);\nstruct s { int a; };\n/* f( */ int f(int x) { if (x) { return '}'; } return 1; }\nint g(void) { return f(2); }\n";
        let end = definition_end(t, "f").unwrap();
        assert!(t[..end].ends_with("return 1; }"), "{}", &t[..end]);
        assert_eq!(definition_end(t, "h"), None);
        assert!(t[..definition_end(t, "g").unwrap()].ends_with("f(2); }"));
    }

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

//! `#include`, `#include_next` and `#import`: header-name parsing, the search path with
//! cfree's own headers as a virtual directory, `#pragma once` and include guards.

use super::builtin_headers;
use super::lexer::CleanText;
use super::token::PTok;
use super::{emit, io_message, Cpp, TokKind, MAX_INCLUDE_DEPTH};
use crate::diag::Diagnostic;
use crate::source::Loc;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum SearchDir {
    Path(PathBuf),
    /// cfree's embedded headers (`<cfree>/stddef.h`, …).
    Builtin,
}

/// A file read from disk, kept for the rest of the input so that headers included many
/// times (the `__need_*` ones) are read once.
pub struct Loaded {
    pub text: String,
    pub clean: CleanText,
    /// Canonical path: the identity for `#pragma once` and include guards.
    pub key: PathBuf,
}

pub fn load(path: &Path) -> std::io::Result<Loaded> {
    let text = read_text(path)?;
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(Loaded {
        clean: CleanText::new(&text),
        text,
        key,
    })
}

/// A file's text: its bytes, with those that are not UTF-8 escaped (see
/// [`escape_invalid_utf8`]).
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => escape_invalid_utf8(e.as_bytes()),
    })
}

/// The text of a file that is not valid UTF-8: each byte outside a valid UTF-8 sequence
/// becomes the octal escape `\ooo`. In a string or character literal (where gcc copies
/// such bytes into the value, e.g. Latin-1 text) it then stands for the same byte; in a
/// comment it is ignored; anywhere else it is an error, as in gcc ("stray '\377'").
/// Offsets after such a byte shift by 3, which only matters for diagnostics on that line.
fn escape_invalid_utf8(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                for b in &rest[..bad] {
                    out.push_str(&format!("\\{b:03o}"));
                }
                bytes = &rest[bad..];
            }
        }
    }
    out
}

/// Where a header was found.
pub struct Found {
    /// `None` for a built-in header.
    path: Option<PathBuf>,
    /// What diagnostics and `__FILE__` call it: the search directory joined with the name.
    display: String,
    found_at: Option<usize>,
    builtin: Option<&'static str>,
    system: bool,
}

impl Cpp<'_> {
    /// Finds a header the way gcc does: `"..."` first in the includer's directory, then
    /// like `<...>` through the chain (`-I`, cfree's headers, system); `#include_next`
    /// resumes after the directory where the current file was found.
    pub(super) fn find_include(&mut self, name: &str, angled: bool, next: bool) -> Option<Found> {
        let frame = self.frames.last();
        // In a file that was not found through the search chain (the primary file, or one
        // found next to its includer), `#include_next` and `__has_include_next` act like
        // `#include` (gcc does the same, with a warning for the directive).
        let next = next && frame.and_then(|f| f.found_at).is_some();
        if Path::new(name).is_absolute() {
            let p = PathBuf::from(name);
            if !p.is_file() {
                self.st.deps.missing.push(p);
                return None;
            }
            return Some(Found {
                display: name.to_string(),
                path: Some(p),
                found_at: None,
                builtin: None,
                system: false,
            });
        }
        let mut start = 0;
        if next {
            if let Some(i) = frame.and_then(|f| f.found_at) {
                start = i + 1;
            }
        }
        if !angled && !next {
            if let Some(dir) = frame.and_then(|f| f.dir.as_ref()) {
                let p = dir.join(name);
                if !p.is_file() {
                    self.st.deps.missing.push(p);
                } else {
                    return Some(Found {
                        display: p.display().to_string(),
                        path: Some(p),
                        found_at: None,
                        builtin: None,
                        // A quoted include from a system header is a system header too.
                        system: frame.is_some_and(|f| f.system),
                    });
                }
            }
            for d in &self.st.opts.quote_dirs {
                let p = d.join(name);
                if p.is_file() {
                    return Some(Found {
                        display: p.display().to_string(),
                        path: Some(p),
                        found_at: None,
                        builtin: None,
                        system: false,
                    });
                }
                self.st.deps.missing.push(p);
            }
        }
        for (i, dir) in self.st.chain.iter().enumerate().skip(start) {
            let system = i >= self.st.system_start;
            match dir {
                SearchDir::Path(d) => {
                    let p = d.join(name);
                    if p.is_file() {
                        return Some(Found {
                            display: p.display().to_string(),
                            path: Some(p),
                            found_at: Some(i),
                            builtin: None,
                            system,
                        });
                    }
                    self.st.deps.missing.push(p);
                }
                SearchDir::Builtin => {
                    if let Some(text) = builtin_headers::get(name) {
                        return Some(Found {
                            display: format!("<cfree>/{name}"),
                            path: None,
                            found_at: Some(i),
                            builtin: Some(text),
                            system: true,
                        });
                    }
                }
            }
        }
        None
    }

    /// Reads the operand of `#include`: `<name>`, `"name"`, or macros expanding to either.
    /// Returns (name, angled, location of the name).
    fn header_operand(&mut self, directive: &str, loc: Loc) -> Option<(String, bool, Loc)> {
        let frame = self.frames.last_mut()?;
        let (name, angled, name_loc) = if let Some((text, l)) = frame.lex.header_name(self.diags) {
            (text[1..text.len() - 1].to_string(), true, l)
        } else {
            let toks = self.rest_of_line();
            let toks = match toks.first() {
                Some(t) if t.kind == TokKind::StrLit => toks,
                _ => self.expand_list(&toks),
            };
            let Some(first) = toks.first() else {
                self.error(
                    loc,
                    format!("#{directive} expects \"FILENAME\" or <FILENAME>"),
                );
                return None;
            };
            if first.kind == TokKind::StrLit && first.text.starts_with('"') {
                if let Some(extra) = toks.get(1) {
                    self.warn(
                        extra.loc,
                        format!("extra tokens at end of #{directive} directive"),
                    );
                }
                let t = &first.text;
                return Some((t[1..t.len() - 1].to_string(), false, first.loc));
            }
            if first.is("<") {
                let name = angle_name(&toks[1..]);
                match name {
                    Some(n) => return Some((n, true, first.loc)),
                    None => {
                        self.error(first.loc, "missing terminating > character");
                        return None;
                    }
                }
            }
            self.error(
                first.loc,
                format!("#{directive} expects \"FILENAME\" or <FILENAME>"),
            );
            return None;
        };
        let rest = self.rest_of_line();
        if let Some(extra) = rest.first() {
            self.warn(
                extra.loc,
                format!("extra tokens at end of #{directive} directive"),
            );
        }
        Some((name, angled, name_loc))
    }

    pub(super) fn do_include(&mut self, directive: &str, loc: Loc) {
        let Some((name, angled, name_loc)) = self.header_operand(directive, loc) else {
            return;
        };
        if name.is_empty() {
            self.error(name_loc, "empty filename in #include");
            return;
        }
        if self.collecting > 0 {
            self.error(
                loc,
                format!("#{directive} inside macro arguments is not supported"),
            );
            return;
        }
        let next = directive == "include_next";
        if next && self.frames.len() <= 1 {
            self.warn(loc, "#include_next in primary source file");
        }
        let probed = self.st.deps.missing.len();
        let Some(found) = self.find_include(&name, angled, next) else {
            // A directory, FIFO or device by that name is skipped (reading one would hang or
            // never end); say so instead of "No such file".
            let odd = self.st.deps.missing[probed..]
                .iter()
                .find_map(|p| std::fs::metadata(p).ok().map(|m| (p.clone(), m)));
            if let Some((p, m)) = odd {
                let what = if m.is_dir() {
                    "is a directory"
                } else {
                    "is not a regular file"
                };
                let msg = format!("{name}: {} {what}", p.display());
                self.error(name_loc, msg);
                return;
            }
            let mut d = Diagnostic::error(name_loc, format!("{name}: No such file or directory"));
            let mut dirs: Vec<String> = Vec::new();
            if !angled {
                if let Some(dir) = self.frames.last().and_then(|f| f.dir.as_ref()) {
                    let s = dir.display().to_string();
                    dirs.push(if s.is_empty() { ".".into() } else { s });
                }
            }
            for dir in &self.st.chain {
                dirs.push(match dir {
                    SearchDir::Path(p) => p.display().to_string(),
                    SearchDir::Builtin => "<cfree>".to_string(),
                });
            }
            d = d.with_note(None, format!("searched: {}", dirs.join(", ")));
            self.diags.push(d);
            return;
        };
        if self.frames.len() >= MAX_INCLUDE_DEPTH {
            self.error(
                loc,
                format!(
                    "#include nested depth {} exceeds maximum of {MAX_INCLUDE_DEPTH}",
                    self.frames.len()
                ),
            );
            return;
        }
        self.enter(found, directive == "import");
    }

    /// Opens the `-include` files over the input's first frame, last on top, so the first
    /// is read first; each is looked up in the current directory, then like `<...>`.
    pub(super) fn force_includes(&mut self) {
        let names = self.st.opts.forced_includes.clone();
        for name in names.iter().rev() {
            let here = PathBuf::from(name);
            let found = if here.is_file() {
                Some(Found {
                    display: name.clone(),
                    path: Some(here),
                    found_at: None,
                    builtin: None,
                    system: false,
                })
            } else {
                self.st.deps.missing.push(here);
                self.find_include(name, true, false)
            };
            match found {
                Some(f) => self.enter(f, false),
                None => self.diags.error(
                    None,
                    format!("{name}: No such file or directory (from -include)"),
                ),
            }
        }
        // Opened last, so read first (gcc reads it before the `-include` files).
        if self.st.opts.implicit_predef {
            if let Some(f) = self.find_include("stdc-predef.h", true, false) {
                if f.system && f.builtin.is_none() {
                    self.enter(f, false);
                }
            }
        }
    }

    fn enter(&mut self, found: Found, import: bool) {
        let loaded = match (&found.path, found.builtin) {
            (_, Some(text)) => Arc::new(Loaded {
                text: text.to_string(),
                clean: CleanText::new(text),
                key: PathBuf::from(&found.display),
            }),
            (Some(p), None) => match self.files.get(p) {
                Some(l) => l.clone(),
                None => match load(p) {
                    Ok(l) => {
                        let l = Arc::new(l);
                        self.files.insert(p.clone(), l.clone());
                        self.st
                            .deps
                            .files
                            .push((p.clone(), l.clone(), found.system));
                        l
                    }
                    Err(e) => {
                        let loc = self.frames.last().map(|f| f.lex.here()).unwrap_or_default();
                        self.error(loc, format!("{}: {}", found.display, io_message(&e)));
                        return;
                    }
                },
            },
            (None, None) => return,
        };
        if self.st.once.contains(&loaded.key) {
            return;
        }
        if import {
            self.st.once.insert(loaded.key.clone());
        }
        if let Some(g) = self.st.guards.get(&loaded.key) {
            if self.st.macros.contains_key(g.as_str()) {
                return;
            }
        }
        let id = self.sm.add(
            found.display.clone(),
            found.path.as_deref(),
            loaded.text.clone(),
        );
        self.sm.file_mut(id).included_at = self.frames.last().map(|f| f.lex.here());
        if found.system {
            emit::register_system_file(&found.display);
            self.sm.file_mut(id).system = true;
        }
        let dir = found
            .path
            .as_ref()
            .map(|p| p.parent().map(Path::to_path_buf).unwrap_or_default());
        self.push_frame(
            id,
            loaded.clean.clone(),
            dir,
            found.found_at,
            Some(loaded.key.clone()),
            found.system,
        );
    }
}

/// Spells `<` … `>` from separate tokens (a computed include).
fn angle_name(toks: &[PTok]) -> Option<String> {
    let mut s = String::new();
    for t in toks {
        if t.is(">") {
            return Some(s);
        }
        if t.space() && !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    None
}

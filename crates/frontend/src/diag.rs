//! Diagnostics: errors and warnings with a location, rendered the way gcc and clang do
//! (`file:line:col: error: message`, the source line, a caret under the column).

use crate::source::{Loc, SourceMap};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `None` for diagnostics that are not about a place in the source (a missing file given on the command line).
    pub loc: Option<Loc>,
    pub message: String,
    /// Extra lines rendered after the main one (`note:` lines, "included from").
    pub notes: Vec<(Option<Loc>, String)>,
}

impl Diagnostic {
    pub fn error(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc: loc.into(),
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn warning(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            loc: loc.into(),
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        self.notes.push((loc.into(), message.into()));
        self
    }

    /// Renders `file:line:col: error: msg`, the source line and a caret.
    pub fn render(&self, sm: &SourceMap) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        render_one(&mut out, sm, self.loc, kind, &self.message);
        for (loc, msg) in &self.notes {
            render_one(&mut out, sm, *loc, "note", msg);
        }
        out
    }
}

fn render_one(out: &mut String, sm: &SourceMap, loc: Option<Loc>, kind: &str, msg: &str) {
    match loc {
        Some(loc) if (loc.file.0 as usize) < sm.len() => {
            let (name, line, col) = sm.resolve(loc);
            let _ = writeln!(out, "{name}:{line}:{col}: {kind}: {msg}");
            let file = sm.file(loc.file);
            let text = file.line_text(loc.offset);
            let _ = writeln!(out, "{:>5} | {}", line, text);
            // The caret lines up under the column, keeping tabs so it matches the terminal.
            let prefix: String = text
                .bytes()
                .take(col.saturating_sub(1) as usize)
                .map(|b| if b == b'\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "      | {prefix}^");
        }
        _ => {
            let _ = writeln!(out, "cfree: {kind}: {msg}");
        }
    }
}

/// Collects diagnostics of one compilation; errors make the compilation fail at the end of a phase.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    /// `-w`: drop warnings.
    pub suppress_warnings: bool,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if d.severity == Severity::Warning && self.suppress_warnings {
            return;
        }
        self.items.push(d);
    }

    pub fn error(&mut self, loc: impl Into<Option<Loc>>, msg: impl Into<String>) {
        self.push(Diagnostic::error(loc, msg));
    }

    pub fn warning(&mut self, loc: impl Into<Option<Loc>>, msg: impl Into<String>) {
        self.push(Diagnostic::warning(loc, msg));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The diagnostics as text, leaving out warnings located in system headers (as gcc does
    /// without `-Wsystem-headers`).
    pub fn render(&self, sm: &SourceMap) -> String {
        self.items
            .iter()
            .filter(|d| {
                let in_system = d
                    .loc
                    .is_some_and(|l| (l.file.0 as usize) < sm.len() && sm.file(l.file).system);
                d.severity != Severity::Warning || !in_system
            })
            .map(|d| d.render(sm))
            .collect()
    }
}

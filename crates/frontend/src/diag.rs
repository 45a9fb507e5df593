//! Diagnostics: errors and warnings with a location, rendered the way gcc and clang do
//! (`file:line:col: error: message`, the source line, a caret under the column).

use crate::source::{Loc, SourceMap};
use crate::warnings::{Action, Warning, WarningPolicy};
use std::fmt::Write as _;

mod reread;

pub use reread::{split_rendered, RenderedDiagnostic};

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
    /// The option that controls it, as gcc prints it after the message (`unused-variable`,
    /// `Werror=` form when `-Werror` made it an error).
    pub option: Option<String>,
    /// A warning that `-Werror` (or `-Werror=` its option) makes an error, once
    /// [`Diagnostics::settle`] knows it is not in a system header.
    pub werror: bool,
}

impl Diagnostic {
    pub fn error(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc: loc.into(),
            message: message.into(),
            notes: Vec::new(),
            option: None,
            werror: false,
        }
    }

    pub fn warning(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            loc: loc.into(),
            message: message.into(),
            notes: Vec::new(),
            option: None,
            werror: false,
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
            Severity::Warning if self.werror => "error",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let msg = match &self.option {
            Some(o) => format!("{} [-W{o}]", self.message),
            None => self.message.clone(),
        };
        render_one(&mut out, sm, self.loc, kind, &msg);
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
    /// `-W...` options: which warnings are reported, and which as errors.
    pub policy: WarningPolicy,
    /// Some warning was turned into an error by `-Werror` or `-Werror=`.
    pub warnings_as_errors: bool,
}

impl Diagnostics {
    /// Adds `d`; a warning (no option controls it) is dropped under `-w` and made an error
    /// under `-Werror`.
    pub fn push(&mut self, mut d: Diagnostic) {
        if d.severity == Severity::Warning {
            if self.suppress_warnings {
                return;
            }
            match self.policy.unflagged_action() {
                Action::Ignore => return,
                Action::Error => d.werror = true,
                Action::Warn => {}
            }
        }
        self.items.push(d);
    }

    /// Whether warning `w` would be reported (so a costly check can be skipped).
    pub fn wants(&self, w: Warning) -> bool {
        !self.suppress_warnings && self.policy.action(w) != Action::Ignore
    }

    /// Reports warning `w` as the policy says: dropped, a warning naming its option, or an
    /// error naming `-Werror=` and the option.
    pub fn warn(&mut self, w: Warning, loc: impl Into<Option<Loc>>, msg: impl Into<String>) {
        self.warn_with(w, Diagnostic::warning(loc, msg));
    }

    /// [`Diagnostics::warn`] for a diagnostic that already carries notes.
    pub fn warn_with(&mut self, w: Warning, mut d: Diagnostic) {
        if self.suppress_warnings {
            return;
        }
        match self.policy.action(w) {
            Action::Ignore => return,
            Action::Warn => d.option = Some(w.label().to_string()),
            Action::Error => {
                d.option = Some(format!("error={}", w.label()));
                d.werror = true;
            }
        }
        self.items.push(d);
    }

    /// gcc's closing line when warnings became errors (`cc1: all warnings being treated as
    /// errors`), without the program name.
    pub fn werror_summary(&self) -> Option<&'static str> {
        if !self.warnings_as_errors {
            return None;
        }
        Some(if self.policy.all_errors() {
            "all warnings being treated as errors"
        } else {
            "some warnings being treated as errors"
        })
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

    /// Drops the warnings located in system headers (as gcc does without
    /// `-Wsystem-headers`) and makes the `-Werror` ones errors. Call it at the end of a phase,
    /// before [`Diagnostics::has_errors`] decides whether the compilation goes on.
    pub fn settle(&mut self, sm: &SourceMap) {
        self.items.retain(|d| {
            let in_system = d
                .loc
                .is_some_and(|l| (l.file.0 as usize) < sm.len() && sm.file(l.file).system);
            d.severity != Severity::Warning || !in_system
        });
        for d in &mut self.items {
            if d.severity == Severity::Warning && d.werror {
                d.severity = Severity::Error;
                self.warnings_as_errors = true;
            }
        }
    }

    /// The diagnostics as text, leaving out warnings located in system headers, with gcc's
    /// closing line when `-Werror` made warnings errors.
    pub fn render(&self, sm: &SourceMap) -> String {
        let mut out: String = self
            .items
            .iter()
            .filter(|d| {
                let in_system = d
                    .loc
                    .is_some_and(|l| (l.file.0 as usize) < sm.len() && sm.file(l.file).system);
                d.severity != Severity::Warning || !in_system
            })
            .map(|d| d.render(sm))
            .collect();
        if let Some(s) = self.werror_summary() {
            let _ = writeln!(out, "cfree: {s}");
        }
        out
    }
}

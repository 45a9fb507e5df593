//! Diagnostics: errors and warnings with a location, rendered the way gcc and clang do
//! (`file:line:col: error: message`, the source line, a caret under the column).

use crate::source::{Loc, SourceMap};
use crate::warnings::pragma::PragmaLog;
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
    /// The warning option it belongs to, so [`Diagnostics::settle`] can apply the
    /// `#pragma GCC diagnostic` state at its location.
    pub flag: Option<Warning>,
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
            flag: None,
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
            flag: None,
        }
    }

    pub fn with_note(mut self, loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        self.notes.push((loc.into(), message.into()));
        self
    }

    /// Renders `file:line:col: error: msg`, the source line and a caret under the token
    /// (`^~~~`), without colour.
    pub fn render(&self, sm: &SourceMap) -> String {
        self.render_styled(sm, false, true)
    }

    /// [`Diagnostic::render`], in gcc's colours when `color` (a terminal, or
    /// `-fdiagnostics-color=always`), with the include chain when `chain` (a diagnostic in
    /// the same file as the one before it goes without, as with gcc).
    pub fn render_styled(&self, sm: &SourceMap, color: bool, chain: bool) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Warning if self.werror => "error",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let style = Style { color };
        if let Some(loc) = self.loc.filter(|_| chain) {
            include_chain(&mut out, sm, loc, style);
        }
        let msg = match &self.option {
            Some(o) => format!(
                "{} [{}]",
                self.message,
                style.paint(kind, &format!("-W{o}"))
            ),
            None => self.message.clone(),
        };
        render_one(&mut out, sm, self.loc, kind, &msg, style);
        for (loc, msg) in &self.notes {
            render_one(&mut out, sm, *loc, "note", msg, style);
        }
        out
    }
}

/// gcc's default colours (`GCC_COLORS` unset): bold locations, red errors, magenta
/// warnings, cyan notes, green carets.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, what: &str, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match what {
            "error" => "01;31",
            "warning" => "01;35",
            "note" => "01;36",
            "caret" => "01;32",
            _ => "01",
        };
        format!("\x1b[{code}m\x1b[K{text}\x1b[m\x1b[K")
    }
}

/// `In file included from a.h:3,` / `                 from a.c:1:` before a diagnostic
/// located in a header.
fn include_chain(out: &mut String, sm: &SourceMap, loc: Loc, style: Style) {
    if (loc.file.0 as usize) >= sm.len() {
        return;
    }
    let chain = sm.include_chain(loc);
    for (i, at) in chain.iter().enumerate() {
        let (name, line, _) = sm.resolve(*at);
        let lead = if i == 0 {
            "In file included from"
        } else {
            "                 from"
        };
        let end = if i + 1 == chain.len() { ':' } else { ',' };
        let place = style.paint("locus", &format!("{name}:{line}"));
        let _ = writeln!(out, "{lead} {place}{end}");
    }
}

fn render_one(
    out: &mut String,
    sm: &SourceMap,
    loc: Option<Loc>,
    kind: &str,
    msg: &str,
    style: Style,
) {
    let label = style.paint(kind, &format!("{kind}:"));
    match loc {
        Some(loc) if (loc.file.0 as usize) < sm.len() => {
            let (name, line, col) = sm.resolve(loc);
            let place = style.paint("locus", &format!("{name}:{line}:{col}:"));
            let _ = writeln!(out, "{place} {label} {msg}");
            let file = sm.file(loc.file);
            let text = file.line_text(loc.offset);
            // Control bytes would drive the terminal: shown as `?`, one column each as before.
            let shown: String = text
                .chars()
                .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
                .collect();
            let _ = writeln!(out, "{:>5} | {}", line, shown);
            // The caret lines up under the column, keeping tabs so it matches the terminal.
            let start = col.saturating_sub(1) as usize;
            let prefix: String = text
                .bytes()
                .take(start)
                .map(|b| if b == b'\t' { '\t' } else { ' ' })
                .collect();
            let len = text.get(start..).map_or(0, token_len);
            let marker = format!("^{}", "~".repeat(len.saturating_sub(1)));
            let _ = writeln!(out, "      | {prefix}{}", style.paint("caret", &marker));
        }
        _ => {
            let _ = writeln!(out, "cfree: {label} {msg}");
        }
    }
}

/// The length in bytes of the C token `text` starts with (0 at a blank or the end of the
/// line): the range a caret underlines.
fn token_len(text: &str) -> usize {
    let b = text.as_bytes();
    let Some(&c) = b.first() else {
        return 0;
    };
    let word = |i: usize| {
        b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c >= 0x80)
            .count()
    };
    match c {
        b' ' | b'\t' | b'\r' => 0,
        b'"' | b'\'' => {
            let mut i = 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(b.len())
        }
        // A number: digits, letters, `.` and an exponent's sign (a preprocessing number).
        b'0'..=b'9' => {
            let mut i = 0;
            while i < b.len() {
                let sign = (b[i] == b'+' || b[i] == b'-')
                    && i > 0
                    && matches!(b[i - 1], b'e' | b'E' | b'p' | b'P');
                if !(b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_' || sign) {
                    break;
                }
                i += 1;
            }
            i
        }
        _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => word(0),
        _ => PUNCTUATORS
            .iter()
            .find(|p| text.starts_with(**p))
            .map_or(1, |p| p.len()),
    }
}

/// C's multi-character punctuators, longest first.
const PUNCTUATORS: &[&str] = &[
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=",
    "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##",
];

/// Names `w`'s option on `d` as `action` reports it (`[-Wfoo]` or `[-Werror=foo]`).
fn label(d: &mut Diagnostic, w: Warning, action: Action) {
    d.werror = action == Action::Error;
    d.option = Some(match d.werror {
        true => format!("error={}", w.label()),
        false => w.label().to_string(),
    });
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
    /// `#pragma GCC diagnostic` lines the preprocessor read.
    pub pragmas: PragmaLog,
    /// Render in colour (`-fdiagnostics-color`, or standard error is a terminal).
    pub color: bool,
    /// (invocation, definition) of each macro expanded where a user file names it: a
    /// diagnostic at an invocation gets clang's "expanded from macro" note.
    pub macro_uses: Vec<(Loc, Loc)>,
    /// `-fmax-errors=N`: errors after the Nth are dropped, with one line saying so (0: no
    /// limit), so a wrong header cannot bury the first error under hundreds.
    pub max_errors: u32,
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
        if d.severity == Severity::Error && self.max_errors > 0 {
            let n = self.error_count();
            if n > self.max_errors as usize {
                return;
            }
            if n == self.max_errors as usize {
                let limit = self.max_errors;
                d = Diagnostic::error(
                    None,
                    format!("too many errors, stopping now (-fmax-errors={limit})"),
                );
            }
        }
        self.items.push(d);
    }

    /// Whether warning `w` would be reported (so a costly check can be skipped).
    pub fn wants(&self, w: Warning) -> bool {
        !self.suppress_warnings
            && (self.policy.action(w) != Action::Ignore || self.pragmas.may_enable(w))
    }

    /// Reports warning `w` as the policy says: dropped, a warning naming its option, or an
    /// error naming `-Werror=` and the option ([`Diagnostics::settle`] then applies the
    /// pragmas in force at its location).
    pub fn warn(&mut self, w: Warning, loc: impl Into<Option<Loc>>, msg: impl Into<String>) {
        self.warn_with(w, Diagnostic::warning(loc, msg));
    }

    /// [`Diagnostics::warn`] for a diagnostic that already carries notes.
    pub fn warn_with(&mut self, w: Warning, mut d: Diagnostic) {
        if !self.wants(w) {
            return;
        }
        d.flag = Some(w);
        label(&mut d, w, self.policy.action(w));
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

    /// Errors other than warnings `-Werror` promoted: those stop a compilation between
    /// phases, while promoted warnings let it go on (as gcc does) and fail it at the end.
    pub fn has_hard_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.severity == Severity::Error && !d.werror)
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
        let (policy, pragmas) = (&self.policy, &self.pragmas);
        self.items.retain_mut(|d| {
            let in_system = d
                .loc
                .is_some_and(|l| (l.file.0 as usize) < sm.len() && sm.file(l.file).system);
            if d.severity != Severity::Warning {
                return true;
            }
            if let Some(w) = d.flag {
                let action = pragmas.resolve(policy, sm, d.loc, w);
                if action == Action::Ignore {
                    return false;
                }
                label(d, w, action);
            }
            !in_system
        });
        self.note_macro_expansions(sm);
        for d in &mut self.items {
            if d.severity == Severity::Warning && d.werror {
                d.severity = Severity::Error;
                self.warnings_as_errors = true;
            }
        }
    }

    /// Adds "expanded from macro 'X'" (at X's definition) to each diagnostic located at the
    /// invocation of X.
    fn note_macro_expansions(&mut self, sm: &SourceMap) {
        if self.macro_uses.is_empty() || self.items.is_empty() {
            return;
        }
        let uses: std::collections::HashMap<Loc, Loc> = self.macro_uses.iter().copied().collect();
        for d in &mut self.items {
            let Some(def) = d.loc.and_then(|l| uses.get(&l)) else {
                continue;
            };
            if d.notes
                .iter()
                .any(|n| n.1.starts_with("expanded from macro"))
            {
                continue;
            }
            let Some(loc) = d.loc.filter(|l| (l.file.0 as usize) < sm.len()) else {
                continue;
            };
            let text = sm
                .file(loc.file)
                .text
                .get(loc.offset as usize..)
                .unwrap_or("");
            let name: String = text
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            d.notes
                .push((Some(*def), format!("expanded from macro '{name}'")));
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
            .scan(None, |prev, d| {
                let chain = d.loc.map(|l| l.file) != *prev;
                *prev = d.loc.map(|l| l.file);
                Some(d.render_styled(sm, self.color, chain))
            })
            .collect();
        if let Some(s) = self.werror_summary() {
            let _ = writeln!(out, "cfree: {s}");
        }
        out
    }
}

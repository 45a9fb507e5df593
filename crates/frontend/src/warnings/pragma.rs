//! `#pragma GCC diagnostic push|pop|ignored|warning|error "-Wname"`: changes of the warning
//! options from a point of the translation unit on, as gcc applies them (by the location of
//! the diagnostic, not by the time it is reported, so `-Wunused-function` found at the end of
//! the file still obeys a pragma around the function).

use super::{Action, Warning, WarningPolicy};
use crate::source::{Loc, SourceMap};
use std::collections::HashMap;

/// One `#pragma GCC diagnostic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiagPragma {
    Push,
    Pop,
    /// `ignored`/`warning`/`error` for the warnings an option names (several for a group such
    /// as `-Wunused`, none for a gcc option cfree does not implement).
    Set(Vec<Warning>, Action),
}

/// Why a `#pragma GCC diagnostic` line means nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PragmaError {
    #[error("missing 'error', 'warning', 'ignored', 'push', 'pop' or 'ignored_attributes' after '#pragma GCC diagnostic'")]
    MissingKind,
    #[error("expected 'error', 'warning', 'ignored', 'push', 'pop', 'ignored_attributes' after '#pragma GCC diagnostic'")]
    BadKind,
    #[error("missing option after '#pragma GCC diagnostic' kind")]
    MissingOption,
    #[error("unknown option after '#pragma GCC diagnostic' kind")]
    UnknownOption,
}

impl DiagPragma {
    /// Reads the words after `#pragma GCC diagnostic`: the kind, then (for the three that set
    /// a state) the option as written in its string literal, `-W` included.
    pub fn parse(kind: Option<&str>, option: Option<&str>) -> Result<DiagPragma, PragmaError> {
        let action = match kind.ok_or(PragmaError::MissingKind)? {
            "push" => return Ok(DiagPragma::Push),
            "pop" => return Ok(DiagPragma::Pop),
            // Accepted without effect: an attribute cfree does not know stays an error.
            "ignored_attributes" => return Ok(DiagPragma::Set(Vec::new(), Action::Ignore)),
            "ignored" => Action::Ignore,
            "warning" => Action::Warn,
            "error" => Action::Error,
            _ => return Err(PragmaError::BadKind),
        };
        let option = option.ok_or(PragmaError::MissingOption)?;
        let name = option
            .strip_prefix("-W")
            .ok_or(PragmaError::UnknownOption)?;
        let warnings = named_by(name).ok_or(PragmaError::UnknownOption)?;
        Ok(DiagPragma::Set(warnings, action))
    }
}

/// The warnings option `name` (without `-W`) controls; `None` for a name gcc does not have.
fn named_by(name: &str) -> Option<Vec<Warning>> {
    Some(match name {
        // gcc 12 accepts the group options in a pragma but leaves their members as they
        // are; so does cfree (the differential test holds it to gcc).
        "all" | "extra" | "unused" => Vec::new(),
        "format" | "format=1" | "format=2" => vec![Warning::Format, Warning::FormatExtraArgs],
        "implicit" => vec![Warning::ImplicitFunctionDeclaration],
        _ => match Warning::by_name(name) {
            Some(w) => vec![w],
            None if super::is_gcc_warning(name) => Vec::new(),
            None => return None,
        },
    })
}

/// The `#pragma GCC diagnostic` lines of a translation unit, in the order the preprocessor
/// read them.
#[derive(Clone, Debug, Default)]
pub struct PragmaLog {
    entries: Vec<(Loc, DiagPragma)>,
}

impl PragmaLog {
    pub fn record(&mut self, loc: Loc, p: DiagPragma) {
        self.entries.push((loc, p));
    }

    /// Some pragma makes `w` a warning or an error somewhere (so a warning the command line
    /// disables must still be looked for).
    pub fn may_enable(&self, w: Warning) -> bool {
        self.entries.iter().any(
            |(_, p)| matches!(p, DiagPragma::Set(ws, a) if *a != Action::Ignore && ws.contains(&w)),
        )
    }

    /// What the pragmas before `loc` say about `w` (`None`: the command line decides).
    pub fn action_at(&self, sm: &SourceMap, loc: Loc, w: Warning) -> Option<Action> {
        if self.entries.is_empty() {
            return None;
        }
        let at = sm.order_key(loc);
        let mut current: HashMap<Warning, Action> = HashMap::new();
        let mut stack = Vec::new();
        for (ploc, p) in &self.entries {
            if sm.order_key(*ploc) > at {
                break;
            }
            match p {
                DiagPragma::Push => stack.push(current.clone()),
                DiagPragma::Pop => current = stack.pop().unwrap_or_default(),
                DiagPragma::Set(ws, a) => current.extend(ws.iter().map(|&w| (w, *a))),
            }
        }
        current.get(&w).copied()
    }

    /// `w` at `loc` under the command line and the pragmas.
    pub fn resolve(
        &self,
        policy: &WarningPolicy,
        sm: &SourceMap,
        loc: Option<Loc>,
        w: Warning,
    ) -> Action {
        if policy.inhibit {
            return Action::Ignore;
        }
        loc.and_then(|l| self.action_at(sm, l, w))
            .unwrap_or_else(|| policy.action(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_kinds_and_options() {
        assert_eq!(DiagPragma::parse(Some("push"), None), Ok(DiagPragma::Push));
        assert_eq!(
            DiagPragma::parse(Some("ignored"), Some("-Wunused-function")),
            Ok(DiagPragma::Set(
                vec![Warning::UnusedFunction],
                Action::Ignore
            ))
        );
        assert_eq!(
            DiagPragma::parse(Some("error"), Some("-Wshadow")),
            Ok(DiagPragma::Set(vec![], Action::Error))
        );
        assert_eq!(
            DiagPragma::parse(Some("ignored"), Some("-Wfromat")),
            Err(PragmaError::UnknownOption)
        );
        assert_eq!(
            DiagPragma::parse(Some("silence"), None),
            Err(PragmaError::BadKind)
        );
        assert_eq!(
            DiagPragma::parse(Some("ignored"), None),
            Err(PragmaError::MissingOption)
        );
        assert_eq!(DiagPragma::parse(None, None), Err(PragmaError::MissingKind));
    }

    #[test]
    fn state_follows_translation_order_with_push_and_pop() {
        let mut sm = SourceMap::new();
        let f = sm.add("a.c", None, "x\n".repeat(50));
        let mut log = PragmaLog::default();
        let set = |a| DiagPragma::Set(vec![Warning::UnusedVariable], a);
        log.record(Loc::new(f, 10), DiagPragma::Push);
        log.record(Loc::new(f, 11), set(Action::Ignore));
        log.record(Loc::new(f, 30), DiagPragma::Pop);
        let w = Warning::UnusedVariable;
        assert_eq!(log.action_at(&sm, Loc::new(f, 5), w), None);
        assert_eq!(log.action_at(&sm, Loc::new(f, 20), w), Some(Action::Ignore));
        assert_eq!(log.action_at(&sm, Loc::new(f, 40), w), None);
        assert!(!log.may_enable(w));
    }
}

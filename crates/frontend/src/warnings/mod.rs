//! gcc's warning options: the one table of the warnings cfree emits (each with the option that
//! names it and the group that enables it), and the policy a command line builds from `-W...`,
//! `-Wno-...`, `-Werror[=...]` and `-w`.
//!
//! Sema and the lints ask the policy before they report ([`crate::diag::Diagnostics::warn`]),
//! so a disabled warning costs nothing and `-Werror=NAME` turns exactly that one into an error,
//! spelled as gcc spells it (`[-Werror=unused-variable]`).

use std::collections::HashMap;

pub mod pragma;

/// A warning cfree emits. Each is named by the gcc option that controls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    ImplicitFunctionDeclaration,
    IntConversion,
    IncompatiblePointerTypes,
    DiscardedQualifiers,
    PointerSign,
    ReturnType,
    Format,
    FormatExtraArgs,
    Parentheses,
    UnusedVariable,
    UnusedButSetVariable,
    UnusedParameter,
    UnusedButSetParameter,
    UnusedFunction,
    UnusedLabel,
    UnusedValue,
    Uninitialized,
    MaybeUninitialized,
    DivByZero,
    Pragmas,
}

/// Which options turn a warning on (besides naming it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// On unless disabled.
    Default,
    /// `-Wall`.
    All,
    /// `-Wall` or `-Wextra`.
    AllOrExtra,
    /// `-Wunused` (or `-Wall`).
    Unused,
    /// `-Wextra` together with `-Wunused` or `-Wall` (gcc's rule for unused parameters).
    ExtraUnused,
    /// On when `-Wuninitialized` is (gcc's `EnabledBy(Wuninitialized)`).
    Uninitialized,
}

/// (warning, option name without `-W`, the name gcc prints in brackets, group).
const TABLE: &[(Warning, &str, &str, Group)] = &[
    (
        Warning::ImplicitFunctionDeclaration,
        "implicit-function-declaration",
        "implicit-function-declaration",
        Group::Default,
    ),
    (
        Warning::IntConversion,
        "int-conversion",
        "int-conversion",
        Group::Default,
    ),
    (
        Warning::IncompatiblePointerTypes,
        "incompatible-pointer-types",
        "incompatible-pointer-types",
        Group::Default,
    ),
    (
        Warning::DiscardedQualifiers,
        "discarded-qualifiers",
        "discarded-qualifiers",
        Group::Default,
    ),
    (
        Warning::PointerSign,
        "pointer-sign",
        "pointer-sign",
        Group::All,
    ),
    (
        Warning::ReturnType,
        "return-type",
        "return-type",
        Group::All,
    ),
    (Warning::Format, "format", "format=", Group::All),
    (
        Warning::FormatExtraArgs,
        "format-extra-args",
        "format-extra-args",
        Group::All,
    ),
    (
        Warning::Parentheses,
        "parentheses",
        "parentheses",
        Group::All,
    ),
    (
        Warning::UnusedVariable,
        "unused-variable",
        "unused-variable",
        Group::Unused,
    ),
    (
        Warning::UnusedButSetVariable,
        "unused-but-set-variable",
        "unused-but-set-variable",
        Group::Unused,
    ),
    (
        Warning::UnusedParameter,
        "unused-parameter",
        "unused-parameter",
        Group::ExtraUnused,
    ),
    (
        Warning::UnusedButSetParameter,
        "unused-but-set-parameter",
        "unused-but-set-parameter",
        Group::ExtraUnused,
    ),
    (
        Warning::UnusedFunction,
        "unused-function",
        "unused-function",
        Group::Unused,
    ),
    (
        Warning::UnusedLabel,
        "unused-label",
        "unused-label",
        Group::Unused,
    ),
    (
        Warning::UnusedValue,
        "unused-value",
        "unused-value",
        Group::Unused,
    ),
    (
        Warning::Uninitialized,
        "uninitialized",
        "uninitialized",
        Group::AllOrExtra,
    ),
    (
        Warning::MaybeUninitialized,
        "maybe-uninitialized",
        "maybe-uninitialized",
        Group::Uninitialized,
    ),
    (
        Warning::DivByZero,
        "div-by-zero",
        "div-by-zero",
        Group::Default,
    ),
    (Warning::Pragmas, "pragmas", "pragmas", Group::Default),
];

/// Every warning option gcc 12 knows (from `gcc --help=warnings`; a trailing `=` takes a
/// value). cfree accepts those it does not implement without effect, so a Makefile's
/// `-Wshadow` still builds; a name gcc would reject is an error here too.
const GCC_NAMES: &str = include_str!("gcc_names.txt");

impl Warning {
    fn entry(self) -> &'static (Warning, &'static str, &'static str, Group) {
        // Every variant has a row (the unit test checks it).
        TABLE.iter().find(|e| e.0 == self).unwrap_or(&TABLE[0])
    }

    /// The option's name as gcc prints it after a warning (`format=` for `-Wformat`).
    pub fn label(self) -> &'static str {
        self.entry().2
    }

    /// The warnings gcc enables through this one (`EnabledBy` in its option files).
    fn children(self) -> &'static [Warning] {
        match self {
            Warning::Format => &[Warning::FormatExtraArgs],
            Warning::Uninitialized => &[Warning::MaybeUninitialized],
            _ => &[],
        }
    }

    fn by_name(name: &str) -> Option<Warning> {
        TABLE.iter().find(|e| e.1 == name).map(|e| e.0)
    }
}

/// What a warning does under the current options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Ignore,
    Warn,
    Error,
}

/// The warning options of one compilation, in the state the command line left them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WarningPolicy {
    /// `-Wfoo` / `-Wno-foo` given by name: they win over groups, whatever the order.
    explicit: HashMap<Warning, bool>,
    all: bool,
    extra: bool,
    unused: Option<bool>,
    /// `-Werror`.
    werror: bool,
    /// `-Werror=foo` / `-Wno-error=foo`.
    error_explicit: HashMap<Warning, bool>,
    /// `-w`.
    pub inhibit: bool,
}

/// A `-W` option cfree does not know and gcc does not either.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unrecognized command-line option '-W{0}'")]
pub struct UnknownWarning(pub String);

impl WarningPolicy {
    /// Applies one option (the text after `-W`: `all`, `no-unused-variable`, `error=format`).
    /// Options gcc has and cfree does not implement are accepted without effect.
    pub fn apply(&mut self, opt: &str) -> Result<(), UnknownWarning> {
        let unknown = || UnknownWarning(opt.to_string());
        if opt == "error" {
            self.werror = true;
            return Ok(());
        }
        if opt == "no-error" {
            self.werror = false;
            return Ok(());
        }
        if let Some(name) = opt.strip_prefix("error=") {
            return self.set_error(name, true).ok_or_else(unknown);
        }
        if let Some(name) = opt.strip_prefix("no-error=") {
            return self.set_error(name, false).ok_or_else(unknown);
        }
        match opt.strip_prefix("no-") {
            // gcc accepts any `-Wno-NAME` (a newer gcc's warning, say) and so does cfree.
            Some(name) => {
                let _ = self.set(name, false);
                Ok(())
            }
            None => self.set(opt, true).ok_or_else(unknown),
        }
    }

    fn set(&mut self, name: &str, on: bool) -> Option<()> {
        match name {
            "all" => self.all = on,
            "extra" => self.extra = on,
            "unused" => self.unused = Some(on),
            // `-Wformat=1`/`2` enable it, `-Wformat=0` disables it.
            "format=0" => self.set_named(Warning::Format, false),
            "format=1" | "format=2" => self.set_named(Warning::Format, on),
            "implicit" => self.set_named(Warning::ImplicitFunctionDeclaration, on),
            _ => match Warning::by_name(name) {
                Some(w) => {
                    self.set_named(w, on);
                    if w == Warning::Format {
                        self.set_named(Warning::FormatExtraArgs, on);
                    }
                }
                None if is_gcc_warning(name) => {}
                None => return None,
            },
        }
        Some(())
    }

    fn set_named(&mut self, w: Warning, on: bool) {
        self.explicit.insert(w, on);
    }

    fn set_error(&mut self, name: &str, on: bool) -> Option<()> {
        match Warning::by_name(name) {
            Some(w) => {
                self.error_explicit.insert(w, on);
                // gcc: `-Werror=foo` also enables `foo`, and makes errors of the warnings
                // `foo` enables (`-Werror=format` covers `format-extra-args`); `-Wno-error=`
                // does not reach them.
                if on {
                    self.set_named(w, true);
                    for &c in w.children() {
                        self.error_explicit.entry(c).or_insert(true);
                    }
                }
            }
            None if is_gcc_warning(name) => {}
            None => return None,
        }
        Some(())
    }

    fn enabled(&self, w: Warning) -> bool {
        if let Some(&on) = self.explicit.get(&w) {
            return on;
        }
        let unused = self.unused.unwrap_or(self.all);
        match w.entry().3 {
            Group::Default => true,
            Group::All => self.all,
            Group::AllOrExtra => self.all || self.extra,
            Group::Unused => unused,
            Group::ExtraUnused => self.extra && unused,
            Group::Uninitialized => self.enabled(Warning::Uninitialized),
        }
    }

    /// `-Wno-NAME` was given for `w`.
    pub fn explicitly_off(&self, w: Warning) -> bool {
        self.explicit.get(&w) == Some(&false)
    }

    /// What to do with an occurrence of `w`.
    pub fn action(&self, w: Warning) -> Action {
        if self.inhibit || !self.enabled(w) {
            return Action::Ignore;
        }
        match self.error_explicit.get(&w) {
            Some(true) => Action::Error,
            Some(false) => Action::Warn,
            None if self.werror => Action::Error,
            None => Action::Warn,
        }
    }

    /// What to do with a warning no option controls (gcc's unconditional warnings).
    pub fn unflagged_action(&self) -> Action {
        match (self.inhibit, self.werror) {
            (true, _) => Action::Ignore,
            (false, true) => Action::Error,
            (false, false) => Action::Warn,
        }
    }

    /// Whether any lint that runs after sema could report (so it need not run otherwise).
    pub fn any_enabled(&self, ws: &[Warning]) -> bool {
        ws.iter().any(|&w| self.action(w) != Action::Ignore)
    }

    /// `-Werror` is in effect (gcc's closing "all warnings being treated as errors").
    pub fn all_errors(&self) -> bool {
        self.werror
    }
}

fn is_gcc_warning(name: &str) -> bool {
    GCC_NAMES.lines().any(|g| match g.strip_suffix('=') {
        Some(stem) => name
            .strip_prefix(stem)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('=')),
        None => g == name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_warning_has_a_row() {
        for &(w, name, _, _) in TABLE {
            assert_eq!(Warning::by_name(name), Some(w));
            assert_eq!(w.entry().0, w);
        }
    }

    #[test]
    fn groups_and_explicit_options() {
        let mut p = WarningPolicy::default();
        assert_eq!(p.action(Warning::UnusedVariable), Action::Ignore);
        assert_eq!(p.action(Warning::IntConversion), Action::Warn);
        p.apply("no-unused-variable").unwrap();
        p.apply("all").unwrap();
        assert_eq!(p.action(Warning::UnusedVariable), Action::Ignore);
        assert_eq!(p.action(Warning::UnusedButSetVariable), Action::Warn);
        assert_eq!(p.action(Warning::UnusedParameter), Action::Ignore);
        p.apply("extra").unwrap();
        assert_eq!(p.action(Warning::UnusedParameter), Action::Warn);
        p.apply("error=format").unwrap();
        assert_eq!(p.action(Warning::Format), Action::Error);
        assert_eq!(p.action(Warning::Parentheses), Action::Warn);
        p.apply("error").unwrap();
        p.apply("no-error=parentheses").unwrap();
        assert_eq!(p.action(Warning::Parentheses), Action::Warn);
        assert_eq!(p.action(Warning::ReturnType), Action::Error);
    }

    #[test]
    fn gcc_names_accepted_unknown_rejected() {
        let mut p = WarningPolicy::default();
        assert!(p.apply("shadow").is_ok());
        assert!(p.apply("no-sign-compare").is_ok());
        assert!(p.apply("frame-larger-than=4096").is_ok());
        assert!(p.apply("format=2").is_ok());
        assert!(p.apply("fromat").is_err());
        assert!(p.apply("no-fromat").is_ok());
        assert!(p.apply("error=fromat").is_err());
    }
}

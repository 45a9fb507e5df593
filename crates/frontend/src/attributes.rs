//! The one table of GNU attributes cfree accepts.
//!
//! Sema reads it for every `__attribute__((name))` and the preprocessor's `__has_attribute`
//! answers from it, so a program that asks whether an attribute works gets the truth. An
//! attribute outside the table is an error that names it: ignoring one that changes layout,
//! linkage or behaviour (`cleanup`, `section`, `ms_abi`, ...) would be wrong code.

/// How sema treats an accepted attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKind {
    /// Sema implements its effect (layout, linkage, symbol, calling behaviour).
    Honoured,
    /// An optimisation hint or a diagnostic request: ignoring it cannot change what a correct
    /// program does (`noinline`, `format`, `nonnull`, `may_alias` without type-based alias
    /// analysis, `visibility` in a JIT image, ...).
    Hint,
}

const HONOURED: &[&str] = &[
    "aligned",
    "packed",
    "weak",
    "alias",
    "constructor",
    "destructor",
    "transparent_union",
    "mode",
    "gnu_inline",
    "returns_twice",
    "cleanup",
    "vector_size",
];

const HINTS: &[&str] = &[
    "access",
    "alloc_align",
    "alloc_size",
    "always_inline",
    "artificial",
    "assume_aligned",
    "cold",
    "common",
    "const",
    "copy",
    "counted_by",
    "deprecated",
    "designated_init",
    "error",
    "externally_visible",
    "fallthrough",
    "fd_arg",
    "fd_arg_read",
    "fd_arg_write",
    "flatten",
    "format",
    "format_arg",
    "hot",
    "leaf",
    "malloc",
    "may_alias",
    "no_icf",
    "no_instrument_function",
    "no_profile_instrument_function",
    "no_reorder",
    "no_sanitize",
    "no_sanitize_address",
    "no_sanitize_thread",
    "no_sanitize_undefined",
    "no_split_stack",
    "no_stack_protector",
    "noclone",
    "nocommon",
    "noinline",
    "noipa",
    "nonnull",
    "nonstring",
    "noreturn",
    "nothrow",
    "null_terminated_string_arg",
    "optimize",
    "pure",
    "retain",
    "returns_nonnull",
    "sentinel",
    "simd",
    "stack_protect",
    "target",
    "tls_model",
    "unavailable",
    "unused",
    "used",
    "visibility",
    "warn_if_not_aligned",
    "warn_unused_result",
    "warning",
];

/// `name` without the `__x__` underscores gcc also accepts.
pub fn base_name(name: &str) -> &str {
    name.strip_prefix("__")
        .and_then(|n| n.strip_suffix("__"))
        .unwrap_or(name)
}

/// How sema treats attribute `name` (either spelling), or `None` if cfree does not accept it.
pub fn lookup(name: &str) -> Option<AttrKind> {
    let n = base_name(name);
    if HONOURED.contains(&n) {
        Some(AttrKind::Honoured)
    } else if HINTS.contains(&n) {
        Some(AttrKind::Hint)
    } else {
        None
    }
}

/// What `__has_attribute(name)` answers.
pub fn has_attribute(name: &str) -> bool {
    lookup(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_and_unknown_names() {
        assert_eq!(lookup("__packed__"), Some(AttrKind::Honoured));
        assert_eq!(lookup("nonnull"), Some(AttrKind::Hint));
        assert_eq!(lookup("__cleanup__"), Some(AttrKind::Honoured));
        assert_eq!(lookup("section"), None);
        assert_eq!(lookup("__vector_size__"), Some(AttrKind::Honoured));
        assert_eq!(lookup("ms_abi"), None);
    }

    #[test]
    fn no_name_is_in_both_lists() {
        for n in HONOURED {
            assert!(!HINTS.contains(n), "{n}");
        }
    }
}

//! Link errors. Every error names what the user can act on: the symbol, the input, and the
//! section and offset (or enclosing function) where the problem is.

use std::fmt;

use crate::layout::SegmentClass;
use crate::memory::MemoryError;

/// A place in an input object: `input:section+offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub input: String,
    pub section: String,
    pub offset: u64,
    /// The defined symbol (usually the function) containing the offset, when there is one.
    pub function: Option<String>,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}+{:#x}", self.input, self.section, self.offset)?;
        if let Some(func) = &self.function {
            write!(f, " (in `{func}`)")?;
        }
        Ok(())
    }
}

/// A relocation site with its type and target, for relocation errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelocSite {
    /// The psABI name of the relocation type.
    pub kind: String,
    /// The target symbol (section symbols are shown by section name).
    pub symbol: String,
    pub site: Site,
}

impl fmt::Display for RelocSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: relocation {} against `{}`",
            self.site, self.kind, self.symbol
        )
    }
}

/// One reference to a symbol nobody defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndefinedRef {
    pub symbol: String,
    pub site: Site,
}

/// Every undefined reference of an append, not just the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndefinedSymbols(pub Vec<UndefinedRef>);

impl UndefinedSymbols {
    /// Distinct undefined symbol names, in first-reference order.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.0 {
            if !out.contains(&r.symbol.as_str()) {
                out.push(&r.symbol);
            }
        }
        out
    }
}

impl fmt::Display for UndefinedSymbols {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names();
        write!(f, "{} undefined symbol(s):", names.len())?;
        for r in &self.0 {
            write!(f, "\n  undefined reference to `{}` at {}", r.symbol, r.site)?;
        }
        Ok(())
    }
}

/// Why an append failed. Nothing of the failed append is published.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{input}: cannot read ELF object: {reason}")]
    Parse { input: String, reason: String },

    #[error("{input}: not a relocatable object (e_type {e_type})")]
    NotRelocatable { input: String, e_type: u16 },

    #[error("{input}: object is for ELF machine {found}, but the session links for {expected}")]
    WrongMachine {
        input: String,
        expected: String,
        found: u16,
    },

    #[error("{input}: section `{section}`: {reason}")]
    BadSection {
        input: String,
        section: String,
        reason: String,
    },

    #[error("{input}: section `{section}`: thread-local storage is not supported yet")]
    TlsSection { input: String, section: String },

    #[error("{input}: symbol `{symbol}`: {reason}")]
    BadSymbol {
        input: String,
        symbol: String,
        reason: String,
    },

    #[error("duplicate definition of `{symbol}`: first defined in {first}, again in {second}")]
    DuplicateDefinition {
        symbol: String,
        first: String,
        second: String,
    },

    #[error(
        "common symbol `{symbol}` in {input} needs {size} bytes, but the live definition has only {existing}"
    )]
    CommonTooLarge {
        symbol: String,
        input: String,
        size: u64,
        existing: u64,
    },

    #[error("{0}")]
    Undefined(UndefinedSymbols),

    #[error("{0} is not supported")]
    UnsupportedReloc(Box<RelocSite>),

    #[error("{0}: this thread-local storage model is not supported (only general dynamic: compile with -fPIC -ftls-model=global-dynamic)")]
    TlsReloc(Box<RelocSite>),

    #[error("{at} overflows: value {value:#x} does not fit in {bits} bits")]
    RelocOverflow {
        at: Box<RelocSite>,
        value: i128,
        bits: u32,
    },

    #[error("{at}: {reason}")]
    BadReloc { at: Box<RelocSite>, reason: String },

    #[error("{site}: reference to `{symbol}`, which is defined in a discarded section")]
    DiscardedReference { symbol: String, site: Box<Site> },

    #[error(
        "{class} segment exhausted: the append needs {requested:#x} bytes, {available:#x} are free (capacity {capacity:#x})"
    )]
    CapacityExhausted {
        class: SegmentClass,
        requested: u64,
        available: u64,
        capacity: u64,
    },

    #[error("linker stub for `{symbol}`: {reason}")]
    Stub { symbol: String, reason: String },

    #[error("cannot reload `{symbol}`: {reason}")]
    NotReloadable { symbol: String, reason: String },

    #[error("{input}: replacement for `{symbol}` rejected: {reason}")]
    RejectedReplacement {
        symbol: String,
        input: String,
        reason: String,
    },

    #[error("replacement for `{symbol}` cannot be called through its entry: {reason}")]
    AbiMismatch { symbol: String, reason: String },

    #[error(
        "reload batch names `{symbol}` twice ({first} and {second}); a batch replaces each \
         function once"
    )]
    DuplicateReload {
        symbol: String,
        first: String,
        second: String,
    },

    #[error("reload batch is empty: name at least one function to replace")]
    EmptyReload,

    /// A reload batch's slot store failed and so did storing back a slot already switched:
    /// the functions in `switched` run their new bodies although the batch was not published.
    #[error(
        "memory error while publishing the new body of `{symbol}`: {source}; restoring the \
         slots already switched also failed ({restore}), so {} now run new bodies",
        switched.join(", ")
    )]
    SlotRestore {
        symbol: String,
        #[source]
        source: Box<MemoryError>,
        restore: Box<MemoryError>,
        switched: Vec<String>,
    },

    #[error("memory error while {stage}: {source}")]
    Memory {
        stage: &'static str,
        #[source]
        source: MemoryError,
    },
}

//! The C keyword classes token-level passes need (lowering's implicit-`int` rewrite, the
//! split parser's typedef scan): one list of each, so the passes agree on what a type word is.

/// Keywords that are (part of) a basic type specifier.
pub const BASIC_TYPES: &[&str] = &[
    "void",
    "char",
    "short",
    "int",
    "long",
    "float",
    "double",
    "signed",
    "__signed",
    "__signed__",
    "unsigned",
    "_Bool",
    "_Complex",
    "__complex",
    "__complex__",
    "_Float16",
    "_Float32",
    "_Float32x",
    "_Float64",
    "_Float64x",
    "_Float128",
    "__float128",
    "__int128",
];

/// Storage classes, function specifiers and qualifiers: words of a declaration that are
/// neither its type nor its name.
pub const STORAGE_AND_QUALIFIERS: &[&str] = &[
    "typedef",
    "static",
    "extern",
    "auto",
    "register",
    "inline",
    "__inline",
    "__inline__",
    "_Noreturn",
    "_Thread_local",
    "__thread",
    "const",
    "__const",
    "__const__",
    "volatile",
    "__volatile",
    "__volatile__",
    "restrict",
    "__restrict",
    "__restrict__",
    "_Atomic",
    "__extension__",
];

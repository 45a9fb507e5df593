//! The C front end of cfree: preprocessor, the lang-c adapter, semantic analysis and the typed IR.
//!
//! It knows nothing about Cranelift or linking; its product is [`ir::TranslationUnit`].

pub mod asm;
pub mod attributes;
pub mod builtins;
pub mod diag;
pub mod ir;
pub mod keywords;
pub mod ldfloat;
pub mod lint;
pub mod lower;
pub mod parse;
pub mod pp;
pub mod prune;
pub mod sema;
pub mod source;
pub mod target;
pub mod timing;
pub mod types;
pub mod warnings;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use source::{FileId, Loc, SourceMap};
pub use target::{Arch, LongDoubleFormat, TargetInfo};

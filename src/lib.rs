//! cfree: C compiled straight into a live, growing, patchable in-memory image.
//!
//! This facade re-exports the pieces an embedder needs: the compile pipeline
//! ([`compile`]), the JIT ([`jit`]) and the layers under them.

pub use cfree_codegen as codegen;
pub use cfree_driver::{compile, CompileError, CompileOptions, Compiled, Source};
pub use cfree_frontend as frontend;
pub use cfree_jit as jit;
pub use cfree_link as link;

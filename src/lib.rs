//! cfree: C compiled straight into a live, growing, patchable in-memory image.
//!
//! Embedders start at [`Jit`]: compile C text, append it to a live image, call it, and replace
//! exported functions while the image keeps running. The layers under it are re-exported for
//! tools that need them: the compile pipeline ([`compile`]), the JIT ([`jit`]), the executor
//! of images on other architectures ([`executor`], behind [`RemoteJit`]), the linker
//! ([`link`]), code generation and the front end. The C API (`libcfree`, `include/cfree.h`) is
//! the [`capi`] module.

pub mod capi;
pub mod declarations;
mod embed;
mod remote;

pub use cfree_codegen as codegen;
pub use cfree_driver::cache;
pub use cfree_driver::{compile, CompileError, CompileOptions, Compiled, Prototype, Source};
pub use cfree_executor as executor;
pub use cfree_frontend as frontend;
pub use cfree_jit as jit;
pub use cfree_link as link;
pub use cfree_link::{AbiCheck, Indirection};
pub use declarations::{Declarations, TypeLayout};
pub use embed::{Error, FileKind, Jit, JitOptions, Object, OptLevel, Symbol};
pub use remote::{Arg, Caller, CallerReport, RemoteJit, Ret, Value};

//! The `cfree` command line and the compile pipeline behind it.
//!
//! [`pipeline`] turns C source into an ELF object (used by `cfree run`, `cfree cc` and the
//! embedding API); [`cli`] is the command-line front end; [`dbg`] the `cfree dbg` REPL over
//! the `cfree_dbg` engine.

pub mod cache;
pub mod cli;
pub mod dbg;
pub mod lazy;
pub mod pipeline;
mod remote;

pub use pipeline::{compile, CompileError, CompileOptions, Compiled, Prototype, Source};

/// Entry point of the `cfree` binary.
pub fn main() -> i32 {
    // Not `env::args()`: an argument that is not UTF-8 must not panic (osargs keeps its bytes).
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| cli::osargs::encode(&a))
        .collect();
    cli::main_with_args(&argv)
}

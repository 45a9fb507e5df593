//! cfree's debugger engine (no user interface; the `cfree dbg` REPL in the driver is one
//! front end).
//!
//! The program runs on a worker thread of the debugger's own process and stops inside its
//! signal handlers ([`inferior`]); [`engine`] keeps breakpoints, resumes, steps, calls and
//! walks frames over a live [`cfree_jit::Jit`]; [`arch`] holds what is per architecture.

pub mod arch;
pub mod engine;
pub mod enums;
pub mod inferior;
pub mod runtime;
pub mod source;
mod step;
pub mod unwind;
pub mod vars;

pub use engine::{BreakSpec, Breakpoint, Engine, EngineError, Frame, Outcome};
pub use inferior::Stop;

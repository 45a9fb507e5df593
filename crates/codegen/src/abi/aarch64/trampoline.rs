//! AArch64 pieces of GNU C nested-function trampolines (see `crate::nested`; the scheme is
//! x86-64's, `abi/x86_64/trampoline.rs`).
//!
//! Stub `i` of the pool in `.text` (four instructions) loads the static chain of cell `i` of
//! the `.bss` pool into `x18`, gcc's static-chain register, and branches to the cell's target
//! through `x17`; the entry thunk moves `x18` into the body's hidden last parameter. Nothing is
//! written into code at run time. `nest_alloc(chain, target)` claims a free cell with an
//! exclusive load/store pair on its target (zero means free) and traps when the pool is
//! exhausted; `nest_free(stub)` clears the target with a release store.

use super::va::locations;
use super::Loc;
use crate::abi::CAbi;
use cfree_frontend::types::{FuncType, TypeTable};

/// Stubs per object, as on x86-64.
pub const POOL_SIZE: u32 = 4096;

/// Where the body of a nested function takes its hidden chain parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainPlace {
    /// In general register `xN`.
    Reg(u32),
    /// On the stack at this offset of the argument area (after the declared parameters'
    /// stack arguments).
    Stack(u32),
}

/// Where the hidden chain parameter (last of `hidden`'s parameters) travels, or why a
/// trampoline cannot pass it.
pub fn chain_place(abi: &dyn CAbi, t: &TypeTable, hidden: &FuncType) -> Result<ChainPlace, String> {
    if hidden.variadic {
        return Err(
            "taking the address of a variadic nested function is not supported by cfree".into(),
        );
    }
    let sig = abi.signature(t, hidden, &[], true);
    let (locs, ..) = locations(&sig);
    match locs.last().and_then(|l| l.first()) {
        Some(Loc::Gr(r)) => Ok(ChainPlace::Reg(*r)),
        Some(Loc::Stack(off)) => Ok(ChainPlace::Stack(*off)),
        _ => Err("nested function without a chain parameter (internal)".into()),
    }
}

/// Assembly of the stub pool and its two routines (object-local symbol names).
pub fn pool_text(alloc: &str, free: &str, pool: &str, cells: &str) -> String {
    let n = POOL_SIZE;
    let end = n * 16;
    format!(
        "\t.text\n\t.p2align 4\n\"{pool}\":\n\t.set .Lcfree_nest_k, 0\n\t.rept {n}\n\
         \tadrp x16, \"{cells}\"+.Lcfree_nest_k\n\
         \tadd x16, x16, :lo12:\"{cells}\"+.Lcfree_nest_k\n\
         \tldp x18, x17, [x16]\n\tbr x17\n\
         \t.set .Lcfree_nest_k, .Lcfree_nest_k+16\n\t.endr\n\
         \t.p2align 4\n\"{alloc}\":\n\
         \tadrp x2, \"{cells}\"\n\tadd x2, x2, :lo12:\"{cells}\"\n\
         \tmov x4, #{end}\n\tadd x3, x2, x4\n\
         1:\tadd x5, x2, #8\n\
         2:\tldaxr x6, [x5]\n\tcbnz x6, 3f\n\
         \tstlxr w7, x1, [x5]\n\tcbnz w7, 2b\n\
         \tstr x0, [x2]\n\
         \tadrp x6, \"{cells}\"\n\tadd x6, x6, :lo12:\"{cells}\"\n\tsub x2, x2, x6\n\
         \tadrp x6, \"{pool}\"\n\tadd x6, x6, :lo12:\"{pool}\"\n\tadd x0, x6, x2\n\tret\n\
         3:\tclrex\n\tadd x2, x2, #16\n\tcmp x2, x3\n\tb.lo 1b\n\tudf #0\n\
         \t.p2align 4\n\"{free}\":\n\
         \tadrp x1, \"{pool}\"\n\tadd x1, x1, :lo12:\"{pool}\"\n\tsub x0, x0, x1\n\
         \tadrp x1, \"{cells}\"\n\tadd x1, x1, :lo12:\"{cells}\"\n\tadd x1, x1, x0\n\
         \tadd x1, x1, #8\n\tstlr xzr, [x1]\n\tret\n\
         \t.bss\n\t.p2align 4\n\"{cells}\":\n\t.skip {end}\n\t.text\n"
    )
}

/// Assembly of one entry thunk: the chain from `x18` into its place, then the body. With the
/// chain on the stack the thunk calls the body with a copy of the caller's stack arguments
/// plus the chain (a tail branch cannot grow the caller's argument area); the argument and
/// result registers pass through untouched.
pub fn entry_text(entry: &str, body: &str, place: ChainPlace) -> String {
    let mut t = format!("\t.text\n\t.p2align 4\n\"{entry}\":\n");
    match place {
        ChainPlace::Reg(r) => t.push_str(&format!("\tmov x{r}, x18\n\tb \"{body}\"\n")),
        ChainPlace::Stack(bytes) => {
            let frame = (bytes + 8).next_multiple_of(16);
            t.push_str(&format!(
                "\tstp x29, x30, [sp, #-16]!\n\tmov x29, sp\n\tsub sp, sp, #{frame}\n"
            ));
            for off in (0..bytes).step_by(8) {
                t.push_str(&format!(
                    "\tldr x16, [x29, #{}]\n\tstr x16, [sp, #{off}]\n",
                    off + 16
                ));
            }
            t.push_str(&format!(
                "\tstr x18, [sp, #{bytes}]\n\tbl \"{body}\"\n\tmov sp, x29\n\tldp x29, x30, [sp], #16\n\tret\n"
            ));
        }
    }
    t
}

//! RISC-V 64 pieces of GNU C nested-function trampolines (see `crate::nested`; the scheme is
//! x86-64's, `abi/x86_64/trampoline.rs`).
//!
//! Stub `i` of the pool in `.text` (five instructions, padded to 32 bytes) loads the static
//! chain of cell `i` (16 bytes) of the `.bss` pool into `t2`, gcc's static-chain register, and
//! jumps to the cell's target through `t0`; the entry thunk moves `t2` into the body's hidden
//! last parameter. Nothing is written into code at run time. `nest_alloc(chain, target)`
//! claims a free cell with `lr.d`/`sc.d` on its target (zero means free) and traps (`unimp`)
//! when the pool is exhausted; `nest_free(stub)` clears the target with a release store.

use super::va::locations;
use super::Loc;
use crate::abi::{ArgAbi, CAbi};
use cfree_frontend::types::{FuncType, TypeTable};

/// Stubs per object, as on x86-64.
pub const POOL_SIZE: u32 = 4096;

/// Where the body of a nested function takes its hidden chain parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainPlace {
    /// In integer argument register `aN`.
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
    let sret = matches!(sig.ret, ArgAbi::Memory { .. });
    let (locs, ..) = locations(&sig, sret);
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
        "\t.text\n\t.p2align 5\n\"{pool}\":\n\t.set .Lcfree_nest_k, 0\n\t.rept {n}\n\
         1:\tauipc t0, %pcrel_hi(\"{cells}\"+.Lcfree_nest_k)\n\
         \taddi t0, t0, %pcrel_lo(1b)\n\
         \tld t2, 0(t0)\n\tld t0, 8(t0)\n\tjr t0\n\t.p2align 5\n\
         \t.set .Lcfree_nest_k, .Lcfree_nest_k+16\n\t.endr\n\
         \t.p2align 4\n\"{alloc}\":\n\
         \tlla a2, \"{cells}\"\n\tli a4, {end}\n\tadd a3, a2, a4\n\
         1:\taddi a5, a2, 8\n\
         2:\tlr.d.aq a6, (a5)\n\tbnez a6, 3f\n\
         \tsc.d.rl a7, a1, (a5)\n\tbnez a7, 2b\n\
         \tsd a0, 0(a2)\n\
         \tlla a6, \"{cells}\"\n\tsub a2, a2, a6\n\tslli a2, a2, 1\n\
         \tlla a6, \"{pool}\"\n\tadd a0, a6, a2\n\tret\n\
         3:\taddi a2, a2, 16\n\tbltu a2, a3, 1b\n\tunimp\n\
         \t.p2align 4\n\"{free}\":\n\
         \tlla a1, \"{pool}\"\n\tsub a0, a0, a1\n\tsrli a0, a0, 1\n\
         \tlla a1, \"{cells}\"\n\tadd a1, a1, a0\n\
         \tfence rw, w\n\tsd zero, 8(a1)\n\tret\n\
         \t.bss\n\t.p2align 4\n\"{cells}\":\n\t.skip {end}\n\t.text\n"
    )
}

/// Assembly of one entry thunk: the chain from `t2` into its place, then the body. With the
/// chain on the stack the thunk calls the body with a copy of the caller's stack arguments
/// plus the chain (a tail jump cannot grow the caller's argument area); the argument and
/// result registers pass through untouched.
pub fn entry_text(entry: &str, body: &str, place: ChainPlace) -> String {
    let mut t = format!("\t.text\n\t.p2align 4\n\"{entry}\":\n");
    match place {
        ChainPlace::Reg(r) => t.push_str(&format!("\tmv a{r}, t2\n\ttail \"{body}\"\n")),
        ChainPlace::Stack(bytes) => {
            let frame = (bytes + 8).next_multiple_of(16);
            t.push_str(&format!(
                "\taddi sp, sp, -16\n\tsd ra, 8(sp)\n\tsd s0, 0(sp)\n\tmv s0, sp\n\taddi sp, sp, -{frame}\n"
            ));
            for off in (0..bytes).step_by(8) {
                t.push_str(&format!("\tld t0, {}(s0)\n\tsd t0, {off}(sp)\n", off + 16));
            }
            t.push_str(&format!(
                "\tsd t2, {bytes}(sp)\n\tcall \"{body}\"\n\tmv sp, s0\n\tld ra, 8(sp)\n\tld s0, 0(sp)\n\taddi sp, sp, 16\n\tret\n"
            ));
        }
    }
    t
}

//! x86-64 pieces of GNU C nested-function trampolines (see `crate::nested`).
//!
//! A trampoline is one 16-byte stub of a pool in `.text`; stub `i` loads the static chain from
//! cell `i` of a pool in `.bss` into `%r10` and jumps to the cell's target, an entry thunk that
//! moves `%r10` into the register of the body's hidden last parameter. No code is written at
//! run time (the image stays W^X): allocating a trampoline only stores the chain and the target
//! into a free cell, found with `lock cmpxchg` on the target (zero means free), so threads
//! need no lock. `nest_alloc(chain, target)` returns the stub address and traps (`ud2`) when
//! the pool is exhausted; `nest_free(stub)` clears the cell's target.

use super::INT_REGS;
use crate::abi::{ArgAbi, CAbi};
use cfree_frontend::types::{FuncType, TypeTable};

/// Stubs per object: the most trampolines live at once (one per activation of a parent, per
/// nested function whose address it takes).
pub const POOL_SIZE: u32 = 4096;

/// Integer argument registers in order.
const ARG_REGS: [&str; INT_REGS as usize] = ["rdi", "rsi", "rdx", "rcx", "r8", "r9"];

/// The register that carries the hidden chain parameter (last of `hidden`'s parameters) of a
/// nested function body, or why a trampoline cannot reach it.
pub fn chain_register(
    abi: &dyn CAbi,
    t: &TypeTable,
    hidden: &FuncType,
) -> Result<&'static str, String> {
    if hidden.variadic {
        return Err(
            "taking the address of a variadic nested function is not supported by cfree".into(),
        );
    }
    let sig = abi.signature(t, hidden, &[], true);
    let named = sig.params.len().saturating_sub(1);
    let sret = matches!(sig.ret, ArgAbi::Memory { .. });
    let (gp, _, _) = super::named_usage(&sig.params[..named], sret);
    match ARG_REGS.get(gp as usize) {
        Some(r) => Ok(r),
        None => Err("taking the address of a nested function whose integer arguments fill all six argument registers is not supported by cfree".into()),
    }
}

/// Assembly of the stub pool and its two routines; `alloc`, `free`, `pool`, `cells` are the
/// (object-local) symbol names.
pub fn pool_text(alloc: &str, free: &str, pool: &str, cells: &str) -> String {
    let n = POOL_SIZE;
    format!(
        "\t.text\n\t.p2align 4\n\"{pool}\":\n\t.set .Lcfree_nest_k, 0\n\t.rept {n}\n\
         \tmovq \"{cells}\"+.Lcfree_nest_k(%rip), %r10\n\
         \tjmpq *\"{cells}\"+.Lcfree_nest_k+8(%rip)\n\
         \t.p2align 4, 0xcc\n\t.set .Lcfree_nest_k, .Lcfree_nest_k+16\n\t.endr\n\
         \t.p2align 4\n\"{alloc}\":\n\
         \tleaq \"{cells}\"(%rip), %rcx\n\
         \tleaq \"{cells}\"+{end}(%rip), %r8\n\
         1:\txorl %eax, %eax\n\
         \tlock cmpxchgq %rsi, 8(%rcx)\n\
         \tje 2f\n\
         \taddq $16, %rcx\n\
         \tcmpq %r8, %rcx\n\
         \tjb 1b\n\
         \tud2\n\
         2:\tmovq %rdi, (%rcx)\n\
         \tleaq \"{cells}\"(%rip), %rax\n\
         \tsubq %rax, %rcx\n\
         \tleaq \"{pool}\"(%rip), %rax\n\
         \taddq %rcx, %rax\n\
         \tret\n\
         \t.p2align 4\n\"{free}\":\n\
         \tleaq \"{pool}\"(%rip), %rax\n\
         \tsubq %rax, %rdi\n\
         \tleaq \"{cells}\"(%rip), %rax\n\
         \tmovq $0, 8(%rax,%rdi)\n\
         \tret\n\
         \t.bss\n\t.p2align 4\n\"{cells}\":\n\t.skip {end}\n\t.text\n",
        end = n * 16
    )
}

/// Assembly of one entry thunk: the chain from `%r10` into `reg`, then the body.
pub fn entry_text(entry: &str, body: &str, reg: &str) -> String {
    format!("\t.text\n\t.p2align 4\n\"{entry}\":\n\tmovq %r10, %{reg}\n\tjmp \"{body}\"\n")
}

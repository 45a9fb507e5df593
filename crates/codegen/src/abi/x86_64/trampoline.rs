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

/// Where the body of a nested function takes its hidden chain parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainPlace {
    /// In this integer argument register.
    Reg(&'static str),
    /// On the stack, after this many bytes of stack arguments (all integer registers are
    /// taken by the declared parameters).
    Stack(u32),
}

/// Where the hidden chain parameter (last of `hidden`'s parameters) of a nested function body
/// travels, or why a trampoline cannot pass it.
pub fn chain_place(abi: &dyn CAbi, t: &TypeTable, hidden: &FuncType) -> Result<ChainPlace, String> {
    if hidden.variadic {
        return Err(
            "taking the address of a variadic nested function is not supported by cfree".into(),
        );
    }
    let sig = abi.signature(t, hidden, &[], true);
    let named = sig.params.len().saturating_sub(1);
    let sret = matches!(sig.ret, ArgAbi::Memory { .. });
    let (gp, _, stack) = super::named_usage(&sig.params[..named], sret);
    Ok(match ARG_REGS.get(gp as usize) {
        Some(r) => ChainPlace::Reg(r),
        None => ChainPlace::Stack(stack),
    })
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

/// Assembly of one entry thunk: the chain from `%r10` into its place, then the body. With
/// the chain on the stack the thunk calls the body with a copy of the stack arguments plus
/// the chain (a tail jump cannot grow the caller's argument area).
pub fn entry_text(entry: &str, body: &str, place: ChainPlace) -> String {
    let mut t = format!("\t.text\n\t.p2align 4\n\"{entry}\":\n");
    match place {
        ChainPlace::Reg(reg) => {
            t.push_str(&format!("\tmovq %r10, %{reg}\n\tjmp \"{body}\"\n"));
        }
        ChainPlace::Stack(bytes) => {
            let frame = (bytes + 8).next_multiple_of(16);
            t.push_str(&format!(
                "\tpushq %rbp\n\tmovq %rsp, %rbp\n\tsubq ${frame}, %rsp\n"
            ));
            for off in (0..bytes).step_by(8) {
                t.push_str(&format!(
                    "\tmovq {}(%rbp), %r11\n\tmovq %r11, {off}(%rsp)\n",
                    off + 16
                ));
            }
            t.push_str(&format!(
                "\tmovq %r10, {bytes}(%rsp)\n\tcall \"{body}\"\n\tleave\n\tret\n"
            ));
        }
    }
    t
}

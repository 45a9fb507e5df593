//! Variadic definitions under the RISC-V psABI.
//!
//! `va_list` is a `void *` that walks one contiguous array of 8-byte words: the integer
//! argument registers a0-a7 followed by the caller's stack arguments. Variadic arguments
//! travel by the integer rules only, so `va_arg` is a pointer bump (16-aligned first for a
//! 2×XLEN-aligned type, a pointer to the caller's copy for an aggregate over 16 bytes), and a
//! `va_list` made here can be handed to gcc-compiled `vprintf`, which walks it the same way.
//!
//! For that array to exist, a0-a7 must be stored in the 64 bytes just below the incoming
//! stack pointer, where the caller's stack arguments begin. gcc does it in the prologue of
//! the variadic function. A Cranelift function cannot: its prologue puts the saved `ra`/`fp`
//! pair there and its stack slots below that, at offsets of its own choosing. So the public
//! symbol of a variadic definition is a small entry thunk ([`entry`]) that makes the save area
//! in its own frame, exactly below the caller's arguments, and then calls the real body (a
//! local symbol `<name>.va_body`). The body is an ordinary Cranelift function whose caller is
//! always that thunk, so the save area is at a fixed offset from the body's frame pointer
//! ([`SAVE`]): the body's frame record (16 bytes), then the thunk's (16 bytes), then the
//! area. The thunk leaves every argument register as it came, so the body also receives
//! fa0-fa7 as parameters; results in a0/a1/fa0/fa1 pass back through it untouched.

use super::{is_fp, Loc, REGS};
use crate::abi::{mem, new_slot, ArgAbi, FnAbi, ParamHome, VaFrame, VariadicEntry};
use cfree_frontend::types::{TypeId, TypeTable};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{types, InstBuilder, Type, Value};
use cranelift_frontend::FunctionBuilder;
use gimli::write::CallFrameInstruction as Cfi;
use gimli::Register;

/// The suffix of the body's local symbol behind a variadic definition's entry thunk.
pub const BODY_SUFFIX: &str = ".va_body";
/// From the body's frame pointer to the save area: the body's own frame record (saved `fp`
/// and `ra`, 16 bytes, Cranelift's riscv64 prologue) then the thunk's (16 bytes).
const SAVE: i64 = 32;
/// The save area: a0-a7.
const SAVE_SIZE: u32 = 8 * REGS;
/// The thunk's frame: the save area above its frame record.
const THUNK_FRAME: i32 = SAVE_SIZE as i32 + 16;
const P: Type = types::I64;

/// Where Cranelift puts each value of the named parameters of `fabi` (pads included) in a
/// call with the plain signature: each class's registers in order, then 8-byte stack
/// words; an `I128` is two integer words. `sret`: a0 is taken. Returns each parameter's
/// locations and the registers and stack bytes used.
pub(super) fn locations(fabi: &FnAbi, sret: bool) -> (Vec<Vec<Loc>>, u32, u32, u32) {
    let (mut gr, mut fr, mut st) = (sret as u32, 0u32, 0u32);
    let mut place = |ty: Type| -> Loc {
        if is_fp(ty) && fr < REGS {
            fr += 1;
            return Loc::Fr(fr - 1);
        }
        if !is_fp(ty) && gr < REGS {
            gr += 1;
            return Loc::Gr(gr - 1);
        }
        st += 8;
        Loc::Stack(st - 8)
    };
    let mut out = Vec::new();
    for (a, pads) in fabi.params.iter().zip(&fabi.pads) {
        for &p in pads {
            place(p);
        }
        let mut locs = Vec::new();
        match a {
            ArgAbi::Direct(ty) if *ty == types::I128 => locs.extend([place(P), place(P)]),
            ArgAbi::Direct(ty) => locs.push(place(*ty)),
            ArgAbi::Split(pieces) => locs.extend(pieces.iter().map(|(ty, _)| place(*ty))),
            ArgAbi::Indirect { .. } => locs.push(place(P)),
            _ => {}
        }
        out.push(locs);
    }
    (out, gr, fr, st)
}

/// Reads the named parameters: integer words from the thunk's save area and the stack
/// arguments above it, FP registers from `params` (fa0-fa7 as F64, spilled so a `float`
/// can be read from the low half of its NaN-boxed register).
pub(super) fn prologue(
    b: &mut FunctionBuilder,
    fabi: &FnAbi,
    params: &[Value],
    sret: bool,
) -> (VaFrame, Vec<ParamHome>) {
    let fsave = new_slot(b, 8 * REGS, 8);
    for (j, &v) in params.iter().take(REGS as usize).enumerate() {
        b.ins().stack_store(P, v, fsave, (j * 8) as i32);
    }
    let (locs, gp, fp, stack) = locations(fabi, sret);
    let fpv = b.ins().get_frame_pointer(P);
    let area = b.ins().iadd_imm_s(fpv, SAVE);
    let read = |b: &mut FunctionBuilder, ty: Type, loc: Loc| match loc {
        Loc::Fr(j) => b.ins().stack_load(P, ty, fsave, (j * 8) as i32),
        Loc::Gr(_) | Loc::Stack(_) => {
            let w = loc.word().unwrap_or(0);
            b.ins().load(ty, mem(), area, (w * 8) as i32)
        }
    };
    let homes = fabi
        .params
        .iter()
        .zip(&locs)
        .map(|(a, l)| match (a, l.first()) {
            // Both halves of an `I128` are consecutive words, even across a7 and the stack.
            (ArgAbi::Direct(ty), Some(&first)) => ParamHome::Value(read(b, *ty, first)),
            (ArgAbi::Split(pieces), _) => ParamHome::Pieces(
                pieces
                    .iter()
                    .zip(l)
                    .map(|((ty, _), &loc)| read(b, *ty, loc))
                    .collect(),
            ),
            (ArgAbi::Indirect { .. }, Some(&first)) => ParamHome::Addr(read(b, P, first)),
            _ => ParamHome::None,
        })
        .collect();
    (
        VaFrame {
            save: fsave,
            gp,
            fp,
            stack,
        },
        homes,
    )
}

/// `va_start`: the word after the named parameters' last integer word.
pub(super) fn start(b: &mut FunctionBuilder, f: &VaFrame, ap: Value) {
    let words = if f.stack > 0 {
        REGS + f.stack / 8
    } else {
        f.gp
    };
    let fpv = b.ins().get_frame_pointer(P);
    let p = b.ins().iadd_imm_s(fpv, SAVE + i64::from(words) * 8);
    b.ins().store(mem(), p, ap, 0);
}

/// `va_arg` as gcc's `riscv_va_arg` (the standard pointer bump): a 2×XLEN-aligned argument
/// starts at a 16-aligned word (its even register), an aggregate over 16 bytes is a pointer to
/// the caller's copy, anything else takes its size in whole words.
pub(super) fn arg(
    b: &mut FunctionBuilder,
    t: &TypeTable,
    a: &ArgAbi,
    ap: Value,
    ty: TypeId,
) -> Value {
    let p = b.ins().load(P, mem(), ap, 0);
    let (addr, next) = match a {
        ArgAbi::Indirect { .. } => {
            let addr = b.ins().load(P, mem(), p, 0);
            (addr, b.ins().iadd_imm_s(p, 8))
        }
        _ => {
            let p = if t.align(ty) >= 16 {
                let x = b.ins().iadd_imm_s(p, 15);
                b.ins().band_imm_s(x, -16)
            } else {
                p
            };
            let size = t.size(ty).next_multiple_of(8);
            (p, b.ins().iadd_imm_s(p, size as i64))
        }
    };
    b.ins().store(mem(), next, ap, 0);
    addr
}

// ---- the entry thunk ------------------------------------------------------------------

const RA: u32 = 1;
const SP: u32 = 2;
const S0: u32 = 8;
const A0: u32 = 10;

/// `addi rd, rs, imm` (I-type, OP-IMM).
const fn addi(rd: u32, rs: u32, imm: i32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs << 15) | (rd << 7) | 0x13
}

/// `sd rs2, imm(rs1)` (S-type, STORE, funct3 3).
const fn sd(rs2: u32, imm: i32, rs1: u32) -> u32 {
    let imm = imm as u32 & 0xfff;
    ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 0x1f) << 7) | 0x23
}

/// `ld rd, imm(rs1)` (I-type, LOAD, funct3 3).
const fn ld(rd: u32, imm: i32, rs1: u32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x03
}

/// `auipc rd, 0`.
const fn auipc(rd: u32) -> u32 {
    (rd << 7) | 0x17
}

/// `jalr rd, 0(rs)`.
const fn jalr(rd: u32, rs: u32) -> u32 {
    (rs << 15) | (rd << 7) | 0x67
}

/// Where the call's `auipc` is (R_RISCV_CALL_PLT covers it and the `jalr` after it).
const CALL_AT: u32 = 12 * 4;

/// The entry thunk of a variadic definition:
///
/// ```text
///     addi sp, sp, -80        # frame: save area (64) above a frame record (16)
///     sd   ra, 8(sp)
///     sd   s0, 0(sp)
///     sd   a0, 16(sp) ... sd a7, 72(sp)   # a0-a7 just below the caller's stack arguments
///     mv   s0, sp             # a frame record in Cranelift's layout: the chain stays whole
///     call <name>.va_body     # auipc ra, 0 / jalr ra, 0(ra), R_RISCV_CALL_PLT
///     ld   ra, 8(sp)
///     ld   s0, 0(sp)
///     addi sp, sp, 80
///     ret
/// ```
///
/// 80 keeps `sp` 16-aligned. Unwinding: the thunk gets an FDE of its own (`cfi`) saying where
/// the CFA, `ra` and `s0` are after each instruction, so gdb and libgcc unwind through it; a
/// frame-pointer walk works too, since `s0` points at the thunk's record (old `s0`, `ra`) as
/// it does in a Cranelift frame.
pub(super) fn entry() -> VariadicEntry {
    let mut code = vec![addi(SP, SP, -THUNK_FRAME), sd(RA, 8, SP), sd(S0, 0, SP)];
    code.extend((0..REGS).map(|i| sd(A0 + i, 16 + 8 * i as i32, SP)));
    code.push(addi(S0, SP, 0));
    debug_assert_eq!(code.len() as u32 * 4, CALL_AT);
    code.extend([
        auipc(RA),
        jalr(RA, RA),
        ld(RA, 8, SP),
        ld(S0, 0, SP),
        addi(SP, SP, THUNK_FRAME),
        jalr(0, RA),
    ]);
    let bytes = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let (ra, s0) = (Register(RA as u16), Register(S0 as u16));
    VariadicEntry {
        bytes,
        reloc_offset: CALL_AT,
        reloc: Reloc::RiscvCallPlt,
        addend: 0,
        body_suffix: BODY_SUFFIX,
        cfi: vec![
            (4, Cfi::CfaOffset(THUNK_FRAME)),
            (8, Cfi::Offset(ra, 8 - THUNK_FRAME)),
            (12, Cfi::Offset(s0, -THUNK_FRAME)),
            (CALL_AT + 16, Cfi::Restore(ra)),
            (CALL_AT + 16, Cfi::Restore(s0)),
            (CALL_AT + 20, Cfi::CfaOffset(0)),
        ],
    }
}

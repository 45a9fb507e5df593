//! Variadic definitions under AAPCS64 (Appendix B): x0-x7 saved in a 64-byte general area
//! and q0-q7 in a 128-byte SIMD area, and the 32-byte `va_list`
//! `{ void *__stack; void *__gr_top; void *__vr_top; int __gr_offs; int __vr_offs; }` whose
//! offsets count up from minus the unused part of each area to zero.

use super::{arg_align, is_fp, Aapcs64, Loc, REGS};
use crate::abi::{mem, new_slot, ArgAbi, FnAbi, ParamHome, VaFrame};
use cfree_frontend::types::{TypeId, TypeTable};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, Type, Value};
use cranelift_frontend::FunctionBuilder;

pub(super) const VA_LIST_SIZE: u32 = 32;
const GR_SIZE: u32 = 8 * REGS;
const VR_SIZE: u32 = 16 * REGS;
/// The caller's stack arguments start above the saved frame pointer and link register.
const STACK_ARGS: i64 = 16;
const P: Type = types::I64;
const STACK: i32 = 0;
const GR_TOP: i32 = 8;
const VR_TOP: i32 = 16;
const GR_OFFS: i32 = 24;
const VR_OFFS: i32 = 28;

/// Where Cranelift puts each value of the named parameters of `fabi` (their pads included)
/// in a call with the plain signature: registers per class in order, even pairs for `I128`,
/// then 8-byte (or size-aligned 16-byte) stack slots. Returns each parameter's value
/// locations and the counters after them.
pub(super) fn locations(fabi: &FnAbi) -> (Vec<Vec<Loc>>, u32, u32, u32) {
    let (mut gr, mut vr, mut st) = (0u32, 0u32, 0u32);
    let mut place = |ty: Type| -> Loc {
        if is_fp(ty) && vr < REGS {
            vr += 1;
            return Loc::Vr(vr - 1);
        }
        if ty == types::I128 && gr < REGS - 1 {
            gr += gr % 2 + 2;
            return Loc::Gr(gr - 2);
        }
        if !is_fp(ty) && ty != types::I128 && gr < REGS {
            gr += 1;
            return Loc::Gr(gr - 1);
        }
        let size = ty.bytes().max(8);
        st = st.next_multiple_of(size);
        st += size;
        Loc::Stack(st - size)
    };
    let mut out = Vec::new();
    for (a, pads) in fabi.params.iter().zip(&fabi.pads) {
        for &p in pads {
            place(p);
        }
        let locs = match a {
            ArgAbi::Direct(ty) => vec![place(*ty)],
            ArgAbi::Split(pieces) => pieces.iter().map(|(ty, _)| place(*ty)).collect(),
            ArgAbi::Indirect { .. } => vec![place(P)],
            _ => Vec::new(),
        };
        out.push(locs);
    }
    (out, gr, vr, st)
}

/// Saves x0-x7 and q0-q7 (`params`, as the variadic signature receives them) and reads the
/// named parameters from the save areas or the caller's frame.
pub(super) fn prologue(
    _abi: &Aapcs64,
    b: &mut FunctionBuilder,
    fabi: &FnAbi,
    params: &[Value],
) -> (VaFrame, Vec<ParamHome>) {
    let save = new_slot(b, GR_SIZE + VR_SIZE, 16);
    for (i, &v) in params[..REGS as usize].iter().enumerate() {
        b.ins().stack_store(P, v, save, (i * 8) as i32);
    }
    for (j, &v) in params[REGS as usize..2 * REGS as usize].iter().enumerate() {
        b.ins()
            .stack_store(P, v, save, (GR_SIZE as usize + j * 16) as i32);
    }
    let (locs, gp, fp, stack) = locations(fabi);
    let read = |b: &mut FunctionBuilder, ty: Type, loc: Loc| match loc {
        Loc::Gr(i) => b.ins().stack_load(P, ty, save, (i * 8) as i32),
        Loc::Vr(j) => b.ins().stack_load(P, ty, save, (GR_SIZE + j * 16) as i32),
        Loc::Stack(o) => {
            let fpv = b.ins().get_frame_pointer(P);
            b.ins().load(ty, mem(), fpv, (STACK_ARGS as u32 + o) as i32)
        }
    };
    let homes = fabi
        .params
        .iter()
        .zip(&locs)
        .map(|(a, l)| match a {
            ArgAbi::Direct(ty) => ParamHome::Value(read(b, *ty, l[0])),
            ArgAbi::Split(pieces) => ParamHome::Pieces(
                pieces
                    .iter()
                    .zip(l)
                    .map(|((ty, _), &loc)| read(b, *ty, loc))
                    .collect(),
            ),
            ArgAbi::Indirect { .. } => ParamHome::Addr(read(b, P, l[0])),
            _ => ParamHome::None,
        })
        .collect();
    (
        VaFrame {
            save,
            gp,
            fp,
            stack,
        },
        homes,
    )
}

pub(super) fn start(b: &mut FunctionBuilder, f: &VaFrame, ap: Value) {
    let fpv = b.ins().get_frame_pointer(P);
    let stack = b.ins().iadd_imm_s(fpv, STACK_ARGS + f.stack as i64);
    b.ins().store(mem(), stack, ap, STACK);
    let gr_top = b.ins().stack_addr(P, f.save, GR_SIZE as i32);
    b.ins().store(mem(), gr_top, ap, GR_TOP);
    let vr_top = b.ins().stack_addr(P, f.save, (GR_SIZE + VR_SIZE) as i32);
    b.ins().store(mem(), vr_top, ap, VR_TOP);
    let gr_offs = b
        .ins()
        .iconst(types::I32, -(i64::from(REGS.saturating_sub(f.gp)) * 8));
    b.ins().store(mem(), gr_offs, ap, GR_OFFS);
    let vr_offs = b
        .ins()
        .iconst(types::I32, -(i64::from(REGS.saturating_sub(f.fp)) * 16));
    b.ins().store(mem(), vr_offs, ap, VR_OFFS);
}

/// Appendix B.4's `va_arg`: from the general or SIMD save area while the argument's
/// registers are left there, else from `__stack`.
pub(super) fn arg(
    b: &mut FunctionBuilder,
    t: &TypeTable,
    a: &ArgAbi,
    ap: Value,
    ty: TypeId,
) -> Value {
    let size = t.size(ty) as u32;
    let align16 = arg_align(t, ty) >= 16;
    // (SIMD area?, registers it takes, passed by reference?)
    let (vr, n, indirect) = match a {
        ArgAbi::Direct(cl) if is_fp(*cl) => (true, 1, false),
        ArgAbi::Direct(cl) => (false, cl.bytes().div_ceil(8), false),
        ArgAbi::Split(p) if p.first().is_some_and(|(cl, _)| is_fp(*cl)) => {
            (true, p.len() as u32, false)
        }
        ArgAbi::Split(p) => (false, p.len() as u32, false),
        ArgAbi::Indirect { .. } => (false, 1, true),
        _ => (false, 0, false),
    };
    let join = b.create_block();
    b.append_block_param(join, P);
    let on_stack = b.create_block();
    if n > 0 {
        let (offs_field, top_field, step) = if vr {
            (VR_OFFS, VR_TOP, 16)
        } else {
            (GR_OFFS, GR_TOP, 8)
        };
        let offs = b.ins().load(types::I32, mem(), ap, offs_field);
        let left = b.create_block();
        let in_regs = b.create_block();
        let none_left = b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, offs, 0);
        b.ins().brif(none_left, on_stack, &[], left, &[]);
        b.switch_to_block(left);
        // A 16-aligned argument starts at an even register (a pointer to a copy does not).
        let offs = if align16 && !vr && !indirect {
            let x = b.ins().iadd_imm_s(offs, 15);
            b.ins().band_imm_s(x, -16)
        } else {
            offs
        };
        let next = b.ins().iadd_imm_s(offs, i64::from(n * step));
        b.ins().store(mem(), next, ap, offs_field);
        let fits = b.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, next, 0);
        b.ins().brif(fits, in_regs, &[], on_stack, &[]);
        b.switch_to_block(in_regs);
        let top = b.ins().load(P, mem(), ap, top_field);
        let o = b.ins().sextend(P, offs);
        let base = b.ins().iadd(top, o);
        let addr = match a {
            // Each member of a homogeneous aggregate sat in a register of its own.
            ArgAbi::Split(pieces) if vr && pieces.len() > 1 => {
                let ss = new_slot(b, size.next_multiple_of(16), 16);
                let tmp = b.ins().stack_addr(P, ss, 0);
                for (i, &(cl, off)) in pieces.iter().enumerate() {
                    let v = b.ins().load(cl, mem(), base, (i * 16) as i32);
                    b.ins().store(mem(), v, tmp, off as i32);
                }
                tmp
            }
            _ if indirect => b.ins().load(P, mem(), base, 0),
            _ => base,
        };
        b.ins().jump(join, &[BlockArg::Value(addr)]);
    } else {
        b.ins().jump(on_stack, &[]);
    }
    b.switch_to_block(on_stack);
    let p = b.ins().load(P, mem(), ap, STACK);
    let p = if align16 && !indirect {
        let x = b.ins().iadd_imm_s(p, 15);
        b.ins().band_imm_s(x, -16)
    } else {
        p
    };
    let slot = if indirect {
        8
    } else {
        size.next_multiple_of(8)
    };
    let next = b.ins().iadd_imm_s(p, i64::from(slot));
    b.ins().store(mem(), next, ap, STACK);
    let addr = if indirect {
        b.ins().load(P, mem(), p, 0)
    } else {
        p
    };
    b.ins().jump(join, &[BlockArg::Value(addr)]);
    b.switch_to_block(join);
    b.block_params(join)[0]
}

//! Variadic definitions under the SysV psABI (§3.5.7): the 176-byte register save area (six
//! GPRs, then eight xmm registers of 16 bytes), and the 24-byte `va_list` record
//! `{ u32 gp_offset; u32 fp_offset; void *overflow_arg_area; void *reg_save_area; }`.

use super::{is_sse, named_usage, regs_needed, INT_REGS, REG_SAVE_SIZE, SSE_REGS};
use crate::abi::{mem, new_slot, ArgAbi, FnAbi, ParamHome, VaFrame};
use cfree_frontend::types::{TypeId, TypeTable};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, TrapCode, Type, Value};
use cranelift_frontend::FunctionBuilder;

pub(super) const VA_LIST_SIZE: u32 = 24;
/// Where the xmm registers start in the save area.
const FP_BASE: u32 = 8 * INT_REGS;
/// The caller's stack arguments start above the saved frame pointer and return address.
const STACK_ARGS: i64 = 16;
const P: Type = types::I64;

/// Saves every argument register; the named parameters are read back from the save area or
/// the caller's frame in the order the classification assigned them.
pub(super) fn prologue(
    b: &mut FunctionBuilder,
    fabi: &FnAbi,
    params: &[Value],
    sret: bool,
) -> (VaFrame, Vec<ParamHome>) {
    let (gp, fp, stack) = named_usage(&fabi.params, sret);
    let save = new_slot(b, REG_SAVE_SIZE, 16);
    let ngp = INT_REGS as usize - sret as usize;
    for (i, &v) in params[..ngp].iter().enumerate() {
        b.ins()
            .stack_store(P, v, save, ((i + sret as usize) * 8) as i32);
    }
    for (j, &v) in params[ngp..ngp + SSE_REGS as usize].iter().enumerate() {
        b.ins()
            .stack_store(P, v, save, (FP_BASE as usize + j * 16) as i32);
    }
    let frame = VaFrame {
        save,
        gp,
        fp,
        stack,
    };
    let (mut g, mut fl, mut st) = (sret as u32, 0u32, 0u32);
    let mut homes = Vec::new();
    for a in &fabi.params {
        let home = match a {
            ArgAbi::Direct(ty) => {
                let sse = ty.is_float();
                let v = if sse && fl < SSE_REGS {
                    fl += 1;
                    b.ins()
                        .stack_load(P, *ty, save, (FP_BASE + (fl - 1) * 16) as i32)
                } else if !sse && g < INT_REGS {
                    g += 1;
                    b.ins().stack_load(P, *ty, save, ((g - 1) * 8) as i32)
                } else {
                    let fpv = b.ins().get_frame_pointer(P);
                    st += 8;
                    b.ins()
                        .load(*ty, mem(), fpv, (STACK_ARGS as u32 + st - 8) as i32)
                };
                ParamHome::Value(v)
            }
            ArgAbi::Split(pieces) => {
                let mut vals = Vec::new();
                for &(ty, _) in pieces {
                    let v = if is_sse(ty) {
                        fl += 1;
                        b.ins()
                            .stack_load(P, ty, save, (FP_BASE + (fl - 1) * 16) as i32)
                    } else {
                        g += 1;
                        b.ins()
                            .stack_load(P, types::I64, save, ((g - 1) * 8) as i32)
                    };
                    vals.push(v);
                }
                ParamHome::Pieces(vals)
            }
            ArgAbi::Memory { size, pad } => {
                let fpv = b.ins().get_frame_pointer(P);
                let p = b.ins().iadd_imm_s(fpv, STACK_ARGS + (st + pad) as i64);
                st += pad + size.next_multiple_of(8);
                ParamHome::Addr(p)
            }
            ArgAbi::Ignore | ArgAbi::X87 | ArgAbi::X87Pair | ArgAbi::Indirect { .. } => {
                ParamHome::None
            }
        };
        homes.push(home);
    }
    (frame, homes)
}

pub(super) fn start(b: &mut FunctionBuilder, f: &VaFrame, ap: Value) {
    let g = b.ins().iconst(types::I32, (f.gp * 8) as i64);
    b.ins().store(mem(), g, ap, 0);
    let fo = b.ins().iconst(types::I32, (FP_BASE + f.fp * 16) as i64);
    b.ins().store(mem(), fo, ap, 4);
    let fpv = b.ins().get_frame_pointer(P);
    let ov = b.ins().iadd_imm_s(fpv, STACK_ARGS + f.stack as i64);
    b.ins().store(mem(), ov, ap, 8);
    let rsa = b.ins().stack_addr(P, f.save, 0);
    b.ins().store(mem(), rsa, ap, 16);
}

/// The psABI's `va_arg` algorithm: from the save area while the argument's registers are
/// left, else from `overflow_arg_area` rounded to the argument's alignment.
pub(super) fn arg(
    b: &mut FunctionBuilder,
    t: &TypeTable,
    a: &ArgAbi,
    ap: Value,
    ty: TypeId,
) -> Value {
    let size = t.size(ty);
    let (ni, ns) = regs_needed(a);
    let from_regs = b.create_block();
    let from_mem = b.create_block();
    let join = b.create_block();
    b.append_block_param(join, P);
    if ni + ns > 0 {
        let gp = b.ins().load(types::I32, mem(), ap, 0);
        let fp = b.ins().load(types::I32, mem(), ap, 4);
        let gp_ok = b.ins().icmp_imm_s(
            IntCC::UnsignedLessThanOrEqual,
            gp,
            (8 * INT_REGS - ni * 8) as i64,
        );
        let fp_ok = b.ins().icmp_imm_s(
            IntCC::UnsignedLessThanOrEqual,
            fp,
            (REG_SAVE_SIZE - ns * 16) as i64,
        );
        let ok = b.ins().band(gp_ok, fp_ok);
        b.ins().brif(ok, from_regs, &[], from_mem, &[]);
        b.switch_to_block(from_regs);
        let rsa = b.ins().load(P, mem(), ap, 16);
        let addr = match a {
            ArgAbi::Direct(t) if t.is_float() => {
                let off = b.ins().uextend(P, fp);
                let nfp = b.ins().iadd_imm_s(fp, 16);
                b.ins().store(mem(), nfp, ap, 4);
                b.ins().iadd(rsa, off)
            }
            ArgAbi::Direct(_) => {
                let off = b.ins().uextend(P, gp);
                let ngp = b.ins().iadd_imm_s(gp, (ni * 8) as i64);
                b.ins().store(mem(), ngp, ap, 0);
                b.ins().iadd(rsa, off)
            }
            ArgAbi::Split(pieces) => {
                // Gather the pieces into a temporary in memory layout.
                let ss = new_slot(b, 16, 16);
                let tmp = b.ins().stack_addr(P, ss, 0);
                let (mut g, mut f) = (gp, fp);
                for &(t, off) in pieces {
                    let sse = is_sse(t);
                    let (cur, step, field) = if sse { (f, 16, 4) } else { (g, 8, 0) };
                    let o = b.ins().uextend(P, cur);
                    let src = b.ins().iadd(rsa, o);
                    // A 16-byte vector fills its whole save-area slot.
                    let lty = if t.is_vector() { t } else { types::I64 };
                    let v = b.ins().load(lty, mem(), src, 0);
                    b.ins().store(mem(), v, tmp, off as i32);
                    let next = b.ins().iadd_imm_s(cur, step);
                    b.ins().store(mem(), next, ap, field);
                    if sse {
                        f = next;
                    } else {
                        g = next;
                    }
                }
                tmp
            }
            _ => rsa,
        };
        b.ins().jump(join, &[BlockArg::Value(addr)]);
    } else {
        b.ins().jump(from_mem, &[]);
        b.switch_to_block(from_regs);
        b.ins().trap(TrapCode::unwrap_user(1));
    }
    b.switch_to_block(from_mem);
    let ov = b.ins().load(P, mem(), ap, 8);
    let align = t.align(ty).max(8);
    let ov = if align > 8 {
        let x = b.ins().iadd_imm_s(ov, (align - 1) as i64);
        b.ins().band_imm_s(x, -(align as i64))
    } else {
        ov
    };
    let next = b.ins().iadd_imm_s(ov, size.next_multiple_of(8) as i64);
    b.ins().store(mem(), next, ap, 8);
    b.ins().jump(join, &[BlockArg::Value(ov)]);
    b.switch_to_block(join);
    b.block_params(join)[0]
}

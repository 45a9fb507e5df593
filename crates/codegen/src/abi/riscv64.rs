//! The RISC-V ELF psABI, LP64D (integer calling convention plus the hardware floating-point
//! calling convention with FLEN = 64), as Linux uses it:
//!
//! * scalars in a0-a7 and fa0-fa7; a float or double whose FP registers have run out goes by
//!   the integer rules (its bits in the next integer register, else on the stack), as an
//!   `I64` that codegen's `coerce` moves to and from the float;
//! * 32-bit integers, `unsigned int` included, sign-extended to 64 bits in registers;
//! * a struct that flattens (fields of nested structs and arrays included) to one or two
//!   floating-point reals, or to one real and one integer (each at most 8 bytes), in FP
//!   registers or in one FP and one integer register when enough of them are left; anything
//!   else of at most 16 bytes in integer registers, as 8-byte words of its image, the last
//!   one possibly on the stack; larger aggregates by reference to a caller copy, larger
//!   results through a hidden pointer in a0;
//! * `long double` (binary128) in an integer register pair, like any 2×XLEN scalar;
//! * variadic arguments always by the integer rules, a 2×XLEN-aligned one in an even-odd
//!   register pair (the odd register skipped is one of [`FnAbi::pads`]);
//! * on the stack, everything in 8-byte words, 2×XLEN-aligned values at 16.
//!
//! Cranelift's own assignment is simple (each class's registers in order, then 8-byte stack
//! slots), and already what the psABI wants for a value split between a7 and the stack.
//! [`Lp64d::assign`] runs the psABI's rules and turns what Cranelift would do differently
//! into signature changes: a fallen-back float becomes `I64`, a struct that no longer fits
//! its FP registers becomes integer words, and pads fill the skipped registers and stack
//! words. A unit test checks that both views agree.
//!
//! `va_list` is a plain pointer into one contiguous array of 8-byte words: a0-a7 saved just
//! below the caller's stack arguments. `va.rs` explains how a variadic definition gets it.

pub mod trampoline;
mod va;

use super::*;
use cfree_abisig::{AbiSlot, CallConv as AbiCallConv};
use cfree_frontend::types::{FloatKind, TypeKind};

pub use va::BODY_SUFFIX;

pub struct Lp64d;

/// Argument registers of each class (a0-a7, fa0-fa7).
const REGS: u32 = 8;
/// XLEN and FLEN in bytes.
const XLEN: u64 = 8;
const FLEN: u64 = 8;

/// Where one Cranelift value of an argument is, in the psABI's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loc {
    /// Integer register a(N).
    Gr(u32),
    /// Floating-point register fa(N).
    Fr(u32),
    /// Byte offset in the caller's outgoing argument area.
    Stack(u32),
}

impl Loc {
    /// The index of the 8-byte word in a0-a7 followed by the stack arguments (the array a
    /// variadic definition's entry saves); `None` for an FP register.
    fn word(self) -> Option<u32> {
        match self {
            Loc::Gr(i) => Some(i),
            Loc::Stack(o) => Some(REGS + o / 8),
            Loc::Fr(_) => None,
        }
    }
}

/// One C argument after assignment.
#[derive(Clone, Debug)]
struct Assigned {
    abi: ArgAbi,
    pads: Vec<Type>,
    /// One per Cranelift value (`I128`: its two halves), by the psABI's rules; the tests
    /// check them against `va::locations`, Cranelift's view of the final signature.
    #[cfg_attr(not(test), allow(dead_code))]
    locs: Vec<Loc>,
}

/// Registers and stack bytes used by the arguments so far.
#[derive(Clone, Copy, Debug, Default)]
struct Next {
    gr: u32,
    fr: u32,
    stack: u32,
}

/// One field of a flattened struct: a floating-point real or an integer, at an offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Field {
    fp: bool,
    size: u32,
    offset: u32,
}

impl Field {
    fn piece(self) -> (Type, u32) {
        let ty = match (self.fp, self.size) {
            (true, 4) => types::F32,
            (true, _) => types::F64,
            (false, 1) => types::I8,
            (false, 2) => types::I16,
            (false, 4) => types::I32,
            (false, _) => types::I64,
        };
        (ty, self.offset)
    }
}

/// Adds the fields of `ty` at `off` to `out` as the hardware floating-point convention
/// flattens them (gcc's `riscv_flatten_aggregate_field`); false when `ty` cannot be part of
/// a flattened struct: a union, a pointer, a vector, a member over 8 bytes, a flexible array,
/// or more than two fields in all. Zero-width bit-fields do not count; another bit-field is
/// an integer field of its storage unit.
fn flatten(t: &TypeTable, ty: TypeId, off: u64, out: &mut Vec<Field>) -> bool {
    match t.kind(ty) {
        TypeKind::Float(FloatKind::Float | FloatKind::Double) => push(out, true, t.size(ty), off),
        TypeKind::Int(_) => push(out, false, t.size(ty), off),
        TypeKind::Complex(e) if out.is_empty() && t.size(*e) <= FLEN => {
            let (fp, es) = (t.is_float(*e), t.size(*e));
            (fp || t.is_integer(*e)) && push(out, fp, es, off) && push(out, fp, es, off + es)
        }
        TypeKind::Array(e, Some(n)) => {
            let es = t.size(*e);
            (0..*n).all(|i| flatten(t, *e, off + i * es, out))
        }
        TypeKind::Record(r) if !t.record(*r).is_union => {
            t.record(*r).fields.iter().all(|f| match &f.bit {
                Some(bf) if bf.width == 0 => true,
                Some(bf) => push(out, false, u64::from(bf.unit_size), off + f.offset),
                None => flatten(t, f.ty, off + f.offset, out),
            })
        }
        _ => false,
    }
}

/// Adds one field of `size` bytes at `at`; false when there would be more than two or the
/// field is wider than its register.
fn push(out: &mut Vec<Field>, fp: bool, size: u64, at: u64) -> bool {
    let fits = size <= if fp { FLEN } else { XLEN };
    if out.len() >= 2 || !fits || size == 0 {
        return false;
    }
    out.push(Field {
        fp,
        size: size as u32,
        offset: at as u32,
    });
    true
}

/// The FP-register pieces of a struct or complex value under the hardware floating-point
/// convention (two reals, one real, or one real and one integer), if it has them.
fn fp_pieces(t: &TypeTable, ty: TypeId) -> Option<Vec<(Type, u32)>> {
    if !matches!(t.kind(ty), TypeKind::Record(_) | TypeKind::Complex(_)) {
        return None;
    }
    let mut fields = Vec::new();
    if !flatten(t, ty, 0, &mut fields) {
        return None;
    }
    let nfp = fields.iter().filter(|f| f.fp).count();
    let ok = match fields.len() {
        1 | 2 if nfp == fields.len() => true,
        2 => nfp == 1,
        _ => false,
    };
    ok.then(|| fields.iter().map(|f| f.piece()).collect())
}

fn is_fp(ty: Type) -> bool {
    ty.is_float()
}

/// An aggregate of at most 16 bytes by the integer rules: 8-byte words of its image.
fn words(size: u32) -> ArgAbi {
    ArgAbi::Split((0..size.div_ceil(8)).map(|i| (types::I64, i * 8)).collect())
}

impl Lp64d {
    /// Classification by the integer calling convention only (variadic arguments, and named
    /// ones whose FP registers ran out).
    fn integer_class(&self, t: &TypeTable, ty: TypeId) -> ArgAbi {
        match self.classify(t, ty, false) {
            ArgAbi::Direct(cl) if is_fp(cl) => ArgAbi::Direct(types::I64),
            ArgAbi::Split(_) => words(t.size(ty) as u32),
            a => a,
        }
    }

    /// The psABI's assignment of each argument in order; those from `nfixed` on are
    /// variadic. `sret`: a0 holds the hidden result pointer.
    fn assign(
        &self,
        t: &TypeTable,
        tys: &[TypeId],
        nfixed: usize,
        sret: bool,
    ) -> (Vec<Assigned>, Next) {
        let mut n = Next {
            gr: sret as u32,
            ..Next::default()
        };
        let out = tys
            .iter()
            .enumerate()
            .map(|(k, &ty)| self.assign_one(t, ty, k >= nfixed, &mut n))
            .collect();
        (out, n)
    }

    fn assign_one(&self, t: &TypeTable, ty: TypeId, variadic: bool, n: &mut Next) -> Assigned {
        let mut abi = if variadic {
            self.integer_class(t, ty)
        } else {
            self.classify(t, ty, false)
        };
        let mut locs = Vec::new();
        match &abi {
            ArgAbi::Direct(cl) if is_fp(*cl) => {
                if n.fr < REGS {
                    locs.push(Loc::Fr(n.fr));
                    n.fr += 1;
                    return Assigned {
                        abi,
                        pads: Vec::new(),
                        locs,
                    };
                }
                abi = ArgAbi::Direct(types::I64);
            }
            ArgAbi::Split(p) if p.iter().any(|(cl, _)| is_fp(*cl)) => {
                let nf = p.iter().filter(|(cl, _)| is_fp(*cl)).count() as u32;
                let ni = p.len() as u32 - nf;
                if n.fr + nf <= REGS && n.gr + ni <= REGS {
                    for (cl, _) in p {
                        let r = if is_fp(*cl) { &mut n.fr } else { &mut n.gr };
                        locs.push(if is_fp(*cl) { Loc::Fr(*r) } else { Loc::Gr(*r) });
                        *r += 1;
                    }
                    return Assigned {
                        abi,
                        pads: Vec::new(),
                        locs,
                    };
                }
                abi = words(t.size(ty) as u32);
            }
            _ => {}
        }
        let nwords = match &abi {
            ArgAbi::Direct(cl) => cl.bytes().div_ceil(8),
            ArgAbi::Split(p) => p.len() as u32,
            ArgAbi::Indirect { .. } => 1,
            _ => 0,
        };
        let pair_aligned = t.align(ty) >= 2 * XLEN && !matches!(abi, ArgAbi::Indirect { .. });
        let pads = integer_words(n, nwords, pair_aligned, variadic, &mut locs);
        Assigned { abi, pads, locs }
    }

    fn classify_aggregate(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        let size = t.size(ty) as u32;
        if size == 0 {
            return ArgAbi::Ignore;
        }
        if let Some(p) = fp_pieces(t, ty) {
            return ArgAbi::Split(p);
        }
        if u64::from(size) > 2 * XLEN {
            return if is_return {
                ArgAbi::Memory { size, pad: 0 }
            } else {
                ArgAbi::Indirect {
                    size,
                    align: t.align(ty) as u32,
                }
            };
        }
        words(size)
    }
}

/// Places `nwords` 8-byte words by the integer rules: registers while they last, then the
/// stack. Returns the pads: for a variadic 2×XLEN-aligned value the odd register skipped to
/// start an even pair, and for a 2×XLEN-aligned value that starts on the stack the word that
/// 16-aligns it.
fn integer_words(
    n: &mut Next,
    nwords: u32,
    pair_aligned: bool,
    variadic: bool,
    locs: &mut Vec<Loc>,
) -> Vec<Type> {
    let mut pads = Vec::new();
    if pair_aligned && variadic && n.gr % 2 == 1 && n.gr < REGS {
        pads.push(types::I64);
        n.gr += 1;
    }
    if pair_aligned && n.gr >= REGS && !n.stack.is_multiple_of(16) {
        pads.push(types::I64);
        n.stack += 8;
    }
    for _ in 0..nwords {
        if n.gr < REGS {
            locs.push(Loc::Gr(n.gr));
            n.gr += 1;
        } else {
            locs.push(Loc::Stack(n.stack));
            n.stack += 8;
        }
    }
    pads
}

/// The parameter of a Direct value: integers below 32 bits widened by their own sign, 32-bit
/// ones (`unsigned int` too) sign-extended, as the psABI says for registers and the stack.
fn direct_param(t: &TypeTable, ty: TypeId, cl: Type) -> AbiParam {
    if cl == types::I32 && t.is_integer(ty) {
        AbiParam::new(cl).sext()
    } else {
        abi_param(t, ty, cl)
    }
}

impl CAbi for Lp64d {
    fn classify(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        if ty == TypeTable::VOID {
            return ArgAbi::Ignore;
        }
        match t.kind(ty) {
            // binary128 in an integer register pair (FLEN is 64).
            TypeKind::Float(FloatKind::LongDouble | FloatKind::Float128) => {
                ArgAbi::Direct(types::I128)
            }
            _ if t.is_aggregate(ty) => self.classify_aggregate(t, ty, is_return),
            _ => ArgAbi::Direct(scalar_type(t, ty)),
        }
    }

    fn signature(
        &self,
        t: &TypeTable,
        f: &FuncType,
        variadic_args: &[TypeId],
        for_definition: bool,
    ) -> FnAbi {
        let mut sig = empty_sig();
        let ret = self.classify(t, f.ret, true);
        let sret = matches!(ret, ArgAbi::Memory { .. });
        match &ret {
            ArgAbi::Memory { .. } => sig.params.push(sret_param()),
            ArgAbi::Direct(ty) => sig.returns.push(direct_param(t, f.ret, *ty)),
            ArgAbi::Split(p) => sig
                .returns
                .extend(p.iter().map(|(ty, _)| AbiParam::new(*ty))),
            _ => {}
        }
        let all: Vec<TypeId> = f.params.iter().chain(variadic_args).copied().collect();
        let nfixed = if f.variadic {
            f.params.len()
        } else {
            all.len()
        };
        let (assigned, _) = self.assign(t, &all, nfixed, sret);
        let variadic_def = for_definition && f.variadic;
        if variadic_def {
            // The body behind the entry thunk (`va.rs`): the integer argument words are in
            // the thunk's save area; fa0-fa7 arrive as they are.
            sig.params
                .extend((0..REGS).map(|_| AbiParam::new(types::F64)));
        } else {
            let args = assigned.iter().zip(&all);
            super::push_params(
                &mut sig,
                t,
                args.map(|(a, &ty)| (&a.pads[..], &a.abi, ty)),
                direct_param,
            );
        }
        FnAbi {
            sig,
            ret,
            pads: assigned.iter().map(|a| a.pads.clone()).collect(),
            params: assigned.into_iter().map(|a| a.abi).collect(),
            variadic_def,
        }
    }

    fn variadic_prologue(
        &self,
        b: &mut FunctionBuilder,
        fabi: &FnAbi,
        params: &[Value],
        sret: bool,
    ) -> (VaFrame, Vec<ParamHome>) {
        va::prologue(b, fabi, params, sret)
    }

    fn va_start(&self, b: &mut FunctionBuilder, frame: &VaFrame, ap: Value) {
        va::start(b, frame, ap)
    }

    fn va_arg(&self, b: &mut FunctionBuilder, t: &TypeTable, ap: Value, ty: TypeId) -> Value {
        va::arg(b, t, &self.integer_class(t, ty), ap, ty)
    }

    fn va_copy(&self, b: &mut FunctionBuilder, dst: Value, src: Value) {
        copy_bytes(b, dst, src, 8)
    }

    fn variadic_entry(&self) -> Option<VariadicEntry> {
        Some(va::entry())
    }

    fn unprototyped_calls_are_variadic(&self) -> bool {
        // gcc passes the (promoted) arguments of a call without prototype as named ones:
        // doubles in FP registers.
        false
    }

    fn max_stack_arg_align(&self) -> u64 {
        16
    }

    fn call_conv(&self) -> AbiCallConv {
        AbiCallConv::RiscvLp64d
    }

    fn abi_slot(&self, t: &TypeTable, ty: TypeId, a: &ArgAbi, is_return: bool) -> Option<AbiSlot> {
        let object_size = || u32::try_from(t.size(ty)).ok();
        Some(match a {
            ArgAbi::Ignore => AbiSlot::void(),
            ArgAbi::Direct(cl) if cl.is_float() => AbiSlot::float(cl.bytes()),
            ArgAbi::Direct(cl) => AbiSlot::integer(cl.bytes()),
            ArgAbi::Split(pieces) => split_slot(object_size()?, pieces),
            ArgAbi::Memory { .. } if is_return => AbiSlot::sret(object_size()?),
            ArgAbi::Indirect { .. } => AbiSlot::indirect(object_size()?),
            ArgAbi::Memory { .. } | ArgAbi::X87 | ArgAbi::X87Pair => return None,
        })
    }
}

#[cfg(test)]
mod tests;

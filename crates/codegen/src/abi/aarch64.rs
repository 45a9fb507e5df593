//! AAPCS64 as Linux uses it (the Arm "Procedure Call Standard for the Arm 64-bit
//! Architecture", §6.8-6.9, and its Appendix B for `va_list`): homogeneous floating-point and
//! short-vector aggregates in SIMD registers, other composites of up to 16 bytes in general
//! registers, larger ones by reference to a copy the caller makes, results over 16 bytes
//! through `x8`, and variadic arguments passed exactly like named ones.
//!
//! Cranelift assigns registers in parameter order and per class, and stack slots in order
//! (8 bytes at least, aligned to their size). [`assign`] runs the psABI's own algorithm
//! (NGRN, NSRN, NSAA) and adds dummy parameters wherever the two differ: when the psABI sets
//! NGRN or NSRN to 8 with registers left, when a 16-aligned composite skips an odd register,
//! and to 16-align a composite on the stack. Composites on the stack travel as 8-byte chunks
//! of their memory image.

pub mod trampoline;
mod va;

use super::*;
use cfree_abisig::{AbiSlot, CallConv as AbiCallConv};
use cfree_frontend::types::{FloatKind, TypeKind};

pub struct Aapcs64;

/// Argument registers of each class (x0-x7, v0-v7).
const REGS: u32 = 8;

/// Where one Cranelift value of an argument is, in the psABI's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loc {
    /// General register xN.
    Gr(u32),
    /// SIMD register vN.
    Vr(u32),
    /// The byte offset in the caller's outgoing argument area.
    Stack(u32),
}

/// One C argument after assignment.
#[derive(Clone, Debug)]
struct Assigned {
    abi: ArgAbi,
    pads: Vec<Type>,
    /// One per Cranelift value: the scalar, each piece, or the pointer of an `Indirect`, by
    /// the psABI's algorithm. The prologue uses `va::locations`, Cranelift's view of the
    /// padded signature; the tests check that the two agree.
    #[cfg_attr(not(test), allow(dead_code))]
    locs: Vec<Loc>,
}

/// The psABI's registers and stack offset after some arguments.
#[derive(Clone, Copy, Debug, Default)]
struct Next {
    ngrn: u32,
    nsrn: u32,
    nsaa: u32,
}

/// What a homogeneous aggregate's members all are (same kind and size).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    Float(u32),
    Vector(u32),
}

impl Base {
    fn piece(self) -> Type {
        match self {
            Base::Float(4) => types::F32,
            Base::Float(8) | Base::Vector(8) => types::F64,
            Base::Float(_) => types::F128,
            Base::Vector(_) => types::I64X2,
        }
    }

    fn size(self) -> u32 {
        match self {
            Base::Float(s) | Base::Vector(s) => s,
        }
    }
}

/// Counts the members of a candidate HFA/HVA; false when `ty` cannot be part of one.
fn members(t: &TypeTable, ty: TypeId, base: &mut Option<Base>, n: &mut u32) -> bool {
    let mut member = |b: Base| {
        *n += 1;
        match base {
            None => {
                *base = Some(b);
                true
            }
            Some(x) => *x == b,
        }
    };
    match t.kind(ty) {
        TypeKind::Float(FloatKind::Float) => member(Base::Float(4)),
        TypeKind::Float(FloatKind::Double) => member(Base::Float(8)),
        TypeKind::Float(FloatKind::LongDouble | FloatKind::Float128) => member(Base::Float(16)),
        TypeKind::Vector { .. } if matches!(t.size(ty), 8 | 16) => {
            member(Base::Vector(t.size(ty) as u32))
        }
        TypeKind::Complex(e) => members(t, *e, base, n) && members(t, *e, base, n),
        TypeKind::Array(e, Some(k)) if *k <= 4 => {
            (0..*k).all(|_| members(t, *e, base, n)) && *n <= 4
        }
        TypeKind::Record(r) => {
            let rec = t.record(*r);
            if rec.fields.iter().any(|f| f.bit.is_some()) {
                return false;
            }
            if rec.is_union {
                // Every member a homogeneous aggregate of the same base; the largest counts.
                let mut most = 0;
                for f in &rec.fields {
                    let mut k = 0;
                    if !members(t, f.ty, base, &mut k) {
                        return false;
                    }
                    most = most.max(k);
                }
                *n += most;
                most > 0
            } else {
                rec.fields.iter().all(|f| members(t, f.ty, base, n)) && *n <= 4
            }
        }
        _ => false,
    }
}

/// The base and member count of a homogeneous floating-point or short-vector aggregate of
/// one to four members without padding.
fn homogeneous(t: &TypeTable, ty: TypeId) -> Option<(Base, u32)> {
    let (mut base, mut n) = (None, 0);
    if !members(t, ty, &mut base, &mut n) || !(1..=4).contains(&n) {
        return None;
    }
    let b = base?;
    (t.size(ty) == u64::from(n * b.size())).then_some((b, n))
}

/// The alignment C.8 and C.12 go by: a composite's is the largest of its members' (gcc's
/// `aarch64_function_arg_alignment`: an `aligned` attribute on the struct type itself does
/// not count), an array's its element's.
fn arg_align(t: &TypeTable, ty: TypeId) -> u64 {
    match t.kind(ty) {
        TypeKind::Record(r) => t
            .record(*r)
            .fields
            .iter()
            .map(|f| arg_align(t, f.ty))
            .max()
            .unwrap_or(1),
        TypeKind::Array(e, _) => arg_align(t, *e),
        _ => t.align(ty),
    }
}

fn is_fp(ty: Type) -> bool {
    ty.is_float() || ty.is_vector()
}

/// `size` bytes as consecutive 8-byte pieces of type `ty`.
fn chunks(ty: Type, size: u32) -> Vec<(Type, u32)> {
    (0..size.div_ceil(8)).map(|i| (ty, i * 8)).collect()
}

impl Aapcs64 {
    /// Stage C of §6.8.2 for each argument in order.
    fn assign(&self, t: &TypeTable, tys: &[TypeId]) -> (Vec<Assigned>, Next) {
        let mut n = Next::default();
        let out = tys
            .iter()
            .map(|&ty| self.assign_one(t, ty, &mut n))
            .collect();
        (out, n)
    }

    fn assign_one(&self, t: &TypeTable, ty: TypeId, n: &mut Next) -> Assigned {
        let abi = self.classify(t, ty, false);
        let mut pads = Vec::new();
        let mut locs = Vec::new();
        let align16 = arg_align(t, ty) >= 16;
        let mut abi = abi;
        match &abi {
            ArgAbi::Direct(cl) if is_fp(*cl) => {
                if n.nsrn < REGS {
                    locs.push(Loc::Vr(n.nsrn));
                    n.nsrn += 1;
                } else {
                    locs.push(stack(n, cl.bytes().max(8), cl.bytes().max(8)));
                }
            }
            ArgAbi::Direct(cl) if *cl == types::I128 => {
                // C.8/C.9: an even register pair, else NGRN = 8 and the stack.
                if n.ngrn < REGS - 1 {
                    n.ngrn += n.ngrn % 2;
                    locs.extend([Loc::Gr(n.ngrn), Loc::Gr(n.ngrn + 1)]);
                    n.ngrn += 2;
                } else {
                    burn(&mut pads, types::I64, &mut n.ngrn);
                    locs.push(stack(n, 16, 16));
                }
            }
            ArgAbi::Direct(_) | ArgAbi::Indirect { .. } => {
                if n.ngrn < REGS {
                    locs.push(Loc::Gr(n.ngrn));
                    n.ngrn += 1;
                } else {
                    locs.push(stack(n, 8, 8));
                }
            }
            ArgAbi::Split(pieces) if pieces.first().is_some_and(|(p, _)| is_fp(*p)) => {
                let k = pieces.len() as u32;
                if n.nsrn + k <= REGS {
                    locs.extend((0..k).map(|i| Loc::Vr(n.nsrn + i)));
                    n.nsrn += k;
                } else {
                    // C.3-C.6: NSRN = 8, the memory image on the stack in 8-byte pieces of
                    // the exhausted class.
                    burn(&mut pads, types::F64, &mut n.nsrn);
                    abi = on_stack(t, ty, types::F64, align16, n, &mut pads, &mut locs);
                }
            }
            ArgAbi::Split(pieces) => {
                let k = pieces.len() as u32;
                if align16 && n.ngrn % 2 == 1 && n.ngrn < REGS {
                    pads.push(types::I64);
                    n.ngrn += 1;
                }
                if n.ngrn + k <= REGS {
                    locs.extend((0..k).map(|i| Loc::Gr(n.ngrn + i)));
                    n.ngrn += k;
                } else {
                    // C.11-C.13: NGRN = 8, the copy on the stack.
                    burn(&mut pads, types::I64, &mut n.ngrn);
                    abi = on_stack(t, ty, types::I64, align16, n, &mut pads, &mut locs);
                }
            }
            ArgAbi::Ignore | ArgAbi::Memory { .. } | ArgAbi::X87 | ArgAbi::X87Pair => {}
        }
        Assigned { abi, pads, locs }
    }

    fn classify_aggregate(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        let size = t.size(ty) as u32;
        if size == 0 {
            return ArgAbi::Ignore;
        }
        if let Some((base, k)) = homogeneous(t, ty) {
            let p = base.piece();
            return ArgAbi::Split((0..k).map(|i| (p, i * base.size())).collect());
        }
        if size > 16 {
            return if is_return {
                ArgAbi::Memory { size, pad: 0 }
            } else {
                ArgAbi::Indirect {
                    size,
                    align: t.align(ty) as u32,
                }
            };
        }
        ArgAbi::Split(chunks(types::I64, size))
    }
}

/// Dummy parameters for the registers of one class left when the psABI sets its counter to 8.
fn burn(pads: &mut Vec<Type>, ty: Type, next: &mut u32) {
    pads.extend((*next..REGS).map(|_| ty));
    *next = REGS;
}

/// The next stack slot of `size` bytes aligned to `align`, as Cranelift places it.
fn stack(n: &mut Next, size: u32, align: u32) -> Loc {
    n.nsaa = n.nsaa.next_multiple_of(align);
    let at = n.nsaa;
    n.nsaa += size;
    Loc::Stack(at)
}

/// A composite on the stack: its image in 8-byte pieces of `ty`, after a dummy piece of the
/// same (exhausted) class if it must be 16-aligned.
fn on_stack(
    t: &TypeTable,
    ty: TypeId,
    piece: Type,
    align16: bool,
    n: &mut Next,
    pads: &mut Vec<Type>,
    locs: &mut Vec<Loc>,
) -> ArgAbi {
    if align16 && !n.nsaa.is_multiple_of(16) {
        pads.push(piece);
        n.nsaa += 8;
    }
    let pieces = chunks(piece, t.size(ty) as u32);
    for _ in &pieces {
        locs.push(stack(n, 8, 8));
    }
    ArgAbi::Split(pieces)
}

impl CAbi for Aapcs64 {
    fn classify(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        if ty == TypeTable::VOID {
            return ArgAbi::Ignore;
        }
        match t.kind(ty) {
            // binary128 in a q register.
            TypeKind::Float(FloatKind::LongDouble | FloatKind::Float128) => {
                ArgAbi::Direct(types::F128)
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
        match &ret {
            // The result address travels in x8, outside the argument registers.
            ArgAbi::Memory { .. } => sig.params.push(sret_param()),
            ArgAbi::Direct(ty) => sig.returns.push(abi_param(t, f.ret, *ty)),
            ArgAbi::Split(p) => sig
                .returns
                .extend(p.iter().map(|(ty, _)| AbiParam::new(*ty))),
            _ => {}
        }
        let all: Vec<TypeId> = f.params.iter().chain(variadic_args).copied().collect();
        let (assigned, _) = self.assign(t, &all);
        let variadic_def = for_definition && f.variadic;
        if variadic_def {
            // Every argument register, so the prologue saves what `va_arg` will read.
            sig.params
                .extend((0..REGS).map(|_| AbiParam::new(types::I64)));
            sig.params
                .extend((0..REGS).map(|_| AbiParam::new(types::I64X2)));
        } else {
            let args = assigned.iter().zip(&all);
            super::push_params(
                &mut sig,
                t,
                args.map(|(a, &ty)| (&a.pads[..], &a.abi, ty)),
                abi_param,
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
        _sret: bool,
    ) -> (VaFrame, Vec<ParamHome>) {
        va::prologue(self, b, fabi, params)
    }

    fn va_start(&self, b: &mut FunctionBuilder, frame: &VaFrame, ap: Value) {
        va::start(b, frame, ap)
    }

    fn va_arg(&self, b: &mut FunctionBuilder, t: &TypeTable, ap: Value, ty: TypeId) -> Value {
        va::arg(b, t, &self.classify(t, ty, false), ap, ty)
    }

    fn va_copy(&self, b: &mut FunctionBuilder, dst: Value, src: Value) {
        copy_bytes(b, dst, src, va::VA_LIST_SIZE)
    }

    fn max_stack_arg_align(&self) -> u64 {
        16
    }

    fn call_conv(&self) -> AbiCallConv {
        AbiCallConv::Aapcs64
    }

    fn abi_slot(&self, t: &TypeTable, ty: TypeId, a: &ArgAbi, is_return: bool) -> Option<AbiSlot> {
        let object_size = || u32::try_from(t.size(ty)).ok();
        Some(match a {
            ArgAbi::Ignore => AbiSlot::void(),
            ArgAbi::Direct(cl) if cl.is_float() => AbiSlot::float(cl.bytes()),
            ArgAbi::Direct(cl) => AbiSlot::integer(cl.bytes()),
            // A composite on the stack travels as up to five 8-byte pieces of its image,
            // more than a record holds: such a function gets no record (not reloadable).
            ArgAbi::Split(pieces) if pieces.len() > cfree_abisig::CFREE_ABI_MAX_PIECES => {
                return None
            }
            ArgAbi::Split(pieces) => split_slot(object_size()?, pieces),
            ArgAbi::Memory { .. } if is_return => AbiSlot::sret(object_size()?),
            ArgAbi::Indirect { .. } => AbiSlot::indirect(object_size()?),
            ArgAbi::Memory { .. } | ArgAbi::X87 | ArgAbi::X87Pair => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfree_frontend::types::RecordLayout;

    fn record(t: &mut TypeTable, fields: &[TypeId]) -> TypeId {
        let (rid, ty) = t.new_record(Some("s".into()), false);
        let mut l = RecordLayout::new(false, false, None);
        for &f in fields {
            let (s, a) = (t.size(f), t.align(f));
            l.add_field(None, f, s, a, 1);
        }
        let (size, align) = l.finish(1);
        let r = &mut t.records[rid.0 as usize];
        r.fields = l.fields;
        r.size = size;
        r.align = align;
        r.complete = true;
        ty
    }

    fn table() -> TypeTable {
        TypeTable::new(
            &cfree_frontend::TargetInfo::from_name("aarch64-linux-gnu").expect("aarch64"),
        )
    }

    #[test]
    fn classifies_like_aapcs64() {
        let mut t = table();
        let f3 = record(&mut t, &[TypeTable::FLOAT; 3]);
        assert_eq!(
            Aapcs64.classify(&t, f3, false),
            ArgAbi::Split(vec![(types::F32, 0), (types::F32, 4), (types::F32, 8)])
        );
        let d4 = record(&mut t, &[TypeTable::DOUBLE; 4]);
        assert_eq!(
            Aapcs64.classify(&t, d4, true),
            ArgAbi::Split((0..4).map(|i| (types::F64, i * 8)).collect())
        );
        let d5 = record(&mut t, &[TypeTable::DOUBLE; 5]);
        assert_eq!(
            Aapcs64.classify(&t, d5, false),
            ArgAbi::Indirect { size: 40, align: 8 }
        );
        assert_eq!(
            Aapcs64.classify(&t, d5, true),
            ArgAbi::Memory { size: 40, pad: 0 }
        );
        let dl = record(&mut t, &[TypeTable::DOUBLE, TypeTable::LONG]);
        assert_eq!(
            Aapcs64.classify(&t, dl, false),
            ArgAbi::Split(vec![(types::I64, 0), (types::I64, 8)])
        );
        assert_eq!(
            Aapcs64.classify(&t, TypeTable::LDOUBLE, false),
            ArgAbi::Direct(types::F128)
        );
    }

    #[test]
    fn an_hfa_that_does_not_fit_burns_the_simd_registers() {
        let mut t = table();
        let d2 = record(&mut t, &[TypeTable::DOUBLE; 2]);
        let mut tys = vec![TypeTable::DOUBLE; 7];
        tys.extend([d2, TypeTable::DOUBLE, TypeTable::INT]);
        let (a, n) = Aapcs64.assign(&t, &tys);
        // v7 stays unused, the HFA goes to the stack, so does the double after it; the int
        // still gets x0.
        assert_eq!(a[7].pads, vec![types::F64]);
        assert_eq!(a[7].locs, vec![Loc::Stack(0), Loc::Stack(8)]);
        assert_eq!(a[8].locs, vec![Loc::Stack(16)]);
        assert_eq!(a[9].locs, vec![Loc::Gr(0)]);
        assert_eq!((n.ngrn, n.nsrn, n.nsaa), (1, 8, 24));
    }

    #[test]
    fn psabi_assignment_is_what_cranelift_does_with_the_padded_signature() {
        let mut t = table();
        let pool = [
            TypeTable::INT,
            TypeTable::DOUBLE,
            TypeTable::FLOAT,
            TypeTable::LDOUBLE,
            TypeTable::INT128,
            record(&mut t, &[TypeTable::DOUBLE; 2]),
            record(&mut t, &[TypeTable::FLOAT; 3]),
            record(&mut t, &[TypeTable::LDOUBLE; 2]),
            record(&mut t, &[TypeTable::DOUBLE, TypeTable::LONG]),
            record(&mut t, &[TypeTable::CHAR, TypeTable::INT]),
            record(&mut t, &[TypeTable::INT128]),
            record(&mut t, &[TypeTable::LONG; 3]),
        ];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..500 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = 1 + (seed >> 59) as usize;
            let tys: Vec<TypeId> = (0..len)
                .map(|k| pool[((seed >> (k * 4 % 56)) & 0xff) as usize % pool.len()])
                .collect();
            let ft = FuncType {
                ret: TypeTable::VOID,
                params: tys.clone(),
                variadic: false,
                has_proto: true,
            };
            let fabi = Aapcs64.signature(&t, &ft, &[], true);
            let (cranelift, ..) = va::locations(&fabi);
            let (psabi, _) = Aapcs64.assign(&t, &tys);
            let psabi: Vec<Vec<Loc>> = psabi.into_iter().map(|a| a.locs).collect();
            // An `I128` is one Cranelift value in a register pair: compare its first register.
            let psabi: Vec<Vec<Loc>> = psabi
                .into_iter()
                .zip(&fabi.params)
                .map(|(l, a)| match a {
                    ArgAbi::Direct(ty) if *ty == types::I128 => l[..1].to_vec(),
                    _ => l,
                })
                .collect();
            assert_eq!(psabi, cranelift, "{tys:?}");
        }
    }
}

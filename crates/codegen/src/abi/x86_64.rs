//! System V AMD64 psABI: eightbyte classification (INTEGER / SSE / MEMORY), the
//! all-or-nothing register rule for aggregates, and the variadic register save area.

pub mod trampoline;
mod va;
pub mod x87;

use super::*;
use cfree_abisig::{AbiSlot, CallConv as AbiCallConv};
use cfree_frontend::types::TypeKind;

pub struct SysV;

/// Registers available for arguments.
pub const INT_REGS: u32 = 6;
pub const SSE_REGS: u32 = 8;
/// Register save area of a variadic definition: 6 GPRs then 8 XMM registers (16 bytes each).
pub const REG_SAVE_SIZE: u32 = 176;

/// The psABI's classes, with its names (`NO_CLASS` included).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(clippy::enum_variant_names)]
enum Class {
    NoClass,
    Integer,
    Sse,
    /// The upper half of a 16-byte vector: travels in the same xmm register as its SSE half.
    SseUp,
    /// The 80-bit x87 value and its upper padding eightbyte (`long double`).
    X87,
    X87Up,
    Memory,
}

fn merge(a: Class, b: Class) -> Class {
    use Class::*;
    match (a, b) {
        (x, y) if x == y => x,
        (NoClass, x) | (x, NoClass) => x,
        (Memory, _) | (_, Memory) => Memory,
        (X87 | X87Up, _) | (_, X87 | X87Up) => Memory,
        (Integer, _) | (_, Integer) => Integer,
        _ => Sse,
    }
}

/// Whether a Cranelift piece type travels in an SSE (xmm) register: floats and 128-bit vectors.
pub fn is_sse(ty: Type) -> bool {
    ty.is_float() || ty.is_vector()
}

/// Classifies the bytes of `ty` at `off` into the two eightbyte classes.
fn classify_into(t: &TypeTable, ty: TypeId, off: u64, cls: &mut [Class; 2]) {
    match t.kind(ty) {
        TypeKind::Record(r) => {
            let rec = t.record(*r);
            for f in &rec.fields {
                if let Some(bf) = &f.bit {
                    if bf.width == 0 {
                        continue;
                    }
                    let i = ((off + f.offset) / 8) as usize;
                    if i < 2 {
                        cls[i] = merge(cls[i], Class::Integer);
                    }
                    let j = ((off + f.offset + bf.unit_size as u64 - 1) / 8) as usize;
                    if j < 2 {
                        cls[j] = merge(cls[j], Class::Integer);
                    }
                    continue;
                }
                let fo = off + f.offset;
                if !fo.is_multiple_of(t.align(f.ty).max(1)) {
                    cls[0] = Class::Memory;
                    return;
                }
                classify_into(t, f.ty, fo, cls);
            }
        }
        TypeKind::Array(e, n) => {
            let es = t.size(*e);
            for i in 0..n.unwrap_or(0) {
                classify_into(t, *e, off + i * es, cls);
            }
        }
        // A GNU vector of up to 16 bytes is class SSE whatever its lanes (psABI 3.2.3: __m64,
        // __m128); the upper eightbyte of a 16-byte one is SSEUP (one xmm register).
        TypeKind::Vector { .. } => {
            let size = t.size(ty).max(1);
            let first = off / 8;
            for i in first..((off + size).div_ceil(8)).min(2) {
                let c = if size == 16 && i > first {
                    Class::SseUp
                } else {
                    Class::Sse
                };
                cls[i as usize] = merge(cls[i as usize], c);
            }
        }
        // The parts of a complex value are classified like two members of its type.
        TypeKind::Complex(e) => {
            classify_into(t, *e, off, cls);
            classify_into(t, *e, off + t.size(*e), cls);
        }
        TypeKind::Float(cfree_frontend::types::FloatKind::LongDouble) => {
            let i = (off / 8) as usize;
            if i < 2 {
                cls[i] = merge(cls[i], Class::X87);
            }
            if i + 1 < 2 {
                cls[i + 1] = merge(cls[i + 1], Class::X87Up);
            }
        }
        // `__float128`: SSE then SSEUP, one xmm register like a 16-byte vector.
        TypeKind::Float(cfree_frontend::types::FloatKind::Float128) => {
            let i = (off / 8) as usize;
            if i < 2 {
                cls[i] = merge(cls[i], Class::Sse);
            }
            if i + 1 < 2 {
                cls[i + 1] = merge(cls[i + 1], Class::SseUp);
            }
        }
        TypeKind::Float(_) => {
            let i = (off / 8) as usize;
            if i < 2 {
                cls[i] = merge(cls[i], Class::Sse);
            }
        }
        _ => {
            let size = t.size(ty).max(1);
            let first = (off / 8) as usize;
            let last = ((off + size - 1) / 8) as usize;
            for c in cls.iter_mut().take(last.min(1) + 1).skip(first) {
                *c = merge(*c, Class::Integer);
            }
        }
    }
}

impl SysV {
    fn classify_aggregate(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        let size = t.size(ty);
        let memory = ArgAbi::Memory {
            size: size as u32,
            pad: 0,
        };
        if size == 0 {
            return ArgAbi::Ignore;
        }
        if size > 16 {
            let complex_x87 = t.complex_elem(ty).is_some_and(|e| is_long_double(t, e));
            return if complex_x87 && is_return {
                ArgAbi::X87Pair
            } else {
                memory
            };
        }
        let mut cls = [Class::NoClass; 2];
        classify_into(t, ty, 0, &mut cls);
        // A lone long double (X87, X87UP) is returned in st(0) but passed in memory.
        if cls == [Class::X87, Class::X87Up] {
            return if is_return { ArgAbi::X87 } else { memory };
        }
        if cls
            .iter()
            .any(|c| matches!(c, Class::Memory | Class::X87 | Class::X87Up))
        {
            return memory;
        }
        // psABI post-merger: SSEUP not preceded by SSE becomes SSE.
        if cls[1] == Class::SseUp && cls[0] != Class::Sse {
            cls[1] = Class::Sse;
        }
        // SSE then SSEUP: the whole 16 bytes in one xmm register (a 128-bit Cranelift vector).
        if cls == [Class::Sse, Class::SseUp] {
            return ArgAbi::Split(vec![(types::I64X2, 0)]);
        }
        let n = size.div_ceil(8) as usize;
        let mut pieces = Vec::new();
        for (i, c) in cls.iter().enumerate().take(n) {
            let rem = size - i as u64 * 8;
            let ty = match c {
                Class::Sse if rem <= 4 => types::F32,
                Class::Sse => types::F64,
                _ => types::I64,
            };
            pieces.push((ty, i as u32 * 8));
        }
        ArgAbi::Split(pieces)
    }
}

fn regs_needed(a: &ArgAbi) -> (u32, u32) {
    match a {
        ArgAbi::Direct(ty) if is_sse(*ty) => (0, 1),
        ArgAbi::Direct(ty) if *ty == types::I128 => (2, 0),
        ArgAbi::Direct(_) => (1, 0),
        ArgAbi::Split(p) => {
            p.iter().fold(
                (0, 0),
                |(i, s), (ty, _)| {
                    if is_sse(*ty) {
                        (i, s + 1)
                    } else {
                        (i + 1, s)
                    }
                },
            )
        }
        _ => (0, 0),
    }
}

impl CAbi for SysV {
    fn max_stack_arg_align(&self) -> u64 {
        // Frames are 16-aligned. Named arguments still get their place in the argument area
        // right (offsets relative to its start); only `va_arg`, which rounds the absolute
        // `overflow_arg_area` pointer, needs the absolute alignment gcc's callers provide.
        16
    }

    fn classify(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi {
        if ty == TypeTable::VOID {
            return ArgAbi::Ignore;
        }
        if t.is_aggregate(ty) || is_long_double(t, ty) {
            return self.classify_aggregate(t, ty, is_return);
        }
        ArgAbi::Direct(scalar_type(t, ty))
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
        let (mut int_left, mut sse_left) = (INT_REGS, SSE_REGS);
        // Bytes of stack arguments so far, to 16-align the copies that need it.
        let mut stack = 0u32;
        match &ret {
            ArgAbi::Memory { .. } => {
                sig.params.push(sret_param());
                int_left -= 1;
            }
            ArgAbi::Direct(ty) => sig.returns.push(abi_param(t, f.ret, *ty)),
            ArgAbi::Split(p) => sig
                .returns
                .extend(p.iter().map(|(ty, _)| AbiParam::new(*ty))),
            ArgAbi::Ignore | ArgAbi::X87 | ArgAbi::X87Pair | ArgAbi::Indirect { .. } => {}
        }
        let variadic_def = for_definition && f.variadic;
        let mut params = Vec::new();
        let all: Vec<TypeId> = f
            .params
            .iter()
            .chain(variadic_args.iter())
            .copied()
            .collect();
        for &pty in &all {
            let mut a = self.classify(t, pty, false);
            let (ni, ns) = regs_needed(&a);
            if let ArgAbi::Split(_) = a {
                // All-or-nothing: an aggregate that does not fit entirely in registers goes to memory.
                if ni > int_left || ns > sse_left {
                    a = ArgAbi::Memory {
                        size: t.size(pty) as u32,
                        pad: 0,
                    };
                }
            }
            let (ni, ns) = regs_needed(&a);
            if let ArgAbi::Memory { size, pad } = &mut a {
                // psABI 3.2.3: a memory argument sits at its alignment within the argument
                // area (16, or 32/64 for over-aligned types).
                let align = (t.align(pty) as u32).clamp(8, 64);
                *pad = stack.next_multiple_of(align) - stack;
                stack += *pad + size.next_multiple_of(8);
            } else if ni > int_left || ns > sse_left {
                stack += 8 * (ni + ns);
            }
            int_left = int_left.saturating_sub(ni);
            sse_left = sse_left.saturating_sub(ns);
            if !variadic_def {
                match &a {
                    ArgAbi::Direct(ty) => sig.params.push(abi_param(t, pty, *ty)),
                    ArgAbi::Split(p) => sig
                        .params
                        .extend(p.iter().map(|(ty, _)| AbiParam::new(*ty))),
                    ArgAbi::Memory { size, pad } => sig.params.push(AbiParam::special(
                        types::I64,
                        ArgumentPurpose::StructArgument(pad + size.next_multiple_of(8)),
                    )),
                    ArgAbi::Ignore | ArgAbi::X87 | ArgAbi::X87Pair | ArgAbi::Indirect { .. } => {}
                }
            }
            params.push(a);
        }
        if variadic_def {
            // Receive every argument register so the prologue saves what `va_arg` will read.
            for _ in 0..INT_REGS
                - if matches!(ret, ArgAbi::Memory { .. }) {
                    1
                } else {
                    0
                }
            {
                sig.params.push(AbiParam::new(types::I64));
            }
            // Whole xmm registers: a 16-byte vector argument fills one.
            for _ in 0..SSE_REGS {
                sig.params.push(AbiParam::new(types::F64X2));
            }
        }
        FnAbi {
            sig,
            ret,
            pads: vec![Vec::new(); params.len()],
            params,
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
        let a = self.classify(t, ty, false);
        va::arg(b, t, &a, ap, ty)
    }

    fn va_copy(&self, b: &mut FunctionBuilder, dst: Value, src: Value) {
        copy_bytes(b, dst, src, va::VA_LIST_SIZE)
    }

    fn variadic_thunk(&self) -> Option<VariadicThunk> {
        // `mov $8, %al; jmp callee`: 8 is always a valid upper bound of the vector registers
        // used, and Cranelift cannot pass a value in %rax.
        Some(VariadicThunk {
            bytes: &[0xb0, 0x08, 0xe9, 0, 0, 0, 0],
            reloc_offset: 3,
            reloc: Reloc::X86CallPCRel4,
            addend: -4,
        })
    }

    fn call_conv(&self) -> AbiCallConv {
        AbiCallConv::SysV
    }

    fn abi_slot(&self, t: &TypeTable, ty: TypeId, a: &ArgAbi, is_return: bool) -> Option<AbiSlot> {
        // Scalars are described by the register value (what the callee reads), aggregates by
        // the C object (what the pieces or the copy hold).
        let object_size = || u32::try_from(t.size(ty)).ok();
        Some(match a {
            ArgAbi::Ignore => AbiSlot::void(),
            ArgAbi::Direct(cl) if cl.is_float() => AbiSlot::float(cl.bytes()),
            ArgAbi::Direct(cl) => AbiSlot::integer(cl.bytes()),
            // Eightbyte pieces (8 bytes), or a 16-byte SSE+SSEUP vector.
            ArgAbi::Split(pieces) => split_slot(object_size()?, pieces),
            // A MEMORY-class result is written through the pointer the caller passes in %rdi
            // (and returned in %rax); a MEMORY-class argument is copied onto the stack.
            ArgAbi::Memory { .. } if is_return => AbiSlot::sret(object_size()?),
            ArgAbi::Memory { pad: 0, .. } => AbiSlot::memory(object_size()?),
            // The record has no way to say "padded" or "x87 stack": not reloadable.
            ArgAbi::Memory { .. } | ArgAbi::X87 | ArgAbi::X87Pair | ArgAbi::Indirect { .. } => {
                return None
            }
        })
    }
}

fn is_long_double(t: &TypeTable, ty: TypeId) -> bool {
    matches!(
        t.kind(ty),
        TypeKind::Float(cfree_frontend::types::FloatKind::LongDouble)
    )
}

/// Registers consumed by the named parameters of a variadic definition: (gp, fp, stack bytes).
fn named_usage(params: &[ArgAbi], sret: bool) -> (u32, u32, u32) {
    let (mut gp, mut fp, mut stack) = (sret as u32, 0u32, 0u32);
    for a in params {
        let (ni, ns) = regs_needed(a);
        match a {
            ArgAbi::Memory { size, pad } => stack += pad + size.next_multiple_of(8),
            _ if gp + ni > INT_REGS || fp + ns > SSE_REGS => {
                stack += 8 * (ni + ns);
            }
            _ => {
                gp += ni;
                fp += ns;
            }
        }
    }
    (gp, fp, stack)
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

    #[test]
    fn classifies_like_the_psabi() {
        let mut t = TypeTable::new(&cfree_frontend::TargetInfo::x86_64_linux());
        let dl = record(&mut t, &[TypeTable::DOUBLE, TypeTable::LONG]);
        assert_eq!(
            SysV.classify(&t, dl, false),
            ArgAbi::Split(vec![(types::F64, 0), (types::I64, 8)])
        );
        let fff = record(
            &mut t,
            &[TypeTable::FLOAT, TypeTable::FLOAT, TypeTable::FLOAT],
        );
        assert_eq!(
            SysV.classify(&t, fff, false),
            ArgAbi::Split(vec![(types::F64, 0), (types::F32, 8)])
        );
        let big = record(&mut t, &[TypeTable::LONG, TypeTable::LONG, TypeTable::LONG]);
        assert_eq!(
            SysV.classify(&t, big, false),
            ArgAbi::Memory { size: 24, pad: 0 }
        );
        let ci = record(&mut t, &[TypeTable::CHAR, TypeTable::INT]);
        assert_eq!(
            SysV.classify(&t, ci, false),
            ArgAbi::Split(vec![(types::I64, 0)])
        );
    }
}

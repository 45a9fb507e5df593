//! The C calling convention, per target.
//!
//! Cranelift knows scalar parameters; everything C adds (struct classification, the
//! all-or-nothing register rule, variadic calls and definitions, `va_list`) is decided here.
//! Generic code asks [`CAbi`] how each parameter and the return value travel, then moves
//! bytes accordingly; only the per-architecture files know the psABI rules.

pub mod aarch64;
pub mod riscv64;
pub mod x86_64;

use cfree_frontend::types::{FuncType, TypeId, TypeTable};
use cfree_frontend::Arch;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{
    types, AbiParam, ArgumentPurpose, InstBuilder, MemFlagsData, Signature, StackSlot,
    StackSlotData, StackSlotKind, Type, Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;

/// How one C value travels through a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgAbi {
    /// `void` or an empty aggregate: nothing is passed.
    Ignore,
    /// A scalar in one Cranelift value.
    Direct(Type),
    /// An aggregate passed in registers as these pieces (type, byte offset in the object).
    Split(Vec<(Type, u32)>),
    /// An aggregate passed by reference to a copy the caller makes in its own frame (AAPCS64
    /// and RISC-V composites over 16 bytes): one pointer travels, in a register or on the stack
    /// like any pointer, and the callee uses the copy in place.
    Indirect { size: u32, align: u32 },
    /// An aggregate passed in memory: by a copy on the stack (arguments) or through a hidden
    /// result pointer (returns). `pad` bytes of stack padding precede an argument's copy (a
    /// 16-aligned object after an odd number of eightbytes); Cranelift's `StructArgument`
    /// then covers `pad + size` bytes and the object sits at `pad` in it.
    Memory { size: u32, pad: u32 },
    /// A result returned on the x87 register stack (x86-64 `long double`: `st(0)`); the
    /// Cranelift signature has no return value and the bytes move through x87 routines.
    X87,
    /// A `complex long double` result (x86-64 COMPLEX_X87): real part in `st(0)`, imaginary
    /// part in `st(1)`; no Cranelift return value, as for [`ArgAbi::X87`].
    X87Pair,
}

/// The lowered shape of one C function type.
#[derive(Clone, Debug)]
pub struct FnAbi {
    pub sig: Signature,
    pub ret: ArgAbi,
    pub params: Vec<ArgAbi>,
    /// Dummy Cranelift parameters placed before each C parameter's own (parallel to
    /// `params`): registers the psABI leaves unused (AAPCS64's NGRN/NSRN jump to 8 when a
    /// composite goes to the stack, RISC-V's even register of a 2×XLEN-aligned variadic pair)
    /// that Cranelift would otherwise fill with the next argument. Callers pass zeros; the
    /// callee ignores them.
    pub pads: Vec<Vec<Type>>,
    /// The definition receives every argument register (variadic definitions) and reads its
    /// named parameters through [`CAbi::variadic_prologue`].
    pub variadic_def: bool,
}

/// Where a variadic definition's prologue left the argument registers, for `va_start`.
#[derive(Clone, Copy, Debug)]
pub struct VaFrame {
    /// The register save area.
    pub save: StackSlot,
    /// Argument registers of each class the named parameters used, and the bytes of stack
    /// arguments they took: where the variable arguments start.
    pub gp: u32,
    pub fp: u32,
    pub stack: u32,
}

/// Where the prologue of a variadic definition found one named parameter.
#[derive(Clone, Debug)]
pub enum ParamHome {
    /// A scalar's value.
    Value(Value),
    /// The values of a [`ArgAbi::Split`] parameter's pieces, in order.
    Pieces(Vec<Value>),
    /// The address of the parameter's object (a copy the callee owns).
    Addr(Value),
    /// Nothing is passed.
    None,
}

/// Machine code placed in front of a variadic callee, through which every direct variadic
/// call goes (x86-64: `mov $8, %al` then a jump, the upper bound of vector registers used).
#[derive(Clone, Copy, Debug)]
pub struct VariadicThunk {
    pub bytes: &'static [u8],
    /// Where the jump's displacement to the callee sits, its relocation and addend.
    pub reloc_offset: u32,
    pub reloc: Reloc,
    pub addend: i64,
}

/// Machine code that becomes the public entry of every variadic definition, in front of the
/// Cranelift-compiled body (RISC-V: a0-a7 stored just below the caller's stack arguments,
/// where no Cranelift prologue can put them; see `abi/riscv64/va.rs`). The body is a local
/// function named after the definition plus `body_suffix`, with the definition's variadic
/// signature; the thunk calls it through the relocation at `reloc_offset`.
#[derive(Clone, Debug)]
pub struct VariadicEntry {
    pub bytes: Vec<u8>,
    pub reloc_offset: u32,
    pub reloc: Reloc,
    pub addend: i64,
    pub body_suffix: &'static str,
    /// Call frame instructions for the thunk's FDE, each after the instruction that ends at
    /// this byte offset (the CIE is the target's usual one: CFA = sp, return address in the
    /// link register).
    pub cfi: Vec<(u32, gimli::write::CallFrameInstruction)>,
}

/// The C ABI of one target architecture: how arguments and results travel, and everything
/// variadic (the prologue's register save area, `va_start`, `va_arg`, `va_copy`, the calling
/// sequence of variadic callees). Generic code never sees a register count or an offset.
pub trait CAbi: Send + Sync {
    /// Classifies a C value for passing (`is_return` selects the return rules).
    fn classify(&self, t: &TypeTable, ty: TypeId, is_return: bool) -> ArgAbi;

    /// The signature of a call or definition. `variadic_args` are the (promoted) types of the
    /// arguments passed for `...` at a call site.
    fn signature(
        &self,
        t: &TypeTable,
        f: &FuncType,
        variadic_args: &[TypeId],
        for_definition: bool,
    ) -> FnAbi;

    /// The prologue of a variadic definition: saves the argument registers (`params` are the
    /// entry block's parameters, after the hidden result pointer if `sret`) and returns where
    /// `va_start` finds them and where each named parameter of `fabi` is.
    fn variadic_prologue(
        &self,
        b: &mut FunctionBuilder,
        fabi: &FnAbi,
        params: &[Value],
        sret: bool,
    ) -> (VaFrame, Vec<ParamHome>);

    /// `va_start(ap)`, `ap` being the address of the `va_list` object.
    fn va_start(&self, b: &mut FunctionBuilder, frame: &VaFrame, ap: Value);

    /// `va_arg(ap, ty)`: advances the `va_list` at `ap` and returns the address of the
    /// argument's bytes.
    fn va_arg(&self, b: &mut FunctionBuilder, t: &TypeTable, ap: Value, ty: TypeId) -> Value;

    /// `va_copy(dst, src)`, both the addresses of `va_list` objects.
    fn va_copy(&self, b: &mut FunctionBuilder, dst: Value, src: Value);

    /// The code direct calls of a variadic function go through, if the target needs one.
    fn variadic_thunk(&self) -> Option<VariadicThunk> {
        None
    }

    /// The entry thunk variadic definitions need on this target, if any: then the public
    /// symbol is the thunk and the body a local function behind it.
    fn variadic_entry(&self) -> Option<VariadicEntry> {
        None
    }

    /// Whether a call through a declaration without prototype passes its (promoted)
    /// arguments the way variadic arguments travel (x86-64: `%al` must be set; AAPCS64:
    /// the same either way) or as named parameters of their types (RISC-V, where variadic
    /// floats go in integer registers but gcc passes unprototyped ones in FP registers).
    fn unprototyped_calls_are_variadic(&self) -> bool {
        true
    }

    /// The largest alignment a variadic argument passed in memory may have. Beyond it the
    /// psABI needs the caller's stack realigned (gcc does it with `and $-32, %rsp`) because
    /// `va_arg` rounds the absolute address; Cranelift cannot realign, so such variadic
    /// arguments and `va_arg`s are a located error rather than a misplaced read.
    fn max_stack_arg_align(&self) -> u64;

    /// The calling convention named in this target's `.cfree.abisig` records.
    fn call_conv(&self) -> cfree_abisig::CallConv;

    /// How a value of type `ty`, classified as `a` by [`CAbi::signature`], is described in its
    /// function's `.cfree.abisig` record, or `None` if the record cannot describe it (the
    /// function then gets no record and is not reloadable).
    ///
    /// Per target because the same [`ArgAbi`] means different calling sequences: an argument
    /// in `Memory` is a copy on the stack on x86-64 but a pointer to a copy under AAPCS64 and
    /// RISC-V.
    fn abi_slot(
        &self,
        t: &TypeTable,
        ty: TypeId,
        a: &ArgAbi,
        is_return: bool,
    ) -> Option<cfree_abisig::AbiSlot>;
}

/// The C ABI of `arch`; `None` where cfree has none (a target without one is refused, never
/// lowered as another's).
pub fn for_arch(arch: Arch) -> Option<Box<dyn CAbi>> {
    match arch {
        Arch::X86_64 => Some(Box::new(x86_64::SysV)),
        Arch::Aarch64 => Some(Box::new(aarch64::Aapcs64)),
        Arch::Riscv64 => Some(Box::new(riscv64::Lp64d)),
    }
}

/// The Cranelift type of a C scalar.
pub fn scalar_type(t: &TypeTable, ty: TypeId) -> Type {
    use cfree_frontend::types::{FloatKind, TypeKind};
    match t.kind(ty) {
        TypeKind::Int(k) => match k.size() {
            1 => types::I8,
            2 => types::I16,
            4 => types::I32,
            8 => types::I64,
            _ => types::I128,
        },
        TypeKind::Float(FloatKind::Float) => types::F32,
        // The 16 bytes of the object, in the target's long double format.
        TypeKind::Float(FloatKind::LongDouble) => types::I128,
        // binary128 in an xmm register (its arithmetic is libgcc's).
        TypeKind::Float(FloatKind::Float128) => types::F128,
        TypeKind::Float(_) => types::F64,
        _ => types::I64,
    }
}

/// Parameter with the extension C expects for small integers.
pub fn abi_param(t: &TypeTable, ty: TypeId, cl: Type) -> AbiParam {
    let p = AbiParam::new(cl);
    if t.is_integer(ty) && t.size(ty) < 4 {
        if t.is_signed(ty) {
            p.sext()
        } else {
            p.uext()
        }
    } else {
        p
    }
}

/// Appends the Cranelift parameters of classified arguments to `sig`, in order: each one's
/// dummy pads, then its value (`direct` makes a scalar's parameter, with the extension the
/// target wants), its split pieces, or the pointer to its caller copy.
pub(crate) fn push_params<'a>(
    sig: &mut Signature,
    t: &TypeTable,
    args: impl IntoIterator<Item = (&'a [Type], &'a ArgAbi, TypeId)>,
    direct: impl Fn(&TypeTable, TypeId, Type) -> AbiParam,
) {
    for (pads, abi, ty) in args {
        sig.params.extend(pads.iter().map(|p| AbiParam::new(*p)));
        match abi {
            ArgAbi::Direct(cl) => sig.params.push(direct(t, ty, *cl)),
            ArgAbi::Split(p) => sig
                .params
                .extend(p.iter().map(|(cl, _)| AbiParam::new(*cl))),
            ArgAbi::Indirect { .. } => sig.params.push(AbiParam::new(types::I64)),
            _ => {}
        }
    }
}

/// The `.cfree.abisig` description of an aggregate of `size` bytes passed in register
/// pieces: each piece's register class and size.
pub(crate) fn split_slot(size: u32, pieces: &[(Type, u32)]) -> cfree_abisig::AbiSlot {
    use cfree_abisig::{RegKind, RegPiece};
    cfree_abisig::AbiSlot::split(
        size,
        pieces
            .iter()
            .map(|(cl, _)| RegPiece {
                kind: if cl.is_float() || cl.is_vector() {
                    RegKind::Float
                } else {
                    RegKind::Int
                },
                size: cl.bytes() as u8,
            })
            .collect(),
    )
}

/// A stack slot of the function being built.
pub(crate) fn new_slot(b: &mut FunctionBuilder, size: u32, align: u32) -> StackSlot {
    let shift = align.max(1).trailing_zeros().min(12) as u8;
    b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        size.max(1),
        shift,
    ))
}

/// Plain memory access flags (the objects ABI code touches may be unaligned or aliased).
pub(crate) fn mem() -> MemFlagsData {
    MemFlagsData::new()
}

/// Copies `size` bytes with loads and stores of eight (then fewer) bytes.
pub(crate) fn copy_bytes(b: &mut FunctionBuilder, dst: Value, src: Value, size: u32) {
    let mut off = 0;
    while off < size {
        let ty = match size - off {
            8.. => types::I64,
            4..=7 => types::I32,
            2..=3 => types::I16,
            _ => types::I8,
        };
        let v = b.ins().load(ty, mem(), src, off as i32);
        b.ins().store(mem(), v, dst, off as i32);
        off += ty.bytes();
    }
}

pub(crate) fn sret_param() -> AbiParam {
    AbiParam::special(types::I64, ArgumentPurpose::StructReturn)
}

pub(crate) fn empty_sig() -> Signature {
    Signature::new(CallConv::SystemV)
}

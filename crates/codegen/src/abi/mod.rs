//! The C calling convention, per target.
//!
//! Cranelift knows scalar parameters; everything C adds (struct classification, the
//! all-or-nothing register rule, variadic calls and definitions, `va_list`) is decided here.
//! Generic code asks [`CAbi`] how each parameter and the return value travel, then moves
//! bytes accordingly; only the per-architecture files know the psABI rules.

pub mod x86_64;

use cfree_frontend::types::{FuncType, TypeId, TypeTable};
use cfree_frontend::Arch;
use cranelift_codegen::ir::{types, AbiParam, ArgumentPurpose, Signature, Type};
use cranelift_codegen::isa::CallConv;

/// How one C value travels through a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgAbi {
    /// `void` or an empty aggregate: nothing is passed.
    Ignore,
    /// A scalar in one Cranelift value.
    Direct(Type),
    /// An aggregate passed in registers as these pieces (type, byte offset in the object).
    Split(Vec<(Type, u32)>),
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
    /// The definition receives every argument register (variadic definitions): how many of
    /// each class the named parameters use.
    pub variadic_def: bool,
}

/// The C ABI of one target architecture.
pub trait CAbi {
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

    /// Size of `va_list` in bytes.
    fn va_list_size(&self) -> u32;

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

/// The C ABI of `arch`; `None` where cfree has none yet (AAPCS64 and the RISC-V psABI land
/// with their code generation): such a target is refused, never lowered as SysV.
pub fn for_arch(arch: Arch) -> Option<Box<dyn CAbi>> {
    match arch {
        Arch::X86_64 => Some(Box::new(x86_64::SysV)),
        Arch::Aarch64 | Arch::Riscv64 => None,
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

pub(crate) fn sret_param() -> AbiParam {
    AbiParam::special(types::I64, ArgumentPurpose::StructReturn)
}

pub(crate) fn empty_sig() -> Signature {
    Signature::new(CallConv::SystemV)
}

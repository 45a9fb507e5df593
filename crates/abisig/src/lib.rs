//! The ABI contract of a C function definition, as hot reload needs it.
//!
//! Hot reload (`HOT_RELOAD.md` §11) swaps a function body behind a stable entry. Callers that
//! were compiled against the old body keep using the old calling sequence, so a replacement is
//! only safe if it expects its arguments and leaves its result in exactly the same places. The
//! linker must not need to understand C types to decide that, so the compiler writes one
//! compact [`CfreeFuncAbiSig`] per function definition into a `.cfree.abisig` section
//! ([`section`]) and the linker compares the replacement's record with the old one through
//! [`CfreeFuncAbiSig::compatible_with`].
//!
//! A record is a *runtime-callability* identity, not a C type identity: it says how each value
//! travels (which register class, how many bytes, which pieces), so `int` and `unsigned` are the
//! same (integer, 4 bytes) while `int` and `long` are not. Names mirror the C record of the
//! design note (`CfreeFuncAbiSig`, `CFREE_ABI_MAX_ARGS`) the way the `object` crate mirrors ELF
//! names, so the Rust and the format documentation read alike.
//!
//! A function whose signature cannot be recorded (more than [`CFREE_ABI_MAX_ARGS`] named
//! parameters, or a target without an encoding) gets no record and is therefore not
//! reloadable: the linker rejects replacing a function without a record unless the user opts
//! into unchecked replacement.
//!
//! Sizes are stored in **bytes** (`u32`), not as log2 as the design note sketched: aggregates
//! come in sizes that are not powers of two, and rounding loses what matters. A 24-byte
//! aggregate copied to the stack takes 24 bytes of the argument area and a 32-byte one takes 32,
//! which moves every later stack argument, yet both would round to log2 = 5; a 12-byte
//! aggregate would round to 16.

pub mod section;

pub use section::{read, write, AbiSigError, MAGIC, SECTION_NAME, VERSION};

use std::fmt;

/// The largest number of named parameters a record describes. A definition with more gets no
/// record at all, which makes it non-reloadable (the linker refuses to replace a function
/// without a record unless the user opts into unchecked replacement).
///
/// 127 is the C standard's minimum translation limit for parameters in one definition
/// (C17 5.2.4.1), so every function a portable program may define is covered, and the count
/// fits the record's one-byte parameter count.
pub const CFREE_ABI_MAX_ARGS: usize = 127;

/// The most register pieces one aggregate is split into: two on x86-64 and RISC-V, four for an
/// AArch64 homogeneous floating-point aggregate.
pub const CFREE_ABI_MAX_PIECES: usize = 4;

/// Declares a fieldless `#[repr(u8)]` enum whose discriminants are the bytes stored in the
/// section, with the byte → enum conversion the reader needs and a human name for messages.
macro_rules! byte_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $byte:literal => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $byte, )*
        }

        impl $name {
            /// The value stored as `byte`, or `None` for a byte this version does not know.
            pub fn from_byte(byte: u8) -> Option<Self> {
                match byte {
                    $( $byte => Some(Self::$variant), )*
                    _ => None,
                }
            }

            /// The byte stored in the section.
            pub fn to_byte(self) -> u8 {
                self as u8
            }

            /// The name used in mismatch messages.
            pub fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

byte_enum! {
    /// The target architecture the function was compiled for (0 is never valid, so zeroed
    /// memory is not mistaken for a record).
    pub enum TargetArch {
        X86_64 = 1 => "x86_64",
        Aarch64 = 2 => "aarch64",
        Riscv64 = 3 => "riscv64",
    }
}

impl From<cfree_target::Arch> for TargetArch {
    /// The record's code for an architecture of the target model.
    fn from(a: cfree_target::Arch) -> TargetArch {
        match a {
            cfree_target::Arch::X86_64 => TargetArch::X86_64,
            cfree_target::Arch::Aarch64 => TargetArch::Aarch64,
            cfree_target::Arch::Riscv64 => TargetArch::Riscv64,
        }
    }
}

byte_enum! {
    /// The target operating system (it selects the psABI variant).
    pub enum TargetOs {
        Linux = 1 => "linux",
    }
}

byte_enum! {
    /// The calling convention of the definition; one per architecture for now.
    pub enum CallConv {
        /// System V AMD64 psABI.
        SysV = 1 => "System V AMD64",
        /// Arm 64-bit procedure call standard.
        Aapcs64 = 2 => "AAPCS64",
        /// RISC-V LP64D (integer and double-precision float registers).
        RiscvLp64d = 3 => "RISC-V LP64D",
    }
}

byte_enum! {
    /// How one C value (a parameter or the return value) travels through a call.
    pub enum AbiClass {
        /// Nothing is passed: a `void` return or an empty aggregate.
        Void = 0 => "void",
        /// A scalar in integer register(s) (or the integer stack slots once they run out):
        /// integers, pointers, enums, `__int128`.
        Integer = 1 => "integer",
        /// A scalar in a floating-point/vector register (or its stack slot).
        Float = 2 => "float",
        /// An aggregate passed or returned in registers, as the [`AbiSlot::pieces`] in order.
        Split = 3 => "aggregate in registers",
        /// An aggregate argument copied into the caller's outgoing stack area (x86-64).
        Memory = 4 => "aggregate copied to the stack",
        /// An aggregate argument passed as a pointer to a caller-made copy (the AAPCS64 and
        /// RISC-V rule for large aggregates).
        Indirect = 5 => "aggregate passed by reference",
        /// An aggregate returned through a hidden result pointer supplied by the caller.
        Sret = 6 => "aggregate returned through a hidden pointer",
    }
}

byte_enum! {
    /// The register file one piece of a [`AbiClass::Split`] aggregate travels in.
    pub enum RegKind {
        Int = 1 => "integer",
        Float = 2 => "float",
    }
}

/// One register's worth of a split aggregate: its register file and how many bytes of it the
/// value occupies (a `float` piece and a `double` piece use the same register differently).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RegPiece {
    pub kind: RegKind,
    pub size: u8,
}

/// How one parameter or the return value travels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AbiSlot {
    pub class: AbiClass,
    /// Size in bytes: of the register value for scalars (`long double`, computed as `double`
    /// by cfree, is a float of 8 bytes), of the C object for aggregates, 0 for `Void`.
    pub size: u32,
    /// The register pieces of a `Split` aggregate, in order; empty for every other class.
    pub pieces: Vec<RegPiece>,
}

impl AbiSlot {
    pub fn void() -> Self {
        Self::plain(AbiClass::Void, 0)
    }
    pub fn integer(size: u32) -> Self {
        Self::plain(AbiClass::Integer, size)
    }
    pub fn float(size: u32) -> Self {
        Self::plain(AbiClass::Float, size)
    }
    pub fn split(size: u32, pieces: Vec<RegPiece>) -> Self {
        Self {
            class: AbiClass::Split,
            size,
            pieces,
        }
    }
    pub fn memory(size: u32) -> Self {
        Self::plain(AbiClass::Memory, size)
    }
    pub fn indirect(size: u32) -> Self {
        Self::plain(AbiClass::Indirect, size)
    }
    pub fn sret(size: u32) -> Self {
        Self::plain(AbiClass::Sret, size)
    }

    fn plain(class: AbiClass, size: u32) -> Self {
        Self {
            class,
            size,
            pieces: Vec::new(),
        }
    }

    /// The shape rules a well-formed slot obeys; the writer and the reader both enforce them so
    /// that two records describing the same call always compare equal.
    pub fn check(&self) -> Result<(), &'static str> {
        let split = self.class == AbiClass::Split;
        if split && self.pieces.is_empty() {
            return Err("a split aggregate has no register pieces");
        }
        if !split && !self.pieces.is_empty() {
            return Err("only a split aggregate has register pieces");
        }
        if self.pieces.len() > CFREE_ABI_MAX_PIECES {
            return Err("a split aggregate has more than CFREE_ABI_MAX_PIECES pieces");
        }
        if self.pieces.iter().any(|p| p.size == 0) {
            return Err("a register piece is empty");
        }
        if (self.class == AbiClass::Void) != (self.size == 0) {
            return Err("void slots, and only they, have size 0");
        }
        Ok(())
    }
}

impl fmt::Display for AbiSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = |n: u32| if n == 1 { "byte" } else { "bytes" };
        match self.class {
            AbiClass::Void => f.write_str("void"),
            AbiClass::Integer | AbiClass::Float => {
                write!(f, "{} {} {}", self.class, self.size, bytes(self.size))
            }
            AbiClass::Split => {
                write!(f, "{} {} {} [", self.class, self.size, bytes(self.size))?;
                for (i, p) in self.pieces.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{} {}", p.kind, p.size)?;
                }
                f.write_str("]")
            }
            _ => write!(f, "{} {} {}", self.class, self.size, bytes(self.size)),
        }
    }
}

/// The ABI contract of one function definition: everything a caller relies on to call it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CfreeFuncAbiSig {
    pub target_arch: TargetArch,
    pub target_os: TargetOs,
    pub call_conv: CallConv,
    /// Declared with `...`: callers follow the variadic sequence (on x86-64, `%al` holds the
    /// number of vector registers used).
    pub variadic: bool,
    pub ret: AbiSlot,
    /// The named parameters, at most [`CFREE_ABI_MAX_ARGS`].
    pub args: Vec<AbiSlot>,
}

/// Why a replacement cannot be called through the old entry: the first difference found,
/// checked in the order of the variants. Parameters are numbered from 1, as in C diagnostics.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AbiMismatch {
    #[error("target differs: was {was_arch}-{was_os}, now {now_arch}-{now_os}")]
    Target {
        was_arch: TargetArch,
        was_os: TargetOs,
        now_arch: TargetArch,
        now_os: TargetOs,
    },
    #[error("calling convention differs: was {was}, now {now}")]
    CallConv { was: CallConv, now: CallConv },
    #[error("variadic differs: was {}, now {}", variadic_word(*.was), variadic_word(*.now))]
    Variadic { was: bool, now: bool },
    #[error("return: was {was}, now {now}")]
    Return { was: AbiSlot, now: AbiSlot },
    #[error("parameter count {was} vs {now}")]
    ParamCount { was: usize, now: usize },
    #[error("parameter {index}: was {was}, now {now}")]
    Param {
        index: usize,
        was: AbiSlot,
        now: AbiSlot,
    },
}

fn variadic_word(v: bool) -> &'static str {
    if v {
        "variadic"
    } else {
        "not variadic"
    }
}

impl CfreeFuncAbiSig {
    /// Whether `self` (the replacement) can be called by code that calls `old`: every field
    /// must match exactly. Anything looser would need per-ABI reasoning (a 4-byte integer is
    /// not readable as an 8-byte one: the upper half of the register is garbage), and the
    /// failure mode of a wrong "yes" is silent memory corruption in the running program.
    pub fn compatible_with(&self, old: &CfreeFuncAbiSig) -> Result<(), AbiMismatch> {
        if (self.target_arch, self.target_os) != (old.target_arch, old.target_os) {
            return Err(AbiMismatch::Target {
                was_arch: old.target_arch,
                was_os: old.target_os,
                now_arch: self.target_arch,
                now_os: self.target_os,
            });
        }
        if self.call_conv != old.call_conv {
            return Err(AbiMismatch::CallConv {
                was: old.call_conv,
                now: self.call_conv,
            });
        }
        if self.variadic != old.variadic {
            return Err(AbiMismatch::Variadic {
                was: old.variadic,
                now: self.variadic,
            });
        }
        if self.ret != old.ret {
            return Err(AbiMismatch::Return {
                was: old.ret.clone(),
                now: self.ret.clone(),
            });
        }
        if self.args.len() != old.args.len() {
            return Err(AbiMismatch::ParamCount {
                was: old.args.len(),
                now: self.args.len(),
            });
        }
        for (i, (now, was)) in self.args.iter().zip(&old.args).enumerate() {
            if now != was {
                return Err(AbiMismatch::Param {
                    index: i + 1,
                    was: was.clone(),
                    now: now.clone(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(ret: AbiSlot, args: Vec<AbiSlot>, variadic: bool) -> CfreeFuncAbiSig {
        CfreeFuncAbiSig {
            target_arch: TargetArch::X86_64,
            target_os: TargetOs::Linux,
            call_conv: CallConv::SysV,
            variadic,
            ret,
            args,
        }
    }

    fn mismatch(now: &CfreeFuncAbiSig, old: &CfreeFuncAbiSig) -> String {
        match now.compatible_with(old) {
            Ok(()) => panic!("{now:?} accepted as a replacement for {old:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn identical_signatures_are_compatible() {
        let pair = AbiSlot::split(
            16,
            vec![
                RegPiece {
                    kind: RegKind::Float,
                    size: 8,
                },
                RegPiece {
                    kind: RegKind::Int,
                    size: 8,
                },
            ],
        );
        let a = sig(
            pair.clone(),
            vec![AbiSlot::integer(4), AbiSlot::memory(24), pair],
            false,
        );
        assert_eq!(a.compatible_with(&a.clone()), Ok(()));
    }

    #[test]
    fn mismatches_name_what_differs() {
        let old = sig(
            AbiSlot::integer(4),
            vec![AbiSlot::integer(8), AbiSlot::integer(4)],
            false,
        );
        let param = sig(
            AbiSlot::integer(4),
            vec![AbiSlot::integer(8), AbiSlot::float(8)],
            false,
        );
        assert_eq!(
            mismatch(&param, &old),
            "parameter 2: was integer 4 bytes, now float 8 bytes"
        );
        let count = sig(
            AbiSlot::integer(4),
            vec![
                AbiSlot::integer(8),
                AbiSlot::integer(4),
                AbiSlot::integer(4),
            ],
            false,
        );
        assert_eq!(mismatch(&count, &old), "parameter count 2 vs 3");
        let ret = sig(AbiSlot::void(), old.args.clone(), false);
        assert_eq!(
            mismatch(&ret, &old),
            "return: was integer 4 bytes, now void"
        );
        let var = sig(AbiSlot::integer(4), old.args.clone(), true);
        assert_eq!(
            mismatch(&var, &old),
            "variadic differs: was not variadic, now variadic"
        );
        let mut arm = old.clone();
        arm.target_arch = TargetArch::Aarch64;
        arm.call_conv = CallConv::Aapcs64;
        assert_eq!(
            mismatch(&arm, &old),
            "target differs: was x86_64-linux, now aarch64-linux"
        );
        let mut cc = old.clone();
        cc.call_conv = CallConv::Aapcs64;
        assert_eq!(
            mismatch(&cc, &old),
            "calling convention differs: was System V AMD64, now AAPCS64"
        );
    }

    #[test]
    fn aggregates_differ_by_pieces_and_passing() {
        let f = |size| RegPiece {
            kind: RegKind::Float,
            size,
        };
        // AArch64: `struct { float x[4]; }` (four s registers) vs `struct { double x[2]; }`
        // (two d registers): same size, different registers.
        let four = sig(
            AbiSlot::void(),
            vec![AbiSlot::split(16, vec![f(4), f(4), f(4), f(4)])],
            false,
        );
        let two = sig(
            AbiSlot::void(),
            vec![AbiSlot::split(16, vec![f(8), f(8)])],
            false,
        );
        assert_eq!(
            mismatch(&two, &four),
            "parameter 1: was aggregate in registers 16 bytes [float 4, float 4, float 4, float 4], \
             now aggregate in registers 16 bytes [float 8, float 8]"
        );
        let stack = sig(AbiSlot::void(), vec![AbiSlot::memory(24)], false);
        let byref = sig(AbiSlot::void(), vec![AbiSlot::indirect(24)], false);
        assert_eq!(
            mismatch(&byref, &stack),
            "parameter 1: was aggregate copied to the stack 24 bytes, \
             now aggregate passed by reference 24 bytes"
        );
        let twelve = sig(AbiSlot::sret(12), vec![], false);
        let sixteen = sig(AbiSlot::sret(16), vec![], false);
        assert!(matches!(
            sixteen.compatible_with(&twelve),
            Err(AbiMismatch::Return { .. })
        ));
    }

    #[test]
    fn slot_shape_rules() {
        assert!(AbiSlot::void().check().is_ok());
        assert!(AbiSlot::integer(0).check().is_err());
        assert!(AbiSlot::split(8, vec![]).check().is_err());
        let mut s = AbiSlot::integer(8);
        s.pieces.push(RegPiece {
            kind: RegKind::Int,
            size: 8,
        });
        assert!(s.check().is_err());
        assert_eq!(TargetArch::from_byte(0), None);
        assert_eq!(AbiClass::from_byte(6), Some(AbiClass::Sret));
        assert_eq!(CallConv::RiscvLp64d.to_byte(), 3);
    }
}

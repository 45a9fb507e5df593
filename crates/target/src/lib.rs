//! The one target model every crate reads: which architecture, and the C data model and ELF
//! facts that follow from it (Linux, LP64, little-endian on all three).
//!
//! This is the single `match` on the architecture for facts shared across the compiler, the
//! linker and the JIT; what a psABI does with them (argument classification, relocations)
//! lives in each crate's per-architecture files.

use std::fmt;
use target_lexicon::{Aarch64Architecture, Architecture, Triple};

/// The architectures cfree compiles and links for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    X86_64,
    Aarch64,
    Riscv64,
}

/// The representation of `long double`: what its 16 bytes hold and how it is computed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongDoubleFormat {
    /// x86-64: the x87 80-bit extended format (64-bit significand with explicit integer bit)
    /// in the low 10 bytes, 6 bytes of padding.
    X87,
    /// AArch64 and RISC-V LP64: IEEE 754 binary128 (113-bit significand).
    Binary128,
}

/// What `__builtin_va_list` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaListKind {
    /// A one-element array of a record of `size` bytes (SysV x86-64: 24, with the general and
    /// floating register offsets and two pointers), so it decays to a pointer when passed and
    /// a `va_list` parameter is a pointer to the caller's list.
    Array {
        size: u64,
        align: u64,
        record: &'static VaRecord,
    },
    /// A record of `size` bytes passed by value like any struct (AAPCS64: 32, `__stack`,
    /// `__gr_top`, `__vr_top`, `__gr_offs`, `__vr_offs`).
    Record {
        size: u64,
        align: u64,
        record: &'static VaRecord,
    },
    /// A plain `void *` to the next argument (RISC-V LP64D).
    Pointer,
}

/// What an integer division by zero does on the hardware, which C programs (and gcc's code)
/// observe: x86-64's `idiv`/`div` raise SIGFPE (as does `INT_MIN / -1`); AArch64's and
/// RISC-V's divide instructions never trap and give a fixed quotient, the remainder being the
/// dividend (and `INT_MIN / -1` is `INT_MIN`, remainder 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntDivZero {
    Traps,
    /// The quotient of a division by zero: 0 (AArch64) or all ones (RISC-V).
    Quotient(i64),
}

/// The record behind a `va_list`, as the psABI names it (debuggers show these members).
#[derive(Debug, PartialEq, Eq)]
pub struct VaRecord {
    pub tag: &'static str,
    /// Name, byte offset and kind of each member.
    pub members: &'static [(&'static str, u64, VaMember)],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaMember {
    UInt,
    Int,
    Pointer,
}

/// SysV x86-64 §3.5.7.
const SYSV_VA: VaRecord = VaRecord {
    tag: "__va_list_tag",
    members: &[
        ("gp_offset", 0, VaMember::UInt),
        ("fp_offset", 4, VaMember::UInt),
        ("overflow_arg_area", 8, VaMember::Pointer),
        ("reg_save_area", 16, VaMember::Pointer),
    ],
};

/// AAPCS64 Appendix B.
const AAPCS64_VA: VaRecord = VaRecord {
    tag: "__va_list",
    members: &[
        ("__stack", 0, VaMember::Pointer),
        ("__gr_top", 8, VaMember::Pointer),
        ("__vr_top", 16, VaMember::Pointer),
        ("__gr_offs", 24, VaMember::Int),
        ("__vr_offs", 28, VaMember::Int),
    ],
};

/// A triple names an architecture cfree has no backend for.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unsupported target architecture `{0}` (supported: x86_64, aarch64, riscv64)")]
pub struct UnsupportedArch(pub String);

impl Arch {
    /// The architecture of a target triple. Big-endian AArch64 is a different psABI and is
    /// refused, as is anything else without a backend: never a silent x86-64.
    pub fn from_triple(triple: &Triple) -> Result<Arch, UnsupportedArch> {
        match triple.architecture {
            Architecture::X86_64 => Ok(Arch::X86_64),
            Architecture::Aarch64(Aarch64Architecture::Aarch64) => Ok(Arch::Aarch64),
            Architecture::Riscv64(_) => Ok(Arch::Riscv64),
            other => Err(UnsupportedArch(other.to_string())),
        }
    }

    /// The architecture this process runs on.
    pub fn host() -> Result<Arch, UnsupportedArch> {
        Arch::from_triple(&Triple::host())
    }

    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
        }
    }

    /// `e_machine` of its ELF files.
    pub fn elf_machine(self) -> u16 {
        match self {
            Arch::X86_64 => 62,
            Arch::Aarch64 => 183,
            Arch::Riscv64 => 243,
        }
    }

    /// Bytes of a pointer (and of `long` and `size_t`: LP64 everywhere).
    pub fn pointer_size(self) -> u64 {
        8
    }

    /// Whether plain `char` is signed (x86-64's psABI) or unsigned (AAPCS64, RISC-V).
    pub fn char_signed(self) -> bool {
        self == Arch::X86_64
    }

    pub fn long_double(self) -> LongDoubleFormat {
        match self {
            Arch::X86_64 => LongDoubleFormat::X87,
            Arch::Aarch64 | Arch::Riscv64 => LongDoubleFormat::Binary128,
        }
    }

    /// Size and alignment of `long double` (16 and 16 on all three).
    pub fn long_double_layout(self) -> (u64, u64) {
        (16, 16)
    }

    pub fn va_list(self) -> VaListKind {
        match self {
            Arch::X86_64 => VaListKind::Array {
                size: 24,
                align: 8,
                record: &SYSV_VA,
            },
            Arch::Aarch64 => VaListKind::Record {
                size: 32,
                align: 8,
                record: &AAPCS64_VA,
            },
            Arch::Riscv64 => VaListKind::Pointer,
        }
    }

    /// `wchar_t`: its size and whether it is signed (`int` on x86-64 and RISC-V, `unsigned
    /// int` on AArch64 Linux).
    pub fn wchar(self) -> (u64, bool) {
        (4, self != Arch::Aarch64)
    }

    /// The alignment a GNU vector type (`vector_size`) is capped at: gcc gives vectors their
    /// size as alignment on x86-64 and RISC-V, but at most 16 on AArch64.
    pub fn max_vector_align(self) -> u64 {
        match self {
            Arch::Aarch64 => 16,
            Arch::X86_64 | Arch::Riscv64 => u64::MAX,
        }
    }

    pub fn int_div_by_zero(self) -> IntDivZero {
        match self {
            Arch::X86_64 => IntDivZero::Traps,
            Arch::Aarch64 => IntDivZero::Quotient(0),
            Arch::Riscv64 => IntDivZero::Quotient(-1),
        }
    }

    /// The size of glibc's `jmp_buf` (`struct __jmp_buf_tag[1]`): what a `_setjmp` receiver
    /// cfree makes itself (nested functions' non-local `goto`) must reserve.
    pub fn jmp_buf_size(self) -> u64 {
        match self {
            Arch::X86_64 => 200,
            Arch::Aarch64 => 312,
            Arch::Riscv64 => 344,
        }
    }

    /// The largest fundamental alignment (`max_align_t`).
    pub fn max_align(self) -> u64 {
        16
    }

    /// The GNU multiarch directory name (`x86_64-linux-gnu`), for system headers and libraries.
    pub fn multiarch(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-linux-gnu",
            Arch::Aarch64 => "aarch64-linux-gnu",
            Arch::Riscv64 => "riscv64-linux-gnu",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_name_their_architecture_and_data_model() {
        let t = |s: &str| Arch::from_triple(&s.parse().expect("triple"));
        assert_eq!(t("x86_64-unknown-linux-gnu"), Ok(Arch::X86_64));
        assert_eq!(t("aarch64-unknown-linux-gnu"), Ok(Arch::Aarch64));
        assert_eq!(t("riscv64gc-unknown-linux-gnu"), Ok(Arch::Riscv64));
        assert!(t("aarch64_be-unknown-linux-gnu").is_err());
        assert!(t("i686-unknown-linux-gnu").is_err());
        assert!(Arch::X86_64.char_signed() && !Arch::Aarch64.char_signed());
        assert_eq!(Arch::Riscv64.va_list(), VaListKind::Pointer);
        assert_eq!(Arch::Aarch64.elf_machine(), 183);
    }
}

//! The target data model: sizes, alignments and `char` signedness derived from the triple.
//!
//! Everything that depends on the target is read from here, never from `cfg!`, so the same
//! compiler produces code for x86-64, AArch64 and RISC-V 64 on any host.

use target_lexicon::{Architecture, Triple};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug)]
pub struct TargetInfo {
    pub triple: Triple,
    pub arch: Arch,
    pub char_signed: bool,
    /// Size and alignment of `long double` (16/16 on all three LP64 Linux targets).
    pub long_double_size: u64,
    pub long_double_align: u64,
    pub long_double: LongDoubleFormat,
}

/// Errors selecting a target.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("unsupported target architecture `{0}` (supported: x86_64, aarch64, riscv64gc)")]
    UnsupportedArch(String),
}

impl TargetInfo {
    pub fn host() -> Self {
        // The host triple is only consulted here; every later decision reads `self`.
        Self::from_triple(Triple::host()).unwrap_or_else(|_| Self::x86_64_linux())
    }

    pub fn x86_64_linux() -> Self {
        Self::from_triple("x86_64-unknown-linux-gnu".parse().expect("static triple"))
            .expect("x86_64 is supported")
    }

    pub fn from_triple(triple: Triple) -> Result<Self, TargetError> {
        let arch = match triple.architecture {
            Architecture::X86_64 => Arch::X86_64,
            Architecture::Aarch64(_) => Arch::Aarch64,
            Architecture::Riscv64(_) => Arch::Riscv64,
            other => return Err(TargetError::UnsupportedArch(other.to_string())),
        };
        Ok(TargetInfo {
            triple,
            arch,
            char_signed: arch == Arch::X86_64,
            long_double_size: 16,
            long_double_align: 16,
            long_double: match arch {
                Arch::X86_64 => LongDoubleFormat::X87,
                Arch::Aarch64 | Arch::Riscv64 => LongDoubleFormat::Binary128,
            },
        })
    }

    pub const fn pointer_size(&self) -> u64 {
        8
    }

    /// The GNU multiarch directory name (`x86_64-linux-gnu`), used for the system include path.
    pub fn multiarch(&self) -> &'static str {
        match self.arch {
            Arch::X86_64 => "x86_64-linux-gnu",
            Arch::Aarch64 => "aarch64-linux-gnu",
            Arch::Riscv64 => "riscv64-linux-gnu",
        }
    }
}

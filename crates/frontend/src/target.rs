//! The target data model: sizes, alignments and `char` signedness derived from the triple.
//!
//! Everything that depends on the target is read from here, never from `cfg!`, so the same
//! compiler produces code for x86-64, AArch64 and RISC-V 64 on any host.

use target_lexicon::Triple;

pub use cfree_target::{Arch, IntDivZero, LongDoubleFormat, VaListKind, VaMember};

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

    /// The target a user names on the command line: a full triple
    /// (`aarch64-unknown-linux-gnu`) or the Debian multiarch form gcc's cross compilers use
    /// (`aarch64-linux-gnu`, `riscv64-linux-gnu`, `x86_64-linux-gnu`). RISC-V is RV64GC with
    /// the LP64D ABI, as Debian's.
    pub fn from_name(name: &str) -> Result<Self, TargetError> {
        let parts: Vec<&str> = name.split('-').collect();
        let (arch, rest) = match parts.as_slice() {
            [arch, "linux", env] => (*arch, format!("unknown-linux-{env}")),
            [arch, rest @ ..] => (*arch, rest.join("-")),
            [] => return Err(TargetError::UnsupportedArch(name.to_string())),
        };
        let arch = if arch == "riscv64" { "riscv64gc" } else { arch };
        let triple: Triple = format!("{arch}-{rest}")
            .parse()
            .map_err(|_| TargetError::UnsupportedArch(name.to_string()))?;
        Self::from_triple(triple)
    }

    /// Whether code for this target runs natively here.
    pub fn is_host(&self) -> bool {
        Arch::host().is_ok_and(|h| h == self.arch)
    }

    pub fn from_triple(triple: Triple) -> Result<Self, TargetError> {
        let arch = Arch::from_triple(&triple).map_err(|e| TargetError::UnsupportedArch(e.0))?;
        let (long_double_size, long_double_align) = arch.long_double_layout();
        Ok(TargetInfo {
            triple,
            arch,
            char_signed: arch.char_signed(),
            long_double_size,
            long_double_align,
            long_double: arch.long_double(),
        })
    }

    pub fn pointer_size(&self) -> u64 {
        self.arch.pointer_size()
    }

    /// The GNU multiarch directory name (`x86_64-linux-gnu`), used for the system include path.
    pub fn multiarch(&self) -> &'static str {
        self.arch.multiarch()
    }
}

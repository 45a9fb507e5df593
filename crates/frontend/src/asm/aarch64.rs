//! AArch64 inline-assembly facts: register numbering and names, the AArch64 constraint
//! letters (gcc's `w`, `x`, `Q`, `I`..`N`, `Z`).
//!
//! Registers are numbered 0–30 for x0–x30 and 32–63 for v0–v31. Codegen's AArch64 asm printer
//! reads the same tables.

use super::{widen, Allowed, AsmTarget, RegClass};

/// First SIMD/FP register (v0).
pub const V0: u8 = 32;
/// The frame pointer and the link register: never given to operands.
pub const FP: u8 = 29;
pub const LR: u8 = 30;
/// The platform register (reserved on some systems; never allocated).
pub const X18: u8 = 18;

pub struct Aarch64;

impl AsmTarget for Aarch64 {
    fn letter(&self, c: char, a: &mut Allowed) -> bool {
        let range = match c {
            // Any FP/SIMD register; `x` is v0–v15, a subset, and the allocator starts at v0.
            'w' | 'x' => {
                widen(a, RegClass::Vector);
                return true;
            }
            // A memory operand addressed by a single base register.
            'Q' => {
                a.mem = true;
                return true;
            }
            // Constants: ADD/SUB immediates, logical immediates (the assembler checks the bit
            // pattern), shift amounts, MOV immediates, zero.
            'I' => (0, 4095),
            'J' => (-4095, 0),
            'K' => (i32::MIN as i128, u32::MAX as i128),
            'L' => (i64::MIN as i128, u64::MAX as i128),
            'M' | 'N' => (i64::MIN as i128, u64::MAX as i128),
            'Z' => (0, 0),
            _ => return false,
        };
        a.imm = Some(range);
        true
    }

    fn reg_by_name(&self, name: &str) -> Option<u8> {
        match name {
            "fp" => return Some(FP),
            "lr" => return Some(LR),
            _ => {}
        }
        let (kind, num) = name.split_at(1.min(name.len()));
        let n: u8 = num.parse().ok()?;
        match kind {
            "x" | "w" if n <= 30 => Some(n),
            "v" | "q" | "d" | "s" | "h" | "b" if n < 32 => Some(V0 + n),
            _ => None,
        }
    }

    fn ignored_clobber(&self, name: &str) -> bool {
        // The flags are clobbered by the call anyway; the thunk never touches FPCR/FPSR.
        matches!(name, "cc" | "fpsr" | "fpcr")
    }

    fn in_class(&self, r: u8, class: RegClass) -> bool {
        match class {
            RegClass::General | RegClass::HighByte | RegClass::Legacy => r < FP && r != X18,
            RegClass::Vector => (V0..V0 + 32).contains(&r),
        }
    }
}

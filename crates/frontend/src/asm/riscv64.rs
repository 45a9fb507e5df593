//! RISC-V 64 inline-assembly facts: register numbering and names (numeric `xN`/`fN` and the
//! ABI names gcc prints), and gcc's RISC-V constraint letters (`f`, `A`, `I`, `J`, `K`).
//!
//! Registers are numbered 0–31 for x0–x31 and 32–63 for f0–f31. Codegen's RISC-V asm printer
//! reads the same tables.

use super::{widen, Allowed, AsmTarget, RegClass};

/// First floating-point register (f0).
pub const F0: u8 = 32;

/// ABI names of x0–x31.
pub const XNAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];
/// ABI names of f0–f31.
pub const FNAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

pub struct Riscv64;

impl AsmTarget for Riscv64 {
    fn letter(&self, c: char, a: &mut Allowed) -> bool {
        let range = match c {
            'f' => {
                widen(a, RegClass::Vector);
                return true;
            }
            // A memory operand whose address is in a register, printed `(reg)`.
            'A' => {
                a.mem = true;
                return true;
            }
            // A 12-bit signed immediate, zero, a 5-bit CSR immediate.
            'I' => (-2048, 2047),
            'J' => (0, 0),
            'K' => (0, 31),
            _ => return false,
        };
        a.imm = Some(range);
        true
    }

    fn reg_by_name(&self, name: &str) -> Option<u8> {
        if name == "fp" {
            return Some(8);
        }
        if let Some(i) = XNAMES.iter().position(|n| *n == name) {
            return Some(i as u8);
        }
        if let Some(i) = FNAMES.iter().position(|n| *n == name) {
            return Some(F0 + i as u8);
        }
        let (kind, num) = name.split_at(1.min(name.len()));
        let n: u8 = num.parse().ok()?;
        match kind {
            "x" if n < 32 => Some(n),
            "f" if n < 32 => Some(F0 + n),
            _ => None,
        }
    }

    fn ignored_clobber(&self, name: &str) -> bool {
        // The thunk never touches the FP control and status register's rounding mode.
        matches!(name, "cc" | "fcsr" | "frm" | "fflags")
    }

    fn in_class(&self, r: u8, class: RegClass) -> bool {
        match class {
            // Not zero, ra, sp, gp, tp, nor the frame pointer s0.
            RegClass::General | RegClass::HighByte | RegClass::Legacy => {
                (5..F0).contains(&r) && r != 8
            }
            RegClass::Vector => (F0..F0 + 32).contains(&r),
        }
    }
}

//! x86-64 inline-assembly facts: register numbering and names, the x86 constraint letters.
//!
//! Registers are numbered 0–15 for the general registers in encoding order (rax, rcx, rdx,
//! rbx, rsp, rbp, rsi, rdi, r8–r15) and 16–31 for xmm0–xmm15. Codegen's x86-64 asm printer
//! reads the same tables.

use super::{widen, Allowed, AsmTarget, RegClass};

pub const RAX: u8 = 0;
pub const RCX: u8 = 1;
pub const RDX: u8 = 2;
pub const RBX: u8 = 3;
pub const RSP: u8 = 4;
pub const RBP: u8 = 5;
pub const RSI: u8 = 6;
pub const RDI: u8 = 7;
/// First vector register (xmm0).
pub const XMM0: u8 = 16;

pub const REG64: [&str; 16] = [
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15",
];
pub const REG32: [&str; 16] = [
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d",
    "r13d", "r14d", "r15d",
];
pub const REG16: [&str; 16] = [
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w",
    "r14w", "r15w",
];
pub const REG8: [&str; 16] = [
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
    "r13b", "r14b", "r15b",
];
/// High-byte names of rax, rcx, rdx, rbx.
pub const REG8H: [&str; 4] = ["ah", "ch", "dh", "bh"];

pub struct X86_64;

impl AsmTarget for X86_64 {
    fn letter(&self, c: char, a: &mut Allowed) -> bool {
        let fixed = match c {
            'a' => RAX,
            'b' => RBX,
            'c' => RCX,
            'd' => RDX,
            'S' => RSI,
            'D' => RDI,
            'q' => {
                // In 64-bit mode every general register has a low byte.
                widen(a, RegClass::General);
                return true;
            }
            'Q' => {
                widen(a, RegClass::HighByte);
                return true;
            }
            'R' => {
                widen(a, RegClass::Legacy);
                return true;
            }
            'l' => {
                widen(a, RegClass::General);
                return true;
            }
            'x' | 'v' => {
                widen(a, RegClass::Vector);
                return true;
            }
            _ => return imm_letter(c, a),
        };
        a.fixed = Some(fixed);
        true
    }

    fn reg_by_name(&self, name: &str) -> Option<u8> {
        let name = name.strip_prefix('%').unwrap_or(name);
        for table in [&REG64, &REG32, &REG16, &REG8] {
            if let Some(i) = table.iter().position(|r| *r == name) {
                return Some(i as u8);
            }
        }
        if let Some(i) = REG8H.iter().position(|r| *r == name) {
            return Some(i as u8);
        }
        let n: u8 = name.strip_prefix("xmm")?.parse().ok()?;
        (n < 16).then_some(XMM0 + n)
    }

    fn ignored_clobber(&self, name: &str) -> bool {
        // The flags are always clobbered by a call; x87 and MMX state is never used by the thunk
        // and is preserved across it only if the template preserves it.
        matches!(name, "cc" | "flags" | "dirflag" | "fpsr" | "fpcr" | "st")
            || name.starts_with("st(")
            || name
                .strip_prefix("mm")
                .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n < 8))
    }

    fn in_class(&self, r: u8, class: RegClass) -> bool {
        match class {
            RegClass::General => r < 16 && r != RSP,
            RegClass::HighByte => r <= RBX,
            RegClass::Legacy => r < 8 && r != RSP,
            RegClass::Vector => (XMM0..XMM0 + 16).contains(&r),
        }
    }
}

/// x86 constant letters and their ranges.
fn imm_letter(c: char, a: &mut Allowed) -> bool {
    let range = match c {
        'I' => (0, 31),
        'J' => (0, 63),
        'K' => (-128, 127),
        'M' => (0, 3),
        'N' => (0, 255),
        'O' => (0, 127),
        'e' => (i32::MIN as i128, i32::MAX as i128),
        'Z' => (0, u32::MAX as i128),
        _ => return false,
    };
    a.imm = Some(range);
    true
}

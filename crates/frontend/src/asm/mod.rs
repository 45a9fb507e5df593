//! GNU inline-assembly constraints: the machine-independent part of the constraint language
//! (`=`, `+`, `&`, matching digits, `r m o i n g X p`) and the per-target hooks for the rest
//! (register letters, register names, constant ranges), so that sema can resolve each operand
//! to one [`crate::ir::AsmPlace`] and codegen only has to allocate and print.

pub mod aarch64;
pub mod riscv64;
pub mod x86_64;

use crate::target::Arch;

/// A set of registers an operand may be given. Targets say which registers belong to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegClass {
    /// Any general-purpose register usable for operands (`r`).
    General,
    /// The general registers with an addressable high byte (x86 `Q`).
    HighByte,
    /// The registers every member of the architecture family has (x86 `R`).
    Legacy,
    /// Vector/floating registers (x86 `x`).
    Vector,
}

/// What one alternative of a constraint allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Register class (the widest one seen: `r` wins over `Q`).
    pub class: Option<RegClass>,
    /// A single register named by a letter (x86 `a`, `D`, ...).
    pub fixed: Option<u8>,
    pub mem: bool,
    /// Constant range (inclusive) if an immediate is allowed.
    pub imm: Option<(i128, i128)>,
    /// A symbol's address is allowed as a constant (`i`, `s`, `g`, `X`; not `n`).
    pub symbol: bool,
    /// A matching constraint: same place as output `n`.
    pub tied: Option<usize>,
}

/// A parsed constraint string (first alternative only: every operand uses alternative 0, which
/// is one consistent choice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub output: bool,
    pub read_write: bool,
    pub early_clobber: bool,
    pub allowed: Allowed,
}

/// Any constant (`i`, `n`).
pub const ANY_IMM: (i128, i128) = (i128::MIN, i128::MAX);

/// The target half of the constraint language and register naming.
pub trait AsmTarget: Sync {
    /// Applies a target constraint letter; `false` if the letter is unknown or unsupported.
    fn letter(&self, c: char, a: &mut Allowed) -> bool;
    /// The register a name denotes (`"eax"`, `"r10"`, `"xmm3"`), for clobbers and
    /// `register ... asm("name")` variables.
    fn reg_by_name(&self, name: &str) -> Option<u8>;
    /// Clobber names that need no action (`"cc"`, `"dirflag"`, x87 state the thunk never uses).
    fn ignored_clobber(&self, name: &str) -> bool;
    /// Whether register `r` belongs to `class`.
    fn in_class(&self, r: u8, class: RegClass) -> bool;
}

/// The asm support of a target, if it has any.
pub fn target(arch: Arch) -> Option<&'static dyn AsmTarget> {
    match arch {
        Arch::X86_64 => Some(&x86_64::X86_64),
        Arch::Aarch64 => Some(&aarch64::Aarch64),
        Arch::Riscv64 => Some(&riscv64::Riscv64),
    }
}

/// Parses a constraint string. Errors name the offending part.
pub fn parse_constraint(t: &dyn AsmTarget, text: &str) -> Result<Constraint, String> {
    let first = text.split(',').next().unwrap_or("");
    let mut c = Constraint {
        output: false,
        read_write: false,
        early_clobber: false,
        allowed: Allowed::default(),
    };
    let chars: Vec<char> = first.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '=' => c.output = true,
            '+' => {
                c.output = true;
                c.read_write = true;
            }
            '&' => c.early_clobber = true,
            // Commutative pair, disparagement, register-preference hints: no effect here.
            '%' | '?' | '!' | '*' | ' ' | '\t' => {}
            '0'..='9' => {
                let mut n = ch as usize - '0' as usize;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    n = n * 10 + (chars[i] as usize - '0' as usize);
                    i += 1;
                }
                c.allowed.tied = Some(n);
            }
            'r' => widen(&mut c.allowed, RegClass::General),
            'm' | 'o' | 'V' => c.allowed.mem = true,
            'n' => c.allowed.imm = Some(ANY_IMM),
            'i' => {
                c.allowed.imm = Some(ANY_IMM);
                c.allowed.symbol = true;
            }
            's' => c.allowed.symbol = true,
            'g' | 'X' => {
                widen(&mut c.allowed, RegClass::General);
                c.allowed.mem = true;
                c.allowed.imm = Some(ANY_IMM);
                c.allowed.symbol = true;
            }
            // An address operand: the value (a pointer) in a register, printed with `%a`.
            'p' => widen(&mut c.allowed, RegClass::General),
            _ => {
                if !t.letter(ch, &mut c.allowed) {
                    return Err(format!("unsupported asm constraint '{ch}' in \"{text}\""));
                }
            }
        }
    }
    let a = &c.allowed;
    if a.class.is_none()
        && a.fixed.is_none()
        && !a.mem
        && a.imm.is_none()
        && a.tied.is_none()
        && !a.symbol
    {
        return Err(format!("asm constraint \"{text}\" allows no operand"));
    }
    Ok(c)
}

/// Adds a register class to what an alternative allows; the general class subsumes the others.
pub fn widen(a: &mut Allowed, class: RegClass) {
    a.class = match (a.class, class) {
        (None, c) => Some(c),
        (Some(RegClass::General), _) | (_, RegClass::General) => Some(RegClass::General),
        (Some(old), _) => Some(old),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_and_letters() {
        let t = target(Arch::X86_64).expect("x86-64 has asm");
        let c = parse_constraint(t, "+&r").expect("valid");
        assert!(c.output && c.read_write && c.early_clobber);
        assert_eq!(c.allowed.class, Some(RegClass::General));
        let c = parse_constraint(t, "=a").expect("valid");
        assert_eq!(c.allowed.fixed, t.reg_by_name("rax"));
        assert_eq!(
            parse_constraint(t, "0").expect("valid").allowed.tied,
            Some(0)
        );
        assert!(parse_constraint(t, "=w").is_err());
        assert!(parse_constraint(t, "rm,r").expect("valid").allowed.mem);
        assert!(parse_constraint(t, "i").expect("valid").allowed.symbol);
        assert!(!parse_constraint(t, "n").expect("valid").allowed.symbol);
    }
}

//! x86-64 asm thunks: register allocation for operands, the thunk's entry and exit, and GNU
//! AT&T template printing (`%0`, `%k0`, `%h0`, `%c0`, `%[name]`, `%%`, `%=`, `{att|intel}`).
//!
//! A thunk is called as `void thunk(block *)` (SysV): `%rdi` points at the operand block,
//! 16 bytes per operand in operand order. It saves every callee-saved register, loads the
//! registers the operands were given, runs the template with `(%rsp)` holding the block
//! pointer and `%rsp` 16-byte aligned, stores the output registers back and returns.

use super::{goto_label, label_ref, operand_ref, OperandInfo, ThunkSpec};
use cfree_frontend::asm::x86_64::{
    self as regs, RBP, RDI, REG16, REG32, REG64, REG8, REG8H, RSP, X86_64, XMM0,
};
use cfree_frontend::asm::{AsmTarget, RegClass};
use cfree_frontend::ir::AsmPlace;
use std::fmt::Write as _;

/// The assembler and its arguments (reads stdin, `-o` is appended).
pub(crate) const ASSEMBLER: (&str, &[&str]) = ("as", &["--64"]);

/// Saved on entry and restored on exit, so templates may clobber them freely.
const CALLEE_SAVED: [&str; 6] = ["rbx", "rbp", "r12", "r13", "r14", "r15"];

/// General registers in allocation order: call-clobbered ones first.
const GPR_ORDER: [u8; 15] = [0, 1, 2, 6, 7, 8, 9, 10, 11, 3, 12, 13, 14, 15, RBP];

/// Where each operand ended up: a register (for memory operands, the one holding the address).
type Assign = Vec<Option<u8>>;

/// The whole thunk text for one asm statement.
pub(crate) fn thunk(spec: &ThunkSpec) -> Result<String, String> {
    let assign = allocate(spec)?;
    let mut out = String::new();
    let name = &spec.name;
    let _ = writeln!(
        out,
        "\t.text\n\t.p2align 4\n\t.type {name},@function\n{name}:"
    );
    for r in CALLEE_SAVED {
        let _ = writeln!(out, "\tpush %{r}");
    }
    out.push_str("\tpush %rdi\n");
    emit_loads(spec, &assign, &mut out);
    out.push_str(&template(spec, &assign)?);
    out.push('\n');
    emit_stores(spec, &assign, &mut out)?;
    if !spec.labels.is_empty() {
        // `asm goto`: every exit stores the outputs, then says in %eax which one it was.
        let _ = writeln!(out, "\tmovl $0, %eax\n\tjmp {name}.end");
        for k in 0..spec.labels.len() {
            let _ = writeln!(out, "{}:", goto_label(spec, k));
            emit_stores(spec, &assign, &mut out)?;
            let _ = writeln!(out, "\tmovl ${}, %eax\n\tjmp {name}.end", k + 1);
        }
        let _ = writeln!(out, "{name}.end:");
    }
    out.push_str("\tadd $8, %rsp\n");
    for r in CALLEE_SAVED.iter().rev() {
        let _ = writeln!(out, "\tpop %{r}");
    }
    let _ = writeln!(out, "\tret\n\t.size {name}, .-{name}");
    Ok(out)
}

fn clobbered(spec: &ThunkSpec, r: u8) -> bool {
    spec.clobbers.contains(&r)
}

/// Gives every register operand (and every memory operand's address) its own register;
/// tied inputs share their output's. Operands never share otherwise, which is always valid.
fn allocate(spec: &ThunkSpec) -> Result<Assign, String> {
    let ops = &spec.ops;
    let mut assign: Assign = vec![None; ops.len()];
    let mut used: Vec<u8> = vec![RSP];
    for (i, op) in ops.iter().enumerate() {
        if let AsmPlace::Fixed(r) = op.place {
            if clobbered(spec, r) {
                return Err(format!(
                    "asm operand {i} uses register '{}' which is also in the clobber list",
                    reg_name(r, 8)
                ));
            }
            let clash = ops[..i].iter().any(|o| {
                o.place == AsmPlace::Fixed(r) && (o.output == op.output || o.early_clobber)
            });
            if clash {
                return Err(format!(
                    "register '{}' is given to more than one asm operand",
                    reg_name(r, 8)
                ));
            }
            assign[i] = Some(r);
            used.push(r);
        }
    }
    // The most restrictive classes first, so that `Q` operands still find a byte register.
    for class in [
        RegClass::HighByte,
        RegClass::Legacy,
        RegClass::General,
        RegClass::Vector,
    ] {
        for (i, op) in ops.iter().enumerate() {
            let wanted = match op.place {
                AsmPlace::Reg(c) if c == class => c,
                AsmPlace::Mem if class == RegClass::General => RegClass::General,
                _ => continue,
            };
            let r = pick(spec, wanted, &used).ok_or_else(|| {
                format!(
                    "asm operand {i} (\"{}\"): no free register left",
                    op.constraint
                )
            })?;
            assign[i] = Some(r);
            used.push(r);
        }
    }
    for (i, op) in ops.iter().enumerate() {
        if let AsmPlace::Tied(n) = op.place {
            assign[i] = assign.get(n).copied().flatten();
        }
    }
    Ok(assign)
}

fn pick(spec: &ThunkSpec, class: RegClass, used: &[u8]) -> Option<u8> {
    let free = |r: &u8| X86_64.in_class(*r, class) && !used.contains(r) && !clobbered(spec, *r);
    if class == RegClass::Vector {
        return (XMM0..XMM0 + 16).find(free);
    }
    GPR_ORDER.iter().copied().find(free)
}

/// Loads what the template reads: inputs, read-write outputs, memory addresses. `%rdi` (the
/// block pointer) is loaded last.
fn emit_loads(spec: &ThunkSpec, assign: &Assign, out: &mut String) {
    let mut loads: Vec<(u8, u32, u64)> = Vec::new();
    for (i, op) in spec.ops.iter().enumerate() {
        let Some(r) = assign[i] else { continue };
        let reads = match op.place {
            AsmPlace::Mem => true,
            AsmPlace::Reg(_) | AsmPlace::Fixed(_) => !op.output || op.read_write,
            AsmPlace::Tied(_) => true,
            AsmPlace::Imm(_) | AsmPlace::Symbol(..) => false,
        };
        if reads {
            loads.push((r, op.offset, op.size));
        }
    }
    loads.sort_by_key(|&(r, _, _)| r == RDI);
    for (r, off, size) in loads {
        let _ = writeln!(
            out,
            "\t{} {off}(%rdi), %{}",
            mov(r, size),
            cell_reg(r, size)
        );
    }
}

/// Stores the output registers into the block through a register no output occupies.
fn emit_stores(spec: &ThunkSpec, assign: &Assign, out: &mut String) -> Result<(), String> {
    let outs: Vec<(u8, u32, u64)> = spec
        .ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.output && matches!(op.place, AsmPlace::Reg(_) | AsmPlace::Fixed(_)))
        .filter_map(|(i, op)| Some((assign[i]?, op.offset, op.size)))
        .collect();
    let Some(base) = GPR_ORDER
        .iter()
        .copied()
        .find(|r| !outs.iter().any(|o| o.0 == *r))
    else {
        return Err("asm statement has too many register outputs".into());
    };
    let b = reg_name(base, 8);
    let _ = writeln!(out, "\tmov (%rsp), %{b}");
    for (r, off, size) in outs {
        let _ = writeln!(
            out,
            "\t{} %{}, {off}(%{b})",
            mov(r, size),
            cell_reg(r, size)
        );
    }
    Ok(())
}

/// The move between a register and its cell: 32-byte operands use the whole ymm register
/// (AVX; only code that was handed such a vector runs it).
fn mov(r: u8, size: u64) -> &'static str {
    match (r >= XMM0, size > 16) {
        (true, true) => "vmovdqu",
        (true, false) => "movdqu",
        _ => "mov",
    }
}

/// The register's name as a whole cell: the general register, or xmm/ymm by operand size.
fn cell_reg(r: u8, size: u64) -> String {
    if r >= XMM0 && size > 16 {
        return format!("ymm{}", r - XMM0);
    }
    reg_name(r, 8)
}

/// The name of register `r` for an operand of `size` bytes.
fn reg_name(r: u8, size: u64) -> String {
    if r >= XMM0 {
        return format!("xmm{}", r - XMM0);
    }
    let i = r as usize & 15;
    match size {
        1 => REG8[i],
        2 => REG16[i],
        4 => REG32[i],
        _ => REG64[i],
    }
    .to_string()
}

/// Prints the template with operands substituted.
fn template(spec: &ThunkSpec, assign: &Assign) -> Result<String, String> {
    if spec.basic {
        return Ok(spec.template.clone());
    }
    let s: Vec<char> = spec.template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Inside `{att|intel}`: 0 = printing the AT&T part, 1 = skipping the others.
    let mut alt: Option<u8> = None;
    while i < s.len() {
        let c = s[i];
        i += 1;
        match c {
            '{' if alt.is_none() => {
                alt = Some(0);
                continue;
            }
            '|' if alt.is_some() => {
                alt = Some(1);
                continue;
            }
            '}' if alt.is_some() => {
                alt = None;
                continue;
            }
            _ => {}
        }
        let skipping = alt == Some(1);
        if c != '%' {
            if !skipping {
                out.push(c);
            }
            continue;
        }
        let (text, next) = percent(spec, assign, &s, i)?;
        i = next;
        if !skipping {
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// Expands the `%` sequence whose first character after `%` is at `s[i]`.
fn percent(
    spec: &ThunkSpec,
    assign: &Assign,
    s: &[char],
    i: usize,
) -> Result<(String, usize), String> {
    let Some(&c) = s.get(i) else {
        return Err("asm template ends with '%'".into());
    };
    match c {
        '%' | '{' | '|' | '}' => return Ok((c.to_string(), i + 1)),
        '=' => return Ok((spec.unique.to_string(), i + 1)),
        _ => {}
    }
    let (modifier, j) = if c.is_ascii_alphabetic() {
        (Some(c), i + 1)
    } else {
        (None, i)
    };
    if modifier == Some('l') {
        let (k, end) = label_ref(spec, s, j)
            .ok_or_else(|| "invalid asm goto label reference in asm template".to_string())?;
        return Ok((goto_label(spec, k), end));
    }
    let (n, end) = operand_ref(spec, s, j).ok_or_else(|| {
        format!(
            "invalid operand reference '%{}' in asm template",
            s[i..].iter().take(3).collect::<String>()
        )
    })?;
    let text = operand(&spec.ops[n], assign[n], modifier, n)?;
    Ok((text, end))
}

/// One operand as the template asks for it (`modifier` is the letter between `%` and the
/// operand number, if any).
fn operand(
    op: &OperandInfo,
    reg: Option<u8>,
    modifier: Option<char>,
    n: usize,
) -> Result<String, String> {
    let bad = || {
        format!(
            "invalid asm operand modifier '%{}' for operand {n}",
            modifier.unwrap_or(' ')
        )
    };
    let suffix = || match op.size {
        1 => Ok("b".to_string()),
        2 => Ok("w".to_string()),
        4 => Ok("l".to_string()),
        8 => Ok("q".to_string()),
        _ => Err(bad()),
    };
    match (&op.place, reg) {
        (AsmPlace::Imm(v), _) => match modifier {
            None | Some('b' | 'w' | 'k' | 'q') => Ok(format!("${v}")),
            Some('c' | 'P' | 'a') => Ok(v.to_string()),
            Some('n') => Ok((-v).to_string()),
            Some('z') => suffix(),
            _ => Err(bad()),
        },
        (AsmPlace::Symbol(_, off), _) => {
            let name = op.symbol.as_deref().unwrap_or("0");
            let c = match off {
                0 => name.to_string(),
                o if *o > 0 => format!("{name}+{o}"),
                o => format!("{name}{o}"),
            };
            match modifier {
                None => Ok(format!("${c}")),
                Some('c' | 'P' | 'a') => Ok(c),
                _ => Err(bad()),
            }
        }
        (AsmPlace::Mem, Some(r)) => match modifier {
            None | Some('b' | 'w' | 'k' | 'q' | 'P') => Ok(format!("(%{})", reg_name(r, 8))),
            Some('H') => Ok(format!("8(%{})", reg_name(r, 8))),
            Some('z') => suffix(),
            _ => Err(bad()),
        },
        (_, Some(r)) if r >= XMM0 => match modifier {
            None if op.size == 32 => Ok(format!("%ymm{}", r - XMM0)),
            None | Some('x') => Ok(format!("%xmm{}", r - XMM0)),
            Some('t') => Ok(format!("%ymm{}", r - XMM0)),
            Some('g') => Ok(format!("%zmm{}", r - XMM0)),
            _ => Err(bad()),
        },
        (_, Some(r)) => match modifier {
            None | Some('P') => Ok(format!("%{}", reg_name(r, op.size))),
            Some('b') => Ok(format!("%{}", reg_name(r, 1))),
            Some('w') => Ok(format!("%{}", reg_name(r, 2))),
            Some('k') => Ok(format!("%{}", reg_name(r, 4))),
            Some('q') => Ok(format!("%{}", reg_name(r, 8))),
            Some('h') if r <= regs::RBX => Ok(format!("%{}", REG8H[r as usize])),
            Some('a') => Ok(format!("(%{})", reg_name(r, 8))),
            Some('z') => suffix(),
            _ => Err(bad()),
        },
        _ => Err(format!("asm operand {n} has no place (internal)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(place: AsmPlace, output: bool, size: u64, offset: u32) -> OperandInfo {
        OperandInfo {
            name: None,
            constraint: String::new(),
            place,
            output,
            read_write: false,
            early_clobber: false,
            size,
            offset,
            symbol: None,
        }
    }

    fn spec(template: &str, ops: Vec<OperandInfo>, clobbers: Vec<u8>) -> ThunkSpec {
        ThunkSpec {
            name: "t".into(),
            template: template.into(),
            basic: false,
            ops,
            clobbers,
            unique: 7,
            labels: Vec::new(),
        }
    }

    #[test]
    fn operands_modifiers_and_escapes() {
        let s = spec(
            "mov %1, %0 ; %k1 %b1 %w1 %q1 %h1 ; %2 %c2 ; %3 %z3 ; %% %= {a|b}",
            vec![
                op(AsmPlace::Reg(RegClass::General), true, 8, 0),
                op(AsmPlace::Fixed(regs::RBX), false, 4, 16),
                op(AsmPlace::Imm(42), false, 4, 32),
                op(AsmPlace::Mem, false, 2, 48),
            ],
            vec![],
        );
        let assign = allocate(&s).expect("registers");
        assert_eq!(assign[1], Some(regs::RBX));
        let t = template(&s, &assign).expect("prints");
        assert_eq!(
            t,
            "mov %ebx, %rax ; %ebx %bl %bx %rbx %bh ; $42 42 ; (%rcx) w ; % 7 a"
        );
    }

    #[test]
    fn clobbers_are_not_allocated_and_conflicts_are_errors() {
        let s = spec(
            "",
            vec![op(AsmPlace::Reg(RegClass::General), true, 8, 0)],
            vec![regs::RAX, regs::RCX],
        );
        assert_eq!(allocate(&s).expect("registers")[0], Some(regs::RDX));
        let s = spec(
            "",
            vec![op(AsmPlace::Fixed(regs::RAX), true, 8, 0)],
            vec![regs::RAX],
        );
        assert!(allocate(&s).is_err());
        let s = spec("%l0", vec![op(AsmPlace::Imm(1), false, 4, 0)], vec![]);
        assert!(template(&s, &allocate(&s).expect("registers")).is_err());
        let s = spec("%3", vec![op(AsmPlace::Imm(1), false, 4, 0)], vec![]);
        assert!(template(&s, &allocate(&s).expect("registers")).is_err());
    }
}

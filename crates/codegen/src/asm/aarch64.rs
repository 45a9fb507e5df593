//! AArch64 asm thunks: register allocation for operands, the thunk's entry and exit, and GNU
//! template printing as gcc does it for AArch64 (`%0` by the operand's size: `w`/`x` for
//! general registers, `s`/`d`/`v` for SIMD ones; `%w0`, `%x0`, `%s0`, `%d0`, `%q0`, `%b0`,
//! `%h0`, `%c0`, `%[name]`, `%%`, `%=`, `%l` labels).
//!
//! A thunk is called as `void thunk(block *)` (AAPCS64): `x0` points at the operand block,
//! one cell per operand. It saves x19–x28, d8–d15 and the frame record, keeps the block
//! pointer at `[sp, #64]`, loads the registers the operands were given, runs the template,
//! stores the output registers back and returns (`asm goto`: the label taken in `w0`).

use super::{expand_template, goto_label, OperandInfo, ThunkSpec};
use cfree_frontend::asm::aarch64::{Aarch64, V0};
use cfree_frontend::asm::{AsmTarget, RegClass};
use cfree_frontend::ir::AsmPlace;
use std::fmt::Write as _;

/// The assembler and its arguments (reads stdin, `-o` is appended). Debian's binutils name
/// it by the triplet on AArch64 hosts as well.
pub(crate) const ASSEMBLER: (&str, &[&str]) = ("aarch64-linux-gnu-as", &[]);

/// General registers in allocation order: call-clobbered ones first (x0, the block pointer,
/// after them), then the callee-saved ones the thunk saves. Never x18, x29, x30.
const GPR_ORDER: [u8; 27] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26,
    27,
];

type Assign = Vec<Option<u8>>;

/// The whole thunk text for one asm statement.
pub(crate) fn thunk(spec: &ThunkSpec) -> Result<String, String> {
    let assign = allocate(spec)?;
    let name = &spec.name;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\t.text\n\t.p2align 4\n\t.type {name},%function\n{name}:\n\
         \tstp x29, x30, [sp, #-96]!\n\tmov x29, sp\n\
         \tstp x19, x20, [sp, #16]\n\tstp x21, x22, [sp, #32]\n\tstp x23, x24, [sp, #48]\n\
         \tstp x25, x26, [sp, #64]\n\tstp x27, x28, [sp, #80]\n\
         \tsub sp, sp, #80\n\tstp d8, d9, [sp]\n\tstp d10, d11, [sp, #16]\n\
         \tstp d12, d13, [sp, #32]\n\tstp d14, d15, [sp, #48]\n\tstr x0, [sp, #64]"
    );
    emit_loads(spec, &assign, &mut out);
    out.push_str(&template(spec, &assign)?);
    out.push('\n');
    emit_stores(spec, &assign, &mut out)?;
    if !spec.labels.is_empty() {
        let _ = writeln!(out, "\tmov w0, #0\n\tb {name}.end");
        for k in 0..spec.labels.len() {
            let _ = writeln!(out, "{}:", goto_label(spec, k));
            emit_stores(spec, &assign, &mut out)?;
            let _ = writeln!(out, "\tmov w0, #{}\n\tb {name}.end", k + 1);
        }
        let _ = writeln!(out, "{name}.end:");
    }
    let _ = writeln!(
        out,
        "\tldp d8, d9, [sp]\n\tldp d10, d11, [sp, #16]\n\tldp d12, d13, [sp, #32]\n\
         \tldp d14, d15, [sp, #48]\n\tadd sp, sp, #80\n\
         \tldp x19, x20, [sp, #16]\n\tldp x21, x22, [sp, #32]\n\tldp x23, x24, [sp, #48]\n\
         \tldp x25, x26, [sp, #64]\n\tldp x27, x28, [sp, #80]\n\
         \tldp x29, x30, [sp], #96\n\tret\n\t.size {name}, .-{name}"
    );
    Ok(out)
}

fn clobbered(spec: &ThunkSpec, r: u8) -> bool {
    spec.clobbers.contains(&r)
}

/// Every register operand (and every memory operand's address) gets its own register; tied
/// inputs share their output's.
fn allocate(spec: &ThunkSpec) -> Result<Assign, String> {
    let ops = &spec.ops;
    let mut assign: Assign = vec![None; ops.len()];
    let mut used: Vec<u8> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if let AsmPlace::Fixed(r) = op.place {
            if clobbered(spec, r) {
                return Err(format!(
                    "asm operand {i} uses register '{}' which is also in the clobber list",
                    reg_name(r, 8)
                ));
            }
            if ops[..i].iter().any(|o| {
                o.place == AsmPlace::Fixed(r) && (o.output == op.output || o.early_clobber)
            }) {
                return Err(format!(
                    "register '{}' is given to more than one asm operand",
                    reg_name(r, 8)
                ));
            }
            assign[i] = Some(r);
            used.push(r);
        }
    }
    for (i, op) in ops.iter().enumerate() {
        let class = match op.place {
            AsmPlace::Reg(RegClass::Vector) => RegClass::Vector,
            AsmPlace::Reg(_) | AsmPlace::Mem => RegClass::General,
            _ => continue,
        };
        let free =
            |r: &u8| Aarch64.in_class(*r, class) && !used.contains(r) && !clobbered(spec, *r);
        let r = if class == RegClass::Vector {
            (V0..V0 + 32).find(free)
        } else {
            GPR_ORDER.iter().copied().find(free)
        }
        .ok_or_else(|| {
            format!(
                "asm operand {i} (\"{}\"): no free register left",
                op.constraint
            )
        })?;
        assign[i] = Some(r);
        used.push(r);
    }
    for (i, op) in ops.iter().enumerate() {
        if let AsmPlace::Tied(n) = op.place {
            assign[i] = assign.get(n).copied().flatten();
        }
    }
    Ok(assign)
}

/// The whole-cell name of a register: `xN`, or `qN` for a SIMD register.
fn cell_reg(r: u8) -> String {
    if r >= V0 {
        format!("q{}", r - V0)
    } else {
        format!("x{r}")
    }
}

/// Loads what the template reads; x0 (the block pointer) last.
fn emit_loads(spec: &ThunkSpec, assign: &Assign, out: &mut String) {
    let mut loads: Vec<(u8, u32)> = Vec::new();
    for (i, op) in spec.ops.iter().enumerate() {
        let Some(r) = assign[i] else { continue };
        let reads = match op.place {
            AsmPlace::Mem | AsmPlace::Tied(_) => true,
            AsmPlace::Reg(_) | AsmPlace::Fixed(_) => !op.output || op.read_write,
            AsmPlace::Imm(_) | AsmPlace::Symbol(..) => false,
        };
        if reads {
            loads.push((r, op.offset));
        }
    }
    loads.sort_by_key(|&(r, _)| r == 0);
    for (r, off) in loads {
        let _ = writeln!(out, "\tldr {}, [x0, #{off}]", cell_reg(r));
    }
}

/// Stores the output registers through a register no output occupies.
fn emit_stores(spec: &ThunkSpec, assign: &Assign, out: &mut String) -> Result<(), String> {
    let outs: Vec<(u8, u32)> = spec
        .ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.output && matches!(op.place, AsmPlace::Reg(_) | AsmPlace::Fixed(_)))
        .filter_map(|(i, op)| Some((assign[i]?, op.offset)))
        .collect();
    let Some(base) = GPR_ORDER
        .iter()
        .copied()
        .find(|r| !outs.iter().any(|o| o.0 == *r))
    else {
        return Err("asm statement has too many register outputs".into());
    };
    let _ = writeln!(out, "\tldr x{base}, [sp, #64]");
    for (r, off) in outs {
        let _ = writeln!(out, "\tstr {}, [x{base}, #{off}]", cell_reg(r));
    }
    Ok(())
}

/// The name of register `r` for an operand of `size` bytes, as gcc prints it with no
/// modifier.
fn reg_name(r: u8, size: u64) -> String {
    if r >= V0 {
        let n = r - V0;
        return match size {
            4 => format!("s{n}"),
            8 => format!("d{n}"),
            _ => format!("v{n}"),
        };
    }
    if size <= 4 {
        format!("w{r}")
    } else {
        format!("x{r}")
    }
}

/// Prints the template with operands substituted.
fn template(spec: &ThunkSpec, assign: &Assign) -> Result<String, String> {
    expand_template(spec, |n, modifier| {
        operand(&spec.ops[n], assign[n], modifier, n)
    })
}

/// One operand as the template asks for it.
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
    match (&op.place, reg) {
        (AsmPlace::Imm(v), _) => match modifier {
            None | Some('c' | 'x' | 'w') => Ok(v.to_string()),
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
                None | Some('c') => Ok(c),
                _ => Err(bad()),
            }
        }
        (AsmPlace::Mem, Some(r)) => match modifier {
            None | Some('m') => Ok(format!("[x{r}]")),
            _ => Err(bad()),
        },
        (_, Some(r)) if r >= V0 => {
            let v = r - V0;
            match modifier {
                None => Ok(reg_name(r, op.size)),
                Some('b') => Ok(format!("b{v}")),
                Some('h') => Ok(format!("h{v}")),
                Some('s') => Ok(format!("s{v}")),
                Some('d') => Ok(format!("d{v}")),
                Some('q') => Ok(format!("q{v}")),
                _ => Err(bad()),
            }
        }
        (_, Some(r)) => match modifier {
            None => Ok(reg_name(r, op.size)),
            Some('w') => Ok(format!("w{r}")),
            Some('x') => Ok(format!("x{r}")),
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

    #[test]
    fn operands_print_as_gcc_does_for_aarch64() {
        let s = ThunkSpec {
            name: "t".into(),
            template: "add %0, %1, %2 ; %x1 %w0 ; %3 %d3 ; %4 ; %% %=".into(),
            basic: false,
            ops: vec![
                op(AsmPlace::Reg(RegClass::General), true, 4, 0),
                op(AsmPlace::Reg(RegClass::General), false, 4, 32),
                op(AsmPlace::Imm(7), false, 4, 64),
                op(AsmPlace::Reg(RegClass::Vector), false, 8, 96),
                op(AsmPlace::Mem, false, 8, 128),
            ],
            clobbers: vec![2],
            unique: 3,
            labels: Vec::new(),
        };
        let a = allocate(&s).expect("registers");
        assert_eq!(
            template(&s, &a).expect("prints"),
            "add w1, w3, 7 ; x3 w1 ; d0 d0 ; [x4] ; % 3"
        );
        assert!(thunk(&s).expect("thunk").contains("ldr q0, [x0, #96]"));
    }
}

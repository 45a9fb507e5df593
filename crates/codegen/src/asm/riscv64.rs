//! RISC-V 64 asm thunks: register allocation for operands, the thunk's entry and exit, and
//! GNU template printing as gcc does it for RISC-V (`%0` as the register's ABI name, a memory
//! operand as `0(reg)`, `%z0` giving `zero` for a constant 0, `%i0` an `i` for a constant,
//! `%[name]`, `%%`, `%=`, `%l` labels).
//!
//! A thunk is called as `void thunk(block *)`: `a0` points at the operand block, one cell per
//! operand. It saves `ra`, `s0`-`s11` and `fs0`-`fs11`, keeps the block pointer at `0(sp)`,
//! loads the registers the operands were given, runs the template, stores the output
//! registers back and returns (`asm goto`: the label taken in `a0`).

use super::{expand_template, goto_label, OperandInfo, ThunkSpec};
use cfree_frontend::asm::riscv64::{Riscv64, F0, FNAMES, XNAMES};
use cfree_frontend::asm::{AsmTarget, RegClass};
use cfree_frontend::ir::AsmPlace;
use std::fmt::Write as _;

/// The assembler and its arguments (reads stdin, `-o` is appended): riscv64gc, LP64D, and no
/// linker relaxation (the code is copied into an object that is not relaxed as a whole).
pub(crate) const ASSEMBLER: (&str, &[&str]) = (
    "riscv64-linux-gnu-as",
    &["-march=rv64gc", "-mabi=lp64d", "-mno-relax"],
);

/// General registers in allocation order: call-clobbered ones first (t0-t2, a1-a7, t3-t6,
/// then a0, the block pointer), then the callee-saved ones the thunk saves (s1-s11). Never
/// zero, ra, sp, gp, tp or s0.
const GPR_ORDER: [u8; 26] = [
    5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31, 10, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27,
];
/// Callee-saved registers: s1-s11 and fs0-fs11.
const SAVED_X: [u8; 11] = [9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
const SAVED_F: [u8; 12] = [8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
/// The thunk's frame: block pointer, fs0-fs11, s1-s11, s0, ra (16-aligned).
const FRAME: u32 = 208;

type Assign = Vec<Option<u8>>;

/// The whole thunk text for one asm statement.
pub(crate) fn thunk(spec: &ThunkSpec) -> Result<String, String> {
    let assign = allocate(spec)?;
    let name = &spec.name;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\t.text\n\t.p2align 4\n\t.type {name},%function\n{name}:\n\
         \taddi sp, sp, -{FRAME}\n\tsd ra, {}(sp)\n\tsd s0, {}(sp)",
        FRAME - 8,
        FRAME - 16
    );
    save_restore(&mut out, "sd", "fsd");
    out.push_str("\tsd a0, 0(sp)\n");
    emit_loads(spec, &assign, &mut out);
    out.push_str(&template(spec, &assign)?);
    out.push('\n');
    emit_stores(spec, &assign, &mut out)?;
    if !spec.labels.is_empty() {
        let _ = writeln!(out, "\tli a0, 0\n\tj {name}.end");
        for k in 0..spec.labels.len() {
            let _ = writeln!(out, "{}:", goto_label(spec, k));
            emit_stores(spec, &assign, &mut out)?;
            let _ = writeln!(out, "\tli a0, {}\n\tj {name}.end", k + 1);
        }
        let _ = writeln!(out, "{name}.end:");
    }
    save_restore(&mut out, "ld", "fld");
    let _ = writeln!(
        out,
        "\tld ra, {}(sp)\n\tld s0, {}(sp)\n\taddi sp, sp, {FRAME}\n\tret\n\t.size {name}, .-{name}",
        FRAME - 8,
        FRAME - 16
    );
    Ok(out)
}

/// Saves (or restores) the callee-saved registers in their frame slots.
fn save_restore(out: &mut String, x_op: &str, f_op: &str) {
    for (k, f) in SAVED_F.iter().enumerate() {
        let _ = writeln!(out, "\t{f_op} {}, {}(sp)", FNAMES[*f as usize], 8 + 8 * k);
    }
    for (k, x) in SAVED_X.iter().enumerate() {
        let _ = writeln!(out, "\t{x_op} {}, {}(sp)", XNAMES[*x as usize], 104 + 8 * k);
    }
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
                    reg_name(r)
                ));
            }
            if ops[..i].iter().any(|o| {
                o.place == AsmPlace::Fixed(r) && (o.output == op.output || o.early_clobber)
            }) {
                return Err(format!(
                    "register '{}' is given to more than one asm operand",
                    reg_name(r)
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
            |r: &u8| Riscv64.in_class(*r, class) && !used.contains(r) && !clobbered(spec, *r);
        let r = if class == RegClass::Vector {
            (F0..F0 + 32).find(free)
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

/// The load or store of a whole cell for register `r`.
fn cell_op(r: u8, store: bool) -> &'static str {
    match (r >= F0, store) {
        (true, false) => "fld",
        (true, true) => "fsd",
        (false, false) => "ld",
        (false, true) => "sd",
    }
}

/// Loads what the template reads; a0 (the block pointer) last.
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
    loads.sort_by_key(|&(r, _)| r == 10);
    for (r, off) in loads {
        let _ = writeln!(out, "\t{} {}, {off}(a0)", cell_op(r, false), reg_name(r));
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
    let _ = writeln!(out, "\tld {}, 0(sp)", reg_name(base));
    for (r, off) in outs {
        let _ = writeln!(
            out,
            "\t{} {}, {off}({})",
            cell_op(r, true),
            reg_name(r),
            reg_name(base)
        );
    }
    Ok(())
}

/// The ABI name of register `r`, as gcc prints it.
fn reg_name(r: u8) -> &'static str {
    if r >= F0 {
        FNAMES[usize::from(r - F0) % 32]
    } else {
        XNAMES[usize::from(r) % 32]
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
            None => Ok(v.to_string()),
            Some('z') if *v == 0 => Ok("zero".into()),
            Some('z') => Ok(v.to_string()),
            Some('i') => Ok("i".into()),
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
                None => Ok(c),
                Some('i') => Ok("i".into()),
                _ => Err(bad()),
            }
        }
        (AsmPlace::Mem, Some(r)) => match modifier {
            None => Ok(format!("0({})", reg_name(r))),
            _ => Err(bad()),
        },
        (_, Some(r)) => match modifier {
            None | Some('z') => Ok(reg_name(r).to_string()),
            Some('i') => Ok(String::new()),
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
    fn operands_print_as_gcc_does_for_riscv() {
        let s = ThunkSpec {
            name: "t".into(),
            template: "add%i2 %0, %1, %2 ; %z3 ; %4 ; %5 ; %% %=".into(),
            basic: false,
            ops: vec![
                op(AsmPlace::Reg(RegClass::General), true, 4, 0),
                op(AsmPlace::Reg(RegClass::General), false, 4, 32),
                op(AsmPlace::Imm(7), false, 4, 64),
                op(AsmPlace::Imm(0), false, 4, 96),
                op(AsmPlace::Mem, false, 8, 128),
                op(AsmPlace::Reg(RegClass::Vector), false, 8, 160),
            ],
            clobbers: vec![6],
            unique: 3,
            labels: Vec::new(),
        };
        let a = allocate(&s).expect("registers");
        assert_eq!(
            template(&s, &a).expect("prints"),
            "addi t0, t2, 7 ; zero ; 0(a1) ; ft0 ; % 3"
        );
        assert!(thunk(&s).expect("thunk").contains("fld ft0, 160(a0)"));
    }
}

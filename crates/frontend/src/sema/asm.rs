//! Sema of GNU `asm` statements: resolves each operand's constraint to one place (register
//! class, fixed register, memory, constant) using the target's constraint letters
//! (`crate::asm`), checks operands (lvalues for outputs, constants for `i`), and maps clobbers
//! to register numbers. Codegen then allocates and prints; it never reads constraint strings.

use super::{lit, Sema, R};
use crate::asm::{self as casm, AsmTarget, Constraint};
use crate::ir::*;
use crate::source::Loc;
use crate::types::TypeTable;
use lang_c::ast;
use lang_c::span::Node;

impl<'a> Sema<'a> {
    pub(super) fn asm_stmt(&mut self, a: &ast::AsmStatement, loc: Loc) -> R<StmtKind> {
        let Some(t) = casm::target(self.arch) else {
            return self.error(
                loc,
                "inline assembly is not supported by cfree on this target",
            );
        };
        let x = match a {
            ast::AsmStatement::GnuBasic(s) => {
                let template = lit::string_literal_text(&s.node);
                if template.trim().is_empty() {
                    return Ok(StmtKind::Block(Vec::new()));
                }
                return Ok(StmtKind::Asm(Box::new(AsmStmt {
                    template,
                    basic: true,
                    volatile: true,
                    outputs: Vec::new(),
                    inputs: Vec::new(),
                    clobbers: Vec::new(),
                    labels: Vec::new(),
                })));
            }
            ast::AsmStatement::GnuExtended(x) => x,
        };
        let template = lit::string_literal_text(&x.template.node);
        let mut labels = Vec::new();
        for c in &x.clobbers {
            let text = lit::string_literal_text(&c.node);
            if let Some(name) = text.strip_prefix(crate::lower::ASM_GOTO_LABEL) {
                let l = self.loc(c.span);
                labels.push((name.to_string(), self.label_id(name, l, false)?));
            }
        }
        if template.trim().is_empty()
            && x.outputs.is_empty()
            && x.inputs.is_empty()
            && labels.is_empty()
        {
            // `asm volatile("" ::: "memory")`: a compiler barrier. Every call is one already.
            return Ok(StmtKind::Block(Vec::new()));
        }
        let volatile = x
            .qualifier
            .as_ref()
            .is_some_and(|q| matches!(q.node, ast::TypeQualifier::Volatile));
        let mut outputs = Vec::new();
        for op in &x.outputs {
            outputs.push(self.asm_output(t, op)?);
        }
        let mut inputs = Vec::new();
        for op in &x.inputs {
            inputs.push(self.asm_input(t, op, &outputs)?);
        }
        let mut clobbers = Vec::new();
        for c in &x.clobbers {
            let name = lit::string_literal_text(&c.node);
            if name.starts_with(crate::lower::ASM_GOTO_LABEL) {
                continue;
            }
            if name == "memory" || t.ignored_clobber(&name) {
                continue;
            }
            match t.reg_by_name(&name) {
                Some(r) => clobbers.push(r),
                None => {
                    let l = self.loc(c.span);
                    return self.error(l, format!("unknown register name '{name}' in asm"));
                }
            }
        }
        Ok(StmtKind::Asm(Box::new(AsmStmt {
            template,
            basic: false,
            volatile,
            outputs,
            inputs,
            clobbers,
            labels,
        })))
    }

    fn asm_constraint(&mut self, t: &dyn AsmTarget, op: &ast::GnuAsmOperand) -> R<Constraint> {
        let text = lit::string_literal_text(&op.constraints.node);
        match casm::parse_constraint(t, &text) {
            Ok(c) => Ok(c),
            Err(msg) => {
                let l = self.loc(op.constraints.span);
                self.error(l, msg)
            }
        }
    }

    fn asm_output(&mut self, t: &dyn AsmTarget, op: &Node<ast::GnuAsmOperand>) -> R<AsmOperand> {
        let loc = self.loc(op.span);
        let c = self.asm_constraint(t, &op.node)?;
        let text = lit::string_literal_text(&op.node.constraints.node);
        if !c.output {
            return self.error(
                loc,
                format!("output operand constraint \"{text}\" lacks '='"),
            );
        }
        let e = self.expr_no_decay(&op.node.variable_name)?;
        if !e.is_lvalue() || self.types.is_array(e.ty) {
            return self.error(e.loc, "invalid lvalue in asm output");
        }
        if let ExprKind::Member { bit: Some(_), .. } = e.kind {
            if c.allowed.class.is_none() && c.allowed.fixed.is_none() {
                return self.error(e.loc, "bit-field in asm memory operand");
            }
        }
        if c.allowed.tied.is_some() {
            return self.error(loc, "matching constraint not valid in output operand");
        }
        let place = self.asm_place(t, &c, &e, &text, None)?;
        if place == AsmPlace::Mem {
            self.asm_mem_lvalue(&e)?;
        }
        Ok(AsmOperand {
            name: op.node.symbolic_name.as_ref().map(|n| n.node.name.clone()),
            constraint: text,
            place,
            read_write: c.read_write,
            early_clobber: c.early_clobber,
            expr: e,
            loc,
        })
    }

    fn asm_input(
        &mut self,
        t: &dyn AsmTarget,
        op: &Node<ast::GnuAsmOperand>,
        outputs: &[AsmOperand],
    ) -> R<AsmOperand> {
        let loc = self.loc(op.span);
        let c = self.asm_constraint(t, &op.node)?;
        let text = lit::string_literal_text(&op.node.constraints.node);
        if c.output {
            return self.error(
                loc,
                format!("input operand constraint \"{text}\" contains '='/'+'"),
            );
        }
        let lv = self.expr_no_decay(&op.node.variable_name)?;
        let value = self.rvalue(lv.clone());
        let konst = self
            .const_int(&value)
            .filter(|_| self.types.is_integer(value.ty));
        let place = if let Some(n) = c.allowed.tied {
            let Some(o) = outputs.get(n) else {
                return self.error(
                    loc,
                    format!("matching constraint references invalid operand number {n}"),
                );
            };
            if !matches!(o.place, AsmPlace::Reg(_) | AsmPlace::Fixed(_)) {
                return self.error(loc, format!("matching constraint \"{text}\" refers to an output that is not in a register"));
            }
            AsmPlace::Tied(n)
        } else if let (true, Some(super::init::CVal::Addr(s, off))) =
            (c.allowed.symbol, self.const_eval(&value))
        {
            AsmPlace::Symbol(s, off)
        } else {
            self.asm_place(t, &c, &lv, &text, konst)?
        };
        let expr = match place {
            AsmPlace::Symbol(..) => value,
            AsmPlace::Mem => {
                if !lv.is_lvalue() {
                    return self.error(
                        loc,
                        format!("memory input \"{text}\" is not directly addressable"),
                    );
                }
                self.asm_mem_lvalue(&lv)?;
                lv
            }
            _ => {
                self.asm_value_fits(&value, &text)?;
                value
            }
        };
        Ok(AsmOperand {
            name: op.node.symbolic_name.as_ref().map(|n| n.node.name.clone()),
            constraint: text,
            place,
            read_write: false,
            early_clobber: false,
            expr,
            loc,
        })
    }

    /// One place for an operand: a constant if allowed and available, else a register (the
    /// variable's own for `register ... asm("reg")`), else memory.
    fn asm_place(
        &mut self,
        t: &dyn AsmTarget,
        c: &Constraint,
        e: &Expr,
        text: &str,
        konst: Option<i128>,
    ) -> R<AsmPlace> {
        let a = &c.allowed;
        if let (Some((lo, hi)), Some(v)) = (a.imm, konst) {
            if v >= lo && v <= hi {
                return Ok(AsmPlace::Imm(v));
            }
            if a.class.is_none() && a.fixed.is_none() && !a.mem {
                return self.error(
                    e.loc,
                    format!("constant {v} out of range for asm constraint \"{text}\""),
                );
            }
        }
        if a.class == Some(casm::RegClass::Vector) && self.asm_vector_value(e.ty) {
            // A 16- or 32-byte GNU vector in an xmm or ymm register ("x", "v").
            return Ok(AsmPlace::Reg(casm::RegClass::Vector));
        }
        let fits_reg = self.types.is_scalar(e.ty) && self.types.size(e.ty) <= 8;
        if fits_reg {
            if let Some(class) = a.class {
                if let Some(r) = self.register_var(e) {
                    if t.in_class(r, class) {
                        return Ok(AsmPlace::Fixed(r));
                    }
                }
                return Ok(AsmPlace::Reg(class));
            }
            if let Some(r) = a.fixed {
                return Ok(AsmPlace::Fixed(r));
            }
        }
        if a.mem {
            return Ok(AsmPlace::Mem);
        }
        if (a.imm.is_some() || a.symbol) && a.class.is_none() && a.fixed.is_none() {
            return self.error(
                e.loc,
                format!("asm operand \"{text}\" needs an integer constant expression"),
            );
        }
        let ty = self.types.display(e.ty);
        self.error(
            e.loc,
            format!("asm operand of type '{ty}' does not fit a register (constraint \"{text}\")"),
        )
    }

    /// The register of a `register T v asm("reg")` variable named directly by an operand.
    fn register_var(&self, e: &Expr) -> Option<u8> {
        let id = match &e.kind {
            ExprKind::Local(id) => *id,
            ExprKind::Load(x) => match x.kind {
                ExprKind::Local(id) => id,
                _ => return None,
            },
            _ => return None,
        };
        self.f.as_ref()?.reg_vars.get(&id.0).copied()
    }

    fn asm_mem_lvalue(&mut self, e: &Expr) -> R<()> {
        if let ExprKind::Member { bit: Some(_), .. } = e.kind {
            return self.error(e.loc, "bit-field in asm memory operand");
        }
        self.mark_addr_taken(e);
        Ok(())
    }

    /// A GNU vector that fills an xmm (16 bytes) or ymm (32 bytes) register.
    fn asm_vector_value(&self, ty: crate::types::TypeId) -> bool {
        self.types.is_vector(ty) && matches!(self.types.size(ty), 16 | 32)
    }

    fn asm_value_fits(&mut self, v: &Expr, text: &str) -> R<()> {
        if self.asm_vector_value(v.ty) {
            return Ok(());
        }
        if v.ty == TypeTable::VOID || !self.types.is_scalar(v.ty) || self.types.size(v.ty) > 8 {
            let ty = self.types.display(v.ty);
            return self.error(
                v.loc,
                format!(
                    "asm operand of type '{ty}' does not fit a register (constraint \"{text}\")"
                ),
            );
        }
        Ok(())
    }

    /// Records `register T v asm("reg")`: operands naming `v` use that register.
    pub(super) fn declare_register_var(&mut self, local: LocalId, name: &str, loc: Loc) -> R<()> {
        let Some(t) = casm::target(self.arch) else {
            return Ok(());
        };
        let Some(r) = t.reg_by_name(name) else {
            return self.error(
                loc,
                format!("invalid register name '{name}' for register variable"),
            );
        };
        if let Some(f) = self.f.as_mut() {
            f.reg_vars.insert(local.0, r);
        }
        Ok(())
    }

    /// A file-scope `asm("...")`, which lowering turned into a declaration of
    /// `__cfree_file_asm_N` with the text as its asm label.
    pub(super) fn is_file_asm(&mut self, name: &str, text: Option<&String>, loc: Loc) -> bool {
        if !name.starts_with(crate::lower::FILE_ASM_PREFIX) {
            return false;
        }
        if let Some(text) = text {
            self.file_asm.push((text.clone(), loc));
        }
        true
    }
}

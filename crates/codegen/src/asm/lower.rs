//! The caller side of an asm thunk (a child of the function translator): evaluate the
//! operands into a stack-slot block, call the thunk, store the outputs back.

use super::Tx;
use crate::asm::{self, OperandInfo, ThunkSpec, CELL};
use crate::PTR;
use cfree_frontend::ir::{AsmOperand, AsmPlace, AsmStmt, ExprKind};
use cfree_frontend::types::TypeId;
use cfree_frontend::Loc;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Value};
use cranelift_module::{Linkage, Module};

impl<'a, 'b, 'c> Tx<'a, 'b, 'c> {
    pub(super) fn asm_stmt(&mut self, a: &AsmStmt, loc: Loc) {
        let (name, unique) = self.cx.asm.next_thunk();
        let spec = self.thunk_spec(a, name.clone(), unique);
        let text = match asm::thunk_text(self.cx.opts.target.arch, &spec) {
            Ok(t) => t,
            Err(msg) => return self.fail_at(loc, msg),
        };
        self.cx.asm.add(text, loc);
        let Some(fref) = self.declare_thunk(&name, !a.labels.is_empty()) else {
            return;
        };
        let n = (a.outputs.len() + a.inputs.len()).max(1) as u64;
        let ss = self.new_slot(n * u64::from(CELL), 16);
        let block = self.b.ins().stack_addr(PTR, ss, 0);
        // Output places first (addresses computed once), then the inputs, in operand order.
        let mut out_addrs = Vec::new();
        for (i, op) in a.outputs.iter().enumerate() {
            let off = i as i32 * CELL as i32;
            out_addrs.push(self.asm_output_before(op, block, off));
        }
        for (i, op) in a.inputs.iter().enumerate() {
            let off = (a.outputs.len() + i) as i32 * CELL as i32;
            self.asm_input(op, block, off);
        }
        let call = self.b.ins().call(fref, &[block]);
        let taken = self.b.inst_results(call).first().copied();
        for (i, op) in a.outputs.iter().enumerate() {
            if op.place == AsmPlace::Mem {
                continue;
            }
            let off = i as i32 * CELL as i32;
            if self.t.is_vector(op.expr.ty) {
                // A vector output: its bytes are copied from the cell into the place.
                let src = self.b.ins().iadd_imm_s(block, i64::from(off));
                let dst = match out_addrs[i] {
                    Some(a) => a,
                    None => self.lvalue(&op.expr),
                };
                self.memcpy(dst, src, self.t.size(op.expr.ty));
                continue;
            }
            let v = self.load_scalar(op.expr.ty, block, off);
            self.rmw_store(&op.expr, out_addrs[i], v);
        }
        if let Some(taken) = taken {
            self.asm_goto_dispatch(a, taken);
        }
    }

    /// After an `asm goto` thunk: jump to the label whose number (1-based) it returned, as a
    /// `goto` statement would (leaving VLA and cleanup scopes); 0 falls through.
    fn asm_goto_dispatch(&mut self, a: &AsmStmt, taken: Value) {
        use cranelift_codegen::ir::condcodes::IntCC;
        for (k, (_, label)) in a.labels.iter().enumerate() {
            let (target, next) = (self.b.create_block(), self.b.create_block());
            let hit = self.b.ins().icmp_imm_s(IntCC::Equal, taken, k as i64 + 1);
            self.b.ins().brif(hit, target, &[], next, &[]);
            self.b.switch_to_block(target);
            if let Some(&depth) = self.label_depth.get(label) {
                self.leave_vla_scopes(depth);
            }
            let blk = self.labels[label.0 as usize];
            self.jump(blk);
            self.b.switch_to_block(next);
        }
    }

    /// Records the first error of the function with the source place it is about.
    pub(crate) fn fail_at(&mut self, loc: Loc, msg: String) {
        if self.err.is_none() {
            self.err_loc = Some(loc);
        }
        self.fail(msg);
    }

    fn thunk_spec(&self, a: &AsmStmt, name: String, unique: u32) -> ThunkSpec {
        let info = |i: usize, op: &AsmOperand, output: bool| OperandInfo {
            name: op.name.clone(),
            constraint: op.constraint.clone(),
            place: op.place.clone(),
            output,
            read_write: op.read_write,
            early_clobber: op.early_clobber,
            size: self.t.size(op.expr.ty),
            offset: i as u32 * CELL,
            symbol: match op.place {
                AsmPlace::Symbol(s, _) => Some(self.cx.tu.symbols[s.0 as usize].name.clone()),
                _ => None,
            },
        };
        let mut ops: Vec<OperandInfo> = Vec::new();
        for (i, op) in a.outputs.iter().enumerate() {
            ops.push(info(i, op, true));
        }
        for (i, op) in a.inputs.iter().enumerate() {
            ops.push(info(a.outputs.len() + i, op, false));
        }
        ThunkSpec {
            name,
            template: a.template.clone(),
            basic: a.basic,
            ops,
            clobbers: a.clobbers.clone(),
            unique,
            labels: a.labels.iter().map(|(n, _)| n.clone()).collect(),
        }
    }

    /// The thunk as a callee: `void (void *block)` (`int` for `asm goto`: the label taken),
    /// defined when the unit is assembled.
    fn declare_thunk(&mut self, name: &str, goto: bool) -> Option<cranelift_codegen::ir::FuncRef> {
        let mut sig = crate::abi::empty_sig();
        sig.params.push(AbiParam::new(PTR));
        if goto {
            sig.returns.push(AbiParam::new(types::I32));
        }
        let fid = match self.cx.module.declare_function(name, Linkage::Import, &sig) {
            Ok(f) => f,
            Err(e) => {
                self.fail(format!("cannot declare asm thunk: {e}"));
                return None;
            }
        };
        let r = self.cx.module.declare_func_in_func(fid, self.b.func);
        self.b.func.dfg.ext_funcs[r].colocated = true;
        Some(r)
    }

    /// Puts an output's address (memory operands) or initial value (`+`) into its cell;
    /// returns the address to store the result through (`None` for register locals).
    fn asm_output_before(&mut self, op: &AsmOperand, block: Value, off: i32) -> Option<Value> {
        if op.place == AsmPlace::Mem {
            let addr = self.lvalue(&op.expr);
            self.b.ins().store(super::flags(), addr, block, off);
            return None;
        }
        if self.t.is_vector(op.expr.ty) {
            let addr = self.lvalue(&op.expr);
            if op.read_write {
                let dst = self.b.ins().iadd_imm_s(block, i64::from(off));
                self.memcpy(dst, addr, self.t.size(op.expr.ty));
            }
            return Some(addr);
        }
        if op.read_write {
            let (addr, v) = self.rmw_load(&op.expr);
            self.store_cell(v, op.expr.ty, block, off);
            return addr;
        }
        if let ExprKind::Local(id) = op.expr.kind {
            if let super::Slot::Var(_) = self.slots[id.0 as usize] {
                return None;
            }
        }
        Some(self.lvalue(&op.expr))
    }

    fn asm_input(&mut self, op: &AsmOperand, block: Value, off: i32) {
        match op.place {
            AsmPlace::Imm(_) | AsmPlace::Symbol(..) => {}
            AsmPlace::Mem => {
                let addr = self.lvalue(&op.expr);
                self.b.ins().store(super::flags(), addr, block, off);
            }
            _ if self.t.is_vector(op.expr.ty) => {
                // Vectors are values in memory: the expression gives their address.
                let src = self.expr(&op.expr);
                let dst = self.b.ins().iadd_imm_s(block, i64::from(off));
                self.memcpy(dst, src, self.t.size(op.expr.ty));
            }
            _ => {
                let v = self.expr(&op.expr);
                self.store_cell(v, op.expr.ty, block, off);
            }
        }
    }

    /// Stores a scalar into a cell, integers widened to 64 bits by their signedness.
    fn store_cell(&mut self, v: Value, ty: TypeId, block: Value, off: i32) {
        let vt = self.b.func.dfg.value_type(v);
        let v = if vt.is_int() && vt.bits() < 64 {
            if self.t.is_signed(ty) {
                self.b.ins().sextend(types::I64, v)
            } else {
                self.b.ins().uextend(types::I64, v)
            }
        } else {
            v
        };
        self.b.ins().store(super::flags(), v, block, off);
    }
}

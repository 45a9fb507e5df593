//! One C function to Cranelift IR.
//!
//! Scalars are Cranelift values; aggregates are handled by address (the "value" of a struct
//! expression is a pointer to its bytes). Locals whose address is never taken become SSA
//! variables, unless the function calls `setjmp` or is compiled for debugging.

use crate::abi::x86_64::x87::X87Op;
use crate::abi::{self, ArgAbi, FnAbi, ParamHome, VaFrame};
use crate::{CodegenError, ObjCx, PTR};
use cfree_frontend::ir::*;
use cfree_frontend::types::{BitField, FloatKind, TypeId, TypeKind, TypeTable};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self, types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, StackSlot, StackSlotData,
    StackSlotKind, TrapCode, Type, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Switch, Variable};
use cranelift_module::Module;
use std::collections::HashMap;

#[path = "asm/lower.rs"]
mod asm_lower;
mod float128;
mod ldouble;

/// The alignment Cranelift guarantees for stack slots (the SysV frame alignment).
const FRAME_ALIGN: u64 = 16;

#[derive(Clone, Copy)]
enum Slot {
    Var(Variable),
    Stack(StackSlot),
    /// The object lives at an address held in a variable (by-memory parameters, VLAs).
    Ptr(Variable),
}

struct Tx<'a, 'b, 'c> {
    cx: &'a mut ObjCx<'c>,
    b: FunctionBuilder<'b>,
    f: &'a Function,
    t: &'a TypeTable,
    slots: Vec<Slot>,
    labels: Vec<Block>,
    /// (break target, continue target, dynamic-stack scope depth) of enclosing loops and
    /// switches.
    jumps: Vec<(Block, Option<Block>, usize)>,
    /// Dynamic-stack marks of the VLA scopes open here (one per VLA declaration; each scope
    /// lasts to the end of its block).
    /// What leaving each open scope entry must do, innermost last (VLA marks and
    /// cleanups); jumps remember the depth to unwind to.
    vla_marks: Vec<ScopeExit>,
    /// The mark taken on entry by a function using VLAs or `alloca`; restored on return.
    dyn_entry: Option<Variable>,
    /// How many VLA scopes are open at each label (labels inside statement expressions are
    /// not listed: jumps to them restore nothing).
    label_depth: HashMap<LabelId, usize>,
    fabi: FnAbi,
    sret: Option<Value>,
    /// Variadic definitions: the register save area and the `va_start` values.
    va: Option<VaFrame>,
    func_refs: HashMap<(SymId, bool), ir::FuncRef>,
    data_refs: HashMap<(SymId, bool), ir::GlobalValue>,
    err: Option<String>,
    /// Where `err` happened, for errors about one statement (inline assembly).
    err_loc: Option<cfree_frontend::Loc>,
    /// Source locations and variable homes for DWARF (`-g` only).
    dbg: Option<crate::debuginfo::FuncTrace>,
}

fn flags() -> MemFlagsData {
    MemFlagsData::new()
}

/// One C function translated to Cranelift IR, not yet compiled: what a compile worker takes.
pub(crate) struct Built {
    pub fid: cranelift_module::FuncId,
    pub func: ir::Function,
    /// Source locations and variable homes for DWARF (`-g` only).
    pub dbg: Option<crate::debuginfo::FuncTrace>,
    /// The helpers building it asked for (`ObjCx::helpers`).
    pub helpers: Vec<crate::Helper>,
}

/// Builds the Cranelift IR of `f` (step one of three: build, compile, define; see
/// `crate::compile`).
pub(crate) fn translate(
    cx: &mut ObjCx,
    f: &Function,
    fctx: &mut FunctionBuilderContext,
) -> Result<Built, CodegenError> {
    let tu = cx.tu;
    let t = &tu.types;
    let Some(fty) = t.func_type(f.ty) else {
        return Err(CodegenError::Function {
            func: f.name.clone(),
            msg: "not a function type".into(),
        });
    };
    let fabi = cx.abi.signature(t, fty, &[], true);
    let Some(fid) = cx.body_id(f.sym) else {
        return Err(CodegenError::Function {
            func: f.name.clone(),
            msg: "function not declared (internal)".into(),
        });
    };
    let mut func = ir::Function::with_name_signature(
        ir::UserFuncName::user(0, fid.as_u32()),
        fabi.sig.clone(),
    );
    let b = FunctionBuilder::new(&mut func, fctx);
    let dbg = cx.opts.debug.then(crate::debuginfo::FuncTrace::default);
    let mut tx = Tx {
        cx,
        b,
        f,
        t,
        slots: Vec::new(),
        labels: Vec::new(),
        jumps: Vec::new(),
        vla_marks: Vec::new(),
        dyn_entry: None,
        label_depth: HashMap::new(),
        fabi,
        sret: None,
        va: None,
        func_refs: HashMap::new(),
        data_refs: HashMap::new(),
        err: None,
        err_loc: None,
        dbg,
    };
    tx.prologue();
    label_depths(&f.body, 0, &mut tx.label_depth);
    if f.dyn_stack {
        let m = tx.dstack_mark();
        tx.dyn_entry = Some(m);
    }
    tx.stmts(&f.body);
    tx.epilogue();
    let err = tx.err.take();
    let err_loc = tx.err_loc.take();
    let mut dbg = tx.dbg.take();
    if let Some(d) = &mut dbg {
        for (i, s) in tx.slots.iter().enumerate() {
            if let Slot::Stack(ss) = s {
                d.local_slot(i, *ss, false);
            }
        }
    }
    let isa_cfg = tx.cx.module.isa().frontend_config();
    tx.b.seal_all_blocks();
    tx.b.finalize(isa_cfg);
    if let (Some(msg), Some(loc)) = (&err, err_loc) {
        return Err(CodegenError::Located {
            loc,
            msg: msg.clone(),
        });
    }
    if let Some(msg) = err {
        return Err(CodegenError::Function {
            func: f.name.clone(),
            msg,
        });
    }
    let helpers = std::mem::take(&mut cx.helpers);
    Ok(Built {
        fid,
        func,
        dbg,
        helpers,
    })
}

impl<'a, 'b, 'c> Tx<'a, 'b, 'c> {
    fn fail(&mut self, msg: impl Into<String>) {
        if self.err.is_none() {
            self.err = Some(msg.into());
        }
    }

    /// A value of type `ty` travelling on the stack (an argument in memory, `va_arg`) must
    /// not need more alignment than the target's frames give (see `CAbi::max_stack_arg_align`).
    fn check_stack_align(&mut self, ty: TypeId, loc: cfree_frontend::Loc) {
        let (align, max) = (self.t.align(ty), self.cx.abi.max_stack_arg_align());
        if align > max {
            let t = self.t.display(ty);
            self.fail_at(loc, format!("passing '{t}' (aligned to {align} bytes) by value on the stack is not supported by cfree: the ABI needs a stack aligned beyond {max} bytes"));
        }
    }

    fn cl(&self, ty: TypeId) -> Type {
        abi::scalar_type(self.t, ty)
    }

    fn iconst(&mut self, ty: Type, v: i64) -> Value {
        if ty == types::I128 {
            let lo = self.b.ins().iconst(types::I64, v);
            return self.b.ins().sextend(types::I128, lo);
        }
        self.b.ins().iconst(ty, v)
    }

    fn new_slot(&mut self, size: u64, align: u64) -> StackSlot {
        let shift = align.max(1).trailing_zeros().min(12) as u8;
        self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            size.max(1) as u32,
            shift,
        ))
    }

    /// A local aligned beyond the frame's 16 bytes (`aligned(64)`): Cranelift aligns slots
    /// only relative to the 16-aligned frame, so take `align - 16` spare bytes and round the
    /// address up once, at entry; the local is then reached through that address.
    fn overaligned_slot(&mut self, size: u64, align: u64) -> Variable {
        let ss = self.new_slot(size + align - FRAME_ALIGN, FRAME_ALIGN);
        let base = self.b.ins().stack_addr(PTR, ss, 0);
        let up = self.b.ins().iadd_imm_s(base, (align - 1) as i64);
        let addr = self.b.ins().band_imm_s(up, -(align as i64));
        let var = self.b.declare_var(PTR);
        self.b.def_var(var, addr);
        var
    }

    fn in_memory(&self, l: &LocalVar) -> bool {
        l.addr_taken
            || self.f.calls_setjmp
            || (self.cx.opts.debug && l.user)
            || !self.t.is_scalar(l.ty)
            // Volatile and atomic accesses are memory accesses by definition.
            || self.t.is_volatile(l.ty)
            || self.t.is_atomic(l.ty)
    }

    // ---- entry and exit -----------------------------------------------------------

    fn prologue(&mut self) {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.set_loc(self.f.loc);
        for _ in 0..self.f.labels {
            let blk = self.b.create_block();
            self.labels.push(blk);
        }
        for i in 0..self.f.locals.len() {
            let l = &self.f.locals[i];
            let slot = if matches!(self.t.kind(l.ty), TypeKind::Vla { .. }) {
                Slot::Ptr(self.b.declare_var(PTR))
            } else if self.in_memory(l) {
                let (size, align) = (self.t.size(l.ty), l.align.max(self.t.align(l.ty)));
                if align > FRAME_ALIGN {
                    Slot::Ptr(self.overaligned_slot(size, align))
                } else {
                    Slot::Stack(self.new_slot(size, align))
                }
            } else {
                let ty = self.cl(l.ty);
                Slot::Var(self.b.declare_var(ty))
            };
            self.slots.push(slot);
        }
        let params: Vec<Value> = self.b.block_params(entry).to_vec();
        let mut pi = 0usize;
        if matches!(self.fabi.ret, ArgAbi::Memory { .. }) {
            self.sret = params.first().copied();
            pi = 1;
        }
        if self.fabi.variadic_def {
            self.variadic_prologue(&params[pi..], pi == 1);
            return;
        }
        let pabis = self.fabi.params.clone();
        for (k, &lid) in self.f.params.iter().enumerate() {
            let Some(a) = pabis.get(k) else { break };
            pi += self.fabi.pads[k].len();
            match a {
                ArgAbi::Direct(_) => {
                    let v = params[pi];
                    pi += 1;
                    self.store_param_value(lid, v);
                }
                ArgAbi::Split(pieces) => {
                    let addr = self.local_addr(lid);
                    for (ty, off) in pieces {
                        let v = params[pi];
                        pi += 1;
                        self.store_piece(
                            *ty,
                            v,
                            addr,
                            *off,
                            self.t.size(self.f.locals[lid.0 as usize].ty) as u32,
                        );
                    }
                }
                ArgAbi::Memory { pad, .. } => {
                    let v = params[pi];
                    pi += 1;
                    let v = if *pad > 0 {
                        self.b.ins().iadd_imm_s(v, *pad as i64)
                    } else {
                        v
                    };
                    self.param_in_place(lid, v);
                }
                ArgAbi::Indirect { .. } => {
                    let v = params[pi];
                    pi += 1;
                    self.param_in_place(lid, v);
                }
                ArgAbi::Ignore | ArgAbi::X87 | ArgAbi::X87Pair => {}
            }
        }
    }

    /// Stores the register pieces of a split aggregate without writing past its size.
    fn store_piece(&mut self, ty: Type, v: Value, addr: Value, off: u32, size: u32) {
        // An eightbyte, or a whole 16-byte vector (SSE+SSEUP).
        let avail = size.saturating_sub(off).min(ty.bytes().max(8));
        if avail >= ty.bytes() {
            self.b.ins().store(flags(), v, addr, off as i32);
            return;
        }
        let bits = if ty.is_float() {
            let ity = if ty == types::F32 {
                types::I32
            } else {
                types::I64
            };
            self.b.ins().bitcast(ity, MemFlagsData::new(), v)
        } else {
            v
        };
        let wide = if self.b.func.dfg.value_type(bits) == types::I64 {
            bits
        } else {
            self.b.ins().uextend(types::I64, bits)
        };
        for i in 0..avail {
            let byte = self.b.ins().ushr_imm_s(wide, (i * 8) as i64);
            let byte = self.b.ins().ireduce(types::I8, byte);
            self.b.ins().store(flags(), byte, addr, (off + i) as i32);
        }
    }

    fn load_piece(&mut self, ty: Type, addr: Value, off: u32, size: u32) -> Value {
        let avail = size.saturating_sub(off).min(ty.bytes().max(8));
        if avail >= ty.bytes() {
            return self.b.ins().load(ty, flags(), addr, off as i32);
        }
        let mut acc = self.b.ins().iconst(types::I64, 0);
        for i in 0..avail {
            let byte = self
                .b
                .ins()
                .uload8(types::I64, flags(), addr, (off + i) as i32);
            let sh = self.b.ins().ishl_imm_s(byte, (i * 8) as i64);
            acc = self.b.ins().bor(acc, sh);
        }
        if ty.is_float() {
            if ty == types::F32 {
                let n = self.b.ins().ireduce(types::I32, acc);
                return self.b.ins().bitcast(types::F32, MemFlagsData::new(), n);
            }
            return self.b.ins().bitcast(types::F64, MemFlagsData::new(), acc);
        }
        if ty != types::I64 {
            return self.b.ins().ireduce(ty, acc);
        }
        acc
    }

    /// A variadic definition: the target saves its argument registers and says where each
    /// named parameter is.
    fn variadic_prologue(&mut self, params: &[Value], sret: bool) {
        let fabi = self.fabi.clone();
        let (frame, homes) = self
            .cx
            .abi
            .variadic_prologue(&mut self.b, &fabi, params, sret);
        self.va = Some(frame);
        for (k, home) in homes.into_iter().enumerate() {
            let Some(&lid) = self.f.params.get(k) else {
                break;
            };
            match home {
                ParamHome::Value(v) => self.store_param_value(lid, v),
                ParamHome::Pieces(vals) => {
                    let ArgAbi::Split(pieces) = &fabi.params[k] else {
                        continue;
                    };
                    let addr = self.local_addr(lid);
                    let size = self.t.size(self.f.locals[lid.0 as usize].ty) as u32;
                    for ((ty, off), v) in pieces.iter().zip(vals) {
                        self.store_piece(*ty, v, addr, *off, size);
                    }
                }
                ParamHome::Addr(p) => self.param_in_place(lid, p),
                ParamHome::None => {}
            }
        }
    }

    /// A parameter whose object the callee owns (the caller's copy): used where it is.
    fn param_in_place(&mut self, lid: LocalId, p: Value) {
        let var = self.b.declare_var(PTR);
        self.b.def_var(var, p);
        self.slots[lid.0 as usize] = Slot::Ptr(var);
        self.debug_home(lid, p);
    }

    fn epilogue(&mut self) {
        self.set_loc(self.f.end_loc);
        // Falling off the end: `main` returns 0 (C11 5.1.2.2.3); others return an unspecified value.
        if self.b.is_unreachable() {
            return;
        }
        let ret = self.fabi.ret.clone();
        match ret {
            ArgAbi::Direct(ty) => {
                let z = self.zero_piece(ty);
                self.leave_dyn();
                self.b.ins().return_(&[z]);
            }
            ArgAbi::Split(p) => {
                let zs: Vec<Value> = p.iter().map(|(ty, _)| self.zero_piece(*ty)).collect();
                self.leave_dyn();
                self.b.ins().return_(&zs);
            }
            ArgAbi::X87 => {
                let z = self.ld_bits(0);
                self.leave_dyn();
                self.x87(X87Op::Push, &[z]);
                self.b.ins().return_(&[]);
            }
            ArgAbi::X87Pair => {
                let z = self.ld_bits(0);
                self.leave_dyn();
                self.x87(X87Op::PushPair, &[z, z]);
                self.b.ins().return_(&[]);
            }
            _ => {
                self.leave_dyn();
                self.b.ins().return_(&[]);
            }
        }
    }

    /// A zero of a register piece's Cranelift type (scalar or 128-bit vector).
    fn zero_piece(&mut self, ty: Type) -> Value {
        match ty {
            types::F32 => self.b.ins().f32const(0.0),
            types::F64 => self.b.ins().f64const(0.0),
            types::F128 => self.tf_bits(0),
            t if t.is_vector() => {
                let z = self.b.ins().iconst(t.lane_type(), 0);
                self.b.ins().splat(t, z)
            }
            t => self.iconst(t, 0),
        }
    }

    // ---- locals -------------------------------------------------------------------

    fn local_addr(&mut self, id: LocalId) -> Value {
        match self.slots[id.0 as usize] {
            Slot::Stack(ss) => self.b.ins().stack_addr(PTR, ss, 0),
            Slot::Ptr(v) => self.b.use_var(v),
            Slot::Var(_) => {
                self.fail("internal: address of a register local");
                self.b.ins().iconst(PTR, 0)
            }
        }
    }

    /// A value as the calling convention carries it, or back: the same bits in another
    /// Cranelift type (a binary128 `long double` is an `I128` image here, an `F128` in a
    /// SIMD register under AAPCS64).
    ///
    /// A `float` travelling in a 64-bit integer register (RISC-V, once the FP argument
    /// registers are used up) is its 32 bits zero-extended, the upper half being undefined.
    fn coerce(&mut self, v: Value, to: Type) -> Value {
        let from = self.b.func.dfg.value_type(v);
        let fl = MemFlagsData::new();
        match (from, to) {
            (types::F32, types::I64) => {
                let bits = self.b.ins().bitcast(types::I32, fl, v);
                self.b.ins().uextend(types::I64, bits)
            }
            (types::I64, types::F32) => {
                let bits = self.b.ins().ireduce(types::I32, v);
                self.b.ins().bitcast(types::F32, fl, bits)
            }
            _ if from == to || from.bits() != to.bits() => v,
            _ => self.b.ins().bitcast(to, fl, v),
        }
    }

    /// Stores a parameter's value into its local, in the local's own representation.
    fn store_param_value(&mut self, id: LocalId, v: Value) {
        let ty = self.f.locals[id.0 as usize].ty;
        let cl = self.cl(ty);
        let v = self.coerce(v, cl);
        self.store_local_value(id, v);
    }

    fn store_local_value(&mut self, id: LocalId, v: Value) {
        match self.slots[id.0 as usize] {
            Slot::Var(var) => self.b.def_var(var, v),
            _ => {
                let a = self.local_addr(id);
                let ty = self.f.locals[id.0 as usize].ty;
                self.store_scalar(ty, v, a, 0);
            }
        }
    }

    // ---- statements ---------------------------------------------------------------

    /// Tags the instructions that follow with `loc` (`-g` only): the srcloc is an index into
    /// the function's location table, read back by the line-table builder.
    fn set_loc(&mut self, loc: cfree_frontend::Loc) {
        if let Some(d) = &mut self.dbg {
            let s = d.srcloc(loc);
            self.b.set_srcloc(s);
        }
    }

    /// `-g`: keeps a copy of the address of an object reached through a pointer variable
    /// (by-memory parameter, VLA) in a stack slot, so DWARF can describe it.
    fn debug_home(&mut self, lid: LocalId, addr: Value) {
        if self.dbg.is_none() || !self.f.locals[lid.0 as usize].user {
            return;
        }
        let ss = self.new_slot(8, 8);
        self.b.ins().stack_store(PTR, addr, ss, 0);
        if let Some(d) = &mut self.dbg {
            d.local_slot(lid.0 as usize, ss, true);
        }
    }

    /// Starts a fresh block after a terminator so that dead code has somewhere to go.
    fn after_terminator(&mut self) {
        let blk = self.b.create_block();
        self.b.switch_to_block(blk);
    }

    fn jump(&mut self, to: Block) {
        self.b.ins().jump(to, &[]);
    }

    fn stmts(&mut self, ss: &[Stmt]) {
        for s in ss {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        self.set_loc(s.loc);
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e);
            }
            StmtKind::Init {
                local,
                zero,
                stores,
            } => self.init_local(*local, *zero, stores),
            StmtKind::VlaAlloc { local, size } => {
                let n = self.expr(size);
                let mark = self.dstack_mark();
                self.vla_marks.push(ScopeExit::Vla(mark));
                let p = self.dstack_alloc(n);
                if let Slot::Ptr(v) = self.slots[local.0 as usize] {
                    self.b.def_var(v, p);
                    self.debug_home(*local, p);
                }
            }
            StmtKind::Cleanup(call) => self.vla_marks.push(ScopeExit::Cleanup(call.clone())),
            StmtKind::Block(b) => {
                let depth = self.vla_marks.len();
                self.stmts(b);
                self.leave_vla_scopes(depth);
                self.vla_marks.truncate(depth);
            }
            StmtKind::Scope { id, body } => {
                let outer = self.dbg.as_mut().map(|d| d.enter_scope(*id));
                self.stmts(body);
                if let Some(src) = self
                    .dbg
                    .as_mut()
                    .zip(outer)
                    .and_then(|(d, outer)| d.leave_scope(outer))
                {
                    self.b.set_srcloc(src);
                }
            }
            StmtKind::If(c, t, e) => {
                let (tb, eb, join) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                match c.kind {
                    // A constant condition jumps straight to its branch: the other one is
                    // then unreachable (but for labels in it), and Cranelift drops it with
                    // the calls in it, as gcc does even at -O0 (programs rely on it, e.g.
                    // calls of functions defined nowhere under `if (0)`).
                    ExprKind::Int(v) => self.jump(if v != 0 { tb } else { eb }),
                    _ => {
                        let cv = self.cond(c);
                        self.b.ins().brif(cv, tb, &[], eb, &[]);
                    }
                }
                self.b.switch_to_block(tb);
                self.stmts(t);
                self.jump(join);
                self.b.switch_to_block(eb);
                self.stmts(e);
                self.jump(join);
                self.b.switch_to_block(join);
            }
            StmtKind::While { cond, body, step } => {
                let (head, bodyb, stepb, exit) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.jump(head);
                self.b.switch_to_block(head);
                match cond {
                    Some(c) => {
                        let cv = self.cond(c);
                        self.b.ins().brif(cv, bodyb, &[], exit, &[]);
                    }
                    None => self.jump(bodyb),
                }
                self.b.switch_to_block(bodyb);
                self.jumps.push((exit, Some(stepb), self.vla_marks.len()));
                self.stmts(body);
                self.jumps.pop();
                self.jump(stepb);
                self.b.switch_to_block(stepb);
                if let Some(st) = step {
                    self.set_loc(st.loc);
                    self.expr(st);
                }
                self.jump(head);
                self.b.switch_to_block(exit);
            }
            StmtKind::DoWhile { body, cond } => {
                let (bodyb, condb, exit) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.jump(bodyb);
                self.b.switch_to_block(bodyb);
                self.jumps.push((exit, Some(condb), self.vla_marks.len()));
                self.stmts(body);
                self.jumps.pop();
                self.jump(condb);
                self.b.switch_to_block(condb);
                self.set_loc(cond.loc);
                let cv = self.cond(cond);
                self.b.ins().brif(cv, bodyb, &[], exit, &[]);
                self.b.switch_to_block(exit);
            }
            StmtKind::Switch {
                cond,
                cases,
                default,
                body,
            } => self.switch(cond, cases, *default, body),
            StmtKind::Label(l) => {
                let blk = self.labels[l.0 as usize];
                self.jump(blk);
                self.b.switch_to_block(blk);
            }
            StmtKind::Goto(l) => {
                if let Some(&depth) = self.label_depth.get(l) {
                    self.leave_vla_scopes(depth);
                }
                let blk = self.labels[l.0 as usize];
                self.jump(blk);
                self.after_terminator();
            }
            StmtKind::GotoIndirect(target) => {
                self.goto_indirect(target);
                self.after_terminator();
            }
            StmtKind::Break => match self.jumps.last() {
                Some(&(brk, _, depth)) => {
                    self.leave_vla_scopes(depth);
                    self.jump(brk);
                    self.after_terminator();
                }
                None => self.fail("break outside loop"),
            },
            StmtKind::Continue => match self.jumps.iter().rev().find_map(|j| j.1.map(|c| (c, j.2)))
            {
                Some((c, depth)) => {
                    self.leave_vla_scopes(depth);
                    self.jump(c);
                    self.after_terminator();
                }
                None => self.fail("continue outside loop"),
            },
            StmtKind::Asm(a) => self.asm_stmt(a, s.loc),
            StmtKind::Return(e) => {
                self.ret(e.as_ref());
                self.after_terminator();
            }
        }
    }

    /// `goto *p`: `p` is a label token (see [`label_token`]); dispatch over this function's
    /// address-taken labels. A value that is no such token (a label of another function,
    /// which GNU C leaves undefined, or garbage) traps instead of jumping anywhere.
    fn goto_indirect(&mut self, target: &Expr) {
        let here = self.vla_marks.len();
        let leaves = self
            .f
            .label_addrs
            .iter()
            .any(|l| self.label_depth.get(l).is_none_or(|&d| d < here));
        if here > 0 && leaves {
            self.fail("computed goto out of the scope of a variable-length array or a cleanup variable is not supported");
        }
        let p = self.expr(target);
        let off = self.b.ins().iadd_imm_s(p, -LABEL_TOKEN_BASE);
        // Rotating the stride's bits to the top makes misaligned offsets huge (out of range).
        let idx = self
            .b
            .ins()
            .rotr_imm_u(off, LABEL_TOKEN_STRIDE.trailing_zeros() as i64);
        let trap = self.b.create_block();
        let mut sw = Switch::new();
        for l in &self.f.label_addrs {
            sw.set_entry(l.0 as u128, self.labels[l.0 as usize]);
        }
        sw.emit(&mut self.b, idx, trap);
        self.b.switch_to_block(trap);
        self.b.ins().trap(TrapCode::unwrap_user(1));
    }

    fn ret(&mut self, e: Option<&Expr>) {
        let ret = self.fabi.ret.clone();
        match (e, ret) {
            (Some(e), ArgAbi::Direct(cl)) => {
                let v = self.expr(e);
                let v = self.coerce(v, cl);
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.b.ins().return_(&[v]);
            }
            (Some(e), ArgAbi::Split(pieces)) => {
                let addr = self.expr(e);
                let size = self.t.size(e.ty) as u32;
                let vals: Vec<Value> = pieces
                    .iter()
                    .map(|(ty, off)| self.load_piece(*ty, addr, *off, size))
                    .collect();
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.b.ins().return_(&vals);
            }
            (Some(e), ArgAbi::X87) => {
                let v = self.expr(e);
                // A struct holding one long double: its value is its address.
                let v = if self.t.is_aggregate(e.ty) {
                    self.b.ins().load(types::I128, flags(), v, 0)
                } else {
                    v
                };
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.x87(X87Op::Push, &[v]);
                self.b.ins().return_(&[]);
            }
            (Some(e), ArgAbi::X87Pair) => {
                // A `complex long double`: its value is its address.
                let a = self.expr(e);
                let re = self.b.ins().load(types::I128, flags(), a, 0);
                let im = self.b.ins().load(types::I128, flags(), a, 16);
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.x87(X87Op::PushPair, &[re, im]);
                self.b.ins().return_(&[]);
            }
            (Some(e), ArgAbi::Memory { size, .. }) => {
                let src = self.expr(e);
                if let Some(dst) = self.sret {
                    self.memcpy(dst, src, size as u64);
                }
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.b.ins().return_(&[]);
            }
            // (Results are never `Indirect`: an indirect result is `Memory`, through the
            // hidden pointer.)
            (Some(e), ArgAbi::Ignore | ArgAbi::Indirect { .. }) => {
                self.expr(e);
                // The return sequence belongs to the closing brace, as with gcc, so
                // stepping over `return x;` stops at `}` like gdb users expect.
                self.set_loc(self.f.end_loc);
                self.leave_dyn();
                self.b.ins().return_(&[]);
            }
            (None, _) => {
                // `return;` in a non-void function: return a zero of the right shape.
                self.epilogue();
            }
        }
    }

    fn switch(
        &mut self,
        cond: &Expr,
        cases: &[(i128, i128, LabelId)],
        default: Option<LabelId>,
        body: &[Stmt],
    ) {
        let v = self.expr(cond);
        let ty = self.b.func.dfg.value_type(v);
        let bits = ty.bits();
        let mask: u128 = if bits >= 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        let exit = self.b.create_block();
        let otherwise = default.map(|d| self.labels[d.0 as usize]).unwrap_or(exit);
        // Large ranges become explicit comparisons; the rest go into a jump table / tree.
        let mut sw = Switch::new();
        let mut ranges = Vec::new();
        for &(lo, hi, l) in cases {
            let blk = self.labels[l.0 as usize];
            if hi - lo < 256 {
                for v in lo..=hi {
                    sw.set_entry((v as u128) & mask, blk);
                }
            } else {
                ranges.push((lo, hi, blk));
            }
        }
        let signed = self.t.is_signed(cond.ty);
        for (lo, hi, blk) in ranges {
            let next = self.b.create_block();
            let (ge, le) = if signed {
                (
                    IntCC::SignedGreaterThanOrEqual,
                    IntCC::SignedLessThanOrEqual,
                )
            } else {
                (
                    IntCC::UnsignedGreaterThanOrEqual,
                    IntCC::UnsignedLessThanOrEqual,
                )
            };
            let a = self.b.ins().icmp_imm_s(ge, v, lo as i64);
            let c = self.b.ins().icmp_imm_s(le, v, hi as i64);
            let both = self.b.ins().band(a, c);
            self.b.ins().brif(both, blk, &[], next, &[]);
            self.b.switch_to_block(next);
        }
        sw.emit(&mut self.b, v, otherwise);
        self.after_terminator();
        self.jumps.push((exit, None, self.vla_marks.len()));
        self.stmts(body);
        self.jumps.pop();
        self.jump(exit);
        self.b.switch_to_block(exit);
    }

    fn init_local(&mut self, local: LocalId, zero: bool, stores: &[InitStore]) {
        let lty = self.f.locals[local.0 as usize].ty;
        if let Slot::Var(var) = self.slots[local.0 as usize] {
            // A scalar in a register: the single store is its value.
            if let Some(s) = stores.last() {
                let v = self.expr(&s.expr);
                self.b.def_var(var, v);
            } else {
                let z = self.zero_of(lty);
                self.b.def_var(var, z);
            }
            return;
        }
        let addr = self.local_addr(local);
        if zero {
            let size = self.t.size(lty);
            self.memset0(addr, size);
        }
        for s in stores {
            let dst = if s.offset == 0 {
                addr
            } else {
                self.b.ins().iadd_imm_s(addr, s.offset as i64)
            };
            match &s.bit {
                Some(bf) => {
                    let v = self.expr(&s.expr);
                    self.store_bitfield(s.expr.ty, bf, v, dst);
                }
                None => self.store_value(s.expr.ty, &s.expr, dst),
            }
        }
    }

    fn zero_of(&mut self, ty: TypeId) -> Value {
        let cl = self.cl(ty);
        match cl {
            types::F32 => self.b.ins().f32const(0.0),
            types::F64 => self.b.ins().f64const(0.0),
            _ => self.iconst(cl, 0),
        }
    }

    /// Evaluates `e` and stores it at `dst` (copying aggregates).
    fn store_value(&mut self, ty: TypeId, e: &Expr, dst: Value) {
        let v = self.expr(e);
        if self.t.is_aggregate(ty) || self.t.is_aggregate(e.ty) {
            let size = self
                .t
                .size(e.ty)
                .max(self.t.size(ty).min(self.t.size(e.ty)));
            self.memcpy(dst, v, size);
        } else {
            self.store_scalar(ty, v, dst, 0);
        }
    }

    // ---- memory helpers -----------------------------------------------------------

    fn load_scalar(&mut self, ty: TypeId, addr: Value, off: i32) -> Value {
        let cl = self.cl(ty);
        if self.t.is_atomic(ty) {
            return self.atomic_load_at(cl, addr, off);
        }
        let volatile = self.t.is_volatile(ty);
        self.volatile_barrier(volatile);
        let v = self.b.ins().load(cl, flags(), addr, off);
        self.volatile_barrier(volatile);
        v
    }

    /// A sequentially consistent load of an `_Atomic` object (floats through their bits).
    fn atomic_load_at(&mut self, cl: Type, addr: Value, off: i32) -> Value {
        let a = if off != 0 {
            self.b.ins().iadd_imm_s(addr, i64::from(off))
        } else {
            addr
        };
        let ity = Type::int(cl.bits() as u16).unwrap_or(types::I64);
        let v = self.b.ins().atomic_load(ity, flags(), a);
        if ity == cl {
            v
        } else {
            self.b.ins().bitcast(cl, MemFlagsData::new(), v)
        }
    }

    /// A sequentially consistent store to an `_Atomic` object.
    fn atomic_store_at(&mut self, v: Value, addr: Value, off: i32) {
        let a = if off != 0 {
            self.b.ins().iadd_imm_s(addr, i64::from(off))
        } else {
            addr
        };
        let v = self.int_bits(v);
        self.b.ins().atomic_store(flags(), v, a);
    }

    /// `v` as an integer of its width (floats bit-cast), for atomic instructions.
    fn int_bits(&mut self, v: Value) -> Value {
        let vt = self.b.func.dfg.value_type(v);
        if vt.is_float() {
            let ity = Type::int(vt.bits() as u16).unwrap_or(types::I64);
            self.b.ins().bitcast(ity, MemFlagsData::new(), v)
        } else {
            v
        }
    }

    fn store_scalar(&mut self, ty: TypeId, v: Value, addr: Value, off: i32) {
        if self.t.is_atomic(ty) {
            self.atomic_store_at(v, addr, off);
            return;
        }
        let volatile = self.t.is_volatile(ty);
        self.volatile_barrier(volatile);
        self.b.ins().store(flags(), v, addr, off);
        self.volatile_barrier(volatile);
    }

    /// Around a volatile access: Cranelift's alias analysis treats `sequence_point` as a
    /// memory fence (it emits no code), so the access between two of them is never merged
    /// with, forwarded from or to, or removed as dead by another access; loads keep their
    /// default trapping flags, so they are never removed as unused either.
    fn volatile_barrier(&mut self, volatile: bool) {
        if volatile {
            self.b.ins().sequence_point();
        }
    }

    fn memcpy(&mut self, dst: Value, src: Value, size: u64) {
        if size == 0 {
            return;
        }
        let cfg = self.cx.module.isa().frontend_config();
        if size <= 64 {
            self.b
                .emit_small_memory_copy(cfg, dst, src, size, 1, 1, true, flags());
        } else {
            let n = self.b.ins().iconst(PTR, size as i64);
            self.mem_libcall("memcpy", [dst, src, n]);
        }
    }

    /// A call of libc's `memcpy`/`memset`/`memmove` (PTR, PTR or int, size) -> PTR, with a
    /// PC-relative call like every other call (cranelift-frontend's `call_memcpy` would use
    /// an absolute address, a text relocation in position-independent executables).
    fn mem_libcall(&mut self, name: &str, args: [Value; 3]) -> Value {
        let second = self.b.func.dfg.value_type(args[1]);
        self.libcall(name, &args, &[PTR, second, PTR], PTR)
    }

    fn memset0(&mut self, dst: Value, size: u64) {
        if size == 0 {
            return;
        }
        let cfg = self.cx.module.isa().frontend_config();
        if size <= 64 {
            self.b.emit_small_memset(cfg, dst, 0, size, 1, flags());
        } else {
            let z = self.b.ins().iconst(types::I32, 0);
            let n = self.b.ins().iconst(PTR, size as i64);
            self.mem_libcall("memset", [dst, z, n]);
        }
    }

    fn load_bitfield(&mut self, fty: TypeId, bf: &BitField, addr: Value) -> Value {
        let uty = Type::int((bf.unit_size * 8) as u16).unwrap_or(types::I64);
        let raw = self.b.ins().load(uty, flags(), addr, 0);
        let raw = if uty.bits() < 64 {
            self.b.ins().uextend(types::I64, raw)
        } else {
            raw
        };
        let signed = self.t.is_signed(fty);
        let shl = 64 - bf.bit_offset - bf.width;
        let v = self.b.ins().ishl_imm_s(raw, shl as i64);
        let v = if signed {
            self.b.ins().sshr_imm_s(v, (64 - bf.width) as i64)
        } else {
            self.b.ins().ushr_imm_s(v, (64 - bf.width) as i64)
        };
        let cl = self.cl(fty);
        if cl.bits() < 64 {
            self.b.ins().ireduce(cl, v)
        } else {
            v
        }
    }

    fn store_bitfield(&mut self, _fty: TypeId, bf: &BitField, v: Value, addr: Value) {
        let uty = Type::int((bf.unit_size * 8) as u16).unwrap_or(types::I64);
        let vty = self.b.func.dfg.value_type(v);
        let v64 = if vty.bits() < 64 {
            self.b.ins().uextend(types::I64, v)
        } else if vty.bits() > 64 {
            self.b.ins().ireduce(types::I64, v)
        } else {
            v
        };
        let mask: u64 = if bf.width >= 64 {
            u64::MAX
        } else {
            (1u64 << bf.width) - 1
        };
        let raw = self.b.ins().load(uty, flags(), addr, 0);
        let raw = if uty.bits() < 64 {
            self.b.ins().uextend(types::I64, raw)
        } else {
            raw
        };
        let keep = self
            .b
            .ins()
            .band_imm_s(raw, !(mask << bf.bit_offset) as i64);
        let nv = self.b.ins().band_imm_s(v64, mask as i64);
        let nv = self.b.ins().ishl_imm_s(nv, bf.bit_offset as i64);
        let res = self.b.ins().bor(keep, nv);
        let res = if uty.bits() < 64 {
            self.b.ins().ireduce(uty, res)
        } else {
            res
        };
        self.b.ins().store(flags(), res, addr, 0);
    }

    // ---- symbols ------------------------------------------------------------------

    fn func_ref(&mut self, s: SymId, for_call: bool) -> ir::FuncRef {
        if let Some(&r) = self.func_refs.get(&(s, for_call)) {
            return r;
        }
        let fid = match self.cx.func_id(s) {
            Ok(f) => f,
            Err(e) => {
                self.fail(e.to_string());
                let signature = self.b.import_signature(abi::empty_sig());
                return self.b.import_function(ir::ExtFuncData {
                    name: ir::ExternalName::testcase(""),
                    signature,
                    colocated: false,
                    patchable: false,
                });
            }
        };
        let r = self.cx.module.declare_func_in_func(fid, self.b.func);
        // Calls may always be PC-relative (the linker adds a stub for far targets);
        // addresses of functions from outside the object (or interposable) are absolute.
        let local = self.cx.binds_locally(s);
        self.b.func.dfg.ext_funcs[r].colocated = for_call || local;
        self.func_refs.insert((s, for_call), r);
        r
    }

    fn sym_addr(&mut self, s: SymId) -> Value {
        let sym = &self.cx.tu.symbols[s.0 as usize];
        match sym.kind {
            SymKind::Func => {
                let r = self.func_ref(s, false);
                self.b.ins().func_addr(PTR, r)
            }
            SymKind::Data => {
                let tls = sym.thread_local;
                let defined = self.cx.defines(s);
                let gv = match self.data_refs.get(&(s, defined)) {
                    Some(&g) => g,
                    None => {
                        let did = match self.cx.data_id(s) {
                            Ok(d) => d,
                            Err(e) => {
                                self.fail(e.to_string());
                                return self.b.ins().iconst(PTR, 0);
                            }
                        };
                        let g = self.cx.module.declare_data_in_func(did, self.b.func);
                        if !self.cx.binds_locally(s) {
                            // An interposable definition is reached through the GOT.
                            if let ir::GlobalValueData::Symbol { colocated, .. } =
                                &mut self.b.func.global_values[g]
                            {
                                *colocated = false;
                            }
                        }
                        self.data_refs.insert((s, defined), g);
                        g
                    }
                };
                if tls {
                    self.b.ins().tls_value(PTR, gv)
                } else {
                    self.b.ins().symbol_value(PTR, gv)
                }
            }
        }
    }

    /// `n` bytes of the thread's dynamic stack (see `dstack.rs`).
    fn dstack_alloc(&mut self, n: Value) -> Value {
        let d = match self.cx.dstack() {
            Ok(d) => d,
            Err(e) => {
                self.fail(e.to_string());
                return self.b.ins().iconst(PTR, 0);
            }
        };
        let r = self.cx.module.declare_func_in_func(d.alloc, self.b.func);
        let n = if self.b.func.dfg.value_type(n) != PTR {
            self.b.ins().uextend(PTR, n)
        } else {
            n
        };
        let call = self.b.ins().call(r, &[n]);
        self.b.inst_results(call)[0]
    }

    /// The dynamic stack's current pointer, in a new variable.
    fn dstack_mark(&mut self) -> Variable {
        let zero = self.b.ins().iconst(PTR, 0);
        let m = self.dstack_alloc(zero);
        let v = self.b.declare_var(PTR);
        self.b.def_var(v, m);
        v
    }

    /// Free everything allocated on the dynamic stack since `mark` was taken.
    fn dstack_release(&mut self, mark: Variable) {
        let Some(d) = self.cx.dstack else { return };
        let m = self.b.use_var(mark);
        let gv = self.cx.module.declare_data_in_func(d.sp, self.b.func);
        let addr = self.b.ins().tls_value(PTR, gv);
        self.b.ins().store(flags(), m, addr, 0);
    }

    /// Leaving VLA scopes down to `depth` open ones (a block end, `break`, `goto`...).
    fn leave_vla_scopes(&mut self, depth: usize) {
        let exits: Vec<ScopeExit> = self.vla_marks.get(depth..).unwrap_or(&[]).to_vec();
        for e in exits.iter().rev() {
            match e {
                ScopeExit::Cleanup(call) => {
                    self.expr(call);
                }
                // Releasing a mark frees everything allocated after it: all of it belongs to
                // the entries already unwound.
                ScopeExit::Vla(mark) => self.dstack_release(*mark),
            }
        }
    }

    /// Before a return: the open scopes' cleanups run, then the function's VLAs and
    /// `alloca` memory die.
    fn leave_dyn(&mut self) {
        self.leave_vla_scopes(0);
        if let Some(mark) = self.dyn_entry {
            self.dstack_release(mark);
        }
    }

    // ---- expressions --------------------------------------------------------------

    /// The address of an lvalue.
    fn lvalue(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Local(id) => self.local_addr(*id),
            ExprKind::Global(s) => self.sym_addr(*s),
            ExprKind::Deref(p) => self.expr(p),
            ExprKind::Member { base, offset, .. } => {
                let a = if base.is_lvalue() {
                    self.lvalue(base)
                } else {
                    self.expr(base)
                };
                if *offset == 0 {
                    a
                } else {
                    self.b.ins().iadd_imm_s(a, *offset as i64)
                }
            }
            ExprKind::Temp { local, init } => {
                self.stmt(init);
                self.local_addr(*local)
            }
            _ => {
                // Aggregate rvalues (call results, statement expressions) are already addresses.
                self.expr(e)
            }
        }
    }

    fn cond(&mut self, e: &Expr) -> Value {
        let v = self.expr(e);
        self.truth(v, e.ty)
    }

    /// A scalar's truth value as a Cranelift boolean (i8 0/1).
    fn truth(&mut self, v: Value, ty: TypeId) -> Value {
        if self.is_ld(ty) {
            return self.ld_truth(v);
        }
        if self.is_tf(ty) {
            return self.tf_truth(v);
        }
        let vt = self.b.func.dfg.value_type(v);
        if vt.is_float() {
            let z = if vt == types::F32 {
                self.b.ins().f32const(0.0)
            } else {
                self.b.ins().f64const(0.0)
            };
            return self.b.ins().fcmp(FloatCC::NotEqual, v, z);
        }
        let _ = ty;
        self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0)
    }

    fn void_value(&mut self) -> Value {
        self.b.ins().iconst(types::I32, 0)
    }

    fn expr(&mut self, e: &Expr) -> Value {
        use ExprKind as K;
        match &e.kind {
            K::Int(v) if self.is_ld(e.ty) => {
                let fmt = self.cx.opts.target.long_double;
                let signed = *v < 0;
                self.ld_bits(cfree_frontend::ldfloat::from_int(fmt, *v, signed))
            }
            K::Float(f) if self.is_ld(e.ty) => self.ld_f64_const(*f),
            K::Int(v) if self.is_tf(e.ty) => {
                let fmt = cfree_frontend::LongDoubleFormat::Binary128;
                self.tf_bits(cfree_frontend::ldfloat::from_int(fmt, *v, *v < 0))
            }
            K::Float(f) if self.is_tf(e.ty) => self.tf_f64_const(*f),
            K::LongDouble(bits) if self.is_tf(e.ty) => self.tf_bits(*bits),
            K::LongDouble(bits) => self.ld_bits(*bits),
            K::Int(v) => {
                if e.ty == TypeTable::VOID {
                    return self.void_value();
                }
                let cl = self.cl(e.ty);
                if cl == types::I128 {
                    let lo = self.b.ins().iconst(types::I64, *v as i64);
                    let hi = self.b.ins().iconst(types::I64, (*v >> 64) as i64);
                    return self.b.ins().iconcat(lo, hi);
                }
                if cl.is_float() {
                    return self.fconst(cl, *v as f64);
                }
                self.b.ins().iconst(cl, *v as i64)
            }
            K::Float(f) => {
                let cl = self.cl(e.ty);
                self.fconst(cl, *f)
            }
            K::Local(id) => {
                // An lvalue used as a value is only reached for aggregates: its address.
                match self.slots[id.0 as usize] {
                    Slot::Var(v) => self.b.use_var(v),
                    _ => self.local_addr(*id),
                }
            }
            K::Global(_) | K::Deref(_) | K::Member { .. } | K::Temp { .. } => self.lvalue(e),
            K::Load(lv) => self.load(lv, e.ty),
            K::AddrOf(lv) => {
                if let K::Local(id) = lv.kind {
                    if let Slot::Var(_) = self.slots[id.0 as usize] {
                        self.fail("internal: address of a register local");
                    }
                }
                self.lvalue(lv)
            }
            K::Cast(kind, x) => {
                let v = self.expr(x);
                self.cast(*kind, v, x.ty, e.ty)
            }
            K::Unary(op, x) => {
                let v = self.expr(x);
                let vt = self.b.func.dfg.value_type(v);
                match op {
                    UnOp::Neg if self.is_ld(x.ty) => self.ld_neg(v),
                    UnOp::Neg if self.is_tf(x.ty) => self.tf_neg(v),
                    UnOp::Neg if vt.is_float() => self.b.ins().fneg(v),
                    UnOp::Neg => self.b.ins().ineg(v),
                    UnOp::BitNot => self.b.ins().bnot(v),
                    UnOp::LogNot => {
                        let t = self.truth(v, x.ty);
                        let n = self.b.ins().bxor_imm_s(t, 1);
                        self.b.ins().uextend(types::I32, n)
                    }
                }
            }
            K::Binary(op, l, r) => {
                let a = self.expr(l);
                let c = self.expr(r);
                self.binop(*op, a, c, l.ty, e.ty)
            }
            K::PtrAdd { ptr, index, scale } => {
                let p = self.expr(ptr);
                let i = self.expr(index);
                self.ptr_offset(p, i, *scale)
            }
            K::PtrDiff { lhs, rhs, scale } => {
                let a = self.expr(lhs);
                let c = self.expr(rhs);
                let d = self.b.ins().isub(a, c);
                if *scale == 1 {
                    d
                } else if scale.is_power_of_two() {
                    self.b.ins().sshr_imm_s(d, scale.trailing_zeros() as i64)
                } else {
                    let s = self.b.ins().iconst(PTR, *scale as i64);
                    self.b.ins().sdiv(d, s)
                }
            }
            K::LogAnd(l, r) | K::LogOr(l, r) => {
                let is_and = matches!(e.kind, K::LogAnd(..));
                let rhs_b = self.b.create_block();
                let join = self.b.create_block();
                self.b.append_block_param(join, types::I32);
                let lv = self.cond(l);
                let lv32 = self.b.ins().uextend(types::I32, lv);
                if is_and {
                    self.b
                        .ins()
                        .brif(lv, rhs_b, &[], join, &[BlockArg::Value(lv32)]);
                } else {
                    self.b
                        .ins()
                        .brif(lv, join, &[BlockArg::Value(lv32)], rhs_b, &[]);
                }
                self.b.switch_to_block(rhs_b);
                let rv = self.cond(r);
                let rv32 = self.b.ins().uextend(types::I32, rv);
                self.b.ins().jump(join, &[BlockArg::Value(rv32)]);
                self.b.switch_to_block(join);
                self.b.block_params(join)[0]
            }
            K::Cond(c, t, f) => {
                let (tb, fb, join) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                let void = e.ty == TypeTable::VOID;
                let rty = if void {
                    types::I32
                } else if self.t.is_aggregate(e.ty) {
                    PTR
                } else {
                    self.cl(e.ty)
                };
                self.b.append_block_param(join, rty);
                let cv = self.cond(c);
                self.b.ins().brif(cv, tb, &[], fb, &[]);
                self.b.switch_to_block(tb);
                let tv = if void {
                    self.expr(t);
                    self.void_value()
                } else {
                    self.expr(t)
                };
                self.b.ins().jump(join, &[BlockArg::Value(tv)]);
                self.b.switch_to_block(fb);
                let fv = if void {
                    self.expr(f);
                    self.void_value()
                } else {
                    self.expr(f)
                };
                self.b.ins().jump(join, &[BlockArg::Value(fv)]);
                self.b.switch_to_block(join);
                self.b.block_params(join)[0]
            }
            K::Assign { lhs, rhs } => self.assign(lhs, rhs),
            K::CompoundAssign {
                op,
                lhs,
                rhs,
                op_ty,
                scale,
            } => self.compound_assign(*op, lhs, rhs, *op_ty, *scale, e.ty),
            K::IncDec { lhs, delta, post } => self.inc_dec(lhs, *delta, *post),
            K::Call { callee, args, fty } => self.call(callee, args, *fty, e.ty),
            K::Comma(a, c) => {
                self.expr(a);
                self.expr(c)
            }
            K::StmtExpr(stmts, last) => {
                // VLAs of a statement expression live until the function returns (its value
                // may still point into them), so their scopes are closed without releasing.
                let depth = self.vla_marks.len();
                self.stmts(stmts);
                let v = match last {
                    Some(x) => self.expr(x),
                    None => self.void_value(),
                };
                self.vla_marks.truncate(depth);
                v
            }
            K::VlaSize(id) => match self.slots[id.0 as usize] {
                Slot::Var(v) => self.b.use_var(v),
                _ => {
                    let a = self.local_addr(*id);
                    self.b.ins().load(PTR, flags(), a, 0)
                }
            },
            K::Builtin(bi, args) => self.builtin(*bi, args, e.ty),
            K::LabelAddr(l) => self.b.ins().iconst(PTR, label_token(*l)),
            K::Complex { re, im } => self.complex_value(e.ty, re, im),
        }
    }

    /// A complex rvalue: a temporary holding both parts, whose address is the value (as for
    /// every aggregate rvalue).
    fn complex_value(&mut self, ty: TypeId, re: &Expr, im: &Expr) -> Value {
        let slot = self.new_slot(self.t.size(ty), self.t.align(ty));
        let addr = self.b.ins().stack_addr(PTR, slot, 0);
        self.store_value(re.ty, re, addr);
        let at = self.b.ins().iadd_imm_s(addr, self.t.size(re.ty) as i64);
        self.store_value(im.ty, im, at);
        addr
    }

    fn fconst(&mut self, cl: Type, f: f64) -> Value {
        if cl == types::F32 {
            self.b.ins().f32const(f as f32)
        } else {
            self.b.ins().f64const(f)
        }
    }

    fn load(&mut self, lv: &Expr, ty: TypeId) -> Value {
        if let ExprKind::Local(id) = lv.kind {
            if let Slot::Var(v) = self.slots[id.0 as usize] {
                return self.b.use_var(v);
            }
        }
        if let ExprKind::Member { bit: Some(bf), .. } = &lv.kind {
            let addr = self.lvalue(lv);
            let volatile = self.t.is_volatile(lv.ty);
            self.volatile_barrier(volatile);
            let v = self.load_bitfield(ty, bf, addr);
            self.volatile_barrier(volatile);
            return v;
        }
        let addr = self.lvalue(lv);
        if self.t.is_aggregate(ty) {
            return addr;
        }
        // The lvalue's type: it carries `volatile`/`_Atomic` (the value's type does not).
        self.load_scalar(lv.ty, addr, 0)
    }

    /// Stores `v` (of the lvalue's type) into `lv`.
    fn store_to(&mut self, lv: &Expr, v: Value) {
        if let ExprKind::Local(id) = lv.kind {
            if let Slot::Var(var) = self.slots[id.0 as usize] {
                self.b.def_var(var, v);
                return;
            }
        }
        let addr = self.lvalue(lv);
        self.store_at(lv, addr, v);
    }

    fn store_at(&mut self, lv: &Expr, addr: Value, v: Value) {
        if let ExprKind::Member { bit: Some(bf), .. } = &lv.kind {
            let volatile = self.t.is_volatile(lv.ty);
            self.volatile_barrier(volatile);
            self.store_bitfield(lv.ty, bf, v, addr);
            self.volatile_barrier(volatile);
            return;
        }
        self.store_scalar(lv.ty, v, addr, 0);
    }

    /// The value a bit-field actually holds after storing `v` (for the assignment's value).
    fn bitfield_result(&mut self, lv: &Expr, v: Value) -> Value {
        if let ExprKind::Member { bit: Some(bf), .. } = &lv.kind {
            let vt = self.b.func.dfg.value_type(v);
            let bits = vt.bits();
            if bf.width < bits {
                let sh = (bits - bf.width) as i64;
                let x = self.b.ins().ishl_imm_s(v, sh);
                return if self.t.is_signed(lv.ty) {
                    self.b.ins().sshr_imm_s(x, sh)
                } else {
                    self.b.ins().ushr_imm_s(x, sh)
                };
            }
        }
        v
    }

    fn assign(&mut self, lhs: &Expr, rhs: &Expr) -> Value {
        if self.t.is_aggregate(lhs.ty) {
            let src = self.expr(rhs);
            let dst = self.lvalue(lhs);
            let size = self.t.size(lhs.ty);
            self.memcpy(dst, src, size);
            return dst;
        }
        let v = self.expr(rhs);
        if let ExprKind::Local(id) = lhs.kind {
            if let Slot::Var(var) = self.slots[id.0 as usize] {
                self.b.def_var(var, v);
                return v;
            }
        }
        let addr = self.lvalue(lhs);
        self.store_at(lhs, addr, v);
        self.bitfield_result(lhs, v)
    }

    /// Loads through an address computed once (for read-modify-write operators).
    fn rmw_load(&mut self, lhs: &Expr) -> (Option<Value>, Value) {
        if let ExprKind::Local(id) = lhs.kind {
            if let Slot::Var(v) = self.slots[id.0 as usize] {
                return (None, self.b.use_var(v));
            }
        }
        let addr = self.lvalue(lhs);
        let v = match &lhs.kind {
            ExprKind::Member { bit: Some(bf), .. } => self.load_bitfield(lhs.ty, bf, addr),
            _ => self.load_scalar(lhs.ty, addr, 0),
        };
        (Some(addr), v)
    }

    fn rmw_store(&mut self, lhs: &Expr, addr: Option<Value>, v: Value) -> Value {
        match addr {
            Some(a) => {
                self.store_at(lhs, a, v);
                self.bitfield_result(lhs, v)
            }
            None => {
                self.store_to(lhs, v);
                v
            }
        }
    }

    fn compound_assign(
        &mut self,
        op: BinOp,
        lhs: &Expr,
        rhs: &Expr,
        op_ty: TypeId,
        scale: Option<u64>,
        ty: TypeId,
    ) -> Value {
        let r = self.expr(rhs);
        if self.t.is_atomic(lhs.ty) {
            let (_, new) = self.atomic_update(lhs, |tx, old| {
                tx.compound_value(op, lhs, old, r, op_ty, scale, ty)
            });
            return new;
        }
        let (addr, old) = self.rmw_load(lhs);
        let new = self.compound_value(op, lhs, old, r, op_ty, scale, ty);
        self.rmw_store(lhs, addr, new)
    }

    /// The new value of `lhs op= r` given the old one.
    #[allow(clippy::too_many_arguments)]
    fn compound_value(
        &mut self,
        op: BinOp,
        lhs: &Expr,
        old: Value,
        r: Value,
        op_ty: TypeId,
        scale: Option<u64>,
        ty: TypeId,
    ) -> Value {
        match scale {
            Some(s) => {
                let r = if op == BinOp::Sub {
                    self.b.ins().ineg(r)
                } else {
                    r
                };
                self.ptr_offset(old, r, s)
            }
            None => {
                let kind = cast_kind(self.t, lhs.ty, op_ty);
                let a = self.cast(kind, old, lhs.ty, op_ty);
                let res = self.binop(op, a, r, op_ty, op_ty);
                let back = cast_kind(self.t, op_ty, ty);
                self.cast(back, res, op_ty, ty)
            }
        }
    }

    /// Read-modify-write of an `_Atomic` lvalue as a compare-and-swap loop, so that
    /// `a += x`, `a++` … are atomic: returns (old, new).
    fn atomic_update(
        &mut self,
        lhs: &Expr,
        f: impl Fn(&mut Self, Value) -> Value,
    ) -> (Value, Value) {
        let addr = self.lvalue(lhs);
        let cl = self.cl(lhs.ty);
        let first = self.atomic_load_at(cl, addr, 0);
        let (head, done) = (self.b.create_block(), self.b.create_block());
        let old = self.b.append_block_param(head, cl);
        self.b.ins().jump(head, &[first.into()]);
        self.b.switch_to_block(head);
        let new = f(self, old);
        let (old_bits, new_bits) = (self.int_bits(old), self.int_bits(new));
        let seen = self.b.ins().atomic_cas(flags(), addr, old_bits, new_bits);
        let ok = self.b.ins().icmp(IntCC::Equal, seen, old_bits);
        let seen = if cl.is_float() {
            self.b.ins().bitcast(cl, MemFlagsData::new(), seen)
        } else {
            seen
        };
        self.b.ins().brif(ok, done, &[], head, &[seen.into()]);
        self.b.switch_to_block(done);
        (old, new)
    }

    fn inc_dec(&mut self, lhs: &Expr, delta: i64, post: bool) -> Value {
        if self.t.is_atomic(lhs.ty) {
            let (old, new) = self.atomic_update(lhs, |tx, old| tx.inc_dec_value(lhs, old, delta));
            return if post { old } else { new };
        }
        let (addr, old) = self.rmw_load(lhs);
        let new = self.inc_dec_value(lhs, old, delta);
        let stored = self.rmw_store(lhs, addr, new);
        if post {
            old
        } else {
            stored
        }
    }

    fn inc_dec_value(&mut self, lhs: &Expr, old: Value, delta: i64) -> Value {
        let vt = self.b.func.dfg.value_type(old);
        if self.is_ld(lhs.ty) {
            let d = self.ld_f64_const(delta as f64);
            self.ld_binop(BinOp::Add, old, d)
        } else if self.is_tf(lhs.ty) {
            let d = self.tf_f64_const(delta as f64);
            self.tf_binop(BinOp::Add, old, d)
        } else if vt.is_float() {
            let d = self.fconst(vt, delta as f64);
            self.b.ins().fadd(old, d)
        } else if self.t.unqualified(lhs.ty) == TypeTable::BOOL {
            // `b++` sets a _Bool to 1; `b--` toggles it.
            if delta > 0 {
                self.b.ins().iconst(types::I8, 1)
            } else {
                self.b.ins().bxor_imm_s(old, 1)
            }
        } else if vt == types::I128 {
            let d = self.iconst(types::I128, delta);
            self.b.ins().iadd(old, d)
        } else {
            self.b.ins().iadd_imm_s(old, delta)
        }
    }

    fn ptr_offset(&mut self, p: Value, i: Value, scale: u64) -> Value {
        let it = self.b.func.dfg.value_type(i);
        let i = if it.bits() < 64 {
            self.b.ins().sextend(PTR, i)
        } else if it.bits() > 64 {
            self.b.ins().ireduce(PTR, i)
        } else {
            i
        };
        let off = if scale == 1 {
            i
        } else {
            self.b.ins().imul_imm_s(i, scale as i64)
        };
        self.b.ins().iadd(p, off)
    }

    fn binop(&mut self, op: BinOp, a: Value, c: Value, opty: TypeId, _ty: TypeId) -> Value {
        if self.is_ld(opty) {
            return self.ld_binop(op, a, c);
        }
        if self.is_tf(opty) {
            return self.tf_binop(op, a, c);
        }
        let vt = self.b.func.dfg.value_type(a);
        let signed = self.t.is_signed(opty);
        let ins = self.b.ins();
        if vt.is_float() {
            let cc = match op {
                BinOp::Add => return ins.fadd(a, c),
                BinOp::Sub => return ins.fsub(a, c),
                BinOp::Mul => return ins.fmul(a, c),
                BinOp::Div => return ins.fdiv(a, c),
                BinOp::Eq => FloatCC::Equal,
                BinOp::Ne => FloatCC::NotEqual,
                BinOp::Lt => FloatCC::LessThan,
                BinOp::Le => FloatCC::LessThanOrEqual,
                BinOp::Gt => FloatCC::GreaterThan,
                BinOp::Ge => FloatCC::GreaterThanOrEqual,
                _ => {
                    self.fail("invalid floating-point operation");
                    return a;
                }
            };
            let r = self.b.ins().fcmp(cc, a, c);
            return self.b.ins().uextend(types::I32, r);
        }
        let cc = match op {
            BinOp::Add => return ins.iadd(a, c),
            BinOp::Sub => return ins.isub(a, c),
            BinOp::Mul => return ins.imul(a, c),
            BinOp::Div | BinOp::Rem => return self.divrem(op, a, c, signed),
            BinOp::Shl => return ins.ishl(a, c),
            BinOp::Shr => {
                return if signed {
                    ins.sshr(a, c)
                } else {
                    ins.ushr(a, c)
                }
            }
            BinOp::BitAnd => return ins.band(a, c),
            BinOp::BitOr => return ins.bor(a, c),
            BinOp::BitXor => return ins.bxor(a, c),
            BinOp::Eq => IntCC::Equal,
            BinOp::Ne => IntCC::NotEqual,
            BinOp::Lt => {
                if signed {
                    IntCC::SignedLessThan
                } else {
                    IntCC::UnsignedLessThan
                }
            }
            BinOp::Le => {
                if signed {
                    IntCC::SignedLessThanOrEqual
                } else {
                    IntCC::UnsignedLessThanOrEqual
                }
            }
            BinOp::Gt => {
                if signed {
                    IntCC::SignedGreaterThan
                } else {
                    IntCC::UnsignedGreaterThan
                }
            }
            BinOp::Ge => {
                if signed {
                    IntCC::SignedGreaterThanOrEqual
                } else {
                    IntCC::UnsignedGreaterThanOrEqual
                }
            }
        };
        let r = self.b.ins().icmp(cc, a, c);
        self.b.ins().uextend(types::I32, r)
    }

    /// Signed division whose division by zero raises SIGFPE, as gcc's `idiv` does (programs
    /// catch it): Cranelift's `sdiv` tests the divisor and executes `ud2` (SIGILL) instead,
    /// while `udiv` leaves a zero divisor to the hardware. So a zero divisor takes `udiv`.
    fn sdiv_trapping(&mut self, a: Value, c: Value) -> Value {
        let dfg = &self.b.func.dfg;
        let constant = match dfg.value_def(c) {
            cranelift_codegen::ir::ValueDef::Result(inst, _) => {
                dfg.insts[inst].opcode() == cranelift_codegen::ir::Opcode::Iconst
            }
            _ => false,
        };
        if constant {
            return self.b.ins().sdiv(a, c);
        }
        let vt = dfg.value_type(a);
        let (zero, div, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        self.b.append_block_param(join, vt);
        let is_zero = self.b.ins().icmp_imm_s(IntCC::Equal, c, 0);
        self.b.ins().brif(is_zero, zero, &[], div, &[]);
        self.b.switch_to_block(zero);
        let q = self.b.ins().udiv(a, c);
        self.b.ins().jump(join, &[BlockArg::Value(q)]);
        self.b.switch_to_block(div);
        let q = self.b.ins().sdiv(a, c);
        self.b.ins().jump(join, &[BlockArg::Value(q)]);
        self.b.switch_to_block(join);
        self.b.block_params(join)[0]
    }

    /// Division as a target whose divide instruction never traps computes it: a zero divisor
    /// gives quotient `q0` and the dividend as remainder, `MIN / -1` gives `MIN` remainder 0
    /// (Cranelift's `sdiv`/`udiv` would trap, so the divisor is replaced by 1 there).
    fn divrem_total(&mut self, op: BinOp, a: Value, c: Value, signed: bool, q0: i64) -> Value {
        let vt = self.b.func.dfg.value_type(a);
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, c, 0);
        let mut bad = zero;
        if signed {
            let min = self.iconst(vt, i64::MIN >> (64 - vt.bits()));
            let is_min = self.b.ins().icmp(IntCC::Equal, a, min);
            let minus1 = self.b.ins().icmp_imm_s(IntCC::Equal, c, -1);
            let ovf = self.b.ins().band(is_min, minus1);
            bad = self.b.ins().bor(zero, ovf);
        }
        let one = self.iconst(vt, 1);
        let d = self.b.ins().select(bad, one, c);
        let (r, fixed) = match (op, signed) {
            (BinOp::Div, true) => (self.b.ins().sdiv(a, d), self.iconst(vt, q0)),
            (BinOp::Div, false) => (self.b.ins().udiv(a, d), self.iconst(vt, q0)),
            (_, true) => (self.b.ins().srem(a, d), a),
            (_, false) => (self.b.ins().urem(a, d), a),
        };
        self.b.ins().select(zero, fixed, r)
    }

    fn divrem(&mut self, op: BinOp, a: Value, c: Value, signed: bool) -> Value {
        let vt = self.b.func.dfg.value_type(a);
        if vt == types::I128 {
            let name = match (op, signed) {
                (BinOp::Div, true) => "__divti3",
                (BinOp::Div, false) => "__udivti3",
                (_, true) => "__modti3",
                (_, false) => "__umodti3",
            };
            return self.libcall(name, &[a, c], &[types::I128, types::I128], types::I128);
        }
        if let cfree_frontend::target::IntDivZero::Quotient(q) =
            self.cx.opts.target.arch.int_div_by_zero()
        {
            return self.divrem_total(op, a, c, signed, q);
        }
        match (op, signed) {
            (BinOp::Div, true) => self.sdiv_trapping(a, c),
            (BinOp::Div, false) => self.b.ins().udiv(a, c),
            (_, true) => self.b.ins().srem(a, c),
            (_, false) => self.b.ins().urem(a, c),
        }
    }

    /// The imported function `name` with signature `sig`, referenced from this function;
    /// `None` once the error is recorded.
    pub(crate) fn import_ref(&mut self, name: &str, sig: &ir::Signature) -> Option<ir::FuncRef> {
        match self
            .cx
            .module
            .declare_function(name, cranelift_module::Linkage::Import, sig)
        {
            Ok(f) => Some(self.cx.module.declare_func_in_func(f, self.b.func)),
            Err(e) => {
                self.fail(format!("cannot declare {name}: {e}"));
                None
            }
        }
    }

    fn libcall(&mut self, name: &str, args: &[Value], params: &[Type], ret: Type) -> Value {
        let mut sig = abi::empty_sig();
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns.push(AbiParam::new(ret));
        let Some(r) = self.import_ref(name, &sig) else {
            return self.iconst(ret, 0);
        };
        self.b.func.dfg.ext_funcs[r].colocated = true;
        let call = self.b.ins().call(r, args);
        self.b.inst_results(call)[0]
    }

    fn cast(&mut self, kind: CastKind, v: Value, from: TypeId, to: TypeId) -> Value {
        let vt = self.b.func.dfg.value_type(v);
        match kind {
            CastKind::ToVoid => v,
            CastKind::ToBool => {
                let t = self.truth(v, from);
                let _ = t;
                t
            }
            CastKind::IntToInt | CastKind::PtrToInt | CastKind::IntToPtr | CastKind::Bitcast => {
                let tt = if self.t.is_pointer(to) {
                    PTR
                } else {
                    self.cl(to)
                };
                if tt == vt {
                    return v;
                }
                if tt.bits() < vt.bits() {
                    return self.b.ins().ireduce(tt, v);
                }
                if self.t.is_signed(from) && from != TypeTable::BOOL {
                    self.b.ins().sextend(tt, v)
                } else {
                    self.b.ins().uextend(tt, v)
                }
            }
            CastKind::IntToFloat if self.is_tf(to) => self.tf_from_int(v, from),
            CastKind::FloatToInt if self.is_tf(from) => self.tf_to_int(v, to),
            CastKind::FloatToFloat if self.is_tf(from) || self.is_tf(to) => {
                self.tf_float_cast(v, from, to)
            }
            CastKind::IntToFloat if self.is_ld(to) => self.ld_from_int(v, from),
            CastKind::FloatToInt if self.is_ld(from) => self.ld_to_int(v, to),
            CastKind::FloatToFloat if self.is_ld(from) || self.is_ld(to) => {
                self.ld_float_cast(v, from, to)
            }
            CastKind::IntToFloat => {
                let tt = self.cl(to);
                let v = if vt.bits() < 32 {
                    if self.t.is_signed(from) {
                        self.b.ins().sextend(types::I32, v)
                    } else {
                        self.b.ins().uextend(types::I32, v)
                    }
                } else {
                    v
                };
                if vt == types::I128 {
                    let lo = self.b.ins().ireduce(types::I64, v);
                    return if self.t.is_signed(from) {
                        self.b.ins().fcvt_from_sint(tt, lo)
                    } else {
                        self.b.ins().fcvt_from_uint(tt, lo)
                    };
                }
                if self.t.is_signed(from) {
                    self.b.ins().fcvt_from_sint(tt, v)
                } else {
                    self.b.ins().fcvt_from_uint(tt, v)
                }
            }
            CastKind::FloatToInt => {
                let tt = self.cl(to);
                let wide = if tt.bits() < 32 {
                    types::I32
                } else if tt == types::I128 {
                    types::I64
                } else {
                    tt
                };
                let r = if self.t.is_signed(to) {
                    self.b.ins().fcvt_to_sint_sat(wide, v)
                } else {
                    self.b.ins().fcvt_to_uint_sat(wide, v)
                };
                if tt.bits() < wide.bits() {
                    self.b.ins().ireduce(tt, r)
                } else if tt.bits() > wide.bits() {
                    if self.t.is_signed(to) {
                        self.b.ins().sextend(tt, r)
                    } else {
                        self.b.ins().uextend(tt, r)
                    }
                } else {
                    r
                }
            }
            CastKind::FloatToFloat => {
                let tt = self.cl(to);
                if tt == vt {
                    v
                } else if tt.bits() > vt.bits() {
                    self.b.ins().fpromote(tt, v)
                } else {
                    self.b.ins().fdemote(tt, v)
                }
            }
        }
    }

    // ---- calls --------------------------------------------------------------------

    fn call(&mut self, callee: &Expr, args: &[Expr], fty: TypeId, rty: TypeId) -> Value {
        let Some(ft) = self.t.func_type(fty).cloned() else {
            self.fail("call of a non-function");
            return self.void_value();
        };
        let extra: Vec<TypeId> = args.iter().skip(ft.params.len()).map(|a| a.ty).collect();
        // Calls to unprototyped functions pass every argument as a promoted value: as variadic
        // ones or as named ones of those types, as the target's ABI says.
        let (site_ft, variadic_site) = if ft.has_proto {
            (ft.clone(), ft.variadic)
        } else if !self.cx.abi.unprototyped_calls_are_variadic() {
            (
                cfree_frontend::types::FuncType {
                    ret: ft.ret,
                    params: args.iter().map(|a| a.ty).collect(),
                    variadic: false,
                    has_proto: true,
                },
                false,
            )
        } else {
            (
                cfree_frontend::types::FuncType {
                    ret: ft.ret,
                    params: vec![],
                    variadic: true,
                    has_proto: true,
                },
                true,
            )
        };
        let extra = if ft.has_proto {
            extra
        } else if variadic_site {
            args.iter().map(|a| a.ty).collect()
        } else {
            Vec::new()
        };
        let fabi = self.cx.abi.signature(self.t, &site_ft, &extra, false);
        let mut vals = Vec::new();
        let mut ret_slot = None;
        if let ArgAbi::Memory { size, .. } = fabi.ret {
            let ss = self.new_slot(size as u64, 16);
            let a = self.b.ins().stack_addr(PTR, ss, 0);
            vals.push(a);
            ret_slot = Some(a);
        }
        // Arguments from here on are variadic (read back by `va_arg`).
        let nfixed = if variadic_site {
            site_ft.params.len()
        } else {
            args.len()
        };
        for (k, (arg, a)) in args.iter().zip(fabi.params.iter()).enumerate() {
            for &pad in &fabi.pads[k] {
                let z = self.zero_piece(pad);
                vals.push(z);
            }
            match a {
                ArgAbi::Direct(cl) => {
                    let v = self.expr(arg);
                    let v = self.coerce(v, *cl);
                    vals.push(v);
                }
                ArgAbi::Split(pieces) => {
                    let addr = self.expr(arg);
                    let size = self.t.size(arg.ty) as u32;
                    for (ty, off) in pieces {
                        let v = self.load_piece(*ty, addr, *off, size);
                        vals.push(v);
                    }
                }
                ArgAbi::Memory { size, pad } => {
                    if k >= nfixed {
                        self.check_stack_align(arg.ty, arg.loc);
                    }
                    let v = self.expr(arg);
                    let v = self.stack_arg_copy(arg.ty, v, *size, *pad);
                    vals.push(v);
                }
                ArgAbi::Indirect { size, align } => {
                    // The callee may write its parameter: it gets a copy of its own.
                    let v = self.expr(arg);
                    let ss = self.new_slot(*size as u64, (*align).max(8) as u64);
                    let copy = self.b.ins().stack_addr(PTR, ss, 0);
                    self.memcpy(copy, v, *size as u64);
                    vals.push(copy);
                }
                ArgAbi::Ignore | ArgAbi::X87 | ArgAbi::X87Pair => {
                    self.expr(arg);
                }
            }
        }
        // Direct calls to known functions; variadic ones through the target's thunk if any.
        let direct = match &callee.kind {
            ExprKind::AddrOf(inner) => match inner.kind {
                ExprKind::Global(s) if self.cx.tu.symbols[s.0 as usize].kind == SymKind::Func => {
                    Some(s)
                }
                _ => None,
            },
            _ => None,
        };
        let sigref = self.b.import_signature(fabi.sig.clone());
        let call = match direct {
            Some(s) if variadic_site && self.cx.abi.variadic_thunk().is_some() => {
                let thunk = match self.cx.va_thunk(s) {
                    Ok(t) => t,
                    Err(e) => {
                        self.fail(e.to_string());
                        return self.void_value();
                    }
                };
                let r = self.cx.module.declare_func_in_func(thunk, self.b.func);
                self.b.func.dfg.ext_funcs[r].signature = sigref;
                self.b.func.dfg.ext_funcs[r].colocated = true;
                self.b.ins().call(r, &vals)
            }
            Some(s) => {
                let r = self.func_ref(s, true);
                // Each call site may differ from the declaration (unprototyped declarations).
                let fr = self.b.import_function(ir::ExtFuncData {
                    name: self.b.func.dfg.ext_funcs[r].name.clone(),
                    signature: sigref,
                    colocated: true,
                    patchable: false,
                });
                self.b.ins().call(fr, &vals)
            }
            None => {
                let cv = self.expr(callee);
                self.b.ins().call_indirect(sigref, cv, &vals)
            }
        };
        let results: Vec<Value> = self.b.inst_results(call).to_vec();
        match fabi.ret {
            ArgAbi::Direct(_) => match results.first() {
                Some(&v) => {
                    let cl = self.cl(rty);
                    self.coerce(v, cl)
                }
                None => self.void_value(),
            },
            ArgAbi::Split(pieces) => {
                // Room for whole pieces (an HFA of four doubles is 32 bytes).
                let extent = pieces
                    .iter()
                    .map(|(ty, off)| off + ty.bytes())
                    .max()
                    .unwrap_or(0);
                let room = extent.max(self.t.size(rty) as u32);
                let ss = self.new_slot(room as u64, 16);
                let a = self.b.ins().stack_addr(PTR, ss, 0);
                for ((ty, off), v) in pieces.iter().zip(results) {
                    self.store_piece(*ty, v, a, *off, room);
                }
                a
            }
            ArgAbi::Memory { .. } => ret_slot.unwrap_or_else(|| self.void_value()),
            ArgAbi::Ignore | ArgAbi::Indirect { .. } => self.void_value(),
            ArgAbi::X87 => {
                // Nothing between the call and this pop touches the x87 stack.
                let v = match self.x87(X87Op::Pop, &[]) {
                    Some(v) => v,
                    None => self.iconst(types::I128, 0),
                };
                if self.t.is_aggregate(rty) {
                    let ss = self.new_slot(16, 16);
                    let a = self.b.ins().stack_addr(PTR, ss, 0);
                    self.b.ins().store(flags(), v, a, 0);
                    a
                } else {
                    v
                }
            }
            ArgAbi::X87Pair => {
                let ss = self.new_slot(32, 16);
                let a = self.b.ins().stack_addr(PTR, ss, 0);
                self.x87(X87Op::PopPair, &[a]);
                a
            }
        }
    }

    /// The pointer Cranelift copies a stack argument from: aggregates are already addresses;
    /// scalars (long double) are spilled; padded ones are copied behind `pad` bytes.
    fn stack_arg_copy(&mut self, ty: TypeId, v: Value, size: u32, pad: u32) -> Value {
        let scalar = !self.t.is_aggregate(ty);
        if !scalar && pad == 0 {
            return v;
        }
        let ss = self.new_slot((pad + size.next_multiple_of(8)) as u64, 16);
        let base = self.b.ins().stack_addr(PTR, ss, 0);
        let dst = self.b.ins().iadd_imm_s(base, pad as i64);
        if scalar {
            self.b.ins().store(flags(), v, dst, 0);
        } else {
            self.memcpy(dst, v, size as u64);
        }
        base
    }

    // ---- builtins -----------------------------------------------------------------

    /// The constant level of `__builtin_frame_address(N)`/`__builtin_return_address(N)`.
    fn frame_level(args: &[Expr]) -> i128 {
        match args.first().map(|a| &a.kind) {
            Some(ExprKind::Int(n)) => *n,
            _ => 0,
        }
    }

    /// `__builtin_frame_address(N)`: frame pointers are kept in every function, so the
    /// caller's frame pointer is the word our frame pointer points at; N levels up is that
    /// chain followed N times (as in gcc, meaningful only while callers keep frame pointers).
    fn frame_address(&mut self, args: &[Expr]) -> Value {
        let mut fp = self.b.ins().get_frame_pointer(PTR);
        for _ in 0..Self::frame_level(args) {
            fp = self.b.ins().load(PTR, MemFlagsData::new(), fp, 0);
        }
        fp
    }

    /// `__builtin_return_address(N)`: the word above the frame pointer of level N.
    fn return_address(&mut self, args: &[Expr]) -> Value {
        if Self::frame_level(args) == 0 {
            return self.b.ins().get_return_address(PTR);
        }
        let fp = self.frame_address(args);
        self.b.ins().load(PTR, MemFlagsData::new(), fp, 8)
    }

    fn builtin(&mut self, bi: Builtin, args: &[Expr], ty: TypeId) -> Value {
        let mut vals = Vec::new();
        if !matches!(bi, Builtin::VaArg) {
            for a in args {
                vals.push(self.expr(a));
            }
        }
        match bi {
            Builtin::VaStart => {
                let Some(frame) = self.va else {
                    self.fail("va_start outside a variadic function");
                    return self.void_value();
                };
                self.cx.abi.va_start(&mut self.b, &frame, vals[0]);
                self.void_value()
            }
            Builtin::VaEnd => self.void_value(),
            Builtin::VaCopy => {
                self.cx.abi.va_copy(&mut self.b, vals[0], vals[1]);
                self.void_value()
            }
            Builtin::VaArg => {
                if let Some(a) = args.first() {
                    self.check_stack_align(ty, a.loc);
                }
                let ap = self.expr(&args[0]);
                let addr = self.cx.abi.va_arg(&mut self.b, self.t, ap, ty);
                if self.t.is_aggregate(ty) {
                    return addr;
                }
                self.load_scalar(ty, addr, 0)
            }
            Builtin::Alloca => self.dstack_alloc(vals[0]),
            Builtin::Trap | Builtin::Unreachable => {
                self.b.ins().trap(TrapCode::unwrap_user(1));
                self.after_terminator();
                self.void_value()
            }
            Builtin::Memcpy => {
                self.mem_libcall("memcpy", [vals[0], vals[1], vals[2]]);
                vals[0]
            }
            Builtin::Memset => {
                // C passes the fill value as an int; memset stores its low byte.
                let fill = match self.b.func.dfg.value_type(vals[1]) {
                    types::I32 => vals[1],
                    t if t.bits() > 32 => self.b.ins().ireduce(types::I32, vals[1]),
                    _ => self.b.ins().uextend(types::I32, vals[1]),
                };
                self.mem_libcall("memset", [vals[0], fill, vals[2]]);
                vals[0]
            }
            Builtin::Clz => self.b.ins().clz(vals[0]),
            Builtin::Ctz => self.b.ins().ctz(vals[0]),
            Builtin::Popcount => self.b.ins().popcnt(vals[0]),
            Builtin::Bswap => self.b.ins().bswap(vals[0]),
            Builtin::FrameAddress => self.frame_address(args),
            Builtin::ReturnAddress => self.return_address(args),
            Builtin::Expect => vals[0],
            Builtin::Sqrt => self.b.ins().sqrt(vals[0]),
            Builtin::Fabs => self.b.ins().fabs(vals[0]),
            Builtin::SignBit if self.b.func.dfg.value_type(vals[0]) == types::F128 => {
                self.tf_signbit(vals[0])
            }
            Builtin::SignBit => {
                let vt = self.b.func.dfg.value_type(vals[0]);
                let ity = if vt == types::F32 {
                    types::I32
                } else {
                    types::I64
                };
                let bits = self.b.ins().bitcast(ity, MemFlagsData::new(), vals[0]);
                let sign = self.b.ins().ushr_imm_s(bits, (ity.bits() - 1) as i64);
                if ity == types::I64 {
                    self.b.ins().ireduce(types::I32, sign)
                } else {
                    sign
                }
            }
            Builtin::FloatRel(rel) => {
                let cc = match rel {
                    FloatRel::Unordered => FloatCC::Unordered,
                    FloatRel::LessGreater => FloatCC::OrderedNotEqual,
                    FloatRel::Less => FloatCC::LessThan,
                    FloatRel::LessEqual => FloatCC::LessThanOrEqual,
                    FloatRel::Greater => FloatCC::GreaterThan,
                    FloatRel::GreaterEqual => FloatCC::GreaterThanOrEqual,
                };
                let rhs = *vals.get(1).unwrap_or(&vals[0]);
                let c = self.b.ins().fcmp(cc, vals[0], rhs);
                self.b.ins().uextend(types::I32, c)
            }
            Builtin::Fence => {
                self.b.ins().fence();
                self.void_value()
            }
            Builtin::AtomicLoad => {
                let cl = self.cl(ty);
                self.b.ins().atomic_load(cl, flags(), vals[0])
            }
            Builtin::AtomicStore => {
                self.b.ins().atomic_store(flags(), vals[1], vals[0]);
                self.void_value()
            }
            Builtin::AtomicCas => self.b.ins().atomic_cas(flags(), vals[0], vals[1], vals[2]),
            Builtin::AtomicCompareExchange => {
                let cl = self.b.func.dfg.value_type(vals[2]);
                let expected = self.b.ins().load(cl, flags(), vals[1], 0);
                let old = self.b.ins().atomic_cas(flags(), vals[0], expected, vals[2]);
                let ok = self.b.ins().icmp(IntCC::Equal, old, expected);
                let (fail, done) = (self.b.create_block(), self.b.create_block());
                self.b.ins().brif(ok, done, &[], fail, &[]);
                self.b.switch_to_block(fail);
                self.b.ins().store(flags(), old, vals[1], 0);
                self.jump(done);
                self.b.switch_to_block(done);
                ok
            }
            Builtin::AtomicFetchAdd
            | Builtin::AtomicFetchSub
            | Builtin::AtomicFetchAnd
            | Builtin::AtomicFetchOr
            | Builtin::AtomicFetchXor
            | Builtin::AtomicXchg => {
                use cranelift_codegen::ir::AtomicRmwOp as Op;
                let op = match bi {
                    Builtin::AtomicFetchAdd => Op::Add,
                    Builtin::AtomicFetchSub => Op::Sub,
                    Builtin::AtomicFetchAnd => Op::And,
                    Builtin::AtomicFetchOr => Op::Or,
                    Builtin::AtomicFetchXor => Op::Xor,
                    _ => Op::Xchg,
                };
                let cl = self.cl(ty);
                self.b.ins().atomic_rmw(cl, flags(), op, vals[0], vals[1])
            }
        }
    }
}

/// The conversion kind between two scalar types (codegen-side mirror of sema's choice, used
/// for the implicit conversions inside compound assignment).
fn cast_kind(t: &TypeTable, from: TypeId, to: TypeId) -> CastKind {
    if to == TypeTable::BOOL {
        CastKind::ToBool
    } else if t.is_float(from) && t.is_float(to) {
        CastKind::FloatToFloat
    } else if t.is_float(from) {
        CastKind::FloatToInt
    } else if t.is_float(to) {
        CastKind::IntToFloat
    } else {
        CastKind::IntToInt
    }
}

/// One entry of the scope-exit stack.
#[derive(Clone)]
enum ScopeExit {
    /// A VLA's dynamic-stack mark, taken before it was allocated.
    Vla(Variable),
    /// A `cleanup` attribute's call.
    Cleanup(Expr),
}

/// Records in `out` how many VLA scopes are open at each label of `stmts` (mirrors how
/// `Tx::stmt` opens them: one per `VlaAlloc` or `Cleanup`, closed at the end of the
/// enclosing `Block`); returns the number open after `stmts`.
fn label_depths(stmts: &[Stmt], mut depth: usize, out: &mut HashMap<LabelId, usize>) -> usize {
    for s in stmts {
        match &s.kind {
            StmtKind::VlaAlloc { .. } | StmtKind::Cleanup(_) => depth += 1,
            StmtKind::Label(l) => {
                out.insert(*l, depth);
            }
            StmtKind::Block(b) => {
                label_depths(b, depth, out);
            }
            // Not a block of its own for scope exits: its VLAs stay open after it.
            StmtKind::Scope { body, .. } => depth = label_depths(body, depth, out),
            StmtKind::If(_, t, e) => {
                label_depths(t, depth, out);
                label_depths(e, depth, out);
            }
            StmtKind::While { body, .. }
            | StmtKind::DoWhile { body, .. }
            | StmtKind::Switch { body, .. } => {
                label_depths(body, depth, out);
            }
            _ => {}
        }
    }
    depth
}

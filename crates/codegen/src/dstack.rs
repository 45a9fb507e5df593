//! The dynamic stack: storage for variable-length arrays and `alloca`.
//!
//! Cranelift cannot move the stack pointer, so dynamically sized automatic storage lives on a
//! separate per-thread stack that grows downward: a large lazily committed `mmap` region,
//! found through two thread-local words. Allocation is a bump of the thread's pointer
//! (async-signal-safe: no malloc, no lock; the region is mapped with `mmap` on a thread's first
//! use); a VLA's block scope saves the pointer before allocating and stores it back when the
//! scope is left, and a function using VLAs or `alloca` restores its entry mark when it
//! returns (see `func.rs`).
//!
//! Every object that needs it carries its own local copy of the helper and weak definitions
//! of the thread-locals, so `cfree cc -c` objects link with the system linker without a cfree
//! runtime; the weak thread-locals collapse into one per program at link time.
//!
//! Not done: a thread's region stays mapped after the thread exits (address space and the
//! pages it touched), and overflowing the region (`DSTACK_SIZE`) traps.

use crate::{abi, module_err, CodegenError, ObjCx, PTR};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, AbiParam, InstBuilder, MemFlagsData, TrapCode};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};

/// Bytes of address space reserved per thread (committed only as touched).
const DSTACK_SIZE: i64 = 1 << 30;

/// The helper and its thread-locals, declared in one object.
#[derive(Clone, Copy)]
pub(crate) struct DStack {
    /// `void *alloc(size_t n)` (object-local): `n` bytes (16-aligned) below the thread's
    /// pointer; `n == 0` gives the current pointer (a mark), mapping the region if needed.
    pub alloc: FuncId,
    /// The thread's current pointer (0 before its first use).
    pub sp: DataId,
    /// The low end of the thread's region.
    lo: DataId,
}

impl ObjCx<'_> {
    /// The dynamic-stack symbols of this object, declared on first use.
    pub(crate) fn dstack(&mut self) -> Result<DStack, CodegenError> {
        if let Some(d) = self.dstack {
            return Ok(d);
        }
        let mut sig = abi::empty_sig();
        sig.params.push(AbiParam::new(PTR));
        sig.returns.push(AbiParam::new(PTR));
        // Local: each object has its own copy of the code (weak duplicates would leave the
        // system linker with two FDEs for one address); the thread-locals are shared (weak).
        let name = ".Lcfree_dstack_alloc";
        let alloc = self
            .module
            .declare_function(name, Linkage::Local, &sig)
            .map_err(|e| module_err(name, e))?;
        let mut tls = |name: &str| {
            self.module
                .declare_data(name, Linkage::Preemptible, true, true)
                .map_err(|e| module_err(name, e))
        };
        let sp = tls("__cfree_dstack_sp")?;
        let lo = tls("__cfree_dstack_lo")?;
        let d = DStack { alloc, sp, lo };
        self.dstack = Some(d);
        Ok(d)
    }

    /// Define the helper and the thread-locals if any function used them.
    pub(crate) fn define_dstack(&mut self) -> Result<(), CodegenError> {
        let Some(d) = self.dstack else {
            return Ok(());
        };
        for (id, name) in [(d.sp, "__cfree_dstack_sp"), (d.lo, "__cfree_dstack_lo")] {
            let mut data = DataDescription::new();
            data.define_zeroinit(8);
            data.set_align(8);
            self.module
                .define_data(id, &data)
                .map_err(|e| module_err(name, e))?;
        }
        let mmap = self.declare_mmap()?;
        let mut ctx = self.module.make_context();
        ctx.func.signature = self
            .module
            .declarations()
            .get_function_decl(d.alloc)
            .signature
            .clone();
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let sp_gv = self.module.declare_data_in_func(d.sp, b.func);
        let lo_gv = self.module.declare_data_in_func(d.lo, b.func);
        let mmap_ref = self.module.declare_func_in_func(mmap, b.func);
        alloc_body(&mut b, sp_gv, lo_gv, mmap_ref);
        b.seal_all_blocks();
        b.finalize(self.module.isa().frontend_config());
        self.module
            .define_function(d.alloc, &mut ctx)
            .map_err(|e| module_err(".Lcfree_dstack_alloc", format!("{e:?}")))?;
        if let Some(eh) = self.eh.as_mut() {
            eh.add(d.alloc, &ctx, self.module.isa());
        }
        Ok(())
    }

    fn declare_mmap(&mut self) -> Result<FuncId, CodegenError> {
        let mut sig = abi::empty_sig();
        for t in [
            PTR,
            PTR,
            ir::types::I32,
            ir::types::I32,
            ir::types::I32,
            PTR,
        ] {
            sig.params.push(AbiParam::new(t));
        }
        sig.returns.push(AbiParam::new(PTR));
        match self.module.declare_function("mmap", Linkage::Import, &sig) {
            Ok(f) => Ok(f),
            // The unit declares `mmap` itself (<sys/mman.h>): the same C signature.
            Err(e) => match self.module.get_name("mmap") {
                Some(cranelift_module::FuncOrDataId::Func(f)) => Ok(f),
                _ => Err(module_err("mmap", e)),
            },
        }
    }
}

/// `p = (sp - n) & -16`, mapping the region on first use; traps when it is exhausted.
fn alloc_body(
    b: &mut FunctionBuilder,
    sp_gv: ir::GlobalValue,
    lo_gv: ir::GlobalValue,
    mmap: ir::FuncRef,
) {
    let flags = MemFlagsData::new();
    let entry = b.create_block();
    let init = b.create_block();
    let have = b.create_block();
    let fail = b.create_block();
    b.append_block_params_for_function_params(entry);
    let sp_v = b.append_block_param(have, PTR);
    b.switch_to_block(entry);
    let n = b.block_params(entry)[0];
    let sp_addr = b.ins().tls_value(PTR, sp_gv);
    let sp = b.ins().load(PTR, flags, sp_addr, 0);
    b.ins().brif(sp, have, &[sp.into()], init, &[]);

    b.switch_to_block(init);
    let zero = b.ins().iconst(PTR, 0);
    let size = b.ins().iconst(PTR, DSTACK_SIZE);
    let prot = b
        .ins()
        .iconst(ir::types::I32, i64::from(libc_consts::PROT_RW));
    let mflags = b
        .ins()
        .iconst(ir::types::I32, i64::from(libc_consts::MAP_FLAGS));
    let fd = b.ins().iconst(ir::types::I32, -1);
    let call = b.ins().call(mmap, &[zero, size, prot, mflags, fd, zero]);
    let base = b.inst_results(call)[0];
    // MAP_FAILED is -1; any negative errno-like value is a failure too.
    let bad = b.ins().icmp_imm_s(IntCC::SignedLessThan, base, 0);
    let top = b.ins().iadd(base, size);
    let ok = b.create_block();
    b.ins().brif(bad, fail, &[], ok, &[]);
    b.switch_to_block(ok);
    let lo_addr = b.ins().tls_value(PTR, lo_gv);
    b.ins().store(flags, base, lo_addr, 0);
    b.ins().jump(have, &[top.into()]);

    b.switch_to_block(have);
    let raw = b.ins().isub(sp_v, n);
    let p = b.ins().band_imm_s(raw, -16);
    let lo_addr = b.ins().tls_value(PTR, lo_gv);
    let lo = b.ins().load(PTR, flags, lo_addr, 0);
    let below = b.ins().icmp(IntCC::UnsignedLessThan, p, lo);
    let wrapped = b.ins().icmp(IntCC::UnsignedGreaterThan, p, sp_v);
    let over = b.ins().bor(below, wrapped);
    let store = b.create_block();
    b.ins().brif(over, fail, &[], store, &[]);
    b.switch_to_block(store);
    let sp_addr = b.ins().tls_value(PTR, sp_gv);
    b.ins().store(flags, p, sp_addr, 0);
    b.ins().return_(&[p]);

    b.switch_to_block(fail);
    b.ins().trap(TrapCode::unwrap_user(1));
}

/// Linux `mmap` arguments (the same values on every Linux target cfree supports).
mod libc_consts {
    /// PROT_READ | PROT_WRITE
    pub const PROT_RW: i32 = 0x1 | 0x2;
    /// MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
    pub const MAP_FLAGS: i32 = 0x02 | 0x20 | 0x4000;
}

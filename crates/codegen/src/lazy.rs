//! Objects for lazy compilation (`cfree run -flazy`): a unit's functions are linked as stubs
//! and each body is compiled the first time it is called.
//!
//! A *stub object* is the unit with every eligible function's symbol defined as a stub that
//! jumps through a writable slot, `__cfree_lazy_slot.<k>` (`k`: the function's index in the
//! unit), which starts out holding the address of the runtime's resolver entry,
//! [`LAZY_ENTER`]. The stub leaves the slot's address in a scratch register the calling
//! convention does not use for arguments, so the resolver knows which function was called; it
//! compiles the body, stores the body's address in the slot and jumps there with the caller's
//! arguments intact. Function pointers are the stub's address from the start, so pointers
//! taken before the first call stay valid and equal.
//!
//! A *body object* ([`LazyMode::Body`]) defines one function's body under the global name
//! [`body_symbol`] and nothing else: the function's own symbol, every other function and every
//! object of the unit are references, which the linker binds to the stub object's
//! definitions (its statics included), so state and addresses are shared.

use crate::{module_err, CodegenError, ObjCx};
use cfree_frontend::ir::{Function, SymId, TranslationUnit};
use cfree_frontend::Arch;
use cranelift_codegen::binemit::Reloc;
use cranelift_module::{DataDescription, Linkage, Module, ModuleReloc, ModuleRelocTarget};

/// The runtime's resolver entry every slot starts out pointing at.
pub const LAZY_ENTER: &str = "__cfree_lazy_enter";

/// How a unit is compiled for lazy linking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LazyMode {
    /// Everything compiled now.
    #[default]
    Eager,
    /// Eligible functions become stubs (see the module docs).
    Stubs,
    /// Only the body of function `sym`, named [`body_symbol`]`(unit, index)` (`index`: its
    /// place in the whole unit's `functions`); the unit given holds just that function, its
    /// symbol not defined.
    Body { sym: SymId, unit: u32, index: u32 },
}

/// The name of the slot of function `index` in a stub object.
pub fn slot_symbol(index: usize) -> String {
    format!("__cfree_lazy_slot.{index}")
}

/// The global name a body object gives the body of function `index` of unit `unit`.
pub fn body_symbol(unit: u32, index: u32) -> String {
    format!("__cfree_lazy_body.{unit}.{index}")
}

/// A stub's machine code and where its slot's address goes.
struct Stub {
    bytes: &'static [u8],
    reloc_offset: u32,
    kind: Reloc,
    addend: i64,
}

/// The stub of `arch`; `None` where the runtime has no resolver entry for it.
fn stub(arch: Arch) -> Option<Stub> {
    match arch {
        // lea r11, [rip + slot] ; jmp qword ptr [r11]  (r11: scratch, never an argument)
        Arch::X86_64 => Some(Stub {
            bytes: &[0x4c, 0x8d, 0x1d, 0, 0, 0, 0, 0x41, 0xff, 0x23],
            reloc_offset: 3,
            kind: Reloc::X86PCRel4,
            addend: -4,
        }),
        _ => None,
    }
}

/// Whether the target can link lazily.
pub fn supported(arch: Arch) -> bool {
    stub(arch).is_some()
}

/// Whether a unit's functions may be stubs at all: file-scope `asm` may define or name
/// anything, and nested functions' trampolines need their bodies in the same object.
pub fn unit_eligible(tu: &TranslationUnit) -> bool {
    tu.file_asm.is_empty() && tu.nested_entries.is_empty()
}

/// Whether function `f` may be a stub: not one that needs the object's dynamic stack, nor
/// one whose public symbol is a variadic entry thunk, nor a nested function.
pub(crate) fn function_eligible(cx: &ObjCx, f: &Function) -> bool {
    !f.dyn_stack
        && !cx.va_bodies.contains_key(&f.sym)
        && !f.name.contains('.')
        && cx.tu.symbols[f.sym.0 as usize].alias_of.is_none()
}

impl ObjCx<'_> {
    /// Defines function `index`'s symbol as a stub jumping through its slot.
    pub(crate) fn define_lazy_stub(
        &mut self,
        index: usize,
        f: &Function,
    ) -> Result<(), CodegenError> {
        let arch = self.opts.target.arch;
        let Some(stub) = stub(arch) else {
            return Err(CodegenError::Emit(format!(
                "lazy compilation is not supported for {arch}"
            )));
        };
        let slot_name = slot_symbol(index);
        let slot = self
            .module
            .declare_data(&slot_name, Linkage::Local, true, false)
            .map_err(|e| module_err(&slot_name, e))?;
        let enter = self
            .module
            .declare_function(LAZY_ENTER, Linkage::Import, &crate::abi::empty_sig())
            .map_err(|e| module_err(LAZY_ENTER, e))?;
        let mut d = DataDescription::new();
        // Bytes, not zero-init: a relocation cannot apply to `.bss`.
        d.define(Box::new([0u8; 8]));
        d.set_align(8);
        let fref = self.module.declare_func_in_data(enter, &mut d);
        d.write_function_addr(0, fref);
        self.module
            .define_data(slot, &d)
            .map_err(|e| module_err(&slot_name, e))?;
        let fid = self.func_id(f.sym)?;
        let reloc = ModuleReloc {
            offset: stub.reloc_offset,
            kind: stub.kind,
            name: ModuleRelocTarget::user(1, slot.as_u32()),
            addend: stub.addend,
        };
        self.module
            .define_function_bytes(fid, 16, stub.bytes, &[reloc])
            .map_err(|e| module_err(&f.name, e))?;
        Ok(())
    }

    /// In a body object: declares the local-to-the-image body of `sym` under its global
    /// name, so the body is compiled there and the function's own symbol stays a reference.
    pub(crate) fn declare_lazy_body(
        &mut self,
        sym: SymId,
        unit: u32,
        index: u32,
    ) -> Result<(), CodegenError> {
        let s = &self.tu.symbols[sym.0 as usize];
        let Some(fty) = self.tu.types.func_type(s.ty) else {
            return Err(module_err(&s.name, "not a function type"));
        };
        let sig = self.abi.signature(&self.tu.types, fty, &[], true).sig;
        let name = body_symbol(unit, index);
        let body = self
            .module
            .declare_function(&name, Linkage::Export, &sig)
            .map_err(|e| module_err(&name, e))?;
        self.lazy_body = Some((sym, body));
        Ok(())
    }
}

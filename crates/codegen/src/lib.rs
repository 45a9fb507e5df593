//! Typed IR to Cranelift to an ELF relocatable object.
//!
//! One Cranelift function per C function and one object per translation unit. The object is a
//! real artifact: the system linker accepts it and cfree's own linker loads it into the JIT.
//! JIT objects use `is_pic=false`: calls become `call rel32` (PLT32) and addresses of symbols
//! defined in the image are PC-relative; imported data is reached by absolute 64-bit addresses.
//! `cfree cc -c` objects are position-independent (`CodegenOptions::pic`), as gcc's default
//! PIE build expects.

pub mod abi;
pub mod abisig;
mod asm;
mod compile;
mod debuginfo;
mod dstack;
mod ehframe;
mod func;
mod inline;
pub mod lazy;
mod nested;

pub use debuginfo::DebugInfoError;

use abi::CAbi;
use cfree_frontend::ir::{Linkage as CLinkage, SymId, SymKind, TranslationUnit};
use cfree_frontend::timing::PhaseTimes;
use cfree_frontend::TargetInfo;
use cranelift_codegen::ir::{self, types};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module, ModuleReloc};
use cranelift_object::{ObjectBuilder, ObjectModule};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OptLevel {
    #[default]
    None,
    Speed,
}

#[derive(Clone, Debug)]
pub struct CodegenOptions {
    pub target: TargetInfo,
    pub opt_level: OptLevel,
    /// Emit DWARF; also keeps every user local in memory so a debugger can read it.
    pub debug: bool,
    /// Run Cranelift's IR verifier (tests and debug builds).
    pub verify: bool,
    /// Position-independent code (`cfree cc -c`): external data through the GOT, `.eh_frame`
    /// with PC-relative pointers, so a PIE links without text relocations.
    pub pic: bool,
    /// `-fPIC` (objects for a shared library): the unit's own external functions and data
    /// may be interposed by another module's definition at load time, so their addresses
    /// come from the GOT like an undefined symbol's (calls stay PC-relative, through the
    /// PLT). Without it (`-fPIE`, gcc's default on Debian) they bind in the object.
    pub interposable: bool,
    /// Threads that compile the unit's functions (1: all on the calling thread). The object
    /// is byte-identical whatever the number (see `compile.rs`).
    pub threads: usize,
    /// Stubs or one body for lazy linking (`lazy.rs`).
    pub lazy: lazy::LazyMode,
}

#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("cannot configure code generation for {triple}: {msg}")]
    Isa { triple: String, msg: String },
    #[error("code generation failed in function '{func}': {msg}")]
    Function { func: String, msg: String },
    #[error("cannot emit symbol '{name}': {msg}")]
    Module { name: String, msg: String },
    #[error("cannot write object file: {0}")]
    Emit(String),
    #[error("cannot emit debug information: {0}")]
    DebugInfo(#[from] debuginfo::DebugInfoError),
    #[error("cannot emit ABI signature records: {0}")]
    AbiSig(#[from] cfree_abisig::AbiSigError),
    /// An error about one place in the source (inline assembly the assembler rejected, an
    /// operand that cannot be given a register).
    #[error("{msg}")]
    Located {
        loc: cfree_frontend::Loc,
        msg: String,
    },
}

impl CodegenError {
    /// The source location the error is about, if it has one.
    pub fn loc(&self) -> Option<cfree_frontend::Loc> {
        match self {
            CodegenError::Located { loc, .. } => Some(*loc),
            _ => None,
        }
    }
}

/// Builds the Cranelift ISA for a target.
pub fn build_isa(opts: &CodegenOptions) -> Result<OwnedTargetIsa, CodegenError> {
    let isa_err = |msg: String| CodegenError::Isa {
        triple: opts.target.triple.to_string(),
        msg,
    };
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| {
        f.set(k, v).map_err(|e| isa_err(format!("{k}={v}: {e}")))
    };
    set(
        &mut flags,
        "opt_level",
        if opts.opt_level == OptLevel::Speed {
            "speed"
        } else {
            "none"
        },
    )?;
    set(
        &mut flags,
        "is_pic",
        if opts.pic { "true" } else { "false" },
    )?;
    // Thread-locals use the ELF general-dynamic model (`__tls_get_addr`): objects link with
    // the system linker, and cfree's JIT linker gives the image its own TLS block.
    set(&mut flags, "tls_model", "elf_gd")?;
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(&mut flags, "unwind_info", "true")?;
    set(
        &mut flags,
        "enable_verifier",
        if opts.verify { "true" } else { "false" },
    )?;
    set(&mut flags, "enable_llvm_abi_extensions", "true")?;
    set(&mut flags, "enable_probestack", "true")?;
    set(&mut flags, "probestack_strategy", "inline")?;
    set(&mut flags, "log2_min_function_alignment", "4")?;
    let builder = isa::lookup(opts.target.triple.clone()).map_err(|e| isa_err(e.to_string()))?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| isa_err(e.to_string()))
}

/// Per-object state shared by the function translators.
pub(crate) struct ObjCx<'a> {
    pub module: ObjectModule,
    /// The module's ISA, shared with the compile workers.
    pub isa: OwnedTargetIsa,
    pub tu: &'a TranslationUnit,
    pub abi: Box<dyn CAbi>,
    pub funcs: HashMap<SymId, FuncId>,
    pub datas: HashMap<SymId, DataId>,
    /// The target's thunks in front of variadic callees (x86-64: `%al`).
    pub va_thunks: HashMap<SymId, FuncId>,
    /// The local bodies of variadic definitions whose public symbol is the target's entry
    /// thunk (`CAbi::variadic_entry`).
    pub va_bodies: HashMap<SymId, FuncId>,
    /// x87 `long double` routines defined in this object (x86-64).
    pub x87: HashMap<abi::x86_64::x87::X87Op, FuncId>,
    pub opts: CodegenOptions,
    /// Per-function line and variable records for DWARF (`-g` only).
    pub debug: Option<debuginfo::DebugCx>,
    /// Assembly of the translation unit's asm statements, assembled once at the end.
    pub asm: asm::AsmUnit,
    /// The dynamic stack for VLAs and `alloca`, once a function needs it.
    pub dstack: Option<dstack::DStack>,
    /// Our own `.eh_frame` (PC-relative) for position-independent objects.
    pub eh: Option<ehframe::EhFrameTable>,
    /// Machine-code helpers (variadic call thunks, x87 routines) the function being built
    /// asked for: defined right after that function's body, so their place in the object does
    /// not depend on how far building has run ahead of defining (`compile.rs`).
    pub helpers: Vec<Helper>,
    /// A body object's function and the body it is compiled into (`lazy.rs`).
    pub lazy_body: Option<(SymId, FuncId)>,
}

/// A local function given as finished bytes.
pub(crate) struct Helper {
    pub fid: FuncId,
    pub name: String,
    pub bytes: Vec<u8>,
    pub relocs: Vec<ModuleReloc>,
}

impl ObjCx<'_> {
    /// Defines the helpers that building one function asked for.
    pub(crate) fn define_helpers(&mut self, helpers: Vec<Helper>) -> Result<(), CodegenError> {
        for h in helpers {
            self.module
                .define_function_bytes(h.fid, 16, &h.bytes, &h.relocs)
                .map_err(|e| module_err(&h.name, e))?;
        }
        Ok(())
    }
}

/// Compiles a translation unit to the bytes of an ELF relocatable object.
///
/// `sources` resolves the IR's locations to files and lines for debug information.
pub fn compile(
    tu: &TranslationUnit,
    sources: &cfree_frontend::SourceMap,
    name: &str,
    opts: &CodegenOptions,
) -> Result<Vec<u8>, CodegenError> {
    compile_timed(tu, sources, name, opts, &mut PhaseTimes::default())
}

/// [`compile`], adding the time of each codegen phase to `times`.
pub fn compile_timed(
    tu: &TranslationUnit,
    sources: &cfree_frontend::SourceMap,
    name: &str,
    opts: &CodegenOptions,
    times: &mut PhaseTimes,
) -> Result<Vec<u8>, CodegenError> {
    let isa = build_isa(opts)?;
    let mut builder = ObjectBuilder::new(
        isa.clone(),
        name.as_bytes().to_vec(),
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| CodegenError::Emit(e.to_string()))?;
    let abi = abi::for_arch(opts.target.arch).ok_or_else(|| CodegenError::Isa {
        triple: opts.target.triple.to_string(),
        msg: format!("no C ABI for {} yet", opts.target.arch),
    })?;
    // Every object gets our own PC-relative `.eh_frame` (`ehframe.rs`) rather than
    // cranelift-object's absolute one: position-independent objects need it, variadic entry
    // thunks have FDEs only our table can describe, and functions compiled on other threads
    // are defined as bytes, which cranelift-object's unwind table does not see.
    builder.unwind_info(false).per_function_section(false);
    let module = ObjectModule::new(builder);
    let eh = ehframe::EhFrameTable::new(module.isa());
    let mut cx = ObjCx {
        module,
        isa,
        tu,
        abi,
        funcs: HashMap::new(),
        datas: HashMap::new(),
        va_thunks: HashMap::new(),
        va_bodies: HashMap::new(),
        x87: HashMap::new(),
        opts: opts.clone(),
        debug: opts.debug.then(debuginfo::DebugCx::default),
        asm: asm::AsmUnit::default(),
        dstack: None,
        eh,
        helpers: Vec::new(),
        lazy_body: None,
    };
    if let lazy::LazyMode::Body { sym, unit, index } = opts.lazy {
        // One function of the whole unit, everything else (its data included) a reference.
        cx.declare_lazy_body(sym, unit, index)?;
        let f = tu.functions.get(index as usize).filter(|f| f.sym == sym);
        let f =
            f.ok_or_else(|| CodegenError::Emit(format!("no function {index} to compile lazily")))?;
        compile::functions(&mut cx, std::slice::from_ref(f), 1, times)?;
        return times.time("codegen: object", || cx.finish_object(sources, name));
    }
    times.time("codegen: data", || {
        cx.declare_symbols()?;
        cx.define_data()
    })?;
    if opts.lazy == lazy::LazyMode::Stubs && lazy::unit_eligible(tu) {
        let mut eager = Vec::new();
        for (k, f) in tu.functions.iter().enumerate() {
            if lazy::function_eligible(&cx, f) {
                cx.define_lazy_stub(k, f)?;
            } else {
                eager.push(f.clone());
            }
        }
        compile::functions(&mut cx, &eager, opts.threads, times)?;
    } else {
        compile::functions(&mut cx, &tu.functions, opts.threads, times)?;
    }
    times.time("codegen: object", || cx.finish_object(sources, name))
}

impl ObjCx<'_> {
    /// The unit's runtime pieces, unwind table, assembly, aliases, debug information and ABI
    /// records, then the object's bytes.
    fn finish_object(
        mut self,
        sources: &cfree_frontend::SourceMap,
        name: &str,
    ) -> Result<Vec<u8>, CodegenError> {
        let (tu, opts) = (self.tu, self.opts.clone());
        self.define_dstack()?;
        let debug = self.debug.take();
        let datas = std::mem::take(&mut self.datas);
        // A lazily compiled body's object is never reloaded: no ABI records.
        let abisig = match opts.lazy {
            lazy::LazyMode::Body { .. } => None,
            _ => abisig::section_bytes(tu, &*self.abi, &opts.target)?,
        };
        let aliases = self.alias_targets();
        self.add_nested_runtime()?;
        let asm_unit = std::mem::take(&mut self.asm);
        let eh = self.eh.take();
        let mut product = self.module.finish();
        if let Some(eh) = eh {
            eh.emit(&mut product).map_err(CodegenError::Emit)?;
        }
        asm_unit.finish(&mut product, tu, opts.target.arch)?;
        add_aliases(&mut product, tu, &aliases);
        if let Some(d) = debug {
            d.emit(&mut product, tu, sources, name, &datas, &opts)?;
        }
        if let Some(bytes) = abisig {
            abisig::add_section(&mut product, bytes);
        }
        product
            .emit()
            .map_err(|e| CodegenError::Emit(e.to_string()))
    }
}

/// Adds each `alias` symbol at its target's section and offset, so that the alias and the
/// target have one address (cranelift-module has no notion of aliases).
fn add_aliases(
    product: &mut cranelift_object::ObjectProduct,
    tu: &TranslationUnit,
    aliases: &[(SymId, cranelift_module::FuncOrDataId)],
) {
    use object::write::Symbol;
    use object::{SymbolFlags, SymbolScope};
    for &(id, target) in aliases {
        let s = &tu.symbols[id.0 as usize];
        let tsym = match target {
            cranelift_module::FuncOrDataId::Func(f) => product.function_symbol(f),
            cranelift_module::FuncOrDataId::Data(d) => product.data_symbol(d),
        };
        let t = product.object.symbol(tsym);
        let (value, size, kind, section) = (t.value, t.size, t.kind, t.section);
        let scope = match s.linkage {
            cfree_frontend::ir::Linkage::External => SymbolScope::Dynamic,
            cfree_frontend::ir::Linkage::Internal => SymbolScope::Compilation,
        };
        product.object.add_symbol(Symbol {
            name: s.name.as_bytes().to_vec(),
            value,
            size,
            kind,
            scope,
            weak: s.weak,
            section,
            flags: SymbolFlags::None,
        });
    }
}

fn module_err(name: &str, e: impl std::fmt::Display) -> CodegenError {
    CodegenError::Module {
        name: name.to_string(),
        msg: e.to_string(),
    }
}

impl<'a> ObjCx<'a> {
    /// Whether this object defines symbol `id`: in a lazily compiled body's object
    /// (`LazyMode::Body`) every symbol of the unit is a reference, its own included.
    /// Whether references to `id` may bind to this object's definition directly (a
    /// PC-relative address rather than the GOT's).
    pub(crate) fn binds_locally(&self, id: SymId) -> bool {
        let s = &self.tu.symbols[id.0 as usize];
        self.defines(id) && (s.linkage == CLinkage::Internal || !self.opts.interposable)
    }

    pub(crate) fn defines(&self, id: SymId) -> bool {
        self.tu.symbols[id.0 as usize].defined
            && !matches!(self.opts.lazy, lazy::LazyMode::Body { .. })
    }

    fn linkage(&self, id: SymId) -> Linkage {
        let s = &self.tu.symbols[id.0 as usize];
        match (self.defines(id), s.linkage, s.weak) {
            (false, _, true) => Linkage::Preemptible,
            (false, _, false) => Linkage::Import,
            (true, CLinkage::Internal, _) => Linkage::Local,
            (true, CLinkage::External, true) => Linkage::Preemptible,
            (true, CLinkage::External, false) => Linkage::Export,
        }
    }

    /// Declares the symbols this object defines; undefined ones are declared on first use so
    /// that the object does not import every function a header mentions.
    fn declare_symbols(&mut self) -> Result<(), CodegenError> {
        for (i, s) in self.tu.symbols.iter().enumerate() {
            if s.defined {
                self.declare(SymId(i as u32))?;
            }
        }
        Ok(())
    }

    fn declare(&mut self, id: SymId) -> Result<(), CodegenError> {
        let s = &self.tu.symbols[id.0 as usize];
        if let Some(t) = s.alias_of {
            // References to an alias are references to its target; the alias's own symbol
            // is added to the object at the end (`add_aliases`).
            match s.kind {
                SymKind::Func => {
                    let fid = self.func_id(t)?;
                    self.funcs.insert(id, fid);
                }
                SymKind::Data => {
                    let did = self.data_id(t)?;
                    self.datas.insert(id, did);
                }
            }
            return Ok(());
        }
        let linkage = self.linkage(id);
        match s.kind {
            SymKind::Func => {
                let Some(fty) = self.tu.types.func_type(s.ty) else {
                    return Err(module_err(&s.name, "not a function type"));
                };
                let defined = self.defines(id);
                let entry = defined && fty.variadic && self.abi.variadic_entry().is_some();
                // Behind an entry thunk, the public symbol has the callers' signature.
                let sig = self
                    .abi
                    .signature(&self.tu.types, fty, &[], defined && !entry)
                    .sig;
                if let Some(fid) = self.same_name_function(&s.name, &sig)? {
                    self.funcs.insert(id, fid);
                    return Ok(());
                }
                let fid = self
                    .module
                    .declare_function(&s.name, linkage, &sig)
                    .map_err(|e| module_err(&s.name, e))?;
                self.funcs.insert(id, fid);
                if entry {
                    self.declare_va_body(id, fty)?;
                }
            }
            SymKind::Data => {
                let g = self.tu.globals.iter().find(|g| g.sym == id);
                let writable = g.is_none_or(|g| !g.readonly);
                let tls = s.thread_local || g.is_some_and(|g| g.thread_local);
                let did = self
                    .module
                    .declare_data(&s.name, linkage, writable, tls)
                    .map_err(|e| module_err(&s.name, e))?;
                self.datas.insert(id, did);
            }
        }
        Ok(())
    }

    /// Declares the local body behind the entry thunk of variadic definition `id`.
    fn declare_va_body(
        &mut self,
        id: SymId,
        fty: &cfree_frontend::types::FuncType,
    ) -> Result<(), CodegenError> {
        let s = &self.tu.symbols[id.0 as usize];
        let suffix = self.abi.variadic_entry().map_or("", |e| e.body_suffix);
        let name = format!("{}{suffix}", s.name);
        let sig = self.abi.signature(&self.tu.types, fty, &[], true).sig;
        let body = self
            .module
            .declare_function(&name, Linkage::Local, &sig)
            .map_err(|e| module_err(&name, e))?;
        self.va_bodies.insert(id, body);
        Ok(())
    }

    /// The function a C definition's body is compiled into: its symbol, or the local body
    /// behind its variadic entry thunk.
    pub(crate) fn body_id(&self, id: SymId) -> Option<FuncId> {
        if let Some((sym, body)) = self.lazy_body {
            if sym == id {
                return Some(body);
            }
        }
        self.va_bodies
            .get(&id)
            .or_else(|| self.funcs.get(&id))
            .copied()
    }

    /// Defines the entry thunk of variadic definition `id` (see `CAbi::variadic_entry`) at
    /// its public symbol, calling the body just compiled.
    pub(crate) fn define_va_entry(&mut self, id: SymId) -> Result<(), CodegenError> {
        let (Some(&body), Some(entry)) = (self.va_bodies.get(&id), self.abi.variadic_entry())
        else {
            return Ok(());
        };
        let name = &self.tu.symbols[id.0 as usize].name;
        let fid = self.funcs[&id];
        let reloc = ModuleReloc {
            offset: entry.reloc_offset,
            kind: entry.reloc,
            name: cranelift_module::ModuleRelocTarget::user(0, body.as_u32()),
            addend: entry.addend,
        };
        self.module
            .define_function_bytes(fid, 16, &entry.bytes, &[reloc])
            .map_err(|e| module_err(name, e))?;
        if let Some(eh) = self.eh.as_mut() {
            eh.add_code(fid, entry.bytes.len() as u32, &entry.cfi);
        }
        Ok(())
    }

    /// A function already declared under `name` by another C declaration (an asm label
    /// naming an existing symbol). Calls through either declaration use the one symbol, which
    /// is only right when both have the same machine signature.
    fn same_name_function(
        &self,
        name: &str,
        sig: &cranelift_codegen::ir::Signature,
    ) -> Result<Option<FuncId>, CodegenError> {
        match self.module.get_name(name) {
            Some(cranelift_module::FuncOrDataId::Func(fid)) => {
                let decl = self.module.declarations().get_function_decl(fid);
                if decl.signature == *sig {
                    Ok(Some(fid))
                } else {
                    Err(module_err(
                        name,
                        "declared through an asm label with a different calling signature",
                    ))
                }
            }
            _ => Ok(None),
        }
    }

    /// Every alias symbol with its target's module id (declaring the target if needed).
    fn alias_targets(&mut self) -> Vec<(SymId, cranelift_module::FuncOrDataId)> {
        let mut out = Vec::new();
        for (i, s) in self.tu.symbols.iter().enumerate() {
            let Some(t) = s.alias_of else { continue };
            // An alias of a symbol this object only refers to (a lazily compiled body's
            // unit) is a reference to the target, not a definition.
            if !self.defines(t) {
                continue;
            }
            let id = match s.kind {
                SymKind::Func => self
                    .funcs
                    .get(&t)
                    .map(|&f| cranelift_module::FuncOrDataId::Func(f)),
                SymKind::Data => self
                    .datas
                    .get(&t)
                    .map(|&d| cranelift_module::FuncOrDataId::Data(d)),
            };
            if let Some(id) = id {
                out.push((SymId(i as u32), id));
            }
        }
        out
    }

    pub(crate) fn func_id(&mut self, id: SymId) -> Result<FuncId, CodegenError> {
        if !self.funcs.contains_key(&id) {
            self.declare(id)?;
        }
        self.funcs
            .get(&id)
            .copied()
            .ok_or_else(|| module_err(&self.tu.symbols[id.0 as usize].name, "not a function"))
    }

    pub(crate) fn data_id(&mut self, id: SymId) -> Result<DataId, CodegenError> {
        if !self.datas.contains_key(&id) {
            self.declare(id)?;
        }
        self.datas
            .get(&id)
            .copied()
            .ok_or_else(|| module_err(&self.tu.symbols[id.0 as usize].name, "not an object"))
    }

    fn define_data(&mut self) -> Result<(), CodegenError> {
        let tu = self.tu;
        for g in &tu.globals {
            let s = &tu.symbols[g.sym.0 as usize];
            let did = self.data_id(g.sym)?;
            let mut d = DataDescription::new();
            match &g.init {
                Some(bytes) => d.define(bytes.clone().into_boxed_slice()),
                None => d.define_zeroinit(g.size.max(1) as usize),
            }
            d.set_align(g.align.max(1));
            if let Some(sec) = g.section {
                d.set_custom_section(sec);
            }
            for &(off, target, addend) in &g.relocs {
                let t = &tu.symbols[target.0 as usize];
                match t.kind {
                    SymKind::Func => {
                        let fid = self.func_id(target)?;
                        let fref = self.module.declare_func_in_data(fid, &mut d);
                        d.write_function_addr(off as u32, fref);
                        if addend != 0 {
                            // Function addresses with offsets only arise from casts; keep the
                            // base address (gcc rejects most of these as non-constant).
                        }
                    }
                    SymKind::Data => {
                        let tid = self.data_id(target)?;
                        let gv = self.module.declare_data_in_data(tid, &mut d);
                        d.write_data_addr(off as u32, gv, addend);
                    }
                }
            }
            self.module
                .define_data(did, &d)
                .map_err(|e| module_err(&s.name, e))?;
        }
        Ok(())
    }

    /// The target's thunk in front of variadic callee `callee` (x86-64: the `%al` bound),
    /// defined once per object.
    pub(crate) fn va_thunk(&mut self, callee: SymId) -> Result<FuncId, CodegenError> {
        if let Some(&t) = self.va_thunks.get(&callee) {
            return Ok(t);
        }
        let s = &self.tu.symbols[callee.0 as usize];
        let name = format!(".Lvathunk.{}", s.name);
        let Some(code) = self.abi.variadic_thunk() else {
            return Err(CodegenError::Module {
                name,
                msg: "this target calls variadic functions without a thunk".into(),
            });
        };
        let target = self.func_id(callee)?;
        let tid = self
            .module
            .declare_function(&name, Linkage::Local, &abi::empty_sig())
            .map_err(|e| module_err(&name, e))?;
        let reloc = ModuleReloc {
            offset: code.reloc_offset,
            kind: code.reloc,
            name: cranelift_module::ModuleRelocTarget::user(0, target.as_u32()),
            addend: code.addend,
        };
        self.helpers.push(Helper {
            fid: tid,
            name,
            bytes: code.bytes.to_vec(),
            relocs: vec![reloc],
        });
        self.va_thunks.insert(callee, tid);
        Ok(tid)
    }
}

impl ObjCx<'_> {
    /// The local function implementing one x87 `long double` operation, defined in this
    /// object on first use from its machine code bytes.
    pub(crate) fn x87_routine(
        &mut self,
        op: abi::x86_64::x87::X87Op,
    ) -> Result<FuncId, CodegenError> {
        if let Some(&f) = self.x87.get(&op) {
            return Ok(f);
        }
        let name = op.name();
        let (params, returns) = op.signature();
        let mut sig = abi::empty_sig();
        sig.params
            .extend(params.iter().map(|t| ir::AbiParam::new(*t)));
        sig.returns
            .extend(returns.iter().map(|t| ir::AbiParam::new(*t)));
        let fid = self
            .module
            .declare_function(&name, Linkage::Local, &sig)
            .map_err(|e| module_err(&name, e))?;
        self.helpers.push(Helper {
            fid,
            name: name.clone(),
            bytes: op.bytes().to_vec(),
            relocs: Vec::new(),
        });
        self.x87.insert(op, fid);
        Ok(fid)
    }
}

/// The pointer type of the targets cfree supports (all LP64).
pub(crate) const PTR: ir::Type = types::I64;

//! The embedding API: compile C text, append it to a live image, call it, replace functions.
//!
//! [`Jit`] ties the compile pipeline ([`crate::compile`]) to the in-process JIT
//! ([`cfree_jit::Jit`]) so an embedder holds one object. Every operation is a transaction: when
//! it returns an error, lookups, symbols, the generation and every function's active body are
//! exactly as before, and the `Jit` stays usable.
//!
//! ```no_run
//! let mut jit = cfree::Jit::new(cfree::JitOptions::reloadable())?;
//! jit.add_source("add.c", "int add(int a, int b) { return a + b; }")?;
//! let add: extern "C" fn(i32, i32) -> i32 = unsafe { jit.function("add") }.unwrap();
//! assert_eq!(add(2, 3), 5);
//! jit.reload_source("add", "add2.c", "int add(int a, int b) { return a + b + 100; }")?;
//! assert_eq!(add(2, 3), 105); // same address, new body
//! # Ok::<(), cfree::Error>(())
//! ```

use std::collections::HashMap;
use std::ffi::c_void;
use std::path::PathBuf;
use std::sync::Arc;

use cfree_driver::lazy::{JitGuard, LazyProgram};

use cfree_driver::pipeline::interface::Interface;
use cfree_driver::{CompileError, CompileOptions, Prototype, Source};

use crate::declarations::Declarations;
use cfree_jit::{JitError, JitOptions as LowJitOptions};
use cfree_link::{AbiCheck, Indirection, LinkError, LinkInput, SymbolKind};

mod inputs;

pub use inputs::FileKind;

pub use cfree_codegen::OptLevel;
pub use cfree_executor::{Arg, Ret, Value};

/// How to build a [`Jit`]. `Default` is a plain image (direct calls, nothing reloadable),
/// unoptimised code, no debug info.
#[derive(Clone, Debug, Default)]
pub struct JitOptions {
    /// `Indirection::ExportedFuncs` makes every function with external linkage reloadable, at
    /// the cost of one indirect jump per call.
    pub indirection: Indirection,
    /// Preprocessor, optimisation and debug-info options for every compile.
    pub compile: CompileOptions,
    /// `-l` names (`m` for libm) whose symbols compiled code may use.
    pub libraries: Vec<String>,
    /// `-L` directories searched for `libraries`.
    pub library_dirs: Vec<PathBuf>,
    /// Bytes reserved for code, read-only data and writable data (`None`: the JIT's defaults,
    /// 64 MiB / 16 MiB / 64 MiB). Appends beyond a reservation fail cleanly.
    pub reserve: Option<(u64, u64, u64)>,
    /// Compile each function of [`add_source`](Jit::add_source)'s text the first time it is
    /// called (`cfree run -flazy`); objects given to [`append`](Jit::append) are linked as
    /// they are. x86-64 hosts only.
    pub lazy: bool,
}

impl JitOptions {
    /// Options for hot reloading: every exported function gets a stable entry.
    pub fn reloadable() -> Self {
        JitOptions {
            indirection: Indirection::ExportedFuncs,
            ..Default::default()
        }
    }
}

/// Why an operation failed. The variants are the kinds a scripting host turns into distinct
/// exceptions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The C text did not compile; the message has file:line:col and the caret line.
    #[error("{0}")]
    Compile(#[from] CompileError),
    /// Linking failed: unresolved or duplicate symbols, relocation overflow, capacity.
    #[error("{0}")]
    Link(LinkError),
    /// A reload was refused: unknown or non-reloadable function, ABI mismatch, a replacement
    /// that defines more than the function.
    #[error("{0}")]
    Reload(LinkError),
    /// The JIT itself: memory, options, libraries, `main` (boxed: it is the largest error and
    /// every `Result` of this API would otherwise carry its size).
    #[error("{0}")]
    Jit(Box<JitError>),
    /// The executor of an image on another architecture ([`RemoteJit`](crate::RemoteJit)):
    /// starting it, talking to it, calls through it, or the program ending there.
    #[error("{0}")]
    Executor(Box<cfree_executor::RemoteError>),
    /// A file or library given to [`Jit::add_file`] or [`Jit::add_library`] cannot be used:
    /// missing, unreadable, for another architecture, or not C, an object, an archive or a
    /// shared library. Nothing was added.
    #[error("{}: {reason}", path.display())]
    Input { path: PathBuf, reason: String },
}

impl From<cfree_executor::RemoteError> for Error {
    fn from(e: cfree_executor::RemoteError) -> Self {
        match e {
            cfree_executor::RemoteError::Link(l) => Error::Link(l),
            other => Error::Executor(Box::new(other)),
        }
    }
}

impl From<JitError> for Error {
    fn from(e: JitError) -> Self {
        match e {
            JitError::Link(l) => Error::Link(l),
            other => Error::Jit(Box::new(other)),
        }
    }
}

/// A compiled translation unit, not yet part of any image (the C API's `CfreeObj`).
#[derive(Clone, Debug)]
pub struct Object {
    name: String,
    bytes: Vec<u8>,
    warnings: String,
    /// C types of the unit's external functions (empty for objects from elsewhere).
    prototypes: Vec<Prototype>,
    /// The unit's declarations (empty for objects from elsewhere).
    interface: Interface,
}

impl Object {
    /// Wraps an ELF relocatable object built elsewhere (gcc, clang, a file on disk).
    pub fn from_elf(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Object {
            name: name.into(),
            bytes,
            warnings: String::new(),
            prototypes: Vec::new(),
            interface: Interface::default(),
        }
    }

    /// The unit's struct layouts, enumerations, typedefs, globals, parameter names and
    /// integer constants, as the compiler recorded them.
    pub fn interface(&self) -> &Interface {
        &self.interface
    }

    /// The C types of the external functions this unit declares or defines.
    pub fn prototypes(&self) -> &[Prototype] {
        &self.prototypes
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ELF relocatable object (what `cfree cc -c` writes).
    pub fn elf(&self) -> &[u8] {
        &self.bytes
    }

    /// Compiler warnings, rendered like errors (empty when there were none).
    pub fn warnings(&self) -> &str {
        &self.warnings
    }

    pub(crate) fn link_input(&self) -> LinkInput {
        LinkInput::new(self.name.clone(), self.bytes.clone())
    }
}

/// One symbol of the image, as [`Jit::symbols`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub addr: u64,
    pub size: u64,
    pub is_function: bool,
}

/// A live image that grows by appends and whose exported functions can be replaced.
///
/// The image sits behind a lock its lazily compiled functions also take (see
/// [`JitOptions::lazy`]); no method holds it while the image's code runs.
pub struct Jit {
    /// The lazy resolver's registration; dropped (unregistered) before the image.
    registration: Option<cfree_jit::lazy::Registration>,
    image: Arc<LazyProgram>,
    compile: CompileOptions,
    /// The JIT view and the generation it describes.
    view: Option<(u64, Vec<u8>)>,
    /// C types of the functions the image defines, from the units that defined them (the
    /// active body's unit after a reload).
    prototypes: HashMap<String, Prototype>,
    /// The declarations of every unit appended (and declared), for scripting hosts.
    decls: Declarations,
    /// `-L` directories for [`add_library`](Jit::add_library) (the options' ones first).
    library_dirs: Vec<PathBuf>,
    /// Static archives whose members later appends pull in as they need them.
    archives: inputs::Archives,
}

impl Jit {
    /// An image in this process. `opts.compile.target` must be the host (another target's
    /// image lives in an executor: [`RemoteJit`](crate::RemoteJit)).
    pub fn new(opts: JitOptions) -> Result<Jit, Error> {
        if !opts.compile.target.is_host() {
            return Err(Error::Jit(Box::new(JitError::Options(format!(
                "code for {} cannot run in this process; use cfree::RemoteJit",
                opts.compile.target.arch.multiarch()
            )))));
        }
        let library_dirs = opts.library_dirs.clone();
        let mut low = LowJitOptions {
            libraries: opts.libraries,
            library_dirs: opts.library_dirs,
            indirection: opts.indirection,
            ..LowJitOptions::default()
        };
        if let Some((rx, r, rw)) = opts.reserve {
            low.reserve_rx = rx;
            low.reserve_r = r;
            low.reserve_rw = rw;
        }
        if opts.lazy && !cfree_driver::lazy::supported() {
            return Err(Error::Jit(Box::new(JitError::Options(
                "lazy compilation is not supported on this host".into(),
            ))));
        }
        let image = LazyProgram::new(cfree_jit::Jit::new(low)?).map_err(Error::Jit)?;
        let registration = opts.lazy.then(|| cfree_jit::lazy::register(image.clone()));
        Ok(Jit {
            registration,
            image,
            compile: opts.compile,
            view: None,
            prototypes: HashMap::new(),
            decls: Declarations::default(),
            library_dirs,
            archives: inputs::Archives::default(),
        })
    }

    fn jit(&self) -> JitGuard<'_> {
        self.image.lock()
    }

    /// Takes the pending constructors under the lock and runs them without it.
    fn run_constructors(&self) -> Result<(), Error> {
        let init = self.jit().take_constructors()?;
        cfree_jit::call_constructors(&init);
        Ok(())
    }

    /// Compiles C text with this JIT's options, without linking it.
    pub fn compile(&self, filename: &str, source: &str) -> Result<Object, Error> {
        compile_object(filename, source, &self.compile)
    }

    /// Links `obj` into the image next to everything already there, then runs its
    /// constructors. Nothing already placed moves.
    pub fn append(&mut self, obj: &Object) -> Result<(), Error> {
        let batch = self.with_archive_members(vec![obj.link_input()])?;
        self.jit().add_objects(batch.clone())?;
        self.archives.mark_linked(&batch);
        self.remember_prototypes(obj, None);
        self.run_constructors()
    }

    /// [`compile`](Self::compile) then [`append`](Self::append); under
    /// [`JitOptions::lazy`], the text is analysed now and each function compiled on its
    /// first call.
    pub fn add_source(&mut self, filename: &str, source: &str) -> Result<(), Error> {
        self.add_source_with_warnings(filename, source).map(drop)
    }

    /// [`add_source`](Self::add_source), returning the compiler's warnings (rendered, empty
    /// when there were none) for a host that shows them.
    pub fn add_source_with_warnings(
        &mut self,
        filename: &str,
        source: &str,
    ) -> Result<String, Error> {
        self.add_unit(&Source::Text {
            name: filename,
            text: source,
        })
    }

    /// Compiles `src` and appends it (lazily under [`JitOptions::lazy`]); its warnings.
    fn add_unit(&mut self, src: &Source) -> Result<String, Error> {
        if self.registration.is_none() {
            let obj = compile_source(src, &self.compile)?;
            self.append(&obj)?;
            return Ok(obj.warnings);
        }
        let unit = cfree_driver::lazy::compile_unit(src, &self.compile)?;
        let warnings = unit.warnings.clone();
        let obj = Object {
            name: src.name(),
            bytes: Vec::new(),
            warnings: unit.warnings.clone(),
            prototypes: unit.prototypes.clone(),
            interface: unit.interface.clone(),
        };
        self.image
            .append(vec![unit], Vec::new())
            .map_err(|e| match *e {
                JitError::Link(l) => link_error(l, false),
                other => other.into(),
            })?;
        self.remember_prototypes(&obj, None);
        self.run_constructors()?;
        Ok(warnings)
    }

    /// Makes `name` resolve to `addr` for code linked from now on (host functions and data).
    pub fn add_symbol(&mut self, name: &str, addr: *const c_void) {
        self.jit().add_symbol(name, addr.cast());
    }

    /// Replaces the body of exported function `name` with the one `obj` defines, after checking
    /// that the two have the same calling convention (their `CfreeFuncAbiSig` records). The
    /// function's address does not change; calls already running the old body finish there.
    pub fn reload_function(&mut self, name: &str, obj: &Object) -> Result<(), Error> {
        self.reload_function_with(name, obj, AbiCheck::Required)
    }

    /// [`reload_function`](Self::reload_function) with an explicit ABI policy
    /// (`AbiCheck::Unchecked` for objects from other compilers, which carry no records).
    pub fn reload_function_with(
        &mut self,
        name: &str,
        obj: &Object,
        abi: AbiCheck,
    ) -> Result<(), Error> {
        self.reload_functions_with(&[(name, obj)], abi)
    }

    /// Replaces several exported functions at once, each `(name, obj)` pair giving a function
    /// and the object defining its new body, every one ABI-checked: all are replaced, as one
    /// generation, or none is (a batch naming a function twice is refused).
    pub fn reload_functions(&mut self, batch: &[(&str, &Object)]) -> Result<(), Error> {
        self.reload_functions_with(batch, AbiCheck::Required)
    }

    /// [`reload_functions`](Self::reload_functions) with an explicit ABI policy.
    pub fn reload_functions_with(
        &mut self,
        batch: &[(&str, &Object)],
        abi: AbiCheck,
    ) -> Result<(), Error> {
        let inputs = batch
            .iter()
            .map(|(name, obj)| ((*name).to_owned(), obj.link_input()))
            .collect();
        self.jit()
            .reload_functions(inputs, abi)
            .map_err(|e| match e {
                JitError::Link(l) => link_error(l, true),
                other => other.into(),
            })?;
        for (name, obj) in batch {
            self.remember_prototypes(obj, Some(name));
        }
        Ok(())
    }

    fn remember_prototypes(&mut self, obj: &Object, only: Option<&str>) {
        remember_prototypes(&mut self.prototypes, obj, only);
        self.decls.merge(&obj.interface, only);
    }

    /// The C type of a function the image defines, if cfree compiled it.
    pub fn prototype(&self, name: &str) -> Option<&Prototype> {
        self.prototypes.get(name)
    }

    /// The type of the function a C declaration declares (`"void log_value(int)"`), parsed by
    /// the real front end: how a host describes a callback it registers with
    /// [`add_symbol`](Self::add_symbol).
    pub fn parse_declaration(&self, declaration: &str) -> Result<Prototype, Error> {
        parse_declaration(&self.compile, declaration)
    }

    /// Compiles `source` and reloads `name` from it.
    pub fn reload_source(&mut self, name: &str, filename: &str, source: &str) -> Result<(), Error> {
        let obj = self.compile(filename, source)?;
        self.reload_function(name, &obj)
    }

    /// Address of a global symbol of the image: for a reloadable function, its stable entry.
    pub fn lookup(&self, name: &str) -> Option<*const u8> {
        self.jit().lookup(name)
    }

    /// The address code appended now would get for `name`: the image's own symbol, else
    /// what the linker binds an undefined reference to (host symbols, then the process and
    /// its libraries, then the `-l` libraries). How a scripting host calls a declared
    /// library function ([`declare`](Self::declare)) at the address C code would call.
    pub fn resolve(&self, name: &str) -> Option<*const u8> {
        use cfree_link::SymbolResolver;
        let jit = self.jit();
        jit.lookup(name)
            .or_else(|| jit.resolver().resolve(name).map(|a| a as *const u8))
    }

    /// Takes C declarations (function prototypes, `extern` variables, struct, union, enum
    /// and typedef definitions, `#include`s and `#define`s) into the image's
    /// [`declarations`](Self::declarations) without linking anything: how a scripting host
    /// gets the types of library functions (`double cos(double);`). Text that defines a
    /// function or variable with external linkage is refused; nothing changes on error.
    pub fn declare(&mut self, filename: &str, source: &str) -> Result<(), Error> {
        let obj = self.compile(filename, source)?;
        crate::declarations::only_declarations(&obj)?;
        self.decls.merge(&obj.interface, None);
        self.decls.merge_declared(&obj.prototypes);
        Ok(())
    }

    /// The merged declarations of every unit appended or declared.
    pub fn declarations(&self) -> &Declarations {
        &self.decls
    }

    /// A function of the image as a typed Rust function pointer.
    ///
    /// # Safety
    /// `F` must be an `extern "C" fn` type matching the C definition of `name`.
    pub unsafe fn function<F: Copy>(&self, name: &str) -> Option<F> {
        let addr = self.lookup(name)?;
        if std::mem::size_of::<F>() != std::mem::size_of::<*const u8>() {
            return None;
        }
        // SAFETY: the caller guarantees F is a function pointer type of the right signature;
        // the size check above rules out non-pointer types.
        Some(unsafe { std::mem::transmute_copy::<*const u8, F>(&addr) })
    }

    /// Name and offset of the symbol containing `addr`: any PC in initial, appended or
    /// replaced (old-generation, `foo$body$N`) code.
    pub fn addr_to_sym(&self, addr: *const u8) -> Option<(String, u64)> {
        self.jit()
            .addr_to_sym(addr)
            .map(|(name, off)| (name.to_owned(), off))
    }

    /// Function and data symbols of the image. A reloadable function appears once, at its
    /// entry; bodies and slots are internal.
    pub fn symbols(&self) -> impl Iterator<Item = Symbol> + '_ {
        let all: Vec<Symbol> = image_symbols(self.jit().session()).collect();
        all.into_iter()
    }

    /// +1 per successful append or reload.
    pub fn generation(&self) -> u64 {
        self.jit().generation()
    }

    /// An in-memory ELF describing the live image (sections at their runtime addresses, every
    /// symbol including old bodies), rebuilt only when the generation changed.
    pub fn view(&mut self) -> Result<&[u8], Error> {
        let generation = self.generation();
        if self.view.as_ref().is_none_or(|(g, _)| *g != generation) {
            let jit = self.jit();
            let bytes = cfree_jit::view::build_view(jit.session(), jit.memory());
            jit.memory().end_writes();
            let bytes = bytes.map_err(|e| Error::Jit(Box::new(JitError::View(e))))?;
            drop(jit);
            self.view = Some((generation, bytes));
        }
        Ok(self.view.as_ref().map_or(&[][..], |(_, v)| v.as_slice()))
    }

    /// Calls function `name` with scalar arguments (at most eight integer/pointer and eight
    /// floating-point ones) and a scalar result, the same way [`RemoteJit::call`]
    /// (crate::RemoteJit::call) calls through an executor: for hosts that know a function's
    /// type only at run time (the C API's `cfree_jit_call`). Typed Rust callers use
    /// [`function`](Self::function).
    ///
    /// # Safety
    /// `args` and `ret` must match the C definition of `name` (a prototype whose integer
    /// and floating-point parameters each number at most eight, no aggregates, not
    /// variadic): the call is made as its type says, not checked against it.
    pub unsafe fn call(&mut self, name: &str, args: &[Arg], ret: Ret) -> Result<Value, Error> {
        let addr = self.lookup(name).ok_or_else(|| {
            Error::Jit(Box::new(JitError::Unsupported(format!(
                "`{name}` is not defined in the image"
            ))))
        })?;
        // SAFETY: forwarded to the caller.
        unsafe { call_host(addr as u64, args, ret) }
            .map_err(|m| Error::Jit(Box::new(JitError::Unsupported(m))))
    }

    /// Calls `main(argc, argv, envp)`; `args[0]` is the program name.
    pub fn run_main(&mut self, args: &[String]) -> Result<i32, Error> {
        let main = self.jit().lookup("main").ok_or(JitError::MainUndefined)?;
        self.run_constructors()?;
        // SAFETY: `main` is the image's definition; no lock is held while it runs.
        Ok(unsafe { cfree_jit::call_main(main as u64, args) }?)
    }

    /// The JIT underneath (link session, memory, resolver) for inspection, locked while the
    /// guard lives: do not call into the image through it.
    pub fn low_level(&self) -> JitGuard<'_> {
        self.jit()
    }
}

/// A call in this process with the register files [`cfree_executor::registers`] fills (on
/// x86-64 the seventh and eighth integers travel on the stack, where a prototype with seven
/// or eight integers expects them).
///
/// # Safety
/// `addr` is a function whose prototype `args` and `ret` describe.
pub(crate) unsafe fn call_host(addr: u64, args: &[Arg], ret: Ret) -> Result<Value, String> {
    let (i, fb) = cfree_executor::registers(args).ok_or(cfree_executor::TOO_MANY_ARGS)?;
    let f = fb.map(f64::from_bits);
    macro_rules! call_as {
        ($r:ty) => {{
            type Fun = extern "C" fn(
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
            ) -> $r;
            // SAFETY: the caller guarantees `addr` is a function of a prototype this
            // register assignment satisfies.
            let fun: Fun = unsafe { std::mem::transmute(addr as usize) };
            fun(
                i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7], f[0], f[1], f[2], f[3], f[4], f[5],
                f[6], f[7],
            )
        }};
    }
    Ok(match ret {
        Ret::Void => {
            call_as!(());
            Value::Void
        }
        Ret::Int => Value::Int(call_as!(u64)),
        Ret::F64 => Value::F64(call_as!(f64)),
        Ret::F32 => Value::F32(call_as!(f32)),
    })
}

/// The type of the one function `declaration` declares, parsed by the real front end for the
/// target of `opts`.
pub(crate) fn parse_declaration(
    opts: &CompileOptions,
    declaration: &str,
) -> Result<Prototype, Error> {
    let mut text = declaration.trim().to_owned();
    if !text.ends_with(';') {
        text.push(';');
    }
    let obj = compile_object("<declaration>", &text, opts)?;
    let mut found = obj.prototypes.into_iter();
    match (found.next(), found.next()) {
        (Some(p), None) => Ok(p),
        _ => Err(Error::Compile(CompileError {
            rendered: format!(
                "<declaration>: error: expected exactly one function declaration in `{}`\n",
                declaration.trim()
            ),
        })),
    }
}

/// The function and data symbols of a session, as both kinds of image list them.
pub(crate) fn image_symbols(
    session: &cfree_link::LinkSession,
) -> impl Iterator<Item = Symbol> + '_ {
    session
        .symbols()
        .filter(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Data))
        .map(|s| Symbol {
            name: s.name.to_owned(),
            addr: s.addr,
            size: s.size,
            is_function: s.kind == SymbolKind::Function,
        })
}

/// Compiles C text into an [`Object`] (the one compile both kinds of image use).
pub(crate) fn compile_object(
    filename: &str,
    source: &str,
    opts: &CompileOptions,
) -> Result<Object, Error> {
    compile_source(
        &Source::Text {
            name: filename,
            text: source,
        },
        opts,
    )
}

/// Compiles a source text or file into an [`Object`].
pub(crate) fn compile_source(src: &Source, opts: &CompileOptions) -> Result<Object, Error> {
    let out = crate::compile(src, opts)?;
    Ok(Object {
        name: src.name(),
        bytes: out.object,
        warnings: out.warnings,
        prototypes: out.prototypes,
        interface: out.interface,
    })
}

/// Records the C types of the functions `obj` defined (only `only` for a reload).
pub(crate) fn remember_prototypes(
    table: &mut HashMap<String, Prototype>,
    obj: &Object,
    only: Option<&str>,
) {
    for p in obj.prototypes.iter().filter(|p| p.defined) {
        if only.is_none_or(|n| n == p.name) {
            table.insert(p.name.clone(), p.clone());
        }
    }
}

/// A link error of an append, or of a reload (`reload`), where refusals are their own kind.
pub(crate) fn link_error(l: LinkError, reload: bool) -> Error {
    if reload && is_reload_refusal(&l) {
        Error::Reload(l)
    } else {
        Error::Link(l)
    }
}

/// Link errors that mean "this reload is not allowed", as opposed to "this code does not link".
fn is_reload_refusal(e: &LinkError) -> bool {
    matches!(
        e,
        LinkError::NotReloadable { .. }
            | LinkError::RejectedReplacement { .. }
            | LinkError::AbiMismatch { .. }
            | LinkError::DuplicateReload { .. }
            | LinkError::EmptyReload
    )
}

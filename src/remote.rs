//! The embedding API for a live image on another architecture: [`RemoteJit`] compiles C for
//! the target of its `JitOptions::compile.target` and links it into an image in cfree's
//! executor under qemu-user. It offers what [`Jit`](crate::Jit) does, except that addresses
//! are the target's, so functions are called through the executor ([`RemoteJit::call`])
//! rather than as Rust function pointers.
//!
//! ```no_run
//! let mut opts = cfree::JitOptions::reloadable();
//! opts.compile.target = cfree::frontend::target::TargetInfo::from_name("aarch64-linux-gnu")?;
//! let mut jit = cfree::RemoteJit::new(opts)?;
//! jit.add_source("add.c", "int add(int a, int b) { return a + b; }")?;
//! let sum = jit.call("add", &[cfree::Arg::Int(2), cfree::Arg::Int(3)], cfree::Ret::Int)?;
//! assert_eq!(sum, cfree::Value::Int(5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::process::ExitStatus;

use cfree_driver::{CompileOptions, Prototype};
use cfree_executor::{RemoteError, RemoteOptions};
use cfree_link::AbiCheck;

pub use cfree_executor::{Arg, Caller, CallerReport, Ret, Value};

use crate::embed::{
    compile_object, image_symbols, link_error, parse_declaration, remember_prototypes,
};
use crate::{Error, JitOptions, Object, Symbol};

/// A live image in an executor process for another architecture. Every operation is a
/// transaction as with [`Jit`](crate::Jit).
pub struct RemoteJit {
    jit: cfree_executor::RemoteJit,
    compile: CompileOptions,
    prototypes: HashMap<String, Prototype>,
    decls: crate::Declarations,
}

impl RemoteJit {
    /// Starts an executor for `opts.compile.target` (building it with the target's gcc the
    /// first time) and reserves the image there. Code is compiled position-independent: the
    /// image sits wherever the executor could map it.
    pub fn new(opts: JitOptions) -> Result<RemoteJit, Error> {
        let mut low = RemoteOptions::new(opts.compile.target.arch);
        low.libraries = opts.libraries;
        low.library_dirs = opts.library_dirs;
        low.indirection = opts.indirection;
        if let Some((rx, r, rw)) = opts.reserve {
            (low.reserve_rx, low.reserve_r, low.reserve_rw) = (rx, r, rw);
        }
        let mut compile = opts.compile;
        compile.pic = true;
        Ok(RemoteJit {
            jit: cfree_executor::RemoteJit::new(low)?,
            compile,
            prototypes: HashMap::new(),
            decls: Default::default(),
        })
    }

    /// The options every compile of this image uses.
    pub fn compile_options(&self) -> &CompileOptions {
        &self.compile
    }

    /// Replaces the options of later compiles (position-independent code stays on: the
    /// image sits wherever the executor could map it).
    pub fn set_compile_options(&mut self, mut opts: CompileOptions) {
        opts.pic = true;
        self.compile = opts;
    }

    /// Compiles C text for the target, without linking it.
    pub fn compile(&self, filename: &str, source: &str) -> Result<Object, Error> {
        compile_object(filename, source, &self.compile)
    }

    /// Links `obj` into the image, then runs its constructors in the executor.
    pub fn append(&mut self, obj: &Object) -> Result<(), Error> {
        self.jit.add_objects(vec![obj.link_input()])?;
        remember_prototypes(&mut self.prototypes, obj, None);
        self.decls.merge(obj.interface(), None);
        self.jit.run_constructors()?;
        Ok(())
    }

    /// [`compile`](Self::compile) then [`append`](Self::append).
    pub fn add_source(&mut self, filename: &str, source: &str) -> Result<(), Error> {
        let obj = self.compile(filename, source)?;
        self.append(&obj)
    }

    /// Replaces exported function `name` with the body `obj` defines (ABI-checked); its
    /// target address does not change.
    pub fn reload_function(&mut self, name: &str, obj: &Object) -> Result<(), Error> {
        self.reload_functions_with(&[(name, obj)], AbiCheck::Required)
    }

    /// Compiles `source` and reloads `name` from it.
    pub fn reload_source(&mut self, name: &str, filename: &str, source: &str) -> Result<(), Error> {
        let obj = self.compile(filename, source)?;
        self.reload_function(name, &obj)
    }

    /// Replaces several functions as one transaction: all or none.
    pub fn reload_functions_with(
        &mut self,
        batch: &[(&str, &Object)],
        abi: AbiCheck,
    ) -> Result<(), Error> {
        let inputs = batch
            .iter()
            .map(|(name, obj)| ((*name).to_owned(), obj.link_input()))
            .collect();
        self.jit
            .reload_functions(inputs, abi)
            .map_err(|e| match e {
                RemoteError::Link(l) => link_error(l, true),
                other => other.into(),
            })?;
        for (name, obj) in batch {
            remember_prototypes(&mut self.prototypes, obj, Some(name));
            self.decls.merge(obj.interface(), Some(name));
        }
        Ok(())
    }

    /// Like [`Jit::declare`](crate::Jit::declare): declarations for the target, nothing linked.
    pub fn declare(&mut self, filename: &str, source: &str) -> Result<(), Error> {
        let obj = self.compile(filename, source)?;
        crate::declarations::only_declarations(&obj)?;
        self.decls.merge(obj.interface(), None);
        self.decls.merge_declared(obj.prototypes());
        Ok(())
    }

    /// The merged declarations of every unit appended or declared.
    pub fn declarations(&self) -> &crate::Declarations {
        &self.decls
    }

    /// The target address of a global symbol (a reloadable function's stable entry).
    pub fn lookup(&self, name: &str) -> Option<u64> {
        self.jit.lookup(name)
    }

    /// Calls function `name` in the executor: integer/pointer and floating-point arguments
    /// (at most eight of each), a scalar result.
    pub fn call(&mut self, name: &str, args: &[Arg], ret: Ret) -> Result<Value, Error> {
        let addr = self.lookup(name).ok_or_else(|| {
            Error::Executor(Box::new(RemoteError::Unsupported(format!(
                "`{name}` is not defined in the image"
            ))))
        })?;
        Ok(self.jit.call(addr, args, ret)?)
    }

    /// Starts a thread in the executor calling `long name(void)` until
    /// [`stop_caller`](Self::stop_caller): what the reload stress test runs.
    pub fn start_caller(&mut self, name: &str) -> Result<Caller, Error> {
        let addr = self.lookup(name).ok_or_else(|| {
            Error::Executor(Box::new(RemoteError::Unsupported(format!(
                "`{name}` is not defined in the image"
            ))))
        })?;
        Ok(self.jit.start_caller(addr)?)
    }

    pub fn stop_caller(&mut self, c: Caller) -> Result<CallerReport, Error> {
        Ok(self.jit.stop_caller(c)?)
    }

    /// Makes `name` resolve to `addr`, an address in the executor, for code linked from now
    /// on.
    pub fn add_symbol(&mut self, name: &str, addr: u64) {
        self.jit.resolver_mut().add_symbol(name, addr);
    }

    /// Name and offset of the symbol containing the target address `addr`.
    pub fn addr_to_sym(&self, addr: u64) -> Option<(&str, u64)> {
        self.jit.session().addr_to_sym(addr)
    }

    /// The type of the function a C declaration declares, for this image's target.
    pub fn parse_declaration(&self, declaration: &str) -> Result<Prototype, Error> {
        parse_declaration(&self.compile, declaration)
    }

    /// The C type of a function the image defines, if cfree compiled it.
    pub fn prototype(&self, name: &str) -> Option<&Prototype> {
        self.prototypes.get(name)
    }

    /// Function and data symbols of the image, at target addresses.
    pub fn symbols(&self) -> impl Iterator<Item = Symbol> + '_ {
        image_symbols(self.jit.session())
    }

    /// +1 per successful append or reload.
    pub fn generation(&self) -> u64 {
        self.jit.session().generation()
    }

    /// Runs `main(argc, argv, environ)` in the executor; `args[0]` is the program name.
    pub fn run_main(&mut self, args: &[String]) -> Result<i32, Error> {
        Ok(self.jit.run_main(args)?)
    }

    /// Ends the program with C's `exit(status)` there; how the executor process ended.
    pub fn exit(self, status: i32) -> Result<ExitStatus, Error> {
        Ok(self.jit.exit(status)?)
    }

    /// The remote JIT underneath (link session, executor memory and resolver).
    pub fn low_level(&self) -> &cfree_executor::RemoteJit {
        &self.jit
    }
}

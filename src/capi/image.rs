//! The image behind a `CfreeJit`: in this process ([`Jit`]) or, when the options name
//! another architecture, in an executor under qemu-user ([`RemoteJit`]). Each C entry point
//! calls one method here; the two kinds differ only where addresses do (a remote image's
//! are the target's, so its functions are called with `cfree_jit_call`).

use std::ffi::c_void;

use cfree_driver::Prototype;
use cfree_link::AbiCheck;

use crate::embed::{Error, Jit, JitOptions, Object, Symbol};
use crate::Declarations;
use crate::{Arg, RemoteJit, Ret, Value};

pub(super) enum Image {
    Local(Box<Jit>),
    Remote(Box<RemoteJit>),
}

impl Image {
    pub(super) fn new(opts: JitOptions) -> Result<Image, Error> {
        if opts.compile.target.is_host() {
            Jit::new(opts).map(|j| Image::Local(Box::new(j)))
        } else {
            RemoteJit::new(opts).map(|j| Image::Remote(Box::new(j)))
        }
    }

    pub(super) fn compile(&self, filename: &str, source: &str) -> Result<Object, Error> {
        match self {
            Image::Local(j) => j.compile(filename, source),
            Image::Remote(j) => j.compile(filename, source),
        }
    }

    /// Compile and append; a lazy local image compiles each function on its first call.
    pub(super) fn add_source(&mut self, filename: &str, source: &str) -> Result<(), Error> {
        match self {
            Image::Local(j) => j.add_source(filename, source),
            Image::Remote(j) => j.add_source(filename, source),
        }
    }

    pub(super) fn append(&mut self, obj: &Object) -> Result<(), Error> {
        match self {
            Image::Local(j) => j.append(obj),
            Image::Remote(j) => j.append(obj),
        }
    }

    pub(super) fn reload(&mut self, name: &str, obj: &Object, abi: AbiCheck) -> Result<(), Error> {
        match self {
            Image::Local(j) => j.reload_function_with(name, obj, abi),
            Image::Remote(j) => j.reload_functions_with(&[(name, obj)], abi),
        }
    }

    /// Host symbols for a local image; target addresses for a remote one.
    pub(super) fn add_symbol(&mut self, name: &str, addr: *mut c_void) {
        match self {
            Image::Local(j) => j.add_symbol(name, addr),
            Image::Remote(j) => j.add_symbol(name, addr as u64),
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<u64> {
        match self {
            Image::Local(j) => j.lookup(name).map(|p| p as u64),
            Image::Remote(j) => j.lookup(name),
        }
    }

    pub(super) fn addr_to_sym(&self, addr: u64) -> Option<(String, u64)> {
        match self {
            Image::Local(j) => j.addr_to_sym(addr as *const u8),
            Image::Remote(j) => j.addr_to_sym(addr).map(|(n, off)| (n.to_owned(), off)),
        }
    }

    pub(super) fn generation(&self) -> u64 {
        match self {
            Image::Local(j) => j.generation(),
            Image::Remote(j) => j.generation(),
        }
    }

    pub(super) fn symbols(&self) -> Vec<Symbol> {
        match self {
            Image::Local(j) => j.symbols().collect(),
            Image::Remote(j) => j.symbols().collect(),
        }
    }

    pub(super) fn view(&mut self) -> Result<&[u8], String> {
        match self {
            Image::Local(j) => j.view().map_err(|e| e.to_string()),
            Image::Remote(_) => Err(
                "cfree: the JIT view of an image on another architecture is not available".into(),
            ),
        }
    }

    /// A function the image's units define, else one known from declared text.
    pub(super) fn prototype(&self, name: &str) -> Option<&Prototype> {
        match self {
            Image::Local(j) => j.prototype(name),
            Image::Remote(j) => j.prototype(name),
        }
        .or_else(|| self.declarations().declared_function(name))
    }

    pub(super) fn declarations(&self) -> &Declarations {
        match self {
            Image::Local(j) => j.declarations(),
            Image::Remote(j) => j.declarations(),
        }
    }

    pub(super) fn declare(&mut self, source: &str) -> Result<(), Error> {
        match self {
            Image::Local(j) => j.declare("<declarations>", source),
            Image::Remote(j) => j.declare("<declarations>", source),
        }
    }

    /// What the linker would bind `name` to; for a remote image, its own symbols only (the
    /// executor's libraries are not searched from here).
    pub(super) fn resolve(&self, name: &str) -> Option<u64> {
        match self {
            Image::Local(j) => j.resolve(name).map(|p| p as u64),
            Image::Remote(j) => j.lookup(name),
        }
    }

    pub(super) fn parse_declaration(&self, declaration: &str) -> Result<Prototype, Error> {
        match self {
            Image::Local(j) => j.parse_declaration(declaration),
            Image::Remote(j) => j.parse_declaration(declaration),
        }
    }

    /// # Safety
    /// For a local image, `args` and `ret` match the definition of `name` (a remote call
    /// cannot hurt this process).
    pub(super) unsafe fn call(
        &mut self,
        name: &str,
        args: &[Arg],
        ret: Ret,
    ) -> Result<Value, Error> {
        match self {
            // SAFETY: forwarded to the caller.
            Image::Local(j) => unsafe { j.call(name, args, ret) },
            Image::Remote(j) => j.call(name, args, ret),
        }
    }
}

//! The image behind a `CfreeJit`: in this process ([`Jit`]) or, when the options name
//! another architecture, in an executor under qemu-user ([`RemoteJit`]). Each C entry point
//! calls one method here; the two kinds differ only where addresses do (a remote image's
//! are the target's, so its functions are called with `cfree_jit_call`).

use std::ffi::c_void;
use std::path::{Path, PathBuf};

use cfree_driver::{CompileOptions, Prototype};
use cfree_jit::JitError;
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
            let mut j = Jit::new(opts)?;
            // `abort`, `assert` and `exit` report to protected calls (see fault.rs).
            for (name, addr) in super::fault::interposed_symbols() {
                j.add_symbol(name, addr);
            }
            Ok(Image::Local(Box::new(j)))
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

    /// Compile and append (a lazy local image compiles each function on its first call);
    /// the compiler's warnings.
    pub(super) fn add_source(&mut self, filename: &str, source: &str) -> Result<String, Error> {
        match self {
            Image::Local(j) => j.add_source_with_warnings(filename, source),
            Image::Remote(j) => {
                let obj = j.compile(filename, source)?;
                j.append(&obj)?;
                Ok(obj.warnings().to_owned())
            }
        }
    }

    /// The embedding API's image in this process, for what only it can do.
    pub(super) fn local(&self) -> Option<&Jit> {
        match self {
            Image::Local(j) => Some(j),
            Image::Remote(_) => None,
        }
    }

    pub(super) fn remote_mut(&mut self) -> Option<&mut RemoteJit> {
        match self {
            Image::Local(_) => None,
            Image::Remote(j) => Some(j),
        }
    }

    fn local_mut(&mut self, what: &str) -> Result<&mut Jit, Error> {
        match self {
            Image::Local(j) => Ok(j),
            Image::Remote(_) => Err(Error::Jit(Box::new(JitError::Unsupported(format!(
                "{what} is not available for an image on another architecture"
            ))))),
        }
    }

    pub(super) fn compile_options(&self) -> &CompileOptions {
        match self {
            Image::Local(j) => j.compile_options(),
            Image::Remote(j) => j.compile_options(),
        }
    }

    pub(super) fn set_compile_options(&mut self, opts: CompileOptions) {
        match self {
            Image::Local(j) => j.set_compile_options(opts),
            Image::Remote(j) => j.set_compile_options(opts),
        }
    }

    /// `-L` directories then `-l` libraries, all or nothing.
    pub(super) fn add_library_options(
        &mut self,
        dirs: &[PathBuf],
        libs: &[String],
    ) -> Result<(), Error> {
        if dirs.is_empty() && libs.is_empty() {
            return Ok(());
        }
        let j = self.local_mut("-L and -l after creation")?;
        let before = j.library_dirs().len();
        for d in dirs {
            j.add_library_path(d.clone());
        }
        j.add_libraries(libs)
            .inspect_err(|_| j.truncate_library_dirs(before))
    }

    pub(super) fn add_library(&mut self, name: &str) -> Result<(), Error> {
        self.local_mut("cfree_jit_add_library")?.add_library(name)
    }

    pub(super) fn add_library_path(&mut self, dir: &Path) -> Result<(), Error> {
        self.local_mut("cfree_jit_add_library_path")?
            .add_library_path(dir);
        Ok(())
    }

    /// The compiler's warnings for a C file ("" for the other kinds).
    pub(super) fn add_file(&mut self, path: &Path) -> Result<String, Error> {
        Ok(self.local_mut("cfree_jit_add_file")?.add_file(path)?.1)
    }

    /// The address range of a local image, which protected calls guard.
    pub(super) fn code_range(&self) -> Option<(u64, u64)> {
        let j = self.local()?;
        let low = j.low_level();
        let m = low.memory();
        Some((m.base(), m.base() + m.len()))
    }

    /// The line table of a local image's DWARF (code compiled with `-g`), decoded now.
    pub(super) fn line_table(&self) -> Option<cfree_jit::lines::LineTable> {
        let j = self.local()?;
        let low = j.low_level();
        let debug = low.session().debug_sections().ok()?;
        cfree_jit::lines::LineTable::from_debug(&debug).ok()
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

//! The in-process JIT: host memory, host symbols, runtime helpers, and the `Jit` object.
//!
//! `Jit` owns a [`LinkSession`] (the linker, host-independent) and the host side it writes
//! to: [`JitMemory`] (one reserved range, W^X through a dual mapping) and [`HostResolver`]
//! (registered symbols, `dlsym`, `-l` libraries). It never parses C; it links objects.

pub mod crash;
pub mod gdb_jit;
pub mod lazy;
pub mod lines;
mod memory;
mod resolver;
mod runtime;
mod tls;
pub mod view;

use std::ffi::{c_char, c_int, CString};
use std::path::{Path, PathBuf};

use cfree_link::{
    AbiCheck, AppendOutcome, Indirection, LinkArch, LinkError, LinkInput, LinkLayout, LinkMemory,
    LinkSession, MemoryError,
};
use target_lexicon::Triple;

pub use memory::{host_page_size, JitMemory, MappingMode};
pub use resolver::{find_library, HostResolver, LibraryFile, LoadedLibrary};

/// Sizes of the reservation and the libraries to link against.
#[derive(Clone, Debug)]
pub struct JitOptions {
    /// Bytes reserved for code.
    pub reserve_rx: u64,
    /// Bytes reserved for read-only data, `.eh_frame` and GOT cells.
    pub reserve_r: u64,
    /// Bytes reserved for writable data and `.bss`.
    pub reserve_rw: u64,
    /// `-l` names (`m` for `-lm`), opened in order.
    pub libraries: Vec<String>,
    /// `-L` directories, searched before the system directories.
    pub library_dirs: Vec<PathBuf>,
    /// How W^X is achieved (see [`MappingMode`]).
    pub mapping: MappingMode,
    /// Preferred address of the reservation (a hint the kernel may ignore). `None` asks for
    /// 1 GiB below libc: gcc `-fPIE` objects read libc data such as `stdout` PC-relatively
    /// (±2 GiB), so the image should sit near libc.
    pub address_hint: Option<u64>,
    /// Whether exported functions get reloadable entries (see [`Jit::reload_function`]).
    pub indirection: Indirection,
    /// Register every append and reload with the GDB JIT interface ([`gdb_jit`]), so a
    /// debugger attached to the process sees JIT code with symbols and DWARF. On by default:
    /// it costs one in-memory ELF of the new code per append.
    pub gdb_jit: bool,
}

impl Default for JitOptions {
    /// 64 MiB code, 16 MiB read-only, 64 MiB writable: generous for appends, and far below the
    /// ±2 GiB reach of x86-64 PC-relative references. Untouched reservation costs nothing.
    fn default() -> Self {
        JitOptions {
            reserve_rx: 64 << 20,
            reserve_r: 16 << 20,
            reserve_rw: 64 << 20,
            libraries: Vec::new(),
            library_dirs: Vec::new(),
            mapping: MappingMode::Auto,
            address_hint: None,
            indirection: Indirection::None,
            gdb_jit: true,
        }
    }
}

/// Why a JIT operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JitError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("JIT memory: {0}")]
    Memory(#[from] MemoryError),
    #[error("{0}")]
    Unsupported(String),
    #[error("invalid JIT options: {0}")]
    Options(String),
    #[error("cannot find library -l{name} (searched {}): {reason}", display_dirs(.searched))]
    LibraryNotFound {
        name: String,
        searched: Vec<PathBuf>,
        reason: String,
    },
    #[error("cannot load shared library {}: {reason}", .path.display())]
    LibraryOpen { path: PathBuf, reason: String },
    #[error("`main` is not defined in the linked program")]
    MainUndefined,
    #[error("argument {index} contains a NUL byte")]
    InvalidArgument { index: usize },
    #[error("could not register destructors with __cxa_atexit")]
    AtexitFailed,
    #[error("JIT view: {0}")]
    View(#[from] view::ViewError),
}

fn display_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A live JIT image in this process.
///
/// Field order matters for drop: the session first, then the memory, then the resolver (whose
/// libraries the image may call until it is unmapped).
#[derive(Debug)]
pub struct Jit {
    session: LinkSession,
    memory: JitMemory,
    resolver: HostResolver,
    pending_init: Vec<u64>,
    pending_fini: Vec<u64>,
    /// Addresses passed to `__register_frame`, deregistered on drop.
    frames: Vec<u64>,
    frame_fns: Option<runtime::FrameFns>,
    gdb_jit: bool,
    /// One GDB JIT entry per generation; unregistered on drop, before the memory goes.
    gdb_entries: Vec<gdb_jit::Registration>,
    /// Why a generation's GDB JIT entry lacks DWARF or is missing (see
    /// [`gdb_jit_errors`](Jit::gdb_jit_errors)).
    gdb_errors: Vec<(u64, view::ViewError)>,
}

impl Jit {
    /// Reserve the image range, open the `-l` libraries, register the runtime symbols.
    pub fn new(opts: JitOptions) -> Result<Jit, JitError> {
        let arch = LinkArch::from_triple(&Triple::host())
            .map_err(|e| JitError::Unsupported(e.to_string()))?;
        let page = host_page_size();
        let cfree_link::Reservation { rx, r, rw, total } =
            LinkLayout::reservation(arch, page, opts.reserve_rx, opts.reserve_r, opts.reserve_rw)
                .map_err(JitError::Options)?;
        // Without an explicit address the image starts a random number of pages into a
        // reservation that is that much larger, as ASLR places a program: the kernel hands
        // out large mappings at 16 MiB-aligned ends, and code that truncates an address to
        // 32 bits (gcc's torture test 980701-1 does) must not see zero there any more often
        // than with gcc. (The reservation grows by the maximum, not by the skew, or the
        // kernel's top-down placement would cancel it.)
        const SKEW_PAGES: u64 = 1024;
        let (extra, skew) = match opts.address_hint {
            Some(_) => (0, 0),
            None => (SKEW_PAGES * page, random_pages(SKEW_PAGES) * page),
        };
        let hint = opts.address_hint.or_else(default_hint);
        let memory = JitMemory::with_mode_at(total + extra, opts.mapping, hint)?;
        let layout = LinkLayout::contiguous(memory.base() + skew, page, rx, r, rw)
            .map_err(|e| JitError::Options(e.to_string()))?;
        let mut resolver = HostResolver::new();
        for lib in &opts.libraries {
            resolver.add_library(lib, &opts.library_dirs)?;
        }
        for (name, addr) in runtime::runtime_symbols(memory.base()) {
            resolver.add_symbol(name, addr);
        }
        runtime::register_image(memory.base(), memory.base() + memory.len());
        let mut session = LinkSession::new(arch, layout);
        session.set_indirection(opts.indirection);
        Ok(Jit {
            session,
            memory,
            resolver,
            pending_init: Vec::new(),
            pending_fini: Vec::new(),
            frames: Vec::new(),
            frame_fns: runtime::FrameFns::lookup(),
            gdb_jit: opts.gdb_jit,
            gdb_entries: Vec::new(),
            gdb_errors: Vec::new(),
        })
    }

    /// Make `name` resolve to `addr` for objects linked from now on (host functions, data).
    pub fn add_symbol(&mut self, name: impl Into<String>, addr: *const u8) {
        self.resolver.add_symbol(name, addr as u64);
    }

    /// Link objects into the image (one transaction), then register their unwind tables.
    /// Constructors are queued for [`run_constructors`](Self::run_constructors).
    pub fn add_objects(&mut self, objects: Vec<LinkInput>) -> Result<(), JitError> {
        let outcome = self
            .session
            .append(objects, &mut self.memory, &self.resolver);
        self.memory.end_writes();
        let outcome = outcome?;
        self.register_frames(&outcome);
        self.register_with_gdb(outcome.generation);
        tls::register(&outcome.tls);
        self.pending_init.extend(outcome.init_array);
        self.pending_fini.extend(outcome.fini_array);
        Ok(())
    }

    /// [`add_objects`](Self::add_objects) for code compiled with an already linked input's
    /// declarations in scope (see [`LinkSession::append_in_scope`]).
    pub fn add_objects_in_scope(
        &mut self,
        objects: Vec<LinkInput>,
        scope: cfree_link::LinkInputId,
    ) -> Result<(), JitError> {
        let outcome =
            self.session
                .append_in_scope(objects, &mut self.memory, &self.resolver, scope);
        self.memory.end_writes();
        let outcome = outcome?;
        self.register_frames(&outcome);
        self.register_with_gdb(outcome.generation);
        tls::register(&outcome.tls);
        self.pending_init.extend(outcome.init_array);
        self.pending_fini.extend(outcome.fini_array);
        Ok(())
    }

    /// Replace the body of reloadable function `name` with the one `object` defines: a batch
    /// of one, see [`reload_functions`](Self::reload_functions).
    pub fn reload_function(
        &mut self,
        name: &str,
        object: LinkInput,
        abi: AbiCheck,
    ) -> Result<(), JitError> {
        self.reload_functions(vec![(name.to_owned(), object)], abi)
    }

    /// Replace the bodies of several reloadable functions as one transaction, each
    /// `(name, object)` pair giving a function and the object defining its new body (see
    /// [`LinkSession::reload_functions`] for what is checked). On success every function's
    /// address is unchanged, new calls run the new bodies, and frames already inside old
    /// bodies finish there; the batch is one generation, registered once with the unwinder
    /// and the GDB JIT interface. On error nothing changed.
    pub fn reload_functions(
        &mut self,
        batch: Vec<(String, LinkInput)>,
        abi: AbiCheck,
    ) -> Result<(), JitError> {
        let outcome = self
            .session
            .reload_functions(batch, &mut self.memory, &self.resolver, abi);
        self.memory.end_writes();
        let outcome = outcome?;
        self.register_frames(&outcome);
        self.register_with_gdb(outcome.generation);
        Ok(())
    }

    /// Hand the unwinder the `.eh_frame` tables of an append.
    fn register_frames(&mut self, outcome: &AppendOutcome) {
        if let Some(fns) = self.frame_fns {
            for &(addr, _len) in &outcome.eh_frame {
                // SAFETY: the linker placed and relocated this .eh_frame with a zero
                // terminator; it stays mapped until drop, where it is deregistered first.
                unsafe { fns.register(addr) };
                self.frames.push(addr);
            }
        }
    }

    /// Tell debuggers about what generation `generation` added: one in-memory ELF of its
    /// sections, symbols and DWARF. The append already happened, so a problem here cannot fail
    /// it: an entry whose DWARF cannot be relocated is registered without DWARF, and the error
    /// is kept for [`gdb_jit_errors`](Self::gdb_jit_errors).
    fn register_with_gdb(&mut self, generation: u64) {
        if !self.gdb_jit {
            return;
        }
        let ids: Vec<_> = self
            .session
            .generation_inputs(generation)
            .iter()
            .map(|r| r.id)
            .collect();
        let debug = match self.session.debug_sections_of(&ids) {
            Ok(d) => d,
            Err(e) => {
                self.gdb_errors.push((generation, e.into()));
                Default::default()
            }
        };
        let elf = view::generation_view_with(&self.session, &self.memory, generation, &debug);
        self.memory.end_writes();
        match elf {
            Ok(elf) => self.gdb_entries.push(gdb_jit::register(elf)),
            Err(e) => self.gdb_errors.push((generation, e)),
        }
    }

    /// Problems met while registering generations with the GDB JIT interface, by generation:
    /// a debugger sees those generations without DWARF (or not at all). Empty normally.
    pub fn gdb_jit_errors(&self) -> &[(u64, view::ViewError)] {
        &self.gdb_errors
    }

    /// The GDB JIT entries of this image, one per generation, oldest first.
    pub fn gdb_jit_entries(&self) -> &[gdb_jit::Registration] {
        &self.gdb_entries
    }

    /// Run the constructors of everything linked since the last call, once, in order.
    ///
    /// Destructor tables of the same objects are registered with `__cxa_atexit` first, as glibc
    /// registers `_dl_fini` before running initialisers, so `atexit` handlers installed by
    /// constructors or `main` run before them. Constructors get glibc's `(argc, argv, envp)`
    /// arguments as `(0, {NULL}, environ)`.
    pub fn run_constructors(&mut self) -> Result<(), JitError> {
        let init = self.take_constructors()?;
        call_constructors(&init);
        Ok(())
    }

    /// Like [`run_constructors`](Self::run_constructors) but leaves the calls to the caller:
    /// registers the pending destructor tables and returns the pending constructors, in order.
    /// A debugger runs them on the program's own thread.
    pub fn take_constructors(&mut self) -> Result<Vec<u64>, JitError> {
        let fini = std::mem::take(&mut self.pending_fini);
        if !runtime::register_fini(fini, self.memory.base()) {
            return Err(JitError::AtexitFailed);
        }
        Ok(std::mem::take(&mut self.pending_init))
    }

    /// Overwrites placed code (a debugger's breakpoints) through the memory layer: the
    /// writable alias of the executable pages, so no page is ever writable and executable.
    pub fn write_code(&mut self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        let r = self.memory.write(addr, bytes);
        self.memory.end_writes();
        r?;
        self.memory.flush_icache(addr, bytes.len() as u64);
        Ok(())
    }

    /// Address of a global symbol defined in the image.
    pub fn lookup(&self, name: &str) -> Option<*const u8> {
        self.session.lookup(name).map(|a| a as *const u8)
    }

    /// Symbol name and offset for an address inside the image.
    pub fn addr_to_sym(&self, addr: *const u8) -> Option<(&str, u64)> {
        self.session.addr_to_sym(addr as u64)
    }

    /// +1 per successful `add_objects`.
    pub fn generation(&self) -> u64 {
        self.session.generation()
    }

    /// The linker's read view (symbols, inputs, relocation records).
    pub fn session(&self) -> &LinkSession {
        &self.session
    }

    pub fn memory(&self) -> &JitMemory {
        &self.memory
    }

    pub fn resolver(&self) -> &HostResolver {
        &self.resolver
    }

    /// Open a shared library by path (`./libfoo.so` as an input file).
    pub fn add_library_file(&mut self, path: &Path, dirs: &[PathBuf]) -> Result<(), JitError> {
        self.resolver.add_library_file(path, dirs)
    }

    /// Open `-lNAME` after creation (an embedder's `cfree_jit_add_library`), searched as
    /// [`HostResolver::add_library`] does; code linked from now on may use its symbols.
    pub fn add_library(&mut self, name: &str, dirs: &[PathBuf]) -> Result<(), JitError> {
        self.resolver.add_library(name, dirs)
    }

    /// Close the libraries opened after the first `count` (undoing a batch of opens that
    /// failed part-way). Only for libraries no linked code refers to yet.
    pub fn close_libraries_after(&mut self, count: usize) {
        self.resolver.truncate_libraries(count);
    }

    /// Call `main(argc, argv, envp)` with `args` as argv (args[0] is the program name) and the
    /// process environment. Pending constructors run first.
    pub fn run_main<A: AsRef<std::ffi::OsStr>>(&mut self, args: &[A]) -> Result<i32, JitError> {
        let main = self.session.lookup("main").ok_or(JitError::MainUndefined)?;
        check_args(args)?;
        self.run_constructors()?;
        // SAFETY: `main` is this live image's definition.
        unsafe { call_main(main, args) }
    }
}

fn check_args<A: AsRef<std::ffi::OsStr>>(args: &[A]) -> Result<Vec<CString>, JitError> {
    use std::os::unix::ffi::OsStrExt;
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            CString::new(a.as_ref().as_bytes()).map_err(|_| JitError::InvalidArgument { index: i })
        })
        .collect()
}

/// Calls constructor entries in order with glibc's `(argc, argv, envp)` arguments as `(0,
/// {NULL}, environ)`, holding no lock on any image (a lazily linked constructor compiles
/// itself when called).
pub fn call_constructors(init: &[u64]) {
    let mut argv: [*mut c_char; 1] = [std::ptr::null_mut()];
    for &addr in init {
        // SAFETY: the linker reported `addr` as a constructor entry of a live image; C
        // constructors accept (and usually ignore) glibc's three arguments.
        let f: extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) =
            unsafe { std::mem::transmute(addr as usize) };
        f(0, argv.as_mut_ptr(), environ_ptr());
    }
}

/// Makes glibc's program name (what `assert`, `error` and `err` print) `argv0` and its last
/// path component, as exec'ing the program would have. For `cfree run`, whose process is the
/// program; a host embedding a JIT keeps its own name. A name with a NUL byte is ignored.
pub fn set_program_name(argv0: &std::ffi::OsStr) {
    use std::os::unix::ffi::OsStrExt;
    extern "C" {
        static mut program_invocation_name: *mut c_char;
        static mut program_invocation_short_name: *mut c_char;
    }
    let argv0 = argv0.as_bytes();
    let short = argv0.rsplit(|&b| b == b'/').next().unwrap_or(argv0);
    let (Ok(full), Ok(short)) = (CString::new(argv0), CString::new(short)) else {
        return;
    };
    // SAFETY: glibc's two globals are plain pointers it only reads; the strings are leaked so
    // they live as long as the process, as argv's strings would.
    unsafe {
        program_invocation_name = full.into_raw();
        program_invocation_short_name = short.into_raw();
    }
}

/// Calls `main(argc, argv, envp)` at `main` with `args` as argv and the process environment.
///
/// # Safety
/// `main` must be the address of a C `main` in a live image.
pub unsafe fn call_main<A: AsRef<std::ffi::OsStr>>(main: u64, args: &[A]) -> Result<i32, JitError> {
    let owned = check_args(args)?;
    let mut argv: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr().cast_mut()).collect();
    argv.push(std::ptr::null_mut());
    let argc = c_int::try_from(owned.len())
        .map_err(|_| JitError::InvalidArgument { index: owned.len() })?;
    // SAFETY: (caller) `main` is C's main, callable with (int, char**, char**) whatever its
    // declared parameter list. argv outlives the call.
    let f: extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int =
        unsafe { std::mem::transmute(main as usize) };
    Ok(f(argc, argv.as_mut_ptr(), environ_ptr()))
}

impl Drop for Jit {
    /// Like `dlclose`: run the image's remaining exit handlers (destructor tables, `atexit`
    /// handlers registered by its code), deregister its unwind tables, then unmap.
    fn drop(&mut self) {
        let base = self.memory.base();
        runtime::finalize(base);
        if let Some(fns) = self.frame_fns {
            for &addr in self.frames.iter().rev() {
                // SAFETY: registered in add_objects and still mapped.
                unsafe { fns.deregister(addr) };
            }
        }
        runtime::unregister_image(base);
        tls::unregister_range(base, base + self.memory.len());
        // Debuggers forget the code before it is unmapped (the fields drop after this).
        self.gdb_entries.clear();
    }
}

/// A random number in `0..n`, from the process's hash seed (no extra dependency).
fn random_pages(n: u64) -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(n) % n.max(1)
}

/// 1 GiB below libc's text (found through `printf`), where the kernel usually has room.
fn default_hint() -> Option<u64> {
    // SAFETY: valid NUL-terminated name; RTLD_DEFAULT searches the global scope.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"printf".as_ptr()) };
    (!p.is_null())
        .then(|| (p as u64).checked_sub(1 << 30))
        .flatten()
}

extern "C" {
    static mut environ: *mut *mut c_char;
}

/// The process environment, as C's `environ`.
fn environ_ptr() -> *mut *mut c_char {
    // SAFETY: reading the libc global pointer; it is not written concurrently by this crate.
    unsafe { *std::ptr::addr_of!(environ) }
}

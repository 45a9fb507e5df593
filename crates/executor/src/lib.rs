//! A live image on another architecture, the way LLVM's ORC runs code in an executor
//! process: `cfree-executor` (c/cfree-executor.c, built for the target by its gcc) runs under
//! qemu-user and does what needs the target (mapping memory W^X, `dlsym`, calling code); the
//! host keeps the same [`LinkSession`] it uses in process and hands it [`RemoteMemory`] and
//! [`RemoteResolver`], so the linker has no remote special cases.
//!
//! [`RemoteJit`] is the embedder's object: append, reload, lookups (target addresses), calls
//! through the executor, constructors, `main` and exit.

mod binary;
mod memory;
mod protocol;
mod resolver;

use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};

use cfree_link::{
    AbiCheck, AppendOutcome, Indirection, LinkError, LinkInput, LinkInputId, LinkLayout,
    LinkSession,
};
use cfree_target::Arch;

pub use binary::{command_for, executor_for, SOURCE as EXECUTOR_SOURCE};
pub use memory::RemoteMemory;
pub use protocol::{Connection, Op};
pub use resolver::RemoteResolver;

/// The connection, shared by the memory, the resolver and the JIT.
pub(crate) type Shared = Arc<Mutex<Connection>>;

pub(crate) fn lock(c: &Shared) -> MutexGuard<'_, Connection> {
    c.lock().unwrap_or_else(|e| e.into_inner())
}

/// Why talking to the executor failed.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    #[error("cannot build the {target} executor with {compiler} (Debian: gcc-{target} and the target's libc6-dev cross package): {reason}")]
    Build {
        target: String,
        compiler: String,
        reason: String,
    },
    #[error("cannot start {program}: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the executor refused {op:?}: {message} (errno {errno})")]
    Refused { op: Op, message: String, errno: u32 },
    /// The target process ended (the program called `exit` or died of a signal).
    #[error("the program ended ({0})")]
    Ended(ExitStatus),
    #[error("executor protocol: {0}")]
    Protocol(String),
}

/// Why a remote JIT operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Executor(#[from] ExecutorError),
    #[error("`main` is not defined in the linked program")]
    MainUndefined,
    #[error("argument {index} contains a NUL byte")]
    InvalidArgument { index: usize },
    #[error("{0}")]
    Unsupported(String),
}

/// What a [`RemoteJit`] reserves and links against.
#[derive(Clone, Debug)]
pub struct RemoteOptions {
    pub arch: Arch,
    /// Bytes reserved for code, read-only data and writable data.
    pub reserve_rx: u64,
    pub reserve_r: u64,
    pub reserve_rw: u64,
    /// `-l` names, opened in the executor in order (`m`, `pthread`, `dl` are already there).
    pub libraries: Vec<String>,
    /// `-L` directories searched for them first.
    pub library_dirs: Vec<std::path::PathBuf>,
    pub indirection: Indirection,
}

impl RemoteOptions {
    /// The in-process JIT's defaults, for `arch`.
    pub fn new(arch: Arch) -> RemoteOptions {
        RemoteOptions {
            arch,
            reserve_rx: 64 << 20,
            reserve_r: 16 << 20,
            reserve_rw: 64 << 20,
            libraries: Vec::new(),
            library_dirs: Vec::new(),
            indirection: Indirection::None,
        }
    }
}

/// An argument of [`RemoteJit::call`], in the register class it travels in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arg {
    /// An integer or pointer, already extended to 64 bits as the callee's type requires.
    Int(u64),
    F64(f64),
    F32(f32),
}

/// What [`RemoteJit::call`]'s callee returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Void,
    Int,
    F64,
    F32,
}

/// Why [`registers`] refused an argument list.
pub const TOO_MANY_ARGS: &str = "a call takes at most 8 integer and 8 floating-point arguments";

/// The two register files of a call with `args`: eight integer and eight floating-point
/// registers (as bit patterns), filled in order, the rest zero; `None` past eight of a
/// class. Filling every argument register of both classes is invisible to a callee on
/// cfree's targets, whose prototype takes at most eight of each: integer and floating-point
/// registers are assigned independently, and a `float` is the low half of its register (the
/// high half all ones, the NaN box RISC-V requires).
pub fn registers(args: &[Arg]) -> Option<([u64; 8], [u64; 8])> {
    let (mut ints, mut fps) = ([0u64; 8], [0u64; 8]);
    let (mut ni, mut nf) = (0, 0);
    for a in args {
        let (file, n, bits) = match *a {
            Arg::Int(v) => (&mut ints, &mut ni, v),
            Arg::F64(v) => (&mut fps, &mut nf, v.to_bits()),
            Arg::F32(v) => (
                &mut fps,
                &mut nf,
                0xffff_ffff_0000_0000 | u64::from(v.to_bits()),
            ),
        };
        *file.get_mut(*n)? = bits;
        *n += 1;
    }
    Some((ints, fps))
}

/// A result of [`RemoteJit::call`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Void,
    Int(u64),
    F64(f64),
    F32(f32),
}

/// A thread in the executor calling one function over and over (see
/// [`RemoteJit::start_caller`]).
#[derive(Debug)]
pub struct Caller(u64);

/// What a [`Caller`] saw: how many calls it made and the distinct results in the order it
/// first saw each change (at most 64).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallerReport {
    pub calls: u64,
    pub results: Vec<u64>,
}

/// A live image in an executor process for `arch`.
#[derive(Debug)]
pub struct RemoteJit {
    session: LinkSession,
    memory: RemoteMemory,
    resolver: RemoteResolver,
    conn: Shared,
    pending_init: Vec<u64>,
    pending_fini: Vec<u64>,
    register_frame: Option<u64>,
}

impl RemoteJit {
    /// Builds (or finds) the executor for `opts.arch`, starts it with this process's stdio,
    /// reserves the image there and opens the libraries.
    pub fn new(opts: RemoteOptions) -> Result<RemoteJit, RemoteError> {
        let exe = binary::executor_for(opts.arch)?;
        let (mut cmd, what) = binary::command_for(opts.arch, &exe);
        cmd.stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let conn: Shared = Arc::new(Mutex::new(Connection::spawn(cmd, &what)?));
        let hello = lock(&conn).request(Op::Hello, &[])?;
        let page = protocol::u64_at(&hello, 0, Op::Hello)?;
        if !page.is_power_of_two() || protocol::u64_at(&hello, 1, Op::Hello)? != 8 {
            return Err(ExecutorError::Protocol(format!(
                "the executor for {} is not a 64-bit target with sane pages",
                opts.arch
            ))
            .into());
        }
        let cfree_link::Reservation { rx, r, rw, total } = LinkLayout::reservation(
            opts.arch,
            page,
            opts.reserve_rx,
            opts.reserve_r,
            opts.reserve_rw,
        )
        .map_err(RemoteError::Unsupported)?;
        let memory = RemoteMemory::reserve(conn.clone(), total)?;
        let layout = LinkLayout::contiguous(memory.base(), page, rx, r, rw)
            .map_err(|e| RemoteError::Unsupported(e.to_string()))?;
        let mut resolver = RemoteResolver::new(conn.clone());
        for lib in &opts.libraries {
            open_library(&mut resolver, lib, &opts.library_dirs)?;
        }
        let register_frame = resolver.dlsym("__register_frame")?;
        let mut session = LinkSession::new(opts.arch, layout);
        session.set_indirection(opts.indirection);
        Ok(RemoteJit {
            session,
            memory,
            resolver,
            conn,
            pending_init: Vec::new(),
            pending_fini: Vec::new(),
            register_frame,
        })
    }

    /// Links objects into the image as one transaction; constructors are queued.
    pub fn add_objects(&mut self, objects: Vec<LinkInput>) -> Result<(), RemoteError> {
        let outcome = self
            .session
            .append(objects, &mut self.memory, &self.resolver)?;
        self.after_append(outcome)
    }

    /// [`add_objects`](Self::add_objects) with an already linked input's declarations in
    /// scope (see [`LinkSession::append_in_scope`]).
    pub fn add_objects_in_scope(
        &mut self,
        objects: Vec<LinkInput>,
        scope: LinkInputId,
    ) -> Result<(), RemoteError> {
        let outcome =
            self.session
                .append_in_scope(objects, &mut self.memory, &self.resolver, scope)?;
        self.after_append(outcome)
    }

    /// Replaces the bodies of reloadable functions as one transaction (see
    /// [`LinkSession::reload_functions`]); a thread in the executor calling them moves to the
    /// new bodies at the slot stores.
    pub fn reload_functions(
        &mut self,
        batch: Vec<(String, LinkInput)>,
        abi: AbiCheck,
    ) -> Result<(), RemoteError> {
        let outcome =
            self.session
                .reload_functions(batch, &mut self.memory, &self.resolver, abi)?;
        self.register_frames(&outcome)
    }

    fn after_append(&mut self, outcome: AppendOutcome) -> Result<(), RemoteError> {
        if !outcome.tls.is_empty() {
            let words: Vec<u64> = outcome
                .tls
                .iter()
                .flat_map(|t| [t.addr, t.size, t.init_len, t.align])
                .collect();
            lock(&self.conn).request(Op::TlsRegister, &protocol::u64s(&words))?;
        }
        self.register_frames(&outcome)?;
        self.pending_init.extend(outcome.init_array);
        self.pending_fini.extend(outcome.fini_array);
        Ok(())
    }

    /// Hands the target's unwinder (libgcc's `__register_frame`) the new `.eh_frame`s.
    fn register_frames(&mut self, outcome: &AppendOutcome) -> Result<(), RemoteError> {
        if let Some(reg) = self.register_frame {
            for &(addr, _) in &outcome.eh_frame {
                self.call(reg, &[Arg::Int(addr)], Ret::Void)?;
            }
        }
        Ok(())
    }

    /// Address (in the target) of a global symbol of the image.
    pub fn lookup(&self, name: &str) -> Option<u64> {
        self.session.lookup(name)
    }

    /// The linker's read view.
    pub fn session(&self) -> &LinkSession {
        &self.session
    }

    pub fn memory(&self) -> &RemoteMemory {
        &self.memory
    }

    pub fn resolver_mut(&mut self) -> &mut RemoteResolver {
        &mut self.resolver
    }

    /// Registers the pending destructor tables with the executor's `__cxa_atexit`, then runs
    /// the pending constructors there with glibc's `(0, {NULL}, environ)`, once, in order.
    pub fn run_constructors(&mut self) -> Result<(), RemoteError> {
        let fini = std::mem::take(&mut self.pending_fini);
        if !fini.is_empty() {
            lock(&self.conn).request(Op::AtExit, &protocol::u64s(&fini))?;
        }
        let init = std::mem::take(&mut self.pending_init);
        if !init.is_empty() {
            lock(&self.conn).request(Op::RunCtors, &protocol::u64s(&init))?;
        }
        Ok(())
    }

    /// Calls the function at `addr` in the executor's main thread. At most eight integer and
    /// eight floating-point arguments, none on the stack, and no aggregates: what registers
    /// carry on both AArch64 and RISC-V (six integers on x86-64).
    pub fn call(&mut self, addr: u64, args: &[Arg], ret: Ret) -> Result<Value, RemoteError> {
        let (ints, fps) =
            registers(args).ok_or_else(|| RemoteError::Unsupported(TOO_MANY_ARGS.into()))?;
        let kind: u32 = match ret {
            Ret::Void => 0,
            Ret::Int => 1,
            Ret::F64 => 2,
            Ret::F32 => 3,
        };
        let mut payload = addr.to_le_bytes().to_vec();
        payload.extend_from_slice(&kind.to_le_bytes());
        payload.extend(protocol::u64s(&ints));
        payload.extend(protocol::u64s(&fps));
        let reply = lock(&self.conn).request(Op::Call, &payload)?;
        let (i, f) = (
            protocol::u64_at(&reply, 0, Op::Call)?,
            protocol::u64_at(&reply, 1, Op::Call)?,
        );
        Ok(match ret {
            Ret::Void => Value::Void,
            Ret::Int => Value::Int(i),
            Ret::F64 => Value::F64(f64::from_bits(f)),
            Ret::F32 => Value::F32(f32::from_bits(f as u32)),
        })
    }

    /// Runs pending constructors, then `main(argc, argv, environ)` in the executor with
    /// `args` as argv; returns what `main` returned. A program that calls `exit` (or dies)
    /// ends the executor: that is [`ExecutorError::Ended`] with its status.
    pub fn run_main<A: AsRef<std::ffi::OsStr>>(&mut self, args: &[A]) -> Result<i32, RemoteError> {
        use std::os::unix::ffi::OsStrExt;
        let main = self
            .session
            .lookup("main")
            .ok_or(RemoteError::MainUndefined)?;
        let mut payload = main.to_le_bytes().to_vec();
        for (index, a) in args.iter().enumerate() {
            let a = a.as_ref();
            if a.as_bytes().contains(&0) {
                return Err(RemoteError::InvalidArgument { index });
            }
            payload.extend_from_slice(a.as_bytes());
            payload.push(0);
        }
        self.run_constructors()?;
        let reply = lock(&self.conn).request(Op::RunMain, &payload)?;
        Ok(protocol::u64_at(&reply, 0, Op::RunMain)? as i32)
    }

    /// Starts a thread in the executor that calls `long f(void)` at `addr` until
    /// [`stop_caller`](Self::stop_caller); returns once it has made its first call.
    pub fn start_caller(&mut self, addr: u64) -> Result<Caller, RemoteError> {
        let reply = lock(&self.conn).request(Op::CallerStart, &addr.to_le_bytes())?;
        Ok(Caller(protocol::u64_at(&reply, 0, Op::CallerStart)?))
    }

    /// Stops a caller once it has completed a call that began after this request (so its
    /// last result is from the body current now) and reports what it saw.
    pub fn stop_caller(&mut self, c: Caller) -> Result<CallerReport, RemoteError> {
        let reply = lock(&self.conn).request(Op::CallerStop, &c.0.to_le_bytes())?;
        let calls = protocol::u64_at(&reply, 0, Op::CallerStop)?;
        let n = protocol::u64_at(&reply, 1, Op::CallerStop)? as usize;
        let results = (0..n.min(64))
            .map(|i| protocol::u64_at(&reply, 2 + i, Op::CallerStop))
            .collect::<Result<_, _>>()?;
        Ok(CallerReport { calls, results })
    }

    /// Ends the program as C's `exit(status)` does there (stdio flushed, exit handlers run)
    /// and returns how the executor process ended.
    pub fn exit(self, status: i32) -> Result<ExitStatus, RemoteError> {
        let mut conn = lock(&self.conn);
        match conn.request(Op::Exit, &status.to_le_bytes()) {
            Ok(_) | Err(ExecutorError::Ended(_)) => Ok(conn.finish()?),
            Err(e) => Err(e.into()),
        }
    }
}

/// Opens `-lNAME` in the executor: `dir/libNAME.so` for each `-L` dir, then the loader's
/// search. libm, libpthread and libdl are part of the executor already.
fn open_library(
    r: &mut RemoteResolver,
    name: &str,
    dirs: &[std::path::PathBuf],
) -> Result<(), RemoteError> {
    if matches!(name, "m" | "pthread" | "dl" | "c" | "rt") {
        return Ok(());
    }
    let file = format!("lib{name}.so");
    for d in dirs {
        let p = d.join(&file);
        if p.is_file() {
            return Ok(r.open_library(&p.display().to_string())?);
        }
    }
    r.open_library(&file).map_err(|e| {
        RemoteError::Unsupported(format!("cannot find library -l{name} for the target: {e}"))
    })
}

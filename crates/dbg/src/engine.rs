//! The debugger's state over one live image: breakpoints, the running program, its stops,
//! and the operations a front end composes (continue, single step, finish, calls, frames).
//!
//! Breakpoints are written into code through the JIT's memory layer (the writable alias of
//! the executable pages, never a page that is writable and executable at once). Resuming from
//! a breakpoint steps its original instruction with the breakpoint lifted, then puts it back.

use cfree_jit::Jit;

use crate::arch::{self, Registers};
use crate::inferior::{self, Event, Inferior, InferiorError, Stop};

/// `si_code` of a single-step trap.
const TRAP_TRACE: i32 = 2;
/// `si_code` of an `int3` trap on x86-64 Linux.
const SI_KERNEL: i32 = 0x80;

/// Where a breakpoint was asked for; decides how it follows appends and reloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BreakSpec {
    /// `break foo`: the active body of `foo`, after its frame setup.
    Function(String),
    /// `break *0x1234`: exactly there, whatever generation the code belongs to.
    Address(u64),
    /// `break file.c:42`: every statement start of that line (or the next line with code),
    /// re-resolved from the line table after appends and reloads.
    Line { file: String, line: u32 },
}

#[derive(Clone, Debug)]
pub struct Breakpoint {
    pub id: u32,
    pub spec: BreakSpec,
    /// `None`: pending (the name does not exist yet).
    pub addr: Option<u64>,
    pub enabled: bool,
    pub temporary: bool,
    /// Made by the debugger itself (stepping); never shown or numbered.
    pub internal: bool,
    /// Its line or function was not found again after a reload: it stays where it was
    /// (HOT_RELOAD.md §13) and `info breakpoints` says so.
    pub stale: bool,
    pub hits: u32,
    /// The original bytes while inserted.
    saved: Option<Vec<u8>>,
}

impl Breakpoint {
    pub(crate) fn new_internal(id: u32, addr: u64) -> Breakpoint {
        Breakpoint {
            id,
            spec: BreakSpec::Address(addr),
            addr: Some(addr),
            enabled: true,
            temporary: false,
            internal: true,
            stale: false,
            hits: 0,
            saved: None,
        }
    }
}

/// Why the program is not running any more (what the front end reports).
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Stopped at breakpoint `id`.
    Breakpoint(u32, Stop),
    /// A single step finished.
    Stepped(Stop),
    /// A signal stopped it (fault, `abort`, Ctrl-C as `SIGINT`).
    Signal(i32, Stop),
    /// `main` returned or the program called `exit`.
    Exited(i32),
    /// The program was ended after a fatal signal (`continue` from a fault, `kill`).
    Killed(i32),
    /// A call from the debugger returned (rax / xmm0 bits).
    Returned(u64),
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("The program is not being run.")]
    NotRunning,
    #[error("The program is already running.")]
    AlreadyRunning,
    #[error("{0}")]
    Inferior(#[from] InferiorError),
    #[error("cannot write a breakpoint at {addr:#x}: {msg}")]
    Write { addr: u64, msg: String },
    #[error("No breakpoint number {0}.")]
    NoBreakpoint(u32),
    #[error("the image has no `{0}` (the debugger's start routine was not linked)")]
    NoRuntime(&'static str),
}

/// The symbol the debugger's C runtime defines to end the program from any state.
pub const ABANDON_SYMBOL: &str = "__cfree_dbg_abandon";

/// One frame of a backtrace.
#[derive(Clone, Debug)]
pub struct Frame {
    pub pc: u64,
    /// The call frame address (the caller's stack pointer before the call): the base of
    /// the frame's variables. 0 if unknown.
    pub cfa: u64,
    /// Function name (`foo`, with `[gen N]` for a replaced body) and offset of `pc` in it.
    pub function: Option<(String, u64)>,
    /// The address this frame returns to (its caller's pc), also for `main`, where
    /// backtraces end (`info frame` shows it as the saved pc).
    pub return_pc: Option<u64>,
}

#[derive(Default)]
pub struct Engine {
    breakpoints: Vec<Breakpoint>,
    /// The image's line table (refreshed after every change of the image).
    source: Option<crate::source::Source>,
    /// Its DWARF, for variables.
    debug: Option<crate::vars::DebugInfo>,
    /// How many of the image's inputs `source` and `debug` describe.
    loaded_inputs: usize,
    next_internal: u32,
    next_id: u32,
    inferior: Option<Inferior>,
    /// The innermost stop while stopped.
    stop: Option<Stop>,
    /// Signal that ended the run when the program was killed after a fault.
    fatal: Option<i32>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            next_id: 1,
            ..Default::default()
        }
    }

    /// The user's breakpoints (not the debugger's own stepping ones).
    pub fn breakpoints(&self) -> impl Iterator<Item = &Breakpoint> {
        self.breakpoints.iter().filter(|b| !b.internal)
    }

    pub fn debug_info(&self) -> Option<&crate::vars::DebugInfo> {
        self.debug.as_ref()
    }

    pub fn source(&self) -> Option<&crate::source::Source> {
        self.source.as_ref()
    }

    /// Reads the line table again (after an append, a reload or a new image).
    /// Loads the line table and debug information of the whole image (a new one).
    pub fn load_source(&mut self, jit: &Jit) {
        self.source = crate::source::Source::load(jit);
        self.debug = crate::vars::DebugInfo::load(jit);
        self.loaded_inputs = jit.session().inputs().len();
    }

    /// Adds what appends and reloads linked into the same image since the last load or
    /// refresh: the cost is that of the new inputs, not of the image.
    pub fn refresh_source(&mut self, jit: &Jit) {
        let from = self.loaded_inputs;
        if from > jit.session().inputs().len() {
            return self.load_source(jit);
        }
        crate::source::Source::extend(&mut self.source, jit, from);
        match &mut self.debug {
            Some(d) => d.extend(jit, from),
            None => self.debug = crate::vars::DebugInfo::load(jit),
        }
        self.loaded_inputs = jit.session().inputs().len();
    }

    /// The function and variables of a frame (by its PC; a return address looks up its
    /// call instruction).
    pub fn frame_info(&self, f: &Frame, innermost: bool) -> Option<crate::vars::FrameInfo> {
        let pc = if innermost {
            f.pc
        } else {
            f.pc.wrapping_sub(1)
        };
        self.debug.as_ref()?.frame(pc)
    }

    pub fn is_running(&self) -> bool {
        self.inferior.as_ref().is_some_and(|i| i.is_alive())
    }

    pub fn current_stop(&self) -> Option<&Stop> {
        self.stop.as_ref()
    }

    /// Adds a breakpoint; it is armed now if its place exists in `jit`, else pending.
    pub fn add_breakpoint(&mut self, jit: &mut Jit, spec: BreakSpec, temporary: bool) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        let addr = resolve(jit, self.source.as_ref(), &spec);
        self.breakpoints.push(Breakpoint {
            id,
            spec,
            addr,
            enabled: true,
            temporary,
            internal: false,
            stale: false,
            hits: 0,
            saved: None,
        });
        if self.is_running() {
            let _ = self.insert(jit, id);
        }
        id
    }

    /// A hit that does not count (its condition was false).
    pub fn uncount_hit(&mut self, id: u32) {
        if let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) {
            b.hits = b.hits.saturating_sub(1);
        }
    }

    pub(crate) fn next_internal_id(&mut self) -> u32 {
        self.next_internal += 1;
        self.next_internal
    }

    pub(crate) fn push_breakpoint(&mut self, b: Breakpoint) {
        self.breakpoints.push(b);
    }

    pub(crate) fn insert_pub(&mut self, jit: &mut Jit, id: u32) -> Result<(), EngineError> {
        self.insert(jit, id)
    }

    pub(crate) fn internal_ids(&self) -> Vec<u32> {
        self.breakpoints
            .iter()
            .filter(|b| b.internal)
            .map(|b| b.id)
            .collect()
    }

    pub(crate) fn is_internal(&self, id: u32) -> bool {
        self.breakpoints.iter().any(|b| b.id == id && b.internal)
    }

    pub(crate) fn delete_any(&mut self, jit: &mut Jit, id: u32) -> Result<(), EngineError> {
        self.remove(jit, id)?;
        self.breakpoints.retain(|b| b.id != id);
        Ok(())
    }

    /// Re-resolves every breakpoint set by name (after an append or a reload): pending ones
    /// arm, name breakpoints move to the active body.
    pub fn rebind(&mut self, jit: &mut Jit) -> Result<(), EngineError> {
        let ids: Vec<u32> = self.breakpoints.iter().map(|b| b.id).collect();
        for id in ids {
            let Some(b) = self.breakpoints.iter().find(|b| b.id == id) else {
                continue;
            };
            let new = resolve(jit, self.source.as_ref(), &b.spec);
            let old = b.addr;
            let by_place = !matches!(b.spec, BreakSpec::Address(_));
            // Found only in a replaced body: the source line has no code in the live one.
            let only_old = new
                .and_then(|a| function_at(jit, a))
                .is_some_and(|f| f.0.contains(" [gen "));
            let stale = by_place && old.is_some() && (new.is_none() || only_old);
            if let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) {
                b.stale = stale;
            }
            if stale {
                continue;
            }
            if new != old {
                self.remove(jit, id)?;
                if let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) {
                    b.addr = new;
                }
                if self.is_running() {
                    self.insert(jit, id)?;
                }
            }
        }
        Ok(())
    }

    /// The program gets a fresh image (a new `run`): breakpoints are no longer inserted
    /// anywhere and are resolved again in `jit`.
    pub fn image_replaced(&mut self, jit: &Jit) {
        self.load_source(jit);
        self.breakpoints.retain(|b| !b.internal);
        for b in &mut self.breakpoints {
            b.saved = None;
            b.addr = resolve(jit, self.source.as_ref(), &b.spec);
        }
    }

    pub fn delete(&mut self, jit: &mut Jit, id: u32) -> Result<(), EngineError> {
        if !self.breakpoints.iter().any(|b| b.id == id) {
            return Err(EngineError::NoBreakpoint(id));
        }
        self.remove(jit, id)?;
        self.breakpoints.retain(|b| b.id != id);
        Ok(())
    }

    pub fn set_enabled(&mut self, jit: &mut Jit, id: u32, on: bool) -> Result<(), EngineError> {
        let b = self
            .breakpoints
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or(EngineError::NoBreakpoint(id))?;
        b.enabled = on;
        if on {
            if self.is_running() {
                self.insert(jit, id)?;
            }
        } else {
            self.remove(jit, id)?;
        }
        Ok(())
    }

    fn insert(&mut self, jit: &mut Jit, id: u32) -> Result<(), EngineError> {
        let code = arch::host().breakpoint();
        let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) else {
            return Ok(());
        };
        let Some(addr) = b.addr else { return Ok(()) };
        if !b.enabled || b.saved.is_some() {
            return Ok(());
        }
        // Another breakpoint at the same address already holds the original bytes.
        let shared = self
            .breakpoints
            .iter()
            .any(|o| o.id != id && o.addr == Some(addr) && o.saved.is_some());
        let mut orig = vec![0u8; code.len()];
        if shared {
            if let Some(saved) = self
                .breakpoints
                .iter()
                .find(|o| o.id != id && o.addr == Some(addr))
                .and_then(|o| o.saved.clone())
            {
                orig = saved;
            }
        } else {
            if !inferior::read_memory(addr, &mut orig) {
                return Err(EngineError::Write {
                    addr,
                    msg: "not readable".into(),
                });
            }
            jit.write_code(addr, code).map_err(|e| EngineError::Write {
                addr,
                msg: e.to_string(),
            })?;
        }
        if let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) {
            b.saved = Some(orig);
        }
        Ok(())
    }

    fn remove(&mut self, jit: &mut Jit, id: u32) -> Result<(), EngineError> {
        let Some(b) = self.breakpoints.iter_mut().find(|b| b.id == id) else {
            return Ok(());
        };
        let (Some(addr), Some(orig)) = (b.addr, b.saved.take()) else {
            return Ok(());
        };
        let still = self
            .breakpoints
            .iter()
            .any(|o| o.addr == Some(addr) && o.saved.is_some());
        if !still {
            jit.write_code(addr, &orig)
                .map_err(|e| EngineError::Write {
                    addr,
                    msg: e.to_string(),
                })?;
        }
        Ok(())
    }

    fn insert_all(&mut self, jit: &mut Jit) -> Result<(), EngineError> {
        let ids: Vec<u32> = self.breakpoints.iter().map(|b| b.id).collect();
        for id in ids {
            self.insert(jit, id)?;
        }
        Ok(())
    }

    fn inserted_at(&self, addr: u64) -> Vec<u32> {
        self.breakpoints
            .iter()
            .filter(|b| b.addr == Some(addr) && b.saved.is_some())
            .map(|b| b.id)
            .collect()
    }

    /// Starts the program: `entry(args)` on a new worker thread, with every breakpoint armed.
    pub fn start(
        &mut self,
        jit: &mut Jit,
        entry: u64,
        args: [u64; 4],
    ) -> Result<Outcome, EngineError> {
        if self.is_running() {
            return Err(EngineError::AlreadyRunning);
        }
        self.fatal = None;
        // As in gdb, hit counts start over with each run.
        for b in &mut self.breakpoints {
            b.hits = 0;
        }
        self.insert_all(jit)?;
        self.inferior = Some(Inferior::start(entry, args)?);
        self.wait(jit, &|| false)
    }

    /// Continues until the next stop or the end of the program.
    pub fn cont(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let stop = self.stop.clone().ok_or(EngineError::NotRunning)?;
        if let Some(sig) = self.fatal_signal(&stop) {
            return self.abandon(jit, 128 + sig, Some(sig));
        }
        if !self.inserted_at(stop.regs.pc()).is_empty() {
            match self.step_instruction(jit, interrupted)? {
                Outcome::Stepped(_) => {}
                other => return Ok(other),
            }
        }
        self.stop = None;
        self.inferior_mut()?.resume()?;
        self.wait(jit, interrupted)
    }

    /// Executes one machine instruction (lifting a breakpoint at the PC while it runs).
    pub fn step_instruction(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let stop = self.stop.clone().ok_or(EngineError::NotRunning)?;
        if let Some(sig) = self.fatal_signal(&stop) {
            return self.abandon(jit, 128 + sig, Some(sig));
        }
        let pc = stop.regs.pc();
        let lifted = self.inserted_at(pc);
        for &id in &lifted {
            self.remove(jit, id)?;
        }
        let mut regs = stop.regs.clone();
        regs.set_trap_flag(true);
        self.stop = None;
        let inf = self.inferior_mut()?;
        inf.set_registers(&regs)?;
        inf.resume()?;
        let out = self.wait_raw(interrupted)?;
        for &id in &lifted {
            self.insert(jit, id)?;
        }
        match out {
            Event::Stopped(s) => {
                let mut s = *s;
                s.regs.set_trap_flag(false);
                self.inferior_mut()?.set_registers(&s.regs)?;
                self.stop = Some(s.clone());
                if s.signo == libc::SIGTRAP && s.code == TRAP_TRACE {
                    Ok(Outcome::Stepped(s))
                } else {
                    self.classify(jit, s)
                }
            }
            other => self.finish_event(other),
        }
    }

    /// Calls `func` in the stopped program; a stop inside it is reported as such.
    pub fn call(
        &mut self,
        jit: &mut Jit,
        func: u64,
        ints: &[u64],
        floats: &[f64],
        float_ret: bool,
    ) -> Result<Outcome, EngineError> {
        if self.stop.is_none() {
            return Err(EngineError::NotRunning);
        }
        self.inferior_mut()?.call(func, ints, floats, float_ret)?;
        self.stop = None;
        self.wait(jit, &|| false)
    }

    /// Ends the program from its current stop (`kill`, or continuing past a fatal signal).
    pub fn abandon(
        &mut self,
        jit: &mut Jit,
        status: i32,
        signal: Option<i32>,
    ) -> Result<Outcome, EngineError> {
        let mut stop = self.stop.clone().ok_or(EngineError::NotRunning)?;
        // Lift every breakpoint so the program's other threads and its exit handlers run
        // freely.
        let ids: Vec<u32> = self.breakpoints.iter().map(|b| b.id).collect();
        for id in ids {
            self.remove(jit, id)?;
        }
        // Every other thread of the program is stopped too (each stop, when it comes, ends
        // that thread), the main thread last.
        inferior::interrupt_threads(stop.tid);
        while stop.tid != inferior::worker_tid() {
            self.end_thread(&stop)?;
            match self.next_stop()? {
                Some(s) => stop = s,
                None => return self.finish_event(Event::Exited(status)),
            }
        }
        let target = jit
            .lookup(ABANDON_SYMBOL)
            .ok_or(EngineError::NoRuntime(ABANDON_SYMBOL))? as u64;
        // Run the abandon routine as if called from the stop, on an aligned stack below the
        // faulting frame's red zone (or the handler's stack for an overflow).
        let sp = stop.regs.sp().saturating_sub(4096) & !15;
        let sp = if inferior::read_u64(sp).is_some() {
            sp
        } else {
            stop.regs.sp() & !15
        };
        stop.regs.set(libc::REG_RSP, sp - 8);
        stop.regs.set(libc::REG_RDI, status as u64);
        stop.regs.set_trap_flag(false);
        stop.regs.set_pc(target);
        self.stop = None;
        self.fatal = signal;
        self.inferior_mut()?.set_registers(&stop.regs)?;
        self.inferior_mut()?.resume()?;
        loop {
            match self.wait_raw(&|| false)? {
                // A thread that stops while the main thread exits ends there.
                Event::Stopped(s) if s.tid != inferior::worker_tid() => {
                    self.stop = Some((*s).clone());
                    self.end_thread(&s)?;
                }
                Event::Stopped(s) => return self.classify(jit, *s),
                other => return self.finish_event(other),
            }
        }
    }

    /// Ends the stopped thread `stop` (one the program made) with `pthread_exit`, as if it
    /// had called it where it stopped: its stack unwinds and its cleanup handlers run.
    fn end_thread(&mut self, stop: &Stop) -> Result<(), EngineError> {
        let mut regs = stop.regs.clone();
        if !regs.redirect_call(libc::pthread_exit as *const () as u64, 0) {
            return Err(EngineError::NotRunning);
        }
        self.stop = None;
        let inf = self.inferior_mut()?;
        inf.set_registers(&regs)?;
        inferior::mark_ending(stop.tid);
        inf.resume()?;
        Ok(())
    }

    /// The next stop of any thread; `None` when the program ended instead.
    fn next_stop(&mut self) -> Result<Option<Stop>, EngineError> {
        loop {
            match self.wait_raw(&|| false)? {
                Event::Stopped(s) => {
                    self.stop = Some((*s).clone());
                    return Ok(Some(*s));
                }
                Event::Exited(_) => return Ok(None),
                Event::CallReturned(_) => {}
            }
        }
    }

    fn fatal_signal(&self, stop: &Stop) -> Option<i32> {
        (stop.signo != libc::SIGTRAP).then_some(stop.signo)
    }

    fn inferior_mut(&mut self) -> Result<&mut Inferior, EngineError> {
        self.inferior.as_mut().ok_or(EngineError::NotRunning)
    }

    fn wait_raw(&mut self, interrupted: &dyn Fn() -> bool) -> Result<Event, EngineError> {
        Ok(self.inferior_mut()?.wait(interrupted)?)
    }

    fn wait(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        match self.wait_raw(interrupted)? {
            Event::Stopped(s) => self.classify(jit, *s),
            other => self.finish_event(other),
        }
    }

    fn finish_event(&mut self, e: Event) -> Result<Outcome, EngineError> {
        match e {
            Event::Exited(status) => {
                self.stop = None;
                self.inferior = None;
                // As a process's exit ends its threads: nothing of the run may go on running
                // code that the next run unmaps.
                inferior::end_program_threads();
                Ok(match self.fatal.take() {
                    Some(sig) => Outcome::Killed(sig),
                    None => Outcome::Exited(status),
                })
            }
            Event::CallReturned(v) => {
                // Back in the stop the call was made from; its context is unchanged.
                self.stop = self.inferior.as_ref().and_then(Inferior::current);
                Ok(Outcome::Returned(v))
            }
            Event::Stopped(_) => Err(EngineError::NotRunning),
        }
    }

    /// Turns a raw stop into what the user sees: a breakpoint hit (PC moved back onto it),
    /// a single step, or a signal.
    fn classify(&mut self, jit: &mut Jit, mut s: Stop) -> Result<Outcome, EngineError> {
        let a = arch::host();
        if s.signo == libc::SIGTRAP && s.code == SI_KERNEL {
            let at = s.regs.pc().wrapping_sub(a.trap_pc_adjust());
            let mut ids = self.inserted_at(at);
            // A user breakpoint at the same place wins over the debugger's own.
            ids.sort_by_key(|id| self.is_internal(*id));
            if let Some(&id) = ids.first() {
                s.regs.set_pc(at);
                self.inferior_mut()?.set_registers(&s.regs)?;
                for b in self.breakpoints.iter_mut().filter(|b| ids.contains(&b.id)) {
                    b.hits += 1;
                }
                let temp: Vec<u32> = self
                    .breakpoints
                    .iter()
                    .filter(|b| ids.contains(&b.id) && b.temporary)
                    .map(|b| b.id)
                    .collect();
                for t in temp {
                    self.delete(jit, t)?;
                }
                self.stop = Some(s.clone());
                return Ok(Outcome::Breakpoint(id, s));
            }
        }
        self.stop = Some(s.clone());
        if s.signo == libc::SIGTRAP && s.code == TRAP_TRACE {
            return Ok(Outcome::Stepped(s));
        }
        let sig = if s.signo == libc::SIGTRAP {
            libc::SIGINT
        } else {
            s.signo
        };
        Ok(Outcome::Signal(sig, s))
    }

    /// The frames of the stopped program, innermost first, up to `main`: call frame
    /// information for the image's and the C library's frames, frame pointers where there
    /// is none.
    pub fn backtrace(&self, jit: &Jit, limit: usize) -> Vec<Frame> {
        if self.stop.is_none() {
            return Vec::new();
        }
        let chain = self
            .inferior
            .as_ref()
            .map(Inferior::stop_chain)
            .unwrap_or_default();
        let mut frames = Vec::new();
        for (level, regs) in chain.iter().enumerate() {
            if level > 0 {
                // The frames below belong to a function called from the debugger.
                frames.push(Frame {
                    pc: 0,
                    cfa: 0,
                    function: Some(("<function called from cfree dbg>".into(), 0)),
                    return_pc: None,
                });
            }
            let nested = level + 1 < chain.len();
            if self.unwind_stop(jit, regs, nested, limit, &mut frames) {
                break;
            }
        }
        frames.truncate(limit);
        frames
    }

    /// Frames of one stop; `true` once `main` (or the end of the stack) was reached.
    /// `nested`: the stop is inside a call made from the debugger, whose frames end where the
    /// unwinder leaves the image (the handler that made the call).
    fn unwind_stop(
        &self,
        jit: &Jit,
        r: &crate::arch::x86_64::Regs,
        nested: bool,
        limit: usize,
        frames: &mut Vec<Frame>,
    ) -> bool {
        let mut regs = crate::unwind::UnwindRegs {
            pc: r.pc(),
            sp: r.sp(),
            fp: r.fp(),
        };
        let mut precise = true;
        while frames.len() < limit {
            let in_image = function_at(jit, regs.pc);
            if nested && in_image.is_none() && !precise {
                return false;
            }
            if in_image.is_none() && !precise && crate::unwind::in_debugger(regs.pc) {
                // Past the start routine of a thread the program made: the debugger's frames.
                return true;
            }
            let function = in_image.or_else(|| crate::unwind::host_symbol(regs.pc));
            let is_main = function.as_ref().is_some_and(|f| f.0 == "main");
            let next = crate::unwind::caller(regs, precise);
            frames.push(Frame {
                pc: regs.pc,
                cfa: next.map_or(0, |n| n.sp),
                function,
                return_pc: next.map(|n| n.pc),
            });
            if is_main {
                return true;
            }
            match next {
                Some(next) if next.sp > regs.sp || (next.sp == regs.sp && next.pc != regs.pc) => {
                    regs = next;
                }
                _ => return true,
            }
            precise = false;
        }
        true
    }
}

/// The address a breakpoint spec names now, if it exists.
fn resolve(jit: &Jit, source: Option<&crate::source::Source>, spec: &BreakSpec) -> Option<u64> {
    match spec {
        BreakSpec::Address(a) => Some(*a),
        BreakSpec::Line { file, line } => {
            // After reloads a line has code in several generations: the newest body (the
            // one placed last, at the highest address) is the live one.
            let (_, addrs) = source?.line_addresses(file, *line)?;
            let newest = addrs.iter().filter_map(|&a| function_start(jit, a)).max();
            addrs
                .iter()
                .copied()
                .filter(|&a| function_start(jit, a) == newest)
                .min()
        }
        BreakSpec::Function(name) => {
            let (lo, size) = function_range(jit, name)?;
            source
                .and_then(|s| s.after_prologue(lo, lo + size))
                .or(Some(lo + arch::host().frame_setup_len()))
        }
    }
}

/// Start and size of the code of function `name`: its active body for a reloadable one.
pub fn function_range(jit: &Jit, name: &str) -> Option<(u64, u64)> {
    let s = jit.session();
    let sym = match s.reload_func(name) {
        Some(r) => s.symbol(r.body())?,
        None => {
            let sym = s.lookup_symbol(name)?;
            if sym.kind != cfree_link::SymbolKind::Function {
                return None;
            }
            sym
        }
    };
    Some((sym.addr, sym.size))
}

/// Start of the function containing `pc` (any generation): one address-index lookup, cheap
/// enough for every single step.
pub fn function_start(jit: &Jit, pc: u64) -> Option<u64> {
    let (_, off) = jit.addr_to_sym(pc as *const u8)?;
    Some(pc - off)
}

/// Start and size of the function containing `pc` (any generation). The size costs a scan of
/// the symbols: for decisions made once per command, not per step.
pub fn function_bounds(jit: &Jit, pc: u64) -> Option<(u64, u64)> {
    let (name, off) = jit.addr_to_sym(pc as *const u8)?;
    let start = pc - off;
    let size = jit
        .session()
        .all_symbols()
        .find(|s| s.addr == start && s.name == name)
        .map_or(0, |s| s.size);
    Some((start, size))
}

/// The function containing `pc` and the offset into it: its C name, with ` [gen N]` for a
/// body that a reload has replaced.
pub fn function_at(jit: &Jit, pc: u64) -> Option<(String, u64)> {
    let (name, off) = jit.addr_to_sym(pc as *const u8)?;
    let Some((base, gen)) = name.split_once("$body$") else {
        return Some((name.to_string(), off));
    };
    let active = jit
        .session()
        .reload_func(base)
        .and_then(|r| jit.session().symbol(r.body()))
        .map(|s| s.name.to_string());
    if active.as_deref() == Some(name) {
        Some((base.to_string(), off))
    } else {
        Some((format!("{base} [gen {gen}]"), off))
    }
}

//! Lazy compilation (`cfree run -flazy`): every unit is analysed now, but its functions are
//! linked as stubs and each is code-generated the first time it is called, so the functions
//! a run never calls are never compiled (MIR's `-el`, ORC's lazy reexports).
//!
//! [`LazyProgram`] holds the analysed units and, once linked, the image. The first call of a
//! function reaches [`LazyResolver::resolve`] through the runtime's entry
//! (`cfree_jit::lazy`) with the function's slot: under the program's lock it compiles the body
//! alone (`LazyMode::Body`: the whole unit given, one function emitted, every symbol a reference), appends it in the scope of the
//! unit's stub object (so it binds to that unit's statics), stores the body's address in the
//! slot and returns it. A thread that calls the function meanwhile waits for the lock and
//! finds the slot filled; recursion and calls through pointers taken earlier go through the
//! stub, whose address never changes.
//!
//! Names are bound when a body is linked, as `ld.so` binds with lazy binding: a reference
//! nothing defines ends the run when the function using it is first called (with the
//! function and the name), not before `main`. A reference the analysis sees but code
//! generation folds away (`if (0) link_error();`) is never looked up, as in an eager build.

use crate::pipeline::{self, CompileError, CompileOptions, Source};
use cfree_codegen::lazy::{self as stubs, LazyMode};
use cfree_frontend::ir::TranslationUnit;
use cfree_frontend::timing::PhaseTimes;
use cfree_frontend::SourceMap;
use cfree_jit::{Jit, JitError};
use cfree_link::{LinkInput, LinkInputId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One unit analysed for lazy linking, and its stub object.
pub struct LazyUnit {
    tu: TranslationUnit,
    sm: SourceMap,
    name: String,
    opts: CompileOptions,
    /// The stub object, until it is linked.
    pub object: Vec<u8>,
    pub warnings: String,
    pub times: PhaseTimes,
    /// The C types of the unit's external functions (for embedders).
    pub prototypes: Vec<crate::pipeline::Prototype>,
    /// The unit's declarations (see `Compiled::interface`).
    pub interface: crate::pipeline::interface::Interface,
}

/// Compiles `src` for lazy linking: analysis now, an object whose eligible functions are
/// stubs (see `cfree_codegen::lazy`).
pub fn compile_unit(src: &Source, opts: &CompileOptions) -> Result<LazyUnit, CompileError> {
    pipeline::on_compiler_thread(|| {
        let unit = pipeline::preprocess_unit(src, opts)?;
        let mut a = pipeline::analyze(unit, opts)?;
        let mut cg = opts.codegen_options();
        cg.lazy = LazyMode::Stubs;
        let c = pipeline::generate(&mut a, src, &cg)?;
        Ok(LazyUnit {
            tu: a.tu,
            sm: a.sm,
            name: src.name(),
            opts: opts.clone(),
            object: c.object,
            warnings: c.warnings,
            times: c.times,
            prototypes: c.prototypes,
            interface: c.interface,
        })
    })
}

/// Whether this host can run lazily linked code.
pub fn supported() -> bool {
    cfree_jit::lazy::enter_address().is_some()
        && stubs::supported(cfree_frontend::TargetInfo::host().arch)
}

/// A lazily linked program: its image and the units its stubs compile from.
pub struct LazyProgram {
    state: Mutex<State>,
    enter: u64,
    /// Functions compiled so far, and the time they took.
    compiled: AtomicU64,
    nanos: AtomicU64,
    /// Functions linked as stubs.
    stubs: AtomicU64,
}

struct State {
    jit: SendJit,
    units: Vec<(LazyUnit, LinkInputId)>,
    /// Slot address → (unit, function index).
    slots: HashMap<u64, (usize, usize)>,
}

/// The locked image of a [`LazyProgram`].
pub struct JitGuard<'a>(std::sync::MutexGuard<'a, State>);

impl std::ops::Deref for JitGuard<'_> {
    type Target = Jit;
    fn deref(&self) -> &Jit {
        &self.0.jit.0
    }
}

impl std::ops::DerefMut for JitGuard<'_> {
    fn deref_mut(&mut self) -> &mut Jit {
        &mut self.0.jit.0
    }
}

/// The image, owned by the program's lock.
struct SendJit(Jit);
// SAFETY: the JIT is only touched under `LazyProgram::state`'s lock; its raw pointers refer to
// the process-wide image and libraries, valid from any thread.
unsafe impl Send for SendJit {}

impl LazyProgram {
    /// An image for lazily linked units (and anything else): `jit` behind the program's lock,
    /// the resolver entry registered as a symbol. Register the program
    /// (`cfree_jit::lazy::register`) before any of its code runs.
    pub fn new(mut jit: Jit) -> Result<Arc<LazyProgram>, Box<JitError>> {
        let Some(enter) = cfree_jit::lazy::enter_address() else {
            return Err(Box::new(JitError::Unsupported(
                "lazy compilation is not supported on this host".into(),
            )));
        };
        jit.add_symbol(stubs::LAZY_ENTER, enter as *const u8);
        Ok(Arc::new(LazyProgram {
            stubs: AtomicU64::new(0),
            state: Mutex::new(State {
                jit: SendJit(jit),
                units: Vec::new(),
                slots: HashMap::new(),
            }),
            enter,
            compiled: AtomicU64::new(0),
            nanos: AtomicU64::new(0),
        }))
    }

    /// [`new`](Self::new), then the stub objects of `units` and the objects `extra` linked
    /// as one transaction.
    pub fn link(
        jit: Jit,
        units: Vec<LazyUnit>,
        extra: Vec<LinkInput>,
    ) -> Result<Arc<LazyProgram>, Box<JitError>> {
        let program = Self::new(jit)?;
        program.append(units, extra)?;
        Ok(program)
    }

    /// Links the stub objects of `units` (and `extra` as they are) as one transaction and
    /// records their slots; on error nothing changed.
    pub fn append(
        &self,
        mut units: Vec<LazyUnit>,
        extra: Vec<LinkInput>,
    ) -> Result<(), Box<JitError>> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let st = &mut *st;
        let jit = &mut st.jit.0;
        let first = jit.session().inputs().len();
        let mut inputs: Vec<LinkInput> = units
            .iter_mut()
            .map(|u| LinkInput::new(u.name.clone(), std::mem::take(&mut u.object)))
            .collect();
        inputs.extend(extra);
        jit.add_objects(inputs).map_err(Box::new)?;
        for (i, unit) in units.into_iter().enumerate() {
            let ui = st.units.len();
            let record = &jit.session().inputs()[first + i];
            for id in record.symbols.iter().flatten() {
                let Some(sym) = jit.session().symbol(*id) else {
                    continue;
                };
                let Some(k) = sym.name.strip_prefix("__cfree_lazy_slot.") else {
                    continue;
                };
                if let Ok(k) = k.parse::<usize>() {
                    st.slots.insert(sym.addr, (ui, k));
                    self.stubs.fetch_add(1, Ordering::Relaxed);
                }
            }
            st.units.push((unit, record.id));
        }
        Ok(())
    }

    /// The image, locked: no function compiles while the guard lives, so calling into the
    /// image's code while holding it would wait forever for a first call's compile.
    pub fn lock(&self) -> JitGuard<'_> {
        JitGuard(self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// "compiled N of M functions lazily in T ms", for `-ftime-report`.
    pub fn report(&self) -> String {
        format!(
            "cfree: -flazy compiled {} of {} functions in {:.2} ms\n",
            self.compiled.load(Ordering::Relaxed),
            self.stubs.load(Ordering::Relaxed),
            Duration::from_nanos(self.nanos.load(Ordering::Relaxed)).as_secs_f64() * 1000.0
        )
    }

    /// Compiles and links the body behind `slot` unless another call did; its address.
    fn compile_slot(&self, slot: u64) -> Option<Result<u64, String>> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let &(ui, k) = st.slots.get(&slot)?;
        // SAFETY: `slot` is a live 8-byte slot of this image (recorded at link time).
        let cell = unsafe { &*(slot as *const AtomicU64) };
        let current = cell.load(Ordering::Acquire);
        if current != self.enter {
            return Some(Ok(current));
        }
        let start = Instant::now();
        let result = compile_body(&mut st, ui, k);
        if let Ok(body) = result {
            cell.store(body, Ordering::Release);
            self.compiled.fetch_add(1, Ordering::Relaxed);
            self.nanos
                .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
        Some(result)
    }
}

impl cfree_jit::lazy::LazyResolver for LazyProgram {
    fn resolve(&self, slot: u64) -> Option<Result<u64, String>> {
        self.compile_slot(slot)
    }
}

/// Compiles function `k` of unit `ui` alone and links it in the unit's scope.
fn compile_body(st: &mut State, ui: usize, k: usize) -> Result<u64, String> {
    let (unit, scope) = &st.units[ui];
    let func = unit.tu.functions.get(k).map_or("?", |f| f.name.as_str());
    let fail = |e: String| format!("{func} ({}): {e}", unit.name);
    let tu = &unit.tu;
    let mut cg = unit.opts.codegen_options();
    cg.threads = 1;
    cg.lazy = LazyMode::Body {
        sym: unit.tu.functions[k].sym,
        unit: ui as u32,
        index: k as u32,
    };
    let name = unit.name.clone();
    let sm = &unit.sm;
    let object = pipeline::on_compiler_thread(|| {
        cfree_codegen::compile(tu, sm, &name, &cg).map_err(|e| CompileError {
            rendered: e.to_string(),
        })
    })
    .map_err(|e| fail(e.rendered))?;
    let scope = *scope;
    st.jit
        .0
        .add_objects_in_scope(vec![LinkInput::new(name, object)], scope)
        .map_err(|e| fail(e.to_string()))?;
    let body = stubs::body_symbol(ui as u32, k as u32);
    st.jit
        .0
        .session()
        .lookup(&body)
        .ok_or_else(|| fail(format!("{body} was not linked")))
}

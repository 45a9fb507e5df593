//! The functions of one object in three steps, as rustc_codegen_cranelift does: *build* each
//! function's Cranelift IR (our translator, on this thread: it declares symbols in the
//! module), *compile* it (Cranelift, on a worker: a `Context` per function, nothing shared but
//! the ISA), *define* its bytes in the module (this thread, in source order).
//!
//! Defining in source order whatever finished first makes the object byte-identical to a
//! serial build: Cranelift's output depends only on the function and the ISA, and the module
//! only sees the same `define` calls in the same order. With one thread nothing is spawned.

use crate::func::{self, Built};
use crate::{CodegenError, ObjCx};
use cfree_frontend::ir::Function;
use cfree_frontend::timing::PhaseTimes;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{Module, ModuleReloc};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Stack of a compile worker: Cranelift's passes are iterative, but a function of a million
/// instructions still nests some recursion (the dominator tree, the egraph); memory is only
/// committed as touched.
const WORKER_STACK: usize = 256 << 20;

/// Units with fewer functions compile on the calling thread: starting workers costs more than
/// it saves for the debugger's snippets and the embedders' one-function appends.
const MIN_PARALLEL: usize = 8;

/// A worker's result for one function: its compiled context (or why not) and the time.
type Compiled = (Result<Context, String>, Duration);

/// A function compiled by a worker, waiting to be defined in order.
struct Done {
    fid: cranelift_module::FuncId,
    ctx: Result<Context, String>,
    dbg: Option<crate::debuginfo::FuncTrace>,
    helpers: Vec<crate::Helper>,
    took: Duration,
}

/// Builds, compiles and defines every function of the unit on `threads` threads (this one
/// included); phases go to `times` (`codegen: build`, `codegen: cranelift`, `codegen:
/// define`).
pub(crate) fn functions(
    cx: &mut ObjCx,
    funcs: &[Function],
    threads: usize,
    times: &mut PhaseTimes,
) -> Result<(), CodegenError> {
    let mut fctx = FunctionBuilderContext::new();
    if cx.opts.opt_level == crate::OptLevel::Speed && !cx.opts.debug && funcs.len() > 1 {
        return with_inlining(cx, funcs, threads, times);
    }
    if threads <= 1 || funcs.len() < MIN_PARALLEL {
        return serial(cx, funcs, &mut fctx, times);
    }
    let isa = cx.isa.clone();
    let isa: &dyn TargetIsa = &*isa;
    // A bounded queue keeps the built-but-not-compiled functions (their IR) few.
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Built)>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Done)>();
    std::thread::scope(|s| {
        // `threads` workers compile while this thread builds (and waits on a full queue).
        let mut workers = 0;
        for _ in 0..threads {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            let worker = std::thread::Builder::new()
                .name("cfree-codegen".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, move || loop {
                    let job = job_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok((i, built)) = job else { break };
                    if done_tx.send((i, compile_one(isa, built))).is_err() {
                        break;
                    }
                });
            if worker.is_err() {
                break;
            }
            workers += 1;
        }
        if workers == 0 {
            return serial(cx, funcs, &mut fctx, times);
        }
        drop(done_tx);
        let mut order = InOrder::default();
        let result = (|| {
            for (i, f) in funcs.iter().enumerate() {
                let built = times.time("codegen: build", || func::translate(cx, f, &mut fctx))?;
                if job_tx.send((i, built)).is_err() {
                    return Err(no_workers());
                }
                for (j, d) in done_rx.try_iter() {
                    order.ready.insert(j, d);
                }
                order.define_ready(cx, funcs, times)?;
            }
            Ok(())
        })();
        // Whatever happened, let the workers run dry and stop.
        drop(job_tx);
        result?;
        for (j, d) in done_rx.iter() {
            order.ready.insert(j, d);
            order.define_ready(cx, funcs, times)?;
        }
        if order.next != funcs.len() {
            return Err(no_workers());
        }
        Ok(())
    })
}

/// `-O2`: every function built first (the callees' bodies are inlined from their built CLIF,
/// see `inline.rs`), then inlined into and compiled on `threads` threads, then defined in
/// source order.
fn with_inlining(
    cx: &mut ObjCx,
    funcs: &[Function],
    threads: usize,
    times: &mut PhaseTimes,
) -> Result<(), CodegenError> {
    let mut fctx = FunctionBuilderContext::new();
    let mut built = Vec::with_capacity(funcs.len());
    for f in funcs {
        built.push(times.time("codegen: build", || func::translate(cx, f, &mut fctx))?);
    }
    let bodies: Vec<&cranelift_codegen::ir::Function> = built.iter().map(|b| &b.func).collect();
    let fids: Vec<u32> = built.iter().map(|b| b.fid.as_u32()).collect();
    let cands = crate::inline::Candidates::new(cx.tu, funcs, &bodies, &fids);
    let isa = cx.isa.clone();
    let isa: &dyn TargetIsa = &*isa;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Compiled>>> = built.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(b) = built.get(i) else { break };
        let start = Instant::now();
        let mut func = b.func.clone();
        cands.prepare(&mut func);
        let mut ctx = Context::for_function(func);
        let r = match ctx.inline(crate::inline::Inliner::new(&cands, fids[i])) {
            Ok(_) => match ctx.compile(isa, &mut ControlPlane::default()) {
                Ok(_) => Ok(ctx),
                Err(e) => Err(format!("{:?}", e.inner)),
            },
            Err(e) => Err(format!("inlining: {e:?}")),
        };
        *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some((r, start.elapsed()));
    };
    let workers = threads.clamp(1, funcs.len());
    std::thread::scope(|s| {
        for _ in 1..workers {
            // A worker that cannot start leaves its share to the others.
            let _ = std::thread::Builder::new()
                .name("cfree-codegen".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, work);
        }
        work();
    });
    drop(cands);
    drop(bodies);
    for ((f, b), r) in funcs.iter().zip(built).zip(results) {
        let (ctx, took) = r
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .ok_or_else(no_workers)?;
        times.add("codegen: cranelift", took);
        let done = Done {
            fid: b.fid,
            ctx,
            dbg: b.dbg,
            helpers: b.helpers,
            took,
        };
        times.time("codegen: define", || define(cx, f, done))?;
    }
    Ok(())
}

/// The same three steps one function after another on this thread.
fn serial(
    cx: &mut ObjCx,
    funcs: &[Function],
    fctx: &mut FunctionBuilderContext,
    times: &mut PhaseTimes,
) -> Result<(), CodegenError> {
    for f in funcs {
        let built = times.time("codegen: build", || func::translate(cx, f, fctx))?;
        let done = compile_one(cx.module.isa(), built);
        times.add("codegen: cranelift", done.took);
        times.time("codegen: define", || define(cx, f, done))?;
    }
    Ok(())
}

fn no_workers() -> CodegenError {
    CodegenError::Emit("a code generation thread stopped unexpectedly".into())
}

/// Compiled functions that arrived out of order, and the index of the next one to define.
#[derive(Default)]
struct InOrder {
    ready: BTreeMap<usize, Done>,
    next: usize,
}

impl InOrder {
    fn define_ready(
        &mut self,
        cx: &mut ObjCx,
        funcs: &[Function],
        times: &mut PhaseTimes,
    ) -> Result<(), CodegenError> {
        while let Some(done) = self.ready.remove(&self.next) {
            times.add("codegen: cranelift", done.took);
            let f = &funcs[self.next];
            times.time("codegen: define", || define(cx, f, done))?;
            self.next += 1;
        }
        Ok(())
    }
}

fn compile_one(isa: &dyn TargetIsa, built: Built) -> Done {
    let start = Instant::now();
    let mut ctx = Context::for_function(built.func);
    let ctx = match ctx.compile(isa, &mut ControlPlane::default()) {
        Ok(_) => Ok(ctx),
        Err(e) => Err(format!("{:?}", e.inner)),
    };
    Done {
        fid: built.fid,
        ctx,
        dbg: built.dbg,
        helpers: built.helpers,
        took: start.elapsed(),
    }
}

/// Puts a compiled function's bytes, relocations, unwind and debug records into the object.
fn define(cx: &mut ObjCx, f: &Function, done: Done) -> Result<(), CodegenError> {
    let fail = |msg: String| CodegenError::Function {
        func: f.name.clone(),
        msg,
    };
    let ctx = done.ctx.map_err(fail)?;
    let Some(code) = ctx.compiled_code() else {
        return Err(fail("not compiled (internal)".into()));
    };
    let relocs: Vec<ModuleReloc> = code
        .buffer
        .relocs()
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, done.fid))
        .collect();
    cx.module
        .define_function_bytes(
            done.fid,
            code.buffer.alignment as u64,
            code.buffer.data(),
            &relocs,
        )
        .map_err(|e| fail(format!("{e:?}")))?;
    if let Some(eh) = cx.eh.as_mut() {
        eh.add(done.fid, &ctx, cx.module.isa());
    }
    if let (Some(d), Some(dcx)) = (done.dbg, cx.debug.as_mut()) {
        dcx.add_function(f, done.fid, d, &ctx)?;
    }
    cx.define_helpers(done.helpers)?;
    cx.define_va_entry(f.sym)
}

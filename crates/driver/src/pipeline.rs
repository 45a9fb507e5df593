//! The compile pipeline: C source to an ELF relocatable object.
//!
//! preprocess → lower + parse (lang-c) → sema (typed IR) → codegen (Cranelift object).
//! Each step reports into one [`Diagnostics`]; a step with errors stops the pipeline and
//! the caller renders everything gathered so far.

use cfree_codegen::{CodegenOptions, OptLevel};
use cfree_frontend::pp::{self, CmdMacro, PpOptions, Preprocessor};
use cfree_frontend::timing::PhaseTimes;
use cfree_frontend::{Diagnostics, SourceMap, TargetInfo};
use std::path::{Path, PathBuf};

pub mod interface;
mod prefix;
mod scope;
pub use prefix::{FilePrefix, FileRest};
pub use scope::UnitScope;

/// Errors reported before the rest are dropped, unless `-fmax-errors=` says otherwise (clang's
/// default).
pub const DEFAULT_MAX_ERRORS: u32 = 20;

/// The diagnostics sink of one compilation with `opts`'s warning options.
pub(crate) fn new_diagnostics(opts: &CompileOptions) -> Diagnostics {
    Diagnostics {
        suppress_warnings: opts.no_warnings,
        policy: opts.warnings.clone(),
        color: opts.diagnostics_color,
        max_errors: opts.max_errors,
        ..Default::default()
    }
}

/// What the user asked for with `-I -D -U -O -g -w -std=`.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    pub include_dirs: Vec<PathBuf>,
    /// `-iquote`: for `#include "..."` only, before `include_dirs`.
    pub quote_dirs: Vec<PathBuf>,
    /// `-isystem`: after `include_dirs`, searched as system directories.
    pub isystem_dirs: Vec<PathBuf>,
    /// `-include FILE`, in command-line order.
    pub forced_includes: Vec<String>,
    /// `-idirafter`: searched after the system directories.
    pub idirafter_dirs: Vec<PathBuf>,
    /// `-nostdinc`: neither the system directories nor cfree's own headers are searched.
    pub no_std_include: bool,
    /// `-D` and `-U`, in command-line order.
    pub macros: Vec<CmdMacro>,
    pub opt_level: OptLevel,
    pub debug: bool,
    pub no_warnings: bool,
    /// `-W...` options (which warnings, which of them errors).
    pub warnings: cfree_frontend::warnings::WarningPolicy,
    /// `__STDC_VERSION__` value (`-std=c99` → 199901).
    pub std_version: Option<u32>,
    /// GNU dialect (`-std=gnu*`, the default) or strict ISO (`-std=c*`).
    pub gnu: bool,
    pub target: TargetInfo,
    /// Position-independent code, for objects the system linker puts in a PIE or shared
    /// library (`cfree cc -c`); the JIT image needs none.
    pub pic: bool,
    /// Diagnostics in colour (`-fdiagnostics-color`; the CLI's default: standard error is a
    /// terminal).
    pub diagnostics_color: bool,
    /// `-fmax-errors=N` (0: no limit).
    pub max_errors: u32,
    /// `-fPIC`/`-fpic`, or `-shared` with C inputs: the unit's external symbols may be
    /// interposed (see `CodegenOptions::interposable`).
    pub interposable: bool,
    /// Emit only this function's definition, everything else as references (the object a
    /// reload of the function from its whole source file needs; see
    /// `cfree_frontend::prune::keep_only_function`).
    pub only_function: Option<String>,
    /// Threads that compile one unit's functions (see `CodegenOptions::threads`).
    pub threads: usize,
}

/// The machine's parallelism: the default number of compile threads.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            include_dirs: Vec::new(),
            quote_dirs: Vec::new(),
            isystem_dirs: Vec::new(),
            forced_includes: Vec::new(),
            idirafter_dirs: Vec::new(),
            no_std_include: false,
            macros: Vec::new(),
            opt_level: OptLevel::None,
            debug: false,
            no_warnings: false,
            warnings: Default::default(),
            std_version: None,
            gnu: true,
            target: TargetInfo::host(),
            pic: false,
            diagnostics_color: false,
            max_errors: DEFAULT_MAX_ERRORS,
            interposable: false,
            only_function: None,
            threads: default_threads(),
        }
    }
}

/// A failed compilation: the rendered diagnostics (errors and warnings).
#[derive(Debug, thiserror::Error)]
#[error("{rendered}")]
pub struct CompileError {
    pub rendered: String,
}

/// The result of compiling one translation unit.
pub struct Compiled {
    pub object: Vec<u8>,
    /// Warnings, rendered (empty when there were none).
    pub warnings: String,
    /// The C type of every function with external linkage the unit declares or defines, so
    /// embedders (the Python binding) can call them with the right conversions.
    pub prototypes: Vec<Prototype>,
    /// The unit's struct layouts, enumerations, typedefs, globals, parameter names and
    /// integer constants, spelled as `prototypes` spells types (for the same embedders).
    pub interface: interface::Interface,
    /// A hash of the source text of each function definition (name, hash), so a debugger
    /// can tell which functions an edit changed.
    pub function_hashes: Vec<(String, u64)>,
    /// Time per phase (`-ftime-report`).
    pub times: PhaseTimes,
}

fn function_hashes(tu: &cfree_frontend::ir::TranslationUnit, sm: &SourceMap) -> Vec<(String, u64)> {
    use std::hash::{Hash, Hasher};
    tu.functions
        .iter()
        .filter(|f| f.start_loc.file == f.end_loc.file)
        .map(|f| {
            let text = &sm.file(f.start_loc.file).text;
            let (a, b) = (f.start_loc.offset as usize, f.end_loc.offset as usize);
            let body = text.get(a.min(b)..b.min(text.len())).unwrap_or("");
            let mut h = std::collections::hash_map::DefaultHasher::new();
            body.hash(&mut h);
            (f.name.clone(), h.finish())
        })
        .collect()
}

/// One function's C type, spelled as C spells it (qualifiers dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prototype {
    pub name: String,
    /// `int`, `char *`, `struct point`, `void`.
    pub ret: String,
    pub params: Vec<String>,
    pub variadic: bool,
    /// Defined in this unit (not just declared).
    pub defined: bool,
}

impl std::fmt::Display for Prototype {
    /// `int (int, double, ...)`: the function type, without the name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut params = self.params.join(", ");
        if self.variadic {
            params.push_str(if self.params.is_empty() {
                "..."
            } else {
                ", ..."
            });
        } else if self.params.is_empty() {
            params.push_str("void");
        }
        write!(f, "{} ({params})", self.ret)
    }
}

/// The prototypes of the external functions `keep` accepts, types spelled by `sp`.
fn prototypes_where(
    tu: &cfree_frontend::ir::TranslationUnit,
    sp: &interface::Speller,
    keep: impl Fn(&cfree_frontend::ir::Symbol) -> bool,
) -> Vec<Prototype> {
    use cfree_frontend::ir::{Linkage, SymKind};
    use cfree_frontend::types::TypeKind;
    tu.symbols
        .iter()
        .filter(|s| s.kind == SymKind::Func && s.linkage == Linkage::External && keep(s))
        .filter_map(|s| match tu.types.kind(s.ty) {
            TypeKind::Func(f) => Some(Prototype {
                name: s.name.clone(),
                ret: sp.spell(f.ret),
                params: f.params.iter().map(|p| sp.spell(*p)).collect(),
                variadic: f.variadic,
                defined: s.defined,
            }),
            _ => None,
        })
        .collect()
}

/// One C input: a file on disk or text in memory.
pub enum Source<'a> {
    File(&'a Path),
    Text { name: &'a str, text: &'a str },
}

impl Source<'_> {
    /// What diagnostics and debug information call the input.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Text { name, .. } => name.to_string(),
        }
    }
}

impl CompileOptions {
    fn pp_options(&self) -> PpOptions {
        let mut o = PpOptions::new(self.target.clone());
        o.include_dirs = self.include_dirs.clone();
        o.quote_dirs = self.quote_dirs.clone();
        o.isystem_dirs = self.isystem_dirs.clone();
        o.forced_includes = self.forced_includes.clone();
        if self.no_std_include {
            o.system_dirs.clear();
            o.builtin_headers = false;
            o.implicit_predef = false;
        }
        o.system_dirs.extend(self.idirafter_dirs.iter().cloned());
        o.macros = self.macros.clone();
        if let Some(v) = self.std_version {
            o.std_version = v;
        }
        o.gnu = self.gnu;
        o.optimize = self.opt_level != OptLevel::None;
        o
    }

    pub(crate) fn codegen_options(&self) -> CodegenOptions {
        CodegenOptions {
            target: self.target.clone(),
            opt_level: self.opt_level,
            debug: self.debug,
            verify: cfg!(debug_assertions),
            pic: self.pic,
            interposable: self.pic && self.interposable,
            threads: self.threads,
            lazy: Default::default(),
        }
    }
}

fn fail(diags: &Diagnostics, sm: &SourceMap) -> CompileError {
    CompileError {
        rendered: diags.render(sm),
    }
}

fn preprocess(
    src: &Source,
    opts: &CompileOptions,
    sm: &mut SourceMap,
    diags: &mut Diagnostics,
) -> (Vec<pp::Token>, pp::Dependencies, Vec<pp::IntMacro>) {
    let mut p = Preprocessor::new(opts.pp_options());
    let tokens = match src {
        Source::File(path) => p.preprocess_file(path, sm, diags),
        Source::Text { name, text } => p.preprocess_str(name, text, sm, diags),
    };
    let macros = p.integer_macros(sm);
    (tokens, p.take_dependencies(), macros)
}

/// `cfree cc -E`: the preprocessed text with line markers.
/// Returns the text, the rendered warnings and the files read (for `-E -MD`).
pub fn preprocess_to_text(
    src: &Source,
    opts: &CompileOptions,
) -> Result<(String, String, DependencyList), CompileError> {
    let mut sm = SourceMap::new();
    let mut diags = new_diagnostics(opts);
    let (toks, deps, _) = preprocess(src, opts, &mut sm, &mut diags);
    diags.settle(&sm);
    if diags.has_errors() {
        return Err(fail(&diags, &sm));
    }
    let text = pp::emit_preprocessed(&toks, &sm);
    Ok((text, diags.render(&sm), dependency_list(&deps)))
}

/// Stack for semantic analysis and codegen: both recurse over the program's nesting, which
/// is the user's to choose; memory is only committed as it is touched.
const COMPILER_STACK: usize = 1 << 30;

/// Compiles one translation unit to an object file's bytes.
pub fn compile(src: &Source, opts: &CompileOptions) -> Result<Compiled, CompileError> {
    on_compiler_thread(|| compile_on_this_thread(src, opts))
}

/// Runs a compile step on a compiler thread ([`big_stack`]); a thread that cannot start, or a
/// panic in the compiler, is a compile error, never a crash of the caller.
pub(crate) fn on_compiler_thread<T: Send>(
    f: impl FnOnce() -> Result<T, CompileError> + Send,
) -> Result<T, CompileError> {
    big_stack::run(f).unwrap_or_else(|| {
        Err(CompileError {
            rendered: "cfree: error: the compiler could not start or crashed\n".into(),
        })
    })
}

/// Compiler threads with [`COMPILER_STACK`]-sized stacks, kept between compiles: creating and
/// tearing down a 1 GiB stack costs more than compiling a one-line snippet.
mod big_stack {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::sync::Mutex;

    type Job = Box<dyn FnOnce() + Send + 'static>;

    /// Idle workers, with the process they belong to; a compile takes one (or starts one)
    /// and puts it back when done, so concurrent compiles from several threads each get
    /// their own.
    static IDLE: Mutex<(u32, Vec<mpsc::Sender<Job>>)> = Mutex::new((0, Vec::new()));

    /// The idle workers of this process: after a `fork` the parent's are threads the child
    /// does not have (a job sent to one would wait forever), so they are forgotten.
    fn idle() -> std::sync::MutexGuard<'static, (u32, Vec<mpsc::Sender<Job>>)> {
        let mut g = IDLE.lock().unwrap_or_else(|p| p.into_inner());
        let pid = std::process::id();
        if g.0 != pid {
            std::mem::forget(std::mem::take(&mut g.1));
            g.0 = pid;
        }
        g
    }

    fn spawn_worker() -> Option<mpsc::Sender<Job>> {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("cfree-compile".into())
            .stack_size(super::COMPILER_STACK)
            .spawn(move || {
                cfree_frontend::parse::thread_has_stack(super::COMPILER_STACK);
                while let Ok(job) = rx.recv() {
                    job();
                }
            })
            .ok()?;
        Some(tx)
    }

    /// Runs `f` on a compiler thread and waits for it. `None` if no thread could be started or
    /// `f` panicked (the worker survives a panic).
    pub fn run<R: Send>(f: impl FnOnce() -> R + Send) -> Option<R> {
        let worker = idle().1.pop().or_else(spawn_worker)?;
        let (done_tx, done_rx) = mpsc::sync_channel::<Option<R>>(1);
        let job: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
            let r = catch_unwind(AssertUnwindSafe(f)).ok();
            let _ = done_tx.send(r);
        });
        // SAFETY: the job borrows from this stack frame. It is erased to 'static only to cross
        // the channel; this function does not return before the job has finished (it always
        // sends, panics included, and `recv` below waits for that send or for the job to be
        // dropped unrun if the worker is gone).
        let job: Job = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + '_>, Job>(job) };
        if worker.send(job).is_err() {
            return None;
        }
        let result = done_rx.recv().ok().flatten();
        idle().1.push(worker);
        result
    }
}

fn compile_on_this_thread(src: &Source, opts: &CompileOptions) -> Result<Compiled, CompileError> {
    compile_preprocessed(preprocess_unit(src, opts)?, src, opts)
}

/// The files a unit's preprocessing read, first read first, with whether each is a system
/// header: what a make dependency rule lists.
pub type DependencyList = Vec<(PathBuf, bool)>;

fn dependency_list(deps: &pp::Dependencies) -> DependencyList {
    deps.paths().map(|(p, s)| (p.to_path_buf(), s)).collect()
}

/// Compiles a unit and says which files it read (`cfree cc -MD`).
pub fn compile_with_dependencies(
    src: &Source,
    opts: &CompileOptions,
) -> Result<(Compiled, DependencyList), CompileError> {
    on_compiler_thread(|| {
        let unit = preprocess_unit(src, opts)?;
        let deps = dependency_list(&unit.deps);
        Ok((compile_preprocessed(unit, src, opts)?, deps))
    })
}

/// Preprocesses a unit only for the files it reads (`cfree cc -M`); returns them and the
/// rendered warnings.
pub fn dependencies(
    src: &Source,
    opts: &CompileOptions,
) -> Result<(DependencyList, String), CompileError> {
    on_compiler_thread(|| {
        let unit = preprocess_unit(src, opts)?;
        Ok((dependency_list(&unit.deps), unit.diags.render(&unit.sm)))
    })
}

/// Parses and analyses a unit without generating code (`-fsyntax-only`); returns the
/// rendered warnings.
pub fn check(src: &Source, opts: &CompileOptions) -> Result<String, CompileError> {
    on_compiler_thread(|| {
        let a = analyze(preprocess_unit(src, opts)?, opts)?;
        Ok(a.diags.render(&a.sm))
    })
}

/// A translation unit after preprocessing: what the rest of the pipeline starts from, and
/// what the compile cache keys an object by.
pub(crate) struct Preprocessed {
    pub(crate) tokens: Vec<pp::Token>,
    pub(crate) sm: SourceMap,
    diags: Diagnostics,
    pub(crate) times: PhaseTimes,
    pub(crate) deps: pp::Dependencies,
    /// Its integer object-like macros (for [`Compiled::interface`]).
    macros: Vec<pp::IntMacro>,
}

pub(crate) fn preprocess_unit(
    src: &Source,
    opts: &CompileOptions,
) -> Result<Preprocessed, CompileError> {
    let mut sm = SourceMap::new();
    let mut diags = new_diagnostics(opts);
    let mut times = PhaseTimes::default();
    let (tokens, deps, macros) =
        times.time("preprocess", || preprocess(src, opts, &mut sm, &mut diags));
    diags.settle(&sm);
    if diags.has_hard_errors() {
        return Err(fail(&diags, &sm));
    }
    Ok(Preprocessed {
        tokens,
        sm,
        diags,
        times,
        deps,
        macros,
    })
}

/// Parse, analysis and code generation of a preprocessed unit.
pub(crate) fn compile_preprocessed(
    unit: Preprocessed,
    src: &Source,
    opts: &CompileOptions,
) -> Result<Compiled, CompileError> {
    let mut a = analyze(unit, opts)?;
    generate(&mut a, src, &opts.codegen_options())
}

/// A unit after semantic analysis: its typed IR and the sources it came from.
pub(crate) struct Analyzed {
    pub(crate) tu: cfree_frontend::ir::TranslationUnit,
    pub(crate) sm: SourceMap,
    diags: Diagnostics,
    pub(crate) times: PhaseTimes,
    macros: Vec<pp::IntMacro>,
}

/// Parse and semantic analysis (and `only_function`'s pruning).
pub(crate) fn analyze(unit: Preprocessed, opts: &CompileOptions) -> Result<Analyzed, CompileError> {
    let Preprocessed {
        tokens,
        sm,
        mut diags,
        mut times,
        macros,
        ..
    } = unit;
    let Some(parsed) =
        cfree_frontend::parse::parse_tokens_timed(tokens, &mut diags, &mut times, opts.threads)
    else {
        return Err(fail(&diags, &sm));
    };
    let sema_opts = cfree_frontend::sema::SemaOptions {
        pack: pack_state(&parsed),
    };
    let loc_of = |off: usize| parsed.loc_of(off);
    let tu = times.time("sema", || {
        cfree_frontend::sema::analyze(&parsed.unit, &opts.target, sema_opts, &loc_of, &mut diags)
    });
    diags.settle(&sm);
    let Some(mut tu) = tu.filter(|_| !diags.has_errors()) else {
        return Err(fail(&diags, &sm));
    };
    // lang-c's tree is large; free it before codegen allocates the object.
    times.time("parse", || drop(parsed));
    if let Some(f) = &opts.only_function {
        if !cfree_frontend::prune::keep_only_function(&mut tu, f) {
            return Err(CompileError {
                rendered: format!("error: no definition of '{f}' in this file\n"),
            });
        }
    }
    Ok(Analyzed {
        tu,
        sm,
        diags,
        times,
        macros,
    })
}

/// Code generation of an analysed unit with `cg`; warnings are the analysis's.
pub(crate) fn generate(
    a: &mut Analyzed,
    src: &Source,
    cg: &CodegenOptions,
) -> Result<Compiled, CompileError> {
    let object = cfree_codegen::compile_timed(&a.tu, &a.sm, &src.name(), cg, &mut a.times)
        .map_err(|e| {
            a.diags.error(e.loc(), e.to_string());
            fail(&a.diags, &a.sm)
        })?;
    let name = src.name();
    let sp = interface::Speller::new(&a.tu, &name);
    Ok(Compiled {
        object,
        warnings: a.diags.render(&a.sm),
        prototypes: prototypes_where(&a.tu, &sp, |_| true),
        interface: interface::describe(&a.tu, &sp, &a.macros),
        function_hashes: function_hashes(&a.tu, &a.sm),
        times: std::mem::take(&mut a.times),
    })
}

/// `#pragma pack` changes by offset of the parsed text (lang-c drops pragmas).
fn pack_state(parsed: &cfree_frontend::parse::Parsed) -> Vec<(u32, Option<u64>)> {
    let mut stack: Vec<Option<u64>> = Vec::new();
    let mut cur: Option<u64> = None;
    let mut out = Vec::new();
    for (off, text) in &parsed.text.pragmas {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(args) = t.strip_prefix("pack(").and_then(|r| r.strip_suffix(')')) else {
            continue;
        };
        let mut parts = args.split(',');
        match parts.next().unwrap_or("") {
            "" => cur = None,
            "push" => {
                stack.push(cur);
                if let Some(n) = parts.next().and_then(|n| n.parse().ok()) {
                    cur = Some(n);
                }
            }
            "pop" => cur = stack.pop().unwrap_or(None),
            n => cur = n.parse().ok(),
        }
        out.push((*off + parsed.prelude_len as u32, cur));
    }
    out
}

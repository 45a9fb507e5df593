//! The `cfree` command line: dispatch to the subcommands, and `cfree run`.
//!
//! Reading the arguments is `args.rs`; `cfree cc` is `cc.rs`, its dependency rules
//! `deps.rs`; the `--help` pages `help.rs`.

use crate::pipeline::{self, CompileOptions, Source};
use cfree_frontend::timing::PhaseTimes;
use std::path::{Path, PathBuf};

mod args;
mod cc;
mod deps;
mod help;
mod jit_options;
pub(crate) mod osargs;

pub use jit_options::{parse_jit_options, JitCommandLine};

pub(crate) use args::Args;
use args::{parse_args, Action, CliError};
use help::USAGE;

/// Exit status for errors cfree itself reports (programs' own statuses pass through).
pub(crate) const EXIT_ERROR: i32 = 1;

/// Runs the command line; returns the process exit status.
pub fn main_with_args(argv: &[String]) -> i32 {
    let Some(cmd) = argv.first() else {
        eprint!("{USAGE}");
        return EXIT_ERROR;
    };
    match cmd.as_str() {
        "--help" | "-h" | "help" => {
            print!("{USAGE}");
            0
        }
        "--version" | "-V" => {
            println!("cfree {}", env!("CARGO_PKG_VERSION"));
            0
        }
        "run" => match parse_args(&argv[1..], true) {
            Ok(a) if a.help => help("run"),
            Ok(a) => {
                print_notes(&a);
                run(a)
            }
            Err(e) => usage_error(e),
        },
        "dbg" => {
            let mut rest = Vec::new();
            let mut scripts = Vec::new();
            let mut it = argv[1..].iter();
            while let Some(x) = it.next() {
                if x == "--" {
                    rest.push(x.clone());
                    rest.extend(it.by_ref().cloned());
                    break;
                }
                if x == "-x" {
                    match it.next() {
                        Some(f) => scripts.push(PathBuf::from(f)),
                        None => return usage_error(CliError::MissingValue("-x".into())),
                    }
                } else {
                    rest.push(x.clone());
                }
            }
            match parse_args(&rest, true).and_then(runs_here) {
                Ok(a) if a.help => help("dbg"),
                Ok(a) => crate::dbg::main(crate::dbg::DbgArgs {
                    opts: a.opts,
                    files: a.files,
                    libs: a.libs,
                    lib_dirs: a.lib_dirs,
                    program_args: a.program_args,
                    scripts,
                }),
                Err(e) => usage_error(e),
            }
        }
        "cc" => {
            if let Some(code) = cc_query(&argv[1..]) {
                return code;
            }
            match parse_args(&argv[1..], false) {
                Ok(a) if a.help => help("cc"),
                Ok(a) => {
                    print_notes(&a);
                    cc::cc(a)
                }
                Err(e) => usage_error(e),
            }
        }
        other => {
            eprintln!("cfree: error: unknown command '{other}' (try 'cfree --help')");
            EXIT_ERROR
        }
    }
}

fn help(sub: &str) -> i32 {
    print!("{}", help::for_subcommand(sub));
    0
}

/// `cfree cc` asked about itself (`--version`, `-dumpmachine`, `-dumpversion`, as build
/// systems probe a compiler) instead of to compile.
fn cc_query(args: &[String]) -> Option<i32> {
    let mut target = cfree_frontend::TargetInfo::host();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let name = match a.as_str() {
            "--target" | "-target" => it.next().map(String::as_str),
            _ => a.strip_prefix("--target="),
        };
        if let Some(t) = name.and_then(|n| cfree_frontend::TargetInfo::from_name(n).ok()) {
            target = t;
        }
    }
    let has = |f: &str| args.iter().any(|a| a == f);
    if has("--version") {
        println!(
            "cfree cc {} (C compiler on Cranelift)",
            env!("CARGO_PKG_VERSION")
        );
    } else if has("-dumpmachine") {
        println!("{}", target.multiarch());
    } else if has("-dumpversion") {
        println!("{}", env!("CARGO_PKG_VERSION"));
    } else {
        return None;
    }
    Some(0)
}

/// Warnings about the command line (ignored tuning flags), each once.
fn print_notes(a: &Args) {
    for n in &a.notes {
        eprintln!("cfree: warning: {n}");
    }
}

/// `dbg` runs the program in this process, so it needs the host's target (`run` takes any
/// target: another architecture's code runs in an executor under qemu-user).
fn runs_here(a: Args) -> Result<Args, CliError> {
    if a.opts.target.is_host() {
        Ok(a)
    } else {
        Err(CliError::NotRunnable(a.opts.target.arch.multiarch()))
    }
}

fn usage_error(e: CliError) -> i32 {
    eprintln!("cfree: error: {e}");
    eprintln!(
        "usage: cfree run [options] file.c [args] | cfree cc [options] file.c... (see cfree <command> --help)"
    );
    EXIT_ERROR
}

/// The first bytes of a file (fewer if it is shorter; none if it cannot be read).
fn magic(f: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(18);
    if let Ok(h) = std::fs::File::open(f) {
        let _ = h.take(18).read_to_end(&mut buf);
    }
    buf
}

/// Whether an input is an object, archive or shared library rather than C source: by its
/// magic bytes (an ELF file, an `ar` archive) or, for a linker script, its `.so` name.
pub(crate) fn is_binary_input(f: &Path) -> bool {
    if f == Path::new("-") {
        return false;
    }
    let m = magic(f);
    m.starts_with(b"\x7fELF")
        || cfree_link::is_archive(&m)
        || f.to_string_lossy().ends_with(".so")
        || f.to_string_lossy().contains(".so.")
}

/// What a binary input is.
enum Binary {
    Object,
    Archive,
    Shared,
}

fn binary_kind(f: &Path) -> Option<Binary> {
    if !is_binary_input(f) {
        return None;
    }
    let m = magic(f);
    if cfree_link::is_archive(&m) {
        return Some(Binary::Archive);
    }
    // An ELF file whose e_type (offset 16) is not ET_DYN (3) is an object; the rest are
    // shared libraries, or ld scripts named `.so`.
    match m.get(16..18) {
        Some(t) if m.starts_with(b"\x7fELF") && u16::from_le_bytes([t[0], t[1]]) != 3 => {
            Some(Binary::Object)
        }
        _ => Some(Binary::Shared),
    }
}

/// Calls `f` with `path` as a compile input; `-` is standard input (read once, named
/// `<stdin>` in diagnostics).
pub(crate) fn with_source<T>(
    path: &Path,
    f: impl FnOnce(&Source) -> Result<T, pipeline::CompileError>,
) -> Result<T, pipeline::CompileError> {
    static STDIN: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    if path != Path::new("-") {
        return f(&Source::File(path));
    }
    let text = STDIN.get_or_init(|| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map(|_| s)
            .map_err(|e| e.to_string())
    });
    match text {
        Ok(text) => f(&Source::Text {
            name: "<stdin>",
            text,
        }),
        Err(e) => Err(pipeline::CompileError {
            rendered: format!("cfree: error: cannot read standard input: {e}\n"),
        }),
    }
}

/// One input's outcome, printed in command-line order whatever order they finished in.
enum Unit {
    /// The object, its phase times, its warnings and how the cache served it.
    Object(Vec<u8>, PhaseTimes, String, Option<crate::cache::Lookup>),
    /// A static archive's members, chosen once every object is known.
    Archive(cfree_link::Archive),
    /// A shared library input, opened by path.
    Shared(PathBuf),
    Failed(String),
}

/// What `run` links: objects (archive members it needs included) and libraries to open.
pub(crate) struct RunInputs {
    pub(crate) objects: Vec<cfree_link::LinkInput>,
    /// `-l` names that are not static archives (opened as shared libraries).
    pub(crate) libraries: Vec<String>,
    /// Shared libraries given as input files.
    pub(crate) library_files: Vec<PathBuf>,
}

/// Compiles (or reads, for objects and archives) every input. C files compile in parallel,
/// one per core; a unit alone gets all the cores for its functions. Diagnostics print in
/// file order. `-lNAME` that finds `libNAME.a` before any `libNAME.so` links the archive.
pub(crate) fn compile_all(a: &Args) -> Result<RunInputs, i32> {
    let mut times = PhaseTimes::default();
    compile_all_timed(a, &mut times)
}

pub(crate) fn compile_all_timed(a: &Args, times: &mut PhaseTimes) -> Result<RunInputs, i32> {
    let units = compile_units(a);
    let mut inputs = RunInputs {
        objects: Vec::new(),
        libraries: Vec::new(),
        library_files: Vec::new(),
    };
    let mut archives = Vec::new();
    let mut failed = false;
    for (f, unit) in a.files.iter().zip(units) {
        let unit =
            unit.unwrap_or_else(|| Unit::Failed("cfree: error: a compile thread failed\n".into()));
        match unit {
            Unit::Object(bytes, t, warnings, lookup) => {
                eprint!("{warnings}");
                times.merge(&t);
                if let Some(l) = lookup {
                    times.count(l.phase_name());
                }
                let name = if f == Path::new("-") {
                    "<stdin>".into()
                } else {
                    f.display().to_string()
                };
                inputs.objects.push(cfree_link::LinkInput::new(name, bytes));
            }
            Unit::Archive(ar) => archives.push(ar),
            Unit::Shared(p) => inputs.library_files.push(p),
            Unit::Failed(msg) => {
                eprint!("{msg}");
                failed = true;
            }
        }
    }
    for lib in &a.libs {
        match cfree_jit::find_library(lib, &a.lib_dirs) {
            Some(cfree_jit::LibraryFile::Static(p)) => match read_archive(&p) {
                Ok(ar) => archives.push(ar),
                Err(msg) => {
                    eprint!("{msg}");
                    failed = true;
                }
            },
            _ => inputs.libraries.push(lib.clone()),
        }
    }
    if failed {
        return Err(EXIT_ERROR);
    }
    match cfree_link::select_members(&inputs.objects, &archives) {
        Ok(members) => inputs.objects.extend(members),
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return Err(EXIT_ERROR);
        }
    }
    Ok(inputs)
}

fn read_archive(p: &Path) -> Result<cfree_link::Archive, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("cfree: error: {}: {e}\n", p.display()))?;
    cfree_link::Archive::parse(&p.display().to_string(), &bytes)
        .map_err(|e| format!("cfree: error: {e}\n"))
}

fn compile_units(a: &Args) -> Vec<Option<Unit>> {
    let cache = a.cache();
    in_parallel(a, |f, opts| compile_unit(f, opts, cache.as_ref()))
}

/// Runs `work` on every input, one core per C file, a large unit also using the cores its
/// share of the source deserves; results in command-line order.
fn in_parallel<T: Send>(
    a: &Args,
    work: impl Fn(&Path, &CompileOptions) -> T + Sync,
) -> Vec<Option<T>> {
    let sources = a.files.iter().filter(|f| !is_binary_input(f)).count();
    let cores = a.opts.threads.max(1);
    let jobs = sources.clamp(1, cores);
    // Each unit's own threads (split parse, codegen workers) by its share of the source
    // bytes: sqlite3.c next to a small main file gets every core, 33 similar files one each.
    let sizes: Vec<u64> = a
        .files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .collect();
    let total = sizes.iter().sum::<u64>().max(1);
    let threads_for = |i: usize| {
        let share = (cores as u64 * sizes[i]).div_ceil(total) as usize;
        share.clamp((cores / jobs).max(1), cores)
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<T>>> = a
        .files
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    let run = || loop {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(f) = a.files.get(i) else { break };
        let mut opts = a.opts.clone();
        opts.threads = threads_for(i);
        let r = work(f, &opts);
        *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
    };
    std::thread::scope(|s| {
        for _ in 1..jobs {
            // A thread that cannot start leaves its share to the others.
            let _ = std::thread::Builder::new().spawn_scoped(s, run);
        }
        run();
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

fn compile_unit(f: &Path, opts: &CompileOptions, cache: Option<&crate::cache::Cache>) -> Unit {
    if f != Path::new("-") && !f.exists() {
        return Unit::Failed(format!(
            "cfree: error: {}: No such file or directory\n",
            f.display()
        ));
    }
    match binary_kind(f) {
        // A relocatable object (from `cfree cc -c` or another compiler) joins the image as
        // it is; the linker reports what it cannot load.
        Some(Binary::Object) => {
            return match std::fs::read(f) {
                Ok(bytes) => Unit::Object(bytes, PhaseTimes::default(), String::new(), None),
                Err(e) => Unit::Failed(format!("cfree: error: {}: {e}\n", f.display())),
            }
        }
        Some(Binary::Archive) => {
            return read_archive(f).map_or_else(Unit::Failed, Unit::Archive);
        }
        Some(Binary::Shared) => return Unit::Shared(f.to_path_buf()),
        None => {}
    }
    let compiled = with_source(f, |src| match cache {
        Some(cache) => crate::cache::compile(src, opts, cache).map(|(c, l)| (c, Some(l))),
        None => pipeline::compile(src, opts).map(|c| (c, None)),
    });
    match compiled {
        Ok((c, lookup)) => Unit::Object(c.object, c.times, c.warnings, lookup),
        Err(e) => Unit::Failed(e.rendered),
    }
}

/// `-fsyntax-only`: every C input checked, nothing run or written.
pub(crate) fn check_only(a: &Args) -> i32 {
    let mut status = 0;
    for f in a.files.iter().filter(|f| !is_binary_input(f)) {
        match with_source(f, |src| pipeline::check(src, &a.opts)) {
            Ok(w) => eprint!("{w}"),
            Err(e) => {
                eprint!("{}", e.rendered);
                status = EXIT_ERROR;
            }
        }
    }
    status
}

fn run(a: Args) -> i32 {
    if a.action == Action::SyntaxOnly {
        return check_only(&a);
    }
    if a.action != Action::Link || a.output.is_some() || a.shared {
        eprintln!("cfree: error: 'cfree run' runs the program; -c, -E, -S, -M, -o and -shared belong to 'cfree cc'");
        return EXIT_ERROR;
    }
    if a.lazy {
        return run_lazy(a);
    }
    if !a.opts.target.is_host() {
        return crate::remote::run(a);
    }
    let wall = std::time::Instant::now();
    let mut times = PhaseTimes::default();
    let inputs = match compile_all_timed(&a, &mut times) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let setup = std::time::Instant::now();
    let jit = open_jit(&a, &inputs);
    times.add("jit setup", setup.elapsed());
    let Some(mut jit) = jit else {
        return EXIT_ERROR;
    };
    let link = std::time::Instant::now();
    let linked = jit.add_objects(inputs.objects);
    times.add("link", link.elapsed());
    if let Err(e) = linked {
        eprintln!("cfree: error: {e}");
        return EXIT_ERROR;
    }
    if a.time_report {
        eprint!("{}", times.render(wall.elapsed()));
    }
    if let Err(e) = jit.run_constructors() {
        eprintln!("cfree: error: {e}");
        return EXIT_ERROR;
    }
    // Debuggers see the image through the GDB JIT interface; say why one would see less.
    for (_, e) in jit.gdb_jit_errors() {
        eprintln!("cfree: warning: debugger registration: {e}");
    }
    // A fault in the program prints the signal and a backtrace (with file:line under -g)
    // before it dies of it.
    if let Err(e) = cfree_jit::crash::install_for(&jit) {
        eprintln!("cfree: warning: crash reports will have no source lines: {e}");
    }
    let argv = program_argv(&a);
    cfree_jit::set_program_name(&argv[0]);
    match jit.run_main(&argv) {
        Ok(status) => {
            // End through libc's exit so the program's stdio buffers flush and atexit runs.
            // SAFETY: exit never returns; the JIT image stays mapped until the process ends.
            unsafe { libc::exit(status) }
        }
        Err(e) => {
            eprintln!("cfree: error: {e}");
            EXIT_ERROR
        }
    }
}

/// A JIT with the run's libraries open: `-l` names, then shared libraries given as files.
fn open_jit(a: &Args, inputs: &RunInputs) -> Option<cfree_jit::Jit> {
    let opts = cfree_jit::JitOptions {
        libraries: inputs.libraries.clone(),
        library_dirs: a.lib_dirs.clone(),
        ..Default::default()
    };
    let report = |e: cfree_jit::JitError| eprintln!("cfree: error: {e}");
    let mut jit = cfree_jit::Jit::new(opts).map_err(report).ok()?;
    for f in &inputs.library_files {
        jit.add_library_file(f, &a.lib_dirs).map_err(report).ok()?;
    }
    Some(jit)
}

/// The program's argv: its first file's name (as `tcc -run` and an exec'd build would
/// show it), then its arguments.
fn program_argv(a: &Args) -> Vec<std::ffi::OsString> {
    let mut args = vec![a.files[0].clone().into_os_string()];
    args.extend(a.program_args.iter().map(|s| osargs::decode(s)));
    args
}

/// `cfree run -flazy`: every unit analysed now, each function compiled on its first call.
fn run_lazy(a: Args) -> i32 {
    use crate::lazy::{LazyProgram, LazyUnit};
    if !a.opts.target.is_host() || !crate::lazy::supported() {
        eprintln!(
            "cfree: error: -flazy compiles into this process's image, which is not supported for {}",
            a.opts.target.arch.multiarch()
        );
        return EXIT_ERROR;
    }
    let wall = std::time::Instant::now();
    let units = in_parallel(&a, |f, opts| -> Option<Result<LazyUnit, String>> {
        if f != Path::new("-") && !f.exists() {
            return Some(Err(format!(
                "cfree: error: {}: No such file or directory\n",
                f.display()
            )));
        }
        if is_binary_input(f) {
            return None;
        }
        Some(with_source(f, |src| crate::lazy::compile_unit(src, opts)).map_err(|e| e.rendered))
    });
    let mut times = PhaseTimes::default();
    let (mut lazy_units, mut failed) = (Vec::new(), false);
    for u in units {
        match u.unwrap_or_else(|| Some(Err("cfree: error: a compile thread failed\n".into()))) {
            Some(Ok(unit)) => {
                eprint!("{}", unit.warnings);
                times.merge(&unit.times);
                lazy_units.push(unit);
            }
            None => {}
            Some(Err(msg)) => {
                eprint!("{msg}");
                failed = true;
            }
        }
    }
    // Objects, archives and libraries: the C files are not compiled here (they are lazy).
    let binaries = Args {
        files: a
            .files
            .iter()
            .filter(|f| is_binary_input(f))
            .cloned()
            .collect(),
        libs: a.libs.clone(),
        lib_dirs: a.lib_dirs.clone(),
        opts: a.opts.clone(),
        ..Args::default()
    };
    let Ok(inputs) = compile_all_timed(&binaries, &mut times) else {
        return EXIT_ERROR;
    };
    if failed {
        return EXIT_ERROR;
    }
    let setup = std::time::Instant::now();
    let Some(jit) = open_jit(&a, &inputs) else {
        return EXIT_ERROR;
    };
    times.add("jit setup", setup.elapsed());
    let link = std::time::Instant::now();
    let program = match LazyProgram::link(jit, lazy_units, inputs.objects) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return EXIT_ERROR;
        }
    };
    times.add("link", link.elapsed());
    if a.time_report {
        eprint!("{}", times.render(wall.elapsed()));
    }
    let _registration = cfree_jit::lazy::register(program.clone());
    let start = (|| {
        let mut jit = program.lock();
        for (_, e) in jit.gdb_jit_errors() {
            eprintln!("cfree: warning: debugger registration: {e}");
        }
        if let Err(e) = cfree_jit::crash::install_for(&jit) {
            eprintln!("cfree: warning: crash reports will have no source lines: {e}");
        }
        let main = jit
            .session()
            .lookup("main")
            .ok_or(cfree_jit::JitError::MainUndefined.to_string())?;
        let ctors = jit.take_constructors().map_err(|e| e.to_string())?;
        Ok::<_, String>((ctors, main))
    })();
    let (ctors, main) = match start {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return EXIT_ERROR;
        }
    };
    // No lock is held while the program runs: its first calls compile through the resolver.
    cfree_jit::call_constructors(&ctors);
    let argv = program_argv(&a);
    cfree_jit::set_program_name(&argv[0]);
    // SAFETY: `main` is the linked program's definition.
    match unsafe { cfree_jit::call_main(main, &argv) } {
        Ok(status) => {
            if a.time_report {
                eprint!("{}", program.report());
            }
            // SAFETY: as in `run`: exit flushes stdio and runs atexit; the image stays mapped.
            unsafe { libc::exit(status) }
        }
        Err(e) => {
            eprintln!("cfree: error: {e}");
            EXIT_ERROR
        }
    }
}

fn write_file(p: &Path, bytes: &[u8]) -> Result<(), ()> {
    std::fs::write(p, bytes)
        .map_err(|e| eprintln!("cfree: error: cannot write {}: {e}", p.display()))
}

//! The `cfree` command line.
//!
//! gcc-style flags (`-Idir`, `-I dir`, `-DX=1`, `-lm`) may appear before or between source
//! files, which a derive-style parser cannot express, so arguments are read by hand here.

use crate::pipeline::{self, CompileOptions, Source};
use cfree_codegen::OptLevel;
use cfree_frontend::pp::CmdMacro;
use cfree_frontend::timing::PhaseTimes;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
cfree: C compiled straight into a live, patchable in-memory image

usage:
  cfree run [options] file.c [more.c|obj.o ...] [-- program args]
  cfree dbg [options] [-x cmds] file.c [more.c ...] [-- program args]
  cfree cc -c [options] file.c [-o file.o]
  cfree cc -E [options] file.c [-o out.i]
  cfree --help | --version

options:
  -I dir        add an include directory
  -D name[=v]   define a macro            -U name   undefine a macro
  -l lib        link a shared library     -L dir    add a library directory
  -O0 -O1 -O2   optimisation level        -g        emit debug information
  -w            suppress warnings         -std=c11|gnu11|c99|gnu17|...
  --target T    compile for T: x86_64-linux-gnu, aarch64-linux-gnu, riscv64-linux-gnu
  -ftime-report print the time each phase took (preprocess, parse, sema, codegen, link)
  -flazy        (run) compile each function the first time it is called
  -fno-cache    compile every file (`run` reuses objects from the compile cache,
                $XDG_CACHE_HOME/cfree; CFREE_CACHE=0 turns it off; -fcache for `cc -c`)

A file whose first line is `#!/usr/bin/env -S cfree run` runs as a script:
everything after it on the command line goes to its main().
";

/// Exit status for errors cfree itself reports (programs' own statuses pass through).
pub(crate) const EXIT_ERROR: i32 = 1;

#[derive(Default)]
pub(crate) struct Args {
    pub(crate) opts: CompileOptions,
    pub(crate) files: Vec<PathBuf>,
    pub(crate) libs: Vec<String>,
    pub(crate) lib_dirs: Vec<PathBuf>,
    pub(crate) program_args: Vec<String>,
    output: Option<PathBuf>,
    compile_only: bool,
    preprocess_only: bool,
    /// `-ftime-report`: print the time per phase to stderr.
    time_report: bool,
    /// `-fcache` / `-fno-cache`; `run` uses the compile cache unless told not to, `cc` only
    /// when told to.
    use_cache: Option<bool>,
    is_run: bool,
    /// `-flazy`: compile each function on its first call (`run` only).
    lazy: bool,
}

impl Args {
    /// The compile cache these arguments ask for (and the environment allows).
    fn cache(&self) -> Option<crate::cache::Cache> {
        if self.use_cache.unwrap_or(self.is_run) {
            crate::cache::Cache::from_env()
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("missing argument to '{0}'")]
    MissingValue(String),
    #[error("unrecognized command-line option '{0}'")]
    Unknown(String),
    #[error("invalid value '{1}' for '{0}'")]
    BadValue(String, String),
    #[error("invalid target '{0}': {1}")]
    BadTarget(String, cfree_frontend::target::TargetError),
    #[error("cannot debug code for {0} here: `cfree dbg` runs the program in this process; use `cfree run --target {0}` (qemu-user) or `cfree cc -c --target {0}`")]
    NotRunnable(&'static str),
    #[error("no input files")]
    NoInput,
}

fn parse_args(argv: &[String], is_run: bool) -> Result<Args, CliError> {
    let mut a = Args {
        is_run,
        ..Args::default()
    };
    let mut i = 0;
    // Option with a value either attached (`-Idir`) or separate (`-I dir`).
    let value = |i: &mut usize, flag: &str, arg: &str| -> Result<String, CliError> {
        if arg.len() > flag.len() {
            return Ok(arg[flag.len()..].to_string());
        }
        *i += 1;
        argv.get(*i)
            .cloned()
            .ok_or_else(|| CliError::MissingValue(flag.to_string()))
    };
    while i < argv.len() {
        let arg = argv[i].as_str();
        if arg == "--" {
            a.program_args.extend(argv[i + 1..].iter().cloned());
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            a.files.push(PathBuf::from(arg));
            // A script (`#!` first line) takes everything after it as its own arguments.
            if is_run && a.files.len() == 1 && starts_with_shebang(Path::new(arg)) {
                a.program_args.extend(argv[i + 1..].iter().cloned());
                break;
            }
            i += 1;
            continue;
        }
        match arg {
            "-c" => a.compile_only = true,
            "-ftime-report" => a.time_report = true,
            "-fcache" => a.use_cache = Some(true),
            "-fno-cache" => a.use_cache = Some(false),
            "-flazy" if is_run => a.lazy = true,
            "-flazy" => {
                return Err(CliError::Unknown(
                    "-flazy (only `cfree run` compiles lazily)".into(),
                ))
            }
            "-E" => a.preprocess_only = true,
            "-g" | "-g3" | "-ggdb" => a.opts.debug = true,
            "-w" => a.opts.no_warnings = true,
            "-O0" => a.opts.opt_level = OptLevel::None,
            "-O" | "-O1" | "-O2" | "-O3" | "-Os" => a.opts.opt_level = OptLevel::Speed,
            _ if arg == "--target" || arg.starts_with("--target=") || arg == "-target" => {
                let name = match arg.strip_prefix("--target=") {
                    Some(n) => n.to_string(),
                    None => {
                        i += 1;
                        argv.get(i)
                            .cloned()
                            .ok_or_else(|| CliError::MissingValue(arg.to_string()))?
                    }
                };
                a.opts.target = cfree_frontend::TargetInfo::from_name(&name)
                    .map_err(|e| CliError::BadTarget(name.clone(), e))?;
            }
            "-o" => {
                i += 1;
                a.output = Some(PathBuf::from(
                    argv.get(i)
                        .ok_or_else(|| CliError::MissingValue("-o".into()))?,
                ));
            }
            _ if arg.starts_with("-I") => a
                .opts
                .include_dirs
                .push(PathBuf::from(value(&mut i, "-I", arg)?)),
            _ if arg.starts_with("-D") => {
                let d = value(&mut i, "-D", arg)?;
                a.opts.macros.push(CmdMacro::define(&d));
            }
            _ if arg.starts_with("-U") => {
                let u = value(&mut i, "-U", arg)?;
                a.opts.macros.push(CmdMacro::Undef(u));
            }
            _ if arg.starts_with("-l") => a.libs.push(value(&mut i, "-l", arg)?),
            _ if arg.starts_with("-L") => a.lib_dirs.push(PathBuf::from(value(&mut i, "-L", arg)?)),
            _ if arg.starts_with("-std=") => {
                let std = &arg[5..];
                let (gnu, ver) = match std {
                    "c89" | "c90" | "ansi" => (false, 199409),
                    "gnu89" | "gnu90" => (true, 199409),
                    "c99" => (false, 199901),
                    "gnu99" => (true, 199901),
                    "c11" => (false, 201112),
                    "gnu11" => (true, 201112),
                    "c17" | "c18" => (false, 201710),
                    "gnu17" | "gnu18" => (true, 201710),
                    "c2x" | "c23" => (false, 202311),
                    "gnu2x" | "gnu23" => (true, 202311),
                    _ => return Err(CliError::BadValue("-std".into(), std.into())),
                };
                a.opts.gnu = gnu;
                a.opts.std_version = Some(ver);
            }
            // Flags gcc users pass out of habit that have no effect here.
            _ if arg.starts_with("-W")
                || arg.starts_with("-f")
                || arg.starts_with("-m")
                || arg == "-pedantic"
                || arg == "-pthread" => {}
            _ => return Err(CliError::Unknown(arg.to_string())),
        }
        i += 1;
    }
    if a.files.is_empty() {
        return Err(CliError::NoInput);
    }
    Ok(a)
}

fn starts_with_shebang(p: &Path) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 2];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok()
        && &buf == b"#!"
}

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
            Ok(a) => run(a),
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
        "cc" => match parse_args(&argv[1..], false) {
            Ok(a) => cc(a),
            Err(e) => usage_error(e),
        },
        other => {
            eprintln!("cfree: error: unknown command '{other}' (try 'cfree --help')");
            EXIT_ERROR
        }
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
        "usage: cfree run [options] file.c [-- args] | cfree cc -c|-E file.c (see cfree --help)"
    );
    EXIT_ERROR
}

/// Whether an input is an ELF file (an object, by its magic bytes) rather than C source.
fn is_object_file(f: &std::path::Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(f)
        .and_then(|mut h| h.read_exact(&mut magic))
        .is_ok()
        && magic == *b"\x7fELF"
}

/// One input's outcome, printed in command-line order whatever order they finished in.
enum Unit {
    /// The object, its phase times, its warnings and how the cache served it.
    Object(Vec<u8>, PhaseTimes, String, Option<crate::cache::Lookup>),
    Failed(String),
}

/// Compiles (or reads, for ELF objects) every input. C files compile in parallel, one per
/// core; a unit alone gets all the cores for its functions. Diagnostics print in file order.
pub(crate) fn compile_all(a: &Args) -> Result<Vec<(String, Vec<u8>)>, i32> {
    let mut times = PhaseTimes::default();
    let objects = compile_all_timed(a, &mut times)?;
    Ok(objects)
}

pub(crate) fn compile_all_timed(
    a: &Args,
    times: &mut PhaseTimes,
) -> Result<Vec<(String, Vec<u8>)>, i32> {
    let units = compile_units(a);
    let mut objects = Vec::new();
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
                objects.push((f.display().to_string(), bytes));
            }
            Unit::Failed(msg) => {
                eprint!("{msg}");
                failed = true;
            }
        }
    }
    if failed {
        return Err(EXIT_ERROR);
    }
    Ok(objects)
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
    let sources = a.files.iter().filter(|f| !is_object_file(f)).count();
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
    if !f.exists() {
        return Unit::Failed(format!(
            "cfree: error: {}: No such file or directory\n",
            f.display()
        ));
    }
    if is_object_file(f) {
        // A relocatable object (from `cfree cc -c` or another compiler) joins the image as
        // it is; the linker reports what it cannot load.
        return match std::fs::read(f) {
            Ok(bytes) => Unit::Object(bytes, PhaseTimes::default(), String::new(), None),
            Err(e) => Unit::Failed(format!("cfree: error: {}: {e}\n", f.display())),
        };
    }
    let compiled = match cache {
        Some(cache) => {
            crate::cache::compile(&Source::File(f), opts, cache).map(|(c, l)| (c, Some(l)))
        }
        None => pipeline::compile(&Source::File(f), opts).map(|c| (c, None)),
    };
    match compiled {
        Ok((c, lookup)) => Unit::Object(c.object, c.times, c.warnings, lookup),
        Err(e) => Unit::Failed(e.rendered),
    }
}

fn run(a: Args) -> i32 {
    if a.lazy {
        return run_lazy(a);
    }
    if !a.opts.target.is_host() {
        return crate::remote::run(a);
    }
    let wall = std::time::Instant::now();
    let mut times = PhaseTimes::default();
    let objects = match compile_all_timed(&a, &mut times) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let opts = cfree_jit::JitOptions {
        libraries: a.libs.clone(),
        library_dirs: a.lib_dirs.clone(),
        ..Default::default()
    };
    let setup = std::time::Instant::now();
    let jit = cfree_jit::Jit::new(opts);
    times.add("jit setup", setup.elapsed());
    let mut jit = match jit {
        Ok(j) => j,
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return EXIT_ERROR;
        }
    };
    let inputs = objects
        .into_iter()
        .map(|(name, bytes)| cfree_link::LinkInput::new(name, bytes))
        .collect();
    let link = std::time::Instant::now();
    let linked = jit.add_objects(inputs);
    times.add("link", link.elapsed());
    if let Err(e) = linked {
        eprintln!("cfree: error: {e}");
        return EXIT_ERROR;
    }
    if a.time_report {
        eprint!("{}", times.render(wall.elapsed()));
    }
    let mut args = vec![a.files[0].display().to_string()];
    args.extend(a.program_args.iter().cloned());
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
    match jit.run_main(&args) {
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

/// The program's argv: its first file, then the arguments after `--`.
fn program_argv(a: &Args) -> Vec<String> {
    let mut args = vec![a.files[0].display().to_string()];
    args.extend(a.program_args.iter().cloned());
    args
}

fn jit_options(a: &Args) -> cfree_jit::JitOptions {
    cfree_jit::JitOptions {
        libraries: a.libs.clone(),
        library_dirs: a.lib_dirs.clone(),
        ..Default::default()
    }
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
    let units = in_parallel(&a, |f, opts| -> Result<Result<LazyUnit, Vec<u8>>, String> {
        if !f.exists() {
            return Err(format!(
                "cfree: error: {}: No such file or directory\n",
                f.display()
            ));
        }
        if is_object_file(f) {
            return std::fs::read(f)
                .map(Err)
                .map_err(|e| format!("cfree: error: {}: {e}\n", f.display()));
        }
        crate::lazy::compile_unit(&Source::File(f), opts)
            .map(Ok)
            .map_err(|e| e.rendered)
    });
    let mut times = PhaseTimes::default();
    let (mut lazy_units, mut objects, mut failed) = (Vec::new(), Vec::new(), false);
    for (f, u) in a.files.iter().zip(units) {
        match u.unwrap_or_else(|| Err("cfree: error: a compile thread failed\n".into())) {
            Ok(Ok(unit)) => {
                eprint!("{}", unit.warnings);
                times.merge(&unit.times);
                lazy_units.push(unit);
            }
            Ok(Err(bytes)) => {
                objects.push(cfree_link::LinkInput::new(f.display().to_string(), bytes))
            }
            Err(msg) => {
                eprint!("{msg}");
                failed = true;
            }
        }
    }
    if failed {
        return EXIT_ERROR;
    }
    let setup = std::time::Instant::now();
    let jit = match cfree_jit::Jit::new(jit_options(&a)) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return EXIT_ERROR;
        }
    };
    times.add("jit setup", setup.elapsed());
    let link = std::time::Instant::now();
    let program = match LazyProgram::link(jit, lazy_units, objects) {
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
    // SAFETY: `main` is the linked program's definition.
    match unsafe { cfree_jit::call_main(main, &program_argv(&a)) } {
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

fn cc(a: Args) -> i32 {
    if a.preprocess_only {
        let mut status = 0;
        let mut out = String::new();
        for f in &a.files {
            match pipeline::preprocess_to_text(&Source::File(f), &a.opts) {
                Ok((text, warnings)) => {
                    eprint!("{warnings}");
                    out.push_str(&text);
                }
                Err(e) => {
                    eprint!("{}", e.rendered);
                    status = EXIT_ERROR;
                }
            }
        }
        return match &a.output {
            Some(p) => write_file(p, out.as_bytes()).map_or(EXIT_ERROR, |_| status),
            None => {
                let _ = std::io::stdout().write_all(out.as_bytes());
                status
            }
        };
    }
    if !a.compile_only {
        eprintln!("cfree: error: 'cfree cc' needs -c (object) or -E (preprocess); use 'cfree run' to run a program");
        return EXIT_ERROR;
    }
    if a.output.is_some() && a.files.len() > 1 {
        eprintln!("cfree: error: cannot specify '-o' with '-c' and multiple files");
        return EXIT_ERROR;
    }
    if let Some(f) = a.files.iter().find(|f| is_object_file(f)) {
        eprintln!(
            "cfree: error: {}: an object file is no input for 'cfree cc -c' (nothing to compile)",
            f.display()
        );
        return EXIT_ERROR;
    }
    let mut a = a;
    a.opts.pic = true;
    let wall = std::time::Instant::now();
    let mut times = PhaseTimes::default();
    let objects = match compile_all_timed(&a, &mut times) {
        Ok(o) => o,
        Err(code) => return code,
    };
    for (name, bytes) in objects {
        let out = a.output.clone().unwrap_or_else(|| {
            let stem = Path::new(&name)
                .file_stem()
                .map(|s| s.to_os_string())
                .unwrap_or_default();
            PathBuf::from(stem).with_extension("o")
        });
        if times.time("write", || write_file(&out, &bytes)).is_err() {
            return EXIT_ERROR;
        }
    }
    if a.time_report {
        eprint!("{}", times.render(wall.elapsed()));
    }
    0
}

fn write_file(p: &Path, bytes: &[u8]) -> Result<(), ()> {
    std::fs::write(p, bytes)
        .map_err(|e| eprintln!("cfree: error: cannot write {}: {e}", p.display()))
}

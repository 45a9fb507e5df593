//! `cfree cc`: the gcc-compatible compiler driver for Makefiles and build systems.
//!
//! Compiling is cfree's own; linking an executable or a shared library (no `-c`) is the
//! system linker's, driven the way gcc drives it: cfree writes each C file's object to a
//! temporary directory and runs the system C compiler driver (`cc`, or `<target>-gcc` for
//! another architecture; `$CFREE_LINKER` overrides) on the objects and the link options, in
//! command-line order, so crt files, libc, libgcc and `-Wl,` options are handled as with gcc.
//! The objects are position-independent, so they link into PIE executables (Debian's default)
//! and shared libraries alike.

use super::args::{Action, Args, DepOptions, LinkArg};
use super::{deps, is_binary_input, with_source, write_file, EXIT_ERROR};
use crate::pipeline::{self, CompileError, CompileOptions, Compiled, DependencyList};
use cfree_frontend::timing::PhaseTimes;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) fn cc(mut a: Args) -> i32 {
    // Objects for a system linker (executables are PIE, libraries shared): always PIC.
    a.opts.pic = true;
    match a.action {
        Action::Preprocess => preprocess(&a),
        Action::Assembly => {
            eprintln!("cfree: error: '-S': cfree writes no assembly; compile with -c and read the object with `objdump -d`");
            EXIT_ERROR
        }
        Action::SyntaxOnly => super::check_only(&a),
        Action::DependenciesOnly => dependencies_only(&a),
        Action::Object => objects(&a),
        Action::Link => link(&a),
    }
}

fn preprocess(a: &Args) -> i32 {
    let mut status = 0;
    let mut out = String::new();
    for f in &a.files {
        match with_source(f, |src| pipeline::preprocess_to_text(src, &a.opts)) {
            Ok((text, warnings, files)) => {
                eprint!("{warnings}");
                out.push_str(&text);
                // gcc: `-E -MD` writes the rule the compile would (target `stem.o`) to
                // `-MF`, else to the output's name with `.d` (`stem.d` without `-o`).
                if let Some(d) = a.deps.as_ref().filter(|d| d.side_effect) {
                    let target = object_name(&Args::default(), f);
                    let file = deps::side_file(d, a.output.as_deref().unwrap_or(&target));
                    if write_file(&file, deps::rule(d, &target, &files).as_bytes()).is_err() {
                        status = EXIT_ERROR;
                    }
                }
            }
            Err(e) => {
                eprint!("{}", e.rendered);
                status = EXIT_ERROR;
            }
        }
    }
    match &a.output {
        Some(p) => write_file(p, out.as_bytes()).map_or(EXIT_ERROR, |_| status),
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
            status
        }
    }
}

/// The object a C input compiles to under `-c`: `-o`, else its stem with `.o` here.
fn object_name(a: &Args, f: &Path) -> PathBuf {
    a.output.clone().unwrap_or_else(|| {
        let stem = f.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
        PathBuf::from(stem).with_extension("o")
    })
}

fn dependencies_only(a: &Args) -> i32 {
    let d = a.deps.clone().unwrap_or_default();
    let mut out = String::new();
    let mut status = 0;
    for f in &a.files {
        match with_source(f, |src| pipeline::dependencies(src, &a.opts)) {
            Ok((files, warnings)) => {
                eprint!("{warnings}");
                let target = object_name(&Args::default(), f);
                out.push_str(&deps::rule(&d, &target, &files));
            }
            Err(e) => {
                eprint!("{}", e.rendered);
                status = EXIT_ERROR;
            }
        }
    }
    match d.file.as_ref().or(a.output.as_ref()) {
        Some(p) => write_file(p, out.as_bytes()).map_or(EXIT_ERROR, |_| status),
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
            status
        }
    }
}

/// Compiles one C input, with its dependency list when a rule is to be written.
/// (The cache serves objects only: with a dependency rule to write, the unit is compiled.)
fn compile(
    f: &Path,
    opts: &CompileOptions,
    cache: Option<&crate::cache::Cache>,
    with_deps: bool,
) -> Result<(Compiled, DependencyList), CompileError> {
    with_source(f, |src| match cache {
        _ if with_deps => pipeline::compile_with_dependencies(src, opts),
        Some(c) => crate::cache::compile(src, opts, c).map(|(c, _)| (c, Vec::new())),
        None => pipeline::compile(src, opts).map(|c| (c, Vec::new())),
    })
}

/// Compiles every C input (in parallel, reported in order); `None` if any failed.
fn compile_sources(a: &Args) -> Option<Vec<Option<(Compiled, DependencyList)>>> {
    let with_deps = a.deps.as_ref().is_some_and(|d| d.side_effect);
    let cache = a.cache();
    let results = super::in_parallel(a, |f, opts| {
        if is_binary_input(f) {
            return Ok(None);
        }
        compile(f, opts, cache.as_ref(), with_deps).map(Some)
    });
    let mut out = Vec::new();
    let mut failed = false;
    let mut times = PhaseTimes::default();
    for r in results {
        match r.unwrap_or_else(|| {
            Err(CompileError {
                rendered: "cfree: error: a compile thread failed\n".into(),
            })
        }) {
            Ok(Some((c, d))) => {
                eprint!("{}", c.warnings);
                times.merge(&c.times);
                out.push(Some((c, d)));
            }
            Ok(None) => out.push(None),
            Err(e) => {
                eprint!("{}", e.rendered);
                failed = true;
            }
        }
    }
    if a.time_report {
        eprint!("{}", times.render(std::time::Duration::ZERO));
    }
    (!failed).then_some(out)
}

fn objects(a: &Args) -> i32 {
    let sources = a.files.iter().filter(|f| !is_binary_input(f)).count();
    if a.output.is_some() && a.files.len() > 1 {
        eprintln!("cfree: error: cannot specify '-o' with '-c' and multiple files");
        return EXIT_ERROR;
    }
    if sources < a.files.len() {
        let f = a.files.iter().find(|f| is_binary_input(f));
        eprintln!(
            "cfree: error: {}: an object or library is no input for 'cfree cc -c' (nothing to compile)",
            f.map(|f| f.display().to_string()).unwrap_or_default()
        );
        return EXIT_ERROR;
    }
    let Some(compiled) = compile_sources(a) else {
        return EXIT_ERROR;
    };
    for (f, c) in a.files.iter().zip(compiled) {
        let Some((c, files)) = c else { continue };
        let out = object_name(a, f);
        if write_file(&out, &c.object).is_err() {
            return EXIT_ERROR;
        }
        if let Some(d) = a.deps.as_ref().filter(|d| d.side_effect) {
            if write_rule(d, &out, &out, &files).is_err() {
                return EXIT_ERROR;
            }
        }
    }
    0
}

fn write_rule(
    d: &DepOptions,
    object: &Path,
    target: &Path,
    files: &DependencyList,
) -> Result<(), ()> {
    write_file(
        &deps::side_file(d, object),
        deps::rule(d, target, files).as_bytes(),
    )
}

/// The program that links, and the arguments it needs first.
fn linker(a: &Args) -> (String, Vec<String>) {
    if let Ok(l) = std::env::var("CFREE_LINKER") {
        let mut words = l.split_whitespace().map(String::from);
        if let Some(prog) = words.next() {
            return (prog, words.collect());
        }
    }
    if a.opts.target.is_host() {
        ("cc".into(), Vec::new())
    } else {
        (format!("{}-gcc", a.opts.target.multiarch()), Vec::new())
    }
}

fn link(a: &Args) -> i32 {
    let Some(compiled) = compile_sources(a) else {
        return EXIT_ERROR;
    };
    let output = a.output.clone().unwrap_or_else(|| PathBuf::from("a.out"));
    let tmp = match TempDir::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cfree: error: cannot create a temporary directory: {e}");
            return EXIT_ERROR;
        }
    };
    let mut objects: Vec<Option<PathBuf>> = Vec::new();
    let mut rules = String::new();
    for (i, (f, c)) in a.files.iter().zip(compiled).enumerate() {
        let Some((c, files)) = c else {
            objects.push(None);
            continue;
        };
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let obj = tmp.0.join(format!("{i}-{stem}.o"));
        if write_file(&obj, &c.object).is_err() {
            return EXIT_ERROR;
        }
        if let Some(d) = a.deps.as_ref().filter(|d| d.side_effect) {
            // As gcc 12: with -o the rule's target is the executable, and every unit's
            // rule goes to `<output>.d` (gcc keeps only the last; cfree keeps them all);
            // without -o each unit's rule names `stem.o` and goes to `a-stem.d`.
            if a.output.is_some() {
                rules.push_str(&deps::rule(d, &output, &files));
            } else {
                let o = object_name(&Args::default(), f);
                let file = d.file.clone().unwrap_or_else(|| {
                    PathBuf::from(format!("a-{}", o.with_extension("d").display()))
                });
                if write_file(&file, deps::rule(d, &o, &files).as_bytes()).is_err() {
                    return EXIT_ERROR;
                }
            }
        }
        objects.push(Some(obj));
    }
    if let Some(d) = a
        .deps
        .as_ref()
        .filter(|d| d.side_effect && !rules.is_empty())
    {
        if write_file(&deps::side_file(d, &output), rules.as_bytes()).is_err() {
            return EXIT_ERROR;
        }
    }
    let (prog, mut args) = linker(a);
    args.push("-o".into());
    args.push(output.display().to_string());
    for item in &a.link {
        match item {
            LinkArg::Input(i) => match objects.get(*i).cloned().flatten() {
                Some(o) => args.push(o.display().to_string()),
                None => args.push(a.files[*i].display().to_string()),
            },
            LinkArg::Flag(f) => args.push(f.clone()),
        }
    }
    match std::process::Command::new(&prog).args(&args).status() {
        Ok(s) if s.success() => 0,
        Ok(s) => {
            eprintln!("cfree: error: linker '{prog}' failed ({s})");
            EXIT_ERROR
        }
        Err(e) => {
            eprintln!("cfree: error: cannot run the system linker '{prog}': {e} (set CFREE_LINKER to a gcc-compatible driver, or link the objects of 'cfree cc -c' yourself)");
            EXIT_ERROR
        }
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let base = std::env::temp_dir();
        for n in 0..100u32 {
            let p = base.join(format!("cfree-cc-{}-{n}", std::process::id()));
            match std::fs::create_dir(&p) {
                Ok(()) => return Ok(TempDir(p)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free name"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! Parallel compilation gives the same object as a serial one, byte for byte, and a unit
//! parsed in pieces on several threads the same tree as parsed whole.
//!
//! A unit's functions are built on one thread, compiled by Cranelift on several and defined
//! in source order (`crates/codegen/src/compile.rs`), so the object must not depend on the
//! number of threads or on which finished first. Checked through `cfree::compile` for every
//! program of the differential corpus (`tests/c`) and of the gcc torture suite, at `-O0` and
//! `-O2`, with and without `-g`, for every target, and for SQLite's amalgamation when
//! fetched by `scripts/fetch-programs.sh`.

mod common;

use cfree::{CompileOptions, OptLevel, Source};
use cfree_frontend::TargetInfo;
use std::path::{Path, PathBuf};

/// Compiles `file` serially and on `threads` threads; `Err` describes a difference. A file
/// that does not compile must fail the same way both times.
fn compare(file: &Path, base: &CompileOptions, threads: usize) -> Result<bool, String> {
    let mut serial = base.clone();
    serial.threads = 1;
    let mut parallel = base.clone();
    parallel.threads = threads;
    let a = cfree::compile(&Source::File(file), &serial);
    let b = cfree::compile(&Source::File(file), &parallel);
    match (a, b) {
        (Ok(a), Ok(b)) if a.object == b.object => Ok(true),
        (Ok(a), Ok(b)) => Err(common::first_difference("object", &a.object, &b.object)
            .unwrap_or_else(|| "objects differ".into())),
        (Err(a), Err(b)) if a.rendered == b.rendered => Ok(false),
        (a, b) => Err(format!(
            "serial: {}, parallel: {}",
            a.map_or_else(|e| e.rendered, |_| "ok".into()),
            b.map_or_else(|e| e.rendered, |_| "ok".into())
        )),
    }
}

fn check_all(files: &[PathBuf], configs: &[CompileOptions]) {
    let mut failures = Vec::new();
    let mut compiled = 0;
    for f in files {
        for (i, opts) in configs.iter().enumerate() {
            match compare(f, opts, 3) {
                Ok(true) => compiled += 1,
                Ok(false) => {}
                Err(e) => failures.push(format!("{} (config {i}): {e}", f.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} compiles differ between 1 and 3 threads:\n{}",
        failures.len(),
        files.len() * configs.len(),
        failures.join("\n")
    );
    assert!(
        compiled * 10 >= files.len() * configs.len() * 9,
        "only {compiled} of {} compiles succeeded: the check saw too little",
        files.len() * configs.len()
    );
}

fn options(target: &str, opt: OptLevel, debug: bool, pic: bool) -> CompileOptions {
    CompileOptions {
        opt_level: opt,
        debug,
        pic,
        no_warnings: true,
        target: TargetInfo::from_name(target).expect("known target"),
        ..Default::default()
    }
}

#[test]
fn differential_corpus_objects_do_not_depend_on_threads() {
    let files = common::c_files(&common::repo_root().join("tests/c"));
    let mut configs = Vec::new();
    for target in ["x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu"] {
        configs.push(options(target, OptLevel::None, false, false));
        configs.push(options(target, OptLevel::Speed, true, true));
    }
    configs.push(options("x86_64-linux-gnu", OptLevel::Speed, false, false));
    configs.push(options("x86_64-linux-gnu", OptLevel::None, true, false));
    check_all(&files, &configs);
}

#[test]
fn torture_objects_do_not_depend_on_threads() {
    let files = common::torture_sources();
    let configs = [
        options("x86_64-linux-gnu", OptLevel::Speed, false, false),
        options("aarch64-linux-gnu", OptLevel::None, false, true),
    ];
    check_all(&files, &configs);
}

#[test]
fn sqlite_object_does_not_depend_on_threads() {
    let sqlite = common::program_crate_dir("libsqlite3-sys").join("sqlite3/sqlite3.c");
    for opts in [
        options("x86_64-linux-gnu", OptLevel::Speed, false, false),
        options("x86_64-linux-gnu", OptLevel::None, true, true),
    ] {
        assert_eq!(compare(&sqlite, &opts, 2), Ok(true), "{}", sqlite.display());
    }
}

/// Parses `file` whole and in `pieces` pieces (of any size); `Ok(true)` if it was split and
/// gave the same tree (spans included), `Ok(false)` if the split gave up (the whole parse is
/// then the result), `Err` on a difference.
fn same_parse(file: &Path, pieces: usize) -> Result<bool, String> {
    use cfree_frontend::parse::{parse_tokens, parse_tokens_in_pieces};
    use cfree_frontend::pp::{PpOptions, Preprocessor};
    use cfree_frontend::timing::PhaseTimes;
    use cfree_frontend::{Diagnostics, SourceMap};
    let tokens = || {
        let mut sm = SourceMap::new();
        let mut diags = Diagnostics::default();
        let mut p = Preprocessor::new(PpOptions::new(TargetInfo::host()));
        let toks = p.preprocess_file(file, &mut sm, &mut diags);
        (!diags.has_errors()).then_some(toks)
    };
    let Some(toks) = tokens() else {
        return Ok(false);
    };
    let mut d = Diagnostics::default();
    let Some(whole) = parse_tokens(toks, &mut d) else {
        return Ok(false);
    };
    let toks = tokens().ok_or("preprocessing is not repeatable")?;
    let split = parse_tokens_in_pieces(toks, &mut d, &mut PhaseTimes::default(), pieces, 1)
        .ok_or("the split parse failed where the whole one did not")?;
    if split.unit != whole.unit {
        return Err("the trees differ".into());
    }
    Ok(split.pieces > 1)
}

#[test]
fn units_parsed_in_pieces_give_the_whole_parse_tree() {
    let root = common::repo_root();
    let mut files = common::c_files(&root.join("tests/c"));
    files.extend(common::torture_sources());
    let lua = common::c_files(&common::program_crate_dir("lua-src").join("lua-5.4.8"));
    let mut failures = Vec::new();
    let mut split = 0;
    for f in &files {
        match same_parse(f, 4) {
            Ok(true) => split += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    for f in &lua {
        match same_parse(f, 3) {
            Ok(true) => {}
            Ok(false) => failures.push(format!("{}: not split", f.display())),
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Small files stay whole where the typedef names known at a cut take more room than the
    // text before it; K&R definitions give up the split.
    assert!(
        split * 2 >= files.len(),
        "only {split} of {} files were parsed in pieces",
        files.len()
    );
    let sqlite = common::program_crate_dir("libsqlite3-sys").join("sqlite3/sqlite3.c");
    assert_eq!(same_parse(&sqlite, 2), Ok(true), "{}", sqlite.display());
    assert_eq!(same_parse(&sqlite, 7), Ok(true), "{}", sqlite.display());
}

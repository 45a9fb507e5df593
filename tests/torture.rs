//! Conformance: gcc's `gcc.c-torture/execute` suite (gcc 12.2.0, from Debian's
//! `gcc-12-source`), run through `cfree run`, with a ratchet of known failures.
//!
//! Run it alone with `cargo test --release --test torture -- --nocapture`.
//! The sources come from `scripts/fetch-torture.sh` (run by `scripts/install-test-deps.sh`),
//! which extracts the top-level `*.c` of `execute/` into `target/torture/execute`.
//! The `builtins/` and `ieee/` subdirectories are not used: their tests need extra objects
//! linked in (`builtins/lib/*.c`) or per-file `.x` option scripts written in Tcl.
//!
//! # What a test is, and when it passes
//!
//! Every test is run as `cfree run -w <honoured options> -lm TEST.c` from a scratch
//! directory, with stdin from /dev/null and a 10 s deadline (gcc's own driver uses `-w` for
//! this suite; `-lm` because a few tests call libm). It passes when it exits with status 0.
//! Tests run in parallel, one thread per available core.
//!
//! # dg directives: one rule
//!
//! Directives are read as DejaGnu would, and every condition in them is evaluated for the
//! target the run is for (**x86_64-pc-linux-gnu**, **aarch64-unknown-linux-gnu** or
//! **riscv64-unknown-linux-gnu**, as gcc 12 sees them).
//!
//! * `dg-do W [{ target SEL }]`: the test runs only if `W` is `run` (the suite's default)
//!   and `SEL` (if any) holds.
//! * `dg-options` / `dg-additional-options "OPTS" [{ target SEL }]`: applied when `SEL` holds
//!   (or is absent). Of `OPTS`, only what cfree understands is kept: `-D..`, `-U..`, `-I..`,
//!   `-w`, `-O*` (bare `-O` becomes `-O1`; `-Os`/`-Og`/`-Ofast`/`-O3` become `-O2`) and
//!   `-std=..`. Everything else (`-f*`, `-m*`, `-W*` but `-w`, `-Wl,..`) is dropped.
//! * `dg-require-effective-target K [{ target SEL }]`: where `SEL` holds (or is absent), the
//!   test is skipped unless `K` is in
//!   [`COMMON_EFFECTIVE`] and the target's own (`Dg`), the keywords true for gcc there (e.g. `int128`, `lp64`,
//!   `trampolines`, `label_values`). Unlisted keywords count as false; notably `dfp`
//!   (decimal floating point, an optional extension cfree does not claim).
//! * `dg-skip-if "why" SEL [INCLUDE [EXCLUDE]]`: skipped when `SEL` holds and the options
//!   match (an `INCLUDE` of `*`, or one of its options among ours, and none of `EXCLUDE`).
//! * `dg-xfail-if` / `dg-xfail-run-if "why" SEL ...`: skipped when `SEL` holds (none does on
//!   x86-64; the rule keeps the list honest should that change).
//! * `dg-require-alias`, `dg-require-weak`, `dg-require-stack-size`: true (ELF, 8 MiB stack).
//! * `dg-add-options` (`stack_size`, `ieee`): they add nothing on x86-64; ignored, as are
//!   `dg-prune-output` and any other directive about compiler diagnostics.
//!
//! A selector is a list of target triplet globs (matched against `x86_64-pc-linux-gnu`) and
//! effective-target keywords, combined with `!`, `&&`, `||` and braces, as in DejaGnu.
//!
//! # The ratchet
//!
//! `tests/torture/known-failures.txt` lists (sorted, one per line, `#` comments allowed) the
//! tests that fail today. This test fails when a test not on the list fails (a regression)
//! and when a test on the list passes (remove it: the list must stay exact).
//! `CFREE_TORTURE_UPDATE=1` rewrites the list from the results instead.
//!
//! Environment:
//! * `CFREE_TORTURE_UPDATE=1`: rewrite the known-failures list (keeping its header comment).
//! * `CFREE_TORTURE_DIR`: where the sources are (default `target/torture/execute`).
//! * `CFREE_TORTURE_KNOWN_FAILURES`: another list file (e.g. to validate the runner with
//!   `CFREE_TEST_COMPILER="tcc -run"` without touching the committed list).
//! * `CFREE_TORTURE_FILTER=substr`: only tests whose name contains `substr` (the ratchet then
//!   looks at those only; `CFREE_TORTURE_UPDATE` is refused with a filter).
//! * `CFREE_TEST_COMPILER`: see `tests/common/mod.rs`.
//!
//! A summary line `torture: P passed, F failed (K known), S skipped, pass rate X.Y%` is printed
//! and written to `target/torture/summary.txt`; per-test results go to
//! `target/torture/results.txt`.

mod common;

use common::{head_lines, Compiler, Outcome, Status};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);
/// The target the directives are evaluated for: its triplet and the effective-target
/// keywords true for gcc 12 there besides [`COMMON_EFFECTIVE`] (anything else is false).
struct Dg {
    triplet: &'static str,
    effective: &'static [&'static str],
}

impl Dg {
    const X86_64: Dg = Dg {
        triplet: "x86_64-pc-linux-gnu",
        effective: X86_64_EFFECTIVE,
    };
    /// AArch64 Linux: the keywords of x86-64 but `x86` itself (no x86 inline assembly and no
    /// `__builtin_apply`'s `untyped_assembly`).
    const AARCH64: Dg = Dg {
        triplet: "aarch64-unknown-linux-gnu",
        effective: AARCH64_EFFECTIVE,
    };
    const RISCV64: Dg = Dg {
        triplet: "riscv64-unknown-linux-gnu",
        effective: RISCV64_EFFECTIVE,
    };
}

const AARCH64_EFFECTIVE: &[&str] = &["large_long_double"];

/// RISC-V 64 Linux (riscv64gc, LP64D): as AArch64, binary128 `long double` and no
/// `untyped_assembly` claimed.
const RISCV64_EFFECTIVE: &[&str] = &["large_long_double"];

/// Effective-target keywords true on x86-64 only.
const X86_64_EFFECTIVE: &[&str] = &["untyped_assembly", "x86"];

/// Effective-target keywords true for gcc 12 on both targets.
const COMMON_EFFECTIVE: &[&str] = &[
    "alloca",
    "c99_runtime",
    "double64",
    "double64plus",
    "fileio",
    "fpic",
    "indirect_jumps",
    "int128",
    "int32",
    "int32plus",
    "label_values",
    "large_double",
    "lp64",
    "longlong64",
    "mmap",
    "named_sections",
    "nonlocal_goto",
    "ptr32plus",
    "return_address",
    "scalar_all_fma",
    "signal",
    "size32plus",
    "stdint_types",
    "sync_char_short",
    "sync_int_long",
    "trampolines",
    "unwrapped",
    "weak_undefined",
];

// ---------------------------------------------------------------------------------------
// A small Tcl-list reader for DejaGnu directives.

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Word(String),
    List(Vec<Item>),
}

impl Item {
    fn text(&self) -> String {
        match self {
            Item::Word(w) => w.clone(),
            Item::List(items) => items.iter().map(Item::text).collect::<Vec<_>>().join(" "),
        }
    }
}

/// Parses items until the closing brace that matches an already consumed `{`.
/// Returns the items and the number of chars consumed (including the closing brace).
fn parse_list(chars: &[char]) -> Option<(Vec<Item>, usize)> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '}' {
            return Some((items, i + 1));
        } else if c == '{' {
            let (inner, used) = parse_list(&chars[i + 1..])?;
            items.push(Item::List(inner));
            i += 1 + used;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    s.push(chars[i]);
                    i += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            items.push(Item::Word(s));
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '{' && chars[i] != '}'
            {
                i += 1;
            }
            items.push(Item::Word(chars[start..i].iter().collect()));
        }
    }
    None
}

/// Every `{ dg-NAME args... }` in the source, as (NAME, args).
fn directives(source: &str) -> Vec<(String, Vec<Item>)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 < chars.len() {
        if chars[i] == '{' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\t') {
                j += 1;
            }
            if chars[j..].starts_with(&['d', 'g', '-']) {
                if let Some((items, used)) = parse_list(&chars[i + 1..]) {
                    if let Some((Item::Word(name), rest)) = items.split_first() {
                        out.push((name.trim_start_matches("dg-").to_string(), rest.to_vec()));
                    }
                    i += 1 + used;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// Selectors

fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    match (pat.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob_match(&pat[1..], s) || (!s.is_empty() && glob_match(pat, &s[1..])),
        (Some(b'?'), Some(_)) => glob_match(&pat[1..], &s[1..]),
        (Some(p), Some(c)) if p == c => glob_match(&pat[1..], &s[1..]),
        _ => false,
    }
}

fn eval_word(dg: &Dg, w: &str) -> bool {
    if w.contains('-') || w.contains('*') {
        glob_match(w.as_bytes(), dg.triplet.as_bytes())
    } else {
        dg.effective.contains(&w) || COMMON_EFFECTIVE.contains(&w)
    }
}

/// Evaluates a selector list: juxtaposed terms are alternatives; `!`, `&&`, `||` as usual;
/// a leading `target` keyword is ignored.
fn eval_selector(dg: &Dg, items: &[Item]) -> bool {
    let items = match items.first() {
        Some(Item::Word(w)) if w == "target" => &items[1..],
        _ => items,
    };
    let mut pos = 0;
    let mut any = false;
    while pos < items.len() {
        any |= eval_or(dg, items, &mut pos);
    }
    any
}

fn eval_or(dg: &Dg, items: &[Item], pos: &mut usize) -> bool {
    let mut v = eval_and(dg, items, pos);
    while matches!(items.get(*pos), Some(Item::Word(w)) if w == "||") {
        *pos += 1;
        v |= eval_and(dg, items, pos);
    }
    v
}

fn eval_and(dg: &Dg, items: &[Item], pos: &mut usize) -> bool {
    let mut v = eval_unary(dg, items, pos);
    while matches!(items.get(*pos), Some(Item::Word(w)) if w == "&&") {
        *pos += 1;
        v &= eval_unary(dg, items, pos);
    }
    v
}

fn eval_unary(dg: &Dg, items: &[Item], pos: &mut usize) -> bool {
    let Some(item) = items.get(*pos) else {
        return false;
    };
    *pos += 1;
    match item {
        Item::Word(w) if w == "!" => !eval_unary(dg, items, pos),
        Item::Word(w) => eval_word(dg, w),
        Item::List(l) => eval_selector(dg, l),
    }
}

fn selector_of(dg: &Dg, item: Option<&Item>) -> bool {
    match item {
        None => true,
        Some(Item::List(l)) => eval_selector(dg, l),
        Some(Item::Word(w)) => eval_word(dg, w),
    }
}

// ---------------------------------------------------------------------------------------
// Options

/// The options of `text` that cfree understands (see the module docs).
fn honoured_options(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = text.split_whitespace();
    while let Some(w) = words.next() {
        match w {
            "-D" | "-U" | "-I" => {
                if let Some(v) = words.next() {
                    out.push(format!("{w}{v}"));
                }
            }
            "-w" => out.push(w.to_string()),
            "-O" | "-O1" => out.push("-O1".to_string()),
            "-O0" | "-O2" => out.push(w.to_string()),
            _ if w.starts_with("-O") => out.push("-O2".to_string()),
            _ if w.starts_with("-D") || w.starts_with("-U") || w.starts_with("-I") => {
                out.push(w.to_string())
            }
            _ if w.starts_with("-std=") => out.push(w.to_string()),
            _ => {}
        }
    }
    out
}

fn options_match(patterns: Option<&Item>, flags: &[String], default_all: bool) -> bool {
    let pats: Vec<String> = match patterns {
        None => return default_all,
        Some(Item::List(l)) => l.iter().map(Item::text).collect(),
        Some(w) => vec![w.text()],
    };
    pats.iter().any(|p| {
        p.split_whitespace()
            .any(|p| p == "*" || flags.iter().any(|f| glob_match(p.as_bytes(), f.as_bytes())))
    })
}

/// What to do with one test.
#[derive(Debug, PartialEq)]
enum Plan {
    Run(Vec<String>),
    Skip(String),
}

fn plan(dg: &Dg, source: &str) -> Plan {
    let dirs = directives(source);
    let mut flags = vec!["-w".to_string()];
    for (name, args) in &dirs {
        match name.as_str() {
            "do" => {
                let what = args.first().map(Item::text).unwrap_or_default();
                if what != "run" {
                    return Plan::Skip(format!("dg-do {what}"));
                }
                if !selector_of(dg, args.get(1)) {
                    return Plan::Skip("dg-do run for other targets".to_string());
                }
            }
            "options" | "additional-options" if selector_of(dg, args.get(1)) => {
                flags.extend(honoured_options(
                    &args.first().map(Item::text).unwrap_or_default(),
                ));
            }
            "require-effective-target" => {
                let what = args.first().map(Item::text).unwrap_or_default();
                // with `{ target SEL }`, the requirement holds only on targets matching SEL
                if selector_of(dg, args.get(1))
                    && !what.split_whitespace().all(|w| eval_word(dg, w))
                {
                    return Plan::Skip(format!("needs effective target {what}"));
                }
            }
            _ => {}
        }
    }
    // Conditions on options are evaluated once all options are known.
    for (name, args) in &dirs {
        match name.as_str() {
            "skip-if"
                if selector_of(dg, args.get(1))
                    && options_match(args.get(2), &flags, true)
                    && !options_match(args.get(3), &flags, false) =>
            {
                return Plan::Skip(format!(
                    "dg-skip-if {:?}",
                    args.first().map(Item::text).unwrap_or_default()
                ));
            }
            "xfail-if" | "xfail-run-if"
                if selector_of(dg, args.get(1))
                    && options_match(args.get(2), &flags, true)
                    && !options_match(args.get(3), &flags, false) =>
            {
                return Plan::Skip(format!(
                    "dg-{name} {:?}",
                    args.first().map(Item::text).unwrap_or_default()
                ));
            }
            _ => {}
        }
    }
    flags.push("-lm".to_string());
    Plan::Run(flags)
}

// ---------------------------------------------------------------------------------------
// The run

enum Result_ {
    Pass,
    Fail(Outcome),
    Skip(String),
}

/// The target a torture run is for: the directives' view of it, the compiler that builds and
/// runs for it, and its ratchet.
struct Run {
    dg: Dg,
    compiler: Compiler,
    /// The known-failures list under `tests/torture/`, and the results' file-name prefix.
    name: &'static str,
}

fn torture_dir() -> PathBuf {
    match std::env::var_os("CFREE_TORTURE_DIR") {
        Some(d) => PathBuf::from(d),
        None => common::repo_root().join("target/torture/execute"),
    }
}

fn known_failures_path(name: &str) -> PathBuf {
    match std::env::var_os("CFREE_TORTURE_KNOWN_FAILURES") {
        Some(d) => PathBuf::from(d),
        None => common::repo_root().join(format!("tests/torture/{name}.txt")),
    }
}

fn read_known(path: &Path) -> (Vec<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut header = Vec::new();
    let mut names = BTreeSet::new();
    let mut in_header = true;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') || t.is_empty() {
            if in_header {
                header.push(line.to_string());
            }
            continue;
        }
        in_header = false;
        names.insert(t.split_whitespace().next().unwrap().to_string());
    }
    while header.last().is_some_and(|l| l.trim().is_empty()) {
        header.pop();
    }
    (header, names)
}

#[test]
fn torture_execute() {
    torture(Run {
        dg: Dg::X86_64,
        compiler: Compiler::from_env(),
        name: "known-failures",
    });
}

/// The suite under `cfree run -flazy`: each function compiled on its first call, failing
/// exactly where eager compilation does.
#[test]
fn torture_execute_lazy() {
    torture(Run {
        dg: Dg::X86_64,
        compiler: Compiler::lazy(),
        name: "known-failures",
    });
}

/// The suite at `-O2`, where calls to small and once-called static functions are inlined
/// (`crates/codegen/src/inline.rs`); its own list, since some tests expect an optimiser to
/// fold away calls to `link_error` and similar.
#[test]
fn torture_execute_o2() {
    torture(Run {
        dg: Dg::X86_64,
        compiler: Compiler::with_flag("-O2"),
        name: "known-failures-o2",
    });
}

/// The suite run by `cfree run --target aarch64-linux-gnu`: compiled for AArch64 and linked
/// into a live image in cfree's executor under `qemu-aarch64`, as on the host. (Objects from
/// `cfree cc -c --target` linked by the target's gcc are tested by tests/differential.rs.)
#[test]
fn torture_execute_aarch64() {
    torture(Run {
        dg: Dg::AARCH64,
        compiler: Compiler::run_target("aarch64-linux-gnu"),
        name: "known-failures-aarch64",
    });
}

/// The suite compiled for RISC-V 64 by `cfree cc -c --target riscv64-linux-gnu`, linked by
/// `riscv64-linux-gnu-gcc` and run under `qemu-riscv64`.
#[test]
fn torture_execute_riscv64() {
    torture(Run {
        dg: Dg::RISCV64,
        compiler: Compiler::cross("riscv64-linux-gnu"),
        name: "known-failures-riscv64",
    });
}

fn torture(run: Run) {
    let Run { dg, compiler, name } = run;
    let dg = &dg;
    let dir = torture_dir();
    let mut tests: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".c"))
            .collect(),
        Err(_) => Vec::new(),
    };
    if tests.len() < 1000 {
        panic!(
            "the gcc torture sources are missing from {} ({} tests found).\n\
             Run `bash scripts/install-test-deps.sh` (or `bash scripts/fetch-torture.sh`) first.",
            dir.display(),
            tests.len()
        );
    }
    tests.sort();
    let filter = std::env::var("CFREE_TORTURE_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    let update = std::env::var("CFREE_TORTURE_UPDATE").is_ok_and(|v| v == "1");
    if let Some(f) = &filter {
        assert!(
            !update,
            "CFREE_TORTURE_UPDATE=1 with CFREE_TORTURE_FILTER would drop the other tests from the list"
        );
        tests.retain(|t| t.contains(f.as_str()));
    }

    println!(
        "torture ({name}): {} tests from {}, compiler {}",
        tests.len(),
        dir.display(),
        compiler.describe()
    );
    let work = common::repo_root().join(format!("target/torture/work-{name}"));
    canary(&compiler, &work);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result_>>> = Mutex::new((0..tests.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for t in 0..threads {
            let (tests, next, results, compiler, dir) = (&tests, &next, &results, &compiler, &dir);
            let cwd = work.join(format!("t{t}"));
            s.spawn(move || {
                std::fs::create_dir_all(&cwd).unwrap();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tests.len() {
                        break;
                    }
                    let path = dir.join(&tests[i]);
                    let source = std::fs::read(&path).unwrap();
                    let r = match plan(dg, &String::from_utf8_lossy(&source)) {
                        Plan::Skip(why) => Result_::Skip(why),
                        Plan::Run(flags) => {
                            let o = compiler.run(&flags, &[path], &[], &cwd, TIMEOUT);
                            if o.status.success() {
                                Result_::Pass
                            } else {
                                Result_::Fail(o)
                            }
                        }
                    };
                    results.lock().unwrap()[i] = Some(r);
                }
            });
        }
    });
    let results: Vec<Result_> = results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect();

    let known_path = known_failures_path(name);
    let (header, known) = read_known(&known_path);
    let (mut passed, mut failed, mut skipped, mut failed_known) = (0, 0, 0, 0);
    let mut regressions = Vec::new();
    let mut now_passing = Vec::new();
    let mut failing = Vec::new();
    let mut log = String::new();
    for (name, r) in tests.iter().zip(&results) {
        match r {
            Result_::Pass => {
                passed += 1;
                log.push_str(&format!("PASS {name}\n"));
                if known.contains(name) {
                    now_passing.push(name.clone());
                }
            }
            Result_::Skip(why) => {
                skipped += 1;
                log.push_str(&format!("SKIP {name}: {why}\n"));
            }
            Result_::Fail(o) => {
                failed += 1;
                failing.push(name.clone());
                log.push_str(&format!("FAIL {name}: {}\n", o.status));
                if known.contains(name) {
                    failed_known += 1;
                } else {
                    regressions.push((name.clone(), o));
                }
            }
        }
    }
    let rate = if passed + failed == 0 {
        0.0
    } else {
        100.0 * passed as f64 / (passed + failed) as f64
    };
    let summary = format!(
        "torture ({}): {passed} passed, {failed} failed ({failed_known} known), {skipped} skipped, pass rate {rate:.1}%",
        dg.triplet
    );
    let out_dir = common::repo_root().join("target/torture");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(
        out_dir.join(format!("summary-{name}.txt")),
        format!("{summary}\n"),
    )
    .unwrap();
    std::fs::write(out_dir.join(format!("results-{name}.txt")), &log).unwrap();

    if update {
        let mut text = if header.is_empty() {
            "# gcc.c-torture/execute tests that fail today (see tests/torture.rs).\n".to_string()
        } else {
            header.join("\n") + "\n"
        };
        for f in &failing {
            text.push_str(f);
            text.push('\n');
        }
        std::fs::write(&known_path, text).unwrap();
        println!("{summary}");
        println!(
            "torture: wrote {} known failures to {}",
            failing.len(),
            known_path.display()
        );
        return;
    }

    let mut report = String::new();
    for (k, (name, o)) in regressions.iter().enumerate() {
        report.push_str(&format!(
            "REGRESSION {name}: {} ({:.1} s)\n",
            o.status,
            o.elapsed.as_secs_f64()
        ));
        // The first ones in detail; past that the names are enough (results.txt has all).
        if k < 40 {
            report.push_str(&head_lines(&o.stderr_text(), 6));
        }
    }
    for name in &now_passing {
        report.push_str(&format!(
            "{name} now passes, remove it from {}\n",
            known_path.display()
        ));
    }
    if filter.is_none() {
        for name in &known {
            if !tests.contains(name) {
                report.push_str(&format!(
                    "{name} is in {} but is not a test of the suite, remove it\n",
                    known_path.display()
                ));
            }
        }
    }
    let skipped_known: Vec<&String> = tests
        .iter()
        .zip(&results)
        .filter(|(n, r)| matches!(r, Result_::Skip(_)) && known.contains(*n))
        .map(|(n, _)| n)
        .collect();
    for name in skipped_known {
        report.push_str(&format!(
            "{name} is skipped by the dg rules, remove it from {}\n",
            known_path.display()
        ));
    }
    println!("{summary}");
    if !report.is_empty() {
        panic!(
            "\n{report}{summary}\n{} regression(s), {} stale entr(y/ies) in the known-failures list \
             (CFREE_TORTURE_UPDATE=1 rewrites it from these results)",
            regressions.len(),
            now_passing.len()
        );
    }
}

/// A test passes by exiting 0, which a compiler that runs nothing would do too: first make
/// sure the compiler under test really runs programs, exit statuses and aborts included.
fn canary(compiler: &Compiler, work: &Path) {
    std::fs::create_dir_all(work).unwrap();
    let cases = [
        (
            "canary-status.c",
            "int f(int x) { return x * 6; }\nint main(void) { return f(7); }\n",
            Status::Exited(42),
        ),
        (
            "canary-abort.c",
            "#include <stdlib.h>\nint main(void) { volatile int x = 1; if (x) abort(); return 0; }\n",
            // an abort() must not look like a pass, whatever status reports it
            Status::Signaled(6),
        ),
    ];
    for (name, text, want) in cases {
        let path = work.join(name);
        std::fs::write(&path, text).unwrap();
        let o = compiler.run(&["-w".to_string()], &[path], &[], work, TIMEOUT);
        let ok = match want {
            Status::Signaled(_) => !o.status.success() && o.status != Status::TimedOut,
            _ => o.status == want,
        };
        assert!(
            ok,
            "the compiler under test ({}) does not run programs correctly: {name} should end \
             with {want}, got {}; nothing else can be judged\n{}",
            compiler.describe(),
            o.status,
            head_lines(&o.stderr_text(), 10)
        );
    }
}

#[test]
fn dg_rules() {
    // options: only what cfree understands, with a target selector honoured
    assert_eq!(
        plan(
            &Dg::X86_64,
            "/* { dg-options \"-O2 -ftree-vectorize -DX=1 -std=gnu89\" } */"
        ),
        Plan::Run(
            vec!["-w", "-O2", "-DX=1", "-std=gnu89", "-lm"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
    assert_eq!(
        plan(
            &Dg::X86_64,
            "/* { dg-additional-options \"-DSIGNAL_SUPPRESS\" { target { ! signal } } } */"
        ),
        Plan::Run(vec!["-w".into(), "-lm".into()])
    );
    assert_eq!(
        plan(
            &Dg::X86_64,
            "/* { dg-options \"-DA\" { target { i?86-*-* x86_64-*-* } } } */"
        ),
        Plan::Run(vec!["-w".into(), "-DA".into(), "-lm".into()])
    );
    assert_eq!(
        plan(&Dg::X86_64, "/* { dg-options { \"-fwrapv\" } } */"),
        Plan::Run(vec!["-w".into(), "-lm".into()])
    );
    // effective targets
    assert!(matches!(
        plan(&Dg::X86_64, "/* { dg-require-effective-target int128 } */"),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(&Dg::X86_64, "/* { dg-require-effective-target dfp } */"),
        Plan::Skip(_)
    ));
    // skip-if
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-skip-if \"requires io\" { freestanding } }  */"
        ),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-skip-if \"\" { ! { i?86-*-* x86_64-*-* } } } */"
        ),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(&Dg::X86_64, "/* { dg-skip-if \"x\" { x86_64-*-* } } */"),
        Plan::Skip(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-skip-if \"requires higher optimization\" { *-*-* } \"-O1\" \"\" } */"
        ),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-options \"-O1\" } */ /* { dg-skip-if \"x\" { *-*-* } \"-O1\" \"\" } */"
        ),
        Plan::Skip(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-skip-if \"x\" { *-*-* } { \"*\" } { \"-O0\" } } */"
        ),
        Plan::Skip(_)
    ));
    assert!(matches!(
        plan(&Dg::X86_64, "/* { dg-do compile } */"),
        Plan::Skip(_)
    ));
    assert!(matches!(
        plan(&Dg::X86_64, "/* { dg-do run } */"),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-do run { target { ! x86_64-*-* } } } */"
        ),
        Plan::Skip(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-require-effective-target dfp { target avr-*-* } } */"
        ),
        Plan::Run(_)
    ));
    assert!(matches!(
        plan(
            &Dg::X86_64,
            "/* { dg-xfail-if \"\" { m32r-*-* } { \"-O2\" } { \"\" } } */"
        ),
        Plan::Run(_)
    ));
}

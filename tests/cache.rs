//! The compile cache as users meet it: a second `cfree run` of an unchanged program links the
//! objects of the first; an edited file or header, a header that appears earlier on the
//! include path, a damaged cache entry and several runs at once all still give the program
//! gcc gives. And through the Rust API: an object from the cache, cold or warm, is byte for
//! byte the object an uncached compile makes, for the differential corpus and the torture
//! suite.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let d = common::scratch_dir("cache").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `cfree run -ftime-report ARGS` from `dir`, with its cache in `dir/cache`.
fn cfree_run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cfree"))
        .current_dir(dir)
        .env("CFREE_CACHE_DIR", dir.join("cache"))
        .env_remove("CFREE_CACHE")
        .args(["run", "-ftime-report"])
        .args(args)
        .output()
        .unwrap()
}

/// What the same sources print when built by gcc.
fn gcc_output(dir: &Path, args: &[&str]) -> Vec<u8> {
    let exe = dir.join("gcc.out");
    let o = Command::new("gcc")
        .current_dir(dir)
        .args(args)
        .arg("-o")
        .arg(&exe)
        .output()
        .unwrap();
    assert!(o.status.success(), "gcc: {}", text(&o.stderr));
    Command::new(&exe).output().unwrap().stdout
}

/// The count `-ftime-report` gives for `event` (0 when the line is absent).
fn count(o: &Output, event: &str) -> u32 {
    text(&o.stderr)
        .lines()
        .find_map(|l| l.trim().strip_prefix(event)?.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs the program and checks it prints what gcc's build prints.
fn run_checked(dir: &Path, args: &[&str]) -> Output {
    let expected = gcc_output(dir, args);
    let o = cfree_run(dir, args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), text(&expected), "{}", text(&o.stderr));
    o
}

/// The diagnostics of a run without the time report.
fn warnings(o: &Output) -> String {
    let e = text(&o.stderr);
    e[..e.find("cfree: time report").unwrap_or(e.len())].to_string()
}

fn two_file_program(d: &Path) {
    write(d, "inc/value.h", "#define VALUE 41\n");
    write(
        d,
        "main.c",
        "#include <stdio.h>\n#include \"value.h\"\nint twice(int);\n\
         int main(void) { int *p = 5; (void)p; printf(\"%d %d\\n\", VALUE + 1, twice(21)); return 0; }\n",
    );
    write(d, "twice.c", "int twice(int x) { return x * 2; }\n");
}

const PROGRAM: &[&str] = &["-Iinc", "main.c", "twice.c"];

#[test]
fn second_run_links_the_cached_objects_and_behaves_the_same() {
    let d = scratch("second-run");
    two_file_program(&d);
    let first = run_checked(&d, PROGRAM);
    assert_eq!(count(&first, "cache misses"), 2, "{}", text(&first.stderr));
    let second = run_checked(&d, PROGRAM);
    assert_eq!(
        count(&second, "cache hits (direct)"),
        2,
        "{}",
        text(&second.stderr)
    );
    let report = text(&second.stderr);
    assert!(
        !report.contains("preprocess") && !report.contains("sema"),
        "{report}"
    );
    assert!(
        warnings(&first).contains("main.c:4:27: warning"),
        "{}",
        warnings(&first)
    );
    assert_eq!(warnings(&first), warnings(&second));
    // Other options are another object.
    let o2 = run_checked(&d, &["-O2", "-Iinc", "main.c", "twice.c"]);
    assert_eq!(count(&o2, "cache misses"), 2, "{}", text(&o2.stderr));
}

#[test]
fn edited_sources_and_headers_are_compiled_again() {
    let d = scratch("edits");
    two_file_program(&d);
    run_checked(&d, PROGRAM);
    write(&d, "inc/value.h", "#define VALUE 99\n");
    let o = run_checked(&d, PROGRAM);
    assert_eq!(count(&o, "cache misses"), 1, "{}", text(&o.stderr));
    assert_eq!(count(&o, "cache hits (direct)"), 1, "{}", text(&o.stderr));
    write(&d, "twice.c", "int twice(int x) { return x * 3; }\n");
    let o = run_checked(&d, PROGRAM);
    assert_eq!(count(&o, "cache misses"), 1, "{}", text(&o.stderr));
    // Back to an earlier text: its object is still there.
    write(&d, "twice.c", "int twice(int x) { return x * 2; }\n");
    let o = run_checked(&d, PROGRAM);
    assert_eq!(count(&o, "cache hits (direct)"), 2, "{}", text(&o.stderr));
}

#[test]
fn a_header_created_earlier_on_the_include_path_is_found() {
    let d = scratch("shadow");
    two_file_program(&d);
    std::fs::create_dir_all(d.join("first")).unwrap();
    let args = &["-Ifirst", "-Iinc", "main.c", "twice.c"];
    run_checked(&d, args);
    write(&d, "first/value.h", "#define VALUE 7\n");
    let o = run_checked(&d, args);
    assert_eq!(count(&o, "cache misses"), 1, "{}", text(&o.stderr));
}

#[test]
fn damaged_entries_are_detected_and_rebuilt() {
    let d = scratch("damaged");
    two_file_program(&d);
    run_checked(&d, PROGRAM);
    let entries = || -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d.join("cache/v1"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    // Each way an entry can be damaged: cut short, one bit flipped, emptied, replaced.
    type Damage = fn(&[u8]) -> Vec<u8>;
    let damages: [Damage; 4] = [
        |b| b[..b.len() / 2].to_vec(),
        |b| {
            let mut v = b.to_vec();
            let i = v.len() - 1;
            v[i] ^= 0x10;
            v
        },
        |_| Vec::new(),
        |b| vec![0xff; b.len()],
    ];
    for damage in damages {
        let files = entries();
        assert_eq!(files.len(), 4, "two objects and two manifests: {files:?}");
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            std::fs::write(f, damage(&bytes)).unwrap();
        }
        let o = run_checked(&d, PROGRAM);
        assert_eq!(count(&o, "cache misses"), 2, "{}", text(&o.stderr));
        let o = run_checked(&d, PROGRAM);
        assert_eq!(
            count(&o, "cache hits (direct)"),
            2,
            "rebuilt: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn concurrent_runs_share_one_cache() {
    let d = scratch("concurrent");
    two_file_program(&d);
    let expected = gcc_output(&d, PROGRAM);
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_cfree"))
                .current_dir(&d)
                .env("CFREE_CACHE_DIR", d.join("cache"))
                .args(["run"])
                .args(PROGRAM)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(text(&o.stdout), text(&expected));
    }
    let o = run_checked(&d, PROGRAM);
    assert_eq!(count(&o, "cache hits (direct)"), 2, "{}", text(&o.stderr));
    let leftovers: Vec<_> = std::fs::read_dir(d.join("cache/v1"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn clock_dependent_units_are_never_served_without_preprocessing() {
    let d = scratch("clock");
    write(
        &d,
        "t.c",
        "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", (int)sizeof __TIME__); return 0; }\n",
    );
    run_checked(&d, &["t.c"]);
    let o = run_checked(&d, &["t.c"]);
    assert_eq!(count(&o, "cache hits (direct)"), 0, "{}", text(&o.stderr));
}

#[test]
fn the_cache_can_be_turned_off() {
    let d = scratch("off");
    two_file_program(&d);
    run_checked(&d, PROGRAM);
    let mut args = vec!["-fno-cache"];
    args.extend(PROGRAM);
    let o = cfree_run(&d, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("cache"), "{}", text(&o.stderr));
    let o = Command::new(env!("CARGO_BIN_EXE_cfree"))
        .current_dir(&d)
        .env("CFREE_CACHE_DIR", d.join("cache"))
        .env("CFREE_CACHE", "0")
        .args(["run", "-ftime-report"])
        .args(PROGRAM)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("cache"), "{}", text(&o.stderr));
}

/// Cold and warm compiles through a fresh cache give the uncached object; `Err` says how not.
fn same_through_cache(
    file: &Path,
    opts: &cfree::CompileOptions,
    cache: &cfree::cache::Cache,
) -> Result<bool, String> {
    use cfree::cache::Lookup;
    let plain = cfree::compile(&cfree::Source::File(file), opts);
    for expect in [Lookup::Miss, Lookup::Direct] {
        let cached = cfree::cache::compile(&cfree::Source::File(file), opts, cache);
        match (&plain, cached) {
            (Ok(a), Ok((b, lookup))) => {
                if a.object != b.object || a.warnings != b.warnings {
                    return Err(format!("{lookup:?}: the cached object differs"));
                }
                if a.prototypes != b.prototypes || a.function_hashes != b.function_hashes {
                    return Err(format!("{lookup:?}: the cached prototypes differ"));
                }
                if lookup != expect && !(expect == Lookup::Miss && lookup == Lookup::Preprocessed) {
                    return Err(format!("expected {expect:?}, got {lookup:?}"));
                }
            }
            (Err(a), Err(b)) if a.rendered == b.rendered => return Ok(false),
            (a, b) => {
                return Err(format!(
                    "uncached: {}, cached: {}",
                    a.as_ref()
                        .map_or_else(|e| e.rendered.clone(), |_| "ok".into()),
                    b.map_or_else(|e| e.rendered, |_| "ok".into())
                ))
            }
        }
    }
    Ok(true)
}

fn check_all(name: &str, files: &[PathBuf], opts: &[cfree::CompileOptions]) {
    let cache = cfree::cache::Cache::at(scratch(name), 1 << 34);
    let mut failures = Vec::new();
    let mut compiled = 0;
    for f in files {
        for o in opts {
            match same_through_cache(f, o, &cache) {
                Ok(true) => compiled += 1,
                Ok(false) => {}
                Err(e) => failures.push(format!("{}: {e}", f.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        compiled * 10 >= files.len() * opts.len() * 9,
        "only {compiled} of {} compiles succeeded",
        files.len() * opts.len()
    );
}

fn options(opt: cfree::OptLevel, debug: bool) -> cfree::CompileOptions {
    cfree::CompileOptions {
        opt_level: opt,
        debug,
        ..Default::default()
    }
}

#[test]
fn differential_corpus_objects_from_the_cache_are_the_compiled_ones() {
    let files = common::c_files(&common::repo_root().join("tests/c"));
    check_all(
        "corpus",
        &files,
        &[
            options(cfree::OptLevel::None, true),
            options(cfree::OptLevel::Speed, false),
        ],
    );
}

#[test]
fn torture_objects_from_the_cache_are_the_compiled_ones() {
    let files = common::torture_sources();
    check_all("torture", &files, &[options(cfree::OptLevel::Speed, false)]);
}

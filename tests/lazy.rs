//! `cfree run -flazy`: each function compiled the first time it is called. The program in
//! `tests/lazy/` (pointers taken before the first call, recursion, shared statics, a static
//! function named like another file's global one, every kind of argument, constructors, a
//! first call from eight threads at once) must print what gcc's build prints, and functions
//! never called must never be compiled. The differential corpus and the torture suite also
//! run under `-flazy` (`tests/differential.rs`, `tests/torture.rs`).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sources() -> Vec<PathBuf> {
    let d = common::repo_root().join("tests/lazy");
    vec![d.join("main.c"), d.join("other.c")]
}

fn gcc_output() -> Vec<u8> {
    let exe = common::scratch_dir("lazy").join("gcc.out");
    let o = Command::new("gcc")
        .arg("-pthread")
        .args(sources())
        .arg("-o")
        .arg(&exe)
        .output()
        .unwrap();
    assert!(o.status.success(), "gcc: {}", text(&o.stderr));
    let run = Command::new(&exe).output().unwrap();
    assert!(run.status.success());
    run.stdout
}

fn cfree(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cfree"))
        .arg("run")
        .args(args)
        .args(sources())
        .output()
        .unwrap()
}

#[test]
fn lazily_compiled_program_behaves_like_gcc_s() {
    let expected = gcc_output();
    for opts in [&["-flazy"][..], &["-flazy", "-O2"], &["-flazy", "-g"]] {
        // The threads race for the first call differently every time.
        for _ in 0..5 {
            let o = cfree(opts);
            assert!(o.status.success(), "{opts:?}: {}", text(&o.stderr));
            assert_eq!(
                text(&o.stdout),
                text(&expected),
                "{opts:?}: {}",
                text(&o.stderr)
            );
        }
    }
}

#[test]
fn functions_never_called_are_never_compiled() {
    let o = cfree(&["-flazy", "-ftime-report"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let report = text(&o.stderr);
    let line = report
        .lines()
        .find(|l| l.contains("-flazy compiled"))
        .unwrap_or_else(|| panic!("no lazy report in:\n{report}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "compiled").unwrap();
    let (compiled, total): (u32, u32) = (
        words[at + 1].parse().unwrap(),
        words[at + 3].parse().unwrap(),
    );
    // `never_called` (its address is taken, but it is never called) is the one left.
    assert_eq!(total - compiled, 1, "{line}");
    assert!(
        !report.contains("codegen: cranelift"),
        "nothing compiled eagerly:\n{report}"
    );
}

#[test]
fn lazy_is_refused_where_it_cannot_work() {
    let o = Command::new(env!("CARGO_BIN_EXE_cfree"))
        .args(["cc", "-c", "-flazy"])
        .args(&sources()[..1])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("-flazy"), "{}", text(&o.stderr));
    let o = cfree(&["-flazy", "--target", "aarch64-linux-gnu"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("-flazy"), "{}", text(&o.stderr));
}

#[test]
fn an_undefined_reference_ends_the_run_at_the_first_call_that_needs_it() {
    let d = common::scratch_dir("lazy-undefined");
    let src = d.join("undef.c");
    std::fs::write(
        &src,
        "#include <stdio.h>\nint missing_function(int);\n\
         static int uses(int x) { return missing_function(x); }\n\
         int main(int argc, char **argv) { printf(\"before\\n\"); fflush(stdout);\n\
         if (argc > 5) return uses(argc); return 0; }\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cfree"))
            .args(["run", "-flazy"])
            .arg(&src)
            .arg("--")
            .args(args)
            .output()
            .unwrap()
    };
    // Bound when first needed, as with ld.so's lazy binding: a run that never calls `uses`
    // never looks the name up.
    let o = run(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "before\n");
    let o = run(&["1", "2", "3", "4", "5"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "before\n");
    let err = text(&o.stderr);
    assert!(
        err.contains("uses") && err.contains("undefined reference to `missing_function`"),
        "{err}"
    );
}

/// The embedding API's `JitOptions::lazy`: `add_source` analyses now, bodies compile on their
/// first call (the `__cfree_lazy_body.*` symbols appear then), and a lazily linked function
/// can still be reloaded.
#[test]
fn embedding_api_compiles_added_source_lazily() {
    use cfree::{Jit, JitOptions};
    let mut jit = Jit::new(JitOptions {
        lazy: true,
        ..JitOptions::reloadable()
    })
    .unwrap();
    jit.add_source(
        "lib.c",
        "static int calls;\n\
         static int sq(int x) { calls++; return x * x; }\n\
         int sum_sq(int a, int b) { return sq(a) + sq(b); }\n\
         int never(int x) { return x - 1; }\n\
         int count(void) { return calls; }\n",
    )
    .unwrap();
    let bodies = |jit: &Jit| {
        jit.symbols()
            .filter(|s| s.name.starts_with("__cfree_lazy_body."))
            .count()
    };
    assert_eq!(bodies(&jit), 0, "nothing compiled before a call");
    let sum_sq: extern "C" fn(i32, i32) -> i32 = unsafe { jit.function("sum_sq") }.unwrap();
    let count: extern "C" fn() -> i32 = unsafe { jit.function("count") }.unwrap();
    assert_eq!(sum_sq(3, 4), 25);
    assert_eq!(count(), 2);
    assert_eq!(
        bodies(&jit),
        3,
        "sum_sq, sq and count; `never` stays a stub"
    );
    // A second unit's code calls the first's lazily linked functions.
    jit.add_source(
        "more.c",
        "int sum_sq(int, int);\nint twice(int a) { return 2 * sum_sq(a, 0); }\n",
    )
    .unwrap();
    let twice: extern "C" fn(i32) -> i32 = unsafe { jit.function("twice") }.unwrap();
    assert_eq!(twice(5), 50);
    jit.reload_source(
        "sum_sq",
        "lib2.c",
        "int sum_sq(int a, int b) { return a + b; }",
    )
    .unwrap();
    assert_eq!(sum_sq(3, 4), 7);
    assert_eq!(twice(5), 10);
}

//! ABI interop with gcc: each program in `tests/abi/` is a caller half (`NAME_main.c`) and a
//! callee half (`NAME_lib.c`). gcc builds both halves for the expected output; then cfree
//! (`cfree cc -c`, at -O0 and -O2) builds one half and gcc the other, in both directions,
//! linked by the system `cc`, and the outputs must match gcc's exactly. `cfree run` of both
//! halves must match too, and so must `cfree run` with one half given as gcc's object file. A mismatch means cfree passes, returns or reads a value where
//! gcc-compiled code does not.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn cfree() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cfree"))
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn half(name: &str, which: &str) -> PathBuf {
    common::repo_root().join(format!("tests/abi/{name}_{which}.c"))
}

fn gcc_object(src: &Path, obj: &Path) {
    let o = Command::new("cc")
        .args(["-w", "-c"])
        .arg(src)
        .arg("-o")
        .arg(obj)
        .output()
        .expect("cc is installed");
    assert!(
        o.status.success(),
        "cc -c {}: {}",
        src.display(),
        text(&o.stderr)
    );
}

fn cfree_object(src: &Path, obj: &Path, opt: &str) {
    let o = cfree()
        .args(["cc", "-w", "-c", opt])
        .arg(src)
        .arg("-o")
        .arg(obj)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "cfree cc -c {opt} {}: {}",
        src.display(),
        text(&o.stderr)
    );
}

/// Links two objects with the system compiler driver and runs the result.
fn link_and_run(dir: &Path, objs: [&Path; 2], exe: &str) -> String {
    let exe = dir.join(exe);
    // The system compiler's default: a position-independent executable.
    let l = Command::new("cc")
        .args(objs)
        .args(["-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("cc is installed");
    assert!(
        l.status.success(),
        "link {}: {}",
        exe.display(),
        text(&l.stderr)
    );
    let r = Command::new(&exe).output().unwrap();
    assert!(
        r.status.success(),
        "{} failed: {}",
        exe.display(),
        text(&r.stderr)
    );
    text(&r.stdout)
}

fn check_interop(name: &str) {
    let dir = common::scratch_dir(&format!("abi-{name}"));
    let (main, lib) = (half(name, "main"), half(name, "lib"));
    let (gm, gl) = (dir.join("gcc_main.o"), dir.join("gcc_lib.o"));
    gcc_object(&main, &gm);
    gcc_object(&lib, &gl);
    let expected = link_and_run(&dir, [&gm, &gl], "gcc_gcc");
    assert!(
        !expected.is_empty(),
        "{name}: the gcc build printed nothing"
    );
    for opt in ["-O0", "-O2"] {
        let (cm, cl) = (
            dir.join(format!("cfree_main{opt}.o")),
            dir.join(format!("cfree_lib{opt}.o")),
        );
        cfree_object(&main, &cm, opt);
        cfree_object(&lib, &cl, opt);
        let caller = link_and_run(&dir, [&cm, &gl], &format!("cfree_gcc{opt}"));
        assert_eq!(caller, expected, "{name}: cfree {opt} caller, gcc callee");
        let callee = link_and_run(&dir, [&gm, &cl], &format!("gcc_cfree{opt}"));
        assert_eq!(callee, expected, "{name}: gcc caller, cfree {opt} callee");
    }
    // `cfree run` of both halves, then of one half with the other as gcc's object in the image.
    for (a, b, what) in [
        (&lib, &main, "cfree run of both halves"),
        (
            &gl,
            &main,
            "cfree run of the caller with gcc's callee object",
        ),
        (
            &gm,
            &lib,
            "cfree run of the callee with gcc's caller object",
        ),
    ] {
        let r = cfree()
            .args(["run", "-w", "-lm"])
            .arg(a)
            .arg(b)
            .output()
            .unwrap();
        assert!(r.status.success(), "{what}: {}", text(&r.stderr));
        assert_eq!(text(&r.stdout), expected, "{name}: {what}");
    }
}

/// `float`, `double`, `long double` and integer `_Complex` arguments and results: in SSE
/// registers (a `float complex` packed in one), in memory once the registers run out, through
/// `...`, inside a struct, and `long double complex` results on the x87 stack (COMPLEX_X87).
#[test]
fn complex_numbers_cross_the_gcc_boundary() {
    check_interop("complex");
}

/// `__float128`: one xmm register each (SSE+SSEUP), also alone in a struct; in memory once
/// the registers run out, inside a larger struct, and through `...` mixed with doubles.
#[test]
fn float128_crosses_the_gcc_boundary() {
    check_interop("float128");
}

/// GNU vectors: 16-byte ones in one xmm register (SSE+SSEUP), also inside a struct and through
/// `...`; 8-byte ones in one SSE eightbyte; 32-byte ones in memory (no AVX); and the register
/// run-out rule.
#[test]
fn vectors_cross_the_gcc_boundary() {
    check_interop("vector");
}

//! `-g` checked by real clients: gdb debugs a program linked from a cfree object, and
//! `llvm-dwarfdump --verify` accepts the object's DWARF.
//!
//! Needs Debian's `gdb`, `llvm-19` (for `llvm-dwarfdump-19`) and a C linker driver `cc`
//! (`gcc`); a missing tool fails the test with the package to install.

use cfree_frontend::TargetInfo;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const PROG: &str = r#"#include <stdio.h>

struct point { int x; int y; };
struct big { long a, b, c; };
struct bits { unsigned lo : 3; unsigned hi : 5; int rest; };

int counter = 7;
static double scale = 2.5;

static int helper(int v)
{
    int r = v * 2;
    r += counter; /* HELPER */
    return r;
}

int compute(int a, struct point p, struct big q)
{
    int local = a + p.x; /* COMPUTE_FIRST */
    long wide = 1234567890123L; /* COMPUTE_SECOND */
    double d = 1.5 * scale;
    char name[8] = "abc";
    struct bits fl = { 5, 17, -3 };
    int arr[3] = { 1, 2, 3 };
    static int calls;
    int *ptr = &local;
    calls++;
    local += helper(p.y) + (int)q.c + fl.lo; /* COMPUTE_CALL */
    return local + *ptr - arr[1] + name[0] + (int)d + (int)(wide % 1000);
}

int main(void)
{
    struct point pt = { 3, 4 };
    struct big bg = { 10, 20, 30 };
    int r = compute(10, pt, bg); /* MAIN_CALL */
    printf("result %d\n", r);
    return 0;
}
"#;

/// 1-based line of the line holding `marker`.
fn line_of(marker: &str) -> usize {
    PROG.lines()
        .position(|l| l.contains(marker))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("marker {marker} not in the test program"))
}

fn require(tool: &str, package: &str) {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{tool}` is required by this test: install the Debian package `{package}`"
    );
}

/// A directory per test (tests run in parallel).
fn work_dir(test: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("dwarf_gdb")
        .join(test);
    std::fs::create_dir_all(&d).expect("create the test directory");
    d
}

/// Preprocess, parse, analyse and compile `path` with `-g`, through cfree's own front end.
fn compile(path: &Path) -> Vec<u8> {
    common::compile_file(path, TargetInfo::host(), true)
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

/// Lexical blocks (nested, shadowing, `for` declarations, a block split by the loop layout,
/// a block without code) and enumerated types (signed, unsigned, anonymous, in a struct).
const SCOPES: &str = r#"#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };
enum sign { NEG = -7, POS = 3 };
struct car { enum color paint; enum { OFF, ON = 4 } mode; };

int blocks(int a)
{
    int x = 1;
    enum sign s = NEG;
    {
        int x = 2;
        { int y = x + a; a += y; }
    }
    for (int i = 0; i < 3; i++) {
        int x = i;
        a += x;
    }
    { int unused; }
    return a + x + s;
}

int main(void)
{
    struct car c = { GREEN, ON };
    printf("%d %d\n", blocks(1), c.paint + c.mode);
    return 0;
}
"#;

fn build(test: &str) -> (PathBuf, PathBuf, PathBuf) {
    build_program(test, PROG)
}

fn build_program(test: &str, text: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = work_dir(test);
    let src = dir.join("prog.c");
    std::fs::write(&src, text).expect("write prog.c");
    let obj = dir.join("prog.o");
    std::fs::write(&obj, compile(&src)).expect("write prog.o");
    let exe = dir.join("prog");
    run(Command::new("cc")
        .arg("-no-pie")
        .arg(&obj)
        .arg("-o")
        .arg(&exe));
    (src, obj, exe)
}

#[test]
fn gdb_breaks_steps_and_prints() {
    require("gdb", "gdb");
    require("cc", "gcc");
    let (_src, _obj, exe) = build("gdb");
    let out = run(&mut Command::new(&exe));
    assert_eq!(out, format!("result {}\n", expected_result()));

    let helper_line = line_of("/* HELPER */");
    let first = line_of("/* COMPUTE_FIRST */");
    let second = line_of("/* COMPUTE_SECOND */");
    let call = line_of("/* COMPUTE_CALL */");
    let main_call = line_of("/* MAIN_CALL */");
    let cmds = [
        "set pagination off".to_string(),
        "set width 0".into(),
        "set confirm off".into(),
        "break compute".into(),
        format!("break prog.c:{helper_line}"),
        "run".into(),
        "print a".into(),
        "print p.y".into(),
        "print q.c".into(),
        "next".into(),
        "continue".into(),
        "bt".into(),
        "info locals".into(),
        "up".into(),
        "info locals".into(),
        "print p.y".into(),
        "print fl.hi".into(),
        "print *ptr".into(),
        "print counter".into(),
        "print scale".into(),
        "ptype struct bits".into(),
        "continue".into(),
    ];
    let mut gdb = Command::new("gdb");
    gdb.args(["-batch", "-nx", "-iex", "set debuginfod enabled off"]);
    for c in &cmds {
        gdb.arg("-ex").arg(c);
    }
    gdb.arg(&exe);
    let out = gdb.output().expect("run gdb");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    let expect = |needle: &str| {
        assert!(
            text.contains(needle),
            "gdb output lacks `{needle}`:\n{text}"
        );
    };
    // The breakpoint by name stops after the prologue, on the first statement, with the
    // arguments readable (a scalar, a struct in registers, a struct passed in memory).
    expect("Breakpoint 1, compute (a=10, p=..., q=...) at ");
    expect(&format!("prog.c:{first}\n"));
    expect("$1 = 10\n");
    expect("$2 = 4\n");
    expect("$3 = 30\n");
    // `next` reaches the following line.
    expect(&format!("\n{second}\t"));
    // The breakpoint by file:line, and a three-frame backtrace with names and lines.
    expect("Breakpoint 2, helper (v=4) at ");
    expect(&format!("prog.c:{helper_line}\n"));
    expect("#0  helper (v=4) at ");
    expect("#1  0x");
    expect(" in compute (a=10, p=..., q=...) at ");
    expect(&format!("prog.c:{call}\n"));
    expect(" in main () at ");
    expect(&format!("prog.c:{main_call}\n"));
    // Locals of the innermost frame, then of the caller.
    expect("r = 8\n");
    expect("local = 13\n");
    expect("wide = 1234567890123\n");
    expect("d = 3.75\n");
    expect("name = \"abc\\000\\000\\000\\000\"\n");
    expect("fl = {lo = 5, hi = 17, rest = -3}\n");
    expect("arr = {1, 2, 3}\n");
    expect("calls = 1\n");
    expect("ptr = 0x");
    // Struct fields, pointers, globals, types.
    expect("$4 = 4\n");
    expect("$5 = 17\n");
    expect("$6 = 13\n");
    expect("$7 = 7\n");
    expect("$8 = 2.5\n");
    expect("unsigned int lo : 3;");
    expect("unsigned int hi : 5;");
    expect(&format!("result {}", expected_result()));
    expect("exited normally");
}

/// What the test program prints (computed like the C code does).
fn expected_result() -> i64 {
    let local = 10 + 3;
    let helper = 4 * 2 + 7;
    let local = local + helper + 30 + 5;
    let d = (1.5f64 * 2.5) as i64;
    local + local - 2 + i64::from(b'a') + d + (1234567890123i64 % 1000)
}

#[test]
fn llvm_dwarfdump_verifies() {
    require("llvm-dwarfdump-19", "llvm-19");
    require("cc", "gcc");
    let (_src, obj, exe) = build("verify");
    let (_src, scopes_obj, scopes_exe) = build_program("verify_scopes", SCOPES);
    for file in [&obj, &exe, &scopes_obj, &scopes_exe] {
        let out = Command::new("llvm-dwarfdump-19")
            .arg("--verify")
            .arg(file)
            .output()
            .expect("run llvm-dwarfdump-19");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && text.contains("No errors."),
            "llvm-dwarfdump --verify {}:\n{text}",
            file.display()
        );
    }
    // The line table names the source and covers the functions.
    let out = run(Command::new("llvm-dwarfdump-19")
        .arg("--debug-line")
        .arg(&obj));
    assert!(out.contains("prog.c"), "{out}");
    // The blocks and enumerations are there.
    let out = run(Command::new("llvm-dwarfdump-19")
        .arg("--debug-info")
        .arg(&scopes_obj));
    assert_eq!(out.matches("DW_TAG_lexical_block").count(), 5, "{out}"); // as gcc
    assert!(out.contains("DW_AT_ranges"), "{out}");
    assert_eq!(out.matches("DW_TAG_enumeration_type").count(), 3, "{out}");
    assert!(out.contains("DW_AT_const_value\t(-7)"), "{out}");
}

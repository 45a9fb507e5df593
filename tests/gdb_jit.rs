//! Debuggers on JIT code, through the interfaces users touch:
//!
//! - the JIT view (an ELF of the live image with relocated DWARF) passes
//!   `llvm-dwarfdump --verify` and answers gdb's `info line`, `info scope` and `ptype`;
//! - `gdb --args cfree run -g prog.c` stops in JIT code, walks the stack, prints arguments,
//!   locals and return values, and every fact (frame functions, file:line per frame, values)
//!   matches what the same gdb commands report on `gcc -g -O0` of the same program;
//! - appends and reloads through the Rust API register one object each with the GDB JIT
//!   interface, which gdb reads.
//!
//! Expected lines come from marker comments in the C text, expected values from gdb on the gcc
//! build: nothing is typed in from cfree's output.

use std::path::{Path, PathBuf};
use std::process::Command;

use cfree::jit::gdb_jit;
use cfree::link::LinkInput;
use cfree::{CompileOptions, Jit, JitOptions, Source};
use object::{Object, ObjectSymbol};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfree-gdbjit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The 1-based line of the first line of `source` containing `marker`.
fn line_of(source: &str, marker: &str) -> u32 {
    let i = source
        .lines()
        .position(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("marker {marker} not in the source"));
    i as u32 + 1
}

/// `gdb -batch` with `commands` (after the settings every session needs) on `args`
/// (a file, or `--args prog ...`), run in `dir`. Returns stdout.
fn gdb(dir: &Path, commands: &[&str], args: &[&str]) -> String {
    let mut cmd = Command::new("gdb");
    cmd.current_dir(dir)
        .args(["-batch", "-nx"])
        .args(["-iex", "set debuginfod enabled off"])
        .args(["-ex", "set pagination off", "-ex", "set width 0"])
        .args(["-ex", "set style enabled off"])
        // JIT code is unknown until the program registers it.
        .args(["-ex", "set breakpoint pending on"]);
    for c in commands {
        cmd.arg("-ex").arg(c);
    }
    let out = cmd
        .args(args)
        .output()
        .expect("gdb is required (scripts/install-test-deps.sh installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn dwarfdump() -> &'static str {
    for tool in ["llvm-dwarfdump-19", "llvm-dwarfdump"] {
        if Command::new(tool).arg("--version").output().is_ok() {
            return tool;
        }
    }
    panic!("llvm-dwarfdump is required (scripts/install-test-deps.sh installs llvm-19)");
}

/// `llvm-dwarfdump --verify` must accept the file.
fn verify_dwarf(path: &Path) {
    let out = Command::new(dwarfdump())
        .arg("--verify")
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("No errors."),
        "llvm-dwarfdump --verify {}:\n{stdout}{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn debug_options() -> CompileOptions {
    CompileOptions {
        debug: true,
        ..CompileOptions::default()
    }
}

fn compile(name: &str, text: &str) -> LinkInput {
    let out = cfree::compile(&Source::Text { name, text }, &debug_options())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    LinkInput::new(name, out.object)
}

fn hex_after(line: &str, marker: &str) -> Option<u64> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    u64::from_str_radix(&digits, 16).ok()
}

const UTIL_C: &str = "struct P { int x; int y; };
static int sq(int v) { /* SQ */
    int r = v * v;
    return r;
}
int norm2(struct P p) {
    return sq(p.x) + sq(p.y); /* NORM2 */
}
";

const MAIN_C: &str = "struct P { int x; int y; };
int norm2(struct P p);
int counter = 3;
int run(void) {
    struct P p = {counter, 4};
    return norm2(p); /* RUN */
}
";

const LATER_C: &str = "struct Q { long a; double b; };
extern int counter;
int later(struct Q q) { /* LATER */
    return counter + (int)q.a;
}
";

/// A view of a `-g` program of two files plus an appended object is valid DWARF, and gdb
/// reading it from disk finds lines, scopes and types at the runtime addresses.
#[test]
fn the_view_carries_dwarf_that_tools_accept() {
    let mut jit = cfree::jit::Jit::new(cfree::jit::JitOptions::default()).unwrap();
    jit.add_objects(vec![compile("util.c", UTIL_C), compile("main.c", MAIN_C)])
        .unwrap();
    jit.add_objects(vec![compile("later.c", LATER_C)]).unwrap();
    let session = jit.session();
    let sym = |name: &str| {
        session
            .all_symbols()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} not in the image"))
    };
    let addr_of = |name: &str| sym(name).addr;
    // The last bytes of norm2: its return sequence.
    let in_norm2 = addr_of("norm2") + sym("norm2").size - 2;
    let sq = addr_of("sq");
    let view = cfree::jit::view::build_view(session, jit.memory()).unwrap();
    let d = tmpdir("view");
    let path = d.join("view.elf");
    std::fs::write(&path, &view).unwrap();
    verify_dwarf(&path);

    let out = gdb(
        &d,
        &[
            "info line sq",
            "info scope sq",
            "ptype struct P",
            "ptype struct Q",
            "info line later",
            &format!("info line *{in_norm2:#x}"),
            "info address counter",
        ],
        &[path.to_str().unwrap()],
    );
    let lines: Vec<&str> = out.lines().collect();
    let want = format!(
        "Line {} of \"util.c\" starts at address",
        line_of(UTIL_C, "SQ")
    );
    let sq_line = lines
        .iter()
        .find(|l| l.starts_with(&want))
        .unwrap_or_else(|| panic!("no `{want}` in:\n{out}"));
    assert_eq!(hex_after(sq_line, "address 0x"), Some(sq), "{out}");
    assert!(out.contains("Symbol v is"), "{out}");
    assert!(out.contains("Symbol r is"), "{out}");
    assert!(
        out.contains("type = struct P {\n    int x;\n    int y;\n}"),
        "{out}"
    );
    assert!(
        out.contains("type = struct Q {\n    long a;\n    double b;\n}"),
        "{out}"
    );
    let want = format!("Line {} of \"later.c\"", line_of(LATER_C, "LATER"));
    assert!(out.contains(&want), "no `{want}` in:\n{out}");
    // The last bytes of norm2 are its return sequence, which belongs to the closing brace
    // (the line after NORM2), as with gcc.
    let want = format!("Line {} of \"util.c\"", line_of(UTIL_C, "NORM2") + 1);
    assert!(out.contains(&want), "no `{want}` in:\n{out}");
    assert!(
        out.contains(&format!("{:#x}", addr_of("counter"))),
        "counter's address: {out}"
    );

    // One generation's view describes only what it added, and is valid on its own.
    let gen2 = cfree::jit::view::build_generation_view(session, jit.memory(), 2).unwrap();
    let file = object::File::parse(&*gen2).unwrap();
    let names: Vec<String> = file
        .symbols()
        .filter(|s| s.is_definition())
        .filter_map(|s| s.name().ok().map(str::to_owned))
        .collect();
    assert!(names.iter().any(|n| n == "later"), "{names:?}");
    assert!(!names.iter().any(|n| n == "sq" || n == "run"), "{names:?}");
    let gen2_path = d.join("gen2.elf");
    std::fs::write(&gen2_path, &gen2).unwrap();
    verify_dwarf(&gen2_path);
}

/// Old bodies of reloaded functions keep their DWARF in the view, so a PC in an old frame
/// still resolves to the old source.
#[test]
fn old_generations_keep_their_debug_info() {
    let mut jit = Jit::new(JitOptions {
        compile: debug_options(),
        ..JitOptions::reloadable()
    })
    .unwrap();
    let v1 = "int foo(int x) {\n    return x + 1; /* V1 */\n}\n";
    let v2 = "int foo(int x) {\n    int y = x * 2;\n    return y + 100; /* V2 */\n}\n";
    jit.add_source("foo_v1.c", v1).unwrap();
    jit.reload_source("foo", "foo_v2.c", v2).unwrap();
    let f = jit
        .low_level()
        .session()
        .reload_func("foo")
        .expect("reloadable")
        .clone();
    let body = |i: usize| jit.low_level().session().symbol(f.bodies[i]).unwrap().addr;
    let (old, new) = (body(0), body(1));
    let d = tmpdir("reload");
    let path = d.join("view.elf");
    std::fs::write(&path, jit.view().unwrap()).unwrap();
    verify_dwarf(&path);
    // The last bytes of each body are its return sequence, which belongs to the closing
    // brace (the line after the marker), as with gcc.
    let size = |i: usize| jit.low_level().session().symbol(f.bodies[i]).unwrap().size;
    let out = gdb(
        &d,
        &[
            &format!("info line *{:#x}", old + size(0) - 2),
            &format!("info line *{:#x}", new + size(1) - 2),
            &format!("info symbol {old:#x}"),
        ],
        &[path.to_str().unwrap()],
    );
    for want in [
        format!("Line {} of \"foo_v1.c\"", line_of(v1, "V1") + 1),
        format!("Line {} of \"foo_v2.c\"", line_of(v2, "V2") + 1),
    ] {
        assert!(out.contains(&want), "no `{want}` in:\n{out}");
    }
    // gdb shows the old body by its ELF name (it drops the trailing `$0`).
    assert!(out.contains("foo$body in section .text"), "{out}");
}

/// A small multi-function program with a struct argument, locals and a return value.
const PROG_C: &str = r#"#include <stdio.h>

struct P { int x; int y; };

static int sq(int v) {
    int r = v * v; /* SQ_BODY */
    return r;      /* SQ_RET */
}

int dot(struct P p, int scale) {
    int a = sq(p.x);     /* CALL_X */
    int b = sq(p.y);     /* CALL_Y */
    return (a + b) * scale;
}

int main(void) {
    struct P p = {3, 4};
    int total = dot(p, 2); /* CALL_DOT */
    printf("total %d\n", total);
    return 0;
}
"#;

/// One stack frame as gdb prints it, without addresses: function, arguments, file:line.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Frame {
    func: String,
    args: String,
    at: String,
}

/// A frame from a `bt` line (`#1  0x... in dot (p=..., scale=2) at prog.c:11`) or a stop line
/// (`Breakpoint 1, sq (v=3) at prog.c:6`).
fn parse_frame(line: &str) -> Option<Frame> {
    let rest = if let Some(r) = line.strip_prefix('#') {
        r.split_once("  ")?.1.trim_start()
    } else {
        line.split_once(", ")?.1
    };
    let rest = match rest.split_once(" in ") {
        Some((addr, r)) if addr.starts_with("0x") => r,
        _ => rest,
    };
    let (func, rest) = rest.split_once(" (")?;
    let (args, at) = rest.rsplit_once(") at ")?;
    Some(Frame {
        func: func.to_string(),
        args: args.to_string(),
        at: at.trim().to_string(),
    })
}

/// What a gdb session established, free of addresses.
#[derive(Debug, Default, PartialEq, Eq)]
struct Facts {
    /// Each stop: the frame gdb reported.
    stops: Vec<Frame>,
    /// Each `bt`, up to and including `main` (the host's frames below it differ).
    backtraces: Vec<Vec<Frame>>,
    /// `name = value` lines of `info locals`, per `info locals`.
    locals: Vec<Vec<(String, String)>>,
    /// `$N = value` results, in order.
    values: Vec<String>,
    /// `Value returned is $N = value` of each `finish`.
    returned: Vec<String>,
    /// Output lines of the program itself.
    program: Vec<String>,
}

/// Read the facts out of gdb's stdout. `info locals` blocks must be preceded by an `echo`
/// of `LOCALS\n` (or `LOCAL NAMES\n` to drop the values) and ended by `echo END\n`, so they
/// are told apart from other output.
fn facts(out: &str) -> Facts {
    let mut f = Facts::default();
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        // `Breakpoint 1, sq (v=3) at prog.c:6`, or with threads
        // `Thread 1 "cfree" hit Breakpoint 1, sq (v=3) at prog.c:6`.
        if line.contains("Breakpoint ") && line.contains(", ") && line.contains(") at ") {
            if let Some(fr) = parse_frame(line) {
                f.stops.push(fr);
            }
        } else if line.starts_with("#0  ") {
            let mut bt = vec![parse_frame(line).expect("frame #0")];
            while bt.last().is_some_and(|fr| fr.func != "main") {
                match lines.peek() {
                    Some(l) if l.starts_with('#') => {
                        bt.push(parse_frame(l).unwrap_or_else(|| panic!("frame: {l}")));
                        lines.next();
                    }
                    _ => break,
                }
            }
            f.backtraces.push(bt);
        } else if line == "LOCALS" || line == "LOCAL NAMES" {
            // Uninitialised locals hold whatever the stack held: only their names compare.
            let names_only = line == "LOCAL NAMES";
            let mut vars = Vec::new();
            for l in lines.by_ref() {
                if l == "END" {
                    break;
                }
                if let Some((n, v)) = l.split_once(" = ") {
                    let v = if names_only { "?" } else { v };
                    vars.push((n.to_string(), v.to_string()));
                }
            }
            f.locals.push(vars);
        } else if let Some(v) = line.strip_prefix("Value returned is ") {
            f.returned
                .push(v.split_once(" = ").map_or(v, |x| x.1).to_string());
        } else if line.starts_with('$') && line.contains(" = ") {
            f.values
                .push(line.split_once(" = ").map_or("", |x| x.1).to_string());
        } else if line.starts_with("total ") {
            f.program.push(line.to_string());
        }
    }
    f
}

/// The same gdb session on `cfree run -g prog.c` and on `gcc -g -O0 prog.c`, facts compared.
fn compare_with_gcc(name: &str, commands: &[&str]) -> Facts {
    let d = tmpdir(name);
    std::fs::write(d.join("prog.c"), PROG_C).unwrap();
    let gcc = Command::new("gcc")
        .current_dir(&d)
        .args(["-g", "-O0", "prog.c", "-o", "prog"])
        .output()
        .expect("gcc is required");
    assert!(
        gcc.status.success(),
        "{}",
        String::from_utf8_lossy(&gcc.stderr)
    );
    let cfree = env!("CARGO_BIN_EXE_cfree");
    let with_cfree = gdb(&d, commands, &["--args", cfree, "run", "-g", "prog.c"]);
    let with_gcc = gdb(&d, commands, &["--args", "./prog"]);
    let (ours, theirs) = (facts(&with_cfree), facts(&with_gcc));
    assert!(
        !theirs.stops.is_empty() && !theirs.backtraces.is_empty(),
        "the gcc session established nothing:\n{with_gcc}"
    );
    assert_eq!(
        ours, theirs,
        "\n--- gdb on cfree run -g:\n{with_cfree}\n--- gdb on gcc -g -O0:\n{with_gcc}"
    );
    ours
}

/// `break sq` before the program runs: pending until the JIT registers the code.
#[test]
fn gdb_breaks_in_jit_code_like_in_gcc_code() {
    let f = compare_with_gcc(
        "break-func",
        &[
            "break sq",
            "run",
            "bt",
            "echo LOCAL NAMES\\n",
            "info locals",
            "echo END\\n",
            "p v",
            "finish",
            "continue",
            "p v",
            "bt",
            "continue",
        ],
    );
    // The comparison is only as good as what gdb established; make sure it established it.
    assert_eq!(f.stops.len(), 2, "{f:#?}");
    assert_eq!(f.stops[0].func, "sq");
    assert_eq!(
        f.stops[0].at,
        format!("prog.c:{}", line_of(PROG_C, "SQ_BODY"))
    );
    let bt = &f.backtraces[0];
    let funcs: Vec<&str> = bt.iter().map(|fr| fr.func.as_str()).collect();
    assert_eq!(funcs, ["sq", "dot", "main"], "{bt:?}");
    assert_eq!(bt[1].at, format!("prog.c:{}", line_of(PROG_C, "CALL_X")));
    assert_eq!(bt[2].at, format!("prog.c:{}", line_of(PROG_C, "CALL_DOT")));
    assert_eq!(
        f.backtraces[1][1].at,
        format!("prog.c:{}", line_of(PROG_C, "CALL_Y"))
    );
    assert_eq!(f.values, ["3", "4"]);
    assert_eq!(f.returned, ["9"]);
    assert_eq!(
        f.locals[0].iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
        ["r"]
    );
    assert_eq!(f.program, ["total 50"]);
}

/// Breakpoints by file:line, with locals read after they were assigned, and `up` into the
/// caller's frame.
#[test]
fn gdb_breaks_at_file_and_line_in_jit_code() {
    let ret = line_of(PROG_C, "SQ_RET");
    let brk = format!("break prog.c:{ret}");
    let f = compare_with_gcc(
        "break-line",
        &[
            &brk,
            "run",
            "echo LOCALS\\n",
            "info locals",
            "echo END\\n",
            "p r + 1",
            "continue",
            "bt",
            "up",
            "p a",
            "p p",
            "p scale",
            "echo LOCAL NAMES\\n",
            "info locals",
            "echo END\\n",
            "continue",
        ],
    );
    assert_eq!(f.stops.len(), 2, "{f:#?}");
    assert!(
        f.stops.iter().all(|s| s.at == format!("prog.c:{ret}")),
        "{f:#?}"
    );
    assert_eq!(f.locals[0], [("r".to_string(), "9".to_string())]);
    assert_eq!(f.values[0], "10");
    assert_eq!(f.values[1], "9", "a in dot after the first call");
    assert_eq!(f.values[2], "{x = 3, y = 4}");
}

fn symfile_has(symfile: &[u8], symfile_list: &[Vec<u8>]) -> bool {
    symfile_list.iter().any(|f| f == symfile)
}

/// Appends and reloads through the Rust API each register one object with the GDB JIT
/// interface, holding only that generation's code, symbols and DWARF, which gdb reads; they
/// are unregistered when the JIT goes away.
#[test]
fn appends_and_reloads_register_one_object_each() {
    let base = "int base(int x) { /* BASE */\n    return x * 2;\n}\n";
    let snippet = "int base(int);\nint twice(int x) { /* TWICE */\n    return base(x) + 1;\n}\n";
    let v2 = "int base(int x) {\n    return x * 3; /* BASE2 */\n}\n";
    let mut jit = Jit::new(JitOptions {
        compile: debug_options(),
        ..JitOptions::reloadable()
    })
    .unwrap();
    jit.add_source("base.c", base).unwrap();
    jit.add_source("snippet.c", snippet).unwrap();
    jit.reload_source("base", "base2.c", v2).unwrap();
    let low = jit.low_level();
    assert!(
        low.gdb_jit_errors().is_empty(),
        "{:?}",
        low.gdb_jit_errors()
    );
    let entries = low.gdb_jit_entries();
    assert_eq!(entries.len(), 3, "one entry per generation");
    let registered = gdb_jit::registered();
    for e in entries {
        assert!(
            symfile_has(e.symfile(), &registered),
            "every entry is on the descriptor's list"
        );
    }
    let defined = |elf: &[u8]| -> Vec<String> {
        let file = object::File::parse(elf).unwrap();
        assert!(
            file.section_by_name(".debug_info").is_some()
                && file.section_by_name(".debug_line").is_some(),
            "the entry carries DWARF"
        );
        let mut v: Vec<String> = file
            .symbols()
            .filter(|s| s.is_definition() && s.kind() == object::SymbolKind::Text)
            .filter_map(|s| s.name().ok().map(str::to_owned))
            .collect();
        v.sort();
        v
    };
    assert_eq!(defined(entries[0].symfile()), ["base", "base$body$0"]);
    assert_eq!(defined(entries[1].symfile()), ["twice", "twice$body$0"]);
    assert_eq!(defined(entries[2].symfile()), ["base$body$1"]);

    // gdb reads each entry as the debugger would from memory.
    let d = tmpdir("entries");
    let session = low.session();
    let func = session.reload_func("base").unwrap().clone();
    let body1 = session.symbol(func.body()).unwrap();
    let checks = [
        (
            0,
            "info line base".to_string(),
            format!("Line {} of \"base.c\"", line_of(base, "BASE")),
        ),
        (
            1,
            "info line twice".to_string(),
            format!("Line {} of \"snippet.c\"", line_of(snippet, "TWICE")),
        ),
        (
            2,
            // The return sequence: the closing brace's line, after BASE2.
            format!("info line *{:#x}", body1.addr + body1.size - 2),
            format!("Line {} of \"base2.c\"", line_of(v2, "BASE2") + 1),
        ),
    ];
    for (i, cmd, want) in checks {
        let path = d.join(format!("entry{i}.elf"));
        std::fs::write(&path, entries[i].symfile()).unwrap();
        verify_dwarf(&path);
        let out = gdb(&d, &[&cmd], &[path.to_str().unwrap()]);
        assert!(out.contains(&want), "entry {i}: no `{want}` in:\n{out}");
    }

    let ours: Vec<Vec<u8>> = entries.iter().map(|e| e.symfile().to_vec()).collect();
    drop(low);
    drop(jit);
    let after = gdb_jit::registered();
    assert!(
        !ours.iter().any(|f| symfile_has(f, &after)),
        "dropping the JIT unregisters its entries"
    );
}

const LIVE_BASE: &str = "int jit_base(int x) {\n    return x * 2; /* LIVE_BASE */\n}\n";
const LIVE_SNIPPET: &str =
    "int jit_base(int);\nint jit_twice(int x) {\n    int y = jit_base(x); /* LIVE_CALL */\n    return y + 1;\n}\n";

/// What `appended_code_is_debuggable_in_a_live_process` does when this test binary runs it
/// again under gdb (`CFREE_GDB_JIT_HELPER` set): an embedder that appends twice through the
/// Rust API, then calls into the second append.
fn live_append_host() {
    let mut jit = Jit::new(JitOptions {
        compile: debug_options(),
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_source("live_base.c", LIVE_BASE).unwrap();
    jit.add_source("live_snippet.c", LIVE_SNIPPET).unwrap();
    // SAFETY: `int jit_twice(int)`.
    let twice: extern "C" fn(i32) -> i32 = unsafe { jit.function("jit_twice") }.unwrap();
    println!("jit_twice(20) = {}", twice(20));
}

/// gdb attached from the start to an embedding host sees code of every append, registered
/// one object per append: it breaks in the second append's function and in the first's, and
/// walks from one into the other.
#[test]
fn appended_code_is_debuggable_in_a_live_process() {
    if std::env::var_os("CFREE_GDB_JIT_HELPER").is_some() {
        return live_append_host();
    }
    let exe = std::env::current_exe().unwrap();
    let d = tmpdir("live");
    let out = Command::new("gdb")
        .current_dir(&d)
        .env("CFREE_GDB_JIT_HELPER", "1")
        .args(["-batch", "-nx", "-iex", "set debuginfod enabled off"])
        .args(["-ex", "set pagination off", "-ex", "set width 0"])
        .args(["-ex", "set breakpoint pending on"])
        .args([
            "-ex",
            "break jit_twice",
            "-ex",
            "break jit_base",
            "-ex",
            "run",
        ])
        .args(["-ex", "p x", "-ex", "continue", "-ex", "bt 2", "-ex", "p x"])
        .args(["-ex", "finish", "-ex", "continue"])
        .arg("--args")
        .arg(&exe)
        .args([
            "appended_code_is_debuggable_in_a_live_process",
            "--exact",
            "--nocapture",
        ])
        .args(["--test-threads=1"])
        .output()
        .expect("gdb is required (scripts/install-test-deps.sh installs it)");
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    let f = facts(&out);
    let at = |file: &str, src: &str, marker: &str| format!("{file}:{}", line_of(src, marker));
    let stops: Vec<(&str, &str)> = f
        .stops
        .iter()
        .map(|s| (s.func.as_str(), s.args.as_str()))
        .collect();
    assert_eq!(
        stops,
        [("jit_twice", "x=20"), ("jit_base", "x=20")],
        "{out}"
    );
    assert_eq!(
        f.stops[0].at,
        at("live_snippet.c", LIVE_SNIPPET, "LIVE_CALL"),
        "{out}"
    );
    assert_eq!(
        f.stops[1].at,
        at("live_base.c", LIVE_BASE, "LIVE_BASE"),
        "{out}"
    );
    let bt = out
        .lines()
        .filter_map(|l| l.strip_prefix("#1  "))
        .next()
        .and_then(|l| parse_frame(&format!("#1  {l}")))
        .unwrap_or_else(|| panic!("no caller frame in:\n{out}"));
    assert_eq!(bt.func, "jit_twice", "{out}");
    assert_eq!(bt.at, at("live_snippet.c", LIVE_SNIPPET, "LIVE_CALL"));
    assert_eq!(f.values, ["20", "20"], "{out}");
    assert_eq!(f.returned, ["40"], "{out}");
    assert!(out.contains("jit_twice(20) = 41"), "{out}");
}

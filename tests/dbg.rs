//! `cfree dbg` driven by command scripts, checked against gdb on the same program built by
//! `gcc -g -O0`: the facts both print (which functions are on the stack, values returned and
//! printed, hit counts, how the program stopped or ended) must agree. Expected values come
//! from gdb's output, never from cfree's.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn cfree() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cfree"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn gdb_available() -> bool {
    Command::new("gdb").arg("--version").output().is_ok()
}

/// gdb's output for `cmds` on `src` built by gcc.
///
/// gdb 13 sizes its x86 XSAVE buffer for AVX-512 at most; on a CPU with a larger XSAVE area
/// (AMX) the kernel refuses the register write every inferior call ends with ("Couldn't
/// write extended state status: Bad address"). The reference is then made again with
/// [`NO_XSTATE_SHIM`] preloaded into gdb, which makes gdb fall back to the SSE register set
/// it handles correctly there; `CFREE_TEST_GDB_NO_XSTATE=1` forces that route so it can be
/// exercised on any machine.
fn gdb_session(dir: &Path, src: &Path, cmds: &Path, args: &[&str]) -> String {
    let exe = dir.join("prog_gcc");
    let st = Command::new("gcc")
        .args(["-g", "-O0", "-o"])
        .arg(&exe)
        .arg(src)
        .status()
        .unwrap();
    assert!(st.success());
    let forced = std::env::var_os("CFREE_TEST_GDB_NO_XSTATE").is_some_and(|v| v == "1");
    let mut out = run_gdb(
        &exe,
        cmds,
        args,
        forced.then(|| no_xstate_shim(dir)).as_deref(),
    );
    if !forced && String::from_utf8_lossy(&out.stderr).contains("extended state status") {
        out = run_gdb(&exe, cmds, args, Some(&no_xstate_shim(dir)));
    }
    // The reference must be whole: gdb stops a script at its first error, so an error of
    // gdb's own (a ptrace request this machine refuses) would leave a shorter transcript.
    // Errors about the program's state ("The program is not being run.") are part of what
    // is compared.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("Couldn't "),
        "gdb, the reference, failed on {}; nothing can be compared:\n{err}",
        cmds.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run_gdb(exe: &Path, cmds: &Path, args: &[&str], preload: Option<&Path>) -> std::process::Output {
    let mut c = Command::new("gdb");
    c.args(["-nx", "-batch"]);
    if let Some(shim) = preload {
        // Into gdb only: the program it starts gets an environment without it.
        c.env("LD_PRELOAD", shim)
            .args(["-iex", "unset environment LD_PRELOAD"]);
    }
    c.arg("-x")
        .arg(cmds)
        .arg("--args")
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A `ptrace` wrapper for gdb that refuses the XSAVE register set (`NT_X86_XSTATE`), as a
/// kernel without XSAVE would, so gdb uses `PTRACE_GETFPREGS`/`SETFPREGS` instead.
const NO_XSTATE_SHIM: &str = r#"
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#define NT_X86_XSTATE_NOTE 0x202
long ptrace(enum __ptrace_request req, ...) {
    va_list ap;
    va_start(ap, req);
    pid_t pid = va_arg(ap, pid_t);
    void *addr = va_arg(ap, void *);
    void *data = va_arg(ap, void *);
    va_end(ap);
    if ((req == PTRACE_GETREGSET || req == PTRACE_SETREGSET)
        && (unsigned long)addr == NT_X86_XSTATE_NOTE) {
        errno = EIO;
        return -1;
    }
    static long (*real)(enum __ptrace_request, ...);
    if (!real)
        real = (long (*)(enum __ptrace_request, ...))dlsym(RTLD_NEXT, "ptrace");
    return real(req, pid, addr, data);
}
"#;

/// Builds [`NO_XSTATE_SHIM`] into `dir`.
fn no_xstate_shim(dir: &Path) -> PathBuf {
    let src = write(dir, "no_xstate.c", NO_XSTATE_SHIM);
    let so = dir.join("no_xstate.so");
    let st = Command::new("gcc")
        .args(["-shared", "-fPIC", "-O1", "-o"])
        .arg(&so)
        .arg(&src)
        .arg("-ldl")
        .status()
        .unwrap();
    assert!(st.success(), "building the gdb ptrace shim failed");
    so
}

/// cfree dbg's output for the same commands, given on stdin or with `-x` (30 s at most).
fn cfree_session(src: &Path, cmds: &Path, args: &[&str], via_stdin: bool) -> String {
    let mut c = Command::new("timeout");
    c.arg("30").arg(cfree()).arg("dbg");
    if !via_stdin {
        c.arg("-x").arg(cmds);
    }
    c.arg(src);
    if !args.is_empty() {
        c.arg("--").args(args);
    }
    let stdin = if via_stdin {
        Stdio::from(std::fs::File::open(cmds).unwrap())
    } else {
        Stdio::null()
    };
    let out = c.stdin(stdin).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "cfree dbg failed ({}): {}\n{text}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The comparable facts of a session, in order: each backtrace as the names of its frames in
/// the program (C library frames are named from its debug info by gdb, from its exported
/// symbols by cfree, so only their presence is compared: a `libc` marker), and the lines
/// about values, hits, signals and the end of the program (process ids removed).
fn facts(out: &str, program_functions: &[&str]) -> Vec<String> {
    let mut facts = Vec::new();
    let mut bt: Vec<String> = Vec::new();
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix('#') {
            // `#1  0x... in main () at g.c:13` or `#0  sq (v=1) at g.c:5`
            let after = rest.split_whitespace().skip(1).collect::<Vec<_>>();
            let name = match after.first() {
                Some(w) if w.starts_with("0x") => after.get(2).copied().unwrap_or("?"),
                Some(w) => w,
                None => "?",
            };
            let name = if program_functions.contains(&name) {
                format!("{name}{}{}", args_clause(line, name), at_clause(line))
            } else {
                "libc".to_string()
            };
            if bt.last().map(String::as_str) != Some("libc") || name != "libc" {
                bt.push(name);
            }
            continue;
        }
        if !bt.is_empty() {
            facts.push(format!("bt: {}", bt.join(" <- ")));
            bt.clear();
        }
        // A source line shown at a stop: `13\t    s += sq(i);`
        if let Some((n, _)) = line.split_once('\t') {
            if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
                facts.push(format!("line {n}"));
                continue;
            }
        }
        // `Breakpoint 1, sq (v=1) at g.c:5` / `main () at g.c:12`
        let stop = line
            .split_once(", ")
            .filter(|(h, _)| h.starts_with("Breakpoint ") || h.starts_with("Temporary breakpoint "))
            .map(|(_, rest)| rest)
            .or_else(|| line.contains(" () at ").then_some(line));
        if let Some(rest) = stop {
            if let Some(name) = rest
                .split_whitespace()
                .next()
                .filter(|n| program_functions.contains(n))
            {
                facts.push(format!(
                    "stop {name}{}{}",
                    args_clause(rest, name),
                    at_clause(rest)
                ));
                continue;
            }
        }
        // `Breakpoint 1 at 0x114e: file g.c, line 5.`
        if let Some((_, place)) = line.split_once(": file ") {
            if line.starts_with("Breakpoint ") {
                let place = place.trim_end_matches('.');
                if let Some((f, l)) = place.split_once(", line ") {
                    facts.push(format!("set {}:{l}", base(f)));
                }
                continue;
            }
        }
        // `info line`: `Line 5 of "g.c" starts at address ...` (code layouts differ)
        if let Some(rest) = line.strip_prefix("Line ") {
            if let Some((head, _)) = rest.split_once(" starts at") {
                let (n, f) = head.split_once(" of ").unwrap_or((head, ""));
                facts.push(format!("info line {n} of {}", base(f.trim_matches('"'))));
                continue;
            }
        }
        // `info args` / `info locals`: `total = 10`
        if let Some((n, v)) = line.split_once(" = ") {
            if !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_') {
                facts.push(format!("var {n} = {}", no_addresses(v)));
                continue;
            }
        }
        let keep = line.starts_with("Value returned")
            || line.starts_with("type = ")
            || line.starts_with("0x") && line.contains(":\t")
            || line.starts_with("    ") && line.ends_with(';')
            || (line.starts_with('$') && line.contains(" = "))
            || line.starts_with("[Inferior 1")
            || line.starts_with("Program received")
            || line.starts_with("Program terminated")
            || line.starts_with("The program no longer exists")
            || line.contains("breakpoint already hit");
        if keep {
            let l = match line.find("(process ") {
                Some(i) => {
                    let end = line[i..].find(')').map_or(line.len(), |j| i + j + 1);
                    format!("{}(process N){}", &line[..i], &line[end..])
                }
                None => line.to_string(),
            };
            facts.push(no_addresses(l.trim()));
        }
    }
    if !bt.is_empty() {
        facts.push(format!("bt: {}", bt.join(" <- ")));
    }
    facts
}

/// `(v=1, p=0x...)` after a frame's function name, addresses replaced.
/// `2: total * 2 = 82`: what `display` shows at a stop.
fn is_display_line(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(n, rest)| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && rest.contains(" = ")
    })
}

fn args_clause(line: &str, name: &str) -> String {
    let Some(i) = line.find(&format!("{name} (")) else {
        return String::new();
    };
    let rest = &line[i + name.len() + 1..];
    match rest.find(") at ").or_else(|| rest.rfind(')')) {
        Some(j) => format!(" {}", no_addresses(&rest[..=j])),
        None => String::new(),
    }
}

/// Hexadecimal addresses differ between processes: `0x7fff...` → `0xADDR`.
fn no_addresses(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let n = tail.chars().take_while(|c| c.is_ascii_hexdigit()).count();
        out.push_str(if n > 4 { "0xADDR" } else { &rest[i..i + 2 + n] });
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// ` at g.c:5` of a frame or stop line (file names reduced to their last component), or "".
fn at_clause(line: &str) -> String {
    match line.rsplit_once(" at ") {
        Some((_, place)) if place.contains(':') => format!(" at {}", base(place.trim())),
        _ => String::new(),
    }
}

/// The functions a test program defines (`name(` at the start of a line after a type).
fn defined_functions(program: &str) -> Vec<&str> {
    program
        .lines()
        .filter(|l| {
            !l.starts_with(' ') && !l.starts_with('#') && l.contains('(') && l.contains('{')
        })
        .filter_map(|l| l[..l.find('(')?].split_whitespace().last())
        .map(|n| n.trim_start_matches('*'))
        .collect()
}

fn compare(name: &str, program: &str, script: &str, args: &[&str]) {
    if !gdb_available() {
        eprintln!("gdb not installed; skipping");
        return;
    }
    let dir = common::scratch_dir(&format!("dbg/{name}"));
    let src = write(&dir, &format!("{name}.c"), program);
    let cmds = write(&dir, "cmds.txt", script);
    let funcs = defined_functions(program);
    let want = facts(&gdb_session(&dir, &src, &cmds, args), &funcs);
    assert!(!want.is_empty(), "gdb printed nothing comparable");
    for via_stdin in [false, true] {
        let got = facts(&cfree_session(&src, &cmds, args, via_stdin), &funcs);
        assert_eq!(got, want, "{name} (commands on stdin: {via_stdin})");
    }
}

const LOOP: &str = r#"#include <stdio.h>
int counter;
int twice(int x) { return 2 * x; }
int sq(int v) {
    int r = v * v;
    counter++;
    return r;
}
double half(double d) { return d / 2; }
int main(void) {
    int s = 0;
    for (int i = 1; i <= 3; i++)
        s += sq(i);
    printf("s=%d\n", s);
    return s - 14 + 3;
}
"#;

/// Breakpoints, backtraces, hit counts, finish with its value, calls, delete, exit status.
#[test]
fn breakpoints_finish_calls_and_exit_match_gdb() {
    compare(
        "loop",
        LOOP,
        "break sq\nrun\nbt\ninfo breakpoints\ncontinue\nfinish\np twice(21)\np half(3.0)\ninfo breakpoints\ndelete 1\ncontinue\n",
        &[],
    );
}

/// Source-level stepping and line breakpoints: `next` (stepping over calls, out of the
/// function to the caller's next line), `step` (into a called function, after its frame
/// setup), `until`, `break FILE:LINE`, `list`, backtraces with file:line.
#[test]
fn next_step_and_line_breakpoints_match_gdb() {
    compare(
        "lines",
        LOOP,
        "break sq\nrun\nbt\ninfo line\nnext\nnext\nnext\nnext\nstep\nstep\nbt\nlist\nbreak loop.c:14\ninfo breakpoints\n\
         info line loop.c:13\ninfo line main\ndelete 1\ncontinue\nnext\n",
        &[],
    );
}

const CRASH: &str = r#"#include <stdio.h>
#include <stdlib.h>
int *ptr;
int depth(int n) { if (n == 0) return *ptr; return depth(n - 1) + 1; }
int divide(int a, int b) { return a / b; }
int main(int argc, char **argv) {
    if (argc > 2) abort();
    if (argc > 1) return divide(10, argc - 2);
    return depth(3);
}
"#;

/// A fault stops the program where it happened; continuing ends it with the signal.
#[test]
fn faults_stop_and_continuing_ends_the_program_like_gdb() {
    compare("segv", CRASH, "run\nbt\ncontinue\n", &[]);
    // Integer division by zero is SIGFPE, as with gcc.
    compare("fpe", CRASH, "run\nbt\ncontinue\n", &["x"]);
    // abort() stops inside the C library; the backtrace goes through its frames to main.
    compare("abort", CRASH, "run\nbt\ncontinue\n", &["x", "y"]);
}

/// `run` twice starts the program over (globals re-initialised), `kill` ends it, and
/// breakpoints survive both.
#[test]
fn run_again_and_kill() {
    compare(
        "rerun",
        LOOP,
        "break sq\nrun\nkill\nrun\nc\np counter\nc\nc\nrun\np counter\ninfo breakpoints\nkill\n",
        &[],
    );
}

/// Bad commands and arguments print a message and the session goes on.
#[test]
fn bad_input_keeps_the_session_going() {
    let dir = common::scratch_dir("dbg/bad");
    let src = write(&dir, "loop.c", LOOP);
    let cmds = write(
        &dir,
        "cmds.txt",
        "frobnicate\nbreak *zz\ndelete 7\nbt\ncontinue\nx/4x 0\nbreak nosuch\ninfo breakpoints\n\
         help\nhelp nexti\nhelp frobnicate\nbreak main\nrun\np nowhere * 2\ncontinue\n",
    );
    let out = cfree_session(&src, &cmds, &[], false);
    for want in [
        "Undefined command: \"frobnicate\".",
        "Invalid address: \"zz\".",
        "No breakpoint number 7.",
        "No stack.",
        "The program is not being run.",
        "Cannot access memory at address 0x0",
        "Function \"nosuch\" not defined.",
        "Breakpoint 1 (nosuch) pending.",
        "<PENDING>",
        "nexti, ni -- Step one instruction, over calls.",
        "Undefined command: \"frobnicate\".  Try \"help\".",
        "No symbol \"nowhere\" in current context.",
        "exited with code 03",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// HOT_RELOAD.md §19 through the REPL: stopped in `foo`, the file is edited and `foo`
/// reloaded; the old frame finishes in the old body (its result is the old one), new calls
/// run the new body and share the file's `static` state, the breakpoint set by name moves to
/// the new body, and a reload that changes the ABI is refused with nothing changed. The
/// expected numbers follow from the two versions of `foo` (x + 1, then x + 100).
#[test]
fn reload_while_stopped() {
    let dir = common::scratch_dir("dbg/reload");
    let src = write(
        &dir,
        "foo.c",
        "#include <stdio.h>\nstatic int calls;\nint foo(int x) {\n    calls++;\n    return x + 1;\n}\n\
         int main(void) {\n    int a = foo(1);\n    int b = foo(2);\n    printf(\"a=%d b=%d calls=%d\\n\", a, b, calls);\n    return 0;\n}\n",
    );
    let s = src.display();
    let cmds = write(
        &dir,
        "cmds.txt",
        &format!(
            "break foo\nrun\nshell sed -i 's/return x + 1;/return x + 100;/' {s}\nreload foo\n\
             info breakpoints\nbt\nfinish\ndelete\np foo(5)\np calls\n\
             shell sed -i 's/int foo(int x)/long foo(long x)/' {s}\nreload foo\np foo(1)\n\
             continue\n"
        ),
    );
    let out = cfree_session(&src, &cmds, &[], false);
    let lines: Vec<&str> = out.lines().collect();
    let set_at = lines
        .iter()
        .find_map(|l| l.strip_prefix("Breakpoint 1 at "))
        .expect("breakpoint set");
    let moved_to = lines
        .iter()
        .find(|l| l.starts_with("1       breakpoint"))
        .expect("info breakpoints");
    assert!(
        !moved_to.contains(set_at.trim_start_matches("0x")),
        "breakpoint did not move:\n{out}"
    );
    for want in [
        "Reloaded foo (generation 1).",
        "#0  ", // the old frame, named as the replaced generation
        "foo [gen 0] (x=1)",
        "Value returned is $1 = 2",
        "$2 = 105",
        "$3 = 2",
        "Reload of 'foo' refused",
        "$4 = 101",
        "a=2 b=102 calls=4",
        "exited normally",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// `reload NAME { BODY }`: the new body comes from the REPL, after the function's own header,
/// with the file's statics (a variable and a helper) shared with the live image; a body that
/// does not compile is refused with its location and nothing changes. The expected numbers
/// follow from the C code (helper(3) * 2 = 2006; `calls` grows by 10 per new call).
#[test]
fn reload_with_a_body_from_the_repl() {
    let dir = common::scratch_dir("dbg/reload_body");
    let src = write(
        &dir,
        "rb.c",
        "#include <stdio.h>\nstatic int calls;\nstatic int helper(int v) { return v + 1000; }\n\
         int foo(int x) {\n    calls++;\n    return x + 1;\n}\n\
         int main(void) {\n    int a = foo(1);\n    printf(\"a=%d calls=%d\\n\", a, calls);\n    return 0;\n}\n",
    );
    let cmds = write(
        &dir,
        "cmds.txt",
        "break main\nrun\nreload foo {\n    calls += 10;\n    return helper(x) * 2;\n}\n\
         p foo(3)\np calls\nreload foo { return y; }\np foo(1)\np calls\nbreak foo\ncontinue\nlist\n\
         delete\ncontinue\n",
    );
    let out = cfree_session(&src, &cmds, &[], false);
    for want in [
        "Reloaded foo (generation 1).",
        "$1 = 2006",
        "$2 = 10",
        "<reload-2>:1:",
        "'y' undeclared",
        "Reload of 'foo' refused; nothing changed.",
        "$3 = 2002",
        "$4 = 20",
        // The new body is listed and stopped in as the text typed at the prompt.
        "Breakpoint 2, foo (x=1) at <reload-1>:2\n2\t    calls += 10;",
        "3\t    return helper(x) * 2;",
        "a=2002 calls=30",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// INCREMENTAL_LINK.md §15 through the REPL: `jit { }` appends C to the live image with the
/// program file's macros, types, globals (`static` ones too) and functions in scope; the code
/// can be called and broken in, persists into the next `run`, and a snippet that does not
/// compile or link (syntax error, duplicate, unresolved, never closed) is reported and
/// changes nothing. Expected numbers follow from the C code (probe(41) = 42 + 3*3 + 7).
#[test]
fn jit_snippets_append_to_the_live_image() {
    let dir = common::scratch_dir("dbg/jit");
    let src = write(
        &dir,
        "js.c",
        "#include <stdio.h>\n#define SCALE 3\nstruct pt { int x, y; };\nstatic int hidden = 7;\n\
         static int helper(int v) { return v * SCALE; }\nint existing(int a) { return a + 1; }\n\
         static inline int sq(int v) { return v * v; }\n\
         int main(void) { struct pt p = {1, 2}; printf(\"%d\\n\", existing(p.x)); return 0; }\n",
    );
    let cmds = write(
        &dir,
        "cmds.txt",
        "break main\nrun\njit {\nint twice(int x) { return x * 2; }\n}\np twice(21)\n\
         jit {\n#define TRIPLE(x) ((x) * 3)\nint thrice(int x) { return TRIPLE(twice(x)) / 2 + sq(1); }\n}\n\
         p thrice(4)\np TRIPLE(2) + sq(3)\n\
         jit {\nint probe(int x) { struct pt q = { x, SCALE }; return existing(x) + helper(q.y) + hidden; }\n}\n\
         p probe(41)\nbreak probe\np probe(1)\nbt\n\
         jit { int bad(int { return 1; } }\njit { int twice(int x) { return 0; } }\n\
         jit { int uses_missing(void) { extern int nowhere(void); return nowhere(); } }\n\
         p twice(4)\nkill\nrun\np twice(5)\njit {\n",
    );
    let out = cfree_session(&src, &cmds, &[], false);
    for want in [
        "Appended <jit-1>: twice.",
        "$1 = 42",
        // A later snippet sees an earlier one's functions and the program's static inline
        // functions (which the image does not hold: nothing called them); later expressions
        // see a snippet's macros.
        "Appended <jit-2>: thrice.",
        "$2 = 13",
        "$3 = 15",
        "Appended <jit-3>: probe.",
        "$4 = 58",
        "Breakpoint 2, ",
        "probe (x=1)",
        "<function called from cfree dbg>",
        "<jit-4>:1:14: error: expected ')' before '{'",
        "error: redefinition of 'twice'",
        "undefined reference to `nowhere`",
        "$5 = 8",
        "$6 = 10",
        "is not closed before the end of the input",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

const VARS: &str = r#"#include <stdio.h>
struct pt { int x, y; };
int use(struct pt *p, const char *name, double scale, char c) {
    int arr[3] = {1, 2, 3};
    long total = p->x + p->y + arr[2];
    return (int)(total * scale) + c + name[0];
}
int main(void) {
    struct pt p = {3, 4};
    char buf[8] = "hi";
    int r = use(&p, "abc", 1.5, 'z');
    printf("%d %s\n", r, buf);
    return 0;
}
"#;

/// Frame arguments, `info args`, `info locals`, `print` of locals (structs, arrays,
/// strings, pointers, doubles, chars), `up`/`down` and `finish` from DWARF, as gdb shows them.
#[test]
fn variables_and_frames_match_gdb() {
    compare(
        "vars",
        VARS,
        "break use\nrun\nbt\ninfo args\nnext\nnext\ninfo locals\np total\np scale\np name\np p\np c\n\
         up\np p\np buf\ndown\nfinish\n",
        &[],
    );
}

/// Reads that need no compile: members through `.` and `->`, `*`, `&`, subscripts of
/// arrays and pointers, and the types `whatis`/`ptype` give them, as gdb evaluates them.
#[test]
fn plain_reads_and_types_match_gdb() {
    compare(
        "reads",
        VARS,
        "break use\nrun\nnext\nnext\np p->x\np *p\np arr[1]\np arr\np name[1]\np *name\n\
         whatis total\nwhatis p\nptype p\nptype arr\nwhatis &total\nup\np p.y\np buf[0]\nwhatis &p.y\n",
        &[],
    );
}

/// Any C expression in `print`, compiled by cfree over the frame's variables and the file's
/// declarations (arithmetic, comparisons, casts, `sizeof`, members, in outer frames too).
#[test]
fn compiled_expressions_match_gdb() {
    compare(
        "exprs",
        VARS,
        "break use\nrun\nnext\nnext\np total * 2 + p->y\np scale * total\n\
         p p->x == 3 && name[0] == 'a'\np (char)(c - 25)\np sizeof(struct pt)\nup\np p.x + p.y\n\
         p buf[0] + 1\n",
        &[],
    );
}

/// `set var` changes the program's state (the rest of the run sees it: the returned value
/// follows), `display` shows expressions at every stop (gdb's batch mode does not show them
/// when they are created, so only the later showing is compared, separately).
#[test]
fn set_var_and_display_match_gdb() {
    let script = "break use\nrun\nnext\nnext\ndisplay total\nset var total = 41\np total\n\
                  set var p->x = 10\np *p\nnext\nfinish\n";
    compare("setvar", VARS, script, &[]);
    let dir = common::scratch_dir("dbg/setvar2");
    let src = write(&dir, "setvar.c", VARS);
    let cmds = write(&dir, "cmds.txt", script);
    let out = cfree_session(&src, &cmds, &[], false);
    let after_next = out.split("$2 = ").nth(1).unwrap_or("");
    assert!(after_next.contains("1: total = 41"), "{out}");
}

/// `display` of plain reads and of compiled expressions: shown when given and at every stop,
/// as gdb shows them in an interactive session (gdb's `-batch -x` mode skips the first
/// showing, so gdb reads the commands from stdin here, as a terminal would give them).
#[test]
fn displays_match_interactive_gdb() {
    assert!(gdb_available(), "gdb is required by this test");
    let dir = common::scratch_dir("dbg/display");
    let src = write(&dir, "display.c", VARS);
    let script = "break use\nrun\nnext\nnext\ndisplay total\ndisplay total * 2 + p->y\n\
                  next\nset var total = 41\ndisplay\nundisplay 1\ndisplay p->x\ndisplay\nnext\n";
    let cmds = write(&dir, "cmds.txt", script);
    let exe = dir.join("prog_gcc");
    let st = Command::new("gcc")
        .args(["-g", "-O0", "-o"])
        .arg(&exe)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success());
    let gdb = Command::new("gdb")
        .args(["-nx", "-q"])
        .arg(&exe)
        .stdin(Stdio::from(std::fs::File::open(&cmds).unwrap()))
        .output()
        .unwrap();
    let gdb = String::from_utf8_lossy(&gdb.stdout).replace("(gdb) ", "");
    let ours = cfree_session(&src, &cmds, &[], true);
    let shown = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| is_display_line(l))
            .map(str::to_string)
            .collect()
    };
    assert!(!shown(&gdb).is_empty(), "{gdb}");
    assert_eq!(shown(&ours), shown(&gdb), "cfree:\n{ours}\ngdb:\n{gdb}");
}

/// `break LOCATION if COND`: only hits where the condition holds stop, and only those count.
#[test]
fn conditional_breakpoints_match_gdb() {
    compare(
        "cond",
        LOOP,
        "break sq if v == 2\nrun\nbt\ninfo breakpoints\ndelete\nbreak sq if counter\ncontinue\np v\ncontinue\n",
        &[],
    );
}

/// `reload` with no name: the functions whose text changed in the file are reloaded, the
/// others are not (their generation stays 0). Values follow from the edited C code.
#[test]
fn reload_every_changed_function() {
    let dir = common::scratch_dir("dbg/reload_all");
    let src = write(
        &dir,
        "two.c",
        "int f(int x) {\n    return x + 1;\n}\nint g(int x) {\n    return x + 2;\n}\nint h(int x) {\n    return x + 3;\n}\n\
         int main(void) { return f(0) + g(0) + h(0); }\n",
    );
    let s = src.display();
    let cmds = write(
        &dir,
        "cmds.txt",
        &format!(
            "break main\nrun\nreload\nshell sed -i 's/x + 1;/x + 10;/; s/x + 3;/x + 30;/' {s}\nreload\n\
             p f(1)\np g(1)\np h(1)\nreload\n"
        ),
    );
    let out = cfree_session(&src, &cmds, &[], false);
    for want in [
        "No function changed.",
        "Reloaded f (generation 1).",
        "Reloaded h (generation 1).",
        "$1 = 11",
        "$2 = 3",
        "$3 = 31",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(!out.contains("Reloaded g"), "{out}");
    assert_eq!(out.matches("No function changed.").count(), 2, "{out}");
}

/// `reload` with no name is one transaction: when one changed function is refused (here its
/// ABI changed), none of them is replaced; once the file is fixed, the rest go through.
#[test]
fn reloading_changed_functions_is_all_or_nothing() {
    let dir = common::scratch_dir("dbg/reload_batch");
    let src = write(
        &dir,
        "two.c",
        "int f(int x) {\n    return x + 1;\n}\nint h(int x) {\n    return x + 3;\n}\n\
         int main(void) { return f(0) + h(0); }\n",
    );
    let s = src.display();
    let cmds = write(
        &dir,
        "cmds.txt",
        &format!(
            "break main\nrun\nshell sed -i 's/x + 1;/x + 10;/; s/int h(int x)/long h(long x)/' {s}\n\
             reload\np f(1)\nshell sed -i 's/long h(long x)/int h(int x)/' {s}\nreload\np f(1)\n"
        ),
    );
    let out = cfree_session(&src, &cmds, &[], false);
    for want in [
        "Reload of 'f', 'h' refused",
        "`h`",
        "$1 = 2",
        "Reloaded f (generation 1).",
        "$2 = 11",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(!out.contains("Reloaded h"), "{out}");
}

/// HOT_RELOAD.md §13: a `file:line` breakpoint is re-resolved from the new line table after
/// a reload (it moves into the new body, and the next call stops there); one whose line has
/// no code in the live body any more stays where it was, marked stale.
#[test]
fn line_breakpoints_follow_reloads_or_go_stale() {
    let dir = common::scratch_dir("dbg/line_reload");
    let src = write(
        &dir,
        "tail.c",
        "int foo(int);\nint main(void) { int s = 0; for (int i = 0; i < 3; i++) s += foo(i); return s; }\n\
         int foo(int x) {\n    int y = x * 2;\n    return y;\n}\n",
    );
    let s = src.display();
    let cmds = write(
        &dir,
        "cmds.txt",
        &format!(
            "break tail.c:4\nbreak tail.c:5\nrun\n\
             shell sed -i 's/x \\* 2;/x * 7;/' {s}\nreload foo\ninfo breakpoints\ncontinue\np y\n\
             shell printf 'int foo(int);\\nint main(void) {{ int s = 0; for (int i = 0; i < 3; i++) s += foo(i); return s; }}\\nint foo(int x) {{ return x * 3; }}\\n' > {s}\n\
             reload foo\ninfo breakpoints\n"
        ),
    );
    let out = cfree_session(&src, &cmds, &[], false);
    let infos: Vec<&str> = out.split("Num     Type").collect();
    assert_eq!(infos.len(), 3, "{out}");
    // After the first reload both breakpoints are live in the new body (not stale): the old
    // frame (x = 0) finishes in the old body without stopping at line 5, and the next call
    // stops at line 4 of the new body.
    assert!(!infos[1].contains("(stale"), "{out}");
    let after = infos[1].split("Continuing.").nth(1).unwrap_or("");
    assert!(after.contains("foo (x=1) at"), "{out}");
    assert!(after.contains("x * 7;"), "{out}");
    // After the second, neither line has code in the live body.
    assert_eq!(infos[2].matches("(stale").count(), 2, "{out}");
}

/// Bad command lines end with a clear message and status 1, never a crash.
#[test]
fn bad_command_lines_are_refused_cleanly() {
    let dir = common::scratch_dir("dbg/badcli");
    let bad_c = write(&dir, "bad.c", "int main(void) { return 0 }\n");
    for (args, want) in [
        (vec!["dbg".to_string()], "no input files"),
        (
            vec!["dbg".into(), "/nonexistent/x.c".into()],
            "No such file or directory",
        ),
        (vec!["dbg".into(), "-x".into()], "missing argument to '-x'"),
        (vec!["dbg".into(), bad_c.display().to_string()], "bad.c:1:"),
    ] {
        let out = Command::new(cfree())
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// `x` with expressions for addresses, in words and as strings.
#[test]
fn examine_memory_matches_gdb() {
    compare(
        "examine",
        VARS,
        "break use\nrun\nnext\nx/3dw arr\nx/2s name\nup\nx/s buf\n",
        &[],
    );
}

/// `stepi` enters a called function and `nexti` steps over the call, in gdb (on gcc's build)
/// as in cfree dbg: the same 30 instructions from the start of `main` show `callee` as the
/// current function under `stepi` only, and `nexti` reaches the lines after the call.
#[test]
fn stepi_enters_calls_and_nexti_steps_over_them_like_gdb() {
    assert!(gdb_available(), "gdb is required by this test");
    let dir = common::scratch_dir("dbg/nexti");
    let mut prog = String::from(
        "#include <stdio.h>\nint callee(int x) {\n    return x * 2;\n}\nint main(void) {\n    int a = callee(1);\n",
    );
    for i in 1..=12 {
        prog.push_str(&format!("    a = a + {i};\n"));
    }
    prog.push_str("    printf(\"%d\\n\", a);\n    return 0;\n}\n");
    let src = write(&dir, "ni.c", &prog);
    let after_call = "8\t    a = a + 2;";
    for (cmd, enters) in [("stepi", true), ("nexti", false)] {
        let mut script = String::from("break main\nrun\n");
        for _ in 0..30 {
            script.push_str(cmd);
            script.push('\n');
        }
        let cmds = write(&dir, &format!("{cmd}.txt"), &script);
        for (who, out) in [
            ("gdb", gdb_session(&dir, &src, &cmds, &[])),
            ("cfree", cfree_session(&src, &cmds, &[], false)),
        ] {
            let in_callee = out
                .lines()
                .any(|l| l.contains("in callee (") || l.starts_with("callee ("));
            assert_eq!(in_callee, enters, "{who} {cmd}:\n{out}");
            if !enters {
                assert!(
                    out.contains(after_call),
                    "{who} {cmd} did not pass the call:\n{out}"
                );
            }
        }
    }
}

/// `info frame` in gdb's layout (compared with gdb's on gcc's build, addresses and paths
/// aside), and its addresses agree with each other: the frame is its previous frame's sp,
/// the saved pc is where the caller's frame is, rip is saved just below the frame.
#[test]
fn info_frame_matches_gdb() {
    assert!(gdb_available(), "gdb is required by this test");
    let dir = common::scratch_dir("dbg/info_frame");
    let src = write(
        &dir,
        "if.c",
        "#include <stdio.h>\nint twice(int x) { return 2 * x; }\n\
         int apply(int (*f)(int), int v) {\n    return f(v);\n}\n\
         int main(void) {\n    int r = apply(twice, 4);\n    printf(\"%d\\n\", r);\n    return 0;\n}\n",
    );
    let cmds = write(
        &dir,
        "cmds.txt",
        "break twice\nrun\ninfo frame\nup\ninfo frame\nbt\n",
    );
    let shape = |out: &str| -> Vec<String> {
        out.lines()
            .skip_while(|l| !l.starts_with("Stack level"))
            .filter(|l| !l.starts_with('#'))
            .map(|l| no_addresses(&l.replace(&format!("{}/", dir.display()), "")))
            .collect()
    };
    let ours = cfree_session(&src, &cmds, &[], false);
    let gdb = gdb_session(&dir, &src, &cmds, &[]);
    assert_eq!(shape(&ours), shape(&gdb), "cfree:\n{ours}\ngdb:\n{gdb}");
    let num = |l: &str, after: &str| -> u64 {
        let w = l.split(after).nth(1).unwrap().trim_start();
        let w = w.split([',', ':', ';', ' ']).next().unwrap();
        u64::from_str_radix(w.trim_start_matches("0x"), 16).unwrap()
    };
    let lines: Vec<&str> = ours.lines().collect();
    let at = |p: &str| *lines.iter().find(|l| l.contains(p)).unwrap();
    let frame = num(at("Stack level 0"), "frame at ");
    assert_eq!(num(at("Previous frame's sp is"), "sp is "), frame);
    assert_eq!(num(at("rip at"), "rip at "), frame - 8);
    let saved = num(at("saved rip = "), "saved rip = ");
    let caller_pc = num(at("#1  "), "#1  ");
    assert_eq!(saved, caller_pc, "{ours}");
}

const BLOCKS: &str = r#"#include <stdio.h>
int main(void) {
    int x = 1;
    int a = 10;
    {
        int x = 2;
        int b = a + x;
        {
            int x = 3;
            a += x + b;
        }
        a += x;
    }
    for (int i = 0; i < 2; i++) {
        int y = i * 2;
        a += y;
    }
    printf("%d %d\n", x, a);
    return 0;
}
"#;

/// Lexical blocks: in a nested block the innermost `x` is the one printed, `info locals`
/// lists the innermost block's variables first, then each enclosing block's; after the
/// block ends, the outer `x` is back and the block's other variables are gone (in a `for`
/// body too, and the `for`'s own declaration). Stops are only where every variable shown
/// is initialised (both compilers leave different garbage in the others). gdb ends a
/// batch script at the first error, so the names out of scope are checked on cfree alone,
/// for gdb's message.
#[test]
fn shadowed_locals_in_nested_blocks_match_gdb() {
    compare(
        "blocks",
        BLOCKS,
        "break 10\nrun\np x\ninfo locals\nwhatis x\nnext\np x\np b\ninfo locals\n\
         break 16\ncontinue\ninfo locals\np y\np i\ncontinue\np y\np i\ndelete\n\
         break 18\ncontinue\np x\np a\ninfo locals\np x + a\ncontinue\n",
        &[],
    );
    let dir = common::scratch_dir("dbg/blocks_gone");
    let src = write(&dir, "blocks.c", BLOCKS);
    let cmds = write(&dir, "cmds.txt", "break 18\nrun\np b\np y\np i\n");
    let out = cfree_session(&src, &cmds, &[], false);
    for name in ["b", "y", "i"] {
        let want = format!("No symbol \"{name}\" in current context.");
        assert!(out.contains(&want), "missing {want:?} in:\n{out}");
    }
}

const ENUMS: &str = r#"#include <stdio.h>
enum color { RED, GREEN = 5, BLUE };
enum flags { FA = 1, FB = 2, FC = 8 };
enum sign { NEG = -1, POS = 3 };
struct car { enum color paint; int wheels; enum flags opts; };
struct opt { enum { OFF, ON = 4 } mode; int level; };
enum { SMALL, LARGE } size_hint = LARGE;
int paint_value(enum color c) { return (int)c; }
int main(void) {
    enum color c = GREEN;
    enum color odd = (enum color)4;
    enum flags f = FA | FC;
    enum flags fz = 0;
    enum flags fu = FA | 4;
    enum flags fx = 16;
    enum sign s = NEG;
    enum sign s2 = (enum sign)7;
    struct car k = { BLUE, 4, FB };
    struct opt o = { ON, 2 };
    int r = paint_value(c) + odd + f + fz + fu + fx + s + s2 + k.wheels + o.mode + size_hint;
    printf("%d\n", r);
    return 0;
}
"#;

/// Enumerated types: values by enumerator name, flag enums decomposed, other values as
/// numbers, in `print`, frame arguments, `info locals`, struct members and globals;
/// `ptype` lists the enumerators, `whatis` names the type; compiled expressions of enum type.
#[test]
fn enum_values_and_types_match_gdb() {
    compare(
        "enums",
        ENUMS,
        "break paint_value\nrun\nbt\ninfo args\np c\nfinish\nbreak 21\ncontinue\n\
         p c\np odd\np f\np fz\np fu\np fx\np s\np s2\np k\np k.paint\np o\np size_hint\n\
         ptype c\nwhatis c\nptype f\nptype s\nwhatis k.opts\nptype k\nptype o\nwhatis o.mode\n\
         whatis size_hint\nptype size_hint\ninfo locals\np (enum color)6\np c == GREEN\n\
         p k.opts | FA\np GREEN\np NEG\np ON\ncontinue\n",
        &[],
    );
}

const FNPTR: &str = r#"#include <stdio.h>
int twice(int x) { return 2 * x; }
struct ops { int (*op)(int); int scale; };
int apply(struct ops *o, int v) {
    int (*f)(int) = o->op;
    return f(v) * o->scale;
}
int main(void) {
    struct ops o = { twice, 3 };
    int r = apply(&o, 4);
    printf("%d\n", r);
    return 0;
}
"#;

/// Functions and pointers to them print with their type and symbol, as gdb prints them:
/// `(int (*)(int)) 0x... <twice>` for a pointer, `{int (int)} 0x... <twice>` for the function,
/// `op = 0x... <twice>` inside a struct and in frame arguments.
#[test]
fn function_pointers_match_gdb() {
    compare(
        "fnptr",
        FNPTR,
        "break apply\nrun\nnext\np f\np o->op\np *o\np twice\np &twice\nwhatis twice\n\
         ptype twice\nwhatis o->op\nptype f\ninfo locals\nup\np o\np o.op == twice\n",
        &[],
    );
}

const THREADS: &str = r#"#include <stdio.h>
#include <pthread.h>
int shared;
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void *work(void *arg) {
    int k = *(int *)arg;
    pthread_mutex_lock(&m);
    shared += k;
    pthread_mutex_unlock(&m);
    if (k < 0)
        *(volatile int *)0 = k;
    return NULL;
}
int main(int argc, char **argv) {
    pthread_t t[2];
    int k[2] = {5, argc > 1 ? -1 : 7};
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, &k[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("shared=%d\n", shared);
    return 0;
}
"#;

/// Threads the program makes are debugged too: a breakpoint in a thread function stops that
/// thread (`[Switching to LWP N]`), one stop at a time, with its own frames and locals; a
/// fault in a thread stops there; `kill` while a thread is stopped ends every thread, and the
/// next `run` starts over. Expected values follow from the C code (5 + 7 = 12).
#[test]
fn threads_the_program_makes_stop_at_breakpoints_and_faults() {
    let dir = common::scratch_dir("dbg/threads");
    let src = write(&dir, "threads.c", THREADS);
    let cmds = write(
        &dir,
        "cmds.txt",
        "break 8\nrun\np k\nbt 1\ncontinue\np k\ncontinue\nrun\np k\nkill\nrun\ndelete\ncontinue\n",
    );
    let out = cfree_session(&src, &cmds, &[], false);
    let hits = out.matches("Breakpoint 1, work (arg=0x").count();
    assert_eq!(hits, 4, "{out}");
    assert!(out.contains("[Switching to LWP "), "{out}");
    let ks: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('$'))
        .filter_map(|l| l.split(" = ").nth(1))
        .collect();
    assert_eq!(ks.len(), 3, "{out}");
    assert!(ks.iter().all(|k| *k == "5" || *k == "7"), "{out}");
    assert_ne!(ks[0], ks[1], "the two threads' stops: {out}");
    assert!(out.contains("#0  work (arg=0x"), "{out}");
    assert_eq!(out.matches("shared=12").count(), 2, "{out}");
    assert!(out.contains("killed]"), "{out}");
    // A fault in a thread (the second argument makes k negative).
    let cmds = write(&dir, "fault.txt", "run\nbt 1\np k\nkill\n");
    let out = cfree_session(&src, &cmds, &["x"], false);
    assert!(out.contains("Program received signal SIGSEGV"), "{out}");
    assert!(
        out.contains("#0  ") && out.contains(" in work (arg="),
        "{out}"
    );
    assert!(out.contains("$1 = -1"), "{out}");
}

const QUALIFIED: &str = r#"#include <stdio.h>
struct rec { const char *name; char tag[8]; int (*op)(int); volatile int flag; const int limit; };
int twice(int x) { return 2 * x; }
int use(const struct rec *r, char *const p) {
    const int k = r->limit;
    return k + p[0] + r->op(1);
}
int main(void) {
    struct rec r = { "abc", "tg", twice, 1, 9 };
    char buf[4] = "x";
    return use(&r, buf) > 0 ? 0 : 1;
}
"#;

/// `const` and `volatile` in types (DWARF qualifier DIEs from codegen), members declared as
/// gdb's `ptype` shows them (`char tag[8];`, `int (*op)(int);`), and `set var` on a `const`
/// local, as gdb allows.
#[test]
fn qualified_types_match_gdb() {
    compare(
        "qualified",
        QUALIFIED,
        "break use\nrun\nnext\nptype r\nwhatis r\nptype r->name\nwhatis p\nwhatis k\np k\n\
         set var k = 4\np k\np k + 1\nwhatis r->flag\np *r\nwhatis r->tag\n",
        &[],
    );
}

//! Live images on other architectures: `cfree run --target` and `cfree::RemoteJit`, the
//! program running in cfree's executor under qemu-user (or natively for the host's own
//! architecture, which exercises the same protocol without emulation).
//!
//! Expected program output comes from the same program built by the target's gcc and run
//! under the same qemu; expected call results are the C functions' arithmetic done in Rust.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cfree::frontend::target::TargetInfo;
use cfree::{Arg, JitOptions, RemoteJit, Ret, Value};

/// The targets whose images run in an executor (x86_64 natively, the others under qemu).
const TARGETS: [&str; 3] = ["aarch64-linux-gnu", "riscv64-linux-gnu", "x86_64-linux-gnu"];

fn cfree() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cfree"))
}

/// `cmd` with `stdin` fed to it, its output collected.
fn run_with_stdin(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The program built by `target`'s gcc, run under qemu-user with the target's sysroot.
fn gcc_run(target: &str, src: &Path, dir: &Path, args: &[&str], stdin: &str) -> Output {
    let exe = dir.join(format!("gcc-{target}"));
    let st = Command::new(format!("{target}-gcc"))
        .arg("-o")
        .arg(&exe)
        .arg(src)
        .args(["-lm", "-pthread"])
        .status()
        .unwrap();
    assert!(st.success(), "{target}-gcc failed on {}", src.display());
    let arch = target.split('-').next().unwrap();
    let mut c = Command::new(format!("qemu-{arch}"));
    c.arg("-L")
        .arg(format!("/usr/{target}"))
        .arg(&exe)
        .args(args);
    run_with_stdin(c, stdin)
}

fn cfree_run(target: &str, src: &Path, args: &[&str], stdin: &str) -> Output {
    let mut c = Command::new(cfree());
    c.args(["run", "--target", target]).arg(src);
    if !args.is_empty() {
        c.arg("--").args(args);
    }
    run_with_stdin(c, stdin)
}

const PROGRAM: &str = r#"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__thread int tls_counter = 5;
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
__attribute__((constructor)) static void ctor(void) { printf("constructor\n"); }
__attribute__((destructor)) static void dtor(void) { printf("destructor\n"); }
static void bye(void) { printf("atexit handler\n"); }
static void *worker(void *arg) { tls_counter += (int)(long)arg; return (void *)(long)tls_counter; }
static int vla_sum(int n) { int a[n]; for (int i = 0; i < n; i++) a[i] = i * i; int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }

int main(int argc, char **argv) {
    atexit(bye);
    int v[] = {5, 3, 9, 1, 7};
    qsort(v, 5, sizeof v[0], cmp);
    printf("sorted %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
    printf("libm %.6f %.3Lf %Lg\n", sqrt(2.0), sqrtl(2.0L) * 3, strtold("1.25e300", 0) * 4);
    pthread_t t[3];
    long r[3];
    for (long i = 0; i < 3; i++) pthread_create(&t[i], 0, worker, (void *)i);
    for (int i = 0; i < 3; i++) pthread_join(t[i], (void **)&r[i]);
    printf("threads %ld %ld %ld main %d vla %d\n", r[0], r[1], r[2], tls_counter, vla_sum(20));
    char line[128];
    while (fgets(line, sizeof line, stdin)) printf("stdin: %s", line);
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    if (argc > 2 && !strcmp(argv[1], "exit")) exit(atoi(argv[2]));
    if (argc > 1 && !strcmp(argv[1], "crash")) { fflush(stdout); *(volatile int *)0 = 1; }
    return 42;
}
"#;

/// stdout, stdin, arguments, exit status (returned from main, passed to exit, death by a
/// signal), constructors, destructors, atexit, threads with thread-locals, VLAs, libm and
/// binary128 long double through libc: as the target's gcc build behaves under qemu.
#[test]
fn run_target_behaves_like_the_targets_gcc_build() {
    let dir = common::scratch_dir("remote/run");
    let src = dir.join("prog.c");
    std::fs::write(&src, PROGRAM).unwrap();
    let target = "aarch64-linux-gnu";
    let cases: [(&[&str], &str); 4] = [
        (&[], ""),
        (&["a", "b c"], "line one\nline two\n"),
        (&["exit", "7"], ""),
        (&["crash"], ""),
    ];
    for (args, stdin) in cases {
        let want = gcc_run(target, &src, &dir, args, stdin);
        let got = cfree_run(target, &src, args, stdin);
        let ctx = format!(
            "args {args:?}\ncfree stderr: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&got.stdout),
            String::from_utf8_lossy(&want.stdout),
            "{ctx}"
        );
        assert_eq!(got.status.code(), want.status.code(), "{ctx}");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(got.status.signal(), want.status.signal(), "{ctx}");
    }
}

/// Objects the target's gcc compiled (`-fPIC -O1`: TLS descriptors on AArch64,
/// general-dynamic TLS on RISC-V, GOT references to libc data) link into the executor's
/// image and behave as gcc's own executable does.
#[test]
fn run_target_links_objects_from_the_targets_gcc() {
    let dir = common::scratch_dir("remote/gcc-objects");
    let src = dir.join("prog.c");
    std::fs::write(&src, PROGRAM).unwrap();
    for target in ["aarch64-linux-gnu", "riscv64-linux-gnu"] {
        let obj = dir.join(format!("prog-{target}.o"));
        let st = Command::new(format!("{target}-gcc"))
            .args(["-c", "-fPIC", "-O1", "-o"])
            .arg(&obj)
            .arg(&src)
            .status()
            .unwrap();
        assert!(st.success(), "{target}-gcc -c failed");
        let args: &[&str] = &["x", "y"];
        let want = gcc_run(target, &src, &dir, args, "in\n");
        let got = cfree_run(target, &obj, args, "in\n");
        assert_eq!(
            String::from_utf8_lossy(&got.stdout).replace(&*obj.to_string_lossy(), "PROG"),
            String::from_utf8_lossy(&want.stdout),
            "{target}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert_eq!(got.status.code(), want.status.code(), "{target}");
    }
}

/// A program that does not link is a located error from cfree, and no executor is left.
#[test]
fn run_target_reports_link_errors() {
    let dir = common::scratch_dir("remote/undefined");
    let src = dir.join("u.c");
    std::fs::write(
        &src,
        "int missing(int);\nint main(void) { return missing(1); }\n",
    )
    .unwrap();
    let out = cfree_run("aarch64-linux-gnu", &src, &[], "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("undefined reference to `missing`"), "{err}");
}

fn options(target: &str, reloadable: bool) -> JitOptions {
    let mut o = if reloadable {
        JitOptions::reloadable()
    } else {
        JitOptions::default()
    };
    o.compile.target = TargetInfo::from_name(target).unwrap();
    o
}

/// Appends build on each other, lookups give addresses inside the executor's reservation,
/// and calls carry integers, pointers, doubles and floats both ways.
#[test]
fn remote_jit_appends_and_calls() {
    for target in TARGETS {
        let mut jit = RemoteJit::new(options(target, false)).unwrap();
        jit.add_source(
            "lib.c",
            "long scale(long x, int k) { return x * k; }\n\
             double mix(double a, float b, long c) { return a * b + c; }\n\
             float halve(float f) { return f / 2; }\n\
             static int hits; int *counter(void) { return &hits; }\n\
             void bump(int *p, int by) { *p += by; }\n",
        )
        .unwrap();
        jit.add_source(
            "user.c",
            "long scale(long, int);\nlong twice_scaled(long x) { return scale(x, 3) * 2; }\n",
        )
        .unwrap();
        let mem = jit.low_level().memory();
        let (lo, hi) = (mem.base(), mem.base() + mem.len());
        let addr = jit.lookup("twice_scaled").unwrap();
        assert!((lo..hi).contains(&addr), "{target}: {addr:#x} not in image");
        assert_eq!(
            jit.call("twice_scaled", &[Arg::Int(-7i64 as u64)], Ret::Int)
                .unwrap(),
            Value::Int((-42i64) as u64),
            "{target}"
        );
        assert_eq!(
            jit.call(
                "mix",
                &[Arg::F64(1.5), Arg::F32(4.0), Arg::Int(10)],
                Ret::F64
            )
            .unwrap(),
            Value::F64(16.0),
            "{target}"
        );
        assert_eq!(
            jit.call("halve", &[Arg::F32(5.0)], Ret::F32).unwrap(),
            Value::F32(2.5),
            "{target}"
        );
        let Value::Int(p) = jit.call("counter", &[], Ret::Int).unwrap() else {
            panic!("{target}: counter returned no pointer");
        };
        assert!((lo..hi).contains(&p), "{target}: {p:#x}");
        jit.call("bump", &[Arg::Int(p), Arg::Int(5)], Ret::Void)
            .unwrap();
        jit.call("bump", &[Arg::Int(p), Arg::Int(6)], Ret::Void)
            .unwrap();
        jit.add_source(
            "read.c",
            "int *counter(void);\nint read_counter(void) { return *counter(); }\n",
        )
        .unwrap();
        assert_eq!(
            jit.call("read_counter", &[], Ret::Int).unwrap(),
            Value::Int(11),
            "{target}"
        );
        let status = jit.exit(0).unwrap();
        assert!(status.success(), "{target}: {status}");
    }
}

/// A reload keeps the function's target address and switches its callers; a refused
/// reload (a different signature) leaves the old body in place; a failed append leaves the
/// image as it was.
#[test]
fn remote_jit_reloads_and_refusals_change_nothing() {
    for target in TARGETS {
        let mut jit = RemoteJit::new(options(target, true)).unwrap();
        jit.add_source("f.c", "long value(long x) { return x + 1; }\n")
            .unwrap();
        jit.add_source(
            "g.c",
            "long value(long);\nlong through(long x) { return value(x) * 10; }\n",
        )
        .unwrap();
        let before = jit.lookup("value").unwrap();
        let call = |jit: &mut RemoteJit| jit.call("through", &[Arg::Int(4)], Ret::Int).unwrap();
        assert_eq!(call(&mut jit), Value::Int(50), "{target}");
        jit.reload_source("value", "f2.c", "long value(long x) { return x + 2; }\n")
            .unwrap();
        assert_eq!(jit.lookup("value"), Some(before), "{target}");
        assert_eq!(call(&mut jit), Value::Int(60), "{target}");
        let generation = jit.generation();
        let refused = jit.reload_source("value", "f3.c", "double value(double x) { return x; }\n");
        assert!(
            matches!(refused, Err(cfree::Error::Reload(_))),
            "{target}: {:?}",
            refused.err()
        );
        let failed = jit.add_source(
            "h.c",
            "int nowhere(void);\nint h(void) { return nowhere(); }\n",
        );
        assert!(matches!(failed, Err(cfree::Error::Link(_))), "{target}");
        assert_eq!(jit.generation(), generation, "{target}");
        assert_eq!(call(&mut jit), Value::Int(60), "{target}");
    }
}

/// The stress test: a thread in the executor calls a function without pause while the host
/// reloads it 40 times. Every call returns some generation's value, the thread moves
/// forward through them and never back, and ends on the last.
#[test]
fn remote_reload_while_a_target_thread_calls() {
    const RELOADS: u64 = 40;
    for target in TARGETS {
        let mut jit = RemoteJit::new(options(target, true)).unwrap();
        jit.add_source("v.c", "long version(void) { return 0; }\n")
            .unwrap();
        let caller = jit.start_caller("version").unwrap();
        for n in 1..=RELOADS {
            let src = format!("long version(void) {{ return {n}; }}\n");
            jit.reload_source("version", &format!("v{n}.c"), &src)
                .unwrap();
            // Let the thread run on the new body for a moment.
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let report = jit.stop_caller(caller).unwrap();
        assert!(report.calls > RELOADS, "{target}: {report:?}");
        assert!(
            report.results.windows(2).all(|w| w[0] < w[1]),
            "{target}: results went backwards: {report:?}"
        );
        assert_eq!(report.results.first(), Some(&0), "{target}: {report:?}");
        assert_eq!(
            report.results.last(),
            Some(&RELOADS),
            "{target}: {report:?}"
        );
        assert!(jit.exit(0).unwrap().success());
    }
}

/// W^X in the executor: the page holding the program's code is readable and executable but
/// not writable, and no mapping of the process is writable and executable at once, as the
/// program itself sees in /proc/self/maps (qemu-user reports the guest's mappings).
#[test]
fn remote_image_code_is_never_writable_and_executable() {
    let dir = common::scratch_dir("remote/wx");
    let src = dir.join("maps.c");
    std::fs::write(
        &src,
        r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return 2;
    unsigned long self = (unsigned long)&main;
    char line[512];
    int code_rx = 0, wx = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        if (perms[1] == 'w' && perms[2] == 'x') { wx++; printf("w+x: %s", line); }
        if (lo <= self && self < hi) code_rx = perms[0] == 'r' && perms[1] == '-' && perms[2] == 'x';
    }
    printf("code r-x: %d, w+x mappings: %d\n", code_rx, wx);
    return 0;
}
"#,
    )
    .unwrap();
    let out = cfree_run("aarch64-linux-gnu", &src, &[], "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.trim(), "code r-x: 1, w+x mappings: 0", "{text}");
}

fn int_call(jit: &mut RemoteJit, name: &str, x: i64) -> i64 {
    match jit.call(name, &[Arg::Int(x as u64)], Ret::Int).unwrap() {
        Value::Int(v) => v as i32 as i64,
        other => panic!("{name} returned {other:?}"),
    }
}

fn observe(jit: &RemoteJit) -> (u64, Vec<cfree::Symbol>) {
    (jit.generation(), jit.symbols().collect())
}

/// The append transactions of tests/append.rs on each target: a duplicate definition, an
/// exhausted reservation and an unresolved name change nothing, and the image goes on.
#[test]
fn remote_failed_appends_change_nothing() {
    for target in TARGETS {
        let mut opts = options(target, false);
        opts.reserve = Some((64 << 10, 64 << 10, 64 << 10));
        let mut jit = RemoteJit::new(opts).unwrap();
        jit.add_source("a.c", "int f(int x) { return x + 1; }")
            .unwrap();
        let before = observe(&jit);
        let dup = jit
            .add_source(
                "b.c",
                "int g(int x) { return 3; } int f(int x) { return 2; }",
            )
            .unwrap_err();
        assert!(
            dup.to_string().contains("duplicate definition of `f`"),
            "{target}: {dup}"
        );
        let big = jit
            .add_source(
                "big.c",
                "char big[1 << 20] = {1}; int h(int x) { return big[x]; }",
            )
            .unwrap_err();
        assert!(big.to_string().contains("exhausted"), "{target}: {big}");
        let undef = jit
            .add_source(
                "u.c",
                "int nowhere(int);\nint k(int x) { return nowhere(x); }",
            )
            .unwrap_err();
        assert!(undef.to_string().contains("`nowhere`"), "{target}: {undef}");
        assert_eq!(observe(&jit), before, "{target}");
        assert!(
            jit.lookup("g").is_none() && jit.lookup("h").is_none(),
            "{target}"
        );
        assert_eq!(int_call(&mut jit, "f", 1), 2, "{target}");
        jit.add_source("c.c", "int f(int);\nint m(int x) { return f(x) * 2; }")
            .unwrap();
        assert_eq!(int_call(&mut jit, "m", 4), 10, "{target}");
    }
}

const TWO: &str = "int foo(int x) { return x + 1; }\n\
                   int bar(int x) { return x * 2; }\n\
                   int both(int x) { return foo(x) + bar(x); }\n";

/// Batches of tests/reload.rs on each target: two functions replaced as one generation with
/// their addresses kept, a batch with a bad member refused whole, replacements that bring
/// writable data or other public functions refused, old bodies still named.
#[test]
fn remote_batch_reloads_are_all_or_nothing() {
    for target in TARGETS {
        let mut jit = RemoteJit::new(options(target, true)).unwrap();
        jit.add_source("two.c", TWO).unwrap();
        let addrs = (jit.lookup("foo"), jit.lookup("bar"));
        assert_eq!(int_call(&mut jit, "both", 3), 4 + 6, "{target}");
        let old_foo_body = jit
            .low_level()
            .session()
            .all_symbols()
            .find(|s| s.name.starts_with("foo$body"))
            .map(|s| s.addr)
            .expect("the reloadable foo has a body symbol");
        let foo2 = jit
            .compile("foo2.c", "int foo(int x) { return x + 100; }")
            .unwrap();
        for (bad, expect) in [
            ("int bar(double x) { return x * 1000; }", "parameter"),
            (
                "static int n; int bar(int x) { return x * n++; }",
                "writable data",
            ),
            (
                "int bar(int x) { return x; } int baz(void) { return 0; }",
                "public symbol `baz`",
            ),
        ] {
            let generation = jit.generation();
            let bad = jit.compile("bar_bad.c", bad).unwrap();
            let err = jit
                .reload_functions_with(&[("foo", &foo2), ("bar", &bad)], cfree::AbiCheck::Required)
                .unwrap_err();
            assert!(matches!(err, cfree::Error::Reload(_)), "{target}: {err:?}");
            assert!(err.to_string().contains(expect), "{target}: {err}");
            assert_eq!(jit.generation(), generation, "{target}");
            assert_eq!(int_call(&mut jit, "both", 3), 4 + 6, "{target}");
        }
        let bar2 = jit
            .compile("bar2.c", "int bar(int x) { return x * 1000; }")
            .unwrap();
        let generation = jit.generation();
        jit.reload_functions_with(&[("foo", &foo2), ("bar", &bar2)], cfree::AbiCheck::Required)
            .unwrap();
        assert_eq!(jit.generation(), generation + 1, "{target}: one generation");
        assert_eq!((jit.lookup("foo"), jit.lookup("bar")), addrs, "{target}");
        assert_eq!(int_call(&mut jit, "both", 3), 103 + 3000, "{target}");
        // The old body is still mapped and named, for frames still inside it.
        let (name, off) = jit.addr_to_sym(old_foo_body).unwrap();
        assert!(
            name.starts_with("foo$body") && off == 0,
            "{target}: {name}+{off}"
        );
    }
}

/// Without the target's gcc (to build the executor) or qemu-user (to run it) `cfree run
/// --target` says which is missing and which Debian packages provide it.
#[test]
fn run_target_without_the_cross_tools_says_what_is_missing() {
    let dir = common::scratch_dir("remote/no-tools");
    let cache = dir.join("cache");
    let _ = std::fs::remove_dir_all(&cache);
    let src = common::repo_root().join("examples/hello.c");
    let out = Command::new(cfree())
        .args(["run", "--target", "aarch64-linux-gnu"])
        .arg(&src)
        .env("PATH", &dir)
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot build the aarch64-linux-gnu executor with aarch64-linux-gnu-gcc")
            && err.contains("gcc-aarch64-linux-gnu"),
        "{err}"
    );
}

/// The README's example on each target: what the target's gcc build prints under qemu.
#[test]
fn hello_example_runs_on_each_target() {
    let dir = common::scratch_dir("remote/hello");
    let src = common::repo_root().join("examples/hello.c");
    for target in ["aarch64-linux-gnu", "riscv64-linux-gnu"] {
        let want = gcc_run(target, &src, &dir, &["a"], "");
        let got = cfree_run(target, &src, &["a"], "");
        let got_text =
            String::from_utf8_lossy(&got.stdout).replace(&*src.to_string_lossy(), "PROG");
        let exe = dir.join(format!("gcc-{target}"));
        let want_text =
            String::from_utf8_lossy(&want.stdout).replace(&*exe.to_string_lossy(), "PROG");
        assert_eq!(
            got_text,
            want_text,
            "{target}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert!(
            got_text.starts_with("hello, world from PROG (1 argument)"),
            "{got_text}"
        );
        assert_eq!(got.status.code(), want.status.code());
    }
}

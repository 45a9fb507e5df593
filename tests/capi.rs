//! The C API as C hosts use it: each program in tests/capi/ is compiled with the system `cc`
//! against include/cfree.h and linked with the libcfree built alongside this test, then run.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the libcfree.so / libcfree.a of this build, built now.
///
/// `cargo test` links the library into the test harness as an rlib but does not refresh the
/// cdylib and staticlib next to the binary, so the test builds them itself (once per run, with
/// the same profile and target directory) rather than testing a stale library.
fn lib_dir() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let bin = PathBuf::from(env!("CARGO_BIN_EXE_cfree"));
            let dir = bin.parent().expect("binary has a directory").to_path_buf();
            let target_dir = dir.parent().expect("profile directory has a parent");
            let release = dir.file_name().is_some_and(|n| n == "release");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut cmd = Command::new(cargo);
            cmd.current_dir(root())
                .args(["build", "--lib", "-p", "cfree", "--target-dir"])
                .arg(target_dir);
            if release {
                cmd.arg("--release");
            }
            let out = cmd.output().expect("run cargo build --lib");
            assert!(
                out.status.success(),
                "cargo build --lib failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                dir.join("libcfree.so").exists() && dir.join("libcfree.a").exists(),
                "libcfree.so / libcfree.a not found in {}",
                dir.display()
            );
            dir
        })
        .clone()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfree-capi-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn cc(args: &[&str], what: &str) {
    let out = Command::new("cc")
        .args(args)
        .output()
        .expect("cc (gcc) must be installed for the C API tests");
    assert!(
        out.status.success(),
        "{what}: cc {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds tests/capi/<name>.c against the shared library and runs it.
fn run_c_host(name: &str, extra_cflags: &[&str]) -> String {
    run_c_host_with(name, extra_cflags, &[])
}

fn run_c_host_with(name: &str, extra_cflags: &[&str], host_args: &[&str]) -> String {
    let dir = scratch(name);
    let exe = dir.join(name);
    let lib = lib_dir();
    let src = root().join("tests/capi").join(format!("{name}.c"));
    let include = root().join("include");
    let rpath = format!("-Wl,-rpath,{}", lib.display());
    let mut args = vec![
        "-std=c11",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-O1",
        "-I",
        include.to_str().expect("utf-8 path"),
        src.to_str().expect("utf-8 path"),
        "-o",
        exe.to_str().expect("utf-8 path"),
        "-L",
        lib.to_str().expect("utf-8 path"),
        &rpath,
        "-lcfree",
        "-lpthread",
    ];
    args.extend_from_slice(extra_cflags);
    cc(&args, name);
    run_args(&exe, name, host_args)
}

fn run(exe: &Path, name: &str) -> String {
    run_args(exe, name, &[])
}

fn run_args(exe: &Path, name: &str, args: &[&str]) -> String {
    let out = Command::new(exe).args(args).output().expect("run C host");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(exe.parent().unwrap_or(exe));
    stdout
}

#[test]
fn header_compiles_cleanly_as_c11_and_c99() {
    let header = root().join("include/cfree.h");
    let h = header.to_str().expect("utf-8 path");
    cc(
        &[
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            "-fsyntax-only",
            "-x",
            "c",
            h,
        ],
        "header as C11",
    );
    cc(
        &[
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            "-fsyntax-only",
            "-x",
            "c",
            h,
        ],
        "header as C99",
    );
}

#[test]
fn basic_host() {
    assert!(run_c_host("basic", &["-lm"]).contains("basic: ok"));
}

#[test]
fn introspect_host() {
    assert!(run_c_host("introspect", &["-lm"]).contains("introspect: ok"));
}

#[test]
fn reload_host() {
    assert!(run_c_host("reload", &[]).contains("reload: ok"));
}

#[test]
fn fork_keeps_parent_and_child_images_apart() {
    assert!(run_c_host("fork", &[]).contains("fork: ok"));
}

#[test]
fn last_error_is_per_thread() {
    assert!(run_c_host("errors_threads", &["-pthread"]).contains("errors_threads: ok"));
}

#[test]
fn concurrent_reload_stress_host() {
    assert!(run_c_host("stress", &[]).contains("stress: ok"));
}

/// The same C calls on an AArch64 image in the executor under qemu, and on the host's own.
#[test]
fn remote_image_host() {
    assert!(run_c_host_with("remote", &[], &["aarch64-linux-gnu"]).contains("remote: ok"));
    assert!(run_c_host_with("remote", &[], &[]).contains("remote: ok"));
}

#[test]
fn thousands_of_snippets_host() {
    assert!(run_c_host("snippets", &[]).contains("snippets: ok"));
}

/// The static library links into a host with only the system libraries rustc's std needs.
#[test]
fn static_library_links() {
    let dir = scratch("static");
    let exe = dir.join("basic_static");
    let lib = lib_dir().join("libcfree.a");
    assert!(lib.exists(), "{} missing", lib.display());
    let include = root().join("include");
    let src = root().join("tests/capi/basic.c");
    cc(
        &[
            "-std=c11",
            "-Wall",
            "-Werror",
            "-I",
            include.to_str().expect("utf-8 path"),
            src.to_str().expect("utf-8 path"),
            lib.to_str().expect("utf-8 path"),
            "-o",
            exe.to_str().expect("utf-8 path"),
            "-lpthread",
            "-ldl",
            "-lm",
            "-lgcc_s",
        ],
        "static link",
    );
    assert!(run(&exe, "basic_static").contains("basic: ok"));
}

/// `cfree_jit_set_options` (quoting, -I -D -U -std= -O -g -w -W, transactional errors naming
/// the option) and the diagnostic callback (records in order, places as gcc reports them).
#[test]
fn options_and_diagnostics_host() {
    assert!(run_c_host("options", &[]).contains("options: ok"));
}

/// Faults in JIT code caught with a symbolized backtrace (null dereference, division by zero,
/// stack overflow, abort, assert, bad calls; through call, protect and run_main; two
/// threads); host faults still reach the host's handler; handlers restored at free.
#[test]
fn faults_host() {
    assert!(run_c_host("faults", &[]).contains("faults: ok"));
}

/// Builds the inputs `tests/capi/files.c` adds, with gcc and ar, into a scratch directory:
/// a shared library, an object, an archive, and broken files of every kind.
fn build_file_fixtures() -> PathBuf {
    let dir = scratch("files-fixtures");
    let fx = root().join("tests/capi/fixtures");
    let p = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_owned();
    let src = |name: &str| fx.join(name).to_str().expect("utf-8 path").to_owned();
    for f in ["source.c", "source.h"] {
        std::fs::copy(fx.join(f), dir.join(f)).expect("copy fixture");
    }
    cc(
        &[
            "-shared",
            "-fPIC",
            &src("shared_lib.c"),
            "-o",
            &p("libfixshared.so"),
        ],
        "shared library",
    );
    cc(&["-c", &src("object.c"), "-o", &p("object.o")], "object");
    let mut members = Vec::new();
    for m in ["arch_a", "arch_b", "arch_clash"] {
        let o = p(&format!("{m}.o"));
        cc(&["-c", &src(&format!("{m}.c")), "-o", &o], m);
        members.push(o);
    }
    let out = Command::new("ar")
        .arg("rcs")
        .arg(p("libfixarch.a"))
        .args(&members)
        .output()
        .expect("ar must be installed");
    assert!(
        out.status.success(),
        "ar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    cc(
        &["-no-pie", &src("program.c"), "-o", &p("program")],
        "executable",
    );
    let object = std::fs::read(p("object.o")).expect("object.o");
    // The same object claiming to be AArch64's (e_machine 183).
    let mut other = object.clone();
    other[18..20].copy_from_slice(&183u16.to_le_bytes());
    let files: [(&str, Vec<u8>); 6] = [
        ("aarch64.o", other),
        ("truncated.o", object[..12].to_vec()),
        ("garbage.bin", b"\x01\x02\x00\x03 not a C file".to_vec()),
        (
            "bad_archive.a",
            b"!<arch>\nthis is no member header".to_vec(),
        ),
        (
            "broken.so",
            b"this is neither ELF nor a linker script".to_vec(),
        ),
        ("error.c", b"int broken = ;\n".to_vec()),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).expect("write fixture");
    }
    dir
}

/// `cfree_jit_add_file` by contents, archives pulled as needed, libraries by name and by
/// -L/-l, and bad files failing with the JIT unchanged.
#[test]
fn files_and_libraries_host() {
    let dir = build_file_fixtures();
    let d = dir.to_str().expect("utf-8 path");
    assert!(run_c_host_with("files", &[], &[d]).contains("files: ok"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cfree_jit_run_main`: main's result for each signature, argv, envp, exit() returning its
/// status with stdio flushed, atexit handlers at free.
#[test]
fn run_main_host() {
    let out = run_c_host("run_main", &[]);
    assert!(out.contains("leaving\nleaving\nrun_main: ok"), "{out}");
}

//! Real programs: C libraries and programs bundled by crates.io `-sys` crates (Lua 5.4,
//! SQLite, zlib, bzip2, lz4, ...), built once by gcc and once by cfree from the same sources
//! with the same options and no workarounds, run on the same inputs; the outputs must be
//! byte-identical. Expected output always comes from the gcc build.
//!
//! The sources are fetched by `scripts/fetch-programs.sh` (run by `scripts/test.sh`, and by
//! this test when `target/programs/sources.txt` is missing): a throwaway cargo package
//! depends on the crates at pinned versions and `cargo metadata` locates them in cargo's
//! registry cache. Nothing third-party is committed; the test drivers we wrote are in
//! `tests/programs/`.
//!
//! What each program runs:
//! * `lua`: the interpreter (every core `.c` but `luac.c`, `-DLUA_USE_LINUX`, plus our
//!   `lua_driver.c` since lua-src ships no `lua.c`) under `cfree run -O2`, on the scripts of
//!   `tests/programs/lua/` (lua-src lacks Lua's `testes/`; these exercise the VM instead).
//! * `sqlite`: `sqlite3.c` compiled once by `cfree cc -O2 -c`, linked by gcc with our
//!   `sqlite_test.c` (tables, indexes, joins, transactions, blobs, floating point, printf).
//! * `zlib`: our `zlib_test.c` driver with zlib's sources under `cfree run -O2`: deflate at
//!   several levels/strategies/wrappers (hash of the compressed bytes), inflate round trips.
//! * `bzip2`: bzip2's own `bzip2` program: decompress the shipped samples, compress files.
//! * `lz4`: lz4's own `lz4` command-line program: compress at several levels, decompress.
//!
//! # The ratchet
//!
//! `tests/programs/known-failures.txt` lists the programs that fail today because of a cfree
//! bug (with the reason). A listed program that passes fails the test (remove it); an
//! unlisted program that fails is a regression.

mod common;

use common::{first_difference, head_lines, run_with_timeout, Outcome};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const GCC_TIMEOUT: Duration = Duration::from_secs(300);
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

fn cfree() -> &'static str {
    env!("CARGO_BIN_EXE_cfree")
}

fn programs_dir() -> PathBuf {
    common::repo_root().join("tests/programs")
}

fn crate_dir(name: &str) -> PathBuf {
    common::program_crate_dir(name)
}

fn known_failures() -> Vec<String> {
    let path = programs_dir().join("known-failures.txt");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn c_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .filter(|p| !skip.iter().any(|s| p.file_name().is_some_and(|f| f == *s)))
        .collect();
    v.sort();
    v
}

fn run(cmd: Command, timeout: Duration) -> Outcome {
    run_with_timeout(cmd, timeout)
}

/// Builds an executable with gcc; panics (this is the reference) if gcc fails.
fn gcc_build(out: &Path, options: &[&str], files: &[PathBuf], libs: &[&str]) {
    let mut cmd = Command::new("gcc");
    cmd.args(["-w", "-O2"])
        .args(options)
        .args(files)
        .arg("-o")
        .arg(out)
        .args(libs);
    let o = run(cmd, GCC_TIMEOUT);
    assert!(
        o.status.success(),
        "gcc failed to build {}:\n{}",
        out.display(),
        head_lines(&o.stderr_text(), 30)
    );
}

/// One case's problems (empty when the cfree build behaved exactly like gcc's).
fn compare(what: &str, expected: &Outcome, actual: &Outcome) -> Vec<String> {
    let mut p = Vec::new();
    if expected.status != actual.status {
        p.push(format!(
            "{what}: gcc build {}, cfree build {}\n  cfree stderr:\n{}",
            expected.status,
            actual.status,
            head_lines(&actual.stderr_text(), 20)
        ));
    }
    if let Some(d) = first_difference(&format!("{what}: stdout"), &expected.stdout, &actual.stdout)
    {
        p.push(d);
    }
    p
}

/// Applies the ratchet to a program's problems.
fn verdict(program: &str, problems: Vec<String>) {
    let known = known_failures().iter().any(|k| k == program);
    match (problems.is_empty(), known) {
        (true, false) => eprintln!("{program}: matches gcc"),
        (true, true) => {
            panic!("{program} now matches gcc: remove it from tests/programs/known-failures.txt")
        }
        (false, true) => eprintln!("{program}: known failure: {}", problems[0].trim_end()),
        (false, false) => panic!("{program} differs from gcc:\n{}", problems.join("\n")),
    }
}

/// Compiles `files` with `cfree cc -O2 -c` into a fresh directory `objdir`; returns the
/// objects, or cfree's complaint.
fn cfree_objects(
    objdir: &Path,
    options: &[&str],
    files: &[PathBuf],
) -> Result<Vec<PathBuf>, String> {
    let _ = std::fs::remove_dir_all(objdir);
    std::fs::create_dir_all(objdir).unwrap();
    let mut cmd = Command::new(cfree());
    cmd.args(["cc", "-w", "-O2", "-c"])
        .args(options)
        .args(files)
        .current_dir(objdir);
    let o = run(cmd, GCC_TIMEOUT);
    if !o.status.success() {
        return Err(format!(
            "cfree cc -c: {}\n{}",
            o.status,
            head_lines(&o.stderr_text(), 20)
        ));
    }
    Ok(c_objects(objdir, files))
}

/// The objects `cc -c` leaves in `dir` for `files` (one `NAME.o` per `NAME.c`).
fn c_objects(dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|f| dir.join(Path::new(f.file_name().unwrap()).with_extension("o")))
        .collect()
}

/// `cfree run` of `files` with `options`, program arguments `args`, from `cwd`.
fn cfree_run(
    options: &[&str],
    files: &[PathBuf],
    libs: &[&str],
    args: &[&str],
    cwd: &Path,
) -> Outcome {
    let mut cmd = Command::new(cfree());
    cmd.args(["run", "-w"])
        .args(options)
        .args(files)
        .args(libs)
        .arg("--")
        .args(args)
        .current_dir(cwd);
    run(cmd, RUN_TIMEOUT)
}

fn exe(exe: &Path, args: &[&str], cwd: &Path) -> Outcome {
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(cwd);
    run(cmd, RUN_TIMEOUT)
}

/// Runs every argument list under the gcc build and under `cfree run`, comparing.
fn differential_runs(
    name: &str,
    options: &[&str],
    files: &[PathBuf],
    libs: &[&str],
    arg_sets: &[Vec<String>],
    cwd: &Path,
) -> Vec<String> {
    let scratch = common::scratch_dir(&format!("programs/{name}"));
    let gcc_exe = scratch.join(format!("{name}-gcc"));
    gcc_build(&gcc_exe, options, files, libs);
    let mut problems = Vec::new();
    for args in arg_sets {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected = exe(&gcc_exe, &args, cwd);
        assert!(
            expected.status.success(),
            "{name} {args:?}: the gcc build failed ({}):\n{}",
            expected.status,
            head_lines(&expected.stderr_text(), 10)
        );
        let mut cf_opts = vec!["-O2"];
        cf_opts.extend_from_slice(options);
        let actual = cfree_run(&cf_opts, files, libs, &args, cwd);
        problems.extend(compare(
            &format!("{name} {}", args.join(" ")),
            &expected,
            &actual,
        ));
    }
    problems
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Real files to compress: text and binary.
fn sample_files() -> Vec<String> {
    let mut v: Vec<String> = [
        "/usr/share/common-licenses/GPL-3",
        "/usr/share/common-licenses/Apache-2.0",
    ]
    .iter()
    .filter(|p| Path::new(p).is_file())
    .map(|s| s.to_string())
    .collect();
    v.push("/bin/ls".into());
    v
}

#[test]
fn lua() {
    let dir = crate_dir("lua-src").join("lua-5.4.8");
    let mut files = c_files(&dir, &["luac.c"]);
    files.push(programs_dir().join("lua_driver.c"));
    let inc = format!("-I{}", dir.display());
    let scripts_dir = programs_dir().join("lua");
    let mut scripts: Vec<String> = std::fs::read_dir(&scripts_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 8, "tests/programs/lua/ lost its scripts");
    let sets: Vec<Vec<String>> = scripts.into_iter().map(|s| vec![s]).collect();
    let p = differential_runs(
        "lua",
        &["-DLUA_USE_LINUX", &inc],
        &files,
        &["-lm", "-ldl"],
        &sets,
        &scripts_dir,
    );
    verdict("lua", p);
}

#[test]
fn sqlite() {
    let dir = crate_dir("libsqlite3-sys").join("sqlite3");
    let scratch = common::scratch_dir("programs/sqlite");
    let amalgamation = dir.join("sqlite3.c");
    let defs = ["-DSQLITE_ENABLE_MATH_FUNCTIONS", "-DSQLITE_THREADSAFE=1"];
    let test = programs_dir().join("sqlite_test.c");
    let inc = format!("-I{}", dir.display());
    // gcc's object and cfree's object are compiled concurrently (two cores).
    let gcc_obj = scratch.join("sqlite3-gcc.o");
    let cf_obj = scratch.join("sqlite3-cfree.o");
    let gcc_job = {
        let (a, o) = (amalgamation.clone(), gcc_obj.clone());
        std::thread::spawn(move || {
            let mut cmd = Command::new("gcc");
            cmd.args(["-w", "-O2", "-c"])
                .args(defs)
                .arg(&a)
                .arg("-o")
                .arg(&o);
            run(cmd, GCC_TIMEOUT)
        })
    };
    let mut cmd = Command::new(cfree());
    cmd.args(["cc", "-w", "-O2", "-c"])
        .args(defs)
        .arg(&amalgamation)
        .arg("-o")
        .arg(&cf_obj);
    let cf = run(cmd, GCC_TIMEOUT);
    let g = gcc_job.join().unwrap();
    assert!(
        g.status.success(),
        "gcc failed on sqlite3.c:\n{}",
        head_lines(&g.stderr_text(), 20)
    );
    if !cf.status.success() {
        let msg = format!(
            "cfree cc sqlite3.c: {}\n{}",
            cf.status,
            head_lines(&cf.stderr_text(), 20)
        );
        return verdict("sqlite", vec![msg]);
    }
    let link = |obj: &Path, out: &Path| {
        let mut cmd = Command::new("gcc");
        cmd.args(["-w", "-O2", &inc])
            .arg(&test)
            .arg(obj)
            .arg("-o")
            .arg(out)
            .args(["-lm", "-lpthread"]);
        run(cmd, GCC_TIMEOUT)
    };
    let (ge, ce) = (scratch.join("sqlite-gcc"), scratch.join("sqlite-cfree"));
    let l = link(&gcc_obj, &ge);
    assert!(
        l.status.success(),
        "gcc link failed:\n{}",
        head_lines(&l.stderr_text(), 20)
    );
    let l = link(&cf_obj, &ce);
    if !l.status.success() {
        let msg = format!(
            "linking cfree's sqlite3.o: {}\n{}",
            l.status,
            head_lines(&l.stderr_text(), 20)
        );
        return verdict("sqlite", vec![msg]);
    }
    let expected = exe(&ge, &[], &scratch);
    assert!(
        expected.status.success(),
        "the gcc build of sqlite_test failed"
    );
    let actual = exe(&ce, &[], &scratch);
    verdict("sqlite", compare("sqlite_test", &expected, &actual));
}

#[test]
fn zlib() {
    let dir = crate_dir("libz-sys").join("src/zlib");
    let mut files = c_files(&dir, &[]);
    files.push(programs_dir().join("zlib_test.c"));
    let inc = format!("-I{}", dir.display());
    let p = differential_runs(
        "zlib",
        &["-DZ_HAVE_UNISTD_H", "-D_LARGEFILE64_SOURCE=1", &inc],
        &files,
        &[],
        &[sample_files()],
        &common::scratch_dir("programs/zlib"),
    );
    verdict("zlib", p);
}

#[test]
fn bzip2() {
    let dir = crate_dir("bzip2-sys").join("bzip2-1.0.8");
    let names = [
        "blocksort.c",
        "huffman.c",
        "crctable.c",
        "randtable.c",
        "compress.c",
        "decompress.c",
        "bzlib.c",
        "bzip2.c",
    ];
    let files: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let mut sets = Vec::new();
    for s in ["sample1", "sample2", "sample3"] {
        sets.push(strings(&["-dc", &format!("{}/{s}.bz2", dir.display())]));
        sets.push(strings(&[
            "-c",
            "-9",
            &format!("{}/{s}.ref", dir.display()),
        ]));
    }
    for (i, f) in sample_files().iter().enumerate() {
        sets.push(vec![
            "-c".into(),
            format!("-{}", 1 + 4 * (i % 3)),
            f.clone(),
        ]);
    }
    let p = differential_runs(
        "bzip2",
        &["-D_FILE_OFFSET_BITS=64"],
        &files,
        &[],
        &sets,
        &common::scratch_dir("programs/bzip2"),
    );
    verdict("bzip2", p);
}

#[test]
fn lz4() {
    let dir = crate_dir("lz4-sys").join("liblz4");
    let mut files = c_files(&dir.join("lib"), &[]);
    files.extend(c_files(&dir.join("programs"), &[]));
    let inc = format!("-I{}", dir.join("lib").display());
    let scratch = common::scratch_dir("programs/lz4");
    let mut sets = Vec::new();
    for f in sample_files() {
        for level in ["-1", "-9", "--fast=3", "-12"] {
            sets.push(strings(&["-c", level, &f]));
        }
    }
    let mut p = differential_runs("lz4", &[&inc], &files, &["-lpthread"], &sets, &scratch);
    // Streams compressed by the gcc build, decompressed by both builds.
    let mut dsets = Vec::new();
    for (i, f) in sample_files().iter().enumerate() {
        let packed = scratch.join(format!("input{i}.lz4"));
        let o = exe(
            &scratch.join("lz4-gcc"),
            &["-f", "-5", f, &packed.to_string_lossy()],
            &scratch,
        );
        assert!(o.status.success(), "gcc-built lz4 failed on {f}");
        dsets.push(strings(&["-dc", &packed.to_string_lossy()]));
    }
    p.extend(differential_runs(
        "lz4",
        &[&inc],
        &files,
        &["-lpthread"],
        &dsets,
        &scratch,
    ));
    verdict("lz4", p);
}

#[test]
fn zstd() {
    let lib = crate_dir("zstd-sys").join("zstd/lib");
    let mut files = Vec::new();
    for sub in ["common", "compress", "decompress", "dictBuilder"] {
        files.extend(c_files(&lib.join(sub), &[]));
    }
    files.push(programs_dir().join("zstd_test.c"));
    // zstd's one assembly file (the default build of zstd-sys uses it) is assembled by gcc
    // and linked into both builds.
    let asm = lib.join("decompress/huf_decompress_amd64.S");
    let inc = format!("-I{}", lib.display());
    let scratch = common::scratch_dir("programs/zstd");
    let gcc_exe = scratch.join("zstd-gcc");
    let mut all = files.clone();
    all.push(asm.clone());
    gcc_build(&gcc_exe, &[&inc], &all, &[]);
    let args = sample_files();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let expected = exe(&gcc_exe, &args, &scratch);
    assert!(
        expected.status.success(),
        "the gcc build of zstd_test failed"
    );
    let objs = match cfree_objects(&scratch.join("obj"), &[&inc], &files) {
        Ok(o) => o,
        Err(e) => return verdict("zstd", vec![e]),
    };
    let cf_exe = scratch.join("zstd-cfree");
    let mut cmd = Command::new("gcc");
    cmd.arg("-w").args(&objs).arg(&asm).arg("-o").arg(&cf_exe);
    let l = run(cmd, GCC_TIMEOUT);
    if !l.status.success() {
        return verdict(
            "zstd",
            vec![format!("link: {}", head_lines(&l.stderr_text(), 20))],
        );
    }
    let actual = exe(&cf_exe, &args, &scratch);
    verdict("zstd", compare("zstd_test", &expected, &actual));
}

#[test]
fn libdeflate() {
    let root = crate_dir("libdeflate-sys").join("libdeflate");
    let lib = root.join("lib");
    let mut files: Vec<PathBuf> = ["arm/cpu_features.c", "x86/cpu_features.c"]
        .iter()
        .map(|f| lib.join(f))
        .collect();
    files.extend(c_files(&lib, &[]));
    let progs = root.join("programs");
    // programs/config.h is generated by libdeflate's CMake; glibc has every feature it asks.
    let scratch = common::scratch_dir("programs/libdeflate");
    let inc_dir = scratch.join("include");
    std::fs::create_dir_all(&inc_dir).unwrap();
    let config = [
        "HAVE_CLOCK_GETTIME",
        "HAVE_FUTIMENS",
        "HAVE_POSIX_FADVISE",
        "HAVE_POSIX_MADVISE",
        "HAVE_STAT_NANOSECOND_PRECISION",
    ]
    .iter()
    .map(|d| format!("#define {d} 1\n"))
    .collect::<String>();
    std::fs::write(inc_dir.join("config.h"), config).unwrap();
    let (i1, i2) = (
        format!("-I{}", root.display()),
        format!("-I{}", inc_dir.display()),
    );
    let opts = [i1.as_str(), i2.as_str()];
    let util = ["prog_util.c", "tgetopt.c"].map(|f| progs.join(f));
    let mut gzip = files.clone();
    gzip.push(progs.join("gzip.c"));
    gzip.extend(util.iter().cloned());
    let mut sets = Vec::new();
    for f in sample_files() {
        for level in ["-1", "-6", "-12"] {
            sets.push(strings(&["-c", level, &f]));
        }
    }
    let mut p = differential_runs("libdeflate-gzip", &opts, &gzip, &[], &sets, &scratch);
    // libdeflate's own test programs (they check themselves and exit 0 on success).
    for t in [
        "test_checksums",
        "test_custom_malloc",
        "test_incomplete_codes",
        "test_invalid_streams",
        "test_litrunlen_overflow",
        "test_overread",
        "test_slow_decompression",
        "test_trailing_bytes",
    ] {
        let mut srcs = files.clone();
        srcs.push(progs.join(format!("{t}.c")));
        srcs.push(progs.join("test_util.c"));
        srcs.extend(util.iter().cloned());
        p.extend(differential_runs(
            t,
            &opts,
            &srcs,
            &["-lz"],
            &[vec![]],
            &scratch,
        ));
    }
    verdict("libdeflate", p);
}

#[test]
fn mimalloc() {
    let root = crate_dir("libmimalloc-sys").join("c_src/mimalloc/v2");
    let files = vec![
        root.join("src/static.c"),
        programs_dir().join("mimalloc_test.c"),
    ];
    let inc = format!("-I{}", root.join("include").display());
    // the defines libmimalloc-sys's build.rs uses for a release build
    let opts = [
        "-DMI_DEBUG=0",
        "-DMI_BUILD_RELEASE",
        "-DNDEBUG",
        inc.as_str(),
    ];
    let scratch = common::scratch_dir("programs/mimalloc");
    let p = differential_runs(
        "mimalloc",
        &opts,
        &files,
        &["-lpthread"],
        &[vec![]],
        &scratch,
    );
    verdict("mimalloc", p);
}

#[test]
fn pcre2() {
    let up = crate_dir("pcre2-sys").join("upstream");
    // pcre2-sys's build.rs: every src/*.c but those pcre2_jit_compile.c and pcre2_tables.c
    // include, with its defines; the JIT (sljit) is on.
    let mut files = c_files(
        &up.join("src"),
        &["pcre2_jit_match.c", "pcre2_jit_misc.c", "pcre2_ucptables.c"],
    );
    files.push(programs_dir().join("pcre2_test.c"));
    let incs = ["src", "deps", "include"].map(|d| format!("-I{}", up.join(d).display()));
    let mut opts = vec![
        "-DPCRE2_CODE_UNIT_WIDTH=8",
        "-DHAVE_STDLIB_H=1",
        "-DHAVE_MEMMOVE=1",
        "-DHAVE_CONFIG_H=1",
        "-DPCRE2_STATIC=1",
        "-DSTDC_HEADERS=1",
        "-DSUPPORT_PCRE2_8=1",
        "-DSUPPORT_UNICODE=1",
        "-DSUPPORT_JIT=1",
    ];
    opts.extend(incs.iter().map(String::as_str));
    let scratch = common::scratch_dir("programs/pcre2");
    let p = differential_runs("pcre2", &opts, &files, &[], &[vec![]], &scratch);
    verdict("pcre2", p);
}

#[test]
fn xz() {
    let base = crate_dir("lzma-sys");
    let xz = base.join("xz-5.2");
    let lib = xz.join("src/liblzma");
    // lzma-sys's build.rs: every .c of these directories but crc32_small/crc64_small (the
    // *_tablegen.c generators have main() and never reach its static library, so they are
    // left out here), plus two tuklib files; config.h from the crate's root; -std=c99.
    let mut files = Vec::new();
    for d in common::XZ_SOURCE_DIRS {
        files.extend(
            c_files(&lib.join(d), &["crc32_small.c", "crc64_small.c"])
                .into_iter()
                .filter(|f| !f.to_string_lossy().ends_with("_tablegen.c")),
        );
    }
    files.push(xz.join("src/common/tuklib_cpucores.c"));
    files.push(xz.join("src/common/tuklib_physmem.c"));
    let mut incs = common::xz_include_args(&base);
    incs.push(format!("-I{}", xz.join("tests").display()));
    let mut opts = vec!["-DHAVE_CONFIG_H=1", "-std=c99"];
    opts.extend(incs.iter().map(String::as_str));
    let mut driver = files.clone();
    driver.push(programs_dir().join("xz_test.c"));
    let scratch = common::scratch_dir("programs/xz");
    let mut p = differential_runs(
        "xz",
        &opts,
        &driver,
        &["-lpthread"],
        &[sample_files()],
        &scratch,
    );
    // xz's own self-checking unit tests (test_bcj_exact_size is left out: it needs a
    // compressed file the crate does not ship, and aborts with gcc too).
    for t in [
        "test_check",
        "test_block_header",
        "test_filter_flags",
        "test_index",
        "test_stream_flags",
    ] {
        let mut srcs = files.clone();
        srcs.push(xz.join(format!("tests/{t}.c")));
        p.extend(differential_runs(
            t,
            &opts,
            &srcs,
            &["-lpthread"],
            &[vec![]],
            &xz.join("tests"),
        ));
    }
    verdict("xz", p);
}

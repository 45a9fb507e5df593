//! gcc's warnings, as `cfree cc` reports them, checked against gcc itself.
//!
//! Every check runs the same file with the same options through `gcc -c` and `cfree cc -c`
//! and compares the warnings that carry one of the options cfree implements (the flag in
//! brackets, `[-Wunused-variable]` or `[-Werror=unused-variable]`) by file, line, severity
//! and flag; the expectation is gcc's output of this run, never a stored text.
//!
//! * `tests/warnings/*.c`: small programs that exercise each warning, under a dozen option
//!   sets (`-Wall`, `-Wextra`, `-Wno-...`, `-Werror`, `-Werror=...`, `-Wno-error=...`, `-w`,
//!   `#pragma GCC diagnostic` inside the files). A line that says `/* gap: why */` holds a
//!   case cfree is known to miss: gcc's warning there may be absent, but cfree must never
//!   warn where gcc does not. The exit status must match too.
//! * Real code (Lua, SQLite, zlib, bzip2, lz4, zstd, xz, pcre2, mimalloc, from the crates
//!   `scripts/fetch-programs.sh` fetches) under `-Wall -Wextra`: the same warnings as gcc,
//!   none missing, none extra.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The options cfree implements, as gcc prints them in brackets (without `-W`).
const IMPLEMENTED: &[&str] = &[
    "implicit-function-declaration",
    "int-conversion",
    "incompatible-pointer-types",
    "discarded-qualifiers",
    "pointer-sign",
    "return-type",
    "format=",
    "format-extra-args",
    "parentheses",
    "unused-variable",
    "unused-but-set-variable",
    "unused-parameter",
    "unused-but-set-parameter",
    "unused-function",
    "unused-label",
    "unused-value",
    "uninitialized",
    "maybe-uninitialized",
    "div-by-zero",
    "pragmas",
];

const TIMEOUT: Duration = Duration::from_secs(300);

/// One flagged diagnostic: file name (last component), line, `warning`/`error`, the flag as
/// printed (`unused-variable`, `error=unused-variable`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Flagged {
    file: String,
    line: u32,
    severity: String,
    flag: String,
}

/// A compiler's verdict on one file.
struct Report {
    ok: bool,
    /// Flagged diagnostics of implemented options, each with the lines it may be matched at
    /// (its own, and for gcc the places of the macro expansions its notes name).
    flagged: Vec<(Flagged, Vec<u32>)>,
    /// Some error carries an option cfree does not implement (then the exit status says
    /// nothing about the implemented ones).
    other_errors: bool,
    stderr: String,
}

/// `file:line:col: severity: message [-Wflag]` → its parts.
fn parse_line(l: &str) -> Option<(String, u32, String, Option<String>)> {
    let mut parts = l.splitn(5, ':');
    let file = parts.next()?;
    let line: u32 = parts.next()?.trim().parse().ok()?;
    let _col: u32 = parts.next()?.trim().parse().ok()?;
    let severity = parts.next()?.trim().to_string();
    let rest = parts.next()?;
    let flag = rest
        .trim_end()
        .strip_suffix(']')
        .and_then(|r| r.rfind("[-W").map(|i| r[i + 3..].to_string()));
    let name = Path::new(file).file_name()?.to_string_lossy().into_owned();
    Some((name, line, severity, flag))
}

fn implemented(flag: &str) -> bool {
    IMPLEMENTED.contains(&flag.strip_prefix("error=").unwrap_or(flag))
}

fn report(out: &common::Outcome) -> Report {
    let stderr = out.stderr_text();
    let mut flagged: Vec<(Flagged, Vec<u32>)> = Vec::new();
    let mut other_errors = false;
    let mut last_flagged = false;
    for l in stderr.lines() {
        let Some((file, line, severity, flag)) = parse_line(l) else {
            continue;
        };
        if severity == "note" {
            if last_flagged && l.contains("in expansion of macro") {
                if let Some(f) = flagged.last_mut() {
                    f.1.push(line);
                }
            }
            continue;
        }
        last_flagged = false;
        match flag {
            Some(flag) if implemented(&flag) => {
                let f = Flagged {
                    file,
                    line,
                    severity,
                    flag,
                };
                flagged.push((f, vec![line]));
                last_flagged = true;
            }
            _ => other_errors |= severity == "error",
        }
    }
    Report {
        ok: out.status.success(),
        flagged,
        other_errors,
        stderr,
    }
}

fn gcc(file: &Path, opts: &[&str]) -> Report {
    let mut cmd = Command::new("gcc");
    cmd.args(["-c", "-o", "/dev/null", "-fdiagnostics-color=never"])
        .args(opts)
        .arg(file);
    report(&common::run_with_timeout(cmd, TIMEOUT))
}

fn cfree(file: &Path, opts: &[&str]) -> Report {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfree"));
    cmd.args(["cc", "-c", "-o", "/dev/null"])
        .args(opts)
        .arg(file);
    report(&common::run_with_timeout(cmd, TIMEOUT))
}

/// The lines of `file` marked `/* gap: ... */`.
fn gap_lines(file: &Path) -> BTreeSet<u32> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains("/* gap:"))
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// What differs between gcc's and cfree's flagged warnings: cfree's extras always, gcc's
/// warnings cfree lacks unless on a gap line.
fn differences(expected: &Report, actual: &Report, gaps: &BTreeSet<u32>) -> Vec<String> {
    let matches = |g: &(Flagged, Vec<u32>), c: &Flagged| {
        g.0.file == c.file
            && g.0.severity == c.severity
            && g.0.flag == c.flag
            && g.1.contains(&c.line)
    };
    let mut out = Vec::new();
    for (c, _) in &actual.flagged {
        if !expected.flagged.iter().any(|g| matches(g, c)) {
            out.push(format!(
                "extra: {}:{}: {} [-W{}]",
                c.file, c.line, c.severity, c.flag
            ));
        }
    }
    for g in &expected.flagged {
        if !actual.flagged.iter().any(|(c, _)| matches(g, c)) && !gaps.contains(&g.0.line) {
            let f = &g.0;
            out.push(format!(
                "missing: {}:{}: {} [-W{}]",
                f.file, f.line, f.severity, f.flag
            ));
        }
    }
    out
}

/// Compares one file under one option set; returns the problems found.
fn compare(file: &Path, opts: &[&str], gaps: &BTreeSet<u32>) -> Vec<String> {
    let (g, c) = (gcc(file, opts), cfree(file, opts));
    let mut problems = differences(&g, &c, gaps);
    if !g.other_errors && g.ok != c.ok {
        problems.push(format!("exit status: gcc ok={} cfree ok={}", g.ok, c.ok));
    }
    if problems.is_empty() {
        return problems;
    }
    let shown = format!(
        "{} {}:\n  {}\n--- gcc:\n{}\n--- cfree:\n{}",
        file.display(),
        opts.join(" "),
        problems.join("\n  "),
        common::head_lines(&g.stderr, 40),
        common::head_lines(&c.stderr, 40)
    );
    vec![shown]
}

/// The option sets every corpus file runs under.
const OPTION_SETS: &[&[&str]] = &[
    &[],
    &["-Wall"],
    &["-Wextra"],
    &["-Wall", "-Wextra"],
    &["-Wunused"],
    &["-Wall", "-Wno-unused-variable", "-Wno-format"],
    &["-Wall", "-Werror=format", "-Werror=return-type"],
    &["-Wall", "-Wextra", "-Werror", "-Wno-error=unused-parameter"],
    &["-Wall", "-Werror", "-Wno-unused"],
    &["-w", "-Wall"],
    &[
        "-Wall",
        "-Wno-implicit-function-declaration",
        "-Wno-parentheses",
        "-Wno-uninitialized",
    ],
    &[
        "-Wformat",
        "-Wunused-but-set-variable",
        "-Wmaybe-uninitialized",
    ],
];

fn corpus(name: &str) {
    let file = common::repo_root().join("tests/warnings").join(name);
    let gaps = gap_lines(&file);
    let problems: Vec<String> = OPTION_SETS
        .iter()
        .flat_map(|opts| compare(&file, opts, &gaps))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn format_strings() {
    corpus("format.c");
}

#[test]
fn unused_things() {
    corpus("unused.c");
}

#[test]
fn control_flow_and_uninitialized() {
    corpus("flow.c");
}

#[test]
fn conversions_and_implicit_declarations() {
    corpus("conversions.c");
}

#[test]
fn pragmas_change_the_options_by_location() {
    corpus("pragmas.c");
}

/// Real code under `-Wall -Wextra`: the files gcc compiles, each compared.
fn real(files: &[PathBuf], opts: &[&str]) {
    let mut opts: Vec<&str> = opts.to_vec();
    opts.extend(["-Wall", "-Wextra"]);
    let mut compiled = 0;
    let mut problems = Vec::new();
    for f in files {
        problems.extend(compare(f, &opts, &BTreeSet::new()));
        compiled += 1;
    }
    assert!(compiled > 0, "no files");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

fn c_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    common::c_files(dir)
        .into_iter()
        .filter(|p| !skip.iter().any(|s| p.file_name().is_some_and(|f| f == *s)))
        .collect()
}

#[test]
fn real_code_lua() {
    let dir = common::program_crate_dir("lua-src").join("lua-5.4.8");
    real(&c_files(&dir, &[]), &["-DLUA_USE_LINUX"]);
}

#[test]
fn real_code_sqlite() {
    let f = common::program_crate_dir("libsqlite3-sys").join("sqlite3/sqlite3.c");
    real(&[f], &[]);
}

#[test]
fn real_code_zlib_bzip2_lz4() {
    let mut files = c_files(&common::program_crate_dir("libz-sys").join("src/zlib"), &[]);
    files.extend(c_files(
        &common::program_crate_dir("bzip2-sys").join("bzip2-1.0.8"),
        &[],
    ));
    files.extend(c_files(
        &common::program_crate_dir("lz4-sys").join("liblz4/lib"),
        &[],
    ));
    real(&files, &[]);
}

#[test]
fn real_code_zstd() {
    let lib = common::program_crate_dir("zstd-sys").join("zstd/lib");
    let files: Vec<PathBuf> = ["common", "compress", "decompress", "dictBuilder"]
        .iter()
        .flat_map(|d| c_files(&lib.join(d), &[]))
        .collect();
    real(&files, &[]);
}

#[test]
fn real_code_xz() {
    let base = common::program_crate_dir("lzma-sys");
    let lib = base.join("xz-5.2/src/liblzma");
    let files: Vec<PathBuf> = common::XZ_SOURCE_DIRS
        .iter()
        .flat_map(|d| c_files(&lib.join(d), &["crc32_small.c", "crc64_small.c"]))
        .collect();
    let incs = common::xz_include_args(&base);
    let mut opts = vec!["-std=c99", "-DHAVE_CONFIG_H"];
    opts.extend(incs.iter().map(String::as_str));
    real(&files, &opts);
}

#[test]
fn real_code_pcre2_mimalloc() {
    let up = common::program_crate_dir("pcre2-sys").join("upstream");
    // The three files pcre2_jit_compile.c and pcre2_tables.c include (#error on their own).
    let files = c_files(
        &up.join("src"),
        &["pcre2_jit_match.c", "pcre2_jit_misc.c", "pcre2_ucptables.c"],
    );
    let incs = ["src", "deps", "include"].map(|d| format!("-I{}", up.join(d).display()));
    let mut opts = vec![
        "-DPCRE2_CODE_UNIT_WIDTH=8",
        "-DHAVE_CONFIG_H=1",
        "-DPCRE2_STATIC=1",
        "-DSUPPORT_UNICODE=1",
        "-DSUPPORT_JIT=1",
    ];
    opts.extend(incs.iter().map(String::as_str));
    real(&files, &opts);
    let mi = common::program_crate_dir("libmimalloc-sys").join("c_src/mimalloc/v2");
    let inc = format!("-I{}", mi.join("include").display());
    real(
        &[mi.join("src/static.c")],
        &["-DMI_DEBUG=0", "-DMI_BUILD_RELEASE", "-DNDEBUG", &inc],
    );
}

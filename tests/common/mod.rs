//! Shared helpers for the integration tests that run C programs through a compiler
//! (`tests/differential.rs`, `tests/torture.rs`).
//!
//! # The compiler under test
//!
//! By default that is the `cfree` binary cargo built for this test run
//! (`env!("CARGO_BIN_EXE_cfree")`), driven as
//!
//! ```text
//! cfree run [options] a.c [b.c ...] [-- program args]
//! ```
//!
//! # `CFREE_TEST_COMPILER`: cross-checking the harnesses themselves
//!
//! The environment variable `CFREE_TEST_COMPILER` replaces the words `cfree run` with any
//! other command (split on whitespace). Two command-line styles are understood:
//!
//! * **cfree style** (the default): `<command> [options] a.c b.c [-- args]`.
//!   Example: `CFREE_TEST_COMPILER="/path/to/other/cfree run"`.
//! * **tcc style**, chosen when the command's last word is `-run`:
//!   `<command without -run> [options] a.c -run b.c [args]` (tcc compiles every file and runs
//!   the last one, whose trailing words are the program's arguments).
//!   Example: `CFREE_TEST_COMPILER="tcc -run"`.
//!
//! This is how the harnesses are shown to be real while cfree itself is not ready:
//!
//! ```text
//! # must pass (except the few corpus programs tcc itself gets wrong):
//! CFREE_TEST_COMPILER="tcc -run" cargo test --test differential
//! # must fail everywhere (a "compiler" that runs nothing and exits 0):
//! CFREE_TEST_COMPILER="true" cargo test --test differential
//! # torture runner against tcc, ratchet file kept outside the repository:
//! CFREE_TEST_COMPILER="tcc -run" CFREE_TORTURE_KNOWN_FAILURES=/tmp/tcc-known.txt \
//!     CFREE_TORTURE_UPDATE=1 cargo test --release --test torture -- --nocapture
//! ```
//!
//! Every run prints which compiler it used (see [`Compiler::describe`]).
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Most bytes kept from a child's stdout or stderr; the rest is read and dropped
/// (so a runaway program can neither block on a full pipe nor eat the memory).
pub const OUTPUT_CAP: usize = 4 << 20;

/// The repository root (the root package's manifest directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A directory for scratch files of this test binary, created if needed.
pub fn scratch_dir(sub: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(sub);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// How a child process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Exited normally with this code.
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
    /// Still running at the deadline; it was killed.
    TimedOut,
    /// Could not be started at all.
    SpawnFailed(String),
}

impl Status {
    fn from_exit(s: ExitStatus) -> Status {
        use std::os::unix::process::ExitStatusExt;
        match (s.code(), s.signal()) {
            (Some(c), _) => Status::Exited(c),
            (None, Some(sig)) => Status::Signaled(sig),
            (None, None) => Status::Exited(-1),
        }
    }

    pub fn success(&self) -> bool {
        *self == Status::Exited(0)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Exited(c) => write!(f, "exit status {c}"),
            Status::Signaled(s) => write!(f, "killed by signal {s}"),
            Status::TimedOut => write!(f, "timed out"),
            Status::SpawnFailed(e) => write!(f, "could not be started: {e}"),
        }
    }
}

/// What a finished child left behind.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

fn read_capped(mut r: impl Read) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = OUTPUT_CAP.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    kept
}

fn kill_group(child: &mut Child) {
    // The child leads its own process group (see `run_with_timeout`), so this also ends
    // whatever it started (gcc's cc1/as/ld, ...), which would otherwise hold the pipes open.
    let pid = child.id();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
}

/// Runs `cmd` with stdin from /dev/null, captures stdout and stderr, and kills it (with
/// everything it started) if it is still running after `timeout`.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Outcome {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                status: Status::SpawnFailed(format!("{:?}: {e}", cmd.get_program())),
                stdout: Vec::new(),
                stderr: Vec::new(),
                elapsed: start.elapsed(),
            }
        }
    };
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || read_capped(out));
    let err_reader = thread::spawn(move || read_capped(err));
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Status::from_exit(s),
            Ok(None) => {}
            Err(e) => break Status::SpawnFailed(format!("wait failed: {e}")),
        }
        if start.elapsed() >= timeout {
            kill_group(&mut child);
            let _ = child.wait();
            break Status::TimedOut;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Outcome {
        status,
        stdout,
        stderr,
        elapsed,
    }
}

/// Command-line style of the compiler under test (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Cfree,
    Tcc,
}

/// The compiler under test: `cfree run`, or whatever `CFREE_TEST_COMPILER` says.
#[derive(Clone, Debug)]
pub struct Compiler {
    prefix: Vec<String>,
    style: Style,
    overridden: bool,
}

impl Compiler {
    pub fn from_env() -> Compiler {
        match std::env::var("CFREE_TEST_COMPILER") {
            Ok(s) if !s.trim().is_empty() => {
                let mut prefix: Vec<String> = s.split_whitespace().map(String::from).collect();
                let style = if prefix.last().map(String::as_str) == Some("-run") {
                    prefix.pop();
                    Style::Tcc
                } else {
                    Style::Cfree
                };
                Compiler {
                    prefix,
                    style,
                    overridden: true,
                }
            }
            _ => Compiler {
                prefix: vec![env!("CARGO_BIN_EXE_cfree").to_string(), "run".to_string()],
                style: Style::Cfree,
                overridden: false,
            },
        }
    }

    /// The compiler for `target` (`aarch64-linux-gnu`, `riscv64-linux-gnu`): cfree's objects
    /// linked by the target's gcc and run under qemu-user, through `scripts/cross-run.sh`.
    pub fn cross(target: &str) -> Compiler {
        let script = repo_root().join("scripts/cross-run.sh");
        Compiler {
            prefix: vec![
                "env".to_string(),
                format!("CFREE_BIN={}", env!("CARGO_BIN_EXE_cfree")),
                "bash".to_string(),
                script.display().to_string(),
                target.to_string(),
            ],
            style: Style::Cfree,
            overridden: false,
        }
    }

    /// `cfree run --target TARGET`: the program linked into an image in cfree's executor
    /// under qemu-user, the way users run another target's code.
    pub fn run_target(target: &str) -> Compiler {
        Compiler {
            prefix: vec![
                env!("CARGO_BIN_EXE_cfree").to_string(),
                "run".to_string(),
                "--target".to_string(),
                target.to_string(),
            ],
            style: Style::Cfree,
            overridden: false,
        }
    }

    /// `cfree run -flazy`: every function compiled the first time it is called.
    pub fn lazy() -> Compiler {
        Compiler::with_flag("-flazy")
    }

    /// `cfree run FLAG`.
    pub fn with_flag(flag: &str) -> Compiler {
        Compiler {
            prefix: vec![
                env!("CARGO_BIN_EXE_cfree").to_string(),
                "run".to_string(),
                flag.to_string(),
            ],
            style: Style::Cfree,
            overridden: false,
        }
    }

    pub fn is_overridden(&self) -> bool {
        self.overridden
    }

    pub fn describe(&self) -> String {
        let how = if self.overridden {
            "CFREE_TEST_COMPILER"
        } else {
            "default"
        };
        match self.style {
            Style::Cfree => format!("`{}` ({how})", self.prefix.join(" ")),
            Style::Tcc => format!("`{} ... -run` ({how}, tcc style)", self.prefix.join(" ")),
        }
    }

    /// The command that compiles `files` with `options` and runs the result with `args`.
    pub fn command(&self, options: &[String], files: &[PathBuf], args: &[String]) -> Command {
        let mut cmd = Command::new(&self.prefix[0]);
        cmd.args(&self.prefix[1..]);
        cmd.args(options);
        match self.style {
            Style::Cfree => {
                cmd.args(files);
                if !args.is_empty() {
                    cmd.arg("--");
                    cmd.args(args);
                }
            }
            Style::Tcc => {
                let (last, rest) = files.split_last().expect("at least one source file");
                cmd.args(rest);
                cmd.arg("-run");
                cmd.arg(last);
                cmd.args(args);
            }
        }
        cmd
    }

    /// Compiles and runs, with a deadline, from the working directory `cwd`.
    pub fn run(
        &self,
        options: &[String],
        files: &[PathBuf],
        args: &[String],
        cwd: &Path,
        timeout: Duration,
    ) -> Outcome {
        let mut cmd = self.command(options, files, args);
        cmd.current_dir(cwd);
        run_with_timeout(cmd, timeout)
    }
}

/// The first `n` lines of `text`, each indented, for failure reports.
pub fn head_lines(text: &str, n: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for line in text.lines() {
        if count == n {
            out.push_str("    ...\n");
            break;
        }
        out.push_str("    | ");
        out.push_str(&clip(line, 400));
        out.push('\n');
        count += 1;
    }
    if count == 0 {
        out.push_str("    (empty)\n");
    }
    out
}

/// `line`, cut after `max` characters (with a marker) so that reports stay readable.
pub fn clip(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((i, _)) => format!("{}[... {} more bytes]", &line[..i], line.len() - i),
        None => line.to_string(),
    }
}

/// A readable account of how `actual` differs from `expected` (None when equal): the
/// first differing line, with both versions and a few lines of context before it.
pub fn first_difference(what: &str, expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    let mut i = 0;
    while i < el.len() && i < al.len() && el[i] == al[i] {
        i += 1;
    }
    let mut msg = format!(
        "{what} differs at line {} (expected {} lines, got {}):\n",
        i + 1,
        el.len(),
        al.len()
    );
    for line in &el[i.saturating_sub(3)..i] {
        msg.push_str(&format!("      {}\n", line.trim_end_matches('\n')));
    }
    let show = |l: Option<&&str>| match l {
        Some(l) if l.ends_with('\n') => format!("{:?}", clip(l.trim_end_matches('\n'), 300)),
        Some(l) => format!("{:?} (no newline at end)", clip(l, 300)),
        None => "(end of output)".to_string(),
    };
    msg.push_str(&format!("    - expected: {}\n", show(el.get(i))));
    msg.push_str(&format!("    + actual:   {}\n", show(al.get(i))));
    Some(msg)
}

/// The source directory of crate `name` among the real programs `scripts/fetch-programs.sh`
/// fetches into cargo's registry cache (run here if needed; its list is
/// `target/programs/sources.txt`).
pub fn program_crate_dir(name: &str) -> PathBuf {
    static S: std::sync::OnceLock<std::collections::BTreeMap<String, PathBuf>> =
        std::sync::OnceLock::new();
    let sources = S.get_or_init(|| {
        let root = repo_root();
        let status = Command::new("bash")
            .arg(root.join("scripts/fetch-programs.sh"))
            .status()
            .expect("running scripts/fetch-programs.sh");
        assert!(status.success(), "scripts/fetch-programs.sh failed");
        let list = root.join("target/programs/sources.txt");
        let text = std::fs::read_to_string(&list).expect("reading target/programs/sources.txt");
        text.lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, p)| (n.to_string(), PathBuf::from(p)))
            .collect()
    });
    sources
        .get(name)
        .unwrap_or_else(|| panic!("{name} missing from target/programs/sources.txt"))
        .clone()
}

/// The `.c` files directly in `dir`, sorted.
#[allow(dead_code)]
pub fn c_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    files.sort();
    files
}

/// gcc's `gcc.c-torture/execute` programs (`CFREE_TORTURE_DIR`, else where
/// `scripts/fetch-torture.sh` puts them), checked to be there.
#[allow(dead_code)]
pub fn torture_sources() -> Vec<PathBuf> {
    let dir = std::env::var_os("CFREE_TORTURE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/torture/execute"));
    let files = c_files(&dir);
    assert!(
        files.len() > 1000,
        "torture sources missing in {}",
        dir.display()
    );
    files
}

/// The directories of `src/liblzma` whose sources lzma-sys's build.rs compiles.
pub const XZ_SOURCE_DIRS: [&str; 7] = [
    "common",
    "lzma",
    "lz",
    "check",
    "delta",
    "rangecoder",
    "simple",
];

/// The `-I` options lzma-sys's build.rs gives liblzma (xz 5.2 under `base`, the crate's
/// directory): its source directories, `src/common` and the crate root (for `config.h`).
pub fn xz_include_args(base: &Path) -> Vec<String> {
    let xz = base.join("xz-5.2");
    let lib = xz.join("src/liblzma");
    let mut incs: Vec<String> = [
        "api",
        "lzma",
        "lz",
        "check",
        "simple",
        "delta",
        "common",
        "rangecoder",
    ]
    .iter()
    .map(|d| format!("-I{}", lib.join(d).display()))
    .collect();
    incs.push(format!("-I{}", xz.join("src/common").display()));
    incs.push(format!("-I{}", base.display()));
    incs
}

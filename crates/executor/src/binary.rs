//! The executor program for a target: built from c/cfree-executor.c by the target's gcc the
//! first time it is needed, cached under the user's cache directory, and started under
//! qemu-user (or directly, for the host's own architecture).

use std::path::{Path, PathBuf};
use std::process::Command;

use cfree_target::Arch;

use crate::ExecutorError;

/// The executor's source, compiled into cfree so the binary can be rebuilt anywhere.
pub const SOURCE: &str = include_str!("../c/cfree-executor.c");

/// The C compiler that builds the executor for `arch`: the host's `cc` for the host's own
/// architecture, the Debian cross gcc (`aarch64-linux-gnu-gcc`) otherwise.
fn compiler(arch: Arch) -> String {
    if is_host(arch) {
        "cc".into()
    } else {
        format!("{}-gcc", arch.multiarch())
    }
}

fn is_host(arch: Arch) -> bool {
    std::env::consts::ARCH == arch.name()
}

/// `$XDG_CACHE_HOME/cfree`, else `~/.cache/cfree`, else the system temporary directory.
fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("cfree")
}

/// How the executor is built: exported symbols (`-rdynamic`) so `dlsym` finds its
/// `cfree_executor_*` definitions, and libm, libpthread and libgcc_s (the unwinder's
/// `__register_frame`) loaded whether or not it calls them, so the image can.
const FLAGS: [&str; 4] = ["-O2", "-std=gnu11", "-rdynamic", "-Wl,--no-as-needed"];
const LIBS: [&str; 4] = ["-lm", "-ldl", "-lpthread", "-lgcc_s"];

/// FNV-1a of the source, the compiler's name and the flags: a changed executor gets a new
/// file.
fn fingerprint(compiler: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let all = [SOURCE, compiler].into_iter().chain(FLAGS).chain(LIBS);
    for b in all.flat_map(str::bytes) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The executor binary for `arch`, building it if the cache has none. Concurrent builds are
/// safe: each writes its own temporary file and renames it into place.
pub fn executor_for(arch: Arch) -> Result<PathBuf, ExecutorError> {
    let cc = compiler(arch);
    let dir = cache_dir();
    let exe = dir.join(format!(
        "executor-{}-{:016x}",
        arch.multiarch(),
        fingerprint(&cc)
    ));
    if exe.is_file() {
        return Ok(exe);
    }
    std::fs::create_dir_all(&dir).map_err(|e| build_error(arch, &cc, e.to_string()))?;
    // Unique per process and per build, so threads of one process do not share it either.
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".executor-{}.{}.{n}",
        arch.multiarch(),
        std::process::id()
    ));
    let mut src = tmp.clone().into_os_string();
    src.push(".c");
    let src = PathBuf::from(src);
    std::fs::write(&src, SOURCE).map_err(|e| build_error(arch, &cc, e.to_string()))?;
    let out = Command::new(&cc)
        .args(FLAGS)
        .arg("-o")
        .arg(&tmp)
        .arg(&src)
        .args(LIBS)
        .output();
    let _ = std::fs::remove_file(&src);
    let out = out.map_err(|e| build_error(arch, &cc, e.to_string()))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&tmp);
        return Err(build_error(
            arch,
            &cc,
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    std::fs::rename(&tmp, &exe).map_err(|e| build_error(arch, &cc, e.to_string()))?;
    Ok(exe)
}

fn build_error(arch: Arch, cc: &str, reason: String) -> ExecutorError {
    ExecutorError::Build {
        target: arch.multiarch().to_owned(),
        compiler: cc.to_owned(),
        reason,
    }
}

/// The command that runs `exe` on `arch`: directly on the host's architecture, else under
/// `qemu-<arch>` with the target's Debian sysroot (`/usr/<multiarch>`) for its libraries.
pub fn command_for(arch: Arch, exe: &Path) -> (Command, PathBuf) {
    if is_host(arch) {
        return (Command::new(exe), exe.to_owned());
    }
    let qemu = PathBuf::from(format!("qemu-{}", arch.name()));
    let mut c = Command::new(&qemu);
    c.arg("-L")
        .arg(Path::new("/usr").join(arch.multiarch()))
        .arg(exe);
    (c, qemu)
}

//! Host symbol resolution for the in-process JIT.
//!
//! Order: symbols registered by the embedder (including the JIT runtime's own), then
//! `dlsym(RTLD_DEFAULT)` (libc and everything the host process already loaded), then each `-l`
//! library in command-line order, then — as a deliberate convenience — `libm.so.6`.
//!
//! The libm fallback: `cfree` is a Rust executable, so libm is not necessarily loaded, and C users
//! routinely forget `-lm` (gcc tolerates it when the call is folded to a builtin). tcc likewise
//! finds math functions without `-lm`. Since libm is part of every glibc system, resolving
//! otherwise-undefined names there costs nothing and removes a common failure; it can be
//! switched off with [`HostResolver::set_libm_fallback`].

use std::collections::HashMap;
use std::ffi::{c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cfree_link::SymbolResolver;

use crate::JitError;

/// A `dlopen` handle, closed on drop.
#[derive(Debug)]
struct LibHandle(*mut c_void);

// SAFETY: dlopen handles are process-global tokens; dlsym/dlclose are thread-safe.
unsafe impl Send for LibHandle {}
// SAFETY: as above; the handle is only passed to thread-safe dl* functions.
unsafe impl Sync for LibHandle {}

impl Drop for LibHandle {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the handle came from a successful dlopen and is closed once.
            unsafe {
                libc::dlclose(self.0);
            }
        }
    }
}

impl LibHandle {
    fn sym(&self, name: &CStr) -> Option<u64> {
        // SAFETY: valid handle and NUL-terminated name.
        let p = unsafe { libc::dlsym(self.0, name.as_ptr()) };
        (!p.is_null()).then_some(p as u64)
    }
}

/// A library opened for `-lNAME`.
#[derive(Debug)]
pub struct LoadedLibrary {
    /// The `-l` name (`m` for `-lm`).
    pub name: String,
    /// What was actually opened (a path, or a soname the loader searched for).
    pub path: PathBuf,
    handle: LibHandle,
}

/// The last `dlerror()` message.
fn dl_error() -> String {
    // SAFETY: dlerror returns null or a NUL-terminated thread-local string.
    let p = unsafe { libc::dlerror() };
    if p.is_null() {
        "unknown dynamic loader error".into()
    } else {
        // SAFETY: non-null, NUL-terminated, valid until the next dl* call on this thread.
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

fn dlopen(what: &Path) -> Result<LibHandle, String> {
    let c = CString::new(what.as_os_str().as_encoded_bytes())
        .map_err(|_| format!("{} contains a NUL byte", what.display()))?;
    // SAFETY: valid NUL-terminated path; RTLD_NOW surfaces missing dependencies here.
    let h = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if h.is_null() {
        Err(dl_error())
    } else {
        Ok(LibHandle(h))
    }
}

/// The GNU multiarch directory of the host (the host layer may consult `cfg!`).
fn host_multiarch() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "x86_64-linux-gnu"
    } else if cfg!(target_arch = "aarch64") {
        "aarch64-linux-gnu"
    } else if cfg!(target_arch = "riscv64") {
        "riscv64-linux-gnu"
    } else {
        ""
    }
}

/// Directories searched after `-L` dirs, like the system linker's defaults.
fn system_dirs() -> Vec<PathBuf> {
    let ma = host_multiarch();
    let mut dirs = Vec::new();
    if !ma.is_empty() {
        dirs.push(PathBuf::from(format!("/lib/{ma}")));
        dirs.push(PathBuf::from(format!("/usr/lib/{ma}")));
    }
    for d in ["/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// A `-lNAME` found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryFile {
    /// `libNAME.so` (an ELF shared object or a GNU ld script naming some).
    Shared(PathBuf),
    /// `libNAME.a`: its members are linked into the image, not opened.
    Static(PathBuf),
}

/// Where `-lNAME` is, searched as the GNU linker searches: the `-L` directories, then the
/// system ones, and in each directory `libNAME.so` before `libNAME.a`. `None` when no
/// directory has either (the dynamic loader may still know a soname).
pub fn find_library(name: &str, dirs: &[PathBuf]) -> Option<LibraryFile> {
    dirs.iter().cloned().chain(system_dirs()).find_map(|d| {
        let so = d.join(format!("lib{name}.so"));
        let a = d.join(format!("lib{name}.a"));
        if so.is_file() {
            Some(LibraryFile::Shared(so))
        } else if a.is_file() {
            Some(LibraryFile::Static(a))
        } else {
            None
        }
    })
}

/// glibc libraries whose `libNAME.so` is only a dev-package linker script: their runtime
/// sonames, so `-lm` works on machines without libc6-dev.
fn glibc_soname(name: &str) -> Option<&'static str> {
    Some(match name {
        "c" => "libc.so.6",
        "m" => "libm.so.6",
        "pthread" => "libpthread.so.0",
        "dl" => "libdl.so.2",
        "rt" => "librt.so.1",
        "util" => "libutil.so.1",
        "resolv" => "libresolv.so.2",
        "crypt" => "libcrypt.so.1",
        _ => return None,
    })
}

/// Resolves symbols the linked objects do not define.
#[derive(Debug)]
pub struct HostResolver {
    symbols: HashMap<String, u64>,
    libraries: Vec<LoadedLibrary>,
    libm_fallback: bool,
    libm: OnceLock<Option<LibHandle>>,
}

impl Default for HostResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl HostResolver {
    /// A resolver with no registered symbols and no libraries; the libm fallback is on.
    pub fn new() -> Self {
        HostResolver {
            symbols: HashMap::new(),
            libraries: Vec::new(),
            libm_fallback: true,
            libm: OnceLock::new(),
        }
    }

    /// Register (or replace) a symbol; registered symbols win over everything else.
    pub fn add_symbol(&mut self, name: impl Into<String>, addr: u64) {
        self.symbols.insert(name.into(), addr);
    }

    /// Whether unresolved names are looked up in `libm.so.6` as a last resort.
    pub fn set_libm_fallback(&mut self, on: bool) {
        self.libm_fallback = on;
    }

    pub fn libraries(&self) -> &[LoadedLibrary] {
        &self.libraries
    }

    /// Close every library after the first `count` (see [`crate::Jit::close_libraries_after`]).
    pub fn truncate_libraries(&mut self, count: usize) {
        self.libraries.truncate(count);
    }

    /// Open `-lNAME`: `libNAME.so` in each of `dirs`, then through the dynamic loader's own
    /// search, then in the system library directories (following GNU ld scripts such as
    /// glibc's `libm.so`), then the runtime soname of glibc's own libraries.
    pub fn add_library(&mut self, name: &str, dirs: &[PathBuf]) -> Result<(), JitError> {
        let mut searched = Vec::new();
        let mut reasons = Vec::new();
        let file = format!("lib{name}.so");
        for dir in dirs.iter().cloned().chain(system_dirs()) {
            let candidate = dir.join(&file);
            searched.push(dir);
            if !candidate.exists() {
                continue;
            }
            match open_file(&candidate, dirs, 0) {
                Ok(handles) => {
                    self.push(name, handles);
                    return Ok(());
                }
                Err(e) => reasons.push(format!("{}: {e}", candidate.display())),
            }
        }
        let mut by_loader = vec![PathBuf::from(&file)];
        if let Some(soname) = glibc_soname(name) {
            by_loader.push(PathBuf::from(soname));
        }
        for what in by_loader {
            match dlopen(&what) {
                Ok(h) => {
                    self.push(name, vec![(what, h)]);
                    return Ok(());
                }
                Err(e) => reasons.push(format!("{}: {e}", what.display())),
            }
        }
        Err(JitError::LibraryNotFound {
            name: name.to_owned(),
            searched,
            reason: reasons.join("; "),
        })
    }

    /// Open a shared library given by its path (an input file such as `./libfoo.so`),
    /// following a GNU ld script as `-l` does.
    pub fn add_library_file(&mut self, path: &Path, dirs: &[PathBuf]) -> Result<(), JitError> {
        let handles = open_file(path, dirs, 0).map_err(|reason| JitError::LibraryOpen {
            path: path.to_path_buf(),
            reason,
        })?;
        self.push(&path.display().to_string(), handles);
        Ok(())
    }

    fn push(&mut self, name: &str, handles: Vec<(PathBuf, LibHandle)>) {
        for (path, handle) in handles {
            self.libraries.push(LoadedLibrary {
                name: name.to_owned(),
                path,
                handle,
            });
        }
    }

    fn libm(&self) -> Option<&LibHandle> {
        self.libm
            .get_or_init(|| dlopen(Path::new("libm.so.6")).ok())
            .as_ref()
    }
}

/// Look a name up in the global scope. `name@VERSION` / `name@@VERSION` select a symbol version.
fn dlsym_default(name: &str) -> Option<u64> {
    let p = if let Some((base, version)) = name.split_once('@') {
        let version = version.trim_start_matches('@');
        let base = CString::new(base).ok()?;
        let version = CString::new(version).ok()?;
        // SAFETY: valid NUL-terminated strings; RTLD_DEFAULT searches the global scope.
        unsafe { libc::dlvsym(libc::RTLD_DEFAULT, base.as_ptr(), version.as_ptr()) }
    } else {
        let c = CString::new(name).ok()?;
        // SAFETY: valid NUL-terminated string; RTLD_DEFAULT searches the global scope, where
        // versioned glibc symbols resolve to their default (`@@`) version.
        unsafe { libc::dlsym(libc::RTLD_DEFAULT, c.as_ptr()) }
    };
    (!p.is_null()).then_some(p as u64)
}

impl SymbolResolver for HostResolver {
    fn resolve(&self, name: &str) -> Option<u64> {
        if let Some(&a) = self.symbols.get(name) {
            return Some(a);
        }
        if let Some(a) = dlsym_default(name) {
            return Some(a);
        }
        let c = CString::new(name).ok()?;
        for lib in &self.libraries {
            if let Some(a) = lib.handle.sym(&c) {
                return Some(a);
            }
        }
        if self.libm_fallback {
            return self.libm().and_then(|h| h.sym(&c));
        }
        None
    }
}

/// Open a `libNAME.so` found on disk: an ELF shared object directly, or a GNU ld script whose
/// `GROUP`/`INPUT` members are opened in turn (static archives in it are skipped).
fn open_file(
    path: &Path,
    dirs: &[PathBuf],
    depth: u32,
) -> Result<Vec<(PathBuf, LibHandle)>, String> {
    if depth > 4 {
        return Err("linker scripts nest too deeply".into());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if bytes.starts_with(b"\x7fELF") {
        return dlopen(path).map(|h| vec![(path.to_path_buf(), h)]);
    }
    if bytes.len() > 64 * 1024 {
        return Err("neither an ELF object nor a linker script".into());
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut handles = Vec::new();
    for token in script_tokens(&text) {
        if let Some(lib) = token.strip_prefix("-l") {
            let file = format!("lib{lib}.so");
            let found = dirs
                .iter()
                .cloned()
                .chain(system_dirs())
                .map(|d| d.join(&file))
                .find(|p| p.exists());
            match found {
                Some(p) => handles.extend(open_file(&p, dirs, depth + 1)?),
                None => handles.push((PathBuf::from(&file), dlopen(Path::new(&file))?)),
            }
            continue;
        }
        if !token.contains(".so") {
            continue;
        }
        let token = token.trim_start_matches('=');
        let member = Path::new(token);
        let resolved = if member.is_absolute() {
            member.to_path_buf()
        } else if let Some(p) = path.parent().map(|d| d.join(member)).filter(|p| p.exists()) {
            p
        } else {
            member.to_path_buf()
        };
        handles.push((resolved.clone(), dlopen(&resolved)?));
    }
    if handles.is_empty() {
        return Err("linker script names no shared library".into());
    }
    Ok(handles)
}

/// Words of a GNU ld script with comments and punctuation removed.
fn script_tokens(text: &str) -> Vec<String> {
    let mut clean = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        clean.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    clean.push_str(rest);
    clean
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_glibc_style_scripts() {
        let text = "/* GNU ld script\n*/\nOUTPUT_FORMAT(elf64-x86-64)\nGROUP ( /lib/x86_64-linux-gnu/libm.so.6  AS_NEEDED ( /lib/x86_64-linux-gnu/libmvec.so.1 ) )\n";
        let toks = script_tokens(text);
        assert!(toks.contains(&"/lib/x86_64-linux-gnu/libm.so.6".to_string()));
        assert!(toks.contains(&"AS_NEEDED".to_string()));
        assert!(!toks.iter().any(|t| t.contains("GNU")));
    }

    #[test]
    fn resolves_libc_registered_and_versioned_names() {
        let mut r = HostResolver::new();
        assert!(r.resolve("printf").is_some());
        assert!(r.resolve("memcpy@GLIBC_2.14").is_some() || r.resolve("memcpy").is_some());
        assert_eq!(r.resolve("cfree_no_such_symbol_xyz"), None);
        r.add_symbol("printf", 0x1234);
        assert_eq!(r.resolve("printf"), Some(0x1234), "registered symbols win");
        assert!(r.resolve("bad\0name").is_none());
    }

    #[test]
    fn libm_by_flag_and_by_fallback() {
        let mut r = HostResolver::new();
        r.set_libm_fallback(false);
        r.add_library("m", &[]).unwrap();
        assert!(r
            .libraries()
            .iter()
            .any(|l| l.path.to_string_lossy().contains("libm.so")));
        assert!(r.resolve("cos").is_some());
        let fallback = HostResolver::new();
        assert!(fallback.resolve("cbrt").is_some());
    }

    #[test]
    fn missing_library_names_itself_and_the_search() {
        let mut r = HostResolver::new();
        let err = r
            .add_library(
                "cfree_definitely_missing",
                &[PathBuf::from("/nonexistent/dir")],
            )
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("cfree_definitely_missing"), "{msg}");
        assert!(msg.contains("/nonexistent/dir"), "{msg}");
    }
}

//! The compile cache: a translation unit's object, kept under the user's cache directory and
//! handed back when the same unit is compiled again with the same options by the same build
//! of cfree, so that a second `cfree run` of an unchanged program only links.
//!
//! Two levels, as in ccache. An **object entry** is keyed by the unit's preprocessed content:
//! every token (spelling, flags, where it was spelled), the name, path and text of every file
//! it came from, the options and the compiler's identity. A **manifest** is keyed by what is
//! known before preprocessing (the options, the working directory, the input's name and text)
//! and lists what preprocessing read — each file with the hash of its text, and each include
//! candidate that did not exist — with the object key that resulted; when all of that is
//! still true, the object is used without preprocessing at all. Output that depends on the
//! clock (`__DATE__`, `__TIME__`, `__TIMESTAMP__`) gets no manifest.
//!
//! Entries are written to a temporary file and renamed into place, so concurrent runs see a
//! whole entry or none; each carries the BLAKE3 hash of its payload, so a truncated or
//! damaged entry is detected, removed and rebuilt. Failing to read or write the cache never
//! fails a compile. The directory is kept under a size limit by removing the least recently
//! used entries.

use crate::pipeline::interface::{
    ConstantInfo, ConstantKind, EnumInfo, FieldInfo, GlobalInfo, Interface, RecordInfo,
};
use crate::pipeline::{
    self, CompileError, CompileOptions, Compiled, Preprocessed, Prototype, Source,
};
use cfree_frontend::timing::PhaseTimes;
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// Which build of cfree made an entry (see `build.rs`).
const COMPILER_ID: &str = env!("CFREE_COMPILER_ID");
/// The entry file layout; a change gets a new subdirectory.
const LAYOUT: &str = "v1";
const MAGIC: &[u8; 8] = b"CFREE\0C1";
const HEADER_LEN: usize = 8 + 8 + 8 + 32;
/// Default size limit of the cache directory.
const DEFAULT_MAX_BYTES: u64 = 1 << 30;
/// Temporary files older than this were left by a run that died while writing.
const STALE_TEMP: Duration = Duration::from_secs(3600);

type Key = [u8; 32];

/// A cache directory and its size limit.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    max_bytes: u64,
}

/// How a compile used the cache (`-ftime-report` says which).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The manifest matched: no preprocessing.
    Direct,
    /// Preprocessed, and the object for that content was there.
    Preprocessed,
    /// Compiled and stored.
    Miss,
}

impl Lookup {
    /// The line `-ftime-report` counts these under.
    pub fn phase_name(self) -> &'static str {
        match self {
            Lookup::Direct => "cache hits (direct)",
            Lookup::Preprocessed => "cache hits (after pp)",
            Lookup::Miss => "cache misses",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object = 1,
    Manifest = 2,
}

impl Cache {
    /// The cache `cfree run` uses: `$CFREE_CACHE_DIR`, else `$XDG_CACHE_HOME/cfree`, else
    /// `~/.cache/cfree`; `None` when `CFREE_CACHE` is `0`, `off` or `no`. `CFREE_CACHE_SIZE`
    /// sets the size limit in MiB (1024 by default).
    pub fn from_env() -> Option<Cache> {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        if let Some(v) = var("CFREE_CACHE") {
            if matches!(v.to_str(), Some("0" | "off" | "no" | "false")) {
                return None;
            }
        }
        let dir = var("CFREE_CACHE_DIR").map(PathBuf::from).or_else(|| {
            var("XDG_CACHE_HOME")
                .map(|d| PathBuf::from(d).join("cfree"))
                .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/cfree")))
        })?;
        let max_bytes = var("CFREE_CACHE_SIZE")
            .and_then(|v| v.to_str()?.parse::<u64>().ok())
            .map_or(DEFAULT_MAX_BYTES, |mb| mb.saturating_mul(1 << 20));
        Some(Cache::at(dir, max_bytes))
    }

    /// A cache in `dir` (created when first written) holding at most about `max_bytes`.
    pub fn at(dir: impl Into<PathBuf>, max_bytes: u64) -> Cache {
        Cache {
            dir: dir.into().join(LAYOUT),
            max_bytes,
        }
    }

    fn path(&self, key: &Key, kind: Kind) -> PathBuf {
        let ext = match kind {
            Kind::Object => "o",
            Kind::Manifest => "m",
        };
        self.dir.join(format!("{}.{ext}", hex(key)))
    }

    /// The payload of a whole, undamaged entry; a damaged one is removed.
    fn read(&self, key: &Key, kind: Kind) -> Option<Vec<u8>> {
        let path = self.path(key, kind);
        let bytes = std::fs::read(&path).ok()?;
        match unwrap_entry(&bytes, kind) {
            Some(payload) => {
                // Least recently used goes first when the cache is trimmed.
                if let Ok(f) = std::fs::File::open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Some(payload.to_vec())
            }
            None => {
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores an entry atomically; errors leave the cache as it was.
    fn write(&self, key: &Key, kind: Kind, payload: &[u8]) {
        let _ = self.try_write(key, kind, payload);
    }

    fn try_write(&self, key: &Key, kind: Kind, payload: &[u8]) -> std::io::Result<()> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SEQ: AtomicU64 = AtomicU64::new(0);
        std::fs::create_dir_all(&self.dir)?;
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = self.dir.join(format!(
            ".tmp-{}-{nanos}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&entry_header(kind, payload))?;
            f.write_all(payload)?;
            drop(f);
            std::fs::rename(&tmp, self.path(key, kind))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Removes the least recently used entries while the directory is over its limit (down
    /// to 80% of it), and temporary files abandoned by runs that died.
    fn trim(&self) {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut entries = Vec::new();
        let mut total = 0u64;
        for e in dir.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            let modified = meta.modified().unwrap_or(now);
            if e.file_name().as_bytes().starts_with(b".tmp-") {
                if now
                    .duration_since(modified)
                    .is_ok_and(|age| age > STALE_TEMP)
                {
                    let _ = std::fs::remove_file(e.path());
                }
                continue;
            }
            total += meta.len();
            entries.push((modified, meta.len(), e.path()));
        }
        if total <= self.max_bytes {
            return;
        }
        entries.sort();
        let goal = self.max_bytes / 10 * 8;
        for (_, len, path) in entries {
            if total <= goal {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }
}

/// Compiles `src` through the cache: a valid entry is returned without compiling, a miss is
/// compiled and stored. Errors are not cached (the next run reports them again).
pub fn compile(
    src: &Source,
    opts: &CompileOptions,
    cache: &Cache,
) -> Result<(Compiled, Lookup), CompileError> {
    pipeline::on_compiler_thread(|| compile_here(src, opts, cache))
}

fn compile_here(
    src: &Source,
    opts: &CompileOptions,
    cache: &Cache,
) -> Result<(Compiled, Lookup), CompileError> {
    let mut times = PhaseTimes::default();
    let direct = times.time("cache lookup", || direct_key(src, opts));
    if let Some(d) = &direct {
        if let Some(mut c) = times.time("cache lookup", || lookup_direct(cache, &d.key)) {
            c.times = times;
            return Ok((c, Lookup::Direct));
        }
    }
    let mut unit = pipeline::preprocess_unit(src, opts)?;
    unit.times.merge(&times);
    let start = std::time::Instant::now();
    let key = object_key(&unit, opts);
    unit.times.add("cache lookup", start.elapsed());
    let manifest = direct
        .filter(|_| !unit.deps.time_dependent)
        .and_then(|d| Some((d.key, Manifest::of(&unit.deps, &d, key)?)));
    let hit = unit.times.time("cache lookup", || {
        decode_object(&cache.read(&key, Kind::Object)?)
    });
    let (mut compiled, lookup) = match hit {
        Some(mut c) => {
            c.times = std::mem::take(&mut unit.times);
            (c, Lookup::Preprocessed)
        }
        None => (
            pipeline::compile_preprocessed(unit, src, opts)?,
            Lookup::Miss,
        ),
    };
    let store = std::time::Instant::now();
    if lookup == Lookup::Miss {
        cache.write(&key, Kind::Object, &encode_object(&compiled));
    }
    if let Some((k, m)) = &manifest {
        cache.write(k, Kind::Manifest, &m.encode());
    }
    if lookup == Lookup::Miss {
        cache.trim();
    }
    compiled.times.add("cache store", store.elapsed());
    Ok((compiled, lookup))
}

/// The object of a manifest that still holds.
fn lookup_direct(cache: &Cache, key: &Key) -> Option<Compiled> {
    let m = Manifest::decode(&cache.read(key, Kind::Manifest)?)?;
    if !m.still_holds() {
        return None;
    }
    decode_object(&cache.read(&m.object, Kind::Object)?)
}

/// The options as they affect the object (not how many threads make it).
fn options_text(opts: &CompileOptions) -> String {
    let mut o = opts.clone();
    o.threads = 0;
    format!("{o:?}")
}

fn hasher(level: &str, opts: &CompileOptions) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    for part in [COMPILER_ID, LAYOUT, level, &options_text(opts)] {
        feed(&mut h, part.as_bytes());
    }
    h
}

/// Length-prefixed, so that concatenations cannot collide.
fn feed(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// The manifest key: what is known before preprocessing. `None` when the input cannot be
/// read (the compile reports it).
fn direct_key(src: &Source, opts: &CompileOptions) -> Option<DirectKey> {
    let mut h = hasher("direct", opts);
    let cwd = std::env::current_dir().ok()?;
    feed(&mut h, cwd.as_os_str().as_bytes());
    let mut input = None;
    match src {
        Source::File(p) => {
            let text = cfree_frontend::pp::read_source_text(p).ok()?;
            let text_hash = *blake3::hash(text.as_bytes()).as_bytes();
            feed(&mut h, b"file");
            feed(&mut h, p.as_os_str().as_bytes());
            feed(&mut h, &text_hash);
            input = Some((p.to_path_buf(), text_hash));
        }
        Source::Text { name, text } => {
            feed(&mut h, b"text");
            feed(&mut h, name.as_bytes());
            feed(&mut h, text.as_bytes());
        }
    }
    Some(DirectKey {
        key: *h.finalize().as_bytes(),
        input,
    })
}

/// A manifest key, and the input file with the hash of the text it was made from.
struct DirectKey {
    key: Key,
    input: Option<(PathBuf, Key)>,
}

/// The object key: the preprocessed tokens and the files they were spelled in.
fn object_key(unit: &Preprocessed, opts: &CompileOptions) -> Key {
    let mut h = hasher("preprocessed", opts);
    h.update(&(unit.sm.len() as u64).to_le_bytes());
    for (_, f) in unit.sm.files() {
        feed(&mut h, f.name.as_bytes());
        feed(
            &mut h,
            f.path
                .as_deref()
                .map_or(&[][..], |p| p.as_os_str().as_bytes()),
        );
        feed(&mut h, f.text.as_bytes());
        h.update(&[f.system as u8]);
    }
    // One buffer and one hash call: millions of tiny updates cost more than the copy.
    let mut buf = Vec::with_capacity(unit.tokens.len() * 16);
    for t in &unit.tokens {
        buf.push(t.kind as u8 | (t.leading_space as u8) << 4 | (t.line_start as u8) << 5);
        buf.extend_from_slice(&t.loc.file.0.to_le_bytes());
        buf.extend_from_slice(&t.loc.offset.to_le_bytes());
        buf.extend_from_slice(&(t.text.len() as u32).to_le_bytes());
        buf.extend_from_slice(t.text.as_bytes());
    }
    h.update(&buf);
    *h.finalize().as_bytes()
}

fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

fn entry_header(kind: Kind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(kind as u64).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(blake3::hash(payload).as_bytes());
    out
}

fn unwrap_entry(bytes: &[u8], kind: Kind) -> Option<&[u8]> {
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    (header == entry_header(kind, payload).as_slice()).then_some(payload)
}

/// What a direct lookup must find unchanged.
struct Manifest {
    files: Vec<(PathBuf, Key)>,
    missing: Vec<PathBuf>,
    object: Key,
}

impl Manifest {
    /// The manifest of a unit whose preprocessing read `deps`. The input file is part of
    /// the manifest's key, not of its list; `None` if it changed between the key was made
    /// and preprocessing read it (the object is not the one for the key's text).
    fn of(
        deps: &cfree_frontend::pp::Dependencies,
        direct: &DirectKey,
        object: Key,
    ) -> Option<Manifest> {
        let mut files: Vec<(PathBuf, Key)> = deps
            .files()
            .map(|(p, text)| (p.to_path_buf(), *blake3::hash(text.as_bytes()).as_bytes()))
            .collect();
        if let Some((path, hash)) = &direct.input {
            if files.iter().any(|(p, h)| p == path && h != hash) {
                return None;
            }
            files.retain(|(p, _)| p != path);
        }
        files.sort();
        files.dedup();
        let mut missing = deps.missing.clone();
        missing.sort();
        missing.dedup();
        Some(Manifest {
            files,
            missing,
            object,
        })
    }

    /// Every file still has the text it had, and every missing candidate is still missing.
    fn still_holds(&self) -> bool {
        self.missing.iter().all(|p| !p.is_file())
            && self.files.iter().all(|(p, hash)| {
                cfree_frontend::pp::read_source_text(p)
                    .is_ok_and(|t| blake3::hash(t.as_bytes()).as_bytes() == hash)
            })
    }

    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(&self.object);
        w.u32(self.files.len() as u32);
        for (p, hash) in &self.files {
            w.bytes(p.as_os_str().as_bytes());
            w.bytes(hash);
        }
        w.u32(self.missing.len() as u32);
        for p in &self.missing {
            w.bytes(p.as_os_str().as_bytes());
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Manifest> {
        let mut r = Reader(bytes);
        let object = r.key()?;
        let files = (0..r.u32()?)
            .map(|_| Some((r.path()?, r.key()?)))
            .collect::<Option<_>>()?;
        let missing = (0..r.u32()?).map(|_| r.path()).collect::<Option<_>>()?;
        r.0.is_empty().then_some(Manifest {
            files,
            missing,
            object,
        })
    }
}

fn encode_object(c: &Compiled) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes(&c.object);
    w.bytes(c.warnings.as_bytes());
    w.u32(c.prototypes.len() as u32);
    for p in &c.prototypes {
        w.bytes(p.name.as_bytes());
        w.bytes(p.ret.as_bytes());
        w.u32(p.params.len() as u32);
        for param in &p.params {
            w.bytes(param.as_bytes());
        }
        w.0.push(p.variadic as u8 | (p.defined as u8) << 1);
    }
    w.u32(c.function_hashes.len() as u32);
    for (name, hash) in &c.function_hashes {
        w.bytes(name.as_bytes());
        w.0.extend_from_slice(&hash.to_le_bytes());
    }
    encode_interface(&mut w, &c.interface);
    w.0
}

fn encode_interface(w: &mut Writer, i: &Interface) {
    w.u32(i.records.len() as u32);
    for r in &i.records {
        w.bytes(r.spelling.as_bytes());
        w.0.push(r.is_union as u8);
        w.u64(r.size);
        w.u64(r.align);
        w.u32(r.fields.len() as u32);
        for f in &r.fields {
            w.bytes(f.name.as_bytes());
            w.bytes(f.ty.as_bytes());
            w.u64(f.offset);
            let (b, wd, u) = f.bit.unwrap_or((0, 0, 0));
            w.0.push(f.bit.is_some() as u8);
            w.u32(b);
            w.u32(wd);
            w.u32(u);
        }
    }
    w.u32(i.enums.len() as u32);
    for e in &i.enums {
        w.bytes(e.spelling.as_bytes());
        w.bytes(e.base.as_bytes());
    }
    w.u32(i.typedefs.len() as u32);
    for (n, t) in &i.typedefs {
        w.bytes(n.as_bytes());
        w.bytes(t.as_bytes());
    }
    w.u32(i.globals.len() as u32);
    for g in &i.globals {
        w.bytes(g.name.as_bytes());
        w.bytes(g.ty.as_bytes());
        w.0.push(g.defined as u8 | (g.readonly as u8) << 1);
    }
    w.u32(i.constants.len() as u32);
    for c in &i.constants {
        w.bytes(c.name.as_bytes());
        w.0.extend_from_slice(&c.value.to_le_bytes());
        w.bytes(c.ty.as_bytes());
        w.0.push(matches!(c.kind, ConstantKind::Macro) as u8);
    }
    w.u32(i.params.len() as u32);
    for (f, ps) in &i.params {
        w.bytes(f.as_bytes());
        w.u32(ps.len() as u32);
        for p in ps {
            w.bytes(p.as_bytes());
        }
    }
}

fn decode_interface(r: &mut Reader) -> Option<Interface> {
    let records = (0..r.u32()?)
        .map(|_| {
            let spelling = r.string()?;
            let is_union = r.take(1)?[0] != 0;
            let size = r.u64()?;
            let align = r.u64()?;
            let fields = (0..r.u32()?)
                .map(|_| {
                    let name = r.string()?;
                    let ty = r.string()?;
                    let offset = r.u64()?;
                    let has_bit = r.take(1)?[0] != 0;
                    let bit = (r.u32()?, r.u32()?, r.u32()?);
                    Some(FieldInfo {
                        name,
                        ty,
                        offset,
                        bit: has_bit.then_some(bit),
                    })
                })
                .collect::<Option<_>>()?;
            Some(RecordInfo {
                spelling,
                is_union,
                size,
                align,
                fields,
            })
        })
        .collect::<Option<_>>()?;
    let enums = (0..r.u32()?)
        .map(|_| {
            Some(EnumInfo {
                spelling: r.string()?,
                base: r.string()?,
            })
        })
        .collect::<Option<_>>()?;
    let typedefs = (0..r.u32()?)
        .map(|_| Some((r.string()?, r.string()?)))
        .collect::<Option<_>>()?;
    let globals = (0..r.u32()?)
        .map(|_| {
            let name = r.string()?;
            let ty = r.string()?;
            let flags = r.take(1)?[0];
            Some(GlobalInfo {
                name,
                ty,
                defined: flags & 1 != 0,
                readonly: flags & 2 != 0,
            })
        })
        .collect::<Option<_>>()?;
    let constants = (0..r.u32()?)
        .map(|_| {
            let name = r.string()?;
            let value = i128::from_le_bytes(r.take(16)?.try_into().ok()?);
            let ty = r.string()?;
            let kind = if r.take(1)?[0] != 0 {
                ConstantKind::Macro
            } else {
                ConstantKind::Enumerator
            };
            Some(ConstantInfo {
                name,
                value,
                ty,
                kind,
            })
        })
        .collect::<Option<_>>()?;
    let params = (0..r.u32()?)
        .map(|_| {
            let f = r.string()?;
            let ps = (0..r.u32()?).map(|_| r.string()).collect::<Option<_>>()?;
            Some((f, ps))
        })
        .collect::<Option<_>>()?;
    Some(Interface {
        records,
        enums,
        typedefs,
        globals,
        constants,
        params,
    })
}

fn decode_object(bytes: &[u8]) -> Option<Compiled> {
    let mut r = Reader(bytes);
    let object = r.bytes()?.to_vec();
    let warnings = r.string()?;
    let prototypes = (0..r.u32()?)
        .map(|_| {
            let name = r.string()?;
            let ret = r.string()?;
            let params = (0..r.u32()?).map(|_| r.string()).collect::<Option<_>>()?;
            let flags = r.take(1)?[0];
            Some(Prototype {
                name,
                ret,
                params,
                variadic: flags & 1 != 0,
                defined: flags & 2 != 0,
            })
        })
        .collect::<Option<_>>()?;
    let function_hashes = (0..r.u32()?)
        .map(|_| Some((r.string()?, u64::from_le_bytes(r.take(8)?.try_into().ok()?))))
        .collect::<Option<_>>()?;
    let interface = decode_interface(&mut r)?;
    r.0.is_empty().then_some(Compiled {
        object,
        warnings,
        prototypes,
        interface,
        function_hashes,
        times: PhaseTimes::default(),
    })
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.0.extend_from_slice(b);
    }
}

/// Reads what [`Writer`] wrote; `None` on anything short or malformed.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, b) = self.0.split_at_checked(n)?;
        self.0 = b;
        Some(a)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
        self.take(usize::try_from(n).ok()?)
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    fn key(&mut self) -> Option<Key> {
        self.bytes()?.try_into().ok()
    }
    fn path(&mut self) -> Option<PathBuf> {
        Some(PathBuf::from(std::ffi::OsString::from_vec(
            self.bytes()?.to_vec(),
        )))
    }
}

#[cfg(test)]
mod tests;

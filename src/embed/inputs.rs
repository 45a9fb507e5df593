//! Files, libraries and options an embedding adds after the JIT was created (the C API's
//! `cfree_jit_add_file`, `cfree_jit_add_library`, `cfree_jit_set_options`), as tcc's
//! `tcc_add_file`/`tcc_add_library` do, within the incremental model: what is added is used
//! by the code linked from then on, so libraries and archives come before the code that
//! needs them.
//!
//! A file is classified by its contents, as `cfree run` classifies its inputs: an ELF
//! relocatable object is appended as it is, an ELF shared library is opened, an `ar` archive
//! is kept so later appends pull in the members they need (the linker's own member choice,
//! with the live image's definitions counting as defined), and anything else is C source.
//! (Source appended to a lazy JIT, [`super::JitOptions::lazy`], does not pull archive
//! members in yet; objects appended to it do.)

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use cfree_driver::{CompileOptions, Source};
use cfree_frontend::target::Arch;
use cfree_jit::LibraryFile;
use cfree_link::{Archive, LinkInput};

use super::{Error, Jit, Object};

/// Static archives whose members later appends may pull in.
#[derive(Debug, Default)]
pub(crate) struct Archives {
    list: Vec<Archive>,
    /// Members already linked (by their `archive(member)` name): never linked twice.
    linked: HashSet<String>,
}

impl Archives {
    /// Remembers that the members among `batch` are in the image now.
    pub(crate) fn mark_linked(&mut self, batch: &[LinkInput]) {
        self.linked.extend(batch.iter().map(|i| i.name.clone()));
    }
}

/// What [`Jit::add_file`] found a file to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// C source: compiled and appended.
    Source,
    /// An ELF relocatable object: appended.
    Object,
    /// An `ar` archive: its members are linked as later appends need them.
    Archive,
    /// An ELF shared library (or a GNU ld script naming some): opened.
    SharedLibrary,
}

fn input_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl Jit {
    /// The options every compile of this JIT uses.
    pub fn compile_options(&self) -> &CompileOptions {
        &self.compile
    }

    /// Replaces the options of later compiles (code already in the image keeps its own).
    pub fn set_compile_options(&mut self, opts: CompileOptions) {
        self.compile = opts;
    }

    /// The directories [`add_library`](Self::add_library) searches before the system ones.
    pub fn library_dirs(&self) -> &[PathBuf] {
        &self.library_dirs
    }

    /// Adds a directory to search for libraries named from now on (`-L`).
    pub fn add_library_path(&mut self, dir: impl Into<PathBuf>) {
        self.library_dirs.push(dir.into());
    }

    /// Forgets the library directories after the first `count` (undoing a failed batch).
    pub(crate) fn truncate_library_dirs(&mut self, count: usize) {
        self.library_dirs.truncate(count);
    }

    /// Makes library `name` (`m` for libm) usable by code linked from now on: the `-L`
    /// directories and then the system ones are searched for `libNAME.so`, then `libNAME.a`,
    /// as the system linker searches. A shared library is opened; an archive's members are
    /// linked as later appends need them.
    pub fn add_library(&mut self, name: &str) -> Result<(), Error> {
        if name.is_empty() || name.contains('/') || name.contains('\0') {
            return Err(input_error(
                Path::new(name),
                "not a library name (give `m` for libm.so; use add_file for a path)",
            ));
        }
        match cfree_jit::find_library(name, &self.library_dirs) {
            Some(LibraryFile::Static(p)) => {
                let bytes = std::fs::read(&p).map_err(|e| input_error(&p, e.to_string()))?;
                self.add_archive(&p, &bytes)
            }
            _ => {
                let dirs = self.library_dirs.clone();
                Ok(self.jit().add_library(name, &dirs)?)
            }
        }
    }

    /// [`add_library`](Self::add_library) for each name: all are added, or (on the first
    /// failure) none is.
    pub fn add_libraries(&mut self, names: &[String]) -> Result<(), Error> {
        let opened = self.jit().resolver().libraries().len();
        let archives = self.archives.list.len();
        for name in names {
            if let Err(e) = self.add_library(name) {
                self.jit().close_libraries_after(opened);
                self.archives.list.truncate(archives);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Adds the file at `path`, by what its contents are (see [`FileKind`]); returns the kind
    /// and, for C source, the compiler's warnings. On any error nothing was added.
    pub fn add_file(&mut self, path: &Path) -> Result<(FileKind, String), Error> {
        let bytes = std::fs::read(path).map_err(|e| input_error(path, e.to_string()))?;
        let kind = classify(path, &bytes, self.compile.target.arch)?;
        let warnings = match kind {
            FileKind::Source => self.add_unit(&Source::File(path))?,
            FileKind::Object => {
                self.append(&Object::from_elf(path.display().to_string(), bytes))?;
                String::new()
            }
            FileKind::Archive => {
                self.add_archive(path, &bytes)?;
                String::new()
            }
            FileKind::SharedLibrary => {
                let dirs = self.library_dirs.clone();
                self.jit().add_library_file(path, &dirs)?;
                String::new()
            }
        };
        Ok((kind, warnings))
    }

    /// Keeps an archive for later appends, after checking every member is an object for
    /// this JIT's architecture.
    fn add_archive(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let archive = Archive::parse(&path.display().to_string(), bytes)
            .map_err(|e| input_error(path, e.to_string()))?;
        for m in &archive.members {
            let kind = elf_kind(&m.bytes, self.compile.target.arch)
                .map_err(|r| input_error(path, format!("member {}: {r}", m.name)))?;
            if kind != FileKind::Object {
                return Err(input_error(
                    path,
                    format!("member {} is not a relocatable object", m.name),
                ));
            }
        }
        self.archives.list.push(archive);
        Ok(())
    }

    /// `objects` and the archive members they need (not yet linked, defining a name that
    /// neither the batch nor the image defines).
    pub(crate) fn with_archive_members(
        &self,
        mut objects: Vec<LinkInput>,
    ) -> Result<Vec<LinkInput>, Error> {
        if self.archives.list.is_empty() {
            return Ok(objects);
        }
        let unlinked: Vec<Archive> = self
            .archives
            .list
            .iter()
            .map(|a| Archive {
                name: a.name.clone(),
                members: a
                    .members
                    .iter()
                    .filter(|m| !self.archives.linked.contains(&m.name))
                    .cloned()
                    .collect(),
            })
            .collect();
        let jit = self.jit();
        let members =
            cfree_link::select_members_with(&objects, &unlinked, |n| jit.lookup(n).is_some())
                .map_err(Error::Link)?;
        drop(jit);
        objects.extend(members);
        Ok(objects)
    }
}

/// What `bytes` (the contents of `path`) are, for a JIT of `arch`.
fn classify(path: &Path, bytes: &[u8], arch: Arch) -> Result<FileKind, Error> {
    if bytes.starts_with(b"\x7fELF") {
        return elf_kind(bytes, arch).map_err(|r| input_error(path, r));
    }
    if cfree_link::is_archive(bytes) {
        return Ok(FileKind::Archive);
    }
    let name = path.to_string_lossy();
    if name.ends_with(".so") || name.contains(".so.") {
        // A GNU ld script standing for a library (glibc's libc.so); opening it says whether
        // it is one.
        return Ok(FileKind::SharedLibrary);
    }
    if bytes.contains(&0) {
        return Err(input_error(
            path,
            "neither C source nor an ELF object, archive or shared library",
        ));
    }
    Ok(FileKind::Source)
}

/// The kind of an ELF file, or why this JIT cannot use it.
fn elf_kind(bytes: &[u8], arch: Arch) -> Result<FileKind, String> {
    let half = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let (Some(e_type), Some(machine)) = (half(16), half(18)) else {
        return Err("truncated ELF header".into());
    };
    if bytes.get(4) != Some(&2) || bytes.get(5) != Some(&1) {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    if machine != arch.elf_machine() {
        return Err(format!(
            "ELF machine {machine} is not this JIT's architecture ({}, machine {})",
            arch.multiarch(),
            arch.elf_machine()
        ));
    }
    match e_type {
        1 => Ok(FileKind::Object),
        3 => Ok(FileKind::SharedLibrary),
        2 => Err("an executable: only objects, archives and shared libraries can be added".into()),
        t => Err(format!(
            "ELF file of type {t}, not an object or a shared library"
        )),
    }
}

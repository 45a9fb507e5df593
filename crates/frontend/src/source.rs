//! Source files and locations.
//!
//! Every token and every IR node carries a [`Loc`]: a file and a byte offset into that
//! file's original text. Lines and columns are derived on demand, so locations stay
//! 8 bytes and diagnostics, DWARF line tables and the debugger all agree on one mapping.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A position in an original source file (not in preprocessed text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub offset: u32,
}

impl Loc {
    pub const fn new(file: FileId, offset: u32) -> Self {
        Loc { file, offset }
    }
}

/// One loaded source file with its line-start table.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name as the user or the `#include` directive spelled it (what diagnostics print).
    pub name: String,
    /// The resolved path, when the file came from disk.
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<u32>,
    /// `#line` overrides: (offset of the line after the directive, new line number, new name index).
    line_overrides: Vec<(u32, u32, Option<String>)>,
    /// A system header (found through the system include directories): gcc reports no
    /// warnings located in one.
    pub system: bool,
    /// Where the `#include` that opened this copy of the file stands (`None` for the main
    /// file and other top-level buffers): the include chain of diagnostics and the
    /// translation order of locations ([`SourceMap::order_key`]).
    pub included_at: Option<Loc>,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile {
            name,
            path,
            text,
            line_starts,
            line_overrides: Vec::new(),
            system: false,
            included_at: None,
        }
    }

    /// Physical 1-based line and column (in bytes, 1-based) of `offset`.
    pub fn physical_line_col(&self, offset: u32) -> (u32, u32) {
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (idx as u32 + 1, offset - self.line_starts[idx] + 1)
    }

    /// The text of the physical line containing `offset`, without its newline.
    pub fn line_text(&self, offset: u32) -> &str {
        let (line, _) = self.physical_line_col(offset);
        let start = self.line_starts[line as usize - 1] as usize;
        let end = self
            .line_starts
            .get(line as usize)
            .map(|&e| e as usize - 1)
            .unwrap_or(self.text.len());
        let end = end.max(start).min(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    /// Byte offset where physical line `line` (1-based) starts.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line.checked_sub(1)? as usize).copied()
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// Records a `#line N ["name"]` directive whose effect starts at `offset`.
    pub fn add_line_override(&mut self, offset: u32, line: u32, name: Option<String>) {
        self.line_overrides.push((offset, line, name));
    }

    /// The presumed (file name, line) of `offset`, honouring `#line`.
    pub fn presumed(&self, offset: u32) -> (&str, u32) {
        let (phys, _) = self.physical_line_col(offset);
        let mut name: &str = &self.name;
        let mut line = phys;
        // Overrides are recorded in increasing offset order.
        let pos = self.line_overrides.partition_point(|o| o.0 <= offset);
        if pos > 0 {
            let (ov_off, ov_line, _) = &self.line_overrides[pos - 1];
            let (ov_phys, _) = self.physical_line_col(*ov_off);
            line = ov_line + (phys - ov_phys);
            // The latest override that set a name wins.
            if let Some(n) = self.line_overrides[..pos]
                .iter()
                .rev()
                .find_map(|o| o.2.as_deref())
            {
                name = n;
            }
        }
        (name, line)
    }
}

/// All files of a compilation, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<String>, path: Option<&Path>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(
            name.into(),
            path.map(Path::to_path_buf),
            text,
        ));
        id
    }

    /// Appends an already loaded file (a cached predefined-macro buffer), keeping its tables.
    pub fn push_file(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(file);
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file `id` names, or `None` for an id from another map.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn file_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files that include `loc`'s file, innermost first, with the `#include` location in each.
    pub fn include_chain(&self, loc: Loc) -> Vec<Loc> {
        let mut chain = Vec::new();
        let mut file = loc.file;
        while let Some(at) = self.files.get(file.0 as usize).and_then(|f| f.included_at) {
            // Each inclusion opens a new file after the one holding its directive, so the
            // walk ends; the guard is against a malformed map all the same.
            if at.file.0 >= file.0 || chain.len() > 1000 {
                break;
            }
            chain.push(at);
            file = at.file;
        }
        chain
    }

    /// A key that orders locations of one translation unit as the preprocessor read them:
    /// the top-level buffer (top-level buffers are read in the order they were added), the
    /// offsets of the enclosing `#include`s from it inwards, then `loc`'s own.
    pub fn order_key(&self, loc: Loc) -> Vec<u32> {
        let chain = self.include_chain(loc);
        let root = chain.last().map_or(loc.file, |l| l.file);
        let mut key = vec![root.0];
        key.extend(chain.iter().rev().map(|l| l.offset));
        key.push(loc.offset);
        key
    }

    /// (presumed file name, presumed line, column) of a location.
    pub fn resolve(&self, loc: Loc) -> (&str, u32, u32) {
        let f = self.file(loc.file);
        let (_, col) = f.physical_line_col(loc.offset);
        let (name, line) = f.presumed(loc.offset);
        (name, line, col)
    }
}

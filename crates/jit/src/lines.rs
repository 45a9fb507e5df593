//! Address → `file:line` from the image's relocated `.debug_line`, decoded once.
//!
//! Crash reports run in a signal handler, where decoding DWARF (which allocates) is not
//! allowed. So the line programs of every unit are decoded ahead of time into one sorted
//! table of address ranges; a lookup is a binary search that touches no allocator. The
//! debugger reads the same table for the other direction (a line's addresses, statement
//! boundaries for stepping).

use std::collections::HashMap;

use cfree_link::DebugSections;
use gimli::{EndianSlice, LittleEndian};

/// Why the line table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LineTableError {
    #[error("reading DWARF: {0}")]
    Dwarf(#[from] gimli::Error),
}

/// One address range of the table: the code of one line-table row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRange {
    pub start: u64,
    pub end: u64,
    /// Index into [`LineTable::file`].
    pub file: u32,
    pub line: u32,
    /// The row starts a statement (a place to stop at when stepping or breaking).
    pub is_stmt: bool,
}

type Range = LineRange;

/// The source line of every described address of the image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTable {
    /// Sorted by `start`; ranges do not overlap within one sequence.
    ranges: Vec<Range>,
    files: Vec<String>,
}

/// Every architecture cfree targets (x86-64, AArch64, RISC-V 64) is little-endian.
type Slice<'a> = EndianSlice<'a, LittleEndian>;

impl LineTable {
    /// Decodes the line program of every unit in `debug` (DWARF 2 to 5, as gcc and cfree
    /// write them). Rows with line 0 (compiler-generated code) describe nothing.
    pub fn from_debug(debug: &DebugSections) -> Result<LineTable, LineTableError> {
        let dwarf = gimli::Dwarf::load(|id| -> Result<Slice<'_>, gimli::Error> {
            Ok(EndianSlice::new(debug.data(id.name()), LittleEndian))
        })?;
        let mut table = LineTable::default();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        let mut units = dwarf.units();
        while let Some(header) = units.next()? {
            let unit = dwarf.unit(header)?;
            let Some(program) = unit.line_program.clone() else {
                continue;
            };
            // File indices of this unit's program → entries of `files`.
            let mut file_ids: Vec<(u64, u32)> = Vec::new();
            let mut rows = program.rows();
            let mut prev: Option<(u64, u64, u32, bool)> = None;
            while let Some((header, row)) = rows.next_row()? {
                let addr = row.address();
                if let Some((start, file, line, is_stmt)) = prev.take() {
                    if addr > start && line > 0 {
                        let file = match file_ids.iter().find(|(f, _)| *f == file) {
                            Some(&(_, id)) => id,
                            None => {
                                let name = file_name(&dwarf, &unit, header, file)
                                    .unwrap_or_else(|| "??".to_string());
                                let id = *by_name.entry(name).or_insert_with_key(|name| {
                                    table.files.push(name.clone());
                                    (table.files.len() - 1) as u32
                                });
                                file_ids.push((file, id));
                                id
                            }
                        };
                        table.ranges.push(Range {
                            start,
                            end: addr,
                            file,
                            line,
                            is_stmt,
                        });
                    }
                }
                if !row.end_sequence() {
                    let line = row.line().map_or(0, |l| l.get());
                    prev = Some((
                        addr,
                        row.file_index(),
                        u32::try_from(line).unwrap_or(0),
                        row.is_stmt(),
                    ));
                }
            }
        }
        table.ranges.sort_by_key(|r| (r.start, r.end));
        Ok(table)
    }

    /// Adds the ranges of `other` (the line table of what a later append linked), so that a
    /// debugger decodes each append's line programs once instead of the whole image again.
    pub fn extend(&mut self, other: LineTable) {
        let remap: Vec<u32> = other
            .files
            .into_iter()
            .map(|name| match self.files.iter().position(|f| *f == name) {
                Some(i) => i as u32,
                None => {
                    self.files.push(name);
                    (self.files.len() - 1) as u32
                }
            })
            .collect();
        self.ranges.extend(other.ranges.into_iter().map(|mut r| {
            r.file = remap.get(r.file as usize).copied().unwrap_or(r.file);
            r
        }));
        self.ranges.sort_by_key(|r| (r.start, r.end));
    }

    /// The file and line of `pc`, if some unit describes it. Allocation-free.
    pub fn lookup(&self, pc: u64) -> Option<(&str, u32)> {
        let i = self
            .ranges
            .partition_point(|r| r.start <= pc)
            .checked_sub(1)?;
        let r = self.ranges.get(i)?;
        if pc >= r.end {
            return None;
        }
        Some((self.files.get(r.file as usize)?.as_str(), r.line))
    }

    /// The range containing `pc`.
    pub fn range_at(&self, pc: u64) -> Option<&LineRange> {
        let i = self
            .ranges
            .partition_point(|r| r.start <= pc)
            .checked_sub(1)?;
        self.ranges.get(i).filter(|r| pc < r.end)
    }

    /// Every range, sorted by start address.
    pub fn ranges(&self) -> &[LineRange] {
        &self.ranges
    }

    /// The name of file `index` (as the unit recorded it).
    pub fn file(&self, index: u32) -> &str {
        self.files.get(index as usize).map_or("??", String::as_str)
    }

    /// No address is described (nothing was compiled with `-g`).
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// The file's path as the unit recorded it: the name, under its directory unless the name is
/// absolute or the directory is the compilation directory (so `cfree run -g prog.c` reports
/// `prog.c`, and a file named with a directory keeps it).
fn file_name(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    header: &gimli::LineProgramHeader<Slice<'_>>,
    index: u64,
) -> Option<String> {
    let file = header.file(index)?;
    let string = |attr| -> Option<String> {
        let s = dwarf.attr_string(unit, attr).ok()?;
        Some(s.to_string_lossy().into_owned())
    };
    let name = string(file.path_name())?;
    if name.starts_with('/') {
        return Some(name);
    }
    let comp_dir = unit.comp_dir.map(|d| d.to_string_lossy().into_owned());
    match file.directory(header).and_then(string) {
        Some(dir) if !dir.is_empty() && Some(&dir) != comp_dir.as_ref() => {
            Some(format!("{}/{name}", dir.trim_end_matches('/')))
        }
        _ => Some(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_the_covering_range_only() {
        let table = LineTable {
            ranges: vec![
                Range {
                    start: 0x100,
                    end: 0x110,
                    file: 0,
                    line: 3,
                    is_stmt: true,
                },
                Range {
                    start: 0x110,
                    end: 0x120,
                    file: 1,
                    line: 9,
                    is_stmt: true,
                },
                Range {
                    start: 0x200,
                    end: 0x208,
                    file: 0,
                    line: 4,
                    is_stmt: true,
                },
            ],
            files: vec!["a.c".into(), "b.h".into()],
        };
        assert_eq!(table.lookup(0x100), Some(("a.c", 3)));
        assert_eq!(table.lookup(0x10f), Some(("a.c", 3)));
        assert_eq!(table.lookup(0x110), Some(("b.h", 9)));
        assert_eq!(table.lookup(0x120), None, "gap between sequences");
        assert_eq!(table.lookup(0xff), None);
        assert_eq!(table.lookup(0x207), Some(("a.c", 4)));
        assert_eq!(table.lookup(0x208), None);
        assert!(LineTable::default().lookup(0x100).is_none());
    }
}

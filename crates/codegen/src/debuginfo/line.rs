//! `.debug_line`: the file table and one sequence per function.

use super::{dwarf_str, resolve, FuncRecord};
use cfree_frontend::ir::Function;
use cfree_frontend::{Loc, SourceMap};
use gimli::write::{Address, DirectoryId, FileId, LineProgram, LineString};
use std::collections::HashMap;

/// The line program's file table, filled with the files actually referenced.
#[derive(Default)]
pub(super) struct Files {
    files: HashMap<String, FileId>,
    dirs: HashMap<String, DirectoryId>,
}

impl Files {
    /// The file entry for a presumed file name (as `#include` or the command line spelled it).
    /// A name with a directory part gets its own directory entry (relative ones are relative
    /// to the compilation directory, entry 0).
    pub(super) fn id(&mut self, lp: &mut LineProgram, name: &str) -> FileId {
        if let Some(&id) = self.files.get(name) {
            return id;
        }
        let (dir, base) = match name.rfind('/') {
            Some(i) if i + 1 < name.len() => (&name[..i.max(1)], &name[i + 1..]),
            _ => ("", name),
        };
        let dir_id = if dir.is_empty() {
            lp.default_directory()
        } else if let Some(&d) = self.dirs.get(dir) {
            d
        } else {
            let d = lp.add_directory(LineString::String(dwarf_str(dir)));
            self.dirs.insert(dir.to_string(), d);
            d
        };
        let id = lp.add_file(LineString::String(dwarf_str(base)), dir_id, None);
        self.files.insert(name.to_string(), id);
        id
    }
}

/// One resolved line-table row.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Row {
    addr: u32,
    file: FileId,
    line: u32,
    col: u32,
}

/// Adds the sequence of one function: a row for its header at offset 0 (the prologue), then
/// one row per change of source position, ending at the function's size.
pub(super) fn add_sequence(
    lp: &mut LineProgram,
    files: &mut Files,
    sources: &SourceMap,
    start: Address,
    f: &Function,
    rec: &FuncRecord,
) {
    let mut rows: Vec<Row> = Vec::with_capacity(rec.rows.len() + 1);
    let entries = std::iter::once((0u32, f.loc)).chain(rec.rows.iter().copied());
    for (addr, loc) in entries {
        if addr >= rec.size {
            continue;
        }
        let Some(row) = resolve_row(lp, files, sources, addr, loc) else {
            continue;
        };
        match rows.last_mut() {
            // Same position as the previous row: nothing changes.
            Some(prev) if (prev.file, prev.line, prev.col) == (row.file, row.line, row.col) => {}
            // Same address (an empty range before): the later position wins.
            Some(prev) if prev.addr == row.addr => *prev = row,
            Some(prev) if prev.addr > row.addr => {}
            _ => rows.push(row),
        }
    }
    lp.begin_sequence(Some(start));
    for r in &rows {
        let row = lp.row();
        row.address_offset = u64::from(r.addr);
        row.file = r.file;
        row.line = u64::from(r.line);
        row.column = u64::from(r.col);
        row.is_statement = true;
        lp.generate_row();
    }
    lp.end_sequence(u64::from(rec.size));
}

fn resolve_row(
    lp: &mut LineProgram,
    files: &mut Files,
    sources: &SourceMap,
    addr: u32,
    loc: Loc,
) -> Option<Row> {
    let (name, line, col) = resolve(sources, loc)?;
    let file = files.id(lp, name);
    Some(Row {
        addr,
        file,
        line,
        col,
    })
}

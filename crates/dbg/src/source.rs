//! Source-level questions over the image's line table (`cfree_jit::lines`, decoded from the
//! relocated `.debug_line` of every input, old generations included): where a line's code
//! is, where a function's body starts after its frame setup, and which addresses begin a
//! new statement (the stops of `next` and `step`).

use cfree_jit::lines::{LineRange, LineTable};
use cfree_jit::Jit;

pub struct Source {
    table: LineTable,
}

/// `a/b/g.c` names `g.c`, `b/g.c` and itself: the user may give any trailing part.
fn same_file(recorded: &str, asked: &str) -> bool {
    recorded == asked
        || recorded
            .strip_suffix(asked)
            .is_some_and(|head| head.ends_with('/'))
        || asked
            .strip_suffix(recorded)
            .is_some_and(|head| head.ends_with('/'))
}

impl Source {
    /// The line table of everything linked so far; `None` without debug information.
    pub fn load(jit: &Jit) -> Option<Source> {
        let debug = jit.session().debug_sections().ok()?;
        let table = LineTable::from_debug(&debug).ok()?;
        (!table.is_empty()).then_some(Source { table })
    }

    /// Adds the lines of the inputs from index `from` on (what appends and reloads linked
    /// since the table was loaded); a table that did not exist yet is made from them.
    pub fn extend(this: &mut Option<Source>, jit: &Jit, from: usize) {
        let Ok(debug) = jit.session().debug_sections_from(from) else {
            return;
        };
        let Ok(table) = LineTable::from_debug(&debug) else {
            return;
        };
        if table.is_empty() {
            return;
        }
        match this {
            Some(s) => s.table.extend(table),
            None => *this = Some(Source { table }),
        }
    }

    /// File and line of `pc`.
    pub fn line_of(&self, pc: u64) -> Option<(&str, u32)> {
        self.table.lookup(pc)
    }

    pub fn range_at(&self, pc: u64) -> Option<&LineRange> {
        self.table.range_at(pc)
    }

    pub fn file(&self, r: &LineRange) -> &str {
        self.table.file(r.file)
    }

    /// The statement starts of `file:line`, or of the next line of that file with code (as
    /// gdb moves a breakpoint on a blank line): (the line used, its addresses).
    pub fn line_addresses(&self, file: &str, line: u32) -> Option<(u32, Vec<u64>)> {
        let in_file: Vec<&LineRange> = self
            .table
            .ranges()
            .iter()
            .filter(|r| r.is_stmt && r.line >= line && same_file(self.table.file(r.file), file))
            .collect();
        let best = in_file.iter().map(|r| r.line).min()?;
        let mut addrs: Vec<u64> = in_file
            .iter()
            .filter(|r| r.line == best)
            .map(|r| r.start)
            .collect();
        addrs.sort_unstable();
        // One address per run of consecutive ranges (a line split by is_stmt rows).
        addrs.dedup();
        let firsts = self.first_of_runs(&addrs, best);
        Some((best, firsts))
    }

    /// Of addresses of `line`, those not directly preceded by more code of the same line.
    fn first_of_runs(&self, addrs: &[u64], line: u32) -> Vec<u64> {
        addrs
            .iter()
            .copied()
            .filter(|&a| {
                a == 0
                    || self
                        .table
                        .range_at(a - 1)
                        .is_none_or(|prev| prev.line != line || prev.end != a)
            })
            .collect()
    }

    /// Where a breakpoint on function [lo, hi) goes: the first statement of a line after
    /// the function's first line (its frame setup), as gdb's prologue analysis finds it.
    pub fn after_prologue(&self, lo: u64, hi: u64) -> Option<u64> {
        let first = self.table.range_at(lo)?;
        let stmts = self.statements(lo, hi);
        // The first row of another line; in a function written on one line, the second
        // row (the frame setup and parameter stores are the first).
        stmts
            .iter()
            .find(|r| r.line != first.line && r.start > lo)
            .or_else(|| stmts.iter().find(|r| r.start > lo))
            .map(|r| r.start)
    }

    /// The statement rows whose code starts in [lo, hi), by address.
    pub fn statements(&self, lo: u64, hi: u64) -> Vec<LineRange> {
        let ranges = self.table.ranges();
        let from = ranges.partition_point(|r| r.start < lo);
        ranges[from..]
            .iter()
            .take_while(|r| r.start < hi)
            .filter(|r| r.is_stmt && r.line > 0)
            .copied()
            .collect()
    }
}

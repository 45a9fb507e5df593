//! Make dependency rules (`-M`, `-MM`, `-MD`, `-MMD`, `-MF`, `-MT`, `-MQ`, `-MP`), written
//! in the format gcc writes them so that build systems which parse gcc's `.d` files read
//! cfree's: targets, a colon, the input and then each header in the order first read, names
//! quoted for make, lines broken before a name that would pass column 72 with ` \` and a
//! one-space indent, and with `-MP` one empty rule per header.

use super::args::DepOptions;
use std::path::{Path, PathBuf};

/// Width gcc keeps dependency lines within.
const COLUMNS: usize = 72;

/// A name as make reads it: spaces and `#` escaped with a backslash, `$` doubled.
pub(crate) fn quote_target(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            ' ' | '\t' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '$' => out.push_str("$$"),
            _ => out.push(c),
        }
    }
    out
}

/// A path as the preprocessor opened it, without leading `./` (gcc drops them too).
fn spelled(p: &Path) -> String {
    let mut s = p.display().to_string();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.to_string();
    }
    s
}

/// The rule for `input` (the main file) and `files` (everything preprocessing read, first
/// read first, with whether each is a system header); `object` is the default target.
pub(crate) fn rule(d: &DepOptions, object: &Path, files: &[(PathBuf, bool)]) -> String {
    let targets: Vec<String> = if d.targets.is_empty() {
        vec![quote_target(&spelled(object))]
    } else {
        d.targets.clone()
    };
    let mut deps: Vec<String> = Vec::new();
    for (p, system) in files {
        let name = quote_target(&spelled(p));
        if (d.system || !system) && !deps.contains(&name) {
            deps.push(name);
        }
    }
    let mut out = String::new();
    let mut col = 0;
    for t in &targets {
        col = put(&mut out, t, col);
    }
    out.push(':');
    col += 1;
    for dep in &deps {
        col = put(&mut out, dep, col);
    }
    out.push('\n');
    if d.phony {
        for dep in deps.iter().skip(1) {
            out.push_str(dep);
            out.push_str(":\n");
        }
    }
    out
}

/// Appends `name` after column `col` (a space first unless the line is empty, a break
/// first if it would not fit); returns the new column.
fn put(out: &mut String, name: &str, mut col: usize) -> usize {
    if col > 0 {
        if col + name.len() > COLUMNS {
            out.push_str(" \\\n");
            col = 0;
        }
        out.push(' ');
        col += 1;
    }
    out.push_str(name);
    col + name.len()
}

/// Where `-MD`/`-MMD` write: `-MF`, else the object's name with `.d` for its suffix.
pub(crate) fn side_file(d: &DepOptions, object: &Path) -> PathBuf {
    d.file.clone().unwrap_or_else(|| object.with_extension("d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_rules_break_before_column_72_and_quote_for_make() {
        let d = DepOptions {
            phony: true,
            ..DepOptions::default()
        };
        let files: Vec<(PathBuf, bool)> = [
            ("./my prog$#.c", false),
            ("sub/alpha_header_number_one.h", false),
            ("/usr/include/stdio.h", true),
            ("sub/beta_header_number_two.h", false),
        ]
        .iter()
        .map(|(p, s)| (PathBuf::from(p), *s))
        .collect();
        let r = rule(&d, Path::new("my prog$#.o"), &files);
        assert_eq!(
            r,
            "my\\ prog$$\\#.o: my\\ prog$$\\#.c sub/alpha_header_number_one.h \\\n \
             sub/beta_header_number_two.h\nsub/alpha_header_number_one.h:\n\
             sub/beta_header_number_two.h:\n"
        );
    }
}

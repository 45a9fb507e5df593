//! Static archives (`ar` files of relocatable objects): the members a link needs.
//!
//! A member joins the link when it defines a global symbol that the objects chosen so far
//! reference and nobody defines, as GNU ld decides; members chosen that way can pull in
//! further members. Unlike ld's strict left-to-right order, all archives are searched as one
//! group (ld's `--start-group`, tcc's behaviour), because a JIT's inputs have no order that
//! the user wrote with archive ordering in mind. A weak undefined reference pulls in nothing.

use std::collections::HashSet;

use object::read::archive::ArchiveFile;
use object::read::elf::ElfFile64;
use object::{Endianness, Object, ObjectSymbol};

use crate::error::LinkError;
use crate::input::LinkInput;

/// An archive's member objects, named `archive(member)` as ld names them in messages.
#[derive(Clone, Debug)]
pub struct Archive {
    pub name: String,
    pub members: Vec<LinkInput>,
}

/// Whether `bytes` start like an `ar` archive.
pub fn is_archive(bytes: &[u8]) -> bool {
    bytes.starts_with(b"!<arch>\n")
}

impl Archive {
    /// Reads every member of the archive `name` (thin archives, whose members live in other
    /// files, are refused).
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Archive, LinkError> {
        let bad = |reason: String| LinkError::Parse {
            input: name.to_owned(),
            reason,
        };
        let file = ArchiveFile::parse(bytes).map_err(|e| bad(format!("not an archive: {e}")))?;
        if file.is_thin() {
            return Err(bad("thin archives are not supported".into()));
        }
        let mut members = Vec::new();
        for m in file.members() {
            let m = m.map_err(|e| bad(e.to_string()))?;
            let data = m.data(bytes).map_err(|e| bad(e.to_string()))?;
            let member = String::from_utf8_lossy(m.name()).into_owned();
            members.push(LinkInput::new(format!("{name}({member})"), data.to_vec()));
        }
        Ok(Archive {
            name: name.to_owned(),
            members,
        })
    }
}

/// The global names an object defines and the ones it needs (strong undefined references).
struct SymbolSets {
    defined: Vec<String>,
    needed: Vec<String>,
}

fn symbol_sets(input: &LinkInput) -> Result<SymbolSets, LinkError> {
    let file = ElfFile64::<Endianness>::parse(&*input.bytes).map_err(|e| LinkError::Parse {
        input: input.name.clone(),
        reason: e.to_string(),
    })?;
    let mut sets = SymbolSets {
        defined: Vec::new(),
        needed: Vec::new(),
    };
    for sym in file.symbols() {
        if !sym.is_global() {
            continue;
        }
        let Ok(name) = sym.name() else { continue };
        if name.is_empty() {
            continue;
        }
        if !sym.is_undefined() {
            sets.defined.push(name.to_owned());
        } else if !sym.is_weak() {
            sets.needed.push(name.to_owned());
        }
    }
    Ok(sets)
}

/// The archive members `objects` need, directly or through other members, in the order
/// they were chosen.
pub fn select_members(
    objects: &[LinkInput],
    archives: &[Archive],
) -> Result<Vec<LinkInput>, LinkError> {
    select_members_with(objects, archives, |_| false)
}

/// [`select_members`] for objects appended to a live image: a name `resolved` says the image
/// already defines pulls in nothing (the member defining it may even be linked already).
pub fn select_members_with(
    objects: &[LinkInput],
    archives: &[Archive],
    resolved: impl Fn(&str) -> bool,
) -> Result<Vec<LinkInput>, LinkError> {
    let mut defined = HashSet::new();
    let mut needed = HashSet::new();
    for o in objects {
        let sets = symbol_sets(o)?;
        defined.extend(sets.defined);
        needed.extend(sets.needed);
    }
    let members: Vec<(&LinkInput, SymbolSets)> = archives
        .iter()
        .flat_map(|a| &a.members)
        .map(|m| symbol_sets(m).map(|s| (m, s)))
        .collect::<Result<_, _>>()?;
    let mut chosen = vec![false; members.len()];
    let mut out = Vec::new();
    // Passes over the members until one adds nothing, as ld rescans a group.
    let mut changed = true;
    while changed {
        changed = false;
        for (i, (member, sets)) in members.iter().enumerate() {
            let unresolved =
                |n: &String| needed.contains(n) && !defined.contains(n) && !resolved(n);
            if chosen[i] || !sets.defined.iter().any(unresolved) {
                continue;
            }
            chosen[i] = true;
            changed = true;
            out.push((*member).clone());
            defined.extend(sets.defined.iter().cloned());
            needed.extend(sets.needed.iter().cloned());
        }
    }
    Ok(out)
}

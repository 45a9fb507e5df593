//! Inline assembly without an assembler inside Cranelift: each asm statement becomes a small
//! "thunk" function written as assembly text by the target module (`x86_64.rs`), called with a
//! pointer to an operand block in a stack slot (see `lower.rs`, part of the function
//! translator). All thunks and file-scope `asm` of a translation unit are assembled by one run
//! of the system assembler; the resulting sections, symbols and relocations are copied into
//! the object that Cranelift wrote, where the thunk symbols (declared as imports while the
//! functions were translated) become local definitions.

mod aarch64;
mod riscv64;
mod x86_64;

use crate::CodegenError;
use cfree_frontend::ir::{AsmPlace, TranslationUnit};
use cfree_frontend::{Arch, Loc};
use cranelift_object::ObjectProduct;
use object::read::elf::ElfFile64;
use object::write::{Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{
    Endianness, Object as _, ObjectSection as _, ObjectSymbol as _, RelocationTarget, SectionFlags,
    SymbolKind, SymbolScope,
};
use std::collections::HashMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// Prefix of thunk symbol names; they are local to the object.
pub(crate) const THUNK_PREFIX: &str = "__cfree_asm_thunk.";

/// One operand as the target printer sees it.
pub(crate) struct OperandInfo {
    pub name: Option<String>,
    pub constraint: String,
    pub place: AsmPlace,
    pub output: bool,
    pub read_write: bool,
    pub early_clobber: bool,
    /// Size in bytes of the operand's type (selects `%al`/`%ax`/`%eax`/`%rax`).
    pub size: u64,
    /// Offset of the operand's cell in the block.
    pub offset: u32,
    /// The symbol name of an [`AsmPlace::Symbol`] operand.
    pub symbol: Option<String>,
}

/// Everything the target needs to write one thunk.
pub(crate) struct ThunkSpec {
    pub name: String,
    pub template: String,
    pub basic: bool,
    pub ops: Vec<OperandInfo>,
    pub clobbers: Vec<u8>,
    /// The number `%=` prints: unique per statement in the object.
    pub unique: u32,
    /// `asm goto` label names, in order: the thunk returns 1 + the index of the label the
    /// template jumped to, 0 when it fell through.
    pub labels: Vec<String>,
}

/// Size of one operand cell in the block: a ymm register's worth.
pub(crate) const CELL: u32 = 32;

/// The thunk-local label standing for `asm goto` label `k` in the template.
pub(crate) fn goto_label(spec: &ThunkSpec, k: usize) -> String {
    format!("{}.goto{k}", spec.name)
}

/// `%l[name]` or `%lN` (N counts after the outputs and inputs): the label's index and the
/// index after the reference.
pub(crate) fn label_ref(spec: &ThunkSpec, s: &[char], j: usize) -> Option<(usize, usize)> {
    if s.get(j) == Some(&'[') {
        let close = j + s[j..].iter().position(|&c| c == ']')?;
        let name: String = s[j + 1..close].iter().collect();
        let k = spec.labels.iter().position(|l| *l == name)?;
        return Some((k, close + 1));
    }
    let mut k = j;
    while k < s.len() && s[k].is_ascii_digit() {
        k += 1;
    }
    let n: usize = s[j..k].iter().collect::<String>().parse().ok()?;
    let idx = n.checked_sub(spec.ops.len())?;
    (idx < spec.labels.len()).then_some((idx, k))
}

/// `N` or `[name]` at `s[j]`: the operand index and the index after the reference.
pub(crate) fn operand_ref(spec: &ThunkSpec, s: &[char], j: usize) -> Option<(usize, usize)> {
    if s.get(j) == Some(&'[') {
        let close = j + s[j..].iter().position(|&c| c == ']')?;
        let name: String = s[j + 1..close].iter().collect();
        let n = spec
            .ops
            .iter()
            .position(|o| o.name.as_deref() == Some(&name))?;
        return Some((n, close + 1));
    }
    let mut k = j;
    while k < s.len() && s[k].is_ascii_digit() {
        k += 1;
    }
    let n: usize = s[j..k].iter().collect::<String>().parse().ok()?;
    (n < spec.ops.len()).then_some((n, k))
}

/// The thunk text for `spec` on `arch`.
/// Expands a GNU-style template for the targets whose operands print without a `%` sigil
/// (AArch64, RISC-V): `%%`, `%=`, `%lN` goto labels, and `%[mod]N` operands, which
/// `operand(n, modifier)` prints the target's way.
pub(crate) fn expand_template(
    spec: &ThunkSpec,
    mut operand: impl FnMut(usize, Option<char>) -> Result<String, String>,
) -> Result<String, String> {
    if spec.basic {
        return Ok(spec.template.clone());
    }
    let s: Vec<char> = spec.template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(&c) = s.get(i) else {
            return Err("asm template ends with '%'".into());
        };
        match c {
            '%' => {
                out.push('%');
                i += 1;
                continue;
            }
            '=' => {
                out.push_str(&spec.unique.to_string());
                i += 1;
                continue;
            }
            _ => {}
        }
        let (modifier, j) = if c.is_ascii_alphabetic() {
            (Some(c), i + 1)
        } else {
            (None, i)
        };
        if modifier == Some('l') {
            let (k, end) = label_ref(spec, &s, j)
                .ok_or_else(|| "invalid asm goto label reference in asm template".to_string())?;
            out.push_str(&goto_label(spec, k));
            i = end;
            continue;
        }
        let (n, end) = operand_ref(spec, &s, j).ok_or_else(|| {
            format!(
                "invalid operand reference '%{}' in asm template",
                s[i..].iter().take(3).collect::<String>()
            )
        })?;
        out.push_str(&operand(n, modifier)?);
        i = end;
    }
    Ok(out)
}

pub(crate) fn thunk_text(arch: Arch, spec: &ThunkSpec) -> Result<String, String> {
    match arch {
        Arch::X86_64 => x86_64::thunk(spec),
        Arch::Aarch64 => aarch64::thunk(spec),
        Arch::Riscv64 => riscv64::thunk(spec),
    }
}

fn assembler(arch: Arch) -> Option<(&'static str, &'static [&'static str])> {
    match arch {
        Arch::X86_64 => Some(x86_64::ASSEMBLER),
        Arch::Aarch64 => Some(aarch64::ASSEMBLER),
        Arch::Riscv64 => Some(riscv64::ASSEMBLER),
    }
}

/// The assembly text of a translation unit, in pieces that remember their statement.
#[derive(Default)]
pub(crate) struct AsmUnit {
    pieces: Vec<(String, Loc)>,
    thunks: u32,
}

impl AsmUnit {
    /// A fresh thunk name and its `%=` number.
    pub fn next_thunk(&mut self) -> (String, u32) {
        let n = self.thunks;
        self.thunks += 1;
        (format!("{THUNK_PREFIX}{n}"), n)
    }

    pub fn add(&mut self, text: String, loc: Loc) {
        self.pieces.push((text, loc));
    }

    /// Assembles everything and merges it into the object.
    pub fn finish(
        mut self,
        product: &mut ObjectProduct,
        tu: &TranslationUnit,
        arch: Arch,
    ) -> Result<(), CodegenError> {
        for (text, loc) in &tu.file_asm {
            // File-scope asm starts in `.text`, as gcc's output would have it.
            self.pieces.push((format!("\t.text\n{text}\n"), *loc));
        }
        if self.pieces.is_empty() {
            return Ok(());
        }
        let first = self.pieces[0].1;
        let Some((prog, args)) = assembler(arch) else {
            return Err(CodegenError::Located {
                loc: first,
                msg: "inline assembly is not supported by cfree on this target".into(),
            });
        };
        let (text, lines) = self.joined();
        let elf = run_assembler(prog, args, &text).map_err(|(line, msg)| {
            let loc = line
                .and_then(|l| lines.iter().rev().find(|(start, _)| *start <= l))
                .map_or(first, |(_, loc)| *loc);
            CodegenError::Located { loc, msg }
        })?;
        merge(&mut product.object, &elf).map_err(|msg| CodegenError::Located { loc: first, msg })
    }

    /// The whole text and the first line (1-based) of each piece.
    fn joined(&self) -> (String, Vec<(usize, Loc)>) {
        let mut text = String::new();
        let mut lines = Vec::new();
        let mut line = 1;
        for (piece, loc) in &self.pieces {
            lines.push((line, *loc));
            text.push_str(piece);
            if !piece.ends_with('\n') {
                text.push('\n');
            }
            line = text.lines().count() + 1;
        }
        (text, lines)
    }
}

/// Runs the assembler on `text`; on failure, the first error's line (if the message has one)
/// and message.
fn run_assembler(
    prog: &str,
    args: &[&str],
    text: &str,
) -> Result<Vec<u8>, (Option<usize>, String)> {
    static N: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "cfree-asm-{}-{}.o",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let spawned = std::process::Command::new(prog)
        .args(args)
        .arg("-o")
        .arg(&path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child =
        spawned.map_err(|e| (None, format!("cannot run the assembler '{prog}': {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A write error shows up as the assembler's failure below.
        let _ = stdin.write_all(text.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| (None, format!("assembler '{prog}' failed: {e}")))?;
    let bytes = std::fs::read(&path);
    let _ = std::fs::remove_file(&path);
    if !out.status.success() {
        return Err(first_error(&String::from_utf8_lossy(&out.stderr)));
    }
    bytes.map_err(|e| (None, format!("cannot read the assembler's output: {e}")))
}

/// `{standard input}:12: Error: msg` → (12, "assembler: msg").
fn first_error(stderr: &str) -> (Option<usize>, String) {
    for l in stderr.lines() {
        if let Some((pos, msg)) = l.split_once(": Error: ") {
            let line = pos.rsplit(':').next().and_then(|n| n.parse().ok());
            return (line, format!("assembler: {msg}"));
        }
    }
    (None, format!("assembler failed: {}", stderr.trim()))
}

/// Copies the allocated sections of an assembled object, their symbols and relocations into
/// `obj`. A symbol `obj` already has undefined (a thunk, or a function C declared and the asm
/// defines) is defined in place; thunks become local.
fn merge(obj: &mut object::write::Object<'static>, elf: &[u8]) -> Result<(), String> {
    let f = ElfFile64::<Endianness>::parse(elf)
        .map_err(|e| format!("cannot read assembled code: {e}"))?;
    let mut secs: HashMap<object::SectionIndex, SectionId> = HashMap::new();
    let mut code: Vec<SectionId> = Vec::new();
    for s in f.sections() {
        let SectionFlags::Elf { sh_flags } = s.flags() else {
            continue;
        };
        let name = s.name().unwrap_or("");
        if sh_flags & u64::from(object::elf::SHF_ALLOC) == 0 || s.size() == 0 || name == ".eh_frame"
        {
            continue;
        }
        let id = obj.add_section(Vec::new(), name.as_bytes().to_vec(), s.kind());
        if s.kind().is_bss() {
            obj.append_section_bss(id, s.size(), s.align().max(1));
        } else {
            let data = s.data().map_err(|e| e.to_string())?;
            obj.set_section_data(id, data.to_vec(), s.align().max(1));
        }
        obj.section_mut(id).flags = SectionFlags::Elf { sh_flags };
        secs.insert(s.index(), id);
        if s.kind() == object::SectionKind::Text {
            code.push(id);
        }
    }
    let mut syms: HashMap<object::SymbolIndex, SymbolId> = HashMap::new();
    for sym in f.symbols() {
        if let Some(id) = merge_symbol(obj, &sym, &secs, &code)? {
            syms.insert(sym.index(), id);
        }
    }
    for s in f.sections() {
        let Some(&id) = secs.get(&s.index()) else {
            continue;
        };
        for (offset, r) in s.relocations() {
            let symbol = match r.target() {
                RelocationTarget::Symbol(i) => match syms.get(&i) {
                    Some(&id) => id,
                    None => {
                        return Err("assembled code refers to a symbol cfree cannot place".into())
                    }
                },
                RelocationTarget::Section(i) => match secs.get(&i) {
                    Some(&sid) => obj.section_symbol(sid),
                    None => return Err("assembled code refers to a section cfree dropped".into()),
                },
                _ => return Err("unsupported relocation in assembled code".into()),
            };
            let rel = Relocation {
                offset,
                symbol,
                addend: r.addend(),
                flags: r.flags(),
            };
            obj.add_relocation(id, rel).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn merge_symbol(
    obj: &mut object::write::Object<'static>,
    sym: &object::read::elf::ElfSymbol64<'_, '_, Endianness>,
    secs: &HashMap<object::SectionIndex, SectionId>,
    code: &[SectionId],
) -> Result<Option<SymbolId>, String> {
    if matches!(sym.kind(), SymbolKind::Section | SymbolKind::File) {
        if let Some(i) = sym.section_index() {
            if let Some(&sid) = secs.get(&i) {
                return Ok(Some(obj.section_symbol(sid)));
            }
        }
        return Ok(None);
    }
    let name = sym.name_bytes().map_err(|e| e.to_string())?.to_vec();
    if name.is_empty() {
        return Ok(None);
    }
    let section = match sym.section_index() {
        Some(i) => match secs.get(&i) {
            Some(&sid) => SymbolSection::Section(sid),
            None => return Ok(None),
        },
        None if sym.is_undefined() => SymbolSection::Undefined,
        None => SymbolSection::Absolute,
    };
    let thunk = name.starts_with(THUNK_PREFIX.as_bytes());
    let scope = if thunk || sym.is_local() {
        SymbolScope::Compilation
    } else {
        SymbolScope::Dynamic
    };
    let existing = obj.symbol_id(&name);
    if section == SymbolSection::Undefined {
        if let Some(id) = existing {
            return Ok(Some(id));
        }
    }
    // Labels without `.type` are code in code sections, data elsewhere.
    let kind = match (sym.kind(), section) {
        (SymbolKind::Unknown, SymbolSection::Section(sid)) => {
            if code.contains(&sid) {
                SymbolKind::Text
            } else {
                SymbolKind::Data
            }
        }
        (k, _) => k,
    };
    let new = Symbol {
        name: name.clone(),
        value: sym.address(),
        size: sym.size(),
        kind,
        scope,
        weak: sym.is_weak(),
        section,
        flags: object::SymbolFlags::None,
    };
    match existing {
        Some(id) if obj.symbol(id).section == SymbolSection::Undefined => {
            let old = obj.symbol_mut(id);
            let keep_scope = if thunk {
                SymbolScope::Compilation
            } else {
                old.scope
            };
            *old = Symbol {
                scope: keep_scope,
                ..new
            };
            Ok(Some(id))
        }
        Some(_) if sym.is_local() && !thunk => Ok(Some(obj.add_symbol(new))),
        Some(_) => Err(format!(
            "symbol '{}' is defined both in C and in assembly",
            String::from_utf8_lossy(&name)
        )),
        None => Ok(Some(obj.add_symbol(new))),
    }
}

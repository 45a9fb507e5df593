//! What a unit declares, for embedders: the layouts of its structs and unions (the offsets the
//! compiler itself used), its enumerations, typedefs, global variables, parameter names and
//! integer constants, with every type spelled the way [`super::Prototype`] spells it.
//!
//! A scripting host (the Python binding) builds its C types from this, so nothing is
//! re-derived from C text or recomputed by another layout engine.
//!
//! Spellings: `int`, `unsigned long`, `struct point`, `union u`, `enum color`, `double [4]`,
//! `char *`, `int (int, double) *` (a pointer to a function type). A record without a tag is
//! spelled by the first typedef naming it (`point_t`), else by where it is used:
//! `struct outer.inner` for the type of member `inner` of `struct outer` (`struct outer.#2`
//! for an anonymous member at index 2), `struct <g>` for the type of global `g`, else
//! `struct <anonymous N in FILE>`. An enumeration without a tag is spelled as its underlying
//! integer type.

use std::collections::HashMap;

use cfree_frontend::ir::{Linkage, SymKind, TranslationUnit};
use cfree_frontend::pp::IntMacro;
use cfree_frontend::types::{FloatKind, RecordId, TypeId, TypeKind, TypeTable};

/// One member of a struct or union.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// Empty for an anonymous struct/union member or an unnamed bit-field.
    pub name: String,
    pub ty: String,
    /// Bytes from the start of the record (for a bit-field, of its storage unit).
    pub offset: u64,
    /// `(bit_offset, width, unit_size)` of a bit-field: its first bit inside the `unit_size`
    /// bytes at `offset` (least significant bit first) and its width in bits.
    pub bit: Option<(u32, u32, u32)>,
}

/// A complete struct or union, as the compiler laid it out for the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordInfo {
    pub spelling: String,
    pub is_union: bool,
    pub size: u64,
    pub align: u64,
    pub fields: Vec<FieldInfo>,
}

/// An enumeration with a tag: its underlying integer type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumInfo {
    pub spelling: String,
    pub base: String,
}

/// A variable with external linkage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalInfo {
    pub name: String,
    pub ty: String,
    pub defined: bool,
    pub readonly: bool,
}

/// Where a [`ConstantInfo`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstantKind {
    Enumerator,
    Macro,
}

/// An enumeration constant or an integer object-like macro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstantInfo {
    pub name: String,
    pub value: i128,
    /// `enum color` (or the underlying type of an enumeration without a tag) for an
    /// enumerator; `long` or `unsigned long` (the `#if` evaluation types) for a macro.
    pub ty: String,
    pub kind: ConstantKind,
}

/// The declarations of one unit an embedder can use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interface {
    pub records: Vec<RecordInfo>,
    pub enums: Vec<EnumInfo>,
    /// Typedef name and the spelling of its type.
    pub typedefs: Vec<(String, String)>,
    pub globals: Vec<GlobalInfo>,
    pub constants: Vec<ConstantInfo>,
    /// Parameter names of each function the unit defines ("" for an unnamed one).
    pub params: Vec<(String, Vec<String>)>,
}

/// Spells types of one unit, naming its records as the module docs say.
pub struct Speller<'a> {
    types: &'a TypeTable,
    names: HashMap<RecordId, String>,
}

impl<'a> Speller<'a> {
    /// Names every record of `tu` (`unit` names the source in the last-resort spelling).
    pub fn new(tu: &'a TranslationUnit, unit: &str) -> Speller<'a> {
        let types = &tu.types;
        let mut names: HashMap<RecordId, String> = HashMap::new();
        let kw = |r: RecordId| {
            if types.record(r).is_union {
                "union"
            } else {
                "struct"
            }
        };
        for (i, rd) in types.records.iter().enumerate() {
            if let Some(tag) = &rd.tag {
                let r = RecordId(i as u32);
                names.insert(r, format!("{} {tag}", kw(r)));
            }
        }
        for (name, t) in &tu.file_names.typedefs {
            if let (TypeKind::Record(r), true) = (types.kind(*t), types.quals(*t).is_empty()) {
                names.entry(*r).or_insert_with(|| name.clone());
            }
        }
        // Records only reachable through a member: named after the member, breadth first
        // from the records already named (a nested anonymous record gets its parent's name).
        let mut queue: Vec<RecordId> = {
            let mut v: Vec<RecordId> = names.keys().copied().collect();
            v.sort_by_key(|r| r.0);
            v
        };
        let mut at = 0;
        while at < queue.len() {
            let parent = queue[at];
            at += 1;
            let pname = names.get(&parent).cloned().unwrap_or_default();
            let body = pname
                .strip_prefix("struct ")
                .or_else(|| pname.strip_prefix("union "))
                .unwrap_or(&pname)
                .to_owned();
            for (i, f) in types.record(parent).fields.iter().enumerate() {
                if let Some(r) = record_under(types, f.ty) {
                    if let std::collections::hash_map::Entry::Vacant(e) = names.entry(r) {
                        let member = match &f.name {
                            Some(n) => n.clone(),
                            None => format!("#{i}"),
                        };
                        e.insert(format!("{} {body}.{member}", kw(r)));
                        queue.push(r);
                    }
                }
            }
        }
        for s in &tu.symbols {
            if s.kind == SymKind::Data {
                if let Some(r) = record_under(types, s.ty) {
                    if let std::collections::hash_map::Entry::Vacant(e) = names.entry(r) {
                        e.insert(format!("{} <{}>", kw(r), s.name));
                        // Its own anonymous members follow the same rule.
                        let mut sub = vec![r];
                        while let Some(p) = sub.pop() {
                            let pname = names.get(&p).cloned().unwrap_or_default();
                            let body = pname.split_once(' ').map_or(pname.clone(), |x| x.1.into());
                            for (i, f) in types.record(p).fields.iter().enumerate() {
                                if let Some(c) = record_under(types, f.ty) {
                                    if let std::collections::hash_map::Entry::Vacant(e) =
                                        names.entry(c)
                                    {
                                        let member = f.name.clone().unwrap_or(format!("#{i}"));
                                        e.insert(format!("{} {body}.{member}", kw(c)));
                                        sub.push(c);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for i in 0..types.records.len() {
            let r = RecordId(i as u32);
            names
                .entry(r)
                .or_insert_with(|| format!("{} <anonymous {i} in {unit}>", kw(r)));
        }
        Speller { types, names }
    }

    /// The spelling of `t`, qualifiers dropped at every level.
    pub fn spell(&self, t: TypeId) -> String {
        let types = self.types;
        // (`kind` looks through enumerations: ask first.)
        if types.enum_def(t).is_some() {
            return self.spell_enum(t);
        }
        match types.kind(t) {
            TypeKind::Void => "void".into(),
            TypeKind::Int(k) => k.c_name().into(),
            TypeKind::Float(FloatKind::Float) => "float".into(),
            TypeKind::Float(FloatKind::Double) => "double".into(),
            TypeKind::Float(FloatKind::LongDouble) => "long double".into(),
            TypeKind::Float(FloatKind::Float128) => "_Float128".into(),
            TypeKind::Pointer(p) => format!("{} *", self.spell(*p)),
            TypeKind::Array(e, Some(n)) => format!("{} [{n}]", self.spell(*e)),
            TypeKind::Array(e, None) => format!("{} []", self.spell(*e)),
            TypeKind::Vla { elem, .. } => format!("{} [*]", self.spell(*elem)),
            TypeKind::Vector { elem, count } => format!(
                "{} __attribute__((vector_size({})))",
                self.spell(*elem),
                types.size(*elem) * count
            ),
            TypeKind::Complex(e) => format!("complex {}", self.spell(*e)),
            TypeKind::Func(f) => {
                let mut ps: Vec<String> = f.params.iter().map(|p| self.spell(*p)).collect();
                if f.variadic {
                    ps.push("...".into());
                }
                format!("{} ({})", self.spell(f.ret), ps.join(", "))
            }
            TypeKind::Record(r) => self.names.get(r).cloned().unwrap_or_default(),
            TypeKind::VaList => "__builtin_va_list".into(),
            TypeKind::Qualified { base, .. } | TypeKind::Enum { base, .. } => self.spell(*base),
        }
    }

    fn spell_enum(&self, t: TypeId) -> String {
        match self.types.enum_def(t) {
            Some(d) => match d.tag {
                Some(tag) => format!("enum {tag}"),
                None => self.spell(d.base),
            },
            None => "int".into(),
        }
    }
}

/// The record `t` is, or is an array (of arrays) of.
fn record_under(types: &TypeTable, mut t: TypeId) -> Option<RecordId> {
    loop {
        match types.kind(t) {
            TypeKind::Record(r) => return Some(*r),
            TypeKind::Array(e, _) => t = *e,
            _ => return None,
        }
    }
}

/// The interface of an analysed unit; `macros` are its integer macros.
pub fn describe(tu: &TranslationUnit, sp: &Speller, macros: &[IntMacro]) -> Interface {
    let types = &tu.types;
    let mut out = Interface::default();
    for (i, rd) in types.records.iter().enumerate() {
        if !rd.complete {
            continue;
        }
        let r = RecordId(i as u32);
        out.records.push(RecordInfo {
            spelling: sp.names.get(&r).cloned().unwrap_or_default(),
            is_union: rd.is_union,
            size: rd.size,
            align: rd.align,
            fields: rd
                .fields
                .iter()
                .map(|f| FieldInfo {
                    name: f.name.clone().unwrap_or_default(),
                    ty: sp.spell(f.ty),
                    offset: f.offset,
                    bit: f.bit.as_ref().map(|b| (b.bit_offset, b.width, b.unit_size)),
                })
                .collect(),
        });
    }
    for (_, t) in &tu.file_names.tags {
        if let Some(d) = types.enum_def(*t) {
            if d.tag.is_some() {
                out.enums.push(EnumInfo {
                    spelling: sp.spell(*t),
                    base: sp.spell(d.base),
                });
            }
        }
    }
    out.typedefs = tu
        .file_names
        .typedefs
        .iter()
        .filter(|(n, _)| !n.starts_with("__builtin_"))
        .map(|(n, t)| (n.clone(), sp.spell(*t)))
        .collect();
    let readonly: std::collections::HashSet<u32> = tu
        .globals
        .iter()
        .filter(|g| g.readonly)
        .map(|g| g.sym.0)
        .collect();
    for (i, s) in tu.symbols.iter().enumerate() {
        if s.kind == SymKind::Data && s.linkage == Linkage::External && !s.thread_local {
            out.globals.push(GlobalInfo {
                name: s.name.clone(),
                ty: sp.spell(s.ty),
                defined: s.defined,
                readonly: readonly.contains(&(i as u32)) || types.is_const(s.ty),
            });
        }
    }
    out.constants = tu
        .file_names
        .enum_consts
        .iter()
        .map(|(n, v, t)| ConstantInfo {
            name: n.clone(),
            value: *v,
            ty: sp.spell(*t),
            kind: ConstantKind::Enumerator,
        })
        .collect();
    out.constants.extend(macros.iter().map(|m| {
        ConstantInfo {
            name: m.name.clone(),
            value: if m.value.unsigned {
                i128::from(m.value.v as u64)
            } else {
                i128::from(m.value.v)
            },
            ty: if m.value.unsigned {
                "unsigned long"
            } else {
                "long"
            }
            .into(),
            kind: ConstantKind::Macro,
        }
    }));
    for f in &tu.functions {
        let external = tu
            .symbols
            .get(f.sym.0 as usize)
            .is_some_and(|s| s.linkage == Linkage::External);
        if !external {
            continue;
        }
        let names = f
            .params
            .iter()
            .map(|l| {
                f.locals
                    .get(l.0 as usize)
                    .map(|v| v.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        let name = tu
            .symbols
            .get(f.sym.0 as usize)
            .map_or_else(|| f.name.clone(), |s| s.name.clone());
        out.params.push((name, names));
    }
    out
}

//! The C declarations an image knows: the struct and union layouts, enumerations, typedefs,
//! global variables, parameter names and integer constants of every unit appended to it (and
//! of the text given to [`Jit::declare`](crate::Jit::declare)), as the compiler recorded them
//! ([`cfree_driver::pipeline::interface`]). Scripting hosts build their C types from this
//! (the C API's `cfree_jit_type_layout`, `cfree_jit_global_type`, `cfree_jit_constants`), so
//! layouts are the compiler's, never recomputed by the host.
//!
//! Units are merged by name: a later unit's definition of `struct point`, of a typedef or of
//! a constant replaces an earlier one (as a later append replaces nothing in the image, but
//! is what code compiled from then on sees). A global's type comes from the unit that defines
//! it; a unit that only declares it (`extern int counter;`) gives its type when no unit
//! defines it (a variable of the host or of a library).

use std::collections::{BTreeMap, HashMap};

use cfree_driver::pipeline::interface::{ConstantInfo, GlobalInfo, Interface, RecordInfo};
use cfree_driver::Prototype;

/// What the spelling of a type names in [`Declarations::layout`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeLayout<'a> {
    /// A complete struct or union.
    Record(&'a RecordInfo),
    /// An enumeration with a tag (its spelling and underlying integer type).
    Enum { spelling: &'a str, base: &'a str },
}

/// The merged declarations of an image (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct Declarations {
    records: HashMap<String, RecordInfo>,
    enums: HashMap<String, String>,
    typedefs: HashMap<String, String>,
    globals: HashMap<String, GlobalInfo>,
    constants: BTreeMap<String, ConstantInfo>,
    params: HashMap<String, Vec<String>>,
    /// Functions known only from [`Jit::declare`](crate::Jit::declare) text.
    declared: HashMap<String, Prototype>,
}

impl Declarations {
    /// Adds what one unit declares. For a reload (`only`: the reloaded function), the
    /// unit's types and constants join, its globals do not (a replacement defines no data)
    /// and only the reloaded function's parameter names change.
    pub(crate) fn merge(&mut self, i: &Interface, only: Option<&str>) {
        for r in &i.records {
            self.records.insert(r.spelling.clone(), r.clone());
        }
        for e in &i.enums {
            self.enums.insert(e.spelling.clone(), e.base.clone());
        }
        for (n, t) in &i.typedefs {
            self.typedefs.insert(n.clone(), t.clone());
        }
        for c in &i.constants {
            self.constants.insert(c.name.clone(), c.clone());
        }
        for (f, ps) in &i.params {
            if only.is_none_or(|n| n == f) {
                self.params.insert(f.clone(), ps.clone());
            }
        }
        if only.is_some() {
            return;
        }
        for g in &i.globals {
            if g.defined || !self.globals.get(&g.name).is_some_and(|o| o.defined) {
                self.globals.insert(g.name.clone(), g.clone());
            }
        }
    }

    /// Adds declaration-only text's functions (see [`Jit::declare`](crate::Jit::declare)).
    pub(crate) fn merge_declared(&mut self, prototypes: &[Prototype]) {
        for p in prototypes {
            self.declared.insert(p.name.clone(), p.clone());
        }
    }

    /// The layout `spelling` names: `struct point`, `union u`, `enum color`, or a typedef
    /// name standing for one of them (followed through typedefs of typedefs).
    pub fn layout(&self, spelling: &str) -> Option<TypeLayout<'_>> {
        let mut s = spelling.trim();
        for _ in 0..16 {
            if let Some(r) = self.records.get(s) {
                return Some(TypeLayout::Record(r));
            }
            if let Some((k, b)) = self.enums.get_key_value(s) {
                return Some(TypeLayout::Enum {
                    spelling: k,
                    base: b,
                });
            }
            s = self.typedefs.get(s)?;
        }
        None
    }

    /// The type a typedef name stands for, spelled as everything else is.
    pub fn typedef(&self, name: &str) -> Option<&str> {
        self.typedefs.get(name.trim()).map(String::as_str)
    }

    /// The type of global variable `name` (defined in the image, or declared by a unit).
    pub fn global(&self, name: &str) -> Option<&GlobalInfo> {
        self.globals.get(name)
    }

    /// Every enumeration constant and integer macro, sorted by name.
    pub fn constants(&self) -> impl Iterator<Item = &ConstantInfo> {
        self.constants.values()
    }

    /// Parameter names of a function the image defines ("" for an unnamed parameter).
    pub fn params(&self, function: &str) -> Option<&[String]> {
        self.params.get(function).map(Vec::as_slice)
    }

    /// The type of a function known only from declared text.
    pub fn declared_function(&self, name: &str) -> Option<&Prototype> {
        self.declared.get(name)
    }
}

/// Checks that `obj` only declares (what [`Jit::declare`](crate::Jit::declare) takes).
pub(crate) fn only_declarations(obj: &crate::Object) -> Result<(), crate::Error> {
    let defined = obj
        .prototypes()
        .iter()
        .filter(|p| p.defined)
        .map(|p| p.name.as_str())
        .chain(
            obj.interface()
                .globals
                .iter()
                .filter(|g| g.defined)
                .map(|g| g.name.as_str()),
        )
        .next();
    match defined {
        Some(name) => Err(crate::Error::Compile(cfree_driver::CompileError {
            rendered: format!(
                "<declaration>: error: `{name}` is defined here, but declarations may only \
                 declare (compile definitions with add_source)\n"
            ),
        })),
        None => Ok(()),
    }
}

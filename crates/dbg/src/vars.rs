//! Variables of a stopped frame, from the image's DWARF: which parameters and locals are
//! visible at a PC (those of the function and of the lexical blocks containing the PC,
//! innermost first), where they live (`DW_OP_fbreg` off the call frame address, the frame
//! base cfree emits), their C types, and their values printed the way gdb prints them.

use gimli::{AttributeValue, EndianSlice, LittleEndian, Reader, UnitOffset};

use crate::inferior::read_memory;

type Slice<'a> = EndianSlice<'a, LittleEndian>;

/// A C type as far as printing needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum CType {
    /// `int`, `unsigned char`, `double`, `_Bool`: name, size, DWARF encoding.
    Base {
        name: String,
        size: u64,
        encoding: u8,
    },
    Pointer(Box<CType>),
    /// A struct or union: its tag and members (name, offset, type).
    Record {
        name: String,
        union: bool,
        /// `DW_AT_byte_size`: includes tail padding (the stride in arrays).
        size: u64,
        members: Vec<(String, u64, CType)>,
    },
    Array {
        elem: Box<CType>,
        count: Option<u64>,
    },
    /// An enumerated type: its tag (`None`: anonymous), size and enumerators in order.
    Enum {
        name: Option<String>,
        size: u64,
        values: Vec<(String, i128)>,
    },
    Typedef(String, Box<CType>),
    /// A function type: its return type (`Void` for none), its parameters, and whether it
    /// takes more (`...`, or no prototype at all).
    Function {
        ret: Box<CType>,
        params: Vec<CType>,
        variadic: bool,
        prototyped: bool,
    },
    Void,
    /// Nesting deeper than the reader follows (a self-referential type seen through itself).
    Opaque(String),
    /// `const`, `volatile` or `restrict` applied to a type.
    Qualified(&'static str, Box<CType>),
}

impl CType {
    /// The type without qualifiers at its top (a `const int` variable is assigned as an
    /// `int`, as gdb's `set var` allows).
    pub fn unqualified(&self) -> &CType {
        match self {
            CType::Qualified(_, t) => t.unqualified(),
            t => t,
        }
    }

    pub fn size(&self) -> u64 {
        match self {
            CType::Base { size, .. } | CType::Enum { size, .. } => *size,
            CType::Pointer(_) => 8,
            CType::Record { size, .. } => *size,
            CType::Array { elem, count } => elem.size() * count.unwrap_or(0),
            CType::Typedef(_, t) | CType::Qualified(_, t) => t.size(),
            CType::Function { .. } | CType::Void | CType::Opaque(_) => 1,
        }
    }

    /// The type's name as C spells it (`int`, `struct P`, `char *`).
    pub fn name(&self) -> String {
        match self {
            CType::Base { name, .. } => name.clone(),
            CType::Pointer(t) => match &**t {
                CType::Function { .. } | CType::Array { .. } => c_spelling(self, ""),
                t => format!("{} *", t.name()),
            },
            CType::Record { name, union, .. } => {
                format!("{} {name}", if *union { "union" } else { "struct" })
            }
            CType::Array { elem, count } => match count {
                Some(n) => format!("{} [{n}]", elem.name()),
                None => format!("{} []", elem.name()),
            },
            CType::Enum { name: Some(n), .. } => format!("enum {n}"),
            CType::Enum { name: None, .. } => "enum {...}".into(),
            CType::Typedef(n, _) => n.clone(),
            // gdb: `const char`, `char * const`.
            CType::Qualified(q, t) => match &**t {
                CType::Pointer(_) => format!("{} {q}", t.name()),
                _ => format!("{q} {}", t.name()),
            },
            CType::Function { .. } => c_spelling(self, ""),
            CType::Void => "void".into(),
            CType::Opaque(n) => n.clone(),
        }
    }
}

/// Where a variable lives relative to its frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// At CFA + offset.
    Frame(i64),
    /// The address of the object is stored at CFA + offset (by-reference parameters).
    FrameIndirect(i64),
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub ty: CType,
    pub location: Option<Location>,
    pub is_param: bool,
}

/// The function containing a PC, with the variables visible there: those of the innermost
/// lexical block containing the PC first, then those of each enclosing block, then the
/// function's own (parameters and outermost locals), each group in declaration order. A
/// name's first occurrence is the one in scope.
#[derive(Clone, Debug)]
pub struct FrameInfo {
    pub function: String,
    pub low_pc: u64,
    pub vars: Vec<Variable>,
}

/// A question asked of each debugging entry until one answers.
type EntryVisitor<'v, T> = dyn FnMut(
        &gimli::Dwarf<Slice<'_>>,
        &gimli::Unit<Slice<'_>>,
        &gimli::DebuggingInformationEntry<Slice<'_>>,
    ) -> Option<T>
    + 'v;

/// The image's DWARF (its relocated sections), kept for variable queries.
pub struct DebugInfo {
    /// The combined debug sections of each batch of inputs loaded (the image as first
    /// loaded, then what each later append or reload linked), oldest first.
    pieces: Vec<Vec<(String, Vec<u8>)>>,
}

/// The first entry of a unit of `dwarf` for which `f` gives an answer.
fn find_in<'d, T>(dwarf: &gimli::Dwarf<Slice<'d>>, f: &mut EntryVisitor<'d, T>) -> Option<T> {
    let mut units = dwarf.units();
    while let Ok(Some(header)) = units.next() {
        let Ok(unit) = dwarf.unit(header) else {
            continue;
        };
        let mut entries = unit.entries();
        while let Ok(Some(e)) = entries.next_dfs() {
            if let Some(t) = f(dwarf, &unit, e) {
                return Some(t);
            }
        }
    }
    None
}

impl DebugInfo {
    pub fn load(jit: &cfree_jit::Jit) -> Option<DebugInfo> {
        let mut d = DebugInfo { pieces: Vec::new() };
        d.extend(jit, 0);
        (!d.pieces.is_empty()).then_some(d)
    }

    /// Adds the debug information of the inputs from index `from` on: each append costs
    /// what it linked, not the image.
    pub fn extend(&mut self, jit: &cfree_jit::Jit, from: usize) {
        let Ok(ds) = jit.session().debug_sections_from(from) else {
            return;
        };
        if ds.is_empty() {
            return;
        }
        self.pieces.push(
            ds.into_sections()
                .into_iter()
                .map(|s| (s.name, s.data))
                .collect(),
        );
    }

    fn dwarfs(&self) -> impl DoubleEndedIterator<Item = gimli::Dwarf<Slice<'_>>> {
        self.pieces.iter().filter_map(|piece| {
            let data = |name: &str| -> &[u8] {
                piece
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(&[], |(_, d)| d.as_slice())
            };
            gimli::Dwarf::load(|id| -> Result<Slice<'_>, gimli::Error> {
                Ok(EndianSlice::new(data(id.name()), LittleEndian))
            })
            .ok()
        })
    }

    /// The first entry of any unit for which `f` gives an answer, in link order.
    fn find_entry<T>(&self, f: &mut EntryVisitor<'_, T>) -> Option<T> {
        self.dwarfs().find_map(|dwarf| find_in(&dwarf, f))
    }

    /// Like [`DebugInfo::find_entry`], newest append first (what was just linked).
    fn find_entry_newest<T>(&self, f: &mut EntryVisitor<'_, T>) -> Option<T> {
        self.dwarfs().rev().find_map(|dwarf| find_in(&dwarf, f))
    }

    /// The function whose code contains `pc`, with its parameters and locals.
    pub fn frame(&self, pc: u64) -> Option<FrameInfo> {
        self.find_entry(&mut |dwarf, unit, e| {
            if e.tag() != gimli::DW_TAG_subprogram {
                return None;
            }
            let (lo, hi) = pc_range(e)?;
            if !(lo..hi).contains(&pc) {
                return None;
            }
            let name = attr_string(dwarf, unit, e, gimli::DW_AT_name).unwrap_or_default();
            Some(FrameInfo {
                function: name,
                low_pc: lo,
                vars: visible_variables(dwarf, unit, e.offset(), pc),
            })
        })
    }
}

/// The variables visible at `pc` in the subprogram at `sp`, innermost block first.
fn visible_variables(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    sp: UnitOffset,
    pc: u64,
) -> Vec<Variable> {
    let mut levels: Vec<Vec<Variable>> = Vec::new();
    let mut scope = Some(sp);
    // Each step reads one scope's variables and finds its child block containing `pc`.
    while let Some(off) = scope.take() {
        let Ok(mut tree) = unit.entries_tree(Some(off)) else {
            break;
        };
        let Ok(root) = tree.root() else { break };
        let mut vars = Vec::new();
        let mut children = root.children();
        while let Ok(Some(child)) = children.next() {
            let e = child.entry();
            if e.tag() == gimli::DW_TAG_lexical_block {
                if scope.is_none() && block_contains(dwarf, unit, e, pc) {
                    scope = Some(e.offset());
                }
                continue;
            }
            vars.extend(variable(dwarf, unit, e));
        }
        levels.push(vars);
    }
    levels.into_iter().rev().flatten().collect()
}

/// Whether the code ranges of a lexical block (`DW_AT_low_pc`/`DW_AT_high_pc` or
/// `DW_AT_ranges`) contain `pc`; a block without any has no code.
fn block_contains<'d>(
    dwarf: &gimli::Dwarf<Slice<'d>>,
    unit: &gimli::Unit<Slice<'d>>,
    e: &gimli::DebuggingInformationEntry<Slice<'d>>,
    pc: u64,
) -> bool {
    let Ok(mut ranges) = dwarf.die_ranges(unit, e) else {
        return false;
    };
    while let Ok(Some(r)) = ranges.next() {
        if (r.begin..r.end).contains(&pc) {
            return true;
        }
    }
    false
}

/// A parameter or variable entry as a [`Variable`] (`None` for other entries and unnamed ones).
fn variable(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    e: &gimli::DebuggingInformationEntry<Slice<'_>>,
) -> Option<Variable> {
    let is_param = e.tag() == gimli::DW_TAG_formal_parameter;
    if !is_param && e.tag() != gimli::DW_TAG_variable {
        return None;
    }
    let name = attr_string(dwarf, unit, e, gimli::DW_AT_name)?;
    let location = match e.attr_value(gimli::DW_AT_location) {
        Some(AttributeValue::Exprloc(expr)) => fbreg(expr.0),
        _ => None,
    };
    Some(Variable {
        name,
        ty: type_of(dwarf, unit, e, 0),
        location,
        is_param,
    })
}

/// `DW_OP_fbreg N` (optionally followed by `DW_OP_deref`).
fn fbreg(mut r: Slice<'_>) -> Option<Location> {
    let op = r.read_u8().ok()?;
    if op != gimli::DW_OP_fbreg.0 {
        return None;
    }
    let off = r.read_sleb128().ok()?;
    if r.is_empty() {
        return Some(Location::Frame(off));
    }
    (r.read_u8().ok()? == gimli::DW_OP_deref.0).then_some(Location::FrameIndirect(off))
}

fn pc_range(e: &gimli::DebuggingInformationEntry<Slice<'_>>) -> Option<(u64, u64)> {
    let lo = match e.attr_value(gimli::DW_AT_low_pc)? {
        AttributeValue::Addr(a) => a,
        _ => return None,
    };
    let hi = match e.attr_value(gimli::DW_AT_high_pc)? {
        AttributeValue::Addr(a) => a,
        AttributeValue::Udata(n) => lo + n,
        AttributeValue::Data1(n) => lo + u64::from(n),
        AttributeValue::Data2(n) => lo + u64::from(n),
        AttributeValue::Data4(n) => lo + u64::from(n),
        AttributeValue::Data8(n) => lo + n,
        _ => return None,
    };
    Some((lo, hi))
}

fn attr_string(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    e: &gimli::DebuggingInformationEntry<Slice<'_>>,
    at: gimli::DwAt,
) -> Option<String> {
    let v = e.attr_value(at)?;
    let s = dwarf.attr_string(unit, v).ok()?;
    Some(s.to_string_lossy().into_owned())
}

fn udata(e: &gimli::DebuggingInformationEntry<Slice<'_>>, at: gimli::DwAt) -> Option<u64> {
    e.attr_value(at)?.udata_value()
}

/// The C type of an entry's `DW_AT_type` (void without one).
fn type_of(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    e: &gimli::DebuggingInformationEntry<Slice<'_>>,
    depth: u32,
) -> CType {
    match e.attr_value(gimli::DW_AT_type) {
        Some(AttributeValue::UnitRef(off)) => type_at(dwarf, unit, off, depth),
        _ => CType::Void,
    }
}

fn type_at(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    off: UnitOffset,
    depth: u32,
) -> CType {
    let Ok(e) = unit.entry(off) else {
        return CType::Void;
    };
    let name = attr_string(dwarf, unit, &e, gimli::DW_AT_name).unwrap_or_default();
    if depth > 8 {
        return CType::Opaque(name);
    }
    let size = udata(&e, gimli::DW_AT_byte_size).unwrap_or(0);
    match e.tag() {
        gimli::DW_TAG_base_type => CType::Base {
            name,
            size,
            encoding: match e.attr_value(gimli::DW_AT_encoding) {
                Some(AttributeValue::Encoding(enc)) => enc.0,
                _ => 0,
            },
        },
        gimli::DW_TAG_pointer_type => CType::Pointer(Box::new(type_of(dwarf, unit, &e, depth + 1))),
        gimli::DW_TAG_typedef => {
            CType::Typedef(name, Box::new(type_of(dwarf, unit, &e, depth + 1)))
        }
        gimli::DW_TAG_const_type | gimli::DW_TAG_volatile_type | gimli::DW_TAG_restrict_type => {
            let q = match e.tag() {
                gimli::DW_TAG_const_type => "const",
                gimli::DW_TAG_volatile_type => "volatile",
                _ => "restrict",
            };
            CType::Qualified(q, Box::new(type_of(dwarf, unit, &e, depth)))
        }
        gimli::DW_TAG_subroutine_type => function_type(dwarf, unit, &e, off, depth),
        gimli::DW_TAG_structure_type | gimli::DW_TAG_union_type => {
            let union = e.tag() == gimli::DW_TAG_union_type;
            let mut members = Vec::new();
            if let Ok(mut tree) = unit.entries_tree(Some(off)) {
                if let Ok(root) = tree.root() {
                    let mut ch = root.children();
                    while let Ok(Some(c)) = ch.next() {
                        let m = c.entry();
                        if m.tag() != gimli::DW_TAG_member {
                            continue;
                        }
                        let mname =
                            attr_string(dwarf, unit, m, gimli::DW_AT_name).unwrap_or_default();
                        let moff = udata(m, gimli::DW_AT_data_member_location).unwrap_or(0);
                        members.push((mname, moff, type_of(dwarf, unit, m, depth + 1)));
                    }
                }
            }
            CType::Record {
                name,
                union,
                size,
                members,
            }
        }
        gimli::DW_TAG_array_type => {
            let elem = Box::new(type_of(dwarf, unit, &e, depth + 1));
            let mut count = None;
            if let Ok(mut tree) = unit.entries_tree(Some(off)) {
                if let Ok(root) = tree.root() {
                    let mut ch = root.children();
                    if let Ok(Some(c)) = ch.next() {
                        let r = c.entry();
                        count = udata(r, gimli::DW_AT_count)
                            .or_else(|| udata(r, gimli::DW_AT_upper_bound).map(|u| u + 1));
                    }
                }
            }
            CType::Array { elem, count }
        }
        gimli::DW_TAG_enumeration_type => CType::Enum {
            name: (!name.is_empty()).then_some(name),
            size,
            values: enumerators(dwarf, unit, &e, off, depth),
        },
        _ => CType::Opaque(name),
    }
}

/// The enumerators of the enumeration type `e` at `off`, in order. A `DW_FORM_dataN` value
/// has the signedness of the type (its `DW_AT_encoding`, else its underlying `DW_AT_type`).
fn enumerators(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    e: &gimli::DebuggingInformationEntry<Slice<'_>>,
    off: UnitOffset,
    depth: u32,
) -> Vec<(String, i128)> {
    let signed_enc = |enc: u8| enc == gimli::DW_ATE_signed.0 || enc == gimli::DW_ATE_signed_char.0;
    let signed = match e.attr_value(gimli::DW_AT_encoding) {
        Some(AttributeValue::Encoding(enc)) => signed_enc(enc.0),
        _ => {
            matches!(type_of(dwarf, unit, e, depth + 1), CType::Base { encoding, .. } if signed_enc(encoding))
        }
    };
    let mut values = Vec::new();
    let Ok(mut tree) = unit.entries_tree(Some(off)) else {
        return values;
    };
    let Ok(root) = tree.root() else {
        return values;
    };
    let mut ch = root.children();
    while let Ok(Some(c)) = ch.next() {
        let v = c.entry();
        if v.tag() != gimli::DW_TAG_enumerator {
            continue;
        }
        let n = attr_string(dwarf, unit, v, gimli::DW_AT_name).unwrap_or_default();
        let val = match v.attr_value(gimli::DW_AT_const_value) {
            Some(AttributeValue::Sdata(x)) => Some(i128::from(x)),
            Some(AttributeValue::Udata(x)) => Some(i128::from(x)),
            Some(a) if signed => a.sdata_value().map(i128::from),
            Some(a) => a.udata_value().map(i128::from),
            None => None,
        };
        values.push((n, val.unwrap_or(0)));
    }
    values
}

/// The address of a variable in the frame whose call frame address is `cfa`.
pub fn address(v: &Variable, cfa: u64) -> Option<u64> {
    match v.location? {
        Location::Frame(off) => cfa.checked_add_signed(off),
        Location::FrameIndirect(off) => crate::inferior::read_u64(cfa.checked_add_signed(off)?),
    }
}

/// The value of an object of type `t` at `addr`, as gdb prints it inside a frame line or
/// A `DW_TAG_subroutine_type` (or a subprogram): return type, parameters, `...`.
fn function_type(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    e: &gimli::DebuggingInformationEntry<Slice<'_>>,
    off: gimli::UnitOffset,
    depth: u32,
) -> CType {
    let ret = match e.attr_value(gimli::DW_AT_type) {
        Some(_) => type_of(dwarf, unit, e, depth + 1),
        None => CType::Void,
    };
    let prototyped = matches!(
        e.attr_value(gimli::DW_AT_prototyped),
        Some(AttributeValue::Flag(true))
    );
    let (mut params, mut variadic) = (Vec::new(), false);
    if let Ok(mut tree) = unit.entries_tree(Some(off)) {
        if let Ok(root) = tree.root() {
            let mut ch = root.children();
            while let Ok(Some(c)) = ch.next() {
                let p = c.entry();
                match p.tag() {
                    gimli::DW_TAG_formal_parameter => {
                        params.push(type_of(dwarf, unit, p, depth + 1))
                    }
                    gimli::DW_TAG_unspecified_parameters => variadic = true,
                    _ => {}
                }
            }
        }
    }
    CType::Function {
        ret: Box::new(ret),
        params,
        variadic,
        prototyped,
    }
}

/// Names an address as gdb's `<sym>` / `<sym+off>` after a pointer does (functions and
/// static objects of the image and the libraries), or `None` (the stack, the heap).
pub type Symbolizer<'a> = &'a dyn Fn(u64) -> Option<String>;

/// `info locals` (pointers without their type).
pub fn format_value(t: &CType, addr: u64, depth: u32, syms: Symbolizer<'_>) -> String {
    let mut bytes = vec![0u8; t.size().min(1 << 16) as usize];
    if !read_memory(addr, &mut bytes) {
        return format!("<error: Cannot access memory at address {addr:#x}>");
    }
    format_bytes(t, &bytes, depth, syms)
}

/// The value as `print` shows it: a pointer (other than a string) with its type first,
/// `(struct pt *) 0x...`, `(int (*)(int)) 0x... <twice>`.
pub fn format_print(t: &CType, addr: u64, syms: Symbolizer<'_>) -> String {
    let v = format_value(t, addr, 0, syms);
    match strip(t) {
        CType::Pointer(_) if !v.contains('"') => format!("({}) {v}", t.name()),
        _ => v,
    }
}

fn int_of(b: &[u8], signed: bool) -> i128 {
    let mut v: u128 = 0;
    for (i, &x) in b.iter().enumerate().take(16) {
        v |= u128::from(x) << (8 * i);
    }
    let bits = (b.len().min(16) * 8) as u32;
    if signed && bits > 0 && bits < 128 {
        let sh = 128 - bits;
        ((v << sh) as i128) >> sh
    } else {
        v as i128
    }
}

fn format_bytes(t: &CType, b: &[u8], depth: u32, syms: Symbolizer<'_>) -> String {
    match t {
        CType::Typedef(_, inner) | CType::Qualified(_, inner) => {
            format_bytes(inner, b, depth, syms)
        }
        CType::Base {
            name,
            size,
            encoding,
        } => {
            let enc = *encoding;
            if enc == gimli::DW_ATE_float.0 {
                return match size {
                    4 => gdb_double(
                        f32::from_le_bytes(
                            b.get(..4).and_then(|x| x.try_into().ok()).unwrap_or([0; 4]),
                        ) as f64,
                        9,
                    ),
                    8 => gdb_double(
                        f64::from_le_bytes(
                            b.get(..8).and_then(|x| x.try_into().ok()).unwrap_or([0; 8]),
                        ),
                        17,
                    ),
                    _ => format!("<{name}>"),
                };
            }
            if enc == gimli::DW_ATE_boolean.0 {
                return if b.iter().any(|&x| x != 0) {
                    "true".into()
                } else {
                    "false".into()
                };
            }
            let signed = enc == gimli::DW_ATE_signed.0 || enc == gimli::DW_ATE_signed_char.0;
            let v = int_of(b, signed);
            if enc == gimli::DW_ATE_signed_char.0 || enc == gimli::DW_ATE_unsigned_char.0 {
                return format!("{v} {}", char_literal(v as u8));
            }
            v.to_string()
        }
        CType::Pointer(to) => {
            let p = int_of(b, false) as u64;
            let is_char = matches!(strip(to), CType::Base { encoding, .. } if *encoding == gimli::DW_ATE_signed_char.0 || *encoding == gimli::DW_ATE_unsigned_char.0);
            if is_char && p != 0 {
                return format!("{p:#x} {}", c_string(p));
            }
            match syms(p) {
                Some(name) if p != 0 => format!("{p:#x} <{name}>"),
                _ => format!("{p:#x}"),
            }
        }
        CType::Enum { values, .. } => {
            let v = int_of(b, !crate::enums::is_unsigned(values));
            crate::enums::format_enum(values, v)
        }
        CType::Record { members, .. } => {
            if depth > 4 {
                return "{...}".into();
            }
            let parts: Vec<String> = members
                .iter()
                .map(|(n, off, mt)| {
                    let s = *off as usize;
                    let e = (s + mt.size() as usize).min(b.len());
                    let v = b.get(s..e).map_or("<?>".to_string(), |bb| {
                        format_bytes(mt, bb, depth + 1, syms)
                    });
                    format!("{n} = {v}")
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        CType::Array { elem, count } => {
            let n = count.unwrap_or(0) as usize;
            let es = elem.size() as usize;
            let is_char = matches!(strip(elem), CType::Base { encoding, size: 1, .. } if *encoding == gimli::DW_ATE_signed_char.0 || *encoding == gimli::DW_ATE_unsigned_char.0);
            if is_char {
                // gdb: the terminating NUL is not shown; a run of more than ten equal
                // characters is `'c' <repeats N times>`.
                let s: Vec<u8> = b.iter().copied().take(n).collect();
                let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
                if s[end..].iter().all(|&c| c == 0) {
                    let zeros = (n - end).saturating_sub(1);
                    let head = quote(&s[..end]);
                    if zeros > 9 {
                        return format!("{head}, '\\000' <repeats {zeros} times>");
                    }
                    return format!("{}{}\"", &head[..head.len() - 1], "\\000".repeat(zeros));
                }
                return quote(&s);
            }
            let items: Vec<String> = (0..n.min(200))
                .map(|i| {
                    b.get(i * es..(i + 1) * es).map_or("<?>".to_string(), |bb| {
                        format_bytes(elem, bb, depth + 1, syms)
                    })
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        CType::Void | CType::Function { .. } | CType::Opaque(_) => "<unknown>".into(),
    }
}

fn strip(t: &CType) -> &CType {
    match t {
        CType::Typedef(_, i) | CType::Qualified(_, i) => strip(i),
        t => t,
    }
}

fn char_literal(c: u8) -> String {
    match c {
        0 => "'\\000'".into(),
        b'\n' => "'\\n'".into(),
        b'\t' => "'\\t'".into(),
        b'\'' => "'\\''".into(),
        b'\\' => "'\\\\'".into(),
        32..=126 => format!("'{}'", c as char),
        _ => format!("'\\{c:03o}'"),
    }
}

fn quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &c in s {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            32..=126 => out.push(c as char),
            _ => out.push_str(&format!("\\{c:03o}")),
        }
    }
    out.push('"');
    out
}

fn c_string(p: u64) -> String {
    let mut s = Vec::new();
    for k in 0..200u64 {
        let mut c = [0u8];
        if !read_memory(p + k, &mut c) {
            return format!("<error: Cannot access memory at address {p:#x}>");
        }
        if c[0] == 0 {
            return quote(&s);
        }
        s.push(c[0]);
    }
    format!("{}...", quote(&s))
}

/// gdb's `%g` with `digits` significant digits, without trailing zeros.
pub fn gdb_double(v: f64, digits: usize) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() {
            "-nan(0x8000000000000)".into()
        } else {
            "nan(0x8000000000000)".into()
        };
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Shortest representation that reads back exactly within `digits` digits.
    for p in 1..=digits {
        let s = format!("{:.*e}", p - 1, v);
        if s.parse::<f64>().ok() == Some(v) || p == digits {
            return from_exp(&s);
        }
    }
    v.to_string()
}

/// `1.5e0` → `1.5`, `1e20` → `1e+20` as `%g` writes them.
fn from_exp(s: &str) -> String {
    let Some((mant, exp)) = s.split_once('e') else {
        return s.into();
    };
    let e: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if !(-5..17).contains(&e) {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        return format!("{sign}{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let s = if e >= 0 {
        let e = e as usize;
        if digits.len() > e + 1 {
            format!("{}.{}", &digits[..=e], &digits[e + 1..])
        } else {
            format!("{digits}{}", "0".repeat(e + 1 - digits.len()))
        }
    } else {
        format!("0.{}{digits}", "0".repeat((-e - 1) as usize))
    };
    format!("{sign}{s}")
}

/// An object of the stopped program: where it is and what type it has.
#[derive(Clone, Debug)]
pub struct Place {
    pub addr: u64,
    pub ty: CType,
}

/// What a plain read expression denotes: an object, or the address of one (`&x`).
#[derive(Clone, Debug)]
pub enum Read {
    Object(Place),
    AddressOf(Place),
}

impl Read {
    /// The value as `print` shows it.
    pub fn show(&self, syms: Symbolizer<'_>) -> String {
        match self {
            Read::Object(p) => format_print(&p.ty, p.addr, syms),
            Read::AddressOf(p) => format!("({} *) {:#x}", p.ty.name(), p.addr),
        }
    }

    pub fn type_name(&self) -> String {
        match self {
            Read::Object(p) => p.ty.name(),
            Read::AddressOf(p) => format!("{} *", p.ty.name()),
        }
    }
}

/// Reads made of names, `.member`, `->member`, `[index]`, unary `*` and `&` (what gdb users
/// type most; they need no compile). `None` when the text is something else (a call, an
/// operator), `Some(Err)` for a read that fails (no such member, not a pointer).
pub fn eval_read(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<Place>,
) -> Option<Result<Read, String>> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('&') {
        return Some(eval_read(rest, lookup)?.and_then(|r| match r {
            Read::Object(p) => Ok(Read::AddressOf(p)),
            Read::AddressOf(_) => {
                Err("Attempt to take address of value not located in memory.".into())
            }
        }));
    }
    if let Some(rest) = t.strip_prefix('*') {
        return Some(eval_read(rest, lookup)?.and_then(|r| match r {
            Read::Object(p) => deref(&p).map(Read::Object),
            Read::AddressOf(p) => Ok(Read::Object(p)),
        }));
    }
    let t = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .filter(|x| balanced(x))
        .unwrap_or(t);
    // name, then postfix operators
    let name_end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let name = &t[..name_end];
    if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut rest = t[name_end..].trim_start();
    if !rest.is_empty() && !rest.starts_with(['.', '[']) && !rest.starts_with("->") {
        return None;
    }
    let Some(mut place) = lookup(name) else {
        return Some(Err(format!("No symbol \"{name}\" in current context.")));
    };
    while !rest.is_empty() {
        let r = if let Some(x) = rest.strip_prefix("->") {
            let (m, tail) = split_ident(x);
            rest = tail;
            deref(&place).and_then(|p| member(&p, m))
        } else if let Some(x) = rest.strip_prefix('.') {
            let (m, tail) = split_ident(x);
            rest = tail;
            member(&place, m)
        } else if let Some(x) = rest.strip_prefix('[') {
            let close = x.find(']')?;
            let idx = x[..close].trim();
            rest = x[close + 1..].trim_start();
            let i = match idx.parse::<i64>() {
                Ok(i) => i,
                Err(_) => match eval_read(idx, lookup) {
                    Some(Ok(Read::Object(p))) => match int_value(&p) {
                        Some(i) => i,
                        None => return Some(Err("Cannot read the index.".into())),
                    },
                    _ => return None,
                },
            };
            index(&place, i)
        } else {
            return None;
        };
        place = match r {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
    }
    Some(Ok(Read::Object(place)))
}

fn balanced(s: &str) -> bool {
    let mut d = 0i32;
    for c in s.chars() {
        match c {
            '(' => d += 1,
            ')' => {
                d -= 1;
                if d < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    d == 0
}

fn split_ident(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (&s[..end], s[end..].trim_start())
}

fn int_value(p: &Place) -> Option<i64> {
    let size = p.ty.size().min(8) as usize;
    let mut b = [0u8; 8];
    read_memory(p.addr, &mut b[..size]).then_some(())?;
    Some(int_of(&b[..size], true) as i64)
}

fn member(p: &Place, name: &str) -> Result<Place, String> {
    match strip(&p.ty) {
        CType::Record { members, .. } => members
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, off, t)| Place {
                addr: p.addr + off,
                ty: t.clone(),
            })
            .ok_or_else(|| format!("There is no member named {name}.")),
        _ => Err(format!(
            "Attempt to extract a component of a value that is not a structure{}.",
            if matches!(strip(&p.ty), CType::Pointer(_)) {
                " pointer"
            } else {
                ""
            }
        )),
    }
}

fn deref(p: &Place) -> Result<Place, String> {
    match strip(&p.ty) {
        CType::Pointer(to) => {
            let addr = crate::inferior::read_u64(p.addr)
                .ok_or_else(|| format!("Cannot access memory at address {:#x}", p.addr))?;
            Ok(Place {
                addr,
                ty: (**to).clone(),
            })
        }
        CType::Array { elem, .. } => Ok(Place {
            addr: p.addr,
            ty: (**elem).clone(),
        }),
        _ => Err("Attempt to take contents of a non-pointer value.".into()),
    }
}

fn index(p: &Place, i: i64) -> Result<Place, String> {
    let (base, elem) = match strip(&p.ty) {
        CType::Array { elem, .. } => (p.addr, (**elem).clone()),
        CType::Pointer(to) => (
            crate::inferior::read_u64(p.addr)
                .ok_or_else(|| format!("Cannot access memory at address {:#x}", p.addr))?,
            (**to).clone(),
        ),
        _ => return Err("cannot subscript something of type `".to_string() + &p.ty.name() + "'"),
    };
    let off = i.checked_mul(elem.size() as i64).ok_or("index overflow")?;
    Ok(Place {
        addr: base.wrapping_add_signed(off),
        ty: elem,
    })
}

/// `ptype`: the type, with a record's members spelled out as gdb does.
pub fn ptype(t: &CType) -> String {
    if let CType::Qualified(q, inner) = t {
        if matches!(strip(inner), CType::Record { .. } | CType::Enum { .. }) {
            return format!("{q} {}", ptype(inner));
        }
    }
    match strip(t) {
        CType::Record {
            name,
            union,
            members,
            ..
        } => {
            let mut s = format!("{} {name} {{\n", if *union { "union" } else { "struct" });
            for (n, _, mt) in members {
                // A member of an anonymous enumerated type shows the enumerators; the others
                // are declarations (`char name[8];`, `int (*op)(int);`).
                let decl = match strip(mt) {
                    CType::Enum { name: None, .. } => format!("{} {n}", ptype(mt)),
                    _ => c_spelling(mt, n),
                };
                s.push_str(&format!("    {decl};\n"));
            }
            s.push('}');
            s
        }
        CType::Enum { name, values, .. } => {
            let list = crate::enums::enumerator_list(values);
            match name {
                Some(n) => format!("enum {n} {list}"),
                None => format!("enum {list}"),
            }
        }
        CType::Pointer(to) if matches!(strip(to), CType::Record { .. }) => {
            format!("{} *", ptype(to))
        }
        other => other.name(),
    }
}

impl DebugInfo {
    /// A variable with static storage named `name` (its address from `DW_OP_addr`), the
    /// first in link order.
    pub fn global(&self, name: &str) -> Option<Place> {
        self.find_entry(&mut global_visitor(name))
    }

    /// The type of function `name`, from its `DW_TAG_subprogram` (what `print NAME` and
    /// `whatis NAME` show for a function).
    pub fn function_type(&self, name: &str) -> Option<CType> {
        self.find_entry(&mut |dwarf, unit, e| {
            if e.tag() != gimli::DW_TAG_subprogram
                || attr_string(dwarf, unit, e, gimli::DW_AT_name).as_deref() != Some(name)
            {
                return None;
            }
            Some(function_type(dwarf, unit, e, e.offset(), 0))
        })
    }

    /// Enumerator `name` as `print NAME` shows it (`RED`), with its value: from the
    /// enumeration type that declares it.
    pub fn enumerator(&self, name: &str) -> Option<(String, i128)> {
        self.find_entry(&mut |dwarf, unit, e| {
            if e.tag() != gimli::DW_TAG_enumeration_type {
                return None;
            }
            let CType::Enum { values, .. } = type_at(dwarf, unit, e.offset(), 0) else {
                return None;
            };
            let &(_, v) = values.iter().find(|(n, _)| n == name)?;
            Some((crate::enums::format_enum(&values, v), v))
        })
    }

    /// Like [`DebugInfo::global`], looking at the newest appends first: the result of an
    /// expression the debugger has just appended.
    pub fn newest_global(&self, name: &str) -> Option<Place> {
        self.find_entry_newest(&mut global_visitor(name))
    }
}

/// Finds the static variable `name`.
fn global_visitor(
    name: &str,
) -> impl FnMut(
    &gimli::Dwarf<Slice<'_>>,
    &gimli::Unit<Slice<'_>>,
    &gimli::DebuggingInformationEntry<Slice<'_>>,
) -> Option<Place>
       + '_ {
    move |dwarf, unit, e| {
        if e.tag() != gimli::DW_TAG_variable
            || attr_string(dwarf, unit, e, gimli::DW_AT_name).as_deref() != Some(name)
        {
            return None;
        }
        let Some(AttributeValue::Exprloc(expr)) = e.attr_value(gimli::DW_AT_location) else {
            return None;
        };
        let mut r = expr.0;
        if r.read_u8().ok() != Some(gimli::DW_OP_addr.0) {
            return None;
        }
        let addr = r.read_u64().ok()?;
        Some(Place {
            addr,
            ty: type_of(dwarf, unit, e, 0),
        })
    }
}

/// The C spelling of a type around a declarator (`inner` is the declarator text, empty for an
/// abstract one): `int (*)[3]`, `struct pt **`. Function types are spelled without a
/// prototype (`void ()`), which C accepts for any call.
pub fn c_spelling(t: &CType, inner: &str) -> String {
    let suffix_inner = |inner: &str| {
        if inner.starts_with('*') {
            format!("({inner})")
        } else {
            inner.to_string()
        }
    };
    match t {
        CType::Pointer(to) => c_spelling(to, &format!("*{inner}")),
        CType::Array { elem, count } => {
            let n = count.map_or(String::new(), |n| n.to_string());
            c_spelling(elem, &format!("{}[{n}]", suffix_inner(inner)))
        }
        CType::Function {
            ret,
            params,
            variadic,
            prototyped,
        } => {
            let mut list: Vec<String> = params.iter().map(|p| c_spelling(p, "")).collect();
            if *variadic && !list.is_empty() {
                list.push("...".into());
            }
            if list.is_empty() && *prototyped && !*variadic {
                list.push("void".into());
            }
            c_spelling(
                ret,
                &format!("{}({})", suffix_inner(inner), list.join(", ")),
            )
        }
        CType::Opaque(_) => format!("void {inner}"),
        // An anonymous enum has no name C could use: its integer type of the same size.
        CType::Enum {
            name: None,
            size,
            values,
        } => {
            let unsigned = if crate::enums::is_unsigned(values) {
                "unsigned "
            } else {
                ""
            };
            let int = if *size == 8 { "long" } else { "int" };
            let base = format!("{unsigned}{int}");
            if inner.is_empty() {
                base
            } else {
                format!("{base} {inner}")
            }
        }
        other => {
            let base = other.name();
            if inner.is_empty() {
                base
            } else {
                format!("{base} {inner}")
            }
        }
    }
}

//! Type DIEs from the IR's type table.
//!
//! Every type gets one DIE, created on first reference as an empty shell and filled later from
//! a work list, so self-referential structs and deep nesting need no recursion.

use cfree_frontend::types::{EnumDef, FloatKind, IntKind, TypeId, TypeKind, TypeTable};
use gimli::constants::*;
use gimli::write::{AttributeValue, StringTable, Unit, UnitEntryId};
use std::collections::HashMap;

pub(super) struct TypeDies<'a> {
    t: &'a TypeTable,
    map: HashMap<TypeId, UnitEntryId>,
    pending: Vec<(TypeId, UnitEntryId)>,
    /// `unsigned long`, the index type of array subranges.
    index_type: Option<UnitEntryId>,
    /// `void *` (for the `va_list` record, whose pointer types are not in the table).
    void_ptr: Option<UnitEntryId>,
}

/// Sets `DW_AT_name` as a `.debug_str` reference.
pub(super) fn set_name(unit: &mut Unit, strings: &mut StringTable, id: UnitEntryId, name: &str) {
    let s = strings.add(super::dwarf_str(name));
    unit.get_mut(id)
        .set(DW_AT_name, AttributeValue::StringRef(s));
}

impl<'a> TypeDies<'a> {
    pub(super) fn new(t: &'a TypeTable) -> Self {
        TypeDies {
            t,
            map: HashMap::new(),
            pending: Vec::new(),
            index_type: None,
            void_ptr: None,
        }
    }

    /// The DIE of `ty`, or `None` for `void` (which DWARF expresses by omitting `DW_AT_type`).
    /// The DIE may still be empty: call [`TypeDies::finish`] before writing.
    pub(super) fn die(&mut self, unit: &mut Unit, ty: TypeId) -> Option<UnitEntryId> {
        if let Some(&id) = self.map.get(&ty) {
            return Some(id);
        }
        let q = self.t.quals(ty);
        if q.konst || q.volatile {
            return self.qualified(unit, ty, q.konst, q.volatile);
        }
        let ty = self.t.unqualified(ty);
        if let Some(&id) = self.map.get(&ty) {
            return Some(id);
        }
        let tag = match self.t.kind(ty) {
            _ if self.t.enum_def(ty).is_some() => DW_TAG_enumeration_type,
            TypeKind::Void => return None,
            TypeKind::Int(_) | TypeKind::Float(_) | TypeKind::Complex(_) => DW_TAG_base_type,
            TypeKind::Pointer(_) => DW_TAG_pointer_type,
            TypeKind::Array(..) | TypeKind::Vla { .. } | TypeKind::Vector { .. } => {
                DW_TAG_array_type
            }
            TypeKind::Func(_) => DW_TAG_subroutine_type,
            TypeKind::Record(r) => {
                if self.t.record(*r).is_union {
                    DW_TAG_union_type
                } else {
                    DW_TAG_structure_type
                }
            }
            TypeKind::VaList => DW_TAG_typedef,
            TypeKind::Qualified { .. } | TypeKind::Enum { .. } => return None,
        };
        let root = unit.root();
        let id = unit.add(root, tag);
        self.map.insert(ty, id);
        self.pending.push((ty, id));
        Some(id)
    }

    /// `const` and `volatile` around the unqualified type, as gcc writes them
    /// (`DW_TAG_const_type` → `DW_TAG_volatile_type` → base; no `DW_AT_type` for `void`).
    fn qualified(
        &mut self,
        unit: &mut Unit,
        ty: TypeId,
        konst: bool,
        volatile: bool,
    ) -> Option<UnitEntryId> {
        let mut inner = self.die(unit, self.t.unqualified(ty));
        for (on, tag) in [(volatile, DW_TAG_volatile_type), (konst, DW_TAG_const_type)] {
            if !on {
                continue;
            }
            let root = unit.root();
            let id = unit.add(root, tag);
            if let Some(i) = inner {
                unit.get_mut(id).set(DW_AT_type, AttributeValue::UnitRef(i));
            }
            inner = Some(id);
        }
        let id = inner?;
        self.map.insert(ty, id);
        Some(id)
    }

    /// Sets `DW_AT_type` of `id` to `ty` (nothing for `void`).
    pub(super) fn set_type(&mut self, unit: &mut Unit, id: UnitEntryId, ty: TypeId) {
        if let Some(t) = self.die(unit, ty) {
            unit.get_mut(id).set(DW_AT_type, AttributeValue::UnitRef(t));
        }
    }

    /// Fills every DIE created so far (and the ones that filling creates).
    pub(super) fn finish(&mut self, unit: &mut Unit, strings: &mut StringTable) {
        while let Some((ty, id)) = self.pending.pop() {
            self.fill(unit, strings, ty, id);
        }
    }

    fn fill(&mut self, unit: &mut Unit, strings: &mut StringTable, ty: TypeId, id: UnitEntryId) {
        let t = self.t;
        if let Some(e) = t.enum_def(ty) {
            return self.enumeration(unit, strings, id, e);
        }
        match t.kind(ty) {
            TypeKind::Void | TypeKind::Qualified { .. } | TypeKind::Enum { .. } => {}
            TypeKind::Int(k) => {
                let enc = match k {
                    IntKind::Bool => DW_ATE_boolean,
                    IntKind::Char if t.char_signed => DW_ATE_signed_char,
                    IntKind::Char | IntKind::UChar => DW_ATE_unsigned_char,
                    IntKind::SChar => DW_ATE_signed_char,
                    _ if t.is_signed(ty) => DW_ATE_signed,
                    _ => DW_ATE_unsigned,
                };
                base(unit, strings, id, &t.display(ty), enc, k.size());
            }
            TypeKind::Float(k) => {
                // `long double` is the x87 extended format in 16 bytes, as gcc describes it.
                let size = match k {
                    FloatKind::Float => 4,
                    FloatKind::Double => 8,
                    FloatKind::LongDouble | FloatKind::Float128 => 16,
                };
                base(unit, strings, id, &t.display(ty), DW_ATE_float, size);
            }
            TypeKind::Complex(e) => {
                // As gcc: a base type; complex integers use DW_ATE_lo_user as gcc does.
                let enc = if t.is_float(*e) {
                    DW_ATE_complex_float
                } else {
                    DW_ATE_lo_user
                };
                base(unit, strings, id, &t.display(ty), enc, t.size(ty));
            }
            TypeKind::Pointer(p) => {
                let p = *p;
                unit.get_mut(id)
                    .set(DW_AT_byte_size, AttributeValue::Udata(8));
                self.set_type(unit, id, p);
            }
            TypeKind::Array(e, n) => {
                let (e, n) = (*e, *n);
                self.array(unit, strings, id, e, n);
            }
            TypeKind::Vla { elem, .. } => {
                let e = *elem;
                self.array(unit, strings, id, e, None);
            }
            TypeKind::Vector { elem, count } => {
                // gcc describes a vector as an array flagged DW_AT_GNU_vector; the array is enough.
                let (e, n) = (*elem, *count);
                self.array(unit, strings, id, e, Some(n));
            }
            TypeKind::Func(ft) => {
                let ft = ft.clone();
                if ft.has_proto {
                    unit.get_mut(id)
                        .set(DW_AT_prototyped, AttributeValue::Flag(true));
                }
                self.set_type(unit, id, ft.ret);
                for p in ft.params {
                    let pid = unit.add(id, DW_TAG_formal_parameter);
                    self.set_type(unit, pid, p);
                }
                if ft.variadic || !ft.has_proto {
                    unit.add(id, DW_TAG_unspecified_parameters);
                }
            }
            TypeKind::Record(r) => {
                let rd = t.record(*r);
                if let Some(tag) = &rd.tag {
                    set_name(unit, strings, id, tag);
                }
                if !rd.complete {
                    unit.get_mut(id)
                        .set(DW_AT_declaration, AttributeValue::Flag(true));
                    return;
                }
                unit.get_mut(id)
                    .set(DW_AT_byte_size, AttributeValue::Udata(rd.size));
                for fld in &rd.fields {
                    let m = unit.add(id, DW_TAG_member);
                    if let Some(n) = &fld.name {
                        set_name(unit, strings, m, n);
                    }
                    self.set_type(unit, m, fld.ty);
                    let e = unit.get_mut(m);
                    match &fld.bit {
                        Some(bf) => {
                            let bit = fld.offset * 8 + u64::from(bf.bit_offset);
                            e.set(DW_AT_data_bit_offset, AttributeValue::Udata(bit));
                            e.set(DW_AT_bit_size, AttributeValue::Udata(u64::from(bf.width)));
                        }
                        None => {
                            e.set(
                                DW_AT_data_member_location,
                                AttributeValue::Udata(fld.offset),
                            );
                        }
                    }
                }
            }
            TypeKind::VaList => {
                // x86-64: typedef struct __va_list_tag __builtin_va_list[1]; AAPCS64: typedef
                // struct __va_list __builtin_va_list.
                use cfree_frontend::target::{VaListKind, VaMember};
                let (size, record, array) = match t.va_list {
                    VaListKind::Array { size, record, .. } => (size, record, true),
                    VaListKind::Record { size, record, .. } => (size, record, false),
                    VaListKind::Pointer => return,
                };
                set_name(unit, strings, id, "__builtin_va_list");
                let root = unit.root();
                let tag = unit.add(root, DW_TAG_structure_type);
                set_name(unit, strings, tag, record.tag);
                unit.get_mut(tag)
                    .set(DW_AT_byte_size, AttributeValue::Udata(size));
                let void_ptr = self.void_ptr(unit);
                for &(name, off, kind) in record.members {
                    let ty = match kind {
                        VaMember::UInt => self.die(unit, TypeTable::UINT),
                        VaMember::Int => self.die(unit, TypeTable::INT),
                        VaMember::Pointer => Some(void_ptr),
                    };
                    let m = unit.add(tag, DW_TAG_member);
                    set_name(unit, strings, m, name);
                    if let Some(ty) = ty {
                        unit.get_mut(m).set(DW_AT_type, AttributeValue::UnitRef(ty));
                    }
                    unit.get_mut(m)
                        .set(DW_AT_data_member_location, AttributeValue::Udata(off));
                }
                if !array {
                    unit.get_mut(id)
                        .set(DW_AT_type, AttributeValue::UnitRef(tag));
                    return;
                }
                let arr = unit.add(root, DW_TAG_array_type);
                unit.get_mut(arr)
                    .set(DW_AT_type, AttributeValue::UnitRef(tag));
                let sub = unit.add(arr, DW_TAG_subrange_type);
                let index = self.index_type(unit, strings);
                let e = unit.get_mut(sub);
                e.set(DW_AT_type, AttributeValue::UnitRef(index));
                e.set(DW_AT_count, AttributeValue::Udata(1));
                unit.get_mut(id)
                    .set(DW_AT_type, AttributeValue::UnitRef(arr));
            }
        }
    }

    /// `DW_TAG_enumeration_type` as gcc writes it: tag, encoding, size and underlying type,
    /// then one `DW_TAG_enumerator` per enumerator (negative values as `DW_FORM_sdata`, the
    /// others as `DW_FORM_udata`, so no reader has to guess a sign).
    fn enumeration(
        &mut self,
        unit: &mut Unit,
        strings: &mut StringTable,
        id: UnitEntryId,
        e: EnumDef<'_>,
    ) {
        if let Some(tag) = e.tag {
            set_name(unit, strings, id, tag);
        }
        let enc = if self.t.is_signed(e.base) {
            DW_ATE_signed
        } else {
            DW_ATE_unsigned
        };
        let size = self.t.size(e.base);
        let entry = unit.get_mut(id);
        entry.set(DW_AT_encoding, AttributeValue::Encoding(enc));
        entry.set(DW_AT_byte_size, AttributeValue::Udata(size));
        self.set_type(unit, id, e.base);
        for (name, v) in e.enumerators {
            let m = unit.add(id, DW_TAG_enumerator);
            set_name(unit, strings, m, name);
            let value = match u64::try_from(*v) {
                Ok(u) => AttributeValue::Udata(u),
                Err(_) => AttributeValue::Sdata(*v as i64),
            };
            unit.get_mut(m).set(DW_AT_const_value, value);
        }
    }

    fn array(
        &mut self,
        unit: &mut Unit,
        strings: &mut StringTable,
        id: UnitEntryId,
        elem: TypeId,
        count: Option<u64>,
    ) {
        self.set_type(unit, id, elem);
        let sub = unit.add(id, DW_TAG_subrange_type);
        let index = self.index_type(unit, strings);
        let e = unit.get_mut(sub);
        e.set(DW_AT_type, AttributeValue::UnitRef(index));
        if let Some(n) = count {
            e.set(DW_AT_count, AttributeValue::Udata(n));
        }
    }

    fn index_type(&mut self, unit: &mut Unit, strings: &mut StringTable) -> UnitEntryId {
        if let Some(id) = self.index_type {
            return id;
        }
        let root = unit.root();
        let id = unit.add(root, DW_TAG_base_type);
        base(unit, strings, id, "__ARRAY_SIZE_TYPE__", DW_ATE_unsigned, 8);
        self.index_type = Some(id);
        id
    }

    fn void_ptr(&mut self, unit: &mut Unit) -> UnitEntryId {
        if let Some(id) = self.void_ptr {
            return id;
        }
        let root = unit.root();
        let id = unit.add(root, DW_TAG_pointer_type);
        unit.get_mut(id)
            .set(DW_AT_byte_size, AttributeValue::Udata(8));
        self.void_ptr = Some(id);
        id
    }
}

fn base(
    unit: &mut Unit,
    strings: &mut StringTable,
    id: UnitEntryId,
    name: &str,
    enc: DwAte,
    size: u64,
) {
    set_name(unit, strings, id, name);
    let e = unit.get_mut(id);
    e.set(DW_AT_encoding, AttributeValue::Encoding(enc));
    e.set(DW_AT_byte_size, AttributeValue::Udata(size));
}

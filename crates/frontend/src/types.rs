//! C types: an interning table so that a type is a 4-byte `TypeId` and equality is `==`.
//!
//! Layout (size, alignment, field offsets, bit-field placement) follows the SysV psABI rules
//! shared by x86-64, AArch64 and RISC-V 64 LP64 Linux; the few target differences
//! (`char` signedness) come from [`TargetInfo`](crate::target::TargetInfo).

use crate::target::LongDoubleFormat;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntKind {
    Bool,
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    Int128,
    UInt128,
}

impl IntKind {
    /// The type's name as C spells it (`unsigned long`, `__int128`).
    pub fn c_name(self) -> &'static str {
        match self {
            IntKind::Bool => "_Bool",
            IntKind::Char => "char",
            IntKind::SChar => "signed char",
            IntKind::UChar => "unsigned char",
            IntKind::Short => "short",
            IntKind::UShort => "unsigned short",
            IntKind::Int => "int",
            IntKind::UInt => "unsigned int",
            IntKind::Long => "long",
            IntKind::ULong => "unsigned long",
            IntKind::LongLong => "long long",
            IntKind::ULongLong => "unsigned long long",
            IntKind::Int128 => "__int128",
            IntKind::UInt128 => "unsigned __int128",
        }
    }

    pub fn size(self) -> u64 {
        use IntKind::*;
        match self {
            Bool | Char | SChar | UChar => 1,
            Short | UShort => 2,
            Int | UInt => 4,
            Long | ULong | LongLong | ULongLong => 8,
            Int128 | UInt128 => 16,
        }
    }

    /// Integer conversion rank (C11 6.3.1.1); `long` and `long long` differ in rank even though both are 64-bit.
    pub fn rank(self) -> u32 {
        use IntKind::*;
        match self {
            Bool => 0,
            Char | SChar | UChar => 1,
            Short | UShort => 2,
            Int | UInt => 3,
            Long | ULong => 4,
            LongLong | ULongLong => 5,
            Int128 | UInt128 => 6,
        }
    }

    pub fn to_unsigned(self) -> IntKind {
        use IntKind::*;
        match self {
            Char | SChar => UChar,
            Short => UShort,
            Int => UInt,
            Long => ULong,
            LongLong => ULongLong,
            Int128 => UInt128,
            k => k,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    Float,
    Double,
    /// The target's `long double` (x87 extended on x86-64, binary128 elsewhere; see
    /// [`crate::target::LongDoubleFormat`]), stored in 16 bytes.
    LongDouble,
    /// `_Float128` / `__float128`: IEEE binary128 on every target, a type of its own even
    /// where `long double` has the same format (as in gcc).
    Float128,
}

impl FloatKind {
    /// The format of a float type that has no host arithmetic (computed by library
    /// routines), or `None` for `float`/`double`. `ld` is the target's `long double` format.
    pub fn soft_format(self, ld: LongDoubleFormat) -> Option<LongDoubleFormat> {
        match self {
            FloatKind::Float | FloatKind::Double => None,
            FloatKind::LongDouble => Some(ld),
            FloatKind::Float128 => Some(LongDoubleFormat::Binary128),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub ret: TypeId,
    pub params: Vec<TypeId>,
    pub variadic: bool,
    /// False for `int f()` (no prototype): calls apply default argument promotions.
    pub has_proto: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Void,
    Int(IntKind),
    Float(FloatKind),
    Pointer(TypeId),
    /// `None` length: incomplete array (`int a[]`, flexible member).
    Array(TypeId, Option<u64>),
    /// A variable-length array; its byte size lives at run time in the local `size_local`.
    Vla {
        elem: TypeId,
        size_local: u32,
    },
    Func(FuncType),
    Record(RecordId),
    /// A GNU vector (`__attribute__((vector_size(N)))`): `count` lanes of the arithmetic
    /// type `elem`. Size is `count * sizeof(elem)`, alignment equals the size (as gcc).
    /// Codegen handles it in memory like an aggregate; sema expands operators per lane.
    Vector {
        elem: TypeId,
        count: u64,
    },
    /// `_Complex T` (C11 6.2.5p11; GNU also allows integer `T`): the real part then the
    /// imaginary part, each a `T`, so layout and ABI are those of `struct { T re, im; }`
    /// (x86-64 psABI 3.2.3 classifies the parts alike, except `long double`'s COMPLEX_X87
    /// return). Codegen keeps it in memory like an aggregate; sema (`sema/complex.rs`)
    /// expands every operator into operations on the parts.
    Complex(TypeId),
    /// `__builtin_va_list` (an array of one 24-byte struct on x86-64; decays to a pointer).
    VaList,
    /// `const`, `volatile` and/or `_Atomic` on an unqualified `base`. [`TypeTable::kind`]
    /// looks through it (a qualified type has its base's layout and behaviour), so only code
    /// that asks [`TypeTable::quals`] (or `is_const`, `is_volatile`, `is_atomic`) sees the
    /// qualifiers; type identity and [`TypeTable::compatible`] do (C11 6.2.5p26, 6.7.3p10).
    Qualified {
        base: TypeId,
        quals: Quals,
    },
    /// An enumerated type: behaves as its underlying integer type `base` ([`TypeTable::kind`]
    /// looks through it), is compatible with it, but two different enums are not compatible
    /// with each other (C11 6.7.2.2p4, 6.2.7). `id` indexes [`TypeTable::enums`], which
    /// holds its enumerators.
    Enum {
        id: u32,
        base: TypeId,
        tag: Option<String>,
    },
}

/// Type qualifiers (`restrict` is not kept: it changes no behaviour cfree implements), and
/// the one type attribute that rides along with them: the alignment a typedef gives a
/// non-record type (`typedef int a8 __attribute__((aligned(8)))`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Quals {
    pub konst: bool,
    pub volatile: bool,
    pub atomic: bool,
    /// log2 of an alignment that replaces the type's natural one. Not a qualifier in C's
    /// sense: [`TypeTable::compatible`] and [`Quals::contains`] ignore it.
    pub align_log2: Option<u8>,
}

impl Quals {
    pub const CONST: Quals = Quals {
        konst: true,
        volatile: false,
        atomic: false,
        align_log2: None,
    };

    pub fn is_empty(self) -> bool {
        self == Quals::default()
    }

    pub fn union(self, o: Quals) -> Quals {
        Quals {
            konst: self.konst || o.konst,
            volatile: self.volatile || o.volatile,
            atomic: self.atomic || o.atomic,
            align_log2: o.align_log2.or(self.align_log2),
        }
    }

    /// The C qualifiers only (`const`, `volatile`, `_Atomic`).
    pub fn c_quals(self) -> Quals {
        Quals {
            align_log2: None,
            ..self
        }
    }

    /// Every qualifier of `o` is also in `self`.
    pub fn contains(self, o: Quals) -> bool {
        self.c_quals().union(o.c_quals()) == self.c_quals()
    }
}

#[derive(Clone, Debug)]
pub struct BitField {
    /// Bit offset inside the storage unit that starts at `Field::offset`.
    pub bit_offset: u32,
    pub width: u32,
    /// Size in bytes of the storage unit loaded and stored to access the field.
    pub unit_size: u32,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: Option<String>,
    pub ty: TypeId,
    pub offset: u64,
    pub bit: Option<BitField>,
}

#[derive(Clone, Debug)]
pub struct RecordDef {
    pub tag: Option<String>,
    pub is_union: bool,
    pub fields: Vec<Field>,
    pub size: u64,
    pub align: u64,
    pub complete: bool,
    /// Has a flexible array member as its last field.
    pub flexible: bool,
}

/// The type interner of one translation unit.
#[derive(Clone, Debug)]
pub struct TypeTable {
    kinds: Vec<TypeKind>,
    map: HashMap<TypeKind, TypeId>,
    pub records: Vec<RecordDef>,
    /// The enumerators (name, value) of each enumerated type, in declaration order, by the
    /// `id` of its [`TypeKind::Enum`].
    pub enums: Vec<Vec<(String, i128)>>,
    pub char_signed: bool,
    /// What `__builtin_va_list` is on the target (its size and alignment here).
    pub va_list: crate::target::VaListKind,
    /// The alignment GNU vectors stop growing at (16 on AArch64; natural elsewhere).
    pub max_vector_align: u64,
}

/// What debug information says of an enumerated type.
#[derive(Clone, Copy, Debug)]
pub struct EnumDef<'a> {
    pub tag: Option<&'a str>,
    /// The underlying integer type.
    pub base: TypeId,
    pub enumerators: &'a [(String, i128)],
}

impl TypeTable {
    /// The type table of a unit for `target` (its `char` signedness and `va_list`).
    pub fn new(target: &crate::target::TargetInfo) -> Self {
        let mut t = TypeTable {
            kinds: Vec::new(),
            map: HashMap::new(),
            records: Vec::new(),
            enums: Vec::new(),
            char_signed: target.char_signed,
            va_list: target.arch.va_list(),
            max_vector_align: target.arch.max_vector_align(),
        };
        // Fixed ids for the common types so hot paths need no hashing.
        t.intern(TypeKind::Void);
        for k in [
            IntKind::Bool,
            IntKind::Char,
            IntKind::SChar,
            IntKind::UChar,
            IntKind::Short,
            IntKind::UShort,
            IntKind::Int,
            IntKind::UInt,
            IntKind::Long,
            IntKind::ULong,
            IntKind::LongLong,
            IntKind::ULongLong,
            IntKind::Int128,
            IntKind::UInt128,
        ] {
            t.intern(TypeKind::Int(k));
        }
        t.intern(TypeKind::Float(FloatKind::Float));
        t.intern(TypeKind::Float(FloatKind::Double));
        t.intern(TypeKind::Float(FloatKind::LongDouble));
        t.intern(TypeKind::Float(FloatKind::Float128));
        t
    }

    pub fn intern(&mut self, k: TypeKind) -> TypeId {
        if let Some(&id) = self.map.get(&k) {
            return id;
        }
        let id = TypeId(self.kinds.len() as u32);
        self.kinds.push(k.clone());
        self.map.insert(k, id);
        id
    }

    /// The kind of `t`, looking through qualifiers and enumerated types.
    pub fn kind(&self, t: TypeId) -> &TypeKind {
        let mut k = &self.kinds[t.0 as usize];
        for _ in 0..2 {
            match k {
                TypeKind::Qualified { base, .. } | TypeKind::Enum { base, .. } => {
                    k = &self.kinds[base.0 as usize]
                }
                _ => break,
            }
        }
        k
    }

    /// A new enumerated type over the integer type `base`, with its enumerators.
    pub fn new_enum(
        &mut self,
        base: TypeId,
        tag: Option<String>,
        enumerators: Vec<(String, i128)>,
    ) -> TypeId {
        let id = self.enums.len() as u32;
        self.enums.push(enumerators);
        self.intern(TypeKind::Enum { id, base, tag })
    }

    /// The enumerated type `t` is (looking through qualifiers), if it is one.
    pub fn enum_def(&self, t: TypeId) -> Option<EnumDef<'_>> {
        match &self.kinds[self.unqualified(t).0 as usize] {
            TypeKind::Enum { id, base, tag } => Some(EnumDef {
                tag: tag.as_deref(),
                base: *base,
                enumerators: self.enums.get(*id as usize).map_or(&[], |v| v.as_slice()),
            }),
            _ => None,
        }
    }

    /// The enumerated type `t` is (looking through qualifiers), with its underlying type.
    fn enum_of(&self, t: TypeId) -> Option<(u32, TypeId)> {
        match &self.kinds[self.unqualified(t).0 as usize] {
            TypeKind::Enum { id, base, .. } => Some((*id, *base)),
            _ => None,
        }
    }

    /// `t` with an enumerated type replaced by its underlying integer type.
    pub fn enum_base(&self, t: TypeId) -> TypeId {
        self.enum_of(t).map_or(t, |e| e.1)
    }

    /// The unqualified type and the qualifiers of a possibly qualified type.
    fn split_quals(&self, t: TypeId) -> (TypeId, Quals) {
        match self.kinds[t.0 as usize] {
            TypeKind::Qualified { base, quals } => (base, quals),
            _ => (t, Quals::default()),
        }
    }

    /// The qualifiers of `t` (none for an unqualified type).
    pub fn quals(&self, t: TypeId) -> Quals {
        self.split_quals(t).1
    }

    /// `t` with the qualifiers `q` added.
    pub fn qualify_with(&mut self, t: TypeId, q: Quals) -> TypeId {
        let (base, old) = self.split_quals(t);
        let quals = old.union(q);
        if quals.is_empty() {
            return base;
        }
        self.intern(TypeKind::Qualified { base, quals })
    }

    /// `t` with `volatile` and/or `_Atomic` added.
    pub fn qualify(&mut self, t: TypeId, volatile: bool, atomic: bool) -> TypeId {
        self.qualify_with(
            t,
            Quals {
                konst: false,
                volatile,
                atomic,
                align_log2: None,
            },
        )
    }

    /// `t` without qualifiers.
    pub fn unqualified(&self, t: TypeId) -> TypeId {
        self.split_quals(t).0
    }

    pub fn is_const(&self, t: TypeId) -> bool {
        self.quals(t).konst
    }

    pub fn is_volatile(&self, t: TypeId) -> bool {
        self.quals(t).volatile
    }

    pub fn is_atomic(&self, t: TypeId) -> bool {
        self.quals(t).atomic
    }

    pub const VOID: TypeId = TypeId(0);
    pub const BOOL: TypeId = TypeId(1);
    pub const CHAR: TypeId = TypeId(2);
    pub const SCHAR: TypeId = TypeId(3);
    pub const UCHAR: TypeId = TypeId(4);
    pub const SHORT: TypeId = TypeId(5);
    pub const USHORT: TypeId = TypeId(6);
    pub const INT: TypeId = TypeId(7);
    pub const UINT: TypeId = TypeId(8);
    pub const LONG: TypeId = TypeId(9);
    pub const ULONG: TypeId = TypeId(10);
    pub const LLONG: TypeId = TypeId(11);
    pub const ULLONG: TypeId = TypeId(12);
    pub const INT128: TypeId = TypeId(13);
    pub const UINT128: TypeId = TypeId(14);
    pub const FLOAT: TypeId = TypeId(15);
    pub const DOUBLE: TypeId = TypeId(16);
    pub const LDOUBLE: TypeId = TypeId(17);
    pub const FLOAT128: TypeId = TypeId(18);

    pub fn int(&mut self, k: IntKind) -> TypeId {
        self.intern(TypeKind::Int(k))
    }

    pub fn ptr(&mut self, to: TypeId) -> TypeId {
        self.intern(TypeKind::Pointer(to))
    }

    pub fn array(&mut self, elem: TypeId, len: Option<u64>) -> TypeId {
        self.intern(TypeKind::Array(elem, len))
    }

    pub fn func(&mut self, f: FuncType) -> TypeId {
        self.intern(TypeKind::Func(f))
    }

    pub fn va_list(&mut self) -> TypeId {
        self.intern(TypeKind::VaList)
    }

    pub fn new_record(&mut self, tag: Option<String>, is_union: bool) -> (RecordId, TypeId) {
        let rid = RecordId(self.records.len() as u32);
        self.records.push(RecordDef {
            tag,
            is_union,
            fields: Vec::new(),
            size: 0,
            align: 1,
            complete: false,
            flexible: false,
        });
        let ty = self.intern(TypeKind::Record(rid));
        (rid, ty)
    }

    pub fn record(&self, r: RecordId) -> &RecordDef {
        &self.records[r.0 as usize]
    }

    pub fn record_id(&self, t: TypeId) -> Option<RecordId> {
        match self.kind(t) {
            TypeKind::Record(r) => Some(*r),
            _ => None,
        }
    }

    pub fn record_of(&self, t: TypeId) -> Option<&RecordDef> {
        match self.kind(t) {
            TypeKind::Record(r) => Some(self.record(*r)),
            _ => None,
        }
    }

    // ---- classification -------------------------------------------------------------

    pub fn int_kind(&self, t: TypeId) -> Option<IntKind> {
        match self.kind(t) {
            TypeKind::Int(k) => Some(*k),
            _ => None,
        }
    }

    /// `void`, also qualified (`const void`).
    pub fn is_void(&self, t: TypeId) -> bool {
        self.unqualified(t) == Self::VOID
    }
    pub fn is_integer(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Int(_))
    }
    pub fn is_float(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Float(_))
    }
    pub fn is_arith(&self, t: TypeId) -> bool {
        self.is_integer(t) || self.is_float(t)
    }
    pub fn is_pointer(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Pointer(_))
    }
    pub fn is_scalar(&self, t: TypeId) -> bool {
        self.is_arith(t) || self.is_pointer(t)
    }
    pub fn is_array(&self, t: TypeId) -> bool {
        match self.kind(t) {
            TypeKind::Array(..) | TypeKind::Vla { .. } => true,
            TypeKind::VaList => self.va_list_is_array(),
            _ => false,
        }
    }
    /// Whether `__builtin_va_list` is an array (x86-64), which decays to a pointer, rather
    /// than a record passed by value (AAPCS64). (Where it is a plain pointer, RISC-V, the
    /// typedef names `void *` and no `VaList` type exists.)
    pub fn va_list_is_array(&self) -> bool {
        matches!(self.va_list, crate::target::VaListKind::Array { .. })
    }
    pub fn is_func(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Func(_))
    }
    pub fn is_record(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Record(_))
    }
    /// Values that live in memory and are handled by address in codegen.
    pub fn is_aggregate(&self, t: TypeId) -> bool {
        self.is_record(t)
            || self.is_array(t)
            || self.is_vector(t)
            || self.is_complex(t)
            || matches!(self.kind(t), TypeKind::VaList)
    }
    pub fn is_vector(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Vector { .. })
    }
    pub fn is_complex(&self, t: TypeId) -> bool {
        matches!(self.kind(t), TypeKind::Complex(_))
    }
    /// The part type of a complex type.
    pub fn complex_elem(&self, t: TypeId) -> Option<TypeId> {
        match self.kind(t) {
            TypeKind::Complex(e) => Some(*e),
            _ => None,
        }
    }
    pub fn complex(&mut self, elem: TypeId) -> TypeId {
        self.intern(TypeKind::Complex(elem))
    }
    /// The real type of an arithmetic or complex type (C11 6.3.1.8's "corresponding real type").
    pub fn real_type(&self, t: TypeId) -> TypeId {
        self.complex_elem(t).unwrap_or(t)
    }
    /// Lane type and lane count of a vector type.
    pub fn vector_parts(&self, t: TypeId) -> Option<(TypeId, u64)> {
        match self.kind(t) {
            TypeKind::Vector { elem, count } => Some((*elem, *count)),
            _ => None,
        }
    }
    pub fn vector(&mut self, elem: TypeId, count: u64) -> TypeId {
        self.intern(TypeKind::Vector { elem, count })
    }

    pub fn is_signed(&self, t: TypeId) -> bool {
        match self.kind(t) {
            TypeKind::Int(k) => match k {
                IntKind::Char => self.char_signed,
                IntKind::SChar
                | IntKind::Short
                | IntKind::Int
                | IntKind::Long
                | IntKind::LongLong
                | IntKind::Int128 => true,
                _ => false,
            },
            TypeKind::Float(_) => true,
            _ => false,
        }
    }

    pub fn pointee(&self, t: TypeId) -> Option<TypeId> {
        match self.kind(t) {
            TypeKind::Pointer(p) => Some(*p),
            _ => None,
        }
    }

    /// Element type of an array-like type.
    pub fn elem(&self, t: TypeId) -> Option<TypeId> {
        match self.kind(t) {
            TypeKind::Array(e, _) => Some(*e),
            TypeKind::Vla { elem, .. } => Some(*elem),
            _ => None,
        }
    }

    pub fn func_type(&self, t: TypeId) -> Option<&FuncType> {
        match self.kind(t) {
            TypeKind::Func(f) => Some(f),
            _ => None,
        }
    }

    /// Size in bytes; incomplete types, functions and `void` report 1 (GNU `sizeof(void)`), VLAs 0.
    pub fn size(&self, t: TypeId) -> u64 {
        match self.kind(t) {
            TypeKind::Void | TypeKind::Func(_) => 1,
            TypeKind::Int(k) => k.size(),
            TypeKind::Float(FloatKind::Float) => 4,
            TypeKind::Float(FloatKind::Double) => 8,
            TypeKind::Float(FloatKind::LongDouble | FloatKind::Float128) => 16,
            TypeKind::Pointer(_) => 8,
            TypeKind::Array(e, n) => self.size(*e).saturating_mul(n.unwrap_or(0)),
            TypeKind::Vla { .. } => 0,
            TypeKind::Vector { elem, count } => self.size(*elem).saturating_mul(*count),
            TypeKind::Complex(e) => self.size(*e).saturating_mul(2),
            TypeKind::Record(r) => self.record(*r).size,
            TypeKind::VaList => match self.va_list {
                crate::target::VaListKind::Array { size, .. }
                | crate::target::VaListKind::Record { size, .. } => size,
                crate::target::VaListKind::Pointer => 8,
            },
            // `kind` never returns a qualified type.
            TypeKind::Qualified { base, .. } | TypeKind::Enum { base, .. } => self.size(*base),
        }
    }

    pub fn align(&self, t: TypeId) -> u64 {
        if let Some(l) = self.quals(t).align_log2 {
            return 1u64 << l.min(28);
        }
        match self.kind(t) {
            TypeKind::Void | TypeKind::Func(_) => 1,
            TypeKind::Int(k) => k.size(),
            TypeKind::Float(FloatKind::Float) => 4,
            TypeKind::Float(FloatKind::Double) => 8,
            TypeKind::Float(FloatKind::LongDouble | FloatKind::Float128) => 16,
            TypeKind::Pointer(_) => 8,
            TypeKind::Array(e, _) | TypeKind::Vla { elem: e, .. } | TypeKind::Complex(e) => {
                self.align(*e)
            }
            TypeKind::Record(r) => self.record(*r).align,
            TypeKind::Vector { elem, count } => {
                let natural = self.size(*elem).saturating_mul(*count).max(1);
                natural.min(self.max_vector_align)
            }
            TypeKind::VaList => match self.va_list {
                crate::target::VaListKind::Array { align, .. }
                | crate::target::VaListKind::Record { align, .. } => align,
                crate::target::VaListKind::Pointer => 8,
            },
            TypeKind::Qualified { base, .. } | TypeKind::Enum { base, .. } => self.align(*base),
        }
    }

    pub fn is_complete(&self, t: TypeId) -> bool {
        match self.kind(t) {
            TypeKind::Void => false,
            TypeKind::Array(_, None) => false,
            TypeKind::Record(r) => self.record(*r).complete,
            TypeKind::Complex(e) => self.is_complete(*e),
            _ => true,
        }
    }

    // ---- conversions ----------------------------------------------------------------

    /// Integer promotion (C11 6.3.1.1p2); bit-fields are promoted by the caller from their width.
    pub fn promote(&self, t: TypeId) -> TypeId {
        let t = self.enum_base(t);
        match self.kind(t) {
            TypeKind::Int(k) if k.rank() < IntKind::Int.rank() => Self::INT,
            _ => t,
        }
    }

    /// The common real type of the usual arithmetic conversions (C11 6.3.1.8).
    pub fn usual_arith(&self, a: TypeId, b: TypeId) -> TypeId {
        let (a, b) = (self.enum_base(a), self.enum_base(b));
        if self.is_float(a) || self.is_float(b) {
            // `_Float128` has more precision than every standard type on all targets
            // (TS 18661-3: it wins against `long double`, even an equal-format one).
            let rank = |t: TypeId| match self.kind(t) {
                TypeKind::Float(FloatKind::Float128) => 4,
                TypeKind::Float(FloatKind::LongDouble) => 3,
                TypeKind::Float(FloatKind::Double) => 2,
                TypeKind::Float(FloatKind::Float) => 1,
                _ => 0,
            };
            return if rank(a) >= rank(b) { a } else { b };
        }
        let a = self.promote(a);
        let b = self.promote(b);
        if a == b {
            return a;
        }
        let (ka, kb) = match (self.int_kind(a), self.int_kind(b)) {
            (Some(x), Some(y)) => (x, y),
            _ => return a,
        };
        let (sa, sb) = (self.is_signed(a), self.is_signed(b));
        if sa == sb {
            return if ka.rank() >= kb.rank() { a } else { b };
        }
        let (s, sk, u, uk) = if sa { (a, ka, b, kb) } else { (b, kb, a, ka) };
        if uk.rank() >= sk.rank() {
            return u;
        }
        if sk.size() > uk.size() {
            return s;
        }
        Self::int_type(sk.to_unsigned())
    }

    /// The fixed id of an integer kind.
    pub const fn int_type(k: IntKind) -> TypeId {
        TypeId(1 + k as u32)
    }

    /// Two types are compatible (C11 6.2.7): identically qualified versions of compatible
    /// types (`const int *` and `int *` are not compatible; their pointees differ in `const`).
    pub fn compatible(&self, a: TypeId, b: TypeId) -> bool {
        if a == b {
            return true;
        }
        if self.quals(a).c_quals() != self.quals(b).c_quals() {
            return false;
        }
        if self.unqualified(a) == self.unqualified(b) {
            return true;
        }
        match (self.enum_of(a), self.enum_of(b)) {
            (Some(x), Some(y)) => return x.0 == y.0,
            (Some((_, base)), None) => return self.compatible(base, self.unqualified(b)),
            (None, Some((_, base))) => return self.compatible(self.unqualified(a), base),
            (None, None) => {}
        }
        match (self.kind(a), self.kind(b)) {
            (TypeKind::Pointer(x), TypeKind::Pointer(y)) => self.compatible(*x, *y),
            (TypeKind::Array(x, n), TypeKind::Array(y, m)) => {
                self.compatible(*x, *y) && (n.is_none() || m.is_none() || n == m)
            }
            (TypeKind::Func(f), TypeKind::Func(g)) => {
                self.compatible(f.ret, g.ret)
                    && (!f.has_proto
                        || !g.has_proto
                        || (f.variadic == g.variadic
                            && f.params.len() == g.params.len()
                            && f.params
                                .iter()
                                .zip(&g.params)
                                .all(|(p, q)| self.compatible(*p, *q))))
            }
            _ => false,
        }
    }

    /// A readable spelling of a type for diagnostics (`struct point *`, `const int [4]`).
    pub fn display(&self, t: TypeId) -> String {
        self.spell(t, true)
    }

    /// The spelling without any qualifier at any level (`char * (char *, ...)` for
    /// `char *(const char *, ...)`): what the embedding API promises scripting hosts.
    pub fn display_unqualified(&self, t: TypeId) -> String {
        self.spell(t, false)
    }

    fn spell_quals(&self, q: Quals) -> String {
        let words: Vec<&str> = [
            (q.konst, "const"),
            (q.volatile, "volatile"),
            (q.atomic, "_Atomic"),
        ]
        .iter()
        .filter(|w| w.0)
        .map(|w| w.1)
        .collect();
        words.join(" ")
    }

    fn spell(&self, t: TypeId, quals: bool) -> String {
        let (base, q) = self.split_quals(t);
        let q = q.c_quals();
        if let TypeKind::Enum { tag, .. } = &self.kinds[base.0 as usize] {
            let name = format!("enum {}", tag.as_deref().unwrap_or("<anonymous>"));
            return if quals && !q.is_empty() {
                format!("{} {name}", self.spell_quals(q))
            } else {
                name
            };
        }
        if !quals {
            if base != t {
                return self.spell(base, false);
            }
        } else if !q.is_empty() {
            let words = self.spell_quals(q);
            // Pointers are qualified after the `*` (`int *const`).
            if let TypeKind::Pointer(_) = self.kind(base) {
                return format!("{}{words}", self.spell(base, quals));
            }
            return format!("{words} {}", self.spell(base, quals));
        }
        match self.kind(t) {
            TypeKind::Void => "void".into(),
            TypeKind::Int(k) => k.c_name().into(),
            TypeKind::Float(FloatKind::Float) => "float".into(),
            TypeKind::Float(FloatKind::Double) => "double".into(),
            TypeKind::Float(FloatKind::LongDouble) => "long double".into(),
            TypeKind::Float(FloatKind::Float128) => "_Float128".into(),
            TypeKind::Pointer(p) => format!("{} *", self.spell(*p, quals)),
            TypeKind::Array(e, Some(n)) => format!("{} [{}]", self.spell(*e, quals), n),
            TypeKind::Array(e, None) => format!("{} []", self.spell(*e, quals)),
            TypeKind::Vector { elem, count } => format!(
                "{} __attribute__((vector_size({})))",
                self.spell(*elem, quals),
                self.size(*elem) * count
            ),
            TypeKind::Vla { elem, .. } => format!("{} [*]", self.spell(*elem, quals)),
            TypeKind::Complex(e) => format!("complex {}", self.spell(*e, quals)),
            TypeKind::Func(f) => {
                let ps: Vec<String> = f.params.iter().map(|p| self.spell(*p, quals)).collect();
                let mut s = format!("{} ({})", self.spell(f.ret, quals), ps.join(", "));
                if f.variadic {
                    s.insert_str(s.len() - 1, ", ...");
                }
                s
            }
            TypeKind::Record(r) => {
                let rd = self.record(*r);
                format!(
                    "{} {}",
                    if rd.is_union { "union" } else { "struct" },
                    rd.tag.as_deref().unwrap_or("<anonymous>")
                )
            }
            TypeKind::VaList => "__builtin_va_list".into(),
            TypeKind::Qualified { base, .. } | TypeKind::Enum { base, .. } => {
                self.spell(*base, quals)
            }
        }
    }
}

/// Incremental struct/union layout following the SysV rules (including GCC's bit-field placement
/// and `packed`/`aligned` attributes).
pub struct RecordLayout {
    is_union: bool,
    packed: bool,
    /// `#pragma pack(n)` maximum member alignment, if any.
    max_align: Option<u64>,
    /// Current size in bits (u128: objects up to the full 64-bit byte range are valid).
    bits: u128,
    pub align: u64,
    pub fields: Vec<Field>,
}

impl RecordLayout {
    pub fn new(is_union: bool, packed: bool, max_align: Option<u64>) -> Self {
        RecordLayout {
            is_union,
            packed,
            max_align,
            bits: 0,
            align: 1,
            fields: Vec::new(),
        }
    }

    fn cap(&self, a: u64) -> u64 {
        let a = if self.packed { 1 } else { a };
        match self.max_align {
            Some(m) if m < a => m.max(1),
            _ => a,
        }
    }

    /// Adds an ordinary member; `extra_align` is an `aligned(N)`/`_Alignas` on the member.
    pub fn add_field(
        &mut self,
        name: Option<String>,
        ty: TypeId,
        size: u64,
        align: u64,
        extra_align: u64,
    ) {
        let a = self.cap(align).max(extra_align);
        self.align = self.align.max(a);
        let off = if self.is_union {
            0
        } else {
            align_to(bytes_of(self.bits), a)
        };
        self.fields.push(Field {
            name,
            ty,
            offset: off,
            bit: None,
        });
        let end = (off as u128 + size as u128) * 8;
        self.bits = if self.is_union {
            self.bits.max(end)
        } else {
            end
        };
    }

    /// Adds a bit-field of declared type size `size` (bytes) and `width` bits; `extra_align`
    /// is an `aligned(N)` on the member (it starts the field at an N-byte boundary and raises
    /// the record's alignment, as in gcc).
    pub fn add_bitfield(
        &mut self,
        name: Option<String>,
        ty: TypeId,
        size: u64,
        align: u64,
        width: u32,
        extra_align: u64,
    ) {
        let unit_bits = size as u128 * 8;
        let bit_align = |bits: u128, a: u64| bits.div_ceil(a as u128 * 8) * (a as u128 * 8);
        if width == 0 {
            // A zero-width bit-field pads to the next unit of its type; it does not affect the
            // struct's alignment on SysV targets.
            if !self.is_union {
                self.bits = bit_align(self.bits, align.max(1));
            }
            return;
        }
        let a = self.cap(align).max(extra_align);
        let start = if self.is_union {
            0
        } else if extra_align > 1 {
            bit_align(self.bits, extra_align)
        } else if self.packed || self.max_align.is_some() {
            // Under `#pragma pack` gcc drops the rule that a bit-field stays inside one unit
            // of its type (stor-layout's PCC_BITFIELD_TYPE_MATTERS applies only without a
            // maximum field alignment): the field starts at the next bit.
            self.bits
        } else {
            // The field must fit inside one naturally aligned unit of its type.
            let unit_start = self.bits / unit_bits * unit_bits;
            if self.bits + width as u128 > unit_start + unit_bits {
                bit_align(self.bits, align.max(1))
            } else {
                self.bits
            }
        };
        if name.is_some() || !self.packed {
            self.align = self.align.max(a);
        }
        // Describe the access as the smallest naturally aligned unit (of at most the declared
        // size) that holds the whole field; for packed layouts widen up to 8 bytes if needed.
        let mut unit = size as u128;
        let mut unit_off = start / 8 / unit * unit;
        while (unit_off * 8 + unit * 8) < start + width as u128 && unit < 8 {
            unit *= 2;
            unit_off = start / 8 / unit * unit;
        }
        if (unit_off * 8 + unit * 8) < start + width as u128 {
            // Does not fit any aligned 8-byte unit (only in packed structs): use byte offset.
            unit_off = start / 8;
            unit = 8;
        }
        self.fields.push(Field {
            name,
            ty,
            offset: bytes_of(unit_off * 8),
            bit: Some(BitField {
                bit_offset: (start - unit_off * 8) as u32,
                width,
                unit_size: unit as u32,
            }),
        });
        let end = start + width as u128;
        self.bits = if self.is_union {
            self.bits.max(end)
        } else {
            end
        };
    }

    /// Final (size, align) with trailing padding; `min_align` from `aligned(N)` on the record.
    pub fn finish(&self, min_align: u64) -> (u64, u64) {
        let align = self.align.max(min_align);
        (align_to(bytes_of(self.bits), align), align)
    }
}

/// Bytes covering `bits`, saturated at `u64::MAX` (no object is that large; sema rejects
/// sizes past the address space).
fn bytes_of(bits: u128) -> u64 {
    u64::try_from(bits.div_ceil(8)).unwrap_or(u64::MAX)
}

pub fn align_to(x: u64, a: u64) -> u64 {
    if a <= 1 {
        x
    } else {
        x.div_ceil(a) * a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_arithmetic_conversions() {
        let t = TypeTable::new(&crate::target::TargetInfo::x86_64_linux());
        assert_eq!(
            t.usual_arith(TypeTable::INT, TypeTable::UINT),
            TypeTable::UINT
        );
        assert_eq!(
            t.usual_arith(TypeTable::LONG, TypeTable::UINT),
            TypeTable::LONG
        );
        assert_eq!(
            t.usual_arith(TypeTable::CHAR, TypeTable::SHORT),
            TypeTable::INT
        );
        // Equal widths: the unsigned counterpart of the signed operand (C11 6.3.1.8p1).
        assert_eq!(
            t.usual_arith(TypeTable::LLONG, TypeTable::ULONG),
            TypeTable::ULLONG
        );
        assert_eq!(
            t.usual_arith(TypeTable::INT, TypeTable::FLOAT),
            TypeTable::FLOAT
        );
        assert_eq!(
            t.usual_arith(TypeTable::DOUBLE, TypeTable::FLOAT),
            TypeTable::DOUBLE
        );
    }

    #[test]
    fn bitfield_layout_matches_sysv() {
        // struct { char a; int b:4; int c:30; } -> a@0, b in the int unit at 0 bits 8..12, c in next int.
        let mut l = RecordLayout::new(false, false, None);
        l.add_field(Some("a".into()), TypeTable::CHAR, 1, 1, 1);
        l.add_bitfield(Some("b".into()), TypeTable::INT, 4, 4, 4, 1);
        l.add_bitfield(Some("c".into()), TypeTable::INT, 4, 4, 30, 1);
        let (size, align) = l.finish(1);
        assert_eq!((size, align), (8, 4));
        let b = l.fields[1]
            .bit
            .as_ref()
            .map(|b| (l.fields[1].offset * 8 + b.bit_offset as u64, b.width));
        assert_eq!(b, Some((8, 4)));
        assert_eq!(l.fields[2].offset, 4);
    }
}

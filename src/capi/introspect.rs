//! The introspection part of the C API (the "Introspection" section of `include/cfree.h`):
//! struct and union layouts, enumerations, typedefs, global variable types, parameter names
//! and integer constants of the compiled sources, declaration-only text and symbol
//! resolution as the linker does it.
//!
//! All of it reads [`crate::Declarations`], which the compiler fills (its layouts are the ones
//! codegen used), so a scripting host never recomputes a layout. The entry points follow the
//! rest of the C API: checked pointers, `catch_unwind` through `with_jit`, strings valid until
//! the next call on the same JIT (kept in [`Storage`]).

use std::ffi::{c_char, c_int, c_void, CString};

use cfree_driver::pipeline::interface::ConstantKind;

use super::{arg_str, c_message, with_jit, CfreeJit, Failure, CFREE_ERR_LINK};
use crate::TypeLayout;

/// `CfreeTypeClass`.
pub const CFREE_TYPE_STRUCT: c_int = 1;
pub const CFREE_TYPE_UNION: c_int = 2;
pub const CFREE_TYPE_ENUM: c_int = 3;

/// `CfreeConstantKind`.
pub const CFREE_CONST_ENUM: c_int = 1;
pub const CFREE_CONST_MACRO: c_int = 2;

/// `CfreeField`: one member of a struct or union.
#[repr(C)]
pub struct CfreeField {
    /// "" for an anonymous struct/union member or an unnamed bit-field.
    pub name: *const c_char,
    pub type_: *const c_char,
    pub offset: u64,
    pub bit_offset: u32,
    /// 0: not a bit-field.
    pub bit_width: u32,
    pub bit_unit_size: u32,
}

/// `CfreeTypeLayout`: a struct, union or enumeration as the compiler laid it out.
#[repr(C)]
pub struct CfreeTypeLayout {
    pub type_class: c_int,
    pub name: *const c_char,
    pub size: u64,
    pub align: u64,
    pub nfields: usize,
    pub fields: *const CfreeField,
    /// Enumerations: the underlying integer type; NULL otherwise.
    pub enum_base: *const c_char,
}

/// `CfreeConstant`: an enumeration constant or an integer macro.
#[repr(C)]
pub struct CfreeConstant {
    pub name: *const c_char,
    pub value: i64,
    pub is_unsigned: c_int,
    pub kind: c_int,
    pub type_: *const c_char,
}

/// Storage behind the strings and arrays the introspection calls return (valid until the
/// next call on the same JIT, like every string of the C API).
#[derive(Default)]
pub(super) struct Storage {
    strings: Vec<CString>,
    fields: Vec<CfreeField>,
    names: Vec<*const c_char>,
}

// SAFETY: the raw pointers point into `strings`, owned by the same value; they are only
// dereferenced by the C caller while the JIT's lock is not held by anyone else's call.
unsafe impl Send for Storage {}

impl Storage {
    fn clear(&mut self) {
        self.fields.clear();
        self.names.clear();
        self.strings.clear();
    }

    /// Keeps `s` and returns its C pointer (stable: a `CString`'s buffer never moves).
    fn keep(&mut self, s: &str) -> *const c_char {
        let c = c_message(s);
        let p = c.as_ptr();
        self.strings.push(c);
        p
    }
}

fn not_found(msg: String) -> Failure {
    Failure {
        kind: CFREE_ERR_LINK,
        msg,
    }
}

/// Fills `*out` with the layout of the struct, union or enumeration `type`.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it. NULL is
/// reported as an error, never dereferenced.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_type_layout(
    jit: *mut CfreeJit,
    type_: *const c_char,
    out: *mut CfreeTypeLayout,
) -> c_int {
    with_jit(jit, 1, |st| {
        let name = arg_str(type_, "type")?;
        if out.is_null() {
            return Err(Failure::invalid("cfree: the layout out-pointer is NULL"));
        }
        let decls = st.jit.declarations();
        let layout = decls.layout(name).ok_or_else(|| {
            not_found(format!(
                "cfree: no struct, union or enum `{name}` (nor a typedef of one) in the \
                 compiled sources"
            ))
        })?;
        let store = &mut st.intro;
        store.clear();
        let l = match layout {
            TypeLayout::Record(r) => {
                for f in &r.fields {
                    let (bit_offset, bit_width, bit_unit_size) = f.bit.unwrap_or((0, 0, 0));
                    let field = CfreeField {
                        name: store.keep(&f.name),
                        type_: store.keep(&f.ty),
                        offset: f.offset,
                        bit_offset,
                        bit_width,
                        bit_unit_size,
                    };
                    store.fields.push(field);
                }
                CfreeTypeLayout {
                    type_class: if r.is_union {
                        CFREE_TYPE_UNION
                    } else {
                        CFREE_TYPE_STRUCT
                    },
                    name: store.keep(&r.spelling),
                    size: r.size,
                    align: r.align,
                    nfields: store.fields.len(),
                    fields: store.fields.as_ptr(),
                    enum_base: std::ptr::null(),
                }
            }
            TypeLayout::Enum { spelling, base } => {
                let (size, align) = int_size(base);
                CfreeTypeLayout {
                    type_class: CFREE_TYPE_ENUM,
                    name: store.keep(spelling),
                    size,
                    align,
                    nfields: 0,
                    fields: std::ptr::null(),
                    enum_base: store.keep(base),
                }
            }
        };
        // SAFETY: checked non-NULL above; a caller-owned struct (header contract).
        unsafe { *out = l };
        Ok(0)
    })
}

/// Size and alignment of an enumeration's underlying integer type (as spelled by the
/// compiler; LP64 and LLP64 agree on every type an enum can have except `long`, and every
/// target cfree has is LP64).
fn int_size(base: &str) -> (u64, u64) {
    let n = match base {
        "_Bool" | "char" | "signed char" | "unsigned char" => 1,
        "short" | "unsigned short" => 2,
        "int" | "unsigned int" => 4,
        "__int128" | "unsigned __int128" => 16,
        _ => 8,
    };
    (n, n)
}

/// The type typedef `name` stands for; NULL if there is no such typedef.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_typedef(
    jit: *mut CfreeJit,
    name: *const c_char,
) -> *const c_char {
    with_jit(jit, std::ptr::null(), |st| {
        let name = arg_str(name, "name")?;
        let t = st
            .jit
            .declarations()
            .typedef(name)
            .map(str::to_owned)
            .ok_or_else(|| {
                not_found(format!(
                    "cfree: no typedef `{name}` in the compiled sources"
                ))
            })?;
        st.intro.clear();
        Ok(st.intro.keep(&t))
    })
}

/// The type of global variable `name`; `*is_const` (may be NULL) says whether it is
/// read-only. NULL if no compiled or declared source has such a variable.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_global_type(
    jit: *mut CfreeJit,
    name: *const c_char,
    is_const: *mut c_int,
) -> *const c_char {
    with_jit(jit, std::ptr::null(), |st| {
        let name = arg_str(name, "name")?;
        let g = st.jit.declarations().global(name).cloned().ok_or_else(|| {
            not_found(format!(
                "cfree: no global variable `{name}` in the compiled or declared sources"
            ))
        })?;
        // SAFETY: NULL or writable (header contract).
        if let Some(p) = unsafe { is_const.as_mut() } {
            *p = c_int::from(g.readonly);
        }
        st.intro.clear();
        Ok(st.intro.keep(&g.ty))
    })
}

/// Calls `fn(constant, user)` for every enumeration constant and integer macro of the
/// compiled and declared sources, sorted by name. A non-zero return stops the walk and is
/// returned; -1 on error.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_constants(
    jit: *mut CfreeJit,
    callback: Option<extern "C" fn(*const CfreeConstant, *mut c_void) -> c_int>,
    user: *mut c_void,
) -> c_int {
    with_jit(jit, -1, |st| {
        let cb = callback.ok_or_else(|| Failure::invalid("cfree: callback is NULL"))?;
        let consts: Vec<_> = st.jit.declarations().constants().cloned().collect();
        for c in consts {
            let (value, is_unsigned) = if let Ok(v) = i64::try_from(c.value) {
                (v, 0)
            } else if let Ok(v) = u64::try_from(c.value) {
                (v as i64, 1)
            } else {
                continue; // an `__int128` enumerator: no 64-bit value to give
            };
            let name = c_message(&c.name);
            let ty = c_message(&c.ty);
            let info = CfreeConstant {
                name: name.as_ptr(),
                value,
                is_unsigned: if c.ty.starts_with("unsigned") {
                    1
                } else {
                    is_unsigned
                },
                kind: match c.kind {
                    ConstantKind::Enumerator => CFREE_CONST_ENUM,
                    ConstantKind::Macro => CFREE_CONST_MACRO,
                },
                type_: ty.as_ptr(),
            };
            let r = cb(&info, user);
            if r != 0 {
                return Ok(r);
            }
        }
        Ok(0)
    })
}

/// The parameter names of function `name` as its definition spells them ("" for an unnamed
/// one); `*count` receives their number. NULL when the image defines no such function.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_param_names(
    jit: *mut CfreeJit,
    function: *const c_char,
    count: *mut usize,
) -> *const *const c_char {
    with_jit(jit, std::ptr::null(), |st| {
        let name = arg_str(function, "function")?;
        let params = st
            .jit
            .declarations()
            .params(name)
            .map(<[String]>::to_vec)
            .ok_or_else(|| {
                not_found(format!(
                    "cfree: no function `{name}` defined by a compiled source"
                ))
            })?;
        let store = &mut st.intro;
        store.clear();
        for p in &params {
            let ptr = store.keep(p);
            store.names.push(ptr);
        }
        store.names.push(std::ptr::null());
        // SAFETY: NULL or writable (header contract).
        if let Some(c) = unsafe { count.as_mut() } {
            *c = params.len();
        }
        Ok(store.names.as_ptr())
    })
}

/// Takes declaration-only C text (prototypes, `extern` variables, type definitions,
/// `#include`, `#define`) into the JIT's declarations without linking anything.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_declare(jit: *mut CfreeJit, source: *const c_char) -> c_int {
    with_jit(jit, 1, |st| {
        let source = arg_str(source, "source")?;
        st.jit.declare(source)?;
        Ok(0)
    })
}

/// The address `name` would be bound to by code appended now: the image's symbol, else a
/// host symbol, the process's libraries (libc) or a `-l` library. NULL if none has it.
///
/// # Safety
/// Every pointer argument is NULL or valid as `include/cfree.h` describes it.
#[no_mangle]
pub unsafe extern "C" fn cfree_jit_resolve(jit: *mut CfreeJit, name: *const c_char) -> *mut c_void {
    with_jit(jit, std::ptr::null_mut(), |st| {
        let name = arg_str(name, "name")?;
        st.jit
            .resolve(name)
            .map(|a| a as *mut c_void)
            .ok_or_else(|| {
                not_found(format!(
                    "cfree: `{name}` is neither in the image nor in the host's or -l libraries"
                ))
            })
    })
}

//! The one table of GCC builtins cfree implements.
//!
//! Sema dispatches every `__builtin_*`, `__sync_*` and `__atomic_*` call through [`lookup`],
//! and the preprocessor's `__has_builtin` answers from the same function, so the two can never
//! disagree: a name outside this table is "unknown builtin" in sema and 0 in `#if`.
//!
//! Two kinds exist. An [`BuiltinKind::Intrinsic`] is lowered by sema itself (to IR operations
//! or constants). A [`BuiltinKind::Library`] `__builtin_foo` is a call of the C library's `foo`
//! with foo's real prototype (given here, so that the call converts its arguments and result
//! correctly even without the header): gcc compiles it the same way when it does not expand it.

/// How sema handles a builtin name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinKind {
    /// Lowered by sema (`sema::expr::builtin` or the lowering pass's rewrites).
    Intrinsic,
    /// A call of the library function named after `__builtin_`, with this prototype:
    /// the return type, then the parameter types, one letter each (see [`proto_letter`]);
    /// a trailing `.` marks a variadic function.
    Library(&'static str),
}

/// Builtins sema lowers itself. `__builtin_offsetof`, `__builtin_va_arg` and
/// `__builtin_types_compatible_p` are parsed by lang-c or rewritten by the lowering pass; the
/// others (`__builtin_choose_expr` among them) are calls that sema recognises by name.
const INTRINSICS: &[&str] = &[
    "__builtin_va_start",
    "__builtin_va_end",
    "__builtin_va_copy",
    "__builtin_va_arg",
    "__builtin_va_arg_pack",
    "__builtin_va_arg_pack_len",
    "__builtin_offsetof",
    "__builtin_types_compatible_p",
    "__builtin_choose_expr",
    "__builtin_expect",
    "__builtin_shuffle",
    "__builtin_convertvector",
    "__builtin_assume_aligned",
    "__builtin_prefetch",
    "__builtin_constant_p",
    "__builtin_object_size",
    "__builtin_classify_type",
    "__builtin_setjmp",
    "__builtin_longjmp",
    "__builtin_trap",
    "__builtin_unreachable",
    "__builtin_alloca",
    "__builtin_frame_address",
    "__builtin_return_address",
    "__builtin_inf",
    "__builtin_inff",
    "__builtin_infl",
    "__builtin_huge_val",
    "__builtin_huge_valf",
    "__builtin_huge_vall",
    "__builtin_nan",
    "__builtin_nanf",
    "__builtin_nanl",
    "__builtin_isnan",
    "__builtin_isinf",
    "__builtin_isinff",
    "__builtin_isinfl",
    "__builtin_isinf_sign",
    "__builtin_isfinite",
    "__builtin_isnormal",
    "__builtin_fpclassify",
    "__builtin_signbit",
    "__builtin_signbitf",
    "__builtin_signbitl",
    "__builtin_isless",
    "__builtin_isgreater",
    "__builtin_islessequal",
    "__builtin_isgreaterequal",
    "__builtin_islessgreater",
    "__builtin_isunordered",
    "__builtin_creal",
    "__builtin_crealf",
    "__builtin_creall",
    "__builtin_cimag",
    "__builtin_cimagf",
    "__builtin_cimagl",
    "__builtin_conj",
    "__builtin_conjf",
    "__builtin_conjl",
    "__builtin_complex",
    "__builtin_fabs",
    "__builtin_fabsf",
    "__builtin_sqrt",
    "__builtin_clz",
    "__builtin_clzl",
    "__builtin_clzll",
    "__builtin_ctz",
    "__builtin_ctzl",
    "__builtin_ctzll",
    "__builtin_popcount",
    "__builtin_popcountl",
    "__builtin_popcountll",
    "__builtin_ffs",
    "__builtin_ffsl",
    "__builtin_ffsll",
    "__builtin_parity",
    "__builtin_parityl",
    "__builtin_parityll",
    "__builtin_clrsb",
    "__builtin_clrsbl",
    "__builtin_clrsbll",
    "__builtin_bswap16",
    "__builtin_bswap32",
    "__builtin_bswap64",
    "__builtin_add_overflow",
    "__builtin_add_overflow_p",
    "__builtin_sadd_overflow",
    "__builtin_saddl_overflow",
    "__builtin_saddll_overflow",
    "__builtin_uadd_overflow",
    "__builtin_uaddl_overflow",
    "__builtin_uaddll_overflow",
    "__builtin_sub_overflow",
    "__builtin_sub_overflow_p",
    "__builtin_ssub_overflow",
    "__builtin_ssubl_overflow",
    "__builtin_ssubll_overflow",
    "__builtin_usub_overflow",
    "__builtin_usubl_overflow",
    "__builtin_usubll_overflow",
    "__builtin_mul_overflow",
    "__builtin_mul_overflow_p",
    "__builtin_smul_overflow",
    "__builtin_smull_overflow",
    "__builtin_smulll_overflow",
    "__builtin_umul_overflow",
    "__builtin_umull_overflow",
    "__builtin_umulll_overflow",
    "__sync_synchronize",
    "__sync_fetch_and_add",
    "__sync_fetch_and_sub",
    "__sync_fetch_and_and",
    "__sync_fetch_and_or",
    "__sync_fetch_and_xor",
    "__sync_add_and_fetch",
    "__sync_sub_and_fetch",
    "__sync_and_and_fetch",
    "__sync_or_and_fetch",
    "__sync_xor_and_fetch",
    "__sync_lock_test_and_set",
    "__sync_lock_release",
    "__sync_val_compare_and_swap",
    "__sync_bool_compare_and_swap",
    "__atomic_thread_fence",
    "__atomic_signal_fence",
    "__atomic_fetch_add",
    "__atomic_fetch_sub",
    "__atomic_fetch_and",
    "__atomic_fetch_or",
    "__atomic_fetch_xor",
    "__atomic_add_fetch",
    "__atomic_sub_fetch",
    "__atomic_and_fetch",
    "__atomic_or_fetch",
    "__atomic_xor_fetch",
    "__atomic_exchange_n",
    "__atomic_store_n",
    "__atomic_load_n",
    "__atomic_load",
    "__atomic_store",
    "__atomic_exchange",
    "__atomic_compare_exchange",
    "__atomic_compare_exchange_n",
    "__atomic_test_and_set",
    "__atomic_clear",
    "__atomic_always_lock_free",
    "__atomic_is_lock_free",
    "__c11_atomic_init",
    "__c11_atomic_load",
    "__c11_atomic_store",
    "__c11_atomic_exchange",
    "__c11_atomic_compare_exchange_strong",
    "__c11_atomic_compare_exchange_weak",
    "__c11_atomic_fetch_add",
    "__c11_atomic_fetch_sub",
    "__c11_atomic_fetch_and",
    "__c11_atomic_fetch_or",
    "__c11_atomic_fetch_xor",
    "__c11_atomic_is_lock_free",
];

/// `__builtin_X` forms of library functions, with X's prototype. Letters: `v` void, `i` int,
/// `u` unsigned int, `l` long, `L` unsigned long / size_t, `x` long long, `d` double, `f`
/// float, `e` long double, `p` any object pointer (`void *`, `FILE *`), `s` `char *`, `a`
/// `va_list`, `D` `double *`, `F` `float *`, `E` `long double *`, `I` `int *`.
const LIBRARY: &[(&str, &str)] = &[
    // <string.h>
    ("memcpy", "pppL"),
    ("memmove", "pppL"),
    ("memset", "ppiL"),
    ("memcmp", "ippL"),
    ("memchr", "ppiL"),
    ("mempcpy", "pppL"),
    ("strlen", "Ls"),
    ("strnlen", "LsL"),
    ("strcpy", "sss"),
    ("strncpy", "sssL"),
    ("stpcpy", "sss"),
    ("stpncpy", "sssL"),
    ("strcat", "sss"),
    ("strncat", "sssL"),
    ("strcmp", "iss"),
    ("strncmp", "issL"),
    ("strcasecmp", "iss"),
    ("strncasecmp", "issL"),
    ("strchr", "ssi"),
    ("strrchr", "ssi"),
    ("index", "ssi"),
    ("rindex", "ssi"),
    ("strstr", "sss"),
    ("strpbrk", "sss"),
    ("strspn", "Lss"),
    ("strcspn", "Lss"),
    ("strdup", "ss"),
    ("strndup", "ssL"),
    ("bzero", "vpL"),
    ("bcmp", "ippL"),
    // glibc's object-size-checked forms, which `_FORTIFY_SOURCE` headers call through
    // `__builtin___X_chk` (the size comes from `__builtin_object_size`)
    ("__memcpy_chk", "pppLL"),
    ("__memmove_chk", "pppLL"),
    ("__mempcpy_chk", "pppLL"),
    ("__memset_chk", "ppiLL"),
    ("__strcpy_chk", "sssL"),
    ("__stpcpy_chk", "sssL"),
    ("__strncpy_chk", "sssLL"),
    ("__stpncpy_chk", "sssLL"),
    ("__strcat_chk", "sssL"),
    ("__strncat_chk", "sssLL"),
    ("__sprintf_chk", "isiLs."),
    ("__snprintf_chk", "isLiLs."),
    ("__vsprintf_chk", "isiLsa"),
    ("__vsnprintf_chk", "isLiLsa"),
    // <stdio.h>
    ("printf", "is."),
    ("fprintf", "ips."),
    ("sprintf", "iss."),
    ("snprintf", "isLs."),
    ("vprintf", "isa"),
    ("vfprintf", "ipsa"),
    ("vsprintf", "issa"),
    ("vsnprintf", "isLsa"),
    ("scanf", "is."),
    ("sscanf", "iss."),
    ("fscanf", "ips."),
    ("puts", "is"),
    ("putchar", "ii"),
    ("fputs", "isp"),
    ("fputc", "iip"),
    ("putc", "iip"),
    ("fwrite", "LpLLp"),
    // <stdlib.h>, <inttypes.h>
    ("abort", "v"),
    // libgcc's (gcc expands it inline where the target needs nothing, as on x86-64).
    ("__clear_cache", "vpp"),
    ("exit", "vi"),
    ("_exit", "vi"),
    ("_Exit", "vi"),
    ("abs", "ii"),
    ("labs", "ll"),
    ("llabs", "xx"),
    ("imaxabs", "ll"),
    ("malloc", "pL"),
    ("calloc", "pLL"),
    ("realloc", "ppL"),
    ("free", "vp"),
    // <ctype.h>
    ("isalnum", "ii"),
    ("isalpha", "ii"),
    ("isascii", "ii"),
    ("isblank", "ii"),
    ("iscntrl", "ii"),
    ("isdigit", "ii"),
    ("isgraph", "ii"),
    ("islower", "ii"),
    ("isprint", "ii"),
    ("ispunct", "ii"),
    ("isspace", "ii"),
    ("isupper", "ii"),
    ("isxdigit", "ii"),
    ("toascii", "ii"),
    ("tolower", "ii"),
    ("toupper", "ii"),
    // <math.h>: the double forms; the `f` and `l` forms are derived in `library_proto`.
    ("acos", "dd"),
    ("acosh", "dd"),
    ("asin", "dd"),
    ("asinh", "dd"),
    ("atan", "dd"),
    ("atanh", "dd"),
    ("atan2", "ddd"),
    ("cbrt", "dd"),
    ("ceil", "dd"),
    ("copysign", "ddd"),
    ("cos", "dd"),
    ("cosh", "dd"),
    ("erf", "dd"),
    ("erfc", "dd"),
    ("exp", "dd"),
    ("exp2", "dd"),
    ("expm1", "dd"),
    ("fdim", "ddd"),
    ("fabs", "dd"),
    ("floor", "dd"),
    ("fma", "dddd"),
    ("fmax", "ddd"),
    ("fmin", "ddd"),
    ("fmod", "ddd"),
    ("frexp", "ddI"),
    ("hypot", "ddd"),
    ("ilogb", "id"),
    ("ldexp", "ddi"),
    ("lgamma", "dd"),
    ("llrint", "xd"),
    ("llround", "xd"),
    ("log", "dd"),
    ("log10", "dd"),
    ("log1p", "dd"),
    ("log2", "dd"),
    ("logb", "dd"),
    ("lrint", "ld"),
    ("lround", "ld"),
    ("modf", "ddD"),
    ("nearbyint", "dd"),
    ("nextafter", "ddd"),
    ("pow", "ddd"),
    ("remainder", "ddd"),
    ("rint", "dd"),
    ("round", "dd"),
    ("roundeven", "dd"),
    ("scalbln", "ddl"),
    ("scalbn", "ddi"),
    ("sin", "dd"),
    ("sinh", "dd"),
    ("sqrt", "dd"),
    ("tan", "dd"),
    ("tanh", "dd"),
    ("tgamma", "dd"),
    ("trunc", "dd"),
];

/// How sema handles `name`, or `None` when it is not a builtin cfree implements.
pub fn lookup(name: &str) -> Option<BuiltinKind> {
    if INTRINSICS.contains(&name) {
        return Some(BuiltinKind::Intrinsic);
    }
    let lib = name.strip_prefix("__builtin_")?;
    library_proto(lib).map(BuiltinKind::Library)
}

/// What `__has_builtin(name)` answers.
pub fn has_builtin(name: &str) -> bool {
    lookup(name).is_some()
}

/// Whether `name` is in a builtin namespace, so that a call of it must resolve through
/// [`lookup`] (and is an error when it does not) instead of being an implicit declaration.
pub fn is_builtin_namespace(name: &str) -> bool {
    ["__builtin_", "__sync_", "__atomic_", "__c11_atomic_"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The prototype of C library function `lib` if gcc knows it as a builtin (and cfree's
/// table lists it): also what an implicit declaration of `lib` gets, as in gcc.
pub fn library_proto(lib: &str) -> Option<&'static str> {
    if let Some((_, p)) = LIBRARY.iter().find(|(n, _)| *n == lib) {
        return Some(p);
    }
    // `sinf`/`sinl`: the float and long double forms of a math function.
    let (base, float) = if let Some(b) = lib.strip_suffix('f') {
        (b, true)
    } else {
        (lib.strip_suffix('l')?, false)
    };
    let (_, p) = LIBRARY.iter().find(|(n, _)| *n == base)?;
    if !p.contains(['d', 'D']) {
        return None;
    }
    Some(if float {
        MATH_F.iter().find(|(n, _)| *n == base)?.1
    } else {
        MATH_L.iter().find(|(n, _)| *n == base)?.1
    })
}

macro_rules! math_variants {
    ($f:ident, $l:ident: $($name:literal => $pf:literal, $pl:literal;)*) => {
        const $f: &[(&str, &str)] = &[$(($name, $pf)),*];
        const $l: &[(&str, &str)] = &[$(($name, $pl)),*];
    };
}

// The `f` and `l` prototypes, spelled out (a `const` table cannot be computed by rewriting
// strings); `library_variants_follow_the_double_forms` checks them against the double forms.
math_variants! { MATH_F, MATH_L:
    "acos" => "ff", "ee"; "acosh" => "ff", "ee"; "asin" => "ff", "ee"; "asinh" => "ff", "ee";
    "atan" => "ff", "ee"; "atanh" => "ff", "ee"; "atan2" => "fff", "eee"; "cbrt" => "ff", "ee";
    "ceil" => "ff", "ee"; "copysign" => "fff", "eee"; "cos" => "ff", "ee"; "cosh" => "ff", "ee";
    "erf" => "ff", "ee"; "erfc" => "ff", "ee"; "exp" => "ff", "ee"; "exp2" => "ff", "ee";
    "expm1" => "ff", "ee"; "fabs" => "ff", "ee"; "fdim" => "fff", "eee"; "floor" => "ff", "ee"; "fma" => "ffff", "eeee";
    "fmax" => "fff", "eee"; "fmin" => "fff", "eee"; "fmod" => "fff", "eee"; "frexp" => "ffI", "eeI";
    "hypot" => "fff", "eee"; "ilogb" => "if", "ie"; "ldexp" => "ffi", "eei"; "lgamma" => "ff", "ee";
    "llrint" => "xf", "xe"; "llround" => "xf", "xe"; "log" => "ff", "ee"; "log10" => "ff", "ee";
    "log1p" => "ff", "ee"; "log2" => "ff", "ee"; "logb" => "ff", "ee"; "lrint" => "lf", "le";
    "lround" => "lf", "le"; "modf" => "ffF", "eeE"; "nearbyint" => "ff", "ee";
    "nextafter" => "fff", "eee"; "pow" => "fff", "eee"; "remainder" => "fff", "eee";
    "rint" => "ff", "ee"; "round" => "ff", "ee"; "roundeven" => "ff", "ee"; "scalbln" => "ffl", "eel";
    "scalbn" => "ffi", "eei"; "sin" => "ff", "ee"; "sinh" => "ff", "ee"; "sqrt" => "ff", "ee"; "tan" => "ff", "ee";
    "tanh" => "ff", "ee"; "tgamma" => "ff", "ee"; "trunc" => "ff", "ee";
}

/// The meaning of one prototype letter (for sema's type construction and for tests).
pub fn proto_letter(c: char) -> Option<ProtoType> {
    use ProtoType::*;
    Some(match c {
        'v' => Void,
        'i' => Int,
        'u' => UInt,
        'l' => Long,
        'L' => ULong,
        'x' => LongLong,
        'd' => Double,
        'f' => Float,
        'e' => LongDouble,
        'q' => Float128,
        'p' => VoidPtr,
        's' => CharPtr,
        'a' => VaList,
        'D' => DoublePtr,
        'F' => FloatPtr,
        'E' => LongDoublePtr,
        'I' => IntPtr,
        _ => return None,
    })
}

/// A C type named by a prototype letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoType {
    Void,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    Double,
    Float,
    LongDouble,
    Float128,
    VoidPtr,
    CharPtr,
    VaList,
    DoublePtr,
    FloatPtr,
    LongDoublePtr,
    IntPtr,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prototype_letter_is_known() {
        let all = LIBRARY.iter().chain(MATH_F).chain(MATH_L);
        for (n, p) in all {
            for c in p.chars().filter(|&c| c != '.') {
                assert!(proto_letter(c).is_some(), "{n}: letter {c}");
            }
        }
    }

    #[test]
    fn library_variants_follow_the_double_forms() {
        for (n, p) in LIBRARY.iter().filter(|(_, p)| p.contains('d')) {
            let f = p.replace('d', "f").replace('D', "F");
            let l = p.replace('d', "e").replace('D', "E");
            assert_eq!(library_proto(&format!("{n}f")), Some(f.as_str()), "{n}f");
            assert_eq!(library_proto(&format!("{n}l")), Some(l.as_str()), "{n}l");
        }
    }

    #[test]
    fn lookup_knows_both_kinds_and_rejects_the_rest() {
        assert_eq!(lookup("__builtin_ctzll"), Some(BuiltinKind::Intrinsic));
        assert_eq!(
            lookup("__builtin_copysignf"),
            Some(BuiltinKind::Library("fff"))
        );
        assert_eq!(
            lookup("__builtin_strstr"),
            Some(BuiltinKind::Library("sss"))
        );
        assert_eq!(lookup("__builtin_sqrtl"), Some(BuiltinKind::Library("ee")));
        assert_eq!(lookup("__builtin_nope"), None);
        assert_eq!(lookup("__builtin_strlenf"), None);
        assert_eq!(lookup("strlen"), None);
        assert!(is_builtin_namespace("__atomic_compare_exchange"));
    }
}

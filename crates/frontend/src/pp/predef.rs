//! The predefined macros, written as the text of a `<built-in>` file so they go through the
//! ordinary `#define` path (and show up as "previous definition" in redefinition warnings).
//!
//! The set is gcc's for the target, minus what would promise something cfree cannot deliver:
//! no `__SSE__`/`__ARM_NEON` (their intrinsic headers are gcc-private), no `__PIC__`
//! (JIT code is not position-independent), no `__SIZEOF_FLOAT128__`. `__GNUC__` is 4.9,
//! the oldest gcc that current code (libdeflate) accepts; what headers enable for it works:
//! `_Generic`, `__float128` (glibc's `_Float128` prototypes), `__builtin_va_arg_pack` in
//! glibc's fortify wrappers (whose bodies cfree gives up for the library function).
//! `__LDBL_*` describe the target's `long double` format (x87 extended on x86-64,
//! binary128 on AArch64 and RISC-V).

use super::PpOptions;
use crate::target::Arch;
use std::fmt::Write as _;

pub fn predefined_source(opts: &PpOptions) -> String {
    let mut s = String::with_capacity(8 * 1024);
    let mut def = |name: &str, val: &str| {
        let _ = writeln!(s, "#define {name} {val}");
    };
    def("__STDC__", "1");
    if opts.std_version != PpOptions::C90 {
        def("__STDC_VERSION__", &format!("{}L", opts.std_version));
    }
    def("__STDC_HOSTED__", "1");
    def("__STDC_UTF_16__", "1");
    def("__STDC_UTF_32__", "1");
    // What glibc's stdc-predef.h would add; gcc includes that file implicitly, we define
    // its content directly.
    def("_STDC_PREDEF_H", "1");
    def("__STDC_IEC_559__", "1");
    def("__STDC_IEC_60559_BFP__", "201404L");
    def("__STDC_IEC_559_COMPLEX__", "1");
    def("__STDC_IEC_60559_COMPLEX__", "201404L");
    def("__STDC_ISO_10646__", "201706L");
    def("__GCC_IEC_559", "2");
    def("__GCC_IEC_559_COMPLEX", "2");
    if !opts.gnu {
        def("__STRICT_ANSI__", "1");
    }

    def("__GNUC__", "4");
    def("__GNUC_MINOR__", "9");
    def("__GNUC_PATCHLEVEL__", "0");
    def("__GNUC_STDC_INLINE__", "1");
    def("__VERSION__", "\"cfree 0.1\"");
    def("__cfree__", "1");
    if opts.optimize {
        def("__OPTIMIZE__", "1");
    } else {
        def("__NO_INLINE__", "1");
    }
    def("__USER_LABEL_PREFIX__", "");
    def("__REGISTER_PREFIX__", "");
    def("__FINITE_MATH_ONLY__", "0");
    def("__CHAR_BIT__", "8");
    def("__BIGGEST_ALIGNMENT__", "16");

    // Operating system and object format.
    for m in [
        "__linux__",
        "__linux",
        "__gnu_linux__",
        "__unix__",
        "__unix",
        "__ELF__",
    ] {
        def(m, "1");
    }
    if opts.gnu {
        def("linux", "1");
        def("unix", "1");
    }

    // Data model: LP64 little-endian on every supported target.
    def("__LP64__", "1");
    def("_LP64", "1");
    def("__ORDER_LITTLE_ENDIAN__", "1234");
    def("__ORDER_BIG_ENDIAN__", "4321");
    def("__ORDER_PDP_ENDIAN__", "3412");
    def("__BYTE_ORDER__", "__ORDER_LITTLE_ENDIAN__");
    def("__FLOAT_WORD_ORDER__", "__ORDER_LITTLE_ENDIAN__");
    for (n, v) in [
        ("INT", 4),
        ("LONG", 8),
        ("LONG_LONG", 8),
        ("SHORT", 2),
        ("POINTER", 8),
        ("FLOAT", 4),
        ("DOUBLE", 8),
        ("LONG_DOUBLE", opts.target.long_double_size),
        ("SIZE_T", 8),
        ("WCHAR_T", 4),
        ("WINT_T", 4),
        ("PTRDIFF_T", 8),
        ("INT128", 16),
    ] {
        def(&format!("__SIZEOF_{n}__"), &v.to_string());
    }
    let wchar_unsigned = opts.target.arch == Arch::Aarch64;
    if !opts.target.char_signed {
        def("__CHAR_UNSIGNED__", "1");
    }
    if wchar_unsigned {
        def("__WCHAR_TYPE__", "unsigned int");
        def("__WCHAR_MAX__", "0xffffffffU");
        def("__WCHAR_MIN__", "0U");
    } else {
        def("__WCHAR_TYPE__", "int");
        def("__WCHAR_MAX__", "0x7fffffff");
        def("__WCHAR_MIN__", "(-__WCHAR_MAX__ - 1)");
    }
    for (n, v) in [
        ("SCHAR_MAX", "0x7f"),
        ("SHRT_MAX", "0x7fff"),
        ("INT_MAX", "0x7fffffff"),
        ("LONG_MAX", "0x7fffffffffffffffL"),
        ("LONG_LONG_MAX", "0x7fffffffffffffffLL"),
        ("WINT_MAX", "0xffffffffU"),
        ("WINT_MIN", "0U"),
        ("PTRDIFF_MAX", "0x7fffffffffffffffL"),
        ("SIZE_MAX", "0xffffffffffffffffUL"),
        ("INTMAX_MAX", "0x7fffffffffffffffL"),
        ("UINTMAX_MAX", "0xffffffffffffffffUL"),
        ("INTPTR_MAX", "0x7fffffffffffffffL"),
        ("UINTPTR_MAX", "0xffffffffffffffffUL"),
        ("SIG_ATOMIC_MAX", "0x7fffffff"),
        ("SIG_ATOMIC_MIN", "(-__SIG_ATOMIC_MAX__ - 1)"),
        ("INT8_MAX", "0x7f"),
        ("INT16_MAX", "0x7fff"),
        ("INT32_MAX", "0x7fffffff"),
        ("INT64_MAX", "0x7fffffffffffffffL"),
        ("UINT8_MAX", "0xff"),
        ("UINT16_MAX", "0xffff"),
        ("UINT32_MAX", "0xffffffffU"),
        ("UINT64_MAX", "0xffffffffffffffffUL"),
        ("SCHAR_WIDTH", "8"),
        ("SHRT_WIDTH", "16"),
        ("INT_WIDTH", "32"),
        ("LONG_WIDTH", "64"),
        ("LONG_LONG_WIDTH", "64"),
        ("PTRDIFF_WIDTH", "64"),
        ("SIZE_WIDTH", "64"),
        ("WCHAR_WIDTH", "32"),
        ("WINT_WIDTH", "32"),
        ("INTMAX_WIDTH", "64"),
        ("INTPTR_WIDTH", "64"),
        ("SIG_ATOMIC_WIDTH", "32"),
    ] {
        def(&format!("__{n}__"), v);
    }
    for (n, v) in [
        ("SIZE", "long unsigned int"),
        ("PTRDIFF", "long int"),
        ("WINT", "unsigned int"),
        ("INTMAX", "long int"),
        ("UINTMAX", "long unsigned int"),
        ("CHAR16", "short unsigned int"),
        ("CHAR32", "unsigned int"),
        ("SIG_ATOMIC", "int"),
        ("INT8", "signed char"),
        ("INT16", "short int"),
        ("INT32", "int"),
        ("INT64", "long int"),
        ("UINT8", "unsigned char"),
        ("UINT16", "short unsigned int"),
        ("UINT32", "unsigned int"),
        ("UINT64", "long unsigned int"),
        ("INT_LEAST8", "signed char"),
        ("INT_LEAST16", "short int"),
        ("INT_LEAST32", "int"),
        ("INT_LEAST64", "long int"),
        ("UINT_LEAST8", "unsigned char"),
        ("UINT_LEAST16", "short unsigned int"),
        ("UINT_LEAST32", "unsigned int"),
        ("UINT_LEAST64", "long unsigned int"),
        ("INT_FAST8", "signed char"),
        ("INT_FAST16", "long int"),
        ("INT_FAST32", "long int"),
        ("INT_FAST64", "long int"),
        ("UINT_FAST8", "unsigned char"),
        ("UINT_FAST16", "long unsigned int"),
        ("UINT_FAST32", "long unsigned int"),
        ("UINT_FAST64", "long unsigned int"),
        ("INTPTR", "long int"),
        ("UINTPTR", "long unsigned int"),
    ] {
        def(&format!("__{n}_TYPE__"), v);
    }
    for (n, suffix) in [
        ("INT8", ""),
        ("INT16", ""),
        ("INT32", ""),
        ("INT64", "L"),
        ("UINT8", ""),
        ("UINT16", ""),
        ("UINT32", "U"),
        ("UINT64", "UL"),
        ("INTMAX", "L"),
        ("UINTMAX", "UL"),
    ] {
        let body = if suffix.is_empty() {
            "c".to_string()
        } else {
            format!("c ## {suffix}")
        };
        def(&format!("__{n}_C(c)"), &body);
    }

    // Floating point: IEEE single and double; long double is treated as double for now.
    let dbl: [(&str, &str); 16] = [
        ("MANT_DIG", "53"),
        ("DIG", "15"),
        ("MIN_EXP", "(-1021)"),
        ("MIN_10_EXP", "(-307)"),
        ("MAX_EXP", "1024"),
        ("MAX_10_EXP", "308"),
        ("DECIMAL_DIG", "17"),
        ("MAX", "1.79769313486231570814527423731704357e+308"),
        ("NORM_MAX", "1.79769313486231570814527423731704357e+308"),
        ("MIN", "2.22507385850720138309023271733240406e-308"),
        ("EPSILON", "2.22044604925031308084726333618164062e-16"),
        ("DENORM_MIN", "4.94065645841246544176568792868221372e-324"),
        ("HAS_DENORM", "1"),
        ("HAS_INFINITY", "1"),
        ("HAS_QUIET_NAN", "1"),
        ("IS_IEC_60559", "2"),
    ];
    let flt: [(&str, &str); 16] = [
        ("MANT_DIG", "24"),
        ("DIG", "6"),
        ("MIN_EXP", "(-125)"),
        ("MIN_10_EXP", "(-37)"),
        ("MAX_EXP", "128"),
        ("MAX_10_EXP", "38"),
        ("DECIMAL_DIG", "9"),
        ("MAX", "3.40282346638528859811704183484516925e+38F"),
        ("NORM_MAX", "3.40282346638528859811704183484516925e+38F"),
        ("MIN", "1.17549435082228750796873653722224568e-38F"),
        ("EPSILON", "1.19209289550781250000000000000000000e-7F"),
        ("DENORM_MIN", "1.40129846432481707092372958328991613e-45F"),
        ("HAS_DENORM", "1"),
        ("HAS_INFINITY", "1"),
        ("HAS_QUIET_NAN", "1"),
        ("IS_IEC_60559", "2"),
    ];
    let is_float_value =
        |n: &str| matches!(n, "MAX" | "NORM_MAX" | "MIN" | "EPSILON" | "DENORM_MIN");
    for (n, v) in flt {
        def(&format!("__FLT_{n}__"), v);
    }
    for (n, v) in dbl {
        let val = if is_float_value(n) {
            format!("((double){v}L)")
        } else {
            v.to_string()
        };
        def(&format!("__DBL_{n}__"), &val);
    }
    for (n, v) in long_double_limits(opts.target.long_double) {
        def(&format!("__LDBL_{n}__"), v);
    }
    def("__FLT_RADIX__", "2");
    def("__FLT_EVAL_METHOD__", "0");
    def("__FLT_EVAL_METHOD_TS_18661_3__", "0");
    def(
        "__DECIMAL_DIG__",
        long_double_limits(opts.target.long_double)[6].1,
    );

    // Atomics: the memory-order constants and lock-freedom of every standard width.
    for (i, n) in [
        "RELAXED", "CONSUME", "ACQUIRE", "RELEASE", "ACQ_REL", "SEQ_CST",
    ]
    .iter()
    .enumerate()
    {
        def(&format!("__ATOMIC_{n}"), &i.to_string());
    }
    for n in [
        "BOOL", "CHAR", "CHAR16_T", "CHAR32_T", "WCHAR_T", "SHORT", "INT", "LONG", "LLONG",
        "POINTER",
    ] {
        def(&format!("__GCC_ATOMIC_{n}_LOCK_FREE"), "2");
    }
    def("__GCC_ATOMIC_TEST_AND_SET_TRUEVAL", "1");

    match opts.target.arch {
        Arch::X86_64 => {
            for m in [
                "__x86_64__",
                "__x86_64",
                "__amd64__",
                "__amd64",
                "__code_model_small__",
            ] {
                def(m, "1");
            }
        }
        Arch::Aarch64 => {
            for (m, v) in [
                ("__aarch64__", "1"),
                ("__AARCH64EL__", "1"),
                ("__AARCH64_CMODEL_SMALL__", "1"),
                ("__ARM_64BIT_STATE", "1"),
                ("__ARM_ARCH", "8"),
                ("__ARM_ARCH_8A", "1"),
                ("__ARM_ARCH_ISA_A64", "1"),
                ("__ARM_ARCH_PROFILE", "65"),
                ("__ARM_PCS_AAPCS64", "1"),
                ("__ARM_FEATURE_UNALIGNED", "1"),
                ("__ARM_FP", "14"),
                ("__ARM_SIZEOF_WCHAR_T", "4"),
                ("__ARM_SIZEOF_MINIMAL_ENUM", "4"),
                ("__ARM_ALIGN_MAX_STACK_PWR", "16"),
            ] {
                def(m, v);
            }
        }
        Arch::Riscv64 => {
            for (m, v) in [
                ("__riscv", "1"),
                ("__riscv_xlen", "64"),
                ("__riscv_flen", "64"),
                ("__riscv_float_abi_double", "1"),
                ("__riscv_mul", "1"),
                ("__riscv_div", "1"),
                ("__riscv_muldiv", "1"),
                ("__riscv_atomic", "1"),
                ("__riscv_fdiv", "1"),
                ("__riscv_fsqrt", "1"),
                ("__riscv_compressed", "1"),
                ("__riscv_cmodel_medany", "1"),
                ("__riscv_arch_test", "1"),
                ("__riscv_i", "2000000"),
                ("__riscv_m", "2000000"),
                ("__riscv_a", "2001000"),
                ("__riscv_f", "2002000"),
                ("__riscv_d", "2002000"),
                ("__riscv_c", "2000000"),
                ("__riscv_zicsr", "2000000"),
                ("__riscv_zifencei", "2000000"),
            ] {
                def(m, v);
            }
        }
    }
    s
}

/// gcc's `__LDBL_*__` values for each `long double` format (`echo | gcc -dM -E -`).
fn long_double_limits(f: crate::target::LongDoubleFormat) -> [(&'static str, &'static str); 16] {
    use crate::target::LongDoubleFormat as F;
    let (mant, dig, dec, max, min, eps, denorm) = match f {
        F::X87 => (
            "64",
            "18",
            "21",
            "1.18973149535723176502126385303097021e+4932L",
            "3.36210314311209350626267781732175260e-4932L",
            "1.08420217248550443400745280086994171e-19L",
            "3.64519953188247460252840593361941982e-4951L",
        ),
        F::Binary128 => (
            "113",
            "33",
            "36",
            "1.18973149535723176508575932662800702e+4932L",
            "3.36210314311209350626267781732175260e-4932L",
            "1.92592994438723585305597794258492732e-34L",
            "6.47517511943802511092443895822764655e-4966L",
        ),
    };
    [
        ("MANT_DIG", mant),
        ("DIG", dig),
        ("MIN_EXP", "(-16381)"),
        ("MIN_10_EXP", "(-4931)"),
        ("MAX_EXP", "16384"),
        ("MAX_10_EXP", "4932"),
        ("DECIMAL_DIG", dec),
        ("MAX", max),
        ("NORM_MAX", max),
        ("MIN", min),
        ("EPSILON", eps),
        ("DENORM_MIN", denorm),
        ("HAS_DENORM", "1"),
        ("HAS_INFINITY", "1"),
        ("HAS_QUIET_NAN", "1"),
        ("IS_IEC_60559", "2"),
    ]
}

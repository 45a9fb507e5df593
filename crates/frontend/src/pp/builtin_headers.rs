//! cfree's own freestanding headers, embedded in the binary and searched as a virtual
//! directory before the system ones: gcc's versions of these live in gcc's private include
//! directory, which is not on cfree's path.

const HEADERS: &[(&str, &str)] = &[
    ("stddef.h", include_str!("../../include/stddef.h")),
    ("stdarg.h", include_str!("../../include/stdarg.h")),
    ("stdbool.h", include_str!("../../include/stdbool.h")),
    ("float.h", include_str!("../../include/float.h")),
    ("limits.h", include_str!("../../include/limits.h")),
    ("stdalign.h", include_str!("../../include/stdalign.h")),
    ("stdnoreturn.h", include_str!("../../include/stdnoreturn.h")),
    ("iso646.h", include_str!("../../include/iso646.h")),
    ("stdint.h", include_str!("../../include/stdint.h")),
    ("stdatomic.h", include_str!("../../include/stdatomic.h")),
    // x86 intrinsics (C over GNU vectors) and <cpuid.h>.
    ("mm_malloc.h", include_str!("../../include/mm_malloc.h")),
    ("xmmintrin.h", include_str!("../../include/xmmintrin.h")),
    ("emmintrin.h", include_str!("../../include/emmintrin.h")),
    ("pmmintrin.h", include_str!("../../include/pmmintrin.h")),
    ("tmmintrin.h", include_str!("../../include/tmmintrin.h")),
    ("smmintrin.h", include_str!("../../include/smmintrin.h")),
    ("nmmintrin.h", include_str!("../../include/nmmintrin.h")),
    ("wmmintrin.h", include_str!("../../include/wmmintrin.h")),
    ("avx2intrin.h", include_str!("../../include/avx2intrin.h")),
    ("bmiintrin.h", include_str!("../../include/bmiintrin.h")),
    ("immintrin.h", include_str!("../../include/immintrin.h")),
    ("ia32intrin.h", include_str!("../../include/ia32intrin.h")),
    ("x86intrin.h", include_str!("../../include/x86intrin.h")),
    ("cpuid.h", include_str!("../../include/cpuid.h")),
];

/// The text of the built-in header `name`, if cfree provides one.
pub fn get(name: &str) -> Option<&'static str> {
    HEADERS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

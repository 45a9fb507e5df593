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
];

/// The text of the built-in header `name`, if cfree provides one.
pub fn get(name: &str) -> Option<&'static str> {
    HEADERS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

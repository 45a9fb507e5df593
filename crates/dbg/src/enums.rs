//! Enumerated types the way gdb shows them: a value by its enumerator's name, a "flag enum"
//! value as the enumerators it combines, any other value as a number, and `ptype`'s list of
//! enumerators (gdb's `generic_val_print_enum_1` and `c_type_print_base`).

/// gdb reads an enum with no negative enumerator as unsigned.
pub fn is_unsigned(values: &[(String, i128)]) -> bool {
    values.iter().all(|(_, v)| *v >= 0)
}

/// A "flag enum" for gdb: no enumerator is negative and none has more than one bit set.
fn is_flag_enum(values: &[(String, i128)]) -> bool {
    values.iter().all(|(_, v)| *v >= 0 && v.count_ones() <= 1)
}

/// The value `v` of an enumerated type as gdb prints it: `GREEN`; for a flag enum
/// `(FA | FC)`, `(FA | unknown: 0x4)`, `(unknown: 0x10)` or `0`; otherwise the number.
pub fn format_enum(values: &[(String, i128)], v: i128) -> String {
    if let Some((name, _)) = values.iter().find(|(_, x)| *x == v) {
        return name.clone();
    }
    if !is_flag_enum(values) {
        return v.to_string();
    }
    let mut rest = v;
    let mut parts: Vec<String> = Vec::new();
    for (name, bit) in values {
        if *bit != 0 && rest & bit != 0 {
            parts.push(name.clone());
            rest &= !bit;
        }
    }
    if rest != 0 {
        parts.push(format!("unknown: {rest:#x}"));
    }
    if parts.is_empty() {
        "0".into()
    } else {
        format!("({})", parts.join(" | "))
    }
}

/// `{RED, GREEN = 5, BLUE}`: each enumerator, with its value where it is not one more than
/// the previous one's (the first is compared with 0).
pub fn enumerator_list(values: &[(String, i128)]) -> String {
    let mut next = 0i128;
    let items: Vec<String> = values
        .iter()
        .map(|(name, v)| {
            let item = if *v == next {
                name.clone()
            } else {
                format!("{name} = {v}")
            };
            next = v.wrapping_add(1);
            item
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(v: &[(&str, i128)]) -> Vec<(String, i128)> {
        v.iter().map(|(n, x)| (n.to_string(), *x)).collect()
    }

    /// Expected strings are gdb 13's output on a `gcc -g -O0` build of the same enums.
    #[test]
    fn values_print_as_gdb_prints_them() {
        let color = vals(&[("RED", 0), ("GREEN", 5), ("BLUE", 6)]);
        assert_eq!(format_enum(&color, 5), "GREEN");
        assert_eq!(format_enum(&color, 4), "4");
        let flags = vals(&[("FA", 1), ("FB", 2), ("FC", 8)]);
        assert_eq!(format_enum(&flags, 9), "(FA | FC)");
        assert_eq!(format_enum(&flags, 0), "0");
        assert_eq!(format_enum(&flags, 5), "(FA | unknown: 0x4)");
        assert_eq!(format_enum(&flags, 16), "(unknown: 0x10)");
        let dup = vals(&[("D1", 2), ("D2", 2), ("D3", 4)]);
        assert_eq!(format_enum(&dup, 6), "(D1 | D3)");
        let neg = vals(&[("NA", -1), ("NB", 3)]);
        assert_eq!(format_enum(&neg, 7), "7");
        assert!(!is_unsigned(&neg));
        let high = vals(&[("F1", 0x8000_0000), ("F2", 1)]);
        assert_eq!(format_enum(&high, 0x8000_0003), "(F1 | F2 | unknown: 0x2)");
    }

    #[test]
    fn enumerator_lists_show_values_that_do_not_follow() {
        let flags = vals(&[("FA", 1), ("FB", 2), ("FC", 8)]);
        assert_eq!(enumerator_list(&flags), "{FA = 1, FB, FC = 8}");
        let color = vals(&[("RED", 0), ("GREEN", 5), ("BLUE", 6)]);
        assert_eq!(enumerator_list(&color), "{RED, GREEN = 5, BLUE}");
        let neg = vals(&[("NA", -1), ("NB", 3)]);
        assert_eq!(enumerator_list(&neg), "{NA = -1, NB = 3}");
    }
}

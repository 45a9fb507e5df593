//! Literals: integer constants with C's type selection, floating constants (decimal and hex),
//! character constants and string literals with all escapes and encoding prefixes.

use super::*;

/// The type of an integer constant (C11 6.4.4.1p5) and its value.
pub(super) fn integer_constant(i: &ast::Integer) -> Result<(i128, TypeId), String> {
    let digits: String = i.number.chars().filter(|c| *c != '\'').collect();
    let radix = match i.base {
        ast::IntegerBase::Decimal => 10,
        ast::IntegerBase::Octal => 8,
        ast::IntegerBase::Hexadecimal => 16,
        ast::IntegerBase::Binary => 2,
    };
    let body = match i.base {
        // lang-c may or may not keep the `0x`/`0b` prefix in `number`.
        ast::IntegerBase::Hexadecimal => digits.trim_start_matches("0x").trim_start_matches("0X"),
        ast::IntegerBase::Binary => digits.trim_start_matches("0b").trim_start_matches("0B"),
        ast::IntegerBase::Octal => digits.trim_start_matches('0'),
        ast::IntegerBase::Decimal => &digits,
    };
    let v = if body.is_empty() {
        0u128
    } else {
        u128::from_str_radix(body, radix)
            .map_err(|_| format!("invalid integer constant '{}'", i.number))?
    };
    if v > u64::MAX as u128 {
        return Err("integer constant is too large for its type".into());
    }
    let decimal = matches!(i.base, ast::IntegerBase::Decimal);
    let u = i.suffix.unsigned;
    let fits_i32 = v <= i32::MAX as u128;
    let fits_u32 = v <= u32::MAX as u128;
    let fits_i64 = v <= i64::MAX as u128;
    use ast::IntegerSize::*;
    let ty = match (i.suffix.size, u) {
        (Int, false) => {
            if fits_i32 {
                TypeTable::INT
            } else if !decimal && fits_u32 {
                TypeTable::UINT
            } else if fits_i64 {
                TypeTable::LONG
            } else {
                TypeTable::ULONG
            }
        }
        (Int, true) => {
            if fits_u32 {
                TypeTable::UINT
            } else {
                TypeTable::ULONG
            }
        }
        (Long, false) => {
            if fits_i64 {
                TypeTable::LONG
            } else {
                TypeTable::ULONG
            }
        }
        (Long, true) => TypeTable::ULONG,
        (LongLong, false) => {
            if fits_i64 {
                TypeTable::LLONG
            } else {
                TypeTable::ULLONG
            }
        }
        (LongLong, true) => TypeTable::ULLONG,
    };
    Ok((v as i128, ty))
}

pub(super) fn float_constant(f: &ast::Float) -> Result<(f64, TypeId), String> {
    let ty = match &f.suffix.format {
        ast::FloatFormat::Float => TypeTable::FLOAT,
        ast::FloatFormat::Double => TypeTable::DOUBLE,
        ast::FloatFormat::LongDouble => TypeTable::LDOUBLE,
        ast::FloatFormat::TS18661Format(t) => {
            use ast::TS18661FloatFormat as F;
            match (&t.format, t.width) {
                (F::BinaryInterchange, 32) => TypeTable::FLOAT,
                (F::BinaryInterchange, 64) | (F::BinaryExtended, 32) => TypeTable::DOUBLE,
                (F::BinaryInterchange, 128) => TypeTable::FLOAT128,
                (F::BinaryExtended, 64) => TypeTable::LDOUBLE,
                _ => {
                    return Err(format!(
                        "floating suffix of '{}' is not supported by cfree",
                        f.number.as_ref()
                    ))
                }
            }
        }
    };
    let text = f.number.as_ref();
    let v = match f.base {
        ast::FloatBase::Decimal => text
            .parse::<f64>()
            .map_err(|_| format!("invalid floating constant '{text}'"))?,
        ast::FloatBase::Hexadecimal => parse_hex_float(text)?,
    };
    let v = if ty == TypeTable::FLOAT {
        v as f32 as f64
    } else {
        v
    };
    Ok((v, ty))
}

/// `0x1.8p3` → 12.0, rounding correctly to double.
fn parse_hex_float(text: &str) -> Result<f64, String> {
    let s = text.trim_start_matches("0x").trim_start_matches("0X");
    let s = s.trim_end_matches(['f', 'F', 'l', 'L']);
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, "0"),
    };
    let exp: i64 = exp
        .parse()
        .map_err(|_| format!("invalid hexadecimal float '{text}'"))?;
    let (int, frac) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    // Accumulate up to 64 significant bits; remember whether anything non-zero was dropped.
    let mut bits: u64 = 0;
    let mut e2 = exp;
    let mut sticky = false;
    let mut started = false;
    for (i, c) in int.chars().chain(frac.chars()).enumerate() {
        let d = c
            .to_digit(16)
            .ok_or_else(|| format!("invalid hexadecimal float '{text}'"))? as u64;
        let in_frac = i >= int.len();
        if bits >> 60 == 0 {
            bits = bits << 4 | d;
            if in_frac {
                e2 -= 4;
            }
            started |= d != 0;
        } else {
            sticky |= d != 0;
            if !in_frac {
                e2 += 4;
            }
        }
    }
    let _ = started;
    if bits == 0 {
        return Ok(0.0);
    }
    if sticky {
        bits |= 1;
    }
    // Let the hardware round a 64-bit integer to 53 bits, then scale exactly by powers of two.
    // `bits` is below 2^64, so beyond these bounds the value is infinite or zero whatever the
    // exponent says: clamping keeps `0x1p99999999999999` from looping for hours.
    let mut v = bits as f64;
    let mut e = e2.clamp(-1200, 1100);
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step as i32);
        e += step;
    }
    Ok(v)
}

/// Decodes the escape sequences of a char or string body into code points (bytes for
/// plain/`u8` literals; code units for wide ones).
fn decode(body: &str, wide: bool) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            // Copy one UTF-8 character: bytes for narrow literals, the code point for wide ones.
            let ch_len = utf8_len(b[i]);
            let end = (i + ch_len).min(b.len());
            if wide {
                let s = std::str::from_utf8(&b[i..end])
                    .map_err(|_| "invalid UTF-8 in literal".to_string())?;
                out.extend(s.chars().map(|c| c as u32));
            } else {
                out.extend(b[i..end].iter().map(|&x| x as u32));
            }
            i = end;
            continue;
        }
        i += 1;
        let Some(&c) = b.get(i) else {
            return Err("incomplete escape sequence".into());
        };
        i += 1;
        let v = match c {
            b'n' => 10,
            b't' => 9,
            b'r' => 13,
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'e' | b'E' => 27,
            b'\\' => 92,
            b'\'' => 39,
            b'"' => 34,
            b'?' => 63,
            b'0'..=b'7' => {
                let mut v = (c - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                v
            }
            b'x' => {
                let start = i;
                let mut v: u64 = 0;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v.wrapping_mul(16) + (b[i] as char).to_digit(16).unwrap_or(0) as u64;
                    i += 1;
                }
                if i == start {
                    return Err("\\x used with no following hex digits".into());
                }
                v as u32
            }
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let hex = body
                    .get(i..i + n)
                    .ok_or("incomplete universal character name")?;
                let v =
                    u32::from_str_radix(hex, 16).map_err(|_| "invalid universal character name")?;
                i += n;
                if wide {
                    v
                } else {
                    // Encode as UTF-8 bytes in narrow literals.
                    let ch = char::from_u32(v).ok_or("invalid universal character name")?;
                    let mut buf = [0u8; 4];
                    out.extend(ch.encode_utf8(&mut buf).bytes().map(|x| x as u32));
                    continue;
                }
            }
            other => other as u32,
        };
        out.push(v);
    }
    Ok(out)
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A character constant's value and type.
pub(super) fn char_constant(text: &str, char_signed: bool) -> Result<(i128, TypeId), String> {
    let (prefix, rest) = split_prefix(text);
    let body = rest
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .ok_or_else(|| format!("invalid character constant {text}"))?;
    let wide = !prefix.is_empty() && prefix != "u8";
    let units = decode(body, wide)?;
    if units.is_empty() {
        return Err("empty character constant".into());
    }
    match prefix {
        "" | "u8" => {
            if units.len() == 1 {
                let v = units[0] as u8;
                let v = if char_signed && prefix.is_empty() {
                    v as i8 as i128
                } else {
                    v as i128
                };
                Ok((v, TypeTable::INT))
            } else {
                // Multi-character constant: implementation-defined; gcc packs big-endian into int.
                let mut v: u32 = 0;
                for u in &units {
                    v = v << 8 | (*u & 0xff);
                }
                Ok((v as i32 as i128, TypeTable::INT))
            }
        }
        "L" => Ok((units[0] as i32 as i128, TypeTable::INT)),
        "u" => Ok((units[0] as u16 as i128, TypeTable::USHORT)),
        _ => Ok((units[0] as i128, TypeTable::UINT)),
    }
}

fn split_prefix(text: &str) -> (&str, &str) {
    for p in ["u8", "u", "U", "L"] {
        if let Some(r) = text.strip_prefix(p) {
            if r.starts_with('"') || r.starts_with('\'') {
                return (p, r);
            }
        }
    }
    ("", text)
}

/// Element kind of a (concatenated) string literal.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum StrKind {
    Narrow,
    Utf16,
    Wide32,
}

/// Concatenates adjacent string literal pieces and returns their code units (without the NUL).
pub(super) fn string_literal(pieces: &[String]) -> Result<(StrKind, Vec<u32>), String> {
    let mut kind = StrKind::Narrow;
    let mut out = Vec::new();
    for p in pieces {
        let (prefix, rest) = split_prefix(p);
        let k = match prefix {
            "" | "u8" => StrKind::Narrow,
            "u" => StrKind::Utf16,
            _ => StrKind::Wide32,
        };
        if k != StrKind::Narrow {
            if kind != StrKind::Narrow && kind != k {
                return Err("concatenation of string literals with different prefixes".into());
            }
            kind = k;
        }
        let body = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .ok_or_else(|| format!("invalid string literal {p}"))?;
        let units = decode(body, k != StrKind::Narrow)?;
        if k == StrKind::Utf16 {
            for u in units {
                if u > 0xFFFF {
                    let u = u - 0x10000;
                    out.push(0xD800 + (u >> 10));
                    out.push(0xDC00 + (u & 0x3FF));
                } else {
                    out.push(u);
                }
            }
        } else {
            out.extend(units);
        }
    }
    Ok((kind, out))
}

/// Text of a string literal for messages (`_Static_assert`, asm labels).
pub(super) fn string_literal_text(pieces: &[String]) -> String {
    match string_literal(pieces) {
        Ok((_, units)) => units
            .iter()
            .map(|&u| char::from_u32(u).unwrap_or('?'))
            .collect(),
        Err(_) => pieces.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_floats() {
        assert_eq!(parse_hex_float("0x1.8p3"), Ok(12.0));
        assert_eq!(parse_hex_float("0x1p-2"), Ok(0.25));
        assert_eq!(parse_hex_float("0xAp0"), Ok(10.0));
    }

    #[test]
    fn escapes() {
        assert_eq!(char_constant("'\\n'", true), Ok((10, TypeTable::INT)));
        assert_eq!(char_constant("'\\377'", true), Ok((-1, TypeTable::INT)));
        assert_eq!(char_constant("'\\xff'", false), Ok((255, TypeTable::INT)));
        assert_eq!(char_constant("'ab'", true), Ok((0x6162, TypeTable::INT)));
        let (_, s) = string_literal(&["\"a\\tb\"".into(), "\"\\x41\"".into()]).expect("valid");
        assert_eq!(s, vec![97, 9, 98, 65]);
    }
}

//! Identifiers and literals lang-c's grammar cannot read: identifiers with `$`, UTF-8 letters
//! or universal character names (`caf\u00e9`), and `\u`/`\U` escapes in string and character
//! literals.
//!
//! Such an identifier is rewritten to a reserved ASCII spelling that encodes its UTF-8 bytes
//! ([`mangle`]); sema turns it back ([`demangle`]) wherever the name leaves the compiler (the
//! symbol name in the object), so `a$b` and `привет` link under their real names, as with gcc.
//! A UCN in an identifier is the same identifier as the character itself (C11 6.4.2.1p3).

/// Prefix of an encoded identifier. After it, ASCII letters and digits stand for themselves
/// and every other byte (including `_`) is `_` and two lowercase hex digits.
const PREFIX: &str = "__cfree_u_";

/// The ASCII spelling of `ident`, or `None` when lang-c reads it as it is.
pub fn mangle(ident: &str) -> Option<String> {
    if ident
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !ident.contains("\\u")
    {
        return None;
    }
    let utf8 = ucns_to_utf8(ident)?;
    let mut out = String::from(PREFIX);
    for b in utf8.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    Some(out)
}

/// The source spelling (UTF-8) of a name [`mangle`] produced; other names are returned as is.
pub fn demangle(name: &str) -> String {
    let Some(rest) = name.strip_prefix(PREFIX) else {
        return name.to_string();
    };
    let b = rest.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'_' {
            let hex = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else {
                return name.to_string();
            };
            bytes.push(v);
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| name.to_string())
}

/// `\uXXXX` and `\UXXXXXXXX` replaced by the characters; `None` if one is malformed or not a
/// valid character (the identifier is then left to lang-c, which reports it).
fn ucns_to_utf8(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('\\') {
        out.push_str(&rest[..p]);
        let (c, len) = parse_ucn(&rest[p..])?;
        out.push(c);
        rest = &rest[p + len..];
    }
    out.push_str(rest);
    Some(out)
}

/// A UCN at the start of `s` (which begins with `\`): the character and the escape's length.
fn parse_ucn(s: &str) -> Option<(char, usize)> {
    let digits = match s.as_bytes().get(1)? {
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = s.get(2..2 + digits)?;
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some((char::from_u32(v)?, 2 + digits))
}

/// A string or character literal with its `\u`/`\U` escapes rewritten into escapes lang-c
/// accepts: octal bytes of the UTF-8 encoding in narrow (and `u8`) literals, a hex code unit
/// in wide ones (closing and reopening a string literal after it, so that a following hex
/// digit is not taken into the escape). `None` when the literal has no UCN.
pub fn rewrite_literal(text: &str) -> Option<String> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return None;
    }
    let q = text.find(['"', '\''])?;
    let (prefix, body) = text.split_at(q);
    let quote = body.chars().next()?;
    let wide = matches!(prefix, "L" | "u" | "U");
    let mut out = String::from(prefix);
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        if let Some((ch, len)) = parse_ucn(&body[i..]) {
            for _ in 1..len {
                chars.next();
            }
            if wide {
                out.push_str(&format!("\\x{:x}", ch as u32));
                let next_hex = chars.peek().is_some_and(|(_, n)| n.is_ascii_hexdigit());
                if next_hex && quote == '"' {
                    out.push_str(&format!("\" {prefix}\""));
                }
            } else {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
        } else {
            // Another escape: copy the backslash and the escaped character.
            out.push(c);
            if let Some((_, n)) = chars.next() {
                out.push(n);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_round_trip() {
        for id in ["a$b", "привет", "$", "x_y$", "caf\u{e9}"] {
            let m = mangle(id).unwrap();
            assert!(
                m.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "{m}"
            );
            assert_eq!(demangle(&m), id);
        }
        assert_eq!(mangle("plain_name1"), None);
        assert_eq!(mangle("caf\\u00e9"), mangle("café"));
        assert_eq!(demangle("ordinary"), "ordinary");
    }

    #[test]
    fn literals() {
        assert_eq!(
            rewrite_literal("\"\\u010dau\"").unwrap(),
            "\"\\304\\215au\""
        );
        assert_eq!(
            rewrite_literal("L\"\\u010dau\"").unwrap(),
            "L\"\\x10d\" L\"au\""
        );
        assert_eq!(rewrite_literal("U'\\U0001F600'").unwrap(), "U'\\x1f600'");
        assert_eq!(rewrite_literal("\"\\\\u0041\"").unwrap(), "\"\\\\u0041\"");
        assert_eq!(rewrite_literal("\"plain\""), None);
    }
}

//! Command-line arguments that are not UTF-8 (a file name in Latin-1, binary program
//! arguments) carried through the `String`-based option parser unchanged: each byte that is
//! not part of valid UTF-8 becomes a character of the last 256 code points of Unicode's
//! plane 16 (private use, U+10FF00..U+10FFFF), and is turned back into that byte where the
//! argument becomes a path or reaches the program. Options themselves must be UTF-8 (a
//! non-UTF-8 option is simply not one cfree knows, and says so).

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const BASE: u32 = 0x10_FF00;

/// `arg` as a `String`, losslessly.
pub(crate) fn encode(arg: &OsStr) -> String {
    let mut out = String::with_capacity(arg.len());
    for chunk in arg.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.push(char::from_u32(BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
    out
}

/// The bytes [`encode`] was given.
pub(crate) fn decode(s: &str) -> OsString {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match u32::from(c).checked_sub(BASE) {
            Some(b) if b <= 0xFF => out.push(b as u8),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    OsString::from_vec(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_survive_the_round_trip() {
        for bytes in [
            &b"plain.c"[..],
            b"caf\xe9.c",
            b"\xff\xfe\x00x",
            b"\xc3",
            "ü".as_bytes(),
        ] {
            let os = OsStr::from_bytes(bytes);
            assert_eq!(decode(&encode(os)), os, "{bytes:?}");
        }
        assert_eq!(encode(OsStr::new("-O2")), "-O2");
    }
}

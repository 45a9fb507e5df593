//! The `.cfree.abisig` section: one [`CfreeFuncAbiSig`] per function defined in an object.
//!
//! The section is not loaded (no `SHF_ALLOC`): only the linker reads it, when it decides
//! whether a replacement may be published. Each record names its function by the symbol name
//! itself (length-prefixed bytes) rather than by a symbol index, so the section needs no
//! relocations and survives any symbol-table reordering.
//!
//! # Layout, version 1
//!
//! All integers are little-endian; nothing is aligned or padded.
//!
//! Header, 12 bytes:
//!
//! | offset | size | field                                   |
//! |--------|------|-----------------------------------------|
//! | 0      | 4    | magic, the bytes `CFAS` ([`MAGIC`])     |
//! | 4      | 4    | version, `u32` ([`VERSION`] = 1)        |
//! | 8      | 4    | record count, `u32`                     |
//!
//! Then `count` records, back to back:
//!
//! | size        | field                                                       |
//! |-------------|-------------------------------------------------------------|
//! | 4           | name length `n`, `u32`                                      |
//! | `n`         | symbol name, UTF-8, no terminator                           |
//! | 1           | `target_arch` ([`TargetArch`] byte)                         |
//! | 1           | `target_os` ([`TargetOs`] byte)                             |
//! | 1           | `call_conv` ([`CallConv`] byte)                             |
//! | 1           | `variadic`, 0 or 1                                          |
//! | 1           | `nargs`, at most [`CFREE_ABI_MAX_ARGS`]                     |
//! | slot        | the return value                                            |
//! | `nargs` × slot | the named parameters, in order                           |
//!
//! A slot ([`AbiSlot`]) is 6 bytes plus 2 per register piece:
//!
//! | size | field                                                      |
//! |------|------------------------------------------------------------|
//! | 1    | class ([`AbiClass`] byte)                                  |
//! | 4    | size in bytes, `u32`                                       |
//! | 1    | piece count `p`: 1..=[`CFREE_ABI_MAX_PIECES`] for `Split`, 0 otherwise |
//! | 2×`p`| per piece: register kind ([`RegKind`] byte), size in bytes |
//!
//! A reader rejects any other version: a record it misparses could wrongly allow a reload.

use crate::{
    AbiClass, AbiSlot, CallConv, CfreeFuncAbiSig, RegKind, RegPiece, TargetArch, TargetOs,
    CFREE_ABI_MAX_ARGS, CFREE_ABI_MAX_PIECES,
};

/// Name of the ELF section holding the records.
pub const SECTION_NAME: &str = ".cfree.abisig";
/// First bytes of the section.
pub const MAGIC: [u8; 4] = *b"CFAS";
/// The layout version this crate writes and reads.
pub const VERSION: u32 = 1;

const HEADER_SIZE: usize = 12;

/// A section that cannot be read, or records that cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AbiSigError {
    #[error("not a {SECTION_NAME} section: magic is {found:02x?}, expected \"CFAS\"")]
    BadMagic { found: [u8; 4] },
    #[error("unsupported {SECTION_NAME} version {0} (this build reads version {VERSION})")]
    UnsupportedVersion(u32),
    #[error(
        "truncated {SECTION_NAME} section: {what} at byte {offset} needs {needed} bytes, \
         {available} left"
    )]
    Truncated {
        what: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    #[error("{SECTION_NAME} record {index}: the symbol name is not UTF-8")]
    NameNotUtf8 { index: usize },
    #[error("{SECTION_NAME} record for '{name}': unknown {field} value {value}")]
    UnknownValue {
        name: String,
        field: &'static str,
        value: u8,
    },
    #[error(
        "{SECTION_NAME} record for '{name}': {nargs} parameters, more than \
         CFREE_ABI_MAX_ARGS ({CFREE_ABI_MAX_ARGS})"
    )]
    TooManyArgs { name: String, nargs: usize },
    #[error("{SECTION_NAME} record for '{name}': {what}")]
    InvalidSlot { name: String, what: &'static str },
    #[error("symbol name of {len} bytes is too long for a {SECTION_NAME} record")]
    NameTooLong { len: usize },
    #[error("too many records for one {SECTION_NAME} section: {0}")]
    TooManyRecords(usize),
    #[error("{count} bytes after the last {SECTION_NAME} record")]
    TrailingBytes { count: usize },
}

/// Encodes records into the bytes of a `.cfree.abisig` section.
///
/// Fails, rather than writing something the reader would reject, on a signature with more than
/// [`CFREE_ABI_MAX_ARGS`] parameters or a malformed slot.
pub fn write(records: &[(String, CfreeFuncAbiSig)]) -> Result<Vec<u8>, AbiSigError> {
    let count =
        u32::try_from(records.len()).map_err(|_| AbiSigError::TooManyRecords(records.len()))?;
    let mut out = Vec::with_capacity(HEADER_SIZE + records.len() * 32);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    for (name, sig) in records {
        let len =
            u32::try_from(name.len()).map_err(|_| AbiSigError::NameTooLong { len: name.len() })?;
        let nargs = u8::try_from(sig.args.len())
            .ok()
            .filter(|&n| usize::from(n) <= CFREE_ABI_MAX_ARGS)
            .ok_or_else(|| AbiSigError::TooManyArgs {
                name: name.clone(),
                nargs: sig.args.len(),
            })?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&[
            sig.target_arch.to_byte(),
            sig.target_os.to_byte(),
            sig.call_conv.to_byte(),
            u8::from(sig.variadic),
            nargs,
        ]);
        for slot in std::iter::once(&sig.ret).chain(&sig.args) {
            slot.check().map_err(|what| AbiSigError::InvalidSlot {
                name: name.clone(),
                what,
            })?;
            out.push(slot.class.to_byte());
            out.extend_from_slice(&slot.size.to_le_bytes());
            // `check` bounded the count by CFREE_ABI_MAX_PIECES.
            out.push(slot.pieces.len() as u8);
            for p in &slot.pieces {
                out.extend_from_slice(&[p.kind.to_byte(), p.size]);
            }
        }
    }
    Ok(out)
}

/// Decodes the bytes of a `.cfree.abisig` section into (symbol name, signature) pairs, in the
/// order they were written. Any malformed, truncated or unknown-version input is an error.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, CfreeFuncAbiSig)>, AbiSigError> {
    let mut r = Reader { bytes, pos: 0 };
    let magic = r.array::<4>("magic")?;
    if magic != MAGIC {
        return Err(AbiSigError::BadMagic { found: magic });
    }
    let version = r.u32("version")?;
    if version != VERSION {
        return Err(AbiSigError::UnsupportedVersion(version));
    }
    let count = r.u32("record count")?;
    // No capacity from `count`: it is untrusted, and a garbage count must not allocate.
    let mut records = Vec::new();
    for index in 0..count as usize {
        records.push(r.record(index)?);
    }
    if r.pos != bytes.len() {
        return Err(AbiSigError::TrailingBytes {
            count: bytes.len() - r.pos,
        });
    }
    Ok(records)
}

/// A bounds-checked cursor over the section bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], AbiSigError> {
        let available = self.bytes.len() - self.pos;
        if n > available {
            return Err(AbiSigError::Truncated {
                what,
                offset: self.pos,
                needed: n,
                available,
            });
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], AbiSigError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, AbiSigError> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, AbiSigError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn record(&mut self, index: usize) -> Result<(String, CfreeFuncAbiSig), AbiSigError> {
        let len = self.u32("symbol name length")? as usize;
        let name = std::str::from_utf8(self.take(len, "symbol name")?)
            .map_err(|_| AbiSigError::NameNotUtf8 { index })?
            .to_string();
        let unknown = |field: &'static str, value: u8| AbiSigError::UnknownValue {
            name: name.clone(),
            field,
            value,
        };
        let b = self.u8("target_arch")?;
        let target_arch = TargetArch::from_byte(b).ok_or_else(|| unknown("target_arch", b))?;
        let b = self.u8("target_os")?;
        let target_os = TargetOs::from_byte(b).ok_or_else(|| unknown("target_os", b))?;
        let b = self.u8("call_conv")?;
        let call_conv = CallConv::from_byte(b).ok_or_else(|| unknown("call_conv", b))?;
        let variadic = match self.u8("variadic")? {
            0 => false,
            1 => true,
            b => return Err(unknown("variadic", b)),
        };
        let nargs = usize::from(self.u8("nargs")?);
        if nargs > CFREE_ABI_MAX_ARGS {
            return Err(AbiSigError::TooManyArgs { name, nargs });
        }
        let ret = self.slot(&name)?;
        let mut args = Vec::with_capacity(nargs);
        for _ in 0..nargs {
            args.push(self.slot(&name)?);
        }
        let sig = CfreeFuncAbiSig {
            target_arch,
            target_os,
            call_conv,
            variadic,
            ret,
            args,
        };
        Ok((name, sig))
    }

    fn slot(&mut self, name: &str) -> Result<AbiSlot, AbiSigError> {
        let unknown = |field: &'static str, value: u8| AbiSigError::UnknownValue {
            name: name.to_string(),
            field,
            value,
        };
        let b = self.u8("slot class")?;
        let class = AbiClass::from_byte(b).ok_or_else(|| unknown("slot class", b))?;
        let size = self.u32("slot size")?;
        let npieces = self.u8("piece count")?;
        if usize::from(npieces) > CFREE_ABI_MAX_PIECES {
            return Err(unknown("piece count", npieces));
        }
        let mut pieces = Vec::with_capacity(usize::from(npieces));
        for _ in 0..npieces {
            let [k, size] = self.array::<2>("register piece")?;
            let kind = RegKind::from_byte(k).ok_or_else(|| unknown("register kind", k))?;
            pieces.push(RegPiece { kind, size });
        }
        let slot = AbiSlot {
            class,
            size,
            pieces,
        };
        slot.check().map_err(|what| AbiSigError::InvalidSlot {
            name: name.to_string(),
            what,
        })?;
        Ok(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(String, CfreeFuncAbiSig)> {
        let base = CfreeFuncAbiSig {
            target_arch: TargetArch::X86_64,
            target_os: TargetOs::Linux,
            call_conv: CallConv::SysV,
            variadic: false,
            ret: AbiSlot::integer(4),
            args: vec![AbiSlot::integer(4), AbiSlot::float(8)],
        };
        let pair = AbiSlot::split(
            16,
            vec![
                RegPiece {
                    kind: RegKind::Float,
                    size: 8,
                },
                RegPiece {
                    kind: RegKind::Float,
                    size: 8,
                },
            ],
        );
        vec![
            ("f".to_string(), base.clone()),
            (
                "g".to_string(),
                CfreeFuncAbiSig {
                    ret: AbiSlot::void(),
                    args: vec![AbiSlot::memory(24)],
                    ..base.clone()
                },
            ),
            (
                "h".to_string(),
                CfreeFuncAbiSig {
                    ret: pair,
                    args: vec![],
                    ..base.clone()
                },
            ),
            (
                "v".to_string(),
                CfreeFuncAbiSig {
                    variadic: true,
                    ret: AbiSlot::sret(12),
                    args: vec![AbiSlot::integer(8); CFREE_ABI_MAX_ARGS],
                    ..base.clone()
                },
            ),
            (
                "ünïcode".to_string(),
                CfreeFuncAbiSig {
                    target_arch: TargetArch::Riscv64,
                    call_conv: CallConv::RiscvLp64d,
                    args: vec![AbiSlot::indirect(40)],
                    ..base
                },
            ),
        ]
    }

    #[test]
    fn round_trips() {
        let recs = sample();
        let bytes = write(&recs).expect("write");
        assert_eq!(&bytes[..4], b"CFAS");
        assert_eq!(read(&bytes), Ok(recs));
        let empty = write(&[]).expect("write nothing");
        assert_eq!(empty.len(), HEADER_SIZE);
        assert_eq!(read(&empty), Ok(vec![]));
    }

    #[test]
    fn layout_is_as_documented() {
        let recs = vec![sample().swap_remove(0)];
        let bytes = write(&recs).expect("write");
        #[rustfmt::skip]
        let expect: Vec<u8> = vec![
            b'C', b'F', b'A', b'S', 1, 0, 0, 0, 1, 0, 0, 0, // header
            1, 0, 0, 0, b'f',                               // name
            1, 1, 1, 0, 2,                                  // arch, os, cc, variadic, nargs
            1, 4, 0, 0, 0, 0,                               // ret: integer 4
            1, 4, 0, 0, 0, 0,                               // int
            2, 8, 0, 0, 0, 0,                               // double
        ];
        assert_eq!(bytes, expect);
    }

    #[test]
    fn writer_refuses_what_the_reader_would_reject() {
        let mut recs = sample();
        recs[0].1.args = vec![AbiSlot::integer(4); CFREE_ABI_MAX_ARGS + 1];
        assert!(matches!(
            write(&recs),
            Err(AbiSigError::TooManyArgs { nargs: 128, .. })
        ));
        let mut recs = sample();
        recs[1].1.args = vec![AbiSlot::split(8, vec![])];
        assert!(matches!(write(&recs), Err(AbiSigError::InvalidSlot { .. })));
    }

    #[test]
    fn rejects_bad_headers_and_trailing_bytes() {
        let bytes = write(&sample()).expect("write");
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(matches!(read(&bad), Err(AbiSigError::BadMagic { .. })));
        let mut v2 = bytes.clone();
        v2[4] = 2;
        assert_eq!(read(&v2), Err(AbiSigError::UnsupportedVersion(2)));
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(read(&long), Err(AbiSigError::TrailingBytes { count: 1 }));
        // A huge record count over a short section is an error, not an allocation.
        let mut huge = bytes[..HEADER_SIZE].to_vec();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(read(&huge), Err(AbiSigError::Truncated { .. })));
        assert!(read(&[]).is_err());
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = write(&sample()).expect("write");
        for len in 0..bytes.len() {
            assert!(
                read(&bytes[..len]).is_err(),
                "a section cut to {len} of {} bytes was accepted",
                bytes.len()
            );
        }
    }

    /// xorshift64: deterministic garbage without a dependency.
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    #[test]
    fn garbage_never_panics() {
        let mut next = rng(0x9e37_79b9_7f4a_7c15);
        let valid = write(&sample()).expect("write");
        for round in 0..20_000 {
            let input = match round % 3 {
                // Pure noise.
                0 => (0..next() % 96).map(|_| next() as u8).collect::<Vec<_>>(),
                // A valid header over noise, so the record parser sees it.
                1 => {
                    let mut v = valid[..HEADER_SIZE].to_vec();
                    v[8..12].copy_from_slice(&((next() % 4) as u32).to_le_bytes());
                    v.extend((0..next() % 96).map(|_| next() as u8));
                    v
                }
                // A valid section with a few bytes flipped.
                _ => {
                    let mut v = valid.clone();
                    for _ in 0..1 + next() % 3 {
                        let i = (next() % v.len() as u64) as usize;
                        v[i] ^= 1 << (next() % 8);
                    }
                    v
                }
            };
            // Either result is fine; what matters is no panic and no runaway allocation, and
            // that whatever is accepted re-encodes to the same bytes.
            if let Ok(recs) = read(&input) {
                assert_eq!(write(&recs).as_deref(), Ok(&input[..]));
            }
        }
    }
}

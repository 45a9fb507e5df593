//! x86-64 (System V psABI) relocations, branch recognition and stubs.
//!
//! Formulas follow the psABI table: S symbol, A addend, P place, G+GOT the target's GOT cell,
//! GOT the GOT base, Z symbol size, L the PLT entry (here: a linker stub, or S when in reach).
//! GOT-relaxable types (`GOTPCRELX`, `REX_GOTPCRELX`) are treated exactly like `GOTPCREL`:
//! instructions are never rewritten, a real GOT cell always exists.

use std::borrow::Cow;

use object::elf;

use super::{
    fits_signed, fits_unsigned, write_le, ArchBackend, LinkArch, NonAllocValues, RelocClass,
    RelocError, RelocInfo, RelocValues,
};

/// The x86-64 backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct X86_64;

/// How a value is checked before it is truncated to the field.
#[derive(Clone, Copy)]
enum Check {
    /// Any value (full-width 64-bit fields).
    None,
    Signed,
    Unsigned,
    /// Either interpretation is accepted (`R_X86_64_16`/`8`, like other linkers).
    Either,
}

const STUB_SIZE: u64 = 8;
const RELOAD_ENTRY_SIZE: u64 = 16;

impl X86_64 {
    fn info(width: u8) -> RelocClass {
        RelocClass::Apply(RelocInfo {
            width,
            needs_got_cell: false,
            branch: false,
        })
    }

    fn got(width: u8) -> RelocClass {
        RelocClass::Apply(RelocInfo {
            width,
            needs_got_cell: true,
            branch: false,
        })
    }

    /// An indirect `jmp *target(%rip)` at `at`, padded with `int3` to `size` bytes.
    fn jmp_indirect(at: u64, target: u64, size: u64) -> Result<Vec<u8>, RelocError> {
        let disp = i128::from(target) - (i128::from(at) + 6);
        if !fits_signed(disp, 32) {
            return Err(RelocError::Overflow {
                value: disp,
                bits: 32,
            });
        }
        let mut out = vec![0xcc; size as usize];
        out[0] = 0xff;
        out[1] = 0x25;
        write_le(&mut out[2..], disp, 4)?;
        Ok(out)
    }
}

impl ArchBackend for X86_64 {
    fn arch(&self) -> LinkArch {
        LinkArch::X86_64
    }

    fn elf_machine(&self) -> u16 {
        elf::EM_X86_64
    }

    fn uses_rela(&self) -> bool {
        true
    }

    fn reloc_name(&self, r_type: u32) -> Cow<'static, str> {
        let name = match r_type {
            elf::R_X86_64_NONE => "R_X86_64_NONE",
            elf::R_X86_64_64 => "R_X86_64_64",
            elf::R_X86_64_PC32 => "R_X86_64_PC32",
            elf::R_X86_64_GOT32 => "R_X86_64_GOT32",
            elf::R_X86_64_PLT32 => "R_X86_64_PLT32",
            elf::R_X86_64_COPY => "R_X86_64_COPY",
            elf::R_X86_64_GLOB_DAT => "R_X86_64_GLOB_DAT",
            elf::R_X86_64_JUMP_SLOT => "R_X86_64_JUMP_SLOT",
            elf::R_X86_64_RELATIVE => "R_X86_64_RELATIVE",
            elf::R_X86_64_GOTPCREL => "R_X86_64_GOTPCREL",
            elf::R_X86_64_32 => "R_X86_64_32",
            elf::R_X86_64_32S => "R_X86_64_32S",
            elf::R_X86_64_16 => "R_X86_64_16",
            elf::R_X86_64_PC16 => "R_X86_64_PC16",
            elf::R_X86_64_8 => "R_X86_64_8",
            elf::R_X86_64_PC8 => "R_X86_64_PC8",
            elf::R_X86_64_DTPMOD64 => "R_X86_64_DTPMOD64",
            elf::R_X86_64_DTPOFF64 => "R_X86_64_DTPOFF64",
            elf::R_X86_64_TPOFF64 => "R_X86_64_TPOFF64",
            elf::R_X86_64_TLSGD => "R_X86_64_TLSGD",
            elf::R_X86_64_TLSLD => "R_X86_64_TLSLD",
            elf::R_X86_64_DTPOFF32 => "R_X86_64_DTPOFF32",
            elf::R_X86_64_GOTTPOFF => "R_X86_64_GOTTPOFF",
            elf::R_X86_64_TPOFF32 => "R_X86_64_TPOFF32",
            elf::R_X86_64_PC64 => "R_X86_64_PC64",
            elf::R_X86_64_GOTOFF64 => "R_X86_64_GOTOFF64",
            elf::R_X86_64_GOTPC32 => "R_X86_64_GOTPC32",
            elf::R_X86_64_GOT64 => "R_X86_64_GOT64",
            elf::R_X86_64_GOTPCREL64 => "R_X86_64_GOTPCREL64",
            elf::R_X86_64_GOTPC64 => "R_X86_64_GOTPC64",
            elf::R_X86_64_GOTPLT64 => "R_X86_64_GOTPLT64",
            elf::R_X86_64_PLTOFF64 => "R_X86_64_PLTOFF64",
            elf::R_X86_64_SIZE32 => "R_X86_64_SIZE32",
            elf::R_X86_64_SIZE64 => "R_X86_64_SIZE64",
            elf::R_X86_64_GOTPC32_TLSDESC => "R_X86_64_GOTPC32_TLSDESC",
            elf::R_X86_64_TLSDESC_CALL => "R_X86_64_TLSDESC_CALL",
            elf::R_X86_64_TLSDESC => "R_X86_64_TLSDESC",
            elf::R_X86_64_IRELATIVE => "R_X86_64_IRELATIVE",
            elf::R_X86_64_RELATIVE64 => "R_X86_64_RELATIVE64",
            elf::R_X86_64_GOTPCRELX => "R_X86_64_GOTPCRELX",
            elf::R_X86_64_REX_GOTPCRELX => "R_X86_64_REX_GOTPCRELX",
            elf::R_X86_64_CODE_4_GOTPCRELX => "R_X86_64_CODE_4_GOTPCRELX",
            elf::R_X86_64_CODE_4_GOTTPOFF => "R_X86_64_CODE_4_GOTTPOFF",
            elf::R_X86_64_CODE_4_GOTPC32_TLSDESC => "R_X86_64_CODE_4_GOTPC32_TLSDESC",
            other => return Cow::Owned(format!("x86_64 r_type {other}")),
        };
        Cow::Borrowed(name)
    }

    fn is_tls_index_reloc(&self, r_type: u32) -> bool {
        r_type == elf::R_X86_64_TLSGD
    }

    fn classify(&self, r_type: u32) -> RelocClass {
        match r_type {
            elf::R_X86_64_NONE => RelocClass::None,
            elf::R_X86_64_64
            | elf::R_X86_64_PC64
            | elf::R_X86_64_GOTOFF64
            | elf::R_X86_64_GOTPC64
            | elf::R_X86_64_PLTOFF64
            | elf::R_X86_64_SIZE64 => Self::info(8),
            elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => RelocClass::Apply(RelocInfo {
                width: 4,
                needs_got_cell: false,
                branch: true,
            }),
            elf::R_X86_64_32 | elf::R_X86_64_32S | elf::R_X86_64_GOTPC32 | elf::R_X86_64_SIZE32 => {
                Self::info(4)
            }
            elf::R_X86_64_16 | elf::R_X86_64_PC16 => Self::info(2),
            elf::R_X86_64_8 | elf::R_X86_64_PC8 => Self::info(1),
            elf::R_X86_64_GOTPCREL
            | elf::R_X86_64_GOTPCRELX
            | elf::R_X86_64_REX_GOTPCRELX
            | elf::R_X86_64_CODE_4_GOTPCRELX
            | elf::R_X86_64_GOT32 => Self::got(4),
            elf::R_X86_64_GOT64 | elf::R_X86_64_GOTPCREL64 | elf::R_X86_64_GOTPLT64 => Self::got(8),
            // General dynamic: the cell is the argument of `__tls_get_addr` (see
            // `ArchBackend::is_tls_index_reloc`).
            elf::R_X86_64_TLSGD => Self::got(4),
            elf::R_X86_64_DTPMOD64
            | elf::R_X86_64_DTPOFF64
            | elf::R_X86_64_TPOFF64
            | elf::R_X86_64_TLSLD
            | elf::R_X86_64_DTPOFF32
            | elf::R_X86_64_GOTTPOFF
            | elf::R_X86_64_TPOFF32
            | elf::R_X86_64_GOTPC32_TLSDESC
            | elf::R_X86_64_TLSDESC_CALL
            | elf::R_X86_64_TLSDESC
            | elf::R_X86_64_CODE_4_GOTTPOFF
            | elf::R_X86_64_CODE_4_GOTPC32_TLSDESC => RelocClass::Tls,
            _ => RelocClass::Unsupported,
        }
    }

    fn apply(&self, r_type: u32, v: &RelocValues, site: &mut [u8]) -> Result<(), RelocError> {
        let s = i128::from(v.s);
        let a = i128::from(v.a);
        let p = i128::from(v.p);
        let g = i128::from(v.got_cell);
        let got = i128::from(v.got_base);
        let z = i128::from(v.size);
        let (value, width, check) = match r_type {
            elf::R_X86_64_NONE => return Ok(()),
            elf::R_X86_64_64 => (s + a, 8, Check::None),
            elf::R_X86_64_PC64 => (s + a - p, 8, Check::None),
            elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => (s + a - p, 4, Check::Signed),
            elf::R_X86_64_32 => (s + a, 4, Check::Unsigned),
            elf::R_X86_64_32S => (s + a, 4, Check::Signed),
            elf::R_X86_64_16 => (s + a, 2, Check::Either),
            elf::R_X86_64_PC16 => (s + a - p, 2, Check::Signed),
            elf::R_X86_64_8 => (s + a, 1, Check::Either),
            elf::R_X86_64_PC8 => (s + a - p, 1, Check::Signed),
            elf::R_X86_64_GOTPCREL
            | elf::R_X86_64_GOTPCRELX
            | elf::R_X86_64_REX_GOTPCRELX
            | elf::R_X86_64_CODE_4_GOTPCRELX
            | elf::R_X86_64_TLSGD => (g + a - p, 4, Check::Signed),
            elf::R_X86_64_GOTPCREL64 => (g + a - p, 8, Check::None),
            elf::R_X86_64_GOT32 => (g - got + a, 4, Check::Signed),
            elf::R_X86_64_GOT64 | elf::R_X86_64_GOTPLT64 => (g - got + a, 8, Check::None),
            elf::R_X86_64_GOTOFF64 => (s + a - got, 8, Check::None),
            elf::R_X86_64_GOTPC32 => (got + a - p, 4, Check::Signed),
            elf::R_X86_64_GOTPC64 => (got + a - p, 8, Check::None),
            elf::R_X86_64_PLTOFF64 => (s + a - got, 8, Check::None),
            elf::R_X86_64_SIZE32 => (z + a, 4, Check::Unsigned),
            elf::R_X86_64_SIZE64 => (z + a, 8, Check::None),
            _ => return Err(RelocError::Unsupported),
        };
        encode(site, value, width, check)
    }

    fn apply_nonalloc(
        &self,
        r_type: u32,
        v: &NonAllocValues,
        site: &mut [u8],
    ) -> Result<(), RelocError> {
        let s = i128::from(v.s);
        let a = i128::from(v.a);
        let dtp = || {
            v.tls_offset.map(i128::from).ok_or(RelocError::Invalid(
                "a DTP-relative relocation needs a thread-local target",
            ))
        };
        let (value, width, check) = match r_type {
            elf::R_X86_64_NONE => return Ok(()),
            elf::R_X86_64_64 => (s + a, 8, Check::None),
            elf::R_X86_64_32 => (s + a, 4, Check::Unsigned),
            elf::R_X86_64_32S => (s + a, 4, Check::Signed),
            elf::R_X86_64_16 => (s + a, 2, Check::Either),
            elf::R_X86_64_8 => (s + a, 1, Check::Either),
            // gcc describes `__thread` variables as `DW_OP_const8u x@dtpoff;
            // DW_OP_GNU_push_tls_address`.
            elf::R_X86_64_DTPOFF64 => (dtp()? + a, 8, Check::None),
            elf::R_X86_64_DTPOFF32 => (dtp()? + a, 4, Check::Signed),
            _ => return Err(RelocError::Unsupported),
        };
        encode(site, value, width, check)
    }

    fn is_branch_site(&self, r_type: u32, section: &[u8], offset: usize) -> bool {
        if r_type != elf::R_X86_64_PC32 && r_type != elf::R_X86_64_PLT32 {
            return false;
        }
        // A rel32 branch is the last field of `call`/`jmp` (E8/E9 opcode right before it) or of a
        // `jcc` (0F 80..8F). RIP-relative memory operands are preceded by a ModRM byte with
        // mod=00 rm=101 (0x05..0x3D), which can never be mistaken for these opcodes.
        let before = |back: usize| {
            offset
                .checked_sub(back)
                .and_then(|i| section.get(i))
                .copied()
        };
        match before(1) {
            Some(0xe8) | Some(0xe9) => true,
            Some(0x80..=0x8f) => before(2) == Some(0x0f),
            _ => false,
        }
    }

    fn branch_target_delta(&self, _r_type: u32, addend: i64) -> i64 {
        addend.wrapping_add(4)
    }

    fn pointer_reloc(&self) -> u32 {
        elf::R_X86_64_64
    }

    fn got_stub_size(&self) -> u64 {
        STUB_SIZE
    }

    fn encode_got_stub(&self, stub_addr: u64, cell_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jmp_indirect(stub_addr, cell_addr, STUB_SIZE)
    }

    fn reload_entry_size(&self) -> u64 {
        RELOAD_ENTRY_SIZE
    }

    fn encode_reload_entry(&self, entry_addr: u64, slot_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jmp_indirect(entry_addr, slot_addr, RELOAD_ENTRY_SIZE)
    }

    fn max_image_span(&self) -> u64 {
        // rel32 reaches [P+4-2^31, P+4+2^31); keep a page of margin below that.
        (1u64 << 31) - 0x1000
    }
}

/// Range-check `value` as `check` says, then write its low `width` bytes into `site`.
fn encode(site: &mut [u8], value: i128, width: usize, check: Check) -> Result<(), RelocError> {
    let bits = width as u32 * 8;
    let ok = match check {
        Check::None => true,
        Check::Signed => fits_signed(value, bits),
        Check::Unsigned => fits_unsigned(value, bits),
        Check::Either => fits_signed(value, bits) || fits_unsigned(value, bits),
    };
    if !ok {
        return Err(RelocError::Overflow { value, bits });
    }
    write_le(site, value, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(r_type: u32, v: RelocValues) -> Result<Vec<u8>, RelocError> {
        let mut site = vec![0u8; 8];
        X86_64.apply(r_type, &v, &mut site)?;
        Ok(site)
    }

    #[test]
    fn pc32_and_plt32_are_s_plus_a_minus_p() {
        let v = RelocValues {
            s: 0x2000,
            a: -4,
            p: 0x1000,
            ..Default::default()
        };
        for t in [elf::R_X86_64_PC32, elf::R_X86_64_PLT32] {
            let out = apply(t, v).unwrap();
            assert_eq!(&out[..4], &0x0ffci32.to_le_bytes());
            assert_eq!(&out[4..], &[0; 4], "writes exactly 4 bytes");
        }
    }

    #[test]
    fn pc32_overflow_is_reported() {
        let v = RelocValues {
            s: 0x7fff_0000_0000,
            a: -4,
            p: 0x1000,
            ..Default::default()
        };
        assert!(matches!(
            apply(elf::R_X86_64_PLT32, v),
            Err(RelocError::Overflow { bits: 32, .. })
        ));
    }

    #[test]
    fn absolute_and_size_and_got_forms() {
        let v = RelocValues {
            s: 0x1122_3344_5566_7788,
            a: 8,
            p: 0x1000,
            got_cell: 0x3000,
            got_base: 0x2000,
            size: 24,
        };
        assert_eq!(
            apply(elf::R_X86_64_64, v).unwrap(),
            0x1122_3344_5566_7790u64.to_le_bytes()
        );
        assert_eq!(
            &apply(elf::R_X86_64_GOTPCREL, v).unwrap()[..4],
            &0x2008i32.to_le_bytes()
        );
        assert_eq!(
            &apply(elf::R_X86_64_REX_GOTPCRELX, v).unwrap()[..4],
            &0x2008i32.to_le_bytes()
        );
        assert_eq!(
            &apply(elf::R_X86_64_SIZE32, v).unwrap()[..4],
            &32u32.to_le_bytes()
        );
        assert_eq!(apply(elf::R_X86_64_SIZE64, v).unwrap(), 32u64.to_le_bytes());
        assert_eq!(
            &apply(elf::R_X86_64_GOTPC32, v).unwrap()[..4],
            &0x1008i32.to_le_bytes()
        );
        assert_eq!(
            apply(elf::R_X86_64_GOTOFF64, v).unwrap(),
            (0x1122_3344_5566_7790u64 - 0x2000).to_le_bytes()
        );
        assert!(matches!(
            apply(elf::R_X86_64_32, v),
            Err(RelocError::Overflow { .. })
        ));
        assert!(matches!(
            apply(elf::R_X86_64_32S, v),
            Err(RelocError::Overflow { .. })
        ));
        let small = RelocValues {
            s: 0x8000_0000,
            ..Default::default()
        };
        assert!(apply(elf::R_X86_64_32, small).is_ok());
        assert!(apply(elf::R_X86_64_32S, small).is_err());
    }

    #[test]
    fn nonalloc_absolute_and_dtpoff_forms() {
        let na = |r_type, s, a, tls_offset| {
            let mut site = vec![0xeeu8; 8];
            X86_64
                .apply_nonalloc(r_type, &NonAllocValues { s, a, tls_offset }, &mut site)
                .map(|()| site)
        };
        assert_eq!(
            na(elf::R_X86_64_64, 0x7f00_1234_0000, 0x10, None).unwrap(),
            0x7f00_1234_0010u64.to_le_bytes()
        );
        let out = na(elf::R_X86_64_32, 0x100, 0x2c, None).unwrap();
        assert_eq!(&out[..4], &0x12cu32.to_le_bytes());
        assert_eq!(&out[4..], &[0xee; 4], "a 32-bit field writes 4 bytes");
        let out = na(elf::R_X86_64_32S, 0, -8, None).unwrap();
        assert_eq!(&out[..4], &(-8i32).to_le_bytes());
        assert!(matches!(
            na(elf::R_X86_64_32, 0x1_0000_0000, 0, None),
            Err(RelocError::Overflow { bits: 32, .. })
        ));
        assert!(matches!(
            na(elf::R_X86_64_32S, 0x8000_0000, 0, None),
            Err(RelocError::Overflow { bits: 32, .. })
        ));
        assert_eq!(
            na(elf::R_X86_64_DTPOFF64, 0x5000, 4, Some(0x20)).unwrap(),
            0x24u64.to_le_bytes()
        );
        assert!(matches!(
            na(elf::R_X86_64_DTPOFF32, 0x5000, 0, None),
            Err(RelocError::Invalid(_))
        ));
        // Types that make no sense in debug info are errors, not skipped.
        for t in [
            elf::R_X86_64_PC32,
            elf::R_X86_64_PLT32,
            elf::R_X86_64_GOTPCREL,
            999,
        ] {
            assert_eq!(na(t, 0x1000, 0, None), Err(RelocError::Unsupported), "{t}");
        }
        assert_eq!(na(elf::R_X86_64_NONE, 1, 1, None).unwrap(), [0xee; 8]);
    }

    #[test]
    fn branch_sites_are_recognised_and_lea_is_not() {
        // call rel32; jmp rel32; jne rel32; lea rel32(%rip),%rax
        let code = [
            0xe8, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0, 0x0f, 0x85, 0, 0, 0, 0, 0x48, 0x8d, 0x05, 0, 0, 0,
            0,
        ];
        let t = elf::R_X86_64_PLT32;
        assert!(X86_64.is_branch_site(t, &code, 1));
        assert!(X86_64.is_branch_site(t, &code, 6));
        assert!(X86_64.is_branch_site(elf::R_X86_64_PC32, &code, 12));
        assert!(!X86_64.is_branch_site(t, &code, 19));
        assert!(!X86_64.is_branch_site(t, &code, 0));
        assert!(!X86_64.is_branch_site(elf::R_X86_64_64, &code, 1));
    }

    #[test]
    fn stub_is_jmp_through_cell() {
        let stub = X86_64.encode_got_stub(0x1000, 0x3000).unwrap();
        assert_eq!(stub.len(), 8);
        assert_eq!(&stub[..2], &[0xff, 0x25]);
        assert_eq!(&stub[2..6], &(0x3000i32 - 0x1006).to_le_bytes());
        assert_eq!(&stub[6..], &[0xcc, 0xcc]);
        let entry = X86_64.encode_reload_entry(0x1000, 0x1000 - 0x100).unwrap();
        assert_eq!(entry.len(), 16);
        assert_eq!(&entry[2..6], &(-0x106i32).to_le_bytes());
        assert!(X86_64.encode_got_stub(0, 0x1_0000_0000).is_err());
    }

    #[test]
    fn classification() {
        assert_eq!(X86_64.classify(elf::R_X86_64_NONE), RelocClass::None);
        assert_eq!(X86_64.classify(elf::R_X86_64_TPOFF32), RelocClass::Tls);
        assert_eq!(
            X86_64.classify(elf::R_X86_64_JUMP_SLOT),
            RelocClass::Unsupported
        );
        assert!(matches!(
            X86_64.classify(elf::R_X86_64_GOTPCRELX),
            RelocClass::Apply(RelocInfo {
                needs_got_cell: true,
                ..
            })
        ));
        assert_eq!(X86_64.reloc_name(elf::R_X86_64_PLT32), "R_X86_64_PLT32");
    }
}

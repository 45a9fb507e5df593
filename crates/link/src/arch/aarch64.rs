//! AArch64 (ELF for the Arm 64-bit Architecture, "aaelf64") relocations, branch recognition and
//! stubs.
//!
//! Formulas follow the aaelf64 tables: S symbol, A addend, P place, `Page(x)` is `x & !0xfff`,
//! G(GDAT(S+A)) the target's GOT cell, GOT the GOT base. Instructions are never rewritten (no
//! GOT-to-ADRP relaxation): a real GOT cell always exists for GOT-indirect types.
//!
//! Linker-made code (GOT stubs, reloadable-function entries) uses IP0 (`x16`): aaelf64 allows
//! veneers to corrupt IP0/IP1 and the condition flags on `CALL26`/`JUMP26` paths, and a `br x16`
//! is accepted by a `bti c` landing pad, so the sequence also works in BTI-enforced code.

use std::borrow::Cow;

use object::elf;

use super::{
    fits_signed, fits_unsigned, read_le, write_le, ArchBackend, LinkArch, NonAllocValues,
    RelocClass, RelocError, RelocInfo, RelocValues,
};

/// The AArch64 backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Aarch64;

/// `adrp; ldr; br` (12 bytes) padded to a power of two so stubs stay naturally aligned.
const STUB_SIZE: u64 = 16;
const RELOAD_ENTRY_SIZE: u64 = 16;
/// `udf #0`: permanently undefined. Pads linker-made sequences so that nothing can run past
/// the `br` into the next stub unnoticed.
const UDF: u32 = 0x0000_0000;
/// IP0, the intra-procedure-call scratch register veneers may clobber.
const X16: u32 = 16;

/// aaelf64 code 256: "withdrawn, treat as R_AARCH64_NONE".
const R_AARCH64_NONE_WITHDRAWN: u32 = 256;

/// Instruction fields, as bit masks of the 32-bit instruction word.
const IMM26: u32 = 0x03ff_ffff;
/// `imm19` of B.cond, CBZ/CBNZ and LDR (literal), and `immhi` of ADR/ADRP.
const IMM19: u32 = 0x00ff_ffe0;
const IMM14: u32 = 0x0007_ffe0;
/// `immlo` of ADR/ADRP.
const IMMLO: u32 = 0x6000_0000;
const IMM12: u32 = 0x003f_fc00;
const IMM16: u32 = 0x001f_ffe0;
/// `opc` of the move-wide family: 00 MOVN, 10 MOVZ, 11 MOVK.
const MOVW_OPC: u32 = 0x6000_0000;
const MOVZ_OPC: u32 = 0x4000_0000;

/// How a value is checked before it is truncated to a data field.
#[derive(Clone, Copy)]
enum Check {
    /// Full-width 64-bit fields.
    None,
    Signed,
    /// aaelf64's narrow data range `-2^(n-1) <= X < 2^n`: either interpretation is accepted.
    Either,
}

impl Aarch64 {
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

    /// `adrp x16, target; ldr x16, [x16, #:lo12:target]; br x16; udf #0`, placed at `at`.
    fn jump_through(at: u64, target: u64) -> Result<Vec<u8>, RelocError> {
        let t = i128::from(target);
        let adrp = adrp_imm(adr_page_delta(t, i128::from(at)), true)?;
        let lo12 = scaled_lo12(t, 3)?;
        let words = [
            0x9000_0000 | adrp | X16,
            // LDR (immediate, unsigned offset), 64-bit: imm12 is the offset divided by 8.
            0xf940_0000 | lo12 | (X16 << 5) | X16,
            // BR x16.
            0xd61f_0000 | (X16 << 5),
            UDF,
        ];
        Ok(words.iter().flat_map(|w| w.to_le_bytes()).collect())
    }
}

/// `Page(target) - Page(place)`.
fn adr_page_delta(target: i128, place: i128) -> i128 {
    (target & !0xfff) - (place & !0xfff)
}

/// ADR/ADRP immediate bits for a 21-bit value (ADRP: the page delta, so `delta >> 12`).
/// Checked: ADR reaches ±1 MiB, ADRP ±4 GiB.
fn adrp_imm(page_delta: i128, check: bool) -> Result<u32, RelocError> {
    if check && !fits_signed(page_delta, 33) {
        return Err(RelocError::Overflow {
            value: page_delta,
            bits: 33,
        });
    }
    Ok(adr_fields(page_delta >> 12))
}

/// Split a 21-bit immediate into ADR/ADRP's `immlo` (bits 30:29) and `immhi` (bits 23:5).
fn adr_fields(imm: i128) -> u32 {
    let imm = (imm as u32) & 0x1f_ffff;
    ((imm & 3) << 29) | ((imm >> 2) << 5)
}

/// The `imm12` field of a scaled LD/ST (or, with `scale` 0, of an ADD): bits [11:scale] of
/// `value`. aaelf64 asks the linker to check that the value is a multiple of the access size,
/// since the low bits would otherwise be silently dropped.
fn scaled_lo12(value: i128, scale: u32) -> Result<u32, RelocError> {
    let lo = (value as u32) & 0xfff;
    if lo & ((1 << scale) - 1) != 0 {
        return Err(RelocError::Misaligned {
            value,
            align: 1 << scale,
        });
    }
    Ok((lo >> scale) << 10)
}

/// A PC-relative instruction offset: a multiple of 4 that fits in `bits` (signed).
fn branch_offset(value: i128, bits: u32) -> Result<u32, RelocError> {
    if !fits_signed(value, bits) {
        return Err(RelocError::Overflow { value, bits });
    }
    if value & 3 != 0 {
        return Err(RelocError::Misaligned { value, align: 4 });
    }
    Ok((value >> 2) as u32)
}

fn read_insn(site: &[u8]) -> Result<u32, RelocError> {
    Ok(read_le(site, 4)? as u32)
}

/// Replace the bits of `mask` in the instruction at `site` with those of `bits`.
fn patch(site: &mut [u8], mask: u32, bits: u32) -> Result<(), RelocError> {
    let insn = (read_insn(site)? & !mask) | (bits & mask);
    write_le(site, i128::from(insn), 4)
}

/// Data relocations: check, then write the low `width` bytes.
fn data(site: &mut [u8], value: i128, width: usize, check: Check) -> Result<(), RelocError> {
    let bits = width as u32 * 8;
    let ok = match check {
        Check::None => true,
        Check::Signed => fits_signed(value, bits),
        Check::Either => fits_signed(value, bits) || fits_unsigned(value, bits),
    };
    if !ok {
        return Err(RelocError::Overflow { value, bits });
    }
    write_le(site, value, width)
}

/// MOVZ/MOVK (`_UABS_`): the 16-bit group `group` of `value` into `imm16`, opcode untouched.
/// Checking forms require `0 <= value < 2^(16 * (group + 1))`.
fn movw_unsigned(site: &mut [u8], value: i128, group: u32, check: bool) -> Result<(), RelocError> {
    let bits = 16 * (group + 1);
    if check && !fits_unsigned(value, bits) {
        return Err(RelocError::Overflow { value, bits });
    }
    let imm = ((value >> (16 * group)) as u32) & 0xffff;
    patch(site, IMM16, imm << 5)
}

/// MOVN/MOVZ (signed checking forms): MOVZ with the group of `value` when it is non-negative,
/// MOVN with the group of `!value` otherwise. `bits` is the checked signed width (None for G3).
fn movw_signed(
    site: &mut [u8],
    value: i128,
    group: u32,
    bits: Option<u32>,
) -> Result<(), RelocError> {
    if let Some(bits) = bits {
        if !fits_signed(value, bits) {
            return Err(RelocError::Overflow { value, bits });
        }
    }
    let (opc, v) = if value >= 0 {
        (MOVZ_OPC, value)
    } else {
        (0, !value)
    };
    let imm = ((v >> (16 * group)) as u32) & 0xffff;
    patch(site, MOVW_OPC | IMM16, opc | (imm << 5))
}

/// MOVK (`_NC` PC-relative forms): the group of `value`, no check.
fn movk(site: &mut [u8], value: i128, group: u32) -> Result<(), RelocError> {
    let imm = ((value >> (16 * group)) as u32) & 0xffff;
    patch(site, IMM16, imm << 5)
}

impl ArchBackend for Aarch64 {
    fn arch(&self) -> LinkArch {
        LinkArch::Aarch64
    }

    fn elf_machine(&self) -> u16 {
        elf::EM_AARCH64
    }

    fn uses_rela(&self) -> bool {
        true
    }

    fn reloc_name(&self, r_type: u32) -> Cow<'static, str> {
        let name = match r_type {
            elf::R_AARCH64_NONE => "R_AARCH64_NONE",
            R_AARCH64_NONE_WITHDRAWN => "R_AARCH64_NONE (256)",
            elf::R_AARCH64_ABS64 => "R_AARCH64_ABS64",
            elf::R_AARCH64_ABS32 => "R_AARCH64_ABS32",
            elf::R_AARCH64_ABS16 => "R_AARCH64_ABS16",
            elf::R_AARCH64_PREL64 => "R_AARCH64_PREL64",
            elf::R_AARCH64_PREL32 => "R_AARCH64_PREL32",
            elf::R_AARCH64_PREL16 => "R_AARCH64_PREL16",
            elf::R_AARCH64_MOVW_UABS_G0 => "R_AARCH64_MOVW_UABS_G0",
            elf::R_AARCH64_MOVW_UABS_G0_NC => "R_AARCH64_MOVW_UABS_G0_NC",
            elf::R_AARCH64_MOVW_UABS_G1 => "R_AARCH64_MOVW_UABS_G1",
            elf::R_AARCH64_MOVW_UABS_G1_NC => "R_AARCH64_MOVW_UABS_G1_NC",
            elf::R_AARCH64_MOVW_UABS_G2 => "R_AARCH64_MOVW_UABS_G2",
            elf::R_AARCH64_MOVW_UABS_G2_NC => "R_AARCH64_MOVW_UABS_G2_NC",
            elf::R_AARCH64_MOVW_UABS_G3 => "R_AARCH64_MOVW_UABS_G3",
            elf::R_AARCH64_MOVW_SABS_G0 => "R_AARCH64_MOVW_SABS_G0",
            elf::R_AARCH64_MOVW_SABS_G1 => "R_AARCH64_MOVW_SABS_G1",
            elf::R_AARCH64_MOVW_SABS_G2 => "R_AARCH64_MOVW_SABS_G2",
            elf::R_AARCH64_LD_PREL_LO19 => "R_AARCH64_LD_PREL_LO19",
            elf::R_AARCH64_ADR_PREL_LO21 => "R_AARCH64_ADR_PREL_LO21",
            elf::R_AARCH64_ADR_PREL_PG_HI21 => "R_AARCH64_ADR_PREL_PG_HI21",
            elf::R_AARCH64_ADR_PREL_PG_HI21_NC => "R_AARCH64_ADR_PREL_PG_HI21_NC",
            elf::R_AARCH64_ADD_ABS_LO12_NC => "R_AARCH64_ADD_ABS_LO12_NC",
            elf::R_AARCH64_LDST8_ABS_LO12_NC => "R_AARCH64_LDST8_ABS_LO12_NC",
            elf::R_AARCH64_TSTBR14 => "R_AARCH64_TSTBR14",
            elf::R_AARCH64_CONDBR19 => "R_AARCH64_CONDBR19",
            elf::R_AARCH64_JUMP26 => "R_AARCH64_JUMP26",
            elf::R_AARCH64_CALL26 => "R_AARCH64_CALL26",
            elf::R_AARCH64_LDST16_ABS_LO12_NC => "R_AARCH64_LDST16_ABS_LO12_NC",
            elf::R_AARCH64_LDST32_ABS_LO12_NC => "R_AARCH64_LDST32_ABS_LO12_NC",
            elf::R_AARCH64_LDST64_ABS_LO12_NC => "R_AARCH64_LDST64_ABS_LO12_NC",
            elf::R_AARCH64_MOVW_PREL_G0 => "R_AARCH64_MOVW_PREL_G0",
            elf::R_AARCH64_MOVW_PREL_G0_NC => "R_AARCH64_MOVW_PREL_G0_NC",
            elf::R_AARCH64_MOVW_PREL_G1 => "R_AARCH64_MOVW_PREL_G1",
            elf::R_AARCH64_MOVW_PREL_G1_NC => "R_AARCH64_MOVW_PREL_G1_NC",
            elf::R_AARCH64_MOVW_PREL_G2 => "R_AARCH64_MOVW_PREL_G2",
            elf::R_AARCH64_MOVW_PREL_G2_NC => "R_AARCH64_MOVW_PREL_G2_NC",
            elf::R_AARCH64_MOVW_PREL_G3 => "R_AARCH64_MOVW_PREL_G3",
            elf::R_AARCH64_LDST128_ABS_LO12_NC => "R_AARCH64_LDST128_ABS_LO12_NC",
            elf::R_AARCH64_MOVW_GOTOFF_G0 => "R_AARCH64_MOVW_GOTOFF_G0",
            elf::R_AARCH64_MOVW_GOTOFF_G0_NC => "R_AARCH64_MOVW_GOTOFF_G0_NC",
            elf::R_AARCH64_MOVW_GOTOFF_G1 => "R_AARCH64_MOVW_GOTOFF_G1",
            elf::R_AARCH64_MOVW_GOTOFF_G1_NC => "R_AARCH64_MOVW_GOTOFF_G1_NC",
            elf::R_AARCH64_MOVW_GOTOFF_G2 => "R_AARCH64_MOVW_GOTOFF_G2",
            elf::R_AARCH64_MOVW_GOTOFF_G2_NC => "R_AARCH64_MOVW_GOTOFF_G2_NC",
            elf::R_AARCH64_MOVW_GOTOFF_G3 => "R_AARCH64_MOVW_GOTOFF_G3",
            elf::R_AARCH64_GOTREL64 => "R_AARCH64_GOTREL64",
            elf::R_AARCH64_GOTREL32 => "R_AARCH64_GOTREL32",
            elf::R_AARCH64_GOT_LD_PREL19 => "R_AARCH64_GOT_LD_PREL19",
            elf::R_AARCH64_LD64_GOTOFF_LO15 => "R_AARCH64_LD64_GOTOFF_LO15",
            elf::R_AARCH64_ADR_GOT_PAGE => "R_AARCH64_ADR_GOT_PAGE",
            elf::R_AARCH64_LD64_GOT_LO12_NC => "R_AARCH64_LD64_GOT_LO12_NC",
            elf::R_AARCH64_LD64_GOTPAGE_LO15 => "R_AARCH64_LD64_GOTPAGE_LO15",
            elf::R_AARCH64_PLT32 => "R_AARCH64_PLT32",
            elf::R_AARCH64_GOTPCREL32 => "R_AARCH64_GOTPCREL32",
            elf::R_AARCH64_TLSGD_ADR_PREL21 => "R_AARCH64_TLSGD_ADR_PREL21",
            elf::R_AARCH64_TLSGD_ADR_PAGE21 => "R_AARCH64_TLSGD_ADR_PAGE21",
            elf::R_AARCH64_TLSGD_ADD_LO12_NC => "R_AARCH64_TLSGD_ADD_LO12_NC",
            elf::R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 => "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21",
            elf::R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC => "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC",
            elf::R_AARCH64_TLSLE_ADD_TPREL_HI12 => "R_AARCH64_TLSLE_ADD_TPREL_HI12",
            elf::R_AARCH64_TLSLE_ADD_TPREL_LO12 => "R_AARCH64_TLSLE_ADD_TPREL_LO12",
            elf::R_AARCH64_TLSLE_ADD_TPREL_LO12_NC => "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC",
            elf::R_AARCH64_TLSDESC_ADR_PAGE21 => "R_AARCH64_TLSDESC_ADR_PAGE21",
            elf::R_AARCH64_TLSDESC_LD64_LO12 => "R_AARCH64_TLSDESC_LD64_LO12",
            elf::R_AARCH64_TLSDESC_ADD_LO12 => "R_AARCH64_TLSDESC_ADD_LO12",
            elf::R_AARCH64_TLSDESC_CALL => "R_AARCH64_TLSDESC_CALL",
            elf::R_AARCH64_COPY => "R_AARCH64_COPY",
            elf::R_AARCH64_GLOB_DAT => "R_AARCH64_GLOB_DAT",
            elf::R_AARCH64_JUMP_SLOT => "R_AARCH64_JUMP_SLOT",
            elf::R_AARCH64_RELATIVE => "R_AARCH64_RELATIVE",
            elf::R_AARCH64_TLS_DTPMOD => "R_AARCH64_TLS_DTPMOD",
            elf::R_AARCH64_TLS_DTPREL => "R_AARCH64_TLS_DTPREL",
            elf::R_AARCH64_TLS_TPREL => "R_AARCH64_TLS_TPREL",
            elf::R_AARCH64_TLSDESC => "R_AARCH64_TLSDESC",
            elf::R_AARCH64_IRELATIVE => "R_AARCH64_IRELATIVE",
            // The remaining TLS types (512..=573) share a generic name.
            other if (512..=573).contains(&other) => {
                return Cow::Owned(format!("R_AARCH64_TLS (r_type {other})"))
            }
            other => return Cow::Owned(format!("aarch64 r_type {other}")),
        };
        Cow::Borrowed(name)
    }

    fn is_tls_descriptor_reloc(&self, r_type: u32) -> bool {
        matches!(
            r_type,
            elf::R_AARCH64_TLSDESC_ADR_PAGE21
                | elf::R_AARCH64_TLSDESC_LD64_LO12
                | elf::R_AARCH64_TLSDESC_ADD_LO12
        )
    }

    fn classify(&self, r_type: u32) -> RelocClass {
        match r_type {
            elf::R_AARCH64_NONE | R_AARCH64_NONE_WITHDRAWN => RelocClass::None,
            elf::R_AARCH64_ABS64 | elf::R_AARCH64_PREL64 | elf::R_AARCH64_GOTREL64 => Self::info(8),
            elf::R_AARCH64_ABS32
            | elf::R_AARCH64_PREL32
            | elf::R_AARCH64_PLT32
            | elf::R_AARCH64_GOTREL32 => Self::info(4),
            elf::R_AARCH64_ABS16 | elf::R_AARCH64_PREL16 => Self::info(2),
            elf::R_AARCH64_CALL26 | elf::R_AARCH64_JUMP26 => RelocClass::Apply(RelocInfo {
                width: 4,
                needs_got_cell: false,
                branch: true,
            }),
            elf::R_AARCH64_MOVW_UABS_G0
            | elf::R_AARCH64_MOVW_UABS_G0_NC
            | elf::R_AARCH64_MOVW_UABS_G1
            | elf::R_AARCH64_MOVW_UABS_G1_NC
            | elf::R_AARCH64_MOVW_UABS_G2
            | elf::R_AARCH64_MOVW_UABS_G2_NC
            | elf::R_AARCH64_MOVW_UABS_G3
            | elf::R_AARCH64_MOVW_SABS_G0
            | elf::R_AARCH64_MOVW_SABS_G1
            | elf::R_AARCH64_MOVW_SABS_G2
            | elf::R_AARCH64_MOVW_PREL_G0
            | elf::R_AARCH64_MOVW_PREL_G0_NC
            | elf::R_AARCH64_MOVW_PREL_G1
            | elf::R_AARCH64_MOVW_PREL_G1_NC
            | elf::R_AARCH64_MOVW_PREL_G2
            | elf::R_AARCH64_MOVW_PREL_G2_NC
            | elf::R_AARCH64_MOVW_PREL_G3
            | elf::R_AARCH64_LD_PREL_LO19
            | elf::R_AARCH64_ADR_PREL_LO21
            | elf::R_AARCH64_ADR_PREL_PG_HI21
            | elf::R_AARCH64_ADR_PREL_PG_HI21_NC
            | elf::R_AARCH64_ADD_ABS_LO12_NC
            | elf::R_AARCH64_LDST8_ABS_LO12_NC
            | elf::R_AARCH64_LDST16_ABS_LO12_NC
            | elf::R_AARCH64_LDST32_ABS_LO12_NC
            | elf::R_AARCH64_LDST64_ABS_LO12_NC
            | elf::R_AARCH64_LDST128_ABS_LO12_NC
            | elf::R_AARCH64_TSTBR14
            | elf::R_AARCH64_CONDBR19 => Self::info(4),
            elf::R_AARCH64_ADR_GOT_PAGE
            | elf::R_AARCH64_LD64_GOT_LO12_NC
            | elf::R_AARCH64_GOT_LD_PREL19
            | elf::R_AARCH64_LD64_GOTPAGE_LO15
            | elf::R_AARCH64_LD64_GOTOFF_LO15
            | elf::R_AARCH64_GOTPCREL32 => Self::got(4),
            // Descriptor accesses: the "cell" is the two-word descriptor.
            elf::R_AARCH64_TLSDESC_ADR_PAGE21
            | elf::R_AARCH64_TLSDESC_LD64_LO12
            | elf::R_AARCH64_TLSDESC_ADD_LO12 => Self::got(4),
            elf::R_AARCH64_TLSDESC_CALL => RelocClass::None,
            512..=573
            | elf::R_AARCH64_TLS_DTPMOD
            | elf::R_AARCH64_TLS_DTPREL
            | elf::R_AARCH64_TLS_TPREL
            | elf::R_AARCH64_TLSDESC => RelocClass::Tls,
            // Dynamic-only types, IFUNC, the large-model MOVW_GOTOFF group, ILP32 (P32) types.
            _ => RelocClass::Unsupported,
        }
    }

    fn apply(&self, r_type: u32, v: &RelocValues, site: &mut [u8]) -> Result<(), RelocError> {
        let s = i128::from(v.s);
        let a = i128::from(v.a);
        let p = i128::from(v.p);
        let g = i128::from(v.got_cell);
        let got = i128::from(v.got_base);
        let sa = s + a;
        let pc_rel = sa - p;
        // GOT-indirect instruction types address G(GDAT(S+A)): the cell holding S+A. The
        // session keeps one cell per target holding S, so a non-zero addend cannot be honoured.
        let got_cell = || {
            if a != 0 {
                Err(RelocError::Invalid(
                    "GOT-indirect relocation with a non-zero addend (the cell holds S, not S+A)",
                ))
            } else {
                Ok(g)
            }
        };
        match r_type {
            elf::R_AARCH64_NONE | R_AARCH64_NONE_WITHDRAWN => Ok(()),
            elf::R_AARCH64_ABS64 => data(site, sa, 8, Check::None),
            elf::R_AARCH64_ABS32 => data(site, sa, 4, Check::Either),
            elf::R_AARCH64_ABS16 => data(site, sa, 2, Check::Either),
            elf::R_AARCH64_PREL64 => data(site, pc_rel, 8, Check::None),
            elf::R_AARCH64_PREL32 => data(site, pc_rel, 4, Check::Either),
            elf::R_AARCH64_PREL16 => data(site, pc_rel, 2, Check::Either),
            elf::R_AARCH64_PLT32 => data(site, pc_rel, 4, Check::Signed),
            elf::R_AARCH64_GOTREL64 => data(site, sa - got, 8, Check::None),
            elf::R_AARCH64_GOTREL32 => data(site, sa - got, 4, Check::Signed),
            elf::R_AARCH64_GOTPCREL32 => data(site, g + a - p, 4, Check::Signed),

            elf::R_AARCH64_MOVW_UABS_G0 => movw_unsigned(site, sa, 0, true),
            elf::R_AARCH64_MOVW_UABS_G0_NC => movw_unsigned(site, sa, 0, false),
            elf::R_AARCH64_MOVW_UABS_G1 => movw_unsigned(site, sa, 1, true),
            elf::R_AARCH64_MOVW_UABS_G1_NC => movw_unsigned(site, sa, 1, false),
            elf::R_AARCH64_MOVW_UABS_G2 => movw_unsigned(site, sa, 2, true),
            elf::R_AARCH64_MOVW_UABS_G2_NC => movw_unsigned(site, sa, 2, false),
            elf::R_AARCH64_MOVW_UABS_G3 => movw_unsigned(site, sa, 3, false),
            elf::R_AARCH64_MOVW_SABS_G0 => movw_signed(site, sa, 0, Some(17)),
            elf::R_AARCH64_MOVW_SABS_G1 => movw_signed(site, sa, 1, Some(33)),
            elf::R_AARCH64_MOVW_SABS_G2 => movw_signed(site, sa, 2, Some(49)),
            elf::R_AARCH64_MOVW_PREL_G0 => movw_signed(site, pc_rel, 0, Some(17)),
            elf::R_AARCH64_MOVW_PREL_G0_NC => movk(site, pc_rel, 0),
            elf::R_AARCH64_MOVW_PREL_G1 => movw_signed(site, pc_rel, 1, Some(33)),
            elf::R_AARCH64_MOVW_PREL_G1_NC => movk(site, pc_rel, 1),
            elf::R_AARCH64_MOVW_PREL_G2 => movw_signed(site, pc_rel, 2, Some(49)),
            elf::R_AARCH64_MOVW_PREL_G2_NC => movk(site, pc_rel, 2),
            elf::R_AARCH64_MOVW_PREL_G3 => movw_signed(site, pc_rel, 3, None),

            elf::R_AARCH64_LD_PREL_LO19 => {
                let imm = branch_offset(pc_rel, 21)?;
                patch(site, IMM19, imm << 5)
            }
            elf::R_AARCH64_ADR_PREL_LO21 => {
                if !fits_signed(pc_rel, 21) {
                    return Err(RelocError::Overflow {
                        value: pc_rel,
                        bits: 21,
                    });
                }
                patch(site, IMMLO | IMM19, adr_fields(pc_rel))
            }
            elf::R_AARCH64_ADR_PREL_PG_HI21 => {
                patch(site, IMMLO | IMM19, adrp_imm(adr_page_delta(sa, p), true)?)
            }
            elf::R_AARCH64_ADR_PREL_PG_HI21_NC => {
                patch(site, IMMLO | IMM19, adrp_imm(adr_page_delta(sa, p), false)?)
            }
            elf::R_AARCH64_ADD_ABS_LO12_NC | elf::R_AARCH64_LDST8_ABS_LO12_NC => {
                patch(site, IMM12, scaled_lo12(sa, 0)?)
            }
            elf::R_AARCH64_LDST16_ABS_LO12_NC => patch(site, IMM12, scaled_lo12(sa, 1)?),
            elf::R_AARCH64_LDST32_ABS_LO12_NC => patch(site, IMM12, scaled_lo12(sa, 2)?),
            elf::R_AARCH64_LDST64_ABS_LO12_NC => patch(site, IMM12, scaled_lo12(sa, 3)?),
            elf::R_AARCH64_LDST128_ABS_LO12_NC => patch(site, IMM12, scaled_lo12(sa, 4)?),

            elf::R_AARCH64_TSTBR14 => patch(site, IMM14, branch_offset(pc_rel, 16)? << 5),
            elf::R_AARCH64_CONDBR19 => patch(site, IMM19, branch_offset(pc_rel, 21)? << 5),
            elf::R_AARCH64_JUMP26 | elf::R_AARCH64_CALL26 => {
                patch(site, IMM26, branch_offset(pc_rel, 28)?)
            }

            elf::R_AARCH64_ADR_GOT_PAGE | elf::R_AARCH64_TLSDESC_ADR_PAGE21 => {
                let cell = got_cell()?;
                patch(
                    site,
                    IMMLO | IMM19,
                    adrp_imm(adr_page_delta(cell, p), true)?,
                )
            }
            elf::R_AARCH64_LD64_GOT_LO12_NC | elf::R_AARCH64_TLSDESC_LD64_LO12 => {
                patch(site, IMM12, scaled_lo12(got_cell()?, 3)?)
            }
            elf::R_AARCH64_TLSDESC_ADD_LO12 => patch(site, IMM12, scaled_lo12(got_cell()?, 0)?),
            elf::R_AARCH64_GOT_LD_PREL19 => {
                let imm = branch_offset(got_cell()? - p, 21)?;
                patch(site, IMM19, imm << 5)
            }
            elf::R_AARCH64_LD64_GOTPAGE_LO15 | elf::R_AARCH64_LD64_GOTOFF_LO15 => {
                let base = if r_type == elf::R_AARCH64_LD64_GOTPAGE_LO15 {
                    got & !0xfff
                } else {
                    got
                };
                let x = got_cell()? - base;
                if !fits_unsigned(x, 15) {
                    return Err(RelocError::Overflow { value: x, bits: 15 });
                }
                if x & 7 != 0 {
                    return Err(RelocError::Misaligned { value: x, align: 8 });
                }
                patch(site, IMM12, ((x >> 3) as u32) << 10)
            }
            _ => Err(RelocError::Unsupported),
        }
    }

    fn apply_nonalloc(
        &self,
        r_type: u32,
        v: &NonAllocValues,
        site: &mut [u8],
    ) -> Result<(), RelocError> {
        // Debug info holds only data words (and, with relaxation, label differences): the same
        // computations as in allocated sections, with no place and no GOT.
        match r_type {
            elf::R_AARCH64_NONE
            | R_AARCH64_NONE_WITHDRAWN
            | elf::R_AARCH64_ABS64
            | elf::R_AARCH64_ABS32
            | elf::R_AARCH64_ABS16 => {
                let values = RelocValues {
                    s: v.s,
                    a: v.a,
                    ..Default::default()
                };
                self.apply(r_type, &values, site)
            }
            elf::R_AARCH64_TLS_DTPREL => {
                let off = v.tls_offset.ok_or(RelocError::Invalid(
                    "a DTP-relative relocation needs a thread-local target",
                ))?;
                self.apply(
                    elf::R_AARCH64_ABS64,
                    &RelocValues {
                        s: off,
                        a: v.a,
                        ..Default::default()
                    },
                    site,
                )
            }
            _ => Err(RelocError::Unsupported),
        }
    }

    fn is_branch_site(&self, r_type: u32, section: &[u8], offset: usize) -> bool {
        if r_type != elf::R_AARCH64_CALL26 && r_type != elf::R_AARCH64_JUMP26 {
            return false;
        }
        // Only B and BL carry these types; check the opcode anyway so a corrupt object cannot
        // turn some other instruction into a stub call.
        let Some(insn) = section.get(offset..).and_then(|s| read_insn(s).ok()) else {
            return false;
        };
        matches!(insn & 0xfc00_0000, 0x1400_0000 | 0x9400_0000)
    }

    fn branch_reaches(&self, r_type: u32, value: i128) -> bool {
        match r_type {
            elf::R_AARCH64_CALL26 | elf::R_AARCH64_JUMP26 => fits_signed(value, 28),
            _ => true,
        }
    }

    fn branch_target_delta(&self, _r_type: u32, addend: i64) -> i64 {
        // B/BL displacements are relative to the branch itself: the target is S + A.
        addend
    }

    fn pointer_reloc(&self) -> u32 {
        elf::R_AARCH64_ABS64
    }

    fn got_stub_size(&self) -> u64 {
        STUB_SIZE
    }

    fn encode_got_stub(&self, stub_addr: u64, cell_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jump_through(stub_addr, cell_addr)
    }

    fn reload_entry_size(&self) -> u64 {
        RELOAD_ENTRY_SIZE
    }

    fn encode_reload_entry(&self, entry_addr: u64, slot_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jump_through(entry_addr, slot_addr)
    }

    fn max_image_span(&self) -> u64 {
        // ADRP reaches ±4 GiB, but PREL32 (what .eh_frame uses for FDE addresses and what
        // compilers use for PC-relative data) only reaches 2 GiB backwards. Branches beyond
        // CALL26's ±128 MiB go through stubs, so they do not limit the span.
        (1u64 << 31) - 0x1000
    }
}

#[cfg(test)]
mod tests {
    use super::super::cross_tools::Cross;
    use super::*;

    #[test]
    fn nonalloc_data_and_dtprel_forms() {
        let na = |r_type, s, a, tls_offset| {
            let mut site = vec![0xeeu8; 8];
            Aarch64
                .apply_nonalloc(r_type, &NonAllocValues { s, a, tls_offset }, &mut site)
                .map(|()| site)
        };
        assert_eq!(
            na(elf::R_AARCH64_ABS64, 0x40_0000_1000, 8, None).unwrap(),
            0x40_0000_1008u64.to_le_bytes()
        );
        let out = na(elf::R_AARCH64_ABS32, 0x30, 2, None).unwrap();
        assert_eq!(out[..4], 0x32u32.to_le_bytes());
        assert_eq!(out[4..], [0xee; 4]);
        assert_eq!(
            na(elf::R_AARCH64_TLS_DTPREL, 0x9000, 1, Some(0x10)).unwrap(),
            0x11u64.to_le_bytes()
        );
        assert!(na(elf::R_AARCH64_TLS_DTPREL, 0x9000, 0, None).is_err());
        for t in [elf::R_AARCH64_PREL32, elf::R_AARCH64_CALL26, 12345] {
            assert_eq!(na(t, 0, 0, None), Err(RelocError::Unsupported), "{t}");
        }
    }

    fn values(s: u64, a: i64, p: u64) -> RelocValues {
        RelocValues {
            s,
            a,
            p,
            ..Default::default()
        }
    }

    /// Apply `r_type` to the 4-byte instruction `insn`.
    fn insn(r_type: u32, v: RelocValues, insn: u32) -> Result<u32, RelocError> {
        let mut site = insn.to_le_bytes().to_vec();
        Aarch64.apply(r_type, &v, &mut site)?;
        read_insn(&site)
    }

    fn data_bytes(r_type: u32, v: RelocValues, width: usize) -> Result<Vec<u8>, RelocError> {
        let mut site = vec![0xaa; width + 2];
        Aarch64.apply(r_type, &v, &mut site)?;
        assert_eq!(
            &site[width..],
            &[0xaa, 0xaa],
            "writes exactly {width} bytes"
        );
        Ok(site[..width].to_vec())
    }

    // Instruction words below are the encodings documented in the Arm ARM for the named
    // instruction with a zero immediate, and the expected results were derived by hand from
    // the field layouts (B/BL imm26, B.cond imm19, TBZ imm14, ADR immhi:immlo, LDR imm12).
    const BL: u32 = 0x9400_0000;
    const B: u32 = 0x1400_0000;
    const B_EQ: u32 = 0x5400_0000;
    const TBZ: u32 = 0x3600_0000;
    const ADRP_X0: u32 = 0x9000_0000;
    const ADR_X0: u32 = 0x1000_0000;
    const ADD_X0: u32 = 0x9100_0000;
    const LDR_X0: u32 = 0xf940_0000;
    const MOVZ_X0: u32 = 0xd280_0000;
    const MOVK_X0: u32 = 0xf280_0000;
    const MOVN_X0: u32 = 0x9280_0000;
    const LDR_LIT_X0: u32 = 0x5800_0000;

    #[test]
    fn call26_and_jump26() {
        // +8: imm26 = 2; -4: imm26 = 0x3ffffff.
        assert_eq!(
            insn(elf::R_AARCH64_CALL26, values(0x1008, 0, 0x1000), BL),
            Ok(BL | 2)
        );
        assert_eq!(
            insn(elf::R_AARCH64_JUMP26, values(0x1000, -4, 0x1004), B),
            Ok(B | 0x3ff_fffe)
        );
        // Edges: 2^27 - 4 reaches, 2^27 does not; -2^27 reaches.
        let p = 0x1000_0000;
        assert_eq!(
            insn(elf::R_AARCH64_CALL26, values(p + (1 << 27) - 4, 0, p), BL),
            Ok(BL | 0x1ff_ffff)
        );
        assert_eq!(
            insn(elf::R_AARCH64_CALL26, values(p - (1 << 27), 0, p), BL),
            Ok(BL | 0x200_0000)
        );
        assert_eq!(
            insn(elf::R_AARCH64_CALL26, values(p + (1 << 27), 0, p), BL),
            Err(RelocError::Overflow {
                value: 1 << 27,
                bits: 28
            })
        );
        assert_eq!(
            insn(elf::R_AARCH64_CALL26, values(p + 2, 0, p), BL),
            Err(RelocError::Misaligned { value: 2, align: 4 })
        );
        assert!(Aarch64.branch_reaches(elf::R_AARCH64_CALL26, (1 << 27) - 4));
        assert!(!Aarch64.branch_reaches(elf::R_AARCH64_CALL26, 1 << 27));
        assert!(!Aarch64.branch_reaches(elf::R_AARCH64_JUMP26, -(1 << 27) - 4));
    }

    #[test]
    fn conditional_and_test_branches() {
        // b.eq +0x40: imm19 = 0x10 at bit 5.
        assert_eq!(
            insn(elf::R_AARCH64_CONDBR19, values(0x2040, 0, 0x2000), B_EQ),
            Ok(B_EQ | (0x10 << 5))
        );
        // -8: imm19 = 0x7fffe.
        assert_eq!(
            insn(elf::R_AARCH64_CONDBR19, values(0x2000, -8, 0x2000), B_EQ),
            Ok(B_EQ | (0x7fffe << 5))
        );
        assert!(matches!(
            insn(elf::R_AARCH64_CONDBR19, values(0x10_0000, 0, 0), B_EQ),
            Err(RelocError::Overflow { bits: 21, .. })
        ));
        // tbz +0x7ffc (largest) and +0x8000 (too far).
        assert_eq!(
            insn(elf::R_AARCH64_TSTBR14, values(0x7ffc, 0, 0), TBZ),
            Ok(TBZ | (0x1fff << 5))
        );
        assert!(matches!(
            insn(elf::R_AARCH64_TSTBR14, values(0x8000, 0, 0), TBZ),
            Err(RelocError::Overflow { bits: 16, .. })
        ));
        // Other fields of the instruction (here Rt = 3, bit number 5) are kept.
        let tbz_x3_5 = TBZ | (5 << 19) | 3;
        assert_eq!(
            insn(elf::R_AARCH64_TSTBR14, values(8, 0, 0), tbz_x3_5),
            Ok(tbz_x3_5 | (2 << 5))
        );
        assert_eq!(
            insn(
                elf::R_AARCH64_LD_PREL_LO19,
                values(0x100, 0, 0x80),
                LDR_LIT_X0
            ),
            Ok(LDR_LIT_X0 | (0x20 << 5))
        );
        assert!(matches!(
            insn(
                elf::R_AARCH64_LD_PREL_LO19,
                values(0x102, 0, 0x80),
                LDR_LIT_X0
            ),
            Err(RelocError::Misaligned { align: 4, .. })
        ));
    }

    #[test]
    fn adrp_adr_and_lo12() {
        // Page(0x12345678) - Page(0x10000010) = 0x2345000 -> imm = 0x2345: immlo 1, immhi 0x8d1.
        let v = values(0x1234_5670, 8, 0x1000_0010);
        assert_eq!(
            insn(elf::R_AARCH64_ADR_PREL_PG_HI21, v, ADRP_X0),
            Ok(ADRP_X0 | (1 << 29) | (0x8d1 << 5))
        );
        // Negative page delta: -1 page -> imm 0x1fffff, all bits set.
        assert_eq!(
            insn(
                elf::R_AARCH64_ADR_PREL_PG_HI21,
                values(0x0fff, 0, 0x1000),
                ADRP_X0
            ),
            Ok(ADRP_X0 | IMMLO | IMM19)
        );
        // ±4 GiB limit; the _NC form wraps silently (8 GiB: the 21-bit page field wraps to 0).
        assert!(matches!(
            insn(
                elf::R_AARCH64_ADR_PREL_PG_HI21,
                values(0x1_0000_0000, 0, 0),
                ADRP_X0
            ),
            Err(RelocError::Overflow { bits: 33, .. })
        ));
        let far = values(0x2_0000_0000, 0, 0);
        assert!(matches!(
            insn(elf::R_AARCH64_ADR_PREL_PG_HI21, far, ADRP_X0),
            Err(RelocError::Overflow { bits: 33, .. })
        ));
        assert_eq!(
            insn(elf::R_AARCH64_ADR_PREL_PG_HI21_NC, far, ADRP_X0),
            Ok(ADRP_X0)
        );
        assert!(insn(
            elf::R_AARCH64_ADR_PREL_PG_HI21,
            values(0xffff_f000, 0, 0),
            ADRP_X0
        )
        .is_ok());
        // ADR: +5 -> immlo 1, immhi 1.
        assert_eq!(
            insn(
                elf::R_AARCH64_ADR_PREL_LO21,
                values(0x105, 0, 0x100),
                ADR_X0
            ),
            Ok(ADR_X0 | (1 << 29) | (1 << 5))
        );
        assert!(matches!(
            insn(
                elf::R_AARCH64_ADR_PREL_LO21,
                values(0x10_0000, 0, 0),
                ADR_X0
            ),
            Err(RelocError::Overflow { bits: 21, .. })
        ));
        // ADD :lo12: takes bits [11:0] unscaled.
        assert_eq!(
            insn(elf::R_AARCH64_ADD_ABS_LO12_NC, v, ADD_X0),
            Ok(ADD_X0 | (0x678 << 10))
        );
        assert_eq!(
            insn(elf::R_AARCH64_LDST8_ABS_LO12_NC, v, LDR_X0),
            Ok(LDR_X0 | (0x678 << 10))
        );
        // Scaled forms: 0x678 / 2, / 4, / 8; 0x670 / 16.
        assert_eq!(
            insn(elf::R_AARCH64_LDST16_ABS_LO12_NC, v, LDR_X0),
            Ok(LDR_X0 | (0x33c << 10))
        );
        assert_eq!(
            insn(elf::R_AARCH64_LDST32_ABS_LO12_NC, v, LDR_X0),
            Ok(LDR_X0 | (0x19e << 10))
        );
        assert_eq!(
            insn(elf::R_AARCH64_LDST64_ABS_LO12_NC, v, LDR_X0),
            Ok(LDR_X0 | (0xcf << 10))
        );
        assert_eq!(
            insn(
                elf::R_AARCH64_LDST128_ABS_LO12_NC,
                values(0x1234_5670, 0, 0),
                LDR_X0
            ),
            Ok(LDR_X0 | (0x67 << 10))
        );
        // Misaligned scaled accesses are rejected.
        for (t, align, addr) in [
            (elf::R_AARCH64_LDST16_ABS_LO12_NC, 2, 0x1001),
            (elf::R_AARCH64_LDST32_ABS_LO12_NC, 4, 0x1002),
            (elf::R_AARCH64_LDST64_ABS_LO12_NC, 8, 0x1004),
            (elf::R_AARCH64_LDST128_ABS_LO12_NC, 16, 0x1008),
        ] {
            assert_eq!(
                insn(t, values(addr, 0, 0), LDR_X0),
                Err(RelocError::Misaligned {
                    value: i128::from(addr),
                    align
                }),
                "{}",
                Aarch64.reloc_name(t)
            );
        }
    }

    #[test]
    fn got_forms() {
        let v = RelocValues {
            s: 0xdead_0000,
            a: 0,
            p: 0x4000_1000,
            got_cell: 0x4020_0ff8,
            got_base: 0x4020_0000,
            size: 0,
        };
        // Page delta 0x4020_0000 - 0x4000_1000 = 0x1ff000 -> imm 0x1ff: immlo 3, immhi 0x7f.
        assert_eq!(
            insn(elf::R_AARCH64_ADR_GOT_PAGE, v, ADRP_X0),
            Ok(ADRP_X0 | (3 << 29) | (0x7f << 5))
        );
        assert_eq!(
            insn(elf::R_AARCH64_LD64_GOT_LO12_NC, v, LDR_X0),
            Ok(LDR_X0 | (0x1ff << 10))
        );
        assert_eq!(
            insn(elf::R_AARCH64_LD64_GOTPAGE_LO15, v, LDR_X0),
            Ok(LDR_X0 | (0x1ff << 10))
        );
        assert_eq!(
            data_bytes(elf::R_AARCH64_GOTPCREL32, v, 4),
            Ok(0x1f_fff8u32.to_le_bytes().to_vec())
        );
        let with_addend = RelocValues { a: 8, ..v };
        assert!(matches!(
            insn(elf::R_AARCH64_ADR_GOT_PAGE, with_addend, ADRP_X0),
            Err(RelocError::Invalid(_))
        ));
        let far_cell = RelocValues {
            got_cell: 0x4020_8000,
            ..v
        };
        assert!(matches!(
            insn(elf::R_AARCH64_LD64_GOTPAGE_LO15, far_cell, LDR_X0),
            Err(RelocError::Overflow { bits: 15, .. })
        ));
    }

    #[test]
    fn movw_groups() {
        let v = values(0x1122_3344_5566_7788, 0, 0);
        let field = |w: u32| (w >> 5) & 0xffff;
        for (t, want) in [
            (elf::R_AARCH64_MOVW_UABS_G0_NC, 0x7788),
            (elf::R_AARCH64_MOVW_UABS_G1_NC, 0x5566),
            (elf::R_AARCH64_MOVW_UABS_G2_NC, 0x3344),
            (elf::R_AARCH64_MOVW_UABS_G3, 0x1122),
        ] {
            let out = insn(t, v, MOVK_X0).unwrap();
            assert_eq!(field(out), want);
            assert_eq!(out & !IMM16, MOVK_X0, "opcode kept");
        }
        assert!(insn(elf::R_AARCH64_MOVW_UABS_G0, v, MOVZ_X0).is_err());
        assert!(insn(elf::R_AARCH64_MOVW_UABS_G1, v, MOVZ_X0).is_err());
        assert!(insn(elf::R_AARCH64_MOVW_UABS_G2, v, MOVZ_X0).is_err());
        assert_eq!(
            insn(elf::R_AARCH64_MOVW_UABS_G0, values(0xffff, 0, 0), MOVZ_X0),
            Ok(MOVZ_X0 | (0xffff << 5))
        );
        assert!(insn(elf::R_AARCH64_MOVW_UABS_G0, values(0x1_0000, 0, 0), MOVZ_X0).is_err());
        assert_eq!(
            insn(
                elf::R_AARCH64_MOVW_UABS_G1,
                values(0xffff_0000, 0, 0),
                MOVZ_X0
            ),
            Ok(MOVZ_X0 | (0xffff << 5))
        );
        // Signed: -2 -> MOVN with !(-2) = 1; +2 -> MOVZ 2 (even when the site held MOVN).
        assert_eq!(
            insn(elf::R_AARCH64_MOVW_SABS_G0, values(0, -2, 0), MOVZ_X0),
            Ok(MOVN_X0 | (1 << 5))
        );
        assert_eq!(
            insn(elf::R_AARCH64_MOVW_SABS_G0, values(2, 0, 0), MOVN_X0),
            Ok(MOVZ_X0 | (2 << 5))
        );
        assert!(insn(elf::R_AARCH64_MOVW_SABS_G0, values(0x1_0000, 0, 0), MOVZ_X0).is_err());
        assert!(insn(
            elf::R_AARCH64_MOVW_SABS_G0,
            values(0, -0x1_0000, 0),
            MOVZ_X0
        )
        .is_ok());
        assert!(insn(
            elf::R_AARCH64_MOVW_SABS_G0,
            values(0, -0x1_0001, 0),
            MOVZ_X0
        )
        .is_err());
        // PC-relative: -0x10000 from P -> G1 MOVN with !(-0x10000) >> 16 = 0.
        assert_eq!(
            insn(elf::R_AARCH64_MOVW_PREL_G1, values(0, 0, 0x1_0000), MOVZ_X0),
            Ok(MOVN_X0)
        );
        assert_eq!(
            insn(
                elf::R_AARCH64_MOVW_PREL_G0_NC,
                values(0x1_2345, 0, 0x1),
                MOVK_X0
            ),
            Ok(MOVK_X0 | (0x2344 << 5))
        );
    }

    #[test]
    fn data_relocations() {
        let v = values(0x1000, 0x10, 0x800);
        assert_eq!(
            data_bytes(elf::R_AARCH64_ABS64, v, 8),
            Ok(0x1010u64.to_le_bytes().to_vec())
        );
        assert_eq!(
            data_bytes(elf::R_AARCH64_PREL32, v, 4),
            Ok(0x810u32.to_le_bytes().to_vec())
        );
        assert_eq!(
            data_bytes(elf::R_AARCH64_PREL64, values(0, 0, 0x10), 8),
            Ok((-0x10i64).to_le_bytes().to_vec())
        );
        assert_eq!(
            data_bytes(elf::R_AARCH64_ABS16, values(0xffff, 0, 0), 2),
            Ok(vec![0xff, 0xff])
        );
        // aaelf64's narrow ranges: -2^(n-1) <= X < 2^n.
        assert!(data_bytes(elf::R_AARCH64_ABS32, values(0xffff_ffff, 0, 0), 4).is_ok());
        assert!(data_bytes(elf::R_AARCH64_ABS32, values(0x1_0000_0000, 0, 0), 4).is_err());
        assert!(data_bytes(elf::R_AARCH64_ABS32, values(0, -0x8000_0000, 0), 4).is_ok());
        assert!(data_bytes(elf::R_AARCH64_ABS32, values(0, -0x8000_0001, 0), 4).is_err());
        assert!(data_bytes(elf::R_AARCH64_PREL32, values(0, 0, 0x8000_0001), 4).is_err());
        assert!(data_bytes(elf::R_AARCH64_ABS16, values(0x1_0000, 0, 0), 2).is_err());
        assert!(data_bytes(elf::R_AARCH64_PREL16, values(0, 0, 0x8001), 2).is_err());
        // PLT32 is signed only.
        assert!(data_bytes(elf::R_AARCH64_PLT32, values(0x8000_0000, 0, 0), 4).is_err());
        let got = RelocValues {
            got_base: 0x800,
            ..v
        };
        assert_eq!(
            data_bytes(elf::R_AARCH64_GOTREL64, got, 8),
            Ok(0x810u64.to_le_bytes().to_vec())
        );
        // R_AARCH64_NONE and the withdrawn 256 write nothing.
        assert_eq!(data_bytes(elf::R_AARCH64_NONE, v, 0), Ok(vec![]));
        assert_eq!(data_bytes(R_AARCH64_NONE_WITHDRAWN, v, 0), Ok(vec![]));
    }

    #[test]
    fn short_sites_are_rejected() {
        let mut site = [0u8; 3];
        assert_eq!(
            Aarch64.apply(elf::R_AARCH64_CALL26, &values(0, 0, 0), &mut site),
            Err(RelocError::SiteTooSmall { have: 3, need: 4 })
        );
    }

    #[test]
    fn branch_sites() {
        let code: Vec<u8> = [BL, B, B_EQ, ADRP_X0]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        assert!(Aarch64.is_branch_site(elf::R_AARCH64_CALL26, &code, 0));
        assert!(Aarch64.is_branch_site(elf::R_AARCH64_JUMP26, &code, 4));
        assert!(!Aarch64.is_branch_site(elf::R_AARCH64_JUMP26, &code, 8));
        assert!(!Aarch64.is_branch_site(elf::R_AARCH64_CALL26, &code, 12));
        assert!(!Aarch64.is_branch_site(elf::R_AARCH64_CALL26, &code, 14));
        assert!(!Aarch64.is_branch_site(elf::R_AARCH64_CONDBR19, &code, 8));
        assert_eq!(Aarch64.branch_target_delta(elf::R_AARCH64_CALL26, 12), 12);
    }

    #[test]
    fn triples_map_to_the_backend() {
        let t = |s: &str| LinkArch::from_triple(&s.parse().expect("triple"));
        assert_eq!(t("aarch64-unknown-linux-gnu"), Ok(LinkArch::Aarch64));
        assert_eq!(t("aarch64-apple-darwin"), Ok(LinkArch::Aarch64));
        assert!(t("aarch64_be-unknown-linux-gnu").is_err());
        assert_eq!(
            crate::arch::backend(LinkArch::Aarch64).arch(),
            LinkArch::Aarch64
        );
        assert_eq!(LinkArch::Aarch64.to_string(), "aarch64");
    }

    #[test]
    fn classification() {
        assert_eq!(Aarch64.classify(elf::R_AARCH64_NONE), RelocClass::None);
        assert_eq!(
            Aarch64.classify(elf::R_AARCH64_TLSLE_ADD_TPREL_HI12),
            RelocClass::Tls
        );
        assert_eq!(
            Aarch64.classify(elf::R_AARCH64_TLSDESC_CALL),
            RelocClass::None
        );
        assert!(matches!(
            Aarch64.classify(elf::R_AARCH64_TLSDESC_ADR_PAGE21),
            RelocClass::Apply(RelocInfo {
                needs_got_cell: true,
                ..
            })
        ));
        assert!(Aarch64.is_tls_descriptor_reloc(elf::R_AARCH64_TLSDESC_ADD_LO12));
        assert!(!Aarch64.is_tls_descriptor_reloc(elf::R_AARCH64_ADR_GOT_PAGE));
        assert_eq!(Aarch64.classify(elf::R_AARCH64_TLS_TPREL), RelocClass::Tls);
        assert_eq!(
            Aarch64.classify(elf::R_AARCH64_JUMP_SLOT),
            RelocClass::Unsupported
        );
        assert!(matches!(
            Aarch64.classify(elf::R_AARCH64_CALL26),
            RelocClass::Apply(RelocInfo { branch: true, .. })
        ));
        assert!(matches!(
            Aarch64.classify(elf::R_AARCH64_LD64_GOT_LO12_NC),
            RelocClass::Apply(RelocInfo {
                needs_got_cell: true,
                ..
            })
        ));
        assert_eq!(
            Aarch64.reloc_name(elf::R_AARCH64_CALL26),
            "R_AARCH64_CALL26"
        );
    }

    const CROSS: Cross = Cross {
        prefix: "aarch64-linux-gnu",
        package: "binutils-aarch64-linux-gnu",
    };

    /// What GNU as + ld make of HOT_RELOAD.md's AArch64 entry (and our GOT stub: the same
    /// sequence) at `entry`, jumping through the 8-byte slot at `slot`, padded with `udf #0`.
    fn gnu_jump_through(entry: u64, slot: u64) -> Vec<u8> {
        let asm = "\
            .text\n.globl _start\n_start:\n\
            adrp x16, slot\n\
            ldr x16, [x16, #:lo12:slot]\n\
            br x16\n\
            udf #0\n\
            .data\n.balign 8\nslot: .quad 0\n";
        let text = format!("-Ttext={entry:#x}");
        let data = format!("-Tdata={slot:#x}");
        CROSS.link_section(asm, &[], &[&text, &data], ".text")
    }

    #[test]
    fn reload_entry_and_stub_match_gnu_as() {
        for (entry, slot) in [
            (0x40_0000, 0x40_0010),
            (0x1000_0000, 0x1234_5ff8),
            (0x7000_1ff0, 0x1000_0800),
            (0x2000, 0xf000_0008),
            (0x1_0000_0ff0, 0x8000),
        ] {
            let want = gnu_jump_through(entry, slot);
            assert_eq!(want.len(), 16);
            assert_eq!(
                Aarch64.encode_reload_entry(entry, slot).unwrap(),
                want,
                "reload entry at {entry:#x} through {slot:#x}"
            );
            assert_eq!(
                Aarch64.encode_got_stub(entry, slot).unwrap(),
                want,
                "stub at {entry:#x} through {slot:#x}"
            );
        }
        assert_eq!(Aarch64.reload_entry_size(), 16);
        assert_eq!(Aarch64.got_stub_size(), 16);
    }

    #[test]
    fn stubs_need_an_aligned_cell_in_adrp_reach() {
        assert!(matches!(
            Aarch64.encode_got_stub(0x1000, 0x2004),
            Err(RelocError::Misaligned { align: 8, .. })
        ));
        assert!(matches!(
            Aarch64.encode_got_stub(0, 0x1_0000_0000),
            Err(RelocError::Overflow { bits: 33, .. })
        ));
        assert_eq!(
            Aarch64.encode_reload_entry(0x1000, 0x2000).unwrap().len(),
            16
        );
    }
}

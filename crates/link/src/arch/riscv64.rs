//! RISC-V 64 (RISC-V ELF psABI, LP64) relocations, branch recognition and stubs.
//!
//! Formulas follow the psABI relocation table: S symbol, A addend, P place, V the value already
//! at the place, G + GOT the target's GOT cell.
//!
//! The linker never relaxes and never deletes bytes, so section contents keep the assembler's
//! offsets and every relocation stays valid as written. `R_RISCV_RELAX` therefore needs
//! nothing. `R_RISCV_ALIGN` needs nothing to stay *correct*, but not everything it asks for:
//! with relaxation on, the assembler pads an alignment directive in code with the worst case,
//! N − IALIGN bytes of `nop`s, expecting the linker to delete the excess (GNU ld does so even
//! with `--no-relax`). Kept whole, the nops execute harmlessly and instructions stay
//! IALIGN-aligned, but the label after them may be under-aligned by up to N − IALIGN bytes: a
//! performance matter for code, a misaligned access for data placed in code. Objects built with
//! `-mno-relax` carry exact padding and no `R_RISCV_ALIGN`.
//!
//! `%pcrel_lo` relocations (`PCREL_LO12_I/S`) name the AUIPC of their high part rather than the
//! target; [`ArchBackend::pcrel_lo_pair`] makes the session hand them the high part's S, A and P.
//!
//! Linker-made stubs use `t1`, which the psABI's own PLT entries clobber (`jalr t1, t3`), so no
//! caller can keep a live value in it across a call. Reloadable-function entries use `t0`, as
//! the hot-reload design specifies; they are reached by calls too, never by `t0`-linked
//! millicode calls.

use std::borrow::Cow;

use object::elf;

use super::{
    fits_signed, fits_unsigned, read_le, write_le, ArchBackend, LinkArch, NonAllocValues,
    RelocClass, RelocError, RelocInfo, RelocValues,
};

/// The RISC-V 64 backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Riscv64;

/// `auipc; ld; jr` (12 bytes) padded to a power of two so stubs stay naturally aligned.
const STUB_SIZE: u64 = 16;
const RELOAD_ENTRY_SIZE: u64 = 16;
/// `unimp` (`csrrw x0, cycle, x0`, the canonical 32-bit illegal instruction): pads
/// linker-made sequences so nothing can run past the `jr` unnoticed.
const UNIMP: u32 = 0xc000_1073;
const T0: u32 = 5;
const T1: u32 = 6;

const OPC_AUIPC: u32 = 0x17;
const OPC_JALR: u32 = 0x67;

/// Instruction fields as bit masks of the 32-bit (or, for RVC, 16-bit) instruction word.
const U_IMM: u32 = 0xffff_f000;
const I_IMM: u32 = 0xfff0_0000;
const S_IMM: u32 = 0xfe00_0f80;
const B_IMM: u32 = 0xfe00_0f80;
const J_IMM: u32 = 0xffff_f000;
const CB_IMM: u16 = 0x1c7c;
const CJ_IMM: u16 = 0x1ffc;

impl Riscv64 {
    fn info(width: u8) -> RelocClass {
        RelocClass::Apply(RelocInfo {
            width,
            needs_got_cell: false,
            branch: false,
        })
    }

    /// `auipc r, hi; ld r, lo(r); jr r; unimp` at `at`, jumping through the pointer at `target`.
    fn jump_through(at: u64, target: u64, reg: u32) -> Result<Vec<u8>, RelocError> {
        if target & 7 != 0 {
            // `ld` of a misaligned slot may trap or tear; slots are swapped atomically.
            return Err(RelocError::Misaligned {
                value: i128::from(target),
                align: 8,
            });
        }
        let delta = i128::from(target) - i128::from(at);
        let (hi, lo) = split_hi_lo(delta)?;
        let words = [
            OPC_AUIPC | (reg << 7) | hi,
            // LD: opcode 0000011, funct3 011.
            0x03 | (reg << 7) | (3 << 12) | (reg << 15) | i_imm(lo),
            // JALR x0, 0(reg).
            OPC_JALR | (reg << 15),
            UNIMP,
        ];
        Ok(words.iter().flat_map(|w| w.to_le_bytes()).collect())
    }
}

/// Split a 32-bit PC-relative or absolute value into the U-type field of `auipc`/`lui`
/// (already in place, bits 31:12) and the sign-extended low 12 bits its I/S partner adds.
/// The high part is rounded so that the partner's signed low part lands exactly on `value`,
/// which is why the reach is `[-2^31 - 2^11, 2^31 - 2^11)` rather than the plain `i32` range.
fn split_hi_lo(value: i128) -> Result<(u32, i128), RelocError> {
    if !fits_signed(value + 0x800, 32) {
        return Err(RelocError::Overflow { value, bits: 32 });
    }
    Ok((hi20(value), value))
}

/// The U-type field of `value`'s high part, without a range check (bits 31:12 in place).
fn hi20(value: i128) -> u32 {
    (((value + 0x800) >> 12) as u32) << 12
}

/// I-type immediate (bits 31:20) of the low 12 bits of `value`.
fn i_imm(value: i128) -> u32 {
    ((value as u32) & 0xfff) << 20
}

/// S-type immediate: imm[11:5] in bits 31:25, imm[4:0] in bits 11:7.
fn s_imm(value: i128) -> u32 {
    let v = (value as u32) & 0xfff;
    ((v >> 5) << 25) | ((v & 0x1f) << 7)
}

/// B-type immediate: imm[12|10:5] in bits 31:25, imm[4:1|11] in bits 11:7.
fn b_imm(value: i128) -> u32 {
    let v = value as u32;
    (((v >> 12) & 1) << 31)
        | (((v >> 5) & 0x3f) << 25)
        | (((v >> 1) & 0xf) << 8)
        | (((v >> 11) & 1) << 7)
}

/// J-type immediate: imm[20|10:1|11|19:12] in bits 31:12.
fn j_imm(value: i128) -> u32 {
    let v = value as u32;
    (((v >> 20) & 1) << 31)
        | (((v >> 1) & 0x3ff) << 21)
        | (((v >> 11) & 1) << 20)
        | (((v >> 12) & 0xff) << 12)
}

/// CB-type (C.BEQZ/C.BNEZ) offset: offset[8|4:3] in bits 12:10, offset[7:6|2:1|5] in bits 6:2.
fn cb_imm(value: i128) -> u16 {
    let v = value as u16;
    (((v >> 8) & 1) << 12)
        | (((v >> 3) & 3) << 10)
        | (((v >> 6) & 3) << 5)
        | (((v >> 1) & 3) << 3)
        | (((v >> 5) & 1) << 2)
}

/// CJ-type (C.J/C.JAL) offset: offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2.
fn cj_imm(value: i128) -> u16 {
    let v = value as u16;
    (((v >> 11) & 1) << 12)
        | (((v >> 4) & 1) << 11)
        | (((v >> 8) & 3) << 9)
        | (((v >> 10) & 1) << 8)
        | (((v >> 6) & 1) << 7)
        | (((v >> 7) & 1) << 6)
        | (((v >> 1) & 7) << 3)
        | (((v >> 5) & 1) << 2)
}

/// A branch displacement: even (instructions are 2-byte aligned at least) and within `bits`.
fn branch_offset(value: i128, bits: u32) -> Result<i128, RelocError> {
    if !fits_signed(value, bits) {
        return Err(RelocError::Overflow { value, bits });
    }
    if value & 1 != 0 {
        return Err(RelocError::Misaligned { value, align: 2 });
    }
    Ok(value)
}

/// Replace the bits of `mask` in the 32-bit instruction at `site` with those of `bits`.
fn patch32(site: &mut [u8], mask: u32, bits: u32) -> Result<(), RelocError> {
    let insn = ((read_le(site, 4)? as u32) & !mask) | (bits & mask);
    write_le(site, i128::from(insn), 4)
}

/// Replace the bits of `mask` in the 16-bit (RVC) instruction at `site` with those of `bits`.
fn patch16(site: &mut [u8], mask: u16, bits: u16) -> Result<(), RelocError> {
    let insn = ((read_le(site, 2)? as u16) & !mask) | (bits & mask);
    write_le(site, i128::from(insn), 2)
}

/// The 6 low bits of the byte at `site` (`word6`), keeping its top two bits.
fn write6(site: &mut [u8], value: i128) -> Result<(), RelocError> {
    let old = read_le(site, 1)? as u8;
    let new = (old & 0xc0) | ((value as u8) & 0x3f);
    write_le(site, i128::from(new), 1)
}

/// Decode the ULEB128 at `site`: (value, encoded length). The field keeps its length when
/// rewritten, since the assembler reserved exactly those bytes.
fn read_uleb(site: &[u8]) -> Result<(i128, usize), RelocError> {
    let mut value = 0i128;
    for (i, &b) in site.iter().enumerate().take(16) {
        value |= i128::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err(RelocError::Invalid(
        "unterminated ULEB128 at the relocation site",
    ))
}

/// Re-encode `value` into the `len`-byte ULEB128 field at `site` (continuation bits on all but
/// the last byte, as the reserved padding had).
fn write_uleb(site: &mut [u8], value: i128, len: usize) -> Result<(), RelocError> {
    let bits = 7 * len as u32;
    if !fits_unsigned(value, bits) {
        return Err(RelocError::Overflow { value, bits });
    }
    let have = site.len();
    let dst = site
        .get_mut(..len)
        .ok_or(RelocError::SiteTooSmall { have, need: len })?;
    for (i, b) in dst.iter_mut().enumerate() {
        let more = if i + 1 < len { 0x80 } else { 0 };
        *b = (((value >> (7 * i)) & 0x7f) as u8) | more;
    }
    Ok(())
}

/// Label arithmetic (`ADDn`/`SUBn`): V + `delta`, wrapping in the field like the assembler's
/// own label differences.
fn add(site: &mut [u8], delta: i128, width: usize) -> Result<(), RelocError> {
    let old = i128::from(read_le(site, width)?);
    write_le(site, old + delta, width)
}

/// Data words: optional range check, then the low `width` bytes.
fn word(site: &mut [u8], value: i128, width: usize, signed: bool) -> Result<(), RelocError> {
    let bits = width as u32 * 8;
    if signed && !fits_signed(value, bits) {
        return Err(RelocError::Overflow { value, bits });
    }
    write_le(site, value, width)
}

impl ArchBackend for Riscv64 {
    fn is_tls_index_reloc(&self, r_type: u32) -> bool {
        r_type == elf::R_RISCV_TLS_GD_HI20
    }

    fn arch(&self) -> LinkArch {
        LinkArch::Riscv64
    }

    fn elf_machine(&self) -> u16 {
        elf::EM_RISCV
    }

    fn uses_rela(&self) -> bool {
        true
    }

    fn reloc_name(&self, r_type: u32) -> Cow<'static, str> {
        let name = match r_type {
            elf::R_RISCV_NONE => "R_RISCV_NONE",
            elf::R_RISCV_32 => "R_RISCV_32",
            elf::R_RISCV_64 => "R_RISCV_64",
            elf::R_RISCV_RELATIVE => "R_RISCV_RELATIVE",
            elf::R_RISCV_COPY => "R_RISCV_COPY",
            elf::R_RISCV_JUMP_SLOT => "R_RISCV_JUMP_SLOT",
            elf::R_RISCV_TLS_DTPMOD32 => "R_RISCV_TLS_DTPMOD32",
            elf::R_RISCV_TLS_DTPMOD64 => "R_RISCV_TLS_DTPMOD64",
            elf::R_RISCV_TLS_DTPREL32 => "R_RISCV_TLS_DTPREL32",
            elf::R_RISCV_TLS_DTPREL64 => "R_RISCV_TLS_DTPREL64",
            elf::R_RISCV_TLS_TPREL32 => "R_RISCV_TLS_TPREL32",
            elf::R_RISCV_TLS_TPREL64 => "R_RISCV_TLS_TPREL64",
            elf::R_RISCV_TLSDESC => "R_RISCV_TLSDESC",
            elf::R_RISCV_BRANCH => "R_RISCV_BRANCH",
            elf::R_RISCV_JAL => "R_RISCV_JAL",
            elf::R_RISCV_CALL => "R_RISCV_CALL",
            elf::R_RISCV_CALL_PLT => "R_RISCV_CALL_PLT",
            elf::R_RISCV_GOT_HI20 => "R_RISCV_GOT_HI20",
            elf::R_RISCV_TLS_GOT_HI20 => "R_RISCV_TLS_GOT_HI20",
            elf::R_RISCV_TLS_GD_HI20 => "R_RISCV_TLS_GD_HI20",
            elf::R_RISCV_PCREL_HI20 => "R_RISCV_PCREL_HI20",
            elf::R_RISCV_PCREL_LO12_I => "R_RISCV_PCREL_LO12_I",
            elf::R_RISCV_PCREL_LO12_S => "R_RISCV_PCREL_LO12_S",
            elf::R_RISCV_HI20 => "R_RISCV_HI20",
            elf::R_RISCV_LO12_I => "R_RISCV_LO12_I",
            elf::R_RISCV_LO12_S => "R_RISCV_LO12_S",
            elf::R_RISCV_TPREL_HI20 => "R_RISCV_TPREL_HI20",
            elf::R_RISCV_TPREL_LO12_I => "R_RISCV_TPREL_LO12_I",
            elf::R_RISCV_TPREL_LO12_S => "R_RISCV_TPREL_LO12_S",
            elf::R_RISCV_TPREL_ADD => "R_RISCV_TPREL_ADD",
            elf::R_RISCV_ADD8 => "R_RISCV_ADD8",
            elf::R_RISCV_ADD16 => "R_RISCV_ADD16",
            elf::R_RISCV_ADD32 => "R_RISCV_ADD32",
            elf::R_RISCV_ADD64 => "R_RISCV_ADD64",
            elf::R_RISCV_SUB8 => "R_RISCV_SUB8",
            elf::R_RISCV_SUB16 => "R_RISCV_SUB16",
            elf::R_RISCV_SUB32 => "R_RISCV_SUB32",
            elf::R_RISCV_SUB64 => "R_RISCV_SUB64",
            elf::R_RISCV_GOT32_PCREL => "R_RISCV_GOT32_PCREL",
            elf::R_RISCV_ALIGN => "R_RISCV_ALIGN",
            elf::R_RISCV_RVC_BRANCH => "R_RISCV_RVC_BRANCH",
            elf::R_RISCV_RVC_JUMP => "R_RISCV_RVC_JUMP",
            elf::R_RISCV_RVC_LUI => "R_RISCV_RVC_LUI",
            // 47..=49 are the GP-relative types in the current psABI.
            47 => "R_RISCV_GPREL_LO12_I",
            48 => "R_RISCV_GPREL_LO12_S",
            49 => "R_RISCV_GPREL_HI20",
            elf::R_RISCV_RELAX => "R_RISCV_RELAX",
            elf::R_RISCV_SUB6 => "R_RISCV_SUB6",
            elf::R_RISCV_SET6 => "R_RISCV_SET6",
            elf::R_RISCV_SET8 => "R_RISCV_SET8",
            elf::R_RISCV_SET16 => "R_RISCV_SET16",
            elf::R_RISCV_SET32 => "R_RISCV_SET32",
            elf::R_RISCV_32_PCREL => "R_RISCV_32_PCREL",
            elf::R_RISCV_IRELATIVE => "R_RISCV_IRELATIVE",
            elf::R_RISCV_PLT32 => "R_RISCV_PLT32",
            elf::R_RISCV_SET_ULEB128 => "R_RISCV_SET_ULEB128",
            elf::R_RISCV_SUB_ULEB128 => "R_RISCV_SUB_ULEB128",
            elf::R_RISCV_TLSDESC_HI20 => "R_RISCV_TLSDESC_HI20",
            elf::R_RISCV_TLSDESC_LOAD_LO12 => "R_RISCV_TLSDESC_LOAD_LO12",
            elf::R_RISCV_TLSDESC_ADD_LO12 => "R_RISCV_TLSDESC_ADD_LO12",
            elf::R_RISCV_TLSDESC_CALL => "R_RISCV_TLSDESC_CALL",
            other => return Cow::Owned(format!("riscv64 r_type {other}")),
        };
        Cow::Borrowed(name)
    }

    fn classify(&self, r_type: u32) -> RelocClass {
        match r_type {
            // RELAX marks relaxable code and ALIGN padding a relaxing linker would shrink; both
            // leave the assembler's bytes as they are here (see the module docs).
            elf::R_RISCV_NONE | elf::R_RISCV_RELAX | elf::R_RISCV_ALIGN => RelocClass::None,
            elf::R_RISCV_64 | elf::R_RISCV_ADD64 | elf::R_RISCV_SUB64 => Self::info(8),
            elf::R_RISCV_32
            | elf::R_RISCV_32_PCREL
            | elf::R_RISCV_PLT32
            | elf::R_RISCV_ADD32
            | elf::R_RISCV_SUB32
            | elf::R_RISCV_SET32 => Self::info(4),
            elf::R_RISCV_ADD16 | elf::R_RISCV_SUB16 | elf::R_RISCV_SET16 => Self::info(2),
            elf::R_RISCV_ADD8
            | elf::R_RISCV_SUB8
            | elf::R_RISCV_SET8
            | elf::R_RISCV_SUB6
            | elf::R_RISCV_SET6 => Self::info(1),
            // Variable length: at least one byte; `apply` finds the reserved length.
            elf::R_RISCV_SET_ULEB128 | elf::R_RISCV_SUB_ULEB128 => Self::info(1),
            elf::R_RISCV_CALL | elf::R_RISCV_CALL_PLT => RelocClass::Apply(RelocInfo {
                width: 8,
                needs_got_cell: false,
                branch: true,
            }),
            elf::R_RISCV_BRANCH
            | elf::R_RISCV_JAL
            | elf::R_RISCV_PCREL_HI20
            | elf::R_RISCV_PCREL_LO12_I
            | elf::R_RISCV_PCREL_LO12_S
            | elf::R_RISCV_HI20
            | elf::R_RISCV_LO12_I
            | elf::R_RISCV_LO12_S => Self::info(4),
            elf::R_RISCV_RVC_BRANCH | elf::R_RISCV_RVC_JUMP => Self::info(2),
            // General dynamic (`la.tls.gd`): the cell is `__tls_get_addr`'s argument.
            elf::R_RISCV_GOT_HI20 | elf::R_RISCV_GOT32_PCREL | elf::R_RISCV_TLS_GD_HI20 => {
                RelocClass::Apply(RelocInfo {
                    width: 4,
                    needs_got_cell: true,
                    branch: false,
                })
            }
            elf::R_RISCV_TLS_DTPMOD32
            | elf::R_RISCV_TLS_DTPMOD64
            | elf::R_RISCV_TLS_DTPREL32
            | elf::R_RISCV_TLS_DTPREL64
            | elf::R_RISCV_TLS_TPREL32
            | elf::R_RISCV_TLS_TPREL64
            | elf::R_RISCV_TLSDESC
            | elf::R_RISCV_TLS_GOT_HI20
            | elf::R_RISCV_TPREL_HI20
            | elf::R_RISCV_TPREL_LO12_I
            | elf::R_RISCV_TPREL_LO12_S
            | elf::R_RISCV_TPREL_ADD
            | elf::R_RISCV_TLSDESC_HI20
            | elf::R_RISCV_TLSDESC_LOAD_LO12
            | elf::R_RISCV_TLSDESC_ADD_LO12
            | elf::R_RISCV_TLSDESC_CALL => RelocClass::Tls,
            // Dynamic-only types, IFUNC, GP-relative types (no `__global_pointer$` in a JIT
            // image), the withdrawn RVC_LUI.
            _ => RelocClass::Unsupported,
        }
    }

    fn apply(&self, r_type: u32, v: &RelocValues, site: &mut [u8]) -> Result<(), RelocError> {
        let s = i128::from(v.s);
        let a = i128::from(v.a);
        let p = i128::from(v.p);
        let g = i128::from(v.got_cell);
        let sa = s + a;
        let pc_rel = sa - p;
        match r_type {
            elf::R_RISCV_NONE | elf::R_RISCV_RELAX | elf::R_RISCV_ALIGN => Ok(()),
            elf::R_RISCV_64 => word(site, sa, 8, false),
            // No psABI range check for word32; a value that fits neither u32 nor i32 would be
            // silently wrong, so it is reported.
            elf::R_RISCV_32 => {
                if !fits_signed(sa, 32) && !fits_unsigned(sa, 32) {
                    return Err(RelocError::Overflow {
                        value: sa,
                        bits: 32,
                    });
                }
                word(site, sa, 4, false)
            }
            elf::R_RISCV_32_PCREL | elf::R_RISCV_PLT32 => word(site, pc_rel, 4, true),
            elf::R_RISCV_GOT32_PCREL => word(site, g + a - p, 4, true),

            elf::R_RISCV_ADD8 => add(site, sa, 1),
            elf::R_RISCV_ADD16 => add(site, sa, 2),
            elf::R_RISCV_ADD32 => add(site, sa, 4),
            elf::R_RISCV_ADD64 => add(site, sa, 8),
            elf::R_RISCV_SUB6 => {
                let old = i128::from(read_le(site, 1)?);
                write6(site, old - sa)
            }
            elf::R_RISCV_SUB8 => add(site, -sa, 1),
            elf::R_RISCV_SUB16 => add(site, -sa, 2),
            elf::R_RISCV_SUB32 => add(site, -sa, 4),
            elf::R_RISCV_SUB64 => add(site, -sa, 8),
            elf::R_RISCV_SET6 => write6(site, sa),
            elf::R_RISCV_SET8 => word(site, sa, 1, false),
            elf::R_RISCV_SET16 => word(site, sa, 2, false),
            elf::R_RISCV_SET32 => word(site, sa, 4, false),
            elf::R_RISCV_SET_ULEB128 => {
                let (_, len) = read_uleb(site)?;
                write_uleb(site, sa, len)
            }
            elf::R_RISCV_SUB_ULEB128 => {
                let (value, len) = read_uleb(site)?;
                write_uleb(site, value - sa, len)
            }

            elf::R_RISCV_BRANCH => patch32(site, B_IMM, b_imm(branch_offset(pc_rel, 13)?)),
            elf::R_RISCV_JAL => patch32(site, J_IMM, j_imm(branch_offset(pc_rel, 21)?)),
            elf::R_RISCV_RVC_BRANCH => patch16(site, CB_IMM, cb_imm(branch_offset(pc_rel, 9)?)),
            elf::R_RISCV_RVC_JUMP => patch16(site, CJ_IMM, cj_imm(branch_offset(pc_rel, 12)?)),
            elf::R_RISCV_CALL | elf::R_RISCV_CALL_PLT => {
                let (hi, lo) = split_hi_lo(pc_rel)?;
                let have = site.len();
                if have < 8 {
                    return Err(RelocError::SiteTooSmall { have, need: 8 });
                }
                patch32(site, U_IMM, hi)?;
                patch32(&mut site[4..], I_IMM, i_imm(lo))
            }
            elf::R_RISCV_PCREL_HI20 => patch32(site, U_IMM, split_hi_lo(pc_rel)?.0),
            elf::R_RISCV_GOT_HI20 | elf::R_RISCV_TLS_GD_HI20 => {
                patch32(site, U_IMM, split_hi_lo(g + a - p)?.0)
            }
            elf::R_RISCV_HI20 => patch32(site, U_IMM, split_hi_lo(sa)?.0),
            // The session passed the high part's values (see `pcrel_lo_pair`): S + A − P is the
            // very value the AUIPC's high part was computed from, and was range-checked there.
            elf::R_RISCV_PCREL_LO12_I => patch32(site, I_IMM, i_imm(pc_rel)),
            elf::R_RISCV_PCREL_LO12_S => patch32(site, S_IMM, s_imm(pc_rel)),
            elf::R_RISCV_LO12_I => patch32(site, I_IMM, i_imm(sa)),
            elf::R_RISCV_LO12_S => patch32(site, S_IMM, s_imm(sa)),
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
            elf::R_RISCV_NONE
            | elf::R_RISCV_64
            | elf::R_RISCV_32
            | elf::R_RISCV_ADD8
            | elf::R_RISCV_ADD16
            | elf::R_RISCV_ADD32
            | elf::R_RISCV_ADD64
            | elf::R_RISCV_SUB6
            | elf::R_RISCV_SUB8
            | elf::R_RISCV_SUB16
            | elf::R_RISCV_SUB32
            | elf::R_RISCV_SUB64
            | elf::R_RISCV_SET6
            | elf::R_RISCV_SET8
            | elf::R_RISCV_SET16
            | elf::R_RISCV_SET32
            | elf::R_RISCV_SET_ULEB128
            | elf::R_RISCV_SUB_ULEB128 => {
                let values = RelocValues {
                    s: v.s,
                    a: v.a,
                    ..Default::default()
                };
                self.apply(r_type, &values, site)
            }
            elf::R_RISCV_TLS_DTPREL64 => {
                let off = v.tls_offset.ok_or(RelocError::Invalid(
                    "a DTP-relative relocation needs a thread-local target",
                ))?;
                self.apply(
                    elf::R_RISCV_64,
                    &RelocValues {
                        s: off,
                        a: v.a,
                        ..Default::default()
                    },
                    site,
                )
            }
            elf::R_RISCV_TLS_DTPREL32 => {
                let off = v.tls_offset.ok_or(RelocError::Invalid(
                    "a DTP-relative relocation needs a thread-local target",
                ))?;
                self.apply(
                    elf::R_RISCV_32,
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
        if r_type != elf::R_RISCV_CALL && r_type != elf::R_RISCV_CALL_PLT {
            return false;
        }
        // `call`/`tail` expand to `auipc rX, hi; jalr rd, lo(rX)`: redirecting the pair to a
        // stub keeps its link register (ra for calls, x0 for tail calls) and clobbers only rX,
        // which the sequence itself overwrites.
        let insn = |at: usize| {
            section
                .get(at..)
                .and_then(|s| read_le(s, 4).ok())
                .map(|w| w as u32)
        };
        let (Some(auipc), Some(jalr)) = (insn(offset), offset.checked_add(4).and_then(insn)) else {
            return false;
        };
        auipc & 0x7f == OPC_AUIPC
            && jalr & 0x707f == OPC_JALR
            && (jalr >> 15) & 0x1f == (auipc >> 7) & 0x1f
    }

    fn branch_reaches(&self, r_type: u32, value: i128) -> bool {
        match r_type {
            elf::R_RISCV_CALL | elf::R_RISCV_CALL_PLT => split_hi_lo(value).is_ok(),
            _ => true,
        }
    }

    fn pcrel_lo_pair(&self, r_type: u32) -> bool {
        matches!(
            r_type,
            elf::R_RISCV_PCREL_LO12_I | elf::R_RISCV_PCREL_LO12_S
        )
    }

    fn branch_target_delta(&self, _r_type: u32, addend: i64) -> i64 {
        // The AUIPC+JALR displacement is relative to the AUIPC itself: the target is S + A.
        addend
    }

    fn pointer_reloc(&self) -> u32 {
        elf::R_RISCV_64
    }

    fn got_stub_size(&self) -> u64 {
        STUB_SIZE
    }

    fn encode_got_stub(&self, stub_addr: u64, cell_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jump_through(stub_addr, cell_addr, T1)
    }

    fn reload_entry_size(&self) -> u64 {
        RELOAD_ENTRY_SIZE
    }

    fn encode_reload_entry(&self, entry_addr: u64, slot_addr: u64) -> Result<Vec<u8>, RelocError> {
        Self::jump_through(entry_addr, slot_addr, T0)
    }

    fn max_image_span(&self) -> u64 {
        // AUIPC pairs and 32_PCREL reach ±2 GiB (minus 2 KiB for the rounding of the high
        // part); keep a page of margin below that.
        (1u64 << 31) - 0x1000
    }
}

#[cfg(test)]
mod tests {
    use super::super::cross_tools::Cross;
    use super::*;

    #[test]
    fn nonalloc_data_and_label_difference_forms() {
        let na = |r_type, s, a, site: &mut [u8]| {
            Riscv64.apply_nonalloc(
                r_type,
                &NonAllocValues {
                    s,
                    a,
                    tls_offset: None,
                },
                site,
            )
        };
        let mut site = [0u8; 8];
        na(elf::R_RISCV_64, 0x1_0000_2000, 4, &mut site).unwrap();
        assert_eq!(site, 0x1_0000_2004u64.to_le_bytes());
        // A label difference as relaxing assemblers leave it in .debug_line: ADD then SUB.
        let mut site = [0u8; 4];
        na(elf::R_RISCV_ADD32, 0x2010, 0, &mut site).unwrap();
        na(elf::R_RISCV_SUB32, 0x2000, 0, &mut site).unwrap();
        assert_eq!(site, 0x10u32.to_le_bytes());
        let mut site = [0u8; 8];
        assert_eq!(
            na(elf::R_RISCV_CALL, 0, 0, &mut site),
            Err(RelocError::Unsupported)
        );
    }

    fn values(s: u64, a: i64, p: u64) -> RelocValues {
        RelocValues {
            s,
            a,
            p,
            ..Default::default()
        }
    }

    fn insn(r_type: u32, v: RelocValues, insn: u32) -> Result<u32, RelocError> {
        let mut site = insn.to_le_bytes().to_vec();
        Riscv64.apply(r_type, &v, &mut site)?;
        Ok(read_le(&site, 4)? as u32)
    }

    fn insn16(r_type: u32, v: RelocValues, insn: u16) -> Result<u16, RelocError> {
        let mut site = insn.to_le_bytes().to_vec();
        Riscv64.apply(r_type, &v, &mut site)?;
        Ok(read_le(&site, 2)? as u16)
    }

    fn data(r_type: u32, v: RelocValues, before: &[u8]) -> Result<Vec<u8>, RelocError> {
        let mut site = before.to_vec();
        site.extend_from_slice(&[0xaa, 0xaa]);
        Riscv64.apply(r_type, &v, &mut site)?;
        assert_eq!(
            &site[before.len()..],
            &[0xaa, 0xaa],
            "writes inside the field"
        );
        site.truncate(before.len());
        Ok(site)
    }

    // Zero-immediate encodings from the RISC-V unprivileged ISA manual's base opcode map.
    const AUIPC_A0: u32 = 0x0000_0517;
    const LUI_A0: u32 = 0x0000_0537;
    const ADDI_A0_A0: u32 = 0x0005_0513;
    const SD_A1_0_A0: u32 = 0x00b5_3023;
    const BEQ_A0_A1: u32 = 0x00b5_0063;
    const JAL_RA: u32 = 0x0000_00ef;
    const JALR_RA_RA: u32 = 0x0000_80e7;
    const C_BEQZ_A0: u16 = 0xc101;
    const C_J: u16 = 0xa001;

    #[test]
    fn hi20_rounds_for_the_signed_low_part() {
        // 0x12345fff: low part 0xfff is -1, so the high part rounds up to 0x12346.
        assert_eq!(
            insn(elf::R_RISCV_HI20, values(0x1234_5fff, 0, 0), LUI_A0),
            Ok(LUI_A0 | 0x1234_6000)
        );
        assert_eq!(
            insn(elf::R_RISCV_LO12_I, values(0x1234_5fff, 0, 0), ADDI_A0_A0),
            Ok(ADDI_A0_A0 | 0xfff0_0000)
        );
        assert_eq!(
            insn(elf::R_RISCV_HI20, values(0x1234_57ff, 0, 0), LUI_A0),
            Ok(LUI_A0 | 0x1234_5000)
        );
        // Reach: [-2^31 - 2^11, 2^31 - 2^11).
        assert!(insn(elf::R_RISCV_HI20, values(0x7fff_f7ff, 0, 0), LUI_A0).is_ok());
        assert!(matches!(
            insn(elf::R_RISCV_HI20, values(0x7fff_f800, 0, 0), LUI_A0),
            Err(RelocError::Overflow { bits: 32, .. })
        ));
        assert!(insn(elf::R_RISCV_PCREL_HI20, values(0, 0, 0x8000_0800), AUIPC_A0).is_ok());
        assert!(insn(elf::R_RISCV_PCREL_HI20, values(0, 0, 0x8000_0801), AUIPC_A0).is_err());
        // S-type: 0x7e5 -> imm[11:5] = 0x3f at bits 31:25, imm[4:0] = 5 at bits 11:7.
        assert_eq!(
            insn(elf::R_RISCV_LO12_S, values(0x7e5, 0, 0), SD_A1_0_A0),
            Ok(SD_A1_0_A0 | (0x3f << 25) | (5 << 7))
        );
    }

    #[test]
    fn pcrel_pairs_use_the_high_part_values() {
        // S + A - P = 0x1800: high part 0x2 (rounded), low part -0x800.
        let hi = values(0x1_1800, 0, 0x1_0000);
        assert_eq!(
            insn(elf::R_RISCV_PCREL_HI20, hi, AUIPC_A0),
            Ok(AUIPC_A0 | 0x2000)
        );
        assert_eq!(
            insn(elf::R_RISCV_PCREL_LO12_I, hi, ADDI_A0_A0),
            Ok(ADDI_A0_A0 | 0x8000_0000)
        );
        // -0x800 in S-type: imm[11:5] = 0x40, imm[4:0] = 0.
        assert_eq!(
            insn(elf::R_RISCV_PCREL_LO12_S, hi, SD_A1_0_A0),
            Ok(SD_A1_0_A0 | (0x40 << 25))
        );
        assert!(Riscv64.pcrel_lo_pair(elf::R_RISCV_PCREL_LO12_I));
        assert!(Riscv64.pcrel_lo_pair(elf::R_RISCV_PCREL_LO12_S));
        assert!(!Riscv64.pcrel_lo_pair(elf::R_RISCV_LO12_I));
        let got = RelocValues {
            got_cell: 0x3008,
            ..values(0xdead_beef, 0, 0x1000)
        };
        assert_eq!(
            insn(elf::R_RISCV_GOT_HI20, got, AUIPC_A0),
            Ok(AUIPC_A0 | 0x2000)
        );
    }

    #[test]
    fn call_pair() {
        // +0x1234_5ffc: auipc 0x12346, jalr -4.
        let mut site = [AUIPC_A0 & !0xf80 | (1 << 7), JALR_RA_RA]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect::<Vec<u8>>();
        Riscv64
            .apply(
                elf::R_RISCV_CALL_PLT,
                &values(0x1234_5ffc + 0x100, 0, 0x100),
                &mut site,
            )
            .unwrap();
        assert_eq!(read_le(&site, 4).unwrap() as u32, 0x1234_6097);
        assert_eq!(read_le(&site[4..], 4).unwrap() as u32, 0xffc0_80e7);
        let mut short = [0u8; 4];
        assert_eq!(
            Riscv64.apply(elf::R_RISCV_CALL, &values(0, 0, 0), &mut short),
            Err(RelocError::SiteTooSmall { have: 4, need: 8 })
        );
        assert!(Riscv64.branch_reaches(elf::R_RISCV_CALL, 0x7fff_f7ff));
        assert!(!Riscv64.branch_reaches(elf::R_RISCV_CALL, 0x7fff_f800));
        assert!(Riscv64.branch_reaches(elf::R_RISCV_CALL_PLT, -0x8000_0800));
        assert!(!Riscv64.branch_reaches(elf::R_RISCV_CALL_PLT, -0x8000_0801));
    }

    #[test]
    fn branches_and_jumps() {
        // beq +0x800: imm[11] = 1 -> bit 7; imm[10:1] = 0.
        assert_eq!(
            insn(elf::R_RISCV_BRANCH, values(0x800, 0, 0), BEQ_A0_A1),
            Ok(BEQ_A0_A1 | (1 << 7))
        );
        // beq -2: all immediate bits set.
        assert_eq!(
            insn(elf::R_RISCV_BRANCH, values(0, 0, 2), BEQ_A0_A1),
            Ok(BEQ_A0_A1 | B_IMM)
        );
        // beq +0x1e: imm[4:1] = 0xf -> bits 11:8.
        assert_eq!(
            insn(elf::R_RISCV_BRANCH, values(0x1e, 0, 0), BEQ_A0_A1),
            Ok(BEQ_A0_A1 | (0xf << 8))
        );
        assert!(insn(elf::R_RISCV_BRANCH, values(0x1000, 0, 0), BEQ_A0_A1).is_err());
        assert!(insn(elf::R_RISCV_BRANCH, values(0, 0, 0x1000), BEQ_A0_A1).is_ok());
        assert_eq!(
            insn(elf::R_RISCV_BRANCH, values(3, 0, 0), BEQ_A0_A1),
            Err(RelocError::Misaligned { value: 3, align: 2 })
        );
        // jal +0x800 (imm[11] -> bit 20), +0x1000 (imm[12] -> bit 12), +2 (imm[1] -> bit 21).
        assert_eq!(
            insn(elf::R_RISCV_JAL, values(0x800, 0, 0), JAL_RA),
            Ok(JAL_RA | (1 << 20))
        );
        assert_eq!(
            insn(elf::R_RISCV_JAL, values(0x1000, 0, 0), JAL_RA),
            Ok(JAL_RA | (1 << 12))
        );
        assert_eq!(
            insn(elf::R_RISCV_JAL, values(2, 0, 0), JAL_RA),
            Ok(JAL_RA | (1 << 21))
        );
        assert_eq!(
            insn(elf::R_RISCV_JAL, values(0, 0, 0x10_0000), JAL_RA),
            Ok(JAL_RA | (1 << 31))
        );
        assert!(insn(elf::R_RISCV_JAL, values(0x10_0000, 0, 0), JAL_RA).is_err());
        // c.beqz +0x100 is out of reach (±256), -0x100 is the far end; -2 sets every bit.
        assert!(insn16(elf::R_RISCV_RVC_BRANCH, values(0x100, 0, 0), C_BEQZ_A0).is_err());
        assert_eq!(
            insn16(elf::R_RISCV_RVC_BRANCH, values(0, 0, 0x100), C_BEQZ_A0),
            Ok(C_BEQZ_A0 | (1 << 12))
        );
        assert_eq!(
            insn16(elf::R_RISCV_RVC_BRANCH, values(0, 0, 2), C_BEQZ_A0),
            Ok(C_BEQZ_A0 | CB_IMM)
        );
        // c.j +0x20 (offset[5] -> bit 2), -2 (all bits), +0x800 out of reach.
        assert_eq!(
            insn16(elf::R_RISCV_RVC_JUMP, values(0x20, 0, 0), C_J),
            Ok(C_J | (1 << 2))
        );
        assert_eq!(
            insn16(elf::R_RISCV_RVC_JUMP, values(0, 0, 2), C_J),
            Ok(C_J | CJ_IMM)
        );
        assert!(insn16(elf::R_RISCV_RVC_JUMP, values(0x800, 0, 0), C_J).is_err());
    }

    #[test]
    fn label_arithmetic() {
        let v = values(0x10, 2, 0);
        assert_eq!(data(elf::R_RISCV_ADD8, v, &[0x05]), Ok(vec![0x17]));
        assert_eq!(data(elf::R_RISCV_SUB8, v, &[0x05]), Ok(vec![0xf3]));
        assert_eq!(
            data(elf::R_RISCV_ADD16, v, &[0xff, 0xff]),
            Ok(vec![0x11, 0x00])
        );
        assert_eq!(
            data(elf::R_RISCV_SUB32, v, &[0x20, 0, 0, 0]),
            Ok(vec![0x0e, 0, 0, 0])
        );
        assert_eq!(
            data(
                elf::R_RISCV_ADD64,
                values(u64::MAX, 0, 0),
                &[2, 0, 0, 0, 0, 0, 0, 0]
            ),
            Ok(vec![1, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            data(elf::R_RISCV_SUB64, v, &[0x12, 0, 0, 0, 0, 0, 0, 0]),
            Ok(vec![0; 8])
        );
        // word6: the top two bits of the byte (a DW_CFA_advance_loc opcode) survive.
        assert_eq!(data(elf::R_RISCV_SUB6, v, &[0x52]), Ok(vec![0x40]));
        assert_eq!(data(elf::R_RISCV_SET6, v, &[0x7f]), Ok(vec![0x52]));
        assert_eq!(data(elf::R_RISCV_SET8, v, &[0xff]), Ok(vec![0x12]));
        assert_eq!(
            data(elf::R_RISCV_SET16, v, &[0xff, 0xff]),
            Ok(vec![0x12, 0])
        );
        assert_eq!(
            data(elf::R_RISCV_SET32, v, &[0xff; 4]),
            Ok(vec![0x12, 0, 0, 0])
        );
    }

    #[test]
    fn uleb128_pairs_keep_their_length() {
        // Reserved as three bytes (0x80 0x80 0x00); SET writes 300, SUB subtracts 44 -> 256.
        let mut site = vec![0x80, 0x80, 0x00, 0xaa];
        Riscv64
            .apply(elf::R_RISCV_SET_ULEB128, &values(290, 10, 0), &mut site)
            .unwrap();
        assert_eq!(site, [0xac, 0x82, 0x00, 0xaa]);
        Riscv64
            .apply(elf::R_RISCV_SUB_ULEB128, &values(40, 4, 0), &mut site)
            .unwrap();
        assert_eq!(site, [0x80, 0x82, 0x00, 0xaa]);
        // A one-byte field cannot hold 128; a negative difference is an error too.
        let mut one = vec![0x00];
        assert!(matches!(
            Riscv64.apply(elf::R_RISCV_SET_ULEB128, &values(128, 0, 0), &mut one),
            Err(RelocError::Overflow { bits: 7, .. })
        ));
        assert!(Riscv64
            .apply(elf::R_RISCV_SUB_ULEB128, &values(1, 0, 0), &mut one)
            .is_err());
        let mut open = vec![0x80, 0x80];
        assert!(matches!(
            Riscv64.apply(elf::R_RISCV_SET_ULEB128, &values(1, 0, 0), &mut open),
            Err(RelocError::Invalid(_))
        ));
    }

    #[test]
    fn data_words() {
        let v = RelocValues {
            got_cell: 0x3000,
            ..values(0x1_0000_1000, 4, 0x2000)
        };
        assert_eq!(
            data(elf::R_RISCV_64, v, &[0; 8]),
            Ok(0x1_0000_1004u64.to_le_bytes().to_vec())
        );
        assert!(data(elf::R_RISCV_32, v, &[0; 4]).is_err());
        assert_eq!(
            data(elf::R_RISCV_32, values(0xffff_fff0, 0, 0), &[0; 4]),
            Ok(vec![0xf0, 0xff, 0xff, 0xff])
        );
        assert_eq!(
            data(elf::R_RISCV_GOT32_PCREL, v, &[0; 4]),
            Ok(0x1004u32.to_le_bytes().to_vec())
        );
        assert!(data(elf::R_RISCV_32_PCREL, v, &[0; 4]).is_err());
        assert_eq!(
            data(elf::R_RISCV_32_PCREL, values(0x1000, 0, 0x2000), &[0; 4]),
            Ok((-0x1000i32).to_le_bytes().to_vec())
        );
        assert_eq!(
            data(elf::R_RISCV_PLT32, values(0x3000, 0, 0x2000), &[0; 4]),
            Ok(0x1000u32.to_le_bytes().to_vec())
        );
        for t in [elf::R_RISCV_NONE, elf::R_RISCV_RELAX, elf::R_RISCV_ALIGN] {
            assert_eq!(Riscv64.classify(t), RelocClass::None);
            assert_eq!(data(t, v, &[1, 2, 3, 4]), Ok(vec![1, 2, 3, 4]));
        }
    }

    #[test]
    fn call_sites_are_auipc_jalr_pairs() {
        // call (auipc ra / jalr ra, ra), tail (auipc t1 / jr t1), then auipc a0 / addi.
        let code: Vec<u8> = [0x0000_0097u32, JALR_RA_RA, 0x0000_0317, 0x0003_0067]
            .iter()
            .chain([AUIPC_A0, ADDI_A0_A0].iter())
            .flat_map(|w| w.to_le_bytes())
            .collect();
        assert!(Riscv64.is_branch_site(elf::R_RISCV_CALL_PLT, &code, 0));
        assert!(Riscv64.is_branch_site(elf::R_RISCV_CALL, &code, 8));
        assert!(!Riscv64.is_branch_site(elf::R_RISCV_CALL, &code, 16));
        // The JALR must use the AUIPC's register.
        assert!(!Riscv64.is_branch_site(elf::R_RISCV_CALL, &code[4..12], 0));
        assert!(!Riscv64.is_branch_site(elf::R_RISCV_CALL, &code, 20));
        assert!(!Riscv64.is_branch_site(elf::R_RISCV_JAL, &code, 0));
    }

    #[test]
    fn triples_map_to_the_backend() {
        let t = |s: &str| LinkArch::from_triple(&s.parse().expect("triple"));
        assert_eq!(t("riscv64gc-unknown-linux-gnu"), Ok(LinkArch::Riscv64));
        assert_eq!(t("riscv64-unknown-linux-gnu"), Ok(LinkArch::Riscv64));
        assert!(t("riscv32imac-unknown-none-elf").is_err());
        assert_eq!(
            crate::arch::backend(LinkArch::Riscv64).arch(),
            LinkArch::Riscv64
        );
        assert_eq!(LinkArch::Riscv64.to_string(), "riscv64");
    }

    #[test]
    fn classification() {
        assert_eq!(Riscv64.classify(elf::R_RISCV_TPREL_HI20), RelocClass::Tls);
        assert!(matches!(
            Riscv64.classify(elf::R_RISCV_TLS_GD_HI20),
            RelocClass::Apply(RelocInfo {
                needs_got_cell: true,
                ..
            })
        ));
        assert!(Riscv64.is_tls_index_reloc(elf::R_RISCV_TLS_GD_HI20));
        assert_eq!(Riscv64.classify(elf::R_RISCV_TLSDESC_CALL), RelocClass::Tls);
        assert_eq!(
            Riscv64.classify(elf::R_RISCV_JUMP_SLOT),
            RelocClass::Unsupported
        );
        assert_eq!(Riscv64.classify(47), RelocClass::Unsupported);
        assert!(matches!(
            Riscv64.classify(elf::R_RISCV_CALL_PLT),
            RelocClass::Apply(RelocInfo {
                width: 8,
                branch: true,
                ..
            })
        ));
        assert!(matches!(
            Riscv64.classify(elf::R_RISCV_GOT_HI20),
            RelocClass::Apply(RelocInfo {
                needs_got_cell: true,
                ..
            })
        ));
        assert_eq!(
            Riscv64.reloc_name(elf::R_RISCV_CALL_PLT),
            "R_RISCV_CALL_PLT"
        );
    }

    const CROSS: Cross = Cross {
        prefix: "riscv64-linux-gnu",
        package: "binutils-riscv64-linux-gnu",
    };

    /// What GNU as + ld (no relaxation) make of HOT_RELOAD.md's RISC-V entry with register
    /// `reg` at `entry`, jumping through the 8-byte slot at `slot`, padded with a 4-byte `unimp`.
    fn gnu_jump_through(reg: &str, entry: u64, slot: u64) -> Vec<u8> {
        let asm = format!(
            ".option norvc\n\
             .text\n.globl _start\n_start:\n\
             1: auipc {reg}, %pcrel_hi(slot)\n\
             ld {reg}, %pcrel_lo(1b)({reg})\n\
             jr {reg}\n\
             unimp\n\
             .data\n.balign 8\nslot: .quad 0\n"
        );
        let text = format!("-Ttext={entry:#x}");
        let data = format!("-Tdata={slot:#x}");
        CROSS.link_section(
            &asm,
            &["-march=rv64gc"],
            &["--no-relax", &text, &data],
            ".text",
        )
    }

    #[test]
    fn reload_entry_and_stub_match_gnu_as() {
        for (entry, slot) in [
            (0x40_0000, 0x40_0010),
            (0x1000_0000, 0x1234_5ff8),
            (0x7000_1ff0, 0x1000_0800),
            (0x2000_0f00, 0x2000_0808),
            (0x1000, 0x7fff_f008),
        ] {
            let entry_bytes = gnu_jump_through("t0", entry, slot);
            assert_eq!(entry_bytes.len(), 16);
            assert_eq!(
                Riscv64.encode_reload_entry(entry, slot).unwrap(),
                entry_bytes,
                "reload entry at {entry:#x} through {slot:#x}"
            );
            assert_eq!(
                Riscv64.encode_got_stub(entry, slot).unwrap(),
                gnu_jump_through("t1", entry, slot),
                "stub at {entry:#x} through {slot:#x}"
            );
        }
        assert_eq!(Riscv64.reload_entry_size(), 16);
        assert_eq!(Riscv64.got_stub_size(), 16);
    }

    #[test]
    fn stubs_need_an_aligned_slot_in_reach() {
        assert!(matches!(
            Riscv64.encode_got_stub(0x1000, 0x2004),
            Err(RelocError::Misaligned { align: 8, .. })
        ));
        assert!(matches!(
            Riscv64.encode_reload_entry(0, 0x8000_0000),
            Err(RelocError::Overflow { bits: 32, .. })
        ));
    }
}

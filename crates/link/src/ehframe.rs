//! `.eh_frame` editing: dropping FDEs that describe code that was not placed.
//!
//! When a COMDAT group loses, its functions are discarded but the object's `.eh_frame` still
//! has FDEs for them. Registering those would describe code at a wrong address, so they are
//! removed before placement, and the CIE pointers of the FDEs that follow are re-based.

use std::collections::HashMap;

use crate::input::ParsedReloc;

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_u64(data: &[u8], at: usize) -> Option<u64> {
    let b = data.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

/// Remove the FDEs containing a relocation for which `keep` is false.
///
/// Returns the new contents (without a terminator) and the surviving relocations with their
/// offsets adjusted. Anything after a zero terminator is dropped.
pub(crate) fn prune_fdes(
    data: &[u8],
    relocs: &[ParsedReloc],
    keep: impl Fn(&ParsedReloc) -> bool,
) -> Result<(Vec<u8>, Vec<ParsedReloc>), String> {
    let mut out = Vec::with_capacity(data.len());
    let mut out_relocs = Vec::with_capacity(relocs.len());
    // Old offset of a CIE → its new offset.
    let mut cie_map: HashMap<usize, usize> = HashMap::new();
    let mut off = 0usize;
    while off < data.len() {
        let len32 = read_u32(data, off).ok_or_else(|| format!("truncated record at {off:#x}"))?;
        if len32 == 0 {
            break;
        }
        let (header, len) = if len32 == u32::MAX {
            let l = read_u64(data, off + 4)
                .ok_or_else(|| format!("truncated extended length at {off:#x}"))?;
            (
                12usize,
                usize::try_from(l).map_err(|_| "record too large".to_string())?,
            )
        } else {
            (4usize, len32 as usize)
        };
        let id_off = off + header;
        let end = id_off
            .checked_add(len)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| format!("record at {off:#x} runs past the section end"))?;
        let id = read_u32(data, id_off).ok_or_else(|| format!("truncated record at {off:#x}"))?;
        let in_record =
            |r: &&ParsedReloc| usize::try_from(r.offset).is_ok_and(|o| (off..end).contains(&o));
        let new_off = out.len();
        if id == 0 {
            cie_map.insert(off, new_off);
        } else {
            if !relocs.iter().filter(in_record).all(&keep) {
                off = end;
                continue;
            }
            let old_cie = id_off
                .checked_sub(id as usize)
                .ok_or_else(|| format!("FDE at {off:#x} has a bad CIE pointer"))?;
            let new_cie = *cie_map
                .get(&old_cie)
                .ok_or_else(|| format!("FDE at {off:#x} refers to no preceding CIE"))?;
            let new_id_off = new_off + header;
            let new_id = u32::try_from(new_id_off - new_cie)
                .map_err(|_| format!("FDE at {off:#x}: CIE pointer overflows"))?;
            out.extend_from_slice(&data[off..id_off]);
            out.extend_from_slice(&new_id.to_le_bytes());
            out.extend_from_slice(&data[id_off + 4..end]);
            for r in relocs.iter().filter(in_record) {
                let mut r = r.clone();
                r.offset = r.offset - off as u64 + new_off as u64;
                out_relocs.push(r);
            }
            off = end;
            continue;
        }
        out.extend_from_slice(&data[off..end]);
        for r in relocs.iter().filter(in_record) {
            let mut r = r.clone();
            r.offset = r.offset - off as u64 + new_off as u64;
            out_relocs.push(r);
        }
        off = end;
    }
    Ok((out, out_relocs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body_after_id: &[u8], id: u32) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((4 + body_after_id.len()) as u32).to_le_bytes());
        v.extend_from_slice(&id.to_le_bytes());
        v.extend_from_slice(body_after_id);
        v
    }

    #[test]
    fn drops_fde_and_rebases_following_cie_pointers() {
        // CIE (12 bytes) at 0, FDE A at 12, FDE B at 12+16=28.
        let mut data = record(&[1, 2, 3, 4], 0);
        data.extend(record(&[0xaa; 8], 16)); // id field at 16, CIE at 0 → 16
        data.extend(record(&[0xbb; 8], 32)); // id field at 32 → 32
        data.extend([0, 0, 0, 0]);
        let relocs = vec![
            ParsedReloc {
                offset: 20,
                r_type: 1,
                sym: 1,
                addend: 0,
            },
            ParsedReloc {
                offset: 36,
                r_type: 1,
                sym: 2,
                addend: 0,
            },
        ];
        let (out, rel) = prune_fdes(&data, &relocs, |r| r.sym != 1).unwrap();
        assert_eq!(out.len(), 12 + 16);
        assert_eq!(read_u32(&out, 16), Some(16), "B's CIE pointer re-based");
        assert_eq!(&out[20..28], &[0xbb; 8]);
        assert_eq!(rel.len(), 1);
        assert_eq!(rel[0].offset, 20);
        assert_eq!(rel[0].sym, 2);
    }

    #[test]
    fn malformed_records_are_errors() {
        let data = [0xff, 0, 0, 0, 0, 0];
        assert!(prune_fdes(&data, &[], |_| true).is_err());
    }
}

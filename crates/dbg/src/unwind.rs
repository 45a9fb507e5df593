//! Stack unwinding by call frame information, for every frame: the image's own (its
//! `.eh_frame` is registered with libgcc when it is linked) and the C library's (found through
//! the loaded objects' `PT_GNU_EH_FRAME`), both looked up with libgcc's `_Unwind_Find_FDE` and
//! evaluated with gimli. A frame without CFI falls back to the frame-pointer chain.

use gimli::{
    BaseAddresses, CfaRule, EhFrame, EhFrameOffset, LittleEndian, RegisterRule, UnwindContext,
    UnwindSection,
};

use crate::inferior::{read_memory, read_u64};

#[repr(C)]
struct DwarfEhBases {
    tbase: *const u8,
    dbase: *const u8,
    func: *const u8,
}

#[link(name = "gcc_s")]
extern "C" {
    fn _Unwind_Find_FDE(pc: *const u8, bases: *mut DwarfEhBases) -> *const u8;
}

/// DWARF register numbers of x86-64 (psABI figure 3.36).
const RBP: u16 = 6;
const RSP: u16 = 7;
const RA: u16 = 16;

/// The registers unwinding needs: where the frame is and what it will return to.
#[derive(Clone, Copy, Debug)]
pub struct UnwindRegs {
    pub pc: u64,
    pub sp: u64,
    pub fp: u64,
}

/// The caller's registers, or `None` at the end of the stack or when neither CFI nor a frame
/// pointer says where the return address is. `signal_frame`: `regs.pc` is the interrupted
/// instruction itself (frame 0 of a stop), not a return address.
pub fn caller(regs: UnwindRegs, signal_frame: bool) -> Option<UnwindRegs> {
    let lookup = if signal_frame {
        regs.pc
    } else {
        regs.pc.wrapping_sub(1)
    };
    match cfi_caller(regs, lookup) {
        Some(r) => Some(r),
        None => fp_caller(regs),
    }
}

fn fp_caller(regs: UnwindRegs) -> Option<UnwindRegs> {
    if regs.fp == 0 || regs.fp < regs.sp {
        return None;
    }
    let ret = read_u64(regs.fp + 8)?;
    let next = read_u64(regs.fp)?;
    (ret != 0).then_some(UnwindRegs {
        pc: ret,
        sp: regs.fp + 16,
        fp: next,
    })
}

fn cfi_caller(regs: UnwindRegs, lookup: u64) -> Option<UnwindRegs> {
    let mut bases = DwarfEhBases {
        tbase: std::ptr::null(),
        dbase: std::ptr::null(),
        func: std::ptr::null(),
    };
    // SAFETY: libgcc's lookup only reads registered tables and the loaded objects' headers.
    let fde = unsafe { _Unwind_Find_FDE(lookup as *const u8, &mut bases) } as u64;
    if fde == 0 {
        return None;
    }
    // The FDE's CIE pointer (after the 4-byte length) is its distance back to the CIE.
    let mut w = [0u8; 4];
    read_memory(fde, &mut w).then_some(())?;
    let len = u64::from(u32::from_le_bytes(w));
    read_memory(fde + 4, &mut w).then_some(())?;
    let cie = (fde + 4).checked_sub(u64::from(u32::from_le_bytes(w)))?;
    let start = cie.min(fde);
    let end = fde + 4 + len;
    if len == 0xffff_ffff || end - start > 1 << 20 {
        return None;
    }
    let mut bytes = vec![0u8; (end - start) as usize];
    read_memory(start, &mut bytes).then_some(())?;
    let eh = EhFrame::new(&bytes, LittleEndian);
    let b = BaseAddresses::default()
        .set_eh_frame(start)
        .set_text(bases.tbase as u64)
        .set_got(bases.dbase as u64);
    let fde = eh
        .fde_from_offset(
            &b,
            EhFrameOffset((fde - start) as usize),
            EhFrame::cie_from_offset,
        )
        .ok()?;
    let mut ctx = UnwindContext::new();
    let row = fde
        .unwind_info_for_address(&eh, &b, &mut ctx, lookup)
        .ok()?;
    let reg = |r: gimli::Register| match r.0 {
        RSP => Some(regs.sp),
        RBP => Some(regs.fp),
        _ => None,
    };
    let cfa = match row.cfa() {
        CfaRule::RegisterAndOffset { register, offset } => {
            reg(*register)?.checked_add_signed(*offset)?
        }
        CfaRule::Expression(_) => return None,
    };
    let value = |rule: RegisterRule<usize>, same: u64| match rule {
        RegisterRule::Undefined => None,
        RegisterRule::SameValue => Some(same),
        RegisterRule::Offset(o) => read_u64(cfa.checked_add_signed(o)?),
        RegisterRule::ValOffset(o) => cfa.checked_add_signed(o),
        _ => None,
    };
    let pc = value(row.register(gimli::Register(RA))?, 0)?;
    // A callee-saved register without a rule keeps its value.
    let fp = match row.register(gimli::Register(RBP)) {
        None | Some(RegisterRule::Undefined) => regs.fp,
        Some(r) => value(r, regs.fp)?,
    };
    (pc != 0).then_some(UnwindRegs { pc, sp: cfa, fp })
}

/// The exported symbol of a loaded shared object containing `pc` (for frames outside the
/// image), with the offset into it.
/// Whether `pc` is in the object holding the debugger itself (the `cfree` executable): such a
/// frame is the debugger's, not the program's (the start of a thread the program made).
pub fn in_debugger(pc: u64) -> bool {
    let base = |addr: *const libc::c_void| {
        // SAFETY: dladdr only reads the dynamic linker's tables.
        unsafe {
            let mut info: libc::Dl_info = std::mem::zeroed();
            (libc::dladdr(addr, &mut info) != 0).then_some(info.dli_fbase as usize)
        }
    };
    let own = base(in_debugger as *const libc::c_void);
    own.is_some() && base(pc as *const libc::c_void) == own
}

pub fn host_symbol(pc: u64) -> Option<(String, u64)> {
    // SAFETY: dladdr fills `info` for an address in a loaded object; the name it returns
    // points into that object's string table.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(pc as *const libc::c_void, &mut info) == 0 || info.dli_sname.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(info.dli_sname)
            .to_string_lossy()
            .into_owned();
        Some((name, pc - info.dli_saddr as u64))
    }
}

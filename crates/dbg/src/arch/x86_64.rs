//! x86-64: `int3`, trap PC one past it, the trap flag for single steps, SysV frame layout
//! (`push %rbp; mov %rsp,%rbp`: the return address at `8(%rbp)`, the caller's `%rbp` at
//! `0(%rbp)`).

use super::{Arch, Registers};

pub struct X86_64;

impl Arch for X86_64 {
    fn breakpoint(&self) -> &'static [u8] {
        &[0xcc]
    }
    fn trap_pc_adjust(&self) -> u64 {
        1
    }
    fn pc_name(&self) -> &'static str {
        "rip"
    }

    fn frame_layout(&self, cfa: u64) -> (u64, Vec<(&'static str, u64)>) {
        // `call` pushed the return address below the CFA; the prologue pushed rbp below it
        // and made rbp point there: the base gcc's and cfree's DWARF address locals from.
        let base = cfa.wrapping_sub(16);
        (base, vec![("rbp", base), ("rip", cfa.wrapping_sub(8))])
    }

    fn called_from(&self, before: &dyn Registers, after: &dyn Registers) -> Option<u64> {
        // A call pushes the address of the next instruction (calls are 2 to 15 bytes long).
        if after.sp() != before.sp().wrapping_sub(8) {
            return None;
        }
        let ret = crate::inferior::read_u64(after.sp())?;
        let len = ret.wrapping_sub(before.pc());
        (2..=15).contains(&len).then_some(ret)
    }

    fn frame_setup_len(&self) -> u64 {
        // push %rbp (55), mov %rsp,%rbp (48 89 e5)
        4
    }
}

/// Trap flag in RFLAGS: the CPU traps after the next instruction.
pub const TRAP_FLAG: u64 = 1 << 8;

/// The general registers of a `ucontext_t`, plus xmm0's low half.
#[derive(Clone, Debug)]
pub struct Regs {
    pub gregs: [i64; 23],
    pub xmm0: u64,
}

const NAMES: [(&str, libc::c_int); 18] = [
    ("rax", libc::REG_RAX),
    ("rbx", libc::REG_RBX),
    ("rcx", libc::REG_RCX),
    ("rdx", libc::REG_RDX),
    ("rsi", libc::REG_RSI),
    ("rdi", libc::REG_RDI),
    ("rbp", libc::REG_RBP),
    ("rsp", libc::REG_RSP),
    ("r8", libc::REG_R8),
    ("r9", libc::REG_R9),
    ("r10", libc::REG_R10),
    ("r11", libc::REG_R11),
    ("r12", libc::REG_R12),
    ("r13", libc::REG_R13),
    ("r14", libc::REG_R14),
    ("r15", libc::REG_R15),
    ("rip", libc::REG_RIP),
    ("eflags", libc::REG_EFL),
];

impl Regs {
    /// Copies the registers out of a signal context.
    ///
    /// # Safety
    /// `uc` must point to the live `ucontext_t` of a signal handler invocation.
    pub unsafe fn from_context(uc: *const libc::ucontext_t) -> Regs {
        let m = &(*uc).uc_mcontext;
        let xmm0 = if m.fpregs.is_null() {
            0
        } else {
            let e = (*m.fpregs)._xmm[0].element;
            u64::from(e[0]) | u64::from(e[1]) << 32
        };
        Regs {
            gregs: m.gregs,
            xmm0,
        }
    }

    /// Writes the general registers back into the context the thread resumes from.
    ///
    /// # Safety
    /// As for [`Regs::from_context`]; the thread must be blocked in its handler.
    pub unsafe fn to_context(&self, uc: *mut libc::ucontext_t) {
        (*uc).uc_mcontext.gregs = self.gregs;
    }

    fn get(&self, r: libc::c_int) -> u64 {
        self.gregs[r as usize] as u64
    }

    pub fn set(&mut self, r: libc::c_int, v: u64) {
        self.gregs[r as usize] = v as i64;
    }

    /// Makes the context call `func(arg)` as if from the instruction it stopped at (that
    /// address is the return address, pushed below the red zone with the stack aligned as
    /// at a call): what ends a thread with `pthread_exit` where it stopped. `false` if the
    /// stack cannot be written.
    pub fn redirect_call(&mut self, func: u64, arg: u64) -> bool {
        let sp = (self.sp().saturating_sub(128) & !15).wrapping_sub(8);
        if !crate::inferior::write_memory(sp, &self.pc().to_le_bytes()) {
            return false;
        }
        self.set(libc::REG_RSP, sp);
        self.set(libc::REG_RDI, arg);
        self.set_trap_flag(false);
        self.set_pc(func);
        true
    }

    pub fn set_trap_flag(&mut self, on: bool) {
        let f = self.get(libc::REG_EFL);
        self.set(
            libc::REG_EFL,
            if on { f | TRAP_FLAG } else { f & !TRAP_FLAG },
        );
    }
}

impl Registers for Regs {
    fn pc(&self) -> u64 {
        self.get(libc::REG_RIP)
    }
    fn set_pc(&mut self, pc: u64) {
        self.set(libc::REG_RIP, pc);
    }
    fn sp(&self) -> u64 {
        self.get(libc::REG_RSP)
    }
    fn fp(&self) -> u64 {
        self.get(libc::REG_RBP)
    }
    fn int_return(&self) -> u64 {
        self.get(libc::REG_RAX)
    }
    fn float_return(&self) -> u64 {
        self.xmm0
    }
    fn named(&self) -> Vec<(&'static str, u64)> {
        NAMES.iter().map(|&(n, r)| (n, self.get(r))).collect()
    }
}

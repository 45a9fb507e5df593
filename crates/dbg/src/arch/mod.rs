//! What differs per architecture: the breakpoint instruction and the trap PC it leaves, the
//! register file as a signal context holds it, single-stepping, and frame-pointer layout.
//! The one `match` on the architecture is [`host`]; everything else lives in the target's file.

pub mod x86_64;

/// A stopped thread's registers, copied out of (and written back into) its signal context.
pub trait Registers {
    fn pc(&self) -> u64;
    fn set_pc(&mut self, pc: u64);
    fn sp(&self) -> u64;
    fn fp(&self) -> u64;
    /// The integer return-value register after a call returns.
    fn int_return(&self) -> u64;
    /// The first floating return-value register (its low 64 bits), for `double` results.
    fn float_return(&self) -> u64;
    /// Named registers in the order `info registers` prints them.
    fn named(&self) -> Vec<(&'static str, u64)>;
}

/// The per-architecture operations the engine needs.
pub trait Arch: Sync {
    /// The bytes of a software breakpoint.
    fn breakpoint(&self) -> &'static [u8];
    /// How far past the breakpoint's address the PC is when its trap is reported.
    fn trap_pc_adjust(&self) -> u64;
    /// Bytes of the standard prologue that sets up the frame pointer: a stop at
    /// `function + k` for `k` below this has not pushed its frame yet.
    fn frame_setup_len(&self) -> u64;
    /// The name of the program counter (`rip`), as `info frame` prints it.
    fn pc_name(&self) -> &'static str;
    /// Where a frame-pointer frame with call frame address `cfa` keeps its arguments' and
    /// locals' base, and its saved registers (name, address), as `info frame` shows them.
    fn frame_layout(&self, cfa: u64) -> (u64, Vec<(&'static str, u64)>);
    /// After one instruction stepped from `before` to `after`: the return address, if that
    /// instruction was a call (what `nexti` runs to, stepping over the callee).
    fn called_from(&self, before: &dyn Registers, after: &dyn Registers) -> Option<u64>;
}

/// The architecture this process runs on (the in-process debugger debugs its own host).
pub fn host() -> &'static dyn Arch {
    &x86_64::X86_64
}

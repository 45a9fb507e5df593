//! Source-level stepping: `next`, `step`, `until`, and running to an address.
//!
//! `next` never single-steps: it plants internal breakpoints on every other statement of the
//! function and on the return address, continues, and ignores hits in deeper frames of the
//! same function (recursion), so a loop of a million iterations costs one stop per line.
//! `step` single-steps to the next statement start, entering a called function that has line
//! information (stopping after its frame setup) and stepping out of one that has none.

use cfree_jit::Jit;

use crate::arch::{self, Registers};
use crate::engine::{
    function_at, function_bounds, function_start, Breakpoint, Engine, EngineError, Outcome,
};
use crate::inferior::{read_u64, Stop};
use crate::unwind::{caller, UnwindRegs};

/// Upper bound of single steps one `step` makes before giving up (a line that loops).
const MAX_STEPS: usize = 1 << 20;

/// The canonical frame address of the stop's innermost frame (the caller's stack pointer):
/// frame identity for stepping. `None` when it cannot be unwound.
fn frame_cfa(s: &Stop) -> Option<u64> {
    stop_caller(s).map(|c| c.sp)
}

fn return_address(s: &Stop) -> Option<u64> {
    stop_caller(s).map(|c| c.pc)
}

/// The caller's registers as the stop's innermost frame will return to them.
fn stop_caller(s: &Stop) -> Option<UnwindRegs> {
    let r = UnwindRegs {
        pc: s.regs.pc(),
        sp: s.regs.sp(),
        fp: s.regs.fp(),
    };
    caller(r, true)
}

impl Engine {
    fn add_internal(&mut self, jit: &mut Jit, addr: u64) -> Result<u32, EngineError> {
        let id = (1 << 30) + self.next_internal_id();
        self.push_breakpoint(Breakpoint::new_internal(id, addr));
        self.insert_pub(jit, id)?;
        Ok(id)
    }

    fn clear_internal(&mut self, jit: &mut Jit) -> Result<(), EngineError> {
        let ids: Vec<u32> = self.internal_ids();
        for id in ids {
            self.delete_any(jit, id)?;
        }
        Ok(())
    }

    /// Continues until one of `targets` is reached in a frame that `accept` agrees with (a
    /// user breakpoint, a signal or the end of the program stops earlier, as in gdb).
    pub fn run_until(
        &mut self,
        jit: &mut Jit,
        targets: &[u64],
        accept: &dyn Fn(&Stop) -> bool,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        for &t in targets {
            self.add_internal(jit, t)?;
        }
        let out = loop {
            let out = self.cont(jit, interrupted);
            match &out {
                Ok(Outcome::Breakpoint(id, s)) if self.is_internal(*id) => {
                    if accept(s) {
                        break Ok(Outcome::Stepped(s.clone()));
                    }
                }
                _ => break out,
            }
        };
        self.clear_internal(jit)?;
        out
    }

    /// `next`: the next statement of this function or of its caller, stepping over calls.
    pub fn next_line(
        &mut self,
        jit: &mut Jit,
        forward_only: bool,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let stop = self
            .current_stop()
            .cloned()
            .ok_or(EngineError::NotRunning)?;
        let pc = stop.regs.pc();
        let (Some(src), Some((lo, size))) = (self.source(), function_bounds(jit, pc)) else {
            // No line information here: like gdb, finish the function instead.
            return self.finish_frame(jit, interrupted);
        };
        let line = src.range_at(pc).map(|r| r.line);
        let mut targets: Vec<u64> = src
            .statements(lo, lo + size)
            .into_iter()
            .filter(|r| Some(r.line) != line && (!forward_only || r.start > pc))
            .map(|r| r.start)
            .collect();
        let cfa = frame_cfa(&stop);
        let ret = return_address(&stop).filter(|&r| function_at(jit, r).is_some());
        targets.extend(ret);
        targets.sort_unstable();
        targets.dedup();
        // Hits in deeper frames (recursion) do not count.
        let accept = |s: &Stop| match (cfa, frame_cfa(s)) {
            (Some(c), Some(now)) => now >= c,
            _ => true,
        };
        let out = self.run_until(jit, &targets, &accept, interrupted)?;
        match out {
            // Back in the caller, in the middle of its line: on to its next statement.
            Outcome::Stepped(s) if Some(s.regs.pc()) == ret && !self.at_statement(&s) => {
                self.next_line(jit, forward_only, interrupted)
            }
            other => Ok(other),
        }
    }

    /// `nexti`: one instruction, a call counting as one (its callee runs to the return, a
    /// breakpoint inside it stopping there as in gdb).
    pub fn next_instruction(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let before = self
            .current_stop()
            .cloned()
            .ok_or(EngineError::NotRunning)?;
        let out = self.step_instruction(jit, interrupted)?;
        let Outcome::Stepped(after) = &out else {
            return Ok(out);
        };
        let Some(ret) = arch::host().called_from(&before.regs, &after.regs) else {
            return Ok(out);
        };
        let sp = before.regs.sp();
        self.run_until(jit, &[ret], &|s: &Stop| s.regs.sp() >= sp, interrupted)
    }

    /// `finish`: runs until the selected frame returns; the stop is in the caller.
    pub fn finish_frame(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let stop = self
            .current_stop()
            .cloned()
            .ok_or(EngineError::NotRunning)?;
        let Some(ret) = return_address(&stop) else {
            return self.cont(jit, interrupted);
        };
        let cfa = frame_cfa(&stop);
        let accept = |s: &Stop| match cfa {
            Some(c) => s.regs.sp() >= c,
            None => true,
        };
        self.run_until(jit, &[ret], &accept, interrupted)
    }

    fn at_statement(&self, s: &Stop) -> bool {
        let pc = s.regs.pc();
        self.source()
            .and_then(|src| src.range_at(pc))
            .is_some_and(|r| r.start == pc && r.is_stmt)
    }

    /// `step`: to the next statement start, entering functions that have line information.
    pub fn step_line(
        &mut self,
        jit: &mut Jit,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let stop = self
            .current_stop()
            .cloned()
            .ok_or(EngineError::NotRunning)?;
        let start_pc = stop.regs.pc();
        let Some(line) = self
            .source()
            .and_then(|s| s.range_at(start_pc))
            .map(|r| r.line)
        else {
            return self.finish_frame(jit, interrupted);
        };
        let start_fn = function_start(jit, start_pc);
        for _ in 0..MAX_STEPS {
            let out = self.step_instruction(jit, interrupted)?;
            let Outcome::Stepped(s) = out else {
                return Ok(out);
            };
            let pc = s.regs.pc();
            let here = function_start(jit, pc);
            match here {
                // Entered another function of the image at its first instruction.
                Some(lo) if pc == lo && Some(lo) != start_fn => {
                    let has_lines = self.source().and_then(|src| src.range_at(pc)).is_some();
                    if has_lines {
                        let size = function_bounds(jit, pc).map_or(0, |f| f.1);
                        let body = self
                            .source()
                            .and_then(|src| src.after_prologue(lo, lo + size))
                            .unwrap_or(lo + arch::host().frame_setup_len());
                        return self.run_until(jit, &[body], &|_| true, interrupted);
                    }
                    // Linker-made code (entry stubs) and code without lines: keep stepping.
                    if function_at(jit, pc).is_some_and(|f| f.0.contains('@') || f.0.contains('$'))
                    {
                        continue;
                    }
                    return self.step_out_at_entry(jit, &s, interrupted);
                }
                Some(_) => {
                    let src = self.source();
                    let r = src.and_then(|src| src.range_at(pc));
                    match r {
                        Some(r) if r.start == pc && r.is_stmt && r.line != line => {
                            return Ok(Outcome::Stepped(s))
                        }
                        Some(r) if r.start == pc && r.is_stmt && here != start_fn => {
                            return Ok(Outcome::Stepped(s))
                        }
                        _ => continue,
                    }
                }
                // Outside the image (a library function called by this line): step out.
                None => return self.step_out_at_entry(jit, &s, interrupted),
            }
        }
        Ok(Outcome::Stepped(
            self.current_stop()
                .cloned()
                .ok_or(EngineError::NotRunning)?,
        ))
    }

    /// At the first instruction of a function without line information: run until it
    /// returns (its return address is on the stack top), then continue `step` there.
    fn step_out_at_entry(
        &mut self,
        jit: &mut Jit,
        s: &Stop,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Outcome, EngineError> {
        let Some(ret) = read_u64(s.regs.sp()) else {
            return Ok(Outcome::Stepped(s.clone()));
        };
        let sp = s.regs.sp();
        let out = self.run_until(jit, &[ret], &|t: &Stop| t.regs.sp() > sp, interrupted)?;
        match out {
            Outcome::Stepped(t) if !self.at_statement(&t) => self.step_line(jit, interrupted),
            other => Ok(other),
        }
    }
}

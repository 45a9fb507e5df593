//! Runtime pieces of GNU C nested functions whose address is taken (sema's `nested.rs`
//! describes the static chain): the object's trampoline pool and one entry thunk per such
//! function, written as assembly by the target (`abi/x86_64/trampoline.rs`) and assembled
//! with the unit's other asm, so `cfree run` and `cfree cc -c` objects both carry them. All
//! their symbols are local to the object.

use crate::abi::x86_64::trampoline;
use crate::{CodegenError, ObjCx};
use cfree_frontend::Arch;

/// Symbol names of the pool routines; they must match the names sema calls.
const ALLOC: &str = "__cfree_asm_thunk.nest_alloc";
const FREE: &str = "__cfree_asm_thunk.nest_free";
const POOL: &str = "__cfree_asm_thunk.nest_pool";
const CELLS: &str = "__cfree_asm_thunk.nest_cells";

impl ObjCx<'_> {
    /// Adds the trampoline pool and the entry thunks to the unit's assembly, if any nested
    /// function's address is taken.
    pub(crate) fn add_nested_runtime(&mut self) -> Result<(), CodegenError> {
        let tu = self.tu;
        let Some(&(first, _)) = tu.nested_entries.first() else {
            return Ok(());
        };
        let loc = tu.symbols[first.0 as usize].loc;
        let text = match self.opts.target.arch {
            Arch::X86_64 => self.nested_text(
                |abi, t, h| {
                    trampoline::chain_place(abi, t, h)
                        .map(|p| move |e: &str, b: &str| trampoline::entry_text(e, b, p))
                },
                trampoline::pool_text,
            )?,
            Arch::Aarch64 => {
                use crate::abi::aarch64::trampoline as a64;
                self.nested_text(
                    |abi, t, h| {
                        a64::chain_place(abi, t, h)
                            .map(|p| move |e: &str, b: &str| a64::entry_text(e, b, p))
                    },
                    a64::pool_text,
                )?
            }
            Arch::Riscv64 => {
                use crate::abi::riscv64::trampoline as rv;
                self.nested_text(
                    |abi, t, h| {
                        rv::chain_place(abi, t, h)
                            .map(|p| move |e: &str, b: &str| rv::entry_text(e, b, p))
                    },
                    rv::pool_text,
                )?
            }
        };
        self.asm.add(text, loc);
        Ok(())
    }

    /// The pool and one entry thunk per nested function whose address is taken, written by
    /// the target's `pool` and `entry` (found per function by `entry_for`).
    fn nested_text<E: Fn(&str, &str) -> String>(
        &self,
        entry_for: impl Fn(
            &dyn crate::abi::CAbi,
            &cfree_frontend::types::TypeTable,
            &cfree_frontend::types::FuncType,
        ) -> Result<E, String>,
        pool: fn(&str, &str, &str, &str) -> String,
    ) -> Result<String, CodegenError> {
        let tu = self.tu;
        let mut text = pool(ALLOC, FREE, POOL, CELLS);
        for &(body, entry) in &tu.nested_entries {
            let b = &tu.symbols[body.0 as usize];
            let hidden = tu.types.func_type(b.ty).cloned();
            let write = hidden
                .ok_or_else(|| "nested function without a function type".to_string())
                .and_then(|h| entry_for(&*self.abi, &tu.types, &h))
                .map_err(|msg| CodegenError::Located { loc: b.loc, msg })?;
            let e = &tu.symbols[entry.0 as usize];
            text.push_str(&write(&e.name, &b.name));
        }
        Ok(text)
    }
}

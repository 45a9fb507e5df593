//! Reloadable functions (HOT_RELOAD.md): stable entries and slots made during appends, and the
//! reload transaction that appends a new body and publishes it with one pointer store.
//!
//! With [`Indirection::ExportedFuncs`], every function with external linkage defined by an
//! append is split in three: the public symbol `foo` becomes a linker-made entry in RX that
//! jumps through `foo$slot` (a pointer cell in RW), and the compiled code becomes the internal
//! body `foo$body$0`. Because the entry owns the public name, every relocation, GOT cell and
//! lookup binds to it, including references from the defining object itself and data
//! initialisers such as `int (*fp)(int) = foo;`. A reload appends `foo$body$N` like any other
//! code and then stores its address into the slot.

use cfree_abisig::SECTION_NAME as ABISIG_SECTION;
use object::elf;

use super::{Builder, LinkSession, LINKER_ENTRIES, LINKER_SLOTS};
use crate::error::LinkError;
use crate::image::{
    AppendOutcome, Indirection, LinkRelocApply, LinkSymId, ReloadFunc, RelocOwner, RelocVia,
    SymbolBinding, SymbolDef, SymbolEntry, SymbolKind, SymbolVisibility,
};
use crate::input::{LinkInput, SectionRole, Special, SymSection};
use crate::layout::SegmentClass;
use crate::memory::{LinkMemory, SymbolResolver};
use crate::RelocKind;

/// Size and alignment of a slot: one pointer (every supported target is 64-bit).
const SLOT_SIZE: u64 = 8;

/// One function a reload transaction replaces, tied to the batch object that defines its new
/// body.
pub(super) struct ReloadTarget {
    pub name: String,
    pub func: ReloadFunc,
    /// Index of the object (in `Builder::objs`) holding the replacement.
    pub obj: usize,
    /// The new body, once `create_symbols` made it.
    pub body: Option<LinkSymId>,
}

/// One slot store of a reload batch: where, and the body addresses before and after.
struct SlotSwitch {
    name: String,
    slot_addr: u64,
    old_body: u64,
    new_body: u64,
}

/// What an append's entries produce: the new reload records by name, and the slots'
/// relocation records.
type EntryRecords = (Vec<(String, ReloadFunc)>, Vec<LinkRelocApply>);

/// An entry and slot made by one append.
pub(super) struct NewEntry {
    pub name: String,
    pub body: LinkSymId,
    pub entry: LinkSymId,
    pub slot: LinkSymId,
    pub entry_addr: u64,
    pub slot_addr: u64,
}

/// How strictly a reload checks that the replacement is callable through the old entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AbiCheck {
    /// Both the live body and the replacement must carry a `CfreeFuncAbiSig` record for the
    /// function, and the records must agree (HOT_RELOAD.md §11).
    #[default]
    Required,
    /// Skip the comparison: the caller vouches for the replacement (objects from other
    /// compilers, which carry no records).
    Unchecked,
}

impl LinkSession {
    /// Replaces the body of reloadable function `name` with the one defined by `input`: a
    /// batch of one, see [`reload_functions`](Self::reload_functions).
    pub fn reload_function(
        &mut self,
        name: &str,
        input: LinkInput,
        mem: &mut dyn LinkMemory,
        resolver: &dyn SymbolResolver,
        abi: AbiCheck,
    ) -> Result<AppendOutcome, LinkError> {
        self.reload_functions(vec![(name.to_owned(), input)], mem, resolver, abi)
    }

    /// Replaces the bodies of several reloadable functions as one transaction: each
    /// `(name, input)` pair names a function and the object defining its new body.
    ///
    /// Each replacement is validated against its own target (HOT_RELOAD.md §10: exactly one
    /// public definition, the target; private helpers and read-only data allowed; writable
    /// data, TLS, constructors and COMDAT groups rejected), every ABI record is compared with
    /// the live body's, then all objects are linked at the append cursors as one append. Only
    /// after their bytes are in place and protected are the slots switched, in batch order,
    /// each with one aligned pointer store ([`LinkMemory::store_pointer`]), so a thread calling
    /// through an entry sees the old body or the new one, never a mix; the old bodies stay
    /// mapped. The batch is one generation. On any error nothing changes: slots, lookups,
    /// cursors and the generation are as before. That includes a slot store failing part-way:
    /// the slots already switched are stored back first (only if that also fails is the error
    /// [`LinkError::SlotRestore`], naming the functions left on their new bodies). The stores
    /// are separate, so a thread running *during* them may see some functions switched and
    /// others not; reload with the program stopped (as `cfree dbg` does) for an atomic view.
    pub fn reload_functions(
        &mut self,
        batch: Vec<(String, LinkInput)>,
        mem: &mut dyn LinkMemory,
        resolver: &dyn SymbolResolver,
        abi: AbiCheck,
    ) -> Result<AppendOutcome, LinkError> {
        let targets = self.reload_targets(&batch)?;
        let inputs: Vec<LinkInput> = batch.into_iter().map(|(_, input)| input).collect();
        let mut builder = Builder::new(self, &inputs, resolver)?;
        builder.reload = targets;
        let plan = builder.build()?;
        if abi == AbiCheck::Required {
            for (oi, (name, _)) in plan.reloaded.iter().enumerate() {
                self.check_abi(name, oi, &plan)?;
            }
        }
        let switches = self.slot_switches(&plan)?;
        self.materialize(&plan, mem)?;
        if let Err(e) = switch_slots(&switches, mem) {
            for c in 0..3 {
                self.dirty_end[c] = self.dirty_end[c].max(plan.cursors[c]);
            }
            return Err(e);
        }
        Ok(self.publish(plan))
    }

    /// The reload records of a batch's functions, each tied to its object: refused when the
    /// batch is empty, names a function twice, or names one that is not reloadable.
    fn reload_targets(
        &self,
        batch: &[(String, LinkInput)],
    ) -> Result<Vec<ReloadTarget>, LinkError> {
        if batch.is_empty() {
            return Err(LinkError::EmptyReload);
        }
        let mut targets = Vec::with_capacity(batch.len());
        for (obj, (name, input)) in batch.iter().enumerate() {
            if let Some((_, first)) = batch[..obj].iter().find(|(n, _)| n == name) {
                return Err(LinkError::DuplicateReload {
                    symbol: name.clone(),
                    first: first.name.clone(),
                    second: input.name.clone(),
                });
            }
            let func = self
                .reloadable
                .get(name)
                .cloned()
                .ok_or_else(|| self.not_reloadable(name))?;
            targets.push(ReloadTarget {
                name: name.clone(),
                func,
                obj,
                body: None,
            });
        }
        Ok(targets)
    }

    /// The slot stores that publish `plan`'s new bodies, computed before anything is written.
    fn slot_switches(&self, plan: &super::Plan) -> Result<Vec<SlotSwitch>, LinkError> {
        let base = self.symbols.len();
        plan.reloaded
            .iter()
            .map(|(name, body)| {
                let func = self
                    .reloadable
                    .get(name)
                    .ok_or_else(|| self.not_reloadable(name))?;
                let old_body = self.symbols.get(func.body().index()).map(|e| e.addr);
                let new_body = body
                    .index()
                    .checked_sub(base)
                    .and_then(|i| plan.symbols.get(i))
                    .map(|e| e.addr);
                match (old_body, new_body) {
                    (Some(old_body), Some(new_body)) => Ok(SlotSwitch {
                        name: name.clone(),
                        slot_addr: func.slot_addr,
                        old_body,
                        new_body,
                    }),
                    _ => Err(LinkError::NotReloadable {
                        symbol: name.clone(),
                        reason: "its live or new body has no symbol (internal linker error)".into(),
                    }),
                }
            })
            .collect()
    }

    /// Why `name` has no reload record, in terms the user can act on.
    fn not_reloadable(&self, name: &str) -> LinkError {
        let reason = match self.lookup_symbol(name) {
            None => "no function of that name is defined in the image".to_string(),
            Some(s) if s.kind != SymbolKind::Function => {
                "it is not a function; only functions can be reloaded".to_string()
            }
            Some(_) => "it was linked without an entry and slot (link it with exported-function \
                        indirection enabled to make it reloadable)"
                .to_string(),
        };
        LinkError::NotReloadable {
            symbol: name.to_owned(),
            reason,
        }
    }

    /// Compares the ABI records of `name`'s active body and of its replacement, batch object
    /// `obj` of `plan`.
    fn check_abi(&self, name: &str, obj: usize, plan: &super::Plan) -> Result<(), LinkError> {
        let missing = |what: &str| LinkError::AbiMismatch {
            symbol: name.to_owned(),
            reason: format!(
                "{what} has no {ABISIG_SECTION} record for `{name}` (compile it with cfree, or \
                 reload unchecked)"
            ),
        };
        let live_body = self
            .reloadable
            .get(name)
            .map(ReloadFunc::body)
            .ok_or_else(|| self.not_reloadable(name))?;
        let old = self
            .symbols
            .get(live_body.index())
            .and_then(|e| e.def.input())
            .and_then(|i| self.inputs.get(i.index()))
            .and_then(|rec| abisig_of(rec.section_by_name(ABISIG_SECTION)?, name))
            .ok_or_else(|| missing("the live body"))?;
        let new = plan
            .inputs
            .get(obj)
            .and_then(|rec| abisig_of(rec.section_by_name(ABISIG_SECTION)?, name))
            .ok_or_else(|| missing("the replacement"))?;
        let old = old.map_err(|e| LinkError::AbiMismatch {
            symbol: name.to_owned(),
            reason: format!("the live body's record is unreadable: {e}"),
        })?;
        let new = new.map_err(|e| LinkError::AbiMismatch {
            symbol: name.to_owned(),
            reason: format!("the replacement's record is unreadable: {e}"),
        })?;
        new.compatible_with(&old)
            .map_err(|e| LinkError::AbiMismatch {
                symbol: name.to_owned(),
                reason: e.to_string(),
            })
    }
}

/// Stores each new body into its slot, in order. If a store fails, the slots already switched
/// get their previous bodies back before the error is returned, so no caller is left running
/// half a batch.
fn switch_slots(switches: &[SlotSwitch], mem: &mut dyn LinkMemory) -> Result<(), LinkError> {
    for (done, sw) in switches.iter().enumerate() {
        let Err(source) = mem.store_pointer(sw.slot_addr, sw.new_body) else {
            continue;
        };
        let mut switched = Vec::new();
        let mut restore = None;
        for back in switches[..done].iter().rev() {
            if let Err(e) = mem.store_pointer(back.slot_addr, back.old_body) {
                switched.push(back.name.clone());
                restore.get_or_insert(e);
            }
        }
        return Err(match restore {
            None => LinkError::Memory {
                stage: "publishing the new body in the slot",
                source,
            },
            Some(restore) => LinkError::SlotRestore {
                symbol: sw.name.clone(),
                source: Box::new(source),
                restore: Box::new(restore),
                switched,
            },
        });
    }
    Ok(())
}

/// The record for `name` in a kept `.cfree.abisig` section: `None` if the section has no
/// record of that name, `Some(Err)` if the section cannot be read.
fn abisig_of(
    section: &crate::image::InputSection,
    name: &str,
) -> Option<Result<cfree_abisig::CfreeFuncAbiSig, cfree_abisig::AbiSigError>> {
    let crate::image::SectionPlacement::NonAlloc { data, .. } = &section.placement else {
        return None;
    };
    match cfree_abisig::read(data) {
        Ok(records) => records
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, sig)| Ok(sig)),
        Err(e) => Some(Err(e)),
    }
}

impl Builder<'_> {
    /// The function batch object `oi` replaces, if this is a reload.
    pub(super) fn reload_target(&self, oi: usize) -> Option<&ReloadTarget> {
        self.reload.iter().find(|r| r.obj == oi)
    }

    /// Whether `name`, defined by batch object `oi`, is the new body of that object's target
    /// (and so must not claim the public name, which stays with the live entry).
    pub(super) fn is_reload_target(&self, oi: usize, name: &str) -> bool {
        self.reload_target(oi).is_some_and(|r| r.name == name)
    }

    fn sym_mut(&mut self, id: LinkSymId) -> Option<&mut SymbolEntry> {
        let i = id.index().checked_sub(self.s.symbols.len())?;
        self.syms.get_mut(i)
    }

    /// Turns a newly defined body into the internal `name$body$N`.
    fn hide_body(&mut self, id: LinkSymId, generation: usize) {
        if let Some(e) = self.sym_mut(id) {
            e.name = format!("{}$body${generation}", e.name);
            e.kind = SymbolKind::ReloadBody;
            e.binding = SymbolBinding::Local;
            e.visibility = SymbolVisibility::Hidden;
        }
    }

    /// In indirection mode, gives the winning global function `body` an entry and a slot, and
    /// returns the entry (which takes the public name).
    pub(super) fn make_reloadable(
        &mut self,
        body: LinkSymId,
    ) -> Result<Option<LinkSymId>, LinkError> {
        if self.s.indirection != Indirection::ExportedFuncs || !self.reload.is_empty() {
            return Ok(None);
        }
        let e = self.entry(body).clone();
        if e.kind != SymbolKind::Function || !matches!(e.def, SymbolDef::Section { .. }) {
            return Ok(None);
        }
        let entry_size = self.s.backend.reload_entry_size();
        let entry_addr = self.alloc(SegmentClass::Rx, entry_size, entry_size)?;
        let slot_addr = self.alloc(SegmentClass::Rw, SLOT_SIZE, SLOT_SIZE)?;
        self.hide_body(body, 0);
        let input = self.linker_input;
        let entry = self.add_symbol(SymbolEntry {
            name: e.name.clone(),
            addr: entry_addr,
            size: entry_size,
            kind: SymbolKind::Function,
            binding: e.binding,
            visibility: e.visibility,
            def: SymbolDef::Linker {
                input,
                section: LINKER_ENTRIES,
            },
        });
        let slot = self.add_symbol(SymbolEntry {
            name: format!("{}$slot", e.name),
            addr: slot_addr,
            size: SLOT_SIZE,
            kind: SymbolKind::ReloadSlot,
            binding: SymbolBinding::Local,
            visibility: SymbolVisibility::Hidden,
            def: SymbolDef::Linker {
                input,
                section: LINKER_SLOTS,
            },
        });
        self.entries.push(NewEntry {
            name: e.name,
            body,
            entry,
            slot,
            entry_addr,
            slot_addr,
        });
        Ok(Some(entry))
    }

    /// Records batch object `oi`'s definition of its target as that target's new body.
    pub(super) fn make_reload_body(&mut self, oi: usize, id: LinkSymId) {
        let Some(generation) = self.reload_target(oi).map(|r| r.func.bodies.len()) else {
            return;
        };
        self.hide_body(id, generation);
        if let Some(r) = self.reload.iter_mut().find(|r| r.obj == oi) {
            r.body = Some(id);
        }
    }

    /// HOT_RELOAD.md §10: what a replacement object may contain, for every object of a
    /// reload batch against its own target. Every object must replace exactly one function.
    pub(super) fn check_replacement(&self) -> Result<(), LinkError> {
        if self.reload.is_empty() {
            return Ok(());
        }
        for oi in 0..self.objs.len() {
            let Some(target) = self.reload_target(oi) else {
                return Err(LinkError::RejectedReplacement {
                    symbol: "<none>".into(),
                    input: self.objs[oi].name.clone(),
                    reason: "every object of a reload batch must replace one function".into(),
                });
            };
            self.check_one_replacement(oi, &target.name)?;
        }
        Ok(())
    }

    /// [`check_replacement`](Self::check_replacement) for batch object `oi`, which replaces
    /// `target`.
    fn check_one_replacement(&self, oi: usize, target: &str) -> Result<(), LinkError> {
        let reject = |input: &str, reason: String| LinkError::RejectedReplacement {
            symbol: target.to_owned(),
            input: input.to_owned(),
            reason,
        };
        let obj = &self.objs[oi];
        if let Some(g) = obj.groups.iter().find(|g| g.comdat) {
            return Err(reject(
                &obj.name,
                format!(
                    "it contains the COMDAT group `{}`; a replacement cannot reselect group members",
                    g.signature
                ),
            ));
        }
        for (si, sec) in obj.sections.iter().enumerate() {
            let what = match sec.role {
                SectionRole::Alloc {
                    special: Special::Tls,
                    ..
                } => "thread-local storage",
                SectionRole::Alloc {
                    special: Special::Table(..),
                    ..
                } if sec.size > 0 => "a constructor or destructor table",
                SectionRole::Alloc {
                    class: SegmentClass::Rw,
                    ..
                } if sec.size > 0 => "writable data",
                _ => continue,
            };
            let names: Vec<String> = obj
                .symbols
                .iter()
                .filter(|y| y.section == SymSection::Section(si) && y.typ != elf::STT_SECTION)
                .filter(|y| !y.name.is_empty() && !y.name.starts_with(".L"))
                .map(|y| format!("`{}`", y.name))
                .collect();
            let defining = if names.is_empty() {
                String::new()
            } else {
                format!(", defining {}", names.join(", "))
            };
            return Err(reject(
                &obj.name,
                format!(
                    "section `{}` holds {what} ({} bytes{defining}); a reload replaces one \
                     function's code and may add only read-only data",
                    sec.name, sec.size
                ),
            ));
        }
        let mut found = false;
        for sym in obj.symbols.iter().skip(1) {
            if sym.is_local() || sym.typ == elf::STT_FILE || sym.typ == elf::STT_SECTION {
                continue;
            }
            let defined_in = match sym.section {
                SymSection::Undefined => continue,
                SymSection::Common => {
                    return Err(reject(
                        &obj.name,
                        format!(
                            "it defines the common (writable) symbol `{}`; a reload replaces \
                             one function's code",
                            sym.name
                        ),
                    ))
                }
                SymSection::Absolute => None,
                SymSection::Section(i) => obj.sections.get(i),
            };
            if sym.name != target {
                return Err(reject(
                    &obj.name,
                    format!(
                        "it defines the public symbol `{}`; a replacement may define only \
                         `{target}` (make helpers static)",
                        sym.name
                    ),
                ));
            }
            let is_code = defined_in.is_some_and(|s| {
                matches!(
                    s.role,
                    SectionRole::Alloc {
                        class: SegmentClass::Rx,
                        ..
                    }
                )
            });
            if !is_code || sym.typ == elf::STT_OBJECT {
                return Err(reject(
                    &obj.name,
                    format!("its `{target}` is not a function"),
                ));
            }
            found = true;
        }
        if !found {
            return Err(reject(&obj.name, format!("it does not define `{target}`")));
        }
        Ok(())
    }

    /// Entry code and initial slot contents of the entries made by this append, plus the slot
    /// relocation records (the slot of a reloaded function gets a record for its new body).
    pub(super) fn finish_entries(
        &mut self,
        writes: &mut Vec<(u64, Vec<u8>)>,
    ) -> Result<EntryRecords, LinkError> {
        let backend = self.s.backend;
        let pointer = RelocKind {
            arch: self.s.arch,
            r_type: backend.pointer_reloc(),
        };
        let mut funcs = Vec::with_capacity(self.entries.len());
        let mut records = Vec::with_capacity(self.entries.len() + 1);
        for e in &self.entries {
            let code = backend
                .encode_reload_entry(e.entry_addr, e.slot_addr)
                .map_err(|err| LinkError::Stub {
                    symbol: e.name.clone(),
                    reason: err.to_string(),
                })?;
            writes.push((e.entry_addr, code));
            let body_addr = self.entry(e.body).addr;
            writes.push((e.slot_addr, body_addr.to_le_bytes().to_vec()));
            records.push(LinkRelocApply {
                vaddr: e.slot_addr,
                width: SLOT_SIZE as u8,
                kind: pointer,
                target: Some(e.body),
                addend: 0,
                owner: RelocOwner::Linker {
                    input: self.linker_input,
                    section: LINKER_SLOTS,
                },
                via: RelocVia::Direct,
            });
            funcs.push((
                e.name.clone(),
                ReloadFunc {
                    entry: e.entry,
                    entry_addr: e.entry_addr,
                    slot: e.slot,
                    slot_addr: e.slot_addr,
                    bodies: vec![e.body],
                },
            ));
        }
        for r in &self.reload {
            let owner_input = self.entry(r.func.slot).def.input();
            if let (Some(body), Some(input)) = (r.body, owner_input) {
                records.push(LinkRelocApply {
                    vaddr: r.func.slot_addr,
                    width: SLOT_SIZE as u8,
                    kind: pointer,
                    target: Some(body),
                    addend: 0,
                    owner: RelocOwner::Linker {
                        input,
                        section: LINKER_SLOTS,
                    },
                    via: RelocVia::Direct,
                });
            }
        }
        Ok((funcs, records))
    }

    /// (start, size) of this append's entry and slot ranges: `make_reloadable` allocates them
    /// back to back in creation order, so the first and last entries bound them.
    pub(super) fn entry_sections(&self) -> ((u64, u64), (u64, u64)) {
        match (self.entries.first(), self.entries.last()) {
            (Some(first), Some(last)) => {
                let entry_size = self.s.backend.reload_entry_size();
                (
                    (
                        first.entry_addr,
                        last.entry_addr + entry_size - first.entry_addr,
                    ),
                    (
                        first.slot_addr,
                        last.slot_addr + SLOT_SIZE - first.slot_addr,
                    ),
                )
            }
            _ => (
                (self.cursors[SegmentClass::Rx.index()], 0),
                (self.cursors[SegmentClass::Rw.index()], 0),
            ),
        }
    }

    /// The (name, new body) pairs a reload publishes, in batch order (one per object); an
    /// error if an object's definition of its target was not placed.
    pub(super) fn reloaded(&self) -> Result<Vec<(String, LinkSymId)>, LinkError> {
        self.reload
            .iter()
            .map(|r| {
                r.body.map(|body| (r.name.clone(), body)).ok_or_else(|| {
                    LinkError::RejectedReplacement {
                        symbol: r.name.clone(),
                        input: self
                            .objs
                            .get(r.obj)
                            .map_or_else(String::new, |o| o.name.clone()),
                        reason: format!("it does not define `{}` in placed code", r.name),
                    }
                })
            })
            .collect()
    }
}

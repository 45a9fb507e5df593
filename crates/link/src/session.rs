//! The live link session: one per JIT, growing by transactional appends.
//!
//! An append runs in three phases:
//! 1. **prepare** (pure, `&self`): parse, resolve, place at the cursors, plan GOT cells and
//!    stubs, relocate into private buffers. Every input-derived error happens here, before any
//!    memory is touched.
//! 2. **materialize**: commit pages, write the buffers, protect, flush the icache. A failure here
//!    (only possible from the memory layer) leaves committed pages behind, which is harmless: the
//!    cursors did not move and the written range is remembered as dirty so later `.bss`
//!    placements there are explicitly zeroed.
//! 3. **publish** (infallible): symbols, cursors, records and the generation change together.
//!
//! So on any error nothing is published: lookups, symbols, relocation records, cursors and the
//! generation are exactly as before.

use std::collections::{HashMap, HashSet};

use object::elf;

use crate::arch::{
    ArchBackend, LinkArch, RelocClass, RelocError, RelocKind, RelocValues, TLS_DESCRIPTOR_RESOLVER,
};
use crate::ehframe;
use crate::error::{LinkError, RelocSite, Site, UndefinedRef, UndefinedSymbols};
use crate::image::{
    AppendOutcome, Indirection, InputKind, InputRecord, InputReloc, InputSection, LinkInputId,
    LinkRelocApply, LinkSymId, LinkSymbol, ReloadFunc, RelocOwner, RelocVia, SectionPlacement,
    SymbolBinding, SymbolDef, SymbolEntry, SymbolKind, SymbolVisibility, TlsTemplate, Unbound,
};
use crate::input::{
    parse_object, LinkInput, ParsedObject, SectionRole, Special, SymSection, TableKind,
};
use crate::layout::{LinkLayout, SegmentClass};
use crate::memory::{LinkMemory, SymbolResolver};

/// A GOT cell or stub is shared by all references to the same target and offset.
type CellKey = (LinkSymId, i64);

/// The "addend" of a cell key that is a thread-local's TLS descriptor (two words,
/// `{resolver, template address}`) rather than an ordinary cell holding target + addend.
const TLS_DESCRIPTOR: i64 = i64::MIN;

/// Section indices of the linker input of an append.
const LINKER_COMMON: u32 = 1;
const LINKER_GOT: u32 = 2;
const LINKER_STUBS: u32 = 3;
const LINKER_ENTRIES: u32 = 4;
const LINKER_SLOTS: u32 = 5;

mod reload;

pub use reload::AbiCheck;

/// The name the psABI gives the GOT base.
const GOT_SYMBOL: &str = "_GLOBAL_OFFSET_TABLE_";

/// One placed range of the image, for address → symbol queries.
#[derive(Clone, Debug)]
struct IndexRange {
    start: u64,
    end: u64,
    input: LinkInputId,
    /// Position in the input record's `sections`.
    section: usize,
    /// Symbols defined in the range, sorted by (address, preference).
    syms: Vec<LinkSymId>,
}

/// The incremental linker state of one live image. See the module docs for the append protocol.
#[derive(Debug)]
pub struct LinkSession {
    arch: LinkArch,
    backend: &'static dyn ArchBackend,
    layout: LinkLayout,
    /// Next free byte per class.
    cursors: [u64; 3],
    /// End of committed memory per class (page aligned).
    committed_end: [u64; 3],
    /// Bytes below this (and at or above the cursor) may be non-zero from a failed append.
    dirty_end: [u64; 3],
    symbols: Vec<SymbolEntry>,
    globals: HashMap<String, LinkSymId>,
    imports: HashMap<String, LinkSymId>,
    got_cells: HashMap<CellKey, u64>,
    stubs: HashMap<CellKey, u64>,
    comdat: HashMap<String, LinkInputId>,
    got_symbol: Option<LinkSymId>,
    inputs: Vec<InputRecord>,
    index: Vec<IndexRange>,
    relocs: Vec<LinkRelocApply>,
    /// Patch-site index: target → positions in `relocs`.
    reloc_sites: HashMap<LinkSymId, Vec<usize>>,
    generation: u64,
    /// Per generation (index = generation - 1): the first input and the first symbol it added.
    /// Both tables only grow, so a generation's additions are the range up to the next start.
    generation_starts: Vec<(usize, usize)>,
    indirection: Indirection,
    /// Reloadable functions by public name.
    reloadable: HashMap<String, ReloadFunc>,
    /// The file-local definitions of live inputs by name, built the first time an append
    /// binds to them (an input's locals never change once it is published).
    local_index: std::sync::Mutex<HashMap<LinkInputId, LocalIndex>>,
}

type LocalIndex = std::sync::Arc<HashMap<String, LinkSymId>>;

impl LinkSession {
    /// A session over `layout`, linking for `arch`. Nothing is committed until the first append.
    ///
    /// If the layout spans more than the architecture's PC-relative reach
    /// (`backend(arch).max_image_span()`), internal references may fail with relocation
    /// overflow errors; the JIT validates its reservation sizes against that bound.
    pub fn new(arch: LinkArch, layout: LinkLayout) -> Self {
        let starts = SegmentClass::ALL.map(|c| layout.range(c).start);
        LinkSession {
            arch,
            backend: crate::arch::backend(arch),
            layout,
            cursors: starts,
            committed_end: starts,
            dirty_end: starts,
            symbols: Vec::new(),
            globals: HashMap::new(),
            imports: HashMap::new(),
            got_cells: HashMap::new(),
            stubs: HashMap::new(),
            comdat: HashMap::new(),
            got_symbol: None,
            inputs: Vec::new(),
            index: Vec::new(),
            relocs: Vec::new(),
            reloc_sites: HashMap::new(),
            generation: 0,
            generation_starts: Vec::new(),
            indirection: Indirection::None,
            reloadable: HashMap::new(),
            local_index: Default::default(),
        }
    }

    pub fn arch(&self) -> LinkArch {
        self.arch
    }

    pub fn layout(&self) -> &LinkLayout {
        &self.layout
    }

    /// Chooses how functions with external linkage are linked from the next append on
    /// (functions already linked keep their shape: their addresses are observable).
    pub fn set_indirection(&mut self, mode: Indirection) {
        self.indirection = mode;
    }

    pub fn indirection(&self) -> Indirection {
        self.indirection
    }

    /// The reload record of function `name`, if it was linked with an entry and a slot.
    pub fn reload_func(&self, name: &str) -> Option<&ReloadFunc> {
        self.reloadable.get(name)
    }

    /// Every reloadable function, by public name (in no particular order).
    pub fn reload_funcs(&self) -> impl Iterator<Item = (&str, &ReloadFunc)> {
        self.reloadable.iter().map(|(n, f)| (n.as_str(), f))
    }

    /// The next free address of a class.
    pub fn cursor(&self, class: SegmentClass) -> u64 {
        self.cursors[class.index()]
    }

    /// The GOT base used by GOT-relative relocations (`_GLOBAL_OFFSET_TABLE_`): the start of R.
    pub fn got_base(&self) -> u64 {
        self.layout.range(SegmentClass::R).start
    }

    /// Links a batch of objects into the live image: parse, resolve (live globals, then this
    /// batch, then `resolver`), place at cursors, write, relocate, protect, publish.
    /// Transactional: on any error nothing is published and cursors roll back.
    pub fn append(
        &mut self,
        inputs: Vec<LinkInput>,
        mem: &mut dyn LinkMemory,
        resolver: &dyn SymbolResolver,
    ) -> Result<AppendOutcome, LinkError> {
        let plan = Builder::new(self, &inputs, resolver)?.build()?;
        self.materialize(&plan, mem)?;
        Ok(self.publish(plan))
    }

    /// Like [`append`](Self::append), for code compiled in the scope of an input already
    /// linked (a debugger snippet compiled with a program file's declarations): names the
    /// inputs leave undefined also bind to `scope`'s file-local definitions (its `static`
    /// functions and objects), after the global ones.
    pub fn append_in_scope(
        &mut self,
        inputs: Vec<LinkInput>,
        mem: &mut dyn LinkMemory,
        resolver: &dyn SymbolResolver,
        scope: LinkInputId,
    ) -> Result<AppendOutcome, LinkError> {
        let mut b = Builder::new(self, &inputs, resolver)?;
        b.local_scope = Some(scope);
        let plan = b.build()?;
        self.materialize(&plan, mem)?;
        Ok(self.publish(plan))
    }

    /// Address of a global symbol defined in the image.
    pub fn lookup(&self, name: &str) -> Option<u64> {
        self.globals
            .get(name)
            .map(|id| self.symbols[id.index()].addr)
    }

    /// The global symbol `name`, with its id.
    pub fn lookup_symbol(&self, name: &str) -> Option<LinkSymbol<'_>> {
        self.globals.get(name).and_then(|&id| self.symbol(id))
    }

    /// Any symbol by id (including locals, externals and section symbols).
    pub fn symbol(&self, id: LinkSymId) -> Option<LinkSymbol<'_>> {
        self.symbols.get(id.index()).map(|e| LinkSymbol::new(id, e))
    }

    /// Name and offset for any address inside the image: the defined symbol covering it (by
    /// size), else the nearest preceding symbol in the same section, else the section itself.
    pub fn addr_to_sym(&self, addr: u64) -> Option<(&str, u64)> {
        let i = self.index.partition_point(|r| r.start <= addr);
        let range = self.index.get(i.checked_sub(1)?)?;
        if addr >= range.end {
            return None;
        }
        let j = range
            .syms
            .partition_point(|id| self.symbols[id.index()].addr <= addr);
        let mut nearest: Option<&SymbolEntry> = None;
        for id in range.syms[..j].iter().rev() {
            let e = &self.symbols[id.index()];
            if nearest.is_none() {
                nearest = Some(e);
            }
            if e.size > 0 && addr - e.addr < e.size {
                return Some((&e.name, addr - e.addr));
            }
        }
        if let Some(e) = nearest {
            return Some((&e.name, addr - e.addr));
        }
        let section = self
            .inputs
            .get(range.input.index())?
            .sections
            .get(range.section)?;
        Some((&section.name, addr - range.start))
    }

    /// Function and data symbols in the image (globals and locals, linker stubs and GOT cells),
    /// in definition order. Section symbols, externals and assembler-local `.L` labels are
    /// left out.
    /// Reloadable functions appear once, as their stable entry; their generationed bodies and
    /// slots are implementation details listed only by [`all_symbols`](Self::all_symbols).
    pub fn symbols(&self) -> impl Iterator<Item = LinkSymbol<'_>> {
        self.all_symbols()
            .filter(|s| !matches!(s.kind, SymbolKind::ReloadBody | SymbolKind::ReloadSlot))
    }

    /// Like [`symbols`](Self::symbols), plus the internal symbols of reloadable functions
    /// (`foo$body$N`, `foo$slot`): what debuggers and the JIT view need.
    pub fn all_symbols(&self) -> impl Iterator<Item = LinkSymbol<'_>> {
        self.symbols
            .iter()
            .enumerate()
            .filter(|(_, e)| Self::listed(e))
            .map(|(i, e)| LinkSymbol::new(LinkSymId(i as u32), e))
    }

    /// +1 per successful append.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The input and symbol index ranges generation `generation` added.
    fn generation_ranges(
        &self,
        generation: u64,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let i = usize::try_from(generation.checked_sub(1)?).ok()?;
        let &(inputs, symbols) = self.generation_starts.get(i)?;
        let (inputs_end, symbols_end) = self
            .generation_starts
            .get(i + 1)
            .copied()
            .unwrap_or((self.inputs.len(), self.symbols.len()));
        Some((inputs..inputs_end, symbols..symbols_end))
    }

    /// The inputs generation `generation` added (its objects, then its linker input), empty
    /// for a generation that does not exist. With [`generation_symbols`](Self::generation_symbols)
    /// this describes one append on its own, at a cost independent of the image's size: the
    /// GDB JIT interface registers one object per append from it.
    pub fn generation_inputs(&self, generation: u64) -> &[InputRecord] {
        self.generation_ranges(generation)
            .and_then(|(inputs, _)| self.inputs.get(inputs))
            .unwrap_or(&[])
    }

    /// The symbols generation `generation` added, filtered like
    /// [`all_symbols`](Self::all_symbols) (so including reloadable bodies and slots).
    pub fn generation_symbols(&self, generation: u64) -> impl Iterator<Item = LinkSymbol<'_>> {
        let range = self
            .generation_ranges(generation)
            .map_or(0..0, |(_, symbols)| symbols);
        self.symbols[range.clone()]
            .iter()
            .zip(range)
            .filter(|(e, _)| Self::listed(e))
            .map(|(e, i)| LinkSymbol::new(LinkSymId(i as u32), e))
    }

    /// Whether [`all_symbols`](Self::all_symbols) lists a symbol.
    fn listed(e: &SymbolEntry) -> bool {
        e.def.in_image()
            && e.kind != SymbolKind::Section
            && !e.name.is_empty()
            && !(e.binding == SymbolBinding::Local && e.name.starts_with(".L"))
    }

    /// Durable relocation records of every append, in application order.
    pub fn relocs(&self) -> &[LinkRelocApply] {
        &self.relocs
    }

    /// The relocation records whose target is `target` (patch-site index).
    pub fn relocs_targeting(&self, target: LinkSymId) -> impl Iterator<Item = &LinkRelocApply> {
        self.reloc_sites
            .get(&target)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.relocs.get(i))
    }

    /// Every input ever appended (objects and linker inputs), by id.
    pub fn inputs(&self) -> &[InputRecord] {
        &self.inputs
    }

    pub fn input(&self, id: LinkInputId) -> Option<&InputRecord> {
        self.inputs.get(id.index())
    }

    /// The file-local definitions of live input `input` by name (the first of a name).
    fn local_index(&self, input: LinkInputId) -> LocalIndex {
        let mut cache = self.local_index.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(input)
            .or_insert_with(|| {
                let mut map = HashMap::new();
                let ids = self.input(input).map_or(&[][..], |r| r.symbols.as_slice());
                for &id in ids.iter().flatten() {
                    let e = &self.symbols[id.index()];
                    let own = matches!(e.def, SymbolDef::Section { input: j, .. } if j == input);
                    if own && e.binding == SymbolBinding::Local {
                        map.entry(e.name.clone()).or_insert(id);
                    }
                }
                std::sync::Arc::new(map)
            })
            .clone()
    }

    /// Phase 2: put the planned bytes into memory. On failure, cursors are untouched and the
    /// touched range is remembered as dirty.
    fn materialize(&mut self, plan: &Plan, mem: &mut dyn LinkMemory) -> Result<(), LinkError> {
        let result = self.materialize_inner(plan, mem);
        if result.is_err() {
            for c in 0..3 {
                self.dirty_end[c] = self.dirty_end[c].max(plan.cursors[c]);
            }
        }
        result
    }

    fn materialize_inner(
        &mut self,
        plan: &Plan,
        mem: &mut dyn LinkMemory,
    ) -> Result<(), LinkError> {
        let memerr = |stage| move |source| LinkError::Memory { stage, source };
        for class in SegmentClass::ALL {
            let c = class.index();
            let want = self.layout.page_ceil(plan.cursors[c]);
            if want > self.committed_end[c] {
                mem.commit(self.committed_end[c], want - self.committed_end[c])
                    .map_err(memerr("committing pages"))?;
                self.committed_end[c] = want;
            }
        }
        for (addr, bytes) in &plan.writes {
            mem.write(*addr, bytes)
                .map_err(memerr("writing section contents"))?;
        }
        for &(addr, len) in &plan.zero_fills {
            let zeros = vec![0u8; 64 * 1024];
            let mut done = 0u64;
            while done < len {
                let n = (len - done).min(zeros.len() as u64);
                mem.write(addr + done, &zeros[..n as usize])
                    .map_err(memerr("zero-filling .bss"))?;
                done += n;
            }
        }
        for class in SegmentClass::ALL {
            let c = class.index();
            let (old, new) = (self.cursors[c], plan.cursors[c]);
            if new > old {
                let start = self.layout.page_floor(old);
                let end = self.layout.page_ceil(new);
                mem.protect(start, end - start, class.protection())
                    .map_err(memerr("protecting pages"))?;
                if class == SegmentClass::Rx {
                    mem.flush_icache(old, new - old);
                }
            }
        }
        Ok(())
    }

    /// Phase 3: make the append visible. Cannot fail.
    fn publish(&mut self, plan: Plan) -> AppendOutcome {
        let Plan {
            symbols,
            globals,
            imports,
            got_cells,
            stubs,
            comdat,
            got_symbol,
            inputs,
            index,
            relocs,
            cursors,
            writes: _,
            zero_fills: _,
            new_reloadable,
            reloaded,
            mut outcome,
        } = plan;
        self.generation_starts
            .push((self.inputs.len(), self.symbols.len()));
        self.reloadable.extend(new_reloadable);
        for (name, body) in reloaded {
            if let Some(f) = self.reloadable.get_mut(&name) {
                f.bodies.push(body);
            }
        }
        self.symbols.extend(symbols);
        self.globals.extend(globals);
        self.imports.extend(imports);
        self.got_cells.extend(got_cells);
        self.stubs.extend(stubs);
        self.comdat.extend(comdat);
        if got_symbol.is_some() {
            self.got_symbol = got_symbol;
        }
        self.inputs.extend(inputs);
        self.index.extend(index);
        self.index.sort_by_key(|r| r.start);
        for r in relocs {
            if let Some(t) = r.target {
                self.reloc_sites
                    .entry(t)
                    .or_default()
                    .push(self.relocs.len());
            }
            self.relocs.push(r);
        }
        self.cursors = cursors;
        self.generation += 1;
        outcome.generation = self.generation;
        outcome
    }
}

/// Everything an append will publish, computed without touching the session.
struct Plan {
    symbols: Vec<SymbolEntry>,
    globals: HashMap<String, LinkSymId>,
    imports: HashMap<String, LinkSymId>,
    got_cells: Vec<(CellKey, u64)>,
    stubs: Vec<(CellKey, u64)>,
    comdat: HashMap<String, LinkInputId>,
    got_symbol: Option<LinkSymId>,
    inputs: Vec<InputRecord>,
    index: Vec<IndexRange>,
    relocs: Vec<LinkRelocApply>,
    cursors: [u64; 3],
    writes: Vec<(u64, Vec<u8>)>,
    zero_fills: Vec<(u64, u64)>,
    /// Functions this append linked behind entries and slots.
    new_reloadable: Vec<(String, ReloadFunc)>,
    /// A reload: each function and its new body, in batch order (one per object; the slot
    /// stores happen between materialize and publish).
    reloaded: Vec<(String, LinkSymId)>,
    outcome: AppendOutcome,
}

/// Where a placed input section went.
#[derive(Clone, Copy, Debug)]
struct Placed {
    class: SegmentClass,
    addr: u64,
    /// Placed size (eh_frame includes the terminator).
    size: u64,
}

/// What an ELF symbol of an input refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// Null symbol, file symbols: never a relocation target.
    None,
    Id(LinkSymId),
    /// Defined in a section that is not placed (COMDAT loser, ignored section).
    Discarded,
    /// Resolve by name (undefined, or a global whose definition lost).
    Named,
    /// Nobody defines it (an error if a placed relocation uses it).
    Unresolved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Weak,
    Common,
    Strong,
}

/// The winning definition of a global name within the batch.
#[derive(Clone, Copy, Debug)]
struct BatchDef {
    obj: usize,
    sym: usize,
    strength: Strength,
    /// For COMMON: the largest size and alignment across the batch.
    common_size: u64,
    common_align: u64,
}

/// A constructor/destructor table read back from its relocated section.
struct TableSection {
    kind: TableKind,
    prio: Option<u32>,
    obj: usize,
    sec: usize,
    entries: Vec<u64>,
}

/// How one planned relocation reaches its target.
#[derive(Clone, Copy, Debug)]
enum Route {
    Direct,
    Got(CellKey),
    Stub(CellKey),
}

#[derive(Clone, Debug)]
struct PlannedReloc {
    sec: usize,
    offset: u64,
    r_type: u32,
    width: u8,
    target: Option<LinkSymId>,
    addend: i64,
    route: Route,
}

/// Phase 1 state: the transaction under construction.
struct Builder<'s> {
    s: &'s LinkSession,
    resolver: &'s dyn SymbolResolver,
    objs: Vec<ParsedObject>,
    base_input: u32,
    linker_input: LinkInputId,
    discarded: Vec<Vec<bool>>,
    placed: Vec<Vec<Option<Placed>>>,
    slots: Vec<Vec<Slot>>,
    /// The input's own definition of each ELF symbol defined in one of its sections, where
    /// that differs from what references bind to (`slots`): a global that lost, or one
    /// replaced by a reloadable entry. Non-alloc relocations (debug info) bind to these.
    own_defs: Vec<Vec<Option<Slot>>>,
    syms: Vec<SymbolEntry>,
    globals: HashMap<String, LinkSymId>,
    imports: HashMap<String, LinkSymId>,
    unresolved: HashSet<String>,
    undef_weak: HashMap<String, LinkSymId>,
    got_symbol: Option<LinkSymId>,
    comdat: HashMap<String, LinkInputId>,
    cursors: [u64; 3],
    batch: HashMap<String, BatchDef>,
    common_section: (u64, u64),
    new_cells: Vec<(CellKey, u64)>,
    cell_index: HashMap<CellKey, usize>,
    new_stubs: Vec<(CellKey, u64)>,
    stub_index: HashMap<CellKey, usize>,
    got_section: (u64, u64),
    stub_section: (u64, u64),
    /// The functions this transaction replaces, one per object (empty for an append).
    reload: Vec<reload::ReloadTarget>,
    /// An input whose file-local definitions undefined names may bind to (`append_in_scope`).
    local_scope: Option<LinkInputId>,
    /// Entries and slots made in this append, in creation order.
    entries: Vec<reload::NewEntry>,
}

impl<'s> Builder<'s> {
    fn new(
        s: &'s LinkSession,
        inputs: &[LinkInput],
        resolver: &'s dyn SymbolResolver,
    ) -> Result<Self, LinkError> {
        let objs = inputs
            .iter()
            .map(|i| parse_object(i, s.backend))
            .collect::<Result<Vec<_>, _>>()?;
        let base_input = s.inputs.len() as u32;
        let linker_input = LinkInputId(base_input + objs.len() as u32);
        Ok(Builder {
            s,
            resolver,
            discarded: objs.iter().map(|o| vec![false; o.sections.len()]).collect(),
            placed: objs.iter().map(|o| vec![None; o.sections.len()]).collect(),
            slots: objs
                .iter()
                .map(|o| vec![Slot::None; o.symbols.len()])
                .collect(),
            own_defs: objs.iter().map(|o| vec![None; o.symbols.len()]).collect(),
            objs,
            base_input,
            linker_input,
            syms: Vec::new(),
            globals: HashMap::new(),
            imports: HashMap::new(),
            unresolved: HashSet::new(),
            undef_weak: HashMap::new(),
            got_symbol: None,
            comdat: HashMap::new(),
            cursors: s.cursors,
            batch: HashMap::new(),
            common_section: (0, 0),
            new_cells: Vec::new(),
            cell_index: HashMap::new(),
            new_stubs: Vec::new(),
            stub_index: HashMap::new(),
            got_section: (0, 0),
            stub_section: (0, 0),
            reload: Vec::new(),
            local_scope: None,
            entries: Vec::new(),
        })
    }

    fn obj_id(&self, oi: usize) -> LinkInputId {
        LinkInputId(self.base_input + oi as u32)
    }

    fn entry(&self, id: LinkSymId) -> &SymbolEntry {
        let base = self.s.symbols.len();
        if id.index() < base {
            &self.s.symbols[id.index()]
        } else {
            &self.syms[id.index() - base]
        }
    }

    fn add_symbol(&mut self, e: SymbolEntry) -> LinkSymId {
        let id = LinkSymId((self.s.symbols.len() + self.syms.len()) as u32);
        self.syms.push(e);
        id
    }

    /// Name of the input that defines live symbol `id`, for duplicate messages.
    fn live_input_name(&self, id: LinkSymId) -> String {
        self.entry(id)
            .def
            .input()
            .and_then(|i| self.s.inputs.get(i.index()))
            .map_or_else(|| "the live image".to_string(), |r| r.name.clone())
    }

    fn site(&self, oi: usize, sec: usize, offset: u64) -> Site {
        let obj = &self.objs[oi];
        Site {
            input: obj.name.clone(),
            section: obj
                .sections
                .get(sec)
                .map_or_else(String::new, |s| s.name.clone()),
            offset,
            function: obj.enclosing_symbol(sec, offset).map(str::to_owned),
        }
    }

    fn build(mut self) -> Result<Plan, LinkError> {
        self.select_groups();
        self.check_replacement()?;
        self.check_sections()?;
        self.prune_eh_frames()?;
        self.collect_definitions()?;
        self.place_sections()?;
        self.place_commons()?;
        self.create_symbols()?;
        self.resolve_names();
        self.check_undefined()?;
        let planned = self.plan_relocs()?;
        self.place_linker_cells()?;
        self.finish(planned)
    }

    /// COMDAT: the first group with a signature wins (live image first, then batch order).
    fn select_groups(&mut self) {
        for oi in 0..self.objs.len() {
            let id = self.obj_id(oi);
            for g in 0..self.objs[oi].groups.len() {
                let group = &self.objs[oi].groups[g];
                if !group.comdat {
                    continue;
                }
                let taken = self.s.comdat.contains_key(&group.signature)
                    || self.comdat.contains_key(&group.signature);
                if taken {
                    for &m in &group.members {
                        if let Some(d) = self.discarded[oi].get_mut(m) {
                            *d = true;
                        }
                    }
                } else {
                    self.comdat.insert(group.signature.clone(), id);
                }
            }
        }
    }

    /// Reject what cannot be placed: relocations on NOBITS sections.
    fn check_sections(&self) -> Result<(), LinkError> {
        for (oi, obj) in self.objs.iter().enumerate() {
            for (si, sec) in obj.sections.iter().enumerate() {
                if self.discarded[oi][si] {
                    continue;
                }
                match sec.role {
                    SectionRole::Alloc { nobits: true, .. } if !sec.relocs.is_empty() => {
                        return Err(LinkError::BadSection {
                            input: obj.name.clone(),
                            section: sec.name.clone(),
                            reason: "relocations applied to a NOBITS section".into(),
                        })
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Drop FDEs describing code in discarded sections.
    fn prune_eh_frames(&mut self) -> Result<(), LinkError> {
        for oi in 0..self.objs.len() {
            if !self.discarded[oi].iter().any(|&d| d) {
                continue;
            }
            let discarded = &self.discarded[oi];
            let obj = &mut self.objs[oi];
            let symbols = &obj.symbols;
            for sec in obj.sections.iter_mut() {
                if !matches!(
                    sec.role,
                    SectionRole::Alloc {
                        special: Special::EhFrame,
                        nobits: false,
                        ..
                    }
                ) {
                    continue;
                }
                let keep = |r: &crate::input::ParsedReloc| match symbols.get(r.sym as usize) {
                    Some(s) => match s.section {
                        SymSection::Section(i) => !discarded.get(i).copied().unwrap_or(false),
                        _ => true,
                    },
                    None => true,
                };
                let (data, relocs) =
                    ehframe::prune_fdes(&sec.data, &sec.relocs, keep).map_err(|reason| {
                        LinkError::BadSection {
                            input: obj.name.clone(),
                            section: sec.name.clone(),
                            reason,
                        }
                    })?;
                sec.size = data.len() as u64;
                sec.data = data;
                sec.relocs = relocs;
            }
        }
        Ok(())
    }

    /// Whether symbol `si` of object `oi` is defined in a section that will be placed.
    fn defined_in_placed(&self, oi: usize, section: SymSection) -> bool {
        match section {
            SymSection::Section(i) => {
                !self.discarded[oi][i]
                    && matches!(self.objs[oi].sections[i].role, SectionRole::Alloc { .. })
            }
            SymSection::Absolute | SymSection::Common => true,
            SymSection::Undefined => false,
        }
    }

    /// Pick the definition of every global name defined in the batch, checking duplicates
    /// against the live image and within the batch.
    fn collect_definitions(&mut self) -> Result<(), LinkError> {
        for oi in 0..self.objs.len() {
            for si in 1..self.objs[oi].symbols.len() {
                let sym = &self.objs[oi].symbols[si];
                if sym.is_local() || sym.typ == elf::STT_FILE || sym.typ == elf::STT_SECTION {
                    continue;
                }
                if !self.defined_in_placed(oi, sym.section) {
                    continue;
                }
                if self.is_reload_target(oi, &sym.name) {
                    // The new body; the public name stays bound to the live entry.
                    continue;
                }
                if sym.typ == elf::STT_GNU_IFUNC {
                    return Err(LinkError::BadSymbol {
                        input: self.objs[oi].name.clone(),
                        symbol: sym.name.clone(),
                        reason: "GNU indirect functions (IFUNC) are not supported".into(),
                    });
                }
                let strength = match sym.section {
                    SymSection::Common => Strength::Common,
                    _ if sym.is_weak() => Strength::Weak,
                    _ => Strength::Strong,
                };
                let (common_size, common_align) = if strength == Strength::Common {
                    (sym.size, sym.value.max(1))
                } else {
                    (0, 1)
                };
                if !common_align.is_power_of_two() {
                    return Err(LinkError::BadSymbol {
                        input: self.objs[oi].name.clone(),
                        symbol: sym.name.clone(),
                        reason: format!("COMMON alignment {common_align} is not a power of two"),
                    });
                }
                if let Some(&live) = self.s.globals.get(&sym.name) {
                    let e = &self.s.symbols[live.index()];
                    if strength == Strength::Strong && e.binding != SymbolBinding::Weak {
                        return Err(LinkError::DuplicateDefinition {
                            symbol: sym.name.clone(),
                            first: self.live_input_name(live),
                            second: self.objs[oi].name.clone(),
                        });
                    }
                    if strength == Strength::Common
                        && e.kind == SymbolKind::Data
                        && e.size < common_size
                    {
                        return Err(LinkError::CommonTooLarge {
                            symbol: sym.name.clone(),
                            input: self.objs[oi].name.clone(),
                            size: common_size,
                            existing: e.size,
                        });
                    }
                    // Live definitions win: addresses already observed never change.
                    continue;
                }
                let new = BatchDef {
                    obj: oi,
                    sym: si,
                    strength,
                    common_size,
                    common_align,
                };
                let name = sym.name.clone();
                match self.batch.get_mut(&name) {
                    None => {
                        self.batch.insert(name, new);
                    }
                    Some(d) => match (d.strength, strength) {
                        (Strength::Strong, Strength::Strong) => {
                            return Err(LinkError::DuplicateDefinition {
                                symbol: name,
                                first: self.objs[d.obj].name.clone(),
                                second: self.objs[oi].name.clone(),
                            });
                        }
                        (Strength::Common, Strength::Common) => {
                            d.common_size = d.common_size.max(common_size);
                            d.common_align = d.common_align.max(common_align);
                        }
                        (old, new_strength) if new_strength > old => *d = new,
                        _ => {}
                    },
                }
            }
        }
        Ok(())
    }

    /// Reserve `size` bytes aligned to `align` at the class cursor.
    fn alloc(&mut self, class: SegmentClass, size: u64, align: u64) -> Result<u64, LinkError> {
        let c = class.index();
        let range = self.s.layout.range(class);
        let exhausted = |b: &Self| LinkError::CapacityExhausted {
            class,
            requested: b.cursors[c]
                .saturating_sub(b.s.cursors[c])
                .saturating_add(size),
            available: range.end().saturating_sub(b.s.cursors[c]),
            capacity: range.size,
        };
        let align = align.max(1);
        let addr = self.cursors[c]
            .checked_add(align - 1)
            .map(|a| a & !(align - 1))
            .ok_or_else(|| exhausted(self))?;
        let end = addr.checked_add(size).ok_or_else(|| exhausted(self))?;
        if end > range.end() {
            return Err(exhausted(self));
        }
        self.cursors[c] = end;
        Ok(addr)
    }

    /// Place every non-discarded allocated section at its class cursor: per class, in input
    /// order, then section order. Sections are packed by alignment, not page-aligned.
    fn place_sections(&mut self) -> Result<(), LinkError> {
        for class in SegmentClass::ALL {
            for oi in 0..self.objs.len() {
                for si in 0..self.objs[oi].sections.len() {
                    let sec = &self.objs[oi].sections[si];
                    let SectionRole::Alloc {
                        class: c,
                        nobits,
                        special,
                    } = sec.role
                    else {
                        continue;
                    };
                    if c != class || self.discarded[oi][si] {
                        continue;
                    }
                    let mut size = if nobits {
                        sec.size
                    } else {
                        sec.data.len() as u64
                    };
                    if special == Special::EhFrame {
                        size += 4;
                    }
                    let align = sec.align;
                    let addr = self.alloc(class, size, align)?;
                    self.placed[oi][si] = Some(Placed { class, addr, size });
                }
            }
        }
        Ok(())
    }

    /// Allocate storage for the batch's COMMON winners in RW.
    fn place_commons(&mut self) -> Result<(), LinkError> {
        let mut commons: Vec<(String, BatchDef)> = self
            .batch
            .iter()
            .filter(|(_, d)| d.strength == Strength::Common)
            .map(|(n, d)| (n.clone(), *d))
            .collect();
        commons.sort_by_key(|(_, d)| (d.obj, d.sym));
        let start = self.cursors[SegmentClass::Rw.index()];
        let mut first = None;
        for (name, d) in commons {
            let addr = self.alloc(SegmentClass::Rw, d.common_size, d.common_align)?;
            first.get_or_insert(addr);
            let sym = &self.objs[d.obj].symbols[d.sym];
            let id = self.add_symbol(SymbolEntry {
                name: name.clone(),
                addr,
                size: d.common_size,
                kind: SymbolKind::Data,
                binding: SymbolBinding::Global,
                visibility: visibility(sym.visibility),
                def: SymbolDef::Linker {
                    input: self.linker_input,
                    section: LINKER_COMMON,
                },
            });
            self.globals.insert(name, id);
        }
        let end = self.cursors[SegmentClass::Rw.index()];
        self.common_section = (first.unwrap_or(start), end - first.unwrap_or(start));
        Ok(())
    }

    /// Give every symbol of every input a session symbol or a resolution slot.
    fn create_symbols(&mut self) -> Result<(), LinkError> {
        for oi in 0..self.objs.len() {
            let input = self.obj_id(oi);
            for si in 1..self.objs[oi].symbols.len() {
                let sym = self.objs[oi].symbols[si].clone();
                let slot = if sym.typ == elf::STT_FILE {
                    Slot::None
                } else if sym.typ == elf::STT_SECTION {
                    match sym.section {
                        SymSection::Section(i) => self.section_symbol(oi, i),
                        _ => Slot::None,
                    }
                } else if sym.is_local() {
                    match sym.section {
                        SymSection::Section(i) => {
                            self.defined_symbol(oi, i, &sym, SymbolBinding::Local)
                        }
                        SymSection::Absolute => Slot::Id(self.add_symbol(SymbolEntry {
                            name: sym.name.clone(),
                            addr: sym.value,
                            size: sym.size,
                            kind: SymbolKind::Data,
                            binding: SymbolBinding::Local,
                            visibility: visibility(sym.visibility),
                            def: SymbolDef::Absolute { input },
                        })),
                        _ => Slot::None,
                    }
                } else {
                    let winner = self
                        .batch
                        .get(&sym.name)
                        .is_some_and(|d| d.obj == oi && d.sym == si);
                    let binding = if sym.is_weak() {
                        SymbolBinding::Weak
                    } else {
                        SymbolBinding::Global
                    };
                    match sym.section {
                        SymSection::Common => Slot::Named,
                        SymSection::Undefined => Slot::Named,
                        SymSection::Absolute if winner => {
                            let id = self.add_symbol(SymbolEntry {
                                name: sym.name.clone(),
                                addr: sym.value,
                                size: sym.size,
                                kind: SymbolKind::Data,
                                binding,
                                visibility: visibility(sym.visibility),
                                def: SymbolDef::Absolute { input },
                            });
                            self.globals.insert(sym.name.clone(), id);
                            Slot::Id(id)
                        }
                        SymSection::Absolute => Slot::Named,
                        SymSection::Section(i) if self.is_reload_target(oi, &sym.name) => {
                            let own = self.defined_symbol(oi, i, &sym, binding);
                            if let Slot::Id(id) = own {
                                self.make_reload_body(oi, id);
                            }
                            self.own_defs[oi][si] = Some(own);
                            // References (recursion, address-taking) bind to the live entry.
                            Slot::Named
                        }
                        SymSection::Section(i) => {
                            let own = self.defined_symbol(oi, i, &sym, binding);
                            self.own_defs[oi][si] = Some(own);
                            match own {
                                Slot::Id(id) if winner => {
                                    let public = self.make_reloadable(id)?.unwrap_or(id);
                                    self.globals.insert(sym.name.clone(), public);
                                    Slot::Id(public)
                                }
                                // A definition that lost (to the live image or a stronger one in
                                // the batch) stays visible to addr_to_sym, but references bind
                                // to the winner by name.
                                _ => Slot::Named,
                            }
                        }
                    }
                };
                self.slots[oi][si] = slot;
            }
        }
        Ok(())
    }

    fn section_symbol(&mut self, oi: usize, i: usize) -> Slot {
        let input = self.obj_id(oi);
        let Some(sec) = self.objs[oi].sections.get(i) else {
            return Slot::None;
        };
        let name = sec.name.clone();
        if let Some(p) = self.placed[oi][i] {
            return Slot::Id(self.add_symbol(SymbolEntry {
                name,
                addr: p.addr,
                size: p.size,
                kind: SymbolKind::Section,
                binding: SymbolBinding::Local,
                visibility: SymbolVisibility::Default,
                def: SymbolDef::Section {
                    input,
                    section: i as u32,
                },
            }));
        }
        if sec.role == SectionRole::NonAlloc && !self.discarded[oi][i] {
            return Slot::Id(self.add_symbol(SymbolEntry {
                name,
                addr: 0,
                size: sec.size,
                kind: SymbolKind::Section,
                binding: SymbolBinding::Local,
                visibility: SymbolVisibility::Default,
                def: SymbolDef::NonAlloc {
                    input,
                    section: i as u32,
                },
            }));
        }
        Slot::Discarded
    }

    /// A symbol defined in section `i` of object `oi` (placed, non-alloc, or discarded).
    fn defined_symbol(
        &mut self,
        oi: usize,
        i: usize,
        sym: &crate::input::ParsedSymbol,
        binding: SymbolBinding,
    ) -> Slot {
        let input = self.obj_id(oi);
        if let Some(p) = self.placed[oi][i] {
            let kind = match sym.typ {
                elf::STT_FUNC => SymbolKind::Function,
                elf::STT_TLS => SymbolKind::ThreadLocal,
                elf::STT_OBJECT | elf::STT_COMMON => SymbolKind::Data,
                _ if p.class == SegmentClass::Rx => SymbolKind::Function,
                _ => SymbolKind::Data,
            };
            return Slot::Id(self.add_symbol(SymbolEntry {
                name: sym.name.clone(),
                addr: p.addr.wrapping_add(sym.value),
                size: sym.size,
                kind,
                binding,
                visibility: visibility(sym.visibility),
                def: SymbolDef::Section {
                    input,
                    section: i as u32,
                },
            }));
        }
        let sec = &self.objs[oi].sections[i];
        if sec.role == SectionRole::NonAlloc && !self.discarded[oi][i] {
            return Slot::Id(self.add_symbol(SymbolEntry {
                name: sym.name.clone(),
                addr: sym.value,
                size: sym.size,
                kind: SymbolKind::Data,
                binding,
                visibility: visibility(sym.visibility),
                def: SymbolDef::NonAlloc {
                    input,
                    section: i as u32,
                },
            }));
        }
        Slot::Discarded
    }

    /// Resolve every `Named` slot: live globals, then the batch, then linker-defined names, then
    /// the resolver; weak references nobody satisfies become 0.
    fn resolve_names(&mut self) {
        for oi in 0..self.objs.len() {
            for si in 1..self.slots[oi].len() {
                if self.slots[oi][si] != Slot::Named {
                    continue;
                }
                let sym = &self.objs[oi].symbols[si];
                let name = sym.name.clone();
                let weak = sym.is_weak();
                self.slots[oi][si] = match self.resolve_name(oi, &name, weak) {
                    Some(id) => Slot::Id(id),
                    None => Slot::Unresolved,
                };
            }
        }
    }

    /// A file-local definition (`static` function or object, a function's `static` local) of
    /// the scope input (`append_in_scope`) or, for batch object `oi` of a reload, of the
    /// translation unit its target's first body came from: code compiled from (or with) the
    /// same file shares its statics instead of redefining them. Per object, because the
    /// functions of one reload batch may come from different files.
    fn reload_local(&self, oi: usize, name: &str) -> Option<LinkSymId> {
        let input = match self.local_scope {
            Some(scope) => scope,
            None => {
                let first = *self.reload_target(oi)?.func.bodies.first()?;
                match self.s.symbols.get(first.index())?.def {
                    SymbolDef::Section { input, .. } => input,
                    _ => return None,
                }
            }
        };
        self.s.local_index(input).get(name).copied()
    }

    /// What a name referenced by batch object `oi` binds to. File-local definitions of the
    /// object's scope come before the resolver's answers (cached in `imports` for the whole
    /// batch), so each object of a reload batch finds its own file's statics.
    fn resolve_name(&mut self, oi: usize, name: &str, weak: bool) -> Option<LinkSymId> {
        // The file's own statics come first: code compiled from a unit that declared `foo`
        // static means that `foo`, whatever another file exports under the name.
        if let Some(id) = self.reload_local(oi, name) {
            return Some(id);
        }
        if let Some(&id) = self.s.globals.get(name) {
            return Some(id);
        }
        if let Some(&id) = self.globals.get(name) {
            return Some(id);
        }
        if name == GOT_SYMBOL {
            if let Some(id) = self.s.got_symbol.or(self.got_symbol) {
                return Some(id);
            }
            let id = self.add_symbol(SymbolEntry {
                name: GOT_SYMBOL.into(),
                addr: self.s.got_base(),
                size: 0,
                kind: SymbolKind::External,
                binding: SymbolBinding::Global,
                visibility: SymbolVisibility::Hidden,
                def: SymbolDef::LinkerDefined,
            });
            self.got_symbol = Some(id);
            return Some(id);
        }
        if let Some(&id) = self.imports.get(name) {
            return Some(id);
        }
        if !self.unresolved.contains(name) {
            if let Some(addr) = self.resolver.resolve(name) {
                let id = match self.s.imports.get(name) {
                    Some(&id) if self.s.symbols[id.index()].addr == addr => id,
                    _ => self.add_symbol(SymbolEntry {
                        name: name.to_owned(),
                        addr,
                        size: 0,
                        kind: SymbolKind::External,
                        binding: SymbolBinding::Global,
                        visibility: SymbolVisibility::Default,
                        def: SymbolDef::External,
                    }),
                };
                self.imports.insert(name.to_owned(), id);
                return Some(id);
            }
            self.unresolved.insert(name.to_owned());
        }
        if weak {
            if let Some(&id) = self.undef_weak.get(name) {
                return Some(id);
            }
            let id = self.add_symbol(SymbolEntry {
                name: name.to_owned(),
                addr: 0,
                size: 0,
                kind: SymbolKind::External,
                binding: SymbolBinding::Weak,
                visibility: SymbolVisibility::Default,
                def: SymbolDef::UndefinedWeak,
            });
            self.undef_weak.insert(name.to_owned(), id);
            return Some(id);
        }
        None
    }

    /// The durable form of a relocation of a non-allocated section of object `oi`: bound to
    /// the object's own definition of its symbol when it has one (see [`InputReloc::target`]).
    fn nonalloc_reloc(&self, oi: usize, r: &crate::input::ParsedReloc) -> InputReloc {
        let sym = r.sym as usize;
        let bound = match self.own_defs[oi].get(sym).copied().flatten() {
            Some(own) => Some(own),
            None => self.slots[oi].get(sym).copied(),
        };
        let name = || self.objs[oi].symbol_display_name(r.sym);
        let (target, unbound) = match bound {
            _ if r.sym == 0 => (None, None),
            Some(Slot::Id(t)) => (Some(t), None),
            Some(Slot::Discarded) => (None, Some(Unbound::Discarded { symbol: name() })),
            _ => (None, Some(Unbound::Undefined { symbol: name() })),
        };
        InputReloc {
            offset: r.offset,
            kind: RelocKind {
                arch: self.s.arch,
                r_type: r.r_type,
            },
            target,
            addend: r.addend,
            unbound,
        }
    }

    /// Report every relocation in a placed section whose target nobody defines.
    fn check_undefined(&self) -> Result<(), LinkError> {
        let mut undefined = Vec::new();
        for (oi, obj) in self.objs.iter().enumerate() {
            for (si, sec) in obj.sections.iter().enumerate() {
                if self.placed[oi][si].is_none() {
                    continue;
                }
                for r in &sec.relocs {
                    // TLS and unsupported types get their own, more useful error later.
                    if r.sym == 0
                        || !matches!(self.s.backend.classify(r.r_type), RelocClass::Apply(_))
                    {
                        continue;
                    }
                    if self.slots[oi].get(r.sym as usize) == Some(&Slot::Unresolved) {
                        undefined.push(UndefinedRef {
                            symbol: obj.symbol_display_name(r.sym),
                            site: self.site(oi, si, r.offset),
                        });
                    }
                }
            }
        }
        if undefined.is_empty() {
            Ok(())
        } else {
            Err(LinkError::Undefined(UndefinedSymbols(undefined)))
        }
    }

    fn ensure_cell(&mut self, key: CellKey) {
        if self.s.got_cells.contains_key(&key) || self.cell_index.contains_key(&key) {
            return;
        }
        self.cell_index.insert(key, self.new_cells.len());
        self.new_cells.push((key, 0));
    }

    /// The address of [`TLS_DESCRIPTOR_RESOLVER`], which every TLS descriptor holds.
    fn tlsdesc_resolver(&self) -> Result<u64, String> {
        self.resolver.resolve(TLS_DESCRIPTOR_RESOLVER).ok_or_else(|| {
            format!("a TLS descriptor needs the embedder's `{TLS_DESCRIPTOR_RESOLVER}`, which this image's host does not provide")
        })
    }

    fn ensure_stub(&mut self, key: CellKey) {
        self.ensure_cell(key);
        if self.s.stubs.contains_key(&key) || self.stub_index.contains_key(&key) {
            return;
        }
        self.stub_index.insert(key, self.new_stubs.len());
        self.new_stubs.push((key, 0));
    }

    fn cell_addr(&self, key: CellKey) -> Option<u64> {
        self.s
            .got_cells
            .get(&key)
            .copied()
            .or_else(|| self.cell_index.get(&key).map(|&i| self.new_cells[i].1))
    }

    fn stub_addr(&self, key: CellKey) -> Option<u64> {
        self.s
            .stubs
            .get(&key)
            .copied()
            .or_else(|| self.stub_index.get(&key).map(|&i| self.new_stubs[i].1))
    }

    /// For paired low parts ([`ArchBackend::pcrel_lo_pair`], RISC-V `%pcrel_lo`): the values
    /// each other relocation of object `oi` computes with, by address. S is where the
    /// relocation reaches (its GOT cell or stub when routed through one), A and P are its own,
    /// so S + A − P is the high part's value.
    fn high_part_values(&self, oi: usize, planned: &[PlannedReloc]) -> HashMap<u64, RelocValues> {
        let mut out = HashMap::new();
        for h in planned {
            let Some(p) = self.placed[oi][h.sec] else {
                continue;
            };
            if self.s.backend.pcrel_lo_pair(h.r_type) {
                continue;
            }
            let mut v = RelocValues {
                s: h.target.map_or(0, |t| self.entry(t).addr),
                a: h.addend,
                p: p.addr + h.offset,
                got_cell: 0,
                got_base: self.s.got_base(),
                size: h.target.map_or(0, |t| self.entry(t).size),
            };
            match h.route {
                Route::Direct => {}
                Route::Got(key) => {
                    v.got_cell = self.cell_addr(key).unwrap_or(0);
                    v.s = v.got_cell;
                }
                Route::Stub(key) => {
                    v.s = self.stub_addr(key).unwrap_or(0);
                    v.a = h.addend.wrapping_sub(key.1);
                }
            }
            out.entry(v.p).or_insert(v);
        }
        out
    }

    /// Decide, for every relocation of every placed section, how it reaches its target, and
    /// which GOT cells and stubs the batch needs.
    fn plan_relocs(&mut self) -> Result<Vec<Vec<PlannedReloc>>, LinkError> {
        let backend = self.s.backend;
        let mut all = Vec::with_capacity(self.objs.len());
        for oi in 0..self.objs.len() {
            let mut planned = Vec::new();
            for si in 0..self.objs[oi].sections.len() {
                let Some(p) = self.placed[oi][si] else {
                    continue;
                };
                for ri in 0..self.objs[oi].sections[si].relocs.len() {
                    let r = self.objs[oi].sections[si].relocs[ri].clone();
                    let kind = RelocKind {
                        arch: self.s.arch,
                        r_type: r.r_type,
                    };
                    let symbol_name = || self.objs[oi].symbol_display_name(r.sym);
                    let info = match backend.classify(r.r_type) {
                        RelocClass::None => continue,
                        RelocClass::Tls => {
                            return Err(LinkError::TlsReloc(Box::new(RelocSite {
                                kind: kind.to_string(),
                                symbol: symbol_name(),
                                site: self.site(oi, si, r.offset),
                            })))
                        }
                        RelocClass::Unsupported => {
                            return Err(LinkError::UnsupportedReloc(Box::new(RelocSite {
                                kind: kind.to_string(),
                                symbol: symbol_name(),
                                site: self.site(oi, si, r.offset),
                            })))
                        }
                        RelocClass::Apply(info) => info,
                    };
                    let data_len = self.objs[oi].sections[si].data.len() as u64;
                    if r.offset
                        .checked_add(u64::from(info.width))
                        .is_none_or(|end| end > data_len)
                    {
                        return Err(LinkError::BadReloc {
                            at: Box::new(RelocSite {
                                kind: kind.to_string(),
                                symbol: symbol_name(),
                                site: self.site(oi, si, r.offset),
                            }),
                            reason: format!(
                                "the {}-byte site is outside the {data_len}-byte section",
                                info.width
                            ),
                        });
                    }
                    let target = match self.slots[oi].get(r.sym as usize).copied() {
                        _ if r.sym == 0 => None,
                        Some(Slot::Id(id)) => Some(id),
                        Some(Slot::Discarded) => {
                            return Err(LinkError::DiscardedReference {
                                symbol: symbol_name(),
                                site: Box::new(self.site(oi, si, r.offset)),
                            })
                        }
                        _ => {
                            return Err(LinkError::BadReloc {
                                at: Box::new(RelocSite {
                                    kind: kind.to_string(),
                                    symbol: symbol_name(),
                                    site: self.site(oi, si, r.offset),
                                }),
                                reason: "the symbol cannot be a relocation target".into(),
                            })
                        }
                    };
                    let tls_target =
                        target.is_some_and(|t| self.entry(t).kind == SymbolKind::ThreadLocal);
                    let descriptor = backend.is_tls_descriptor_reloc(r.r_type);
                    if tls_target != (backend.is_tls_index_reloc(r.r_type) || descriptor) {
                        return Err(LinkError::BadReloc {
                            at: Box::new(RelocSite {
                                kind: kind.to_string(),
                                symbol: symbol_name(),
                                site: self.site(oi, si, r.offset),
                            }),
                            reason: if tls_target {
                                "an ordinary relocation cannot reach a thread-local symbol"
                            } else {
                                "the target is not a thread-local symbol of the image"
                            }
                            .into(),
                        });
                    }
                    let mut route = Route::Direct;
                    if info.needs_got_cell {
                        let Some(t) = target else {
                            return Err(LinkError::BadReloc {
                                at: Box::new(RelocSite {
                                    kind: kind.to_string(),
                                    symbol: symbol_name(),
                                    site: self.site(oi, si, r.offset),
                                }),
                                reason: "GOT relocation without a symbol".into(),
                            });
                        };
                        let key = if descriptor {
                            let found = self.tlsdesc_resolver();
                            found.map_err(|reason| LinkError::BadReloc {
                                at: Box::new(RelocSite {
                                    kind: kind.to_string(),
                                    symbol: symbol_name(),
                                    site: self.site(oi, si, r.offset),
                                }),
                                reason,
                            })?;
                            (t, TLS_DESCRIPTOR)
                        } else {
                            (t, 0)
                        };
                        self.ensure_cell(key);
                        route = Route::Got(key);
                    } else if info.branch && p.class == SegmentClass::Rx {
                        if let Some(t) = target {
                            let s = i128::from(self.entry(t).addr);
                            let place = i128::from(p.addr) + i128::from(r.offset);
                            let value = s + i128::from(r.addend) - place;
                            let far = !backend.branch_reaches(r.r_type, value);
                            let data = &self.objs[oi].sections[si].data;
                            if far {
                                let offset = usize::try_from(r.offset).unwrap_or(usize::MAX);
                                if backend.is_branch_site(r.r_type, data, offset) {
                                    let delta = backend.branch_target_delta(r.r_type, r.addend);
                                    self.ensure_stub((t, delta));
                                    route = Route::Stub((t, delta));
                                }
                                // Otherwise (an address computation such as `lea`) the value
                                // overflows and applying it reports the error.
                            }
                        }
                    }
                    planned.push(PlannedReloc {
                        sec: si,
                        offset: r.offset,
                        r_type: r.r_type,
                        width: info.width,
                        target,
                        addend: r.addend,
                        route,
                    });
                }
            }
            all.push(planned);
        }
        Ok(all)
    }

    /// GOT cells go to R after the sections, stubs to RX after the code.
    fn place_linker_cells(&mut self) -> Result<(), LinkError> {
        let cell_size = self.s.backend.got_cell_size();
        let stub_size = self.s.backend.got_stub_size();
        let r_start = self.cursors[SegmentClass::R.index()];
        let mut first = None;
        for i in 0..self.new_cells.len() {
            let size = if self.new_cells[i].0 .1 == TLS_DESCRIPTOR {
                2 * cell_size
            } else {
                cell_size
            };
            let addr = self.alloc(SegmentClass::R, size, cell_size)?;
            first.get_or_insert(addr);
            self.new_cells[i].1 = addr;
        }
        let r_end = self.cursors[SegmentClass::R.index()];
        self.got_section = (first.unwrap_or(r_start), r_end - first.unwrap_or(r_start));
        let x_start = self.cursors[SegmentClass::Rx.index()];
        let mut first = None;
        for i in 0..self.new_stubs.len() {
            let addr = self.alloc(SegmentClass::Rx, stub_size, stub_size)?;
            first.get_or_insert(addr);
            self.new_stubs[i].1 = addr;
        }
        let x_end = self.cursors[SegmentClass::Rx.index()];
        self.stub_section = (first.unwrap_or(x_start), x_end - first.unwrap_or(x_start));
        Ok(())
    }

    /// Name shown for a cell or stub: `name@got`, `name+16@got`.
    fn cell_name(&self, key: CellKey, suffix: &str) -> String {
        let base = &self.entry(key.0).name;
        if key.1 == TLS_DESCRIPTOR {
            format!("{base}@tlsdesc")
        } else if key.1 == 0 {
            format!("{base}@{suffix}")
        } else {
            format!("{base}{:+}@{suffix}", key.1)
        }
    }

    /// Relocate into private buffers and assemble the plan.
    fn finish(mut self, planned: Vec<Vec<PlannedReloc>>) -> Result<Plan, LinkError> {
        let backend = self.s.backend;
        let got_base = self.s.got_base();
        let mut writes = Vec::new();
        let mut zero_fills = Vec::new();
        let mut records = Vec::new();
        let mut tables: Vec<TableSection> = Vec::new();
        let mut eh_frame = Vec::new();
        let mut tls = Vec::new();

        // Section buffers of each object, relocated.
        for (oi, planned) in planned.iter().enumerate() {
            let input = self.obj_id(oi);
            let mut buffers: HashMap<usize, Vec<u8>> = HashMap::new();
            for si in 0..self.objs[oi].sections.len() {
                if self.placed[oi][si].is_some() {
                    let sec = &self.objs[oi].sections[si];
                    if let SectionRole::Alloc { nobits: false, .. } = sec.role {
                        let mut buf = sec.data.clone();
                        if matches!(
                            sec.role,
                            SectionRole::Alloc {
                                special: Special::EhFrame,
                                ..
                            }
                        ) {
                            buf.extend_from_slice(&[0; 4]);
                        }
                        buffers.insert(si, buf);
                    }
                }
            }
            // High parts by address, built on the first paired low part of the object.
            let mut highs: Option<HashMap<u64, RelocValues>> = None;
            for pr in planned {
                let Some(p) = self.placed[oi][pr.sec] else {
                    continue;
                };
                let place = p.addr + pr.offset;
                let (s, size) = pr
                    .target
                    .map_or((0, 0), |t| (self.entry(t).addr, self.entry(t).size));
                let mut values = RelocValues {
                    s,
                    a: pr.addend,
                    p: place,
                    got_cell: 0,
                    got_base,
                    size,
                };
                let via = match pr.route {
                    Route::Direct => RelocVia::Direct,
                    Route::Got(key) => {
                        let cell = self.cell_addr(key).unwrap_or(0);
                        values.got_cell = cell;
                        RelocVia::GotCell(cell)
                    }
                    Route::Stub(key) => {
                        let stub = self.stub_addr(key).unwrap_or(0);
                        values.s = stub;
                        values.a = pr.addend.wrapping_sub(key.1);
                        RelocVia::Stub(stub)
                    }
                };
                let kind = RelocKind {
                    arch: self.s.arch,
                    r_type: pr.r_type,
                };
                let symbol = || match pr.target {
                    Some(t) => self.entry(t).name.clone(),
                    None => "<absolute>".into(),
                };
                let at = || {
                    Box::new(RelocSite {
                        kind: kind.to_string(),
                        symbol: symbol(),
                        site: self.site(oi, pr.sec, pr.offset),
                    })
                };
                // A paired low part computes with the values of the high part its symbol names.
                if backend.pcrel_lo_pair(pr.r_type) {
                    let label = values.s.wrapping_add(pr.addend as u64);
                    let highs = highs.get_or_insert_with(|| self.high_part_values(oi, planned));
                    values = *highs.get(&label).ok_or_else(|| LinkError::BadReloc {
                        at: at(),
                        reason: format!(
                            "no high-part relocation at {label:#x}, where its symbol points"
                        ),
                    })?;
                }
                let buf = buffers
                    .get_mut(&pr.sec)
                    .ok_or_else(|| LinkError::BadReloc {
                        at: at(),
                        reason: "section has no contents".into(),
                    })?;
                let off = pr.offset as usize;
                backend
                    .apply(pr.r_type, &values, &mut buf[off..])
                    .map_err(|e| match e {
                        RelocError::Overflow { value, bits } => LinkError::RelocOverflow {
                            at: at(),
                            value,
                            bits,
                        },
                        other => LinkError::BadReloc {
                            at: at(),
                            reason: other.to_string(),
                        },
                    })?;
                records.push(LinkRelocApply {
                    vaddr: place,
                    width: pr.width,
                    kind,
                    target: pr.target,
                    addend: pr.addend,
                    owner: RelocOwner::Input {
                        input,
                        section: pr.sec as u32,
                    },
                    via,
                });
            }
            // Constructor tables and unwind data, read back from the relocated buffers.
            for si in 0..self.objs[oi].sections.len() {
                let (Some(p), SectionRole::Alloc { special, .. }) =
                    (self.placed[oi][si], self.objs[oi].sections[si].role)
                else {
                    continue;
                };
                match special {
                    Special::Table(kind, prio) => {
                        let buf = buffers.get(&si).map(Vec::as_slice).unwrap_or(&[]);
                        let entries: Vec<u64> = buf
                            .chunks_exact(8)
                            .map(|c| {
                                let mut a = [0u8; 8];
                                a.copy_from_slice(c);
                                u64::from_le_bytes(a)
                            })
                            .collect();
                        tables.push(TableSection {
                            kind,
                            prio,
                            obj: oi,
                            sec: si,
                            entries,
                        });
                    }
                    Special::EhFrame if p.size > 4 => eh_frame.push((p.addr, p.size)),
                    Special::Tls => {
                        let sec = &self.objs[oi].sections[si];
                        tls.push(TlsTemplate {
                            addr: p.addr,
                            size: p.size,
                            init_len: buffers.get(&si).map_or(0, |b| b.len() as u64),
                            align: sec.align.max(1),
                        });
                    }
                    _ => {}
                }
            }
            for (si, buf) in buffers {
                if let Some(p) = self.placed[oi][si] {
                    writes.push((p.addr, buf));
                }
            }
        }
        writes.sort_by_key(|w| w.0);

        // NOBITS ranges overlapping memory a failed append may have dirtied are zeroed.
        let mut nobits = Vec::new();
        for oi in 0..self.objs.len() {
            for si in 0..self.objs[oi].sections.len() {
                if let (Some(p), SectionRole::Alloc { nobits: true, .. }) =
                    (self.placed[oi][si], self.objs[oi].sections[si].role)
                {
                    nobits.push((p.class, p.addr, p.size));
                }
            }
        }
        if self.common_section.1 > 0 {
            nobits.push((
                SegmentClass::Rw,
                self.common_section.0,
                self.common_section.1,
            ));
        }
        for (class, addr, size) in nobits {
            let dirty = self.s.dirty_end[class.index()];
            if addr < dirty && size > 0 {
                zero_fills.push((addr, (addr + size).min(dirty) - addr));
            }
        }

        // Linker-made GOT cells and stubs.
        let linker_input = self.linker_input;
        let mut cell_records = Vec::new();
        for i in 0..self.new_cells.len() {
            let (key, addr) = self.new_cells[i];
            let target = self.entry(key.0).addr;
            // A descriptor's second word is what an ordinary cell holds; its first is the
            // resolver (an absolute host-provided address, no relocation record).
            let (word, addr_of_word, size, addend) = if key.1 == TLS_DESCRIPTOR {
                // Checked when the relocation was planned.
                let resolver = self.tlsdesc_resolver().unwrap_or(0);
                writes.push((addr, resolver.to_le_bytes().to_vec()));
                let cell = self.s.backend.got_cell_size();
                (target, addr + cell, 2 * cell, 0)
            } else {
                (
                    target.wrapping_add(key.1 as u64),
                    addr,
                    self.s.backend.got_cell_size(),
                    key.1,
                )
            };
            writes.push((addr_of_word, word.to_le_bytes().to_vec()));
            let name = self.cell_name(key, "got");
            self.add_symbol(SymbolEntry {
                name,
                addr,
                size,
                kind: SymbolKind::GotCell,
                binding: SymbolBinding::Local,
                visibility: SymbolVisibility::Hidden,
                def: SymbolDef::Linker {
                    input: linker_input,
                    section: LINKER_GOT,
                },
            });
            cell_records.push(LinkRelocApply {
                vaddr: addr_of_word,
                width: self.s.backend.got_cell_size() as u8,
                kind: RelocKind {
                    arch: self.s.arch,
                    r_type: backend.pointer_reloc(),
                },
                target: Some(key.0),
                addend,
                owner: RelocOwner::Linker {
                    input: linker_input,
                    section: LINKER_GOT,
                },
                via: RelocVia::Direct,
            });
        }
        for i in 0..self.new_stubs.len() {
            let (key, addr) = self.new_stubs[i];
            let cell = self.cell_addr(key).unwrap_or(0);
            let name = self.cell_name(key, "plt");
            let bytes = backend
                .encode_got_stub(addr, cell)
                .map_err(|e| LinkError::Stub {
                    symbol: name.clone(),
                    reason: e.to_string(),
                })?;
            writes.push((addr, bytes));
            self.add_symbol(SymbolEntry {
                name,
                addr,
                size: self.s.backend.got_stub_size(),
                kind: SymbolKind::Stub,
                binding: SymbolBinding::Local,
                visibility: SymbolVisibility::Hidden,
                def: SymbolDef::Linker {
                    input: linker_input,
                    section: LINKER_STUBS,
                },
            });
        }
        records.extend(cell_records);
        let (new_reloadable, reload_records) = self.finish_entries(&mut writes)?;
        records.extend(reload_records);

        // Constructor and destructor order, as GNU ld merges the tables.
        let prio_key = |p: Option<u32>| p.unwrap_or(u32::MAX);
        let mut init: Vec<&TableSection> = tables
            .iter()
            .filter(|t| {
                matches!(
                    t.kind,
                    TableKind::PreinitArray | TableKind::InitArray | TableKind::Ctors
                )
            })
            .collect();
        init.sort_by_key(|t| {
            (
                t.kind != TableKind::PreinitArray,
                prio_key(t.prio),
                t.obj,
                t.sec,
            )
        });
        let mut fini: Vec<&TableSection> = tables
            .iter()
            .filter(|t| matches!(t.kind, TableKind::FiniArray | TableKind::Dtors))
            .collect();
        fini.sort_by_key(|t| (prio_key(t.prio), t.obj, t.sec));
        let flatten = |list: Vec<&TableSection>| {
            let mut out = Vec::new();
            for t in list {
                let keep = |a: &u64| *a != 0 && *a != u64::MAX;
                if matches!(t.kind, TableKind::Ctors | TableKind::Dtors) {
                    out.extend(t.entries.iter().rev().copied().filter(keep));
                } else {
                    out.extend(t.entries.iter().copied().filter(keep));
                }
            }
            out
        };
        let init_array = flatten(init);
        let fini_array = flatten(fini);

        // Input records and the address index.
        let mut inputs = Vec::new();
        let mut index = Vec::new();
        let generation = self.s.generation + 1;
        let base_sym = self.s.symbols.len();
        let mut by_section: HashMap<(LinkInputId, u32), Vec<LinkSymId>> = HashMap::new();
        for (i, e) in self.syms.iter().enumerate() {
            let key = match e.def {
                SymbolDef::Section { input, section } | SymbolDef::Linker { input, section } => {
                    (input, section)
                }
                _ => continue,
            };
            if e.kind == SymbolKind::Section {
                continue;
            }
            by_section
                .entry(key)
                .or_default()
                .push(LinkSymId((base_sym + i) as u32));
        }
        let rank = |b: SymbolBinding| match b {
            SymbolBinding::Local => 0,
            SymbolBinding::Weak => 1,
            SymbolBinding::Global => 2,
        };
        let mut sorted_syms = |key: (LinkInputId, u32), syms: &[SymbolEntry]| {
            let mut ids = by_section.remove(&key).unwrap_or_default();
            ids.sort_by_key(|id| {
                let e = &syms[id.index() - base_sym];
                (e.addr, rank(e.binding))
            });
            ids
        };
        for (oi, obj) in self.objs.iter().enumerate() {
            let id = LinkInputId(self.base_input + oi as u32);
            let mut sections = Vec::with_capacity(obj.sections.len());
            for (si, sec) in obj.sections.iter().enumerate() {
                let placement = if let Some(p) = self.placed[oi][si] {
                    if p.size > 0 {
                        index.push(IndexRange {
                            start: p.addr,
                            end: p.addr + p.size,
                            input: id,
                            section: si,
                            syms: sorted_syms((id, si as u32), &self.syms),
                        });
                    }
                    SectionPlacement::Image {
                        class: p.class,
                        addr: p.addr,
                        size: p.size,
                    }
                } else if self.discarded[oi][si] {
                    SectionPlacement::Discarded
                } else if sec.role == SectionRole::NonAlloc {
                    SectionPlacement::NonAlloc {
                        data: sec.data.clone(),
                        relocs: sec
                            .relocs
                            .iter()
                            .map(|r| self.nonalloc_reloc(oi, r))
                            .collect(),
                    }
                } else {
                    SectionPlacement::Ignored
                };
                sections.push(InputSection {
                    index: si as u32,
                    name: sec.name.clone(),
                    sh_type: sec.sh_type,
                    flags: sec.flags,
                    align: sec.align,
                    size: sec.size,
                    placement,
                });
            }
            inputs.push(InputRecord {
                id,
                name: obj.name.clone(),
                kind: InputKind::Object,
                generation,
                sections,
                symbols: self.slots[oi]
                    .iter()
                    .map(|s| match s {
                        Slot::Id(id) => Some(*id),
                        _ => None,
                    })
                    .collect(),
            });
        }
        let has_linker_input = self.common_section.1 > 0
            || !self.new_cells.is_empty()
            || !self.new_stubs.is_empty()
            || !self.entries.is_empty();
        let (entry_section, slot_section) = self.entry_sections();
        if has_linker_input {
            let mut sections = vec![InputSection {
                index: 0,
                name: String::new(),
                sh_type: elf::SHT_NULL,
                flags: 0,
                align: 0,
                size: 0,
                placement: SectionPlacement::Ignored,
            }];
            let linker_sections = [
                (
                    LINKER_COMMON,
                    ".cfree.common",
                    elf::SHT_NOBITS,
                    SegmentClass::Rw,
                    self.common_section,
                    u64::from(elf::SHF_ALLOC | elf::SHF_WRITE),
                ),
                (
                    LINKER_GOT,
                    ".cfree.got",
                    elf::SHT_PROGBITS,
                    SegmentClass::R,
                    self.got_section,
                    u64::from(elf::SHF_ALLOC),
                ),
                (
                    LINKER_STUBS,
                    ".cfree.stubs",
                    elf::SHT_PROGBITS,
                    SegmentClass::Rx,
                    self.stub_section,
                    u64::from(elf::SHF_ALLOC | elf::SHF_EXECINSTR),
                ),
                (
                    LINKER_ENTRIES,
                    ".cfree.entries",
                    elf::SHT_PROGBITS,
                    SegmentClass::Rx,
                    entry_section,
                    u64::from(elf::SHF_ALLOC | elf::SHF_EXECINSTR),
                ),
                (
                    LINKER_SLOTS,
                    ".cfree.slots",
                    elf::SHT_PROGBITS,
                    SegmentClass::Rw,
                    slot_section,
                    u64::from(elf::SHF_ALLOC | elf::SHF_WRITE),
                ),
            ];
            for (idx, name, sh_type, class, (addr, size), flags) in linker_sections {
                if size > 0 {
                    index.push(IndexRange {
                        start: addr,
                        end: addr + size,
                        input: linker_input,
                        section: idx as usize,
                        syms: sorted_syms((linker_input, idx), &self.syms),
                    });
                }
                sections.push(InputSection {
                    index: idx,
                    name: name.into(),
                    sh_type,
                    flags,
                    align: 1,
                    size,
                    placement: SectionPlacement::Image { class, addr, size },
                });
            }
            inputs.push(InputRecord {
                id: linker_input,
                name: format!("<linker: generation {generation}>"),
                kind: InputKind::Linker,
                generation,
                sections,
                symbols: Vec::new(),
            });
        }

        let outcome = AppendOutcome {
            generation,
            inputs: (0..self.objs.len())
                .map(|oi| LinkInputId(self.base_input + oi as u32))
                .collect(),
            init_array,
            fini_array,
            eh_frame,
            tls,
        };
        let got_cells = self.new_cells.clone();
        let stubs = self.new_stubs.clone();
        let reloaded = self.reloaded()?;
        Ok(Plan {
            symbols: self.syms,
            globals: self.globals,
            imports: self.imports,
            got_cells,
            stubs,
            comdat: self.comdat,
            got_symbol: self.got_symbol,
            inputs,
            index,
            relocs: records,
            cursors: self.cursors,
            writes,
            zero_fills,
            new_reloadable,
            reloaded,
            outcome,
        })
    }
}

fn visibility(v: u8) -> SymbolVisibility {
    match v {
        elf::STV_INTERNAL => SymbolVisibility::Internal,
        elf::STV_HIDDEN => SymbolVisibility::Hidden,
        elf::STV_PROTECTED => SymbolVisibility::Protected,
        _ => SymbolVisibility::Default,
    }
}

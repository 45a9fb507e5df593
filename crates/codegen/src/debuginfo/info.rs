//! The compile unit: `.debug_info` DIEs for functions, their lexical blocks, parameters,
//! locals, globals and types, plus the line program and the unit's address ranges.

use super::blocks::BlockPlan;
use super::line::{self, Files};
use super::types::{set_name, TypeDies};
use super::write::{self, RelocWriter};
use super::{dwarf_str, resolve, DebugInfoError, FuncRecord, VarLoc};
use cfree_frontend::ir::{Function, Linkage, ScopeId, SymId, TranslationUnit};
use cfree_frontend::{Loc, SourceMap};
use cranelift_module::DataId;
use cranelift_object::ObjectProduct;
use gimli::constants::*;
use gimli::write::{
    Address, AttributeValue, DwarfUnit, Expression, LineProgram, LineString, Range, RangeList,
    Sections, UnitEntryId,
};
use gimli::{Encoding, Format, LineEncoding};
use std::collections::HashMap;

pub(super) struct Builder<'a> {
    tu: &'a TranslationUnit,
    sources: &'a SourceMap,
    dwarf: DwarfUnit,
    files: Files,
    types: TypeDies<'a>,
    /// Object symbols referenced by `Address::Symbol { symbol: i }`.
    symbols: Vec<object::write::SymbolId>,
    little: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        tu: &'a TranslationUnit,
        sources: &'a SourceMap,
        name: &str,
        little: bool,
    ) -> Self {
        let encoding = Encoding {
            format: Format::Dwarf32,
            version: 4,
            address_size: 8,
        };
        let comp_dir = std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_else(|_| ".".into());
        let mut dwarf = DwarfUnit::new(encoding);
        dwarf.unit.line_program = LineProgram::new(
            encoding,
            LineEncoding::default(),
            LineString::String(dwarf_str(&comp_dir)),
            None,
            LineString::String(dwarf_str(name)),
            None,
        );
        let root = dwarf.unit.root();
        let producer = format!("cfree {}", env!("CARGO_PKG_VERSION"));
        let producer = dwarf.strings.add(producer);
        let name_s = dwarf.strings.add(dwarf_str(name));
        let dir_s = dwarf.strings.add(dwarf_str(&comp_dir));
        let cu = dwarf.unit.get_mut(root);
        cu.set(DW_AT_producer, AttributeValue::StringRef(producer));
        cu.set(DW_AT_language, AttributeValue::Language(DW_LANG_C99));
        cu.set(DW_AT_name, AttributeValue::StringRef(name_s));
        cu.set(DW_AT_comp_dir, AttributeValue::StringRef(dir_s));
        Builder {
            tu,
            sources,
            dwarf,
            files: Files::default(),
            types: TypeDies::new(&tu.types),
            symbols: Vec::new(),
            little,
        }
    }

    fn symbol(&mut self, s: object::write::SymbolId) -> Address {
        let i = self.symbols.len();
        self.symbols.push(s);
        Address::Symbol {
            symbol: i,
            addend: 0,
        }
    }

    /// Sets `DW_AT_decl_file` and `DW_AT_decl_line` from a location.
    fn decl(&mut self, id: UnitEntryId, loc: Loc) {
        let Some((name, line, _)) = resolve(self.sources, loc) else {
            return;
        };
        let file = self.files.id(&mut self.dwarf.unit.line_program, name);
        let e = self.dwarf.unit.get_mut(id);
        e.set(DW_AT_decl_file, AttributeValue::FileIndex(Some(file)));
        e.set(DW_AT_decl_line, AttributeValue::Udata(u64::from(line)));
    }

    fn name(&mut self, id: UnitEntryId, name: &str) {
        set_name(&mut self.dwarf.unit, &mut self.dwarf.strings, id, name);
    }

    pub(super) fn build(
        &mut self,
        funcs: &[FuncRecord],
        product: &ObjectProduct,
        datas: &HashMap<SymId, DataId>,
    ) -> Result<(), DebugInfoError> {
        let tu = self.tu;
        let by_sym: HashMap<SymId, &Function> = tu.functions.iter().map(|f| (f.sym, f)).collect();
        let root = self.dwarf.unit.root();
        let mut ranges = Vec::new();
        let mut subprograms: HashMap<&str, UnitEntryId> = HashMap::new();
        for rec in funcs {
            let Some(f) = by_sym.get(&rec.sym) else {
                continue;
            };
            if rec.size == 0 {
                continue;
            }
            let sym = product.functions[rec.fid]
                .map(|(s, _)| s)
                .ok_or_else(|| DebugInfoError::MissingSymbol(f.name.clone()))?;
            let start = self.symbol(sym);
            line::add_sequence(
                &mut self.dwarf.unit.line_program,
                &mut self.files,
                self.sources,
                start,
                f,
                rec,
            );
            ranges.push(Range::StartLength {
                begin: start,
                length: u64::from(rec.size),
            });
            let sp = self.subprogram(root, f, rec, start);
            subprograms.insert(f.name.as_str(), sp);
        }
        self.globals(root, &subprograms, product, datas);
        if !ranges.is_empty() {
            // DWARF 4 range entries are relative to the unit's base address: make it 0.
            let list = self.dwarf.unit.ranges.add(RangeList(ranges));
            let cu = self.dwarf.unit.get_mut(root);
            cu.set(DW_AT_low_pc, AttributeValue::Address(Address::Constant(0)));
            cu.set(DW_AT_ranges, AttributeValue::RangeListRef(list));
        }
        self.types
            .finish(&mut self.dwarf.unit, &mut self.dwarf.strings);
        Ok(())
    }

    fn subprogram(
        &mut self,
        root: UnitEntryId,
        f: &Function,
        rec: &FuncRecord,
        start: Address,
    ) -> UnitEntryId {
        let tu = self.tu;
        let unit = &mut self.dwarf.unit;
        let sp = unit.add(root, DW_TAG_subprogram);
        self.name(sp, &f.name);
        let external = tu
            .symbols
            .get(f.sym.0 as usize)
            .is_some_and(|s| s.linkage == Linkage::External);
        let mut frame_base = Expression::new();
        frame_base.op(DW_OP_call_frame_cfa);
        let e = self.dwarf.unit.get_mut(sp);
        if external {
            e.set(DW_AT_external, AttributeValue::Flag(true));
        }
        e.set(DW_AT_low_pc, AttributeValue::Address(start));
        e.set(DW_AT_high_pc, AttributeValue::Udata(u64::from(rec.size)));
        e.set(DW_AT_frame_base, AttributeValue::Exprloc(frame_base));
        self.decl(sp, f.loc);
        if let Some(ft) = tu.types.func_type(f.ty) {
            if ft.has_proto {
                self.dwarf
                    .unit
                    .get_mut(sp)
                    .set(DW_AT_prototyped, AttributeValue::Flag(true));
            }
            self.types.set_type(&mut self.dwarf.unit, sp, ft.ret);
        }
        // Parameters first, in order (debuggers print frame arguments from them).
        let mut is_param = vec![false; f.locals.len()];
        for &lid in &f.params {
            let i = lid.0 as usize;
            if let Some(p) = is_param.get_mut(i) {
                *p = true;
                self.variable(sp, f, rec, i, DW_TAG_formal_parameter);
            }
        }
        let described: Vec<usize> = (0..f.locals.len())
            .filter(|&i| !is_param[i] && f.locals[i].user && !f.locals[i].name.is_empty())
            .collect();
        let mut has_vars = vec![false; f.scopes.len()];
        for &i in &described {
            if let Some(h) = has_vars.get_mut(f.locals[i].scope.0 as usize) {
                *h = true;
            }
        }
        let plan = BlockPlan::new(&f.scopes, &has_vars, &rec.blocks);
        let mut vars_of: HashMap<Option<ScopeId>, Vec<usize>> = HashMap::new();
        for &i in &described {
            let holder = plan.holder(f.locals[i].scope);
            vars_of.entry(holder).or_default().push(i);
        }
        // Each DIE's variables first, then its blocks (as gcc orders them).
        for &i in vars_of.get(&None).into_iter().flatten() {
            self.variable(sp, f, rec, i, DW_TAG_variable);
        }
        let mut dies: HashMap<ScopeId, UnitEntryId> = HashMap::new();
        for b in &plan.blocks {
            let parent = b.parent.and_then(|p| dies.get(&p).copied()).unwrap_or(sp);
            let die = self.lexical_block(parent, start, &b.ranges);
            dies.insert(b.scope, die);
            for &i in vars_of.get(&Some(b.scope)).into_iter().flatten() {
                self.variable(die, f, rec, i, DW_TAG_variable);
            }
        }
        sp
    }

    /// A `DW_TAG_lexical_block` under `parent` covering `ranges` (offsets from the function's
    /// `start`): `DW_AT_low_pc`/`DW_AT_high_pc` for one range, `DW_AT_ranges` for several,
    /// nothing for a block without code (as gcc).
    fn lexical_block(
        &mut self,
        parent: UnitEntryId,
        start: Address,
        ranges: &[(u32, u32)],
    ) -> UnitEntryId {
        let die = self.dwarf.unit.add(parent, DW_TAG_lexical_block);
        let at = |off: u32| match start {
            Address::Symbol { symbol, addend } => Address::Symbol {
                symbol,
                addend: addend + i64::from(off),
            },
            Address::Constant(a) => Address::Constant(a + u64::from(off)),
        };
        match ranges {
            [] => {}
            [(lo, hi)] => {
                let e = self.dwarf.unit.get_mut(die);
                e.set(DW_AT_low_pc, AttributeValue::Address(at(*lo)));
                e.set(DW_AT_high_pc, AttributeValue::Udata(u64::from(hi - lo)));
            }
            _ => {
                let list = ranges
                    .iter()
                    .map(|&(lo, hi)| Range::StartLength {
                        begin: at(lo),
                        length: u64::from(hi - lo),
                    })
                    .collect();
                let list = self.dwarf.unit.ranges.add(RangeList(list));
                self.dwarf
                    .unit
                    .get_mut(die)
                    .set(DW_AT_ranges, AttributeValue::RangeListRef(list));
            }
        }
        die
    }

    fn variable(
        &mut self,
        parent: UnitEntryId,
        f: &Function,
        rec: &FuncRecord,
        i: usize,
        tag: DwTag,
    ) {
        let Some(l) = f.locals.get(i) else {
            return;
        };
        let v = self.dwarf.unit.add(parent, tag);
        if !l.name.is_empty() {
            self.name(v, &l.name);
        }
        self.types.set_type(&mut self.dwarf.unit, v, l.ty);
        self.decl(v, l.loc);
        let mut expr = Expression::new();
        match rec.vars.get(&i) {
            Some(VarLoc::Frame(off)) => expr.op_fbreg(*off),
            Some(VarLoc::FrameIndirect(off)) => {
                expr.op_fbreg(*off);
                expr.op_deref();
            }
            // Kept in a register (not possible at -O0 -g for user locals): no location.
            None => return,
        }
        self.dwarf
            .unit
            .get_mut(v)
            .set(DW_AT_location, AttributeValue::Exprloc(expr));
    }

    /// Defined objects with static storage; `static` locals (named `func.x.N` by sema) go
    /// inside their function.
    fn globals(
        &mut self,
        root: UnitEntryId,
        subprograms: &HashMap<&str, UnitEntryId>,
        product: &ObjectProduct,
        datas: &HashMap<SymId, DataId>,
    ) {
        let tu = self.tu;
        for g in &tu.globals {
            let Some(s) = tu.symbols.get(g.sym.0 as usize) else {
                continue;
            };
            if s.name.starts_with('.') {
                continue; // string literals, compound literals: compiler-made
            }
            let (parent, name) = match static_local(&s.name, subprograms) {
                Some((sp, n)) if s.linkage == Linkage::Internal => (sp, n),
                _ => (root, s.name.as_str()),
            };
            let v = self.dwarf.unit.add(parent, DW_TAG_variable);
            self.name(v, name);
            self.types.set_type(&mut self.dwarf.unit, v, s.ty);
            self.decl(v, s.loc);
            if s.linkage == Linkage::External {
                self.dwarf
                    .unit
                    .get_mut(v)
                    .set(DW_AT_external, AttributeValue::Flag(true));
            }
            if g.thread_local {
                continue; // a TLS location needs DW_OP_form_tls_address: not described
            }
            let Some(sym) = datas
                .get(&g.sym)
                .and_then(|&did| product.data_objects[did])
                .map(|(s, _)| s)
            else {
                continue;
            };
            let addr = self.symbol(sym);
            let mut expr = Expression::new();
            expr.op_addr(addr);
            self.dwarf
                .unit
                .get_mut(v)
                .set(DW_AT_location, AttributeValue::Exprloc(expr));
        }
    }

    /// Serialises the unit and adds the sections and their relocations to the object.
    pub(super) fn write(mut self, obj: &mut object::write::Object) -> Result<(), DebugInfoError> {
        let mut sections = Sections::new(RelocWriter::new(self.little));
        self.dwarf.write(&mut sections)?;
        write::add_sections(obj, &sections, &self.symbols)
    }
}

/// `func.x.N` → the subprogram of `func` and the name `x`.
fn static_local<'n>(
    link_name: &'n str,
    subprograms: &HashMap<&str, UnitEntryId>,
) -> Option<(UnitEntryId, &'n str)> {
    let (rest, n) = link_name.rsplit_once('.')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (func, var) = rest.split_once('.')?;
    Some((*subprograms.get(func)?, var))
}

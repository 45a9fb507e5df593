//! Semantic analysis: lang-c's AST to the typed IR.
//!
//! One pass over the translation unit, in source order, as C requires: scopes and tags are
//! resolved as they are declared, every expression gets its type and explicit conversions,
//! initializers are flattened to stores (locals) or bytes plus relocations (statics).
//!
//! Errors are pushed to [`Diagnostics`] as they are found and analysis continues with the next
//! statement or declaration, so one run reports many errors. [`R`] carries "already reported".

mod asm;
mod complex;
mod decl;
mod expr;
mod format;
mod fpclass;
mod init;
mod lit;
mod nested;
mod overflow;
mod parens;
mod stmt;
mod suggest;
mod vector;

use crate::diag::Diagnostics;
use crate::ir::*;
use crate::source::Loc;
use crate::target::TargetInfo;
use crate::types::*;
use lang_c::ast;
use lang_c::span::Span;
use std::collections::HashMap;

/// `Err(())` means a diagnostic was already emitted.
pub(crate) type R<T> = Result<T, ()>;

/// What an ordinary identifier names in a scope.
#[derive(Clone, Copy, Debug)]
enum Ordinary {
    Local(LocalId),
    Global(SymId),
    Typedef(TypeId),
    EnumConst(i128, TypeId),
    /// A GNU nested function (index into `Sema::nested`).
    Nested(usize),
}

#[derive(Clone, Default)]
struct Scope {
    names: HashMap<String, Ordinary>,
    tags: HashMap<String, TypeId>,
    /// Nesting level of the function the scope belongs to (`nested.rs`; 0: file scope).
    level: usize,
    /// The function's `dyn_scopes` when the scope opened (restored when it closes).
    dyn_scopes: u32,
    /// Labels declared here with `__label__`.
    local_labels: Vec<String>,
}

/// Per-function state.
struct FnCtx {
    locals: Vec<LocalVar>,
    labels: HashMap<String, (LabelId, bool, Loc)>,
    nlabels: u32,
    /// Labels named by `&&label`, in first-use order.
    label_addrs: Vec<LabelId>,
    /// A VLA or `alloca` was seen.
    dyn_stack: bool,
    ret: TypeId,
    name: String,
    switches: Vec<SwitchCtx>,
    loops: u32,
    calls_setjmp: bool,
    is_variadic: bool,
    /// `register T v asm("reg")` locals: their register numbers (`crate::asm`).
    reg_vars: HashMap<u32, u8>,
    /// A nested function's static-chain parameter: the address of its parent's frame.
    chain: Option<LocalId>,
    /// The frame nested functions reach this function's locals through (`nested.rs`).
    frame: Option<LocalId>,
    /// Locals used by nested functions, in frame slot order.
    captured: Vec<LocalId>,
    /// VLAs and `cleanup` variables in scope here (codegen's scope-exit entries).
    dyn_scopes: u32,
    /// Labels defined where `dyn_scopes` was non-zero.
    labels_in_dyn_scope: std::collections::HashSet<LabelId>,
    /// `&&name` of an enclosing function's label taken here: (name, location).
    parent_label_refs: Vec<(String, Loc)>,
    /// Labels of this function that nested functions jump to: (name, `jmp_buf` local, label).
    nonlocal: Vec<(String, LocalId, LabelId)>,
    /// Captured VLAs (slot, local) whose cells are stored at the next nested definition.
    vla_fills: Vec<(usize, LocalId)>,
    /// VLA types made in this function (their size locals are its own), in order.
    vla_types: Vec<TypeId>,
    /// An `extern inline __attribute__((gnu_inline))` definition: never emitted as a symbol.
    gnu_inline_only: bool,
    /// `__builtin_va_arg_pack`/`_len` appeared (only allowed when `gnu_inline_only`).
    forwards_va_pack: bool,
    /// The function's blocks so far (`Function::scopes`).
    scopes: Vec<LexicalScope>,
    /// The innermost block being analysed: new locals are declared in it.
    scope: ScopeId,
}

struct SwitchCtx {
    cases: Vec<(i128, i128, LabelId)>,
    default: Option<LabelId>,
    ty: TypeId,
}

/// Options that change the meaning of a translation unit.
#[derive(Clone, Debug, Default)]
pub struct SemaOptions {
    /// `#pragma pack` state changes: (offset in parse text, new max alignment or None for default).
    pub pack: Vec<(u32, Option<u64>)>,
}

pub struct Sema<'a> {
    pub types: TypeTable,
    symbols: Vec<Symbol>,
    sym_by_name: HashMap<String, SymId>,
    globals: Vec<GlobalVar>,
    /// Index into `globals` for each symbol that has storage here.
    global_of_sym: HashMap<SymId, usize>,
    functions: Vec<Function>,
    scopes: Vec<Scope>,
    f: Option<FnCtx>,
    diags: &'a mut Diagnostics,
    loc_of: &'a dyn Fn(usize) -> Loc,
    counter: u32,
    opts: SemaOptions,
    /// Symbols whose definition is a tentative definition so far.
    tentative: HashMap<SymId, Loc>,
    /// Linker names some declaration gave through an `asm("name")` label.
    asm_labelled: std::collections::HashSet<String>,
    /// The symbol of each (linker name, C name) pair: one C entity per pair once asm labels
    /// are involved (see [`Sema::declare_symbol`]).
    sym_by_c_name: HashMap<(String, String), SymId>,
    inline: decl::InlineDefs,
    /// The incomplete type standing for floating formats cfree cannot compute (`_Float128`).
    unsupported_float: Option<TypeId>,
    /// `alias("target")` declarations, resolved when the whole unit is known.
    pending_aliases: Vec<(SymId, String, Loc)>,
    /// Functions declared `returns_twice`, by C name.
    returns_twice: std::collections::HashSet<String>,
    /// `noinline` / `always_inline` of declarations, by C name.
    inline_hints: HashMap<String, InlineHint>,
    /// Size computations of VLA types declared since the last declaration statement.
    pending_vla_sizes: Vec<Stmt>,
    /// Inside a parameter list: variable array sizes stand for `[*]` there (their real
    /// types are built again in the function's own context, see `decl::vla_params`).
    param_decl_depth: u32,
    /// A parameter declarator just read had a variable array size.
    param_vla: bool,
    /// Functions declared with `__attribute__((format(...)))`, by C name.
    format_fns: HashMap<String, format::FormatSpec>,
    /// Parameters declared `__attribute__((unused))`, by declarator location.
    unused_params: std::collections::HashSet<Loc>,
    /// The operator of the binary expression being analysed, for warnings gcc places there.
    operator_loc: Option<Loc>,
    /// The parameters with variable array sizes of the last parameter list read.
    last_vla_params: Vec<usize>,
    arch: crate::target::Arch,
    file_asm: Vec<(String, Loc)>,
    /// The target's `long double` format, for exact constants.
    ld: crate::target::LongDoubleFormat,
    /// Contexts of the functions enclosing the one in `f` (nested functions), outermost first.
    outer: Vec<FnCtx>,
    nested: Vec<nested::NestedFn>,
    /// (body, entry thunk) of each nested function whose address is taken.
    nested_entries: Vec<(SymId, SymId)>,
    /// Symbols of the routines nested functions call (pool, `_setjmp`, `longjmp`), by name.
    nested_runtime: HashMap<&'static str, SymId>,
}

/// Analyses a parsed translation unit. `loc_of` maps byte offsets of the parsed text to source
/// locations.
pub fn analyze(
    unit: &ast::TranslationUnit,
    target: &TargetInfo,
    opts: SemaOptions,
    loc_of: &dyn Fn(usize) -> Loc,
    diags: &mut Diagnostics,
) -> Option<TranslationUnit> {
    let mut s = Sema::new(FileScope::new(target), opts, loc_of, diags);
    s.unit(unit, 0);
    let mut tu = s.finish()?;
    crate::prune::drop_unused_inline(&mut tu);
    Some(tu)
}

/// The file scope a translation unit ends with: its types, tags, typedefs, enumerators and
/// declarations, and the bodies of its internal inline functions. Code analysed after it
/// ([`analyze_after`]) sees all of it, as if it followed the unit's last line; this is how the
/// debugger compiles a snippet or an expression without analysing the program file again.
#[derive(Clone)]
pub struct FileScope {
    types: TypeTable,
    symbols: Vec<Symbol>,
    sym_by_name: HashMap<String, SymId>,
    sym_by_c_name: HashMap<(String, String), SymId>,
    scope: Scope,
    counter: u32,
    asm_labelled: std::collections::HashSet<String>,
    returns_twice: std::collections::HashSet<String>,
    /// Functions with an external declaration somewhere in the unit (see `decl::InlineDefs`).
    external_decl: std::collections::HashSet<SymId>,
    unsupported_float: Option<TypeId>,
    nested_runtime: HashMap<&'static str, SymId>,
    /// Internal inline functions: code after the unit may call them, and each unit that does
    /// gets its own copy (they are not symbols of the live image).
    inline_bodies: Vec<std::sync::Arc<Function>>,
    arch: crate::target::Arch,
    ld: crate::target::LongDoubleFormat,
}

impl FileScope {
    fn new(target: &TargetInfo) -> FileScope {
        FileScope {
            types: TypeTable::new(target),
            symbols: Vec::new(),
            sym_by_name: HashMap::new(),
            sym_by_c_name: HashMap::new(),
            scope: Scope::default(),
            counter: 0,
            asm_labelled: Default::default(),
            returns_twice: Default::default(),
            external_decl: Default::default(),
            unsupported_float: None,
            nested_runtime: HashMap::new(),
            inline_bodies: Vec::new(),
            arch: target.arch,
            ld: target.long_double,
        }
    }

    /// A copy in which function `name` is declared but no longer defined, so that code after
    /// the unit may define it again: the replacement body of a reload. `None` if the unit
    /// defines no function of that name.
    pub fn without_definition(&self, name: &str) -> Option<FileScope> {
        let &sym = self.sym_by_name.get(name)?;
        let s = self.symbols.get(sym.0 as usize)?;
        if s.kind != SymKind::Func || !s.defined {
            return None;
        }
        let mut copy = self.clone();
        copy.symbols[sym.0 as usize].defined = false;
        Some(copy)
    }

    /// Whether `name` is a typedef name at file scope (the parser must know, C11 6.7.8).
    pub fn is_typedef(&self, name: &str) -> bool {
        matches!(self.scope.names.get(name), Some(Ordinary::Typedef(_)))
    }
}

/// Like [`analyze`], and also returns the file scope the unit ends with.
pub fn analyze_keeping_scope(
    unit: &ast::TranslationUnit,
    target: &TargetInfo,
    opts: SemaOptions,
    loc_of: &dyn Fn(usize) -> Loc,
    diags: &mut Diagnostics,
) -> Option<(TranslationUnit, FileScope)> {
    let mut s = Sema::new(FileScope::new(target), opts, loc_of, diags);
    s.unit(unit, 0);
    s.finish_keeping_scope()
}

/// Analyses `unit` as if it followed the unit `scope` came from, skipping its external
/// declarations that start before byte `skip_before` of the parsed text (the parse prelude
/// that told the parser the typedef names). The result defines only what `unit` defines
/// (with private copies of the inline functions it uses); everything else it names is an
/// undefined reference for the linker to bind in the live image. Also returns the scope with
/// `unit`'s declarations added, for code that follows it in turn.
pub fn analyze_after(
    scope: &FileScope,
    unit: &ast::TranslationUnit,
    skip_before: usize,
    opts: SemaOptions,
    loc_of: &dyn Fn(usize) -> Loc,
    diags: &mut Diagnostics,
) -> Option<(TranslationUnit, FileScope)> {
    let mut s = Sema::new(scope.clone(), opts, loc_of, diags);
    s.unit(unit, skip_before);
    let (mut tu, mut after) = s.finish_keeping_scope()?;
    let mut bodies = scope.inline_bodies.clone();
    bodies.append(&mut after.inline_bodies);
    after.inline_bodies = bodies;
    crate::prune::keep_only_new(&mut tu, &scope.inline_bodies);
    Some((tu, after))
}

impl<'a> Sema<'a> {
    fn new(
        scope: FileScope,
        opts: SemaOptions,
        loc_of: &'a dyn Fn(usize) -> Loc,
        diags: &'a mut Diagnostics,
    ) -> Sema<'a> {
        let fresh = scope.symbols.is_empty();
        let mut s = Sema {
            types: scope.types,
            symbols: scope.symbols,
            sym_by_name: scope.sym_by_name,
            globals: Vec::new(),
            global_of_sym: HashMap::new(),
            functions: Vec::new(),
            scopes: vec![scope.scope],
            f: None,
            diags,
            loc_of,
            counter: scope.counter,
            opts,
            tentative: HashMap::new(),
            asm_labelled: scope.asm_labelled,
            sym_by_c_name: scope.sym_by_c_name,
            inline: decl::InlineDefs {
                external_decl: scope.external_decl,
                ..Default::default()
            },
            unsupported_float: scope.unsupported_float,
            pending_aliases: Vec::new(),
            returns_twice: scope.returns_twice,
            inline_hints: Default::default(),
            pending_vla_sizes: Vec::new(),
            param_decl_depth: 0,
            param_vla: false,
            format_fns: HashMap::new(),
            unused_params: Default::default(),
            operator_loc: None,
            last_vla_params: Vec::new(),
            arch: scope.arch,
            file_asm: Vec::new(),
            ld: scope.ld,
            outer: Vec::new(),
            nested: Vec::new(),
            nested_entries: Vec::new(),
            nested_runtime: scope.nested_runtime,
        };
        if fresh {
            s.declare_builtin_typedefs();
        }
        s
    }

    /// The external declarations of `unit` from byte `skip_before` of the parsed text on.
    fn unit(&mut self, unit: &ast::TranslationUnit, skip_before: usize) {
        for ext in unit.0.iter().filter(|e| e.span.start >= skip_before) {
            let _ = match &ext.node {
                ast::ExternalDeclaration::Declaration(d) => self.declaration(d, true).map(|_| ()),
                ast::ExternalDeclaration::FunctionDefinition(fd) => self.function_definition(fd),
                ast::ExternalDeclaration::StaticAssert(sa) => self.static_assert(sa),
            };
        }
    }

    /// Ends the unit: tentative definitions, aliases, the linkage of inline definitions.
    fn finish(mut self) -> Option<TranslationUnit> {
        self.finish_tentatives();
        self.resolve_aliases();
        self.unused_functions();
        for sym in self.inline.not_external() {
            // An inline definition: calls in this unit may use it, but it defines no symbol
            // for other units (C11 6.7.4p7). Its local symbol gets a name of its own, so that an
            // asm label naming the external function (glibc's `__REDIRECT`ed `__wmemcpy_alias`
            // inside the fortified `wmemcpy`) still reaches the library, not this body.
            let sy = &mut self.symbols[sym.0 as usize];
            sy.linkage = Linkage::Internal;
            sy.name = format!("{}.inline", sy.name);
        }
        if self.diags.has_errors() {
            return None;
        }
        let file_names = self.file_names();
        Some(TranslationUnit {
            file_names,
            types: self.types,
            symbols: self.symbols,
            functions: self.functions,
            globals: self.globals,
            file_asm: self.file_asm,
            nested_entries: self.nested_entries,
        })
    }

    /// The typedefs, enumeration constants and tags of the file scope, sorted by name.
    fn file_names(&self) -> crate::ir::FileNames {
        let mut out = crate::ir::FileNames::default();
        let Some(scope) = self.scopes.first() else {
            return out;
        };
        for (name, o) in &scope.names {
            match o {
                Ordinary::Typedef(t) => out.typedefs.push((name.clone(), *t)),
                Ordinary::EnumConst(v, t) => out.enum_consts.push((name.clone(), *v, *t)),
                _ => {}
            }
        }
        out.tags = scope.tags.iter().map(|(n, t)| (n.clone(), *t)).collect();
        out.typedefs.sort();
        out.enum_consts.sort();
        out.tags.sort();
        out
    }

    /// [`Sema::finish`], keeping the file scope for code that follows the unit.
    fn finish_keeping_scope(self) -> Option<(TranslationUnit, FileScope)> {
        let scope = self.scopes.first().cloned().unwrap_or_default();
        let names = (self.sym_by_name.clone(), self.sym_by_c_name.clone());
        let sets = (
            self.asm_labelled.clone(),
            self.returns_twice.clone(),
            self.inline.external_decl.clone(),
        );
        let (counter, unsupported_float, arch, ld) =
            (self.counter, self.unsupported_float, self.arch, self.ld);
        let nested_runtime = self.nested_runtime.clone();
        let tu = self.finish()?;
        let inline_bodies = tu
            .functions
            .iter()
            .filter(|f| f.inline && tu.symbols[f.sym.0 as usize].linkage == Linkage::Internal)
            .map(|f| std::sync::Arc::new(f.clone()))
            .collect();
        let scope = FileScope {
            types: tu.types.clone(),
            symbols: tu.symbols.clone(),
            sym_by_name: names.0,
            sym_by_c_name: names.1,
            scope,
            counter,
            asm_labelled: sets.0,
            returns_twice: sets.1,
            external_decl: sets.2,
            unsupported_float,
            nested_runtime,
            inline_bodies,
            arch,
            ld,
        };
        Some((tu, scope))
    }
}

impl<'a> Sema<'a> {
    /// The format of a `long double` or `_Float128` type (values computed exactly by
    /// [`crate::ldfloat`], not as `f64`), or `None` for other types.
    fn soft(&self, t: TypeId) -> Option<crate::target::LongDoubleFormat> {
        match self.types.kind(t) {
            TypeKind::Float(k) => k.soft_format(self.ld),
            _ => None,
        }
    }

    fn loc(&self, span: Span) -> Loc {
        (self.loc_of)(span.start)
    }

    fn error<T>(&mut self, loc: Loc, msg: impl Into<String>) -> R<T> {
        self.diags.error(loc, msg);
        Err(())
    }

    fn warn(&mut self, loc: Loc, msg: impl Into<String>) {
        self.diags.warning(loc, msg);
    }

    /// A warning controlled by a gcc option (`-Wall`, `-Wno-...`, `-Werror=...`).
    fn warn_w(&mut self, w: crate::warnings::Warning, loc: Loc, msg: impl Into<String>) {
        self.diags.warn(w, loc, msg);
    }

    fn fresh(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    fn declare_builtin_typedefs(&mut self) {
        // RISC-V's `va_list` is a plain `void *`; elsewhere an opaque array or record.
        let va = match self.types.va_list {
            crate::target::VaListKind::Pointer => self.types.ptr(TypeTable::VOID),
            _ => self.types.va_list(),
        };
        self.scopes[0]
            .names
            .insert("__builtin_va_list".into(), Ordinary::Typedef(va));
        for (name, ty) in [
            ("__cfree_int128", TypeTable::INT128),
            ("__cfree_uint128", TypeTable::UINT128),
            ("__int128_t", TypeTable::INT128),
            ("__uint128_t", TypeTable::UINT128),
        ] {
            self.scopes[0]
                .names
                .insert(name.into(), Ordinary::Typedef(ty));
        }
    }

    // ---- scopes -------------------------------------------------------------------

    fn push_scope(&mut self) {
        let level = self.level();
        let dyn_scopes = self.f.as_ref().map_or(0, |f| f.dyn_scopes);
        self.scopes.push(Scope {
            level,
            dyn_scopes,
            ..Scope::default()
        });
    }

    fn pop_scope(&mut self) {
        if let (Some(s), Some(f)) = (self.scopes.pop(), self.f.as_mut()) {
            f.dyn_scopes = s.dyn_scopes;
        }
    }

    /// Enters a new block of the current function (nested in the current one); returns the
    /// block to come back to with [`Sema::close_block`].
    fn open_block(&mut self) -> ScopeId {
        let Some(f) = self.f.as_mut() else {
            return ScopeId::BODY;
        };
        let outer = f.scope;
        f.scope = ScopeId(f.scopes.len() as u32);
        f.scopes.push(LexicalScope {
            parent: Some(outer),
        });
        outer
    }

    /// Leaves the block [`Sema::open_block`] entered, back to `outer`; returns the block left.
    fn close_block(&mut self, outer: ScopeId) -> ScopeId {
        match self.f.as_mut() {
            Some(f) => std::mem::replace(&mut f.scope, outer),
            None => ScopeId::BODY,
        }
    }

    fn lookup(&self, name: &str) -> Option<Ordinary> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.names.get(name).copied())
    }

    /// Like [`Sema::lookup`], with the level of the scope that declares the name.
    fn lookup_level(&self, name: &str) -> Option<(Ordinary, usize)> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.names.get(name).map(|o| (*o, s.level)))
    }

    fn lookup_tag(&self, name: &str) -> Option<TypeId> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.tags.get(name).copied())
    }

    fn bind(&mut self, name: &str, o: Ordinary) {
        if let Some(s) = self.scopes.last_mut() {
            s.names.insert(name.to_string(), o);
        }
    }

    // ---- symbols ------------------------------------------------------------------

    /// A new internal, defined object of type `ty` with a fresh `prefix.N` name, holding
    /// `bytes` and the addresses `relocs` ((offset, target, addend)): string literals,
    /// file-scope compound literals, constant byte arrays.
    pub(super) fn anon_global(
        &mut self,
        prefix: &str,
        ty: TypeId,
        bytes: Vec<u8>,
        relocs: Vec<(u64, SymId, i64)>,
        readonly: bool,
        loc: Loc,
    ) -> SymId {
        let n = self.fresh();
        let sym = SymId(self.symbols.len() as u32);
        self.symbols.push(Symbol {
            name: format!("{prefix}.{n}"),
            kind: SymKind::Data,
            ty,
            linkage: Linkage::Internal,
            defined: true,
            weak: false,
            alias_of: None,
            thread_local: false,
            loc,
            noreturn: false,
            referenced: false,
            maybe_unused: false,
        });
        self.global_of_sym.insert(sym, self.globals.len());
        self.globals.push(GlobalVar {
            sym,
            size: self.types.size(ty),
            align: self.types.align(ty),
            init: Some(bytes),
            relocs,
            readonly,
            thread_local: false,
            section: None,
        });
        sym
    }

    /// Declares (or re-declares) a symbol with static storage; merges compatible redeclarations.
    fn declare_symbol(
        &mut self,
        name: &str,
        asm_name: Option<String>,
        ty: TypeId,
        kind: SymKind,
        linkage: Linkage,
        loc: Loc,
    ) -> R<SymId> {
        let link_name = asm_name.unwrap_or_else(|| crate::lower::demangle_ident(name));
        let labelled = link_name != crate::lower::demangle_ident(name);
        if labelled {
            self.asm_labelled.insert(link_name.clone());
        }
        let key = (link_name.clone(), name.to_string());
        let same_entity = self.sym_by_c_name.get(&key).copied();
        if let Some(id) = same_entity.or_else(|| self.sym_by_name.get(&link_name).copied()) {
            let old = self.symbols[id.0 as usize].ty;
            let labelled_other = same_entity.is_none() && self.asm_labelled.contains(&link_name);
            if labelled_other {
                // Two C declarations naming one linker symbol through an asm label (glibc's
                // `__REDIRECT(stat, ..., stat64)` next to `stat64` itself, or
                // `__wmemcpy_alias` next to the fortified inline `wmemcpy`): distinct C
                // entities with their own types; codegen gives them one symbol when their
                // ABIs agree. Kept apart, an inline definition of one (which defines no
                // external symbol) never captures calls through the other.
                let id = self.push_symbol(link_name, kind, ty, linkage, loc);
                self.sym_by_c_name.insert(key, id);
                return Ok(id);
            }
            if !self.types.compatible(old, ty) && self.redeclares_library_builtin(id, name) {
                // gcc: a warning, and the program's type wins from here on.
                let o = self.types.display(old);
                let m = format!("conflicting types for built-in function '{name}'; expected '{o}'");
                self.warn(loc, m);
                self.symbols[id.0 as usize].ty = ty;
                return Ok(id);
            }
            if !self.types.compatible(old, ty) {
                let (o, n) = (self.types.display(old), self.types.display(ty));
                let old_loc = self.symbols[id.0 as usize].loc;
                self.diags.push(
                    crate::diag::Diagnostic::error(
                        loc,
                        format!("conflicting types for '{name}': '{n}' vs previous '{o}'"),
                    )
                    .with_note(old_loc, "previous declaration is here"),
                );
                return Err(());
            }
            // Keep the more complete type (array length, prototype).
            let merged = self.merge_types(old, ty);
            let s = &mut self.symbols[id.0 as usize];
            s.ty = merged;
            if linkage == Linkage::Internal {
                s.linkage = Linkage::Internal;
            }
            return Ok(id);
        }
        let id = self.push_symbol(link_name.clone(), kind, ty, linkage, loc);
        self.sym_by_name.insert(link_name, id);
        self.sym_by_c_name.insert(key, id);
        Ok(id)
    }

    /// Whether `id` is still only the implicit declaration of C library function `name` that
    /// gcc (and cfree) give with the library's prototype (a call with no declaration in
    /// scope): a later declaration of another type then replaces it, as in gcc.
    fn redeclares_library_builtin(&mut self, id: SymId, name: &str) -> bool {
        let Some(proto) = crate::builtins::library_proto(name) else {
            return false;
        };
        let s = &self.symbols[id.0 as usize];
        let (defined, old) = (s.defined, s.ty);
        !defined && old == self.proto_type(proto)
    }

    /// Makes each `alias` declaration another name of its target, which must be defined in
    /// this unit (as gcc requires).
    fn resolve_aliases(&mut self) {
        for (sym, target, loc) in std::mem::take(&mut self.pending_aliases) {
            let t = match self.sym_by_name.get(&target) {
                Some(&t) if self.symbols[t.0 as usize].defined && t != sym => t,
                _ => {
                    let name = self.symbols[sym.0 as usize].name.clone();
                    let _: R<()> = self.error(
                        loc,
                        format!("'{name}' aliased to undefined symbol '{target}'"),
                    );
                    continue;
                }
            };
            let (tk, alias_kind) = (
                self.symbols[t.0 as usize].kind,
                self.symbols[sym.0 as usize].kind,
            );
            if tk != alias_kind {
                let _: R<()> = self.error(
                    loc,
                    format!(
                        "'{target}' is not a {}",
                        if alias_kind == SymKind::Func {
                            "function"
                        } else {
                            "variable"
                        }
                    ),
                );
                continue;
            }
            self.symbols[t.0 as usize].referenced = true;
            let s = &mut self.symbols[sym.0 as usize];
            s.alias_of = Some(t);
            s.defined = true;
            self.tentative.remove(&sym);
        }
    }

    fn push_symbol(
        &mut self,
        link_name: String,
        kind: SymKind,
        ty: TypeId,
        linkage: Linkage,
        loc: Loc,
    ) -> SymId {
        let id = SymId(self.symbols.len() as u32);
        self.symbols.push(Symbol {
            name: link_name,
            kind,
            ty,
            linkage,
            defined: false,
            weak: false,
            alias_of: None,
            thread_local: false,
            loc,
            noreturn: false,
            referenced: false,
            maybe_unused: false,
        });
        id
    }

    fn merge_types(&mut self, old: TypeId, new: TypeId) -> TypeId {
        match (self.types.kind(old).clone(), self.types.kind(new).clone()) {
            (TypeKind::Array(_, None), TypeKind::Array(_, Some(_))) => new,
            (TypeKind::Func(f), TypeKind::Func(g)) => {
                if !f.has_proto && g.has_proto {
                    new
                } else {
                    old
                }
            }
            _ => old,
        }
    }

    /// Creates storage for a static object (or replaces a tentative one).
    fn define_global_storage(&mut self, sym: SymId, g: GlobalVar) {
        self.symbols[sym.0 as usize].defined = true;
        if let Some(&i) = self.global_of_sym.get(&sym) {
            self.globals[i] = g;
        } else {
            self.global_of_sym.insert(sym, self.globals.len());
            self.globals.push(g);
        }
    }

    fn finish_tentatives(&mut self) {
        let mut tent: Vec<(SymId, Loc)> = self.tentative.drain().collect();
        tent.sort_by_key(|t| t.0);
        for (sym, loc) in tent {
            let mut ty = self.symbols[sym.0 as usize].ty;
            if let TypeKind::Array(e, None) = self.types.kind(ty).clone() {
                // `int a[];` at the end of the unit has one element (C11 6.9.2p2).
                ty = self.types.array(e, Some(1));
                self.symbols[sym.0 as usize].ty = ty;
            }
            if !self.types.is_complete(ty) {
                let t = self.types.display(ty);
                let name = self.symbols[sym.0 as usize].name.clone();
                let _: R<()> = self.error(
                    loc,
                    format!("storage size of '{name}' isn't known (type '{t}')"),
                );
                continue;
            }
            let (size, align) = (self.types.size(ty), self.types.align(ty));
            self.define_global_storage(
                sym,
                GlobalVar {
                    sym,
                    size,
                    align,
                    init: None,
                    relocs: Vec::new(),
                    readonly: false,
                    thread_local: self.symbols[sym.0 as usize].thread_local,
                    section: None,
                },
            );
        }
    }

    // ---- locals -------------------------------------------------------------------

    /// `-Wunused-function`: static functions defined and never named (gcc leaves `inline`
    /// ones alone: headers define them for whoever needs them).
    fn unused_functions(&mut self) {
        if !self.diags.wants(crate::warnings::Warning::UnusedFunction) {
            return;
        }
        for f in &self.functions {
            let Some(s) = self.symbols.get(f.sym.0 as usize) else {
                continue;
            };
            if s.linkage == Linkage::Internal && !s.referenced && !s.maybe_unused && !f.inline {
                self.diags.warn(
                    crate::warnings::Warning::UnusedFunction,
                    f.loc,
                    format!("'{}' defined but not used", f.name),
                );
            }
        }
    }

    /// The program named local `id` (see [`LocalVar::refs`]).
    fn note_local_use(&mut self, id: LocalId) {
        if let Some(v) = self
            .f
            .as_mut()
            .and_then(|f| f.locals.get_mut(id.0 as usize))
        {
            v.refs = v.refs.saturating_add(1);
        }
    }

    fn new_local(&mut self, name: &str, ty: TypeId, loc: Loc, user: bool) -> LocalId {
        let align = self.types.align(ty);
        let aggregate = self.types.is_aggregate(ty);
        match self.f.as_mut() {
            Some(f) => {
                let id = LocalId(f.locals.len() as u32);
                f.locals.push(LocalVar {
                    name: name.to_string(),
                    ty,
                    addr_taken: aggregate,
                    align,
                    loc,
                    user,
                    scope: f.scope,
                    refs: 0,
                    maybe_unused: false,
                });
                id
            }
            None => LocalId(u32::MAX),
        }
    }

    /// A fresh temporary holding `e`: the assignment to evaluate first, and the temporary's
    /// value (read it any number of times after the assignment).
    fn spill(&mut self, e: Expr) -> (Expr, Expr) {
        let (ty, loc) = (e.ty, e.loc);
        let t = self.new_local("__cfree_tmp", ty, loc, false);
        let lv = Expr::new(ExprKind::Local(t), ty, loc);
        let set = Expr::new(
            ExprKind::Assign {
                lhs: Box::new(lv.clone()),
                rhs: Box::new(e),
            },
            ty,
            loc,
        );
        (set, Expr::new(ExprKind::Load(Box::new(lv)), ty, loc))
    }

    fn local_ty(&self, id: LocalId) -> TypeId {
        self.f
            .as_ref()
            .and_then(|f| f.locals.get(id.0 as usize))
            .map(|l| l.ty)
            .unwrap_or(TypeTable::INT)
    }

    fn mark_addr_taken(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Local(id) => {
                if let Some(f) = self.f.as_mut() {
                    if let Some(l) = f.locals.get_mut(id.0 as usize) {
                        l.addr_taken = true;
                    }
                }
            }
            ExprKind::Member { base, .. } => {
                let b = (**base).clone();
                self.mark_addr_taken(&b)
            }
            _ => {}
        }
    }

    fn new_label(&mut self) -> LabelId {
        match self.f.as_mut() {
            Some(f) => {
                f.nlabels += 1;
                LabelId(f.nlabels - 1)
            }
            None => LabelId(0),
        }
    }

    fn static_assert(&mut self, sa: &lang_c::span::Node<ast::StaticAssert>) -> R<()> {
        let loc = self.loc(sa.span);
        let v = self.const_int_expr(&sa.node.expression)?;
        if v == 0 {
            let msg = lit::string_literal_text(&sa.node.message.node);
            return self.error(loc, format!("static assertion failed: \"{msg}\""));
        }
        Ok(())
    }

    fn pack_at(&self, offset: usize) -> Option<u64> {
        let pos = self.opts.pack.partition_point(|p| p.0 as usize <= offset);
        if pos == 0 {
            None
        } else {
            self.opts.pack[pos - 1].1
        }
    }
}

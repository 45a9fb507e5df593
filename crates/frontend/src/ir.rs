//! The typed IR: what semantic analysis hands to codegen.
//!
//! It is a tree, close to C, in which every implicit step of the language is explicit: lvalue to
//! rvalue conversion is [`ExprKind::Load`], array and function decay are [`ExprKind::AddrOf`],
//! every conversion (promotions, usual arithmetic conversions, assignment conversions) is a
//! [`ExprKind::Cast`] with a [`CastKind`], pointer arithmetic is scaled, `sizeof` is a constant.
//! Codegen therefore never re-derives C typing rules; it only maps types to machine values.

use crate::source::Loc;
use crate::types::{TypeId, TypeTable};

/// Index into [`TranslationUnit::symbols`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymId(pub u32);

/// Index into [`Function::locals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// Index into [`Function::scopes`]: a C block of the function that can declare locals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScopeId(pub u32);

impl ScopeId {
    /// The function's body, where its parameters and outermost locals are declared.
    pub const BODY: ScopeId = ScopeId(0);

    /// `body` as the statements of this block, at `loc`.
    pub fn wrap(self, body: Vec<Stmt>, loc: Loc) -> Stmt {
        Stmt {
            kind: StmtKind::Scope { id: self, body },
            loc,
        }
    }
}

/// A block of a function (compound statement, `for` with its declarations, statement
/// expression) in the tree of blocks debug information describes.
#[derive(Clone, Debug)]
pub struct LexicalScope {
    /// The enclosing block (`None` for [`ScopeId::BODY`]).
    pub parent: Option<ScopeId>,
}

/// Index into [`Function::labels`] (user labels, `case`s and `default`s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LabelId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linkage {
    /// Visible to other translation units (and to the JIT's lookup).
    External,
    /// `static`: private to this translation unit.
    Internal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymKind {
    Func,
    Data,
}

/// A named entity with an address: a function or an object with static storage duration.
#[derive(Clone, Debug)]
pub struct Symbol {
    /// Linker-level name (an `asm("name")` label if one was given).
    pub name: String,
    pub kind: SymKind,
    pub ty: TypeId,
    pub linkage: Linkage,
    /// Defined in this translation unit (a function body, or an object definition).
    pub defined: bool,
    pub weak: bool,
    /// `__attribute__((alias))`: defined as another name of this symbol (same address).
    pub alias_of: Option<SymId>,
    /// `_Thread_local` / `__thread`: accessed through the target's TLS model, also when only
    /// declared here (`extern __thread int x;`).
    pub thread_local: bool,
    pub loc: Loc,
    /// `noreturn` / `_Noreturn`: a call never returns (the flow warnings' view of `exit`).
    pub noreturn: bool,
    /// Named by code or an initializer of this unit (`-Wunused-function`).
    pub referenced: bool,
    /// `unused` / `used`: exempt from the unused warnings.
    pub maybe_unused: bool,
}

#[derive(Clone, Debug)]
pub struct TranslationUnit {
    pub types: TypeTable,
    pub symbols: Vec<Symbol>,
    pub functions: Vec<Function>,
    pub globals: Vec<GlobalVar>,
    /// File-scope `asm("...")` blocks in source order: assembled into the object as they are.
    pub file_asm: Vec<(String, Loc)>,
    /// GNU nested functions whose address is taken: (body, entry thunk). Codegen defines each
    /// entry (move the static chain from the trampoline's register into the body's hidden
    /// last parameter, jump to the body) and the object's trampoline pool.
    pub nested_entries: Vec<(SymId, SymId)>,
    /// The names the file scope ends with that are not symbols: typedefs, enumeration
    /// constants and tags. Codegen ignores them; embedders describe the unit's declarations
    /// from them (the Python binding's struct types and constants).
    pub file_names: FileNames,
}

/// Typedef names, enumeration constants and tags of a unit's file scope, each list sorted by
/// name (the scope is a hash map, and a sorted list keeps objects and their descriptions
/// deterministic).
#[derive(Clone, Debug, Default)]
pub struct FileNames {
    pub typedefs: Vec<(String, TypeId)>,
    /// Name, value and the constant's type (its enumeration type).
    pub enum_consts: Vec<(String, i128, TypeId)>,
    /// Tag name and the struct, union or enum type it names.
    pub tags: Vec<(String, TypeId)>,
}

/// Storage for an object with static storage duration.
#[derive(Clone, Debug)]
pub struct GlobalVar {
    pub sym: SymId,
    pub size: u64,
    pub align: u64,
    /// Bytes of the initial image, `None` for zero-initialised (`.bss`).
    pub init: Option<Vec<u8>>,
    /// Addresses to store into the image: (offset, target, addend), 8 bytes each.
    pub relocs: Vec<(u64, SymId, i64)>,
    /// `const`-qualified with no relocations: goes to read-only data.
    pub readonly: bool,
    pub thread_local: bool,
    /// A special section (`.init_array` for constructors, `.fini_array` for destructors).
    pub section: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct LocalVar {
    pub name: String,
    pub ty: TypeId,
    /// Its address is taken (or it is an aggregate): it must live in memory.
    pub addr_taken: bool,
    pub align: u64,
    pub loc: Loc,
    /// Declared by the user (shown by the debugger), as opposed to a compiler temporary.
    pub user: bool,
    /// The block that declares it.
    pub scope: ScopeId,
    /// How many times the program names it (sema counts, so a use inside `sizeof`, which
    /// leaves nothing in the IR, still counts for `-Wunused-variable`).
    pub refs: u32,
    /// `unused` / `used`: exempt from the unused warnings.
    pub maybe_unused: bool,
}

#[derive(Clone, Debug)]
pub struct Function {
    pub sym: SymId,
    pub name: String,
    pub ty: TypeId,
    pub params: Vec<LocalId>,
    pub locals: Vec<LocalVar>,
    /// The function's blocks: `scopes[0]` is the body ([`ScopeId::BODY`]), every other one
    /// has a parent of lower index. A [`StmtKind::Scope`] marks the code of each.
    pub scopes: Vec<LexicalScope>,
    pub labels: u32,
    pub body: Vec<Stmt>,
    /// Location of the name in the definition's declarator.
    pub loc: Loc,
    /// Location of the definition's first token and of its body's opening brace: the text
    /// between them is the function's header (what a reload from new body text reuses).
    pub start_loc: Loc,
    pub body_loc: Loc,
    /// Location of the closing brace (for the implicit return's line entry).
    pub end_loc: Loc,
    /// Calls `setjmp` (or a `returns_twice` function): every local must stay in memory.
    pub calls_setjmp: bool,
    pub is_variadic: bool,
    pub inline: bool,
    /// Labels whose address is taken (`&&label`): the targets a `goto *p` may reach.
    pub label_addrs: Vec<LabelId>,
    /// Allocates VLAs or calls `alloca`: codegen saves the dynamic-stack mark on entry and
    /// restores it on return.
    pub dyn_stack: bool,
    /// `noinline` / `always_inline` on the definition or a declaration before it.
    pub inline_hint: InlineHint,
}

/// What the source says about inlining a function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InlineHint {
    #[default]
    Default,
    /// `__attribute__((noinline))` (also `noclone`'s companion in practice): never inline.
    Never,
    /// `__attribute__((always_inline))`: inline whatever the size.
    Always,
}

/// The value of `&&label` (GNU labels as values).
///
/// Cranelift has no block addresses, so a label's "address" is a per-function token:
/// `LABEL_TOKEN_BASE + LABEL_TOKEN_STRIDE * label index`. It is a compile-time constant, so
/// static dispatch tables (`static void *t[] = {&&a, &&b}`) and label differences used as
/// offsets (`goto *(&&base + (&&x - &&base))`) stay consistent; `goto *p` dispatches over the
/// function's address-taken labels and traps on any other value. Jumping to a label of
/// another function is undefined in GNU C, so tokens need not be unique across functions.
pub fn label_token(l: LabelId) -> i64 {
    LABEL_TOKEN_BASE + LABEL_TOKEN_STRIDE * l.0 as i64
}

/// Non-null and far from small integers, so a token never looks like a null pointer.
pub const LABEL_TOKEN_BASE: i64 = 0x1000_0000;
/// A power of two: `goto *p` recovers the index with a rotate (misaligned values trap).
pub const LABEL_TOKEN_STRIDE: i64 = 16;

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Expr(Expr),
    /// Initialise a local: zero it (if `zero`), then perform the stores in order.
    Init {
        local: LocalId,
        zero: bool,
        stores: Vec<InitStore>,
    },
    /// Allocate a VLA: `local` receives the address of `size` bytes of stack.
    VlaAlloc {
        local: LocalId,
        size: Expr,
    },
    Block(Vec<Stmt>),
    /// Statements of the C block `id` (where its locals are declared), for debug information
    /// only: they run exactly as if they stood in place of the `Scope` (a compound statement
    /// is a [`StmtKind::Block`] around it, which ends VLA and cleanup scopes; a statement
    /// expression is not). The code generated for them is the block's code range.
    Scope {
        id: ScopeId,
        body: Vec<Stmt>,
    },
    /// `__attribute__((cleanup(f)))` on a local: from here to the end of the enclosing
    /// block, the call `f(&x)` runs whenever the block is left (its end, `break`,
    /// `continue`, `goto`, `return`), latest declared first.
    Cleanup(Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while (cond) body`; also `for` without init.
    While {
        cond: Option<Expr>,
        body: Vec<Stmt>,
        step: Option<Expr>,
    },
    DoWhile {
        body: Vec<Stmt>,
        cond: Expr,
    },
    Switch {
        cond: Expr,
        /// Case ranges (inclusive) and their labels; single cases have lo == hi.
        cases: Vec<(i128, i128, LabelId)>,
        default: Option<LabelId>,
        body: Vec<Stmt>,
    },
    Label(LabelId),
    Goto(LabelId),
    /// `goto *expr`.
    GotoIndirect(Expr),
    Break,
    Continue,
    Return(Option<Expr>),
    /// A GNU `asm` statement (basic or extended).
    Asm(Box<AsmStmt>),
}

/// A GNU `asm` statement whose constraints sema has already resolved to one operand place each
/// (register class, fixed register, memory or immediate), so that codegen only allocates
/// registers and prints the template.
#[derive(Clone, Debug)]
pub struct AsmStmt {
    /// The template text (escapes decoded). For basic asm `%` is not special.
    pub template: String,
    pub basic: bool,
    pub volatile: bool,
    pub outputs: Vec<AsmOperand>,
    pub inputs: Vec<AsmOperand>,
    /// Registers the template clobbers, as target register numbers (see `crate::asm`).
    pub clobbers: Vec<u8>,
    /// `asm goto`: the C labels the template may jump to (`%l[name]`, or `%lN` counting
    /// after the outputs and inputs), with their names.
    pub labels: Vec<(String, LabelId)>,
}

/// One operand of an extended asm statement.
#[derive(Clone, Debug)]
pub struct AsmOperand {
    /// `[name]` for `%[name]` references.
    pub name: Option<String>,
    /// The constraint as written, for messages.
    pub constraint: String,
    pub place: AsmPlace,
    /// Output also read (`+`): its value is loaded before the statement.
    pub read_write: bool,
    /// Output written before all inputs are read (`&`): must not share a register with them.
    pub early_clobber: bool,
    /// Outputs and memory operands: the lvalue. Other inputs: the value.
    pub expr: Expr,
    pub loc: Loc,
}

/// Where an asm operand lives while the template runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AsmPlace {
    /// Any register of a class the target defines (`crate::asm::RegClass`).
    Reg(crate::asm::RegClass),
    /// One register (a constraint letter such as `a`, or a `register ... asm("r10")` variable).
    Fixed(u8),
    /// The lvalue's memory, addressed through a register.
    Mem,
    /// An integer constant.
    Imm(i128),
    /// A link-time constant: a symbol's address plus a byte offset (`"i"(&var)`, `"i"(func)`).
    Symbol(SymId, i64),
    /// An input in the same register as output `n` (a matching constraint `"0"`).
    Tied(usize),
}

/// One store of an initializer: value of `expr` at byte `offset` of the object (bit-fields
/// through `bit`).
#[derive(Clone, Debug)]
pub struct InitStore {
    pub offset: u64,
    pub expr: Expr,
    pub bit: Option<crate::types::BitField>,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: TypeId,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastKind {
    /// Integer to integer of another width or signedness (truncate or extend by source signedness).
    IntToInt,
    IntToFloat,
    FloatToInt,
    FloatToFloat,
    /// Scalar to `_Bool` (compare with zero).
    ToBool,
    /// Pointer <-> integer and pointer <-> pointer: a bit-preserving reinterpretation or width change.
    PtrToInt,
    IntToPtr,
    Bitcast,
    /// Discard the value.
    ToVoid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    BitAnd,
    BitOr,
    BitXor,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    BitNot,
    /// `!x` on a scalar: 1 if zero.
    LogNot,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// Integer constant (the bits, interpreted by `ty`).
    Int(i128),
    Float(f64),
    /// A `long double` constant: the bits of the target's format (x87 extended on x86-64,
    /// binary128 elsewhere; see [`crate::ldfloat`]). Sema never puts a `long double` in
    /// `Float`, whose `f64` would lose bits.
    LongDouble(u128),
    // ---- lvalues (their value is an address; codegen's `lvalue` gives it) --------------
    Local(LocalId),
    /// A function or an object with static storage.
    Global(SymId),
    /// `*p`.
    Deref(Box<Expr>),
    /// A member of an aggregate lvalue (or of an aggregate rvalue such as a call result).
    Member {
        base: Box<Expr>,
        offset: u64,
        bit: Option<crate::types::BitField>,
    },
    // ---- rvalues -------------------------------------------------------------------
    /// Lvalue to rvalue conversion. For aggregates the "value" is the object's address.
    Load(Box<Expr>),
    /// Address of an lvalue; also array-to-pointer and function-to-pointer decay.
    AddrOf(Box<Expr>),
    Cast(CastKind, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    /// Operands already converted to the operation type (`ty` for arithmetic; for comparisons
    /// the operand type is `lhs.ty` and `ty` is `int`). Pointer +/- integer is expressed with
    /// `PtrAdd`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `ptr + index * scale` (index is a 64-bit signed integer; `scale` in bytes).
    PtrAdd {
        ptr: Box<Expr>,
        index: Box<Expr>,
        scale: u64,
    },
    /// `(a - b) / scale` of two pointers, as `ptrdiff_t`.
    PtrDiff {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        scale: u64,
    },
    LogAnd(Box<Expr>, Box<Expr>),
    LogOr(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Store `rhs` (already converted to the lvalue's type) into `lhs`; value is the stored value.
    Assign {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `lhs op= rhs`: load lhs, convert to `op_ty`, combine with `rhs` (already `op_ty`), convert
    /// back, store. For pointers `op` is Add/Sub with `scale` set.
    CompoundAssign {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        op_ty: TypeId,
        scale: Option<u64>,
    },
    /// `++x`, `x--` ...; `delta` is +1/-1 (times the pointee size for pointers).
    IncDec {
        lhs: Box<Expr>,
        delta: i64,
        post: bool,
    },
    /// `callee` is a function pointer; `fty` the function type. Arguments are already converted
    /// (prototype) or promoted (variadic part / no prototype).
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
        fty: TypeId,
    },
    Comma(Box<Expr>, Box<Expr>),
    /// GNU statement expression: the value is the last expression statement (`ty` void otherwise).
    StmtExpr(Vec<Stmt>, Option<Box<Expr>>),
    /// A compound literal or temporary object: initialise the local, the expression is its lvalue.
    Temp {
        local: LocalId,
        init: Box<Stmt>,
    },
    /// Runtime size of a VLA type: the value of its size local.
    VlaSize(LocalId),
    Builtin(Builtin, Vec<Expr>),
    /// A complex value (`ty` is `_Complex T`) from its real and imaginary parts, both `T`.
    /// Like every aggregate rvalue, codegen's value for it is the address of a temporary.
    Complex {
        re: Box<Expr>,
        im: Box<Expr>,
    },
    /// `&&label` (GNU labels as values).
    LabelAddr(LabelId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// va_start(ap): arg 0 is the address of the va_list.
    VaStart,
    VaEnd,
    /// va_copy(dst, src): both addresses.
    VaCopy,
    /// va_arg(ap, T): arg 0 is the address of the va_list; the expression type is T.
    VaArg,
    Alloca,
    Trap,
    Unreachable,
    /// `memcpy(dst, src, n)` with constant n for struct copies the frontend synthesises.
    Memcpy,
    Memset,
    Clz,
    Ctz,
    Popcount,
    Bswap,
    FrameAddress,
    ReturnAddress,
    /// `__builtin_expect(x, y)` evaluates to x.
    Expect,
    /// Atomic operations (all sequentially consistent): (ptr, val) -> old value.
    AtomicFetchAdd,
    AtomicFetchSub,
    AtomicFetchAnd,
    AtomicFetchOr,
    AtomicFetchXor,
    AtomicXchg,
    /// (ptr, expected, desired) -> old value
    AtomicCas,
    /// `__atomic_compare_exchange_n`: (ptr, expected_ptr, desired) -> `_Bool` success; on
    /// failure the current value is written to `*expected_ptr`.
    AtomicCompareExchange,
    AtomicLoad,
    AtomicStore,
    Fence,
    /// `__builtin_isnan` etc. are lowered by sema; these remain for codegen-level ops.
    Sqrt,
    Fabs,
    /// Sign bit of a floating value, as `int` 0/1.
    SignBit,
    /// A quiet floating comparison of its two operands (of one floating type) as `int` 0/1,
    /// each operand evaluated once: `isnan`, `isunordered`, `islessgreater`, `isless`, ...
    FloatRel(FloatRel),
}

/// The relation a [`Builtin::FloatRel`] tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatRel {
    /// Either operand is NaN (`isunordered`; `isnan(x)` is `x` unordered with itself).
    Unordered,
    /// Ordered and unequal (`islessgreater`).
    LessGreater,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

impl Expr {
    pub fn new(kind: ExprKind, ty: TypeId, loc: Loc) -> Self {
        Expr { kind, ty, loc }
    }

    pub fn is_lvalue(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Local(_)
                | ExprKind::Global(_)
                | ExprKind::Deref(_)
                | ExprKind::Member { .. }
                | ExprKind::Temp { .. }
        )
    }
}

//! `long double` on x86-64: the x87 80-bit extended format, computed by tiny hand-assembled
//! leaf routines, because Cranelift emits only SSE code.
//!
//! A `long double` value is a Cranelift `I128` holding the 16 bytes of the object (the 80-bit
//! value in the low 10 bytes, zero padding). Each routine takes its `I128` operands in integer
//! register pairs (`%rdi:%rsi`, `%rdx:%rcx`), spills them to the red zone, runs the x87
//! instructions and returns the result in `%rax:%rdx` (or `%xmm0`/`%rax`/`%eax`). The x87
//! register stack is empty at every entry and exit, as the psABI requires, except for the two
//! routines that implement the `st(0)` return convention:
//! - [`X87Op::Push`] loads a value into `st(0)`; a function returning `long double` calls it
//!   just before its `ret` (nothing in between touches the x87 stack).
//! - [`X87Op::Pop`] stores and pops `st(0)`; it is called right after a call that returns a
//!   `long double`.
//!
//! The bytes of each routine are checked against `as --64` in the tests below.

use cranelift_codegen::ir::{types, Type};

/// One x87 routine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum X87Op {
    Add,
    Sub,
    Mul,
    Div,
    /// `a > b`, `a >= b`, `a == b` as 0/1 (false when unordered).
    Gt,
    Ge,
    Eq,
    FromI64,
    FromU64,
    FromF64,
    FromF32,
    ToF64,
    ToF32,
    /// Truncation toward zero (C conversion), whatever the current rounding mode.
    ToI64,
    Push,
    Pop,
    /// `complex long double` results (psABI class COMPLEX_X87): loads the real part into
    /// `st(0)` and the imaginary part into `st(1)`, before a `ret`.
    PushPair,
    /// Stores and pops `st(0)` (real) and `st(1)` (imaginary) to the 32 bytes at `%rdi`
    /// (padding zeroed), right after a call returning `complex long double`.
    PopPair,
}

/// One instruction: its AT&T text and its encoding.
type Ins = (&'static str, &'static [u8]);

const SPILL_A: [Ins; 2] = [
    ("movq %rdi,-40(%rsp)", &[0x48, 0x89, 0x7c, 0x24, 0xd8]),
    ("movq %rsi,-32(%rsp)", &[0x48, 0x89, 0x74, 0x24, 0xe0]),
];
const SPILL_B: [Ins; 2] = [
    ("movq %rdx,-24(%rsp)", &[0x48, 0x89, 0x54, 0x24, 0xe8]),
    ("movq %rcx,-16(%rsp)", &[0x48, 0x89, 0x4c, 0x24, 0xf0]),
];
const FLD_A: Ins = ("fldt -40(%rsp)", &[0xdb, 0x6c, 0x24, 0xd8]);
const FLD_B: Ins = ("fldt -24(%rsp)", &[0xdb, 0x6c, 0x24, 0xe8]);
const RET: Ins = ("ret", &[0xc3]);
/// Pops `st(0)` into `%rax:%rdx` (padding bytes zero) and returns.
const RESULT: [Ins; 4] = [
    ("fstpt -40(%rsp)", &[0xdb, 0x7c, 0x24, 0xd8]),
    ("movq -40(%rsp),%rax", &[0x48, 0x8b, 0x44, 0x24, 0xd8]),
    ("movzwl -32(%rsp),%edx", &[0x0f, 0xb7, 0x54, 0x24, 0xe0]),
    RET,
];
/// Compares `a` with `b` into EFLAGS (CF/ZF/PF as `ucomisd`) and empties the x87 stack.
const COMPARE: [Ins; 8] = [
    SPILL_A[0],
    SPILL_A[1],
    SPILL_B[0],
    SPILL_B[1],
    FLD_B,
    FLD_A,
    ("xorl %eax,%eax", &[0x31, 0xc0]),
    ("fucomip %st(1),%st", &[0xdf, 0xe9]),
];
const POP_B: Ins = ("fstp %st(0)", &[0xdd, 0xd8]);
const SPILL_I64: Ins = ("movq %rdi,-8(%rsp)", &[0x48, 0x89, 0x7c, 0x24, 0xf8]);
const FILD: Ins = ("fildq -8(%rsp)", &[0xdf, 0x6c, 0x24, 0xf8]);

fn binary(op: Ins) -> Vec<Ins> {
    let mut v = vec![
        SPILL_A[0], SPILL_A[1], SPILL_B[0], SPILL_B[1], FLD_A, FLD_B, op,
    ];
    v.extend(RESULT);
    v
}

fn compare(tail: &[Ins]) -> Vec<Ins> {
    let mut v = COMPARE.to_vec();
    v.push(POP_B);
    v.extend_from_slice(tail);
    v.push(RET);
    v
}

impl X87Op {
    /// The instructions of the routine.
    fn code(self) -> Vec<Ins> {
        use X87Op::*;
        let mut v: Vec<Ins> = Vec::new();
        match self {
            Add => return binary(("faddp %st,%st(1)", &[0xde, 0xc1])),
            // AT&T `fsubrp %st,%st(1)` is st(1) - st(0): a - b (what gcc writes).
            Sub => return binary(("fsubrp %st,%st(1)", &[0xde, 0xe9])),
            Mul => return binary(("fmulp %st,%st(1)", &[0xde, 0xc9])),
            Div => return binary(("fdivrp %st,%st(1)", &[0xde, 0xf9])),
            Gt => return compare(&[("seta %al", &[0x0f, 0x97, 0xc0])]),
            Ge => return compare(&[("setae %al", &[0x0f, 0x93, 0xc0])]),
            Eq => {
                return compare(&[
                    ("sete %al", &[0x0f, 0x94, 0xc0]),
                    ("setnp %cl", &[0x0f, 0x9b, 0xc1]),
                    ("andb %cl,%al", &[0x20, 0xc8]),
                ])
            }
            FromI64 => v.extend::<[Ins; 2]>([SPILL_I64, FILD]),
            FromU64 => {
                // fild reads the bits as signed; add 2^64 (a float constant after the code)
                // when the top bit is set. Exact: every u64 fits the 64-bit significand.
                v.extend::<[Ins; 6]>([
                    SPILL_I64,
                    FILD,
                    ("testq %rdi,%rdi", &[0x48, 0x85, 0xff]),
                    ("jns 1f", &[0x79, 0x06]),
                    ("fadds 2f(%rip)", &[0xd8, 0x05, 0x0f, 0, 0, 0]),
                    ("1:", &[]),
                ]);
                v.extend(RESULT);
                v.push(("2: .long 0x5f800000", &[0x00, 0x00, 0x80, 0x5f]));
                return v;
            }
            FromF64 => v.extend::<[Ins; 2]>([
                (
                    "movsd %xmm0,-8(%rsp)",
                    &[0xf2, 0x0f, 0x11, 0x44, 0x24, 0xf8],
                ),
                ("fldl -8(%rsp)", &[0xdd, 0x44, 0x24, 0xf8]),
            ]),
            FromF32 => v.extend::<[Ins; 2]>([
                (
                    "movss %xmm0,-8(%rsp)",
                    &[0xf3, 0x0f, 0x11, 0x44, 0x24, 0xf8],
                ),
                ("flds -8(%rsp)", &[0xd9, 0x44, 0x24, 0xf8]),
            ]),
            ToF64 => {
                return vec![
                    SPILL_A[0],
                    SPILL_A[1],
                    FLD_A,
                    ("fstpl -8(%rsp)", &[0xdd, 0x5c, 0x24, 0xf8]),
                    (
                        "movsd -8(%rsp),%xmm0",
                        &[0xf2, 0x0f, 0x10, 0x44, 0x24, 0xf8],
                    ),
                    RET,
                ]
            }
            ToF32 => {
                return vec![
                    SPILL_A[0],
                    SPILL_A[1],
                    FLD_A,
                    ("fstps -8(%rsp)", &[0xd9, 0x5c, 0x24, 0xf8]),
                    (
                        "movss -8(%rsp),%xmm0",
                        &[0xf3, 0x0f, 0x10, 0x44, 0x24, 0xf8],
                    ),
                    RET,
                ]
            }
            ToI64 => {
                // Round toward zero for the store only: set RC=11 in a copy of the control word.
                return vec![
                    SPILL_A[0],
                    SPILL_A[1],
                    FLD_A,
                    ("fnstcw -2(%rsp)", &[0xd9, 0x7c, 0x24, 0xfe]),
                    ("movzwl -2(%rsp),%eax", &[0x0f, 0xb7, 0x44, 0x24, 0xfe]),
                    ("orl $0xc00,%eax", &[0x0d, 0x00, 0x0c, 0x00, 0x00]),
                    ("movw %ax,-4(%rsp)", &[0x66, 0x89, 0x44, 0x24, 0xfc]),
                    ("fldcw -4(%rsp)", &[0xd9, 0x6c, 0x24, 0xfc]),
                    ("fistpll -16(%rsp)", &[0xdf, 0x7c, 0x24, 0xf0]),
                    ("fldcw -2(%rsp)", &[0xd9, 0x6c, 0x24, 0xfe]),
                    ("movq -16(%rsp),%rax", &[0x48, 0x8b, 0x44, 0x24, 0xf0]),
                    RET,
                ];
            }
            Push => return vec![SPILL_A[0], SPILL_A[1], FLD_A, RET],
            Pop => return RESULT.to_vec(),
            PushPair => {
                return vec![
                    SPILL_A[0], SPILL_A[1], SPILL_B[0], SPILL_B[1], FLD_B, FLD_A, RET,
                ]
            }
            PopPair => {
                return vec![
                    ("fstpt (%rdi)", &[0xdb, 0x3f]),
                    ("fstpt 16(%rdi)", &[0xdb, 0x7f, 0x10]),
                    ("movl $0,10(%rdi)", &[0xc7, 0x47, 0x0a, 0, 0, 0, 0]),
                    ("movw $0,14(%rdi)", &[0x66, 0xc7, 0x47, 0x0e, 0, 0]),
                    ("movl $0,26(%rdi)", &[0xc7, 0x47, 0x1a, 0, 0, 0, 0]),
                    ("movw $0,30(%rdi)", &[0x66, 0xc7, 0x47, 0x1e, 0, 0]),
                    RET,
                ]
            }
        }
        v.extend(RESULT);
        v
    }

    /// The machine code of the routine.
    pub fn bytes(self) -> Vec<u8> {
        self.code()
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect()
    }

    /// The assembly text of the routine (for the encoding test).
    pub fn asm(self) -> String {
        self.code().iter().map(|(a, _)| format!("{a}\n")).collect()
    }

    /// Local symbol name of the routine in each object that uses it.
    pub fn name(self) -> String {
        format!(".Lx87.{self:?}")
    }

    /// Cranelift parameter and return types of the routine (SystemV convention).
    pub fn signature(self) -> (&'static [Type], &'static [Type]) {
        use X87Op::*;
        const LD: Type = types::I128;
        match self {
            Add | Sub | Mul | Div => (&[LD, LD], &[LD]),
            Gt | Ge | Eq => (&[LD, LD], &[types::I32]),
            FromI64 | FromU64 => (&[types::I64], &[LD]),
            FromF64 => (&[types::F64], &[LD]),
            FromF32 => (&[types::F32], &[LD]),
            ToF64 => (&[LD], &[types::F64]),
            ToF32 => (&[LD], &[types::F32]),
            ToI64 => (&[LD], &[types::I64]),
            Push => (&[LD], &[]),
            Pop => (&[], &[LD]),
            PushPair => (&[LD, LD], &[]),
            PopPair => (&[types::I64], &[]),
        }
    }

    pub const ALL: [X87Op; 18] = [
        X87Op::Add,
        X87Op::Sub,
        X87Op::Mul,
        X87Op::Div,
        X87Op::Gt,
        X87Op::Ge,
        X87Op::Eq,
        X87Op::FromI64,
        X87Op::FromU64,
        X87Op::FromF64,
        X87Op::FromF32,
        X87Op::ToF64,
        X87Op::ToF32,
        X87Op::ToI64,
        X87Op::Push,
        X87Op::Pop,
        X87Op::PushPair,
        X87Op::PopPair,
    ];
}

/// The sign bit of the x87 format within the `I128` (negation flips it).
pub const SIGN_BIT: u32 = 79;

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Assembles `asm` with the host `as --64` and returns the `.text` bytes.
    fn assemble(asm: &str, tag: &str) -> Vec<u8> {
        let dir = std::env::temp_dir().join(format!("cfree-x87-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        std::fs::write(dir.join("t.s"), asm).expect("write asm");
        let run = |cmd: &str, args: &[&str]| {
            let out = Command::new(cmd)
                .args(args)
                .current_dir(&dir)
                .output()
                .unwrap_or_else(|e| panic!("cannot run {cmd} (install binutils): {e}"));
            assert!(
                out.status.success(),
                "{cmd} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run("as", &["--64", "-o", "t.o", "t.s"]);
        run("objcopy", &["-O", "binary", "-j", ".text", "t.o", "t.bin"]);
        let bytes = std::fs::read(dir.join("t.bin")).expect("read bytes");
        let _ = std::fs::remove_dir_all(&dir);
        bytes
    }

    #[test]
    fn routines_match_the_assembler() {
        for op in X87Op::ALL {
            assert_eq!(
                op.bytes(),
                assemble(&op.asm(), &format!("{op:?}")),
                "{op:?}:\n{}",
                op.asm()
            );
        }
    }
}

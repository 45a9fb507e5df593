//! `_Float128` operations. The value is a Cranelift `F128` (so it travels in an xmm
//! register as the psABI wants), and Cranelift has no arithmetic on it: every operation is a
//! call of libgcc's soft-float routine for TFmode (`__addtf3`, `__lttf2`, `__extenddftf2`,
//! ...), as gcc itself compiles binary128 on x86-64.

use super::*;
use crate::abi::x86_64::x87::X87Op;
use cfree_frontend::LongDoubleFormat;

const SIGN: u128 = 1 << 127;

impl Tx<'_, '_, '_> {
    pub(super) fn is_tf(&self, ty: TypeId) -> bool {
        matches!(self.t.kind(ty), TypeKind::Float(FloatKind::Float128))
    }

    /// A constant given by its bits.
    pub(super) fn tf_bits(&mut self, bits: u128) -> Value {
        let lo = self.b.ins().iconst(types::I64, bits as u64 as i64);
        let hi = self.b.ins().iconst(types::I64, (bits >> 64) as u64 as i64);
        let i = self.b.ins().iconcat(lo, hi);
        self.b.ins().bitcast(types::F128, MemFlagsData::new(), i)
    }

    pub(super) fn tf_f64_const(&mut self, f: f64) -> Value {
        self.tf_bits(cfree_frontend::ldfloat::from_f64(
            LongDoubleFormat::Binary128,
            f,
        ))
    }

    fn tf_call(&mut self, name: &str, args: &[Value], ret: Type) -> Value {
        let params: Vec<Type> = args
            .iter()
            .map(|a| self.b.func.dfg.value_type(*a))
            .collect();
        self.libcall(name, args, &params, ret)
    }

    /// Flips the sign bit (exact, NaNs included, as gcc's negation).
    pub(super) fn tf_neg(&mut self, v: Value) -> Value {
        let i = self.b.ins().bitcast(types::I128, MemFlagsData::new(), v);
        let lo = self.b.ins().iconst(types::I64, 0);
        let hi = self.b.ins().iconst(types::I64, (SIGN >> 64) as i64);
        let m = self.b.ins().iconcat(lo, hi);
        let x = self.b.ins().bxor(i, m);
        self.b.ins().bitcast(types::F128, MemFlagsData::new(), x)
    }

    /// The sign bit as an `int` 0/1.
    pub(super) fn tf_signbit(&mut self, v: Value) -> Value {
        let i = self.b.ins().bitcast(types::I128, MemFlagsData::new(), v);
        let s = self.b.ins().ushr_imm_s(i, 127);
        self.b.ins().ireduce(types::I32, s)
    }

    /// `+ - * /` give an `F128`; comparisons an `int` 0/1 (false when unordered, except `!=`).
    pub(super) fn tf_binop(&mut self, op: BinOp, a: Value, c: Value) -> Value {
        let arith = match op {
            BinOp::Add => Some("__addtf3"),
            BinOp::Sub => Some("__subtf3"),
            BinOp::Mul => Some("__multf3"),
            BinOp::Div => Some("__divtf3"),
            _ => None,
        };
        if let Some(name) = arith {
            return self.tf_call(name, &[a, c], types::F128);
        }
        // libgcc's comparison routines return a value whose sign answers the relation (and
        // that answers "false" for unordered operands).
        let (name, cc) = match op {
            BinOp::Eq => ("__eqtf2", IntCC::Equal),
            BinOp::Ne => ("__netf2", IntCC::NotEqual),
            BinOp::Lt => ("__lttf2", IntCC::SignedLessThan),
            BinOp::Le => ("__letf2", IntCC::SignedLessThanOrEqual),
            BinOp::Gt => ("__gttf2", IntCC::SignedGreaterThan),
            BinOp::Ge => ("__getf2", IntCC::SignedGreaterThanOrEqual),
            _ => {
                self.fail("invalid _Float128 operation");
                return self.iconst(types::I32, 0);
            }
        };
        let r = self.tf_call(name, &[a, c], types::I32);
        let t = self.b.ins().icmp_imm_s(cc, r, 0);
        self.b.ins().uextend(types::I32, t)
    }

    /// Truth value as an i8 0/1 (NaN is true).
    pub(super) fn tf_truth(&mut self, v: Value) -> Value {
        let z = self.tf_bits(0);
        let r = self.tf_binop(BinOp::Ne, v, z);
        self.b.ins().ireduce(types::I8, r)
    }

    /// Integer (of C type `from`) to `_Float128`: exact for every integer type.
    pub(super) fn tf_from_int(&mut self, v: Value, from: TypeId) -> Value {
        let vt = self.b.func.dfg.value_type(v);
        let signed = self.t.is_signed(from) && from != TypeTable::BOOL;
        let (name, v) = match (vt.bits(), signed) {
            (128, true) => ("__floattitf", v),
            (128, false) => ("__floatuntitf", v),
            (64, true) => ("__floatditf", v),
            (64, false) => ("__floatunditf", v),
            (_, true) => ("__floatditf", self.b.ins().sextend(types::I64, v)),
            (_, false) => ("__floatunditf", self.b.ins().uextend(types::I64, v)),
        };
        self.tf_call(name, &[v], types::F128)
    }

    /// `_Float128` to an integer of C type `to` (truncating).
    pub(super) fn tf_to_int(&mut self, v: Value, to: TypeId) -> Value {
        let tt = self.cl(to);
        let signed = self.t.is_signed(to);
        let (name, rt) = match (tt.bits(), signed) {
            (128, true) => ("__fixtfti", types::I128),
            (128, false) => ("__fixunstfti", types::I128),
            (64, true) => ("__fixtfdi", types::I64),
            (64, false) => ("__fixunstfdi", types::I64),
            (32, false) => ("__fixunstfsi", types::I32),
            _ => ("__fixtfsi", types::I32),
        };
        let r = self.tf_call(name, &[v], rt);
        if tt.bits() < rt.bits() {
            self.b.ins().ireduce(tt, r)
        } else {
            r
        }
    }

    /// Between `_Float128` and another floating type (either direction).
    pub(super) fn tf_float_cast(&mut self, v: Value, from: TypeId, to: TypeId) -> Value {
        match (self.is_tf(from), self.is_tf(to)) {
            (true, true) => v,
            (false, true) if self.is_ld(from) => self.ld_to_tf(v),
            (false, true) => {
                let name = if self.cl(from) == types::F32 {
                    "__extendsftf2"
                } else {
                    "__extenddftf2"
                };
                self.tf_call(name, &[v], types::F128)
            }
            _ if self.is_ld(to) => self.tf_to_ld(v),
            _ => {
                let tt = self.cl(to);
                let name = if tt == types::F32 {
                    "__trunctfsf2"
                } else {
                    "__trunctfdf2"
                };
                self.tf_call(name, &[v], tt)
            }
        }
    }

    /// x87 `long double` (its 16 bytes) to `_Float128`: `__extendxftf2`, whose argument
    /// travels in memory (psABI class X87 for arguments).
    fn ld_to_tf(&mut self, v: Value) -> Value {
        if self.cx.opts.target.long_double != LongDoubleFormat::X87 {
            // Same format: the bits are the value.
            return self.b.ins().bitcast(types::F128, MemFlagsData::new(), v);
        }
        let mut sig = abi::empty_sig();
        sig.params.push(AbiParam::special(
            PTR,
            ir::ArgumentPurpose::StructArgument(16),
        ));
        sig.returns.push(AbiParam::new(types::F128));
        let Some(r) = self.import_ref("__extendxftf2", &sig) else {
            return self.tf_bits(0);
        };
        let ss = self.new_slot(16, 16);
        let a = self.b.ins().stack_addr(PTR, ss, 0);
        self.b.ins().store(flags(), v, a, 0);
        let call = self.b.ins().call(r, &[a]);
        self.b.inst_results(call)[0]
    }

    /// `_Float128` to x87 `long double`: `__trunctfxf2`, whose result is in st(0).
    fn tf_to_ld(&mut self, v: Value) -> Value {
        if self.cx.opts.target.long_double != LongDoubleFormat::X87 {
            return self.b.ins().bitcast(types::I128, MemFlagsData::new(), v);
        }
        let mut sig = abi::empty_sig();
        sig.params.push(AbiParam::new(types::F128));
        let Some(r) = self.import_ref("__trunctfxf2", &sig) else {
            return self.iconst(types::I128, 0);
        };
        self.b.ins().call(r, &[v]);
        match self.x87(X87Op::Pop, &[]) {
            Some(v) => v,
            None => self.iconst(types::I128, 0),
        }
    }
}

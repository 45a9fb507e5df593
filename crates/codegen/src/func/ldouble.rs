//! `long double` operations: the value is an `I128` holding the object's bytes; every
//! operation goes through the target's routines: x87 on x86-64, and where `long double` is
//! IEEE binary128 (AArch64, RISC-V) the same libgcc TFmode routines as `_Float128`
//! (`float128.rs`) on the bits seen as an `F128`.

use super::*;
use crate::abi::x86_64::x87::{X87Op, SIGN_BIT};
use cfree_frontend::LongDoubleFormat;

impl Tx<'_, '_, '_> {
    pub(super) fn is_ld(&self, ty: TypeId) -> bool {
        matches!(self.t.kind(ty), TypeKind::Float(FloatKind::LongDouble))
    }

    /// Whether `long double` is binary128 here, computed as `_Float128`.
    fn ld_is_tf(&self) -> bool {
        self.cx.opts.target.long_double == LongDoubleFormat::Binary128
    }

    fn as_tf(&mut self, v: Value) -> Value {
        self.b.ins().bitcast(types::F128, MemFlagsData::new(), v)
    }

    fn tf_bits_to_ld(&mut self, v: Value) -> Value {
        self.b.ins().bitcast(types::I128, MemFlagsData::new(), v)
    }

    /// Calls one x87 routine (or fails on targets without them).
    pub(super) fn x87(&mut self, op: X87Op, args: &[Value]) -> Option<Value> {
        if self.cx.opts.target.long_double != LongDoubleFormat::X87 {
            self.fail("long double arithmetic for binary128 targets is not supported yet");
            return None;
        }
        let fid = match self.cx.x87_routine(op) {
            Ok(f) => f,
            Err(e) => {
                self.fail(e.to_string());
                return None;
            }
        };
        let r = self.cx.module.declare_func_in_func(fid, self.b.func);
        let call = self.b.ins().call(r, args);
        self.b.inst_results(call).first().copied()
    }

    fn x87_val(&mut self, op: X87Op, args: &[Value], ty: Type) -> Value {
        match self.x87(op, args) {
            Some(v) => v,
            None => self.iconst(ty, 0),
        }
    }

    /// A constant given by its bits.
    pub(super) fn ld_bits(&mut self, bits: u128) -> Value {
        let lo = self.b.ins().iconst(types::I64, bits as u64 as i64);
        let hi = self.b.ins().iconst(types::I64, (bits >> 64) as u64 as i64);
        self.b.ins().iconcat(lo, hi)
    }

    pub(super) fn ld_f64_const(&mut self, f: f64) -> Value {
        let fmt = self.cx.opts.target.long_double;
        self.ld_bits(cfree_frontend::ldfloat::from_f64(fmt, f))
    }

    pub(super) fn ld_neg(&mut self, v: Value) -> Value {
        let bit = match self.cx.opts.target.long_double {
            LongDoubleFormat::X87 => SIGN_BIT,
            LongDoubleFormat::Binary128 => 127,
        };
        let m = self.ld_bits(1u128 << bit);
        self.b.ins().bxor(v, m)
    }

    pub(super) fn ld_binop(&mut self, op: BinOp, a: Value, c: Value) -> Value {
        if self.ld_is_tf() {
            let (x, y) = (self.as_tf(a), self.as_tf(c));
            let r = self.tf_binop(op, x, y);
            return if self.b.func.dfg.value_type(r) == types::F128 {
                self.tf_bits_to_ld(r)
            } else {
                r
            };
        }
        let (rop, swap, negate) = match op {
            BinOp::Add => return self.x87_val(X87Op::Add, &[a, c], types::I128),
            BinOp::Sub => return self.x87_val(X87Op::Sub, &[a, c], types::I128),
            BinOp::Mul => return self.x87_val(X87Op::Mul, &[a, c], types::I128),
            BinOp::Div => return self.x87_val(X87Op::Div, &[a, c], types::I128),
            BinOp::Gt => (X87Op::Gt, false, false),
            BinOp::Ge => (X87Op::Ge, false, false),
            BinOp::Lt => (X87Op::Gt, true, false),
            BinOp::Le => (X87Op::Ge, true, false),
            BinOp::Eq => (X87Op::Eq, false, false),
            BinOp::Ne => (X87Op::Eq, false, true),
            _ => {
                self.fail("invalid long double operation");
                return self.iconst(types::I32, 0);
            }
        };
        let args = if swap { [c, a] } else { [a, c] };
        let r = self.x87_val(rop, &args, types::I32);
        if negate {
            self.b.ins().bxor_imm_s(r, 1)
        } else {
            r
        }
    }

    /// Truth value as an i8 0/1 (NaN is true).
    pub(super) fn ld_truth(&mut self, v: Value) -> Value {
        let z = self.ld_bits(0);
        let r = self.ld_binop(BinOp::Ne, v, z);
        self.b.ins().ireduce(types::I8, r)
    }

    /// Integer (of C type `from`) to long double.
    pub(super) fn ld_from_int(&mut self, v: Value, from: TypeId) -> Value {
        if self.ld_is_tf() {
            let r = self.tf_from_int(v, from);
            return self.tf_bits_to_ld(r);
        }
        let vt = self.b.func.dfg.value_type(v);
        let signed = self.t.is_signed(from) && from != TypeTable::BOOL;
        if vt == types::I128 {
            let name = if signed {
                "__floattixf"
            } else {
                "__floatuntixf"
            };
            return self.ld_libcall_from_i128(name, v);
        }
        let w = if vt.bits() < 64 {
            if signed {
                self.b.ins().sextend(types::I64, v)
            } else {
                self.b.ins().uextend(types::I64, v)
            }
        } else {
            v
        };
        let op = if signed || vt.bits() < 64 {
            X87Op::FromI64
        } else {
            X87Op::FromU64
        };
        self.x87_val(op, &[w], types::I128)
    }

    /// Long double to an integer of C type `to` (truncating).
    pub(super) fn ld_to_int(&mut self, v: Value, to: TypeId) -> Value {
        if self.ld_is_tf() {
            let x = self.as_tf(v);
            return self.tf_to_int(x, to);
        }
        let tt = self.cl(to);
        let signed = self.t.is_signed(to);
        if tt == types::I128 {
            let name = if signed { "__fixxfti" } else { "__fixunsxfti" };
            return self.ld_libcall_to_i128(name, v);
        }
        let r = if signed || tt.bits() < 64 {
            self.x87_val(X87Op::ToI64, &[v], types::I64)
        } else {
            // u64: values >= 2^63 convert as x - 2^63 with the top bit put back.
            let two63 = self.ld_f64_const(9223372036854775808.0);
            let small = self.x87_val(X87Op::ToI64, &[v], types::I64);
            let d = self.ld_binop(BinOp::Sub, v, two63);
            let big = self.x87_val(X87Op::ToI64, &[d], types::I64);
            let big = self.b.ins().bxor_imm_s(big, i64::MIN);
            let ge = self.ld_binop(BinOp::Ge, v, two63);
            self.b.ins().select(ge, big, small)
        };
        if tt.bits() < 64 {
            self.b.ins().ireduce(tt, r)
        } else {
            r
        }
    }

    /// Between long double and float/double (either direction).
    pub(super) fn ld_float_cast(&mut self, v: Value, from: TypeId, to: TypeId) -> Value {
        match (self.is_ld(from), self.is_ld(to)) {
            (true, true) => v,
            (false, true) if self.ld_is_tf() => {
                let r = self.tf_float_cast(v, from, TypeTable::FLOAT128);
                self.tf_bits_to_ld(r)
            }
            (true, false) if self.ld_is_tf() => {
                let x = self.as_tf(v);
                self.tf_float_cast(x, TypeTable::FLOAT128, to)
            }
            (false, true) => {
                let op = if self.cl(from) == types::F32 {
                    X87Op::FromF32
                } else {
                    X87Op::FromF64
                };
                self.x87_val(op, &[v], types::I128)
            }
            _ => {
                let tt = self.cl(to);
                let op = if tt == types::F32 {
                    X87Op::ToF32
                } else {
                    X87Op::ToF64
                };
                self.x87_val(op, &[v], tt)
            }
        }
    }

    /// `name(long double) -> __int128` from libgcc: the argument is a 16-byte stack copy.
    fn ld_libcall_to_i128(&mut self, name: &str, v: Value) -> Value {
        let mut sig = abi::empty_sig();
        sig.params.push(AbiParam::special(
            PTR,
            ir::ArgumentPurpose::StructArgument(16),
        ));
        sig.returns.push(AbiParam::new(types::I128));
        let Some(r) = self.import_ref(name, &sig) else {
            return self.iconst(types::I128, 0);
        };
        let ss = self.new_slot(16, 16);
        let a = self.b.ins().stack_addr(PTR, ss, 0);
        self.b.ins().store(flags(), v, a, 0);
        let call = self.b.ins().call(r, &[a]);
        self.b.inst_results(call)[0]
    }

    /// `name(__int128) -> long double` from libgcc (result in st(0)).
    fn ld_libcall_from_i128(&mut self, name: &str, v: Value) -> Value {
        let mut sig = abi::empty_sig();
        sig.params.push(AbiParam::new(types::I128));
        let Some(r) = self.import_ref(name, &sig) else {
            return self.iconst(types::I128, 0);
        };
        self.b.ins().call(r, &[v]);
        self.x87_val(X87Op::Pop, &[], types::I128)
    }
}

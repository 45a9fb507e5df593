//! Classification cases from the psABI text ("Hardware Floating-point Calling Convention",
//! "Integer Calling Convention") and gcc 12's `riscv_get_arg_info`, and a check that the
//! psABI's assignment is what Cranelift does with the signatures built from it.

use super::*;
use cfree_frontend::types::RecordLayout;

fn record(t: &mut TypeTable, fields: &[TypeId]) -> TypeId {
    let (rid, ty) = t.new_record(Some("s".into()), false);
    let mut l = RecordLayout::new(false, false, None);
    for &f in fields {
        let (s, a) = (t.size(f), t.align(f));
        l.add_field(None, f, s, a, 1);
    }
    let (size, align) = l.finish(1);
    let r = &mut t.records[rid.0 as usize];
    r.fields = l.fields;
    r.size = size;
    r.align = align;
    r.complete = true;
    ty
}

fn table() -> TypeTable {
    TypeTable::new(&cfree_frontend::TargetInfo::from_name("riscv64-linux-gnu").expect("riscv64"))
}

fn split(pieces: &[(Type, u32)]) -> ArgAbi {
    ArgAbi::Split(pieces.to_vec())
}

#[test]
fn structs_of_fp_reals_flatten_into_fp_registers() {
    let mut t = table();
    let ff = record(&mut t, &[TypeTable::FLOAT, TypeTable::FLOAT]);
    assert_eq!(
        Lp64d.classify(&t, ff, false),
        split(&[(types::F32, 0), (types::F32, 4)])
    );
    let di = record(&mut t, &[TypeTable::DOUBLE, TypeTable::INT]);
    assert_eq!(
        Lp64d.classify(&t, di, false),
        split(&[(types::F64, 0), (types::I32, 8)])
    );
    let cf = record(&mut t, &[TypeTable::CHAR, TypeTable::FLOAT]);
    assert_eq!(
        Lp64d.classify(&t, cf, true),
        split(&[(types::I8, 0), (types::F32, 4)])
    );
    // Arrays and nested structs are flattened.
    let arr = t.array(TypeTable::FLOAT, Some(2));
    let fa = record(&mut t, &[arr]);
    assert_eq!(
        Lp64d.classify(&t, fa, false),
        split(&[(types::F32, 0), (types::F32, 4)])
    );
    let inner = record(&mut t, &[TypeTable::FLOAT]);
    let outer = record(&mut t, &[inner]);
    assert_eq!(Lp64d.classify(&t, outer, false), split(&[(types::F32, 0)]));
}

#[test]
fn other_small_aggregates_travel_as_integer_words() {
    let mut t = table();
    // Two integers, three floats, a pointer with a double: the integer convention.
    let ll = record(&mut t, &[TypeTable::LONG, TypeTable::INT]);
    assert_eq!(
        Lp64d.classify(&t, ll, false),
        split(&[(types::I64, 0), (types::I64, 8)])
    );
    let fff = record(&mut t, &[TypeTable::FLOAT; 3]);
    assert_eq!(
        Lp64d.classify(&t, fff, false),
        split(&[(types::I64, 0), (types::I64, 8)])
    );
    let vp = t.ptr(TypeTable::VOID);
    let dp = record(&mut t, &[TypeTable::DOUBLE, vp]);
    assert_eq!(
        Lp64d.classify(&t, dp, false),
        split(&[(types::I64, 0), (types::I64, 8)])
    );
    // A long double member is wider than FLEN.
    let ld = record(&mut t, &[TypeTable::LDOUBLE]);
    assert_eq!(
        Lp64d.classify(&t, ld, false),
        split(&[(types::I64, 0), (types::I64, 8)])
    );
    let big = record(&mut t, &[TypeTable::LONG; 3]);
    assert_eq!(
        Lp64d.classify(&t, big, false),
        ArgAbi::Indirect { size: 24, align: 8 }
    );
    assert_eq!(
        Lp64d.classify(&t, big, true),
        ArgAbi::Memory { size: 24, pad: 0 }
    );
    assert_eq!(
        Lp64d.classify(&t, TypeTable::LDOUBLE, false),
        ArgAbi::Direct(types::I128)
    );
}

#[test]
fn fp_arguments_past_fa7_follow_the_integer_rules() {
    let t = table();
    let mut tys = vec![TypeTable::DOUBLE; 9];
    tys.push(TypeTable::FLOAT);
    let (a, n) = Lp64d.assign(&t, &tys, tys.len(), false);
    assert_eq!(a[7].locs, vec![Loc::Fr(7)]);
    assert_eq!(a[8].abi, ArgAbi::Direct(types::I64));
    assert_eq!(a[8].locs, vec![Loc::Gr(0)]);
    assert_eq!(a[9].locs, vec![Loc::Gr(1)]);
    assert_eq!((n.gr, n.fr), (2, 8));
}

#[test]
fn a_struct_without_enough_fp_registers_uses_integer_ones() {
    let mut t = table();
    let dd = record(&mut t, &[TypeTable::DOUBLE, TypeTable::DOUBLE]);
    let mut tys = vec![TypeTable::DOUBLE; 7];
    tys.push(dd);
    let (a, _) = Lp64d.assign(&t, &tys, tys.len(), false);
    assert_eq!(a[7].abi, split(&[(types::I64, 0), (types::I64, 8)]));
    assert_eq!(a[7].locs, vec![Loc::Gr(0), Loc::Gr(1)]);
}

#[test]
fn variadic_pairs_start_at_an_even_register_and_the_stack_at_16() {
    let t = table();
    // v(int, ...) called with (long double): a1 is skipped, the value in a2/a3.
    let (a, _) = Lp64d.assign(&t, &[TypeTable::INT, TypeTable::LDOUBLE], 1, false);
    assert_eq!(a[1].pads, vec![types::I64]);
    assert_eq!(a[1].locs, vec![Loc::Gr(2), Loc::Gr(3)]);
    // Named, the pair is not aligned.
    let (a, _) = Lp64d.assign(&t, &[TypeTable::INT, TypeTable::LDOUBLE], 2, false);
    assert!(a[1].pads.is_empty());
    assert_eq!(a[1].locs, vec![Loc::Gr(1), Loc::Gr(2)]);
    // Named with one register left: split between a7 and the stack.
    let mut tys = vec![TypeTable::LONG; 7];
    tys.push(TypeTable::LDOUBLE);
    let (a, _) = Lp64d.assign(&t, &tys, 8, false);
    assert_eq!(a[7].locs, vec![Loc::Gr(7), Loc::Stack(0)]);
    // Entirely on the stack after one word: 16-aligned (gcc puts it at sp+16).
    let mut tys = vec![TypeTable::LONG; 9];
    tys.push(TypeTable::LDOUBLE);
    let (a, _) = Lp64d.assign(&t, &tys, 10, false);
    assert_eq!(a[9].pads, vec![types::I64]);
    assert_eq!(a[9].locs, vec![Loc::Stack(16), Loc::Stack(24)]);
    // Variadic doubles travel in integer registers.
    let (a, _) = Lp64d.assign(&t, &[TypeTable::INT, TypeTable::DOUBLE], 1, false);
    assert_eq!(a[1].abi, ArgAbi::Direct(types::I64));
    assert_eq!(a[1].locs, vec![Loc::Gr(1)]);
}

#[test]
fn thunk_bytes_are_the_documented_instructions() {
    // Checked against `riscv64-linux-gnu-objdump -d` of these words.
    let e = va::entry();
    let w: Vec<u32> = e
        .bytes
        .chunks(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(w.len(), 18);
    assert_eq!(w[0], 0xfb01_0113); // addi sp,sp,-80
    assert_eq!(w[1], 0x0011_3423); // sd ra,8(sp)
    assert_eq!(w[2], 0x0081_3023); // sd s0,0(sp)
    assert_eq!(w[3], 0x00a1_3823); // sd a0,16(sp)
    assert_eq!(w[10], 0x0511_3423); // sd a7,72(sp)
    assert_eq!(w[11], 0x0001_0413); // mv s0,sp
    assert_eq!(w[12], 0x0000_0097); // auipc ra,0x0
    assert_eq!(w[13], 0x0000_80e7); // jalr ra
    assert_eq!(w[14], 0x0081_3083); // ld ra,8(sp)
    assert_eq!(w[15], 0x0001_3403); // ld s0,0(sp)
    assert_eq!(w[16], 0x0501_0113); // addi sp,sp,80
    assert_eq!(w[17], 0x0000_8067); // ret
    assert_eq!(e.reloc_offset, 48);
}

#[test]
fn psabi_assignment_is_what_cranelift_does_with_the_padded_signature() {
    let mut t = table();
    let arr = t.array(TypeTable::FLOAT, Some(2));
    let vp = t.ptr(TypeTable::VOID);
    let pool = [
        TypeTable::INT,
        TypeTable::DOUBLE,
        TypeTable::FLOAT,
        TypeTable::LDOUBLE,
        TypeTable::INT128,
        record(&mut t, &[TypeTable::DOUBLE; 2]),
        record(&mut t, &[TypeTable::FLOAT, TypeTable::INT]),
        record(&mut t, &[arr]),
        record(&mut t, &[TypeTable::DOUBLE, TypeTable::LONG]),
        record(&mut t, &[TypeTable::CHAR, TypeTable::INT]),
        record(&mut t, &[TypeTable::INT128]),
        record(&mut t, &[TypeTable::LONG; 3]),
        record(&mut t, &[TypeTable::DOUBLE, vp]),
    ];
    let mut seed = 0x2545_f491_u64;
    for _ in 0..500 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = 1 + (seed >> 59) as usize;
        let tys: Vec<TypeId> = (0..len)
            .map(|k| pool[((seed >> (k * 4 % 56)) & 0xff) as usize % pool.len()])
            .collect();
        let nfixed = (seed >> 20) as usize % (len + 1);
        let ft = FuncType {
            ret: TypeTable::VOID,
            params: tys[..nfixed].to_vec(),
            variadic: nfixed < len,
            has_proto: true,
        };
        let fabi = Lp64d.signature(&t, &ft, &tys[nfixed..], false);
        let (cranelift, ..) = va::locations(&fabi, false);
        let (psabi, _) = Lp64d.assign(&t, &tys, nfixed, false);
        let psabi: Vec<Vec<Loc>> = psabi.into_iter().map(|a| a.locs).collect();
        assert_eq!(psabi, cranelift, "{tys:?} fixed {nfixed}");
    }
}

//! LinkSession behaviour on hand-built objects, with the VecMemory test buffer.

mod common;

use cfree_link::{
    InputKind, LinkError, MapResolver, NoResolver, Protection, RelocOwner, RelocVia,
    SectionPlacement, SegmentClass, SymbolKind,
};
use common::*;
use object::elf;
use object::SectionKind;

/// Object A: `fa` (call to local `helper`), data `da` = &fa, rodata string, bss.
fn object_a() -> Obj {
    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[CALL_RET, [0xc3; 6]].concat(),
        16,
    );
    let data = o.section(".data", SectionKind::Data, &[0; 8], 8);
    let ro = o.section(".rodata", SectionKind::ReadOnlyData, b"hello\0", 1);
    let bss = o.section(".bss", SectionKind::UninitializedData, &[0; 64], 32);
    let fa = o.func("fa", text, 0, 6);
    let helper = o.local_func("helper", text, 6, 6);
    o.data("da", data, 0, 8);
    o.data("msg", ro, 0, 6);
    o.data("zeros", bss, 0, 64);
    o.reloc(text, 1, helper, -4, R_X86_64_PLT32);
    o.reloc(data, 0, fa, 0, R_X86_64_64);
    o
}

/// Object B: `fb` calls `fa` and takes the address of `da` with a RIP-relative lea.
fn object_b() -> Obj {
    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[&CALL_RET[..], &LEA_RET[..]].concat(),
        16,
    );
    o.func("fb", text, 0, 14);
    let fa = o.undef("fa");
    let da = o.undef("da");
    o.reloc(text, 1, fa, -4, R_X86_64_PLT32);
    o.reloc(text, 9, da, -4, R_X86_64_PC32);
    o
}

#[test]
fn links_one_object_and_protects_by_class() {
    let (mut s, mut mem) = session();
    let out = append(&mut s, &mut mem, &NoResolver, vec![object_a().input("a.o")]).unwrap();
    assert_eq!(out.generation, 1);
    assert_eq!(s.generation(), 1);
    let fa = s.lookup("fa").unwrap();
    let da = s.lookup("da").unwrap();
    let msg = s.lookup("msg").unwrap();
    let zeros = s.lookup("zeros").unwrap();
    assert_eq!(fa, BASE, "first RX byte");
    assert_eq!(
        rel32_target(&mem, fa + 1),
        fa + 6,
        "call reaches local helper"
    );
    assert_eq!(read_u64(&mem, da), fa, "R_X86_64_64 in .data");
    let mut b = [0u8; 6];
    cfree_link::LinkMemory::read(&mem, msg, &mut b).unwrap();
    assert_eq!(&b, b"hello\0");
    assert_eq!(zeros % 32, 0, "bss alignment kept");
    assert_eq!(read_u64(&mem, zeros + 56), 0);
    assert_eq!(s.lookup("helper"), None, "locals are not global");
    assert_eq!(mem.protection_at(fa), Some(Protection::RX));
    assert_eq!(mem.protection_at(msg), Some(Protection::R));
    assert_eq!(mem.protection_at(da), Some(Protection::RW));
    assert_eq!(mem.protection_at(zeros), Some(Protection::RW));
    assert!(mem.flushed().iter().any(|&(a, l)| a <= fa && fa < a + l));
    // .data and .bss share a page: packed by alignment, not a page per section.
    assert_eq!(da & !(PAGE - 1), zeros & !(PAGE - 1));
    let names: Vec<_> = s.symbols().map(|x| (x.name.to_string(), x.kind)).collect();
    assert!(names.contains(&("fa".into(), SymbolKind::Function)));
    assert!(names.contains(&("helper".into(), SymbolKind::Function)));
    assert!(names.contains(&("da".into(), SymbolKind::Data)));
}

#[test]
fn append_keeps_old_addresses_and_maps_pcs_in_both() {
    let (mut s, mut mem) = session();
    append(&mut s, &mut mem, &NoResolver, vec![object_a().input("a.o")]).unwrap();
    let before: Vec<_> = s.symbols().map(|x| (x.name.to_string(), x.addr)).collect();
    let fa = s.lookup("fa").unwrap();
    let da = s.lookup("da").unwrap();
    let out = append(&mut s, &mut mem, &NoResolver, vec![object_b().input("b.o")]).unwrap();
    assert_eq!(out.generation, 2);
    for (name, addr) in &before {
        assert_eq!(
            s.symbols().find(|x| x.name == name).map(|x| x.addr),
            Some(*addr),
            "{name} moved"
        );
    }
    let fb = s.lookup("fb").unwrap();
    assert!(fb > fa + 12, "appended after A's code");
    assert_eq!(rel32_target(&mem, fb + 1), fa);
    assert_eq!(rel32_target(&mem, fb + 9), da);
    assert_eq!(s.addr_to_sym(fa + 3), Some(("fa", 3)));
    assert_eq!(s.addr_to_sym(fa + 7), Some(("helper", 1)));
    assert_eq!(s.addr_to_sym(fb + 13), Some(("fb", 13)));
    assert_eq!(s.addr_to_sym(da + 4), Some(("da", 4)));
    assert_eq!(s.addr_to_sym(BASE - 1), None);
    // Durable records: B's two relocations, owned by B's .text, targeting fa and da.
    let b_id = out.inputs[0];
    let b_relocs: Vec<_> = s
        .relocs()
        .iter()
        .filter(|r| matches!(r.owner, RelocOwner::Input { input, .. } if input == b_id))
        .collect();
    assert_eq!(b_relocs.len(), 2);
    assert!(b_relocs
        .iter()
        .all(|r| r.width == 4 && r.via == RelocVia::Direct));
    let fa_id = s.lookup_symbol("fa").unwrap().id;
    let sites: Vec<u64> = s.relocs_targeting(fa_id).map(|r| r.vaddr).collect();
    assert!(sites.contains(&(fb + 1)));
    assert!(sites.contains(&(da)), "A's data pointer also targets fa");
    // Per-input section placements are kept.
    let rec = s.input(b_id).unwrap();
    assert_eq!(rec.kind, InputKind::Object);
    assert_eq!(
        rec.section_by_name(".text").and_then(|x| x.addr()),
        Some(fb)
    );
}

#[test]
fn undefined_symbols_are_all_reported_with_their_sites() {
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[CALL_RET, CALL_RET].concat(),
        16,
    );
    let data = o.section(".data", SectionKind::Data, &[0; 8], 8);
    o.func("caller1", text, 0, 6);
    o.func("caller2", text, 6, 6);
    let m1 = o.undef("missing_one");
    let m2 = o.undef("missing_two");
    o.reloc(text, 1, m1, -4, R_X86_64_PLT32);
    o.reloc(text, 7, m2, -4, R_X86_64_PLT32);
    o.reloc(data, 0, m1, 0, R_X86_64_64);
    let before = snapshot(&s);
    let err = append(&mut s, &mut mem, &NoResolver, vec![o.input("u.o")]).unwrap_err();
    let LinkError::Undefined(u) = &err else {
        panic!("expected undefined, got {err}");
    };
    assert_eq!(u.names(), vec!["missing_one", "missing_two"]);
    assert_eq!(u.0.len(), 3, "every referencing site");
    let msg = err.to_string();
    assert!(msg.contains("u.o:.text+0x1 (in `caller1`)"), "{msg}");
    assert!(msg.contains("u.o:.text+0x7 (in `caller2`)"), "{msg}");
    assert!(msg.contains("u.o:.data+0x0"), "{msg}");
    assert_eq!(snapshot(&s), before);
    assert_eq!(mem.committed_pages(), 0, "failed before touching memory");
}

#[test]
fn duplicate_strong_definitions_name_both_inputs() {
    let (mut s, mut mem) = session();
    // Within one batch.
    let err = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![object_a().input("a.o"), object_a().input("a2.o")],
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, LinkError::DuplicateDefinition { .. }),
        "{msg}"
    );
    assert!(
        msg.contains("a.o") && msg.contains("a2.o") && msg.contains('`'),
        "{msg}"
    );
    assert_eq!(s.generation(), 0);
    // Against the live image: lookups stay unchanged.
    append(&mut s, &mut mem, &NoResolver, vec![object_a().input("a.o")]).unwrap();
    let before = snapshot(&s);
    let fa = s.lookup("fa");
    let err = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![object_a().input("again.o")],
    )
    .unwrap_err();
    let LinkError::DuplicateDefinition {
        symbol,
        first,
        second,
    } = &err
    else {
        panic!("{err}");
    };
    assert!(symbol == "fa" || symbol == "da" || symbol == "msg" || symbol == "zeros");
    assert_eq!((first.as_str(), second.as_str()), ("a.o", "again.o"));
    assert_eq!(snapshot(&s), before);
    assert_eq!(s.lookup("fa"), fa);
}

#[test]
fn weak_definitions_and_undefined_weak() {
    let (mut s, mut mem) = session();
    let mut w = Obj::new();
    let t = w.section(".text", SectionKind::Text, &[0xc3; 4], 16);
    w.weak_func("hook", t, 0, 4);
    let mut strong = Obj::new();
    let t2 = strong.section(".text", SectionKind::Text, &[0x90, 0xc3], 16);
    strong.func("hook", t2, 0, 2);
    let mut user = Obj::new();
    let d = user.section(".data", SectionKind::Data, &[0; 16], 8);
    let hook = user.undef("hook");
    let opt = user.weak_undef("optional_feature");
    user.reloc(d, 0, hook, 0, R_X86_64_64);
    user.reloc(d, 8, opt, 0, R_X86_64_64);
    let out = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![
            w.input("weak.o"),
            strong.input("strong.o"),
            user.input("user.o"),
        ],
    )
    .unwrap();
    let hook_addr = s.lookup("hook").unwrap();
    let strong_text = s
        .input(out.inputs[1])
        .and_then(|r| r.section_by_name(".text"))
        .and_then(|x| x.addr())
        .unwrap();
    assert_eq!(hook_addr, strong_text, "strong beats weak");
    let user_data = s
        .input(out.inputs[2])
        .and_then(|r| r.section_by_name(".data"))
        .and_then(|x| x.addr())
        .unwrap();
    assert_eq!(read_u64(&mem, user_data), hook_addr);
    assert_eq!(read_u64(&mem, user_data + 8), 0, "undefined weak is 0");
    assert_eq!(s.lookup("optional_feature"), None);
    // The losing weak body is still described by addr_to_sym.
    let weak_text = s
        .input(out.inputs[0])
        .and_then(|r| r.section_by_name(".text"))
        .and_then(|x| x.addr())
        .unwrap();
    assert_eq!(s.addr_to_sym(weak_text + 1), Some(("hook", 1)));
    // A later strong definition does not replace a live weak one (addresses are stable),
    // and is not a duplicate either.
    let mut w2 = Obj::new();
    let t3 = w2.section(".text", SectionKind::Text, &[0xc3], 16);
    w2.weak_func("wk", t3, 0, 1);
    append(&mut s, &mut mem, &NoResolver, vec![w2.input("wk.o")]).unwrap();
    let wk = s.lookup("wk");
    let mut st2 = Obj::new();
    let t4 = st2.section(".text", SectionKind::Text, &[0xc3], 16);
    st2.func("wk", t4, 0, 1);
    append(&mut s, &mut mem, &NoResolver, vec![st2.input("wk2.o")]).unwrap();
    assert_eq!(s.lookup("wk"), wk);
}

#[test]
fn common_symbols_merge_and_yield_to_definitions() {
    let (mut s, mut mem) = session();
    let mut c1 = Obj::new();
    c1.common("counter", 4, 4);
    c1.common("table", 16, 8);
    let mut c2 = Obj::new();
    c2.common("table", 64, 32);
    let mut def = Obj::new();
    let d = def.section(".data", SectionKind::Data, &7u32.to_le_bytes(), 4);
    def.data("counter", d, 0, 4);
    let mut user = Obj::new();
    let ud = user.section(".data", SectionKind::Data, &[0; 16], 8);
    let counter = user.undef("counter");
    let table = user.undef("table");
    user.reloc(ud, 0, counter, 0, R_X86_64_64);
    user.reloc(ud, 8, table, 0, R_X86_64_64);
    // Make the common range dirty first, so the zero guarantee is really tested.
    append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![
            c1.input("c1.o"),
            c2.input("c2.o"),
            def.input("def.o"),
            user.input("user.o"),
        ],
    )
    .unwrap();
    let (table_size, table_addr) = s.lookup_symbol("table").map(|t| (t.size, t.addr)).unwrap();
    assert_eq!(table_size, 64, "largest common size");
    assert_eq!(table_addr % 32, 0, "largest common alignment");
    let counter_addr = s.lookup("counter").unwrap();
    let mut b = [0u8; 4];
    cfree_link::LinkMemory::read(&mem, counter_addr, &mut b).unwrap();
    assert_eq!(u32::from_le_bytes(b), 7, "the real definition wins");
    assert_eq!(read_u64(&mem, table_addr + 56), 0);
    // A later COMMON that fits binds to the live symbol; a larger one is an error.
    let mut fits = Obj::new();
    fits.common("table", 32, 8);
    append(&mut s, &mut mem, &NoResolver, vec![fits.input("fits.o")]).unwrap();
    assert_eq!(s.lookup("table"), Some(table_addr));
    let mut big = Obj::new();
    big.common("table", 128, 8);
    let err = append(&mut s, &mut mem, &NoResolver, vec![big.input("big.o")]).unwrap_err();
    assert!(matches!(err, LinkError::CommonTooLarge { .. }), "{err}");
}

#[test]
fn capacity_exhaustion_rolls_back() {
    let (mut s, mut mem) = session_with(PAGE, PAGE, PAGE);
    append(&mut s, &mut mem, &NoResolver, vec![object_a().input("a.o")]).unwrap();
    let before = snapshot(&s);
    let mut big = Obj::new();
    let t = big.section(".text", SectionKind::Text, &vec![0x90; 0x2000], 16);
    big.func("huge", t, 0, 0x2000);
    let err = append(&mut s, &mut mem, &NoResolver, vec![big.input("big.o")]).unwrap_err();
    let LinkError::CapacityExhausted {
        class, capacity, ..
    } = err
    else {
        panic!("{err}");
    };
    assert_eq!((class, capacity), (SegmentClass::Rx, PAGE));
    assert_eq!(snapshot(&s), before);
    assert_eq!(s.lookup("huge"), None);
}

#[test]
fn far_calls_go_through_stubs_and_far_lea_overflows() {
    let far = 0x7f12_3456_7000u64;
    let mut resolver = MapResolver::new();
    resolver.insert("far_func", far);
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    // call far_func; jmp far_func (tail call); call far_func again.
    let code = [0xe8, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0xc3];
    let t = o.section(".text", SectionKind::Text, &code, 16);
    o.func("caller", t, 0, code.len() as u64);
    let f = o.undef("far_func");
    o.reloc(t, 1, f, -4, R_X86_64_PLT32);
    o.reloc(t, 6, f, -4, R_X86_64_PLT32);
    o.reloc(t, 11, f, -4, R_X86_64_PC32);
    append(&mut s, &mut mem, &resolver, vec![o.input("far.o")]).unwrap();
    let caller = s.lookup("caller").unwrap();
    let stub = rel32_target(&mem, caller + 1);
    assert_eq!(rel32_target(&mem, caller + 6), stub, "one stub per target");
    assert_eq!(rel32_target(&mem, caller + 11), stub);
    let mut insn = [0u8; 6];
    cfree_link::LinkMemory::read(&mem, stub, &mut insn).unwrap();
    assert_eq!(&insn[..2], &[0xff, 0x25], "jmp *cell(%rip)");
    let cell =
        (stub as i64 + 6 + i64::from(i32::from_le_bytes([insn[2], insn[3], insn[4], insn[5]])))
            as u64;
    assert_eq!(read_u64(&mem, cell), far);
    assert_eq!(mem.protection_at(stub), Some(Protection::RX));
    assert_eq!(mem.protection_at(cell), Some(Protection::R));
    assert_eq!(s.addr_to_sym(stub + 2), Some(("far_func@plt", 2)));
    assert_eq!(s.addr_to_sym(cell), Some(("far_func@got", 0)));
    assert!(s
        .relocs()
        .iter()
        .any(|r| r.vaddr == caller + 1 && r.via == RelocVia::Stub(stub)));
    assert!(s
        .relocs()
        .iter()
        .any(|r| r.vaddr == cell && matches!(r.owner, RelocOwner::Linker { .. }) && r.width == 8));
    assert!(s
        .inputs()
        .iter()
        .any(|i| i.kind == InputKind::Linker && i.section_by_name(".cfree.stubs").is_some()));

    // A later append calling the same far function reuses the stub.
    let mut o2 = Obj::new();
    let t2 = o2.section(".text", SectionKind::Text, &CALL_RET, 16);
    o2.func("caller2", t2, 0, 6);
    let f2 = o2.undef("far_func");
    o2.reloc(t2, 1, f2, -4, R_X86_64_PLT32);
    append(&mut s, &mut mem, &resolver, vec![o2.input("far2.o")]).unwrap();
    let caller2 = s.lookup("caller2").unwrap();
    assert_eq!(rel32_target(&mem, caller2 + 1), stub);

    // PLT32 on a `lea` is an address computation, never a call: overflow error.
    let before = snapshot(&s);
    let mut l = Obj::new();
    let t3 = l.section(".text", SectionKind::Text, &LEA_RET, 16);
    l.func("takes_addr", t3, 0, 8);
    let f3 = l.undef("far_func");
    l.reloc(t3, 3, f3, -4, R_X86_64_PLT32);
    let err = append(&mut s, &mut mem, &resolver, vec![l.input("lea.o")]).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, LinkError::RelocOverflow { .. }), "{msg}");
    assert!(
        msg.contains("far_func") && msg.contains("lea.o:.text+0x3"),
        "{msg}"
    );
    assert!(
        msg.contains("takes_addr") && msg.contains("R_X86_64_PLT32"),
        "{msg}"
    );
    assert_eq!(snapshot(&s), before);
}

#[test]
fn got_cells_are_shared_per_target_and_across_appends() {
    let mut resolver = MapResolver::new();
    resolver.insert("ext", 0x7f00_0000_1000);
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    // mov ext@GOTPCREL(%rip),%rax twice (REX form) and once plain GOTPCREL.
    let code = [
        0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0,
        0xc3,
    ];
    let t = o.section(".text", SectionKind::Text, &code, 16);
    o.func("g", t, 0, code.len() as u64);
    let e = o.undef("ext");
    let local = o.undef("g");
    o.reloc(t, 3, e, -4, R_X86_64_REX_GOTPCRELX);
    o.reloc(t, 10, e, -4, R_X86_64_GOTPCREL);
    o.reloc(t, 17, local, -4, R_X86_64_GOTPCREL);
    append(&mut s, &mut mem, &resolver, vec![o.input("got.o")]).unwrap();
    let g = s.lookup("g").unwrap();
    let c1 = rel32_target(&mem, g + 3);
    let c2 = rel32_target(&mem, g + 10);
    let c3 = rel32_target(&mem, g + 17);
    assert_eq!(c1, c2);
    assert_ne!(c1, c3);
    assert_eq!(read_u64(&mem, c1), 0x7f00_0000_1000);
    assert_eq!(read_u64(&mem, c3), g);
    let mut o2 = Obj::new();
    let t2 = o2.section(".text", SectionKind::Text, &code[..7], 16);
    let e2 = o2.undef("ext");
    o2.func("g2", t2, 0, 7);
    o2.reloc(t2, 3, e2, -4, R_X86_64_GOTPCREL);
    append(&mut s, &mut mem, &resolver, vec![o2.input("got2.o")]).unwrap();
    let g2 = s.lookup("g2").unwrap();
    assert_eq!(rel32_target(&mem, g2 + 3), c1, "live cell reused");
}

#[test]
fn memory_failures_after_commit_roll_back() {
    for (fail_on, countdown) in [
        (FailOn::Commit, 1),
        (FailOn::Write, 0),
        (FailOn::Write, 2),
        (FailOn::Protect, 1),
    ] {
        let (mut s, mut mem) = session();
        append(&mut s, &mut mem, &NoResolver, vec![object_a().input("a.o")]).unwrap();
        let before = snapshot(&s);
        // The new object has .data and .bss; a partial write leaves garbage behind the cursor.
        let mut o = object_b();
        let d = o.section(".data", SectionKind::Data, &[0xaa; 0x2100], 8);
        o.data("junk", d, 0, 0x2100);
        o.section(".rodata", SectionKind::ReadOnlyData, &[0xbb; 0x2100], 8);
        let mut failing = FailingMemory {
            inner: &mut mem,
            fail_on,
            countdown,
            once: false,
        };
        let err = append(&mut s, &mut failing, &NoResolver, vec![o.input("b.o")]).unwrap_err();
        assert!(
            matches!(err, LinkError::Memory { .. }),
            "{fail_on:?}: {err}"
        );
        assert_eq!(snapshot(&s), before, "{fail_on:?}");
        assert_eq!(s.lookup("fb"), None);
        // The next append lands at the same cursors, and its .bss reads as zero even if the
        // failed append wrote there.
        let mut z = Obj::new();
        let bss = z.section(".bss", SectionKind::UninitializedData, &[0; 0x2100], 8);
        z.data("fresh_bss", bss, 0, 0x2100);
        append(&mut s, &mut mem, &NoResolver, vec![z.input("z.o")]).unwrap();
        let fresh = s.lookup("fresh_bss").unwrap();
        assert_eq!(fresh, before.cursors[2].next_multiple_of(8), "{fail_on:?}");
        for off in (0..0x2100).step_by(8) {
            assert_eq!(read_u64(&mem, fresh + off), 0, "{fail_on:?} at +{off}");
        }
        assert_eq!(s.generation(), 2);
    }
}

#[test]
fn unsupported_tls_models_are_rejected_by_name() {
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let code = [0x8b, 0x04, 0x25, 0, 0, 0, 0, 0xc3];
    let t = o.section(".text", SectionKind::Text, &code, 16);
    o.func("tls_user", t, 0, 8);
    let v = o.undef("thread_var");
    o.reloc(t, 3, v, 0, R_X86_64_TPOFF32);
    // Whether or not the symbol resolves, the error is about TLS, naming the symbol.
    let mut resolver = MapResolver::new();
    resolver.insert("thread_var", 0x1000);
    for r in [MapResolver::new(), resolver] {
        let err = append(&mut s, &mut mem, &r, vec![o.input("tls.o")]).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, LinkError::TlsReloc(_)), "{msg}");
        assert!(
            msg.contains("thread_var")
                && msg.contains("R_X86_64_TPOFF32")
                && msg.contains("not supported"),
            "{msg}"
        );
        assert!(msg.contains("tls.o:.text+0x3 (in `tls_user`)"), "{msg}");
    }
    assert_eq!(s.generation(), 0);
}

#[test]
fn tls_sections_become_templates() {
    let (mut s, mut mem) = session();
    let mut td = Obj::new();
    let sec = td.section(".tdata", SectionKind::Tls, &[1, 2, 3, 4], 4);
    td.data("tv", sec, 0, 4);
    let out = append(&mut s, &mut mem, &NoResolver, vec![td.input("td.o")]).unwrap();
    assert_eq!(out.tls.len(), 1);
    let t = out.tls[0];
    assert_eq!((t.size, t.init_len, t.align), (4, 4, 4));
    assert_eq!(s.lookup("tv"), Some(t.addr));
    assert_eq!(read_u64(&mem, t.addr) as u32, 0x0403_0201);
}

#[test]
fn comdat_first_group_wins() {
    let (mut s, mut mem) = session();
    let make = |ret: u8| {
        let mut o = Obj::new();
        let t = o.section(".text.inl", SectionKind::Text, &[0xb0, ret, 0xc3], 16);
        let sym = o.func("inl", t, 0, 3);
        o.obj.add_comdat(object::write::Comdat {
            kind: object::ComdatKind::Any,
            symbol: sym,
            sections: vec![t],
        });
        let main = o.section(".text", SectionKind::Text, &CALL_RET, 16);
        o.func(&format!("use{ret}"), main, 0, 6);
        o.reloc(main, 1, sym, -4, R_X86_64_PLT32);
        // .eh_frame: a CIE, an FDE for .text.inl (dropped when the group loses), an FDE for
        // .text (kept, its CIE pointer re-based).
        let mut eh = Vec::new();
        eh.extend_from_slice(&12u32.to_le_bytes());
        eh.extend_from_slice(&0u32.to_le_bytes());
        eh.extend_from_slice(&[1, 0, 1, 0x78, 0x10, 0, 0, 0]);
        for (cie_ptr, range) in [(20u32, 3u32), (40, 6)] {
            eh.extend_from_slice(&16u32.to_le_bytes());
            eh.extend_from_slice(&cie_ptr.to_le_bytes());
            eh.extend_from_slice(&0u32.to_le_bytes());
            eh.extend_from_slice(&range.to_le_bytes());
            eh.extend_from_slice(&[0; 4]);
        }
        let ehs = o.section(".eh_frame", SectionKind::ReadOnlyData, &eh, 8);
        let inl_sec = o.section_sym(t);
        let main_sec = o.section_sym(main);
        o.reloc(ehs, 24, inl_sec, 0, R_X86_64_PC32);
        o.reloc(ehs, 44, main_sec, 0, R_X86_64_PC32);
        o
    };
    let out = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![make(1).input("one.o"), make(2).input("two.o")],
    )
    .unwrap();
    let inl = s.lookup("inl").unwrap();
    let one_inl = s
        .input(out.inputs[0])
        .and_then(|r| r.section_by_name(".text.inl"))
        .and_then(|x| x.addr());
    assert_eq!(Some(inl), one_inl);
    let two = s.input(out.inputs[1]).unwrap();
    assert_eq!(
        two.section_by_name(".text.inl").map(|x| &x.placement),
        Some(&SectionPlacement::Discarded)
    );
    let use2 = s.lookup("use2").unwrap();
    assert_eq!(
        rel32_target(&mem, use2 + 1),
        inl,
        "loser's callers bind to the winner"
    );
    // The loser's FDE for the discarded section is gone; the other FDE survives, re-based.
    assert_eq!(out.eh_frame.len(), 2);
    assert_eq!(out.eh_frame[0].1, 16 + 20 + 20 + 4);
    let (eh2, len2) = out.eh_frame[1];
    assert_eq!(len2, 16 + 20 + 4);
    assert_eq!(read_i32(&mem, eh2 + 20), 20, "CIE pointer re-based");
    assert_eq!(
        rel32_target(&mem, eh2 + 24) - 4,
        use2,
        "pc_begin of the kept FDE"
    );
    assert_eq!(read_i32(&mem, eh2 + 28), 6);
    assert_eq!(read_i32(&mem, eh2 + 36), 0, "terminator");
    // A later append with the same group is discarded against the live image.
    let out = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![make(3).input("three.o")],
    )
    .unwrap();
    assert_eq!(rel32_target(&mem, s.lookup("use3").unwrap() + 1), inl);
    assert!(s.input(out.inputs[0]).is_some());
}

#[test]
fn constructor_tables_and_eh_frame_are_reported() {
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let t = o.section(".text", SectionKind::Text, &[0xc3; 4], 16);
    let f: Vec<_> = (0..4).map(|i| o.func(&format!("f{i}"), t, i, 1)).collect();
    let init = o.raw_section(
        ".init_array",
        elf::SHT_INIT_ARRAY,
        elf::SHF_ALLOC | elf::SHF_WRITE,
        &[0; 8],
        8,
    );
    let init_prio = o.raw_section(
        ".init_array.00200",
        elf::SHT_INIT_ARRAY,
        elf::SHF_ALLOC | elf::SHF_WRITE,
        &[0; 8],
        8,
    );
    let ctors = o.raw_section(
        ".ctors",
        elf::SHT_PROGBITS,
        elf::SHF_ALLOC | elf::SHF_WRITE,
        &[0; 16],
        8,
    );
    let fini = o.raw_section(
        ".fini_array",
        elf::SHT_FINI_ARRAY,
        elf::SHF_ALLOC | elf::SHF_WRITE,
        &[0; 8],
        8,
    );
    o.reloc(init, 0, f[0], 0, R_X86_64_64);
    o.reloc(init_prio, 0, f[1], 0, R_X86_64_64);
    o.reloc(ctors, 0, f[2], 0, R_X86_64_64);
    o.reloc(ctors, 8, f[3], 0, R_X86_64_64);
    o.reloc(fini, 0, f[3], 0, R_X86_64_64);
    // A minimal .eh_frame: one CIE-sized record, no FDE.
    let mut eh = Vec::new();
    eh.extend_from_slice(&12u32.to_le_bytes());
    eh.extend_from_slice(&0u32.to_le_bytes());
    eh.extend_from_slice(&[1, 0, 1, 0x78, 0x10, 0, 0, 0]);
    o.section(".eh_frame", SectionKind::ReadOnlyData, &eh, 8);
    let dbg = o.section(".debug_info", SectionKind::Debug, &[0; 12], 1);
    o.reloc(dbg, 4, f[0], 0, R_X86_64_64);
    o.section(".cfree.abisig", SectionKind::Other, &[9, 9], 1);
    let out = append(&mut s, &mut mem, &NoResolver, vec![o.input("ctor.o")]).unwrap();
    let a = |n: &str| s.lookup(n).unwrap();
    assert_eq!(
        out.init_array,
        vec![a("f1"), a("f0"), a("f3"), a("f2")],
        "priority first; .ctors reversed"
    );
    assert_eq!(out.fini_array, vec![a("f3")]);
    assert_eq!(out.eh_frame.len(), 1);
    let (eh_addr, eh_len) = out.eh_frame[0];
    assert_eq!(eh_len, eh.len() as u64 + 4);
    assert_eq!(mem.protection_at(eh_addr), Some(Protection::R));
    let mut term = [0xffu8; 4];
    cfree_link::LinkMemory::read(&mem, eh_addr + eh.len() as u64, &mut term).unwrap();
    assert_eq!(term, [0; 4]);
    // Debug and abisig sections are kept, unplaced, with their relocations.
    let rec = s.input(out.inputs[0]).unwrap();
    let SectionPlacement::NonAlloc { data, relocs } =
        &rec.section_by_name(".debug_info").unwrap().placement
    else {
        panic!("debug_info should be non-alloc");
    };
    assert_eq!(data.len(), 12);
    assert_eq!(relocs.len(), 1);
    assert_eq!(
        relocs[0].target.and_then(|t| s.symbol(t)).map(|x| x.name),
        Some("f0")
    );
    assert!(matches!(
        rec.section_by_name(".cfree.abisig").map(|x| &x.placement),
        Some(SectionPlacement::NonAlloc { .. })
    ));
}

#[test]
fn malformed_and_foreign_objects_are_errors() {
    let (mut s, mut mem) = session();
    let err = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![cfree_link::LinkInput::new("bad.o", b"not an elf".to_vec())],
    )
    .unwrap_err();
    assert!(err.to_string().contains("bad.o"), "{err}");
    let mut arm = object::write::Object::new(
        object::BinaryFormat::Elf,
        object::Architecture::Aarch64,
        object::Endianness::Little,
    );
    arm.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
    let err = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![cfree_link::LinkInput::new("arm.o", arm.write().unwrap())],
    )
    .unwrap_err();
    assert!(matches!(err, LinkError::WrongMachine { .. }), "{err}");
    // Truncations of a valid object never panic.
    let good = object_a().input("a.o").bytes;
    for cut in (0..good.len()).step_by(7) {
        let _ = append(
            &mut s,
            &mut mem,
            &NoResolver,
            vec![cfree_link::LinkInput::new("cut.o", good[..cut].to_vec())],
        );
    }
    // Corrupting single bytes never panics either.
    for i in (0..good.len()).step_by(3) {
        let mut bytes = good.clone();
        bytes[i] ^= 0xff;
        let (mut s2, mut mem2) = session();
        let _ = append(
            &mut s2,
            &mut mem2,
            &NoResolver,
            vec![cfree_link::LinkInput::new("flip.o", bytes)],
        );
    }
}

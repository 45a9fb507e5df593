//! Reloadable functions in the link session: entries, slots, generationed bodies, and the
//! reload transaction (HOT_RELOAD.md §5–§10, §15, §18), on hand-built objects.
//!
//! Hand-built objects carry no `.cfree.abisig` records, so reloads here are `Unchecked`; the
//! ABI comparison is tested end to end with compiled C in the top-level `tests/reload.rs`.

mod common;

use cfree_link::{AbiCheck, Indirection, LinkError, NoResolver, RelocOwner, SymbolKind, VecMemory};
use common::*;
use object::SectionKind;

/// `jmp *disp32(%rip)` as the x86-64 psABI encodes it (opcode FF /4, ModRM 0x25).
const JMP_RIP: [u8; 2] = [0xff, 0x25];

fn reloadable_session() -> (cfree_link::LinkSession, VecMemory) {
    let (mut s, mem) = session();
    s.set_indirection(Indirection::ExportedFuncs);
    (s, mem)
}

/// `foo` (returns via ret), `caller` calls `foo` (PLT32), `fp` = &foo in .data, and `lfoo`
/// loads foo's address through the GOT.
fn program() -> Obj {
    let mut o = Obj::new();
    let code = [&[0xb8, 1, 0, 0, 0, 0xc3][..], &CALL_RET[..], &LEA_RET[..]].concat();
    let text = o.section(".text", SectionKind::Text, &code, 16);
    let data = o.section(".data", SectionKind::Data, &[0; 8], 8);
    let foo_sym = o.func("foo", text, 0, 6);
    o.func("caller", text, 6, 6);
    o.local_func("lfoo", text, 12, 8);
    o.data("fp", data, 0, 8);
    o.reloc(text, 7, foo_sym, -4, R_X86_64_PLT32);
    o.reloc(text, 15, foo_sym, -4, R_X86_64_GOTPCREL);
    o.reloc(data, 0, foo_sym, 0, R_X86_64_64);
    o
}

/// A replacement body for `foo` (`mov $2,%eax; ret`), optionally with extra content.
fn replacement(extra: impl FnOnce(&mut Obj)) -> Obj {
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &[0xb8, 2, 0, 0, 0, 0xc3], 16);
    o.func("foo", text, 0, 6);
    extra(&mut o);
    o
}

fn body_of(s: &cfree_link::LinkSession, name: &str) -> u64 {
    let f = s.reload_func(name).expect("reloadable");
    s.symbol(f.body()).expect("body symbol").addr
}

fn jmp_target(mem: &VecMemory, entry: u64) -> u64 {
    let mut op = [0u8; 2];
    cfree_link::LinkMemory::read(mem, entry, &mut op).unwrap();
    assert_eq!(op, JMP_RIP, "entry must be jmp *slot(%rip)");
    (entry as i64 + 6 + i64::from(read_i32(mem, entry + 2))) as u64
}

#[test]
fn exported_functions_get_entries_and_every_reference_sees_the_entry() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let foo = s.lookup("foo").unwrap();
    let f = s.reload_func("foo").expect("foo is reloadable").clone();
    assert_eq!(f.entry_addr, foo);
    assert_eq!(
        jmp_target(&mem, foo),
        f.slot_addr,
        "entry jumps through the slot"
    );
    let body = s.symbol(f.body()).unwrap();
    assert_eq!(body.name, "foo$body$0");
    assert_eq!(body.kind, SymbolKind::ReloadBody);
    assert_eq!(
        read_u64(&mem, f.slot_addr),
        body.addr,
        "slot holds the body"
    );
    // The call from the same object, the data initialiser and the GOT cell all see the entry.
    // (`caller` is reloadable too: its code is its body.)
    let caller = body_of(&s, "caller");
    assert_eq!(rel32_target(&mem, caller + 1), foo);
    assert_eq!(read_u64(&mem, s.lookup("fp").unwrap()), foo);
    let lfoo = caller + 6;
    let cell = rel32_target(&mem, lfoo + 3);
    assert_eq!(read_u64(&mem, cell), foo);
    // Bodies and slots are internal: normal iteration shows `foo` once, as the entry.
    let listed: Vec<_> = s
        .symbols()
        .filter(|x| x.name == "foo" || x.name.starts_with("foo$"))
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].addr, foo);
    assert!(s.all_symbols().any(|x| x.name == "foo$body$0"));
    assert!(s.all_symbols().any(|x| x.name == "foo$slot"));
    // Local functions are not reloadable.
    assert!(s.reload_func("lfoo").is_none());
}

#[test]
fn without_indirection_calls_are_direct() {
    let (mut s, mut mem) = session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let foo = s.lookup("foo").unwrap();
    assert!(s.reload_func("foo").is_none());
    assert_eq!(rel32_target(&mem, s.lookup("caller").unwrap() + 1), foo);
    let mut op = [0u8; 1];
    cfree_link::LinkMemory::read(&mem, foo, &mut op).unwrap();
    assert_eq!(op[0], 0xb8, "foo's address is its code");
    let err = s
        .reload_function(
            "foo",
            replacement(|_| {}).input("r.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap_err();
    assert!(matches!(err, LinkError::NotReloadable { .. }), "{err}");
    assert!(err.to_string().contains("without an entry"), "{err}");
}

#[test]
fn reload_switches_the_slot_and_keeps_everything_else() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let foo = s.lookup("foo").unwrap();
    let f0 = s.reload_func("foo").unwrap().clone();
    let old_body = s.symbol(f0.body()).unwrap().addr;
    let gen = s.generation();

    s.reload_function(
        "foo",
        replacement(|_| {}).input("r1.o"),
        &mut mem,
        &NoResolver,
        AbiCheck::Unchecked,
    )
    .unwrap();
    assert_eq!(s.generation(), gen + 1);
    assert_eq!(s.lookup("foo"), Some(foo), "the public address never moves");
    let f1 = s.reload_func("foo").unwrap().clone();
    assert_eq!(f1.reloads(), 1);
    let new_body = s.symbol(f1.body()).unwrap();
    assert_eq!(new_body.name, "foo$body$1");
    assert_ne!(new_body.addr, old_body);
    assert_eq!(read_u64(&mem, f1.slot_addr), new_body.addr);
    // The old body is still there, byte for byte, and still has a name.
    let mut code = [0u8; 6];
    cfree_link::LinkMemory::read(&mem, old_body, &mut code).unwrap();
    assert_eq!(code, [0xb8, 1, 0, 0, 0, 0xc3]);
    assert_eq!(s.addr_to_sym(old_body + 5), Some(("foo$body$0", 5)));
    assert_eq!(s.addr_to_sym(new_body.addr + 1), Some(("foo$body$1", 1)));
    assert_eq!(s.addr_to_sym(foo), Some(("foo", 0)));

    // Patch-site index: the entry's referrers (call, GOT cell, data), and one slot record per
    // body generation.
    let to_entry: Vec<_> = s.relocs_targeting(f1.entry).collect();
    assert_eq!(
        to_entry.len(),
        4,
        "call, GOT load, data word, GOT cell: {to_entry:?}"
    );
    let slot_records: Vec<_> = s
        .relocs()
        .iter()
        .filter(|r| r.vaddr == f1.slot_addr)
        .collect();
    assert_eq!(slot_records.len(), 2);
    assert_eq!(slot_records[1].target, Some(f1.body()));
    assert!(matches!(slot_records[1].owner, RelocOwner::Linker { .. }));
    assert_eq!(s.relocs_targeting(f1.bodies[0]).count(), 1);

    // And again: generations keep counting.
    s.reload_function(
        "foo",
        replacement(|_| {}).input("r2.o"),
        &mut mem,
        &NoResolver,
        AbiCheck::Unchecked,
    )
    .unwrap();
    let f2 = s.reload_func("foo").unwrap();
    assert_eq!(s.symbol(f2.body()).unwrap().name, "foo$body$2");
    assert_eq!(f2.bodies.len(), 3);
}

#[test]
fn replacement_may_call_the_old_world_and_recurse_through_the_entry() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let foo = s.lookup("foo").unwrap();
    let caller = s.lookup("caller").unwrap();
    assert_ne!(caller, body_of(&s, "caller"));
    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[CALL_RET, CALL_RET].concat(),
        16,
    );
    let rodata = o.section(".rodata", SectionKind::ReadOnlyData, b"const\0", 1);
    let me = o.func("foo", text, 0, 12);
    let helper = o.local_func("helper", text, 6, 6);
    o.data("k", rodata, 0, 6);
    let _ = helper;
    let c = o.undef("caller");
    o.reloc(text, 1, me, -4, R_X86_64_PLT32);
    o.reloc(text, 7, c, -4, R_X86_64_PLT32);
    // `k` is global: rejected below; make a second object without it.
    let err = s
        .reload_function(
            "foo",
            o.input("r.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap_err();
    assert!(err.to_string().contains("public symbol `k`"), "{err}");

    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[CALL_RET, CALL_RET].concat(),
        16,
    );
    o.section(".rodata", SectionKind::ReadOnlyData, b"const\0", 1);
    let me = o.func("foo", text, 0, 12);
    let c = o.undef("caller");
    o.reloc(text, 1, me, -4, R_X86_64_PLT32);
    o.reloc(text, 7, c, -4, R_X86_64_PLT32);
    s.reload_function(
        "foo",
        o.input("r.o"),
        &mut mem,
        &NoResolver,
        AbiCheck::Unchecked,
    )
    .unwrap();
    let body = s.symbol(s.reload_func("foo").unwrap().body()).unwrap().addr;
    assert_eq!(
        rel32_target(&mem, body + 1),
        foo,
        "recursion goes through the entry"
    );
    assert_eq!(rel32_target(&mem, body + 7), caller);
}

/// Every rejection leaves the session and the slot exactly as they were.
fn assert_rejected(obj: Obj, expect: &str) {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let before = snapshot(&s);
    let slot = s.reload_func("foo").unwrap().slot_addr;
    let slot_value = read_u64(&mem, slot);
    let err = s
        .reload_function(
            "foo",
            obj.input("bad.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap_err();
    assert!(
        err.to_string().contains(expect),
        "expected `{expect}` in: {err}"
    );
    assert_eq!(snapshot(&s), before);
    assert_eq!(read_u64(&mem, slot), slot_value);
    assert_eq!(s.reload_func("foo").unwrap().bodies.len(), 1);
}

#[test]
fn replacement_with_writable_data_is_rejected() {
    assert_rejected(
        replacement(|o| {
            let d = o.section(".data", SectionKind::Data, &[1, 2, 3, 4], 4);
            o.local_func("counter", d, 0, 4);
        }),
        "writable data",
    );
    assert_rejected(
        replacement(|o| {
            o.section(".bss", SectionKind::UninitializedData, &[0; 16], 8);
        }),
        "writable data",
    );
    assert_rejected(
        replacement(|o| {
            o.common("shared", 8, 8);
        }),
        "common",
    );
}

#[test]
fn replacement_with_constructors_or_tls_is_rejected() {
    assert_rejected(
        replacement(|o| {
            o.raw_section(
                ".init_array",
                object::elf::SHT_INIT_ARRAY,
                object::elf::SHF_ALLOC | object::elf::SHF_WRITE,
                &[0; 8],
                8,
            );
        }),
        "constructor",
    );
    assert_rejected(
        replacement(|o| {
            o.section(".tdata", SectionKind::Tls, &[0; 8], 8);
        }),
        "thread-local",
    );
}

#[test]
fn replacement_must_define_exactly_the_target() {
    let mut other = Obj::new();
    let text = other.section(".text", SectionKind::Text, &[0xc3], 16);
    other.func("bar", text, 0, 1);
    assert_rejected(other, "public symbol `bar`");
    let mut only_static = Obj::new();
    let text = only_static.section(".text", SectionKind::Text, &[0xc3], 16);
    only_static.local_func("foo_helper", text, 0, 1);
    assert_rejected(only_static, "does not define `foo`");
    assert_rejected(
        replacement(|o| {
            let t = o.section(".text.more", SectionKind::Text, &[0xc3], 16);
            o.func("caller", t, 0, 1);
        }),
        "public symbol `caller`",
    );
    assert_rejected(
        replacement(|o| {
            let u = o.undef("nowhere_defined");
            let t = o.section(".text.x", SectionKind::Text, &CALL_RET, 16);
            o.local_func("h", t, 0, 6);
            o.reloc(t, 1, u, -4, R_X86_64_PLT32);
        }),
        "nowhere_defined",
    );
}

#[test]
fn reload_of_unknown_or_data_names_is_an_error() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    for (name, expect) in [("nope", "no function"), ("fp", "not a function")] {
        let err = s
            .reload_function(
                name,
                replacement(|_| {}).input("r.o"),
                &mut mem,
                &NoResolver,
                AbiCheck::Unchecked,
            )
            .unwrap_err();
        assert!(err.to_string().contains(expect), "{err}");
    }
}

#[test]
fn capacity_exhaustion_during_reload_changes_nothing() {
    let (mut s, mut mem) = session_with(0x1000, 0x1000, 0x1000);
    s.set_indirection(Indirection::ExportedFuncs);
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let before = snapshot(&s);
    let big = replacement(|o| {
        o.section(".text.big", SectionKind::Text, &vec![0x90; 0x2000], 16);
    });
    let err = s
        .reload_function(
            "foo",
            big.input("big.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap_err();
    assert!(matches!(err, LinkError::CapacityExhausted { .. }), "{err}");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn failure_after_pages_were_committed_publishes_nothing() {
    for fail_on in [FailOn::Write, FailOn::Protect, FailOn::StorePointer] {
        let (mut s, mut mem) = reloadable_session();
        append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
        let before = snapshot(&s);
        let slot = s.reload_func("foo").unwrap().slot_addr;
        let slot_value = read_u64(&mem, slot);
        // Push the replacement onto fresh pages so the reload commits memory first.
        let big = replacement(|o| {
            o.section(
                ".rodata.pad",
                SectionKind::ReadOnlyData,
                &vec![7; 0x3000],
                16,
            );
        });
        let committed = mem.committed_pages();
        let mut failing = FailingMemory {
            inner: &mut mem,
            fail_on,
            countdown: 0,
            once: false,
        };
        let err = s
            .reload_function(
                "foo",
                big.input("big.o"),
                &mut failing,
                &NoResolver,
                AbiCheck::Unchecked,
            )
            .unwrap_err();
        assert!(
            matches!(err, LinkError::Memory { .. }),
            "{fail_on:?}: {err}"
        );
        assert!(
            mem.committed_pages() > committed,
            "{fail_on:?}: pages were committed"
        );
        assert_eq!(snapshot(&s), before, "{fail_on:?}");
        assert_eq!(read_u64(&mem, slot), slot_value, "{fail_on:?}");
        // The session still works afterwards.
        s.reload_function(
            "foo",
            replacement(|_| {}).input("ok.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap();
        assert_eq!(s.reload_func("foo").unwrap().bodies.len(), 2);
    }
}

#[test]
fn appended_code_calls_the_entry_of_earlier_functions() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let foo = s.lookup("foo").unwrap();
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &CALL_RET, 16);
    o.func("snippet", text, 0, 6);
    let u = o.undef("foo");
    o.reloc(text, 1, u, -4, R_X86_64_PLT32);
    append(&mut s, &mut mem, &NoResolver, vec![o.input("snippet.o")]).unwrap();
    let snippet = s.lookup("snippet").unwrap();
    assert!(
        s.reload_func("snippet").is_some(),
        "appended functions are reloadable too"
    );
    let body = s
        .symbol(s.reload_func("snippet").unwrap().body())
        .unwrap()
        .addr;
    assert_eq!(rel32_target(&mem, body + 1), foo);
    assert_ne!(snippet, body);
    // A duplicate strong definition of a reloadable function is still an append error.
    let err = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![replacement(|_| {}).input("dup.o")],
    )
    .unwrap_err();
    assert!(
        matches!(err, LinkError::DuplicateDefinition { .. }),
        "{err}"
    );
}

#[test]
fn relocation_overflow_in_a_replacement_changes_nothing() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let before = snapshot(&s);
    let slot = s.reload_func("foo").unwrap().slot_addr;
    let slot_value = read_u64(&mem, slot);
    let mut resolver = cfree_link::MapResolver::new();
    resolver.insert("far_data", 0x7000_0000_0000);
    // A PC-relative `lea` of a symbol 100 TiB away cannot be encoded.
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &LEA_RET, 16);
    o.func("foo", text, 0, 8);
    let far = o.undef("far_data");
    o.reloc(text, 3, far, -4, R_X86_64_PC32);
    let err = s
        .reload_function(
            "foo",
            o.input("far.o"),
            &mut mem,
            &resolver,
            AbiCheck::Unchecked,
        )
        .unwrap_err();
    assert!(matches!(err, LinkError::RelocOverflow { .. }), "{err}");
    assert!(err.to_string().contains("far_data"), "{err}");
    assert_eq!(snapshot(&s), before);
    assert_eq!(read_u64(&mem, slot), slot_value);
}

/// `name` as `mov $value,%eax; ret`: a replacement for any function of `program()`.
fn returning(name: &str, value: u8) -> Obj {
    let mut o = Obj::new();
    let text = o.section(
        ".text",
        SectionKind::Text,
        &[0xb8, value, 0, 0, 0, 0xc3],
        16,
    );
    o.func(name, text, 0, 6);
    o
}

/// Reloads a batch of `(function, replacement)` unchecked (hand-built objects carry no ABI
/// records), naming each object after its function.
fn reload_batch(
    s: &mut cfree_link::LinkSession,
    mem: &mut dyn cfree_link::LinkMemory,
    batch: Vec<(&str, Obj)>,
) -> Result<cfree_link::AppendOutcome, LinkError> {
    let batch = batch
        .into_iter()
        .map(|(name, o)| (name.to_owned(), o.input(&format!("{name}.new.o"))))
        .collect();
    s.reload_functions(batch, mem, &NoResolver, AbiCheck::Unchecked)
}

#[test]
fn a_batch_replaces_several_functions_in_one_generation() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let (foo, caller) = (s.lookup("foo").unwrap(), s.lookup("caller").unwrap());
    let gen = s.generation();

    let out = reload_batch(
        &mut s,
        &mut mem,
        vec![
            ("foo", returning("foo", 2)),
            ("caller", returning("caller", 3)),
        ],
    )
    .unwrap();
    assert_eq!(out.generation, gen + 1, "one generation for the batch");
    assert_eq!(s.generation(), gen + 1);
    assert_eq!(out.inputs.len(), 2, "both objects are in it");
    assert_eq!(
        (s.lookup("foo"), s.lookup("caller")),
        (Some(foo), Some(caller))
    );
    for (name, value) in [("foo", 2u8), ("caller", 3)] {
        let f = s.reload_func(name).unwrap();
        let body = s.symbol(f.body()).unwrap();
        assert_eq!(body.name, format!("{name}$body$1"));
        assert_eq!(
            read_u64(&mem, f.slot_addr),
            body.addr,
            "{name}'s slot switched"
        );
        let mut code = [0u8; 6];
        cfree_link::LinkMemory::read(&mem, body.addr, &mut code).unwrap();
        assert_eq!(code, [0xb8, value, 0, 0, 0, 0xc3]);
    }
    // A one-function reload afterwards continues each function's own generation count.
    s.reload_function(
        "foo",
        returning("foo", 4).input("foo3.o"),
        &mut mem,
        &NoResolver,
        AbiCheck::Unchecked,
    )
    .unwrap();
    assert_eq!(s.reload_func("foo").unwrap().reloads(), 2);
    assert_eq!(s.reload_func("caller").unwrap().reloads(), 1);
}

#[test]
fn a_batch_with_one_bad_member_changes_nothing() {
    let with_data = || {
        let mut o = returning("caller", 3);
        o.section(".data", SectionKind::Data, &[1, 2, 3, 4], 4);
        o
    };
    let cases: Vec<(Vec<(&str, Obj)>, &str)> = vec![
        (
            vec![("foo", returning("foo", 2)), ("caller", with_data())],
            "writable data",
        ),
        (
            // The second object defines the first one's target.
            vec![
                ("foo", returning("foo", 2)),
                ("caller", returning("foo", 3)),
            ],
            "public symbol `foo`",
        ),
        (
            vec![("foo", returning("foo", 2)), ("foo", returning("foo", 3))],
            "twice",
        ),
        (
            vec![("foo", returning("foo", 2)), ("nope", returning("nope", 3))],
            "no function",
        ),
        (vec![], "empty"),
    ];
    for (batch, expect) in cases {
        let (mut s, mut mem) = reloadable_session();
        append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
        let before = snapshot(&s);
        let slots: Vec<_> = ["foo", "caller"]
            .map(|n| s.reload_func(n).unwrap().slot_addr)
            .map(|a| (a, read_u64(&mem, a)))
            .to_vec();
        let err = reload_batch(&mut s, &mut mem, batch).unwrap_err();
        assert!(
            err.to_string().contains(expect),
            "expected `{expect}` in: {err}"
        );
        assert_eq!(snapshot(&s), before, "{expect}");
        for (addr, value) in slots {
            assert_eq!(read_u64(&mem, addr), value, "{expect}: slot unchanged");
        }
        assert_eq!(s.reload_func("foo").unwrap().bodies.len(), 1);
        // A good batch still goes through afterwards.
        reload_batch(
            &mut s,
            &mut mem,
            vec![
                ("foo", returning("foo", 2)),
                ("caller", returning("caller", 3)),
            ],
        )
        .unwrap();
        assert_eq!(s.reload_func("caller").unwrap().reloads(), 1);
    }
}

/// Reloads `foo` and `caller` as one batch with the second slot store failing (once, or
/// that one and every later store: restoring the first slot fails too).
fn reload_both_failing_second_store(
    s: &mut cfree_link::LinkSession,
    mem: &mut VecMemory,
    once: bool,
) -> LinkError {
    let mut failing = FailingMemory {
        inner: mem,
        fail_on: FailOn::StorePointer,
        countdown: 1,
        once,
    };
    reload_batch(
        s,
        &mut failing,
        vec![
            ("foo", returning("foo", 2)),
            ("caller", returning("caller", 3)),
        ],
    )
    .unwrap_err()
}

#[test]
fn a_slot_store_failing_part_way_restores_the_switched_slots() {
    let (mut s, mut mem) = reloadable_session();
    append(&mut s, &mut mem, &NoResolver, vec![program().input("p.o")]).unwrap();
    let before = snapshot(&s);
    let slot = |s: &cfree_link::LinkSession, n| s.reload_func(n).unwrap().slot_addr;
    let (foo_slot, caller_slot) = (slot(&s, "foo"), slot(&s, "caller"));
    let old = (read_u64(&mem, foo_slot), read_u64(&mem, caller_slot));
    // The first store (foo's slot) succeeds, the second (caller's) fails once.
    let err = reload_both_failing_second_store(&mut s, &mut mem, true);
    assert!(matches!(err, LinkError::Memory { .. }), "{err}");
    assert_eq!(snapshot(&s), before);
    assert_eq!(
        (read_u64(&mem, foo_slot), read_u64(&mem, caller_slot)),
        old,
        "foo's slot was stored back"
    );
    // If storing back fails too, the error says which function was left switched.
    let err = reload_both_failing_second_store(&mut s, &mut mem, false);
    assert!(
        matches!(&err, LinkError::SlotRestore { symbol, switched, .. }
            if symbol == "caller" && switched == &["foo".to_string()]),
        "{err}"
    );
    assert_eq!(snapshot(&s), before, "still not published");
}

/// A function of its own file that reads that file's local `counter` (`lea counter(%rip)`).
fn counting(func: &str) -> Obj {
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &LEA_RET, 16);
    let data = o.section(".data", SectionKind::Data, &[0; 8], 8);
    o.func(func, text, 0, 8);
    let counter = o.local_func("counter", data, 0, 8);
    o.reloc(text, 3, counter, -4, R_X86_64_PC32);
    o
}

#[test]
fn each_member_of_a_batch_binds_to_the_statics_of_its_own_file() {
    let (mut s, mut mem) = reloadable_session();
    let inputs = vec![counting("foo").input("p.o"), counting("bar").input("q.o")];
    append(&mut s, &mut mem, &NoResolver, inputs).unwrap();
    let counter_of =
        |s: &cfree_link::LinkSession, mem: &VecMemory, f| rel32_target(mem, body_of(s, f) + 3);
    let (p_counter, q_counter) = (counter_of(&s, &mem, "foo"), counter_of(&s, &mem, "bar"));
    assert_ne!(p_counter, q_counter, "two files, two statics");
    // The replacements leave `counter` undefined, as `only_function` compiles do.
    let replacement = |func: &str| {
        let mut o = Obj::new();
        let text = o.section(".text", SectionKind::Text, &LEA_RET, 16);
        o.func(func, text, 0, 8);
        let counter = o.undef("counter");
        o.reloc(text, 3, counter, -4, R_X86_64_PC32);
        o
    };
    reload_batch(
        &mut s,
        &mut mem,
        vec![("foo", replacement("foo")), ("bar", replacement("bar"))],
    )
    .unwrap();
    assert_eq!(counter_of(&s, &mem, "foo"), p_counter);
    assert_eq!(counter_of(&s, &mem, "bar"), q_counter);
}

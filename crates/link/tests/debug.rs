//! Relocated debug sections (`LinkSession::debug_sections`): pieces of every input combined per
//! name and relocated with final values, on hand-built objects whose expected bytes follow
//! from the addresses the session reports.

mod common;

use cfree_link::{
    AbiCheck, DebugError, Indirection, LinkSession, NoResolver, RelocError, SymbolKind, VecMemory,
};
use common::*;
use object::elf::{R_X86_64_32, R_X86_64_32S};
use object::SectionKind;

fn u32_at(data: &[u8], at: u64) -> u32 {
    let at = at as usize;
    u32::from_le_bytes(data[at..at + 4].try_into().unwrap())
}

fn u64_at(data: &[u8], at: u64) -> u64 {
    let at = at as usize;
    u64::from_le_bytes(data[at..at + 8].try_into().unwrap())
}

/// A unit in the shape compilers emit: `func` in .text; `.debug_str` holding `strings`;
/// `.debug_abbrev` of 3 bytes; `.debug_info` (24 bytes) with a string offset (R_X86_64_32
/// .debug_str + 1) at 0, an abbrev offset (R_X86_64_32 .debug_abbrev) at 4, the function's
/// address + 2 (R_X86_64_64) at 8 and a signed 32-bit string offset (R_X86_64_32S
/// .debug_str + 0) at 16.
fn unit(func: &str, strings: &[u8]) -> Obj {
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &[0x90, 0x90, 0x90, 0xc3], 16);
    let f = o.func(func, text, 0, 4);
    let strs = o.section(".debug_str", SectionKind::Debug, strings, 1);
    let abbrev = o.section(".debug_abbrev", SectionKind::Debug, &[1, 2, 3], 1);
    let info = o.section(".debug_info", SectionKind::Debug, &[0xaa; 24], 1);
    let strs_sym = o.section_sym(strs);
    let abbrev_sym = o.section_sym(abbrev);
    o.reloc(info, 0, strs_sym, 1, R_X86_64_32);
    o.reloc(info, 4, abbrev_sym, 0, R_X86_64_32);
    o.reloc(info, 8, f, 2, R_X86_64_64);
    o.reloc(info, 16, strs_sym, 0, R_X86_64_32S);
    o
}

#[test]
fn pieces_are_combined_in_input_order_and_relocated_with_final_values() {
    let (mut s, mut mem) = session();
    let first = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![
            unit("fa", b"aaaa\0").input("a.o"),
            unit("fb", b"bbbbbbb\0").input("b.o"),
        ],
    )
    .unwrap();
    let second = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![unit("fc", b"cc\0").input("c.o")],
    )
    .unwrap();

    let dbg = s.debug_sections().unwrap();
    let strs = dbg.get(".debug_str").expect(".debug_str");
    assert_eq!(strs.data, b"aaaa\0bbbbbbb\0cc\0");
    assert_eq!(dbg.data(".debug_abbrev"), [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    assert!(dbg.get(".debug_line").is_none());
    assert!(dbg.data(".debug_line").is_empty());
    let info = dbg.get(".debug_info").expect(".debug_info");
    assert_eq!(info.data.len(), 72);
    let inputs = [first.inputs[0], first.inputs[1], second.inputs[0]];
    assert_eq!(
        info.pieces.iter().map(|p| p.input).collect::<Vec<_>>(),
        inputs,
        "input order"
    );
    for (k, (func, str_base)) in [("fa", 0u64), ("fb", 5), ("fc", 13)]
        .into_iter()
        .enumerate()
    {
        let piece = info.pieces[k];
        assert_eq!(piece.offset, 24 * k as u64);
        assert_eq!(piece.size, 24);
        let at = piece.offset;
        assert_eq!(
            u64::from(u32_at(&info.data, at)),
            str_base + 1,
            "{func}: string offset"
        );
        assert_eq!(
            u64::from(u32_at(&info.data, at + 4)),
            3 * k as u64,
            "{func}: abbrev offset"
        );
        assert_eq!(
            u64_at(&info.data, at + 8),
            s.lookup(func).unwrap() + 2,
            "{func}: runtime address + addend"
        );
        assert_eq!(u64::from(u32_at(&info.data, at + 16)), str_base);
        assert_eq!(
            u32_at(&info.data, at + 20),
            0xaaaa_aaaa,
            "unrelocated bytes kept"
        );
    }

    // One input on its own: offsets relative to its own pieces, addresses still final.
    let only_c = s.debug_sections_of(&[second.inputs[0]]).unwrap();
    assert_eq!(only_c.data(".debug_str"), b"cc\0");
    let info_c = only_c.data(".debug_info");
    assert_eq!(u32_at(info_c, 0), 1);
    assert_eq!(u32_at(info_c, 4), 0);
    assert_eq!(u64_at(info_c, 8), s.lookup("fc").unwrap() + 2);

    // What each generation added, for one-object-per-append consumers.
    let gen2: Vec<_> = s.generation_inputs(2).iter().map(|r| r.id).collect();
    assert_eq!(gen2, vec![second.inputs[0]]);
    assert_eq!(s.generation_inputs(1).len(), 2);
    assert!(s.generation_inputs(3).is_empty());
    assert!(s.generation_inputs(0).is_empty());
    let names = |g| -> Vec<String> {
        s.generation_symbols(g)
            .map(|x| x.name.to_string())
            .collect()
    };
    assert_eq!(names(1), ["fa", "fb"]);
    assert_eq!(names(2), ["fc"]);
    assert!(names(3).is_empty());
}

#[test]
fn pieces_keep_their_alignment() {
    let (mut s, mut mem) = session();
    let make = |n: usize| {
        let mut o = Obj::new();
        o.section(".debug_frame", SectionKind::Debug, &vec![0x11; n], 8);
        o
    };
    append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![make(12).input("a.o"), make(4).input("b.o")],
    )
    .unwrap();
    let dbg = s.debug_sections().unwrap();
    let frame = dbg.get(".debug_frame").unwrap();
    assert_eq!(frame.align, 8);
    assert_eq!(frame.pieces[1].offset, 16);
    assert_eq!(frame.data[12..16], [0; 4], "zero padding");
    assert_eq!(frame.data.len(), 20);
}

#[test]
fn references_to_discarded_comdat_code_get_tombstones() {
    let (mut s, mut mem) = session();
    let make = |name: &str| {
        let mut o = Obj::new();
        let t = o.section(".text.inl", SectionKind::Text, &[0xc3], 16);
        let sym = o.func("inl", t, 0, 1);
        o.obj.add_comdat(object::write::Comdat {
            kind: object::ComdatKind::Any,
            symbol: sym,
            sections: vec![t],
        });
        let own = o.section(".text", SectionKind::Text, &[0xc3], 16);
        o.func(name, own, 0, 1);
        let info = o.section(".debug_info", SectionKind::Debug, &[0xff; 8], 1);
        let ranges = o.section(".debug_ranges", SectionKind::Debug, &[0xff; 16], 1);
        let inl_sec = o.section_sym(t);
        o.reloc(info, 0, inl_sec, 0, R_X86_64_64);
        o.reloc(ranges, 0, inl_sec, 0, R_X86_64_64);
        o.reloc(ranges, 8, inl_sec, 1, R_X86_64_64);
        o
    };
    append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![make("one").input("one.o"), make("two").input("two.o")],
    )
    .unwrap();
    let dbg = s.debug_sections().unwrap();
    let inl = s.lookup("inl").unwrap();
    let info = dbg.data(".debug_info");
    assert_eq!(
        u64_at(info, 0),
        inl,
        "the winner's unit describes the kept code"
    );
    assert_eq!(u64_at(info, 8), 0, "tombstone in .debug_info");
    let ranges = dbg.data(".debug_ranges");
    assert_eq!((u64_at(ranges, 0), u64_at(ranges, 8)), (inl, inl + 1));
    assert_eq!(
        (u64_at(ranges, 16), u64_at(ranges, 24)),
        (1, 1),
        "tombstone 1 in .debug_ranges, where 0 would end the list"
    );
}

#[test]
fn unknown_types_and_undefined_names_are_errors_naming_them() {
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &[0xc3], 16);
    let f = o.func("f", text, 0, 1);
    let info = o.section(".debug_info", SectionKind::Debug, &[0; 8], 1);
    o.reloc(info, 4, f, 0, R_X86_64_PC32);
    append(&mut s, &mut mem, &NoResolver, vec![o.input("pc.o")]).unwrap();
    let err = s.debug_sections().unwrap_err();
    assert!(
        matches!(
            &err,
            DebugError::Reloc {
                reason: RelocError::Unsupported,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    for part in ["R_X86_64_PC32", ".debug_info+0x4", "pc.o"] {
        assert!(msg.contains(part), "{msg}");
    }

    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let info = o.section(".debug_info", SectionKind::Debug, &[0; 8], 1);
    let nowhere = o.undef("nowhere");
    o.reloc(info, 0, nowhere, 0, R_X86_64_64);
    // The append needs no `nowhere`: only debug info refers to it.
    append(&mut s, &mut mem, &NoResolver, vec![o.input("u.o")]).unwrap();
    let err = s.debug_sections().unwrap_err();
    assert!(
        matches!(&err, DebugError::Undefined { symbol, .. } if symbol == "nowhere"),
        "{err:?}"
    );

    // A 32-bit field that cannot hold the runtime address overflows instead of truncating.
    let (mut s, mut mem) = session();
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &[0xc3], 16);
    let f = o.func("g", text, 0, 1);
    let info = o.section(".debug_info", SectionKind::Debug, &[0; 8], 1);
    o.reloc(info, 0, f, 0, R_X86_64_32S);
    o.reloc(info, 4, f, 0xc000_0000, R_X86_64_32);
    append(&mut s, &mut mem, &NoResolver, vec![o.input("o.o")]).unwrap();
    const { assert!(BASE < 1 << 31, "the test layout sits low enough for 32S") };
    let err = s.debug_sections().unwrap_err();
    assert!(
        matches!(&err, DebugError::Reloc { reason: RelocError::Overflow { bits: 32, .. }, site }
            if site.offset == 4),
        "{err:?}"
    );
}

/// `foo` with a one-word `.debug_info` holding its address.
fn described_foo(ret: u8) -> Obj {
    let mut o = Obj::new();
    let text = o.section(".text", SectionKind::Text, &[0xb8, ret, 0, 0, 0, 0xc3], 16);
    let foo_sym = o.func("foo", text, 0, 6);
    let info = o.section(".debug_info", SectionKind::Debug, &[0; 8], 1);
    o.reloc(info, 0, foo_sym, 0, R_X86_64_64);
    o
}

fn body_addr(s: &LinkSession, name: &str, generation: usize) -> u64 {
    let f = s.reload_func(name).expect("reloadable");
    s.symbol(f.bodies[generation]).expect("body").addr
}

#[test]
fn debug_info_of_reloadable_functions_describes_bodies_of_every_generation() {
    let (mut s, mut mem): (LinkSession, VecMemory) = session();
    s.set_indirection(Indirection::ExportedFuncs);
    let first = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![described_foo(1).input("v1.o")],
    )
    .unwrap();
    let entry = s.lookup("foo").unwrap();
    let body0 = body_addr(&s, "foo", 0);
    assert_ne!(entry, body0);
    let out = s
        .reload_function(
            "foo",
            described_foo(2).input("v2.o"),
            &mut mem,
            &NoResolver,
            AbiCheck::Unchecked,
        )
        .unwrap();
    let body1 = body_addr(&s, "foo", 1);
    let dbg = s.debug_sections().unwrap();
    let info = dbg.data(".debug_info");
    assert_eq!(u64_at(info, 0), body0, "the old body keeps its description");
    assert_eq!(u64_at(info, 8), body1, "the new body, not the entry");
    let only_new = s.debug_sections_of(&out.inputs).unwrap();
    assert_eq!(u64_at(only_new.data(".debug_info"), 0), body1);
    assert_eq!(s.lookup("foo"), Some(entry));
    let bodies: Vec<_> = s
        .generation_symbols(out.generation)
        .filter(|x| x.kind == SymbolKind::ReloadBody)
        .map(|x| x.addr)
        .collect();
    assert_eq!(bodies, [body1]);
    assert_eq!(first.generation + 1, out.generation);
}

#[test]
fn a_weak_definition_that_lost_keeps_describing_its_own_code() {
    let (mut s, mut mem) = session();
    let make = |weak: bool| {
        let mut o = Obj::new();
        let text = o.section(".text", SectionKind::Text, &[0xc3], 16);
        let sym = if weak {
            o.weak_func("pick", text, 0, 1)
        } else {
            o.func("pick", text, 0, 1)
        };
        let info = o.section(".debug_info", SectionKind::Debug, &[0; 8], 1);
        o.reloc(info, 0, sym, 0, R_X86_64_64);
        o
    };
    let out = append(
        &mut s,
        &mut mem,
        &NoResolver,
        vec![make(true).input("weak.o"), make(false).input("strong.o")],
    )
    .unwrap();
    let text_of = |i: usize| {
        s.input(out.inputs[i])
            .and_then(|r| r.section_by_name(".text"))
            .and_then(|x| x.addr())
            .unwrap()
    };
    assert_eq!(s.lookup("pick"), Some(text_of(1)));
    let dbg = s.debug_sections().unwrap();
    let info = dbg.data(".debug_info");
    assert_eq!(
        u64_at(info, 0),
        text_of(0),
        "the weak unit describes the weak bytes"
    );
    assert_eq!(u64_at(info, 8), text_of(1));
}

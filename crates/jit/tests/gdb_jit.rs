//! Registration with the GDB JIT interface, seen from the process side: the descriptor's list
//! as a debugger walks it, and what each registered object holds.

use cfree_jit::{gdb_jit, Jit, JitOptions};
use cfree_link::LinkInput;
use object::elf::{R_X86_64_32, R_X86_64_64};
use object::write::{Object as WObject, Relocation, Symbol, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, Object, ObjectSection, ObjectSymbol, RelocationFlags,
    SectionKind, SymbolFlags, SymbolKind, SymbolScope,
};

/// `f{i:04}`: `mov $i, %eax; ret`, with a 12-byte `.debug_info` holding its address
/// (R_X86_64_64) and an offset into its `.debug_str` (R_X86_64_32 against the section).
fn numbered(i: u32) -> LinkInput {
    let mut o = WObject::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    let text = o.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
    let mut code = vec![0xb8];
    code.extend_from_slice(&i.to_le_bytes());
    code.push(0xc3);
    o.append_section_data(text, &code, 16);
    let f = o.add_symbol(Symbol {
        name: format!("f{i:04}").into_bytes(),
        value: 0,
        size: code.len() as u64,
        kind: SymbolKind::Text,
        scope: SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    let strs = o.add_section(Vec::new(), b".debug_str".to_vec(), SectionKind::Debug);
    o.append_section_data(strs, b"name\0", 1);
    let info = o.add_section(Vec::new(), b".debug_info".to_vec(), SectionKind::Debug);
    o.append_section_data(info, &[0; 12], 1);
    let strs_sym = o.section_symbol(strs);
    for (offset, symbol, addend, r_type) in [(0, f, 0, R_X86_64_64), (8, strs_sym, 1, R_X86_64_32)]
    {
        o.add_relocation(
            info,
            Relocation {
                offset,
                symbol,
                addend,
                flags: RelocationFlags::Elf { r_type },
            },
        )
        .unwrap();
    }
    LinkInput::new(format!("f{i:04}.o"), o.write().unwrap())
}

/// Every append registers exactly one object holding only that append: after 2000 appends
/// the newest entry is as large as the first and names one function, so registering costs
/// the same per append however large the image grew.
#[test]
fn each_append_registers_one_object_of_its_own_code() {
    const N: u32 = 2000;
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 4 << 20,
        reserve_r: 4 << 20,
        reserve_rw: 1 << 20,
        ..JitOptions::default()
    })
    .unwrap();
    for i in 0..N {
        jit.add_objects(vec![numbered(i)]).unwrap();
    }
    assert!(
        jit.gdb_jit_errors().is_empty(),
        "{:?}",
        jit.gdb_jit_errors()
    );
    let entries = jit.gdb_jit_entries();
    assert_eq!(entries.len(), N as usize);
    let size0 = entries[0].symfile().len();
    for (i, e) in entries.iter().enumerate() {
        let name = format!("f{i:04}");
        let addr = jit.lookup(&name).unwrap() as u64;
        let file = object::File::parse(e.symfile()).unwrap();
        let defined: Vec<(String, u64)> = file
            .symbols()
            .filter(|s| s.is_definition() && s.kind() == object::SymbolKind::Text)
            .map(|s| (s.name().unwrap().to_string(), s.address()))
            .collect();
        assert_eq!(
            defined,
            [(name.clone(), addr)],
            "entry {i} holds its own function only"
        );
        let text: Vec<_> = file
            .sections()
            .filter(|s| s.name() == Ok(".text"))
            .collect();
        assert_eq!(text.len(), 1, "entry {i}");
        assert_eq!(text[0].address(), addr);
        let info = file.section_by_name(".debug_info").unwrap();
        let data = info.data().unwrap();
        assert_eq!(data[..8], addr.to_le_bytes(), "entry {i}: relocated DWARF");
        assert_eq!(
            data[8..12],
            1u32.to_le_bytes(),
            "entry {i}: its own .debug_str"
        );
        assert_eq!(
            e.symfile().len(),
            size0,
            "entry {i} is as large as the first"
        );
    }
    // The debugger's view: every entry is on the descriptor's list.
    let registered = gdb_jit::registered();
    for e in [
        &entries[0],
        &entries[N as usize / 2],
        &entries[N as usize - 1],
    ] {
        assert!(registered.iter().any(|f| f == e.symfile()));
    }
    // SAFETY: f1999 is `int f(void)` in machine code (`mov $1999, %eax; ret`).
    let last: extern "C" fn() -> i32 = unsafe { std::mem::transmute(jit.lookup("f1999").unwrap()) };
    assert_eq!(last(), 1999);
}

/// The descriptor is the one GDB expects: version 1, and a consistent doubly linked list.
#[test]
fn the_descriptor_is_a_consistent_list() {
    let mut jit = Jit::new(JitOptions::default()).unwrap();
    jit.add_objects(vec![numbered(1)]).unwrap();
    jit.add_objects(vec![numbered(2)]).unwrap();
    // Other tests register concurrently: inspect the list under the registration lock.
    let (version, len) = gdb_jit::with_descriptor(|d| {
        let mut len = 0;
        let mut prev = std::ptr::null_mut();
        let mut e = d.first_entry;
        // SAFETY: under the lock every entry on the list is a live registration.
        unsafe {
            while !e.is_null() {
                assert_eq!((*e).prev_entry, prev, "back links mirror forward links");
                assert!((*e).symfile_size > 0);
                prev = e;
                e = (*e).next_entry;
                len += 1;
            }
        }
        (d.version, len)
    });
    assert_eq!(version, 1);
    assert!(len >= 2);
    let ours: Vec<Vec<u8>> = jit
        .gdb_jit_entries()
        .iter()
        .map(|e| e.symfile().to_vec())
        .collect();
    drop(jit);
    let after = gdb_jit::registered();
    assert!(
        ours.iter().all(|f| !after.contains(f)),
        "unregistered on drop"
    );
}

/// With registration off, nothing is registered.
#[test]
fn registration_can_be_switched_off() {
    let mut jit = Jit::new(JitOptions {
        gdb_jit: false,
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_objects(vec![numbered(3)]).unwrap();
    assert!(jit.gdb_jit_entries().is_empty());
}

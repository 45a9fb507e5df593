//! Code generation follows the target named by the unit: an AArch64 unit becomes an AArch64
//! ELF object (its C ABI is `abi/aarch64.rs`), a RISC-V 64 unit an EM_RISCV one with the
//! LP64D float-ABI flag (`abi/riscv64.rs`); a target without a C ABI is refused with an
//! error naming it, never compiled with another target's ABI.

mod common;

use cfree_frontend::TargetInfo;

fn compile_for(triple: &str) -> Result<Vec<u8>, cfree_codegen::CodegenError> {
    let target = TargetInfo::from_triple(triple.parse().expect("triple")).expect("target");
    let src = "struct p { double x, y; };\nstruct p mid(struct p a, struct p b) { struct p r = { (a.x + b.x) / 2, (a.y + b.y) / 2 }; return r; }\n";
    common::compile_source(src, target)
}

/// `e_machine` of an ELF64 little-endian object.
fn machine(obj: &[u8]) -> u16 {
    assert_eq!(&obj[..4], b"\x7fELF");
    u16::from_le_bytes([obj[18], obj[19]])
}

#[test]
fn objects_are_for_the_units_target() {
    let x86 = compile_for("x86_64-unknown-linux-gnu").expect("x86-64");
    assert_eq!(machine(&x86), 62);
    let arm = compile_for("aarch64-unknown-linux-gnu").expect("aarch64");
    assert_eq!(machine(&arm), 183);
    let rv = compile_for("riscv64gc-unknown-linux-gnu").expect("riscv64");
    assert_eq!(machine(&rv), 243);
    // e_flags: EF_RISCV_FLOAT_ABI_DOUBLE, what gcc's LP64D objects carry.
    let flags = u32::from_le_bytes([rv[48], rv[49], rv[50], rv[51]]);
    assert_eq!(flags & 0x6, 0x4, "e_flags {flags:#x}");
}

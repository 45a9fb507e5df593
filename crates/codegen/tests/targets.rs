//! Code generation follows the target named by the unit: an AArch64 unit becomes an AArch64
//! ELF object (its C ABI is `abi/aarch64.rs`); RISC-V has no C ABI in cfree yet and is
//! refused with an error naming the target, never compiled with another target's ABI.

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
}

#[test]
fn targets_without_a_c_abi_are_refused() {
    let triple = "riscv64gc-unknown-linux-gnu";
    let err = compile_for(triple).expect_err(triple).to_string();
    assert!(err.contains(triple), "{err}");
}

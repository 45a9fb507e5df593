//! Code generation exists for x86-64 only so far: a unit analysed for AArch64 or RISC-V is
//! refused with an error that names the target (no Cranelift backend is built for them yet,
//! and `abi::for_arch` has no C ABI for them), never compiled with the x86-64 SysV ABI.

mod common;

use cfree_frontend::TargetInfo;

fn compile_for(triple: &str) -> Result<Vec<u8>, cfree_codegen::CodegenError> {
    let target = TargetInfo::from_triple(triple.parse().expect("triple")).expect("target");
    let src = "struct p { double x, y; };\nstruct p mid(struct p a, struct p b) { struct p r = { (a.x + b.x) / 2, (a.y + b.y) / 2 }; return r; }\n";
    common::compile_source(src, target)
}

#[test]
fn targets_without_a_c_abi_are_refused() {
    assert!(compile_for("x86_64-unknown-linux-gnu").is_ok());
    for triple in ["aarch64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu"] {
        let err = compile_for(triple).expect_err(triple).to_string();
        assert!(err.contains(triple), "{err}");
    }
}

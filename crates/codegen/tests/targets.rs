//! Code generation exists for x86-64 only so far: a unit analysed for AArch64 or RISC-V is
//! refused with an error that names the target (no Cranelift backend is built for them yet,
//! and `abi::for_arch` has no C ABI for them), never compiled with the x86-64 SysV ABI.

use cfree_codegen::{CodegenOptions, OptLevel};
use cfree_frontend::pp::{PpOptions, Preprocessor};
use cfree_frontend::{Diagnostics, SourceMap, TargetInfo};

fn compile_for(triple: &str) -> Result<Vec<u8>, cfree_codegen::CodegenError> {
    let target = TargetInfo::from_triple(triple.parse().expect("triple")).expect("target");
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut pp = Preprocessor::new(PpOptions::new(target.clone()));
    let src = "struct p { double x, y; };\nstruct p mid(struct p a, struct p b) { struct p r = { (a.x + b.x) / 2, (a.y + b.y) / 2 }; return r; }\n";
    let toks = pp.preprocess_str("t.c", src, &mut sm, &mut diags);
    let parsed = cfree_frontend::parse::parse_tokens(toks, &mut diags).expect("parse");
    let loc_of = |off: usize| parsed.loc_of(off);
    let tu = cfree_frontend::sema::analyze(
        &parsed.unit,
        &target,
        cfree_frontend::sema::SemaOptions { pack: Vec::new() },
        &loc_of,
        &mut diags,
    )
    .expect("sema");
    let opts = CodegenOptions {
        target,
        opt_level: OptLevel::None,
        debug: false,
        verify: true,
        pic: false,
    };
    cfree_codegen::compile(&tu, &sm, "t.c", &opts)
}

#[test]
fn targets_without_a_c_abi_are_refused() {
    assert!(compile_for("x86_64-unknown-linux-gnu").is_ok());
    for triple in ["aarch64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu"] {
        let err = compile_for(triple).expect_err(triple).to_string();
        assert!(err.contains(triple), "{err}");
    }
}

//! The compile pipeline for codegen tests: cfree's own preprocessor, parser and sema, then
//! `cfree_codegen::compile` (the driver crate sits above codegen, so tests cannot use it).

use cfree_codegen::{CodegenOptions, OptLevel};
use cfree_frontend::pp::{PpOptions, Preprocessor};
use cfree_frontend::{Diagnostics, SourceMap, TargetInfo};
use std::path::Path;

/// Compiles the C file at `path` for `target` to an ELF object (verifier on).
pub fn compile_file(path: &Path, target: TargetInfo, debug: bool) -> Vec<u8> {
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut pp = Preprocessor::new(PpOptions::new(target.clone()));
    let toks = pp.preprocess_file(path, &mut sm, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(&sm));
    let parsed = cfree_frontend::parse::parse_tokens(toks, &mut diags)
        .unwrap_or_else(|| panic!("{}", diags.render(&sm)));
    let loc_of = |off: usize| parsed.loc_of(off);
    let tu = cfree_frontend::sema::analyze(
        &parsed.unit,
        &target,
        cfree_frontend::sema::SemaOptions { pack: Vec::new() },
        &loc_of,
        &mut diags,
    )
    .unwrap_or_else(|| panic!("{}", diags.render(&sm)));
    let opts = CodegenOptions {
        target,
        opt_level: OptLevel::None,
        debug,
        verify: true,
        pic: false,
    };
    cfree_codegen::compile(&tu, &sm, &path.display().to_string(), &opts).expect("codegen")
}

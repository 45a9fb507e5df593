//! The compile pipeline for codegen tests: cfree's own preprocessor, parser and sema, then
//! `cfree_codegen::compile` (the driver crate sits above codegen, so tests cannot use it).

#![allow(dead_code)] // each test file uses some of these

use cfree_codegen::{CodegenError, CodegenOptions, OptLevel};
use cfree_frontend::pp::{PpOptions, Preprocessor, Token};
use cfree_frontend::{Diagnostics, SourceMap, TargetInfo};
use std::path::Path;

/// Compiles the C file at `path` for `target` to an ELF object (verifier on).
pub fn compile_file(path: &Path, target: TargetInfo, debug: bool) -> Vec<u8> {
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut pp = Preprocessor::new(PpOptions::new(target.clone()));
    let toks = pp.preprocess_file(path, &mut sm, &mut diags);
    let name = path.display().to_string();
    compile_tokens(toks, &sm, &mut diags, target, debug, &name).expect("codegen")
}

/// Compiles C text `src` for `target`; the code generator's answer, error included.
pub fn compile_source(src: &str, target: TargetInfo) -> Result<Vec<u8>, CodegenError> {
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut pp = Preprocessor::new(PpOptions::new(target.clone()));
    let toks = pp.preprocess_str("t.c", src, &mut sm, &mut diags);
    compile_tokens(toks, &sm, &mut diags, target, false, "t.c")
}

/// Parses, analyses (both must succeed) and generates code for preprocessed tokens.
fn compile_tokens(
    toks: Vec<Token>,
    sm: &SourceMap,
    diags: &mut Diagnostics,
    target: TargetInfo,
    debug: bool,
    name: &str,
) -> Result<Vec<u8>, CodegenError> {
    assert!(!diags.has_errors(), "{}", diags.render(sm));
    let parsed = cfree_frontend::parse::parse_tokens(toks, diags)
        .unwrap_or_else(|| panic!("{}", diags.render(sm)));
    let loc_of = |off: usize| parsed.loc_of(off);
    let tu = cfree_frontend::sema::analyze(
        &parsed.unit,
        &target,
        cfree_frontend::sema::SemaOptions { pack: Vec::new() },
        &loc_of,
        diags,
    )
    .unwrap_or_else(|| panic!("{}", diags.render(sm)));
    let opts = CodegenOptions {
        target,
        opt_level: OptLevel::None,
        debug,
        verify: true,
        pic: false,
        interposable: false,
        threads: 1,
        lazy: Default::default(),
    };
    cfree_codegen::compile(&tu, sm, name, &opts)
}

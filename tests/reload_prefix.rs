//! The fast path of `reload NAME` compiles a file's functions after its leading
//! `#include`/`#define` block, analysed once (`pipeline::FilePrefix`). It must make the same
//! code as compiling the whole file with only that function emitted: for every function of
//! every C test program that has such a block, the two objects' `.text` bytes, symbols and
//! relocations are compared, also when only the text up to the function's definition is
//! analysed (what `reload NAME` does).

use cfree_driver::pipeline::{self, CompileOptions, FilePrefix, Source};
use object::{Object, ObjectSection, ObjectSymbol};
use std::path::Path;

/// The code of an object: each text section's bytes and relocations (offset, kind, target
/// name, addend), and the defined function symbols (name, offset, size).
fn code_of(obj: &[u8]) -> Vec<String> {
    let file = object::File::parse(obj).expect("object");
    let mut out = Vec::new();
    for sec in file.sections() {
        let name = sec.name().unwrap_or("");
        if !name.starts_with(".text") {
            continue;
        }
        out.push(format!("{name}: {:02x?}", sec.data().unwrap_or(&[])));
        for (off, r) in sec.relocations() {
            let target = match r.target() {
                object::RelocationTarget::Symbol(i) => file
                    .symbol_by_index(i)
                    .and_then(|s| s.name().map(str::to_string))
                    .unwrap_or_default(),
                other => format!("{other:?}"),
            };
            out.push(format!(
                "  {off:#x} {:?} {target} {}",
                r.flags(),
                r.addend()
            ));
        }
    }
    for s in file.symbols() {
        if s.kind() == object::SymbolKind::Text && s.is_definition() {
            out.push(format!(
                "sym {} {:#x} {}",
                s.name().unwrap_or(""),
                s.address(),
                s.size()
            ));
        }
    }
    out
}

#[test]
fn functions_compiled_after_the_leading_block_match_whole_file_compiles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    let mut opts = CompileOptions {
        debug: true,
        no_warnings: true,
        ..CompileOptions::default()
    };
    let (mut files, mut functions) = (0, 0);
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // (not UTF-8: reloads of it take the whole-file path)
        };
        let Ok(whole) = pipeline::compile(&Source::File(&path), &opts) else {
            continue; // (a test of diagnostics)
        };
        let Some(mut prefix) = FilePrefix::open(&path, &text, &opts) else {
            continue;
        };
        let Ok(rest) = prefix.analyse_rest(&text) else {
            panic!(
                "{}: the rest does not compile after its leading block",
                path.display()
            );
        };
        files += 1;
        let once = |n: &str| whole.function_hashes.iter().filter(|f| f.0 == n).count() == 1;
        for (name, hash) in whole.function_hashes.iter().filter(|f| once(&f.0)) {
            let fast = rest.function_hashes.iter().find(|(n, _)| n == name);
            assert_eq!(fast.map(|f| f.1), Some(*hash), "{}: {name}", path.display());
            opts.only_function = Some(name.clone());
            let Ok(slow) = pipeline::compile(&Source::File(&path), &opts) else {
                continue; // (not a definition the whole-file path can emit alone)
            };
            opts.only_function = None;
            let fast = prefix
                .object_of(&rest, name)
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
            assert_eq!(
                code_of(&fast),
                code_of(&slow.object),
                "{}: {name}",
                path.display()
            );
            // What a reload of the function analyses: the rest only up to its definition.
            let upto = prefix
                .analyse_rest_until(&text, name)
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
            let cut = prefix
                .object_of(&upto, name)
                .unwrap_or_else(|e| panic!("{}: {name} (cut): {e}", path.display()));
            assert_eq!(
                code_of(&cut),
                code_of(&slow.object),
                "{}: {name} (analysed up to its definition)",
                path.display()
            );
            functions += 1;
        }
        opts.only_function = None;
    }
    assert!(
        files > 50 && functions > 200,
        "{files} files, {functions} functions"
    );
}

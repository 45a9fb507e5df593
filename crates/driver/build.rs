//! `CFREE_COMPILER_ID`: a hash of the sources that decide what an object file contains (the
//! frontend, the code generator, the target model, the pipeline) and of `Cargo.lock` (the
//! Cranelift version). The compile cache keys entries by it, so an object made by one build
//! of cfree is never handed out by another.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &[
    "../frontend/src",
    "../codegen/src",
    "../target/src",
    "../abisig/src",
    "src/pipeline.rs",
    "src/pipeline",
    "../../Cargo.lock",
];

fn files_under(p: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(p) {
        Ok(entries) => {
            for e in entries.flatten() {
                files_under(&e.path(), out);
            }
        }
        Err(_) => out.push(p.to_path_buf()),
    }
}

fn main() {
    let mut files = Vec::new();
    for i in INPUTS {
        println!("cargo:rerun-if-changed={i}");
        files_under(Path::new(i), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        f.hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    std::env::var("PROFILE").unwrap_or_default().hash(&mut h);
    println!(
        "cargo:rustc-env=CFREE_COMPILER_ID={}-{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        h.finish()
    );
}

//! Build real objects with the system C compiler for JIT tests.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use cfree_link::LinkInput;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh scratch directory under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new() -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("cfree-jit-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Compile `source` as `name` with `gcc -c -O1 -fPIE` plus `extra` flags.
pub fn compile(name: &str, source: &str, extra: &[&str]) -> LinkInput {
    let dir = Scratch::new();
    let src = dir.0.join(name);
    let obj = src.with_extension("o");
    std::fs::write(&src, source).expect("write C source");
    let out = Command::new("gcc")
        .args(["-c", "-O1", "-fPIE"])
        .args(extra)
        .arg(&src)
        .arg("-o")
        .arg(&obj)
        .output()
        .expect("gcc must be installed to run the JIT tests");
    assert!(
        out.status.success(),
        "gcc failed on {name}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&obj).expect("read object");
    LinkInput::new(name.replace(".c", ".o"), bytes)
}

/// No unwind tables (the brief's baseline flags).
pub fn cc(name: &str, source: &str) -> LinkInput {
    compile(
        name,
        source,
        &["-fno-asynchronous-unwind-tables", "-fcommon"],
    )
}

/// With `.eh_frame`.
pub fn cc_unwind(name: &str, source: &str) -> LinkInput {
    compile(name, source, &["-fasynchronous-unwind-tables", "-fcommon"])
}

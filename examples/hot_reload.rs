//! Embedding cfree from Rust: compile C text into a live image, call it, feed it a host
//! callback, then replace a function while a thread keeps calling it.
//!
//! Run with `cargo run --release --example hot_reload`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cfree::{Jit, JitOptions};

/// A host function the C code calls by name.
extern "C" fn host_log(x: i32) {
    println!("  C called host_log({x})");
}

fn main() -> Result<(), cfree::Error> {
    // Reloadable: every exported function gets a stable entry that jumps through a slot.
    let mut jit = Jit::new(JitOptions::reloadable())?;
    jit.add_symbol("host_log", host_log as *const std::ffi::c_void);

    jit.add_source(
        "kernel.c",
        r#"
        void host_log(int);
        int scale(int x) { return x * 2; }
        int apply(int x) { host_log(x); return scale(x) + 1; }
        "#,
    )?;
    // SAFETY: the C definitions are `int scale(int)` and `int apply(int)`.
    let scale: extern "C" fn(i32) -> i32 = unsafe { jit.function("scale") }.expect("scale");
    let apply: extern "C" fn(i32) -> i32 = unsafe { jit.function("apply") }.expect("apply");
    println!("apply(20) = {}", apply(20));

    // A worker keeps calling `scale` while we replace it.
    let stop = Arc::new(AtomicBool::new(false));
    let worker = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                seen.insert(scale(10));
            }
            seen
        })
    };
    std::thread::sleep(Duration::from_millis(10));
    let before = jit.lookup("scale");
    jit.reload_source(
        "scale",
        "scale_v2.c",
        "int scale(int x) { return x * 100; }",
    )?;
    std::thread::sleep(Duration::from_millis(10));
    stop.store(true, Ordering::Relaxed);
    let seen = worker.join().expect("worker");
    println!("the worker saw scale(10) return {seen:?} (old body, then new)");
    assert_eq!(jit.lookup("scale"), before, "the address never changes");
    println!("apply(20) = {} after the reload", apply(20));

    // A replacement with a different calling convention is refused; the old body stays.
    match jit.reload_source("scale", "bad.c", "double scale(double x) { return x; }") {
        Err(e) => println!("refused as expected:\n  {e}"),
        Ok(()) => unreachable!("an ABI change must be refused"),
    }
    // So is C that does not compile, with file:line:col and a caret.
    if let Err(e) = jit.add_source("typo.c", "int oops(void) { return 1 +; }") {
        println!("compile error as expected:\n{e}");
    }
    println!("generation {}, scale(3) = {}", jit.generation(), scale(3));
    Ok(())
}

//! Link arguments for the `cfree` binary.

fn main() {
    // The GDB JIT interface (crates/jit/src/gdb_jit.rs): debuggers find these two symbols by
    // name. Export them dynamically so they are found even in a stripped binary, and so
    // `dlsym` sees them like in any other JIT host.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        for sym in ["__jit_debug_register_code", "__jit_debug_descriptor"] {
            println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol={sym}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

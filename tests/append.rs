//! Append-only growth through the Rust API (INCREMENTAL_LINK.md §15): C snippets compiled by
//! cfree join a live image without moving anything, and failed appends change nothing.

use cfree::{Error, Jit, JitOptions};

fn jit() -> Jit {
    Jit::new(JitOptions::default()).expect("JIT")
}

/// What a caller can observe of the image.
fn observe(jit: &Jit) -> (u64, Vec<cfree::Symbol>) {
    (jit.generation(), jit.symbols().collect())
}

#[test]
fn appended_code_calls_initial_code_and_nothing_moves() {
    let mut jit = jit();
    jit.add_source(
        "base.c",
        "int base(int x) { return x * 2; } int counter = 5;",
    )
    .unwrap();
    let base = jit.lookup("base").unwrap();
    let counter = jit.lookup("counter").unwrap();
    assert_eq!(jit.generation(), 1);
    jit.add_source(
        "snippet.c",
        "int base(int); extern int counter;\n\
         int twice(int x) { return base(x) + counter++; }",
    )
    .unwrap();
    assert_eq!(jit.generation(), 2);
    assert_eq!(jit.lookup("base"), Some(base));
    assert_eq!(jit.lookup("counter"), Some(counter));
    // SAFETY: `int twice(int)`.
    let twice: extern "C" fn(i32) -> i32 = unsafe { jit.function("twice") }.unwrap();
    assert_eq!(twice(10), 25);
    assert_eq!(
        twice(10),
        26,
        "the snippet updates the initial image's data"
    );
    // addr_to_sym describes PCs in initial and appended code.
    let t = jit.lookup("twice").unwrap();
    assert_eq!(
        jit.addr_to_sym(base.wrapping_add(3)),
        Some(("base".to_string(), 3))
    );
    assert_eq!(
        jit.addr_to_sym(t.wrapping_add(2)),
        Some(("twice".to_string(), 2))
    );
}

#[test]
fn a_duplicate_definition_changes_nothing() {
    let mut jit = jit();
    jit.add_source("a.c", "int f(void) { return 1; }").unwrap();
    let before = observe(&jit);
    let err = jit
        .add_source("b.c", "int g(void) { return 3; } int f(void) { return 2; }")
        .unwrap_err();
    assert!(matches!(err, Error::Link(_)), "{err:?}");
    assert!(
        err.to_string().contains("duplicate definition of `f`"),
        "{err}"
    );
    assert_eq!(observe(&jit), before);
    assert!(
        jit.lookup("g").is_none(),
        "nothing of the failed append is visible"
    );
    // SAFETY: `int f(void)`.
    let f: extern "C" fn() -> i32 = unsafe { jit.function("f") }.unwrap();
    assert_eq!(f(), 1);
}

#[test]
fn an_unresolved_symbol_is_named_and_changes_nothing() {
    let mut jit = jit();
    jit.add_source("a.c", "int f(void) { return 1; }").unwrap();
    let before = observe(&jit);
    let err = jit
        .add_source(
            "b.c",
            "int nowhere(void);\nint g(void) { return nowhere(); }",
        )
        .unwrap_err();
    assert!(matches!(err, Error::Link(_)), "{err:?}");
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert_eq!(observe(&jit), before);
    // Now define it and append again: the same snippet links.
    jit.add_source("c.c", "int nowhere(void) { return 7; }")
        .unwrap();
    jit.add_source(
        "b.c",
        "int nowhere(void);\nint g(void) { return nowhere(); }",
    )
    .unwrap();
}

#[test]
fn a_compile_error_changes_nothing() {
    let mut jit = jit();
    jit.add_source("a.c", "int f(void) { return 1; }").unwrap();
    let before = observe(&jit);
    let err = jit
        .add_source("bad.c", "int g(void) {\n  return 1 +;\n}")
        .unwrap_err();
    assert!(matches!(err, Error::Compile(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("bad.c:2:"), "{msg}");
    assert!(msg.contains("return 1 +;") && msg.contains('^'), "{msg}");
    assert_eq!(observe(&jit), before);
}

#[test]
fn capacity_exhaustion_changes_nothing() {
    let mut jit = Jit::new(JitOptions {
        reserve: Some((64 << 10, 64 << 10, 64 << 10)),
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_source("a.c", "int f(void) { return 1; }").unwrap();
    let before = observe(&jit);
    let err = jit
        .add_source(
            "big.c",
            "char big[1 << 20] = {1}; int g(void) { return big[0]; }",
        )
        .unwrap_err();
    assert!(err.to_string().contains("exhausted"), "{err}");
    assert_eq!(observe(&jit), before);
    jit.add_source("small.c", "int h(void) { return 2; }")
        .unwrap();
}

#[test]
fn host_symbols_resolve_before_dlsym() {
    extern "C" fn host_add(a: i32, b: i32) -> i32 {
        a + b + 1000
    }
    let mut jit = jit();
    jit.add_symbol("host_add", host_add as *const std::ffi::c_void);
    // `abs` is not registered, so it comes from libc through dlsym.
    jit.add_source(
        "h.c",
        "#include <stdlib.h>\nint host_add(int, int);\nint use(int x) { return host_add(x, abs(-2)); }",
    )
    .unwrap();
    // SAFETY: `int use(int)`.
    let f: extern "C" fn(i32) -> i32 = unsafe { jit.function("use") }.unwrap();
    assert_eq!(f(1), 1003);
}

/// Thousands of snippets, each calling the one before: every append resolves against the live
/// image, the image keeps growing, and no address ever changes.
#[test]
fn thousands_of_snippets() {
    const N: usize = 3000;
    let mut jit = jit();
    jit.add_source("s0.c", "long s0(void) { return 0; }")
        .unwrap();
    let mut addrs = vec![jit.lookup("s0").unwrap()];
    for i in 1..N {
        let src = format!(
            "long s{p}(void);\nlong s{i}(void) {{ return s{p}() + {i}; }}",
            p = i - 1
        );
        jit.add_source(&format!("s{i}.c"), &src).unwrap();
        addrs.push(jit.lookup(&format!("s{i}")).unwrap());
    }
    assert_eq!(jit.generation(), N as u64);
    for (i, a) in addrs.iter().enumerate() {
        assert_eq!(jit.lookup(&format!("s{i}")), Some(*a), "s{i} moved");
    }
    // SAFETY: `long sN(void)`.
    let last: extern "C" fn() -> i64 = unsafe { jit.function(&format!("s{}", N - 1)) }.unwrap();
    assert_eq!(last(), (N * (N - 1) / 2) as i64);
}

#[test]
fn the_view_follows_the_generation() {
    let mut jit = Jit::new(JitOptions::reloadable()).unwrap();
    jit.add_source("a.c", "int f(int x) { return x; }").unwrap();
    let v1 = jit.view().unwrap().to_vec();
    assert_eq!(&v1[..4], b"\x7fELF");
    assert_eq!(
        jit.view().unwrap(),
        &v1[..],
        "unchanged generation: same view"
    );
    jit.reload_source("f", "f2.c", "int f(int x) { return -x; }")
        .unwrap();
    let v2 = jit.view().unwrap().to_vec();
    assert_ne!(v1, v2);
    let has = |v: &[u8], s: &[u8]| v.windows(s.len()).any(|w| w == s);
    assert!(has(&v2, b"f$body$1\0"), "the view lists the new body");
    assert!(
        has(&v2, b"f$body$0\0"),
        "and keeps the old one for old frames"
    );
}

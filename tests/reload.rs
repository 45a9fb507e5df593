//! Hot reload through the Rust API (HOT_RELOAD.md §19): C compiled by cfree, appended to a
//! live image, replaced while pointers to it are held and while it is running.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cfree::{Error, Jit, JitOptions, Object};

fn reloadable() -> Jit {
    Jit::new(JitOptions::reloadable()).expect("JIT")
}

type IntFn = extern "C" fn(i32) -> i32;

fn int_fn(jit: &Jit, name: &str) -> IntFn {
    // SAFETY: every function looked up here is defined in C as `int name(int)`.
    unsafe { jit.function::<IntFn>(name) }.unwrap_or_else(|| panic!("{name} is not defined"))
}

const PROGRAM: &str = r#"
int foo(int x) { return x + 1; }
int (*fp)(int) = foo;               /* a pointer to foo in JIT data */
int call_fp(int x) { return fp(x); }
int call_foo(int x) { return foo(x) * 10; }  /* a direct call from the same unit */
int (*get_fp(void))(int) { return fp; }
"#;

#[test]
fn address_is_stable_and_every_path_reaches_the_new_body() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    let addr = jit.lookup("foo").unwrap();
    let foo = int_fn(&jit, "foo");
    let saved: IntFn = foo; // a function pointer taken before the reload
    assert_eq!(foo(1), 2);
    assert_eq!(int_fn(&jit, "call_fp")(1), 2);
    assert_eq!(int_fn(&jit, "call_foo")(1), 20);
    let gen = jit.generation();

    jit.reload_source("foo", "foo2.c", "int foo(int x) { return x + 100; }")
        .unwrap();
    assert_eq!(jit.generation(), gen + 1);
    assert_eq!(
        jit.lookup("foo"),
        Some(addr),
        "lookup returns the same address"
    );
    assert_eq!(saved(1), 101, "a saved pointer calls the new body");
    assert_eq!(int_fn(&jit, "call_fp")(1), 101, "a pointer in JIT data too");
    assert_eq!(
        int_fn(&jit, "call_foo")(1),
        1010,
        "and a direct call from old code"
    );
    // The address C code took is the stable entry, the one lookup returns.
    // SAFETY: get_fp is `int (*get_fp(void))(int)`.
    let get_fp: extern "C" fn() -> *const u8 = unsafe { jit.function("get_fp") }.unwrap();
    assert_eq!(get_fp(), addr);
}

#[test]
fn old_body_stays_mapped_and_named() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    let old_body = {
        let low = jit.low_level();
        let f = low.session().reload_func("foo").unwrap();
        low.session().symbol(f.body()).unwrap().addr as *const u8
    };
    jit.reload_source("foo", "foo2.c", "int foo(int x) { return x * 3; }")
        .unwrap();
    // The old body is still executable and still computes the old result.
    // SAFETY: old_body is the previous generation of `int foo(int)`, never unmapped.
    let old: IntFn = unsafe { std::mem::transmute(old_body) };
    assert_eq!(old(5), 6);
    assert_eq!(int_fn(&jit, "foo")(5), 15);
    let (name, off) = jit.addr_to_sym(old_body.wrapping_add(1)).unwrap();
    assert_eq!((name, off), ("foo$body$0".to_string(), 1));
    let new_body = {
        let low = jit.low_level();
        let s = low.session();
        s.symbol(s.reload_func("foo").unwrap().body()).unwrap().addr as *const u8
    };
    assert_eq!(
        jit.addr_to_sym(new_body).unwrap(),
        ("foo$body$1".to_string(), 0)
    );
    assert_eq!(
        jit.addr_to_sym(jit.lookup("foo").unwrap()).unwrap(),
        ("foo".to_string(), 0)
    );
    // Symbol iteration shows `foo` once, at its entry.
    let foos: Vec<_> = jit
        .symbols()
        .filter(|s| s.name.starts_with("foo"))
        .collect();
    assert_eq!(foos.len(), 1, "{foos:?}");
    assert_eq!(foos[0].addr, jit.lookup("foo").unwrap() as u64);
}

thread_local! {
    static LIVE: RefCell<Option<Jit>> = const { RefCell::new(None) };
}

extern "C" fn reload_now() {
    LIVE.with(|j| {
        let mut j = j.borrow_mut();
        let jit = j.as_mut().expect("jit installed");
        jit.reload_source("work", "work2.c", "int work(int x) { return -x; }")
            .expect("reload from inside a running frame");
    });
}

#[test]
fn a_frame_running_the_old_body_finishes_there() {
    let mut jit = reloadable();
    jit.add_symbol("reload_now", reload_now as *const std::ffi::c_void);
    jit.add_source(
        "work.c",
        "void reload_now(void);\n\
         int work(int x) { int before = x * 2; reload_now(); return before + 1; }",
    )
    .unwrap();
    let work = int_fn(&jit, "work");
    LIVE.with(|j| *j.borrow_mut() = Some(jit));
    // The reload happens while `work` is on the stack; that frame returns into the old body.
    assert_eq!(work(20), 41);
    // The next call runs the new body.
    assert_eq!(work(20), -20);
    LIVE.with(|j| j.borrow_mut().take());
}

/// A rejected reload leaves everything as it was: same generation, same body, same lookups.
fn assert_refused(jit: &mut Jit, name: &str, source: &str, expect: &str) -> Error {
    let gen = jit.generation();
    let symbols: Vec<_> = jit.symbols().collect();
    let f = int_fn(jit, "foo");
    let before = f(7);
    let err = jit.reload_source(name, "bad.c", source).unwrap_err();
    assert!(
        err.to_string().contains(expect),
        "expected `{expect}` in: {err}"
    );
    assert_eq!(jit.generation(), gen);
    assert_eq!(jit.symbols().collect::<Vec<_>>(), symbols);
    assert_eq!(f(7), before);
    // Still usable.
    jit.add_source(
        &format!("after{gen}.c"),
        &format!("int after{gen}(void) {{ return 1; }}"),
    )
    .unwrap();
    err
}

#[test]
fn abi_mismatches_are_refused() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    for (src, expect) in [
        ("int foo(double x) { return x; }", "parameter"),
        ("double foo(int x) { return x; }", "return"),
        ("int foo(int x, int y) { return x + y; }", "parameter"),
        ("long foo(int x) { return x; }", "return"),
        ("int foo(int x, ...) { return x; }", "variadic"),
        (
            "struct big { long a, b, c; }; int foo(struct big b) { return 0; }",
            "parameter",
        ),
    ] {
        let err = assert_refused(&mut jit, "foo", src, expect);
        assert!(matches!(err, Error::Reload(_)), "{err:?}");
    }
}

#[test]
fn replacements_with_more_than_the_function_are_refused() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    let cases = [
        (
            "int counter; int foo(int x) { return x + counter++; }",
            "counter",
        ),
        (
            "static int n = 1; int foo(int x) { return x + n++; }",
            "writable data",
        ),
        (
            "int foo(int x) { return x; } int bar(void) { return 0; }",
            "public symbol `bar`",
        ),
        (
            "int call_fp(int x) { return x; }",
            "public symbol `call_fp`",
        ),
        ("int fooo(int x) { return x; }", "public symbol `fooo`"),
        (
            "__attribute__((constructor)) static void init(void) {} int foo(int x) { return x; }",
            "constructor",
        ),
    ];
    for (src, expect) in cases {
        let err = assert_refused(&mut jit, "foo", src, expect);
        assert!(matches!(err, Error::Reload(_)), "{src}: {err:?}");
    }
    // Allowed: static helpers and read-only data.
    jit.reload_source(
        "foo",
        "ok.c",
        "static const int table[] = {5, 6, 7};\n\
         static int helper(int i) { return table[i % 3]; }\n\
         int foo(int x) { return helper(x) + (int)sizeof(\"str\"); }",
    )
    .unwrap();
    assert_eq!(int_fn(&jit, "foo")(1), 10);
}

#[test]
fn reload_errors_name_the_problem() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    // A compile error in the replacement: file:line:col and the caret.
    let err = assert_refused(
        &mut jit,
        "foo",
        "int foo(int x) { return x +; }",
        "bad.c:1:",
    );
    assert!(matches!(err, Error::Compile(_)), "{err:?}");
    assert!(err.to_string().contains('^'), "{err}");
    // An unresolved symbol in the replacement is a link error naming it.
    let err = assert_refused(
        &mut jit,
        "foo",
        "int missing_fn(int); int foo(int x) { return missing_fn(x); }",
        "missing_fn",
    );
    assert!(matches!(err, Error::Link(_)), "{err:?}");
    // Unknown, data, and non-reloadable names.
    assert_refused(
        &mut jit,
        "nope",
        "int nope(int x) { return x; }",
        "no function",
    );
    assert_refused(
        &mut jit,
        "fp",
        "int fp(int x) { return x; }",
        "not a function",
    );
    let mut plain = Jit::new(JitOptions::default()).unwrap();
    plain.add_source("prog.c", PROGRAM).unwrap();
    let err = plain
        .reload_source("foo", "foo2.c", "int foo(int x) { return x; }")
        .unwrap_err();
    assert!(err.to_string().contains("without an entry"), "{err}");
}

#[test]
fn a_replacement_can_use_everything_already_linked() {
    let mut jit = reloadable();
    jit.add_source("prog.c", PROGRAM).unwrap();
    jit.add_source(
        "lib.c",
        "int twice(int x) { return 2 * x; } const char *tag = \"v1\";",
    )
    .unwrap();
    jit.reload_source(
        "foo",
        "foo2.c",
        "#include <string.h>\n\
         int twice(int); extern const char *tag;\n\
         int foo(int x) { return x <= 0 ? 0 : twice(x) + (int)strlen(tag) + foo(x - 1); }",
    )
    .unwrap();
    // foo(2) = twice(2)+2 + foo(1) = 6 + (2+2 + foo(0)) = 10; recursion goes through the entry.
    assert_eq!(int_fn(&jit, "foo")(2), 10);
    // Reloading a function that other code calls, then reloading the callee again.
    jit.reload_source("twice", "twice2.c", "int twice(int x) { return 3 * x; }")
        .unwrap();
    // foo(2) = twice(2) + 2 + foo(1) = 8 + (3 + 2 + 0) = 13.
    assert_eq!(int_fn(&jit, "foo")(2), 13);
}

/// One thread calls `val` in a tight loop three ways (the entry directly, a pointer saved
/// before any reload, a pointer stored in JIT data) while this thread reloads it thousands of
/// times. Generation K's body returns `K * 1_000_003 + K`: a call that mixed two generations,
/// or ran a half-written body, would return something else.
#[test]
fn concurrent_calls_always_see_a_whole_generation() {
    const RELOADS: i64 = 2000;
    let mut jit = reloadable();
    jit.add_source(
        "val.c",
        "long val(void) { return 0; }\n\
         long (*val_ptr)(void) = val;\n\
         long via_data(void) { return val_ptr(); }",
    )
    .unwrap();
    type LongFn = extern "C" fn() -> i64;
    // SAFETY: both are `long f(void)`.
    let direct: LongFn = unsafe { jit.function("val") }.unwrap();
    let via_data: LongFn = unsafe { jit.function("via_data") }.unwrap();
    let saved = direct;
    let stop = Arc::new(AtomicBool::new(false));
    let caller = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut last = 0i64;
            let mut calls = 0u64;
            while !stop.load(Ordering::Relaxed) {
                for f in [direct, saved, via_data] {
                    let v = f();
                    let k = v / 1_000_004;
                    assert_eq!(v, k * 1_000_004, "torn or foreign value {v}");
                    assert!((0..=RELOADS).contains(&k), "unknown generation in {v}");
                    assert!(k >= last, "went back from generation {last} to {k}");
                    last = k;
                    calls += 1;
                }
            }
            (calls, last)
        })
    };
    for k in 1..=RELOADS {
        let src = format!("long val(void) {{ return {k}L * 1000003L + {k}L; }}");
        jit.reload_source("val", "val.c", &src).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let (calls, last) = caller.join().expect("caller thread");
    assert!(calls > 0);
    assert!(last <= RELOADS);
    assert_eq!(direct(), RELOADS * 1_000_004);
    assert_eq!(
        jit.low_level()
            .session()
            .reload_func("val")
            .unwrap()
            .bodies
            .len() as i64,
        RELOADS + 1
    );
}

const TWO: &str = r#"
int foo(int x) { return x + 1; }
int bar(int x) { return x * 2; }
int both(int x) { return foo(x) + bar(x); }
"#;

/// Compiles one replacement file.
fn object(jit: &Jit, filename: &str, source: &str) -> Object {
    jit.compile(filename, source).expect("replacement compiles")
}

#[test]
fn two_functions_reload_as_one_generation() {
    let mut jit = reloadable();
    jit.add_source("two.c", TWO).unwrap();
    let (foo_addr, bar_addr) = (jit.lookup("foo"), jit.lookup("bar"));
    assert_eq!(int_fn(&jit, "both")(3), 4 + 6);
    let gen = jit.generation();
    let gdb_entries = jit.low_level().gdb_jit_entries().len();

    let foo2 = object(&jit, "foo2.c", "int foo(int x) { return x + 100; }");
    let bar2 = object(&jit, "bar2.c", "int bar(int x) { return x * 1000; }");
    jit.reload_functions(&[("foo", &foo2), ("bar", &bar2)])
        .unwrap();

    assert_eq!(jit.generation(), gen + 1, "the batch is one generation");
    assert_eq!(
        jit.low_level().gdb_jit_entries().len(),
        gdb_entries + 1,
        "registered with debuggers once"
    );
    assert_eq!((jit.lookup("foo"), jit.lookup("bar")), (foo_addr, bar_addr));
    assert_eq!(int_fn(&jit, "foo")(3), 103);
    assert_eq!(int_fn(&jit, "bar")(3), 3000);
    assert_eq!(int_fn(&jit, "both")(3), 103 + 3000, "old callers see both");
}

#[test]
fn a_batch_with_a_bad_member_changes_nothing() {
    let mut jit = reloadable();
    jit.add_source("two.c", TWO).unwrap();
    let good_foo = object(&jit, "foo2.c", "int foo(int x) { return x + 100; }");
    for (bad, expect) in [
        ("int bar(double x) { return x * 1000; }", "parameter"),
        (
            "static int n; int bar(int x) { return x * n++; }",
            "writable data",
        ),
    ] {
        let gen = jit.generation();
        let addrs = (jit.lookup("foo"), jit.lookup("bar"));
        let bad = object(&jit, "bar_bad.c", bad);
        let err = jit
            .reload_functions(&[("foo", &good_foo), ("bar", &bad)])
            .unwrap_err();
        assert!(matches!(err, Error::Reload(_)), "{err:?}");
        assert!(
            err.to_string().contains(expect),
            "expected `{expect}` in: {err}"
        );
        assert!(
            err.to_string().contains("`bar`"),
            "the error names the function: {err}"
        );
        assert_eq!(int_fn(&jit, "foo")(3), 4, "foo keeps its old body");
        assert_eq!(jit.generation(), gen);
        assert_eq!((jit.lookup("foo"), jit.lookup("bar")), addrs);
    }
    // The image is intact: a good batch still works.
    let good_bar = object(&jit, "bar2.c", "int bar(int x) { return x * 1000; }");
    jit.reload_functions(&[("foo", &good_foo), ("bar", &good_bar)])
        .unwrap();
    assert_eq!(int_fn(&jit, "both")(3), 103 + 3000);
}

#[test]
fn a_batch_naming_a_function_twice_is_refused() {
    let mut jit = reloadable();
    jit.add_source("two.c", TWO).unwrap();
    let gen = jit.generation();
    let a = object(&jit, "a.c", "int foo(int x) { return 1; }");
    let b = object(&jit, "b.c", "int foo(int x) { return 2; }");
    let err = jit
        .reload_functions(&[("foo", &a), ("foo", &b)])
        .unwrap_err();
    assert!(matches!(err, Error::Reload(_)), "{err:?}");
    assert!(err.to_string().contains("twice"), "{err}");
    assert_eq!(int_fn(&jit, "foo")(3), 4);
    assert_eq!(jit.generation(), gen);
}

const COUNTER: &str = r#"
static int count;
static int bump(int by) { count += by; return count; }
int up(void) { return bump(1); }
int down(void) { return bump(-1); }
int current(void) { return count; }
"#;

/// What `cfree dbg`'s `reload` compiles for `name`: the function's whole (edited) file with
/// only `name` emitted, so the file's statics are references to the live ones.
fn only_function(file: &str, source: &str, name: &str) -> Object {
    let opts = cfree::CompileOptions {
        only_function: Some(name.to_owned()),
        ..Default::default()
    };
    let out = cfree::compile(
        &cfree::Source::Text {
            name: file,
            text: source,
        },
        &opts,
    )
    .expect("the edited file compiles");
    Object::from_elf(file, out.object)
}

#[test]
fn functions_of_one_file_reloaded_together_keep_sharing_its_statics() {
    let mut jit = reloadable();
    jit.add_source("counter.c", COUNTER).unwrap();
    let call = |jit: &Jit, name| {
        // SAFETY: up, down and current are `int f(void)`.
        let f: extern "C" fn() -> i32 = unsafe { jit.function(name) }.unwrap();
        f()
    };
    assert_eq!(call(&jit, "up"), 1);

    let edited = COUNTER
        .replace("bump(1)", "bump(10)")
        .replace("return bump(-1);", "count -= 100; return count;");
    let up = only_function("counter.c", &edited, "up");
    let down = only_function("counter.c", &edited, "down");
    jit.reload_functions(&[("up", &up), ("down", &down)])
        .unwrap();

    // Both new bodies, the old static helper and the untouched `current` use one `count`.
    assert_eq!(call(&jit, "up"), 11);
    assert_eq!(call(&jit, "down"), -89);
    assert_eq!(call(&jit, "current"), -89);
}

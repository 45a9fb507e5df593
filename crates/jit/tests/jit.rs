//! The JIT end to end on objects built by the system gcc.

mod common;

use std::ffi::{c_char, c_int, c_void};
use std::sync::Mutex;

use cfree_jit::{Jit, JitError, JitOptions, MappingMode};
use cfree_link::{LinkError, LinkMemory};
use common::{cc, cc_unwind};

const A_C: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

int counter;                          /* tentative: COMMON under -fcommon, also in b.c */
int table[4] = {10, 20, 30, 40};
static const char *names[] = {"zero", "one", "two"};
extern int twice(int);
extern int bss_arr[100];
int (*fptrs[2])(int) = {twice, 0};    /* function address from the other file */
int *gptrs[2] = {&table[2], &counter};/* addresses of other globals */
int ctor_ran;

__attribute__((constructor)) static void init(void) { ctor_ran = 42; }

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int sort_digits(void) {
    int v[5] = {5, 3, 9, 1, 7};
    qsort(v, 5, sizeof v[0], cmp);
    int r = 0;
    for (int i = 0; i < 5; i++) r = r * 10 + v[i];
    return r;
}

const char *name_of(int i) { return names[i]; }

int use_all(void) {
    return fptrs[0](*gptrs[0]) + (int)strlen(name_of(2)) + ctor_ran + bss_arr[99] + *gptrs[1];
}

double do_sin(double x) { return sin(x); }

int print_it(char *buf, unsigned long n) {
    int a = printf("cfree jit test says %s %d\n", names[1], counter);
    fflush(stdout);
    int b = snprintf(buf, n, "%s-%d-%.2f", names[2], table[3], 1.5);
    return a * 1000 + b;
}

int get_counter(void) { return counter; }
void bump(void) { counter++; bss_arr[99] += 2; }

int main(int argc, char **argv, char **envp) {
    int env = envp && envp[0] ? 1 : 0;
    return argc * 100 + (int)strlen(argv[1]) * 10 + env + (argv[argc] == 0 ? 0 : 5);
}
"#;

const B_C: &str = r#"
int counter;
int bss_arr[100];
int initialized_zero = 0;
static int scratch[64];
int *scratch_ptr(void) { return scratch; }
int twice(int x) { return 2 * x; }
"#;

/// Transmute an image address to a function pointer type.
///
/// # Safety
/// `addr` must be the address of a function with signature `F`.
unsafe fn func<F: Copy>(addr: *const u8) -> F {
    assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
    std::mem::transmute_copy::<usize, F>(&(addr as usize))
}

fn small_jit() -> Jit {
    Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        ..JitOptions::default()
    })
    .unwrap()
}

fn check_two_file_program(mut jit: Jit) {
    assert_eq!(jit.generation(), 1);
    jit.run_constructors().unwrap();
    let sym = |n: &str| jit.lookup(n).unwrap_or_else(|| panic!("{n} undefined"));
    // SAFETY (all calls below): each symbol is a C function with the stated signature.
    unsafe {
        let sort_digits: extern "C" fn() -> c_int = func(sym("sort_digits"));
        assert_eq!(sort_digits(), 13579, "qsort with a JIT comparator");
        let use_all: extern "C" fn() -> c_int = func(sym("use_all"));
        assert_eq!(
            use_all(),
            60 + 3 + 42,
            "cross-file data, function pointers, ctor"
        );
        let bump: extern "C" fn() = func(sym("bump"));
        bump();
        let get_counter: extern "C" fn() -> c_int = func(sym("get_counter"));
        assert_eq!(get_counter(), 1);
        assert_eq!(
            use_all(),
            60 + 3 + 42 + 2 + 1,
            "COMMON and .bss shared across files"
        );
        let do_sin: extern "C" fn(f64) -> f64 = func(sym("do_sin"));
        assert_eq!(do_sin(0.5), 0.5f64.sin(), "libm without -lm");
        let print_it: extern "C" fn(*mut c_char, usize) -> c_int = func(sym("print_it"));
        let mut buf = [0u8; 64];
        let r = print_it(buf.as_mut_ptr().cast(), buf.len());
        let printed = "cfree jit test says one 1\n".len() as c_int;
        assert_eq!(r, printed * 1000 + 11);
        assert_eq!(&buf[..12], b"two-40-1.50\0");
        let scratch_ptr: extern "C" fn() -> *const c_int = func(sym("scratch_ptr"));
        assert_eq!(*scratch_ptr().add(63), 0, ".bss is zero");
    }
    // Data initialised with addresses, read back from memory.
    let fptrs = sym("fptrs") as u64;
    let mut word = [0u8; 8];
    jit.memory().read(fptrs, &mut word).unwrap();
    assert_eq!(u64::from_le_bytes(word), sym("twice") as u64);
    let gptrs = sym("gptrs") as u64;
    jit.memory().read(gptrs + 8, &mut word).unwrap();
    assert_eq!(u64::from_le_bytes(word), sym("counter") as u64);
    assert_eq!(
        jit.addr_to_sym(sym("sort_digits").wrapping_add(3)),
        Some(("sort_digits", 3))
    );
    let zero = sym("initialized_zero") as u64;
    let mut four = [0xffu8; 4];
    jit.memory().read(zero, &mut four).unwrap();
    assert_eq!(four, [0; 4]);
}

#[test]
fn two_file_program_without_unwind_tables() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc("a.c", A_C), cc("b.c", B_C)])
        .unwrap();
    check_two_file_program(jit);
}

#[test]
fn two_file_program_with_unwind_tables() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc_unwind("a.c", A_C), cc_unwind("b.c", B_C)])
        .unwrap();
    check_two_file_program(jit);
}

#[test]
fn two_file_program_with_mprotect_fallback() {
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        mapping: MappingMode::MprotectCycle,
        ..JitOptions::default()
    })
    .unwrap();
    assert!(!jit.memory().is_dual_mapped());
    jit.add_objects(vec![cc("a.c", A_C), cc("b.c", B_C)])
        .unwrap();
    check_two_file_program(jit);
}

#[test]
fn run_main_passes_argv_and_environment() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc("a.c", A_C), cc("b.c", B_C)])
        .unwrap();
    let status = jit
        .run_main(&["prog".to_string(), "hello".to_string()])
        .unwrap();
    let env = i32::from(std::env::vars_os().next().is_some());
    assert_eq!(status, 2 * 100 + 5 * 10 + env);
    let err = jit.run_main(&["a\0b".to_string()]).unwrap_err();
    assert!(matches!(err, JitError::InvalidArgument { index: 0 }));

    let mut empty = small_jit();
    empty.add_objects(vec![cc("b.c", B_C)]).unwrap();
    assert!(matches!(
        empty.run_main(&["prog"]),
        Err(JitError::MainUndefined)
    ));
}

#[test]
fn explicit_libm_and_missing_library() {
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        libraries: vec!["m".into()],
        ..JitOptions::default()
    })
    .unwrap();
    assert!(jit
        .resolver()
        .libraries()
        .iter()
        .any(|l| l.name == "m" && l.path.to_string_lossy().contains("libm.so")));
    jit.add_objects(vec![cc(
        "m.c",
        "#include <math.h>\ndouble root(double x) { return sqrt(x) + cbrt(x); }\n",
    )])
    .unwrap();
    // SAFETY: `root` is double(double).
    let root: extern "C" fn(f64) -> f64 = unsafe { func(jit.lookup("root").unwrap()) };
    assert_eq!(root(64.0), 8.0 + 4.0);

    let err = Jit::new(JitOptions {
        libraries: vec!["cfree_no_such_lib".into()],
        library_dirs: vec!["/tmp/cfree-no-such-dir".into()],
        ..JitOptions::default()
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("-lcfree_no_such_lib"), "{msg}");
    assert!(msg.contains("/tmp/cfree-no-such-dir"), "{msg}");
}

#[test]
fn undefined_symbols_fail_transactionally() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc("b.c", B_C)]).unwrap();
    let twice = jit.lookup("twice");
    let u = cc(
        "u.c",
        r#"
extern int no_such_function_cfree(int);
extern int no_such_data_cfree;
int caller_of_missing(int x) { return no_such_function_cfree(x) + 1; }
int reader(void) { return no_such_data_cfree; }
"#,
    );
    let err = jit.add_objects(vec![u]).unwrap_err();
    let msg = err.to_string();
    let JitError::Link(LinkError::Undefined(list)) = &err else {
        panic!("{msg}");
    };
    assert_eq!(
        list.names(),
        vec!["no_such_function_cfree", "no_such_data_cfree"]
    );
    assert!(msg.contains("u.o:.text"), "{msg}");
    assert!(
        msg.contains("caller_of_missing") && msg.contains("reader"),
        "{msg}"
    );
    assert_eq!(jit.generation(), 1);
    assert_eq!(jit.lookup("twice"), twice);
    assert_eq!(jit.lookup("caller_of_missing"), None);
    // The image still grows normally afterwards.
    jit.add_objects(vec![cc("c.c", "int later(void) { return 5; }\n")])
        .unwrap();
    assert_eq!(jit.generation(), 2);
}

#[test]
fn duplicate_definitions_are_rejected() {
    let mut jit = small_jit();
    let err = jit
        .add_objects(vec![
            cc("b.c", B_C),
            cc("dup.c", "int twice(int x) { return x + x; }\n"),
        ])
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, JitError::Link(LinkError::DuplicateDefinition { .. })),
        "{msg}"
    );
    assert!(
        msg.contains("`twice`") && msg.contains("b.o") && msg.contains("dup.o"),
        "{msg}"
    );
    assert_eq!(jit.generation(), 0);
    assert_eq!(jit.lookup("twice"), None);
}

#[test]
fn capacity_exhaustion_is_an_error_and_changes_nothing() {
    let page = cfree_jit::host_page_size();
    let mut jit = Jit::new(JitOptions {
        reserve_rx: page,
        reserve_r: page,
        reserve_rw: page,
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_objects(vec![cc("small.c", "int small(void) { return 1; }\n")])
        .unwrap();
    let small = jit.lookup("small");
    let mut big = String::new();
    for i in 0..600 {
        big.push_str(&format!(
            "int f{i}(int x) {{ return x * {i} + {}; }}\n",
            i * 7
        ));
    }
    let err = jit.add_objects(vec![cc("big.c", &big)]).unwrap_err();
    assert!(
        matches!(
            err,
            JitError::Link(LinkError::CapacityExhausted {
                class: cfree_link::SegmentClass::Rx,
                ..
            })
        ),
        "{err}"
    );
    assert_eq!(jit.generation(), 1);
    assert_eq!(jit.lookup("small"), small);
    assert_eq!(jit.lookup("f0"), None);
}

#[test]
fn append_calls_into_earlier_objects() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc(
        "first.c",
        "int base_val = 7;\nint get_base(void) { return base_val; }\n",
    )])
    .unwrap();
    let get_base = jit.lookup("get_base").unwrap();
    let base_val = jit.lookup("base_val").unwrap();
    jit.add_objects(vec![cc(
        "second.c",
        "extern int base_val;\nint get_base(void);\nint plus(int x) { return get_base() * 100 + base_val + x; }\n",
    )])
    .unwrap();
    assert_eq!(jit.generation(), 2);
    assert_eq!(
        jit.lookup("get_base"),
        Some(get_base),
        "old address unchanged"
    );
    assert_eq!(jit.lookup("base_val"), Some(base_val));
    let plus = jit.lookup("plus").unwrap();
    // SAFETY: `plus` is int(int).
    let f: extern "C" fn(c_int) -> c_int = unsafe { func(plus) };
    assert_eq!(f(1), 708);
    assert_eq!(
        jit.addr_to_sym(get_base.wrapping_add(1)),
        Some(("get_base", 1))
    );
    assert_eq!(jit.addr_to_sym(plus.wrapping_add(2)), Some(("plus", 2)));
    let names: Vec<_> = jit
        .session()
        .symbols()
        .map(|s| s.name.to_string())
        .collect();
    assert!(names.contains(&"get_base".to_string()) && names.contains(&"plus".to_string()));
}

/// Mappings from /proc/self/maps overlapping [lo, hi): (start, end, perms).
fn mappings_in(lo: u64, hi: u64) -> Vec<(u64, u64, String)> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let range = parts.next()?;
            let perms = parts.next()?.to_string();
            let (s, e) = range.split_once('-')?;
            let s = u64::from_str_radix(s, 16).ok()?;
            let e = u64::from_str_radix(e, 16).ok()?;
            (s < hi && lo < e).then_some((s, e, perms))
        })
        .collect()
}

#[test]
fn no_mapping_is_writable_and_executable() {
    for mode in [MappingMode::DualMapping, MappingMode::MprotectCycle] {
        let mut jit = Jit::new(JitOptions {
            reserve_rx: 1 << 20,
            reserve_r: 1 << 20,
            reserve_rw: 1 << 20,
            mapping: mode,
            ..JitOptions::default()
        })
        .unwrap();
        jit.add_objects(vec![cc("a.c", A_C), cc("b.c", B_C)])
            .unwrap();
        // Append more code onto the already-executable page.
        jit.add_objects(vec![cc("more.c", "int more(void) { return 3; }\n")])
            .unwrap();
        let base = jit.memory().base();
        let end = base + jit.memory().len();
        let mut ranges = vec![(base, end)];
        ranges.extend(jit.memory().alias_range());
        for (lo, hi) in ranges {
            for (s, e, perms) in mappings_in(lo, hi) {
                assert!(
                    !(perms.contains('w') && perms.contains('x')),
                    "{mode:?}: {s:#x}-{e:#x} is {perms}"
                );
            }
        }
        for f in ["sort_digits", "more", "twice"] {
            let addr = jit.lookup(f).unwrap() as u64;
            let maps = mappings_in(addr, addr + 1);
            assert_eq!(maps.len(), 1, "{mode:?}: {f}");
            assert!(
                maps[0].2.starts_with("r-x"),
                "{mode:?}: {f} is {}",
                maps[0].2
            );
        }
        let data = jit.lookup("table").unwrap() as u64;
        assert!(mappings_in(data, data + 1)[0].2.starts_with("rw-"));
        if mode == MappingMode::DualMapping {
            // Between link steps there is no writable alias at all, and the view is private
            // (`p`): nothing the program can write reaches its code.
            assert_eq!(jit.memory().alias_range(), None);
            assert!(
                mappings_in(base, end).iter().all(|m| m.2.ends_with('p')),
                "{:?}",
                mappings_in(base, end)
            );
            // SAFETY: `more` is int(void).
            let more: extern "C" fn() -> c_int = unsafe { func(jit.lookup("more").unwrap()) };
            assert_eq!(more(), 3);
        }
    }
}

static FRAMES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

extern "C" {
    fn backtrace(buffer: *mut *mut c_void, size: c_int) -> c_int;
}

extern "C" fn capture_frames(x: c_int) -> c_int {
    let mut buf = [std::ptr::null_mut::<c_void>(); 64];
    // SAFETY: glibc backtrace writes at most `size` entries into `buf`.
    let n = unsafe { backtrace(buf.as_mut_ptr(), buf.len() as c_int) };
    let mut frames = FRAMES.lock().unwrap();
    frames.clear();
    frames.extend(buf[..n.max(0) as usize].iter().map(|p| *p as usize));
    x * 2
}

#[test]
fn unwinds_through_jit_frames() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc_unwind(
        "cb.c",
        "int call_back(int (*cb)(int), int x) { int r = cb(x); return r + 1; }\n",
    )])
    .unwrap();
    let base = jit.memory().base() as usize;
    let end = base + jit.memory().len() as usize;
    // SAFETY: `call_back` is int(int (*)(int), int).
    let call_back: extern "C" fn(extern "C" fn(c_int) -> c_int, c_int) -> c_int =
        unsafe { func(jit.lookup("call_back").unwrap()) };
    assert_eq!(call_back(capture_frames, 20), 41);
    let frames = FRAMES.lock().unwrap().clone();
    let jit_frame = frames
        .iter()
        .position(|&ip| (base..end).contains(&ip))
        .expect("a JIT frame on the stack");
    assert_eq!(
        jit.addr_to_sym((frames[jit_frame] - 1) as *const u8)
            .map(|s| s.0),
        Some("call_back")
    );
    assert!(
        frames[jit_frame + 1..]
            .iter()
            .any(|&ip| !(base..end).contains(&ip)),
        "the unwinder continued past the JIT frame: {frames:x?}"
    );
}

static EVENTS: Mutex<Vec<c_int>> = Mutex::new(Vec::new());

extern "C" fn record(v: c_int) {
    EVENTS.lock().unwrap().push(v);
}

#[test]
fn destructors_and_atexit_handlers_run_when_the_jit_is_dropped() {
    let mut jit = small_jit();
    jit.add_symbol("record", record as *const u8);
    jit.add_objects(vec![cc(
        "dtor.c",
        r#"
#include <stdlib.h>
extern void record(int);
__attribute__((constructor)) static void ctor(void) { record(10); }
__attribute__((destructor)) static void dtor(void) { record(1); }
static void handler(void) { record(2); }
int install(void) { return atexit(handler); }
"#,
    )])
    .unwrap();
    jit.run_constructors().unwrap();
    jit.run_constructors().unwrap();
    assert_eq!(*EVENTS.lock().unwrap(), vec![10], "constructors run once");
    // SAFETY: `install` is int(void).
    let install: extern "C" fn() -> c_int = unsafe { func(jit.lookup("install").unwrap()) };
    assert_eq!(install(), 0);
    drop(jit);
    assert_eq!(
        *EVENTS.lock().unwrap(),
        vec![10, 2, 1],
        "atexit handler (registered later) runs before the destructor"
    );
}

#[test]
fn oversized_reservation_is_rejected() {
    let err = Jit::new(JitOptions {
        reserve_rx: 1 << 31,
        ..JitOptions::default()
    })
    .unwrap_err();
    assert!(matches!(err, JitError::Options(_)), "{err}");
}

/// Calls libc functions and takes a libc function's address, but touches no libc *data*
/// (gcc -fPIE reads `stdout` & co. PC-relatively, which needs the image within ±2 GiB of libc).
const FAR_C: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
int far_test(char *buf, unsigned long n) {
    int v[5] = {5, 3, 9, 1, 7};
    qsort(v, 5, sizeof v[0], cmp);
    int r = 0;
    for (int i = 0; i < 5; i++) r = r * 10 + v[i];
    int k = snprintf(buf, n, "%d %.3f", r, sin(0.5));
    return (int)strlen(buf) == k ? r : -1;
}
int (*get_puts(void))(const char *) { return puts; }
"#;

#[test]
fn far_image_calls_libc_through_stubs() {
    // Ask for an image far (> 2 GiB) from libc, so calls to libc need linker stubs.
    let puts_addr = jit_resolve("puts");
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        address_hint: Some(0x1000_0000_0000),
        ..JitOptions::default()
    })
    .unwrap();
    let base = jit.memory().base();
    if base.abs_diff(puts_addr) < (1 << 32) {
        eprintln!("kernel ignored the address hint; stub path not exercised");
        return;
    }
    jit.add_objects(vec![cc("far.c", FAR_C)]).unwrap();
    let stubs = jit
        .session()
        .relocs()
        .iter()
        .filter(|r| matches!(r.via, cfree_link::RelocVia::Stub(_)))
        .count();
    assert!(
        stubs >= 3,
        "qsort, snprintf, strlen go through stubs ({stubs})"
    );
    let mut buf = [0u8; 32];
    // SAFETY: far_test is int(char *, unsigned long); get_puts returns puts.
    unsafe {
        let far_test: extern "C" fn(*mut c_char, usize) -> c_int =
            func(jit.lookup("far_test").unwrap());
        assert_eq!(far_test(buf.as_mut_ptr().cast(), buf.len()), 13579);
        let get_puts: extern "C" fn() -> usize = func(jit.lookup("get_puts").unwrap());
        assert_eq!(
            get_puts() as u64,
            puts_addr,
            "GOT cell holds the real address"
        );
    }
    assert_eq!(&buf[..11], b"13579 0.479");
    let stub = jit
        .session()
        .symbols()
        .find(|s| s.name == "qsort@plt")
        .map(|s| s.addr)
        .expect("qsort stub");
    assert_eq!(jit.addr_to_sym(stub as *const u8), Some(("qsort@plt", 0)));
}

fn jit_resolve(name: &str) -> u64 {
    use cfree_link::SymbolResolver;
    cfree_jit::HostResolver::new().resolve(name).unwrap()
}

#[test]
fn jit_can_move_to_a_worker_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Jit>();
    let mut jit = small_jit();
    jit.add_objects(vec![cc("b.c", B_C)]).unwrap();
    let r = std::thread::spawn(move || {
        // SAFETY: `twice` is int(int).
        let twice: extern "C" fn(c_int) -> c_int = unsafe { func(jit.lookup("twice").unwrap()) };
        twice(21)
    })
    .join()
    .unwrap();
    assert_eq!(r, 42);
}

const TLS_A: &str = r#"
__thread int tv = 5;
__thread char tbuf[64];
int get_tv(void) { return tv; }
void add_tv(int v) { tv += v; tbuf[63] += 1; }
int get_tbuf_end(void) { return tbuf[63]; }
"#;

const TLS_B: &str = r#"
extern __thread int tv;
int tv_twice(void) { return tv * 2; }
"#;

#[test]
fn gcc_general_dynamic_tls_is_per_thread() {
    let mut jit = small_jit();
    let gd = ["-fPIC", "-ftls-model=global-dynamic"];
    jit.add_objects(vec![common::compile("tls_a.c", TLS_A, &gd)])
        .unwrap();
    // A later append reaches the first one's thread-local through its own GD sequence.
    jit.add_objects(vec![common::compile("tls_b.c", TLS_B, &gd)])
        .unwrap();
    let sym = |n: &str| jit.lookup(n).unwrap() as usize;
    let (get, add, end, twice) = (
        sym("get_tv"),
        sym("add_tv"),
        sym("get_tbuf_end"),
        sym("tv_twice"),
    );
    let run = move |k: c_int| {
        // SAFETY: the symbols are C functions with these signatures.
        unsafe {
            let get: extern "C" fn() -> c_int = func(get as *const u8);
            let add: extern "C" fn(c_int) = func(add as *const u8);
            let end: extern "C" fn() -> c_int = func(end as *const u8);
            let twice: extern "C" fn() -> c_int = func(twice as *const u8);
            assert_eq!(get(), 5, "each thread starts from the template");
            for _ in 0..k {
                add(1);
            }
            (get(), end(), twice())
        }
    };
    let threads: Vec<_> = (1..=4)
        .map(|k| std::thread::spawn(move || run(k * 10)))
        .collect();
    let main = run(3);
    for (k, t) in (1..=4).zip(threads) {
        assert_eq!(t.join().unwrap(), (5 + k * 10, k * 10, 2 * (5 + k * 10)));
    }
    assert_eq!(main, (8, 3, 16));
}

#[test]
fn gcc_static_tls_models_fail_naming_the_relocation() {
    let mut jit = small_jit();
    // -fPIE selects local-exec; the default -fPIC model for statics is local-dynamic.
    let le = common::compile("tls_le.c", TLS_A, &[]);
    let err = jit.add_objects(vec![le]).unwrap_err().to_string();
    assert!(
        err.contains("R_X86_64_TPOFF32") && err.contains("tv"),
        "{err}"
    );
    let ld = common::compile(
        "tls_ld.c",
        "static __thread int sv; int bump(void) { return ++sv; }",
        &["-fPIC"],
    );
    let err = jit.add_objects(vec![ld]).unwrap_err().to_string();
    assert!(err.contains("R_X86_64_TLSLD"), "{err}");
    assert_eq!(jit.generation(), 0);
}

//! Differential tests: every C program in `tests/c/` (and every multi-file program in a
//! directory `tests/c/multi/NAME/`) is built by the system `gcc` and run; its stdout, its
//! stderr and its exit status are the expected result. The same program is then run with
//! `cfree run` (at the default optimisation level, again at `-O2` and again with `-flazy`,
//! every function compiled on its first call) and all must match.
//! Nothing is expected by hand.
//!
//! Directives, in the first lines of a program (for a multi-file program: of any of its files):
//! * `// cfree-args: -lm -DX=1`: compiler arguments given to both gcc and cfree;
//! * `// cfree-run-args: a b c`: arguments for the program (after `--` for cfree).
//!
//! Both compilers also get `-w` and `-I tests/c/include`. Each run has a 10 s deadline.
//!
//! Adding a program: put it in `tests/c/` (or a directory in `tests/c/multi/`) and add its
//! name to the `corpus!` list below; `corpus_list_is_complete` fails until you do.
//! `CFREE_TEST_COMPILER` replaces cfree by another compiler (see `tests/common/mod.rs`).

mod common;

use common::{first_difference, head_lines, run_with_timeout, Compiler, Outcome, Status};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);
const GCC_TIMEOUT: Duration = Duration::from_secs(120);

fn corpus_dir() -> PathBuf {
    common::repo_root().join("tests/c")
}

/// A program of the corpus: its sources and directives.
struct Program {
    name: String,
    files: Vec<PathBuf>,
    compile_args: Vec<String>,
    run_args: Vec<String>,
}

impl Program {
    fn load(name: &str, multi: bool) -> Program {
        let files = if multi {
            let dir = corpus_dir().join("multi").join(name);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "c"))
                .collect();
            files.sort();
            assert!(!files.is_empty(), "{} holds no .c file", dir.display());
            files
        } else {
            let file = corpus_dir().join(format!("{name}.c"));
            assert!(file.is_file(), "{} is missing", file.display());
            vec![file]
        };
        let mut compile_args = Vec::new();
        let mut run_args = Vec::new();
        for f in &files {
            // Lossy: a program may hold non-UTF-8 bytes (latin1_literals.c).
            let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
            for line in text.lines().take(10) {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("// cfree-args:") {
                    compile_args.extend(rest.split_whitespace().map(String::from));
                } else if let Some(rest) = line.strip_prefix("// cfree-run-args:") {
                    run_args.extend(rest.split_whitespace().map(String::from));
                }
            }
        }
        Program {
            name: if multi {
                format!("multi/{name}")
            } else {
                name.to_string()
            },
            files,
            compile_args,
            run_args,
        }
    }

    fn include_arg() -> String {
        format!("-I{}", corpus_dir().join("include").display())
    }
}

/// The result of the gcc-built program, computed once per program and shared by its tests.
fn expected(prog: &Program, target: Option<&str>) -> Arc<Result<Outcome, String>> {
    type Cache = Mutex<HashMap<String, Arc<OnceLock<Arc<Result<Outcome, String>>>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cell = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry(format!("{} {}", prog.name, target.unwrap_or("host")))
        .or_default()
        .clone();
    cell.get_or_init(|| Arc::new(build_with_gcc(prog, target)))
        .clone()
}

/// The program built by gcc (`target`'s cross gcc, run under qemu-user, for another target).
fn build_with_gcc(prog: &Program, target: Option<&str>) -> Result<Outcome, String> {
    let dir = common::scratch_dir(&format!("differential-gcc-{}", target.unwrap_or("host")));
    let exe = dir.join(prog.name.replace('/', "__"));
    let gcc = target.map_or("gcc".to_string(), |t| format!("{t}-gcc"));
    let mut cmd = Command::new(&gcc);
    cmd.args(["-std=gnu11", "-w", "-O0"])
        .arg(Program::include_arg())
        .args(&prog.files)
        .args(&prog.compile_args)
        .arg("-o")
        .arg(&exe);
    let built = run_with_timeout(cmd, GCC_TIMEOUT);
    if !built.status.success() {
        return Err(format!(
            "gcc could not build {} ({}): the program itself is broken\n{}",
            prog.name,
            built.status,
            head_lines(&built.stderr_text(), 30)
        ));
    }
    let mut cmd = match target {
        None => Command::new(&exe),
        Some(t) => {
            let arch = t.split('-').next().unwrap_or(t);
            let mut c = Command::new(format!("qemu-{arch}"));
            c.arg("-L").arg(format!("/usr/{t}")).arg(&exe);
            c
        }
    };
    cmd.args(&prog.run_args).current_dir(&dir);
    let ran = run_with_timeout(cmd, TIMEOUT);
    if matches!(ran.status, Status::TimedOut | Status::SpawnFailed(_)) {
        return Err(format!(
            "the gcc-built {} {}: the program itself is broken",
            prog.name, ran.status
        ));
    }
    Ok(ran)
}

/// Runs one program of the corpus with cfree (for `target`, or the host) and compares it with
/// gcc's build for the same target.
fn check(name: &str, multi: bool, opt: Option<&str>) {
    check_for(name, multi, opt, None)
}

fn check_for(name: &str, multi: bool, opt: Option<&str>, target: Option<&str>) {
    let prog = Program::load(name, multi);
    let expected = expected(&prog, target);
    let expected = match (&*expected, target) {
        (Ok(o), _) => o,
        // A program gcc cannot build for another target (x86 assembly) must be on that
        // target's list, like any other difference.
        (Err(e), Some(_)) => {
            let key = format!("{}{name} -O0", if multi { "multi/" } else { "" });
            let list = known_failures_file(target);
            assert!(
                known_failures(&list).contains(&key),
                "{e}\n(list it in {list})"
            );
            return;
        }
        (Err(e), None) => panic!("{e}"),
    };
    let compiler = match target {
        None => Compiler::from_env(),
        Some(t) => Compiler::cross(t),
    };
    if opt == Some("-flazy") && compiler.is_overridden() {
        // `-flazy` is cfree's own; another compiler has nothing to run here.
        return;
    }
    let mut options = vec!["-w".to_string(), Program::include_arg()];
    options.extend(opt.map(String::from));
    options.extend(prog.compile_args.iter().cloned());
    let cwd = common::scratch_dir("differential-run");
    let actual = compiler.run(&options, &prog.files, &prog.run_args, &cwd, TIMEOUT);

    let mut problems = Vec::new();
    if actual.status != expected.status {
        problems.push(format!(
            "status: expected {}, got {}\n",
            expected.status, actual.status
        ));
    }
    problems.extend(first_difference("stdout", &expected.stdout, &actual.stdout));
    problems.extend(first_difference("stderr", &expected.stderr, &actual.stderr));
    // The ratchet: a listed program must still fail (else the list is stale), and only
    // listed programs may fail.
    // Lazy compilation must fail exactly where eager compilation does.
    let key = format!(
        "{}{} {}",
        if multi { "multi/" } else { "" },
        name,
        match opt {
            None | Some("-flazy") => "-O0",
            Some(o) => o,
        }
    );
    // The list describes cfree: with CFREE_TEST_COMPILER every program must match gcc.
    let list = known_failures_file(target);
    if !compiler.is_overridden() && known_failures(&list).contains(&key) {
        assert!(
            !problems.is_empty(),
            "{key} now matches gcc: remove it from {list}"
        );
        eprintln!("{key}: known failure ({})", problems[0].trim_end());
        return;
    }
    if !problems.is_empty() {
        panic!(
            "\n{} {} ({}): differs from gcc -O0\n  compiler: {}\n  command:  {:?}\n{}  stderr of the compiler under test:\n{}",
            prog.name,
            target.unwrap_or("host"),
            opt.unwrap_or("(default optimisation)"),
            compiler.describe(),
            compiler.command(&options, &prog.files, &prog.run_args),
            problems
                .iter()
                .map(|p| format!("  {p}"))
                .collect::<String>(),
            head_lines(&actual.stderr_text(), 20)
        );
    }
}

macro_rules! corpus {
    (single: [$($s:ident),* $(,)?], multi: [$($m:ident),* $(,)?] $(,)?) => {
        const SINGLE: &[&str] = &[$(stringify!($s)),*];
        const MULTI: &[&str] = &[$(stringify!($m)),*];
        mod single {
            $(
                mod $s {
                    #[test]
                    fn o0() {
                        crate::check(stringify!($s), false, None);
                    }
                    #[test]
                    fn o2() {
                        crate::check(stringify!($s), false, Some("-O2"));
                    }
                    /// Every function compiled on its first call (`cfree run -flazy`).
                    #[test]
                    fn lazy() {
                        crate::check(stringify!($s), false, Some("-flazy"));
                    }
                    /// AArch64: cross gcc and cfree objects both run under qemu-aarch64.
                    #[test]
                    fn aarch64() {
                        crate::check_for(stringify!($s), false, None, Some("aarch64-linux-gnu"));
                    }
                    /// RISC-V 64: the same under qemu-riscv64.
                    #[test]
                    fn riscv64() {
                        crate::check_for(stringify!($s), false, None, Some("riscv64-linux-gnu"));
                    }
                }
            )*
        }
        mod multi {
            $(
                mod $m {
                    #[test]
                    fn o0() {
                        crate::check(stringify!($m), true, None);
                    }
                    #[test]
                    fn o2() {
                        crate::check(stringify!($m), true, Some("-O2"));
                    }
                    #[test]
                    fn lazy() {
                        crate::check(stringify!($m), true, Some("-flazy"));
                    }
                    #[test]
                    fn aarch64() {
                        crate::check_for(stringify!($m), true, None, Some("aarch64-linux-gnu"));
                    }
                    #[test]
                    fn riscv64() {
                        crate::check_for(stringify!($m), true, None, Some("riscv64-linux-gnu"));
                    }
                }
            )*
        }
    };
}

corpus! {
    single: [
        // integers
        int_promotions,
        int_literals,
        shifts_divmod,
        long_long_arith,
        char_arith,
        casts,
        // floating point
        float_arith,
        float_conv,
        float_special,
        hex_float_extremes,
        complex_arith,
        long_double,
        // pointers, arrays, strings
        pointers,
        pointer_compare,
        arrays_multidim,
        string_literals,
        braced_string_init,
        wide_strings,
        // aggregates and types
        structs,
        linked_list,
        unions,
        bitfields,
        bitfield_ops,
        enums,
        enum_types,
        typedefs,
        const_volatile,
        sizeof_alignof,
        generic_selection,
        qualified_types,
        float128,
        compound_literals,
        designated_init,
        static_init_addresses,
        static_locals,
        flexible_array,
        // control flow and operators
        switch_stmt,
        goto_labels,
        loops,
        operators,
        compound_assign,
        incdec,
        short_circuit,
        recursion,
        // functions and calls
        func_pointers,
        qsort_bsearch,
        printf_varargs,
        variadic_defs,
        va_list_pass,
        struct_by_value,
        struct_by_value_large,
        static_inline,
        setjmp_longjmp,
        builtin_setjmp,
        // library and process
        malloc_realloc,
        string_h,
        math_lib,
        argc_argv,
        exit_status_return,
        exit_call,
        atexit_handlers,
        stdio_funcs,
        fork_private_data,
        code_not_writable,
        // GNU extensions and preprocessor
        gnu_stmt_expr_typeof,
        gnu_attributes,
        gnu_case_ranges,
        gnu_builtins,
        attr_abstract_declarator,
        fortify_source,
        asm_x86_cpu,
        asm_x86_ops,
        asm_x86_toplevel,
        asm_goto,
        computed_goto,
        thread_local,
        vla_stack,
        vla_params,
        volatile_access,
        atomics,
        vector_types,
        vector_spellings,
        vector_shuffle,
        vector_convert,
        x86_intrinsics_sse,
        x86_intrinsics_avx2,
        preprocessor,
        include_header,
        // bigger programs
        vm_interpreter,
        hash_table,
        tokenizer,
        matrix_mul,
        sort_bench,
        // reduced from csmith and other outside programs
        csmith_ptr_to_const_global,
        csmith_comma_const_cond,
        bitfield_promotion,
        qualified_ptr_return,
        math_builtins,
        cmdline_macro_order,
        asm_label_redirect,
        attr_alias,
        gnu_syntax_forms,
        decl_spec_orders,
        extended_identifiers,
        attr_cleanup,
        bitfield_pack_align,
        gnu_omitted_operand,
        long_double_classify,
        overflow_builtins,
        // from gcc torture failures (wrong code before)
        flexible_array_static_init,
        builtin_frame_levels,
        const_float_to_int,
        huge_struct_layout,
        latin1_literals,
        builtin_hint_args,
        implicit_library_decl,
        kr_promoted_params,
        empty_compound_literal,
        typeof_typedef_name,
        builtin_choose_expr,
        dead_const_branch,
        overflow_int128_result,
        div_by_zero_sigfpe,
        // GNU nested functions
        nested_functions,
        nested_function_pointers,
        nested_goto,
    ],
    multi: [
        extern_globals,
        static_linkage,
        inline_defs,
    ],
}

/// Every program in tests/c/ must be listed in `corpus!` (and every listed one must exist),
/// so that none is silently left out.
#[test]
fn corpus_list_is_complete() {
    let dir = corpus_dir();
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "c"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut multi_on_disk: Vec<String> = match std::fs::read_dir(dir.join("multi")) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    on_disk.sort();
    multi_on_disk.sort();
    let mut problems = Vec::new();
    let mut compare = |kind: &str, disk: &[String], listed: &[&str], place: &str| {
        for f in disk {
            if !listed.contains(&f.as_str()) {
                problems.push(format!(
                    "{place}{f} is not listed in `corpus!` ({kind}) in tests/differential.rs"
                ));
            }
        }
        for l in listed {
            if !disk.iter().any(|f| f == l) {
                problems.push(format!(
                    "`{l}` is listed in `corpus!` ({kind}) but {place}{l} does not exist"
                ));
            }
        }
    };
    compare("single", &on_disk, SINGLE, "tests/c/");
    compare("multi", &multi_on_disk, MULTI, "tests/c/multi/");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(SINGLE.len() >= 50, "the corpus shrank to {}", SINGLE.len());
}

/// The comparison itself must be able to fail (guards against a harness that passes
/// everything).
#[test]
fn harness_reports_differences() {
    assert!(first_difference("stdout", b"a\nb\n", b"a\nb\n").is_none());
    let d = first_difference("stdout", b"a\nb\nc\n", b"a\nB\nc\n").unwrap();
    assert!(d.contains("line 2"), "{d}");
    assert!(first_difference("stdout", b"a\n", b"a").is_some());
    assert!(first_difference("stdout", b"a\n", b"").is_some());
    let o = run_with_timeout(
        {
            let mut c = Command::new("sh");
            c.args(["-c", "echo out; echo err >&2; exit 7"]);
            c
        },
        TIMEOUT,
    );
    assert_eq!(o.status, Status::Exited(7));
    assert_eq!(o.stdout, b"out\n");
    assert_eq!(o.stderr, b"err\n");
    let o = run_with_timeout(
        {
            let mut c = Command::new("sleep");
            c.arg("30");
            c
        },
        Duration::from_millis(300),
    );
    assert_eq!(o.status, Status::TimedOut);
    assert!(o.elapsed < Duration::from_secs(5));
}

/// The known-failures list of a target: `tests/c/known-failures.txt` for the host,
/// `tests/c/known-failures-<arch>.txt` for the others.
fn known_failures_file(target: Option<&str>) -> String {
    match target {
        None => "tests/c/known-failures.txt".to_string(),
        Some(t) => format!(
            "tests/c/known-failures-{}.txt",
            t.split('-').next().unwrap_or(t)
        ),
    }
}

/// Programs of the corpus cfree does not yet compile like gcc, as `name -O0|-O2` lines.
fn known_failures(list: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(list);
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

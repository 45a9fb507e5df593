//! The `cfree` command line as a user meets it: running programs, arguments and exit status,
//! scripts, objects for the system linker, and diagnostics for everything that can go wrong.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cfree() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cfree"))
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfree-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `cfree cc -c [extra] src -o obj`, which must succeed.
fn compile_object(src: &Path, obj: &Path, extra: &[&str]) {
    let o = cfree()
        .args(["cc", "-c"])
        .args(extra)
        .arg(src)
        .arg("-o")
        .arg(obj)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A failed cfree invocation: status between 1 and 123 (never a crash or signal).
fn assert_clean_failure(o: &Output) {
    let code = o
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {}", text(&o.stderr)));
    assert!(
        (1..124).contains(&code),
        "status {code}: {}",
        text(&o.stderr)
    );
}

#[test]
fn runs_a_program_with_arguments_and_exit_status() {
    let d = tmpdir("args");
    let src = write(&d, "prog.c", "#include <stdio.h>\nint main(int argc, char **argv) {\n  for (int i = 1; i < argc; i++) printf(\"[%s]\", argv[i]);\n  printf(\"\\n\");\n  return argc + 40;\n}\n");
    let o = cfree()
        .arg("run")
        .arg(&src)
        .args(["--", "a", "-b", "c d"])
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), "[a][-b][c d]\n");
    assert_eq!(o.status.code(), Some(44));
}

#[test]
fn exit_from_libc_flushes_stdio_and_runs_atexit() {
    let d = tmpdir("exit");
    let src = write(&d, "e.c", "#include <stdio.h>\n#include <stdlib.h>\nstatic void bye(void) { printf(\"bye\\n\"); }\nint main(void) { atexit(bye); printf(\"partial line \"); exit(5); }\n");
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_eq!(text(&o.stdout), "partial line bye\n");
    assert_eq!(o.status.code(), Some(5));
}

#[test]
fn options_between_files_and_multi_file_programs() {
    let d = tmpdir("multi");
    std::fs::create_dir_all(d.join("inc")).unwrap();
    write(
        &d.join("inc"),
        "lib.h",
        "int twice(int);\nextern int counter;\n",
    );
    let a = write(&d, "a.c", "#include <stdio.h>\n#include \"lib.h\"\nint main(void) { counter = SCALE; printf(\"%d\\n\", twice(21) + counter); return 0; }\n");
    let b = write(
        &d,
        "b.c",
        "#include \"lib.h\"\nint counter;\nint twice(int x) { return 2 * x; }\n",
    );
    // `cfree cc` takes options between files, as gcc does.
    let prog = d.join("prog");
    let o = cfree()
        .arg("cc")
        .arg("-I")
        .arg(d.join("inc"))
        .arg(&a)
        .arg("-DSCALE=100")
        .arg(&b)
        .arg("-o")
        .arg(&prog)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = Command::new(&prog).output().unwrap();
    assert_eq!(text(&o.stdout), "142\n");
    // `cfree run` takes them before the files (after the first file come the program's
    // arguments), and further files after the first.
    let o = cfree()
        .arg("run")
        .arg("-I")
        .arg(d.join("inc"))
        .arg("-DSCALE=100")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), "142\n", "{}", text(&o.stderr));
    assert!(o.status.success());
}

#[test]
fn shebang_script_runs_with_its_arguments() {
    let d = tmpdir("script");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cfree"))
        .parent()
        .unwrap()
        .to_path_buf();
    let src = write(&d, "script.c", "#!/usr/bin/env -S cfree run\n#include <stdio.h>\nint main(int argc, char **argv) { printf(\"%d %s %s\\n\", argc, argv[1], argv[2]); return 0; }\n");
    let mut perm = std::fs::metadata(&src).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&src, perm).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new(&src)
        .args(["a", "-b"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), "3 a -b\n", "{}", text(&o.stderr));
}

#[test]
fn object_files_link_with_the_system_linker() {
    let d = tmpdir("obj");
    let src = write(&d, "o.c", "#include <stdio.h>\nstruct P { double x; long y; };\nstatic struct P mk(double x) { struct P p = { x, 7 }; return p; }\nint main(void) { struct P p = mk(2.5); printf(\"%.1f %ld\\n\", p.x, p.y); return 0; }\n");
    let obj = d.join("o.o");
    compile_object(&src, &obj, &[]);
    let exe = d.join("o");
    let l = Command::new("cc")
        .arg("-no-pie")
        .arg(&obj)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc is installed");
    assert!(
        l.status.success(),
        "cc rejected the object: {}",
        text(&l.stderr)
    );
    let r = Command::new(&exe).output().unwrap();
    assert_eq!(text(&r.stdout), "2.5 7\n");
}

/// `cfree cc -c` objects need no cfree runtime: `__thread` objects use the ELF TLS model (each
/// thread of a program linked by the system linker has its own copy) and VLAs/`alloca` use
/// the dynamic-stack helper the object carries. They link into PIEs without text relocations.
/// The output matches gcc's.
#[test]
fn tls_and_vla_objects_link_with_the_system_linker() {
    for prog in ["thread_local", "vla_stack"] {
        let d = tmpdir(prog);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/c/{prog}.c"));
        let run_exe = |exe: &Path| text(&Command::new(exe).output().unwrap().stdout);
        let gcc_exe = d.join("gcc");
        let g = Command::new("cc")
            .arg(&src)
            .args(["-w", "-pthread", "-o"])
            .arg(&gcc_exe)
            .output()
            .expect("cc is installed");
        assert!(g.status.success(), "{}", text(&g.stderr));
        let expected = run_exe(&gcc_exe);
        for opt in ["-O0", "-O2"] {
            let obj = d.join(format!("{prog}{opt}.o"));
            compile_object(&src, &obj, &["-w", opt]);
            for pie in ["-no-pie", "-pie"] {
                let exe = d.join(format!("{prog}{opt}{pie}"));
                let l = Command::new("cc")
                    .arg(pie)
                    .arg(&obj)
                    .args(["-pthread", "-o"])
                    .arg(&exe)
                    .output()
                    .expect("cc is installed");
                assert!(l.status.success(), "{}", text(&l.stderr));
                // Position-independent code and a PC-relative `.eh_frame`: no text relocations.
                let warnings = text(&l.stderr);
                assert!(
                    !warnings.contains("TEXTREL") && !warnings.contains("read-only section"),
                    "{prog} {opt} {pie}: {warnings}"
                );
                assert_eq!(run_exe(&exe), expected, "{prog} {opt} {pie}");
            }
        }
    }
}

/// The bytes of a `readelf -x` hex dump. Each line is `  0xADDRESS ` then up to four groups
/// of 8 hex digits in a 35-column field, then the ASCII column, which is skipped (names may
/// wrap across lines there).
fn hex_dump_bytes(dump: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for line in dump.lines() {
        let Some(rest) = line.trim_start().strip_prefix("0x") else {
            continue;
        };
        let Some((_addr, rest)) = rest.split_once(' ') else {
            continue;
        };
        let field: String = rest
            .chars()
            .take(35)
            .filter(|c| !c.is_whitespace())
            .collect();
        for i in (0..field.len()).step_by(2) {
            bytes.push(u8::from_str_radix(&field[i..i + 2], 16).expect("hex digits"));
        }
    }
    bytes
}

/// The `Flg` column of one section in `readelf -S -W` output (empty when no flag is set).
fn section_flags(headers: &str, name: &str) -> String {
    let line = headers
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name))
        .unwrap_or_else(|| panic!("no section {name} in:\n{headers}"));
    let after = line.split(']').nth(1).expect("[Nr] column");
    // Name Type Address Off Size ES [Flg] Lk Inf Al
    let cols: Vec<&str> = after.split_whitespace().collect();
    match cols.len() {
        10 => cols[6].to_string(),
        9 => String::new(),
        _ => panic!("unexpected section header line: {line}"),
    }
}

#[test]
fn objects_carry_abi_signature_records() {
    let d = tmpdir("abisig");
    let src = write(&d, "x.c", "struct P { double x, y; };\nint add_numbers(int a, double b) { return a + (int)b; }\nstatic struct P make_pair(void) { struct P p = { 1, 2 }; return p; }\ndouble use_pair(void) { return make_pair().y; }\n");
    let obj = d.join("x.o");
    compile_object(&src, &obj, &[]);

    let dump = Command::new("readelf")
        .args(["-x", ".cfree.abisig"])
        .arg(&obj)
        .output()
        .expect("readelf is installed (binutils)");
    assert!(dump.status.success(), "{}", text(&dump.stderr));
    let dump = text(&dump.stdout);
    let bytes = hex_dump_bytes(&dump);
    assert!(bytes.starts_with(b"CFAS"), "{dump}");
    for name in ["add_numbers", "make_pair", "use_pair"] {
        assert!(
            bytes.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} missing from the records:\n{dump}"
        );
    }

    let headers = Command::new("readelf")
        .args(["-S", "-W"])
        .arg(&obj)
        .output()
        .expect("readelf is installed (binutils)");
    assert!(headers.status.success(), "{}", text(&headers.stderr));
    let headers = text(&headers.stdout);
    // The parser reads flags where they are set...
    assert_eq!(section_flags(&headers, ".text"), "AX");
    // ...and the records are not loaded into memory.
    let flags = section_flags(&headers, ".cfree.abisig");
    assert!(!flags.contains('A'), "flags {flags:?}:\n{headers}");
}

#[test]
fn preprocess_only_prints_expanded_text() {
    let d = tmpdir("pp");
    let src = write(&d, "m.c", "#define SQ(x) ((x) * (x))\nint v = SQ(3 + 1);\n");
    let o = cfree().args(["cc", "-E"]).arg(&src).output().unwrap();
    assert!(o.status.success());
    let out = text(&o.stdout);
    assert!(out.contains("int v = ((3 + 1) * (3 + 1));"), "{out}");
}

#[test]
fn syntax_error_has_location_source_line_and_caret() {
    let d = tmpdir("syntax");
    let src = write(
        &d,
        "bad.c",
        "int main(void) {\n    int x = 1\n    return x;\n}\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    // One error, clang's way: the `;` belongs right after `1`, the end of line 2.
    assert!(
        err.contains("bad.c:2:14: error: expected ';' before 'return'"),
        "{err}"
    );
    assert!(err.contains("    int x = 1"), "{err}");
    assert!(err.contains("^"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn type_errors_are_reported_with_their_location() {
    let d = tmpdir("types");
    let src = write(
        &d,
        "t.c",
        "struct S { int a; };\nint main(void) {\n  struct S s;\n  return s.b + undeclared;\n}\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("t.c:4:10: error: 'struct S' has no member named 'b'"),
        "{err}"
    );
}

#[test]
fn warns_on_implicit_declarations_and_incompatible_pointers() {
    let d = tmpdir("warn");
    let src = write(&d, "w.c", "int main(void) {\n  long l = 0;\n  int *p = &l;\n  return nothing_declared() + (p == 0);\n}\nint nothing_declared(void) { return 0; }\n");
    let o = cfree().arg("run").arg(&src).output().unwrap();
    let err = text(&o.stderr);
    assert!(
        err.contains("w.c:3:12: warning: incompatible pointer types"),
        "{err}"
    );
    assert!(
        err.contains("warning: implicit declaration of function 'nothing_declared'"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(0));
    let quiet = cfree().arg("run").arg("-w").arg(&src).output().unwrap();
    assert_eq!(text(&quiet.stderr), "");
}

#[test]
fn inline_asm_errors_are_located() {
    let d = tmpdir("asm");
    let src = write(
        &d,
        "c.c",
        "int main(void) {\n  int x = 1;\n  asm(\"mov %1, %0\" : \"=w\"(x) : \"r\"(x));\n  return x;\n}\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("c.c:3:22: error: unsupported asm constraint 'w' in \"=w\""),
        "{err}"
    );
    let src = write(
        &d,
        "a.c",
        "int main(void) {\n  int x = 1;\n  asm volatile(\"movl %1, %0\\n\\tbogus_insn %0\" : \"=r\"(x) : \"r\"(x));\n  return x;\n}\n",
    );
    let o = cfree()
        .args(["cc", "-c"])
        .arg(&src)
        .arg("-o")
        .arg(d.join("a.o"))
        .output()
        .unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("a.c:3:3: error: assembler: no such instruction: `bogus_insn %eax'"),
        "{err}"
    );
    let src = write(
        &d,
        "g.c",
        "int main(void) {\n  asm goto(\"jmp %l0\" :::: nowhere);\n  return 0;\n}\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("g.c:2:27: error: label 'nowhere' used but not defined"),
        "{err}"
    );
    let src = write(
        &d,
        "l.c",
        "int main(void) {\n  asm goto(\"jmp %l3\" :::: out);\nout:\n  return 0;\n}\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("l.c:2:11: error: invalid asm goto label reference"),
        "{err}"
    );
}

#[test]
fn undefined_symbol_names_symbol_and_referencing_input() {
    let d = tmpdir("undef");
    let src = write(
        &d,
        "u.c",
        "int missing_function(int);\nint main(void) { return missing_function(3); }\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(err.contains("missing_function"), "{err}");
    assert!(err.contains("u.c"), "{err}");
}

#[test]
fn missing_files_bad_flags_and_missing_includes() {
    let o = cfree().args(["run", "/nonexistent/x.c"]).output().unwrap();
    assert_clean_failure(&o);
    assert!(text(&o.stderr).contains("/nonexistent/x.c: No such file or directory"));

    let o = cfree()
        .args(["run", "--frobnicate", "x.c"])
        .output()
        .unwrap();
    assert_clean_failure(&o);
    assert!(text(&o.stderr).contains("unrecognized command-line option '--frobnicate'"));

    let o = cfree().arg("run").output().unwrap();
    assert_clean_failure(&o);
    assert!(text(&o.stderr).contains("no input files"));

    let d = tmpdir("inc");
    let src = write(
        &d,
        "i.c",
        "#include \"not_there.h\"\nint main(void) { return 0; }\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    assert!(
        err.contains("i.c:1:") && err.contains("not_there.h"),
        "{err}"
    );
}

#[test]
fn absurd_nesting_is_an_error_or_a_success_never_a_crash() {
    let d = tmpdir("deep");
    let depth = 20_000;
    let mut s = String::from("int main(void) { return ");
    s.push_str(&"(".repeat(depth));
    s.push('0');
    s.push_str(&")".repeat(depth));
    s.push_str("; }\n");
    let src = write(&d, "deep.c", &s);
    let o = cfree().arg("run").arg(&src).output().unwrap();
    let code = o
        .status
        .code()
        .unwrap_or_else(|| panic!("crashed: {}", text(&o.stderr)));
    assert!(code < 124, "status {code}");

    let mut blocks = String::from("int main(void) ");
    blocks.push_str(&"{".repeat(depth));
    blocks.push_str(&"}".repeat(depth));
    let src = write(&d, "blocks.c", &blocks);
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert!(
        o.status.code().is_some_and(|c| c < 124),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn garbage_input_fails_cleanly() {
    let d = tmpdir("garbage");
    let mut f = std::fs::File::create(d.join("g.c")).unwrap();
    f.write_all(&[
        0xff, 0xfe, b'i', b'n', b't', 0, 1, 2, b'{', b'"', b'\'', b'\\',
    ])
    .unwrap();
    drop(f);
    let o = cfree().arg("run").arg(d.join("g.c")).output().unwrap();
    assert_clean_failure(&o);
}

#[test]
fn help_and_version() {
    let o = cfree().arg("--help").output().unwrap();
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("cfree run [options] file.c"));
    let o = cfree().arg("--version").output().unwrap();
    assert!(text(&o.stdout).starts_with("cfree "));
}

/// Runs `cfree run -w` on `src` (written as `file` in a fresh directory) and checks that it
/// fails cleanly with every one of `wanted` in its diagnostics.
fn run_expecting_error(dir: &str, file: &str, src: &str, wanted: &[&str]) {
    let d = tmpdir(dir);
    let path = write(&d, file, src);
    let o = cfree().args(["run", "-w"]).arg(&path).output().unwrap();
    assert_clean_failure(&o);
    let err = text(&o.stderr);
    for w in wanted {
        assert!(err.contains(w), "missing {w:?} in:\n{err}");
    }
}

#[test]
fn unknown_builtins_are_errors_that_name_them_even_with_w() {
    for (file, call, name) in [
        ("b.c", "__builtin_frobnicate(2)", "__builtin_frobnicate"),
        (
            "s.c",
            "__sync_fetch_and_nand(&x, 1)",
            "__sync_fetch_and_nand",
        ),
    ] {
        let src = format!("int x;\nint main(void) {{\n    return {call};\n}}\n");
        let want = format!("{file}:3:12: error: unknown builtin '{name}'");
        run_expecting_error("builtin", file, &src, &[&want, "^"]);
    }
}

#[test]
fn unsupported_attributes_are_errors_that_name_them() {
    for (file, decl, name) in [
        ("f.c", "int x __attribute__((frobnicate));", "frobnicate"),
        ("m.c", "int __attribute__((ms_abi)) f(void);", "ms_abi"),
    ] {
        let src = format!("{decl}\nint main(void) {{ return 0; }}\n");
        let want = format!("error: attribute '{name}' is not supported by cfree");
        run_expecting_error("attr", file, &src, &[&format!("{file}:1:"), &want]);
    }
}

#[test]
fn redefinition_of_a_local_in_one_block_is_an_error() {
    let src = "int main(void) {\n    int a = 1;\n    int a = 2;\n    return a;\n}\n";
    run_expecting_error(
        "redef",
        "r.c",
        src,
        &["r.c:3:9: error: redefinition of 'a'"],
    );
}

#[test]
fn float16_is_declarable_but_any_value_is_an_error() {
    // cfree has no binary16 arithmetic: prototypes mentioning _Float16 compile, objects do not.
    let src = "_Float16 half(void);\nint main(void) {\n    _Float16 h;\n    return 0;\n}\n";
    run_expecting_error(
        "f16",
        "h.c",
        src,
        &["h.c:3:14: error: storage size of 'h' isn't known"],
    );
}

/// Object files among `cfree run`'s inputs are linked into the image; a broken one is a clean
/// error naming it (never read as C source).
#[test]
fn run_links_object_files_and_rejects_broken_ones() {
    let d = tmpdir("objrun");
    let lib = write(&d, "lib.c", "int twice(int x) { return 2 * x; }\n");
    let obj = d.join("lib.o");
    compile_object(&lib, &obj, &[]);
    let main = write(
        &d,
        "main.c",
        "int twice(int);\nint main(void) { return twice(21); }\n",
    );
    let r = cfree().arg("run").arg(&obj).arg(&main).output().unwrap();
    assert_eq!(r.status.code(), Some(42), "{}", text(&r.stderr));
    let bad = d.join("bad.o");
    std::fs::write(&bad, b"\x7fELF not really").unwrap();
    let r = cfree().arg("run").arg(&bad).arg(&main).output().unwrap();
    assert_clean_failure(&r);
    assert!(text(&r.stderr).contains("bad.o"), "{}", text(&r.stderr));
}

/// The `.eh_frame` of `cfree cc -c` objects describes every frame: glibc's `backtrace` (the
/// libgcc unwinder) walks through cfree-compiled code in a PIE exactly as through gcc's.
#[test]
fn objects_unwind_like_gccs() {
    let d = tmpdir("unwind");
    let src = write(
        &d,
        "bt.c",
        "#include <execinfo.h>\n#include <stdio.h>\n\
         __attribute__((noinline)) static int leaf(void) { void *b[64]; return backtrace(b, 64); }\n\
         __attribute__((noinline)) static int mid(int n) { return n ? mid(n - 1) : leaf(); }\n\
         int main(void) { printf(\"frames %d\\n\", mid(4)); return 0; }\n",
    );
    let run = |exe: &Path| text(&Command::new(exe).output().unwrap().stdout);
    let gcc_exe = d.join("gcc");
    let g = Command::new("cc")
        .arg(&src)
        .arg("-o")
        .arg(&gcc_exe)
        .output()
        .expect("cc is installed");
    assert!(g.status.success(), "{}", text(&g.stderr));
    let expected = run(&gcc_exe);
    for opt in ["-O0", "-O2"] {
        let obj = d.join(format!("bt{opt}.o"));
        compile_object(&src, &obj, &[opt]);
        let exe = d.join(format!("bt{opt}"));
        let l = Command::new("cc")
            .arg(&obj)
            .arg("-o")
            .arg(&exe)
            .output()
            .unwrap();
        assert!(l.status.success(), "{}", text(&l.stderr));
        assert_eq!(run(&exe), expected, "{opt}");
    }
}

#[test]
fn vla_members_and_local_flexible_initializers_are_errors() {
    // GNU C's variably modified structs are not implemented: an error, never sizeof 0.
    let src = "int f(int n) {\n    struct s { char a[n]; } x;\n    return sizeof x;\n}\nint main(void) { return f(3); }\n";
    run_expecting_error(
        "vlamember",
        "v.c",
        src,
        &["v.c:2:21: error: a struct or union member of variable length array type is not supported"],
    );
    // gcc rejects it too; the initializer would not fit the automatic object.
    let src = "struct s { char c; char t[]; };\nint main(void) {\n    struct s x = { 'a', \"xyz\" };\n    return x.c;\n}\n";
    run_expecting_error(
        "flexlocal",
        "l.c",
        src,
        &["l.c:3:14: error: non-static initialization of a flexible array member"],
    );
}

/// An attribute between `struct` and the tag is checked like any other: one cfree does not
/// implement is a located error, never dropped.
#[test]
fn unsupported_attribute_after_struct_keyword_is_an_error() {
    run_expecting_error(
        "sso",
        "s.c",
        "struct __attribute((scalar_storage_order(\"big-endian\"))) be { int x; };\nint main(void) { struct be b = {1}; return b.x - 1; }\n",
        &["s.c:1:21: error: attribute 'scalar_storage_order' is not supported by cfree"],
    );
}

/// A program that dies of a signal under `cfree run` gets a crash report (the signal and a
/// backtrace naming the functions, like `tcc -bt`) and still dies of that signal, so the shell
/// sees the status it would see without cfree.
#[test]
fn crashes_print_a_backtrace_and_keep_their_signal() {
    use std::os::unix::process::ExitStatusExt;
    let d = tmpdir("crash");
    let src = write(
        &d,
        "crash.c",
        "volatile int *p;\n\
         __attribute__((noinline)) int depth(int n) { if (n == 0) return *p; return depth(n - 1) + 1; }\n\
         __attribute__((noinline)) int helper(void) { return depth(2); }\n\
         int main(int argc, char **argv) {\n\
           if (argc > 1) { volatile int z = 0; return 5 / z; }\n\
           return helper();\n\
         }\n",
    );
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_eq!(o.status.signal(), Some(11), "{:?}", o.status);
    let err = text(&o.stderr);
    assert!(err.contains("program received signal SIGSEGV"), "{err}");
    let order: Vec<usize> = ["in depth+", "in helper+", "in main+"]
        .iter()
        .map(|f| {
            err.find(f)
                .unwrap_or_else(|| panic!("no frame '{f}' in:\n{err}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{err}");
    let o = cfree()
        .arg("run")
        .arg(&src)
        .args(["--", "x"])
        .output()
        .unwrap();
    assert_eq!(o.status.signal(), Some(8), "{:?}", o.status);
    assert!(text(&o.stderr).contains("program received signal SIGFPE"));
}

/// Unused `static inline` functions (headers of intrinsics, glibc's inlines) are not compiled
/// into the object, as with gcc; used ones, what they call, and plain `static` ones are.
#[test]
fn unused_inline_functions_are_not_emitted() {
    let d = tmpdir("prune");
    let src = write(
        &d,
        "p.c",
        "#include <immintrin.h>\n\
         static inline int leaf(int x) { return x + 1; }\n\
         static inline int used(int x) { return leaf(x) * 2; }\n\
         static inline int unused(int x) { return leaf(x) - 1; }\n\
         static int plain_static(void) { return 7; }\n\
         int api(int x) { return used(x) + _mm_cvtsi128_si32(_mm_set1_epi32(x)); }\n",
    );
    let obj = d.join("p.o");
    compile_object(&src, &obj, &[]);
    let nm = Command::new("nm").arg(&obj).output().unwrap();
    let syms = text(&nm.stdout);
    let has = |n: &str| syms.lines().any(|l| l.split_whitespace().last() == Some(n));
    for n in [
        "api",
        "used",
        "leaf",
        "plain_static",
        "_mm_set1_epi32",
        "_mm_cvtsi128_si32",
    ] {
        assert!(has(n), "{n} missing:\n{syms}");
    }
    for n in ["unused", "_mm_add_epi32", "_mm256_sad_epu8"] {
        assert!(!has(n), "{n} emitted:\n{syms}");
    }
}

/// The 1-based line of the first line of `source` containing `marker`.
fn line_of(source: &str, marker: &str) -> u32 {
    let i = source
        .lines()
        .position(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("marker {marker} not in the source"));
    i as u32 + 1
}

/// Under `-g`, every frame of a crash report in JIT code also names its `file:line`, from the
/// image's relocated `.debug_line`: the faulting line, then each call site.
#[test]
fn crash_reports_of_debug_builds_name_file_and_line() {
    use std::os::unix::process::ExitStatusExt;
    let d = tmpdir("crash-lines");
    let source = "volatile int *p;\n\
                  __attribute__((noinline)) int depth(int n) {\n\
                      if (n == 0)\n\
                          return *p; /* FAULT */\n\
                      return depth(n - 1) + 1; /* RECURSE */\n\
                  }\n\
                  __attribute__((noinline)) int helper(void) {\n\
                      int r = depth(1); /* CALL */\n\
                      return r;\n\
                  }\n\
                  int main(void) {\n\
                      return helper() + 1; /* MAIN */\n\
                  }\n";
    let src = write(&d, "crashy.c", source);
    let o = cfree().args(["run", "-g"]).arg(&src).output().unwrap();
    assert_eq!(o.status.signal(), Some(11), "{:?}", o.status);
    let err = text(&o.stderr);
    let frames: Vec<&str> = err.lines().filter(|l| l.starts_with('#')).collect();
    let expect = [
        ("depth+", line_of(source, "FAULT")),
        ("depth+", line_of(source, "RECURSE")),
        ("helper+", line_of(source, "CALL")),
        ("main+", line_of(source, "MAIN")),
    ];
    assert!(frames.len() > expect.len(), "{err}");
    for (frame, (func, line)) in frames.iter().zip(expect) {
        assert!(
            frame.contains(&format!(" in {func}")) && frame.ends_with(&format!("/crashy.c:{line}")),
            "expected {func}… at crashy.c:{line}, got `{frame}` in:\n{err}"
        );
    }
    // Without -g there is no line information to show.
    let o = cfree().arg("run").arg(&src).output().unwrap();
    assert_eq!(o.status.signal(), Some(11));
    let err = text(&o.stderr);
    assert!(
        err.contains(" in depth+") && !err.contains("crashy.c:"),
        "{err}"
    );
}

/// `--target` selects the target of `cfree cc`: an AArch64 object that the cross gcc links
/// and qemu runs, that target's predefined macros and headers for `-E`; an unknown target is
/// a usage error; `cfree run` runs it in the executor under qemu, `cfree dbg` refuses it.
#[test]
fn target_flag_compiles_for_aarch64_and_refuses_what_it_cannot_do() {
    let dir = tmpdir("target");
    let src = write(
        &dir,
        "t.c",
        "#include <stdio.h>\nint main(void) { printf(\"%d %d\\n\", (int)sizeof(long double), (char)-1 < 0); return 0; }\n",
    );
    let obj = dir.join("t.o");
    compile_object(&src, &obj, &["--target", "aarch64-linux-gnu"]);
    let exe = dir.join("t");
    let l = Command::new("aarch64-linux-gnu-gcc")
        .arg(&obj)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("aarch64-linux-gnu-gcc is installed (scripts/install-test-deps.sh)");
    assert!(l.status.success(), "{}", text(&l.stderr));
    let r = Command::new("qemu-aarch64")
        .args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&exe)
        .output()
        .expect("qemu-aarch64 is installed");
    // binary128 long double, unsigned char: AAPCS64's data model.
    assert_eq!(text(&r.stdout), "16 0\n");

    let e = cfree()
        .args(["cc", "-E", "--target=aarch64-linux-gnu"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(e.status.success(), "{}", text(&e.stderr));
    assert!(text(&e.stdout).contains("/usr/aarch64-linux-gnu/include/stdio.h"));

    let bad = cfree()
        .args(["cc", "-c", "--target", "sparc64-linux-gnu"])
        .arg(&src)
        .output()
        .unwrap();
    assert_clean_failure(&bad);
    assert!(text(&bad.stderr).contains("invalid target 'sparc64-linux-gnu'"));

    // `cfree run` of the same program prints what the gcc-linked build printed under qemu.
    let run = cfree()
        .args(["run", "--target", "aarch64-linux-gnu"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout), text(&r.stdout));

    // cfree dbg runs the program in its own process: another target's is refused.
    let dbg = cfree()
        .args(["dbg", "--target", "aarch64-linux-gnu"])
        .arg(&src)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_clean_failure(&dbg);
    assert!(text(&dbg.stderr).contains("cannot debug code for aarch64-linux-gnu here"));
}

/// `-g` objects for AArch64 carry DWARF that `llvm-dwarfdump --verify` accepts (lines,
/// scopes, enums, the AAPCS64 `va_list` record, `long double` as binary128, HFAs).
#[test]
fn aarch64_debug_information_verifies() {
    let dir = tmpdir("a64-dwarf");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    for prog in [
        "variadic_defs",
        "long_double",
        "complex_arith",
        "struct_by_value",
        "struct_by_value_large",
        "enums",
        "bitfields",
    ] {
        let src = root.join(format!("{prog}.c"));
        if !src.exists() {
            panic!("{} is missing", src.display());
        }
        let obj = dir.join(format!("{prog}.o"));
        let inc = format!("-I{}", root.join("include").display());
        compile_object(
            &src,
            &obj,
            &["-g", "-w", &inc, "--target", "aarch64-linux-gnu"],
        );
        let out = Command::new("llvm-dwarfdump-19")
            .arg("--verify")
            .arg(&obj)
            .output()
            .expect("llvm-dwarfdump-19 is installed (scripts/install-test-deps.sh)");
        let t = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            out.status.success() && t.contains("No errors."),
            "{prog}:\n{t}"
        );
    }
}

/// `--target riscv64-linux-gnu`: an object gcc links and qemu runs (binary128 `long double`,
/// unsigned `char`: the LP64D data model; a `va_list` handed to gcc's `vprintf`; inline
/// assembly; a trampoline), and `cfree run` refuses to run it on this host.
#[test]
fn target_flag_compiles_for_riscv64_and_refuses_what_it_cannot_do() {
    let dir = tmpdir("target-rv");
    let src = write(
        &dir,
        "t.c",
        "#include <stdio.h>\n#include <stdarg.h>\n\
         static void say(const char *f, ...) { va_list ap; va_start(ap, f); vprintf(f, ap); va_end(ap); }\n\
         static int apply(int (*f)(int)) { return f(1); }\n\
         int main(void) {\n  int k = 2, s;\n  int add(int x) { return x + k; }\n\
           __asm__ (\"addi %0, %1, 40\" : \"=r\" (s) : \"r\" (apply(add)));\n\
           say(\"%d %d %Lg %d\\n\", (int)sizeof(long double), (char)-1 < 0, 1.5L, s);\n  return 0;\n}\n",
    );
    let obj = dir.join("t.o");
    compile_object(&src, &obj, &["--target", "riscv64-linux-gnu"]);
    let exe = dir.join("t");
    let l = Command::new("riscv64-linux-gnu-gcc")
        .arg(&obj)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("riscv64-linux-gnu-gcc is installed (scripts/install-test-deps.sh)");
    assert!(l.status.success(), "{}", text(&l.stderr));
    let r = Command::new("qemu-riscv64")
        .args(["-L", "/usr/riscv64-linux-gnu"])
        .arg(&exe)
        .output()
        .expect("qemu-riscv64 is installed");
    assert_eq!(text(&r.stdout), "16 0 1.5 43\n", "{}", text(&r.stderr));

    let e = cfree()
        .args(["cc", "-E", "--target=riscv64-linux-gnu"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(e.status.success(), "{}", text(&e.stderr));
    assert!(text(&e.stdout).contains("/usr/riscv64-linux-gnu/include/stdio.h"));

    // `cfree run` in the executor under qemu prints what the gcc-linked build printed.
    let run = cfree()
        .args(["run", "--target", "riscv64-linux-gnu"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout), text(&r.stdout));
}

/// `-g` objects for RISC-V 64 carry DWARF that `llvm-dwarfdump --verify` accepts, a `va_list`
/// variable being a `void *` (as gcc describes it: `__builtin_va_list` is a plain pointer
/// there, not AArch64's or x86-64's record).
#[test]
fn riscv64_debug_information_verifies() {
    let dir = tmpdir("rv-dwarf");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    for prog in [
        "variadic_defs",
        "long_double",
        "complex_arith",
        "struct_by_value",
        "struct_by_value_large",
        "enums",
        "bitfields",
    ] {
        let src = root.join(format!("{prog}.c"));
        assert!(src.exists(), "{} is missing", src.display());
        let obj = dir.join(format!("{prog}.o"));
        let inc = format!("-I{}", root.join("include").display());
        compile_object(
            &src,
            &obj,
            &["-g", "-w", &inc, "--target", "riscv64-linux-gnu"],
        );
        let out = Command::new("llvm-dwarfdump-19")
            .arg("--verify")
            .arg(&obj)
            .output()
            .expect("llvm-dwarfdump-19 is installed (scripts/install-test-deps.sh)");
        let t = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            out.status.success() && t.contains("No errors."),
            "{prog}:\n{t}"
        );
    }
    let src = write(
        &dir,
        "va.c",
        "#include <stdarg.h>\nint f(int n, ...) { va_list ap; va_start(ap, n); int x = va_arg(ap, int); va_end(ap); return x; }\n",
    );
    let obj = dir.join("va.o");
    compile_object(&src, &obj, &["-g", "--target", "riscv64-linux-gnu"]);
    let out = Command::new("llvm-dwarfdump-19")
        .arg("--name=ap")
        .arg(&obj)
        .output()
        .expect("llvm-dwarfdump-19 is installed");
    let t = text(&out.stdout);
    assert!(t.contains("\"void *\")"), "{t}");
}

/// A RISC-V variadic definition's entry thunk has unwind information of its own: libgcc's
/// unwinder (glibc's `backtrace`) walks from the body through the thunk into `main`.
#[test]
fn riscv64_variadic_entry_thunk_unwinds() {
    let dir = tmpdir("rv-unwind");
    let src = write(
        &dir,
        "bt.c",
        "#include <execinfo.h>\n#include <stdio.h>\n#include <stdarg.h>\n\
         static int depth(void) { void *b[32]; int n = backtrace(b, 32); char **s = backtrace_symbols(b, n); for (int i = 0; i < n; i++) puts(s[i]); return n; }\n\
         int vfn(int k, ...) { va_list ap; va_start(ap, k); int x = va_arg(ap, int); va_end(ap); return depth() + x; }\n\
         int main(void) { return vfn(1, 0) > 0 ? 0 : 1; }\n",
    );
    let obj = dir.join("bt.o");
    compile_object(&src, &obj, &["--target", "riscv64-linux-gnu"]);
    let exe = dir.join("bt");
    let l = Command::new("riscv64-linux-gnu-gcc")
        .arg("-rdynamic")
        .arg(&obj)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("riscv64-linux-gnu-gcc is installed");
    assert!(l.status.success(), "{}", text(&l.stderr));
    let r = Command::new("qemu-riscv64")
        .args(["-L", "/usr/riscv64-linux-gnu"])
        .arg(&exe)
        .output()
        .expect("qemu-riscv64 is installed");
    let out = text(&r.stdout);
    let thunk = out.find("(vfn+0x").unwrap_or(usize::MAX);
    let main = out.find("(main+0x").unwrap_or(0);
    assert!(r.status.success() && thunk < main, "{out}");
}

#[test]
fn time_report_names_every_phase_and_changes_nothing_else() {
    let d = tmpdir("time-report");
    let a = write(&d, "a.c", "#include <stdio.h>\nint sq(int);\nint main(void) { printf(\"%d\\n\", sq(12)); return 0; }\n");
    let b = write(&d, "b.c", "int sq(int x) { return x * x; }\n");
    let gcc = Command::new("gcc")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(d.join("ref"))
        .output()
        .unwrap();
    assert!(gcc.status.success(), "{}", text(&gcc.stderr));
    let expected = Command::new(d.join("ref")).output().unwrap().stdout;
    let o = cfree()
        .args(["run", "-fno-cache", "-ftime-report"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(o.stdout, expected, "{}", text(&o.stderr));
    let report = text(&o.stderr);
    for phase in [
        "preprocess",
        "parse",
        "sema",
        "codegen: cranelift",
        "link",
        "wall clock",
    ] {
        assert!(report.contains(phase), "no '{phase}' in:\n{report}");
    }
    let o = cfree()
        .current_dir(&d)
        .args(["cc", "-c", "-ftime-report"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("codegen: define"),
        "{}",
        text(&o.stderr)
    );
    let link = Command::new("gcc")
        .current_dir(&d)
        .args(["a.o", "b.o", "-o", "prog"])
        .output()
        .unwrap();
    assert!(link.status.success(), "{}", text(&link.stderr));
    assert_eq!(
        Command::new(d.join("prog")).output().unwrap().stdout,
        expected
    );
}

#[test]
fn files_compiled_in_parallel_report_in_command_line_order() {
    let d = tmpdir("parallel-order");
    let files: Vec<PathBuf> = (0..6)
        .map(|i| {
            let body = if i == 5 {
                "int main(void) { return 0; }\n".to_string()
            } else {
                format!("int f{i}(void) {{ return undeclared_{i}; }}\n")
            };
            write(&d, &format!("u{i}.c"), &body)
        })
        .collect();
    for _ in 0..3 {
        let o = cfree().arg("run").args(&files).output().unwrap();
        assert_clean_failure(&o);
        let err = text(&o.stderr);
        let at: Vec<usize> = (0..5)
            .map(|i| {
                err.find(&format!("u{i}.c:"))
                    .unwrap_or_else(|| panic!("no error for u{i}.c in:\n{err}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "out of order:\n{err}");
    }
}

/// Arguments that are not UTF-8 reach the program byte for byte (as an exec'd gcc build sees
/// them), and a source file whose name is not UTF-8 compiles.
#[test]
fn arguments_and_file_names_that_are_not_utf8_pass_through() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let d = tmpdir("non-utf8");
    let prog = "#include <stdio.h>\nint main(int c, char **v) { for (int i = 1; i < c; i++) { for (char *p = v[i]; *p; p++) printf(\"%02x\", (unsigned char)*p); printf(\"\\n\"); } return 0; }\n";
    let name = OsStr::from_bytes(b"caf\xe9.c");
    std::fs::write(d.join(name), prog).unwrap();
    let args = [
        OsStr::from_bytes(b"\xff\xfe"),
        OsStr::from_bytes(b"ok\xc3"),
        OsStr::new("-x"),
    ];
    let gcc_exe = d.join("ref");
    let o = Command::new("gcc")
        .arg(d.join(name))
        .arg("-o")
        .arg(&gcc_exe)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let theirs = Command::new(&gcc_exe).args(args).output().unwrap();
    let ours = cfree()
        .arg("run")
        .arg(d.join(name))
        .args(args)
        .output()
        .unwrap();
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    assert_eq!(text(&ours.stdout), text(&theirs.stdout));
    // An option that is not UTF-8 is an unknown option, not a crash.
    let o = cfree()
        .args(["cc", "-c"])
        .arg(OsStr::from_bytes(b"-f\xff"))
        .arg(d.join(name))
        .output()
        .unwrap();
    assert_clean_failure(&o);
    assert!(
        text(&o.stderr).contains("unrecognized command-line option"),
        "{}",
        text(&o.stderr)
    );
}

/// `-D` text ends at a newline, as gcc reads it: what follows is not a directive.
#[test]
fn a_newline_in_a_define_does_not_start_a_directive() {
    let d = tmpdir("define-newline");
    let src = write(&d, "x.c", "int v = X;\n");
    let def = "-DX=1\n#error injected";
    let gcc = Command::new("gcc")
        .args(["-E", "-P", def])
        .arg(&src)
        .output()
        .unwrap();
    assert!(gcc.status.success());
    let ours = cfree().args(["cc", "-E", def]).arg(&src).output().unwrap();
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    assert!(
        text(&gcc.stdout).contains("int v = 1;"),
        "{}",
        text(&gcc.stdout)
    );
    assert!(
        text(&ours.stdout).contains("int v = 1;"),
        "{}",
        text(&ours.stdout)
    );
}

/// A directory or FIFO named by `#include` is an error that says what it is, at once.
#[test]
fn including_a_directory_or_a_fifo_says_so() {
    let d = tmpdir("include-odd");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    let fifo = d.join("pipe.h");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for (header, what) in [
        ("sub", "is a directory"),
        ("pipe.h", "is not a regular file"),
    ] {
        let src = write(&d, "i.c", &format!("#include \"{header}\"\nint x;\n"));
        let o = cfree()
            .args(["cc", "-c", "-o", "/dev/null"])
            .arg(&src)
            .output()
            .unwrap();
        assert_clean_failure(&o);
        let err = text(&o.stderr);
        assert!(
            err.contains(&format!("i.c:1:10: error: {header}:")) && err.contains(what),
            "{err}"
        );
    }
}

/// Objects too large to exist are located errors (gcc's "size of array is too large"; and a
/// local beyond what a stack frame can hold), each reported once.
#[test]
fn objects_too_large_are_located_errors() {
    let d = tmpdir("too-large");
    for (src, want) in [
        (
            "int main(void) { char a[18446744073709551615ULL]; return a[0]; }\n",
            "big.c:1:25: error: size of array is too large",
        ),
        (
            "int main(void) {\n  char big[1L << 40];\n  big[0] = 1;\n  return big[0];\n}\n",
            "big.c:2:8: error: local variable 'big' is too large for the stack",
        ),
    ] {
        let f = write(&d, "big.c", src);
        let o = cfree().arg("run").arg(&f).output().unwrap();
        assert_clean_failure(&o);
        let err = text(&o.stderr);
        assert!(err.contains(want), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "{err}");
    }
    // gcc rejects the first too.
    let f = write(
        &d,
        "big.c",
        "int main(void) { char a[18446744073709551615ULL]; return a[0]; }\n",
    );
    let g = Command::new("gcc")
        .args(["-c", "-o", "/dev/null"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(text(&g.stderr).contains("is too large"));
}

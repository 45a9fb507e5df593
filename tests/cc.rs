//! `cfree cc` as a drop-in for gcc, and `cfree run` as one for `tcc -run`: the conventions
//! build systems and users already have. Every expectation comes from gcc run on the same
//! input (or from the project's own test suite).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn cfree() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cfree"))
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfree-cc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        text(&o.stdout),
        text(&o.stderr)
    );
    o
}

/// Runs `cmd` in `dir` and returns its output, which must be a success.
fn run_in(dir: &Path, cmd: &mut Command) -> Output {
    ok(cmd.current_dir(dir).output().unwrap())
}

/// The `cfree` binary as a `CC` value for make.
fn cc_var() -> String {
    format!("CC={} cc", env!("CARGO_BIN_EXE_cfree"))
}

/// bzip2 1.0.8's sources (from the bzip2-sys crate) in a fresh directory.
fn bzip2_tree(name: &str) -> PathBuf {
    let src = common::program_crate_dir("bzip2-sys").join("bzip2-1.0.8");
    let d = tmpdir(name);
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    d
}

#[test]
fn bzip2_builds_with_its_own_makefile_and_passes_its_tests() {
    let d = bzip2_tree("bzip2");
    // The Makefile's default target builds libbz2.a (with ar), bzip2 and bzip2recover
    // (linked with -L. -lbz2) and runs bzip2's own round-trip tests against sample*.ref.
    let o = run_in(
        &d,
        Command::new("make").args([
            cc_var().as_str(),
            "CFLAGS=-Wall -Winline -O2 -g -D_FILE_OFFSET_BITS=64 -MMD -MP",
        ]),
    );
    let out = text(&o.stdout);
    assert!(out.contains("like you're in business"), "{out}");
    assert!(!text(&o.stderr).contains("FAILED"), "{}", text(&o.stderr));
    // The dependency files are exactly what gcc writes for the same command.
    let g = bzip2_tree("bzip2-gcc-deps");
    for unit in ["blocksort", "bzlib", "bzip2", "decompress"] {
        run_in(
            &g,
            Command::new("gcc").args(["-c", "-O2", "-MMD", "-MP", &format!("{unit}.c")]),
        );
        let ours = std::fs::read_to_string(d.join(format!("{unit}.d"))).unwrap();
        let gccs = std::fs::read_to_string(g.join(format!("{unit}.d"))).unwrap();
        assert_eq!(ours, gccs, "{unit}.d");
    }
    // A header change makes make rebuild what depends on it, through the .d files.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let h = d.join("bzlib_private.h");
    let body = std::fs::read(&h).unwrap();
    std::fs::write(&h, body).unwrap();
    write(&d, "deps.mk", "include $(wildcard *.d)\n");
    let o = run_in(
        &d,
        Command::new("make").args([
            "-f",
            "Makefile",
            "-f",
            "deps.mk",
            cc_var().as_str(),
            "CFLAGS=-O2 -MMD -MP",
            "-n",
            "libbz2.a",
        ]),
    );
    assert!(
        text(&o.stdout).contains("blocksort.c"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn bzip2_shared_library_builds_and_runs_without_text_relocations() {
    let d = bzip2_tree("bzip2-so");
    run_in(
        &d,
        Command::new("make").args(["-f", "Makefile-libbz2_so", cc_var().as_str()]),
    );
    let dynamic = run_in(&d, Command::new("readelf").args(["-d", "libbz2.so.1.0.8"]));
    let dynamic = text(&dynamic.stdout);
    assert!(
        dynamic.contains("libbz2.so.1.0"),
        "soname from -Wl,-soname: {dynamic}"
    );
    assert!(!dynamic.contains("TEXTREL"), "{dynamic}");
    for n in 1..=3 {
        let input = std::fs::File::open(d.join(format!("sample{n}.bz2"))).unwrap();
        let o = ok(Command::new(d.join("bzip2-shared"))
            .arg("-d")
            .env("LD_LIBRARY_PATH", &d)
            .stdin(input)
            .output()
            .unwrap());
        let expected = std::fs::read(d.join(format!("sample{n}.ref"))).unwrap();
        assert!(o.stdout == expected, "sample{n} decompressed differently");
    }
}

/// gcc's `-M`-family output for `args`, then cfree's, in copies of the same tree.
fn deps_both(files: &[(&str, &str)], args: &[&str], out: &str) -> (String, String) {
    let mut got = Vec::new();
    for (compiler, sub) in [("gcc", None), (env!("CARGO_BIN_EXE_cfree"), Some("cc"))] {
        let d = tmpdir(&format!("deps-{}", sub.unwrap_or("gcc")));
        for (name, body) in files {
            write(&d, name, body);
        }
        let o = Command::new(compiler)
            .args(sub)
            .args(args)
            .current_dir(&d)
            .output()
            .unwrap();
        let o = ok(o);
        got.push(if out == "-" {
            text(&o.stdout)
        } else {
            std::fs::read_to_string(d.join(out)).unwrap_or_else(|e| panic!("{out}: {e}"))
        });
    }
    (got.remove(0), got.remove(0))
}

#[test]
fn dependency_rules_match_gccs_byte_for_byte() {
    let files = [
        ("main.c", "#include \"a b.h\"\n#include \"dir/c$.h\"\n#include \"long_header_name_number_one.h\"\n#include \"long_header_name_number_two.h\"\n#include <stdio.h>\nint main(void) { return 0; }\n"),
        ("a b.h", "#include \"dir/c$.h\"\n"),
        ("dir/c$.h", "#define C 1\n"),
        ("long_header_name_number_one.h", ""),
        ("long_header_name_number_two.h", ""),
    ];
    for (args, out) in [
        (&["-MM", "main.c"][..], "-"),
        (
            &["-MM", "-MP", "-MT", "x y.o", "-MQ", "$z.o", "main.c"][..],
            "-",
        ),
        (&["-c", "-MMD", "main.c"][..], "main.d"),
        (
            &[
                "-c", "-MMD", "-MP", "-MF", "deps.mk", "main.c", "-o", "obj.o",
            ][..],
            "deps.mk",
        ),
        (
            &["-c", "-MMD", "-MP", "./main.c", "-o", "sub.o"][..],
            "sub.d",
        ),
        // Compile and link in one step: the executable is the target, or without -o the
        // object gcc would have made.
        (&["-MMD", "-MP", "main.c", "-o", "prog"][..], "prog.d"),
        (&["-MMD", "main.c"][..], "a-main.d"),
        // Preprocessing writes the rule the compile would.
        (
            &["-E", "-MMD", "-MF", "pp.d", "main.c", "-o", "main.i"][..],
            "pp.d",
        ),
    ] {
        let (gcc, ours) = deps_both(&files, args, out);
        assert_eq!(ours, gcc, "{args:?}");
    }
    // System headers too, glibc's stdc-predef.h first as gcc reads it (gcc's own headers,
    // stddef.h and the like, are files cfree does not have: its own are built in, so the
    // C library's features.h stands for the system headers here).
    let glibc_only = [
        (
            "main.c",
            "#include <features.h>\n#include \"a.h\"\nint main(void) { return 0; }\n",
        ),
        ("a.h", ""),
    ];
    for (args, out) in [
        (&["-c", "-MD", "main.c"][..], "main.d"),
        (&["-M", "main.c"][..], "-"),
        (&["-E", "-MD", "main.c", "-o", "main.i"][..], "main.d"),
    ] {
        let (gcc, ours) = deps_both(&glibc_only, args, out);
        assert_eq!(ours, gcc, "{args:?}");
    }
}

#[test]
fn compiles_and_links_an_executable_from_several_files() {
    let d = tmpdir("link");
    write(&d, "a.c", "#include <stdio.h>\nint twice(int);\nint main(int c, char **v) { printf(\"%d %s\\n\", twice(21), v[1]); return 0; }\n");
    write(&d, "b.c", "int twice(int x) { return 2 * x; }\n");
    let src = write(&d, "c.txt", "int unused_in_txt = 1;\n");
    run_in(
        &d,
        cfree()
            .args(["cc", "-O2", "a.c", "b.c", "-x", "c"])
            .arg(&src)
            .args(["-o", "prog", "-Wl,--as-needed", "-lm"]),
    );
    let o = ok(Command::new(d.join("prog")).arg("hi").output().unwrap());
    assert_eq!(text(&o.stdout), "42 hi\n");
    // With no -o the executable is a.out, as with gcc.
    run_in(&d, cfree().args(["cc", "a.c", "b.c"]));
    assert!(d.join("a.out").exists());
}

#[test]
fn options_gcc_has_and_cfree_does_not_need_warn_or_fail_by_what_they_mean() {
    let d = tmpdir("flags");
    write(&d, "x.c", "int main(void) { return 0; }\n");
    // Tuning flags: accepted, one warning each, naming the flag.
    let o = run_in(
        &d,
        cfree().args([
            "cc",
            "-c",
            "-fomit-frame-pointer",
            "-march=native",
            "-fomit-frame-pointer",
            "-fwrapv",
            "-fPIC",
            "x.c",
        ]),
    );
    let err = text(&o.stderr);
    assert_eq!(err.matches("-fomit-frame-pointer").count(), 1, "{err}");
    assert!(err.contains("-march=native"), "{err}");
    assert!(!err.contains("wrapv") && !err.contains("PIC"), "{err}");
    // Flags that would change the program's meaning are errors that name them.
    for flag in ["-fshort-enums", "-m32", "-fno-signed-zeros-typo", "-MG"] {
        let o = cfree()
            .args(["cc", "-c", flag, "x.c"])
            .current_dir(&d)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{flag}");
        assert!(
            text(&o.stderr).contains(flag),
            "{flag}: {}",
            text(&o.stderr)
        );
    }
    // -S: no assembly writer, said plainly.
    let o = cfree()
        .args(["cc", "-S", "x.c"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("-S"), "{}", text(&o.stderr));
}

#[test]
fn response_files_hold_arguments_with_gcc_quoting() {
    let d = tmpdir("rsp");
    write(
        &d,
        "p.c",
        "#include <stdio.h>\nint main(void) { printf(\"%s %d\\n\", GREETING, N); return 0; }\n",
    );
    write(
        &d,
        "args.rsp",
        "-DGREETING='\"hello world\"' @more.rsp\np.c\n",
    );
    write(&d, "more.rsp", "-DN=7 -o prog\n");
    run_in(&d, cfree().args(["cc", "@args.rsp"]));
    let o = ok(Command::new(d.join("prog")).output().unwrap());
    let g = run_in(&d, Command::new("gcc").args(["@args.rsp"]));
    assert!(g.status.success());
    let theirs = ok(Command::new(d.join("prog")).output().unwrap());
    assert_eq!(text(&o.stdout), text(&theirs.stdout));
}

/// Output of `prog.c` built by gcc with `flags` and run, then cfree run with the same flags.
fn gcc_and_cfree_run(dir: &Path, flags: &[&str]) -> (String, String) {
    let exe = dir.join("gcc-prog");
    run_in(
        dir,
        Command::new("gcc")
            .args(flags)
            .arg("prog.c")
            .arg("-o")
            .arg(&exe),
    );
    let theirs = ok(Command::new(&exe).output().unwrap());
    let ours = run_in(dir, cfree().arg("run").args(flags).arg("prog.c"));
    (text(&theirs.stdout), text(&ours.stdout))
}

#[test]
fn std_flags_set_stdc_version_and_comment_rules_as_gcc() {
    let d = tmpdir("std");
    // `4 //**/ 2` is 4 / 2 in C90 and 4 where `//` starts a comment.
    write(&d, "prog.c", "#include <stdio.h>\nint main(void) {\n  int x = 4 //**/ 2\n  ;\n#ifdef __STDC_VERSION__\n  printf(\"%ld \", (long)__STDC_VERSION__);\n#else\n  printf(\"none \");\n#endif\n#ifdef __STRICT_ANSI__\n  printf(\"strict \");\n#endif\n  printf(\"%d\\n\", x);\n  return 0;\n}\n");
    for std in [
        "-std=c89",
        "-std=c90",
        "-ansi",
        "-std=gnu89",
        "-std=c99",
        "-std=gnu99",
        "-std=c11",
        "-std=gnu17",
        "-std=iso9899:199409",
    ] {
        let (gcc, ours) = gcc_and_cfree_run(&d, &[std]);
        assert_eq!(ours, gcc, "{std}");
    }
}

#[test]
fn include_flags_search_in_gccs_order() {
    let d = tmpdir("incl");
    // Each directory has the first n headers, so each name is found where the order says.
    let headers = ["one", "two", "three", "four"];
    for (dir, n) in [("q", 1), ("i", 2), ("s", 3), ("after", 4)] {
        for h in &headers[..n] {
            write(
                &d,
                &format!("{dir}/{h}.h"),
                &format!("#define FROM_{} \"{dir}\"\n", h.to_uppercase()),
            );
        }
    }
    write(&d, "sub/inner.h", "#include \"four.h\"\n");
    write(&d, "forced.h", "#define FORCED \"forced\"\n");
    write(&d, "prog.c", "#include <stdio.h>\n#include \"one.h\"\n#include <two.h>\n#include <three.h>\n#include \"sub/inner.h\"\nint main(void) { printf(\"%s %s %s %s %s\\n\", FROM_ONE, FROM_TWO, FROM_THREE, FROM_FOUR, FORCED); return 0; }\n");
    let flags = [
        "-iquote",
        "q",
        "-Ii",
        "-isystem",
        "s",
        "-idirafter",
        "after",
        "-include",
        "forced.h",
    ];
    let (gcc, ours) = gcc_and_cfree_run(&d, &flags);
    assert_eq!(ours, gcc);
    // A missing forced include is a located error, as a missing #include is.
    let o = cfree()
        .args(["run", "-include", "nope.h", "prog.c"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("nope.h"), "{}", text(&o.stderr));
}

#[test]
fn run_reads_c_from_stdin_and_passes_arguments_after_the_first_file() {
    let d = tmpdir("run-args");
    let src = "#include <stdio.h>\nint main(int argc, char **argv) { for (int i = 1; i < argc; i++) printf(\"[%s]\", argv[i]); printf(\"\\n\"); return argc; }\n";
    let p = write(&d, "prog.c", src);
    let mut child = cfree()
        .args(["run", "-", "x", "-y"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), src.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(text(&o.stdout), "[x][-y]\n");
    assert_eq!(o.status.code(), Some(3));
    // Arguments after the first file, even ones that look like options or files.
    let o = cfree()
        .arg("run")
        .arg(&p)
        .args(["a", "-O2", "prog.c"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), "[a][-O2][prog.c]\n");
    // `--` still says where they start.
    let o = cfree()
        .arg("run")
        .arg(&p)
        .args(["--", "b"])
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), "[b]\n");
    // -fsyntax-only checks and does not run.
    let o = cfree()
        .args(["run", "-fsyntax-only"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn argv0_and_glibcs_program_name_are_the_c_files_name() {
    let d = tmpdir("argv0");
    write(&d, "as.c", "#include <assert.h>\n#include <stdio.h>\nint main(int argc, char **argv) {\n  printf(\"%s\\n\", argv[0]);\n  fflush(stdout);\n  assert(argc == 5);\n  return 0;\n}\n");
    run_in(&d, Command::new("gcc").args(["as.c", "-o", "as-gcc"]));
    // What a gcc build prints when exec'd under the name `as.c`.
    let theirs = Command::new(d.join("as-gcc"))
        .arg0("as.c")
        .current_dir(&d)
        .output()
        .unwrap();
    let ours = cfree()
        .args(["run", "as.c"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(text(&ours.stdout), text(&theirs.stdout));
    // cfree adds the signal's backtrace after glibc's message.
    let (ours_err, theirs_err) = (text(&ours.stderr), text(&theirs.stderr));
    assert!(
        !theirs_err.is_empty() && ours_err.starts_with(&theirs_err),
        "{ours_err}\nvs gcc's\n{theirs_err}"
    );
    assert_eq!(ours.status.code(), theirs.status.code());
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(ours.status.signal(), theirs.status.signal());
    // The same under qemu: the target's gcc build exec'd as `as.c` against cfree's image.
    for target in ["aarch64-linux-gnu", "riscv64-linux-gnu"] {
        let exe = format!("as-{target}");
        run_in(
            &d,
            Command::new(format!("{target}-gcc")).args(["as.c", "-o", &exe]),
        );
        let arch = target.split('-').next().unwrap_or_default();
        let theirs = Command::new(format!("qemu-{arch}"))
            .args(["-L", &format!("/usr/{target}"), "-0", "as.c", &exe])
            .current_dir(&d)
            .output()
            .unwrap();
        let ours = cfree()
            .args(["run", "--target", target, "as.c"])
            .current_dir(&d)
            .output()
            .unwrap();
        assert_eq!(text(&ours.stdout), text(&theirs.stdout), "{target}");
        let glibc_line = |e: &[u8]| text(e).lines().next().unwrap_or("").to_string();
        assert_eq!(
            glibc_line(&ours.stderr),
            glibc_line(&theirs.stderr),
            "{target}"
        );
    }
}

use std::os::unix::process::CommandExt;

#[test]
fn run_links_archives_shared_libraries_and_static_l_libraries() {
    let d = tmpdir("run-libs");
    write(&d, "sq.c", "int square(int x) { return x * x; }\n");
    // cube.o needs square.o: an archive member pulling in another member.
    write(
        &d,
        "cube.c",
        "int square(int); int cube(int x) { return square(x) * x; }\n",
    );
    write(
        &d,
        "unused.c",
        "int this_member_is_not_needed(void) { return undefined_function(); }\n",
    );
    write(&d, "tw.c", "int triple(int x) { return 3 * x; }\n");
    write(&d, "prog.c", "#include <stdio.h>\nint cube(int); int triple(int);\nint main(void) { printf(\"%d %d\\n\", cube(3), triple(5)); return 0; }\n");
    for u in ["sq", "cube"] {
        run_in(&d, Command::new("gcc").args(["-c", &format!("{u}.c")]));
    }
    run_in(&d, Command::new("gcc").args(["-c", "-w", "unused.c"]));
    run_in(
        &d,
        Command::new("ar").args(["rcs", "libmath3.a", "cube.o", "unused.o", "sq.o"]),
    );
    run_in(
        &d,
        Command::new("gcc").args(["-shared", "-fPIC", "tw.c", "-o", "libtw.so"]),
    );
    run_in(
        &d,
        Command::new("gcc").args([
            "prog.c",
            "libmath3.a",
            "./libtw.so",
            "-o",
            "gcc-prog",
            "-Wl,-rpath,.",
        ]),
    );
    let expected = text(
        &ok(Command::new(d.join("gcc-prog"))
            .current_dir(&d)
            .output()
            .unwrap())
        .stdout,
    );
    for args in [
        &["prog.c", "libmath3.a", "./libtw.so"][..],
        // Options go before the first file: after it, they are the program's arguments.
        &["-L.", "-lmath3", "prog.c", "./libtw.so"][..],
        &["-L.", "-lmath3", "-ltw", "prog.c"][..],
    ] {
        let o = run_in(&d, cfree().arg("run").args(args));
        assert_eq!(text(&o.stdout), expected, "{args:?}");
    }
    // A C-looking name that is really an archive is linked, not parsed.
    let o = cfree()
        .args(["run", "prog.c", "cube.o", "sq.o", "./libtw.so"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(text(&o.stdout), expected, "{}", text(&o.stderr));
}

#[test]
fn every_subcommand_has_help_and_cc_answers_build_system_probes() {
    for sub in ["run", "cc", "dbg"] {
        let o = ok(cfree().args([sub, "--help"]).output().unwrap());
        assert!(
            text(&o.stdout).starts_with(&format!("usage: cfree {sub}")),
            "{}",
            text(&o.stdout)
        );
    }
    let o = ok(cfree().args(["cc", "-dumpmachine"]).output().unwrap());
    let gcc = ok(Command::new("gcc").arg("-dumpmachine").output().unwrap());
    assert_eq!(text(&o.stdout), text(&gcc.stdout));
    let o = ok(cfree().args(["cc", "--version"]).output().unwrap());
    assert!(text(&o.stdout).starts_with("cfree cc "));
    let o = ok(cfree()
        .args(["cc", "--target", "aarch64-linux-gnu", "-dumpmachine"])
        .output()
        .unwrap());
    let cross = ok(Command::new("aarch64-linux-gnu-gcc")
        .arg("-dumpmachine")
        .output()
        .unwrap());
    assert_eq!(text(&o.stdout), text(&cross.stdout));
}

#[test]
fn the_man_page_renders_and_documents_every_option_of_the_help_pages() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("doc/cfree.1");
    let o = ok(Command::new("man")
        .args(["-P", "cat", "-l"])
        .arg(&page)
        .env("MANWIDTH", "200")
        .output()
        .unwrap());
    // man hyphenates and uses Unicode hyphens; compare on plain ASCII words.
    let rendered = text(&o.stdout).replace(['\u{2010}', '\u{2212}'], "-");
    assert!(rendered.contains("cfree run"), "{rendered}");
    for sub in ["run", "cc", "dbg"] {
        let help = text(&ok(cfree().args([sub, "--help"]).output().unwrap()).stdout);
        for word in help.split_whitespace() {
            let flag = word
                .trim_end_matches([',', ')', ':', ';', '`', '.'])
                .trim_start_matches(['(', '`']);
            let flag = flag.split(['=', '|']).next().unwrap_or("");
            if flag.len() > 2
                && flag.starts_with('-')
                && flag
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '-')
            {
                assert!(
                    rendered.contains(flag),
                    "`cfree {sub} --help` has {flag}, the man page does not"
                );
            }
        }
    }
}

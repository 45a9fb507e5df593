//! How `cfree cc` reports a problem, checked against gcc where gcc says the same thing: the
//! range under the caret, the include chain, "did you mean", notes at the previous
//! definition and at a macro's definition, one "expected ';'" for a missing semicolon, an
//! error limit, and colour only when asked for (or on a terminal).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let d = common::scratch_dir(&format!("diagnostics/{name}"));
    for e in std::fs::read_dir(&d).unwrap().flatten() {
        let _ = std::fs::remove_file(e.path());
    }
    d
}

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Standard error of `cfree cc -c -o /dev/null args...` run in `d` (not a terminal).
fn cfree(d: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_cfree"))
        .current_dir(d)
        .args(["cc", "-c", "-o", "/dev/null"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard error of `gcc -c -o /dev/null args...` in `d`, quotes made ASCII.
fn gcc(d: &Path, args: &[&str]) -> String {
    let o = Command::new("gcc")
        .current_dir(d)
        .args(["-c", "-o", "/dev/null", "-fdiagnostics-color=never"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr).replace(['\u{2018}', '\u{2019}'], "'")
}

/// The source line and caret line printed under the diagnostic whose first line contains
/// `what` (gcc adds fix-it lines after them; those are not compared).
fn snippet(out: &str, what: &str) -> Vec<String> {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains(what))
        .unwrap_or_else(|| panic!("no diagnostic with {what:?} in:\n{out}"));
    lines[i + 1..]
        .iter()
        .take(2)
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn carets_underline_the_whole_token_as_gcc_does() {
    let d = dir("ranges");
    write(
        &d,
        "r.c",
        "int f(void) {\n    int unused_thing;\n    return \"text\";\n}\nint g(long value) { return value / 0; }\n",
    );
    let args = ["-Wall", "r.c"];
    let (g, c) = (gcc(&d, &args), cfree(&d, &args));
    for what in [
        "unused variable",
        "makes integer from pointer",
        "division by zero",
    ] {
        assert_eq!(
            snippet(&c, what),
            snippet(&g, what),
            "{what}\ncfree:\n{c}\ngcc:\n{g}"
        );
    }
}

#[test]
fn a_warning_in_a_header_shows_the_include_chain_as_gcc_does() {
    let d = dir("chain");
    write(
        &d,
        "inner.h",
        "static int inner(void) { int unused_in_header; return 0; }\n",
    );
    write(&d, "outer.h", "/* outer */\n#include \"inner.h\"\n");
    write(
        &d,
        "main.c",
        "#include <stddef.h>\n\n#include \"outer.h\"\nint main(void) { return inner(); }\n",
    );
    let args = ["-Wall", "main.c"];
    let chain = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| {
                l.starts_with("In file included from") || l.starts_with("                 from")
            })
            .map(str::to_string)
            .collect()
    };
    let (g, c) = (gcc(&d, &args), cfree(&d, &args));
    assert!(!chain(&g).is_empty(), "{g}");
    assert_eq!(chain(&c), chain(&g), "cfree:\n{c}\ngcc:\n{g}");
}

#[test]
fn misspelled_names_get_a_suggestion_gcc_also_makes() {
    let d = dir("didyoumean");
    write(
        &d,
        "s.c",
        "struct point { int xpos, ypos; };\nint counter;\nint f(struct point p) { return coutner; }\nint g(struct point p) { return p.ypso; }\n",
    );
    let (g, c) = (gcc(&d, &["s.c"]), cfree(&d, &["s.c"]));
    for want in ["did you mean 'counter'?", "did you mean 'ypos'?"] {
        assert!(g.contains(want), "gcc no longer says {want}:\n{g}");
        assert!(c.contains(want), "{want}\n{c}");
    }
    // And a note where the suggested name is declared.
    assert!(c.contains("s.c:2:5: note: 'counter' declared here"), "{c}");
}

#[test]
fn a_redefinition_points_at_the_previous_definition() {
    let d = dir("redef");
    write(&d, "r.c", "int f(void) { return 1; }\nint f(void) { return 2; }\nint g(void) { int v = 1; int v = 2; return v; }\n");
    let (g, c) = (gcc(&d, &["r.c"]), cfree(&d, &["r.c"]));
    // gcc: "r.c:1:5: note: previous definition of 'f' with type ..." and the same for `v`.
    for (at, name) in [
        ("r.c:1:5: note: previous definition of", "'f'"),
        ("r.c:3:19: note: previous definition of", "'v'"),
    ] {
        assert!(g.contains(&format!("{at} {name}")), "gcc:\n{g}");
        assert!(c.contains(&format!("{at} {name}")), "{at} {name}\n{c}");
    }
}

#[test]
fn an_error_inside_a_macro_expansion_points_at_the_macro() {
    let d = dir("macro");
    write(
        &d,
        "m.c",
        "#define LOOKUP(x) ((x) + missing_table)\nint f(void) {\n  return LOOKUP(1);\n}\n",
    );
    let c = cfree(&d, &["m.c"]);
    assert!(
        c.contains("m.c:3:10: error: 'missing_table' undeclared"),
        "{c}"
    );
    assert!(
        c.contains("m.c:1:9: note: expanded from macro 'LOOKUP'"),
        "{c}"
    );
    // gcc names the same macro, at the same invocation.
    let g = gcc(&d, &["m.c"]);
    assert!(
        g.contains("m.c:3:10: note: in expansion of macro 'LOOKUP'"),
        "{g}"
    );
}

#[test]
fn a_missing_semicolon_is_one_error_after_the_previous_token() {
    let d = dir("semicolon");
    write(
        &d,
        "s.c",
        "int main(void) {\n    int x = 1\n    return x;\n}\n",
    );
    let c = cfree(&d, &["s.c"]);
    assert!(
        c.contains("s.c:2:14: error: expected ';' before 'return'"),
        "{c}"
    );
    assert_eq!(c.matches("error:").count(), 1, "{c}");
    for bad in ["''", "'u8'", "'\"'", "syntax error"] {
        assert!(!c.contains(bad), "{bad} in {c}");
    }
}

#[test]
fn errors_stop_at_the_limit() {
    let d = dir("limit");
    let mut src = String::from("int main(void) {\n");
    for i in 0..40 {
        src.push_str(&format!("  undeclared_{i} = 1;\n"));
    }
    src.push_str("}\n");
    write(&d, "many.c", &src);
    let count = |out: &str| {
        out.lines()
            .filter(|l| l.contains("error: 'undeclared_"))
            .count()
    };
    let c = cfree(&d, &["many.c"]);
    assert_eq!(count(&c), 20, "{c}");
    assert!(
        c.contains("too many errors, stopping now (-fmax-errors=20)"),
        "{c}"
    );
    assert_eq!(count(&cfree(&d, &["-fmax-errors=5", "many.c"])), 5);
    assert_eq!(count(&cfree(&d, &["-fmax-errors=0", "many.c"])), 40);
    // gcc reports each of them too when not limited.
    assert_eq!(count(&gcc(&d, &["many.c"])), 40);
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let d = dir("colour");
    write(&d, "c.c", "int f(void) { int unused; return 0; }\n");
    let plain = cfree(&d, &["-Wall", "c.c"]);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let never = cfree(&d, &["-Wall", "-fdiagnostics-color=never", "c.c"]);
    assert!(!never.contains('\x1b'), "{never:?}");
    let always = cfree(&d, &["-Wall", "-fdiagnostics-color=always", "c.c"]);
    // gcc's default colours: bold magenta "warning:", green caret.
    assert!(always.contains("\x1b[01;35m\x1b[Kwarning:"), "{always:?}");
    assert!(always.contains("\x1b[01;32m\x1b[K^~~~~~"), "{always:?}");
    let g = Command::new("gcc")
        .current_dir(&d)
        .args([
            "-c",
            "-o",
            "/dev/null",
            "-Wall",
            "-fdiagnostics-color=always",
            "c.c",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&g.stderr).contains("\x1b[01;35m\x1b[Kwarning:"));
}

#[test]
fn a_stray_byte_is_named_as_gcc_names_it_and_never_echoed_raw() {
    let d = dir("stray");
    std::fs::write(d.join("s.c"), b"int x = 1;\n\x01\x1b[31m bad\n").unwrap();
    let (g, c) = (gcc(&d, &["s.c"]), cfree(&d, &["s.c"]));
    let first = |out: &str| {
        out.lines()
            .find(|l| l.contains("error:"))
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(first(&c), first(&g), "cfree:\n{c}\ngcc:\n{g}");
    assert!(
        !c.bytes().any(|b| b < 0x20 && b != b'\n'),
        "control bytes reach the terminal: {c:?}"
    );
}

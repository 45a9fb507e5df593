//! Differential tests of the preprocessor against `gcc -E`.
//!
//! Both outputs are re-tokenized (line markers dropped, whitespace ignored) and compared
//! token by token, so the tests check macro expansion and `emit_preprocessed`'s spacing
//! (two tokens must never merge) but not line layout.
//!
//! What is comparable, and how:
//! - `std_examples.c`, `macro_edge.c`, `conditionals.c` use no predefined macro whose
//!   value differs between gcc and cfree: their token streams must be identical.
//! - For the glibc headers the predefined macros differ on purpose (`__GNUC__` is 4.9 for
//!   cfree, gcc's own `<stddef.h>`/`<stdarg.h>` are replaced by cfree's). gcc is therefore
//!   run with `__GNUC__`/`__GNUC_MINOR__`/`__GNUC_PATCHLEVEL__` set to cfree's values, so
//!   glibc takes the same paths. `__has_attribute` and `__has_builtin` still answer
//!   differently (cfree knows fewer attributes and builtins), which only changes which
//!   `__attribute__((...))` glibc attaches; attributes are removed from both sides before
//!   comparing. On top of the token comparison, the sets of declared function names and of
//!   names declared just before a `;` at file scope are compared, which gives a readable
//!   report when something differs. Limits: headers that branch on other gcc-only macros
//!   (`__SSE__`, `__PIC__`, gcc ≥ 5 features) would show up as differences here, and
//!   glibc's own predefs (`stdc-predef.h`) are assumed to match the ones cfree defines.
//!
//! The tests print a message and pass if `gcc` is not installed (CI always has it).

use cfree_frontend::pp::{emit_preprocessed, PpOptions, Preprocessor};
use cfree_frontend::{Diagnostics, SourceMap, TargetInfo};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gcc_available() -> bool {
    let ok = Command::new("gcc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: gcc is not installed, the gcc -E comparison did not run");
    }
    ok
}

fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pp")
        .join(name)
}

fn gcc_e(path: &Path, extra: &[&str]) -> String {
    let out = Command::new("gcc")
        .args(["-E", "-P", "-std=gnu17"])
        .args(extra)
        .arg(path)
        .output()
        .expect("gcc runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// cfree's `-E` output and its rendered diagnostics.
fn cfree_e(path: &Path) -> (String, String, usize) {
    let mut pp = Preprocessor::new(PpOptions::new(TargetInfo::x86_64_linux()));
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let toks = pp.preprocess_file(path, &mut sm, &mut diags);
    (
        emit_preprocessed(&toks, &sm),
        diags.render(&sm),
        diags.items.len(),
    )
}

const PUNCTS: [&str; 49] = [
    "%:%:", "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
    "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "<:", ":>", "<%", "%>", "%:", "[", "]",
    "(", ")", "{", "}", ".", "&", "*", "+", "-", "~", "!", "/", "%", "<", ">", "^", "|", "?",
];

/// A small independent C tokenizer for preprocessed text (line markers removed).
fn tokenize(text: &str) -> Vec<String> {
    let mut toks = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('#')
            && t[1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
            let quote_at = |j: usize| b.get(j).is_some_and(|&q| q == b'"' || q == b'\'');
            let prefix = if b[i..].starts_with(b"u8") && quote_at(i + 2) {
                2
            } else if matches!(c, b'L' | b'u' | b'U') && quote_at(i + 1) {
                1
            } else {
                0
            };
            if c == b'"' || c == b'\'' || prefix > 0 {
                let q = b[i + prefix];
                i += prefix + 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
            } else if c.is_ascii_digit()
                || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
            {
                i += 1;
                while i < b.len() {
                    if matches!(b[i], b'e' | b'E' | b'p' | b'P')
                        && matches!(b.get(i + 1), Some(b'+' | b'-'))
                    {
                        i += 2;
                    } else if word(b[i]) || b[i] == b'.' {
                        i += 1;
                    } else {
                        break;
                    }
                }
            } else if word(c) {
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
            } else if let Some(p) = PUNCTS.iter().find(|p| b[i..].starts_with(p.as_bytes())) {
                i += p.len();
            } else {
                i += 1;
            }
            toks.push(line[start..i].to_string());
        }
    }
    toks
}

/// Fails with the first difference and some context.
fn assert_same_tokens(what: &str, ours: &[String], gcc: &[String]) {
    let first_diff = ours.iter().zip(gcc).position(|(a, b)| a != b);
    let at = match first_diff {
        Some(i) => i,
        None if ours.len() == gcc.len() => return,
        None => ours.len().min(gcc.len()),
    };
    let from = at.saturating_sub(12);
    panic!(
        "{what}: token streams differ at token {at} (cfree {} tokens, gcc {})\n  cfree: {}\n  gcc:   {}",
        ours.len(),
        gcc.len(),
        ours[from..(at + 12).min(ours.len())].join(" "),
        gcc[from..(at + 12).min(gcc.len())].join(" "),
    );
}

fn compare_file(name: &str) {
    if !gcc_available() {
        return;
    }
    let path = input(name);
    let (ours, diags, n) = cfree_e(&path);
    assert_eq!(n, 0, "{name}: cfree diagnostics:\n{diags}");
    let gcc = gcc_e(&path, &[]);
    assert_same_tokens(name, &tokenize(&ours), &tokenize(&gcc));
}

#[test]
fn standard_examples_match_gcc() {
    compare_file("std_examples.c");
}

#[test]
fn macro_edge_cases_match_gcc() {
    compare_file("macro_edge.c");
}

#[test]
fn conditionals_match_gcc() {
    compare_file("conditionals.c");
}

/// Removes `__attribute__ (( ... ))` groups.
fn strip_attributes(toks: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if matches!(toks[i].as_str(), "__attribute__" | "__attribute")
            && toks.get(i + 1).is_some_and(|t| t == "(")
        {
            let mut depth = 0;
            i += 1;
            while i < toks.len() {
                match toks[i].as_str() {
                    "(" => depth += 1,
                    ")" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// (functions declared at file scope, names right before a `;` at file scope).
fn declared_names(toks: &[String]) -> (BTreeSet<String>, BTreeSet<String>) {
    const NOT_NAMES: [&str; 12] = [
        "__attribute__",
        "__attribute",
        "__asm__",
        "__asm",
        "asm",
        "__typeof__",
        "typeof",
        "sizeof",
        "_Alignas",
        "_Static_assert",
        "__extension__",
        "__alignof__",
    ];
    let mut funcs = BTreeSet::new();
    let mut names = BTreeSet::new();
    let (mut parens, mut braces) = (0i32, 0i32);
    for (i, t) in toks.iter().enumerate() {
        match t.as_str() {
            "(" => parens += 1,
            ")" => parens -= 1,
            "{" => braces += 1,
            "}" => braces -= 1,
            _ if parens == 0 && braces == 0 && is_ident(t) && !NOT_NAMES.contains(&t.as_str()) => {
                match toks.get(i + 1).map(String::as_str) {
                    Some("(") => {
                        funcs.insert(t.clone());
                    }
                    Some(";") => {
                        names.insert(t.clone());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    (funcs, names)
}

fn compare_headers(path: &Path, what: &str) {
    let (ours, diags, n) = cfree_e(path);
    assert_eq!(n, 0, "{what}: cfree diagnostics:\n{diags}");
    let gcc = gcc_e(
        path,
        &[
            "-U__GNUC__",
            "-D__GNUC__=4",
            "-U__GNUC_MINOR__",
            "-D__GNUC_MINOR__=9",
            "-U__GNUC_PATCHLEVEL__",
            "-D__GNUC_PATCHLEVEL__=0",
        ],
    );
    let ours = strip_attributes(&tokenize(&ours));
    let gcc = strip_attributes(&tokenize(&gcc));
    let (of, on) = declared_names(&ours);
    let (gf, gn) = declared_names(&gcc);
    assert!(
        !gf.is_empty() || !gn.is_empty() || gcc.is_empty(),
        "{what}: nothing declared?"
    );
    let only =
        |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>();
    assert_eq!(
        (only(&of, &gf), only(&gf, &of)),
        (vec![], vec![]),
        "{what}: functions declared only by cfree / only by gcc"
    );
    assert_eq!(
        (only(&on, &gn), only(&gn, &on)),
        (vec![], vec![]),
        "{what}: file-scope names only in cfree / only in gcc"
    );
    assert_same_tokens(what, &ours, &gcc);
}

const HEADERS: [&str; 24] = [
    "stdio.h",
    "stdlib.h",
    "string.h",
    "math.h",
    "stdint.h",
    "inttypes.h",
    "limits.h",
    "float.h",
    "stdarg.h",
    "stddef.h",
    "stdbool.h",
    "ctype.h",
    "errno.h",
    "assert.h",
    "setjmp.h",
    "signal.h",
    "time.h",
    "unistd.h",
    "pthread.h",
    "sys/types.h",
    "sys/stat.h",
    "fcntl.h",
    "wchar.h",
    "locale.h",
];

#[test]
fn glibc_headers_match_gcc() {
    if !gcc_available() {
        return;
    }
    if !Path::new("/usr/include/stdio.h").exists() {
        eprintln!("SKIPPED: no C library headers in /usr/include");
        return;
    }
    compare_headers(&input("glibc_headers.c"), "glibc_headers.c");
    let dir = std::env::temp_dir().join(format!("cfree-pp-gcc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for h in HEADERS {
        let path = dir.join(format!("{}.c", h.replace('/', "_")));
        std::fs::write(&path, format!("#include <{h}>\n")).expect("write");
        compare_headers(&path, h);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tokenizer_sanity() {
    assert_eq!(
        tokenize("# 1 \"x.c\"\nf(a,b)+++c u8\"s\" L'x' 1e+5.x ...\n  # 3 \"y\"\n#pragma once"),
        [
            "f", "(", "a", ",", "b", ")", "++", "+", "c", "u8\"s\"", "L'x'", "1e+5.x", "...", "#",
            "pragma", "once"
        ]
    );
}

//! Generated ABI interop: for every classification case a psABI distinguishes, a struct type
//! is passed and returned across the boundary between cfree-compiled and gcc-compiled code of
//! the same target, in both directions, and checked by value.
//!
//! The cases ([`types`]): byte arrays of every size from 1 to 40 (one, two eightbytes, memory
//! or by reference), integer/float mixes, homogeneous float, double and long double
//! aggregates of 1 to 5 members (AAPCS64 HFAs stop at 4), and a 16-aligned one. For each type
//! the callee half (`lib.c`) has functions that take it after no other argument, after seven
//! integers and seven doubles (registers nearly used up, so it straddles or spills), twice in
//! a row, through `...` (at a variadic position, read back with `va_arg`), and through a
//! callback into the caller half; the caller half (`main.c`) prints every member of what
//! comes back. gcc builds both halves for the expected output; then cfree builds one half and
//! gcc the other, both ways, and the outputs must be identical. AArch64 and RISC-V 64 run
//! under qemu. The mixes include the shapes RISC-V's hardware floating-point convention
//! flattens (a real with an integer, `float[2]`, a nested struct of one `float`) and the
//! 16-aligned struct is also passed through `...`, where RISC-V wants an even register pair.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A generated struct type: its members' C types (arrays as `T[n]`).
struct Ty {
    name: String,
    members: Vec<(&'static str, usize)>,
    attrs: &'static str,
}

fn types() -> Vec<Ty> {
    let mut out = Vec::new();
    let mut add = |members: Vec<(&'static str, usize)>, attrs: &'static str| {
        let name = format!("t{}", out.len());
        out.push(Ty {
            name,
            members,
            attrs,
        });
    };
    for n in 1..=40 {
        add(vec![("unsigned char", n)], "");
    }
    for base in ["float", "double", "long double"] {
        for n in 1..=5 {
            add(vec![(base, n)], "");
        }
    }
    let mixes: [&[&'static str]; 16] = [
        &["int", "float"],
        &["float", "int"],
        &["double", "long"],
        &["long", "double"],
        &["char", "double"],
        &["float", "float", "int"],
        &["short", "double", "char"],
        &["double", "float"],
        &["float", "double"],
        &["long double", "int"],
        &["int", "int", "int", "int", "int"],
        &["double", "double", "long"],
        // RISC-V's flattening: a real and an integer of 4 bytes, a nested struct of one
        // float (alone and beside another float).
        &["double", "int"],
        &["int", "double"],
        &[NESTED_FLOAT],
        &[NESTED_FLOAT, "float"],
    ];
    for m in mixes {
        add(m.iter().map(|t| (*t, 1)).collect(), "");
    }
    add(vec![("long", 2)], "__attribute__((aligned(16)))");
    out
}

/// A member type that is itself a struct of one `float` (written `struct { float f; }`).
const NESTED_FLOAT: &str = "struct1f";

/// The C spelling of a member type, and the suffix that reaches its scalar.
fn spell(ty: &str) -> (&str, &str) {
    if ty == NESTED_FLOAT {
        ("struct { float f; }", ".f")
    } else {
        (ty, "")
    }
}

fn decl(t: &Ty) -> String {
    let mut s = format!("struct {} {{", t.name);
    for (i, (ty, n)) in t.members.iter().enumerate() {
        let _ = write!(s, " {} m{i}[{n}];", spell(ty).0);
    }
    let _ = writeln!(s, " }} {};", t.attrs);
    s
}

/// `r.member += k` for every element, so each direction changes every byte it returns.
fn bump(t: &Ty, var: &str, k: &str) -> String {
    let mut s = String::new();
    for (i, (ty, n)) in t.members.iter().enumerate() {
        let f = spell(ty).1;
        let _ = write!(s, "for (int j = 0; j < {n}; j++) {var}.m{i}[j]{f} += {k}; ");
    }
    s
}

fn sources() -> (String, String) {
    let tys = types();
    let mut common = String::from("#include <stdarg.h>\n#include <stdio.h>\n");
    for t in &tys {
        common.push_str(&decl(t));
    }
    let mut lib = common.clone();
    let mut main = common;
    // Members only (padding is unspecified), floating ones by value (x87's padding too).
    main.push_str("static void bytes(const void *v, int n) {\n  const unsigned char *p = v;\n  for (int i = 0; i < n; i++) printf(\" %02x\", p[i]);\n}\n");
    for t in &tys {
        let _ = write!(
            main,
            "static void show_{n}(const char *what, struct {n} *r) {{ printf(\"%s:\", what);",
            n = t.name
        );
        for (i, (ty, m)) in t.members.iter().enumerate() {
            let fmt = match *ty {
                "long double" => Some(("%La", "")),
                "float" | "double" | NESTED_FLOAT => Some(("%a", "(double)")),
                _ => None,
            };
            let field = spell(ty).1;
            match fmt {
                Some((f, cast)) => {
                    let _ = write!(
                        main,
                        " for (int j = 0; j < {m}; j++) printf(\" {f}\", {cast}r->m{i}[j]{field});"
                    );
                }
                None => {
                    let _ = write!(main, " bytes(r->m{i}, sizeof r->m{i});");
                }
            }
        }
        let _ = writeln!(main, " printf(\"\\n\"); }}");
    }
    let mut body = String::new();
    for t in &tys {
        let (n, s) = (&t.name, format!("struct {}", t.name));
        // Callee half.
        let _ = writeln!(
            lib,
            "{s} {n}_id({s} a) {{ {} return a; }}",
            bump(t, "a", "1")
        );
        let _ = writeln!(lib, "{s} {n}_late(long i1, long i2, long i3, long i4, long i5, long i6, long i7, double d1, double d2, double d3, double d4, double d5, double d6, double d7, {s} a) {{ {} return a; }}", bump(t, "a", "(int)(i7 + d7)"));
        let _ = writeln!(
            lib,
            "{s} {n}_two({s} a, {s} b) {{ {} {} return b; }}",
            bump(t, "b", "2"),
            bump(t, "a", "0")
        );
        let _ = writeln!(lib, "{s} {n}_va(int c, ...) {{ va_list ap; va_start(ap, c); {s} r = va_arg(ap, {s}); (void)va_arg(ap, double); {s} q = va_arg(ap, {s}); va_end(ap); {} (void)q; return q; }}", bump(t, "q", "c"));
        let _ = writeln!(
            lib,
            "{s} {n}_cb({s} (*f)({s}, int), {s} a) {{ return f(a, 5); }}"
        );
        // Caller half.
        let _ = writeln!(main, "{s} {n}_id({s}); {s} {n}_late(long, long, long, long, long, long, long, double, double, double, double, double, double, double, {s}); {s} {n}_two({s}, {s}); {s} {n}_va(int, ...); {s} {n}_cb({s} (*)({s}, int), {s});");
        let _ = writeln!(
            main,
            "static {s} {n}_back({s} a, int k) {{ {} return a; }}",
            bump(t, "a", "k")
        );
        let _ = writeln!(body, "  {{ {s} a; unsigned char *p = (unsigned char *)&a; for (unsigned i = 0; i < sizeof a; i++) p[i] = (unsigned char)(i * 7 + {k});", k = tys.iter().position(|x| x.name == t.name).unwrap_or(0));
        // Floating members get small exact values so every build agrees on their bits.
        for (i, (ty, m)) in t.members.iter().enumerate() {
            if ty.contains("float") || ty.contains("double") || *ty == NESTED_FLOAT {
                let f = spell(ty).1;
                let _ = write!(
                    body,
                    " for (int j = 0; j < {m}; j++) a.m{i}[j]{f} = j + {i} + 0.5;"
                );
            }
        }
        let _ = writeln!(body);
        let _ = writeln!(body, "    {s} r = {n}_id(a); show_{n}(\"{n} id\", &r);");
        let _ = writeln!(body, "    r = {n}_late(1, 2, 3, 4, 5, 6, 7, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, a); show_{n}(\"{n} late\", &r);");
        let _ = writeln!(body, "    r = {n}_two(a, r); show_{n}(\"{n} two\", &r);");
        let _ = writeln!(
            body,
            "    r = {n}_va(3, a, 2.5, r); show_{n}(\"{n} va\", &r);"
        );
        let _ = writeln!(
            body,
            "    r = {n}_cb({n}_back, a); show_{n}(\"{n} cb\", &r); }}"
        );
    }
    let _ = writeln!(main, "int main(void) {{\n{body}  return 0;\n}}");
    (main, lib)
}

/// The compilers and runner of one target.
struct Target {
    name: &'static str,
    gcc: &'static str,
    cfree_target: &'static str,
    run: Vec<String>,
}

fn compile(cmd: &mut Command, what: &str) {
    let o = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn gcc_obj(t: &Target, src: &Path, obj: &Path) {
    compile(
        Command::new(t.gcc)
            .args(["-w", "-c"])
            .arg(src)
            .arg("-o")
            .arg(obj),
        &format!("{} -c {}", t.gcc, src.display()),
    );
}

fn cfree_obj(t: &Target, src: &Path, obj: &Path, opt: &str) {
    compile(
        Command::new(env!("CARGO_BIN_EXE_cfree"))
            .args(["cc", "-w", "-c", opt, "--target", t.cfree_target])
            .arg(src)
            .arg("-o")
            .arg(obj),
        &format!(
            "cfree cc -c {opt} --target {} {}",
            t.cfree_target,
            src.display()
        ),
    );
}

fn link_run(t: &Target, dir: &Path, objs: [&Path; 2], exe: &str) -> String {
    let exe = dir.join(exe);
    compile(
        Command::new(t.gcc).args(objs).arg("-o").arg(&exe),
        &format!("link {}", exe.display()),
    );
    let mut cmd = Command::new(&t.run[0]);
    cmd.args(&t.run[1..]).arg(&exe);
    let r = cmd.output().unwrap();
    assert!(
        r.status.success(),
        "{} failed: {}",
        exe.display(),
        String::from_utf8_lossy(&r.stderr)
    );
    String::from_utf8_lossy(&r.stdout).into_owned()
}

/// The first differing line, for the failure message.
fn first_diff(expected: &str, actual: &str) -> String {
    for (e, a) in expected.lines().zip(actual.lines()) {
        if e != a {
            return format!("expected: {e}\n  actual: {a}");
        }
    }
    format!(
        "{} lines expected, {} printed",
        expected.lines().count(),
        actual.lines().count()
    )
}

fn check(t: Target) {
    let dir: PathBuf = common::scratch_dir(&format!("abi-generated-{}", t.name));
    let (main, lib) = sources();
    let (ms, ls) = (dir.join("main.c"), dir.join("lib.c"));
    std::fs::write(&ms, main).unwrap();
    std::fs::write(&ls, lib).unwrap();
    let (gm, gl) = (dir.join("gcc_main.o"), dir.join("gcc_lib.o"));
    gcc_obj(&t, &ms, &gm);
    gcc_obj(&t, &ls, &gl);
    let expected = link_run(&t, &dir, [&gm, &gl], "gcc_gcc");
    assert_eq!(expected.lines().count(), types().len() * 5);
    for opt in ["-O0", "-O2"] {
        let (cm, cl) = (
            dir.join(format!("main{opt}.o")),
            dir.join(format!("lib{opt}.o")),
        );
        cfree_obj(&t, &ms, &cm, opt);
        cfree_obj(&t, &ls, &cl, opt);
        let caller = link_run(&t, &dir, [&cm, &gl], &format!("cfree_gcc{opt}"));
        assert!(
            caller == expected,
            "{}: cfree {opt} caller, gcc callee\n  {}",
            t.name,
            first_diff(&expected, &caller)
        );
        let callee = link_run(&t, &dir, [&gm, &cl], &format!("gcc_cfree{opt}"));
        assert!(
            callee == expected,
            "{}: gcc caller, cfree {opt} callee\n  {}",
            t.name,
            first_diff(&expected, &callee)
        );
    }
}

#[test]
fn x86_64_structs_cross_the_gcc_boundary() {
    check(Target {
        name: "x86_64",
        gcc: "gcc",
        cfree_target: "x86_64-linux-gnu",
        run: vec!["env".into()],
    });
}

#[test]
fn riscv64_structs_cross_the_gcc_boundary() {
    check(Target {
        name: "riscv64",
        gcc: "riscv64-linux-gnu-gcc",
        cfree_target: "riscv64-linux-gnu",
        run: vec![
            "qemu-riscv64".into(),
            "-L".into(),
            "/usr/riscv64-linux-gnu".into(),
        ],
    });
}

#[test]
fn aarch64_structs_cross_the_gcc_boundary() {
    check(Target {
        name: "aarch64",
        gcc: "aarch64-linux-gnu-gcc",
        cfree_target: "aarch64-linux-gnu",
        run: vec![
            "qemu-aarch64".into(),
            "-L".into(),
            "/usr/aarch64-linux-gnu".into(),
        ],
    });
}

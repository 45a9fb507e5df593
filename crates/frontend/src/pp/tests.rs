//! Unit tests of the whole preprocessor on small inputs.

use super::*;
use crate::diag::Severity;

fn pp_with(opts: PpOptions, src: &str) -> (String, Vec<String>, SourceMap) {
    let mut pp = Preprocessor::new(opts);
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let toks = pp.preprocess_str("t.c", src, &mut sm, &mut diags);
    let text = spell(&toks);
    let msgs = diags
        .items
        .iter()
        .map(|d| {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            match d.loc {
                Some(l) => {
                    let (name, line, col) = sm.resolve(l);
                    format!("{name}:{line}:{col}: {kind}: {}", d.message)
                }
                None => format!("{kind}: {}", d.message),
            }
        })
        .collect();
    (text, msgs, sm)
}

/// The options of these tests: no `<stdc-predef.h>`, so a test sees only its own text.
fn opts() -> PpOptions {
    let mut o = PpOptions::new(TargetInfo::x86_64_linux());
    o.implicit_predef = false;
    o
}

#[test]
fn stdc_predef_h_is_read_first_as_gcc_reads_it() {
    let read = |o: PpOptions| {
        let (_, msgs, sm) = pp_with(o, "int x;");
        assert!(msgs.is_empty(), "{msgs:?}");
        let found = sm.files().any(|(_, f)| f.name.ends_with("stdc-predef.h"));
        found
    };
    assert!(!read(opts()));
    if std::path::Path::new("/usr/include/stdc-predef.h").exists() {
        assert!(read(PpOptions::new(TargetInfo::x86_64_linux())));
    }
}

/// Tokens joined by single spaces (pragmas as `#pragma ...`).
fn spell(toks: &[Token]) -> String {
    toks.iter()
        .map(|t| match t.kind {
            TokKind::Pragma => format!("#pragma {}", t.text),
            _ => t.text.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn pp(src: &str) -> String {
    let (text, msgs, _) = pp_with(opts(), src);
    assert!(msgs.is_empty(), "unexpected diagnostics: {msgs:?}");
    text
}

fn pp_diags(src: &str) -> (String, Vec<String>) {
    let (text, msgs, _) = pp_with(opts(), src);
    (text, msgs)
}

#[test]
fn object_and_function_macros() {
    assert_eq!(pp("#define X 1 + 2\nX * X"), "1 + 2 * 1 + 2");
    assert_eq!(
        pp("#define f(a, b) a + b\nf(1, 2) f((1, 2), 3)"),
        "1 + 2 ( 1 , 2 ) + 3"
    );
    assert_eq!(pp("#define f(x) x\nf"), "f");
    assert_eq!(pp("#define f(x) [x]\nf\n\n(1)"), "[ 1 ]");
    assert_eq!(pp("#define f() z\nf() f ( )"), "z z");
    assert_eq!(pp("#define E\n#define f(x) <x>\nf() f(E)"), "< > < >");
}

#[test]
fn recursion_is_blocked() {
    assert_eq!(pp("#define foo foo\nfoo"), "foo");
    assert_eq!(pp("#define a b\n#define b a\na b"), "a b");
    assert_eq!(pp("#define f(x) g(x)\n#define g(x) f(x)\nf(1)"), "f ( 1 )");
    // The painted `f` stays unexpanded even when it later meets `(`.
    assert_eq!(pp("#define f(x) x f\nf(1)(2)"), "1 f ( 2 )");
    assert_eq!(pp("#define f(x) x\n#define g f(g)\ng"), "g");
}

#[test]
fn rescanning_takes_arguments_from_the_rest_of_the_file() {
    assert_eq!(pp("#define f(x) x+1\n#define g f\ng(2)"), "2 + 1");
    assert_eq!(pp("#define f(x) (x)\n#define h() f\nh()(3)"), "( 3 )");
}

#[test]
fn stringizing() {
    assert_eq!(pp("#define s(x) #x\ns(  a   +\n  b  )"), "\"a + b\"");
    assert_eq!(
        pp(r#"#define s(x) #x
s("a\n" '\'' L"q\\")"#),
        r#""\"a\\n\" '\\'' L\"q\\\\\"""#
    );
    assert_eq!(pp("#define s(x) #x\ns()"), "\"\"");
    assert_eq!(
        pp("#define s(...) #__VA_ARGS__\ns(a,b ,  c)"),
        "\"a,b , c\""
    );
}

#[test]
fn pasting() {
    assert_eq!(
        pp("#define c(a,b) a##b\nc(x,y) c(,y) c(x,) c(,) c(1,e)+"),
        "xy y x 1e +"
    );
    assert_eq!(pp("#define c(a,b,c) a##b##c\nc(1,,3) c(,,3) c(,,)"), "13 3");
    assert_eq!(pp("#define H # ## #\n#define X H\nX"), "##");
    assert_eq!(pp("#define c(a) a ## 1\n#define x1 y\nc(x)"), "y");
    // Operands of ## are not expanded first.
    assert_eq!(pp("#define c(a,b) a##b\n#define A 1\nc(A,B)"), "AB");
    let (text, msgs) = pp_diags("#define c(a,b) a##b\nc(/,/) c(+,-)");
    assert_eq!(text, "/ / + -");
    assert_eq!(
        msgs,
        [
            "t.c:2:3: error: pasting \"/\" and \"/\" does not give a valid preprocessing token",
            "t.c:2:10: error: pasting \"+\" and \"-\" does not give a valid preprocessing token",
        ]
    );
}

#[test]
fn variadic_macros() {
    assert_eq!(
        pp("#define f(...) g(__VA_ARGS__)\nf(1, 2) f()"),
        "g ( 1 , 2 ) g ( )"
    );
    assert_eq!(
        pp("#define f(a, ...) g(a, ## __VA_ARGS__)\nf(1) f(1,) f(1,2)"),
        "g ( 1 ) g ( 1 , ) g ( 1 , 2 )"
    );
    assert_eq!(
        pp("#define e(...) g(0, ## __VA_ARGS__)\ne() e(e(1))"),
        "g ( 0 ) g ( 0 , e ( 1 ) )"
    );
    assert_eq!(
        pp("#define f(a, args...) g(a, ## args)\nf(1) f(1,2,3)"),
        "g ( 1 ) g ( 1 , 2 , 3 )"
    );
    assert_eq!(
        pp("#define E\n#define F(a,...) f(a __VA_OPT__(,) __VA_ARGS__)\nF(1) F(1,E) F(1,2,3)"),
        "f ( 1 ) f ( 1 ) f ( 1 , 2 , 3 )"
    );
    assert_eq!(
        pp("#define G(X, ...) X __VA_OPT__(- X ## __VA_ARGS__) #__VA_OPT__(a  b)\nG(a, b) G(a)"),
        "a - ab \"a b\" a \"\""
    );
}

#[test]
fn argument_pre_expansion() {
    assert_eq!(
        pp("#define f(x) x\n#define g(x) x\ng(f)(1)"),
        "f ( 1 )".replace("f ( 1 )", "1")
    );
    assert_eq!(
        pp("#define A B\n#define B 2\n#define f(x) #x x\nf(A)"),
        "\"A\" 2"
    );
    assert_eq!(
        pp("#define f(x, y) x y\nf(f(1,2), f(3, f(4,5)))"),
        "1 2 3 4 5"
    );
}

#[test]
fn builtin_macros() {
    let src = "__LINE__ __FILE__\n#line 100 \"x.c\"\n__LINE__ __FILE__ __COUNTER__ __COUNTER__ __INCLUDE_LEVEL__ __BASE_FILE__";
    assert_eq!(pp(src), "1 \"t.c\" 100 \"x.c\" 0 1 0 \"t.c\"");
    assert_eq!(
        pp("#define L __LINE__\n#define f(x) x\nL\nf(\n__LINE__\n)"),
        "3 5"
    );
    assert_eq!(
        pp("__STDC__ __STDC_VERSION__ __GNUC__ __x86_64__ __CHAR_BIT__ __SIZEOF_LONG__"),
        "1 201710L 4 1 8 8"
    );
    assert_eq!(pp("__SIZE_TYPE__ __INT64_C(5)"), "long unsigned int 5L");
    let d = pp("__DATE__ __TIME__");
    assert!(d.len() == 24 && d.starts_with('"'), "{d}");
}

#[test]
fn conditionals() {
    let src = "#if 1\na\n#elif 1\nb\n#else\nc\n#endif\n#if 0\nd\n#elif 2 > 1\ne\n#else\nf\n#endif\n#ifdef X\ng\n#else\nh\n#endif";
    assert_eq!(pp(src), "a e h");
    assert_eq!(
        pp("#if 0\n#if 1\nx\n#else\ny\n#endif\n#else\nz\n#endif"),
        "z"
    );
    assert_eq!(pp("#if 0\n#error no\ndon't\n#bogus\n#endif\nok"), "ok");
    assert_eq!(
        pp("#define X\n#if defined X && defined(X) && !defined Y\nyes\n#endif"),
        "yes"
    );
    assert_eq!(
        pp("#define D defined(Z)\n#define Z\n#if D\nyes\n#endif"),
        "yes"
    );
    assert_eq!(pp("#ifdef __FILE__\na\n#endif\n#if defined(__has_include) && __has_include(<stddef.h>) && !__has_include(\"nope.h\")\nb\n#endif"), "a b");
}

#[test]
fn if_expressions() {
    let t = |e: &str| pp(&format!("#if {e}\n1\n#else\n0\n#endif"));
    assert_eq!(t("-1 > 0u"), "1");
    assert_eq!(t("-1 < 0"), "1");
    assert_eq!(t("18446744073709551615u == -1"), "1");
    assert_eq!(t("(2 || 1/0) && 0 ? 1/0 : 3"), "1");
    assert_eq!(t("0 && 1/0"), "0");
    assert_eq!(t("1 ? 2 : (1/0)"), "1");
    assert_eq!(t("1 << 63 < 0"), "1");
    assert_eq!(t("(1u << 63) > 0"), "1");
    assert_eq!(t("-1 >> 1 == -1"), "1");
    assert_eq!(t("7 / 2 == 3 && -7 % 3 == -1 && ~0 == -1 && !0 == 1"), "1");
    assert_eq!(
        t("'a' == 97 && '\\377' < 0 && 'ab' == 24930 && L'\\0' == 0"),
        "1"
    );
    assert_eq!(t("(0, 1)"), "1");
    assert_eq!(t("undefined_thing == 0 && true == 0"), "1");
    assert_eq!(
        t("0x10 == 16 && 010 == 8 && 0b11 == 3 && 10LL == 10 && 5ull == 5"),
        "1"
    );
    assert_eq!(t("(1 ? -1 : 0u) > 0"), "1");
    assert_eq!(
        t("__has_builtin(__builtin_expect) && !__has_builtin(__builtin_nope)"),
        "1"
    );
    assert_eq!(
        t("__has_attribute(packed) && __has_attribute(__noreturn__) && !__has_attribute(nope)"),
        "1"
    );
    assert_eq!(t("__has_c_attribute(nodiscard) || __has_feature(c_atomic) || __has_extension(x) || __has_cpp_attribute(x)"), "0");
}

#[test]
fn if_errors() {
    let e = |x: &str| pp_diags(&format!("#if {x}\n#endif")).1;
    assert_eq!(e("1/0"), ["t.c:1:6: error: division by zero in #if"]);
    assert_eq!(e("1 %0"), ["t.c:1:7: error: division by zero in #if"]);
    assert_eq!(
        e("1 +"),
        ["t.c:1:7: error: operator '+' has no right operand"]
    );
    assert_eq!(e("(1"), ["t.c:1:5: error: missing ')' in expression"]);
    assert_eq!(
        e("1 2"),
        ["t.c:1:7: error: missing binary operator before token \"2\""]
    );
    assert_eq!(
        e("1 = 2"),
        ["t.c:1:7: error: token \"=\" is not valid in preprocessor expressions"]
    );
    assert_eq!(
        e("1.0"),
        ["t.c:1:5: error: floating constant in preprocessor expression"]
    );
    assert_eq!(
        e("\"s\""),
        ["t.c:1:5: error: token \"\"s\"\" is not valid in preprocessor expressions"]
    );
    assert_eq!(
        e("1 += 2"),
        ["t.c:1:7: error: token \"+=\" is not valid in preprocessor expressions"]
    );
    assert_eq!(e("("), ["t.c:1:5: error: missing ')' in expression"]);
    assert_eq!(e("1 ? 2"), ["t.c:1:7: error: '?' without following ':'"]);
    assert_eq!(
        e("defined"),
        ["t.c:1:5: error: operator \"defined\" requires an identifier"]
    );
    assert_eq!(
        e("defined(X"),
        ["t.c:1:5: error: missing ')' after \"defined\""]
    );
    assert_eq!(
        pp_diags("#if\n#endif").1,
        ["t.c:1:2: error: #if with no expression"]
    );
    let (text, msgs) = pp_diags("#if 1/0\na\n#else\nb\n#endif");
    assert_eq!(text, "b");
    assert_eq!(msgs.len(), 1);
}

#[test]
fn conditional_structure_errors() {
    assert_eq!(pp_diags("#if 1\nx").1, ["t.c:1:2: error: unterminated #if"]);
    assert_eq!(
        pp_diags("#ifndef A\nx").1,
        ["t.c:1:2: error: unterminated #ifndef"]
    );
    assert_eq!(pp_diags("#if 0\nx").1, ["t.c:1:2: error: unterminated #if"]);
    assert_eq!(pp_diags("#endif").1, ["t.c:1:2: error: #endif without #if"]);
    assert_eq!(pp_diags("#else").1, ["t.c:1:2: error: #else without #if"]);
    assert_eq!(pp_diags("#elif 1").1, ["t.c:1:2: error: #elif without #if"]);
    assert_eq!(
        pp_diags("#if 1\n#else\n#else\n#endif").1,
        ["t.c:3:2: error: #else after #else"]
    );
    assert_eq!(
        pp_diags("#if 0\n#else\n#elif 1\n#endif").1,
        ["t.c:3:2: error: #elif after #else"]
    );
    assert_eq!(
        pp_diags("  #  foo bar").1,
        ["t.c:1:6: error: invalid preprocessing directive #foo"]
    );
    assert_eq!(pp("#\n# /* null */\nx"), "x");
}

#[test]
fn define_errors() {
    assert_eq!(
        pp_diags("#define 3").1,
        ["t.c:1:9: error: macro names must be identifiers"]
    );
    assert_eq!(
        pp_diags("#define").1,
        ["t.c:1:8: error: no macro name given in #define directive"]
    );
    assert_eq!(
        pp_diags("#define defined").1,
        ["t.c:1:9: error: \"defined\" cannot be used as a macro name"]
    );
    assert_eq!(
        pp_diags("#define f(x) #y").1,
        ["t.c:1:14: error: '#' is not followed by a macro parameter"]
    );
    assert_eq!(
        pp_diags("#define f(x) ## x").1,
        ["t.c:1:14: error: '##' cannot appear at either end of a macro expansion"]
    );
    assert_eq!(
        pp_diags("#define f x ##").1,
        ["t.c:1:13: error: '##' cannot appear at either end of a macro expansion"]
    );
    assert_eq!(
        pp_diags("#define f(x,x) x").1,
        ["t.c:1:13: error: duplicate macro parameter \"x\""]
    );
    assert_eq!(
        pp_diags("#define f(x y) x").1,
        ["t.c:1:13: error: expected ',' or ')', found \"y\""]
    );
    assert_eq!(
        pp_diags("#define f(x").1,
        ["t.c:1:9: error: missing ')' in macro parameter list"]
    );
    // Object-like: `#` is an ordinary token.
    assert_eq!(pp("#define H # x\nH"), "# x");
}

#[test]
fn redefinition() {
    assert_eq!(pp("#define A 1 /* c */ + 2\n#define A 1 + 2\nA"), "1 + 2");
    assert_eq!(
        pp("#define f(x) x\n#define f(x) x\n#undef f\n#define f 2\nf"),
        "2"
    );
    assert_eq!(
        pp_diags("#define A 1\n#define A 2\nA").1,
        ["t.c:2:9: warning: \"A\" redefined",]
    );
    assert_eq!(pp_diags("#define A 1+2\n#define A 1 + 2").1.len(), 1);
    assert_eq!(pp_diags("#define f(x) x\n#define f(y) y").1.len(), 1);
}

#[test]
fn invocation_errors() {
    assert_eq!(
        pp_diags("#define f(x) x\nf(1").1,
        ["t.c:2:1: error: unterminated argument list invoking macro \"f\""]
    );
    assert_eq!(
        pp_diags("#define f(x, y) x\nf(1)").1,
        ["t.c:2:1: error: macro \"f\" requires 2 arguments, but only 1 given"]
    );
    assert_eq!(
        pp_diags("#define f(x) x\nf(1, 2)").1,
        ["t.c:2:1: error: macro \"f\" passed 2 arguments, but takes just 1"]
    );
    assert_eq!(
        pp_diags("#define f() x\nf(1)").1,
        ["t.c:2:1: error: macro \"f\" passed 1 arguments, but takes just 0"]
    );
}

#[test]
fn lexical_errors_have_locations() {
    assert_eq!(
        pp_diags("a /* b").1,
        ["t.c:1:3: error: unterminated comment"]
    );
    assert_eq!(
        pp_diags("x\n  \"abc").1,
        ["t.c:2:3: error: missing terminating \" character"]
    );
    assert_eq!(
        pp_diags("'").1,
        ["t.c:1:1: error: missing terminating ' character"]
    );
    assert_eq!(
        pp_diags("#error don't  do \"this\"").1,
        [
            "t.c:1:11: warning: missing terminating ' character",
            "t.c:1:2: error: #error don't  do \"this\""
        ]
    );
    assert_eq!(
        pp_diags("#warning careful").1,
        ["t.c:1:2: warning: #warning careful"]
    );
}

#[test]
fn splices_everywhere() {
    assert_eq!(pp("#def\\\nine X 1\\\n2\nX in\\\nt"), "12 int");
    let (_, msgs) = pp_diags("a\\\nb \\\n /* x\n");
    assert_eq!(msgs, ["t.c:3:2: error: unterminated comment"]);
}

#[test]
fn pragmas() {
    let src = "#pragma pack(push, N)\n#define N 4\n#pragma pack(N)\n#pragma GCC visibility push(default)\n_Pragma(\"omp parallel\") x\n#define P(x) _Pragma(#x) y\nP(message(\"hi\"))\n#pragma once\n#pragma push_macro(\"N\")\n#undef N\nN\n#pragma pop_macro(\"N\")\nN";
    let (text, msgs) = pp_diags(src);
    assert_eq!(
        text,
        "#pragma pack(push, N) #pragma pack(4) #pragma GCC visibility push(default) #pragma omp parallel x #pragma message(\"hi\") y N 4"
    );
    assert_eq!(msgs, ["t.c:8:9: warning: #pragma once in main file"]);
    assert_eq!(
        pp_diags("#pragma GCC poison bad\nbad").1,
        ["t.c:2:1: error: attempt to use poisoned \"bad\""]
    );
    assert_eq!(
        pp_diags("#pragma GCC error \"stop\"").1,
        ["t.c:1:2: error: stop"]
    );
}

#[test]
fn line_directive_and_markers() {
    let (text, msgs, sm) = pp_with(opts(), "#line 10\na\n# 20 \"z.c\" 1\nb __FILE__\n#line x");
    assert_eq!(text, "a b \"z.c\"");
    assert_eq!(
        msgs,
        ["z.c:21:7: error: \"x\" after #line is not a positive integer"]
    );
    assert_eq!(sm.len(), 2);
}

#[test]
fn includes_from_builtin_headers() {
    let out = pp(
        "#include <stddef.h>\n#include <stdbool.h>\nsize_t offsetof(struct s, m) bool true NULL",
    );
    assert!(
        out.ends_with("size_t __builtin_offsetof ( struct s , m ) _Bool 1 ( ( void * ) 0 )"),
        "{out}"
    );
    assert!(out.contains("typedef long unsigned int size_t ;"), "{out}");
    let out = pp("#define __need_size_t\n#include <stddef.h>\nNULL");
    assert_eq!(out, "typedef long unsigned int size_t ; NULL");
    let out = pp("#include <stdarg.h>\nva_list va_arg(ap, int)");
    assert!(
        out.ends_with("va_list __builtin_va_arg ( ap , int )"),
        "{out}"
    );
    let out = pp("#include <float.h>\n#include <iso646.h>\n#include <stdalign.h>\n#include <stdnoreturn.h>\nFLT_MANT_DIG LDBL_MANT_DIG not alignas noreturn");
    assert_eq!(out, "24 64 ! _Alignas _Noreturn");
}

#[test]
fn missing_include() {
    let (_, msgs) = pp_diags("\n  #include \"no/such.h\"\n#include <nope.h>");
    assert_eq!(
        msgs,
        [
            "t.c:2:12: error: no/such.h: No such file or directory",
            "t.c:3:10: error: nope.h: No such file or directory",
        ]
    );
}

#[test]
fn include_files_guards_once_and_depth() {
    let dir = std::env::temp_dir().join(format!("cfree-pp-test-{}", std::process::id()));
    let _ = std::fs::create_dir_all(dir.join("sub"));
    let w = |name: &str, text: &str| {
        let _ = std::fs::write(dir.join(name), text);
    };
    w("g.h", "#ifndef G_H\n#define G_H\nguarded\n#endif\n");
    w("o.h", "#pragma once\nonce\n");
    w("self.h", "#include \"self.h\"\n");
    w("sub/n.h", "in_sub\n#include_next <n.h>\n");
    w("n.h", "in_top\n");
    w("l.h", "__FILE__ __LINE__ __INCLUDE_LEVEL__\n");
    let main = dir.join("main.c");
    let _ = std::fs::write(
        &main,
        "#include \"g.h\"\n#include \"g.h\"\n#include \"o.h\"\n#include \"o.h\"\n#define HDR <n.h>\n#include HDR\n#include \"l.h\"\n",
    );
    let mut o = opts();
    o.include_dirs = vec![dir.join("sub"), dir.clone()];
    let mut pp = Preprocessor::new(o);
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let toks = pp.preprocess_file(&main, &mut sm, &mut diags);
    assert!(diags.items.is_empty(), "{}", diags.render(&sm));
    let l = format!("\"{}\"", dir.join("l.h").display());
    assert_eq!(spell(&toks), format!("guarded once in_sub in_top {l} 1 1"));
    // g.h was opened once: the guard kept the second include from reading it.
    let opened = sm.files().filter(|(_, f)| f.name.ends_with("g.h")).count();
    assert_eq!(opened, 1);

    let self_inc = dir.join("self.h");
    let mut diags = Diagnostics::default();
    let mut sm = SourceMap::new();
    let mut pp = Preprocessor::new(opts());
    pp.preprocess_file(&self_inc, &mut sm, &mut diags);
    assert_eq!(diags.error_count(), 1);
    assert!(
        diags.items[0]
            .message
            .starts_with("#include nested depth 200 exceeds maximum of 200"),
        "{}",
        diags.items[0].message
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn macros_survive_across_inputs() {
    let mut pp = Preprocessor::new(opts());
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    pp.preprocess_str("a.c", "#define TWICE(x) ((x) * 2)", &mut sm, &mut diags);
    let toks = pp.preprocess_str("b.c", "TWICE(3)", &mut sm, &mut diags);
    assert_eq!(spell(&toks), "( ( 3 ) * 2 )");
    assert!(diags.items.is_empty());
}

#[test]
fn command_line_defines() {
    let mut o = opts();
    o.macros = vec![
        CmdMacro::define("A"),
        CmdMacro::define("B=x y"),
        CmdMacro::define("F(x)=[x]"),
        CmdMacro::Undef("__GNUC__".into()),
        CmdMacro::Undef("C".into()),
        CmdMacro::define("C=2"),
        CmdMacro::define("D=3"),
        CmdMacro::Undef("D".into()),
    ];
    let (text, msgs, _) = pp_with(o, "A B F(1) __GNUC__ C D");
    assert!(msgs.is_empty(), "{msgs:?}");
    // In command-line order, as gcc: `-UC -DC=2` defines C, `-DD=3 -UD` leaves D undefined.
    assert_eq!(text, "1 x y [ 1 ] __GNUC__ 2 D");
}

#[test]
fn target_specific_predefines() {
    let arm = TargetInfo::from_triple(
        "aarch64-unknown-linux-gnu"
            .parse()
            .unwrap_or_else(|_| target_lexicon::Triple::host()),
    )
    .unwrap_or_else(|_| TargetInfo::x86_64_linux());
    let (text, _, _) = pp_with(
        PpOptions::new(arm),
        "__aarch64__ __CHAR_UNSIGNED__ __x86_64__ __WCHAR_TYPE__",
    );
    assert_eq!(text, "1 1 __x86_64__ unsigned int");
    let (text, _, _) = pp_with(opts(), "__CHAR_UNSIGNED__ linux");
    assert_eq!(text, "__CHAR_UNSIGNED__ 1");
}

#[test]
fn token_flags_and_locations() {
    let mut pp = Preprocessor::new(opts());
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let toks = pp.preprocess_str(
        "t.c",
        "#define M(a) a + 1\n  x M(y)\nz",
        &mut sm,
        &mut diags,
    );
    let info: Vec<_> = toks
        .iter()
        .map(|t| {
            (
                t.text.to_string(),
                t.loc.offset,
                t.leading_space,
                t.line_start,
            )
        })
        .collect();
    assert_eq!(
        info,
        [
            ("x".into(), 21, true, true),
            ("y".into(), 25, true, false),
            ("+".into(), 23, true, false),
            ("1".into(), 23, true, false),
            ("z".into(), 28, false, true),
        ]
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut src = String::from("#define f(x) x\n");
    for _ in 0..300 {
        src.push_str("f(");
    }
    src.push('1');
    for _ in 0..300 {
        src.push(')');
    }
    let (_, msgs) = pp_diags(&src);
    assert!(
        msgs.iter().all(|m| m.contains("nested too deeply")),
        "{msgs:?}"
    );
    let mut src = String::from("#if ");
    src.push_str(&"(".repeat(1000));
    src.push('1');
    src.push_str(&")".repeat(1000));
    src.push_str("\n#endif");
    let (_, msgs) = pp_diags(&src);
    assert_eq!(msgs.len(), 1);
    for op in ["- ", "! ", "1 ? "] {
        let tail = if op == "1 ? " {
            ": 0".repeat(5000)
        } else {
            String::new()
        };
        let src = format!("#if {}1{tail}\n#endif", op.repeat(5000));
        let (_, msgs) = pp_diags(&src);
        assert_eq!(msgs.len(), 1, "{op}");
        assert!(
            msgs[0].ends_with("error: #if expression nested too deeply"),
            "{msgs:?}"
        );
    }
}

/// The predefined-macro table is cached per process: a second compile with the same options
/// must see exactly the same macros, other options must not see the cached ones, and a
/// command line with errors must report them every time.
#[test]
fn predefined_macro_cache_is_per_options_and_keeps_diagnostics() {
    let with_def = |d: &str| {
        let mut o = opts();
        o.macros = vec![CmdMacro::Define(d.to_string(), Some("41".to_string()))];
        o
    };
    let src = "A B __STDC_VERSION__ __x86_64__ __LINE__ __FILE__\n";
    let first = pp_with(with_def("A"), src);
    let again = pp_with(with_def("A"), src);
    assert_eq!(first.0, again.0);
    assert_eq!(first.0, "41 B 201710L 1 1 \"t.c\"");
    let other = pp_with(with_def("B"), src);
    assert_eq!(other.0, "A 41 201710L 1 1 \"t.c\"");
    let mut c99 = opts();
    c99.std_version = 199901;
    assert_eq!(pp_with(c99, src).0, "A B 199901L 1 1 \"t.c\"");
    // Diagnostics point into the source, whose file id follows the cached virtual files.
    let (_, msgs, _) = pp_with(with_def("A"), "\n#error here\n");
    assert_eq!(msgs, ["t.c:2:2: error: #error here"]);
    for _ in 0..2 {
        let mut bad = opts();
        bad.macros = vec![CmdMacro::define("F(x")];
        let (_, msgs, _) = pp_with(bad, "int x;\n");
        assert_eq!(msgs.len(), 1, "{msgs:?}");
    }
}

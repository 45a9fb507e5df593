use crate::diag::Diagnostics;
use crate::parse::{parse_tokens, parse_tokens_in_pieces};
use crate::pp::{PpOptions, Preprocessor};
use crate::source::SourceMap;
use crate::timing::PhaseTimes;
use crate::TargetInfo;

fn tokens(src: &str) -> Vec<crate::pp::Token> {
    let mut sm = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut p = Preprocessor::new(PpOptions::new(TargetInfo::host()));
    let toks = p.preprocess_str("t.c", src, &mut sm, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(&sm));
    toks
}

/// Parses `src` whole and in `pieces` pieces; the trees (spans included) must be equal.
/// Returns how the split went (`None`: it gave up, and the whole parse was used).
fn same_tree(src: &str, pieces: usize) -> Option<(usize, usize)> {
    let mut d = Diagnostics::default();
    let whole = parse_tokens(tokens(src), &mut d);
    let whole = whole.unwrap_or_else(|| panic!("whole parse: {:?}", d));
    let split = parse_tokens_in_pieces(tokens(src), &mut d, &mut PhaseTimes::default(), pieces, 1)
        .expect("split parse");
    assert_eq!(whole.unit, split.unit);
    assert_eq!(format!("{:?}", whole.unit), format!("{:?}", split.unit));
    let lowered = crate::lower::lower(tokens(src));
    let text = crate::pp::emit_parse_text(&lowered);
    super::parse(&lowered, &text, crate::lower::PRELUDE, pieces, 1).map(|s| {
        assert_eq!(s.unit, whole.unit);
        (s.pieces, s.reparsed)
    })
}

/// One group of declarations; `@` becomes the group's number.
const TYPEDEFS: &str = r#"
typedef unsigned long size_type@;
typedef struct node@ { struct node@ *next; int v; } node_t@, *node_p@;
typedef int (*cmp_fn@)(const void *, const void *);
typedef size_type@ count_t@ __attribute__((aligned(8)));
typedef unsigned long long __attribute__((aligned(8))) u64_@;
typedef __typeof__(sizeof 0) sz@;
typedef int vec4_@ __attribute__((vector_size(16)));
int f@(node_p@ p) { count_t@ c = 0; for (; p; p = p->next) c++; return (int)c; }
struct __attribute__((packed)) { char a; int b; } packed_var@;
enum { A@, B@ = 3 };
static int g@(cmp_fn@ f, u64_@ x, sz@ y, vec4_@ v) { return f ? (int)(x + y) + v[0] : 0; }
typedef char name_t@[16];
name_t@ names@[4];
size_type@ k@(void) { size_type@ s = 1; { typedef int size_type@; size_type@ t = 2; s += t; } return s; }
typedef node_t@ later@; later@ *use@;
"#;

#[test]
fn pieces_give_the_whole_parse_tree() {
    let mut src = String::new();
    for i in 0..8 {
        src.push_str(&TYPEDEFS.replace('@', &i.to_string()));
    }
    for pieces in [2, 3, 5, 16] {
        assert_eq!(
            same_tree(&src, pieces),
            Some((pieces, 0)),
            "{pieces} pieces"
        );
    }
}

#[test]
fn a_wrong_guess_is_corrected_by_a_reparse() {
    // The scan takes the K&R definition's body for part of the next item, so it misreads the
    // typedef after it; the pieces after the cut are parsed again with the true names.
    let mut src = String::from("int f(a) int a; { return a; }\ntypedef _Atomic(int) T;\n");
    for i in 0..40 {
        src.push_str(&format!("T v{i}; int w{i}(T x) {{ return x; }}\n"));
    }
    let (pieces, reparsed) = same_tree(&src, 4).expect("split");
    assert_eq!(pieces, 4);
    assert_eq!(reparsed, 3);
}

#[test]
fn knr_definitions_and_syntax_errors_fall_back_to_the_whole_parse() {
    let mut src = String::new();
    for i in 0..20 {
        src.push_str(&format!(
            "int f{i}(a, b) int a; char b; {{ return a + b; }}\n"
        ));
    }
    assert_eq!(same_tree(&src, 7), None);
    let bad = "int a;\nint b;\nint c d;\nint e;\n";
    let mut d = Diagnostics::default();
    assert!(
        parse_tokens_in_pieces(tokens(bad), &mut d, &mut PhaseTimes::default(), 4, 1).is_none()
    );
    assert!(d.has_errors());
}

//! `.cfree.abisig` records as the real pipeline writes them: C source through cfree's own
//! front end and code generator to an ELF object, then the section read back with
//! `cfree_abisig::read` and compared with what the System V classification says.

use cfree_abisig::{
    AbiClass, AbiSlot, CallConv, CfreeFuncAbiSig, RegKind, RegPiece, TargetArch, TargetOs,
    CFREE_ABI_MAX_ARGS, SECTION_NAME,
};
use cfree_frontend::TargetInfo;
use object::read::elf::ElfFile64;
use object::read::{Object, ObjectSection};
use object::{elf, Endianness, SectionFlags};
use std::collections::HashMap;
use std::path::Path;

mod common;

/// Compiles `src` (written to a file named after `test`) for x86-64 Linux.
fn compile(test: &str, src: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("abisig");
    std::fs::create_dir_all(&dir).expect("create the test directory");
    let path = dir.join(format!("{test}.c"));
    std::fs::write(&path, src).expect("write the source");
    common::compile_file(&path, TargetInfo::x86_64_linux(), false)
}

/// The raw section of an object, with its ELF type and flags, if present.
fn section(obj: &[u8]) -> Option<(Vec<u8>, u32, u64)> {
    let file = ElfFile64::<Endianness>::parse(obj).expect("an ELF object");
    let sec = file.section_by_name(SECTION_NAME)?;
    let SectionFlags::Elf { sh_flags } = sec.flags() else {
        panic!("ELF section without ELF flags");
    };
    let sh_type = sec.elf_section_header().sh_type.get(file.endian());
    Some((
        sec.data().expect("section data").to_vec(),
        sh_type,
        sh_flags,
    ))
}

/// The records of an object, by symbol name.
fn records(obj: &[u8]) -> HashMap<String, CfreeFuncAbiSig> {
    let (bytes, _, _) = section(obj).expect("the object has a .cfree.abisig section");
    let recs = cfree_abisig::read(&bytes).expect("a well-formed section");
    let n = recs.len();
    let map: HashMap<_, _> = recs.into_iter().collect();
    assert_eq!(map.len(), n, "one record per function");
    map
}

fn sysv(variadic: bool, ret: AbiSlot, args: Vec<AbiSlot>) -> CfreeFuncAbiSig {
    CfreeFuncAbiSig {
        target_arch: TargetArch::X86_64,
        target_os: TargetOs::Linux,
        call_conv: CallConv::SysV,
        variadic,
        ret,
        args,
    }
}

fn int(size: u8) -> RegPiece {
    RegPiece {
        kind: RegKind::Int,
        size,
    }
}

fn flt(size: u8) -> RegPiece {
    RegPiece {
        kind: RegKind::Float,
        size,
    }
}

const PROG: &str = r#"
struct big { long a, b, c; };
struct pair { double x, y; };
struct mixed { double d; long l; };
struct twelve { int a, b, c; };

int f(int a, double b) { return a + (int)b; }
void g(struct big s) { (void)s; }
struct pair h(void) { struct pair p = { 1, 2 }; return p; }
int v(const char *fmt, ...) { return fmt[0]; }
static int s(char c, short x, long long y) { return c + x + (int)y; }
struct twelve t(struct twelve a, struct mixed m) { a.a += (int)m.l; return a; }
struct big r(void) { struct big b = { 0 }; return b; }
long double ld(long double x, float y, void *p) { return x + y + (p != 0); }
/* Registers run out: `m` needs one integer and one SSE register but all six integer
   registers are taken, so the whole struct goes to the stack. */
long many(long a, long b, long c, long d, long e, long f6, struct mixed m) { return a + m.l; }
int use(void) { return s(1, 2, 3); }
int declared_only(int);
int data = 5;
"#;

#[test]
fn records_follow_the_sysv_classification() {
    let obj = compile("classes", PROG);
    let recs = records(&obj);
    let expect = [
        (
            "f",
            sysv(
                false,
                AbiSlot::integer(4),
                vec![AbiSlot::integer(4), AbiSlot::float(8)],
            ),
        ),
        ("g", sysv(false, AbiSlot::void(), vec![AbiSlot::memory(24)])),
        (
            "h",
            sysv(false, AbiSlot::split(16, vec![flt(8), flt(8)]), vec![]),
        ),
        (
            "v",
            sysv(true, AbiSlot::integer(4), vec![AbiSlot::integer(8)]),
        ),
        (
            "s",
            sysv(
                false,
                AbiSlot::integer(4),
                vec![
                    AbiSlot::integer(1),
                    AbiSlot::integer(2),
                    AbiSlot::integer(8),
                ],
            ),
        ),
        (
            "t",
            sysv(
                false,
                AbiSlot::split(12, vec![int(8), int(8)]),
                vec![
                    AbiSlot::split(12, vec![int(8), int(8)]),
                    AbiSlot::split(16, vec![flt(8), int(8)]),
                ],
            ),
        ),
        ("r", sysv(false, AbiSlot::sret(24), vec![])),
        (
            "many",
            sysv(
                false,
                AbiSlot::integer(8),
                [vec![AbiSlot::integer(8); 6], vec![AbiSlot::memory(16)]].concat(),
            ),
        ),
        ("use", sysv(false, AbiSlot::integer(4), vec![])),
    ];
    for (name, sig) in &expect {
        assert_eq!(recs.get(*name), Some(sig), "record of {name}");
    }
    // A long double result travels in st(0), which the record cannot describe: no record,
    // so `ld` is not reloadable.
    assert_eq!(recs.get("ld"), None);
    // Only definitions have records: not declarations, not data.
    assert_eq!(recs.len(), expect.len(), "{:?}", recs.keys());
}

#[test]
fn section_is_not_loaded() {
    let obj = compile("flags", PROG);
    let (_, sh_type, sh_flags) = section(&obj).expect("section present");
    assert_eq!(sh_type, elf::SHT_PROGBITS);
    assert_eq!(
        sh_flags & u64::from(elf::SHF_ALLOC),
        0,
        "flags {sh_flags:#x}"
    );
}

#[test]
fn objects_without_functions_have_no_section() {
    let obj = compile("data_only", "int x = 1;\nint f(int);\n");
    assert!(section(&obj).is_none());
}

#[test]
fn too_many_parameters_means_no_record() {
    let params = |n: usize| {
        (0..n)
            .map(|i| format!("int p{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let src = format!(
        "int at_limit({}) {{ return p0; }}\nint over_limit({}) {{ return p0; }}\n",
        params(CFREE_ABI_MAX_ARGS),
        params(CFREE_ABI_MAX_ARGS + 1)
    );
    let recs = records(&compile("limit", &src));
    let at = recs.get("at_limit").expect("a record at the limit");
    assert_eq!(at.args.len(), CFREE_ABI_MAX_ARGS);
    assert!(at.args.iter().all(|a| a.class == AbiClass::Integer));
    assert!(!recs.contains_key("over_limit"));
}

/// The record of `name` in the object compiled from `src`.
fn record_of(test: &str, src: &str, name: &str) -> CfreeFuncAbiSig {
    records(&compile(test, src))
        .remove(name)
        .unwrap_or_else(|| panic!("no record for {name}"))
}

#[test]
fn replacements_compare_by_calling_sequence() {
    let old = record_of(
        "old",
        "int f(int a, double b) { return a + (int)b; }\n",
        "f",
    );
    // A new body, new parameter names, and types that travel the same way: compatible.
    let same = record_of(
        "same",
        "typedef double real;\nunsigned f(unsigned n, real x) { return n * 2u + (unsigned)x; }\n",
        "f",
    );
    assert_eq!(same.compatible_with(&old), Ok(()));

    let cases = [
        (
            "float_param",
            "int f(int a, float b) { return a + (int)b; }\n",
            "parameter 2: was float 8 bytes, now float 4 bytes",
        ),
        (
            "long_ret",
            "long f(int a, double b) { return a + (long)b; }\n",
            "return: was integer 4 bytes, now integer 8 bytes",
        ),
        (
            "extra_param",
            "int f(int a, double b, int c) { return a + c; }\n",
            "parameter count 2 vs 3",
        ),
        (
            "variadic",
            "int f(int a, double b, ...) { return a; }\n",
            "variadic differs: was not variadic, now variadic",
        ),
        (
            "struct_param",
            "struct big { long a, b, c; };\nint f(int a, struct big b) { return a + (int)b.c; }\n",
            "parameter 2: was float 8 bytes, now aggregate copied to the stack 24 bytes",
        ),
        (
            "static",
            "static int f(int a, int b) { return a + b; }\nint (*keep)(int, int) = f;\n",
            "parameter 2: was float 8 bytes, now integer 4 bytes",
        ),
    ];
    for (test, src, msg) in cases {
        let new = record_of(test, src, "f");
        match new.compatible_with(&old) {
            Ok(()) => panic!("{test}: accepted {new:?} as a replacement for {old:?}"),
            Err(e) => assert_eq!(e.to_string(), msg, "{test}"),
        }
    }
}

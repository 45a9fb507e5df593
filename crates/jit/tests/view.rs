//! The JIT view (an ELF file describing the live image) checked against the live JIT, against
//! `object`'s reader, against binutils' `readelf` and against gdb.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use cfree_jit::view::{build_view, ViewError};
use cfree_jit::{Jit, JitOptions};
use cfree_link::{LinkLayout, LinkMemory, LinkSession, NoResolver, SegmentClass, VecMemory};
use common::{cc, cc_unwind, Scratch};
use object::elf;
use object::read::elf::{ElfFile64, SectionHeader as _};
use object::{Endianness, Object, ObjectSection, ObjectSymbol, SectionIndex, SymbolSection};

/// Functions (global and static), initialised data, read-only data, zero-initialised data,
/// COMMON storage, and calls into libc: every kind of section and linker-made storage.
const MAIN_C: &str = r#"
#include <stdio.h>
#include <stdlib.h>

int counter;                                  /* COMMON under -fcommon */
int table[4] = {10, 20, 30, 40};              /* .data */
const int squares[5] = {0, 1, 4, 9, 16};      /* .rodata */
static int zeroes[32];                        /* .bss, local */
int big_bss[256] = {0};                       /* .bss, global (not COMMON) */
extern int twice(int);

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int sort_and_sum(void) {
    int v[4] = {4, 2, 3, 1};
    qsort(v, 4, sizeof v[0], cmp);
    return v[0] + twice(v[3]) + squares[4] + table[1] + zeroes[3] + big_bss[9] + counter;
}

void say(const char *s) { printf("view: %s\n", s); fflush(stdout); }
void poke(int i) { zeroes[i & 31] = i; }
"#;

const HELPER_C: &str = r#"
int counter;
int twice(int x) { return 2 * x; }
__attribute__((weak)) int pick(void) { return 1; }
"#;

const STRONG_C: &str = r#"
int pick(void) { return 2; }
asm(".globl cfree_abs_marker\n.set cfree_abs_marker, 0x1234");
"#;

/// Calls into libc that need stubs and GOT cells when the image is far from libc (no libc
/// data such as `stdout`, whose PC-relative references cannot reach that far).
const FAR_C: &str = r#"
#include <stdlib.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int sort3(void) { int v[3] = {3, 1, 2}; qsort(v, 3, sizeof v[0], cmp); return v[0] * 100 + v[1] * 10 + v[2]; }
void *(*get_malloc(void))(size_t) { return malloc; }
"#;

const LATER_C: &str = r#"
extern int twice(int);
extern int table[4];
static int later_state = 7;
int later(int x) { return twice(x) + table[0] + later_state++; }
"#;

fn small_jit() -> Jit {
    Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        ..JitOptions::default()
    })
    .unwrap()
}

fn view_of(jit: &Jit) -> Vec<u8> {
    build_view(jit.session(), jit.memory()).expect("view builds")
}

fn lookup(jit: &Jit, name: &str) -> u64 {
    jit.lookup(name)
        .unwrap_or_else(|| panic!("{name} undefined")) as u64
}

/// One symbol as `object` reads it back.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ViewSym {
    name: String,
    value: u64,
    size: u64,
    st_type: u8,
    bind: u8,
    section: Option<SectionIndex>,
    absolute: bool,
}

/// One section as `object` reads it back.
#[derive(Clone, Debug)]
struct ViewSec {
    index: SectionIndex,
    name: String,
    sh_type: u32,
    flags: u64,
    addr: u64,
    size: u64,
    data: Vec<u8>,
}

/// Parse the view with `object`, checking the file header on the way.
fn parse(view: &[u8]) -> (Vec<ViewSec>, Vec<ViewSym>) {
    let file = ElfFile64::<Endianness>::parse(view).expect("object parses the view");
    let e = file.endian();
    assert!(file.is_little_endian());
    assert!(file.is_64());
    assert_eq!(file.elf_header().e_machine.get(e), elf::EM_X86_64);
    assert_eq!(file.elf_header().e_type.get(e), elf::ET_EXEC);
    let mut sections = Vec::new();
    for s in file.sections() {
        let h = s.elf_section_header();
        if h.sh_flags(e) & u64::from(elf::SHF_ALLOC) == 0 {
            continue;
        }
        sections.push(ViewSec {
            index: s.index(),
            name: s.name().expect("section name").to_string(),
            sh_type: h.sh_type(e),
            flags: h.sh_flags(e),
            addr: s.address(),
            size: s.size(),
            data: s.data().expect("section data").to_vec(),
        });
    }
    let mut symbols = Vec::new();
    for s in file.symbols() {
        let st = s.elf_symbol();
        symbols.push(ViewSym {
            name: s.name().expect("symbol name").to_string(),
            value: s.address(),
            size: s.size(),
            st_type: st.st_type(),
            bind: st.st_bind(),
            section: s.section_index(),
            absolute: matches!(s.section(), SymbolSection::Absolute),
        });
    }
    (sections, symbols)
}

/// Function and data symbols (no STT_FILE entries).
fn defined(symbols: &[ViewSym]) -> impl Iterator<Item = &ViewSym> {
    symbols
        .iter()
        .filter(|s| matches!(s.st_type, elf::STT_FUNC | elf::STT_OBJECT | elf::STT_NOTYPE))
}

fn global<'a>(symbols: &'a [ViewSym], name: &str) -> &'a ViewSym {
    let mut it = symbols
        .iter()
        .filter(|s| s.name == name && s.bind != elf::STB_LOCAL);
    let s = it
        .next()
        .unwrap_or_else(|| panic!("no global {name} in view"));
    assert!(it.next().is_none(), "{name} is global twice");
    s
}

/// Checks every view must pass against the JIT it describes.
fn check_view_against_jit(jit: &Jit, view: &[u8]) -> (Vec<ViewSec>, Vec<ViewSym>) {
    let (sections, symbols) = parse(view);
    let layout = jit.session().layout();

    // Sections: inside the reservation, in the right class, not overlapping, same bytes as
    // live memory.
    let mut sorted: Vec<&ViewSec> = sections.iter().collect();
    sorted.sort_by_key(|s| s.addr);
    for pair in sorted.windows(2) {
        assert!(
            pair[0].addr + pair[0].size <= pair[1].addr,
            "{} {:#x}+{:#x} overlaps {} at {:#x}",
            pair[0].name,
            pair[0].addr,
            pair[0].size,
            pair[1].name,
            pair[1].addr
        );
    }
    for s in &sections {
        let class = SegmentClass::ALL
            .into_iter()
            .find(|c| {
                let r = layout.range(*c);
                s.addr >= r.start && s.addr + s.size <= r.end()
            })
            .unwrap_or_else(|| panic!("{} at {:#x} outside the reservation", s.name, s.addr));
        assert!(s.addr + s.size <= jit.session().cursor(class), "{}", s.name);
        let exec = s.flags & u64::from(elf::SHF_EXECINSTR) != 0;
        let write = s.flags & u64::from(elf::SHF_WRITE) != 0;
        assert_eq!(exec, class == SegmentClass::Rx, "{} exec flag", s.name);
        assert_eq!(write, class == SegmentClass::Rw, "{} write flag", s.name);
        if s.sh_type == elf::SHT_NOBITS {
            assert!(s.data.is_empty());
        } else {
            assert_eq!(s.data.len() as u64, s.size, "{}", s.name);
            let mut live = vec![0u8; s.data.len()];
            jit.memory().read(s.addr, &mut live).unwrap();
            assert!(live == s.data, "{} differs from live memory", s.name);
        }
    }
    let by_index: HashMap<SectionIndex, &ViewSec> = sections.iter().map(|s| (s.index, s)).collect();

    // Symbols: globals agree with lookup; every symbol lies in its section; function bytes
    // are the live bytes.
    let mut globals = 0;
    for s in defined(&symbols) {
        if s.bind != elf::STB_LOCAL {
            globals += 1;
            assert_eq!(
                jit.lookup(&s.name).map(|p| p as u64),
                Some(s.value),
                "view value of {} vs lookup",
                s.name
            );
        }
        if s.absolute {
            continue;
        }
        let sec = s
            .section
            .and_then(|i| by_index.get(&i))
            .unwrap_or_else(|| panic!("{} has no allocated section", s.name));
        assert!(
            s.value >= sec.addr && s.value + s.size <= sec.addr + sec.size,
            "{} {:#x}+{:#x} is outside {} {:#x}+{:#x}",
            s.name,
            s.value,
            s.size,
            sec.name,
            sec.addr,
            sec.size
        );
        if s.st_type == elf::STT_FUNC {
            assert!(sec.flags & u64::from(elf::SHF_EXECINSTR) != 0, "{}", s.name);
            let off = (s.value - sec.addr) as usize;
            let bytes = &sec.data[off..off + s.size as usize];
            let mut live = vec![0u8; bytes.len()];
            jit.memory().read(s.value, &mut live).unwrap();
            assert_eq!(bytes, &live[..], "bytes of {}", s.name);
        }
        if s.bind == elf::STB_LOCAL && s.size > 0 && !s.name.contains('@') {
            assert_eq!(
                jit.addr_to_sym(s.value as *const u8),
                Some((s.name.as_str(), 0)),
                "local {}",
                s.name
            );
        }
    }
    assert!(globals > 0 || jit.generation() == 0);
    (sections, symbols)
}

/// `readelf -S -s --wide` on the view: (sections by name → (type, addr, size, flags), symbols).
struct Readelf {
    sections: Vec<(String, String, u64, u64, String)>,
    /// (name, value, size, type, bind, ndx)
    symbols: Vec<(String, u64, u64, String, String, String)>,
}

fn readelf(path: &Path) -> Readelf {
    let out = Command::new("readelf")
        .args(["-S", "-s", "--wide"])
        .arg(path)
        .output()
        .expect("readelf (binutils) must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "readelf failed: {stderr}");
    assert!(
        !stderr.contains("Warning") && !stderr.contains("Error"),
        "readelf complains: {stderr}"
    );
    let hex = |s: &str| u64::from_str_radix(s, 16).expect("hex field");
    let mut sections = Vec::new();
    let mut symbols = Vec::new();
    for line in stdout.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('[') {
            let Some((nr, rest)) = rest.split_once(']') else {
                continue;
            };
            if nr.trim() == "Nr" || nr.trim() == "0" {
                continue;
            }
            let f: Vec<&str> = rest.split_whitespace().collect();
            // Name Type Address Off Size ES [Flg] Lk Inf Al
            let flags = if f.len() == 10 { f[6] } else { "" };
            sections.push((f[0].into(), f[1].into(), hex(f[2]), hex(f[4]), flags.into()));
        } else if let Some((num, rest)) = t.split_once(':') {
            if num.trim().parse::<u32>().is_err() {
                continue;
            }
            let f: Vec<&str> = rest.split_whitespace().collect();
            if f.len() < 7 {
                continue; // the null symbol has no name
            }
            // Value Size Type Bind Vis Ndx Name
            symbols.push((
                f[6].into(),
                hex(f[0]),
                f[1].parse().expect("decimal size"),
                f[2].into(),
                f[3].into(),
                f[5].into(),
            ));
        }
    }
    Readelf { sections, symbols }
}

#[test]
fn view_describes_the_live_image() {
    let mut jit = small_jit();
    jit.add_objects(vec![
        cc_unwind("main.c", MAIN_C),
        cc_unwind("helper.c", HELPER_C),
        cc("strong.c", STRONG_C),
    ])
    .unwrap();
    let view = view_of(&jit);
    let (sections, symbols) = check_view_against_jit(&jit, &view);

    // Every kind of section is there, with the right type.
    let find = |name: &str| {
        sections
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no {name} section"))
    };
    assert_eq!(find(".text").sh_type, elf::SHT_PROGBITS);
    assert_eq!(find(".bss").sh_type, elf::SHT_NOBITS);
    assert_eq!(find(".cfree.common").sh_type, elf::SHT_NOBITS);
    assert!(find(".data").flags & u64::from(elf::SHF_WRITE) != 0);
    assert!(sections.iter().any(|s| s.name.starts_with(".rodata")));
    let eh = find(".eh_frame");
    assert_eq!(&eh.data[eh.data.len() - 4..], &[0; 4], "terminator");

    // Globals, statics, COMMON, absolute.
    for (name, typ) in [
        ("sort_and_sum", elf::STT_FUNC),
        ("say", elf::STT_FUNC),
        ("twice", elf::STT_FUNC),
        ("pick", elf::STT_FUNC),
        ("table", elf::STT_OBJECT),
        ("squares", elf::STT_OBJECT),
        ("big_bss", elf::STT_OBJECT),
        ("counter", elf::STT_OBJECT),
    ] {
        let s = global(&symbols, name);
        assert_eq!(s.value, lookup(&jit, name), "{name}");
        assert_eq!(s.st_type, typ, "{name}");
        assert!(s.size > 0, "{name}");
    }
    assert_eq!(global(&symbols, "table").size, 16);
    assert_eq!(global(&symbols, "big_bss").size, 1024);
    let counter = global(&symbols, "counter");
    let common = find(".cfree.common");
    assert_eq!(counter.section, Some(common.index));
    let bss = find(".bss");
    assert_eq!(global(&symbols, "big_bss").section, Some(bss.index));
    let abs = global(&symbols, "cfree_abs_marker");
    assert!(abs.absolute);
    assert_eq!(abs.value, 0x1234);
    assert_eq!(lookup(&jit, "cfree_abs_marker"), 0x1234);
    for name in ["cmp", "zeroes"] {
        let s = symbols
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("static {name} missing"));
        assert_eq!(s.bind, elf::STB_LOCAL);
    }
    // The weak `pick` lost to the strong one: one global, the loser is local.
    let picks: Vec<&ViewSym> = symbols.iter().filter(|s| s.name == "pick").collect();
    assert_eq!(picks.len(), 2, "{picks:?}");
    assert_eq!(
        picks.iter().filter(|s| s.bind == elf::STB_LOCAL).count(),
        1,
        "{picks:?}"
    );
    // Host symbols are not part of the image.
    for name in ["printf", "qsort", "fflush"] {
        assert!(
            !symbols.iter().any(|s| s.name == name),
            "{name} is a host symbol"
        );
    }
    // Locals come first, each input's after its STT_FILE entry.
    let files: Vec<&str> = symbols
        .iter()
        .filter(|s| s.st_type == elf::STT_FILE)
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        files.contains(&"main.o") && files.contains(&"helper.o"),
        "{files:?}"
    );
    let first_global = symbols
        .iter()
        .position(|s| s.bind != elf::STB_LOCAL && !s.name.is_empty());
    let last_local = symbols.iter().rposition(|s| s.bind == elf::STB_LOCAL);
    assert!(last_local < first_global);

    // binutils agrees with `object`.
    let dir = Scratch::new();
    let path = dir.0.join("view.elf");
    std::fs::write(&path, &view).unwrap();
    let re = readelf(&path);
    let bss = re
        .sections
        .iter()
        .find(|s| s.0 == ".bss")
        .expect("readelf lists .bss");
    assert_eq!(bss.1, "NOBITS");
    let text = re.sections.iter().find(|s| s.0 == ".text").unwrap();
    assert_eq!(text.2, find(".text").addr);
    assert!(text.4.contains('A') && text.4.contains('X'), "{text:?}");
    let data = re.sections.iter().find(|s| s.0 == ".data").unwrap();
    assert!(data.4.contains('W'), "{data:?}");
    let mut checked = 0;
    for (name, value, size, typ, bind, ndx) in &re.symbols {
        if bind == "GLOBAL" || bind == "WEAK" {
            assert_eq!(Some(*value), jit.lookup(name).map(|p| p as u64), "{name}");
            checked += 1;
        }
        if name == "sort_and_sum" {
            assert_eq!(typ, "FUNC");
            assert_eq!(*size, global(&symbols, name).size);
        }
        if name == "cfree_abs_marker" {
            assert_eq!(ndx, "ABS");
        }
    }
    assert!(checked >= 9, "{checked} globals in readelf output");
}

#[test]
fn rebuilt_view_keeps_old_symbols_and_adds_new_ones() {
    let mut jit = small_jit();
    jit.add_objects(vec![cc("main.c", MAIN_C), cc("helper.c", HELPER_C)])
        .unwrap();
    let (_, before) = check_view_against_jit(&jit, &view_of(&jit));
    assert!(!before.iter().any(|s| s.name == "later"));

    jit.add_objects(vec![cc("later.c", LATER_C)]).unwrap();
    let (sections, after) = check_view_against_jit(&jit, &view_of(&jit));
    for old in defined(&before) {
        assert!(
            after.iter().any(|s| s.name == old.name
                && s.value == old.value
                && s.size == old.size
                && s.bind == old.bind),
            "{} lost or moved",
            old.name
        );
    }
    let later = global(&after, "later");
    assert_eq!(later.value, lookup(&jit, "later"));
    assert!(after.iter().any(|s| s.name == "later_state"));
    // Two `.text` sections now, one per generation, the new one above the old one.
    let texts: Vec<&ViewSec> = sections.iter().filter(|s| s.name == ".text").collect();
    assert!(texts.len() >= 3, "{} .text sections", texts.len());
    assert!(later.value > global(&after, "twice").value);
    // The second generation's code calls into the first: the view shows relocated bytes.
    // SAFETY: `later` is int(int).
    let later_fn: extern "C" fn(i32) -> i32 =
        unsafe { std::mem::transmute(lookup(&jit, "later") as usize) };
    assert_eq!(later_fn(5), 10 + 10 + 7);
    assert_eq!(later_fn(5), 10 + 10 + 8);
}

/// Run gdb in batch mode on `file` with `commands`; `None` if gdb is not installed.
fn gdb(file: &Path, commands: &[String]) -> Option<String> {
    let mut cmd = Command::new("gdb");
    cmd.args(["-batch", "-nx"]);
    for c in commands {
        cmd.arg("-ex").arg(c);
    }
    let out = match cmd.arg(file).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("running gdb: {e}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gdb failed: {stdout}\n{stderr}");
    assert!(
        !stderr.contains("not in executable format") && !stderr.contains("BFD"),
        "gdb cannot read the view: {stderr}"
    );
    Some(stdout)
}

#[test]
fn gdb_names_functions_at_their_runtime_addresses() {
    let mut jit = small_jit();
    jit.add_objects(vec![
        cc_unwind("main.c", MAIN_C),
        cc_unwind("helper.c", HELPER_C),
    ])
    .unwrap();
    let twice = lookup(&jit, "twice");
    let sort = lookup(&jit, "sort_and_sum");
    let table = lookup(&jit, "table");
    let dir = Scratch::new();
    let path = dir.0.join("jit-view.elf");
    std::fs::write(&path, view_of(&jit)).unwrap();
    let Some(out) = gdb(
        &path,
        &[
            format!("info symbol {twice:#x}"),
            "info address twice".into(),
            format!("info symbol {:#x}", sort + 5),
            format!("info symbol {:#x}", table + 8),
        ],
    ) else {
        panic!("gdb is required (scripts/install-test-deps.sh installs it)");
    };
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 4, "{out}");
    assert_eq!(lines[0], "twice in section .text", "{out}");
    assert!(
        lines[1].starts_with("Symbol \"twice\" is at ")
            && lines[1].contains(&format!("{twice:#x}")),
        "{out}"
    );
    assert_eq!(lines[2], "sort_and_sum + 5 in section .text", "{out}");
    assert_eq!(lines[3], "table + 8 in section .data", "{out}");
}

#[test]
fn view_shows_linker_stubs_and_got_cells() {
    // Far from libc, calls to libc go through linker stubs and GOT cells.
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        address_hint: Some(0x1000_0000_0000),
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_objects(vec![cc("far.c", FAR_C)]).unwrap();
    let view = view_of(&jit);
    let (sections, symbols) = check_view_against_jit(&jit, &view);
    let has_stubs = jit
        .session()
        .relocs()
        .iter()
        .any(|r| matches!(r.via, cfree_link::RelocVia::Stub(_)));
    if !has_stubs {
        eprintln!("kernel ignored the address hint; stub path not exercised");
        return;
    }
    let stubs = sections
        .iter()
        .find(|s| s.name == ".cfree.stubs")
        .expect("stub section");
    let got = sections
        .iter()
        .find(|s| s.name == ".cfree.got")
        .expect("GOT section");
    assert!(stubs.flags & u64::from(elf::SHF_EXECINSTR) != 0);
    assert_eq!(
        got.flags & u64::from(elf::SHF_WRITE | elf::SHF_EXECINSTR),
        0
    );
    let stub = symbols
        .iter()
        .find(|s| s.name == "qsort@plt")
        .expect("qsort stub symbol");
    assert_eq!(stub.section, Some(stubs.index));
    assert_eq!(stub.st_type, elf::STT_FUNC);
    // Every GOT cell in the view holds its target's real address.
    use cfree_link::SymbolResolver;
    let host = cfree_jit::HostResolver::new();
    let mut cells = 0;
    for cell in symbols.iter().filter(|s| s.name.ends_with("@got")) {
        assert_eq!(cell.section, Some(got.index), "{}", cell.name);
        let target = host.resolve(cell.name.trim_end_matches("@got")).unwrap();
        let off = (cell.value - got.addr) as usize;
        let word: [u8; 8] = got.data[off..off + 8].try_into().unwrap();
        assert_eq!(u64::from_le_bytes(word), target, "{}", cell.name);
        cells += 1;
    }
    assert!(cells >= 2, "{cells} GOT cells (qsort, malloc)");
    // SAFETY: sort3 is int(void).
    let sort3: extern "C" fn() -> i32 =
        unsafe { std::mem::transmute(lookup(&jit, "sort3") as usize) };
    assert_eq!(sort3(), 123);
}

#[test]
fn view_of_an_empty_jit_is_a_valid_elf() {
    let jit = small_jit();
    let view = view_of(&jit);
    let (sections, symbols) = check_view_against_jit(&jit, &view);
    assert!(sections.is_empty());
    assert!(defined(&symbols).next().is_none(), "{symbols:?}");
    let file = ElfFile64::<Endianness>::parse(&*view).unwrap();
    let names: Vec<&str> = file.sections().map(|s| s.name().unwrap()).collect();
    assert!(
        names.contains(&".symtab") && names.contains(&".shstrtab"),
        "{names:?}"
    );
    let dir = Scratch::new();
    let path = dir.0.join("empty.elf");
    std::fs::write(&path, &view).unwrap();
    let re = readelf(&path);
    assert!(re.symbols.is_empty());
    // gdb accepts it too (nothing to name).
    if let Some(out) = gdb(&path, &["info symbol 0x1000".into()]) {
        assert!(out.contains("No symbol matches"), "{out}");
    }
}

#[test]
fn unreadable_memory_is_an_error_not_a_panic() {
    // A session linked into one buffer, viewed through another that has nothing committed.
    let base = 0x4000_0000;
    let layout = LinkLayout::contiguous(base, 0x1000, 0x10000, 0x10000, 0x10000).unwrap();
    let mut session = LinkSession::new(cfree_link::LinkArch::X86_64, layout);
    let mut mem = VecMemory::new(base, 0x30000, 0x1000);
    session
        .append(
            vec![cc(
                "leaf.c",
                "int leaf(int x) { return x + 1; }\nint data = 3;\n",
            )],
            &mut mem,
            &NoResolver,
        )
        .unwrap();
    let good = build_view(&session, &mem).unwrap();
    let (_, symbols) = parse(&good);
    assert_eq!(
        global(&symbols, "leaf").value,
        session.lookup("leaf").unwrap()
    );
    let empty = VecMemory::new(base, 0x30000, 0x1000);
    let err = build_view(&session, &empty).unwrap_err();
    assert!(matches!(err, ViewError::Memory { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("leaf.o") && msg.contains(".text"), "{msg}");
}

#[test]
fn view_names_reloadable_entries_and_every_body() {
    use cfree_link::{AbiCheck, Indirection};
    let mut jit = Jit::new(JitOptions {
        reserve_rx: 1 << 20,
        reserve_r: 1 << 20,
        reserve_rw: 1 << 20,
        indirection: Indirection::ExportedFuncs,
        ..JitOptions::default()
    })
    .unwrap();
    jit.add_objects(vec![cc("hot.c", "int hot(int x) { return x + 1; }\n")])
        .unwrap();
    jit.reload_function(
        "hot",
        cc("hot2.c", "int hot(int x) { return x * 100; }\n"),
        AbiCheck::Unchecked,
    )
    .unwrap();
    let view = view_of(&jit);
    let (sections, symbols) = check_view_against_jit(&jit, &view);

    // The public name is the stable entry; both bodies and the slot are named locals.
    let entry = global(&symbols, "hot");
    assert_eq!(entry.value, lookup(&jit, "hot"));
    assert_eq!(entry.st_type, elf::STT_FUNC);
    let entries = sections
        .iter()
        .find(|s| s.name == ".cfree.entries")
        .expect("entry section");
    assert_eq!(entry.section, Some(entries.index));
    let bodies: Vec<&ViewSym> = symbols
        .iter()
        .filter(|s| s.name.starts_with("hot$body$"))
        .collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    for b in &bodies {
        assert_eq!(b.bind, elf::STB_LOCAL);
        assert_eq!(b.st_type, elf::STT_FUNC);
        assert_ne!(b.value, entry.value);
    }
    let slot = symbols
        .iter()
        .find(|s| s.name == "hot$slot")
        .expect("slot symbol");
    let slots = sections
        .iter()
        .find(|s| s.name == ".cfree.slots")
        .expect("slot section");
    assert_eq!(slot.section, Some(slots.index));
    assert!(slots.flags & u64::from(elf::SHF_WRITE) != 0);
    // The slot in the view points at the active (newest) body.
    let off = (slot.value - slots.addr) as usize;
    let word: [u8; 8] = slots.data[off..off + 8].try_into().unwrap();
    let active = bodies.iter().map(|b| b.value).max().unwrap();
    assert_eq!(u64::from_le_bytes(word), active);
    // SAFETY: `hot` is int(int).
    let hot: extern "C" fn(i32) -> i32 =
        unsafe { std::mem::transmute(lookup(&jit, "hot") as usize) };
    assert_eq!(hot(3), 300);
}

/// `llvm-dwarfdump --verify` on `path` must pass.
fn verify_dwarf(path: &Path) {
    let tool = ["llvm-dwarfdump-19", "llvm-dwarfdump"]
        .into_iter()
        .find(|t| Command::new(t).arg("--version").output().is_ok())
        .expect("llvm-dwarfdump is required (scripts/install-test-deps.sh installs llvm-19)");
    let out = Command::new(tool)
        .arg("--verify")
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("No errors."),
        "{tool} --verify:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// gcc's DWARF 5 (`.debug_line_str`, `.debug_aranges`, `.debug_rnglists` from `-O2` and a
/// second `.text.startup` section) survives combining and relocation: the view of two gcc
/// `-g` objects plus an appended one verifies, holds exactly what the session relocated, and
/// gdb maps functions to the right files and lines.
#[test]
fn view_of_gcc_debug_objects_is_valid_dwarf() {
    let a = "int twice(int x) {\n  return 2 * x;\n}\n";
    let b =
        "extern int twice(int);\nstatic int g = 4;\nint main(void) {\n  return twice(g) - 8;\n}\n";
    let c = "extern int twice(int);\nint later(int x) {\n  if (x > 3) return twice(x) + 1;\n  return x;\n}\n";
    let a_o = common::compile("a.c", a, &["-g"]);
    let b_o = common::compile("b.c", b, &["-g", "-O2"]);
    let c_o = common::compile("c.c", c, &["-g", "-O2"]);
    let mut jit = small_jit();
    jit.add_objects(vec![a_o.clone(), b_o.clone()]).unwrap();
    jit.add_objects(vec![c_o.clone()]).unwrap();
    let view = view_of(&jit);
    let dir = Scratch::new();
    let path = dir.0.join("gcc-view.elf");
    std::fs::write(&path, &view).unwrap();
    verify_dwarf(&path);
    let relocated = jit.session().debug_sections().unwrap();
    let file = ElfFile64::<Endianness>::parse(&*view).unwrap();
    // Only b.o has two code sections, so only it needs a range list.
    for (name, inputs) in [
        (".debug_info", 3),
        (".debug_line", 3),
        (".debug_line_str", 3),
        (".debug_str", 3),
        (".debug_rnglists", 1),
    ] {
        let s = file
            .section_by_name(name)
            .unwrap_or_else(|| panic!("{name} missing from the view"));
        assert_eq!(s.address(), 0, "{name} is not allocated");
        assert_eq!(s.data().unwrap(), relocated.data(name), "{name}");
        assert_eq!(relocated.get(name).unwrap().pieces.len(), inputs, "{name}");
    }
    // The oracle: gdb on gcc's own objects names the same file and line for each function.
    let info_line = |file: &Path, func: &str| -> String {
        let Some(out) = gdb(file, &[format!("info line {func}")]) else {
            panic!("gdb is required (scripts/install-test-deps.sh installs it)");
        };
        out.lines()
            .find(|l| l.starts_with("Line "))
            .unwrap_or_else(|| panic!("gdb found no line for {func} in {}:\n{out}", file.display()))
            .to_string()
    };
    for (obj, func) in [(&a_o, "twice"), (&b_o, "main"), (&c_o, "later")] {
        let obj_path = dir.0.join(&obj.name);
        std::fs::write(&obj_path, &obj.bytes).unwrap();
        let theirs = info_line(&obj_path, func);
        let want = &theirs[..theirs.find(" starts at").unwrap_or(theirs.len())];
        let ours = info_line(&path, func);
        let at = lookup(&jit, func);
        assert!(
            ours.starts_with(want) && ours.contains(&format!("address {at:#x} <{func}>")),
            "view: `{ours}`, object: `{theirs}`"
        );
    }
    let Some(out) = gdb(&path, &["info scope later".into()]) else {
        panic!("gdb is required");
    };
    assert!(out.contains("Symbol x is"), "{out}");
}

//! AArch64 and RISC-V 64 links checked end to end against GNU ld.
//!
//! The same objects (made by the GNU cross assembler) are linked twice: by `LinkSession` into a
//! `VecMemory`, and by the cross `ld` with a linker script that puts every input section at the
//! address the session chose (and the GOT where the session put its cell). Every placed byte
//! must agree, so GNU ld is the oracle for each relocation the objects carry. A missing cross
//! toolchain fails the tests with the package to install (scripts/install-test-deps.sh).

use std::collections::BTreeSet;
use std::path::Path;

use cfree_link::{
    LinkArch, LinkInput, LinkLayout, LinkMemory, LinkSession, MapResolver, NoResolver, RelocOwner,
    RelocVia, SectionPlacement, VecMemory,
};
use object::elf;
use object::read::elf::ElfFile64;
use object::read::{Object, ObjectSection};
use object::{Endianness, RelocationFlags};

const BASE: u64 = 0x4000_0000;
const PAGE: u64 = 0x1000;
/// Size of each of RX, R and RW: small enough for ADR/LDR-literal (±1 MiB) from code to code,
/// large enough for everything the tests place.
const CLASS_SIZE: u64 = 0x10_0000;

#[path = "../src/arch/cross_tools.rs"]
mod cross_tools;

use cross_tools::Scratch;

/// A cross toolchain and how this test drives it.
#[derive(Clone, Copy)]
struct Cross {
    tools: cross_tools::Cross,
    arch: LinkArch,
    as_args: &'static [&'static str],
    ld_args: &'static [&'static str],
}

const AARCH64: Cross = Cross {
    tools: cross_tools::Cross {
        prefix: "aarch64-linux-gnu",
        package: "binutils-aarch64-linux-gnu",
    },
    arch: LinkArch::Aarch64,
    as_args: &[],
    ld_args: &[],
};

/// Assembled with relaxation on (so the objects carry `R_RISCV_RELAX`/`R_RISCV_ALIGN` and
/// label-difference pairs, as compilers emit them), linked with it off, as the session links.
const RISCV64: Cross = Cross {
    tools: cross_tools::Cross {
        prefix: "riscv64-linux-gnu",
        package: "binutils-riscv64-linux-gnu",
    },
    arch: LinkArch::Riscv64,
    as_args: &["-march=rv64gc"],
    ld_args: &["--no-relax"],
};

impl Cross {
    fn run(&self, tool: &str, args: &[&str], dir: &Path) {
        self.tools.run(tool, args, dir)
    }

    /// Link `objects` (file names in `dir`) with `script`; the linked file's bytes.
    fn ld(&self, dir: &Path, script: &str, objects: &[String]) -> Vec<u8> {
        std::fs::write(dir.join("link.ld"), script).expect("write linker script");
        let mut args: Vec<&str> = self.ld_args.to_vec();
        args.extend(["-T", "link.ld", "-o", "linked"]);
        args.extend(objects.iter().map(String::as_str));
        self.run("ld", &args, dir);
        std::fs::read(dir.join("linked")).expect("read linked file")
    }
}

/// One input section as the session placed it.
struct Placed {
    object: String,
    section: String,
    addr: u64,
    /// The object's `sh_size` (the session may append to `.eh_frame`; ld output is compared on
    /// the input's bytes).
    size: u64,
    nobits: bool,
}

/// The outcome of linking the same objects both ways.
struct Both {
    session: LinkSession,
    /// Relocation types found in the objects (to prove what the comparison covered).
    r_types: BTreeSet<u32>,
}

/// Assemble `sources`, link them with `LinkSession`, then with GNU ld at the same addresses,
/// and compare every placed section and every GOT cell byte for byte.
fn link_both(cross: Cross, sources: &[(&str, &str)]) -> Both {
    let dir = Scratch::new(cross.tools.prefix);
    let mut objects = Vec::new();
    let mut inputs = Vec::new();
    let mut r_types = BTreeSet::new();
    for (name, asm) in sources {
        let src = format!("{name}.s");
        let obj = format!("{name}.o");
        std::fs::write(dir.0.join(&src), asm).expect("write assembly");
        let mut args: Vec<&str> = cross.as_args.to_vec();
        args.extend(["-o", &obj, &src]);
        cross.run("as", &args, &dir.0);
        let bytes = std::fs::read(dir.0.join(&obj)).expect("read object");
        let file = ElfFile64::<Endianness>::parse(&*bytes).expect("object is ELF64");
        for sec in file.sections() {
            for (_, r) in sec.relocations() {
                if let RelocationFlags::Elf { r_type } = r.flags() {
                    r_types.insert(r_type);
                }
            }
        }
        inputs.push(LinkInput::new(obj.clone(), bytes));
        objects.push(obj);
    }

    let layout = LinkLayout::contiguous(BASE, PAGE, CLASS_SIZE, CLASS_SIZE, CLASS_SIZE)
        .expect("valid layout");
    let mut session = LinkSession::new(cross.arch, layout);
    let mut mem = VecMemory::new(BASE, 3 * CLASS_SIZE, PAGE);
    session
        .append(inputs, &mut mem, &NoResolver)
        .unwrap_or_else(|e| panic!("LinkSession: {e}"));

    let mut placed = Vec::new();
    for rec in session.inputs() {
        if !objects.contains(&rec.name) {
            continue;
        }
        for sec in &rec.sections {
            if let SectionPlacement::Image { addr, .. } = sec.placement {
                if sec.size == 0 {
                    // GNU ld drops empty output sections; nothing to compare.
                    continue;
                }
                placed.push(Placed {
                    object: rec.name.clone(),
                    section: sec.name.clone(),
                    addr,
                    size: sec.size,
                    nobits: sec.sh_type == elf::SHT_NOBITS,
                });
            }
        }
    }
    // GOT cells: address -> the pointer the session stored there.
    let cells: Vec<(u64, u64)> = session
        .relocs()
        .iter()
        .filter_map(|r| match r.via {
            RelocVia::GotCell(cell) => Some(cell),
            _ => None,
        })
        .collect::<BTreeSet<u64>>()
        .into_iter()
        .map(|cell| (cell, read_u64(&mem, cell)))
        .collect();

    let script = |got: u64| {
        let mut s = String::from("ENTRY(f)\nSECTIONS {\n");
        for (i, p) in placed.iter().enumerate() {
            s += &format!(
                "  .sec{i} {:#x} : {{ {}({}) }}\n",
                p.addr, p.object, p.section
            );
        }
        s += &format!("  .got {got:#x} : {{ *(.got) }}\n}}\n");
        s
    };
    let mut got_addr = BASE + 3 * CLASS_SIZE + 0x10_0000;
    if !cells.is_empty() {
        // GNU ld's GOT may start with reserved entries: find where it put each target's entry,
        // then place its GOT so those entries land on the session's cells.
        let probe = cross.ld(&dir.0, &script(got_addr), &objects);
        let got = section(&probe, ".got");
        let mut base = None;
        for &(cell, value) in &cells {
            let k = got
                .chunks_exact(8)
                .position(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")) == value)
                .unwrap_or_else(|| panic!("GNU ld has no GOT entry holding {value:#x}"));
            let b = cell - 8 * k as u64;
            assert!(
                base.is_none_or(|x| x == b),
                "GNU ld orders its GOT differently from the session's cells"
            );
            base = Some(b);
        }
        got_addr = base.unwrap_or(got_addr);
    }
    let linked = cross.ld(&dir.0, &script(got_addr), &objects);

    for (i, p) in placed.iter().enumerate() {
        let theirs = section(&linked, &format!(".sec{i}"));
        let n = p.size as usize;
        assert!(
            theirs.len() >= n,
            "{}({}) is short in ld output",
            p.object,
            p.section
        );
        let mut ours = vec![0u8; n];
        mem.read(p.addr, &mut ours).expect("placed bytes readable");
        if p.nobits {
            assert!(ours.iter().all(|&b| b == 0), "{}({})", p.object, p.section);
            continue;
        }
        assert_eq!(
            hex(&ours),
            hex(&theirs[..n]),
            "{}({}) at {:#x} differs from GNU ld",
            p.object,
            p.section,
            p.addr
        );
    }
    if !cells.is_empty() {
        let got = section(&linked, ".got");
        for &(cell, value) in &cells {
            let off = (cell - got_addr) as usize;
            let theirs = u64::from_le_bytes(got[off..off + 8].try_into().expect("8 bytes"));
            assert_eq!(value, theirs, "GOT cell at {cell:#x}");
        }
    }
    Both { session, r_types }
}

fn section(elf_file: &[u8], name: &str) -> Vec<u8> {
    let file = ElfFile64::<Endianness>::parse(elf_file).expect("linked file is ELF64");
    file.section_by_name(name)
        .unwrap_or_else(|| panic!("no {name} in ld output"))
        .data()
        .expect("section data")
        .to_vec()
}

fn read_u64(mem: &VecMemory, addr: u64) -> u64 {
    let mut b = [0u8; 8];
    mem.read(addr, &mut b).expect("readable");
    u64::from_le_bytes(b)
}

/// 4-byte groups, so a mismatch points at the instruction.
fn hex(bytes: &[u8]) -> String {
    bytes
        .chunks(4)
        .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_covers(both: &Both, want: &[u32], names: impl Fn(u32) -> String) {
    let missing: Vec<String> = want
        .iter()
        .filter(|t| !both.r_types.contains(t))
        .map(|&t| names(t))
        .collect();
    assert!(
        missing.is_empty(),
        "the assembler did not emit {missing:?}; the test no longer covers them"
    );
}

const AARCH64_A: &str = "
	.text
	.globl	f
	.p2align 2
f:
	bl	g
	b	g
	b.ne	g
	cbz	x1, g
	tbz	x0, #3, g
	adrp	x0, d
	add	x0, x0, :lo12:d
	ldrb	w1, [x0, :lo12:d+1]
	ldrh	w1, [x0, :lo12:d+2]
	ldr	w1, [x0, :lo12:d+4]
	ldr	x1, [x0, :lo12:d+8]
	ldr	q1, [x0, :lo12:d+16]
	adrp	x2, :pg_hi21_nc:d+0x2000
	adr	x3, lit+3
	ldr	x4, lit
	adrp	x5, :got:g
	ldr	x5, [x5, :got_lo12:g]
	movz	x6, #:abs_g3:d
	movk	x6, #:abs_g2_nc:d
	movk	x6, #:abs_g1_nc:d
	movk	x6, #:abs_g0_nc:d
	movz	x7, #:abs_g0:small
	movz	x7, #:abs_g1:d
	movz	x7, #:abs_g2:d
	movz	x8, #:abs_g0_s:small
	movz	x8, #:abs_g1_s:d
	movz	x9, #:prel_g0:g
	movk	x9, #:prel_g0_nc:g
	movz	x9, #:prel_g1:lit
	ret

	.data
	.p2align 3
da:
	.quad	d + 8
	.quad	g - .
	.word	d + 4
	.word	g - .
	.hword	small
	.hword	d - .
	.word	0
";

const AARCH64_B: &str = "
	.text
	.globl	g
	.p2align 2
g:
	ret
	.globl	lit
	.p2align 3
lit:
	.quad	0x1122334455667788

	.data
	.globl	d
	.p2align 4
d:
	.fill	32, 1, 0x5a

	.globl	small
	small = 0x1234
";

#[test]
fn aarch64_matches_gnu_ld() {
    let both = link_both(AARCH64, &[("a", AARCH64_A), ("b", AARCH64_B)]);
    assert_covers(
        &both,
        &[
            elf::R_AARCH64_CALL26,
            elf::R_AARCH64_JUMP26,
            elf::R_AARCH64_CONDBR19,
            elf::R_AARCH64_TSTBR14,
            elf::R_AARCH64_ADR_PREL_PG_HI21,
            elf::R_AARCH64_ADR_PREL_PG_HI21_NC,
            elf::R_AARCH64_ADD_ABS_LO12_NC,
            elf::R_AARCH64_LDST8_ABS_LO12_NC,
            elf::R_AARCH64_LDST16_ABS_LO12_NC,
            elf::R_AARCH64_LDST32_ABS_LO12_NC,
            elf::R_AARCH64_LDST64_ABS_LO12_NC,
            elf::R_AARCH64_LDST128_ABS_LO12_NC,
            elf::R_AARCH64_ADR_PREL_LO21,
            elf::R_AARCH64_LD_PREL_LO19,
            elf::R_AARCH64_ADR_GOT_PAGE,
            elf::R_AARCH64_LD64_GOT_LO12_NC,
            elf::R_AARCH64_MOVW_UABS_G0,
            elf::R_AARCH64_MOVW_UABS_G0_NC,
            elf::R_AARCH64_MOVW_UABS_G1,
            elf::R_AARCH64_MOVW_UABS_G1_NC,
            elf::R_AARCH64_MOVW_UABS_G2,
            elf::R_AARCH64_MOVW_UABS_G2_NC,
            elf::R_AARCH64_MOVW_UABS_G3,
            elf::R_AARCH64_MOVW_SABS_G0,
            elf::R_AARCH64_MOVW_SABS_G1,
            elf::R_AARCH64_MOVW_PREL_G0,
            elf::R_AARCH64_MOVW_PREL_G0_NC,
            elf::R_AARCH64_MOVW_PREL_G1,
            elf::R_AARCH64_ABS64,
            elf::R_AARCH64_ABS32,
            elf::R_AARCH64_ABS16,
            elf::R_AARCH64_PREL64,
            elf::R_AARCH64_PREL32,
            elf::R_AARCH64_PREL16,
        ],
        |t| {
            cfree_link::backend(LinkArch::Aarch64)
                .reloc_name(t)
                .into_owned()
        },
    );
    assert!(both.session.lookup("g").is_some());
}

/// No alignment directives in RISC-V code: with relaxation on they become `R_RISCV_ALIGN`
/// over `N - 2` bytes of nops, which GNU ld shrinks (even with `--no-relax`) while the session,
/// which never deletes bytes, keeps them all (see `arch/riscv64.rs`), so the layouts would differ.
const RISCV_A: &str = "
	.text
	.globl	f
f:
	call	g
	tail	g
.La:	auipc	a0, %pcrel_hi(d)
	addi	a0, a0, %pcrel_lo(.La)
	ld	a1, %pcrel_lo(.La)(a0)
	sd	a1, %pcrel_lo(.La)(a0)
.Lb:	auipc	a2, %got_pcrel_hi(g)
	ld	a2, %pcrel_lo(.Lb)(a2)
	lui	a3, %hi(d)
	addi	a3, a3, %lo(d)
	sw	a3, %lo(d+4)(a3)
	beq	a0, a1, f
	jal	g
	bnez	a0, h
	c.j	f
.Lc:	auipc	a4, %pcrel_hi(d+0x7f8)
	lw	a4, %pcrel_lo(.Lc)(a4)
h:	ret

	.data
	.p2align 3
da:
	.quad	g
	.word	d
	.word	g - .
	.quad	h - f
	.half	h - f
	.byte	h - f
	.byte	0
";

const RISCV_B: &str = "
	.text
	.globl	g
g:
	ret

	.data
	.globl	d
	.p2align 4
d:
	.fill	32, 1, 0x5a
";

#[test]
fn riscv64_matches_gnu_ld() {
    let both = link_both(RISCV64, &[("a", RISCV_A), ("b", RISCV_B)]);
    assert_covers(
        &both,
        &[
            elf::R_RISCV_CALL_PLT,
            elf::R_RISCV_PCREL_HI20,
            elf::R_RISCV_PCREL_LO12_I,
            elf::R_RISCV_PCREL_LO12_S,
            elf::R_RISCV_GOT_HI20,
            elf::R_RISCV_HI20,
            elf::R_RISCV_LO12_I,
            elf::R_RISCV_LO12_S,
            elf::R_RISCV_BRANCH,
            elf::R_RISCV_JAL,
            elf::R_RISCV_RVC_BRANCH,
            elf::R_RISCV_RVC_JUMP,
            elf::R_RISCV_RELAX,
            elf::R_RISCV_64,
            elf::R_RISCV_32,
            elf::R_RISCV_ADD8,
            elf::R_RISCV_ADD16,
            elf::R_RISCV_ADD32,
            elf::R_RISCV_ADD64,
            elf::R_RISCV_SUB8,
            elf::R_RISCV_SUB16,
            elf::R_RISCV_SUB32,
            elf::R_RISCV_SUB64,
        ],
        |t| {
            cfree_link::backend(LinkArch::Riscv64)
                .reloc_name(t)
                .into_owned()
        },
    );
}

/// Call frame information with relaxation on: advance_loc deltas become SET6/SUB6,
/// SET8/SUB8 and SET16/SUB16 pairs, FDE addresses R_RISCV_32_PCREL and ADD32/SUB32.
const RISCV_CFI: &str = "
	.text
	.globl	f
f:
	.cfi_startproc
	addi	sp, sp, -16
	.cfi_def_cfa_offset 16
	call	g
	.cfi_def_cfa_offset 32
	call	g
	.fill	30, 4, 0x00000013
	.cfi_def_cfa_offset 48
	call	g
	.fill	80, 4, 0x00000013
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc
	.globl	g
g:
	ret
";

#[test]
fn riscv64_call_frame_information_matches_gnu_ld() {
    let both = link_both(RISCV64, &[("cfi", RISCV_CFI)]);
    assert_covers(
        &both,
        &[
            elf::R_RISCV_32_PCREL,
            elf::R_RISCV_SET6,
            elf::R_RISCV_SUB6,
            elf::R_RISCV_SET8,
            elf::R_RISCV_SUB8,
            elf::R_RISCV_SET16,
            elf::R_RISCV_SUB16,
        ],
        |t| {
            cfree_link::backend(LinkArch::Riscv64)
                .reloc_name(t)
                .into_owned()
        },
    );
}

/// Far host function, beyond every direct branch and AUIPC reach from the image.
const FAR: u64 = 0x7f12_3456_7000;

/// Calls out of reach go through a linker stub that loads the GOT cell holding the target.
/// GNU ld cannot be the oracle here (it makes its own veneers), so the check is semantic: every
/// such call lands on the stub (`lands` decodes where the instruction at a site jumps), the
/// stub is the backend's stub for its cell (whose encoding the backend tests check against
/// GNU as), and the cell holds the target.
fn far_calls_go_through_a_stub(cross: Cross, asm: &str, lands: fn(&VecMemory, u64) -> u64) {
    let dir = Scratch::new(cross.tools.prefix);
    std::fs::write(dir.0.join("far.s"), asm).expect("write assembly");
    let mut args: Vec<&str> = cross.as_args.to_vec();
    args.extend(["-o", "far.o", "far.s"]);
    cross.run("as", &args, &dir.0);
    let bytes = std::fs::read(dir.0.join("far.o")).expect("read object");
    let layout = LinkLayout::contiguous(BASE, PAGE, CLASS_SIZE, CLASS_SIZE, CLASS_SIZE)
        .expect("valid layout");
    let mut session = LinkSession::new(cross.arch, layout);
    let mut mem = VecMemory::new(BASE, 3 * CLASS_SIZE, PAGE);
    let mut resolver = MapResolver::new();
    resolver.insert("far_away", FAR);
    session
        .append(vec![LinkInput::new("far.o", bytes)], &mut mem, &resolver)
        .unwrap_or_else(|e| panic!("LinkSession: {e}"));
    let backend = cfree_link::backend(cross.arch);
    let calls: Vec<_> = session
        .relocs()
        .iter()
        .filter(|r| matches!(r.owner, RelocOwner::Input { .. }))
        .collect();
    assert_eq!(calls.len(), 2, "a call and a tail call");
    for call in calls {
        let RelocVia::Stub(stub) = call.via else {
            panic!(
                "far call at {:#x} not routed through a stub: {:?}",
                call.vaddr, call.via
            );
        };
        assert_eq!(lands(&mem, call.vaddr), stub, "call at {:#x}", call.vaddr);
        let cell = session
            .relocs()
            .iter()
            .find(|r| r.target == call.target && matches!(r.owner, RelocOwner::Linker { .. }))
            .map(|r| r.vaddr)
            .expect("GOT cell for the stub");
        assert_eq!(read_u64(&mem, cell), FAR);
        let mut stub_bytes = vec![0u8; backend.got_stub_size() as usize];
        mem.read(stub, &mut stub_bytes).expect("stub readable");
        assert_eq!(
            stub_bytes,
            backend.encode_got_stub(stub, cell).expect("encodable"),
            "stub bytes"
        );
    }
}

fn read_u32(mem: &VecMemory, addr: u64) -> u32 {
    let mut b = [0u8; 4];
    mem.read(addr, &mut b).expect("readable");
    u32::from_le_bytes(b)
}

/// Sign-extend the low `bits` of `v`.
fn sext(v: u64, bits: u32) -> i64 {
    ((v << (64 - bits)) as i64) >> (64 - bits)
}

#[test]
fn aarch64_far_calls_go_through_a_stub() {
    let asm = "
	.text
	.globl	f
f:
	nop
	bl	far_away
	b	far_away
";
    // B/BL: imm26 words from the branch itself (Arm ARM).
    far_calls_go_through_a_stub(AARCH64, asm, |mem, site| {
        let insn = u64::from(read_u32(mem, site));
        site.wrapping_add_signed(sext((insn & 0x3ff_ffff) << 2, 28))
    });
}

#[test]
fn riscv64_far_calls_go_through_a_stub() {
    let asm = "
	.text
	.globl	f
f:
	nop
	call	far_away
	tail	far_away
";
    // AUIPC adds its 20-bit immediate << 12 (sign-extended) to its own address; JALR adds its
    // sign-extended 12-bit immediate (RISC-V unprivileged ISA).
    far_calls_go_through_a_stub(RISCV64, asm, |mem, site| {
        let auipc = u64::from(read_u32(mem, site));
        let jalr = u64::from(read_u32(mem, site + 4));
        let hi = sext(auipc & 0xffff_f000, 32);
        let lo = sext(jalr >> 20, 12);
        site.wrapping_add_signed(hi + lo)
    });
}

/// A `%pcrel_lo` whose label has no high-part relocation is an input error, not a silent zero.
#[test]
fn riscv64_pcrel_lo_without_high_part_is_rejected() {
    use object::write::{Object as WriteObject, Relocation, Symbol, SymbolSection};
    use object::{Architecture, BinaryFormat, SectionKind, SymbolFlags, SymbolKind, SymbolScope};

    let mut o = WriteObject::new(BinaryFormat::Elf, Architecture::Riscv64, Endianness::Little);
    let text = o.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
    // auipc a0, 0; addi a0, a0, 0 — but the AUIPC carries no relocation.
    let code: Vec<u8> = [0x0000_0517u32, 0x0005_0513]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    o.append_section_data(text, &code, 4);
    let label = o.add_symbol(Symbol {
        name: b".Lpcrel_hi0".to_vec(),
        value: 0,
        size: 0,
        kind: SymbolKind::Label,
        scope: SymbolScope::Compilation,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    o.add_symbol(Symbol {
        name: b"f".to_vec(),
        value: 0,
        size: 8,
        kind: SymbolKind::Text,
        scope: SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    o.add_relocation(
        text,
        Relocation {
            offset: 4,
            symbol: label,
            addend: 0,
            flags: RelocationFlags::Elf {
                r_type: elf::R_RISCV_PCREL_LO12_I,
            },
        },
    )
    .expect("relocation accepted");
    let bytes = o.write().expect("object written");

    let layout = LinkLayout::contiguous(BASE, PAGE, CLASS_SIZE, CLASS_SIZE, CLASS_SIZE)
        .expect("valid layout");
    let mut session = LinkSession::new(LinkArch::Riscv64, layout);
    let mut mem = VecMemory::new(BASE, 3 * CLASS_SIZE, PAGE);
    let err = session
        .append(vec![LinkInput::new("lo.o", bytes)], &mut mem, &NoResolver)
        .expect_err("unpaired %pcrel_lo");
    let msg = err.to_string();
    assert!(
        msg.contains("R_RISCV_PCREL_LO12_I") && msg.contains("no high-part relocation"),
        "{msg}"
    );
    assert_eq!(session.generation(), 0, "nothing published");
}

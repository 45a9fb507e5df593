//! Test-only access to GNU cross binutils, the external oracle of the backend tests: the bytes
//! the cross assembler and linker produce for an instruction sequence at given addresses.
//!
//! A missing tool fails the test with the Debian package to install (see
//! `scripts/install-test-deps.sh`): a silently skipped oracle would let encodings rot.
//!
//! Shared by the backends' unit tests and, through `#[path]`, by `tests/cross_arch.rs`, so it
//! uses nothing from the crate.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use object::read::elf::ElfFile64;
use object::read::{Object, ObjectSection};
use object::Endianness;

/// One GNU cross toolchain: `{prefix}-as`, `{prefix}-ld`, from Debian package `package`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cross {
    pub prefix: &'static str,
    pub package: &'static str,
}

/// A scratch directory removed on drop (unless the test panicked, to help debugging).
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("cfree-link-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Cross {
    /// Run `{prefix}-{tool} args` in `dir`, panicking with its stderr on failure and with the
    /// package name when the tool is not installed.
    pub fn run(&self, tool: &str, args: &[&str], dir: &Path) {
        let exe = format!("{}-{tool}", self.prefix);
        let out = match Command::new(&exe).args(args).current_dir(dir).output() {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "`{exe}` is not installed: install the Debian package `{}` \
                 (scripts/install-test-deps.sh)",
                self.package
            ),
            Err(e) => panic!("cannot run `{exe}`: {e}"),
        };
        assert!(
            out.status.success(),
            "`{exe} {}` failed in {}:\n{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Assemble `asm` (with `as_args`), link it alone with `ld_args`, and return the contents
    /// of section `section` of the linked executable.
    pub fn link_section(
        &self,
        asm: &str,
        as_args: &[&str],
        ld_args: &[&str],
        section: &str,
    ) -> Vec<u8> {
        let dir = Scratch::new(self.prefix);
        std::fs::write(dir.0.join("t.s"), asm).expect("write assembly");
        let mut args = as_args.to_vec();
        args.extend(["-o", "t.o", "t.s"]);
        self.run("as", &args, &dir.0);
        let mut args = ld_args.to_vec();
        args.extend(["-o", "t", "t.o"]);
        self.run("ld", &args, &dir.0);
        let bytes = std::fs::read(dir.0.join("t")).expect("read linked file");
        let file = ElfFile64::<Endianness>::parse(&*bytes).expect("linked file is ELF64");
        let sec = file
            .section_by_name(section)
            .unwrap_or_else(|| panic!("no section {section} in the linked file"));
        sec.data().expect("section contents").to_vec()
    }
}

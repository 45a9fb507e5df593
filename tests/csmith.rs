//! csmith differential testing: a fixed range of random programs, in csmith's default mode
//! (packed structs) and with `--no-packed-struct`, each built by `gcc -O0` (the reference) and
//! run by `cfree run` at `-O0` and `-O2`. Any difference in output or exit status, crash,
//! timeout or compile error fails the test. The work is done by `scripts/csmith.sh`, which also
//! runs any other seed range for longer campaigns (`bash scripts/csmith.sh 1000 5000 default`).

mod common;

use std::process::Command;

/// Seeds run per mode; a few programs are not compared (gcc's own build runs over the time
/// limit), so the range is wider than the 300 compared programs the test requires.
const SEEDS: (u32, u32) = (1, 350);
const MIN_COMPARED: usize = 300;

fn campaign(mode: &str) {
    let root = common::repo_root();
    let cfree = env!("CARGO_BIN_EXE_cfree");
    let out = Command::new("bash")
        .arg(root.join("scripts/csmith.sh"))
        .args([SEEDS.0.to_string(), SEEDS.1.to_string(), mode.to_string()])
        .env("CFREE", cfree)
        // The two modes run as two parallel tests: one job each keeps the machine at its
        // core count, so the reference builds' 10 s limit measures the program, not the load.
        .env("JOBS", "1")
        .env("OUT", root.join("target/csmith-test"))
        .output()
        .expect("bash runs scripts/csmith.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "csmith {mode}: failures above (programs kept in target/csmith-test)"
    );
    // "csmith MODE seeds A..B -O0 -O2: X of Y compared programs match gcc -O0, ..."
    let compared = stdout
        .lines()
        .rev()
        .find_map(|l| {
            l.split(" of ")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse::<usize>()
                .ok()
        })
        .expect("summary line of scripts/csmith.sh");
    assert!(
        compared >= MIN_COMPARED,
        "csmith {mode}: only {compared} programs compared"
    );
}

#[test]
fn csmith_default_mode_matches_gcc() {
    campaign("default");
}

#[test]
fn csmith_no_packed_struct_matches_gcc() {
    campaign("nopacked");
}

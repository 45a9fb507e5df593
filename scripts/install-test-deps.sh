#!/usr/bin/env bash
# Installs what the test suites need (Debian packages), then extracts the gcc torture tests.
# Idempotent: installs only missing packages and runs `apt-get update` only when it must.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# gcc: reference compiler of the differential tests and system linker driver
# gdb: debugger client of the JIT view and the reference for cfree dbg sessions; tmux: drives
# cfree dbg in a real terminal (tests/dbg_tty.rs);   tcc: harness cross-check (CFREE_TEST_COMPILER)
# gcc-12-source: the gcc.c-torture suite;   llvm-19: llvm-dwarfdump-19 --verify
# make: drives the Makefile builds of tests/cc.rs (bzip2 with CC="cfree cc"); man-db: renders doc/cfree.1
# binutils: readelf/objdump/ld;   python3-venv: tests of the C API from Python
# csmith, libcsmith-dev: random programs of the csmith differential test (tests/csmith.rs)
# binutils-aarch64-linux-gnu, binutils-riscv64-linux-gnu: cross as/ld, oracles of the AArch64
#   and RISC-V link backend tests (crates/link)
# qemu-user, gcc-aarch64-linux-gnu, gcc-riscv64-linux-gnu, libc6-dev-arm64-cross,
#   libc6-dev-riscv64-cross: cross compilers, target headers and qemu-user, the reference and
#   the runner of the AArch64 and RISC-V code generation tests
packages=(gcc make man-db gdb tcc tmux gcc-12-source llvm-19 binutils python3-venv binutils-aarch64-linux-gnu binutils-riscv64-linux-gnu csmith libcsmith-dev qemu-user gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu libc6-dev-arm64-cross libc6-dev-riscv64-cross)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-test-deps: missing ${missing[*]}, and not root and no sudo" >&2
        exit 1
    fi
    echo "install-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
        "${sudo[@]}" apt-get update
        "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
    fi
else
    echo "install-test-deps: all packages present (${packages[*]})"
fi

bash "$root/scripts/fetch-torture.sh"

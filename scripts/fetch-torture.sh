#!/usr/bin/env bash
# Extracts gcc's gcc.c-torture/execute tests (gcc 12, from Debian's gcc-12-source package)
# into DEST (default: target/torture/execute under the repository root). Idempotent: does
# nothing when DEST already holds a complete extraction.
#
# Only the top-level *.c files (and the one header they include, gcc_tmpnam.h) are taken.
# The builtins/ and ieee/ subdirectories are left out on purpose: builtins/ tests must be
# linked with extra objects from builtins/lib/, and ieee/ tests take per-file options from
# Tcl `.x` scripts; neither fits a plain `cfree run test.c` (see tests/torture.rs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/target/torture/execute}"
marker="$dest/.extracted"

if [[ -f "$marker" ]] && compgen -G "$dest/*.c" >/dev/null; then
    echo "fetch-torture: $dest already extracted ($(cat "$marker"))"
    exit 0
fi

shopt -s nullglob
tarballs=(/usr/src/gcc-12/gcc-12*.tar.*)
shopt -u nullglob
if [[ ${#tarballs[@]} -eq 0 ]]; then
    echo "fetch-torture: no /usr/src/gcc-12/gcc-12*.tar.* found;" \
        "install Debian's gcc-12-source (bash scripts/install-test-deps.sh)" >&2
    exit 1
fi
tarball="${tarballs[0]}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fetch-torture.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-torture: extracting gcc.c-torture/execute from $tarball"
tar -xf "$tarball" -C "$tmp" --wildcards --no-anchored \
    '*/gcc/testsuite/gcc.c-torture/execute/*'
src="$(find "$tmp" -type d -path '*/gcc/testsuite/gcc.c-torture/execute' | head -n 1)"
if [[ -z "$src" ]]; then
    echo "fetch-torture: $tarball holds no gcc/testsuite/gcc.c-torture/execute" >&2
    exit 1
fi

rm -rf "$dest"
mkdir -p "$dest"
find "$src" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -exec cp -t "$dest" {} +
count="$(find "$dest" -maxdepth 1 -name '*.c' | wc -l)"
echo "$(basename "$tarball"): $count tests" >"$marker"
echo "fetch-torture: $count tests in $dest"

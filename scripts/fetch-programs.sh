#!/usr/bin/env bash
# Downloads the C sources of the real programs tested by tests/programs.rs (Lua, SQLite,
# zlib, bzip2, zstd, xz, lz4, pcre2, libdeflate, mimalloc). They come from crates.io crates
# that bundle C code: a throwaway cargo package under target/programs/fetch depends on them
# (pinned versions), `cargo fetch` downloads them into cargo's registry cache, and
# `cargo metadata` tells where each crate's source directory is. Nothing is vendored.
#
# Writes target/programs/sources.txt, one line per crate: `name<TAB>source directory`.
# Idempotent: does nothing when sources.txt exists and every directory in it is present.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/target/programs/fetch"
out="$root/target/programs/sources.txt"

# name = version (exact pins: the test's expectations about file layout depend on them)
crates=(
    'lua-src = "=548.1.2"'
    'libsqlite3-sys = { version = "=0.40.0", features = ["bundled"] }'
    'libz-sys = { version = "=1.1.33", default-features = false, features = ["static"] }'
    'bzip2-sys = "=0.1.13"'
    'zstd-sys = "=2.1.3"'
    'lzma-sys = "=0.1.20"'
    'lz4-sys = "=1.11.1"'
    'pcre2-sys = "=0.2.10"'
    'libdeflate-sys = "=1.26.1"'
    'libmimalloc-sys = "=0.1.49"'
)

if [[ -f "$out" ]]; then
    ok=1
    while IFS=$'\t' read -r _ path; do
        [[ -d "$path" ]] || ok=0
    done <"$out"
    if [[ $ok -eq 1 && $(wc -l <"$out") -eq ${#crates[@]} ]]; then
        echo "fetch-programs: sources present ($out)"
        exit 0
    fi
fi

mkdir -p "$dir/src"
{
    echo '[package]'
    echo 'name = "cfree-program-sources"'
    echo 'version = "0.0.0"'
    echo 'edition = "2021"'
    echo 'publish = false'
    echo
    echo '[workspace]'
    echo
    echo '[dependencies]'
    printf '%s\n' "${crates[@]}"
} >"$dir/Cargo.toml"
echo '' >"$dir/src/lib.rs"

echo "fetch-programs: cargo fetch in $dir"
cargo fetch --manifest-path "$dir/Cargo.toml"
cargo metadata --format-version 1 --manifest-path "$dir/Cargo.toml" >"$dir/metadata.json"

python3 - "$dir/metadata.json" "$out.tmp" "${crates[@]}" <<'PY'
import json, os, sys
meta = json.load(open(sys.argv[1]))
wanted = [c.split('=')[0].strip() for c in sys.argv[3:]]
found = {}
for p in meta["packages"]:
    if p["name"] in wanted:
        found[p["name"]] = os.path.dirname(p["manifest_path"])
missing = [w for w in wanted if w not in found]
if missing:
    sys.exit("fetch-programs: cargo metadata lacks " + ", ".join(missing))
with open(sys.argv[2], "w") as f:
    for w in wanted:
        f.write(f"{w}\t{found[w]}\n")
PY
mv "$out.tmp" "$out"
echo "fetch-programs: wrote $out"
cat "$out"

#!/usr/bin/env bash
# Wall time of `cfree run examples/hello.c` next to the anchors, process start to exit,
# median and p90 of N runs each (default 50), interleaved so machine noise hits all alike.
# `cfree-run` uses the compile cache (warm after its first run), `cfree-run-fno-cache` compiles.
# usage: bench/hello.sh [N]   (needs a release build: cargo build --release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-50}"
cfree="${CFREE:-$root/target/release/cfree}"
src=examples/hello.c
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -O0 -o "$tmp/hello-gcc-O0" "$src"
gcc -O2 -o "$tmp/hello-gcc-O2" "$src"

declare -A cmds=(
  [cfree-run]="$cfree run $src"
  [cfree-run-fno-cache]="$cfree run -fno-cache $src"
  [tcc-run]="tcc -run $src"
  [gcc-O0-compile+run]="gcc -O0 -o $tmp/h $src && $tmp/h"
  [prebuilt-gcc-O2-binary]="$tmp/hello-gcc-O2"
)
order=(cfree-run cfree-run-fno-cache tcc-run gcc-O0-compile+run prebuilt-gcc-O2-binary)
for name in "${order[@]}"; do : > "$tmp/$name.times"; done
for _ in $(seq "$n"); do
  for name in "${order[@]}"; do
    command -v "${cmds[$name]%% *}" >/dev/null 2>&1 || [ -x "${cmds[$name]%% *}" ] || continue
    s=$(date +%s%N)
    bash -c "${cmds[$name]}" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 )) >> "$tmp/$name.times"
  done
done
printf '%-26s %10s %10s %6s\n' "command" "median ms" "p90 ms" "runs"
for name in "${order[@]}"; do
  f="$tmp/$name.times"
  [ -s "$f" ] || { printf '%-26s %10s\n' "$name" "(not installed)"; continue; }
  sort -n "$f" | awk -v name="$name" '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9)]; printf "%-26s %10.2f %10.2f %6d\n", name, m/1000, p/1000, NR}'
done

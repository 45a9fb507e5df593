#!/usr/bin/env bash
# Latency of debugger commands, cfree dbg next to gdb (on the same program built by
# gcc -g -O0), measured from outside: a session whose script repeats one command K times,
# minus the same session with the command left out, divided by K. Each session runs R times
# (default 5) and the median difference is reported, in milliseconds per command.
# usage: bench/dbg.sh [R]   (needs a release build: cargo build --release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
cfree="${CFREE:-$root/target/release/cfree}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/prog.c" <<'EOF'
#include <stdio.h>
struct pt { int x, y; };
long work(struct pt *p, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) total += i % 7 + p->x;
    return total + p->y;
}
int straight(int v) {
EOF
for i in $(seq 60); do echo "    v = v * 3 + $i;"; done >> "$tmp/prog.c"
cat >> "$tmp/prog.c" <<'EOF'
    return v;
}
int main(void) {
    struct pt p = {3, 4};
    long r = work(&p, 1000000) + straight(1);
    printf("%ld\n", r);
    return 0;
}
EOF
gcc -g -O0 -o "$tmp/prog" "$tmp/prog.c"

# The common prefix: stopped at the loop line of work() (or, for stepping, at the first of
# straight()'s 60 one-statement lines).
loop_prefix=$'break work\nrun\nnext\n'
line_prefix=$'break straight\nrun\n'
prefix="$loop_prefix"

session() { # tool script-file
  local s e
  s=$(date +%s%N)
  if [ "$1" = cfree ]; then
    "$cfree" dbg -x "$2" "$tmp/prog.c" </dev/null >/dev/null 2>&1 || true
  else
    gdb -nx -batch -x "$2" "$tmp/prog" </dev/null >/dev/null 2>&1 || true
  fi
  e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure tool label command K
measure() {
  local tool="$1" label="$2" cmd="$3" k="$4"
  printf '%s' "$prefix" > "$tmp/base.txt"
  # @N@ in the command becomes the repetition's number (names that must differ).
  { printf '%s' "$prefix"; for i in $(seq "$k"); do printf '%s\n' "${cmd//@N@/$i}"; done; } > "$tmp/rep.txt"
  local diffs=()
  for _ in $(seq "$runs"); do
    local b r
    b=$(session "$tool" "$tmp/base.txt")
    r=$(session "$tool" "$tmp/rep.txt")
    diffs+=($(( r - b )))
  done
  local med
  med=$(printf '%s\n' "${diffs[@]}" | median)
  awk -v t="$tool" -v l="$label" -v m="$med" -v k="$k" \
    'BEGIN { printf "| %s | %s | %.3f |\n", l, t, m / k / 1000 }'
}

echo "| command | debugger | ms per command (median of $runs) |"
echo "|---|---|---|"
measure cfree 'print a local (`p total`)' 'p total' 1000
measure gdb   'print a local (`p total`)' 'p total' 1000
measure cfree 'print a member through a pointer (`p p->x`)' 'p p->x' 1000
measure gdb   'print a member through a pointer (`p p->x`)' 'p p->x' 1000
# Each repetition's expression differs (`+ N`): a repeated one reuses its compiled code.
measure cfree 'print a compiled expression (`p total * 2 + p->y + N`)' 'p total * 2 + p->y + @N@' 40
measure gdb   'print an expression (`p total * 2 + p->y + N`, interpreted by gdb)' 'p total * 2 + p->y + @N@' 40
measure cfree 'the same compiled expression again (`p total * 2 + p->y`)' 'p total * 2 + p->y' 40
measure cfree '`next` over the loop line (10^6 iterations)' 'next' 1
measure cfree '`jit { int fN(int x) { return x + N; } }`' 'jit { int f@N@(int x) { return x + @N@; } }' 40
measure cfree '`reload work { BODY }` (a new body from the REPL)' 'reload work { return p->x + n + @N@; }' 40
measure cfree '`reload work` (from the program file, unchanged block)' 'reload work' 40
prefix="$line_prefix"
measure cfree '`next` over a one-statement line' 'next' 40
measure gdb   '`next` over a one-statement line' 'next' 40
measure cfree '`stepi`' 'stepi' 40
measure gdb   '`stepi`' 'stepi' 40

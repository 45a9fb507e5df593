#!/usr/bin/env bash
# Compile speed and code speed on real programs, cfree next to the anchors in one run:
# tcc, gcc -O0, clang-19 -O0, gcc -O2 (and cfree at -O0 and -O2). Sources come from the
# crates.io packages scripts/fetch-programs.sh fetches (libsqlite3-sys, lua-src, libz-sys);
# the workloads are ours (bench/lua/bench.lua, bench/sqlite_bench.c, tests/programs/lua_driver.c).
#
# usage: bench/programs.sh [N]      N runs of each row (default 5), medians reported
#   needs a release build (cargo build --release); installs tcc and clang-19 with apt-get
#   when missing and root (or sudo) is available; a missing anchor is reported, not fatal.
#
# Rows: wall and CPU (user+sys) seconds and peak RSS of compiling sqlite3.c, Lua 5.4 and zlib
# to objects (one command per compiler; cfree compiles the files of one command in
# parallel); run time of the Lua benchmark and the SQLite workload built by each compiler
# (objects linked by gcc); compile + run of the Lua benchmark in memory (cfree run vs tcc
# -run, cfree cold, -flazy and with the compile cache warm) and start-up of an SQLite program
# the same ways. Ratios are to gcc -O2 for code speed and to tcc for compile speed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-5}"
cfree="${CFREE:-$root/target/release/cfree}"
[ -x "$cfree" ] || { echo "bench: build first: cargo build --release" >&2; exit 1; }

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v tcc >/dev/null || need+=(tcc)
command -v clang-19 >/dev/null || need+=(clang-19)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else sudo=(false); fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || echo "bench: could not install ${need[*]}; those rows are skipped" >&2
fi
bash scripts/fetch-programs.sh >/dev/null
src_of() { grep "^$1	" target/programs/sources.txt | cut -f2; }
sqlite_dir="$(src_of libsqlite3-sys)/sqlite3"
lua_dir="$(src_of lua-src)/lua-5.4.8"
zlib_dir="$(src_of libz-sys)/src/zlib"
lua_core=()
for f in "$lua_dir"/*.c; do [ "$(basename "$f")" = luac.c ] || lua_core+=("$f"); done
lua_driver="$root/tests/programs/lua_driver.c"
lua_files=("${lua_core[@]}" "$lua_driver")
zlib_files=("$zlib_dir"/*.c)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# compilers: name -> "command and flags" (each accepts -c file... and -o for one file)
names=(cfree-O0 cfree-O2 tcc gcc-O0 clang19-O0 gcc-O2)
declare -A cc=(
  [cfree-O0]="$cfree cc -O0" [cfree-O2]="$cfree cc -O2" [tcc]="tcc"
  [gcc-O0]="gcc -O0" [clang19-O0]="clang-19 -O0" [gcc-O2]="gcc -O2"
)
have() { command -v "${cc[$1]%% *}" >/dev/null 2>&1; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "nan"}'; }

# measure NAME CMD...: N runs; appends "wall cpu rss_kb" lines to $tmp/NAME.m
measure() {
  local name="$1"; shift
  : > "$tmp/$name.m"
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.out" "$@" >/dev/null 2>"$tmp/$name.err" \
      || { echo "bench: $name failed: $(head -3 "$tmp/$name.err")" >&2; return 1; }
    awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}' "$tmp/time.out" >> "$tmp/$name.m"
  done
}
col() { awk -v c="$2" '{print $c}' "$tmp/$1.m" | median; }

ratio() { if [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; else echo -; fi; }

compile_row() {  # compile_row TITLE FLAGS FILES...
  local title="$1" flags="$2"; shift 2
  echo; echo "## compile $title ($# files, -c, one command)"
  printf '%-12s %9s %9s %9s %10s\n' compiler "wall s" "cpu s" "MB peak" "cpu / tcc"
  local tcc_cpu=""
  for c in tcc cfree-O0 cfree-O2 gcc-O0 clang19-O0 gcc-O2; do
    have "$c" || { printf '%-12s (not installed)\n' "$c"; continue; }
    mkdir -p "$tmp/o-$c" && cd "$tmp/o-$c"
    # shellcheck disable=SC2086
    if measure "c-$c" ${cc[$c]} -w $flags -c "$@"; then
      local w u m; w=$(col "c-$c" 1); u=$(col "c-$c" 2); m=$(col "c-$c" 3)
      [ "$c" = tcc ] && tcc_cpu="$u"
      printf '%-12s %9.3f %9.3f %9.0f %10s\n' "$c" "$w" "$u" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" "$(ratio "$u" "$tcc_cpu")"
    fi
    cd "$root"
  done
}

compile_row "sqlite3.c (SQLite amalgamation)" "-DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MATH_FUNCTIONS" "$sqlite_dir/sqlite3.c"
compile_row "Lua 5.4" "-DLUA_USE_LINUX -I$lua_dir" "${lua_files[@]}"
compile_row "zlib" "-DHAVE_UNISTD_H -DHAVE_STDARG_H -I$zlib_dir" "${zlib_files[@]}"

# Build the two workloads with every compiler (objects linked by gcc).
for c in "${names[@]}"; do
  have "$c" || continue
  d="$tmp/b-$c"; mkdir -p "$d/lua.o" "$d/sq.o"
  ld=gcc; [ "$c" = tcc ] && ld=tcc   # (tcc's objects need its libtcc1.a)
  # shellcheck disable=SC2086
  (cd "$d/lua.o" && ${cc[$c]} -w -DLUA_USE_LINUX -I"$lua_dir" -c "${lua_files[@]}" && $ld -o ../lua ./*.o -lm -ldl) \
    || echo "bench: $c could not build Lua" >&2
  # shellcheck disable=SC2086
  (cd "$d/sq.o" && ${cc[$c]} -w -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MATH_FUNCTIONS -c "$sqlite_dir/sqlite3.c" \
     && ${cc[$c]} -w -I"$sqlite_dir" -c "$root/bench/sqlite_bench.c" && $ld -o ../sq ./*.o -lm -lpthread -ldl) \
    || echo "bench: $c could not build the SQLite workload" >&2
done

run_row() {  # run_row TITLE BINARY-NAME ARGS...
  local title="$1" bin="$2"; shift 2
  echo; echo "## run $title (the program built by each compiler)"
  printf '%-12s %9s %12s %s\n' compiler "wall s" "/ gcc -O2" "output"
  local ref="" ref_out=""
  if [ -x "$tmp/b-gcc-O2/$bin" ] && measure "r-gcc-O2-$bin" "$tmp/b-gcc-O2/$bin" "$@"; then
    ref=$(col "r-gcc-O2-$bin" 1); ref_out=$("$tmp/b-gcc-O2/$bin" "$@" | md5sum | cut -c1-8)
  fi
  for c in "${names[@]}"; do
    [ -x "$tmp/b-$c/$bin" ] || { printf '%-12s (not built)\n' "$c"; continue; }
    if [ "$c" = gcc-O2 ]; then w="$ref"; else measure "r-$c-$bin" "$tmp/b-$c/$bin" "$@" || continue; w=$(col "r-$c-$bin" 1); fi
    out=$("$tmp/b-$c/$bin" "$@" 2>/dev/null | md5sum | cut -c1-8) || true
    printf '%-12s %9.3f %12s %s\n' "$c" "$w" "$(ratio "$w" "$ref")" \
      "$out$( [ "$out" = "$ref_out" ] || echo ' DIFFERS')"
  done
}
run_row "Lua benchmark (bench/lua/bench.lua)" lua "$root/bench/lua/bench.lua"
run_row "SQLite workload (bench/sqlite_bench.c)" sq

echo; echo "## compile + run the Lua benchmark in memory"
printf '%-28s %9s %9s %10s\n' command "wall s" "cpu s" "/ tcc -run"
tcc_run=""
if have tcc && measure m-tcc tcc -w -DLUA_USE_LINUX -I"$lua_dir" "${lua_core[@]}" -lm -ldl -run "$lua_driver" "$root/bench/lua/bench.lua"; then
  tcc_run=$(col m-tcc 1)
  printf '%-28s %9.3f %9.3f %10s\n' "tcc -run" "$tcc_run" "$(col m-tcc 2)" 1.00x
fi
# cfree run: cold (no cache), compiling lazily, and with the compile cache warm (one run
# fills it first). The cache lives in a scratch directory, never the user's.
export CFREE_CACHE_DIR="$tmp/cache"
mem_row() {  # mem_row LABEL MEASURE-NAME CFREE-RUN-ARGS...
  local label="$1" name="$2"; shift 2
  if measure "$name" "$cfree" run -w "$@"; then
    w=$(col "$name" 1)
    printf '%-28s %9.3f %9.3f %10s\n' "$label" "$w" "$(col "$name" 2)" "$(ratio "$w" "$tcc_run")"
  fi
}
lua_run=(-DLUA_USE_LINUX -I"$lua_dir" "${lua_files[@]}" -- "$root/bench/lua/bench.lua")
for o in -O0 -O2; do
  mem_row "cfree run $o" "m-cfree$o" -fno-cache "$o" "${lua_run[@]}"
  mem_row "cfree run $o -flazy" "m-lazy$o" -fno-cache -flazy "$o" "${lua_run[@]}"
  "$cfree" run -w "$o" "${lua_run[@]}" >/dev/null 2>&1 || true
  mem_row "cfree run $o (warm cache)" "m-warm$o" "$o" "${lua_run[@]}"
done

echo; echo "## start an SQLite program in memory (bench/sqlite_hello.c: compile, link, one query)"
printf '%-28s %9s %9s %10s\n' command "wall s" "cpu s" "/ tcc -run"
sq_run=(-DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MATH_FUNCTIONS -I"$sqlite_dir" "$sqlite_dir/sqlite3.c" "$root/bench/sqlite_hello.c")
tcc_run=""
if have tcc && measure s-tcc tcc -w -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MATH_FUNCTIONS -I"$sqlite_dir" "$sqlite_dir/sqlite3.c" -lm -lpthread -ldl -run "$root/bench/sqlite_hello.c"; then
  tcc_run=$(col s-tcc 1)
  printf '%-28s %9.3f %9.3f %10s\n' "tcc -run" "$tcc_run" "$(col s-tcc 2)" 1.00x
fi
mem_row "cfree run -O0" s-cfree -fno-cache "${sq_run[@]}"
mem_row "cfree run -O0 -flazy" s-lazy -fno-cache -flazy "${sq_run[@]}"
"$cfree" run -w "${sq_run[@]}" >/dev/null 2>&1 || true
mem_row "cfree run -O0 (warm cache)" s-warm "${sq_run[@]}"

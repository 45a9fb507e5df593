#!/usr/bin/env bash
# csmith differential campaign: generate programs for a seed range, build each with gcc -O0
# (the reference) and run it under `cfree run` at the given optimisation levels; any
# difference in output or exit status, any crash, timeout or compile error is a failure.
#
#   bash scripts/csmith.sh FIRST LAST [MODE] [OPT...]
#     MODE: default | nopacked (csmith --no-packed-struct); OPT: -O0 -O2 (default both)
#   CFREE=path/to/cfree (default target/release/cfree), JOBS=N (default nproc),
#   OUT=dir (default target/csmith): failing programs are kept there with their outputs.
# Prints one line per failure and a summary; exits 1 if anything failed.
set -uo pipefail
first=${1:?first seed}; last=${2:?last seed}; mode=${3:-default}; shift $(( $# < 3 ? $# : 3 ))
opts=("$@"); [[ ${#opts[@]} -eq 0 ]] && opts=(-O0 -O2)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cfree=${CFREE:-$root/target/release/cfree}
out=${OUT:-$root/target/csmith}
jobs=${JOBS:-$(nproc)}
inc=/usr/include/csmith
case $mode in
    default) flags=() ;;
    nopacked) flags=(--no-packed-struct) ;;
    *) echo "csmith.sh: mode must be default or nopacked" >&2; exit 2 ;;
esac
command -v csmith >/dev/null || { echo "csmith.sh: csmith is not installed (apt-get install csmith libcsmith-dev)" >&2; exit 2; }
mkdir -p "$out"

one() { # seed -> prints "ok" or a failure line
    local seed=$1 d="$out/$mode-$1"
    mkdir -p "$d"
    csmith --seed "$seed" "${flags[@]}" -o "$d/p.c" >/dev/null 2>&1 || { echo "seed $seed: csmith failed"; return; }
    if ! gcc -w -O0 -I"$inc" "$d/p.c" -o "$d/ref" 2>"$d/gcc.err"; then echo "ok (gcc rejects)"; rm -rf "$d"; return; fi
    local ref rs
    ref=$(timeout 10 "$d/ref" 2>&1); rs=$?
    if [[ $rs -eq 124 ]]; then echo "ok (gcc build times out)"; rm -rf "$d"; return; fi
    local bad=""
    for o in "${opts[@]}"; do
        local got gs
        got=$(timeout 30 "$cfree" run -w "$o" -I"$inc" "$d/p.c" 2>"$d/cfree$o.err"); gs=$?
        if [[ $gs -ne $rs || "$got" != "$ref" ]]; then
            local why=mismatch
            [[ $gs -eq 124 ]] && why=timeout
            [[ $gs -ge 128 && $gs -ne $rs ]] && why="crash(signal $((gs-128)))"
            [[ $gs -eq 1 && -s "$d/cfree$o.err" ]] && grep -q 'error' "$d/cfree$o.err" && why="compile error: $(grep -m1 error "$d/cfree$o.err")"
            bad+="$o $why; "
            printf '%s\n' "$got" >"$d/cfree$o.out"
        fi
    done
    if [[ -n $bad ]]; then printf '%s\n' "$ref" >"$d/ref.out"; echo "seed $seed ($mode): $bad"; else echo ok; rm -rf "$d"; fi
}
export -f one; export out mode cfree inc; export flags_str="${flags[*]}"
# bash cannot export arrays: rebuild them inside the workers
results=$(seq "$first" "$last" | xargs -P "$jobs" -I{} bash -c 'flags=($flags_str); opts=('"${opts[*]}"'); one {}')
fails=$(grep -v '^ok' <<<"$results" || true)
total=$(wc -l <<<"$results"); nf=$(grep -c . <<<"$fails" || true)
skipped=$(grep -c '^ok (' <<<"$results" || true)
[[ -n $fails ]] && sort -t' ' -k2n <<<"$fails"
echo "csmith $mode seeds $first..$last ${opts[*]}: $((total - nf - skipped)) of $((total - skipped)) compared programs match gcc -O0, $nf failed ($skipped not compared: gcc rejects the program or its build runs over 10 s)"
[[ $nf -eq 0 ]]

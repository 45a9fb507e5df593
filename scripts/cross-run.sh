#!/usr/bin/env bash
# cross-run.sh TARGET [options] file.c|file.o ... [-- program args]
#
# Builds C for another target and runs it there, as `cfree run --target TARGET` will once
# the qemu-hosted executor lands: each .c is compiled by `cfree cc -c --target TARGET` (the
# binary in $CFREE_BIN, default `cfree` on PATH), the objects are linked by TARGET's gcc
# (Debian's gcc-TARGET with libc6-dev-*-cross) and the program runs under qemu-user with the
# target's sysroot. stdin, stdout, stderr and the exit status are the program's.
# TARGET: aarch64-linux-gnu or riscv64-linux-gnu.
set -u
target=${1:?usage: cross-run.sh TARGET [options] files [-- args]}
shift
arch=${target%%-*}
cfree=${CFREE_BIN:-cfree}
work=$(mktemp -d "${TMPDIR:-/tmp}/cfree-cross.XXXXXX")
trap 'rm -rf "$work"' EXIT

cc_opts=()
ld_opts=()
objs=()
n=0
while [[ $# -gt 0 ]]; do
    a=$1
    shift
    case "$a" in
        --) break ;;
        -l* | -L* | -pthread) ld_opts+=("$a") ;;
        -I | -D | -U) cc_opts+=("$a" "$1"); shift ;;
        -*) cc_opts+=("$a") ;;
        *.o) objs+=("$a") ;;
        *)
            n=$((n + 1))
            o="$work/$n.o"
            "$cfree" cc -c --target "$target" "${cc_opts[@]}" "$a" -o "$o" || exit 1
            objs+=("$o")
            ;;
    esac
done
"$target-gcc" -o "$work/a.out" "${objs[@]}" "${ld_opts[@]}" -lm || exit 1
exec "qemu-$arch" -L "/usr/$target" "$work/a.out" "$@"

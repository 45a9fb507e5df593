#!/usr/bin/env bash
# Tests the Python binding the way a user installs it: a fresh virtual environment under
# target/pyvenv, `pip install ./bindings/python` (its in-tree build backend runs
# `cargo build --release --lib` and bundles libcfree.so into the wheel), pytest from PyPI, and
# the suite in bindings/python/tests (which also runs examples/python/tutorial.py and
# bindings/python/bench_call.py). Exits non-zero on any failure.
#
# PYTHON selects the interpreter (default: python3; needs the venv module, Debian's
# python3-venv). CARGO_TARGET_DIR and CARGO are honoured by the build backend.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${PYTHON:-python3}"
venv="$root/target/pyvenv"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Test the installed package, never the checkout or another libcfree.so.
unset CFREE_LIBRARY PYTHONPATH CFREE_SOURCE_DIR

fail() {
    echo "test-python: FAILED: $*" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 || fail "no $python on PATH"
"$python" -c 'import sys; assert sys.version_info >= (3, 9), sys.version' \
    || fail "$python is older than Python 3.9"

echo "test-python: fresh venv in $venv ($("$python" --version 2>&1))"
rm -rf "$venv"
mkdir -p "$root/target"
"$python" -m venv "$venv" \
    || fail "'$python -m venv' failed (on Debian: apt-get install python3-venv)"

echo "test-python: pip install ./bindings/python (builds libcfree.so with cargo)"
"$venv/bin/pip" install ./bindings/python || fail "pip install ./bindings/python"

echo "test-python: pip install pytest"
"$venv/bin/pip" install --quiet pytest || fail "pip install pytest"

echo "test-python: pytest bindings/python/tests"
# From a neutral directory, so `import cfree` can only find the installed package.
cd "$root/target"
CFREE_EXPECT_INSTALLED=1 "$venv/bin/python" -m pytest -p no:cacheprovider \
    "$root/bindings/python/tests" -v -rs \
    || fail "pytest bindings/python/tests"
echo "test-python: ok"

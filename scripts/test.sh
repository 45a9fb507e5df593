#!/usr/bin/env bash
# The project's test command: installs the test dependencies, builds, runs every test
# (unit tests, differential C corpus, gcc torture conformance, embedding API, C hosts against
# libcfree, the Python package's pytest suite). Exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-test-deps.sh
bash scripts/fetch-programs.sh
cargo build --release
cargo test --release --workspace
bash scripts/test-python.sh

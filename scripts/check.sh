#!/usr/bin/env bash
# The edit loop's check, in seconds to a few minutes: what CI runs first (formatting, lints on
# the host and for wasm32, the layer check, the native tests), without the release build, the
# browser tests, the Python checks or the benchmark. `scripts/test.sh` is the whole CI.
#   scripts/check.sh [TEST_FILTER]   (a filter is passed to cargo test)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p agent-traces-app -p agent-traces --lib --bins -q -- -D warnings
python3 scripts/layers.py
cargo test --workspace -q ${1:+-- "$1"}

#!/usr/bin/env bash
# Command two: install what is missing and run every test — formatting, lints (host and wasm32),
# native tests, a release wasm build, and the end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true
# A one-shot run gains nothing from the incremental cache, which would double the debug build's disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "clippy (host: every crate and target) and clippy (wasm32: the page, its worker and the core)"
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p agent-traces-app -p agent-traces --lib --bins -- -D warnings

step "dependencies point one way: no module cycle, no upward import (scripts/layers.py)"
python3 scripts/layers.py --self-test
python3 scripts/layers.py

step "documentation builds without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps -q

step "native tests"
cargo test --locked --workspace

step "release build (trunk)"
trunk build --release
# zstd built with the wrong C compiler links but imports its symbols from 'env' at run time.
if grep -q "from 'env'\|from \"env\"" dist/*.js; then
  echo "the wasm glue imports from 'env': the C code was not compiled for wasm32 with clang" >&2
  exit 1
fi

cargo build --locked --release --bin gen --bin analyse --bin export

step "tutorial-mode figures equal the Python oracle (generated rows, tricky ones included)"
mkdir -p tests/e2e/out
target/release/gen --rows 3000 --seed 5 --tricky 0.15 --out tests/e2e/out/oracle.jsonl >/dev/null
python3 tests/oracle/tutorial.py --check target/release/analyse tests/e2e/out/oracle.jsonl public/sample.jsonl

step "SFT export interoperability: datasets, tokenizers and transformers chat templates (PyPI, no model hub)"
bash tests/interop/run.sh

step "SFT files through the trainers' own data pipelines: LLaMA-Factory, axolotl, TRL (label-mask audit)"
# One virtual environment per trainer, pinned, cached outside the clone (see the script).
bash tests/interop/trainers.sh

step "end-to-end tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "the benchmark command runs end to end (a 2 MB smoke run: figures are printed, never checked)"
bash scripts/bench.sh 2
test -s target/bench/latest.json

step "disk used by the build (CI machines share one disk)"
du -sh target 2>/dev/null || true
df -h . | tail -1

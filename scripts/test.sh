#!/usr/bin/env bash
# Command two: install what is missing and run every test — formatting, lints (host and wasm32),
# native tests, a release wasm build, and the end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "clippy (host, all targets) and clippy (wasm32: page and worker)"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "native tests"
cargo test --locked

step "release build (trunk)"
trunk build --release
# zstd built with the wrong C compiler links but imports its symbols from 'env' at run time.
if grep -q "from 'env'\|from \"env\"" dist/*.js; then
  echo "the wasm glue imports from 'env': the C code was not compiled for wasm32 with clang" >&2
  exit 1
fi

step "end-to-end tests (headless Chromium)"
cargo build --locked --release --bin gen --bin analyse
node --test --test-concurrency=1 tests/e2e/

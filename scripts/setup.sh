#!/usr/bin/env bash
# Installs whatever is missing, from the package registries only (Debian, crates.io, npm, PyPI),
# at pinned versions. Idempotent: a second run does nothing but check.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen crate version in Cargo.lock (checked below).
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# Debian packages: clang builds zstd's C code for wasm32; Chromium + driver run the browser tests;
# python3-venv (Debian splits it out of python3) makes the interop checks' virtual environments.
need_apt=()
command -v clang >/dev/null || need_apt+=(clang)
command -v llvm-ar >/dev/null || need_apt+=(llvm)
if [ -z "${SETUP_NO_BROWSER:-}" ]; then  # a build-only job (GitHub Pages) needs no browser
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
fi
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c "import ensurepip, venv" 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Rust: rust-toolchain.toml pins the compiler, its components and the wasm32 target. Install
# what is missing explicitly (rustup's auto-install may be switched off, RUSTUP_AUTO_INSTALL=0).
tc=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain list | grep -q "^$tc" || rustup toolchain install "$tc" --profile minimal
for c in rustfmt clippy; do
  rustup component list --toolchain "$tc" --installed | grep -q "^$c" || rustup component add --toolchain "$tc" "$c"
done
rustup target list --toolchain "$tc" --installed | grep -q wasm32-unknown-unknown \
  || rustup target add --toolchain "$tc" wasm32-unknown-unknown

lock_wb=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$lock_wb" != "$WASM_BINDGEN_VERSION" ]; then
  echo "Cargo.lock has wasm-bindgen $lock_wb but setup pins $WASM_BINDGEN_VERSION: update both together" >&2
  exit 1
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (a few minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: its lockfile can name versions the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm: ECharts (served by the page itself) and playwright-core (drives Debian's Chromium).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

# Trunk runs cargo offline: fetch every crate first.
cargo fetch --locked -q

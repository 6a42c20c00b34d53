#!/usr/bin/env bash
# The benchmark: `scripts/bench.sh [SIZE]` or `make bench [SIZE=...]` (SIZE in MB of JSONL, or with
# a unit: 200MB, 1G; default 1024 MB). Installs what is missing (scripts/setup.sh), builds the
# release page and the generator, generates the inputs (cached under bench-data/, keyed by size and
# generator source), then measures in one run: the native core (1 thread, all cores, export), the
# tutorial's method in Python, and the page in headless Chromium; prints one table and writes
# target/bench/latest.json. Benchmarks print figures; they never assert wall-clock limits.
set -euo pipefail
cd "$(dirname "$0")/.."

size_arg=${1:-${SIZE:-1024}}
mb=$(python3 -c '
import re, sys
m = re.fullmatch(r"\s*([0-9.]+)\s*([kKmMgG]?)[bB]?\s*", sys.argv[1])
if not m: sys.exit("bad size: " + sys.argv[1])
v, u = float(m.group(1)), m.group(2).upper()
print(max(1, round(v * {"K": 1 / 1024, "": 1, "M": 1, "G": 1024}[u])))' "$size_arg")

say() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true

say "release builds: the page (trunk) and the generator"
trunk build --release
cargo build --locked --release --bin gen

# Inputs: realistic rows (≈ 100 KB each, like the real kimi config: --scale 20, rare 1 MB tool
# outputs), 2% tricky ones; the same rows as JSONL, Parquet snappy and Parquet with the nested
# column uncompressed (as `datasets` writes it). Keyed by size and by the generator's source.
key=$(cat crates/gen/src/*.rs crates/cli/src/bin/gen.rs | sha1sum | cut -c1-8)
data="bench-data/${mb}MB-${key}"
for old in bench-data/"${mb}"MB-*; do
  [ -e "$old" ] && [ "$old" != "$data" ] && rm -rf "$old"
done
mkdir -p "$data"
gen_opts=(--bytes "${mb}M" --seed 1 --tricky 0.02 --scale 20 --max-output 1M)
if [ ! -s "$data/traces.jsonl" ]; then
  say "generating $data (${mb} MB of JSONL and the same rows as Parquet)"
  target/release/gen "${gen_opts[@]}" --format jsonl --out "$data/traces.jsonl.tmp"
  mv "$data/traces.jsonl.tmp" "$data/traces.jsonl"
fi
for c in snappy nested-none; do
  if [ ! -s "$data/traces.$c.parquet" ]; then
    target/release/gen "${gen_opts[@]}" --format parquet --compression "$c" --out "$data/traces.$c.parquet.tmp.parquet"
    mv "$data/traces.$c.parquet.tmp.parquet" "$data/traces.$c.parquet"
  fi
done
files=("$data/traces.jsonl" "$data/traces.snappy.parquet" "$data/traces.nested-none.parquet")

out=target/bench
mkdir -p "$out"
rm -f "$out"/{native,peer,browser}.json

say "native core (cargo bench --bench core)"
cargo bench --locked --bench core -- --json "$out/native.json" "${files[@]}"

say "the tutorial's method in Python (stdlib json + its regexes)"
python3 bench/peer.py --json "$out/peer.json" "$data/traces.jsonl"

say "the page in headless Chromium (release build, served as the e2e tests serve it)"
node bench/browser.mjs --json "$out/browser.json" "${files[@]}"

say "results (also in $out/latest.json)"
python3 bench/table.py --dir "$out" --size "${mb}MB"

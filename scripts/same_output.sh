#!/usr/bin/env bash
# The byte-identity gate for work on the hot path: runs the `analyse` and `export` of a
# reference build (REF_DIR, e.g. binaries copied from main before the change) and of this tree's
# release build on the same generated and real files, and fails on the first output that differs.
#
#   scripts/same_output.sh REF_DIR [WORK_DIR]
#
# The files: generated rows at several seeds, tricky rates and scales, as JSONL and as Parquet
# (snappy, zstd, nested-none, small row groups), the real samples and the tests' data. Every
# export format is written with its defaults and with the options that change the hot path.
set -euo pipefail
cd "$(dirname "$0")/.."

ref=${1:?usage: scripts/same_output.sh REF_DIR [WORK_DIR]}
work=${2:-$(mktemp -d)}
new=target/release
cargo build --release --quiet --bin gen --bin analyse --bin export
mkdir -p "$work/in" "$work/ref" "$work/new"

files=()
add() { files+=("$1"); }
for seed in 1 2 3; do
  for tricky in 0 0.05 0.4; do
    f="$work/in/s${seed}t${tricky}.jsonl"
    "$new/gen" --rows 150 --seed "$seed" --tricky "$tricky" --out "$f" >/dev/null
    add "$f"
  done
done
"$new/gen" --rows 40 --seed 7 --tricky 0.1 --scale 6 --max-output 200K --out "$work/in/big.jsonl" >/dev/null
add "$work/in/big.jsonl"
for c in snappy zstd nested-none; do
  f="$work/in/p-$c.parquet"
  "$new/gen" --rows 300 --seed 4 --tricky 0.1 --format parquet --compression "$c" --row-group-rows 64 --out "$f" >/dev/null
  add "$f"
done
for f in tests/data/real/*.json tests/data/real/*.jsonl public/sample.jsonl; do
  add "$f"
done

fail=0
same() { # label, file a, file b
  if ! cmp -s "$2" "$3"; then
    echo "DIFFERS: $1 ($2 vs $3)"
    fail=1
  fi
}
n=0
for f in "${files[@]}"; do
  n=$((n + 1))
  "$ref/analyse" "$f" >"$work/ref/a$n.json" 2>"$work/ref/a$n.err" || true
  "$new/analyse" "$f" >"$work/new/a$n.json" 2>"$work/new/a$n.err" || true
  same "analyse $f" "$work/ref/a$n.json" "$work/new/a$n.json"
  for s in "--search error" "--search read_file --scope calls" "--search 'e.r+' --regex --scope reasoning"; do
    eval "\"$ref/analyse\" \"$f\" $s" >"$work/ref/s$n.json" 2>/dev/null || true
    eval "\"$new/analyse\" \"$f\" $s" >"$work/new/s$n.json" 2>/dev/null || true
    same "analyse $f $s" "$work/ref/s$n.json" "$work/new/s$n.json"
  done
  for fmt in messages openai sharegpt llamafactory prompt_completion tutorial; do
    for opts in "" "--reasoning inline --tool-outputs truncate:300" "--reasoning drop --no-system --keep-unclosed"; do
      tag="e$n-$fmt-$(echo "$opts" | tr -c 'a-z0-9' _)"
      # shellcheck disable=SC2086
      "$ref/export" --format "$fmt" $opts --out "$work/ref/$tag" "$f" >/dev/null 2>&1 || true
      # shellcheck disable=SC2086
      "$new/export" --format "$fmt" $opts --out "$work/new/$tag" "$f" >/dev/null 2>&1 || true
    done
  done
done
for r in "$work"/ref/e*; do
  same "export $(basename "$r")" "$r" "$work/new/$(basename "$r")"
done
echo "compared ${#files[@]} files: $(ls "$work/ref" | wc -l) outputs"
[ "$fail" = 0 ] && echo "all outputs identical"
exit "$fail"

#!/usr/bin/env bash
# Interoperability check: exports generated rows (tricky ones included) in every format with the
# native `export` tool, then checks them with the real libraries — `datasets` loads every file,
# a tokenizer built locally with `tokenizers` and wrapped in `transformers` renders the
# conversations through a ChatML/Hermes chat template with tools and {% generation %} markers,
# and the assistant-token masks are compared with the rendered text. Nothing is downloaded from a
# model hub; the packages come from PyPI into a venv under tests/interop/.venv (gitignored).
#   BIN=target/debug tests/interop/run.sh    # use debug binaries (default: target/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-target/release}
# (python3-venv comes from scripts/setup.sh, which the test command runs first.)
VENV=tests/interop/.venv
OUT=tests/interop/out

if ! "$VENV/bin/python" -c "import tokenizers, transformers, datasets, jinja2" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
fi

rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN/gen" --rows 150 --seed 21 --tricky 0.2 --out "$OUT/in.jsonl" >/dev/null
for f in messages openai sharegpt llamafactory prompt_completion tutorial; do
  "$BIN/export" --format "$f" --out "$OUT/$f" "$OUT/in.jsonl"
done
"$BIN/export" --format messages --reasoning inline --tool-outputs truncate:300 \
  --validation 20 --seed 3 --gzip --out "$OUT/messages_split" "$OUT/in.jsonl"

HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false \
  "$VENV/bin/python" tests/interop/check.py "$OUT"

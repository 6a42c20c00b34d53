#!/usr/bin/env bash
# The trainers' own data pipelines on every export format each accepts, with a label-mask audit
# (tests/interop/trainers/common.py): LLaMA-Factory (dataset parser, ShareGPT/OpenAI converter,
# template, supervised processor; and one training step on a tiny random model), axolotl (its
# chat_template dataset strategy) and TRL (SFTTrainer's dataset preparation). Fixtures: generated
# rows (tricky ones included), the real samples in tests/data/real/ and public/sample.jsonl,
# with reasoning kept and dropped, tool outputs cut, and every LLaMA-Factory template family.
#
# Each trainer has its own virtual environment, pinned exactly (tests/interop/trainers/*.lock),
# installed with uv (from PyPI) outside the clone under
#   ${XDG_CACHE_HOME:-$HOME/.cache}/agent-traces/venvs/NAME-<hash of the lock>
# and reused while the lock is unchanged; the three share torch and the rest through uv's
# hard-linked cache in the same folder. Nothing comes from a model hub: the tokenizer is trained
# here on the exported text and the model is randomly initialised from a config.
#   BIN=target/debug tests/interop/trainers.sh     # debug binaries (default: target/release)
#   TRAINERS="trl axolotl" tests/interop/trainers.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-target/release}
OUT=tests/interop/out/trainers
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/agent-traces
DIR=tests/interop/trainers
TRAINERS=${TRAINERS:-"llamafactory axolotl trl"}
export UV_CACHE_DIR="$CACHE/uv-cache" UV_LINK_MODE=hardlink UV_PYTHON_DOWNLOADS=never

# uv itself, from PyPI, in a small venv of its own (python3-venv: scripts/setup.sh).
UV_VERSION=0.13.9
UV="$CACHE/uv-$UV_VERSION/bin/uv"
if ! "$UV" --version >/dev/null 2>&1; then
  rm -rf "$CACHE/uv-$UV_VERSION"
  python3 -m venv "$CACHE/uv-$UV_VERSION"
  "$CACHE/uv-$UV_VERSION/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

# venv NAME: the environment of one trainer, created when its lock changed (idempotent).
venv() {
  local name=$1 lock="$DIR/$1.lock" key path
  key=$(cat "$lock" | sha256sum | cut -c1-16)
  path="$CACHE/venvs/$name-$key"
  if [ ! -f "$path/.complete" ]; then
    local t0=$SECONDS
    rm -rf "$path"
    # Older environments of this trainer are of no further use.
    rm -rf "$CACHE/venvs/$name-"*
    mkdir -p "$CACHE/venvs"
    "$UV" venv --quiet --python "$(command -v python3)" "$path" >&2
    # Every package is pinned in the lock (resolved once with `uv pip compile`): installed as
    # listed, without resolving again, so the environment is the same on every machine.
    "$UV" pip install --quiet --python "$path/bin/python" --no-deps -r "$lock" >&2
    touch "$path/.complete"
    echo "  installed $name in $((SECONDS - t0)) s ($(du -sh "$path" | cut -f1) before links)" >&2
  fi
  echo "$path"
}

rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN/gen" --rows 150 --seed 21 --tricky 0.2 --out "$OUT/gen.in.jsonl" >/dev/null
declare -A FIXTURE=(
  [gen]="$OUT/gen.in.jsonl"
  [real]="$(ls tests/data/real/*.jsonl | tr '\n' ' ')"
  [sample]="public/sample.jsonl"
)
ex() { # ex NAME ARGS... FILES: one export, quiet
  local name=$1; shift
  "$BIN/export" --out "$OUT/$name" "$@" 2>/dev/null
}
for fx in gen real sample; do
  # shellcheck disable=SC2086
  for f in messages openai sharegpt llamafactory prompt_completion tutorial; do
    ex "${fx}__$f" --format "$f" ${FIXTURE[$fx]}
  done
done
in=${FIXTURE[gen]}
ex gen__messages_drop --format messages --reasoning drop "$in"
ex gen__messages_cut --format messages --tool-outputs truncate:300 "$in"
ex gen__llamafactory_drop --format llamafactory --reasoning drop "$in"
ex gen__llamafactory_cut --format llamafactory --tool-outputs truncate:300 "$in"
for t in glm4_7 seed_oss lfm2; do
  ex "gen__llamafactory_$t" --format llamafactory --lf-template "$t" "$in"
done

export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false \
  HF_DATASETS_CACHE="$OUT/hf-datasets" HF_HOME="$OUT/hf-home" WANDB_DISABLED=true \
  DISABLE_VERSION_CHECK=1 AXOLOTL_DO_NOT_TRACK=1 PYTHONWARNINGS=ignore
status=0
for t in $TRAINERS; do
  py="$(venv "$t")/bin/python"
  t0=$SECONDS
  # The pipelines log a lot: the full log is kept, the report lines are shown.
  if ! "$py" "$DIR/${t}_check.py" "$OUT" "$OUT/$t.report.json" >"$OUT/$t.log" 2>&1; then
    status=1
  fi
  grep -E '^(FAIL|LLaMA-Factory|axolotl|TRL) ' "$OUT/$t.log" | cut -c1-400 || true
  [ -s "$OUT/$t.report.json" ] || { echo "FAIL: $t wrote no report (see $OUT/$t.log)"; tail -20 "$OUT/$t.log"; status=1; }
  echo "  ($t: $((SECONDS - t0)) s)"
done
"$CACHE/uv-$UV_VERSION/bin/python" "$DIR/matrix.py" "$OUT" $TRAINERS || status=1
exit $status

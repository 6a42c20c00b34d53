"""What the three trainer checks share: the fixtures' exports, a tokenizer built here (no model
hub), what each exported row should train on, and the label-mask audit.

The audit takes what a trainer's own pipeline produced for a row — `input_ids` and `labels`
(-100 = not trained) — and the row as exported, and checks, on the decoded text:
- there is one trained span per trained assistant turn, in order, and no other;
- every piece of an assistant turn (its reasoning, its text, each call's name) lies inside that
  turn's trained span, so every assistant token is trained;
- every piece of a system, user or tool turn lies inside one untrained span, so none of its
  tokens is trained; no trained span holds another role's header.
Reasoning a chat template does not render at all (Qwen3's templates drop the reasoning of turns
before the last user message) is counted, not failed; reasoning rendered but untrained fails.
"""

import json
import os
import re
import sys
import time
from pathlib import Path

IGNORE = -100
# Worker processes for the pipelines' own `Dataset.map` (TRAINER_PROCS; the CI machine has 2 cores).
PROCS = int(os.environ.get("TRAINER_PROCS", "2")) or None
THINK = re.compile(r"<think>(.*?)</think>", re.S)
CALL = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.S)
LF_JOIN = "\n</tool_response>\n<tool_response>\n"

# Family -> (thought words, tool-call words), as the export writes them (src/export/options.rs).
LF_FAMILIES = {
    "qwen3": (("<think>\n", "\n</think>\n\n"), ("<tool_call>", "</tool_call>")),
    "glm4_7": (("<think>", "</think>"), ("<tool_call>", "</tool_call>")),
    "seed_oss": (("<seed:think>", "</seed:think>"), ("<tool_call>", "</tool_call>")),
    "lfm2": (("<think>\n", "\n</think>\n\n"), ("<|tool_call_start|>", "<|tool_call_end|>")),
}

# Role headers of the templates used, none of which may be trained.
HEADERS = [
    "<|im_start|>user", "<|im_start|>system", "<|im_start|>tool",
    "<|user|>", "<|system|>", "<|observation|>",
]

SPECIAL = [
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>", "<tool_call>",
    "</tool_call>", "<tool_response>", "</tool_response>", "<tools>", "</tools>",
    "[gMASK]", "<sop>", "<|user|>", "<|assistant|>", "<|system|>", "<|observation|>",
    "<seed:bos>", "<seed:eos>", "<seed:think>", "</seed:think>",
    "<|tool_call_start|>", "<|tool_call_end|>", "<|tool_response_start|>",
    "<|tool_response_end|>", "<|tool_list_start|>", "<|tool_list_end|>",
]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_tokenizer(texts, chat_template=None):
    """A small byte-level BPE trained here on the exported text, wrapped as a fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=4000,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    if chat_template is not None:
        fast.chat_template = chat_template
    return fast


# ---- what a row should train on ---------------------------------------------------------------

def turn(kind, pieces, soft=()):
    """kind: 'assistant' (trained) or 'other'; soft: reasoning pieces a template may leave out."""
    return {"kind": kind, "pieces": [p for p in pieces if p.strip()], "soft": [s for s in soft if s.strip()]}


def hermes_pieces(text):
    """An assistant turn written as Hermes text: reasoning, the text around tags, each call's JSON."""
    thoughts = [m.group(1) for m in THINK.finditer(text)]
    outside = THINK.sub("\x00", text)  # a tag quoted in the reasoning is no call
    calls = [m.group(1) for m in CALL.finditer(outside)]
    rest = CALL.sub("\x00", outside)
    texts = [t for t in rest.split("\x00")]
    return texts + calls, thoughts


def message_turns(messages, keep_text_beside_calls=True, keep_reasoning_field=True):
    """Turns of a `messages`-shaped conversation (messages, openai, tutorial, prompt/completion)."""
    out, lost = [], {"text_beside_calls": 0, "reasoning_field": 0}
    for m in messages:
        if m["role"] != "assistant":
            out.append(turn("other", [m.get("content") or ""]))
            continue
        content = m.get("content") or ""
        pieces, soft = hermes_pieces(content)
        calls = m.get("tool_calls") or []
        if m.get("reasoning_content"):
            if keep_reasoning_field:
                soft.append(m["reasoning_content"])
            else:
                lost["reasoning_field"] += 1
        if calls and not keep_text_beside_calls:
            if any(p.strip() for p in pieces) or soft:
                lost["text_beside_calls"] += 1
            pieces, soft = [], []
        pieces += [c["function"]["name"] for c in calls]
        out.append(turn("assistant", pieces, soft))
    return out, lost


def sharegpt_turns(conversations):
    out = []
    for t in conversations:
        if t["from"] == "gpt":
            pieces, soft = hermes_pieces(t["value"])
            out.append(turn("assistant", pieces, soft))
        else:
            out.append(turn("other", [t["value"]]))
    return out


def llamafactory_turns(row, family):
    (t_open, t_close), (c_open, c_close) = LF_FAMILIES[family]
    out = [turn("other", [row.get("system") or ""])]
    for t in row["conversations"]:
        v = t["value"]
        if t["from"] in ("human",):
            out.append(turn("other", [v]))
        elif t["from"] == "observation":
            out.append(turn("other", v.split(LF_JOIN)))
        else:
            soft = []
            if v.startswith(t_open) and t_close in v:
                end = v.index(t_close)
                soft.append(v[len(t_open):end])
                v = v[end + len(t_close):]
            pieces = [v]
            if t["from"] == "function_call" and c_open in v:
                start = v.index(c_open)
                calls = json.loads(v[start + len(c_open):-len(c_close)])
                calls = calls if isinstance(calls, list) else [calls]
                pieces = [v[:start]] + [c["name"] for c in calls]
            out.append(turn("assistant", pieces, soft))
    return out


# ---- the audit --------------------------------------------------------------------------------

def spans(labels):
    """Maximal runs of trained (True) and untrained (False) positions: (trained, start, end)."""
    out = []
    for i, lab in enumerate(labels):
        t = lab != IGNORE
        if out and out[-1][0] == t:
            out[-1][2] = i + 1
        else:
            out.append([t, i, i + 1])
    return out


def audit(tok, input_ids, labels, turns, label):
    """Failures (strings) of one tokenised row against its expected turns, and counts."""
    fails, notes = [], {"reasoning_not_rendered": 0}
    runs = spans(labels)
    # A trained label is its own token, except the end-of-sequence label that templates with
    # LLaMA-Factory's `efficient_eos` put on the first token of the next prompt.
    odd = [i for i, lab in enumerate(labels) if lab != IGNORE and lab != input_ids[i]]
    if any(labels[i] != tok.eos_token_id for i in odd):
        fails.append(f"{label}: a trained label is neither its token nor the end of sequence")
    seen = [lab if lab != IGNORE else t for lab, t in zip(labels, input_ids)]
    decode = lambda ids, a, b: tok.decode(ids[a:b], skip_special_tokens=False)
    trained = [decode(seen, a, b) for t, a, b in runs if t]
    untrained = [decode(input_ids, a, b) for t, a, b in runs if not t]
    whole = decode(input_ids, 0, len(input_ids))
    assistants = [t for t in turns if t["kind"] == "assistant"]
    if len(trained) != len(assistants):
        fails.append(f"{label}: {len(trained)} trained spans for {len(assistants)} assistant turns")
        return fails, notes
    for j, (t, span) in enumerate(zip(assistants, trained)):
        for p in t["pieces"]:
            if p.strip() not in span:
                fails.append(f"{label}: assistant turn {j}: {p.strip()[:60]!r} is not trained")
        for p in t["soft"]:
            if p.strip() in span:
                continue
            if p.strip() in whole:
                fails.append(f"{label}: assistant turn {j}: reasoning {p.strip()[:60]!r} rendered, not trained")
            else:
                notes["reasoning_not_rendered"] += 1
        for h in HEADERS:
            if h in span:
                fails.append(f"{label}: trained span {j} holds the header {h!r}")
    for t in turns:
        if t["kind"] != "other":
            continue
        for p in t["pieces"]:
            if not any(p.strip() in u for u in untrained):
                fails.append(f"{label}: {p.strip()[:60]!r} (system/user/tool) is trained or missing")
    return fails, notes


def audit_selftest(tok):
    """The audit fails a row whose mask is wrong: checked before it is trusted with the exports."""
    user, answer = "<|im_start|>user\nlist the files please<|im_end|>\n<|im_start|>assistant\n", "I will run ls now<|im_end|>\n"
    u, a = tok.encode(user, add_special_tokens=False), tok.encode(answer, add_special_tokens=False)
    turns = [turn("other", ["list the files please"]), turn("assistant", ["I will run ls now"])]
    ids = u + a
    good = [IGNORE] * len(u) + a
    assert not audit(tok, ids, good, turns, "selftest")[0], "a correct mask passes"
    leak = [IGNORE] + u[1:] + a
    assert audit(tok, ids, leak, turns, "selftest")[0], "a trained user token fails"
    hole = [IGNORE] * len(u) + [IGNORE] * 2 + a[2:]
    assert audit(tok, ids, hole, turns, "selftest")[0], "an untrained assistant token fails"


class Report:
    """Rows in, rows loaded, rows whose masks pass, per check; written as JSON for run.sh."""

    def __init__(self, trainer, version):
        self.trainer, self.version, self.rows, self.failures = trainer, version, [], []
        self.t = time.monotonic()

    def add(self, check, rows_in, rows_loaded, masks_ok, notes=None):
        self.rows.append({"check": check, "rows_in": rows_in, "rows_loaded": rows_loaded,
                          "masks_ok": masks_ok, "notes": notes or {}})
        ok = rows_in == rows_loaded == masks_ok
        took, self.t = time.monotonic() - self.t, time.monotonic()
        print(f"{self.trainer} {self.version} | {check}: {rows_loaded}/{rows_in} rows loaded, "
              f"{masks_ok} masks correct {notes or ''}[{took:.0f} s]{'' if ok else '  <-- FAIL'}", flush=True)
        if not ok:
            self.failures.append(check)

    def fail(self, what):
        print("FAIL:", what, flush=True)

    def audit_row(self, tok, example, turns, label, notes):
        """`audit` of one prepared example: its notes added to `notes`, its first failures
        reported; whether its masks are correct."""
        fails, n = audit(tok, example["input_ids"], example["labels"], turns, label)
        for k, v in n.items():
            if v:
                notes[k] = notes.get(k, 0) + v
        for f in fails[:3]:
            self.fail(f)
        return not fails

    def write(self, path):
        Path(path).write_text(json.dumps({"trainer": self.trainer, "version": self.version,
                                          "checks": self.rows, "failures": self.failures}, indent=1))
        return 1 if self.failures else 0


def exports(out_dir):
    """The exports run.sh wrote: {name: (format, path, manifest)} for every fixture and variant."""
    out = {}
    for m in sorted(Path(out_dir).glob("*.manifest.json")):
        name = m.name[: -len(".manifest.json")]
        manifest = json.loads(m.read_text())
        out[name] = (manifest["format"], Path(out_dir) / f"{name}.jsonl", manifest)
    return out


def all_texts(out_dir):
    """Text to train the tokenizer on: every fixture in the shapes that hold all of its text."""
    return [line for name, (fmt, p, _) in exports(out_dir).items()
            if fmt in ("sharegpt", "llamafactory", "messages") and name.count("_") <= 3
            for line in p.read_text(encoding="utf-8").splitlines()]


def main_guard(fn):
    try:
        sys.exit(fn())
    except SystemExit:
        raise
    except BaseException:
        import traceback
        traceback.print_exc()
        sys.exit(1)

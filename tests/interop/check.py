"""Checks exported SFT files with the libraries that train on them (see run.sh).

usage: check.py OUT_DIR   (OUT_DIR holds FORMAT.jsonl and FORMAT.manifest.json per format)
"""

import json
import re
import sys
from pathlib import Path

import datasets
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
from transformers import PreTrainedTokenizerFast

FORMATS = ["messages", "openai", "sharegpt", "llamafactory", "prompt_completion", "tutorial"]

# ChatML / Hermes-style template with tools; assistant turns inside {% generation %} so that
# transformers can return the assistant-token mask.
CHAT_TEMPLATE = r"""
{%- set offset = 0 -%}
{%- if messages[0].role == 'system' or tools -%}
<|im_start|>system
{% if messages[0].role == 'system' %}{{ messages[0].content }}{% endif %}
{%- if tools %}
<tools>
{% for tool in tools %}{{ tool | tojson }}
{% endfor %}</tools>
{%- endif %}<|im_end|>
{% endif -%}
{%- for message in messages -%}
{%- if message.role == 'system' and loop.first -%}
{%- elif message.role == 'assistant' -%}
<|im_start|>assistant
{% generation %}
{%- if message.reasoning_content %}<think>
{{ message.reasoning_content }}
</think>
{% endif -%}
{{ message.content or '' }}
{%- for call in message.tool_calls or [] %}
<tool_call>
{{ {"name": call.function.name, "arguments": call.function.arguments} | tojson }}
</tool_call>
{%- endfor %}<|im_end|>{% endgeneration %}
{% elif message.role == 'tool' -%}
<|im_start|>tool
<tool_response>
{{ message.content }}
</tool_response><|im_end|>
{% else -%}
<|im_start|>{{ message.role }}
{{ message.content }}<|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}
"""

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


# `arguments` as JSON objects (what chat templates expect) have different keys per tool; Arrow
# infers a struct from the first chunk of a file and cannot cast later chunks that add keys. The
# formats that keep objects load when datasets sees the whole file as one chunk.
OBJECT_ARGUMENTS = {"messages", "prompt_completion"}


def load(path, fmt):
    kw = {"chunksize": 1 << 30} if fmt in OBJECT_ARGUMENTS else {}
    return datasets.load_dataset("json", data_files=str(path), split="train", **kw)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_tokenizer(texts, special):
    """A small byte-level BPE trained here on the exported text: no model hub."""
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=3000,
        special_tokens=["<|im_start|>", "<|im_end|>", "<|endoftext|>"] + special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    fast.add_special_tokens({"additional_special_tokens": special})
    fast.chat_template = CHAT_TEMPLATE
    return fast


ROLE_BLOCK = re.compile(r"<\|im_start\|>(system|user|assistant|tool)\n(.*?)<\|im_end\|>", re.S)


def check_masks(tok, messages, tools, label):
    """The assistant mask equals the tokens of the assistant turns, found in the rendered text."""
    text = tok.apply_chat_template(messages, tools=tools, tokenize=False)
    out = tok.apply_chat_template(
        messages, tools=tools, tokenize=True, return_dict=True, return_assistant_tokens_mask=True
    )
    ids, mask = out["input_ids"], out["assistant_masks"]
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    check(enc["input_ids"] == ids, f"{label}: tokenising the rendered text gives the same ids")
    spans = {"assistant": [], "other": []}
    for m in ROLE_BLOCK.finditer(text):
        if m.group(1) == "assistant":
            spans["assistant"].append((m.start(2), m.end(0)))  # content and <|im_end|>
        else:
            spans["other"].append((m.start(0), m.end(0)))
    n_assistant = sum(1 for m in messages if m["role"] == "assistant")
    check(len(spans["assistant"]) == n_assistant, f"{label}: every assistant turn is rendered")

    def inside(tok_span, regions):
        s, e = tok_span
        return any(s < re_ and e > rs for rs, re_ in regions)

    expected = [int(inside(o, spans["assistant"])) for o in enc["offset_mapping"]]
    check(sum(mask) > 0, f"{label}: the mask is not empty")
    check(mask == expected, f"{label}: the mask is exactly the assistant tokens")
    leaked = [i for i, o in enumerate(enc["offset_mapping"]) if mask[i] and inside(o, spans["other"])]
    check(not leaked, f"{label}: no system, user or tool token is in the mask")
    # What the mask selects decodes to the assistant turns' text.
    picked = tok.decode([t for t, m in zip(ids, mask) if m])
    for m in messages:
        if m["role"] == "assistant" and m.get("content"):
            check(m["content"].strip()[:40] in picked, f"{label}: assistant text is in the masked tokens")


def alternates(turns):
    for i, t in enumerate(turns):
        model = t["from"] in ("gpt", "function_call")
        if model != (i % 2 == 1):
            return False
    return len(turns) % 2 == 0 and turns[-1]["from"] == "gpt"


def main(out):
    out = Path(out)
    manifests = {f: json.loads((out / f"{f}.manifest.json").read_text()) for f in FORMATS}
    rows = {f: read_jsonl(out / f"{f}.jsonl") for f in FORMATS}

    for f in FORMATS:
        m = manifests[f]
        dropped = sum(m["rows_dropped"].values())
        check(m["rows_read"] == m["rows_written"] + dropped, f"{f}: manifest reconciles")
        check(m["rows_written"] > 0, f"{f}: rows written")
        ds = load(out / f"{f}.jsonl", f)
        check(ds.num_rows == m["records_written"] == len(rows[f]), f"{f}: datasets loads every record")
        print(f"{f}: {ds.num_rows} records, columns {ds.column_names}, dropped {m['rows_dropped']}")

    special = manifests["sharegpt"]["additional_special_tokens"]
    check("<think>" in special and "<tool_call>" in special, "sharegpt manifest lists tokens")
    texts = [json.dumps(r, ensure_ascii=False) for f in FORMATS for r in rows[f]]
    tok = build_tokenizer(texts, special)

    # messages: TRL / HF chat templates, with tools and assistant masks.
    for i, r in enumerate(rows["messages"][:40]):
        check_masks(tok, r["messages"], json.loads(r["tools"]), f"messages row {i}")
    # The loaded dataset's rows render too (datasets fills missing keys with None).
    ds = load(out / "messages.jsonl", "messages")
    for r in ds.select(range(5)):
        text = tok.apply_chat_template(r["messages"], tools=json.loads(r["tools"]), tokenize=False)
        check("<|im_start|>assistant" in text, "messages: a datasets row renders")
    # tutorial: no tool role, tool output as user turns; still only assistant tokens trained.
    for i, r in enumerate(rows["tutorial"][:20]):
        check(all(m["role"] in ("system", "user", "assistant") for m in r["messages"]), "tutorial roles")
        check_masks(tok, r["messages"], None, f"tutorial row {i}")

    # openai: arguments as JSON strings, weights 0/1, tools as a list.
    for r in rows["openai"]:
        check(r.get("parallel_tool_calls") is True, "openai parallel_tool_calls")
        check(isinstance(r["tools"], list), "openai tools is a list")
        for m in r["messages"]:
            if m["role"] == "assistant":
                check(m["weight"] in (0, 1), "openai weight")
                for c in m.get("tool_calls") or []:
                    check(isinstance(json.loads(c["function"]["arguments"]), dict), "openai args")
            if m["role"] == "tool":
                check(isinstance(m["content"], str) and m["tool_call_id"], "openai tool message")

    # prompt_completion: put back together, the rows give the original conversation.
    whole = {r["id"]: r["messages"] for r in rows["messages"]}
    by_id = {}
    for r in rows["prompt_completion"]:
        by_id.setdefault(r["id"], []).append(r)
    check(set(by_id) == set(whole), "prompt_completion covers the same rows as messages")
    for rid, parts in by_id.items():
        msgs = whole[rid]
        last = max(i for i, m in enumerate(msgs) if m["role"] == "assistant")
        for p in parts:
            joined = p["prompt"] + p["completion"]
            check(joined == msgs[: len(joined)], f"prompt_completion {rid}: a prefix of the conversation")
            check(p["completion"][0]["role"] == "assistant", "completion is an assistant turn")
        check(parts[-1]["prompt"] + parts[-1]["completion"] == msgs[: last + 1],
              f"prompt_completion {rid}: the last row is the whole conversation")

    # llamafactory: strict alternation; reasoning in qwen3's thought words; a calling turn ends
    # with one <tool_call> block (an object, or the list of parallel calls); their results are one
    # observation joined as LLaMA-Factory joins tool messages. (tests/interop/trainers.sh runs
    # LLaMA-Factory's own pipeline on it.)
    for r in rows["llamafactory"]:
        turns = r["conversations"]
        check(alternates(turns), f"llamafactory {r['id']}: strict alternation")
        check(isinstance(r["system"], str) and isinstance(r["tools"], str), "llamafactory columns")
        for i, t in enumerate(turns):
            if t["from"] in ("gpt", "function_call") and "<think>" in t["value"]:
                check(re.match(r"<think>\n.*?\n</think>\n\n", t["value"], re.S) is not None,
                      "llamafactory reasoning in qwen3's thought words")
            if t["from"] == "function_call":
                m = re.search(r"<tool_call>(.*)</tool_call>$", t["value"], re.S)
                check(m is not None, "llamafactory call block")
                calls = json.loads(m.group(1)) if m else None
                if isinstance(calls, list):
                    obs = turns[i + 1]["value"].split("\n</tool_response>\n<tool_response>\n")
                    check(len(obs) == len(calls), "parallel observation")

    # sharegpt: Hermes roles.
    for r in rows["sharegpt"]:
        check(all(t["from"] in ("system", "human", "gpt", "tool") for t in r["conversations"]), "sharegpt roles")

    # gzip output with a split: both sides load, and add up to the rows written.
    m = json.loads((out / "messages_split.manifest.json").read_text())
    train = load(out / "messages_split.jsonl.gz", "messages")
    val = load(out / "messages_split.validation.jsonl.gz", "messages")
    check(train.num_rows == m["rows_train"] and val.num_rows == m["rows_validation"], "gz split sizes")
    check(m["rows_train"] + m["rows_validation"] == m["rows_written"] and m["rows_validation"] > 0, "split adds up")

    if FAILURES:
        print(f"\n{len(FAILURES)} interop check(s) failed")
        sys.exit(1)
    print("\ninterop: every format loads and checks out")


if __name__ == "__main__":
    main(sys.argv[1])

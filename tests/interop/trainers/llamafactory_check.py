"""LLaMA-Factory's own data pipeline on the exports: its dataset parser (dataset_info), its
ShareGPT or OpenAI converter, its template (qwen3, or the family a llamafactory export was
written for) and its supervised processor (`llamafactory.data.get_dataset`), then the label-mask
audit on every row; last, one training step on a tiny randomly initialised Qwen3 model through
`llamafactory.train.tuner.run_exp` on the sample's llamafactory export.

usage: lf_check.py OUT_DIR REPORT.json
"""

import contextlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import common  # noqa: E402

import llamafactory  # noqa: E402
from llamafactory.data import get_dataset, get_template_and_fix_tokenizer  # noqa: E402
from llamafactory.hparams import get_train_args  # noqa: E402
from llamafactory.model import load_tokenizer  # noqa: E402

OPENAI_TAGS = {"role_tag": "role", "content_tag": "content", "user_tag": "user",
               "assistant_tag": "assistant", "observation_tag": "tool",
               "function_tag": "function_call", "system_tag": "system"}


def dataset_info(fmt, path):
    if fmt == "llamafactory":
        return {"file_name": str(path), "formatting": "sharegpt",
                "columns": {"messages": "conversations", "system": "system", "tools": "tools"}}
    if fmt == "sharegpt":
        tags = {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt",
                "observation_tag": "tool", "function_tag": "function_call", "system_tag": "system"}
        return {"file_name": str(path), "formatting": "sharegpt",
                "columns": {"messages": "conversations", "tools": "tools"}, "tags": tags}
    cols = {"messages": "messages"}
    if fmt in ("messages", "openai"):
        cols["tools"] = "tools"
    return {"file_name": str(path), "formatting": "openai", "columns": cols, "tags": OPENAI_TAGS}


def alternates(roles):
    """LLaMA-Factory's rule: user/tool at even positions, the model at odd ones, even count."""
    model = [r in ("assistant", "gpt", "function_call") for r in roles]
    return len(roles) % 2 == 0 and all(m == (i % 2 == 1) for i, m in enumerate(model))


def expected(fmt, row, family):
    """(turns, lost) LLaMA-Factory should train on, or None when its converter skips the row."""
    if fmt == "llamafactory":
        return common.llamafactory_turns(row, family), {}
    if fmt == "sharegpt":
        conv = [t for t in row["conversations"] if t["from"] != "system"]
        if not alternates([t["from"] for t in conv]):
            return None
        return common.sharegpt_turns(row["conversations"]), {}
    msgs = row["messages"]
    body = msgs[1:] if msgs and msgs[0]["role"] == "system" else msgs
    merged = []
    for m in body:  # the converter joins a run of tool messages into one observation
        if m["role"] == "tool" and merged and merged[-1] == "tool":
            continue
        merged.append(m["role"])
    if not alternates(merged):
        return None
    for m in msgs:
        # The converter writes a calling turn as the JSON of its calls; LLaMA-Factory's function
        # formatter then takes a literal <tool_call>…</tool_call> inside an argument for the call
        # block and fails, and one such row fails the whole load.
        calls = json.dumps([c["function"] for c in m.get("tool_calls") or []], ensure_ascii=False)
        if re.search(r"<tool_call>.*?</tool_call>", calls, re.S):
            return False
    # The OpenAI converter replaces a calling turn's content by its calls and ignores
    # reasoning_content: what it cannot keep is counted as lost.
    return common.message_turns(msgs, keep_text_beside_calls=False, keep_reasoning_field=False)


def run(out, name, fmt, path, manifest, model_dir, report):
    family = manifest["options"].get("lf_template", "qwen3") if fmt == "llamafactory" else "qwen3"
    rows = common.read_jsonl(path)
    wanted = [(r, expected(fmt, r, family)) for r in rows]
    notes = {}
    cannot = sum(1 for _, e in wanted if e is False)
    if cannot:
        # LLaMA-Factory's pipeline is given the rows it can read; the others are counted.
        notes["rows_with_call_tags_in_arguments_llamafactory_cannot_read"] = cannot
        wanted = [(r, e) for r, e in wanted if e is not False]
        path = out / f"{name}.lf-readable.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r, _ in wanted), encoding="utf-8")
        name = f"{name}.lf-readable"
    args = dict(model_name_or_path=str(model_dir), stage="sft", do_train=True, finetuning_type="full",
                dataset=name, dataset_dir=str(out), template=family, cutoff_len=1 << 22,
                overwrite_cache=True, output_dir=str(out / "lf-run"), report_to="none",
                preprocessing_num_workers=common.PROCS)
    model_args, data_args, training_args, _, _ = get_train_args(args)
    tokenizer_module = load_tokenizer(model_args)
    tok = tokenizer_module["tokenizer"]
    template = get_template_and_fix_tokenizer(tok, data_args)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a whole example
        ds = get_dataset(template, model_args, data_args, training_args, stage="sft", **tokenizer_module)["train_dataset"]
    accepted = [(r, e) for r, e in wanted if e is not None]
    if len(accepted) < len(wanted):
        notes["rows_not_alternating_skipped_by_llamafactory"] = len(wanted) - len(accepted)
    ok = 0
    if len(ds) == len(accepted):
        for i, ((r, (turns, lost)), ex) in enumerate(zip(accepted, ds)):
            for k, v in lost.items():
                if v:
                    notes[f"turns_{k}_lost_by_llamafactory_converter"] = notes.get(f"turns_{k}_lost_by_llamafactory_converter", 0) + v
            ok += report.audit_row(tok, ex, turns, f"{name} row {i}", notes)
    else:
        report.fail(f"{name}: LLaMA-Factory kept {len(ds)} of {len(accepted)} rows")
    report.add(f"{name} ({fmt}, template {family})", len(accepted), len(ds), ok, notes)
    return len(rows)


def train_one_step(out, name, model_dir, report):
    """One optimiser step of LLaMA-Factory's SFT workflow on a tiny random Qwen3."""
    from llamafactory.train.tuner import run_exp

    run_dir = Path(tempfile.mkdtemp(prefix="lf-train-", dir=out))
    args = dict(model_name_or_path=str(model_dir), stage="sft", do_train=True, finetuning_type="full",
                dataset=name, dataset_dir=str(out), template="qwen3", cutoff_len=1024,
                max_steps=1, per_device_train_batch_size=2, learning_rate=1e-3, overwrite_cache=True,
                output_dir=str(run_dir), report_to="none", logging_steps=1, save_strategy="no",
                bf16=False, fp16=False, use_cpu=True, overwrite_output_dir=True, plot_loss=False)
    with contextlib.redirect_stdout(io.StringIO()):
        run_exp(args)
    state = json.loads((run_dir / "trainer_state.json").read_text()) if (run_dir / "trainer_state.json").exists() else {}
    steps = state.get("global_step", 0)
    losses = [h["loss"] for h in state.get("log_history", []) if "loss" in h]
    good = steps == 1 and losses and all(l == l for l in losses)  # l == l: not NaN
    print(f"LLaMA-Factory trained {steps} step(s) on {name}: loss {losses}")
    report.add(f"train-step {name}: one SFT step (tiny random Qwen3, CPU)", 1, 1, 1 if good else 0,
               {"loss": losses[0] if losses else None})


def save_model(out, texts):
    from transformers import Qwen3Config, Qwen3ForCausalLM

    tok = common.build_tokenizer(texts)
    common.audit_selftest(tok)
    model_dir = out / "lf-model"
    tok.save_pretrained(model_dir)
    cfg = Qwen3Config(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                      max_position_embeddings=1 << 22, tie_word_embeddings=True,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    Qwen3ForCausalLM(cfg).save_pretrained(model_dir)
    return model_dir


def main():
    out, report_path = Path(sys.argv[1]).resolve(), sys.argv[2]
    report = common.Report("LLaMA-Factory", llamafactory.__version__)
    exports = common.exports(out)
    model_dir = save_model(out, common.all_texts(out))
    info = {name: dataset_info(fmt, path) for name, (fmt, path, _) in exports.items()}
    info.update({f"{n}.lf-readable": dataset_info(f, out / f"{n}.lf-readable.jsonl") for n, (f, _, _) in exports.items()})
    (out / "dataset_info.json").write_text(json.dumps(info))
    for name, (fmt, path, manifest) in exports.items():
        if fmt == "prompt_completion":
            continue  # LLaMA-Factory has no prompt/completion reader for conversations
        try:
            run(out, name, fmt, path, manifest, model_dir, report)
        except Exception as e:  # a pipeline that raises fails its check, the others still run
            import traceback
            traceback.print_exc()
            report.add(f"{name} ({fmt})", len(common.read_jsonl(path)), 0, 0, {"error": str(e)[:300]})
    step = next((n for n, (f, _, m) in exports.items() if f == "llamafactory" and n.startswith("sample")), None)
    if step and os.environ.get("LF_TRAIN_STEP", "1") == "1":
        try:
            train_one_step(out, step, model_dir, report)
        except Exception as e:
            import traceback
            traceback.print_exc()
            report.add(f"train-step {step}: one SFT step", 1, 0, 0, {"error": str(e)[:300]})
    return report.write(report_path)


if __name__ == "__main__":
    common.main_guard(main)

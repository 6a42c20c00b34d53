"""TRL's own dataset preparation on the exports: a tokenizer built here with the Qwen3 chat
template that TRL ships, a tiny randomly initialised Qwen3, and `SFTTrainer` with
`assistant_only_loss=True` (TRL swaps in its training template with generation markers) — or,
for prompt/completion rows, its completion-only loss as well — then the label-mask audit on every
row of `trainer.train_dataset`.

usage: trl_check.py OUT_DIR REPORT.json
"""

import sys
import tempfile
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import common  # noqa: E402

import datasets  # noqa: E402
import trl  # noqa: E402
from transformers import Qwen3Config, Qwen3ForCausalLM  # noqa: E402
from trl import SFTConfig, SFTTrainer  # noqa: E402

FORMATS = ("messages", "openai", "tutorial", "prompt_completion")


def expected(fmt, row):
    if fmt == "prompt_completion":
        prompt, _ = common.message_turns(row["prompt"])
        for t in prompt:  # earlier assistant turns are context here, never trained
            t["kind"] = "other"
            t["pieces"] = [p for p in t["pieces"] if len(p.strip()) > 20]
            t["soft"] = []
        # The prompt of the N-th turn holds the N-1 before it, each already checked untrained in
        # its own row: its last two messages, next to the completion, are where a mask would slip.
        prompt = prompt[-2:]
        done, _ = common.message_turns(row["completion"])
        return prompt + done
    turns, _ = common.message_turns(row["messages"])
    return turns


def main():
    out, report_path = Path(sys.argv[1]).resolve(), sys.argv[2]
    report = common.Report("TRL", trl.__version__)
    template = resources.files("trl").joinpath("chat_templates/qwen3.jinja").read_text()
    tok = common.build_tokenizer(common.all_texts(out), chat_template=template)
    common.audit_selftest(tok)
    cfg = Qwen3Config(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=1, head_dim=16, tie_word_embeddings=True,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model = Qwen3ForCausalLM(cfg)
    run_dir = tempfile.mkdtemp(prefix="trl-", dir=out)
    for name, (fmt, path, _) in common.exports(out).items():
        if fmt not in FORMATS:
            continue
        rows = common.read_jsonl(path)
        try:
            # As a user loads it (one chunk: arguments objects differ in keys from tool to tool).
            ds = datasets.load_dataset("json", data_files=str(path), split="train", chunksize=1 << 30)
            args = SFTConfig(output_dir=run_dir, assistant_only_loss=True, max_length=None,
                             report_to=[], use_cpu=True, dataset_num_proc=common.PROCS)
            trainer = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok)
            prepared = trainer.train_dataset
        except Exception as e:
            import traceback
            traceback.print_exc()
            report.add(f"{name} ({fmt})", len(rows), 0, 0, {"error": str(e)[:300]})
            continue
        ok, notes = 0, {}
        if len(prepared) == len(rows):
            for i, (r, ex) in enumerate(zip(rows, prepared)):
                ok += report.audit_row(tok, ex, expected(fmt, r), f"{name} row {i}", notes)
        report.add(f"{name} ({fmt}, Qwen3 template)", len(rows), len(prepared), ok, notes)
    return report.write(report_path)


if __name__ == "__main__":
    common.main_guard(main)

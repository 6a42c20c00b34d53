"""axolotl's own chat-template dataset strategy on the exports: `type: chat_template` with
axolotl's `qwen3` template, as a YAML config would set it (`field_messages`, and for ShareGPT
rows `message_property_mappings` from/value), loaded by axolotl's strategy loader and run over
the dataset by its `TokenizedPromptDataset`; then the label-mask audit on every row.

usage: axolotl_check.py OUT_DIR REPORT.json
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import common  # noqa: E402

import axolotl  # noqa: E402
import datasets  # noqa: E402
from axolotl.datasets import TokenizedPromptDataset  # noqa: E402
from axolotl.prompt_strategies.chat_template import load  # noqa: E402
from axolotl.utils.dict import DictDefault  # noqa: E402

FORMATS = ("messages", "openai", "sharegpt", "tutorial")


def ds_cfg(fmt):
    cfg = {"type": "chat_template", "chat_template": "qwen3", "roles_to_train": ["assistant"],
           "train_on_eos": "turn", "field_messages": "messages"}
    if fmt == "sharegpt":
        cfg.update(field_messages="conversations", message_property_mappings={"role": "from", "content": "value"},
                   roles={"user": ["human"], "assistant": ["gpt"], "system": ["system"], "tool": ["tool"]})
    return cfg


def expected(fmt, row):
    if fmt == "sharegpt":
        return common.sharegpt_turns(row["conversations"])
    return common.message_turns(row["messages"])[0]


def main():
    out, report_path = Path(sys.argv[1]).resolve(), sys.argv[2]
    report = common.Report("axolotl", axolotl.__version__)
    tok = common.build_tokenizer(common.all_texts(out))
    common.audit_selftest(tok)
    cfg = DictDefault({"sequence_len": 1 << 22, "train_on_inputs": False, "chat_template": "qwen3"})
    for name, (fmt, path, _) in common.exports(out).items():
        if fmt not in FORMATS:
            continue
        rows = common.read_jsonl(path)
        try:
            strategy = load(tok, cfg, ds_cfg(fmt))
            ds = datasets.load_dataset("json", data_files=str(path), split="train", chunksize=1 << 30)
            prepared = TokenizedPromptDataset(strategy, ds, process_count=common.PROCS)
        except Exception as e:
            import traceback
            traceback.print_exc()
            report.add(f"{name} ({fmt})", len(rows), 0, 0, {"error": str(e)[:300]})
            continue
        ok, notes = 0, {}
        if len(prepared) == len(rows):
            for i, (r, ex) in enumerate(zip(rows, prepared)):
                ok += report.audit_row(tok, ex, expected(fmt, r), f"{name} row {i}", notes)
        report.add(f"{name} ({fmt}, qwen3 template)", len(rows), len(prepared), ok, notes)
    return report.write(report_path)


if __name__ == "__main__":
    common.main_guard(main)

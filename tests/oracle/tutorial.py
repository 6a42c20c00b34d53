#!/usr/bin/env python3
"""The seed tutorial's definitions, written directly in Python as FORMAT.md states them: the
oracle that the app's tutorial-mode figures must equal to the digit.

    python3 tests/oracle/tutorial.py FILE.jsonl...   -> prints the figures as JSON
    python3 tests/oracle/tutorial.py --check ANALYSE_BIN FILE.jsonl...
        -> runs the native core on the same files and compares every figure
"""
import json
import re
import subprocess
import sys
from collections import Counter

THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.DOTALL)
RESP = re.compile(r"<tool_response>\s*(.*?)\s*</tool_response>", re.DOTALL)


def tutorial_figures(rows):
    f = {
        "rows": 0, "turns": 0, "tool_calls": 0, "tool_counts": Counter(), "parallel_widths": Counter(),
        "think_blocks": 0, "think_chars": 0, "think_words": 0,
        "tool_messages": 0, "error_messages": 0, "rows_with_error": 0,
    }
    for row in rows:
        f["rows"] += 1
        conv = row["conversations"]
        f["turns"] += len(conv)
        row_error = False
        for msg in conv:
            role, value = msg["from"], msg["value"]
            if role == "gpt":
                calls = CALL.findall(value)
                for c in calls:
                    try:
                        name = json.loads(c).get("name", "<malformed>")
                        if not isinstance(name, str):
                            name = json.dumps(name)
                    except (json.JSONDecodeError, AttributeError):
                        name = "<malformed>"
                    f["tool_counts"][name] += 1
                f["tool_calls"] += len(calls)
                if calls:
                    f["parallel_widths"][str(len(calls))] += 1
                for t in THINK.findall(value):
                    t = t.strip()
                    f["think_blocks"] += 1
                    f["think_chars"] += len(t)
                    f["think_words"] += len(t.split())
            elif role == "tool":
                m = RESP.search(value)
                if m is None:
                    continue
                try:
                    parsed = json.loads(m.group(1))
                except json.JSONDecodeError:
                    parsed = {"raw": m.group(1)}
                dump = json.dumps(parsed).lower()
                err = "error" in dump or '"exit_code": 1' in dump or "traceback" in dump
                f["tool_messages"] += 1
                f["error_messages"] += int(err)
                row_error |= err
        f["rows_with_error"] += int(row_error)
    f["tool_counts"] = dict(f["tool_counts"])
    f["parallel_widths"] = dict(f["parallel_widths"])
    return f


def read_jsonl(paths):
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def main(argv):
    if argv and argv[0] == "--check":
        analyse, paths = argv[1], argv[2:]
        want = tutorial_figures(read_jsonl(paths))
        got = json.loads(subprocess.check_output([analyse, *paths]))["total"]["summary"]
        mine = dict(got["tutorial"])
        mine["rows"], mine["turns"] = got["rows"], got["turns"]
        mine["parallel_widths"] = {str(k): v for k, v in mine["parallel_widths"].items()}
        failed = 0
        for key, expected in want.items():
            ok = mine.get(key) == expected
            failed += not ok
            if ok:
                print(f"ok   {key}")
            else:
                print(f"FAIL {key}: oracle {expected!r} != app {mine.get(key)!r}")
        print(f"{len(want) - failed} passed, {failed} failed")
        return 1 if failed else 0
    print(json.dumps(tutorial_figures(read_jsonl(argv)), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

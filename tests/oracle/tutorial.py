#!/usr/bin/env python3
"""The seed tutorial's definitions, written directly in Python as FORMAT.md states them: the
oracle that the app's tutorial-mode figures must equal to the digit.

    python3 tests/oracle/tutorial.py FILE.jsonl...   -> prints the figures as JSON
    python3 tests/oracle/tutorial.py --check ANALYSE_BIN FILE.jsonl...
        -> runs the native core on the same files and compares every figure
"""
import json
import math
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


def quantile(values, p):
    """Linear between order statistics (numpy's default), with the app's float operations."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = p * (len(xs) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    x_lo, x_hi = float(xs[lo]), float(xs[hi])
    return x_lo + (x_hi - x_lo) * (pos - lo)


def describe(values):
    n = len(values)
    return {
        "count": n, "sum": sum(values), "mean": (sum(values) / n) if n else 0.0,
        "median": quantile(values, 0.5), "p90": quantile(values, 0.9),
        "min": min(values) if values else 0, "max": max(values) if values else 0,
    }


def hist(values):
    return {str(k): v for k, v in sorted(Counter(values).items())}


def pct(a, b):
    return 100.0 * (a / b) if b else 0.0


def report_figures(rows):
    """The tutorial-mode keys the report adds beside the headline ones (report["total"]["tutorial"])."""
    turns, calls_per_row, think_chars, think_words, call_chars, answer_chars = [], [], [], [], [], []
    assistant_turns = reasoning_turns = think_blocks = tool_calls = 0
    error_rows = recovered_rows = 0
    tools, cats, subs = {}, {}, {}
    for row in rows:
        conv = row["conversations"]
        turns.append(len(conv))
        row_calls, err_seen, recovered = 0, False, False
        for msg in conv:
            role, value = msg["from"], msg["value"]
            if role == "gpt":
                assistant_turns += 1
                reasoning = False
                for t in THINK.findall(value):
                    t = t.strip()
                    think_blocks += 1
                    think_chars.append(len(t))
                    think_words.append(len(t.split()))
                    reasoning |= bool(t)
                reasoning_turns += int(reasoning)
                for c in CALL.findall(value):
                    row_calls += 1
                    try:
                        call_chars.append(len(json.dumps(json.loads(c))))
                    except json.JSONDecodeError:
                        pass
                answer = CALL.sub("", THINK.sub("", value)).strip()
                if answer:
                    answer_chars.append(len(answer))
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
                name = parsed.get("name") if isinstance(parsed, dict) else None
                if not isinstance(name, str):
                    name = "<unknown>"
                t = tools.setdefault(name, [0, 0])
                t[0] += 1
                t[1] += int(err)
                if err:
                    err_seen = True
                elif err_seen:
                    recovered = True
        calls_per_row.append(row_calls)
        tool_calls += row_calls
        error_rows += int(err_seen)
        recovered_rows += int(recovered)
        for table, key in ((cats, row.get("category")), (subs, row.get("subcategory"))):
            g = table.setdefault(key if key is not None else "<none>", [0, 0, 0, 0])
            g[0] += 1
            g[1] += len(conv)
            g[2] += row_calls
            g[3] += int(err_seen)

    def groups(table):
        return {k: {"rows": r, "turns": t, "tool_calls": c, "error_rows": e, "error_rows_pct": pct(e, r)}
                for k, (r, t, c, e) in sorted(table.items())}

    return {
        "turns_mean": describe(turns)["mean"], "turns_median": quantile(turns, 0.5),
        "turns_p90": quantile(turns, 0.9), "turns_hist": hist(turns),
        "assistant_turns": assistant_turns,
        "calls_per_row": describe(calls_per_row), "calls_per_row_hist": hist(calls_per_row),
        "calls_per_assistant_turn": (tool_calls / assistant_turns) if assistant_turns else 0.0,
        "think_blocks_per_assistant_turn": (think_blocks / assistant_turns) if assistant_turns else 0.0,
        "reasoning_turn_pct": pct(reasoning_turns, assistant_turns),
        "think_chars_dist": describe(think_chars), "think_chars_dist_hist": hist(think_chars),
        "think_words_dist": describe(think_words), "think_words_dist_hist": hist(think_words),
        "call_chars_dist": describe(call_chars), "call_chars_dist_hist": hist(call_chars),
        "answer_chars_dist": describe(answer_chars), "answer_chars_dist_hist": hist(answer_chars),
        "error_rows": error_rows, "recovered_rows": recovered_rows,
        "recovery_rate_pct": pct(recovered_rows, error_rows),
        "failure_by_tool": {k: {"responses": n, "failed": e, "nonzero_exit": 0, "failure_rate_pct": pct(e, n)}
                            for k, (n, e) in sorted(tools.items())},
        "by_category": groups(cats), "by_subcategory": groups(subs),
    }


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
        want_report = report_figures(read_jsonl(paths))
        got_report = json.loads(subprocess.check_output([analyse, *paths]))["report"]["total"]["tutorial"]
        for key, expected in want_report.items():
            ok = got_report.get(key) == expected
            failed += not ok
            if ok:
                print(f"ok   report.{key}")
            else:
                print(f"FAIL report.{key}: oracle {str(expected)[:300]} != app {str(got_report.get(key))[:300]}")
        total = len(want) + len(want_report)
        print(f"{total - failed} passed, {failed} failed")
        return 1 if failed else 0
    figures = tutorial_figures(read_jsonl(argv))
    figures["report"] = report_figures(read_jsonl(argv))
    print(json.dumps(figures, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

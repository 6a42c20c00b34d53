#!/usr/bin/env python3
"""The tutorial's method as its users run it, timed: read the JSONL with the standard library's
json, then the tutorial's regexes and counting (tests/oracle/tutorial.py, the same definitions the
app's tutorial mode is checked against). No `datasets` overhead: this is the fastest fair peer.

    python3 bench/peer.py [--json OUT] [--rounds R] FILE.jsonl

Prints MB/s and rows/s (best of R rounds, default 1) and writes them as JSON. Asserts nothing.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "oracle"))
from tutorial import read_jsonl, tutorial_figures  # noqa: E402


def main(argv):
    out, rounds, paths = None, 1, []
    it = iter(argv)
    for a in it:
        if a == "--json":
            out = next(it)
        elif a == "--rounds":
            rounds = int(next(it))
        else:
            paths.append(a)
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    size = sum(os.path.getsize(p) for p in paths)
    best = None
    for _ in range(max(1, rounds)):
        c, t = time.process_time(), time.perf_counter()
        f = tutorial_figures(read_jsonl(paths))
        secs, cpu = time.perf_counter() - t, time.process_time() - c
        if best is None or secs < best[0]:
            best = (secs, f, cpu)
    secs, f, cpu = best
    result = {
        "secs": secs, "bytes": size, "rows": f["rows"], "tool_calls": f["tool_calls"],
        "figures": {k: f[k] for k in ("rows", "turns", "tool_calls", "think_blocks")}
        | {"tool_counts": dict(sorted(f["tool_counts"].items()))},
        "mb_per_s": size / 1e6 / secs, "rows_per_s": f["rows"] / secs,
        "cpu_secs": cpu, "mb_per_cpu_s": size / 1e6 / cpu if cpu > 0 else None,
        "python": sys.version.split()[0],
    }
    print(f"  tutorial method (Python {result['python']}, 1 thread) {result['mb_per_s']:8.1f} MB/s "
          f"{result['rows_per_s']:10.0f} rows/s  ({secs:.3f} s; {size / 1e6 / max(cpu, 1e-9):.1f} MB per CPU-second)")
    if out:
        with open(out, "w") as fh:
            json.dump(result, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

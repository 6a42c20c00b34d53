#!/usr/bin/env python3
"""Joins the native, Python and browser figures of one `make bench` run into one table (Markdown,
printed) with the ratios browser/native and browser/Python, and one JSON file.

    python3 bench/table.py --dir target/bench --size MB [--machine TEXT]

Reads native.json, peer.json and browser.json from the directory, writes latest.json there.
"""
import json
import os
import platform
import subprocess
import sys
import time


def load(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "load_1min": load1,
            "kernel": platform.release()}


def fmt(v, nd=1, unit=""):
    return "–" if v is None else f"{v:,.{nd}f}{unit}"


def main(argv):
    d, size = "target/bench", None
    it = iter(argv)
    for a in it:
        if a == "--dir":
            d = next(it)
        elif a == "--size":
            size = next(it)
    native = load(os.path.join(d, "native.json")) or {}
    peer = load(os.path.join(d, "peer.json"))
    browser = load(os.path.join(d, "browser.json")) or {}
    m = machine()
    try:
        rev = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "?"
    rows = []
    lines = [
        f"`make bench SIZE={size}` at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {rev}; "
        f"{m['nproc']} cores ({m['cpu']}), {m['memory']}, load {fmt(m['load_1min'], 2)}",
        "",
        "| file | MB | rows | native 1 thread MB/s (MB per CPU-s) | native all cores MB/s | browser MB/s (drop → final) "
        "| first figures ms | final figures ms | browser / native (all cores) | browser / native (per core) "
        "| Python MB/s | browser / Python | peak wasm MB (worker) | page wasm MB | peak JS heap MB "
        "| longest main-thread task / max lag ms | cross-filter ms (longest task) "
        "| export native MB/s | export browser MB/s | export browser / native |",
        "|" + "---|" * 20,
    ]
    for name, n in native.items():
        b = browser.get(name) or {}
        threads = n.get("threads", 1)
        n1 = n["analyse_1"]["mb_per_s"]
        n1_cpu = n["analyse_1"].get("mb_per_cpu_s") or n1
        nn = n["analyse_n"]["mb_per_s"]
        bw = b.get("mb_per_s")
        workers = b.get("workers") or threads
        py = peer["mb_per_s"] if peer and name.endswith(".jsonl") else None
        ex_n = n["export"].get("messages", {}).get("mb_per_s")
        ex_b = (b.get("export") or {}).get("mb_per_s")
        r = {
            "file": name, "bytes": n["bytes"], "rows": n["rows"],
            "native_1_mb_s": n1, "native_n_mb_s": nn, "threads": threads,
            "browser_mb_s": bw, "first_figures_ms": b.get("first_figures_ms"),
            "final_figures_ms": b.get("final_figures_ms"),
            "browser_over_native_all": bw / nn if bw else None,
            # Per core: the browser's MB/s per worker over the native MB per CPU-second of one
            # thread (CPU time hardly moves when other work shares the machine; wall time does).
            "browser_over_native_per_core": (bw / min(workers, m["nproc"] or workers)) / n1_cpu if bw else None,
            "native_1_mb_cpu_s": n1_cpu,
            "python_mb_s": py, "browser_over_python": bw / py if bw and py else None,
            "peak_wasm_mb": b["peak_wasm_memory"] / 1e6 if b.get("peak_wasm_memory") else None,
            "page_wasm_mb": b["page_wasm_memory"] / 1e6 if b.get("page_wasm_memory") else None,
            "cross_filter_ms": b.get("cross_filter_ms"),
            "cross_filter_longest_task_ms": b.get("cross_filter_longest_task_ms"),
            "peak_js_heap_mb": b["peak_js_heap"] / 1e6 if b.get("peak_js_heap") else None,
            "longest_task_ms": b.get("longest_task_ms"), "max_lag_ms": b.get("max_event_loop_lag_ms"),
            "export_native_mb_s": ex_n, "export_browser_mb_s": ex_b,
            "export_browser_over_native": ex_b / ex_n if ex_b and ex_n else None,
            "native_exports": {k: v["mb_per_s"] for k, v in n["export"].items()},
        }
        rows.append(r)
        lines.append(
            f"| {name} | {fmt(n['bytes'] / 1e6)} | {n['rows']:,} | {fmt(n1)} ({fmt(n1_cpu)}) | {fmt(nn)} ({threads} thr) | {fmt(bw)} "
            f"| {fmt(r['first_figures_ms'], 0)} | {fmt(r['final_figures_ms'], 0)} | {fmt(r['browser_over_native_all'], 2, '×')} "
            f"| {fmt(r['browser_over_native_per_core'], 2, '×')} | {fmt(py)} | {fmt(r['browser_over_python'], 1, '×')} "
            f"| {fmt(r['peak_wasm_mb'])} | {fmt(r['page_wasm_mb'])} | {fmt(r['peak_js_heap_mb'])} "
            f"| {fmt(r['longest_task_ms'], 0)} / {fmt(r['max_lag_ms'], 0)} | {fmt(r['cross_filter_ms'], 0)} ({fmt(r['cross_filter_longest_task_ms'], 0)}) "
            f"| {fmt(ex_n)} | {fmt(ex_b)} | {fmt(r['export_browser_over_native'], 2, '×')} |")
    if peer:
        lines.append("")
        lines.append(f"Python peer: the tutorial's regexes and counting with the standard library's json "
                     f"(Python {peer.get('python')}), {fmt(peer['mb_per_s'])} MB/s, {peer['rows_per_s']:,.0f} rows/s "
                     f"on the JSONL ({fmt(peer['secs'], 2)} s; {fmt(peer.get('mb_per_cpu_s'))} MB per CPU-second).")
        jl = next((r for r in rows if r["file"].endswith(".jsonl")), None)
        if jl and peer.get("mb_per_cpu_s"):
            lines.append(f"Native core / Python per CPU-second (one thread each): "
                         f"{fmt(jl['native_1_mb_cpu_s'] / peer['mb_per_cpu_s'], 1, '×')}.")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(d, "latest.json"), "w") as fh:
        json.dump({"size": size, "commit": rev, "machine": m, "rows": rows,
                   "native": native, "python": peer, "browser": browser, "markdown": text}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

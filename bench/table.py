#!/usr/bin/env python3
"""Joins the native, Python, browser and browser-peer figures of one `make bench` run into one
table (Markdown, printed) with the ratios browser/native, browser/Python and browser/JS peer, and
one JSON file. Checks that every peer's figures (rows, turns, tool calls, think blocks, calls per
tool) equal the page's tutorial figures on the same file, and prints any mismatch loudly.

    python3 bench/table.py --dir target/bench --size MB [--machine TEXT]

Reads native.json, peer.json, browser.json and peers.json from the directory, writes latest.json
there. Exits 0 whatever it finds: benchmarks print, they do not assert.
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


# What each peer is checked on: the notebook's figures (the native core's tutorial mode, which the
# page shows and `analyse` prints); the page exposes the first three on its figures table.
CHECKED = ("rows", "turns", "tool_calls", "think_blocks", "tool_counts")


def check(who, name, got, want, keys=CHECKED):
    """Mismatches of one peer's figures against the reference, as text lines."""
    if not want:
        return []
    if not got:
        return [f"{who} on {name}: no figures"]
    out = []
    for k in keys:
        if k not in want:
            continue
        g, w = got.get(k), want[k]
        if g == w:
            continue
        if isinstance(w, dict) and isinstance(g, dict):
            diff = {t: (g.get(t), w.get(t)) for t in sorted(set(g) | set(w)) if g.get(t) != w.get(t)}
            shown = ", ".join(f"{t}: {a} vs {b}" for t, (a, b) in list(diff.items())[:8])
            out.append(f"{who} on {name}: {k} differs for {len(diff)} tools ({shown}; peer vs page)")
        else:
            out.append(f"{who} on {name}: {k} {g} vs {w} (peer vs page)")
    return out


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
    peers = load(os.path.join(d, "peers.json")) or {}
    m = machine()
    try:
        rev = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "?"
    rows = []
    lines = [
        f"`make bench {'ROWS=' + size[:-4] if size and size.endswith('rows') else 'SIZE=' + str(size)}` at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {rev}; "
        f"{m['nproc']} cores ({m['cpu']}), {m['memory']}, load {fmt(m['load_1min'], 2)}",
        "",
        "| file | MB | rows | native 1 thread MB/s (MB per CPU-s) | native all cores MB/s | browser MB/s (drop → final) "
        "| first figures ms | final figures ms | browser / native (all cores) | browser / native (per core) "
        "| Python MB/s | browser / Python | JS peer MB/s (Worker: JSON.parse, or hyparquet for Parquet) "
        "| browser / JS peer | JS peer main thread MB/s | browser / JS main thread "
        "| peak wasm MB (worker) | page wasm MB | peak JS heap MB "
        "| longest main-thread task / max lag ms | cross-filter ms (longest task) "
        "| export native MB/s | export browser MB/s | export browser / native |",
        "|" + "---|" * 24,
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
        pr = peers.get(name) or {}
        js = (pr.get("js") or {}).get("mb_per_s")
        jm = (pr.get("js_main") or {}).get("mb_per_s")
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
            # Same bytes, so the MB/s ratio is also peer time ÷ page time.
            "js_peer_mb_s": js, "browser_over_js_peer": bw / js if bw and js else None,
            "js_main_mb_s": jm, "browser_over_js_main": bw / jm if bw and jm else None,
            "js_peer_final_ms": (pr.get("js") or {}).get("final_figures_ms"),
            "js_main_final_ms": (pr.get("js_main") or {}).get("final_figures_ms"),
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
            f"| {fmt(js)} | {fmt(r['browser_over_js_peer'], 2, '×')} | {fmt(jm)} | {fmt(r['browser_over_js_main'], 2, '×')} "
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
    if peers:
        pk = peers.get("_packages") or {}
        lines.append("")
        lines.append(f"JS peers (bench/peers/, in the same Chromium, timed from the input's change event to the final "
                     f"figures): JSON.parse per line + the notebook's regexes in a Worker; Parquet with hyparquet "
                     f"{pk.get('hyparquet', '?')} + hyparquet-compressors {pk.get('hyparquet-compressors', '?')} in a Worker; "
                     f"\"main thread\" is the JSONL peer without a Worker. browser / peer = peer time ÷ page time.")
        for r in rows:
            pr = peers.get(r["file"]) or {}
            parts = [f"page {fmt(r['final_figures_ms'], 0)} ms"]
            for key, label in (("js", "JS peer (Worker)"), ("js_main", "JS peer (main thread)")):
                v = pr.get(key)
                if v:
                    parts.append(f"{label} {fmt(v.get('final_figures_ms'), 0)} ms" +
                                 ("" if v.get("state") == "done" else f" ({v.get('state')}: {'; '.join(v.get('page_errors') or [])[:200]})"))
            if peer and r["file"].endswith(".jsonl"):
                parts.append(f"Python {fmt(peer['secs'] * 1000, 0)} ms")
            lines.append(f"- {r['file']}: " + ", ".join(parts))

    # The figures check: every peer against the notebook's figures of the same file.
    problems = []
    for name, n in native.items():
        want = n.get("tutorial")
        b = browser.get(name) or {}
        if b:
            problems += check("page", name, b.get("figures"), want, ("rows", "turns", "tool_calls"))
        for key, v in (peers.get(name) or {}).items():
            problems += check(f"JS peer ({v.get('thread')})", name, v.get("figures"), want)
        if peer and name.endswith(".jsonl"):
            problems += check("Python peer", name, peer.get("figures"), want)
    checked = [k for k in CHECKED]
    lines.append("")
    if problems:
        lines.append("**FIGURES MISMATCH** (peers against the page's tutorial figures):")
        lines += [f"- {p}" for p in problems]
    elif any(n.get("tutorial") for n in native.values()):
        lines.append(f"Figures check: every peer's {', '.join(checked)} equal the page's tutorial figures "
                     f"(the native core's, which the page shows) on every file.")
    text = "\n".join(lines)
    print(text)
    if problems:
        red = "\033[1;31m" if sys.stderr.isatty() else ""
        reset = "\033[0m" if red else ""
        for p in problems:
            print(f"{red}MISMATCH: {p}{reset}", file=sys.stderr)
    with open(os.path.join(d, "latest.json"), "w") as fh:
        json.dump({"size": size, "commit": rev, "machine": m, "rows": rows,
                   "native": native, "python": peer, "browser": browser, "peers": peers,
                   "figures_check": {"checked": checked, "mismatches": problems},
                   "markdown": text}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

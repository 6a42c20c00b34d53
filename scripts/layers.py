#!/usr/bin/env python3
"""Checks that dependencies inside each crate point one way (CI runs it from scripts/test.sh).

Cargo already refuses an import between crates that goes the wrong way; inside a crate it
cannot. This reads every module's `use` trees and `crate::`/`super::`/`self::` paths, resolves
each to the file that defines the item (following `pub use` re-exports), and fails on
  - a cycle between modules (a module and its own ancestors excepted: a child may use what its
    parent declares, as Rust modules do), and
  - an import between the top-level modules of a crate that the layer table below does not allow.

usage: scripts/layers.py [--graph | --self-test]
  --graph      prints every edge
  --self-test  checks the checker: a made-up crate with a cycle and an upward import must fail
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Per crate: its source root, and for each top-level module the top-level modules it may use.
# This table is the one in ARCHITECTURE.md; change both together.
CRATES = {
    "agent-traces (crates/core)": (
        ROOT / "crates/core/src",
        {
            "trace": [],
            "ingest": ["trace"],
            "stats": ["trace"],
            "index": ["ingest", "stats", "trace"],
            "hub": ["ingest"],
            "explore": ["hub", "index", "ingest", "stats", "trace"],
            "export": ["trace"],
            "charts": ["stats", "trace"],
            "pipeline": ["ingest", "trace", "stats", "index", "explore", "export"],
        },
    ),
    "agent-traces-gen (crates/gen)": (ROOT / "crates/gen/src", None),
    "agent-traces-app (the page and the worker)": (
        ROOT / "src",
        {"worker": [], "ui": ["worker"]},
    ),
}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_of(root: Path, file: Path):
    rel = file.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    if parts and parts[0] == "bin":
        return None
    return tuple(parts)


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod name { ... }` (any visibility): tests may build fixtures with any layer."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        out.append(text[i : m.start()])
        i = j
    out.append(text[i:])
    return "".join(out)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # String literals can hold `crate::` in messages: drop their contents.
    text = re.sub(r'\br(#*)"(?:.|\n)*?"\1', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def flatten_use(tree: str, prefix=()):
    """`a::{b, c::{d, e}}` -> [(a, b), (a, c, d), (a, c, e)] (globs and renames kept as names)."""
    tree = tree.strip()
    out = []
    depth, start, items = 0, 0, []
    # split top-level commas
    for i, ch in enumerate(tree):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(tree[start:i])
            start = i + 1
    items.append(tree[start:])
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "{" in item:
            head, _, rest = item.partition("{")
            head = head.strip().rstrip(":").strip()
            segs = tuple(s for s in head.split("::") if s)
            out += flatten_use(rest[: rest.rfind("}")], prefix + segs)
        else:
            name = item.split(" as ")[0].strip()
            out.append(prefix + tuple(s for s in name.split("::") if s))
    return out


def references(text: str):
    """Every path the file names: flattened `use` trees and inline crate/super/self paths."""
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths += flatten_use(m.group(1))
    for m in re.finditer(rf"\b(crate|super|self)((?:::{IDENT})+)(?!\w|::)", text):
        paths.append((m.group(1),) + tuple(m.group(2).split("::")[1:]))
    return paths


def resolve(path, here, modules, reexports):
    """The module (file) that defines what `path`, named in module `here`, refers to."""
    if not path:
        return None
    if path[0] == "crate":
        base, rest = (), list(path[1:])
    elif path[0] in ("super", "self"):
        base = list(here)
        rest = list(path)
        while rest and rest[0] in ("super", "self"):
            if rest.pop(0) == "super":
                base = base[:-1]
        base = tuple(base)
    elif tuple(here) + (path[0],) in modules:
        base, rest = tuple(here), list(path)  # a child module, named without `self::`
    else:
        return None  # another crate, std, or a local name
    mod = base
    for seg in rest:
        nxt = mod + (seg,)
        if nxt in modules:
            mod = nxt
            continue
        # An item of `mod`, perhaps re-exported from elsewhere.
        src = reexports.get(mod, {}).get(seg) or reexports.get(mod, {}).get("*")
        if src and src != mod:
            return resolve(("crate",) + src + (seg,), mod, modules, reexports) or src
        break
    return mod


def crate_graph(root: Path):
    files = {}
    for f in sorted(root.rglob("*.rs")):
        m = module_of(root, f)
        if m is not None:
            files[m] = strip_tests(strip_comments(f.read_text()))
    modules = set(files)
    reexports = {}
    for m, text in files.items():
        for u in re.finditer(r"\bpub(?:\([a-z]+\))?\s+use\s+([^;]+);", text):
            for p in flatten_use(u.group(1)):
                src = resolve(p[:-1] if len(p) > 1 else p, m, modules, {})
                if src is None:
                    continue
                reexports.setdefault(m, {})[p[-1]] = src
    edges = {}
    for m, text in files.items():
        deps = set()
        for p in references(text):
            target = resolve(p, m, modules, reexports)
            if target is None or target == m or m[: len(target)] == target:
                continue  # itself, or one of its ancestors
            if target[: len(m)] == m:
                continue  # a module's own children
            deps.add(target)
        edges[m] = deps
    return edges


def cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "crate"


def layer_problems(crate, edges, layers):
    """Imports between top-level modules that the layer table does not allow."""
    out = []
    for m, deps in sorted(edges.items()):
        if not m:
            continue
        top = m[0]
        if top not in layers:
            out.append(f"{crate}: top-level module {top} is not in the layer table")
            continue
        for d in sorted(deps):
            if d and d[0] != top and d[0] not in layers[top]:
                out.append(
                    f"{crate}: {name(m)} uses {name(d)}, but {top} may use only "
                    f"{', '.join(layers[top]) or 'nothing'} (the layer table)"
                )
    return out


def self_test():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        src = Path(d)
        (src / "low").mkdir()
        (src / "lib.rs").write_text("pub mod low;\npub mod high;\n")
        (src / "low/mod.rs").write_text("pub mod a;\npub mod b;\npub use a::A;\n")
        (src / "low/a.rs").write_text(
            "use super::b::B; // a comment: crate::high\npub struct A;\n"
            "#[cfg(test)]\npub(crate) mod tests { use crate::high::h; }\n"
        )
        (src / "low/b.rs").write_text(
            "pub struct B;\nfn f() -> crate::low::A { let _ = \"crate::high\"; todo!() }\n"
            "fn g() { crate::high::h(); }\n#[cfg(test)]\nmod tests { use crate::high::h; }\n"
        )
        (src / "high.rs").write_text("use crate::low::{a::A, b::B};\npub fn h() {}\n")
        edges = crate_graph(src)
        assert edges[("low", "b")] == {("low", "a"), ("high",)}, edges
        assert cycles(edges) == [[("high",), ("low", "a"), ("low", "b")]], cycles(edges)
        assert ("high",) not in edges[("low", "a")], "comments, strings and tests are not imports"
        upward = layer_problems("t", edges, {"low": [], "high": ["low"]})
        assert upward == ["t: low::b uses high, but low may use only nothing (the layer table)"], upward
    print("layers.py: the checker finds a cycle through a re-export and an upward import")


def main():
    if "--self-test" in sys.argv:
        return self_test()
    show = "--graph" in sys.argv
    problems = []
    for crate, (root, layers) in CRATES.items():
        edges = crate_graph(root)
        if show:
            print(f"# {crate}")
            for m in sorted(edges):
                for d in sorted(edges[m]):
                    print(f"  {name(m)} -> {name(d)}")
        for comp in cycles(edges):
            path = " <-> ".join(name(m) for m in comp)
            detail = "; ".join(
                f"{name(a)} uses {name(b)}" for a in comp for b in sorted(edges[a]) if b in comp
            )
            problems.append(f"{crate}: a cycle between {path} ({detail})")
        if layers is not None:
            problems += layer_problems(crate, edges, layers)
    for p in problems:
        print(p)
    if problems:
        print(f"\n{len(problems)} problem(s): dependencies must point one way (see ARCHITECTURE.md)")
        sys.exit(1)
    print("dependencies point one way: no cycle, no upward import")


if __name__ == "__main__":
    main()

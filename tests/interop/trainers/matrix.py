"""The format × trainer matrix of the trainer checks, and the manifests' word against it.

usage: matrix.py OUT_DIR TRAINER...   (reads OUT_DIR/TRAINER.report.json and the manifests)

Fails when a check failed, when a format names a trainer in its manifest's `checked_with` that
was not run on it (or at another version), or when a trainer ran on a format whose manifest does
not name it.
"""

import json
import sys
from pathlib import Path

NAMES = {"llamafactory": "LLaMA-Factory", "axolotl": "axolotl", "trl": "TRL"}


def main(out, trainers):
    out = Path(out)
    manifests = {m.name[: -len(".manifest.json")]: json.loads(m.read_text())
                 for m in out.glob("*.manifest.json")}
    failures = []
    cells = {}  # (format, trainer) -> [rows_in, loaded, masks_ok, checks]
    for t in trainers:
        path = out / f"{t}.report.json"
        if not path.exists():
            failures.append(f"{t}: no report")
            continue
        report = json.loads(path.read_text())
        label = f"{report['trainer']} {report['version']}"
        failures += [f"{label}: {c}" for c in report["failures"]]
        seen_formats = set()
        for c in report["checks"]:
            name = c["check"].split(" ")[0].removesuffix(".lf-readable").removesuffix(":")
            fmt = manifests[name]["format"] if name in manifests else "(training step)"
            seen_formats.add(fmt)
            cell = cells.setdefault((fmt, label), [0, 0, 0, 0])
            for i, k in enumerate(("rows_in", "rows_loaded", "masks_ok")):
                cell[i] += c[k]
            cell[3] += 1
        # The manifests name exactly the trainers that ran, at the versions installed.
        for name, m in manifests.items():
            named = [w for w in m.get("checked_with", []) if w.split(":")[0].rsplit(" ", 1)[0] == report["trainer"]]
            ran = m["format"] in seen_formats
            if named and not ran:
                failures.append(f"{name}: the manifest names {named[0]!r}, which did not run on {m['format']}")
            if ran and not named:
                failures.append(f"{name}: {label} ran on {m['format']}, the manifest does not name it")
            for w in named:
                if not w.startswith(label + ":"):
                    failures.append(f"{name}: the manifest names {w!r}, the check ran {label}")

    formats = sorted({f for f, _ in cells})
    labels = sorted({t for _, t in cells})
    print("\nformat × trainer: rows loaded / rows given, masks correct (checks)")
    width = max(len(f) for f in formats) if formats else 10
    print(" " * width + " | " + " | ".join(f"{t:^26}" for t in labels))
    for f in formats:
        row = []
        for t in labels:
            c = cells.get((f, t))
            row.append(f"{c[1]}/{c[0]}, masks {c[2]} ({c[3]})".center(26) if c else "—".center(26))
        print(f"{f:<{width}} | " + " | ".join(row))
    if failures:
        print(f"\n{len(failures)} trainer check(s) failed:")
        for f in failures:
            print("  FAIL:", f)
        return 1
    print("\ntrainers: every format loads in every trainer that reads it, masks correct")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))

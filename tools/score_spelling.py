"""Score textqa's spelling rules on ``../shared/spelling-dev`` (the rule in its README).

Usage::

    python tools/score_spelling.py [--mode strict|full] [--select TQ402] [--show-ff N] [--show-fn N]

A flag is a true positive when its span overlaps a defect's span; every other flag is a false
flag (per 10,000 words). Also reports flags on the clean texts (all false unless a genuine typo).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textqa import parse  # noqa: E402
from textqa.check import check_documents  # noqa: E402
from textqa.config import Settings  # noqa: E402

SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent / "shared")
DEV = SHARED / "spelling-dev"
SETS = (("prose", "devprose_codespell_s0", ".txt", "gum_dev_prose.txt"),
        ("tech", "devtech_codespell_s0", ".rst", "cpython_library_dev.rst"))


def line_starts(text: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def run(text: str, name: str, settings: Settings):
    doc = parse(text, name)
    t = time.perf_counter()
    found = check_documents([doc], settings=settings)
    return found, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="strict")
    ap.add_argument("--select", default="TQ4")
    ap.add_argument("--show-ff", type=int, default=0)
    ap.add_argument("--show-fn", type=int, default=0)
    ap.add_argument("--clean", action="store_true", help="also score the clean texts")
    ap.add_argument("--no-table", action="store_true",
                    help="TQ402 judges table words too (estimates recall on misspellings the "
                    "table does not know)")
    args = ap.parse_args()
    if args.no_table:
        import textqa.spelling as sp

        class _Empty:
            def __contains__(self, w):
                return False

            def get(self, w):
                return None

        orig = sp.UnknownWordChecker.__init__

        def init(self, ctx):
            orig(self, ctx)
            self.table = _Empty()

        sp.UnknownWordChecker.__init__ = init
    settings = Settings(select=tuple(args.select.split(",")), spelling=args.mode)
    tot = {"tp": 0, "ff": 0, "def": 0, "hit": 0}
    for label, stem, ext, clean in SETS:
        text = (DEV / "dev_eval" / (stem + ext)).read_text(encoding="utf-8")
        key = json.loads((DEV / "dev_eval" / (stem + ".key.json")).read_text())
        starts = line_starts(text)
        defects = [(starts[d["line"]] + d["start"], starts[d["line"]] + d["end"], d) for d in key["defects"]]
        findings, secs = run(text, "x" + ext, settings)
        hit = [False] * len(defects)
        tp = ff = 0
        ffs = []
        for f in findings:
            ok = False
            for i, (s, e, _) in enumerate(defects):
                if f.span.start < e and s < f.span.end:
                    hit[i] = True
                    ok = True
            if ok:
                tp += 1
            else:
                ff += 1
                ffs.append(f)
        kinds: dict[str, list[int]] = {}
        for (s, e, d), h in zip(defects, hit):
            kinds.setdefault(d["kind"], [0, 0])
            kinds[d["kind"]][0] += h
            kinds[d["kind"]][1] += 1
        words = key["words"]
        p = tp / (tp + ff) if tp + ff else 1.0
        r = sum(hit) / len(defects)
        f1 = 2 * p * r / (p + r) if p + r else 0
        print(f"{label}: flags={len(findings)} tp={tp} ff={ff} P={p:.3f} R={r:.3f} F1={f1:.3f} "
              f"FF/10k={ff / words * 1e4:.2f} words={words} kinds="
              + " ".join(f"{k}:{a}/{b}" for k, (a, b) in sorted(kinds.items()))
              + f" time={secs:.2f}s")
        tot["tp"] += tp; tot["ff"] += ff; tot["def"] += len(defects); tot["hit"] += sum(hit)
        for f in ffs[: args.show_ff]:
            line = text.splitlines()[f.start.line - 1]
            c = f.start.column - 1
            print(f"   FF {f.code} {f.start} {f.span.slice(text)!r} {f.suggestions} | {line[max(0, c - 40):c + 40]!r}")
        if args.show_fn:
            misses = [d for (s, e, d), h in zip(defects, hit) if not h]
            for d in misses[: args.show_fn]:
                print(f"   FN {d['kind']} {d['wrong']!r} -> {d['right']!r}")
        if args.clean:
            ctext = (DEV / "dev" / clean).read_text(encoding="utf-8")
            cf, _ = run(ctext, "x" + ext, settings)
            print(f"   clean {clean}: {len(cf)} flags = {len(cf) / words * 1e4:.2f}/10k")
            for f in cf[: args.show_ff]:
                line = ctext.splitlines()[f.start.line - 1]
                c = f.start.column - 1
                print(f"   CF {f.code} {f.start} {f.span.slice(ctext)!r} {f.suggestions} | {line[max(0, c - 40):c + 40]!r}")
    p = tot["tp"] / (tot["tp"] + tot["ff"]) if tot["tp"] + tot["ff"] else 1.0
    r = tot["hit"] / tot["def"]
    print(f"all: P={p:.3f} R={r:.3f} F1={2 * p * r / (p + r) if p + r else 0:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

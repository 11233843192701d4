"""``normalize``: the ``safe`` profile and the TQ1xx rules against ftfy, on real text.

* **ftfy-test-cases** (``../shared/corpora/ftfy-test-cases``): every ``negative`` case must come
  out of ``safe`` unchanged (its ``fixed-encoding``/``fixed`` text, which differs from the
  original only where ftfy's own expected output repairs a C1 control); for the in-the-wild,
  synthetic and language-name mojibake, how many ``safe`` repairs exactly, next to ftfy's own
  pass rate (``ftfy.fix_text`` with its defaults against the human-verified ``fixed`` text) and
  textqa's repair without ftfy installed.
* **unicode-in-the-wild**: recall of each anomaly class (a line counts when a TQ1xx rule mapped
  to that class reports it), with every TQ1xx rule selected and at default settings; false
  alarms of the default-on rules on lines whose only anomalies are deliberate typography (NBSP,
  word joiners, thin/hair spaces, curly quotes: Standard Ebooks, legal and man-page text).
* **speed**: ``normalize(text, "safe")`` against ``ftfy.fix_text(text)`` per document,
  interleaved, on ASCII-dominant docs (CPython reST), Standard Ebooks / Gutenberg chapters, the
  wild lines, the ftfy cases and the seed; MB/s = UTF-8 bytes / median seconds.
"""

from __future__ import annotations

import json
import lzma
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import compare, python_peer

NAME = "normalize"
TITLE = "Normalization: safe profile and Unicode rules vs ftfy"

#: anomaly class of unicode-in-the-wild -> the TQ1xx codes that report it
CLASS_RULES: dict[str, tuple[str, ...]] = {
    "bidi_control": ("TQ101",),
    "zero_width": ("TQ102",),
    "soft_hyphen": ("TQ102",),
    "mixed_script_word": ("TQ103",),
    "mojibake_utf8_as_1252": ("TQ104",),
    "replacement_char": ("TQ104",),
    "c0_control": ("TQ105",),
    "c1_control": ("TQ104", "TQ105"),
    "nbsp": ("TQ106",),
    "unusual_space": ("TQ106",),
    "mixed_quotes": ("TQ107",),
}
#: classes that are typography, often deliberate: default-on rules must stay quiet on them
TYPOGRAPHY = frozenset({"nbsp", "zero_width", "unusual_space", "mixed_quotes", "tab", "cr",
                        "trailing_whitespace"})  # fmt: skip
DEFAULT_ON = ("TQ101", "TQ102", "TQ103", "TQ104", "TQ105")
FTFY_FILES = ("negative", "in-the-wild", "synthetic", "language-names", "known-failures")


def _kind_path(source: str) -> str:
    return "line.rst" if "rst" in source else "line.txt"


def _ftfy_cases(ctx: Context, notes: list[str], has_ftfy: bool) -> list[dict[str, Any]]:
    from textqa.normalize import normalize

    folder = ctx.shared_path("corpora", "ftfy-test-cases")
    if folder is None:
        notes.append("ftfy-test-cases absent: mojibake repair not measured")
        return []
    ftfy_fix = None
    if has_ftfy:
        import ftfy

        ftfy_fix = ftfy.fix_text
    rows: list[list[Any]] = []
    negatives_changed: list[str] = []
    for name in FTFY_FILES:
        path = folder / f"{name}.json"
        if not path.exists():
            continue
        cases = json.loads(path.read_text("utf-8"))
        safe_ok = fallback_ok = ftfy_ok = expected_pass = 0
        for case in cases:
            want = case.get("fixed-encoding", case["fixed"])
            got = normalize(case["original"], "safe")
            safe_ok += got == want
            if name == "negative" and got != want:
                negatives_changed.append(case["label"])
            fallback_ok += _fallback_safe(case["original"]) == want
            if ftfy_fix is not None:
                ftfy_ok += ftfy_fix(case["original"]) == case["fixed"]
            expected_pass += case.get("expect") == "pass"
        n = len(cases)
        rows.append([
            name, n, f"{safe_ok}/{n}", f"{fallback_ok}/{n}",
            f"{ftfy_ok}/{n}" if ftfy_fix is not None else "n/a", f"{expected_pass}/{n}",
        ])  # fmt: skip
    if negatives_changed:
        notes.append(f"negative cases changed by safe: {negatives_changed}")
    else:
        notes.append("every ftfy negative case is left as ftfy's expected output by safe")
    return [{
        "name": "ftfy test cases: exact repairs (textqa safe vs ftfy.fix_text)",
        "columns": ["file", "cases", "textqa safe", "textqa safe without ftfy",
                    "ftfy.fix_text (defaults) vs `fixed`", "ftfy's own 'expect: pass'"],
        "rows": rows,
    }]  # fmt: skip


def _fallback_safe(text: str) -> str:
    from textqa.normalize import Profile, fix_mojibake, normalize

    # the safe profile with the mojibake step done without ftfy
    rest = Profile("safe-no-mojibake", ("surrogates", "newlines", "controls", "invisible",
                                        "bidi", "nfc"))  # fmt: skip
    for _ in range(8):
        out = normalize(fix_mojibake(text, use_ftfy=False), rest)
        if out == text:
            break
        text = out
    return text


def _wild(ctx: Context, notes: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    import textqa

    path = ctx.shared_path("corpora", "unicode-in-the-wild", "unicode_in_the_wild.jsonl")
    if path is None:
        notes.append("unicode-in-the-wild absent: rule recall not measured")
        return [], []
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    found_all: list[set[str]] = []
    found_default: list[set[str]] = []
    for r in rows:
        p = _kind_path(r["source"])
        found_all.append({f.code for f in textqa.check(r["text"], path=p, select=["TQ1"])})
        found_default.append({f.code for f in textqa.check(r["text"], path=p)} & set(DEFAULT_ON))
    quality: list[dict[str, Any]] = []
    table_rows: list[list[Any]] = []
    for cls, codes in CLASS_RULES.items():
        idx = [i for i, r in enumerate(rows) if cls in r["flags"]]
        if not idx:
            continue
        hit_all = sum(bool(found_all[i] & set(codes)) for i in idx)
        hit_def = sum(bool(found_default[i] & set(codes)) for i in idx)
        methods = {"all TQ1xx rules": {"recall": hit_all / len(idx), "lines": len(idx)}}
        if set(codes) <= set(DEFAULT_ON):
            methods["default settings"] = {"recall": hit_def / len(idx), "lines": len(idx)}
        quality.append({"name": f"unicode-in-the-wild recall: {cls}", "methods": methods})
        table_rows.append([cls, ", ".join(codes), len(idx), f"{hit_all}/{len(idx)}",
                           f"{hit_def}/{len(idx)}" if set(codes) <= set(DEFAULT_ON) else "off"])
    typo_only = [i for i, r in enumerate(rows) if r["flags"] and set(r["flags"]) <= TYPOGRAPHY]
    alarms = [i for i in typo_only if found_default[i]]
    by_source = Counter(rows[i]["source"] for i in typo_only)
    alarm_src = Counter(rows[i]["source"] for i in alarms)
    alarm_codes = Counter(c for i in alarms for c in found_default[i])
    notes.append(
        f"false alarms of the default-on rules on deliberate typography: {len(alarms)} of "
        f"{len(typo_only)} lines ({dict(alarm_codes) or 'none'})"
    )
    tables = [
        {"name": "unicode-in-the-wild: lines reported per anomaly class",
         "columns": ["class", "rules", "lines", "all TQ1xx rules", "default settings"],
         "rows": table_rows},
        {"name": "false alarms on deliberate typography (default-on rules)",
         "columns": ["source", "typography-only lines", "lines with a default-on finding"],
         "rows": [[s, n, alarm_src.get(s, 0)] for s, n in sorted(by_source.items())]},
    ]  # fmt: skip
    return quality, tables


def _speed_corpora(ctx: Context, budget: int) -> dict[str, list[str]]:
    """name -> documents, each corpus cut to about ``budget`` UTF-8 bytes."""
    out: dict[str, list[str]] = {}

    def take(name: str, docs: list[str]) -> None:
        kept: list[str] = []
        size = 0
        for d in docs:
            if size >= budget:
                break
            kept.append(d)
            size += len(d.encode("utf-8", "surrogatepass"))
        if kept:
            out[name] = kept

    rst = ctx.shared_path("corpora", "cpython-docs-rst")
    if rst is not None:
        files = sorted(Path(rst).rglob("*.rst"))
        take("cpython-docs-rst (ASCII-dominant)",
             [f.read_text("utf-8", errors="replace") for f in files[: 400]])  # fmt: skip
    gut = ctx.shared_path("corpora", "gutenberg-editions", "gutenberg_editions.jsonl.xz")
    if gut is not None:
        with lzma.open(gut, "rt", encoding="utf-8") as fh:
            docs = [json.loads(line)["text"] for _, line in zip(range(300), fh, strict=False)]
        # Standard Ebooks chapters first (NBSP, word joiners), then PG (CRLF, curly quotes)
        take("gutenberg-editions (typography, CRLF)", sorted(docs, key=lambda d: "\r" in d))
    wild = ctx.shared_path("corpora", "unicode-in-the-wild", "unicode_in_the_wild.jsonl")
    if wild is not None:
        lines = [json.loads(x)["text"] for x in wild.read_text("utf-8").splitlines() if x]
        take("unicode-in-the-wild lines", lines)
    cases = ctx.shared_path("corpora", "ftfy-test-cases")
    if cases is not None:
        originals = [c["original"] for n in FTFY_FILES
                     if (cases / f"{n}.json").exists()
                     for c in json.loads((cases / f"{n}.json").read_text("utf-8"))]  # fmt: skip
        take("ftfy test cases (mojibake)", originals)
    take("seed", [text for _, text in ctx.seeds()])
    return out


def run(ctx: Context) -> dict[str, Any]:
    from textqa.normalize import normalize

    notes: list[str] = []
    peer = python_peer("ftfy")
    if not peer.available:
        notes.append(peer.note)
    tables = _ftfy_cases(ctx, notes, peer.available)
    quality, wild_tables = _wild(ctx, notes)
    tables += wild_tables

    timings: list[dict[str, Any]] = []
    speed_rows: list[list[Any]] = []
    corpora = _speed_corpora(ctx, ctx.size(60_000, 2_000_000))
    for name, docs in corpora.items():
        nbytes = sum(len(d.encode("utf-8", "surrogatepass")) for d in docs)
        methods: dict[str, Any] = {"textqa": lambda docs=docs: [normalize(d) for d in docs]}
        if peer.available:
            import ftfy

            methods[peer.label()] = lambda docs=docs: [ftfy.fix_text(d) for d in docs]
        cmp = compare(f"safe profile: {name}", methods, baseline="textqa", repeat=ctx.repeat,
                      warmup=ctx.warmup, work={"documents": len(docs), "bytes": nbytes})
        d = cmp.to_dict()
        timings.append(d)
        row: list[Any] = [name, len(docs), f"{nbytes / 1e6:.2f}",
                          f"{nbytes / 1e6 / cmp.timings['textqa'].median:.1f}"]
        if peer.available:
            ft = cmp.timings[peer.label()].median
            row += [f"{nbytes / 1e6 / ft:.1f}", f"{ft / cmp.timings['textqa'].median:.1f}x"]
        speed_rows.append(row)
    columns = ["corpus", "docs", "MB", "textqa safe MB/s"]
    if peer.available:
        columns += ["ftfy.fix_text MB/s", "textqa faster by"]
    tables.append({"name": "speed of the safe profile (median of interleaved rounds)",
                   "columns": columns, "rows": speed_rows})
    return {
        "suite": NAME,
        "title": TITLE,
        "description": __doc__.split("\n\n", 1)[1].strip() if __doc__ else "",
        "data": ", ".join(f"{k}: {len(v)} docs" for k, v in corpora.items()),
        "notes": notes,
        "timings": timings,
        "quality": quality,
        "tables": tables,
    }

"""``spelling``: precision, recall and false flags of textqa's spelling rules against codespell
and typos, on the same texts in the same run, plus throughput.

Scoring (the rule of ``../shared/spelling-dev/README.md``): a flag is a true positive when its
span overlaps a planted defect's span; every other flag is a false flag, reported per 10,000
words; recall is the share of defects hit. Data:

* ``../shared/spelling-dev`` when present: prose (GUM) and technical reStructuredText (CPython
  ``library/``) with injected misspellings, stutters and doubled words, and their clean
  originals (every flag on a clean text is counted as false, although a few are the texts' own
  typos);
* a generated corpus (``benchmarks/generate.py``) with synthetic typos (swapped, dropped,
  doubled or replaced letters: not drawn from any misspelling table), stutters and doubled words;
* ``../shared/corpora/cpython-docs-rst``: how many findings each tool prints on published docs.

codespell reports a line but no column: each occurrence of the reported word on that line is
taken as a flag. typos reports byte offsets, converted to code points.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import command, command_peer, compare, python_env

NAME = "spelling"
TITLE = "Spelling: precision, recall and false flags vs codespell and typos"

Span = tuple[int, int]
_CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<wrong>.+?) ==> ")
_DEV_SETS = (
    ("dev prose (GUM)", "devprose_codespell_s0", ".txt", "gum_dev_prose.txt"),
    ("dev technical reST (CPython library)", "devtech_codespell_s0", ".rst",
     "cpython_library_dev.rst"),
)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A text with its defect spans (code-point offsets) and word count; ``clean`` is the same
    text without the defects (or None)."""

    name: str
    suffix: str
    text: str
    defects: tuple[tuple[int, int, str], ...]
    words: int
    clean: str | None = None


def line_starts(text: str) -> list[int]:
    """Offsets of the first character of every line (``\\n`` line ends).

    >>> line_starts("ab\\ncd\\n")
    [0, 3, 6]
    """
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    return starts


def score(flags: Sequence[Span], defects: Sequence[tuple[int, int, str]], words: int,
          ) -> dict[str, float]:
    """Precision, recall, F1 and false flags per 10k words by span overlap.

    >>> s = score([(0, 3), (10, 12)], [(1, 2, "misspell"), (20, 25, "doubled")], 10_000)
    >>> s["precision"], s["recall"], s["false_flags_per_10k"]
    (0.5, 0.5, 1.0)
    """
    hit = [False] * len(defects)
    tp = ff = 0
    for start, end in flags:
        matched = False
        for i, (ds, de, _kind) in enumerate(defects):
            if start < de and ds < end:
                hit[i] = True
                matched = True
        tp += matched
        ff += not matched
    precision = tp / (tp + ff) if tp + ff else 1.0
    recall = sum(hit) / len(defects) if defects else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "flags": float(tp + ff),
        "false_flags": float(ff),
        "false_flags_per_10k": round(ff / words * 1e4, 2) if words else 0.0,
    }
    for kind in sorted({k for _, _, k in defects}):
        idx = [i for i, d in enumerate(defects) if d[2] == kind]
        out[f"recall_{kind}"] = round(sum(hit[i] for i in idx) / len(idx), 4)
    return out


# -- the tools ------------------------------------------------------------------------------
def textqa_flags(text: str, suffix: str, mode: str) -> list[Span]:
    from textqa import Settings, check_documents, parse

    settings = Settings(select=("spelling",), spelling=mode)  # type: ignore[arg-type]
    found = check_documents([parse(text, "doc" + suffix)], settings=settings)
    return [(f.span.start, f.span.end) for f in found]


def codespell_flags(exe: str, path: Path, text: str) -> list[Span]:
    out = subprocess.run([exe, str(path)], capture_output=True, check=False, timeout=600)
    starts = line_starts(text)
    lines = text.split("\n")
    flags: set[Span] = set()
    for raw in out.stdout.decode("utf-8", "replace").splitlines():
        m = _CODESPELL_LINE.match(raw)
        if not m:
            continue
        n = int(m.group("line")) - 1
        wrong = m.group("wrong")
        for w in re.finditer(rf"(?<![\w]){re.escape(wrong)}(?![\w])", lines[n]):
            flags.add((starts[n] + w.start(), starts[n] + w.end()))
    return sorted(flags)


def typos_flags(exe: str, path: Path, text: str) -> list[Span]:
    out = subprocess.run([exe, "--format", "json", str(path)], capture_output=True,
                         check=False, timeout=600)
    starts = line_starts(text)
    lines = text.split("\n")
    flags = []
    for raw in out.stdout.decode("utf-8", "replace").splitlines():
        try:
            rec = json.loads(raw)
        except ValueError:
            continue
        if rec.get("type") != "typo":
            continue
        n = rec["line_num"] - 1
        col = len(lines[n].encode("utf-8")[: rec["byte_offset"]].decode("utf-8", "replace"))
        start = starts[n] + col
        flags.append((start, start + len(rec["typo"])))
    return flags


# -- data -----------------------------------------------------------------------------------
def dev_sets(ctx: Context) -> list[Labelled]:
    dev = ctx.shared_path("spelling-dev")
    if dev is None:
        return []
    out = []
    for label, stem, suffix, clean in _DEV_SETS[: ctx.pick(1, 2)]:
        name = label
        text = (dev / "dev_eval" / (stem + suffix)).read_text(encoding="utf-8")
        key = json.loads((dev / "dev_eval" / (stem + ".key.json")).read_text(encoding="utf-8"))
        clean_text = (dev / "dev" / clean).read_text(encoding="utf-8")
        words = key["words"]
        keep = ctx.pick(150, None)  # --quick: the first lines only
        if keep is not None:
            lines = text.split("\n")
            full_words = len(text.split())
            text = "\n".join(lines[:keep])
            clean_text = "\n".join(clean_text.split("\n")[:keep])
            words = round(words * len(text.split()) / full_words)
            name += f", first {keep} lines"
        starts = line_starts(text)
        defects = tuple(
            (starts[d["line"]] + d["start"], starts[d["line"]] + d["end"], d["kind"])
            for d in key["defects"]
            if d["line"] < len(starts)
        )
        out.append(Labelled(name, suffix, text, defects, words, clean_text))
    return out


_KINDS = {"misspelling": "misspell", "stutter": "stutter", "doubled-word": "doubled"}


def generated_set(ctx: Context) -> Labelled:
    corpus = ctx.generated(
        ctx.pick(20, 200), near_duplicate_share=0.0, pasted_share=0.0,
        invisibles_per_1k_words=0.0, misspellings_per_1k_words=4.0,
        stutters_per_1k_words=0.5, doubled_per_1k_words=1.0,
    )
    parts: list[str] = []
    defects: list[tuple[int, int, str]] = []
    offset = 0
    for doc in corpus.docs:
        for d in doc.defects:
            if d.kind in _KINDS:
                defects.append((offset + d.start, offset + d.end, _KINDS[d.kind]))
        parts.append(doc.text)
        offset += len(doc.text) + 2
    return Labelled(f"generated ({ctx.describe_base()}, synthetic typos)", ".txt",
                    "\n\n".join(parts), tuple(defects), corpus.words)


# -- the run --------------------------------------------------------------------------------
def _tools(ctx: Context, notes: list[str]) -> dict[str, Callable[[Labelled, Path], list[Span]]]:
    tools: dict[str, Callable[[Labelled, Path], list[Span]]] = {
        "textqa strict": lambda s, p: textqa_flags(s.text, s.suffix, "strict"),
        "textqa full": lambda s, p: textqa_flags(s.text, s.suffix, "full"),
    }
    for name, fn in (("codespell", codespell_flags), ("typos", typos_flags)):
        peer = command_peer(name)
        if not peer.available or peer.executable is None:
            notes.append(str(peer.note))
            continue
        exe = peer.executable
        tools[peer.label()] = lambda s, p, fn=fn, exe=exe: fn(exe, p, s.text)  # type: ignore[misc]
    return tools


def _clean_flags(tool: Callable[[Labelled, Path], list[Span]], s: Labelled, path: Path,
                 ) -> int:
    assert s.clean is not None
    path.write_text(s.clean, encoding="utf-8")
    clean = Labelled(s.name, s.suffix, s.clean, (), s.words)
    return len(tool(clean, path))


def _throughput(ctx: Context, sets: Sequence[Labelled]) -> list[list[Any]]:
    """In-process words per CPU second of the spelling rules after loading (parse excluded, the
    candidate cache cleared before every run), one core; rows per text and mode."""
    from textqa import Settings, parse
    from textqa.check import Context as CheckContext
    from textqa.spelling import _ranked, check_document, corpus_checker

    rows = []
    for s in sets:
        doc = parse(s.text, "doc" + s.suffix)
        for mode in ("strict", "full"):
            settings = Settings(select=("spelling",), spelling=mode)  # type: ignore[arg-type]
            cctx = CheckContext(settings.enabled, settings)

            def work(cctx: CheckContext = cctx, mode: str = mode, doc: Any = doc) -> None:
                _ranked.cache_clear()  # per-word results are not "load": recompute them
                list(check_document(doc, cctx))
                if mode == "full":
                    checker = corpus_checker(cctx)
                    checker.add(doc)
                    list(checker.findings())

            work()  # load the data and warm the candidate cache once
            best = min(_timed(work) for _ in range(ctx.pick(1, 5)))
            rows.append([s.name, mode, s.words, round(best, 4), int(s.words / best)])
    return rows


def _timed(fn: Callable[[], None]) -> float:
    """CPU seconds of one call: on a shared machine, the time the work really ran on a core."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def run(ctx: Context) -> dict[str, Any]:
    notes: list[str] = []
    sets = dev_sets(ctx)
    if not sets:
        notes.append("../shared/spelling-dev not found: dev-set rows skipped")
    sets.append(generated_set(ctx))
    tools = _tools(ctx, notes)
    scratch = ctx.scratch("spelling")
    quality = []
    clean_rows = []
    for s in sets:
        path = scratch / ("text" + s.suffix)
        path.write_text(s.text, encoding="utf-8")
        methods = {}
        for name, tool in tools.items():
            ctx.log(f"spelling: {name} on {s.name}")
            methods[name] = score(tool(s, path), s.defects, s.words)
        quality.append({"name": s.name, "methods": methods})
        if s.clean is not None:
            cpath = scratch / ("clean" + s.suffix)
            row: list[Any] = [s.name]
            for tool in tools.values():
                n = _clean_flags(tool, s, cpath)
                row.append(f"{n} ({n / s.words * 1e4:.2f}/10k)")
            clean_rows.append(row)

    tables = []
    if clean_rows:
        tables.append({"name": "flags on the clean originals (all counted false; a few are "
                       "the texts' own typos and disfluencies)",
                       "columns": ["text", *tools], "rows": clean_rows})
    tables.append({"name": "textqa in-process throughput after load (parse excluded, one core, "
                   "CPU time, best run)",
                   "columns": ["text", "mode", "words", "CPU seconds", "words/s"],
                   "rows": _throughput(ctx, sets)})

    timings = []
    if ctx.quick:
        notes.append("--quick: whole-process timings and the cpython-docs-rst counts skipped")
    else:
        s = sets[0]
        path = scratch / ("timed" + s.suffix)
        path.write_text(s.text, encoding="utf-8")
        env = python_env()
        argv = {"textqa strict": [sys.executable, "-m", "textqa", "check", "--select",
                                  "spelling", str(path)],
                "textqa full": [sys.executable, "-m", "textqa", "check", "--select", "spelling",
                                "--spelling", "full", str(path)]}
        for name in ("codespell", "typos"):
            peer = command_peer(name)
            if peer.available and peer.executable is not None:
                argv[peer.label()] = [peer.executable, str(path)]
        methods = {k: command(v, env=env, ok=(0, 1, 2, 65)) for k, v in argv.items()}
        timings.append(compare(f"whole process on {s.name}", methods, baseline="textqa strict",
                               repeat=ctx.repeat, warmup=ctx.warmup,
                               work={"words": s.words}).to_dict())

    docs = ctx.shared_path("corpora", "cpython-docs-rst", "Doc")
    if docs is not None and not ctx.quick:
        tables.append(_docs_counts(docs, notes))
    return {
        "suite": NAME,
        "title": TITLE,
        "description": "Flags scored by span overlap with planted defects (the spelling-dev "
        "README rule); false flags per 10,000 words. Whole-process timings interleaved.",
        "data": "; ".join(f"{s.name}: {s.words} words, {len(s.defects)} defects" for s in sets),
        "notes": notes,
        "quality": quality,
        "tables": tables,
        "timings": timings,
    }


def _docs_counts(docs: Path, notes: list[str]) -> dict[str, Any]:
    files = [str(p) for p in sorted(docs.rglob("*.rst"))]
    env = python_env()
    rows = []
    argv = {"textqa strict": [sys.executable, "-m", "textqa", "check", "--select", "spelling"],
            "textqa full": [sys.executable, "-m", "textqa", "check", "--select", "spelling",
                            "--spelling", "full"]}
    for name, extra in (("codespell", []), ("typos", ["--format", "brief"])):
        peer = command_peer(name)
        if peer.available and peer.executable is not None:
            argv[peer.label()] = [peer.executable, *extra]
    for name, cmd in argv.items():
        out = subprocess.run([*cmd, *files], capture_output=True, env=env, check=False,
                             timeout=1800)
        n = sum(1 for line in out.stdout.splitlines() if re.match(rb"^[^\n]+?:\d+:", line))
        rows.append([name, n])
    notes.append("cpython-docs-rst: published documentation, so nearly every finding there is "
                 "a false alarm or a real typo the docs still carry")
    return {"name": f"findings on ../shared/corpora/cpython-docs-rst ({len(files)} files)",
            "columns": ["tool", "findings"], "rows": rows}

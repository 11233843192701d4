"""``repetition``: Gopher repetition metrics against datatrove, ``textqa check`` with only the
repetition rules against codespell on a Markdown tree, and cross-document boilerplate on the
CPython HTML docs against their DOM labels.

Metrics vs datatrove. datatrove is too big for textqa's environment, so it runs in its own
virtualenv (the interpreter named by ``TEXTQA_BENCH_DATATROVE_PYTHON``) as a
persistent worker process (``_datatrove_worker.py``) that loads the same documents once and
runs ``GopherRepetitionFilter.filter`` over all of them on each request. The parent times one
request per round, interleaved with textqa's ``repetition_metrics`` over the same documents
in-process (A B A B ...; the pipe round trip, well under a millisecond, is included in
datatrove's time). datatrove's filter stops at the first failing rule; textqa computes all
thirteen values of every document, so the comparison favours datatrove. When the worker can
import textqa's sources, textqa's ``compat="datatrove"`` (spaCy tokenization, exact values) is
timed in the same worker too.

Check vs codespell: whole processes over the same generated Markdown tree (about 10 MB in a
full run), ``textqa check --select repetition DIR`` against ``codespell DIR``.

Boilerplate: ``find_boilerplate`` (both passes) over the 498 pages of
``../shared/corpora/cpython-docs-html/blocks.jsonl.xz``; a block is predicted "template" when
at least half its characters lie in boilerplate spans; precision/recall against the blocks'
``r`` label.
"""

from __future__ import annotations

import contextlib
import json
import lzma
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import (
    command,
    command_peer,
    compare,
    peak_memory,
    python_env,
    venv_peer,
)
from benchmarks.suites._inside import parse_vs_rules

NAME = "repetition"
TITLE = "Repetition: Gopher metrics vs datatrove, check vs codespell, boilerplate quality"

_WORKER = Path(__file__).with_name("_datatrove_worker.py")


class _Worker:
    """The datatrove worker process (see the module docs)."""

    def __init__(self, python: str, docs: Path, src: Path) -> None:
        self.proc = subprocess.Popen(
            [python, str(_WORKER), str(docs), "--src", str(src)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._read()
        if ready != "ready":
            raise RuntimeError(f"datatrove worker did not start: {ready!r}")

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def ask(self, cmd: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if reply.startswith("error") or not reply:
            raise RuntimeError(f"datatrove worker: {cmd}: {reply!r}")
        return reply

    def method(self, cmd: str) -> Callable[[], str]:
        return lambda: self.ask(cmd)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            self.ask("quit")
        self.proc.wait(timeout=30)


def prepare_metrics(path: str) -> Callable[[], object]:
    """For `peak_memory`: the metrics of every document of a JSON Lines file, in memory."""
    from textqa.gopher import repetition_metrics

    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    return lambda: [repetition_metrics(t) for t in texts]


def prepare_boilerplate(path: str) -> Callable[[], object]:
    """For `peak_memory`: both boilerplate passes streaming the compressed corpus from disk."""
    from textqa.boilerplate import find_boilerplate
    from textqa.records import Record, iter_records

    def corpus() -> Any:
        for r in iter_records([path]):
            if isinstance(r, Record):
                yield str(r.id), r.text

    return lambda: find_boilerplate(corpus)


def _metrics_part(ctx: Context, out: dict[str, Any]) -> None:
    from textqa.gopher import repetition_metrics

    corpus = ctx.generated(ctx.size(15, 400), words=ctx.pick((200, 600), (300, 3000)))
    texts = [d.text for d in corpus.docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    path = ctx.scratch("repetition") / "metrics-docs.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), "utf-8")
    out["data"].append(
        f"metrics: {len(texts)} generated documents ({nbytes / 1e6:.1f} MB) from "
        f"{ctx.describe_base()}, {ctx.pick('200-600', '300-3000')} words each"
    )
    methods: dict[str, Callable[[], object]] = {
        "textqa": lambda: [repetition_metrics(t) for t in texts]
    }
    peer = venv_peer("datatrove", env_var="TEXTQA_BENCH_DATATROVE_PYTHON")
    worker = None
    if peer.available:
        assert peer.executable is not None
        worker = _Worker(peer.executable, path, ctx.repo / "src")
        methods[f"{peer.label()} GopherRepetitionFilter (own venv)"] = worker.method("filter")
        methods["textqa compat=datatrove (spaCy, datatrove's venv)"] = worker.method("compat")
    else:
        out["notes"].append(str(peer.note))
    try:
        ctx.log(f"repetition: metrics on {len(texts)} documents")
        cmp = compare(
            "Gopher repetition metrics over every document",
            methods,
            baseline="textqa",
            repeat=ctx.repeat,
            warmup=ctx.warmup,
            work={"documents": len(texts), "bytes": nbytes},
        )
        out["timings"].append(cmp.to_dict())
        if worker is not None:
            verdicts = json.loads(worker.ask("verdicts"))
            ours = [bool(repetition_metrics(t).passes()) for t in texts]
            theirs = [v is True for v in verdicts]
            agree = sum(a == b for a, b in zip(ours, theirs, strict=True))
            out["tables"].append({
                "name": "Gopher filter verdicts on the same documents (Table A1 thresholds)",
                "columns": ["definition", "documents kept", "documents removed"],
                "rows": [
                    ["textqa default", sum(ours), len(ours) - sum(ours)],
                    ["datatrove 0.10", sum(theirs), len(theirs) - sum(theirs)],
                    ["same verdict", agree, len(ours) - agree],
                ],
            })
    finally:
        if worker is not None:
            worker.close()
    if not ctx.quick:
        mem = peak_memory("benchmarks.suites.repetition:prepare_metrics", path=str(path))
        out["memory"].append({"name": "Gopher metrics, all documents", "methods": {
            "textqa": mem.to_dict()}})


def _check_part(ctx: Context, out: dict[str, Any]) -> None:
    corpus = ctx.generated(ctx.size(10, 1100), words=(700, 2200))
    folder = ctx.scratch("repetition") / "md-tree"
    paths = corpus.write(folder, suffix=".md")
    nbytes = sum(p.stat().st_size for p in paths)
    out["data"].append(
        f"check: a generated Markdown tree of {len(paths)} files ({nbytes / 1e6:.1f} MB)"
    )
    env = python_env()
    tools = {
        "textqa": command(
            [sys.executable, "-m", "textqa", "check", "--select", "repetition", str(folder)],
            env=env,
        )
    }
    peer = command_peer("codespell")
    if peer.available:
        assert peer.executable is not None
        tools[peer.label()] = command([peer.executable, str(folder)], env=env, ok=(0, 65))
    else:
        out["notes"].append(str(peer.note))
    ctx.log(f"repetition: check on {len(paths)} files")
    cmp = compare(
        "textqa check --select repetition vs codespell, whole process",
        tools,
        baseline="textqa",
        repeat=ctx.pick(2, 3),
        warmup=ctx.warmup,
        work={"files": len(paths), "bytes": nbytes},
    )
    out["timings"].append(cmp.to_dict())

    # where the time goes: parsing (shared by every rule family) vs the repetition rules
    texts = [(str(p), p.read_text("utf-8")) for p in paths]
    rows = parse_vs_rules(ctx, texts, ["repetition"], "the repetition rules")
    out["tables"].append({
        "name": "Inside textqa check --select repetition (in-process, same tree, median of "
        "interleaved rounds)",
        "columns": ["stage", "seconds", "MB/s"],
        "rows": rows,
    })


def _label_blocks(page: dict[str, Any]) -> list[tuple[int, int, bool]]:
    """``(start, end, is_template)`` of each block in the page text (blocks are joined with
    blank lines in document order)."""
    out = []
    pos = 0
    text = page["text"]
    for block in page["blocks"]:
        start = text.index(block["t"], pos)
        end = start + len(block["t"])
        out.append((start, end, block["r"] == "template"))
        pos = end
    return out


def _boilerplate_part(ctx: Context, out: dict[str, Any]) -> None:
    from textqa.boilerplate import BoilerplateCounter, find_boilerplate

    path = ctx.shared_path("corpora", "cpython-docs-html", "blocks.jsonl.xz")
    if path is None:
        out["notes"].append("boilerplate: ../shared/corpora/cpython-docs-html absent; skipped")
        return
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh]
    pages = pages[: ctx.size(40, len(pages))]
    docs = [(p["id"], p["text"]) for p in pages]
    blocks = [_label_blocks(p) for p in pages]
    out["data"].append(
        f"boilerplate: {len(pages)} pages of the CPython 3.11 HTML docs "
        f"({sum(len(b) for b in blocks)} labelled blocks)"
    )
    ctx.log(f"repetition: boilerplate on {len(pages)} pages")
    cmp = compare(
        "find_boilerplate, both passes, pages in memory",
        {"textqa": lambda: find_boilerplate(lambda: docs)},
        repeat=ctx.repeat,
        warmup=ctx.warmup,
        work={"documents": len(docs), "bytes": sum(len(t.encode()) for _, t in docs)},
    )
    out["timings"].append(cmp.to_dict())

    counter = BoilerplateCounter()
    for _, text in docs:
        counter.add(text)
    rows = []
    quality: dict[str, dict[str, float]] = {}
    for min_docs in ctx.pick((3,), (2, 3, 10, 0.1, 0.3)):
        tp = fp = fn = tn = 0
        for (doc_id, text), labelled in zip(docs, blocks, strict=True):
            spans = counter.document(doc_id, text, min_docs=min_docs).spans
            for start, end, template in labelled:
                covered = sum(
                    max(0, min(end, s.end) - max(start, s.start)) for s in spans
                )
                predicted = covered * 2 >= end - start
                tp += predicted and template
                fp += predicted and not template
                fn += template and not predicted
                tn += not predicted and not template
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        label = f"min_docs={min_docs:g}"
        rows.append([label, counter.threshold(min_docs), tp, fp, fn, f"{p:.3f}", f"{r:.3f}",
                     f"{f1:.3f}"])
        quality[f"textqa {label}"] = {"precision": p, "recall": r, "f1": f1}
    out["tables"].append({
        "name": "Boilerplate blocks vs the 'template' DOM label (a block is predicted "
        "boilerplate when half its characters are covered)",
        "columns": ["setting", "documents needed", "TP", "FP", "FN", "precision", "recall", "F1"],
        "rows": rows,
    })
    out["quality"].append({"name": "template blocks of the CPython HTML docs",
                           "methods": quality})
    if not ctx.quick:
        mem = peak_memory("benchmarks.suites.repetition:prepare_boilerplate", path=str(path))
        out["memory"].append({"name": "boilerplate, streaming the compressed corpus twice",
                              "methods": {"textqa": mem.to_dict()}})


def run(ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {
        "suite": NAME,
        "title": TITLE,
        "description": "Interleaved timing in one run. datatrove runs in its own virtualenv as "
        "a persistent worker process answering one timed request per round; textqa runs "
        "in-process. Ratios: peer time / textqa time.",
        "data": [],
        "notes": [],
        "timings": [],
        "memory": [],
        "quality": [],
        "tables": [],
    }
    _metrics_part(ctx, out)
    _check_part(ctx, out)
    _boilerplate_part(ctx, out)
    out["data"] = "; ".join(out["data"])
    return out

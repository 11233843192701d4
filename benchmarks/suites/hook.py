"""``hook``: whole-process wall time of ``textqa check`` over a docs tree, as a pre-commit
hook runs it, against ``codespell`` and ``typos`` on the same files.

The tree is ``../shared/corpora/cpython-docs-rst`` (497 reStructuredText files, 12 MB) when
present, else a generated Markdown tree. Every tool gets the same explicit file list (that is
how pre-commit calls hooks), default settings, output to a file. Scaling: the same comparison
on evenly spaced subsets of the files. Also reported: peak RSS of each tool (GNU time), how
many findings each prints on the tree (on published docs, mostly false alarms), and how one
textqa process splits its time between parsing and the rules.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import (
    CommandResult,
    command,
    command_peak_rss,
    command_peer,
    compare,
    python_env,
)
from benchmarks.suites._inside import parse_vs_rules

NAME = "hook"
TITLE = "Pre-commit hook: whole-process wall time on a docs tree"

_FINDING_LINE = re.compile(rb"^[^\n]+?:\d+:", re.MULTILINE)
_TEXTQA_CODE = re.compile(rb"^[^\n]+?:\d+:\d+: (TQ\d+) (\S+?):", re.MULTILINE)


def _sample(files: list[Path], n: int) -> list[Path]:
    """``n`` files evenly spaced over the sorted list (all of them when ``n >= len``).

    >>> [p.name for p in _sample([Path(str(i)) for i in range(10)], 3)]
    ['0', '3', '6']
    """
    if n >= len(files):
        return list(files)
    return [files[i * len(files) // n] for i in range(n)]


def _tree(ctx: Context) -> tuple[list[Path], str]:
    docs = ctx.shared_path("corpora", "cpython-docs-rst", "Doc")
    if docs is not None:
        files = sorted(docs.rglob("*.rst"))
        if files:
            return files, "CPython documentation sources (../shared/corpora/cpython-docs-rst)"
    corpus = ctx.generated(ctx.pick(40, 400))
    folder = ctx.scratch("hook") / "tree"
    paths = corpus.write(folder, suffix=".md")
    return sorted(paths), f"a generated Markdown tree from {ctx.describe_base()}"


def run(ctx: Context) -> dict[str, Any]:
    all_files, source = _tree(ctx)
    # the whole tree (the headline) plus smaller evenly spaced subsets for the scaling curve;
    # --scale shrinks them all (a full-scale run takes several minutes on a busy 2-core machine)
    sizes = sorted({min(n, len(all_files)) for n in ctx.size((4, 12), (62, 124, 248, 497))})
    env = python_env()
    notes: list[str] = []
    # the default (one worker per CPU for a tree this size) and one process, for the per-core view
    tools: dict[str, list[str]] = {
        "textqa": [sys.executable, "-m", "textqa", "check"],
        "textqa --jobs 1": [sys.executable, "-m", "textqa", "check", "--jobs", "1"],
    }
    for name, extra in (("codespell", []), ("typos", ["--format", "brief"])):
        peer = command_peer(name)
        if not peer.available:
            notes.append(str(peer.note))
            continue
        assert peer.executable is not None
        tools[peer.label()] = [peer.executable, *extra]
    if any(n.startswith("typos") for n in tools):
        notes.append("typos runs with its default thread pool (it is multi-threaded); textqa "
                     "by default checks a tree of 1 MB or more in one worker process per CPU "
                     "(`textqa --jobs 1` is the single-process figure); codespell uses one core")

    timings = []
    scaling: dict[str, list[list[float]]] = {name: [] for name in tools}
    largest: dict[str, list[CommandResult]] = {}
    largest_files: list[str] = []
    for n in sizes:
        files = [str(p) for p in _sample(all_files, n)]
        nbytes = sum(Path(f).stat().st_size for f in files)
        runs: dict[str, list[CommandResult]] = {name: [] for name in tools}
        methods = {
            name: command([*argv, *files], env=env, ok=(0, 1, 2, 65), results=runs[name])
            for name, argv in tools.items()
        }
        ctx.log(f"hook: {n} files, {nbytes / 1e6:.1f} MB")
        # the largest tree is the headline (warm-up + 3 rounds); smaller trees only draw the
        # scaling curve (2 rounds, no warm-up: the interpreter and page cache are warm by then)
        last = n == sizes[-1]
        cmp = compare(f"{n} files, {nbytes / 1e6:.1f} MB", methods, baseline="textqa",
                      repeat=ctx.pick(2, 3) if last else ctx.pick(1, 2),
                      warmup=ctx.warmup if last else 0,
                      work={"files": n, "bytes": nbytes})
        for name, t in cmp.timings.items():
            scaling[name].append([nbytes / 1e6, t.median])
        if n == sizes[-1]:
            timings.append(cmp.to_dict())
            largest = runs
            largest_files = files
    first = largest["textqa"][0] if largest.get("textqa") else None
    if first is not None and first.returncode == 2:
        raise RuntimeError(f"textqa check failed: {first.stderr.decode()[-300:]}")

    rows = []
    for name, argv in tools.items():
        done = largest.get(name) or []
        out = done[0].stdout if done else b""
        rss = None if ctx.quick else command_peak_rss([*argv, *largest_files], env=env)
        rows.append([
            name,
            len(_FINDING_LINE.findall(out)),
            f"{rss / 2**20:.1f} MiB" if rss is not None else "–",
        ])
    textqa_out = largest["textqa"][0].stdout if largest.get("textqa") else b""
    by_code = Counter(
        (m.group(1).decode(), m.group(2).decode()) for m in _TEXTQA_CODE.finditer(textqa_out)
    )
    code_rows = [[code, name, n] for (code, name), n in sorted(by_code.items())]
    if ctx.quick:
        notes.append("quick mode: peak RSS not measured")
    elif any(r[2] == "–" for r in rows):
        notes.append("peak RSS needs GNU time (/usr/bin/time); not measured where shown as –")

    split_rows = _inside(ctx, largest_files)

    # start-up: the whole process on one small Markdown file (what a commit touching one doc
    # costs), then the targets read off the two comparisons
    small = ctx.scratch("hook") / "small.md"
    small.write_text(_SMALL_DOC, "utf-8")
    startup = compare(
        "start-up: one small file",
        {name: command([*argv, str(small)], env=env, ok=(0, 1, 2, 65)) for name, argv in
         tools.items()},
        baseline="textqa", repeat=ctx.pick(2, 15), warmup=1, work={"files": 1},
    )
    timings.append(startup.to_dict())
    target_rows = _targets(timings[0]["methods"] if timings else {}, startup.to_dict()["methods"])
    return {
        "suite": NAME,
        "title": TITLE,
        "description": "Each tool is one fresh process over the same explicit file list, timed "
        "from spawn to exit, interleaved. Ratios: tool time / textqa time.",
        "data": f"{source}: {len(all_files)} files",
        "notes": notes,
        "timings": timings,
        "scaling": [{"name": "wall time by tree size", "x": "MB of text", "y": "seconds",
                     "series": scaling}],
        "tables": [{"name": f"Findings printed and peak RSS on the {sizes[-1]}-file tree",
                    "columns": ["tool", "finding lines", "peak RSS"], "rows": rows},
                   {"name": "textqa findings by rule on that tree",
                    "columns": ["code", "rule", "findings"], "rows": code_rows},
                   {"name": "Inside textqa check on that tree (in-process, one core, median "
                    "of interleaved rounds)", "columns": ["stage", "seconds", "MB/s"],
                    "rows": split_rows},
                   {"name": "Targets (issue: pre-commit hook and CLI)",
                    "columns": ["target", "measured", "met"], "rows": target_rows}],
    }


def _inside(ctx: Context, files: list[str]) -> list[list[str]]:
    """Where one process spends its time on ``files``: parsing (which every rule family reads:
    the masks decide what is prose) against the default rules on the parsed documents."""
    texts = [(f, Path(f).read_text("utf-8")) for f in files]
    return parse_vs_rules(ctx, texts, None, "the default rules")


_SMALL_DOC = (
    "# Notes\n\nA short page, as a commit touching one document hands to the hook.\n\n"
    "It holds a few clean sentences and nothing to report.\n"
)


def _targets(tree: dict[str, Any], startup: dict[str, Any]) -> list[list[str]]:
    """Rows ``[target, measured, met]`` from the medians of the tree and start-up comparisons.

    >>> _targets({"textqa": {"median": 2.0}, "codespell 2": {"median": 4.0}},
    ...          {"textqa": {"median": 0.1}})[0]
    ['textqa check wall time < codespell on the tree', '2.00 s vs 4.00 s (0.50x)', 'yes']
    """
    rows = []
    ours = tree.get("textqa", {}).get("median")
    for peer in ("codespell", "typos"):
        name = next((n for n in tree if n.startswith(peer)), None)
        if ours is None or name is None:
            continue
        theirs = tree[name]["median"]
        measured = f"{ours:.2f} s vs {theirs:.2f} s ({ours / theirs:.2f}x)"
        if peer == "codespell":
            rows.append(["textqa check wall time < codespell on the tree", measured,
                         "yes" if ours < theirs else "no"])
        else:
            rows.append(["ratio to typos (reported, no target)", measured, "–"])
    start = startup.get("textqa", {}).get("median")
    if start is not None:
        rows.append(["start-up on one small file < 150 ms (whole process)",
                     f"{start * 1000:.0f} ms", "yes" if start < 0.150 else "no"])
    return rows

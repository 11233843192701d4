"""Write a run's results: ``results.json``, ``report.md`` and PNG plots under ``--out``.

The Markdown renders every section of the suite result schema (see
:mod:`benchmarks.suites`); plots need matplotlib (in the ``bench`` extra) and are skipped with a
note when it is missing. All files are written atomically (temporary file, then rename).
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO

__all__ = [
    "REPORT_END",
    "REPORT_START",
    "machine",
    "render_markdown",
    "splice_into_docs",
    "write_atomic",
    "write_report",
]


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO, capture_output=True, text=True, timeout=10, check=False,
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def machine() -> dict[str, Any]:
    """The machine and software a run measured on."""
    from textqa import __version__

    mem = _memory_gib()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1) if mem else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "textqa": __version__,
        "commit": _git_commit(),
    }


# -- Markdown -------------------------------------------------------------------------------


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞"
        if value == int(value) and abs(value) >= 100:
            return f"{int(value):,}"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return out


def _ratio_text(ratio: float, baseline: str = "textqa") -> str:
    """How the baseline compares, from ``ratio = other median / baseline median``.

    >>> _ratio_text(2.0), _ratio_text(0.25, "textqa check")
    ('textqa 2.00× faster', 'textqa check 4.00× slower')
    """
    if ratio >= 1:
        return f"{baseline} {ratio:.2f}× faster"
    return f"{baseline} {1 / ratio:.2f}× slower" if ratio > 0 else "–"


def _render_suite(res: Mapping[str, Any]) -> list[str]:
    lines = [f"## {res.get('title') or res['suite']}", ""]
    if res.get("description"):
        lines += [str(res["description"]), ""]
    if res.get("data"):
        lines += [f"Data: {res['data']}", ""]
    if res.get("error"):
        lines += ["**The suite failed:**", "", "```", str(res["error"]).rstrip(), "```", ""]
    for t in res.get("timings", []):
        base = t["baseline"]
        work = ", ".join(f"{_fmt(v)} {k}" for k, v in (t.get("work") or {}).items())
        lines += [f"**{t['name']}**" + (f" ({work} per call)" if work else ""), ""]
        rows = []
        for m, s in t["methods"].items():
            ratio = t["ratios"].get(m)
            vs = "–" if ratio is None else _ratio_text(ratio, base)
            rows.append([
                m, _fmt_time(s["median"]), _fmt_time(s["min"]), _fmt_time(s["max"]), s["n"],
                "baseline" if m == base else vs,
            ])
        lines += _table(["method", "median", "min", "max", "runs", f"vs {base}"], rows)
        lines.append("")
    for mem in res.get("memory", []):
        lines += [f"**Peak memory: {mem['name']}** (above the loaded baseline, fresh process)", ""]
        rows = [[m, f"{s['peak_mib']:.1f} MiB", f"{s.get('baseline_mib', 0):.1f} MiB"]
                for m, s in mem["methods"].items()]
        lines += [*_table(["method", "peak above baseline", "baseline"], rows), ""]
    for q in res.get("quality", []):
        keys: list[str] = []
        for s in q["methods"].values():
            keys += [k for k in s if k not in keys]
        order: list[str] = [k for k in ("precision", "recall", "f1") if k in keys]
        order += [k for k in keys if k not in order]
        lines += [f"**Quality: {q['name']}**", ""]
        rows = [[m, *(s.get(k) for k in order)] for m, s in q["methods"].items()]
        lines += [*_table(["method", *order], rows), ""]
    for sc in res.get("scaling", []):
        xs = sorted({x for pts in sc["series"].values() for x, _ in pts})
        lines += [f"**Scaling: {sc['name']}** ({sc.get('y', 'seconds')} by {sc.get('x', 'size')})",
                  ""]
        rows = []
        for m, pts in sc["series"].items():
            by_x = {float(x): y for x, y in pts}
            rows.append([m, *(by_x.get(x) for x in xs)])
        lines += [*_table([sc.get("x", "size"), *(_fmt(x) for x in xs)], rows), ""]
    for tb in res.get("tables", []):
        lines += [f"**{tb['name']}**", "", *_table(tb["columns"], tb["rows"]), ""]
    if res.get("notes"):
        lines += ["Notes:", ""] + [f"- {n}" for n in res["notes"]] + [""]
    return lines


def _headlines(results: Sequence[Mapping[str, Any]]) -> list[str]:
    rows = []
    for res in results:
        for t in res.get("timings", []):
            for m, ratio in t.get("ratios", {}).items():
                base = t["baseline"]
                rows.append([res["suite"], t["name"], f"{base} vs {m}", _ratio_text(ratio, base)])
    if not rows:
        return []
    return ["## Headline ratios (median time of the other method / median time of the baseline)",
            "", *_table(["suite", "measurement", "comparison", "result"], rows), ""]


def render_markdown(meta: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> str:
    """The Markdown report of a run."""
    m = meta["machine"]
    lines = [
        "# textqa benchmark report",
        "",
        f"Run {meta['date']} with `{meta['command']}`"
        + (" (quick mode: small sizes, indicative only)" if meta.get("quick") else "") + ".",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {_fmt(m['memory_gib'])} GiB RAM, {m['os']}, "
        f"{m['python']}; textqa {m['textqa']}"
        + (f" (commit {m['commit']})" if m.get("commit") else "") + ".",
        "",
    ]
    peers = meta.get("peers") or {}
    if peers:
        lines += ["Peers: " + ", ".join(f"{k} {v}" if v else f"{k} (missing)"
                                        for k, v in sorted(peers.items())) + ".", ""]
    lines += [
        "Method: methods are timed interleaved (A B A B ...) in the same process run, one "
        "warm-up round discarded; tables give the median and min/max of the timed rounds. "
        "Peak memory is measured per method in a fresh process, above the process's baseline "
        "after loading libraries and data.",
        "",
    ]
    lines += _headlines(results)
    for res in results:
        lines += _render_suite(res)
    return "\n".join(lines).rstrip() + "\n"


# -- plots ----------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plot"


def _plots(results: Sequence[Mapping[str, Any]], folder: Path) -> tuple[list[Path], list[str]]:
    wanted = [r for r in results if r.get("scaling") or r.get("quality")]
    if not wanted:
        return [], []
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return [], ["plots skipped: matplotlib is not installed (pip install 'textqa[bench]')"]
    paths: list[Path] = []
    for res in wanted:
        for sc in res.get("scaling", []):
            fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
            for m, series in sc["series"].items():
                pts = sorted(series)
                ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", label=m)
            ax.set_xlabel(sc.get("x", "size"))
            ax.set_ylabel(sc.get("y", "seconds"))
            ax.set_title(f"{res['suite']}: {sc['name']}")
            ax.grid(alpha=0.3)
            ax.legend()
            paths.append(_save(fig, folder / f"{res['suite']}-{_slug(sc['name'])}.png", plt))
        for q in res.get("quality", []):
            methods = list(q["methods"])
            keys = [k for k in ("precision", "recall", "f1")
                    if any(q["methods"][m].get(k) is not None for m in methods)]
            if not keys:
                continue
            fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
            width = 0.8 / len(keys)
            for i, k in enumerate(keys):
                vals = [q["methods"][m].get(k) or 0.0 for m in methods]
                ax.bar([j + i * width for j in range(len(methods))], vals, width, label=k)
            ax.set_xticks([j + width * (len(keys) - 1) / 2 for j in range(len(methods))])
            ax.set_xticklabels(methods, rotation=20, ha="right")
            ax.set_ylim(0, 1.05)
            ax.set_title(f"{res['suite']}: {q['name']}")
            ax.legend()
            paths.append(_save(fig, folder / f"{res['suite']}-{_slug(q['name'])}-quality.png", plt))
    return paths, []


def _save(fig: Any, path: Path, plt: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".png")
    os.close(fd)
    fig.savefig(tmp, metadata={"Software": None})
    plt.close(fig)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def write_report(
    results: Sequence[Mapping[str, Any]],
    out: Path,
    *,
    command: str,
    quick: bool,
    peers: Mapping[str, str | None] | None = None,
    plots: bool = True,
) -> dict[str, Any]:
    """Write ``results.json``, ``report.md`` and ``plots/*.png`` to ``out``; returns the
    metadata written (with the list of files)."""
    meta: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "quick": quick,
        "machine": machine(),
        "peers": dict(peers or {}),
        "python_executable": sys.executable,
    }
    plot_paths, plot_notes = _plots(results, out / "plots") if plots else ([], [])
    meta["plots"] = [str(p.relative_to(out)) for p in plot_paths]
    meta["notes"] = plot_notes
    md = render_markdown(meta, results)
    if plot_paths or plot_notes:
        md += "\n## Plots\n\n" + "".join(f"- `{p}`\n" for p in meta["plots"])
        md += "".join(f"- {n}\n" for n in plot_notes)
    write_atomic(out / "report.md", md)
    write_atomic(
        out / "results.json",
        json.dumps({"meta": meta, "results": list(results)}, indent=1, sort_keys=True) + "\n",
    )
    return meta


REPORT_START = "<!-- benchmark report: start (python -m benchmarks ... --docs) -->"
REPORT_END = "<!-- benchmark report: end -->"


def splice_into_docs(report_md: str, page: Path) -> None:
    """Replace the report between the markers of ``page`` (``docs/benchmarks.md``) with
    ``report_md``, headings moved one level down. Raises ``ValueError`` without the markers.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "b.md"
    ...     _ = p.write_text(f"# B\\n\\n{REPORT_START}\\nold\\n{REPORT_END}\\ntail\\n")
    ...     splice_into_docs("# R\\n\\n## S\\n", p)
    ...     print(p.read_text())
    # B
    <BLANKLINE>
    <!-- benchmark report: start (python -m benchmarks ... --docs) -->
    ## R
    <BLANKLINE>
    ### S
    <!-- benchmark report: end -->
    tail
    <BLANKLINE>
    """
    text = page.read_text(encoding="utf-8")
    if REPORT_START not in text or REPORT_END not in text:
        raise ValueError(f"{page}: the report markers are missing")
    head, rest = text.split(REPORT_START, 1)
    _, tail = rest.split(REPORT_END, 1)
    body = re.sub(r"^(#+) ", r"#\1 ", report_md.strip(), flags=re.MULTILINE)
    write_atomic(page, f"{head}{REPORT_START}\n{body}\n{REPORT_END}{tail}")

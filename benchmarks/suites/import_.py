"""``import``: whole-process start-up of the textqa CLI against reference processes.

Every method is one fresh process, timed wall-clock from spawn to exit, interleaved:
``python -m textqa check <small file>``, ``python -m textqa rules``, the bare interpreter
(``python -c pass``), ``python -c "import numpy"`` (a common heavy import), and the start-up of
``codespell`` and ``typos`` on the same small file. A second table lists which heavy modules
the ``check`` path imports, and the slowest top-level imports (``python -X importtime``).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import (
    CommandResult,
    command,
    command_peak_rss,
    command_peer,
    compare,
    python_env,
    run_command,
)

NAME = "import"
TITLE = "Start-up time (import)"

#: modules that must stay off the plain ``textqa check`` path (STYLE.md: import cost)
HEAVY = ("numpy", "scipy", "datasketch", "rapidfuzz", "ftfy", "matplotlib", "pandas", "dask")

_SMALL_TEXT = (
    "A short note.\n\nThis file is checked to measure how long the command takes to start, "
    "so it holds only a few clean sentences.\n"
)

_PROBE = (
    "import json, sys\n"
    "from textqa.cli import main\n"
    "rc = main(['check', sys.argv[1]])\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n"
)


def _probe(small: str, env: dict[str, str]) -> tuple[set[str], dict[str, tuple[int, int]]]:
    """Run ``textqa check`` once under ``python -X importtime``: the modules it loaded, and
    ``module -> (cumulative µs, nesting depth)``. Raises ``RuntimeError`` if the check fails."""
    res = run_command([sys.executable, "-X", "importtime", "-c", _PROBE, small], env=env)
    if res.returncode not in (0, 1):
        raise RuntimeError(f"textqa check failed: {res.stderr.decode()[-300:]}")
    text = res.stderr.decode("utf-8", "replace")
    head, _, modules = text.rpartition("\n")
    times: dict[str, tuple[int, int]] = {}
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")
    for line in head.splitlines():
        m = pattern.match(line)
        if m:
            times.setdefault(m.group(4), (int(m.group(2)), len(m.group(3)) // 2))
    return set(json.loads(modules)), times


def run(ctx: Context) -> dict[str, Any]:
    env = python_env()
    folder = ctx.scratch("import")
    small = folder / "small.txt"
    small.write_text(_SMALL_TEXT, encoding="utf-8")
    py = sys.executable
    results: dict[str, list[CommandResult]] = {}

    def cmd(name: str, argv: list[str]) -> Any:
        results[name] = []
        return command(argv, env=env, results=results[name])

    methods = {
        "textqa check": cmd("textqa check", [py, "-m", "textqa", "check", str(small)]),
        "textqa rules": cmd("textqa rules", [py, "-m", "textqa", "rules"]),
        "python -c 'import textqa'": cmd("python -c 'import textqa'",
                                         [py, "-c", "import textqa"]),
        "python -c pass": cmd("python -c pass", [py, "-c", "pass"]),
        "python -c 'import numpy'": cmd("python -c 'import numpy'", [py, "-c", "import numpy"]),
    }
    notes: list[str] = []
    for name in ("codespell", "typos"):
        peer = command_peer(name)
        if not peer.available:
            notes.append(str(peer.note))
            continue
        assert peer.executable is not None
        results[peer.label()] = []
        # both exit non-zero when they find something; the file is clean, but accept it
        methods[peer.label()] = command([peer.executable, str(small)], env=env,
                                        ok=(0, 1, 2, 65), results=results[peer.label()])
    ctx.log(f"import: {len(methods)} processes x {ctx.warmup + ctx.pick(2, 15)} rounds")
    comparison = compare(
        "whole-process start-up, small file",
        methods,
        baseline="textqa check",
        repeat=ctx.pick(2, 15),
        warmup=ctx.warmup,
        work={"bytes": len(_SMALL_TEXT.encode())},
    )
    rss_rows = []
    for name, runs in results.items():
        rss = command_peak_rss(runs[0].argv, env=env) if runs and not ctx.quick else None
        rss_rows.append([name, f"{rss / 2**20:.1f} MiB" if rss is not None else "–"])
    if ctx.quick:
        notes.append("quick mode: peak RSS not measured")
    elif any(row[1] == "–" for row in rss_rows):
        notes.append("peak RSS needs GNU time (/usr/bin/time); not measured where shown as –")

    loaded, times = _probe(str(small), env)
    heavy_rows = [
        [m, m in loaded, round(times[m][0] / 1000, 1) if m in times else None] for m in HEAVY
    ]
    top = sorted(((us, name) for name, (us, depth) in times.items() if depth == 0),
                 reverse=True)[:10]
    on_path = [m for m in HEAVY if m in loaded]
    if on_path:
        notes.append("modules from the heavy list imported by a plain `textqa check`: "
                     f"{', '.join(on_path)} (import times in the table)")

    return {
        "suite": NAME,
        "title": TITLE,
        "description": "Wall time of fresh processes from spawn to exit (the pre-commit hook "
        "starts one per run). Ratios: reference time / `textqa check` time.",
        "data": f"a {len(_SMALL_TEXT)}-character clean text file",
        "notes": notes,
        "timings": [comparison.to_dict()],
        "tables": [
            {"name": "Peak RSS of the whole process (one run each, under GNU time)",
             "columns": ["process", "peak RSS"], "rows": rss_rows},
            {"name": f"Heavy modules on the `textqa check` path ({len(loaded)} modules "
                     "loaded in total)",
             "columns": ["module", "imported", "import ms"], "rows": heavy_rows},
            {"name": "Slowest top-level imports of `textqa check` (python -X importtime)",
             "columns": ["module", "cumulative ms"],
             "rows": [[name, round(us / 1000, 1)] for us, name in top]},
        ],
    }

"""``python -m benchmarks [SUITE...] [--corpus PATH] [--quick] [--out DIR]``.

Runs the named suites (all by default) and writes ``results.json``, ``report.md`` and
``plots/*.png`` to ``--out``. Exit codes: 0 all suites ran, 1 a suite failed (its error is in
the report), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["PEERS", "main", "peer_versions", "run_suites"]

#: peers listed in the report header (name -> how to find it)
PEERS = ("datasketch", "rensa", "datatrove", "text-dedup", "codespell", "typos", "ftfy")


def peer_versions() -> dict[str, str | None]:
    """Version of each known peer, ``None`` when unavailable."""
    from benchmarks.harness import command_peer, python_peer, venv_peer

    out: dict[str, str | None] = {}
    for name in PEERS:
        if name in ("codespell", "typos"):
            peer = command_peer(name)
        elif name == "datatrove":
            peer = venv_peer("datatrove", env_var="TEXTQA_BENCH_DATATROVE_PYTHON")
            if not peer.available:
                peer = python_peer("datatrove")
        elif name == "text-dedup":
            peer = python_peer("text-dedup", "text_dedup")
        else:
            peer = python_peer(name)
        out[name] = (peer.version or "installed") if peer.available else None
    return out


def run_suites(names: Sequence[str], ctx: Any) -> list[dict[str, Any]]:
    """Run suites by name in report order; a failing suite becomes a result with ``error``."""
    from benchmarks.suites import discover, validate

    suites = discover()
    results: list[dict[str, Any]] = []
    for name, module in suites.items():
        if names and name not in names:
            continue
        ctx.log(f"suite {name} ...")
        t0 = time.perf_counter()
        try:
            result = dict(module.run(ctx))
            result.setdefault("suite", name)
            result.setdefault("title", getattr(module, "TITLE", name))
            validate(result)
        except Exception:
            result = {"suite": name, "title": getattr(module, "TITLE", name),
                      "error": traceback.format_exc(limit=8)}
        result["seconds"] = round(time.perf_counter() - t0, 3)
        ctx.log(f"suite {name}: {'FAILED' if 'error' in result else 'done'} "
                f"in {result['seconds']:.1f} s")
        results.append(result)
    return results


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark textqa against its peers (speed, memory, quality).",
    )
    p.add_argument("suites", nargs="*", metavar="SUITE",
                   help="suites to run (default: all; see --list)")
    p.add_argument("--corpus", type=Path, metavar="PATH",
                   help="base prose for generated corpora: a folder of text files or a JSON "
                        "Lines file with a 'text' field (default: ../shared CPython docs, "
                        "else seeds/)")
    p.add_argument("--quick", action="store_true",
                   help="small sizes and few rounds: the whole run takes under a minute")
    p.add_argument("--scale", type=float, default=1.0, metavar="F",
                   help="multiply the full-run data sizes by F (e.g. 0.1 for a run of minutes; "
                        "ignored with --quick)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output folder (default: bench-out/ in the repository)")
    p.add_argument("--seed", type=int, default=0, help="seed for generated corpora (default 0)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--docs", action="store_true",
                   help="also put the Markdown report into docs/benchmarks.md")
    p.add_argument("--list", action="store_true", help="list the suites and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks.context import Context
    from benchmarks.harness import REPO
    from benchmarks.report import splice_into_docs, write_report
    from benchmarks.suites import discover

    parser = build_parser()
    args = parser.parse_args(argv)
    suites = discover()
    if args.list:
        for name, module in suites.items():
            print(f"{name:15} {getattr(module, 'TITLE', '')}")
        return 0
    unknown = [s for s in args.suites if s not in suites]
    if unknown:
        print(f"benchmarks: error: unknown suite(s) {', '.join(unknown)}; "
              f"known: {', '.join(suites)}", file=sys.stderr)
        return 2
    if args.corpus is not None and not args.corpus.exists():
        print(f"benchmarks: error: --corpus {args.corpus}: no such file or folder",
              file=sys.stderr)
        return 2
    if not args.scale > 0:
        print("benchmarks: error: --scale must be positive", file=sys.stderr)
        return 2
    out = (args.out or REPO / "bench-out").resolve()
    ctx = Context(quick=args.quick, scale=args.scale, out=out, corpus=args.corpus, seed=args.seed,
                  verbose=not args.quiet)
    results = run_suites(args.suites, ctx)
    # the exact command, with the TEXTQA_BENCH_* settings (peer interpreters, disabled peers)
    env = [f"{k}={shlex.quote(v)}" for k, v in sorted(os.environ.items())
           if k.startswith("TEXTQA_BENCH_") or k == "TEXTQA_SHARED"]
    shown = " ".join([*env, "python -m benchmarks",
                      shlex.join(sys.argv[1:] if argv is None else argv)])
    write_report(results, out, command=shown.strip(), quick=args.quick,
                 peers=peer_versions(), plots=not args.no_plots)
    ctx.log(f"report: {out / 'report.md'}")
    if args.docs:
        page = REPO / "docs" / "benchmarks.md"
        splice_into_docs((out / "report.md").read_text(encoding="utf-8"), page)
        ctx.log(f"report copied into {page}")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

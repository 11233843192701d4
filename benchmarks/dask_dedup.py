"""Dask scale-out benchmark: ``textqa dedup`` in one process vs ``--dask local:N``, side by side.

Usage::

    python -m benchmarks.dask_dedup --docs 100000 --workers 2 --rounds 3

Generates a seeded corpus (real prose from ``../shared/corpora/debian-prose``, ``--base``, with
planted near-duplicates, via :mod:`benchmarks.generate`) as JSON Lines, then alternates, round
by round, two runs of the same job:

* **single process**: ``textqa dedup FILE`` in a fresh interpreter. Its *job time* runs from
  just before the command starts to its end, with numpy and textqa's modules already
  imported; the *command time* is the whole process. Peak memory is the process's peak RSS;
* **Dask**: the same job on the cluster ``textqa dedup FILE --dask local:N`` starts (N worker
  processes of one thread each, see :func:`textqa.dask.connect`), on partitions of
  :func:`textqa.dask.balanced_blocksize` (or ``--blocksize``). Its job time is the
  ``deduplicate`` call on the running cluster, whose workers have imported the same modules;
  the cluster start is reported apart. Peak memory is each worker's peak RSS.

**Per core**: the single process computes on one core, so its docs/s per core is its docs/s;
the cluster computes on N worker processes, one per core, so its docs/s per core is its docs/s
divided by N. (The client process, which also runs the scheduler, is not counted as a core;
its CPU seconds are printed.) The ratio printed is single per-core docs/s / Dask per-core
docs/s: 1.0 means perfect scaling, the target is at most 1.5. The run checks that both give the
same clusters (keep, members, pairs and Jaccard values) and prints the median of the rounds and
the load average of the machine, since other work on the cores slows the cluster more than the
single process. Before each round it measures how many of the N cores are free
(:func:`free_cores`): a cluster of N workers cannot go faster than the cores it gets.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT.parent / "shared" / "corpora" / "debian-prose"
_MARK = "textqa-bench-job-seconds"
#: the modules a job imports, loaded before either timing starts (single process and workers)
_MODULES = ("numpy", "textqa.dedup", "textqa.minhash", "textqa.lsh", "textqa.records")
_SINGLE = (
    "import importlib, resource, sys, time\n"
    "from textqa.cli import main\n"
    f"for m in {(*_MODULES, 'textqa.commands.dedup')!r}: importlib.import_module(m)\n"
    "t = time.perf_counter()\n"
    "rc = main(sys.argv[1:])\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    f"print('{_MARK}', time.perf_counter() - t, u.ru_maxrss * 1024, u.ru_utime + u.ru_stime, "
    "file=sys.stderr)\n"
    "raise SystemExit(rc)\n"
)


def make_corpus(path: Path, n_docs: int, seed: int, base: Path) -> None:
    from benchmarks.generate import generate, load_base

    corpus = generate(load_base(base), n_docs=n_docs, seed=seed)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for k, d in enumerate(corpus.docs):
            fh.write(json.dumps({"id": f"doc{k:07d}", "text": d.text}) + "\n")
    tmp.replace(path)


_SPIN = (
    "import time\n"
    "t = time.perf_counter()\n"
    "sum(i * i for i in range(4_000_000))\n"
    "print(time.perf_counter() - t)\n"
)


def free_cores(n: int) -> float:
    """How many of ``n`` cores this machine gives at the moment: a fixed CPU-bound loop run
    alone, then ``n`` copies at once; ``n * alone / together`` (capped at ``n``). On a
    machine shared with other work this is below ``n``, and no job can scale past it."""

    def spin(k: int) -> float:
        procs = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE)
            for _ in range(k)
        ]
        return max(float(p.communicate()[0]) for p in procs)

    alone = spin(1)
    together = spin(n)
    return min(float(n), n * alone / together)


def _lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 22), b""))


def run_single(path: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    cmd = [sys.executable, "-c", _SINGLE, "dedup", str(path), "--no-progress"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    mark = next(ln for ln in proc.stderr.decode().splitlines() if ln.startswith(_MARK)).split()
    return {
        "job": float(mark[1]),
        "wall": wall,
        "peak": int(mark[2]),
        "cpu": float(mark[3]),
        "out": proc.stdout.decode(),
    }


def _worker_usage() -> tuple[int, float]:
    import resource as r

    u = r.getrusage(r.RUSAGE_SELF)
    return int(u.ru_maxrss) * 1024, u.ru_utime + u.ru_stime


def _warm() -> None:
    import importlib

    for m in (*_MODULES, "textqa.dask.dedup"):
        importlib.import_module(m)


def run_dask(path: Path, workers: int, blocksize: int | None) -> dict[str, Any]:
    from textqa.dask import balanced_blocksize, connect, deduplicate, read_documents

    t0 = time.perf_counter()
    with connect(f"local:{workers}") as client:
        client.run(_warm)
        start = time.perf_counter() - t0
        before = client.run(_worker_usage)
        me = resource.getrusage(resource.RUSAGE_SELF)
        size = blocksize or balanced_blocksize([str(path)], workers)
        t = time.perf_counter()
        job = deduplicate(read_documents([str(path)], blocksize=size))
        wall = time.perf_counter() - t
        after = client.run(_worker_usage)
        me2 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "job": wall,
        "start": start,
        "peaks": sorted(p for p, _ in after.values()),
        "cpu": sum(after[w][1] - before[w][1] for w in after),
        "client_cpu": me2.ru_utime + me2.ru_stime - me.ru_utime - me.ru_stime,
        "blocksize": size,
        "result": job,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000, help="documents in the corpus")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (one core each)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (median shown)")
    ap.add_argument(
        "--blocksize",
        type=int,
        help="partition size in bytes (default: equal partitions, the same number per worker)",
    )
    ap.add_argument("--seed", type=int, default=1, help="corpus seed")
    ap.add_argument("--base", type=Path, default=BASE, help="prose to build the corpus from")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path("/tmp/textqa-dask-bench.jsonl"),
        help="corpus file (made when missing or of another size)",
    )
    args = ap.parse_args(argv)
    # both sides run this checkout's textqa: the single process through PYTHONPATH, the
    # client and the workers (spawned with this interpreter's path) through sys.path, ahead
    # of any installed copy
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from textqa.dask import cluster_rows

    if not args.corpus.exists() or _lines(args.corpus) != args.docs:
        make_corpus(args.corpus, args.docs, args.seed, args.base)
    size = args.corpus.stat().st_size
    print(f"corpus: {args.corpus} ({args.docs:,} docs, {size / 1e6:.1f} MB)")
    rows = []
    for r in range(args.rounds):
        load = os.getloadavg()[0]
        cores = free_cores(args.workers)
        if r % 2 == 0:
            s = run_single(args.corpus)
            d = run_dask(args.corpus, args.workers, args.blocksize)
        else:
            d = run_dask(args.corpus, args.workers, args.blocksize)
            s = run_single(args.corpus)
        job = d["result"]
        n = job.result.documents
        expected = [json.loads(line) for line in s["out"].splitlines()]
        same = expected == cluster_rows(job)
        single_rate, dask_rate = n / s["job"], n / d["job"]
        ratio = single_rate / (dask_rate / args.workers)
        rows.append((single_rate, n / s["wall"], dask_rate, ratio, load, cores))
        print(
            f"round {r + 1} (load {load:.2f}, {cores:.2f} of {args.workers} cores free): "
            f"single {s['job']:.2f} s job, {s['wall']:.2f} s "
            f"command ({single_rate:,.0f} docs/s; CPU {s['cpu']:.1f} s; peak RSS "
            f"{s['peak'] / 2**20:,.0f} MiB) | "
            f"dask {args.workers} workers {d['job']:.2f} s ({dask_rate:,.0f} docs/s = "
            f"{dask_rate / args.workers:,.0f} per core; worker CPU {d['cpu']:.1f} s, client CPU "
            f"{d['client_cpu']:.1f} s; cluster start {d['start']:.1f} s; worker peak RSS "
            f"{', '.join(f'{p / 2**20:,.0f}' for p in d['peaks'])} MiB; {job.partitions} "
            f"partitions of {d['blocksize'] / 2**20:.1f} MiB) | per-core ratio {ratio:.2f} | "
            f"same clusters: {same} ({len(job.result.clusters):,})"
        )
        if not same:
            print("the Dask job's clusters differ from the single-process command's")
            return 1
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    print(
        f"median of {args.rounds}: single {med[0]:,.0f} docs/s ({med[1]:,.0f} with start-up) | "
        f"dask {med[2]:,.0f} docs/s = {med[2] / args.workers:,.0f} per core | per-core ratio "
        f"{med[3]:.2f} (target <= 1.5) | load average {med[4]:.2f}, {med[5]:.2f} of "
        f"{args.workers} cores free"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

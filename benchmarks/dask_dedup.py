"""Dask scale-out benchmark: ``textqa dedup`` in one process vs ``--dask local:N``, side by side.

Usage::

    python -m benchmarks.dask_dedup --docs 100000 --workers 2 --rounds 2

Generates a seeded corpus (real prose from ``../shared/corpora/debian-prose``, ``--base``, with
planted near-duplicates, via :mod:`benchmarks.generate`) as JSON Lines, then alternates two runs:
the single-process command (a fresh process; wall time and peak RSS) and the same job on a
LocalCluster of ``--workers`` worker processes (wall time of the job, cluster start excluded and
reported separately; peak RSS of each worker polled every 50 ms). Checks that both runs give the
same clusters and prints docs/s, docs/s per core and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT.parent / "shared" / "corpora" / "debian-prose"


def make_corpus(path: Path, n_docs: int, seed: int, base: Path) -> None:
    from benchmarks.generate import generate, load_base

    corpus = generate(load_base(base), n_docs=n_docs, seed=seed)
    with path.open("w", encoding="utf-8") as fh:
        for k, d in enumerate(corpus.docs):
            fh.write(json.dumps({"id": f"doc{k:07d}", "text": d.text}) + "\n")


def run_single(path: Path) -> tuple[float, int, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "textqa", "dedup", str(path), "--no-progress"],
        capture_output=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr.decode())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return wall, peak, out.stdout.decode()


def run_dask(path: Path, workers: int, blocksize: int) -> tuple[float, float, list[int], Any]:
    import psutil
    from distributed import Client, LocalCluster

    from textqa.dask import deduplicate, read_documents

    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter() - t0
        peaks: dict[str, int] = {}
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                for w, rss in client.run(lambda: psutil.Process().memory_info().rss).items():
                    peaks[w] = max(peaks.get(w, 0), rss)
                time.sleep(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        t = time.perf_counter()
        job = deduplicate(read_documents([str(path)], blocksize=blocksize))
        wall = time.perf_counter() - t
        done.set()
        poller.join()
    return wall, start, sorted(peaks.values()), job


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--blocksize", type=int, default=16 << 20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--base", type=Path, default=BASE)
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/textqa-dask-bench.jsonl"))
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        make_corpus(args.corpus, args.docs, args.seed, args.base)
    size = args.corpus.stat().st_size
    print(f"corpus: {args.corpus} ({args.docs:,} docs, {size / 1e6:.1f} MB)")
    for r in range(args.rounds):
        s_wall, s_peak, s_out = run_single(args.corpus)
        d_wall, d_start, d_peaks, job = run_dask(args.corpus, args.workers, args.blocksize)
        n = job.result.documents
        same = len(s_out.splitlines()) == len(job.result.clusters)
        s_rate, d_rate = n / s_wall, n / d_wall
        print(
            f"round {r + 1}: single {s_wall:.1f} s ({s_rate:,.0f} docs/s, peak RSS "
            f"{s_peak / 2**20:,.0f} MiB) | dask {args.workers} workers {d_wall:.1f} s "
            f"({d_rate:,.0f} docs/s = {d_rate / args.workers:,.0f} per core; cluster start "
            f"{d_start:.1f} s; worker peak RSS {', '.join(f'{p / 2**20:,.0f}' for p in d_peaks)} "
            f"MiB; {job.partitions} partitions) | per-core ratio single/dask "
            f"{s_rate / (d_rate / args.workers):.2f} | same clusters: {same} "
            f"({len(job.result.clusters):,}) | stages {job.stats}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

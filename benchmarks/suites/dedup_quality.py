"""``dedup-quality``: near-duplicate detection end to end -- signatures, LSH, exact verification,
clusters -- textqa against datasketch (``MinHash`` + ``MinHashLSH``) and rensa (``RMinHash`` +
``RMinHashLSH``) pipelines doing the same job; peak memory of each job in a fresh process;
precision/recall against exact all-pairs Jaccard ground truth (prefix filtering, J >= 0.8);
precision/recall on the Gutenberg editions corpus (real editions of the same chapters);
and docs/s as the corpus grows.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import compare, peak_memory, python_peer
from benchmarks.scoring import clusters_to_pairs, score_pairs

NAME = "dedup-quality"
TITLE = "Near-duplicate detection end to end: speed, memory, precision/recall"


def _textqa_pairs(texts: list[str], scheme: str) -> set[tuple[int, int]]:
    from benchmarks.suites._dedup_common import NGRAM, NUM_PERM, THRESHOLD
    from textqa import deduplicate
    from textqa.minhash import SignatureSpec

    spec = SignatureSpec(scheme=scheme, num_perm=NUM_PERM, ngram=NGRAM)  # type: ignore[arg-type]
    result = deduplicate(texts, threshold=THRESHOLD, spec=spec)
    return {(a, b) for c in result.clusters for a, b, _ in c.pairs}


def _gutenberg(ctx: Context) -> tuple[list[dict[str, Any]], list[str]]:
    path = ctx.shared_path("corpora", "gutenberg-editions", "gutenberg_editions.jsonl.xz")
    if path is None:
        return [], ["gutenberg-editions skipped: ../shared/corpora/gutenberg-editions absent"]
    from benchmarks.generate import read_jsonl
    from textqa import deduplicate

    rows = list(read_jsonl(path, limit=ctx.pick(40, None)))
    texts = [r["text"] for r in rows]
    ids = [r["id"] for r in rows]
    truth_clusters: dict[str, list[str]] = {}
    for r in rows:
        truth_clusters.setdefault(r["cluster"], []).append(r["id"])
    truth = clusters_to_pairs(truth_clusters.values())
    out = []
    for scheme in ("oph", "kperm"):
        from textqa.minhash import SignatureSpec

        t0 = time.perf_counter()
        result = deduplicate(texts, threshold=0.8, spec=SignatureSpec(scheme=scheme), ids=ids)  # type: ignore[arg-type]
        seconds = time.perf_counter() - t0
        predicted = clusters_to_pairs([[ids[m] for m in c.members] for c in result.clusters])
        score = score_pairs(predicted, truth)
        score["seconds"] = seconds
        score["clusters"] = len(result.clusters)
        score["true clusters"] = sum(1 for v in truth_clusters.values() if len(v) > 1)
        out.append((f"textqa {scheme}", score))
    return [
        {
            "name": f"Gutenberg editions: same-chapter pairs ({len(rows)} documents, "
            "cluster labels, pairs within output clusters, threshold 0.8)",
            "methods": dict(out),
        }
    ], []


def run(ctx: Context) -> dict[str, Any]:
    from benchmarks.suites._dedup_common import PIPELINES, exact_pairs, write_corpus

    n_docs = ctx.size(60, 20000)
    corpus = ctx.generated(n_docs, paragraphs=(8, 60))
    texts = [d.text for d in corpus.docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    notes: list[str] = []
    methods = {"textqa": PIPELINES["textqa"], "textqa-kperm": PIPELINES["textqa-kperm"]}
    labels = {"textqa": "textqa (oph)", "textqa-kperm": "textqa kperm"}
    for dist in ("datasketch", "rensa"):
        peer = python_peer(dist)
        if peer.available:
            methods[dist] = PIPELINES[dist]
            labels[dist] = f"{dist} {peer.version}"
        else:
            notes.append(str(peer.note))
    notes.append(
        "peers shingle with lower().split() and verify candidates with Python sets; datasketch "
        "uses MinHashLSH's own bands/rows for the threshold, rensa 16 bands"
    )
    repeat, warmup = ctx.pick((ctx.repeat, ctx.warmup), (2, 0))
    timings = [
        compare(
            "end to end: signatures + LSH + verification + clusters (threshold 0.8)",
            {labels[k]: (lambda fn=fn: fn(texts)) for k, fn in methods.items()},
            baseline="textqa (oph)",
            repeat=repeat,
            warmup=warmup,
            work={"documents": len(texts), "bytes": nbytes},
        ).to_dict()
    ]

    path = write_corpus(ctx.scratch("dedup-quality") / "corpus.jsonl", texts)
    target = "benchmarks.suites._dedup_common:prepare_pipeline"
    memory = {}
    if ctx.quick:
        notes.append("quick mode: no peak-memory measurements (full runs only)")
    else:
        memory = {
            labels[k]: peak_memory(target, corpus=str(path), method=k).to_dict() for k in methods
        }

    truth = exact_pairs(texts)
    quality: dict[str, Any] = {}
    for scheme in ("oph", "kperm"):
        found = _textqa_pairs(texts, scheme)
        score = score_pairs(
            [(str(a), str(b)) for a, b in found], [(str(a), str(b)) for a, b in truth]
        )
        score["true pairs"] = len(truth)
        quality[f"textqa {scheme}"] = score
    qualities = [
        {
            "name": f"verified pairs vs exact all-pairs Jaccard >= 0.8 ({len(truth):,} "
            "true pairs, textqa's shingles)",
            "methods": quality,
        }
    ]
    gutenberg, gnotes = _gutenberg(ctx)
    qualities += gutenberg
    notes += gnotes

    scaling_sizes = ctx.size((30, 60), (5000, 20000, 100000))
    big = ctx.generated(max(scaling_sizes), paragraphs=(8, 60))
    parts = {n: [d.text for d in big.docs[:n]] for n in scaling_sizes}
    # every size is measured the same way: one discarded warm-up call (on the smallest size:
    # it fills every first-call cache), then interleaved timed rounds (5k 20k 100k, 5k 20k ...);
    # wall time is the headline, process CPU time shows the cost without the machine's load
    rounds = ctx.repeat
    PIPELINES["textqa"](parts[scaling_sizes[0]])
    wall: dict[int, list[float]] = {n: [] for n in scaling_sizes}
    cpu: dict[int, list[float]] = {n: [] for n in scaling_sizes}
    for r in range(rounds):
        for n in scaling_sizes:
            t0, c0 = time.perf_counter(), time.process_time()
            PIPELINES["textqa"](parts[n])
            wall[n].append(time.perf_counter() - t0)
            cpu[n].append(time.process_time() - c0)
            ctx.log(f"dedup-quality: scaling round {r + 1}, {n} docs: {wall[n][-1]:.1f} s")
    series: list[list[float]] = []
    rows = []
    cpu_rates = []
    for n in scaling_sizes:
        seconds = statistics.median(wall[n])
        cpu_rates.append(n / statistics.median(cpu[n]))
        series.append([n, n / seconds])
        rows.append(
            [
                n,
                f"{sum(len(t) for t in parts[n]) / 1e6:.1f}",
                f"{seconds:.2f}",
                f"{n / seconds:,.0f}",
                " / ".join(f"{n / s:,.0f}" for s in wall[n]),
                f"{cpu_rates[-1]:,.0f}",
            ]
        )
    first, last = series[0][1], series[-1][1]
    rows.append(
        [
            "docs/s at largest / smallest",
            "",
            "",
            f"{last / first:.2f}",
            "",
            f"{cpu_rates[-1] / cpu_rates[0]:.2f}",
        ]
    )
    notes.append(
        f"scaling: one discarded warm-up call (smallest size), then {rounds} interleaved timed "
        "rounds over all sizes; docs/s from the median wall time of each size (CPU docs/s from "
        "the median process CPU time)"
    )
    return {
        "suite": NAME,
        "title": TITLE,
        "description": "Every pipeline computes signatures (128 hashes, word 5-grams), finds "
        "LSH candidates, verifies each candidate by exact Jaccard and returns union-find "
        "clusters. Ratios are peer median / textqa median from the same interleaved run. "
        "Memory: peak RSS above the loaded corpus and libraries, in a fresh process.",
        "data": f"{len(texts):,} generated documents ({nbytes / 1e6:.1f} MB) from "
        f"{ctx.describe_base()} with {len(corpus.clusters()):,} planted near-duplicate clusters",
        "notes": notes,
        "timings": timings,
        "memory": [{"name": "end-to-end job", "methods": memory}] if memory else [],
        "quality": qualities,
        "scaling": [
            {
                "name": "textqa end to end (oph)",
                "x": "documents",
                "y": "docs/s",
                "series": {"textqa": series},
            }
        ],
        "tables": [
            {
                "name": "textqa throughput as the corpus grows",
                "columns": [
                    "documents",
                    "MB",
                    "seconds",
                    "docs/s",
                    "docs/s per round",
                    "CPU docs/s",
                ],
                "rows": rows,
            }
        ],
    }

"""``minhash``: MinHash signatures (128 hashes, word 5-grams) from raw text, textqa against
datasketch ``MinHash.bulk`` and rensa ``RMinHash`` fed Python shingle lists; and the sketching
kernel alone on precomputed shingle hashes, textqa against rensa's Rust kernel
(``RMinHash.digest_matrix_from_flat_token_hashes``) fed the very same hashes.

"From raw text" includes everything each library needs from a ``str``: textqa normalizes
(``dedup-key``), tokenizes, hashes and shingles in numpy; the peers get the cheapest Python
shingling (``lower().split()`` + ``" ".join``) and do their own hashing.
"""

from __future__ import annotations

from typing import Any

from benchmarks.context import Context
from benchmarks.harness import compare, peak_memory, python_peer

NAME = "minhash"
TITLE = "MinHash signatures: textqa vs datasketch and rensa"


def prepare_signatures(corpus: str, method: str) -> Any:
    """Fresh-process memory target: signatures of the whole corpus by ``method``."""
    from benchmarks.suites._dedup_common import read_corpus

    texts = read_corpus(corpus)
    fns = _raw_methods(available={"datasketch", "rensa"})
    import numpy  # noqa: F401

    if method.startswith("textqa"):
        import textqa.minhash
        import textqa.normalize  # noqa: F401
    elif method == "datasketch":
        import datasketch  # noqa: F401
    else:
        import rensa  # noqa: F401
    fn = fns[method]
    return lambda: fn(texts)


def _raw_methods(available: set[str]) -> dict[str, Any]:
    from benchmarks.suites._dedup_common import NGRAM, NUM_PERM, SEED, peer_shingles

    def textqa_oph(texts: list[str]) -> object:
        from textqa.minhash import SignatureSpec, signatures

        return signatures(texts, SignatureSpec(scheme="oph", num_perm=NUM_PERM, ngram=NGRAM))

    def textqa_kperm(texts: list[str]) -> object:
        from textqa.minhash import SignatureSpec, signatures

        return signatures(texts, SignatureSpec(scheme="kperm", num_perm=NUM_PERM, ngram=NGRAM))

    def datasketch_bulk(texts: list[str]) -> object:
        from datasketch import MinHash

        return MinHash.bulk(
            ([s.encode("utf-8") for s in peer_shingles(t)] for t in texts), num_perm=NUM_PERM
        )

    def rensa_lists(texts: list[str]) -> object:
        from rensa import RMinHash

        out = []
        for t in texts:
            m = RMinHash(num_perm=NUM_PERM, seed=SEED)
            m.update(peer_shingles(t))
            out.append(m.digest())
        return out

    methods: dict[str, Any] = {"textqa": textqa_oph, "textqa kperm": textqa_kperm}
    if "datasketch" in available:
        methods["datasketch"] = datasketch_bulk
    if "rensa" in available:
        methods["rensa"] = rensa_lists
    return methods


def run(ctx: Context) -> dict[str, Any]:
    import numpy as np

    from benchmarks.suites._dedup_common import NUM_PERM, SEED, write_corpus
    from textqa.minhash import SignatureSpec, shingle_hashes, signatures_from_shingles

    n_docs = ctx.size(30, 20000)
    corpus = ctx.generated(n_docs, paragraphs=(8, 60))
    texts = [d.text for d in corpus.docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    words = sum(d.words for d in corpus.docs)
    notes: list[str] = []
    peers = {}
    for dist in ("datasketch", "rensa"):
        peer = python_peer(dist)
        if peer.available:
            peers[dist] = peer
        else:
            notes.append(str(peer.note))
    raw = _raw_methods(set(peers))
    labels = {"datasketch": "datasketch MinHash.bulk", "rensa": "rensa RMinHash (shingle lists)"}
    for key, peer in peers.items():
        labels[key] = f"{labels[key]} {peer.version}"
    # the full-size peers take minutes per call: two interleaved rounds, no warm-up there
    repeat, warmup = ctx.pick((ctx.repeat, ctx.warmup), (2, 0))
    if not ctx.quick:
        notes.append(
            "full size: 2 interleaved timed rounds, no warm-up round (datasketch "
            "needs minutes per call)"
        )
    timings = [
        compare(
            "signatures from raw text (128 hashes, word 5-grams)",
            {labels.get(k, k): (lambda fn=fn: fn(texts)) for k, fn in raw.items()},
            baseline="textqa",
            repeat=repeat,
            warmup=warmup,
            work={"documents": len(texts), "bytes": nbytes},
        ).to_dict()
    ]

    spec = SignatureSpec(num_perm=NUM_PERM)
    kspec = SignatureSpec(scheme="kperm", num_perm=NUM_PERM)
    hashes, offsets = shingle_hashes(texts, spec)
    kernel: dict[str, Any] = {
        "textqa oph": lambda: signatures_from_shingles(hashes, offsets, spec),
        "textqa kperm": lambda: signatures_from_shingles(hashes, offsets, kspec),
    }
    if "rensa" in peers:
        from rensa import RMinHash

        offs = offsets.astype(np.uint64)
        kernel[f"rensa kernel {peers['rensa'].version}"] = lambda: (
            RMinHash.digest_matrix_from_flat_token_hashes(hashes, offs, NUM_PERM, SEED)
        )
    timings.append(
        compare(
            "sketching kernel on precomputed shingle hashes",
            kernel,
            baseline="textqa oph",
            repeat=ctx.repeat,
            warmup=ctx.warmup,
            work={"documents": len(texts), "shingles": len(hashes)},
        ).to_dict()
    )

    memory: dict[str, Any] = {}
    if ctx.quick:
        notes.append("quick mode: no peak-memory measurements (full runs only)")
    else:
        path = write_corpus(ctx.scratch("minhash") / "corpus.jsonl", texts)
        for key in ("textqa", *peers):
            memory[labels.get(key, key)] = peak_memory(
                f"{__name__}:prepare_signatures", corpus=str(path), method=key
            ).to_dict()
    return {
        "suite": NAME,
        "title": TITLE,
        "description": "Signatures of every document of a generated corpus; ratios are peer "
        "median / textqa median from the same interleaved run. Memory: peak RSS above the "
        "loaded corpus and libraries, in a fresh process.",
        "data": f"{len(texts):,} generated documents ({words:,} words, {nbytes / 1e6:.1f} MB) "
        f"from {ctx.describe_base()}, {len(corpus.clusters()):,} planted near-duplicate clusters",
        "notes": notes,
        "timings": timings,
        "memory": [{"name": "signatures of the corpus", "methods": memory}] if memory else [],
    }

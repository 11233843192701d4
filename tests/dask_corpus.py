"""A small seeded corpus with planted near-duplicates for the Dask tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

_WORDS = [f"w{i}" for i in range(400)]


def corpus(n: int, seed: int = 3) -> list[tuple[str, str]]:
    """``n`` documents ``(id, text)``: random texts, exact copies, edited copies (a few words
    replaced), empty and very short texts, so that clusters, chains and ties all occur."""
    rng = random.Random(seed)
    docs: list[tuple[str, str]] = []
    for i in range(n):
        r = rng.random()
        if docs and r < 0.35:
            words = rng.choice(docs)[1].split()
            for _ in range(rng.randint(0, 3)):
                if words:
                    words[rng.randrange(len(words))] = rng.choice(_WORDS)
            text = " ".join(words)
        elif r < 0.38:
            text = ""
        elif r < 0.42:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4)))
        else:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 150)))
        docs.append((f"d{i:05d}", text))
    return docs


def write_jsonl(path: Path, docs: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for rid, text in docs:
            fh.write(json.dumps({"id": rid, "text": text}) + "\n")
    return path


def write_shards(directory: Path, docs: list[tuple[str, str]], shards: int) -> list[Path]:
    """The corpus as ``shards`` JSON Lines files ``part-000.jsonl``... in order."""
    directory.mkdir(parents=True, exist_ok=True)
    size = -(-len(docs) // shards)
    return [
        write_jsonl(directory / f"part-{k:03d}.jsonl", docs[k * size : (k + 1) * size])
        for k in range(shards)
    ]

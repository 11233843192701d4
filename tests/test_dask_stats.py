"""Corpus statistics and boilerplate as Dask jobs equal the single-machine results."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from textqa.boilerplate import find_boilerplate as single_boilerplate
from textqa.dask import read_documents
from textqa.dask.stats import document_statistics, find_boilerplate
from textqa.records import Record, iter_records
from textqa.stats import StatsOptions, document_stats


def _pages(path: Path, n: int) -> Path:
    rng = random.Random(2)
    words = [f"w{i}" for i in range(50)]
    footers = ["Home | About | Contact", "Copyright 2024 Example Inc.", "Share this page"]
    with path.open("w") as fh:
        for i in range(n):
            body = [
                " ".join(rng.choice(words) for _ in range(rng.randint(3, 30))) for _ in range(3)
            ]
            if rng.random() < 0.3:
                body.append(body[0])  # a pasted-twice paragraph
            body += rng.sample(footers, rng.randint(0, 3))
            fh.write(json.dumps({"id": f"p{i}", "text": "\n\n".join(body)}) + "\n")
    return path


def test_statistics_and_boilerplate_equal_single_machine(dask_client: Any, tmp_path: Path) -> None:
    path = _pages(tmp_path / "pages.jsonl", 400)
    recs = [r for r in iter_records([str(path)]) if isinstance(r, Record)]
    docs = read_documents([str(path)], blocksize=4000)
    assert docs.npartitions > 5
    options = StatsOptions()
    got = document_statistics(docs, options=options).compute()
    assert got == [document_stats(r.id, r.text, options) for r in recs]
    report = find_boilerplate(docs, min_docs=0.2, fan_in=3)
    expected = single_boilerplate(lambda: [(r.id, r.text) for r in recs], min_docs=0.2)
    assert report == expected
    assert {u.text for u in report.units} >= {"home | about | contact", "share this page"}

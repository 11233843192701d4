"""Corpus statistics as Dask jobs, equal to the single-machine results.

* :func:`document_statistics`: the object ``textqa stats`` prints for each document
  (:func:`textqa.stats.document_stats`), computed per partition, in input order.
* :func:`find_boilerplate`: :func:`textqa.boilerplate.find_boilerplate` in two passes over the
  partitions. Pass 1 counts the distinct paragraph and line keys of each partition's documents
  and merges the counters in a tree (`BoilerplateCounter.merge`); the merged counter (one entry
  per distinct key hash, never the texts) goes to every worker for pass 2, which finds each
  document's boilerplate spans. Recurring units take their sample text and first id from the
  earliest document in input order, exactly as a single pass over the corpus does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from textqa.boilerplate import (
    DEFAULT_MIN_DOCS,
    BoilerplateCounter,
    BoilerplateReport,
    DocumentBoilerplate,
)
from textqa.dask._lazy import Layer, token
from textqa.dask._lazy import dask_module as _dask
from textqa.dask.partitions import as_records, partition_sources, partitions_of
from textqa.errors import InputError, UsageError
from textqa.records import BadRecord, Record
from textqa.stats import StatsOptions, document_stats

__all__ = ["document_statistics", "find_boilerplate"]


def _accepted(data: Any, on_error: str) -> list[Record]:
    out: list[Record] = []
    for rec in as_records(data):
        if isinstance(rec, BadRecord):
            if on_error == "stop":
                raise InputError(str(rec))
            continue
        out.append(rec)
    return out


def _check(docs: Any, on_error: str) -> list[Any]:
    if on_error not in ("stop", "skip"):
        raise UsageError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
    keys, collections, frame = partitions_of(docs)
    if frame:
        raise UsageError("give a bag of records (see textqa.dask.read_documents)")
    return [keys, collections]


def _stats_part(data: Any, options: StatsOptions, on_error: str) -> list[dict[str, Any]]:
    return [document_stats(r.id, r.text, options) for r in _accepted(data, on_error)]


def document_statistics(
    docs: Any,
    *,
    options: StatsOptions | None = None,
    on_error: Literal["stop", "skip"] = "stop",
) -> Any:
    """A `dask.bag.Bag` of the per-document statistics objects, one partition per input
    partition, in input order (``.compute()`` for a list, or write each partition out)."""
    keys, collections = _check(docs, on_error)
    sources, upstream = partition_sources(keys, collections)
    options = options or StatsOptions()
    layer = Layer("textqa-stats-" + token(keys, options, on_error), [], upstream)
    for p, source in enumerate(sources):
        layer.add((p,), _stats_part, source, options, on_error)
    hlg = _dask("dask.highlevelgraph").HighLevelGraph
    return _dask("dask.bag").Bag(
        hlg.from_collections(layer.name, layer.tasks, []), layer.name, len(keys)
    )


def _count(data: Any, on_error: str) -> BoilerplateCounter:
    counter = BoilerplateCounter()
    for rec in _accepted(data, on_error):
        counter.add(rec.text)
    return counter


def _merge(counters: Sequence[BoilerplateCounter]) -> BoilerplateCounter:
    out = BoilerplateCounter()
    for c in counters:
        out.merge(c)
    return out


def _spans(
    data: Any, counter: BoilerplateCounter, min_docs: float, on_error: str
) -> tuple[list[DocumentBoilerplate], dict[int, Any]]:
    local = BoilerplateCounter()
    local.counts, local.n_docs = counter.counts, counter.n_docs
    docs = [local.document(r.id, r.text, min_docs=min_docs) for r in _accepted(data, on_error)]
    return docs, local._samples


def find_boilerplate(
    docs: Any,
    *,
    min_docs: float = DEFAULT_MIN_DOCS,
    on_error: Literal["stop", "skip"] = "stop",
    fan_in: int = 8,
) -> BoilerplateReport:
    """:func:`textqa.boilerplate.find_boilerplate` over a Dask collection of documents (the
    same report); counters are merged ``fan_in`` at a time."""
    dask = _dask()
    keys, collections = _check(docs, on_error)
    sources, upstream = partition_sources(keys, collections)
    layer = Layer("textqa-boilerplate-" + token(keys, min_docs, on_error), [], upstream)
    level = [layer.add(("count", p), _count, s, on_error) for p, s in enumerate(sources)]
    depth = 0
    while len(level) > 1:
        depth += 1
        level = [
            layer.add(("merge", depth, i), _merge, level[i : i + fan_in])
            for i in range(0, len(level), fan_in)
        ]
    if not level:
        raise UsageError("no partitions to read")
    (counter,) = dask.persist(layer.delayed(level[0]), optimize_graph=False)
    spans = Layer(
        "textqa-boilerplate-spans-" + token(keys, min_docs, on_error), [counter], upstream
    )
    for p, source in enumerate(sources):
        spans.add((p,), _spans, source, counter.key, min_docs, on_error)
    parts = dask.compute(
        *[spans.delayed((spans.name, p)) for p in range(len(sources))], optimize_graph=False
    )
    merged: BoilerplateCounter = counter.compute()
    samples: dict[int, Any] = {}
    documents: list[DocumentBoilerplate] = []
    for part_docs, part_samples in parts:
        documents.extend(part_docs)
        for h, sample in part_samples.items():
            samples.setdefault(h, sample)
    merged._samples = samples
    return BoilerplateReport(
        tuple(merged.units(min_docs=min_docs)),
        tuple(documents),
        merged.n_docs,
        merged.threshold(min_docs),
    )

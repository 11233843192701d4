"""Writing the results of a Dask near-duplicate job: the cluster list and the keep list.

* :func:`cluster_rows` / :func:`write_clusters`: one row per cluster, exactly the objects
  ``textqa dedup`` prints (``cluster``, ``keep``, ``members``, ``pairs``), built on the client
  from the job's result; as JSON Lines or Parquet. Client memory grows with the number of
  clustered documents (the :class:`~textqa.dedup.DedupResult` already holds them).
* :func:`keep_list` / :func:`write_keep_list`: the ids of the documents to keep (every
  accepted record except the dropped members of clusters), in input order, computed on the
  workers: each partition re-reads its records and leaves out the rows the job listed in
  :attr:`~textqa.dask.DaskDedupResult.skipped_rows`, so the ids never travel to the client;
  :func:`write_keep_list` writes one file per partition from the workers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from textqa.dask._lazy import Layer, token
from textqa.dask._lazy import dask_module as _dask
from textqa.dask.io import write_jsonl, write_parquet
from textqa.dask.partitions import as_records, frame_records, partition_sources, partitions_of
from textqa.errors import UsageError
from textqa.records import Record

if TYPE_CHECKING:
    from textqa.dask.dedup import DaskDedupResult

__all__ = ["cluster_rows", "keep_list", "write_clusters", "write_keep_list"]

Format = Literal["jsonl", "parquet"]


def cluster_rows(job: DaskDedupResult) -> list[dict[str, Any]]:
    """The clusters as the objects ``textqa dedup`` writes, one per cluster, in order."""
    ids = job.ids
    return [
        {
            "cluster": n,
            "keep": ids[c.keep],
            "members": [ids[m] for m in c.members],
            "pairs": [{"a": ids[a], "b": ids[b], "jaccard": round(s, 6)} for a, b, s in c.pairs],
        }
        for n, c in enumerate(job.result.clusters, 1)
    ]


def _format(path: str | os.PathLike[str], fmt: Format | None) -> Format:
    if fmt is None:
        return "parquet" if os.fspath(path).lower().endswith((".parquet", ".pq")) else "jsonl"
    if fmt not in ("jsonl", "parquet"):
        raise UsageError(f"format must be 'jsonl' or 'parquet', not {fmt!r}")
    return fmt


def _columns(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in names}


def write_clusters(
    job: DaskDedupResult, path: str | os.PathLike[str], *, fmt: Format | None = None
) -> int:
    """Write :func:`cluster_rows` atomically, as Parquet when ``path`` ends in ``.parquet``
    (or ``fmt="parquet"``), else as JSON Lines; returns the number of clusters. Parquet
    needs ids of one type (all strings or all numbers)."""
    rows = cluster_rows(job)
    if _format(path, fmt) == "jsonl":
        return write_jsonl(rows, path)
    return _parquet(_columns(rows, ("cluster", "keep", "members", "pairs")), path)


def _parquet(columns: dict[str, list[Any]], path: str | os.PathLike[str]) -> int:
    try:
        return write_parquet(columns, path)
    except (TypeError, ValueError) as exc:  # pyarrow: mixed id types in one column
        raise UsageError(
            f"{os.fspath(path)}: ids of mixed types cannot form one Parquet column ({exc}); "
            "write JSON Lines instead"
        ) from None


def _kept(data: Any, skip: Sequence[int], frame: bool, id_field: str, text_field: str) -> list[Any]:
    records = frame_records(data, id_field, text_field) if frame else as_records(data)
    gone = set(skip)
    return [r.id for k, r in enumerate(records) if k not in gone and isinstance(r, Record)]


def _write_part(
    data: Any,
    skip: Sequence[int],
    options: tuple[bool, str, str],
    path: str,
    fmt: Format,
) -> int:
    ids = _kept(data, skip, *options)
    if fmt == "jsonl":
        return write_jsonl(({"id": i} for i in ids), path)
    return _parquet({"id": ids}, path)


def _layer(docs: Any, job: DaskDedupResult, what: str, *extra: Any) -> tuple[Layer, list[Any]]:
    keys, collections, frame = partitions_of(docs)
    if len(keys) != len(job.skipped_rows):
        raise UsageError(
            f"the job ran on {len(job.skipped_rows)} partitions, these documents have "
            f"{len(keys)}: give the collection the job ran on"
        )
    sources, upstream = partition_sources(keys, collections)
    layer = Layer(f"textqa-{what}-" + token(keys, job.skipped_rows, *extra), [], upstream)
    return layer, [frame, sources]


def keep_list(
    docs: Any, job: DaskDedupResult, *, id_field: str = "id", text_field: str = "text"
) -> Any:
    """A `dask.bag.Bag` of the ids to keep, one partition per input partition, in input
    order: ``docs`` must be the collection ``job`` ran on (same partitions)."""
    layer, (frame, sources) = _layer(docs, job, "keep", id_field, text_field)
    for p, (source, skip) in enumerate(zip(sources, job.skipped_rows, strict=True)):
        layer.add((p,), _kept, source, skip, frame, id_field, text_field)
    graph = _dask("dask.highlevelgraph").HighLevelGraph.from_collections(
        layer.name, layer.tasks, []
    )
    return _dask("dask.bag").Bag(graph, layer.name, len(sources))


def write_keep_list(
    docs: Any,
    job: DaskDedupResult,
    directory: str | os.PathLike[str],
    *,
    fmt: Format = "jsonl",
    id_field: str = "id",
    text_field: str = "text",
) -> list[str]:
    """Write the ids to keep from the workers, one file per input partition
    (``part-00000.jsonl`` objects ``{"id": ...}``, or ``part-00000.parquet`` with an ``id``
    column), each atomically, into ``directory`` (which the workers must be able to write:
    a shared file system on a real cluster). Returns the file names in input order."""
    fmt = _format("", fmt)
    layer, (frame, sources) = _layer(docs, job, "write-keep", os.fspath(directory), fmt)
    os.makedirs(directory, exist_ok=True)
    names = [os.path.join(directory, f"part-{p:05d}.{fmt}") for p in range(len(sources))]
    options = (frame, id_field, text_field)
    for p, (source, skip) in enumerate(zip(sources, job.skipped_rows, strict=True)):
        layer.add(("part", p), _write_part, source, skip, options, names[p], fmt)
    dask = _dask()
    parts = [layer.delayed(layer.key("part", p)) for p in range(len(sources))]
    dask.compute(*parts, optimize_graph=False)
    return names

"""The partitions of a Dask collection of documents, as the jobs read them.

A job accepts a `dask.bag.Bag` (of :class:`~textqa.records.Record` values, ``(id, text)``
pairs or ``{"id", "text"}`` dicts; :func:`textqa.dask.read_documents` makes one from files) or a
`dask.dataframe.DataFrame` with id and text columns. :func:`partitions_of` lists the partition
keys in order; :func:`partition_sources` lets a job's per-partition task *read its partition
itself*: when the partition is computed by one task (reading a byte range of a file, a row
group, ...), that task is inlined into the job's task, so the records are produced on the
worker that uses them and never travel between workers. :func:`as_records` turns whatever a
partition holds into records.

>>> as_records([("a", "one text"), {"id": 7, "text": "two"}, 3])  # doctest: +NORMALIZE_WHITESPACE
[Record(id='a', text='one text', source='<partition>', line=1),
 Record(id=7, text='two', source='<partition>', line=2),
 BadRecord(source='<partition>', line=3, reason='not an (id, text) pair or record')]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textqa.dask._lazy import dask_module
from textqa.dask.io import resolve_line_numbers
from textqa.errors import UsageError
from textqa.records import BadRecord, Record

__all__ = ["as_records", "frame_records", "partition_sources", "partitions_of"]


def as_records(part: Sequence[Any]) -> list[Record | BadRecord]:
    """A partition of Record/BadRecord values, ``(id, text)`` tuples or ``{"id", "text"}``
    dicts as records (row numbers within the partition as line numbers)."""
    out: list[Record | BadRecord] = []
    for k, item in enumerate(part, 1):
        if isinstance(item, Record | BadRecord):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
            out.append(Record(item[0], item[1], "<partition>", k))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Record(item.get("id", k), item["text"], "<partition>", k))
        else:
            out.append(BadRecord("<partition>", k, "not an (id, text) pair or record"))
    return out


def frame_records(
    frame: Any, id_field: str = "id", text_field: str = "text"
) -> list[Record | BadRecord]:
    """The rows of a pandas DataFrame partition as records. ``text_field`` must be a column;
    a row's id is its ``id_field`` value, or its index label when there is no such column (a
    dataframe made with ``from_pandas`` keeps the input's row numbers there). A text that is
    not a string (a missing value) is a bad record; line numbers count the partition's rows."""
    if text_field not in frame.columns:
        raise UsageError(f"the dataframe has no {text_field!r} column")
    texts = frame[text_field].tolist()
    ids = frame[id_field].tolist() if id_field in frame.columns else frame.index.tolist()
    out: list[Record | BadRecord] = []
    for k, (rid, text) in enumerate(zip(ids, texts, strict=True), 1):
        if not isinstance(text, str):
            out.append(BadRecord("<partition>", k, f"column {text_field!r} is not a string"))
        elif isinstance(rid, bool) or not isinstance(rid, str | int | float):
            out.append(BadRecord("<partition>", k, "the id must be a string or a number"))
        else:
            out.append(Record(rid, text, "<partition>", k))
    return out


def partitions_of(docs: Any) -> tuple[list[Any], list[Any], bool]:
    """``(keys, collections, is_frame)``: the partition keys of a `dask.bag.Bag` or of a
    `dask.dataframe.DataFrame`, in order, and the collections whose graphs hold them."""
    if hasattr(docs, "columns") and hasattr(docs, "to_delayed"):
        parts = docs.to_delayed()
        return [d.key for d in parts], list(parts), True
    if hasattr(docs, "__dask_keys__") and hasattr(docs, "npartitions"):
        return list(docs.__dask_keys__()), [docs], False
    raise UsageError("docs must be a dask bag or dataframe (see textqa.dask.read_documents)")


def partition_sources(
    keys: Sequence[Any], collections: Sequence[Any]
) -> tuple[list[Any], dict[Any, Any]]:
    """``(sources, graph)``: what a job's task takes in place of each partition key, and the
    upstream tasks those need. A partition computed by one task is that task, inlined (it
    runs inside the job's task: reading a block there costs no transfer of its records); a
    partition held as data stays its key. ``graph`` holds only the tasks the sources depend
    on, so a job built on it has no other dependency and computes nothing else. The line
    numbers blocks of :func:`~textqa.dask.read_documents` start at are computed first (see
    :func:`textqa.dask.io.resolve_line_numbers`)."""
    core = dask_module("dask.core")
    optimization = dask_module("dask.optimization")
    merged: dict[Any, Any] = {}
    for c in collections:
        merged.update(c.__dask_graph__())
    sources: list[Any] = []
    needed: set[Any] = set()
    for key in keys:
        task = merged[key]
        if core.istask(task):
            sources.append(task)
            needed.update(core.get_dependencies(merged, task=task))
        else:
            sources.append(key)
            needed.add(key)
    graph, _ = optimization.cull(merged, list(needed))
    return resolve_line_numbers(sources, graph)

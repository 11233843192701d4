"""Reading a corpus into stable partitions, and writing results, for the Dask jobs.

Inputs are the ones ``textqa dedup`` reads (JSON Lines plain or compressed, text files,
directories) plus Parquet, given as paths, directories or glob patterns. The partitioning is a
pure function of the files and ``blocksize`` (never of the cluster), so every run of the same
job sees the same partitions, and the records of partition ``p`` come before those of ``p + 1``
in input order:

* an uncompressed JSON Lines file is cut into byte blocks of about ``blocksize``; a line belongs
  to the block holding its first byte. Line numbers (for error messages and the ``SOURCE:LINE``
  id of records without an id) come from a cheap newline count of the earlier blocks;
* a compressed JSON Lines file is one partition (it cannot be split);
* Parquet files are cut at row-group boundaries (consecutive groups up to ``blocksize``);
* text files (one document each, id = path) are grouped up to ``blocksize`` bytes.

Each partition computes to a list of :class:`textqa.records.Record` (and
:class:`textqa.records.BadRecord` for malformed input, which the jobs report or stop on exactly
as the single-machine command does).
"""

from __future__ import annotations

import glob
import itertools
import json
import operator
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from textqa.dask._lazy import dask_module as _dask
from textqa.dask._lazy import token
from textqa.errors import InputError, UsageError
from textqa.records import BadRecord, Record, is_jsonl, iter_jsonl, iter_records, open_binary
from textqa.sources import iter_files

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "Block",
    "RowReader",
    "balanced_blocksize",
    "expand_inputs",
    "plan_blocks",
    "read_block",
    "read_documents",
    "read_rows",
    "resolve_line_numbers",
    "row_reader",
    "write_jsonl",
    "write_parquet",
]

#: default partition size in bytes of input (64 MiB: a few hundred thousand web documents)
DEFAULT_BLOCKSIZE = 64 << 20

_PARQUET_SUFFIXES = (".parquet", ".pq")
_GLOB_CHARS = frozenset("*?[")
#: the reason `textqa.records.iter_records` gives a binary file it was asked to read
_BINARY = "binary file"

Kind = Literal["jsonl", "parquet", "text"]


@dataclass(frozen=True, slots=True)
class Block:
    """One partition's worth of input: a byte range of a JSON Lines file, row groups of a
    Parquet file, or a list of text files. ``first_line`` is filled in by the newline count."""

    kind: Kind
    paths: tuple[str, ...]
    start: int = 0
    end: int = -1
    row_groups: tuple[int, ...] = ()


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Input items with glob patterns expanded (each pattern's matches sorted; a pattern that
    matches nothing raises `InputError`). Plain paths are kept as given; ``-`` is refused
    (standard input cannot be split across workers)."""
    out: list[str] = []
    for item in inputs:
        if item == "-":
            raise UsageError("standard input cannot be read by a Dask job; give files or globs")
        if _GLOB_CHARS & set(item) and not os.path.exists(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            out.extend(matches)
        else:
            if not os.path.exists(item):
                raise InputError(f"{item}: no such file or directory")
            out.append(item)
    return out


def _kind(path: str, input_format: str) -> Kind:
    if path.lower().endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if input_format == "jsonl" or (input_format == "auto" and is_jsonl(path)):
        return "jsonl"
    return "text"


def _compressed(path: str) -> bool:
    return path.lower().endswith((".gz", ".xz", ".bz2"))


def plan_blocks(
    inputs: Iterable[str], *, blocksize: int = DEFAULT_BLOCKSIZE, input_format: str = "auto"
) -> list[Block]:
    """The partitions of ``inputs`` in input order (see the module documentation).

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = os.path.join(d, "a.jsonl")
    >>> with open(p, "w") as f:
    ...     _ = f.write('{"text": "x"}\\n' * 10)
    >>> [(b.start, b.end) for b in plan_blocks([p], blocksize=50)]
    [(0, 50), (50, 100), (100, 140)]
    """
    if blocksize < 1:
        raise UsageError(f"blocksize must be positive, not {blocksize}")
    blocks: list[Block] = []
    texts: list[str] = []
    text_bytes = 0

    def flush_texts() -> None:
        nonlocal texts, text_bytes
        if texts:
            blocks.append(Block("text", tuple(texts)))
            texts, text_bytes = [], 0

    for item in expand_inputs(inputs):
        explicit = not os.path.isdir(item)
        for path in iter_files([item]):
            kind = _kind(path, input_format)
            if kind == "text":
                size = _size(path)
                if texts and text_bytes + size > blocksize:
                    flush_texts()
                # the flag says whether the file was named (binary files then get an error)
                texts.append(("!" if explicit else "") + path)
                text_bytes += size
                continue
            flush_texts()
            if kind == "jsonl":
                size = _size(path)
                if _compressed(path) or size <= blocksize:
                    blocks.append(Block("jsonl", (path,), 0, size))
                else:
                    blocks.extend(
                        Block("jsonl", (path,), s, min(s + blocksize, size))
                        for s in range(0, size, blocksize)
                    )
            else:
                blocks.extend(_parquet_blocks(path, blocksize))
    flush_texts()
    return blocks


def balanced_blocksize(
    inputs: Iterable[str],
    workers: int,
    *,
    input_format: str = "auto",
    maximum: int = DEFAULT_BLOCKSIZE,
) -> int:
    """A block size that gives each of ``workers`` the same number of partitions of the
    input bytes (as few as possible, none above ``maximum``): the job then ends on all workers
    at about the same time, with the fewest tasks. Compressed files stay one partition each.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with open(os.path.join(d, "a.jsonl"), "w") as f:
    ...     _ = f.write('{"text": "x"}\\n' * 1000)
    >>> balanced_blocksize([d], 2), balanced_blocksize([d], 2, maximum=900)
    (7000, 875)
    """
    if workers < 1:
        raise UsageError(f"workers must be positive, not {workers}")
    seen: set[str] = set()
    total = 0
    for block in plan_blocks(inputs, blocksize=maximum, input_format=input_format):
        for flagged in block.paths:
            path = flagged.removeprefix("!")
            if path not in seen:
                seen.add(path)
                total += _size(path)
    rounds = max(1, -(-total // (workers * maximum)))
    return max(1, -(-total // (workers * rounds)))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _parquet_blocks(path: str, blocksize: int) -> list[Block]:
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises its own hierarchy: report any as unreadable
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    out: list[Block] = []
    group: list[int] = []
    size = 0
    for g in range(meta.num_row_groups):
        gsize = meta.row_group(g).total_byte_size
        if group and size + gsize > blocksize:
            out.append(Block("parquet", (path,), row_groups=tuple(group)))
            group, size = [], 0
        group.append(g)
        size += gsize
    if group or not out:
        out.append(Block("parquet", (path,), row_groups=tuple(group)))
    return out


def count_line_starts(block: Block) -> int:
    """The number of lines whose first byte lies in the block's byte range."""
    if block.kind != "jsonl":
        return 0
    path = block.paths[0]
    if _compressed(path):
        return 0  # never split: the only block of its file starts at line 1
    lo = max(block.start - 1, 0)
    hi = block.end - 1
    count = 1 if block.start == 0 and block.end > 0 else 0
    with open(path, "rb") as fh:
        fh.seek(lo)
        remaining = hi - lo
        while remaining > 0:
            chunk = fh.read(min(remaining, 1 << 22))
            if not chunk:
                break
            count += chunk.count(b"\n")
            remaining -= len(chunk)
    return count


def read_block(
    block: Block,
    *,
    first_line: int = 1,
    id_field: str = "id",
    text_field: str = "text",
    max_size: int = 1 << 30,
) -> list[Record | BadRecord]:
    """The records of one block, in input order; malformed input as `BadRecord`."""
    if block.kind == "jsonl":
        return list(_jsonl_block(block, first_line, id_field, text_field))
    if block.kind == "parquet":
        return _parquet_block(block, id_field, text_field)
    out: list[Record | BadRecord] = []
    for flagged in block.paths:
        # the single-machine reading of one text file; a file met while walking a directory
        # (not named) is skipped silently when binary, as textqa dedup skips it
        path = flagged.removeprefix("!")
        for rec in iter_records([path], input_format="text", max_size=max_size):
            if flagged.startswith("!") or not _binary(rec):
                out.append(rec)
    return out


def _binary(rec: Record | BadRecord) -> bool:
    return isinstance(rec, BadRecord) and rec.reason == _BINARY


def read_rows(
    block: Block,
    rows: Iterable[int],
    *,
    first_line: int = 1,
    id_field: str = "id",
    text_field: str = "text",
) -> dict[int, Record | BadRecord]:
    """The records at ``rows`` (0-based positions in :func:`read_block`'s list) of a block.
    Of a JSON Lines block only those lines are decoded and parsed, the others are skipped
    after a blank-line test: what a second pass over a partition needs when it wants a few of
    its documents back.

    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "a.jsonl")
    >>> with open(p, "w") as f:
    ...     _ = f.write('{"id": 1, "text": "a"}\\n\\n{"id": 2, "text": "b"}\\n{"text": "c"}\\n')
    >>> got = read_rows(plan_blocks([p])[0], [2, 1])
    >>> [(k, r.id, r.text, r.line) for k, r in sorted(got.items())]  # doctest: +ELLIPSIS
    [(1, 2, 'b', 3), (2, '...a.jsonl:4', 'c', 4)]
    """
    wanted = sorted(set(rows))
    if block.kind != "jsonl":
        records = read_block(block, first_line=first_line, id_field=id_field, text_field=text_field)
        return {k: records[k] for k in wanted}
    got = list(_jsonl_block(block, first_line, id_field, text_field, wanted))
    if len(got) < len(wanted):
        raise InputError(f"{block.paths[0]}: changed while the job was reading it")
    return dict(zip(wanted, got, strict=False))


def _only_rows(lines: Iterable[bytes], rows: Sequence[int]) -> Iterator[bytes]:
    """``lines`` with the record lines (the non-blank ones) not at ``rows`` (sorted) made
    blank: `iter_jsonl` then parses only the wanted ones and still numbers every line."""
    wanted = iter(rows)
    nxt = next(wanted, None)
    k = 0
    for raw in lines:
        if nxt is None:
            return
        if raw and not raw.isspace():
            if k == nxt:
                yield raw
                nxt = next(wanted, None)
            else:
                yield b"\n"
            k += 1
        else:
            yield raw


def _jsonl_block(
    block: Block,
    first_line: int,
    id_field: str,
    text_field: str,
    rows: Sequence[int] | None = None,
) -> Iterator[Record | BadRecord]:
    path = block.paths[0]
    if _compressed(path) or (block.start == 0 and block.end >= _size(path)):
        try:
            fh = open_binary(path)
        except OSError as exc:
            yield BadRecord(path, None, f"cannot be read ({exc.strerror or exc})")
            return
        with fh:
            stream: Any = fh if rows is None else _only_rows(fh, rows)
            yield from iter_jsonl(stream, path, id_field=id_field, text_field=text_field)
        return
    with open(path, "rb") as fh:
        if block.start > 0:
            fh.seek(block.start - 1)
            fh.readline()  # the rest of the line begun in the previous block
        # iter_jsonl counts lines from 1: blank lines in front make its numbers absolute
        # (and the ``PATH:LINE`` ids of records without an id) at ~50 ns per skipped line
        lines: Iterable[bytes] = itertools.chain(
            itertools.repeat(b"\n", first_line - 1), _lines_until(fh, block.end)
        )
        if rows is not None:
            lines = _only_rows(lines, rows)
        yield from iter_jsonl(lines, path, id_field=id_field, text_field=text_field)  # type: ignore[arg-type]


def _lines_until(fh: Any, end: int) -> Iterator[bytes]:
    """The lines of ``fh``, from its position, that start before byte ``end`` (positions
    counted from the line lengths: no ``tell`` per line)."""
    pos = fh.tell()
    for line in fh:
        if pos >= end:
            return
        yield line
        pos += len(line)


def _parquet_block(block: Block, id_field: str, text_field: str) -> list[Record | BadRecord]:
    import pyarrow.parquet as pq  # noqa: PLC0415

    path = block.paths[0]
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if text_field not in names:
        raise InputError(f"{path}: no {text_field!r} column (columns: {', '.join(names)})")
    columns = [text_field] + ([id_field] if id_field in names else [])
    # row numbers continue across row groups: the id of a row without an id is PATH:ROW
    row0 = sum(pf.metadata.row_group(g).num_rows for g in range(min(block.row_groups, default=0)))
    table = pf.read_row_groups(list(block.row_groups), columns=columns)
    texts = table.column(text_field).to_pylist()
    ids = table.column(id_field).to_pylist() if id_field in names else [None] * len(texts)
    out: list[Record | BadRecord] = []
    for k, (rid, text) in enumerate(zip(ids, texts, strict=True)):
        row = row0 + k + 1
        if not isinstance(text, str):
            out.append(BadRecord(path, row, f"field {text_field!r} is not a string"))
        elif rid is None:
            out.append(Record(f"{path}:{row}", text, path, row))
        elif isinstance(rid, bool) or not isinstance(rid, str | int | float):
            out.append(BadRecord(path, row, f"field {id_field!r} must be a string or a number"))
        else:
            out.append(Record(rid, text, path, row))
    return out


def read_documents(
    inputs: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    input_format: str = "auto",
    blocksize: int = DEFAULT_BLOCKSIZE,
) -> Any:
    """A `dask.bag.Bag` of :class:`~textqa.records.Record` (and `BadRecord`) over ``inputs``
    (files, directories, globs), one partition per block of :func:`plan_blocks`."""
    db = _dask("dask.bag")

    blocks = plan_blocks(inputs, blocksize=blocksize, input_format=input_format)
    if not blocks:
        raise InputError(f"no input files in {', '.join(inputs)}")
    name = "textqa-read-" + token(blocks, id_field, text_field)
    tasks: dict[Any, Any] = {}
    # a block that starts inside its file needs the number of its first line: the newline
    # counts of the earlier blocks (one task each, in parallel), summed by one task. A job
    # computes the counts before it starts (see resolve_line_numbers)
    inside = [b.kind == "jsonl" and b.start > 0 for b in blocks]
    lines_key = (name + "-lines",)
    gated = any(inside)
    if gated:
        counts = [(name + "-count", k - 1) if inside[k] else None for k in range(len(blocks))]
        for key in counts:
            if key is not None:
                tasks[key] = (count_line_starts, blocks[key[1]])
        tasks[lines_key] = (_first_lines, counts)
    for k, b in enumerate(blocks):
        first: Any = (operator.getitem, lines_key, k) if gated else 1
        tasks[(name, k)] = (_read_task, b, first, id_field, text_field)
    graph = _dask("dask.highlevelgraph").HighLevelGraph.from_collections(name, tasks, [])
    return db.Bag(graph, name, len(blocks))


def _first_lines(counts: Sequence[int | None]) -> list[int]:
    """The first line number of each block, from the line count of the block before it
    (``None`` for a block that starts its file)."""
    out: list[int] = []
    for count in counts:
        out.append(1 if count is None else out[-1] + count)
    return out


def _read_task(
    block: Block, first_line: int, id_field: str, text_field: str
) -> list[Record | BadRecord]:
    return read_block(block, first_line=first_line, id_field=id_field, text_field=text_field)


@dataclass(frozen=True, slots=True)
class RowReader:
    """A partition of :func:`read_documents` not read yet: :meth:`read` returns the records
    at some rows only (see :func:`read_rows`)."""

    block: Block
    first_line: int
    id_field: str
    text_field: str

    def read(self, rows: Iterable[int]) -> dict[int, Record | BadRecord]:
        return read_rows(
            self.block,
            rows,
            first_line=self.first_line,
            id_field=self.id_field,
            text_field=self.text_field,
        )


def _reads(source: Any) -> bool:
    return isinstance(source, tuple) and bool(source) and source[0] is _read_task


def _lines_task(source: Any) -> Any:
    """The key of the first-line numbers a read task takes (see :func:`read_documents`),
    or None."""
    if not _reads(source):
        return None
    first = source[2]
    if isinstance(first, tuple) and len(first) == 3 and first[0] is operator.getitem:
        return first[1]
    return None


def resolve_line_numbers(
    sources: Sequence[Any], graph: Mapping[Any, Any]
) -> tuple[list[Any], dict[Any, Any]]:
    """Partition sources (see :func:`textqa.dask.partitions.partition_sources`) whose block
    reads wait for a first line number (a block that starts inside its file), with those
    numbers computed now: the newline counts of the blocks on the workers, in parallel and in
    one go (a few milliseconds per block, and nothing moves between workers), and their sums
    here. The job's reading tasks then depend on nothing and every worker starts at once;
    otherwise a heavy task waits for a tiny count queued behind another heavy task. Returns
    the sources and the graph of what they still depend on."""
    core = _dask("dask.core")
    gates = {k for k in map(_lines_task, sources) if k is not None}
    if not gates:
        return list(sources), dict(graph)
    delayed = _dask("dask.delayed").Delayed
    plans = {k: graph[k][1] for k in gates}  # (_first_lines, [count key or None, ...])
    counts = sorted({c for plan in plans.values() for c in plan if c is not None})
    values = _dask().compute(*[delayed(c, dict(graph)) for c in counts], optimize_graph=False)
    known = dict(zip(counts, values, strict=True))
    firsts = {
        k: _first_lines([None if c is None else known[c] for c in plan])
        for k, plan in plans.items()
    }
    out = []
    for s in sources:
        gate = _lines_task(s)
        out.append(s if gate is None else (s[0], s[1], firsts[gate][s[2][2]], *s[3:]))
    needed: set[Any] = set()
    for s in out:
        if core.istask(s):
            needed.update(core.get_dependencies(graph, task=s))
        elif core.iskey(s) and s in graph:
            needed.add(s)
    culled, _ = _dask("dask.optimization").cull(dict(graph), list(needed))
    return out, dict(culled)


def row_reader(source: Any) -> Any:
    """For a partition source (see :func:`textqa.dask.partitions.partition_sources`) that
    reads a block of :func:`read_documents`, the task that makes a :class:`RowReader` of that
    block instead; any other source unchanged."""
    if _reads(source):
        return (RowReader, *source[1:])
    return source


# -- writers ------------------------------------------------------------------------------
def write_jsonl(rows: Iterable[Mapping[str, Any]], path: str | os.PathLike[str]) -> int:
    """Write ``rows`` as JSON Lines (UTF-8, one compact object per line) atomically; returns
    the number of rows."""
    from textqa.atomic import write_atomic  # noqa: PLC0415

    n = 0
    lines = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False))
        n += 1
    write_atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))
    return n


def write_parquet(columns: Mapping[str, Sequence[Any]], path: str | os.PathLike[str]) -> int:
    """Write equal-length ``columns`` as one Parquet file atomically; returns the row count.
    Columns of lists (cluster members) become Parquet list columns."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    table = pa.table({k: list(v) for k, v in columns.items()})
    name = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(name))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(name)}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, name)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return int(table.num_rows)

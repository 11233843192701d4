"""Reading a corpus as ``(id, text)`` records: JSON Lines files (plain, ``.gz``, ``.xz``,
``.bz2``), text files, directories of either, and standard input (``-``, JSON Lines).

One reader for every corpus command (``textqa stats``, ``textqa boilerplate``, ``textqa dedup``):
records stream one at a time, so memory does not grow with the corpus.

* JSON Lines: one object per line; the text is ``text_field`` (default ``text``), the id
  ``id_field`` (default ``id``; numbers are turned into strings; a record without one gets
  ``PATH:LINE``). Blank lines are skipped.
* Other files: the whole file is one record whose id is its path (UTF-8; binary, oversized,
  unreadable and undecodable files are reported as problems, except binary files met while
  walking a directory, which are skipped silently).
* Directories are walked recursively in sorted order, hidden entries skipped; JSON Lines files
  found there are read as JSON Lines.

A malformed line (bad JSON, not an object, no text, text not a string, not UTF-8) is a
`CorpusProblem` with its path and line number: passed to ``on_problem`` when given (and the
record skipped), else raised as `textqa.errors.InputError`.

>>> import json, os, tempfile
>>> d = tempfile.mkdtemp()
>>> path = os.path.join(d, "c.jsonl")
>>> with open(path, "w") as fh:
...     _ = fh.write(json.dumps({"id": 7, "text": "hello"}) + "\\n" + "not json\\n")
>>> problems = []
>>> [(r.id, r.text) for r in iter_corpus([path], on_problem=problems.append)]
[('7', 'hello')]
>>> str(problems[0]).endswith("c.jsonl:2: not valid JSON: Expecting value")
True
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from textqa.config import DEFAULT_MAX_FILE_SIZE
from textqa.errors import InputError
from textqa.sources import Skipped, iter_files, read_source

__all__ = ["JSONL_SUFFIXES", "CorpusProblem", "Record", "is_jsonl", "iter_corpus"]

#: names ending with one of these are read as JSON Lines
JSONL_SUFFIXES: tuple[str, ...] = tuple(
    base + comp for base in (".jsonl", ".ndjson") for comp in ("", ".gz", ".xz", ".bz2")
)


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus: its id and text, and where it was read (``line`` is the
    1-based line of a JSON Lines record, ``None`` for a whole file)."""

    id: str
    text: str
    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class CorpusProblem:
    """A record that could not be read: ``path:line: message`` (``line`` ``None`` for a file)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def is_jsonl(path: str) -> bool:
    """True for names read as JSON Lines.

    >>> is_jsonl("a/b.jsonl.gz"), is_jsonl("notes.txt"), is_jsonl("-")
    (True, False, True)
    """
    return path == "-" or path.lower().endswith(JSONL_SUFFIXES)


def _open_binary(path: str) -> IO[bytes] | gzip.GzipFile:
    if path == "-":
        return sys.stdin.buffer
    low = path.lower()
    if low.endswith(".gz"):
        return gzip.open(path, "rb")
    if low.endswith(".xz"):
        return lzma.open(path, "rb")
    if low.endswith(".bz2"):
        return bz2.open(path, "rb")
    return open(path, "rb")


def _jsonl_records(
    path: str, id_field: str, text_field: str, report: Callable[[CorpusProblem], None]
) -> Iterator[Record]:
    name = "<stdin>" if path == "-" else path
    try:
        fh = _open_binary(path)
    except OSError as exc:
        report(CorpusProblem(name, None, f"cannot be read ({exc.strerror or exc})"))
        return
    with fh:
        lineno = 0
        try:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                record = _parse_line(
                    raw, name, lineno, id_field=id_field, text_field=text_field, report=report
                )
                if record is not None:
                    yield record
        except (OSError, EOFError, lzma.LZMAError) as exc:
            report(CorpusProblem(name, lineno + 1, f"cannot be decompressed ({exc})"))


def _parse_line(
    raw: bytes,
    path: str,
    lineno: int,
    *,
    id_field: str,
    text_field: str,
    report: Callable[[CorpusProblem], None],
) -> Record | None:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report(CorpusProblem(path, lineno, f"not valid UTF-8 at byte {exc.start}"))
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        report(CorpusProblem(path, lineno, f"not valid JSON: {exc.msg}"))
        return None
    if not isinstance(obj, dict):
        report(CorpusProblem(path, lineno, f"expected a JSON object, got {type(obj).__name__}"))
        return None
    if text_field not in obj:
        keys = ", ".join(sorted(map(str, obj))[:8]) or "none"
        report(
            CorpusProblem(
                path, lineno, f"no {text_field!r} field (keys: {keys}); see --text-field"
            )
        )
        return None
    text = obj[text_field]
    if not isinstance(text, str):
        report(CorpusProblem(path, lineno, f"{text_field!r} is not a string"))
        return None
    ident = obj.get(id_field)
    if ident is None or isinstance(ident, (dict, list)):
        ident = f"{path}:{lineno}"
    return Record(str(ident), text, path, lineno)


def _file_record(
    path: str, max_size: int, report: Callable[[CorpusProblem], None], *, walked: bool
) -> Record | None:
    source = read_source(path, max_size=max_size)
    if isinstance(source, Skipped):
        if not (walked and source.reason == "binary file"):  # images in a docs tree: silent
            report(CorpusProblem(path, None, f"skipped: {source.reason}"))
        return None
    if source.error_offset is not None:
        report(CorpusProblem(path, None, "not valid UTF-8; re-save the file as UTF-8"))
        return None
    return Record(path, source.text, path)


def _raise(problem: CorpusProblem) -> None:
    raise InputError(str(problem))


def iter_corpus(
    inputs: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    on_problem: Callable[[CorpusProblem], None] | None = None,
) -> Iterator[Record]:
    """Yield the records of ``inputs`` (paths, directories, or ``-`` for JSON Lines on stdin)
    in order. A missing path raises `InputError`; see the module docs for everything else."""
    report = on_problem or _raise
    for inp in inputs:
        if inp == "-":
            yield from _jsonl_records(inp, id_field, text_field, report)
            continue
        if not os.path.exists(inp):
            raise InputError(f"{inp}: no such file or directory")
        for path in iter_files([inp]):
            if is_jsonl(path):
                yield from _jsonl_records(path, id_field, text_field, report)
            else:
                record = _file_record(path, max_file_size, report, walked=path != inp)
                if record is not None:
                    yield record

"""Reading documents for corpus commands, one at a time: JSON Lines (plain, ``.gz``, ``.xz``,
``.bz2``; one record per line), text files (one document each, id = path) and directories of
them. Memory holds one line or one file at a time, never the corpus.

Problems are yielded as :class:`BadRecord` values (with the line number) for the caller to skip
or stop on; the library never prints.

>>> import io
>>> rows = list(iter_jsonl(io.BytesIO(b'{"id": 1, "text": "a"}\\nnot json\\n'), "x.jsonl"))
>>> rows[0]
Record(id=1, text='a', source='x.jsonl', line=1)
>>> rows[1].reason
'malformed JSON (Expecting value at column 1)'
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import math
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from textqa.errors import InputError
from textqa.sources import Skipped, iter_files, read_source

__all__ = [
    "BadRecord",
    "InputFormat",
    "Record",
    "is_jsonl",
    "iter_jsonl",
    "iter_records",
    "open_binary",
]

InputFormat = Literal["auto", "jsonl", "text"]
_COMPRESSED = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
_JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class Record:
    """One document: its id (a JSON string or number, or the path for text files) and text."""

    id: Any
    text: str
    source: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class BadRecord:
    """An input that is not a usable document, and why."""

    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"


def _base_name(path: str) -> str:
    name = os.path.basename(path).lower()
    for suffix in _COMPRESSED:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_jsonl(path: str) -> bool:
    """True for ``.jsonl``/``.ndjson`` names, compressed or not.

    >>> is_jsonl("a/b.jsonl.xz"), is_jsonl("b.txt.gz")
    (True, False)
    """
    return _base_name(path).endswith(_JSONL_SUFFIXES)


def open_binary(path: str) -> IO[bytes]:
    """Open a file for reading bytes, decompressing ``.gz``, ``.xz`` and ``.bz2``."""
    lower = path.lower()
    for suffix, opener in _COMPRESSED.items():
        if lower.endswith(suffix):
            return opener(path, "rb")  # type: ignore[no-any-return, operator]
    return open(path, "rb")


def iter_jsonl(
    stream: IO[bytes], source: str, *, id_field: str = "id", text_field: str = "text"
) -> Iterator[Record | BadRecord]:
    """Records of a JSON Lines byte stream; blank lines are ignored, and so is a UTF-8 byte
    order mark starting the stream. A record without ``id_field`` gets the id ``SOURCE:LINE``.

    >>> import io
    >>> [r.id for r in iter_jsonl(io.BytesIO(b'\\xef\\xbb\\xbf{"id": 7, "text": ""}'), "b.jsonl")]
    [7]
    """
    lineno = 0
    try:
        for line in stream:
            lineno += 1
            raw = line[3:] if lineno == 1 and line.startswith(b"\xef\xbb\xbf") else line
            if not raw.strip():
                continue
            yield _parse_line(raw, source, lineno, id_field, text_field)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        yield BadRecord(source, lineno + 1, f"cannot be read ({exc})")


def _parse_line(
    raw: bytes, source: str, lineno: int, id_field: str, text_field: str
) -> Record | BadRecord:
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return BadRecord(
            source,
            lineno,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02X} at column {exc.start + 1})",
        )
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRecord(source, lineno, f"malformed JSON ({exc.msg} at column {exc.colno})")
    except ValueError:  # an integer literal longer than int() accepts
        digits = sys.get_int_max_str_digits()
        return BadRecord(source, lineno, f"malformed JSON (a number of more than {digits} digits)")
    except RecursionError:
        return BadRecord(source, lineno, "malformed JSON (nested too deeply)")
    if not isinstance(obj, dict):
        return BadRecord(source, lineno, f"not a JSON object but {type(obj).__name__}")
    if text_field not in obj:
        return BadRecord(source, lineno, f"no {text_field!r} field")
    text = obj[text_field]
    if not isinstance(text, str):
        return BadRecord(
            source, lineno, f"field {text_field!r} is {type(text).__name__}, not a string"
        )
    if id_field in obj:
        rid = obj[id_field]
        if (
            isinstance(rid, bool)
            or not isinstance(rid, str | int | float)
            or (isinstance(rid, float) and not math.isfinite(rid))  # NaN, Infinity: not JSON
        ):
            return BadRecord(source, lineno, f"field {id_field!r} must be a string or a number")
    else:
        rid = f"{source}:{lineno}"
    return Record(rid, text, source, lineno)


def _text_file(path: str, max_size: int, explicit: bool) -> Iterator[Record | BadRecord]:
    result: str | BadRecord | Skipped
    if path.lower().endswith(tuple(_COMPRESSED)):
        try:
            with open_binary(path) as fh:
                data = fh.read(max_size + 1)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            yield BadRecord(path, None, f"cannot be read ({exc})")
            return
        if len(data) > max_size:
            yield BadRecord(path, None, f"larger than {max_size:,} bytes uncompressed")
            return
        result = _decode(data, path)
    else:
        source = read_source(path, max_size=max_size)
        if isinstance(source, Skipped):
            result = source
        elif source.error_offset is not None:
            result = BadRecord(
                path,
                None,
                f"not valid UTF-8 (byte 0x{source.error_byte or 0:02X} after "
                f"{source.error_offset} characters)",
            )
        else:
            result = source.text
    if isinstance(result, Skipped):
        if explicit or result.reason != "binary file":
            yield BadRecord(path, None, result.reason)
    elif isinstance(result, BadRecord):
        yield result
    else:
        yield Record(path, result, path)


def _decode(data: bytes, path: str) -> str | BadRecord | Skipped:
    if b"\x00" in data[:8192]:
        return Skipped(path, "binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadRecord(
            path, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start})"
        )


def iter_records(
    inputs: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    input_format: InputFormat = "auto",
    max_size: int = 1 << 30,
    stdin: str | None = None,
) -> Iterator[Record | BadRecord]:
    """Every document of ``inputs`` in order: JSON Lines files give one record per line, other
    files one document each (id = path), directories are walked in sorted order (hidden and
    binary files skipped). ``-`` reads JSON Lines from standard input, or from the file
    ``stdin`` when given (a copy of standard input, to read it again): either way its records
    are named ``-``. A missing path raises `InputError`.
    """
    for item in inputs:
        if item == "-":
            if stdin is None:
                yield from iter_jsonl(
                    sys.stdin.buffer, "-", id_field=id_field, text_field=text_field
                )
            else:
                with open(stdin, "rb") as spooled:
                    yield from iter_jsonl(spooled, "-", id_field=id_field, text_field=text_field)
            continue
        if not os.path.exists(item):
            raise InputError(f"{item}: no such file or directory")
        explicit = not os.path.isdir(item)
        skipped: list[Skipped] = []
        for path in iter_files([item], skipped=skipped):
            yield from _unlisted(skipped)
            jsonl = input_format == "jsonl" or (input_format == "auto" and is_jsonl(path))
            if not jsonl:
                yield from _text_file(path, max_size, explicit)
                continue
            try:
                fh = open_binary(path)
            except OSError as exc:
                yield BadRecord(path, None, f"cannot be read ({exc.strerror or exc})")
                continue
            with fh:
                yield from iter_jsonl(fh, path, id_field=id_field, text_field=text_field)
        yield from _unlisted(skipped)


def _unlisted(skipped: list[Skipped]) -> Iterator[BadRecord]:
    """The folders a walk could not list, as bad records (its other skips, links and pipes,
    stay silent here); empties ``skipped``."""
    for s in skipped:
        if s.reason.startswith("cannot be read"):
            yield BadRecord(s.path, None, s.reason)
    skipped.clear()

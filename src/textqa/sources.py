"""Reading inputs: walking directories, skipping what is not text, decoding UTF-8.

The library never prints: skipped files are returned with a reason for the caller to report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from textqa.errors import InputError

__all__ = ["Skipped", "SourceText", "decode", "iter_files", "read_source"]

_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that was not checked, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded text file. ``error_offset`` is set (and ``text`` holds the decodable prefix
    decoded with replacement characters) when the bytes are not valid UTF-8."""

    path: str
    text: str
    error_offset: int | None = None
    error_byte: int | None = None


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Yield the files named by ``paths``, walking directories recursively in sorted order and
    skipping hidden files and folders found while walking. A missing path raises `InputError`."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif os.path.exists(path):
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def decode(data: bytes, path: str) -> SourceText:
    """Decode UTF-8 (a BOM is kept in the text; positions ignore it).

    >>> decode(b"caf\\xc3\\xa9", "a.txt").text
    'café'
    >>> decode(b"ab\\ncd\\xff", "a.txt").error_offset
    5
    """
    try:
        return SourceText(path, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        text = data.decode("utf-8", errors="replace")
        return SourceText(path, text, error_offset=len(prefix), error_byte=data[exc.start])


def read_source(path: str, *, max_size: int) -> SourceText | Skipped:
    """Read one file: a `SourceText`, or `Skipped` for binary, oversized or unreadable files."""
    try:
        size = os.path.getsize(path)
        if size > max_size:
            return Skipped(
                path,
                f"larger than {max_size:,} bytes ({size:,}); raise --max-file-size to check it",
            )
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return Skipped(path, "is a directory")
    except OSError as exc:
        return Skipped(path, f"cannot be read ({exc.strerror or exc})")
    if b"\x00" in data[:_SNIFF]:
        return Skipped(path, "binary file")
    return decode(data, path)

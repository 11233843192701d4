"""Options and input reading shared by the corpus commands ``dedup``, ``stats`` and
``boilerplate`` (inputs read by `textqa.records`)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from textqa.commands._common import warn
from textqa.errors import InputError
from textqa.records import BadRecord, Record, iter_records

__all__ = ["add_corpus_options", "corpus_inputs", "read_records"]

_MAX_WARNINGS = 20


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="JSON Lines files (.jsonl, .ndjson, optionally .gz/.xz/.bz2), text files, "
        "directories, or - for JSON Lines on standard input",
    )
    p.add_argument("--id-field", default="id", help="JSON Lines id field (default: id)")
    p.add_argument("--text-field", default="text", help="JSON Lines text field (default: text)")
    p.add_argument(
        "--input-format",
        choices=("auto", "jsonl", "text"),
        default="auto",
        help="how to read files: by extension (auto), all as JSON Lines, or all as text",
    )
    p.add_argument(
        "--on-error",
        choices=("skip", "stop"),
        default="stop",
        help="on a malformed record (bad JSON, missing text field, non-UTF-8; for dedup also a "
        "repeated id): skip it with a warning, or stop with an error naming the line "
        "(default: stop)",
    )


def read_records(
    args: argparse.Namespace, *, stdin: str | None = None, quiet: bool = False
) -> Iterator[Record]:
    """The records of ``args.inputs`` (``-`` read from the file ``stdin`` when given, see
    `corpus_inputs`). A bad record stops with an `InputError` naming its file and line, or with
    ``--on-error skip`` is skipped with a warning (at most 20 warnings, then a count; none when
    ``quiet``, for a second reading of the same inputs)."""
    skipped = 0
    for item in iter_records(
        args.inputs,
        id_field=args.id_field,
        text_field=args.text_field,
        input_format=args.input_format,
        stdin=stdin,
    ):
        if isinstance(item, BadRecord):
            if args.on_error == "stop":
                raise InputError(f"{item}; use --on-error skip to skip such records")
            skipped += 1
            if skipped <= _MAX_WARNINGS and not quiet:
                warn(f"{item}: skipped")
            continue
        yield item
    if skipped > _MAX_WARNINGS and not quiet:
        warn(f"{skipped - _MAX_WARNINGS} more bad records skipped ({skipped} in all)")


@contextmanager
def corpus_inputs(args: argparse.Namespace) -> Iterator[str | None]:
    """Make ``args.inputs`` readable more than once: when they include ``-``, standard input
    is spooled to a temporary file (removed afterwards) whose path is yielded, for
    `read_records` to read in place of standard input; else None."""
    if "-" not in args.inputs:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="textqa-") as tmp:
        spooled = os.path.join(tmp, "stdin.jsonl")
        with open(spooled, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield spooled

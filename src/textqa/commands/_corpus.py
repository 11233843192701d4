"""Options and input reading shared by the corpus commands (``stats``, ``boilerplate``)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from textqa.commands._common import warn
from textqa.corpus import CorpusProblem, Record, iter_corpus

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
    p.add_argument(
        "--id-field", default="id", metavar="NAME", help="JSON Lines id field (default: id)"
    )
    p.add_argument(
        "--text-field", default="text", metavar="NAME", help="JSON Lines text field (default: text)"
    )


class _Warner:
    """Warns about the first malformed records, then counts the rest."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, problem: CorpusProblem) -> None:
        self.count += 1
        if self.count <= _MAX_WARNINGS:
            warn(str(problem))

    def summary(self) -> None:
        if self.count > _MAX_WARNINGS:
            warn(f"{self.count - _MAX_WARNINGS} more records could not be read")


def read_records(args: argparse.Namespace, inputs: list[str] | None = None) -> Iterator[Record]:
    """The records of ``inputs`` (default ``args.inputs``), warning on stderr about malformed
    ones (at most 20 warnings, then a count)."""
    warner = _Warner()
    yield from iter_corpus(
        inputs if inputs is not None else args.inputs,
        id_field=args.id_field,
        text_field=args.text_field,
        on_problem=warner,
    )
    warner.summary()


@contextmanager
def corpus_inputs(args: argparse.Namespace) -> Iterator[list[str]]:
    """``args.inputs`` readable more than once: standard input is spooled to a temporary
    JSON Lines file (removed afterwards)."""
    if "-" not in args.inputs:
        yield list(args.inputs)
        return
    with tempfile.TemporaryDirectory(prefix="textqa-") as tmp:
        spooled = os.path.join(tmp, "stdin.jsonl")
        with open(spooled, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield [spooled if i == "-" else i for i in args.inputs]

"""The spelling options of ``textqa check``: mode, language variant and user vocabulary."""

from __future__ import annotations

import argparse
import os
from typing import Any

from textqa.config import Settings
from textqa.errors import UsageError

__all__ = ["add_spelling_options", "spelling_changes"]


def split_list(values: list[str] | None) -> tuple[str, ...] | None:
    """``["a,b", "c"]`` -> ``("a", "b", "c")``.

    >>> split_list(["a, b", "c"])
    ('a', 'b', 'c')
    """
    if values is None:
        return None
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


def add_spelling_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--spelling",
        choices=("strict", "full"),
        help="strict (default): known misspellings, stutters, doubled words, articles; "
        "full: also unknown words close to a common word (TQ402); overrides the configuration",
    )
    p.add_argument(
        "--language",
        choices=("en", "en-US", "en-GB"),
        help="en (default) accepts American and British spellings; en-US/en-GB only one variant",
    )
    p.add_argument(
        "--words",
        action="append",
        metavar="WORDS",
        help="extra vocabulary never reported by spelling rules; comma-separated or repeated "
        "(added to the configured words)",
    )
    p.add_argument(
        "--words-file",
        metavar="PATH",
        help="a file of extra vocabulary, one word per line ('#' starts a comment)",
    )


def spelling_changes(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The `Settings` changes the spelling options in ``args`` ask for, on top of ``settings``
    (from the configuration file): mode, language and words file replace, words add."""
    changes: dict[str, Any] = {}
    for key in ("spelling", "language"):
        value = getattr(args, key, None)
        if value is not None:
            changes[key] = value
    words = split_list(getattr(args, "words", None))
    if words:
        changes["words"] = (*settings.words, *words)
    words_file = getattr(args, "words_file", None)
    if words_file is not None:
        if not os.path.isfile(words_file):
            raise UsageError(f"--words-file {words_file!r} is not a readable file")
        changes["words_file"] = os.path.abspath(words_file)
    return changes

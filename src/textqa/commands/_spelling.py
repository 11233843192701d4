"""The spelling options of ``textqa check``: mode, language variant and user vocabulary."""

from __future__ import annotations

import argparse
import os
from typing import Any

from textqa.commands._common import split_list
from textqa.errors import UsageError

__all__ = ["add_spelling_options", "spelling_settings"]


def add_spelling_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--spelling",
        choices=("strict", "full"),
        default="strict",
        help="strict (default): known misspellings, stutters, doubled words, articles; "
        "full: also unknown words close to a common word (TQ402)",
    )
    p.add_argument(
        "--language",
        choices=("en", "en-US", "en-GB"),
        default="en",
        help="en (default) accepts American and British spellings; en-US/en-GB only one variant",
    )
    p.add_argument(
        "--words",
        action="append",
        metavar="WORDS",
        help="extra vocabulary never reported by spelling rules; comma-separated or repeated",
    )
    p.add_argument(
        "--words-file",
        metavar="PATH",
        help="a file of extra vocabulary, one word per line ('#' starts a comment)",
    )


def spelling_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The `Settings` keywords for the spelling options in ``args``."""
    words_file = args.words_file
    if words_file is not None and not os.path.isfile(words_file):
        raise UsageError(f"--words-file {words_file!r} is not a readable file")
    return {
        "spelling": args.spelling,
        "language": args.language,
        "words": split_list(args.words) or (),
        "words_file": words_file,
    }

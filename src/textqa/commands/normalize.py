"""``textqa normalize [--profile P] FILE... | -``: print or write normalized text."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from textqa.atomic import read_bytes, write_text_atomic
from textqa.errors import InputError, UsageError
from textqa.normalize import PROFILES, Change, explain, normalize
from textqa.parse import parse


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="normalize text (Unicode, newlines, invisible characters, mojibake ...)",
        description="Write the normalized text of FILE (or standard input, '-') to standard "
        "output, or rewrite files in place.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="files, or - for standard input")
    p.add_argument(
        "--profile",
        choices=list(PROFILES),
        default="safe",
        help="safe (default): only what a careful writer never meant; ascii-punct: also "
        "quotes, dashes, ellipsis and spaces to ASCII; dedup-key: the near-duplicate key",
    )
    p.add_argument(
        "--skeleton",
        action="store_true",
        help="also map confusable characters to their UTS #39 skeleton "
        "(full table from $TEXTQA_CONFUSABLES, else the built-in one)",
    )
    p.add_argument(
        "--in-place",
        action="store_true",
        help="rewrite each FILE atomically instead of printing (exit 1 when one changed)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="list each change as PATH:LINE:COL: step: before -> after (instead of the text; "
        "with --in-place, as well as writing)",
    )
    return p


def _show(s: str) -> str:
    """A quoted form in which invisible and odd characters show as escapes.

    >>> print(_show("a\u00a0b\u200b’'"))
    'a\\xa0b\\u200b’\\''
    """
    body = "".join(
        "\\'" if c == "'" else c if c.isprintable() else c.encode("unicode_escape").decode()
        for c in s
    )
    return f"'{body}'"


def _explain_lines(name: str, text: str, changes: list[Change]) -> list[str]:
    doc = parse(text, kind="text")
    return [
        f"{name}:{doc.position(c.span.start)}: {c.step}: {_show(c.before)} -> {_show(c.after)}"
        for c in sorted(changes, key=lambda c: c.span.start)
    ]


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None


def run(args: argparse.Namespace) -> int:
    paths: list[str] = args.paths
    if "-" in paths and len(paths) > 1:
        raise UsageError("'-' (standard input) cannot be mixed with files")
    if args.in_place and paths == ["-"]:
        raise UsageError("--in-place needs files, not standard input")
    if not args.in_place and not args.explain and len(paths) > 1:
        raise UsageError("give one FILE (or use --in-place or --explain for several)")
    changed = failed = False
    for name in paths:
        try:
            changed |= _normalize_file(args, name)
        except InputError as exc:
            if len(paths) == 1:
                raise
            # one bad file among several (a pre-commit run): report it and do the others
            print(f"textqa: error: {exc}", file=sys.stderr)
            failed = True
    return 2 if failed else 1 if changed else 0


def _normalize_file(args: argparse.Namespace, name: str) -> bool:
    """Normalize one file (or ``-``) as the options say; True when it was rewritten."""
    data = sys.stdin.buffer.read() if name == "-" else read_bytes(name)
    text = _decode(data, name)
    out = normalize(text, args.profile, skeleton=args.skeleton)
    if args.explain:
        lines = _explain_lines(name, text, explain(text, args.profile, skeleton=args.skeleton))
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
    if args.in_place:
        if out != text:
            write_text_atomic(name, out, expected=data)
            return True
    elif not args.explain:
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.flush()
    return False

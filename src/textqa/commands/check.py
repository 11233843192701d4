"""``textqa check PATH... | -``: run the rules and print findings."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from textqa.check import check_documents, check_paths, encoding_finding
from textqa.commands._common import add_selection_options, positive_int, split_list, warn
from textqa.commands._spelling import add_spelling_options, spelling_settings
from textqa.config import DEFAULT_MAX_FILE_SIZE, Settings
from textqa.errors import InputError
from textqa.model import Finding
from textqa.parse import parse
from textqa.report import FORMATS, format_findings
from textqa.sources import decode


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="check files for text-quality problems",
        description="Check files and directories (recursively) or standard input ('-').",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    add_selection_options(p)
    add_spelling_options(p)
    p.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="output format (default: text)"
    )
    p.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="file name to report for standard input (its extension picks the markup kind)",
    )
    p.add_argument(
        "--max-file-size",
        type=positive_int,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="BYTES",
        help=f"skip larger files with a warning (default: {DEFAULT_MAX_FILE_SIZE})",
    )
    return p


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings(
        select=split_list(args.select),
        ignore=split_list(args.ignore) or (),
        extend_select=split_list(args.extend_select) or (),
        max_file_size=args.max_file_size,
        **spelling_settings(args),
    )


def _check_stdin(args: argparse.Namespace, settings: Settings) -> list[Finding]:
    data = sys.stdin.buffer.read()
    name = args.stdin_filename or "-"
    source = decode(data, name)
    if source.error_offset is not None:
        return [encoding_finding(source)] if "TQ100" in settings.enabled else []
    return check_documents([parse(source.text, name)], settings=settings)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    settings.enabled  # noqa: B018 -- validate selectors before reading any input
    if args.paths == ["-"]:
        findings = _check_stdin(args, settings)
    else:
        if "-" in args.paths:
            raise InputError("'-' (standard input) cannot be mixed with paths")
        result = check_paths(args.paths, settings=settings)
        explicit = {os.path.normpath(p) for p in args.paths}
        for s in result.skipped:
            if os.path.normpath(s.path) in explicit or s.reason != "binary file":
                warn(f"{s.path}: skipped: {s.reason}")
        if result.files_checked == 0 and not result.skipped:
            warn(f"no text files found in {', '.join(args.paths)}")
        findings = list(result.findings)
    sys.stdout.write(format_findings(findings, args.format))
    return 1 if findings else 0

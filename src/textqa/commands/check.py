"""``textqa check PATH... | -``: run the rules and print findings (or fix them)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from textqa.check import check_documents, check_paths, encoding_finding
from textqa.commands._common import (
    add_config_option,
    add_selection_options,
    load_settings,
    non_negative_int,
    positive_int,
    warn,
)
from textqa.commands._spelling import add_spelling_options
from textqa.config import DEFAULT_MAX_FILE_SIZE, Settings
from textqa.errors import InputError, TextQAError
from textqa.model import Finding
from textqa.parse import parse
from textqa.report import FORMATS, format_findings, format_statistics, format_text
from textqa.sources import decode


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="check files for text-quality problems",
        description="Check files and directories (recursively) or standard input ('-').",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    add_selection_options(p)
    add_config_option(p)
    add_spelling_options(p)
    p.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="output format (default: text)"
    )
    p.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings per rule instead of the findings",
    )
    p.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="file name to report for standard input (its extension picks the markup kind)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="skip files and folders matching these globs (comma-separated or repeated; "
        "added to the configured exclude)",
    )
    p.add_argument(
        "--no-gitignore",
        action="store_true",
        help="also check files that .gitignore excludes inside a git work tree",
    )
    p.add_argument(
        "--max-file-size",
        type=positive_int,
        default=None,
        metavar="BYTES",
        help=f"skip larger files with a warning (default: {DEFAULT_MAX_FILE_SIZE})",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="check files in N worker processes; 0 (the default) picks one per CPU when "
        "there is at least 1 MB of text to check, else 1",
    )
    p.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes in place (atomic writes), then report what is left",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print the safe fixes as a unified diff instead of writing them",
    )
    p.add_argument(
        "--report-unused-ignores",
        action="store_true",
        help="report textqa: ignore comments that suppress nothing (TQ001)",
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not recorded in this baseline file",
    )
    p.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the current findings in FILE (then exit 0)",
    )
    return p


class _Texts:
    """The decoded text of each checked path (for fingerprints and fixes), read once."""

    def __init__(self, stdin: tuple[str, str] | None = None) -> None:
        self._cache: dict[str | None, str | None] = {}
        if stdin is not None:
            self._cache[stdin[0]] = stdin[1]

    def __call__(self, path: str | None) -> str | None:
        from textqa.atomic import read_bytes  # noqa: PLC0415 -- only for baselines

        if path not in self._cache:
            try:
                self._cache[path] = decode(read_bytes(path), path).text if path else None
            except InputError:
                self._cache[path] = None
        return self._cache[path]


def _checker(settings: Settings, path: str) -> Any:
    def run(text: str) -> list[Finding]:
        return check_documents([parse(text, path)], settings=settings)

    return run


def _diff(path: str, old: str, new: str) -> str:
    import difflib  # noqa: PLC0415 -- only for --diff (start-up cost)

    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    marker = "\n\\ No newline at end of file\n"
    return "".join(x if x.endswith(("\n", "\r")) else x + marker for x in lines)


def _fix_files(
    findings: Sequence[Finding], settings: Settings, *, write: bool
) -> tuple[str, int, list[str]]:
    """Fix every file with a safe fix: (diff text, files changed, error messages)."""
    from textqa.atomic import read_bytes, write_text_atomic  # noqa: PLC0415 -- only for --fix
    from textqa.fixes import fix_text, fixable  # noqa: PLC0415

    paths = sorted({f.path for f in findings if f.path and fixable(f)})
    diffs: list[str] = []
    errors: list[str] = []
    changed = 0
    for path in paths:
        try:
            data = read_bytes(path)
            source = decode(data, path)
            if source.error_offset is not None:
                continue
            outcome = fix_text(source.text, _checker(settings, path))
            if not outcome.changed(source.text):
                continue
            if write:
                write_text_atomic(path, outcome.text, expected=data)
            else:
                diffs.append(_diff(path, source.text, outcome.text))
            changed += 1  # counted once written: a file left alone with an error is not fixed
        except TextQAError as exc:
            errors.append(str(exc))
    return "".join(diffs), changed, errors


def _read_stdin(
    args: argparse.Namespace, settings: Settings
) -> tuple[str, str, list[Finding], bytes | None]:
    """Name, text and findings of standard input, and its bytes when they are not UTF-8 (the
    text then holds replacement characters: it is never fixed)."""
    data = sys.stdin.buffer.read()
    name = args.stdin_filename or "-"
    source = decode(data, name)
    if source.error_offset is not None:
        found = [encoding_finding(source)] if "TQ100" in settings.enabled else []
        return name, source.text, found, data
    found = check_documents([parse(source.text, name)], settings=settings)
    return name, source.text, found, None


def _check_files(args: argparse.Namespace, settings: Settings) -> list[Finding]:
    result = check_paths(
        args.paths, settings=settings, jobs=args.jobs, gitignore=not args.no_gitignore
    )
    explicit = {os.path.normpath(p) for p in args.paths}
    for s in result.skipped:
        if os.path.normpath(s.path) in explicit or s.reason != "binary file":
            warn(f"{s.path}: skipped: {s.reason}")
    if result.files_checked == 0 and not result.skipped:
        warn(f"no text files found in {', '.join(args.paths)}")
    return list(result.findings)


def run(args: argparse.Namespace) -> int:
    stdin = args.paths == ["-"]
    if not stdin and "-" in args.paths:
        raise InputError("'-' (standard input) cannot be mixed with paths")
    if args.fix and args.diff:
        raise InputError("--fix and --diff cannot be combined (--diff only shows the fixes)")
    if args.write_baseline and args.baseline:
        raise InputError("--write-baseline and --baseline cannot be combined")
    if args.write_baseline and (args.diff or (args.fix and stdin)):
        # these print text and stop: the baseline would silently not be written
        what = "--diff" if args.diff else "--fix on standard input"
        raise InputError(f"--write-baseline and {what} cannot be combined")
    where = [args.stdin_filename] if stdin and args.stdin_filename else args.paths
    settings, _config = load_settings(args, where)
    baseline = None
    if args.baseline:
        from textqa.baseline import Baseline  # noqa: PLC0415 -- rarely used

        baseline = Baseline.load(args.baseline)  # fail before the work, not after

    if stdin:
        name, text, findings, undecodable = _read_stdin(args, settings)
        texts = _Texts((name, text))
        if (args.fix or args.diff) and undecodable is not None:
            # not UTF-8: like such a file, nothing is fixed; --fix passes the bytes through
            if args.diff:
                return 0
            sys.stdout.flush()
            sys.stdout.buffer.write(undecodable)
            sys.stdout.flush()
            sys.stderr.write(format_text(findings))
            return 1 if findings else 0
        if args.fix or args.diff:
            from textqa.fixes import fix_text  # noqa: PLC0415 -- start-up cost

            outcome = fix_text(text, _checker(settings, name))
            if args.diff:
                sys.stdout.write(_diff(name, text, outcome.text))
                return 1 if outcome.changed(text) else 0
            sys.stdout.flush()  # the text in its own encoding (UTF-8), whatever the locale's
            sys.stdout.buffer.write(outcome.text.encode("utf-8"))
            sys.stdout.flush()
            sys.stderr.write(format_text(outcome.remaining))
            return 1 if outcome.remaining else 0
    else:
        findings = _check_files(args, settings)
        texts = _Texts()
        if args.fix or args.diff:
            diff, changed, errors = _fix_files(findings, settings, write=args.fix)
            for message in errors:
                print(f"textqa: error: {message}", file=sys.stderr)
            if args.diff:
                sys.stdout.write(diff)
                return 2 if errors else 1 if changed else 0
            if changed:
                print(f"textqa: fixed {changed} file{'s' * (changed != 1)}", file=sys.stderr)
                findings = _check_files(args, settings)
            if errors:
                _report(args, findings, texts, baseline)
                return 2

    if args.write_baseline:
        from textqa.baseline import write_baseline  # noqa: PLC0415 -- rarely used

        n = write_baseline(args.write_baseline, findings, texts)
        print(f"textqa: recorded {n} finding{'s' * (n != 1)} in {args.write_baseline}",
              file=sys.stderr)
        return 0
    return _report(args, findings, texts, baseline)


def _report(
    args: argparse.Namespace, findings: list[Finding], texts: _Texts, baseline: Any
) -> int:
    if baseline is not None:
        findings = baseline.filter(findings, texts)
    if args.statistics:
        sys.stdout.write(format_statistics(findings, "json" if args.format == "json" else "text"))
    else:
        sys.stdout.write(format_findings(findings, args.format))
    return 1 if findings else 0

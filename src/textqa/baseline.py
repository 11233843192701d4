"""Baselines: record today's findings so that only new ones are reported.

A finding is keyed by its file (relative to the baseline file's folder, ``/``-separated), its
rule code, and a hash of the text it flags (the whole line when the finding covers no text).
Line numbers are not part of the key, so edits elsewhere in a file keep old findings matched;
a finding whose flagged text changes is new. A key recorded ``n`` times absorbs ``n`` findings.

The file is JSON, sorted, one entry per key::

    {"textqa-baseline": 1, "findings": [{"path": "docs/a.md", "code": "TQ401",
     "hash": "5d41402abc4b2a76", "count": 1}]}

>>> from textqa import parse
>>> from textqa.rules import make_finding
>>> doc = parse("one caf\\u00e9 two", "a.txt")
>>> f = make_finding(doc, "TQ100", 4, 8, "m")
>>> fingerprint(f, doc.text) == hashlib.sha256("TQ100\\0café".encode()).hexdigest()[:16]
True
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textqa.atomic import write_atomic
from textqa.errors import InputError
from textqa.globs import relative_posix
from textqa.model import Finding

__all__ = ["BASELINE_VERSION", "Baseline", "fingerprint", "key_path", "write_baseline"]

BASELINE_VERSION = 1

Key = tuple[str, str, str]


def fingerprint(finding: Finding, text: str | None) -> str:
    """16 hex digits of SHA-256 over the code and the flagged text (the line for an empty span)."""
    flagged = ""
    if text is not None:
        start, end = finding.span.start, finding.span.end
        if start == end:
            start = text.rfind("\n", 0, start) + 1
            nl = text.find("\n", end)
            end = len(text) if nl < 0 else nl
        flagged = text[start:end]
    data = f"{finding.code}\0{flagged}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def key_path(path: str | None, folder: str) -> str:
    """The path recorded in a baseline: relative to the baseline's folder (``-`` for stdin)."""
    if path is None or path == "-":
        return "-"
    return relative_posix(path, folder)


def _keys(
    findings: Iterable[Finding], text_of: Callable[[str | None], str | None], folder: str
) -> list[tuple[Key, Finding]]:
    return [
        ((key_path(f.path, folder), f.code, fingerprint(f, text_of(f.path))), f) for f in findings
    ]


def write_baseline(
    path: str, findings: Sequence[Finding], text_of: Callable[[str | None], str | None]
) -> int:
    """Write the baseline of ``findings`` to ``path`` atomically; returns how many it records.

    ``text_of(path)`` returns the text a finding's span indexes (None when unavailable).
    """
    folder = os.path.dirname(os.path.abspath(path))
    counts = Counter(k for k, _ in _keys(findings, text_of, folder))
    entries = [
        {"path": p, "code": c, "hash": h, "count": n} for (p, c, h), n in sorted(counts.items())
    ]
    data = {"textqa-baseline": BASELINE_VERSION, "findings": entries}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    # a file name that is not UTF-8 holds lone surrogates: written as their JSON escapes
    write_atomic(path, text.encode("utf-8", "backslashreplace"))
    return sum(counts.values())


@dataclass(frozen=True, slots=True)
class Baseline:
    """A loaded baseline; `filter` drops the findings it records."""

    path: str
    counts: dict[Key, int]

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise InputError(
                f"{path}: cannot read baseline ({exc.strerror or exc}); "
                "create it with --write-baseline"
            ) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not a textqa baseline ({exc})") from None
        if not isinstance(data, dict) or data.get("textqa-baseline") != BASELINE_VERSION:
            raise InputError(
                f"{path}: not a textqa baseline (version {BASELINE_VERSION}); "
                "write a new one with --write-baseline"
            )
        counts: dict[Key, int] = {}
        try:
            for e in data["findings"]:
                key = (str(e["path"]), str(e["code"]), str(e["hash"]))
                counts[key] = counts.get(key, 0) + int(e.get("count", 1))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: malformed baseline entry ({exc})") from None
        return cls(path, counts)

    def filter(
        self, findings: Sequence[Finding], text_of: Callable[[str | None], str | None]
    ) -> list[Finding]:
        """The findings not recorded in the baseline (in their original order)."""
        left = dict(self.counts)
        folder = os.path.dirname(os.path.abspath(self.path))
        out = []
        for key, f in _keys(findings, text_of, folder):
            if left.get(key, 0) > 0:
                left[key] -= 1
            else:
                out.append(f)
        return out

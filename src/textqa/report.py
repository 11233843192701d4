"""Output formats for findings. Pure functions: findings in, text out (the CLI prints it).

>>> from textqa import check
>>> print(format_text(check("ab\\udc80", path="x.txt", select=["ALL"])) or "(none)")
(none)
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from textqa._version import __version__
from textqa.model import Finding
from textqa.rules import RULES

__all__ = [
    "FORMATS",
    "finding_to_dict",
    "format_findings",
    "format_github",
    "format_json",
    "format_sarif",
    "format_statistics",
    "format_text",
]


def _path(f: Finding) -> str:
    return f.path if f.path is not None else "-"


def format_text(findings: Sequence[Finding]) -> str:
    """One line per finding: ``path:line:col: CODE name: message``."""
    return "".join(
        f"{_path(f)}:{f.start.line}:{f.start.column}: {f.code} {f.name}: {f.message}\n"
        for f in findings
    )


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """The JSON object of one finding (stable key order)."""
    return {
        "path": _path(f),
        "line": f.start.line,
        "column": f.start.column,
        "end_line": f.end.line,
        "end_column": f.end.column,
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity,
        "suggestions": list(f.suggestions),
        "related": [
            {"path": r.path if r.path is not None else _path(f), "line": r.line, "column": r.column}
            for r in f.related
        ],
    }


def format_json(findings: Sequence[Finding]) -> str:
    """A JSON array of finding objects (keys: path, line, column, end_line, end_column, code,
    name, message, severity, suggestions, related)."""
    return json.dumps([finding_to_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


# -- GitHub Actions workflow commands ---------------------------------------------------------
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions annotations, one workflow command per finding.

    >>> from textqa import parse
    >>> from textqa.rules import make_finding
    >>> f = make_finding(parse("ab", "a,b.md"), "TQ100", 0, 1, "50% off:\\nnow")
    >>> print(format_github([f]), end="")  # doctest: +NORMALIZE_WHITESPACE
    ::error file=a%2Cb.md,line=1,col=1,endLine=1,endColumn=2,title=TQ100
    invalid-encoding::50%25 off:%0Anow
    """
    return "".join(
        f"::{_GITHUB_LEVEL[f.severity]} file={_gh_property(_path(f))},line={f.start.line},"
        f"col={f.start.column},endLine={f.end.line},endColumn={f.end.column},"
        f"title={_gh_property(f'{f.code} {f.name}')}::{_gh_data(f.message)}\n"
        for f in findings
    )


# -- SARIF 2.1.0 -------------------------------------------------------------------------------
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_DOCS = "https://textqa.readthedocs.io/en/latest/rules/"


def _uri(path: str) -> str:
    """A SARIF ``artifactLocation.uri``: relative paths stay relative (``/``-separated); the
    bytes of a file name that is not UTF-8 are percent-encoded as they are.

    >>> _uri("docs/a b.md"), _uri(os.fsdecode(b"caf\\xff.md"))
    ('docs/a%20b.md', 'caf%FF.md')
    """
    uri = quote(path.replace(os.sep, "/"), errors="surrogateescape")
    return "file://" + uri if os.path.isabs(path) else uri


def _region(line: int, column: int, end_line: int | None, end_column: int | None) -> dict[str, int]:
    region = {"startLine": line, "startColumn": column}
    if end_line is not None and end_column is not None:
        region |= {"endLine": end_line, "endColumn": end_column}
    return region


def _sarif_rule(code: str, name: str, summary: str, severity: str) -> dict[str, Any]:
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "helpUri": _DOCS,
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(severity, "warning")},
    }


def format_sarif(findings: Sequence[Finding]) -> str:
    """A SARIF 2.1.0 log with one run: every rule of the table in ``tool.driver.rules``, one
    result per finding (columns counted in Unicode code points, as everywhere in textqa)."""
    rules = [_sarif_rule(r.code, r.name, r.summary, r.severity) for r in RULES]
    index = {r.code: i for i, r in enumerate(RULES)}
    for f in findings:  # codes outside the table (e.g. unused suppressions)
        if f.code not in index:
            index[f.code] = len(rules)
            rules.append(_sarif_rule(f.code, f.name, f.name.replace("-", " "), f.severity))
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(_path(f))},
                        "region": _region(
                            f.start.line, f.start.column, f.end.line, f.end.column
                        ),
                    }
                }
            ],
        }
        if f.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": _uri(r.path if r.path is not None else _path(f))
                        },
                        "region": _region(r.line, r.column, r.end_line, r.end_column),
                    },
                    **({"message": {"text": r.message}} if r.message else {}),
                }
                for i, r in enumerate(f.related)
            ]
        if f.suggestions:
            result["properties"] = {"suggestions": list(f.suggestions)}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "textqa",
                        "version": __version__,
                        "informationUri": "https://textqa.readthedocs.io",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- statistics --------------------------------------------------------------------------------
def format_statistics(findings: Sequence[Finding], fmt: str = "text") -> str:
    """Counts per rule, most frequent first (ties by code). ``fmt`` ``json`` gives a JSON array.

    >>> from textqa import parse
    >>> from textqa.rules import make_finding
    >>> doc = parse("abc")
    >>> fs = [make_finding(doc, "TQ100", i, i + 1, "m") for i in range(3)]
    >>> print(format_statistics(fs), end="")
        3  TQ100  invalid-encoding
    """
    counts = Counter((f.code, f.name) for f in findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    if fmt == "json":
        data = [{"code": c, "name": n, "count": k} for (c, n), k in rows]
        return json.dumps(data, indent=2) + "\n"
    return "".join(f"{k:5d}  {c}  {n}\n" for (c, n), k in rows)


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "github": format_github,
    "json": format_json,
    "sarif": format_sarif,
    "text": format_text,
}


def format_findings(findings: Sequence[Finding], fmt: str) -> str:
    """Render ``findings`` in format ``fmt`` (a key of `FORMATS`)."""
    return FORMATS[fmt](findings)

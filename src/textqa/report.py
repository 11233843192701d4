"""Output formats for findings. Pure functions: findings in, text out (the CLI prints it).

>>> from textqa import check
>>> print(format_text(check("ab\\udc80", path="x.txt", select=["ALL"])) or "(none)")
(none)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from textqa.model import Finding

__all__ = ["FORMATS", "finding_to_dict", "format_findings", "format_json", "format_text"]


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


FORMATS = {"text": format_text, "json": format_json}


def format_findings(findings: Sequence[Finding], fmt: str) -> str:
    return FORMATS[fmt](findings)

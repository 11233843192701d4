"""textqa: text quality for corpora and docs.

Near-duplicate documents (MinHash + LSH), repeated paragraphs and boilerplate, spelling
anomalies, and Unicode normalization, behind one parse of each text.

>>> import textqa
>>> doc = textqa.parse("Hello, world.")
>>> [t.text for t in doc.tokens]
['Hello', 'world']
"""

from typing import TYPE_CHECKING, Any

from textqa._version import __version__
from textqa.check import CheckResult, Context, check, check_documents, check_paths
from textqa.config import Settings
from textqa.errors import ConfigError, InputError, TextQAError, UsageError
from textqa.model import (
    Document,
    Edit,
    Finding,
    Fix,
    Line,
    Paragraph,
    Position,
    Related,
    Span,
    Token,
)
from textqa.parse import parse
from textqa.rules import RULES, Rule
from textqa.tokenize import tokenize

if TYPE_CHECKING:
    from textqa.anomalies import SpellingAnomalies, spelling_anomalies
    from textqa.dedup import Cluster, Deduplicator, DedupResult, deduplicate, explain

#: public names whose modules load on first use, keeping `import textqa` (and so the
#: pre-commit hook's start-up) free of the near-duplicate and spelling machinery
_LAZY = {
    "Cluster": "textqa.dedup",
    "DedupResult": "textqa.dedup",
    "Deduplicator": "textqa.dedup",
    "deduplicate": "textqa.dedup",
    "explain": "textqa.dedup",
    "SpellingAnomalies": "textqa.anomalies",
    "spelling_anomalies": "textqa.anomalies",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'textqa' has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

__all__ = [
    "RULES",
    "CheckResult",
    "Cluster",
    "ConfigError",
    "Context",
    "DedupResult",
    "Deduplicator",
    "Document",
    "Edit",
    "Finding",
    "Fix",
    "InputError",
    "Line",
    "Paragraph",
    "Position",
    "Related",
    "Rule",
    "Settings",
    "Span",
    "SpellingAnomalies",
    "TextQAError",
    "Token",
    "UsageError",
    "__version__",
    "check",
    "check_documents",
    "check_paths",
    "deduplicate",
    "explain",
    "parse",
    "spelling_anomalies",
    "tokenize",
]

"""textqa: text quality for corpora and docs.

Near-duplicate documents (MinHash + LSH), repeated paragraphs and boilerplate, spelling
anomalies, and Unicode normalization, behind one parse of each text.

>>> import textqa
>>> doc = textqa.parse("Hello, world.")
>>> [t.text for t in doc.tokens]
['Hello', 'world']
"""

from textqa._version import __version__
from textqa.anomalies import SpellingAnomalies, spelling_anomalies
from textqa.check import CheckResult, Context, check, check_documents, check_paths
from textqa.config import Settings
from textqa.dedup import Cluster, Deduplicator, DedupResult, deduplicate, explain
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

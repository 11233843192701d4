"""Per-document corpus statistics: the object ``textqa stats`` prints for each document.

The object is ``{"id": ..., **provider(text, options) for each provider}``. Providers live in
`PROVIDERS`, in output order; each returns the top-level keys it owns. The Gopher repetition
provider owns ``metrics`` (datatrove's names) and ``fails`` (the rules above their threshold);
the spelling provider owns ``spelling`` (`textqa.anomalies.spelling_stats`).

To add statistics (for example per-document anomaly rates from another rule family), write a
function ``(text, options) -> dict`` and append ``(name, function)`` to `PROVIDERS`; add a field
to `StatsOptions` if it needs a setting. Nothing else changes: the CLI, the JSON Lines writer
and the library call `document_stats`.

>>> s = document_stats("d1", "Hello there.\\n\\nHello there.")
>>> s["id"], s["metrics"]["dup_para_frac"], s["fails"][:2]
('d1', 0.5, ['dup_para_frac', 'dup_para_char_frac'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from textqa.anomalies import spelling_stats
from textqa.gopher import Compat, repetition_metrics

__all__ = ["PROVIDERS", "StatsOptions", "StatsProvider", "document_stats", "gopher_stats"]


@dataclass(frozen=True, slots=True)
class StatsOptions:
    """Settings of the providers: ``compat`` and ``thresholds`` are the Gopher provider's
    (``thresholds`` ``None`` means the paper's, `textqa.gopher.GOPHER_THRESHOLDS`)."""

    compat: Compat = "textqa"
    thresholds: Mapping[str, float] | None = None


StatsProvider = Callable[[str, StatsOptions], Mapping[str, Any]]


def gopher_stats(text: str, options: StatsOptions) -> dict[str, Any]:
    """``metrics``: the thirteen Gopher repetition values; ``fails``: the rules above their
    thresholds (``empty`` first for an empty text under ``compat="datatrove"``)."""
    m = repetition_metrics(text, compat=options.compat)
    return {"metrics": m.as_dict(), "fails": list(m.passes(options.thresholds).failed)}


#: (name, provider) in output order
PROVIDERS: list[tuple[str, StatsProvider]] = [
    ("gopher", gopher_stats),
    ("spelling", spelling_stats),
]


def document_stats(
    doc_id: object, text: str, options: StatsOptions | None = None
) -> dict[str, Any]:
    """The statistics object of one document (keys: ``id``, then each provider's); ``doc_id``
    is written as given (a JSON Lines id stays a string or a number)."""
    options = options or StatsOptions()
    out: dict[str, Any] = {"id": doc_id}
    for _, provider in PROVIDERS:
        out.update(provider(text, options))
    return out

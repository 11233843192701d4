"""A stand-in rule family for testing the engine's machinery (suppression, fixes, baselines)
independently of the real families: it flags every ``teh`` (safe fix ``the``) and every
``zz`` (unsafe fix ``z``) as TQ100 findings."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from textqa.model import Document, Edit, Finding, Fix, Span
from textqa.rules import make_finding


def check_document(doc: Document, ctx: Any) -> Iterator[Finding]:
    for m in re.finditer(r"teh|zz", doc.text):
        safe = m.group() == "teh"
        rep = "the" if safe else "z"
        yield make_finding(
            doc, "TQ100", m.start(), m.end(), f"fake: {m.group()!r} -> {rep!r}",
            suggestions=(rep,), fix=Fix((Edit(Span(m.start(), m.end()), rep),), safe=safe),
        )


check_module = importlib.import_module("textqa.check")

FAMILY = SimpleNamespace(check_document=check_document)


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the rule families of in-process checks by the fake one."""
    monkeypatch.setattr(
        check_module, "_families", lambda enabled, scope: [FAMILY] if scope == "document" else []
    )

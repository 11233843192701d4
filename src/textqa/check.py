"""The check engine: run the enabled rule families over documents and return sorted findings.

A rule family is a module named in :data:`textqa.rules.FAMILIES`. It may define

* ``check_document(doc: Document, ctx: Context) -> Iterable[Finding]`` for ``document`` rules;
* ``corpus_checker(ctx: Context) -> CorpusChecker`` for ``corpus`` rules (files checked
  together): ``add(doc)`` is called once per document in input order, then ``findings()``.

Family modules are imported only when one of their rules is enabled, so a run that needs no
numpy never imports it.

>>> [f.code for f in check("Plain, clean text.")]
[]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Protocol

from textqa.config import Settings
from textqa.model import Document, Finding, Span
from textqa.parse import parse
from textqa.rules import FAMILIES, RULES, RULES_BY_CODE
from textqa.sources import Skipped, SourceText, iter_files, read_source

__all__ = ["CheckResult", "Context", "CorpusChecker", "check", "check_documents", "check_paths"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule family receives besides the document: the enabled codes and the settings."""

    enabled: frozenset[str]
    settings: Settings = field(default_factory=Settings)

    def wants(self, *codes: str) -> bool:
        return any(c in self.enabled for c in codes)


class CorpusChecker(Protocol):
    def add(self, doc: Document) -> None: ...

    def findings(self) -> Iterable[Finding]: ...


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Findings of a multi-file check plus what was skipped and how many files were read."""

    findings: tuple[Finding, ...]
    files_checked: int
    skipped: tuple[Skipped, ...] = ()


def _families(enabled: frozenset[str], scope: str) -> list[ModuleType]:
    wanted = sorted({r.family for r in RULES if r.code in enabled and r.scope == scope})
    return [importlib.import_module(FAMILIES[f][1]) for f in wanted]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Deterministic order: (path, line, column, code), then span end and message."""
    return sorted(findings, key=lambda f: (*f.sort_key, f.message))


class _Runner:
    def __init__(self, settings: Settings) -> None:
        self.ctx = Context(settings.enabled, settings)
        self.doc_families = _families(self.ctx.enabled, "document")
        self.corpus: list[CorpusChecker] = [
            m.corpus_checker(self.ctx) for m in _families(self.ctx.enabled, "corpus")
        ]

    def run(self, doc: Document) -> list[Finding]:
        out: list[Finding] = []
        for module in self.doc_families:
            out.extend(
                f for f in module.check_document(doc, self.ctx) if f.code in self.ctx.enabled
            )
        for checker in self.corpus:
            checker.add(doc)
        return out

    def finish(self) -> list[Finding]:
        return [f for c in self.corpus for f in c.findings() if f.code in self.ctx.enabled]


def _settings(
    settings: Settings | None, select: Sequence[str] | None, ignore: Sequence[str] | None
) -> Settings:
    settings = settings or Settings()
    if select is not None or ignore is not None:
        settings = replace(
            settings,
            select=tuple(select) if select is not None else settings.select,
            ignore=tuple(ignore) if ignore is not None else settings.ignore,
        )
    return settings


def check(
    source: str | Document,
    *,
    path: str | None = None,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> list[Finding]:
    """Check one text (or a parsed document); findings sorted by (path, line, column, code).

    ``path`` (for a ``str``) sets the reported path and the markup kind by extension.
    """
    doc = source if isinstance(source, Document) else parse(source, path)
    return check_documents([doc], settings=_settings(settings, select, ignore))


def check_documents(
    docs: Iterable[Document],
    *,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> list[Finding]:
    """Check documents together: per-document rules on each, corpus rules across all of them."""
    runner = _Runner(_settings(settings, select, ignore))
    out: list[Finding] = []
    for doc in docs:
        out.extend(runner.run(doc))
    out.extend(runner.finish())
    return sort_findings(out)


def encoding_finding(source: SourceText) -> Finding:
    """TQ100 for a file that is not valid UTF-8, at the first undecodable byte."""
    assert source.error_offset is not None
    doc = parse(source.text[: source.error_offset + 1], source.path, kind="text")
    rule = RULES_BY_CODE["TQ100"]
    offset = source.error_offset
    return Finding(
        code=rule.code,
        name=rule.name,
        family=rule.family,
        severity=rule.severity,
        message=f"not valid UTF-8: byte 0x{source.error_byte or 0:02X} cannot be decoded; "
        "re-save the file as UTF-8",
        span=Span(offset, offset + 1),
        start=doc.position(offset),
        end=doc.position(offset + 1),
        path=source.path,
    )


def check_paths(
    paths: Iterable[str],
    *,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> CheckResult:
    """Check files and directories (recursively; hidden folders and binary files skipped).

    Raises `textqa.errors.InputError` for a missing path. Files that cannot be checked are
    returned in ``CheckResult.skipped``; a file that is not UTF-8 yields a TQ100 finding.
    """
    settings = _settings(settings, select, ignore)
    runner = _Runner(settings)
    out: list[Finding] = []
    skipped: list[Skipped] = []
    checked = 0
    for path in iter_files(paths):
        if progress is not None:
            progress(path)
        source = read_source(path, max_size=settings.max_file_size)
        if isinstance(source, Skipped):
            skipped.append(source)
            continue
        checked += 1
        if source.error_offset is not None:
            if "TQ100" in runner.ctx.enabled:
                out.append(encoding_finding(source))
            continue
        out.extend(runner.run(parse(source.text, path)))
    out.extend(runner.finish())
    return CheckResult(tuple(sort_findings(out)), checked, tuple(skipped))

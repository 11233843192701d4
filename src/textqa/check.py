"""The check engine: run the enabled rule families over documents and return sorted findings.

A rule family is a module named in :data:`textqa.rules.FAMILIES`. It may define

* ``check_document(doc: Document, ctx: Context) -> Iterable[Finding]`` for ``document`` rules;
* ``corpus_checker(ctx: Context) -> CorpusChecker`` for ``corpus`` rules (files checked
  together): ``add(doc)`` is called once per document in input order, then ``findings()``.
  A checker may also split ``add`` in two: ``summarize(doc)`` returns a small picklable
  summary of one document and ``add_summary(summary)`` counts it. With ``jobs`` > 1 the
  summaries are computed in the worker processes, so no document is parsed twice.

Family modules are imported only when one of their rules is enabled, so a run that needs no
numpy never imports it.

After the rules ran, findings are filtered per document by the settings' ``per-file-ignores``
and by the document's inline suppression comments (`textqa.suppress`), so the library honours
them exactly like the command line.

>>> [f.code for f in check("Plain, clean text.")]
[]
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Protocol

from textqa._gc import paused as gc_paused
from textqa.config import Settings
from textqa.globs import PathMatcher, relative_posix
from textqa.model import Document, Finding, Span
from textqa.parse import parse
from textqa.rules import FAMILIES, RULES, RULES_BY_CODE, resolve_selection
from textqa.sources import Skipped, SourceText, iter_files, read_source
from textqa.suppress import Suppressions

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


def _summarizes(checker: CorpusChecker) -> bool:
    return hasattr(checker, "summarize") and hasattr(checker, "add_summary")


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
    def __init__(self, settings: Settings, *, corpus: bool = True) -> None:
        self.ctx = Context(settings.enabled, settings)
        self.doc_families = _families(self.ctx.enabled, "document")
        self.corpus: list[CorpusChecker] = (
            [m.corpus_checker(self.ctx) for m in _families(self.ctx.enabled, "corpus")]
            if corpus
            else []
        )
        self.root = settings.root
        self.per_file = [
            (PathMatcher([glob]), resolve_selection([], (), codes))
            for glob, codes in settings.per_file_ignores
        ]
        self._file_ignores: dict[str | None, frozenset[str]] = {}
        #: suppression comments by document path (for corpus findings and unused reporting)
        self.suppressions: dict[str | None, list[Suppressions]] = {}

    def file_ignores(self, path: str | None) -> frozenset[str]:
        """Codes turned off for ``path`` by ``per-file-ignores``."""
        if path is None or not self.per_file:
            return frozenset()
        if path not in self._file_ignores:
            rel = relative_posix(path, self.root if self.root is not None else os.getcwd())
            codes: set[str] = set()
            for matcher, ignored in self.per_file:
                if matcher.matches(rel):
                    codes |= ignored
            self._file_ignores[path] = frozenset(codes)
        return self._file_ignores[path]

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """Enabled findings not turned off for their file nor suppressed by a comment."""
        out = []
        for f in findings:
            if f.code not in self.ctx.enabled or f.code in self.file_ignores(f.path):
                continue
            sups = self.suppressions.get(f.path)
            if sups and any([s.suppresses(f) for s in sups]):  # noqa: C419 -- mark every match
                continue
            out.append(f)
        return out

    def add_suppressions(self, sup: Suppressions | None) -> None:
        if sup is not None:
            self.suppressions.setdefault(sup.path, []).append(sup)

    def run(self, doc: Document, *, feed_corpus: bool = True) -> list[Finding]:
        self.add_suppressions(Suppressions.parse(doc))
        found: list[Finding] = []
        for module in self.doc_families:
            found.extend(module.check_document(doc, self.ctx))
        if feed_corpus:
            for checker in self.corpus:
                checker.add(doc)
        return self.keep(found)

    def finish(self) -> list[Finding]:
        out = self.keep(f for c in self.corpus for f in c.findings())
        if self.ctx.settings.report_unused_ignores:
            for sups in self.suppressions.values():
                for sup in sups:
                    out.extend(sup.unused())
        return out


def _selectors(value: Sequence[str]) -> tuple[str, ...]:
    """Rule selectors as given: a sequence, or one string (comma-separated), not its letters.

    >>> _selectors("TQ4, TQ101"), _selectors(["TQ4"])
    (('TQ4', 'TQ101'), ('TQ4',))
    """
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(value)


def _settings(
    settings: Settings | None, select: Sequence[str] | None, ignore: Sequence[str] | None
) -> Settings:
    settings = settings or Settings()
    if select is not None or ignore is not None:
        settings = replace(
            settings,
            select=_selectors(select) if select is not None else settings.select,
            ignore=_selectors(ignore) if ignore is not None else settings.ignore,
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


@dataclass(frozen=True, slots=True)
class _FileResult:
    path: str
    findings: tuple[Finding, ...] = ()
    skipped: Skipped | None = None
    #: what a worker computed for each corpus checker of the parent (`CorpusChecker`
    #: ``summarize``), in the parent's checker order
    summaries: tuple[object, ...] | None = None
    #: the decoded text, when some corpus checker cannot summarize: the parent parses it again
    #: (pickling a parsed Document costs more than parsing it)
    text: str | None = None
    suppressions: Suppressions | None = None


def _check_file(runner: _Runner, path: str, *, keep_doc: bool) -> _FileResult:
    # the cyclic collector is paused while the document lives (see textqa._gc) and runs
    # again once the file is done and the document freed, when there is little left to see
    with gc_paused():
        return _check_one_file(runner, path, keep_doc=keep_doc)


def _check_one_file(runner: _Runner, path: str, *, keep_doc: bool) -> _FileResult:
    source = read_source(path, max_size=runner.ctx.settings.max_file_size)
    if isinstance(source, Skipped):
        return _FileResult(path, skipped=source)
    if source.error_offset is not None:
        return _FileResult(path, tuple(runner.keep([encoding_finding(source)])))
    doc = parse(source.text, path)
    found = runner.run(doc, feed_corpus=not keep_doc)
    sups = runner.suppressions.get(path)
    summaries: tuple[object, ...] | None = None
    text: str | None = None
    if keep_doc:
        if all(_summarizes(c) for c in runner.corpus):
            summaries = tuple(c.summarize(doc) for c in runner.corpus)  # type: ignore[attr-defined]
        else:
            text = source.text
    return _FileResult(
        path,
        tuple(found),
        summaries=summaries,
        text=text,
        suppressions=sups[-1] if sups else None,
    )


#: the runner of a worker process (built once per process by `_init_worker`)
_WORKER: _Runner | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER  # noqa: PLW0603 -- one runner per worker process, built at start-up
    # the worker's corpus checkers only summarize documents for the parent's checkers
    _WORKER = _Runner(settings)


def _check_chunk(paths: list[str], keep_docs: bool) -> list[_FileResult]:
    assert _WORKER is not None
    out = [_check_file(_WORKER, p, keep_doc=keep_docs) for p in paths]
    _WORKER.suppressions.clear()
    return out


def _parallel(
    files: list[str], settings: Settings, jobs: int, keep_docs: bool
) -> Iterable[_FileResult]:
    # imported here: only runs with --jobs pay for them at start-up
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    # fork is cheap and safe for this single-threaded program on Linux; elsewhere (macOS
    # system libraries are not fork-safe) the workers start fresh interpreters
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    size = max(1, min(64, len(files) // (jobs * 4) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(settings,),
    ) as pool:
        for chunk in pool.map(_check_chunk, chunks, [keep_docs] * len(chunks)):
            yield from chunk


#: with ``jobs=0`` (automatic), files are checked in worker processes only when there is at
#: least this much text: below it, starting the workers costs more than they save
AUTO_JOBS_MIN_BYTES = 1_000_000


def auto_jobs(files: Sequence[str]) -> int:
    """The worker count ``jobs=0`` picks: one per available CPU (at most 8) when the files
    hold at least :data:`AUTO_JOBS_MIN_BYTES` and there are at least 4 files per worker,
    else 1 (a pre-commit run over a few files stays in one process)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    jobs = min(cpus, 8, len(files) // 4)
    if jobs < 2:
        return 1
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
        if total >= AUTO_JOBS_MIN_BYTES:
            return jobs
    return 1


def check_paths(
    paths: Iterable[str],
    *,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
    gitignore: bool = True,
) -> CheckResult:
    """Check files and directories (recursively; hidden folders and binary files skipped).

    While walking folders, ``settings.exclude`` globs, git-ignored paths (``gitignore``, inside
    a git work tree) and symbolic links are skipped (links out of the tree are listed in
    ``skipped``). ``jobs`` > 1 checks files in that many worker processes (corpus rules still see
    every document, in input order); the result is identical to ``jobs=1``. ``jobs=0``
    picks the number with `auto_jobs`.

    Raises `textqa.errors.InputError` for a missing path. Files that cannot be checked are
    returned in ``CheckResult.skipped``; a file that is not UTF-8 yields a TQ100 finding.
    """
    settings = _settings(settings, select, ignore)
    if isinstance(paths, str):  # one path, not its letters
        paths = [paths]
    runner = _Runner(settings)
    out: list[Finding] = []
    skipped: list[Skipped] = []
    checked = 0
    exclude = PathMatcher(settings.exclude) if settings.exclude else None
    files = iter_files(
        paths, exclude=exclude, root=settings.root, gitignore=gitignore, skipped=skipped
    )
    results: Iterable[_FileResult]
    parallel = False
    if jobs == 0:
        files = iter(file_list := list(files))
        jobs = auto_jobs(file_list)
    if jobs > 1:
        file_list = list(files)
        parallel = len(file_list) >= 2 * jobs
        if parallel:
            results = _parallel(file_list, settings, jobs, keep_docs=bool(runner.corpus))
        else:
            results = (_check_file(runner, p, keep_doc=False) for p in file_list)
    else:
        results = (_check_file(runner, p, keep_doc=False) for p in files)
    for res in results:
        if progress is not None:
            progress(res.path)
        if res.skipped is not None:
            skipped.append(res.skipped)
            continue
        checked += 1
        out.extend(res.findings)
        if res.summaries is not None:
            for checker, summary in zip(runner.corpus, res.summaries, strict=True):
                checker.add_summary(summary)  # type: ignore[attr-defined]
        elif res.text is not None:
            doc = parse(res.text, res.path)
            for checker in runner.corpus:
                checker.add(doc)
        if parallel:  # the worker's suppression comments, for corpus findings and unused ones
            runner.add_suppressions(res.suppressions)
    out.extend(runner.finish())
    skipped.sort(key=lambda s: s.path)
    return CheckResult(tuple(sort_findings(out)), checked, tuple(skipped))

"""What a suite receives: run options, where to find data, and cached generated corpora."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.generate import Corpus, generate, load_base
from benchmarks.harness import REPO, SHARED

__all__ = ["DEFAULT_BASE", "Context"]

#: default base prose for generated corpora, relative to ../shared (falls back to seeds/)
DEFAULT_BASE = ("corpora", "cpython-docs-rst", "Doc")

T = TypeVar("T")
S = TypeVar("S", int, tuple[int, ...], None)


@dataclass
class Context:
    """Options and data access for one harness run (shared by all suites of the run).

    ``quick`` asks for a run of a few seconds per suite (the test suite runs it); ``scale``
    multiplies full-run data sizes (see :meth:`size`); ``corpus`` is
    the ``--corpus`` base prose (folder or JSON Lines) or ``None`` for the default; ``out`` the
    output folder; ``seed`` seeds every generated corpus.
    """

    quick: bool = False
    scale: float = 1.0
    out: Path = REPO / "bench-out"
    corpus: Path | None = None
    seed: int = 0
    repo: Path = REPO
    shared: Path = SHARED
    verbose: bool = True
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # -- sizing ---------------------------------------------------------------------------

    def pick(self, quick: T, full: T) -> T:
        """``quick`` in quick mode, else ``full`` (for sizes, repeat counts ...)."""
        return quick if self.quick else full

    def size(self, quick: S, full: S) -> S:
        """A data size — documents, files, bytes: an ``int``, a tuple of ints or ``None`` (all)
        — ``quick`` in quick mode, else ``full`` multiplied by ``--scale`` (at least 1).

        >>> Context(scale=0.1).size(60, (5000, 20000)), Context(quick=True).size(60, 20000)
        ((500, 2000), 60)
        """
        if self.quick:
            return quick
        if self.scale == 1.0 or full is None:
            return full
        if isinstance(full, tuple):
            return tuple(max(1, round(n * self.scale)) for n in full)
        return max(1, round(full * self.scale))

    @property
    def repeat(self) -> int:
        """Timed rounds per comparison (2 quick, 5 full)."""
        return self.pick(2, 5)

    @property
    def warmup(self) -> int:
        """Discarded rounds before timing."""
        return 1

    # -- data -----------------------------------------------------------------------------

    def log(self, message: str) -> None:
        """A progress line on stderr (never part of results)."""
        if self.verbose:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    def scratch(self, name: str) -> Path:
        """A folder under ``out/work/`` for files a suite writes (generated trees ...)."""
        path = self.out / "work" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def shared_path(self, *parts: str) -> Path | None:
        """``../shared/<parts>`` when present, else ``None`` (suites then skip with a note)."""
        path = self.shared.joinpath(*parts)
        return path if path.exists() else None

    def base_source(self) -> Path:
        """Where base prose comes from: ``--corpus``, else the CPython docs, else ``seeds/``."""
        if self.corpus is not None:
            return self.corpus
        return self.shared_path(*DEFAULT_BASE) or self.repo / "seeds"

    def base(self, limit_docs: int | None = 400) -> list[str]:
        """Base prose documents (see :func:`benchmarks.generate.load_base`), cached."""
        key = ("base", limit_docs)
        if key not in self._cache:
            self._cache[key] = load_base(self.base_source(), limit_docs=limit_docs)
        return list(self._cache[key])

    def seeds(self) -> list[tuple[Path, str]]:
        """The seed corpus (``seeds/*.txt`` with their text): always present."""
        paths = sorted((self.repo / "seeds").glob("*.txt"))
        return [(p, p.read_text(encoding="utf-8")) for p in paths]

    def lexicon(self) -> frozenset[str]:
        """An English word list (SCOWL from ../shared) to keep synthetic typos off real words;
        empty when absent."""
        if "lexicon" not in self._cache:
            path = self.shared_path("lexicons", "scowl", "american-english-large")
            words: Iterable[str] = ()
            if path is not None:
                words = path.read_text(encoding="utf-8", errors="replace").split()
            self._cache["lexicon"] = frozenset(w.lower() for w in words)
        result: frozenset[str] = self._cache["lexicon"]
        return result

    def generated(self, n_docs: int, **params: Any) -> Corpus:
        """A generated corpus of ``n_docs`` from the base prose, seeded with ``seed``, cached
        per parameters. ``params`` go to :func:`benchmarks.generate.generate`."""
        key = ("generated", n_docs, repr(sorted(params.items())))
        if key not in self._cache:
            params.setdefault("seed", self.seed)
            params.setdefault("lexicon", self.lexicon() or None)
            self._cache[key] = generate(self.base(), n_docs=n_docs, **params)
        corpus: Corpus = self._cache[key]
        return corpus

    def describe_base(self) -> str:
        """The base prose's path, short: ``../shared/...`` or relative to the repository."""
        src = self.base_source().resolve()
        shared = self.shared.resolve()
        if src.is_relative_to(shared):
            return f"../shared/{src.relative_to(shared).as_posix()}"
        if src.is_relative_to(self.repo):
            return src.relative_to(self.repo).as_posix()
        return str(src)

"""Patterns compiled on first use: ``textqa check`` on plain ASCII text never pays for the
Unicode-property patterns (compiling ``\\p{...}`` classes costs milliseconds each)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import regex

__all__ = ["LazyPattern"]


class LazyPattern:
    """A ``re``/``regex`` pattern compiled the first time one of its methods is used.

    >>> p = LazyPattern(r"\\p{Lu}+", engine="regex")
    >>> p.findall("ABC def GH")
    ['ABC', 'GH']
    """

    __slots__ = ("_compiled", "_engine", "_flags", "_source")

    def __init__(
        self, pattern: str | Callable[[], str], flags: int = 0, *, engine: str = "re"
    ) -> None:
        self._source = pattern  # a string, or a function building it (also deferred)
        self._flags = flags
        self._engine = engine
        self._compiled: Any = None

    def compiled(self) -> Any:
        if self._compiled is None:
            module: Any = regex if self._engine == "regex" else re
            source = self._source if isinstance(self._source, str) else self._source()
            self._compiled = module.compile(source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)

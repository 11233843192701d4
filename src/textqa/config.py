"""Settings shared by the library and the CLI.

`Settings` is the one place every tunable lives; the CLI and configuration files build one,
the library receives one. Rule families read the fields they own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from textqa.rules import resolve_selection

__all__ = ["DEFAULT_MAX_FILE_SIZE", "Settings"]

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes what `textqa check` reports.

    >>> Settings(select=("TQ100",)).enabled
    frozenset({'TQ100'})
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    #: spelling mode: ``strict`` (table, stutters, doubled words, articles) or ``full``
    spelling: Literal["strict", "full"] = "strict"
    #: ``en`` accepts American and British spellings; ``en-US``/``en-GB`` flag the other variant
    language: Literal["en", "en-US", "en-GB"] = "en"
    #: extra vocabulary: words never reported by spelling rules
    words: tuple[str, ...] = ()
    #: a file of extra vocabulary, one word per line (``#`` starts a comment)
    words_file: str | None = None
    #: files larger than this many bytes are skipped with a warning
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: family-specific thresholds, by key (see each rule's documentation)
    thresholds: dict[str, float] = field(default_factory=dict, hash=False, compare=False)

    @property
    def enabled(self) -> frozenset[str]:
        """The enabled rule codes. ``spelling="full"`` adds TQ402 (unknown-word) whenever another
        spelling rule is enabled, unless TQ402 is ignored; in ``strict`` mode TQ402 runs only when
        selected by its code or name (not by ``TQ4``, ``spelling`` or ``ALL``).

        >>> sorted(Settings(select=("spelling",)).enabled)
        ['TQ401', 'TQ403', 'TQ404', 'TQ405']
        >>> "TQ402" in Settings(select=("spelling",), spelling="full").enabled
        True
        """
        enabled = resolve_selection(self.select, self.ignore, self.extend_select)
        if self.spelling == "strict" and "TQ402" in enabled:
            named = {s.strip().upper() for s in (*(self.select or ()), *self.extend_select)}
            if not named & {"TQ402", "UNKNOWN-WORD"}:
                enabled = enabled - {"TQ402"}
        if (
            self.spelling == "full"
            and "TQ402" not in enabled
            and any(c.startswith("TQ4") for c in enabled)
            and resolve_selection(["TQ402"], self.ignore)
        ):
            enabled = enabled | {"TQ402"}
        return enabled

    def threshold(self, key: str, default: float) -> float:
        return float(self.thresholds.get(key, default))

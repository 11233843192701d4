"""Pausing the cyclic garbage collector while documents are built and checked.

A parsed document is one tuple per token and per line and holds no reference cycle: the
collector would only traverse those tuples, again and again, while they are alive. `paused`
switches it off for the duration and back on when the last pause ends, whatever the threads:
a counter under a lock, so one thread's pause never turns the collector on under another's,
and a pause never leaves it off.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from _thread import allocate_lock
from types import TracebackType

__all__ = ["paused"]

_lock = allocate_lock()
_depth = 0
_restore = False


class paused:
    """Context manager: the cyclic garbage collector is off inside (nesting and threads
    allowed); it is switched back on only if it was on when the first pause began."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth, _restore  # noqa: PLW0603 -- process-wide state, guarded by _lock
        with _lock:
            if _depth == 0:
                _restore = gc.isenabled()
                gc.disable()
            _depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        global _depth  # noqa: PLW0603
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()

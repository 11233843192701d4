"""Targets for the benchmark harness's peak-memory tests (run in a fresh process)."""

from __future__ import annotations

from collections.abc import Callable


def allocate(mib: int) -> Callable[[], int]:
    """A callable that builds and drops a ``mib``-MiB buffer, touching every page."""

    def work() -> int:
        buf = bytearray(mib * 1024 * 1024)
        for i in range(0, len(buf), 4096):
            buf[i] = 1
        return len(buf)

    return work


def nothing() -> Callable[[], int]:
    return lambda: 0

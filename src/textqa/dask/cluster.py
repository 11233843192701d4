"""Connecting to a Dask scheduler: ``local[:N]`` or a scheduler address.

>>> parse_address("local:3")
('local', 3)
>>> parse_address("tcp://10.0.0.5:8786")
('tcp://10.0.0.5:8786', None)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from textqa.dask._lazy import dask_module
from textqa.errors import UsageError

__all__ = ["connect", "parse_address"]


def parse_address(address: str) -> tuple[str, int | None]:
    """``("local", workers or None)`` for ``local``/``local:N``, else ``(address, None)``."""
    if address == "local":
        return "local", None
    if address.startswith("local:"):
        tail = address[len("local:") :]
        if not tail.isdigit() or int(tail) < 1:
            raise UsageError(f"--dask {address!r}: use local:N with N a positive worker count")
        return "local", int(tail)
    if not address or address.isspace():
        raise UsageError("--dask needs a scheduler address (tcp://host:8786) or local[:N]")
    return address, None


@contextlib.contextmanager
def connect(
    address: str, *, memory_limit: str | None = None, threads_per_worker: int = 1
) -> Iterator[Any]:
    """A `distributed.Client` for the duration of the block. ``local[:N]`` starts a
    `distributed.LocalCluster` of N worker processes (default: the CPU count) listening on
    the loopback interface only, without a dashboard (and without the workers' profiler that
    feeds it); any other value is a scheduler address.
    """
    try:
        distributed = dask_module("distributed")
    except ImportError:
        raise UsageError(
            "--dask needs the optional dependencies: pip install 'textqa[dask]'"
        ) from None
    where, workers = parse_address(address)
    if where == "local":
        with _environment_kept():
            yield from _local(distributed, workers, memory_limit, threads_per_worker)
        return
    try:
        client = distributed.Client(where, timeout="30s")
    except ValueError as exc:  # distributed cannot parse it: "missing port number" ...
        raise UsageError(
            f"--dask {where!r} is not a scheduler address ({exc}); use tcp://host:8786 or "
            "local[:N]"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {where} ({exc})") from None
    with client:
        yield client


@contextlib.contextmanager
def _environment_kept() -> Iterator[None]:
    """Undo, at the end, what starting local workers writes into this process's environment:
    the nanny sets its ``pre-spawn-environ`` (``MALLOC_TRIM_THRESHOLD_``, ``OMP_NUM_THREADS``...)
    in ``os.environ`` and leaves it there, where it would slow down every process the caller
    starts afterwards (the allocator setting makes numpy code up to 2.6x slower)."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _local(
    distributed: Any, workers: int | None, memory_limit: str | None, threads_per_worker: int
) -> Iterator[Any]:
    n = workers or os.cpu_count() or 1
    config = dask_module("dask.config")
    with (
        # without a dashboard nobody reads the workers' statistical profiles: sampling
        # every worker's stack each 10 ms would only cost time
        config.set(
            {
                "distributed.worker.profile.enabled": False,
                "distributed.scheduler.worker-saturation": float("inf"),
            }
        ),
        distributed.LocalCluster(
            n_workers=n,
            threads_per_worker=threads_per_worker,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            scheduler_kwargs={"dashboard": False},
            memory_limit=memory_limit or "auto",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client

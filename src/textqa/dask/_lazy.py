"""Dask's modules, imported when a job runs (dask ships no complete type information, so the
jobs call it through ``Any``)."""

from __future__ import annotations

import importlib
import operator
from dataclasses import dataclass
from typing import Any

__all__ = ["Layer", "dask_module", "token"]


def dask_module(name: str = "dask") -> Any:
    """The module ``name`` (``dask``, ``dask.bag``, ``distributed``), imported on first use."""
    return importlib.import_module(name)


class Layer:
    """A raw task layer built in one go: ``add(key, func, *args)`` where args may be keys of
    this layer or of the dependencies (or lists of keys). Building Dask graphs with
    ``dask.delayed`` calls whose arguments are lists of other delayed values costs time
    cubic in the number of partitions (every call merges its arguments' graphs); one raw
    layer is linear. ``upstream``: tasks of other names to hold in the layer too (the
    inputs a job computes itself, see :func:`textqa.dask.partitions.partition_sources`).

    Tasks that only pick one item of another task's output (``operator.getitem``, the
    splits of a shuffle) run before any other ready task of their worker: the heavy tasks
    of the next stage wait for them, and a worker that started another heavy task first
    would hold them back for its whole duration."""

    def __init__(
        self, name: str, dependencies: list[Any], upstream: dict[Any, Any] | None = None
    ) -> None:
        self.name = name
        self.tasks: dict[Any, Any] = dict(upstream or {})
        self.dependencies = dependencies
        self._graph: Any = None
        self._splits: set[str] = set()

    def key(self, kind: Any, *index: Any) -> tuple[Any, ...]:
        """The key of task ``index`` of a ``kind`` (a word) of this layer:
        ``("PREFIX-KIND-TOKEN", *index)`` for a layer named ``PREFIX-TOKEN``. The scheduler
        estimates a task's duration from those of its *kind* (the words before the token):
        one kind per function keeps second-long tasks from being taken for the microsecond
        ones that split their outputs, and piled onto one worker. A non-word ``kind`` gives
        ``(name, kind, *index)``, the keys of a `dask.bag.Bag` of this name."""
        if not isinstance(kind, str):
            return (self.name, kind, *index)
        prefix, _, tok = self.name.rpartition("-")
        return (f"{prefix}-{kind}-{tok}", *index)

    def add(self, key: tuple[Any, ...], func: Any, *args: Any) -> tuple[Any, ...]:
        full = self.key(*key)
        self.tasks[full] = (func, *args)
        if func is operator.getitem:
            self._splits.add(full[0])
        return full

    def delayed(self, key: tuple[Any, ...]) -> Any:
        """A `dask.delayed.Delayed` for one key of this layer (all share one graph)."""
        if self._graph is None:
            hlg = dask_module("dask.highlevelgraph")
            annotations = {"priority": _Urgent(frozenset(self._splits))} if self._splits else None
            layer = hlg.MaterializedLayer(self.tasks, annotations=annotations)
            self._graph = hlg.HighLevelGraph.from_collections(self.name, layer, self.dependencies)
        return dask_module("dask.delayed").Delayed(key, self._graph, layer=self.name)


@dataclass(frozen=True, slots=True)
class _Urgent:
    """The scheduling priority of a layer's tasks: 1 for the splits named ``names``
    (higher runs first), the default for the others."""

    names: frozenset[str]

    def __call__(self, key: Any) -> int | None:
        return 1 if isinstance(key, tuple) and key and key[0] in self.names else None


def token(*args: Any) -> str:
    """A deterministic name part for a layer built from ``args``."""
    return str(dask_module("dask.base").tokenize(*args))

"""The suite registry.

A suite is a module in this package with

* ``NAME``: the name used on the command line (``python -m benchmarks NAME``);
* ``TITLE`` (optional): a one-line heading for the report;
* ``run(ctx: benchmarks.context.Context) -> dict``: does the measurements and returns a result
  following the schema below. Importing the module must do nothing (no work, no heavy imports:
  import numpy, peers and textqa family modules inside ``run``).

Result schema (every key optional except ``suite``; the report writer renders each section, and
:func:`validate` checks it)::

    {
      "suite": NAME,
      "title": "one line",
      "description": "what is measured and how, in a sentence or two",
      "data": "what corpus / size was used",
      "notes": ["peer skipped: ...", "caveat ..."],
      "timings": [Comparison.to_dict(), ...],          # from harness.compare(...)
      "memory": [{"name": str, "methods": {method: MemoryResult.to_dict()}}],
      "quality": [{"name": str, "methods": {method: {"precision": p, "recall": r, "f1": f,
                                                     ...other numbers}}}],
      "scaling": [{"name": str, "x": "documents", "y": "seconds",
                   "series": {method: [[x, y], ...]}}],
      "tables": [{"name": str, "columns": [str, ...], "rows": [[cell, ...], ...]}],
    }

Ratios in ``timings`` are ``method_median / baseline_median`` (above 1: the baseline, textqa,
is faster).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Mapping
from types import ModuleType
from typing import Any

__all__ = ["ORDER", "SuiteError", "discover", "validate"]

#: report order; suites not listed here come after, alphabetically
ORDER = ("import", "hook", "minhash", "dedup-quality", "repetition", "spelling", "normalize")


class SuiteError(ValueError):
    """A suite result that does not follow the schema."""


def discover() -> dict[str, ModuleType]:
    """All suite modules of this package by ``NAME``, in report order."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "NAME", None)
        if not isinstance(name, str) or not callable(getattr(module, "run", None)):
            continue
        if name in found:
            raise SuiteError(f"two suites are named {name!r}")
        found[name] = module
    rank = {n: i for i, n in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def _number(value: Any, where: str, *, lo: float = -math.inf, hi: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SuiteError(f"{where}: expected a number, got {value!r}")
    if math.isnan(value) or not lo <= value <= hi:
        raise SuiteError(f"{where}: {value!r} is outside [{lo}, {hi}]")


def validate(result: Mapping[str, Any]) -> None:
    """Raise :class:`SuiteError` unless ``result`` follows the schema and its numbers are sane:
    times positive and finite with min <= median <= max, ratios consistent with the medians,
    precision/recall/F1 in [0, 1], memory >= 0.

    >>> validate({"suite": "x", "quality": [{"name": "q", "methods": {"a": {"recall": 1.5}}}]})
    Traceback (most recent call last):
    ...
    benchmarks.suites.SuiteError: x/quality/q/a/recall: 1.5 is outside [0.0, 1.0]
    """
    name = result.get("suite")
    if not isinstance(name, str) or not name:
        raise SuiteError("a result needs a 'suite' name")
    known = {"suite", "title", "description", "data", "notes", "timings", "memory", "quality",
             "scaling", "tables", "error", "seconds"}
    extra = set(result) - known
    if extra:
        raise SuiteError(f"{name}: unknown keys {sorted(extra)}")
    for note in result.get("notes", []):
        if not isinstance(note, str):
            raise SuiteError(f"{name}/notes: {note!r} is not a string")
    for t in result.get("timings", []):
        where = f"{name}/timings/{t.get('name')}"
        methods = t.get("methods") or {}
        if t.get("baseline") not in methods:
            raise SuiteError(f"{where}: baseline {t.get('baseline')!r} has no timing")
        for m, s in methods.items():
            for key in ("median", "min", "max"):
                _number(s.get(key), f"{where}/{m}/{key}", lo=0.0, hi=1e6)
            if not s["min"] <= s["median"] <= s["max"]:
                raise SuiteError(f"{where}/{m}: not min <= median <= max")
            if s["median"] <= 0:
                raise SuiteError(f"{where}/{m}: median time must be positive")
        base = methods[t["baseline"]]["median"]
        for m, ratio in (t.get("ratios") or {}).items():
            _number(ratio, f"{where}/ratios/{m}", lo=0.0)
            if not math.isclose(ratio, methods[m]["median"] / base, rel_tol=1e-6):
                raise SuiteError(f"{where}/ratios/{m}: does not match the medians")
    for mem in result.get("memory", []):
        for m, s in (mem.get("methods") or {}).items():
            _number(s.get("peak_mib"), f"{name}/memory/{mem.get('name')}/{m}/peak_mib", lo=0.0)
    for q in result.get("quality", []):
        for m, s in (q.get("methods") or {}).items():
            for key in ("precision", "recall", "f1"):
                if key in s and s[key] is not None:
                    _number(s[key], f"{name}/quality/{q.get('name')}/{m}/{key}", lo=0.0, hi=1.0)
    for sc in result.get("scaling", []):
        for m, points in (sc.get("series") or {}).items():
            for x, y in points:
                _number(x, f"{name}/scaling/{sc.get('name')}/{m}/x", lo=0.0)
                _number(y, f"{name}/scaling/{sc.get('name')}/{m}/y", lo=0.0)
    for tb in result.get("tables", []):
        cols = tb.get("columns") or []
        for row in tb.get("rows") or []:
            if len(row) != len(cols):
                raise SuiteError(f"{name}/tables/{tb.get('name')}: row width != columns")

"""Dask's modules, imported when a job runs (dask ships no complete type information, so the
jobs call it through ``Any``)."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["dask_module"]


def dask_module(name: str = "dask") -> Any:
    """The module ``name`` (``dask``, ``dask.bag``, ``distributed``), imported on first use."""
    return importlib.import_module(name)

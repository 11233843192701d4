"""An incremental near-duplicate index: add documents, query one document against it, save it to
and load it from a single ``.npz`` file (numpy arrays only: nothing is pickled, loading never
executes code). A file made under a different signature spec or format version is refused.

>>> idx = MinHashIndex()
>>> idx.add(["the quick brown fox jumps over the lazy dog", "an unrelated sentence here"],
...         ids=["a", "b"])
>>> idx.query("The quick brown fox jumps over the lazy dog!")
[('a', 1.0)]
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from textqa.errors import InputError, UsageError
from textqa.lsh import band_keys, resolve_bands, valid_rows
from textqa.minhash import (
    SignatureSpec,
    shingle_hashes,
    signatures_from_shingles,
    sorted_unique,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["INDEX_FORMAT", "INDEX_VERSION", "MinHashIndex"]

#: the ``format`` field of an index file
INDEX_FORMAT = "textqa-minhash-index"
#: bumped whenever the file layout changes
INDEX_VERSION = 1
_ARRAYS = ("meta", "ids", "keys", "valid", "values", "offsets")


class MinHashIndex:
    """Documents (by id) with their LSH band keys and shingle sets. :meth:`query` returns the
    indexed documents whose *exact* shingle Jaccard with a text is at least the threshold.

    Memory: ``8 * bands`` bytes per document plus 8 bytes per distinct shingle (the sets are
    what makes exact answers possible).
    """

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        spec: SignatureSpec | None = None,
        bands: int | None = None,
        rows: int | None = None,
    ) -> None:
        self.spec = spec or SignatureSpec()
        self.threshold = threshold
        self.bands, self.rows = resolve_bands(threshold, self.spec.num_perm, bands, rows)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._keys = np.zeros((0, self.bands), dtype=np.uint64)
        self._valid = np.zeros(0, dtype=bool)
        self._values = np.zeros(0, dtype=np.uint64)
        self._offsets = np.zeros(1, dtype=np.int64)
        self._sorted: list[tuple[NDArray[np.uint64], NDArray[np.int64]]] | None = None

    # -- building ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    def add(self, texts: Sequence[str], ids: Sequence[str]) -> None:
        """Add documents. Ids must be new strings, one per text (`UsageError` otherwise)."""
        if len(texts) != len(ids):
            raise UsageError(f"{len(ids)} ids for {len(texts)} texts")
        seen = set(self._pos)
        for i in ids:
            if not isinstance(i, str):
                raise UsageError(f"index ids must be strings, not {type(i).__name__}")
            if i in seen:
                raise UsageError(f"duplicate id {i!r}: it is already in the index")
            seen.add(i)
        if not texts:
            return
        h, off = shingle_hashes(texts, self.spec)
        sigs = signatures_from_shingles(h, off, self.spec)
        bounds = off.tolist()
        sets = [sorted_unique(h[bounds[i] : bounds[i + 1]]) for i in range(len(texts))]
        sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        self._keys = np.concatenate([self._keys, band_keys(sigs, self.bands, self.rows)])
        self._valid = np.concatenate([self._valid, valid_rows(sigs)])
        self._values = np.concatenate([self._values, *sets])
        self._offsets = np.concatenate([self._offsets, self._offsets[-1] + np.cumsum(sizes)])
        for i in ids:
            self._pos[i] = len(self._ids)
            self._ids.append(i)
        self._sorted = None

    def merge(self, other: MinHashIndex) -> None:
        """Add every document of ``other`` (same spec and banding; ids must not collide)."""
        self.spec.require_compatible(other.spec)
        if (self.bands, self.rows) != (other.bands, other.rows):
            raise UsageError(
                f"indexes band differently ({self.bands}x{self.rows} vs {other.bands}x{other.rows})"
            )
        clash = sorted(set(self._pos) & set(other._pos))
        if clash:
            raise UsageError(f"duplicate id {clash[0]!r}: it is in both indexes")
        self._keys = np.concatenate([self._keys, other._keys])
        self._valid = np.concatenate([self._valid, other._valid])
        self._values = np.concatenate([self._values, other._values])
        self._offsets = np.concatenate([self._offsets, self._offsets[-1] + other._offsets[1:]])
        for i in other._ids:
            self._pos[i] = len(self._ids)
            self._ids.append(i)
        self._sorted = None

    # -- querying ---------------------------------------------------------------------------
    def _by_band(self) -> list[tuple[NDArray[np.uint64], NDArray[np.int64]]]:
        if self._sorted is None:
            rows = np.flatnonzero(self._valid)
            out = []
            for b in range(self.bands):
                col = self._keys[rows, b]
                order = np.argsort(col, kind="stable")
                out.append((col[order], rows[order]))
            self._sorted = out
        return self._sorted

    def _set(self, row: int) -> NDArray[np.uint64]:
        return self._values[self._offsets[row] : self._offsets[row + 1]]

    def query(self, text: str, *, threshold: float | None = None) -> list[tuple[str, float]]:
        """``(id, exact Jaccard)`` of indexed documents at or above ``threshold`` (default: the
        index's), most similar first, ties by id."""
        from textqa.dedup import jaccard  # noqa: PLC0415

        limit = self.threshold if threshold is None else threshold
        h, off = shingle_hashes([text], self.spec)
        sigs = signatures_from_shingles(h, off, self.spec)
        if not valid_rows(sigs)[0] or not len(self):
            return []
        mine = sorted_unique(h)
        keys = band_keys(sigs, self.bands, self.rows)[0]
        found: set[int] = set()
        for b, (col, rows) in enumerate(self._by_band()):
            lo, hi = np.searchsorted(col, keys[b], "left"), np.searchsorted(col, keys[b], "right")
            found.update(rows[lo:hi].tolist())
        hits = []
        for row in found:
            sim = jaccard(self._set(row), mine)
            if sim >= limit:
                hits.append((self._ids[row], sim))
        hits.sort(key=lambda x: (-x[1], x[0]))
        return hits

    # -- files ------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to ``path`` (a single ``.npz`` file), atomically."""
        from textqa.atomic import write_atomic  # noqa: PLC0415

        meta = {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "spec": self.spec.to_dict(),
            "threshold": self.threshold,
            "bands": self.bands,
            "rows": self.rows,
        }
        buf = io.BytesIO()
        np.savez(
            buf,
            meta=_json_array(meta),
            ids=_json_array(self._ids),
            keys=self._keys,
            valid=self._valid,
            values=self._values,
            offsets=self._offsets,
        )
        write_atomic(path, buf.getvalue())

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, spec: SignatureSpec | None = None
    ) -> MinHashIndex:
        """Read an index written by :meth:`save`. With ``spec``, refuse an index made under a
        different one. Raises `InputError` for a file that is not a readable index."""
        name = os.fspath(path)
        try:
            with np.load(name, allow_pickle=False) as data:
                missing = [k for k in _ARRAYS if k not in data.files]
                if missing:
                    raise InputError(f"{name}: not a textqa index (no {missing[0]!r} array)")
                arrays = {k: data[k] for k in _ARRAYS}
        except InputError:
            raise
        except (OSError, ValueError, EOFError) as exc:
            raise InputError(f"{name}: not a readable textqa index ({exc})") from None
        meta = _from_json_array(arrays["meta"], name)
        if not isinstance(meta, dict) or meta.get("format") != INDEX_FORMAT:
            raise InputError(f"{name}: not a textqa index file")
        if meta.get("version") != INDEX_VERSION:
            raise InputError(
                f"{name}: index format version {meta.get('version')} is not supported (this "
                f"textqa reads version {INDEX_VERSION}); rebuild the index"
            )
        try:
            stored = SignatureSpec.from_dict(meta["spec"])
        except UsageError as exc:
            advice = str(exc).removesuffix("; recompute the signatures")
            raise InputError(f"{name}: {advice}; rebuild the index") from None
        if spec is not None:
            spec.require_compatible(stored)
        index = cls(
            threshold=float(meta["threshold"]),
            spec=stored,
            bands=int(meta["bands"]),
            rows=int(meta["rows"]),
        )
        ids = _from_json_array(arrays["ids"], name)
        keys, valid = arrays["keys"], arrays["valid"]
        values, offsets = arrays["values"], arrays["offsets"]
        n = len(ids) if isinstance(ids, list) else -1
        if (
            n < 0
            or keys.shape != (n, index.bands)
            or keys.dtype != np.uint64
            or valid.shape != (n,)
            or offsets.shape != (n + 1,)
            or values.dtype != np.uint64
            or int(offsets[-1]) != len(values)
        ):
            raise InputError(f"{name}: index arrays are inconsistent; rebuild the index")
        index._ids = [str(i) for i in ids]
        index._pos = {i: p for p, i in enumerate(index._ids)}
        index._keys, index._valid = keys, valid.astype(bool)
        index._values, index._offsets = values, offsets.astype(np.int64)
        return index


def _json_array(obj: Any) -> NDArray[np.uint8]:
    return np.frombuffer(json.dumps(obj, sort_keys=True).encode("utf-8"), dtype=np.uint8)


def _from_json_array(arr: NDArray[Any], name: str) -> Any:
    try:
        return json.loads(arr.astype(np.uint8).tobytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{name}: index metadata is not valid JSON; rebuild the index") from None

"""The incremental index: queries against a brute-force oracle, save/load round trips, specs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textqa.errors import InputError, UsageError
from textqa.index import MinHashIndex
from textqa.minhash import SignatureSpec

from .test_dedup import _doc, planted_corpus
from .test_minhash import ref_jaccard, ref_shingles


def _oracle(
    sets: list[set[int]], ids: list[str], query: str, threshold: float
) -> list[tuple[str, float]]:
    q = ref_shingles(query, 5)
    hits = []
    for s, i in zip(sets, ids, strict=True):
        if q and s and ref_jaccard(q, s) >= threshold:
            hits.append((i, ref_jaccard(q, s)))
    return sorted(hits, key=lambda x: (-x[1], x[0]))


def test_query_finds_what_brute_force_finds() -> None:
    texts = planted_corpus(seed=21, n=60, dups=40)
    ids = [f"d{i}" for i in range(len(texts))]
    idx = MinHashIndex(threshold=0.8)
    for lo in range(0, len(texts), 25):  # incremental adds
        idx.add(texts[lo : lo + 25], ids[lo : lo + 25])
    missed = 0
    total = 0
    sets = [ref_shingles(t, 5) for t in texts]
    for q in texts[:60]:
        got = idx.query(q)
        want = _oracle(sets, ids, q, 0.8)
        got_ids = {i for i, _ in got}
        total += len(want)
        missed += sum(1 for i, _ in want if i not in got_ids)
        for i, s in got:  # never below threshold, exact values
            assert dict(want)[i] == pytest.approx(s)
    assert missed / total <= 0.02


@settings(max_examples=25)
@given(st.lists(_doc, min_size=1, max_size=6), _doc)
def test_save_load_round_trip(texts: list[str], query: str) -> None:
    idx = MinHashIndex(threshold=0.5, spec=SignatureSpec(num_perm=32))
    idx.add(texts, [f"id-{i}" for i in range(len(texts))])
    buf = _save_bytes(idx)
    again = _load_bytes(buf)
    assert again.ids == idx.ids
    assert (again.spec, again.bands, again.rows, again.threshold) == (
        idx.spec, idx.bands, idx.rows, idx.threshold
    )
    assert again.query(query) == idx.query(query)
    for t in texts:
        assert again.query(t) == idx.query(t)


def _save_bytes(idx: MinHashIndex) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "idx.npz"
        idx.save(path)
        return path.read_bytes()


def _load_bytes(data: bytes, **kw: object) -> MinHashIndex:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "idx.npz"
        path.write_bytes(data)
        return MinHashIndex.load(path, **kw)  # type: ignore[arg-type]


def test_load_refuses_other_specs_and_bad_files(tmp_path: Path) -> None:
    idx = MinHashIndex()
    idx.add(["some words to index here and there"], ["a"])
    path = tmp_path / "i.npz"
    idx.save(path)
    assert MinHashIndex.load(path, spec=SignatureSpec()).ids == ("a",)
    with pytest.raises(UsageError, match="num_perm: 64 != 128"):
        MinHashIndex.load(path, spec=SignatureSpec(num_perm=64))
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable textqa index"):
        MinHashIndex.load(tmp_path / "junk.npz")
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(b'{"format": "other"}', dtype=np.uint8))
    (tmp_path / "other.npz").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="not a textqa index"):
        MinHashIndex.load(tmp_path / "other.npz")
    # a newer format version is refused with advice
    data = dict(np.load(path, allow_pickle=False))
    meta = bytes(data["meta"]).replace(b'"version": 1', b'"version": 2')
    data["meta"] = np.frombuffer(meta, dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **data)
    (tmp_path / "v2.npz").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="version 2 is not supported"):
        MinHashIndex.load(tmp_path / "v2.npz")
    # an index made under an older signature spec (no normalization version) is refused
    data = dict(np.load(path, allow_pickle=False))
    original = json.loads(bytes(data["meta"]))
    old_spec = {k: v for k, v in original["spec"].items() if k != "normalization_version"}
    old_spec["version"] = 1
    meta = json.dumps({**original, "spec": old_spec}).encode()
    data["meta"] = np.frombuffer(meta, dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **data)
    (tmp_path / "old-spec.npz").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match=r"old-spec.npz: signature spec version 1 .*rebuild"):
        MinHashIndex.load(tmp_path / "old-spec.npz")


def test_ids_merge_and_errors() -> None:
    a = MinHashIndex()
    a.add(["one two three four five six seven"], ["x"])
    with pytest.raises(UsageError, match="duplicate id 'x'"):
        a.add(["another text"], ["x"])
    with pytest.raises(UsageError, match="ids for"):
        a.add(["t"], [])
    with pytest.raises(UsageError, match="strings"):
        a.add(["t"], [3])  # type: ignore[list-item]
    b = MinHashIndex()
    b.add(["one two three four five six seven!"], ["y"])
    a.merge(b)
    assert a.query("one two three four five six seven") == [("x", 1.0), ("y", 1.0)]
    assert "y" in a
    with pytest.raises(UsageError, match="incompatible"):
        a.merge(MinHashIndex(spec=SignatureSpec(seed=9)))
    assert MinHashIndex().query("anything at all here") == []
    assert a.query("") == []

"""Near-duplicate detection as a Dask job, with exactly the single-machine answer.

The job runs the building blocks of :mod:`textqa.minhash`, :mod:`textqa.lsh` and
:mod:`textqa.dedup` per partition and moves only arrays between workers::

    partition p ──signatures, band keys──▶ rows (band, key, ordinal) ──shuffle by key──▶ bucket q
    bucket q ──candidate pairs (a < b), repeated ids──▶ owner partitions of a and b
    owner(a) ──re-reads its texts, shingle sets of its candidate documents──▶ owner(b)
    owner(b) ──exact Jaccard with both sets at hand──▶ verified edges (a, b, jaccard)
    edges ──union-find on the client, or large-star/small-star on the workers──▶ clusters

A document's *ordinal* is ``(partition << 32) | row``: partitions are in input order (see
:mod:`textqa.dask.io`), so ordinals sort like input positions, and the client turns them into
the exact positions of the single-machine run from the per-partition record counts. Texts and
signatures never travel to the client; only verified edges (``components="client"``) and the
ids and lengths of cluster members do.

Bad records (malformed lines, a missing text field, non-UTF-8 bytes, a repeated id) are handled
as ``textqa dedup`` handles them: ``on_error="stop"`` raises `InputError` for the first one in
input order, ``"skip"`` leaves them out and lists them in :attr:`DaskDedupResult.bad`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import getitem
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from textqa.dask._lazy import Layer, token
from textqa.dask._lazy import dask_module as _dask
from textqa.dask.allocator import task
from textqa.dask.io import RowReader, row_reader
from textqa.dask.partitions import as_records, frame_records, partition_sources, partitions_of
from textqa.dedup import (
    DEFAULT_THRESHOLD,
    Cluster,
    DedupResult,
    KeepPolicy,
    KeyFunction,
    choose_survivors,
    verify_pairs,
)
from textqa.errors import InputError, UsageError
from textqa.records import BadRecord, Record

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from textqa.minhash import ShingleSets, SignatureSpec

    #: ordinals, id keys, ids and lengths of documents
    _Members = tuple[NDArray[np.int64], list[str], list[Any], NDArray[np.int64]]

__all__ = ["DaskDedupResult", "deduplicate"]

_ROW_BITS = 32
_ROW_MASK = (1 << _ROW_BITS) - 1
_EMPTY_PAIRS = np.zeros((0, 2), dtype=np.int64)
#: default bucket count cap: the shuffles cost (partitions x buckets) tasks
_MAX_DEFAULT_BUCKETS = 32
#: at least this many verification buckets (band buckets are split when there are fewer):
#: the verification of the last partitions, after all others, is then shared by the workers
_MIN_VERIFICATION_BUCKETS = 8
#: edges per partition of the distributed connected components (about 32 MB of int64 pairs)
_EDGES_PER_PARTITION = 2_000_000


@dataclass(frozen=True, slots=True)
class _Config:
    spec: SignatureSpec
    bands: int
    rows: int
    threshold: float
    buckets: int
    partitions: int
    frame: bool = False
    id_field: str = "id"
    text_field: str = "text"
    #: verification buckets per band bucket (see _verification_bucket)
    split: int = 1

    @property
    def verification_buckets(self) -> int:
        return self.buckets * self.split


@dataclass(frozen=True, slots=True)
class DaskDedupResult:
    """The single-machine :class:`~textqa.dedup.DedupResult` (positions are input positions
    of the accepted records), the ids of cluster members by position, the bad records in
    input order, and how the job ran. ``skipped_rows``: for each input partition, the rows
    (0-based within the partition) a keep list leaves out: bad records, repeated ids and the
    members of clusters that are not kept (see :func:`textqa.dask.keep_list`)."""

    result: DedupResult
    ids: dict[int, Any]
    bad: tuple[BadRecord, ...] = ()
    skipped_rows: tuple[tuple[int, ...], ...] = ()
    partitions: int = 0
    buckets: int = 0
    components: str = "client"
    rounds: int = 0
    stats: dict[str, float] = field(default_factory=dict)


def _records(part: Any, cfg: _Config) -> list[Record | BadRecord]:
    if cfg.frame:
        return frame_records(part, cfg.id_field, cfg.text_field)
    return as_records(part)


# -- pass 1: signatures and band keys, per partition ------------------------------------------
def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _route_rows(rows: NDArray[np.int64], dest: NDArray[np.int64], n: int) -> list[Any]:
    # a stable sort of small integers is a radix sort in numpy: linear time
    order = np.argsort(dest.astype(np.min_scalar_type(n)), kind="stable")
    bounds = np.searchsorted(dest[order], np.arange(n + 1))
    s = rows[order]
    return [s[bounds[i] : bounds[i + 1]] for i in range(n)]


@task
def _sign(data: Any, p: int, cfg: _Config) -> tuple[Any, ...]:
    """Pass 1 for partition ``p``: band rows and id keys routed to the buckets, plus a summary
    ``(records, bad [(row, BadRecord)], rows without shingles)``."""
    part = _records(data, cfg)
    from textqa.lsh import band_keys, valid_rows  # noqa: PLC0415
    from textqa.minhash import signatures  # noqa: PLC0415

    rows = [k for k, r in enumerate(part) if isinstance(r, Record)]
    bad = [(k, r) for k, r in enumerate(part) if isinstance(r, BadRecord)]
    accepted = np.asarray(rows, dtype=np.int64)
    texts = [part[k].text for k in rows]  # type: ignore[union-attr]
    sigs = signatures(texts, cfg.spec)
    valid = valid_rows(sigs)
    keys = band_keys(sigs, cfg.bands, cfg.rows)[valid]
    ordinals = (np.int64(p) << _ROW_BITS) | accepted[valid]
    m = len(ordinals)
    band_rows = np.empty((m * cfg.bands, 3), dtype=np.int64)
    band_rows[:, 0] = np.tile(np.arange(cfg.bands, dtype=np.int64), m)
    band_rows[:, 1] = keys.reshape(-1).view(np.int64)
    band_rows[:, 2] = np.repeat(ordinals, cfg.bands)
    dest = (keys.reshape(-1) % np.uint64(cfg.buckets)).astype(np.int64)
    band_pieces = _route_rows(band_rows, dest, cfg.buckets)
    id_keys = [json.dumps(part[k].id) for k in rows]  # type: ignore[union-attr]
    id_pieces: list[tuple[list[str], list[int]]] = [([], []) for _ in range(cfg.buckets)]
    for k, key in zip(rows, id_keys, strict=True):
        piece = id_pieces[_stable_hash(key) % cfg.buckets]
        piece[0].append(key)
        piece[1].append((p << _ROW_BITS) | k)
    empty = accepted[~valid].tolist()
    summary = (len(part), bad, empty)
    return (summary, *zip(band_pieces, id_pieces, strict=True))


# -- buckets: candidate pairs and repeated ids -------------------------------------------------
@task
def _bucket(pieces: Sequence[tuple[Any, Any]], cfg: _Config) -> tuple[Any, ...]:
    """Candidate pairs of the band rows sharing (band, key), and the ordinals whose id repeats
    an earlier one; both routed to the owner partitions."""
    band_rows = [b for b, _ in pieces if len(b)]
    pairs = _shared_key_pairs(np.concatenate(band_rows)) if band_rows else _EMPTY_PAIRS
    first: dict[str, int] = {}
    repeats: list[int] = []
    for keys, ords in (ids for _, ids in pieces):
        for key, o in zip(keys, ords, strict=True):
            seen = first.get(key)
            if seen is None:
                first[key] = o
            elif o < seen:
                repeats.append(seen)
                first[key] = o
            else:
                repeats.append(o)
    dup = np.asarray(sorted(repeats), dtype=np.int64)
    owner_a, owner_b = pairs[:, 0] >> _ROW_BITS, pairs[:, 1] >> _ROW_BITS
    out = []
    for d in range(cfg.partitions):
        mine = pairs[(owner_a == d) | (owner_b == d)]
        out.append((mine, dup[(dup >> _ROW_BITS) == d]))
    return tuple(out)


def _shared_key_pairs(rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """The ordinal pairs ``(a < b)``, sorted and without repeats, of band rows ``(band, key,
    ordinal)`` with the same band and key: what :func:`textqa.lsh.candidate_pairs` gives
    band by band. One sort of the keys finds the few rows whose key occurs more than once;
    only those are grouped by (band, key) exactly (keys of different bands differ by
    construction, but a 64-bit collision must not pair them)."""
    from textqa.lsh import _pairs_in_groups  # noqa: PLC0415 -- the grouping candidate_pairs uses

    keys = rows[:, 1]
    order = np.argsort(keys)
    sk = keys[order]
    same = sk[1:] == sk[:-1]
    if not same.any():
        return _EMPTY_PAIRS
    repeated = np.zeros(len(sk), dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    sel = rows[order[repeated]]
    s = sel[np.lexsort((sel[:, 2], sel[:, 1], sel[:, 0]))]
    starts = np.flatnonzero(np.r_[True, (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])])
    sizes = np.diff(np.r_[starts, len(s)])
    multi = sizes > 1
    if not multi.any():
        return _EMPTY_PAIRS
    return _unique_pairs(_pairs_in_groups(s[:, 2], starts[multi], sizes[multi]))


def _unique_pairs(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    if len(pairs) < 2:
        return pairs
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    s = pairs[order]
    keep = np.r_[True, (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])]
    return s[keep]


# -- pass 2: shingle sets of candidate documents, shipped to the owner of b --------------------
@task
def _prepare(data: Any, p: int, pieces: Sequence[tuple[Any, Any]], cfg: _Config) -> tuple[Any, ...]:
    from textqa.minhash import ShingleSets, iter_batches, shingle_sets  # noqa: PLC0415

    pair_parts = [pr for pr, _ in pieces if len(pr)]
    pairs = _unique_pairs(np.concatenate(pair_parts)) if pair_parts else _EMPTY_PAIRS
    dup_rows = sorted(int(o) & _ROW_MASK for _, d in pieces for o in d.tolist())
    dup_set = set(dup_rows)
    base = np.int64(p) << _ROW_BITS
    ends = pairs.reshape(-1)
    own = np.unique(ends[(ends >> _ROW_BITS) == p])
    if dup_set:
        own = own[~np.isin(own & _ROW_MASK, np.asarray(sorted(dup_set), dtype=np.int64))]
    # only the candidate documents and the repeated ids are needed: a block of
    # read_documents parses just those lines again
    wanted = [*dup_rows, *(own - base).tolist()]
    if isinstance(data, RowReader):
        part: Any = data.read(wanted)
    else:
        records = _records(data, cfg)
        part = {k: records[k] for k in wanted}
    dup_bad = []
    for k in dup_rows:
        rec = part[k]
        assert isinstance(rec, Record)
        dup_bad.append((k, BadRecord(rec.source, rec.line, f"duplicate id {json.dumps(rec.id)}")))
    candidates: list[Record] = [part[k] for k in (own - base).tolist()]
    texts = [r.text for r in candidates]
    # in batches, as the signatures are computed: the arrays of a batch stay in the caches
    sets = ShingleSets.concat([shingle_sets(batch, cfg.spec) for batch in iter_batches(texts)])
    raw_ids = [r.id for r in candidates]
    keys = [json.dumps(i) for i in raw_ids]
    lengths = np.asarray([len(t) for t in texts], dtype=np.int64)
    # the verification bucket of a pair is that of b. Ship there the pairs whose a is here,
    # and the sets of the documents of this partition those pairs need (as a or b)
    mine = pairs[((pairs[:, 0] >> _ROW_BITS) == p) & np.isin(pairs[:, 0], own)]
    dest = _verification_bucket(mine[:, 1], cfg)
    as_b = pairs[(pairs[:, 1] >> _ROW_BITS) == p][:, 1]
    as_b_dest = _verification_bucket(as_b, cfg)
    shipments = []
    for v in range(cfg.verification_buckets):
        pv = mine[dest == v]
        docs = np.intersect1d(np.concatenate([pv[:, 0], as_b[as_b_dest == v]]), own)
        at = np.searchsorted(own, docs)
        # with each set, what the client needs of a clustered document: id and length
        meta = ([keys[i] for i in at.tolist()], [raw_ids[i] for i in at.tolist()], lengths[at])
        shipments.append((pv, docs, _take(sets, at), meta))
    return (dup_bad, *shipments)


def _verification_bucket(b: NDArray[np.int64], cfg: _Config) -> NDArray[np.int64]:
    """The verification bucket of the pairs whose later end is ``b``: the band bucket of the
    partition of ``b`` (so a bucket waits for no partition after its last one), split
    ``cfg.split`` ways by the row of ``b``."""
    out: NDArray[np.int64] = ((b >> _ROW_BITS) % cfg.buckets) * cfg.split + (
        b & _ROW_MASK
    ) % cfg.split
    return out


def _take(sets: ShingleSets, rows: NDArray[np.int64]) -> ShingleSets:
    """The sets of ``rows``, in that order, gathered with one index array."""
    from textqa.minhash import ShingleSets  # noqa: PLC0415

    sizes = (sets.offsets[1:] - sets.offsets[:-1])[rows]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    index = np.repeat(sets.offsets[:-1][rows] - offsets[:-1], sizes) + np.arange(offsets[-1])
    return ShingleSets(sets.values[index], offsets)


@task
def _verify(
    incoming: Sequence[tuple[Any, Any, Any, Any]], cfg: _Config
) -> tuple[NDArray[np.int64], NDArray[np.float64], int, _Members]:
    """Verify the pairs of one verification bucket, with the shipped sets of both ends (a
    pair whose end is missing had a repeated id there and is not a candidate). Returns the
    verified pairs, their Jaccard values, the number of candidates, and the ordinals, id keys,
    ids and lengths of the documents in a verified pair (so that the client has what it
    needs of cluster members without asking the partitions again)."""
    from textqa.minhash import ShingleSets  # noqa: PLC0415

    pair_parts = [pr for pr, _, _, _ in incoming if len(pr)]
    if not pair_parts:
        return _EMPTY_PAIRS, np.zeros(0, dtype=np.float64), 0, _no_members()
    pairs = np.concatenate(pair_parts)
    ords = np.concatenate([d for _, d, _, _ in incoming])
    sets = ShingleSets.concat([st for _, _, st, _ in incoming])
    # pairs as rows of the sets as they arrived (no copy of the sets in ordinal order)
    order = np.argsort(ords, kind="stable")
    ranked = ords[order]
    pairs = pairs[np.isin(pairs[:, 0], ranked) & np.isin(pairs[:, 1], ranked)]
    local = order[np.searchsorted(ranked, pairs)]
    vpairs, sims = verify_pairs(sets, local, cfg.threshold)
    keys = [k for _, _, _, (ks, _, _) in incoming for k in ks]
    raw = [r for _, _, _, (_, rs, _) in incoming for r in rs]
    lengths = np.concatenate([ln for _, _, _, (_, _, ln) in incoming])
    at = np.unique(vpairs.reshape(-1))
    members = (
        ords[at],
        [keys[i] for i in at.tolist()],
        [raw[i] for i in at.tolist()],
        lengths[at],
    )
    return ords[vpairs], sims, len(pairs), members


def _no_members() -> _Members:
    return np.zeros(0, dtype=np.int64), [], [], np.zeros(0, dtype=np.int64)


def _lookup(
    parts: Sequence[_Members], nodes: NDArray[np.int64]
) -> tuple[list[str], list[Any], NDArray[np.int64]]:
    """The id keys, ids and lengths of ``nodes`` from the verification buckets' members (a
    document in verified pairs of several buckets comes from each: any copy will do)."""
    ords = np.concatenate([o for o, _, _, _ in parts] or [np.zeros(0, dtype=np.int64)])
    keys = [k for _, ks, _, _ in parts for k in ks]
    raw = [r for _, _, rs, _ in parts for r in rs]
    lengths = np.concatenate([ln for _, _, _, ln in parts] or [np.zeros(0, dtype=np.int64)])
    order = np.argsort(ords, kind="stable")
    rows = order[np.searchsorted(ords[order], nodes)]
    return [keys[i] for i in rows.tolist()], [raw[i] for i in rows.tolist()], lengths[rows]


# -- the driver ------------------------------------------------------------------------------
def deduplicate(
    docs: Any,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    spec: SignatureSpec | None = None,
    bands: int | None = None,
    rows: int | None = None,
    keep: KeepPolicy | KeyFunction = "first",
    on_error: Literal["stop", "skip"] = "stop",
    components: Literal["client", "distributed"] = "client",
    buckets: int | None = None,
    component_partitions: int | None = None,
    id_field: str = "id",
    text_field: str = "text",
) -> DaskDedupResult:
    """Near-duplicate clusters of a Dask collection of documents (see
    :func:`textqa.dask.read_documents`), equal to :func:`textqa.dedup.deduplicate` with
    ``ids=[json.dumps(id) ...]`` on the same records in the same order.

    ``components``: ``client`` gathers the verified edges (16 bytes and a float each) and
    runs union-find on the client; ``distributed`` runs the large-star/small-star rounds on
    the workers and gathers only the cluster members. ``buckets``: partitions of the band-key
    shuffle (default: the number of input partitions); ``component_partitions``: partitions of
    the distributed components (default: one per two million edges). Runs on the current Dask
    scheduler (a `distributed.Client` when one is active).
    """
    import time  # noqa: PLC0415

    dask = _dask()

    from textqa.dedup import Deduplicator  # noqa: PLC0415

    if on_error not in ("stop", "skip"):
        raise UsageError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
    if components not in ("client", "distributed"):
        raise UsageError(f"components must be 'client' or 'distributed', not {components!r}")
    # validates threshold, bands x rows against the spec exactly as the single-machine path
    proto = Deduplicator(threshold=threshold, spec=spec, bands=bands, rows=rows)
    keys, collections, frame = partitions_of(docs)
    # each partition is read inside the tasks that use it (no records move between workers)
    sources, upstream = partition_sources(keys, collections)
    n_parts = len(keys)
    if n_parts >= 1 << 31:
        raise UsageError("too many partitions; use a larger blocksize")
    nb = buckets or max(1, min(n_parts, _MAX_DEFAULT_BUCKETS))
    cfg = _Config(
        proto.spec,
        proto.bands,
        proto.rows,
        threshold,
        nb,
        n_parts,
        frame,
        id_field,
        text_field,
        split=-(-_MIN_VERIFICATION_BUCKETS // nb),
    )
    nv = cfg.verification_buckets
    t0 = time.perf_counter()
    # stage 1: signatures -> band rows shuffled to the buckets -> candidate pairs per owner
    one = Layer("textqa-dedup-candidates-" + token(keys, cfg), [], upstream)
    for p, source in enumerate(sources):
        signed = one.add(("sign", p), _sign, source, p, cfg)
        one.add(("summary", p), getitem, signed, 0)
        for q in range(nb):
            one.add(("rows", p, q), getitem, signed, q + 1)
    for q in range(nb):
        one.add(("bucket", q), _bucket, [one.key("rows", p, q) for p in range(n_parts)], cfg)
    stage1 = dask.persist(
        [one.delayed(one.key("summary", p)) for p in range(n_parts)],
        [one.delayed(one.key("bucket", q)) for q in range(nb)],
        optimize_graph=False,
    )
    # stage 2: each partition re-reads its texts, computes the shingle sets of its candidate
    # documents and ships them to the owners of the other ends; owners verify
    two = Layer("textqa-dedup-verify-" + token(keys, cfg), list(stage1[1]), upstream)
    for q in range(nb):
        for d in range(n_parts):
            two.add(("pairs", q, d), getitem, one.key("bucket", q), d)
    for p, source in enumerate(sources):
        prep = two.add(
            ("prepare", p),
            _prepare,
            row_reader(source),
            p,
            [two.key("pairs", q, p) for q in range(nb)],
            cfg,
        )
        two.add(("dups", p), getitem, prep, 0)
    # the verification bucket of a pair is one of the partition q of its later end, and the
    # earlier end's partition p <= q: bucket v needs the shipments of the partitions up to
    # its last one only, and verifies as soon as those are prepared (with as many buckets
    # as partitions, bucket 0 right after partition 0, while the others are still at work)
    for v in range(nv):
        last = max((q for q in range(n_parts) if q % nb == v // cfg.split), default=-1)
        ships = [
            two.add(("ship", p, v), getitem, two.key("prepare", p), v + 1) for p in range(last + 1)
        ]
        ver = two.add(("verify", v), _verify, ships, cfg)
        if components != "client":
            for k, what in enumerate(("edges", "sims", "ncand", "members")):
                two.add((what, v), getitem, ver, k)
    # one gather once both stages are submitted (no pause between them): the per-partition
    # summaries and repeated ids, and with components on the client the verified edges and
    # what the client needs of their documents
    dups_p = [two.delayed(two.key("dups", p)) for p in range(n_parts)]
    edge_parts: Any = None
    if components == "client":
        summaries_c, dups_c, verified = dask.compute(
            list(stage1[0]),
            dups_p,
            [two.delayed(two.key("verify", v)) for v in range(nv)],
            optimize_graph=False,
        )
        edge_parts, sim_parts, ncands, members = zip(*verified, strict=True)
    else:
        dups_p, edges_p, sims_p, ncand_p, members_p = dask.persist(
            dups_p,
            *[
                [two.delayed(two.key(w, v)) for v in range(nv)]
                for w in ("edges", "sims", "ncand", "members")
            ],
            optimize_graph=False,
        )
        summaries_c, dups_c = dask.compute(list(stage1[0]), dups_p)
    del stage1
    t1 = time.perf_counter()

    # bad records in input order; stop on the first one, as the single-machine command does
    bad_rows: list[list[int]] = []
    bad: list[BadRecord] = []
    for (_, pbad, _), pdup in zip(summaries_c, dups_c, strict=True):
        merged = sorted([*pbad, *pdup], key=lambda kb: kb[0])
        bad_rows.append([k for k, _ in merged])
        bad.extend(b for _, b in merged)
    if bad and on_error == "stop":
        raise InputError(str(bad[0]))
    counts = [s[0] for s in summaries_c]
    positions = _Positions(counts, bad_rows)
    empty = tuple(
        positions.of_rows(p, np.asarray(s[2], dtype=np.int64)).tolist()
        for p, s in enumerate(summaries_c)
        if s[2]
    )
    empty_flat = tuple(x for part in empty for x in part)

    rounds = 0
    if components == "client":
        ncand = sum(ncands)
        from textqa.dask.components import components_local  # noqa: PLC0415

        nodes, labels = components_local(list(edge_parts))
    else:
        from textqa.dask.components import components_distributed  # noqa: PLC0415

        n_edges = sum(dask.compute(*[dask.delayed(len, pure=True)(e) for e in edges_p]))
        q = component_partitions or max(1, min(n_parts, -(-n_edges // _EDGES_PER_PARTITION)))
        label_parts, rounds = components_distributed(edges_p, npartitions=q)
        ncand = sum(dask.compute(*ncand_p))
        got = dask.compute(*label_parts)
        nodes, labels = _dedupe_labels(got)
        edge_parts, sim_parts, members = dask.compute(edges_p, sims_p, members_p)
    t2 = time.perf_counter()
    edges = np.concatenate([e for e in edge_parts if len(e)] or [_EMPTY_PAIRS])
    sims = np.concatenate([s for s in sim_parts if len(s)] or [np.zeros(0)])
    id_keys, raw_ids, member_lengths = _lookup(members, nodes)
    lengths = member_lengths.tolist()
    pos = positions.of(nodes)
    result = _build_result(
        pos,
        positions.of(labels),
        positions.of(edges.reshape(-1)).reshape(-1, 2) if len(edges) else _EMPTY_PAIRS,
        sims,
        keys=id_keys,
        lengths=lengths,
        keep=keep,
        documents=positions.total,
        candidates=int(ncand),
        cfg=cfg,
        empty=empty_flat,
    )
    skipped = _skipped_rows(nodes, pos, result, bad_rows)
    t3 = time.perf_counter()
    ids = dict(zip(pos.tolist(), raw_ids, strict=True))
    return DaskDedupResult(
        result,
        ids,
        tuple(bad),
        skipped,
        partitions=n_parts,
        buckets=cfg.buckets,
        components=components,
        rounds=rounds,
        stats={"candidates_s": t1 - t0, "components_s": t2 - t1, "clusters_s": t3 - t2},
    )


def _skipped_rows(
    nodes: NDArray[np.int64],
    pos: NDArray[np.int64],
    result: DedupResult,
    bad_rows: Sequence[Sequence[int]],
) -> tuple[tuple[int, ...], ...]:
    """Per partition, the sorted rows of its bad records and of its dropped cluster members."""
    # every node is a member of one cluster: the dropped ones are those not kept
    keeps = np.fromiter(
        (c.keep for c in result.clusters), dtype=np.int64, count=len(result.clusters)
    )
    dropped = np.sort(nodes[~np.isin(pos, keeps)])
    bounds = np.searchsorted(dropped >> _ROW_BITS, np.arange(len(bad_rows) + 1))
    return tuple(
        tuple(
            np.union1d(
                np.asarray(bad, dtype=np.int64), dropped[bounds[p] : bounds[p + 1]] & _ROW_MASK
            ).tolist()
        )
        for p, bad in enumerate(bad_rows)
    )


def _dedupe_labels(
    parts: Sequence[tuple[NDArray[np.int64], NDArray[np.int64]]],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    nodes = np.concatenate([n for n, _ in parts] or [np.zeros(0, dtype=np.int64)])
    labels = np.concatenate([lb for _, lb in parts] or [np.zeros(0, dtype=np.int64)])
    if len(nodes) == 0:
        return nodes.astype(np.int64), labels.astype(np.int64)
    order = np.lexsort((labels, nodes))
    nodes, labels = nodes[order], labels[order]
    first = np.r_[True, nodes[1:] != nodes[:-1]]
    return nodes[first], labels[first]


class _Positions:
    """Ordinals -> input positions of the accepted records (bad records take no position)."""

    def __init__(self, counts: Sequence[int], bad_rows: Sequence[Sequence[int]]) -> None:
        self.bad = [np.asarray(b, dtype=np.int64) for b in bad_rows]
        accepted = [c - len(b) for c, b in zip(counts, bad_rows, strict=True)]
        self.prefix = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(accepted, out=self.prefix[1:])
        self.total = int(self.prefix[-1])

    def of_rows(self, p: int, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        out: NDArray[np.int64] = self.prefix[p] + rows - np.searchsorted(self.bad[p], rows)
        return out

    def of(self, ordinals: NDArray[np.int64]) -> NDArray[np.int64]:
        out = np.empty(len(ordinals), dtype=np.int64)
        parts = ordinals >> _ROW_BITS
        for p in np.unique(parts).tolist():
            sel = parts == p
            out[sel] = self.of_rows(p, ordinals[sel] & _ROW_MASK)
        return out


def _build_result(
    nodes: NDArray[np.int64],
    labels: NDArray[np.int64],
    pairs: NDArray[np.int64],
    sims: NDArray[np.float64],
    *,
    keys: list[str],
    lengths: list[int],
    keep: KeepPolicy | KeyFunction,
    documents: int,
    candidates: int,
    cfg: _Config,
    empty: tuple[int, ...],
) -> DedupResult:
    """Clusters exactly as :func:`textqa.dedup.deduplicate` builds them, from the positions of
    the clustered documents only."""
    order = np.argsort(nodes, kind="stable")
    nodes, labels = nodes[order], labels[order]
    keys = [keys[i] for i in order.tolist()]
    lengths = [lengths[i] for i in order.tolist()]
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels.tolist()):
        groups.setdefault(lab, []).append(i)
    multi = sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
    node_list = nodes.tolist()
    fn: KeepPolicy | Callable[[int], Any]
    fn = (lambda i: keep(node_list[i])) if callable(keep) else keep
    survivors = choose_survivors(multi, fn, lengths=lengths, ids=keys)
    edges: dict[int, list[tuple[int, int, float]]] = {}
    label_of = dict(zip(node_list, labels.tolist(), strict=True))
    for (a, b), s in zip(pairs.tolist(), sims.tolist(), strict=True):
        edges.setdefault(label_of[a], []).append((a, b, s))
    clusters = tuple(
        Cluster(
            tuple(node_list[i] for i in g),
            node_list[k],
            tuple(sorted(edges[labels[g[0]].item()])),
        )
        for g, k in zip(multi, survivors, strict=True)
    )
    return DedupResult(
        clusters=clusters,
        documents=documents,
        candidates=candidates,
        verified=len(pairs),
        bands=cfg.bands,
        rows=cfg.rows,
        threshold=cfg.threshold,
        spec=cfg.spec,
        empty=empty,
    )

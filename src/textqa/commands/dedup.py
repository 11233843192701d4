"""``textqa dedup INPUT...``: near-duplicate clusters of a corpus (JSON Lines, text files,
directories), one JSON line (or text block) per cluster.

Memory holds the signatures (``4 * num_perm`` bytes per document), the ids and, for the
verification step, the shingles of candidate documents only: the inputs are read a second time
for those (standard input, which cannot be re-read, keeps every document's shingles instead).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from textqa.commands._common import positive_int, probability, warn
from textqa.commands._corpus import add_corpus_options
from textqa.errors import InputError, UsageError
from textqa.records import BadRecord, Record, iter_records

_MAX_WARNINGS = 20


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="find near-duplicate documents in a corpus",
        description="Cluster near-duplicate documents (MinHash + LSH candidates, every pair "
        "verified by exact shingle Jaccard). INPUT: JSON Lines files (.jsonl/.ndjson, plain, "
        ".gz, .xz or .bz2; '-' for standard input), text files, or directories (each file one "
        "document, id = path). Exit code 1 when clusters were found, 0 when not.",
    )
    add_corpus_options(p)
    p.add_argument(
        "--threshold",
        type=probability,
        default=0.8,
        help="minimum exact Jaccard similarity of a reported pair (default: 0.8)",
    )
    p.add_argument(
        "--num-perm", type=positive_int, default=128, help="signature slots (default: 128)"
    )
    p.add_argument("--ngram", type=positive_int, default=5, help="shingle size (default: 5)")
    p.add_argument(
        "--shingle",
        choices=("word", "char"),
        default="word",
        help="shingle units: word n-grams or character n-grams (default: word)",
    )
    p.add_argument(
        "--scheme",
        choices=("oph", "kperm"),
        default="oph",
        help="one-permutation hashing with densification, or classic k-permutation MinHash "
        "(default: oph)",
    )
    p.add_argument("--seed", type=int, default=1, help="hash seed (default: 1)")
    p.add_argument(
        "--normalization",
        choices=("dedup-key", "casefold", "none"),
        default="dedup-key",
        help="normalization profile applied before hashing (default: dedup-key)",
    )
    p.add_argument(
        "--bands", type=positive_int, help="LSH bands (default: chosen for the threshold)"
    )
    p.add_argument("--rows", type=positive_int, help="LSH rows per band (with --bands)")
    p.add_argument(
        "--keep",
        choices=("first", "longest", "shortest"),
        default="first",
        help="the member kept in each cluster (default: first)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "text"),
        default="jsonl",
        help="output format (default: jsonl)",
    )
    p.add_argument("--output", metavar="FILE", help="write the clusters to FILE (atomically)")
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress line on standard error (it is shown only on a terminal anyway)",
    )
    p.add_argument(
        "--explain",
        nargs="*",
        metavar="ID",
        help="instead of clustering, explain one pair: exact and estimated Jaccard and the "
        "matching regions as line ranges in both documents. Give two ids as printed in the "
        "output (for files: the path), or none when the inputs hold exactly two documents. "
        "Exit code 1 when the pair reaches --threshold",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the same job on a Dask cluster: a scheduler address (tcp://host:8786) or "
        "local[:N] for N local worker processes; needs textqa[dask] (see docs/dask.md)",
    )
    return p


class _Progress:
    """A one-line progress display on standard error, only when it is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, docs: int, chars: int, stage: str = "reading") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        rate = chars / max(now - self.start, 1e-9) / 1e6
        sys.stderr.write(
            f"\r\x1b[K{stage}: {docs:,} documents, {chars / 1e6:,.1f} M chars ({rate:.1f} M/s)"
        )
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


class _Errors:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.count = 0

    def __call__(self, bad: BadRecord) -> None:
        if self.mode == "stop":
            raise InputError(f"{bad}; use --on-error skip to skip such records")
        self.count += 1
        if self.count <= _MAX_WARNINGS:
            warn(f"{bad}: skipped")

    def summary(self) -> None:
        if self.count > _MAX_WARNINGS:
            warn(f"{self.count - _MAX_WARNINGS} more bad records skipped ({self.count} in all)")


def _accepted(args: argparse.Namespace, report: Callable[[BadRecord], None]) -> Iterator[Record]:
    """The usable records, in input order; bad ones and repeated ids go to ``report``."""
    seen: set[str] = set()
    for rec in iter_records(
        args.inputs,
        id_field=args.id_field,
        text_field=args.text_field,
        input_format=args.input_format,
    ):
        if isinstance(rec, BadRecord):
            report(rec)
            continue
        key = json.dumps(rec.id)
        if key in seen:
            report(BadRecord(rec.source, rec.line, f"duplicate id {key}"))
            continue
        seen.add(key)
        yield rec


def _ignore(_: BadRecord) -> None:
    return None


def _is_an_input(output: str, inputs: list[str]) -> bool:
    """True when ``output`` is one of the input files, or an existing file in an input folder
    (read as an input, then overwritten)."""
    target = os.path.realpath(output)
    exists = os.path.isfile(target)
    for item in inputs:
        if item == "-":
            continue
        real = os.path.realpath(item)
        if target == real or (exists and target.startswith(os.path.join(real, ""))):
            return True
    return False


def run(args: argparse.Namespace) -> int:
    from textqa.dedup import Deduplicator  # noqa: PLC0415 -- numpy only for this command
    from textqa.minhash import DEFAULT_BATCH_BYTES, SignatureSpec  # noqa: PLC0415

    if (args.bands is None) != (args.rows is None):
        raise UsageError("give both --bands and --rows, or neither")
    if "-" in args.inputs and len(args.inputs) > 1:
        raise UsageError("'-' (standard input) cannot be mixed with other inputs")
    if args.output and _is_an_input(args.output, args.inputs):
        raise UsageError(
            f"--output {args.output}: is also an input (not overwritten); name another"
        )
    spec = SignatureSpec(
        scheme=args.scheme,
        num_perm=args.num_perm,
        seed=args.seed,
        shingle=args.shingle,
        ngram=args.ngram,
        normalization=args.normalization,
    )
    if args.explain is not None:
        if args.dask:
            raise UsageError("--explain runs locally: it cannot be combined with --dask")
        return _explain(args, spec)
    if args.dask:
        from textqa.dask.command import dedup_job  # noqa: PLC0415 -- textqa[dask] on request

        errors = _Errors(args.on_error)
        job = dedup_job(args, spec)
        for bad in job.bad:
            errors(bad)
        errors.summary()
        if not job.result.documents:
            warn(f"no documents found in {', '.join(args.inputs)}")
        return _report(args, job.result, job.ids)
    stdin = args.inputs == ["-"]
    dedup = Deduplicator(
        threshold=args.threshold, spec=spec, bands=args.bands, rows=args.rows, keep_shingles=stdin
    )
    errors = _Errors(args.on_error)
    progress = _Progress(not args.no_progress)
    ids: list[Any] = []
    batch: list[str] = []
    size = chars = 0
    for rec in _accepted(args, errors):
        ids.append(rec.id)
        batch.append(rec.text)
        size += len(rec.text)
        if size >= DEFAULT_BATCH_BYTES:
            dedup.add(batch)
            chars += size
            batch, size = [], 0
            progress.update(len(ids), chars)
    if batch:
        dedup.add(batch)
        chars += size
    del batch
    errors.summary()

    def fetch(positions: Sequence[int]) -> Iterator[str]:
        want = iter(positions)
        nxt = next(want, None)
        for pos, rec in enumerate(_accepted(args, _ignore)):
            if nxt is None:
                return
            if pos == nxt:
                yield rec.text
                nxt = next(want, None)
                progress.update(pos, chars, "verifying")

    result = dedup.finish(
        None if stdin else fetch, keep=args.keep, ids=[json.dumps(i) for i in ids]
    )
    progress.clear()
    if not ids:
        warn(f"no documents found in {', '.join(args.inputs)}")
    return _report(args, result, ids)


def _explain(args: argparse.Namespace, spec: Any) -> int:
    """``--explain``: find the two documents in the inputs, explain the pair, write the
    explanation; exit code 1 when the pair is a near-duplicate at ``--threshold``."""
    from textqa.dedup import explain  # noqa: PLC0415

    wanted: list[str] = list(args.explain)
    if len(wanted) not in (0, 2):
        raise UsageError(
            f"--explain takes two document ids (or none for exactly two documents), "
            f"not {len(wanted)}: {' '.join(wanted)}"
        )
    found: dict[str, tuple[Any, str]] = {}
    docs: list[tuple[Any, str]] = []
    for rec in _accepted(args, _Errors(args.on_error)):
        key = _show(rec.id)
        if not wanted:
            docs.append((rec.id, rec.text))
            if len(docs) > 2:
                raise UsageError(
                    "--explain without ids needs inputs holding exactly two documents; "
                    "name the pair: --explain ID ID"
                )
        elif key in wanted and key not in found:
            found[key] = (rec.id, rec.text)
            if len(found) == len(set(wanted)):
                break
    if wanted:
        missing = [w for w in dict.fromkeys(wanted) if w not in found]
        if missing:
            raise UsageError(
                f"no document with id {missing[0]!r} in {', '.join(args.inputs)} (ids are "
                "printed as in the clusters output: the id field's value, or the file path)"
            )
        docs = [found[w] for w in wanted]
    elif len(docs) != 2:
        raise UsageError(
            f"--explain without ids needs inputs holding exactly two documents, not "
            f"{len(docs)}; name the pair: --explain ID ID"
        )
    (id_a, text_a), (id_b, text_b) = docs
    e = explain(text_a, text_b, spec)
    near = e.jaccard >= args.threshold
    if args.format == "jsonl":
        obj = {
            "a": id_a,
            "b": id_b,
            "jaccard": round(e.jaccard, 6),
            "estimated": round(e.estimated, 6),
            "threshold": args.threshold,
            "near_duplicate": near,
            "regions": [
                {
                    "a_lines": list(r.a_lines),
                    "b_lines": list(r.b_lines),
                    "a_span": list(r.a_span),
                    "b_span": list(r.b_span),
                    "words": r.words,
                }
                for r in e.regions
            ],
        }
        out = json.dumps(obj, ensure_ascii=False) + "\n"
    else:
        unit = f"{spec.shingle} {spec.ngram}-grams"
        verdict = "near-duplicates" if near else "not near-duplicates"
        lines = [
            f"A: {_show(id_a)}",
            f"B: {_show(id_b)}",
            f"exact Jaccard {e.jaccard:.3f} ({unit}), estimated {e.estimated:.3f} "
            f"({spec.num_perm} slots, {spec.scheme}): {verdict} at threshold {args.threshold:g}",
            f"{len(e.regions)} matching region{'s' if len(e.regions) != 1 else ''}"
            + (":" if e.regions else ""),
        ]
        for r in e.regions:
            lines.append(
                f"  A lines {_lines(r.a_lines)}  =  B lines {_lines(r.b_lines)}  ({r.words:,} "
                "equal words)"
            )
        out = "".join(line + "\n" for line in lines)
    if args.output:
        from textqa.atomic import write_atomic  # noqa: PLC0415

        write_atomic(args.output, out.encode("utf-8", "backslashreplace"))
    else:
        sys.stdout.write(out)
    return 1 if near else 0


def _lines(span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def _report(args: argparse.Namespace, result: Any, ids: Any) -> int:
    """Write the clusters (``ids``: position -> id) and the summary line; the exit code."""
    out = _format(result.clusters, ids, args.format)
    if args.output:
        from textqa.atomic import write_atomic  # noqa: PLC0415

        write_atomic(args.output, out.encode("utf-8", "backslashreplace"))
    else:
        sys.stdout.write(out)
    dups = sum(len(c.members) - 1 for c in result.clusters)
    print(
        f"textqa: {result.documents:,} documents, {len(result.clusters):,} clusters, "
        f"{dups:,} duplicates ({result.candidates:,} candidate pairs, {result.verified:,} "
        f"verified; {len(result.empty):,} without shingles)",
        file=sys.stderr,
    )
    return 1 if result.clusters else 0


def _format(clusters: Sequence[Any], ids: Sequence[Any], fmt: str) -> str:
    lines: list[str] = []
    for n, c in enumerate(clusters, 1):
        if fmt == "jsonl":
            obj = {
                "cluster": n,
                "keep": ids[c.keep],
                "members": [ids[m] for m in c.members],
                "pairs": [
                    {"a": ids[a], "b": ids[b], "jaccard": round(s, 6)} for a, b, s in c.pairs
                ],
            }
            lines.append(json.dumps(obj, ensure_ascii=False))
        else:
            lines.append(f"cluster {n}: keep {_show(ids[c.keep])} ({len(c.members)} documents)")
            for m in c.members:
                best = max(
                    ((s, b if a == m else a) for a, b, s in c.pairs if m in (a, b)), default=None
                )
                mark = "keep" if m == c.keep else "drop"
                extra = f"  Jaccard {best[0]:.3f} with {_show(ids[best[1]])}" if best else ""
                lines.append(f"  {mark} {_show(ids[m])}{extra}")
    return "".join(line + "\n" for line in lines)


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)

"""``textqa dedup --dask ADDRESS``: the command's job on a Dask cluster (same inputs, same
options, same output)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from textqa.dask.cluster import connect, parse_address
from textqa.dask.dedup import DaskDedupResult, deduplicate
from textqa.dask.io import balanced_blocksize, plan_blocks, read_documents

if TYPE_CHECKING:
    from textqa.minhash import SignatureSpec

__all__ = ["dedup_job"]


def dedup_job(args: argparse.Namespace, spec: SignatureSpec) -> DaskDedupResult:
    """Run ``textqa dedup``'s job on the cluster named by ``args.dask``; bad records are
    returned (in input order) for the command to report or stop on. The input is cut into
    partitions of equal size, the same number for every worker (at most
    `textqa.dask.DEFAULT_BLOCKSIZE` each)."""
    parse_address(args.dask)  # a bad address fails before any file is read
    plan_blocks(args.inputs, input_format=args.input_format)  # and missing inputs too
    with connect(args.dask) as client:
        workers = max(1, len(client.scheduler_info().get("workers", ())))
        docs = read_documents(
            args.inputs,
            id_field=args.id_field,
            text_field=args.text_field,
            input_format=args.input_format,
            blocksize=balanced_blocksize(args.inputs, workers, input_format=args.input_format),
        )
        return deduplicate(
            docs,
            threshold=args.threshold,
            spec=spec,
            bands=args.bands,
            rows=args.rows,
            keep=args.keep,
            on_error="skip",
        )

"""``textqa dedup --dask ADDRESS``: the command's job on a Dask cluster (same inputs, same
options, same output)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from textqa.dask.cluster import connect, parse_address
from textqa.dask.dedup import DaskDedupResult, deduplicate
from textqa.dask.io import read_documents

if TYPE_CHECKING:
    from textqa.minhash import SignatureSpec

__all__ = ["dedup_job"]


def dedup_job(args: argparse.Namespace, spec: SignatureSpec) -> DaskDedupResult:
    """Run ``textqa dedup``'s job on the cluster named by ``args.dask``; bad records are
    returned (in input order) for the command to report or stop on."""
    parse_address(args.dask)  # a bad address fails before any file is read
    docs = read_documents(
        args.inputs,
        id_field=args.id_field,
        text_field=args.text_field,
        input_format=args.input_format,
    )
    with connect(args.dask):
        return deduplicate(
            docs,
            threshold=args.threshold,
            spec=spec,
            bands=args.bands,
            rows=args.rows,
            keep=args.keep,
            on_error="skip",
        )

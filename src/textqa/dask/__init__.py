"""textqa on a Dask cluster: near-duplicate detection and corpus statistics with exactly the
single-machine results, for corpora larger than one machine.

Needs the optional extra ``pip install 'textqa[dask]'`` (``dask[distributed]`` and
``pyarrow``). Nothing else in textqa imports this package, so ``import textqa`` and the CLI
stay light unless ``--dask`` is used::

    from textqa.dask import connect, deduplicate, read_documents

    with connect("tcp://scheduler:8786"):
        job = deduplicate(read_documents(["corpus/*.jsonl.gz"]), threshold=0.8)
    job.result.clusters   # exactly what textqa.dedup.deduplicate returns on one machine
"""

from __future__ import annotations

from textqa.dask.cluster import connect
from textqa.dask.components import components_distributed, components_local
from textqa.dask.dedup import DaskDedupResult, deduplicate
from textqa.dask.io import (
    DEFAULT_BLOCKSIZE,
    balanced_blocksize,
    plan_blocks,
    read_documents,
    write_jsonl,
    write_parquet,
)
from textqa.dask.output import cluster_rows, keep_list, write_clusters, write_keep_list
from textqa.dask.partitions import partitions_of
from textqa.dask.stats import document_statistics, find_boilerplate

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "DaskDedupResult",
    "balanced_blocksize",
    "cluster_rows",
    "components_distributed",
    "components_local",
    "connect",
    "deduplicate",
    "document_statistics",
    "find_boilerplate",
    "keep_list",
    "partitions_of",
    "plan_blocks",
    "read_documents",
    "write_clusters",
    "write_jsonl",
    "write_keep_list",
    "write_parquet",
]

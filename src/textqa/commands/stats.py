"""``textqa stats INPUT...``: per-document statistics (the Gopher repetition metrics).

One JSON object per document (``--format jsonl``, the default):
``{"id": ..., "metrics": {"dup_para_frac": ..., ...}, "fails": [...]}``. The object is built by
`textqa.stats.document_stats`, whose provider registry is where new statistics are added.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from textqa.commands._corpus import add_corpus_options, read_records
from textqa.errors import UsageError
from textqa.gopher import COMPAT_MODES, GOPHER_THRESHOLDS, METRIC_NAMES, repetition_metrics
from textqa.stats import StatsOptions, document_stats


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="per-document corpus statistics (Gopher repetition metrics)",
        description="Print the Gopher repetition metrics of every document and the rules it "
        "fails (Rae et al. 2021, Table A1 thresholds).",
    )
    add_corpus_options(p)
    p.add_argument(
        "--compat",
        choices=COMPAT_MODES,
        default="textqa",
        help="metric definition: textqa's (default) or datatrove 0.10's (needs spaCy)",
    )
    p.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one rule's threshold (repeatable), e.g. dup_line_frac=0.5",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "text"),
        default="jsonl",
        help="jsonl (default): one JSON object per document; text: one line per document",
    )
    return p


def _thresholds(items: list[str]) -> dict[str, float]:
    out = dict(GOPHER_THRESHOLDS)
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in METRIC_NAMES:
            raise UsageError(
                f"--threshold {item!r}: expected NAME=VALUE with NAME one of "
                f"{', '.join(METRIC_NAMES)}"
            )
        try:
            out[name] = float(value)
        except ValueError:
            raise UsageError(f"--threshold {item!r}: {value!r} is not a number") from None
        if not math.isfinite(out[name]):  # nan would silently never fail
            raise UsageError(f"--threshold {item!r}: {value!r} is not a finite number")
    return out


def run(args: argparse.Namespace) -> int:
    options = StatsOptions(compat=args.compat, thresholds=_thresholds(args.threshold))
    repetition_metrics("check the tokenizer is available", compat=options.compat)
    out = sys.stdout
    for record in read_records(args):
        stats = document_stats(record.id, record.text, options)
        if args.format == "jsonl":
            out.write(json.dumps(stats, ensure_ascii=False) + "\n")
        else:
            fails = stats.get("fails") or []
            verdict = "fails " + ", ".join(fails) if fails else "passes"
            out.write(f"{record.id}: {verdict}\n")
    return 0

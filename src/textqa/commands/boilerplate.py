"""``textqa boilerplate INPUT...``: paragraphs and lines that recur across documents.

Reads the inputs twice (counting, then locating), so only hashes of the keys stay in memory;
standard input is spooled to a temporary file first.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from textqa.boilerplate import DEFAULT_MIN_DOCS, BoilerplateCounter
from textqa.commands._common import positive_int
from textqa.commands._corpus import add_corpus_options, corpus_inputs, read_records


def _min_docs(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not x > 0 or math.isinf(x):
        raise argparse.ArgumentTypeError(f"must be a count >= 1 or a fraction in (0, 1): {value!r}")
    return x


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="find paragraphs and lines repeated across documents",
        description="Find paragraphs and lines that occur in many documents (navigation, "
        "footers, sign-offs) and each document's boilerplate spans and character fraction.",
    )
    add_corpus_options(p)
    p.add_argument(
        "--min-docs",
        type=_min_docs,
        default=DEFAULT_MIN_DOCS,
        metavar="K",
        help="a unit in at least K documents is boilerplate; below 1, a fraction of the "
        "documents (default: 3)",
    )
    p.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text (default): the recurring units and a summary; jsonl: one object per unit "
        "(type 'unit') then one per document (type 'document', with spans)",
    )
    p.add_argument(
        "--top",
        type=positive_int,
        default=20,
        metavar="N",
        help="text format: show the N most frequent units (default: 20)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    with corpus_inputs(args) as stdin:
        counter = BoilerplateCounter()
        for record in read_records(args, stdin=stdin):
            counter.add(record.text)
        documents = []
        fractions: list[float] = []
        for record in read_records(args, stdin=stdin, quiet=True):
            doc = counter.document(str(record.id), record.text, min_docs=args.min_docs)
            fractions.append(doc.fraction)
            if args.format == "jsonl":
                documents.append(
                    {
                        "type": "document",
                        "id": record.id,
                        "boilerplate_char_frac": doc.fraction,
                        "boilerplate_chars": doc.chars,
                        "spans": [[s.start, s.end] for s in doc.spans],
                    }
                )
    units = counter.units(min_docs=args.min_docs)
    need = counter.threshold(args.min_docs)
    if args.format == "jsonl":
        for u in units:
            obj = {"type": "unit", "unit": u.unit, "docs": u.docs, "text": u.text}
            out.write(json.dumps({**obj, "first_id": u.first_id}, ensure_ascii=False) + "\n")
        for d in documents:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
        return 0
    n = counter.n_docs
    out.write(f"{len(units)} boilerplate units in {n} documents (in at least {need} of them)\n")
    for u in units[: args.top]:
        text = u.text if len(u.text) <= 70 else u.text[:67] + "..."
        out.write(f"{u.docs:>8}  {u.unit:<9}  {text}\n")
    if len(units) > args.top:
        out.write(f"     ...  {len(units) - args.top} more (--top, --format jsonl)\n")
    if fractions:
        mean = sum(fractions) / len(fractions)
        half = sum(1 for f in fractions if f > 0.5)
        out.write(
            f"boilerplate characters: {mean:.1%} of a document on average; "
            f"{half} documents more than half boilerplate\n"
        )
    return 0

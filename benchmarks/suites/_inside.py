"""Where one textqa process spends its time: parsing against the rules, in-process.

Shared by the ``hook`` and ``repetition`` suites. Both stages are timed as ``textqa check``
runs them, where one document lives at a time: the parse stage drops each document as soon as
it is built, and the rule stage runs on documents parsed beforehand and moved out of the
cyclic collector's sight (``gc.freeze``), so neither pays for a collector rescanning hundreds
of live documents, which a real run never holds.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from benchmarks.context import Context
from benchmarks.harness import compare


def parse_vs_rules(
    ctx: Context, texts: Sequence[tuple[str, str]], select: Sequence[str] | None, rules: str
) -> list[list[str]]:
    """Rows ``[stage, seconds, MB/s]``: parsing ``texts`` (``(path, text)`` pairs) and running
    the ``select``-ed rules (None: the default ones) on the parsed documents."""
    import textqa

    nbytes = sum(len(t.encode("utf-8")) for _, t in texts)

    def parse_all() -> None:
        for name, text in texts:
            textqa.parse(text, name)

    docs = [textqa.parse(t, name) for name, t in texts]
    gc.collect()
    gc.freeze()
    try:
        split = compare(
            f"inside textqa check: parsing vs {rules}, in-process",
            {
                "parse (shared by all rules)": parse_all,
                f"{rules} on parsed documents": lambda: textqa.check_documents(
                    docs, select=select
                ),
            },
            repeat=ctx.pick(1, 3),
            warmup=ctx.warmup,
            work={"files": len(texts), "bytes": nbytes},
        )
    finally:
        gc.unfreeze()
    out: list[list[str]] = []
    for stage, t in split.timings.items():
        out.append([stage, f"{t.median:.3f}", f"{nbytes / 1e6 / t.median:.1f}"])
    return out



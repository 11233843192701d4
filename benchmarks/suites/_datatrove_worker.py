"""The datatrove side of the ``repetition`` suite. It runs in datatrove's own virtualenv (never
textqa's environment), loads the documents once, then answers one command per stdin line so
the parent can interleave it with textqa's in-process timing:

* ``filter``: run datatrove 0.10's ``GopherRepetitionFilter.filter`` on every document (as a
  pipeline does: it stops at the first failing rule); reply ``ok SECONDS``;
* ``compat``: run ``textqa.gopher.repetition_metrics(text, compat="datatrove")`` on every
  document (needs ``--src``; spaCy is installed in that environment); reply ``ok SECONDS``;
* ``verdicts``: reply one JSON line, datatrove's verdict per document (``true`` or the rule);
* ``quit``.

Usage: ``PYTHON _datatrove_worker.py DOCS.jsonl [--src SRC]`` (one ``{"text": ...}`` per line).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time


def main() -> int:
    path = sys.argv[1]
    if "--src" in sys.argv:
        sys.path.insert(0, sys.argv[sys.argv.index("--src") + 1])
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]

    # datatrove is importable only in its own virtualenv: imported after the arguments
    from datatrove.data import Document
    from datatrove.pipeline.filters import GopherRepetitionFilter

    filt = GopherRepetitionFilter()
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    metrics = None
    with contextlib.suppress(ImportError):  # textqa's sources may not import there
        from textqa.gopher import repetition_metrics as metrics
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            break
        if cmd == "filter":
            start = time.perf_counter()
            for d in docs:
                filt.filter(d)
            print(f"ok {time.perf_counter() - start:.6f}", flush=True)
        elif cmd == "compat" and metrics is not None:
            start = time.perf_counter()
            for t in texts:
                metrics(t, compat="datatrove")
            print(f"ok {time.perf_counter() - start:.6f}", flush=True)
        elif cmd == "verdicts":
            out = []
            for d in docs:
                v = filt.filter(d)
                out.append(True if v is True else v[1])  # type: ignore[index]
            print(json.dumps(out), flush=True)
        else:
            print(f"error unknown command {cmd!r}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

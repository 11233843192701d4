"""Build textqa's shipped spelling data from the word lists in ``../shared/lexicons``.

Usage::

    python tools/build_lexicon.py [--lexicons ../shared/lexicons] [--out src/textqa/data]

Inputs (all permissively licensed; their licence files are copied next to the output):

* SCOWL as packaged by Debian: ``american-english-small`` (size 35), ``american-english``
  (50), ``american-english-large`` (70), ``american-english-huge`` (80) and
  ``british-english-huge`` (80). The size level is kept as a frequency proxy.
* cspell-dicts software terms (``cspell-*.txt``): technical vocabulary.
* typos' ``words.csv``: known misspellings ``wrong,right[,right...]``.

Outputs:

* ``lexicon.txt.gz``: sections ``@NAME`` followed by one word per line, sorted:
  ``35``/``50``/``70``/``80`` (words in both variants, by their American size level),
  ``us-35`` ... ``us-80`` (American-only spellings), ``gb`` (British-only spellings),
  ``inflected`` (regular inflections SCOWL lacks, e.g. ``attaches``), ``software``.
  Possessives (``word's``) are dropped: the checker strips ``'s`` before looking a word up.
* ``misspellings-wrong.txt`` and ``misspellings.txt`` (not compressed: every ``textqa check``
  reads them): the sorted known misspellings one per line, then sections ``@right`` (parallel
  to them;
  alternatives separated by ``,``) and ``@reduplicated`` (lexicon words that are a whole
  repetition of a shorter string, such as ``murmur``: never a stutter).

The build is deterministic: the same inputs give byte-identical files (gzip mtime 0).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ``../shared`` next to the checkout (or next to the folder holding several worktrees)
DEFAULT_LEXICONS = next(
    (p / "shared" / "lexicons" for p in ROOT.parents if (p / "shared" / "lexicons").is_dir()),
    ROOT.parent / "shared" / "lexicons",
)
DEFAULT_OUT = ROOT / "src" / "textqa" / "data"

_SCOWL_LEVELS = (
    (35, "american-english-small"),
    (50, "american-english"),
    (70, "american-english-large"),
    (80, "american-english-huge"),
)
_CSPELL = (
    "cspell-software-terms.txt",
    "cspell-coding-terms.txt",
    "cspell-computing-acronyms.txt",
    "cspell-software-tools.txt",
)


def _read_words(path: Path) -> set[str]:
    out: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        word = raw.split("#", 1)[0].strip()
        if not word or word.endswith("'s"):
            continue
        out.add(word)
    return out


def _is_word(word: str) -> bool:
    return word.replace("'", "").replace("-", "").isalpha()


def _verb_s_form(word: str) -> str:
    """Third-person singular of a regular verb (``attach`` -> ``attaches``).

    >>> [_verb_s_form(w) for w in ("attach", "carry", "play", "fix", "run")]
    ['attaches', 'carries', 'plays', 'fixes', 'runs']
    """
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def inflections(words: set[str]) -> set[str]:
    """Regular ``-s`` forms of lower-case verbs (words with an ``-ed`` and ``-ing`` form) that
    the list lacks; SCOWL misses some (``attaches``)."""
    out: set[str] = set()
    for w in words:
        if not w.isalpha() or not w.islower() or len(w) < 3:
            continue
        stem = w[:-1] if w.endswith("e") else w
        past = (w + "ed", w + "d", w[:-1] + "ied" if w.endswith("y") else "")
        ing = (w + "ing", stem + "ing")
        if any(p in words for p in past if p) and any(g in words for g in ing):
            s = _verb_s_form(w)
            if s not in words:
                out.add(s)
    return out


def is_periodic(word: str) -> bool:
    """True when ``word`` is a whole repetition of a shorter string (``murmur``).

    >>> is_periodic("murmur"), is_periodic("mama"), is_periodic("moral")
    (True, True, False)
    """
    return len(word) >= 2 and word in (word + word)[1:-1]


def build(lexicons: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    scowl = lexicons / "scowl"
    level_of: dict[str, int] = {}
    for level, name in _SCOWL_LEVELS:
        for w in _read_words(scowl / name):
            if _is_word(w):
                level_of.setdefault(w, level)
    american = set(level_of)
    british = {w for w in _read_words(scowl / "british-english-huge") if _is_word(w)}
    software: set[str] = set()
    for name in _CSPELL:
        software |= {w for w in _read_words(lexicons / "cspell-software-terms" / name)
                     if _is_word(w)}
    software -= american | british
    inflected = inflections(american | british) - software

    sections: dict[str, list[str]] = {}
    for level in (35, 50, 70, 80):
        both = {w for w in american & british if level_of[w] == level}
        us_only = {w for w in american - british if level_of[w] == level}
        sections[str(level)] = sorted(both)
        sections[f"us-{level}"] = sorted(us_only)
    sections["gb"] = sorted(british - american)
    sections["inflected"] = sorted(inflected)
    sections["software"] = sorted(software)

    known_lower = {w.lower() for ws in sections.values() for w in ws}
    wrongs: list[str] = []
    rights: list[str] = []
    with (lexicons / "typos-words" / "words.csv").open(encoding="utf-8", newline="") as fh:
        table: dict[str, list[str]] = {}
        for row in csv.reader(fh):
            if len(row) < 2:
                continue
            wrong = row[0].strip().lower()
            alts = []
            for raw in row[1:]:
                r = raw.strip()
                if r and r.lower() != wrong and r not in alts and _is_word(r):
                    alts.append(r)
            if not _is_word(wrong) or wrong in known_lower or not alts:
                continue
            table.setdefault(wrong, [])
            table[wrong].extend(a for a in alts if a not in table[wrong])
    for wrong in sorted(table):
        wrongs.append(wrong)
        rights.append(",".join(table[wrong]))
    # kept in their case: the name "Isis" excuses "ISIS" and "Isis" but not the stutter "isis"
    reduplicated = sorted(
        {w for ws in sections.values() for w in ws if is_periodic(w.lower())}
    )
    return sections, {"wrong": wrongs, "right": rights, "reduplicated": reduplicated}


def _write(path: Path, sections: dict[str, list[str]]) -> None:
    """Write the sections, gzipped when ``path`` ends in ``.gz``, atomically."""
    body = "".join(f"@{name}\n" + "".join(w + "\n" for w in words)
                   for name, words in sections.items())
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as raw:
        if path.suffix == ".gz":
            with gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0
            ) as gz:
                gz.write(body.encode("utf-8"))
        else:
            raw.write(body.encode("utf-8"))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lexicons", type=Path, default=DEFAULT_LEXICONS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.lexicons.is_dir():
        print(f"build_lexicon: {args.lexicons} not found", file=sys.stderr)
        return 2
    sections, table = build(args.lexicons)
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "lexicon.txt.gz", sections)
    # plain text, read by every check: the wrong forms alone (searched without a set), then
    # the corrections and the reduplicated words (read when needed)
    wrong = table.pop("wrong")
    (args.out / "misspellings-wrong.txt").write_text("".join(w + "\n" for w in wrong), "utf-8")
    _write(args.out / "misspellings.txt", table)
    licences = args.out / "licences"
    licences.mkdir(exist_ok=True)
    shutil.copyfile(args.lexicons / "scowl" / "copyright", licences / "SCOWL.txt")
    shutil.copyfile(args.lexicons / "typos-words" / "LICENSE-MIT", licences / "typos-MIT.txt")
    shutil.copyfile(args.lexicons / "cspell-software-terms" / "cspell-software-terms.LICENSE",
                    licences / "cspell-dicts-MIT.txt")
    for name, words in {**sections, **table}.items():
        print(f"{name:>14}: {len(words):>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

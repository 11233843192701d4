"""A seeded corpus generator: documents built from real prose, with planted, labelled defects.

The base is real text (a folder of ``.txt``/``.md``/``.rst`` files, or a JSON Lines file with a
``text`` field, optionally ``.gz``/``.xz``/``.bz2``-compressed); :func:`load_base` splits it into
prose paragraphs. :func:`generate` then builds ``n_docs`` documents from runs of consecutive
paragraphs (no base paragraph used twice while the base lasts) and plants, each with a label
pointing at its exact span in the final text:

* **near-duplicates**: a share of the documents are copies of an earlier generated document with
  word-level edits (substitute, delete, insert) at a controlled rate; documents copied from the
  same original share a ``cluster`` and record their ``edit_rate``;
* **pasted-twice paragraphs**: a paragraph repeated right after itself (``repeated-paragraph``);
* **misspellings**: a word replaced by a typo (adjacent-letter swap, dropped, doubled or replaced
  letter), or by a known misspelling when a table is given;
* **stutters** (``ISIS`` → ``ISISISIS``) and **doubled words** (``the the``);
* **invisible characters** (zero-width space/joiners, word joiner, BOM) inside a word.

The same base, parameters and seed always give the same corpus, on every machine
(``random.Random`` seeded with strings is stable across Python versions and hash seeds).

>>> base = ["One two three four five six seven eight nine ten eleven twelve. " * 3] * 4
>>> a = generate(base, n_docs=6, seed=7)
>>> b = generate(base, n_docs=6, seed=7)
>>> a == b, len(a.docs)
(True, 6)
>>> all(d.text[x.start:x.end] == x.text for d in a.docs for x in d.defects)
True
"""

from __future__ import annotations

import bz2
import gzip
import itertools
import json
import lzma
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

__all__ = [
    "INVISIBLES",
    "Corpus",
    "Defect",
    "GeneratedDoc",
    "edit_words",
    "generate",
    "load_base",
    "read_jsonl",
    "split_paragraphs",
    "stutter",
    "typo",
]

DefectKind = Literal["repeated-paragraph", "misspelling", "stutter", "doubled-word", "invisible"]

#: invisible characters planted inside words (code point -> name)
INVISIBLES: dict[str, str] = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}

# plain words of 4+ letters only (not inside identifiers): plant defects where they are clear
_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".rst", ".text"}


@dataclass(frozen=True, slots=True)
class Defect:
    """One planted defect: ``text[start:end]`` of its document is exactly ``text``.

    ``original`` is what was there before (the correct word; for a pasted-twice paragraph the
    paragraph itself); ``related`` is the start offset of the first copy (pasted paragraphs).
    """

    kind: DefectKind
    start: int
    end: int
    text: str
    original: str
    related: int | None = None


@dataclass(frozen=True, slots=True)
class GeneratedDoc:
    """A generated document and its labels.

    ``cluster`` is the id of the original document this one was copied from (its own id for an
    original that has copies, ``None`` for a document with no near-duplicate); ``edit_rate`` is
    the share of words edited relative to that original (0.0 for originals).
    """

    id: str
    text: str
    cluster: str | None
    edit_rate: float
    defects: tuple[Defect, ...] = ()

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Corpus:
    """A generated corpus: documents in order plus the parameters that made it."""

    docs: tuple[GeneratedDoc, ...]
    seed: int
    params: Mapping[str, Any] = field(default_factory=dict)

    def clusters(self) -> dict[str, list[str]]:
        """Near-duplicate clusters with at least two members: cluster id -> document ids."""
        groups: dict[str, list[str]] = {}
        for d in self.docs:
            if d.cluster is not None:
                groups.setdefault(d.cluster, []).append(d.id)
        return {k: v for k, v in groups.items() if len(v) > 1}

    def duplicate_pairs(self) -> set[tuple[str, str]]:
        """Labelled near-duplicate pairs ``(a, b)`` with ``a < b``, every pair within a cluster."""
        return {
            (min(a, b), max(a, b))
            for ids in self.clusters().values()
            for a, b in itertools.combinations(ids, 2)
        }

    def defects(self, kind: str | None = None) -> list[tuple[str, Defect]]:
        """``(doc_id, defect)`` for every planted defect (of ``kind`` when given)."""
        return [(d.id, x) for d in self.docs for x in d.defects if kind in (None, x.kind)]

    @property
    def words(self) -> int:
        return sum(d.words for d in self.docs)

    def write(self, folder: Path | str, *, suffix: str = ".txt") -> list[Path]:
        """Write one file per document (``<id><suffix>``) plus ``labels.json``; returns the
        document paths in corpus order."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for d in self.docs:
            p = folder / f"{d.id}{suffix}"
            p.write_text(d.text, encoding="utf-8")
            paths.append(p)
        (folder / "labels.json").write_text(
            json.dumps(self.labels(), indent=1, sort_keys=True), encoding="utf-8"
        )
        return paths

    def labels(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "params": dict(self.params),
            "docs": [
                {k: v for k, v in asdict(d).items() if k != "text"} for d in self.docs
            ],
        }

    def to_jsonl(self) -> str:
        """One JSON object per document: ``id``, ``text``, ``cluster``, ``edit_rate``,
        ``defects``."""
        return "".join(json.dumps(asdict(d), sort_keys=True) + "\n" for d in self.docs)


# -- base prose -----------------------------------------------------------------------------


def split_paragraphs(text: str, *, min_words: int = 12) -> list[str]:
    """Prose paragraphs of ``text``: blocks separated by blank lines, rejoined on one line,
    keeping blocks of at least ``min_words`` words that are mostly letters (drops code, tables,
    headings and markup lines).

    >>> split_paragraphs("Title\\n\\nA first line\\nand its second line here.\\n\\n>>> x = 1",
    ...                  min_words=5)
    ['A first line and its second line here.']
    """
    out = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        lines = [ln.strip() for ln in block.strip().splitlines()]
        if not lines or any(ln.startswith((">>>", "..", "$ ", "|", "+--", "#", "=", "-" * 3))
                            for ln in lines):
            continue
        para = " ".join(ln for ln in lines if ln)
        words = para.split()
        if len(words) < min_words:
            continue
        letters = sum(c.isalpha() or c.isspace() for c in para)
        if letters < 0.85 * len(para):
            continue
        out.append(para)
    return out


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8")
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_jsonl(path: Path | str, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines file (plain or ``.gz``/``.xz``/``.bz2``), in order."""
    with _open(Path(path)) as f:
        n = 0
        for line in f:
            if not line.strip():
                continue
            yield json.loads(line)
            n += 1
            if limit is not None and n >= limit:
                return


def load_base(path: Path | str, *, limit_docs: int | None = None) -> list[str]:
    """Base prose from a folder of text files (recursively, in sorted path order) or from a JSON
    Lines file (the ``text`` field). Returns documents as lists of paragraphs joined by blank
    lines; documents with no prose paragraph are dropped. Raises ``ValueError`` when nothing
    usable is found."""
    path = Path(path)
    texts: Iterable[str]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _TEXT_SUFFIXES)
        texts = (p.read_text(encoding="utf-8", errors="replace") for p in files)
    elif path.is_file():
        texts = (str(o.get("text", "")) for o in read_jsonl(path))
    else:
        raise ValueError(f"{path}: no such file or folder")
    out = []
    for text in texts:
        paras = split_paragraphs(text)
        if paras:
            out.append("\n\n".join(paras))
            if limit_docs is not None and len(out) >= limit_docs:
                break
    if not out:
        raise ValueError(f"{path}: no prose paragraphs found")
    return out


# -- pure text edits ------------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """A plausible typo of ``word`` (length >= 4): swap two adjacent inner letters, drop or
    double a letter, or replace one by a neighbour in the alphabet. Never returns ``word``.

    >>> typo("separate", random.Random(1)) != "separate"
    True
    """
    if len(word) < 4:
        raise ValueError("typo() needs a word of at least 4 letters")
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("swap", "drop", "double", "replace"))
        if op == "swap":
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "drop":
            out = word[:i] + word[i + 1 :]
        elif op == "double":
            out = word[:i] + word[i] + word[i:]
        else:
            c = word[i].lower()
            repl = chr((ord(c) - 97 + rng.choice((1, 25))) % 26 + 97) if c.isalpha() else "e"
            out = word[:i] + repl + word[i + 1 :]
        if out != word:
            return out
    return word[:-1] + ("x" if word[-1] != "x" else "z")


def stutter(word: str, times: int = 4) -> str:
    """``word`` repeated ``times`` times without spaces, the way a broken editor pastes it.

    >>> stutter("ISIS")
    'ISISISISISISISIS'
    >>> stutter("next", 3)
    'nextnextnext'
    """
    return word * times


def edit_words(text: str, rate: float, rng: random.Random) -> tuple[str, int]:
    """Edit about ``rate`` of the words of ``text`` (substitute with another word of the text,
    delete, or insert a copy of a nearby word); returns the new text and the number of edits.
    Paragraph breaks are kept.

    >>> edit_words("a b c d", 0.0, random.Random(0))
    ('a b c d', 0)
    """
    if rate <= 0:
        return text, 0
    paras = text.split("\n\n")
    vocab = text.split()
    edits = 0
    out_paras = []
    for para in paras:
        words = para.split(" ")
        out: list[str] = []
        for w in words:
            if rng.random() >= rate:
                out.append(w)
                continue
            edits += 1
            op = rng.randrange(3)
            if op == 0:
                out.append(rng.choice(vocab))
            elif op == 1:
                continue
            else:
                out.extend((w, rng.choice(vocab)))
        out_paras.append(" ".join(out) if out else para)
    return "\n\n".join(out_paras), edits


# -- generation -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plant:
    start: int
    end: int
    replacement: str
    kind: DefectKind
    original: str


def _plant_word_defects(
    text: str,
    rng: random.Random,
    *,
    misspellings: int,
    stutters: int,
    doubled: int,
    invisibles: int,
    table: Mapping[str, Sequence[str]] | None,
    lexicon: frozenset[str] | None,
) -> tuple[str, list[Defect]]:
    taken: set[int] = set()
    plants: list[_Plant] = []

    def pick(ok: Any = None) -> re.Match[str] | None:
        # the first suitable word at or after a random offset (wrapping around): cost grows
        # with the number of defects, not with the length of the text
        if not text:
            return None
        for _attempt in range(64):
            pos = rng.randrange(len(text))
            m = _WORD.search(text, pos) or _WORD.search(text, 0)
            while m is not None and (m.start() in taken or (ok is not None and not ok(m.group()))):
                m = _WORD.search(text, m.end())
            if m is not None:
                taken.add(m.start())
                return m
        return None

    for _ in range(misspellings):
        use_table = table is not None
        m = pick((lambda w: w.lower() in table) if use_table and table else None)
        if m is None:
            break
        w = m.group()
        if table is not None and w.lower() in table:
            wrong = rng.choice(list(table[w.lower()]))
            wrong = wrong.capitalize() if w[0].isupper() else wrong
        else:
            wrong = typo(w, rng)
            for _attempt in range(5):
                if lexicon is None or wrong.lower() not in lexicon:
                    break
                wrong = typo(w, rng)
        plants.append(_Plant(m.start(), m.end(), wrong, "misspelling", w))
    for _ in range(stutters):
        m = pick()
        if m is None:
            break
        plants.append(
            _Plant(m.start(), m.end(), stutter(m.group(), rng.choice((2, 3, 4))), "stutter",
                   m.group())
        )
    for _ in range(doubled):
        m = pick(lambda w: w.islower())
        if m is None:
            break
        plants.append(
            _Plant(m.start(), m.end(), f"{m.group()} {m.group()}", "doubled-word", m.group())
        )
    for _ in range(invisibles):
        m = pick()
        if m is None:
            break
        w = m.group()
        i = rng.randrange(1, len(w))
        ch = rng.choice(sorted(INVISIBLES))
        plants.append(_Plant(m.start(), m.end(), w[:i] + ch + w[i:], "invisible", w))

    plants.sort(key=lambda p: p.start)
    parts: list[str] = []
    defects: list[Defect] = []
    pos = 0
    out_len = 0
    for p in plants:
        parts.append(text[pos : p.start])
        out_len += p.start - pos
        defects.append(
            Defect(p.kind, out_len, out_len + len(p.replacement), p.replacement, p.original)
        )
        parts.append(p.replacement)
        out_len += len(p.replacement)
        pos = p.end
    parts.append(text[pos:])
    return "".join(parts), defects


def _paste_twice(text: str, rng: random.Random) -> tuple[str, Defect | None]:
    paras = text.split("\n\n")
    if not paras:
        return text, None
    i = rng.randrange(len(paras))
    before = "\n\n".join(paras[: i + 1])
    first = len(before) - len(paras[i])
    second = len(before) + 2
    new = "\n\n".join([*paras[: i + 1], paras[i], *paras[i + 1 :]])
    return new, Defect("repeated-paragraph", second, second + len(paras[i]), paras[i], paras[i],
                       related=first)


def _shift(defects: Iterable[Defect], at: int, by: int) -> list[Defect]:
    out = []
    for d in defects:
        if d.start >= at:
            related = None if d.related is None else d.related + (by if d.related >= at else 0)
            out.append(Defect(d.kind, d.start + by, d.end + by, d.text, d.original, related))
        else:
            out.append(d)
    return out


class _ParagraphStream:
    """Paragraphs of the base, consumed without reuse until exhausted, then at random."""

    def __init__(self, docs: list[list[str]], rng: random.Random, paragraphs: tuple[int, int],
                 words: tuple[int, int] | None) -> None:
        order = list(range(len(docs)))
        rng.shuffle(order)
        self.flat = [p for i in order for p in docs[i]]
        self.pos = 0
        self.epoch = 0
        self.paragraphs = paragraphs
        self.words = words

    def _next(self, rng: random.Random) -> str:
        if self.pos >= len(self.flat):
            self.epoch += 1
        if self.epoch:
            return rng.choice(self.flat)
        self.pos += 1
        return self.flat[self.pos - 1]

    def take(self, rng: random.Random) -> list[str]:
        if self.words is not None:
            target = rng.randint(*self.words)
            out, n = [], 0
            while n < target:
                para = self._next(rng)
                out.append(para)
                n += len(para.split())
            return out
        return [self._next(rng) for _ in range(rng.randint(*self.paragraphs))]


def generate(
    base: Sequence[str],
    *,
    n_docs: int,
    seed: int = 0,
    paragraphs: tuple[int, int] = (2, 6),
    words: tuple[int, int] | None = None,
    near_duplicate_share: float = 0.3,
    edit_rates: Sequence[float] = (0.0, 0.02, 0.05, 0.1, 0.2),
    pasted_share: float = 0.1,
    misspellings_per_1k_words: float = 4.0,
    stutters_per_1k_words: float = 0.5,
    doubled_per_1k_words: float = 1.0,
    invisibles_per_1k_words: float = 0.5,
    misspelling_table: Mapping[str, Sequence[str]] | None = None,
    lexicon: Iterable[str] | None = None,
) -> Corpus:
    """Build ``n_docs`` documents from ``base`` (documents whose paragraphs are separated by
    blank lines, e.g. from :func:`load_base`) with planted, labelled defects.

    Originals are cut from one stream of base paragraphs (base documents in shuffled order,
    paragraphs in order), ``paragraphs`` (min, max) at a time — or, with ``words`` (min, max),
    paragraphs until a word count drawn from that range is reached — so no two originals share
    base text. When the base runs out, later originals are drawn paragraph by paragraph at random
    from the whole base (``params["base_reused"]``): they share at most a paragraph or so with any
    earlier document, far below a near-duplicate threshold, but not nothing. The rest of each
    document. About ``near_duplicate_share`` of the documents are near-duplicates: a copy of an
    earlier original with word edits at a rate drawn from ``edit_rates`` (0.0 is an exact
    copy). Word defects are planted independently in every document at the given rates per
    1,000 words (at least the integer part, plus one more with the fractional probability);
    ``pasted_share`` of the documents get one paragraph pasted twice. Synthetic typos that land
    on a word of ``lexicon`` are retried; with ``misspelling_table`` (correct word -> known
    misspellings) misspellings are drawn from it instead.
    """
    if n_docs < 0:
        raise ValueError("n_docs must be >= 0")
    if not base:
        raise ValueError("generate() needs at least one base document")
    base_paras = [b.split("\n\n") for b in base if b.strip()]
    lex = frozenset(w.lower() for w in lexicon) if lexicon is not None else None
    table = None
    if misspelling_table:
        table = {k.lower(): list(v) for k, v in misspelling_table.items()}
    rng = random.Random(f"textqa-bench:{seed}")
    stream = _ParagraphStream(base_paras, rng, paragraphs, words)
    width = max(4, len(str(n_docs)))
    clean: list[tuple[str, str, str | None, float]] = []  # id, text, source id, edit rate
    originals: list[int] = []
    for i in range(n_docs):
        doc_id = f"d{i:0{width}d}"
        if originals and rng.random() < near_duplicate_share:
            src = rng.choice(originals)
            rate = rng.choice(list(edit_rates))
            text, _ = edit_words(clean[src][1], rate, rng)
            clean.append((doc_id, text, clean[src][0], rate))
            continue
        clean.append((doc_id, "\n\n".join(stream.take(rng)), None, 0.0))
        originals.append(i)
    has_copies = {source for _, _, source, _ in clean if source is not None}

    def count(per_1k: float, words: int, r: random.Random) -> int:
        expected = per_1k * words / 1000
        n = int(expected)
        return n + (1 if r.random() < expected - n else 0)

    docs = []
    for doc_id, clean_text, source_id, rate in clean:
        r = random.Random(f"textqa-bench:{seed}:{doc_id}")
        n_words = len(clean_text.split())
        text, defects = _plant_word_defects(
            clean_text,
            r,
            misspellings=count(misspellings_per_1k_words, n_words, r),
            stutters=count(stutters_per_1k_words, n_words, r),
            doubled=count(doubled_per_1k_words, n_words, r),
            invisibles=count(invisibles_per_1k_words, n_words, r),
            table=table,
            lexicon=lex,
        )
        if r.random() < pasted_share:
            pasted, d = _paste_twice(text, r)
            if d is not None:
                # everything after the first copy moves by the pasted length + separator; word
                # defects inside the first copy appear again in the second copy, labelled there too
                assert d.related is not None
                first_end = d.related + len(d.text)
                delta = d.start - d.related
                moved = _shift(defects, first_end, len(d.text) + 2)
                copies = [
                    Defect(x.kind, x.start + delta, x.end + delta, x.text, x.original)
                    for x in defects
                    if d.related <= x.start and x.end <= first_end
                ]
                defects = sorted([*moved, *copies, d], key=lambda x: (x.start, x.end, x.kind))
                text = pasted
        cluster = source_id if source_id is not None else (doc_id if doc_id in has_copies else None)
        docs.append(GeneratedDoc(doc_id, text, cluster, rate, tuple(defects)))
    params = {
        "n_docs": n_docs,
        "paragraphs": list(paragraphs),
        "words": list(words) if words else None,
        "base_reused": stream.epoch > 0,
        "near_duplicate_share": near_duplicate_share,
        "edit_rates": list(edit_rates),
        "pasted_share": pasted_share,
        "misspellings_per_1k_words": misspellings_per_1k_words,
        "stutters_per_1k_words": stutters_per_1k_words,
        "doubled_per_1k_words": doubled_per_1k_words,
        "invisibles_per_1k_words": invisibles_per_1k_words,
        "misspelling_table": misspelling_table is not None,
    }
    return Corpus(tuple(docs), seed, params)

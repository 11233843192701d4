"""Spelling anomalies (TQ4xx): known misspellings, unknown words, stutters, doubled words, articles.

Rules read only unmasked word tokens (never code, URLs or markup):

* TQ401 ``misspelling`` — the word is in the known-misspelling table (typos' list, minus
  entries that are real words); reported when the correction is unique, or when exactly one
  of several corrections is used elsewhere in the document.
* TQ402 ``unknown-word`` (``full`` mode) — a lower-case word absent from the lexicon, close to
  a common word by a likely keystroke slip (see :mod:`textqa.suggest`). Never names,
  capitals, words with digits, compounds of two words, or a word used twice or more in the run
  (the run's own vocabulary: terms of art recur, slips do not).
* TQ403 ``stuttered-token`` — a token that is a whole repetition of a word (``thethe``).
* TQ404 ``doubled-word`` — the same word twice across a space or one line break (``the the``),
  except legitimate doubles (``had had``, ``that that``).
* TQ405 ``article-anomaly`` — an article followed by a comma (``a, Islamic``), ``a`` before a
  vowel sound or ``an`` before a consonant sound.

>>> from textqa import check
>>> [(f.code, f.suggestions) for f in check("The the cat ate thethe food.")]
[('TQ404', ('The',)), ('TQ403', ('the',))]
"""

from __future__ import annotations

import functools
import itertools
import operator
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import regex

from textqa.lexicon import Lexicon, lexicon, misspellings, normalize_apostrophes, user_words
from textqa.model import Document, Edit, Finding, Fix, Span, Token
from textqa.rules import make_finding

if TYPE_CHECKING:
    from textqa.check import Context
    from textqa.suggest import Candidate

__all__ = [
    "LEGITIMATE_DOUBLES",
    "UnknownWordChecker",
    "article_sound",
    "check_document",
    "corpus_checker",
    "stutter_unit",
]

#: doubles that are grammatical ("what it is is ...", "he had had enough"), idiomatic, or
#: transcribed hesitation ("uh uh")
LEGITIMATE_DOUBLES = frozenset(
    {
        "had", "that", "long", "bye", "ha", "haha", "ho", "hey", "hip", "tut", "knock", "chop",
        "yada", "blah", "la", "ta", "pooh", "tsk", "boo", "dum", "bang", "ooh", "mm", "hmm",
        "hush", "night", "pom", "bora", "wagga", "walla", "uh", "um", "er", "erm", "ah",
    }
)
#: two-consonant word starts that English spells (``str``, ``sch`` start with these too); any
#: other consonant pair opens a word read letter by letter (``an lvalue``, ``an mbox``, ``an nth``)
_ONSETS = frozenset(
    {
        "bl", "br", "ch", "cl", "cr", "dr", "dw", "fl", "fr", "gh", "gl", "gn", "gr", "kn",
        "ph", "pl", "pr", "ps", "pt", "qu", "rh", "sc", "sh", "sk", "sl", "sm", "sn", "sp",
        "st", "sv", "sw", "th", "tr", "ts", "tw", "wh", "wr",
    }
)
#: ``is is`` is grammatical only after a free relative: "what it is is", "all it is is"
_IS_IS_OPENERS = frozenset(
    {
        "what", "all", "thing", "problem", "question", "point",
    }
)
#: interjection syllables whose repetitions are words (``hahaha``), never stutters
_INTERJECTION_UNITS = frozenset(
    {
        "ha", "he", "hi", "ho", "hm", "la", "na", "ya", "yo", "da", "pa", "ma", "mo", "bo",
        "lo", "oh", "ah", "eh", "uh", "um", "mm", "aa", "bla", "tra", "tsk", "dum",
    }
)
#: words that never follow an article (an article before them is a variable or a letter)
_CLOSED_CLASS = frozenset(
    {
        "a", "an", "the", "and", "or", "nor", "but", "if", "is", "are", "was", "were", "be",
        "been", "as", "at", "of", "on", "in", "into", "onto", "to", "by", "for", "from", "with",
        "than", "then", "so", "not", "no", "it", "its", "isn't", "aren't", "wasn't",
        "weren't", "has", "have", "had", "does", "do", "did", "can", "could", "will", "would",
        "shall", "should", "may", "might", "must", "which", "who", "whom", "whose", "that",
        "this", "these", "those", "where", "when", "while", "whereas", "all", "any", "each",
        "every", "either", "neither", "both", "some", "such", "via", "per", "vs", "etc", "i",
        "e", "g",
    }
)

_PUNCT_ARTICLE_GAP = (", ", ",\u00a0")
_FOREIGN_WINDOW = 2
#: an unknown word used this many times or fewer in a run can still be a repeated slip
_MAX_REPEATED_SLIPS = 3
_ARTICLES = frozenset({"a", "an", "An"})


_TEXT = operator.itemgetter(0)


def _unmasked_words(doc: Document) -> Sequence[Token]:
    return doc.words


def _match_case(template: str, word: str) -> str:
    """``word`` in the case pattern of ``template``.

    >>> _match_case("Teh", "the"), _match_case("TEH", "the"), _match_case("teh", "the")
    ('The', 'THE', 'the')
    """
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def stutter_unit(word: str) -> tuple[str, int] | None:
    """The shortest unit a token is a whole repetition of, and the repeat count.

    >>> stutter_unit("thethe"), stutter_unit("ISISISIS"), stutter_unit("word")
    (('the', 2), ('IS', 4), None)
    """
    low = word.lower()
    n = len(low)
    if n < 4:
        return None
    period = (low + low).find(low, 1)
    if period >= n or n % period:
        return None
    return word[:period], n // period


def _stutter_units(word: str) -> list[tuple[str, int]]:
    """Every unit ``word`` repeats, longest first: ``ISISISIS`` -> ISIS x2, IS x4."""
    found = stutter_unit(word)
    if found is None:
        return []
    period = len(found[0])
    n = len(word)
    return [
        (word[:p], n // p)
        for p in range(n // 2, period - 1, -1)
        if n % p == 0 and p % period == 0
    ]


# -- articles -------------------------------------------------------------------------------
def article_sound(word: str) -> str | None:
    """``"vowel"`` or ``"consonant"`` for the first sound of ``word``, or None when unsure.

    Letters are a poor guide at the edges (``an hour``, ``a university``, ``a one-off``,
    ``an FBI`` / ``a NATO``), so those cases answer None and are never reported.

    >>> [article_sound(w) for w in ("apple", "banana", "university", "hour", "umbrella", "one")]
    ['vowel', 'consonant', None, None, 'vowel', None]
    """
    if len(word) < 2 or not word.isalpha() or (word.isupper()):
        return None
    w = word.lower()
    first = w[0]
    if first in "hywx":
        return None
    if first in "ai":
        return "vowel"
    if first == "e":
        return None if w.startswith(("eu", "ewe")) else "vowel"
    if first == "o":
        return None if w.startswith(("one", "once", "oui", "ouija")) else "vowel"
    if first == "u":
        # "un-" + consonant (unlikely), "up", "ul", "um", "ug", "ut(t)", "us(h)": a vowel sound;
        # "uni", "use", "usu", "ur(i|a|o)", "uti", "ubi": a consonant ("you")
        if w.startswith(("uni", "una", "uno", "ure", "uri", "ura", "uro", "use", "usu", "uti",
                         "ubi", "ufo", "uk", "ukr", "ute", "uto", "uvu", "upsil")):
            return None
        if w.startswith(("un", "up", "ul", "umb", "ump", "ug", "utt", "utm", "ush", "ud",
                         "urg", "urn", "urb")):
            return "vowel"
        return None
    if w[1] not in "aeiouy" and w[:2] not in _ONSETS:
        return None  # read as letters: "an lvalue", "an nth", "an sdist"
    return "consonant"


# -- the per-document rules -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Options:
    language: str
    vocabulary: frozenset[str]


def _options(ctx: Context) -> _Options:
    s = ctx.settings
    words_file = s.words_file
    root = getattr(s, "root", None)
    if words_file and root and not os.path.isabs(words_file):
        words_file = os.path.join(root, words_file)  # relative to the configuration file
    return _Options(s.language, user_words(tuple(s.words), words_file))


def _in_vocabulary(word: str, vocabulary: frozenset[str]) -> bool:
    return bool(vocabulary) and (word in vocabulary or word.lower() in vocabulary)


def _known(word: str, lex: Lexicon, vocabulary: frozenset[str], max_level: int = 90) -> bool:
    return _in_vocabulary(word, vocabulary) or lex.level(word, max_level) is not None


class _View:
    """One document's unmasked words with their lower-case forms, computed once per check."""

    __slots__ = ("_exact", "_vocab", "doc", "lows", "texts", "words")

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.words = _unmasked_words(doc)
        self.texts = list(map(_TEXT, self.words))
        # one C-level pass: tokens never contain a newline
        self.lows = "\n".join(self.texts).lower().split("\n") if self.texts else []
        self._vocab: Counter[str] | None = None
        self._exact: Counter[str] | None = None

    @property
    def vocab(self) -> Counter[str]:
        """Lower-case word counts (typographic apostrophes as ASCII)."""
        if self._vocab is None:
            joined = "\n".join(self.lows)
            if "’" in joined:
                joined = normalize_apostrophes(joined)
            self._vocab = Counter(joined.split("\n"))
        return self._vocab

    def indices(self, suspects: set[str]) -> Iterator[int]:
        """Indices of the words whose lower-case form is in ``suspects``, ascending."""
        if not suspects:
            return iter(())
        return itertools.compress(itertools.count(), map(suspects.__contains__, self.lows))

    @property
    def exact(self) -> Counter[str]:
        """Word counts as written."""
        if self._exact is None:
            self._exact = Counter(self.texts)
        return self._exact


def check_document(doc: Document, ctx: Context) -> Iterator[Finding]:
    """TQ401, TQ403, TQ404 and TQ405 on one document (TQ402 is run-wide: :func:`corpus_checker`)."""
    view = _View(doc)
    if not view.words:
        return
    opts = _options(ctx)
    if ctx.wants("TQ401"):
        yield from _table(view, opts)
    if ctx.wants("TQ403"):
        # judge each distinct word once, then visit only the tokens of the suspects
        suspects = {
            low
            for low in set(view.lows)
            if "-" in low or (len(low) >= 4 and low in (low + low)[1:-1])
        }
        for i in view.indices(suspects):
            low = view.lows[i]
            if "-" in low:
                yield from _compound_stutters(view, view.words[i], opts)
            else:
                found = _stutter_finding(view, view.words[i], opts)
                if found is not None:
                    yield found
    if ctx.wants("TQ404"):
        yield from _doubled_words(view, opts)
    if ctx.wants("TQ405"):
        yield from _articles(doc, view)


def _table(view: _View, opts: _Options) -> Iterator[Finding]:
    table = misspellings()
    doc, words = view.doc, view.words
    hits: list[tuple[int, Finding]] = []
    wrong = table.wrong_forms
    distinct = set(view.lows)
    suspects = wrong.intersection(distinct)
    suspects.update(w for w in distinct if "-" in w or "'" in w or "’" in w)
    for i in view.indices(suspects):
        tok = words[i]
        low = normalize_apostrophes(view.lows[i])
        if low.endswith("'s"):
            low = low[:-2]
        if low in table:
            found = _table_finding(doc, tok, low, table.get(low) or (), opts, view.vocab)
            if found is not None:
                hits.append((i, found))
        elif "-" in low:
            hits.extend((i, f) for f in _table_parts(doc, tok, opts))
    # Two capitalized known misspellings within a few words of each other are a foreign phrase
    # or a name ("Stichting Mathematisch Centrum", "Januar, Februar"), not two slips.
    caps = [i for i, _ in hits if words[i].text[:1].isupper()]
    for i, found in hits:
        if words[i].text[:1].isupper() and any(
            j != i and abs(j - i) <= _FOREIGN_WINDOW for j in caps
        ):
            continue
        yield found


def _table_finding(  # noqa: PLR0917 -- private helper, called from two places
    doc: Document,
    tok: Token,
    low: str,
    rights: Sequence[str],
    opts: _Options,
    vocab: Counter[str],
    start: int | None = None,
    text: str | None = None,
) -> Finding | None:
    text = tok.text if text is None else text
    start = tok.start if start is None else start
    if any(c.isupper() for c in text[1:]):
        return None  # an acronym or a camelCase name, not a slip
    if any(c.isdigit() or c == "_" for c in text):
        return None
    if _in_vocabulary(text, opts.vocabulary):
        return None
    word_len = len(low)
    if len(rights) > 1:
        used = [r for r in rights if vocab.get(r.lower(), 0) > 0]
        if len(used) != 1:
            return None
        rights = used
        confidence = 0.8
    else:
        confidence = 0.95
    right = _match_case(text, rights[0])
    end = start + word_len
    return make_finding(
        doc,
        "TQ401",
        start,
        end,
        f"'{doc.text[start:end]}' is a common misspelling of '{right}'",
        suggestions=(right,),
        fix=Fix((Edit(Span(start, end), right),), safe=True, description=f"replace with {right!r}"),
        confidence=confidence,
    )


def _table_parts(doc: Document, tok: Token, opts: _Options) -> Iterator[Finding]:
    """Known misspellings inside a hyphenated compound (``well-knwon``)."""
    table = misspellings()
    offset = tok.start
    for part in tok.text.split("-"):
        low = normalize_apostrophes(part.lower())
        if len(low) >= 4 and low in table:
            rights = table.get(low) or ()
            if len(rights) == 1:
                found = _table_finding(doc, tok, low, rights, opts, Counter(), offset, part)
                if found is not None:
                    yield found
        offset += len(part) + 1


def _compound_stutters(view: _View, tok: Token, opts: _Options) -> Iterator[Finding]:
    """Stutters inside a hyphenated compound (``digitdigit-wise``)."""
    offset = tok.start
    for part in tok.text.split("-"):
        low = part.lower()
        if len(low) >= 4 and low in (low + low)[1:-1]:
            found = _stutter_finding(view, Token(part, offset, offset + len(part), "word"), opts)
            if found is not None:
                yield found
        offset += len(part) + 1


def _stutter_finding(view: _View, tok: Token, opts: _Options) -> Finding | None:
    doc, vocab = view.doc, view.vocab
    text = tok.text
    if not text.isalpha():
        return None
    low = text.lower()
    table = misspellings()
    if low in table.reduplicated or _in_vocabulary(text, opts.vocabulary):
        return None
    if not text.islower() and low in table.reduplicated_any:
        return None
    units = [(u, c) for u, c in _stutter_units(text) if len(u) >= 2]
    if not units or units[-1][0].lower() in _INTERJECTION_UNITS or len(set(low)) == 1:
        return None
    # The unit the writer meant: the one used most elsewhere in the document as written
    # (ISISISIS -> ISIS in an article about ISIS), else the most common known word.
    exact = view.exact if len(units) > 1 else None
    chosen: tuple[str, int] | None = None
    if exact is not None:
        used = [(exact[u], len(u), u, c) for u, c in units if exact[u] > 0]
        if used:
            _, _, unit, count = max(used)
            chosen = (unit, count)
    if chosen is None:
        lex = lexicon(opts.language)
        ranked = []
        for unit, count in units:
            ul = unit.lower()
            level = lex.level(ul, 50 if len(ul) == 2 else 90)
            if level is None and (vocab.get(ul, 0) > 0 or _in_vocabulary(ul, opts.vocabulary)):
                level = 95
            if level is not None:
                ranked.append((level, -len(ul), unit, count))
        if ranked:
            _, _, unit, count = min(ranked)
            chosen = (unit, count)
    if chosen is None:
        return None
    unit, count = chosen
    return make_finding(
        doc,
        "TQ403",
        tok.start,
        tok.end,
        f"'{text}' repeats '{unit}' {count} times",
        suggestions=(unit,),
        fix=Fix((Edit(tok.span, unit),), safe=True, description=f"replace with {unit!r}"),
        confidence=0.95,
    )


def _gap_is_doubling(gap: str) -> bool:
    """The text between two doubled words: one space, or one line break with indentation.

    >>> [_gap_is_doubling(g) for g in (" ", "\\n   ", "   ", ", ")]
    [True, True, False, False]
    """
    if len(gap) == 1:
        return gap.isspace()
    if not gap.isspace():
        return False
    breaks = gap.count("\n") + gap.count("\r") - gap.count("\r\n")
    return breaks == 1


def _doubled_words(view: _View, opts: _Options) -> Iterator[Finding]:
    doc, words, lows = view.doc, view.words, view.lows
    text = doc.text
    last_end = -1
    for i in itertools.compress(itertools.count(1), map(operator.eq, lows[1:], lows)):
        prev, tok = words[i - 1], words[i]
        if prev.start < last_end:
            continue  # "the the the": one finding
        gap = text[prev.end : tok.start]
        if (
            _gap_is_doubling(gap)
            and (tok.text == prev.text or gap == " ")
            and _same_indent(text, prev, gap)
            and _is_doubled(prev, tok, opts)
            and not (lows[i] == "is" and any(w in _IS_IS_OPENERS for w in lows[max(0, i - 4) : i]))
        ):
            last_end = tok.end
            yield make_finding(
                doc,
                "TQ404",
                prev.start,
                tok.end,
                f"'{prev.text}' is repeated",
                suggestions=(prev.text,),
                fix=Fix(
                    (Edit(Span(prev.end, tok.end), ""),),
                    safe=True,
                    description="remove the second word",
                ),
                confidence=0.9,
            )


def _same_indent(text: str, first: Token, gap: str) -> bool:
    """A double across a line break must stay in one paragraph: the next line is indented like
    the first one (not a definition list's term and its indented definition)."""
    if "\n" not in gap and "\r" not in gap:
        return True
    line_start = max(text.rfind("\n", 0, first.start), text.rfind("\r", 0, first.start)) + 1
    line = text[line_start : first.start]
    indent = len(line) - len(line.lstrip())
    return len(gap.rsplit("\n", 1)[-1].rsplit("\r", 1)[-1]) == indent


def _is_doubled(a: Token, b: Token, opts: _Options) -> bool:
    low = a.text.lower()
    if low in LEGITIMATE_DOUBLES or not any(c.isalpha() for c in low):
        return False
    if _in_vocabulary(a.text, opts.vocabulary) and a.text[:1].isupper():
        return False
    if a.text[:1].isupper() and b.text[:1].isupper() and not a.text.isupper():
        # "Walla Walla", "Duran Duran": names double; "The The" at a title start does not
        return lexicon(opts.language).level(low, 50) is not None
    return True


def _articles(doc: Document, view: _View) -> Iterator[Finding]:
    text = doc.text
    words, texts = view.words, view.texts
    for i in itertools.compress(range(len(texts) - 1), map(_ARTICLES.__contains__, texts)):
        art = words[i]
        article = art.text
        nxt = words[i + 1]
        gap = text[art.end : nxt.start]
        word = nxt.text.split("-", 1)[0]
        if gap in _PUNCT_ARTICLE_GAP:
            found = _article_comma(doc, words, i, word)
            if found is not None:
                yield found
            continue
        if not gap.isspace() or "\n\n" in gap or word.lower() in _CLOSED_CLASS:
            continue
        if "-" in nxt.text and len(word) == 1:
            continue
        sound = article_sound(word)
        if sound is None or not word.isalpha() or (not word.islower() and not word.istitle()):
            continue
        if i > 0 and _is_symbolic(words[i - 1], art, text):
            continue
        expected = "an" if sound == "vowel" else "a"
        if article.lower() == expected:
            continue
        right = _match_case(article, expected)
        yield make_finding(
            doc,
            "TQ405",
            art.start,
            art.end,
            f"'{article} {word}': use '{right}' before a {sound} sound",
            suggestions=(right,),
            fix=Fix((Edit(art.span, right),), safe=True, description=f"replace with {right!r}"),
            confidence=0.85,
        )


def _is_symbolic(prev: Token, art: Token, text: str) -> bool:
    """``a`` used as a name: after a single letter or a comparison (``b, a and c``)."""
    between = text[prev.end : art.start]
    return len(prev.text) == 1 or any(c in between for c in "=<>+*/(")


def _article_comma(doc: Document, words: Sequence[Token], i: int, word: str) -> Finding | None:
    """``a, Islamic`` (a comma typed for ``n`` or a stray comma): only when the next word is a
    real word that is not itself followed by a comma (``a, b, c`` lists are variables)."""
    art, nxt = words[i], words[i + 1]
    if len(word) < 3 or not word.isalpha() or word.isupper() or word.lower() in _CLOSED_CLASS:
        return None
    text = doc.text
    after = text[nxt.end : nxt.end + 1]
    if after in (",", ")", "=") or (i > 0 and _is_symbolic(words[i - 1], art, text)):
        return None
    sound = article_sound(word)
    if sound is None:
        return None
    right = "an" if sound == "vowel" else art.text.lower()
    if art.text == "an" and sound == "consonant":
        right = "a"
    right = _match_case(art.text, right)
    start, end = art.start, art.end + 1
    return make_finding(
        doc,
        "TQ405",
        start,
        end,
        f"'{text[start:end]} {word}': an article cannot be followed by a comma",
        suggestions=(right,),
        fix=Fix((Edit(Span(start, end), right),), safe=True, description=f"replace with {right!r}"),
        confidence=0.8,
    )


# -- TQ402: unknown words, learned per run ----------------------------------------------------
#: an unknown word is reported only when its best correction scores at most this, by length:
#: a long non-word two slips from a word is far likelier a slip than a short one
MAX_SCORE = 1.05
_MAX_SCORE_BY_LENGTH = ((5, 1.05), (7, 1.35), (9, 1.65), (1000, 2.05))


def max_score(length: int) -> float:
    """The highest correction score still reported for an unknown word of ``length`` letters.

    >>> max_score(4), max_score(7), max_score(12)
    (1.05, 1.35, 2.05)
    """
    return next(limit for longest, limit in _MAX_SCORE_BY_LENGTH if length <= longest)
_SKIP_BEFORE = frozenset("\\/.#$%@&*~=<>`_^|:{[+")
_SKIP_AFTER = frozenset("(/\\=@_<>[{`^*|+-")
#: productive prefixes: ``un`` + ``decoded``, ``de`` + ``initialized`` are words, not slips
_PREFIXES = ("un", "re", "de", "pre", "non", "sub", "over", "under", "multi", "inter", "dis",
             "mis", "anti", "auto", "semi", "super", "post", "micro", "meta", "hyper")


_SENTENCE_END_RE = regex.compile(
    r"(?<![\p{L}.])\p{Ll}{3,}[*`')\]]*[.!?][\"'”’)]*[ \t\u00a0]+$"
)


def _sentence_start(text: str, tok: Token) -> bool:
    """True when ``tok`` opens a sentence that follows a sentence ending in a plain word, so not
    after ``Mr.``, ``v.``, an initial, a line start or a heading, where names cluster.

    >>> from textqa.model import Token
    >>> t = "It ended. Teh end. Mr. Bart"
    >>> tokens = [Token(w, t.index(w), t.index(w) + len(w), "word") for w in ("Teh", "Bart")]
    >>> [_sentence_start(t, tok) for tok in tokens]
    [True, False]
    """
    return _SENTENCE_END_RE.search(text, max(0, tok.start - 40), tok.start) is not None


_LINE_START_RE = regex.compile(r"(?:^|\n)[ \t]*(?:[-*+#>]+[ \t]+|\d{1,3}[.)][ \t]+)?$")


def _line_start(text: str, tok: Token) -> bool:
    """True when ``tok`` is the first word of its line (after indentation or a list marker)."""
    return _LINE_START_RE.search(text, max(0, tok.start - 20), tok.start) is not None


def _name_follows(words: Sequence[Token], i: int) -> bool:
    """The next word is capitalized too: ``Lucy Pope``, ``Marion Ohio`` look like names."""
    return i + 1 < len(words) and words[i + 1].text[:1].isupper()


@dataclass(slots=True)
class _Pending:
    finding: Finding
    word: str
    original: str


class UnknownWordChecker:
    """TQ402 over a run: collects unknown words from every document, then reports the ones used
    once in the whole run whose best correction is a likely slip."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.opts = _options(ctx)
        self.lex = lexicon(self.opts.language)
        self.table = misspellings()
        self.counts: Counter[str] = Counter()
        self.pending: list[_Pending] = []

    def add(self, doc: Document) -> None:
        self.add_summary(self.summarize(doc))

    def add_summary(self, summary: tuple[Counter[str], list[_Pending]]) -> None:
        """Count one document's words and keep its candidates (in input order)."""
        counts, pending = summary
        self.counts.update(counts)
        self.pending.extend(pending)

    def summarize(self, doc: Document) -> tuple[Counter[str], list[_Pending]]:
        """One document's lower-case word counts and its unknown-word candidates (computed
        where the document was parsed, e.g. in a ``--jobs`` worker process)."""
        text = doc.text
        joined = "\n".join(t.text for t in doc.tokens if t.kind == "word").lower()
        if "’" in joined:
            joined = normalize_apostrophes(joined)
        counts: Counter[str] = Counter(joined.split("\n") if joined else ())
        pending: list[_Pending] = []
        known = self.lex.all_words
        wrong = self.table.wrong_forms
        words = _unmasked_words(doc)
        for i, tok in enumerate(words):
            word = tok.text
            if len(word) < 4 or word in known or not word.isascii() or not word.isalpha():
                continue
            if not word.islower():
                low = word.lower()
                if (
                    low in known
                    or not (word[0].isupper() and word[1:].islower())
                    or not (
                        _sentence_start(text, tok)
                        or (
                            len(word) >= 6
                            and _line_start(text, tok)
                            and not _name_follows(words, i)
                        )
                    )
                ):
                    continue
                word = low
            if word in wrong and len(self.table.get(word) or ()) == 1:
                continue  # TQ401's business (ambiguous entries are judged here)
            if self.lex.level(word) is not None or _in_vocabulary(word, self.opts.vocabulary):
                continue
            if text[tok.start - 1 : tok.start] in _SKIP_BEFORE:
                continue
            after = text[tok.end : tok.end + 2]
            if after[:1] in _SKIP_AFTER or (after[:1] == ":" and after[1:].strip()):
                continue
            if self._compound(word) or self._in_phrase(words, i, text):
                continue
            pending.append(
                _Pending(make_finding(doc, "TQ402", tok.start, tok.end, ""), word, tok.text)
            )
        return counts, pending

    def _compound(self, word: str) -> bool:
        """A closed compound of two words (``filesystem``) or a prefixed word (``undecoded``)."""
        level = self.lex.level
        for i in range(4, len(word) - 3):
            if level(word[:i], 50) is not None and level(word[i:], 50) is not None:
                return True
        return any(
            word.startswith(p) and len(word) - len(p) >= 5 and level(word[len(p) :], 70) is not None
            for p in _PREFIXES
        )

    def _in_phrase(self, words: Sequence[Token], i: int, text: str) -> bool:
        """Part of an open compound (``knick knacks``) or next to another unknown word, as in a
        foreign phrase (``modus operandi``, ``e noho i lalo``) or a name."""
        word = words[i].text.lower()
        for j in (i - 1, i + 1):
            if not 0 <= j < len(words):
                continue
            other = words[j]
            a, b = (other, words[i]) if j < i else (words[i], other)
            if not text[a.end : b.start].isspace() or "\n\n" in text[a.end : b.start]:
                continue
            neighbour = other.text
            if (
                neighbour.isalpha()
                and self.lex.level(neighbour) is None
                and not (neighbour[:1].isupper() and j < i)
                and neighbour.lower() not in self.table
            ):
                return True
            joined = (neighbour.lower() + word) if j < i else (word + neighbour.lower())
            if self.lex.level(joined) is not None:
                return True
        return False

    def findings(self) -> Iterator[Finding]:
        for p in self.pending:
            n = self.counts[p.word]
            if n > 1 and not (n <= _MAX_REPEATED_SLIPS and self._obvious_slip(p.word)):
                continue
            found = self._judge(p)
            if found is not None:
                yield found

    def _obvious_slip(self, word: str) -> bool:
        """One cheap slip (swap, double letter, neighbouring key) from a very common word: such
        a word used two or three times is a repeated slip (copied text), not vocabulary."""
        cands = _ranked(word, self.lex)
        return bool(cands) and cands[0].level == 35 and cands[0].cost <= 0.6 and len(word) >= 5

    def _judge(self, p: _Pending) -> Finding | None:
        cands = _ranked(p.word, self.lex)
        if not cands or cands[0].score > max_score(len(p.word)):
            return None
        best = cands[0]
        if p.original != p.word and (best.level > 50 or best.score > 0.85):
            return None  # a capitalized word: only an obvious slip of a common word
        close = [c for c in cands if c.score <= best.score + 0.3][:3]
        suggestions = tuple(_match_case(p.original, c.word) for c in close)
        unique = len(close) == 1
        confidence = round(max(0.3, min(0.95, 1.1 - best.score / 2 - 0.15 * (len(close) - 1))), 2)
        fix = (
            Fix(
                (Edit(p.finding.span, suggestions[0]),),
                safe=True,
                description=f"replace with {suggestions[0]!r}",
            )
            if unique
            else None
        )
        return replace(
            p.finding,
            message=f"unknown word '{p.original}'; did you mean '{suggestions[0]}'?",
            suggestions=suggestions,
            fix=fix,
            confidence=confidence,
        )


@functools.lru_cache(maxsize=65536)
def _ranked(word: str, lex: Lexicon) -> list[Candidate]:
    from textqa.suggest import candidates  # noqa: PLC0415 -- rapidfuzz only in full mode

    return candidates(word, lex)



def corpus_checker(ctx: Context) -> UnknownWordChecker:
    """The TQ402 checker for one run (see :class:`UnknownWordChecker`)."""
    return UnknownWordChecker(ctx)

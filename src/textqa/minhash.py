"""MinHash signatures computed in numpy batches: text -> tokens -> 64-bit hashes -> shingles ->
signatures. Never a Python loop per token or per shingle.

The pipeline, and what a :class:`SignatureSpec` records about it:

1. **normalize** (``normalization``): ``dedup-key`` (default) = the key profile of
   :mod:`textqa.normalize` (NFKC, case folding, punctuation and symbols to spaces, digits to
   ``0``, whitespace collapse); ``casefold`` = case folding + whitespace collapse only;
   ``none`` = the text as is. Pure-ASCII text takes a byte-translation fast path that gives
   the same tokens.
2. **tokenize** (``tokenizer_version``): textqa's one word notion (:mod:`textqa.tokenize`). ASCII
   text takes a vectorized byte-classifier path that yields exactly the regex tokens.
3. **hash tokens** (``hash``): the UTF-8 *bytes* of each token, read as little-endian 8-byte
   words, folded with the splitmix64 finalizer (a bijection of 64-bit integers).
4. **shingle** (``shingle``, ``ngram``): word n-grams (default 5) or character n-grams; each
   n-gram's hash folds its members' hashes in order. A document with fewer than ``ngram`` units
   but at least one has exactly one shingle (all its units); an empty document has none.
5. **sketch** (``scheme``, ``num_perm``, ``seed``):

   * ``oph`` (default) and ``kperm``, see below.

   * ``kperm`` -- classic k-permutation MinHash: permutation *i* maps a shingle hash *x* to
     ``(a_i * x + b_i) mod 2**64`` (``a_i`` odd, so a bijection); the signature keeps the top
     32 bits of the minimum. Exact modular arithmetic; nothing overflows silently.
   * ``oph`` -- one-permutation hashing: ``fmix64(x ^ seed)`` picks a bin from its high bits
     and a value from its low 32 bits; each bin keeps its minimum; empty bins are filled by
     optimal densification (Shrivastava, ICML 2017). Cost independent of ``num_perm``.

Signatures are ``uint32`` arrays of shape ``(documents, num_perm)``; a document without
shingles has the all-ones signature and is never a candidate.

>>> spec = SignatureSpec()
>>> sigs = signatures(["the quick brown fox jumps over the lazy dog",
...                    "The quick brown fox jumps over the lazy dog!"], spec)
>>> sigs.shape, bool((sigs[0] == sigs[1]).all())
((2, 128), True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import regex

from textqa.errors import UsageError
from textqa.tokenize import TOKENIZER_VERSION, WORD_PATTERN

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "EMPTY_VALUE",
    "HASH_NAME",
    "NORMALIZATIONS",
    "SPEC_VERSION",
    "ShingleSets",
    "SignatureSet",
    "SignatureSpec",
    "estimate_jaccard",
    "fmix64",
    "iter_batches",
    "normalize_for_hashing",
    "shingle_hashes",
    "shingle_sets",
    "signatures",
    "signatures_from_shingles",
    "sorted_unique",
    "to_lean_minhash",
    "token_hashes",
]

#: Version of the signature format; bumped whenever a change alters any signature value or
#: what a spec records (2: specs record the normalization profile's version).
SPEC_VERSION = 2
#: The token hash: UTF-8 bytes, 8-byte little-endian words folded with the splitmix64 finalizer.
HASH_NAME = "bytes8-fmix64"
#: Profiles known to :func:`normalize_for_hashing`.
NORMALIZATIONS = ("dedup-key", "casefold", "none")
#: The signature value of a document without shingles (never equal to a real minimum's slot
#: in practice, and such documents are excluded from LSH).
EMPTY_VALUE = 0xFFFFFFFF

Scheme = Literal["kperm", "oph"]
ShingleKind = Literal["word", "char"]

_M64 = (1 << 64) - 1
_U = np.uint64
_C1 = _U(0xBF58476D1CE4E5B9)
_C2 = _U(0x94D049BB133111EB)
_S30, _S27, _S31, _S32 = _U(30), _U(27), _U(31), _U(32)
_K_LEN = _U(0x9E3779B97F4A7C15)  # golden ratio: mixes a token's byte length into its hash
_K_SHINGLE = _U(0xD6E8FEB86659FD93)  # odd multiplier folding n-gram members in order
_K_CHAR = _U(0xA0761D6478BD642F)  # offset for code points (char shingles)
_LOW32 = _U(0xFFFFFFFF)
#: how many uint64 cells one chunk of the k-permutation matrix may hold (8 MiB)
_CHUNK_CELLS = 1 << 18
#: shingles per group of documents in :func:`signatures_from_shingles`
_KERNEL_SHINGLES = 1 << 16
#: default bytes of text per batch (bounds memory whatever the corpus size)
DEFAULT_BATCH_BYTES = 1 << 17

_WORD_RE = regex.compile(WORD_PATTERN)
_WS_RE = regex.compile(r"\s+")


# -- the 64-bit bijection -------------------------------------------------------------------
def fmix64(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The splitmix64 finalizer, a bijection of 64-bit integers, applied in place and returned.

    >>> int(fmix64(np.array([1], dtype=np.uint64))[0]) == _fmix64_int(1)
    True
    """
    t = z >> _S30
    z ^= t
    z *= _C1
    np.right_shift(z, _S27, out=t)
    z ^= t
    z *= _C2
    np.right_shift(z, _S31, out=t)
    z ^= t
    return z


def _fmix64_int(z: int) -> int:
    """Reference finalizer on Python integers (used by tests and small scalar needs)."""
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & _M64
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def _splitmix_stream(seed: int, n: int) -> list[int]:
    """``n`` 64-bit values of the splitmix64 generator started at ``seed``."""
    out = []
    state = seed & _M64
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & _M64
        out.append(_fmix64_int(state))
    return out


# -- the spec -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SignatureSpec:
    """Everything that determines a signature's values. Signatures (and indexes) made under
    different specs cannot be compared; :meth:`require_compatible` says why.

    >>> SignatureSpec(num_perm=64).num_perm
    64
    >>> SignatureSpec.from_json(SignatureSpec().to_json()) == SignatureSpec()
    True
    """

    scheme: Scheme = "oph"
    num_perm: int = 128
    seed: int = 1
    shingle: ShingleKind = "word"
    ngram: int = 5
    normalization: str = "dedup-key"
    hash: str = HASH_NAME
    tokenizer_version: int = TOKENIZER_VERSION
    #: the version of the ``normalization`` profile's output (``dedup-key``:
    #: :data:`textqa.normalize.DEDUP_KEY_VERSION`; 0 for ``casefold`` and ``none``, which
    #: are plain string methods); None means the current version
    normalization_version: int | None = None
    version: int = SPEC_VERSION

    def __post_init__(self) -> None:
        if self.scheme not in ("kperm", "oph"):
            raise UsageError(f"unknown MinHash scheme {self.scheme!r}; use 'kperm' or 'oph'")
        if not 1 <= self.num_perm <= 1 << 16:
            raise UsageError(f"num_perm must be between 1 and 65536, not {self.num_perm}")
        if self.shingle not in ("word", "char"):
            raise UsageError(f"unknown shingle kind {self.shingle!r}; use 'word' or 'char'")
        if not 1 <= self.ngram <= 64:
            raise UsageError(f"ngram must be between 1 and 64, not {self.ngram}")
        if self.normalization not in NORMALIZATIONS:
            raise UsageError(
                f"unknown normalization profile {self.normalization!r}; "
                f"use one of {', '.join(NORMALIZATIONS)}"
            )
        if not 0 <= self.seed <= _M64:
            raise UsageError(f"seed must be between 0 and 2**64-1, not {self.seed}")
        current = _normalization_version(self.normalization)
        if self.normalization_version is None:
            object.__setattr__(self, "normalization_version", current)
        elif self.normalization_version != current:
            raise UsageError(
                f"signature spec records {self.normalization} normalization version "
                f"{self.normalization_version}, but this textqa normalizes with version "
                f"{current}; recompute the signatures"
            )
        if self.tokenizer_version != TOKENIZER_VERSION:
            raise UsageError(
                f"signature spec records tokenizer version {self.tokenizer_version}, but this "
                f"textqa tokenizes with version {TOKENIZER_VERSION}; recompute the signatures"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        """A canonical JSON form (sorted keys), stored next to signatures and in index files."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureSpec:
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise UsageError(
                f"signature spec has unknown fields {unknown}; written by a newer textqa?"
            )
        version = data.get("version")
        if version != SPEC_VERSION:
            older = (
                " (older specs do not record the normalization version)"
                if isinstance(version, int) and version < 2
                else ""
            )
            raise UsageError(
                f"signature spec version {version} is not supported (this textqa reads version "
                f"{SPEC_VERSION}){older}; recompute the signatures"
            )
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> SignatureSpec:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"signature spec is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise UsageError("signature spec must be a JSON object")
        return cls.from_dict(data)

    def require_compatible(self, other: SignatureSpec) -> None:
        """Raise `UsageError` naming every field where ``other`` differs from this spec.

        >>> SignatureSpec().require_compatible(SignatureSpec(num_perm=64))
        Traceback (most recent call last):
        ...
        textqa.errors.UsageError: incompatible signature specs (num_perm: 128 != 64); \
recompute one side with the other's spec
        """
        diffs = [
            f"{f.name}: {getattr(self, f.name)!r} != {getattr(other, f.name)!r}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        ]
        if diffs:
            raise UsageError(
                f"incompatible signature specs ({'; '.join(diffs)}); "
                "recompute one side with the other's spec"
            )

    # -- derived parameters --------------------------------------------------------------
    def permutations(self) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
        """The ``kperm`` multipliers (odd) and offsets, drawn from splitmix64 seeded by ``seed``
        (read-only arrays, computed once per seed and size)."""
        return _permutations(self.seed, self.num_perm)

    def oph_seed(self) -> int:
        return _oph_seed(self.seed)


@cache
def _oph_seed(seed: int) -> int:
    return _splitmix_stream(seed ^ 0x5EED_0F_0E, 1)[0]


@cache
def _normalization_version(profile: str) -> int:
    if profile == "dedup-key":
        from textqa.normalize import DEDUP_KEY_VERSION  # noqa: PLC0415

        return DEDUP_KEY_VERSION
    return 0


@cache
def _permutations(seed: int, num_perm: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    stream = _splitmix_stream(seed, 2 * num_perm)
    a = np.array([v | 1 for v in stream[0::2]], dtype=np.uint64)
    b = np.array(stream[1::2], dtype=np.uint64)
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


# -- normalization and tokens -----------------------------------------------------------------
def normalize_for_hashing(text: str, profile: str = "dedup-key") -> str:
    """The text that is tokenized and hashed under a normalization ``profile``.

    >>> normalize_for_hashing("  Straße\t\tIS  big, in 2024! ")
    'strasse is big in 0000'
    >>> normalize_for_hashing("  Don't\t\tSTOP ", "casefold")
    "don't stop"
    >>> normalize_for_hashing("A  b", "none")
    'A  b'
    """
    if profile == "dedup-key":
        from textqa.normalize import normalize  # noqa: PLC0415

        return normalize(text, "dedup-key")
    if profile == "casefold":
        if text.isascii():
            return " ".join(text.lower().split())
        return _WS_RE.sub(" ", text.casefold()).strip()
    if profile == "none":
        return text
    raise UsageError(
        f"unknown normalization profile {profile!r}; use one of {', '.join(NORMALIZATIONS)}"
    )


@cache
def _dedup_ascii_table() -> bytes:
    """``dedup-key`` on single ASCII characters, as a ``bytes.translate`` table (characters
    the profile removes become spaces): derived from :func:`textqa.normalize.normalize`."""
    from textqa.normalize import normalize  # noqa: PLC0415

    table = bytearray(range(256))
    for b in range(128):
        out = normalize(f"a{chr(b)}a", "dedup-key")
        if len(out) == 3 and out[0] == out[2] == "a":
            # a kept character that is not a word character separates words like a space
            table[b] = ord(out[1]) if _WORD_RE.fullmatch(out[1]) else 32
        elif out in ("a a", "aa"):
            table[b] = 32
        else:  # pragma: no cover - the profile changed shape: fall back to the slow path
            raise AssertionError(f"dedup-key maps {chr(b)!r} to {out!r}")
    return bytes(table)


#: characters that may compose with the character before them (NFC/NFKC quick check "Maybe":
#: combining marks, Hangul vowel and trailing jamo, a few vowel signs) and lone surrogates
_MAY_COMPOSE_RE = regex.compile(r"[\p{NFC_QC=Maybe}\p{NFKC_QC=Maybe}\p{Cs}]")
_CORE_CHAR_RE = regex.compile(r"[\p{L}\p{M}\p{Nd}_]")
_NON_ASCII_RE = regex.compile(r"[^\x00-\x7f]")


def _fold_alone(ch: str) -> str | None:
    """``dedup-key`` of the non-ASCII character ``ch`` when that does not depend on its
    neighbours, else None; characters of the result that are neither word characters nor
    spaces become spaces (they separate words).

    Context-free means: ``ch`` and the first character of its compatibility decomposition are
    starters that never compose with a preceding character, so NFKC, case folding and the
    per-character folds of the profile act on it alone. Derived from
    :func:`textqa.normalize.normalize` in two contexts, so it cannot drift from the profile.

    >>> _fold_alone("\u2014"), _fold_alone("\u200b"), _fold_alone("\ufb01"), _fold_alone("\u00bd")
    (' ', '', 'fi', '0 0')
    >>> _fold_alone("\u0301") is None  # a combining mark composes with what precedes it
    True
    """
    import unicodedata  # noqa: PLC0415

    from textqa.normalize import normalize  # noqa: PLC0415

    if unicodedata.combining(ch) or _MAY_COMPOSE_RE.match(ch):
        return None
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed and (
        unicodedata.combining(decomposed[0]) or _MAY_COMPOSE_RE.match(decomposed[0])
    ):
        return None
    middles = set()
    for left, right in (("a", "a"), ("\u00e9", "0")):
        folded = normalize(f"{left}{ch}{right}", "dedup-key")
        if len(folded) < 2 or folded[0] != left or folded[-1] != right:
            return None
        middles.add(folded[1:-1])
    if len(middles) != 1:
        return None
    middle = middles.pop()
    return "".join(c if c == " " or _CORE_CHAR_RE.match(c) else " " for c in middle)


class _CharFolds(dict[str, "str | None"]):
    """:func:`_fold_alone` per character, computed on first sight."""

    def __missing__(self, ch: str) -> str | None:
        out = self[ch] = _fold_alone(ch)
        return out


_CHAR_FOLDS = _CharFolds()


def _fold_chars(text: str) -> str | None:
    """``dedup-key`` of ``text`` character by character (ASCII characters left for the byte
    table), or None when one of its non-ASCII characters depends on its neighbours."""
    folds = _CHAR_FOLDS
    replacements = []
    for ch in set(_NON_ASCII_RE.findall(text)):
        out = folds[ch]
        if out is None:
            return None
        if out != ch:
            replacements.append((ch, out))
    for ch, out in replacements:
        text = text.replace(ch, out)
    return text


def _word_bytes(text: str, profile: str) -> bytes:
    """Bytes whose byte-classifier tokens are exactly the regex tokens of the normalized text.

    ASCII text passes through a translation table; so does ``dedup-key`` text whose non-ASCII
    characters fold alone (see :func:`_fold_alone`: the usual case, accents, dashes, quotes,
    invisible characters, CJK ...); other text is normalized, tokenized with the regex and
    re-joined with spaces (its non-ASCII bytes classify as word characters).
    """
    if text.isascii():
        if profile == "dedup-key":
            return text.encode("ascii").translate(_dedup_ascii_table())
        return (text.lower() if profile == "casefold" else text).encode("ascii")
    if profile == "dedup-key":
        folded = _fold_chars(text)
        if folded is not None:
            return folded.encode("utf-8").translate(_dedup_ascii_table())
        text = normalize_for_hashing(text, profile)
        if text.isascii():
            return text.encode("ascii").translate(_dedup_ascii_table())
    elif profile == "casefold":
        text = text.casefold()
    return " ".join(_WORD_RE.findall(text)).encode("utf-8", "surrogatepass")


def _byte_classes() -> tuple[
    NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]
]:
    core = np.zeros(256, dtype=bool)
    for lo, hi in ((ord("a"), ord("z")), (ord("A"), ord("Z")), (ord("0"), ord("9"))):
        core[lo : hi + 1] = True
    core[ord("_")] = True
    core[0x80:] = True  # UTF-8 bytes of non-ASCII tokens (only ever met in re-joined text)
    digit = np.zeros(256, dtype=bool)
    digit[ord("0") : ord("9") + 1] = True
    digit[0x80:] = (
        True  # a '.'/',' inside a re-joined token is followed by a (maybe non-ASCII) digit
    )
    join_any = np.zeros(256, dtype=bool)
    join_any[[ord("'"), ord("-")]] = True
    join_digit = np.zeros(256, dtype=bool)
    join_digit[[ord("."), ord(",")]] = True
    return core, digit, join_any, join_digit


_CORE, _DIGIT, _JOIN_ANY, _JOIN_DIGIT = _byte_classes()
_BYTE_MASKS = np.array([(1 << (8 * m)) - 1 for m in range(8)] + [_M64], dtype=np.uint64)


#: zero bytes after a batch's text, so that an 8-byte read at any token byte stays inside
_PAD = bytes(8)


def _token_bounds(
    buf: NDArray[np.uint8], *, spaced: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Start and end offsets of the tokens in a byte buffer (textqa's word notion on bytes).

    ``spaced``: the buffer holds only token bytes, spaces, newlines and NULs (``dedup-key``
    output, where punctuation is already gone), so a token is a run of bytes above the space.
    """
    n = len(buf)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    intok = buf > 32 if spaced else _CORE[buf]
    if n >= 3 and not spaced:
        core = intok.copy()
        prev_core = core[:-2]
        nxt = buf[2:]
        mid = buf[1:-1]
        joiner = prev_core & ((_JOIN_ANY[mid] & core[2:]) | (_JOIN_DIGIT[mid] & _DIGIT[nxt]))
        intok[1:-1] |= joiner
    edge = np.empty(n + 1, dtype=bool)
    edge[0] = intok[0]
    edge[n] = intok[n - 1]
    np.not_equal(intok[1:], intok[:-1], out=edge[1:n])
    pos = np.flatnonzero(edge)
    return pos[0::2], pos[1::2]


def _hash_spans(
    buf: NDArray[np.uint8], starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> NDArray[np.uint64]:
    """64-bit hashes of ``buf[starts[i]:ends[i]]`` (see :func:`_hash_bytes_int`); ``buf`` must
    extend at least 7 bytes past the last token (see :data:`_PAD`)."""
    count = len(starts)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    # an unaligned little-endian uint64 view: words8[i] = bytes i..i+7
    words8: NDArray[np.uint64] = np.ndarray(
        shape=(len(buf) - 7,), dtype="<u8", buffer=buf, offset=0, strides=(1,)
    )
    lengths = ends - starts
    h = words8[starts]
    # keep the token's own bytes: the low min(length, 8) bytes of the little-endian word
    h &= np.take(_BYTE_MASKS, lengths, mode="clip")
    h ^= lengths.view(np.uint64) * _K_LEN  # lengths are positive: the view is exact
    fmix64(h)
    long = np.flatnonzero(lengths > 8)
    off = 8
    while len(long):
        rest = lengths[long] - off
        w = words8[starts[long] + off]
        w &= np.take(_BYTE_MASKS, rest, mode="clip")
        w ^= h[long]
        h[long] = fmix64(w)
        long = long[rest > 8]
        off += 8
    return h


def _hash_bytes_int(data: bytes) -> int:
    """Reference token hash on Python integers: what :func:`_hash_spans` computes in numpy."""
    h = (len(data) * 0x9E3779B97F4A7C15) & _M64
    h ^= int.from_bytes(data[:8], "little")
    h = _fmix64_int(h)
    for off in range(8, len(data), 8):
        h = _fmix64_int(h ^ int.from_bytes(data[off : off + 8], "little"))
    return h


def _fold(units: NDArray[np.uint64], ngram: int) -> NDArray[np.uint64]:
    """Hash of every window of ``ngram`` consecutive unit hashes: the polynomial
    ``sum(u[j] * K**(n-1-j)) mod 2**64`` of the (already mixed) unit hashes, then one
    splitmix64 finalizer. Order-sensitive; two multiply-adds per member."""
    m = len(units) - ngram + 1
    s = units[:m].copy()
    for j in range(1, ngram):
        s *= _K_SHINGLE
        s += units[j : j + m]
    return fmix64(s)


# -- batches ------------------------------------------------------------------------------
def iter_batches(texts: Iterable[str], max_bytes: int = DEFAULT_BATCH_BYTES) -> Iterator[list[str]]:
    """Group ``texts`` into lists of about ``max_bytes`` characters (at least one text each),
    so that batch work stays bounded whatever the corpus size.

    >>> [len(b) for b in iter_batches(["ab", "cd", "ef"], max_bytes=4)]
    [2, 1]
    """
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and size + len(text) > max_bytes:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


def token_hashes(
    texts: Sequence[str], normalization: str = "dedup-key"
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """Hashes of the normalized word tokens of each text, as a CSR pair ``(hashes, offsets)``:
    text ``i`` owns ``hashes[offsets[i]:offsets[i+1]]``.

    >>> h, off = token_hashes(["Hello, World", "hello world again"])
    >>> off.tolist(), bool(h[0] == h[2]), bool(h[1] == h[3])
    ([0, 2, 5], True, True)
    """
    parts = [_word_bytes(t, normalization) for t in texts]
    sizes = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
    parts.append(_PAD)  # "text\ntext\n...text\n" followed by 8 NULs (never token bytes)
    buf = np.frombuffer(b"\n".join(parts), dtype=np.uint8)
    starts, ends = _token_bounds(buf, spaced=normalization == "dedup-key")
    doc_ends = np.cumsum(sizes)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    offsets[1:] = np.searchsorted(starts, doc_ends)
    return _hash_spans(buf, starts, ends), offsets


def _char_units(
    texts: Sequence[str], normalization: str
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    norm = [normalize_for_hashing(t, normalization) for t in texts]
    data = "".join(norm).encode("utf-32-le", "surrogatepass")
    cps = np.frombuffer(data, dtype="<u4").astype(np.uint64)
    cps += _K_CHAR
    fmix64(cps)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in norm], out=offsets[1:])
    return cps, offsets


def shingle_hashes(
    texts: Sequence[str], spec: SignatureSpec
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """The shingle hashes of each text (CSR ``(hashes, offsets)``; per text in text order,
    repeats kept). See :func:`shingle_sets` for sorted, de-duplicated sets.

    >>> h, off = shingle_hashes(["a b c d e f", "x y", ""], SignatureSpec())
    >>> off.tolist()
    [0, 2, 3, 3]
    """
    if spec.shingle == "word":
        units, uoff = token_hashes(texts, spec.normalization)
    else:
        units, uoff = _char_units(texts, spec.normalization)
    n = spec.ngram
    counts = np.diff(uoff)
    out_counts = np.where(counts >= n, counts - n + 1, np.minimum(counts, 1))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(out_counts, out=offsets[1:])
    if len(units) >= n:
        windows = _fold(units, n)
        # window w starts at unit w; it is a shingle when it ends inside its text
        owner_end = np.repeat(uoff[1:], counts)[: len(windows)]
        keep = np.arange(len(windows)) + n <= owner_end
        full = windows[keep]
    else:
        full = np.zeros(0, dtype=np.uint64)
    short = np.flatnonzero((counts > 0) & (counts < n))
    if len(short) == 0:
        return full, offsets
    out = np.empty(int(offsets[-1]), dtype=np.uint64)
    is_short = np.zeros(len(texts), dtype=bool)
    is_short[short] = True
    long_rows = np.repeat(~is_short, out_counts)
    out[long_rows] = full
    for i in short.tolist():
        u = units[uoff[i] : uoff[i + 1]]
        out[offsets[i]] = _fold(u, len(u))[0]
    return out, offsets


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """Sorted, de-duplicated shingle hashes per document (CSR): document ``i`` owns
    ``values[offsets[i]:offsets[i+1]]``. What exact verification reads."""

    values: NDArray[np.uint64]
    offsets: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> NDArray[np.uint64]:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def sizes(self) -> NDArray[np.int64]:
        return np.diff(self.offsets)

    @classmethod
    def concat(cls, parts: Sequence[ShingleSets]) -> ShingleSets:
        if not parts:
            return cls(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64))
        values = np.concatenate([p.values for p in parts])
        sizes = np.concatenate([p.sizes() for p in parts])
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(values, offsets)

    def take(self, rows: Sequence[int] | NDArray[np.int64]) -> ShingleSets:
        """The sets of documents ``rows``, in that order."""
        return ShingleSets.from_lists([self[int(i)] for i in rows])

    @classmethod
    def from_lists(cls, sets: Sequence[NDArray[np.uint64]]) -> ShingleSets:
        offsets = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in sets], out=offsets[1:])
        values = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
        return cls(values.astype(np.uint64, copy=False), offsets)


def sorted_unique(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``values`` sorted without repeats (for small arrays much faster than ``np.unique``).

    >>> sorted_unique(np.array([3, 1, 3, 2], dtype=np.uint64)).tolist()
    [1, 2, 3]
    """
    s = np.sort(values)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    result: NDArray[np.uint64] = s[keep]
    return result


def shingle_sets(texts: Sequence[str], spec: SignatureSpec) -> ShingleSets:
    """Sorted, de-duplicated shingle hashes of each text: the input of exact verification."""
    h, off = shingle_hashes(texts, spec)
    bounds = off.tolist()
    return ShingleSets.from_lists(
        [sorted_unique(h[bounds[i] : bounds[i + 1]]) for i in range(len(texts))]
    )


# -- sketches -----------------------------------------------------------------------------
def signatures_from_shingles(
    hashes: NDArray[np.uint64], offsets: NDArray[np.int64], spec: SignatureSpec
) -> NDArray[np.uint32]:
    """Signatures ``(documents, num_perm)`` from CSR shingle hashes (repeats allowed).

    The work runs over groups of whole documents of about :data:`_KERNEL_SHINGLES` shingles,
    so that its temporaries stay in the processor's cache whatever the input size.
    """
    kernel = _kperm if spec.scheme == "kperm" else _oph
    ndocs = len(offsets) - 1
    if len(hashes) <= _KERNEL_SHINGLES or ndocs <= 1:
        return kernel(hashes, offsets, spec)
    out = np.empty((ndocs, spec.num_perm), dtype=np.uint32)
    lo = 0
    while lo < ndocs:
        # documents lo .. hi-1 hold at most the budget (a larger document goes alone)
        budget = int(offsets[lo]) + _KERNEL_SHINGLES
        hi = min(ndocs, max(lo + 1, int(np.searchsorted(offsets, budget, side="right")) - 1))
        sub = offsets[lo : hi + 1]
        out[lo:hi] = kernel(hashes[sub[0] : sub[-1]], sub - sub[0], spec)
        lo = hi
    return out


def _kperm(
    hashes: NDArray[np.uint64], offsets: NDArray[np.int64], spec: SignatureSpec
) -> NDArray[np.uint32]:
    ndocs = len(offsets) - 1
    k = spec.num_perm
    a, b = spec.permutations()
    result = np.full((ndocs, k), np.iinfo(np.uint64).max, dtype=np.uint64)
    total = len(hashes)
    if total:
        rows_per_chunk = max(1, _CHUNK_CELLS // k)
        doc_of = np.repeat(np.arange(ndocs, dtype=np.int64), np.diff(offsets))
        # (num_perm, shingles) layout: the inner loops run over contiguous shingles, which
        # makes the multiply-add and the segment minimum several times faster than (shingles, k)
        mat = np.empty((k, min(rows_per_chunk, total)), dtype=np.uint64)
        a_col, b_col = a[:, None], b[:, None]
        for lo in range(0, total, rows_per_chunk):
            hi = min(total, lo + rows_per_chunk)
            m = mat[:, : hi - lo]
            np.multiply(a_col, hashes[None, lo:hi], out=m)
            m += b_col
            docs = doc_of[lo:hi]
            seg = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
            mins = np.minimum.reduceat(m, seg, axis=1).T
            rows = docs[seg]
            result[rows] = np.minimum(result[rows], mins)
    return (result >> _S32).astype(np.uint32)


def _oph(
    hashes: NDArray[np.uint64], offsets: NDArray[np.int64], spec: SignatureSpec
) -> NDArray[np.uint32]:
    ndocs = len(offsets) - 1
    k = spec.num_perm
    h = hashes ^ _U(_oph_seed(spec.seed))
    fmix64(h)
    values = h.astype(np.uint32)  # the low 32 bits
    if k > 1 and k & (k - 1) == 0:  # ((h >> 32) * k) >> 32 is a shift when k = 2**p
        h >>= _U(65 - k.bit_length())
    else:
        h >>= _S32
        h *= _U(k)
        h >>= _S32
    cell = h.view(np.int64)  # bins < k: the view is exact
    cell += np.repeat(np.arange(0, ndocs * k, k, dtype=np.int64), np.diff(offsets))
    flat = np.full(ndocs * k, EMPTY_VALUE, dtype=np.uint32)
    np.minimum.at(flat, cell, values)
    filled = np.zeros(ndocs * k, dtype=bool)
    filled[cell] = True
    del cell, h, values
    _densify(flat, filled, ndocs, k, spec.seed)
    return flat.reshape(ndocs, k)


#: densification probes tried per vectorized round
_PROBES_PER_ROUND = 16


@cache
def _probe_constants(seed: int, first: int, count: int) -> NDArray[np.uint64]:
    return np.array(
        [_fmix64_int((seed * 0x100000001B3 + a) & _M64) for a in range(first, first + count)],
        dtype=np.uint64,
    )


def _probe_bins(
    bins: NDArray[np.int64], first: int, count: int, k: int, seed: int
) -> NDArray[np.int64]:
    """Optimal densification's probes: the bins that empty bins ``bins`` borrow from at
    attempts ``first .. first+count-1`` (shape ``(len(bins), count)``); the same sequence for
    every document, so equal sets borrow alike."""
    z = (bins.astype(np.uint64) * _U(0x9E3779B97F4A7C15))[:, None] ^ _probe_constants(
        seed, first, count
    )[None, :]
    fmix64(z)
    return (((z >> _S32) * _U(k)) >> _S32).astype(np.int64)


def _densify(
    flat: NDArray[np.uint32], filled: NDArray[np.bool_], ndocs: int, k: int, seed: int
) -> None:
    """Fill every empty bin of a non-empty document from the first filled bin along its probe
    sequence (attempts 1, 2, ...), several attempts per vectorized round."""
    grid = filled.reshape(ndocs, k)
    nonempty: NDArray[np.bool_] = np.any(grid, axis=1)
    todo = np.flatnonzero(~filled)
    todo = todo[nonempty[todo // k]]
    doc = todo // k
    binno = todo % k
    attempt = 1
    step = _PROBES_PER_ROUND
    while len(todo) and attempt <= 64 * k:
        src = doc[:, None] * k + _probe_bins(binno, attempt, step, k, seed)
        hits = filled[src]
        found = hits.any(axis=1)
        first = hits.argmax(axis=1)
        chosen = src[np.arange(len(src)), first]
        flat[todo[found]] = flat[chosen[found]]
        todo, doc, binno = todo[~found], doc[~found], binno[~found]
        attempt += step
    for cell in todo.tolist():  # astronomically unlikely: fall back to the next filled bin
        d, j = divmod(cell, k)
        row = np.flatnonzero(grid[d])
        flat[cell] = flat[d * k + int(row[np.searchsorted(row, j) % len(row)])]


def signatures(
    texts: Iterable[str],
    spec: SignatureSpec | None = None,
    *,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> NDArray[np.uint32]:
    """MinHash signatures of ``texts``: a ``uint32`` array ``(len(texts), spec.num_perm)``.

    Texts are processed in batches of about ``batch_bytes`` characters, so memory stays bounded
    by the batch plus the signatures (written in place when ``texts`` has a length).
    """
    spec = spec or SignatureSpec()
    if isinstance(texts, Sequence):
        out = np.empty((len(texts), spec.num_perm), dtype=np.uint32)
        row = 0
        for batch in iter_batches(texts, batch_bytes):
            h, off = shingle_hashes(batch, spec)
            out[row : row + len(batch)] = signatures_from_shingles(h, off, spec)
            row += len(batch)
        return out
    parts = []
    for batch in iter_batches(texts, batch_bytes):
        h, off = shingle_hashes(batch, spec)
        parts.append(signatures_from_shingles(h, off, spec))
    if not parts:
        return np.zeros((0, spec.num_perm), dtype=np.uint32)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def estimate_jaccard(a: NDArray[np.uint32], b: NDArray[np.uint32]) -> float:
    """The fraction of equal slots: an unbiased estimate of the Jaccard similarity of the sets.

    >>> spec = SignatureSpec()
    >>> s = signatures(["one two three four five six", "one two three four five seven"], spec)
    >>> 0.0 < estimate_jaccard(s[0], s[1]) < 1.0
    True
    """
    if a.shape != b.shape:
        raise UsageError(f"signatures of different lengths ({a.shape[-1]} and {b.shape[-1]})")
    return int(np.count_nonzero(a == b)) / max(1, int(a.shape[-1]))


@dataclass(frozen=True, slots=True)
class SignatureSet:
    """Signatures with the spec that made them. ``merge`` refuses a different spec.

    >>> s = SignatureSet.of(["a b c d e"], SignatureSpec(num_perm=16))
    >>> len(s.merge(s))
    2
    >>> s.merge(SignatureSet.of(["a"], SignatureSpec(num_perm=32)))
    Traceback (most recent call last):
    ...
    textqa.errors.UsageError: incompatible signature specs (num_perm: 16 != 32); \
recompute one side with the other's spec
    """

    spec: SignatureSpec
    values: NDArray[np.uint32]

    @classmethod
    def of(cls, texts: Iterable[str], spec: SignatureSpec | None = None) -> SignatureSet:
        spec = spec or SignatureSpec()
        return cls(spec, signatures(texts, spec))

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def merge(self, other: SignatureSet) -> SignatureSet:
        self.spec.require_compatible(other.spec)
        return SignatureSet(self.spec, np.concatenate([self.values, other.values]))

    def jaccard(self, i: int, j: int, other: SignatureSet | None = None) -> float:
        """Estimated Jaccard of row ``i`` with row ``j`` of ``other`` (default: this set)."""
        other = other or self
        self.spec.require_compatible(other.spec)
        return estimate_jaccard(self.values[i], other.values[j])


def to_lean_minhash(sigs: SignatureSet) -> list[Any]:
    """Export ``kperm`` signatures as ``datasketch.LeanMinHash`` objects (datasketch is
    imported only here). Use them with ``datasketch.MinHashLSH(num_perm=spec.num_perm)``;
    compare only with signatures exported the same way, never with datasketch's own hashing.
    """
    if sigs.spec.scheme != "kperm":
        raise UsageError("only 'kperm' signatures can be exported to datasketch (got 'oph')")
    try:
        from datasketch import LeanMinHash  # noqa: PLC0415 -- optional heavy import
    except ImportError:
        raise UsageError("datasketch is not installed: pip install datasketch") from None
    import inspect  # noqa: PLC0415

    seed = sigs.spec.seed & 0xFFFFFFFF
    if "scheme" in inspect.signature(LeanMinHash.__init__).parameters:
        # datasketch >= 2.0 labels hash values with a scheme; ours are 32-bit values of an
        # affine permutation family, stored as uint32 like its "affine32"
        return [LeanMinHash(seed=seed, hashvalues=row, scheme="affine32") for row in sigs.values]
    return [LeanMinHash(seed=seed, hashvalues=row.astype(np.uint64)) for row in sigs.values]

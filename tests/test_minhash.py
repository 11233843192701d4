"""MinHash signatures: the fast numpy path against slow, obviously-correct references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textqa.errors import UsageError
from textqa.minhash import (
    EMPTY_VALUE,
    ShingleSets,
    SignatureSet,
    SignatureSpec,
    estimate_jaccard,
    iter_batches,
    normalize_for_hashing,
    shingle_hashes,
    shingle_sets,
    signatures,
    signatures_from_shingles,
    to_lean_minhash,
    token_hashes,
)
from textqa.normalize import normalize
from textqa.tokenize import tokenize

from .strategies import texts as any_texts

M64 = (1 << 64) - 1


def alpha(i: int) -> str:
    """A word made of letters only, distinct for every ``i`` (digits fold to 0 in dedup-key)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out


# -- the reference: plain Python integers, one shingle at a time ---------------------------
def ref_fmix(z: int) -> int:
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) % (1 << 64)
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) % (1 << 64)
    return z ^ (z >> 31)


def ref_token_hash(token: str) -> int:
    data = token.encode("utf-8")
    h = (len(data) * 0x9E3779B97F4A7C15) % (1 << 64)
    chunks = [data[i : i + 8] for i in range(0, len(data), 8)] or [b""]
    h = ref_fmix(h ^ int.from_bytes(chunks[0], "little"))
    for chunk in chunks[1:]:
        h = ref_fmix(h ^ int.from_bytes(chunk, "little"))
    return h


def ref_fold(units: list[int]) -> int:
    s = 0
    for i, u in enumerate(reversed(units)):
        s += u * pow(0xD6E8FEB86659FD93, i, 1 << 64)
    return ref_fmix(s % (1 << 64))


def ref_tokens(text: str, profile: str = "dedup-key") -> list[str]:
    """The words of the normalized text as `textqa.tokenize` sees them (the oracle of the
    vectorized byte-classifier path)."""
    if profile == "dedup-key":
        text = normalize(text, "dedup-key")
    elif profile == "casefold":
        text = text.casefold()
    return [t.text for t in tokenize(text)]


def ref_shingles(text: str, n: int, profile: str = "dedup-key") -> set[int]:
    units = [ref_token_hash(t) for t in ref_tokens(text, profile)]
    if not units:
        return set()
    if len(units) < n:
        return {ref_fold(units)}
    return {ref_fold(units[i : i + n]) for i in range(len(units) - n + 1)}


def ref_splitmix(seed: int, n: int) -> list[int]:
    out, state = [], seed
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) % (1 << 64)
        out.append(ref_fmix(state))
    return out


def ref_kperm(text: str, spec: SignatureSpec) -> list[int]:
    stream = ref_splitmix(spec.seed, 2 * spec.num_perm)
    a, b = [v | 1 for v in stream[0::2]], stream[1::2]
    shingles = ref_shingles(text, spec.ngram)
    if not shingles:
        return [EMPTY_VALUE] * spec.num_perm
    return [
        min(((ai * x + bi) % (1 << 64)) >> 32 for x in shingles)
        for ai, bi in zip(a, b, strict=True)
    ]


def ref_jaccard(x: set[int], y: set[int]) -> float:
    return len(x & y) / len(x | y) if x | y else 0.0


# -- strategies ----------------------------------------------------------------------------
_vocab = st.sampled_from(
    [
        "the",
        "cat",
        "Sat",
        "on",
        "mat",
        "don't",
        "3.14",
        "well-known",
        "Straße",
        "ÉTÉ",
        "x_y",
        "a",
        "b",
        "1,000",
        "naïve",
        "日本",
        "abcdefghijklmnopq",
        "ISIS’s",
    ]
)
_seps = st.sampled_from([" ", "  ", "\n", ", ", ". ", "\t", "-", "'", "--", " . "])
word_texts = st.lists(st.tuples(_vocab, _seps), max_size=40).map(
    lambda ps: "".join(w + s for w, s in ps)
)
#: prose punctuation, spaces and invisible characters, and characters that test the
#: character-by-character fold: combining marks, composing jamo and vowel signs, compatibility
#: forms, case folds that expand, non-decimal numbers, private use, surrogates
_PROSE_CHARS = (
    "\u00a0\u00ab\u00bb\u00b7\u00a7\u00b6\u00a9\u00ae\u00b0\u00ad\u2002\u2003\u2009"
    "\u200b\u200c\u200d\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u202f"
    "\u2060\u2212\u3000\ufeff"
    "é\u0301ß=\u0338ﬁ\u1100\u1161\u11a8\uac00\u0b47\u0b3e\u0f73\u0344\u0958\u0345"
    "İΣς½²™\u2126Å\u212b\u0bf0\u16ee\ue000\ud800\u00b5\u0660日本ǖ\u1e9e\uff21"
)
prose_texts = st.text(st.sampled_from([*"aBz09_ '-.,\n", *_PROSE_CHARS]), max_size=60)
ascii_texts = st.text(st.sampled_from(list("abcXYZ019_ '-.,\n\t;!?")), max_size=80)


# -- tokens -------------------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["dedup-key", "casefold", "none"])
@given(st.one_of(ascii_texts, prose_texts, word_texts, any_texts))
def test_fast_tokens_are_the_regex_tokens(profile: str, text: str) -> None:
    hashes, offsets = token_hashes([text, text[::-1]], profile)
    for i, t in enumerate([text, text[::-1]]):
        expected = [ref_token_hash(w) for w in ref_tokens(t, profile)]
        assert hashes[offsets[i] : offsets[i + 1]].tolist() == expected


def test_token_hash_reads_bytes_of_any_length() -> None:
    words = ["a", "abcdefgh", "abcdefghi", "x" * 17, "é" * 9, "日本語"]
    hashes, _ = token_hashes([" ".join(words)], "casefold")
    assert hashes.tolist() == [ref_token_hash(w) for w in words]
    assert len(set(hashes.tolist())) == len(words)


def test_normalization_profiles() -> None:
    assert normalize_for_hashing("A\u00a0 B\n\nC", "casefold") == "a b c"
    assert normalize_for_hashing("“Don’t” — 42", "dedup-key") == "don t 00"
    # the dedup-key profile makes typography and numbering irrelevant
    a, b = signatures(["He said “don’t” in 1999 — twice.", "he said \"don't\" in 2000 - twice"])
    assert (a == b).all()
    assert normalize_for_hashing("ß", "casefold") == "ss"
    with pytest.raises(UsageError, match="normalization profile"):
        normalize_for_hashing("x", "nope")
    with pytest.raises(UsageError, match="normalization profile"):
        SignatureSpec(normalization="nope")


# -- shingles -----------------------------------------------------------------------------
@given(st.lists(word_texts, max_size=6), st.integers(1, 6))
def test_shingle_sets_match_reference(texts: list[str], n: int) -> None:
    sets = shingle_sets(texts, SignatureSpec(ngram=n))
    assert len(sets) == len(texts)
    for i, t in enumerate(texts):
        assert sets[i].tolist() == sorted(ref_shingles(t, n))


def test_short_and_empty_documents() -> None:
    _, off = shingle_hashes(["", "one two", "  ,  ", "a b c d e f"], SignatureSpec())
    assert np.diff(off).tolist() == [0, 1, 0, 2]
    sigs = signatures(["", "one two"])
    assert (sigs[0] == EMPTY_VALUE).all()
    assert not (sigs[1] == EMPTY_VALUE).all()


def test_char_shingles() -> None:
    spec = SignatureSpec(shingle="char", ngram=3)
    sets = shingle_sets(["日本語のテキスト", "日本語のテキストだ", "ab", ""], spec)
    assert sets.sizes().tolist() == [6, 7, 1, 0]
    assert set(sets[0].tolist()) <= set(sets[1].tolist())
    # whitespace runs collapse before char shingling
    a, b = shingle_sets(["a  b\n c", "A b c"], spec)[0], shingle_sets(["A b c"], spec)[0]
    assert a.tolist() == b.tolist()


# -- signatures ---------------------------------------------------------------------------
@given(st.lists(word_texts, min_size=1, max_size=5), st.integers(1, 5), st.integers(0, M64))
def test_kperm_agrees_exactly_with_the_reference(texts: list[str], n: int, seed: int) -> None:
    spec = SignatureSpec(scheme="kperm", num_perm=16, ngram=n, seed=seed)
    fast = signatures(texts, spec)
    for i, t in enumerate(texts):
        assert fast[i].tolist() == ref_kperm(t, spec)


def ref_oph_bins(text: str, spec: SignatureSpec) -> dict[int, int]:
    """One-permutation hashing before densification: bin -> minimum value of the filled bins."""
    seed = ref_splitmix(spec.seed ^ 0x5EED0F0E, 1)[0]
    out: dict[int, int] = {}
    for x in ref_shingles(text, spec.ngram):
        h = ref_fmix(x ^ seed)
        b, v = ((h >> 32) * spec.num_perm) >> 32, h & 0xFFFFFFFF
        out[b] = min(out.get(b, v), v)
    return out


@given(
    st.lists(word_texts, min_size=1, max_size=4),
    st.sampled_from([1, 3, 64, 100, 128, 256]),
    st.integers(1, 5),
    st.integers(0, M64),
)
def test_oph_agrees_with_the_reference(texts: list[str], k: int, n: int, seed: int) -> None:
    spec = SignatureSpec(scheme="oph", num_perm=k, ngram=n, seed=seed)
    sigs = signatures(texts, spec)
    for text, sig in zip(texts, sigs.tolist(), strict=True):
        ref = ref_oph_bins(text, spec)
        if not ref:
            assert sig == [EMPTY_VALUE] * k
            continue
        assert all(sig[b] == v for b, v in ref.items())
        # an empty bin borrows the value of a filled one
        assert set(sig) <= set(ref.values())


def test_kperm_chunking_matches_reference_on_long_text() -> None:
    text = " ".join("w" + alpha(i % 997) for i in range(20000))
    spec = SignatureSpec(scheme="kperm", num_perm=8)
    assert signatures([text, "short text"], spec)[0].tolist() == ref_kperm(text, spec)


def test_batches_do_not_change_signatures() -> None:
    texts = [f"doc {i} " + "alpha beta gamma delta " * (i % 5) for i in range(50)]
    for scheme in ("kperm", "oph"):
        spec = SignatureSpec(scheme=scheme, num_perm=32)  # type: ignore[arg-type]
        whole = signatures(texts, spec)
        pieces = signatures(texts, spec, batch_bytes=40)
        assert (whole == pieces).all()
        one_by_one = np.concatenate([signatures([t], spec) for t in texts])
        assert (whole == one_by_one).all()
        streamed = signatures(iter(texts), spec, batch_bytes=40)  # no length: concatenated
        assert (whole == streamed).all()
    assert signatures([], SignatureSpec(num_perm=8)).shape == (0, 8)
    assert signatures(iter([]), SignatureSpec(num_perm=8)).shape == (0, 8)


@pytest.mark.parametrize("scheme", ["kperm", "oph"])
def test_kernel_groups_do_not_change_signatures(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textqa.minhash

    texts = ["", *(" ".join(alpha(j) for j in range(i, i + 3 * i)) for i in range(40)), ""]
    spec = SignatureSpec(scheme=scheme, num_perm=16)  # type: ignore[arg-type]
    h, off = shingle_hashes(texts, spec)
    whole = signatures_from_shingles(h, off, spec)
    # groups of 10 shingles: several documents per group, and documents larger than a group
    monkeypatch.setattr(textqa.minhash, "_KERNEL_SHINGLES", 10)
    grouped = signatures_from_shingles(h, off, spec)
    assert (whole == grouped).all()
    assert (whole[0] == EMPTY_VALUE).all()


def _sets_with_jaccard(data: st.DataObject) -> tuple[str, str, float]:
    shared = data.draw(st.integers(0, 150))
    only_a = data.draw(st.integers(0, 150))
    only_b = data.draw(st.integers(0 if shared + only_a else 1, 150))
    a = ["s" + alpha(i) for i in range(shared)] + ["a" + alpha(i) for i in range(only_a)]
    b = ["s" + alpha(i) for i in range(shared)] + ["b" + alpha(i) for i in range(only_b)]
    jac = shared / (shared + only_a + only_b)
    return " ".join(a), " ".join(b), jac


@pytest.mark.parametrize("scheme", ["kperm", "oph"])
@given(data=st.data())
def test_estimate_within_binomial_bound(scheme: str, data: st.DataObject) -> None:
    text_a, text_b, jac = _sets_with_jaccard(data)
    k = 256
    spec = SignatureSpec(scheme=scheme, num_perm=k, ngram=1, seed=data.draw(st.integers(0, 99)))  # type: ignore[arg-type]
    sigs = signatures([text_a, text_b], spec)
    est = estimate_jaccard(sigs[0], sigs[1])
    # 6 standard deviations of a binomial(k, J) proportion, plus 32-bit collision slack
    bound = 6 * math.sqrt(jac * (1 - jac) / k) + 2 / k
    assert abs(est - jac) <= bound, (est, jac)


@pytest.mark.parametrize("scheme", ["kperm", "oph"])
def test_estimates_are_unbiased_on_average(scheme: str) -> None:
    a = " ".join(alpha(i) for i in range(300))
    b = " ".join(alpha(i) for i in range(100, 400))  # J = 200 / 400 = 0.5
    errs = []
    for seed in range(40):
        spec = SignatureSpec(scheme=scheme, num_perm=64, ngram=1, seed=seed)  # type: ignore[arg-type]
        s = signatures([a, b], spec)
        errs.append(estimate_jaccard(s[0], s[1]) - 0.5)
    assert abs(sum(errs) / len(errs)) < 0.03
    # spread close to the binomial standard deviation sqrt(.25 / 64) = 0.0625
    sd = math.sqrt(sum(e * e for e in errs) / len(errs))
    assert 0.03 < sd < 0.1


@pytest.mark.parametrize("scheme", ["kperm", "oph"])
@given(text=word_texts)
def test_identical_texts_have_identical_signatures(scheme: str, text: str) -> None:
    spec = SignatureSpec(scheme=scheme, num_perm=32)  # type: ignore[arg-type]
    s = signatures([text, "padding text in between", text.upper()], spec)
    assert (s[0] == s[2]).all()


def test_oph_densification_fills_every_bin() -> None:
    spec = SignatureSpec(scheme="oph", num_perm=128)
    s = signatures(["one two three four five", "a b c d e f g", ""], spec)
    assert not (s[:2] == EMPTY_VALUE).any()
    assert (s[2] == EMPTY_VALUE).all()
    # a single shingle: every bin borrows the one value
    assert len(set(s[0].tolist())) == 1


# -- the spec -----------------------------------------------------------------------------
def test_spec_round_trip_and_versions() -> None:
    spec = SignatureSpec(scheme="oph", num_perm=64, seed=7, shingle="char", ngram=4)
    assert SignatureSpec.from_json(spec.to_json()) == spec
    data = spec.to_dict()
    data["version"] = 99
    with pytest.raises(UsageError, match="version 99"):
        SignatureSpec.from_dict(data)
    with pytest.raises(UsageError, match="unknown fields"):
        SignatureSpec.from_dict({**spec.to_dict(), "extra": 1})
    with pytest.raises(UsageError, match="not valid JSON"):
        SignatureSpec.from_json("{")


def test_spec_records_the_normalization_version() -> None:
    from textqa.normalize import DEDUP_KEY_VERSION

    spec = SignatureSpec()
    assert spec.normalization_version == DEDUP_KEY_VERSION
    assert spec.to_dict()["normalization_version"] == DEDUP_KEY_VERSION
    assert SignatureSpec(normalization="none").normalization_version == 0
    assert SignatureSpec(normalization_version=DEDUP_KEY_VERSION) == spec
    # signatures made under another dedup-key version (or tokenizer) are refused
    with pytest.raises(UsageError, match=r"dedup-key normalization version 0, but .* recompute"):
        SignatureSpec.from_dict({**spec.to_dict(), "normalization_version": 0})
    with pytest.raises(UsageError, match="tokenizer version 0, but"):
        SignatureSpec.from_dict({**spec.to_dict(), "tokenizer_version": 0})
    with pytest.raises(UsageError, match="normalization_version: 1 != 0"):
        spec.require_compatible(SignatureSpec(normalization="casefold"))
    # a spec stored before the normalization version was recorded
    old = spec.to_dict()
    del old["normalization_version"]
    old["version"] = 1
    with pytest.raises(UsageError, match=r"version 1 is not supported .*normalization version"):
        SignatureSpec.from_dict(old)


@pytest.mark.parametrize(
    "bad",
    [{"scheme": "x"}, {"num_perm": 0}, {"shingle": "line"}, {"ngram": 0}, {"seed": -1}],
)
def test_spec_rejects_bad_values(bad: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        SignatureSpec(**bad)  # type: ignore[arg-type]


def test_incompatible_merge_names_every_difference() -> None:
    a = SignatureSet.of(["x y z"], SignatureSpec(num_perm=16))
    b = SignatureSet.of(["x y z"], SignatureSpec(num_perm=16, seed=2, ngram=3))
    with pytest.raises(UsageError, match=r"seed: 1 != 2.*ngram: 5 != 3|ngram: 5 != 3.*seed"):
        a.merge(b)
    with pytest.raises(UsageError):
        a.jaccard(0, 0, b)
    assert a.jaccard(0, 0) == 1.0


def test_shingle_sets_helpers() -> None:
    sets = shingle_sets(["a b c d e f", "", "q r s t u"], SignatureSpec())
    both = ShingleSets.concat([sets, sets.take([2])])
    assert len(both) == 4
    assert both[3].tolist() == sets[2].tolist()
    assert len(ShingleSets.concat([])) == 0


def test_iter_batches_keeps_everything_in_order() -> None:
    texts = ["a" * n for n in (5, 1, 9, 0, 3)]
    batches = list(iter_batches(texts, max_bytes=6))
    assert [t for b in batches for t in b] == texts
    assert all(b for b in batches)


def test_lean_minhash_export() -> None:
    datasketch = pytest.importorskip("datasketch")
    spec = SignatureSpec(scheme="kperm", num_perm=64)
    texts = [
        "the quick brown fox jumps over the lazy dog today",
        "the quick brown fox jumps over the lazy dog tonight",
        "completely different words appear in this last sentence here",
    ]
    sigs = SignatureSet.of(texts, spec)
    lean = to_lean_minhash(sigs)
    assert lean[0].jaccard(lean[1]) == sigs.jaccard(0, 1)
    lsh = datasketch.MinHashLSH(threshold=0.5, num_perm=64)
    for i, m in enumerate(lean):
        lsh.insert(str(i), m)
    assert "1" in lsh.query(lean[0])
    with pytest.raises(UsageError, match="kperm"):
        to_lean_minhash(SignatureSet.of(texts, SignatureSpec(scheme="oph")))

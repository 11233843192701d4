"""Normalization: steps, profiles, idempotence, offset maps."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textqa import normalize as nz
from textqa.errors import UsageError
from textqa.model import Span
from textqa.normalize import (
    PROFILES,
    STEPS,
    OffsetMap,
    explain,
    get_profile,
    normalize,
    normalize_with_map,
)

from .unicode_strategies import adversarial_text, combining, mojibake

ALL_PROFILES = [*PROFILES, "dedup-key+skeleton"]


def _profile(name: str) -> nz.Profile:
    if name == "dedup-key+skeleton":
        return get_profile("dedup-key", skeleton=True)
    return get_profile(name)


texts = st.one_of(adversarial_text(), st.text(), mojibake(), combining())


@pytest.mark.parametrize("name", ALL_PROFILES)
@given(text=texts)
@example(text="A\u0303\u200b\u00a9")  # removal creates mojibake, NFC creates it again
@example(text="\u0410\u0303\u00a9")
@example(text="e\u200b\u0301")
def test_every_profile_is_idempotent(name: str, text: str) -> None:
    p = _profile(name)
    once = normalize(text, p)
    assert normalize(once, p) == once


@pytest.mark.parametrize("name", list(STEPS))
@given(text=texts)
def test_step_edits_agree_with_the_fast_function(name: str, text: str) -> None:
    step = STEPS[name]
    assert nz._apply_edits(text, step.edits(text)) == step.apply(text)


def _slow(text: str, p: nz.Profile) -> str:
    """Oracle: run every step in order, no fast paths, until nothing changes."""
    for _ in range(20):
        out = text
        for name in p.steps:
            out = nz._apply_edits(out, list(STEPS[name].edits(out)))
        if out == text:
            return out
        text = out
    return text


@pytest.mark.parametrize("name", ALL_PROFILES)
@given(text=texts)
@example(text="Hello, World! 123\r\n\x07")
def test_fast_paths_equal_the_slow_pipeline(name: str, text: str) -> None:
    p = _profile(name)
    assert normalize(text, p) == _slow(text, p)


@pytest.mark.parametrize("name", ALL_PROFILES)
@given(text=texts)
def test_offset_map_is_monotone_and_total(name: str, text: str) -> None:
    out, omap = normalize_with_map(text, _profile(name))
    assert out == normalize(text, _profile(name))
    assert len(omap) == len(out)
    assert omap.starts[len(out)] == len(text)
    assert list(omap.starts) == sorted(omap.starts)
    assert all(0 <= s <= e <= len(text) for s, e in zip(omap.starts, omap.ends, strict=False))


@given(text=st.text(alphabet=st.sampled_from("ab \u00a0\u2026\u201c\u201d\u2014\r\n\u200b")))
def test_offset_map_points_at_the_original_character(text: str) -> None:
    """Oracle: each ASCII-punct output character comes from exactly the original character
    that its step rewrote (or the same character when untouched)."""
    out, omap = normalize_with_map(text, "ascii-punct")
    for i, ch in enumerate(out):
        span = omap.original_span(i, i + 1)
        src = span.slice(text)
        if ch in "ab":
            assert src == ch
        elif src:
            assert (
                normalize(src, "ascii-punct") in (ch, "...", "--", '"', "\n", " ", "") or ch in src
            )


def test_finding_on_normalized_text_points_at_original_line_column() -> None:
    from textqa import parse

    original = "caf\u00e9\u200b\r\nthe  \u201cbad\u201d word\r\n"
    out, omap = normalize_with_map(original, "ascii-punct")
    start = out.index("bad")
    span = omap.original_span(start, start + 3)
    assert span.slice(original) == "bad"
    assert parse(original).position(span.start).line == 2
    assert str(parse(original).position(span.start)) == "2:7"


def test_map_of_identity_and_errors() -> None:
    omap = OffsetMap.identity(3)
    assert omap.original_span(1, 3) == Span(1, 3)
    assert omap.original_offset(3) == 3
    with pytest.raises(ValueError, match="outside"):
        omap.original_span(2, 5)
    with pytest.raises(ValueError, match="outside"):
        omap.original_offset(4)


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="choose one of: safe, ascii-punct, dedup-key"):
        normalize("x", "loud")
    with pytest.raises(UsageError, match="unknown normalization step"):
        nz.Profile("mine", ("nope",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ascii\n", "plain ascii\n"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("\ufeffBOM kept at start", "\ufeffBOM kept at start"),
        ("inner\ufeffBOM", "innerBOM"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("typo\u2060graphic \u2060\u2014 kept", "typographic \u2060\u2014 kept"),
        (
            'if access_level != "user\u202e \u2066// Check\u2069 \u2066"',
            'if access_level != "user // Check "',
        ),
        ("\u05e9\u05dc\u05d5\u05dd\u200f!", "\u05e9\u05dc\u05d5\u05dd\u200f!"),
        ("LRM in Latin\u200e", "LRM in Latin"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("👩\u200d💻", "👩\u200d💻"),
        ("a\u200db", "ab"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("donâ€™t", "don’t"),
        ("parlé\x85 Tu", "parlé… Tu"),
        ("beep\x07 \x1b[31mred\x1b[0m", "beep red"),
        ("\ud83d\ude00\udc80", "😀\ufffd"),
        ("curly “quotes” — and\u00a0nbsp stay", "curly “quotes” — and\u00a0nbsp stay"),
        ("ﬁle ＡＢＣ", "ﬁle ＡＢＣ"),
    ],
)
def test_safe_profile(text: str, expected: str) -> None:
    assert normalize(text, "safe") == expected


def test_ascii_punct_profile() -> None:
    assert normalize("“It’s” \u2014 1990\u20131995\u2026\u00a0ok\u2060\u2014", "ascii-punct") == (
        '"It\'s" -- 1990-1995... ok--'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Quick, Brown-Fox: 1984!", "the quick brown fox 0000"),
        ("  STRASSE\tstraße  ", "strasse strasse"),
        ("ＦＵＬＬ ﬁle x²", "full file x0"),
        ("zero\u200bwidth \u202eRLO", "zerowidth rlo"),
        ("٣ أبواب", "0 أبواب"),
        ("", ""),
    ],
)
def test_dedup_key_profile(text: str, expected: str) -> None:
    assert normalize(text, "dedup-key") == expected


def test_dedup_key_skeleton_folds_homoglyphs() -> None:
    a = normalize("Pay with p\u0430yp\u0430l", "dedup-key", skeleton=True)
    b = normalize("Pay with PayPal", "dedup-key", skeleton=True)
    assert a == b
    assert normalize("p\u0430yp\u0430l", "dedup-key") != normalize("paypal", "dedup-key")


@given(text=st.text(alphabet=st.characters(max_codepoint=127)))
def test_dedup_key_ascii_fast_path(text: str) -> None:
    assert nz._dedup_ascii(text) == _slow(text, PROFILES["dedup-key"])


def test_safe_is_nfc_and_leaves_nothing_to_remove() -> None:
    text = "A\u030a\u200b\u202e\x07 \r\n"
    out = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert not any(ch in out for ch in "\u200b\u202e\x07\r")


def test_explain_lists_changes_in_original_coordinates() -> None:
    text = "x\u200b\r\ny\u2026"
    changes = explain(text, "ascii-punct")
    assert [(c.step, c.span, c.before, c.after) for c in changes] == [
        ("newlines", Span(2, 4), "\r\n", "\n"),
        ("invisible-all", Span(1, 2), "\u200b", ""),
        ("ellipsis", Span(5, 6), "\u2026", "..."),
    ]
    assert explain("clean", "safe") == []


def test_mojibake_fallback_without_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTQA_NO_FTFY", "1")
    nz._ftfy_fixer.cache_clear()
    try:
        assert nz.fix_mojibake("donâ€™t cafÃ©") == "don’t café"
        # a line that does not round-trip is left alone (a real name, not mojibake)
        assert nz.fix_mojibake("Bremer/Mccoy – DrÃ¥ber") == "Bremer/Mccoy – DrÃ¥ber"
        assert nz.fix_mojibake("parlé\x85 Tu") == "parlé… Tu"
    finally:
        nz._ftfy_fixer.cache_clear()


def test_use_ftfy_switch() -> None:
    assert nz.fix_mojibake("donâ€™t", use_ftfy=False) == "don’t"
    text = "РґРѕСЂРѕРіРµ Р\x98Р·-РїРѕРґ #С„СѓС‚Р±РѕР»"
    assert "дороге" not in nz.fix_mojibake(text, use_ftfy=False)  # cp1251 needs ftfy


def test_mojibake_with_ftfy_repairs_more() -> None:
    pytest.importorskip("ftfy")
    text = "РґРѕСЂРѕРіРµ Р\x98Р·-РїРѕРґ #С„СѓС‚Р±РѕР»"
    assert nz.fix_mojibake(text) == "дороге Из-под #футбол"
    assert nz.fix_mojibake("Bremer/Mccoy – DrÃ¥ber") == "Bremer/Mccoy – DrÃ¥ber"


def test_ftfy_is_not_imported_for_clean_text() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from textqa.normalize import normalize; "
        "normalize('caf\u00e9 \u201cok\u201d\\r\\n' * 10); "
        "normalize('x', 'dedup-key'); print('ftfy' in sys.modules)"
    )
    from .conftest import SRC

    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=True,
    )
    assert res.stdout.strip() == "False"


def _ftfy_cases(name: str) -> list[dict[str, str]]:
    import json

    from .conftest import shared_path

    path = shared_path("corpora", "ftfy-test-cases", f"{name}.json")
    cases: list[dict[str, str]] = json.loads(path.read_text("utf-8"))
    return cases


@pytest.mark.parametrize("use_ftfy", [None, False])
def test_ftfy_negative_cases_are_left_alone(use_ftfy: bool | None) -> None:
    """Real text that only looks odd (``MARQUÉ…``, ``5×£35``) comes out of `safe` as ftfy's
    expected output: unchanged, except a C1 control that stands for ``…``."""
    if use_ftfy is None:
        pytest.importorskip("ftfy")
    for case in _ftfy_cases("negative"):
        want = case.get("fixed-encoding", case["fixed"])
        text = nz.fix_mojibake(case["original"], use_ftfy=use_ftfy)
        assert normalize(text, "safe") == want, case["label"]


def test_ftfy_in_the_wild_cases_are_repaired() -> None:
    pytest.importorskip("ftfy")
    cases = _ftfy_cases("in-the-wild")
    repaired = [c for c in cases if normalize(c["original"]) == c.get("fixed-encoding", c["fixed"])]
    assert len(repaired) == len(cases)

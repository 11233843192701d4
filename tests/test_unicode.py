"""TQ1xx Unicode-safety rules, the confusables table, and their agreement with `safe`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textqa
from textqa import confusables
from textqa.errors import InputError
from textqa.fixes import apply_edits, fix_text
from textqa.normalize import normalize

from .conftest import ROOT, shared_path
from .unicode_strategies import adversarial_text

SEED = ROOT / "seeds" / "000_8e9dbe92525a050e.txt"
DEFAULT_ON = ["TQ101", "TQ102", "TQ103", "TQ104", "TQ105"]


def codes(text: str, path: str | None = None, **kw: object) -> list[tuple[str, str]]:
    return [(f.code, str(f.start)) for f in textqa.check(text, path=path, **kw)]  # type: ignore[arg-type]


def test_rule_table_defaults() -> None:
    from textqa.rules import RULES_BY_CODE

    on = {c for c, r in RULES_BY_CODE.items() if c.startswith("TQ1") and r.default}
    assert on == {"TQ100", *DEFAULT_ON}
    assert {c for c in RULES_BY_CODE if c.startswith("TQ1")} == {f"TQ10{i}" for i in range(10)}


def test_seed_has_no_unicode_finding_by_default() -> None:
    text = SEED.read_text("utf-8")
    assert [f for f in textqa.check(text, path=str(SEED)) if f.code.startswith("TQ1")] == []


def test_seed_typography_found_when_enabled() -> None:
    text = SEED.read_text("utf-8")
    found = textqa.check(text, path=str(SEED), select=["TQ106", "TQ107", "TQ108"])
    by = {c: [f for f in found if f.code == c] for c in ("TQ106", "TQ107", "TQ108")}
    assert len(by["TQ106"]) == text.count("\u00a0") == 10
    assert all(f.span.slice(text) == "\u00a0" for f in by["TQ106"])
    # every NBSP sits before the last word of a paragraph
    assert all(text[f.span.end :].split("\n", 1)[0].count(" ") == 0 for f in by["TQ106"])
    assert len(by["TQ107"]) == sum(text.count(q) for q in "\u2018\u2019\u201c\u201d") == 32
    # two em dashes, two spaced en dashes: the tie goes to the style used first (em)
    assert [f.span.slice(text) for f in by["TQ108"]] == ["\u2013", "\u2013"]
    assert [str(f.start) for f in by["TQ108"]] == ["5:404", "7:404"]
    assert by["TQ108"][0].suggestions == ("\u2014",)


TROJAN = 'if access_level != "user\u202e \u2066// Check if admin\u2069 \u2066" {\n'


def test_bidi_control_in_code_block_and_prose() -> None:
    md = f"Text.\n\n```c\n{TROJAN}```\n\nAnd `inline\u202e` code.\n"
    found = textqa.check(md, path="a.md")
    assert [(f.code, str(f.start)) for f in found] == [
        ("TQ101", "4:25"), ("TQ101", "4:27"), ("TQ101", "4:45"), ("TQ101", "4:47"),
        ("TQ101", "7:12"),
    ]  # fmt: skip
    assert found[0].severity == "error"
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found[0].message
    fixed = apply_edits(md, [e for f in found if f.fix for e in f.fix.edits])
    assert codes(fixed, "a.md") == []


def test_directional_marks_are_fine_in_rtl_text() -> None:
    assert codes("\u05e9\u05dc\u05d5\u05dd\u200f (hello)\n") == []
    assert codes("plain Latin\u200e line\n") == [("TQ101", "1:12")]


def test_invisible_characters() -> None:
    text = (
        "\ufeffBOM ok. zero\u200b\u200bwidth, soft\u00adhyphen, typo\u2060graphic \u2060\u2014 ok\n"
    )
    found = textqa.check(text)
    assert [(f.code, f.span.slice(text)) for f in found] == [
        ("TQ102", "\u200b\u200b"), ("TQ102", "\u00ad"), ("TQ102", "\u2060"),
    ]  # fmt: skip
    assert "U+200B ZERO WIDTH SPACE" in found[0].message
    # joiners that shape Persian text or an emoji are not reported
    assert codes("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d💻\n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Log in to p\u0430yp\u0430l now", [("TQ103", "1:11", "paypal")]),
        ("\u0421\u0430\u0439\u0442 \u043f\u0440\u0438\u0432e\u0442", [("TQ103", "1:6", "привет")]),
        ("\u039a\u03b1\u03bbo \u03c3\u03c0\u03af\u03c4\u03b9", [("TQ103", "1:1", "Καλο")]),
        ("Ωmega and β-version and 東京タワー and Tokyo東京", []),
        ("ASCII only", []),
        ("Привет, мир", []),
    ],
)
def test_mixed_script_word(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = textqa.check(text)
    assert [(f.code, str(f.start), f.suggestions[0]) for f in found] == expected


def test_mixed_script_applies_inside_code() -> None:
    found = textqa.check("Call `p\u0430ypal_login()` here.\n", path="x.md")
    assert [f.code for f in found] == ["TQ103"]
    assert found[0].fix is not None
    assert not found[0].fix.safe


def test_mojibake_and_replacement_character() -> None:
    text = "You don\u00e2\u20ac\u2122t say.\nLost \ufffd char.\nQuoted ``\ufffd`` in code.\n"
    found = textqa.check(text, path="a.rst")
    assert [(f.code, str(f.start)) for f in found] == [("TQ104", "1:8"), ("TQ104", "2:6")]
    assert found[0].suggestions == ("\u2019",)
    assert found[0].fix is not None
    assert apply_edits(text, list(found[0].fix.edits)).startswith("You don\u2019t say.")


def test_control_characters() -> None:
    text = "bell\x07 \x1b[1mbold\x1b[0m ___\x08\x08\x08and\ttab\fff\n"
    found = textqa.check(text)
    assert [(f.code, f.span.slice(text)) for f in found] == [
        ("TQ105", "\x07"), ("TQ105", "\x1b[1m"), ("TQ105", "\x1b[0m"),
        ("TQ105", "___\x08\x08\x08"),
    ]  # fmt: skip
    assert "U+0007 BELL" in found[0].message
    assert "overstrike" in found[3].message


def test_c1_inside_mojibake_is_reported_once() -> None:
    text = "for a batter\u00e2\x80\x99s swing\n"
    found = textqa.check(text)
    assert [f.code for f in found] == ["TQ104"]
    assert found[0].suggestions == ("\u2019",)
    assert codes("parl\u00e9\x85 Tu\n") == [("TQ104", "1:6")]
    assert codes("odd \x81 byte\n") == [("TQ105", "1:5")]


def test_non_nfc() -> None:
    text = "Cafe\u0301 and caf\u00e9\n"
    found = textqa.check(text, select=["TQ109"])
    assert [(str(f.start), f.span.slice(text)) for f in found] == [("1:4", "e\u0301")]
    assert found[0].fix is not None
    assert found[0].fix.edits[0].replacement == "\u00e9"


def test_inconsistent_dashes_ignore_ranges_lists_and_code() -> None:
    text = "- a list item\n\nYears 1990\u20132000 \u2014 fine \u2014 and `x - y` code.\n"
    assert codes(text, "a.md", select=["TQ108"]) == []
    mixed = "One \u2014 two \u2014 three - four.\n"
    assert codes(mixed, "a.md", select=["TQ108"]) == [("TQ108", "1:19")]


PROPERTY_CODES = ["TQ101", "TQ102", "TQ104", "TQ105", "TQ109"]


@given(text=st.one_of(adversarial_text(), st.text()))
def test_safe_output_has_no_safety_findings(text: str) -> None:
    """The rules and the `safe` profile agree: what the rules report, `safe` removes."""
    out = normalize(text, "safe")
    found = [
        f for f in textqa.check(out, select=PROPERTY_CODES) if not f.message.startswith("U+FFFD")
    ]
    assert found == []


@given(text=st.one_of(adversarial_text(), st.text()))
def test_applying_safe_fixes_removes_the_findings(text: str) -> None:
    codes_ = ["TQ101", "TQ102", "TQ105"]
    out = fix_text(text, lambda t: textqa.check(t, select=codes_))
    assert out.remaining == ()
    assert textqa.check(out.text, select=codes_) == []


# -- confusables ----------------------------------------------------------------------------


def test_builtin_table_is_well_formed() -> None:
    table = confusables.BUILTIN_CONFUSABLES
    for src, target in table.items():
        assert len(src) == 1
        assert target
        assert src != target
        assert confusables.script_of(src) not in (None, "Latin"), src
        assert all(confusables.script_of(c) in ("Latin", None) for c in target)
    assert list(table) == list(dict.fromkeys(table))  # no duplicates


def test_full_uts39_table_from_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("corpora", "unicode-confusables", "confusables.txt")
    monkeypatch.setenv(confusables.ENV_VAR, str(path))
    table = confusables.confusable_table()
    assert table.source == str(path)
    assert len(table.mapping) > 6000
    # UTS #39 examples: "paypal" with Cyrillic а, and m ≈ rn
    assert confusables.skeleton("p\u0430yp\u0430l") == confusables.skeleton("paypal")
    assert confusables.skeleton("m") == "rn"
    assert confusables.skeleton("\u13a0") != "\u13a0"  # Cherokee letters look Latin too
    assert codes("the v\u0430lue\n") == [("TQ103", "1:5")]
    # idempotent keys with the full table too
    once = normalize("Ｐаypal ｍ", "dedup-key", skeleton=True)
    assert normalize(once, "dedup-key", skeleton=True) == once


def test_loader_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read confusables table"):
        confusables.load_confusables(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("XYZ ; 0061 ; MA\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.txt:1: malformed"):
        confusables.load_confusables(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", "utf-8")
    with pytest.raises(InputError, match="no confusable mappings"):
        confusables.load_confusables(empty)


def test_set_confusables_overrides(tmp_path: Path) -> None:
    small = tmp_path / "c.txt"
    small.write_text("0030 ; 004F ; MA # digit zero looks like O\n", "utf-8")
    try:
        confusables.set_confusables(confusables.load_confusables(small))
        assert confusables.skeleton("G00GLE") == "GOOGLE"
    finally:
        confusables.set_confusables(None)
    assert confusables.skeleton("G00GLE") == "G00GLE"


def test_check_does_not_import_ftfy_for_clean_text() -> None:
    import subprocess
    import sys

    from .conftest import SRC

    code = (
        "import sys, textqa; "
        f"textqa.check(open({str(SEED)!r}, encoding='utf-8').read()); "
        "print('ftfy' in sys.modules)"
    )
    env = {"PYTHONPATH": str(SRC), "PATH": os.environ.get("PATH", "")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)  # fmt: skip
    assert res.stdout.strip() == "False"


def test_ascii_control_gate_matches_the_control_step() -> None:
    """Clean ASCII text skips the TQ1xx rules: the gate must know every ASCII character the
    control step of `textqa.normalize` would remove."""
    from textqa import normalize
    from textqa.unicode import _ASCII_CONTROL_RE

    for code in range(128):
        char = chr(code)
        assert bool(_ASCII_CONTROL_RE.match(char)) == bool(normalize._CONTROL_RE.match(char))

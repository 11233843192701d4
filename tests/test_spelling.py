"""Spelling rules TQ401-TQ405, the shipped data, the modes and the user vocabulary."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

import textqa
from textqa.config import Settings
from textqa.lexicon import LEVELS, lexicon, misspellings
from textqa.spelling import LEGITIMATE_DOUBLES, stutter_unit
from textqa.suggest import candidates, slip_cost

from .conftest import ROOT, run_cli

SEED = ROOT / "seeds" / "000_8e9dbe92525a050e.txt"
STRICT = Settings(select=("spelling",))
FULL = Settings(select=("spelling",), spelling="full")


def codes(text: str, settings: Settings = STRICT, path: str | None = None) -> list[tuple[str, str]]:
    return [(f.code, f.span.slice(text)) for f in textqa.check(text, path=path, settings=settings)]


# -- the rules, by example ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He recieved it.", [("TQ401", "recieved")]),
        ("Teh end.", [("TQ401", "Teh")]),
        ("The TEH acronym and camelTeh stay.", []),
        ("A well-knwon fact.", [("TQ401", "knwon")]),
        ("thethe end", [("TQ403", "thethe")]),
        ("the digitdigit-wise or", [("TQ403", "digitdigit")]),
        ("a bye-bye wave and a murmur-like hum", []),
        ("A murmur, a tutu, couscous, hahaha, xxxx.", []),
        ("the the end", [("TQ404", "the the")]),
        ("the\nthe end", [("TQ404", "the\nthe")]),
        ("He had had enough; note that that works.", []),
        ("What it is is a test.", []),
        ("It is is broken.", [("TQ404", "is is")]),
        ("Columns   the   the", []),
        ("Walla Walla is a city.", []),
        ("a apple", [("TQ405", "a")]),
        ("An banana", [("TQ405", "An")]),
        ("an hour, a university, a one-off, an FBI agent, a NATO base, an lvalue, a user", []),
        ("vision of a, Islamic state", [("TQ405", "a,")]),
        ("values a, b, and c; if a is b", []),
        ("The cat sat on a mat.", []),
    ],
)
def test_rules_by_example(text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


def test_suggestions_and_safe_fixes() -> None:
    [f] = textqa.check("Teh end.", settings=STRICT)
    assert f.suggestions == ("The",)
    assert f.fix is not None
    assert f.fix.safe
    assert f.fix.edits[0].replacement == "The"
    [f] = textqa.check("thethe end", settings=STRICT)
    assert f.suggestions == ("the",)
    assert f.fix is not None
    assert f.fix.safe
    [f] = textqa.check("the the end", settings=STRICT)
    assert f.fix is not None
    assert f.fix.edits[0].span.slice("the the end") == " the"


def test_stutter_prefers_the_unit_used_in_the_document() -> None:
    text = "ISISISIS says. ISIS fighters and ISIS leaders. It is what it is."
    [f] = textqa.check(text, settings=STRICT)
    assert (f.code, f.suggestions) == ("TQ403", ("ISIS",))
    [f] = textqa.check("cancancancan do", settings=STRICT)
    assert f.suggestions == ("can",)


def test_ambiguous_table_entry_needs_context() -> None:
    rights = misspellings().get("aache")
    assert rights is not None
    assert len(rights) > 1
    assert codes("The aache.") == []
    assert codes("The aache. A cache is fast.") == [("TQ401", "aache")]


def test_foreign_cluster_is_not_reported() -> None:
    assert codes("Januar, Februar, März") == []


def test_masked_markup_is_never_reported() -> None:
    text = "Use `teh teh` and ``thethe`` or https://x.org/recieve here.\n\n    teh teh\n"
    assert codes(text, path="x.md") == []
    assert codes(".. code-block:: python\n\n   teh = teh teh\n", path="x.rst") == []


# -- TQ402 and the modes ---------------------------------------------------------------------
def test_unknown_word_only_in_full_mode() -> None:
    text = "The comittee exlained the tokenns."
    assert [c for c, _ in codes(text, FULL)] == ["TQ401", "TQ401", "TQ402"]
    assert "TQ402" not in [c for c, _ in codes(text, STRICT)]
    assert "TQ402" in [c for c, _ in codes(text, Settings(select=("TQ402",)))]


def test_unknown_word_suggestion_and_fix() -> None:
    [f] = list(textqa.check("We lunched the tokenns today.", settings=FULL))
    assert f.code == "TQ402"
    assert f.suggestions == ("tokens",)
    assert f.fix is not None
    assert f.fix.safe
    assert f.fix.edits[0].replacement == "tokens"
    [f] = list(textqa.check("The stringg is long.", settings=FULL))
    assert f.suggestions[0] == "string"
    assert f.fix is None


def test_recurring_unknown_word_is_learned_across_the_run() -> None:
    one = textqa.parse("The tokenq is done.", "a.txt")
    two = textqa.parse("Another tokenq here.", "b.txt")
    assert textqa.check_documents([one, two], settings=FULL) == []
    alone = textqa.check_documents([one], settings=FULL)
    assert [f.span.slice(one.text) for f in alone] == ["tokenq"]


def test_obvious_slip_repeated_a_few_times_is_still_reported() -> None:
    docs = [textqa.parse(f"The tokenns is number {i}.", f"{i}.txt") for i in range(3)]
    assert len(textqa.check_documents(docs, settings=FULL)) == 3
    docs.append(textqa.parse("And tokenns again.", "4.txt"))
    assert textqa.check_documents(docs, settings=FULL) == []  # four times: vocabulary


@pytest.mark.parametrize(
    "text",
    [
        "The filesystem and the datetime module.",  # compounds
        "It was undecoded and deinitialized.",  # prefix + word
        "We ate bulgogi jjigae.",  # unknown neighbours: a foreign phrase
        "Not knick knacks.",  # open compound
        "Bunzel and McCants met al-Adnani in Raqqa.",  # names
        "A covert ‘de-sanctuarizing’ push.",  # hyphenated coinage
        "The x1 and foo_bar and fooBar values.",  # identifiers
    ],
)
def test_unknown_word_false_alarm_guards(text: str) -> None:
    assert [c for c, _ in codes(text, FULL) if c == "TQ402"] == []


def test_language_variants() -> None:
    assert codes("The colour and the color.", FULL) == []
    us = Settings(select=("spelling",), spelling="full", language="en-US")
    gb = Settings(select=("spelling",), spelling="full", language="en-GB")
    assert codes("The colour.", us) == [("TQ402", "colour")]
    assert codes("The color.", gb) == [("TQ402", "color")]


def test_user_vocabulary(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# project words\ntokenns\n", encoding="utf-8")
    text = "The teh tokenns."
    assert codes(text, Settings(select=("spelling",), spelling="full", words=("teh",),
                                words_file=str(words))) == []
    with pytest.raises(textqa.ConfigError):
        textqa.check(text, settings=Settings(select=("spelling",), words_file=str(tmp_path)))


def test_words_file_saved_with_a_bom_and_crlf(tmp_path: Path) -> None:
    # Windows editors save UTF-8 with a byte order mark: the first word is still a word
    words = tmp_path / "words.txt"
    words.write_bytes(b"\xef\xbb\xbfteh\r\nsubstantialy # a comment\r\n")
    text = "The teh was substantialy here."
    assert codes(text, Settings(select=("spelling",))) == [
        ("TQ401", "teh"), ("TQ401", "substantialy")
    ]
    assert codes(text, Settings(select=("spelling",), words_file=str(words))) == []


def test_mode_selection() -> None:
    assert "TQ402" not in Settings().enabled
    assert "TQ402" in Settings(spelling="full").enabled
    assert "TQ402" not in Settings(spelling="full", ignore=("unknown-word",)).enabled
    assert "TQ402" not in Settings(spelling="full", select=("TQ1",)).enabled


# -- the seed ----------------------------------------------------------------------------------
@pytest.mark.parametrize("settings", [STRICT, FULL], ids=["strict", "full"])
def test_seed(settings: Settings) -> None:
    text = SEED.read_text(encoding="utf-8")
    found = textqa.check(text, path=str(SEED), settings=settings)
    assert [(f.code, f.start.line, f.start.column, f.suggestions) for f in found] == [
        ("TQ403", 1, 1, ("ISIS",)),
        ("TQ401", 5, 97, ("substantially",)),
        ("TQ401", 7, 97, ("substantially",)),
        ("TQ405", 15, 75, ("an",)),
    ]


# -- the shipped data --------------------------------------------------------------------------
@functools.cache
def _lexicon_lower() -> frozenset[str]:
    lex = lexicon("en")
    return frozenset(w.lower() for level in LEVELS for w in lex.words(level))


def test_table_is_sorted_unique_and_no_identity() -> None:
    table = misspellings()
    pairs = list(table.items())
    wrongs = [w for w, _ in pairs]
    assert wrongs == sorted(set(wrongs))
    assert len(pairs) > 90_000
    for wrong, rights in pairs:
        assert rights, wrong
        assert wrong not in [r.lower() for r in rights], wrong
        assert len(set(rights)) == len(rights), wrong


def test_no_table_entry_is_a_lexicon_word() -> None:
    known = _lexicon_lower()
    assert [w for w, _ in misspellings().items() if w in known] == []


def test_lexicon_sections_are_sorted_and_disjoint() -> None:
    from textqa.lexicon import _sections

    sections = _sections("lexicon.txt.gz")
    seen: set[str] = set()
    for name, raw in sections.items():
        words = raw.split("\n")[:-1]
        assert words == sorted(set(words)), name
        assert not seen & set(words), name
        seen.update(words)
    assert {"35", "50", "70", "80", "us-35", "gb", "software", "inflected"} <= set(sections)


def test_licences_are_shipped() -> None:
    licences = ROOT / "src" / "textqa" / "data" / "licences"
    assert {p.name for p in licences.iterdir()} >= {
        "SCOWL.txt", "typos-MIT.txt", "cspell-dicts-MIT.txt"
    }


# -- slips and stutters: fast code against slow, obvious oracles --------------------------------
def _stutter_oracle(word: str) -> tuple[str, int] | None:
    low = word.lower()
    for size in range(1, len(low) // 2 + 1):
        if len(low) % size == 0 and low[:size] * (len(low) // size) == low:
            return (word[:size], len(low) // size) if len(low) >= 4 else None
    return None


@given(st.text(alphabet="abAB", max_size=12))
def test_stutter_unit_matches_oracle(word: str) -> None:
    assert stutter_unit(word) == _stutter_oracle(word)


@given(st.text(alphabet="abcdeqw", max_size=8), st.text(alphabet="abcdeqw", max_size=8))
def test_slip_cost_is_between_half_and_one_osa_distance(a: str, b: str) -> None:
    cost = slip_cost(a, b)
    distance = OSA.distance(a, b)
    assert 0.5 * distance - 1e-9 <= cost <= distance + 1e-9
    assert (cost == 0) == (a == b)


def test_candidates_prefer_keystroke_slips() -> None:
    lex = lexicon("en")
    assert candidates("recieve", lex)[0].word == "receive"
    assert candidates("teh", lex)[0].word == "the"
    assert candidates("adress", lex)[0].word == "address"


# -- hypothesis properties on whole texts -------------------------------------------------------
@functools.cache
def _common_words() -> list[str]:
    words = lexicon("en").words(35)
    table = misspellings()
    return sorted(
        w for w in words
        if w.isalpha() and w.islower() and 3 <= len(w) <= 8 and w not in LEGITIMATE_DOUBLES
        and w not in {"is", "a", "an"} and w not in table.reduplicated
        and stutter_unit(w) is None
    )


words_st = st.lists(st.sampled_from(_common_words()), min_size=3, max_size=40)


@given(words_st, st.data())
def test_inserted_doubled_word_is_caught(words: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(words) - 1))
    assume(all(words[j] != words[j + 1] for j in range(len(words) - 1)))
    doubled = [*words[: i + 1], words[i], *words[i + 1 :]]
    assume(doubled[i + 2 : i + 3] != [words[i]])
    text = " ".join(doubled) + "."
    start = len(" ".join(doubled[:i])) + (1 if i else 0)
    found = [f for f in textqa.check(text, settings=STRICT) if f.code == "TQ404"]
    assert any(f.span.start == start for f in found), text


@given(words_st, st.data())
def test_inserted_stutter_is_caught(words: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(words) - 1))
    k = data.draw(st.integers(2, 4))
    stutter = words[i] * k
    assume(stutter not in misspellings().reduplicated and stutter not in _lexicon_lower())
    text = " ".join([*words[:i], stutter, *words[i + 1 :]]) + "."
    found = [f for f in textqa.check(text, settings=STRICT) if f.code == "TQ403"]
    assert [f.span.slice(text) for f in found] == [stutter], text


@functools.cache
def _lexicon_sample() -> list[str]:
    lex = lexicon("en")
    out = []
    for level in LEVELS:
        out.extend(sorted(w for w in lex.words(level) if w.isalpha() and w.islower())[::97])
    return out


@given(st.lists(st.sampled_from(_lexicon_sample()), min_size=1, max_size=60))
def test_lexicon_words_are_never_unknown(words: list[str]) -> None:
    text = " ".join(words) + "."
    assert [f for f in textqa.check(text, settings=FULL) if f.code == "TQ402"] == []


_PIECES = st.sampled_from([
    "teh", "recieve", "thethe", "the the", "a apple", "tokenns", "plain", "words", "here", "\n\n",
    "`teh teh`", "``thethe``", "https://example.org/recieve/teh", "a@recieve.org", "foo_teh",
    "\n\n```\nteh teh thethe\n```\n\n", "\n\n    teh teh\n\n", ":func:`teh`", "a.recieve()",
])


@given(st.lists(_PIECES, max_size=25), st.sampled_from(["x.md", "x.rst", "x.txt"]))
def test_flags_never_point_inside_masked_markup(pieces: list[str], path: str) -> None:
    doc = textqa.parse(" ".join(pieces), path)
    for f in textqa.check(doc, settings=FULL):
        if f.family == "spelling":
            assert not doc.is_masked(f.span.start, f.span.end), (f, doc.text)


# -- CLI and import cost -----------------------------------------------------------------------
def test_cli_spelling_options(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("The tokenns is teh best.\n", encoding="utf-8")
    strict = run_cli("check", "--select", "spelling", str(f))
    assert strict.returncode == 1
    assert b"TQ401" in strict.stdout
    assert b"TQ402" not in strict.stdout
    full = run_cli("check", "--spelling", "full", "--select", "spelling", str(f))
    assert b"TQ402" in full.stdout
    words = tmp_path / "words.txt"
    words.write_text("tokenns\n", encoding="utf-8")
    quiet = run_cli("check", "--spelling", "full", "--words", "teh", "--words-file", str(words),
                    "--language", "en-GB", "--select", "spelling", str(f))
    assert quiet.returncode == 0, quiet.stdout
    bad = run_cli("check", "--words-file", str(tmp_path / "missing.txt"), str(f))
    assert bad.returncode == 2
    assert bad.stderr.startswith(b"textqa: error: ")


def test_strict_spelling_check_imports_no_numpy_or_rapidfuzz() -> None:
    code = (
        "import sys, textqa.cli; textqa.cli.main(['check', '--select', 'spelling', "
        f"{str(SEED)!r}]); "
        "print(sorted(m for m in ('numpy', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False,
                         env={"PYTHONPATH": str(ROOT / "src")}, timeout=60)
    assert out.stdout.decode().strip().splitlines()[-1] == "[]"


def test_configuration_file_spelling_keys(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("teh\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.textqa]\nselect = ["spelling"]\nspelling = "full"\nwords-file = "words.txt"\n',
        encoding="utf-8",
    )
    f = tmp_path / "a.txt"
    f.write_text("The tokenns is teh best.\n", encoding="utf-8")
    out = run_cli("check", str(f))
    assert out.returncode == 1
    assert b"TQ402" in out.stdout
    assert b"TQ401" not in out.stdout  # 'teh' is in the configured words file
    strict = run_cli("check", "--spelling", "strict", str(f))
    assert strict.returncode == 0, strict.stdout


@given(
    st.lists(st.text(st.characters(exclude_characters="\n", exclude_categories=("Cs",)))),
    st.lists(st.text(max_size=6), max_size=20),
)
def test_sorted_words_binary_search_equals_a_set(words: list[str], probes: list[str]) -> None:
    from textqa.lexicon import SortedWords

    unique = sorted({w for w in words if w})
    table = SortedWords("".join(w + "\n" for w in unique))
    oracle = set(unique)
    for probe in [*probes, *unique]:
        assert (probe in table) == (probe in oracle)
    assert SortedWords(table.text).intersection(probes) == oracle.intersection(probes)
    table = SortedWords(table.text, set_after=0)  # the set built after many lookups agrees
    for probe in [*probes, *unique]:
        assert (probe in table) == (probe in oracle)
    assert table.intersection(probes) == oracle.intersection(probes)
    assert len(table) == len(unique)

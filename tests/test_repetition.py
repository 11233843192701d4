"""Repetition rules TQ201-TQ204: oracle tests against slow references, fixes, the seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

import textqa
from textqa.fixes import apply_fixes
from textqa.repetition import (
    near_repeated_paragraphs,
    repeated_lines,
    repeated_paragraphs,
    repetition_key,
)

from .conftest import ROOT, run_cli
from .strategies import kinds, repetitive_documents

SEED = ROOT / "seeds" / "000_8e9dbe92525a050e.txt"
PARA = "The committee approved the new budget after a long debate on Tuesday."


def _codes(findings: list[textqa.Finding]) -> list[tuple[str, str]]:
    return [(f.code, str(f.start)) for f in findings]


# -- slow, obviously-correct references ----------------------------------------------------
def _ref_key(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def _ref_words(doc: textqa.Document, start: int, end: int) -> int:
    return sum(
        1 for t in doc.tokens if t.kind == "word" and not t.masked and start <= t.start < end
    )


def _ref_boundary(doc: textqa.Document, p: textqa.Paragraph) -> bool:
    lines = re.split(r"\r\n|\r|\n", doc.paragraph_text(p))
    if not p.prose or (doc.kind == "markdown" and lines[0].lstrip().startswith("#")):
        return True
    return any(re.fullmatch(r"([=\-~^\"'`#*+:._<>])\1{2,}", x.strip()) for x in lines)


def _ref_listlike(doc: textqa.Document, p: textqa.Paragraph) -> bool:
    lines = re.split(r"\r\n|\r|\n", doc.paragraph_text(p))
    indent = [len(x) - len(x.lstrip()) for x in lines]
    marker = r"([-*+•]|#\.|\d{1,9}[.)]|\(\d{1,9}\)|[A-Za-z][.)])\s"
    return bool(
        re.match(marker, lines[0].lstrip())
        or any(x.lstrip().startswith(("|", "+-")) for x in lines)
        or (len(lines) > 1 and indent[1] > indent[0])
    )


def _ref_first_line(doc: textqa.Document, p: textqa.Paragraph) -> str:
    return re.split(r"\r\n|\r|\n", doc.paragraph_text(p))[0].expandtabs(4)


def _ref_parent(doc: textqa.Document, q: textqa.Paragraph) -> int:
    """The nearest earlier paragraph indented less than ``q`` (in reST any, elsewhere only a
    list item), or -1."""
    line = _ref_first_line(doc, q)
    indent = len(line) - len(line.lstrip())
    for p in reversed(doc.paragraphs[: q.index]):
        first = _ref_first_line(doc, p)
        if len(first) - len(first.lstrip()) < indent:
            marker = r"([-*+•]|#\.|\d{1,9}[.)]|\(\d{1,9}\)|[A-Za-z][.)])\s"
            return p.index if doc.kind == "rst" or re.match(marker, first.lstrip()) else -1
    return -1


def _ref_same_section(doc: textqa.Document, a: textqa.Paragraph, b: textqa.Paragraph) -> bool:
    """No section boundary among the paragraphs after ``a`` up to ``b``, and one parent."""
    return not any(
        _ref_boundary(doc, p) for p in doc.paragraphs[a.index + 1 : b.index + 1]
    ) and _ref_parent(doc, a) == _ref_parent(doc, b)


def _ref_repeats(doc: textqa.Document, min_words: int) -> list[tuple[int, int]]:
    """O(n^2): for each paragraph, the first earlier paragraph of its section with an equal
    key."""
    ok = [p for p in doc.paragraphs if p.prose and _ref_words(doc, p.start, p.end) >= min_words]
    out = []
    for j, q in enumerate(ok):
        for p in ok[:j]:
            same = _ref_key(doc.paragraph_text(p)) == _ref_key(doc.paragraph_text(q))
            if same and _ref_same_section(doc, p, q):
                out.append((q.index, p.index))
                break
    return out


@given(repetitive_documents, kinds, st.integers(1, 8))
def test_repeated_paragraphs_equals_quadratic_reference(text: str, kind: str, n: int) -> None:
    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    fast = [(r.index, f.index) for r, f in repeated_paragraphs(doc, min_words=n)]
    assert fast == _ref_repeats(doc, n)


def _ref_masked_key(doc: textqa.Document, p: textqa.Paragraph) -> str:
    """The paragraph's key with each run of masked characters replaced by one U+0000."""
    chars = [
        "\x00" if doc.is_masked(i) else doc.text[i] for i in range(p.start, p.end)
    ]
    return _ref_key(re.sub("\x00+", "\x00", "".join(chars)))


@given(repetitive_documents, kinds)
def test_near_repeats_equal_quadratic_reference(text: str, kind: str) -> None:
    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    ok = [
        p
        for p in doc.paragraphs
        if p.prose and _ref_words(doc, p.start, p.end) >= 8 and not _ref_listlike(doc, p)
    ]
    expected = []
    for j, q in enumerate(ok):
        kq = _ref_key(doc.paragraph_text(q))
        before = [p for p in ok[:j] if _ref_same_section(doc, p, q)]
        earlier = [_ref_key(doc.paragraph_text(p)) for p in before]
        if kq in earlier:
            continue
        scored = [
            (fuzz.ratio(kq, _ref_key(doc.paragraph_text(p))), -i, p.index)
            for i, p in enumerate(before)
            if _ref_key(doc.paragraph_text(p)) not in earlier[:i]
            and _ref_masked_key(doc, p) != _ref_masked_key(doc, q)
        ]
        scored = [s for s in scored if s[0] >= 90]
        if scored:
            best = max(scored)
            expected.append((q.index, best[2], round(best[0] / 100, 9)))
    got = [(p.index, f.index, round(s, 9)) for p, f, s in near_repeated_paragraphs(doc)]
    assert got == expected


@given(repetitive_documents, kinds)
def test_repeated_lines_equal_reference(text: str, kind: str) -> None:
    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    non_prose = [p for p in doc.paragraphs if not p.prose]
    seen: dict[str, int] = {}
    expected = []
    for line in doc.lines:
        s = doc.text[line.start : line.end]
        if not re.search(r"\w", s.replace("_", "")) or not s.strip():
            continue
        lead = len(s) - len(s.lstrip())
        start, end = line.start + lead, line.start + lead + len(s.strip())
        if any(p.start <= start and end <= p.end for p in non_prose):
            continue
        if _ref_words(doc, start, end) < 4:
            continue
        k = _ref_key(s)
        if k in seen:
            expected.append((start, seen[k]))
        else:
            seen[k] = start
    assert [(r.span.start, r.first.start) for r in repeated_lines(doc)] == expected


@given(repetitive_documents, kinds)
def test_fixes_applied_twice_equal_once(text: str, kind: str) -> None:
    path = {"markdown": "x.md", "rst": "x.rst", "text": "x.txt"}[kind]
    once = apply_fixes(text, textqa.check(text, path=path, select=["TQ201"])).text
    twice = apply_fixes(once, textqa.check(once, path=path, select=["TQ201"])).text
    assert twice == once
    # what is left is only repeats that open a block, whose deletion is not safe
    left = textqa.check(once, path=path, select=["TQ201"])
    assert all(f.fix is not None and not f.fix.safe for f in left)


# -- TQ201 ---------------------------------------------------------------------------------
def test_seed_has_exactly_one_repetition_finding() -> None:
    findings = textqa.check_paths([str(SEED)]).findings
    ours = [f for f in findings if f.family == "repetition"]
    assert [(f.code, str(f.start)) for f in ours] == [("TQ201", "7:1")]
    (f,) = ours
    assert [(r.line, r.column) for r in f.related] == [(5, 1)]
    assert f.fix is not None
    assert f.fix.safe
    fixed = apply_fixes(SEED.read_text("utf-8"), ours).text
    assert fixed.count(SEED.read_text("utf-8").splitlines()[4]) == 1
    assert textqa.check(fixed, select=["repetition"]) == []


def test_seed_has_no_other_repetition_at_any_setting() -> None:
    doc = textqa.parse(SEED.read_text("utf-8"), str(SEED))
    codes = {f.code for f in textqa.check(doc, select=["TQ2"])}
    assert codes == {"TQ201"}
    assert near_repeated_paragraphs(doc) == []


def test_repeat_key_ignores_whitespace_and_case_only() -> None:
    text = f"{PARA}\n\nOther words here.\n\n  {PARA.upper().replace(' ', '   ')}\n"
    assert _codes(textqa.check(text, select=["TQ201"])) == [("TQ201", "5:3")]
    changed = PARA.replace("budget", "budgets")
    assert textqa.check(f"{PARA}\n\n{changed}\n", select=["TQ201"]) == []
    assert repetition_key("a\u00a0b\u2003c\r\nd") == "a b c d"


def test_code_blocks_and_short_paragraphs_do_not_count() -> None:
    code = "```\nfor x in range(10): print(x) and more code\n```"
    md = f"{code}\n\n{code}\n\nSee also\n\nSee also\n"
    assert textqa.check(md, path="a.md", select=["TQ2"]) == []
    block = "Example::\n\n    x = 1 + two + three + four\n"
    rst = f"{block}\nText.\n\n{block}"
    assert textqa.check(rst, path="a.rst", select=["TQ201"]) == []


def test_min_words_setting() -> None:
    text = "Short but repeated.\n\nShort but repeated.\n"
    assert textqa.check(text, select=["TQ201"]) == []
    settings = textqa.Settings(select=("TQ201",), thresholds={"repeated_paragraph_min_words": 2})
    assert _codes(textqa.check(text, settings=settings)) == [("TQ201", "3:1")]


def test_three_copies_all_removed_in_one_pass() -> None:
    text = f"{PARA}\n\n{PARA}\n\n{PARA}\n"
    findings = textqa.check(text, select=["TQ201"])
    assert [f.related[0].line for f in findings] == [1, 1]
    assert apply_fixes(text, findings).text == f"{PARA}\n"


def test_fix_keeps_crlf_and_surroundings() -> None:
    text = f"Intro line here.\r\n\r\n{PARA}\r\n\r\n{PARA}\r\n\r\nEnd.\r\n"
    fixed = apply_fixes(text, textqa.check(text, select=["TQ201"])).text
    assert fixed == f"Intro line here.\r\n\r\n{PARA}\r\n\r\nEnd.\r\n"


# -- TQ202 ---------------------------------------------------------------------------------
def test_near_repeat_message_and_threshold() -> None:
    near = PARA.replace("Tuesday", "Monday")
    findings = textqa.check(f"{PARA}\n\n{near}\n", select=["TQ202"])
    assert _codes(findings) == [("TQ202", "3:1")]
    assert "% similar to the paragraph at line 1" in findings[0].message
    assert 0.9 <= findings[0].confidence < 1
    strict = textqa.Settings(select=("TQ202",), thresholds={"near_repeat_ratio": 0.99})
    assert textqa.check(f"{PARA}\n\n{near}\n", settings=strict) == []


def test_near_repeat_needs_eight_words_and_skips_exact() -> None:
    short = "Seven words are not quite enough here."
    assert textqa.check(f"{short}\n\n{short[:-1]}!\n", select=["TQ202"]) == []
    assert textqa.check(f"{PARA}\n\n{PARA}\n", select=["TQ202"]) == []


# -- TQ203 ---------------------------------------------------------------------------------
def test_repeated_line_ignores_punctuation_blank_and_table_rules() -> None:
    md = (
        "| name | value |\n|------|-------|\n| a long cell with words | 1 |\n\n"
        "| name | value |\n|------|-------|\n| a long cell with words | 1 |\n\n"
        "-----\n\n-----\n"
    )
    got = textqa.check(md, path="t.md", select=["TQ203"])
    assert _codes(got) == [("TQ203", "7:1")]
    assert got[0].fix is not None
    assert not got[0].fix.safe


def test_repeated_line_off_by_default() -> None:
    text = "a line with enough words\nother\na line with enough words\n"
    assert textqa.check(text) == []
    assert _codes(textqa.check(text, select=["TQ203"])) == [("TQ203", "3:1")]


# -- TQ204 ---------------------------------------------------------------------------------
def _pages(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        p = tmp_path / f"page{i}.md"
        p.write_text(f"# Page {i}\n\nUnique body number {i} of this page.\n\n"
                     "Report a bug on the tracker.\n", "utf-8")
        paths.append(str(p))
    return paths


def test_boilerplate_needs_three_files(tmp_path: Path) -> None:
    paths = _pages(tmp_path, 3)
    got = textqa.check_paths(paths[:2], select=["TQ204"]).findings
    assert got == ()
    got = textqa.check_paths(paths, select=["TQ204"]).findings
    assert [(Path(f.path or "").name, str(f.start)) for f in got] == [
        ("page0.md", "5:1"), ("page1.md", "5:1"), ("page2.md", "5:1")
    ]
    assert got[0].related == ()
    assert got[1].related[0].path == paths[0]
    assert "occurs in 3 of 3 files" in got[1].message


def test_boilerplate_fraction_setting(tmp_path: Path) -> None:
    paths = _pages(tmp_path, 4)
    half = textqa.Settings(select=("TQ204",), thresholds={"boilerplate_min_docs": 0.5})
    assert len(textqa.check_paths(paths[:2], settings=half).findings) == 2
    many = textqa.Settings(select=("TQ204",), thresholds={"boilerplate_min_docs": 5})
    assert textqa.check_paths(paths, settings=many).findings == ()


def test_boilerplate_is_off_by_default(tmp_path: Path) -> None:
    assert textqa.check_paths(_pages(tmp_path, 4)).findings == ()


def test_cli_check_extend_select_tq204(tmp_path: Path) -> None:
    paths = _pages(tmp_path, 3)
    proc = run_cli("check", "--select", "TQ204", *paths)
    assert proc.returncode == 1
    assert proc.stdout.decode().count("TQ204 boilerplate-paragraph") == 3


@pytest.mark.parametrize("code", ["TQ201", "TQ202", "TQ203", "TQ204"])
def test_rules_are_in_the_table(code: str) -> None:
    rule = textqa.rules.RULES_BY_CODE[code]  # type: ignore[attr-defined]
    assert rule.family == "repetition"
    assert rule.default == (code in {"TQ201", "TQ202"})


def test_repeats_across_sections_are_reference_style_not_slips() -> None:
    note = "The bytearray version of this method does not operate in place."
    rst = (
        f".. method:: bytes.lower()\n\n   Lower the case.\n\n   {note}\n\n"
        f".. method:: bytes.upper()\n\n   Upper the case.\n\n   {note}\n"
    )
    assert textqa.check(rst, path="a.rst", select=["TQ201", "TQ202"]) == []
    md = f"# One\n\n{note}\n\n# Two\n\n{note}\n"
    assert textqa.check(md, path="a.md", select=["TQ201"]) == []
    assert _codes(textqa.check(f"# One\n\n{note}\n\n{note}\n", path="a.md")) == [
        ("TQ201", "5:1")
    ]


def test_near_repeat_skips_parallel_list_items_but_exact_copies_count() -> None:
    a = "* Add a new PyType_GetName function to get the short name of the type."
    b = "* Add a new PyType_GetQualName function to get the qualified name of the type."
    assert textqa.check(f"{a}\n\n{b}\n", path="n.md", select=["TQ202"]) == []
    assert _codes(textqa.check(f"{a}\n\n{a}\n", path="n.md", select=["TQ201"])) == [
        ("TQ201", "3:1")
    ]


_titled = st.tuples(
    st.lists(
        st.one_of(
            repetitive_documents,
            st.sampled_from(
                ["Title", "=====", "  ---  ", "# Heading", "~~", "* item", "```", "x\ty", "\u3000"]
            ),
        ),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
).map(lambda parts: parts[1].join(parts[0]))


@given(_titled, kinds)
def test_section_boundaries_equal_the_line_by_line_reference(text: str, kind: str) -> None:
    from textqa.repetition import is_section_boundary

    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    assert [is_section_boundary(doc, p) for p in doc.paragraphs] == [
        _ref_boundary(doc, p) for p in doc.paragraphs
    ]


def test_paragraphs_differing_only_inside_markup_are_not_near_repeats() -> None:
    first = (
        "When a :class:`Maildir` instance is created based upon a :class:`MHMessage`"
        " instance, the following conversions take place for the flags and the sequences."
    )
    second = first.replace("Maildir", "mbox").replace("MHMessage", "BabylMessage")
    edited = first.replace("following", "next").replace("flags", "labels")
    doc = textqa.parse(f"{first}\n\n{second}\n", kind="rst")
    assert near_repeated_paragraphs(doc) == []
    doc = textqa.parse(f"{first}\n\n{edited}\n", kind="rst")
    assert [(p.index, q.index) for p, q, _ in near_repeated_paragraphs(doc)] == [(1, 0)]


def test_repeats_in_different_blocks_are_parallel_entries_not_slips() -> None:
    see = "See the typing module and PEP 484, which describe this functionality."
    glossary = (
        "Glossary\n========\n\n"
        f"type alias\n   A synonym for a type.\n\n   {see}\n\n"
        f"type hint\n   An annotation of a type.\n\n   {see}\n"
    )
    assert textqa.check(glossary, path="g.rst", select=["TQ201", "TQ202"]) == []
    # pasted twice inside one definition: one block, reported
    pasted = glossary.replace(f"   {see}\n\n", f"   {see}\n\n   {see}\n\n", 1)
    assert _codes(textqa.check(pasted, path="g.rst", select=["TQ201"])) == [("TQ201", "9:4")]
    item = "<major> is the major number of the Python version in use."
    md = f"- On Linux the name ends with it:\n\n  - {item}\n\n- On Windows:\n\n  - {item}\n"
    assert textqa.check(md, path="l.md", select=["TQ201"]) == []
    # outside lists, indentation makes no block in Markdown or plain text
    for path in ("p.md", "p.txt"):
        text = f"{PARA}\n\nOther words here.\n\n  {PARA}\n"
        assert _codes(textqa.check(text, path=path, select=["TQ201"])) == [("TQ201", "5:3")]


@pytest.mark.parametrize("value", [0, -2])
def test_boilerplate_min_docs_that_is_not_positive_is_a_config_error(
    tmp_path: Path, value: float
) -> None:
    (tmp_path / ".textqa.toml").write_text(
        f"thresholds = {{boilerplate_min_docs = {value}}}\n", "utf-8"
    )
    (tmp_path / "a.md").write_text("Home | About | Contact\n", "utf-8")
    proc = run_cli("check", "--extend-select", "TQ204", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "textqa: error: thresholds.boilerplate_min_docs: expected a count >= 1 or a fraction "
        f"in (0, 1), got {value}\n"
    )


def test_a_repeat_that_opens_a_block_has_an_unsafe_fix() -> None:
    term = "A term line with more than five words"
    text = f"{term}\n\n{term}\n\n   Its definition, indented under the repeated term.\n"
    (found,) = textqa.check(text, path="d.rst", select=["TQ201"])
    assert found.fix is not None
    assert not found.fix.safe
    assert apply_fixes(text, [found]).text == text
    plain = f"{term}\n\n{term}\n\nA paragraph after it at the same level.\n"
    (found,) = textqa.check(plain, path="d.rst", select=["TQ201"])
    assert found.fix is not None
    assert found.fix.safe

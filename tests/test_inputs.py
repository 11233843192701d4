"""Reading inputs: stdin, --exclude, .gitignore, symbolic links, --jobs, many files."""

from __future__ import annotations

import fnmatch
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textqa.cli import main
from textqa.globs import PathMatcher
from textqa.sources import iter_files

from .conftest import SRC
from .fake_family import fake_rules  # noqa: F401 -- fixture


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")


@given(
    st.text("ab-![]*?^\\", max_size=8),
    st.text("ab.-!^[]\\&|~", min_size=1, max_size=6).filter(lambda n: n != "."),
)
@example("[!]", "a")  # a "[" that opens no class
@example("[b-a]", "a")  # an empty range
@example("[[]", "[")
def test_glob_names_match_as_fnmatch_reads_them(pattern: str, name: str) -> None:
    # classes, negation, "]" first, empty ranges, unterminated "[": as fnmatch (the oracle);
    # never an exception from the regular expression behind the glob
    assert PathMatcher([pattern]).matches(name) == fnmatch.fnmatchcase(name, pattern)


def test_exclude_globs(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.md": "", "build/b.md": "", "docs/c.rst": "", "docs/old/d.md": ""})
    found = list(iter_files([str(tmp_path)], exclude=PathMatcher(["build", "docs/old"]),
                            root=str(tmp_path)))
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == ["a.md", "docs/c.rst"]
    # an explicitly named file is excluded too (pre-commit passes file names)
    assert list(iter_files([str(tmp_path / "build/b.md")], exclude=PathMatcher(["build"]),
                           root=str(tmp_path))) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_gitignore_inside_a_work_tree(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _tree(tmp_path, {".gitignore": "out/\n*.log.md\n", "a.md": "", "out/b.md": "",
                     "x.log.md": "", "sub/c.md": ""})
    found = [Path(p).relative_to(tmp_path).as_posix() for p in iter_files([str(tmp_path)])]
    assert found == ["a.md", "sub/c.md"]
    every = [Path(p).relative_to(tmp_path).as_posix()
             for p in iter_files([str(tmp_path)], gitignore=False)]
    assert sorted(every) == ["a.md", "out/b.md", "sub/c.md", "x.log.md"]


def test_outside_a_work_tree_nothing_is_git_ignored(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "*.md\n", "a.md": ""})
    if any((p / ".git").exists() for p in tmp_path.parents):
        pytest.skip("temporary folder inside a git work tree")
    assert [Path(p).name for p in iter_files([str(tmp_path)])] == ["a.md"]


@pytest.mark.usefixtures("fake_rules")
def test_symlinks_out_of_the_tree_are_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    _tree(outside, {"secret.md": "teh\n", "dir/x.md": "teh\n"})
    _tree(tree, {"a.md": "fine\n"})
    (tree / "link.md").symlink_to(outside / "secret.md")
    (tree / "linkdir").symlink_to(outside / "dir")
    (tree / "loop").symlink_to(tree)
    assert main(["check", str(tree)]) == 0
    err = capsys.readouterr().err
    assert f"{tree / 'link.md'}: skipped: symbolic link out of the tree; not followed" in err
    assert f"{tree / 'linkdir'}: skipped: symbolic link out of the tree" in err
    assert "loop" not in err
    assert (outside / "secret.md").read_text("utf-8") == "teh\n"
    assert main(["check", "--fix", str(tree)]) == 0
    assert (outside / "secret.md").read_text("utf-8") == "teh\n"  # never written through


@pytest.mark.usefixtures("fake_rules")
def test_stdin_filename_picks_kind_and_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    data = b"`teh` <!-- textqa: ignore -->\nteh\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "--stdin-filename", "docs/x.md", "-"]) == 1
    out = capsys.readouterr().out
    assert out == "docs/x.md:2:1: TQ100 invalid-encoding: fake: 'teh' -> 'the'\n"


def test_jobs_give_identical_results(tmp_path: Path) -> None:
    # letters, not digits: near-duplicate hashing folds every digit to 0 (dedup-key profile)
    def spell(n: int) -> str:
        return "".join(chr(ord("a") + int(d)) for d in str(n))

    words = [f"word{spell(i)}" for i in range(80)]
    for i in range(40):
        data = b"ok\n" * (i % 3) + (b"\xff\n" if i % 2 else b"")
        if i % 5 == 0:  # near-duplicate files: the corpus rules see every document
            data = " ".join([*words[:70], f"edit{spell(i)}"]).encode() + b"\n"
        (tmp_path / f"f{i:02}.txt").write_bytes(data)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    outs = [
        subprocess.run([sys.executable, "-m", "textqa", "check", *extra, str(tmp_path)],
                       capture_output=True, env=env, check=False)
        for extra in ([], ["--jobs", "2"], ["-j", "3"])
    ]
    assert {o.returncode for o in outs} == {1}
    assert outs[0].stdout.count(b"TQ100") == 16
    assert b"TQ301" in outs[0].stdout  # the near-duplicates were compared across workers
    assert outs[0].stdout == outs[1].stdout == outs[2].stdout


def test_ten_thousand_small_files_with_few_handles(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for d in range(10):
        sub = root / f"d{d}"
        sub.mkdir(parents=True)
        for i in range(1000):
            (sub / f"f{i:04}.txt").write_bytes(b"\xff\n" if i == 7 else b"fine text\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def few_handles() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    proc = subprocess.run(
        [sys.executable, "-m", "textqa", "check", "--select", "TQ100", str(root)],
        capture_output=True, env=env, preexec_fn=few_handles, check=False, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    assert proc.stdout.count(b"TQ100") == 10
    assert proc.stderr == b""


def test_api_takes_one_path_and_comma_separated_selectors_as_strings(tmp_path: Path) -> None:
    import textqa

    _tree(tmp_path, {"a.txt": "teh cat sat on the the mat\n"})
    both = [(f.code, f.start.column) for f in textqa.check_paths([str(tmp_path)]).findings]
    assert both == [("TQ401", 1), ("TQ404", 16)]
    one = textqa.check_paths(str(tmp_path), select="TQ401, TQ404", ignore="TQ404")
    assert [(f.code, f.start.column) for f in one.findings] == [("TQ401", 1)]
    text = "teh cat sat on the the mat\n"
    assert [f.code for f in textqa.check(text, select="spelling", ignore="TQ401")] == ["TQ404"]


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 000 does not stop root, so the refusal is simulated where the walk lists folders
    _tree(tmp_path, {"a.txt": "teh\n", "locked/b.txt": "teh\n"})
    real = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str = ".") -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith(f"{tmp_path / 'a.txt'}:1:1: TQ401 misspelling")
    assert out.out.count("\n") == 1
    assert out.err == f"textqa: warning: {locked}: skipped: cannot be read (Permission denied)\n"


def test_a_file_named_twice_is_checked_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # named twice, or named and inside a named folder: one set of findings, and no
    # near-duplicate-file finding against itself
    text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(120))
    _tree(tmp_path, {"docs/a.txt": "teh cat\n", "docs/b.txt": text + "\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "docs/a.txt", "docs", "./docs/a.txt", "./docs"]) == 1
    assert capsys.readouterr().out == (
        "docs/a.txt:1:1: TQ401 misspelling: 'teh' is a common misspelling of 'the'\n"
    )
    assert list(iter_files(["docs", "docs/b.txt", "docs/../docs"])) == [
        os.path.join("docs", "a.txt"), os.path.join("docs", "b.txt")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_pipes_met_while_walking_are_skipped_not_read(tmp_path: Path) -> None:
    # opening a FIFO for reading waits for a writer: walking into one must not hang
    _tree(tmp_path, {"a.txt": "teh cat\n"})
    os.mkfifo(tmp_path / "pipe")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for command in ("check", "stats", "dedup", "boilerplate"):
        proc = subprocess.run(
            [sys.executable, "-m", "textqa", command, str(tmp_path)],
            capture_output=True, env=env, check=False, timeout=60,
        )
        assert proc.returncode in (0, 1), (command, proc.stderr)
        assert b"Traceback" not in proc.stderr
    assert proc.returncode == 0
    check = subprocess.run(
        [sys.executable, "-m", "textqa", "check", str(tmp_path)],
        capture_output=True, env=env, check=False, timeout=60,
    )
    assert check.returncode == 1
    assert check.stderr.decode() == (
        f"textqa: warning: {tmp_path / 'pipe'}: skipped: not a regular file "
        "(a pipe, socket or device)\n"
    )
    assert list(iter_files([str(tmp_path)])) == [str(tmp_path / "a.txt")]


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/fd")
def test_pipe_named_on_the_command_line_with_a_huge_size_limit() -> None:
    # '<(command)' with --max-file-size 10**30: read in chunks, not read(limit)
    from textqa.sources import read_source

    r, w = os.pipe()
    try:
        os.write(w, b"teh cat\n")
        os.close(w)
        got = read_source(f"/dev/fd/{r}", max_size=10**30)
    finally:
        os.close(r)
    assert getattr(got, "text", None) == "teh cat\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_device_is_read_only_up_to_the_size_limit() -> None:
    # a device or pipe has no size to check before reading: the read itself is bounded (in a
    # child with little memory, so that reading without a bound fails fast)
    def little_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run(
        [sys.executable, "-m", "textqa", "check", "--max-file-size", "1000", "/dev/zero"],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(SRC)},
        preexec_fn=little_memory, check=False, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stderr == (
        b"textqa: warning: /dev/zero: skipped: larger than 1,000 bytes; "
        b"raise --max-file-size to check it\n"
    )


def test_file_changing_while_read_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from textqa import sources

    f = tmp_path / "live.md"
    f.write_text("first version\n", "utf-8")
    real = os.stat

    def append_then_stat(path: str) -> os.stat_result:
        with open(path, "a", encoding="utf-8") as fh:  # an editor saving meanwhile
            fh.write("more text\n")
        return real(path)

    monkeypatch.setattr(sources, "_restat", append_then_stat)
    assert main(["check", str(f)]) == 0
    assert capsys.readouterr().err == (
        f"textqa: warning: {f}: skipped: changed while being read; not checked "
        "(run textqa again)\n"
    )
    monkeypatch.setattr(sources, "_restat", real)
    assert main(["check", str(f)]) == 0
    assert capsys.readouterr().err == ""


def test_jobs_feed_every_corpus_rule_from_the_workers(tmp_path: Path) -> None:
    """TQ204, TQ301 and TQ402 (the corpus rules) give the same findings whether the documents
    are summarized in worker processes or parsed in this one."""
    from textqa.check import check_paths
    from textqa.config import Settings

    footer = "Questions about this page go to the documentation team at the usual address."
    body = " ".join(f"paragraph{chr(97 + i % 26)}{chr(97 + i // 26)} text" for i in range(40))
    for i in range(12):
        parts = [f"Page {i} talks about its own topic number {i} in a sentence or two.", footer]
        if i % 4 == 0:
            parts.append(body)  # near-duplicate files
        if i == 5:
            parts.append("A lonely sentnce slipped into this part of the page.")  # TQ402
        (tmp_path / f"p{i:02}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    settings = Settings(select=("ALL",), spelling="full")
    one = check_paths([str(tmp_path)], settings=settings, jobs=1)
    two = check_paths([str(tmp_path)], settings=settings, jobs=2)
    assert one == two
    assert {"TQ204", "TQ301", "TQ402"} <= {f.code for f in one.findings}

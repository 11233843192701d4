"""Measurement primitives shared by every suite: interleaved timing, peak memory in a fresh
process, whole-process commands, and peer detection.

Nothing here runs at import time and nothing heavy is imported at module level.

Timing (:func:`compare`)
    Every method is called once per round, in the same order each round (A B C A B C ...), so
    machine noise (other processes, frequency scaling, cache state) is spread over all methods
    instead of landing on whichever ran last. ``warmup`` rounds run first and are discarded.
    The result holds every sample and reports median, min and max per method; the headline is
    the ratio ``other_median / baseline_median`` (above 1: the baseline, normally textqa, is
    faster by that factor).

Memory (:func:`peak_memory`)
    ``peak_memory("benchmarks.suites.minhash:prepare_textqa", n=1000)`` starts a fresh Python
    process, imports the module, calls ``prepare_textqa(n=1000)`` which loads libraries and data
    and returns a zero-argument callable, records the resident set size (the *loaded baseline*),
    resets the kernel's peak-RSS counter, calls the callable and reports the peak RSS reached
    above that baseline. Arguments must be JSON-serialisable.

Peers (:func:`python_peer`, :func:`command_peer`)
    Return a :class:`Peer` whose ``note`` explains why it is unavailable (``None`` when it is
    available); a suite skips an unavailable peer and adds the note to its result, never
    crashes. ``TEXTQA_BENCH_DISABLE=codespell,typos`` marks peers unavailable on purpose (to
    test the skip path or to shorten a run).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "REPO",
    "SHARED",
    "CommandResult",
    "Comparison",
    "MemoryResult",
    "Peer",
    "Timing",
    "command",
    "command_peak_rss",
    "command_peer",
    "compare",
    "peak_memory",
    "python_env",
    "python_peer",
    "run_command",
    "venv_peer",
]

#: the repository root (the folder holding ``src/`` and ``benchmarks/``)
REPO = Path(__file__).resolve().parent.parent


def _find_shared() -> Path:
    """``$TEXTQA_SHARED``, else ``shared/`` next to the repository (or next to the folder
    holding it, for a git worktree kept one level down); the first candidate when none exists."""
    env = os.environ.get("TEXTQA_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", REPO.parent.parent / "shared"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


#: the shared corpora and lexicons, next to the repository (may be absent)
SHARED = _find_shared()


# -- timing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timing:
    """All timed samples of one method, in seconds (warm-up excluded)."""

    name: str
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def to_dict(self) -> dict[str, Any]:
        return {
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "n": len(self.samples),
            "samples": list(self.samples),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of :func:`compare`: one :class:`Timing` per method, in call order."""

    name: str
    timings: Mapping[str, Timing]
    baseline: str
    #: what one call processes, e.g. ``{"documents": 1000, "bytes": 2_500_000}``
    work: Mapping[str, float] = field(default_factory=dict)

    def ratios(self) -> dict[str, float]:
        """``other_median / baseline_median`` for every other method (>1: baseline faster)."""
        base = self.timings[self.baseline].median
        return {
            name: (t.median / base if base > 0 else math.inf)
            for name, t in self.timings.items()
            if name != self.baseline
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``timings`` entry of a suite result (see ``benchmarks/README.md``)."""
        return {
            "name": self.name,
            "unit": "s",
            "baseline": self.baseline,
            "methods": {name: t.to_dict() for name, t in self.timings.items()},
            "ratios": self.ratios(),
            "work": dict(self.work),
        }


def compare(
    name: str,
    methods: Mapping[str, Callable[[], object]],
    *,
    baseline: str | None = None,
    repeat: int = 5,
    warmup: int = 1,
    work: Mapping[str, float] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Comparison:
    """Time ``methods`` interleaved: ``warmup`` discarded rounds, then ``repeat`` rounds in
    which each method is called once, in mapping order.

    ``baseline`` (default: the first method) is the denominator of :meth:`Comparison.ratios`.

    >>> calls = []
    >>> c = compare("demo", {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
    ...             repeat=2, warmup=1)
    >>> calls
    ['a', 'b', 'a', 'b', 'a', 'b']
    >>> c.timings["a"].samples.__len__(), sorted(c.ratios())
    (2, ['b'])
    """
    if not methods:
        raise ValueError("compare() needs at least one method")
    if repeat < 1 or warmup < 0:
        raise ValueError("repeat must be >= 1 and warmup >= 0")
    baseline = baseline if baseline is not None else next(iter(methods))
    if baseline not in methods:
        raise ValueError(f"baseline {baseline!r} is not one of the methods")
    samples: dict[str, list[float]] = {m: [] for m in methods}
    for round_no in range(warmup + repeat):
        for method, fn in methods.items():
            t0 = clock()
            fn()
            elapsed = clock() - t0
            if round_no >= warmup:
                samples[method].append(elapsed)
    return Comparison(
        name,
        {m: Timing(m, tuple(s)) for m, s in samples.items()},
        baseline,
        dict(work or {}),
    )


# -- whole-process commands -----------------------------------------------------------------


@functools.cache
def _byte_compile() -> None:
    """Write ``.pyc`` files for the package under test, as ``pip install`` does for every
    installed package. Without them (an editable checkout under ``PYTHONDONTWRITEBYTECODE``)
    each child process would recompile textqa from source while its peers load their
    ``.pyc`` files, and start-up figures would measure the compiler, not textqa."""
    import compileall

    compileall.compile_dir(str(REPO / "src" / "textqa"), quiet=1)


def python_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for child Python processes: this checkout's ``src/`` and the repository
    root first on ``PYTHONPATH`` (so the code under test is the working tree, not an installed
    copy, byte-compiled like an installed one), hash seed fixed, no user site packages."""
    _byte_compile()
    env = dict(os.environ)
    parts = [str(REPO / "src"), str(REPO)]
    if env.get("PYTHONPATH"):
        parts.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONNOUSERSITE"] = "1"
    env.pop("PYTHONSTARTUP", None)
    if extra:
        env.update(extra)
    return env


@dataclass(frozen=True, slots=True)
class CommandResult:
    """One finished child process: exit code, wall time and captured output."""

    argv: tuple[str, ...]
    returncode: int
    seconds: float
    stdout: bytes
    stderr: bytes


def run_command(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600.0,
) -> CommandResult:
    """Run a command to completion and measure its wall time.

    Output goes to temporary files read after exit, so a chatty command cannot block on a full
    pipe and reading its output is not part of the wall time.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status = os.waitpid(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        if status and os.WIFSIGNALED(status) and seconds >= timeout:
            raise TimeoutError(f"{argv[0]} did not finish within {timeout:.0f} s")
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CommandResult(tuple(argv), proc.returncode, seconds, out.read(), err.read())


#: GNU time, used by :func:`command_peak_rss`
GNU_TIME = "/usr/bin/time"


def command_peak_rss(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600.0,
) -> int | None:
    """Peak RSS in bytes of a whole command run once, or ``None`` when it cannot be measured.

    Measured with GNU ``time -f %M``, which forks the command from its own small process:
    the kernel's peak-RSS counter of a child starts at its parent's RSS at fork/exec time, so
    spawning directly from this (large) Python process would inflate small commands' figures.
    """
    if not (Path(GNU_TIME).is_file() and os.access(GNU_TIME, os.X_OK)):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as f:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", f.name, *argv],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        text = f.read().strip().splitlines()
    if proc.returncode < 0 or not text or not text[-1].isdigit():
        return None
    return int(text[-1]) * 1024


def command(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    ok: Sequence[int] = (0, 1),
    results: list[CommandResult] | None = None,
) -> Callable[[], CommandResult]:
    """A zero-argument callable for :func:`compare` that runs ``argv`` once; raises
    ``RuntimeError`` (with the command's stderr) when the exit code is not in ``ok``.
    Each finished run is appended to ``results`` when given (to read output or memory)."""

    def run() -> CommandResult:
        res = run_command(argv, cwd=cwd, env=env)
        if res.returncode not in ok:
            tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError(
                f"{' '.join(argv[:3])} ... exited {res.returncode}: {' | '.join(tail)}"
            )
        if results is not None:
            results.append(res)
        return res

    return run


# -- peak memory in a fresh process ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemoryResult:
    """Peak resident memory of one call, above the process's loaded baseline, in bytes."""

    target: str
    baseline_bytes: int
    peak_bytes: int
    method: str  # "clear_refs" (exact peak of the call) or "maxrss" (peak since start)

    @property
    def above_baseline_bytes(self) -> int:
        return max(0, self.peak_bytes - self.baseline_bytes)

    def to_dict(self) -> dict[str, Any]:
        mib = 1024 * 1024
        return {
            "peak_mib": self.above_baseline_bytes / mib,
            "baseline_mib": self.baseline_bytes / mib,
            "total_peak_mib": self.peak_bytes / mib,
            "method": self.method,
        }


_CHILD = r"""
import importlib, json, os, resource, sys

def status(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None

spec = json.loads(sys.stdin.read())
module, _, func = spec["target"].partition(":")
work = getattr(importlib.import_module(module), func)(**spec["kwargs"])
if not callable(work):
    raise SystemExit("prepare function must return a zero-argument callable")
baseline = status("VmRSS")
method = "maxrss"
if baseline is not None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
        method = "clear_refs"
    except OSError:
        pass
if method == "maxrss":
    scale = 1 if sys.platform == "darwin" else 1024
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
work()
if method == "clear_refs":
    peak = status("VmHWM")
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
sys.stdout.write("\n" + json.dumps({"baseline": baseline, "peak": peak, "method": method}))
"""


def peak_memory(target: str, /, *, timeout: float = 600.0, **kwargs: Any) -> MemoryResult:
    """Peak RSS of ``prepare(**kwargs)()`` above the loaded baseline, in a fresh process.

    ``target`` is ``"package.module:prepare"``; ``prepare`` loads whatever the measured call
    needs (imports, data) and returns a zero-argument callable doing the work. Raises
    ``RuntimeError`` with the child's stderr when the child fails.
    """
    if ":" not in target:
        raise ValueError(f"target must be 'module:function', got {target!r}")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps({"target": target, "kwargs": kwargs}),
        capture_output=True,
        text=True,
        env=python_env(),
        cwd=REPO,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"peak_memory({target}) failed: {tail}")
    data = json.loads(proc.stdout.rstrip().rsplit("\n", 1)[-1])
    return MemoryResult(target, int(data["baseline"]), int(data["peak"]), data["method"])


# -- peers ----------------------------------------------------------------------------------


def _disabled() -> set[str]:
    raw = os.environ.get("TEXTQA_BENCH_DISABLE", "")
    return {p.strip().lower() for p in raw.split(",") if p.strip()}


@dataclass(frozen=True, slots=True)
class Peer:
    """A peer library or tool. ``note`` is ``None`` when it is available, else why it is not.

    ``executable`` is set for command-line peers (and for venv peers: that venv's python).
    """

    name: str
    version: str | None = None
    executable: str | None = None
    note: str | None = None

    @property
    def available(self) -> bool:
        return self.note is None

    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


def _missing(name: str, how: str) -> Peer:
    if name.lower() in _disabled():
        return Peer(name, note=f"{name} skipped: disabled by TEXTQA_BENCH_DISABLE")
    return Peer(name, note=f"{name} skipped: not installed ({how})")


def _dist_version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def python_peer(dist: str, module: str | None = None) -> Peer:
    """A peer used as a Python library in this interpreter, found without importing it.

    >>> python_peer("surely-not-a-real-package-xyz").note
    "surely-not-a-real-package-xyz skipped: not installed (pip install 'textqa[bench]')"
    """
    module = module or dist.replace("-", "_")
    if dist.lower() in _disabled():
        return _missing(dist, "")
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        return _missing(dist, "pip install 'textqa[bench]'")
    return Peer(dist, _dist_version(dist))


def command_peer(name: str, *, dist: str | None = None) -> Peer:
    """A peer run as a command: looked up next to this Python first (the environment's scripts
    folder, bypassing shell shims such as pyenv's), then on ``PATH``."""
    if name.lower() in _disabled():
        return _missing(name, "")
    scripts = Path(sysconfig.get_path("scripts"))
    candidates = [scripts / name, scripts / f"{name}.exe"]
    exe = next((str(c) for c in candidates if c.is_file() and os.access(c, os.X_OK)), None)
    exe = exe or shutil.which(name)
    if exe is None:
        return _missing(name, "pip install 'textqa[bench]'")
    return Peer(name, _dist_version(dist or name), exe)


def venv_peer(dist: str, *, env_var: str, default: str | None = None) -> Peer:
    """A peer too heavy for the main environment, installed in its own virtualenv: the
    interpreter is ``$env_var`` (or ``default``), and ``dist`` must import there.

    For example datatrove: ``python -m venv /tmp/venv-datatrove && /tmp/venv-datatrove/bin/pip
    install datatrove``, then ``TEXTQA_BENCH_DATATROVE_PYTHON=/tmp/venv-datatrove/bin/python``.
    """
    if dist.lower() in _disabled():
        return _missing(dist, "")
    python = os.environ.get(env_var) or default
    if not python or not Path(python).is_file():
        return Peer(dist, note=f"{dist} skipped: set {env_var} to a python that has it installed")
    module = dist.replace("-", "_")
    probe = subprocess.run(
        [python, "-c", f"import importlib.metadata as m, {module}; print(m.version({dist!r}))"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if probe.returncode != 0:
        return Peer(dist, note=f"{dist} skipped: cannot import it with {python}")
    return Peer(dist, probe.stdout.strip() or None, python)

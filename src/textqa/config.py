"""Settings shared by the library and the CLI, and the configuration files that build them.

`Settings` is the one place every tunable lives; the CLI and configuration files build one,
the library receives one. Rule families read the fields they own.

Configuration keys are the `Settings` fields written with dashes (``max-file-size`` for
``max_file_size``), plus the documented `ALIASES`; a family that adds a field gets its key for
free. Files: ``.textqa.toml`` (top-level keys) or the ``[tool.textqa]`` table of
``pyproject.toml``, found from the checked paths upwards (`find_config`).

>>> settings_from_mapping({"select": ["TQ1"], "max-file-size": 1000}).max_file_size
1000
>>> settings_from_mapping({"selct": ["TQ1"]})
Traceback (most recent call last):
  ...
textqa.errors.ConfigError: unknown key 'selct'; did you mean 'select'?
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from textqa.errors import ConfigError
from textqa.rules import THRESHOLDS, resolve_selection, threshold_key

__all__ = [
    "ALIASES",
    "CONFIG_FILES",
    "DEFAULT_MAX_FILE_SIZE",
    "ConfigFile",
    "Settings",
    "config_keys",
    "find_config",
    "load_config",
    "settings_from_mapping",
    "settings_to_mapping",
]

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes what `textqa check` reports.

    >>> Settings(select=("TQ100",)).enabled
    frozenset({'TQ100'})
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    #: spelling mode: ``strict`` (table, stutters, doubled words, articles) or ``full``
    spelling: Literal["strict", "full"] = "strict"
    #: ``en`` accepts American and British spellings; ``en-US``/``en-GB`` flag the other variant
    language: Literal["en", "en-US", "en-GB"] = "en"
    #: extra vocabulary: words never reported by spelling rules
    words: tuple[str, ...] = ()
    #: a file of extra vocabulary, one word per line (``#`` starts a comment)
    words_file: str | None = None
    #: files larger than this many bytes are skipped with a warning
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: family-specific thresholds, by key (see each rule's documentation)
    thresholds: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    #: (glob, rule selectors) pairs: rules turned off for the files a glob matches
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: globs of files and folders not to check (see `textqa.globs`)
    exclude: tuple[str, ...] = ()
    #: report ``textqa: ignore`` comments that suppressed nothing (as TQ001 findings)
    report_unused_ignores: bool = False
    #: the folder that ``exclude`` and ``per-file-ignores`` globs are relative to
    #: (the configuration file's folder; the current directory when None)
    root: str | None = None

    @property
    def enabled(self) -> frozenset[str]:
        """The enabled rule codes. ``spelling="full"`` adds TQ402 (unknown-word) whenever another
        spelling rule is enabled, unless TQ402 is ignored; in ``strict`` mode TQ402 runs only when
        selected by its code or name (not by ``TQ4``, ``spelling`` or ``ALL``).

        >>> sorted(Settings(select=("spelling",)).enabled)
        ['TQ401', 'TQ403', 'TQ404', 'TQ405']
        >>> "TQ402" in Settings(select=("spelling",), spelling="full").enabled
        True
        """
        enabled = resolve_selection(self.select, self.ignore, self.extend_select)
        if self.spelling == "strict" and "TQ402" in enabled:
            named = {s.strip().upper() for s in (*(self.select or ()), *self.extend_select)}
            if not named & {"TQ402", "UNKNOWN-WORD"}:
                enabled = enabled - {"TQ402"}
        if (
            self.spelling == "full"
            and "TQ402" not in enabled
            and any(c.startswith("TQ4") for c in enabled)
            and resolve_selection(["TQ402"], self.ignore)
        ):
            enabled = enabled | {"TQ402"}
        return enabled

    def threshold(self, key: str, default: float) -> float:
        return float(self.thresholds.get(key, default))


# -- configuration files -------------------------------------------------------------------------

#: file names searched in each folder, in order; ``pyproject.toml`` counts only with [tool.textqa]
CONFIG_FILES = (".textqa.toml", "pyproject.toml")

#: extra key spellings accepted in configuration files -> the key they stand for
ALIASES: dict[str, str] = {
    "extend-ignore": "ignore",
    "extend-exclude": "exclude",
}

#: fields that are not configuration keys (set by the loader itself)
_NOT_KEYS = frozenset({"root"})


def config_keys() -> list[str]:
    """Every valid key (dashed field names), in field order.

    >>> config_keys()[:3]
    ['select', 'ignore', 'extend-select']
    """
    fields = dataclasses.fields(Settings)
    return [f.name.replace("_", "-") for f in fields if f.name not in _NOT_KEYS]


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A configuration file found or named: its path and its textqa table."""

    path: str
    values: Mapping[str, Any]

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def _read_toml(path: str) -> dict[str, Any]:
    import tomllib  # noqa: PLC0415 -- only when a configuration file exists (start-up cost)

    try:
        with open(path, "rb") as fh:
            # "utf-8-sig": editors on Windows save a byte order mark, which tomllib refuses
            return tomllib.loads(fh.read().decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: invalid TOML: not UTF-8 (byte 0x{exc.object[exc.start]:02X} at offset "
            f"{exc.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(path: str) -> ConfigFile:
    """Read one configuration file (``pyproject.toml``: its ``[tool.textqa]`` table)."""
    data = _read_toml(path)
    tool = data.get("tool")
    if os.path.basename(path) == "pyproject.toml":
        table = tool.get("textqa", {}) if isinstance(tool, dict) else {}
    elif set(data) == {"tool"} and isinstance(tool, dict) and "textqa" in tool:
        table = tool["textqa"]
    else:
        return ConfigFile(path, data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.textqa] must be a table")
    return ConfigFile(path, table)


def _has_textqa_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            raw = fh.read()
    except OSError:
        return False
    if b"textqa" not in raw:  # cheap test first: most pyproject.toml files are not ours
        return False
    import tomllib  # noqa: PLC0415 -- start-up cost

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # broken, but meant for us: say so (load_config reports the error) rather than run
        # silently without the settings
        return re.search(rb"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*textqa\b", raw, re.M) is not None
    tool = data.get("tool")
    return isinstance(tool, dict) and "textqa" in tool


def find_config(paths: Iterable[str]) -> str | None:
    """The configuration file for a run over ``paths``: the nearest ``.textqa.toml`` or
    ``pyproject.toml`` with a ``[tool.textqa]`` table, searched from the checked paths' common
    folder upwards to the file-system root. None when there is none."""
    folders = []
    for p in paths:
        ap = os.path.abspath(os.getcwd() if p == "-" else p)
        folders.append(ap if os.path.isdir(ap) else os.path.dirname(ap))
    if not folders:
        folders = [os.getcwd()]
    try:
        start = os.path.commonpath(folders)
    except ValueError:  # different drives on Windows
        start = folders[0]
    current = start
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(current, name)
            if os.path.isfile(candidate) and (
                name != "pyproject.toml" or _has_textqa_table(candidate)
            ):
                return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# -- values <-> Settings ------------------------------------------------------------------------
def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " or ".join(repr(a) for a in typing.get_args(tp))
    if origin in (tuple, list):
        return "a list of strings"
    if origin is dict:
        return "a table"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is str:
        return "a string"
    return str(tp)


def _convert(key: str, value: Any, tp: Any) -> Any:
    """Check and convert one TOML value to the field type ``tp``."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    bad = ConfigError(f"{key}: expected {_type_name(tp)}, got {value!r}")
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        for a in inner:
            try:
                return _convert(key, value, a)
            except ConfigError:
                continue
        raise ConfigError(
            f"{key}: expected {' or '.join(_type_name(a) for a in inner)}, got {value!r}"
        )
    if origin is Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise ConfigError(f"{key}: expected one of {choices}, got {value!r}")
        return value
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if typing.get_origin(item) is tuple:  # (glob, selectors) pairs from a table
            if not isinstance(value, dict):
                raise ConfigError(f"{key}: expected a table of glob = [rules], got {value!r}")
            pairs = []
            for glob, codes in value.items():
                sub = _convert(f"{key}.{glob}", codes, tuple[str, ...])
                pairs.append((str(glob), sub))
            return tuple(pairs)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise bad
        return tuple(_convert(f"{key}[{i}]", v, item) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise bad
        vt = args[1] if len(args) == 2 else Any
        return {str(k): _convert(f"{key}.{k}", v, vt) for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        if not math.isfinite(value):  # TOML's inf and nan: no threshold means them
            raise ConfigError(f"{key}: expected a finite number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise bad
        return value
    return value


def _field_types() -> dict[str, Any]:
    return typing.get_type_hints(Settings)


def _canonical(key: str) -> str | None:
    dashed = key.replace("_", "-")
    dashed = ALIASES.get(dashed, dashed)
    return dashed if dashed in config_keys() else None


def settings_from_mapping(
    values: Mapping[str, Any], *, root: str | None = None, source: str | None = None
) -> Settings:
    """Build `Settings` from configuration keys; unknown keys and bad values are `ConfigError`
    naming the key (and ``source``, the file) and, for an unknown key, the closest valid one."""
    where = f"{source}: " if source else ""
    kwargs: dict[str, Any] = {}
    hints = _field_types()
    for key, value in values.items():
        canon = _canonical(key)
        if canon is None:
            valid = config_keys() + list(ALIASES)
            raise _unknown(f"{where}unknown key {key!r}", key, valid)
        name = canon.replace("-", "_")
        try:
            converted = _convert(canon, value, hints[name])
        except ConfigError as exc:
            raise ConfigError(f"{where}{exc}") from None
        if name == "thresholds":
            converted = _threshold_keys(converted, where)
        if name in kwargs and isinstance(kwargs[name], tuple):
            converted = kwargs[name] + converted  # an alias adds to its key (extend-ignore)
        kwargs[name] = converted
    if root is not None:
        kwargs["root"] = root
    if kwargs.get("max_file_size", 1) < 1:  # as --max-file-size: a limit that skips every file
        raise ConfigError(
            f"{where}max-file-size: expected a positive integer, got {kwargs['max_file_size']!r}"
        )
    settings = Settings(**kwargs)
    try:
        settings.enabled  # noqa: B018 -- validate rule selectors now, with the file's name
        for _glob, codes in settings.per_file_ignores:
            resolve_selection([], (), codes)
    except ValueError as exc:
        raise ConfigError(f"{where}{exc}") from None
    return settings


def _unknown(message: str, key: str, valid: list[str]) -> ConfigError:
    """``message`` with the valid key closest to ``key`` (dashes and underscores alike), or
    the list of valid keys when none is close."""
    import difflib  # noqa: PLC0415 -- only for the error message

    by_dashed = {v.replace("_", "-"): v for v in valid}
    close = difflib.get_close_matches(key.replace("_", "-"), list(by_dashed), n=1, cutoff=0.6)
    if close:
        return ConfigError(f"{message}; did you mean {by_dashed[close[0]]!r}?")
    return ConfigError(f"{message}; valid keys: {', '.join(valid)}")


def _threshold_keys(values: dict[str, float], where: str) -> dict[str, float]:
    """``values`` under the keys the rule families read (`textqa.rules.THRESHOLDS`; dashes and
    underscores alike); an unknown key is a `ConfigError` naming the closest valid one."""
    out: dict[str, float] = {}
    for key, value in values.items():
        canon = threshold_key(key)
        if canon is None:
            valid = [t.key for t in THRESHOLDS]
            raise _unknown(f"{where}unknown threshold 'thresholds.{key}'", key, valid)
        out[canon] = value
    return out


def settings_to_mapping(settings: Settings) -> dict[str, Any]:
    """The configuration keys and values of ``settings`` (the inverse of `settings_from_mapping`).

    >>> settings_to_mapping(Settings(ignore=("TQ100",)))["ignore"]
    ['TQ100']
    """
    out: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name in _NOT_KEYS:
            continue
        value = getattr(settings, f.name)
        if f.name == "per_file_ignores":
            value = {glob: list(codes) for glob, codes in value}
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(sorted(value.items()))
        out[f.name.replace("_", "-")] = value
    return out

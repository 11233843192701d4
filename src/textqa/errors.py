"""Exceptions. A text-quality problem is a finding, never an exception; these are for bad
arguments, unreadable inputs and bad configuration. Each message says what to do next."""

from __future__ import annotations

__all__ = ["ConfigError", "InputError", "TextQAError", "UsageError"]


class TextQAError(Exception):
    """Base class of every error textqa raises on purpose."""


class UsageError(TextQAError, ValueError):
    """A bad argument or option value."""


class ConfigError(TextQAError, ValueError):
    """A bad configuration file or key."""


class InputError(TextQAError, OSError):
    """An input that cannot be read (missing path, unreadable file, malformed record)."""

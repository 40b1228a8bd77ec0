"""The one config error type, importable without pydantic (the CLI's error handler needs it on every run)."""

from __future__ import annotations


class ConfigError(Exception):
    """The configuration cannot be used; nothing can be checked (exit 2)."""

"""What every config section shares: frozen pydantic models that keep unknown keys for reporting, and
the one error type."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConfigError(Exception):
    """The configuration cannot be used; nothing can be checked (exit 2)."""


class Section(BaseModel):
    # extra="allow" so unknown keys survive validation and can be reported as warnings, not errors.
    model_config = ConfigDict(extra="allow", frozen=True)

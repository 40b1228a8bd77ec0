"""What every config section shares: frozen pydantic models that keep unknown keys for reporting, and
the one error type."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from dataops_ci.config.errors import ConfigError

__all__ = ["ConfigError", "Section"]


class Section(BaseModel):
    # extra="allow" so unknown keys survive validation and can be reported as warnings, not errors.
    model_config = ConfigDict(extra="allow", frozen=True)

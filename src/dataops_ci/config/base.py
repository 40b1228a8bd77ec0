"""What every config section shares: frozen pydantic models that take no unknown key, and the one error
type. (The loader finds unknown keys first, with their lines and the closest known key: `strict`.)"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from dataops_ci.config.errors import ConfigError

__all__ = ["ConfigError", "Section"]


class Section(BaseModel):
    # extra="forbid": a safety net behind `strict.unknown_keys`, which names the key, its line and a guess.
    model_config = ConfigDict(extra="forbid", frozen=True)

"""A validated config as plain data, and a read-only view of it that reads like the pydantic models.

What the config cache stores and hands back on a hit: the values of every declared field of the validated
`Config` (recursively), so a warm run reads `config.schemas.compatibility` without importing pydantic (its
import alone costs several bare Python start-ups on the pre-commit path). Never imports pydantic itself.

Encoding (JSON): a model is `{"$model": {field: value}}`, a date `{"$date": "2027-01-31"}`, a tuple
`{"$tuple": [...]}`; a plain dict
with a `$`-key is wrapped as `{"$dict": {...}}`, so no value from the config file can pass for a tag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


class FrozenView:
    """Attribute access over one model's field values; equal views have equal values."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrozenView) and self._fields == other._fields

    def __hash__(self) -> int:
        return hash(tuple(self._fields))

    def __repr__(self) -> str:
        return f"FrozenView({self._fields!r})"

    def model_copy(self, *, update: dict[str, Any] | None = None) -> FrozenView:
        """What pydantic's frozen models offer for a changed copy (callers use it on config sections)."""
        return FrozenView({**self._fields, **(update or {})})


def dump(model: Any) -> Any:
    """The declared fields of a pydantic model (recursively) as taggable plain data; unknown keys are not
    kept (they were reported as warnings, which are a declared field)."""
    if hasattr(type(model), "model_fields"):
        return {"$model": {name: dump(getattr(model, name)) for name in type(model).model_fields}}
    if isinstance(model, dt.date):
        return {"$date": model.isoformat()}
    if isinstance(model, dict):
        plain = {str(k): dump(v) for k, v in model.items()}
        return {"$dict": plain} if any(k.startswith("$") for k in plain) else plain
    if isinstance(model, tuple):
        return {"$tuple": [dump(v) for v in model]}
    if isinstance(model, list):
        return [dump(v) for v in model]
    return model


def load(data: Any) -> Any:
    """The inverse of `dump`: models become FrozenViews, dates dates, tuples tuples."""
    if isinstance(data, list):
        return [load(v) for v in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1 and "$date" in data:
        return dt.date.fromisoformat(data["$date"])
    if len(data) == 1 and "$dict" in data:
        return {k: load(v) for k, v in data["$dict"].items()}
    if len(data) == 1 and "$tuple" in data:
        return tuple(load(v) for v in data["$tuple"])
    if len(data) == 1 and "$model" in data:
        return FrozenView({k: load(v) for k, v in data["$model"].items()})
    return {k: load(v) for k, v in data.items()}

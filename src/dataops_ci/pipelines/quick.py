"""Pipeline definitions in their plain shape, accepted without pydantic: the fast path of validation.

Why: the `pipeline-lint` hook validates every pipeline definition on each commit, and importing pydantic
and building the models (`pipelines.model`) costs about ten bare Python start-ups, far more than the check.
Most definitions are plain: strings without surrounding blanks, numbers as numbers, lists as lists. For
those, `accept` gives the values `PipelineDef.model_validate` would (as a read-only `FrozenView`, like the
cached config) and the dotted names of the unknown keys. Whatever it is not certain of (a coercion pydantic
would make, a value out of range, an unknown check type, a key that is not a string) makes it stand aside
with None, and the caller validates with pydantic, the only place an error message comes from. So this
module never rejects a definition and never words an error.

The tables mirror `pipelines.model` field by field; tests/pipelines/test_quick.py holds them against the
pydantic models and compares both on generated definitions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from dataops_ci.config.snapshot import FrozenView
from dataops_ci.pipelines.schedule import schedule_problem

_REQUIRED = object()
_SAFE_INT = 2**53  # beyond it, int -> float loses digits, and pydantic's own int range is not this module's


class _Unsure(Exception):
    """The value is not in the plain shape: pydantic decides."""


def _name(value: Any) -> str:
    """A non-empty string that `str_strip_whitespace` would leave as it is."""
    if type(value) is not str or not value or value != value.strip():
        raise _Unsure
    return value


def _text(value: Any) -> str | None:
    """An optional string (it may be empty) that `str_strip_whitespace` would leave as it is."""
    if value is not None and (type(value) is not str or value != value.strip()):
        raise _Unsure
    return value


def _optional_name(value: Any) -> str | None:
    return None if value is None else _name(value)


def _names(value: Any) -> list[str]:
    """One name or a list of them (`notify`, `reviewers`: a single string is a list of one)."""
    value = [value] if type(value) is str else value
    if type(value) is not list:
        raise _Unsure
    return [_name(v) for v in value]


def _columns(value: Any) -> list[str]:
    if type(value) is not list or not value:
        raise _Unsure
    return _names(value)


def _number(value: Any) -> float:
    if type(value) is int and abs(value) <= _SAFE_INT:
        return float(value)
    if type(value) is float and math.isfinite(value):
        return value
    raise _Unsure


def _optional_number(value: Any) -> float | None:
    return None if value is None else _number(value)


def _positive(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise _Unsure
    return number


def _fraction(value: Any) -> float:
    number = _number(value)
    if not 0 < number <= 1:
        raise _Unsure
    return number


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= _SAFE_INT:
        raise _Unsure
    return value


def _one_of(*allowed: str) -> Callable[[Any], str]:
    def literal(value: Any) -> str:
        if type(value) is not str or value not in allowed:
            raise _Unsure
        return value

    return literal


def _values(value: Any) -> list[Any]:
    """`accepted_values`: strings, numbers and booleans, each kept as its own type."""
    if type(value) is not list or not value:
        raise _Unsure
    for item in value:
        if type(item) is str:
            _text(item)
        elif type(item) is int:
            _count(abs(item))
        elif type(item) is float:
            _number(item)
        elif type(item) is not bool:
            raise _Unsure
    return list(value)


def _regex(value: Any) -> str:
    try:
        re.compile(_name(value))
    except re.error:
        raise _Unsure from None
    return str(value)


def _schedule(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or value != value.strip() or schedule_problem(value):
        raise _Unsure
    return value


def _optional_str(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise _Unsure
    return value


def _options(value: Any) -> dict[str, Any]:
    if type(value) is not dict or any(type(k) is not str for k in value):
        raise _Unsure
    return dict(value)


# input key -> (field name, rule, default); _REQUIRED: no default
Spec = dict[str, tuple[str, Callable[[Any], Any], Any]]

DATA_SOURCE: Spec = {
    "engine": ("engine", _one_of("pandas", "sql", "spark"), "pandas"),
    **{key: (key, _optional_str, None) for key in ("path", "format", "url", "table", "query")},
    "options": ("options", _options, {}),
}
CHECK_COMMON: Spec = {
    "notify": ("notify", _names, []),
    "severity": ("severity", _one_of("error", "warning"), "error"),
    "description": ("description", _text, None),
}
_THRESHOLD: Spec = {"threshold": ("threshold", _fraction, 1.0)}
_COLUMN: Spec = {"column": ("column", _name, _REQUIRED)}
CHECKS: dict[str, Spec] = {
    "completeness": {"columns": ("columns", _columns, _REQUIRED), **_THRESHOLD},
    "uniqueness": {"columns": ("columns", _columns, _REQUIRED), **_THRESHOLD},
    "row_count": {"min": ("min", _count, None), "max": ("max", _count, None)},
    "freshness": {**_COLUMN, "max_delay_hours": ("max_delay_hours", _positive, _REQUIRED)},
    "accepted_values": {**_COLUMN, "values": ("values", _values, _REQUIRED), **_THRESHOLD},
    "range": {**_COLUMN, "min": ("min", _optional_number, None), "max": ("max", _optional_number, None)}
    | _THRESHOLD,
    "pattern": {**_COLUMN, "regex": ("regex", _regex, _REQUIRED), **_THRESHOLD},
}
COLUMN_SHORTHAND = frozenset({"completeness", "uniqueness"})  # `column: x` means `columns: [x]`
BOUNDED = frozenset({"row_count", "range"})  # `min`, `max` or both, and min <= max


def accept(raw: dict[Any, Any]) -> tuple[FrozenView, list[str]] | None:
    """The validated definition and its unknown keys (dotted, as `config.unknown_keys` names them), or
    None when pydantic must decide."""
    walk = _Walk()
    try:
        return walk.model(walk.pipeline_spec(), raw, ""), walk.unknown
    except _Unsure:
        return None


def data_source(path: str) -> FrozenView:
    """`DataSource(path=path)`: the dataset named by a bare path."""
    return FrozenView({name: _default(default) for name, _, default in DATA_SOURCE.values()} | {"path": path})


class _Walk:
    """One definition's walk; collects unknown keys in the order `config.unknown_keys` lists them (a
    model's own first, then its fields' models in declaration order)."""

    def __init__(self) -> None:
        self.unknown: list[str] = []

    def pipeline_spec(self) -> Spec:
        return {
            "name": ("name", _name, _REQUIRED),
            "owner": ("owner", _name, _REQUIRED),
            "reviewers": ("reviewers", _names, []),
            "schedule": ("schedule", _schedule, None),
            "description": ("description", _text, None),
            "dataset": ("dataset", self.dataset, _REQUIRED),
            "quality_checks": ("quality_checks", self.checks, []),
        }

    def model(self, spec: Spec, raw: Any, prefix: str, extra: bool = True) -> FrozenView:
        if type(raw) is not dict or any(type(k) is not str for k in raw):
            raise _Unsure
        extras = [key for key in raw if key not in spec]
        if extras and not extra:
            raise _Unsure
        self.unknown += [prefix + key for key in extras]
        fields = {}
        for key, (name, rule, default) in spec.items():
            if key in raw:
                fields[name] = rule(raw[key])
            elif default is _REQUIRED:
                raise _Unsure
            else:
                fields[name] = _default(default)
        return FrozenView(fields)

    def dataset(self, value: Any) -> FrozenView:
        value = {"data": value} if type(value) is str else value
        if type(value) is dict and "schema_file" in value:  # the field's own name, besides its alias
            raise _Unsure
        spec: Spec = {"data": ("data", self.data, _REQUIRED), "schema": ("schema_file", _optional_name, None)}
        return self.model(spec, value, "dataset.")

    def data(self, value: Any) -> str | FrozenView:
        return _name(value) if type(value) is str else self.model(DATA_SOURCE, value, "", extra=False)

    def checks(self, value: Any) -> list[FrozenView]:
        if type(value) is not list:
            raise _Unsure
        return [self.check(index, item) for index, item in enumerate(value)]

    def check(self, index: int, raw: Any) -> FrozenView:
        kind = raw.get("type") if type(raw) is dict else None
        if type(kind) is not str or kind not in CHECKS:
            raise _Unsure
        if kind in COLUMN_SHORTHAND and "column" in raw and "columns" not in raw:
            raw = {**{k: v for k, v in raw.items() if k != "column"}, "columns": [raw["column"]]}
        spec = {"type": ("type", _one_of(kind), _REQUIRED), **CHECK_COMMON, **CHECKS[kind]}
        view = self.model(spec, raw, f"quality_checks[{index}].")
        if kind in BOUNDED and not _bounded(view.min, view.max):
            raise _Unsure
        return view


def _bounded(low: float | None, high: float | None) -> bool:
    return (low is not None or high is not None) and (low is None or high is None or low <= high)


def _default(default: Any) -> Any:
    return type(default)() if isinstance(default, list | dict) else default

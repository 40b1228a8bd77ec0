"""Strict keys: every key of the raw config checked against the models, before validation.

One walk for every section and nested model, driven by the field annotations (models, lists, dicts, unions,
Optional, Annotated), so a section added later is covered without a line here. A mapping whose declared
type is `dict[str, ...]` has free keys (`teams:`, `schemas.overrides`); a model keeps its keys strict unless
it says `extra="allow"` itself. Each unknown key comes with the closest known key of its model (difflib).

Run on the raw data, not on the validated model, so a typo is named even when it also leaves a required
key missing (`suit:` for `suite:`), and so models that ignore extra keys cannot hide one.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

KeyPath = tuple[str | int, ...]
SEQUENCES = (list, tuple, set, frozenset, Sequence)
MAPPINGS = (dict, Mapping)
MAX_LISTED = 8  # known keys listed when none is close


@dataclass(frozen=True)
class UnknownKey:
    path: KeyPath  # of the key itself, e.g. ("schemas", "compatiblity")
    known: tuple[str, ...]  # the keys its model declares, in declaration order

    @property
    def key(self) -> str:
        return str(self.path[-1])

    @property
    def where(self) -> str:
        """The dotted name of the mapping the key is in ("" at the top)."""
        return dotted(self.path[:-1])

    def suggestion(self) -> str | None:
        close = difflib.get_close_matches(self.key, self.known, n=1, cutoff=0.6)
        if not close:
            lowered = {k.lower().replace("-", "_"): k for k in self.known}
            close = [lowered[k] for k in (self.key.lower().replace("-", "_"),) if k in lowered]
        return close[0] if close else None

    def describe(self) -> str:
        """`unknown key 'compatiblity' in 'schemas'; did you mean 'compatibility'?`"""
        inside = f" in '{self.where}'" if self.where else ""
        close = self.suggestion()
        if close is not None:
            return f"unknown key '{self.key}'{inside}; did you mean '{close}'?"
        listed = ", ".join(self.known[:MAX_LISTED]) + (", …" if len(self.known) > MAX_LISTED else "")
        return f"unknown key '{self.key}'{inside}; known keys: {listed}"


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def unknown_keys(
    model: type[BaseModel], raw: Any, reserved: frozenset[str] = frozenset()
) -> list[UnknownKey]:
    """Every key of `raw` that `model` (recursively) does not declare, in document order."""
    found: list[UnknownKey] = []
    if isinstance(raw, dict):
        _walk_model(model, raw, (), found, reserved)
    return found


def _keys(model: type[BaseModel], reserved: frozenset[str]) -> dict[str, Any]:
    """Accepted key -> annotation of its field (the name, and the alias when there is one)."""
    keys: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in reserved:
            continue
        keys[name] = info.annotation
        for alias in (info.alias, info.validation_alias):
            if isinstance(alias, str):
                keys[alias] = info.annotation
    return keys


def _walk_model(
    model: type[BaseModel],
    raw: dict[Any, Any],
    path: KeyPath,
    found: list[UnknownKey],
    reserved: frozenset[str],
) -> None:
    keys = _keys(model, reserved)
    short = getattr(model, "SHORT_FORM", None)
    if isinstance(short, str) and short in keys and raw and not any(str(k) in keys for k in raw):
        # A model with a short form (`lineage: {schema: table}` for `lineage: {links: {...}}`): the bare
        # mapping is the value of that one field, and its keys are checked as that field's.
        _walk(keys[short], raw, path, found)
        return
    free = model.model_config.get("extra") == "allow"  # the model itself takes any key
    for key, value in raw.items():
        here = (*path, str(key))
        if str(key) in keys:
            _walk(keys[str(key)], value, here, found)
        elif not free:
            found.append(UnknownKey(here, tuple(keys)))


def _walk(annotation: Any, raw: Any, path: KeyPath, found: list[UnknownKey]) -> None:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        _walk(args[0], raw, path, found)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if isinstance(raw, dict):
            _walk_model(annotation, raw, path, found, frozenset())
    elif origin in (Union, types.UnionType):
        _walk_union(args, raw, path, found)
    elif origin in SEQUENCES and isinstance(raw, list) and args:
        for index, item in enumerate(raw):
            _walk(args[0], item, (*path, index), found)
    elif origin in MAPPINGS and isinstance(raw, dict) and len(args) == 2:
        for key, value in raw.items():
            _walk(args[1], value, (*path, str(key)), found)


def _walk_union(members: tuple[Any, ...], raw: Any, path: KeyPath, found: list[UnknownKey]) -> None:
    """The member the value is meant for: for a mapping, the model it fits best (fewest unknown keys)."""
    if isinstance(raw, dict):
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if models:
            trials: list[list[UnknownKey]] = []
            for model in models:
                trial: list[UnknownKey] = []
                _walk_model(model, raw, path, trial, frozenset())
                trials.append(trial)
            fewest = min(len(trial) for trial in trials)
            found.extend(next(trial for trial in trials if len(trial) == fewest))
            return
    for member in members:
        if get_origin(member) is not None:  # containers (list[...] | dict[...]): walk the one that fits
            _walk(member, raw, path, found)

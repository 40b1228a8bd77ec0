"""`{"$PARAMETER": name}` references in expectation kwargs (GX 1.x suite parameters), without GX.

GX stops a whole suite at the first reference it has no value for ("No value found for $PARAMETER
min_age"). We find the references first, so that an expectation without its value is one finding naming
the suite and the parameter, and every other expectation of the suite still runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PARAMETER_KEY = "$PARAMETER"


def references(value: Any) -> list[str]:
    """The parameter names a kwargs value refers to, in order of appearance, each once."""
    found: list[str] = []
    _collect(value, found)
    return found


def _collect(value: Any, found: list[str]) -> None:
    if isinstance(value, Mapping):
        name = value.get(PARAMETER_KEY)
        if isinstance(name, str):
            if name not in found:
                found.append(name)
            return
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)


def missing(kwargs: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """The parameters `kwargs` refers to that `values` has no value for."""
    return [name for name in references(dict(kwargs)) if name not in values]


def merged(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers win: `expectations.parameters`, then a suite entry's own `parameters`."""
    out: dict[str, Any] = {}
    for layer in layers:
        out.update(layer)
    return out


def hint(names: list[str]) -> str:
    pairs = ", ".join(f"{n}: …" for n in names)
    return f"set it in the config: expectations.parameters: {{{pairs}}} (or the suite entry's parameters:)"

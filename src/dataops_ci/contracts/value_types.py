"""Per-Avro-type value checks for data contracts, vectorised over a pandas Series of non-null values.

`value_checker(avro_type, text)` returns a function Series -> boolean Series (True: the value fits).
`text` is True for formats without types (CSV): values arrive as whatever pandas inferred from text.
pandas is imported lazily, inside the checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

Checker = Callable[[Any], Any]

_INT_RANGE = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_TRUE_FALSE = {"true", "false", "0", "1"}


def value_checker(kind: Any, text: bool) -> Checker:
    if isinstance(kind, list):
        branches = [value_checker(b, text) for b in kind]
        return lambda values: _any_of(values, branches)
    if isinstance(kind, dict):
        return _complex_checker(kind, text)
    return _primitive_checker(str(kind), text)


def _any_of(values: Any, branches: list[Checker]) -> Any:
    ok = branches[0](values)
    for branch in branches[1:]:
        ok = ok | branch(values)
    return ok


def _primitive_checker(kind: str, text: bool) -> Checker:
    if kind in ("int", "long"):
        return lambda values: _integers(values, kind, text)
    if kind in ("float", "double"):
        return lambda values: _numbers(values, text)
    if kind == "boolean":
        return lambda values: _booleans(values, text)
    if kind in ("string", "bytes"):
        return _anything if text else _strings
    if kind == "null":
        return lambda values: _all(values, False)
    return _anything  # a type this check does not model: not a contract violation


def _complex_checker(kind: dict[str, Any], text: bool) -> Checker:
    logical = kind.get("logicalType")
    base = kind.get("type")
    if logical in (
        "timestamp-millis",
        "timestamp-micros",
        "local-timestamp-millis",
        "local-timestamp-micros",
    ):
        return lambda values: _timestamps(values, text, date_only=False)
    if logical == "date":
        return lambda values: _timestamps(values, text, date_only=True)
    if logical == "uuid":
        return lambda values: values.map(_is_uuid)
    if logical == "decimal":
        return lambda values: _numbers(values, text)
    if base == "enum":
        symbols = {str(s) for s in kind.get("symbols", [])}
        return lambda values: values.astype(str).isin(symbols)
    if base == "array" and not text:
        return lambda values: values.map(lambda v: hasattr(v, "__len__") and not isinstance(v, str | dict))
    if base in ("map", "record") and not text:
        return lambda values: values.map(lambda v: isinstance(v, dict))
    if base in ("array", "map", "record", "fixed"):
        return _anything  # nested values have no single text form; fixed is raw bytes
    return value_checker(base, text) if isinstance(base, str) else _anything


def _strings(values: Any) -> Any:
    import pandas as pd

    if isinstance(values.dtype, pd.StringDtype):
        return _all(values, True)
    return values.map(lambda v: isinstance(v, str | bytes)).astype(bool)


def _anything(values: Any) -> Any:
    return _all(values, True)


def _all(values: Any, ok: bool) -> Any:
    import pandas as pd

    return pd.Series(ok, index=values.index, dtype=bool)


def _integers(values: Any, kind: str, text: bool) -> Any:
    import pandas as pd

    low, high = _INT_RANGE[kind]
    if pd.api.types.is_bool_dtype(values.dtype):
        return _all(values, False)
    if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype(float)
        # Nulls make pandas read an integer column as float: whole floats are still integers.
        return (numbers % 1 == 0) & (numbers >= low) & (numbers <= high)
    return values.map(lambda v: _is_int_value(v, low, high, text)).astype(bool)


def _is_int_value(value: Any, low: int, high: int, text: bool) -> bool:
    if text and isinstance(value, str):
        # One bad cell makes pandas read the whole CSV column as text: judge each cell by its text.
        value = _parse(value.strip(), int)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return low <= value <= high
    if isinstance(value, float):
        return value.is_integer() and low <= value <= high
    return False


def _numbers(values: Any, text: bool) -> Any:
    import pandas as pd

    if pd.api.types.is_bool_dtype(values.dtype):
        return _all(values, False)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return _all(values, True)
    return values.map(lambda v: _is_number(v, text)).astype(bool)


def _is_number(value: Any, text: bool) -> bool:
    from decimal import Decimal

    if text and isinstance(value, str):
        value = _parse(value.strip(), float)
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _parse(text: str, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(text)
    except ValueError:
        return None


def _booleans(values: Any, text: bool) -> Any:
    import pandas as pd

    if pd.api.types.is_bool_dtype(values.dtype):
        return _all(values, True)

    def fits(value: Any) -> bool:
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return True
        return text and str(value).strip().lower() in _TRUE_FALSE

    return values.map(fits).astype(bool)


def _timestamps(values: Any, text: bool, date_only: bool) -> Any:
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _all(values, True)
    if pd.api.types.is_integer_dtype(values.dtype) and not text:
        return _all(values, True)  # epoch millis/micros/days, as Avro stores them
    parsed = pd.to_datetime(values.astype(str), errors="coerce", format="ISO8601", utc=True)
    ok = parsed.notna()
    if date_only:
        ok &= values.astype(str).str.len() <= 10  # a date, not a timestamp
    if not bool(ok.all()):
        # Python datetime/date objects (Avro files, JSON readers) are timestamps whatever their text.
        ok = ok | values.map(lambda v: hasattr(v, "year") and hasattr(v, "month")).astype(bool)
    return ok.astype(bool)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True

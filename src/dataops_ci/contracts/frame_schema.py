"""Does a pandas DataFrame conform to an Avro record schema? Columns, types and nullability.

Used by `dataops_ci.testing.assert_conforms_to_schema`. Returns a list of problems (one sentence each,
naming the column) rather than raising, so the caller can report them all at once. pandas is imported
lazily; nothing here runs at plugin import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from dataops_ci.words import noun, plural

if TYPE_CHECKING:
    import pandas as pd

TEMPORAL = {
    "date",
    "time-millis",
    "time-micros",
    "timestamp-millis",
    "timestamp-micros",
    "timestamp-nanos",
    "local-timestamp-millis",
    "local-timestamp-micros",
}
INT_RANGE = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
EXAMPLES = 5


def split_union(avro_type: Any) -> tuple[bool, list[Any]]:
    """(nullable, the non-null branches)."""
    branches = avro_type if isinstance(avro_type, list) else [avro_type]
    return "null" in branches, [b for b in branches if b != "null"]


def describe(avro_type: Any) -> str:
    if isinstance(avro_type, dict):
        logical = avro_type.get("logicalType")
        if avro_type.get("type") == "enum":
            return f"enum {avro_type.get('name')} ({', '.join(map(str, avro_type.get('symbols') or ()))})"
        return f"{avro_type.get('type')} ({logical})" if logical else str(avro_type.get("type"))
    if isinstance(avro_type, list):
        return " | ".join(describe(t) for t in avro_type)
    return str(avro_type)


def check_frame(frame: pd.DataFrame, schema: Mapping[str, Any], allow_extra: bool = False) -> list[str]:
    if schema.get("type") != "record" or not isinstance(schema.get("fields"), list):
        return [f"the schema is not an Avro record with fields (type: {schema.get('type')!r})"]
    problems: list[str] = []
    names = [str(f.get("name")) for f in schema["fields"]]
    for field in schema["fields"]:
        name = str(field.get("name"))
        if name not in frame.columns:
            problems.append(f"column '{name}' is missing (schema type {describe(field.get('type'))})")
            continue
        problems.extend(check_column(name, frame[name], field.get("type")))
    if not allow_extra:
        extra = [str(c) for c in frame.columns if str(c) not in names]
        problems.extend(f"column '{c}' is not in the schema" for c in extra)
    return problems


def check_column(name: str, series: pd.Series, avro_type: Any) -> list[str]:
    nullable, branches = split_union(avro_type)
    problems = []
    nulls = series[series.isna()]
    if len(nulls) and not nullable:
        rows = ", ".join(str(i) for i in list(nulls.index)[:EXAMPLES])
        problems.append(
            f"column '{name}' has {plural(len(nulls), 'null value')} ({noun(len(nulls), 'row')} {rows}) "
            "but the schema field is not "
            f'nullable ({describe(avro_type)}); fill them, or make the field a union with "null"'
        )
    values = series.dropna()
    if len(values) and branches and not any(_matches(series, values, b) for b in branches):
        wanted = " or ".join(describe(b) for b in branches)
        bad = _first_mismatch(values, branches)
        example = f"; e.g. {bad[1]!r} at row {bad[0]}" if bad else ""
        problems.append(f"column '{name}' should hold {wanted} values, found dtype {series.dtype}{example}")
    return problems


def _first_mismatch(values: pd.Series, branches: list[Any]) -> tuple[Any, Any] | None:
    import pandas as pd

    for index, value in values.items():
        one = pd.Series([value])
        if not any(_matches(one, one, b) for b in branches):
            return index, value
    return None


def _matches(series: pd.Series, values: pd.Series, avro_type: Any) -> bool:
    import pandas as pd

    if isinstance(avro_type, dict):
        logical = avro_type.get("logicalType")
        if logical in TEMPORAL:
            if pd.api.types.is_datetime64_any_dtype(series):
                return True
            parsed = pd.to_datetime(values.astype(str), errors="coerce", format="mixed")
            return bool(parsed.notna().all())
        if logical == "decimal":
            return pd.api.types.is_numeric_dtype(series) or _all(values, _is_decimal)
        if avro_type.get("type") == "enum":
            return _all(values, lambda v: v in set(avro_type.get("symbols") or ()))
        kind = str(avro_type.get("type"))
    else:
        kind = str(avro_type)
    check = PRIMITIVE_CHECKS.get(kind)
    return True if check is None else check(series, values)  # named type references: not checked


def _all(values: pd.Series, test: Callable[[Any], bool]) -> bool:
    return all(test(v) for v in values)


def _is_decimal(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal | int | float)


def _integers(kind: str) -> Callable[[pd.Series, pd.Series], bool]:
    def check(series: pd.Series, values: pd.Series) -> bool:
        import pandas as pd

        if pd.api.types.is_bool_dtype(series):
            return False
        if pd.api.types.is_float_dtype(series):  # ints with NaN: pandas stores them as floats
            if not all(float(v).is_integer() for v in values):
                return False
        elif not pd.api.types.is_integer_dtype(series) and not _all(values, _is_int):
            return False
        low, high = INT_RANGE[kind]
        return bool(values.astype("float64").between(low, high).all())

    return check


def _is_int(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _floats(series: pd.Series, values: pd.Series) -> bool:
    import numbers

    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    return _all(values, lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool))


def _booleans(series: pd.Series, values: pd.Series) -> bool:
    import numpy as np
    import pandas as pd

    return pd.api.types.is_bool_dtype(series) or _all(values, lambda v: isinstance(v, bool | np.bool_))


PRIMITIVE_CHECKS: dict[str, Callable[[pd.Series, pd.Series], bool]] = {
    "string": lambda s, v: _all(v, lambda x: isinstance(x, str)),
    "int": _integers("int"),
    "long": _integers("long"),
    "float": _floats,
    "double": _floats,
    "boolean": _booleans,
    "bytes": lambda s, v: _all(v, lambda x: isinstance(x, bytes | bytearray)),
    "fixed": lambda s, v: _all(v, lambda x: isinstance(x, bytes | bytearray)),
    "record": lambda s, v: _all(v, lambda x: isinstance(x, Mapping)),
    "map": lambda s, v: _all(v, lambda x: isinstance(x, Mapping)),
    "array": lambda s, v: _all(v, lambda x: isinstance(x, list | tuple) or hasattr(x, "__array__")),
}

"""dbt-core's own macros under `dbt.` (the cross-database ones packages such as dbt_utils call:
`dbt.type_string()`, `dbt.concat(...)`, `dbt.hash(...)`, `dbt.date_trunc(...)`...), as their
default (Postgres-like) SQL. A project or package macro of the same name wins (dispatch looks there first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def _concat(fields: Sequence[Any]) -> str:
    return " || ".join(str(f) for f in fields)


def _dateadd(datepart: Any, interval: Any, from_date_or_timestamp: Any) -> str:
    return f"{from_date_or_timestamp} + ((interval '1 {datepart}') * ({interval}))"


def _datediff(first_date: Any, second_date: Any, datepart: Any) -> str:
    return f"datediff({datepart}, {first_date}, {second_date})"


CROSS_DB: dict[str, Callable[..., str]] = {
    "type_string": lambda: "varchar",
    "type_int": lambda: "integer",
    "type_bigint": lambda: "bigint",
    "type_float": lambda: "float",
    "type_numeric": lambda: "numeric(28, 6)",
    "type_boolean": lambda: "boolean",
    "type_timestamp": lambda: "timestamp",
    "current_timestamp": lambda: "current_timestamp",
    "concat": _concat,
    "hash": lambda field: f"md5(cast({field} as varchar))",
    "date_trunc": lambda datepart, date: f"date_trunc('{datepart}', {date})",
    "dateadd": _dateadd,
    "datediff": _datediff,
    "safe_cast": lambda field, type: f"cast({field} as {type})",
    "cast": lambda field, type: f"cast({field} as {type})",
    "cast_bool_to_text": lambda field: f"cast({field} as varchar)",
    "split_part": lambda string_text, delimiter_text, part_number: (
        f"split_part({string_text}, {delimiter_text}, {part_number})"
    ),
    "any_value": lambda expression: f"any_value({expression})",
    "bool_or": lambda expression: f"bool_or({expression})",
    "listagg": lambda measure, delimiter_text="','", order_by_clause=None, limit_num=None: (
        f"string_agg({measure}, {delimiter_text})"
    ),
    "last_day": lambda date, datepart: f"cast(date_trunc('{datepart}', {date}) as date)",
    "escape_single_quotes": lambda expression: str(expression).replace("'", "''"),
    "string_literal": lambda value: f"'{value}'",
    "right": lambda string_text, length_expression: f"right({string_text}, {length_expression})",
    "length": lambda expression: f"length({expression})",
    "position": lambda substring_text, string_text: f"position({substring_text} in {string_text})",
    "replace": lambda field, old_chars, new_chars: f"replace({field}, {old_chars}, {new_chars})",
    "except": lambda: "except",
    "intersect": lambda: "intersect",
}


class DbtNamespace:
    """`dbt.<macro>`: a project/package override when the registry has one, else the built-in."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self._lookup = lookup

    def __getattr__(self, item: str) -> Any:
        if item.startswith("_"):
            raise AttributeError(item)
        found = self._lookup(item)
        if found is not None:
            return found
        if item in CROSS_DB:
            return CROSS_DB[item]
        raise AttributeError(f"dbt has no macro `{item}` that dataops-ci can render without dbt")

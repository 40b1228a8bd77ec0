"""Which columns a GX suite's expectations are about: for messages (`column_of`) and for reading only the
columns a suite uses (`used_columns`). Plain data, no GX import."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ROW_COUNT_TYPES = {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
_COLUMN_KEYS = ("column", "column_A", "column_B")


def column_of(kwargs: Mapping[str, Any]) -> str | None:
    """The columns an expectation is about, for messages: `email`, or `a, b` for multi-column ones."""
    if isinstance(kwargs.get("column"), str):
        return str(kwargs["column"])
    names = [kwargs[k] for k in ("column_A", "column_B") if isinstance(kwargs.get(k), str)]
    if not names and isinstance(kwargs.get("column_list"), list):
        names = [str(c) for c in kwargs["column_list"]]
    return ", ".join(names) or None


def used_columns(expectations: list[dict[str, Any]]) -> set[str] | None:
    """The columns a suite reads, or None when it needs the whole table (table-shape expectations,
    row conditions). Reading fewer columns is the cheapest speed-up and does not change any result."""
    columns: set[str] = set()
    for exp in expectations:
        kwargs = exp.get("kwargs") or {}
        kind = str(exp.get("type", ""))
        if kwargs.get("row_condition") or (kind.startswith("expect_table_") and kind not in _ROW_COUNT_TYPES):
            return None
        columns.update(str(kwargs[k]) for k in _COLUMN_KEYS if isinstance(kwargs.get(k), str))
        if isinstance(kwargs.get("column_list"), list):
            columns.update(str(c) for c in kwargs["column_list"])
    return columns

"""What a check or an expectation tests, in words a reader of the docs site understands without GX."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _share(mostly: Any, default: str = "every row") -> str:
    if isinstance(mostly, int | float) and not isinstance(mostly, bool) and mostly < 1:
        return f"at least {mostly * 100:.4g}% of rows"
    return default


def _columns(kwargs: Mapping[str, Any]) -> str:
    if "column" in kwargs:
        return str(kwargs["column"])
    listed = kwargs.get("column_list") or kwargs.get("columns") or []
    return ", ".join(str(c) for c in listed) if isinstance(listed, list) else str(listed)


def _bounds(low: Any, high: Any, unit: str = "") -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}{unit}"
    if low is not None:
        return f"at least {low}{unit}"
    if high is not None:
        return f"at most {high}{unit}"
    return "any value"


def _values(values: Any, limit: int = 12) -> str:
    items = [str(v) for v in values] if isinstance(values, list | tuple | set) else [str(values)]
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


_EXPECTATIONS = {
    "expect_column_values_to_not_be_null": lambda k: (
        f"{_columns(k)} is filled in ({_share(k.get('mostly'))})"
    ),
    "expect_column_values_to_be_null": lambda k: f"{_columns(k)} is empty ({_share(k.get('mostly'))})",
    "expect_column_values_to_be_unique": lambda k: f"{_columns(k)} is unique ({_share(k.get('mostly'))})",
    "expect_compound_columns_to_be_unique": lambda k: f"({_columns(k)}) together are unique",
    "expect_column_values_to_be_in_set": lambda k: (
        f"{_columns(k)} is one of {_values(k.get('value_set', []))} ({_share(k.get('mostly'))})"
    ),
    "expect_column_values_to_not_be_in_set": lambda k: (
        f"{_columns(k)} is never one of {_values(k.get('value_set', []))}"
    ),
    "expect_column_values_to_be_between": lambda k: (
        f"{_columns(k)} is {_bounds(k.get('min_value'), k.get('max_value'))} ({_share(k.get('mostly'))})"
    ),
    "expect_column_values_to_match_regex": lambda k: (
        f"{_columns(k)} matches the pattern {k.get('regex')} ({_share(k.get('mostly'))})"
    ),
    "expect_column_mean_to_be_between": lambda k: (
        f"the mean of {_columns(k)} is {_bounds(k.get('min_value'), k.get('max_value'))}"
    ),
    "expect_column_to_exist": lambda k: f"the table has a column {_columns(k)}",
    "expect_table_row_count_to_be_between": lambda k: (
        f"the table has {_bounds(k.get('min_value'), k.get('max_value'), ' rows')}"
    ),
    "expect_table_columns_to_match_set": lambda k: (
        f"the columns are {'exactly' if k.get('exact_match', True) else 'at least'} "
        f"{_values(k.get('column_set', []))}"
    ),
    "expect_table_columns_to_match_ordered_list": lambda k: (
        f"the columns are, in order, {_values(k.get('column_list', []))}"
    ),
}


def expectation_words(kind: str, kwargs: Mapping[str, Any]) -> str:
    """`expect_column_values_to_not_be_null(column=email, mostly=0.9)` -> "email is filled in (at least 90%
    of rows)"; a type without a phrase is shown as its name and arguments."""
    phrase = _EXPECTATIONS.get(kind)
    if phrase is not None:
        try:
            return str(phrase(kwargs))
        except (TypeError, ValueError):
            pass
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{kind.removeprefix('expect_').replace('_', ' ')} ({args})" if args else kind


def quality_check_words(check: Any) -> str:
    """A pipeline quality check (pipelines.model) in words."""
    kind = check.type
    share = f"{check.threshold * 100:.4g}% of rows" if getattr(check, "threshold", 1.0) < 1 else "every row"
    if kind == "completeness":
        return f"{', '.join(check.columns)} filled in ({share})"
    if kind == "uniqueness":
        return f"{', '.join(check.columns)} unique ({share})"
    if kind == "row_count":
        return f"{_bounds(check.min, check.max, ' rows')}"
    if kind == "freshness":
        return f"{check.column} at most {check.max_delay_hours:g} hours old"
    if kind == "accepted_values":
        return f"{check.column} is one of {_values(check.values)} ({share})"
    if kind == "range":
        return f"{check.column} is {_bounds(check.min, check.max)} ({share})"
    if kind == "pattern":
        return f"{check.column} matches the pattern {check.regex} ({share})"
    return str(kind)

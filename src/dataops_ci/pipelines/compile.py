"""Compiles a pipeline's quality checks to GX 1.x expectation dicts ({type, kwargs, meta}).

One quality check may become several expectations (completeness of two columns is two expectations);
`CompiledCheck.expectation_indexes` maps them back, so a check fails when any of its expectations fails.
Pure functions: no GX import here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the checks are told apart by their `type`: a definition `quick` accepted is no model
    from dataops_ci.pipelines.model import Freshness, PipelineDef, QualityCheck

Expectation = dict[str, Any]


@dataclass(frozen=True)
class CompiledCheck:
    index: int  # position in the definition's quality_checks
    check: QualityCheck
    expectation_indexes: tuple[int, ...]  # positions in the compiled expectation list
    expected: str  # what the check demands, in words, for the finding


def compile_pipeline(
    definition: PipelineDef, now: dt.datetime
) -> tuple[list[Expectation], list[CompiledCheck]]:
    """The expectations for every quality check; `now` is the run's clock (freshness is relative to it)."""
    expectations: list[Expectation] = []
    compiled: list[CompiledCheck] = []
    for index, check in enumerate(definition.quality_checks):
        meta = {"pipeline": definition.name, "quality_check": index, "check_type": check.type}
        parts = [{**e, "meta": dict(meta)} for e in _expectations_for(check, now)]
        start = len(expectations)
        expectations.extend(parts)
        indexes = tuple(range(start, len(expectations)))
        compiled.append(CompiledCheck(index, check, indexes, expected_text(check, now)))
    return expectations, compiled


def _expectations_for(check: QualityCheck, now: dt.datetime) -> list[Expectation]:
    if check.type == "completeness":
        return [
            _exp("expect_column_values_to_not_be_null", column=c, **_mostly(check.threshold))
            for c in check.columns
        ]
    if check.type == "uniqueness":
        if len(check.columns) == 1:
            return [
                _exp("expect_column_values_to_be_unique", column=check.columns[0], **_mostly(check.threshold))
            ]
        return [
            _exp(
                "expect_compound_columns_to_be_unique",
                column_list=list(check.columns),
                **_mostly(check.threshold),
            )
        ]
    if check.type == "row_count":
        return [_exp("expect_table_row_count_to_be_between", **_bounds(check.min, check.max))]
    if check.type == "freshness":
        return [
            _exp(
                "expect_column_max_to_be_between", column=check.column, min_value=freshness_floor(check, now)
            )
        ]
    if check.type == "accepted_values":
        kwargs = {"column": check.column, "value_set": list(check.values), **_mostly(check.threshold)}
        return [_exp("expect_column_values_to_be_in_set", **kwargs)]
    if check.type == "range":
        kwargs = {"column": check.column, **_bounds(check.min, check.max), **_mostly(check.threshold)}
        return [_exp("expect_column_values_to_be_between", **kwargs)]
    if check.type == "pattern":
        kwargs = {"column": check.column, "regex": check.regex, **_mostly(check.threshold)}
        return [_exp("expect_column_values_to_match_regex", **kwargs)]
    raise AssertionError(f"no compilation for quality check type {check.type}")  # the model forbids this


def freshness_floor(check: Freshness, now: dt.datetime, naive: bool = False) -> str:
    """The oldest acceptable newest-timestamp, as ISO-8601 in UTC. `naive`: without the offset, for data
    whose timestamps carry no zone (read as UTC); GX cannot compare zone-less with zoned datetimes."""
    floor = _as_utc(now) - dt.timedelta(hours=check.max_delay_hours)
    text = floor.replace(microsecond=0, tzinfo=None).isoformat()
    return text if naive else f"{text}+00:00"


def _as_utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def expected_text(check: QualityCheck, now: dt.datetime) -> str:
    if check.type == "completeness":
        return f"{', '.join(check.columns)} not null in {_share(check.threshold)}"
    if check.type == "uniqueness":
        together = " (together)" if len(check.columns) > 1 else ""
        return f"{', '.join(check.columns)}{together} unique in {_share(check.threshold)}"
    if check.type == "row_count":
        return f"row count {_range_text(check.min, check.max)}"
    if check.type == "freshness":
        floor = freshness_floor(check, now).replace("+00:00", "Z")
        return f"newest {check.column} at most {check.max_delay_hours:g} h old (at or after {floor})"
    if check.type == "accepted_values":
        shown = ", ".join(repr(v) for v in check.values[:10]) + (" ..." if len(check.values) > 10 else "")
        return f"{check.column} in {{{shown}}} in {_share(check.threshold)}"
    if check.type == "range":
        bounds = _range_text(check.min, check.max)
        return f"{check.column} {bounds} in {_share(check.threshold)}"
    return f"{check.column} matches /{check.regex}/ in {_share(check.threshold)}"


def _exp(kind: str, **kwargs: Any) -> Expectation:
    return {"type": kind, "kwargs": kwargs}


def _mostly(threshold: float) -> dict[str, float]:
    return {} if threshold >= 1.0 else {"mostly": threshold}


def _bounds(low: float | None, high: float | None) -> dict[str, float]:
    out = {}
    if low is not None:
        out["min_value"] = low
    if high is not None:
        out["max_value"] = high
    return out


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def _share(fraction: float) -> str:
    return "every row" if fraction >= 1.0 else f"at least {fraction * 100:g}% of rows"

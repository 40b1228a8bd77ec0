"""Runs an expectation suite (GX 1.x form) against a dataset with Great Expectations.

One ephemeral GX context per process, created on first use (GX is imported only then), progress bars and
analytics off. Every suite of a run goes through the same context: `validate()` is the whole API, used by
the `expectations` check and by `pipelines` for its compiled quality checks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import engines, parameters
from dataops_ci.expectations.engines import DataLoadError
from dataops_ci.expectations.gx_context import build_data_docs, get_batch, gx_context

__all__ = ["ExpectationOutcome", "SuiteOutcome", "build_data_docs", "gx_context", "json_safe", "validate"]

from dataops_ci.expectations.suite_columns import column_of as column_of  # re-exported
from dataops_ci.expectations.suite_columns import used_columns as used_columns  # re-exported

INDEX_KEY = "dataops_ci_index"  # carried in each expectation's meta to map GX's results back to the suite
# Types whose result depends on columns a suite does not name: read the whole table for them.
_TYPE_SUFFIX = re.compile(r" \(type=.*\)$")


@dataclass(frozen=True)
class ExpectationOutcome:
    index: int
    type: str
    kwargs: dict[str, Any]
    column: str | None
    success: bool | None  # None: not evaluated (see error)
    observed: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    unexpected_values: list[Any] = field(default_factory=list)
    error: str | None = None  # GX raised, bad kwargs or unknown type
    error_kind: str | None = None  # "unknown-type" | "invalid-kwargs" | "raised" | "missing-parameter"


@dataclass(frozen=True)
class SuiteOutcome:
    evaluated: int
    passed: int
    outcomes: list[ExpectationOutcome]
    error: str | None = None  # the data could not be loaded or the suite not run
    error_rule: str | None = None  # the cannot-* rule id for `error`
    error_hint: str | None = None
    error_in_config: bool = False  # the fix is in the config (data path or URL), not in the data
    raw: Any = field(default=None, compare=False, repr=False)  # GX's validation result (for Data Docs)
    records: int | None = None  # rows in the batch validated (None: not counted, e.g. a SQL table)

    @property
    def score(self) -> float | None:
        return self.passed / self.evaluated if self.evaluated else None

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.success is False]


def validate(
    expectations: list[dict[str, Any]],
    source: DataSource,
    root: Path,
    *,
    name: str,
    options: ExpectationsConfig,
    details: Literal["failed", "all"] = "failed",
    params: Mapping[str, Any] | None = None,
) -> SuiteOutcome:
    """Validate GX 1.x expectation dicts ({type, kwargs, meta}) against the data `source` names.

    details="failed": a fast pass decides success (BOOLEAN_ONLY), then only the expectations that failed
    run again for their details (SUMMARY) on the same batch. Same verdicts, and when most expectations
    pass (the usual CI run) it saves GX's per-row bookkeeping; passing outcomes then carry no observed
    value. details="all": one SUMMARY pass over everything (and `raw` is set, for Data Docs).
    `params`: values for `$PARAMETER` references; an expectation missing one is not run (an outcome
    with error_kind "missing-parameter"), the others are."""
    params = dict(params or {})
    valid, invalid = _build_expectations(expectations, params=params)
    if not valid:
        return SuiteOutcome(0, 0, invalid)
    try:
        batch = get_batch(source, root, options, used_columns([expectations[i] for i, _ in valid]))
    except DataLoadError as exc:
        in_config = exc.missing or source.engine == "sql"
        return SuiteOutcome(0, 0, invalid, str(exc), exc.rule, exc.hint, error_in_config=in_config)
    # A few more than shown, so that repeats can be dropped and still leave `unexpected_examples` values.
    sample = options.unexpected_examples * 4 if options.unexpected_examples else 0
    summary = {"result_format": "SUMMARY", "partial_unexpected_count": sample}
    try:
        if details == "all":
            raw = _run(batch, name, [obj for _, obj in valid], summary, params)
            results = list(raw.results)
        else:
            raw, results = None, _run_failed_again(batch, name, expectations, valid, summary, params)
    except Exception as exc:  # noqa: BLE001 - GX failing as a whole is a could-not-check for this suite
        return SuiteOutcome(0, 0, invalid, f"GX could not run the suite: {_short(exc)}", "cannot-run-suite")
    ran = [_outcome(r, expectations, options.unexpected_examples) for r in results]
    if source.engine == "sql" and all(o.error_kind == "raised" for o in ran):
        # Nothing could be computed in the database (timeout, permissions): could not check, not bad data.
        message = f"every query failed: {ran[0].error}"
        return SuiteOutcome(0, 0, invalid, message, "cannot-query", "raise query_timeout_s or fix the query")
    outcomes = sorted(ran + invalid, key=lambda o: o.index)
    passed = sum(1 for o in ran if o.success)
    return SuiteOutcome(len(ran), passed, outcomes, raw=raw, records=_records(batch))


def _records(batch: Any) -> int | None:
    """Rows of an in-memory batch (pandas: len; Spark: count); a SQL table is not counted (a query more)."""
    frame = getattr(getattr(batch, "data", None), "dataframe", None)
    try:
        return None if frame is None else int(frame.count() if hasattr(frame, "rdd") else len(frame))
    except Exception:  # noqa: BLE001 - a count is an extra for the metrics, never a reason to fail
        return None


def _run(batch: Any, name: str, objects: list[Any], result_format: Any, params: dict[str, Any]) -> Any:
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=name, expectations=objects)
    return batch.validate(suite, result_format=result_format, expectation_parameters=params or None)


def _run_failed_again(
    batch: Any,
    name: str,
    expectations: list[dict[str, Any]],
    valid: list[tuple[int, Any]],
    summary: Any,
    params: dict[str, Any],
) -> list[Any]:
    objects = [obj for _, obj in valid]
    fast = _run(batch, name, objects, {"result_format": "BOOLEAN_ONLY"}, params).results
    # Raised ones already carry their error; running them again would only repeat it (or a timeout).
    failed = {_index(r) for r in fast if not r.success and _raised_message(r.exception_info or {}) is None}
    if not failed:
        return list(fast)
    # Fresh expectation objects: the first suite owns the ones it was built from.
    again = sorted(failed)
    rebuilt, _ = _build_expectations([expectations[i] for i in again], indexes=again)
    detailed = _run(batch, name, [obj for _, obj in rebuilt], summary, params).results
    return [r for r in fast if _index(r) not in failed] + list(detailed)


def _index(result: Any) -> int:
    return int(result.expectation_config.meta[INDEX_KEY])


def _build_expectations(
    expectations: list[dict[str, Any]], indexes: list[int] | None = None, params: dict[str, Any] | None = None
) -> tuple[list[tuple[int, Any]], list[ExpectationOutcome]]:
    """GX expectation objects for the valid entries; outcomes with an error for the others.
    `indexes`: each entry's position in the suite (default: its position in `expectations`)."""
    gx_context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    valid: list[tuple[int, Any]] = []
    invalid: list[ExpectationOutcome] = []
    for index, exp in zip(indexes or range(len(expectations)), expectations, strict=True):
        kind = str(exp.get("type", ""))
        kwargs = dict(exp.get("kwargs") or {})
        meta = {**(exp.get("meta") or {}), INDEX_KEY: index}
        absent = parameters.missing(kwargs, params) if params is not None else []
        if absent:
            error = f"no value for $PARAMETER {', '.join(absent)}"
            invalid.append(
                ExpectationOutcome(
                    index, kind, kwargs, column_of(kwargs), None, error=error, error_kind="missing-parameter"
                )
            )
            continue
        try:
            config = ExpectationConfiguration(type=kind, kwargs=kwargs, meta=meta)
            valid.append((index, config.to_domain_obj()))
        except Exception as exc:  # noqa: BLE001 - GX raises many kinds for a bad expectation
            unknown = type(exc).__name__ == "ExpectationNotFoundError"
            error = f"unknown expectation type '{kind}'" if unknown else _kwargs_error(exc)
            invalid.append(
                ExpectationOutcome(
                    index,
                    kind,
                    kwargs,
                    column_of(kwargs),
                    None,
                    error=error,
                    error_kind="unknown-type" if unknown else "invalid-kwargs",
                )
            )
    return valid, invalid


def _kwargs_error(exc: Exception) -> str:
    """pydantic's multi-line message as one line: `column: field required; colum: extra fields ...`."""
    lines = [ln.strip() for ln in str(exc).splitlines()[1:] if ln.strip()]
    pairs = [f"{lines[i]}: {_TYPE_SUFFIX.sub('', lines[i + 1])}" for i in range(0, len(lines) - 1, 2)]
    return "invalid kwargs: " + ("; ".join(pairs) if pairs else _short(exc))


def _short(exc: BaseException) -> str:
    text = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    return engines.mask_url(text.strip())[:500]


def _outcome(result: Any, expectations: list[dict[str, Any]], examples: int) -> ExpectationOutcome:
    config = result.expectation_config
    index = int(config.meta[INDEX_KEY])
    original = expectations[index]
    kwargs = dict(original.get("kwargs") or {})
    details: dict[str, Any] = dict(result.result or {})
    info = result.exception_info or {}
    raised = _raised_message(info)
    unexpected = _distinct(details.get("partial_unexpected_list") or [])
    return ExpectationOutcome(
        index=index,
        type=str(original.get("type")),
        kwargs=kwargs,
        column=column_of(kwargs),
        success=bool(result.success) and raised is None,
        observed=json_safe(details.get("observed_value")),
        unexpected_count=_int_or_none(details.get("unexpected_count")),
        unexpected_percent=_float_or_none(details.get("unexpected_percent")),
        unexpected_values=unexpected[:examples],
        error=raised,
        error_kind="raised" if raised else None,
    )


def _distinct(values: list[Any]) -> list[Any]:
    """Unexpected examples without repeats ('vip', 'vip', 'vip' says less than 'vip'), in data order."""
    seen: list[Any] = []
    for value in (json_safe(v) for v in values):
        if value not in seen:
            seen.append(value)
    return seen


def _raised_message(info: Mapping[str, Any]) -> str | None:
    """GX puts either one exception dict or a dict of them (one per metric) in exception_info."""
    candidates = (
        [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, Mapping)]
    )
    for entry in candidates:
        if entry.get("raised_exception"):
            return _short(Exception(entry.get("exception_message") or "GX raised an exception"))
    return None


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not _is_nan(value) else None


def _float_or_none(value: Any) -> float | None:
    return round(float(value), 4) if isinstance(value, int | float) and not _is_nan(value) else None


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def json_safe(value: Any) -> Any:
    """Values from data as JSON: NaN/NaT -> None, numpy scalars -> Python, timestamps -> ISO text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return None if str(value) == "NaT" else str(value.isoformat())
    if hasattr(value, "item"):
        return json_safe(value.item())
    return None if str(value) in ("<NA>", "nan", "NaT") else str(value)

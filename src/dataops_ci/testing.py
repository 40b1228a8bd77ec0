"""pytest plugin with helpers for transformation tests (auto-loaded once dataops-ci is installed).

    from dataops_ci.testing import load_fixture, assert_conforms_to_schema, run_expectation_suite

    def test_transform(dataops):                     # or use the plain functions (paths from the cwd)
        df = dataops.load_fixture("data/customers.csv")
        dataops.assert_conforms_to_schema(transform(df), "schemas/customer.avsc")
        dataops.run_expectation_suite(transform(df), "expectations/customers.json")

The module is loaded by every pytest run in an environment where dataops-ci is installed, so it imports
only the standard library and pytest here; pandas, fastavro and Great Expectations are imported on use.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dataops_ci.words import plural

if TYPE_CHECKING:
    import pandas as pd

    from dataops_ci.expectations.gx_run import SuiteOutcome

__all__ = ["FixtureError", "load_fixture", "assert_conforms_to_schema", "run_expectation_suite", "DataOps"]


class FixtureError(Exception):
    """A fixture dataset, schema or suite cannot be read; the message names the file and the fix."""


def load_fixture(path: str | Path, format: str | None = None, **options: Any) -> pd.DataFrame:
    """Read a csv, tsv, parquet, json, jsonl or avro file into a pandas DataFrame."""
    from dataops_ci.config import DataSource
    from dataops_ci.expectations.engines import DataLoadError, load_dataframe

    file = Path(path).absolute()
    source = DataSource(path=file.name, format=format, options=options)
    try:
        return load_dataframe(source, file.parent)
    except DataLoadError as exc:
        raise FixtureError(f"{path}: {exc}" + (f" ({exc.hint})" if exc.hint else "")) from None


def _read_schema(schema: str | Path | Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    if isinstance(schema, Mapping):
        return schema, str(schema.get("name", "schema"))
    try:
        loaded = json.loads(Path(schema).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FixtureError(f"{schema}: cannot read the Avro schema: {exc}") from None
    if not isinstance(loaded, dict):
        raise FixtureError(f"{schema}: an Avro record schema must be a JSON object")
    return loaded, str(schema)


def assert_conforms_to_schema(
    frame: pd.DataFrame, schema: str | Path | Mapping[str, Any], allow_extra_columns: bool = False
) -> None:
    """Fail with every mismatch listed: missing/extra columns, wrong types, nulls in non-null fields."""
    from dataops_ci.contracts.frame_schema import check_frame

    __tracebackhide__ = True
    parsed, label = _read_schema(schema)
    problems = check_frame(frame, parsed, allow_extra=allow_extra_columns)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(
            f"DataFrame does not conform to {label} ({plural(len(problems), 'problem')}):\n{listed}"
        )


def run_expectation_suite(
    frame: pd.DataFrame, suite: str | Path, raise_on_failure: bool = True
) -> SuiteOutcome:
    """Validate the DataFrame with a GX suite file (GX 1.x or legacy form) through dataops-ci's GX runner."""
    from dataops_ci.config import ExpectationsConfig
    from dataops_ci.expectations.gx_run import validate
    from dataops_ci.expectations.suites import SuiteError, parse_suite

    __tracebackhide__ = True
    try:
        parsed = parse_suite(Path(suite).read_text(encoding="utf-8"))
    except (OSError, SuiteError) as exc:
        raise FixtureError(f"{suite}: cannot use the expectation suite: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="dataops-ci-suite-") as tmp:
        # The GX runner validates files: hand it the frame as parquet (types kept), jsonl if that fails.
        source = _frame_as_file(frame, Path(tmp))
        outcome = validate(
            parsed.expectations, source, Path(tmp), name=parsed.name, options=ExpectationsConfig()
        )
    if outcome.error:
        raise FixtureError(f"{suite}: {outcome.error}")
    if raise_on_failure and (outcome.failed or any(o.error for o in outcome.outcomes)):
        raise AssertionError(_suite_failure(str(suite), outcome))
    return outcome


def _frame_as_file(frame: pd.DataFrame, directory: Path) -> Any:
    from dataops_ci.config import DataSource

    try:
        frame.to_parquet(directory / "frame.parquet")
        return DataSource(path="frame.parquet")
    except Exception:  # noqa: BLE001 - mixed object columns pyarrow cannot type
        frame.to_json(directory / "frame.jsonl", orient="records", lines=True, date_format="iso")
        return DataSource(path="frame.jsonl")


def _suite_failure(suite: str, outcome: SuiteOutcome) -> str:
    lines = [f"{suite}: {outcome.passed} of {plural(outcome.evaluated, 'expectation')} passed"]
    for item in outcome.outcomes:
        if item.success is not False and not item.error:
            continue
        where = f" on {item.column}" if item.column else ""
        detail = item.error or f"unexpected {item.unexpected_count} ({_pct(item.unexpected_percent)})"
        examples = f"; e.g. {item.unexpected_values[:5]!r}" if item.unexpected_values else ""
        observed = f"; observed {item.observed!r}" if item.observed is not None and not examples else ""
        lines.append(f"  - {item.type}{where}: {detail}{examples}{observed}")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else "n/a"


class DataOps:
    """The `dataops` fixture: the helpers, with relative paths tried from the test's folder, then rootdir."""

    def __init__(self, search: Sequence[Path]) -> None:
        self.search = tuple(search)

    def path(self, relative: str | Path) -> Path:
        candidate = Path(relative)
        if candidate.is_absolute():
            return candidate
        found = next((base / candidate for base in self.search if (base / candidate).exists()), None)
        return found or self.search[-1] / candidate

    def load_fixture(self, path: str | Path, format: str | None = None, **options: Any) -> pd.DataFrame:
        return load_fixture(self.path(path), format, **options)

    def assert_conforms_to_schema(
        self, frame: pd.DataFrame, schema: str | Path | Mapping[str, Any], allow_extra_columns: bool = False
    ) -> None:
        __tracebackhide__ = True
        resolved = schema if isinstance(schema, Mapping) else self.path(schema)
        assert_conforms_to_schema(frame, resolved, allow_extra_columns)

    def run_expectation_suite(
        self, frame: pd.DataFrame, suite: str | Path, raise_on_failure: bool = True
    ) -> Any:
        __tracebackhide__ = True
        return run_expectation_suite(frame, self.path(suite), raise_on_failure)


@pytest.fixture
def dataops(request: pytest.FixtureRequest) -> DataOps:
    """Helpers for transformation tests: load_fixture, assert_conforms_to_schema, run_expectation_suite."""
    return DataOps([Path(request.path).parent, Path(request.config.rootpath)])

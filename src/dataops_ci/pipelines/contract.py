"""The data contract of a pipeline's dataset: its data checked against the Avro schema it names.

Local files are read with pandas; a SQL table is checked from the database catalogue plus one aggregate
query for null counts (no rows fetched); a Spark dataset gets a notice that its contract was not checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.contracts.fields import (
    TEXT_FORMATS,
    ContractField,
    ContractSchemaError,
    Violation,
    check_frame,
    parse_contract,
)
from dataops_ci.expectations import engines
from dataops_ci.expectations.engines import DataLoadError
from dataops_ci.git import inside_repo
from dataops_ci.pipelines.definition import PipelineFile
from dataops_ci.report import Finding


def contract_findings(
    file: PipelineFile, source: DataSource, root: Path, options: ExpectationsConfig
) -> list[Finding]:
    definition = file.definition
    assert definition is not None and definition.dataset.schema_file is not None
    schema_path = definition.dataset.schema_file
    schema_line = file.located.line(("dataset", "schema"))
    try:
        if not inside_repo(root, schema_path):
            raise OSError(f"{schema_path} is outside the repository")
        text = (root / schema_path).read_text(encoding="utf-8")
        fields = parse_contract(text)
    except (OSError, UnicodeDecodeError, ContractSchemaError) as exc:
        message = f"{definition.name}: cannot use {schema_path} as a data contract: {exc}"
        hint = "fix the schema (it must be an Avro record), or remove dataset.schema"
        return [Finding("error", "cannot-parse-schema", message, file.path, schema_line, hint=hint)]
    if source.engine == "spark":
        message = f"{definition.name}: the data contract is not checked for Spark datasets"
        return [Finding("notice", "contract-not-checked", message, file.path, schema_line)]
    try:
        violations, data_file, header = _violations(source, root, fields, options)
    except DataLoadError as exc:
        return [
            Finding("error", exc.rule, f"{definition.name}: {exc}", file.path, schema_line, hint=exc.hint)
        ]
    lines = _field_lines(text)
    # A SQL table has no file: its findings point at the pipeline's `schema:` line.
    where = (data_file, header) if data_file else (file.path, schema_line)
    return [_finding(file, schema_path, v, lines.get(v.column), where) for v in violations]


def _violations(
    source: DataSource, root: Path, fields: list[ContractField], options: ExpectationsConfig
) -> tuple[list[Violation], str | None, int | None]:
    """The violations, the data file they are about (None for SQL) and its header line (CSV only)."""
    if source.engine == "sql":
        from dataops_ci.contracts.sql import sql_violations

        return sql_violations(source, fields, options), None, None
    frame, fmt = load_for_contract(source, root, options)
    return check_frame(frame, fields, fmt), source.path, 1 if fmt in TEXT_FORMATS else None


def load_for_contract(
    source: DataSource, root: Path, limits: ExpectationsConfig | None = None
) -> tuple[Any, str]:
    """The data as its format types it. JSON keeps its own types: pandas would otherwise turn "1" into 1."""
    fmt = engines.file_format(source, engines.resolve_local(source, root))
    if fmt in ("json", "jsonl"):
        source = source.model_copy(update={"options": {"dtype": False, **source.options}})
    return engines.load_dataframe(source, root, limits=limits), fmt


def _finding(
    file: PipelineFile,
    schema_path: str,
    violation: Violation,
    schema_line: int | None,
    where: tuple[str | None, int | None],
) -> Finding:
    definition = file.definition
    assert definition is not None
    data = {
        "pipeline": definition.name,
        "owner": definition.owner,
        "reviewers": list(definition.reviewers),
        "schema": schema_path,
        "schema_line": schema_line,
        "column": violation.column,
        "count": violation.count,
        "rows": list(violation.rows),
    }
    rows = f" (data rows {', '.join(str(r) for r in violation.rows)})" if violation.rows else ""
    target, line = where
    column_level = violation.rule in ("contract-missing-column", "contract-extra-column")
    return Finding(
        violation.severity,  # type: ignore[arg-type]
        violation.rule,
        f"{definition.name}: {violation.message}{rows}",
        target,
        line if column_level or target == file.path else None,
        path=violation.column,
        hint=_HINTS[violation.rule].format(schema=schema_path),
        data=data,
    )


_HINTS = {
    "contract-missing-column": "add the column to the data, or give the field a default in {schema}",
    "contract-extra-column": "add the field to {schema}, or drop the column",
    "contract-type-mismatch": "fix the values, or change the field's type in {schema}",
    "contract-null-in-required-field": 'fill the values, or make the field nullable in {schema}: ["null", T]',
}


def _field_lines(text: str) -> dict[str, int]:
    """Line of each `"name": "x"` in the schema text (first occurrence), for pointing at a field."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(r'"name"\s*:\s*"([^"]+)"', line):
            lines.setdefault(match.group(1), number)
    return lines

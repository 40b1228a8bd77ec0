"""The data contract of a pipeline's dataset: its data checked against the Avro schema it names.

Local files only (the pandas engine): a SQL table or Spark dataset gets a notice that its contract was not
checked, rather than a full read of a warehouse table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dataops_ci import engines
from dataops_ci.config import DataSource
from dataops_ci.contract import ContractSchemaError, Violation, check_frame, parse_contract
from dataops_ci.engines import DataLoadError
from dataops_ci.pipeline_def import PipelineFile
from dataops_ci.report import Finding


def contract_findings(file: PipelineFile, source: DataSource, root: Path) -> list[Finding]:
    definition = file.definition
    assert definition is not None and definition.dataset.schema_file is not None
    schema_path = definition.dataset.schema_file
    schema_line = file.located.line(("dataset", "schema"))
    try:
        text = (root / schema_path).read_text(encoding="utf-8")
        fields = parse_contract(text)
    except (OSError, UnicodeDecodeError, ContractSchemaError) as exc:
        message = f"{definition.name}: cannot use {schema_path} as a data contract: {exc}"
        hint = "fix the schema (it must be an Avro record), or remove dataset.schema"
        return [Finding("error", "cannot-parse-schema", message, file.path, schema_line, hint=hint)]
    if source.engine != "pandas":
        message = f"{definition.name}: the data contract is checked for local files only, not {source.engine}"
        return [Finding("notice", "contract-not-checked", message, file.path, schema_line)]
    try:
        frame, fmt = load_for_contract(source, root)
    except DataLoadError as exc:
        return [
            Finding("error", exc.rule, f"{definition.name}: {exc}", file.path, schema_line, hint=exc.hint)
        ]
    lines = _field_lines(text)
    return [
        _finding(file, source, schema_path, v, lines.get(v.column)) for v in check_frame(frame, fields, fmt)
    ]


def load_for_contract(source: DataSource, root: Path) -> tuple[Any, str]:
    """The data as its format types it. JSON keeps its own types: pandas would otherwise turn "1" into 1."""
    fmt = engines.file_format(source, engines.resolve_local(source, root))
    if fmt in ("json", "jsonl"):
        source = source.model_copy(update={"options": {"dtype": False, **source.options}})
    return engines.load_dataframe(source, root), fmt


def _finding(
    file: PipelineFile, source: DataSource, schema_path: str, violation: Violation, schema_line: int | None
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
    where = f" (data rows {', '.join(str(r) for r in violation.rows)})" if violation.rows else ""
    header_line = 1 if violation.rule in ("contract-missing-column", "contract-extra-column") else None
    return Finding(
        violation.severity,  # type: ignore[arg-type]
        violation.rule,
        f"{definition.name}: {violation.message}{where}",
        source.path,
        header_line,
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

"""The check registry: one plain dict, name -> where the check lives and what it needs.

Check modules are imported lazily (by dotted path) so that a pre-commit hook running one light check
never imports pandas, GX or sqlfluff. Each check module provides:

    def add_arguments(parser: argparse.ArgumentParser) -> None   # optional, check-specific CLI options
    def applies(ctx: CheckContext) -> bool                        # optional: is there anything to check?
    def looked_for(ctx: CheckContext) -> str                      # optional: a skipped check's summary,
                                                                  #   its patterns and their config key
    def run(ctx: CheckContext) -> CheckResult
    COVERS: tuple[str, ...]                                       # optional: discovery kinds it covers

A check imports engines and foundations only; it never renders (no `render`) and never talks to GitHub.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class CheckSpec:
    name: str
    module: str
    description: str
    extras: tuple[str, ...] = ()  # pip extras the check needs beyond the core


CHECKS: dict[str, CheckSpec] = {
    spec.name: spec
    for spec in (
        CheckSpec(
            "schema-compat",
            "dataops_ci.checks.schema_compat",
            "Avro schema compatibility of changed .avsc files between base and head",
        ),
        CheckSpec(
            "expectations",
            "dataops_ci.checks.expectations",
            "Great Expectations suites validated against their data, with a quality score",
            ("gx",),
        ),
        CheckSpec(
            "pipelines",
            "dataops_ci.checks.pipelines",
            "Pipeline definitions validated; their quality checks run as expectations",
            ("gx",),
        ),
        CheckSpec("sql-lint", "dataops_ci.checks.sql_lint", "sqlfluff lint of changed SQL", ("sql",)),
        CheckSpec(
            "tests", "dataops_ci.checks.tests", "Transformation unit tests run with pytest", ("tests",)
        ),
        CheckSpec(
            "blast-radius",
            "dataops_ci.checks.blast_radius",
            "Who uses what a change breaks: downstream models, suites, pipelines and their owners",
            ("lineage",),
        ),
    )
}


def load(name: str) -> ModuleType:
    return importlib.import_module(CHECKS[name].module)

"""Findings about a suite file itself (unreadable, unparsable, legacy 0.x), shared by the `expectations`
check (`suite_run`) and the `expectation-suite-lint` hook, which must not import the check's engine (GX
runner, config models with pydantic) to say them."""

from __future__ import annotations

from dataops_ci.expectations.suites import SuiteError
from dataops_ci.report import Finding


def suite_error_finding(suite_file: str, exc: SuiteError, config_file: str | None) -> Finding:
    if exc.line is None:  # not readable at all: the config names a file that is not there
        hint = "fix the suite path in the config, or commit the suite file"
        return Finding("error", "cannot-read-suite", f"{suite_file}: {exc}", config_file, hint=hint)
    hint = "fix the suite file (GX 1.x JSON: {name, expectations: [{type, kwargs, meta}]})"
    return Finding("error", "cannot-parse-suite", f"{suite_file}: {exc}", suite_file, exc.line, hint=hint)


def legacy_finding(suite_file: str) -> Finding:
    return Finding(
        "warning",
        "legacy-suite-format",
        f"{suite_file}: legacy GX 0.x suite (expectation_suite_name, expectation_type), run migrated to 1.x",
        suite_file,
        1,
        hint=f"rewrite it: dataops-ci migrate-suite {suite_file} --in-place",
    )

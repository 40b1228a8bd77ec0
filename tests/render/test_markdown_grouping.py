"""A file's findings stay under one heading, however their severities interleave with other files'."""

from __future__ import annotations

from dataops_ci.render import render
from dataops_ci.report import CheckResult, Finding, Report


def test_each_file_is_listed_once_with_all_its_findings() -> None:
    findings = (
        Finding("error", "contract-missing-column", "loyalty_tier missing", "data/customers.csv", 1),
        Finding("error", "pipeline-freshness-failed", "stale", "pipelines/customer_pipeline.yml", 10),
        Finding("warning", "contract-missing-column", "address missing", "data/customers.csv", 1),
    )
    check = CheckResult("pipelines", "failed", "2 problems", findings=findings)
    comment = render(Report("b" * 40, "h" * 40, (check,)), "markdown")
    assert comment.count("**`data/customers.csv`**") == 1
    data_section = comment.index("**`data/customers.csv`**")
    assert data_section < comment.index("loyalty\\_tier missing") < comment.index("address missing")
    assert comment.index("address missing") < comment.index("**`pipelines/customer_pipeline.yml`**")

"""blast-radius end to end on a dbt-shaped project in a real git repo: a PR's change, the CLI, the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from dataops_ci.github.approval import LabelApproval, apply_approval
from dataops_ci.render import render
from dataops_ci.report import Report
from tests.lineage.project import (
    CONFIG,
    CUSTOMER_AVSC,
    MACRO,
    ORDER_AVSC,
    ORDER_SUMMARY,
    SEGMENTS,
    commit,
    make_project,
    write,
)

pytest.importorskip("sqlglot")
NO_TOP = SEGMENTS.replace(",\n    max(customer_id) as top_customer_id", "")


def run_pr(tmp_path: Path, files: dict[str, str | None]) -> tuple[int, dict[str, Any]]:
    repo, base = make_project(tmp_path)
    write(repo, files)
    commit(repo, "the PR")
    out = tmp_path / "report.json"
    argv = ["blast-radius", "-C", str(repo), "--base", base, "--head", "HEAD", "--format", "json"]
    code = main([*argv, "--report-json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    return code, report["checks"][0]


def rules(check: dict[str, Any]) -> list[tuple[str, str, str | None, int | None]]:
    return [(f["severity"], f["rule"], f.get("file"), f.get("line")) for f in check["findings"]]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAOPS_CI_CACHE_DIR", str(tmp_path / "cache"))


def test_a_removed_column_used_downstream_fails_at_each_consumer(tmp_path: Path) -> None:
    code, check = run_pr(tmp_path, {"models/marts/customer_segments.sql": NO_TOP})
    assert code == 1 and check["status"] == "failed"
    errors = [r for r in rules(check) if r[0] == "error"]
    assert errors == [
        ("error", "sql-column-removed-but-used", "models/marts/reporting/segment_report.sql", 2 + 1),
        ("error", "sql-column-removed-but-used", "pipelines/segments.yml", 5),
    ]
    pipeline = next(f for f in check["findings"] if f.get("file") == "pipelines/segments.yml")
    assert pipeline["data"]["owner"] == ["data_science_team"] and pipeline["data"]["notify"] == [
        "marketing_team"
    ]
    assert pipeline["path"] == "customer_segments.top_customer_id"
    (target,) = check["data"]["targets"]
    assert target["columns"] == [
        {"column": "top_customer_id", "change": "removed", "old_type": "bigint", "used_by": 2}
    ]


def test_type_change_added_column_and_logic_change_are_classified(tmp_path: Path) -> None:
    changed = SEGMENTS.replace("count(*) as customers", "count(*)::int as customers")
    changed = changed.replace("sum(ltv) as total_lifetime_value", "sum(ltv) * 2 as total_lifetime_value")
    changed = changed.replace("from ranked", "    , min(ltv) as lowest_value\nfrom ranked")
    code, check = run_pr(tmp_path, {"models/marts/customer_segments.sql": changed})
    (target,) = check["data"]["targets"]
    kinds = {c["column"]: c["change"] for c in target["columns"]}
    assert kinds == {
        "customers": "type changed",
        "total_lifetime_value": "logic changed",
        "lowest_value": "added",
    }
    assert ("error", "sql-column-type-changed", "models/marts/reporting/segment_report.sql", 4) in rules(
        check
    )
    assert code == 1


def test_a_changed_macro_of_a_dbt_project_reaches_the_models_that_call_it(tmp_path: Path) -> None:
    # The base is rendered with the base's macros (written out as of that commit), the head with the PR's:
    # before, both sides used the checkout's macro and a macro change reached nothing.
    repo, _ = make_project(tmp_path)
    write(
        repo, {"dbt_project.yml": "name: shop\nprofile: shop\nmodel-paths: [models]\nmacro-paths: [macros]\n"}
    )
    base = commit(repo, "a dbt project")
    write(
        repo, {"macros/money.sql": MACRO.replace("({{ column }} / 100.0)", "cast({{ column }} as integer)")}
    )
    commit(repo, "the PR: money in whole euros")
    out = tmp_path / "report.json"
    argv = ["blast-radius", "-C", str(repo), "--base", base, "--head", "HEAD", "--format", "json"]
    main([*argv, "--report-json", str(out)])
    (check,) = json.loads(out.read_text(encoding="utf-8"))["checks"]
    changed = {t["name"]: {c["column"]: c["change"] for c in t["columns"]} for t in check["data"]["targets"]}
    assert changed == {"stg_customers": {"lifetime_value": "type changed"}}  # its consumers: not targets
    assert check["data"]["targets"][0]["reached_by"] == "a changed macro"
    markdown = render(Report.from_json(out.read_text(encoding="utf-8")), "markdown")
    assert (
        "**Model `stg_customers`** (`models/staging/stg_customers.sql`) — through a changed macro" in markdown
    )
    assert ("error", "sql-column-type-changed", "models/marts/customer_segments.sql", 2) in rules(check)


def test_a_changed_dbt_package_list_says_its_effect_is_not_traced(tmp_path: Path) -> None:
    repo, _ = make_project(tmp_path)
    write(repo, {"dbt_project.yml": "name: shop\nprofile: shop\n", "packages.yml": "packages: []\n"})
    base = commit(repo, "a dbt project")
    write(repo, {"packages.yml": "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n"})
    commit(repo, "the PR: a new package version")
    out = tmp_path / "report.json"
    code = main(["run", "-C", str(repo), "--base", base, "--head", "HEAD", "--report-json", str(out)])
    (check,) = [
        c for c in json.loads(out.read_text(encoding="utf-8"))["checks"] if c["name"] == "blast-radius"
    ]
    assert check["status"] == "passed" and code == 0  # a warning: nothing is known to break
    assert ("warning", "dbt-packages-changed", "packages.yml", None) in rules(check)
    (finding,) = [f for f in check["findings"] if f["rule"] == "dbt-packages-changed"]
    assert "not traced" in finding["message"]


def test_a_change_nobody_uses_says_so(tmp_path: Path) -> None:
    code, check = run_pr(
        tmp_path, {"models/marts/order_summary.sql": ORDER_SUMMARY.replace("count(*)", "count(1)")}
    )
    assert code == 0 and check["status"] == "passed"
    (notice,) = [f for f in check["findings"] if f["rule"] == "sql-model-change"]
    assert notice["message"].endswith("no consumer found in this repository")


def test_a_schema_break_lists_its_consumers_and_one_without_any_says_so(tmp_path: Path) -> None:
    avsc = CUSTOMER_AVSC.replace(
        '{"name": "email", "type": "string"},', '{"name": "tier", "type": "string"},'
    )
    order = ORDER_AVSC.replace('{"name": "customer_id", "type": "long"}', '{"name": "x", "type": "long"}')
    code, check = run_pr(tmp_path, {"schemas/customer.avsc": avsc, "schemas/order.avsc": order})
    by_rule = {f["rule"]: f for f in check["findings"]}
    assert by_rule["schema-change-consumers"]["path"] == "Customer.tier"
    assert "no consumer found in this repository" in by_rule["no-consumer-found"]["message"]
    targets = {t["name"]: t for t in check["data"]["targets"]}
    assert [c["id"] for c in targets["Customer.tier"]["consumers"]] == ["table:raw.customers"]


def test_a_removed_model_still_read_is_an_error(tmp_path: Path) -> None:
    code, check = run_pr(tmp_path, {"models/marts/customer_segments.sql": None})
    read_by = {(r[1], r[2]) for r in rules(check) if r[0] == "error"}
    assert ("sql-model-removed-but-used", "models/marts/reporting/segment_report.sql") in read_by
    assert ("sql-model-removed-but-used", "pipelines/segments.yml") in read_by
    assert code == 1


def test_lineage_allow_approves_a_break_until_it_expires(tmp_path: Path) -> None:
    allow = (
        "lineage:\n  links: {schemas/customer.avsc: raw.customers}\n  allow:\n"
        "    - {rule: sql-column-removed-but-used, path: customer_segments.top_customer_id,"
        " file: pipelines/*.yml, reason: the pipeline moves to v2, expires: 2999-01-01}\n"
        "    - {rule: sql-column-removed-but-used, file: models/**, reason: old, expires: 2000-01-01}\n"
    )
    config = CONFIG.replace("lineage: {schemas/customer.avsc: raw.customers}\n", allow)
    code, check = run_pr(tmp_path, {"models/marts/customer_segments.sql": NO_TOP, "dataops-ci.yml": config})
    by_file = {f.get("file"): f for f in check["findings"] if f["rule"] == "sql-column-removed-but-used"}
    assert by_file["pipelines/segments.yml"]["severity"] == "notice"
    assert by_file["pipelines/segments.yml"]["data"]["approved"] == "the pipeline moves to v2"
    expired = by_file["models/marts/reporting/segment_report.sql"]
    assert (
        expired["severity"] == "error"
        and "lineage.allow" in expired["message"]
        and "expired" in expired["message"]
    )
    assert code == 1


def test_the_approval_label_approves_downstream_breaks(tmp_path: Path) -> None:
    _, check = run_pr(tmp_path, {"models/marts/customer_segments.sql": NO_TOP})
    report = Report.from_dict(
        {"schema_version": 1, "base": "a", "head": "b", "status": "failed", "checks": [check]}
    )
    approved = apply_approval(report, LabelApproval("data-breaking-change-approved", "octocat"))
    result = approved.check("blast-radius")
    assert result is not None and result.status == "passed"
    assert {f.severity for f in result.findings if f.rule == "sql-column-removed-but-used"} == {"notice"}

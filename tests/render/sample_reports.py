"""Reports for the renderer tests, shaped like what the checks produce (keys read from the check modules)."""

from __future__ import annotations

from dataops_ci.report import CheckResult, Finding, Report

HEAD = "4f2c9e1b7a3d5c8e0f6a2b4d9c1e3f5a7b9d0c2e"
BASE = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"
RUN_URL = "https://github.com/acme/data/actions/runs/123456789"
TEAMS = {"marketing_team": "@acme/marketing", "data_platform": "@acme/data-platform", "alice": "alice-gh"}
TOOL_VERSION = "0.0.0-test"


def _report(checks: tuple[CheckResult, ...], **kwargs: object) -> Report:
    return Report(base=BASE, head=HEAD, checks=checks, duration_s=7.25, tool_version=TOOL_VERSION, **kwargs)  # type: ignore[arg-type]


def schema_compat_failed() -> CheckResult:
    files = [
        {"file": "schemas/customer.avsc", "old_file": None, "mode": "BACKWARD", "status": "incompatible"},
        {"file": "schemas/order.avsc", "old_file": None, "mode": "FULL", "status": "incompatible"},
        {"file": "schemas/product.avsc", "old_file": None, "mode": "BACKWARD", "status": "compatible"},
    ]
    findings = (
        Finding(
            "error",
            "field-added-without-default",
            "field `email` was added without a default: records written with the old schema have no value",
            "schemas/customer.avsc",
            14,
            "Customer.email",
            'add a default, e.g. "default": null with type ["null", "string"]',
            data={"breaks": "readers"},
        ),
        Finding(
            "error",
            "field-removed",
            "field `fax` was removed: readers on the old schema still expect it",
            "schemas/order.avsc",
            9,
            "Order.fax",
            "keep the field, or give it a default in the old schema before removing it",
            data={"breaks": "writers"},
        ),
        Finding(
            "notice",
            "type-narrowed",
            "type of `amount` narrowed from double to float",
            "schemas/order.avsc",
            21,
            "Order.amount",
            "widen it back to double",
            data={"breaks": "readers", "approved_by": "octocat"},
        ),
    )
    metrics = {"schemas_checked": 3, "breaking_changes": 2}
    return CheckResult(
        "schema-compat",
        "failed",
        "2 breaking changes in 2 of 3 schemas",
        0.184,
        metrics,
        {"files": files},
        findings,
    )


def expectations_failed() -> CheckResult:
    findings = (
        Finding(
            "error",
            "expectation-failed",
            "expect_column_values_to_not_be_null failed on email",
            "expectations/customers.json",
            data={
                "suite": "expectations/customers.json",
                "expectation": "expect_column_values_to_not_be_null",
                "column": "email",
                "observed": None,
                "expected": {"column": "email"},
                "unexpected_count": 3,
                "unexpected_percent": 1.5,
                "unexpected_values": [None, None, None],
            },
        ),
        Finding(
            "error",
            "expectation-failed",
            "expect_column_values_to_be_between failed on age",
            "expectations/customers.json",
            data={
                "suite": "expectations/customers.json",
                "expectation": "expect_column_values_to_be_between",
                "column": "age",
                "observed": {"min": -3, "max": 212},
                "expected": {"column": "age", "min_value": 0, "max_value": 130},
                "unexpected_count": 7,
                "unexpected_percent": 3.5,
                "unexpected_values": [-3, -1, 140, 150, 170, 200, 212],
            },
        ),
    )
    metrics = {"expectations_evaluated": 50, "expectations_passed": 48, "quality_score": 0.96}
    suites = [
        {
            "suite": "expectations/customers.json",
            "data": "data/customers.csv",
            "engine": "pandas",
            "score": 0.9,
            "evaluated": 20,
            "passed": 18,
            "status": "failed",
            "base_score": 0.95,
        },
        {
            "suite": "expectations/orders.json",
            "data": "postgresql://db/orders",
            "engine": "sql",
            "score": 1.0,
            "evaluated": 30,
            "passed": 30,
            "status": "passed",
        },
    ]
    data = {"min_quality_score": 0.95, "suites": suites}
    return CheckResult(
        "expectations", "failed", "48 of 50 expectations passed", 3.412, metrics, data, findings
    )


def pipelines_passed() -> CheckResult:
    finding = Finding(
        "notice",
        "pipeline-affected",
        "pipeline customer_pipeline reads a changed schema",
        "pipelines/customer_pipeline.yml",
        3,
        data={
            "pipeline": "customer_pipeline",
            "owner": "marketing_team",
            "reviewers": ["data_platform", "bob"],
            "notify": ["marketing_team", "alice"],
        },
    )
    return CheckResult("pipelines", "passed", "1 pipeline affected", 0.051, {}, {}, (finding,))


def sql_lint_failed() -> CheckResult:
    findings = (
        Finding(
            "warning",
            "sqlfluff-lt01",
            "LT01 (layout.spacing): Expected single whitespace between keywords",
            "models/customer_segments.sql",
            12,
            column=7,
            data={"code": "LT01", "name": "layout.spacing", "changed_line": False},
        ),
        Finding(
            "error",
            "sqlfluff-am04",
            "AM04 (ambiguous.column_count): Query produces an unknown number of result columns",
            "models/customer_segments.sql",
            3,
            column=1,
            hint="list the columns instead of *",
            data={"code": "AM04", "name": "ambiguous.column_count", "changed_line": True},
        ),
        Finding(
            "error",
            "sql-parse-error",
            "SQL cannot be parsed: Found unparsable section: 'SELEC id'",
            "models/orders.sql",
            1,
            column=1,
            hint="if this SQL is valid in your database, set its dialect",
            data={"code": "PRS", "name": ""},
        ),
    )
    metrics = {"files": 2, "violations_reported": 3}
    summary = "3 violations on changed lines of 2 SQL files (2 linted, 0 from cache)"
    return CheckResult("sql-lint", "failed", summary, 1.07, metrics, {}, findings)


def tests_failed() -> CheckResult:
    node = "tests/test_customer_transform.py::test_segments"
    details = (
        "    def test_segments():\n        segments = segment(customers)\n>       assert len(segments) == 3\n"
        "E       AssertionError: assert 2 == 3\nE        +  where 2 = len(['gold', 'silver'])"
    )
    finding = Finding(
        "error",
        "test-failed",
        "test_segments failed: AssertionError: assert 2 == 3",
        "tests/test_customer_transform.py",
        27,
        node,
        data={"test": node, "details": details, "test_line": 24},
    )
    metrics = {"tests": 13, "passed": 11, "failed": 1, "errored": 0, "skipped": 1, "time_s": 12.5}
    return CheckResult("tests", "failed", "1 of 13 tests failed", 12.5, metrics, {}, (finding,))


def failing() -> Report:
    """Every check, most of them failing, with the base quality score for the delta."""
    checks = (
        schema_compat_failed(),
        expectations_failed(),
        pipelines_passed(),
        sql_lint_failed(),
        tests_failed(),
    )
    return _report(checks, quality_score=0.96, context={"base_quality_score": 0.98})


def passing() -> Report:
    checks = (
        CheckResult(
            "schema-compat", "passed", "1 schema compatible (BACKWARD)", 0.1, {"breaking_changes": 0}
        ),
        CheckResult(
            "expectations",
            "passed",
            "50 of 50 expectations passed",
            2.0,
            {"expectations_evaluated": 50, "expectations_passed": 50},
        ),
        CheckResult("pipelines", "passed", "1 pipeline valid", 0.04),
        CheckResult("sql-lint", "skipped", "no SQL files to lint in this change"),
        CheckResult("tests", "passed", "13 passed", 75.3, {"passed": 13, "failed": 0}),
    )
    return _report(checks, quality_score=1.0, context={"base_quality_score": 1.0})


def many_findings(count: int = 300) -> Report:
    """`count` SQL findings with long messages in 30 files, plus one breaking schema change."""
    findings = tuple(
        Finding(
            "error",
            "sqlfluff-lt05",
            f"LT05 (layout.long_lines): Line is too long ({120 + i} > 80). " + "Long explanation. " * 12,
            f"models/generated_{i % 30:02d}.sql",
            i + 1,
            column=81,
            hint="split the line",
            data={"code": "LT05", "changed_line": i % 2 == 0},
        )
        for i in range(count)
    )
    sql = CheckResult("sql-lint", "failed", f"{count} violations on changed lines", 4.0, {}, {}, findings)
    return _report((schema_compat_failed(), sql), quality_score=None)


HOSTILE = (
    "@org/team #1 <script>alert(1)</script> ``` | pipe | <!-- dataops-ci:summary key=ci:data --> "
    "<!-- dataops-ci:head-sha=ffffffffffffffffffffffffffffffffffffffff --> [x](https://evil.example) "
    "**bold** GH-12 acme/data#7 $\\color{red}x$ \u202eevil\u202c"
)


def hostile() -> Report:
    """Attacker-controlled text in every field a PR can influence."""
    text = HOSTILE
    schema = CheckResult(
        "schema-compat",
        "failed",
        text,
        0.2,
        {},
        {"files": [{"file": f"schemas/{text}.avsc", "mode": text, "status": "incompatible"}]},
        (
            Finding(
                "error",
                "field-removed",
                text,
                f"schemas/{text}.avsc",
                3,
                text,
                text,
                data={"breaks": "readers"},
            ),
        ),
    )
    expectation = Finding(
        "error",
        "expectation-failed",
        text,
        data={
            "suite": text,
            "expectation": text,
            "column": text,
            "observed": text,
            "expected": text,
            "unexpected_count": 1,
            "unexpected_values": [text, "````", "|", "@everyone"],
        },
    )
    expectations = CheckResult("expectations", "failed", text, 0.3, {}, {}, (expectation,))
    pipeline = Finding(
        "notice",
        "pipeline-affected",
        text,
        f"pipelines/{text}.yml",
        data={"pipeline": text, "owner": "@evil-org/admins", "notify": [text, "marketing_team", "@evil"]},
    )
    pipelines = CheckResult("pipelines", "passed", text, 0.1, {}, {}, (pipeline,))
    test = Finding("error", "test-failed", f"{text}\n```\n</details>\n{text}", "tests/t.py", 1, text)
    tests = CheckResult("tests", "failed", text, 0.4, {"failed": 1}, {}, (test,))
    context = {"run_url": "javascript:alert(1)", "teams": {"@evil": "@everyone"}}
    return _report((schema, expectations, pipelines, tests), quality_score=0.5, context=context)

"""Pipeline definitions: validation with file:LINE findings, schedules, and compilation to expectations."""

from __future__ import annotations

import datetime as dt

import pytest

from dataops_ci.pipelines.compile import compile_pipeline
from dataops_ci.pipelines.definition import PipelineFile, load_pipeline
from dataops_ci.pipelines.schedule import schedule_problem

GOOD = """\
name: customer_segmentation
owner: data_science_team
reviewers: [marketing_analytics, data_engineering]
schedule: daily
dataset: {data: data/customers.csv, schema: schemas/customer.avsc}
quality_checks:
  - {type: completeness, columns: [customer_id, email], threshold: 0.99, notify: [data_engineers]}
  - {type: freshness, column: updated_at, max_delay_hours: 4, notify: [marketing_team]}
  - {type: uniqueness, columns: [customer_id]}
  - {type: row_count, min: 1000}
"""
FILES = {"data/customers.csv", "schemas/customer.avsc"}


def load(text: str, teams: dict[str, str] | None = None) -> PipelineFile:
    return load_pipeline("pipelines/p.yml", text, lambda p: p in FILES, teams)


def rules(file: PipelineFile) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in file.findings]


def test_the_issue_example_is_valid() -> None:
    file = load(GOOD)

    assert file.valid and file.findings == ()
    assert file.definition is not None
    assert file.definition.owner == "data_science_team"
    assert [c.type for c in file.definition.quality_checks] == [
        "completeness",
        "freshness",
        "uniqueness",
        "row_count",
    ]
    assert file.check_line(1) == 8


@pytest.mark.parametrize(
    ("old", "new", "rule", "line"),
    [
        ("owner: data_science_team\n", "", "pipeline-missing-owner", 1),
        ("owner: data_science_team", "owner: ''", "pipeline-missing-owner", 2),
        ("owner: data_science_team", "owner: [a, b]", "pipeline-invalid-owner", 2),
        ("schedule: daily", "schedule: every day", "pipeline-invalid-schedule", 4),
        ("schedule: daily", "schedule: '*/0 * * * *'", "pipeline-invalid-schedule", 4),
        ("{type: row_count, min: 1000}", "{type: row_cnt, min: 1000}", "pipeline-unknown-check", 10),
        ("{type: row_count, min: 1000}", "{min: 1000}", "pipeline-unknown-check", 10),
        ("threshold: 0.99", "threshold: 1.5", "pipeline-invalid-check", 7),
        ("threshold: 0.99", "threshold: high", "pipeline-invalid-check", 7),
        ("max_delay_hours: 4", "max_delay_hours: -1", "pipeline-invalid-check", 8),
        ("{type: row_count, min: 1000}", "{type: row_count, min: 10, max: 5}", "pipeline-invalid-check", 10),
        ("columns: [customer_id]}", "columns: []}", "pipeline-invalid-check", 9),
        ("data/customers.csv", "data/typo.csv", "pipeline-missing-file", 5),
        ("schemas/customer.avsc", "schemas/nope.avsc", "pipeline-missing-file", 5),
        ("data/customers.csv", "../outside.csv", "pipeline-missing-file", 5),
        (
            "dataset: {data: data/customers.csv, schema: schemas/customer.avsc}\n",
            "",
            "pipeline-missing-dataset",
            1,
        ),
        (
            "reviewers: [marketing_analytics, data_engineering]",
            "reviewers: {a: 1}",
            "pipeline-invalid-definition",
            3,
        ),
    ],
)
def test_each_problem_has_its_rule_and_line(old: str, new: str, rule: str, line: int) -> None:
    assert old in GOOD
    file = load(GOOD.replace(old, new, 1))

    assert not file.valid
    assert (rule, line) in rules(file), file.findings


def test_invalid_yaml_is_could_not_check_with_the_parser_line() -> None:
    file = load("name: x\nowner: y\ndataset: {data: data/customers.csv\nquality_checks: []\n")

    assert file.definition is None
    assert [f.rule for f in file.findings] == ["cannot-parse-pipeline"]
    assert file.findings[0].line == 4


def test_a_definition_that_is_not_a_mapping() -> None:
    file = load("- just\n- a list\n")

    assert rules(file) == [("cannot-parse-pipeline", 1)]
    assert "got an empty file" in load("# nothing yet\n").findings[0].message


def test_yaml_alias_bombs_are_refused_before_validation() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(6)]
    file = load("\n".join(levels) + "\nowner: *g\n")

    assert [f.rule for f in file.findings] == ["cannot-parse-pipeline"]
    assert "more than 20000 values" in file.findings[0].message


def test_unknown_keys_are_warnings_that_point_at_the_key() -> None:
    text = GOOD.replace("threshold: 0.99", "treshold: 0.99").replace("schedule: daily", "schedul: daily")
    file = load(text)

    assert file.valid  # warnings only: the pipeline still runs
    assert sorted(rules(file)) == [("pipeline-unknown-key", 4), ("pipeline-unknown-key", 7)]
    assert {f.path for f in file.findings} == {"schedul", "quality_checks[0].treshold"}


def test_unknown_keys_with_brackets_are_warnings_too() -> None:
    file = load(GOOD + '"odd[key]": 1\n"x[": 2\n')

    assert file.valid, file.findings  # was: "cannot read the definition: ValueError"
    assert rules(file) == [("pipeline-unknown-key", 11), ("pipeline-unknown-key", 12)]


def test_unknown_teams_are_warned_about_only_when_teams_are_configured() -> None:
    teams = {"data_science_team": "@acme/ds", "marketing_team": "@acme/marketing"}
    file = load(GOOD, teams)

    unknown = sorted((f.line, f.message.split("'")[1]) for f in file.findings)
    assert unknown == [(3, "data_engineering"), (3, "marketing_analytics"), (7, "data_engineers")]
    assert load(GOOD, {}).findings == ()


def test_the_file_name_is_the_default_pipeline_name_and_a_bare_dataset_path_works() -> None:
    file = load("owner: ops\ndataset: data/customers.csv\n")

    assert file.valid and file.definition is not None
    assert file.definition.name == "p"


def test_a_sql_dataset_needs_no_file() -> None:
    text = "owner: ops\ndataset:\n  data: {engine: sql, url: '${DB_URL}', table: public.orders}\n"
    file = load(text)

    assert file.valid, file.findings


@pytest.mark.parametrize(
    "schedule",
    [
        "daily",
        "hourly",
        "@weekly",
        "Monthly",
        "0 6 * * *",
        "*/15 * * * *",
        "0 6 * JAN-MAR MON-FRI",
        "5,35 1-3/2 1 * 0",
    ],
)
def test_valid_schedules(schedule: str) -> None:
    assert schedule_problem(schedule) is None


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ("every day", "neither a named schedule"),
        ("0 6 * *", "it has 4 fields"),
        ("60 * * * *", "60 is outside 0-59"),
        ("0 24 * * *", "24 is outside 0-23"),
        ("0 0 0 * *", "0 is outside 1-31"),
        ("0 0 * 13 *", "13 is outside 1-12"),
        ("0 0 * * 8", "8 is outside 0-7"),
        ("0 0 * * FUNDAY", "'FUNDAY' is not a number or name"),
        ("0 5-1 * * *", "runs backwards"),
        ("*/x * * * *", "step 'x'"),
        ("@reboot", "neither a named schedule"),
    ],
)
def test_invalid_schedules_say_what_is_wrong(schedule: str, says: str) -> None:
    problem = schedule_problem(schedule)

    assert problem is not None and says in problem


NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def compiled(text: str) -> list[dict[str, object]]:
    file = load(text)
    assert file.definition is not None, file.findings
    expectations, _ = compile_pipeline(file.definition, NOW)
    return [{"type": e["type"], **e["kwargs"]} for e in expectations]


def test_compilation_of_the_issue_example() -> None:
    assert compiled(GOOD) == [
        {"type": "expect_column_values_to_not_be_null", "column": "customer_id", "mostly": 0.99},
        {"type": "expect_column_values_to_not_be_null", "column": "email", "mostly": 0.99},
        {
            "type": "expect_column_max_to_be_between",
            "column": "updated_at",
            "min_value": "2026-11-24T08:00:00+00:00",
        },
        {"type": "expect_column_values_to_be_unique", "column": "customer_id"},
        {"type": "expect_table_row_count_to_be_between", "min_value": 1000},
    ]


def test_compilation_of_the_other_check_types() -> None:
    text = """\
owner: ops
dataset: data/customers.csv
quality_checks:
  - {type: uniqueness, columns: [email, segment], threshold: 0.9}
  - {type: accepted_values, column: segment, values: [gold, silver]}
  - {type: range, column: lifetime_value, min: 0, threshold: 0.95}
  - {type: pattern, column: email, regex: "@"}
  - {type: row_count, max: 10}
"""
    assert compiled(text) == [
        {"type": "expect_compound_columns_to_be_unique", "column_list": ["email", "segment"], "mostly": 0.9},
        {"type": "expect_column_values_to_be_in_set", "column": "segment", "value_set": ["gold", "silver"]},
        {
            "type": "expect_column_values_to_be_between",
            "column": "lifetime_value",
            "min_value": 0.0,
            "mostly": 0.95,
        },
        {"type": "expect_column_values_to_match_regex", "column": "email", "regex": "@"},
        {"type": "expect_table_row_count_to_be_between", "max_value": 10},
    ]


def test_compiled_expectations_map_back_to_their_checks() -> None:
    file = load(GOOD)
    assert file.definition is not None
    expectations, checks = compile_pipeline(file.definition, NOW)

    assert [c.expectation_indexes for c in checks] == [(0, 1), (2,), (3,), (4,)]
    assert all(e["meta"]["pipeline"] == "customer_segmentation" for e in expectations)
    assert checks[1].expected == "newest updated_at at most 4 h old (at or after 2026-11-24T08:00:00Z)"

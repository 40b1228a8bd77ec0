"""The `pipelines` check in real git repositories: changed-only selection, revisions, bad data, lint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from dataops_ci import runner
from dataops_ci.checks import pipelines
from dataops_ci.report import CheckResult
from tests.conftest import Repo

CLOCK = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
SCHEMA = json.dumps({"type": "record", "name": "R", "fields": [{"name": "id", "type": "long"}]})


def pipeline(name: str, data: str, schema: str | None = None, checks: str = "") -> str:
    dataset = f"{{data: {data}" + (f", schema: {schema}}}" if schema else "}")
    return f"name: {name}\nowner: data_engineering\ndataset: {dataset}\nquality_checks:\n{checks or '  []'}\n"


def three_pipelines() -> dict[str, str]:
    return {
        "pipelines/a.yml": pipeline("a", "data/a.csv"),
        "pipelines/b.yml": pipeline("b", "data/b.csv", "schemas/b.avsc"),
        "pipelines/c.yml": pipeline("c", "data/c.csv"),
        "data/a.csv": "id\n1\n",
        "data/b.csv": "id\n1\n",
        "data/c.csv": "id\n1\n",
        "schemas/b.avsc": SCHEMA,
    }


def context(repo: Repo, **kwargs: Any) -> Any:
    ctx = runner.build_context(
        cwd=repo.root, base=kwargs.pop("base", None), head=None, config_file=None, env={}, **kwargs
    )
    return dataclasses.replace(ctx, clock=lambda: CLOCK)


def selected_names(repo: Repo, **kwargs: Any) -> list[str]:
    from dataops_ci.pipelines.select import load_all, select

    ctx = context(repo, **kwargs)
    return sorted(f.definition.name for f in select(ctx, load_all(ctx)) if f.definition)


def test_changed_only_selects_pipelines_whose_definition_data_or_schema_changed(repo: Repo) -> None:
    repo.commit("base", three_pipelines())
    assert selected_names(repo) == []
    assert not pipelines.applies(context(repo))

    repo.write({"schemas/b.avsc": SCHEMA.replace("long", "int")})
    assert selected_names(repo) == ["b"]
    repo.write({"data/a.csv": "id\n2\n"})
    assert selected_names(repo) == ["a", "b"]
    repo.write({"pipelines/c.yml": pipeline("c", "data/c.csv") + "schedule: daily\n"})
    assert selected_names(repo) == ["a", "b", "c"]
    assert pipelines.applies(context(repo))


def test_all_files_explicit_files_and_a_changed_config(repo: Repo) -> None:
    repo.commit("base", three_pipelines())

    assert selected_names(repo, all_files=True) == ["a", "b", "c"]
    assert selected_names(repo, files=["data/c.csv", "README.md"]) == ["c"]
    repo.write({"dataops-ci.yml": "teams: {data_engineering: '@acme/de'}\n"})
    assert selected_names(repo) == ["a", "b", "c"]


def test_nothing_selected_is_skipped(repo: Repo) -> None:
    repo.commit("base", three_pipelines())

    assert pipelines.run(context(repo)).status == "skipped"


def run(repo: Repo, **kwargs: Any) -> CheckResult:
    return pipelines.run(context(repo, all_files=True, **kwargs))


def test_unreadable_data_is_could_not_check_and_other_pipelines_still_run(repo: Repo) -> None:
    check = "  - {type: completeness, columns: [id]}"
    repo.commit(
        "base",
        {
            "pipelines/good.yml": pipeline("good", "data/good.csv", checks=check),
            "pipelines/corrupt.yml": pipeline("corrupt", "data/corrupt.parquet", checks=check),
            "data/good.csv": "id\n1\n2\n",
            "data/corrupt.parquet": b"PAR1 this is not parquet",
        },
    )
    result = run(repo)

    assert result.status == "error"
    assert [(f.rule, f.file, f.line) for f in result.findings] == [
        ("cannot-read-data", "pipelines/corrupt.yml", 3)
    ]
    statuses = {e["name"]: e["status"] for e in result.data["pipelines"]}
    assert statuses == {"corrupt": "error", "good": "passed"}
    assert result.metrics["expectations_evaluated"] == 1 and result.metrics["expectations_passed"] == 1


def test_a_check_on_a_missing_column_could_not_run(repo: Repo) -> None:
    checks = "  - {type: freshness, column: updated_at, max_delay_hours: 1}\n  - {type: row_count, min: 1}"
    repo.commit(
        "base", {"pipelines/p.yml": pipeline("p", "data/p.csv", checks=checks), "data/p.csv": "id\n1\n"}
    )
    result = run(repo)

    assert [(f.rule, f.line) for f in result.findings] == [("cannot-run-quality-check", 5)]
    assert result.status == "error"


def test_freshness_on_typed_timestamps_zoned_and_zone_less(repo: Repo) -> None:
    import pandas as pd

    for name, values in {"zoned": ["2026-11-24T10:00:00Z"], "naive": ["2026-11-24T10:00:00"]}.items():
        pd.DataFrame({"ts": pd.to_datetime(values)}).to_parquet(repo.root / f"{name}.parquet")
    fresh = "  - {type: freshness, column: ts, max_delay_hours: 3}"
    stale = "  - {type: freshness, column: ts, max_delay_hours: 1}"
    files = {
        f"pipelines/{n}_{k}.yml": pipeline(f"{n}_{k}", f"{n}.parquet", checks=c)
        for n in ("zoned", "naive")
        for k, c in (("fresh", fresh), ("stale", stale))
    }
    repo.commit("base", files)
    result = run(repo)

    failed = sorted(f.data["pipeline"] for f in result.findings)
    assert failed == ["naive_stale", "zoned_stale"], [f.message for f in result.findings]
    assert result.metrics["expectations_evaluated"] == 4


def test_head_revision_is_read_from_git_not_the_working_tree(repo: Repo) -> None:
    checks = "  - {type: row_count, min: 2}"
    repo.commit(
        "base", {"pipelines/p.yml": pipeline("p", "data/p.csv", checks=checks), "data/p.csv": "id\n1\n"}
    )
    head = repo.commit("grow", {"data/p.csv": "id\n1\n2\n"})
    repo.write({"data/p.csv": "id\n"})  # the working tree is worse than the commit
    ctx = runner.build_context(cwd=repo.root, base="HEAD~1", head=head, config_file=None, env={})

    result = pipelines.run(ctx)

    assert result.status == "passed", [f.message for f in result.findings]
    assert result.metrics["expectations_passed"] == 1


def test_team_handles_from_config(repo: Repo) -> None:
    checks = "  - {type: row_count, min: 5, notify: [marketing_team]}"
    repo.commit(
        "base",
        {
            "pipelines/p.yml": pipeline("p", "data/p.csv", checks=checks),
            "data/p.csv": "id\n1\n",
            "dataops-ci.yml": "teams: {marketing_team: '@acme/marketing', data_engineering: '@acme/de'}\n",
        },
    )
    finding = run(repo).findings[0]

    assert finding.data["handles"] == ["@acme/de", "@acme/marketing"]


LIGHT_SCRIPT = """
import sys
from pathlib import Path
from dataops_ci import cli, runner
from dataops_ci.checks import pipelines
ctx = runner.build_context(cwd=Path(sys.argv[1]), base=None, head=None, config_file=None, all_files=True)
assert pipelines.applies(ctx)
code = cli.main(["pipelines", "--no-data", "-C", sys.argv[1], "pipelines/bad.yml", "pipelines/ok.yml"])
heavy = sorted(m for m in ("great_expectations", "pandas", "pyarrow") if m in sys.modules)
print("EXIT", code, "HEAVY", heavy)
"""


def test_applies_and_no_data_lint_through_the_cli_import_nothing_heavy(repo: Repo, tmp_path: Path) -> None:
    repo.commit(
        "base",
        {
            "pipelines/ok.yml": pipeline("ok", "data/p.csv"),
            "pipelines/bad.yml": "name: bad\nowner: x\nschedule: '0 6 * *'\ndataset: {data: data/p.csv}\n",
            "data/p.csv": "id\n1\n",
        },
    )
    script = tmp_path / "light.py"
    script.write_text(textwrap.dedent(LIGHT_SCRIPT))
    env = {**os.environ, "GITHUB_ACTIONS": ""}
    proc = subprocess.run(
        [sys.executable, str(script), str(repo.root)], capture_output=True, text=True, env=env
    )

    assert "EXIT 1 HEAVY []" in proc.stdout, proc.stdout + proc.stderr
    assert "pipelines/bad.yml:3" in proc.stdout  # file:line of the invalid schedule
    assert "pipeline-invalid-schedule" in proc.stdout


def test_lint_files_returns_definition_findings_only(repo: Repo) -> None:
    repo.commit("base", {"pipelines/p.yml": "name: p\ndataset: {data: data/nope.csv}\n"})

    findings = pipelines.lint_files(context(repo, all_files=True))

    assert sorted((f.rule, f.line) for f in findings) == [
        ("pipeline-missing-file", 2),
        ("pipeline-missing-owner", 1),
    ]


def test_contract_on_an_avro_file_and_a_parquet_directory(repo: Repo) -> None:
    import fastavro
    import pandas as pd

    schema = {
        "type": "record",
        "name": "Event",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "seen_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "note", "type": ["null", "string"], "default": None},
        ],
    }
    seen = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    (repo.root / "data/events").mkdir(parents=True)
    with (repo.root / "data/events.avro").open("wb") as handle:
        records = [{"id": 1, "seen_at": seen, "tags": ["a"], "note": None}]
        fastavro.writer(handle, fastavro.parse_schema(schema), records)
    pd.DataFrame({"id": [1.5], "seen_at": [seen]}).to_parquet(repo.root / "data/events/part-0.parquet")
    freshness = "  - {type: freshness, column: seen_at, max_delay_hours: 3}"
    repo.commit(
        "base",
        {
            "schemas/event.avsc": json.dumps(schema),
            "pipelines/avro.yml": pipeline("avro", "data/events.avro", "schemas/event.avsc", freshness),
            "pipelines/dir.yml": pipeline("dir", "data/events/", "schemas/event.avsc", freshness),
        },
    )
    result = run(repo)

    found = sorted((f.file, f.rule, f.path, f.line, f.severity) for f in result.findings)
    assert found == [
        ("data/events/", "contract-missing-column", "note", None, "warning"),
        ("data/events/", "contract-missing-column", "tags", None, "error"),
        ("data/events/", "contract-type-mismatch", "id", None, "error"),
    ]
    assert result.metrics["expectations_passed"] == 2


def test_duplicate_pipeline_names(repo: Repo) -> None:
    repo.commit(
        "base",
        {
            "pipelines/a.yml": "# first\nname: customers\nowner: x\ndataset: data/p.csv\n",
            "pipelines/b.yml": "name: customers\nowner: y\ndataset: data/p.csv\n",
            "data/p.csv": "id\n1\n",
        },
    )
    findings = pipelines.lint_files(context(repo, all_files=True))

    assert sorted((f.rule, f.file, f.line) for f in findings) == [
        ("pipeline-duplicate-name", "pipelines/a.yml", 2),
        ("pipeline-duplicate-name", "pipelines/b.yml", 1),
    ]


def test_compare_base_scores_the_same_checks_on_the_base_data(repo: Repo) -> None:
    checks = "  - {type: completeness, columns: [id]}\n  - {type: uniqueness, columns: [id]}\n"
    repo.commit(
        "base",
        {
            "dataops-ci.yml": "expectations: {compare_base: true}\n",
            "pipelines/a.yml": pipeline("a", "data/a.csv", checks=checks),
            "data/a.csv": "id\n1\n2\n",
        },
    )
    repo.write({"data/a.csv": "id\n1\n1\n"})  # the PR duplicates an id: uniqueness now fails

    result = pipelines.run(context(repo))

    metrics = result.metrics
    assert (metrics["expectations_passed"], metrics["expectations_evaluated"]) == (1, 2)
    assert (metrics["base_expectations_passed"], metrics["base_expectations_evaluated"]) == (2, 2)
    assert [f.rule for f in result.findings] == ["pipeline-uniqueness-failed"]

"""`dataops-ci run --format markdown|sarif|junit|annotations` end to end on a real git repository."""

from __future__ import annotations

import json

import pytest

from dataops_ci import cli
from tests.conftest import Repo

OLD = '{"type": "record", "name": "Customer", "fields": [{"name": "id", "type": "long"}]}\n'
NEW = (
    '{"type": "record", "name": "Customer", "fields": [\n'
    '  {"name": "id", "type": "long"},\n'
    '  {"name": "email", "type": "string"}\n'
    "]}\n"
)


@pytest.fixture
def breaking_change(repo: Repo) -> Repo:
    repo.commit("base", {"schemas/customer.avsc": OLD})
    repo.write({"schemas/customer.avsc": NEW})
    return repo


def run(repo: Repo, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["run", "--checks", "schema-compat", "--format", fmt, "-C", str(repo.root)])
    return code, capsys.readouterr().out


def test_markdown_comment_for_a_breaking_schema_change(
    breaking_change: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(breaking_change, "markdown", capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "### ❌ 1 breaking schema change"
    assert "| ❌\u00a0failed | `schema-compat` |" in out
    assert "**`schemas/customer.avsc`** (mode `BACKWARD`, incompatible)" in out
    assert "`Customer.email` `line 3` **field-added-without-default** (breaks **readers**)" in out
    assert lines[-1].startswith("<sub>Results for the working tree at ")


def test_machine_formats_from_the_same_run(breaking_change: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    _, sarif = run(breaking_change, "sarif", capsys)
    result = json.loads(sarif)["runs"][0]["results"][0]
    assert result["ruleId"] == "schema-compat/field-added-without-default"
    _, annotations = run(breaking_change, "annotations", capsys)
    assert annotations.startswith("::error file=schemas/customer.avsc,line=3,")
    _, junit = run(breaking_change, "junit", capsys)
    assert '<testsuite name="schema-compat"' in junit

"""The blast-radius section of the PR comment: golden file from a real run on a dbt-shaped project, the
Mermaid picture parsed and rendered by mermaid itself, hostile names, and the node cap."""

from __future__ import annotations

import re

import pytest

from dataops_ci.cli import main
from dataops_ci.render import mermaid
from dataops_ci.render.md_sections import section_for
from dataops_ci.report import CheckResult, Report
from tests.lineage.project import CUSTOMER_AVSC, SEGMENTS, commit, make_project, write
from tests.render.golden import assert_golden
from tests.render.mermaid_browser import needs_chromium, render

pytest.importorskip("sqlglot")
BLOCK = re.compile(r"```mermaid\n(.*?)\n```", re.DOTALL)
HOSTILE = '<img src=x onerror=alert(1)> "]; click n0 call alert(1) %%{init: {"securityLevel": "loose"}}%%'
HOSTILE += " `x` @org/team"


@pytest.fixture(scope="module")
def blast(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    root = tmp_path_factory.mktemp("blast")
    repo, base = make_project(root)
    segments = SEGMENTS.replace(",\n    max(customer_id) as top_customer_id", "")
    segments = segments.replace("count(*) as customers", "count(*)::int as customers")
    tier = '{"name": "segment", "type": "string"}, {"name": "tier", "type": "string"},'
    avsc = CUSTOMER_AVSC.replace('{"name": "segment", "type": "string"},', tier)
    write(repo, {"models/marts/customer_segments.sql": segments, "schemas/customer.avsc": avsc})
    commit(repo, "head")
    out = root / "report.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAOPS_CI_CACHE_DIR", str(root / "cache"))
        argv = ["run", "-C", str(repo), "--base", base, "--head", "HEAD", "--checks", "blast-radius"]
        assert main([*argv, "--format", "json", "--report-json", str(out)]) == 1
    report = Report.from_json(out.read_text(encoding="utf-8"))
    check = report.check("blast-radius")
    assert check is not None
    return check


def section_text(check: CheckResult) -> str:
    section = section_for(check)
    assert section is not None
    return section.text("the report artifact")


def test_section_matches_golden_file(blast: CheckResult) -> None:
    assert_golden("blast_radius.md", section_text(blast))


def test_section_says_who_uses_what_and_where(blast: CheckResult) -> None:
    text = section_text(blast)
    assert "column removed: `top_customer_id`, used by 2" in text
    assert "column type changed: `customers` (bigint → int), used by 1" in text
    assert "pipeline `segments` at `pipelines/segments.yml:5` uses `top_customer_id`" in text
    assert "depth 2 · exposure `segment_dashboard`" in text
    assert "**`Customer.tier`** in `schemas/customer.avsc`: `field-added-without-default`" in text


@needs_chromium
def test_the_picture_parses_and_renders_with_mermaid(blast: CheckResult) -> None:
    (block,) = BLOCK.findall(section_text(blast))
    result = render(block)
    assert result["ok"], result
    assert result["type"] == "flowchart-v2"
    nodes = [line for line in block.splitlines() if re.match(r"\s+n\d+\[", line)]
    assert len(result["labels"]) == len(nodes) == 8
    assert "model segment_report" in result["labels"]
    assert result["edges"] == block.count("-->")


def _hostile_check(consumers: int) -> CheckResult:
    entries = [
        {"id": f"model:m{i}", "kind": "model", "name": f"m{i} {HOSTILE}", "depth": 1, "via": "model:x",
         "uses": HOSTILE, "file": f"models/{HOSTILE}.sql", "line": 3}
        for i in range(consumers)
    ]  # fmt: skip
    target = {"kind": "model", "name": HOSTILE, "start": "model:x", "change": "changed", "consumers": entries}
    finding = {"severity": "notice", "rule": "sql-model-change", "message": HOSTILE}
    raw = {"name": "blast-radius", "status": "passed", "summary": HOSTILE, "data": {"targets": [target]},
           "findings": [finding]}  # fmt: skip
    return CheckResult.from_dict(raw)


def test_hostile_names_cannot_add_nodes_directives_or_html() -> None:
    block = mermaid.blast_radius(_hostile_check(3).data["targets"])
    lines = block.splitlines()
    assert lines[0] == "flowchart LR"
    structure = re.compile(
        r'\s+(n\d+\["[^"]*"\](:::\w+)?|n\d+ -->(\|"[^"]*"\|)? n\d+|classDef \w+ [\w:#,. -]+)$'
    )
    assert [line for line in lines[1:] if not structure.fullmatch(line)] == []
    assert "<" not in block and "`" not in block and "%%" not in block and "@" not in block


@needs_chromium
def test_hostile_names_render_as_text_in_mermaid() -> None:
    block = mermaid.blast_radius(_hostile_check(3).data["targets"])
    result = render(block)
    assert result["ok"], result
    assert len(result["labels"]) == 4
    assert not {"img", "script", "a", "iframe"} & set(result["tags"])
    assert all("img src=x onerror=alert(1)" in label for label in result["labels"])  # shown, not run


def test_the_picture_is_capped_with_and_n_more() -> None:
    block = mermaid.blast_radius(_hostile_check(50).data["targets"])
    nodes = [line for line in block.splitlines() if re.match(r"\s+n\d+\[", line)]
    assert len(nodes) == mermaid.MAX_NODES
    assert 'more["#8230; and 21 more"]' in block  # 1 changed model + 50 consumers, 30 drawn

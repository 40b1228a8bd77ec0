"""The action and workflows as GitHub and auditors see them: schema-valid, zizmor-clean, every third-party
action pinned by full commit SHA with its version in a comment, inputs never expanded inside `run:`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ship.harness import (
    OUR_ACTION,
    ROOT,
    SHIPPED_YAML,
    STAND_INS,
    TEST_WORKFLOWS,
    WORKFLOWS,
    load_yaml,
    uses_in,
)

BIN = Path(sys.executable).parent
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^v\d+\.\d+\.\d+\b")


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_zizmor_reports_nothing() -> None:
    proc = run_tool(str(BIN / "zizmor"), "--offline", "--no-progress", "action.yml", ".github/workflows/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-actions", ["action.yml"]),
        ("vendor.github-workflows", sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.yml"))),
    ],
)
def test_github_schemas_accept_the_files(schema: str, files: list[str]) -> None:
    proc = run_tool(str(BIN / "check-jsonschema"), "--builtin-schema", schema, *files)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_third_party_action_is_pinned_by_sha_with_its_version() -> None:
    third_party = [u for u in uses_in() if not u.target.startswith(".") and u.repo != OUR_ACTION]
    assert third_party, "no uses: found"
    for use in third_party:
        where = f"{use.file.name}:{use.line}"
        assert FULL_SHA.match(use.ref), f"{where}: {use.target} is not pinned by a 40-hex commit SHA"
        assert VERSION_COMMENT.match(use.comment), f"{where}: add the version as a comment (# vX.Y.Z)"


def test_one_sha_per_action_everywhere() -> None:
    refs: dict[str, set[str]] = {}
    for use in uses_in([*SHIPPED_YAML, *TEST_WORKFLOWS.glob("*.yml")]):
        if not use.target.startswith("."):
            refs.setdefault(use.repo, set()).add(use.ref)
    assert {repo: sorted(r) for repo, r in refs.items() if len(r) > 1} == {}


def test_every_action_used_has_a_local_stand_in_for_act() -> None:
    for use in uses_in([*SHIPPED_YAML, *TEST_WORKFLOWS.glob("*.yml")]):
        if use.target.startswith(".") or use.repo == OUR_ACTION:
            continue
        sub = use.target.split("@")[0].split("/")[2:]
        stand_in = STAND_INS / use.repo.split("/")[1] / "/".join(sub) / "action.yml"
        assert stand_in.is_file(), f"{use.file.name}:{use.line}: no stand-in for {use.target} ({stand_in})"


def test_no_expression_inside_run_scripts() -> None:
    import yaml

    for path in SHIPPED_YAML:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps = list(doc.get("runs", {}).get("steps", []))
        for job in (doc.get("jobs") or {}).values():
            steps += job.get("steps", [])
        for step in steps:
            assert "${{" not in step.get("run", ""), f"{path.name}: step {step.get('name')} expands in run:"


def test_every_input_and_output_is_described_and_documented() -> None:
    action = load_yaml(ROOT / "action.yml")
    docs = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    for kind in ("inputs", "outputs"):
        for name, spec in action[kind].items():
            assert spec.get("description"), f"action.yml {kind}.{name} has no description"
            assert f"| `{name}` |" in docs, f"docs/github-actions.md does not document {kind[:-1]} `{name}`"
    assert action["branding"]["icon"] and action["branding"]["color"]


def test_reusable_workflow_inputs_mirror_the_action() -> None:
    action_inputs = set(load_yaml(ROOT / "action.yml")["inputs"])
    called = load_yaml(WORKFLOWS / "data-ci.yml")
    on = called.get("on") or called.get(True)  # YAML 1.1 reads a bare `on` key as True
    reusable_inputs = set(on["workflow_call"]["inputs"])
    assert reusable_inputs - {"artifact-name", "runs-on", "timeout-minutes", "pages"} <= action_inputs
    assert {"config", "checks", "comment", "fail-on", "python-version", "extras"} <= reusable_inputs

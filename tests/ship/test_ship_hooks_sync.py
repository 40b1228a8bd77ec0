"""`.pre-commit-hooks.yaml` is generated from the check registry and must match it exactly."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from dataops_ci.checks import CHECKS
from dataops_ci.commands import hooks
from tests.ship.harness import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_manifest_is_in_sync_with_the_generator() -> None:
    generated = subprocess.run(
        [sys.executable, "-m", "dataops_ci.commands.hooks"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert MANIFEST.read_text(encoding="utf-8") == generated, (
        "regenerate it: python -m dataops_ci.commands.hooks > .pre-commit-hooks.yaml"
    )


def test_every_check_has_a_hook_and_pre_commit_accepts_the_manifest() -> None:
    by_check = {hook.check for hook in hooks.all_hooks() if hook.check}
    assert by_check == set(CHECKS)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_light_hooks_install_no_heavy_extras() -> None:
    manifest = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    heavy = ("great-expectations", "pandas", "pyarrow", "pyspark", "sqlfluff")
    for hook_id in ("avro-schema-compat", "avro-schema-lint", "expectation-suite-lint", "pipeline-lint"):
        assert not any(dep.startswith(heavy) for dep in manifest[hook_id].get("additional_dependencies", []))
    assert any(dep.startswith("sqlfluff") for dep in manifest["sql-lint"]["additional_dependencies"])
    assert manifest["dataops-ci"]["stages"] == ["manual"]


def test_a_check_without_a_hook_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "CHECKS", {**CHECKS, "new-check": CHECKS["tests"]})
    with pytest.raises(ValueError, match="new-check"):
        hooks.all_hooks()


def test_extra_requirements_come_from_pyproject_with_self_references_expanded() -> None:
    optional = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert hooks.extra_requirements(["sql"]) == optional["sql"]
    everything = hooks.extra_requirements(["all"])
    assert not any(req.startswith("dataops-ci") for req in everything)
    assert set(optional["gx"]) | set(optional["spark"]) <= set(everything)


def test_own_config_is_valid_and_pins_exact_versions() -> None:
    """Each tool in .pre-commit-config.yaml is an exact PyPI pin (reproducible hook environments)."""
    config_file = ROOT / ".pre-commit-config.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config_file)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    pins = [
        dep
        for repo in config["repos"]
        for hook in repo["hooks"]
        for dep in hook.get("additional_dependencies", [])
    ]
    assert pins
    for pin in pins:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*", pin), f"{pin}: pin an exact version"

"""The shipped catalog of GX expectation types (what `expectation-suite-lint` checks against without GX):
in sync with the installed GX, and rejecting exactly what GX rejects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dataops_ci.cli import main
from dataops_ci.expectations import catalog
from dataops_ci.expectations.gx_run import gx_context
from tests.conftest import CASES, Repo

BAD_INPUTS = CASES / "expectations" / "bad-inputs" / "head" / "expectations" / "unknown.json"


def test_the_shipped_catalog_is_what_the_installed_gx_generates() -> None:
    shipped = catalog.CATALOG_FILE.read_text(encoding="utf-8")
    assert shipped == catalog.dump(catalog.generate()), (
        "run: python -m dataops_ci.expectations.catalog --write"
    )
    assert catalog.main(["--check"]) == 0
    assert len(json.loads(shipped)["expectations"]) >= 50


def _gx_rejects(kind: str, kwargs: dict[str, object]) -> str | None:
    gx_context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    try:
        ExpectationConfiguration(type=kind, kwargs=kwargs).to_domain_obj()
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    return None


def test_the_catalog_rejects_what_gx_rejects_for_every_type() -> None:
    for kind, spec in catalog.load()["expectations"].items():
        # A typo'd argument: GX refuses it ("extra fields not permitted"), and so does the catalog.
        assert _gx_rejects(kind, {"colum": "x"}) is not None
        unknown, wrong = catalog.problems(kind, {"colum": "x"})
        assert unknown is None and any("'colum'" in w for w in wrong), kind
        # No arguments at all: GX needs exactly the required ones the catalog names.
        gx_error = _gx_rejects(kind, {})
        _, missing = catalog.problems(kind, {})
        assert (gx_error is not None) == bool(missing), (kind, gx_error, missing)
        for name in spec["required"]:
            assert name in (gx_error or ""), (kind, name)
    assert _gx_rejects("expect_column_to_be_awesome", {"column": "a"}) is not None
    assert catalog.problems("expect_column_to_be_awesome", {"column": "a"})[0] is not None


def test_the_suite_lint_catches_an_unknown_type_and_a_kwarg_typo(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.root / "expectations").mkdir()
    shutil.copy(BAD_INPUTS, repo.root / "expectations" / "unknown.json")
    code = main(
        ["expectation-suite-lint", "-C", str(repo.root), "--format", "json", "expectations/unknown.json"]
    )
    check = json.loads(capsys.readouterr().out)["checks"][0]
    assert code == 1
    found = [(f["rule"], f["line"], f["message"]) for f in check["findings"]]
    assert [(rule, line) for rule, line, _ in found] == [
        ("unknown-expectation", 5),
        ("invalid-expectation", 6),
    ]
    assert "expect_column_to_be_awesome" in found[0][2]
    assert "'colum' (did you mean 'column'?)" in found[1][2]
    assert "missing required argument 'column'" in found[1][2]


def test_the_suite_lint_finds_the_suites_of_a_gx_project(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = {
        "name": "s",
        "expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": {"colum": "id"}}],
    }
    repo.write(
        {
            "gx/great_expectations.yml": "config_version: 4\n",
            "gx/expectations/s.json": json.dumps(suite, indent=2),
        }
    )
    code = main(["expectation-suite-lint", "-C", str(repo.root), "--format", "json"])
    check = json.loads(capsys.readouterr().out)["checks"][0]
    assert code == 1
    assert [(f["rule"], f["file"]) for f in check["findings"]] == [
        ("invalid-expectation", "gx/expectations/s.json")
    ]
    assert Path(repo.root / "gx/expectations/s.json").is_file()

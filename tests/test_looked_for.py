"""A skipped check says what it looked for; a run where every check is skipped is "nothing checked"."""

from __future__ import annotations

import json
from pathlib import Path

from dataops_ci.cli import main
from tests.conftest import Repo

LOOKED_FOR = {
    "schema-compat": "no changed file matches schemas.paths ['**/*.avsc']",
    "expectations": "no suite configured in expectations.suites, nor a GX project (great_expectations.yml)",
    "pipelines": "no file matches pipelines.paths ['pipelines/*.yml', 'pipelines/*.yaml']",
    "sql-lint": "no changed file matches sql.paths ['**/*.sql']",
    "tests": "no folder or file of tests.paths ['tests/'] exists",
    "blast-radius": "no changed file matches schemas.paths ['**/*.avsc'] nor sql.paths ['**/*.sql']",
}


def _report(repo: Repo, tmp_path: Path, *args: str) -> tuple[int, dict]:
    out = tmp_path / "report.json"
    code = main([*args, "-C", str(repo.root), "--report-json", str(out), "--format", "markdown"])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_every_check_skipped_names_what_it_looked_for(repo: Repo, tmp_path: Path, capsys) -> None:
    repo.commit("init", {"README.md": "a\n"})
    repo.write({"README.md": "b\n"})
    code, report = _report(repo, tmp_path, "run")
    assert code == 0 and report["status"] == "nothing-checked"
    assert {c["name"]: (c["status"], c["summary"]) for c in report["checks"]} == {
        name: ("skipped", text) for name, text in LOOKED_FOR.items()
    }
    markdown = capsys.readouterr().out
    assert "### ⚪ nothing checked: 6 checks skipped; what each looked for is below" in markdown
    assert "all checks passed" not in markdown and "✅" not in markdown


def test_an_explicit_check_with_nothing_to_do_is_skipped_too(repo: Repo, tmp_path: Path, capsys) -> None:
    repo.commit("init", {"schemas/a.avsc": '{"type": "string"}\n', "models/a.sql": "select 1\n"})
    repo.write({"README.md": "new\n"})
    for name in ("schema-compat", "sql-lint"):
        code, report = _report(repo, tmp_path, name)
        [check] = report["checks"]
        assert (code, report["status"], check["status"]) == (0, "nothing-checked", "skipped")
        assert check["summary"] == LOOKED_FOR[name]
    code, report = _report(repo, tmp_path, "sql-lint", "--all-files")
    assert report["checks"][0]["status"] != "skipped"  # --all-files: the SQL file is linted
    capsys.readouterr()


def test_given_files_that_match_nothing(repo: Repo, tmp_path: Path, capsys) -> None:
    repo.commit("init", {"README.md": "a\n"})
    code, report = _report(repo, tmp_path, "schema-compat", "README.md")
    assert report["checks"][0]["summary"] == "no given file matches schemas.paths ['**/*.avsc']"
    assert code == 0
    capsys.readouterr()

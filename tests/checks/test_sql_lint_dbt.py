"""sql-lint on a dbt project with zero dataops-ci config, against plain `sqlfluff lint --templater jinja`
on the same real git repo (tests/dbt_shape.py: jaffle-shop's shape, dbt not installed)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.checks import sql_lint
from dataops_ci.report import CheckResult
from dataops_ci.runner import build_context
from tests.conftest import Repo
from tests.dbt_shape import FILES, SQLFLUFF

SQLFLUFF_BIN = Path(sys.executable).parent / "sqlfluff"
BLOCKING = {"sql-template-error", "sql-parse-error", "sql-lex-error"}


@pytest.fixture(autouse=True)
def lint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATAOPS_CI_CACHE_DIR", str(tmp_path / "lint-cache"))
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    return tmp_path / "lint-cache"


@pytest.fixture
def dbt_repo(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo("jaffle")
    repo.commit("dbt project", FILES)
    return repo


def lint(repo: Repo) -> CheckResult:
    ctx = build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})
    return sql_lint.run(ctx)


def plain_sqlfluff(repo: Repo) -> dict[str, list[tuple[str, int]]]:
    """(code, line) per model file from `sqlfluff lint --templater jinja models`."""
    cmd = [str(SQLFLUFF_BIN), "lint", "--templater", "jinja", "-f", "json", "models"]
    proc = subprocess.run(cmd, cwd=repo.root, capture_output=True, text=True, check=False)
    return {
        entry["filepath"]: sorted((v["code"], v["start_line_no"]) for v in entry["violations"])
        for entry in json.loads(proc.stdout)
    }


def ours(result: CheckResult) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for f in result.findings:
        if f.file is not None:
            found.setdefault(f.file, []).append((str(f.data.get("code")), f.line or 0))
    return {path: sorted(v) for path, v in found.items()}


def test_zero_config_renders_project_macros_and_packages(dbt_repo: Repo) -> None:
    result = lint(dbt_repo)
    rules = [(f.rule, f.file) for f in result.findings]
    notes = [f.message for f in result.findings if f.rule == "sql-templater-fallback"]
    assert len(notes) == 1 and "dbt templater cannot run here" in notes[0]
    blocking = [(rule, file) for rule, file in rules if rule in BLOCKING]
    assert blocking == [("sql-template-error", "models/marts/broken.sql")]  # one, no parse-error cascade
    broken = next(f for f in result.findings if f.rule == "sql-template-error")
    assert "`audit_helper`" in broken.message
    assert not any(file and not file.startswith("models/") for _, file in rules)  # macros, packages
    assert "3 dbt macro/package files" in result.summary
    # orders.sql renders (dbt_utils, this, var): its lint violations are found past the macro call
    assert ("sqlfluff-rf03", "models/marts/orders.sql") in rules


def test_fewer_template_errors_and_same_violations_as_plain_sqlfluff(dbt_repo: Repo) -> None:
    plain = plain_sqlfluff(dbt_repo)
    mine = ours(lint(dbt_repo))
    plain_blocking = sum(code in ("TMP", "PRS") for v in plain.values() for code, _ in v)
    my_blocking = sum(code in ("TMP", "PRS") for v in mine.values() for code, _ in v)
    assert my_blocking < plain_blocking and my_blocking == 1
    both_render = [p for p, v in plain.items() if not any(code in ("TMP", "PRS") for code, _ in v)]
    assert sorted(both_render) == ["models/marts/customers.sql", "models/staging/stg_customers.sql"]
    for path in both_render:
        assert mine.get(path, []) == plain[path], path


def test_dialect_from_the_profiles_adapter(dbt_repo: Repo) -> None:
    dbt_repo.commit("no dialect", {".sqlfluff": SQLFLUFF.replace("dialect = postgres\n", "")})
    result = lint(dbt_repo)
    notes = [f.message for f in result.findings if f.rule == "sql-dialect-from-dbt-profile"]
    assert notes and "`postgres`" in notes[0]
    assert not [f for f in result.findings if f.rule == "sql-parse-error"]  # `::numeric` parses


def test_unreadable_profile_is_a_notice_and_ansi(
    dbt_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    dbt_repo.remove("profiles.yml")
    dbt_repo.commit("no profile, no dialect", {".sqlfluff": SQLFLUFF.replace("dialect = postgres\n", "")})
    result = lint(dbt_repo)
    notes = [f.message for f in result.findings if f.rule == "sql-dialect-assumed"]
    assert notes and "`ansi`" in notes[0] and "profile" in notes[0]


def test_a_changed_macro_is_linted_again(dbt_repo: Repo) -> None:
    assert "0 from cache" in lint(dbt_repo).summary
    assert "5 from cache" in lint(dbt_repo).summary
    macro = FILES["macros/cents_to_dollars.sql"].replace("/ 100)", "/ 100.0)")
    dbt_repo.commit("macro", {"macros/cents_to_dollars.sql": macro})
    assert "0 from cache" in lint(dbt_repo).summary

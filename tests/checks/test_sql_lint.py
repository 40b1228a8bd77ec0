"""sql-lint against real SQL in real git repos (tests/cases/sql_lint/<case>/{base,head})."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.checks import sql_lint
from dataops_ci.report import CheckResult
from dataops_ci.runner import build_context
from tests.conftest import CASES, Repo, case_repo

SQL_CASES = CASES / "sql_lint"


@pytest.fixture(autouse=True)
def lint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "lint-cache"
    monkeypatch.setenv("DATAOPS_CI_CACHE_DIR", str(cache))
    return cache


def lint(repo: Repo, config: str | None = None, all_files: bool = False) -> CheckResult:
    if config is not None:
        repo.write({"dataops-ci.yml": config})
    ctx = build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=all_files, env={})
    return sql_lint.run(ctx)


def rules(result: CheckResult) -> list[tuple[str, str | None, int | None]]:
    return [(f.rule, f.file, f.line) for f in result.findings]


def test_clean_sql_passes_without_findings(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "clean"))
    assert result.status == "passed"
    assert result.findings == ()
    assert result.metrics["files"] == 1  # only the model the change added


def test_only_violations_on_changed_lines_are_reported(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "violation_on_changed_line"))
    assert result.status == "failed"
    # Line 4 is new: `amount*100` (LT01 twice) and a lower-case `as` where the file uses upper case (CP01).
    assert {(rule, line) for rule, _, line in rules(result)} == {("sqlfluff-lt01", 4), ("sqlfluff-cp01", 4)}
    finding = result.findings[0]
    assert finding.file == "models/legacy.sql" and finding.column == 11
    assert finding.data["code"] == "LT01" and finding.data["name"] == "layout.spacing"
    assert finding.data["fix"]["original"] == "    amount*100 as amount_cents\n"
    assert finding.data["fix"]["fixed"] == "    amount *100 as amount_cents\n"
    # The lower-case `from` on unchanged line 5 is a CP01 too, but not this change's doing.
    assert result.metrics["violations_total"] > result.metrics["violations_reported"]


def test_report_all_includes_untouched_lines(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "violation_on_changed_line"), "sql: {report: all}\n")
    assert ("sqlfluff-cp01", "models/legacy.sql", 5) in rules(result)
    assert result.metrics["violations_reported"] == result.metrics["violations_total"]


def test_fail_on_never_reports_but_passes(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "violation_on_changed_line"), "sql: {fail_on: never}\n")
    assert result.status == "passed"
    assert [r for r, _, _ in rules(result)] == ["sqlfluff-lt01", "sqlfluff-lt01", "sqlfluff-cp01"]


def test_unparsable_sql_is_a_parse_error_finding(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "unparsable"))
    assert result.status == "failed"
    assert [r for r, _, _ in rules(result)] == ["sql-parse-error"]
    assert result.findings[0].file == "models/broken.sql"


def test_templated_sql_renders_with_repo_context_and_flags_undefined(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "templated"))
    by_file = {(f.file, f.rule) for f in result.findings}
    assert not any(file == "models/rendered.sql" for file, _ in by_file)
    assert ("models/undefined_variable.sql", "sql-template-error") in by_file
    template = next(f for f in result.findings if f.rule == "sql-template-error")
    assert "warehouse_schema" in template.message


def test_unloadable_templater_is_one_clear_error(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "unloadable_config"))
    assert result.status == "error"
    assert [f.rule for f in result.findings] == ["cannot-load-sqlfluff-config"]
    finding = result.findings[0]
    assert "templater = dbt-cloud" in finding.message
    assert finding.hint is not None and "templater_fallback" in finding.hint


def test_templater_fallback_lints_with_jinja(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, SQL_CASES / "unloadable_config")
    result = lint(repo, "sql: {templater_fallback: jinja}\n")
    found = [f.rule for f in result.findings]
    assert "cannot-load-sqlfluff-config" not in found
    assert "sql-templater-fallback" in found
    assert "sql-template-error" in found  # jinja now renders it and finds `source_schema` undefined


def test_sqlfluffignore_is_honoured(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "ignored"))
    assert result.status == "passed" and result.findings == ()
    assert result.metrics["files_ignored"] == 1


def test_no_config_assumes_ansi_and_says_so(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "no_config"))
    assert result.findings[0].rule == "sql-dialect-assumed"
    assert "ansi" in result.findings[0].message
    assert "sql-parse-error" in [f.rule for f in result.findings]  # `->>` is postgres, not ansi


def test_dialect_from_our_config_when_sqlfluff_has_none(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "no_config"), "sql: {dialect: postgres}\n")
    assert result.status == "passed" and result.findings == ()


def test_repo_config_is_used_when_started_elsewhere(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = case_repo(make_repo, SQL_CASES / "clean")  # postgres-only `->>` needs the repo's .sqlfluff
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert lint(repo).findings == ()


def test_cache_makes_the_second_run_free_and_follows_config(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, SQL_CASES / "violation_on_changed_line")
    repo.write({"models/extra.sql": "select a,b\nfrom t\n"})  # two files: exercises the process pool
    first = lint(repo)
    second = lint(repo)
    assert (first.metrics["files_cached"], second.metrics["files_cached"]) == (0, 2)
    assert rules(first) == rules(second)
    repo.write({".sqlfluff": "[sqlfluff]\ndialect = postgres\nexclude_rules = LT01\n"})
    third = lint(repo)
    assert third.metrics["files_cached"] == 0
    assert "sqlfluff-lt01" not in [r for r, _, _ in rules(third)]


def test_the_cache_follows_the_macros_a_jinja_config_names(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    jinja = "[sqlfluff:templater:jinja]\nload_macros_from_path = macros\nlibrary_path = libs\n"
    repo.commit(
        "base",
        {
            ".sqlfluff": f"[sqlfluff]\ndialect = postgres\ntemplater = jinja\n\n{jinja}",
            "macros/cols.sql": "{% macro cols() %}a, b{% endmacro %}\n",
            "libs/helpers.py": "X = 1\n",
            "models/m.sql": "select {{ cols() }}\nfrom t\n",
        },
    )
    runs = [lint(repo, all_files=True)]
    repo.write({"macros/cols.sql": "{% macro cols() %}a, b, c{% endmacro %}\n"})
    runs += [lint(repo, all_files=True), lint(repo, all_files=True)]
    repo.write({"libs/helpers.py": "X = 2\n"})
    runs.append(lint(repo, all_files=True))
    assert [r.metrics["files_cached"] for r in runs] == [0, 0, 2, 0]  # the model and the macro file


def test_utf16_files_are_said_to_be_unreadable_and_latin1_ones_are_linted(
    make_repo: Callable[..., Repo],
) -> None:
    repo = make_repo()
    repo.commit("base", {"README.md": "x\n"})
    (repo.root / "models").mkdir()
    (repo.root / "models/u16.sql").write_bytes("select a\nfrom t\n".encode("utf-16"))
    (repo.root / "models/latin1.sql").write_bytes("select 'café' as a\nfrom t\n".encode("latin-1"))
    (repo.root / "models/bom.sql").write_bytes(b"\xef\xbb\xbfselect a\nfrom t\n")
    result = lint(repo, "sql: {dialect: postgres}\n")

    assert result.status == "error"
    assert rules(result) == [("cannot-read-sql", "models/u16.sql", None)]
    assert "UTF-16" in result.findings[0].message
    assert "2 linted" in result.summary and "1 not text" in result.summary


def test_spawned_workers_give_the_same_findings(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = case_repo(make_repo, SQL_CASES / "violation_on_changed_line")
    repo.write({"models/extra.sql": "select a,b\nfrom t\n"})
    forked = lint(repo, "sql: {cache: false}\n")
    monkeypatch.setenv("DATAOPS_CI_SQL_START_METHOD", "spawn")
    assert rules(lint(repo, "sql: {cache: false}\n")) == rules(forked)


def test_nothing_to_lint_is_skipped(repo: Repo) -> None:
    repo.commit("base", {"README.md": "hi\n"})
    repo.write({"README.md": "changed\n"})
    ctx = build_context(cwd=repo.root, base=None, head=None, config_file=None, env={})
    assert not sql_lint.applies(ctx)
    assert sql_lint.run(ctx).status == "skipped"


def test_templater_failing_on_a_file_is_one_clear_error(make_repo: Callable[..., Repo]) -> None:
    result = lint(case_repo(make_repo, SQL_CASES / "templater_fails_on_file"))
    assert [f.rule for f in result.findings] == ["cannot-load-sqlfluff-config"]
    assert "templater = placeholder" in result.findings[0].message
    assert result.findings[0].data["files"] == ["models/by_id.sql"]


def test_templater_failing_on_a_file_falls_back(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, SQL_CASES / "templater_fails_on_file")
    result = lint(repo, "sql: {templater_fallback: jinja}\n")
    assert [f.rule for f in result.findings] == ["sql-templater-fallback"]
    assert result.status == "passed"


def test_unreadable_cache_entries_are_misses(make_repo: Callable[..., Repo], lint_cache: Path) -> None:
    repo = case_repo(make_repo, SQL_CASES / "violation_on_changed_line")
    first = lint(repo)
    entries = list(lint_cache.rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text("{not json")
    second = lint(repo)
    assert second.metrics["files_cached"] == 0 and rules(second) == rules(first)


def test_a_renamed_model_reports_only_the_lines_it_changed(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, SQL_CASES / "violation_on_changed_line")
    repo.commit("head")  # the old violations are now part of the base
    repo.git("mv", "models/legacy.sql", "models/renamed.sql")

    result = lint(repo)

    assert result.metrics["violations_total"] > 0
    assert result.findings == ()  # moving a file changes none of its lines

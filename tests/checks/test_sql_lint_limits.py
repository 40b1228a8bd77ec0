"""Issue 11 item 8 through the real CLI: sqlfluff's large_file_skip_byte_limit, a crashing sqlfluff rule,
and a sqlfluff config that cannot be loaded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from tests.conftest import CASES, Repo, case_repo

LINE = "select a from t;\n"  # clean SQL


@pytest.fixture(autouse=True)
def lint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAOPS_CI_CACHE_DIR", str(tmp_path / "lint-cache"))


def run(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["sql-lint", "-C", str(repo.root), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["checks"][0]


def big_model(comment_lines: int) -> str:
    """~80 bytes a comment line, then one CP01 violation (inconsistent keyword case)."""
    return "".join(f"-- {i:06d} {'padding ' * 8}\n" for i in range(comment_lines)) + "SELECT a from t\n"


def test_files_over_sqlfluffs_skip_limit_are_skipped_with_a_notice(
    make_repo: Callable[..., Repo], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo()
    text = big_model(320)  # ~25 KB, over sqlfluff's default 20000
    repo.commit("models", {".sqlfluff": "[sqlfluff]\ndialect = ansi\n", "big.sql": text, "small.sql": LINE})
    code, check = run(repo, capsys, "--all-files")
    assert code == 0, check
    assert [(f["rule"], f["file"], f["severity"]) for f in check["findings"]] == [
        ("sql-file-skipped", "big.sql", "notice")
    ]
    assert "large_file_skip_byte_limit of 20000" in check["findings"][0]["message"]
    assert "1 skipped" in check["summary"]


def test_skip_limit_from_sqlfluff_config(
    make_repo: Callable[..., Repo], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo()
    config = "[sqlfluff]\ndialect = ansi\nlarge_file_skip_byte_limit = 0\n"
    repo.commit("models", {".sqlfluff": config, "big.sql": big_model(320)})
    code, check = run(repo, capsys, "--all-files")
    assert code == 1 and not [f for f in check["findings"] if f["rule"] == "sql-file-skipped"]
    assert check["metrics"]["violations_total"] >= 1
    repo.commit("lower", {".sqlfluff": "[sqlfluff]\ndialect = ansi\nlarge_file_skip_byte_limit = 100\n"})
    code, check = run(repo, capsys, "--all-files")
    assert code == 0 and "limit of 100" in check["findings"][0]["message"]


def test_a_crashing_rule_is_a_warning_naming_rule_and_file_off_changed_lines(
    make_repo: Callable[..., Repo], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlfluff.rules.capitalisation.CP01 import Rule_CP01

    def crash(self: Any, context: Any) -> None:
        raise AttributeError("'NoneType' object has no attribute 'source_fixes'")

    monkeypatch.setattr(Rule_CP01, "_eval", crash)
    repo = make_repo()
    repo.commit("base", {".sqlfluff": "[sqlfluff]\ndialect = ansi\n", "m.sql": LINE + LINE})
    repo.write({"m.sql": LINE + LINE + "select c from u;\n"})  # the working tree changes line 3 only
    code, check = run(repo, capsys)
    crashes = [f for f in check["findings"] if f["rule"] == "sqlfluff-rule-crashed"]
    # CP02 inherits CP01's _eval: both crash, each reported once, on line 1 although only line 3 changed
    assert sorted(f["data"]["code"] for f in crashes) == ["CP01", "CP02"]
    assert all(f["severity"] == "warning" and f["file"] == "m.sql" and f["line"] == 1 for f in crashes)
    assert "CP01" in crashes[0]["message"] and "source_fixes" in crashes[0]["message"]
    assert code == 0, check["findings"]  # a warning: fail_on error


def test_unloadable_config_says_nothing_was_linted(
    make_repo: Callable[..., Repo], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = case_repo(make_repo, CASES / "sql_lint" / "unloadable_config")
    code, check = run(repo, capsys, "--all-files")
    assert code == 1
    assert check["summary"].startswith("nothing was linted")
    assert "linted, 0 from cache" not in check["summary"]

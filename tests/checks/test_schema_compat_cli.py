"""schema-compat end to end through `dataops_ci.cli.main`: exit codes, JSON report, pre-commit FILES,
unsafe files, missing base commits, and an import path free of heavy packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from tests.conftest import GIT_ENV, Repo

OLD = {
    "type": "record",
    "name": "Customer",
    "namespace": "com.acme",
    "fields": [{"name": "id", "type": "long"}],
}
REQUIRED = {**OLD, "fields": [*OLD["fields"], {"name": "email", "type": "string"}]}
OPTIONAL = {**OLD, "fields": [*OLD["fields"], {"name": "email", "type": ["null", "string"], "default": None}]}


def _text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2) + "\n"


def _run(repo: Repo, *args: str, tmp: Path) -> tuple[int, dict[str, Any]]:
    out = tmp / "report.json"
    code = main(["schema-compat", "-C", str(repo.root), "--format", "json", "--report-json", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_exit_0_compatible_1_breaking_and_the_json_report(repo: Repo, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    repo.write({"schemas/customer.avsc": _text(OPTIONAL)})
    code, report = _run(repo, tmp=tmp_path)
    assert code == 0 and report["status"] == "passed"
    assert json.loads(capsys.readouterr().out) == report, "stdout JSON is the same report as --report-json"
    repo.write({"schemas/customer.avsc": _text(REQUIRED)})
    code, report = _run(repo, tmp=tmp_path)
    [check] = report["checks"]
    assert code == 1 and report["status"] == "failed" and report["head"] == "WORKTREE"
    assert check["summary"] == "1 breaking change in 1 of 1 changed schema"
    assert check["metrics"]["breaking_changes"] == 1 and check["metrics"]["schemas_checked"] == 1
    [finding] = [f for f in check["findings"] if f["severity"] == "error"]
    assert finding["rule"] == "field-added-without-default" and "breaks readers" in finding["message"]
    assert finding["path"] == "Customer.email" and finding["line"] == 11 and finding["hint"]


def test_mode_option_and_run_subcommand(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    repo.write({"schemas/customer.avsc": _text(REQUIRED)})
    code, report = _run(repo, "--mode", "forward", tmp=tmp_path)
    assert code == 0 and report["checks"][0]["data"]["files"][0]["mode"] == "FORWARD"
    out = tmp_path / "run.json"
    argv = [
        "run",
        "-C",
        str(repo.root),
        "--checks",
        "schema-compat",
        "--mode",
        "FULL",
        "--report-json",
        str(out),
    ]
    assert main([*argv, "--format", "json"]) == 1
    assert json.loads(out.read_text())["checks"][0]["data"]["files"][0]["mode"] == "FULL"


def test_invalid_mode_is_a_usage_error(repo: Repo) -> None:
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    with pytest.raises(SystemExit) as exc:
        main(["schema-compat", "-C", str(repo.root), "--mode", "SIDEWAYS"])
    assert exc.value.code == 2


def test_missing_base_commit_in_a_full_clone_exits_2_with_the_fix(repo: Repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    assert main(["schema-compat", "-C", str(repo.root), "--base", "deadbeef" * 5]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


def test_pre_commit_files_only_checks_the_given_schemas(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base", {"a.avsc": _text(OLD), "b.avsc": _text(OLD).replace("Customer", "B")})
    repo.write({"a.avsc": _text(REQUIRED), "b.avsc": _text(REQUIRED).replace("Customer", "B")})
    repo.git("add", "-A")
    code, report = _run(repo, "a.avsc", "README.md", tmp=tmp_path)
    assert code == 1
    assert [f["file"] for f in report["checks"][0]["data"]["files"]] == ["a.avsc"]


def test_a_missing_explicit_file_is_a_finding(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    code, report = _run(repo, "schemas/nope.avsc", tmp=tmp_path)
    [finding] = report["checks"][0]["findings"]
    assert code == 1 and finding["rule"] == "cannot-read-schema" and "does not exist" in finding["message"]


def test_nothing_changed_is_nothing_checked_not_a_pass(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base", {"schemas/customer.avsc": _text(OLD), "notes.md": "x"})
    repo.write({"notes.md": "y"})
    code, report = _run(repo, tmp=tmp_path)
    looked_for = "no changed file matches schemas.paths ['**/*.avsc']"
    assert code == 0 and report["checks"][0]["summary"] == looked_for
    assert report["status"] == "nothing-checked" and report["checks"][0]["status"] == "skipped"
    out = tmp_path / "run.json"
    assert main(["run", "-C", str(repo.root), "--checks", "schema-compat", "--report-json", str(out)]) == 0
    assert json.loads(out.read_text())["checks"][0]["status"] == "skipped"
    strict = ["run", "-C", str(repo.root), "--checks", "schema-compat", "--fail-if-nothing-checked"]
    assert main(strict) == 1
    out_all = tmp_path / "all.json"
    main(["run", "-C", str(repo.root), "--report-json", str(out_all)])
    statuses = {c["name"]: c["status"] for c in json.loads(out_all.read_text())["checks"]}
    assert statuses["schema-compat"] == "skipped"


def test_symlink_out_of_the_repo_is_a_finding_not_a_read(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.avsc"
    secret.write_text(_text(OLD))
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    os.symlink(secret, repo.root / "schemas/leak.avsc")
    code, report = _run(repo, tmp=tmp_path)
    [check] = report["checks"]
    assert code == 1 and check["status"] == "error"
    [finding] = check["findings"]
    assert finding["rule"] == "cannot-follow-symlink" and finding["file"] == "schemas/leak.avsc"
    assert check["data"]["files"] == [
        {"file": "schemas/leak.avsc", "old_file": None, "mode": "BACKWARD", "status": "invalid"}
    ]
    repo.commit("head")
    code, report = _run(repo, "--base", "HEAD~1", "--head", "HEAD", tmp=tmp_path)
    assert report["checks"][0]["findings"][0]["rule"] == "cannot-follow-symlink"


def test_renamed_and_deleted_schemas_in_one_change(repo: Repo, tmp_path: Path) -> None:
    repo.commit(
        "base",
        {"schemas/customer.avsc": _text(OLD), "schemas/order.avsc": _text(OLD).replace("Customer", "Order")},
    )
    (repo.root / "schemas/crm").mkdir()
    repo.git("mv", "schemas/customer.avsc", "schemas/crm/customer.avsc")
    repo.remove("schemas/order.avsc")
    code, report = _run(repo, tmp=tmp_path)
    files = report["checks"][0]["data"]["files"]
    assert files == [
        {
            "file": "schemas/crm/customer.avsc",
            "old_file": "schemas/customer.avsc",
            "mode": "BACKWARD",
            "status": "renamed",
        },
        {
            "file": "schemas/order.avsc",
            "old_file": "schemas/order.avsc",
            "mode": "BACKWARD",
            "status": "deleted",
        },
    ]
    assert code == 1 and report["checks"][0]["summary"] == "1 breaking change in 1 of 2 changed schemas"


def test_transitive_in_a_shallow_clone_warns_that_history_is_short(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    origin = make_repo("origin")
    origin.commit(
        "v1", {"dataops-ci.yml": "schemas:\n  compatibility: BACKWARD_TRANSITIVE\n", "s.avsc": _text(OLD)}
    )
    origin.commit("v2", {"s.avsc": _text(OPTIONAL)})
    env = {**os.environ, **GIT_ENV}
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{origin.root}", str(clone)], check=True, env=env
    )
    (clone / "s.avsc").write_text(_text(OPTIONAL).replace('"id"', '"id", "doc": "key"'))
    out = tmp_path / "r.json"
    assert main(["schema-compat", "-C", str(clone), "--report-json", str(out), "--format", "json"]) == 0
    rules = [f["rule"] for f in json.loads(out.read_text())["checks"][0]["findings"]]
    assert "shallow-history" in rules


def test_the_check_path_imports_nothing_heavy(repo: Repo) -> None:
    repo.commit("base", {"schemas/customer.avsc": _text(OLD)})
    repo.write({"schemas/customer.avsc": _text(REQUIRED)})
    probe = (
        "import sys\n"
        "from dataops_ci.cli import main\n"
        f"code = main(['schema-compat', '-C', {str(repo.root)!r}, '--format', 'json'])\n"
        "heavy = sorted(m for m in ('pandas', 'great_expectations', 'sqlfluff', 'pytest', 'pyspark', 'numpy',"
        " 'sqlalchemy') if m in sys.modules)\n"
        "print('HEAVY', heavy, code, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert "HEAVY [] 1" in proc.stderr, proc.stderr


def test_pull_request_in_a_shallow_clone_fetches_the_base_or_exits_2(
    make_repo: Callable[..., Repo],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    origin = make_repo("origin")
    base = origin.commit("base", {"schemas/customer.avsc": _text(OLD)})
    origin.commit("pr", {"schemas/customer.avsc": _text(REQUIRED)})
    env = {**os.environ, **GIT_ENV}
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{origin.root}", str(clone)], check=True, env=env
    )
    event = tmp_path / "event.json"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}))
    assert main(["schema-compat", "-C", str(clone), "--head", "HEAD"]) == 1
    captured = capsys.readouterr()
    assert "fetching just that commit" in captured.err and "field-added-without-default" in captured.out
    event.write_text(json.dumps({"pull_request": {"base": {"sha": "3" * 40}}}))
    assert main(["schema-compat", "-C", str(clone), "--head", "HEAD"]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


def test_an_engine_failure_on_one_schema_does_not_hide_the_others(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataops_ci.avro import compare as real_compare
    from dataops_ci.checks.schema_compat import verdict as schema_verdict

    def compare(old: Any, new: Any, mode: str) -> Any:
        if new.file == "a.avsc":
            raise RecursionError("injected")
        return real_compare(old, new, mode)

    monkeypatch.setattr(schema_verdict, "compare", compare)
    repo.commit("base", {"a.avsc": _text(OLD), "b.avsc": _text(OLD).replace("Customer", "B")})
    repo.write({"a.avsc": _text(REQUIRED), "b.avsc": _text(REQUIRED).replace("Customer", "B")})
    code, report = _run(repo, tmp=tmp_path)
    [check] = report["checks"]
    assert code == 1 and check["status"] == "error"
    rules = {(f["file"], f["rule"]) for f in check["findings"] if f["severity"] == "error"}
    assert rules == {("a.avsc", "cannot-check-schema"), ("b.avsc", "field-added-without-default")}

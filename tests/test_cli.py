from __future__ import annotations

import json
import subprocess
import sys

from dataops_ci import __version__
from dataops_ci.cli import main


def test_version_via_module() -> None:
    out = subprocess.run([sys.executable, "-m", "dataops_ci", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == f"dataops-ci {__version__}"


def test_outside_git_repo_is_usage_error(tmp_path, capsys) -> None:
    assert main(["run", "-C", str(tmp_path)]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_invalid_config_names_key(repo, capsys) -> None:
    repo.commit("init", {"dataops-ci.yml": "schemas:\n  compatibility: SIDEWAYS\n"})
    assert main(["run", "-C", str(repo.root), "--checks", "schema-compat"]) == 2
    err = capsys.readouterr().err
    assert "schemas.compatibility" in err and "BACKWARD" in err


def test_unknown_key_is_a_config_error(repo, capsys) -> None:
    repo.commit("init", {"dataops-ci.yml": "schemas:\n  colour: blue\n"})
    code = main(["run", "-C", str(repo.root), "--checks", "schema-compat", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "dataops-ci.yml:2: unknown key 'colour' in 'schemas'" in captured.err
    assert captured.out == ""


def test_a_run_stopped_by_its_config_still_writes_the_report_it_was_asked_for(repo, tmp_path, capsys) -> None:
    repo.commit("init", {"dataops-ci.yml": "schemas:\n  colour: blue\n  compatibility: SIDEWAYS\n"})
    out = tmp_path / "out"
    args = ["run", "-C", str(repo.root), "--github", "--report-json", str(out / "r.json")]
    code = main([*args, "--sarif", str(out / "r.sarif"), "--junit", str(out / "r.xml")])
    captured = capsys.readouterr()

    assert code == 2
    report = json.loads((out / "r.json").read_text())
    assert report["status"] == "error"
    (check,) = report["checks"]
    assert (check["name"], check["status"]) == ("config", "error")
    assert [(f["rule"], f["file"], f["line"]) for f in check["findings"]] == [
        ("cannot-load-config", "dataops-ci.yml", 2)
    ]
    assert "unknown key 'colour'" in check["summary"]
    assert (
        json.loads((out / "r.sarif").read_text())["runs"][0]["results"][0]["ruleId"]
        == "config/cannot-load-config"
    )
    assert "cannot-load-config" in (out / "r.xml").read_text()
    assert "::error file=dataops-ci.yml,line=2," in captured.out  # the annotation on the config's line


def test_a_run_stopped_by_git_says_so_in_its_report(repo, tmp_path) -> None:
    repo.commit("init", {"a.txt": "x"})
    target = tmp_path / "r.json"
    assert main(["run", "-C", str(repo.root), "--base", "no-such-ref", "--report-json", str(target)]) == 2
    (check,) = json.loads(target.read_text())["checks"]
    assert (check["name"], check["findings"][0]["rule"]) == ("git", "cannot-read-repository")


def test_unknown_check_is_usage_error(repo, capsys) -> None:
    repo.commit("init", {"a.txt": "x"})
    assert main(["run", "-C", str(repo.root), "--checks", "nope"]) == 2
    assert "unknown check" in capsys.readouterr().err

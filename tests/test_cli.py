from __future__ import annotations

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


def test_unknown_check_is_usage_error(repo, capsys) -> None:
    repo.commit("init", {"a.txt": "x"})
    assert main(["run", "-C", str(repo.root), "--checks", "nope"]) == 2
    assert "unknown check" in capsys.readouterr().err

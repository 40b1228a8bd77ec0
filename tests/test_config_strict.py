"""Strict config: an unknown key anywhere is a configuration error (exit 2) with file:line and a guess,
the same on the cached path (the CLI's, pre-commit's) and the validating one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from dataops_ci.cli import main
from dataops_ci.config import Config, ConfigError
from dataops_ci.config import load as uncached
from dataops_ci.config.strict import unknown_keys
from tests.conftest import Repo

BAD_CONFIGS = {
    "section-typo": (
        "dataops-ci.yml",
        "schemas:\n  paths: ['**/*.avsc']\nexpectation:\n  suites: []\n",
        ["dataops-ci.yml:3: unknown key 'expectation'; did you mean 'expectations'?"],
    ),
    "key-typo-in-section": (
        "dataops-ci.yml",
        "schemas:\n  compatiblity: FORWARD\n",
        ["dataops-ci.yml:2: unknown key 'compatiblity' in 'schemas'; did you mean 'compatibility'?"],
    ),
    "nested-in-list-and-union": (
        "dataops-ci.yml",
        "expectations:\n  suites:\n    - suite: a.json\n      data: a.csv\n"
        "    - suite: b.json\n      data:\n        engine: sql\n        tabel: customers\n",
        ["dataops-ci.yml:8: unknown key 'tabel' in 'expectations.suites[1].data'; did you mean 'table'?"],
    ),
    "pyproject-table": (
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.dataops-ci.schemas]\npaths = ["a/**"]\ncompatiblity = "FULL"\n',
        ["pyproject.toml:6: unknown key 'compatiblity' in 'schemas'; did you mean 'compatibility'?"],
    ),
    "pyproject-array-of-tables": (
        "pyproject.toml",
        '[tool.dataops-ci]\nteams = {a = "@b"}\n\n[[tool.dataops-ci.expectations.suites]]\n'
        'suite = "a.json"\ndata = "a.csv"\n\n[[tool.dataops-ci.expectations.suites]]\nsuit = "b.json"\n'
        'data = "b.csv"\n',
        ["pyproject.toml:9: unknown key 'suit' in 'expectations.suites[1]'; did you mean 'suite'?"],
    ),
    "nothing-close": (
        "dataops-ci.yml",
        "zzzqqq: 1\n",
        ["dataops-ci.yml:1: unknown key 'zzzqqq'; known keys: schemas, expectations,"],
    ),
}


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_unknown_key_is_an_error_with_line_and_guess(tmp_path: Path, case: str) -> None:
    name, text, expected = BAD_CONFIGS[case]
    _write(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        uncached.load_config(tmp_path)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(want)


def _cli_error(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["run", "-C", str(repo.root), "--checks", "schema-compat", *args])
    err = capsys.readouterr().err
    assert code == 2, err
    return err.removeprefix("dataops-ci: error: ").strip()


def test_cached_and_uncached_paths_say_the_same(make_repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for case, (name, text, _) in sorted(BAD_CONFIGS.items()):
        repo = make_repo(case)
        repo.commit("init", {name: text, "README.md": "x\n"})
        with pytest.raises(ConfigError) as caught:
            uncached.load_config(repo.root)
        # Twice through the CLI: errors are never cached, so the second run validates again.
        assert _cli_error(repo, capsys) == str(caught.value)
        assert _cli_error(repo, capsys) == str(caught.value)


def test_good_config_is_cached_then_a_typo_is_still_caught(make_repo: Any, capsys: Any) -> None:
    repo = make_repo()
    repo.commit("init", {"dataops-ci.yml": "schemas:\n  compatibility: FORWARD\n"})
    assert main(["run", "-C", str(repo.root), "--checks", "schema-compat"]) == 0
    assert main(["run", "-C", str(repo.root), "--checks", "schema-compat"]) == 0  # a cache hit
    capsys.readouterr()
    _write(repo.root, "dataops-ci.yml", "schemas:\n  compatibilty: FORWARD\n")
    assert "did you mean 'compatibility'?" in _cli_error(repo, capsys)


def test_explicit_config_file(make_repo: Any, capsys: Any) -> None:
    repo = make_repo()
    repo.commit("init", {"ci/dataops.yml": "sql:\n  dilect: postgres\n"})
    err = _cli_error(repo, capsys, "--config", "ci/dataops.yml")
    assert err == "ci/dataops.yml:2: unknown key 'dilect' in 'sql'; did you mean 'dialect'?"


def test_every_section_is_strict(tmp_path: Path) -> None:
    """Every model-typed section of Config, present and future, rejects a key it does not declare."""
    sections = [n for n, f in Config.model_fields.items() if isinstance(f.annotation, type)]
    sections = [n for n in sections if issubclass(Config.model_fields[n].annotation, BaseModel)]  # type: ignore[arg-type]
    assert {"schemas", "expectations", "sql", "tests", "pipelines", "comment"} <= set(sections)
    for section in sections:
        if getattr(Config.model_fields[section].annotation, "SHORT_FORM", None):
            continue  # a bare mapping is its short form (`lineage: {schema: table}`): tests/test_config.py
        _write(tmp_path, "dataops-ci.yml", f"{section}:\n  no_such_key_here: 1\n")
        with pytest.raises(
            ConfigError, match=rf"dataops-ci\.yml:2: unknown key 'no_such_key_here' in '{section}'"
        ):
            uncached.load_config(tmp_path)


class _Leaf(BaseModel):
    threshold: int = 0


class _Future(BaseModel):  # a plain model (extra ignored by pydantic): still strict
    by_name: dict[str, _Leaf] = Field(default_factory=dict)
    maybe: _Leaf | None = None
    items: list[_Leaf | str] = Field(default_factory=list)
    free: dict[str, Any] = Field(default_factory=dict)


class _Root(BaseModel):
    future: _Future = Field(default_factory=_Future)


def test_the_walk_covers_models_it_has_never_seen() -> None:
    raw = {
        "future": {
            "by_name": {"a": {"threshhold": 1}},
            "maybe": {"treshold": 2},
            "items": ["x", {"thresold": 3}],
            "free": {"anything": {"goes": 1}},
            "extra": 1,
        }
    }
    found = {".".join(map(str, u.path)): u.suggestion() for u in unknown_keys(_Root, raw)}
    assert found == {
        "future.by_name.a.threshhold": "threshold",
        "future.maybe.treshold": "threshold",
        "future.items.1.thresold": "threshold",
        "future.extra": None,
    }


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[tool.dataops-ci]\nschemas = {paths = ["a"], compatiblity = "FULL"}\n', 2),
        ('[tool.dataops-ci]\nsql.dialect = "x"\nschemas.compatiblity = "FULL"\n', 3),
        ('[tool.other]\ncompatiblity = 1\n[tool.dataops-ci.schemas]\n"compatiblity" = "FULL"\n', 4),
    ],
)
def test_pyproject_lines_of_inline_and_dotted_keys(tmp_path: Path, text: str, line: int) -> None:
    _write(tmp_path, "pyproject.toml", text)
    with pytest.raises(ConfigError) as caught:
        uncached.load_config(tmp_path)
    assert str(caught.value) == (
        f"pyproject.toml:{line}: unknown key 'compatiblity' in 'schemas'; did you mean 'compatibility'?"
    )

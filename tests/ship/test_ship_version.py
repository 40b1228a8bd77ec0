"""One version: `dataops_ci.__version__` is what the package metadata says, what the release tag is, and
what every `rev:` / `@v…` / `git+…@v…` in the README, the docs and the workflows refers to."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from dataops_ci import __version__

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PRE_COMMIT_REV = re.compile(r"^\s*rev:\s*(\S+)", re.MULTILINE)
GIT_URL_TAG = re.compile(r"git\+https://github\.com/dataops-ci/dataops-ci@([^\s'\"#]+)")
ACTION_REF = re.compile(
    r"(?<!github\.com/)dataops-ci/dataops-ci(?:/\.github/workflows/[\w.-]+)?@([^\s'\"#`)]+)"
)


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "dataops_ci.__version__"}
    assert version("dataops-ci") == __version__  # the installed metadata came from that one source


def test_the_version_is_a_release_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__), __version__


def test_every_pre_commit_rev_and_git_url_names_this_release() -> None:
    tag = f"v{__version__}"
    found = 0
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for ref in PRE_COMMIT_REV.findall(text) + GIT_URL_TAG.findall(text):
            assert ref == tag, f"{doc.relative_to(ROOT)}: {ref} (the version is {__version__})"
            found += 1
    assert found >= 3  # README's pre-commit and git-URL installs, docs/pre-commit.md


def test_every_action_and_workflow_ref_is_this_major_tag() -> None:
    major = f"v{__version__.split('.')[0]}"
    found = 0
    for path in [*DOCS, *WORKFLOWS]:
        for ref in ACTION_REF.findall(path.read_text(encoding="utf-8")):
            assert ref == major, f"{path.relative_to(ROOT)}: @{ref} (the release tag moves {major})"
            found += 1
    assert found >= 6

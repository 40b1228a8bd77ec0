"""The fake GitHub API as a process (`python -m tests.github.fake_server`), as `act` runs use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from dataops_ci.github.client import GitHubClient
from tests.github.fake_server import EXAMPLE_STATE

ROOT = Path(__file__).resolve().parents[2]


def test_standalone_server_serves_and_records_its_state(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(EXAMPLE_STATE))
    command = [sys.executable, "-m", "tests.github.fake_server", "--port", "0", "--state", str(state)]
    command += ["--prefix", "/api/v3"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert url.endswith("/api/v3")
        with GitHubClient(url, "ghs_write") as client:
            created = client.create_issue_comment("acme/data", 3, "hello from act")
        saved = json.loads(state.read_text())
        assert saved["comments"]["acme/data#3"][0]["id"] == created["id"]
        assert httpx.get(url.replace("/api/v3", "") + "/_fake/state").json()["log"][-1]["method"] == "POST"
    finally:
        server.terminate()
        server.wait(timeout=10)

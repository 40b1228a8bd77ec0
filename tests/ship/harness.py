"""Helpers for the shipping tests: a committed snapshot of this working tree, the `uses:` of the action and
workflows, and running workflows with act on this machine (no Docker, nothing fetched from GitHub)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STAND_INS = Path(__file__).resolve().parent / "stand-ins"
WORKFLOWS = ROOT / ".github" / "workflows"
SHIPPED_YAML = (ROOT / "action.yml", *sorted(WORKFLOWS.glob("*.yml")))
TEST_WORKFLOWS = Path(__file__).resolve().parent / "workflows"
# How the test workflows (and the README) refer to this action; act maps it to the snapshot.
OUR_ACTION = "dataops-ci/dataops-ci"
OUR_REF = "v1"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<target>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ship Test",
    "GIT_AUTHOR_EMAIL": "ship@example.invalid",
    "GIT_COMMITTER_NAME": "Ship Test",
    "GIT_COMMITTER_EMAIL": "ship@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class Uses:
    file: Path
    line: int
    target: str  # owner/repo[/path]@ref, or ./path
    comment: str

    @property
    def repo(self) -> str:
        return "/".join(self.target.split("@")[0].split("/")[:2])

    @property
    def ref(self) -> str:
        return self.target.split("@")[1] if "@" in self.target else ""


def uses_in(files: Iterable[Path] = SHIPPED_YAML) -> list[Uses]:
    found = []
    for path in files:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = USES.match(text)
            if match:
                found.append(Uses(path, number, match["target"], (match["comment"] or "").strip()))
    return found


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {proc.stderr}")
    return proc.stdout


def snapshot_source(dest: Path) -> str:
    """Copy this working tree (tracked + untracked, minus ignored files: no .venv) into a fresh git repo
    and commit it, as pre-commit try-repo and act only see committed files. Returns the commit SHA."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot of the working tree under test")
    return git(dest, "rev-parse", "HEAD").strip()


def local_repository_args(source_snapshot: Path) -> list[str]:
    """`--local-repository` for every third-party `uses:` (to a stand-in) and for our own action."""
    args = ["--local-repository", f"{OUR_ACTION}@{OUR_REF}={source_snapshot}"]
    every = uses_in([*SHIPPED_YAML, *sorted(TEST_WORKFLOWS.glob("*.yml"))])
    for repo, ref in sorted({(u.repo, u.ref) for u in every if not u.target.startswith(".")}):
        if repo == OUR_ACTION:
            continue
        args += ["--local-repository", f"{repo}@{ref}={STAND_INS / repo.split('/')[1]}"]
    return args


def act_binary() -> str:
    local = Path(sys.executable).parent / "act"
    return str(local) if local.exists() else shutil.which("act") or str(local)


def base_python() -> str:
    """The interpreter this venv was made from: what setup-python would provide on a runner."""
    name = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    candidate = Path(sys.base_prefix) / "bin" / name
    return str(candidate) if candidate.exists() else shutil.which(name) or sys.executable


def uv_binary() -> str:
    local = Path(sys.executable).parent / "uv"
    return str(local) if local.exists() else shutil.which("uv") or "uv"


class SummaryWatcher:
    """Collects what steps write to $GITHUB_STEP_SUMMARY. Like GitHub, act gives each step an empty
    summary file (the same path, emptied when the next step starts), so no later step can read it: a
    thread polls the files while act runs and keeps every non-empty version it sees."""

    def __init__(self, root: Path, interval_s: float = 0.005) -> None:
        self.root = root
        self.interval_s = interval_s
        self.seen: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> SummaryWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(self.interval_s):
            for path in self.root.glob("*/act/workflow/SUMMARY.md"):
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError:
                    continue
                if text.strip() and text not in self.seen:
                    self.seen.append(text)


@dataclass
class ActRun:
    returncode: int
    log: str
    out: Path  # files the test workflows copy out of the job (outputs, report)
    summaries: list[str]

    def outputs(self) -> dict[str, str]:
        path = self.out / "outputs.json"
        return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}

    def summary(self) -> str:
        """The longest job-summary text any step wrote."""
        return max(self.summaries, key=len, default="")


def run_act(
    *,
    event_name: str,
    event: Mapping[str, object],
    workflow: Path,
    repo: Path,
    source_snapshot: Path,
    cache_dir: Path,
    token: str,
    api_url: str,
    out: Path,
    variables: Mapping[str, str] | None = None,
    timeout: float = 600,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> ActRun:
    out.mkdir(parents=True, exist_ok=True)
    event_file = out / "event.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    env_pairs = {
        "GITHUB_API_URL": api_url,
        "STANDIN_PYTHON": base_python(),
        "STANDIN_UV": uv_binary(),
        "STANDIN_CACHE_DIR": str(cache_dir / "standin-cache"),
        "STANDIN_ARTIFACT_DIR": str(cache_dir / "standin-artifacts"),
        "SHIP_TEST_OUT": str(out),
        **(env or {}),
    }
    cmd = [act_binary(), event_name, "-W", str(workflow), "-e", str(event_file)]
    cmd += ["-P", "ubuntu-latest=-self-hosted", "--no-cache-server", "--action-offline-mode"]
    cmd += ["--action-cache-path", str(cache_dir / "act"), "--concurrent-jobs", "1"]
    cmd += ["-s", f"GITHUB_TOKEN={token}", *local_repository_args(source_snapshot)]
    for name, value in env_pairs.items():
        cmd += ["--env", f"{name}={value}"]
    for name, value in (variables or {}).items():
        cmd += ["--var", f"{name}={value}"]
    cmd += list(extra_args)
    # Steps run on this machine with this environment: drop what a surrounding CI run would leak in.
    act_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "ACTIONS_"))}
    # act's own settings (~/.config/act, .actrc) stay out of the test; stdin is closed so it never asks.
    act_env["XDG_CONFIG_HOME"] = str(cache_dir / "xdg-config")
    with SummaryWatcher(cache_dir / "act") as summaries:
        proc = subprocess.run(
            cmd,
            cwd=repo,
            env=act_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    log = proc.stdout + proc.stderr
    (out / "act.log").write_text(log, encoding="utf-8")
    return ActRun(proc.returncode, log, out, summaries.seen)


def load_yaml(path: Path) -> dict[str, object]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{path} is not a mapping"
    return loaded

"""scripts/test leaves no service behind: a PostgreSQL server it started is stopped when it ends, whether
pytest passed, failed or was interrupted (Ctrl-C), and one it found running is left alone.

Each case runs the real scripts/test on a private port and data dir (never the shared server), with a tiny
pytest file of its own as the argument, and then asks the real `pg_ctl` whether the server still runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSING = """
import os, sqlalchemy
def test_the_server_answers():
    engine = sqlalchemy.create_engine(os.environ["DATAOPS_CI_TEST_PG_URL"])
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("select 1")).scalar() == 1
"""
FAILING = "def test_fails():\n    assert False\n"
SLEEPING = """
import pathlib, time
def test_sleeps():
    pathlib.Path(__file__).with_name("started").touch()
    time.sleep(120)
"""

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def private_pg(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    if shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed (scripts/postgres installs it)")
        pytest.skip("PostgreSQL is not installed")
    # Not under pytest's tmp_path: its 0700 parent keeps the `postgres` user out when we run as root.
    base = Path(tempfile.mkdtemp(prefix="dataops-ci-test-pg-"))
    base.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "DATAOPS_CI_TEST_PG_URL"}
    env |= {"DATAOPS_CI_PG_PORT": str(_free_port()), "DATAOPS_CI_PG_DATA": str(base / "data")}
    yield env
    subprocess.run([str(ROOT / "scripts" / "postgres"), "stop"], env=env, check=False)
    shutil.rmtree(base, ignore_errors=True)


def _running(env: dict[str, str]) -> bool:
    status = subprocess.run([str(ROOT / "scripts" / "postgres"), "status"], env=env, check=False)
    return status.returncode == 0


def _scripts_test(env: dict[str, str], test_file: Path) -> subprocess.Popen[str]:
    argv = ["bash", str(ROOT / "scripts" / "test"), "-q", "-p", "no:cacheprovider"]
    argv += ["--rootdir", str(test_file.parent), str(test_file)]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


@pytest.mark.parametrize(("body", "expected_code"), [(PASSING, 0), (FAILING, 1)], ids=["passes", "fails"])
def test_a_server_it_started_is_stopped_when_it_ends(
    private_pg: dict[str, str], tmp_path: Path, body: str, expected_code: int
) -> None:
    test_file = tmp_path / "test_probe.py"
    test_file.write_text(body, encoding="utf-8")
    out, _ = _scripts_test(private_pg, test_file).communicate(timeout=300)
    assert f"1 {'passed' if expected_code == 0 else 'failed'}" in out, out
    assert not _running(private_pg), out


def test_a_server_it_started_is_stopped_on_ctrl_c(private_pg: dict[str, str], tmp_path: Path) -> None:
    test_file = tmp_path / "test_probe.py"
    test_file.write_text(SLEEPING, encoding="utf-8")
    proc = _scripts_test(private_pg, test_file)
    deadline = time.monotonic() + 240
    while not (tmp_path / "started").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0]
        time.sleep(0.2)
    assert _running(private_pg)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground process group
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0, out
    assert not _running(private_pg), out


def test_a_server_it_found_running_is_left_alone(private_pg: dict[str, str], tmp_path: Path) -> None:
    subprocess.run([str(ROOT / "scripts" / "postgres")], env=private_pg, check=True, capture_output=True)
    test_file = tmp_path / "test_probe.py"
    test_file.write_text(FAILING, encoding="utf-8")
    out, _ = _scripts_test(private_pg, test_file).communicate(timeout=300)
    assert "1 failed" in out, out
    assert _running(private_pg), out


def _global_site_packages() -> set[str]:
    prefix = {"base": sys.base_prefix, "platbase": sys.base_prefix}
    folders = {Path(sysconfig.get_paths(vars=prefix)[key]) for key in ("purelib", "platlib")}
    return {str(p) for folder in folders if folder.is_dir() for p in folder.iterdir()}


def test_scripts_demo_writes_nothing_outside_the_checkout(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")} | {"HOME": str(home)}
    before = _global_site_packages()
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo"), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "report.json").is_file()
    assert list(home.iterdir()) == []  # no cache, config or install under the user's home
    assert _global_site_packages() == before  # nothing installed into the machine's Python

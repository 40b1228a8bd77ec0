"""Fixtures for the publish tests: a real Prometheus Pushgateway on 127.0.0.1 (a free port), started for the
tests that push and stopped after; the demo repo as a real git repository, run through the real CLI; and a
real git repository with a schema history, a pipeline and a suite, with hostile text where a PR controls
it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dataops_ci import cli
from tests.conftest import Repo

PUSHGATEWAY = shutil.which("prometheus-pushgateway")
PROMTOOL = shutil.which("promtool")
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-repo"


def _skip_unless(found: str | None, package: str) -> pytest.MarkDecorator:
    # Skipped where the Debian package is missing, except in CI (CI=true): scripts/setup-system installs it.
    return pytest.mark.skipif(
        found is None and os.environ.get("CI") != "true",
        reason=f"{package} not installed (apt-get install {package}; scripts/setup-system does it)",
    )


needs_pushgateway = _skip_unless(PUSHGATEWAY, "prometheus-pushgateway")
needs_promtool = _skip_unless(PROMTOOL, "prometheus")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, auth: bool = False) -> str:
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", basic_header())
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a loopback test server
        text: str = response.read().decode()
        return text


AUTH_USER, AUTH_PASSWORD = "ci", "s3cret-for-tests"


def _web_config(tmp_path: Path) -> Path:
    """A Pushgateway web config that demands basic auth (the password stored as a bcrypt hash)."""
    import bcrypt

    hashed = bcrypt.hashpw(AUTH_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    path = tmp_path / "web.yml"
    path.write_text(f"basic_auth_users:\n  {AUTH_USER}: '{hashed}'\n", encoding="utf-8")
    return path


def _ready(url: str, auth: bool) -> None:
    request = urllib.request.Request(f"{url}/-/ready")
    if auth:
        request.add_header("Authorization", basic_header())
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - a loopback test server
        pass


def basic_header() -> str:
    import base64

    return "Basic " + base64.b64encode(f"{AUTH_USER}:{AUTH_PASSWORD}".encode()).decode()


@pytest.fixture(params=[False, True], ids=["open", "basic-auth"])
def pushgateway(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, bool]]:
    """(base URL, whether it demands basic auth) of a Pushgateway of its own (in memory), stopped after."""
    assert PUSHGATEWAY, "prometheus-pushgateway is not installed"
    auth: bool = request.param
    port = free_port()
    log = (tmp_path / "pushgateway.log").open("wb")
    # Debian's build persists to /var/lib/prometheus by default: each test gets an empty store of its own.
    command = [
        PUSHGATEWAY,
        f"--web.listen-address=127.0.0.1:{port}",
        f"--persistence.file={tmp_path / 'pg.data'}",
    ]
    if auth:
        command.append(f"--web.config.file={_web_config(tmp_path)}")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                _ready(url, auth)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "pushgateway.log").read_text()) from None
                time.sleep(0.1)
        yield url, auth
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/demo-repo as a git repo: `main` the base snapshot, `pr` (checked out) the head."""
    from dataops_ci.commands.demo import build_repo

    return build_repo(DEMO, tmp_path_factory.mktemp("demo") / "data-project")


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> @acme/all \u202e"


def customer(*fields: dict[str, object], doc: str = "A customer.") -> str:
    base = [{"name": "id", "type": "long", "doc": "Primary key."}]
    record = {
        "type": "record",
        "name": "Customer",
        "namespace": "com.acme",
        "doc": doc,
        "fields": base + list(fields),
    }
    return json.dumps(record, indent=2)


EMAIL = {"name": "email", "type": ["null", "string"], "default": None, "doc": "Contact e-mail."}
SIGNUP = {"name": "signup", "type": {"type": "int", "logicalType": "date"}, "default": 0, "doc": HOSTILE}
TIER = {"name": "tier", "type": "string"}  # no default: a BACKWARD break
PIPELINE = f"""name: customers
owner: data_team
reviewers: [analytics]
schedule: "0 6 * * *"
description: "{HOSTILE.replace('"', "'")}"
dataset: {{data: data/customers.csv, schema: schemas/customer.avsc}}
quality_checks:
  - {{type: completeness, columns: [id, email], threshold: 0.9, notify: [data_team]}}
  - {{type: freshness, column: signup, max_delay_hours: 24}}
"""
SUITE = json.dumps({
    "name": "customers",
    "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "email", "mostly": 0.95}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "id", "min_value": 1},
         "severity": "warning"},
    ],
})  # fmt: skip


@pytest.fixture
def documented(make_repo: Callable[..., Repo]) -> Repo:
    repo: Repo = make_repo()
    repo.commit("first customer schema", {"schemas/customer.avsc": customer()})
    repo.commit("add email", {"schemas/customer.avsc": customer(EMAIL)})
    repo.commit("add signup", {"schemas/customer.avsc": customer(EMAIL, SIGNUP, doc=HOSTILE)})
    repo.commit(
        "add tier without a default",
        {
            "schemas/customer.avsc": customer(EMAIL, SIGNUP, TIER, doc=HOSTILE),
            "pipelines/customers.yml": PIPELINE,
            "data/customers.csv": "id,email,signup\n1,a@example.com,2026-01-01\n",
            "expectations/customers.json": SUITE,
            "dataops-ci.yml": "schemas: {paths: ['schemas/*.avsc'], compatibility: BACKWARD}\n",
        },
    )
    return repo


def build(repo: Repo, out: Path, *extra: str) -> int:
    return cli.main(["docs", "-C", str(repo.root), "--out", str(out), *extra])

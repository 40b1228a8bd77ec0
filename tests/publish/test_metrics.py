"""`run --metrics` / `--pushgateway` through the real CLI: the file promtool accepts, the push a real
Pushgateway receives, and a failed push that stays a warning."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from dataops_ci import cli
from dataops_ci.report import Report
from tests.publish.conftest import AUTH_PASSWORD, AUTH_USER, PROMTOOL, get, needs_promtool, needs_pushgateway

pytest.importorskip("prometheus_client")


def _run(repo: Path, tmp_path: Path, *extra: str) -> tuple[int, Report]:
    report_path = tmp_path / "report.json"
    argv = ["run", "-C", str(repo), "--base", "main", "--head", "pr", "--format", "json"]
    code = cli.main([*argv, "--report-json", str(report_path), *extra])
    return code, Report.from_json(report_path.read_text(encoding="utf-8"))


def _value(text: str, name: str, **labels: str) -> float:
    """The sample of `name` whose labels include `labels` (exactly one must match)."""
    found = []
    for line in text.splitlines():
        match = re.match(rf"^{re.escape(name)}\{{(.*)\}} (\S+)$", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            found.append(float(match.group(2)))
    assert len(found) == 1, (name, labels, found)
    return found[0]


@pytest.fixture(scope="module")
def metrics_run(demo_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Report, str]:
    tmp = tmp_path_factory.mktemp("metrics")
    code, report = _run(demo_repo, tmp, "--metrics", str(tmp / "out" / "metrics.prom"))
    return code, report, (tmp / "out" / "metrics.prom").read_text(encoding="utf-8")


def test_metrics_file_holds_what_the_report_says(metrics_run: tuple[int, Report, str]) -> None:
    code, report, text = metrics_run
    assert code == cli.EXIT_FAILED  # the demo PR breaks things on purpose
    labels = {"repo": "data-project", "ref": "pr"}
    assert report.quality_score is not None
    assert _value(text, "dataops_ci_quality_score", **labels) == pytest.approx(report.quality_score)
    suites = report.check("expectations").data["suites"]  # type: ignore[union-attr]
    for suite in suites:
        key = {**labels, "dataset": suite["data"], "suite": suite["suite"]}
        assert _value(text, "dataops_ci_data_quality_score", **key) == pytest.approx(suite["score"])
        assert _value(text, "dataops_ci_expectations_evaluated", **key) == suite["evaluated"]
        assert _value(text, "dataops_ci_expectations_passed", **key) == suite["passed"]
        assert _value(text, "dataops_ci_records_validated", **key) == suite["records"] > 0
    for check in report.checks:
        assert _value(text, "dataops_ci_check_status", check=check.name, dataops_ci_check_status=check.status)
        for severity in ("error", "warning", "notice"):
            count = _value(text, "dataops_ci_findings", check=check.name, severity=severity)
            assert count == check.count(severity)
        assert _value(text, "dataops_ci_check_duration_seconds", check=check.name) >= 0
    files = report.check("schema-compat").data["files"]  # type: ignore[union-attr]
    breaking = sum(1 for f in files if f["status"] == "incompatible")
    assert breaking >= 1
    assert _value(text, "dataops_ci_breaking_schema_changes", **labels) == breaking
    assert _value(text, "dataops_ci_run_status", dataops_ci_run_status="failed") == 1


@needs_promtool
def test_promtool_accepts_the_metrics_file(metrics_run: tuple[int, Report, str], tmp_path: Path) -> None:
    assert PROMTOOL
    path = tmp_path / "metrics.prom"
    path.write_text(metrics_run[2], encoding="utf-8")
    proc = subprocess.run([PROMTOOL, "check", "metrics"], input=path.read_bytes(), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()
    assert not proc.stdout.strip() and not proc.stderr.strip(), "promtool lint complaints"


def test_config_labels_are_added_and_reserved_ones_refused(demo_repo: Path, tmp_path: Path) -> None:
    config = tmp_path / "dataops-ci.yml"
    original = (demo_repo / "dataops-ci.yml").read_text(encoding="utf-8")
    config.write_text(original + "metrics:\n  labels: {team: marketing, repo: acme/data}\n", encoding="utf-8")
    out = tmp_path / "m.prom"
    code, _ = _run(
        demo_repo, tmp_path, "--config", str(config), "--checks", "schema-compat", "--metrics", str(out)
    )
    text = out.read_text(encoding="utf-8")
    assert (
        _value(text, "dataops_ci_breaking_schema_changes", team="marketing", repo="acme/data", ref="pr") >= 1
    )
    config.write_text(original + "metrics:\n  labels: {check: x}\n", encoding="utf-8")
    assert (
        cli.main(["run", "-C", str(demo_repo), "--config", str(config), "--metrics", str(out)])
        == cli.EXIT_USAGE
    )


@needs_pushgateway
def test_push_reaches_a_real_pushgateway(
    demo_repo: Path, tmp_path: Path, pushgateway: tuple[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, auth = pushgateway
    if auth:  # the credentials come from the env vars the config names (defaults: PUSHGATEWAY_*)
        monkeypatch.setenv("PUSHGATEWAY_USERNAME", AUTH_USER)
        monkeypatch.setenv("PUSHGATEWAY_PASSWORD", AUTH_PASSWORD)
    code, report = _run(demo_repo, tmp_path, "--checks", "schema-compat,expectations", "--pushgateway", url)
    push = report.check("metrics-push")
    assert push is not None and not push.findings, push
    text = get(f"{url}/metrics", auth)
    grouping = {"job": "dataops-ci", "repo": "data-project", "ref": "pr"}
    assert _value(text, "dataops_ci_quality_score", **grouping) == pytest.approx(report.quality_score)
    assert (
        _value(text, "dataops_ci_check_status", check="schema-compat", dataops_ci_check_status="failed") == 1
    )
    assert _value(text, "push_failure_time_seconds", **grouping) == 0
    assert code == cli.EXIT_FAILED


@needs_pushgateway
def test_wrong_credentials_are_a_warning_and_push_nothing(
    demo_repo: Path, tmp_path: Path, pushgateway: tuple[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, auth = pushgateway
    if not auth:
        pytest.skip("only a gateway that demands auth can refuse")
    monkeypatch.setenv("PUSHGATEWAY_USERNAME", AUTH_USER)
    monkeypatch.setenv("PUSHGATEWAY_PASSWORD", "wrong")
    assert "dataops_ci_" not in get(f"{url}/metrics", auth)
    code, report = _run(demo_repo, tmp_path, "--checks", "schema-compat", "--pushgateway", url)
    push = report.check("metrics-push")
    assert push is not None and [f.rule for f in push.findings] == ["metrics-push-failed"]
    assert "401" in push.findings[0].message
    assert "dataops_ci_" not in get(f"{url}/metrics", auth)
    assert code == cli.EXIT_FAILED  # what schema-compat says (the demo breaks a schema), not the push


def test_a_failed_push_is_a_warning_never_a_failed_run(demo_repo: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as held:  # bound, never listening: connections are refused, and no one else binds it
        held.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{held.getsockname()[1]}"
        argv = ["--checks", "sql-lint", "--pushgateway", dead, "--fail-on", "warning"]
        code, report = _run(demo_repo, tmp_path, *argv)
    push = report.check("metrics-push")
    assert push is not None and [f.rule for f in push.findings] == ["metrics-push-failed"]
    assert push.findings[0].severity == "warning" and dead in push.findings[0].message
    sql_lint = report.check("sql-lint")
    assert sql_lint is not None
    # The exit code is what sql-lint alone says: the push failure never changes it.
    alone = cli.exit_code(report.with_checks([sql_lint]), "warning")
    assert code == alone


def test_a_bearer_token_from_the_named_env_var_is_sent(
    demo_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Pushgateway itself has no bearer auth (a proxy in front does): a loopback server records what
    the push sends. The token comes from the env var the config names, and is never written anywhere."""
    import http.server
    import threading

    seen: list[tuple[str, str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path, self.headers.get("Authorization")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        config = tmp_path / "dataops-ci.yml"
        original = (demo_repo / "dataops-ci.yml").read_text(encoding="utf-8")
        config.write_text(
            original + "metrics: {token_env: MY_GATEWAY_TOKEN, job: nightly}\n", encoding="utf-8"
        )
        monkeypatch.setenv("MY_GATEWAY_TOKEN", "t0ken-value")
        url = f"http://127.0.0.1:{server.server_address[1]}"
        argv = ["--config", str(config), "--checks", "schema-compat", "--pushgateway", url]
        _, report = _run(demo_repo, tmp_path, *argv)
    finally:
        server.shutdown()
    assert seen == [("PUT", "/metrics/job/nightly/ref/pr/repo/data-project", "Bearer t0ken-value")]
    assert "t0ken-value" not in report.to_json()

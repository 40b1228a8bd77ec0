"""Pushing a run's metrics to a Prometheus Pushgateway. A push that fails is a warning finding: the data
was checked either way, and monitoring being down must never fail a pull request."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from dataops_ci.config import Config
from dataops_ci.publish.labels import grouping_key
from dataops_ci.publish.metrics import MetricsUnavailable, build_registry, client
from dataops_ci.report import CheckResult, Finding, Report

# The pseudo-check a push's outcome is reported under (never counted in the exit code: cli.exit_code).
PUSH_CHECK = "metrics-push"


def auth_handler(config: Config, env: Mapping[str, str] | None = None) -> Any:
    """prometheus_client's request handler with the credentials the config's env var names point to:
    a bearer token if set, else basic auth if a username is set, else none."""
    prom = client()
    env = os.environ if env is None else env
    exposition = prom.exposition
    token = env.get(config.metrics.token_env)
    user = env.get(config.metrics.username_env)
    if token:

        def bearer(url: str, method: str, timeout: float | None, headers: list[Any], data: bytes) -> Any:
            headers = [*headers, ("Authorization", f"Bearer {token}")]
            return exposition.default_handler(url, method, timeout, headers, data)

        return bearer
    if user:
        password = env.get(config.metrics.password_env, "")

        def basic(url: str, method: str, timeout: float | None, headers: list[Any], data: bytes) -> Any:
            return exposition.basic_auth_handler(url, method, timeout, headers, data, user, password)

        return basic
    return exposition.default_handler


def push(
    report: Report,
    gateway: str,
    config: Config,
    labels: Mapping[str, str],
    env: Mapping[str, str] | None = None,
) -> CheckResult:
    """Push (PUT: replaces the group) and say how it went, as a result that never fails the run."""
    grouping = grouping_key(config.metrics.grouping, labels)
    where = f"{gateway} (job {config.metrics.job}, grouping {grouping or 'none'})"
    try:
        prom = client()
        registry = build_registry(report, labels)
        prom.push_to_gateway(
            gateway, job=config.metrics.job, registry=registry, grouping_key=grouping,
            timeout=config.metrics.timeout_s, handler=auth_handler(config, env),
        )  # fmt: skip
    except MetricsUnavailable as exc:
        return _failed(where, str(exc))
    except Exception as exc:  # noqa: BLE001 - urllib/HTTP/socket errors alike: a warning, never a crash
        return _failed(where, _short(exc))
    return CheckResult(PUSH_CHECK, "passed", f"metrics pushed to {where}")


def _failed(where: str, why: str) -> CheckResult:
    finding = Finding(
        "warning",
        "metrics-push-failed",
        f"could not push the metrics to {where}: {why}",
        hint="check the --pushgateway URL and the credentials' env vars (metrics.username_env/token_env)",
    )
    return CheckResult(PUSH_CHECK, "passed", "metrics not pushed (warning)", findings=(finding,))


def _short(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."
